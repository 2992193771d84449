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

pub mod boilerplate;
pub mod input;
pub mod normalize;
pub mod render;
pub mod repeats;
pub mod report;
pub mod segment;

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
}

impl Options {
    /// Default settings with the given furniture matcher.
    pub fn with_boilerplate(boilerplate: Boilerplate) -> Self {
        Options {
            merge: true,
            min_block_chars: DEFAULT_MIN_BLOCK_CHARS,
            boilerplate,
        }
    }
}

impl Default for Options {
    /// Default settings with the built-in boilerplate list.
    fn default() -> Self {
        // The built-in lists are tested to compile (boilerplate tests), so this cannot fail.
        let boilerplate = Boilerplate::new(true, &[])
            .unwrap_or_else(|e| unreachable!("built-in boilerplate list does not compile: {e}"));
        Options::with_boilerplate(boilerplate)
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

/// A span of the input that is not in the output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Removal {
    pub reason: Reason,
    pub span: Span,
    /// For repeats: the copy that was kept (absent for punctuation left over inside a block).
    pub kept: Option<Span>,
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
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cleaned {
    /// The cleaned article.
    pub text: String,
    pub removals: Vec<Removal>,
    pub moves: Vec<Move>,
    pub bytes_in: usize,
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
    /// Dropped as a repeat of the given sentence (or [`NO_SENTENCE`] for leftovers).
    Repeat(u32),
    /// Moved after the given sentence.
    Move(u32),
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
}

impl<'a> Article<'a> {
    fn parse(text: &'a str, options: &Options) -> Self {
        let mut lines = segment::split_lines(text);
        let contents: Vec<&str> = lines.iter().map(|l| &text[l.start..l.end]).collect();
        let mut furniture = Vec::new();
        options.boilerplate.classify(&contents, &mut furniture);
        let mut sentences = Vec::with_capacity(lines.len() * 2);
        let mut line_sentences = Vec::with_capacity(lines.len() + 1);
        for (i, line) in lines.iter_mut().enumerate() {
            line_sentences.push(sentences.len() as u32);
            if line.kind != LineKind::Text {
                continue;
            }
            if furniture.get(i).copied().unwrap_or(false) {
                line.kind = LineKind::Boilerplate;
                continue;
            }
            let base = line.start;
            segment::split_sentences(contents[i], |start, end| {
                sentences.push(Sentence {
                    start: base + start,
                    end: base + end,
                    line: i as u32,
                })
            });
        }
        line_sentences.push(sentences.len() as u32);
        let mut normalizer = Normalizer::new();
        let keys = sentences
            .iter()
            .map(|s| normalizer.key(&text[s.start..s.end]))
            .collect();
        Article {
            text,
            lines,
            line_sentences,
            sentences,
            keys,
        }
    }

    pub fn sentences_of(&self, line: usize) -> std::ops::Range<usize> {
        self.line_sentences[line] as usize..self.line_sentences[line + 1] as usize
    }
}

/// Cleans one article: drops repeated blocks and furniture, merges paragraphs only a later copy
/// held, and returns the text with a record of every removal and move.
pub fn clean(text: &str, options: &Options) -> Cleaned {
    let article = Article::parse(text, options);
    let fates = decide(&article, options);
    render::render(&article, &fates)
}

/// Decides the fate of every sentence.
fn decide(article: &Article, options: &Options) -> Vec<Fate> {
    let mut fates = vec![Fate::Keep; article.sentences.len()];
    // The alignment works on sentences that have a key.
    let mut seq = Vec::with_capacity(article.sentences.len());
    let mut seq_keys = Vec::with_capacity(article.sentences.len());
    let mut seq_chars = Vec::with_capacity(article.sentences.len());
    for (i, key) in article.keys.iter().enumerate() {
        if let Some(key) = key {
            seq.push(i as u32);
            seq_keys.push(key.hash);
            seq_chars.push(key.chars);
        }
    }
    let runs = repeats::find_runs(&seq_keys);
    let blocks = repeats::chain_blocks(&runs, &seq_chars);
    let resolve = |fates: &[Fate], s: u32| match fates[s as usize] {
        Fate::Repeat(kept) if kept != NO_SENTENCE => kept,
        _ => s,
    };
    for block in &blocks {
        if block.chars < options.min_block_chars as u64 {
            continue;
        }
        for run in &block.runs {
            for t in 0..run.len {
                let src = seq[(run.src + t) as usize];
                let tgt = seq[(run.tgt + t) as usize];
                fates[tgt as usize] = Fate::Repeat(resolve(&fates, src));
            }
        }
        // Punctuation-only sentences inside the block belong to it.
        let span = block.span();
        let first = seq[span.start as usize] as usize;
        let last = seq[span.end as usize - 1] as usize;
        for (fate, key) in fates[first..=last]
            .iter_mut()
            .zip(&article.keys[first..=last])
        {
            if key.is_none() {
                *fate = Fate::Repeat(NO_SENTENCE);
            }
        }
        if options.merge {
            for insertion in &block.insertions {
                let anchor = resolve(&fates, seq[insertion.after as usize]);
                for u in insertion.units.clone() {
                    fates[seq[u as usize] as usize] = Fate::Move(anchor);
                }
            }
        }
    }
    drop_repeated_headline(article, &mut fates);
    fates
}

/// A later line that repeats the article's first line in full (the headline captured again)
/// is a repeat however short it is.
fn drop_repeated_headline(article: &Article, fates: &mut [Fate]) {
    let keyed = |line: usize| {
        article
            .sentences_of(line)
            .filter(|&s| article.keys[s].is_some())
    };
    let Some(head) = (0..article.lines.len())
        .find(|&l| article.lines[l].kind == LineKind::Text && keyed(l).next().is_some())
    else {
        return;
    };
    let head_sentences: Vec<usize> = keyed(head).collect();
    for line in head + 1..article.lines.len() {
        if article.lines[line].kind != LineKind::Text {
            continue;
        }
        let same = keyed(line).count() == head_sentences.len()
            && keyed(line)
                .zip(&head_sentences)
                .all(|(s, &h)| article.keys[s].map(|k| k.hash) == article.keys[h].map(|k| k.hash));
        if !same {
            continue;
        }
        let mut head_iter = head_sentences.iter();
        for s in article.sentences_of(line) {
            fates[s] = if article.keys[s].is_some() {
                let h = head_iter.next().copied().unwrap_or(head_sentences[0]);
                Fate::Repeat(h as u32)
            } else {
                Fate::Repeat(NO_SENTENCE)
            };
        }
    }
}
