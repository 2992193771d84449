//! The `newsdedup` binary: parses arguments, calls the library, maps errors to exit codes.

use anyhow::{Context, Result};
use clap::Parser;
use cli::args::{Cli, Format, LearnArgs};
use cli::config::{CheckConfig, Config};
use cli::inputs::{default_globs, read_input, waiting_notice};
use cli::man::print_generated;
use cli::report_out::{
    close_report, on_interrupt_remove_staged_files, open_report, record_message, write_extras,
    write_record_error, write_record_extras, write_report_entry,
};
use cli::summary::{Summary, files_per_second};
use newsdedup::batch::{self, BatchConfig, FileResult, Job, Selection, Status, Target};
use newsdedup::check::{self, ArticleFindings, Document, Totals};
use newsdedup::diff::{path_label, shown, unified_diff};
use newsdedup::jsonl::{FieldPath, OnError};
use newsdedup::learn::{Counts, LearnConfig};
use newsdedup::{clean, input, report};
use std::fs::File;
use std::io::{self, BufRead, BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// `eprintln!` that cannot panic: with stderr closed or its reader gone (`2>&1 | head`), a
/// message is lost, not the run (and never a half-done batch).
macro_rules! eprintln {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// `eprint!` that cannot panic (see `eprintln!`).
macro_rules! eprint {
    ($($arg:tt)*) => {{
        let _ = write!(std::io::stderr(), $($arg)*);
    }};
}

mod cli;

/// Output whose reader may leave early (`| head`) in a mode whose exit status means something
/// (a check, a batch): after a broken pipe the rest is dropped and the run goes on to the status
/// it would have had.
struct Tolerant<W> {
    inner: W,
    closed: bool,
}

impl<W: Write> Tolerant<W> {
    fn new(inner: W) -> Self {
        Tolerant {
            inner,
            closed: false,
        }
    }

    fn absorb<T>(&mut self, result: io::Result<T>, closed: T) -> io::Result<T> {
        match result {
            Err(err) if err.kind() == io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(closed)
            }
            other => other,
        }
    }
}

impl<W: Write> Write for Tolerant<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.closed {
            return Ok(buf.len());
        }
        let result = self.inner.write(buf);
        self.absorb(result, buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.closed {
            return Ok(());
        }
        let result = self.inner.flush();
        self.absorb(result, ())
    }
}

fn main() -> ExitCode {
    // A write past the file size limit (ulimit -f) would otherwise kill the process with
    // SIGXFSZ mid-write, leaving a temporary file and no message; ignored, the write fails with
    // EFBIG and the file's error is reported like any other.
    #[cfg(unix)]
    // SAFETY: setting a signal's disposition to SIG_IGN installs no handler code; it is done
    // before any other thread exists.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
    // glibc serves a block of 128 KB or more with its own mapping, returned to the system when
    // freed, but raises that threshold (up to 32 MB) each time such a block is freed; after that
    // a big article's large temporary vectors come from the heap and stay in the process's
    // memory once freed. A fixed 4 MB threshold keeps returning them: peak RSS for a 52 MB
    // article 205 -> 172 MB (169 MB in bench.sh), no change in time. Small articles (a batch)
    // allocate far less than this at a time.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes the allocator's tuning; it is called before any other thread
    // exists and before any large allocation.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 4 << 20);
    }
    match run() {
        Ok(code) => code,
        Err(err) if is_broken_pipe(&err) => {
            if INPUT_FAILED.load(Ordering::Relaxed) {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(err) => {
            eprintln!("newsdedup: {err:#}");
            ExitCode::from(2)
        }
    }
}

/// Set when an input failed while cleaning to stdout: a closed pipe (a quiet exit) must not
/// hide it, so the exit status is still 2.
static INPUT_FAILED: AtomicBool = AtomicBool::new(false);

/// Records that an input failed (see [`INPUT_FAILED`]).
fn input_failed(failed: &mut bool) {
    *failed = true;
    INPUT_FAILED.store(true, Ordering::Relaxed);
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
            || e.downcast_ref::<serde_json::Error>()
                .is_some_and(|e| e.io_error_kind() == Some(io::ErrorKind::BrokenPipe))
    })
}

fn run() -> Result<ExitCode> {
    let cli = Cli::parse();
    if let Some(command) = cli.command {
        return print_generated(command);
    }
    let config = Config::from_args(cli.args)?;
    let what = if config.jsonl.is_some() {
        "JSON Lines"
    } else {
        "an article"
    };
    waiting_notice(&config.inputs, what);
    match (&config.check, &config.target) {
        (Some(check), _) => run_check(&config, check),
        (None, Some(target)) => run_batch(&config, target.clone()),
        (None, None) => run_stdout(&config),
    }
}

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
    refuse_report_over_inputs(config)?;
    let mut report = open_report(config)?;
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
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
fn run_stdout(config: &Config) -> Result<ExitCode> {
    if let Some((field, on_error)) = &config.jsonl {
        return run_stdout_jsonl(config, field, *on_error);
    }
    refuse_report_over_inputs(config)?;
    let mut report = open_report(config)?;
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
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

/// Cleans files and folders in parallel, writing in place or into the output folder.
fn run_batch(config: &Config, target: Target) -> Result<ExitCode> {
    let started = Instant::now();
    // An interrupt (Ctrl-C, SIGTERM, SIGHUP) ends the process without running destructors:
    // remove the temporary files being written first. Originals are untouched until a rename.
    on_interrupt_remove_staged_files().context("cannot install the interrupt handler")?;
    let (jobs, issues) = collect_jobs(config, &target)?;
    let mut report = open_report(config)?;
    let batch_config = config.batch(target, report.is_some(), false, false);
    let results = batch::with_issues(process_all(&jobs, &batch_config, config)?, issues);
    let stdout = io::stdout();
    let mut out = BufWriter::new(Tolerant::new(stdout.lock()));

    let mut summary = Summary::default();
    for result in &results {
        summary.add(result);
        let name = result.path.to_string_lossy();
        for record in &result.records {
            if let Some((_, on_error)) = &config.jsonl
                && record_message(&name, record, *on_error, false)
            {
                summary.errors += 1;
                write_record_error(report.as_mut(), &result.path, record)?;
            }
            write_record_extras(record, report.as_mut(), &result.path)?;
        }
        // After its records, as in the report: what became of the file (stopped at the bad
        // record just named).
        match &result.status {
            Status::Failed(message) | Status::Skipped(message) => {
                eprintln!("newsdedup: {}: {message}", shown(&name));
            }
            Status::Changed | Status::Unchanged => {}
        }
        write_extras(result, &mut out, report.as_mut())?;
    }
    out.flush().context("cannot write to stdout")?;
    close_report(report, &summary)?;
    if !config.quiet {
        eprintln!("newsdedup: {}", summary.line(started.elapsed()));
    }
    Ok(if summary.errors > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

/// The files a batch or check works on, and what it notes or refuses about its inputs (sorted
/// by path); an error when the inputs, output folder and report overlap so that nothing can be
/// done safely.
fn collect_jobs(config: &Config, target: &Target) -> Result<(Vec<Job>, Vec<batch::WalkIssue>)> {
    let (jobs, mut issues) =
        batch::collect(&config.inputs, &config.selection).context("invalid --glob pattern")?;
    // A folder where no file matched: a wrong --glob would otherwise pass for a clean corpus
    // (an error for a check, whose green light it would be; a note otherwise).
    // Noted only once the inputs and outputs are known not to overlap (`-o d d` is a usage
    // error, not a folder `d` without files: the output folder is never walked).
    // For -i and -o a note: a skipped entry (said on stderr, in the report and the counts), as
    // for a binary file found by a walk.
    let notes = batch::folders_without_files(
        &config.inputs,
        &jobs,
        &config.selection,
        config.check.is_some(),
    );
    let (jobs, more) = batch::settle(
        &config.inputs,
        jobs,
        target,
        config.selection.follow,
        config.report.as_deref(),
    )
    .map_err(anyhow::Error::msg)?;
    issues.extend(notes);
    issues.extend(more);
    for issue in issues.iter_mut().filter(|issue| issue.error) {
        issue.message = config.hinted(&issue.path, std::mem::take(&mut issue.message));
    }
    issues.sort_by(|a, b| a.path.cmp(&b.path));
    Ok((jobs, issues))
}

/// Runs `batch::process` over all jobs on `config.jobs` threads, with a progress bar on a
/// terminal once the batch has taken more than a moment. Results come back in job order.
fn process_all(
    jobs: &[Job],
    batch_config: &BatchConfig,
    config: &Config,
) -> Result<Vec<FileResult>> {
    use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
    use rayon::prelude::*;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(config.jobs)
        .build()
        .context("cannot start worker threads")?;
    let show = !config.quiet && io::stderr().is_terminal();
    let bar = ProgressBar::with_draw_target(Some(jobs.len() as u64), ProgressDrawTarget::hidden());
    if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} files  {rate}  ETA {eta}")
    {
        // indicatif's own {per_sec} gives four decimals ("12.3456/s").
        let rate = |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
            let _ = w.write_str(&files_per_second(state.per_sec()));
        };
        bar.set_style(style.with_key("rate", rate));
    }
    let started = Instant::now();
    let shown = AtomicBool::new(false);
    let results = pool.install(|| {
        jobs.par_iter()
            .map(|job| {
                let result = batch::process(job, batch_config);
                bar.inc(1);
                if show
                    && started.elapsed() > Duration::from_millis(300)
                    && !shown.swap(true, Ordering::Relaxed)
                {
                    bar.set_draw_target(ProgressDrawTarget::stderr());
                }
                result
            })
            .collect()
    });
    bar.finish_and_clear();
    Ok(results)
}

/// Reports what cleaning would change and fails (exit 1) when it would change anything the
/// --fail-on setting gates on; writes nothing.
fn run_check(config: &Config, check: &CheckConfig) -> Result<ExitCode> {
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

/// Counts the short paragraphs of every document in `paths` (files in parallel). Returns the
/// counts and how many inputs could not be read; when `speak`, each of them, each record left
/// out and each folder where no file matched is reported on stderr, once, by path.
fn count_documents(
    paths: &[PathBuf],
    selection: &Selection,
    jsonl: Option<&FieldPath>,
    lossy: bool,
    config: &LearnConfig,
    speak: bool,
) -> Result<(Counts, usize)> {
    use rayon::prelude::*;
    let (jobs, mut issues) = batch::collect(paths, selection).context("invalid --glob pattern")?;
    // As the main command notes it: a wrong --glob is not silently zero documents.
    issues.extend(batch::folders_without_files(paths, &jobs, selection, false));
    issues.sort_by(|a, b| a.path.cmp(&b.path));
    let mut errors = 0;
    for issue in &issues {
        if speak {
            eprintln!(
                "newsdedup: {}: {}",
                shown(&issue.path.to_string_lossy()),
                issue.message
            );
        }
        errors += usize::from(issue.error);
    }
    let (counts, failures, notes) = jobs
        .par_iter()
        .fold(
            || (Counts::new(config), Vec::new(), Vec::new()),
            |(mut counts, mut failures, mut notes), job| {
                match count_one(job, jsonl, lossy, &mut counts) {
                    Err(err) => {
                        failures.push(format!("{}: {err:#}", shown(&job.path.to_string_lossy())))
                    }
                    // A note, not an error: the other records were counted.
                    Ok(Some(skipped)) if speak => {
                        notes.push(format!("{}: {skipped}", shown(&job.path.to_string_lossy())));
                    }
                    Ok(_) => {}
                }
                (counts, failures, notes)
            },
        )
        .reduce(
            || (Counts::new(config), Vec::new(), Vec::new()),
            |(mut a, mut fa, mut na), (b, fb, nb)| {
                a.merge(b);
                fa.extend(fb);
                na.extend(nb);
                (a, fa, na)
            },
        );
    let (mut failures, mut notes) = (failures, notes);
    failures.sort();
    notes.sort();
    for message in failures.iter().chain(&notes).filter(|_| speak) {
        eprintln!("newsdedup: {message}");
    }
    Ok((counts, errors + failures.len()))
}

/// Adds one input's documents to `counts`: the whole text, or each record's field. Returns
/// what it had to leave out: records that are not JSON or lack the field (blank lines aside).
/// An error does not name the input (the caller does).
fn count_one(
    job: &Job,
    jsonl: Option<&FieldPath>,
    lossy: bool,
    counts: &mut Counts,
) -> Result<Option<String>> {
    let Some(field) = jsonl else {
        let bytes = if job.path.as_os_str() == "-" {
            read_input(&job.path)?
        } else {
            let bytes = batch::read_article(&job.path)?;
            batch::reserve_parallel_working_memory(bytes.len() as u64)?;
            bytes
        };
        match input::decode(&bytes, lossy) {
            Ok(text) => counts.add_document(&text),
            // As cleaning does: a binary file found by a walk is skipped with a note.
            Err(err @ input::InputError::Binary { .. }) if !job.explicit => {
                return Ok(Some(format!("skipped, {err}")));
            }
            Err(err) => return Err(err.into()),
        }
        return Ok(None);
    };
    // Record by record, so that memory holds one record, not the file.
    let mut reader = input::open(&job.path)?;
    let mut line = Vec::new();
    let (mut number, mut records, mut skipped, mut first) = (0usize, 0usize, 0usize, None);
    while reader.read_until(b'\n', &mut line)? > 0 {
        number += 1;
        let bytes = newsdedup::jsonl::split_line(&line, number).body;
        let text = match std::str::from_utf8(bytes) {
            Ok(text) => std::borrow::Cow::Borrowed(text),
            Err(_) if lossy => String::from_utf8_lossy(bytes),
            Err(e) => {
                records += 1;
                skipped += 1;
                let err = format!("invalid UTF-8 at byte {} of the line", e.valid_up_to());
                first.get_or_insert((number, err));
                line.clear();
                continue;
            }
        };
        if !newsdedup::jsonl::is_blank(&text) {
            records += 1;
            match newsdedup::jsonl::locate(&text, field) {
                Ok((_, record)) => counts.add_document(&record),
                Err(err) => {
                    skipped += 1;
                    first.get_or_insert((number, err.to_string()));
                }
            }
        }
        line.clear();
    }
    Ok(first.map(|(at, err)| {
        format!("{skipped} of {records} records not counted (the first, line {at}: {err})")
    }))
}

/// `newsdedup learn`: prints the learned list, or mergeable counts.
fn run_learn(args: LearnArgs) -> Result<ExitCode> {
    let mut config = LearnConfig {
        max_words: args
            .max_words
            .unwrap_or(newsdedup::learn::DEFAULT_MAX_WORDS),
        min_docs: args.min_docs,
        min_share: args.min_share,
    };
    config.validate().map_err(anyhow::Error::msg)?;
    if let Some(folder) = args.merge.iter().find(|p| p.is_dir()) {
        anyhow::bail!(
            "{}: is a folder; --merge takes counts files (written by --counts), so put folders \
             to learn from before --merge",
            path_label(folder)
        );
    }
    if args.merge.iter().any(|p| p.as_os_str() == "-") && args.paths.iter().any(|p| p == "-") {
        anyhow::bail!("stdin cannot be both a counts file (--merge -) and a document");
    }
    let field = FieldPath::parse(&args.field).map_err(anyhow::Error::msg)?;
    let mut counts = Counts::new(&config);
    let mut errors = 0;
    // The word limit is set by --max-words or by counting documents here; merging counts
    // alone takes the first file's.
    let mut limit_set = args.max_words.is_some();
    if !args.paths.is_empty() || args.merge.is_empty() {
        limit_set = true;
        let paths = if args.paths.is_empty() {
            vec![PathBuf::from("-")]
        } else {
            args.paths.clone()
        };
        waiting_notice(&paths, if args.jsonl { "JSON Lines" } else { "articles" });
        let selection = Selection {
            globs: default_globs(args.glob, args.jsonl),
            hidden: args.hidden,
            follow: args.follow,
            exclude: None,
        };
        let (counted, failed) = count_documents(
            &paths,
            &selection,
            args.jsonl.then_some(&field),
            args.lossy,
            &config,
            true,
        )?;
        counts.merge(counted);
        errors += failed;
    }
    let documents_counted = !args.paths.is_empty();
    for (i, path) in args.merge.iter().enumerate() {
        let name = path_label(path);
        let shard = if path.as_os_str() == "-" {
            Counts::read_counts(&mut io::stdin().lock(), &name)?
        } else {
            let file = File::open(path).with_context(|| name.clone())?;
            Counts::read_counts(&mut io::BufReader::new(file), &name)?
        };
        if !limit_set {
            config.max_words = shard.max_words();
            counts = Counts::new(&config);
            limit_set = true;
        }
        // Counts merge at the smaller limit: say so when that drops paragraphs.
        if shard.max_words() != counts.max_words() {
            let merged = shard.max_words().min(counts.max_words());
            // Before the first counts file, nothing was counted yet: the limit was only asked.
            let rest = if documents_counted || i > 0 {
                "the rest with"
            } else {
                "--max-words asked"
            };
            eprintln!(
                "newsdedup: {name}: counted with --max-words {}, {rest} {}; merged at {merged} \
                 (longer paragraphs left out)",
                shard.max_words(),
                counts.max_words()
            );
            config.max_words = merged;
        }
        counts.merge(shard);
    }
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    if args.counts {
        counts.write_counts(&mut out)
    } else {
        counts.write_list(&config, &mut out)
    }
    .context("cannot write to stdout")?;
    out.flush().context("cannot write to stdout")?;
    Ok(if errors > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
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
