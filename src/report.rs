//! Reports: the JSON Lines record of each article's removals and moves (`--report`), and the
//! readable form of the same (`--explain`).

use crate::{Cleaned, Reason, Span};
use serde::Serialize;
use std::fmt::Write as _;

/// A span as written in reports: 1-based line, byte range `[start, end)` of the input.
#[derive(Serialize)]
struct SpanRecord {
    line: usize,
    start: usize,
    end: usize,
}

impl From<Span> for SpanRecord {
    fn from(s: Span) -> Self {
        SpanRecord {
            line: s.line,
            start: s.start,
            end: s.end,
        }
    }
}

#[derive(Serialize)]
struct RemovalRecord<'a> {
    reason: Reason,
    line: usize,
    start: usize,
    end: usize,
    text: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    kept: Option<SpanRecord>,
    #[serde(skip_serializing_if = "Option::is_none")]
    similarity: Option<f32>,
}

#[derive(Serialize)]
struct MoveRecord<'a> {
    line: usize,
    start: usize,
    end: usize,
    text: &'a str,
    after: SpanRecord,
}

#[derive(Serialize)]
struct ArticleRecord<'a> {
    path: &'a str,
    changed: bool,
    bytes_in: usize,
    bytes_out: usize,
    removals: Vec<RemovalRecord<'a>>,
    moves: Vec<MoveRecord<'a>>,
}

/// One JSON object (no trailing newline) describing what cleaning `input` did.
pub fn json_record(path: &str, input: &str, cleaned: &Cleaned) -> String {
    let record = ArticleRecord {
        path,
        changed: cleaned.changed(),
        bytes_in: cleaned.bytes_in,
        bytes_out: cleaned.text.len(),
        removals: cleaned
            .removals
            .iter()
            .map(|r| RemovalRecord {
                reason: r.reason,
                line: r.span.line,
                start: r.span.start,
                end: r.span.end,
                text: &input[r.span.start..r.span.end],
                kept: r.kept.map(SpanRecord::from),
                // Two decimals are all a reader needs, and they keep the report stable.
                similarity: r.similarity.map(|s| (s * 100.0).floor() / 100.0),
            })
            .collect(),
        moves: cleaned
            .moves
            .iter()
            .map(|m| MoveRecord {
                line: m.span.line,
                start: m.span.start,
                end: m.span.end,
                text: &input[m.span.start..m.span.end],
                after: m.after.into(),
            })
            .collect(),
    };
    // Serializing plain structs of strings and numbers cannot fail.
    serde_json::to_string(&record).unwrap_or_default()
}

/// A path's raw bytes (the OS's own: bytes on Unix), base64-encoded, when its name is not
/// valid UTF-8: JSON gives such a name as a lossy string (U+FFFD) under `path`, and this, under
/// `path_bytes`, is how a reader finds the file again. `None` for a UTF-8 name.
pub fn path_bytes(path: &std::path::Path) -> Option<String> {
    if path.to_str().is_some() {
        return None;
    }
    Some(base64(path.as_os_str().as_encoded_bytes()))
}

/// `line`, one JSON object, with `"path_bytes"` (see [`path_bytes`]) added at its end when
/// `path`'s name is not valid UTF-8.
pub fn with_path_bytes(mut line: String, path: &std::path::Path) -> String {
    if let Some(bytes) = path_bytes(path)
        && line.ends_with('}')
    {
        line.pop();
        let _ = write!(line, ",\"path_bytes\":\"{bytes}\"}}");
    }
    line
}

/// Standard base64 (RFC 4648, with `=` padding).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Shortens `text` to at most `max` characters, marking the cut with `…`.
/// The first `max` characters of `text`, and "…" when there was more.
pub(crate) fn excerpt(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

/// `text` in double quotes for a terminal: quotes, backslashes, control characters and the
/// invisible ones (zero-width, direction marks and overrides, byte order mark) escaped as Rust
/// writes them (`\"`, `\n`, `\u{200b}`). Unlike `{:?}` it leaves combining marks as they are,
/// so Hindi, Thai or vowelled Arabic stay readable.
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control()
                || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
                    | '\u{2060}'..='\u{2069}' | '\u{FEFF}') =>
            {
                out.extend(c.escape_debug());
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The readable account of what cleaning `input` did: one line per removal and move, then a
/// summary line. Empty when nothing changed. Lines are located as `PATH:LINE:`.
pub fn explain(path: &str, input: &str, cleaned: &Cleaned) -> String {
    explain_at(path, |line| format!("{path}:{line}"), input, cleaned)
}

/// [`explain`] for the text of a JSON Lines record named `record` (`news.jsonl:12 (id=17)`):
/// a line inside the text is located as `RECORD: line N of "FIELD":`, so that the record's line
/// in the file and the line in its text cannot be read as `file:line:column`.
pub fn explain_record(record: &str, field: &str, input: &str, cleaned: &Cleaned) -> String {
    explain_at(
        record,
        |line| format!("{record}: line {line} of {field:?}"),
        input,
        cleaned,
    )
}

/// The account with each removal and move located by `at(line)`; the summary names `name`.
fn explain_at(name: &str, at: impl Fn(usize) -> String, input: &str, cleaned: &Cleaned) -> String {
    let mut out = String::new();
    if !cleaned.changed() {
        return out;
    }
    // A kept copy may run over several lines (the paragraphed copy a flattened line repeats).
    let kept_lines = |kept: crate::Span| match kept.last_line(input) {
        last if last > kept.line => format!("lines {}-{last}", kept.line),
        _ => format!("line {}", kept.line),
    };
    // One line per removal and move, in input order.
    let mut lines: Vec<(usize, String)> = Vec::new();
    for r in &cleaned.removals {
        let what = match (r.reason, r.kept) {
            (Reason::Repeat, Some(kept)) => match r.similarity {
                Some(s) => format!(
                    "near repeat ({:.2}) of {}",
                    (s * 100.0).floor() / 100.0,
                    kept_lines(kept)
                ),
                None => format!("repeat of {}", kept_lines(kept)),
            },
            (Reason::Repeat, None) => "leftover inside a repeated block".to_owned(),
            (Reason::Boilerplate, _) => "boilerplate".to_owned(),
        };
        let line = format!(
            "{}: removed {what}: {}\n",
            at(r.span.line),
            quoted(&excerpt(&input[r.span.start..r.span.end], 60))
        );
        lines.push((r.span.start, line));
    }
    for m in &cleaned.moves {
        let line = format!(
            "{}: moved after line {} (missing from the first copy): {}\n",
            at(m.span.line),
            m.after.line,
            quoted(&excerpt(&input[m.span.start..m.span.end], 60))
        );
        lines.push((m.span.start, line));
    }
    lines.sort_by_key(|(start, _)| *start);
    for (_, line) in lines {
        out.push_str(&line);
    }
    let _ = writeln!(
        out,
        "{name}: {} -> {} bytes, {} removed, {} moved",
        cleaned.bytes_in,
        cleaned.text.len(),
        cleaned.removals.len(),
        cleaned.moves.len()
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Options, clean};

    #[test]
    fn excerpt_cuts_on_characters() {
        assert_eq!(excerpt("ééééé", 3), "ééé…");
        assert_eq!(excerpt("abc", 3), "abc");
    }

    #[test]
    fn quoting_keeps_combining_marks_and_escapes_the_invisible() {
        // Devanagari vowel signs and a combining acute stay as written ({:?} escapes them).
        assert_eq!(quoted("मुंबई में"), "\"मुंबई में\"");
        assert_eq!(quoted("Cafe\u{301}"), "\"Cafe\u{301}\"");
        assert_eq!(
            quoted("a \"b\" \\ c\td\u{200B}e\u{202E}"),
            "\"a \\\"b\\\" \\\\ c\\td\\u{200b}e\\u{202e}\""
        );
    }

    #[test]
    fn base64_matches_rfc_4648() {
        for (input, expected) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(input.as_bytes()), expected);
        }
        assert_eq!(base64(&[0xff, 0xfe, 0x00]), "//4A");
    }

    #[test]
    fn json_record_lists_removals() {
        let input = "Title\nAdvertisement\nBody text.\n";
        let cleaned = clean(input, &Options::default());
        let record: serde_json::Value =
            serde_json::from_str(&json_record("a.txt", input, &cleaned)).unwrap();
        assert_eq!(record["path"], "a.txt");
        assert_eq!(record["changed"], true);
        assert_eq!(record["removals"][0]["reason"], "boilerplate");
        assert_eq!(record["removals"][0]["line"], 2);
        assert_eq!(record["removals"][0]["text"], "Advertisement");
        assert_eq!(record["bytes_out"], 17);
    }

    #[test]
    fn explain_names_every_line_of_a_flattened_lines_kept_copy() {
        let input = include_str!("../fixtures/near_flattened_copy_first.txt");
        let text = explain("a.txt", input, &clean(input, &Options::default()));
        assert!(
            text.starts_with("a.txt:2: removed repeat of lines 3-6: "),
            "{text}"
        );
    }

    #[test]
    fn explain_lists_removals_and_moves_in_line_order() {
        let input = include_str!("../fixtures/seed_kerry_moscow_repeated_block.txt");
        let cleaned = clean(input, &Options::default());
        assert!(!cleaned.moves.is_empty());
        let text = explain("seed.txt", input, &cleaned);
        let lines: Vec<usize> = text
            .lines()
            .filter_map(|l| l.strip_prefix("seed.txt:")?.split(':').next()?.parse().ok())
            .collect();
        assert_eq!(lines.len(), cleaned.removals.len() + cleaned.moves.len());
        assert!(lines.is_sorted(), "{lines:?}");
    }
}
