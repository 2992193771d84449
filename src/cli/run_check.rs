//! `--check`: report what cleaning would change, write nothing.

use super::args::Format;
use super::config::{CheckConfig, Config};
use super::report_out::{
    close_report, open_report, record_message, write_extras, write_record_error,
    write_record_extras,
};
use super::run_batch::{collect_jobs, process_all};
use super::summary::Summary;
use crate::Tolerant;
use anyhow::{Context, Result};
use newsdedup::batch::{self, Status, Target};
use newsdedup::check::{self, ArticleFindings, Document, Totals};
use newsdedup::diff::shown;
use newsdedup::report;
use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

/// Reports what cleaning would change and fails (exit 1) when it would change anything the
/// --fail-on setting gates on; writes nothing.
pub(crate) fn run_check(config: &Config, check: &CheckConfig) -> Result<ExitCode> {
    let (jobs, issues) = collect_jobs(config, &Target::Nowhere)?;
    let mut report = open_report(config)?;
    // A check's JSON lists every record, and -v names the clean ones too.
    let every_record = check.format == Format::Json || check.verbose;
    let batch_config = config.batch(Target::Nowhere, report.is_some(), true, every_record);
    let results = batch::with_issues(process_all(&jobs, &batch_config, config)?, issues);
    let stdout = io::stdout();
    let mut out = BufWriter::new(Tolerant::new(stdout.lock()));
    // With --diff, stdout is the patch: human lines go to stderr.
    let mut human: Box<dyn Write> = if config.diff.is_some() {
        Box::new(Tolerant::new(io::stderr()))
    } else {
        Box::new(Tolerant::new(io::stdout()))
    };
    let mut totals = Totals::default();
    let mut failed = false;
    let mut articles = Vec::new();
    let mut summary = Summary::default();
    // Where each result's entries in `articles` begin.
    let mut first_article = Vec::with_capacity(results.len());
    for result in &results {
        first_article.push(articles.len());
        summary.add(result);
        let name = result.path.to_string_lossy();
        if let Some((_, on_error)) = &config.jsonl {
            // Records not kept were checked and found clean.
            for _ in 0..result.quiet_records {
                totals.add(&[]);
            }
            for record in result.records.iter().filter(|r| !r.blank) {
                if let Some(error) = &record.error {
                    if record_message(&name, record, *on_error, true) {
                        totals.errors += 1;
                        summary.errors += 1;
                        write_record_error(report.as_mut(), &result.path, record)?;
                        let at = Some((record.line, record.id.clone()));
                        let error = error.to_string();
                        emit_error(check, &mut human, &mut out, &mut articles, &name, error, at)?;
                    }
                    continue;
                }
                totals.add(&record.findings);
                failed |= check.fail_on.fails(&record.findings);
                write_record_extras(record, report.as_mut(), &result.path)?;
                // Annotations point at the record's line of the file.
                let findings: Vec<check::Finding> = record
                    .findings
                    .iter()
                    .cloned()
                    .map(|mut f| {
                        if check.format == Format::Github {
                            f.place.first_line = record.line;
                            f.place.last_line = record.line;
                        }
                        f
                    })
                    .collect();
                let label = match check.format {
                    Format::Human => record.name(&name),
                    Format::Github | Format::Json => name.to_string(),
                };
                emit_findings(
                    check,
                    &mut human,
                    &mut out,
                    &mut articles,
                    &label,
                    findings,
                    None,
                    Some((record.line, record.id.clone())),
                )
                .context("cannot write to stdout")?;
            }
            // After its records, as in a batch: what became of the file.
            if let Status::Failed(message) | Status::Skipped(message) = &result.status {
                eprintln!("newsdedup: {}: {message}", shown(&name));
                write_extras(result, &mut out, report.as_mut())?;
                if matches!(result.status, Status::Failed(_)) {
                    totals.errors += 1;
                    // The check's JSON names every input that could not be checked.
                    let error = message.clone();
                    emit_error(
                        check,
                        &mut human,
                        &mut out,
                        &mut articles,
                        &name,
                        error,
                        None,
                    )?;
                }
            }
            continue;
        }
        let error = match &result.status {
            Status::Failed(message) => {
                eprintln!("newsdedup: {}: {message}", shown(&name));
                totals.errors += 1;
                Some(message.clone())
            }
            Status::Skipped(message) => {
                eprintln!("newsdedup: {}: {message}", shown(&name));
                write_extras(result, &mut out, report.as_mut())?;
                continue;
            }
            Status::Changed | Status::Unchanged => {
                totals.add(&result.findings);
                failed |= check.fail_on.fails(&result.findings);
                None
            }
        };
        write_extras(result, &mut out, report.as_mut())?;
        emit_findings(
            check,
            &mut human,
            &mut out,
            &mut articles,
            &name,
            result.findings.clone(),
            error,
            None,
        )
        .context("cannot write to stdout")?;
    }
    // An input whose name is not UTF-8 gives its raw name too, in each of its entries.
    for (i, result) in results.iter().enumerate() {
        let end = first_article.get(i + 1).copied().unwrap_or(articles.len());
        if let Some(bytes) = report::path_bytes(&result.path) {
            for article in &mut articles[first_article[i]..end] {
                article.path_bytes = Some(bytes.clone());
            }
        }
    }
    match check.format {
        Format::Json => {
            let document = Document {
                version: 1,
                articles,
                totals,
            };
            // With --diff stdout is the patch: the document goes to stderr.
            let sink: &mut dyn Write = if check.diff { &mut human } else { &mut out };
            serde_json::to_writer_pretty(&mut *sink, &document)
                .context("cannot write to stdout")?;
            writeln!(sink).context("cannot write to stdout")?;
        }
        Format::Human if !config.quiet => {
            writeln!(human, "{}", totals.human_summary()).context("cannot write to stdout")?;
        }
        Format::Human | Format::Github => {}
    }
    out.flush().context("cannot write to stdout")?;
    close_report(report, &summary)?;
    Ok(if totals.errors > 0 {
        ExitCode::from(2)
    } else if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Writes one article's (or record's) findings in the chosen format.
#[allow(clippy::too_many_arguments)]
fn emit_findings(
    check: &CheckConfig,
    human: &mut dyn Write,
    out: &mut dyn Write,
    articles: &mut Vec<ArticleFindings>,
    name: &str,
    findings: Vec<check::Finding>,
    error: Option<String>,
    record: Option<(usize, Option<String>)>,
) -> io::Result<()> {
    match check.format {
        Format::Human if !findings.is_empty() => {
            writeln!(human, "{}", check::human_line(&shown(name), &findings))
        }
        Format::Human if check.verbose && error.is_none() => {
            writeln!(human, "{}: clean", shown(name))
        }
        Format::Human => Ok(()),
        // With --diff stdout is the patch: annotations go where the human lines go.
        Format::Github if check.diff => {
            human.write_all(check::github_lines(name, &findings).as_bytes())
        }
        Format::Github => out.write_all(check::github_lines(name, &findings).as_bytes()),
        Format::Json => {
            let (record, id) = record.unzip();
            articles.push(ArticleFindings {
                path: name.to_owned(),
                // Set by the caller, which knows the input's raw name.
                path_bytes: None,
                record,
                id: id.flatten(),
                changed: !findings.is_empty(),
                error,
                findings,
            });
            Ok(())
        }
    }
}

/// [`emit_findings`] for an input or record that could not be checked.
fn emit_error(
    check: &CheckConfig,
    human: &mut dyn Write,
    out: &mut dyn Write,
    articles: &mut Vec<ArticleFindings>,
    name: &str,
    error: String,
    record: Option<(usize, Option<String>)>,
) -> Result<()> {
    emit_findings(
        check,
        human,
        out,
        articles,
        name,
        Vec::new(),
        Some(error),
        record,
    )
    .context("cannot write to stdout")
}
