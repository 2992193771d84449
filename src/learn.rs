//! Learned site boilerplate: short paragraphs that recur across many documents of a corpus.
//!
//! A site's own furniture ("SUBSCRIBE TO THE DAILY HERALD FOR FULL COVERAGE", a teaser label,
//! a footer) is missing from the built-in lists, but it gives itself away by repeating: the same
//! short line stands in a large share of the site's documents, while article text — even a
//! story syndicated in full across many documents — is made of long paragraphs.
//!
//! # What is counted
//!
//! A document is one article; a paragraph is one text line of it (as [`split_lines`] sees it:
//! blank and layout lines such as `* * *` are not paragraphs, nor are lines without a letter or
//! digit). Each document's first text line is skipped: it is the headline, and a syndicated
//! story's headline repeats across documents without being furniture. A paragraph is *short*
//! when its trimmed text has at most [`LearnConfig::max_words`] whitespace-separated words and at
//! most [`MAX_FURNITURE_BYTES`] bytes (longer lines are never furniture to the matcher, so they
//! are not worth counting). Only short paragraphs are counted.
//!
//! A paragraph's identity is the 64-bit XXH3 hash of its normalized text (see
//! [`crate::normalize`]), so typographic variants ("Don’t miss" / "don't miss.") count as one
//! paragraph. A document counts a paragraph once, however often it holds it. Documents without
//! any text line are not counted at all (they cannot hold furniture and would only dilute the
//! shares).
//!
//! A paragraph is learned when it stands in at least [`LearnConfig::min_docs`] documents and in
//! at least [`LearnConfig::min_share`] of all documents counted.
//!
//! # Memory
//!
//! [`Counts`] keeps, per distinct short paragraph, its hash, its document count and one sample
//! text (at most `max_words` words and 300 bytes): nothing of the long paragraphs and nothing
//! per document survives [`Counts::add_document`]. Memory therefore grows with the number of
//! *distinct short paragraphs* in the corpus, not with its size: about 50 bytes for each (map
//! entry and allocation) plus its sample text. That number depends on the corpus, it is not a
//! constant: a corpus of ten million articles with a few unique short paragraphs each (one-line
//! quotes, datelines) still holds tens of millions of them. Such corpora are counted per shard
//! ([`Counts::write_counts`]) and the shards merged ([`Counts::merge`]); the merge holds the
//! union of the shards' distinct short paragraphs.
//!
//! # Sample text
//!
//! Of the variants of one paragraph, the sample kept is the smallest in byte order. This makes
//! counting and merging independent of the order documents and shards arrive in (a map/reduce
//! job gives no order), and it prefers the straight-quote, ASCII-hyphen, no-trailing-punctuation
//! variants that the literal boilerplate syntax matches most widely.
//!
//! # Counts file
//!
//! A text file, stable and mergeable:
//!
//! ```text
//! # newsdedup counts v1
//! documents→200
//! max_words→12
//! 0f89ebe4c94e16de→175→"SUBSCRIBE TO THE DAILY HERALD FOR FULL COVERAGE"
//! ```
//!
//! (`→` is a tab.) After the header, `documents` gives the number of documents counted,
//! `max_words` the word limit they were counted with, then one line per paragraph: its hash (16
//! hex digits), its document count and its sample text as a JSON string, tab-separated and
//! sorted by hash. The concatenation of several counts files is a counts file too (totals add
//! up, entries of the same hash merge), so `cat *.counts` is a valid merge input.
//!
//! [`split_lines`]: crate::segment::split_lines
//! [`MAX_FURNITURE_BYTES`]: crate::boilerplate::MAX_FURNITURE_BYTES

use crate::boilerplate::{MAX_FURNITURE_BYTES, literal_regex_with, strip_trailing, trim_space};
use crate::normalize::Normalizer;
use crate::repeats::IdentityHasher;
use crate::segment::{LineKind, split_lines};
use std::collections::HashSet;
use std::hash::BuildHasherDefault;
use std::io::{BufRead, Write};

/// The first line of a counts file.
pub const COUNTS_HEADER: &str = "# newsdedup counts v1";

/// Thresholds for learning. See the README ("Learned boilerplate") for the defaults.
#[derive(Clone, Debug, PartialEq)]
pub struct LearnConfig {
    /// A paragraph of more words than this is article text, never learned.
    pub max_words: usize,
    /// A paragraph must stand in at least this many documents.
    pub min_docs: u64,
    /// ... and in at least this share (0–1) of all documents counted.
    pub min_share: f64,
}

/// Default for [`LearnConfig::max_words`].
pub const DEFAULT_MAX_WORDS: usize = 12;
/// Default for [`LearnConfig::min_docs`].
pub const DEFAULT_MIN_DOCS: u64 = 5;
/// Default for [`LearnConfig::min_share`].
pub const DEFAULT_MIN_SHARE: f64 = 0.05;

impl Default for LearnConfig {
    /// `max_words` 12, `min_docs` 5, `min_share` 0.05.
    fn default() -> Self {
        LearnConfig {
            max_words: DEFAULT_MAX_WORDS,
            min_docs: DEFAULT_MIN_DOCS,
            min_share: DEFAULT_MIN_SHARE,
        }
    }
}

impl LearnConfig {
    /// Checks the ranges: `max_words` ≥ 1, `min_docs` ≥ 1, `0 ≤ min_share ≤ 1`.
    ///
    /// # Errors
    ///
    /// A message naming the option that is out of range.
    pub fn validate(&self) -> Result<(), String> {
        if self.max_words == 0 {
            return Err("--max-words must be at least 1".to_string());
        }
        if self.min_docs == 0 {
            return Err("--min-docs must be at least 1".to_string());
        }
        if !(0.0..=1.0).contains(&self.min_share) {
            return Err(format!(
                "--min-share must be between 0 and 1, not {}",
                self.min_share
            ));
        }
        Ok(())
    }
}

/// One learned paragraph.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Learned {
    /// Its sample text (trimmed).
    pub text: String,
    /// In how many documents it stands.
    pub documents: u64,
}

/// A bad line in a counts file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountsError {
    /// The file, as named by the caller (`-` for stdin).
    pub name: String,
    /// 1-based line number.
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for CountsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.name, self.line, self.message)
    }
}

impl std::error::Error for CountsError {}

/// The keys are XXH3 hashes already: use them as they are.
type HashMapU64<V> = crate::repeats::KeyMap<V>;

/// What is kept of one short paragraph.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Entry {
    documents: u64,
    text: Box<str>,
}

/// Document counts of short paragraphs over a corpus (see the module docs).
#[derive(Clone, Debug, PartialEq)]
pub struct Counts {
    documents: u64,
    max_words: usize,
    entries: HashMapU64<Entry>,
}

impl Default for Counts {
    /// Counts with the default word limit.
    fn default() -> Self {
        Counts::new(&LearnConfig::default())
    }
}

/// Whether `text` (trimmed) is short enough to count: at most `max_words` words and
/// [`MAX_FURNITURE_BYTES`] bytes.
fn is_short(text: &str, max_words: usize) -> bool {
    text.len() <= MAX_FURNITURE_BYTES && text.split_whitespace().nth(max_words).is_none()
}

impl Counts {
    /// Empty counts that will count paragraphs of at most `config.max_words` words.
    pub fn new(config: &LearnConfig) -> Self {
        Counts {
            documents: 0,
            max_words: config.max_words,
            entries: HashMapU64::default(),
        }
    }

    /// Counts one document (article text, one paragraph per line).
    pub fn add_document(&mut self, text: &str) {
        let mut normalizer = Normalizer::new();
        let mut seen: HashSet<u64, BuildHasherDefault<IdentityHasher>> = HashSet::default();
        let mut headline = true;
        for line in split_lines(text) {
            if line.kind != LineKind::Text {
                continue;
            }
            if headline {
                headline = false;
                continue;
            }
            let para = trim_space(&text[line.start..line.end]);
            if !is_short(para, self.max_words) {
                continue;
            }
            let Some(key) = normalizer.key(para) else {
                continue;
            };
            if seen.insert(key.hash) {
                self.add(key.hash, 1, para);
            }
        }
        if !headline {
            self.documents += 1;
        }
    }

    /// Adds `documents` occurrences of the paragraph `hash` with sample `text`.
    fn add(&mut self, hash: u64, documents: u64, text: &str) {
        match self.entries.get_mut(&hash) {
            Some(e) => {
                e.documents = e.documents.saturating_add(documents);
                if text < &*e.text {
                    e.text = text.into();
                }
            }
            None => {
                self.entries.insert(
                    hash,
                    Entry {
                        documents,
                        text: text.into(),
                    },
                );
            }
        }
    }

    /// Number of documents counted.
    pub fn documents(&self) -> u64 {
        self.documents
    }

    /// Number of distinct short paragraphs held.
    pub fn paragraphs(&self) -> usize {
        self.entries.len()
    }

    /// The word limit the paragraphs were counted with (the smaller one after a merge).
    pub fn max_words(&self) -> usize {
        self.max_words
    }

    /// Adds `other` (another shard of the corpus): document totals and per-paragraph counts add
    /// up. Counts made with different word limits keep the smaller limit (longer paragraphs were
    /// not counted in every shard, so they are dropped).
    pub fn merge(&mut self, other: Counts) {
        self.documents = self.documents.saturating_add(other.documents);
        let max_words = self.max_words.min(other.max_words);
        if self.entries.len() < other.entries.len() && self.max_words == other.max_words {
            // Fold the smaller map into the larger one.
            let small = std::mem::replace(&mut self.entries, other.entries);
            for (hash, e) in small {
                self.add(hash, e.documents, &e.text);
            }
        } else {
            for (hash, e) in other.entries {
                self.add(hash, e.documents, &e.text);
            }
        }
        if max_words < self.max_words {
            self.entries.retain(|_, e| is_short(&e.text, max_words));
        }
        self.max_words = max_words;
    }

    /// Writes the counts file (see the module docs), entries sorted by hash.
    ///
    /// # Errors
    ///
    /// Write errors of `w`.
    pub fn write_counts(&self, w: &mut dyn Write) -> std::io::Result<()> {
        writeln!(w, "{COUNTS_HEADER}")?;
        writeln!(w, "documents\t{}", self.documents)?;
        writeln!(w, "max_words\t{}", self.max_words)?;
        let mut entries: Vec<(&u64, &Entry)> = self.entries.iter().collect();
        entries.sort_unstable_by_key(|&(hash, _)| *hash);
        for (hash, e) in entries {
            let text = serde_json::to_string(&*e.text).map_err(std::io::Error::other)?;
            writeln!(w, "{hash:016x}\t{}\t{text}", e.documents)?;
        }
        w.flush()
    }

    /// Reads a counts file (or several concatenated). `name` names it in errors.
    ///
    /// # Errors
    ///
    /// A missing or unknown header, a malformed line, a count out of range, a sample text that
    /// is not a short paragraph or does not hash to its key (a file written by an incompatible
    /// version), or a read error: a [`CountsError`] with `name` and the 1-based line.
    pub fn read_counts(r: &mut dyn BufRead, name: &str) -> Result<Counts, CountsError> {
        let mut counts = Counts {
            documents: 0,
            max_words: usize::MAX,
            entries: HashMapU64::default(),
        };
        let mut normalizer = Normalizer::new();
        let mut buf = String::new();
        let mut line_no = 0usize;
        let mut header = false;
        let mut documents_line = false;
        let mut max_words_line = false;
        // The largest paragraph count read, and its line, checked against the total at the end.
        let mut largest: (u64, usize) = (0, 0);
        loop {
            buf.clear();
            let err = |line: usize, message: String| CountsError {
                name: name.to_string(),
                line,
                message,
            };
            let n = r
                .read_line(&mut buf)
                .map_err(|e| err(line_no + 1, format!("read error: {e}")))?;
            if n == 0 {
                break;
            }
            line_no += 1;
            let err = |message: String| err(line_no, message);
            let line = buf.strip_suffix('\n').unwrap_or(&buf);
            let line = line.strip_suffix('\r').unwrap_or(line);
            if line.trim().is_empty() {
                continue;
            }
            // Trailing white space is tolerated on the header: Hadoop Streaming's map-only output
            // appends a tab to a line without one.
            if line.trim_end() == COUNTS_HEADER {
                header = true;
                continue;
            }
            if !header {
                return Err(err(if line.starts_with("# newsdedup counts v") {
                    format!("unsupported counts file version {line:?} (expected {COUNTS_HEADER:?})")
                } else {
                    format!("not a newsdedup counts file (expected {COUNTS_HEADER:?})")
                }));
            }
            let fields: Vec<&str> = line.splitn(3, '\t').collect();
            match fields.as_slice() {
                ["documents", n] => {
                    let n: u64 = n
                        .parse()
                        .map_err(|_| err(format!("bad document total {n:?}")))?;
                    counts.documents = counts
                        .documents
                        .checked_add(n)
                        .ok_or_else(|| err("document total overflows".to_string()))?;
                    documents_line = true;
                }
                ["max_words", n] => {
                    let n: usize = n
                        .parse()
                        .ok()
                        .filter(|&n| n > 0)
                        .ok_or_else(|| err(format!("bad word limit {n:?}")))?;
                    counts.max_words = counts.max_words.min(n);
                    max_words_line = true;
                }
                [hash, docs, text] => {
                    if hash.len() != 16 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
                        return Err(err(format!(
                            "bad paragraph hash {hash:?} (expected 16 hex digits)"
                        )));
                    }
                    let hash = u64::from_str_radix(hash, 16).map_err(|_| {
                        err(format!(
                            "bad paragraph hash {hash:?} (expected 16 hex digits)"
                        ))
                    })?;
                    let docs: u64 = docs
                        .parse()
                        .ok()
                        .filter(|&d| d > 0)
                        .ok_or_else(|| err(format!("bad document count {docs:?}")))?;
                    let text: String = serde_json::from_str(text)
                        .map_err(|e| err(format!("bad paragraph text (not a JSON string): {e}")))?;
                    if text.is_empty()
                        || trim_space(&text) != text
                        || text.contains('\n')
                        || text.len() > MAX_FURNITURE_BYTES
                    {
                        return Err(err(format!(
                            "paragraph text {text:?} is not a trimmed line of at most \
                             {MAX_FURNITURE_BYTES} bytes"
                        )));
                    }
                    if normalizer.key(&text).map(|k| k.hash) != Some(hash) {
                        return Err(err(format!(
                            "paragraph text {text:?} does not hash to {hash:016x} (a counts file \
                             from an incompatible newsdedup version?)"
                        )));
                    }
                    let total = counts
                        .entries
                        .get(&hash)
                        .map_or(0, |e| e.documents)
                        .checked_add(docs)
                        .ok_or_else(|| err("document count overflows".to_string()))?;
                    if total > largest.0 {
                        largest = (total, line_no);
                    }
                    counts.add(hash, docs, &text);
                }
                _ => {
                    return Err(err(format!(
                        "expected `documents<TAB>N`, `max_words<TAB>N` or \
                         `HASH<TAB>COUNT<TAB>\"TEXT\"`, found {:?}",
                        truncate(line, 80)
                    )));
                }
            }
        }
        let at_end = |message: String| CountsError {
            name: name.to_string(),
            line: line_no.max(1),
            message,
        };
        if !header {
            return Err(at_end(
                "empty: not a newsdedup counts file (no header)".to_string(),
            ));
        }
        if !documents_line {
            return Err(at_end("no `documents` line".to_string()));
        }
        if !max_words_line {
            return Err(at_end("no `max_words` line".to_string()));
        }
        if largest.0 > counts.documents {
            return Err(CountsError {
                name: name.to_string(),
                line: largest.1,
                message: format!(
                    "paragraph count {} exceeds the document total {}",
                    largest.0, counts.documents
                ),
            });
        }
        let max_words = counts.max_words;
        counts.entries.retain(|_, e| is_short(&e.text, max_words));
        Ok(counts)
    }

    /// The word limit in effect for `config`: the smaller of its own and the counted one.
    fn effective_max_words(&self, config: &LearnConfig) -> usize {
        config.max_words.min(self.max_words)
    }

    /// The smallest document count that is learned under `config`.
    pub fn threshold(&self, config: &LearnConfig) -> u64 {
        let share = (config.min_share * self.documents as f64 - 1e-9).ceil();
        let share = if share <= 0.0 { 0 } else { share as u64 };
        config.min_docs.max(share).max(1)
    }

    /// The learned paragraphs, most documents first (then by text).
    pub fn learned(&self, config: &LearnConfig) -> Vec<Learned> {
        let threshold = self.threshold(config);
        let max_words = self.effective_max_words(config);
        let mut out: Vec<Learned> = self
            .entries
            .values()
            .filter(|e| e.documents >= threshold && is_short(&e.text, max_words))
            .map(|e| Learned {
                text: e.text.to_string(),
                documents: e.documents,
            })
            .collect();
        out.sort_by(|a, b| {
            b.documents
                .cmp(&a.documents)
                .then_with(|| a.text.cmp(&b.text))
        });
        out
    }

    /// Writes the learned paragraphs as a boilerplate list (usable with `--boilerplate`): a
    /// header comment, then per paragraph a `# K documents (P%)` comment and the pattern.
    ///
    /// # Errors
    ///
    /// Write errors of `w`.
    pub fn write_list(&self, config: &LearnConfig, w: &mut dyn Write) -> std::io::Result<()> {
        writeln!(
            w,
            "# learned by newsdedup from {}: paragraphs of at most {} words in at least \
             {} documents and at least {}% of them",
            crate::check::plural(self.documents as usize, "document", "documents"),
            self.effective_max_words(config),
            config.min_docs,
            percent(config.min_share * 100.0)
        )?;
        for l in self.learned(config) {
            let share = if self.documents == 0 {
                0.0
            } else {
                l.documents as f64 * 100.0 / self.documents as f64
            };
            writeln!(w, "# {} documents ({}%)", l.documents, percent(share))?;
            writeln!(w, "{}", list_pattern(&l.text))?;
        }
        w.flush()
    }
}

/// `x` with one decimal, without a trailing `.0`.
fn percent(x: f64) -> String {
    let s = format!("{x:.1}");
    match s.strip_suffix(".0") {
        Some(whole) => whole.to_string(),
        None => s,
    }
}

/// The first `max` characters of `s`, with `…` when cut.
fn truncate(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

/// The boilerplate-list line for a learned paragraph: the text as a literal, or as an escaped
/// `re:` pattern when a literal would not read back as itself (a comment, a regex, a line that
/// starts or ends with white space).
pub fn list_pattern(text: &str) -> String {
    if text.starts_with('#') || text.starts_with("re:") || trim_space(text) != text {
        format!("re:{}", literal_regex(text))
    } else {
        text.to_string()
    }
}

/// A regex matching what the literal `text` would match: the matcher's own literal rules.
fn literal_regex(text: &str) -> String {
    literal_regex_with(strip_trailing(trim_space(text)), r"\s+")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::boilerplate::Boilerplate;
    use crate::{Options, clean};

    const FURNITURE: &str = "SUBSCRIBE TO THE DAILY HERALD FOR FULL COVERAGE";
    const TEASER: &str = "Herald Insider: stories our editors love";
    const RARE: &str = "The bridge reopens to traffic on Friday.";
    const SYNDICATED: &str = "The central bank raised its benchmark rate by a quarter of a \
        percentage point on Wednesday, the third increase this year, and signalled that further \
        moves would depend on how quickly inflation cools in the months ahead.";

    use crate::test_rng::XorShift;

    const SUBJECTS: &[&str] = &[
        "The city council",
        "The mayor",
        "Local officials",
        "The school board",
        "State regulators",
        "A spokeswoman for the hospital",
        "Residents of the east side",
        "The county sheriff",
        "Union leaders",
        "The planning commission",
    ];
    const VERBS: &[&str] = &[
        "said on Tuesday that",
        "warned that",
        "announced that",
        "argued at a public meeting that",
        "confirmed in a statement that",
        "told reporters that",
    ];
    const CLAUSES: &[&str] = &[
        "the budget for next year would include new money for road repairs",
        "the proposal would raise property taxes for most homeowners",
        "the new library branch would open before the end of the summer",
        "water rates are expected to climb by about 4 percent",
        "the hearing had been postponed until early next month",
        "more police officers would patrol the downtown area at night",
        "the old factory site could be turned into affordable housing",
        "a federal grant would cover most of the cost of the project",
        "enrollment in the district has fallen for a third straight year",
        "the storm damaged dozens of homes along the river",
    ];
    const TAILS: &[&str] = &[
        "according to documents reviewed by the newspaper",
        "although critics said the plan came too late",
        "a decision that surprised several members of the public",
        "and a vote is expected within weeks",
        "despite objections from neighborhood groups",
        "after months of negotiations",
    ];
    const NAMES: &[&str] = &[
        "Maria Lopez",
        "James Carter",
        "Aisha Khan",
        "Tom Becker",
        "Linda Park",
        "Omar Haddad",
    ];

    /// A body paragraph of two sentences, 30+ words, unique by `n`.
    fn paragraph(rng: &mut XorShift, n: usize) -> String {
        format!(
            "{} {} {} in ward {n}, {}. {} {} {} by March {}.",
            rng.pick(SUBJECTS),
            rng.pick(VERBS),
            rng.pick(CLAUSES),
            rng.pick(TAILS),
            rng.pick(SUBJECTS),
            rng.pick(VERBS),
            rng.pick(CLAUSES),
            1900 + n,
        )
    }

    /// The generated corpus: 240 documents of one site.
    fn corpus() -> Vec<String> {
        let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
        let mut docs = Vec::new();
        for i in 0..240usize {
            let mut lines: Vec<String> = Vec::new();
            // Headline: documents 0..30 share one (a syndicated story), the others their own.
            if i < 30 {
                lines.push("Council approves budget after long debate".to_string());
            } else {
                lines.push(format!("{} story number {i}", rng.pick(SUBJECTS)));
            }
            lines.push(String::new());
            let paragraphs = 3 + rng.below(4);
            for p in 0..paragraphs {
                lines.push(paragraph(&mut rng, i * 10 + p));
                if p == 1 && i % 10 != 3 {
                    // The teaser label in 90% of documents, in typographic variants.
                    lines.push(match i % 3 {
                        0 => TEASER.to_string(),
                        1 => TEASER.to_uppercase(),
                        _ => format!("{TEASER}."),
                    });
                }
                if p == 0 {
                    // A short quote: short, but unique to the document.
                    lines.push(format!(
                        "\u{201c}We will keep working on item {i},\u{201d} {} said.",
                        rng.pick(NAMES)
                    ));
                }
            }
            if i % 6 == 0 {
                lines.push(SYNDICATED.to_string());
            }
            if (100..103).contains(&i) {
                lines.push(RARE.to_string());
            }
            if i % 8 != 5 {
                lines.push(FURNITURE.to_string());
                if i % 2 == 0 {
                    // Twice in some documents: still one document.
                    lines.push(FURNITURE.to_lowercase());
                }
            }
            lines.push(paragraph(&mut rng, i * 10 + 9));
            docs.push(lines.join("\n") + "\n");
        }
        docs
    }

    fn count(docs: &[String]) -> Counts {
        let mut counts = Counts::default();
        for d in docs {
            counts.add_document(d);
        }
        counts
    }

    fn list_of(counts: &Counts, config: &LearnConfig) -> String {
        let mut out = Vec::new();
        counts.write_list(config, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn counts_text(counts: &Counts) -> String {
        let mut out = Vec::new();
        counts.write_counts(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn learn_corpus_removes_furniture_and_keeps_content() {
        let docs = corpus();
        assert!(docs.iter().filter(|d| d.contains(SYNDICATED)).count() == 40);
        assert_eq!(docs.iter().filter(|d| d.contains(RARE)).count(), 3);
        let config = LearnConfig::default();
        let counts = count(&docs);
        assert_eq!(counts.documents(), 240);
        let learned = counts.learned(&config);
        let texts: Vec<&str> = learned.iter().map(|l| l.text.as_str()).collect();
        // Sorted by count: the teaser (216) comes first. The sample is the smallest variant.
        assert_eq!(
            texts,
            ["HERALD INSIDER: STORIES OUR EDITORS LOVE", FURNITURE]
        );
        assert_eq!(learned[0].documents, 216);
        assert_eq!(learned[1].documents, 210);
        let list = list_of(&counts, &config);
        assert!(list.starts_with(
            "# learned by newsdedup from 240 documents: paragraphs of at most 12 words in at \
             least 5 documents and at least 5% of them\n"
        ));
        assert!(
            list.contains("# 216 documents (90%)\nHERALD INSIDER"),
            "{list}"
        );
        assert!(
            list.contains("# 210 documents (87.5%)\nSUBSCRIBE"),
            "{list}"
        );

        let builtin_only = Options::default();
        let learned_options = Options::with_boilerplate(
            Boilerplate::new(true, &[("learned".into(), list.clone())]).unwrap(),
        );
        let mut rare_seen = 0;
        let mut syndicated_seen = 0;
        for doc in &docs {
            // The built-in lists do not know this site's furniture.
            if doc.contains(FURNITURE) {
                assert!(clean(doc, &builtin_only).text.contains(FURNITURE));
            }
            let out = clean(doc, &learned_options).text;
            for line in out.lines() {
                let l = line.to_lowercase();
                assert!(
                    !l.starts_with("subscribe to the daily herald")
                        && !l.starts_with("herald insider"),
                    "furniture left: {line:?}"
                );
            }
            assert_eq!(out.lines().next(), doc.lines().next(), "headline kept");
            if doc.contains(RARE) {
                assert!(out.contains(RARE));
                rare_seen += 1;
            }
            if doc.contains(SYNDICATED) {
                assert!(out.contains(SYNDICATED));
                syndicated_seen += 1;
            }
            // Everything but furniture stays.
            let kept: Vec<&str> = doc
                .lines()
                .filter(|l| {
                    let l = l.to_lowercase();
                    !l.starts_with("subscribe to the daily herald")
                        && !l.starts_with("herald insider")
                })
                .collect();
            assert_eq!(out, kept.join("\n") + "\n");
        }
        assert_eq!((rare_seen, syndicated_seen), (3, 40));
    }

    #[test]
    fn thresholds() {
        // 5 of 200 documents: min_docs 5 met, 5% share = 10 documents not.
        let mut counts = Counts::default();
        for i in 0..200 {
            let extra = if i < 5 { "\nSite label here\n" } else { "\n" };
            counts.add_document(&format!("Headline {i}\nBody {i}.{extra}"));
        }
        assert!(counts.learned(&LearnConfig::default()).is_empty());
        assert_eq!(counts.threshold(&LearnConfig::default()), 10);
        let loose = LearnConfig {
            min_share: 0.025,
            ..LearnConfig::default()
        };
        assert_eq!(counts.threshold(&loose), 5);
        assert_eq!(counts.learned(&loose).len(), 1);
        let strict = LearnConfig {
            min_docs: 6,
            min_share: 0.0,
            ..LearnConfig::default()
        };
        assert!(counts.learned(&strict).is_empty());
        // Word limit: a 13-word line is never counted.
        let mut counts = Counts::default();
        let long = "one two three four five six seven eight nine ten eleven twelve thirteen";
        let twelve = "one two three four five six seven eight nine ten eleven twelve";
        for i in 0..10 {
            counts.add_document(&format!("Headline {i}\n{long}\n{twelve}\n"));
        }
        let learned = counts.learned(&LearnConfig::default());
        assert_eq!(learned.len(), 1);
        assert_eq!(learned[0].text, twelve);
        // A narrower limit at learning time drops it.
        let narrow = LearnConfig {
            max_words: 11,
            ..LearnConfig::default()
        };
        assert!(counts.learned(&narrow).is_empty());
    }

    #[test]
    fn headline_blank_and_layout_lines_are_not_counted() {
        let mut counts = Counts::default();
        for _ in 0..10 {
            counts.add_document("\n  \nSame headline\n* * *\n…\nBody.\n");
        }
        counts.add_document("\n\n");
        assert_eq!(counts.documents(), 10);
        let learned = counts.learned(&LearnConfig::default());
        assert_eq!(
            learned,
            vec![Learned {
                text: "Body.".into(),
                documents: 10
            }]
        );
    }

    #[test]
    fn typographic_variants_count_as_one() {
        let mut counts = Counts::default();
        for i in 0..10 {
            let label = match i % 3 {
                0 => "Don\u{2019}t miss the Herald\u{2019}s picks",
                1 => "don't miss the herald's picks.",
                _ => "  DON'T\u{a0}MISS THE HERALD'S PICKS  ",
            };
            counts.add_document(&format!("Headline {i}\nBody text {i}.\n{label}\n"));
        }
        assert_eq!(counts.paragraphs(), 11);
        let learned = counts.learned(&LearnConfig::default());
        assert_eq!(learned.len(), 1);
        assert_eq!(learned[0].documents, 10);
        // The smallest variant in byte order is kept: straight quotes, no trailing dot.
        assert_eq!(learned[0].text, "DON'T\u{a0}MISS THE HERALD'S PICKS");
        // ... and the list matches every variant.
        let list = list_of(&counts, &LearnConfig::default());
        let b = Boilerplate::new(false, &[("l".into(), list)]).unwrap();
        let mut out = Vec::new();
        b.classify(
            &[
                "Don\u{2019}t miss the Herald\u{2019}s picks",
                "don't miss the herald's picks.",
                "DON'T MISS THE HERALD'S PICKS",
            ],
            &mut out,
        );
        assert_eq!(out, [true, true, true]);
    }

    #[test]
    fn list_round_trips_through_the_matcher() {
        let texts = [
            "#1 in local news",
            "re:member our readers",
            "Re: letters to the editor",
            "Price (USD) + tax * 2 [sic] $5 ^up? {a|b}",
            "Herald picks »",
            "Most read:",
            "Sponsored — by the Herald",
            "“Quoted” label",
            "# 12 documents (5%)",
        ];
        let mut counts = Counts::default();
        for i in 0..20 {
            let mut doc = format!("Headline {i}\nBody {i}.\n");
            for t in texts {
                doc.push_str(t);
                doc.push('\n');
            }
            counts.add_document(&doc);
        }
        let learned = counts.learned(&LearnConfig::default());
        assert_eq!(learned.len(), texts.len());
        let list = list_of(&counts, &LearnConfig::default());
        assert!(
            list.contains("\nre:\\#1\\s+in\\s+local\\s+news\n"),
            "{list}"
        );
        assert!(list.contains("\nRe: letters to the editor\n"), "{list}");
        let b = Boilerplate::new(false, &[("learned".into(), list.clone())]).unwrap();
        let mut out = Vec::new();
        let mut lines: Vec<&str> = texts.to_vec();
        lines.push("Body 1.");
        lines.push("1 in local news");
        lines.push("member our readers");
        b.classify(&lines, &mut out);
        let mut expected = vec![true; texts.len()];
        expected.extend([false, false, false]);
        assert_eq!(out, expected, "{list}");
    }

    #[test]
    fn counts_round_trip() {
        let docs = corpus();
        let counts = count(&docs);
        let text = counts_text(&counts);
        assert!(text.starts_with("# newsdedup counts v1\ndocuments\t240\nmax_words\t12\n"));
        // Sorted by hash.
        let hashes: Vec<&str> = text.lines().skip(3).map(|l| &l[..16]).collect();
        let mut sorted = hashes.clone();
        sorted.sort_unstable();
        assert_eq!(hashes, sorted);
        let back = Counts::read_counts(&mut text.as_bytes(), "a.counts").unwrap();
        assert_eq!(back, counts);
        assert_eq!(counts_text(&back), text);
        let config = LearnConfig::default();
        assert_eq!(back.learned(&config), counts.learned(&config));
        assert_eq!(list_of(&back, &config), list_of(&counts, &config));
        // A tab after the header (Hadoop Streaming map-only output) is tolerated.
        let hadoop = text.replacen('\n', "\t\n", 1);
        assert_eq!(
            Counts::read_counts(&mut hadoop.as_bytes(), "part-00000").unwrap(),
            counts
        );
        // CRLF line ends read too.
        let crlf = text.replace('\n', "\r\n");
        assert_eq!(
            Counts::read_counts(&mut crlf.as_bytes(), "a.counts").unwrap(),
            counts
        );
    }

    #[test]
    fn merging_shards_equals_counting_all() {
        let docs = corpus();
        let all = count(&docs);
        // Uneven shards, merged in both orders and through counts files.
        let (a, rest) = docs.split_at(37);
        let (b, c) = rest.split_at(120);
        let (a, b, c) = (count(a), count(b), count(c));
        let mut merged = c.clone();
        merged.merge(a.clone());
        merged.merge(b.clone());
        assert_eq!(merged, all);
        let mut merged = a.clone();
        merged.merge(b.clone());
        merged.merge(c.clone());
        assert_eq!(merged, all);
        let files = [counts_text(&b), counts_text(&a), counts_text(&c)];
        let mut merged = Counts::read_counts(&mut files[0].as_bytes(), "b").unwrap();
        for f in &files[1..] {
            merged.merge(Counts::read_counts(&mut f.as_bytes(), "x").unwrap());
        }
        assert_eq!(counts_text(&merged), counts_text(&all));
        // A concatenation of counts files is a counts file.
        let cat = files.concat();
        let merged = Counts::read_counts(&mut cat.as_bytes(), "cat").unwrap();
        assert_eq!(merged, all);
        // Merging into empty counts.
        let mut empty = Counts::default();
        empty.merge(all.clone());
        assert_eq!(empty, all);
    }

    #[test]
    fn merge_keeps_the_smaller_word_limit() {
        let narrow = LearnConfig {
            max_words: 3,
            ..LearnConfig::default()
        };
        let mut a = Counts::new(&narrow);
        let mut b = Counts::default();
        let doc = "Headline\nOne two three\nOne two three four\n";
        a.add_document(doc);
        b.add_document(doc);
        assert_eq!((a.paragraphs(), b.paragraphs()), (1, 2));
        b.merge(a);
        assert_eq!((b.max_words(), b.paragraphs(), b.documents()), (3, 1, 2));
    }

    #[test]
    fn read_errors_name_file_and_line() {
        let good = "# newsdedup counts v1\ndocuments\t10\nmax_words\t12\n";
        let cases: &[(&str, usize, &str)] = &[
            ("", 1, "no header"),
            ("hello\n", 1, "not a newsdedup counts file"),
            ("# newsdedup counts v9\n", 1, "unsupported"),
            ("# newsdedup counts v1\ndocuments\tx\n", 2, "document total"),
            ("# newsdedup counts v1\ndocuments\t3\n", 2, "max_words"),
            ("# newsdedup counts v1\nmax_words\t4\n", 2, "documents"),
            ("# newsdedup counts v1\n\nmax_words\t0\n", 3, "word limit"),
            ("zzzz\t1\t\"a\"\n", 4, "hash"),
            ("0123456789abcdeg\t1\t\"a\"\n", 4, "hash"),
            ("0000000000000001\t0\t\"a\"\n", 4, "document count"),
            ("0000000000000001\t1\ta\n", 4, "JSON"),
            ("0000000000000001\t1\t\"a\"\n", 4, "does not hash"),
            ("0000000000000001\t1\t\" a\"\n", 4, "trimmed"),
            ("bogus line\n", 4, "expected"),
        ];
        for &(tail, line, needle) in cases {
            let text = if tail.starts_with('#') || tail.is_empty() || tail == "hello\n" {
                tail.to_string()
            } else {
                format!("{good}{tail}")
            };
            let err = Counts::read_counts(&mut text.as_bytes(), "shard-7.counts")
                .expect_err(&format!("{text:?} should fail"));
            assert_eq!(
                (err.name.as_str(), err.line),
                ("shard-7.counts", line),
                "{err}"
            );
            assert!(err.message.contains(needle), "{needle:?} not in {err}");
            assert!(
                err.to_string()
                    .starts_with(&format!("shard-7.counts:{line}: ")),
                "{err}"
            );
        }
        // A paragraph count above the document total names the paragraph's line.
        let hash = Normalizer::new().key("Label").unwrap().hash;
        let text = format!("{good}{hash:016x}\t11\t\"Label\"\n");
        let err = Counts::read_counts(&mut text.as_bytes(), "c").unwrap_err();
        assert_eq!(err.line, 4, "{err}");
        assert!(err.message.contains("exceeds"), "{err}");
        // Invalid UTF-8.
        let mut bytes = good.as_bytes().to_vec();
        bytes.extend(b"\xff\xfe\n");
        let err = Counts::read_counts(&mut bytes.as_slice(), "c").unwrap_err();
        assert_eq!(err.line, 4, "{err}");
    }

    #[test]
    fn config_validation_and_defaults() {
        let d = LearnConfig::default();
        assert_eq!((d.max_words, d.min_docs, d.min_share), (12, 5, 0.05));
        assert!(d.validate().is_ok());
        for bad in [
            LearnConfig {
                max_words: 0,
                ..d.clone()
            },
            LearnConfig {
                min_docs: 0,
                ..d.clone()
            },
            LearnConfig {
                min_share: 1.5,
                ..d.clone()
            },
            LearnConfig {
                min_share: f64::NAN,
                ..d.clone()
            },
        ] {
            assert!(bad.validate().is_err(), "{bad:?}");
        }
        assert_eq!(percent(5.0), "5");
        assert_eq!(percent(87.5), "87.5");
        assert_eq!(percent(2.5), "2.5");
    }
}
