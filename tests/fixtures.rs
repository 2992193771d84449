//! Runs the real binary over every fixture pair in `fixtures/`: `NAME.txt` is the input,
//! `NAME.expected` the exact expected output, and an optional `NAME.args` holds extra
//! command-line arguments (whitespace-separated, paths relative to the crate root). Each
//! expected output must also come back unchanged when cleaned again (idempotence).

use assert_cmd::Command;
use std::fs;
use std::path::{Path, PathBuf};

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut inputs: Vec<PathBuf> = fs::read_dir(&dir)
        .expect("fixtures/ exists")
        .map(|e| e.expect("readable fixtures/").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    inputs.sort();
    inputs
}

fn run(input: &Path, args: &[String]) -> Vec<u8> {
    let output = Command::cargo_bin("newsdedup")
        .expect("binary builds")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .arg(input)
        .output()
        .expect("binary runs");
    assert!(
        output.status.success(),
        "{} exited with {:?}: {}",
        input.display(),
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

#[test]
fn every_fixture_gives_its_expected_output() {
    let inputs = fixtures();
    assert!(inputs.len() >= 25, "only {} fixtures", inputs.len());
    let mut failures = Vec::new();
    for input in &inputs {
        let expected_path = input.with_extension("expected");
        let expected = fs::read(&expected_path)
            .unwrap_or_else(|_| panic!("{} has no .expected file", input.display()));
        let args: Vec<String> = fs::read_to_string(input.with_extension("args"))
            .map(|a| a.split_whitespace().map(str::to_owned).collect())
            .unwrap_or_default();
        let actual = run(input, &args);
        if actual != expected {
            failures.push(format!(
                "{}:\n--- expected\n{}\n--- actual\n{}",
                input.display(),
                String::from_utf8_lossy(&expected),
                String::from_utf8_lossy(&actual)
            ));
            continue;
        }
        let again = run(&expected_path, &args);
        if again != expected {
            failures.push(format!(
                "{}: cleaning the expected output again changed it:\n{}",
                input.display(),
                String::from_utf8_lossy(&again)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} fixtures failed:\n\n{}",
        failures.len(),
        inputs.len(),
        failures.join("\n\n")
    );
}
