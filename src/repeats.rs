//! Repeated blocks: aligning the sentence sequence of an article with itself.
//!
//! The input is the sequence of sentence keys of the article's text (boilerplate lines and
//! punctuation-only sentences are left out, so they never break a run). A *run* is a stretch of
//! consecutive sentences each of which equals the sentence at the same distance from an earlier
//! *source* position: a copy of an earlier stretch, in the same order. Runs are found greedily in
//! one pass: a repeat continues the current run when the next source sentence matches; otherwise
//! a new run starts at the earlier occurrence whose following sentences match longest (ties go to
//! the earliest occurrence, so the kept copy is the first one).
//!
//! Runs are then chained into *blocks*: the next run joins the block when it follows it directly
//! in the later copy (the later copy lacks some sentences) or when its source follows directly on
//! the previous run's source (the later copy holds sentences the first lacks: an *insertion*,
//! which the merge moves into the first copy). Everything here is linear in the number of
//! sentences: each run start looks at a bounded number of earlier occurrences, each over a bounded
//! stretch.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;

/// How many earlier occurrences of a sentence a new run considers as its source.
const MAX_CANDIDATES: usize = 32;
/// How far ahead candidate sources are compared.
const MAX_LOOKAHEAD: usize = 64;
/// The most sentences an insertion may hold to be merged into the first copy; a longer
/// stretch between two repeated parts is content of its own, not a paragraph the first copy
/// lost.
pub const MAX_INSERTION: usize = 16;

/// The normalized length each side of a skip needs to be chained over it (a short news
/// paragraph; templated live-text lines run 20-90).
const SKIP_SIDE_MIN_CHARS: u64 = 100;
/// A block this long (the default `--min-block-chars`; with a higher one the chained block may
/// go where its two pieces would have stayed) goes on its own: a run that follows it in
/// the later copy, over at most [`SHORT_SKIP`] source sentences (a related-story headline, an ad
/// label or a caption the first copy holds between two paragraphs), continues it when the run
/// has [`SHORT_SKIP_RUN_MIN_CHARS`]; templated lines chained so would only add a line to a block
/// that already goes.
const LONG_BLOCK_CHARS: u64 = 150;
const SHORT_SKIP: u32 = 2;
const SHORT_SKIP_RUN_MIN_CHARS: u64 = 40;

const NONE: u32 = u32::MAX;

/// A copy: `len` sentences at `tgt..` equal the ones at `src..` (indices into the key sequence).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Run {
    pub tgt: u32,
    pub src: u32,
    pub len: u32,
}

impl Run {
    fn tgt_end(&self) -> u32 {
        self.tgt + self.len
    }
    fn src_end(&self) -> u32 {
        self.src + self.len
    }
}

/// Sentences the later copy holds between two runs and the first copy lacks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Insertion {
    /// The inserted sentences (indices into the key sequence).
    pub units: Range<u32>,
    /// The source sentence they follow in the first copy.
    pub after: u32,
}

/// A chain of runs that forms one repeated block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    /// Its runs: `runs[block.runs]` of the list [`chain_blocks`] was given (no list of its own:
    /// a big article has hundreds of thousands of blocks, most too short to matter).
    pub runs: Range<usize>,
    pub insertions: Vec<Insertion>,
    /// Total normalized length of the source text it repeats, each source sentence counted
    /// once (see [`fresh_chars`]).
    pub chars: u64,
    /// Total normalized length of its sentences, each copy counted.
    pub copied: u64,
}

/// How many times `--min-block-chars` the copies of a block must add up to when the text they
/// repeat is shorter than that: a line sung twice more stays, the same sentence pasted a
/// hundred times does not.
pub const FLOOD_FACTOR: u64 = 4;

impl Block {
    /// Whether the block is long enough to go: the text it repeats is at least `min_chars`
    /// long, or its copies add up to [`FLOOD_FACTOR`] times that.
    pub fn is_long_enough(&self, min_chars: u64) -> bool {
        self.chars >= min_chars || self.copied >= min_chars.saturating_mul(FLOOD_FACTOR)
    }
}

/// A hasher for keys that are already 64-bit hashes.
#[derive(Default)]
pub(crate) struct IdentityHasher(u64);

impl Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// A map keyed by values that are already 64-bit hashes: no second hashing.
pub(crate) type KeyMap<V> = HashMap<u64, V, BuildHasherDefault<IdentityHasher>>;

/// Every position grouped by key: the positions of each key in increasing order, one key's
/// after another's, and for each position its place in that list. The earlier occurrences of
/// the key at `i` are then `occ[first..slot]` (with `(slot, first) = at[i]`): side by side in
/// memory, so a run start reads its candidates without following a chain of links.
struct Occurrences {
    /// Each position, with the key that follows it (0 after the last): a run start compares a
    /// candidate's following keys only when the first of them matches, so most candidates are
    /// rejected here without reading the key sequence far away.
    occ: Vec<(u32, u32)>,
    /// By position: its index in `occ`, and the index of its key's first occurrence.
    at: Vec<(u32, u32)>,
}

/// Groups the positions by key with a counting sort: keys are small numbers, so a table
/// indexed by key does what a hash map would, without hashing or probing.
fn occurrences(keys: &[u32]) -> Occurrences {
    let table = keys.iter().max().map_or(0, |&k| k as usize + 1);
    // By key: how many times it occurs, then where its group starts in `occ`.
    let mut starts = vec![0u32; table];
    // By position: its rank among its key's occurrences, for now.
    let mut at: Vec<(u32, u32)> = Vec::with_capacity(keys.len());
    for &k in keys {
        let count = &mut starts[k as usize];
        at.push((*count, 0));
        *count += 1;
    }
    let mut total = 0u32;
    for start in &mut starts {
        let size = *start;
        *start = total;
        total += size;
    }
    let mut occ = vec![(0u32, 0u32); keys.len()];
    for (i, (pair, &k)) in at.iter_mut().zip(keys).enumerate() {
        let first = starts[k as usize];
        let slot = first + pair.0;
        let next = keys.get(i + 1).copied().unwrap_or(0);
        occ[slot as usize] = (i as u32, next);
        *pair = (slot, first);
    }
    Occurrences { occ, at }
}

/// Finds the runs of `keys`, in order of their target position. Keys are small numbers (equal
/// sentences, equal keys): the work takes a table as long as the largest.
pub fn find_runs(keys: &[u32]) -> Vec<Run> {
    let Occurrences { occ, at } = occurrences(keys);
    let n = keys.len();
    let mut runs: Vec<Run> = Vec::new();
    for i in 0..n {
        let (slot, first) = (at[i].0 as usize, at[i].1 as usize);
        if slot == first {
            // The key's first occurrence.
            continue;
        }
        if grow_last_run(&mut runs, keys, i) {
            continue;
        }
        let mut best = NONE;
        let mut best_len = 0;
        let reach = MAX_LOOKAHEAD.min(n - i);
        let next = keys.get(i + 1).copied().unwrap_or(0);
        // The latest earlier occurrences first.
        for &(candidate, after) in occ[slot.saturating_sub(MAX_CANDIDATES).max(first)..slot]
            .iter()
            .rev()
        {
            let c = candidate as usize;
            // keys[c] == keys[i]: the comparison starts one further.
            let len = if reach > 1 && after == next {
                1 + (1..reach)
                    .take_while(|&t| keys[c + t] == keys[i + t])
                    .count()
            } else {
                1
            };
            // Candidates come latest first: `>=` lets an earlier one win a tie.
            if len >= best_len {
                best = candidate;
                best_len = len;
            }
        }
        runs.push(Run {
            tgt: i as u32,
            src: best,
            len: 1,
        });
    }
    runs
}

/// Grows the last run by position `i` when `i` follows it and repeats its source's next key.
fn grow_last_run(runs: &mut [Run], keys: &[u32], i: usize) -> bool {
    match runs.last_mut() {
        Some(run) if run.tgt_end() as usize == i && keys[run.src_end() as usize] == keys[i] => {
            run.len += 1;
            true
        }
        _ => false,
    }
}

/// Chains runs into blocks. `chars[i]` is the normalized length of sentence `i`, and
/// `line_of[i]` the line it stands in.
///
/// Two runs side by side in the later text are one block when the second copies text at most
/// [`MAX_INSERTION`] sentences after the first's end (a copy that skipped a paragraph, split one
/// differently or repeated a sentence). A run that copies text from before the first's start, or
/// from far after it, starts a block of its own: a refrain followed by the speech's opening
/// "Thank you." is two short repeats, not one copy long enough to drop. Except a rotated copy:
/// a run that copies the text right before what the block has copied, ending where it starts
/// (a copy that put the article's last paragraphs first), continues the block when both sides
/// hold [`SKIP_SIDE_MIN_CHARS`].
pub fn chain_blocks(runs: &[Run], chars: &[u32], line_of: &[u32]) -> Vec<Block> {
    let mut blocks: Vec<Block> = Vec::new();
    // The source text the current block has copied so far.
    let mut covered = 0..0;
    let units = Units { chars, line_of };
    for (i, &run) in runs.iter().enumerate() {
        let run_chars = fresh_chars(run, &(0..0), &[], units);
        let run_copied: u64 = chars[run.tgt as usize..run.tgt_end() as usize]
            .iter()
            .map(|&c| u64::from(c))
            .sum();
        if let Some(block) = blocks.last_mut() {
            let last = runs[block.runs.end - 1];
            let gap = run.tgt - last.tgt_end();
            // Forward, over at most a short skipped stretch (or back onto the same sentences).
            // Over a skip, each side must be a paragraph's worth of text: two short repeats
            // side by side that skip some source sentences are templated lines ("Foul by …",
            // "Corner, Arsenal.") more often than a copy that lost a paragraph.
            let skips = run.src > last.src_end();
            let short_skip = skips
                && block.chars >= LONG_BLOCK_CHARS
                && run_chars >= SHORT_SKIP_RUN_MIN_CHARS
                && run.src - last.src_end() <= SHORT_SKIP;
            let adjacent = gap == 0
                && run.src >= last.src
                && run.src as usize <= last.src_end() as usize + MAX_INSERTION
                && (!skips || block.chars.min(run_chars) >= SKIP_SIDE_MIN_CHARS || short_skip);
            let insertion = run.src == last.src_end() && gap as usize <= MAX_INSERTION;
            let rotated = gap == 0
                && run.src_end() == covered.start
                && block.chars.min(run_chars) >= SKIP_SIDE_MIN_CHARS;
            if adjacent || insertion || rotated {
                if gap > 0 {
                    block.insertions.push(Insertion {
                        units: last.tgt_end()..run.tgt,
                        after: last.src_end() - 1,
                    });
                }
                block.chars += fresh_chars(run, &covered, &runs[block.runs.clone()], units);
                block.runs.end = i + 1;
                block.copied += run_copied;
                covered = covered.start.min(run.src)..covered.end.max(run.src_end());
                continue;
            }
        }
        covered = run.src..run.src_end();
        blocks.push(Block {
            runs: i..i + 1,
            insertions: Vec::new(),
            chars: run_chars,
            copied: run_copied,
        });
    }
    blocks
}

/// What [`chain_blocks`] knows of each sentence of the sequence.
#[derive(Clone, Copy)]
struct Units<'a> {
    chars: &'a [u32],
    line_of: &'a [u32],
}

/// How many of a block's last runs [`fresh_chars`] looks through for the earlier copy of a
/// sentence copied again.
const RECOPY_LOOKBACK: usize = 8;

/// The normalized length of the text `run` adds to a block that has copied the source text
/// `covered` in its runs `earlier`. A source sentence the block copies again counts once
/// unless the copy it repeats stands in the same line: a line sung again twice ("the crowd sang
/// the final line twice more") is 82 characters repeated, not 164, and stays under
/// `--min-block-chars`, however many sentences the line holds; so does a run that overlaps its
/// own source ("L L L" on three lines copies "L"), whose text repeats every `tgt - src`
/// sentences. A sentence doubled inside a paragraph ("S. S.") counts each time: a scraper's
/// stutter, not a refrain.
fn fresh_chars(run: Run, covered: &Range<u32>, earlier: &[Run], units: Units) -> u64 {
    let period = run.tgt.saturating_sub(run.src);
    let line = |i: u32| units.line_of[i as usize];
    (0..run.len)
        .filter(|&t| {
            let (source, copy) = (run.src + t, run.tgt + t);
            if t >= period {
                // The source is itself a copy in this run.
                return line(source) == line(copy);
            }
            if !covered.contains(&source) {
                return true;
            }
            earlier
                .iter()
                .rev()
                .take(RECOPY_LOOKBACK)
                .find(|r| (r.src..r.src_end()).contains(&source))
                .is_some_and(|r| line(r.tgt + (source - r.src)) == line(copy))
        })
        .map(|t| u64::from(units.chars[(run.tgt + t) as usize]))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every sentence on a line of its own.
    const LINES: [u32; 64] = {
        let mut lines = [0; 64];
        let mut i = 0;
        while i < 64 {
            lines[i] = i as u32;
            i += 1;
        }
        lines
    };

    fn keys(s: &str) -> Vec<u32> {
        s.bytes().map(u32::from).collect()
    }

    #[test]
    fn simple_copy_is_one_run() {
        let runs = find_runs(&keys("abcdabcd"));
        assert_eq!(
            runs,
            [Run {
                tgt: 4,
                src: 0,
                len: 4
            }]
        );
    }

    #[test]
    fn picks_the_occurrence_that_continues() {
        // 'a' occurs at 0 and 3; the copy at 6 continues like the one at 3 ("axy").
        let runs = find_runs(&keys("abcaxyaxy"));
        assert_eq!(
            runs[0],
            Run {
                tgt: 3,
                src: 0,
                len: 1
            }
        );
        assert_eq!(
            runs[1],
            Run {
                tgt: 6,
                src: 3,
                len: 3
            }
        );
    }

    #[test]
    fn ties_go_to_the_first_copy() {
        let runs = find_runs(&keys("abcabcabc"));
        assert_eq!(
            runs,
            [Run {
                tgt: 3,
                src: 0,
                len: 6
            }]
        );
    }

    #[test]
    fn insertion_between_runs_is_chained() {
        // First copy "abcd", later copy "ab X cd".
        let runs = find_runs(&keys("abcdabXcd"));
        assert_eq!(runs.len(), 2);
        let blocks = chain_blocks(&runs, &[10; 9], &LINES);
        assert_eq!(blocks.len(), 1);
        assert_eq!(
            blocks[0].insertions,
            [Insertion {
                units: 6..7,
                after: 1
            }]
        );
        assert_eq!(blocks[0].chars, 40);
    }

    #[test]
    fn a_short_run_continues_a_long_block_over_a_line_only_the_first_copy_has() {
        // "H A B x C" then "H A B C": the first copy has a related-story line x.
        let runs = find_runs(&keys("HABxCHABC"));
        assert_eq!(runs.len(), 2, "{runs:?}");
        let chars = [11, 95, 83, 40, 90, 11, 95, 83, 90];
        assert_eq!(chain_blocks(&runs, &chars, &LINES).len(), 1, "{runs:?}");
        // Not when the block before is short, the run tiny, or the skip longer.
        let short = [11, 40, 40, 40, 90, 11, 40, 40, 90];
        assert_eq!(chain_blocks(&runs, &short, &LINES).len(), 2);
        let tiny = [11, 95, 83, 40, 20, 11, 95, 83, 20];
        assert_eq!(chain_blocks(&runs, &tiny, &LINES).len(), 2);
        let runs = find_runs(&keys("HABxyzCHABC"));
        let chars = [11, 95, 83, 40, 40, 40, 90, 11, 95, 83, 90];
        assert_eq!(chain_blocks(&runs, &chars, &LINES).len(), 2, "{runs:?}");
    }

    #[test]
    fn a_run_that_copies_earlier_text_starts_a_new_block() {
        // "T R1 R2 x R1 R2 T": the refrain copies 1..3, then "T" copies 0, before it.
        let runs = find_runs(&keys("TRSxRST"));
        assert_eq!(runs.len(), 2, "{runs:?}");
        assert_eq!(chain_blocks(&runs, &[10; 7], &LINES).len(), 2);
        // A sentence repeated inside the copy still chains: "AB x AAB".
        let runs = find_runs(&keys("ABxAAB"));
        assert_eq!(chain_blocks(&runs, &[10; 6], &LINES).len(), 1, "{runs:?}");
        // So does a copy that skipped a short stretch; not one that jumps far ahead.
        let runs = find_runs(&keys("ABabcdefghijklmnopDExABDE"));
        assert_eq!(runs.len(), 2, "{runs:?}");
        assert_eq!(chain_blocks(&runs, &[60; 40], &LINES).len(), 1, "{runs:?}");
        let runs = find_runs(&keys("ABabcdefghijklmnopqDExABDE"));
        assert_eq!(chain_blocks(&runs, &[60; 40], &LINES).len(), 2, "{runs:?}");
    }

    #[test]
    fn a_rotated_copy_is_one_block() {
        // "ABCDE x DEABC": the copy put the last two paragraphs first.
        let runs = find_runs(&keys("ABCDExDEABC"));
        assert_eq!(runs.len(), 2, "{runs:?}");
        let blocks = chain_blocks(&runs, &[60; 11], &LINES);
        assert_eq!(blocks.len(), 1, "{runs:?}");
        assert_eq!(blocks[0].chars, 300);
        // Not when a side is short ("Thank you." after a refrain), nor when the run does not
        // end where the block starts.
        assert_eq!(chain_blocks(&runs, &[40; 11], &LINES).len(), 2);
        let runs = find_runs(&keys("ABCDEFxEFAB"));
        assert_eq!(chain_blocks(&runs, &[60; 11], &LINES).len(), 2, "{runs:?}");
    }

    #[test]
    fn short_runs_do_not_chain_over_a_skip() {
        // Live text: "AB" and "DE" repeat side by side, the first copy has "c" between them.
        let runs = find_runs(&keys("ABcDExABDE"));
        assert_eq!(runs.len(), 2, "{runs:?}");
        // Templated lines (40 characters a sentence, 80 a side): two short repeats.
        assert_eq!(chain_blocks(&runs, &[40; 10], &LINES).len(), 2);
        // Paragraphs (60 a sentence, 120 a side): one copy that lost a sentence.
        assert_eq!(chain_blocks(&runs, &[60; 10], &LINES).len(), 1);
        // Without a skip, short runs still chain (a sentence repeated inside the copy).
        let runs = find_runs(&keys("ABxAAB"));
        assert_eq!(chain_blocks(&runs, &[10; 6], &LINES).len(), 1, "{runs:?}");
    }

    #[test]
    fn a_block_counts_each_source_sentence_once() {
        // A line sung once, then twice more side by side: 82 characters repeated, not 164.
        let runs = find_runs(&keys("ALbLLc"));
        let chars = [90, 82, 60, 82, 82, 60];
        let blocks = chain_blocks(&runs, &chars, &LINES);
        assert_eq!(blocks.len(), 1, "{runs:?}");
        assert_eq!(blocks[0].chars, 82);
        // A couplet twice more: "AB" counts once.
        let runs = find_runs(&keys("ABcABAB"));
        let blocks = chain_blocks(&runs, &[44; 7], &LINES);
        assert_eq!(blocks.iter().map(|b| b.chars).max(), Some(88), "{runs:?}");
        // A run over its own source: "LLL" repeats "L" only.
        let runs = find_runs(&keys("xLLL"));
        assert_eq!(runs.len(), 1, "{runs:?}");
        assert_eq!(chain_blocks(&runs, &[10, 82, 82, 82], &LINES)[0].chars, 82);
        // A copy that repeats a sentence inside it counts the rest: "ABC x ABBC".
        let runs = find_runs(&keys("ABCxABBC"));
        let blocks = chain_blocks(&runs, &[50; 8], &LINES);
        assert_eq!(blocks.len(), 1, "{runs:?}");
        assert_eq!(blocks[0].chars, 150);
        // A whole copy, twice more: still its full length.
        let runs = find_runs(&keys("ABCABCABC"));
        assert_eq!(chain_blocks(&runs, &[50; 9], &LINES)[0].chars, 150);
        // A sentence doubled inside a paragraph counts twice: "S" then a line "S S".
        let runs = find_runs(&keys("ASxSS"));
        let mut lines = LINES;
        lines[4] = 3;
        let blocks = chain_blocks(&runs, &[50, 126, 30, 126, 126], &lines);
        assert_eq!(blocks.iter().map(|b| b.chars).max(), Some(252), "{runs:?}");
        // A line of two sentences, sung once more on two lines of its own: counted once.
        let runs = find_runs(&keys("XYaXYXY"));
        let lines = [0, 0, 1, 2, 2, 3, 3];
        let blocks = chain_blocks(&runs, &[60, 63, 90, 60, 63, 60, 63], &lines);
        assert_eq!(blocks.iter().map(|b| b.chars).max(), Some(123), "{runs:?}");
        // The same two sentences doubled inside one paragraph: counted twice.
        let lines = [0, 0, 1, 2, 2, 2, 2];
        let blocks = chain_blocks(&runs, &[60, 63, 90, 60, 63, 60, 63], &lines);
        assert_eq!(blocks.iter().map(|b| b.chars).max(), Some(246), "{runs:?}");
        // A short line pasted over and over goes once the copies add up.
        let runs = find_runs(&keys("xLLLLLLLL"));
        let blocks = chain_blocks(&runs, &[50; 9], &LINES);
        assert_eq!((blocks[0].chars, blocks[0].copied), (50, 350));
        assert!(!blocks[0].is_long_enough(150) && blocks[0].is_long_enough(80));
        assert!(
            !chain_blocks(&find_runs(&keys("xLLL")), &[10, 82, 82, 82], &LINES)[0]
                .is_long_enough(150)
        );
    }

    #[test]
    fn substitution_breaks_the_chain() {
        // An interview: the same question "Q" before different answers.
        let runs = find_runs(&keys("QaQbQc"));
        let blocks = chain_blocks(&runs, &[10; 6], &LINES);
        assert_eq!(blocks.len(), 2);
        assert!(blocks.iter().all(|b| b.insertions.is_empty()));
    }

    /// The first version of [`find_runs`], which followed a chain of links back through the
    /// earlier occurrences: the reference the grouped occurrences must agree with.
    fn find_runs_by_links(keys: &[u32]) -> Vec<Run> {
        let mut last: KeyMap<u32> = KeyMap::default();
        let prev: Vec<u32> = keys
            .iter()
            .enumerate()
            .map(|(i, &k)| last.insert(u64::from(k), i as u32).unwrap_or(NONE))
            .collect();
        let n = keys.len();
        let mut runs: Vec<Run> = Vec::new();
        for i in 0..n {
            if prev[i] == NONE {
                continue;
            }
            if grow_last_run(&mut runs, keys, i) {
                continue;
            }
            let (mut best, mut best_len) = (NONE, 0);
            let mut candidate = prev[i];
            for _ in 0..MAX_CANDIDATES {
                if candidate == NONE {
                    break;
                }
                let c = candidate as usize;
                let len = (0..MAX_LOOKAHEAD.min(n - i))
                    .take_while(|&t| keys[c + t] == keys[i + t])
                    .count();
                if len >= best_len {
                    best = candidate;
                    best_len = len;
                }
                candidate = prev[c];
            }
            runs.push(Run {
                tgt: i as u32,
                src: best,
                len: 1,
            });
        }
        runs
    }

    #[test]
    fn grouped_occurrences_find_the_runs_links_do() {
        // Small alphabets make long chains of earlier occurrences (more than MAX_CANDIDATES),
        // copies with changes, and ties; lengths around MAX_LOOKAHEAD.
        let mut rng = crate::test_rng::XorShift(0x0cc0_4e5c_e5ab_0001);
        for round in 0..3_000 {
            let alphabet = 1 + rng.below(if round % 3 == 0 { 3 } else { 40 }) as u32;
            let len = rng.below(300);
            let mut keys: Vec<u32> = (0..len)
                .map(|_| (rng.next() % u64::from(alphabet)) as u32)
                .collect();
            // Paste copies of earlier stretches, some with one key changed.
            for _ in 0..rng.below(4) {
                if keys.len() < 2 {
                    break;
                }
                let from = rng.below(keys.len() - 1);
                let to = from + 1 + rng.below((keys.len() - from).min(90));
                let mut copy = keys[from..to].to_vec();
                if rng.chance(50) && !copy.is_empty() {
                    let at = rng.below(copy.len());
                    copy[at] = (rng.next() % u64::from(alphabet + 1)) as u32;
                }
                keys.extend(copy);
            }
            assert_eq!(find_runs(&keys), find_runs_by_links(&keys), "{keys:?}");
        }
    }

    #[test]
    fn the_lookahead_is_bounded() {
        // P, 1, P, 2, P, 2, 3 with P of p distinct keys: the third P's candidates match p + 1
        // keys (the second copy) and p keys (the first). Within the lookahead (p = 63) the
        // longer match wins; past it (p = 64) both count 64 and the tie goes to the first copy.
        for (p, src) in [(63u32, 64u32), (64, 0)] {
            let prefix: Vec<u32> = (1000..1000 + p).collect();
            let mut keys = prefix.clone();
            keys.push(1);
            keys.extend(&prefix);
            keys.push(2);
            keys.extend(&prefix);
            keys.extend([2, 3]);
            let runs = find_runs(&keys);
            assert_eq!(runs[1].tgt, 2 * p + 2);
            assert_eq!(runs[1].src, src, "p = {p}");
            assert_eq!(find_runs_by_links(&keys), runs);
        }
    }

    #[test]
    fn many_equal_keys_stay_linear() {
        let keys = vec![7u32; 200_000];
        let runs = find_runs(&keys);
        assert_eq!(
            runs,
            [Run {
                tgt: 1,
                src: 0,
                len: 199_999
            }]
        );
    }
}
