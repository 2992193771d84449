//! Normalized sentence keys: two sentences that differ only in typography get the same key.
//!
//! Folded away: Unicode compatibility forms (NFKC), letter case, curly vs straight quotes and
//! apostrophes, dash variants, runs of white space (tabs, no-break spaces), invisible
//! characters, leading and trailing space, closing punctuation (`.`, `!`, `?`, `…`, ...), a
//! list bullet, number or emoji and a Markdown heading's `#` at the start, citation markers
//! ("[12]"), HTML character references a scraper left undecoded ("&#39;", "&amp;"; the named
//! ones in `data/html_entities.txt`), HTML tags (`<a href="…">`, `</em>`, `<br>`; the names in
//! `data/html_tags.txt`), Windows-1252 mojibake of UTF-8 ("Ã¶" for "ö"), and Markdown: a
//! link's brackets and target, paired emphasis marks.
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
    /// Length of the normalized text in characters (used for block lengths). Never zero (a key
    /// has a letter or digit), which lets `Option<Key>` take 16 bytes rather than 24.
    pub chars: std::num::NonZeroU32,
}

/// Computes keys, reusing one buffer so that no sentence allocates.
#[derive(Default, Debug)]
pub struct Normalizer {
    /// The normalized text, always valid UTF-8 (only whole characters are pushed).
    buf: Vec<u8>,
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
            hash: xxhash_rust::xxh3::xxh3_64(&self.buf),
            chars: std::num::NonZeroU32::new(self.chars)?,
        })
    }

    /// The normalized text of `sentence` (for tests and diagnostics).
    pub fn normalized(&mut self, sentence: &str) -> &str {
        self.normalize(sentence);
        std::str::from_utf8(&self.buf).unwrap_or_default()
    }

    fn normalize(&mut self, sentence: &str) {
        let sentence = without_cut_citation(without_bullet(sentence));
        // Mojibake's first character is always one of U+00C2-U+00F4, whose UTF-8 starts 0xC3.
        let mut repaired = String::new();
        let garbled = memchr::memchr(0xc3, sentence.as_bytes()).is_some() && has_mojibake(sentence);
        let sentence = rewritten(sentence, &mut repaired, garbled, without_mojibake);
        // One search for the bytes that start a citation marker or a reference: most sentences
        // hold neither.
        let special = memchr::memchr3(b'[', b'&', b'<', sentence.as_bytes()).is_some();
        let (mut unmarked, mut untagged, mut decoded) =
            (String::new(), String::new(), String::new());
        let marked = special && has_citation_marker(sentence);
        let sentence = rewritten(sentence, &mut unmarked, marked, without_citation_markers);
        // Tags before references: a decoded "&lt;b&gt;" is text that shows a tag, not one.
        let tagged = special && has_tag(sentence);
        let sentence = rewritten(sentence, &mut untagged, tagged, without_tags);
        let encoded = special && has_reference(sentence);
        let sentence = rewritten(sentence, &mut decoded, encoded, with_references_decoded);
        let mut plain = String::new();
        let bytes = sentence.as_bytes();
        let markup = memchr::memchr3(b'[', b'*', b'_', bytes).is_some();
        let sentence = rewritten(sentence, &mut plain, markup, without_markdown);
        self.buf.clear();
        self.chars = 0;
        self.alnum = false;
        self.space = false;
        if sentence.is_ascii() {
            self.normalize_ascii(sentence.as_bytes());
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

    /// The ASCII case of [`Normalizer::push_ascii`] over a whole sentence: writes into a
    /// buffer sized up front (the output is never longer than the input), so the loop does no
    /// capacity checks and no UTF-8 encoding.
    ///
    /// Eight bytes at a time where they need no more than lower-casing: no control character and
    /// no space at either end of the eight or next to another (those collapse with their
    /// neighbours, byte by byte). Most of a sentence is such stretches.
    fn normalize_ascii(&mut self, bytes: &[u8]) {
        const LOW: u64 = 0x0101_0101_0101_0101;
        const HIGH: u64 = 0x8080_8080_8080_8080;
        const ENDS: u64 = 0x8000_0000_0000_0080;
        self.buf.resize(bytes.len(), 0);
        let out = &mut self.buf[..];
        let mut n = 0;
        let mut space = false;
        let mut i = 0;
        while i < bytes.len() {
            if let Some(eight) = bytes[i..].first_chunk::<8>() {
                let x = u64::from_le_bytes(*eight);
                // The high bit of each byte below 0x20, and of each space (exact per byte for
                // ASCII: no carry crosses a byte).
                let control = ((x | HIGH).wrapping_sub(LOW * 0x20) & HIGH) ^ HIGH;
                let y = x ^ (LOW * 0x20);
                let spaces = !((y & !HIGH).wrapping_add(!HIGH) | y) & HIGH;
                if control == 0 && spaces & ENDS == 0 && spaces & (spaces >> 8) == 0 {
                    if space {
                        out[n] = b' ';
                        n += 1;
                        space = false;
                    }
                    // Capitals A-Z: x + (0x80 - 0x41) has its high bit set from 'A' on, and
                    // x + (0x80 - 0x5b) from '[' on.
                    let upper = x.wrapping_add(LOW * 0x3f) & !x.wrapping_add(LOW * 0x25) & HIGH;
                    out[n..n + 8].copy_from_slice(&(x | (upper >> 2)).to_le_bytes());
                    n += 8;
                    i += 8;
                    continue;
                }
            }
            let b = bytes[i];
            i += 1;
            // White space and control characters separate words.
            if b <= b' ' {
                space = n > 0;
                continue;
            }
            if space {
                out[n] = b' ';
                n += 1;
                space = false;
            }
            out[n] = b.to_ascii_lowercase();
            n += 1;
        }
        self.buf.truncate(n);
        self.chars = n as u32;
        self.alnum = self.buf.iter().any(u8::is_ascii_alphanumeric);
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
        self.buf.push(b.to_ascii_lowercase());
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
        self.chars += columns(c);
        for lower in c.to_lowercase() {
            let mut utf8 = [0; 4];
            self.buf
                .extend_from_slice(lower.encode_utf8(&mut utf8).as_bytes());
        }
    }

    #[inline]
    fn flush_space(&mut self) {
        if self.space {
            self.buf.push(b' ');
            self.chars += 1;
            self.space = false;
        }
    }

    /// Drops closing punctuation (and the spaces between it) from the end.
    fn trim_end(&mut self) {
        loop {
            let len = match self.buf.last() {
                Some(b'.' | b'!' | b'?' | b',' | b';' | b':' | b' ' | b'[') => 1,
                Some(_) if self.buf.ends_with("。".as_bytes()) => {
                    // A wide character: two columns.
                    self.chars = self.chars.saturating_sub(1);
                    "。".len()
                }
                Some(_) if self.buf.ends_with("…".as_bytes()) => "…".len(),
                _ => break,
            };
            self.buf.truncate(self.buf.len() - len);
            self.chars = self.chars.saturating_sub(1);
        }
    }
}

/// `sentence` through `rewrite` when `applies` (the result kept in `slot`), or as it is.
fn rewritten<'a>(
    sentence: &'a str,
    slot: &'a mut String,
    applies: bool,
    rewrite: fn(&str) -> String,
) -> &'a str {
    if applies {
        *slot = rewrite(sentence);
        slot
    } else {
        sentence
    }
}

/// `sentence` without what marks a list item or a heading at its start: a bullet ("• ", "- ",
/// "* ", "▪ "), an emoji ("👉 ", "🔥 "), a number ("1. ", "2) ", "(3) ") or a Markdown heading's
/// "## ". A copy that lost or changed them holds the same items.
fn without_bullet(sentence: &str) -> &str {
    let trimmed = without_marker(sentence.trim_start());
    let mut chars = trimmed.chars();
    let (Some(first), next) = (chars.next(), chars.next()) else {
        return trimmed;
    };
    let spaced = next.is_some_and(char::is_whitespace);
    let bullet = match first {
        // Marks that only ever bullet a list may touch the item.
        '•' | '◦' | '▪' | '▫' | '‣' | '⁃' | '●' | '○' | '■' | '□' | '►' | '▶' | '➤' | '✓' | '✔'
        | '∙' => true,
        // Marks that are also punctuation or signs ("-5", "*Note") only with a space after.
        '-' | '*' | '+' | '·' | '–' | '—' => spaced,
        _ => false,
    };
    if bullet {
        &trimmed[first.len_utf8()..]
    } else {
        trimmed
    }
}

/// `text` without a list number, a Markdown heading's hashes or an emoji that open it, each
/// followed by a space (and the spaces after it); or `text` as it is.
fn without_marker(text: &str) -> &str {
    let b = text.as_bytes();
    let marker = match b.first() {
        // "1. ", "12) ".
        Some(b'0'..=b'9') => {
            let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
            (digits <= 3 && matches!(b.get(digits), Some(b'.' | b')'))).then_some(digits + 1)
        }
        // "(3) ".
        Some(b'(') => {
            let digits = b[1..].iter().take_while(|c| c.is_ascii_digit()).count();
            ((1..=3).contains(&digits) && b.get(digits + 1) == Some(&b')')).then_some(digits + 2)
        }
        // "## ", at most six.
        Some(b'#') => {
            let hashes = b.iter().take_while(|&&c| c == b'#').count();
            (hashes <= 6).then_some(hashes)
        }
        // Emoji (and a variation selector or skin tone after them): never ASCII, so the
        // sentences that open with a letter (nearly all) skip decoding.
        Some(&first) if first >= 0x80 => {
            let len: usize = text
                .chars()
                .take_while(|&c| is_emoji(c) || matches!(c, '\u{FE0F}' | '\u{1F3FB}'..='\u{1F3FF}'))
                .map(char::len_utf8)
                .sum();
            (len > 0).then_some(len)
        }
        _ => None,
    };
    match marker {
        Some(len) if text[len..].starts_with(char::is_whitespace) => text[len..].trim_start(),
        _ => text,
    }
}

/// Whether `c` is a pictograph of the emoji blocks (🔥, 👉, ✅, ⭐, ☀): what deal posts and
/// social captions put before list items.
fn is_emoji(c: char) -> bool {
    matches!(c as u32, 0x1F300..=0x1FAFF | 0x2600..=0x27BF | 0x2B00..=0x2BFF)
}

/// The most digits of a citation marker: "[123]". Four would take in a year ("Smith v. Jones
/// [2019]"), which says something.
const CITATION_DIGITS: usize = 3;

/// `sentence` without the end of a citation marker it starts with. The splitter (UAX #29)
/// ends a sentence after the opening bracket of "Tanzania.[1] It is…", so the next one starts
/// "1] It is…" (and the bracket left at the first one's end goes with its closing punctuation).
fn without_cut_citation(sentence: &str) -> &str {
    &sentence[marker_close_len(sentence)..]
}

/// Whether `sentence` holds a citation marker: a number in square brackets ("[12]").
fn has_citation_marker(sentence: &str) -> bool {
    memchr::memchr_iter(b'[', sentence.as_bytes()).any(|i| citation_len(&sentence[i..]) > 0)
}

/// The length of the citation marker `text` starts with ("[3]": 3), or 0.
fn citation_len(text: &str) -> usize {
    match marker_close_len(&text[1..]) {
        0 => 0,
        close => 1 + close,
    }
}

/// The length of a marker's number and closing bracket that `text` starts with ("12]": 3), or
/// 0.
fn marker_close_len(text: &str) -> usize {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=CITATION_DIGITS).contains(&digits) && text.as_bytes().get(digits) == Some(&b']') {
        digits + 1
    } else {
        0
    }
}

/// The named HTML character references of `data/html_entities.txt`, sorted by name.
fn named_references() -> &'static [(&'static str, char)] {
    static TABLE: std::sync::OnceLock<Vec<(&'static str, char)>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table: Vec<(&str, char)> = include_str!("../data/html_entities.txt")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .filter_map(|l| {
                let (name, c) = l.split_once('\t')?;
                Some((name, c.chars().next()?))
            })
            .collect();
        table.sort_unstable();
        table
    })
}

/// The longest reference decoded: "&#x10FFFF;" and the longest name fit.
const REFERENCE_MAX: usize = 10;

/// The character of the HTML character reference `text` starts with ("&#39;", "&#x2019;",
/// "&rsquo;"), and the reference's length.
pub(crate) fn reference(text: &str) -> Option<(char, usize)> {
    let end = text
        .as_bytes()
        .iter()
        .take(REFERENCE_MAX + 1)
        .position(|&b| b == b';')?;
    let body = text.get(1..end)?;
    let c = if let Some(number) = body.strip_prefix('#') {
        let (digits, radix) = match number.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, 16),
            None => (number, 10),
        };
        // Digits only: `from_str_radix` would take a sign.
        if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
            return None;
        }
        char::from_u32(u32::from_str_radix(digits, radix).ok()?)?
    } else {
        let table = named_references();
        table[table.binary_search_by_key(&body, |&(name, _)| name).ok()?].1
    };
    Some((c, end + 1))
}

/// Whether `sentence` holds an HTML character reference.
pub(crate) fn has_reference(sentence: &str) -> bool {
    memchr::memchr_iter(b'&', sentence.as_bytes()).any(|i| reference(&sentence[i..]).is_some())
}

/// `sentence` with its HTML character references decoded: a copy scraped from the page's
/// source ("the government&#39;s plan") says what the rendered copy says.
pub(crate) fn with_references_decoded(sentence: &str) -> String {
    rewrite_at(sentence, b'&', |text, out| {
        let (c, len) = reference(text)?;
        out.push(c);
        Some(len)
    })
}

/// `sentence` with what starts at each `mark` byte (an ASCII character) rewritten: `rewrite`
/// gets the text from the mark on, pushes its replacement and returns how many bytes it
/// replaced, or `None` to leave the mark as it is.
fn rewrite_at(
    sentence: &str,
    mark: u8,
    mut rewrite: impl FnMut(&str, &mut String) -> Option<usize>,
) -> String {
    let mut out = String::with_capacity(sentence.len());
    let mut rest = sentence;
    while let Some(at) = memchr::memchr(mark, rest.as_bytes()) {
        out.push_str(&rest[..at]);
        match rewrite(&rest[at..], &mut out) {
            Some(len) => rest = &rest[at + len..],
            None => {
                out.push(char::from(mark));
                rest = &rest[at + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The byte Windows-1252 (or, for U+0080-U+009F, Latin-1) encodes `c` as: what a UTF-8 byte
/// turned into when a page's UTF-8 was decoded as Windows-1252.
fn cp1252_byte(c: char) -> Option<u8> {
    Some(match c {
        '\u{80}'..='\u{ff}' => c as u8,
        '€' => 0x80,
        '‚' => 0x82,
        'ƒ' => 0x83,
        '„' => 0x84,
        '…' => 0x85,
        '†' => 0x86,
        '‡' => 0x87,
        'ˆ' => 0x88,
        '‰' => 0x89,
        'Š' => 0x8a,
        '‹' => 0x8b,
        'Œ' => 0x8c,
        'Ž' => 0x8e,
        '‘' => 0x91,
        '’' => 0x92,
        '“' => 0x93,
        '”' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        '˜' => 0x98,
        '™' => 0x99,
        'š' => 0x9a,
        '›' => 0x9b,
        'œ' => 0x9c,
        'ž' => 0x9e,
        'Ÿ' => 0x9f,
        _ => return None,
    })
}

/// The character whose UTF-8 bytes `text` shows as Windows-1252 mojibake ("Ã¶" for "ö",
/// "â€œ" for "“"), and the mojibake's length in bytes. A byte Windows-1252 lacks shows as
/// U+FFFD; it is taken for 0x9D only after "â€" ("â€\u{FFFD}" is "”", by far the commonest
/// such character), elsewhere it is too ambiguous to read.
fn mojibake(text: &str) -> Option<(char, usize)> {
    let mut chars = text.chars();
    let lead = chars.next()?;
    let need = match lead {
        '\u{c2}'..='\u{df}' => 1,
        '\u{e0}'..='\u{ef}' => 2,
        '\u{f0}'..='\u{f4}' => 3,
        _ => return None,
    };
    let mut bytes = [lead as u8, 0, 0, 0];
    let mut len = lead.len_utf8();
    for k in 1..=need {
        let c = chars.next()?;
        bytes[k] = match cp1252_byte(c) {
            Some(b @ 0x80..=0xbf) => b,
            None if c == '\u{fffd}' && k == 2 && bytes[..2] == [0xe2, 0x80] => 0x9d,
            _ => return None,
        };
        len += c.len_utf8();
    }
    let c = std::str::from_utf8(&bytes[..=need]).ok()?.chars().next()?;
    Some((c, len))
}

/// Whether `sentence` holds Windows-1252 mojibake of a UTF-8 character.
fn has_mojibake(sentence: &str) -> bool {
    sentence
        .char_indices()
        .any(|(i, c)| ('\u{c2}'..='\u{f4}').contains(&c) && mojibake(&sentence[i..]).is_some())
}

/// `sentence` with its Windows-1252 mojibake read as the characters it garbled: a copy of a
/// page whose UTF-8 was decoded as Windows-1252 ("VatnajÃ¶kull", "â€œfasterâ€\u{FFFD}") says
/// what the clean copy says. Text that only looks like it ("Straße»" reads "Stra\u{7fb}") reads
/// the same way in every copy, so identical sentences keep equal keys.
fn without_mojibake(sentence: &str) -> String {
    let mut out = String::with_capacity(sentence.len());
    let mut i = 0;
    while let Some(c) = sentence[i..].chars().next() {
        match mojibake(&sentence[i..]) {
            Some((repaired, len)) => {
                out.push(repaired);
                i += len;
            }
            None => {
                out.push(c);
                i += c.len_utf8();
            }
        }
    }
    out
}

/// The longest HTML tag taken for one: longer is text that happens to hold `<` and `>`.
const TAG_MAX: usize = 400;

/// The tag names of `data/html_tags.txt`, sorted, each with whether it separates words.
fn tag_names() -> &'static [(&'static str, bool)] {
    static TABLE: std::sync::OnceLock<Vec<(&'static str, bool)>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table: Vec<(&str, bool)> =
            crate::segment::listed_words(include_str!("../data/html_tags.txt"))
                .map(|l| match l.split_once(' ') {
                    Some((name, _)) => (name, true),
                    None => (l, false),
                })
                .collect();
        table.sort_unstable();
        table
    })
}

/// The HTML tag `text` starts with ("<a href=\"/x\">", "</a>", "<br/>"), of a name in
/// `data/html_tags.txt`: its length and whether it separates words.
fn tag(text: &str) -> Option<(usize, bool)> {
    let b = text.as_bytes();
    let from = if b.get(1) == Some(&b'/') { 2 } else { 1 };
    let name_len = b
        .get(from..)?
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric())
        .count();
    let name = text.get(from..from + name_len)?;
    if !matches!(b.get(from + name_len), Some(b'>' | b'/' | b' ')) || name_len > 10 {
        return None;
    }
    let table = tag_names();
    let lower = name.to_ascii_lowercase();
    let at = table
        .binary_search_by_key(&lower.as_str(), |&(n, _)| n)
        .ok()?;
    let rest = &b[from + name_len..b.len().min(TAG_MAX)];
    let close = rest.iter().position(|&c| c == b'>' || c == b'<')?;
    (rest[close] == b'>').then_some((from + name_len + close + 1, table[at].1))
}

/// Whether `sentence` holds an HTML tag.
fn has_tag(sentence: &str) -> bool {
    memchr::memchr_iter(b'<', sentence.as_bytes()).any(|i| tag(&sentence[i..]).is_some())
}

/// `sentence` without its HTML tags (of the names in `data/html_tags.txt`): a copy scraped from
/// the page's source says what the rendered copy says. A tag that separates words (`<br>`,
/// `<p>`) leaves a space; inline markup (`<a …>`, `</em>`) nothing.
fn without_tags(sentence: &str) -> String {
    rewrite_at(sentence, b'<', |text, out| {
        let (len, space) = tag(text)?;
        if space {
            out.push(' ');
        }
        Some(len)
    })
}

/// `sentence` without its citation markers: a copy taken from a page that showed Wikipedia's
/// "[1]" markers, or one that left them out, says the same thing.
fn without_citation_markers(sentence: &str) -> String {
    rewrite_at(sentence, b'[', |text, _| {
        let skip = citation_len(text);
        (skip > 0).then_some(skip)
    })
}

/// `sentence` without the Markdown a plain copy of it lacks: a link's brackets and target
/// ("[the BMJ](https://www.bmj.com/…)" says "the BMJ") and paired emphasis marks ("**45
/// analyses**", "_not_"). A lone mark stays: "*Terms apply" points at a footnote, and
/// "snake_case", "слово_слово" or "2*3" are not emphasis (a mark next to any non-ASCII byte is
/// taken to stand inside a word). An image ("![alt](src)") never reaches a key whole: the
/// sentence splitter ends a sentence at its "!", and what follows reads as a link, so its alt
/// text stays in the key.
fn without_markdown(sentence: &str) -> String {
    let b = sentence.as_bytes();
    // The bytes that go: only ever whole characters, so what is left is still UTF-8.
    let mut gone = vec![false; b.len()];
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'[' => {
                if let Some((close, len)) = link_len(&b[i..]) {
                    gone[i] = true;
                    gone[i + close..i + len].fill(true);
                    // The link's text may hold emphasis.
                    i += 1;
                    continue;
                }
            }
            mark @ (b'*' | b'_') => {
                let run = b[i..].iter().take_while(|&&c| c == mark).count();
                if !gone[i]
                    && run <= 3
                    && opens_emphasis(b, i, run)
                    && let Some(close) = emphasis_close(b, i + run, mark, run)
                {
                    gone[i..i + run].fill(true);
                    gone[close..close + run].fill(true);
                }
                i += run;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    sentence
        .char_indices()
        .filter(|&(at, _)| !gone[at])
        .map(|(_, c)| c)
        .collect()
}

/// The Markdown link `b` starts with ("[text](target)", no space in the target): where its
/// `]` is and its whole length.
fn link_len(b: &[u8]) -> Option<(usize, usize)> {
    let close = 1 + b.get(1..)?.iter().position(|&c| c == b']' || c == b'[')?;
    if b[close] != b']' || b.get(close + 1) != Some(&b'(') {
        return None;
    }
    let target = &b[close + 2..];
    let end = target
        .iter()
        .position(|&c| c == b')' || c.is_ascii_whitespace())?;
    (target[end] == b')' && end > 0).then_some((close, close + 2 + end + 1))
}

/// Whether the run of `run` emphasis marks at `b[at..]` can open emphasis: a word follows it,
/// and it does not stand inside a word ("snake_case").
fn opens_emphasis(b: &[u8], at: usize, run: usize) -> bool {
    let word_after = b.get(at + run).is_some_and(|c| !c.is_ascii_whitespace());
    let inside = at > 0 && (b[at - 1].is_ascii_alphanumeric() || b[at - 1] >= 0x80);
    word_after && !inside
}

/// Where the run of `run` marks `mark` that closes emphasis opened before `from` starts: right
/// after a word, and not inside one.
fn emphasis_close(b: &[u8], from: usize, mark: u8, run: usize) -> Option<usize> {
    let mut j = from;
    while j < b.len() {
        if b[j] != mark {
            j += 1;
            continue;
        }
        let len = b[j..].iter().take_while(|&&c| c == mark).count();
        let after_word = j > from && !b[j - 1].is_ascii_whitespace();
        let inside = b
            .get(j + len)
            .is_some_and(|&c| c.is_ascii_alphanumeric() || c >= 0x80);
        if len == run && after_word && !inside {
            return Some(j);
        }
        j += len;
    }
    None
}

/// How much a character counts in a key's length: two for the wide characters of Chinese,
/// Japanese and Korean (ideographs, kana, Hangul, their punctuation), which take two columns
/// on a terminal and say in one character about what two or three Latin letters say; one for
/// the rest. A block of 75 ideographs is as long as one of 150 Latin letters.
fn columns(c: char) -> u32 {
    match c as u32 {
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x20000..=0x3FFFD => 2,
        _ => 1,
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

    /// The byte-at-a-time path (still used for ASCII inside non-ASCII sentences).
    fn norm_bytewise(s: &str) -> (String, u32, bool) {
        let mut n = Normalizer::new();
        let s = without_citation_markers(without_cut_citation(without_bullet(s)));
        for c in without_markdown(&with_references_decoded(&without_tags(&s))).chars() {
            n.push(c);
        }
        n.trim_end();
        (String::from_utf8(n.buf).unwrap(), n.chars, n.alnum)
    }

    proptest::proptest! {
        #[test]
        fn ascii_fast_path_matches_bytewise(s in "[ -~\t\n\r\x0b\x0c\x01\x1f]{0,80}") {
            let mut n = Normalizer::new();
            let text = n.normalized(&s).to_owned();
            proptest::prop_assert_eq!((text, n.chars, n.alnum), norm_bytewise(&s));
        }
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
    fn list_bullets_and_citation_markers_are_folded() {
        let item = key("A torch and spare batteries");
        for bulleted in [
            "• A torch and spare batteries",
            "  - A torch and spare batteries",
            "* A torch and spare batteries",
            "▪A torch and spare batteries",
            "— A torch and spare batteries",
        ] {
            assert_eq!(key(bulleted), item, "{bulleted}");
        }
        // Numbered, emoji-bulleted and Markdown-headed items, with the space after the mark.
        for marked in [
            "1. A torch and spare batteries",
            "12) A torch and spare batteries",
            "(3) A torch and spare batteries",
            "👉 A torch and spare batteries",
            "✅\u{FE0F} A torch and spare batteries",
            "## A torch and spare batteries",
        ] {
            assert_eq!(key(marked), item, "{marked}");
        }
        assert_ne!(
            key("1.5 torches and spare batteries"),
            key("5 torches and spare batteries")
        );
        assert_ne!(key("2024) A torch"), key("A torch"));
        assert_ne!(key("#MeToo began in 2017"), key("MeToo began in 2017"));
        assert_ne!(key("7."), None);
        assert_ne!(key("-5 degrees overnight"), key("5 degrees overnight"));
        assert_ne!(key("*Terms apply"), key("Terms apply"));
        assert_eq!(
            key("The war ended in 1945.[3] Rebuilding took decades.[12]"),
            key("The war ended in 1945. Rebuilding took decades.")
        );
        assert_eq!(
            norm("Item [a] and [12345] stay, [7] goes"),
            "item [a] and [12345] stay, goes"
        );
        // As the splitter cuts them: "Tanzania.[" and "1] It is…".
        assert_eq!(key("in Tanzania.["), key("in Tanzania."));
        assert_eq!(key("1] It is the highest."), key("It is the highest."));
        assert_eq!(key("2]"), None);
        assert_ne!(key("Shares rose [2]"), key("Shares rose [3]%"));
    }

    #[test]
    fn markdown_links_images_and_emphasis_are_folded() {
        let plain = "The researchers pooled 45 earlier analyses, a review in the BMJ found.";
        for marked in [
            "The researchers pooled **45 earlier analyses**, a review in the BMJ found.",
            "The researchers pooled __45 earlier analyses__, a [review in the BMJ](https://www.bmj.com/content/384/bmj-2023-077310) found.",
            "The researchers pooled *45* earlier _analyses_, a review in [the **BMJ**](https://bmj.com) found.",
        ] {
            assert_eq!(key(marked), key(plain), "{marked}");
        }
        // Lone marks, marks inside words and brackets that are no link stay.
        assert_ne!(key("*Terms apply"), key("Terms apply"));
        assert_ne!(key("Use snake_case names"), key("Use snakecase names"));
        assert_ne!(key("Rates 2*3 and 4*5"), key("Rates 23 and 45"));
        assert_ne!(key("Слово_другое_слово"), key("Словодругоеслово"));
        assert_eq!(norm("Wow![Read more](u) now"), "wow!read more now");
        assert_eq!(norm("He said [sic] (twice)"), "he said [sic] (twice)");
        assert_eq!(norm("See [the plan] (PDF) now"), "see [the plan] (pdf) now");
        assert_eq!(
            norm("Not closed **bold and [link](x"),
            "not closed **bold and [link](x"
        );
    }

    #[test]
    fn html_character_references_are_folded() {
        let rendered = "The government’s plan — “AT&T” & more…";
        for source in [
            "The government&#39;s plan &mdash; &ldquo;AT&amp;T&rdquo; &amp; more&hellip;",
            "The government&#x27;s plan &#8212; &quot;AT&T&quot; & more...",
            "The government&rsquo;s plan&nbsp;&ndash; \"AT&#X26;T\" &amp; more",
        ] {
            assert_eq!(key(source), key(rendered), "{source}");
        }
        // Not references: unknown names, no semicolon, signs, too long, not a character.
        for text in [
            "R&D; costs",
            "Fish &chips",
            "&#-39;",
            "&#+39;",
            "&#x;",
            "&#;",
            "&#1234567890123;",
            "&#xD800;",
            "&notaname;",
            "&amp",
        ] {
            assert_eq!(with_references_decoded(text), text);
            assert!(!has_reference(text), "{text}");
        }
        assert_eq!(
            with_references_decoded("&amp;amp; &#233;t&eacute;"),
            "&amp; été"
        );
        assert_eq!(with_references_decoded("a &&amp; b"), "a && b");
    }

    #[test]
    fn html_tags_are_folded() {
        let rendered = "\u{201c}Every dive is new,\u{201d} said scientist Beth Orcutt, who led it.";
        for source in [
            "<p>&ldquo;Every dive is new,&rdquo; said scientist <a href=\"/people/b-o\">Beth Orcutt</a>, who led it.</p>",
            "\"Every dive is <em>new</em>,\" said <SPAN class=\"x\">scientist</SPAN> Beth Orcutt, who led it.<br/>",
        ] {
            assert_eq!(key(source), key(rendered), "{source}");
        }
        // Block tags separate words; inline ones do not.
        assert_eq!(norm("one<br>two<li>three"), "one two three");
        assert_eq!(norm("un<b>breakable</b> <i>words</i>"), "unbreakable words");
        // Not tags: comparisons, unknown names, no closing bracket; a decoded reference.
        for text in ["a < b and c > d", "x <blink>y", "see <a href", "<3 and <>"] {
            assert!(!has_tag(text), "{text}");
            assert_eq!(without_tags(text), text);
        }
        assert_eq!(norm("&lt;b&gt;bold"), "<b>bold");
    }

    #[test]
    fn windows_1252_mojibake_is_folded() {
        for (garbled, clean) in [
            (
                "VatnajÃ¶kull is Europeâ€™s largest",
                "Vatnajökull is Europe’s largest",
            ),
            (
                "losing ice â€œfaster than everâ€\u{fffd} now",
                "losing ice “faster than ever” now",
            ),
            (
                "It cost Â£5 â€“ or 6 â‚¬ in Ã‰vian",
                "It cost £5 – or 6 € in Évian",
            ),
            ("ÐœÐ¾Ñ\u{81}ÐºÐ²Ð° said", "Москва said"),
        ] {
            assert_eq!(norm(garbled), norm(clean), "{garbled}");
        }
        // Clean Latin-1 text stays: no lead character, or none followed by continuation bytes.
        for text in ["São Paulo, Zürich, Ærø", "NÃO", "a Ã", "Ã\u{fffd}"] {
            assert!(!has_mojibake(text), "{text}");
        }
    }

    #[test]
    fn punctuation_only_has_no_key() {
        assert_eq!(key("…"), None);
        assert_eq!(key(" — "), None);
        assert!(key("1.").is_some());
    }

    #[test]
    fn chars_counts_normalized_length() {
        assert_eq!(key("Abc  def.").map(|k| k.chars.get()), Some(7));
        // Wide characters count two: five ideographs and a full stop dropped.
        assert_eq!(key("東京で大雨。").map(|k| k.chars.get()), Some(10));
        assert_eq!(key("서울에 폭우").map(|k| k.chars.get()), Some(11));
        assert_eq!(std::mem::size_of::<Option<Key>>(), 16);
    }
}
