//! JSON Lines: one article per record, its text in a (possibly nested) string field.
//!
//! Records are rewritten byte for byte except for the cleaned field: the field's string literal
//! is located by a small scanner over the raw line and only that span is replaced, so key order,
//! spacing, number formatting and the escapes of every other field stay as they were. A field
//! whose text does not change keeps its original literal too. Records stream in batches that are
//! cleaned in parallel and written in input order, so memory is bounded by a batch of records,
//! not by the file.

use crate::check::{Finding, findings};
use crate::{Options, clean, report};
use std::io::{self, Write};
use std::ops::Range;

/// Where the text is: `text`, or a dotted path such as `article.body`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldPath(Vec<String>);

impl FieldPath {
    pub fn parse(path: &str) -> Result<Self, String> {
        let parts: Vec<String> = path.split('.').map(str::to_owned).collect();
        if parts.iter().any(String::is_empty) {
            return Err(format!("invalid field path {path:?}: empty name"));
        }
        Ok(FieldPath(parts))
    }
}

impl std::fmt::Display for FieldPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0.join("."))
    }
}

/// What to do with a record that cannot be cleaned.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OnError {
    /// Report it as an error (exit status 2) and write the record back unchanged.
    #[default]
    Report,
    /// Write the record back unchanged with a note; not an error.
    Keep,
    /// Leave the record out of the output with a note; not an error.
    Skip,
    /// Stop at the first bad record (exit status 2).
    Fail,
}

/// Why a record cannot be cleaned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RecordError {
    Malformed(String),
    NotAnObject,
    MissingField(String),
    NotAString(String),
    /// The text is too large for the memory cleaning it needs.
    TooLarge(String),
}

impl std::fmt::Display for RecordError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RecordError::Malformed(e) => write!(f, "malformed JSON: {e}"),
            RecordError::NotAnObject => write!(f, "not a JSON object"),
            RecordError::MissingField(p) => write!(f, "no field {p:?}"),
            RecordError::NotAString(p) => write!(f, "field {p:?} is not a string"),
            RecordError::TooLarge(e) => write!(f, "{e}"),
        }
    }
}

/// A parse error of one record: serde_json says "at line 1 column N" of the record, which
/// reads as a line of the file next to the record's own line number; say the column alone.
fn malformed(e: serde_json::Error) -> RecordError {
    malformed_at(e, 0)
}

/// [`malformed`] for an error in the part of the record that starts at byte `offset`.
fn malformed_at(e: serde_json::Error, offset: usize) -> RecordError {
    let message = e.to_string();
    let what = message
        .rsplit_once(" at line ")
        .map_or(message.as_str(), |(what, _)| what);
    RecordError::Malformed(match e.column() {
        0 => what.to_owned(),
        column => format!("{what} at column {} of the record", column + offset),
    })
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\r' | b'\n') {
        i += 1;
    }
    i
}

/// End (exclusive) of the string literal starting at `i` (a `"`).
fn string_end(b: &[u8], mut i: usize) -> Option<usize> {
    i += 1;
    while i < b.len() {
        match b[i] {
            b'"' => return Some(i + 1),
            b'\\' => i += 2,
            _ => i += 1,
        }
    }
    None
}

/// End (exclusive) of the JSON value starting at `i`.
fn value_end(b: &[u8], i: usize) -> Option<usize> {
    match *b.get(i)? {
        b'"' => string_end(b, i),
        open @ (b'{' | b'[') => {
            let close = if open == b'{' { b'}' } else { b']' };
            let mut depth = 0usize;
            let mut j = i;
            while j < b.len() {
                match b[j] {
                    b'"' => {
                        j = string_end(b, j)?;
                        continue;
                    }
                    c if c == open => depth += 1,
                    c if c == close => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(j + 1);
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            None
        }
        _ => {
            let mut j = i;
            while j < b.len() && !matches!(b[j], b',' | b'}' | b']' | b' ' | b'\t' | b'\r' | b'\n')
            {
                j += 1;
            }
            Some(j)
        }
    }
}

/// The value span of `key` in the object starting at `i`, if present. With duplicate keys the
/// last one counts, as it does for most JSON parsers (serde_json, Python, JavaScript).
fn member(line: &str, i: usize, key: &str) -> Result<Option<Range<usize>>, RecordError> {
    let b = line.as_bytes();
    let bad = || RecordError::Malformed("unexpected structure".to_owned());
    let mut j = skip_ws(b, i + 1);
    let mut found = None;
    loop {
        match b.get(j) {
            Some(b'}') => return Ok(found),
            Some(b'"') => {}
            _ => return Err(bad()),
        }
        let key_end = string_end(b, j).ok_or_else(bad)?;
        let literal = &line[j..key_end];
        let matches = if literal.contains('\\') {
            serde_json::from_str::<String>(literal).is_ok_and(|k| k == key)
        } else {
            &literal[1..literal.len() - 1] == key
        };
        j = skip_ws(b, key_end);
        if b.get(j) != Some(&b':') {
            return Err(bad());
        }
        let start = skip_ws(b, j + 1);
        let end = value_end(b, start).ok_or_else(bad)?;
        if matches {
            found = Some(start..end);
        }
        j = skip_ws(b, end);
        match b.get(j) {
            Some(b',') => j = skip_ws(b, j + 1),
            Some(b'}') => return Ok(found),
            _ => return Err(bad()),
        }
    }
}

/// Validates a record and finds the byte range of the string literal at `path` (quotes
/// included) and its decoded text.
pub fn locate(line: &str, path: &FieldPath) -> Result<(Range<usize>, String), RecordError> {
    let span = locate_literal(line, path)?;
    let text = serde_json::from_str::<String>(&line[span.clone()]).map_err(malformed)?;
    Ok((span, text))
}

/// Validates a record and finds the byte range of the string literal at `path` (quotes
/// included), without decoding it.
fn locate_literal(line: &str, path: &FieldPath) -> Result<Range<usize>, RecordError> {
    serde_json::from_str::<serde::de::IgnoredAny>(line).map_err(malformed)?;
    let b = line.as_bytes();
    let mut at = skip_ws(b, 0);
    if b.get(at) != Some(&b'{') {
        return Err(RecordError::NotAnObject);
    }
    let name = path.to_string();
    for (k, key) in path.0.iter().enumerate() {
        let span = member(line, at, key)?.ok_or_else(|| RecordError::MissingField(name.clone()))?;
        if k + 1 == path.0.len() {
            if b[span.start] != b'"' {
                return Err(RecordError::NotAString(name));
            }
            return Ok(span);
        }
        if b[span.start] != b'{' {
            return Err(RecordError::MissingField(name));
        }
        at = span.start;
    }
    Err(RecordError::MissingField(name))
}

/// How a report names a record: `id=…` or `url=…` from a top-level field, when present.
pub fn identify(line: &str) -> Option<String> {
    let b = line.as_bytes();
    let at = skip_ws(b, 0);
    for key in ["id", "url"] {
        if let Ok(Some(span)) = member(line, at, key) {
            let raw = &line[span];
            let value = serde_json::from_str::<String>(raw).unwrap_or_else(|_| raw.to_owned());
            // Messages go to a terminal: a newline or an escape sequence in the data is shown,
            // not obeyed.
            let shown: String = value
                .chars()
                .map(|c| {
                    if c.is_control() {
                        c.escape_debug().to_string()
                    } else {
                        c.to_string()
                    }
                })
                .collect();
            return Some(format!("{key}={shown}"));
        }
    }
    None
}

/// What to compute for each record besides the cleaned text.
#[derive(Clone, Copy, Debug, Default)]
pub struct Wants {
    pub report: bool,
    pub explain: bool,
    pub findings: bool,
}

/// The outcome of one record.
#[derive(Clone, Debug)]
pub struct RecordResult {
    /// 1-based line of the record in its file or stream.
    pub line: usize,
    /// An empty line: kept as it is, not a record.
    pub blank: bool,
    /// `id=…` or `url=…`, when the record has one.
    pub id: Option<String>,
    pub error: Option<RecordError>,
    pub changed: bool,
    pub bytes_in: usize,
    pub bytes_out: usize,
    pub report: Option<String>,
    pub explain: Option<String>,
    pub findings: Vec<Finding>,
}

impl RecordResult {
    /// How messages name the record: `PATH:LINE` plus its id when it has one.
    pub fn name(&self, path: &str) -> String {
        match &self.id {
            Some(id) => format!("{path}:{} ({id})", self.line),
            None => format!("{path}:{}", self.line),
        }
    }
}

/// What becomes of a record line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Output {
    /// Written back as it was (unchanged, or after an error).
    Same,
    /// Written as this line (without its terminator).
    Cleaned(String),
    /// Left out (`--on-error skip`).
    LeftOut,
}

/// Cleans one record line (without its terminator). Returns what to write and what happened.
pub fn clean_record(
    raw: &str,
    number: usize,
    path: &str,
    field: &FieldPath,
    options: &Options,
    wants: Wants,
    on_error: OnError,
) -> (Output, RecordResult) {
    let mut result = RecordResult {
        line: number,
        blank: is_blank(raw),
        id: None,
        error: None,
        changed: false,
        bytes_in: raw.len(),
        bytes_out: raw.len(),
        report: None,
        explain: None,
        findings: Vec::new(),
    };
    if result.blank {
        return (Output::Same, result);
    }
    result.id = identify(raw);
    // A large text is checked against the memory limit first, as a large file is: an
    // allocation failing halfway would end the whole process. (The literal is at least as long
    // as its text.)
    let located = locate_literal(raw, field).and_then(|span| {
        crate::batch::reserve_working_memory(span.len() as u64)
            .map_err(|e| RecordError::TooLarge(e.to_string()))?;
        let text = serde_json::from_str::<String>(&raw[span.clone()])
            .map_err(|e| malformed_at(e, span.start))?;
        Ok((span, text))
    });
    let (span, text) = match located {
        Ok(found) => found,
        Err(err) => {
            result.error = Some(err);
            if on_error == OnError::Skip {
                result.bytes_out = 0;
                return (Output::LeftOut, result);
            }
            return (Output::Same, result);
        }
    };
    let cleaned = clean(&text, options);
    let name = result.name(path);
    if wants.report {
        let mut record: serde_json::Value =
            serde_json::from_str(&report::json_record(&name, &text, &cleaned)).unwrap_or_default();
        if let Some(object) = record.as_object_mut() {
            object.insert("path".into(), path.into());
            object.insert("record".into(), number.into());
            if let Some(id) = &result.id {
                object.insert("id".into(), id.as_str().into());
            }
        }
        result.report = Some(record.to_string());
    }
    if wants.explain {
        let shown = result.name(&crate::diff::shown(path));
        result.explain = Some(report::explain_record(
            &shown,
            &field.to_string(),
            &text,
            &cleaned,
        ));
    }
    if wants.findings {
        result.findings = findings(&text, &cleaned);
    }
    if !cleaned.changed() {
        return (Output::Same, result);
    }
    result.changed = true;
    let literal = serde_json::to_string(&cleaned.text).unwrap_or_default();
    let mut line = String::with_capacity(raw.len());
    line.push_str(&raw[..span.start]);
    line.push_str(&literal);
    line.push_str(&raw[span.end..]);
    result.bytes_out = line.len();
    (Output::Cleaned(line), result)
}

/// How many records are read before a batch is cleaned in parallel.
const BATCH_RECORDS: usize = 512;
/// How many bytes of records are read, at most, before a batch is cleaned.
const BATCH_BYTES: usize = 16 << 20;

/// Settings of a JSON Lines stream.
#[derive(Clone, Debug)]
pub struct Stream<'a> {
    pub path: &'a str,
    pub field: &'a FieldPath,
    pub options: &'a Options,
    pub wants: Wants,
    pub on_error: OnError,
    pub lossy: bool,
    /// Whether a byte order mark before the first record is written back: yes for a file of
    /// its own; for the second and later inputs joined on stdout it would land mid-stream.
    pub keep_bom: bool,
}

/// Why a stream ended early: its input failed (the next input can still be cleaned), or its
/// output did.
#[derive(Debug)]
pub enum StreamError {
    Read(io::Error),
    Write(io::Error),
}

impl From<StreamError> for io::Error {
    fn from(err: StreamError) -> Self {
        match err {
            StreamError::Read(e) | StreamError::Write(e) => e,
        }
    }
}

/// Cleans a JSON Lines stream from `reader` to `writer`, calling `each` with every record's
/// result in order. Line terminators (LF or CRLF) and empty lines are kept. Stops early only
/// with [`OnError::Fail`]; returns whether it stopped.
pub fn clean_stream(
    reader: &mut dyn crate::input::Source,
    writer: &mut dyn Write,
    stream: &Stream,
    each: &mut dyn FnMut(&RecordResult),
) -> Result<bool, StreamError> {
    use rayon::prelude::*;
    let mut number = 0usize;
    let mut failed = None;
    // The end of input is read once: on a terminal, reading again would wait for a second
    // Ctrl-D.
    let mut ended = false;
    while !ended {
        let mut batch: Vec<(usize, Vec<u8>)> = Vec::new();
        let mut bytes = 0;
        while batch.len() < BATCH_RECORDS && bytes < BATCH_BYTES {
            // Fed as it goes (`scraper | newsdedup --jsonl | next`): what has come is cleaned
            // and written now rather than held until a batch fills.
            if !batch.is_empty() && reader.would_wait() {
                break;
            }
            let mut line = Vec::new();
            match reader.read_until(b'\n', &mut line) {
                Ok(0) => {
                    ended = true;
                    break;
                }
                Ok(_) => {}
                // The records read before the error are still cleaned and written.
                Err(err) => {
                    failed = Some(err);
                    ended = true;
                    break;
                }
            }
            number += 1;
            bytes += line.len();
            batch.push((number, line));
        }
        if batch.is_empty() {
            break;
        }
        let results: Vec<(Vec<u8>, RecordResult)> = batch
            .into_par_iter()
            .map(|(number, line)| one_line(line, number, stream))
            .collect();
        for (out, result) in results {
            each(&result);
            if result.error.is_some() && stream.on_error == OnError::Fail {
                return Ok(true);
            }
            writer.write_all(&out).map_err(StreamError::Write)?;
        }
        if !ended && reader.would_wait() {
            writer.flush().map_err(StreamError::Write)?;
        }
    }
    match failed {
        Some(err) => Err(StreamError::Read(err)),
        None => Ok(false),
    }
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A line of a JSON Lines stream in its parts.
pub struct LineParts<'a> {
    /// A byte order mark before the first record (Windows tools, Python's "utf-8-sig"): not
    /// part of it; written back at the start of the output (see `Stream::keep_bom`).
    pub bom: &'static [u8],
    /// The record.
    pub body: &'a [u8],
    /// LF, CRLF, or nothing on a last line.
    pub terminator: &'static [u8],
}

/// Splits line `number` (1-based) of a stream, terminator included, into its parts.
pub fn split_line(line: &[u8], number: usize) -> LineParts<'_> {
    let terminator: &'static [u8] = if line.ends_with(b"\r\n") {
        b"\r\n"
    } else if line.ends_with(b"\n") {
        b"\n"
    } else {
        b""
    };
    let body = &line[..line.len() - terminator.len()];
    let bom: &'static [u8] = if number == 1 && body.starts_with(BOM) {
        BOM
    } else {
        b""
    };
    LineParts {
        bom,
        body: &body[bom.len()..],
        terminator,
    }
}

/// Whether a record line is empty: JSON's own white space only (a line of no-break spaces is
/// not).
pub fn is_blank(record: &str) -> bool {
    record
        .bytes()
        .all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
}

/// Cleans one line of a stream (with its terminator); returns the bytes to write. The line is
/// handed back when written as it was: a large record is never copied.
fn one_line(line: Vec<u8>, number: usize, stream: &Stream) -> (Vec<u8>, RecordResult) {
    let LineParts {
        bom,
        body,
        terminator,
    } = split_line(&line, number);
    let decoded = match std::str::from_utf8(body) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) if stream.lossy => String::from_utf8_lossy(body),
        Err(e) => {
            let result = RecordResult {
                line: number,
                blank: false,
                id: None,
                error: Some(RecordError::Malformed(format!(
                    "invalid UTF-8 at byte {} of the line",
                    e.valid_up_to()
                ))),
                changed: false,
                bytes_in: line.len(),
                bytes_out: line.len(),
                report: None,
                explain: None,
                findings: Vec::new(),
            };
            let out = match (stream.on_error == OnError::Skip, stream.keep_bom) {
                (true, true) => bom.to_vec(),
                (true, false) => Vec::new(),
                (false, true) => line,
                (false, false) => line[bom.len()..].to_vec(),
            };
            return (out, result);
        }
    };
    let (new, result) = clean_record(
        &decoded,
        number,
        stream.path,
        stream.field,
        stream.options,
        stream.wants,
        stream.on_error,
    );
    let out = match new {
        Output::LeftOut if stream.keep_bom => bom.to_vec(),
        Output::LeftOut => Vec::new(),
        Output::Cleaned(new) => {
            let mut out = if stream.keep_bom {
                bom.to_vec()
            } else {
                Vec::new()
            };
            out.extend_from_slice(new.as_bytes());
            out.extend_from_slice(terminator);
            out
        }
        // Unchanged, or written back after an error: the original bytes, even when lossy.
        Output::Same if stream.keep_bom || bom.is_empty() => {
            drop(decoded);
            line
        }
        Output::Same => line[bom.len()..].to_vec(),
    };
    (out, result)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(p: &str) -> FieldPath {
        FieldPath::parse(p).unwrap()
    }

    #[test]
    fn locates_nested_fields() {
        let line = r#"{"id": 7, "article": {"title": "T", "body": "a\nb \u00e9"}, "n": 1e400}"#;
        // 1e400 is out of range for f64 but valid JSON; IgnoredAny accepts it.
        let (span, text) = locate(line, &field("article.body")).unwrap();
        assert_eq!(&line[span], r#""a\nb \u00e9""#);
        assert_eq!(text, "a\nb é");
        assert_eq!(
            locate(line, &field("article.missing")),
            Err(RecordError::MissingField("article.missing".into()))
        );
        assert_eq!(
            locate(line, &field("id")),
            Err(RecordError::NotAString("id".into()))
        );
        assert!(matches!(
            locate("{\"a\": ", &field("a")),
            Err(RecordError::Malformed(_))
        ));
        assert_eq!(locate("[1]", &field("a")), Err(RecordError::NotAnObject));
    }

    #[test]
    fn the_last_of_duplicate_keys_counts() {
        let line = r#"{"a": {"text": "first"}, "a": {"text": "last"}}"#;
        assert_eq!(locate(line, &field("a.text")).unwrap().1, "last");
    }

    #[test]
    fn escaped_keys_match() {
        let line = r#"{"te\u0078t": "x"}"#;
        assert_eq!(locate(line, &field("text")).unwrap().1, "x");
    }

    #[test]
    fn only_the_field_changes() {
        let line = r#"{"z": 12345678901234567890, "text": "Title\nAdvertisement\nBody.", "a": "caf\u00e9"}"#;
        let (new, result) = clean_record(
            line,
            3,
            "f",
            &field("text"),
            &Options::default(),
            Wants::default(),
            OnError::Report,
        );
        assert!(result.changed);
        assert_eq!(
            new,
            Output::Cleaned(
                r#"{"z": 12345678901234567890, "text": "Title\nBody.", "a": "caf\u00e9"}"#
                    .to_owned()
            )
        );
    }

    #[test]
    fn identifies_records() {
        assert_eq!(
            identify(r#"{"url": "http://x", "text": ""}"#),
            Some("url=http://x".into())
        );
        assert_eq!(identify(r#"{"id": 42}"#), Some("id=42".into()));
        assert_eq!(identify(r#"{"text": ""}"#), None);
        assert_eq!(
            identify(r#"{"id": "a\nb\u001b[31m"}"#),
            Some(r"id=a\nb\u{1b}[31m".into())
        );
    }
}
