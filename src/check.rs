//! Check mode: what cleaning would change, as findings grouped the way a person reads them
//! (a repeated block of N paragraphs, boilerplate lines, moved paragraphs), and the formats
//! they are printed in: human lines, one JSON document, GitHub Actions annotations.

use crate::{Cleaned, Reason};
use serde::Serialize;

/// What a finding is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A repeated block (one or more consecutive removed repeats).
    Repeat,
    /// One boilerplate line (or the furniture left of a line).
    Boilerplate,
    /// A paragraph that would move into the first copy.
    Move,
}

/// A range of lines and bytes of the input (lines 1-based and inclusive, bytes half-open).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Place {
    pub first_line: usize,
    pub last_line: usize,
    pub start: usize,
    pub end: usize,
}

impl Place {
    fn join(self, other: Place) -> Place {
        Place {
            first_line: self.first_line.min(other.first_line),
            last_line: self.last_line.max(other.last_line),
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    fn lines(&self) -> String {
        if self.first_line == self.last_line {
            format!("line {}", self.first_line)
        } else {
            format!("lines {}-{}", self.first_line, self.last_line)
        }
    }

    fn bare_lines(&self) -> String {
        if self.first_line == self.last_line {
            self.first_line.to_string()
        } else {
            format!("{}-{}", self.first_line, self.last_line)
        }
    }
}

/// One thing cleaning would change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub kind: Kind,
    #[serde(flatten)]
    pub place: Place,
    /// Repeats: how many paragraphs (lines) the block touches.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paragraphs: Option<usize>,
    /// Repeats: the copy that stays. Moves: the line the paragraph would follow.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kept: Option<Place>,
    /// The input text of the finding.
    pub text: String,
}

/// The place of `span` in `input`.
fn line_place(input: &str, span: crate::Span) -> Place {
    Place {
        first_line: span.line,
        last_line: span.last_line(input),
        start: span.start,
        end: span.end,
    }
}

/// Groups what cleaning `input` did into findings, in input order. Consecutive repeat removals
/// form one block when only removed or blank lines stand between them.
pub fn findings(input: &str, cleaned: &Cleaned) -> Vec<Finding> {
    let blank_lines = blank_line_numbers(input, cleaned);
    let removed_lines: std::collections::BTreeSet<usize> = cleaned
        .removals
        .iter()
        .map(|r| r.span.line)
        .chain(cleaned.moves.iter().map(|m| m.span.line))
        .collect();
    let only_gap = |from: usize, to: usize| {
        (from + 1..to).all(|l| removed_lines.contains(&l) || blank_lines.contains(&l))
    };
    let mut out: Vec<Finding> = Vec::new();
    let mut block: Option<(Place, Option<Place>, std::collections::BTreeSet<usize>)> = None;
    let flush = |block: &mut Option<(Place, Option<Place>, std::collections::BTreeSet<usize>)>,
                 out: &mut Vec<Finding>| {
        if let Some((place, kept, lines)) = block.take() {
            out.push(Finding {
                kind: Kind::Repeat,
                place,
                paragraphs: Some(lines.len()),
                kept,
                text: input[place.start..place.end].to_owned(),
            });
        }
    };
    for removal in &cleaned.removals {
        let place = line_place(input, removal.span);
        match removal.reason {
            Reason::Boilerplate => out.push(Finding {
                kind: Kind::Boilerplate,
                place,
                paragraphs: None,
                kept: None,
                text: input[place.start..place.end].to_owned(),
            }),
            Reason::Repeat => {
                let kept = removal.kept.map(|k| line_place(input, k));
                let continues = block.as_ref().is_some_and(|(b, _, _)| {
                    place.first_line <= b.last_line || only_gap(b.last_line, place.first_line)
                });
                if !continues {
                    flush(&mut block, &mut out);
                }
                let (b, k, lines) = block.get_or_insert((place, kept, Default::default()));
                *b = b.join(place);
                *k = match (*k, kept) {
                    (Some(a), Some(c)) => Some(a.join(c)),
                    (a, c) => a.or(c),
                };
                lines.insert(place.first_line);
            }
        }
    }
    flush(&mut block, &mut out);
    for m in &cleaned.moves {
        let place = line_place(input, m.span);
        out.push(Finding {
            kind: Kind::Move,
            place,
            paragraphs: None,
            kept: Some(line_place(input, m.after)),
            text: input[place.start..place.end].to_owned(),
        });
    }
    out.sort_by_key(|f| (f.place.start, f.kind as u8));
    out
}

/// The numbers of the blank lines between the first and last removal (the only ones needed).
fn blank_line_numbers(input: &str, cleaned: &Cleaned) -> std::collections::BTreeSet<usize> {
    let (Some(first), Some(last)) = (
        cleaned.removals.iter().map(|r| r.span.line).min(),
        cleaned.removals.iter().map(|r| r.span.line).max(),
    ) else {
        return Default::default();
    };
    input
        .split('\n')
        .enumerate()
        .skip(first - 1)
        .take(last + 1 - first)
        .filter(|(_, l)| l.chars().all(crate::segment::is_invisible))
        .map(|(i, _)| i + 1)
        .collect()
}

/// Which findings make the exit status 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum FailOn {
    /// Repeated blocks (and the moves that come with them).
    Repeats,
    Boilerplate,
    #[default]
    Any,
}

impl FailOn {
    /// Whether `findings` contain one that fails the check.
    pub fn fails(self, findings: &[Finding]) -> bool {
        findings.iter().any(|f| match self {
            FailOn::Any => true,
            FailOn::Repeats => matches!(f.kind, Kind::Repeat | Kind::Move),
            FailOn::Boilerplate => f.kind == Kind::Boilerplate,
        })
    }
}

pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The human line for one article with findings, e.g.
/// `out/a.txt: repeated block of 15 paragraphs (lines 17-33, copy of 2-16); 1 boilerplate line (19)`.
pub fn human_line(path: &str, findings: &[Finding]) -> String {
    let mut parts = Vec::new();
    for f in findings.iter().filter(|f| f.kind == Kind::Repeat) {
        let copy = f
            .kept
            .map(|k| format!(", copy of {}", k.bare_lines()))
            .unwrap_or_default();
        parts.push(format!(
            "repeated block of {} ({}{copy})",
            plural(f.paragraphs.unwrap_or(1), "paragraph", "paragraphs"),
            f.place.lines()
        ));
    }
    let boilerplate: Vec<String> = findings
        .iter()
        .filter(|f| f.kind == Kind::Boilerplate)
        .map(|f| f.place.bare_lines())
        .collect();
    if !boilerplate.is_empty() {
        parts.push(format!(
            "{} ({})",
            plural(boilerplate.len(), "boilerplate line", "boilerplate lines"),
            boilerplate.join(", ")
        ));
    }
    for f in findings.iter().filter(|f| f.kind == Kind::Move) {
        let after = f
            .kept
            .map(|k| format!(", after {}", k.lines()))
            .unwrap_or_default();
        parts.push(format!("moved paragraph ({}{after})", f.place.lines()));
    }
    format!("{path}: {}", parts.join("; "))
}

/// Totals over a whole check.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    pub articles: usize,
    pub changed: usize,
    pub repeated_blocks: usize,
    pub boilerplate_lines: usize,
    pub moved_paragraphs: usize,
    pub errors: usize,
}

impl Totals {
    pub fn add(&mut self, findings: &[Finding]) {
        self.articles += 1;
        if !findings.is_empty() {
            self.changed += 1;
        }
        for f in findings {
            match f.kind {
                Kind::Repeat => self.repeated_blocks += 1,
                Kind::Boilerplate => self.boilerplate_lines += 1,
                Kind::Move => self.moved_paragraphs += 1,
            }
        }
    }

    /// `3 of 120 articles need cleaning: 2 repeated blocks, 5 boilerplate lines`.
    pub fn human_summary(&self) -> String {
        let mut line = if self.changed == 0 {
            format!(
                "{} clean",
                plural(self.articles, "article is", "articles are")
            )
        } else {
            let mut parts = vec![
                plural(self.repeated_blocks, "repeated block", "repeated blocks"),
                plural(
                    self.boilerplate_lines,
                    "boilerplate line",
                    "boilerplate lines",
                ),
            ];
            if self.moved_paragraphs > 0 {
                parts.push(plural(
                    self.moved_paragraphs,
                    "moved paragraph",
                    "moved paragraphs",
                ));
            }
            format!(
                "{} of {} need{} cleaning: {}",
                self.changed,
                plural(self.articles, "article", "articles"),
                if self.changed == 1 { "s" } else { "" },
                parts.join(", ")
            )
        };
        if self.errors > 0 {
            line.push_str(&format!("; {}", plural(self.errors, "error", "errors")));
        }
        line
    }
}

/// One article in the JSON document.
#[derive(Clone, Debug, Serialize)]
pub struct ArticleFindings {
    pub path: String,
    /// The path's raw bytes, base64, when its name is not UTF-8 (`path` is then lossy).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path_bytes: Option<String>,
    /// JSON Lines: the record's line in the file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<usize>,
    /// JSON Lines: the record's `id=…` or `url=…`, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub changed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    pub findings: Vec<Finding>,
}

/// The JSON document of `--check --format json` (schema version 1).
#[derive(Clone, Debug, Serialize)]
pub struct Document {
    pub version: u32,
    pub articles: Vec<ArticleFindings>,
    pub totals: Totals,
}

/// Escapes a GitHub workflow command's message.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a GitHub workflow command's property value.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// GitHub Actions annotations, one `::warning` line per finding.
pub fn github_lines(path: &str, findings: &[Finding]) -> String {
    let mut out = String::new();
    for f in findings {
        let message = match f.kind {
            Kind::Repeat => format!(
                "repeated block of {}{}",
                plural(f.paragraphs.unwrap_or(1), "paragraph", "paragraphs"),
                f.kept
                    .map(|k| format!(" (copy of {})", k.lines()))
                    .unwrap_or_default()
            ),
            Kind::Boilerplate => {
                format!("boilerplate line: {}", crate::report::excerpt(&f.text, 80))
            }
            Kind::Move => format!(
                "paragraph missing from the first copy{}",
                f.kept
                    .map(|k| format!(" (belongs after {})", k.lines()))
                    .unwrap_or_default()
            ),
        };
        out.push_str(&format!(
            "::warning file={},line={},endLine={},title=newsdedup::{}\n",
            escape_property(path),
            f.place.first_line,
            f.place.last_line,
            escape_data(&message)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Options, clean};

    fn seed() -> (String, Cleaned) {
        let input =
            std::fs::read_to_string("fixtures/seed_kerry_moscow_repeated_block.txt").unwrap();
        let cleaned = clean(&input, &Options::default());
        (input, cleaned)
    }

    #[test]
    fn seed_is_one_block_one_boilerplate_line_one_move() {
        let (input, cleaned) = seed();
        let found = findings(&input, &cleaned);
        let kinds: Vec<Kind> = found.iter().map(|f| f.kind).collect();
        assert_eq!(kinds, [Kind::Repeat, Kind::Boilerplate, Kind::Move]);
        assert_eq!(
            human_line("a.txt", &found),
            "a.txt: repeated block of 15 paragraphs (lines 17-33, copy of 2-16); \
             1 boilerplate line (19); moved paragraph (line 20, after line 3)"
        );
    }

    #[test]
    fn a_flattened_copy_names_every_line_of_the_copy_it_repeats() {
        let input = std::fs::read_to_string("fixtures/near_flattened_copy_first.txt").unwrap();
        let found = findings(&input, &clean(&input, &Options::default()));
        let kept = found[0].kept.expect("the paragraphed copy");
        assert_eq!((kept.first_line, kept.last_line), (3, 6));
        assert_eq!(
            human_line("a.txt", &found),
            "a.txt: repeated block of 1 paragraph (line 2, copy of 3-6)"
        );
    }

    #[test]
    fn fail_on_selects_kinds() {
        let (input, cleaned) = seed();
        let found = findings(&input, &cleaned);
        let only_boilerplate: Vec<Finding> = found
            .iter()
            .filter(|f| f.kind == Kind::Boilerplate)
            .cloned()
            .collect();
        assert!(FailOn::Boilerplate.fails(&only_boilerplate));
        assert!(!FailOn::Repeats.fails(&only_boilerplate));
        assert!(FailOn::Any.fails(&only_boilerplate));
        assert!(!FailOn::Any.fails(&[]));
    }

    #[test]
    fn totals_summary() {
        let mut totals = Totals::default();
        let (input, cleaned) = seed();
        totals.add(&findings(&input, &cleaned));
        totals.add(&[]);
        assert_eq!(
            totals.human_summary(),
            "1 of 2 articles needs cleaning: 1 repeated block, 1 boilerplate line, \
             1 moved paragraph"
        );
        assert_eq!(Totals::default().human_summary(), "0 articles are clean");
    }

    #[test]
    fn github_escapes() {
        assert_eq!(escape_property("a,b:c%"), "a%2Cb%3Ac%25");
        assert_eq!(escape_data("x\ny"), "x%0Ay");
    }
}
