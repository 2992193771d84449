//! The command line: clap's derive structs and enums, the long help's examples, value parsers.

use anyhow::Result;
use clap::Parser;
use std::path::PathBuf;

/// Repair scraped news-article text: drop repeated blocks and site furniture.
///
/// newsdedup reads articles (one paragraph per line), finds the article body captured twice or
/// more and keeps the first copy, removes site furniture ("Advertisement", "Read more", share
/// buttons, copyright footers), and writes the article back. Kept text is never rewritten: the
/// output is the input with spans removed (and, when a later copy held a paragraph the first
/// lacked, that paragraph moved to its place).
///
/// Exit status: 0 success; 1 with --check when an input would change; 2 error (usage,
/// unreadable file, invalid input; errors win over 1). When several files are given, an error
/// in one does not stop the others. The subcommands print shell completions and the man page;
/// to clean a file named like a subcommand, write it as ./man.
#[derive(Parser, Debug)]
#[command(
    name = "newsdedup",
    version,
    after_help = "Exit status: 0 success, 1 --check found changes, 2 error. \
                  --help shows examples and more.",
    after_long_help = EXAMPLES,
    args_conflicts_with_subcommands = true
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Option<Command>,

    #[command(flatten)]
    pub(crate) args: Args,
}

#[derive(clap::Subcommand, Debug)]
pub(crate) enum Command {
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish)
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), e.g. `newsdedup man > newsdedup.1`
    Man,
    /// Learn a corpus's own boilerplate: short paragraphs found in many documents
    ///
    /// Counts, across documents (files, or records with --jsonl), the paragraphs of at most
    /// --max-words words, and prints those found in at least --min-docs documents and at least
    /// --min-share of them as a list for --boilerplate, most frequent first. --counts prints
    /// mergeable counts instead, and --merge combines counts files, so that counting can run per
    /// shard (map) and the list come from the merge (reduce).
    Learn(LearnArgs),
}

/// Arguments of `newsdedup learn`.
#[derive(clap::Args, Debug)]
pub(crate) struct LearnArgs {
    /// Files and folders to learn from ('-' or none: stdin, one document, or records with --jsonl)
    #[arg(value_name = "PATH")]
    pub(crate) paths: Vec<PathBuf>,

    /// Print mergeable counts instead of the list
    #[arg(long)]
    pub(crate) counts: bool,

    /// Merge these counts files (written by --counts) into the result
    #[arg(long, value_name = "FILE", num_args = 1..)]
    pub(crate) merge: Vec<PathBuf>,

    /// Learn paragraphs found in at least N documents
    #[arg(long, value_name = "N", default_value_t = newsdedup::learn::DEFAULT_MIN_DOCS)]
    pub(crate) min_docs: u64,

    /// ... and in at least this share (0-1) of all documents
    #[arg(long, value_name = "F", default_value_t = newsdedup::learn::DEFAULT_MIN_SHARE)]
    pub(crate) min_share: f64,

    /// Longest paragraph counted, in words [default: 12; with only --merge: the counts' own]
    #[arg(long, value_name = "N")]
    pub(crate) max_words: Option<usize>,

    /// Inputs are JSON Lines: each record is a document
    #[arg(long)]
    pub(crate) jsonl: bool,

    /// The field holding the text (dotted for nested objects)
    #[arg(long, value_name = "NAME", default_value = "text")]
    pub(crate) field: String,

    /// Only read walked files matching PATTERN (repeatable) [default: *.txt; with --jsonl:
    /// *.jsonl, *.ndjson]
    #[arg(long, value_name = "PATTERN")]
    pub(crate) glob: Vec<String>,

    /// Walk hidden files and folders too
    #[arg(long)]
    pub(crate) hidden: bool,

    /// Follow symbolic links while walking
    #[arg(long)]
    pub(crate) follow: bool,

    /// Replace invalid UTF-8 with U+FFFD instead of refusing a file
    #[arg(long)]
    pub(crate) lossy: bool,
}

/// The cleaning arguments.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// Articles to clean ('-' means stdin); stdin when none
    ///
    /// Each file is cleaned on its own; the cleaned articles are written to stdout one after
    /// another.
    #[arg(value_name = "FILE")]
    pub(crate) files: Vec<PathBuf>,

    /// Leave paragraphs only a later copy holds where they are
    ///
    /// By default a paragraph that sits between repeated parts of a later copy, and that the
    /// first copy lacks, is moved into the first copy after the text that precedes it in the
    /// later copy. With --no-merge it stays where it is.
    #[arg(long, help_heading = "Cleaning")]
    pub(crate) no_merge: bool,

    /// Shortest repeated block removed, in characters
    ///
    /// A repeated block shorter than this (counted in normalized characters over all its
    /// sentences, a wide Chinese, Japanese or Korean character counting two) is natural
    /// repetition and stays: an interviewer's recurring question, a tweet attribution, a table
    /// header.
    #[arg(long, value_name = "N", default_value_t = newsdedup::DEFAULT_MIN_BLOCK_CHARS, help_heading = "Cleaning")]
    pub(crate) min_block_chars: usize,

    /// How similar a near copy must be to count as a repeat (0 < F <= 1)
    ///
    /// Copies rarely match to the letter: a typo, a word added or removed, changed punctuation,
    /// a caption prefix or a credit. Sentences of at least 8 words whose words match at least
    /// this well (2 x matched / total) count as repeats, but never when a number, a negation or
    /// a name differs. 1 still allows typos; see --exact to turn near matching off.
    #[arg(long, value_name = "F", default_value_t = newsdedup::near::DEFAULT_SIMILARITY,
          value_parser = parse_similarity, help_heading = "Cleaning")]
    pub(crate) similarity: f32,

    /// Match repeats by exact (normalized) sentence keys only
    #[arg(long, conflicts_with = "similarity", help_heading = "Cleaning")]
    pub(crate) exact: bool,

    /// Add a boilerplate list (repeatable)
    ///
    /// One pattern per line, matched against a whole line, case-insensitively: a literal
    /// phrase, or a regular expression after 're:'. Blank lines and lines starting with '#'
    /// are ignored.
    #[arg(long = "boilerplate", value_name = "FILE", help_heading = "Cleaning")]
    pub(crate) boilerplate: Vec<PathBuf>,

    /// Do not use the built-in boilerplate list
    #[arg(long, help_heading = "Cleaning")]
    pub(crate) no_default_boilerplate: bool,

    /// Learn the inputs' own boilerplate first, then clean with it
    ///
    /// The same as `newsdedup learn INPUTS > list` then `--boilerplate list`, with learn's
    /// default thresholds, in one run over files and folders (not stdin).
    #[arg(long, help_heading = "Cleaning")]
    pub(crate) learn: bool,

    /// Write a JSON Lines report of every removal and move to FILE
    #[arg(long, value_name = "FILE", help_heading = "Input and reports")]
    pub(crate) report: Option<PathBuf>,

    /// Print every removal and move, readable, to stderr
    #[arg(long, help_heading = "Input and reports")]
    pub(crate) explain: bool,

    /// Replace invalid UTF-8 with U+FFFD instead of refusing the input
    #[arg(long, help_heading = "Input and reports")]
    pub(crate) lossy: bool,

    /// Rewrite changed files in place (files and folders)
    ///
    /// Folders are walked recursively. An unchanged file is not touched; a changed one is
    /// replaced atomically (temporary file in the same folder, permissions copied, rename).
    /// Read-only files are reported and left alone.
    #[arg(short = 'i', long, conflicts_with = "out_dir", help_heading = "Batch")]
    pub(crate) in_place: bool,

    /// Write cleaned copies under DIR, mirroring the input paths
    ///
    /// Every selected file is written (unchanged ones too), so DIR is a complete cleaned
    /// corpus. Paths are mirrored from their normal components only ('..' and roots are
    /// dropped), so nothing is written outside DIR. DIR itself is never read as input.
    #[arg(short = 'o', long, value_name = "DIR", help_heading = "Batch")]
    pub(crate) out_dir: Option<PathBuf>,

    /// Overwrite existing files under --out-dir
    #[arg(
        long,
        requires = "out_dir",
        conflicts_with = "check",
        help_heading = "Batch"
    )]
    pub(crate) force: bool,

    /// Read NUL-separated paths from FILE ('-' for stdin)
    #[arg(long, value_name = "FILE", help_heading = "Batch")]
    pub(crate) files0_from: Option<PathBuf>,

    /// Only clean walked files matching PATTERN (repeatable) [default: *.txt; with --jsonl:
    /// *.jsonl, *.ndjson]
    ///
    /// Matched against the path relative to the folder walked, and against the file name.
    /// Files named on the command line are always cleaned.
    #[arg(long, value_name = "PATTERN", help_heading = "Batch")]
    pub(crate) glob: Vec<String>,

    /// Walk hidden files and folders too
    #[arg(long, help_heading = "Batch")]
    pub(crate) hidden: bool,

    /// Follow symbolic links while walking (loops are detected and skipped)
    #[arg(long, help_heading = "Batch")]
    pub(crate) follow: bool,

    /// Files cleaned in parallel, 1 to 1024 [default: all cores]
    #[arg(short = 'j', long, value_name = "N", help_heading = "Batch")]
    pub(crate) jobs: Option<usize>,

    /// No progress bar and no summary line
    #[arg(short = 'q', long, help_heading = "Batch")]
    pub(crate) quiet: bool,

    /// Write nothing; exit 1 if any input would change
    ///
    /// Reports what cleaning would change, one line per article (see --format), then a summary.
    /// Exit status: 0 every input is clean, 1 at least one would change (see --fail-on),
    /// 2 an error (errors win over 1). Takes files, folders and stdin.
    #[arg(long, conflicts_with_all = ["in_place", "out_dir"], help_heading = "Check")]
    pub(crate) check: bool,

    /// Print a unified diff of what would change
    ///
    /// Without --check, the diff is printed instead of the cleaned text; with --check, it goes
    /// to stdout and the findings to stderr, so the output is a patch: `patch -p0 < fix.diff`.
    #[arg(long, help_heading = "Check")]
    pub(crate) diff: bool,

    /// How --check reports findings
    #[arg(long, value_enum, default_value_t = Format::Human, requires = "check", help_heading = "Check")]
    pub(crate) format: Format,

    /// Which findings make --check exit 1 (the others are still reported)
    #[arg(long, value_enum, default_value_t = FailOnArg::Any, requires = "check", help_heading = "Check")]
    pub(crate) fail_on: FailOnArg,

    /// When to color diffs
    ///
    /// 'auto' colors when stdout is a terminal and NO_COLOR is not set.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto, help_heading = "Check")]
    pub(crate) color: ColorArg,

    /// With --check, also list the articles that are clean
    #[arg(short = 'v', long, requires = "check", help_heading = "Check")]
    pub(crate) verbose: bool,

    /// Inputs are JSON Lines: clean one text field of each record
    ///
    /// Every other field, the key order, spacing and escapes are written back unchanged; only
    /// the field's string is replaced, and only when its text changes. Records stream in
    /// batches cleaned in parallel, in order.
    #[arg(long, help_heading = "JSON Lines")]
    pub(crate) jsonl: bool,

    /// The field holding the text; a dotted path reaches into objects (article.body)
    #[arg(
        long,
        value_name = "NAME",
        default_value = "text",
        requires = "jsonl",
        help_heading = "JSON Lines"
    )]
    pub(crate) field: String,

    /// What to do with a malformed record, or one without the field or with a non-string field
    ///
    /// report: an error naming the line (exit 2), the record written back unchanged;
    /// keep: the same, as a note (exit 0); skip: leave the record out, with a note (exit 0);
    /// fail: stop at the first bad record (exit 2).
    #[arg(long, value_enum, default_value_t = OnErrorArg::Report, requires = "jsonl", help_heading = "JSON Lines")]
    pub(crate) on_error: OnErrorArg,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum OnErrorArg {
    Report,
    Keep,
    Skip,
    Fail,
}

/// Output formats of --check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    /// One line per article that would change, then a summary
    Human,
    /// One JSON document with every finding (schema in the README)
    Json,
    /// GitHub Actions `::warning` annotations, one per finding
    Github,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum FailOnArg {
    /// Repeated blocks (and the paragraphs they would move)
    Repeats,
    /// Boilerplate lines
    Boilerplate,
    /// Any finding
    Any,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ColorArg {
    Auto,
    Always,
    Never,
}

const EXAMPLES: &str = "\
Examples:
  scraper | newsdedup > clean.txt              clean stdin to stdout
  newsdedup article.txt > clean.txt            clean a file
  newsdedup a.txt b.txt                        clean several files, one after another
  newsdedup --explain --report r.jsonl a.txt   say what was removed and why
  newsdedup --in-place scraped/                rewrite every changed article, recursively
  newsdedup --out-dir clean/ scraped/ more/    write cleaned copies, mirroring the tree
  find scraped -name '*.txt' -print0 | newsdedup -i --files0-from -

  newsdedup --check out/                       exit 1 if any article would change
  newsdedup --check --diff out/a.txt           show what would change, as a unified diff
  newsdedup --check --format github out/       annotations for GitHub Actions

Exit status: 0 success (with --check: every input is clean); 1 with --check: at least one
input would change; 2 error (usage, I/O, invalid input; errors win over 1).";

fn parse_similarity(value: &str) -> Result<f32, String> {
    let f: f32 = value.parse().map_err(|e| format!("{e}"))?;
    if f > 0.0 && f <= 1.0 {
        Ok(f)
    } else {
        Err("must be greater than 0 and at most 1".to_owned())
    }
}
