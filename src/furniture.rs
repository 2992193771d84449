//! The built-in boilerplate lists as ready-made automata, so that start-up does not compile
//! them.
//!
//! [`crate::boilerplate`] defines what a furniture line is with one regex over all patterns:
//! `\A SEP* (UNIT SEP*)+ \z`. Compiling it takes about 35 ms, which is the whole start-up of a
//! small article. For the built-in lists the same question is answered here without compiling
//! anything that takes time:
//!
//! * literal patterns and share words go into a trie over folded characters (built in well under
//!   a millisecond);
//! * every `re:` pattern is a DFA generated ahead of time (`data/boilerplate/builtin.dfa`, made
//!   by the test `builtin_automata_are_current`, which also fails when the file is stale) and
//!   deserialized, which only validates it;
//! * a line is then walked once, position by position: from every position where a unit may
//!   start (the start, after separators, or where a unit ended), the trie and the DFAs whose
//!   first byte fits report every position where a unit can end.
//!
//! The answer is the regex's answer: the tests compare both on every fixture line, on the
//! boilerplate tests' lines and on generated ones. User lists (`--boilerplate`) still go through
//! the regex, which they need to be compiled anyway.

use regex_automata::dfa::{Automaton, sparse};
use regex_automata::{Anchored, Input};

/// The generated automata: see [`Automata::load`] for the layout.
const BUILTIN_DFAS: &[u8] = include_bytes!("../data/boilerplate/builtin.dfa");

/// The file's first bytes; the number changes with the layout.
pub(crate) const MAGIC: &[u8; 8] = b"NDDFA03\n";

/// A hash of the `re:` patterns the file was generated from, so that a file older than the
/// lists is refused rather than used.
pub(crate) fn patterns_hash<'a>(patterns: impl IntoIterator<Item = &'a str>) -> u64 {
    let mut joined = Vec::new();
    for pattern in patterns {
        joined.extend_from_slice(pattern.as_bytes());
        joined.push(0);
    }
    xxhash_rust::xxh3::xxh3_64(&joined)
}

/// Symbols of the trie that stand for a class of characters rather than one.
const SPACE: u32 = 0x11_0000;
const APOSTROPHE: u32 = 0x11_0001;
const QUOTE: u32 = 0x11_0002;
const HYPHEN: u32 = 0x11_0003;

/// The trie symbol of a character of a literal pattern or of a line. Literal patterns match
/// case-insensitively (simple case folding: for ASCII letters that adds only the Kelvin sign
/// and the long s), quotes and apostrophes match their curly forms, `-` the Unicode hyphens.
fn symbol(c: char) -> u32 {
    match c {
        '\'' | '‘' | '’' | 'ʼ' | '′' | '`' | '´' => APOSTROPHE,
        '"' | '“' | '”' | '„' | '″' => QUOTE,
        '-' | '‐' | '‑' => HYPHEN,
        '\u{212A}' => u32::from('k'),
        '\u{17F}' => u32::from('s'),
        c if c.is_ascii() => u32::from(c.to_ascii_lowercase()),
        c => {
            let mut lower = c.to_lowercase();
            match (lower.next(), lower.next()) {
                (Some(l), None) => u32::from(l),
                _ => u32::from(c),
            }
        }
    }
}

/// A trie of literal phrases over [`symbol`]s; a run of white space is one [`SPACE`] edge.
///
/// Flat: node `n`'s edges are `edges[first[n]..first[n + 1]]`, sorted by symbol. Built at every
/// start from the lists, so it is built without a vector per node (a few allocations in all,
/// not thousands to make and free).
#[derive(Debug)]
struct Trie {
    /// Per node: where its edges start in `edges` (one more entry than nodes).
    first: Vec<u32>,
    /// Per node: whether a phrase ends there.
    end: Vec<bool>,
    /// Edges: (symbol, child).
    edges: Vec<(u32, u32)>,
}

/// The symbols of a phrase: one per character, a run of white space as one [`SPACE`].
fn symbols(phrase: &str, out: &mut Vec<u32>) {
    let mut in_space = false;
    for c in phrase.chars() {
        if crate::boilerplate::is_space(c) {
            if !in_space {
                out.push(SPACE);
            }
            in_space = true;
        } else {
            in_space = false;
            out.push(symbol(c));
        }
    }
}

impl Trie {
    fn new<'a>(phrases: impl IntoIterator<Item = &'a str>) -> Trie {
        // The phrases as symbol strings, sorted: each one shares a prefix with the one before
        // and adds nodes after it, and a node's children come in symbol order.
        let mut syms = Vec::new();
        let mut spans = Vec::new();
        for phrase in phrases {
            let from = syms.len();
            symbols(phrase, &mut syms);
            spans.push(from..syms.len());
        }
        spans.sort_unstable_by(|a, b| syms[a.clone()].cmp(&syms[b.clone()]));
        spans.dedup_by(|a, b| syms[a.clone()] == syms[b.clone()]);
        // (parent, symbol, child) in creation order; `path[d]` is the node at depth d of the
        // previous phrase.
        let mut links: Vec<(u32, u32, u32)> = Vec::new();
        let mut end = vec![false];
        let mut path: Vec<u32> = vec![0];
        let mut previous: &[u32] = &[];
        for span in &spans {
            let phrase = &syms[span.clone()];
            let shared = phrase
                .iter()
                .zip(previous)
                .take_while(|(a, b)| a == b)
                .count();
            path.truncate(shared + 1);
            for &sym in &phrase[shared..] {
                let child = end.len() as u32;
                end.push(false);
                links.push((path[path.len() - 1], sym, child));
                path.push(child);
            }
            end[path[path.len() - 1] as usize] = true;
            previous = phrase;
        }
        // Grouped by parent (stable: within a parent, still in symbol order).
        let nodes = end.len();
        let mut first = vec![0u32; nodes + 1];
        for &(parent, _, _) in &links {
            first[parent as usize + 1] += 1;
        }
        for n in 0..nodes {
            first[n + 1] += first[n];
        }
        let mut at = first.clone();
        let mut edges = vec![(0, 0); links.len()];
        for &(parent, sym, child) in &links {
            edges[at[parent as usize] as usize] = (sym, child);
            at[parent as usize] += 1;
        }
        Trie { first, end, edges }
    }

    fn child(&self, node: usize, sym: u32) -> Option<usize> {
        let edges = &self.edges[self.first[node] as usize..self.first[node + 1] as usize];
        edges
            .binary_search_by_key(&sym, |&(s, _)| s)
            .ok()
            .map(|i| edges[i].1 as usize)
    }

    /// Every end (byte offset in `line`) of a phrase that starts at `start`.
    fn ends(&self, line: &str, start: usize, mut found: impl FnMut(usize)) {
        let mut node = 0usize;
        let mut rest = line[start..].char_indices().peekable();
        while let Some((i, c)) = rest.next() {
            let mut end = start + i + c.len_utf8();
            let sym = if crate::boilerplate::is_space(c) {
                // A run of white space is one symbol.
                while let Some(&(j, d)) = rest.peek() {
                    if !crate::boilerplate::is_space(d) {
                        break;
                    }
                    end = start + j + d.len_utf8();
                    rest.next();
                }
                SPACE
            } else {
                symbol(c)
            };
            match self.child(node, sym) {
                Some(next) => node = next,
                None => return,
            }
            if self.end[node] {
                found(end);
            }
        }
    }
}

/// A generated DFA, without validating its transitions.
///
/// Validating costs about 3 ms for the megabyte of built-in DFAs, ten times the rest of
/// start-up. The bytes are checked by the test `builtin_automata_are_current`: they are exactly
/// what `to_bytes_little_endian` of this regex-automata produces for the lists, and they pass
/// the validating `from_bytes`. They are compiled into the binary, so they cannot change after
/// that test; the label, byte order and format version are still checked here, so a
/// regex-automata with another format is refused (and the regex used instead).
fn deserialize(bytes: &'static [u8]) -> Option<sparse::DFA<&'static [u8]>> {
    // SAFETY: `bytes` is a slice of BUILTIN_DFAS, written by `to_bytes_little_endian` for a
    // DFA of this format version (checked by the header) and validated by the checked
    // `from_bytes` in the test `builtin_automata_are_current`; see above.
    unsafe { sparse::DFA::from_bytes_unchecked(bytes) }
        .ok()
        .map(|(dfa, _)| dfa)
}

/// One generated `re:` pattern.
struct Pattern {
    /// Its serialized DFA, deserialized at first use (see [`deserialize`]).
    bytes: &'static [u8],
    dfa: std::sync::OnceLock<Option<sparse::DFA<&'static [u8]>>>,
}

/// Slots of the table of patterns alive after two bytes ([`pair_slot`]).
const PAIR_SLOTS: usize = 1 << 12;

/// The slot of the byte pair `b0 b1` in the pairs table: a multiplicative hash of the pair.
/// Pairs sharing a slot share its patterns, which only costs a DFA run that dies early.
#[inline]
fn pair_slot(b0: u8, b1: u8) -> usize {
    ((u32::from(b0) << 8 | u32::from(b1)).wrapping_mul(0x9e37_79b1) >> 20) as usize
}

/// Sets of patterns, one per slot, as little-endian 64-bit words (bit `i` of a set is pattern
/// `i`), read in place from the generated file.
#[derive(Clone, Copy)]
struct Sets {
    bytes: &'static [u8],
    /// Words per set.
    words: usize,
}

impl Sets {
    /// Word `w` of the set in slot `slot`.
    #[inline]
    fn word(&self, slot: usize, w: usize) -> u64 {
        let at = (slot * self.words + w) * 8;
        self.bytes
            .get(at..at + 8)
            .and_then(|b| b.first_chunk::<8>())
            .map_or(0, |b| u64::from_le_bytes(*b))
    }

    /// Calls `f` with every pattern in the set in slot `slot`, in order.
    #[inline]
    fn each(&self, slot: usize, mut f: impl FnMut(usize) -> Option<()>) -> Option<()> {
        for w in 0..self.words {
            let mut bits = self.word(slot, w);
            while bits != 0 {
                f(w * 64 + bits.trailing_zeros() as usize)?;
                bits &= bits - 1;
            }
        }
        Some(())
    }
}

impl Pattern {
    /// Every end of a match of the pattern that starts at `start`, or `None` when the DFA
    /// cannot answer (it never happens with the built-in patterns, which have no quit bytes).
    fn ends(&self, line: &str, start: usize, mut found: impl FnMut(usize)) -> Option<()> {
        let dfa = self.dfa.get_or_init(|| deserialize(self.bytes)).as_ref()?;
        let input = Input::new(line)
            .span(start..line.len())
            .anchored(Anchored::Yes);
        let mut state = dfa.start_state_forward(&input).ok()?;
        let bytes = line.as_bytes();
        // Matches are reported one byte late: a match state after byte `at` is a match that
        // ended at `at`.
        for (at, &b) in bytes.iter().enumerate().skip(start) {
            state = dfa.next_state(state, b);
            if dfa.is_special_state(state) {
                if dfa.is_match_state(state) {
                    found(at);
                } else if dfa.is_dead_state(state) {
                    return Some(());
                } else if dfa.is_quit_state(state) {
                    return None;
                }
            }
        }
        if dfa.is_match_state(dfa.next_eoi_state(state)) {
            found(bytes.len());
        }
        Some(())
    }
}

/// The built-in lists, ready to match.
pub(crate) struct Automata {
    /// Every literal pattern and share word: the units of a furniture line.
    units: Trie,
    /// The share words that are not also literal patterns: a line of one of them alone is a
    /// share word, furniture only next to other furniture.
    single_share: Trie,
    patterns: Vec<Pattern>,
    /// By byte: the patterns whose match may start with it, whatever comes before.
    firsts: Sets,
    /// By [`pair_slot`] of two bytes: the patterns whose DFA is still alive after them. A line
    /// starting with a capital letter has some 30 patterns that may start there but only a few
    /// that survive its second byte; this table spares the rest a DFA run.
    pairs: Sets,
}

impl std::fmt::Debug for Automata {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Automata")
            .field("patterns", &self.patterns.len())
            .finish_non_exhaustive()
    }
}

impl Automata {
    /// The automata for the built-in lists, given their literal units, their single share words
    /// and the `re:` patterns they hold (in list order); `None` when the generated file does not
    /// fit (a different layout, another byte order, other patterns than it was made from) or
    /// a literal is not ASCII (the trie folds case exactly as the regex does for ASCII only):
    /// the caller then compiles the regex.
    ///
    /// Layout, little-endian: [`MAGIC`], [`patterns_hash`] of the patterns (u64), the pattern
    /// count (u32), per pattern its byte length (u32), the first-byte sets (256 sets of
    /// `ceil(count / 64)` u64 words: see [`Sets`]), the pair sets ([`PAIR_SLOTS`] sets), then
    /// the serialized sparse DFAs one after another.
    pub(crate) fn load<'a>(
        units: impl IntoIterator<Item = &'a str>,
        single_share: impl IntoIterator<Item = &'a str>,
        patterns: &[&str],
    ) -> Option<Automata> {
        let units: Vec<&str> = units.into_iter().collect();
        let single_share: Vec<&str> = single_share.into_iter().collect();
        if !units.iter().chain(&single_share).all(|u| u.is_ascii()) {
            return None;
        }
        let data = BUILTIN_DFAS.strip_prefix(MAGIC.as_slice())?;
        let (hash, data) = data.split_first_chunk::<8>()?;
        let (count, mut data) = data.split_first_chunk::<4>()?;
        let count = u32::from_le_bytes(*count) as usize;
        if count != patterns.len()
            || u64::from_le_bytes(*hash) != patterns_hash(patterns.iter().copied())
            || !cfg!(target_endian = "little")
        {
            return None;
        }
        let mut lens = Vec::with_capacity(count);
        for _ in 0..count {
            let (len, rest) = data.split_first_chunk::<4>()?;
            lens.push(u32::from_le_bytes(*len) as usize);
            data = rest;
        }
        let words = count.div_ceil(64);
        let mut sets = |slots: usize| {
            let len = slots * words * 8;
            let bytes = data.get(..len)?;
            data = &data[len..];
            Some(Sets { bytes, words })
        };
        let firsts = sets(256)?;
        let pairs = sets(PAIR_SLOTS)?;
        let mut patterns = Vec::with_capacity(count);
        for len in lens {
            if data.len() < len {
                return None;
            }
            let (bytes, rest) = data.split_at(len);
            patterns.push(Pattern {
                bytes,
                dfa: std::sync::OnceLock::new(),
            });
            data = rest;
        }
        if !data.is_empty() {
            return None;
        }
        Some(Automata {
            units: Trie::new(units),
            single_share: Trie::new(single_share),
            patterns,
            firsts,
            pairs,
        })
    }

    /// Whether `line` (trimmed, trailing punctuation stripped, not empty) is made of units glued
    /// with separators: the regex `\A SEP* (UNIT SEP*)+ \z`. `None` when a DFA cannot answer.
    pub(crate) fn is_units(&self, line: &str) -> Option<bool> {
        self.walk(line, &self.units, true)
    }

    /// Whether `line` is one single share word between separators: `\A SEP* WORD SEP* \z`.
    pub(crate) fn is_single_share(&self, line: &str) -> bool {
        self.walk(line, &self.single_share, false) == Some(true)
    }

    fn walk(&self, line: &str, trie: &Trie, many: bool) -> Option<bool> {
        let n = line.len();
        // before[p]: p is reached by separators only; after[p]: by at least one unit (and
        // separators after it).
        const SHORT: usize = crate::boilerplate::MAX_FURNITURE_BYTES + 1;
        let mut stack = [false; 2 * SHORT];
        let mut heap = Vec::new();
        let (before, after) = if n < SHORT {
            stack.split_at_mut(SHORT)
        } else {
            heap.resize(2 * (n + 1), false);
            heap.split_at_mut(n + 1)
        };
        before[0] = true;
        // The furthest position reached so far: past it nothing can start, so the walk ends
        // there (most lines fail within their first few bytes).
        let mut reach = 0;
        let bytes = line.as_bytes();
        for (p, c) in line.char_indices().chain([(n, '\0')]) {
            if p > reach {
                break;
            }
            if !before[p] && !after[p] {
                continue;
            }
            // A unit starts here: at the start, after separators, or right after a unit.
            if before[p] || many {
                trie.ends(line, p, |e| {
                    after[e] = true;
                    reach = reach.max(e);
                });
                if many && p < n {
                    // The patterns still alive after the next two bytes (or the last one).
                    let (sets, slot) = match bytes.get(p + 1) {
                        Some(&b1) => (self.pairs, pair_slot(bytes[p], b1)),
                        None => (self.firsts, usize::from(bytes[p])),
                    };
                    sets.each(slot, |i| {
                        self.patterns.get(i)?.ends(line, p, |e| {
                            if e > p {
                                after[e] = true;
                                reach = reach.max(e);
                            }
                        })
                    })?;
                }
            }
            if p < n && crate::boilerplate::is_separator(c) {
                let next = p + c.len_utf8();
                before[next] |= before[p];
                after[next] |= after[p];
                reach = reach.max(next);
            }
        }
        Some(after[n])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::boilerplate::Boilerplate;
    use regex_automata::MatchKind;
    use regex_automata::dfa::{StartKind, dense};
    use regex_automata::nfa::thompson::{self, WhichCaptures};
    use regex_automata::util::{start, syntax};

    /// Builds `data/boilerplate/builtin.dfa` from the built-in lists.
    fn generate() -> Vec<u8> {
        let patterns = Boilerplate::builtin_regexes();
        let words = patterns.len().div_ceil(64);
        let mut firsts = vec![0u64; 256 * words];
        let mut pairs = vec![0u64; PAIR_SLOTS * words];
        let mut lens = Vec::new();
        let mut blobs = Vec::new();
        for (i, pattern) in patterns.iter().enumerate() {
            // As the combined regex compiles it (case-insensitive, Unicode), anchored, and
            // reporting every match end (MatchKind::All), not only the preferred one.
            let dfa = dense::Builder::new()
                .syntax(syntax::Config::new().case_insensitive(true))
                .thompson(thompson::Config::new().which_captures(WhichCaptures::None))
                .configure(
                    dense::Config::new()
                        .start_kind(StartKind::Anchored)
                        .match_kind(MatchKind::All)
                        .minimize(true),
                )
                .build(pattern)
                .unwrap_or_else(|e| panic!("{pattern}: {e}"));
            // The states a match starts in, whatever comes before it.
            let mut starts: Vec<_> = std::iter::once(None)
                .chain((0..=255u8).map(Some))
                .map(|behind| {
                    let config = start::Config::new()
                        .anchored(Anchored::Yes)
                        .look_behind(behind);
                    dfa.start_state(&config).expect("anchored start state")
                })
                .collect();
            starts.sort_unstable();
            starts.dedup();
            let (word, bit) = (i / 64, 1u64 << (i % 64));
            for state in starts {
                for b0 in 0..=255u8 {
                    let next = dfa.next_state(state, b0);
                    if dfa.is_dead_state(next) {
                        continue;
                    }
                    firsts[usize::from(b0) * words + word] |= bit;
                    for b1 in 0..=255u8 {
                        if !dfa.is_dead_state(dfa.next_state(next, b1)) {
                            pairs[pair_slot(b0, b1) * words + word] |= bit;
                        }
                    }
                }
            }
            let bytes = dfa
                .to_sparse()
                .expect("sparse DFA")
                .to_bytes_little_endian();
            lens.push(bytes.len() as u32);
            blobs.extend(bytes);
        }
        let mut out = MAGIC.to_vec();
        out.extend(patterns_hash(patterns.iter().map(String::as_str)).to_le_bytes());
        out.extend((lens.len() as u32).to_le_bytes());
        for len in lens {
            out.extend(len.to_le_bytes());
        }
        for word in firsts.into_iter().chain(pairs) {
            out.extend(word.to_le_bytes());
        }
        out.extend(blobs);
        out
    }

    /// Lines to compare the automata and the regex on: every line of the fixtures and of the
    /// boilerplate fuzz corpus, then phrases of the lists alone, glued, cased, curled and cut.
    fn sample_lines() -> Vec<String> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut lines: Vec<String> = Vec::new();
        for dir in ["fixtures", "tests/fuzz-corpus/boilerplate"] {
            let mut paths: Vec<_> = std::fs::read_dir(root.join(dir))
                .expect("folder")
                .map(|e| e.expect("entry").path())
                .collect();
            paths.sort();
            for path in paths.iter().filter(|p| p.is_file()) {
                let bytes = std::fs::read(path).expect("read");
                let text = String::from_utf8_lossy(&bytes);
                lines.extend(text.lines().map(str::to_owned));
            }
        }
        // Phrases: the literal entries of the lists as written, and furniture lines of the
        // fixtures (which exercise the `re:` patterns).
        let mut phrases: Vec<String> = Vec::new();
        for entry in std::fs::read_dir(root.join("data/boilerplate")).expect("lists") {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|e| e == "txt") {
                let text = std::fs::read_to_string(&path).expect("list");
                phrases.extend(
                    text.lines()
                        .map(str::trim)
                        .filter(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with("re:"))
                        .map(str::to_owned),
                );
            }
        }
        let reference = Boilerplate::builtin_compiled();
        let mut out = Vec::new();
        for line in &lines {
            reference.classify(&[line.as_str()], &mut out);
            if out[0] {
                phrases.push(line.trim().to_owned());
            }
        }
        let seps = [
            " ", "", " | ", " - ", "•", " / ", ": ", "...", " (", ") ", "\u{200B}", "—",
        ];
        let words = ["the", "Smith", "news", "2024", "AP", "said", "é", "Ж"];
        let mut rng = crate::test_rng::XorShift(0x9e37_79b9_7f4a_7c15);
        let mut next = |n: usize| rng.below(n);
        for _ in 0..20_000 {
            let mut line = String::new();
            for k in 0..1 + next(3) {
                if k > 0 || next(4) == 0 {
                    line.push_str(seps[next(seps.len())]);
                }
                let phrase = &phrases[next(phrases.len())];
                let phrase = match next(6) {
                    0 => phrase.to_uppercase(),
                    1 => phrase.to_lowercase(),
                    2 => phrase
                        .replace('\'', "’")
                        .replace('k', "\u{212A}")
                        .replace('s', "\u{17F}"),
                    3 => words[next(words.len())].to_owned() + " " + phrase,
                    _ => phrase.clone(),
                };
                line.push_str(&phrase);
            }
            if next(5) == 0 {
                line.push_str(seps[next(seps.len())]);
            }
            if next(8) == 0 {
                // Cut at a character boundary.
                let cut = line
                    .char_indices()
                    .map(|(i, _)| i)
                    .nth(next(line.chars().count().max(1)));
                line.truncate(cut.unwrap_or(line.len()));
            }
            lines.push(line);
        }
        lines
    }

    /// The automata give the regex's answer on every sample line, alone and between others.
    #[test]
    fn automata_agree_with_the_regex() {
        let fast = Boilerplate::automata_only();
        assert!(fast.uses_automata());
        let reference = Boilerplate::builtin_compiled();
        let lines = sample_lines();
        let (mut a, mut b) = (Vec::new(), Vec::new());
        let mut furniture = 0;
        for window in lines.windows(3) {
            let window: Vec<&str> = window.iter().map(String::as_str).collect();
            fast.classify(&window, &mut a);
            reference.classify(&window, &mut b);
            assert_eq!(a, b, "lines {window:?}");
            furniture += usize::from(b[0]);
        }
        // The sample is not all content.
        assert!(
            furniture > lines.len() / 4,
            "{furniture} of {}",
            lines.len()
        );
    }

    /// The shipped automata must be those of the lists as they are now. After editing a list:
    /// `NEWSDEDUP_REGENERATE=1 cargo test builtin_automata_are_current`.
    #[test]
    fn builtin_automata_are_current() {
        let fresh = generate();
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/boilerplate/builtin.dfa");
        if std::env::var_os("NEWSDEDUP_REGENERATE").is_some() {
            std::fs::write(path, &fresh).expect("write builtin.dfa");
            return;
        }
        assert!(
            fresh == BUILTIN_DFAS,
            "data/boilerplate/builtin.dfa does not match the lists: run \
             NEWSDEDUP_REGENERATE=1 cargo test builtin_automata_are_current"
        );
        // Every DFA passes the validating deserialization, as `deserialize` assumes.
        let patterns = Boilerplate::builtin_regexes();
        let patterns: Vec<&str> = patterns.iter().map(String::as_str).collect();
        let automata = Automata::load([], [], &patterns).expect("loads");
        for pattern in &automata.patterns {
            assert!(sparse::DFA::from_bytes(pattern.bytes).is_ok());
        }
        assert!(
            Boilerplate::new(true, &[])
                .expect("built in")
                .uses_automata()
        );
    }
}
