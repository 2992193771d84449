//! `newsdedup learn` (and `--learn`): counting a corpus's short paragraphs.

use super::args::LearnArgs;
use super::inputs::{default_globs, read_input, waiting_notice};
use anyhow::{Context, Result};
use newsdedup::batch::{self, Job, Selection};
use newsdedup::diff::{path_label, shown};
use newsdedup::input;
use newsdedup::jsonl::FieldPath;
use newsdedup::learn::{Counts, LearnConfig};
use std::fs::File;
use std::io::{self, BufRead, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Counts the short paragraphs of every document in `paths` (files in parallel). Returns the
/// counts and how many inputs could not be read; when `speak`, each of them, each record left
/// out and each folder where no file matched is reported on stderr, once, by path.
pub(crate) fn count_documents(
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
pub(crate) fn run_learn(args: LearnArgs) -> Result<ExitCode> {
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
