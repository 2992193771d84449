//! JSON Lines through the real binary: byte-for-byte round trips, errors, per-record check and
//! report, batches of .jsonl files, long streams.

mod common;

use common::{exits_with, newsdedup, stderr_of};
use std::fs;

const DIRTY: &str = r"Title\nAdvertisement\nThe council met on Monday to discuss the budget.";
const CLEANED: &str = r"Title\nThe council met on Monday to discuss the budget.";

#[test]
fn only_the_field_changes_byte_for_byte() {
    let input = format!(
        concat!(
            r#"{{"id":"a1", "n": 12345678901234567890123, "f": 1.50e+3, "meta": {{"t": "caf\u00e9 \ud83d\ude00", "z": [1, {{"y": null}}]}}, "text": "{}", "after": "\"quoted\""}}"#,
            "\n",
            r#"{{ "text" : "Clean\nnothing to do \u00e9" ,"b":true}}"#,
            "\r\n"
        ),
        DIRTY
    );
    let expected = input.replace(DIRTY, CLEANED);
    newsdedup()
        .arg("--jsonl")
        .write_stdin(input)
        .assert()
        .success()
        .stdout(expected);
}

#[test]
fn dotted_field_path_and_unicode_in_the_changed_field() {
    let input = r#"{"article": {"body": "T\u00edtulo\nAdvertisement\nCuerpo del art\u00edculo."}, "text": "Advertisement"}"#;
    let out = newsdedup()
        .args(["--jsonl", "--field", "article.body"])
        .write_stdin(format!("{input}\n"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let line = String::from_utf8(out.stdout).unwrap();
    // The changed field is re-encoded (UTF-8, minimal escapes); the rest is untouched.
    assert_eq!(
        line,
        "{\"article\": {\"body\": \"Título\\nCuerpo del artículo.\"}, \"text\": \"Advertisement\"}\n"
    );
}

const BAD: &str = concat!(
    "{\"id\": 1, \"text\": \"Title\\nAdvertisement\\nBody.\"}\n",
    "\n",
    "{\"id\": 2, \"body\": \"no text\"}\n",
    "{not json\n",
    "{\"id\": 3, \"text\": 42}\n",
    "{\"id\": 4, \"text\": \"Last.\\nAdvertisement\"}\n",
);

#[test]
fn bad_records_are_errors_by_default_and_written_back() {
    let out = exits_with(newsdedup().arg("--jsonl").write_stdin(BAD), 2, &[]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.split_inclusive('\n').collect();
    let inputs: Vec<&str> = BAD.split_inclusive('\n').collect();
    assert_eq!(lines.len(), inputs.len(), "nothing lost, empty line kept");
    assert_eq!(lines[0], "{\"id\": 1, \"text\": \"Title\\nBody.\"}\n");
    assert_eq!(&lines[1..5], &inputs[1..5]);
    assert_eq!(lines[5], "{\"id\": 4, \"text\": \"Last.\"}\n");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("-:3 (id=2): no field \"text\""), "{stderr}");
    assert!(stderr.contains("-:4: malformed JSON"), "{stderr}");
    assert!(
        stderr.contains("-:5 (id=3): field \"text\" is not a string"),
        "{stderr}"
    );
}

#[test]
fn on_error_keep_skip_fail() {
    let keep = exits_with(
        newsdedup()
            .args(["--jsonl", "--on-error", "keep"])
            .write_stdin(BAD),
        0,
        &[],
    );
    assert_eq!(String::from_utf8(keep.stdout).unwrap().lines().count(), 6);
    let skip = exits_with(
        newsdedup()
            .args(["--jsonl", "--on-error", "skip"])
            .write_stdin(BAD),
        0,
        &[],
    );
    assert_eq!(
        String::from_utf8(skip.stdout).unwrap(),
        "{\"id\": 1, \"text\": \"Title\\nBody.\"}\n\n{\"id\": 4, \"text\": \"Last.\"}\n"
    );
    let fail = exits_with(
        newsdedup()
            .args(["--jsonl", "--on-error", "fail"])
            .write_stdin(BAD),
        2,
        &[],
    );
    assert_eq!(
        String::from_utf8(fail.stdout).unwrap(),
        "{\"id\": 1, \"text\": \"Title\\nBody.\"}\n\n",
        "stops before the first bad record"
    );
}

#[test]
fn check_and_report_work_per_record() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("r.jsonl");
    let out = newsdedup()
        .args(["--jsonl", "--check", "--on-error", "skip", "--report"])
        .arg(&report)
        .write_stdin(BAD)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "-:1 (id=1): 1 boilerplate line (2)\n-:6 (id=4): 1 boilerplate line (2)\n\
         2 of 2 articles need cleaning: 0 repeated blocks, 2 boilerplate lines\n"
    );
    let records: Vec<serde_json::Value> = fs::read_to_string(&report)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records[0]["record"], 1);
    assert_eq!(records[0]["id"], "id=1");
    assert_eq!(records[0]["removals"][0]["text"], "Advertisement");
    assert_eq!(records[1]["record"], 6);
}

#[test]
fn in_place_over_a_folder_of_jsonl_files() {
    let dir = tempfile::tempdir().unwrap();
    let shards = dir.path().join("shards");
    fs::create_dir_all(shards.join("b")).unwrap();
    let dirty = format!("{{\"body\": \"{DIRTY}\"}}\n");
    fs::write(shards.join("a.jsonl"), &dirty).unwrap();
    fs::write(shards.join("b/c.ndjson"), &dirty).unwrap();
    fs::write(shards.join("notes.txt"), "Title\nAdvertisement\n").unwrap();
    newsdedup()
        .args(["-q", "--jsonl", "--field", "body", "--in-place"])
        .arg(&shards)
        .assert()
        .success();
    let cleaned = format!("{{\"body\": \"{CLEANED}\"}}\n");
    assert_eq!(fs::read_to_string(shards.join("a.jsonl")).unwrap(), cleaned);
    assert_eq!(
        fs::read_to_string(shards.join("b/c.ndjson")).unwrap(),
        cleaned
    );
    assert_eq!(
        fs::read_to_string(shards.join("notes.txt")).unwrap(),
        "Title\nAdvertisement\n",
        "only .jsonl and .ndjson are selected with --jsonl"
    );
    assert_eq!(
        fs::read_dir(&shards).unwrap().count(),
        3,
        "no temporary files"
    );
}

#[test]
fn long_streams_keep_their_order() {
    let mut input = String::new();
    let mut expected = String::new();
    for i in 0..5000 {
        if i % 3 == 0 {
            input.push_str(&format!(
                "{{\"i\": {i}, \"text\": \"Record {i}.\\nAdvertisement\"}}\n"
            ));
            expected.push_str(&format!("{{\"i\": {i}, \"text\": \"Record {i}.\"}}\n"));
        } else {
            let line = format!("{{\"i\": {i}, \"text\": \"Record {i} is clean.\"}}\n");
            input.push_str(&line);
            expected.push_str(&line);
        }
    }
    newsdedup()
        .arg("--jsonl")
        .write_stdin(input)
        .assert()
        .success()
        .stdout(expected);
}

#[test]
fn diff_is_refused_with_jsonl() {
    exits_with(
        newsdedup()
            .args(["--jsonl", "--diff"])
            .write_stdin("{\"text\": \"x\"}\n"),
        2,
        &["--diff does not work with --jsonl"],
    );
}

#[test]
fn in_place_skip_leaves_bad_records_out_even_when_nothing_else_changes() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.jsonl");
    fs::write(&file, "{\"text\": \"Clean.\"}\nnot json\n{\"text\": 5}\n").unwrap();
    newsdedup()
        .args(["-q", "-i", "--jsonl", "--on-error", "skip"])
        .arg(&file)
        .assert()
        .success();
    assert_eq!(
        fs::read_to_string(&file).unwrap(),
        "{\"text\": \"Clean.\"}\n"
    );
}

#[cfg(unix)]
#[test]
fn in_place_read_only_file_is_an_error_only_when_it_would_change() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let clean = dir.path().join("clean.jsonl");
    let dirty = dir.path().join("dirty.jsonl");
    fs::write(&clean, "{\"text\": \"Clean.\"}\n").unwrap();
    fs::write(&dirty, format!("{{\"text\": \"{DIRTY}\"}}\n")).unwrap();
    for file in [&clean, &dirty] {
        fs::set_permissions(file, fs::Permissions::from_mode(0o444)).unwrap();
    }
    newsdedup()
        .args(["-q", "-i", "--jsonl"])
        .arg(&clean)
        .assert()
        .success();
    exits_with(
        newsdedup()
            .args(["-q", "-i", "--jsonl"])
            .arg(&clean)
            .arg(&dirty),
        2,
        &["dirty.jsonl: read-only file"],
    );
    assert_eq!(
        fs::read_to_string(&dirty).unwrap(),
        format!("{{\"text\": \"{DIRTY}\"}}\n")
    );
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        2,
        "no temporary files"
    );
}

#[test]
fn a_byte_order_mark_before_the_first_record_is_kept_out_of_it() {
    let input = format!("\u{feff}{{\"text\": \"{DIRTY}\"}}\n{{\"text\": \"Clean.\"}}\n");
    newsdedup()
        .arg("--jsonl")
        .write_stdin(input)
        .assert()
        .success()
        .stdout(format!(
            "\u{feff}{{\"text\": \"{CLEANED}\"}}\n{{\"text\": \"Clean.\"}}\n"
        ));
    // Only at the start: elsewhere it is inside a record, which is then not JSON.
    newsdedup()
        .arg("--jsonl")
        .write_stdin("{\"text\": \"a\"}\n\u{feff}{\"text\": \"b\"}\n")
        .assert()
        .code(2);
}

#[test]
fn only_json_white_space_makes_an_empty_line() {
    let out = exits_with(
        newsdedup()
            .arg("--jsonl")
            .write_stdin("\u{a0}\n \t\r\n{\"text\": \"ok\"}\n"),
        2,
        &["-:1: malformed JSON"],
    );
    assert_eq!(out.stdout, "\u{a0}\n \t\r\n{\"text\": \"ok\"}\n".as_bytes());
}

#[cfg(target_os = "linux")]
#[test]
fn a_read_error_in_one_stream_does_not_stop_the_next() {
    // /proc/self/mem opens, then fails to read at offset 0.
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.jsonl");
    fs::write(&good, format!("{{\"text\": \"{DIRTY}\"}}\n")).unwrap();
    let out = exits_with(
        newsdedup().args(["--jsonl", "/proc/self/mem"]).arg(&good),
        2,
        &["/proc/self/mem: "],
    );
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        format!("{{\"text\": \"{CLEANED}\"}}\n")
    );
}

#[test]
fn a_stream_fed_as_it_goes_is_written_as_it_goes() {
    // `scraper | newsdedup --jsonl | next`: each record comes out before the next is written,
    // not when a batch of 512 fills or the input ends.
    use std::io::{BufRead, BufReader, Write};
    use std::process::{Command as Std, Stdio};
    use std::sync::mpsc;
    use std::time::Duration;
    let mut child = Std::new(assert_cmd::cargo::cargo_bin("newsdedup"))
        .arg("--jsonl")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (lines, received) = mpsc::channel();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            if lines.send(line.unwrap()).is_err() {
                break;
            }
        }
    });
    for i in 0..3 {
        writeln!(stdin, "{{\"text\": \"Record {i}\\nAdvertisement\"}}").unwrap();
        stdin.flush().unwrap();
        let line = received
            .recv_timeout(Duration::from_secs(20))
            .expect("the record comes out while the input stays open");
        assert_eq!(line, format!("{{\"text\": \"Record {i}\"}}"));
    }
    drop(stdin);
    assert!(child.wait().unwrap().success());
    reader.join().unwrap();
}

#[test]
fn a_checks_json_names_bad_records_and_unreadable_files() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("e.jsonl");
    fs::write(
        &file,
        format!("{{\"text\": \"{DIRTY}\"}}\n{{\"text\": 1}}\nnot json\n{{\"text\": \"Clean.\"}}\n"),
    )
    .unwrap();
    let report = dir.path().join("r.jsonl");
    let out = exits_with(
        newsdedup()
            .args(["--jsonl", "--check", "--format", "json", "--report"])
            .arg(&report)
            .arg(&file)
            .arg(dir.path().join("missing.jsonl")),
        2,
        &["e.jsonl:2: field \"text\" is not a string; record not checked"],
    );
    let document: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let articles = document["articles"].as_array().unwrap();
    let summary: Vec<(Option<u64>, bool, bool)> = articles
        .iter()
        .map(|a| {
            (
                a["record"].as_u64(),
                a["changed"] == true,
                a.get("error").is_some(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (Some(1), true, false),
            (Some(2), false, true),
            (Some(3), false, true),
            (Some(4), false, false),
            (None, false, true),
        ]
    );
    assert!(
        articles[4]["path"]
            .as_str()
            .unwrap()
            .ends_with("missing.jsonl")
    );
    assert_eq!(document["totals"]["errors"], 3);
    let last = fs::read_to_string(&report).unwrap();
    let last: serde_json::Value = serde_json::from_str(last.lines().last().unwrap()).unwrap();
    assert_eq!(last["summary"]["errors"], 3, "{last}");
}

#[test]
fn a_check_counts_clean_records_and_skips_a_binary_file_found_by_a_walk() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("a.jsonl"),
        format!(
            "{{\"text\": \"{DIRTY}\"}}\n{{\"text\": \"Clean.\"}}\n{{\"text\": \"Also clean.\"}}\n"
        ),
    )
    .unwrap();
    let mut binary = b"{\"text\": \"x\"}\n".to_vec();
    binary.extend_from_slice(&[0, 1, 2, b'\n'].repeat(50));
    fs::write(dir.path().join("b.jsonl"), &binary).unwrap();
    let out = exits_with(
        newsdedup().args(["--jsonl", "--check"]).arg(dir.path()),
        1,
        &["b.jsonl: skipped, binary input: NUL byte at byte offset 14 (line 2)"],
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 of 3 articles needs cleaning"));
    let stderr = stderr_of(&out);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

#[test]
fn joined_on_stdout_only_the_first_inputs_byte_order_mark_stays() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.jsonl"), dir.path().join("b.jsonl"));
    fs::write(&a, "{\"text\": \"One.\"}\n").unwrap();
    fs::write(&b, format!("\u{feff}{{\"text\": \"{DIRTY}\"}}\n\u{feff}")).unwrap();
    let out = newsdedup().arg("--jsonl").arg(&a).arg(&b).output().unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        format!("{{\"text\": \"One.\"}}\n{{\"text\": \"{CLEANED}\"}}\n\u{feff}"),
        "the mark of b's first record goes; a stray one later is that line's own"
    );
}

#[test]
fn a_check_that_would_skip_a_bad_record_changes_nothing_in_its_summary() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.jsonl");
    fs::write(&file, "{\"text\": \"Clean.\"}\nnot json\n").unwrap();
    let report = dir.path().join("r.jsonl");
    newsdedup()
        .args(["-q", "--jsonl", "--check", "--on-error", "skip", "--report"])
        .arg(&report)
        .arg(&file)
        .assert()
        .success();
    let report = fs::read_to_string(&report).unwrap();
    let summary: serde_json::Value = serde_json::from_str(report.lines().last().unwrap()).unwrap();
    assert_eq!(summary["summary"]["changed"], 0, "{summary}");
    assert_eq!(summary["summary"]["bytes_removed"], 0, "{summary}");
}

#[test]
fn a_report_has_an_error_entry_per_bad_record_in_order() {
    // The summary counts bad records as errors: the report names each one, where its record
    // would be, for stdout, -o and --check.
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("in")).unwrap();
    fs::write(
        dir.path().join("in/n.jsonl"),
        "{\"text\":\"Hi.\\nAdvertisement\"}\nnot json\n{\"id\":17,\"body\":\"x\"}\n",
    )
    .unwrap();
    for args in [
        &["--jsonl", "--report", "r.jsonl", "in/n.jsonl"][..],
        &["--jsonl", "-o", "out", "--report", "r.jsonl", "in"][..],
        &["--jsonl", "--check", "--report", "r.jsonl", "in"][..],
    ] {
        exits_with(newsdedup().current_dir(dir.path()).args(args), 2, &[]);
        let report = fs::read_to_string(dir.path().join("r.jsonl")).unwrap();
        let entries: Vec<serde_json::Value> = report
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let errors: Vec<&serde_json::Value> = entries
            .iter()
            .filter(|e| e.get("error").is_some())
            .collect();
        assert_eq!(errors.len(), 2, "{args:?}: {report}");
        assert_eq!(errors[0]["path"], "in/n.jsonl");
        assert_eq!(errors[0]["record"], 2);
        assert!(
            errors[0]["error"]
                .as_str()
                .unwrap()
                .contains("malformed JSON")
        );
        assert_eq!(errors[1]["record"], 3);
        assert_eq!(errors[1]["id"], "id=17");
        assert_eq!(errors[1]["error"], "no field \"text\"");
        // In order: record 1's entry, then the two errors, ..., the summary last.
        assert_eq!(entries[0]["record"], 1, "{args:?}: {report}");
        assert_eq!(entries[1]["record"], 2, "{args:?}: {report}");
        let summary = &entries.last().unwrap()["summary"];
        assert_eq!(summary["errors"], 2, "{args:?}: {report}");
    }
}

#[test]
fn on_error_fail_in_a_batch_counts_the_bad_record_once_and_says_it_first() {
    // The record that stops the file is the error; the file, left as it was, is a skipped
    // entry named after it: stderr, report and summary agree on one error.
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("in")).unwrap();
    let text = "{\"text\":\"Hi.\\nAdvertisement\"}\nnot json\n{\"id\":17,\"body\":\"x\"}\n";
    fs::write(dir.path().join("in/n.jsonl"), text).unwrap();
    for (args, note) in [
        (&["-i"][..], "not rewritten"),
        (&["-o", "out"][..], "not written"),
        (&["--check"][..], "the rest not checked"),
    ] {
        let out = exits_with(
            newsdedup()
                .current_dir(dir.path())
                .args(["--jsonl", "--on-error", "fail", "--report", "r.jsonl"])
                .args(args)
                .arg("in"),
            2,
            &[],
        );
        let stderr = stderr_of(&out);
        let record = stderr
            .find("newsdedup: in/n.jsonl:2: malformed JSON")
            .unwrap_or_else(|| panic!("{args:?}: {stderr}"));
        let file = stderr
            .find(&format!(
                "newsdedup: in/n.jsonl: stopped at the first bad record (--on-error fail); {note}"
            ))
            .unwrap_or_else(|| panic!("{args:?}: {stderr}"));
        assert!(record < file, "{args:?}: the cause first: {stderr}");
        if args[0] != "--check" {
            assert!(
                stderr.contains("1 file: 0 changed, 0 unchanged, 1 skipped, 1 error;"),
                "{args:?}: {stderr}"
            );
        } else {
            let stdout = String::from_utf8_lossy(&out.stdout);
            assert!(stdout.contains("; 1 error\n"), "{args:?}: {stdout}");
        }
        let report = fs::read_to_string(dir.path().join("r.jsonl")).unwrap();
        let entries: Vec<serde_json::Value> = report
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let errors = entries.iter().filter(|e| e.get("error").is_some()).count();
        assert_eq!(errors, 1, "{args:?}: {report}");
        let summary = &entries.last().unwrap()["summary"];
        assert_eq!(summary["errors"], 1, "{args:?}: {report}");
        assert_eq!(summary["skipped"], 1, "{args:?}: {report}");
        assert_eq!(
            fs::read_to_string(dir.path().join("in/n.jsonl")).unwrap(),
            text
        );
        assert!(!dir.path().join("out/in/n.jsonl").exists(), "{args:?}");
    }
    // The check's JSON has the bad record as its one error, not the file besides.
    let out = newsdedup()
        .current_dir(dir.path())
        .args([
            "--jsonl",
            "--on-error",
            "fail",
            "--check",
            "--format",
            "json",
            "in",
        ])
        .output()
        .unwrap();
    let document: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(document["totals"]["errors"], 1, "{document}");
}

#[test]
fn explain_names_the_record_and_the_line_of_its_text_apart() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("news.jsonl"),
        "{\"id\": 17, \"article\": {\"body\": \"Title\\nAdvertisement\\nBody.\"}}\n\
         {\"article\": {\"body\": \"Hello\\nBody.\\nAdvertisement\"}}\n",
    )
    .unwrap();
    let out = exits_with(
        newsdedup().current_dir(dir.path()).args([
            "--jsonl",
            "--field",
            "article.body",
            "--explain",
            "news.jsonl",
        ]),
        0,
        &[],
    );
    // Not `news.jsonl:2:3:`, which reads as file:line:column.
    assert_eq!(
        stderr_of(&out),
        "news.jsonl:1 (id=17): line 2 of \"article.body\": removed boilerplate: \"Advertisement\"\n\
         news.jsonl:1 (id=17): 25 -> 11 bytes, 1 removed, 0 moved\n\
         news.jsonl:2: line 3 of \"article.body\": removed boilerplate: \"Advertisement\"\n\
         news.jsonl:2: 25 -> 11 bytes, 1 removed, 0 moved\n"
    );
}
