//! newsdedup: repair scraped news-article text.
//!
//! The data flows one way:
//!
//! ```text
//! bytes -> Article (lines, sentences, byte spans)   segment
//!       -> keys (normalized hashes)                  normalize
//!       -> furniture lines                           boilerplate
//!       -> repeated blocks and insertions            repeats
//!       -> decisions (keep / drop / move)            this module
//!       -> output text + removals and moves          render
//! ```
//!
//! [`clean`] is the whole pipeline for one article. The output is always the input with spans
//! removed (and, when merging, paragraphs moved): kept text is never rewritten.
//!
//! ```
//! use newsdedup::{clean, Options, Reason};
//!
//! let body = "The council approved the budget on Monday after a long debate. \
//!             Opponents said the plan would raise local taxes by 4% next year, \
//!             and promised to fight it at the next election.";
//! let article = format!("Budget passes\n{body}\nAdvertisement\n{body}\n");
//! let cleaned = clean(&article, &Options::default());
//! assert_eq!(cleaned.text, format!("Budget passes\n{body}\n"));
//! assert_eq!(cleaned.removals[0].reason, Reason::Boilerplate);
//! assert_eq!(cleaned.removals[1].reason, Reason::Repeat);
//! assert_eq!(cleaned.removals[1].kept.map(|k| k.line), Some(2));
//! ```

pub mod batch;
pub mod boilerplate;
pub mod check;
pub mod diff;
mod furniture;
pub mod input;
pub mod jsonl;
pub mod learn;
pub mod near;
pub mod normalize;
pub mod render;
pub mod repeats;
pub mod report;
pub mod segment;
#[cfg(test)]
mod test_rng;

use boilerplate::Boilerplate;
use normalize::Normalizer;
use segment::{LineKind, Sentence};
use serde::Serialize;

/// The default for [`Options::min_block_chars`]; see the README for why.
pub const DEFAULT_MIN_BLOCK_CHARS: usize = 150;

/// How to clean. Build once, share by reference (it is `Sync`).
#[derive(Clone, Debug)]
pub struct Options {
    /// Move paragraphs that only a later copy holds into the first copy.
    pub merge: bool,
    /// A repeated block shorter than this (in normalized characters) is natural repetition.
    pub min_block_chars: usize,
    /// The furniture matcher.
    pub boilerplate: Boilerplate,
    /// Near-duplicate threshold (see [`near`]); `None` matches exact keys only.
    pub similarity: Option<f32>,
}

impl Options {
    /// Default settings with the given furniture matcher.
    pub fn with_boilerplate(boilerplate: Boilerplate) -> Self {
        Options {
            merge: true,
            min_block_chars: DEFAULT_MIN_BLOCK_CHARS,
            boilerplate,
            similarity: Some(near::DEFAULT_SIMILARITY),
        }
    }
}

impl Default for Options {
    /// Default settings with the built-in boilerplate list (compiled once per process).
    fn default() -> Self {
        static BUILTIN: std::sync::OnceLock<Boilerplate> = std::sync::OnceLock::new();
        let boilerplate = BUILTIN.get_or_init(|| {
            // The built-in lists are tested to compile (boilerplate tests), so this cannot fail.
            Boilerplate::new(true, &[])
                .unwrap_or_else(|e| unreachable!("built-in boilerplate list does not compile: {e}"))
        });
        Options::with_boilerplate(boilerplate.clone())
    }
}

/// Why a span was removed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Reason {
    /// A copy of text that stays elsewhere in the article.
    Repeat,
    /// Site furniture.
    Boilerplate,
}

/// A byte range of the input and the 1-based line it starts on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub line: usize,
}

impl Span {
    /// The 1-based line of `input` the span ends on: a span may run over several lines (the
    /// paragraphed copy a flattened line repeats).
    pub fn last_line(&self, input: &str) -> usize {
        let newlines = input.get(self.start..self.end).map_or(0, |text| {
            memchr::memchr_iter(b'\n', text.as_bytes()).count()
        });
        self.line + newlines
    }
}

/// A span of the input that is not in the output.
#[derive(Clone, Debug, PartialEq)]
pub struct Removal {
    pub reason: Reason,
    pub span: Span,
    /// For repeats: the copy that was kept, one still in the output (absent for punctuation
    /// left over inside a block, a sentence whose copies ran out, and a repeat of text that
    /// itself went as one of those).
    pub kept: Option<Span>,
    /// For near repeats: the lowest similarity of a removed sentence to its copy (at most 1;
    /// 1 when the words are the same and only punctuation, accents, a dateline or a cut tail
    /// differ).
    pub similarity: Option<f32>,
}

/// A paragraph that only a later copy held, moved into the first copy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Move {
    /// The moved text, in the input.
    pub span: Span,
    /// The line it now follows.
    pub after: Span,
}

/// The result of cleaning one article.
#[derive(Clone, Debug, PartialEq)]
pub struct Cleaned {
    /// The cleaned article.
    pub text: String,
    pub removals: Vec<Removal>,
    pub moves: Vec<Move>,
    pub bytes_in: usize,
    /// Where each stretch of the output came from in the input.
    pub pieces: Vec<render::Piece>,
}

impl Cleaned {
    /// Whether the output differs from the input.
    pub fn changed(&self) -> bool {
        !self.removals.is_empty() || !self.moves.is_empty()
    }
}

/// What becomes of one sentence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Fate {
    Keep,
    /// Dropped as a repeat of the given sentence (or [`NO_SENTENCE`] for leftovers, and for a
    /// repeat whose copy went as a leftover: no copy of it stays).
    Repeat(u32),
    /// Moved after the given sentence.
    Move(u32),
    /// Dropped as furniture: what a repeat removal left of a line is only boilerplate.
    Furniture,
}

impl Fate {
    /// Whether the sentence is not in the output (as a repeat or as furniture).
    pub(crate) fn is_dropped(self) -> bool {
        matches!(self, Fate::Repeat(_) | Fate::Furniture)
    }
}

pub(crate) const NO_SENTENCE: u32 = u32::MAX;

/// The article model after segmentation: lines, sentences and their keys.
pub(crate) struct Article<'a> {
    pub text: &'a str,
    pub lines: Vec<segment::Line>,
    /// Sentences of line `i`: `sentences[line_sentences[i]..line_sentences[i + 1]]`.
    pub line_sentences: Vec<u32>,
    pub sentences: Vec<Sentence>,
    /// Normalized key of each sentence; `None` for punctuation-only sentences.
    pub keys: Vec<Option<normalize::Key>>,
    /// The lines of one share word that stay as content, in order (see
    /// [`Boilerplate::classify_noting_lone_shares`]).
    pub lone_share_words: Vec<usize>,
}

impl<'a> Article<'a> {
    fn parse(text: &'a str, options: &Options) -> Self {
        let mut lines = segment::split_lines(text);
        let mut furniture = Vec::new();
        let lone_share_words = {
            let contents: Vec<&str> = lines.iter().map(|l| &text[l.start..l.end]).collect();
            options
                .boilerplate
                .classify_noting_lone_shares(&contents, &mut furniture)
        };
        for (line, &is_furniture) in lines.iter_mut().zip(&furniture) {
            if is_furniture && line.kind == LineKind::Text {
                line.kind = LineKind::Boilerplate;
            }
        }
        // Sentences and keys; a large article is split on all threads of rayon's current pool.
        let split = segment::split_article(text, &lines);
        Article {
            text,
            lines,
            line_sentences: split.line_sentences,
            sentences: split.sentences,
            keys: split.keys,
            lone_share_words,
        }
    }

    pub fn sentences_of(&self, line: usize) -> std::ops::Range<usize> {
        self.line_sentences[line] as usize..self.line_sentences[line + 1] as usize
    }

    /// Whether line `line` is a single share word left as content ("Twitter" between two
    /// paragraphs).
    fn is_lone_share_word(&self, line: usize) -> bool {
        self.lone_share_words.binary_search(&line).is_ok()
    }
}

/// Cleans one article: drops repeated blocks and furniture, merges paragraphs only a later copy
/// held, and returns the text with a record of every removal and move.
pub fn clean(text: &str, options: &Options) -> Cleaned {
    let (mut cleaned, mut settled) = clean_once(text, options);
    // Cleaning must be idempotent. The passes inside `decide` redo the alignment over what is
    // shown, but near matching finds its candidates through an index and the alignment's
    // neighbours, which differ when the text differs, and a line's neighbours decide whether
    // it is furniture: a second run over the output can still find what the first missed.
    // Articles up to SECOND_PASS_MAX_BYTES are cleaned again until nothing changes, with the
    // later removals mapped back to input positions, unless the run is known (or, for one
    // rule, measured) to be final: see `clean_once`.
    for _ in 0..MAX_TEXT_PASSES {
        if settled || !cleaned.changed() || text.len() > SECOND_PASS_MAX_BYTES {
            break;
        }
        let again;
        (again, settled) = clean_once(&cleaned.text, options);
        if !again.changed() {
            break;
        }
        cleaned = compose(text, cleaned, again);
    }
    cleaned
}

/// The largest article cleaned again to make sure a second run changes nothing (a larger one
/// is cleaned once: it would cost a second full run).
pub const SECOND_PASS_MAX_BYTES: usize = 1 << 20;
/// How many extra runs at most.
const MAX_TEXT_PASSES: usize = 3;

/// One run of cleaning, and whether its output is known to be final. Two cases:
/// - Every sentence kept in place, so that all it removed is whole furniture lines. Cleaning
///   that output again would find the same thing as this run did: the lines left are the same
///   text, so they split into the same sentences with the same keys, and classify the same way
///   one by one; a share word line, furniture only next to furniture or another share word,
///   kept its neighbours (content), which are still there; furniture lines hold no sentences,
///   so the keyed sentences that near matching, the alignment, the headline and teaser rules
///   see are the same sequence, and they remove nothing again.
/// - Whole lines only went or moved, no line of one share word stayed, and no two sentences
///   left share a key (exact, or taken from a near copy), none of them cut short. The lines left
///   are the same text, so the same sentences and keys; none of them is furniture in any
///   context (a share word depends on its neighbours; a link-list or "read also" label is
///   furniture and went, with the headline it pointed at; a media headline kept at the top
///   stays the first line, as only repeats and furniture went); there is no repeat left to
///   align, and the passes in `decide` already ran the teaser, headline and tail rules over the
///   output order. What is not proved: near matching
///   could offer a second run a candidate this run's index did not (a cut sentence, which
///   stands for a full one by the words it has, is left out for that reason). Measured: every
///   fixture and every input of the committed fuzz corpus, with and without near matching,
///   cleans to itself after such a run (`a_settled_run_needs_no_second_one`). This spares most
///   changed articles of a batch their second run: a real repeated block goes as whole
///   paragraphs and leaves each sentence once.
fn clean_once(text: &str, options: &Options) -> (Cleaned, bool) {
    let article = Article::parse(text, options);
    let (canon, similarity) = canonical_keys(&article, options);
    let fates = decide(&article, options, &canon);
    let settled = fates.iter().all(|f| *f == Fate::Keep)
        || text.len() <= SECOND_PASS_MAX_BYTES
            && article.lone_share_words.is_empty()
            && whole_lines_only(&article, &fates)
            && kept_keys_unique(&article, &fates, &canon);
    // Rendering is where memory peaks (the output is built): free what it does not need.
    drop(canon);
    (render::render(&article, &fates, &similarity), settled)
}

/// Whether every line's sentences share one fate: all kept, all moved, or all gone.
fn whole_lines_only(article: &Article, fates: &[Fate]) -> bool {
    let class = |f: &Fate| match f {
        Fate::Keep => 0,
        Fate::Move(_) => 1,
        Fate::Repeat(_) | Fate::Furniture => 2,
    };
    (0..article.lines.len()).all(|line| {
        let mut range = article.sentences_of(line);
        let first = range.next().map(|s| class(&fates[s]));
        range.all(|s| Some(class(&fates[s])) == first)
    })
}

/// Whether no two sentences that stay (kept or moved) have the same key in `canon`, and none
/// of them ends cut short.
fn kept_keys_unique(article: &Article, fates: &[Fate], canon: &[u32]) -> bool {
    // Canonical keys are sentence positions.
    let mut seen = vec![false; fates.len()];
    fates.iter().enumerate().all(|(s, fate)| {
        !matches!(fate, Fate::Keep | Fate::Move(_))
            || article.keys[s].is_none()
            || !std::mem::replace(&mut seen[canon[s] as usize], true) && !sentence_cut(article, s)
    })
}

/// `second` cleaned the text `first` produced from `input`: one result for `input`, with the
/// second run's spans mapped back through `first`'s pieces.
fn compose(input: &str, first: Cleaned, second: Cleaned) -> Cleaned {
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(memchr::memchr_iter(b'\n', input.as_bytes()).map(|i| i + 1))
        .collect();
    let line_of = |at: usize| line_starts.partition_point(|&s| s <= at);
    // The input position of an intermediate position (start of a span, or its end when `end`).
    let map = |at: usize, end: bool| -> usize {
        let probe = if end { at.saturating_sub(1) } else { at };
        let i = first
            .pieces
            .partition_point(|p| p.out <= probe)
            .saturating_sub(1);
        match first.pieces.get(i) {
            Some(p) => p.input + (probe - p.out).min(p.len.saturating_sub(1)) + usize::from(end),
            None => at,
        }
    };
    let span = |s: Span| {
        let start = map(s.start, false);
        let end = map(s.end, true).max(start);
        Span {
            start,
            end,
            line: line_of(start),
        }
    };
    let mut later: Vec<Removal> = second
        .removals
        .into_iter()
        .map(|r| Removal {
            reason: r.reason,
            span: span(r.span),
            kept: r.kept.map(span),
            similarity: r.similarity,
        })
        .collect();
    later.sort_by_key(|r| r.span.start);
    // A first-run repeat whose kept copy the second run removed names what that removal kept;
    // when that removal kept nothing (furniture, punctuation left over), neither does the
    // repeat, which goes for the same reason (as `settle_repeats` does within one run). Only a
    // second-run removal can hold a first-run copy (the first run settled its own), and those
    // do not overlap (they map to the input in order): the last one starting at or before the
    // copy is the only one that can hold it. A first-run removal may lie inside a second-run
    // one (the second run took the rest of its line), so the two lists are searched apart.
    // What the second run kept stays: one step is the whole way.
    let mut removals = first.removals;
    for r in &mut removals {
        let Some(kept) = r.kept else { continue };
        let at = later.partition_point(|h| h.span.start <= kept.start);
        if let Some(h) = at.checked_sub(1).map(|h| &later[h])
            && kept.start < kept.end
            && kept.end <= h.span.end
        {
            r.kept = h.kept;
            if h.kept.is_none() {
                r.reason = h.reason;
                if h.reason == Reason::Boilerplate {
                    r.similarity = None;
                }
            }
        }
    }
    removals.extend(later);
    removals.sort_by_key(|r| r.span.start);
    let mut moves = first.moves;
    moves.extend(second.moves.into_iter().map(|m| Move {
        span: span(m.span),
        after: span(m.after),
    }));
    // The final output's pieces, through both runs.
    let mut pieces: Vec<render::Piece> = Vec::new();
    for p in &second.pieces {
        let (mut out, mut at, mut left) = (p.out, p.input, p.len);
        while left > 0 {
            let i = first
                .pieces
                .partition_point(|q| q.out <= at)
                .saturating_sub(1);
            let Some(q) = first.pieces.get(i) else { break };
            let offset = at - q.out;
            let take = left.min(q.len.saturating_sub(offset));
            if take == 0 {
                break;
            }
            pieces.push(render::Piece {
                out,
                input: q.input + offset,
                len: take,
            });
            out += take;
            at += take;
            left -= take;
        }
    }
    Cleaned {
        text: second.text,
        removals,
        moves,
        bytes_in: first.bytes_in,
        pieces,
    }
}

/// How many times the alignment is redone over what the previous pass kept. A pass that
/// removes something can bring two copies next to each other that it kept apart; redoing it
/// over the output order makes cleaning idempotent. Almost every article settles in one or two.
const MAX_PASSES: usize = 8;

/// The canonical key of a sentence with no key (punctuation only).
const NO_KEY: u32 = u32::MAX;

/// The similarity recorded for a sentence whose key is its own or an exact repeat's: above any
/// near copy's, which is at most 1 (a near copy whose words are all the same, its punctuation
/// changed or its tail cut, is still reported as near).
const EXACT: f32 = f32::INFINITY;

/// The key each sentence aligns by, as a small number: the position of the first sentence with
/// its exact key, or the key of an earlier sentence it nearly copies ([`NO_KEY`] for a sentence
/// with none); and its similarity to that copy ([`EXACT`] for exact keys). Equal sentences get
/// equal numbers, as their hashes would, and numbers below the sentence count let the alignment
/// group them with a table instead of a hash map on every pass.
fn canonical_keys(article: &Article, options: &Options) -> (Vec<u32>, Vec<f32>) {
    let n = article.keys.len();
    let mut canon = vec![NO_KEY; n];
    let mut similarity = vec![EXACT; n];
    let keyed: Vec<u32> = (0..n as u32)
        .filter(|&s| article.keys[s as usize].is_some())
        .collect();
    // For each exact repeat, its first occurrence (positions among the keyed sentences); a
    // sentence whose exact key is new has none.
    let mut first_at: repeats::KeyMap<u32> =
        repeats::KeyMap::with_capacity_and_hasher(keyed.len(), Default::default());
    let source: Vec<u32> = keyed
        .iter()
        .enumerate()
        .map(|(k, &s)| {
            let hash = article.keys[s as usize].map_or(0, |key| key.hash);
            let at = *first_at.entry(hash).or_insert(k as u32);
            if at == k as u32 { u32::MAX } else { at }
        })
        .collect();
    drop(first_at);
    let exact_new: Vec<bool> = source.iter().map(|&at| at == u32::MAX).collect();
    // One pass in article order, so that every key a sentence takes from an earlier one is
    // already final: a near copy takes its original's, an exact repeat its first occurrence's
    // (which may itself be a near copy).
    // (Left empty with `--exact`.)
    let mut near_of: Vec<Option<(u32, f32)>> = Vec::new();
    if let Some(threshold) = options.similarity {
        near_of.resize(keyed.len(), None);
        let lookup = near::Lookup {
            sentences: near::Texts::Spans {
                text: article.text,
                spans: &article.sentences,
                pick: &keyed,
            },
            exact_new: &exact_new,
            source: &source,
            threshold,
            // Every sentence long enough to compare is indexed: a block may be made of near
            // copies only (every sentence of the copy changed), with no exact repeat to start
            // from.
            index_min_bytes: 0,
        };
        for m in near::find(&lookup) {
            near_of[m.copy as usize] = Some((m.of, m.similarity));
        }
    }
    // The first sentence with the exact key of keyed sentence `k`: its own canonical key.
    let own = |k: usize| {
        let first = if exact_new[k] { k } else { source[k] as usize };
        keyed[first]
    };
    let mut claimed = std::collections::HashSet::new();
    for (k, &s) in keyed.iter().enumerate() {
        let s = s as usize;
        if !exact_new[k] {
            // An exact repeat takes what its first occurrence (already final) took.
            let first = own(k) as usize;
            canon[s] = canon[first];
            similarity[s] = similarity[first];
            continue;
        }
        canon[s] = s as u32;
        if let Some(&Some((of_k, sim))) = near_of.get(k) {
            let of = keyed[of_k as usize] as usize;
            // A sentence cut short matches any sentence that starts with its words: once it
            // has taken an earlier full sentence's key, another that goes on differently
            // ("... resume in Geneva" / "... resume in… Police said") is not that one.
            // And it stands for one full sentence only: a second that starts the same way and
            // goes on differently ("... resume in Paris") keeps its own key.
            if sentence_cut(article, of) && !sentence_cut(article, s) {
                let root = canon[of] == own(of_k as usize);
                if !root || !claimed.insert(of) {
                    continue;
                }
            }
            canon[s] = canon[of];
            similarity[s] = sim.min(similarity[of]);
        }
    }
    if options.similarity.is_some() {
        take_cut_tails(article, &mut canon, &mut similarity);
        take_broken_continuations(article, &mut canon, &mut similarity);
        follow_moved_keys(&mut canon, &mut similarity);
    }
    (canon, similarity)
}

/// The fewest words of a cut tail that [`take_cut_tails`] matches.
const CUT_TAIL_MIN_WORDS: usize = 2;

/// Gives a paragraph's cut tail the key of the sentence it cuts. A copy that truncated every
/// paragraph ("… could increase the risk of a crash. The agency has been...") ends each one in
/// a sentence too short for near matching (under [`near::MIN_WORDS`] words), which would break
/// the copy into blocks and leave the tails, and a short paragraph after them, behind. The
/// tail is matched in context only: it ends its line cut short, the sentence before it in the
/// line copies an earlier sentence, and the sentence after that one, in the same line, starts
/// with the tail's words (two or more).
fn take_cut_tails(article: &Article, canon: &mut [u32], similarity: &mut [f32]) {
    let mut normalizer = Normalizer::new();
    let sentences = &article.sentences;
    for s in 1..sentences.len() {
        let (prev, this) = (&sentences[s - 1], &sentences[s]);
        let last_in_line = sentences
            .get(s + 1)
            .is_none_or(|next| next.line != this.line);
        if canon[s] != s as u32 || !last_in_line || prev.line != this.line {
            continue;
        }
        let copied = canon[s - 1];
        if copied == NO_KEY || copied as usize >= s - 1 || !sentence_cut(article, s) {
            continue;
        }
        let full = copied as usize + 1;
        let same_line = sentences[full].line == sentences[full - 1].line;
        if full >= s - 1 || !same_line || canon[full] == NO_KEY || sentence_cut(article, full) {
            continue;
        }
        let tail = &article.text[this.start..this.end];
        let whole = &article.text[sentences[full].start..sentences[full].end];
        if let Some(share) = share_of_sentence(&mut normalizer, tail, whole, true) {
            canon[s] = canon[full];
            similarity[s] = share.min(similarity[full]);
        }
    }
}

/// After [`take_cut_tails`] and [`take_broken_continuations`] gave a piece that was its own
/// first occurrence the key of a full sentence, a later exact copy of the piece (a third
/// capture cut or broken the same way) still has the piece's key: it takes the new one, and the
/// lower similarity. Keys point back to earlier sentences, so one pass in order settles them.
fn follow_moved_keys(canon: &mut [u32], similarity: &mut [f32]) {
    for s in 0..canon.len() {
        let c = canon[s];
        if c == NO_KEY || c as usize == s {
            continue;
        }
        let root = canon[c as usize];
        if root != c && root != NO_KEY {
            canon[s] = root;
            similarity[s] = similarity[s].min(similarity[c as usize]);
        }
    }
}

/// When sentence `part`, normalized, is two words or more and the start (`at_start`) or the
/// end of sentence `whole`, normalized, at a word boundary: the share of `whole` it holds.
fn share_of_sentence(
    normalizer: &mut Normalizer,
    part: &str,
    whole: &str,
    at_start: bool,
) -> Option<f32> {
    let part = normalizer.normalized(part).to_owned();
    if part.split(' ').count() < CUT_TAIL_MIN_WORDS {
        return None;
    }
    let whole = normalizer.normalized(whole);
    let fits = whole.len() > part.len()
        && if at_start {
            whole.starts_with(part.as_str()) && whole.as_bytes()[part.len()] == b' '
        } else {
            whole.ends_with(part.as_str()) && whole.as_bytes()[whole.len() - part.len() - 1] == b' '
        };
    fits.then(|| part.len() as f32 / whole.len() as f32)
}

/// Gives the rest of a broken sentence the key of the sentence it ends. A copy that broke a
/// paragraph inside a sentence ("… a new surgical hub at Westgate Hospital in June," / "which is
/// expected to carry out 9,000 operations a year.") has the first part matched as a near copy
/// of the full sentence ([`ends_broken`]), but the rest, on the next line, copies only the full
/// sentence's end: no sentence of its own. Inside a copy it is a gap the block spans; as the
/// copy's last line it was left behind. It is matched in context only: it starts its line, the
/// line before ends in the broken part, which copies an earlier full sentence, and that
/// sentence ends with the rest's words (two or more).
fn take_broken_continuations(article: &Article, canon: &mut [u32], similarity: &mut [f32]) {
    let mut normalizer = Normalizer::new();
    let sentences = &article.sentences;
    for s in 1..sentences.len() {
        let (prev, this) = (&sentences[s - 1], &sentences[s]);
        if canon[s] != s as u32 || prev.line == this.line {
            continue;
        }
        let copied = canon[s - 1];
        if copied == NO_KEY
            || copied as usize >= s - 1
            || !ends_broken(&article.text[prev.start..prev.end])
        {
            continue;
        }
        let full = &sentences[copied as usize];
        let whole_text = &article.text[full.start..full.end];
        if ends_broken(whole_text) {
            continue;
        }
        let rest = &article.text[this.start..this.end];
        if let Some(share) = share_of_sentence(&mut normalizer, rest, whole_text, false) {
            canon[s] = copied;
            similarity[s] = share.min(similarity[s - 1]);
        }
    }
}

/// Decides the fate of every sentence, aligning by the keys `canon`.
fn decide(article: &Article, options: &Options, canon: &[u32]) -> Vec<Fate> {
    let mut fates = vec![Fate::Keep; article.sentences.len()];
    let near = options.similarity.is_some();
    // A first line that went as the teaser of a full copy further down was the headline: on
    // the first pass it stands for that copy in the headline rule, as a cut headline that gave
    // way to its full copy does with `--exact`.
    let mut teaser_head = None;
    if near {
        let text_lines: Vec<usize> = (0..article.lines.len())
            .filter(|&l| article.lines[l].kind == LineKind::Text)
            .collect();
        drop_teasers(article, &mut fates, &text_lines);
        let first: Option<Vec<usize>> = text_lines
            .iter()
            .map(|&l| keyed_sentences(article, l).collect::<Vec<usize>>())
            .find(|keyed| !keyed.is_empty());
        teaser_head = first.filter(|keyed| {
            keyed
                .iter()
                .all(|&s| matches!(fates[s], Fate::Repeat(kept) if kept != NO_SENTENCE))
        });
    }
    drop_suffixed_title(article, &mut fates);
    let (_, head) = drop_repeated_headline(article, &mut fates);
    let mut headline = teaser_head.or(head);
    // Each pass aligns what is still shown, as a second run over the output would.
    let mut shown: Vec<u32> = (0..article.sentences.len() as u32)
        .filter(|&s| article.keys[s as usize].is_some() && fates[s as usize] == Fate::Keep)
        .collect();
    for _ in 0..MAX_PASSES {
        let removed = remove_blocks(article, options, canon, &shown, &mut fates);
        settle_partial_lines(article, options, headline.as_deref(), &mut fates);
        let (mut dropped, head) = drop_repeated_headline(article, &mut fates);
        headline = head;
        // Removals and moves change which lines are at the top.
        if near {
            let order = render::shown_lines(article, &mut fates);
            dropped |= drop_teasers(article, &mut fates, &order);
            dropped |= drop_truncated_tails(article, &mut fates);
        }
        if !removed && !dropped {
            break;
        }
        shown = render::shown_order(article, &mut fates);
    }
    settle_moves(&mut fates);
    settle_repeats(&mut fates);
    fates
}

/// The most links followed from a repeat to the copy that stays.
const MAX_KEPT_STEPS: usize = 32;

/// A repeat's kept copy may itself have gone in a later pass or rule (a repeated headline, a
/// cut copy giving way): point the repeat at the copy that stays, so that the report names
/// a location in the output. When the copy it leads to went as furniture (a lone share word
/// inside a removed copy, what a repeat left of a line) or as punctuation left over inside a
/// block, the repeat is the same text and goes for the same reason: no copy of it stays.
fn settle_repeats(fates: &mut [Fate]) {
    for s in 0..fates.len() {
        let Fate::Repeat(kept) = fates[s] else {
            continue;
        };
        if kept == NO_SENTENCE {
            continue;
        }
        // Chains are a step or two long; the bound keeps a cycle (a cut copy gives way to a
        // later full one) from running on.
        let kept = follow_repeats(fates, kept, MAX_KEPT_STEPS);
        fates[s] = match fates[kept as usize] {
            Fate::Furniture => Fate::Furniture,
            Fate::Repeat(NO_SENTENCE) => Fate::Repeat(NO_SENTENCE),
            _ => Fate::Repeat(kept),
        };
    }
}

/// From sentence `s`, follows repeats to their kept copies (at most `steps` links): the first
/// sentence on the way that is not a repeat of another, or the last reached.
fn follow_repeats(fates: &[Fate], mut s: u32, steps: usize) -> u32 {
    for _ in 0..steps {
        match fates[s as usize] {
            Fate::Repeat(kept) if kept != NO_SENTENCE => s = kept,
            _ => break,
        }
    }
    s
}

/// A move's anchor may itself have gone in a later block: follow it to its kept copy. A move
/// whose anchor is not shown at all stays where it is.
fn settle_moves(fates: &mut [Fate]) {
    for s in 0..fates.len() {
        let Fate::Move(mut anchor) = fates[s] else {
            continue;
        };
        // Kept copies are always earlier, so this ends; the bound is a second safety.
        anchor = follow_repeats(fates, anchor, fates.len());
        fates[s] = match fates[anchor as usize] {
            Fate::Keep | Fate::Move(_) => Fate::Move(anchor),
            Fate::Repeat(_) | Fate::Furniture => Fate::Keep,
        };
    }
}

/// One alignment pass over the sentences `seq` (in output order): marks the repeated blocks
/// long enough to go, their leftovers, and their insertions. Returns whether it removed any.
fn remove_blocks(
    article: &Article,
    options: &Options,
    canon: &[u32],
    seq: &[u32],
    fates: &mut [Fate],
) -> bool {
    let key = |s: u32| {
        let chars = article.keys[s as usize].map_or(0, |k| k.chars.get());
        (canon[s as usize], chars)
    };
    let seq_keys: Vec<u32> = seq.iter().map(|&s| key(s).0).collect();
    let seq_chars: Vec<u32> = seq.iter().map(|&s| key(s).1).collect();
    let seq_lines: Vec<u32> = seq
        .iter()
        .map(|&s| article.sentences[s as usize].line)
        .collect();
    let runs = repeats::find_runs(&seq_keys);
    let blocks = repeats::chain_blocks(&runs, &seq_chars, &seq_lines);
    let resolve = |fates: &[Fate], s: u32| match fates[s as usize] {
        Fate::Repeat(kept) if kept != NO_SENTENCE => kept,
        _ => s,
    };
    let mut removed = false;
    for block in &blocks {
        if !block.is_long_enough(options.min_block_chars as u64) {
            continue;
        }
        removed = true;
        let block_runs = &runs[block.runs.clone()];
        if is_flattened_source(article, block_runs, seq) {
            // The first copy is one line holding what the later copy spreads over paragraphs:
            // keep the paragraphs, which carry the structure, and drop the flattened line.
            for run in block_runs {
                for t in 0..run.len {
                    let src = seq[(run.src + t) as usize];
                    let tgt = seq[(run.tgt + t) as usize];
                    fates[src as usize] = Fate::Repeat(tgt);
                }
            }
            if options.merge {
                move_flattened_extras(article, block_runs, seq, fates);
            }
            continue;
        }
        let (mut first, mut last) = (usize::MAX, 0);
        for run in block_runs {
            for t in 0..run.len {
                let src = resolve(fates, seq[(run.src + t) as usize]);
                let tgt = seq[(run.tgt + t) as usize];
                // A first copy cut short with an ellipsis (a teaser, a truncated capture) is
                // never kept for a full one: the full copy stays and the cut one goes.
                if matches!(fates[src as usize], Fate::Keep | Fate::Move(_))
                    && sentence_cut(article, src as usize)
                    && !sentence_cut(article, tgt as usize)
                {
                    fates[src as usize] = Fate::Repeat(tgt);
                    continue;
                }
                fates[tgt as usize] = Fate::Repeat(src);
                first = first.min(tgt as usize);
                last = last.max(tgt as usize);
            }
        }
        // Punctuation-only sentences inside the block belong to it, and so do those that end
        // the line of its last sentence (the "5]" of a citation marker the splitter cut).
        // (None when every sentence of the block kept its later copy instead.)
        if first == usize::MAX {
            continue;
        }
        let line_of_last = article.sentences[last].line;
        while article
            .sentences
            .get(last + 1)
            .is_some_and(|s| s.line == line_of_last)
            && article.keys[last + 1].is_none()
        {
            last += 1;
        }
        for (fate, key) in fates[first..=last]
            .iter_mut()
            .zip(&article.keys[first..=last])
        {
            if key.is_none() && *fate == Fate::Keep {
                *fate = Fate::Repeat(NO_SENTENCE);
            }
        }
        for insertion in &block.insertions {
            let anchor = resolve(fates, seq[insertion.after as usize]);
            for u in insertion.units.clone() {
                let s = seq[u as usize] as usize;
                // A lone share word between the copy's paragraphs is the page's furniture,
                // not a paragraph the first copy lacks: it goes with the copy.
                if article.is_lone_share_word(article.sentences[s].line as usize) {
                    fates[s] = Fate::Furniture;
                } else if options.merge {
                    fates[s] = Fate::Move(anchor);
                }
            }
        }
    }
    removed
}

/// The sentences a flattened first copy holds and the paragraphed copy lacks: those left in
/// its line after the runs went, each after a run or between two, move after the paragraphed
/// copy of the sentence before them (a line moves as one, so only when they all follow the
/// same one). Those before the first run stay where they are: just above the paragraphed copy.
fn move_flattened_extras(
    article: &Article,
    runs: &[repeats::Run],
    seq: &[u32],
    fates: &mut [Fate],
) {
    let Some(first) = runs.first() else { return };
    let line = article.sentences[seq[first.src as usize] as usize].line;
    // Each staying sentence of the line after the first run, with the run it follows.
    let mut anchor = None;
    let mut extras = Vec::new();
    let mut s = seq[first.src as usize] as usize;
    while let Some(sentence) = article.sentences.get(s) {
        if sentence.line != line {
            break;
        }
        let before = runs
            .iter()
            .filter(|r| seq[r.src as usize] as usize <= s)
            .max_by_key(|r| r.src);
        if fates[s] == Fate::Keep
            && article.keys[s].is_some()
            && let Some(run) = before
        {
            let after = seq[(run.tgt + run.len - 1) as usize];
            if *anchor.get_or_insert(after) != after {
                return;
            }
            extras.push(s);
        }
        s += 1;
    }
    if let Some(after) = anchor {
        for s in extras {
            fates[s] = Fate::Move(after);
        }
    }
}

/// How many paragraphs a flattened copy must spread over, at least, to be recognised.
const FLATTENED_MIN_LINES: usize = 3;

/// Whether a block (its `runs`) copies one line into several paragraphs: its source sentences
/// all stand in one line and its copies spread over at least [`FLATTENED_MIN_LINES`] lines.
fn is_flattened_source(article: &Article, runs: &[repeats::Run], seq: &[u32]) -> bool {
    let line_of = |i: u32| article.sentences[seq[i as usize] as usize].line;
    let Some(first_src) = runs.first().map(|r| r.src) else {
        return false;
    };
    let src_line = line_of(first_src);
    let mut tgt_lines = std::collections::BTreeSet::new();
    let mut sources = std::collections::BTreeSet::new();
    let mut copies = 0;
    for run in runs {
        for t in 0..run.len {
            if line_of(run.src + t) != src_line {
                return false;
            }
            tgt_lines.insert(line_of(run.tgt + t));
            sources.insert(run.src + t);
            copies += 1;
        }
    }
    // One copy of each sentence of a line of several: not copies of copies.
    copies == sources.len()
        && sources.len() >= FLATTENED_MIN_LINES
        && !tgt_lines.contains(&src_line)
        && tgt_lines.len() >= FLATTENED_MIN_LINES
}

/// The shortest teaser recognised, in bytes (shorter cut lines are too often real content).
const TEASER_MIN_BYTES: usize = 40;
/// How a teaser's cut is marked: an ellipsis, WordPress's bracketed one, or an HTML reference
/// left undecoded. (Longer ends first: "[...]" also ends in "...".)
const TEASER_ENDS: [&str; 10] = [
    "[...]",
    "[…]",
    "[&hellip;]",
    "[&#8230;]",
    "(...)",
    "(…)",
    "&hellip;",
    "&#8230;",
    "...",
    "…",
];

/// Whether `text` ends cut short: in one of the [`TEASER_ENDS`] (closing quotes and brackets
/// after it aside).
pub(crate) fn ends_cut(text: &str) -> bool {
    let t = closed(text);
    TEASER_ENDS.iter().any(|end| t.ends_with(end))
}

/// Whether `text` ends in a comma or semicolon (closing quotes and brackets after it aside): a
/// paragraph broken inside a sentence, since a sentence ends there only at the end of a line.
/// Its words go on on the next line, so, unlike a cut one, it never gives way to a full copy;
/// but a later copy broken so is a near copy of an earlier full sentence.
pub(crate) fn ends_broken(text: &str) -> bool {
    closed(text).ends_with([',', ';'])
}

/// `text` less the closing quotes, brackets and spaces at its end.
fn closed(text: &str) -> &str {
    text.trim_end_matches(['"', '”', '’', '\'', ')', ' '])
}

/// Whether sentence `s` of the article ends cut short ([`ends_cut`]).
fn sentence_cut(article: &Article, s: usize) -> bool {
    let span = &article.sentences[s];
    ends_cut(&article.text[span.start..span.end])
}

/// How many text lines from the top may be a teaser (a meta description pasted above the body).
const TEASER_LINES: usize = 3;
/// The shortest standfirst recognised, in bytes: a whole sentence of at least
/// [`near::MIN_WORDS`] words, where a shorter line repeated under the headline (a kicker, a
/// one-line summary of a score) is too often the page's own.
const STANDFIRST_MIN_BYTES: usize = 60;
/// How many lines after a standfirst its lede may come.
const STANDFIRST_REACH: usize = 3;

/// A line near the top that is the start of a later paragraph cut at a word boundary and ended
/// with "...", "…", " ..." or "[...]" is a truncated teaser of that paragraph: it goes, the
/// paragraph stays. So does a standfirst under the headline (not the first line) that is, word
/// for word, the later paragraph or its first sentences, when it is a sentence of at least
/// [`near::MIN_WORDS`] words and [`STANDFIRST_MIN_BYTES`] bytes: a meta description that
/// copies the lede, too short to be a repeated block.
fn drop_teasers(article: &Article, fates: &mut [Fate], order: &[usize]) -> bool {
    let text = article.text;
    let mut normalizer = Normalizer::new();
    let mut dropped = false;
    for (at, &l) in order.iter().enumerate().take(TEASER_LINES) {
        let line = &article.lines[l];
        let content = text[line.start..line.end].trim();
        // A standfirst (the meta description, whole) under the headline: the lede's first
        // sentences or all of it, word for word.
        let standfirst = |c: &str| {
            at > 0
                && c.len() >= STANDFIRST_MIN_BYTES
                && c.split_whitespace().count() >= near::MIN_WORDS
                && segment::ends_in_full_stop(c)
        };
        let cut = match TEASER_ENDS.iter().find_map(|end| content.strip_suffix(end)) {
            Some(cut) => cut.trim_end(),
            None if standfirst(content) => content,
            None => continue,
        };
        let whole = cut.len() == content.len();
        if cut.len() < TEASER_MIN_BYTES
            || fates[article.sentences_of(l)]
                .iter()
                .all(|f| f.is_dropped())
        {
            continue;
        }
        let prefix = normalizer.normalized(cut).to_owned();
        let head: String = prefix.chars().take(12).collect();
        // A standfirst's lede follows it within a few lines (a byline, a date between): a line
        // further down that it repeats is the start of a second copy of the article, where the
        // first copy is the one kept.
        let within = if whole {
            (at + 1 + STANDFIRST_REACH).min(order.len())
        } else {
            order.len()
        };
        // Only a byline or a date may stand between a standfirst and its lede: past a
        // paragraph of prose, the line it repeats starts a second copy.
        // (A byline or a date has no sentence end.)
        let is_prose = |m: usize| {
            let line = &article.lines[m];
            text[line.start..line.end]
                .trim_end_matches(['"', '”', '’', '\'', ')', ' '])
                .ends_with(['.', '!', '?', '。', '！', '？'])
        };
        let mut past_prose = false;
        let full = order[at + 1..within].iter().position(|&m| {
            if past_prose {
                return false;
            }
            let other = &article.lines[m];
            let line_text = text[other.start..other.end].trim();
            past_prose = whole && is_prose(m);
            // A standfirst repeats a whole sentence, not a cut one. And the paragraph kept must
            // be shown from its start (a removed copy cannot keep what it repeats).
            if whole && !segment::ends_in_full_stop(line_text)
                || fates
                    .get(article.sentences_of(m).start)
                    .is_none_or(|f| *f != Fate::Keep)
            {
                return false;
            }
            if other.end - other.start < cut.len() + usize::from(!whole) {
                return false;
            }
            let candidate = text[other.start..other.end].trim();
            // Cheap filter on the first letters (after a dateline, if any) before normalizing
            // the whole line.
            let start = candidate
                .char_indices()
                .nth(24 + DATELINE_MAX)
                .map_or(candidate, |(i, _)| &candidate[..i]);
            if !normalizer.normalized(start).contains(&head) {
                return false;
            }
            let starts_with_teaser = |n: &str| {
                whole && n == prefix
                    || n.len() > prefix.len()
                        && n.starts_with(&prefix)
                        && n[prefix.len()..].starts_with(|c: char| !c.is_alphanumeric())
            };
            let normalized = normalizer.normalized(candidate);
            starts_with_teaser(normalized)
                || after_dateline(normalized).is_some_and(starts_with_teaser)
        });
        let Some(m) = full.map(|p| order[at + 1 + p]) else {
            continue;
        };
        // The body goes on after a standfirst's lede: a paragraph captured twice with only
        // furniture between is an article's two copies, where the first is kept.
        if whole
            && !order[at + 1..]
                .iter()
                .skip_while(|&&n| n != m)
                .skip(1)
                .any(|&n| is_prose(n))
        {
            continue;
        }
        let kept = article.sentences_of(m).start as u32;
        // The teaser, and any later copy of it (a second capture of the page): left to the
        // alignment, a copy would look like a paragraph the first copy lacks.
        let hashes = |line: usize| {
            keyed_sentences(article, line)
                .map(|s| article.keys[s].map(|k| k.hash))
                .collect::<Vec<_>>()
        };
        let teaser = hashes(l);
        for &copy in &order[at..] {
            if copy == l || copy != m && hashes(copy) == teaser {
                for s in article.sentences_of(copy) {
                    fates[s] = Fate::Repeat(kept);
                }
                dropped = true;
            }
        }
    }
    dropped
}

/// A line cut short with an ellipsis right after a removed copy ("... and that the company had
/// tried to hide..." under an AMP or feed copy): the copy's truncated last paragraph. It goes
/// with the copy when it is the start, cut at a word boundary, of what follows the kept
/// sentence the copy's last line repeats (the rest of its paragraph, or the next paragraph).
fn drop_truncated_tails(article: &Article, fates: &mut [Fate]) -> bool {
    let text = article.text;
    let mut normalizer = Normalizer::new();
    let mut dropped = false;
    // The kept sentence the last sentence of the previous paragraph shown or removed as a
    // repeat repeats.
    let mut after: Option<u32> = None;
    for l in 0..article.lines.len() {
        if article.lines[l].kind != LineKind::Text {
            continue;
        }
        let range = article.sentences_of(l);
        let line_fates = &fates[range.clone()];
        if line_fates.is_empty() || line_fates.iter().all(|f| *f == Fate::Furniture) {
            continue;
        }
        let last = line_fates[line_fates.len() - 1];
        let line = &article.lines[l];
        let content = text[line.start..line.end].trim();
        let cut = TEASER_ENDS
            .iter()
            .find_map(|end| content.strip_suffix(end))
            .map(str::trim_end)
            .filter(|cut| cut.len() >= TEASER_MIN_BYTES);
        let before = after;
        let follows = match (after, cut) {
            (Some(k), Some(_)) if line_fates.iter().all(|f| *f == Fate::Keep) => {
                continuation(article, k as usize)
            }
            _ => None,
        };
        after = match last {
            Fate::Repeat(k) if k != NO_SENTENCE => Some(k),
            _ => None,
        };
        let (Some(cut), Some((from, end))) = (cut, follows) else {
            continue;
        };
        if fates[from] != Fate::Keep {
            continue;
        }
        let prefix = normalizer.normalized(cut).to_owned();
        let whole = normalizer.normalized(&text[article.sentences[from].start..end]);
        if whole.len() > prefix.len()
            && whole.starts_with(&prefix)
            && whole[prefix.len()..].starts_with(|c: char| !c.is_alphanumeric())
        {
            for f in &mut fates[range] {
                *f = Fate::Repeat(from as u32);
            }
            // A second capture of the same cut line follows the same kept sentence.
            after = before;
            dropped = true;
        }
    }
    dropped
}

/// What follows kept sentence `k` in the article: the rest of its paragraph, or else the next
/// paragraph of text, as its first sentence and the byte where it ends.
fn continuation(article: &Article, k: usize) -> Option<(usize, usize)> {
    let line = article.sentences.get(k)?.line as usize;
    let rest = k + 1..article.sentences_of(line).end;
    if !rest.is_empty() {
        return Some((rest.start, article.lines[line].end));
    }
    let next = (line + 1..article.lines.len()).find(|&m| {
        article.lines[m].kind == LineKind::Text && !article.sentences_of(m).is_empty()
    })?;
    Some((article.sentences_of(next).start, article.lines[next].end))
}

/// The longest dateline looked for before a paragraph's text, in bytes of normalized text.
const DATELINE_MAX: usize = 60;

/// The normalized paragraph `n` after its dateline ("london (reuters) - ", "washington - "): a
/// teaser pasted above the article quotes the text, not the dateline. A dateline is at most
/// six words before a dash.
fn after_dateline(n: &str) -> Option<&str> {
    let dash = n.find("- ").filter(|&at| at > 0 && at <= DATELINE_MAX)?;
    let dateline = n[..dash].trim_end();
    (!dateline.is_empty() && dateline.split(' ').count() <= 6).then(|| n[dash + 2..].trim_start())
}

/// Sentence `s` as a repeat of the next of `copies` (a punctuation-only sentence takes none).
fn repeat_of<'a>(
    article: &Article,
    s: usize,
    copies: &mut impl Iterator<Item = &'a usize>,
) -> Fate {
    match article.keys[s] {
        Some(_) => Fate::Repeat(copies.next().map_or(NO_SENTENCE, |&h| h as u32)),
        None => Fate::Repeat(NO_SENTENCE),
    }
}

/// The keyed sentences of a line, as sentence indices.
fn keyed_sentences<'a>(article: &'a Article, line: usize) -> impl Iterator<Item = usize> + 'a {
    article
        .sentences_of(line)
        .filter(|&s| article.keys[s].is_some())
}

/// A later line that repeats the article's first line in full (the headline captured again)
/// is a repeat however short it is. Only what is still shown counts: after a pass removed
/// part of the first line, what is left of it is the headline the output will have. Returns
/// whether a line was dropped, and the headline's shown keyed sentences.
fn drop_repeated_headline(article: &Article, fates: &mut [Fate]) -> (bool, Option<Vec<usize>>) {
    let shown = |fates: &[Fate], s: usize| matches!(fates[s], Fate::Keep | Fate::Move(_));
    let shown_keyed = |fates: &[Fate], line: usize| -> Vec<usize> {
        keyed_sentences(article, line)
            .filter(|&s| shown(fates, s))
            .collect()
    };
    let Some((head, head_sentences)) = (0..article.lines.len())
        .filter(|&l| article.lines[l].kind == LineKind::Text)
        .map(|l| (l, shown_keyed(fates, l)))
        .find(|(_, keyed)| !keyed.is_empty())
    else {
        return (false, None);
    };
    // A first line of two or more sentences ending in a full stop ("THE PRESIDENT: Thank you.
    // Thank you very much." in a transcript) is prose, and its coming back later natural
    // repetition, left to the block rules. Headlines are one sentence ("Storm hits coast.") or
    // end without a full stop ("Storm hits coast. Thousands flee").
    // Nor is a long sentence ending in a full stop: that is the lead paragraph of a text
    // captured without its headline, and a copy of it starts a copy of the body, which the
    // block rules measure as a whole.
    let headline_like = match head_sentences.as_slice() {
        [] => true,
        [only] => {
            let s = &article.sentences[*only];
            let text = &article.text[s.start..s.end];
            !segment::ends_in_full_stop(text)
                || text.split_whitespace().count() <= HEADLINE_MAX_WORDS
        }
        [.., last] => {
            let s = &article.sentences[*last];
            !segment::ends_in_full_stop(&article.text[s.start..s.end])
        }
    };
    // A speaker's turn ("THE PRESIDENT: Thank you.", "Q: ...") opens a transcript, where it
    // comes back as the exchange goes on.
    let first_text = |s: &usize| {
        let s = &article.sentences[*s];
        &article.text[s.start..s.end]
    };
    if !headline_like
        || head_sentences
            .first()
            .map(first_text)
            .is_some_and(is_speaker_turn)
    {
        return (false, None);
    }
    let hash = |s: usize| article.keys[s].map(|k| k.hash);
    // Compared in step, without collecting: this runs for every line on every pass.
    let repeats_head = |fates: &[Fate], line: usize| {
        let mut keyed = keyed_sentences(article, line).filter(|&s| shown(fates, s));
        article.lines[line].kind == LineKind::Text
            && head_sentences
                .iter()
                .all(|&h| keyed.next().is_some_and(|s| hash(s) == hash(h)))
            && keyed.next().is_none()
    };
    let later: Vec<usize> = (head + 1..article.lines.len())
        .filter(|&line| repeats_head(fates, line))
        .collect();
    // A headline is captured again once per copy of the page; a first line that comes back
    // twice or more on its own is a label or a question the article repeats ("What is the best
    // advice you have ever been given?" put to each guest, a speaker's name before each answer).
    if later.len() > 1 {
        return (false, None);
    }
    let mut dropped = false;
    for line in later {
        dropped = true;
        let mut head_iter = head_sentences.iter();
        for s in article.sentences_of(line) {
            if shown(fates, s) {
                fates[s] = repeat_of(article, s, &mut head_iter);
            }
        }
    }
    (dropped, Some(head_sentences))
}

/// A page's title above its headline: the first line is the next line with the site's name
/// after a separator ("Pier reopens after £6m restoration - The Harbour Herald" over "Pier
/// reopens after £6m restoration"). The title goes as a repeat of the headline, which stays.
fn drop_suffixed_title(article: &Article, fates: &mut [Fate]) {
    /// Separators between a title and a site's name.
    const SEPARATORS: [&str; 6] = [" - ", " | ", " – ", " — ", " :: ", " · "];
    /// The most words of a site's name.
    const SITE_MAX_WORDS: usize = 5;
    let mut text_lines = (0..article.lines.len())
        .filter(|&l| article.lines[l].kind == LineKind::Text)
        .filter(|&l| keyed_sentences(article, l).any(|s| fates[s] == Fate::Keep));
    let (Some(title), Some(headline)) = (text_lines.next(), text_lines.next()) else {
        return;
    };
    let line_text = |l: usize| {
        let line = &article.lines[l];
        article.text[line.start..line.end].trim()
    };
    let mut normalizer = Normalizer::new();
    let Some(head_key) = normalizer.key(line_text(headline)) else {
        return;
    };
    let suffixed = SEPARATORS.iter().any(|sep| {
        line_text(title)
            .rsplit_once(sep)
            .is_some_and(|(before, site)| {
                let words = site.split_whitespace().count();
                (1..=SITE_MAX_WORDS).contains(&words)
                    && site.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit())
                    && !segment::ends_in_full_stop(site)
                    && normalizer
                        .key(before)
                        .is_some_and(|k| k.hash == head_key.hash)
            })
    });
    let Some(kept) = keyed_sentences(article, headline)
        .next()
        .filter(|_| suffixed)
    else {
        return;
    };
    for s in article.sentences_of(title) {
        if fates[s] == Fate::Keep {
            fates[s] = Fate::Repeat(kept as u32);
        }
    }
}

/// The most words of a headline that ends in a full stop ("Storm hits coast."): a longer first
/// line ending so is a lead paragraph.
const HEADLINE_MAX_WORDS: usize = 12;

/// Whether a sentence opens with a speaker's label in capitals and a colon, as the turns of a
/// transcript do: "THE PRESIDENT: Thank you.", "Q: And on Ukraine?", "MS. LEE: No.".
fn is_speaker_turn(sentence: &str) -> bool {
    /// The longest label looked for, in characters.
    const LABEL_MAX: usize = 40;
    let Some(colon) = sentence
        .char_indices()
        .take(LABEL_MAX)
        .find_map(|(at, c)| (c == ':').then_some(at))
    else {
        return false;
    };
    let label = sentence[..colon].trim();
    label.chars().any(char::is_alphabetic)
        && label
            .chars()
            .all(|c| c.is_uppercase() || matches!(c, ' ' | '.' | '\'' | '’' | '-'))
        && !HEADLINE_KICKERS
            .lines()
            .any(|k| !k.starts_with('#') && k == label)
}

/// Capital labels that open headlines, not speakers' turns ("BREAKING", "UK").
const HEADLINE_KICKERS: &str = include_str!("../data/headline_kickers.txt");

/// A line that loses some sentences to a repeated block keeps (or moves) the rest. When that
/// rest is only furniture ("Advertisement" glued after a repeated sentence), or the headline
/// again, it goes too, so that cleaning the output again finds nothing more to do.
fn settle_partial_lines(
    article: &Article,
    options: &Options,
    headline: Option<&[usize]>,
    fates: &mut [Fate],
) {
    let mut rest = String::new();
    let mut furniture = Vec::new();
    for line in 0..article.lines.len() {
        let range = article.sentences_of(line);
        let shown = |f: &Fate| matches!(f, Fate::Keep | Fate::Move(_));
        let partial = fates[range.clone()]
            .iter()
            .any(|f| matches!(f, Fate::Repeat(_)))
            && fates[range.clone()].iter().any(shown);
        if !partial {
            continue;
        }
        let kept: Vec<usize> = range.filter(|&s| shown(&fates[s])).collect();
        rest.clear();
        for &s in &kept {
            if !rest.is_empty() {
                rest.push(' ');
            }
            rest.push_str(&article.text[article.sentences[s].start..article.sentences[s].end]);
        }
        options
            .boilerplate
            .classify(&[rest.as_str()], &mut furniture);
        if furniture.first().copied().unwrap_or(false) {
            for &s in &kept {
                fates[s] = Fate::Furniture;
            }
            continue;
        }
        let Some(headline) = headline else { continue };
        let head_line = headline
            .first()
            .map(|&h| article.sentences[h].line as usize);
        if head_line == Some(line) || kept.iter().any(|&s| fates[s] != Fate::Keep) {
            continue;
        }
        let hash = |s: usize| article.keys[s].map(|k| k.hash);
        let kept_keys = kept.iter().filter_map(|&s| hash(s));
        if kept_keys.clone().count() != headline.len() {
            continue;
        }
        // A headline sentence that went since the headline was found (cut short, it gave way
        // to a full copy further down) stands for the copy it gave way to: the rest of a line
        // is dropped as a repeat of that copy, unless it is that copy. The rest of the line
        // may repeat the headline as it was or that full copy (a teaser cut inside the
        // sentence has another key than the sentence).
        let mut copies: Vec<usize> = Vec::new();
        let matches_head = kept_keys.zip(headline).all(|(key, &h)| {
            let copy = follow_repeats(fates, h as u32, MAX_KEPT_STEPS) as usize;
            copies.push(copy);
            Some(key) == hash(h) || Some(key) == hash(copy)
        });
        if !matches_head
            || copies
                .iter()
                .any(|&c| !shown(&fates[c]) || article.sentences[c].line as usize == line)
        {
            continue;
        }
        let mut head = copies.iter();
        for &s in &kept {
            fates[s] = repeat_of(article, s, &mut head);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `clean` relies on to skip the second run: when a run reports its output settled,
    /// cleaning that output again changes nothing. Checked on every fixture input and the fuzz
    /// corpus, with and without near matching, and on furniture in the contexts that decide
    /// share words and headlines.
    #[test]
    fn a_settled_run_needs_no_second_one() {
        // (text, merge, min_block_chars)
        let mut cases: Vec<(String, bool, usize)> = Vec::new();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        for entry in std::fs::read_dir(root.join("fixtures")).expect("fixtures") {
            let path = entry.expect("fixture").path();
            if path.extension().is_some_and(|e| e == "txt") {
                let text = std::fs::read_to_string(&path).expect("fixture text");
                cases.push((text, true, Options::default().min_block_chars));
            }
        }
        // The fuzzers' inputs, some of which do need a second run: a flags byte (as the `clean`
        // target reads it: merge, and one of eight block lengths), then the article.
        for entry in std::fs::read_dir(root.join("tests/fuzz-corpus/clean")).expect("corpus") {
            let bytes = std::fs::read(entry.expect("corpus input").path()).expect("input");
            if let Some((&flags, rest)) = bytes.split_first() {
                let min = [150, 0, 1, 20, 60, 150, 300, usize::MAX][usize::from((flags >> 1) & 7)];
                cases.push((
                    String::from_utf8_lossy(rest).into_owned(),
                    flags & 1 == 0,
                    min,
                ));
            }
        }
        let body = "The council approved the budget after a long debate on Tuesday night.";
        let other = "Residents warned that taxes would rise sharply next year, officials said.";
        for (a, b) in [("Advertisement", "Share"), ("Share", "Advertisement")] {
            for text in [
                format!("{body}\n{a}\n\n{b}\n{other}\n"),
                format!("{a}\nStorm hits coast\n{b}\n{body}\nStorm hits coast\n"),
                format!("Facebook\n{a}\nTwitter\n{body}\n{b}\nEmail\n{other}"),
                format!("{body}\nShare\n{a}\n{other}\nTweet\n\n{b}\n"),
            ] {
                cases.push((text, true, Options::default().min_block_chars));
            }
        }
        let mut settled_runs = 0;
        for (text, merge, min_block_chars) in &cases {
            for similarity in [Options::default().similarity, None] {
                let options = Options {
                    merge: *merge,
                    min_block_chars: *min_block_chars,
                    similarity,
                    ..Options::default()
                };
                let (once, settled) = clean_once(text, &options);
                if !settled || !once.changed() {
                    continue;
                }
                settled_runs += 1;
                let (again, _) = clean_once(&once.text, &options);
                assert!(
                    !again.changed(),
                    "a second run ({similarity:?}) changes {:?}",
                    once.text
                );
            }
        }
        // Runs that changed something and were taken as final (4,739 today, of both kinds):
        // enough to mean something.
        assert!(
            settled_runs >= 1000,
            "only {settled_runs} settled runs that changed something"
        );
    }

    /// The cleaned `out` of an article `kept` followed by `copy` keeps all of `kept` and some of
    /// the copy: the piece of it under test stayed.
    fn assert_piece_stays(out: &str, kept: &str, copy: &str) {
        assert!(
            out.starts_with(kept) && out.len() > kept.len(),
            "{copy}: {out}"
        );
    }

    /// A cut tail takes its full sentence's key only in context: after a copy of the sentence
    /// before that one, in the same line, with words that start it.
    #[test]
    fn a_cut_tail_is_matched_only_after_a_copy() {
        let a = "Island councils on all four of the outer islands welcomed the order on Monday but asked the airline for a written guarantee that fares would not rise during the changeover.";
        let b = "The airline said it would publish a fares plan in the spring.";
        let head = "Airline orders aircraft\n";
        let run = |copy: &str| {
            let text = format!("{head}{a} {b}\nThe order is worth 90 million euros.\n{copy}\n");
            clean(&text, &Options::default()).text
        };
        let kept = format!("{head}{a} {b}\nThe order is worth 90 million euros.\n");
        assert_eq!(run(&format!("{a} The airline said...")), kept);
        // The cut copy captured twice: both tails go.
        let twice = format!("{a} The airline said...\n{a} The airline said...");
        assert_eq!(run(&twice), kept);
        // Other words, a tail with no copy before it, one word, or no cut: the tail stays.
        for copy in [
            format!("{a} The airport said..."),
            format!("{a}\nThe airline said..."),
            format!("{a} The..."),
            format!("{a} The airline said"),
        ] {
            assert_piece_stays(&run(&copy), &kept, &copy);
        }
    }

    /// The rest of a broken sentence takes the full sentence's key only in context: on the line
    /// right after a broken half that copies it, ending with the full sentence's words.
    #[test]
    fn the_rest_of_a_broken_sentence_is_matched_only_after_its_half() {
        let head = "Ferry timetable cut\n";
        let a = "The island ferry will run four times a day instead of six from November, the operator said on Monday.";
        let b = "The operator said it would review the timetable in March, when a second vessel returns from repairs in Glasgow.";
        let c = "Islanders said the cut would make it harder to reach hospital appointments.";
        let kept = format!("{head}{a}\n{b}\n{c}\n");
        let run = |copy: &str| clean(&format!("{kept}{copy}\n"), &Options::default()).text;
        let half = "The operator said it would review the timetable in March,";
        let rest = "when a second vessel returns from repairs in Glasgow.";
        assert_eq!(run(&format!("{a}\n{half}\n{rest}")), kept);
        // The copy captured twice, broken the same way: both rests go.
        let twice = format!("{a}\n{half}\n{rest}");
        assert_eq!(run(&format!("{twice}\n{twice}")), kept);
        // Other words, or a rest that is not the sentence's end. (With no broken half before
        // it, the rest is a near copy on its own: the half it lacks reads as a prefix.)
        for copy in [
            format!("{a}\n{half}\nwhen a second ferry returns from repairs in Glasgow."),
            format!("{a}\n{half}\nwhen a second vessel returns from repairs."),
        ] {
            assert_piece_stays(&run(&copy), &kept, &copy);
        }
    }

    /// A repeat whose kept copy went too (the lead captured twice, then the whole copy again:
    /// the copy's lead aligns with the second lead, which goes as a repeat of the first) names
    /// the copy that stays.
    #[test]
    fn a_repeat_names_the_copy_that_stays() {
        let text = include_str!("../fixtures/lead_captured_twice_then_whole_copy_goes.txt");
        let cleaned = clean(text, &Options::default());
        let repeats: Vec<&Removal> = cleaned
            .removals
            .iter()
            .filter(|r| r.reason == Reason::Repeat)
            .collect();
        assert_eq!(repeats.len(), 15);
        for r in &repeats {
            let kept = r.kept.expect("a repeat names its kept copy");
            assert!(
                !repeats
                    .iter()
                    .any(|o| o.span.start <= kept.start && kept.end <= o.span.end),
                "{r:?} names a removed copy"
            );
        }
        let copy_lead = repeats.iter().find(|r| r.span.line == 16);
        assert_eq!(copy_lead.and_then(|r| r.kept).map(|k| k.line), Some(1));
    }

    #[test]
    fn a_line_copying_two_separate_lines_names_each() {
        // Line 5 copies line 2 and then line 4; line 3, between them, is not a copy of it. One
        // removal with a span over lines 2-4 would name line 3 as a copy.
        let text = include_str!("../fixtures/line_copying_two_separate_lines_names_both.txt");
        let cleaned = clean(text, &Options::default());
        let named: Vec<(usize, Option<usize>)> = cleaned
            .removals
            .iter()
            .map(|r| (r.span.line, r.kept.map(|k| k.line)))
            .collect();
        assert_eq!(named, [(5, Some(2)), (5, Some(4)), (6, Some(3))]);
        let line4 = text.lines().nth(3).unwrap_or_default();
        let copy_of_4 = &cleaned.removals[1];
        assert_eq!(&text[copy_of_4.span.start..copy_of_4.span.end], line4);
    }

    #[test]
    fn a_copy_of_furniture_that_went_is_furniture() {
        // "Facebook" inside the second copy goes with it; the third copy's "Facebook" is a
        // repeat of a line that is not in the output, so it is reported as boilerplate too.
        let text = include_str!("../fixtures/share_word_in_every_copy_is_boilerplate_in_each.txt");
        let cleaned = clean(text, &Options::default());
        let share_words: Vec<(usize, Reason)> = cleaned
            .removals
            .iter()
            .filter(|r| &text[r.span.start..r.span.end] == "Facebook")
            .map(|r| (r.span.line, r.reason))
            .collect();
        assert_eq!(
            share_words,
            [(6, Reason::Boilerplate), (11, Reason::Boilerplate)]
        );
        for r in &cleaned.removals {
            if let Some(kept) = r.kept {
                assert!(
                    !cleaned
                        .removals
                        .iter()
                        .any(|o| o.span.start <= kept.start && kept.end <= o.span.end),
                    "{r:?} names a removed copy"
                );
            }
        }
    }

    #[test]
    fn a_copy_inside_a_second_run_removal_that_holds_a_first_run_one_is_found() {
        // The first run took "Bravo two. " out of line 1 and line 2 as a repeat of line 1's
        // "Charlie three."; the second run took the rest of line 1 as furniture. In the input,
        // that second removal encloses the first one and the kept copy after it.
        let input = "Head one.\nAlpha one. Bravo two. Charlie three.\nCharlie three.\n";
        let at = |s: &str, from: usize| input[from..].find(s).unwrap() + from;
        let (bravo, charlie) = (at("Bravo", 0), at("Charlie", 0));
        let line2 = at("Charlie", charlie + 1);
        let span = |start: usize, end: usize, line: usize| Span { start, end, line };
        let removal = |reason, span, kept| Removal {
            reason,
            span,
            kept,
            similarity: None,
        };
        let piece = |out, input, len| render::Piece { out, input, len };
        let first = Cleaned {
            text: "Head one.\nAlpha one. Charlie three.\n".to_string(),
            removals: vec![
                removal(Reason::Repeat, span(bravo, charlie, 2), Some(span(0, 9, 1))),
                removal(
                    Reason::Repeat,
                    span(line2, input.len(), 3),
                    Some(span(charlie, charlie + 14, 2)),
                ),
            ],
            moves: Vec::new(),
            bytes_in: input.len(),
            pieces: vec![piece(0, 0, bravo), piece(bravo, charlie, line2 - charlie)],
        };
        let second = Cleaned {
            text: "Head one.\n".to_string(),
            removals: vec![removal(Reason::Boilerplate, span(10, 36, 2), None)],
            moves: Vec::new(),
            bytes_in: 36,
            pieces: vec![piece(0, 0, 10)],
        };
        let composed = compose(input, first, second);
        let got: Vec<(usize, usize, Reason, Option<Span>)> = composed
            .removals
            .iter()
            .map(|r| (r.span.start, r.span.end, r.reason, r.kept))
            .collect();
        assert_eq!(
            got,
            [
                (10, line2, Reason::Boilerplate, None),
                (bravo, charlie, Reason::Repeat, Some(span(0, 9, 1))),
                (line2, input.len(), Reason::Boilerplate, None),
            ]
        );
    }

    #[test]
    fn datelines_are_a_few_words_before_a_dash() {
        assert_eq!(
            after_dateline("london (reuters) - britain's economy grew"),
            Some("britain's economy grew")
        );
        assert_eq!(
            after_dateline("kyiv, ukraine - the strikes"),
            Some("the strikes")
        );
        assert_eq!(after_dateline("- a list item"), None);
        assert_eq!(
            after_dateline("the minister said on tuesday that the talks would resume - soon"),
            None
        );
    }

    #[test]
    fn speaker_turns_are_capital_labels_before_a_colon() {
        for turn in [
            "THE PRESIDENT: Thank you.",
            "Q: And on Ukraine?",
            "MS. O’NEIL: No.",
        ] {
            assert!(is_speaker_turn(turn), "{turn}");
        }
        assert!(is_speaker_turn(
            "ПРЕЗИДЕНТ: Спасибо всем большое, дорогие друзья."
        ));
        for line in [
            "Storm hits coast: thousands flee",
            "Note: the figures are provisional.",
            "Storm hits coast.",
            "2024: a year in review",
            "BREAKING: Storm hits coast",
            "UK: Storm hits coast",
        ] {
            assert!(!is_speaker_turn(line), "{line}");
        }
    }
}
