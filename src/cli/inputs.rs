//! What the inputs are and how an article is read: `--files0-from` lists, stdin, default globs.

use anyhow::{Context, Result};
use newsdedup::batch;
use newsdedup::diff::{path_label, shown};
use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

/// Paths separated by NUL bytes, from a file or stdin ('-').
pub(crate) fn read_files0(list: &Path) -> Result<Vec<PathBuf>> {
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

/// Reads an article to clean to stdout, with a batch's limits: at most 4 GiB (a larger file
/// refused from its size), and a NUL byte in the first block stops reading (binary).
pub(crate) fn read_input(path: &Path) -> Result<Vec<u8>> {
    let bytes = if path.as_os_str() == "-" {
        batch::read_stream(io::stdin().lock()).context("cannot read stdin")?
    } else {
        batch::read_article(path).with_context(|| shown(&path.to_string_lossy()))?
    };
    batch::reserve_parallel_working_memory(bytes.len() as u64)
        .with_context(|| shown(&path.to_string_lossy()))?;
    Ok(bytes)
}

/// The walk's globs: those given, or the default for the input kind.
pub(crate) fn default_globs(globs: Vec<String>, jsonl: bool) -> Vec<String> {
    if !globs.is_empty() {
        globs
    } else if jsonl {
        vec!["*.jsonl".to_owned(), "*.ndjson".to_owned()]
    } else {
        vec!["*.txt".to_owned()]
    }
}

/// Says on stderr that input is awaited from the terminal, when stdin is one of `inputs` and a
/// terminal: a user who typed the command without a file should not face a silent prompt.
pub(crate) fn waiting_notice(inputs: &[PathBuf], what: &str) {
    if inputs.iter().any(|p| p.as_os_str() == "-") && io::stdin().is_terminal() {
        eprintln!(
            "newsdedup: reading {what} from the terminal; pipe text in or name a file \
             (Ctrl-D ends input, --help for usage)"
        );
    }
}
