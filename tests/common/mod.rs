//! Helpers shared by the integration tests that run the binary: starting it, and the "exits
//! with this code and says this on stderr" assertion most failure tests make. Each test crate
//! uses only some of them.
#![allow(dead_code)]

use assert_cmd::Command;
use std::process::Output;

/// The binary, run from the crate's root (where the fixtures' relative paths start).
pub fn newsdedup() -> Command {
    let mut cmd = Command::cargo_bin("newsdedup").expect("binary builds");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

/// A run's stderr, lossily decoded.
pub fn stderr_of(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Asserts that the run `out` exited with `code` and that its stderr contains each of
/// `stderr_contains`; a failure shows stderr. Returns stderr.
#[track_caller]
pub fn exited_with(out: &Output, code: i32, stderr_contains: &[&str]) -> String {
    assert_exit(out, code, stderr_contains, "")
}

/// Runs `cmd` and asserts as [`exited_with`]; a failure also shows the arguments. Returns the
/// output.
#[track_caller]
pub fn exits_with(cmd: &mut Command, code: i32, stderr_contains: &[&str]) -> Output {
    let out = cmd.output().unwrap();
    let args: Vec<_> = cmd.get_args().collect();
    assert_exit(&out, code, stderr_contains, &format!("{args:?}: "));
    out
}

#[track_caller]
fn assert_exit(out: &Output, code: i32, stderr_contains: &[&str], context: &str) -> String {
    let stderr = stderr_of(out);
    assert_eq!(out.status.code(), Some(code), "{context}{stderr}");
    for said in stderr_contains {
        assert!(
            stderr.contains(said),
            "{context}stderr lacks {said:?}: {stderr}"
        );
    }
    stderr
}
