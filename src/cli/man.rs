//! Generated text: shell completion scripts and the man page (roff).

use super::args::{Cli, Command};
use super::run_learn::run_learn;
use anyhow::{Context, Result};
use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

/// Prints a completion script or the man page to stdout.
pub(crate) fn print_generated(command: Command) -> Result<ExitCode> {
    use clap::CommandFactory;
    if let Command::Learn(args) = command {
        return run_learn(args);
    }
    let mut cmd = Cli::command();
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    match command {
        Command::Completions { shell } => {
            // Into memory first: clap_complete panics when its writer fails (a full disk, a
            // closed pipe); the write below reports it like any other.
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut cmd, "newsdedup", &mut script);
            out.write_all(&script).context("cannot write to stdout")?;
        }
        Command::Man => write_man(cmd, &mut out).context("cannot write to stdout")?,
        Command::Learn(_) => {}
    }
    out.flush().context("cannot write to stdout")?;
    Ok(ExitCode::SUCCESS)
}

/// The man page: clap_mangen's sections, then EXIT STATUS and EXAMPLES.
fn write_man(cmd: clap::Command, out: &mut dyn Write) -> io::Result<()> {
    let cmd_subcommands: Vec<clap::Command> = cmd.get_subcommands().cloned().collect();
    let cmd_for_synopsis = cmd.clone();
    let man = clap_mangen::Man::new(cmd);
    man.render_title(out)?;
    man.render_name_section(out)?;
    write_synopsis(&cmd_for_synopsis, out)?;
    man.render_description_section(out)?;
    man.render_options_section(out)?;
    write_subcommands(&cmd_subcommands, out)?;
    out.write_all(MAN_EXTRA.as_bytes())?;
    man.render_version_section(out)
}

/// The SYNOPSIS section: the usage lines `--help` gives, one per form (each subcommand's
/// instead of `newsdedup <COMMAND>`), in man page style: commands and flags bold, placeholders
/// italic (`newsdedup [OPTIONS] [FILE]...`). clap_mangen's own lists every flag without its value
/// and ends in `[FILE] [subcommands]`.
fn write_synopsis(cmd: &clap::Command, out: &mut dyn Write) -> io::Result<()> {
    let mut cmd = cmd.clone();
    cmd.build();
    let mut usages: Vec<String> = cmd
        .render_usage()
        .to_string()
        .lines()
        .filter(|line| !line.contains("<COMMAND>"))
        .map(str::to_owned)
        .collect();
    for sub in cmd.get_subcommands_mut().filter(|c| c.get_name() != "help") {
        usages.extend(sub.render_usage().to_string().lines().map(str::to_owned));
    }
    let roff_word = |word: &str| {
        let word = word.replace('-', "\\-").replace(['<', '>'], "");
        if word
            .chars()
            .all(|c| c.is_ascii_lowercase() || c == '-' || c == '\\')
        {
            format!("\\fB{word}\\fR")
        } else {
            // Placeholders (upper case) italic, brackets and `...` as they are.
            let mut styled = String::new();
            let mut chars = word.chars().peekable();
            while let Some(c) = chars.next() {
                if c.is_ascii_uppercase() {
                    styled.push_str("\\fI");
                    styled.push(c);
                    while let Some(&next) = chars
                        .peek()
                        .filter(|n| n.is_ascii_uppercase() || **n == '_')
                    {
                        styled.push(next);
                        chars.next();
                    }
                    styled.push_str("\\fR");
                } else {
                    styled.push(c);
                }
            }
            styled
        }
    };
    writeln!(out, ".SH SYNOPSIS")?;
    for (i, usage) in usages.iter().enumerate() {
        let usage = usage.trim().trim_start_matches("Usage:").trim();
        let line: Vec<String> = usage.split_whitespace().map(roff_word).collect();
        if i > 0 {
            writeln!(out, ".br")?;
        }
        writeln!(out, "{}", line.join(" "))?;
    }
    Ok(())
}

/// The SUBCOMMANDS section: each subcommand with its options in this page (there are no
/// separate pages for them).
fn write_subcommands(subcommands: &[clap::Command], out: &mut dyn Write) -> io::Result<()> {
    // Backslashes and hyphens escaped; a line may not open with a request's '.' or '\''.
    let roff = |text: &str| {
        let text = text.replace('\\', "\\\\").replace('-', "\\-");
        text.lines()
            .map(|l| match l.starts_with(['.', '\'']) {
                true => format!("\\&{l}"),
                false => l.to_owned(),
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    writeln!(out, ".SH SUBCOMMANDS")?;
    for sub in subcommands.iter().filter(|c| c.get_name() != "help") {
        writeln!(out, ".TP\n\\fBnewsdedup {}\\fR", sub.get_name())?;
        let about = sub.get_long_about().or(sub.get_about());
        writeln!(
            out,
            "{}",
            roff(&about.map(ToString::to_string).unwrap_or_default())
        )?;
        for arg in sub.get_arguments().filter(|a| !a.is_hide_set()) {
            let bold = |flag: String| format!("\\fB{}\\fR", roff(&flag));
            let name = match (arg.get_short(), arg.get_long()) {
                (_, Some("help")) => continue,
                (Some(short), Some(long)) => {
                    format!(
                        "{}, {}",
                        bold(format!("-{short}")),
                        bold(format!("--{long}"))
                    )
                }
                (None, Some(long)) => bold(format!("--{long}")),
                (Some(short), None) => bold(format!("-{short}")),
                (None, None) => format!("\\fI{}\\fR", roff(arg.get_id().as_str())),
            };
            let value = match arg.get_value_names() {
                Some([value, ..])
                    if arg.get_long().is_some() && arg.get_action().takes_values() =>
                {
                    format!(" <{value}>")
                }
                _ => String::new(),
            };
            let help = arg.get_long_help().or(arg.get_help());
            writeln!(out, ".RS\n.TP\n{name}{}", roff(&value))?;
            if let Some(help) = help {
                writeln!(out, "{}", roff(&help.to_string()))?;
            }
            writeln!(out, ".RE")?;
        }
    }
    Ok(())
}

const MAN_EXTRA: &str = r#".SH "EXIT STATUS"
.TP
\fB0\fR
Success. With \fB\-\-check\fR: every input is clean. Also when stdout is closed early, unless an input had failed, and for an empty \fB\-\-files0\-from\fR list (said on stderr: nothing was named, as when a change set is empty).
.TP
\fB1\fR
With \fB\-\-check\fR: at least one input would change (findings selected by \fB\-\-fail\-on\fR).
.TP
\fB2\fR
An error: bad usage, an unreadable file, invalid UTF\-8 (without \fB\-\-lossy\fR), binary input, a boilerplate list that does not compile, a file that cannot be written, a folder where \fB\-\-check\fR found no file matching \fB\-\-glob\fR. Other files are still processed. Errors win over 1.
.TP
\fB130\fR
Interrupted; the temporary files of a batch are removed first.
.SH EXAMPLES
.TP
\fBscraper | newsdedup > clean.txt\fR
Clean stdin to stdout.
.TP
\fBnewsdedup article.txt > clean.txt\fR
Clean a file.
.TP
\fBnewsdedup \-\-explain \-\-report report.jsonl a.txt\fR
Say what was removed and why, readable on stderr and as JSON Lines.
.TP
\fBnewsdedup \-\-in\-place scraped/\fR
Rewrite every changed article below scraped/, atomically.
.TP
\fBnewsdedup \-\-out\-dir clean/ scraped/ more/\fR
Write cleaned copies of all articles, mirroring the tree.
.TP
\fBfind scraped \-name '*.txt' \-print0 | newsdedup \-i \-\-files0\-from \-\fR
Clean the files find lists.
.TP
\fBnewsdedup \-\-check out/\fR
Exit 1 if any article would change, listing what and where.
.TP
\fBnewsdedup \-\-check \-\-diff out/ > fix.diff\fR
Write what would change as a patch.
.TP
\fBnewsdedup \-\-check \-\-format github out/\fR
Annotations for GitHub Actions.
"#;
