//! What every integration test needs: the built binary, a way to run it, and small builders of
//! input files. Each test crate uses a different part of it.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use clap::Parser;
use flate2::Compression;
use flate2::write::GzEncoder;
use mailsift::app::{self, Outcome};
use mailsift::cli::Cli;
use mailsift::config::{self, Environment, Task};

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

/// The 1-based number of the one line of `path` that holds `needle`, so that a test names a
/// fixture line by its text and adding lines does not shift its expectations.
pub fn line_of(path: &str, needle: &str) -> usize {
    let text = std::fs::read_to_string(path).unwrap();
    let found: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, line)| line.contains(needle))
        .map(|(at, _)| at + 1)
        .collect();
    assert_eq!(found.len(), 1, "{needle:?} must name one line of {path}");
    found[0]
}

/// The events of `path` (year-less times read as 2026) by line number, each as its named
/// columns.
pub fn events_by_line(path: &str) -> Vec<(usize, BTreeMap<String, String>)> {
    let output = mailsift()
        .args(["events", "--year", "2026", "--format", "csv", path])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut reader = csv::Reader::from_reader(output.stdout.as_slice());
    let header = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|record| {
            let named: BTreeMap<String, String> = header
                .iter()
                .zip(record.unwrap().iter())
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            (named["line"].parse().unwrap(), named)
        })
        .collect()
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

/// A fixed surroundings for commands run in this process: no terminal, no colour, two cores,
/// and a fixed "now".
pub fn environment() -> Environment {
    Environment {
        stdin_is_terminal: true,
        stdout_is_terminal: false,
        stderr_is_terminal: false,
        no_color: true,
        now: chrono::NaiveDate::from_ymd_opt(2026, 11, 22)
            .unwrap()
            .and_hms_opt(6, 0, 0)
            .unwrap(),
        cores: 2,
    }
}

/// Runs a `report`, `events`, `trace` or `merge` command line in this process, which is much
/// faster than starting the binary; gives the outcome and what was written.
pub fn run_here(args: &[&str]) -> (Outcome, String) {
    let cli = Cli::try_parse_from(std::iter::once("mailsift").chain(args.iter().copied()))
        .unwrap_or_else(|e| panic!("{args:?}: {e}"));
    let mut out = Vec::new();
    let outcome = match config::resolve(cli, &environment()).unwrap() {
        Task::Report(task) => app::write_report(&task, &mut out),
        Task::Events(task) => app::write_events(&task, &mut out),
        Task::Trace(task) => app::write_trace(&task, &mut out),
        Task::Merge(task) => app::write_merge(&task, &mut out),
        other => panic!("{other:?}"),
    }
    .unwrap();
    (outcome, String::from_utf8(out).expect("output is UTF-8"))
}
