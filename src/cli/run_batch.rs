//! Batches: files and folders cleaned in parallel, in place or into an output folder.

use super::config::Config;
use super::report_out::{
    close_report, on_interrupt_remove_staged_files, open_report, record_message, write_extras,
    write_record_error, write_record_extras,
};
use super::summary::{Summary, files_per_second};
use crate::Tolerant;
use anyhow::{Context, Result};
use newsdedup::batch::{self, BatchConfig, FileResult, Job, Status, Target};
use newsdedup::diff::shown;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Cleans files and folders in parallel, writing in place or into the output folder.
pub(crate) fn run_batch(config: &Config, target: Target) -> Result<ExitCode> {
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
pub(crate) fn collect_jobs(
    config: &Config,
    target: &Target,
) -> Result<(Vec<Job>, Vec<batch::WalkIssue>)> {
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
pub(crate) fn process_all(
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
