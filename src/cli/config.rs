//! The run's configuration, read once from the arguments.

use super::args::{Args, ColorArg, FailOnArg, Format, OnErrorArg};
use super::inputs::{default_globs, read_files0};
use super::run_learn::count_documents;
use anyhow::{Context, Result};
use newsdedup::Options;
use newsdedup::batch::{self, BatchConfig, Selection, Target};
use newsdedup::boilerplate::Boilerplate;
use newsdedup::check::FailOn;
use newsdedup::diff::{DiffStyle, path_label, shown};
use newsdedup::jsonl::{FieldPath, OnError};
use newsdedup::learn::LearnConfig;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

/// The most threads `-j` may ask for.
const MAX_JOBS: usize = 1024;

/// Everything that is read once from the arguments.
pub(crate) struct Config {
    pub(crate) options: Options,
    pub(crate) inputs: Vec<PathBuf>,
    pub(crate) lossy: bool,
    pub(crate) explain: bool,
    pub(crate) report: Option<PathBuf>,
    /// `None`: clean to stdout; `Some`: a batch that writes files.
    pub(crate) target: Option<Target>,
    pub(crate) selection: Selection,
    pub(crate) jobs: usize,
    pub(crate) quiet: bool,
    pub(crate) check: Option<CheckConfig>,
    pub(crate) diff: Option<DiffStyle>,
    pub(crate) jsonl: Option<(FieldPath, OnError)>,
    /// Where the inputs read from `--files0-from` start in `inputs`.
    listed_from: Option<usize>,
}

/// What --check prints and when it fails.
pub(crate) struct CheckConfig {
    pub(crate) format: Format,
    pub(crate) fail_on: FailOn,
    pub(crate) verbose: bool,
    /// `--diff` is on: stdout holds the patch and nothing else.
    pub(crate) diff: bool,
}

impl Config {
    pub(crate) fn from_args(args: Args) -> Result<Self> {
        let mut lists = Vec::new();
        for path in &args.boilerplate {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read boilerplate list {}", path_label(path)))?;
            lists.push((path_label(path), text));
        }
        let globs = default_globs(args.glob.clone(), args.jsonl);
        if args.learn {
            if args.files0_from.is_some() {
                anyhow::bail!(
                    "--learn does not work with --files0-from; name the files or folders \
                     (or run `newsdedup learn` first and pass its list with --boilerplate)"
                );
            }
            if args.files.is_empty() || args.files.iter().any(|p| p.as_os_str() == "-") {
                anyhow::bail!("--learn needs files or folders to read twice, not stdin");
            }
            let field = FieldPath::parse(&args.field).map_err(anyhow::Error::msg)?;
            let selection = Selection {
                globs: globs.clone(),
                hidden: args.hidden,
                follow: args.follow,
                exclude: args.out_dir.clone(),
            };
            let config = LearnConfig::default();
            let (counts, _) = count_documents(
                &args.files,
                &selection,
                args.jsonl.then_some(&field),
                args.lossy,
                &config,
                // The cleaning that follows reads the same inputs and reports each problem
                // itself: said here too, each would be said twice.
                false,
            )?;
            let mut list = Vec::new();
            counts.write_list(&config, &mut list)?;
            if !args.quiet {
                use newsdedup::check::plural;
                eprintln!(
                    "newsdedup: learned {} from {}",
                    plural(
                        counts.learned(&config).len(),
                        "boilerplate line",
                        "boilerplate lines"
                    ),
                    plural(counts.documents() as usize, "document", "documents")
                );
            }
            lists.push((
                "learned".to_owned(),
                String::from_utf8_lossy(&list).into_owned(),
            ));
        }
        let boilerplate = Boilerplate::new(!args.no_default_boilerplate, &lists)?;
        let mut options = Options::with_boilerplate(boilerplate);
        options.merge = !args.no_merge;
        options.min_block_chars = args.min_block_chars;
        options.similarity = (!args.exact).then_some(args.similarity);
        let mut inputs = args.files;
        let listed_from = args.files0_from.as_ref().map(|_| inputs.len());
        if let Some(list) = &args.files0_from {
            let named = read_files0(list)?;
            // As ripgrep says when it searched nothing: an empty list is no error (a filter
            // such as `git diff -z --name-only` may find nothing), but it is said.
            if named.is_empty() {
                eprintln!(
                    "newsdedup: --files0-from {}: no files matched: the list names none, so \
                     nothing is {}",
                    shown(&list.to_string_lossy()),
                    if args.check { "checked" } else { "cleaned" }
                );
            }
            inputs.extend(named);
        } else if inputs.is_empty() {
            inputs.push(PathBuf::from("-"));
        }
        let target = match (args.in_place, &args.out_dir) {
            (true, _) => Some(Target::InPlace),
            (false, Some(dir)) => Some(Target::OutDir {
                dir: dir.clone(),
                force: args.force,
            }),
            (false, None) => None,
        };
        if target.is_some() && inputs.iter().any(|p| p.as_os_str() == "-") {
            anyhow::bail!(
                "stdin cannot be cleaned with --in-place or --out-dir; name files or folders"
            );
        }
        if target.is_none()
            && !args.check
            && let Some(dir) = inputs.iter().find(|p| p.is_dir())
        {
            anyhow::bail!(
                "{} is a folder: add --in-place (-i) to rewrite its articles, --out-dir DIR \
                 (-o) to write cleaned copies, or --check to report what would change",
                path_label(dir)
            );
        }
        if args.jsonl && args.diff {
            anyhow::bail!("--diff does not work with --jsonl (records are not text files)");
        }
        let color = match args.color {
            ColorArg::Always => true,
            ColorArg::Never => false,
            ColorArg::Auto => {
                io::stdout().is_terminal()
                    && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        };
        let jobs = match args.jobs {
            Some(0) => anyhow::bail!("--jobs must be at least 1"),
            // Each job is a thread: tens of thousands of them only thrash.
            Some(n) if n > MAX_JOBS => anyhow::bail!("--jobs must be at most {MAX_JOBS}"),
            Some(n) => n,
            None => std::thread::available_parallelism().map_or(1, |n| n.get()),
        };
        // Large single articles are split on the global pool: -j bounds it too. Without -j the
        // pool starts (with all cores) only when a big article needs it, so a small article
        // does not pay for starting threads.
        if args.jobs.is_some() {
            let _ = rayon::ThreadPoolBuilder::new()
                .num_threads(jobs)
                .build_global();
        }
        Ok(Config {
            options,
            inputs,
            lossy: args.lossy,
            explain: args.explain,
            report: args.report,
            selection: Selection {
                globs,
                hidden: args.hidden,
                follow: args.follow,
                exclude: args.out_dir,
            },
            target,
            jobs,
            quiet: args.quiet,
            check: args.check.then_some(CheckConfig {
                format: args.format,
                fail_on: match args.fail_on {
                    FailOnArg::Repeats => FailOn::Repeats,
                    FailOnArg::Boilerplate => FailOn::Boilerplate,
                    FailOnArg::Any => FailOn::Any,
                },
                verbose: args.verbose,
                diff: args.diff,
            }),
            diff: args.diff.then_some(DiffStyle { color, context: 3 }),
            jsonl: match args.jsonl {
                true => Some((
                    FieldPath::parse(&args.field).map_err(anyhow::Error::msg)?,
                    match args.on_error {
                        OnErrorArg::Report => OnError::Report,
                        OnErrorArg::Keep => OnError::Keep,
                        OnErrorArg::Skip => OnError::Skip,
                        OnErrorArg::Fail => OnError::Fail,
                    },
                )),
                false => None,
            },
            listed_from,
        })
    }

    /// An input's error `message`, with a hint when the input is a `--files0-from` name that
    /// shows the list was newline-separated.
    pub(crate) fn hinted(&self, path: &Path, message: String) -> String {
        let listed = |at: usize| self.inputs[at..].iter().any(|p| p == path);
        match batch::newline_list_hint(path).filter(|_| self.listed_from.is_some_and(listed)) {
            Some(hint) => format!("{message}; {hint}"),
            None => message,
        }
    }
}

impl Config {
    /// How each file of a batch or check is processed.
    pub(crate) fn batch(
        &self,
        target: Target,
        report: bool,
        findings: bool,
        every_record: bool,
    ) -> BatchConfig {
        BatchConfig {
            options: self.options.clone(),
            target,
            lossy: self.lossy,
            report,
            explain: self.explain,
            findings,
            diff: self.diff,
            jsonl: self.jsonl.clone(),
            every_record,
        }
    }
}
