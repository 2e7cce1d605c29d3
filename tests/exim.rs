//! Runs the built binary on Exim logs: mixed with Postfix in one run, invariance across threads,
//! chunk sizes, standard input and compression, `--log-format`, the fields of each line shape, and
//! the rejectlog's header dumps.

mod common;

use common::{gzip, mailsift, rows, run, temp_file};

use std::collections::BTreeMap;
use std::io::Write;

use serde_json::Value;

const POSTFIX_SAMPLE: &str = "samples/postfix-mail.log";
const POSTFIX_SHAPES: &str = "tests/fixtures/postfix/shapes.log";
const EXIM_SAMPLE: &str = "samples/exim-mainlog";
const EXIM_SHAPES: &str = "tests/fixtures/exim/mainlog-shapes.log";
const EXIM_SYSLOG: &str = "tests/fixtures/exim/syslog-exim.log";

/// Runs `mailsift` with `stdin` on standard input and returns its standard output.
fn run_stdin(args: &[&str], stdin: Vec<u8>) -> String {
    let output = mailsift().args(args).write_stdin(stdin).output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn bzip2(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

fn xz(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = liblzma::write::XzEncoder::new(Vec::new(), 6);
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

/// `report --format json` on `args`, parsed; the run must succeed.
fn json_report(args: &[&str]) -> Value {
    let mut all = vec!["report", "--format", "json"];
    all.extend(args);
    let (code, out, err) = run(&all);
    assert_eq!(code, 0, "{args:?}: {err}");
    serde_json::from_str(&out).unwrap()
}

/// The `lines` object of a JSON report as numbers by name.
fn line_counts(report: &Value) -> BTreeMap<String, u64> {
    numbers(&report["lines"])
}

/// A JSON object of numbers, by name.
fn numbers(object: &Value) -> BTreeMap<String, u64> {
    object
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_u64().unwrap()))
        .collect()
}

/// Checks that every line read is in exactly one bucket. `events` counts per-host refusals too,
/// so `refusals` is not a bucket of its own.
fn assert_every_line_accounted(lines: &BTreeMap<String, u64>) {
    let buckets = lines["events"]
        + lines["no_outcome"]
        + lines["other_programs"]
        + lines["unmatched"]
        + lines["filtered_out"]
        + lines["over_long"]
        + lines["repeated"];
    assert_eq!(lines["read"], buckets, "{lines:?}");
    assert!(lines["read"] > 0);
}

/// Each input of a JSON report as (name, format, compression, complete).
fn sorted<T: Ord>(mut items: Vec<T>) -> Vec<T> {
    items.sort();
    items
}

fn inputs(report: &Value) -> Vec<(String, String, String, bool)> {
    report["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["name"].as_str().unwrap().to_string(),
                i["format"].as_str().unwrap().to_string(),
                i["compression"].as_str().unwrap().to_string(),
                i["complete"].as_bool().unwrap(),
            )
        })
        .collect()
}

/// The `log_format` of every event row, by file and line.
fn formats_by_file(csv_text: &str) -> BTreeMap<String, Vec<(u64, String)>> {
    let mut by_file: BTreeMap<String, Vec<(u64, String)>> = BTreeMap::new();
    for row in rows(csv_text) {
        by_file
            .entry(row[0].to_string())
            .or_default()
            .push((row[1].parse().unwrap(), row[3].to_string()));
    }
    by_file
}

#[test]
fn one_run_reads_postfix_exim_gzipped_exim_and_exim_through_syslog() {
    let dir = tempfile::tempdir().unwrap();
    let shapes = std::fs::read(EXIM_SHAPES).unwrap();
    // No `.gz` in the name: compression is recognised from the first bytes.
    let gz = temp_file(dir.path(), "mainlog.1", &gzip(&shapes));
    let gz = gz.to_str().unwrap();
    let inputs_given = [POSTFIX_SAMPLE, EXIM_SAMPLE, gz, EXIM_SYSLOG];
    let mut args = vec!["events", "--year", "2026"];
    args.extend(inputs_given);
    let (code, out, err) = run(&args);
    assert_eq!((code, err.as_str()), (0, ""));

    let by_file = formats_by_file(&out);
    assert_eq!(by_file.len(), 4, "{:?}", by_file.keys());
    for (name, want) in [
        (POSTFIX_SAMPLE, "postfix"),
        (EXIM_SAMPLE, "exim"),
        (gz, "exim"),
    ] {
        let formats = &by_file[name];
        assert!(formats.len() > 25, "{name}: {}", formats.len());
        assert!(formats.iter().all(|(_, f)| f == want), "{name}");
    }
    // The syslog file is Exim's, with one Postfix line among its lines (line 14).
    let syslog: Vec<(u64, &str)> = by_file[EXIM_SYSLOG]
        .iter()
        .map(|(line, format)| (*line, format.as_str()))
        .collect();
    assert_eq!(
        syslog,
        [
            (2, "exim"),
            (3, "exim"),
            (6, "exim"),
            (7, "exim"),
            (8, "exim"),
            (9, "exim"),
            (10, "exim"),
            (11, "exim"),
            (12, "exim"),
            (14, "postfix"),
        ]
    );
    let mut report_args = vec!["--year", "2026"];
    report_args.extend(inputs_given);
    let report = json_report(&report_args);
    // Files are read oldest first, whatever order they were given in.
    assert_eq!(
        sorted(inputs(&report)),
        sorted(vec![
            (
                POSTFIX_SAMPLE.to_string(),
                "syslog".into(),
                "plain".into(),
                true
            ),
            (EXIM_SAMPLE.to_string(), "exim".into(), "plain".into(), true),
            (gz.to_string(), "exim".into(), "gzip".into(), true),
            (
                EXIM_SYSLOG.to_string(),
                "syslog".into(),
                "plain".into(),
                true
            ),
        ])
    );
    assert_eq!(report["formats"], serde_json::json!(["postfix", "exim"]));
    let lines = line_counts(&report);
    assert_every_line_accounted(&lines);
    let read: usize = [POSTFIX_SAMPLE, EXIM_SAMPLE, EXIM_SHAPES, EXIM_SYSLOG]
        .iter()
        .map(|path| std::fs::read(path).unwrap())
        .map(|bytes| bytes.iter().filter(|&&b| b == b'\n').count())
        .sum();
    assert_eq!(lines["read"], read as u64);
    // Every event row is one counted line; refusals and reject warnings are in `events` but
    // not in `outcomes`.
    assert_eq!(lines["events"], rows(&out).len() as u64);
    assert!(lines["refusals"] > 0);
    assert!(lines["reject_warnings"] > 0);
    assert_eq!(
        lines["events"],
        report["outcomes"].as_u64().unwrap() + lines["refusals"] + lines["reject_warnings"]
    );
    assert!(lines["other_programs"] > 0);
    assert_eq!(lines["unmatched"], 0);
}

/// The rows of one file among the rows of several, without the `file` column.
fn rows_of(csv_text: &str, file: &str) -> Vec<Vec<String>> {
    rows(csv_text)
        .iter()
        .filter(|r| &r[0] == file)
        .map(|r| r.iter().skip(1).map(str::to_string).collect())
        .collect()
}

#[test]
fn exim_output_does_not_depend_on_threads_or_chunk_size() {
    // Both files in each run, so that each run is one process.
    let both = [EXIM_SAMPLE, EXIM_SHAPES];
    let mut args = vec!["events", "--threads", "1"];
    args.extend(both);
    let (code, one, err) = run(&args);
    assert_eq!((code, err.as_str()), (0, ""));
    assert!(rows_of(&one, EXIM_SAMPLE).len() > 1000);
    assert!(rows_of(&one, EXIM_SHAPES).len() > 25);
    for extra in [
        &["--threads", "8"][..],
        &["--chunk-size", "100"],
        &["--chunk-size", "4096"],
    ] {
        let mut args = vec!["events"];
        args.extend(extra);
        args.extend(both);
        assert_eq!(run(&args).1, one, "{extra:?}");
    }
    let mut args = vec!["report", "--format", "json", "--threads", "1"];
    args.extend(both);
    let (_, report_one, _) = run(&args);
    let mut args = vec![
        "report",
        "--format",
        "json",
        "--threads",
        "8",
        "--chunk-size",
        "100",
    ];
    args.extend(both);
    let (_, report_eight, _) = run(&args);
    assert_eq!(report_one, report_eight);
}

#[test]
fn exim_rows_are_the_same_from_a_file_standard_input_or_gzip() {
    let dir = tempfile::tempdir().unwrap();
    let sample = std::fs::read(EXIM_SAMPLE).unwrap();
    let shapes = std::fs::read(EXIM_SHAPES).unwrap();
    let sample_gz = temp_file(dir.path(), "mainlog.1.gz", &gzip(&sample));
    let shapes_gz = gzip(&shapes);
    let shapes_gz_path = temp_file(dir.path(), "mainlog.2.gz", &shapes_gz);
    let (sample_gz, shapes_gz_path) = (
        sample_gz.to_str().unwrap(),
        shapes_gz_path.to_str().unwrap(),
    );
    // Exim's times carry their year, so no --year is needed for the rows to agree.
    let (code, plain, _) = run(&["events", EXIM_SAMPLE, EXIM_SHAPES]);
    assert_eq!(code, 0);
    let (code, compressed, _) = run(&["events", sample_gz, shapes_gz_path]);
    assert_eq!(code, 0);
    for (file, gz, bytes) in [
        (EXIM_SAMPLE, sample_gz, &sample),
        (EXIM_SHAPES, shapes_gz_path, &shapes),
    ] {
        let expected = rows_of(&plain, file);
        assert!(expected.len() > 25, "{file}");
        assert_eq!(rows_of(&compressed, gz), expected, "{file} gzip");
        let from_stdin = run_stdin(&["events", "-"], bytes.clone());
        assert_eq!(rows_of(&from_stdin, "<stdin>"), expected, "{file} on stdin");
        assert_eq!(rows(&from_stdin).len(), expected.len());
    }
    // A debug build inflates slowly, so only the small file is also sent compressed on standard
    // input.
    let from_gzip_stdin = run_stdin(&["events"], shapes_gz);
    assert_eq!(
        rows_of(&from_gzip_stdin, "<stdin>"),
        rows_of(&plain, EXIM_SHAPES),
    );
}

#[test]
fn log_format_exim_reads_a_rejectlog_cut_inside_a_header_dump() {
    // `tail -n` of a rejectlog may start inside a long header dump: none of the first 50 lines
    // has Exim's timestamp, so auto-detection takes the file for syslog and reads nothing from it.
    // `--log-format exim` reads it as Exim's own log.
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::new();
    for hop in 0..60 {
        text.push_str(&format!(
            "P Received: from relay{hop}.lists.example ([198.51.100.{hop}])\n\tby relay{}.lists.example with esmtp\n",
            hop + 1
        ));
    }
    text.push_str("  Subject: Weekly newsletter\n\n");
    text.push_str("2026-11-21 07:02:00 H=(ylmf-pc) [203.0.113.45] F=<bulk@spammer.example> rejected RCPT <info@example.com>: relay not permitted\n");
    text.push_str("2026-11-21 07:02:04 H=mta.newsender.example [198.51.100.170] F=<promo@newsender.example> temporarily rejected RCPT <bob@example.com>: Greylisted - please try again in 5 minutes\n");
    text.push_str("Envelope-from: <promo@newsender.example>\n");
    let path = temp_file(dir.path(), "rejectlog", text.as_bytes());
    let path = path.to_str().unwrap();
    let total_lines = text.lines().count() as u64;

    let (code, forced, _) = run(&["events", "--log-format", "exim", path]);
    assert_eq!(code, 0);
    let forced = rows(&forced);
    let lines: Vec<&str> = forced.iter().map(|r| &r[1]).collect();
    assert_eq!(lines, ["123", "124"]);
    assert!(
        forced
            .iter()
            .all(|r| &r[3] == "exim" && &r[9] == "rejected")
    );
    assert_eq!(
        forced.iter().map(|r| &r[14]).collect::<Vec<_>>(),
        ["5xx", "4xx"]
    );
    let report = json_report(&["--log-format", "exim", path]);
    assert_eq!(inputs(&report)[0].1, "exim reject log");
    let counts = line_counts(&report);
    assert_every_line_accounted(&counts);
    assert_eq!(counts["read"], total_lines);
    assert_eq!((counts["events"], counts["unmatched"]), (2, 0));

    let (code, auto, _) = run(&["events", path]);
    assert_eq!(code, 0);
    assert!(rows(&auto).is_empty());
    let report = json_report(&[path]);
    assert_eq!(inputs(&report)[0].1, "syslog");
    assert_eq!(line_counts(&report)["events"], 0);
}

#[test]
fn log_format_exim_gives_the_auto_result_on_exim_files_and_routes_syslog_lines_by_tag() {
    let (_, auto, _) = run(&["events", EXIM_SHAPES]);
    let (code, forced, _) = run(&["events", "--log-format", "exim", EXIM_SHAPES]);
    assert_eq!(code, 0);
    assert!(rows(&forced).len() > 25);
    assert_eq!(forced, auto);
    // A syslog file is read line by line by the parser its tag names, even when Exim is forced:
    // the Postfix line in the Exim syslog fixture is still read as Postfix.
    let (_, auto, _) = run(&["events", "--year", "2026", EXIM_SYSLOG]);
    let (_, forced, _) = run(&[
        "events",
        "--year",
        "2026",
        "--log-format",
        "exim",
        EXIM_SYSLOG,
    ]);
    assert_eq!(forced, auto);
    assert!(rows(&forced).iter().any(|r| &r[3] == "postfix"));
    let report = json_report(&["--year", "2026", "--log-format", "exim", EXIM_SYSLOG]);
    assert_eq!(inputs(&report)[0].1, "syslog");
}

#[test]
fn log_format_postfix_on_an_exim_mainlog_finds_no_events() {
    // Forced to Postfix, a source is read as syslog: Exim's own lines have no syslog header, so
    // every non-empty line is unmatched and none is an event. The run still succeeds.
    for (path, blank_lines) in [(EXIM_SHAPES, 1), (EXIM_SAMPLE, 0)] {
        let (code, out, err) = run(&["events", "--log-format", "postfix", path]);
        assert_eq!((code, err.as_str()), (0, ""), "{path}");
        assert_eq!(out.lines().count(), 1, "{path}: only the header");
        let report = json_report(&["--log-format", "postfix", path]);
        assert_eq!(inputs(&report)[0].1, "syslog");
        let lines = line_counts(&report);
        assert_every_line_accounted(&lines);
        assert_eq!(lines["events"], 0);
        assert_eq!(lines["no_outcome"], blank_lines, "{path}");
        assert_eq!(lines["unmatched"], lines["read"] - blank_lines, "{path}");
        assert_eq!(report["outcomes"], 0);
    }
}

#[test]
fn a_directory_of_mixed_inputs_is_detected_file_by_file() {
    // What `mailsift /var/log/mail/*` passes: every file of a directory, each in its own format
    // and compression, none of them named for it.
    let dir = tempfile::tempdir().unwrap();
    let postfix = std::fs::read(POSTFIX_SHAPES).unwrap();
    let exim = std::fs::read(EXIM_SHAPES).unwrap();
    let syslog = std::fs::read(EXIM_SYSLOG).unwrap();
    // (name, bytes, format, compression, log_format of its events)
    let files: [(&str, Vec<u8>, &str, &str, &str); 6] = [
        ("a-mail.log", postfix.clone(), "syslog", "plain", "postfix"),
        ("b-mail.log.1", gzip(&postfix), "syslog", "gzip", "postfix"),
        ("c-mainlog", exim.clone(), "exim", "plain", "exim"),
        (
            "d-mainlog.1",
            zstd::encode_all(&exim[..], 3).unwrap(),
            "exim",
            "zstd",
            "exim",
        ),
        ("e-mainlog.2", bzip2(&exim), "exim", "bzip2", "exim"),
        ("f-syslog", xz(&syslog), "syslog", "xz", "exim"),
    ];
    for (name, bytes, ..) in &files {
        temp_file(dir.path(), name, bytes);
    }
    let mut paths: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|entry| entry.unwrap().path().to_str().unwrap().to_string())
        .collect();
    paths.sort();
    let path_args: Vec<&str> = paths.iter().map(String::as_str).collect();

    let mut args = vec!["--year", "2026"];
    args.extend(&path_args);
    let report = json_report(&args);
    let expected: Vec<(String, String, String, bool)> = files
        .iter()
        .zip(&paths)
        .map(|((_, _, format, compression, _), path)| {
            (
                path.clone(),
                format.to_string(),
                compression.to_string(),
                true,
            )
        })
        .collect();
    assert_eq!(sorted(inputs(&report)), sorted(expected));
    assert_eq!(report["formats"], serde_json::json!(["postfix", "exim"]));
    assert_every_line_accounted(&line_counts(&report));

    let mut args = vec!["events", "--year", "2026"];
    args.extend(&path_args);
    let (code, out, err) = run(&args);
    assert_eq!((code, err.as_str()), (0, ""));
    let by_file = formats_by_file(&out);
    for ((name, _, _, _, log_format), path) in files.iter().zip(&paths) {
        let formats = &by_file[path];
        assert!(!formats.is_empty(), "{name}");
        // The one Postfix line of the Exim syslog fixture keeps its own format.
        let foreign = formats.iter().filter(|(_, f)| f != log_format).count();
        let expected_foreign = usize::from(*name == "f-syslog");
        assert_eq!(foreign, expected_foreign, "{name}");
    }
    // A compressed copy gives the rows of its plain file.
    assert_eq!(rows_of(&out, &paths[1]), rows_of(&out, &paths[0]));
    assert_eq!(rows_of(&out, &paths[3]), rows_of(&out, &paths[2]));
    assert_eq!(rows_of(&out, &paths[4]), rows_of(&out, &paths[2]));

    // The directory itself is not read: it is named, and the exit status says an input failed.
    let (code, _, err) = run(&["report", dir.path().to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("is a directory"), "{err}");
}

/// The events of `events --format ndjson` on a file, by line number.
fn ndjson_by_line(path: &str) -> BTreeMap<u64, Value> {
    let (code, out, err) = run(&["events", "--format", "ndjson", path]);
    assert_eq!(code, 0, "{err}");
    out.lines()
        .map(|l| {
            let value: Value = serde_json::from_str(l).unwrap();
            (value["line"].as_u64().unwrap(), value)
        })
        .collect()
}

/// Checks the named fields of one event; a `None` expects JSON null.
fn assert_fields(event: &Value, expected: &[(&str, Value)]) {
    for (key, want) in expected {
        assert_eq!(
            &event[*key], want,
            "{key} of line {}: {event}",
            event["line"]
        );
    }
}

#[test]
fn each_exim_line_shape_gives_its_fields() {
    use serde_json::json;
    let events = ndjson_by_line(EXIM_SHAPES);
    // Which lines are events: not arrivals, `Completed`, queue runs, `retry time not reached`
    // (21), `sender verify fail` (34), the rejectlog header dump (38-50), or bookkeeping (56-58).
    assert_eq!(
        events.keys().copied().collect::<Vec<_>>(),
        [
            5, 6, 7, 10, 13, 16, 17, 18, 19, 20, 22, 25, 26, 27, 30, 32, 33, 35, 36, 37, 51, 52,
            53, 54, 55, 61, 62, 63, 65
        ]
    );
    assert!(
        events.values().all(|e| e["log_format"] == "exim"
            && e["program"] == "exim"
            && e["file"] == EXIM_SHAPES)
    );

    // `=>` with the remote's confirmation.
    assert_fields(
        &events[&5],
        &[
            ("timestamp", json!("2026-11-21T06:01:11")),
            ("pid", json!(null)),
            ("queue_id", json!("1tE3xA-000Ab1-Qz")),
            ("direction", json!("outbound")),
            ("action", json!("sent")),
            ("stage", json!("END-OF-DATA")),
            ("reply_code", json!("250")),
            ("enhanced_code", json!("2.0.0")),
            ("dsn", json!(null)),
            ("class", json!("2xx")),
            ("permanence", json!("success")),
            ("reason", json!("delivered")),
            ("remote_host", json!("gmail-smtp-in.l.google.com")),
            ("remote_ip", json!("142.250.27.26")),
            ("sender", json!(null)),
            ("recipient", json!("bob@gmail.com")),
            ("recipient_domain", json!("gmail.com")),
            ("text", json!("OK  1795000683 a1si9419555.907 - gsmtp")),
        ],
    );

    // A local delivery: no reply, so no code and no stage; still a success, and delivered.
    assert_fields(
        &events[&10],
        &[
            ("queue_id", json!("1tE3xC-000Ab3-Sz")),
            ("direction", json!("outbound")),
            ("action", json!("sent")),
            ("stage", json!(null)),
            ("reply_code", json!(null)),
            ("enhanced_code", json!(null)),
            ("class", json!("2xx")),
            ("permanence", json!("success")),
            ("reason", json!("delivered")),
            ("remote_host", json!(null)),
            ("remote_ip", json!(null)),
            ("recipient", json!("alice@example.com")),
            ("text", json!(null)),
        ],
    );

    // `**` with a folded 550 5.1.1 after RCPT TO.
    let bounce = &events[&7];
    assert_fields(
        bounce,
        &[
            ("queue_id", json!("1tE3xA-000Ab1-Qz")),
            ("direction", json!("outbound")),
            ("action", json!("bounced")),
            ("stage", json!("RCPT")),
            ("reply_code", json!("550")),
            ("enhanced_code", json!("5.1.1")),
            ("class", json!("5xx")),
            ("permanence", json!("permanent")),
            ("reason", json!("user_unknown")),
            ("remote_host", json!("gmail-smtp-in.l.google.com")),
            ("remote_ip", json!("142.250.27.26")),
            ("recipient", json!("dave@gmail.com")),
        ],
    );
    let text = bounce["text"].as_str().unwrap();
    assert!(
        text.starts_with("The email account that you tried to reach does not exist."),
        "{text}"
    );
    assert!(
        !text.contains("550-5.1.1") && !text.contains("\\n"),
        "{text}"
    );

    // `==` deferral with a greylisting 451 4.7.1.
    assert_fields(
        &events[&16],
        &[
            ("timestamp", json!("2026-11-21T06:03:02")),
            ("queue_id", json!("1tE3xE-000Ab5-Uz")),
            ("direction", json!("outbound")),
            ("action", json!("deferred")),
            ("stage", json!("RCPT")),
            ("reply_code", json!("451")),
            ("enhanced_code", json!("4.7.1")),
            ("class", json!("4xx")),
            ("permanence", json!("transient")),
            ("reason", json!("greylisted")),
            ("remote_host", json!("mail.example.net")),
            ("remote_ip", json!("198.51.100.20")),
            ("recipient", json!("frank@example.net")),
        ],
    );

    // One host of several timed out: a per-host refusal without a reply.
    assert_fields(
        &events[&18],
        &[
            ("queue_id", json!("1tE3xE-000Ab5-Uz")),
            ("direction", json!("outbound")),
            ("action", json!("refused")),
            ("stage", json!("CONNECT")),
            ("reply_code", json!(null)),
            ("enhanced_code", json!(null)),
            ("class", json!("4xx")),
            ("permanence", json!("transient")),
            ("remote_host", json!("mx.slow.example")),
            ("remote_ip", json!("203.0.113.9")),
            ("recipient", json!(null)),
            ("text", json!("Connection timed out")),
        ],
    );

    // `** ...: retry timeout exceeded`: an expiry, with no code.
    assert_fields(
        &events[&26],
        &[
            ("pid", json!(2302)),
            ("queue_id", json!("1vK2Pq-00000001aBc-0Xyz")),
            ("action", json!("expired")),
            ("reply_code", json!(null)),
            ("class", json!("5xx")),
            ("recipient", json!("judy@dead.example")),
        ],
    );

    // An ACL reject without a number: no code is invented, the class comes from the verb. A
    // HELO name in parentheses is not taken for the host's name.
    assert_fields(
        &events[&32],
        &[
            ("timestamp", json!("2026-11-21T07:02:00")),
            ("pid", json!(2310)),
            ("queue_id", json!(null)),
            ("direction", json!("inbound")),
            ("action", json!("rejected")),
            ("stage", json!("RCPT")),
            ("reply_code", json!(null)),
            ("enhanced_code", json!(null)),
            ("class", json!("5xx")),
            ("permanence", json!("permanent")),
            ("reason", json!("blocklisted")),
            ("remote_host", json!(null)),
            ("remote_ip", json!("203.0.113.45")),
            ("sender", json!("bulk@spammer.example")),
            ("recipient", json!("info@example.com")),
        ],
    );

    // `temporarily rejected`: transient, still without a number.
    assert_fields(
        &events[&36],
        &[
            ("pid", json!(2313)),
            ("direction", json!("inbound")),
            ("action", json!("rejected")),
            ("stage", json!("RCPT")),
            ("reply_code", json!(null)),
            ("enhanced_code", json!(null)),
            ("class", json!("4xx")),
            ("permanence", json!("transient")),
            ("reason", json!("greylisted")),
            ("remote_host", json!("mta.newsender.example")),
            ("remote_ip", json!("198.51.100.170")),
            ("sender", json!("promo@newsender.example")),
            ("recipient", json!("bob@example.com")),
            ("text", json!("Greylisted - please try again in 5 minutes")),
        ],
    );

    // A failed login: the one inbound line that carries Exim's own code.
    assert_fields(
        &events[&54],
        &[
            ("pid", json!(2318)),
            ("queue_id", json!(null)),
            ("direction", json!("inbound")),
            ("action", json!("rejected")),
            ("stage", json!("AUTH")),
            ("reply_code", json!("535")),
            ("enhanced_code", json!(null)),
            ("class", json!("5xx")),
            ("permanence", json!("permanent")),
            ("reason", json!("auth_failed")),
            ("remote_host", json!(null)),
            ("remote_ip", json!("185.220.100.5")),
            ("recipient", json!(null)),
            ("text", json!("Incorrect authentication data")),
        ],
    );

    // Exim 4.99: millisecond time with offset, new message id, ` : ` before the reason.
    assert_fields(
        &events[&61],
        &[
            ("timestamp", json!("2026-11-21T08:01:01.902+01:00")),
            ("pid", json!(3302)),
            ("queue_id", json!("1vK2Pt-00000001aBf-3Xyz")),
            ("action", json!("bounced")),
            ("stage", json!("MAIL")),
            ("reply_code", json!("553")),
            ("enhanced_code", json!("5.7.1")),
            ("class", json!("5xx")),
            ("remote_host", json!("mail.example.net")),
            ("remote_ip", json!("198.51.100.20")),
            ("recipient", json!("kim@example.net")),
            ("text", json!("Sender address rejected: not owned by user")),
        ],
    );

    // A deferral to an IPv6 host that closed the connection at the greeting.
    assert_fields(
        &events[&62],
        &[
            ("action", json!("deferred")),
            ("stage", json!("CONNECT")),
            ("reply_code", json!(null)),
            ("class", json!("4xx")),
            ("remote_host", json!("mx.example.org")),
            ("remote_ip", json!("2001:db8::25")),
            ("recipient", json!("uma@example.org")),
        ],
    );

    // Every event has a class and a permanence.
    assert!(
        events
            .values()
            .all(|e| e["class"].as_str().is_some() && e["permanence"].as_str().is_some())
    );
}

/// The lines listed under "Unmatched lines" in a text report.
fn unmatched_section(report: &str) -> Vec<String> {
    let start =
        report.find("\nUnmatched lines\n").expect("the section") + "\nUnmatched lines\n".len();
    let end = start + report[start..].find("\nLines\n").expect("a footer");
    report[start..end]
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn rejectlog_header_dumps_are_not_unmatched() {
    let (code, out, _) = run(&["report", "--unmatched", EXIM_SHAPES]);
    assert_eq!(code, 0);
    assert_eq!(unmatched_section(&out), ["none"]);
    let report = json_report(&[EXIM_SHAPES]);
    let lines = line_counts(&report);
    assert_every_line_accounted(&lines);
    assert_eq!(lines["read"], 69);
    assert_eq!(lines["unmatched"], 0);
    assert_eq!(lines["events"], 29);
    assert_eq!(lines["no_outcome"], 40);

    // With a truncated delivery line added, that line and only that line is listed: the listing
    // works, and the header dump (lines 38 to 50) is still not in it.
    let dir = tempfile::tempdir().unwrap();
    let mut text = std::fs::read_to_string(EXIM_SHAPES).unwrap();
    text.push_str("2026-11-21 09:00:00 1vK2Pt-00000001aBf-3Xyz **\n");
    let path = temp_file(dir.path(), "mainlog", text.as_bytes());
    let path = path.to_str().unwrap();
    for chunk in ["1048576", "100"] {
        let (code, out, _) = run(&["report", "--unmatched", "--chunk-size", chunk, path]);
        assert_eq!(code, 0);
        assert_eq!(
            unmatched_section(&out),
            [format!(
                "{path}:70: 2026-11-21 09:00:00 1vK2Pt-00000001aBf-3Xyz **"
            )],
            "chunk size {chunk}"
        );
    }
}

const WITH_REJECTLOG: &str = "tests/fixtures/exim/with-rejectlog";

/// The `codes` rows of a JSON report without their example lines.
fn without_examples(codes: &Value) -> Value {
    let mut codes = codes.clone();
    for row in codes.as_array_mut().unwrap() {
        row.as_object_mut().unwrap().remove("examples");
    }
    codes
}

/// The events of `events --format csv` as (file, line, action, reply text), in output order.
fn event_lines(args: &[&str]) -> Vec<(String, String, String)> {
    let mut all = vec!["events", "--format", "csv"];
    all.extend(args);
    let (code, out, err) = run(&all);
    assert_eq!(code, 0, "{err}");
    rows(&out)
        .into_iter()
        .map(|r| (r[0].to_string(), r[1].to_string(), r[9].to_string()))
        .collect()
}

#[test]
fn a_reject_log_read_with_its_main_log_is_not_counted_twice() {
    let main = format!("{WITH_REJECTLOG}/mainlog");
    let reject = format!("{WITH_REJECTLOG}/rejectlog");
    let alone = json_report(&[&main]);
    let reject_alone = json_report(&[&reject]);
    // Read alone, the reject log's rejections are counted: it may be all a host keeps.
    assert_eq!(line_counts(&reject_alone)["events"], 5);
    assert_eq!(line_counts(&reject_alone)["repeated"], 0);
    assert_eq!(inputs(&reject_alone)[0].1, "exim reject log");

    for order in [[&main, &reject], [&reject, &main]] {
        let args: Vec<&str> = order.iter().map(|s| s.as_str()).collect();
        let both = json_report(&args);
        let counts = line_counts(&both);
        assert_every_line_accounted(&counts);
        // Its five dated lines are the main log's rejections; its header dumps are read as
        // lines without an outcome, as when it is read alone.
        assert_eq!(counts["repeated"], 5, "{order:?}");
        assert_eq!(counts["events"], line_counts(&alone)["events"], "{order:?}");
        assert_eq!(
            counts["no_outcome"],
            line_counts(&alone)["no_outcome"] + line_counts(&reject_alone)["no_outcome"]
        );
        for key in ["by_class", "by_action", "outcomes"] {
            assert_eq!(both[key], alone[key], "{key} {order:?}");
        }
        // The same codes and counts; the rejections' examples are the reject log's lines.
        assert_eq!(
            without_examples(&both["codes"]),
            without_examples(&alone["codes"])
        );
        assert_eq!(
            inputs(&both)
                .into_iter()
                .map(|(name, format, ..)| (name, format))
                .collect::<Vec<_>>(),
            [
                (main.clone(), "exim".to_string()),
                (reject.clone(), "exim reject log".to_string())
            ]
        );
        // The events command, the chunk size and the threads agree: the rejections come from
        // the reject log, the rest from the main log.
        for (chunk, threads) in [("1048576", "2"), ("64", "1"), ("64", "2")] {
            let mut with_chunk = vec!["--chunk-size", chunk, "--threads", threads];
            with_chunk.extend(&args);
            let rows = event_lines(&with_chunk);
            assert_eq!(rows.len(), 7);
            let from_reject = rows.iter().filter(|(file, ..)| file == &reject).count();
            assert_eq!(from_reject, 5, "{rows:?}");
        }
    }

    let (code, text, _) = run(&["report", &main, &reject]);
    assert_eq!(code, 0);
    assert!(text.contains(&format!("{main} (exim, plain)")), "{text}");
    assert!(
        text.contains(&format!("{reject} (exim reject log, plain)")),
        "{text}"
    );
    assert!(
        text.contains("            5  counted in another of Exim's logs"),
        "{text}"
    );
    // A report that has no such lines does not mention them.
    let (_, text, _) = run(&["report", &main]);
    assert!(!text.contains("another of Exim's logs"));
}

#[test]
fn a_compressed_rotated_reject_log_is_known_by_its_name() {
    let dir = tempfile::tempdir().unwrap();
    let reject = std::fs::read(format!("{WITH_REJECTLOG}/rejectlog")).unwrap();
    let rotated = temp_file(dir.path(), "rejectlog.2.gz", &gzip(&reject));
    let main = format!("{WITH_REJECTLOG}/mainlog");
    let report = json_report(&[&main, rotated.to_str().unwrap()]);
    assert_eq!(line_counts(&report)["repeated"], 5);
    assert_eq!(line_counts(&report)["events"], 7);
    // The same lines under another name are a second main log, and counted.
    let renamed = temp_file(dir.path(), "copy.log", &reject);
    let report = json_report(&[&main, renamed.to_str().unwrap()]);
    assert_eq!(line_counts(&report)["repeated"], 0);
    assert_eq!(line_counts(&report)["events"], 12);
}

#[test]
fn a_reject_log_keeps_the_rejections_no_main_log_read_holds() {
    // Another host's main log, or one that rotated apart from the reject log, holds none of
    // its rejections: they are counted from the reject log.
    let other_main = format!("{WITH_PANICLOG}/mainlog");
    let reject = format!("{WITH_REJECTLOG}/rejectlog");
    let other_alone = json_report(&[&other_main]);
    let both = json_report(&[&other_main, &reject]);
    assert_eq!(line_counts(&both)["repeated"], 0);
    assert_eq!(
        line_counts(&both)["events"],
        line_counts(&other_alone)["events"] + 5
    );
    // A main log whose name holds the word elsewhere is a main log.
    let dir = tempfile::tempdir().unwrap();
    let main = std::fs::read(format!("{WITH_REJECTLOG}/mainlog")).unwrap();
    let named = temp_file(dir.path(), "mx2-rejectmx-mainlog", &main);
    let report = json_report(&[&other_main, named.to_str().unwrap()]);
    assert_eq!(line_counts(&report)["repeated"], 0);
    assert_eq!(inputs(&report)[1].1, "exim");
}

#[test]
fn a_main_log_on_standard_input_meets_the_reject_log_given_beside_it() {
    let main = std::fs::read(format!("{WITH_REJECTLOG}/mainlog")).unwrap();
    let reject = format!("{WITH_REJECTLOG}/rejectlog");
    let out = run_stdin(&["report", "--format", "json", "-", &reject], main);
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(line_counts(&report)["repeated"], 5);
    assert_eq!(line_counts(&report)["events"], 7);
}

#[test]
fn a_reject_log_with_a_syslog_file_is_still_counted() {
    // A syslog file is not Exim's main log: the reject log beside it holds what it lacks.
    let reject = format!("{WITH_REJECTLOG}/rejectlog");
    let report = json_report(&[POSTFIX_SAMPLE, &reject]);
    assert_eq!(line_counts(&report)["repeated"], 0);
    let postfix_only = json_report(&[POSTFIX_SAMPLE]);
    assert_eq!(
        line_counts(&report)["events"],
        line_counts(&postfix_only)["events"] + 5
    );
}

const WITH_PANICLOG: &str = "tests/fixtures/exim/with-paniclog";

/// The `diagnostics.lines` object of a JSON report: problem lines per severity.
fn problem_lines(report: &Value) -> BTreeMap<String, u64> {
    numbers(&report["diagnostics"]["lines"])
}

#[test]
fn a_panic_log_read_with_its_main_log_counts_each_panic_once() {
    let main = format!("{WITH_PANICLOG}/mainlog");
    let panic = format!("{WITH_PANICLOG}/paniclog");
    let main_alone = json_report(&[&main]);
    let panic_alone = json_report(&[&panic]);
    assert_eq!(inputs(&panic_alone)[0].1, "exim panic log");
    // The main log has the spamd error, the TLS warning and the port already taken, twice.
    assert_eq!(problem_lines(&main_alone)["error"], 1);
    assert_eq!(problem_lines(&main_alone)["warning"], 1);
    assert_eq!(problem_lines(&main_alone)["fatal"], 2);
    // The panic log has the configuration error that stopped Exim, which the main log lacks,
    // and copies of the spamd error and the two bind failures.
    assert_eq!(problem_lines(&panic_alone)["fatal"], 3);

    for order in [[&main, &panic], [&panic, &main]] {
        let args: Vec<&str> = order.iter().map(|s| s.as_str()).collect();
        for chunk in ["1048576", "64"] {
            let mut with_chunk = vec!["--chunk-size", chunk];
            with_chunk.extend(&args);
            let both = json_report(&with_chunk);
            let counts = line_counts(&both);
            assert_every_line_accounted(&counts);
            // The main log's three copies; both of its identical bind failures are copies.
            assert_eq!(counts["repeated"], 3, "{order:?} {chunk}");
            assert_eq!(counts["events"], line_counts(&main_alone)["events"]);
            let problems = problem_lines(&both);
            assert_eq!(problems["fatal"], 3, "{order:?} {chunk}");
            assert_eq!(problems["error"], 1, "{order:?} {chunk}");
            assert_eq!(problems["warning"], 1, "{order:?} {chunk}");
            for key in ["codes", "by_class", "by_action", "outcomes"] {
                assert_eq!(both[key], main_alone[key], "{key} {order:?}");
            }
        }
    }
    let (code, text, _) = run(&["report", &main, &panic]);
    assert_eq!(code, 0);
    assert!(
        text.contains("            3  counted in another of Exim's logs"),
        "{text}"
    );
    assert!(
        text.contains(&format!("{panic} (exim panic log, plain)")),
        "{text}"
    );
}

#[test]
fn a_main_log_line_is_a_copy_only_when_the_panic_log_has_it_word_for_word() {
    let dir = tempfile::tempdir().unwrap();
    let main = format!("{WITH_PANICLOG}/mainlog");
    // Same words a second later, and a panic log under a name Exim does not give it: neither
    // makes the main log's lines copies.
    let shifted = std::fs::read_to_string(format!("{WITH_PANICLOG}/paniclog"))
        .unwrap()
        .replace("09:04:40", "09:04:41")
        .replace("09:07:00", "09:07:01");
    let later = temp_file(dir.path(), "paniclog.1", shifted.as_bytes());
    let report = json_report(&[&main, later.to_str().unwrap()]);
    assert_eq!(line_counts(&report)["repeated"], 0);
    let original = std::fs::read(format!("{WITH_PANICLOG}/paniclog")).unwrap();
    let renamed = temp_file(dir.path(), "exim-errors.log", &original);
    let report = json_report(&[&main, renamed.to_str().unwrap()]);
    assert_eq!(line_counts(&report)["repeated"], 0);
    // Compressed and rotated, and written with CRLF, it is still the panic log.
    let crlf = String::from_utf8(original).unwrap().replace('\n', "\r\n");
    let rotated = temp_file(dir.path(), "paniclog.2.gz", &gzip(crlf.as_bytes()));
    let report = json_report(&[&main, rotated.to_str().unwrap()]);
    assert_eq!(line_counts(&report)["repeated"], 3);
}
