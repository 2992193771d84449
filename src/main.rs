//! The `newsdedup` binary: parses arguments, calls the library, maps errors to exit codes.

use anyhow::{Context, Result};
use clap::Parser;
use newsdedup::boilerplate::Boilerplate;
use newsdedup::{Options, clean, input, report};
use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Repair scraped news-article text: drop repeated blocks and site furniture.
///
/// newsdedup reads articles (one paragraph per line), finds the article body captured twice or
/// more and keeps the first copy, removes site furniture ("Advertisement", "Read more", share
/// buttons, copyright footers), and writes the article back. Kept text is never rewritten: the
/// output is the input with spans removed (and, when a later copy held a paragraph the first
/// lacked, that paragraph moved to its place).
///
/// Exit status: 0 success; 2 error (usage, unreadable file, invalid input). When several files
/// are given, an error in one does not stop the others.
#[derive(Parser, Debug)]
#[command(name = "newsdedup", version, after_long_help = EXAMPLES)]
struct Args {
    /// Articles to clean ('-' means stdin); stdin when none
    ///
    /// Each file is cleaned on its own; the cleaned articles are written to stdout one after
    /// another.
    #[arg(value_name = "FILE")]
    files: Vec<PathBuf>,

    /// Leave paragraphs only a later copy holds where they are
    ///
    /// By default a paragraph that sits between repeated parts of a later copy, and that the
    /// first copy lacks, is moved into the first copy after the text that precedes it in the
    /// later copy. With --no-merge it stays where it is.
    #[arg(long)]
    no_merge: bool,

    /// Shortest repeated block removed, in characters
    ///
    /// A repeated block shorter than this (counted in normalized characters over all its
    /// sentences) is natural repetition and stays: an interviewer's recurring question, a
    /// tweet attribution, a table header.
    #[arg(long, value_name = "N", default_value_t = newsdedup::DEFAULT_MIN_BLOCK_CHARS)]
    min_block_chars: usize,

    /// Add a boilerplate list (repeatable)
    ///
    /// One pattern per line, matched against a whole line, case-insensitively: a literal
    /// phrase, or a regular expression after 're:'. Blank lines and lines starting with '#'
    /// are ignored.
    #[arg(long = "boilerplate", value_name = "FILE")]
    boilerplate: Vec<PathBuf>,

    /// Do not use the built-in boilerplate list
    #[arg(long)]
    no_default_boilerplate: bool,

    /// Write a JSON Lines report of every removal and move to FILE
    #[arg(long, value_name = "FILE")]
    report: Option<PathBuf>,

    /// Print every removal and move, readable, to stderr
    #[arg(long)]
    explain: bool,

    /// Replace invalid UTF-8 with U+FFFD instead of refusing the input
    #[arg(long)]
    lossy: bool,
}

const EXAMPLES: &str = "\
Examples:
  scraper | newsdedup > clean.txt          clean stdin to stdout
  newsdedup article.txt > clean.txt        clean a file
  newsdedup a.txt b.txt                    clean several files, one after another
  newsdedup --explain --report r.jsonl a.txt   say what was removed and why

Exit status: 0 success, 2 error (usage, I/O, invalid input).";

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("newsdedup: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// Everything that is read once from the arguments.
struct Config {
    options: Options,
    inputs: Vec<PathBuf>,
    lossy: bool,
    explain: bool,
    report: Option<PathBuf>,
}

impl Config {
    fn from_args(args: Args) -> Result<Self> {
        let mut lists = Vec::new();
        for path in &args.boilerplate {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read boilerplate list {}", path.display()))?;
            lists.push((path.display().to_string(), text));
        }
        let boilerplate = Boilerplate::new(!args.no_default_boilerplate, &lists)?;
        let mut options = Options::with_boilerplate(boilerplate);
        options.merge = !args.no_merge;
        options.min_block_chars = args.min_block_chars;
        let inputs = if args.files.is_empty() {
            vec![PathBuf::from("-")]
        } else {
            args.files
        };
        Ok(Config {
            options,
            inputs,
            lossy: args.lossy,
            explain: args.explain,
            report: args.report,
        })
    }
}

fn run() -> Result<ExitCode> {
    let config = Config::from_args(Args::parse())?;
    let mut report = match &config.report {
        Some(path) => {
            Some(BufWriter::new(File::create(path).with_context(|| {
                format!("cannot create report {}", path.display())
            })?))
        }
        None => None,
    };
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut failed = false;
    for path in &config.inputs {
        let name = path.display().to_string();
        let bytes = match read_input(path) {
            Ok(bytes) => bytes,
            Err(err) => {
                eprintln!("newsdedup: {err:#}");
                failed = true;
                continue;
            }
        };
        let text = match input::decode(&bytes, config.lossy) {
            Ok(text) => text,
            Err(err) => {
                eprintln!("newsdedup: {name}: {err}");
                failed = true;
                continue;
            }
        };
        let cleaned = clean(&text, &config.options);
        out.write_all(cleaned.text.as_bytes())
            .context("cannot write to stdout")?;
        if config.explain {
            // Flush first so that stdout and stderr interleave in order on a terminal.
            out.flush().context("cannot write to stdout")?;
            eprint!("{}", report::explain(&name, &text, &cleaned));
        }
        if let Some(report) = report.as_mut() {
            writeln!(report, "{}", report::json_record(&name, &text, &cleaned))
                .context("cannot write the report")?;
        }
    }
    out.flush().context("cannot write to stdout")?;
    if let Some(mut report) = report {
        report.flush().context("cannot write the report")?;
    }
    Ok(if failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

fn read_input(path: &PathBuf) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    if path.as_os_str() == "-" {
        let stdin = io::stdin();
        if stdin.is_terminal() {
            eprintln!(
                "newsdedup: reading an article from the terminal; pipe text in or name a file \
                 (Ctrl-D ends input, --help for usage)"
            );
        }
        stdin
            .lock()
            .read_to_end(&mut bytes)
            .context("cannot read stdin")?;
    } else {
        bytes = std::fs::read(path).with_context(|| format!("{}", path.display()))?;
    }
    Ok(bytes)
}
