//! Normalized sentence keys: two sentences that differ only in typography get the same key.
//!
//! Folded away: Unicode compatibility forms (NFKC), letter case, curly vs straight quotes and
//! apostrophes, dash variants, runs of white space (tabs, no-break spaces), invisible
//! characters, leading and trailing space, and closing punctuation (`.`, `!`, `?`, `…`, ...).
//!
//! The normalized text is hashed with XXH3 to 64 bits. Collisions don't matter here: a key is
//! only ever compared with the keys of the same article, so with n sentences the chance of any
//! collision is about n²/2⁶⁵ (10⁻⁸ for a 100,000-sentence article), and a single colliding pair
//! removes nothing on its own: removal needs a whole aligned block of matching keys that is
//! longer than `--min-block-chars`.

use crate::segment::is_invisible;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The key of a sentence that has at least one letter or digit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Key {
    pub hash: u64,
    /// Length of the normalized text in characters (used for block lengths).
    pub chars: u32,
}

/// Computes keys, reusing one buffer so that no sentence allocates.
#[derive(Default, Debug)]
pub struct Normalizer {
    buf: String,
    chars: u32,
    alnum: bool,
    space: bool,
}

impl Normalizer {
    pub fn new() -> Self {
        Self::default()
    }

    /// The key of `sentence`, or `None` when it holds no letter or digit (a lone `…`, `—`).
    pub fn key(&mut self, sentence: &str) -> Option<Key> {
        self.normalize(sentence);
        if !self.alnum {
            return None;
        }
        Some(Key {
            hash: xxhash_rust::xxh3::xxh3_64(self.buf.as_bytes()),
            chars: self.chars,
        })
    }

    /// The normalized text of `sentence` (for tests and diagnostics).
    pub fn normalized(&mut self, sentence: &str) -> &str {
        self.normalize(sentence);
        &self.buf
    }

    fn normalize(&mut self, sentence: &str) {
        self.buf.clear();
        self.chars = 0;
        self.alnum = false;
        self.space = false;
        if sentence.is_ascii() {
            for &b in sentence.as_bytes() {
                self.push_ascii(b);
            }
        } else if unicode_normalization::is_nfkc_quick(sentence.chars())
            == unicode_normalization::IsNormalized::Yes
        {
            for c in sentence.chars() {
                self.push(c);
            }
        } else {
            for c in sentence.nfkc() {
                self.push(c);
            }
        }
        self.trim_end();
    }

    #[inline]
    fn push_ascii(&mut self, b: u8) {
        if b.is_ascii_whitespace() || b < 0x20 {
            self.space = !self.buf.is_empty();
            return;
        }
        self.flush_space();
        self.alnum |= b.is_ascii_alphanumeric();
        self.chars += 1;
        self.buf.push(b.to_ascii_lowercase() as char);
    }

    fn push(&mut self, c: char) {
        if c.is_ascii() {
            return self.push_ascii(c as u8);
        }
        if is_invisible(c) {
            if c.is_whitespace() {
                self.space = !self.buf.is_empty();
            }
            return;
        }
        let c = match c {
            '‘' | '’' | '‚' | '‛' | '′' | '`' | '´' | 'ʼ' => '\'',
            '“' | '”' | '„' | '‟' | '″' | '«' | '»' | '〝' | '〞' => '"',
            '‐' | '‑' | '‒' | '–' | '—' | '―' | '−' | '﹘' | '﹣' | '－' | '⸺' | '⸻' => {
                '-'
            }
            c => c,
        };
        if c.is_ascii() {
            return self.push_ascii(c as u8);
        }
        self.flush_space();
        self.alnum |= c.is_alphanumeric() || is_combining_mark(c) && !self.buf.is_empty();
        self.chars += 1;
        for lower in c.to_lowercase() {
            self.buf.push(lower);
        }
    }

    #[inline]
    fn flush_space(&mut self) {
        if self.space {
            self.buf.push(' ');
            self.chars += 1;
            self.space = false;
        }
    }

    /// Drops closing punctuation (and the spaces between it) from the end.
    fn trim_end(&mut self) {
        while let Some(c) = self.buf.chars().next_back() {
            if matches!(c, '.' | '!' | '?' | ',' | ';' | ':' | '。' | '…' | ' ') {
                self.buf.pop();
                self.chars = self.chars.saturating_sub(1);
            } else {
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(s: &str) -> String {
        Normalizer::new().normalized(s).to_owned()
    }

    fn key(s: &str) -> Option<Key> {
        Normalizer::new().key(s)
    }

    #[test]
    fn typography_is_folded() {
        assert_eq!(
            norm("He said “It’s fine” — really."),
            "he said \"it's fine\" - really"
        );
        assert_eq!(
            norm("  Tabs\tand\u{a0}no-break   spaces!! "),
            "tabs and no-break spaces"
        );
        assert_eq!(norm("ＦＵＬＬＷＩＤＴＨ ｔｅｘｔ…"), "fullwidth text");
        assert_eq!(norm("zero\u{200b}width"), "zerowidth");
    }

    #[test]
    fn equal_keys_for_typographic_variants() {
        assert_eq!(
            key("Kerry’s “second” visit — in Moscow."),
            key("kerry's \"second\" visit - in moscow")
        );
        assert_ne!(key("Shares rose 2%."), key("Shares rose 3%."));
    }

    #[test]
    fn punctuation_only_has_no_key() {
        assert_eq!(key("…"), None);
        assert_eq!(key(" — "), None);
        assert!(key("1.").is_some());
    }

    #[test]
    fn chars_counts_normalized_length() {
        assert_eq!(key("Abc  def.").map(|k| k.chars), Some(7));
    }
}
