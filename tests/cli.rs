//! Integration tests of the real binary: input sources, errors and exit codes, pipes, reports.

mod common;

use common::{exited_with, exits_with, newsdedup, stderr_of};
use std::fs;
use std::io::{Read, Write};
use std::path::Path;
use std::process::Stdio;

const SEED: &str = "fixtures/seed_kerry_moscow_repeated_block.txt";
const SEED_EXPECTED: &str = "fixtures/seed_kerry_moscow_repeated_block.expected";

fn read(path: &str) -> Vec<u8> {
    fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).expect("fixture exists")
}

#[test]
fn stdin_to_stdout() {
    newsdedup()
        .write_stdin(read(SEED))
        .assert()
        .success()
        .stdout(read(SEED_EXPECTED));
}

#[test]
fn dash_means_stdin() {
    newsdedup()
        .arg("-")
        .write_stdin(read(SEED))
        .assert()
        .success()
        .stdout(read(SEED_EXPECTED));
}

#[test]
fn several_files_are_cleaned_one_after_another() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.txt");
    fs::write(&a, "Title A\nAdvertisement\nBody A.\n").unwrap();
    let mut expected = b"Title A\nBody A.\n".to_vec();
    expected.extend(read(SEED_EXPECTED));
    newsdedup()
        .arg(&a)
        .arg(SEED)
        .assert()
        .success()
        .stdout(expected);
}

#[test]
fn invalid_utf8_is_an_error_naming_file_and_offset() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.txt");
    fs::write(&bad, b"fine line\nbad \xff byte\n").unwrap();
    let out = exits_with(
        newsdedup().arg(&bad).arg(SEED),
        2,
        &["bad.txt", "byte offset 14", "line 2"],
    );
    // Nothing of the bad input is written; the next file still is.
    assert_eq!(out.stdout, read(SEED_EXPECTED));
}

#[test]
fn lossy_replaces_invalid_bytes() {
    newsdedup()
        .arg("--lossy")
        .write_stdin(&b"bad \xff byte\n"[..])
        .assert()
        .success()
        .stdout("bad \u{fffd} byte\n");
}

#[test]
fn nul_bytes_are_refused_as_binary() {
    let out = exits_with(
        newsdedup().write_stdin(&b"text\0more\n"[..]),
        2,
        &["binary"],
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn unreadable_file_does_not_stop_the_others() {
    let out = exits_with(
        newsdedup().arg("no/such/file.txt").arg(SEED),
        2,
        &["no/such/file.txt"],
    );
    assert_eq!(out.stdout, read(SEED_EXPECTED));
}

#[test]
fn empty_input_gives_empty_output() {
    newsdedup().write_stdin("").assert().success().stdout("");
}

#[test]
fn usage_error_exits_2() {
    newsdedup()
        .arg("--no-such-flag")
        .assert()
        .code(2)
        .stdout("");
    // Options that would be silently ignored are refused.
    for args in [
        &["--exact", "--similarity", "0.5", SEED][..],
        &["-v", SEED],
        &["--check", "--force", SEED],
    ] {
        newsdedup().args(args).assert().code(2).stdout("");
    }
}

#[test]
fn help_lists_exit_codes() {
    let out = newsdedup().arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert!(help.contains("Exit status"), "{help}");
    for flag in [
        "--no-merge",
        "--min-block-chars",
        "--boilerplate",
        "--no-default-boilerplate",
        "--report",
        "--explain",
        "--lossy",
    ] {
        assert!(help.contains(flag), "--help lacks {flag}");
    }
}

/// Runs the binary with `args`, reads 10 bytes of its stdout and closes it: a reader such as
/// `head -c 10` going away.
fn reading_ten_bytes(args: &[std::path::PathBuf]) -> std::process::Output {
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("newsdedup"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 10];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    child.wait_with_output().unwrap()
}

/// An article whose cleaned text is far more than a pipe buffer holds.
fn far_more_than_a_pipe_holds() -> String {
    (0..200_000)
        .map(|i| format!("Paragraph number {i} says something new.\n"))
        .collect()
}

#[test]
fn closed_stdout_exits_quietly() {
    let article = far_more_than_a_pipe_holds();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("newsdedup"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(article.as_bytes());
    });
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 10];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    writer.join().unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

#[test]
fn closed_stdout_does_not_hide_an_earlier_error() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.txt");
    fs::write(&big, far_more_than_a_pipe_holds()).unwrap();
    let out = reading_ten_bytes(&[dir.path().join("missing.txt"), big]);
    // The missing file still fails the run.
    exited_with(&out, 2, &["missing.txt"]);
}

#[test]
fn jobs_and_out_dir_are_checked_before_any_work() {
    exits_with(
        newsdedup().args(["-j", "5000", SEED]),
        2,
        &["--jobs must be at most 1024"],
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("afile");
    fs::write(&file, "x").unwrap();
    exits_with(
        newsdedup().arg("-o").arg(&file).arg(SEED),
        2,
        &["is not a folder"],
    );
    assert_eq!(fs::read_to_string(&file).unwrap(), "x");
}

#[test]
fn report_is_json_lines_with_removals_and_moves() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.jsonl");
    newsdedup()
        .arg("--report")
        .arg(&report)
        .arg(SEED)
        .arg("-")
        .write_stdin("Title\nAdvertisement\nBody.\n")
        .assert()
        .success();
    let text = fs::read_to_string(&report).unwrap();
    let records: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // One object per article, then the summary, as for a batch.
    assert_eq!(records.len(), 3);
    assert_eq!(records[2]["summary"]["files"], 2);
    assert_eq!(records[2]["summary"]["changed"], 2);
    let seed = &records[0];
    assert_eq!(seed["path"], SEED);
    assert_eq!(seed["changed"], true);
    assert_eq!(seed["bytes_in"], 4971);
    assert_eq!(seed["bytes_out"], 2630);
    let removals = seed["removals"].as_array().unwrap();
    let first = &removals[0];
    assert_eq!(first["reason"], "repeat");
    assert_eq!(first["line"], 17);
    assert_eq!(first["kept"]["line"], 2);
    assert!(
        first["text"]
            .as_str()
            .unwrap()
            .starts_with("In a sign of the complexity")
    );
    assert!(
        removals
            .iter()
            .any(|r| r["reason"] == "boilerplate" && r["text"] == "More From This Section")
    );
    let moves = seed["moves"].as_array().unwrap();
    assert_eq!(moves.len(), 1);
    assert_eq!(moves[0]["line"], 20);
    assert_eq!(moves[0]["after"]["line"], 3);
    assert_eq!(records[1]["path"], "-");
    assert_eq!(records[1]["removals"][0]["reason"], "boilerplate");
}

#[test]
fn explain_goes_to_stderr() {
    let out = exits_with(
        newsdedup().arg("--explain").arg(SEED),
        0,
        &[
            ":17: removed repeat of line 2",
            ":19: removed boilerplate",
            ":20: moved after line 3",
        ],
    );
    assert_eq!(out.stdout, read(SEED_EXPECTED));
}

#[test]
fn user_boilerplate_list_and_bad_pattern() {
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("site.txt");
    fs::write(
        &list,
        "# our site\nSUBSCRIBE TO THE DAILY HERALD\nre:daily herald .* edition\n",
    )
    .unwrap();
    newsdedup()
        .arg("--boilerplate")
        .arg(&list)
        .write_stdin("Subscribe to the Daily Herald\nNews.\nDaily Herald morning edition\n")
        .assert()
        .success()
        .stdout("News.\n");
    let bad = dir.path().join("bad.txt");
    fs::write(&bad, "fine\nre:(unclosed\n").unwrap();
    let out = exits_with(
        newsdedup()
            .arg("--boilerplate")
            .arg(&bad)
            .write_stdin("News.\n"),
        2,
        &["bad.txt:2"],
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn no_default_boilerplate_keeps_furniture() {
    newsdedup()
        .arg("--no-default-boilerplate")
        .write_stdin("News.\nAdvertisement\n")
        .assert()
        .success()
        .stdout("News.\nAdvertisement\n");
}

#[test]
fn hundred_megabyte_article_on_one_line() {
    let sentence = "The council approved the budget after a long debate. ";
    let mut article = sentence.repeat(100 * 1024 * 1024 / sentence.len());
    article.push_str("It ended.");
    let out = newsdedup().write_stdin(article.clone()).output().unwrap();
    assert!(out.status.success());
    // One sentence repeated: the first stays, the copies go, the last sentence stays.
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "The council approved the budget after a long debate. It ended."
    );
}

/// Every long option `--help` lists.
fn long_options() -> Vec<String> {
    let help = newsdedup().arg("--help").output().unwrap().stdout;
    let help = String::from_utf8(help).unwrap();
    let mut options: Vec<String> = help
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .filter(|w| w.starts_with("--") && w.len() > 2 && !w.ends_with('-'))
        .map(str::to_owned)
        .collect();
    options.sort();
    options.dedup();
    assert!(options.len() >= 20, "{options:?}");
    options
}

#[test]
fn man_page_renders_with_every_option_exit_status_and_examples() {
    let out = newsdedup().arg("man").output().unwrap();
    assert!(out.status.success());
    let roff = String::from_utf8(out.stdout).unwrap();
    assert!(
        roff.starts_with(".ie") || roff.starts_with(".TH"),
        "{}",
        &roff[..80]
    );
    for section in [
        ".SH NAME",
        ".SH SYNOPSIS",
        ".SH OPTIONS",
        ".SH \"EXIT STATUS\"",
        ".SH EXAMPLES",
    ] {
        assert!(roff.contains(section), "man page lacks {section}");
    }
    let plain = roff.replace("\\-", "-");
    for option in long_options() {
        assert!(plain.contains(&option), "man page lacks {option}");
    }
    // The subcommands are documented here, `learn` with its options (no separate pages).
    let subcommands = &plain[plain.find(".SH SUBCOMMANDS").expect("SUBCOMMANDS")..];
    assert!(
        !subcommands.contains("newsdedup-learn(1)"),
        "points to a missing page"
    );
    for option in [
        "--counts",
        "--merge",
        "--min-docs",
        "--min-share",
        "--max-words",
        "--field",
    ] {
        assert!(subcommands.contains(option), "learn's {option} missing");
    }
    assert!(subcommands.contains("\\&... and in at least this share"));
}

#[test]
fn man_synopsis_gives_the_usage_lines_of_help() {
    let roff = String::from_utf8(newsdedup().arg("man").output().unwrap().stdout).unwrap();
    let start = roff.find(".SH SYNOPSIS\n").expect("SYNOPSIS");
    let synopsis = &roff[start..start + roff[start..].find(".SH DESCRIPTION").unwrap()];
    // Placeholders as --help names them (`[FILE]...`, not `[FILE] [subcommands]`), in italics.
    assert!(
        synopsis.starts_with(
            ".SH SYNOPSIS\n\\fBnewsdedup\\fR [\\fIOPTIONS\\fR] [\\fIFILE\\fR]...\n.br\n"
        ),
        "{synopsis}"
    );
    for form in [
        "\\fBnewsdedup\\fR \\fBcompletions\\fR \\fISHELL\\fR\n",
        "\\fBnewsdedup\\fR \\fBman\\fR\n",
        "\\fBnewsdedup\\fR \\fBlearn\\fR [\\fIOPTIONS\\fR] [\\fIPATH\\fR]...\n",
    ] {
        assert!(synopsis.contains(form), "{form:?} missing from {synopsis}");
    }
    assert!(!synopsis.contains("subcommands"), "{synopsis}");
    let help = String::from_utf8(newsdedup().arg("--help").output().unwrap().stdout).unwrap();
    assert!(
        help.contains("Usage: newsdedup [OPTIONS] [FILE]...\n"),
        "{help}"
    );
}

#[test]
fn completions_render_for_every_shell_with_every_option() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let out = newsdedup().args(["completions", shell]).output().unwrap();
        assert!(out.status.success(), "{shell}");
        let script = String::from_utf8(out.stdout).unwrap();
        for option in long_options() {
            let bare = option.trim_start_matches('-');
            assert!(script.contains(bare), "{shell} completion lacks {option}");
        }
    }
    newsdedup().args(["completions", "tcsh"]).assert().code(2);
}

#[test]
fn completions_and_man_into_a_full_disk_or_a_closed_pipe_do_not_panic() {
    for args in [&["completions", "bash"][..], &["man"][..]] {
        // A full disk: an error, exit 2, as for any write to stdout.
        if let Ok(full) = fs::OpenOptions::new().write(true).open("/dev/full") {
            let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("newsdedup"))
                .args(args)
                .stdout(full)
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
            assert!(
                stderr.starts_with("newsdedup: cannot write to stdout:"),
                "{args:?}: {stderr}"
            );
        }
        // A pipe whose reader is gone: a quiet exit.
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("newsdedup"))
            .args(args)
            .stdout(writer)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert_eq!(String::from_utf8_lossy(&out.stderr), "", "{args:?}");
    }
}

#[test]
fn version_prints_the_crate_version() {
    newsdedup()
        .arg("--version")
        .assert()
        .success()
        .stdout(format!("newsdedup {}\n", env!("CARGO_PKG_VERSION")));
}

#[test]
fn a_file_named_like_a_subcommand_is_reachable() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("man"), "Title\nAdvertisement\nBody.\n").unwrap();
    newsdedup()
        .current_dir(dir.path())
        .arg("./man")
        .assert()
        .success()
        .stdout("Title\nBody.\n");
}

#[test]
fn report_goes_to_special_files_and_bad_places_are_refused_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    fs::create_dir(&input).unwrap();
    let article = "Title\nAdvertisement\nBody.\n";
    fs::write(input.join("a.txt"), article).unwrap();
    // A device is written to, not replaced by a file.
    newsdedup()
        .args(["--report", "/dev/null", SEED])
        .assert()
        .success();
    assert!(!fs::metadata("/dev/null").unwrap().is_file());
    // A folder, or a place inside the output folder: usage errors, nothing cleaned.
    let folder = dir.path().join("reports");
    fs::create_dir(&folder).unwrap();
    exits_with(
        newsdedup()
            .args(["-q", "-i", "--report"])
            .arg(&folder)
            .arg(&input),
        2,
        &[],
    );
    assert_eq!(fs::read_to_string(input.join("a.txt")).unwrap(), article);
    let clean = dir.path().join("clean");
    fs::create_dir(&clean).unwrap();
    exits_with(
        newsdedup()
            .args(["-q", "-o"])
            .arg(&clean)
            .arg("--report")
            .arg(clean.join("a.txt"))
            .arg(&input),
        2,
        &["inside the output folder"],
    );
    assert_eq!(fs::read_dir(&clean).unwrap().count(), 0);
}

#[test]
fn jsonl_report_on_stdout_counts_bad_records_as_errors() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("r.jsonl");
    newsdedup()
        .args(["--jsonl", "--report"])
        .arg(&report)
        .write_stdin("{\"text\":\"Title\\nAdvertisement\\nBody.\"}\nnot json\n")
        .assert()
        .code(2);
    let text = fs::read_to_string(&report).unwrap();
    let summary: serde_json::Value = serde_json::from_str(text.lines().last().unwrap()).unwrap();
    assert_eq!(summary["summary"]["errors"], 1, "{text}");
}

#[test]
fn closed_stdout_still_leaves_a_whole_report() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.txt");
    fs::write(&big, far_more_than_a_pipe_holds()).unwrap();
    let report = dir.path().join("r.jsonl");
    fs::write(&report, "previous\n").unwrap();
    let out = reading_ten_bytes(&["--report".into(), report.clone(), big]);
    assert_eq!(out.status.code(), Some(0));
    let text = fs::read_to_string(&report).unwrap();
    assert!(
        text.lines().last().unwrap().contains("\"summary\""),
        "{text:.100}"
    );
    assert!(!text.starts_with("previous"));
}

#[test]
fn report_of_stdout_mode_records_errors_and_ends_with_a_summary() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.jsonl");
    newsdedup()
        .arg("--report")
        .arg(&report)
        .arg(dir.path().join("missing.txt"))
        .arg("-")
        .write_stdin("Title\nBody.\n")
        .assert()
        .code(2);
    let text = fs::read_to_string(&report).unwrap();
    let records: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), 3, "{text}");
    assert!(
        records[0]["path"]
            .as_str()
            .unwrap()
            .ends_with("missing.txt")
    );
    assert!(
        records[0]["error"]
            .as_str()
            .unwrap()
            .contains("No such file")
    );
    assert_eq!(records[1]["changed"], false);
    let summary = &records[2]["summary"];
    assert_eq!(
        (summary["files"].as_u64(), summary["errors"].as_u64()),
        (Some(2), Some(1))
    );
    assert_eq!(summary["unchanged"], 1);
}

#[test]
fn near_repeat_report_gives_similarity_and_kept_copy() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.jsonl");
    newsdedup()
        .arg("--report")
        .arg(&report)
        .arg("fixtures/near_typo_letter_dropped_in_block.txt")
        .assert()
        .success();
    let text = fs::read_to_string(&report).unwrap();
    let record: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    let removal = |line: u64| {
        record["removals"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["line"] == line)
            .unwrap_or_else(|| panic!("line {line} removed"))
            .clone()
    };
    // "Minster" for "Minister": a near repeat of line 2, with its similarity.
    let typo = removal(7);
    assert_eq!(typo["reason"], "repeat");
    assert_eq!(typo["kept"]["line"], 2);
    assert_eq!(typo["similarity"], 0.99);
    // An exact repeat has none.
    assert!(removal(8).get("similarity").is_none());
}

#[test]
fn a_report_over_an_input_is_refused_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let article = "Title\nAdvertisement\nBody.\n";
    fs::write(dir.path().join("a.txt"), article).unwrap();
    for args in [
        &["a.txt", "--report", "a.txt"][..],
        &["--jsonl", "a.txt", "--report", "./a.txt"][..],
    ] {
        exits_with(
            newsdedup().current_dir(dir.path()).args(args),
            2,
            &["is an input file"],
        );
        assert_eq!(
            fs::read_to_string(dir.path().join("a.txt")).unwrap(),
            article
        );
    }
}

#[test]
fn usage_errors_c_quote_path_names_with_control_characters() {
    // Refusals and list errors name paths as the human output does: ESC or a newline in a name
    // never reaches the terminal raw.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir(root.join("in\x1bx")).unwrap();
    fs::write(root.join("in\x1bx/a.txt"), "Title\nBody.\n").unwrap();
    fs::write(root.join("a\x1b.txt"), "Title\nBody.\n").unwrap();
    fs::write(root.join("b\x07.txt"), "re:.*\n").unwrap();
    let cases: [(&[&str], &str); 8] = [
        (
            &["-o", "in\x1bx", "in\x1bx"],
            r#"the output folder "in\033x" is the input folder "in\033x""#,
        ),
        (
            &["-o", "o\nut", "--report", "o\nut/r.jsonl", "in\x1bx"],
            r#"the report "o\nut/r.jsonl" is inside the output folder "o\nut""#,
        ),
        (
            &["-o", "a\x1b.txt", "in\x1bx"],
            r#"the output folder "a\033.txt" is not a folder"#,
        ),
        (
            &["--report", "a\x1b.txt", "a\x1b.txt"],
            r#"the report "a\033.txt" is an input file ("a\033.txt")"#,
        ),
        (&["in\x1bx"], r#""in\033x" is a folder: add --in-place"#),
        (
            &["--boilerplate", "nope\x1b.txt", "a\x1b.txt"],
            r#"cannot read boilerplate list "nope\033.txt""#,
        ),
        (
            &["--boilerplate", "b\x07.txt", "a\x1b.txt"],
            r#""b\007.txt":1: regex matches the empty line"#,
        ),
        (
            &["learn", "--merge", "in\x1bx"],
            r#"newsdedup: "in\033x": is a folder; --merge takes counts files"#,
        ),
    ];
    for (args, said) in cases {
        let out = exits_with(newsdedup().current_dir(root).args(args), 2, &[said]);
        let stderr = stderr_of(&out);
        assert!(
            !stderr.contains('\x1b') && !stderr.contains('\x07'),
            "{args:?}: {stderr}"
        );
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
    }
}
