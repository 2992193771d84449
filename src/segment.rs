//! The article model: lines (paragraphs) and sentences, each with its byte span in the input.
//!
//! A line is a paragraph. Sentences come from unicode-segmentation's UAX #29 sentence bounds,
//! corrected so that abbreviations and initials ("Mr. Smith", "U.S. Senate", "J. K. Rowling",
//! "No. 10") do not end a sentence. CJK full stops (。！？) already end a sentence under UAX #29.

use crate::normalize::{Key, Normalizer};
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

/// Whether `text` ends in a full stop (closing quotes, brackets and spaces aside), not an
/// ellipsis: a sentence's end, where a headline or a teaser title has none.
pub(crate) fn ends_in_full_stop(text: &str) -> bool {
    let end = text.trim_end_matches(['"', '”', '’', '\'', ')', ' ']);
    end.ends_with('.') && !end.ends_with("...")
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

/// The sentences of an article's text lines and their normalized keys, in line order.
pub(crate) struct Split {
    /// Sentences of line `i`: `sentences[line_sentences[i]..line_sentences[i + 1]]`.
    pub line_sentences: Vec<u32>,
    pub sentences: Vec<Sentence>,
    pub keys: Vec<Option<Key>>,
}

/// An article smaller than this is split on the calling thread: below it, handing work to
/// other threads costs more than it saves (and batches already clean files in parallel).
const PARALLEL_MIN_BYTES: usize = 1 << 20;
/// Bytes of text per parallel work unit.
const CHUNK_BYTES: usize = 1 << 18;

/// Splits the [`LineKind::Text`] lines of `text` into sentences and computes their keys. A
/// large article is cut into chunks of lines handled on rayon's current pool; every sentence
/// and key depends only on its own line, so the result is the same for any thread count.
pub(crate) fn split_article(text: &str, lines: &[Line]) -> Split {
    if text.len() < PARALLEL_MIN_BYTES || rayon::current_num_threads() < 2 {
        return split_chunk(text, lines);
    }
    use rayon::prelude::*;
    let mut bounds = vec![0];
    let mut chunk_start = 0;
    for (i, line) in lines.iter().enumerate() {
        if line.next - chunk_start >= CHUNK_BYTES {
            bounds.push(i + 1);
            chunk_start = line.next;
        }
    }
    if *bounds.last().unwrap_or(&0) != lines.len() {
        bounds.push(lines.len());
    }
    // Sentences per chunk of lines, then their keys over the joined list (so that the keys,
    // collected in order, are written straight into one vector rather than copied from chunks).
    let chunks: Vec<(Vec<u32>, Vec<Sentence>)> = bounds
        .par_windows(2)
        .map(|w| sentences_of(text, &lines[w[0]..w[1]], w[0]))
        .collect();
    let total: usize = chunks.iter().map(|c| c.1.len()).sum();
    let mut line_sentences = Vec::with_capacity(lines.len() + 1);
    let mut sentences = Vec::with_capacity(total);
    for (per_line, chunk) in chunks {
        let base = sentences.len() as u32;
        line_sentences.extend(per_line[..per_line.len() - 1].iter().map(|&s| base + s));
        sentences.extend_from_slice(&chunk);
    }
    line_sentences.push(sentences.len() as u32);
    let keys = sentences
        .par_iter()
        .with_min_len(4096)
        .map_init(Normalizer::new, |normalizer, s| {
            normalizer.key(&text[s.start..s.end])
        })
        .collect();
    Split {
        line_sentences,
        sentences,
        keys,
    }
}

/// The sentences of the lines `lines` (the first of which is line `first` of the article), and
/// where each line's sentences start in them (with their end after the last line).
fn sentences_of(text: &str, lines: &[Line], first: usize) -> (Vec<u32>, Vec<Sentence>) {
    let mut sentences = Vec::with_capacity(lines.len() * 3);
    let mut line_sentences = Vec::with_capacity(lines.len() + 1);
    for (i, line) in lines.iter().enumerate() {
        line_sentences.push(sentences.len() as u32);
        if line.kind != LineKind::Text {
            continue;
        }
        let base = line.start;
        split_sentences(&text[line.start..line.end], |start, end| {
            sentences.push(Sentence {
                start: base + start,
                end: base + end,
                line: (first + i) as u32,
            })
        });
    }
    line_sentences.push(sentences.len() as u32);
    (line_sentences, sentences)
}

/// [`split_article`] on the calling thread.
fn split_chunk(text: &str, lines: &[Line]) -> Split {
    let (line_sentences, sentences) = sentences_of(text, lines, 0);
    let mut normalizer = Normalizer::new();
    let keys = sentences
        .iter()
        .map(|s| normalizer.key(&text[s.start..s.end]))
        .collect();
    Split {
        line_sentences,
        sentences,
        keys,
    }
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
///
/// The sentence bounds are those of unicode-segmentation (see [`split_sentences_reference`]).
/// A line made only of characters whose sentence-break category is known here (ASCII, Latin-1
/// and Latin Extended-A letters, Cyrillic, CJK ideographs, common quotes, dashes and CJK
/// punctuation) takes a fast path that gives the same bounds; any other line goes to
/// unicode-segmentation. `tests/segment_equivalence.rs` checks that both agree.
pub fn split_sentences(line: &str, emit: impl FnMut(usize, usize)) {
    // Most lines hold no `&`: they skip the search for quotation marks written as references.
    let references = memchr::memchr(b'&', line.as_bytes()).is_some();
    match FastBreaks::new(line) {
        Some(breaks) => correct_abbreviations(
            line,
            split_within(fragments(line, breaks), references),
            emit,
        ),
        None => correct_abbreviations(
            line,
            split_within(line.split_sentence_bound_indices(), references),
            emit,
        ),
    }
}

/// [`split_sentences`] with every line going through unicode-segmentation: the reference the
/// fast path is tested against.
pub fn split_sentences_reference(line: &str, emit: impl FnMut(usize, usize)) {
    correct_abbreviations(
        line,
        split_within(line.split_sentence_bound_indices(), true),
        emit,
    )
}

/// Splits UAX #29 fragments where a sentence ends inside one (see [`quote_reference_break`],
/// looked for only when `references`, and [`glued_break`]).
fn split_within<'a>(
    mut fragments: impl Iterator<Item = (usize, &'a str)>,
    references: bool,
) -> impl Iterator<Item = (usize, &'a str)> {
    let mut rest: Option<(usize, &'a str)> = None;
    // The next glued and quote-reference breaks in `rest` (offsets in the line; `Some(None)`
    // when there is none, `None` while still to be looked for). Only the one a split used is
    // looked for again: a line of many splits is walked once.
    let mut glued: Option<Option<usize>> = None;
    let mut quote: Option<Option<usize>> = None;
    std::iter::from_fn(move || {
        let (offset, fragment) = match rest.take() {
            Some(piece) => piece,
            None => {
                (glued, quote) = (None, None);
                fragments.next()?
            }
        };
        let g = *glued.get_or_insert_with(|| glued_break(fragment).map(|at| offset + at));
        let q = *quote.get_or_insert_with(|| {
            references
                .then(|| quote_reference_break(fragment).map(|at| offset + at))
                .flatten()
        });
        let at = match (g, q) {
            (Some(a), Some(b)) => a.min(b),
            (Some(a), None) | (None, Some(a)) => a,
            (None, None) => return Some((offset, fragment)),
        };
        if g == Some(at) {
            glued = None;
        } else {
            quote = None;
        }
        let cut = at - offset;
        rest = Some((at, &fragment[cut..]));
        Some((offset, &fragment[..cut]))
    })
}

/// The first position in `fragment` where two sentences are glued together without a space:
/// `repairs.Officials said`, a paragraph end joined to the next paragraph by a scraper that
/// dropped the line break. UAX #29 (SB7) keeps a letter, a full stop and a capital together,
/// as in "U.S.A", so the split is made here, after the full stop, when the word before it is
/// two or more letters that end in a lower-case one and are not an abbreviation ("Mr.Smith",
/// "St.Louis"), the word stands alone (not "e.g.", "news.bbc"), and the word after it
/// is capitalized ("Officials", or "A" / "I" before a space; not "NET" or "iPhone").
fn glued_break(fragment: &str) -> Option<usize> {
    memchr::memchr_iter(b'.', fragment.as_bytes()).find_map(|at| {
        let rest = &fragment[at + 1..];
        let mut after = rest.chars();
        let first = after.next()?;
        let second = after.next();
        let capitalized = first.is_uppercase()
            && (second.is_some_and(char::is_lowercase)
                || (matches!(first, 'A' | 'I') && second == Some(' ')));
        if !capitalized {
            return None;
        }
        let before = &fragment[..at];
        let in_word = |c: char| c.is_alphabetic() || matches!(c, '-' | '\'' | '’');
        let word_start = before
            .char_indices()
            .rev()
            .find(|&(_, c)| !in_word(c))
            .map_or(0, |(i, c)| i + c.len_utf8());
        if let Some(c) = before[..word_start].chars().next_back()
            && !(c.is_whitespace() || matches!(c, '(' | '[' | '"' | '“' | '‘' | '\'' | '«' | '‹'))
        {
            return None;
        }
        let word = &before[word_start..];
        let letters_ok = word.chars().next_back().is_some_and(char::is_lowercase)
            && word.chars().filter(|c| c.is_alphabetic()).nth(1).is_some();
        (letters_ok && !ends_in_abbreviation(&fragment[..=at], rest)).then_some(at + 1)
    })
}

/// The first position in `fragment` of an HTML reference to an opening quotation mark that
/// follows a sentence's end and space and precedes a capital letter. In `road. &quot;People`
/// the letters of `quot` read as a lower-case word going on (no break), where the quotation
/// mark itself, `road. "People`, starts a sentence; the split goes where the mark would have
/// put it: before the reference.
fn quote_reference_break(fragment: &str) -> Option<usize> {
    memchr::memchr_iter(b'&', fragment.as_bytes()).find(|&at| {
        let before = &fragment[..at];
        let ended = before.len() > before.trim_end_matches(' ').len()
            && before.trim_end_matches(' ').ends_with(['.', '!', '?']);
        ended
            && crate::normalize::reference(&fragment[at..]).is_some_and(|(c, len)| {
                matches!(c, '"' | '\'' | '“' | '‘' | '«')
                    && fragment[at + len..].starts_with(char::is_uppercase)
            })
    })
}

/// Joins the UAX #29 fragments `(offset, fragment)` of `line` where a fragment ends in an
/// abbreviation or is the list number that opens the line ("1. Ride tram 28 early."), and emits
/// the trimmed sentences.
fn correct_abbreviations<'a>(
    line: &'a str,
    fragments: impl Iterator<Item = (usize, &'a str)>,
    mut emit: impl FnMut(usize, usize),
) {
    let mut fragments = fragments.peekable();
    let mut pending: Option<usize> = None;
    let mut line_start = true;
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
        let opens_list =
            std::mem::replace(&mut line_start, false) && is_list_number(&line[start..end]);
        if let Some(&(_, next)) = fragments.peek()
            && (opens_list || ends_in_abbreviation(trimmed, next))
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

/// The fragments between consecutive break positions (the first break is 0, the last the
/// length of the line), as `(offset, fragment)` like `split_sentence_bound_indices`.
fn fragments(
    line: &str,
    mut breaks: impl Iterator<Item = usize>,
) -> impl Iterator<Item = (usize, &str)> {
    let mut start = breaks.next();
    std::iter::from_fn(move || {
        let from = start?;
        let to = breaks.next()?;
        start = Some(to);
        Some((from, &line[from..to]))
    })
}

/// Sentence-break categories of UAX #29, for the characters the fast path knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Cat {
    Other,
    Sp,
    Close,
    ATerm,
    STerm,
    SContinue,
    Numeric,
    Upper,
    Lower,
    OLetter,
    /// Not handled by the fast path: CR, LF, Sep, Extend, Format, and every character outside
    /// the ranges below (the line then goes to unicode-segmentation).
    Unknown,
}

const fn ascii_cat(b: u8) -> Cat {
    match b {
        b'\t' | 0x0b | 0x0c | b' ' => Cat::Sp,
        b'\r' | b'\n' => Cat::Unknown,
        b'"' | b'\'' | b'(' | b')' | b'[' | b']' | b'{' | b'}' => Cat::Close,
        b'.' => Cat::ATerm,
        b'!' | b'?' => Cat::STerm,
        b',' | b'-' | b':' | b';' => Cat::SContinue,
        b'0'..=b'9' => Cat::Numeric,
        b'A'..=b'Z' => Cat::Upper,
        b'a'..=b'z' => Cat::Lower,
        0x80..=0xff => Cat::Unknown,
        _ => Cat::Other,
    }
}

static ASCII_CATS: [Cat; 256] = {
    let mut table = [Cat::Unknown; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = ascii_cat(b as u8);
        b += 1;
    }
    table
};

/// The category of `c`, as the tables of unicode-segmentation (Unicode 17) give it, for the
/// ranges listed; `Unknown` elsewhere. Checked character by character against
/// unicode-segmentation in `tests/segment_equivalence.rs`.
fn cat(c: char) -> Cat {
    let u = c as u32;
    if u < 0x80 {
        return ASCII_CATS[u as usize];
    }
    match u {
        0xa0 => Cat::Sp,
        0xaa | 0xb5 | 0xba => Cat::Lower,
        0xab | 0xbb => Cat::Close,
        0xad => Cat::Unknown, // soft hyphen: Format
        0xa1..=0xbf => Cat::Other,
        0xc0..=0xd6 | 0xd8..=0xde => Cat::Upper,
        0xd7 | 0xf7 => Cat::Other,
        0xdf..=0xff => Cat::Lower,
        // Latin Extended-A: every character is an upper- or lowercase letter.
        0x100..=0x17f if c.is_uppercase() => Cat::Upper,
        0x100..=0x17f if c.is_lowercase() => Cat::Lower,
        0x400..=0x42f => Cat::Upper,
        0x430..=0x45f => Cat::Lower,
        0x2010..=0x2012 | 0x2015..=0x2017 | 0x2020..=0x2023 | 0x2025..=0x2027 => Cat::Other,
        0x2013..=0x2014 => Cat::SContinue,
        0x2018..=0x201f => Cat::Close,
        0x3001 => Cat::SContinue,
        0x3002 => Cat::STerm,
        0x3008..=0x3011 => Cat::Close,
        0x4e00..=0x9fff => Cat::OLetter,
        0xff01 | 0xff1f => Cat::STerm,
        0xff08..=0xff09 => Cat::Close,
        0xff0c | 0xff1a..=0xff1b => Cat::SContinue,
        0xff0e => Cat::ATerm,
        0xff10..=0xff19 => Cat::Numeric,
        _ => Cat::Unknown,
    }
}

/// One element of the sentence-break state: a character's category, with runs of Close and
/// of Sp collapsed into one element, as unicode-segmentation keeps it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Part {
    Sot,
    Other,
    Letter,
    Close,
    Sp,
    ATerm,
    STerm,
}

fn part(c: Cat) -> Part {
    match c {
        Cat::Sp => Part::Sp,
        Cat::Close => Part::Close,
        Cat::ATerm => Part::ATerm,
        Cat::STerm => Part::STerm,
        Cat::Upper | Cat::Lower => Part::Letter,
        _ => Part::Other,
    }
}

/// The last four state elements, oldest first.
#[derive(Clone, Copy, Debug)]
struct State([Part; 4]);

impl State {
    fn push(&mut self, c: Cat) {
        let p = part(c);
        let last = self.0[3];
        if p == last && matches!(p, Part::Close | Part::Sp) {
            return;
        }
        self.0 = [self.0[1], self.0[2], self.0[3], p];
    }

    /// The element before a trailing Sp (if `skip_sp`) and Close, where a terminator would be.
    fn terminator(&self, skip_sp: bool) -> Part {
        let mut i = 3;
        if skip_sp && self.0[i] == Part::Sp {
            i -= 1;
        }
        if self.0[i] == Part::Close {
            i -= 1;
        }
        self.0[i]
    }

    /// `SATerm Close* Sp*` ends the state: a break may follow. Without it no break can come
    /// before the next terminator (the lines here hold no CR, LF or Sep).
    fn open(&self) -> bool {
        matches!(self.terminator(true), Part::ATerm | Part::STerm)
    }
}

/// The UAX #29 sentence breaks of a line, computed as unicode-segmentation computes them, for
/// lines whose characters all have a known category. Between a character that closes the
/// `SATerm Close* Sp*` pattern and the next terminator there is no break: those stretches are
/// skipped with memchr.
struct FastBreaks<'a> {
    line: &'a str,
    ascii: bool,
    /// Next character to look at.
    pos: usize,
    state: State,
    /// SB8's look-ahead result for the positions `sb8_from..=sb8_to`.
    sb8_from: usize,
    sb8_to: usize,
    sb8_lower: bool,
    /// 0: the start break is still to come; 1: inside; 2: done.
    phase: u8,
}

impl<'a> FastBreaks<'a> {
    /// `None` when the line holds a character the fast path does not know.
    fn new(line: &'a str) -> Option<Self> {
        let bytes = line.as_bytes();
        let ascii = bytes.is_ascii();
        if ascii {
            if memchr::memchr2(b'\r', b'\n', bytes).is_some() {
                return None;
            }
        } else if line.chars().any(|c| cat(c) == Cat::Unknown) {
            return None;
        }
        Some(FastBreaks {
            line,
            ascii,
            pos: 0,
            state: State([Part::Sot; 4]),
            sb8_from: 1,
            sb8_to: 0,
            sb8_lower: false,
            phase: if line.is_empty() { 2 } else { 0 },
        })
    }

    fn char_at(&self, pos: usize) -> (Cat, usize) {
        let b = self.line.as_bytes()[pos];
        if b < 0x80 {
            return (ASCII_CATS[b as usize], 1);
        }
        let c = self.line[pos..].chars().next().unwrap_or(' ');
        (cat(c), c.len_utf8())
    }

    fn cat_before(&self, pos: usize) -> Cat {
        match self.line[..pos].chars().next_back() {
            Some(c) => cat(c),
            None => Cat::Unknown,
        }
    }

    /// The next terminator (ATerm or STerm) at or after `from`.
    fn next_terminator(&self, from: usize) -> Option<usize> {
        let bytes = &self.line.as_bytes()[from..];
        if self.ascii {
            return memchr::memchr3(b'.', b'!', b'?', bytes).map(|i| from + i);
        }
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'.' | b'!' | b'?' => return Some(from + i),
                // Lead bytes of 。(E3 80 82) and of ！．？(EF BC ..).
                0xe3 | 0xef => {
                    let (c, len) = self.char_at(from + i);
                    if matches!(c, Cat::ATerm | Cat::STerm) {
                        return Some(from + i);
                    }
                    i += len;
                }
                _ => i += 1,
            }
        }
        None
    }

    /// SB8: `ATerm Close* Sp* × ( ¬(OLetter | Upper | Lower | ParaSep | SATerm) )* Lower`,
    /// the look-ahead part, from `pos`.
    fn lower_follows(&mut self, pos: usize) -> bool {
        if (self.sb8_from..=self.sb8_to).contains(&pos) {
            return self.sb8_lower;
        }
        let mut i = pos;
        let lower = loop {
            if i >= self.line.len() {
                break false;
            }
            let (c, len) = self.char_at(i);
            match c {
                Cat::Lower => break true,
                Cat::OLetter | Cat::Upper | Cat::ATerm | Cat::STerm | Cat::Unknown => break false,
                _ => i += len,
            }
        };
        // Every position up to the deciding character skips the same characters to it.
        self.sb8_from = pos;
        self.sb8_to = i;
        self.sb8_lower = lower;
        lower
    }

    /// Whether there is a break before the character of category `c` at `pos`, given the state
    /// before it (SB6 to SB11; SB1 to SB5 cannot apply here).
    fn breaks_before(&mut self, c: Cat, pos: usize) -> bool {
        let s = self.state;
        if !s.open() {
            return false;
        }
        let aterm = s.0[3] == Part::ATerm;
        if c == Cat::Numeric && aterm {
            return false; // SB6
        }
        if c == Cat::Upper && aterm && s.0[2] == Part::Letter {
            return false; // SB7
        }
        if s.terminator(true) == Part::ATerm && self.lower_follows(pos) {
            return false; // SB8
        }
        if matches!(c, Cat::SContinue | Cat::STerm | Cat::ATerm) {
            return false; // SB8a
        }
        if c == Cat::Close && matches!(s.terminator(false), Part::ATerm | Part::STerm) {
            return false; // SB9
        }
        if c == Cat::Sp {
            return false; // SB9, SB10
        }
        true // SB11
    }
}

impl Iterator for FastBreaks<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        match self.phase {
            0 => {
                // SB1: a break at the start; the first character only enters the state.
                self.phase = 1;
                let (c, len) = self.char_at(0);
                self.state.push(c);
                self.pos = len;
                return Some(0);
            }
            1 => {}
            _ => return None,
        }
        let len = self.line.len();
        while self.pos < len {
            if !self.state.open() {
                // No break before the next terminator: jump to it. Only the element before
                // it matters from here on (SB7), so the older ones can be anything neutral.
                let Some(t) = self.next_terminator(self.pos) else {
                    break;
                };
                self.state = State([Part::Other, Part::Other, Part::Other, Part::Other]);
                self.state.push(self.cat_before(t));
                self.pos = t;
            }
            let pos = self.pos;
            let (c, clen) = self.char_at(pos);
            let brk = self.breaks_before(c, pos);
            self.state.push(c);
            self.pos += clen;
            if brk {
                return Some(pos);
            }
        }
        // SB2: a break at the end.
        self.phase = 2;
        Some(len)
    }
}

/// Whether `text` is a list item's number: one to three digits and a period ("1.", "12.").
fn is_list_number(text: &str) -> bool {
    text.strip_suffix('.')
        .is_some_and(|n| (1..=3).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Whether the sentence candidate `fragment` ends in a word whose period does not end a
/// sentence, given the `next` fragment.
fn ends_in_abbreviation(fragment: &str, next: &str) -> bool {
    let Some(body) = fragment.strip_suffix('.') else {
        return false;
    };
    let word_start = body
        .rfind(|c: char| {
            is_invisible(c) || matches!(c, '(' | '[' | '"' | '“' | '‘' | '\'' | '«' | '‹')
        })
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
    let key = packed(word);
    if abbreviations().binary_search(&key).is_ok() {
        return true;
    }
    number_abbreviations().binary_search(&key).is_ok()
        && next
            .trim_start_matches(is_invisible)
            .starts_with(|c: char| c.is_ascii_digit())
}

/// A word of at most 12 ASCII bytes, lower-cased, with its length in the last byte, as one
/// integer (the length keeps "mr" and "mr\0" apart), for lookups without string comparisons.
fn packed(word: &str) -> u128 {
    let mut bytes = [0u8; 16];
    for (b, c) in bytes[..12].iter_mut().zip(word.bytes()) {
        *b = c.to_ascii_lowercase();
    }
    bytes[15] = word.len().min(255) as u8;
    u128::from_be_bytes(bytes)
}

/// The words of a word-list data file: its lines, trimmed, less blank ones and `#` comments.
pub(crate) fn listed_words(data: &'static str) -> impl Iterator<Item = &'static str> {
    data.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

fn parse_word_list(data: &'static str) -> Vec<&'static str> {
    let mut words: Vec<&str> = listed_words(data).collect();
    words.sort_unstable();
    words.dedup();
    words
}

fn packed_list(data: &'static str) -> Vec<u128> {
    let words = parse_word_list(data);
    assert!(
        words.iter().all(|w| w.len() <= 12 && w.is_ascii()),
        "abbreviation lists hold ASCII words of at most 12 bytes"
    );
    let mut keys: Vec<u128> = words.iter().map(|w| packed(w)).collect();
    keys.sort_unstable();
    keys
}

fn abbreviations() -> &'static [u128] {
    static LIST: OnceLock<Vec<u128>> = OnceLock::new();
    LIST.get_or_init(|| packed_list(include_str!("../data/abbreviations.txt")))
}

fn number_abbreviations() -> &'static [u128] {
    static LIST: OnceLock<Vec<u128>> = OnceLock::new();
    LIST.get_or_init(|| packed_list(include_str!("../data/number-abbreviations.txt")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abbreviation_lists_load_and_match_case_insensitively() {
        assert!(abbreviations().len() > 50 && number_abbreviations().len() > 5);
        assert!(ends_in_abbreviation("Mr.", " Smith"));
        assert!(ends_in_abbreviation("said GOV.", " Brown"));
        assert!(!ends_in_abbreviation("said gove.", " Brown"));
        assert!(ends_in_abbreviation("at No.", " 10"));
        assert!(!ends_in_abbreviation("the answer was no.", " Then"));
        // A NUL is part of the word (JSON Lines can carry one): "Mr\0" is not "Mr".
        assert!(!ends_in_abbreviation("Mr\0.", " Smith"));
    }

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
    fn a_list_number_opening_the_line_starts_its_item() {
        assert_eq!(
            sentences("1. Ride tram 28 early. Board before nine."),
            ["1. Ride tram 28 early.", "Board before nine."]
        );
        assert_eq!(sentences("  12. Take the ferry."), ["12. Take the ferry."]);
        // Only at the start of the line, and not a year or a lone number.
        assert_eq!(
            sentences("It rose 2. Then 3. Fell."),
            ["It rose 2.", "Then 3.", "Fell."]
        );
        assert_eq!(
            sentences("1999. The year it began."),
            ["1999.", "The year it began."]
        );
        assert_eq!(sentences("7."), ["7."]);
    }

    #[test]
    fn a_quotation_mark_written_as_a_reference_starts_a_sentence() {
        // As the mark itself would: `road. "People` breaks before the mark.
        for (line, marked) in [
            (
                "across the road. &quot;People don't believe it.&quot;",
                "across the road. \"People don't believe it.\"",
            ),
            (
                "It fell. &#8220;Nobody saw it,&#8221; she said.",
                "It fell. “Nobody saw it,” she said.",
            ),
            (
                "He left! &#39;Nobody knows,&#39; she said.",
                "He left! 'Nobody knows,' she said.",
            ),
        ] {
            let (a, b) = (sentences(line), sentences(marked));
            assert_eq!(a.len(), 2, "{a:?}");
            assert_eq!(a.len(), b.len(), "{b:?}");
        }
        // Not after a sentence's end, not before a capital, not a quotation mark, an
        // abbreviation: one sentence.
        for line in [
            "the so-called &quot;People's Plan&quot; was dropped.",
            "It fell. &quot;nobody&quot; was hurt.",
            "It fell. &amp; Co. was hurt.",
            "Dr. &quot;Smith&quot; was not a doctor at all.",
        ] {
            assert_eq!(sentences(line).len(), 1, "{line}: {:?}", sentences(line));
        }
    }

    #[test]
    fn sentences_glued_without_a_space_are_split() {
        assert_eq!(
            sentences("Lava rose 100 meters, officials said.The town was evacuated.A new one."),
            [
                "Lava rose 100 meters, officials said.",
                "The town was evacuated.",
                "A new one."
            ]
        );
        assert_eq!(
            sentences("Die Stadt wurde geräumt.Überall lag Asche."),
            ["Die Stadt wurde geräumt.", "Überall lag Asche."]
        );
        // Not an abbreviation, an initial, a dotted or domain word, a capital before the stop,
        // or a word after it that is not capitalized.
        for line in [
            "Mr.Smith and St.Louis met Gov.Brown.",
            "Il a rencontré «Mr.Smith à Paris.",
            "See e.g.The Times and news.bbc.Co today.",
            "The U.S.Army and J.K.Rowling and ASP.NET came.",
            "Node.js and the ipad.iPhone and plans.NOW stayed.",
        ] {
            assert_eq!(sentences(line), [line], "{line}");
        }
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
