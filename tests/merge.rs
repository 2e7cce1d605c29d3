//! `mailsift merge`: summaries of the parts of a set of logs add up to the report of the whole.

mod common;

use std::path::Path;

use mailsift::app::Outcome;
use proptest::prelude::*;
use serde_json::Value;

fn run(args: &[&str]) -> (Outcome, String) {
    common::run_here(args)
}

fn report_json(files: &[String]) -> String {
    let mut args = vec!["report", "--format", "json", "--year", "2026"];
    args.extend(files.iter().map(String::as_str));
    let (outcome, json) = run(&args);
    assert_eq!(outcome, Outcome::Done);
    json
}

fn merged(summaries: &[String], format: &str) -> (Outcome, String) {
    let mut args = vec!["merge", "--format", format];
    args.extend(summaries.iter().map(String::as_str));
    run(&args)
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    common::temp_file(dir, name, bytes)
        .to_str()
        .unwrap()
        .to_string()
}

/// Every line of the bundled samples, Postfix (both rotated halves) and Exim, in time order
/// per MTA.
fn sample_lines() -> Vec<String> {
    let mut lines = Vec::new();
    let gz = std::fs::read("samples/postfix-mail.log.1.gz").unwrap();
    let mut old = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gz[..]), &mut old).unwrap();
    for text in [
        old,
        std::fs::read_to_string("samples/postfix-mail.log").unwrap(),
        std::fs::read_to_string("samples/exim-mainlog").unwrap(),
    ] {
        lines.extend(text.lines().map(str::to_string));
    }
    lines
}

/// Where two JSON values first differ, as a path with both values; `None` when equal.
fn first_difference(a: &Value, b: &Value, path: &str) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => x.keys().chain(y.keys()).find_map(|k| {
            first_difference(
                x.get(k).unwrap_or(&Value::Null),
                y.get(k).unwrap_or(&Value::Null),
                &format!("{path}.{k}"),
            )
        }),
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (x, y))| first_difference(x, y, &format!("{path}[{i}]"))),
        _ if a == b => None,
        _ => Some(format!("{path}: {a} vs {b}")),
    }
}

fn parsed(json: &str) -> Value {
    serde_json::from_str(json).unwrap()
}

#[test]
fn merging_one_summary_per_host_gives_the_report_of_all_hosts() {
    let postfix = ["samples/postfix-mail.log", "samples/postfix-mail.log.1.gz"].map(String::from);
    let exim = ["samples/exim-mainlog".to_string()];
    let dir = tempfile::tempdir().unwrap();
    let mx1 = write(dir.path(), "mx1.json", report_json(&postfix).as_bytes());
    let mx2 = write(dir.path(), "mx2.json", report_json(&exim).as_bytes());
    let mut all = postfix.to_vec();
    all.extend(exim);
    let whole = report_json(&all);
    let (outcome, json) = merged(&[mx2.clone(), mx1.clone()], "json");
    assert_eq!(outcome, Outcome::Done);
    let (whole, merged_value) = (parsed(&whole), parsed(&json));
    // Every field: counts, times, distinct messages, examples with their file:line, inputs in
    // reading order, message outcomes (no message crosses hosts), incidents, and the state.
    assert_eq!(first_difference(&merged_value, &whole, ""), None);
    assert!(whole["outcomes"].as_u64().unwrap() > 3000);
    assert!(whole["message_outcomes"]["recipients"].as_u64().unwrap() > 1000);

    // Every other format is made from the same merged report.
    for format in ["csv", "prometheus", "text", "markdown", "html"] {
        let mut args = vec!["report", "--format", format, "--year", "2026"];
        args.extend(all.iter().map(String::as_str));
        let (_, expected) = run(&args);
        let (_, got) = merged(&[mx1.clone(), mx2.clone()], format);
        if format == "csv" || format == "prometheus" {
            assert_eq!(got, expected, "{format}");
        } else {
            // The header names the inputs and differs; the body does not.
            let body = |text: &str| {
                text.lines()
                    .skip_while(|l| !l.contains("2xx"))
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            assert_eq!(body(&got), body(&expected), "{format}");
        }
    }
}

#[test]
fn a_summary_of_another_schema_is_refused_by_name_and_the_rest_is_merged() {
    let dir = tempfile::tempdir().unwrap();
    let good = report_json(&["samples/exim-mainlog".to_string()]);
    let mut old = parsed(&good);
    old["schema_version"] = Value::from(1);
    let old = write(dir.path(), "old.json", old.to_string().as_bytes());
    let good = write(dir.path(), "good.json.gz", &common::gzip(good.as_bytes()));
    let junk = write(dir.path(), "junk.json", b"<html>not json</html>");
    let missing = dir
        .path()
        .join("missing.json")
        .to_str()
        .unwrap()
        .to_string();
    let output = common::mailsift()
        .args(["merge", "--format", "csv", &old, &good, &junk, &missing])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 3, "{stderr}");
    assert!(
        lines[0].contains("old.json: schema_version 1") && lines[0].contains("schema_version 3")
    );
    assert!(lines[1].contains("junk.json: not a JSON summary"));
    assert!(
        lines[2].contains("missing.json: cannot open"),
        "{}",
        lines[2]
    );
    let (_, alone) = merged(&[good], "csv");
    assert_eq!(String::from_utf8(output.stdout).unwrap(), alone);
    assert!(common::rows(&alone).len() > 10);
}

#[test]
fn inputs_of_the_same_name_on_two_hosts_are_told_apart() {
    let dir = tempfile::tempdir().unwrap();
    let log = std::fs::read("samples/exim-mainlog").unwrap();
    let mut paths = Vec::new();
    for host in ["mx1", "mx2"] {
        std::fs::create_dir(dir.path().join(host)).unwrap();
        let log_path = write(&dir.path().join(host), "mainlog", &log);
        // Each host's summary names its log as the host would: the same path.
        let json = report_json(std::slice::from_ref(&log_path))
            .replace(&log_path, "/var/log/exim4/mainlog");
        paths.push(write(dir.path(), &format!("{host}.json"), json.as_bytes()));
    }
    let (_, json) = merged(&paths, "json");
    let report = parsed(&json);
    let names: Vec<&str> = report["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 2);
    assert!(
        names[0].ends_with("mx1.json:/var/log/exim4/mainlog"),
        "{names:?}"
    );
    assert!(
        names[1].ends_with("mx2.json:/var/log/exim4/mainlog"),
        "{names:?}"
    );
    let single = parsed(&report_json(&["samples/exim-mainlog".to_string()]));
    assert_eq!(
        report["outcomes"].as_u64().unwrap(),
        2 * single["outcomes"].as_u64().unwrap()
    );
    // The same messages on both hosts are different messages: hosts are part of the key.
    assert_eq!(
        report["codes"][0]["count"].as_u64().unwrap(),
        2 * single["codes"][0]["count"].as_u64().unwrap()
    );
    let example = report["codes"][0]["examples"][0]["file"].as_str().unwrap();
    assert!(
        example.ends_with("mx1.json:/var/log/exim4/mainlog"),
        "{example}"
    );
}

#[test]
fn redaction_and_thresholds_apply_to_the_merged_report() {
    let dir = tempfile::tempdir().unwrap();
    let json = report_json(&["samples/postfix-mail.log".to_string()]);
    assert!(json.contains("@example.com"));
    let plain = write(dir.path(), "plain.json", json.as_bytes());
    let (_, redacted) = run(&["merge", "--format", "json", "--redact", &plain]);
    assert!(!redacted.contains("trent@example.com"));
    let redacted_path = write(dir.path(), "redacted.json", redacted.as_bytes());
    // Redacting what is redacted already changes nothing, so hashes stay comparable.
    let (_, again) = run(&["merge", "--format", "json", "--redact", &redacted_path]);
    assert_eq!(again, redacted);
    let (outcome, _) = run(&["merge", "--format", "csv", "--fail-on", "5xx>=1", &plain]);
    assert_eq!(outcome, Outcome::ThresholdMet);
    let (outcome, _) = run(&["merge", "--format", "csv", "--fail-on", "5xx>100%", &plain]);
    assert_eq!(outcome, Outcome::Done);
}

/// The fields that must add up exactly whatever the split: everything but what follows one
/// message across lines (message outcomes), which a split can cut in two.
fn exact_fields(report: &Value) -> Value {
    let mut report = report.clone();
    let object = report.as_object_mut().unwrap();
    object.remove("message_outcomes");
    object["state"].as_object_mut().unwrap().remove("outcomes");
    report
}

proptest! {
    // Each case writes and reads the samples three or four times.
    #![proptest_config(ProptestConfig {
        cases: 12,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_split_of_the_samples_merges_to_the_whole(
        cuts in prop::collection::btree_set(1usize..11_000, 1..6),
        owners in prop::collection::vec(0usize..3, 7),
    ) {
        let lines = sample_lines();
        let dir = tempfile::tempdir().unwrap();
        let mut bounds: Vec<usize> = cuts.into_iter().filter(|c| *c < lines.len()).collect();
        bounds.insert(0, 0);
        bounds.push(lines.len());
        // Pieces of the log, each given to one of up to three parts.
        let mut parts: Vec<Vec<String>> = vec![Vec::new(); 3];
        for (index, range) in bounds.windows(2).enumerate() {
            let text = lines[range[0]..range[1]].join("\n") + "\n";
            let name = write(dir.path(), &format!("piece{index}.log"), text.as_bytes());
            parts[owners[index % owners.len()]].push(name);
        }
        parts.retain(|p| !p.is_empty());
        let all: Vec<String> = parts.iter().flatten().cloned().collect();
        let whole = parsed(&report_json(&all));
        let summaries: Vec<String> = parts
            .iter()
            .enumerate()
            .map(|(i, files)| write(dir.path(), &format!("part{i}.json"), report_json(files).as_bytes()))
            .collect();
        let (outcome, json) = merged(&summaries, "json");
        prop_assert_eq!(outcome, Outcome::Done);
        let merged = parsed(&json);
        let difference = first_difference(&exact_fields(&merged), &exact_fields(&whole), "");
        prop_assert!(difference.is_none(), "{:?}", difference);
        // Outcomes still account for every recipient followed in some part.
        prop_assert!(
            merged["message_outcomes"]["recipients"].as_u64().unwrap()
                >= whole["message_outcomes"]["recipients"].as_u64().unwrap()
        );
    }
}

#[test]
fn a_reject_log_read_with_its_main_log_keeps_its_place_in_a_merged_report() {
    let dir = tempfile::tempdir().unwrap();
    let pair = [
        "tests/fixtures/exim/with-rejectlog/mainlog".to_string(),
        "tests/fixtures/exim/with-rejectlog/rejectlog".to_string(),
    ];
    let summary = report_json(&pair);
    let path = write(dir.path(), "mx1.json", summary.as_bytes());
    let (_, json) = merged(&[path], "json");
    let report = parsed(&json);
    assert_eq!(report["lines"]["repeated"], 5);
    assert_eq!(report["lines"], parsed(&summary)["lines"]);
    assert_eq!(report["inputs"][1]["format"], "exim reject log");

    // A summary written before the count existed merges as if it were 0.
    let mut older = parsed(&report_json(&["samples/exim-mainlog".to_string()]));
    older["lines"].as_object_mut().unwrap().remove("repeated");
    let older = write(dir.path(), "older.json", older.to_string().as_bytes());
    let (outcome, json) = merged(&[older], "json");
    assert_eq!(outcome, Outcome::Done);
    assert_eq!(parsed(&json)["lines"]["repeated"], 0);
}
