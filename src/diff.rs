//! Unified diffs (`diff -u` format) of an article before and after cleaning.
//!
//! The output follows GNU diff byte for byte in its format: `---`/`+++` headers, `@@ -a,b +c,d @@`
//! hunk headers (with GNU's conventions for empty and one-line ranges), hunks merged when their
//! context overlaps, and `\ No newline at end of file` after a last line without terminator, so
//! that GNU `patch` turns the old text into the new one exactly (a `\r` before the `\n` is part
//! of the line).
//!
//! The line alignment is Myers' O(ND) algorithm in its linear-space, divide-and-conquer form,
//! run on interned line ids after two cheap reductions that keep the diff minimal:
//!
//! * the common prefix and suffix of every subproblem are matched directly;
//! * lines that occur in only one of the two texts can never be matched, so they are marked as
//!   changed up front and left out of the alignment. Cleaning output consists mostly of such
//!   lines (removed and shortened lines), which leaves Myers only the moved lines to align.
//!
//! Two bounds keep pathological inputs (many unrelated edits among repeated lines) from going
//! quadratic: when a subproblem's edit distance grows past a cost limit, the search stops at the
//! point that made the most progress and splits there (the diff stays correct but may be
//! larger than minimal); and once a global work budget is spent, the remaining subproblems are
//! replaced wholesale.

use std::collections::HashMap;

/// Options for rendering.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DiffStyle {
    /// Wrap headers in bold, hunk headers in cyan, removed lines in red and added lines in green
    /// (ANSI SGR codes, reset before each line terminator).
    pub color: bool,
    /// Unchanged lines shown around each change (`diff -U`).
    pub context: usize,
}

impl Default for DiffStyle {
    /// Plain output with 3 lines of context, like `diff -u`.
    fn default() -> Self {
        DiffStyle {
            color: false,
            context: 3,
        }
    }
}

const BOLD: &str = "\x1b[1m";
const CYAN: &str = "\x1b[36m";
const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const RESET: &str = "\x1b[0m";
const NO_NEWLINE: &str = "\\ No newline at end of file\n";

/// How human-readable output (stderr lines, `--check`'s human format, `--explain`) shows a
/// file name already made text (`to_string_lossy`): as [`path_label`] does, so that a name
/// holding ESC or a newline cannot reach the terminal raw.
pub fn shown(name: &str) -> String {
    path_label(std::path::Path::new(name))
}

/// How a diff header names `path`: as it is, or, when it holds bytes that are not UTF-8, a
/// control character, a quotation mark or a backslash, between quotation marks with C escapes
/// (`"a\377b.txt"`, `"x\ny.txt"`), as git writes such names and GNU `patch` reads them.
pub fn path_label(path: &std::path::Path) -> String {
    #[cfg(unix)]
    let bytes = std::os::unix::ffi::OsStrExt::as_bytes(path.as_os_str()).to_vec();
    #[cfg(not(unix))]
    let bytes = path.to_string_lossy().into_owned().into_bytes();
    let plain = std::str::from_utf8(&bytes)
        .ok()
        .filter(|s| !s.chars().any(|c| c.is_control() || c == '"' || c == '\\'));
    if let Some(plain) = plain {
        return plain.to_owned();
    }
    let mut out = String::from('"');
    for &b in &bytes {
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\t' => out.push_str("\\t"),
            b'\r' => out.push_str("\\r"),
            0x20..=0x7e => out.push(b as char),
            _ => out.push_str(&format!("\\{b:03o}")),
        }
    }
    out.push('"');
    out
}

/// A unified diff of `old` vs `new`, with `--- {old_label}` / `+++ {new_label}` headers (the
/// caller picks the labels, e.g. `a/PATH` and `b/PATH`), in the format of GNU `diff -u`.
///
/// Returns the empty string when `old == new`. Lines end in `\n` (a preceding `\r` is part of
/// the line) or are a last line without terminator, which gets `\ No newline at end of file`.
/// Without color, GNU `patch` applies the result to `old` and yields `new` byte for byte.
pub fn unified_diff(
    old: &str,
    new: &str,
    old_label: &str,
    new_label: &str,
    style: &DiffStyle,
) -> String {
    unified_diff_with(old, new, old_label, new_label, style, Limits::default())
}

/// Bounds on the alignment work; see the module documentation.
#[derive(Clone, Copy, Debug)]
struct Limits {
    /// The edit cost (per search direction) at which a subproblem's search gives up on
    /// minimality; `None` for the default, about the square root of the input size and at
    /// least 256.
    cost: Option<usize>,
    /// Total work (diagonals visited plus snake steps) after which remaining subproblems are
    /// replaced wholesale.
    budget: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            cost: None,
            budget: 100_000_000,
        }
    }
}

fn unified_diff_with(
    old: &str,
    new: &str,
    old_label: &str,
    new_label: &str,
    style: &DiffStyle,
    limits: Limits,
) -> String {
    if old == new {
        return String::new();
    }
    let a: Vec<&str> = old.split_inclusive('\n').collect();
    let b: Vec<&str> = new.split_inclusive('\n').collect();
    let (del, ins) = align(&a, &b, limits);
    render(&a, &b, &del, &ins, old_label, new_label, style)
}

/// Marks the lines of `a` that are deleted and the lines of `b` that are inserted. The unmarked
/// lines of both sides are equal, in order.
fn align<'t>(a: &[&'t str], b: &[&'t str], limits: Limits) -> (Vec<bool>, Vec<bool>) {
    let mut del = vec![false; a.len()];
    let mut ins = vec![false; b.len()];
    // The common prefix and suffix need no interning.
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (a_mid, b_mid) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);

    // Intern lines; count occurrences on each side.
    let mut ids: HashMap<&'t str, u32> = HashMap::with_capacity(a_mid.len() + b_mid.len());
    let mut counts: Vec<[u32; 2]> = Vec::new();
    let mut intern = |line: &'t str, side: usize| {
        let next = ids.len() as u32;
        let id = *ids.entry(line).or_insert(next);
        if id == next {
            counts.push([0, 0]);
        }
        counts[id as usize][side] += 1;
        id
    };
    let a_ids: Vec<u32> = a_mid.iter().map(|&l| intern(l, 0)).collect();
    let b_ids: Vec<u32> = b_mid.iter().map(|&l| intern(l, 1)).collect();

    // Lines found on one side only are changes; align the rest.
    let (mut ra, mut ra_at) = (Vec::new(), Vec::new());
    for (i, &id) in a_ids.iter().enumerate() {
        if counts[id as usize][1] == 0 {
            del[prefix + i] = true;
        } else {
            ra.push(id);
            ra_at.push(prefix + i);
        }
    }
    let (mut rb, mut rb_at) = (Vec::new(), Vec::new());
    for (j, &id) in b_ids.iter().enumerate() {
        if counts[id as usize][0] == 0 {
            ins[prefix + j] = true;
        } else {
            rb.push(id);
            rb_at.push(prefix + j);
        }
    }
    let mut myers = Myers::new(&ra, &rb, limits);
    myers.run();
    for (k, &changed) in myers.del.iter().enumerate() {
        del[ra_at[k]] = changed;
    }
    for (k, &changed) in myers.ins.iter().enumerate() {
        ins[rb_at[k]] = changed;
    }
    (del, ins)
}

/// Linear-space Myers diff of two id sequences (after Myers 1986 and GNU diffseq).
struct Myers<'s> {
    a: &'s [u32],
    b: &'s [u32],
    /// Furthest forward x per diagonal `k = x - y`, at index `k + offset`.
    fd: Vec<isize>,
    /// Furthest backward x per diagonal.
    bd: Vec<isize>,
    offset: isize,
    /// Edit cost (per direction) at which a search stops looking for a minimal split.
    too_expensive: isize,
    work: u64,
    budget: u64,
    /// How many times minimality was given up (past the cost limit or the budget).
    fallbacks: usize,
    del: Vec<bool>,
    ins: Vec<bool>,
}

impl<'s> Myers<'s> {
    fn new(a: &'s [u32], b: &'s [u32], limits: Limits) -> Self {
        let diagonals = a.len() + b.len() + 3;
        let too_expensive = limits.cost.unwrap_or_else(|| {
            // About the square root of the number of diagonals, like GNU diff.
            let mut cost = 1usize;
            let mut d = diagonals;
            while d != 0 {
                cost <<= 1;
                d >>= 2;
            }
            cost.max(256)
        });
        Myers {
            a,
            b,
            fd: vec![0; diagonals],
            bd: vec![0; diagonals],
            offset: b.len() as isize + 1,
            too_expensive: too_expensive.max(1) as isize,
            fallbacks: 0,
            work: 0,
            budget: limits.budget,
            del: vec![false; a.len()],
            ins: vec![false; b.len()],
        }
    }

    fn run(&mut self) {
        let (a, b) = (self.a, self.b);
        let mut stack = vec![(0, a.len(), 0, b.len())];
        while let Some((mut xoff, mut xlim, mut yoff, mut ylim)) = stack.pop() {
            while xoff < xlim && yoff < ylim && a[xoff] == b[yoff] {
                xoff += 1;
                yoff += 1;
            }
            while xoff < xlim && yoff < ylim && a[xlim - 1] == b[ylim - 1] {
                xlim -= 1;
                ylim -= 1;
            }
            if xoff == xlim || yoff == ylim {
                self.replace(xoff, xlim, yoff, ylim);
                continue;
            }
            if self.work > self.budget {
                self.fallbacks += 1;
                self.replace(xoff, xlim, yoff, ylim);
                continue;
            }
            let (x, y) = self.split(xoff, xlim, yoff, ylim);
            // Every split the search returns lies inside the box and off its corners; check
            // anyway, so that the loop terminates whatever happens.
            let inside = (xoff..=xlim).contains(&x) && (yoff..=ylim).contains(&y);
            if !inside || (x, y) == (xoff, yoff) || (x, y) == (xlim, ylim) {
                self.replace(xoff, xlim, yoff, ylim);
                continue;
            }
            stack.push((x, xlim, y, ylim));
            stack.push((xoff, x, yoff, y));
        }
    }

    /// Marks a whole subproblem as changed.
    fn replace(&mut self, xoff: usize, xlim: usize, yoff: usize, ylim: usize) {
        self.del[xoff..xlim].fill(true);
        self.ins[yoff..ylim].fill(true);
    }

    /// Finds a point on a shortest edit path through the box (the end of the middle snake),
    /// or, past the cost limit or the budget, the point of furthest progress. The box has no
    /// common prefix or suffix and is non-empty on both sides.
    fn split(&mut self, xoff: usize, xlim: usize, yoff: usize, ylim: usize) -> (usize, usize) {
        let (a, b) = (self.a, self.b);
        let (xoff, xlim, yoff, ylim) = (xoff as isize, xlim as isize, yoff as isize, ylim as isize);
        let o = self.offset;
        let (fd, bd) = (&mut self.fd, &mut self.bd);
        let dmin = xoff - ylim;
        let dmax = xlim - yoff;
        let fmid = xoff - yoff;
        let bmid = xlim - ylim;
        let (mut fmin, mut fmax, mut bmin, mut bmax) = (fmid, fmid, bmid, bmid);
        let odd = (fmid - bmid) & 1 != 0;
        fd[(fmid + o) as usize] = xoff;
        bd[(bmid + o) as usize] = xlim;
        let mut c: isize = 1;
        loop {
            // Extend the forward search by one edit.
            if fmin > dmin {
                fmin -= 1;
                fd[(fmin - 1 + o) as usize] = -1;
            } else {
                fmin += 1;
            }
            if fmax < dmax {
                fmax += 1;
                fd[(fmax + 1 + o) as usize] = -1;
            } else {
                fmax -= 1;
            }
            let mut d = fmax;
            while d >= fmin {
                let tlo = fd[(d - 1 + o) as usize];
                let thi = fd[(d + 1 + o) as usize];
                let x0 = if tlo >= thi { tlo + 1 } else { thi };
                let (mut x, mut y) = (x0, x0 - d);
                while x < xlim && y < ylim && a[x as usize] == b[y as usize] {
                    x += 1;
                    y += 1;
                }
                self.work += 1 + (x - x0) as u64;
                fd[(d + o) as usize] = x;
                if odd && bmin <= d && d <= bmax && bd[(d + o) as usize] <= x {
                    return (x as usize, y as usize);
                }
                d -= 2;
            }
            // Extend the backward search by one edit.
            if bmin > dmin {
                bmin -= 1;
                bd[(bmin - 1 + o) as usize] = isize::MAX;
            } else {
                bmin += 1;
            }
            if bmax < dmax {
                bmax += 1;
                bd[(bmax + 1 + o) as usize] = isize::MAX;
            } else {
                bmax -= 1;
            }
            let mut d = bmax;
            while d >= bmin {
                let tlo = bd[(d - 1 + o) as usize];
                let thi = bd[(d + 1 + o) as usize];
                let x0 = if tlo < thi { tlo } else { thi - 1 };
                let (mut x, mut y) = (x0, x0 - d);
                while x > xoff && y > yoff && a[(x - 1) as usize] == b[(y - 1) as usize] {
                    x -= 1;
                    y -= 1;
                }
                self.work += 1 + (x0 - x) as u64;
                bd[(d + o) as usize] = x;
                if !odd && fmin <= d && d <= fmax && x <= fd[(d + o) as usize] {
                    return (x as usize, y as usize);
                }
                d -= 2;
            }
            if c >= self.too_expensive || self.work > self.budget {
                // Give up on minimality: split at the point, forward or backward, that got
                // furthest from its corner.
                self.fallbacks += 1;
                let (mut fbest, mut fx) = (-1, xoff);
                let mut d = fmax;
                while d >= fmin {
                    let mut x = fd[(d + o) as usize].min(xlim);
                    let mut y = x - d;
                    if y > ylim {
                        x = ylim + d;
                        y = ylim;
                    }
                    if x + y > fbest {
                        fbest = x + y;
                        fx = x;
                    }
                    d -= 2;
                }
                let (mut bbest, mut bx) = (isize::MAX, xlim);
                let mut d = bmax;
                while d >= bmin {
                    let mut x = bd[(d + o) as usize].max(xoff);
                    let mut y = x - d;
                    if y < yoff {
                        x = yoff + d;
                        y = yoff;
                    }
                    if x + y < bbest {
                        bbest = x + y;
                        bx = x;
                    }
                    d -= 2;
                }
                return if (xlim + ylim) - bbest < fbest - (xoff + yoff) {
                    (fx as usize, (fbest - fx) as usize)
                } else {
                    (bx as usize, (bbest - bx) as usize)
                };
            }
            c += 1;
        }
    }
}

/// A run of changes: `a[old.0..old.1]` replaced by `b[new.0..new.1]`.
#[derive(Clone, Copy, Debug)]
struct Change {
    old: (usize, usize),
    new: (usize, usize),
}

fn changes(del: &[bool], ins: &[bool]) -> Vec<Change> {
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < del.len() || j < ins.len() {
        if del.get(i) == Some(&true) || ins.get(j) == Some(&true) {
            let (i0, j0) = (i, j);
            while del.get(i) == Some(&true) {
                i += 1;
            }
            while ins.get(j) == Some(&true) {
                j += 1;
            }
            out.push(Change {
                old: (i0, i),
                new: (j0, j),
            });
        } else {
            // An unchanged line on both sides.
            debug_assert!(i < del.len() && j < ins.len());
            i += 1;
            j += 1;
        }
    }
    out
}

/// GNU's unified range: `start,count`, `start` alone for one line, and for an empty range the
/// line before it with count 0.
fn push_range(out: &mut String, lo: usize, hi: usize) {
    use std::fmt::Write as _;
    let _ = match hi - lo {
        0 => write!(out, "{lo},0"),
        1 => write!(out, "{}", lo + 1),
        n => write!(out, "{},{n}", lo + 1),
    };
}

/// Appends one diff line: `prefix`, the line, its terminator (or a newline and the
/// no-newline marker), colored as asked.
fn push_line(out: &mut String, prefix: char, line: &str, color: Option<&str>) {
    let (content, terminator) =
        if let Some(c) = line.strip_suffix("\r\n").filter(|_| color.is_some()) {
            (c, "\r\n")
        } else if let Some(c) = line.strip_suffix('\n') {
            (c, "\n")
        } else {
            (line, "")
        };
    if let Some(code) = color {
        out.push_str(code);
    }
    out.push(prefix);
    out.push_str(content);
    if color.is_some() {
        out.push_str(RESET);
    }
    if terminator.is_empty() {
        out.push('\n');
        out.push_str(NO_NEWLINE);
    } else {
        out.push_str(terminator);
    }
}

fn render(
    a: &[&str],
    b: &[&str],
    del: &[bool],
    ins: &[bool],
    old_label: &str,
    new_label: &str,
    style: &DiffStyle,
) -> String {
    let changes = changes(del, ins);
    if changes.is_empty() {
        return String::new();
    }
    let paint = |code: &'static str| style.color.then_some(code);
    let ctx = style.context;
    let mut out = String::new();
    for (sign, label) in [("---", old_label), ("+++", new_label)] {
        if let Some(code) = paint(BOLD) {
            out.push_str(code);
        }
        out.push_str(sign);
        out.push(' ');
        out.push_str(label);
        // A name with a space ends in a tab, as git writes it: `patch` reads a header's name
        // up to the first tab, and up to the first space when there is none. (A quoted name,
        // see `path_label`, ends at its closing quote.)
        if label.contains(' ') && !label.starts_with('"') {
            out.push('\t');
        }
        if style.color {
            out.push_str(RESET);
        }
        out.push('\n');
    }
    let mut start = 0;
    while start < changes.len() {
        // Changes separated by at most 2 * context unchanged lines share a hunk.
        let mut end = start + 1;
        while end < changes.len()
            && changes[end].old.0 - changes[end - 1].old.1 <= ctx.saturating_mul(2)
        {
            end += 1;
        }
        let (first, last) = (changes[start], changes[end - 1]);
        let before = ctx.min(first.old.0);
        let after = ctx.min(a.len() - last.old.1);
        let (old_lo, old_hi) = (first.old.0 - before, last.old.1 + after);
        let (new_lo, new_hi) = (first.new.0 - before, last.new.1 + after);

        if let Some(code) = paint(CYAN) {
            out.push_str(code);
        }
        out.push_str("@@ -");
        push_range(&mut out, old_lo, old_hi);
        out.push_str(" +");
        push_range(&mut out, new_lo, new_hi);
        out.push_str(" @@");
        if style.color {
            out.push_str(RESET);
        }
        out.push('\n');

        let mut at = old_lo;
        for change in &changes[start..end] {
            for line in &a[at..change.old.0] {
                push_line(&mut out, ' ', line, None);
            }
            for line in &a[change.old.0..change.old.1] {
                push_line(&mut out, '-', line, paint(RED));
            }
            for line in &b[change.new.0..change.new.1] {
                push_line(&mut out, '+', line, paint(GREEN));
            }
            at = change.old.1;
        }
        for line in &a[at..old_hi] {
            push_line(&mut out, ' ', line, None);
        }
        start = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn odd_path_names_are_quoted_with_c_escapes() {
        use std::os::unix::ffi::OsStrExt;
        let label = |b: &[u8]| path_label(std::path::Path::new(std::ffi::OsStr::from_bytes(b)));
        assert_eq!(label(b"out/a b.txt"), "out/a b.txt");
        assert_eq!(label("out/é.txt".as_bytes()), "out/é.txt");
        assert_eq!(label(b"out/a\xffb.txt"), r#""out/a\377b.txt""#);
        assert_eq!(label(b"x\ny\t.txt"), r#""x\ny\t.txt""#);
        assert_eq!(label(b"q\"\\.txt"), r#""q\"\\.txt""#);
    }

    fn plain(context: usize) -> DiffStyle {
        DiffStyle {
            color: false,
            context,
        }
    }

    fn udiff(old: &str, new: &str) -> String {
        unified_diff(old, new, "a/f", "b/f", &DiffStyle::default())
    }

    /// A parsed hunk header.
    #[derive(Debug)]
    struct Header {
        old_start: usize,
        old_len: usize,
        new_start: usize,
        new_len: usize,
    }

    fn parse_range(s: &str) -> (usize, usize) {
        match s.split_once(',') {
            Some((start, len)) => (start.parse().unwrap(), len.parse().unwrap()),
            None => (s.parse().unwrap(), 1),
        }
    }

    fn parse_header(line: &str) -> Header {
        let rest = line
            .strip_prefix("@@ -")
            .and_then(|r| r.strip_suffix(" @@\n"))
            .unwrap_or_else(|| panic!("bad hunk header {line:?}"));
        let (old, new) = rest.split_once(" +").unwrap();
        let ((old_start, old_len), (new_start, new_len)) = (parse_range(old), parse_range(new));
        assert!(
            !old.ends_with(",1") && !new.ends_with(",1"),
            "GNU omits ,1: {line:?}"
        );
        Header {
            old_start,
            old_len,
            new_start,
            new_len,
        }
    }

    /// A strict unified-diff applier: no fuzz, no offsets. Also checks the hunk shape GNU diff
    /// produces with `context` lines: full leading and trailing context where the file has it,
    /// at most `2 * context` unchanged lines inside a hunk, and hunks whose contexts neither
    /// overlap nor touch.
    fn apply(old: &str, diff: &str, context: usize) -> String {
        if diff.is_empty() {
            return old.to_string();
        }
        let a: Vec<&str> = old.split_inclusive('\n').collect();
        let d: Vec<&str> = diff.split_inclusive('\n').collect();
        assert!(
            d[0].starts_with("--- ") && d[1].starts_with("+++ "),
            "{diff}"
        );
        let mut out: Vec<String> = Vec::new();
        let mut pos = 0;
        let mut k = 2;
        let mut hunks = 0;
        while k < d.len() {
            let h = parse_header(d[k]);
            k += 1;
            hunks += 1;
            // An empty range names the line before it.
            let start = if h.old_len == 0 {
                h.old_start
            } else {
                h.old_start - 1
            };
            let new_start = if h.new_len == 0 {
                h.new_start
            } else {
                h.new_start - 1
            };
            assert!(start >= pos, "hunks out of order in\n{diff}");
            if hunks > 1 {
                assert!(start > pos, "hunks touch in\n{diff}");
            }
            out.extend(a[pos..start].iter().map(|s| s.to_string()));
            assert_eq!(out.len(), new_start, "new-side numbering in\n{diff}");
            let (mut seen_old, mut seen_new) = (0, 0);
            let mut tags = String::new();
            while seen_old < h.old_len || seen_new < h.new_len {
                let line = d[k];
                k += 1;
                let (tag, body) = line.split_at(1);
                let mut body = body.to_string();
                if d.get(k) == Some(&NO_NEWLINE) {
                    assert!(body.pop() == Some('\n'));
                    k += 1;
                }
                tags.push_str(tag);
                match tag {
                    " " => {
                        assert_eq!(a[start + seen_old], body, "context in\n{diff}");
                        out.push(body);
                        seen_old += 1;
                        seen_new += 1;
                    }
                    "-" => {
                        assert_eq!(a[start + seen_old], body, "removed line in\n{diff}");
                        seen_old += 1;
                    }
                    "+" => {
                        out.push(body);
                        seen_new += 1;
                    }
                    _ => panic!("bad line {line:?} in\n{diff}"),
                }
            }
            assert_eq!((seen_old, seen_new), (h.old_len, h.new_len));
            // The hunk's shape.
            let lead = tags.len() - tags.trim_start_matches(' ').len();
            let trail = tags.len() - tags.trim_end_matches(' ').len();
            assert_eq!(
                lead,
                context.min(start + lead),
                "leading context in\n{diff}"
            );
            let end = start + h.old_len;
            assert_eq!(
                trail,
                context.min(a.len() - end + trail),
                "trailing context in\n{diff}"
            );
            for gap in tags.trim_matches(' ').split(['-', '+']) {
                assert!(gap.len() <= 2 * context, "unmerged hunk in\n{diff}");
            }
            assert!(tags.contains(['-', '+']), "hunk without change in\n{diff}");
            pos = end;
        }
        out.extend(a[pos..].iter().map(|s| s.to_string()));
        out.concat()
    }

    fn check(old: &str, new: &str, context: usize) -> String {
        let diff = unified_diff(old, new, "a/f", "b/f", &plain(context));
        assert_eq!(diff.is_empty(), old == new);
        assert_eq!(apply(old, &diff, context), new, "diff:\n{diff}");
        diff
    }

    #[test]
    fn identical_input_gives_empty_diff() {
        assert_eq!(udiff("", ""), "");
        assert_eq!(udiff("a\nb\n", "a\nb\n"), "");
        assert_eq!(udiff("a\r\nb", "a\r\nb"), "");
    }

    #[test]
    fn removed_lines() {
        let old = "one\ntwo\nthree\nfour\nfive\nsix\nseven\neight\n";
        let new = "one\ntwo\nthree\nsix\nseven\neight\n";
        assert_eq!(
            udiff(old, new),
            "--- a/f\n+++ b/f\n@@ -1,8 +1,6 @@\n one\n two\n three\n-four\n-five\n six\n seven\n eight\n"
        );
        check(old, new, 3);
        check(old, new, 0);
        assert_eq!(
            unified_diff(old, new, "x", "y", &plain(0)),
            "--- x\n+++ y\n@@ -4,2 +3,0 @@\n-four\n-five\n"
        );
        assert_eq!(
            unified_diff(old, new, "x", "y", &plain(1)),
            "--- x\n+++ y\n@@ -3,4 +3,2 @@\n three\n-four\n-five\n six\n"
        );
    }

    #[test]
    fn shortened_line() {
        let old = "Title\n\nFirst sentence. Read more here. Second sentence.\n\nEnd.\n";
        let new = "Title\n\nFirst sentence. Second sentence.\n\nEnd.\n";
        assert_eq!(
            unified_diff(old, new, "a/x.txt", "b/x.txt", &plain(1)),
            "--- a/x.txt\n+++ b/x.txt\n@@ -2,3 +2,3 @@\n \n\
             -First sentence. Read more here. Second sentence.\n\
             +First sentence. Second sentence.\n \n"
        );
        check(old, new, 3);
    }

    #[test]
    fn moved_line() {
        let old = "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n";
        let new = "a\nb\nc\nd\ne\nf\ng\nh\nb\ni\nj\n".replacen("b\n", "", 1);
        // b moved from line 2 to after h: one removal, one insertion, two hunks with -U1.
        assert_eq!(
            unified_diff(old, &new, "a/f", "b/f", &plain(1)),
            "--- a/f\n+++ b/f\n@@ -1,3 +1,2 @@\n a\n-b\n c\n@@ -8,2 +7,3 @@\n h\n+b\n i\n"
        );
        check(old, &new, 3);
        check(old, &new, 1);
        check(old, &new, 0);
    }

    #[test]
    fn hunks_merge_and_split_at_context_boundaries() {
        let lines: Vec<String> = (1..=30).map(|i| format!("line {i}\n")).collect();
        for context in 0..5 {
            for gap in 0..(2 * context + 4) {
                // Change line 5 and line 5 + gap + 1, leaving `gap` unchanged lines between.
                let mut new = lines.clone();
                new[4] = "changed A\n".into();
                new[5 + gap] = "changed B\n".into();
                let (old, new) = (lines.concat(), new.concat());
                let diff = check(&old, &new, context);
                let hunks = diff.lines().filter(|l| l.starts_with("@@")).count();
                let expected = if gap <= 2 * context { 1 } else { 2 };
                assert_eq!(hunks, expected, "context {context}, gap {gap}:\n{diff}");
            }
        }
        // Exactly 2 * 3 + 1 = 7 unchanged lines separate hunks with the default context.
        let old = lines.concat();
        let new = old
            .replace("line 5\n", "five\n")
            .replace("line 13\n", "thirteen\n");
        assert_eq!(
            udiff(&old, &new),
            "--- a/f\n+++ b/f\n\
             @@ -2,7 +2,7 @@\n line 2\n line 3\n line 4\n-line 5\n+five\n line 6\n line 7\n line 8\n\
             @@ -10,7 +10,7 @@\n line 10\n line 11\n line 12\n-line 13\n+thirteen\n line 14\n line 15\n line 16\n"
        );
        let new = old
            .replace("line 5\n", "five\n")
            .replace("line 12\n", "twelve\n");
        assert_eq!(
            udiff(&old, &new)
                .lines()
                .filter(|l| l.starts_with("@@"))
                .collect::<Vec<_>>(),
            ["@@ -2,14 +2,14 @@"]
        );
    }

    #[test]
    fn missing_trailing_newline() {
        // Old lacks it.
        assert_eq!(
            udiff("a\nb", "a\nb\n"),
            "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n"
        );
        // New lacks it.
        assert_eq!(
            udiff("a\nb\n", "a\nb"),
            "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n+b\n\\ No newline at end of file\n"
        );
        // Both lack it, and the last line is unchanged context.
        assert_eq!(
            udiff("a\nb\nc", "b\nc"),
            "--- a/f\n+++ b/f\n@@ -1,3 +1,2 @@\n-a\n b\n c\n\\ No newline at end of file\n"
        );
        // Both lack it, the last line changes.
        assert_eq!(
            udiff("a\nb", "a\nc"),
            "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n"
        );
        for (old, new) in [
            ("a\nb", "a\nb\n"),
            ("a\nb\n", "a\nb"),
            ("a\nb\nc", "b\nc"),
            ("a\nb", "a\nc"),
            ("x", ""),
            ("", "x"),
            ("x", "x\n"),
            ("a\nb\nc\nd\ne\nf\ng\nh", "a\nc\nd\ne\nf\ng\nh"),
        ] {
            for context in 0..4 {
                check(old, new, context);
            }
        }
    }

    #[test]
    fn crlf_lines() {
        let old = "Title\r\n\r\nOne. Two.\r\nShare this\r\nEnd\r\n";
        let new = "Title\r\n\r\nOne.\r\nEnd\r\n";
        assert_eq!(
            udiff(old, new),
            "--- a/f\n+++ b/f\n@@ -1,5 +1,4 @@\n Title\r\n \r\n-One. Two.\r\n-Share this\r\n+One.\r\n End\r\n"
        );
        check(old, new, 3);
        // Only the line ending changes.
        check("a\r\nb\r\n", "a\nb\r\n", 3);
        check("a\r\nb", "a\r\nb\r\n", 3);
        check("a\r\nb\r", "a\r\nb", 1);
    }

    #[test]
    fn empty_old_or_new() {
        assert_eq!(
            udiff("", "a\nb\n"),
            "--- a/f\n+++ b/f\n@@ -0,0 +1,2 @@\n+a\n+b\n"
        );
        assert_eq!(udiff("a\n", ""), "--- a/f\n+++ b/f\n@@ -1 +0,0 @@\n-a\n");
        assert_eq!(
            udiff("a\nb", ""),
            "--- a/f\n+++ b/f\n@@ -1,2 +0,0 @@\n-a\n-b\n\\ No newline at end of file\n"
        );
        check("", "a\nb\n", 3);
        check("a\nb\n", "", 0);
        // Insertion at the very start with no context: the empty range is "0,0".
        assert_eq!(
            unified_diff("b\n", "a\nb\n", "a/f", "b/f", &plain(0)),
            "--- a/f\n+++ b/f\n@@ -0,0 +1 @@\n+a\n"
        );
    }

    #[test]
    fn color_codes() {
        let (old, new) = ("a\nb\r\nc\n", "a\nc\nd");
        let colored = unified_diff(
            old,
            new,
            "a/f",
            "b/f",
            &DiffStyle {
                color: true,
                context: 3,
            },
        );
        assert_eq!(
            colored,
            "\x1b[1m--- a/f\x1b[0m\n\x1b[1m+++ b/f\x1b[0m\n\x1b[36m@@ -1,3 +1,3 @@\x1b[0m\n a\n\
             \x1b[31m-b\x1b[0m\r\n c\n\x1b[32m+d\x1b[0m\n\\ No newline at end of file\n"
        );
        let plain = udiff(old, new);
        assert!(!plain.contains('\x1b'));
        // Stripping the codes gives the plain diff (the reset goes before `\r\n`).
        let stripped = colored
            .replace("\x1b[1m", "")
            .replace("\x1b[36m", "")
            .replace("\x1b[31m", "")
            .replace("\x1b[32m", "")
            .replace("\x1b[0m", "");
        assert_eq!(stripped, plain);
        assert_eq!(apply(old, &plain, 3), new);
    }

    /// Round trips through GNU patch, when installed.
    #[test]
    fn gnu_patch_applies_the_diff() {
        use std::process::Command;
        if Command::new("patch").arg("--version").output().is_err() {
            eprintln!("skipping gnu_patch_applies_the_diff: `patch` is not installed");
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let cases = [
            ("one\ntwo\nthree\nfour\n", "one\nthree\nfour\n"),
            ("a\nb\nc", "a\nc"),
            ("a\nb\nc", "a\nb\nc\n"),
            ("a\nb\nc\n", "a\nb\nd"),
            (
                "Title\r\n\r\nOne. Two.\r\nShare\r\nEnd\r\n",
                "Title\r\n\r\nOne.\r\nEnd\r\n",
            ),
            ("Title\r\nBody\r\nEnd", "Title\r\nEnd"),
            ("a\r\nb\r\n", "a\nb\r\n"),
            ("", "new\nfile\n"),
            ("", "x"),
            ("old\nfile\n", ""),
            ("x", ""),
        ];
        let mut generated = Vec::new();
        let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
        for _ in 0..20 {
            let old = random_article(&mut rng, 40);
            let new = edit(&mut rng, &old);
            generated.push((old, new));
        }
        let all = cases
            .iter()
            .map(|&(o, n)| (o.to_string(), n.to_string()))
            .chain(generated);
        for (n, (old, new)) in all.enumerate() {
            for context in [0, 1, 3] {
                let diff = unified_diff(&old, &new, "a/f", "b/f", &plain(context));
                if diff.is_empty() {
                    continue;
                }
                let (src, patch, out) = (
                    dir.path().join(format!("src{n}")),
                    dir.path().join(format!("patch{n}")),
                    dir.path().join(format!("out{n}")),
                );
                std::fs::write(&src, &old).unwrap();
                std::fs::write(&patch, &diff).unwrap();
                let _ = std::fs::remove_file(&out);
                let result = Command::new("patch")
                    .args(["--batch", "--silent", "--fuzz=0", "--no-backup-if-mismatch"])
                    .arg("--output")
                    .arg(&out)
                    .arg(&src)
                    .arg("--input")
                    .arg(&patch)
                    .output()
                    .unwrap();
                assert!(
                    result.status.success(),
                    "patch failed: {}{}\ndiff:\n{diff}",
                    String::from_utf8_lossy(&result.stdout),
                    String::from_utf8_lossy(&result.stderr)
                );
                let patched = std::fs::read(&out).unwrap_or_default();
                assert_eq!(
                    String::from_utf8_lossy(&patched),
                    new,
                    "case {n}, context {context}, diff:\n{diff}"
                );
            }
        }
    }

    /// Where the shortest diff is unique, the output is GNU diff's, byte for byte.
    #[test]
    fn matches_gnu_diff() {
        use std::process::Command;
        if Command::new("diff").arg("--version").output().is_err() {
            eprintln!("skipping matches_gnu_diff: `diff` is not installed");
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let lines: Vec<String> = (1..=40).map(|i| format!("line {i}\n")).collect();
        let text = |skip: &[usize], extra: &[(usize, &str)]| {
            let mut out = String::new();
            for (i, line) in lines.iter().enumerate() {
                for &(at, s) in extra {
                    if at == i {
                        out.push_str(s);
                    }
                }
                if !skip.contains(&i) {
                    out.push_str(line);
                }
            }
            out
        };
        let base = lines.concat();
        let cases = [
            (base.clone(), text(&[3, 4, 20], &[])),
            (
                base.clone(),
                text(&[0], &[(10, "ten-ish\n"), (18, "x\r\n")]),
            ),
            (base.clone(), text(&[39], &[(2, "new\n")])),
            (
                base.clone(),
                text(&[5, 12, 19, 27, 39], &[(13, "inserted\n")]),
            ),
            (base.clone(), format!("{}no newline", text(&[6], &[]))),
            (format!("{base}tail"), text(&[30], &[])),
            (format!("{base}tail"), format!("{base}tail\n")),
            (String::new(), base.clone()),
            (base.clone(), String::new()),
        ];
        for (n, (old, new)) in cases.iter().enumerate() {
            for context in [0, 1, 2, 3, 5] {
                let ours = unified_diff(old, new, "a/f", "b/f", &plain(context));
                let (o, p) = (dir.path().join("old"), dir.path().join("new"));
                std::fs::write(&o, old).unwrap();
                std::fs::write(&p, new).unwrap();
                let gnu = Command::new("diff")
                    .arg(format!("-U{context}"))
                    .args(["--label", "a/f", "--label", "b/f"])
                    .arg(&o)
                    .arg(&p)
                    .output()
                    .unwrap();
                assert_eq!(
                    ours,
                    String::from_utf8_lossy(&gnu.stdout),
                    "case {n}, context {context}"
                );
            }
        }
    }

    use crate::test_rng::XorShift;

    /// An article-like text: paragraphs of sentences, blank lines, repeated furniture, mixed
    /// line terminators, sometimes no final newline.
    fn random_article(rng: &mut XorShift, max_lines: usize) -> String {
        const FURNITURE: [&str; 4] = ["Advertisement", "Share this article", "", "Read more"];
        let crlf = rng.chance(30);
        let mut out = String::new();
        let lines = rng.below(max_lines + 1);
        for _ in 0..lines {
            if rng.chance(30) {
                out.push_str(FURNITURE[rng.below(FURNITURE.len())]);
            } else {
                let sentences = 1 + rng.below(4);
                let words: Vec<String> = (0..sentences)
                    .map(|_| format!("Sentence {}.", rng.below(60)))
                    .collect();
                out.push_str(&words.join(" "));
            }
            out.push_str(if crlf || rng.chance(5) { "\r\n" } else { "\n" });
        }
        if !out.is_empty() && rng.chance(25) {
            out.pop();
        }
        out
    }

    /// What cleaning does: delete lines, drop sentences inside lines, move a few lines; plus,
    /// rarely, an inserted line or a changed final newline.
    fn edit(rng: &mut XorShift, old: &str) -> String {
        let mut lines: Vec<String> = Vec::new();
        for line in old.split_inclusive('\n') {
            if rng.chance(15) {
                continue;
            }
            if rng.chance(15) {
                // Drop one sentence of the line (by ". " boundaries).
                let parts: Vec<&str> = line.split(". ").collect();
                if parts.len() > 1 {
                    let drop = rng.below(parts.len());
                    let kept: Vec<&str> = parts
                        .iter()
                        .enumerate()
                        .filter(|&(i, _)| i != drop)
                        .map(|(_, p)| *p)
                        .collect();
                    let mut shortened = kept.join(". ");
                    if drop == parts.len() - 1 {
                        // Keep the terminator of the original line.
                        let terminator = &line[line.trim_end_matches(['\r', '\n']).len()..];
                        shortened.push_str(terminator);
                    }
                    lines.push(shortened);
                    continue;
                }
            }
            lines.push(line.to_string());
            if rng.chance(3) {
                lines.push(format!("Inserted {}.\n", rng.below(5)));
            }
        }
        for _ in 0..rng.below(4) {
            if lines.len() > 1 {
                let from = rng.below(lines.len());
                let line = lines.remove(from);
                let to = rng.below(lines.len() + 1);
                lines.insert(to, line);
            }
        }
        // A line without terminator only makes sense at the end: give it one elsewhere.
        let last = lines.len().saturating_sub(1);
        for (i, line) in lines.iter_mut().enumerate() {
            if i != last && !line.ends_with('\n') {
                line.push('\n');
            }
        }
        let mut new = lines.concat();
        if rng.chance(10) {
            if new.ends_with('\n') {
                new.pop();
            } else {
                new.push('\n');
            }
        }
        new
    }

    /// The length of a longest common subsequence of lines (quadratic; small inputs only).
    fn lcs(a: &[&str], b: &[&str]) -> usize {
        let mut row = vec![0usize; b.len() + 1];
        for x in a {
            let mut diag = 0;
            for (j, y) in b.iter().enumerate() {
                let up = row[j + 1];
                row[j + 1] = if x == y {
                    diag + 1
                } else {
                    row[j + 1].max(row[j])
                };
                diag = up;
            }
        }
        row[b.len()]
    }

    fn changed_lines(diff: &str) -> usize {
        diff.lines()
            .filter(|l| {
                (l.starts_with('-') && !l.starts_with("--- "))
                    || (l.starts_with('+') && !l.starts_with("+++ "))
            })
            .count()
    }

    #[test]
    fn random_edits_round_trip_and_are_minimal() {
        let mut rng = XorShift(0x2545_f491_4f6c_dd1d);
        for case in 0..400 {
            let old = random_article(&mut rng, 60);
            let new = edit(&mut rng, &old);
            let context = rng.below(5);
            let diff = check(&old, &new, context);
            let a: Vec<&str> = old.split_inclusive('\n').collect();
            let b: Vec<&str> = new.split_inclusive('\n').collect();
            // The header lines "---"/"+++" are excluded; a removed line "-- x" would start
            // with "--- " only if its text started with "-- ", which the generator never makes.
            assert_eq!(
                changed_lines(&diff),
                a.len() + b.len() - 2 * lcs(&a, &b),
                "case {case}: not minimal\n{diff}"
            );
        }
    }

    #[test]
    fn cost_limits_keep_the_diff_correct() {
        let mut rng = XorShift(0xdead_beef_cafe_f00d);
        let tight = [
            Limits {
                cost: Some(1),
                budget: u64::MAX,
            },
            Limits {
                cost: Some(3),
                budget: 50,
            },
            Limits {
                cost: None,
                budget: 0,
            },
        ];
        for case in 0..300 {
            // Few distinct lines make for long edit paths.
            let old: String = (0..rng.below(50))
                .map(|_| ["a\n", "b\n", "c\n", "\n"][rng.below(4)])
                .collect();
            let new = if case % 2 == 0 {
                edit(&mut rng, &old)
            } else {
                (0..rng.below(50))
                    .map(|_| ["a\n", "b\n", "c\n", "d\n"][rng.below(4)])
                    .collect()
            };
            let context = rng.below(4);
            for limits in tight {
                let diff = unified_diff_with(&old, &new, "a/f", "b/f", &plain(context), limits);
                assert_eq!(apply(&old, &diff, context), new, "{limits:?}\n{diff}");
            }
            check(&old, &new, context);
        }
    }

    #[test]
    fn fallbacks_happen_and_stay_consistent() {
        let mut rng = XorShift(7);
        let mut fallbacks = [0; 3];
        for _ in 0..200 {
            let a: Vec<u32> = (0..rng.below(80)).map(|_| rng.below(3) as u32).collect();
            let b: Vec<u32> = (0..rng.below(80)).map(|_| rng.below(3) as u32).collect();
            let limits = [
                Limits {
                    cost: Some(1),
                    budget: u64::MAX,
                },
                Limits {
                    cost: Some(4),
                    budget: 30,
                },
                Limits {
                    cost: None,
                    budget: u64::MAX,
                },
            ];
            for (n, limits) in limits.into_iter().enumerate() {
                let mut myers = Myers::new(&a, &b, limits);
                myers.run();
                fallbacks[n] += myers.fallbacks;
                // The unmarked elements of both sides are equal, in order.
                let kept_a: Vec<u32> = a
                    .iter()
                    .zip(&myers.del)
                    .filter(|p| !p.1)
                    .map(|p| *p.0)
                    .collect();
                let kept_b: Vec<u32> = b
                    .iter()
                    .zip(&myers.ins)
                    .filter(|p| !p.1)
                    .map(|p| *p.0)
                    .collect();
                assert_eq!(kept_a, kept_b);
                if n == 2 {
                    assert_eq!(kept_a.len(), {
                        let (a, b): (Vec<String>, Vec<String>) = (
                            a.iter().map(|x| x.to_string()).collect(),
                            b.iter().map(|x| x.to_string()).collect(),
                        );
                        let (a, b): (Vec<&str>, Vec<&str>) = (
                            a.iter().map(|s| s.as_str()).collect(),
                            b.iter().map(|s| s.as_str()).collect(),
                        );
                        lcs(&a, &b)
                    });
                }
            }
        }
        assert!(fallbacks[0] > 0 && fallbacks[1] > 0, "{fallbacks:?}");
        assert_eq!(fallbacks[2], 0);
    }

    #[test]
    fn large_input_is_fast_enough() {
        let mut rng = XorShift(42);
        let mut old = String::new();
        for i in 0..100_000 {
            match i % 7 {
                0 => old.push('\n'),
                1 => old.push_str("Advertisement\n"),
                _ => {
                    use std::fmt::Write as _;
                    let _ = writeln!(old, "Paragraph {i}. It has {} words.", rng.below(100));
                }
            }
        }
        let new = edit(&mut rng, &old);
        let started = std::time::Instant::now();
        let diff = udiff(&old, &new);
        let elapsed = started.elapsed();
        assert_eq!(apply(&old, &diff, 3), new);
        // Generous even for an unoptimized build; a quadratic diff would take minutes.
        assert!(elapsed.as_secs() < 20, "took {elapsed:?}");
    }
}
