//! The `newsdedup` binary: parses arguments, calls the library, maps errors to exit codes.

use anyhow::Result;
use clap::Parser;
use cli::args::Cli;
use cli::config::Config;
use cli::inputs::waiting_notice;
use cli::man::print_generated;
use cli::run_batch::run_batch;
use cli::run_check::run_check;
use cli::run_stdout::run_stdout;
use std::io::{self, Write};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

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
