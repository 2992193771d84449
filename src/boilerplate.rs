//! Site furniture: lines whose whole text is boilerplate ("Advertisement", "Read more", share
//! widgets, copyright footers, ...). The built-in phrase lists live in `data/boilerplate/*.txt`
//! and are compiled in with `include_str!`.
//!
//! # List syntax
//!
//! The built-in lists and the user lists given with `--boilerplate FILE` share one syntax:
//!
//! * one pattern per line; blank lines and lines whose first non-blank character is `#` are
//!   ignored;
//! * a plain line is a literal phrase. It matches case-insensitively; any run of whitespace in it
//!   matches any run of whitespace (including no-break and zero-width spaces); a straight
//!   apostrophe or quote matches its curly forms (and the other way round); `-` matches the
//!   Unicode hyphens. Leading/trailing whitespace and trailing `:` `.` `…` `»` of the phrase are
//!   dropped, as they are on the lines being checked;
//! * a line starting with `re:` is a Rust `regex` pattern (whitespace after `re:` and at the end
//!   of the line is dropped). It is case-insensitive and always matched against the whole
//!   trimmed line (do not add anchors; a leading `^` / trailing `$` is removed). It may not match
//!   the empty string. The prefix is exactly lower-case `re:` (a line "Re: letters" is a
//!   literal); to give a literal that starts with `#` or `re:`, write it as a regex. Prefer
//!   `(?-u:\b)` to `\b`: a Unicode word boundary makes the fast engine give up on non-ASCII lines.
//!
//! # Matching
//!
//! A line is furniture when, after trimming whitespace (including U+00A0, U+FEFF and the
//! zero-width characters) and stripping trailing `:` `.` `…` `»`, it is made entirely of one or
//! more patterns glued with optional separators: whitespace, `|`, `•`, `·`, `-`, `–`, `—`, `/`,
//! `,`, and also `;` `:` `.` `…` `»` `«` `›` `‹` `<` `>` `*` `~` `_` `&` `+` `\`, brackets,
//! arrows and bullets (separators may also lead or trail). So "Advertisement Continue reading
//! the main story" and "AdvertisementContinue reading the main story" are furniture, "The
//! advertisement campaign drew criticism." is not.
//!
//! Share words (`data/boilerplate/share_words.txt`: "Facebook", "Twitter", "Email", "Copy this
//! link", ...) are special: a line made only of share words is furniture when it holds two or
//! more of them, when the nearest non-blank line above or below is furniture too (another
//! share-word line or any other furniture line), or when it is the last non-blank line and
//! text stands above it. A lone "Facebook" between two paragraphs stays.
//!
//! That is the regex `\A SEP* (UNIT SEP*)+ \z` over all patterns, anchored and
//! case-insensitive (Rust's linear-time engine). With user lists it is compiled when the matcher
//! is built (about 35 ms for the built-in lists plus yours); the built-in lists alone are
//! answered by ready-made automata that give the same result (module `furniture`). Lines
//! longer than [`MAX_FURNITURE_BYTES`] are never furniture and never reach the matcher.

use crate::furniture::Automata;
use crate::normalize;
use regex::{Regex, RegexBuilder};
use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

/// Lines classified with the built-in automata before the built-in regex is compiled after all:
/// the automata take ~1.5 us more per line than the regex's lazy DFA, the regex ~35 ms to
/// compile, so past this many lines (a big article, or a batch of many) compiling pays.
const REGEX_AFTER_LINES: usize = 25_000;

/// An error in a boilerplate list: which list, which line, what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError {
    /// Name of the list (a file path, or `builtin:<family>`).
    pub source_name: String,
    /// 1-based line number in that list.
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for PatternError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.source_name, self.line, self.message)
    }
}

impl std::error::Error for PatternError {}

/// Lines longer than this (in bytes, after trimming) are never furniture. The longest real
/// furniture lines (newsletter privacy notices, AP/Reuters copyright footers) are well under
/// 300 bytes, while many content paragraphs are longer and skip the regex entirely; the bound
/// also caps the regex work per line.
pub const MAX_FURNITURE_BYTES: usize = 300;

/// The built-in families, compiled in. Each is named `builtin:<family>` in errors.
const BUILTIN_LISTS: &[(&str, &str)] = &[
    ("ads", include_str!("../data/boilerplate/ads.txt")),
    ("sections", include_str!("../data/boilerplate/sections.txt")),
    ("share", include_str!("../data/boilerplate/share.txt")),
    (
        "newsletter",
        include_str!("../data/boilerplate/newsletter.txt"),
    ),
    ("apps", include_str!("../data/boilerplate/apps.txt")),
    (
        "copyright",
        include_str!("../data/boilerplate/copyright.txt"),
    ),
    ("media", include_str!("../data/boilerplate/media.txt")),
    (
        "navigation",
        include_str!("../data/boilerplate/navigation.txt"),
    ),
    ("credits", include_str!("../data/boilerplate/credits.txt")),
    ("contact", include_str!("../data/boilerplate/contact.txt")),
];

/// The built-in share words (network names and share-button words), see the module docs.
const SHARE_WORDS: (&str, &str) = (
    "share_words",
    include_str!("../data/boilerplate/share_words.txt"),
);

/// Characters besides white space ([`is_space`]) that may glue patterns together (and surround
/// them) on one furniture line.
const SEPARATORS: &[char] = &[
    '|', '•', '·', '∙', '●', '▪', '‣', '◦', '-', '‐', '‑', '‒', '–', '—', '―', '/', '\\', ',', ';',
    ':', '.', '…', '»', '«', '›', '‹', '<', '>', '→', '←', '↑', '↓', '▶', '►', '◀', '◄', '*', '~',
    '_', '&', '+', '(', ')', '[', ']',
];

/// Whether `c` may glue patterns together on one furniture line.
pub(crate) fn is_separator(c: char) -> bool {
    is_space(c) || SEPARATORS.contains(&c)
}

/// [`is_separator`] as a regex class.
fn separator_class() -> String {
    let mut class = String::from(r"[\s\u{200B}\u{200C}\u{200D}\u{2060}\u{FEFF}");
    for c in SEPARATORS {
        class.push_str(&regex::escape(c.encode_utf8(&mut [0; 4])));
    }
    class.push(']');
    class
}

/// A run of whitespace inside a literal phrase.
const WS_RUN: &str = r"[\s\u{200B}\u{200C}\u{200D}\u{2060}\u{FEFF}]+";

/// Compiled-program and lazy-DFA cache limits for the combined regex (the defaults are a bit
/// tight for a few hundred alternatives with Unicode classes).
const REGEX_SIZE_LIMIT: usize = 64 << 20;
const REGEX_DFA_SIZE_LIMIT: usize = 16 << 20;

pub(crate) fn is_space(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{FEFF}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}'
        )
}

fn is_trailing_punct(c: char) -> bool {
    // '：' is the full-width colon of Chinese and Japanese text ("分享到：").
    matches!(c, ':' | '：' | '.' | '…' | '»')
}

/// Trims whitespace (incl. no-break, BOM and zero-width characters) from both ends.
pub(crate) fn trim_space(s: &str) -> &str {
    s.trim_matches(is_space)
}

/// Strips trailing `:` `.` `…` `»` and whitespace between them (input already trimmed).
pub(crate) fn strip_trailing(s: &str) -> &str {
    s.trim_end_matches(|c| is_trailing_punct(c) || is_space(c))
}

/// One parsed list entry.
struct Entry {
    /// A `re:` entry's regex (not anchored), or a literal's phrase (its regex is made when
    /// needed: the built-in lists usually never need it).
    regex: Option<String>,
    phrase: String,
    /// For literal entries: the phrase lower-cased with quotes/whitespace normalised.
    literal_key: Option<String>,
}

/// Normalised form of a literal phrase, used to recognise literal patterns that are also share
/// words.
fn literal_key(lit: &str) -> String {
    let mut out = String::with_capacity(lit.len());
    let mut in_ws = false;
    for c in lit.chars() {
        if is_space(c) {
            if !in_ws && !out.is_empty() {
                out.push(' ');
            }
            in_ws = true;
            continue;
        }
        in_ws = false;
        match c {
            '‘' | '’' | 'ʼ' | '′' | '`' | '´' => out.push('\''),
            '“' | '”' | '„' | '″' => out.push('"'),
            '‐' | '‑' => out.push('-'),
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Regex source for a literal phrase (see the module docs).
fn literal_to_regex(lit: &str) -> String {
    literal_regex_with(lit, WS_RUN)
}

/// [`literal_to_regex`] with `space` as the pattern for a run of white space.
pub(crate) fn literal_regex_with(lit: &str, space: &str) -> String {
    let mut out = String::with_capacity(lit.len() * 2);
    let mut in_ws = false;
    for c in lit.chars() {
        if is_space(c) {
            if !in_ws {
                out.push_str(space);
            }
            in_ws = true;
            continue;
        }
        in_ws = false;
        match c {
            '\'' | '‘' | '’' | 'ʼ' | '′' | '`' | '´' => out.push_str("['‘’ʼ′`´]"),
            '"' | '“' | '”' | '„' | '″' => out.push_str("[\"“”„″]"),
            '-' | '‐' | '‑' => out.push_str("[-‐‑]"),
            _ => {
                let mut buf = [0u8; 4];
                out.push_str(&regex::escape(c.encode_utf8(&mut buf)));
            }
        }
    }
    out
}

/// Removes a leading `^` and an unescaped trailing `$` from a user regex.
fn strip_anchors(re: &str) -> &str {
    let re = re.strip_prefix('^').unwrap_or(re);
    if let Some(body) = re.strip_suffix('$') {
        let backslashes = body.bytes().rev().take_while(|&b| b == b'\\').count();
        if backslashes % 2 == 0 {
            return body;
        }
    }
    re
}

fn new_builder(pattern: &str) -> RegexBuilder {
    let mut b = RegexBuilder::new(pattern);
    b.case_insensitive(true)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_DFA_SIZE_LIMIT);
    b
}

/// Compiles one regex entry on its own, to report errors against its list line.
fn check_regex(body: &str) -> Result<(), String> {
    new_builder(body)
        .build()
        .map_err(|e| format!("invalid regex: {e}"))?;
    let anchored = new_builder(&format!(r"\A(?:{body})\z"))
        .build()
        .map_err(|e| format!("invalid regex: {e}"))?;
    if anchored.is_match("") {
        return Err("regex matches the empty line".to_string());
    }
    Ok(())
}

/// Parses one list. With `check`, every `re:` entry is compiled on its own (user lists; the
/// built-in ones are checked by the tests and on a failure of the combined regex).
fn parse_list(source: &str, text: &str, check: bool) -> Result<Vec<Entry>, PatternError> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let err = |message: String| PatternError {
            source_name: source.to_string(),
            line: i + 1,
            message,
        };
        let line = trim_space(raw);
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(body) = line.strip_prefix("re:") {
            let body = strip_anchors(trim_space(body));
            if body.is_empty() {
                return Err(err("empty regex after 're:'".to_string()));
            }
            if check {
                check_regex(body).map_err(err)?;
            }
            out.push(Entry {
                regex: Some(body.to_string()),
                phrase: String::new(),
                literal_key: None,
            });
        } else {
            let lit = strip_trailing(line);
            if lit.is_empty() {
                return Err(err(
                    "literal pattern is empty once trailing ':' '.' '…' '»' are dropped"
                        .to_string(),
                ));
            }
            out.push(Entry {
                regex: None,
                phrase: lit.to_string(),
                literal_key: Some(literal_key(lit)),
            });
        }
    }
    Ok(out)
}

/// `(?:(?:a)|(?:b)|...)`
fn alternation<'a>(parts: impl Iterator<Item = &'a str>) -> String {
    let mut s = String::from("(?:");
    for (i, p) in parts.enumerate() {
        if i > 0 {
            s.push('|');
        }
        s.push_str("(?:");
        s.push_str(p);
        s.push(')');
    }
    s.push(')');
    s
}

/// What one line is, before neighbours are considered.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Blank,
    Content,
    /// Furniture on its own.
    Furniture,
    /// A single share word: furniture only next to other furniture.
    ShareWord,
}

/// The nearest non-blank line above, while classifying.
enum Prev {
    Content,
    Furniture,
    /// A single share word, at this index.
    ShareWord(usize),
}

/// The compiled matcher.
#[derive(Clone)]
pub struct Boilerplate {
    matcher: Matcher,
    pattern_count: usize,
    share_word_count: usize,
}

/// How lines are matched.
#[derive(Clone)]
enum Matcher {
    /// No pattern at all.
    Empty,
    /// The built-in lists alone: the ready-made automata of [`crate::furniture`], and the
    /// regex sources, compiled only if the automata cannot answer for some line.
    Builtin(Arc<Builtin>),
    Compiled(Compiled),
}

/// The built-in lists as automata, and as the regex once it is worth compiling.
struct Builtin {
    automata: Automata,
    regex: OnceLock<Compiled>,
    /// Lines classified so far, and how many make compiling the regex worth it.
    lines_seen: AtomicUsize,
    regex_after: usize,
    /// Set by the thread that compiles the regex.
    compiling: AtomicBool,
}

/// The regex sources of a matcher.
struct Sources {
    /// `\A SEP* (U SEP*)+ \z` where U is any pattern or share word.
    units: String,
    /// `\A SEP* W SEP* \z` for a single share word W (share words that are also literal
    /// patterns are left out, so those stay furniture on their own).
    single_share: Option<String>,
}

#[derive(Clone)]
struct Compiled {
    units: Regex,
    single_share: Option<Regex>,
}

impl Entry {
    /// The entry's regex source (not anchored).
    fn regex(&self) -> std::borrow::Cow<'_, str> {
        match &self.regex {
            Some(re) => re.as_str().into(),
            None => literal_to_regex(&self.phrase).into(),
        }
    }
}

impl Sources {
    fn new(patterns: &[Entry], share: &[Entry], single: &[&Entry]) -> Sources {
        let sep = separator_class();
        let units: Vec<_> = patterns.iter().chain(share).map(Entry::regex).collect();
        let unit = alternation(units.iter().map(|r| &**r));
        let single_share = (!single.is_empty()).then(|| {
            let words: Vec<_> = single.iter().map(|e| e.regex()).collect();
            let w = alternation(words.iter().map(|r| &**r));
            format!(r"\A{sep}*{w}{sep}*\z")
        });
        Sources {
            units: format!(r"\A{sep}*(?:{unit}{sep}*)+\z"),
            single_share,
        }
    }

    fn compile(&self) -> Result<Compiled, String> {
        let build = |src: &str| new_builder(src).build().map_err(|e| e.to_string());
        Ok(Compiled {
            units: build(&self.units)?,
            single_share: self.single_share.as_deref().map(build).transpose()?,
        })
    }
}

impl Compiled {
    /// Whether the line is furniture, and whether it is a single share word.
    fn kind(&self, t: &str) -> (bool, bool) {
        if !self.units.is_match(t) {
            return (false, false);
        }
        (
            true,
            self.single_share.as_ref().is_some_and(|re| re.is_match(t)),
        )
    }
}

impl std::fmt::Debug for Boilerplate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Boilerplate")
            .field("patterns", &self.pattern_count)
            .field("share_words", &self.share_word_count)
            .finish()
    }
}

/// Verbs of an attribution clause at a sentence's end (", the bureau said"), one per line.
const REPORTING_VERBS: &str = include_str!("../data/attribution_verbs.txt");

/// Whether `line` is a sentence ending in an attribution clause: it ends with a full stop, and
/// after its last comma come two to eight words one of which is a reporting verb (", officials
/// advised.", ", the trade body told journalists."). Furniture reports nobody's words in a full
/// sentence; a teaser title quoting someone ("Read more: Fed holds rates, Powell says") has no
/// full stop and stays furniture.
fn ends_in_attribution(line: &str) -> bool {
    if !crate::segment::ends_in_full_stop(line) {
        return false;
    }
    let Some(comma) = line.rfind(',') else {
        return false;
    };
    let tail = &line[comma + 1..];
    let words: Vec<&str> = tail
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’' || c == '-'))
        .filter(|w| !w.is_empty())
        .collect();
    (2..=8).contains(&words.len())
        && words.iter().any(|w| {
            REPORTING_VERBS
                .lines()
                .filter(|v| !v.starts_with('#'))
                .any(|v| w.eq_ignore_ascii_case(v.trim()))
        })
}

impl Boilerplate {
    /// Builds the matcher from the built-in lists (when `builtin`) plus user lists given as
    /// `(name, text)` pairs.
    ///
    /// # Errors
    ///
    /// A `re:` entry of a user list that does not compile or can match the empty line, an empty
    /// `re:` entry, or a literal that is only trailing punctuation, gives a [`PatternError`]
    /// naming the list and the 1-based line.
    pub fn new(builtin: bool, user_lists: &[(String, String)]) -> Result<Self, PatternError> {
        let mut patterns: Vec<Entry> = Vec::new();
        let mut share: Vec<Entry> = Vec::new();
        if builtin {
            for (family, text) in BUILTIN_LISTS {
                patterns.extend(parse_list(&format!("builtin:{family}"), text, false)?);
            }
            share = parse_list(&format!("builtin:{}", SHARE_WORDS.0), SHARE_WORDS.1, false)?;
        }
        for (name, text) in user_lists {
            patterns.extend(parse_list(name, text, true)?);
        }
        Self::build(patterns, share, builtin && user_lists.is_empty()).map_err(|message| {
            // The combined regex failed although the user entries compiled on their own: find
            // the culprit among the built-in entries if there is one.
            if builtin {
                for (family, text) in BUILTIN_LISTS.iter().chain([&SHARE_WORDS]) {
                    if let Err(e) = parse_list(&format!("builtin:{family}"), text, true) {
                        return e;
                    }
                }
            }
            PatternError {
                source_name: "<combined boilerplate regex>".to_string(),
                line: 0,
                message,
            }
        })
    }

    /// The `re:` patterns of the built-in lists, in list order (what `data/boilerplate/
    /// builtin.dfa` holds automata for).
    #[cfg(test)]
    pub(crate) fn builtin_regexes() -> Vec<String> {
        BUILTIN_LISTS
            .iter()
            .flat_map(|(family, text)| {
                parse_list(&format!("builtin:{family}"), text, false).unwrap_or_default()
            })
            .filter(|e| e.literal_key.is_none())
            .filter_map(|e| e.regex)
            .collect()
    }

    /// The built-in lists compiled into the regex: what answers when the automata cannot.
    fn builtin_regex() -> Compiled {
        match Self::builtin_compiled().matcher {
            Matcher::Compiled(compiled) => compiled,
            _ => unreachable!("builtin_compiled compiles"),
        }
    }

    /// The built-in lists compiled into the regex, as user lists are (the reference the
    /// automata are tested against).
    #[doc(hidden)]
    pub fn builtin_compiled() -> Boilerplate {
        let mut patterns = Vec::new();
        for (family, text) in BUILTIN_LISTS {
            patterns.extend(parse_list(family, text, false).expect("built-in list parses"));
        }
        let share = parse_list("share_words", SHARE_WORDS.1, false).expect("share words parse");
        Self::build(patterns, share, false).expect("built-in lists compile")
    }

    /// Whether the matcher uses the ready-made automata.
    #[doc(hidden)]
    pub fn uses_automata(&self) -> bool {
        matches!(self.matcher, Matcher::Builtin(_))
    }

    /// The built-in matcher that keeps to its automata however many lines it sees (for the
    /// tests and the `furniture` fuzz target, which compare it with [`Self::builtin_compiled`]).
    #[doc(hidden)]
    pub fn automata_only() -> Boilerplate {
        let mut b = Boilerplate::new(true, &[]).expect("built in");
        if let Matcher::Builtin(builtin) = &mut b.matcher {
            Arc::get_mut(builtin).expect("not shared yet").regex_after = usize::MAX;
        }
        b
    }

    fn build(patterns: Vec<Entry>, share: Vec<Entry>, builtin_only: bool) -> Result<Self, String> {
        let pattern_count = patterns.len();
        let share_word_count = share.len();
        if patterns.is_empty() && share.is_empty() {
            return Ok(Boilerplate {
                matcher: Matcher::Empty,
                pattern_count,
                share_word_count,
            });
        }

        let literal_patterns: HashSet<&str> = patterns
            .iter()
            .filter_map(|e| e.literal_key.as_deref())
            .collect();
        let single: Vec<&Entry> = share
            .iter()
            .filter(|e| {
                e.literal_key
                    .as_deref()
                    .is_none_or(|k| !literal_patterns.contains(k))
            })
            .collect();
        // The built-in lists come ready-made when their share words are all literal (the
        // automata handle `re:` patterns among the units only).
        fn key(e: &Entry) -> Option<&str> {
            e.literal_key.as_deref()
        }
        let automata = if builtin_only && share.iter().all(|e| e.literal_key.is_some()) {
            let regexes: Vec<&str> = patterns.iter().filter_map(|e| e.regex.as_deref()).collect();
            Automata::load(
                patterns.iter().chain(&share).filter_map(key),
                single.iter().copied().filter_map(key),
                &regexes,
            )
        } else {
            None
        };
        let matcher = match automata {
            Some(automata) => Matcher::Builtin(Arc::new(Builtin {
                automata,
                regex: OnceLock::new(),
                lines_seen: AtomicUsize::new(0),
                regex_after: REGEX_AFTER_LINES,
                compiling: AtomicBool::new(false),
            })),
            None => Matcher::Compiled(Sources::new(&patterns, &share, &single).compile()?),
        };
        Ok(Boilerplate {
            matcher,
            pattern_count,
            share_word_count,
        })
    }

    /// `regex`: the compiled regex of the built-in lists, when it has been compiled (it is
    /// then faster per line than the automata).
    fn kind(&self, line: &str, regex: Option<&Compiled>) -> Kind {
        let kind = self.kind_as_written(line, regex);
        // "Read more&hellip;", "&copy; 2024 ...": a line scraped from the page's source is
        // also classified as the page shows it. (As written first: a list of the site's own,
        // learned from such lines, holds them with their references.)
        if kind == Kind::Content
            && trim_space(line).len() <= MAX_FURNITURE_BYTES
            && normalize::has_reference(line)
        {
            return self.kind_as_written(&normalize::with_references_decoded(line), regex);
        }
        kind
    }

    fn kind_as_written(&self, line: &str, regex: Option<&Compiled>) -> Kind {
        let t = trim_space(line);
        if t.is_empty() {
            return Kind::Blank;
        }
        if t.len() > MAX_FURNITURE_BYTES {
            return Kind::Content;
        }
        let whole = t;
        let t = strip_trailing(t);
        if t.is_empty() {
            return Kind::Content;
        }
        let (furniture, share_word) = match (&self.matcher, regex) {
            (_, Some(regex)) => regex.kind(t),
            (Matcher::Empty, None) => (false, false),
            (Matcher::Compiled(compiled), None) => compiled.kind(t),
            (Matcher::Builtin(builtin), None) => {
                let Builtin {
                    automata, regex, ..
                } = &**builtin;
                match automata.is_units(t) {
                    Some(false) => (false, false),
                    Some(true) => (true, automata.is_single_share(t)),
                    // Never with the lists as shipped; the regex answers then.
                    None => regex.get_or_init(Self::builtin_regex).kind(t),
                }
            }
        };
        match (furniture, share_word) {
            (false, _) => Kind::Content,
            // "This website uses cookies to track visitors, the regulator found.": a pattern's
            // open tail took in a reported sentence.
            (true, _) if ends_in_attribution(whole) => Kind::Content,
            // "Sponsored by Rep. Jason Kropf": a bill's sponsor, not an advertiser; "Topics:
            // Immigration, the economy and foreign policy": a list in prose, not tags.
            (true, _)
                if names_an_official_sponsor(whole)
                    || is_prose_tag_line(whole)
                    || is_prose_after_link_label(whole) =>
            {
                Kind::Content
            }
            // "Download the Medicare App" in title case heads a guide's section: furniture only
            // among furniture, as a share word is.
            (true, _) if is_title_case_app_heading(whole) => Kind::ShareWord,
            (true, true) => Kind::ShareWord,
            (true, false) => Kind::Furniture,
        }
    }

    /// For each line (content without its line terminator) of one article, whether it is
    /// furniture. `out` is cleared and filled with one entry per line.
    pub fn classify(&self, lines: &[&str], out: &mut Vec<bool>) {
        self.classify_noting_lone_shares(lines, out);
    }

    /// [`Boilerplate::classify`], and the lines made of one share word that were left as
    /// content (their neighbours are not furniture), in order: the one kind of line whose class
    /// could change if the lines around it were removed.
    pub(crate) fn classify_noting_lone_shares(
        &self,
        lines: &[&str],
        out: &mut Vec<bool>,
    ) -> Vec<usize> {
        out.clear();
        out.resize(lines.len(), false);
        let regex = match &self.matcher {
            Matcher::Empty => return Vec::new(),
            Matcher::Compiled(_) => None,
            Matcher::Builtin(builtin) => {
                let seen = builtin.lines_seen.fetch_add(lines.len(), Ordering::Relaxed);
                // Compiled once, past the mark, by the first thread to get there; the others
                // go on with the automata meanwhile rather than wait.
                builtin.regex.get().or_else(|| {
                    let first = seen + lines.len() >= builtin.regex_after
                        && !builtin.compiling.swap(true, Ordering::AcqRel);
                    first.then(|| builtin.regex.get_or_init(Self::builtin_regex))
                })
            }
        };
        // Each line on its own (on all threads of rayon's pool for a big article), then its
        // neighbours in one pass.
        let kinds: Vec<Kind> =
            if lines.len() >= PARALLEL_MIN_LINES && rayon::current_num_threads() > 1 {
                use rayon::prelude::*;
                lines
                    .par_iter()
                    .with_min_len(PARALLEL_MIN_LINES / 4)
                    .map(|line| self.kind(line, regex))
                    .collect()
            } else {
                lines.iter().map(|line| self.kind(line, regex)).collect()
            };
        let mut prev = Prev::Content;
        let mut content = false;
        let mut share_words = Vec::new();
        for (i, kind) in kinds.into_iter().enumerate() {
            match kind {
                Kind::Blank => {}
                Kind::Content => {
                    prev = Prev::Content;
                    content = true;
                }
                Kind::Furniture => {
                    out[i] = true;
                    if let Prev::ShareWord(j) = prev {
                        out[j] = true;
                    }
                    prev = Prev::Furniture;
                }
                Kind::ShareWord => {
                    match prev {
                        Prev::Furniture => out[i] = true,
                        Prev::ShareWord(j) => {
                            out[i] = true;
                            out[j] = true;
                        }
                        Prev::Content => {}
                    }
                    prev = Prev::ShareWord(i);
                    share_words.push(i);
                }
            }
        }
        // A share word that ends an article below its text is the page's button row, not a
        // heading: nothing follows it.
        if let Prev::ShareWord(last) = prev
            && content
        {
            out[last] = true;
        }
        link_list_at_end(lines, out);
        section_labels_as_subheads(lines, out);
        tag_label_rows(lines, out);
        link_after_label(lines, out);
        media_title_at_top(lines, out);
        list_items_after_colon(lines, out);
        share_words.retain(|&i| !out[i]);
        share_words
    }
}

/// The fewest lines an article needs for its lines to be classified on several threads (a big
/// article: the 50 MB bench corpus spends ~130 ms here on one thread).
const PARALLEL_MIN_LINES: usize = 16 * 1024;

/// Labels that point at the headline on the next line, colon or not
/// (`data/read_also_labels.txt`).
const READ_ALSO_LABELS: &str = include_str!("../data/read_also_labels.txt");

/// A "read also" label line between paragraphs ("Lesen Sie auch", "Lees ook:"), or another
/// link-list label ending in a colon ("Related:"), points at the linked headline on the next
/// line: that line ("Huizenprijzen stijgen weer"), when it reads as a link (short, no sentence
/// end), is furniture too. One line only: what follows it is the article again.
fn link_after_label(lines: &[&str], out: &mut [bool]) {
    let mut i = 0;
    while i < lines.len() {
        let label = trim_space(lines[i]);
        let points = out[i]
            && (label.ends_with(':') && is_link_list_label(label)
                || is_listed(READ_ALSO_LABELS, label));
        if !points {
            i += 1;
            continue;
        }
        let Some(next) = (i + 1..lines.len()).find(|&j| !trim_space(lines[j]).is_empty()) else {
            return;
        };
        if !out[next] && is_link_like(trim_space(lines[next])) {
            out[next] = true;
        }
        i = next + 1;
    }
}

/// The first words of an ad label that names who paid ("Sponsored by Acme Bank"), lower case.
const SPONSOR_PREFIXES: &[&str] = &[
    "sponsored by ",
    "co-sponsored by ",
    "cosponsored by ",
    "presented by ",
    "promoted by ",
];

/// Titles of officials (`data/official_titles.txt`): after "Sponsored by" they make a
/// bill's or a motion's sponsor ("Sponsored by Rep. Jason Kropf and Sen. Kate Lieber").
const OFFICIAL_TITLES: &str = include_str!("../data/official_titles.txt");

/// Whether `line` (trimmed) is "Sponsored by" / "Presented by" and an official's title: a
/// legislative roundup's sponsor line, not an ad label.
fn names_an_official_sponsor(line: &str) -> bool {
    let Some(prefix) = SPONSOR_PREFIXES.iter().find(|p| {
        line.get(..p.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(p))
    }) else {
        return false;
    };
    let rest = &line[prefix.len()..];
    let first = rest
        .split_whitespace()
        .next()
        .unwrap_or("")
        .trim_end_matches(['.', ','])
        .to_lowercase();
    crate::segment::listed_words(OFFICIAL_TITLES).any(|title| title == first)
}

/// Labels of a tag line (`data/tag_labels.txt`, as in `sections.txt`'s tags pattern).
const TAG_LABELS: &str = include_str!("../data/tag_labels.txt");

/// Whether `line` (trimmed) is a tag label and a colon followed by a list in prose rather than
/// by labels: a lower-case article ("the economy") or a lower-case word joined with "and" /
/// "or" ("abortion rights and foreign policy"). "Tags: Arts and Culture, Politics" is tags.
fn is_prose_tag_line(line: &str) -> bool {
    let Some((label, rest)) = line.split_once(':') else {
        return false;
    };
    let label = label.trim().to_lowercase();
    if !crate::segment::listed_words(TAG_LABELS).any(|l| l == label) {
        return false;
    }
    let words: Vec<&str> = rest
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’' || c == '-'))
        .filter(|w| !w.is_empty())
        .collect();
    let lower = |w: &str| w.chars().next().is_some_and(char::is_lowercase);
    words.iter().any(|w| matches!(*w, "the" | "a" | "an"))
        || words
            .windows(2)
            .any(|p| matches!(p[0], "and" | "or") && lower(p[1]))
}

/// Whether `line` (trimmed) is a link label and a colon followed by a sentence of prose rather
/// than by a headline: "More: the state pension rises by 4.1% in April." in a budget's winners
/// and losers, "Related: the number of complaints rose by a third." The text after the colon
/// starts in lower case and ends in a full stop, as a linked headline does not.
fn is_prose_after_link_label(line: &str) -> bool {
    let Some((label, rest)) = line.split_once(':') else {
        return false;
    };
    let label = label.trim().to_lowercase();
    let rest = rest.trim();
    let end = rest.trim_end_matches(['"', '”', '’', '\'', ')']);
    (is_link_list_label(&label) || matches!(label.as_str(), "more" | "read" | "must read"))
        && rest.chars().next().is_some_and(char::is_lowercase)
        && end.ends_with(['.', '!', '?'])
        && !end.ends_with("...")
        && rest.split_whitespace().count() >= PROSE_MIN_WORDS
}

/// The fewest words after a link label's colon for a sentence to read as prose.
const PROSE_MIN_WORDS: usize = 5;

/// Whether `line` (trimmed) has the shape of a subhead: a few words starting with a capital
/// letter, no sentence end ("Also good", "How we tested", "Day two", "Where to stay").
fn is_subhead_shaped(line: &str) -> bool {
    line.len() <= SUBHEAD_MAX_BYTES
        && line.split_whitespace().count() <= SUBHEAD_MAX_WORDS
        && line.chars().next().is_some_and(char::is_uppercase)
        && is_link_like(line)
}

const SUBHEAD_MAX_BYTES: usize = 60;
const SUBHEAD_MAX_WORDS: usize = 6;

/// For each line, the next line that is not blank (`None` for none), in one pass from the end.
fn next_non_blank(lines: &[&str]) -> Vec<Option<usize>> {
    let mut next = vec![None; lines.len()];
    let mut after = None;
    for i in (0..lines.len()).rev() {
        next[i] = after;
        if !trim_space(lines[i]).is_empty() {
            after = Some(i);
        }
    }
    next
}

/// Labels of link boxes that also head an article's sections
/// (`data/section_heading_labels.txt`).
const SECTION_HEADING_LABELS: &str = include_str!("../data/section_heading_labels.txt");

/// Keeps a bare section label ("Recommended", "Most popular", "Latest", "Don't miss",
/// "Navigation", "Back") that heads a section of the article rather than a box of links or a
/// button: a line of text (not furniture) follows it, a line of the article comes before it (a
/// "Back" button above the headline is no subhead), and the article has subheads of its own (a
/// short line of text without a sentence end, followed by text: "Also good", "Day two", "How we
/// tested"), not counting its first line.
/// Between the paragraphs of an article without subheads, such a label is a box's title whose
/// links were lost, and goes; at the end of a page, over its links, it goes with them
/// ([`link_list_at_end`] has run).
fn section_labels_as_subheads(lines: &[&str], out: &mut [bool]) {
    let next = next_non_blank(lines);
    let heads_text = |i: usize| next[i].is_some_and(|j| !out[j]);
    let first = lines.iter().position(|l| !trim_space(l).is_empty());
    let has_subheads = (0..lines.len()).any(|i| {
        Some(i) != first && !out[i] && is_subhead_shaped(trim_space(lines[i])) && heads_text(i)
    });
    if !has_subheads {
        return;
    }
    let keep: Vec<usize> = (0..lines.len())
        .filter(|&i| {
            let t = trim_space(lines[i]);
            // (The scan back stops at the first line that is not blank.)
            let after_text = || {
                lines[..i]
                    .iter()
                    .rposition(|l| !trim_space(l).is_empty())
                    .is_some_and(|p| !out[p])
            };
            out[i]
                && heads_text(i)
                && !t.ends_with([':', '：'])
                && is_listed(SECTION_HEADING_LABELS, t)
                && after_text()
        })
        .collect();
    for i in keep {
        out[i] = false;
    }
}

/// Keeps the rows of a list the article lays out as fields ("Category: Best Live Act" /
/// "Winner: Mersey Static" / "Category: Breakthrough Artist"): lines opening with the same tag
/// label, each within [`ROW_REACH`] lines of the next, with a different value and only short
/// lines without a sentence end between them (the row's other fields), are the article's own.
/// A page's tag line stands alone (a second capture of the page repeats it far below, the
/// same).
fn tag_label_rows(lines: &[&str], out: &mut [bool]) {
    let tagged = |i: usize| -> Option<(String, &str)> {
        let (label, value) = trim_space(lines[i]).split_once([':', '：'])?;
        let label = label.trim().to_lowercase();
        crate::segment::listed_words(TAG_LABELS)
            .any(|l| l == label)
            .then(|| (label, value.trim()))
    };
    let rows: Vec<(usize, String, &str)> = (0..lines.len())
        .filter(|&i| out[i])
        .filter_map(|i| tagged(i).map(|(label, value)| (i, label, value)))
        .collect();
    let mut row_of = vec![false; rows.len()];
    for (k, pair) in rows.windows(2).enumerate() {
        let ((i, label, value), (j, next_label, next_value)) = (&pair[0], &pair[1]);
        // Only the row's other fields stand between ("Winner: …"), not a paragraph.
        let fields_between = || {
            lines[i + 1..*j]
                .iter()
                .map(|l| trim_space(l))
                .all(|t| t.is_empty() || is_link_like(t))
        };
        if label == next_label && j - i <= ROW_REACH && value != next_value && fields_between() {
            row_of[k] = true;
            row_of[k + 1] = true;
        }
    }
    for ((i, ..), row) in rows.iter().zip(row_of) {
        if row {
            out[*i] = false;
        }
    }
}

/// The furthest apart two rows of a list of fields are (a row of a few fields in between).
const ROW_REACH: usize = 3;

/// Whether `line` (trimmed) is an app promo written as a title-case heading, with the app's
/// name: "Download the Medicare App" (not "Download the app", not "Get the CNN app").
fn is_title_case_app_heading(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    let capital = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
    words.len() >= 4
        && matches!(words[0], "Download" | "Get" | "Install" | "Try" | "Use")
        && matches!(words[words.len() - 1], "App" | "Apps")
        && words[1..]
            .iter()
            .all(|w| capital(w) || matches!(*w, "the" | "our" | "this" | "of" | "and" | "&"))
}

/// Whether trimmed line `line` is a bare credit of `credits.txt` ("Reuters", "Associated Press",
/// "Getty Images"): one of its literal entries.
fn is_bare_credit(line: &str) -> bool {
    static KEYS: OnceLock<HashSet<String>> = OnceLock::new();
    let keys = KEYS.get_or_init(|| {
        BUILTIN_LISTS
            .iter()
            .filter(|(family, _)| *family == "credits")
            .flat_map(|(_, text)| text.lines())
            .map(trim_space)
            .filter(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with("re:"))
            .map(|l| literal_key(strip_trailing(l)))
            .collect()
    });
    keys.contains(&literal_key(strip_trailing(line)))
}

/// Keeps the items of a list that a line ending in a colon opens ("The organisations excluded
/// from the trip were:" / "Associated Press" / "Reuters" / "Bloomberg"): a bare agency name
/// right under such a line of text, or under an item of the list (kept so, or a short line of
/// text), is an item, not a photo credit.
fn list_items_after_colon(lines: &[&str], out: &mut [bool]) {
    let mut after_colon = false;
    for (i, line) in lines.iter().enumerate() {
        let t = trim_space(line);
        if t.is_empty() {
            continue;
        }
        if !out[i] {
            // A line of text opens the list; a short item of it ("Agence France-Presse")
            // continues it.
            after_colon = t.ends_with(':') || after_colon && is_link_like(t);
        } else if after_colon && is_bare_credit(t) {
            out[i] = false;
        } else {
            after_colon = false;
        }
    }
}

/// Prefixes of a photo, video or audio page's headline (`data/media_title_prefixes.txt`).
const MEDIA_TITLE_PREFIXES: &str = include_str!("../data/media_title_prefixes.txt");

/// The fewest words after a media prefix's colon for a line to read as a headline.
const MEDIA_TITLE_MIN_WORDS: usize = 4;

/// Keeps the article's headline when it is a photo, video or audio page's ("Photos: Thousands
/// turn out for…"): the first furniture line of that shape above the first line of content.
/// Between paragraphs the same shape is a teaser for another page, and goes.
fn media_title_at_top(lines: &[&str], out: &mut [bool]) {
    // Whether any line is text: every line this loop visits is furniture or blank, so there is
    // text below the one it looks at exactly when there is text at all (worked out once).
    let mut text_below: Option<bool> = None;
    for (i, line) in lines.iter().enumerate() {
        let line = trim_space(line);
        if line.is_empty() {
            continue;
        }
        if !out[i] {
            return;
        }
        // A credit-shaped headline needs the text under it: alone, it is a credit.
        let credit_shaped = is_credit_shaped_headline(line)
            && *text_below.get_or_insert_with(|| {
                lines
                    .iter()
                    .zip(out.iter())
                    .any(|(l, &furniture)| !furniture && !trim_space(l).is_empty())
            });
        if is_media_title(line) || credit_shaped {
            out[i] = false;
            return;
        }
    }
}

/// Whether trimmed line `line` is a media prefix, a colon and a headline of a few words.
fn is_media_title(line: &str) -> bool {
    let Some((prefix, title)) = line.split_once(':') else {
        return false;
    };
    title.split_whitespace().count() >= MEDIA_TITLE_MIN_WORDS
        && is_listed(MEDIA_TITLE_PREFIXES, prefix)
}

/// The fewest words of a headline that opens like a credit.
const CREDIT_SHAPED_HEADLINE_MIN_WORDS: usize = 7;

/// Whether trimmed line `line` is a headline that opens like a photo or video credit ("Video
/// From Bodycam Shows Officer Firing at Fleeing Car"): a credit's first word, seven words or
/// more, and none of a credit's marks (a slash or bar before an agency, "via", "courtesy",
/// "for The …").
fn is_credit_shaped_headline(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    let first = words
        .first()
        .map(|w| w.trim_end_matches([':', '.']).to_lowercase())
        .unwrap_or_default();
    let lower = line.to_lowercase();
    words.len() >= CREDIT_SHAPED_HEADLINE_MIN_WORDS
        && matches!(
            first.as_str(),
            "photo"
                | "photos"
                | "photograph"
                | "image"
                | "picture"
                | "pic"
                | "video"
                | "footage"
                | "illustration"
                | "graphic"
        )
        && !line.contains(['/', '|'])
        && ![" via ", "courtesy", " for the "]
            .iter()
            .any(|m| lower.contains(m))
}

/// Labels that head a list of links at the end of a page (`data/link_list_labels.txt`).
const LINK_LIST_LABELS: &str = include_str!("../data/link_list_labels.txt");

/// The longest line taken for a linked headline, in bytes, and its most words.
const LINK_MAX_BYTES: usize = 160;
const LINK_MAX_WORDS: usize = 20;

/// Whether furniture line `line` is a link-list label ("More on this story", "Related Topics").
fn is_link_list_label(line: &str) -> bool {
    is_listed(LINK_LIST_LABELS, line) || names_a_box(line)
}

/// Whether furniture line `line` titles a box of links after the site, a section or an author
/// ("More from The Harbour Herald", "More in Politics", "Recommended from Medium"): a few words
/// opening so.
fn names_a_box(line: &str) -> bool {
    const OPENINGS: [&str; 6] = [
        "more from ",
        "more in ",
        "more on ",
        "more about ",
        "latest from ",
        "recommended from ",
    ];
    let t = trim_space(line);
    t.split_whitespace().count() <= BOX_NAME_MAX_WORDS
        && OPENINGS
            .iter()
            .any(|o| t.get(..o.len()).is_some_and(|p| p.eq_ignore_ascii_case(o)))
}

/// The most words of a box title [`names_a_box`] reads.
const BOX_NAME_MAX_WORDS: usize = 8;

/// Whether `line`, trimmed, without its trailing punctuation, its spaces collapsed and lower
/// case, is a line of the label list `list`.
fn is_listed(list: &str, line: &str) -> bool {
    let label = strip_trailing(trim_space(line));
    let label: String = label
        .split(is_space)
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    list.lines().any(|l| !l.starts_with('#') && l == label)
}

/// Whether `line` (trimmed, not blank) reads as a linked headline or topic: short, with no
/// sentence end (a headline may ask a question or exclaim; it does not end in a full stop).
fn is_link_like(line: &str) -> bool {
    let end = line.trim_end_matches(['"', '”', '’', '\'', ')', ']']);
    line.len() <= LINK_MAX_BYTES
        && line.split_whitespace().count() <= LINK_MAX_WORDS
        && line.chars().any(char::is_alphabetic)
        && !end.ends_with(['.', ',', ';', ':', '。'])
}

/// The list of links under a label at the end of a page ("More on this story", then
/// headlines): when everything from a link-list label to the end of the article is blank,
/// furniture or headline-like, the headlines are furniture too. A label followed by a paragraph
/// of prose heads a section of the article, and nothing under it changes.
fn link_list_at_end(lines: &[&str], out: &mut [bool]) {
    // Where the run of blank, furniture and headline-like lines that ends the article starts.
    let tail = lines
        .iter()
        .zip(out.iter())
        .rposition(|(line, &furniture)| {
            let t = trim_space(line);
            !(furniture || t.is_empty() || is_link_like(t))
        })
        .map_or(0, |prose| prose + 1);
    let Some(label) = (tail..lines.len()).find(|&i| out[i] && is_link_list_label(lines[i])) else {
        return;
    };
    for (line, furniture) in lines[label + 1..].iter().zip(&mut out[label + 1..]) {
        if !trim_space(line).is_empty() {
            *furniture = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::OnceLock;

    fn builtin() -> &'static Boilerplate {
        static B: OnceLock<Boilerplate> = OnceLock::new();
        B.get_or_init(|| Boilerplate::new(true, &[]).unwrap_or_else(|e| panic!("{e}")))
    }

    fn classify(b: &Boilerplate, lines: &[&str]) -> Vec<bool> {
        let mut out = vec![true; 3];
        b.classify(lines, &mut out);
        assert_eq!(out.len(), lines.len());
        out
    }

    /// Whether `line`, alone in an article, is furniture.
    fn alone(b: &Boilerplate, line: &str) -> bool {
        classify(b, &[line])[0]
    }

    /// Whether `line`, between two content paragraphs, is furniture.
    fn between(b: &Boilerplate, line: &str) -> bool {
        let c1 = "The council met on Tuesday to discuss the budget for next year.";
        let c2 = "Officials said a decision would come later this month.";
        let out = classify(b, &[c1, line, c2]);
        assert!(!out[0] && !out[2]);
        out[1]
    }

    fn assert_furniture(lines: &[&str]) {
        let b = builtin();
        let bad: Vec<&str> = lines.iter().copied().filter(|l| !between(b, l)).collect();
        assert!(bad.is_empty(), "not recognised as furniture: {bad:#?}");
    }

    fn assert_content(lines: &[&str]) {
        let b = builtin();
        let bad: Vec<&str> = lines.iter().copied().filter(|l| alone(b, l)).collect();
        assert!(bad.is_empty(), "content taken for furniture: {bad:#?}");
    }

    #[test]
    fn a_big_article_classifies_the_same_on_one_thread_and_on_several() {
        // Every fixture's lines, over and over: furniture, share words between furniture and
        // between paragraphs, across the places where the parallel pass cuts the lines.
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let mut all = String::new();
        let mut names: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        names.sort();
        for name in names {
            all.push_str(&std::fs::read_to_string(name).unwrap());
        }
        let mut lines: Vec<&str> = Vec::new();
        while lines.len() < 3 * PARALLEL_MIN_LINES {
            lines.extend(all.lines());
        }
        let run = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            let mut out = Vec::new();
            let lone = pool.install(|| builtin().classify_noting_lone_shares(&lines, &mut out));
            (out, lone)
        };
        let (one, lone_one) = run(1);
        let (several, lone_several) = run(3);
        assert!(one.iter().filter(|&&f| f).count() > 1_000);
        assert!(!lone_one.is_empty());
        assert_eq!(one, several);
        assert_eq!(lone_one, lone_several);
    }

    #[test]
    fn paywall_embed_author_box_and_wire_trailers() {
        assert_furniture(&[
            "Already have an account? Log in",
            "Unlock this article",
            "Become a subscriber to read the full article",
            "Become a member",
            "Only $1 for 6 months. Cancel anytime.",
            "View this post on Instagram",
            "View all posts by Ruth Okafor",
            "More articles by Jane Doe",
            "Have your say on this story below.",
            "Follow the AP’s coverage of Congress at https://apnews.com/hub/congress.",
            "View original content to download multimedia:https://www.prnewswire.com/news-releases/x-302078911.html",
            "View original content:https://www.prnewswire.com/news-releases/x.html",
            "<div class=\"article-body\">",
            "</p>",
            "<br/>",
            "<p>&nbsp;</p>",
            "<!-- ad slot -->",
        ]);
        assert_content(&[
            "Become a member of the club and you get free parking, the brochure says.",
            "Only $1 for 6 months, the offer that drew 40,000 subscribers, ended in May.",
            "View all posts by date to see how the story developed.",
            "Follow the money.",
            "More stories by Hemingway were found in a Havana archive.",
            "<3 you all, she wrote.",
            "<b>Note:</b> the vote is on Tuesday.",
            // AP's game story heading, and a player's label among prose: share words now.
            "UP NEXT",
        ]);
    }

    #[test]
    fn words_that_also_head_sections_stay_between_paragraphs() {
        let b = builtin();
        for word in [
            "iPhone",
            "Android",
            "Watch",
            "Listen",
            "Video",
            "Audio",
            "Premium",
            "Pool",
            "Credit",
            "Source",
            "Live",
            "Contact",
            "Menu",
            "Home",
            "Copyright",
            "Exclusive",
        ] {
            assert!(!between(b, word), "{word} between paragraphs");
            // Among furniture (a player's or a footer's labels) they go.
            let out = classify(b, &["The story ends here.", word, "Advertisement"]);
            assert_eq!(out, [false, true, true], "{word} next to furniture");
        }
        assert!(between(b, "Advertisement"));
        assert!(between(b, "Getty"));
        // A capitalized domain heads a listicle's entry; a lower-case one is a site's footer.
        assert!(!between(b, "Booking.com"));
        assert!(between(b, "example.com"));
    }

    #[test]
    fn a_headline_under_a_read_also_label_goes_but_not_a_paragraph() {
        let b = builtin();
        let article = [
            "Het geld is bedoeld voor gemeenten die snel kunnen beginnen.",
            "Lees ook:",
            "",
            "Huizenprijzen stijgen weer: 'Kopers hebben geen keus'",
            "Volgens het CBS werden vorig jaar ruim 73.000 woningen opgeleverd.",
            "Related:",
            "The council voted to approve the budget on Tuesday.",
            "Read more",
            "Why the budget matters",
            "The mayor is expected to sign it this week.",
            "Lesen Sie auch",
            "Warum die GDL so mächtig ist",
            "Der Ausstand soll am Mittwoch beginnen.",
        ];
        // "Read more" without a colon may end a teaser: the line after it stays. "Lesen Sie
        // auch" always points at a headline.
        assert_eq!(
            classify(b, &article),
            [
                false, true, false, true, false, true, false, true, false, false, true, true, false
            ]
        );
    }

    #[test]
    fn a_media_page_headline_at_the_top_stays_but_not_a_teaser_below() {
        let b = builtin();
        let gallery = [
            "Photos: Thousands turn out for Lunar New Year parade in San Francisco",
            "1 of 12",
            "Lion dancers perform on Kearny Street. Stephen Lam/The Chronicle",
            "WATCH: Fireworks light up the sky over Chinatown at midnight",
            "More than 500,000 people lined the streets of San Francisco on Saturday night.",
        ];
        assert_eq!(classify(b, &gallery), [false, true, false, true, false]);
        // Below furniture at the top too; a short credit-like line is no headline.
        let video = [
            "Skip to main content",
            "",
            "Video: Police bodycam footage shows moments before the shooting",
            "The footage was released on Friday.",
        ];
        assert_eq!(classify(b, &video), [true, false, false, false]);
        assert_eq!(
            classify(b, &["Photos: AP", "The footage was released on Friday."]),
            [true, false]
        );
    }

    #[test]
    fn furniture_in_other_languages_and_consent_banners() {
        assert_furniture(&[
            "Anzeige",
            "Publicité",
            "Реклама",
            "广告",
            "إعلان",
            "Lesen Sie auch: Regierung plant neue Steuer",
            "Lire aussi : Le gouvernement présente son budget",
            "Te puede interesar",
            "Читайте также:",
            "関連記事",
            "Artikel teilen",
            "Partager sur Facebook",
            "Compartir en X",
            "Поделиться",
            "We value your privacy",
            "Accept all",
            "Comments (23)",
            "View 23 comments",
        ]);
        assert_content(&[
            "Die Anzeige wurde am Montag bei der Polizei erstattet.",
            "La publicité a été retirée après les plaintes des parents.",
            "Teilen Sie Ihre Meinung, sagte der Bürgermeister.",
            "Comments from the minister (23 of them) were released on Friday.",
        ]);
    }

    #[test]
    fn read_times_and_ages_but_not_durations() {
        assert_furniture(&[
            "5 min read",
            "5 mins read",
            "3 minute read",
            "12 minutes ago",
            "12m ago",
            "1h ago",
            "3d ago",
        ]);
        // A recipe card's times and a match report's minutes.
        assert_content(&["15 mins", "45 mins", "12 min", "15 minutes", "1 hr"]);
    }

    #[test]
    fn lines_with_html_character_references_are_classified_decoded() {
        assert_furniture(&[
            "&copy; 2025 Example News Ltd. All rights reserved.",
            "Read more&hellip;",
            "Share&nbsp;this article",
            "Advertisement&#160;",
            "&laquo; Previous article",
        ]);
        assert_content(&[
            "R&amp;D spending fell for a second quarter.",
            "&ldquo;Read more books,&rdquo; she said.",
        ]);
    }

    #[test]
    fn ads() {
        assert_furniture(&[
            "Advertisement",
            "ADVERTISEMENT",
            "advertisement:",
            "Advertisement…",
            "Advertisement »",
            "- Advertisement -",
            "Story continues below advertisement",
            "Continue reading the main story",
            "Advertisement Continue reading the main story",
            "AdvertisementContinue reading the main story",
            "Advertisement - Continue Reading Below",
            "Article continues below advertisement",
            "Ad Feedback",
            "Sponsored Content",
            "Sponsored by Acme Bank",
            "Paid for by Friends of Jane Doe",
            "Supported by",
            "\u{a0}Advertisement\u{a0}",
            "\u{feff}Advertisement",
            "Advertisement\u{200b}",
        ]);
    }

    #[test]
    fn sections() {
        assert_furniture(&[
            "More From This Section",
            "more from this section:",
            "Read more",
            "READ MORE:",
            "Read more »",
            "Read more…",
            "Read More: Senate passes spending bill after late-night vote",
            "RELATED: Five things to know about the storm",
            "Related Articles",
            "Related articles:",
            "You may also like",
            "You might also like",
            "Most Read",
            "Most popular",
            "Editor’s picks",
            "Editors' Picks",
            "Don’t miss",
            "Don't Miss",
            "More from BBC News",
            "More on Brexit",
            "More on this story",
            "Top Stories",
            "Recommended for you",
            "CLICK HERE TO GET THE FOX NEWS APP",
            "Click here for more sports coverage on FOXNews.com",
            "Related Topics",
            "Read more | Related articles",
        ]);
    }

    #[test]
    fn share_widgets() {
        assert_furniture(&[
            "Share this article",
            "Share on Facebook",
            "Share on Twitter",
            "Share via Email",
            "Share this with",
            "Share this article on",
            "Share on Facebook Share on Twitter",
            "Share on Facebook | Share on Twitter | Share via Email",
            "Facebook Twitter Email",
            "Facebook | Twitter | WhatsApp | Copy link",
            "FacebookTwitterEmail",
            "Share Tweet Email",
            "Click to share on Twitter (Opens in new window)",
            "Print recipe",
            "Jump to Recipe",
            "Save this recipe",
            "1.2K shares",
            "12 Comments",
            "Follow us on Facebook, Twitter and Instagram",
            "Follow us on Twitter",
            "Like us on Facebook",
            "Follow BBC News on Twitter",
            "Follow us on Twitter @BBCBreaking",
            "Comments are closed",
            "Gift this article",
            "Link copied to clipboard",
        ]);
    }

    #[test]
    fn share_runs() {
        let b = builtin();
        let lines = [
            "The minister resigned on Friday.",
            "",
            "Share this with",
            "Facebook",
            "",
            "Twitter",
            "Email",
            "Copy this link",
            "",
            "The vote is due next week.",
        ];
        let out = classify(b, &lines);
        assert_eq!(
            out,
            vec![
                false, false, true, true, false, true, true, true, false, false
            ]
        );

        // A lone share word between content paragraphs stays.
        assert!(!between(b, "Facebook"));
        assert!(!between(b, "Twitter"));
        assert!(!between(b, "Email"));
        assert!(!alone(b, "Facebook"));
        // Two share words on one line are furniture on their own.
        assert!(between(b, "Facebook Twitter Email"));
        assert!(between(b, "Facebook Twitter"));
        // Two single share-word lines next to each other are furniture.
        let out = classify(
            b,
            &[
                "Content here, long enough.",
                "Facebook",
                "Twitter",
                "More content.",
            ],
        );
        assert_eq!(out, vec![false, true, true, false]);
        // A share word next to other furniture (below).
        let out = classify(
            b,
            &[
                "Content here.",
                "Email",
                "",
                "Advertisement",
                "More content.",
            ],
        );
        assert_eq!(out, vec![false, true, false, true, false]);
        // A share word next to other furniture (above).
        let out = classify(
            b,
            &["Content here.", "Share this article", "Facebook", "More."],
        );
        assert_eq!(out, vec![false, true, true, false]);
        // A share word that ends the article below its text (blank lines after it count as
        // nothing); alone, or above the text, it is not known to be a button.
        let out = classify(b, &["Content here.", "More content.", "Share", "", ""]);
        assert_eq!(out, vec![false, false, true, false, false]);
        let out = classify(b, &["", "Share", "", "Content here."]);
        assert_eq!(out, vec![false, false, false, false]);
    }

    #[test]
    fn newsletter_and_apps() {
        assert_furniture(&[
            "Sign up for our newsletter",
            "Sign up for our free Morning Briefing newsletter",
            "Sign up to First Edition, our free daily newsletter",
            "Subscribe to our newsletter",
            "Subscribe now",
            "Already a subscriber? Log in",
            "Get the best of Politico delivered to your inbox every morning",
            "By signing up, you agree to our Terms of Use and Privacy Policy.",
            "You’ve reached your limit of free articles.",
            "skip past newsletter promotion",
            "after newsletter promotion",
            "Privacy Policy | Terms of Service",
            "Support our journalism",
            "Download the BBC News app",
            "Get the CNN app for iPhone and Android",
            "Download our app",
            "Get it on Google Play",
            "Download on the App Store",
            "Available on the App Store and Google Play",
            "Open in app",
            "Turn on notifications",
        ]);
    }

    #[test]
    fn copyright() {
        assert_furniture(&[
            "© 2015 Reuters. All rights reserved.",
            "©2019 The New York Times Company",
            "Copyright © 2020 Nexstar Media Inc. All rights reserved.",
            "Copyright 2015 The Associated Press. All rights reserved. This material may not be published, broadcast, rewritten or redistributed.",
            "Copyright 2020 Nexstar Media Inc. All rights reserved. This material may not be published, broadcast, rewritten, or redistributed.",
            "(c) 2018 Foo Media LLC",
            "All Rights Reserved.",
            "Reuters 2015. All rights reserved.",
            "Copyright Getty Images",
            "Our Standards: The Thomson Reuters Trust Principles.",
            "Acquire Licensing Rights",
        ]);
    }

    #[test]
    fn media() {
        assert_furniture(&[
            "1 of 12",
            "Image 3 of 20",
            "4/10",
            "Image copyright Getty Images",
            "Image copyright AFP/Getty",
            "Image source, Reuters",
            "Image caption",
            "Watch video",
            "WATCH: Trump speaks at rally in Ohio",
            "Photos: The scene in Paris after the fire",
            "Media playback is unsupported on your device",
            "1 of 12 Image copyright Getty Images",
            "Play video 2:34",
            "Video 1:02",
            "(02:15)",
            "Duration: 1:02:03",
            "ADVERTISEMENT - SCROLL TO CONTINUE",
            "Sign up for our free daily business newsletter",
            "Show key events only",
            "Share this obituary",
            "Sign the guestbook",
            "555-1234",
            "5 min read",
            "4 minutes read",
            "2 hours ago",
            "Hide Caption",
            "Enlarge this image",
            "toggle caption",
            "Listen to this article",
        ]);
    }

    #[test]
    fn navigation() {
        assert_furniture(&[
            "Skip to main content",
            "Skip to content",
            "Back to top",
            "Back to top ↑",
            "Go to Home Page »",
            "Home | Sections | Search",
            "Next article",
            "Previous",
            "Page 2 of 3",
            "Show more",
            "Load more stories",
            "We use cookies to improve your experience. By continuing you agree.",
            "Please enable JavaScript in your browser settings.",
            "Updated 3:45 PM ET, Tue March 5, 2019",
            "Published 2 hours ago",
            "Updated 3:45 p.m. ET, Tuesday, March 5, 2019",
            "Last updated: 12 June 2020",
            "Posted on Jan. 3, 2021 at 5:00 PM",
            "5 min read",
        ]);
    }

    #[test]
    fn credits() {
        assert_furniture(&[
            "Photo: Jane Doe/AP",
            "(Photo: Jane Doe, AP)",
            "Photograph: Jane Doe/Reuters",
            "Getty Images",
            "AFP via Getty Images",
            "Jane Doe/AFP via Getty Images",
            "Jane Doe/AP",
            "John Smith / Getty Images",
            "Credit...Todd Heisler/The New York Times",
            "Credit: Todd Heisler for The New York Times",
            "Photo by Jane Doe on Unsplash",
            "Image: Getty Images",
            "(AP Photo/Evan Vucci, File)",
            "AP Photo/Evan Vucci",
            "Reuters",
            "(Reporting by Jane Doe in London; Editing by John Roe)",
            "Reporting by Jane Doe; Editing by John Roe",
            "Associated Press writer Jane Doe in Paris contributed to this report.",
            "Jane Doe contributed reporting from London.",
        ]);
    }

    #[test]
    fn contact() {
        assert_furniture(&[
            "Contact the reporter at jdoe@example.com",
            "Contact the author: jdoe@example.com",
            "jdoe@example.com",
            "mailto:jdoe@example.com",
            "https://www.example.com/news/2019/story.html",
            "www.example.com",
            "example.com",
            "@jdoe",
            "Email: jdoe@example.com",
            "Twitter: @jdoe",
            "Jane Doe can be reached at jdoe@example.com or 555-123-4567.",
            "Follow him on Twitter at https://twitter.com/jdoe",
            "Got a tip? Email us at tips@example.com",
            "Send us a tip",
            "Contact us",
        ]);
    }

    #[test]
    fn content_stays() {
        assert_content(&[
            "The advertisement campaign drew criticism.",
            "Read more about the plan in our earlier report on the senate vote.",
            "Photo credits aside, the exhibit is strong.",
            "He said to email him.",
            "Twitter said on Tuesday it would ban the accounts.",
            "Copyright law is changing fast in Europe, experts said.",
            "Copyright 2019 was a big year for the directive",
            "Share prices fell 3% on Monday.",
            "Facebook",
            "Email",
            "Related news emerged later in the day.",
            "More from the minister's speech is expected tomorrow.",
            "Sign up for Medicare by March, officials urged.",
            "Credit Suisse said on Monday it would cut jobs.",
            "Watch this space, the coach said.",
            "Follow the money, he said.",
            "Photo: Children play in the park",
            "Image copyright issues dominated the hearing.",
            "Click",
            "The company's app store was down for hours.",
            "Sponsored by the mayor, the bill passed easily.",
            "All rights reserved, the contract said, would remain with the author.",
            "Subscribe to the idea that less is more, he argued.",
            "Back to school season is here.",
            "1 of 12 people surveyed said they would move.",
            "Home prices rose 5% in March.",
            "Skip the queue.",
            "Contact with the rebels was lost on Monday.",
            "Reporting by the Times found widespread fraud.",
            "Updated figures showed a sharp rise in cases.",
            "Updated 2019 figures show a drop.",
            "Updated figures from 2019 show a drop.",
            "Published by Penguin in 2019, the book sold well.",
            "Get rid of the clutter in your inbox, experts advise.",
            "Getty Images said it would appeal.",
            "Reuters reported the deal earlier on Thursday.",
            "...",
            "—",
            "Jane Doe/AP reported",
            "The (c) clause of the treaty applies.",
            "Most read books of the year were thrillers.",
            // Section dividers belong to the article's structure.
            "* * *",
            "___",
            "-----",
            // Repeated shopping labels and tweet attributions are content.
            "Also at Walmart",
            "— The Senate (@Senate) October 9, 2018",
            // Times, years, durations and headings that stand alone on a line in live blogs,
            // results, obituaries, recipes and reviews.
            "08:14",
            "20:00",
            "2:01:25",
            "1934-2024",
            "2023-2024",
            "15 minutes",
            "25 years ago",
            "Features",
            "Tips",
        ]);
    }

    #[test]
    fn spelling_variants() {
        assert_furniture(&[
            "Read\u{a0}more",
            "Read  \t more",
            "READ MORE",
            "rEaD mOrE:",
            "Don\u{2019}t miss",
            "Editor\u{2018}s picks",
            "Today\u{2019}s top stories",
            "E\u{2011}mail Facebook",
            "(Advertisement)",
            "[Advertisement]",
            "» Read more",
            "Read more ›",
            "Advertisement • Read more • Related Articles",
            "Advertisement / Share this article, Most Read",
            "… Advertisement",
        ]);
    }

    #[test]
    fn tag_lines_recipe_prompts_and_obituary_buttons() {
        assert_furniture(&[
            "Tags: Elections, Senate, Congress",
            "TAGS: climate | energy",
            "Filed under: Politics",
            "Filed Under: Politics, Congress",
            "Topics: Ukraine, Russia",
            "Categories: Recipes, Desserts",
            "Did you make this recipe? Tag @halfbakedharvest on Instagram",
            "Tried this recipe? Leave a comment below!",
            "Made this?",
        ]);
        assert_content(&[
            "Topics ranged from taxes to schools.",
            "Tags: the museum will label each piece. Visitors can scan them.",
            "Filed under the wrong name, the claim was rejected.",
            "Did you make this recipe with fresh tomatoes? It tastes better.",
            "Send Flowers",
            "Get in touch",
        ]);
        let b = builtin();
        let obituary = classify(
            b,
            &[
                "She is survived by her husband and three children.",
                "Send Flowers",
                "Share a Memory",
                "Plant a Tree",
            ],
        );
        assert_eq!(obituary, vec![false, true, true, true]);
        assert!(alone(b, "Send Flowers | View Guestbook"));
    }

    #[test]
    fn link_lists_under_a_label_at_the_end_are_furniture() {
        let b = builtin();
        let c1 = "The council met on Tuesday to discuss the budget for next year.";
        let c2 = "Officials said a decision would come later this month.";
        let page = [
            c1,
            c2,
            "More on this story",
            "Council tax to rise by 5% in April",
            "",
            "Why are bin collections changing?",
            "Related Topics",
            "Local government",
            "Advertisement",
            "Budget 2025",
        ];
        let out = classify(b, &page);
        assert_eq!(
            out,
            vec![
                false, false, true, true, false, true, true, true, true, true
            ]
        );
        // A label heading a section of prose: what follows stays.
        let section = [c1, "Related", "What the budget means for you", c2];
        assert_eq!(classify(b, &section), vec![false, true, false, false]);
        // Not a link-list label, or a last line that is prose: nothing more goes.
        let faq = [c1, "Advertisement", "Council tax to rise by 5% in April"];
        assert_eq!(classify(b, &faq), vec![false, true, false]);
        let prose = [c1, "Read more", "Council tax to rise by 5% in April", c2];
        assert_eq!(classify(b, &prose), vec![false, true, false, false]);
    }

    #[test]
    fn blank_lines_never_furniture() {
        let b = builtin();
        let out = classify(b, &["", "   ", "\u{a0}", "Advertisement", ""]);
        assert_eq!(out, vec![false, false, false, true, false]);
    }

    #[test]
    fn long_lines_never_furniture() {
        let b = builtin();
        let long = format!("© 2015 Reuters. {}", "All rights reserved. ".repeat(20));
        assert!(long.len() > MAX_FURNITURE_BYTES);
        assert!(!alone(b, &long));
    }

    #[test]
    fn user_lists() {
        let list = "# my site\n\nSubscribe to The Daily Bugle\nre:bugle exclusive(?: offer)?\n  \n  # indented comment\nDon't touch\n";
        let b = Boilerplate::new(false, &[("mine.txt".to_string(), list.to_string())]).unwrap();
        assert!(alone(&b, "Subscribe to the daily bugle"));
        assert!(alone(&b, "SUBSCRIBE TO\u{a0}THE   DAILY BUGLE."));
        assert!(alone(&b, "Bugle Exclusive"));
        assert!(alone(&b, "bugle exclusive offer:"));
        assert!(alone(&b, "Don’t touch"));
        assert!(alone(&b, "Bugle exclusive | Don't touch"));
        assert!(!alone(&b, "Bugle exclusive offer ends today"));
        assert!(!alone(&b, "my site"));
        assert!(!alone(&b, "# my site"));
        // Built-in lists are off.
        assert!(!alone(&b, "Advertisement"));
        // Anchors in a user regex are harmless.
        let b = Boilerplate::new(
            false,
            &[("a".to_string(), "re:^foo\\$?bar$\nre:baz\\$".to_string())],
        )
        .unwrap();
        assert!(alone(&b, "foobar"));
        assert!(alone(&b, "foo$bar"));
        assert!(alone(&b, "baz$"));
        assert!(!alone(&b, "baz"));
        // User lists add to the built-in ones.
        let b = Boilerplate::new(true, &[("u".to_string(), "Bugle extra".to_string())]).unwrap();
        assert!(alone(&b, "Bugle extra"));
        assert!(alone(&b, "Advertisement"));
        assert!(alone(&b, "Advertisement Bugle extra"));
    }

    #[test]
    fn user_share_word_literal_is_furniture_alone() {
        let b = Boilerplate::new(true, &[("u".to_string(), "Facebook".to_string())]).unwrap();
        assert!(between(&b, "Facebook"));
        assert!(!between(&b, "Twitter"));
    }

    #[test]
    fn bad_regex_reports_list_and_line() {
        let lists = vec![
            ("first.txt".to_string(), "Advertisement\n".to_string()),
            (
                "second.txt".to_string(),
                "# comment\nfoo\n\nre:(unclosed\n".to_string(),
            ),
        ];
        let err = Boilerplate::new(true, &lists).unwrap_err();
        assert_eq!(err.source_name, "second.txt");
        assert_eq!(err.line, 4);
        assert!(err.message.contains("regex"), "{}", err.message);
        assert!(err.to_string().starts_with("second.txt:4: "), "{err}");

        let err =
            Boilerplate::new(false, &[("e".to_string(), "a\nre:.*".to_string())]).unwrap_err();
        assert_eq!((err.source_name.as_str(), err.line), ("e", 2));
        let err = Boilerplate::new(false, &[("e".to_string(), "re:   ".to_string())]).unwrap_err();
        assert_eq!((err.source_name.as_str(), err.line), ("e", 1));
        let err = Boilerplate::new(false, &[("e".to_string(), "\n...".to_string())]).unwrap_err();
        assert_eq!((err.source_name.as_str(), err.line), ("e", 2));
    }

    #[test]
    fn no_default_boilerplate_matches_nothing() {
        let b = Boilerplate::new(false, &[]).unwrap();
        let lines = [
            "Advertisement",
            "Share this with",
            "Facebook",
            "Twitter",
            "Facebook Twitter Email",
            "© 2015 Reuters. All rights reserved.",
            "jdoe@example.com",
        ];
        assert_eq!(classify(&b, &lines), vec![false; lines.len()]);
    }

    #[test]
    fn builtin_entries_compile_and_match_themselves() {
        let b = builtin();
        for (family, text) in BUILTIN_LISTS.iter().chain([&SHARE_WORDS]) {
            let source = format!("builtin:{family}");
            let entries = parse_list(&source, text, true).unwrap_or_else(|e| panic!("{e}"));
            assert!(
                entries.len() >= 10,
                "{source} has only {} entries",
                entries.len()
            );
            for (i, raw) in text.lines().enumerate() {
                let line = trim_space(raw);
                if line.is_empty() || line.starts_with('#') || line.starts_with("re:") {
                    continue;
                }
                let here = format!("{source}:{}: {line:?}", i + 1);
                if *family == SHARE_WORDS.0 {
                    let run = classify(b, &["Share this with", line, "Content follows here."]);
                    assert_eq!(run, vec![true, true, false], "{here}");
                    assert!(alone(b, &format!("{line} {line}")), "{here}");
                } else {
                    assert!(alone(b, line), "{here} does not match itself");
                    let upper = line.to_uppercase();
                    assert!(alone(b, &upper), "{here} does not match {upper:?}");
                }
            }
        }
    }

    #[test]
    fn matcher_is_send_sync_clone_debug() {
        fn check<T: Send + Sync + Clone + std::fmt::Debug>() {}
        check::<Boilerplate>();
        let b = builtin().clone();
        assert!(format!("{b:?}").contains("patterns"));
    }

    #[test]
    fn a_furniture_opening_with_an_attribution_is_a_sentence() {
        for line in [
            "This website uses cookies to track visitors across other sites, the regulator found.",
            "Enable notifications in the settings menu to receive emergency alerts, officials advised.",
            "Click here for more, the minister said.",
        ] {
            assert!(ends_in_attribution(line), "{line}");
            assert_eq!(builtin().kind(line, None), Kind::Content, "{line}");
        }
        for line in [
            "This material may not be published, broadcast, rewritten or redistributed.",
            "Copyright 2024, The Associated Press",
            "Click here, then share",
            "Read more: Fed holds rates steady, Powell says",
            "WATCH: 'We will rebuild,' says mayor",
            "(Editing by John Smith, reported by Jane Doe)",
        ] {
            assert!(!ends_in_attribution(line), "{line}");
        }
        assert_eq!(
            builtin().kind("Click here for more, then share", None),
            Kind::Furniture
        );
    }

    #[test]
    fn affiliate_notes_need_their_ending_and_footer_words_are_share_words() {
        assert_content(&[
            "We may receive compensation eventually, but nobody has told us when or how much.",
            "We may get a small commission of the profits if the deal goes through, but it is not certain.",
        ]);
        assert_furniture(&[
            "We may earn a commission when you buy through links on our site.",
            "We may earn a commission from links on this page.",
            "We may receive compensation if you click on links to products.",
        ]);
        let b = builtin();
        for heading in ["Key event", "About us"] {
            assert!(!between(b, heading), "{heading}");
            let out = classify(b, &["The story ends here.", heading, "Advertisement"]);
            assert_eq!(out, [false, true, true], "{heading} next to furniture");
        }
    }

    #[test]
    fn agency_names_listed_under_a_colon_stay_but_credits_go() {
        let b = builtin();
        let list = [
            "The agencies excluded from the trip were:",
            "Associated Press",
            "Agence France-Presse",
            "Reuters",
            "",
            "Bloomberg",
            "The association called the decision an attack on the press.",
            "Reuters",
            "Photo: Reuters",
        ];
        assert_eq!(
            classify(b, &list),
            [false, false, false, false, false, false, false, true, true]
        );
        // A colon line that is furniture itself opens no list.
        assert_eq!(
            classify(b, &["The storm hit at night.", "Related:", "Reuters"]),
            [false, true, true]
        );
        assert!(between(b, "Reuters"));
    }

    #[test]
    fn sponsors_who_are_officials_and_prose_topic_lists_stay() {
        assert_content(&[
            "Sponsored by Rep. Jason Kropf and Sen. Kate Lieber",
            "Sponsored by Gov. Tina Kotek",
            "Presented by Sen. Janeen Sollman",
            "Sponsored by Senator Ron Wyden",
            "Co-sponsored by Assemblymember Alex Lee",
            "Sponsored by Councilmember Brooke Pinto",
            "Presented by Mayor Karen Bass",
            "Topics: Immigration, the economy, abortion rights and foreign policy",
            "Topics: Housing, schools or transit",
            "Tags: a museum guide",
        ]);
        assert_furniture(&[
            "Sponsored by Acme Bank",
            "Presented by Toyota",
            "Sponsored by Rex Financial",
            "Topics: Ukraine, Russia",
            "Tags: Arts and Culture, Politics",
            "Tags: climate, energy",
        ]);
    }

    #[test]
    fn copyright_subheads_and_advice_on_alerts_stay() {
        assert_content(&[
            "Copyright Law in the Age of AI",
            "Copyright Office Rejects AI Art",
            "Turn on notifications for flood warnings from the Environment Agency.",
            "Get alerts on your phone from your local council.",
            "Sign up for flood alerts from the Environment Agency.",
            "Sign Up for Medicare Part B",
            "Sign up for Social Security",
        ]);
        assert_furniture(&[
            "Copyright Getty Images",
            "Copyright AFP/Jane Doe",
            "Copyright 2024 Harbour Media",
            "Turn on notifications for breaking news",
            "Get alerts in the app",
            "Get alerts from Harbour News",
            "Get breaking news alerts on your phone",
            "Sign up for our newsletter",
            "Sign up for The Morning newsletter",
            "Sign up for Breaking News alerts",
            "Sign up to First Edition",
            "Sign up for our Morning Briefing",
            "Sign up for free",
        ]);
    }

    #[test]
    fn title_case_app_headings_and_promoted_stay_between_paragraphs() {
        let b = builtin();
        for heading in ["Download the Medicare App", "Promoted"] {
            assert!(!between(b, heading), "{heading}");
            let out = classify(b, &["The story ends here.", heading, "Advertisement"]);
            assert_eq!(out, [false, true, true], "{heading} next to furniture");
        }
        assert!(between(b, "Download the BBC News app"));
        assert!(between(b, "Download the App"));
        assert!(between(b, "Promoted content"));
    }

    #[test]
    fn a_headline_that_opens_like_a_credit_stays_at_the_top() {
        let b = builtin();
        let body = "Police released the footage on Friday.";
        for (headline, kept) in [
            (
                "Video From Bodycam Shows Officer Firing at Fleeing Car",
                true,
            ),
            ("Photo by Jane Doe for The New York Times", false),
            ("Photograph: Jane Doe / Reuters via Getty Images", false),
            ("Video from Jane Doe", false),
        ] {
            assert_eq!(classify(b, &[headline, body]), [!kept, false], "{headline}");
        }
        // Below the text it is a credit.
        assert!(between(
            b,
            "Video From Bodycam Shows Officer Firing at Fleeing Car"
        ));
    }

    #[test]
    fn every_read_also_label_takes_the_headline_under_it() {
        let b = builtin();
        for label in READ_ALSO_LABELS
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
        {
            for written in [label.to_owned(), format!("{label}:")] {
                let article = [
                    "The council met on Tuesday to discuss the budget for next year.",
                    written.as_str(),
                    "Minister says the budget will hold",
                    "Officials said a decision would come later this month.",
                ];
                assert_eq!(
                    classify(b, &article),
                    [false, true, true, false],
                    "{written:?}"
                );
            }
        }
    }

    #[test]
    fn credits_republishing_notes_players_widgets_and_foreign_furniture() {
        assert_furniture(&[
            "Foto: Lukas Coch/AAP",
            "Foto: Sebastian Gollnow/dpa",
            "Foto: Reprodução/RBS TV",
            "Фото: Сергей Бобылев / ТАСС",
            "Lukas Coch | AAP",
            "📸 Tracey Nearmy / Reuters",
            "(PRNewsfoto/Northwind Robotics)",
            "This article is republished from The Conversation under a Creative Commons license. Read the original article.",
            "This article originally appeared on The Conversation.",
            "This story was originally published by Grist. Sign up for Grist's weekly newsletter here.",
            "Originally published March 4, 2024 at 6:00 a.m. ET",
            "Disclosure statement",
            "Listen to this article · 5 min",
            "Voiced by Amazon Polly",
            "This audio is auto-generated. Please let us know if you have feedback.",
            "Audio generated by AI. Learn more",
            "Listen · 3:48",
            "0:00 / 5:12",
            "We may earn a commission when you buy through links on our site.",
            "This post contains affiliate links. Read our disclosure policy.",
            "$1,599 at Amazon",
            "Buy now",
            "Shop now",
            "See at Best Buy",
            "Was this article helpful?",
            "Thanks for your feedback!",
            "Rate this article",
            "Report an issue",
            "Did you find this useful?",
            "Skip twitter post by Taylor Swift",
            "Allow Twitter content?",
            "This article contains content provided by Twitter. We ask for your permission before anything is loaded.",
            "Accept and continue",
            "End of twitter post by Taylor Swift",
            "Twitter content: This content can also be viewed on the site it originates from.",
            "Article information",
            "Author, Laura Gozzi",
            "Role, BBC News, Paris",
            "Pinned post",
            "Please turn on JavaScript in your browser to enable live updates.",
            "Load earlier entries",
            "Continua após a publicidade",
            "Receba as notícias do g1 RS no WhatsApp",
            "Siga o g1 RS no Instagram",
            "Mais lidas",
            "Материалы по теме",
            "Новости партнеров",
            "Читать далее",
            "Все права защищены",
            "Article réservé aux abonnés",
            "Offrir cet article",
            "Envoyer par e-mail",
            "Temps de Lecture 3 min.",
            "Réutiliser ce contenu",
            "Tiempo de lectura: 2 min",
            "Síguenos en Google News",
            "Se adhiere a los criterios de The Trust Project",
            "Ver comentarios",
            "Alle akzeptieren",
            "Lesezeit: 3 Min.",
            "Subscribe for £1",
            "Accessibility statement",
            "Site map",
            "About us | Contact us | Careers | Advertise with us",
        ]);
        assert_content(&[
            "Foto: a word used in Italian captions.",
            "This article originally appeared in a different form in 1962 and was reprinted often.",
            "We may earn a commission, the company said.",
            "$1,599 at Amazon is the lowest price the laptop has sold for.",
            "Listen to this article's author explain the findings in a podcast.",
            "Key events of the week included a budget vote and two by-elections.",
            "Siga o dinheiro, disse o investigador.",
            "Careers",
            "Yes",
        ]);
    }

    #[test]
    fn classify_reuses_output() {
        let b = builtin();
        let mut out = vec![true; 10];
        b.classify(&["Advertisement", "Text."], &mut out);
        assert_eq!(out, vec![true, false]);
        b.classify(&[], &mut out);
        assert!(out.is_empty());
    }

    #[test]
    fn a_full_width_colon_ends_a_label_as_a_colon_does() {
        let b = builtin();
        assert!(between(b, "分享到："));
        assert!(between(b, "Read more："));
        assert_eq!(strip_trailing("関連記事："), "関連記事");
    }

    #[test]
    fn prose_after_a_link_label_is_content() {
        for prose in [
            "More: the state pension rises by 4.1% in April for those on the full pension.",
            "Related: the number of complaints rose by a third, the regulator said.",
        ] {
            assert!(is_prose_after_link_label(prose), "{prose}");
            assert!(!between(builtin(), prose), "{prose}");
        }
        for link in [
            "Related: Five charts that explain the budget",
            "Read more: the best hotels in Lisbon",
            "More: Police name man found dead.",
            "Related: a list of links...",
            "Notes: the figures are provisional and may be revised later.",
        ] {
            assert!(!is_prose_after_link_label(link), "{link}");
        }
    }

    #[test]
    fn section_labels_heading_text_stay_only_among_subheads() {
        let b = builtin();
        let text = "The kettle boiled a litre of water in two minutes, the fastest we tested.";
        let with_subheads = [
            "Eight kettles tested",
            "We timed every kettle over a month of daily use in an office kitchen.",
            "Recommended",
            text,
            "Also good",
            text,
        ];
        assert_eq!(
            classify(b, &with_subheads),
            vec![false, false, false, false, false, false]
        );
        // No subhead of its own: the label between paragraphs is a box's title.
        let plain = [with_subheads[0], with_subheads[1], "Recommended", text];
        assert_eq!(classify(b, &plain), vec![false, false, true, false]);
        // A label followed by furniture is left to the other rules; "Read more" is no subhead.
        let read_more = [with_subheads[1], "Also good", text, "Read more", text];
        assert!(classify(b, &read_more)[3]);
        let over_furniture = [
            with_subheads[1],
            "Also good",
            text,
            "Most popular",
            "Advertisement",
        ];
        assert_eq!(classify(b, &over_furniture)[3..], [true, true]);
    }

    #[test]
    fn tag_labels_as_fields_of_a_list_stay() {
        let b = builtin();
        let rows = [
            "The winners were announced on Sunday night in Leeds.",
            "Category: Best New Play",
            "Winner: Coal Not Dole",
            "Category: Best Director",
            "Winner: Sunil Varma",
            "The judges praised the shortlist.",
            "Tags: Leeds, Awards",
        ];
        assert_eq!(
            classify(b, &rows),
            vec![false, false, false, false, false, false, true]
        );
        // The same value twice (a page captured twice), or a paragraph between: tag lines.
        let same = [
            rows[0],
            "Category: Theatre",
            "Winner: Coal Not Dole",
            "Category: Theatre",
        ];
        assert_eq!(classify(b, &same), vec![false, true, false, true]);
        let apart = [rows[1], rows[0], "Category: Theatre"];
        assert_eq!(classify(b, &apart), vec![true, false, true]);
    }
}
