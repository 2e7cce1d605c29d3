//! Properties that must hold for any input, checked on logs made of real lines, damaged lines
//! and junk: nothing panics, every line read lands in exactly one footer bucket, and the output
//! does not depend on the thread count, the chunk size, the compression, the way the log
//! arrives, or the order in which the files of a rotated set are given.
//!
//! Most properties run the command in this process, through the same task the binary runs, so
//! that many cases fit in a few seconds; the standard-input one runs the binary.

mod common;

use std::io::Write;
use std::path::Path;
use std::sync::LazyLock;

use mailsift::app::Outcome;
use mailsift::input::Compression;
use proptest::prelude::*;
use proptest::test_runner::Config;

/// Real lines of both MTAs and of other programs, from the fixtures and samples.
static MATERIAL: LazyLock<Vec<Vec<u8>>> = LazyLock::new(|| {
    let mut lines = Vec::new();
    for path in [
        "tests/fixtures/postfix/shapes.log",
        "tests/fixtures/exim/mainlog-shapes.log",
        "tests/fixtures/exim/syslog-exim.log",
        "samples/exim-mainlog",
        "samples/postfix-mail.log",
    ] {
        let text = std::fs::read(path).unwrap();
        // Every line of the fixtures, and enough of each sample for variety.
        let limit = if path.starts_with("samples") {
            400
        } else {
            usize::MAX
        };
        lines.extend(
            text.split(|b| *b == b'\n')
                .filter(|l| !l.is_empty())
                .take(limit)
                .map(<[u8]>::to_vec),
        );
    }
    lines
});

/// Bytes that trouble parsers and renderers.
const NASTY: &[u8] = b"\0\xff\xc3\x1b\r\t=+-@\"'<>&|[]():;, \\";

fn damaged(mut line: Vec<u8>, edits: Vec<(usize, u8, u8)>) -> Vec<u8> {
    for (at, kind, byte) in edits {
        let at = at % (line.len() + 1);
        match kind % 4 {
            0 => line.insert(at, NASTY[usize::from(byte) % NASTY.len()]),
            1 => line.insert(at, byte),
            2 if at < line.len() => {
                line.remove(at);
            }
            _ => line.truncate(at),
        }
    }
    line
}

fn a_line() -> impl Strategy<Value = Vec<u8>> {
    let real = (0..MATERIAL.len()).prop_map(|i| MATERIAL[i].clone());
    let edited = (
        0..MATERIAL.len(),
        prop::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 1..4),
    )
        .prop_map(|(i, edits)| damaged(MATERIAL[i].clone(), edits));
    prop_oneof![
        10 => real,
        6 => edited,
        2 => prop::collection::vec(any::<u8>(), 0..100),
        1 => Just(Vec::new()),
        // Just past the longest line that is parsed.
        1 => (65_530usize..65_545).prop_map(|n| vec![b'x'; n]),
    ]
}

/// A log: lines joined by LF or CR LF, with or without a final line ending.
fn a_log() -> impl Strategy<Value = Vec<u8>> {
    (
        prop::collection::vec(a_line(), 0..40),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(lines, crlf, final_ending)| {
            let ending: &[u8] = if crlf { b"\r\n" } else { b"\n" };
            let mut log = lines.join(ending);
            if final_ending && !log.is_empty() {
                log.extend(ending);
            }
            log
        })
}

/// Lines as the contract counts them: each LF ends one, and bytes after the last LF are one
/// more.
fn line_count(log: &[u8]) -> u64 {
    let endings = log.iter().filter(|b| **b == b'\n').count() as u64;
    endings + u64::from(!log.is_empty() && log.last() != Some(&b'\n'))
}

fn run(args: &[&str]) -> (Outcome, String) {
    common::run_here(args)
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    common::temp_file(dir, name, bytes)
        .to_str()
        .unwrap()
        .to_string()
}

/// The rows of `events --format csv` without the `file` column.
fn rows_without_file(csv_text: &str) -> Vec<Vec<String>> {
    common::rows(csv_text)
        .iter()
        .map(|r| r.iter().skip(1).map(str::to_string).collect())
        .collect()
}

/// `cases` by default; `PROPTEST_CASES=N` asks for a deeper run.
fn config(cases: u32) -> Config {
    let asked = std::env::var("PROPTEST_CASES").ok();
    Config {
        cases: asked.and_then(|n| n.parse().ok()).unwrap_or(cases),
        failure_persistence: None,
        ..Config::default()
    }
}

proptest! {
    #![proptest_config(config(48))]

    #[test]
    fn any_log_is_read_whole_and_every_line_accounted(log in a_log()) {
        // Random bytes can begin with a compression format's magic number: such an input is
        // read as that format and is damaged, which tests/hostile.rs covers.
        prop_assume!(Compression::sniff(&log) == Compression::None);
        let dir = tempfile::tempdir().unwrap();
        let path = write(dir.path(), "mail.log", &log);
        let (outcome, json) = run(&["report", "--format", "json", "--year", "2026", &path]);
        prop_assert_eq!(outcome, Outcome::Done);
        let report: serde_json::Value = serde_json::from_str(&json).unwrap();
        let lines = &report["lines"];
        let bucket = |name: &str| lines[name].as_u64().unwrap();
        let read = bucket("read");
        prop_assert_eq!(read, line_count(&log));
        prop_assert_eq!(
            read,
            bucket("events") + bucket("filtered_out") + bucket("no_outcome")
                + bucket("other_programs") + bucket("unmatched") + bucket("over_long")
        );

        let (_, events) = run(&["events", "--year", "2026", &path]);
        let rows = common::rows(&events);
        prop_assert_eq!(rows.len() as u64, bucket("events"));
        for row in &rows {
            for cell in row.iter() {
                prop_assert!(!cell.starts_with(['=', '+', '-', '@', '\t', '\r']), "{:?}", cell);
                prop_assert!(!cell.chars().any(char::is_control), "{:?}", cell);
            }
        }
        // Every format renders whatever was read.
        for format in ["text", "csv", "markdown", "html", "prometheus"] {
            let (_, out) = run(&["report", "--format", format, "--year", "2026", &path]);
            prop_assert!(!out.contains('\x1b'));
        }
        // Filters move lines between buckets, never lose them.
        let (_, filtered) = run(&[
            "report", "--format", "json", "--year", "2026", "--only", "5xx,4.7.*",
            "--since", "2026-11-21T08:00", "--direction", "outbound", &path,
        ]);
        let filtered: serde_json::Value = serde_json::from_str(&filtered).unwrap();
        let sum: u64 = ["events", "filtered_out", "no_outcome", "other_programs", "unmatched",
            "over_long"].iter().map(|k| filtered["lines"][k].as_u64().unwrap()).sum();
        prop_assert_eq!(sum, read);
    }

    #[test]
    fn output_does_not_depend_on_threads_or_chunk_size(
        log in a_log(),
        threads in 2usize..5,
        chunk in 1usize..3000,
    ) {
        let dir = tempfile::tempdir().unwrap();
        let path = write(dir.path(), "mail.log", &log);
        let (threads, chunk) = (threads.to_string(), chunk.to_string());
        for command in [
            &["events", "--year", "2026"][..],
            &["report", "--format", "json", "--year", "2026"][..],
            &["report", "--format", "csv", "--by", "domain", "--year", "2026"][..],
            &["report", "--format", "prometheus", "--year", "2026"][..],
        ] {
            let mut one = command.to_vec();
            one.extend(["--threads", "1", &path]);
            let mut many = command.to_vec();
            many.extend(["--threads", &threads, "--chunk-size", &chunk, &path]);
            prop_assert_eq!(run(&one).1, run(&many).1, "{:?}", command);
        }
    }

    #[test]
    fn compression_changes_nothing(log in a_log(), cut in any::<prop::sample::Index>()) {
        let dir = tempfile::tempdir().unwrap();
        let plain = write(dir.path(), "mail.log", &log);
        // gzip in two members cut anywhere, as a rotated and appended file may be.
        let at = cut.index(log.len() + 1);
        let mut gz = common::gzip(&log[..at]);
        gz.extend(common::gzip(&log[at..]));
        let zst = zstd_bytes(&log);
        let variants = [
            write(dir.path(), "mail.log.gz", &gz),
            write(dir.path(), "mail.log.zst", &zst),
        ];
        let (_, expected_rows) = run(&["events", "--year", "2026", &plain]);
        let (_, expected_csv) = run(&["report", "--format", "csv", "--year", "2026", &plain]);
        for path in &variants {
            let (_, rows) = run(&["events", "--year", "2026", path]);
            prop_assert_eq!(rows_without_file(&rows), rows_without_file(&expected_rows));
            let (_, csv) = run(&["report", "--format", "csv", "--year", "2026", path]);
            prop_assert_eq!(&csv, &expected_csv);
        }
    }
}

/// A report CSV without the columns that name and advise on a code. Those are refined by one
/// reply text of the group, the first one read, so they may follow the order the files are
/// given in; the counts, times and destinations may not.
fn counts_of(report_csv: &str) -> Vec<Vec<String>> {
    let mut reader = csv::Reader::from_reader(report_csv.as_bytes());
    let header = reader.headers().unwrap().clone();
    let keep: Vec<usize> = (0..header.len())
        .filter(|&i| !matches!(&header[i], "name" | "advice"))
        .collect();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            keep.iter().map(|&i| r[i].to_string()).collect()
        })
        .collect()
}

fn zstd_bytes(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = zstd::stream::write::Encoder::new(Vec::new(), 1).unwrap();
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

proptest! {
    // Each case reads several files four to six times.
    #![proptest_config(config(24))]

    #[test]
    fn the_order_of_a_rotated_set_does_not_matter(
        parts in prop::collection::vec(a_log(), 2..5),
        order in any::<u64>(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let mut names: Vec<String> = parts
            .iter()
            .enumerate()
            .map(|(i, part)| write(dir.path(), &format!("mail.log.{i}"), part))
            .collect();
        let given = |names: &[String], command: &[&str]| {
            let mut args = command.to_vec();
            args.extend(names.iter().map(String::as_str));
            run(&args).1
        };
        let report = ["report", "--format", "csv", "--year", "2026"];
        let by_hour = ["report", "--format", "csv", "--by", "hour", "--year", "2026"];
        let expected = (given(&names, &report), given(&names, &by_hour));
        // A queue id that appears in the set, to trace.
        let id = parts
            .iter()
            .flat_map(|p| p.split(|b| *b == b'\n'))
            .find_map(|line| {
                let line = std::str::from_utf8(line).ok()?;
                let (_, rest) = line.split_once("]: ")?;
                let id = rest.split_once(": ")?.0;
                (id.len() >= 10 && id.bytes().all(|b| b.is_ascii_alphanumeric())).then(|| id.to_string())
            });
        let trace = id.as_ref().map(|id| ["trace", id.as_str(), "--year", "2026"]);
        let expected_trace = trace.map(|t| given(&names, &t));
        // Any other order: reversed, and rotated by a random amount.
        let turn = (order as usize) % names.len();
        names.reverse();
        names.rotate_left(turn);
        prop_assert_eq!(counts_of(&given(&names, &report)), counts_of(&expected.0));
        prop_assert_eq!(counts_of(&given(&names, &by_hour)), counts_of(&expected.1));
        if let (Some(trace), Some(expected_trace)) = (trace, expected_trace) {
            prop_assert_eq!(given(&names, &trace), expected_trace);
        }
    }
}

proptest! {
    // Each case starts the binary twice, so fewer of them.
    #![proptest_config(config(10))]

    #[test]
    fn standard_input_gives_what_a_file_gives(log in a_log(), compressed in any::<bool>()) {
        let dir = tempfile::tempdir().unwrap();
        let path = write(dir.path(), "mail.log", &log);
        let (_, from_file) = run(&["events", "--year", "2026", &path]);
        let piped = if compressed { common::gzip(&log) } else { log.clone() };
        let output = common::mailsift()
            .args(["events", "--year", "2026"])
            .write_stdin(piped)
            .output()
            .unwrap();
        prop_assert_eq!(output.status.code(), Some(0));
        let from_stdin = String::from_utf8(output.stdout).unwrap();
        prop_assert_eq!(rows_without_file(&from_stdin), rows_without_file(&from_file));
    }
}
