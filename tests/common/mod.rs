//! What every integration test needs: the built binary, a way to run it, and small builders of
//! input files. Each test crate uses a different part of it.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use flate2::Compression;
use flate2::write::GzEncoder;

/// The built `mailsift`, with `NO_COLOR` cleared so colour tests see the flag alone.
pub fn mailsift() -> Command {
    let mut cmd = Command::cargo_bin("mailsift").unwrap();
    cmd.env_remove("NO_COLOR");
    cmd
}

/// Runs `mailsift` and returns (exit code, stdout, stderr).
pub fn run(args: &[&str]) -> (i32, String, String) {
    let output = mailsift().args(args).output().unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// The records of a CSV text with a header row.
pub fn rows(csv_text: &str) -> Vec<csv::StringRecord> {
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    reader.records().map(Result::unwrap).collect()
}

/// Writes `bytes` to `dir/name`.
pub fn temp_file(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// `bytes` as one gzip member.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}
