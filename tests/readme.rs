//! Every shell command the README shows is run here, in order, in a folder set up with the
//! files it names, so that the documentation cannot drift from the binary: each must exit 0
//! (or 1, for `--check`), never with a usage error. Blocks that need other tools (GNU parallel,
//! Hadoop, cargo) are skipped.

use std::fs;
use std::path::Path;
use std::process::Command;

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// The `sh` blocks of the README, each as its lines.
fn shell_blocks(readme: &str) -> Vec<Vec<String>> {
    let mut blocks = Vec::new();
    let mut current: Option<Vec<String>> = None;
    for line in readme.lines() {
        match (&mut current, line.trim_start()) {
            (None, "```sh") => current = Some(Vec::new()),
            (Some(_), "```") => blocks.extend(current.take()),
            (Some(block), l) => block.push(l.to_owned()),
            (None, _) => {}
        }
    }
    blocks
}

/// A command line without its trailing `# comment`.
fn command(line: &str) -> &str {
    match line.find("  #") {
        Some(i) => line[..i].trim_end(),
        None => line.trim_end(),
    }
}

#[test]
fn every_readme_command_runs() {
    let root_dir = tempfile::tempdir().unwrap();
    let root = root_dir.path();
    let seed = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/seed_kerry_moscow_repeated_block.txt"),
    )
    .unwrap();
    let small = "Title\nAdvertisement\nThe council met on Monday to discuss the budget.\n";
    for rel in [
        "article.txt",
        "a.txt",
        "b.txt",
        "scraped/a.txt",
        "out/article.txt",
    ] {
        write(root, rel, &seed);
    }
    for rel in ["scraped/sub/b.txt", "more/c.txt", "out/b.txt"] {
        write(root, rel, small);
    }
    let record = serde_json::json!({
        "id": 1,
        "text": small,
        "body": small,
        "article": { "body": small },
    })
    .to_string();
    write(root, "news.jsonl", &format!("{record}\n{record}\n"));
    write(root, "shards/x.jsonl", &format!("{record}\n"));

    let bin = assert_cmd::cargo::cargo_bin("newsdedup");
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let readme =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let mut ran = 0;
    for block in shell_blocks(&readme) {
        if block
            .iter()
            .any(|l| l.contains("parallel") || l.contains("hadoop") || l.starts_with("cargo "))
        {
            continue;
        }
        for line in &block {
            let cmd = command(line);
            if cmd.is_empty() || cmd.starts_with('#') || !cmd.contains("newsdedup") {
                continue;
            }
            let cmd = cmd.replace("scraper |", "cat article.txt |");
            let out = Command::new("sh")
                .arg("-c")
                .arg(&cmd)
                .current_dir(root)
                .env("PATH", &path)
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(
                matches!(out.status.code(), Some(0 | 1)) && !stderr.contains("error:"),
                "README command `{cmd}` failed ({:?}): {stderr}",
                out.status
            );
            ran += 1;
        }
    }
    assert!(ran >= 20, "only {ran} README commands found");
}

/// The comparison in the README is reproduced by `scripts/compare.py`. Without its Python
/// virtualenv it still runs newsdedup, awk, uniq and the hand-rolled script on the sample, and
/// newsdedup must repair every article of it.
#[test]
fn comparison_script_runs() {
    let python = Command::new("python3").arg("--version").output();
    if !python.is_ok_and(|o| o.status.success()) {
        eprintln!("python3 not found: comparison script not run");
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let bin = assert_cmd::cargo::cargo_bin("newsdedup");
    let out = Command::new("python3")
        .arg(root.join("scripts/compare.py"))
        .arg("--venv")
        .arg(root.join("no-such-virtualenv"))
        .arg("--bin")
        .arg(&bin)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let fixed = stdout
        .lines()
        .find(|l| l.starts_with("| **fixed** |"))
        .unwrap_or_else(|| panic!("no totals row in:\n{stdout}"));
    // The first tool column is newsdedup with default settings.
    assert!(fixed.contains("| **16/16** | **14/16** |"), "{fixed}");
}
