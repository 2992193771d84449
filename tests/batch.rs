//! Batch mode over real temporary folders: --in-place, --out-dir, selection, errors, jobs.

mod common;

use common::{exits_with, newsdedup, stderr_of};
use std::fs;
use std::path::Path;

const DIRTY: &str = "Title\nAdvertisement\nThe council met on Monday to discuss the budget.\n";
const DIRTY_CLEAN: &str = "Title\nThe council met on Monday to discuss the budget.\n";
const CLEAN: &str = "Another title\nNothing to remove here.\n";

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn read(root: &Path, rel: &str) -> String {
    fs::read_to_string(root.join(rel)).unwrap()
}

/// Every file under `dir`, as sorted relative paths.
fn tree(dir: &Path) -> Vec<String> {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            files.push(
                entry
                    .path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
            );
        }
    }
    files
}

#[test]
fn in_place_rewrites_only_changed_files() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "scraped/a.txt", DIRTY);
    write(root, "scraped/sub/b.txt", CLEAN);
    let old = filetime_of(&root.join("scraped/sub/b.txt"));
    std::thread::sleep(std::time::Duration::from_millis(20));
    let out = exits_with(
        newsdedup()
            .current_dir(root)
            .args(["--in-place", "scraped"]),
        0,
        &["2 files: 1 changed, 1 unchanged, 0 skipped, 0 errors"],
    );
    assert!(out.stdout.is_empty());
    assert_eq!(read(root, "scraped/a.txt"), DIRTY_CLEAN);
    assert_eq!(read(root, "scraped/sub/b.txt"), CLEAN);
    assert_eq!(filetime_of(&root.join("scraped/sub/b.txt")), old);
    assert_eq!(
        tree(root),
        ["scraped/a.txt", "scraped/sub/b.txt"],
        "no temporary files"
    );
}

fn filetime_of(path: &Path) -> std::time::SystemTime {
    fs::metadata(path).unwrap().modified().unwrap()
}

#[test]
fn out_dir_mirrors_the_tree_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "scraped/a.txt", DIRTY);
    write(root, "scraped/sub/b.txt", CLEAN);
    write(root, "more/c.txt", DIRTY);
    newsdedup()
        .current_dir(root)
        .args(["-q", "--out-dir", "clean", "scraped", "more"])
        .assert()
        .success()
        .stderr("");
    assert_eq!(
        tree(&root.join("clean")),
        ["more/c.txt", "scraped/a.txt", "scraped/sub/b.txt"]
    );
    assert_eq!(read(root, "clean/scraped/a.txt"), DIRTY_CLEAN);
    assert_eq!(read(root, "clean/scraped/sub/b.txt"), CLEAN);
    assert_eq!(read(root, "scraped/a.txt"), DIRTY, "input untouched");
    // Again: the outputs exist.
    exits_with(
        newsdedup()
            .current_dir(root)
            .args(["-q", "-o", "clean", "scraped"]),
        2,
        &["--force"],
    );
    write(root, "clean/scraped/a.txt", "stale");
    newsdedup()
        .current_dir(root)
        .args(["-q", "-o", "clean", "--force", "scraped"])
        .assert()
        .success();
    assert_eq!(read(root, "clean/scraped/a.txt"), DIRTY_CLEAN);
}

#[test]
fn out_dir_inside_the_input_is_not_walked_and_paths_cannot_escape() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "in/a.txt", DIRTY);
    newsdedup()
        .current_dir(root.join("in"))
        .args(["-q", "-o", "out", ".", "../in/a.txt"])
        .assert()
        .success();
    newsdedup()
        .current_dir(root.join("in"))
        .args(["-q", "-o", "out", "--force", "."])
        .assert()
        .success();
    assert_eq!(tree(&root.join("in/out")), ["a.txt", "in/a.txt"]);
    assert_eq!(tree(root), ["in/a.txt", "in/out/a.txt", "in/out/in/a.txt"]);
}

#[test]
fn a_folder_without_a_batch_flag_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    exits_with(newsdedup().arg(dir.path()), 2, &["--in-place", "--out-dir"]);
}

#[test]
fn files0_from_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "a b.txt", DIRTY);
    write(root, "c.txt", DIRTY);
    newsdedup()
        .current_dir(root)
        .args(["-q", "-i", "--files0-from", "-"])
        .write_stdin("a b.txt\0c.txt\0")
        .assert()
        .success();
    assert_eq!(read(root, "a b.txt"), DIRTY_CLEAN);
    assert_eq!(read(root, "c.txt"), DIRTY_CLEAN);
    // Stdin is the list: '-' in it cannot also be an article.
    exits_with(
        newsdedup()
            .current_dir(root)
            .args(["--check", "--files0-from", "-"])
            .write_stdin("c.txt\0-\0"),
        2,
        &["stdin is the list itself"],
    );
    // --learn reads its inputs twice: it takes files and folders, not a list.
    exits_with(
        newsdedup()
            .current_dir(root)
            .args(["-i", "--learn", "--files0-from", "-"])
            .write_stdin("c.txt\0"),
        2,
        &["--learn does not work with --files0-from"],
    );
}

#[test]
fn a_folder_where_no_file_matches_is_noted_and_fails_a_check() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "out/a.md", DIRTY);
    // A wrong glob is no green light.
    exits_with(
        newsdedup().current_dir(root).args(["--check", "out"]),
        2,
        &["out: no file matches --glob '*.txt' here"],
    );
    exits_with(
        newsdedup().current_dir(root).args(["-i", "out"]),
        0,
        &["no file matches --glob '*.txt' here"],
    );
    assert_eq!(read(root, "out/a.md"), DIRTY);
    // The note is a skipped entry of the report, counted in its summary.
    write(root, "in/b.txt", DIRTY);
    exits_with(
        newsdedup()
            .current_dir(root)
            .args(["-o", "clean", "--report", "r.jsonl", "out", "in"]),
        0,
        &["2 files: 1 changed, 0 unchanged, 1 skipped"],
    );
    let report = read(root, "r.jsonl");
    let lines: Vec<&str> = report.lines().collect();
    assert_eq!(lines.len(), 3, "{report}");
    assert!(lines[0].contains(r#""path":"in/b.txt""#), "{report}");
    assert_eq!(
        lines[1],
        r#"{"path":"out","skipped":"no file matches --glob '*.txt' here"}"#
    );
    assert!(lines[2].contains(r#""skipped":1"#), "{report}");
}

#[test]
fn selection_by_glob_and_hidden() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "d/a.txt", DIRTY);
    write(root, "d/b.md", DIRTY);
    write(root, "d/.hidden/c.txt", DIRTY);
    write(root, "d/.e.txt", DIRTY);
    newsdedup()
        .current_dir(root)
        .args(["-q", "-i", "d"])
        .assert()
        .success();
    assert_eq!(read(root, "d/a.txt"), DIRTY_CLEAN);
    assert_eq!(read(root, "d/b.md"), DIRTY);
    assert_eq!(read(root, "d/.hidden/c.txt"), DIRTY);
    newsdedup()
        .current_dir(root)
        .args(["-q", "-i", "--glob", "*.md", "--hidden", "d"])
        .assert()
        .success();
    assert_eq!(read(root, "d/b.md"), DIRTY_CLEAN);
    assert_eq!(
        read(root, "d/.hidden/c.txt"),
        DIRTY,
        "*.md does not select .txt"
    );
    newsdedup()
        .current_dir(root)
        .args(["-q", "-i", "--hidden", "d"])
        .assert()
        .success();
    assert_eq!(read(root, "d/.hidden/c.txt"), DIRTY_CLEAN);
    assert_eq!(read(root, "d/.e.txt"), DIRTY_CLEAN);
}

#[test]
fn glob_stars_stay_within_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "d/sub/a.txt", DIRTY);
    write(root, "d/sub/deep/b.txt", DIRTY);
    write(root, "d/c.txt", DIRTY);
    newsdedup()
        .current_dir(root)
        .args(["-q", "-i", "--glob", "sub/*.txt", "d"])
        .assert()
        .success();
    assert_eq!(read(root, "d/sub/a.txt"), DIRTY_CLEAN);
    assert_eq!(
        read(root, "d/sub/deep/b.txt"),
        DIRTY,
        "* does not cross a folder"
    );
    assert_eq!(read(root, "d/c.txt"), DIRTY);
    newsdedup()
        .current_dir(root)
        .args(["-q", "-i", "--glob", "sub/**/*.txt", "d"])
        .assert()
        .success();
    assert_eq!(read(root, "d/sub/deep/b.txt"), DIRTY_CLEAN, "** does");
}

#[cfg(unix)]
#[test]
fn symlinks_are_skipped_unless_followed_and_loops_end() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "target/a.txt", DIRTY);
    write(root, "d/b.txt", DIRTY);
    std::os::unix::fs::symlink(root.join("target"), root.join("d/link")).unwrap();
    std::os::unix::fs::symlink(root.join("d"), root.join("d/loop")).unwrap();
    newsdedup()
        .current_dir(root)
        .args(["-q", "-i", "d"])
        .assert()
        .success();
    assert_eq!(read(root, "target/a.txt"), DIRTY, "links not followed");
    exits_with(
        newsdedup()
            .current_dir(root)
            .args(["-i", "--follow", "d"])
            .timeout(std::time::Duration::from_secs(20)),
        0,
        &["loop"],
    );
    assert_eq!(read(root, "target/a.txt"), DIRTY_CLEAN, "link followed");
    assert!(
        root.join("d/link")
            .symlink_metadata()
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[test]
fn per_file_errors_do_not_stop_the_batch() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "d/a.txt", DIRTY);
    fs::write(root.join("d/bad.txt"), b"bad \xff\n").unwrap();
    write(root, "d/ro.txt", DIRTY);
    let mut perms = fs::metadata(root.join("d/ro.txt")).unwrap().permissions();
    perms.set_readonly(true);
    fs::set_permissions(root.join("d/ro.txt"), perms).unwrap();
    fs::write(root.join("d/bin.txt"), b"binary\0data").unwrap();
    exits_with(
        newsdedup().current_dir(root).args(["-i", "d"]),
        2,
        &[
            "d/bad.txt: invalid UTF-8 at byte offset 4",
            "d/ro.txt: read-only",
            "d/bin.txt: skipped, binary",
            "4 files: 1 changed, 0 unchanged, 1 skipped, 2 errors",
        ],
    );
    assert_eq!(read(root, "d/a.txt"), DIRTY_CLEAN);
    assert_eq!(read(root, "d/ro.txt"), DIRTY);
    // Named explicitly, a binary file is an error.
    exits_with(
        newsdedup()
            .current_dir(root)
            .args(["-q", "-i", "d/bin.txt"]),
        2,
        &[],
    );
}

#[cfg(unix)]
#[test]
fn non_utf8_file_names() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.txt");
    fs::write(dir.path().join(name), DIRTY).unwrap();
    newsdedup()
        .current_dir(dir.path())
        .args(["-q", "-i", "."])
        .assert()
        .success();
    assert_eq!(
        fs::read_to_string(dir.path().join(name)).unwrap(),
        DIRTY_CLEAN
    );
}

#[cfg(unix)]
#[test]
fn a_killed_write_leaves_the_original_intact() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    // Large enough to exceed the file size limit below while the temporary file is written.
    let body: String = (0..2000)
        .map(|i| format!("Paragraph {i} of the article says something new.\n"))
        .collect();
    let original = format!("Title\nAdvertisement\n{body}");
    write(root, "a.txt", &original);
    let bin = assert_cmd::cargo::cargo_bin("newsdedup");
    let status = std::process::Command::new("sh")
        .current_dir(root)
        .arg("-c")
        .arg(format!("ulimit -f 8; exec '{}' -q -i a.txt", bin.display()))
        .status()
        .unwrap();
    assert!(
        !status.success(),
        "the write must fail under the size limit"
    );
    assert_eq!(read(root, "a.txt"), original);
}

#[test]
fn results_are_identical_for_every_job_count() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for i in 0..40 {
        let text = if i % 3 == 0 { CLEAN } else { DIRTY };
        write(root, &format!("in/{:02}/{i}.txt", i % 7), text);
    }
    let mut reports = Vec::new();
    for jobs in ["1", "2", "4"] {
        let out_dir = format!("out{jobs}");
        let report = format!("r{jobs}.jsonl");
        newsdedup()
            .current_dir(root)
            .args(["-q", "-j", jobs, "-o", &out_dir, "--report", &report, "in"])
            .assert()
            .success();
        reports.push(read(root, &report));
    }
    assert_eq!(tree(&root.join("out1")), tree(&root.join("out2")));
    for rel in tree(&root.join("out1")) {
        assert_eq!(
            read(&root.join("out1"), &rel),
            read(&root.join("out4"), &rel)
        );
    }
    assert_eq!(reports[0], reports[1]);
    assert_eq!(reports[0], reports[2]);
    let last: serde_json::Value = serde_json::from_str(reports[0].lines().last().unwrap()).unwrap();
    assert_eq!(last["summary"]["files"], 40);
    assert_eq!(last["summary"]["changed"], 26);
    assert_eq!(reports[0].lines().count(), 41);
}

#[test]
fn one_file_reached_by_two_paths_is_cleaned_once() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "d/a.txt", DIRTY);
    for jobs in ["1", "2"] {
        write(root, "d/a.txt", DIRTY);
        exits_with(
            newsdedup()
                .current_dir(root)
                .args(["-j", jobs, "-i", "d/a.txt", "./d/a.txt", "d"]),
            0,
            &[
                "same file as ./d/a.txt, processed once",
                // `d/a.txt` named and walked is one path; `./d/a.txt` is noted.
                "2 files: 1 changed, 0 unchanged, 1 skipped, 0 errors",
            ],
        );
        assert_eq!(read(root, "d/a.txt"), DIRTY_CLEAN);
    }
}

#[test]
fn two_inputs_with_one_output_path_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "a/y.txt", DIRTY);
    write(root, "w/a/y.txt", CLEAN);
    // `a` and `../a` both mirror to out/a/y.txt: the first in path order is written, the
    // other is an error, whatever the job count.
    for jobs in ["1", "2"] {
        exits_with(
            newsdedup()
                .current_dir(root.join("w"))
                .args(["-j", jobs, "-o", "out", "--force", "a", "../a"]),
            2,
            &["is also the output of ../a/y.txt"],
        );
        assert_eq!(read(root, "w/out/a/y.txt"), DIRTY_CLEAN);
    }
}

#[test]
fn a_report_in_an_output_folder_not_yet_created_is_refused_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "d/a.txt", DIRTY);
    for report in [
        "out",
        "out/r.jsonl",
        "out/sub/r.jsonl",
        "./x/../out/r.jsonl",
    ] {
        exits_with(
            newsdedup()
                .current_dir(root)
                .args(["-o", "out", "--report", report, "d"]),
            2,
            &[&format!(
                "the report {report} is inside the output folder out"
            )],
        );
        assert!(!root.join("out").exists(), "{report}: nothing written");
    }
    // A report that fails to be written names its path.
    exits_with(
        newsdedup()
            .current_dir(root)
            .args(["-o", "out", "--report", "/dev/full", "d"]),
        2,
        &["cannot write the report /dev/full:"],
    );
}

#[test]
fn output_folder_over_the_input_and_report_over_an_input_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "in/a.txt", DIRTY);
    for (args, says) in [
        (&["-o", "in", "in"][..], "is the input folder"),
        (&["-o", ".", "in"][..], "would write over the input"),
        (
            &["-o", ".", "--force", "in/a.txt"][..],
            "would write over the input",
        ),
        (
            &["-i", "in", "--report", "in/a.txt"][..],
            "is an input file",
        ),
    ] {
        exits_with(newsdedup().current_dir(root).args(args), 2, &[says]);
        assert_eq!(read(root, "in/a.txt"), DIRTY, "{args:?}: input untouched");
    }
}

#[test]
fn an_output_folder_that_is_the_input_is_only_a_usage_error() {
    // The output folder is never walked, so `-o d d` finds no file in `d`: the overlap is the
    // error, and there is no note about --glob before it.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "d/a.txt", DIRTY);
    let out = exits_with(newsdedup().current_dir(root).args(["-o", "d", "d"]), 2, &[]);
    assert_eq!(
        stderr_of(&out),
        "newsdedup: the output folder d is the input folder d; use --in-place to rewrite files \
         where they are\n"
    );
}

#[test]
fn walk_errors_are_reported_counted_and_in_path_order() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "in/a.txt", DIRTY);
    write(root, "in/c.txt", CLEAN);
    exits_with(
        newsdedup()
            .current_dir(root)
            .args(["-o", "out", "in/a.txt", "in/b.txt", "in/c.txt"])
            .args(["--report", "report.jsonl"]),
        2,
        &["3 files: 1 changed, 1 unchanged, 0 skipped, 1 error;"],
    );
    let report = read(root, "report.jsonl");
    let paths: Vec<String> = report
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter_map(|v| v["path"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(paths, ["in/a.txt", "in/b.txt", "in/c.txt"], "{report}");
    assert!(
        report.lines().nth(1).unwrap().contains("\"error\""),
        "{report}"
    );
    // --check writes the same records and a summary.
    exits_with(
        newsdedup().current_dir(root).args([
            "--check",
            "in/a.txt",
            "in/b.txt",
            "--report",
            "check.jsonl",
        ]),
        2,
        &[],
    );
    let report = read(root, "check.jsonl");
    assert!(
        report
            .lines()
            .any(|l| l.contains("in/b.txt") && l.contains("\"error\"")),
        "{report}"
    );
    assert!(
        report.lines().last().unwrap().contains("\"summary\""),
        "{report}"
    );
}

#[cfg(unix)]
#[test]
fn in_place_keeps_the_owner_when_it_may() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "in/a.txt", DIRTY);
    let path = root.join("in/a.txt");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
    // Another owner can only be given by root (uid and gid 65534: nobody / nogroup).
    if std::os::unix::fs::chown(&path, Some(65534), Some(65534)).is_err() {
        eprintln!("skipped: not allowed to change owners here");
        return;
    }
    newsdedup()
        .current_dir(root)
        .args(["-q", "-i", "in"])
        .assert()
        .success();
    assert_eq!(read(root, "in/a.txt"), DIRTY_CLEAN);
    let meta = fs::metadata(&path).unwrap();
    assert_eq!((meta.uid(), meta.gid()), (65534, 65534));
    assert_eq!(meta.permissions().mode() & 0o7777, 0o640);
    // JSON Lines in place too.
    write(
        root,
        "in/b.jsonl",
        "{\"text\": \"Title\\nAdvertisement\\nBody.\"}\n",
    );
    let jsonl = root.join("in/b.jsonl");
    std::os::unix::fs::chown(&jsonl, Some(65534), Some(65534)).unwrap();
    newsdedup()
        .current_dir(root)
        .args(["-q", "-i", "--jsonl", "in/b.jsonl"])
        .assert()
        .success();
    assert_eq!(read(root, "in/b.jsonl"), "{\"text\": \"Title\\nBody.\"}\n");
    let meta = fs::metadata(&jsonl).unwrap();
    assert_eq!((meta.uid(), meta.gid()), (65534, 65534));
}

#[cfg(unix)]
#[test]
fn hard_links_are_each_cleaned_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "h/a.txt", DIRTY);
    fs::hard_link(root.join("h/a.txt"), root.join("h/z.txt")).unwrap();
    newsdedup()
        .current_dir(root)
        .args(["-q", "-i", "--files0-from", "-"])
        .write_stdin("h/a.txt\0h/z.txt\0")
        .assert()
        .success();
    assert_eq!(read(root, "h/a.txt"), DIRTY_CLEAN);
    assert_eq!(read(root, "h/z.txt"), DIRTY_CLEAN);
    // A report that is another name (a hard link) for an input is refused.
    write(root, "r/b.txt", DIRTY);
    fs::hard_link(root.join("r/b.txt"), root.join("report.json")).unwrap();
    exits_with(
        newsdedup()
            .current_dir(root)
            .args(["--check", "--report", "report.json", "r"]),
        2,
        &["is an input file"],
    );
    assert_eq!(read(root, "r/b.txt"), DIRTY);
}

#[cfg(unix)]
#[test]
fn a_symlink_or_a_dotdot_path_to_a_named_file_is_processed_once() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "sub/keep.txt", CLEAN);
    for second in ["ln.txt", "sub/../a.txt"] {
        write(root, "a.txt", DIRTY);
        let _ = fs::remove_file(root.join("ln.txt"));
        std::os::unix::fs::symlink("a.txt", root.join("ln.txt")).unwrap();
        for _ in 0..5 {
            write(root, "a.txt", DIRTY);
            exits_with(
                newsdedup()
                    .current_dir(root)
                    .args(["-j2", "-i", "a.txt", second]),
                0,
                &["same file as a.txt"],
            );
            assert_eq!(read(root, "a.txt"), DIRTY_CLEAN);
        }
    }
    // Stdin is not a file named "-".
    write(root, "-", CLEAN);
    let out = exits_with(
        newsdedup()
            .current_dir(root)
            .args(["--check", "-", "./-"])
            .write_stdin(DIRTY),
        1,
        &[],
    );
    assert!(!stderr_of(&out).contains("same file"));
}

#[test]
fn an_empty_files0_from_list_is_said_but_is_no_error() {
    // As ripgrep when it searched nothing: a note on stderr; the status is what the (empty)
    // run found, so a change-set filter that finds nothing still passes.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for (args, verb) in [
        (&["--check", "--files0-from", "-"][..], "checked"),
        (&["-i", "--files0-from", "-"][..], "cleaned"),
        (&["--files0-from", "-"][..], "cleaned"),
    ] {
        exits_with(
            newsdedup().current_dir(root).args(args).write_stdin(""),
            0,
            &[&format!(
                "newsdedup: --files0-from -: no files matched: the list names none, so nothing \
                 is {verb}"
            )],
        );
    }
    // A list that names files says nothing of the kind.
    write(root, "c.txt", CLEAN);
    let out = exits_with(
        newsdedup()
            .current_dir(root)
            .args(["--check", "--files0-from", "-"])
            .write_stdin("c.txt\0"),
        0,
        &[],
    );
    assert!(!stderr_of(&out).contains("no files matched"));
}

#[test]
fn files0_from_a_newline_separated_list_says_it_must_be_nul_separated() {
    // `find -print` output reads as one name holding newlines: its error says why, on one line.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "d/a.txt", DIRTY);
    write(root, "d/b.txt", DIRTY);
    for args in [
        &["--check", "--files0-from", "-"][..],
        &["-i", "--files0-from", "-"][..],
        &["--files0-from", "-"][..],
    ] {
        exits_with(
            newsdedup()
                .current_dir(root)
                .args(args)
                .write_stdin("d/a.txt\nd/b.txt\n"),
            2,
            &[
                r#"newsdedup: "d/a.txt\nd/b.txt\n": No such file or directory (os error 2); the name holds a newline: the --files0-from list looks newline-separated, but names must be separated by NUL bytes (find -print0, not -print)"#,
            ],
        );
        assert_eq!(read(root, "d/a.txt"), DIRTY);
    }
    // A missing name without a newline gets no hint, nor does a name given as an argument.
    let out = exits_with(
        newsdedup()
            .current_dir(root)
            .args(["--check", "--files0-from", "-", "x\ny.txt"])
            .write_stdin("nope.txt\0"),
        2,
        &["nope.txt: No such file", r#""x\ny.txt": No such file"#],
    );
    let stderr = stderr_of(&out);
    assert!(!stderr.contains("NUL bytes"), "{stderr}");
}

#[test]
fn summary_line_gives_a_fast_run_in_milliseconds() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.txt"), DIRTY).unwrap();
    fs::write(dir.path().join("b.txt"), CLEAN).unwrap();
    let out = exits_with(
        newsdedup().current_dir(dir.path()).args(["-i", "."]),
        0,
        &[],
    );
    let stderr = stderr_of(&out);
    let line = stderr.lines().last().unwrap();
    let (counts, time) = line.rsplit_once("; ").unwrap();
    assert_eq!(
        counts,
        "newsdedup: 2 files: 1 changed, 1 unchanged, 0 skipped, 0 errors; 14 bytes removed"
    );
    // Two small files take well under a second: not "0.00 s" but whole milliseconds.
    let ms = time.strip_suffix(" ms").unwrap_or_else(|| panic!("{line}"));
    assert!(ms.parse::<u32>().is_ok_and(|ms| ms < 1000), "{line}");
}
