//! Cleaning to stdout, one input after another (text, or JSON Lines record by record).

use super::config::Config;
use super::inputs::read_input;
use super::report_out::{
    close_report, open_report, record_message, write_record_error, write_record_extras,
    write_report_entry,
};
use super::summary::Summary;
use crate::input_failed;
use anyhow::{Context, Result};
use newsdedup::batch::{self, Job};
use newsdedup::diff::{shown, unified_diff};
use newsdedup::jsonl::{FieldPath, OnError};
use newsdedup::{clean, input, report};
use std::io::{self, BufWriter, StdoutLock, Write};
use std::process::ExitCode;

/// Refuses a `--report` file that is one of the inputs cleaned to stdout: creating the report
/// would empty the article before it is read.
fn refuse_report_over_inputs(config: &Config) -> Result<()> {
    let Some(report) = &config.report else {
        return Ok(());
    };
    let named: Vec<Job> = config
        .inputs
        .iter()
        .filter(|p| p.as_os_str() != "-")
        .map(|p| Job {
            path: p.clone(),
            explicit: true,
        })
        .collect();
    batch::check_report(report, &named, false).map_err(anyhow::Error::msg)
}

/// Cleans JSON Lines inputs to stdout, record by record.
fn run_stdout_jsonl(config: &Config, field: &FieldPath, on_error: OnError) -> Result<ExitCode> {
    let (mut report, mut out) = start(config)?;
    let mut failed = false;
    let mut summary = Summary::default();
    let run = (|| -> Result<()> {
        for (i, path) in config.inputs.iter().enumerate() {
            let name = path.display().to_string();
            let mut reader = match input::open(path) {
                Ok(reader) => reader,
                Err(err) => {
                    summary.add_input_error(
                        &mut failed,
                        report.as_mut(),
                        path,
                        &config.hinted(path, err.to_string()),
                    )?;
                    continue;
                }
            };
            let stream = newsdedup::jsonl::Stream {
                path: &name,
                field,
                options: &config.options,
                wants: newsdedup::jsonl::Wants {
                    report: report.is_some(),
                    explain: config.explain,
                    findings: false,
                },
                on_error,
                lossy: config.lossy,
                // One stream on stdout: only the first input's mark stays, at its start.
                keep_bom: i == 0,
            };
            let mut report_error = None;
            let (mut changed, mut bytes_in, mut bytes_out, mut bad) = (false, 0, 0, 0);
            let stopped =
                newsdedup::jsonl::clean_stream(&mut reader, &mut out, &stream, &mut |r| {
                    changed |= r.changed;
                    bytes_in += r.bytes_in;
                    bytes_out += r.bytes_out;
                    // Bad records count as errors, as in a batch's report.
                    if record_message(&name, r, on_error, false) {
                        input_failed(&mut failed);
                        bad += 1;
                        if let Err(err) = write_record_error(report.as_mut(), path, r) {
                            report_error.get_or_insert(err);
                        }
                    }
                    if let Err(err) = write_record_extras(r, report.as_mut(), path) {
                        report_error.get_or_insert(err);
                    }
                });
            summary.add_cleaned(changed, bytes_in, bytes_out);
            summary.errors += bad;
            if let Some(err) = report_error {
                return Err(err);
            }
            let stopped = match stopped {
                Ok(stopped) => stopped,
                // An input that fails partway is that input's error; the next is still read.
                Err(newsdedup::jsonl::StreamError::Read(err)) => {
                    summary.add_input_error(
                        &mut failed,
                        report.as_mut(),
                        path,
                        &err.to_string(),
                    )?;
                    continue;
                }
                Err(newsdedup::jsonl::StreamError::Write(err)) => {
                    return Err(anyhow::Error::new(err).context(shown(&name)));
                }
            };
            if stopped {
                break;
            }
        }
        Ok(())
    })();
    finish(out, report, &summary, failed, run)
}

/// Cleans each input to stdout, one after another.
pub(crate) fn run_stdout(config: &Config) -> Result<ExitCode> {
    if let Some((field, on_error)) = &config.jsonl {
        return run_stdout_jsonl(config, field, *on_error);
    }
    let (mut report, mut out) = start(config)?;
    let mut failed = false;
    let mut summary = Summary::default();
    let run = (|| -> Result<()> {
        for path in &config.inputs {
            let name = path.display().to_string();
            let bytes = match read_input(path) {
                Ok(bytes) => bytes,
                Err(err) => {
                    let (shown, message) = (
                        config.hinted(path, format!("{err:#}")),
                        config.hinted(path, err.root_cause().to_string()),
                    );
                    summary.add_error(&mut failed, report.as_mut(), path, &shown, &message)?;
                    continue;
                }
            };
            let text = match input::decode(&bytes, config.lossy) {
                Ok(text) => text,
                Err(err) => {
                    summary.add_input_error(
                        &mut failed,
                        report.as_mut(),
                        path,
                        &err.to_string(),
                    )?;
                    continue;
                }
            };
            let cleaned = clean(&text, &config.options);
            // Recorded before the text goes out: a closed stdout still leaves a report of what
            // was cleaned.
            if let Some(report) = report.as_mut() {
                write_report_entry(report, report::json_record(&name, &text, &cleaned), path)?;
            }
            summary.add_cleaned(cleaned.changed(), cleaned.bytes_in, cleaned.text.len());
            match &config.diff {
                Some(style) => out
                    .write_all(unified_diff(&text, &cleaned.text, &name, &name, style).as_bytes()),
                None => out.write_all(cleaned.text.as_bytes()),
            }
            .context("cannot write to stdout")?;
            if config.explain {
                // Flush first so that stdout and stderr interleave in order on a terminal.
                out.flush().context("cannot write to stdout")?;
                eprint!("{}", report::explain(&shown(&name), &text, &cleaned));
            }
        }
        Ok(())
    })();
    finish(out, report, &summary, failed, run)
}

/// What both ways of cleaning to stdout open first: the report (refused when it is one of the
/// inputs) and buffered stdout; [`finish`] closes them.
fn start(config: &Config) -> Result<(Option<batch::ReportFile>, BufWriter<StdoutLock<'static>>)> {
    refuse_report_over_inputs(config)?;
    let report = open_report(config)?;
    Ok((
        report,
        BufWriter::with_capacity(1 << 16, io::stdout().lock()),
    ))
}

/// Flushes stdout, ends the report with the summary object as a batch's does, and renames it
/// into place, also after `run` failed (a closed stdout: the report says what was done);
/// exit status 2 when an input `failed`.
fn finish(
    mut out: impl Write,
    report: Option<batch::ReportFile>,
    summary: &Summary,
    failed: bool,
    run: Result<()>,
) -> Result<ExitCode> {
    let flushed = out.flush().context("cannot write to stdout");
    close_report(report, summary)?;
    run?;
    flushed?;
    Ok(if failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}
