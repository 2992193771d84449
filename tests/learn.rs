//! Learning a corpus's own boilerplate through the real binary: the list, counts and merge,
//! cleaning with the list and with --learn, JSON Lines.

mod common;

use common::{exits_with, newsdedup, stderr_of};
use std::fs;
use std::path::Path;

const FURNITURE: &str = "SUBSCRIBE TO THE DAILY HERALD FOR FULL COVERAGE";
const RARE: &str = "The harbour master said the ferry would not sail.";

/// 220 documents in two shards: a headline, three body paragraphs of their own, the furniture
/// line in most of them, and a short rare paragraph in three.
fn corpus(root: &Path) {
    for i in 0..220 {
        let shard = root.join(if i % 2 == 0 { "a" } else { "b" });
        fs::create_dir_all(&shard).unwrap();
        let mut text = format!("Headline number {i} about the town\n");
        text.push_str(&format!(
            "The council met on day {i} and discussed the budget for the coming year at length.\n"
        ));
        if i % 10 != 0 {
            text.push_str(FURNITURE);
            text.push('\n');
        }
        if i < 3 {
            text.push_str(RARE);
            text.push('\n');
        }
        text.push_str(&format!(
            "Residents raised {i} questions about roads and schools.\n"
        ));
        fs::write(shard.join(format!("{i:03}.txt")), text).unwrap();
    }
}

#[test]
fn learn_lists_the_furniture_with_its_count() {
    let dir = tempfile::tempdir().unwrap();
    corpus(dir.path());
    let out = newsdedup().arg("learn").arg(dir.path()).output().unwrap();
    assert!(out.status.success());
    let list = String::from_utf8(out.stdout).unwrap();
    assert!(
        list.contains(&format!("# 198 documents (90%)\n{FURNITURE}\n")),
        "{list}"
    );
    assert!(!list.contains(RARE));
    assert!(!list.contains("Headline"));
    assert_eq!(
        list.lines().filter(|l| !l.starts_with('#')).count(),
        1,
        "{list}"
    );
}

#[test]
fn counts_per_shard_merge_to_the_same_list() {
    let dir = tempfile::tempdir().unwrap();
    corpus(dir.path());
    let whole = newsdedup()
        .arg("learn")
        .arg(dir.path())
        .output()
        .unwrap()
        .stdout;
    for shard in ["a", "b"] {
        let counts = newsdedup()
            .args(["learn", "--counts"])
            .arg(dir.path().join(shard))
            .output()
            .unwrap();
        assert!(counts.status.success());
        assert!(String::from_utf8_lossy(&counts.stdout).starts_with("# newsdedup counts v1"));
        fs::write(dir.path().join(format!("{shard}.counts")), counts.stdout).unwrap();
    }
    let merged = newsdedup()
        .args(["learn", "--merge"])
        .arg(dir.path().join("a.counts"))
        .arg(dir.path().join("b.counts"))
        .output()
        .unwrap();
    assert!(merged.status.success());
    assert_eq!(merged.stdout, whole);
}

#[test]
fn merging_counts_of_other_word_limits_says_so_and_keeps_a_shards_own_limit() {
    let dir = tempfile::tempdir().unwrap();
    corpus(dir.path());
    let mut limits = Vec::new();
    for (shard, words) in [("a", "20"), ("b", "5")] {
        let counts = newsdedup()
            .args(["learn", "--counts", "--max-words", words])
            .arg(dir.path().join(shard))
            .output()
            .unwrap();
        let path = dir.path().join(format!("{shard}.counts"));
        fs::write(&path, counts.stdout).unwrap();
        limits.push(path);
    }
    // Merged alone, counts keep the limit they were counted with (not the default 12).
    let alone = newsdedup()
        .args(["learn", "--merge"])
        .arg(&limits[0])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&alone.stdout).contains("paragraphs of at most 20 words"));
    assert_eq!(String::from_utf8_lossy(&alone.stderr), "");
    // Different limits merge at the smaller one, with a note.
    let both = exits_with(
        newsdedup().args(["learn", "--merge"]).args(&limits),
        0,
        &["b.counts: counted with --max-words 5, the rest with 20; merged at 5"],
    );
    assert!(String::from_utf8_lossy(&both.stdout).contains("paragraphs of at most 5 words"));
}

#[test]
fn cleaning_with_the_learned_list_and_with_learn() {
    let dir = tempfile::tempdir().unwrap();
    corpus(dir.path());
    let list = newsdedup()
        .arg("learn")
        .arg(dir.path())
        .output()
        .unwrap()
        .stdout;
    let list_path = dir.path().join("site-boilerplate.txt");
    fs::write(&list_path, list).unwrap();
    let copy = tempfile::tempdir().unwrap();
    corpus(copy.path());
    newsdedup()
        .args(["-q", "-i", "--boilerplate"])
        .arg(&list_path)
        .arg(dir.path())
        .assert()
        .success();
    newsdedup()
        .args(["-q", "-i", "--learn"])
        .arg(copy.path())
        .assert()
        .success();
    for root in [dir.path(), copy.path()] {
        let doc = fs::read_to_string(root.join("a/002.txt")).unwrap();
        assert!(!doc.contains(FURNITURE), "{doc}");
        assert!(doc.contains(RARE), "a paragraph in only 3 documents stays");
        assert!(doc.starts_with("Headline number 2"));
    }
}

#[test]
fn learn_from_json_lines_on_stdin() {
    let mut input = String::new();
    for i in 0..100 {
        let text = format!(
            "Title {i}\nBody paragraph number {i} of a long enough article here.\n{FURNITURE}"
        );
        input.push_str(&serde_json::json!({ "id": i, "body": text }).to_string());
        input.push('\n');
    }
    let out = newsdedup()
        .args(["learn", "--jsonl", "--field", "body"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert!(out.status.success());
    let list = String::from_utf8(out.stdout).unwrap();
    assert!(
        list.contains(&format!("# 100 documents (100%)\n{FURNITURE}\n")),
        "{list}"
    );
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

#[test]
fn learn_says_which_records_it_could_not_count() {
    // A note, not an error.
    exits_with(
        newsdedup()
            .args(["learn", "--jsonl", "--field", "txet"])
            .write_stdin("{\"text\":\"a\"}\n\n{\"text\":\"b\"}\nnot json\n"),
        0,
        &["-: 3 of 3 records not counted (the first, line 1: no field \"txet\")"],
    );
}

#[test]
fn learn_rejects_bad_thresholds_and_stdin_for_learn() {
    newsdedup()
        .args(["learn", "--min-share", "2"])
        .assert()
        .code(2);
    newsdedup()
        .arg("--learn")
        .write_stdin("Title\nBody.\n")
        .assert()
        .code(2);
}

#[test]
fn merge_reads_stdin_as_dash_and_refuses_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    corpus(dir.path());
    let counts = newsdedup()
        .args(["learn", "--counts"])
        .arg(dir.path().join("a"))
        .output()
        .unwrap();
    assert!(counts.status.success());
    let from_stdin = newsdedup()
        .args(["learn", "--merge", "-"])
        .write_stdin(counts.stdout)
        .output()
        .unwrap();
    assert!(from_stdin.status.success());
    assert!(String::from_utf8_lossy(&from_stdin.stdout).contains(FURNITURE));
    // A folder after --merge was meant as documents: say where it goes.
    exits_with(
        newsdedup()
            .args(["learn", "--merge", "-"])
            .arg(dir.path().join("b"))
            .write_stdin(""),
        2,
        &["is a folder; --merge takes counts files"],
    );
}

#[test]
fn jsonl_records_with_invalid_utf8_are_not_counted_unless_lossy() {
    let record = b"{\"body\": \"H\\nbad \xff\\nJOIN OUR CLUB\"}\n".repeat(6);
    let strict = exits_with(
        newsdedup()
            .args(["learn", "--jsonl", "--field", "body"])
            .write_stdin(record.clone()),
        0,
        &["6 of 6 records not counted (the first, line 1: invalid UTF-8"],
    );
    assert!(!String::from_utf8_lossy(&strict.stdout).contains("JOIN OUR CLUB"));
    let lossy = newsdedup()
        .args(["learn", "--jsonl", "--lossy", "--field", "body"])
        .write_stdin(record)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&lossy.stdout).contains("JOIN OUR CLUB"));
}

#[test]
fn a_binary_file_found_by_a_walk_is_skipped_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    corpus(dir.path());
    fs::write(dir.path().join("a/zz.txt"), b"x\0y").unwrap();
    let out = exits_with(
        newsdedup().arg("learn").arg(dir.path()),
        0,
        &["zz.txt: skipped, binary input"],
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains(FURNITURE));
    // Named, it is an error.
    exits_with(
        newsdedup().arg("learn").arg(dir.path().join("a/zz.txt")),
        2,
        &[],
    );
}

#[test]
fn learn_notes_a_folder_where_no_file_matches() {
    // As the main command does: a wrong --glob is not silently zero documents.
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("e")).unwrap();
    fs::write(dir.path().join("e/a.md"), "Title\nBody.\n").unwrap();
    let out = exits_with(
        newsdedup().current_dir(dir.path()).args(["learn", "e"]),
        0,
        &[],
    );
    assert_eq!(
        stderr_of(&out).trim_end(),
        "newsdedup: e: no file matches --glob '*.txt' here"
    );
    // Matching files: no note.
    let out = exits_with(
        newsdedup()
            .current_dir(dir.path())
            .args(["learn", "--glob", "*.md", "e"]),
        0,
        &[],
    );
    assert!(out.stderr.is_empty(), "{}", stderr_of(&out));
}

#[test]
fn learn_reports_each_bad_input_once_and_names_it_once() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("d")).unwrap();
    fs::write(root.join("d/a.txt"), "Title\nBody.\n").unwrap();
    fs::write(root.join("d/b.txt"), b"bad \xff\n").unwrap();
    fs::create_dir(root.join("e")).unwrap();
    // --learn reads the inputs twice (learning, then cleaning): each problem is said once.
    for args in [
        &["-i", "--learn", "d", "e", "nope.txt"][..],
        &["--check", "--learn", "d", "e", "nope.txt"][..],
        &["learn", "d", "e", "nope.txt"][..],
    ] {
        let out = exits_with(newsdedup().current_dir(root).args(args), 2, &[]);
        let stderr = stderr_of(&out);
        for said in [
            "d/b.txt: invalid UTF-8",
            "nope.txt: No such file",
            "e: no file matches --glob '*.txt' here",
        ] {
            assert_eq!(
                stderr.matches(said).count(),
                1,
                "{args:?}: {said}: {stderr}"
            );
        }
    }
    // A file that cannot be read is named once, not twice ("x: x: ...").
    if Path::new("/proc/self/mem").exists() {
        let out = exits_with(newsdedup().args(["learn", "/proc/self/mem"]), 2, &[]);
        let stderr = stderr_of(&out);
        assert!(
            stderr.starts_with("newsdedup: /proc/self/mem: "),
            "{stderr}"
        );
        assert_eq!(stderr.matches("/proc/self/mem").count(), 1, "{stderr}");
    }
}
