//! Check mode through the real binary: exit codes, the three formats against golden files,
//! --fail-on, --diff (applied with an in-test patcher and, when installed, GNU patch), colors.

use assert_cmd::Command;
use std::fs;
use std::path::Path;

const CORPUS: &str = "tests/check-corpus";

fn newsdedup() -> Command {
    let mut cmd = Command::cargo_bin("newsdedup").expect("binary builds");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR");
    cmd
}

fn golden(name: &str) -> String {
    fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/golden")
            .join(name),
    )
    .expect("golden file exists")
}

fn stdout_of(args: &[&str]) -> (Option<i32>, String, String) {
    let out = newsdedup().args(args).output().unwrap();
    (
        out.status.code(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn human_format_matches_golden_and_exits_1() {
    let (code, stdout, stderr) = stdout_of(&["--check", CORPUS]);
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(stdout, golden("check.human"));
}

#[test]
fn json_format_matches_golden() {
    let (code, stdout, _) = stdout_of(&["--check", "--format", "json", CORPUS]);
    assert_eq!(code, Some(1));
    assert_eq!(stdout, golden("check.json"));
    let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["totals"]["articles"], 3);
    assert_eq!(doc["totals"]["changed"], 2);
    let seed = &doc["articles"][1];
    assert_eq!(seed["findings"][0]["kind"], "repeat");
    assert_eq!(seed["findings"][0]["kept"]["first_line"], 2);
    assert_eq!(seed["findings"][0]["kept"]["last_line"], 16);
}

#[test]
fn github_format_matches_golden() {
    let (code, stdout, _) = stdout_of(&["--check", "--format", "github", CORPUS]);
    assert_eq!(code, Some(1));
    assert_eq!(stdout, golden("check.github"));
    assert!(stdout.lines().all(|l| l.starts_with("::warning file=")));
}

#[test]
fn clean_input_exits_0_and_verbose_lists_it() {
    let clean = format!("{CORPUS}/clean.txt");
    let (code, stdout, _) = stdout_of(&["--check", &clean]);
    assert_eq!(code, Some(0));
    assert_eq!(stdout, "1 article is clean\n");
    let (code, stdout, _) = stdout_of(&["--check", "-v", &clean]);
    assert_eq!(code, Some(0));
    assert_eq!(stdout, format!("{clean}: clean\n1 article is clean\n"));
}

#[test]
fn errors_win_over_findings() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("bad.txt"), b"bad \xff\n").unwrap();
    let seed = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(CORPUS)
        .join("seed.txt");
    let out = newsdedup()
        .arg("--check")
        .arg(dir.path().join("bad.txt"))
        .arg(&seed)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad.txt: invalid UTF-8"));
    assert!(String::from_utf8_lossy(&out.stdout).contains("seed.txt: repeated block"));
}

#[test]
fn usage_errors_exit_2() {
    let (code, _, _) = stdout_of(&["--check", "--in-place", CORPUS]);
    assert_eq!(code, Some(2));
    let (code, _, _) = stdout_of(&["--format", "json", CORPUS]);
    assert_eq!(code, Some(2), "--format needs --check");
}

#[test]
fn fail_on_gates_the_exit_code_but_reports_everything() {
    let ads = format!("{CORPUS}/sub/ads.txt");
    let (code, stdout, _) = stdout_of(&["--check", "--fail-on", "repeats", &ads]);
    assert_eq!(code, Some(0));
    assert!(stdout.contains("4 boilerplate lines"));
    let (code, _, _) = stdout_of(&["--check", "--fail-on", "boilerplate", &ads]);
    assert_eq!(code, Some(1));
    let seed = format!("{CORPUS}/seed.txt");
    let (code, _, _) = stdout_of(&["--check", "--fail-on", "repeats", &seed]);
    assert_eq!(code, Some(1));
}

#[test]
fn check_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.txt");
    fs::write(&file, "Title\nAdvertisement\nBody.\n").unwrap();
    let before = fs::metadata(&file).unwrap().modified().unwrap();
    newsdedup().arg("--check").arg(dir.path()).assert().code(1);
    assert_eq!(
        fs::read_to_string(&file).unwrap(),
        "Title\nAdvertisement\nBody.\n"
    );
    assert_eq!(fs::metadata(&file).unwrap().modified().unwrap(), before);
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn stdin_works_with_check() {
    newsdedup()
        .arg("--check")
        .write_stdin("Title\nAdvertisement\nBody.\n")
        .assert()
        .code(1)
        .stdout("-: 1 boilerplate line (2)\n1 of 1 article needs cleaning: 0 repeated blocks, 1 boilerplate line\n");
    newsdedup()
        .arg("--check")
        .write_stdin("Title\nBody.\n")
        .assert()
        .code(0);
}

/// Applies a unified diff made by newsdedup to the texts in `files` (path -> text).
fn apply(diff: &str, files: &mut std::collections::BTreeMap<String, String>) {
    let mut lines = diff.split_inclusive('\n').peekable();
    while let Some(line) = lines.next() {
        let path = line
            .strip_prefix("--- ")
            .expect("header")
            .trim_end()
            .to_owned();
        lines.next().expect("+++ header");
        let old = files[&path].clone();
        let old_lines: Vec<&str> = old.split_inclusive('\n').collect();
        let mut new = String::new();
        let mut at = 0;
        while let Some(hunk) = lines.next_if(|l| l.starts_with("@@")) {
            let start: usize = hunk[4..].split([',', ' ']).next().unwrap().parse().unwrap();
            let start = start.saturating_sub(1);
            for l in &old_lines[at..start] {
                new.push_str(l);
            }
            at = start;
            while let Some(body) = lines.next_if(|l| !l.starts_with("@@") && !l.starts_with("--- "))
            {
                let (mark, text) = body.split_at(1);
                match mark {
                    " " | "-" => {
                        assert_eq!(
                            old_lines[at].trim_end_matches('\n'),
                            text.trim_end_matches('\n')
                        );
                        if mark == " " {
                            new.push_str(old_lines[at]);
                        }
                        at += 1;
                    }
                    "+" => new.push_str(text),
                    "\\" => {
                        if new.ends_with('\n') {
                            new.pop();
                        }
                    }
                    _ => panic!("bad diff line {body:?}"),
                }
            }
        }
        for l in &old_lines[at..] {
            new.push_str(l);
        }
        files.insert(path, new);
    }
}

#[test]
fn diff_turns_input_into_cleaned_output() {
    let (code, stdout, stderr) = stdout_of(&["--check", "--diff", CORPUS]);
    assert_eq!(code, Some(1));
    assert_eq!(stdout, golden("check.diff"));
    assert!(
        stderr.contains("2 of 3 articles need cleaning"),
        "findings go to stderr"
    );
    let mut files = std::collections::BTreeMap::new();
    for name in ["seed.txt", "sub/ads.txt", "clean.txt"] {
        let path = format!("{CORPUS}/{name}");
        let text = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(&path)).unwrap();
        files.insert(path, text);
    }
    apply(&stdout, &mut files);
    for (path, patched) in &files {
        let cleaned = newsdedup().arg(path).output().unwrap().stdout;
        assert_eq!(patched.as_bytes(), cleaned, "{path}");
    }
}

#[test]
fn diff_applies_with_gnu_patch() {
    if std::process::Command::new("patch")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("GNU patch not installed: skipped");
        return;
    }
    let seed = fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(CORPUS)
            .join("seed.txt"),
    )
    .unwrap();
    let expected = fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/seed_kerry_moscow_repeated_block.expected"),
    )
    .unwrap();
    // A name with a space too: its header must end in a tab for patch to read it; names with
    // a newline or bytes that are not UTF-8 are quoted with C escapes.
    #[cfg(unix)]
    let odd: Vec<std::ffi::OsString> = {
        use std::os::unix::ffi::OsStringExt;
        vec![
            b"x\ny.txt".to_vec(),
            b"a\xffb.txt".to_vec(),
            b"q\"\\.txt".to_vec(),
        ]
        .into_iter()
        .map(std::ffi::OsString::from_vec)
        .collect()
    };
    #[cfg(not(unix))]
    let odd: Vec<std::ffi::OsString> = Vec::new();
    let names = ["a.txt".into(), "a b.txt".into()].into_iter().chain(odd);
    for name in names {
        let name = std::path::PathBuf::from(name);
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(&name), &seed).unwrap();
        let diff = newsdedup()
            .current_dir(dir.path())
            .args(["--check", "--diff"])
            .arg(&name)
            .output()
            .unwrap()
            .stdout;
        let status = std::process::Command::new("patch")
            .current_dir(dir.path())
            .args(["-p0", "--fuzz=0", "-s"])
            .stdin(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut child| {
                use std::io::Write;
                child.stdin.take().unwrap().write_all(&diff)?;
                child.wait()
            })
            .unwrap();
        assert!(status.success(), "{name:?}");
        assert_eq!(
            fs::read(dir.path().join(&name)).unwrap(),
            expected,
            "{name:?}"
        );
    }
}

#[test]
fn with_diff_every_format_leaves_stdout_to_the_patch() {
    let (_, plain, _) = stdout_of(&["--check", "--diff", CORPUS]);
    for format in ["json", "github"] {
        let (code, stdout, stderr) = stdout_of(&["--check", "--diff", "--format", format, CORPUS]);
        assert_eq!(code, Some(1), "{format}");
        assert_eq!(stdout, plain, "{format}: stdout is the patch alone");
        if format == "json" {
            let doc: serde_json::Value = serde_json::from_str(&stderr).expect("JSON on stderr");
            assert_eq!(doc["version"], 1);
        } else {
            assert!(stderr.starts_with("::warning "), "{stderr}");
        }
    }
}

#[test]
fn diff_without_check_replaces_the_text() {
    let out = newsdedup()
        .arg("--diff")
        .write_stdin("Title\nAdvertisement\nBody.\n")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "--- -\n+++ -\n@@ -1,3 +1,2 @@\n Title\n-Advertisement\n Body.\n"
    );
}

#[test]
fn colors_follow_the_flag_and_no_color() {
    let input = "Title\nAdvertisement\nBody.\n";
    let colored = newsdedup()
        .args(["--diff", "--color", "always"])
        .write_stdin(input)
        .output()
        .unwrap()
        .stdout;
    assert!(String::from_utf8_lossy(&colored).contains("\x1b["));
    for args in [&["--diff", "--color", "never"][..], &["--diff"][..]] {
        let plain = newsdedup()
            .args(args)
            .write_stdin(input)
            .output()
            .unwrap()
            .stdout;
        assert!(
            !String::from_utf8_lossy(&plain).contains('\x1b'),
            "{args:?}"
        );
    }
    let plain = newsdedup()
        .args(["--diff", "--color", "auto"])
        .env("NO_COLOR", "1")
        .write_stdin(input)
        .output()
        .unwrap()
        .stdout;
    assert!(!String::from_utf8_lossy(&plain).contains('\x1b'));
}

#[test]
fn control_characters_in_file_names_are_escaped_in_human_output() {
    // ESC or a newline in a name would reach the terminal raw: human lines C-quote the name,
    // as --diff does; JSON keeps it (escaped by JSON itself).
    let dir = tempfile::tempdir().unwrap();
    let article = "Title\nAdvertisement\nThe council met on Monday.\n";
    fs::write(dir.path().join("\u{1b}[2Jx.txt"), article).unwrap();
    fs::write(dir.path().join("new\nline.txt"), article).unwrap();
    for args in [
        &["--check", "."][..],
        &["--check", "--verbose", "."][..],
        &["--explain", "new\nline.txt"][..],
        &["--explain", "-o", "out", "."][..],
        &["missing\u{1b}.txt"][..],
    ] {
        let out = newsdedup()
            .current_dir(dir.path())
            .args(args)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        let human = if args[0] == "--check" {
            stdout.to_string()
        } else {
            stderr.to_string()
        };
        assert!(!human.contains('\u{1b}'), "{args:?}: {human:?}");
        assert!(
            !human.contains("new\nline"),
            "{args:?}: a raw newline: {human:?}"
        );
        assert!(
            human.contains(r#""./\033[2Jx.txt""#)
                || human.contains(r#""new\nline.txt""#)
                || human.contains(r#""missing\033.txt""#),
            "{args:?}: {human:?}"
        );
    }
    let out = newsdedup()
        .current_dir(dir.path())
        .args(["--check", "--format", "json", "."])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains(r#"new\nline.txt"#), "{stdout}");
}

#[test]
fn check_json_has_no_entry_for_inputs_skipped_with_a_note() {
    // As the README's table says: a walked binary file and the second path to one file are
    // notes (stderr, --report), not articles of the check's JSON.
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("k")).unwrap();
    fs::write(dir.path().join("k/a.txt"), "Title\nAdvertisement\nBody.\n").unwrap();
    fs::write(dir.path().join("k/b.txt"), "x\0").unwrap();
    let out = newsdedup()
        .current_dir(dir.path())
        .args(["--check", "--format", "json", "k", "./k/a.txt"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let paths: Vec<&str> = json["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["./k/a.txt"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("k/a.txt: same file as ./k/a.txt"),
        "{stderr}"
    );
    assert!(
        stderr.contains("k/b.txt: skipped, binary input"),
        "{stderr}"
    );
    let readme =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    assert!(readme.contains("| `articles[]` | every input checked or that could not be checked"));
}

/// A name that is not UTF-8 is lossy in JSON's `path`; `path_bytes` gives its raw bytes.
#[cfg(target_os = "linux")]
#[test]
fn json_gives_the_raw_bytes_of_a_name_that_is_not_utf8() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let raw = dir.path().join(OsStr::from_bytes(b"a\xffb.txt"));
    fs::write(&raw, "Title\nAdvertisement\nBody.\n").unwrap();
    fs::write(dir.path().join("ok.txt"), "Clean.\n").unwrap();
    let out = newsdedup()
        .current_dir(dir.path())
        .args(["--check", "--format", "json", "--report", "r.jsonl", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let document: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let articles = document["articles"].as_array().unwrap();
    assert_eq!(articles[0]["path"], "./a\u{fffd}b.txt");
    // base64 of "./a\xffb.txt"
    assert_eq!(articles[0]["path_bytes"], "Li9h/2IudHh0");
    assert_eq!(articles[1]["path"], "./ok.txt");
    assert!(
        articles[1].get("path_bytes").is_none(),
        "only for names that are not UTF-8"
    );
    let report: Vec<serde_json::Value> = fs::read_to_string(dir.path().join("r.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(report[0]["path_bytes"], "Li9h/2IudHh0");
    assert_eq!(report[0]["changed"], true);
    assert!(report[1].get("path_bytes").is_none());
    // The bytes name the file again.
    let mut decoded = Vec::new();
    for chunk in b"Li9h/2IudHh0".chunks(4) {
        let n = chunk.iter().fold(0u32, |n, &c| {
            let v = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
                .iter()
                .position(|&a| a == c)
                .unwrap() as u32;
            n << 6 | v
        });
        decoded.extend_from_slice(&n.to_be_bytes()[1..]);
    }
    assert!(dir.path().join(OsStr::from_bytes(&decoded)).is_file());
}
