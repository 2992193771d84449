//! The summary line on stderr and the report's closing summary record.

use super::report_out::write_report_entry;
use crate::input_failed;
use anyhow::Result;
use newsdedup::batch::{self, FileResult, Status};
use newsdedup::diff::shown;
use std::io::Write;
use std::path::Path;
use std::time::Duration;

/// A run's time as the summary line gives it: whole milliseconds below a second, then seconds
/// with one decimal, then minutes and seconds (`210 ms`, `3.4 s`, `2 min 05 s`).
fn human_duration(elapsed: Duration) -> String {
    let ms = elapsed.as_millis();
    match elapsed.as_secs() {
        0 => format!("{ms} ms"),
        // Tenths cut, not rounded: 59.96 s is not "60.0 s".
        1..60 => format!("{}.{} s", ms / 1000, ms / 100 % 10),
        secs => format!("{} min {:02} s", secs / 60, secs % 60),
    }
}

/// The progress bar's rate: one decimal below 10 files a second, whole files above.
pub(crate) fn files_per_second(rate: f64) -> String {
    if rate < 10.0 {
        format!("{rate:.1} files/s")
    } else {
        format!("{rate:.0} files/s")
    }
}

/// Counts for the summary line and the report's last record.
#[derive(Default)]
pub(crate) struct Summary {
    seen: usize,
    changed: usize,
    unchanged: usize,
    skipped: usize,
    pub(crate) errors: usize,
    bytes_removed: usize,
}

impl Summary {
    /// Counts an input cleaned to stdout.
    pub(crate) fn add_cleaned(&mut self, changed: bool, bytes_in: usize, bytes_out: usize) {
        self.seen += 1;
        if changed {
            self.changed += 1;
            self.bytes_removed += bytes_in.saturating_sub(bytes_out);
        } else {
            self.unchanged += 1;
        }
    }

    /// Counts an input that could not be cleaned: says so on stderr (`shown`), marks the run
    /// `failed`, and records the `message` in the report.
    pub(crate) fn add_error(
        &mut self,
        failed: &mut bool,
        report: Option<&mut batch::ReportFile>,
        path: &Path,
        shown: &str,
        message: &str,
    ) -> Result<()> {
        eprintln!("newsdedup: {shown}");
        input_failed(failed);
        self.seen += 1;
        self.errors += 1;
        if let Some(report) = report {
            let record = serde_json::json!({ "path": path.to_string_lossy(), "error": message });
            write_report_entry(report, record.to_string(), path)?;
        }
        Ok(())
    }

    /// [`Summary::add_error`] for an error of the input `path` itself, shown after its name.
    pub(crate) fn add_input_error(
        &mut self,
        failed: &mut bool,
        report: Option<&mut batch::ReportFile>,
        path: &Path,
        message: &str,
    ) -> Result<()> {
        let shown = shown(&path.to_string_lossy());
        self.add_error(
            failed,
            report,
            path,
            &format!("{shown}: {message}"),
            message,
        )
    }

    pub(crate) fn add(&mut self, result: &FileResult) {
        self.seen += 1;
        match result.status {
            Status::Changed => {
                self.changed += 1;
                self.bytes_removed += result.bytes_in.saturating_sub(result.bytes_out);
            }
            Status::Unchanged => self.unchanged += 1,
            Status::Skipped(_) => self.skipped += 1,
            Status::Failed(_) => self.errors += 1,
        }
    }

    pub(crate) fn line(&self, elapsed: Duration) -> String {
        use newsdedup::check::plural;
        format!(
            "{}: {} changed, {} unchanged, {} skipped, {}; {} removed; {}",
            plural(self.seen, "file", "files"),
            self.changed,
            self.unchanged,
            self.skipped,
            plural(self.errors, "error", "errors"),
            plural(self.bytes_removed, "byte", "bytes"),
            human_duration(elapsed)
        )
    }

    pub(crate) fn json(&self) -> String {
        serde_json::json!({
            "summary": {
                "files": self.seen,
                "changed": self.changed,
                "unchanged": self.unchanged,
                "skipped": self.skipped,
                "errors": self.errors,
                "bytes_removed": self.bytes_removed,
            }
        })
        .to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_well() {
        let ms = Duration::from_millis;
        assert_eq!(human_duration(ms(0)), "0 ms");
        assert_eq!(human_duration(ms(999)), "999 ms");
        assert_eq!(human_duration(ms(1000)), "1.0 s");
        assert_eq!(human_duration(ms(3456)), "3.4 s");
        assert_eq!(human_duration(ms(59_960)), "59.9 s");
        assert_eq!(human_duration(ms(60_000)), "1 min 00 s");
        assert_eq!(human_duration(ms(125_700)), "2 min 05 s");
    }

    #[test]
    fn rates_read_well() {
        assert_eq!(files_per_second(0.25), "0.2 files/s");
        assert_eq!(files_per_second(9.94), "9.9 files/s");
        assert_eq!(files_per_second(1234.5678), "1235 files/s");
    }
}
