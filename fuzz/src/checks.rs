//! The invariants the fuzz targets check, one function per target. Each takes the raw fuzz
//! input and panics when an invariant fails.
//!
//! This file is compiled twice: into the fuzz crate (`fuzz/src/lib.rs`) and, through
//! `#[path]`, into the main crate's `tests/fuzz_corpus.rs`, which replays the committed corpus
//! in `tests/fuzz-corpus/<target>/`. It may therefore only use crates that the main crate's
//! tests can see: `newsdedup`, `serde_json`, `tempfile`.

use newsdedup::batch::{self, BatchConfig, Job, Status, Target};
use newsdedup::boilerplate::{Boilerplate, MAX_FURNITURE_BYTES};
use newsdedup::diff::{DiffStyle, unified_diff};
use newsdedup::jsonl::{self, FieldPath, OnError};
use newsdedup::{Cleaned, Options, Span, check, clean, input, report};
use std::fs;

/// `--min-block-chars` values the first input byte chooses from (0 and 1 make every repeat a
/// block, which stresses idempotence far more than the default).
const MIN_BLOCK_CHARS: [usize; 8] = [150, 0, 1, 20, 60, 150, 300, usize::MAX];

/// Cleaning options from the first input byte: bit 0 turns merging off, bits 1-3 pick
/// `min_block_chars`.
fn options_from(flags: u8) -> Options {
    Options {
        merge: flags & 1 == 0,
        min_block_chars: MIN_BLOCK_CHARS[usize::from((flags >> 1) & 7)],
        ..Options::default()
    }
}

fn is_subsequence(needle: &[u8], haystack: &[u8]) -> bool {
    let mut it = haystack.iter();
    needle.iter().all(|b| it.any(|h| h == b))
}

fn byte_counts(bytes: &[u8]) -> [usize; 256] {
    let mut counts = [0; 256];
    for &b in bytes {
        counts[usize::from(b)] += 1;
    }
    counts
}

/// 1-based line of byte offset `at`.
fn line_at(text: &str, at: usize) -> usize {
    text.as_bytes()[..at]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

fn check_span(text: &str, span: &Span, what: &str) {
    assert!(
        span.start <= span.end && span.end <= text.len(),
        "{what} span {span:?} out of bounds (len {})",
        text.len()
    );
    assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "{what} span {span:?} not on char boundaries"
    );
    assert_eq!(
        span.line,
        line_at(text, span.start),
        "{what} span {span:?} line"
    );
}

/// Every invariant of one cleaning of `text`.
fn check_cleaned(text: &str, options: &Options, cleaned: &Cleaned) {
    let out = cleaned.text.as_str();
    assert_eq!(cleaned.bytes_in, text.len(), "bytes_in");
    assert!(out.len() <= text.len(), "output longer than input");
    // Output only input bytes: in input order without merge, a sub-multiset with it.
    if options.merge {
        let (have, got) = (byte_counts(text.as_bytes()), byte_counts(out.as_bytes()));
        assert!(
            have.iter().zip(got.iter()).all(|(h, o)| o <= h),
            "output holds bytes the input lacks"
        );
    } else {
        assert!(
            is_subsequence(out.as_bytes(), text.as_bytes()),
            "output is not a subsequence of the input"
        );
    }
    // Nothing to remove: byte-identical. Something removed: the text differs.
    if !cleaned.changed() {
        assert_eq!(out, text, "unchanged article was rewritten");
    }
    if out != text {
        assert!(cleaned.changed(), "text changed without a removal or move");
    }
    if !out.is_empty() {
        assert_eq!(
            out.ends_with('\n'),
            text.ends_with('\n'),
            "final line terminator not kept"
        );
    }
    for r in &cleaned.removals {
        check_span(text, &r.span, "removal");
        if let Some(kept) = &r.kept {
            check_span(text, kept, "kept");
            // The copy a repeat names is not itself removed, for any reason: the report points
            // at the copy that stays (a repeat of text that went as furniture or as punctuation
            // left over is reported as that, with no copy).
            let gone = cleaned.removals.iter().any(|o| {
                o.span.start <= kept.start && kept.end <= o.span.end && kept.start < kept.end
            });
            assert!(!gone, "kept copy {kept:?} of {:?} was removed", r.span);
        }
    }
    for m in &cleaned.moves {
        check_span(text, &m.span, "move");
        check_span(text, &m.after, "move anchor");
    }
    // Idempotent: cleaning the output again changes nothing.
    let again = clean(out, options);
    assert_eq!(again.text, out, "cleaning is not idempotent");
    assert!(!again.changed(), "second cleaning reports changes");
}

/// The report paths: JSON record, explanation, check findings, unified diff.
fn check_reports(text: &str, cleaned: &Cleaned) {
    let record = report::json_record("fuzz.txt", text, cleaned);
    let value: serde_json::Value = serde_json::from_str(&record).expect("report is JSON");
    assert_eq!(value["bytes_in"], text.len());
    assert_eq!(value["bytes_out"], cleaned.text.len());
    assert_eq!(value["changed"], cleaned.changed());
    let removals = value["removals"].as_array().expect("removals array");
    assert_eq!(removals.len(), cleaned.removals.len());
    for (json, r) in removals.iter().zip(&cleaned.removals) {
        assert_eq!(json["text"], text[r.span.start..r.span.end]);
    }
    let explain = report::explain("fuzz.txt", text, cleaned);
    assert_eq!(explain.is_empty(), !cleaned.changed(), "explain vs changed");
    let findings = check::findings(text, cleaned);
    if !cleaned.changed() {
        assert!(findings.is_empty(), "findings for an unchanged article");
    }
    let _ = check::human_line("fuzz.txt", &findings);
    let _ = check::github_lines("fuzz.txt", &findings);
    let diff = unified_diff(text, &cleaned.text, "a", "b", &DiffStyle::default());
    assert_eq!(diff.is_empty(), cleaned.text == text, "diff vs output");
}

/// Target `clean`: byte 0 chooses the options, the rest is the article (decoded lossily, as
/// `--lossy` does). Checks: no panic, output made only of input bytes, spans valid,
/// idempotent, unchanged means byte-identical, reports consistent.
pub fn check_clean(data: &[u8]) {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let options = options_from(flags);
    let text = match input::decode(rest, true) {
        Ok(text) => text,
        Err(input::InputError::Binary { offset, .. }) => {
            assert_eq!(rest[offset], 0, "binary offset points at a NUL");
            return;
        }
        Err(err) => panic!("lossy decoding failed: {err}"),
    };
    if let Ok(strict) = std::str::from_utf8(rest) {
        assert_eq!(strict, &*text, "valid UTF-8 decoded unchanged");
    }
    let cleaned = clean(&text, &options);
    check_cleaned(&text, &options, &cleaned);
    check_reports(&text, &cleaned);
}

/// Target `boilerplate`: the input up to the first NUL is a user boilerplate list, the rest
/// the lines to classify. Checks: an error names the list and a line of it; a list that builds
/// classifies every line, never calls a blank or an over-long line furniture, and each literal
/// phrase of the list is furniture on a line of its own.
pub fn check_boilerplate(data: &[u8]) {
    let split = data.iter().position(|&b| b == 0).unwrap_or(data.len());
    let list = String::from_utf8_lossy(&data[..split]);
    let article = String::from_utf8_lossy(data.get(split + 1..).unwrap_or_default());
    let lists = [("fuzz.txt".to_owned(), list.to_string())];
    let matcher = match Boilerplate::new(false, &lists) {
        Ok(matcher) => matcher,
        Err(err) => {
            assert_eq!(
                err.source_name, "fuzz.txt",
                "error does not name the list: {err}"
            );
            let lines = list.lines().count();
            assert!(
                (1..=lines).contains(&err.line),
                "error line {} outside 1..={lines}: {err}",
                err.line
            );
            return;
        }
    };
    let lines: Vec<&str> = article.split('\n').collect();
    let mut furniture = Vec::new();
    matcher.classify(&lines, &mut furniture);
    assert_eq!(furniture.len(), lines.len());
    for (line, &is_furniture) in lines.iter().zip(&furniture) {
        if is_furniture {
            let trimmed = line.trim_matches(|c: char| {
                c.is_whitespace() || matches!(c, '\u{feff}' | '\u{200b}'..='\u{200d}' | '\u{2060}')
            });
            assert!(!trimmed.is_empty(), "blank line {line:?} is furniture");
            assert!(
                trimmed.len() <= MAX_FURNITURE_BYTES,
                "line of {} bytes is furniture",
                trimmed.len()
            );
        }
    }
    let mut again = Vec::new();
    matcher.classify(&lines, &mut again);
    assert_eq!(furniture, again, "classification is not deterministic");
    // Each literal phrase matches itself on a line of its own.
    for entry in list.lines() {
        let entry = entry.trim();
        if entry.is_empty()
            || entry.starts_with('#')
            || entry.starts_with("re:")
            || entry.len() > MAX_FURNITURE_BYTES
        {
            continue;
        }
        matcher.classify(&[entry], &mut again);
        assert!(again[0], "literal {entry:?} does not match itself");
    }
}

/// `data` is article text. The built-in boilerplate lists answer the same through their
/// ready-made automata (trie + generated DFAs) as through the regex compiled from the lists,
/// line by line and with share words next to each other.
pub fn check_furniture(data: &[u8]) {
    use std::sync::OnceLock;
    static MATCHERS: OnceLock<(Boilerplate, Boilerplate)> = OnceLock::new();
    let (automata, regex) = MATCHERS.get_or_init(|| {
        (
            Boilerplate::automata_only(),
            Boilerplate::builtin_compiled(),
        )
    });
    assert!(automata.uses_automata() && !regex.uses_automata());
    let text = String::from_utf8_lossy(data);
    let lines: Vec<&str> = text.split('\n').collect();
    let (mut a, mut b) = (Vec::new(), Vec::new());
    automata.classify(&lines, &mut a);
    regex.classify(&lines, &mut b);
    for (i, line) in lines.iter().enumerate() {
        assert_eq!(
            a[i],
            b[i],
            "line {} {line:?}: automata say {}, regex {}",
            i + 1,
            a[i],
            b[i]
        );
    }
}

/// Target `batch`: byte 0 chooses the options (bit 4: `--lossy`), the rest is written to a
/// file that a batch cleans in place and into an output folder, with report, explanation,
/// findings and diff. Checks: an input that is refused (binary, invalid UTF-8) leaves the file
/// byte-identical and fails with its reason; an unchanged file is not rewritten; a changed
/// one holds exactly the cleaned text; the output folder holds the cleaned text; no temporary
/// file is left.
pub fn check_batch(data: &[u8]) {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let lossy = flags & 0x10 != 0;
    let config = |target| BatchConfig {
        options: options_from(flags),
        target,
        lossy,
        report: true,
        explain: true,
        findings: true,
        diff: Some(DiffStyle::default()),
        jsonl: None,
        every_record: false,
    };
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join("a.txt");
    fs::write(&path, rest).expect("write input");
    let job = Job {
        path: path.clone(),
        explicit: true,
    };
    let out_dir = dir.path().join("out");
    let mirrored = batch::mirrored_path(&out_dir, &path);
    // What the file must hold afterwards: with `--lossy`, the cleaned text of the decoded
    // input if cleaning changed it; otherwise the original bytes, untouched.
    let expected = input::decode(rest, lossy).map(|text| {
        let cleaned = clean(&text, &options_from(flags));
        (cleaned.changed(), cleaned.text)
    });

    let in_place = batch::process(&job, &config(Target::InPlace));
    let now = fs::read(&path).expect("read back");
    match &expected {
        Err(err) => {
            assert_eq!(in_place.status, Status::Failed(err.to_string()));
            assert_eq!(now, rest, "refused input was modified");
        }
        Ok((false, _)) => {
            assert_eq!(in_place.status, Status::Unchanged);
            assert_eq!(now, rest, "unchanged file was rewritten");
        }
        Ok((true, text)) => {
            assert_eq!(in_place.status, Status::Changed);
            assert_eq!(now, text.as_bytes(), "in-place result differs from clean()");
        }
    }
    if let Some(report) = &in_place.report {
        let _: serde_json::Value = serde_json::from_str(report).expect("report is JSON");
    }

    fs::write(&path, rest).expect("write input");
    let copied = batch::process(
        &job,
        &config(Target::OutDir {
            dir: out_dir,
            force: false,
        }),
    );
    match &expected {
        Err(_) => {
            assert!(matches!(copied.status, Status::Failed(_)));
            assert!(!mirrored.exists(), "output written for a refused input");
        }
        Ok((_, text)) => {
            assert!(
                !matches!(copied.status, Status::Failed(_)),
                "{:?}",
                copied.status
            );
            assert_eq!(fs::read(&mirrored).expect("mirrored file"), text.as_bytes());
        }
    }
    assert_eq!(
        fs::read(&path).expect("read back"),
        rest,
        "input touched by --out-dir"
    );
    let leftovers: Vec<_> = walk_names(dir.path())
        .into_iter()
        .filter(|name| name.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

/// All file names below `dir`.
fn walk_names(dir: &std::path::Path) -> Vec<String> {
    let mut names = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).expect("read_dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                names.push(entry.file_name().to_string_lossy().into_owned());
            }
        }
    }
    names
}

/// Runs a JSON Lines stream through `clean_stream` (errors reported, records kept).
fn jsonl_pass(data: &[u8], field: &FieldPath, options: &Options, lossy: bool) -> Vec<u8> {
    let stream = jsonl::Stream {
        path: "fuzz.jsonl",
        field,
        options,
        wants: jsonl::Wants {
            report: true,
            explain: true,
            findings: true,
        },
        on_error: OnError::Report,
        lossy,
        keep_bom: true,
    };
    let mut out = Vec::new();
    let stopped = jsonl::clean_stream(&mut &data[..], &mut out, &stream, &mut |_| {})
        .expect("in-memory streams do not fail");
    assert!(!stopped, "stopped although errors are only reported");
    out
}

/// The value at a dotted path.
fn field_of<'v>(value: &'v serde_json::Value, path: &[&str]) -> Option<&'v serde_json::Value> {
    path.iter().try_fold(value, |v, key| v.get(key))
}

/// Target `jsonl`: byte 0 chooses the options (bit 4: `--lossy`, bit 5: field `a.text`
/// instead of `text`), the rest is a JSON Lines file. Checks: one output line per input line
/// with the same terminator; a record that is not rewritten is byte-identical; a rewritten
/// record is JSON equal to the input with only the field replaced by `clean()` of it; a second
/// pass changes nothing.
pub fn check_jsonl(data: &[u8]) {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let options = options_from(flags);
    let lossy = flags & 0x10 != 0;
    let path: &[&str] = if flags & 0x20 != 0 {
        &["a", "text"]
    } else {
        &["text"]
    };
    let field = FieldPath::parse(&path.join(".")).expect("valid field path");
    let out = jsonl_pass(rest, &field, &options, lossy);
    let lines_in: Vec<&[u8]> = rest.split_inclusive(|&b| b == b'\n').collect();
    let lines_out: Vec<&[u8]> = out.split_inclusive(|&b| b == b'\n').collect();
    assert_eq!(lines_in.len(), lines_out.len(), "record count");
    for (a, b) in lines_in.iter().zip(&lines_out) {
        if a == b {
            continue;
        }
        assert_eq!(a.ends_with(b"\r\n"), b.ends_with(b"\r\n"), "terminator");
        assert_eq!(a.ends_with(b"\n"), b.ends_with(b"\n"), "terminator");
        // A byte order mark before the first record stays, and is not part of it.
        let bom = b"\xEF\xBB\xBF";
        assert_eq!(a.starts_with(bom), b.starts_with(bom), "byte order mark");
        let (a, b) = (
            a.strip_prefix(bom).unwrap_or(a),
            b.strip_prefix(bom).unwrap_or(b),
        );
        let input: serde_json::Value =
            serde_json::from_slice(String::from_utf8_lossy(a).as_bytes())
                .expect("a rewritten record was JSON");
        let output: serde_json::Value =
            serde_json::from_slice(b).expect("a rewritten record is JSON");
        let text = field_of(&input, path)
            .and_then(serde_json::Value::as_str)
            .expect("a rewritten record has the field");
        let mut expected = input.clone();
        let slot = path
            .iter()
            .try_fold(&mut expected, |v, key| v.get_mut(key))
            .expect("field");
        *slot = serde_json::Value::String(clean(text, &options).text);
        assert_eq!(output, expected, "record rewritten beyond its field");
    }
    assert_eq!(
        jsonl_pass(&out, &field, &options, lossy),
        out,
        "second pass changed records"
    );
}
