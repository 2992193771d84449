//! The article model: lines (paragraphs) and sentences, each with its byte span in the input.
//!
//! A line is a paragraph. Sentences come from unicode-segmentation's UAX #29 sentence bounds,
//! corrected so that abbreviations and initials ("Mr. Smith", "U.S. Senate", "J. K. Rowling",
//! "No. 10") do not end a sentence. CJK full stops (。！？) already end a sentence under UAX #29.

use std::sync::OnceLock;
use unicode_segmentation::UnicodeSegmentation;

/// What a line is, before any repeat detection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineKind {
    /// Empty, or only white space and invisible characters: layout, always kept.
    Blank,
    /// A separator such as `___` or `* * *`: layout, always kept.
    Layout,
    /// Site furniture, removed.
    Boilerplate,
    /// A paragraph of text, split into sentences.
    Text,
}

/// One line of the input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    /// Byte offset of the first byte of the line.
    pub start: usize,
    /// Byte offset just past the content (before `\r\n` or `\n`).
    pub end: usize,
    /// Byte offset just past the line terminator (equal to `end` on a last line without one).
    pub next: usize,
    pub kind: LineKind,
}

impl Line {
    /// The line terminator bytes (`"\n"`, `"\r\n"` or `""`).
    pub fn terminator<'a>(&self, text: &'a str) -> &'a str {
        &text[self.end..self.next]
    }
}

/// One sentence: a trimmed byte span inside one line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sentence {
    pub start: usize,
    pub end: usize,
    /// Index of the line holding the sentence.
    pub line: u32,
}

/// Splits `text` into lines. A line ends at `\n`; a `\r` right before it belongs to the
/// terminator. A final line without terminator is a line too; an empty text has no lines.
pub fn split_lines(text: &str) -> Vec<Line> {
    let bytes = text.as_bytes();
    let mut lines = Vec::with_capacity(bytes.len() / 64 + 1);
    let mut start = 0;
    for nl in memchr::memchr_iter(b'\n', bytes) {
        let end = if nl > start && bytes[nl - 1] == b'\r' {
            nl - 1
        } else {
            nl
        };
        lines.push(Line {
            start,
            end,
            next: nl + 1,
            kind: classify_layout(&text[start..end]),
        });
        start = nl + 1;
    }
    if start < bytes.len() {
        lines.push(Line {
            start,
            end: bytes.len(),
            next: bytes.len(),
            kind: classify_layout(&text[start..]),
        });
    }
    lines
}

/// Characters that take no room on screen: they make a line blank, and are ignored in keys.
pub fn is_invisible(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{00AD}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}'
        )
}

/// Characters that separator lines (`___`, `* * *`, `-----`) are made of.
fn is_separator_char(c: char) -> bool {
    matches!(
        c,
        '_' | '-'
            | '='
            | '*'
            | '~'
            | '#'
            | '+'
            | '•'
            | '·'
            | '—'
            | '–'
            | '─'
            | '━'
            | '═'
            | '◆'
            | '◇'
            | '■'
            | '□'
            | '●'
            | '○'
            | '⁂'
            | '❖'
            | '§'
    )
}

fn classify_layout(line: &str) -> LineKind {
    let mut visible = false;
    let mut separator_only = true;
    for c in line.chars() {
        if is_invisible(c) {
            continue;
        }
        visible = true;
        if !is_separator_char(c) {
            separator_only = false;
            break;
        }
    }
    match (visible, separator_only) {
        (false, _) => LineKind::Blank,
        (true, true) => LineKind::Layout,
        _ => LineKind::Text,
    }
}

/// Calls `emit(start, end)` for each sentence of `line`, with offsets relative to `line` and
/// trimmed of white space and invisible characters on both sides.
pub fn split_sentences(line: &str, mut emit: impl FnMut(usize, usize)) {
    let mut fragments = line.split_sentence_bound_indices().peekable();
    let mut pending: Option<usize> = None;
    while let Some((offset, fragment)) = fragments.next() {
        let trimmed = fragment.trim_end_matches(is_invisible);
        if trimmed.is_empty() {
            continue;
        }
        let start = match pending {
            Some(start) => start,
            None => offset + (trimmed.len() - trimmed.trim_start_matches(is_invisible).len()),
        };
        let end = offset + trimmed.len();
        if let Some(&(_, next)) = fragments.peek()
            && ends_in_abbreviation(trimmed, next)
        {
            pending = Some(start);
            continue;
        }
        pending = None;
        emit(start, end);
    }
    if let Some(start) = pending {
        // Only reachable when the last fragments were blank: close what is open.
        let end = line.trim_end_matches(is_invisible).len();
        if end > start {
            emit(start, end);
        }
    }
}

/// Whether the sentence candidate `fragment` ends in a word whose period does not end a
/// sentence, given the `next` fragment.
fn ends_in_abbreviation(fragment: &str, next: &str) -> bool {
    let Some(body) = fragment.strip_suffix('.') else {
        return false;
    };
    let word_start = body
        .rfind(|c: char| is_invisible(c) || matches!(c, '(' | '[' | '"' | '“' | '‘' | '\''))
        .map_or(0, |i| {
            i + body[i..].chars().next().map_or(1, char::len_utf8)
        });
    let word = &body[word_start..];
    if word.is_empty() || word.len() > 12 {
        return false;
    }
    // An initial: "J. K. Rowling".
    let mut chars = word.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        return c.is_uppercase();
    }
    // A dotted acronym: "U.S.", "a.m.", "D.C.".
    if word.contains('.')
        && word
            .split('.')
            .all(|part| part.chars().count() == 1 && part.chars().all(char::is_alphabetic))
    {
        return true;
    }
    if !word.is_ascii() {
        return false;
    }
    let mut lower = [0u8; 12];
    let lower = &mut lower[..word.len()];
    lower.copy_from_slice(word.as_bytes());
    lower.make_ascii_lowercase();
    let Ok(lower) = std::str::from_utf8(lower) else {
        return false;
    };
    if abbreviations().binary_search(&lower).is_ok() {
        return true;
    }
    number_abbreviations().binary_search(&lower).is_ok()
        && next
            .trim_start_matches(is_invisible)
            .starts_with(|c: char| c.is_ascii_digit())
}

fn parse_word_list(data: &'static str) -> Vec<&'static str> {
    let mut words: Vec<&str> = data
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    words.sort_unstable();
    words.dedup();
    words
}

fn abbreviations() -> &'static [&'static str] {
    static LIST: OnceLock<Vec<&'static str>> = OnceLock::new();
    LIST.get_or_init(|| parse_word_list(include_str!("../data/abbreviations.txt")))
}

fn number_abbreviations() -> &'static [&'static str] {
    static LIST: OnceLock<Vec<&'static str>> = OnceLock::new();
    LIST.get_or_init(|| parse_word_list(include_str!("../data/number-abbreviations.txt")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentences(line: &str) -> Vec<&str> {
        let mut out = Vec::new();
        split_sentences(line, |s, e| out.push(&line[s..e]));
        out
    }

    #[test]
    fn plain_sentences() {
        assert_eq!(
            sentences("One sentence here. Another one! A third? "),
            ["One sentence here.", "Another one!", "A third?"]
        );
    }

    #[test]
    fn abbreviations_do_not_end_sentences() {
        assert_eq!(
            sentences("Mr. Smith went to the U.S. Senate. He spoke."),
            ["Mr. Smith went to the U.S. Senate.", "He spoke."]
        );
        assert_eq!(
            sentences("On Dec. 18 President Obama spoke. Gov. Brown and St. Louis Inc. agreed."),
            [
                "On Dec. 18 President Obama spoke.",
                "Gov. Brown and St. Louis Inc. agreed."
            ]
        );
        assert_eq!(
            sentences("J. K. Rowling lives at No. 10 now. She said no. Then left."),
            [
                "J. K. Rowling lives at No. 10 now.",
                "She said no.",
                "Then left."
            ]
        );
    }

    #[test]
    fn cjk_full_stops_end_sentences() {
        assert_eq!(
            sentences("你好。我很好！真的？是的。"),
            ["你好。", "我很好！", "真的？", "是的。"]
        );
    }

    #[test]
    fn spans_are_trimmed() {
        let line = "\u{feff}  Leading space.\tTrailing space.  ";
        assert_eq!(sentences(line), ["Leading space.", "Trailing space."]);
    }

    #[test]
    fn lines_and_terminators() {
        let text = "a\r\n\nb\n___\nc";
        let lines = split_lines(text);
        let kinds: Vec<_> = lines.iter().map(|l| l.kind).collect();
        assert_eq!(
            kinds,
            [
                LineKind::Text,
                LineKind::Blank,
                LineKind::Text,
                LineKind::Layout,
                LineKind::Text
            ]
        );
        assert_eq!(lines[0].terminator(text), "\r\n");
        assert_eq!(lines[4].terminator(text), "");
        assert_eq!(&text[lines[4].start..lines[4].end], "c");
        assert!(split_lines("").is_empty());
    }

    #[test]
    fn invisible_lines_are_blank() {
        assert_eq!(split_lines("\u{200b}\u{a0} \t")[0].kind, LineKind::Blank);
        assert_eq!(split_lines("* * *")[0].kind, LineKind::Layout);
        assert_eq!(split_lines("…")[0].kind, LineKind::Text);
    }
}
