//! The `--report` file and what a run writes besides its cleaned text or findings:
//! explanations, diffs, report records, messages about bad records.

use super::config::Config;
use super::summary::Summary;
use anyhow::{Context, Result};
use newsdedup::batch::{self, FileResult, Status};
use newsdedup::diff::{path_label, shown};
use newsdedup::jsonl::{OnError, RecordResult};
use newsdedup::report;
use std::io::Write;
use std::path::Path;

/// Installs the handler of Ctrl-C, SIGTERM and SIGHUP: remove the temporary files being
/// written, say so, exit 130. Fails when one is installed already.
pub(crate) fn on_interrupt_remove_staged_files() -> Result<(), ctrlc::Error> {
    ctrlc::set_handler(|| {
        let _no_new_files = batch::remove_staged_files();
        eprintln!("newsdedup: interrupted");
        std::process::exit(130);
    })
}

/// Starts the `--report` file: written next to its place and renamed there at the end, so an
/// interrupted run leaves the previous report whole.
pub(crate) fn open_report(config: &Config) -> Result<Option<batch::ReportFile>> {
    let Some(path) = &config.report else {
        return Ok(None);
    };
    if path.as_os_str() == "-" {
        anyhow::bail!("--report needs a file name: stdout carries the cleaned text or findings");
    }
    // `newsdedup --report a.txt < a.txt` would put the report in the article's place.
    if config.inputs.iter().any(|p| p.as_os_str() == "-")
        && batch::same_file(Path::new("/dev/stdin"), path)
    {
        anyhow::bail!(
            "the report {} is the standard input; write the report elsewhere",
            path_label(path)
        );
    }
    // Inside the output folder, the report could take the place of a cleaned file (or the
    // reverse); the output folder is a cleaned corpus and nothing else.
    // By name when the output folder does not exist yet (nor the report's folder in it).
    if let Some(batch::Target::OutDir { dir, .. }) = &config.target
        && ((!dir.exists()
            && batch::lexical_absolute(path).starts_with(batch::lexical_absolute(dir)))
            || matches!(
                (dir.canonicalize(), batch::folder_of(path).canonicalize()),
                (Ok(out), Ok(folder)) if folder.starts_with(&out)
            ))
    {
        anyhow::bail!(
            "the report {} is inside the output folder {}; write it elsewhere",
            path_label(path),
            path_label(dir)
        );
    }
    // An interrupt removes the report's temporary file (a batch has installed this already).
    let _ = on_interrupt_remove_staged_files();
    batch::ReportFile::create(path)
        .map(Some)
        .with_context(|| format!("cannot create report {}", path_label(path)))
}

/// Prints the note or error a bad record gets under `--on-error`; returns whether it counts as
/// an error (exit status 2).
pub(crate) fn record_message(
    path: &str,
    record: &RecordResult,
    on_error: OnError,
    checking: bool,
) -> bool {
    let Some(error) = &record.error else {
        return false;
    };
    let name = record.name(&shown(path));
    let (what, is_error) = match on_error {
        // A check writes nothing back.
        OnError::Report if checking => ("record not checked", true),
        OnError::Keep | OnError::Skip if checking => ("record not checked", false),
        OnError::Report => ("record written back unchanged", true),
        OnError::Keep => ("record kept unchanged", false),
        OnError::Skip => ("record left out", false),
        OnError::Fail => ("stopped", true),
    };
    eprintln!("newsdedup: {name}: {error}; {what}");
    is_error
}

/// Writes one line (a JSON record) to the report; an error names the report.
fn write_report_line(report: &mut batch::ReportFile, line: impl std::fmt::Display) -> Result<()> {
    writeln!(report, "{line}")
        .with_context(|| format!("cannot write the report {}", path_label(report.path())))
}

/// Writes one report entry about the input `path`: with `"path_bytes"` when its name is not
/// UTF-8.
pub(crate) fn write_report_entry(
    report: &mut batch::ReportFile,
    line: String,
    path: &Path,
) -> Result<()> {
    write_report_line(report, report::with_path_bytes(line, path))
}

/// Writes what a file's result carries besides findings: its explanation (stderr), its diff
/// (stdout) and its report record.
pub(crate) fn write_extras(
    result: &FileResult,
    out: &mut dyn Write,
    report: Option<&mut batch::ReportFile>,
) -> Result<()> {
    if let Some(explain) = &result.explain {
        eprint!("{explain}");
    }
    if let Some(diff) = &result.diff {
        out.write_all(diff.as_bytes())
            .context("cannot write to stdout")?;
    }
    if let Some(report) = report {
        write_report_entry(report, batch_record(result), &result.path)?;
    }
    Ok(())
}

/// Writes a JSON Lines record's explanation (stderr) and report record (the record of the
/// input `path`).
pub(crate) fn write_record_extras(
    record: &RecordResult,
    report: Option<&mut batch::ReportFile>,
    path: &Path,
) -> Result<()> {
    if let Some(explain) = &record.explain {
        eprint!("{explain}");
    }
    if let (Some(report), Some(line)) = (report, &record.report) {
        write_report_entry(report, line.clone(), path)?;
    }
    Ok(())
}

/// The report's entry for a bad record counted as an error: `{"path", "record", "id"?,
/// "error"}`, where the record's report object would have been.
pub(crate) fn write_record_error(
    report: Option<&mut batch::ReportFile>,
    path: &Path,
    record: &RecordResult,
) -> Result<()> {
    let (Some(report), Some(error)) = (report, &record.error) else {
        return Ok(());
    };
    let mut entry = serde_json::json!({ "path": path.to_string_lossy(), "record": record.line });
    if let (Some(object), Some(id)) = (entry.as_object_mut(), &record.id) {
        object.insert("id".into(), id.as_str().into());
    }
    if let Some(object) = entry.as_object_mut() {
        object.insert("error".into(), error.to_string().into());
    }
    write_report_entry(report, entry.to_string(), path)
}

/// The JSON report record of one file of a batch.
fn batch_record(result: &FileResult) -> String {
    match (&result.status, &result.report) {
        (Status::Failed(message) | Status::Skipped(message), _) => {
            let key = if matches!(result.status, Status::Failed(_)) {
                "error"
            } else {
                "skipped"
            };
            serde_json::json!({
                "path": result.path.to_string_lossy(),
                key: message,
            })
            .to_string()
        }
        (_, Some(record)) => record.clone(),
        (_, None) => serde_json::json!({
            "path": result.path.to_string_lossy(),
            "changed": result.status == Status::Changed,
            "records": result.record_count,
            "bytes_in": result.bytes_in,
            "bytes_out": result.bytes_out,
        })
        .to_string(),
    }
}

/// Ends the report with the summary object and renames it into place.
pub(crate) fn close_report(report: Option<batch::ReportFile>, summary: &Summary) -> Result<()> {
    if let Some(mut report) = report {
        let name = path_label(report.path());
        write_report_line(&mut report, summary.json())?;
        report
            .commit()
            .with_context(|| format!("cannot write the report {name}"))?;
    }
    Ok(())
}
