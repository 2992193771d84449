//! Batches: selecting article files from folders, cleaning them on all cores, and writing the
//! results in place (atomically) or into a mirror folder.
//!
//! Files are found by walking the folders given (hidden entries and symbolic links skipped
//! unless asked), filtered by glob, sorted by path, and cleaned in parallel. Every result is
//! collected in path order, so what is printed and written is the same for every job count.

use crate::check::{Finding, findings};
use crate::diff::{DiffStyle, path_label, unified_diff};
use crate::jsonl::{self, FieldPath, OnError, RecordResult};
use crate::{Cleaned, Options, clean, input, report};
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use std::fs;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

/// Which files a walk selects.
#[derive(Clone, Debug)]
pub struct Selection {
    /// Glob patterns a walked file must match (its path relative to the folder walked).
    pub globs: Vec<String>,
    /// Walk hidden files and folders (names starting with `.`).
    pub hidden: bool,
    /// Follow symbolic links while walking (loops are detected and skipped).
    pub follow: bool,
    /// A folder never walked as input (the output folder).
    pub exclude: Option<PathBuf>,
}

impl Default for Selection {
    fn default() -> Self {
        Selection {
            globs: vec!["*.txt".to_owned()],
            hidden: false,
            follow: false,
            exclude: None,
        }
    }
}

/// One file to clean.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Job {
    pub path: PathBuf,
    /// Named on the command line (or in `--files0-from`), not found by a walk.
    pub explicit: bool,
}

/// Something the walk could not use: a path and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WalkIssue {
    pub path: PathBuf,
    pub message: String,
    /// An error (exit status 2) rather than a note.
    pub error: bool,
}

/// Builds the glob matcher of a selection. As in a shell, `*` and `?` stay within one path
/// component (`sub/*.txt` is not `sub/deep/d.txt`); `**` crosses folders.
pub fn glob_set(globs: &[String]) -> Result<GlobSet, globset::Error> {
    let mut builder = GlobSetBuilder::new();
    for glob in globs {
        builder.add(GlobBuilder::new(glob).literal_separator(true).build()?);
    }
    builder.build()
}

/// Expands `paths` into the sorted, de-duplicated list of files to clean. Files named directly
/// are always taken; folders are walked recursively.
pub fn collect(
    paths: &[PathBuf],
    selection: &Selection,
) -> Result<(Vec<Job>, Vec<WalkIssue>), globset::Error> {
    let globs = glob_set(&selection.globs)?;
    let exclude = selection
        .exclude
        .as_ref()
        .and_then(|p| fs::canonicalize(p).ok());
    let mut jobs = Vec::new();
    let mut issues = Vec::new();
    for root in paths {
        if root.as_os_str() == "-" {
            jobs.push(Job {
                path: root.clone(),
                explicit: true,
            });
            continue;
        }
        match fs::metadata(root) {
            Ok(meta) if meta.is_dir() => walk(
                root,
                selection,
                &globs,
                exclude.as_deref(),
                &mut jobs,
                &mut issues,
            ),
            Ok(_) => jobs.push(Job {
                path: root.clone(),
                explicit: true,
            }),
            Err(err) => issues.push(WalkIssue {
                path: root.clone(),
                message: err.to_string(),
                error: true,
            }),
        }
    }
    jobs.sort();
    jobs.dedup_by(|b, a| {
        if a.path == b.path {
            a.explicit |= b.explicit;
            true
        } else {
            false
        }
    });
    issues.sort_by(|a, b| a.path.cmp(&b.path));
    Ok((jobs, issues))
}

/// The folders among `roots` where no file of `jobs` (sorted by path, as [`collect`] returns
/// them) was selected, each as an issue saying so (`no file matches --glob '*.txt' here`):
/// an `error` (a check, whose green light it would otherwise be) or a note.
pub fn folders_without_files(
    roots: &[PathBuf],
    jobs: &[Job],
    selection: &Selection,
    error: bool,
) -> Vec<WalkIssue> {
    let mut found = Vec::new();
    // The paths below a folder sort right after it.
    for folder in roots.iter().filter(|p| p.is_dir()) {
        let at = jobs.partition_point(|job| job.path.as_path() < folder.as_path());
        if !jobs.get(at).is_some_and(|job| job.path.starts_with(folder)) {
            let globs: Vec<String> = selection
                .globs
                .iter()
                .map(|g| format!("--glob '{g}'"))
                .collect();
            found.push(WalkIssue {
                path: folder.clone(),
                message: format!("no file matches {} here", globs.join(" or ")),
                error,
            });
        }
    }
    found
}

/// The hint added to the error of a `--files0-from` name that holds a newline and does not
/// exist: the list was most likely written one name a line (`find -print`), so that it reads as
/// one name; `None` for any other name.
pub fn newline_list_hint(path: &Path) -> Option<&'static str> {
    let newline = path.as_os_str().as_encoded_bytes().contains(&b'\n');
    (newline && fs::symlink_metadata(path).is_err()).then_some(
        "the name holds a newline: the --files0-from list looks newline-separated, but names \
         must be separated by NUL bytes (find -print0, not -print)",
    )
}

/// `path` made absolute (against the current folder) with `.` and `..` resolved by name, for
/// comparing paths that may not exist yet (symbolic links are not followed).
pub fn lexical_absolute(path: &Path) -> PathBuf {
    use std::path::Component;
    let joined = match std::path::absolute(path) {
        Ok(abs) => abs,
        Err(_) => path.to_path_buf(),
    };
    let mut out = PathBuf::new();
    for part in joined.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The folder `path` is in: its parent, or `.` for a bare name (and for `/`, which has none).
pub fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

/// Whether this process (its effective user and groups) may write to the file `path`.
fn writable(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let Ok(c_path) = std::ffi::CString::new(path.as_os_str().as_bytes()) else {
            return true;
        };
        // SAFETY: `c_path` is a valid NUL-terminated string that outlives the call.
        unsafe {
            libc::faccessat(
                libc::AT_FDCWD,
                c_path.as_ptr(),
                libc::W_OK,
                libc::AT_EACCESS,
            ) == 0
        }
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        true
    }
}

/// Whether two paths name one existing file.
pub fn same_file(a: &Path, b: &Path) -> bool {
    identity(a).is_some_and(|id| identity(b) == Some(id))
}

/// A file's identity: its device and inode (`None` when it cannot be read, or off Unix).
fn identity(path: &Path) -> Option<(u64, u64)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
    }
    #[cfg(not(unix))]
    {
        fs::canonicalize(path).ok().map(|p| {
            use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
            (
                0,
                BuildHasherDefault::<DefaultHasher>::default().hash_one(p),
            )
        })
    }
}

/// Resolves what the collected `jobs` (from `roots`) would do to each other under `target`,
/// before anything is written:
/// - in place and in a check, one file reached by two paths (`d/ ./d/a.txt`, two links under
///   `--follow`) is processed once, under its first path, with a note for the other; hard links
///   are separate paths and each is cleaned;
/// - under `--out-dir`, the second of two files whose mirrored paths are the same is an error (it
///   would overwrite the first's output);
/// - an output folder that is an input folder or whose mirror of an input is the input itself,
///   and a `report` file that is one of the inputs, are usage errors (`Err`): nothing is done.
///
/// One walk of one folder reaches each path once: with a single root and no `--follow` only the
/// output folder and report are checked, with no system call per file.
pub fn settle(
    roots: &[PathBuf],
    jobs: Vec<Job>,
    target: &Target,
    follow: bool,
    report: Option<&Path>,
) -> Result<(Vec<Job>, Vec<WalkIssue>), String> {
    if let Some(report) = report {
        check_report(report, &jobs, follow)?;
    }
    if let Target::OutDir { dir, .. } = target {
        check_out_dir(dir, roots)?;
    }
    if roots.len() < 2 && !follow {
        return Ok((jobs, Vec::new()));
    }
    let mut kept: Vec<Job> = Vec::with_capacity(jobs.len());
    let mut issues = Vec::new();
    // The first job under each key; a later one with the same key is a duplicate.
    let mut first: std::collections::HashMap<PathBuf, usize> =
        std::collections::HashMap::with_capacity(jobs.len());
    let mut real = RealPaths::default();
    for job in jobs {
        if job.path.as_os_str() == "-" {
            kept.push(job);
            continue;
        }
        let key = match target {
            Target::OutDir { dir, .. } => mirrored_path(dir, &job.path),
            Target::InPlace | Target::Nowhere => real.of(&job, follow),
        };
        let Some(&k) = first.get(&key) else {
            first.insert(key, kept.len());
            kept.push(job);
            continue;
        };
        let earlier = &kept[k].path;
        let same = match target {
            Target::OutDir { .. } => {
                identity(earlier).is_some_and(|a| identity(&job.path) == Some(a))
            }
            Target::InPlace | Target::Nowhere => true,
        };
        issues.push(WalkIssue {
            message: if same {
                format!("same file as {}, processed once", path_label(earlier))
            } else {
                format!(
                    "not written: its output {} is also the output of {}",
                    path_label(&key),
                    path_label(earlier)
                )
            },
            path: job.path,
            error: !same,
        });
    }
    Ok((kept, issues))
}

/// The real path of each job, for finding one file under two paths: in place, a symbolic link
/// is written through to its target, and `sub/../a.txt` is `a.txt`. Folders are resolved once
/// each (cached); a file itself only when it may be a link (named directly, or under
/// `--follow`): a walk without `--follow` never yields one.
#[derive(Default)]
struct RealPaths {
    folders: std::collections::HashMap<PathBuf, PathBuf>,
}

impl RealPaths {
    fn of(&mut self, job: &Job, follow: bool) -> PathBuf {
        if follow || job.explicit {
            let is_link = fs::symlink_metadata(&job.path).is_ok_and(|m| m.file_type().is_symlink());
            if is_link && let Ok(target) = fs::canonicalize(&job.path) {
                return target;
            }
        }
        let Some(name) = job.path.file_name() else {
            return job.path.clone();
        };
        let parent = folder_of(&job.path);
        let folder = self
            .folders
            .entry(parent.to_path_buf())
            .or_insert_with(|| fs::canonicalize(parent).unwrap_or_else(|_| parent.to_path_buf()));
        folder.join(name)
    }
}

/// Refuses a report file that is one of the input files (writing it would destroy the input).
/// When it exists and may be another name for an input (hard links, symbolic links, --follow,
/// a short list of named files), every input is compared; otherwise those of the same name.
pub fn check_report(report: &Path, jobs: &[Job], follow: bool) -> Result<(), String> {
    let Some(id) = identity(report) else {
        return Ok(());
    };
    #[cfg(unix)]
    let linked = {
        use std::os::unix::fs::MetadataExt;
        fs::metadata(report).is_ok_and(|m| m.nlink() > 1)
    };
    #[cfg(not(unix))]
    let linked = false;
    let thorough =
        linked || follow || fs::symlink_metadata(report).is_ok_and(|m| m.file_type().is_symlink());
    let few_named = jobs.iter().filter(|j| j.explicit).count() <= 64;
    let name = report.file_name();
    let clash = jobs
        .iter()
        .filter(|j| thorough || (few_named && j.explicit) || j.path.file_name() == name)
        .find(|j| j.path.as_os_str() != "-" && identity(&j.path) == Some(id));
    match clash {
        Some(job) => Err(format!(
            "the report {} is an input file ({}); write the report elsewhere",
            path_label(report),
            path_label(&job.path)
        )),
        None => Ok(()),
    }
}

/// Refuses an output folder that is an input folder, or whose mirror of an input is that
/// input itself (`-o . in`).
fn check_out_dir(dir: &Path, roots: &[PathBuf]) -> Result<(), String> {
    // Something other than a folder in its place would fail every file, each naming the file.
    if let Ok(meta) = std::fs::metadata(dir)
        && !meta.is_dir()
    {
        return Err(format!(
            "the output folder {} is not a folder; name a folder (it is created if missing)",
            path_label(dir)
        ));
    }
    let Some(out) = identity(dir) else {
        return Ok(());
    };
    for root in roots.iter().filter(|r| r.as_os_str() != "-") {
        let Some(input) = identity(root) else {
            continue;
        };
        if input == out {
            return Err(format!(
                "the output folder {} is the input folder {}; use --in-place to rewrite files \
                 where they are",
                path_label(dir),
                path_label(root)
            ));
        }
        if identity(&mirrored_path(dir, root)) == Some(input) {
            return Err(format!(
                "the output folder {} would write over the input {} itself; choose an output \
                 folder outside it, or use --in-place",
                path_label(dir),
                path_label(root)
            ));
        }
    }
    Ok(())
}

fn walk(
    root: &Path,
    selection: &Selection,
    globs: &GlobSet,
    exclude: Option<&Path>,
    jobs: &mut Vec<Job>,
    issues: &mut Vec<WalkIssue>,
) {
    let walker = walkdir::WalkDir::new(root)
        .follow_links(selection.follow)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if e.depth() > 0
                && !selection.hidden
                && e.file_name().to_string_lossy().starts_with('.')
            {
                return false;
            }
            if let Some(exclude) = exclude
                && e.file_type().is_dir()
                && fs::canonicalize(e.path()).is_ok_and(|p| p == exclude)
            {
                return false;
            }
            true
        });
    for entry in walker {
        match entry {
            Ok(entry) => {
                if !entry.file_type().is_file() {
                    continue;
                }
                let relative = entry.path().strip_prefix(root).unwrap_or(entry.path());
                if globs.is_match(relative) || globs.is_match(entry.file_name()) {
                    jobs.push(Job {
                        path: entry.into_path(),
                        explicit: false,
                    });
                }
            }
            Err(err) => {
                let looped = err.loop_ancestor().is_some();
                issues.push(WalkIssue {
                    path: err.path().unwrap_or(root).to_path_buf(),
                    message: if looped {
                        "symbolic link loop, not followed".to_owned()
                    } else {
                        err.io_error()
                            .map_or_else(|| err.to_string(), io::Error::to_string)
                    },
                    error: !looped,
                });
            }
        }
    }
}

/// Where cleaned files go.
#[derive(Clone, Debug)]
pub enum Target {
    /// Rewrite changed files in place, atomically.
    InPlace,
    /// Write every file (changed or not) under this folder, mirroring input paths.
    OutDir { dir: PathBuf, force: bool },
    /// Write nothing (check mode).
    Nowhere,
}

/// How each file is processed.
#[derive(Clone, Debug)]
pub struct BatchConfig {
    pub options: Options,
    pub target: Target,
    pub lossy: bool,
    /// Produce the JSON report record of each file.
    pub report: bool,
    /// Produce the readable explanation of each file.
    pub explain: bool,
    /// Produce the check findings of each file.
    pub findings: bool,
    /// Produce a unified diff of each changed file, in this style.
    pub diff: Option<DiffStyle>,
    /// The files are JSON Lines: clean this field of each record.
    pub jsonl: Option<(FieldPath, OnError)>,
    /// JSON Lines: keep the result of every record (a check's JSON lists each one); otherwise
    /// only records with something to print are kept, so memory does not grow with the file.
    pub every_record: bool,
}

/// What happened to one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    Changed,
    Unchanged,
    /// Not an article (binary); only for files found by a walk.
    Skipped(String),
    Failed(String),
}

/// The result of one file, everything the caller prints, in a form that is cheap to hold for
/// thousands of files (the texts themselves are not kept).
#[derive(Clone, Debug)]
pub struct FileResult {
    pub path: PathBuf,
    pub status: Status,
    pub bytes_in: usize,
    pub bytes_out: usize,
    /// The cleaning result without its text (removals and moves).
    pub cleaned: Option<Cleaned>,
    /// The JSON report record, when asked for.
    pub report: Option<String>,
    /// The readable explanation, when asked for.
    pub explain: Option<String>,
    /// What a check reports, when asked for.
    pub findings: Vec<Finding>,
    /// The unified diff of a changed file, when asked for.
    pub diff: Option<String>,
    /// JSON Lines: the result of every record with something to print (an error, a report
    /// record, an explanation, findings), or of every record with `every_record`, in order.
    pub records: Vec<RecordResult>,
    /// JSON Lines: how many lines the file held.
    pub record_count: usize,
    /// JSON Lines: how many records were cleaned with nothing to say and not kept in `records`.
    pub quiet_records: usize,
}

/// Files larger than this are refused rather than risking the memory of the machine.
const MAX_FILE_BYTES: u64 = 4 << 30;

impl FileResult {
    fn new(path: PathBuf, status: Status) -> FileResult {
        FileResult {
            path,
            status,
            bytes_in: 0,
            bytes_out: 0,
            cleaned: None,
            report: None,
            explain: None,
            findings: Vec::new(),
            diff: None,
            records: Vec::new(),
            record_count: 0,
            quiet_records: 0,
        }
    }
}

/// The results of a batch with what the walk and [`settle`] found about its inputs (missing
/// paths, loops, files reached twice) as results of their own, all in path order: printed,
/// reported and counted like the others.
pub fn with_issues(results: Vec<FileResult>, issues: Vec<WalkIssue>) -> Vec<FileResult> {
    let mut all: Vec<FileResult> = results
        .into_iter()
        .chain(issues.into_iter().map(|issue| {
            let status = if issue.error {
                Status::Failed(issue.message)
            } else {
                Status::Skipped(issue.message)
            };
            FileResult::new(issue.path, status)
        }))
        .collect();
    // Stable: a path both cleaned and noted keeps its result first.
    all.sort_by(|a, b| a.path.cmp(&b.path));
    all
}

/// Reads, cleans and writes one file.
pub fn process(job: &Job, config: &BatchConfig) -> FileResult {
    let mut result = FileResult::new(job.path.clone(), Status::Unchanged);
    if let Some((field, on_error)) = &config.jsonl {
        process_jsonl(job, config, field, *on_error, &mut result);
        return result;
    }
    let (bytes, meta) = match read_file(&job.path) {
        Ok(read) => read,
        Err(err) => {
            result.status = Status::Failed(err.to_string());
            return result;
        }
    };
    let text = match input::decode(&bytes, config.lossy) {
        Ok(text) => text,
        Err(err @ input::InputError::Binary { .. }) if !job.explicit => {
            result.status = Status::Skipped(format!("skipped, {err}"));
            return result;
        }
        Err(err) => {
            result.status = Status::Failed(err.to_string());
            return result;
        }
    };
    let mut cleaned = clean(&text, &config.options);
    result.bytes_in = bytes.len();
    result.bytes_out = cleaned.text.len();
    let changed = cleaned.changed();
    let name = job.path.to_string_lossy();
    if config.report {
        result.report = Some(report::json_record(&name, &text, &cleaned));
    }
    if config.explain {
        result.explain = Some(report::explain(&crate::diff::shown(&name), &text, &cleaned));
    }
    if config.findings {
        result.findings = findings(&text, &cleaned);
    }
    if let Some(style) = &config.diff {
        let label = crate::diff::path_label(&job.path);
        result.diff = Some(unified_diff(&text, &cleaned.text, &label, &label, style));
    }
    let written = match &config.target {
        Target::InPlace if changed => {
            let read_as = meta.as_ref().map(state_of);
            write_in_place_as(
                &job.path,
                cleaned.text.as_bytes(),
                read_as.as_ref(),
                meta.as_ref(),
            )
        }
        Target::OutDir { dir, force } => {
            let permissions = meta.map(|m| m.permissions());
            write_mirrored(&job.path, dir, *force, cleaned.text.as_bytes(), permissions)
        }
        _ => Ok(()),
    };
    result.status = match written {
        Err(err) => Status::Failed(err.to_string()),
        Ok(()) if changed => Status::Changed,
        Ok(()) => Status::Unchanged,
    };
    cleaned.text = String::new();
    result.cleaned = Some(cleaned);
    result
}

/// Cleans a JSON Lines file record by record, streaming into a temporary file next to its
/// destination (or nowhere, for a check), which replaces the destination only when complete.
fn process_jsonl(
    job: &Job,
    config: &BatchConfig,
    field: &FieldPath,
    on_error: OnError,
    result: &mut FileResult,
) {
    let name = job.path.to_string_lossy().into_owned();
    let stream = jsonl::Stream {
        path: &name,
        field,
        options: &config.options,
        wants: jsonl::Wants {
            report: config.report,
            explain: config.explain,
            findings: config.findings,
        },
        on_error,
        lossy: config.lossy,
        keep_bom: true,
    };
    // Ok(Some(note)): the file is skipped.
    let outcome = (|| -> io::Result<Option<String>> {
        let meta = fs::metadata(&job.path).ok();
        let read_as = meta.as_ref().map(state_of);
        let mut reader = input::open(&job.path)?;
        // A binary file (a NUL byte in its first block) found by a walk is skipped with one
        // note, as a text file is, rather than failing line by line.
        if !job.explicit {
            let head = io::BufRead::fill_buf(&mut reader)?;
            if let Some(offset) = memchr::memchr(0, head) {
                let line = memchr::memchr_iter(b'\n', &head[..offset]).count() + 1;
                let err = input::InputError::Binary { offset, line };
                return Ok(Some(format!("skipped, {err}")));
            }
        }
        // A file that cannot be rewritten is still read: it is an error only if it would change.
        let mut not_rewritable = None;
        let (staged, dest) = match &config.target {
            Target::Nowhere => (None, None),
            Target::InPlace => match in_place_target(&job.path, meta.as_ref()) {
                Ok((path, dir, permissions)) => {
                    let staged = Staged::create(&dir, Some(permissions.clone()))?;
                    keep_owner(&staged, &path, meta.as_ref(), permissions)?;
                    (Some(staged), Some(path))
                }
                Err(err) if err.kind() == io::ErrorKind::PermissionDenied => {
                    not_rewritable = Some(err);
                    (None, None)
                }
                Err(err) => return Err(err),
            },
            Target::OutDir { dir, .. } => {
                let dest = mirrored_path(dir, &job.path);
                let parent = dest.parent().unwrap_or(dir);
                let permissions = meta.map(|m| m.permissions());
                (Some(Staged::in_folder(parent, permissions)?), Some(dest))
            }
        };
        let mut sink = io::sink();
        let mut buffered = match &staged {
            Some(staged) => Some(io::BufWriter::new(staged.file()?)),
            None => None,
        };
        let writer: &mut dyn Write = match buffered.as_mut() {
            Some(w) => w,
            None => &mut sink,
        };
        let (records, count, quiet) = (
            &mut result.records,
            &mut result.record_count,
            &mut result.quiet_records,
        );
        let (mut changed, mut bytes_in, mut bytes_out) = (false, 0, 0);
        // A check writes nothing: a bad record it would leave out changes no file.
        let writes = !matches!(config.target, Target::Nowhere);
        let stopped = jsonl::clean_stream(&mut reader, writer, &stream, &mut |r| {
            *count += 1;
            // A bad record left out (`--on-error skip`) changes the file too.
            changed |= r.changed || r.error.is_some() && on_error == OnError::Skip && writes;
            bytes_in += r.bytes_in;
            // (A check leaves a skipped record where it is.)
            let kept_by_check = r.error.is_some() && on_error == OnError::Skip && !writes;
            bytes_out += if kept_by_check {
                r.bytes_in
            } else {
                r.bytes_out
            };
            let says_something = r.error.is_some()
                || r.report.is_some()
                || r.explain.is_some()
                || !r.findings.is_empty();
            if says_something || config.every_record {
                records.push(r.clone());
            } else if !r.blank {
                *quiet += 1;
            }
        })
        .map_err(io::Error::from)?;
        if let Some(w) = buffered.as_mut() {
            w.flush()?;
        }
        drop(buffered);
        if stopped {
            // The bad record is the error, reported and counted as one; the file is left as it
            // was, a skipped entry, so that one problem does not count twice.
            let note = match config.target {
                Target::Nowhere => "the rest not checked",
                Target::InPlace => "not rewritten",
                Target::OutDir { .. } => "not written",
            };
            return Ok(Some(format!(
                "stopped at the first bad record (--on-error fail); {note}"
            )));
        }
        if let Some(err) = not_rewritable.filter(|_| changed) {
            // Nothing was written: no removals to explain or report, only the bad records.
            result.records.retain(|r| r.error.is_some());
            return Err(err);
        }
        result.bytes_in = bytes_in;
        result.bytes_out = bytes_out;
        if let (Some(staged), Some(dest)) = (staged, dest) {
            match &config.target {
                Target::InPlace if changed => {
                    check_unchanged(&dest, read_as.as_ref())?;
                    staged.persist(&dest, true)?
                }
                Target::OutDir { force, .. } => persist_mirrored(staged, &dest, *force)?,
                _ => {}
            }
        }
        result.status = if changed {
            Status::Changed
        } else {
            Status::Unchanged
        };
        Ok(None)
    })();
    match outcome {
        Ok(None) => {}
        Ok(Some(note)) => result.status = Status::Skipped(note),
        Err(err) => result.status = Status::Failed(err.to_string()),
    }
}

/// The first block of an article read alone, so that a NUL byte in it (a binary file) is found
/// before the rest is read.
const FIRST_BLOCK_BYTES: u64 = 64 << 10;

/// Reads an article from a stream (stdin, a pipe): at most [`MAX_FILE_BYTES`], an error past
/// them (without reading on). When the first block holds a NUL byte, only that block is
/// returned: the input is binary, which decoding reports (offset and line are within it).
pub fn read_stream(reader: impl io::Read) -> io::Result<Vec<u8>> {
    read_stream_up_to(reader, MAX_FILE_BYTES)
}

fn read_stream_up_to(reader: impl io::Read, max: u64) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    let mut limited = io::Read::take(reader, max + 1);
    io::Read::read_to_end(
        &mut io::Read::take(&mut limited, FIRST_BLOCK_BYTES),
        &mut bytes,
    )?;
    // Short of the block: the end of input was read (once: a terminal's Ctrl-D is not read
    // twice).
    if (bytes.len() as u64) < FIRST_BLOCK_BYTES.min(max + 1) || memchr::memchr(0, &bytes).is_some()
    {
        return Ok(bytes);
    }
    io::Read::read_to_end(&mut limited, &mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(io::Error::other(format!(
            "too large (more than {max} bytes; at most {max} are read into memory)"
        )));
    }
    Ok(bytes)
}

/// Reads an article from a file: one larger than [`MAX_FILE_BYTES`] is refused from its size
/// before anything is read, and a NUL byte in the first block stops reading, as with
/// [`read_stream`].
pub fn read_article(path: &Path) -> io::Result<Vec<u8>> {
    let file = fs::File::open(path)?;
    refuse_too_large(file.metadata()?.len())?;
    read_stream(file)
}

fn refuse_too_large(len: u64) -> io::Result<()> {
    if len > MAX_FILE_BYTES {
        return Err(io::Error::other(format!(
            "too large ({len} bytes; at most {MAX_FILE_BYTES} are read into memory)"
        )));
    }
    Ok(())
}

/// Reads a whole file (`-`: stdin), with the metadata of the file it read (none for stdin).
fn read_file(path: &Path) -> io::Result<(Vec<u8>, Option<fs::Metadata>)> {
    if path.as_os_str() == "-" {
        return Ok((read_stream(io::stdin().lock())?, None));
    }
    let file = fs::File::open(path)?;
    let meta = file.metadata()?;
    let len = meta.len();
    refuse_too_large(len)?;
    let mut bytes = Vec::new();
    bytes
        .try_reserve_exact(len as usize + 1)
        .map_err(|_| io::Error::other(format!("too large for memory ({len} bytes)")))?;
    reserve_working_memory(len)?;
    // Through `take`: `File`'s own read_to_end would ask the kernel for the size and position
    // again (two more system calls per file).
    io::Read::read_to_end(&mut io::Read::take(file, u64::MAX), &mut bytes)?;
    Ok((bytes, Some(meta)))
}

/// Working memory of cleaning an article, in multiples of its size besides the text itself: a
/// 52 MB article peaks at about 3.3 times its size in RSS and 4 in heap reserved. (Not more: the
/// kernel's default overcommit rule refuses one reservation larger than RAM and swap, so a
/// larger factor would refuse big articles that fit.)
const WORKING_MEMORY_FACTOR: u64 = 4;
/// Below this size the working memory is not checked: it is a few megabytes at most.
pub const WORKING_MEMORY_CHECKED_FROM: u64 = 16 << 20;

/// Checks, before a large article of `len` bytes is cleaned, that the memory cleaning it needs
/// can be had, by reserving it once and letting it go (address space only, nothing is touched):
/// a limit (`ulimit -v`, a container's commit limit) then gives the file an error rather than
/// ending the whole process when an allocation fails halfway.
pub fn reserve_working_memory(len: u64) -> io::Result<()> {
    reserve_working_memory_plus(len, 0)
}

/// [`reserve_working_memory`], with `extra` bytes more (what threads started for the article
/// can take besides).
pub fn reserve_working_memory_plus(len: u64, extra: u64) -> io::Result<()> {
    if len < WORKING_MEMORY_CHECKED_FROM {
        return Ok(());
    }
    let need = len
        .saturating_mul(WORKING_MEMORY_FACTOR)
        .saturating_add(extra);
    let mut probe: Vec<u8> = Vec::new();
    usize::try_from(need)
        .ok()
        .and_then(|need| probe.try_reserve_exact(need).ok())
        .ok_or_else(|| {
            io::Error::other(format!(
                "too large for memory: cleaning {len} bytes needs about {} MB more",
                need >> 20
            ))
        })
}

/// Address space each thread of the pool can still take while a large article is split on it,
/// once its allocator arena exists: a margin for the arena growing and for its stack. (A 28 MB
/// article on two threads: refused under `ulimit -v` 200 to 300 MB, cleaned above; none
/// aborts.)
const PER_THREAD_WORKING_MEMORY: u64 = 16 << 20;

/// [`reserve_working_memory`] for an article cleaned on the calling thread, whose
/// sentences are split on rayon's global pool: the pool is started first (its threads and
/// their arenas then already hold their memory, as in a batch), and the estimate covers what
/// the threads can still add. Without it, a reservation that fits on one thread passes and
/// the parallel run then aborts on a failed allocation. (Used for an article cleaned to stdout
/// and for `learn`'s inputs; a batch's own reads reserve with [`reserve_working_memory`].)
pub fn reserve_parallel_working_memory(len: u64) -> io::Result<()> {
    if len < WORKING_MEMORY_CHECKED_FROM {
        return Ok(());
    }
    // Each thread allocates once, so that its arena exists before the reservation is tried.
    rayon::broadcast(|_| drop(std::hint::black_box(Box::new(0u64))));
    let threads = rayon::current_num_threads() as u64;
    let extra = if threads > 1 {
        threads.saturating_mul(PER_THREAD_WORKING_MEMORY)
    } else {
        0
    };
    reserve_working_memory_plus(len, extra)
}

/// Replaces `path` with `data` atomically: a temporary file in the same folder gets the data
/// and the original's permissions, then is renamed over the original. A crash at any moment
/// leaves the old or the new file; on an error the temporary file is removed.
/// What identifies a file's contents cheaply: its length and modification time; and its
/// permissions (a file made read-only meanwhile is not to be rewritten).
pub type FileState = (u64, Option<std::time::SystemTime>, fs::Permissions);

/// The state of `path` now, if it can be read.
pub fn file_state(path: &Path) -> Option<FileState> {
    fs::metadata(path).ok().as_ref().map(state_of)
}

fn state_of(meta: &fs::Metadata) -> FileState {
    (meta.len(), meta.modified().ok(), meta.permissions())
}

/// Fails when the file is no longer as it was read (changed by someone else meanwhile).
fn check_unchanged(path: &Path, read_as: Option<&FileState>) -> io::Result<()> {
    match read_as {
        Some(state) if file_state(path).as_ref() != Some(state) => Err(io::Error::other(
            "changed while being cleaned; not rewritten (run again)",
        )),
        _ => Ok(()),
    }
}

pub fn write_in_place(path: &Path, data: &[u8], read_as: Option<&FileState>) -> io::Result<()> {
    write_in_place_as(path, data, read_as, None)
}

/// Where an in-place write of `path` goes: the file itself, or the target of a symbolic link
/// (rather than replacing the link), its folder and its permissions. A read-only file is refused.
/// `read_meta`: the metadata of the file as it was read, when there is one.
fn in_place_target(
    path: &Path,
    read_meta: Option<&fs::Metadata>,
) -> io::Result<(PathBuf, PathBuf, fs::Permissions)> {
    let path = if fs::symlink_metadata(path)?.file_type().is_symlink() {
        fs::canonicalize(path)?
    } else {
        path.to_path_buf()
    };
    let permissions = match read_meta {
        Some(meta) => meta.permissions(),
        None => fs::metadata(&path)?.permissions(),
    };
    // Read-only by its mode (for root too), or not writable by this user: the folder may let
    // the rename replace it, but the owner did not mean it to change.
    if permissions.readonly() || !writable(&path) {
        return Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            "read-only file, not rewritten",
        ));
    }
    let dir = folder_of(&path).to_path_buf();
    Ok((path, dir, permissions))
}

/// [`write_in_place`], given the metadata of the file as it was read when there is one.
fn write_in_place_as(
    path: &Path,
    data: &[u8],
    read_as: Option<&FileState>,
    read_meta: Option<&fs::Metadata>,
) -> io::Result<()> {
    let (path, dir, permissions) = in_place_target(path, read_meta)?;
    let staged = Staged::write(&dir, data, Some(permissions.clone()))?;
    keep_owner(&staged, &path, read_meta, permissions)?;
    // The rename replaces whatever is there: make sure it is still what was read. (A change in
    // the instant between this check and the rename is not caught.)
    check_unchanged(&path, read_as)?;
    staged.persist(&path, true)
}

/// Gives the staged replacement of `path` the original's owner and group, as far as this
/// process may (root may give any; others at most one of their own groups); an owner it may not
/// set is left as it is, like `cp` does. The permissions are set again after, since a change of
/// owner clears set-id bits.
fn keep_owner(
    staged: &Staged,
    path: &Path,
    read_meta: Option<&fs::Metadata>,
    permissions: fs::Permissions,
) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let original = match read_meta {
            Some(meta) => (meta.uid(), meta.gid()),
            None => {
                let meta = fs::metadata(path)?;
                (meta.uid(), meta.gid())
            }
        };
        let file = staged.file()?;
        let now = file.metadata()?;
        if (now.uid(), now.gid()) == original {
            return Ok(());
        }
        let set = std::os::unix::fs::fchown(file, Some(original.0), Some(original.1))
            .or_else(|_| std::os::unix::fs::fchown(file, None, Some(original.1)));
        if set.is_ok() {
            file.set_permissions(permissions)?;
        }
    }
    #[cfg(not(unix))]
    let _ = (staged, path, read_meta, permissions);
    Ok(())
}

/// Temporary files being written, so that an interrupt can remove them (a signal ends the
/// process without running destructors). The lock is held while a file is created, so once
/// [`remove_staged_files`] holds it no new one can appear.
static STAGED: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());

fn staged() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    STAGED
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Removes every temporary file being written and keeps new ones from being created until the
/// process exits: call it from an interrupt handler right before exiting.
pub fn remove_staged_files() -> impl Drop {
    let guard = staged();
    for path in guard.iter() {
        let _ = fs::remove_file(path);
    }
    guard
}

/// A `--report` file being written: a temporary file next to it, renamed over it by
/// [`ReportFile::commit`] once the run is done. An interrupted or failed run leaves the
/// previous report as it was (an interrupt handler removes the temporary file with
/// [`remove_staged_files`]), never a truncated one.
pub struct ReportFile {
    out: io::BufWriter<fs::File>,
    /// The temporary file renamed over `path` at the end; `None` when the report is written
    /// straight to `path` (a device, a pipe, or through a symbolic link).
    staged: Option<Staged>,
    path: PathBuf,
}

impl ReportFile {
    /// Where the report goes.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Starts the report `path`. A regular file (or a new one) is staged beside it, with the
    /// permissions of the report it replaces or of a new file (0666 less the umask); anything
    /// else (`/dev/null`, `/dev/stderr`, a pipe, a symbolic link) is opened and written as it
    /// is. A folder, or a file this user may not write, is an error before any work.
    pub fn create(path: &Path) -> io::Result<ReportFile> {
        let existing = fs::symlink_metadata(path).ok();
        let target = fs::metadata(path).ok();
        if target.as_ref().is_some_and(fs::Metadata::is_dir) {
            return Err(io::Error::new(io::ErrorKind::IsADirectory, "is a folder"));
        }
        let regular = existing.as_ref().is_none_or(|m| m.file_type().is_file());
        if !regular {
            let file = fs::OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(true)
                .open(path)?;
            return Ok(ReportFile {
                out: io::BufWriter::new(file),
                staged: None,
                path: path.to_path_buf(),
            });
        }
        if existing.is_some() && !writable(path) {
            return Err(io::Error::new(
                io::ErrorKind::PermissionDenied,
                "permission denied (the report would replace a file this user may not write)",
            ));
        }
        let dir = folder_of(path);
        let permissions = match target {
            Some(meta) => Some(meta.permissions()),
            None => new_file_permissions(),
        };
        let staged = Staged::create(dir, permissions)?;
        let out = io::BufWriter::new(staged.file()?.try_clone()?);
        Ok(ReportFile {
            out,
            staged: Some(staged),
            path: path.to_path_buf(),
        })
    }

    /// Writes out what is buffered and renames the report into place.
    pub fn commit(mut self) -> io::Result<()> {
        self.out.flush()?;
        match self.staged.take() {
            Some(staged) => staged.persist(&self.path, true),
            None => Ok(()),
        }
    }
}

impl Write for ReportFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.out.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// The permissions a newly created file gets (0666 less the umask).
fn new_file_permissions() -> Option<fs::Permissions> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // SAFETY: umask only swaps the process's file mode mask; it is set back at once.
        let mask = unsafe {
            let mask = libc::umask(0o022);
            libc::umask(mask);
            mask
        };
        // (`mode_t` is u16 on some systems.)
        #[allow(clippy::useless_conversion)]
        let mask = u32::from(mask);
        Some(fs::Permissions::from_mode(0o666 & !mask))
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// A temporary file in the destination's folder holding the new contents. Dropped before it
/// is persisted, it is removed (by `tempfile`) and unregistered.
struct Staged {
    /// `None` once persisted.
    file: Option<tempfile::NamedTempFile>,
    path: PathBuf,
}

impl Staged {
    fn write(dir: &Path, data: &[u8], permissions: Option<fs::Permissions>) -> io::Result<Staged> {
        let staged = Staged::create(dir, permissions)?;
        staged.file()?.write_all(data)?;
        Ok(staged)
    }

    /// An empty temporary file in `dir`, created with its parents if missing.
    fn in_folder(dir: &Path, permissions: Option<fs::Permissions>) -> io::Result<Staged> {
        // The folder usually exists already (files come in path order): create it only when
        // the temporary file cannot be made, which saves two system calls per file.
        match Staged::create(dir, permissions.clone()) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                fs::create_dir_all(dir)?;
                Staged::create(dir, permissions)
            }
            other => other,
        }
    }

    /// The open temporary file.
    fn file(&self) -> io::Result<&fs::File> {
        self.file
            .as_ref()
            .map(tempfile::NamedTempFile::as_file)
            .ok_or_else(|| io::Error::other("temporary file already persisted"))
    }

    /// An empty temporary file in `dir` with the given permissions.
    fn create(dir: &Path, permissions: Option<fs::Permissions>) -> io::Result<Staged> {
        // `tempfile` makes a relative folder absolute with the working directory, a system call
        // per file: do it with the one read at the first write.
        static CWD: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();
        let absolute;
        let dir = match CWD.get_or_init(|| std::env::current_dir().ok()) {
            Some(cwd) if dir.is_relative() => {
                absolute = cwd.join(dir);
                absolute.as_path()
            }
            _ => dir,
        };
        let file = {
            let mut registry = staged();
            let file = tempfile::Builder::new()
                .prefix(".newsdedup-")
                .suffix(".tmp")
                .tempfile_in(dir)?;
            registry.push(file.path().to_path_buf());
            file
        };
        let path = file.path().to_path_buf();
        let staged = Staged {
            file: Some(file),
            path,
        };
        if let Some(permissions) = permissions {
            staged.file()?.set_permissions(permissions)?;
        }
        Ok(staged)
    }

    /// Renames the file over `dest` (only when `dest` does not exist, unless `clobber`).
    fn persist(mut self, dest: &Path, clobber: bool) -> io::Result<()> {
        let Some(file) = self.file.take() else {
            return Ok(());
        };
        // Unregistered by `Drop` right after.
        if clobber {
            file.persist(dest).map(drop).map_err(|e| e.error)
        } else {
            file.persist_noclobber(dest).map(drop).map_err(|e| e.error)
        }
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        unregister(&self.path);
    }
}

fn unregister(path: &Path) {
    let mut registry = staged();
    if let Some(i) = registry.iter().position(|p| p == path) {
        registry.swap_remove(i);
    }
}

/// The path under the output folder for an input path: its normal components only, so that no
/// `..`, root or drive prefix can lead out of the folder.
pub fn mirrored_path(out_dir: &Path, input: &Path) -> PathBuf {
    let mut dest = out_dir.to_path_buf();
    for component in input.components() {
        if let Component::Normal(part) = component {
            dest.push(part);
        }
    }
    dest
}

fn write_mirrored(
    input: &Path,
    out_dir: &Path,
    force: bool,
    data: &[u8],
    permissions: Option<fs::Permissions>,
) -> io::Result<()> {
    let dest = mirrored_path(out_dir, input);
    let dir = dest.parent().unwrap_or(out_dir);
    let staged = Staged::in_folder(dir, permissions)?;
    staged.file()?.write_all(data)?;
    persist_mirrored(staged, &dest, force)
}

/// Renames a staged output file to `dest` under the output folder, over an existing file only
/// with `force`.
fn persist_mirrored(staged: Staged, dest: &Path, force: bool) -> io::Result<()> {
    staged.persist(dest, force).map_err(|e| {
        if e.kind() == io::ErrorKind::AlreadyExists {
            io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!("{} exists (use --force to overwrite)", path_label(dest)),
            )
        } else {
            e
        }
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_stream_stops_past_the_limit_and_at_a_nul_in_the_first_block() {
        let text = b"abc\n".repeat(100);
        assert_eq!(super::read_stream_up_to(&text[..], 400).unwrap(), text);
        let err = super::read_stream_up_to(&text[..], 399).unwrap_err();
        assert!(err.to_string().contains("more than 399 bytes"), "{err}");
        let mut binary = vec![b'a'; 200 << 10];
        binary[5] = 0;
        let read = super::read_stream_up_to(&binary[..], 1 << 30).unwrap();
        assert_eq!(read.len() as u64, super::FIRST_BLOCK_BYTES);
    }

    use super::*;

    #[test]
    fn mirrored_paths_stay_inside() {
        let out = Path::new("clean");
        assert_eq!(
            mirrored_path(out, Path::new("a/b.txt")),
            Path::new("clean/a/b.txt")
        );
        assert_eq!(
            mirrored_path(out, Path::new("../x/../b.txt")),
            Path::new("clean/x/b.txt")
        );
        assert_eq!(
            mirrored_path(out, Path::new("/abs/b.txt")),
            Path::new("clean/abs/b.txt")
        );
        assert_eq!(
            mirrored_path(out, Path::new("./b.txt")),
            Path::new("clean/b.txt")
        );
    }

    #[test]
    fn in_place_write_replaces_and_keeps_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.txt");
        fs::write(&file, "old").unwrap();
        fs::set_permissions(&file, fs::Permissions::from_mode(0o640)).unwrap();
        write_in_place(&file, b"new", None).unwrap();
        assert_eq!(fs::read(&file).unwrap(), b"new");
        let mode = fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary file left"
        );
    }

    #[test]
    fn read_only_files_are_not_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.txt");
        fs::write(&file, "old").unwrap();
        let mut perms = fs::metadata(&file).unwrap().permissions();
        perms.set_readonly(true);
        fs::set_permissions(&file, perms).unwrap();
        assert!(write_in_place(&file, b"new", None).is_err());
        assert_eq!(fs::read(&file).unwrap(), b"old");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn walk_selects_sorted_text_files() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("b/.hidden")).unwrap();
        fs::create_dir_all(root.join("out")).unwrap();
        for f in [
            "b/2.txt",
            "a.txt",
            "b/skip.html",
            "b/.hidden/3.txt",
            ".dot.txt",
            "out/x.txt",
        ] {
            fs::write(root.join(f), "x").unwrap();
        }
        let selection = Selection {
            exclude: Some(root.join("out")),
            ..Selection::default()
        };
        let (jobs, issues) = collect(&[root.to_path_buf()], &selection).unwrap();
        let names: Vec<_> = jobs
            .iter()
            .map(|j| {
                j.path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        assert_eq!(names, ["a.txt", "b/2.txt"]);
        assert!(issues.is_empty());
        let hidden = Selection {
            hidden: true,
            ..selection
        };
        let (jobs, _) = collect(&[root.to_path_buf()], &hidden).unwrap();
        assert_eq!(jobs.len(), 4);
    }
}
