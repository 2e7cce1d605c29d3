//! `mailsift events` loads as it is into DuckDB and ClickHouse (chDB), and the queries of
//! `sql/` give what `mailsift report --format csv` gives.
//!
//! The checks are in `tests/python/sql_check.py`, run by the Python named in
//! `MAILSIFT_PYTHON` with the packages of `tests/python/requirements.txt` installed (`.ci/run`
//! makes such a virtual environment). Without `MAILSIFT_PYTHON` the test says it skipped.

use std::path::Path;
use std::process::{Command, Stdio};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The logs checked: the samples, which mix times with and without an offset, and the
/// fixtures of unusual line shapes (a log of Exim alone has no `dsn` at all).
const CASES: [(&str, &[&str]); 4] = [
    (
        "samples",
        &[
            "samples/postfix-mail.log",
            "samples/postfix-mail.log.1.gz",
            "samples/exim-mainlog",
        ],
    ),
    ("postfix-shapes", &["tests/fixtures/postfix/shapes.log"]),
    ("exim-shapes", &["tests/fixtures/exim/mainlog-shapes.log"]),
    ("exim-syslog", &["tests/fixtures/exim/syslog-exim.log"]),
];

/// Runs mailsift on `inputs` and writes its standard output to `out`.
fn write_output(args: &[&str], inputs: &[&str], out: &Path) {
    let output = Command::new(env!("CARGO_BIN_EXE_mailsift"))
        .args(args)
        .args(["--year", "2026"])
        .args(inputs)
        .current_dir(ROOT)
        .env_remove("NO_COLOR")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "mailsift {args:?} {inputs:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    std::fs::write(out, output.stdout).unwrap();
}

#[test]
fn events_load_into_duckdb_and_chdb_and_the_sql_queries_match_the_report() {
    let Some(python) = std::env::var_os("MAILSIFT_PYTHON") else {
        eprintln!(
            "skipped: MAILSIFT_PYTHON is not set; set it to a Python with the packages of \
             tests/python/requirements.txt (.ci/run makes one)"
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut case_dirs = Vec::new();
    for (name, inputs) in CASES {
        let case = dir.path().join(name);
        std::fs::create_dir(&case).unwrap();
        write_output(
            &["events", "--format", "csv"],
            inputs,
            &case.join("events.csv"),
        );
        write_output(
            &["events", "--format", "ndjson"],
            inputs,
            &case.join("events.ndjson"),
        );
        write_output(
            &["report", "--format", "csv"],
            inputs,
            &case.join("report.csv"),
        );
        write_output(
            &["report", "--format", "json"],
            inputs,
            &case.join("report.json"),
        );
        case_dirs.push(case);
    }
    let output = Command::new(&python)
        .arg(Path::new(ROOT).join("tests/python/sql_check.py"))
        .arg(ROOT)
        .args(&case_dirs)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot run MAILSIFT_PYTHON={python:?}: {e}"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    eprintln!("{stdout}");
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains("all agree"), "{stdout}");
}
