//! The `newsdedup` binary: parses arguments, calls the library, maps errors to exit codes.

use anyhow::{Context, Result};
use clap::Parser;
use cli::args::{Args, Cli, ColorArg, FailOnArg, Format, LearnArgs, OnErrorArg};
use cli::man::print_generated;
use newsdedup::batch::{self, BatchConfig, FileResult, Job, Selection, Status, Target};
use newsdedup::boilerplate::Boilerplate;
use newsdedup::check::{self, ArticleFindings, Document, FailOn, Totals};
use newsdedup::diff::{DiffStyle, path_label, shown, unified_diff};
use newsdedup::jsonl::{FieldPath, OnError, RecordResult};
use newsdedup::learn::{Counts, LearnConfig};
use newsdedup::{Options, clean, input, report};
use std::fs::File;
use std::io::{self, BufRead, BufWriter, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
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

/// The most threads `-j` may ask for.
const MAX_JOBS: usize = 1024;

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

/// Everything that is read once from the arguments.
struct Config {
    options: Options,
    inputs: Vec<PathBuf>,
    lossy: bool,
    explain: bool,
    report: Option<PathBuf>,
    /// `None`: clean to stdout; `Some`: a batch that writes files.
    target: Option<Target>,
    selection: Selection,
    jobs: usize,
    quiet: bool,
    check: Option<CheckConfig>,
    diff: Option<DiffStyle>,
    jsonl: Option<(FieldPath, OnError)>,
    /// Where the inputs read from `--files0-from` start in `inputs`.
    listed_from: Option<usize>,
}

/// What --check prints and when it fails.
struct CheckConfig {
    format: Format,
    fail_on: FailOn,
    verbose: bool,
    /// `--diff` is on: stdout holds the patch and nothing else.
    diff: bool,
}

impl Config {
    fn from_args(args: Args) -> Result<Self> {
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
    fn hinted(&self, path: &Path, message: String) -> String {
        let listed = |at: usize| self.inputs[at..].iter().any(|p| p == path);
        match batch::newline_list_hint(path).filter(|_| self.listed_from.is_some_and(listed)) {
            Some(hint) => format!("{message}; {hint}"),
            None => message,
        }
    }
}

impl Config {
    /// How each file of a batch or check is processed.
    fn batch(
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

/// Paths separated by NUL bytes, from a file or stdin ('-').
fn read_files0(list: &Path) -> Result<Vec<PathBuf>> {
    let mut bytes = Vec::new();
    if list.as_os_str() == "-" {
        io::stdin()
            .lock()
            .read_to_end(&mut bytes)
            .context("cannot read paths from stdin")?;
    } else {
        bytes = std::fs::read(list).with_context(|| path_label(list))?;
    }
    let paths: Vec<PathBuf> = bytes
        .split(|&b| b == 0)
        .filter(|p| !p.is_empty())
        .map(path_from_bytes)
        .collect();
    // Stdin is the list itself: an article named `-` in it would read as empty.
    if list.as_os_str() == "-" && paths.iter().any(|p| p.as_os_str() == "-") {
        anyhow::bail!("--files0-from -: the list names '-', but stdin is the list itself");
    }
    Ok(paths)
}

#[cfg(unix)]
fn path_from_bytes(bytes: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
}

#[cfg(not(unix))]
fn path_from_bytes(bytes: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
}

/// Installs the handler of Ctrl-C, SIGTERM and SIGHUP: remove the temporary files being
/// written, say so, exit 130. Fails when one is installed already.
fn on_interrupt_remove_staged_files() -> Result<(), ctrlc::Error> {
    ctrlc::set_handler(|| {
        let _no_new_files = batch::remove_staged_files();
        eprintln!("newsdedup: interrupted");
        std::process::exit(130);
    })
}

/// Starts the `--report` file: written next to its place and renamed there at the end, so an
/// interrupted run leaves the previous report whole.
fn open_report(config: &Config) -> Result<Option<batch::ReportFile>> {
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

/// Prints the note or error a bad record gets under `--on-error`; returns whether it counts as
/// an error (exit status 2).
fn record_message(path: &str, record: &RecordResult, on_error: OnError, checking: bool) -> bool {
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

/// Reads an article to clean to stdout, with a batch's limits: at most 4 GiB (a larger file
/// refused from its size), and a NUL byte in the first block stops reading (binary).
fn read_input(path: &Path) -> Result<Vec<u8>> {
    let bytes = if path.as_os_str() == "-" {
        batch::read_stream(io::stdin().lock()).context("cannot read stdin")?
    } else {
        batch::read_article(path).with_context(|| shown(&path.to_string_lossy()))?
    };
    batch::reserve_parallel_working_memory(bytes.len() as u64)
        .with_context(|| shown(&path.to_string_lossy()))?;
    Ok(bytes)
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

/// Writes one line (a JSON record) to the report; an error names the report.
fn write_report_line(report: &mut batch::ReportFile, line: impl std::fmt::Display) -> Result<()> {
    writeln!(report, "{line}")
        .with_context(|| format!("cannot write the report {}", path_label(report.path())))
}

/// Writes one report entry about the input `path`: with `"path_bytes"` when its name is not
/// UTF-8.
fn write_report_entry(report: &mut batch::ReportFile, line: String, path: &Path) -> Result<()> {
    write_report_line(report, report::with_path_bytes(line, path))
}

/// Writes what a file's result carries besides findings: its explanation (stderr), its diff
/// (stdout) and its report record.
fn write_extras(
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
fn write_record_extras(
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
fn write_record_error(
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
fn files_per_second(rate: f64) -> String {
    if rate < 10.0 {
        format!("{rate:.1} files/s")
    } else {
        format!("{rate:.0} files/s")
    }
}

/// Counts for the summary line and the report's last record.
#[derive(Default)]
struct Summary {
    seen: usize,
    changed: usize,
    unchanged: usize,
    skipped: usize,
    errors: usize,
    bytes_removed: usize,
}

impl Summary {
    /// Counts an input cleaned to stdout.
    fn add_cleaned(&mut self, changed: bool, bytes_in: usize, bytes_out: usize) {
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
    fn add_error(
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
    fn add_input_error(
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

    fn add(&mut self, result: &FileResult) {
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

    fn line(&self, elapsed: Duration) -> String {
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

    fn json(&self) -> String {
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

/// The walk's globs: those given, or the default for the input kind.
fn default_globs(globs: Vec<String>, jsonl: bool) -> Vec<String> {
    if !globs.is_empty() {
        globs
    } else if jsonl {
        vec!["*.jsonl".to_owned(), "*.ndjson".to_owned()]
    } else {
        vec!["*.txt".to_owned()]
    }
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

/// Says on stderr that input is awaited from the terminal, when stdin is one of `inputs` and a
/// terminal: a user who typed the command without a file should not face a silent prompt.
fn waiting_notice(inputs: &[PathBuf], what: &str) {
    if inputs.iter().any(|p| p.as_os_str() == "-") && io::stdin().is_terminal() {
        eprintln!(
            "newsdedup: reading {what} from the terminal; pipe text in or name a file \
             (Ctrl-D ends input, --help for usage)"
        );
    }
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

/// Ends the report with the summary object and renames it into place.
fn close_report(report: Option<batch::ReportFile>, summary: &Summary) -> Result<()> {
    if let Some(mut report) = report {
        let name = path_label(report.path());
        write_report_line(&mut report, summary.json())?;
        report
            .commit()
            .with_context(|| format!("cannot write the report {name}"))?;
    }
    Ok(())
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
