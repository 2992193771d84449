//! Hostile and broken input, run through the real binary: huge and degenerate articles, odd
//! encodings and line endings, pathological boilerplate lists, files that change or vanish
//! under a batch, unreadable files, a full disk, closed pipes, a terminal on stdin and SIGINT.
//! In every case: no panic, no hang, nothing lost, nothing corrupted, and an error names the
//! file it is about.

mod common;

use common::{exited_with, stderr_of};
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

fn bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("newsdedup")
}

fn newsdedup() -> Command {
    Command::new(bin())
}

/// Runs with `stdin` piped in (from a thread, so a large input cannot deadlock).
fn run_stdin(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = newsdedup()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut pipe = child.stdin.take().unwrap();
    let input = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = pipe.write_all(&input);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    out
}

/// Cleans `text` from stdin, asserts success and returns stdout.
fn clean_ok(args: &[&str], text: &[u8]) -> Vec<u8> {
    let out = run_stdin(args, text);
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn is_subsequence(needle: &[u8], haystack: &[u8]) -> bool {
    let mut it = haystack.iter();
    needle.iter().all(|b| it.any(|h| h == b))
}

/// Cleans `text`, checks the output is made of input bytes in order and that cleaning it
/// again changes nothing, and returns it.
fn clean_checked(text: &str) -> String {
    let out = clean_ok(&["--no-merge"], text.as_bytes());
    assert!(is_subsequence(&out, text.as_bytes()), "not a subsequence");
    let again = clean_ok(&["--no-merge"], &out);
    assert_eq!(again, out, "not idempotent");
    let merged = clean_ok(&[], text.as_bytes());
    assert_eq!(clean_ok(&[], &merged), merged, "not idempotent with merge");
    String::from_utf8(out).expect("output is UTF-8")
}

/// Temporary files of an in-place or out-dir write anywhere below `dir`.
fn temp_files(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| {
            let name = e.file_name().to_string_lossy();
            name.starts_with(".newsdedup-") && name.ends_with(".tmp")
        })
        .map(|e| e.into_path())
        .collect()
}

/// Sends SIGINT to `child` once a temporary file exists under `dir` (mid-write), and waits
/// for it to exit.
fn interrupt_when_writing(child: &mut std::process::Child, dir: &Path) {
    let started = Instant::now();
    while temp_files(dir).is_empty() && started.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(1));
    }
    let killed = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    wait_within(child, Duration::from_secs(60), "interrupted batch");
}

/// Waits for `child` at most `limit`; kills it and fails when it takes longer.
fn wait_within(child: &mut Child, limit: Duration, what: &str) -> std::process::ExitStatus {
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what}: still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

// ---------------------------------------------------------------------------------------------
// Huge and degenerate articles

#[test]
fn two_hundred_megabytes_without_a_newline() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("big.txt");
    let output = dir.path().join("out.txt");
    let sentence = "The council approved the budget after a long debate. ";
    let mut article = String::from("Budget passes in a late vote. ");
    article.push_str(&sentence.repeat(200 * 1024 * 1024 / sentence.len()));
    article.push_str("It ended without a newline.");
    assert!(article.len() > 200 * 1024 * 1024);
    fs::write(&input, &article).unwrap();
    drop(article);
    let status = newsdedup()
        .arg(&input)
        .stdout(fs::File::create(&output).unwrap())
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(
        fs::read_to_string(&output).unwrap(),
        format!("Budget passes in a late vote. {sentence}It ended without a newline.")
    );
}

#[test]
fn a_million_one_word_lines() {
    // The same word a million times: one line stays, the rest are one long repeated block.
    let same = "word\n".repeat(1_000_000);
    assert_eq!(clean_ok(&[], same.as_bytes()), b"word\n");
    // A million different words: nothing to remove, byte-identical.
    let mut distinct = String::with_capacity(12_000_000);
    for i in 0..1_000_000 {
        distinct.push_str(&format!("w{i}\n"));
    }
    assert_eq!(clean_ok(&[], distinct.as_bytes()), distinct.as_bytes());
}

#[test]
fn ten_megabyte_line_of_a_dot() {
    let line = "a. ".repeat(10 * 1024 * 1024 / 3);
    let out = clean_ok(&[], line.as_bytes());
    assert!(is_subsequence(&out, line.as_bytes()));
    assert_eq!(clean_ok(&[], &out), out, "not idempotent");
}

#[test]
fn text_without_sentence_punctuation() {
    let para: String = (0..60).map(|i| format!("word{i} ")).collect();
    let para = para.trim_end();
    let text = format!("Headline without a stop\n{para}\nAdvertisement\n{para}\nthe end\n");
    assert_eq!(
        clean_checked(&text),
        format!("Headline without a stop\n{para}\nthe end\n")
    );
    let plain = "no punctuation here at all\njust lines of words\n";
    assert_eq!(clean_checked(plain), plain);
}

#[test]
fn only_whitespace_is_kept_as_it_is() {
    for text in [
        " ",
        "\n",
        "\n\n\n",
        " \t \r\n\u{a0}\n\u{200b}\u{feff}\n",
        "\t\t",
    ] {
        assert_eq!(clean_checked(text), text, "{text:?}");
    }
}

#[test]
fn only_boilerplate_gives_an_empty_article() {
    let text = "Advertisement\nRead more\nShare this article\nSkip to main content\n";
    assert_eq!(clean_checked(text), "");
    let crlf = text.replace('\n', "\r\n");
    assert_eq!(clean_checked(&crlf), "");
}

// ---------------------------------------------------------------------------------------------
// Encodings, scripts and line endings. Each article holds a repeated block long enough to go,
// written in the script under test, so detection and byte preservation are both exercised.

/// An article whose body (two paragraphs) is captured twice with a furniture line between,
/// and what cleaning must leave.
fn doubled(head: &str, p1: &str, p2: &str, nl: &str) -> (String, String) {
    let text = format!("{head}{nl}{p1}{nl}{p2}{nl}Advertisement{nl}{p1}{nl}{p2}{nl}");
    let expected = format!("{head}{nl}{p1}{nl}{p2}{nl}");
    (text, expected)
}

#[test]
fn byte_order_mark_at_the_start_stays() {
    let (text, expected) = doubled(
        "\u{feff}Storm hits the coast",
        "The storm knocked out power to forty thousand homes across the county on Monday.",
        "Crews worked through the night to restore it, the utility said in a statement.",
        "\n",
    );
    assert_eq!(clean_checked(&text), expected);
    // The headline again, without the mark, is still the headline.
    let text = "\u{feff}Storm hits the coast\nBody text.\nStorm hits the coast\n";
    assert_eq!(
        clean_checked(text),
        "\u{feff}Storm hits the coast\nBody text.\n"
    );
}

#[test]
fn mixed_lf_and_crlf_keep_their_own_terminators() {
    let p1 = "The storm knocked out power to forty thousand homes across the county on Monday.";
    let p2 = "Crews worked through the night to restore it, the utility said in a statement.";
    let text = format!("Head\r\n{p1}\n{p2}\r\nAdvertisement\n{p1}\r\n{p2}\nTail.\r\n");
    assert_eq!(
        clean_checked(&text),
        format!("Head\r\n{p1}\n{p2}\r\nTail.\r\n")
    );
}

#[test]
fn lone_carriage_returns_are_content() {
    // Old Mac line ends: no line terminator at all, so the whole text is one paragraph.
    let text = "First paragraph here.\rSecond paragraph here.\rAdvertisement\r";
    let out = clean_checked(text);
    assert!(out.contains("First paragraph here."), "{out:?}");
    assert!(out.contains("Second paragraph here."), "{out:?}");
    for text in ["\r", "\r\r\n", "a\r\rb\n\r", "Advertisement\r\n\r"] {
        clean_checked(text);
    }
}

#[test]
fn right_to_left_text() {
    let (text, expected) = doubled(
        "\u{200f}عنوان الخبر",
        "قال المسؤولون إن العاصفة قطعت الكهرباء عن أربعين ألف منزل في المقاطعة يوم الاثنين.",
        "וצוותים עבדו כל הלילה כדי להחזיר את החשמל, כך נמסר בהודעה של חברת החשמל.",
        "\n",
    );
    assert_eq!(clean_checked(&text), expected);
}

#[test]
fn combining_marks() {
    // The copy spells é decomposed (e + U+0301): the same sentence; the first spelling stays.
    let p1 = "Le café de la gare a fermé ses portes après cinquante années de service à la ville.";
    let p2 = "Les habitués ont déjà prévu une fête d'adieu samedi soir, a précisé la mairie.";
    let decomposed = |s: &str| s.replace('é', "e\u{301}").replace('à', "a\u{300}");
    let text = format!(
        "Café\n{p1}\n{p2}\nAdvertisement\n{}\n{}\n",
        decomposed(p1),
        decomposed(p2)
    );
    assert_eq!(clean_checked(&text), format!("Café\n{p1}\n{p2}\n"));
    // Thousands of marks stacked on one letter, and marks with nothing to stack on.
    let zalgo = format!(
        "Z{} said. \u{301}\u{302} x.\n",
        "\u{301}\u{316}".repeat(5000)
    );
    assert_eq!(clean_checked(&zalgo), zalgo);
}

#[test]
fn emoji_zwj_sequences() {
    let family = "\u{1f469}\u{200d}\u{1f469}\u{200d}\u{1f467}\u{200d}\u{1f466}";
    let flag = "\u{1f3f3}\u{fe0f}\u{200d}\u{1f308}";
    let (text, expected) = doubled(
        &format!("{family} Families march {flag}"),
        &format!(
            "Thousands of families {family} marched through the city centre on Saturday, waving flags {flag} and singing."
        ),
        &format!(
            "Organisers said it was the largest march in the city's history, and the police agreed {family}{family}!"
        ),
        "\n",
    );
    assert_eq!(clean_checked(&text), expected);
    // A sequence split by the zero-width joiner alone on a line, and a lone joiner.
    let odd = format!("{family}\n\u{200d}\n{flag}\u{200d}\n\u{200d}{family}.\n");
    assert_eq!(clean_checked(&odd), odd);
}

#[test]
fn nul_bytes_are_refused_and_the_file_is_intact() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("nul.txt");
    let bytes = b"Title\nAdvertisement\nBody \0 with a NUL.\n";
    fs::write(&file, bytes).unwrap();
    let out = newsdedup().arg("-i").arg(&file).output().unwrap();
    exited_with(&out, 2, &["nul.txt", "byte offset 25"]);
    assert_eq!(fs::read(&file).unwrap(), bytes);
    // Found by a walk: skipped with a note, still intact.
    let out = newsdedup().arg("-i").arg(dir.path()).output().unwrap();
    exited_with(&out, 0, &["nul.txt"]);
    assert_eq!(fs::read(&file).unwrap(), bytes);
    // On stdin.
    let out = run_stdin(&[], bytes);
    exited_with(&out, 2, &[]);
    assert!(out.stdout.is_empty());
}

#[test]
fn invalid_utf8_in_the_middle() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.txt");
    let mut bytes = b"Title\nAdvertisement\n".to_vec();
    bytes.extend(b"caf\xc3 au lait \xff\xfe and \xed\xa0\x80 a surrogate.\n");
    fs::write(&file, &bytes).unwrap();
    for flag in ["-i", "--check"] {
        let out = newsdedup().arg(flag).arg(&file).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{flag}");
        let stderr = stderr_of(&out);
        assert!(
            stderr.contains("bad.txt") && stderr.contains("byte offset 23"),
            "{stderr}"
        );
        assert_eq!(fs::read(&file).unwrap(), bytes, "{flag}");
    }
    let out = clean_ok(&["--lossy"], &bytes);
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "Title\ncaf\u{fffd} au lait \u{fffd}\u{fffd} and \u{fffd}\u{fffd}\u{fffd} a surrogate.\n"
    );
}

// ---------------------------------------------------------------------------------------------
// Boilerplate lists

#[test]
fn pathological_regexes_run_in_linear_time() {
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("evil.txt");
    // Each of these takes exponential time in a backtracking engine on a line of a's that
    // does not match.
    fs::write(
        &list,
        "re:(a*)*b\nre:(a|aa)*c\nre:(a+a+)+y\nre:(\\w+\\s?)*!\nre:(.*a){20}z\n",
    )
    .unwrap();
    let mut article = String::new();
    for i in 0..2000 {
        article.push_str(&"a".repeat(100 + i % 200));
        article.push_str(if i % 2 == 0 { "\n" } else { " a!?\n" });
    }
    let mut child = newsdedup()
        .arg("--boilerplate")
        .arg(&list)
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let text = article.clone();
    let writer = std::thread::spawn(move || stdin.write_all(text.as_bytes()));
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        stdout.read_to_end(&mut out).map(|_| out)
    });
    let status = wait_within(&mut child, Duration::from_secs(60), "pathological regexes");
    writer.join().unwrap().unwrap();
    let out = reader.join().unwrap().unwrap();
    assert!(status.success());
    assert!(is_subsequence(&out, article.as_bytes()));
}

#[test]
fn regexes_that_do_not_compile_name_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("re:(unclosed", "invalid regex"),
        ("re:(a)\\1", "invalid regex"), // backreferences: not in a linear engine
        ("re:(?=lookahead)x", "invalid regex"), // look-around: not in a linear engine
        ("re:(?<!behind)x", "invalid regex"),
        ("re:a{1000}{1000}{1000}", "invalid regex"), // compiled size limit
        ("re:x*", "empty"),
        ("re:", "empty"),
        ("...", "empty"),
    ];
    for (i, (pattern, message)) in cases.iter().enumerate() {
        let list = dir.path().join(format!("list{i}.txt"));
        fs::write(
            &list,
            format!("# site furniture\nSubscribe now\n{pattern}\nre:ok\n"),
        )
        .unwrap();
        let out = run_stdin(
            &["--boilerplate", list.to_str().unwrap()],
            b"Some article text.\n",
        );
        assert_eq!(out.status.code(), Some(2), "{pattern}");
        let stderr = stderr_of(&out);
        assert!(
            stderr.contains(&format!("list{i}.txt:3:")) && stderr.contains(message),
            "{pattern}: {stderr}"
        );
        assert!(out.stdout.is_empty(), "{pattern}");
    }
}

#[test]
fn boilerplate_list_with_invalid_utf8_or_nul_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("binary-list.txt");
    fs::write(&list, b"Subscribe\xff now\n").unwrap();
    let out = run_stdin(&["--boilerplate", list.to_str().unwrap()], b"Text.\n");
    exited_with(&out, 2, &["binary-list.txt"]);
}

// ---------------------------------------------------------------------------------------------
// Batches under hostile conditions

/// The folder `root/in` holding `count` changed articles of about `kb` kilobytes.
fn folder_of_changed_articles(root: &Path, count: usize, kb: usize) -> PathBuf {
    let input = root.join("in");
    fs::create_dir(&input).unwrap();
    for n in 0..count {
        let (old, _) = changed_article(n, kb);
        fs::write(input.join(format!("{n:03}.txt")), old).unwrap();
    }
    input
}

/// A changed article of about `kb` kilobytes: its body twice, furniture between.
fn changed_article(n: usize, kb: usize) -> (String, String) {
    let mut body = String::new();
    let mut i = 0;
    while body.len() < kb * 512 {
        body.push_str(&format!(
            "Paragraph {i} of article {n} reports something that happened on that day.\n"
        ));
        i += 1;
    }
    (
        format!("Article {n}\n{body}Advertisement\n{body}"),
        format!("Article {n}\n{body}"),
    )
}

/// Each file below `dir` is exactly one of its two allowed contents (or gone, if allowed).
fn assert_old_or_new(files: &[(PathBuf, String, String)], may_vanish: bool) {
    for (path, old, new) in files {
        match fs::read_to_string(path) {
            Ok(now) => assert!(
                now == *old || now == *new,
                "{} is neither old nor new ({} bytes)",
                path.display(),
                now.len()
            ),
            Err(err) => assert!(may_vanish, "{}: {err}", path.display()),
        }
    }
}

#[test]
fn files_deleted_while_the_batch_runs() {
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for n in 0..40 {
        let (old, new) = changed_article(n, 100);
        let path = dir.path().join(format!("{n:03}.txt"));
        fs::write(&path, &old).unwrap();
        files.push((path, old, new));
    }
    let mut child = newsdedup()
        .args(["-q", "-j", "1", "-i"])
        .arg(dir.path())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Delete the last 20 as soon as the first file has been rewritten.
    let started = Instant::now();
    while fs::read_to_string(&files[0].0).is_ok_and(|t| t == files[0].1)
        && started.elapsed() < Duration::from_secs(30)
    {
        std::thread::sleep(Duration::from_millis(2));
    }
    for (path, _, _) in &files[20..] {
        fs::remove_file(path).unwrap();
    }
    let status = wait_within(&mut child, Duration::from_secs(120), "batch");
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert_old_or_new(&files[..20], false);
    // A deleted file stays deleted, or holds the whole cleaned text if it was read before.
    assert_old_or_new(&files[20..], true);
    let missing: Vec<_> = files[20..].iter().filter(|f| !f.0.exists()).collect();
    if !missing.is_empty() {
        assert_eq!(status.code(), Some(2), "{stderr}");
        for (path, _, _) in missing {
            let name = path.file_name().unwrap().to_string_lossy();
            assert!(stderr.contains(&*name), "{name} not named: {stderr}");
        }
    }
    assert!(temp_files(dir.path()).is_empty());
}

#[test]
fn a_file_changed_while_it_is_cleaned_is_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("live.txt");
    let (old, _) = changed_article(0, 8_000);
    fs::write(&path, &old).unwrap();
    let mut child = newsdedup()
        .args(["-q", "-i"])
        .arg(&path)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until newsdedup has read the whole file (its read count in /proc), then append.
    let io = format!("/proc/{}/io", child.id());
    let started = Instant::now();
    loop {
        let rchar = fs::read_to_string(&io)
            .ok()
            .and_then(|s| {
                s.lines()
                    .find_map(|l| l.strip_prefix("rchar: ").map(|v| v.parse::<usize>()))
            })
            .and_then(Result::ok)
            .unwrap_or(0);
        if rchar >= old.len() || started.elapsed() > Duration::from_secs(30) {
            break;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    let appended = "A late correction, appended by the scraper while newsdedup ran.\n";
    fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap()
        .write_all(appended.as_bytes())
        .unwrap();
    if child.try_wait().unwrap().is_some() {
        eprintln!("skipped: newsdedup finished before the file was changed");
        return;
    }
    let status = wait_within(&mut child, Duration::from_secs(120), "in-place");
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let now = fs::read_to_string(&path).unwrap();
    assert!(
        now.ends_with(appended),
        "the concurrent change was lost (exit {status}, stderr {stderr:?})"
    );
    assert!(temp_files(dir.path()).is_empty());
}

#[test]
fn read_only_files_are_reported_and_left_alone() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = changed_article(1, 4);
    let ro = dir.path().join("ro.txt");
    let rw = dir.path().join("rw.txt");
    fs::write(&ro, &old).unwrap();
    fs::write(&rw, &old).unwrap();
    fs::set_permissions(&ro, fs::Permissions::from_mode(0o444)).unwrap();
    let out = newsdedup().arg("-i").arg(dir.path()).output().unwrap();
    exited_with(&out, 2, &["ro.txt"]);
    assert_eq!(fs::read_to_string(&ro).unwrap(), old);
    assert_eq!(fs::read_to_string(&rw).unwrap(), new);
    assert!(temp_files(dir.path()).is_empty());
}

/// A file newsdedup cannot read. Root reads a mode-000 file anyway, so as root the binary is
/// run as `nobody` through `setpriv` (util-linux); when that is not possible either, `None`.
fn unprivileged() -> Option<Command> {
    let probe = tempfile::NamedTempFile::new().unwrap();
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(probe.path(), fs::Permissions::from_mode(0o000)).unwrap();
    if fs::read(probe.path()).is_err() {
        return Some(newsdedup());
    }
    let ok = Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", "true"])
        .status()
        .is_ok_and(|s| s.success());
    ok.then(|| {
        let mut cmd = Command::new("setpriv");
        cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(bin());
        cmd
    })
}

#[test]
fn a_file_without_read_permission() {
    use std::os::unix::fs::PermissionsExt;
    let Some(mut cmd) = unprivileged() else {
        eprintln!("skipped: running as root and setpriv cannot drop privileges");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o777)).unwrap();
    let (old, new) = changed_article(2, 4);
    let locked = dir.path().join("locked.txt");
    let open = dir.path().join("open.txt");
    fs::write(&locked, &old).unwrap();
    fs::write(&open, &old).unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    fs::set_permissions(&open, fs::Permissions::from_mode(0o666)).unwrap();
    let out_dir = dir.path().join("clean");
    let out = cmd
        .arg("-o")
        .arg(&out_dir)
        .arg(&locked)
        .arg(&open)
        .output()
        .unwrap();
    exited_with(&out, 2, &["locked.txt", "ermission denied"]);
    assert_eq!(fs::read_to_string(&locked).unwrap(), old);
    assert_eq!(fs::read_to_string(&open).unwrap(), old);
    let mirrored = newsdedup::batch::mirrored_path(&out_dir, &open);
    assert_eq!(fs::read_to_string(mirrored).unwrap(), new);
    assert!(!newsdedup::batch::mirrored_path(&out_dir, &locked).exists());
    assert!(temp_files(dir.path()).is_empty());
}

#[test]
fn a_fifo_in_a_walked_folder_does_not_hang_the_batch() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = changed_article(3, 4);
    fs::write(dir.path().join("a.txt"), &old).unwrap();
    let fifo = dir.path().join("pipe.txt");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let mut child = newsdedup()
        .args(["-q", "-i"])
        .arg(dir.path())
        .spawn()
        .unwrap();
    let status = wait_within(&mut child, Duration::from_secs(30), "batch with a FIFO");
    assert!(status.success());
    assert_eq!(fs::read_to_string(dir.path().join("a.txt")).unwrap(), new);
}

#[test]
fn file_size_limit_reports_the_file_and_leaves_no_temp_file() {
    let dir = tempfile::tempdir().unwrap();
    let (old, _) = changed_article(4, 256);
    let path = dir.path().join("big.txt");
    fs::write(&path, &old).unwrap();
    let out = Command::new("prlimit")
        .arg("--fsize=65536")
        .arg(bin())
        .args(["-q", "-i"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(fs::read_to_string(&path).unwrap(), old, "original damaged");
    assert!(temp_files(dir.path()).is_empty(), "temporary file left");
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(stderr_of(&out).contains("big.txt"), "{}", stderr_of(&out));
}

#[test]
fn a_full_disk_reports_the_file_and_leaves_no_temp_file() {
    let dir = tempfile::tempdir().unwrap();
    let disk = dir.path().join("disk");
    fs::create_dir(&disk).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=64k", "tmpfs"])
        .arg(&disk)
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!("skipped: cannot mount a small tmpfs here (needs root and CAP_SYS_ADMIN)");
        return;
    }
    struct Unmount<'a>(&'a Path);
    impl Drop for Unmount<'_> {
        fn drop(&mut self) {
            let _ = Command::new("umount").arg(self.0).status();
        }
    }
    let _guard = Unmount(&disk);
    // In place on the full disk: a 40 KB article fits once but not twice.
    let (old, _) = changed_article(5, 48);
    let path = disk.join("a.txt");
    fs::write(&path, &old).unwrap();
    let out = newsdedup().args(["-q", "-i"]).arg(&path).output().unwrap();
    exited_with(&out, 2, &["a.txt"]);
    assert_eq!(fs::read_to_string(&path).unwrap(), old);
    assert!(temp_files(&disk).is_empty());
    // Into an output folder on the full disk.
    fs::remove_file(&path).unwrap();
    let src = dir.path().join("b.txt");
    let (old, _) = changed_article(6, 160);
    fs::write(&src, &old).unwrap();
    let out = newsdedup()
        .args(["-q", "-o"])
        .arg(&disk)
        .arg(&src)
        .output()
        .unwrap();
    exited_with(&out, 2, &["b.txt"]);
    assert_eq!(fs::read_to_string(&src).unwrap(), old);
    assert!(temp_files(&disk).is_empty());
}

// ---------------------------------------------------------------------------------------------
// Pipes, terminals and signals

#[test]
fn stdout_closed_early_with_a_diff_and_several_files() {
    let dir = tempfile::tempdir().unwrap();
    let mut paths = Vec::new();
    for n in 0..3 {
        let (old, _) = changed_article(n, 512);
        let path = dir.path().join(format!("{n}.txt"));
        fs::write(&path, old).unwrap();
        paths.push(path);
    }
    for args in [
        &["--diff"][..],
        &[][..],
        &["--check", "--diff"][..],
        &["--check", "--format", "json"][..],
        &["--check", "--format", "github"][..],
    ] {
        let mut child = newsdedup()
            .args(args)
            .args(&paths)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdout = child.stdout.take().unwrap();
        let mut first = [0u8; 16];
        stdout.read_exact(&mut first).unwrap();
        drop(stdout);
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        // Exit 0 as the README promises; a check still says 1: the files would change.
        let expected = if args.contains(&"--check") { 1 } else { 0 };
        assert_eq!(out.status.code(), Some(expected), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

#[test]
fn stderr_closed_early_in_a_batch_and_a_check() {
    let dir = tempfile::tempdir().unwrap();
    folder_of_changed_articles(dir.path(), 20, 512);
    for (args, expected) in [
        (&["-o", "out", "in"][..], 0),
        (&["--check", "--diff", "in"][..], 1),
        (&["-i", "--explain", "in"][..], 0),
    ] {
        let mut child = newsdedup()
            .current_dir(dir.path())
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The reader leaves before anything is written: every message meets a broken pipe.
        drop(child.stderr.take());
        let status = wait_within(&mut child, Duration::from_secs(30), "closed stderr");
        assert_eq!(status.code(), Some(expected), "{args:?}");
    }
    assert_eq!(fs::read_dir(dir.path().join("out/in")).unwrap().count(), 20);
}

#[test]
fn stdin_a_terminal_prints_a_hint() {
    // `script` (util-linux) gives the binary a pseudo-terminal as stdin.
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("skipped: no `script` to provide a terminal");
        return;
    }
    // Every mode that reads stdin says so, cleaning, checking, JSON Lines and learning.
    for (args, what, ok) in [
        ("", "an article", true),
        (" --check", "an article", false),
        (" --jsonl", "JSON Lines", false),
        (" learn", "articles", true),
    ] {
        let command = format!("'{}'{args}", bin().display());
        let mut child = Command::new("script")
            .args(["-qec", &command, "/dev/null"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        std::thread::sleep(Duration::from_millis(500));
        // The article, then Ctrl-D on a line of its own: end of input on the terminal.
        stdin.write_all(b"Title\nAdvertisement\n\x04").unwrap();
        let status = wait_within(&mut child, Duration::from_secs(30), "terminal stdin");
        drop(stdin);
        let mut out = String::new();
        child
            .stdout
            .take()
            .unwrap()
            .read_to_string(&mut out)
            .unwrap();
        assert_eq!(status.success(), ok, "{args}: {out}");
        assert!(
            out.contains(&format!("newsdedup: reading {what} from the terminal")),
            "{args}: no hint: {out:?}"
        );
    }
}

#[test]
fn sigint_during_in_place_leaves_no_temporary_files() {
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for n in 0..40 {
        let (old, new) = changed_article(n, 2048);
        let path = dir.path().join(format!("{n:02}.txt"));
        fs::write(&path, &old).unwrap();
        files.push((path, old, new));
    }
    let mut child = newsdedup()
        .args(["-q", "-j", "2", "-i"])
        .arg(dir.path())
        .spawn()
        .unwrap();
    // Interrupt once the first temporary file exists: mid-write.
    interrupt_when_writing(&mut child, dir.path());
    assert_old_or_new(&files, false);
    assert_eq!(temp_files(dir.path()), Vec::<PathBuf>::new());
}

#[test]
fn a_file_this_user_cannot_write_is_left_alone_in_place() {
    // Root runs the binary as `nobody` on a root-owned 0644 file in a folder anyone may write:
    // the rename would succeed, but the file is not the user's to change.
    use std::os::unix::fs::PermissionsExt;
    // SAFETY: geteuid has no preconditions.
    let root = unsafe { libc::geteuid() } == 0;
    if !root || Command::new("setpriv").arg("--version").output().is_err() {
        eprintln!("skipped: needs root and setpriv");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
    let nd = dir.path().join("nd");
    fs::copy(bin(), &nd).unwrap();
    fs::set_permissions(&nd, fs::Permissions::from_mode(0o755)).unwrap();
    let work = dir.path().join("work");
    fs::create_dir(&work).unwrap();
    fs::set_permissions(&work, fs::Permissions::from_mode(0o777)).unwrap();
    let article = "Title\nAdvertisement\nBody.\n";
    fs::write(work.join("a.txt"), article).unwrap();
    fs::set_permissions(work.join("a.txt"), fs::Permissions::from_mode(0o644)).unwrap();
    let out = Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(&nd)
        .args(["-q", "-i"])
        .arg(&work)
        .output()
        .unwrap();
    exited_with(&out, 2, &["read-only file, not rewritten"]);
    assert_eq!(fs::read_to_string(work.join("a.txt")).unwrap(), article);
}

#[test]
fn sigint_during_a_batch_keeps_the_previous_report_whole() {
    let dir = tempfile::tempdir().unwrap();
    let input = folder_of_changed_articles(dir.path(), 200, 64);
    let reports = dir.path().join("reports");
    fs::create_dir(&reports).unwrap();
    let report = reports.join("report.jsonl");
    fs::write(&report, "previous\n").unwrap();
    let out = dir.path().join("out");
    let mut child = newsdedup()
        .args(["-q", "-j", "1", "-o"])
        .arg(&out)
        .arg(&input)
        .arg("--report")
        .arg(&report)
        .spawn()
        .unwrap();
    // Interrupt once the batch writes its first file.
    interrupt_when_writing(&mut child, &out);
    // The old report, or (had the batch finished first) a whole new one; never a cut one.
    let text = fs::read_to_string(&report).unwrap();
    assert!(
        text == "previous\n"
            || text
                .lines()
                .last()
                .is_some_and(|l| l.contains("\"summary\"")),
        "{text:.200}"
    );
    assert_eq!(temp_files(&reports), Vec::<PathBuf>::new());
}

/// Runs the binary in `dir` with `args` under `ulimit -v KB` (address space).
fn under_address_limit(dir: &Path, kb: u32, args: &[&str]) -> Output {
    Command::new("sh")
        .current_dir(dir)
        .arg("-c")
        .arg(format!("ulimit -v {kb} && exec \"$0\" \"$@\""))
        .arg(bin())
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn an_article_too_large_for_the_memory_limit_is_a_per_file_error() {
    // Under `ulimit -v` (address space), a 40 MB article cannot get the working memory its
    // cleaning needs: the file is an error and the batch goes on, instead of the process
    // aborting on a failed allocation halfway.
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    fs::create_dir(&input).unwrap();
    let line = "The council met on Monday to discuss the budget for the coming year.\n";
    fs::write(input.join("big.txt"), line.repeat((40 << 20) / line.len())).unwrap();
    fs::write(
        input.join("small.txt"),
        "Title\nAdvertisement\nBody text.\n",
    )
    .unwrap();
    for args in [&["-j1", "-i", "in"][..], &["in/big.txt"][..]] {
        let out = under_address_limit(dir.path(), 200_000, args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("big.txt: too large for memory"),
            "{args:?}: {stderr}"
        );
    }
    assert_eq!(
        fs::read_to_string(input.join("small.txt")).unwrap(),
        "Title\nBody text.\n"
    );
}

#[test]
fn an_article_cleaned_to_stdout_in_parallel_is_refused_not_aborted() {
    // A 28 MB article fits the guard's estimate for one thread, but its sentences are split on
    // all threads: the guard starts them first and counts them, so the limit gives the clean
    // error (exit 2) rather than an abort on a failed allocation, from a file and from stdin.
    let dir = tempfile::tempdir().unwrap();
    let line = "The quick brown fox jumps over the lazy dog near the river bank today. ";
    fs::write(dir.path().join("huge.txt"), line.repeat(400_000)).unwrap();
    let out = under_address_limit(dir.path(), 210_000, &["huge.txt"]);
    exited_with(&out, 2, &["huge.txt: too large for memory", "MB more"]);
    let out = Command::new("sh")
        .current_dir(dir.path())
        .arg("-c")
        .arg("ulimit -v 210000 && exec \"$0\" < huge.txt")
        .arg(bin())
        .output()
        .unwrap();
    exited_with(&out, 2, &["-: too large for memory"]);
    assert!(out.stdout.is_empty());
}

#[test]
fn stdout_mode_refuses_a_huge_or_binary_input_without_reading_it() {
    // Over 4 GiB is refused from the file's size, as in a batch; a NUL in the first block is
    // binary before the rest is read (a 3 GB sparse file under a 200 MB limit), from a file
    // and from stdin.
    let dir = tempfile::tempdir().unwrap();
    fs::File::create(dir.path().join("s.txt"))
        .unwrap()
        .set_len(5 << 30)
        .unwrap();
    fs::File::create(dir.path().join("t.txt"))
        .unwrap()
        .set_len(3 << 30)
        .unwrap();
    for (file, message) in [
        (
            "s.txt",
            "s.txt: too large (5368709120 bytes; at most 4294967296",
        ),
        ("t.txt", "t.txt: binary input: NUL byte at byte offset 0"),
    ] {
        let out = under_address_limit(dir.path(), 200_000, &[file]);
        exited_with(&out, 2, &[message]);
    }
    for args in [&[][..], &["--check", "-"][..]] {
        let out = Command::new("sh")
            .current_dir(dir.path())
            .arg("-c")
            .arg("ulimit -v 200000 && exec \"$0\" \"$@\" < t.txt")
            .arg(bin())
            .args(args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("-: binary input: NUL byte at byte offset 0"),
            "{args:?}: {stderr}"
        );
        assert!(out.stdout.is_empty() || args.contains(&"--check"));
    }
}

#[test]
fn a_record_too_large_for_the_memory_limit_is_a_record_error() {
    // The same guard as for a file, per JSON Lines record: the record is an error (written
    // back as it was), the others are cleaned, and in place leaves no temporary file.
    let dir = tempfile::tempdir().unwrap();
    let sentence = "The council met on Monday to discuss the budget for the coming year. ";
    // (60 MB under 300 MB: reading a record needs its own memory, which the limit must leave.)
    let big = sentence.repeat((60 << 20) / sentence.len());
    let small = r#"{"text": "Title\nAdvertisement\nBody text."}"#;
    let input = format!("{{\"id\": 1, \"text\": \"{big}\"}}\n{small}\n");
    fs::write(dir.path().join("a.jsonl"), &input).unwrap();
    for args in [
        &["-j1", "--jsonl", "a.jsonl"][..],
        &["-j1", "-i", "--jsonl", "a.jsonl"][..],
    ] {
        let out = under_address_limit(dir.path(), 300_000, args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("a.jsonl:1 (id=1): too large for memory"),
            "{args:?}: {stderr}"
        );
        if args.contains(&"-i") {
            let cleaned = fs::read_to_string(dir.path().join("a.jsonl")).unwrap();
            assert!(cleaned.ends_with("{\"text\": \"Title\\nBody text.\"}\n"));
            assert_eq!(cleaned.len(), input.len() - "Advertisement\\n".len());
            assert_eq!(
                fs::read_dir(dir.path()).unwrap().count(),
                1,
                "no temporary file"
            );
        } else {
            assert_eq!(out.stdout.len(), input.len() - "Advertisement\\n".len());
        }
    }
}
