//! Rendering: the input with dropped spans removed and merged paragraphs moved.
//!
//! Kept text is copied byte for byte. A line keeps its own terminator (LF or CRLF); the output
//! ends with a line terminator exactly when the input did (an unterminated last line moved
//! before others takes the terminator of the line that then ends the output, which drops
//! it, so mixed LF and CRLF stay as many as they were). A line whose sentences are all
//! dropped disappears with its terminator; a line that keeps some of its sentences keeps its
//! indentation and the original spacing between the sentences it keeps. Blank lines are layout:
//! they are kept, except that a removal never leaves two runs of blank lines side by side, nor
//! blank lines at the very start or end where text was removed.

use crate::segment::LineKind;
use crate::{Article, Cleaned, Fate, Move, NO_SENTENCE, Reason, Removal, Span};

/// A stretch of the output copied from the input: `len` bytes at `out` came from `input`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Piece {
    pub out: usize,
    pub input: usize,
    pub len: usize,
}

/// The output being built, and where each of its bytes came from.
struct Output<'a> {
    input: &'a str,
    text: String,
    pieces: Vec<Piece>,
}

impl<'a> Output<'a> {
    /// Appends `s`, a slice of the input.
    fn push(&mut self, s: &'a str) {
        if s.is_empty() {
            return;
        }
        let base = self.input.as_ptr() as usize;
        let at = (s.as_ptr() as usize).wrapping_sub(base);
        if at <= self.input.len() && at + s.len() <= self.input.len() {
            let out = self.text.len();
            match self.pieces.last_mut() {
                Some(last) if last.input + last.len == at && last.out + last.len == out => {
                    last.len += s.len()
                }
                _ => self.pieces.push(Piece {
                    out,
                    input: at,
                    len: s.len(),
                }),
            }
        }
        self.text.push_str(s);
    }

    fn truncate(&mut self, len: usize) {
        self.text.truncate(len);
        while let Some(last) = self.pieces.last_mut() {
            if last.out >= len {
                self.pieces.pop();
            } else {
                last.len = last.len.min(len - last.out);
                break;
            }
        }
    }
}

/// What happens to one line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LineFate {
    /// Stays in place; `whole` when every sentence stays.
    Stay { whole: bool },
    /// Removed entirely.
    Gone,
    /// Moved after the given line; `whole` when every sentence moves.
    Moved { after: u32, whole: bool },
}

/// One line of the output.
#[derive(Clone, Copy, Debug)]
struct Emitted {
    line: u32,
    blank: bool,
}

/// What happens to each line. A sentence that would move out of a line that otherwise stays,
/// stays with it (its fate is set back to [`Fate::Keep`]).
fn line_fates(article: &Article, fates: &mut [Fate]) -> Vec<LineFate> {
    let mut line_fates: Vec<LineFate> = (0..article.lines.len())
        .map(|l| match article.lines[l].kind {
            LineKind::Blank | LineKind::Layout => LineFate::Stay { whole: true },
            LineKind::Boilerplate => LineFate::Gone,
            LineKind::Text => line_fate(article, l, fates),
        })
        .collect();
    // With blank lines between paragraphs, a moved paragraph takes the blank line before it
    // along, so that it stands apart at its new place too; unless what stood before that blank
    // line stays, which would then run into what follows.
    for m in 1..line_fates.len() {
        if let LineFate::Moved { after, .. } = line_fates[m]
            && article.lines[m - 1].kind == LineKind::Blank
            && (m < 2 || !matches!(line_fates[m - 2], LineFate::Stay { .. }))
        {
            line_fates[m - 1] = LineFate::Moved { after, whole: true };
        }
    }
    line_fates
}

/// The keyed sentences that would be output, in output order (moved ones at their new place).
pub(crate) fn shown_order(article: &Article, fates: &mut [Fate]) -> Vec<u32> {
    let line_fates = line_fates(article, fates);
    let mut shown = Vec::with_capacity(article.sentences.len());
    for e in order(&article.lines, &line_fates) {
        let moved = matches!(line_fates[e.line as usize], LineFate::Moved { .. });
        shown.extend(
            article
                .sentences_of(e.line as usize)
                .filter(|&s| article.keys[s].is_some() && is_shown(fates[s], moved))
                .map(|s| s as u32),
        );
    }
    shown
}

/// The text lines that would be output (with at least one sentence shown), in output order.
pub(crate) fn shown_lines(article: &Article, fates: &mut [Fate]) -> Vec<usize> {
    let line_fates = line_fates(article, fates);
    order(&article.lines, &line_fates)
        .into_iter()
        .map(|e| e.line as usize)
        .filter(|&l| {
            let moved = matches!(line_fates[l], LineFate::Moved { .. });
            article.lines[l].kind == LineKind::Text
                && article.sentences_of(l).any(|s| is_shown(fates[s], moved))
        })
        .collect()
}

/// Whether a sentence is written, in a line that stays (`moved` false) or moves.
fn is_shown(fate: Fate, moved: bool) -> bool {
    match fate {
        Fate::Keep => !moved,
        Fate::Move(_) => moved,
        Fate::Repeat(_) | Fate::Furniture => false,
    }
}

pub(crate) fn render(article: &Article, fates: &[Fate], similarity: &[f32]) -> Cleaned {
    let text = article.text;
    let lines = &article.lines;
    let mut fates = fates.to_vec();
    let line_fates = line_fates(article, &mut fates);
    let mut moves = Vec::new();
    let mut removals: Vec<Removal> = (0..lines.len())
        .filter(|&l| lines[l].kind == LineKind::Boilerplate)
        .map(|l| Removal {
            reason: Reason::Boilerplate,
            span: line_span(article, l),
            kept: None,
            similarity: None,
        })
        .collect();
    for (l, fate) in line_fates.iter().enumerate() {
        match *fate {
            LineFate::Stay { whole: true } => {}
            LineFate::Gone if lines[l].kind == LineKind::Boilerplate => {}
            LineFate::Stay { whole: false } | LineFate::Gone => {
                record_repeats(
                    article,
                    &fates,
                    similarity,
                    l,
                    *fate == LineFate::Gone,
                    &mut removals,
                );
            }
            LineFate::Moved { after, whole } => {
                if !whole {
                    record_repeats(article, &fates, similarity, l, false, &mut removals);
                }
                let mut moved = article
                    .sentences_of(l)
                    .filter(|&s| matches!(fates[s], Fate::Move(_)));
                let first = moved.next().map(|s| &article.sentences[s]);
                let last = moved.next_back().map(|s| &article.sentences[s]).or(first);
                let (Some(first), Some(last)) = (first, last) else {
                    continue;
                };
                let span = if whole {
                    line_span(article, l)
                } else {
                    Span {
                        start: first.start,
                        end: last.end,
                        line: l + 1,
                    }
                };
                moves.push(Move {
                    span,
                    after: line_span(article, after as usize),
                });
            }
        }
    }
    removals.sort_by_key(|r| r.span.start);

    if removals.is_empty() && moves.is_empty() {
        return Cleaned {
            text: text.to_owned(),
            removals,
            moves,
            bytes_in: text.len(),
            pieces: vec![Piece {
                out: 0,
                input: 0,
                len: text.len(),
            }],
        };
    }

    let emitted = drop_stray_blanks(lines.len(), order(lines, &line_fates));
    // The input's last line, unterminated, may be moved before others: it takes the
    // terminator of the line that now ends the output (which the end drops), so the output
    // has the input's terminators and no other.
    let default_terminator = emitted
        .last()
        .map(|e| lines[e.line as usize].terminator(text))
        .filter(|t| !t.is_empty())
        .or_else(|| {
            lines
                .iter()
                .map(|l| l.terminator(text))
                .find(|t| !t.is_empty())
        })
        .unwrap_or("\n");
    let mut out = Output {
        input: text,
        text: String::with_capacity(text.len()),
        pieces: Vec::new(),
    };
    for (i, e) in emitted.iter().enumerate() {
        let l = e.line as usize;
        let line = &lines[l];
        match line_fates[l] {
            LineFate::Stay { whole: true } | LineFate::Moved { whole: true, .. } => {
                out.push(&text[line.start..line.end]);
            }
            LineFate::Stay { whole: false } => push_partial(&mut out, article, &fates, l, false),
            LineFate::Moved { whole: false, .. } => {
                push_partial(&mut out, article, &fates, l, true)
            }
            LineFate::Gone => {}
        }
        let terminator = line.terminator(text);
        if !terminator.is_empty() {
            out.push(terminator);
        } else if i + 1 < emitted.len() {
            out.push(default_terminator);
        }
    }
    let input_ends_line = lines.last().is_some_and(|l| l.next > l.end);
    if !input_ends_line {
        let len = out.text.len();
        if out.text.ends_with("\r\n") {
            out.truncate(len - 2);
        } else if out.text.ends_with('\n') {
            out.truncate(len - 1);
        }
    }
    let Output {
        text: out, pieces, ..
    } = out;
    Cleaned {
        text: out,
        removals,
        moves,
        bytes_in: text.len(),
        pieces,
    }
}

fn line_span(article: &Article, l: usize) -> Span {
    let line = &article.lines[l];
    Span {
        start: line.start,
        end: line.end,
        line: l + 1,
    }
}

fn sentence_span(article: &Article, s: u32) -> Span {
    let sentence = &article.sentences[s as usize];
    Span {
        start: sentence.start,
        end: sentence.end,
        line: sentence.line as usize + 1,
    }
}

/// Decides what happens to a text line from the fates of its sentences. A sentence that would
/// move out of a line that otherwise stays, stays with it.
fn line_fate(article: &Article, l: usize, fates: &mut [Fate]) -> LineFate {
    let range = article.sentences_of(l);
    let (mut keep, mut moved, mut dropped) = (0, 0, 0);
    let mut anchor = None;
    for fate in &fates[range.clone()] {
        match *fate {
            Fate::Keep => keep += 1,
            Fate::Repeat(_) | Fate::Furniture => dropped += 1,
            Fate::Move(after) => {
                moved += 1;
                anchor.get_or_insert(after);
            }
        }
    }
    let anchor_line = anchor.map(|a| article.sentences[a as usize].line as usize);
    if moved > 0 && (keep > 0 || anchor_line == Some(l)) {
        for fate in &mut fates[range] {
            if matches!(fate, Fate::Move(_)) {
                *fate = Fate::Keep;
            }
        }
        return LineFate::Stay {
            whole: dropped == 0,
        };
    }
    match anchor_line {
        Some(after) if moved > 0 => LineFate::Moved {
            after: after as u32,
            whole: dropped == 0,
        },
        _ if keep > 0 => LineFate::Stay {
            whole: dropped == 0,
        },
        _ => LineFate::Gone,
    }
}

/// The lowest similarity of the near repeats among the dropped sentences `range`, if any
/// (exact repeats have [`crate::EXACT`]).
fn lowest_similarity(
    fates: &[Fate],
    similarity: &[f32],
    range: std::ops::Range<usize>,
) -> Option<f32> {
    range
        .filter(|&s| matches!(fates[s], Fate::Repeat(_)) && similarity[s] <= 1.0)
        .map(|s| similarity[s])
        .reduce(f32::min)
}

/// The span covering the kept copies of the dropped sentences `range`, if any has one.
fn kept_span(article: &Article, fates: &[Fate], range: std::ops::Range<usize>) -> Option<Span> {
    fates[range]
        .iter()
        .filter_map(|fate| match *fate {
            Fate::Repeat(k) if k != NO_SENTENCE => Some(sentence_span(article, k)),
            _ => None,
        })
        .reduce(|a, b| Span {
            start: a.start.min(b.start),
            end: a.end.max(b.end),
            line: a.line.min(b.line),
        })
}

/// Why a sentence is dropped, if it is.
fn reason_of(fate: Fate) -> Option<Reason> {
    match fate {
        Fate::Repeat(_) => Some(Reason::Repeat),
        Fate::Furniture => Some(Reason::Boilerplate),
        Fate::Keep | Fate::Move(_) => None,
    }
}

/// The kept copy of sentence `s`, if it is a repeat that names one.
fn kept_copy(fates: &[Fate], s: usize) -> Option<u32> {
    match fates[s] {
        Fate::Repeat(k) if k != NO_SENTENCE => Some(k),
        _ => None,
    }
}

/// The input range `lo..=hi` that the kept copies of a run of removed sentences cover, grown one
/// copy at a time while no sentence that stays lies in it but copies: then one span names only
/// copies (in whatever order the removed sentences had them). Lines without sentences (blank,
/// a `* * *` separator) are not looked at.
#[derive(Default)]
struct CopyHull(Option<(u32, u32)>);

/// How far apart (in sentences) two kept copies that one removal's `kept` span covers may be:
/// at most 63 sentences that went lie between them.
const MAX_HULL_GAP: u32 = 64;

impl CopyHull {
    /// Adds kept copy `k`, unless something shown lies between it and the copies so far (or
    /// more than [`MAX_HULL_GAP`] sentences that went: the scan stays bounded however a huge
    /// line's copies are scattered).
    fn add(&mut self, fates: &[Fate], k: u32) -> bool {
        let gone = |from: u32, to: u32| {
            to - from <= MAX_HULL_GAP
                && fates[from as usize + 1..to as usize]
                    .iter()
                    .all(|f| f.is_dropped())
        };
        let fits = match self.0 {
            None => true,
            Some((_, hi)) if k > hi => gone(hi, k),
            Some((lo, _)) if k < lo => gone(k, lo),
            Some(_) => true,
        };
        if fits {
            let (lo, hi) = self.0.unwrap_or((k, k));
            self.0 = Some((lo.min(k), hi.max(k)));
        }
        fits
    }
}

/// Records the dropped sentences of line `l`: the whole line when `whole_line` and all of it
/// went as repeats of one stretch of the output, else one removal per stretch of consecutive
/// sentences dropped for the same reason (and, for repeats, copying one stretch: a line whose
/// sentences copy text on two separate lines names each, not a span over what lies between).
fn record_repeats(
    article: &Article,
    fates: &[Fate],
    similarity: &[f32],
    l: usize,
    whole_line: bool,
    removals: &mut Vec<Removal>,
) {
    let range = article.sentences_of(l);
    let one_stretch = || {
        let mut hull = CopyHull::default();
        range
            .clone()
            .all(|s| kept_copy(fates, s).is_none_or(|k| hull.add(fates, k)))
    };
    if whole_line && !fates[range.clone()].contains(&Fate::Furniture) && one_stretch() {
        removals.push(Removal {
            reason: Reason::Repeat,
            span: line_span(article, l),
            kept: kept_span(article, fates, range.clone()),
            similarity: lowest_similarity(fates, similarity, range),
        });
        return;
    }
    let mut s = range.start;
    while s < range.end {
        let Some(reason) = reason_of(fates[s]) else {
            s += 1;
            continue;
        };
        let start = s;
        let mut hull = CopyHull::default();
        while s < range.end
            && reason_of(fates[s]) == Some(reason)
            && kept_copy(fates, s).is_none_or(|k| hull.add(fates, k))
        {
            s += 1;
        }
        removals.push(Removal {
            reason,
            span: Span {
                start: article.sentences[start].start,
                end: article.sentences[s - 1].end,
                line: l + 1,
            },
            kept: kept_span(article, fates, start..s),
            similarity: lowest_similarity(fates, similarity, start..s),
        });
    }
}

/// The output order of lines: lines that stay, in input order, each followed by the lines moved
/// after it (themselves followed by the lines moved after them).
fn order(lines: &[crate::segment::Line], line_fates: &[LineFate]) -> Vec<Emitted> {
    let mut attached: Vec<(u32, u32)> = line_fates
        .iter()
        .enumerate()
        .filter_map(|(l, f)| match f {
            LineFate::Moved { after, .. } => Some((*after, l as u32)),
            _ => None,
        })
        .collect();
    attached.sort_unstable();
    let mut emitted = Vec::with_capacity(line_fates.len());
    let mut stack = Vec::new();
    for (l, fate) in line_fates.iter().enumerate() {
        if !matches!(fate, LineFate::Stay { .. }) {
            continue;
        }
        stack.push(l as u32);
        while let Some(line) = stack.pop() {
            emitted.push(Emitted {
                line,
                blank: lines[line as usize].kind == LineKind::Blank,
            });
            let from = attached.partition_point(|&(a, _)| a < line);
            let to = attached.partition_point(|&(a, _)| a <= line);
            // Pushed in reverse so that they pop in input order.
            stack.extend(attached[from..to].iter().rev().map(|&(_, m)| m));
        }
    }
    emitted
}

/// Blank lines are layout, but a removal must not leave two runs of them side by side, nor a
/// run at the start or end of the output that text used to separate from the edge. A run of
/// blank lines in the output is made of sub-runs that were apart in the input; one is kept: the
/// first in the middle of the text, the one that was already at the edge at either end.
fn drop_stray_blanks(line_count: usize, emitted: Vec<Emitted>) -> Vec<Emitted> {
    let n = emitted.len();
    let gap_before = |k: usize| {
        if k == 0 {
            emitted[0].line != 0
        } else {
            emitted[k - 1].line + 1 != emitted[k].line
        }
    };
    let trailing_gap = emitted
        .last()
        .is_some_and(|e| e.line as usize + 1 != line_count);
    let mut keep = vec![true; n];
    let mut k = 0;
    while k < n {
        if !emitted[k].blank {
            k += 1;
            continue;
        }
        let a = k;
        while k < n && emitted[k].blank {
            k += 1;
        }
        let b = k;
        let starts: Vec<usize> = (a..b).filter(|&j| j == a || gap_before(j)).collect();
        let chosen = match (a == 0, b == n) {
            (true, true) => (!gap_before(a) && starts.len() == 1 && !trailing_gap).then_some(0),
            (true, false) => (!gap_before(a)).then_some(0),
            (false, true) => (!trailing_gap).then_some(starts.len() - 1),
            (false, false) => Some(0),
        };
        let kept_range =
            chosen.map_or(0..0, |c| starts[c]..starts.get(c + 1).copied().unwrap_or(b));
        for (j, slot) in keep.iter_mut().enumerate().take(b).skip(a) {
            *slot = kept_range.contains(&j);
        }
    }
    emitted
        .into_iter()
        .zip(keep)
        .filter_map(|(e, k)| k.then_some(e))
        .collect()
}

/// Writes the sentences of line `l` that are rendered (kept, or moved when `moved`), with the
/// line's indentation, the original spacing between them and, when the line's last sentence is
/// among them, the line's trailing text.
fn push_partial<'a>(
    out: &mut Output<'a>,
    article: &Article<'a>,
    fates: &[Fate],
    l: usize,
    moved: bool,
) {
    let text = article.text;
    let line = &article.lines[l];
    let range = article.sentences_of(l);
    let shown = |s: usize| is_shown(fates[s], moved);
    out.push(&text[line.start..article.sentences[range.start].start]);
    let mut previous: Option<usize> = None;
    for s in range.clone().filter(|&s| shown(s)) {
        if let Some(p) = previous {
            // The spacing that followed the previous shown sentence in the input; where there
            // was none (CJK text), the spacing that preceded this one, so that the two do not
            // run together into a different sentence.
            let after = &text[article.sentences[p].end..article.sentences[p + 1].start];
            let before = &text[article.sentences[s - 1].end..article.sentences[s].start];
            out.push(if after.is_empty() { before } else { after });
        }
        out.push(&text[article.sentences[s].start..article.sentences[s].end]);
        previous = Some(s);
    }
    if previous == Some(range.end - 1) {
        out.push(&text[article.sentences[range.end - 1].end..line.end]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copy_hull_grows_over_what_went_and_stops_at_what_stays() {
        // Shown: 10, 11, 30, 32, 150; 31 went as furniture; everything else as repeats.
        let mut fates = vec![Fate::Repeat(NO_SENTENCE); 200];
        for s in [10, 11, 30, 32, 150] {
            fates[s] = Fate::Keep;
        }
        fates[31] = Fate::Furniture;
        let mut hull = CopyHull::default();
        assert!(hull.add(&fates, 11));
        assert!(hull.add(&fates, 10), "copies in any order");
        assert!(hull.add(&fates, 30), "12-29 went");
        assert!(hull.add(&fates, 32), "only furniture between");
        assert!(
            !hull.add(&fates, 150),
            "more than MAX_HULL_GAP sentences apart"
        );
        assert!(hull.add(&fates, 96), "33-95 went: 64 apart");
        assert_eq!(hull.0, Some((10, 96)));
        let mut hull = CopyHull::default();
        assert!(hull.add(&fates, 32));
        assert!(!hull.add(&fates, 10), "11 stays between them");
        assert_eq!(hull.0, Some((32, 32)));
    }
}
