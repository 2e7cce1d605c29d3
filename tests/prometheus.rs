//! `mailsift report --format prometheus` as node_exporter's textfile collector reads it: values
//! checked against the JSON report of the same run, the filters and `--fail-on`, text written by
//! strangers, a snapshot, and two readers that are not ours: prometheus_client's parser (when
//! `MAILSIFT_PYTHON` names a Python that has it) and `promtool check metrics` (when on PATH).

mod common;

use common::{mailsift, temp_file};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;

use chrono::{DateTime, NaiveDateTime};
use serde_json::Value;

const SAMPLES: [&str; 3] = [
    "samples/postfix-mail.log",
    "samples/postfix-mail.log.1.gz",
    "samples/exim-mainlog",
];

/// Runs mailsift with the time zone fixed, since log times without an offset are read in it;
/// returns (exit code, stdout, stderr).
fn run_utc(args: &[&str]) -> (i32, String, String) {
    let output = mailsift().env("TZ", "UTC").args(args).output().unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// `report ARGS --year 2026 INPUTS...` in one format, expecting `code`.
fn report(format: &str, args: &[&str], inputs: &[&str], code: i32) -> String {
    let mut all = vec!["report", "--format", format, "--year", "2026"];
    all.extend(args);
    all.extend(inputs);
    let (status, out, err) = run_utc(&all);
    assert_eq!(status, code, "{all:?}: {err}");
    out
}

/// One sample as read back by the small reader below.
#[derive(Clone, Debug, PartialEq)]
struct Sample {
    name: String,
    labels: BTreeMap<String, String>,
    value: f64,
}

/// Reads the exposition text, undoing the escapes of label values; panics on anything the
/// format does not allow in what mailsift writes.
fn parse(text: &str) -> Vec<Sample> {
    let mut samples = Vec::new();
    for line in text.lines() {
        if line.starts_with("# HELP ") || line.starts_with("# TYPE ") {
            continue;
        }
        assert!(!line.starts_with('#') && !line.is_empty(), "{line:?}");
        let name_end = line.find(['{', ' ']).expect("a value");
        let name = &line[..name_end];
        assert!(
            name.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
            "{name}"
        );
        let mut labels = BTreeMap::new();
        let mut rest = &line[name_end..];
        if let Some(inside) = rest.strip_prefix('{') {
            let mut chars = inside.char_indices();
            let mut label = String::new();
            loop {
                let (_, c) = chars.next().expect("a closed label set");
                match c {
                    '}' => break,
                    ',' => continue,
                    '=' => {
                        assert_eq!(chars.next().map(|(_, c)| c), Some('"'), "{line}");
                        let mut value = String::new();
                        loop {
                            match chars.next().expect("a closed value").1 {
                                '"' => break,
                                '\\' => match chars.next().unwrap().1 {
                                    '\\' => value.push('\\'),
                                    '"' => value.push('"'),
                                    'n' => value.push('\n'),
                                    other => panic!("\\{other} is no escape: {line}"),
                                },
                                c => value.push(c),
                            }
                        }
                        assert!(labels.insert(std::mem::take(&mut label), value).is_none());
                    }
                    c => label.push(c),
                }
            }
            let used = chars.next().map_or(inside.len(), |(at, _)| at);
            rest = &inside[used..];
        }
        let value = rest.strip_prefix(' ').expect("one space before the value");
        samples.push(Sample {
            name: name.to_string(),
            labels,
            value: value.parse().unwrap_or_else(|_| panic!("{line}")),
        });
    }
    samples
}

fn value(samples: &[Sample], name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    samples
        .iter()
        .find(|s| {
            s.name == name
                && labels
                    .iter()
                    .all(|(k, v)| s.labels.get(*k).map(String::as_str) == Some(*v))
        })
        .map(|s| s.value)
}

fn sum(samples: &[Sample], name: &str) -> f64 {
    samples
        .iter()
        .filter(|s| s.name == name)
        .map(|s| s.value)
        .sum()
}

/// A JSON report time (`2026-11-21T08:00:04`, maybe with fraction and offset) as Unix seconds;
/// without an offset it is UTC, the zone the runs are given.
fn unix(time: &str) -> f64 {
    let instant = DateTime::parse_from_rfc3339(time).unwrap_or_else(|_| {
        NaiveDateTime::parse_from_str(time, "%Y-%m-%dT%H:%M:%S%.f")
            .unwrap()
            .and_utc()
            .fixed_offset()
    });
    instant.timestamp() as f64 + f64::from(instant.timestamp_subsec_nanos()) / 1e9
}

/// Checks every family that has a JSON counterpart against the JSON report of the same run.
fn assert_agrees_with_json(prometheus: &str, json_text: &str) {
    let samples = parse(prometheus);
    let json: Value = serde_json::from_str(json_text).unwrap();
    let n = |v: &Value| v.as_u64().unwrap() as f64;
    for (class, permanence) in [
        ("2xx", "success"),
        ("3xx", "intermediate"),
        ("4xx", "transient"),
        ("5xx", "permanent"),
    ] {
        assert_eq!(
            value(
                &samples,
                "mailsift_outcomes",
                &[("class", class), ("permanence", permanence)]
            ),
            Some(n(&json["by_class"][class])),
            "{class}"
        );
    }
    let outcomes = n(&json["outcomes"]);
    assert_eq!(sum(&samples, "mailsift_outcomes"), outcomes);
    assert_eq!(sum(&samples, "mailsift_code_outcomes"), outcomes);
    assert_eq!(sum(&samples, "mailsift_reason_outcomes"), outcomes);
    assert_eq!(sum(&samples, "mailsift_action_outcomes"), outcomes);
    for (action, count) in json["by_action"].as_object().unwrap() {
        assert_eq!(
            value(&samples, "mailsift_action_outcomes", &[("action", action)]),
            Some(n(count)),
            "{action}"
        );
    }
    for (reason, count) in json["by_reason"].as_object().unwrap() {
        assert_eq!(
            value(&samples, "mailsift_reason_outcomes", &[("reason", reason)]),
            Some(n(count)),
            "{reason}"
        );
    }
    for code in json["codes"].as_array().unwrap() {
        let text = |key: &str| match &code[key] {
            Value::Null => String::new(),
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let labels = [
            ("direction", text("direction")),
            ("class", text("class")),
            ("reply_code", text("reply_code")),
            ("enhanced_code", text("enhanced_code")),
        ];
        let of_code: Vec<&Sample> = samples
            .iter()
            .filter(|s| {
                s.name == "mailsift_code_outcomes"
                    && labels.iter().all(|(k, v)| s.labels.get(*k) == Some(v))
            })
            .collect();
        assert!(!of_code.is_empty(), "{code}");
        // A code without any number is split by reason in JSON too.
        if labels[2].1.is_empty() && labels[3].1.is_empty() {
            let reason = text("reason");
            let mine = of_code
                .iter()
                .find(|s| s.labels["reason"] == reason)
                .unwrap();
            assert_eq!(mine.value, n(&code["count"]), "{code}");
        } else {
            let total: f64 = of_code.iter().map(|s| s.value).sum();
            assert_eq!(total, n(&code["count"]), "{code}");
        }
        for top in code["top_destinations"].as_array().unwrap() {
            let mut with_place: Vec<(&str, &str)> =
                labels.iter().map(|(k, v)| (*k, v.as_str())).collect();
            with_place.push(("destination", top["name"].as_str().unwrap()));
            assert!(
                value(&samples, "mailsift_destination_outcomes", &with_place).unwrap()
                    >= n(&top["count"]),
                "{top}"
            );
        }
    }
    let lines = &json["lines"];
    assert_eq!(sum(&samples, "mailsift_refusals"), n(&lines["refusals"]));
    assert_eq!(
        sum(&samples, "mailsift_reject_warnings"),
        n(&lines["reject_warnings"])
    );
    for (verdict, count) in json["postscreen"]["verdicts"].as_object().unwrap() {
        assert_eq!(
            value(
                &samples,
                "mailsift_postscreen_verdicts",
                &[("verdict", verdict)]
            ),
            Some(n(count)),
            "{verdict}"
        );
    }
    assert_eq!(
        value(&samples, "mailsift_lines_read", &[]),
        Some(n(&lines["read"]))
    );
    assert_eq!(sum(&samples, "mailsift_lines"), n(&lines["read"]));
    for bucket in [
        "events",
        "filtered_out",
        "no_outcome",
        "other_programs",
        "unmatched",
        "over_long",
    ] {
        assert_eq!(
            value(&samples, "mailsift_lines", &[("bucket", bucket)]),
            Some(n(&lines[bucket])),
            "{bucket}"
        );
    }
    assert_eq!(
        value(&samples, "mailsift_messages", &[]),
        Some(n(&json["messages"]))
    );
    let inputs = json["inputs"].as_array().unwrap();
    assert_eq!(
        value(&samples, "mailsift_inputs", &[]),
        Some(inputs.len() as f64)
    );
    let incomplete = inputs.iter().filter(|i| i["complete"] == false).count();
    assert_eq!(
        value(&samples, "mailsift_unreadable_inputs", &[]),
        Some(incomplete as f64)
    );
    for (name, key) in [
        ("mailsift_first_event_timestamp_seconds", "first_seen"),
        ("mailsift_last_event_timestamp_seconds", "last_seen"),
    ] {
        assert_eq!(
            value(&samples, name, &[]),
            json[key].as_str().map(unix),
            "{name}"
        );
    }
    for threshold in json["thresholds"].as_array().unwrap() {
        let condition = threshold["condition"].as_str().unwrap();
        assert_eq!(
            value(
                &samples,
                "mailsift_fail_on_met",
                &[("condition", condition)]
            ),
            Some(if threshold["met"] == true { 1.0 } else { 0.0 })
        );
        assert_eq!(
            value(
                &samples,
                "mailsift_fail_on_matching",
                &[("condition", condition)]
            ),
            Some(n(&threshold["count"]))
        );
    }
}

#[test]
fn samples_agree_with_the_json_report() {
    let prometheus = report("prometheus", &[], &SAMPLES, 0);
    let json = report("json", &[], &SAMPLES, 0);
    assert_agrees_with_json(&prometheus, &json);
    let samples = parse(&prometheus);
    assert!(value(&samples, "mailsift_outcomes", &[("class", "5xx")]).unwrap() > 0.0);
    assert!(sum(&samples, "mailsift_refusals") > 0.0, "{prometheus}");
    assert!(
        sum(&samples, "mailsift_reject_warnings") > 0.0,
        "{prometheus}"
    );
    assert!(prometheus.ends_with('\n'));
    assert!(!prometheus.contains("\r"));
}

#[test]
fn filters_apply_as_in_the_other_formats() {
    for args in [
        &["--direction", "inbound"][..],
        &["--direction", "outbound"],
        &["--only", "5xx,4.7.*"],
        &["--since", "2026-11-21T00:00", "--until", "2026-11-21T12:00"],
    ] {
        let prometheus = report("prometheus", args, &SAMPLES, 0);
        let json = report("json", args, &SAMPLES, 0);
        assert_agrees_with_json(&prometheus, &json);
    }
    let inbound = parse(&report(
        "prometheus",
        &["--direction", "inbound"],
        &SAMPLES,
        0,
    ));
    assert!(
        inbound
            .iter()
            .filter_map(|s| s.labels.get("direction"))
            .all(|d| d == "inbound")
    );
    let only = parse(&report("prometheus", &["--only", "5xx"], &SAMPLES, 0));
    assert_eq!(
        value(&only, "mailsift_outcomes", &[("class", "2xx")]),
        Some(0.0),
        "every class is written, 0 included"
    );
    assert!(value(&only, "mailsift_lines", &[("bucket", "filtered_out")]).unwrap() > 0.0);
}

#[test]
fn fail_on_sets_the_exit_status_and_says_so_in_a_metric() {
    let args = ["--fail-on", "5xx>1", "--fail-on", "421>=100000"];
    let prometheus = report("prometheus", &args, &SAMPLES, 3);
    let json = report("json", &args, &SAMPLES, 3);
    assert_agrees_with_json(&prometheus, &json);
    let samples = parse(&prometheus);
    assert_eq!(
        value(&samples, "mailsift_fail_on_met", &[("condition", "5xx>1")]),
        Some(1.0)
    );
    assert_eq!(
        value(
            &samples,
            "mailsift_fail_on_met",
            &[("condition", "421>=100000")]
        ),
        Some(0.0)
    );
    report("prometheus", &["--fail-on", "421>=100000"], &SAMPLES, 0);
}

#[test]
fn output_is_the_same_whatever_the_threads_and_chunks() {
    let one = report("prometheus", &["--threads", "1"], &SAMPLES, 0);
    let two = report("prometheus", &["--threads", "2"], &SAMPLES, 0);
    let small = report(
        "prometheus",
        &["--threads", "3", "--chunk-size", "4096"],
        &SAMPLES,
        0,
    );
    assert_eq!(one, two);
    assert_eq!(one, small);
}

#[test]
fn redaction_leaves_no_address_and_changes_no_value() {
    let plain = report("prometheus", &[], &SAMPLES, 0);
    let redacted = report("prometheus", &["--redact"], &SAMPLES, 0);
    // Destinations are domains and hosts, which redaction keeps: no local part is written.
    assert!(!plain.contains('@'), "{plain}");
    assert_eq!(plain, redacted);
}

#[test]
fn by_is_refused_and_an_unreadable_input_is_counted() {
    let (code, out, err) = run_utc(&[
        "report",
        "--format",
        "prometheus",
        "--by",
        "domain",
        SAMPLES[0],
    ]);
    assert_eq!(code, 2, "{out}");
    assert!(err.contains("--by"), "{err}");
    let prometheus = report(
        "prometheus",
        &[],
        &[SAMPLES[0], "tests/fixtures/no-such-file.log"],
        1,
    );
    let samples = parse(&prometheus);
    assert_eq!(value(&samples, "mailsift_inputs", &[]), Some(2.0));
    assert_eq!(
        value(&samples, "mailsift_unreadable_inputs", &[]),
        Some(1.0)
    );
}

#[test]
fn the_textfile_is_written_whole_under_its_name() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("mailsift.prom");
    let target_text = target.to_str().unwrap();
    report("prometheus", &["-o", target_text], &SAMPLES, 0);
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["mailsift.prom"]);
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        report("prometheus", &[], &SAMPLES, 0)
    );
}

/// Postfix lines whose recipient domains and client names were written by strangers: quotes,
/// backslashes, a line feed spelled out, terminal escapes, a bidirectional override, and bytes
/// that are not UTF-8.
fn hostile_log() -> Vec<u8> {
    let bounce = |domain: &str| {
        format!(
            "Nov 21 09:00:00 mx1 postfix/smtp[77]: 5E6F7A8B9C: to=<user@{domain}>, \
             relay=mx.example.org[192.0.2.9]:25, delay=1, delays=0/0/0.5/0.5, dsn=5.1.1, \
             status=bounced (host mx.example.org[192.0.2.9] said: 550 5.1.1 unknown user \
             (in reply to RCPT TO command))\n"
        )
        .into_bytes()
    };
    let reject = |client: &str| {
        format!(
            "Nov 21 09:00:01 mx1 postfix/smtpd[88]: NOQUEUE: reject: RCPT from \
             {client}[198.51.100.4]: 554 5.7.1 Service unavailable; Client host \
             [198.51.100.4] blocked using zen.spamhaus.org; from=<a@b.example> \
             to=<c@d.example> proto=ESMTP helo=<x>\n"
        )
        .into_bytes()
    };
    let mut log = Vec::new();
    log.extend(bounce("quo\"te.example"));
    log.extend(bounce("back\\slash.example"));
    log.extend(bounce("new\\nline.example"));
    log.extend(bounce("esc\x1b[31mape.example"));
    log.extend(bounce("bidi\u{202e}.example"));
    log.extend(bounce("end\\"));
    log.extend(reject("evil\"}x=\"y"));
    log.extend(reject("bell\x07\u{9b}2jhost\x1b\\"));
    let mut broken = bounce("BYTE.example");
    let at = broken.windows(4).position(|w| w == b"BYTE").unwrap();
    broken.splice(at..at + 4, [0xff, 0xfe, b'b', 0x80]);
    log.extend(broken);
    log
}

#[test]
fn text_written_by_strangers_stays_inside_its_label() {
    let dir = tempfile::tempdir().unwrap();
    let path = temp_file(dir.path(), "hostile.log", &hostile_log());
    let path = path.to_str().unwrap();
    let prometheus = report("prometheus", &[], &[path], 0);
    let json = report("json", &[], &[path], 0);
    assert_agrees_with_json(&prometheus, &json);
    for c in prometheus.chars() {
        assert!(c == '\n' || !c.is_control(), "raw {c:?} in {prometheus}");
    }
    for line in prometheus.lines() {
        assert!(
            line.starts_with("# ") || line.starts_with("mailsift_"),
            "a line made by log text: {line:?}"
        );
    }
    let samples = parse(&prometheus);
    assert_eq!(
        value(&samples, "mailsift_outcomes", &[("class", "5xx")]),
        Some(9.0)
    );
    let places: Vec<&str> = samples
        .iter()
        .filter(|s| s.name == "mailsift_destination_outcomes")
        .map(|s| s.labels["destination"].as_str())
        .collect();
    for expected in [
        "quo\"te.example",
        "back\\slash.example",
        "new\\nline.example",
        "esc\\x1b[31mape.example",
        "bidi\\u{202e}.example",
        "end\\",
        "evil\"}x=\"y",
        "bell\\x07\\x9b2jhost\\x1b\\",
        "\u{fffd}\u{fffd}b\u{fffd}.example",
    ] {
        assert!(places.contains(&expected), "{expected:?} not in {places:?}");
    }
    assert!(
        samples.iter().all(|s| !s.labels.contains_key("x")),
        "a label smuggled in"
    );
}

#[test]
fn snapshot_prometheus() {
    insta::assert_snapshot!(report(
        "prometheus",
        &["--fail-on", "5xx>10%", "--top", "3"],
        &[
            "tests/fixtures/postfix/shapes.log",
            "tests/fixtures/exim/mainlog-shapes.log"
        ],
        3
    ));
}

/// The output files the independent readers are given, each with the JSON report of the same
/// run: the samples with a `--fail-on` that holds, and the hostile log.
fn outputs_to_check(dir: &Path) -> Vec<(PathBuf, String)> {
    let hostile = temp_file(dir, "hostile.log", &hostile_log());
    let hostile = [hostile.to_str().unwrap()];
    let mut outputs = Vec::new();
    for (name, inputs, args, code) in [
        ("samples.prom", &SAMPLES[..], &["--fail-on", "5xx>1"][..], 3),
        ("hostile.prom", &hostile[..], &[][..], 0),
    ] {
        let text = report("prometheus", args, inputs, code);
        let path = temp_file(dir, name, text.as_bytes());
        outputs.push((path, report("json", args, inputs, code)));
    }
    outputs
}

#[test]
fn prometheus_client_reads_the_output() {
    let Some(python) = std::env::var_os("MAILSIFT_PYTHON") else {
        println!("skipped: MAILSIFT_PYTHON is not set, so prometheus_client is not at hand");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    for (path, json_text) in outputs_to_check(dir.path()) {
        let output = StdCommand::new(&python)
            .arg("tests/python/check_prometheus.py")
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}: {}",
            path.display(),
            String::from_utf8_lossy(&output.stderr)
        );
        let parsed: Value = serde_json::from_slice(&output.stdout).unwrap();
        let json: Value = serde_json::from_str(&json_text).unwrap();
        let families = parsed["families"].as_array().unwrap();
        let family = |name: &str| -> &Vec<Value> {
            families
                .iter()
                .find(|f| f["name"] == name)
                .unwrap_or_else(|| panic!("no {name}"))["samples"]
                .as_array()
                .unwrap()
        };
        let total = |name: &str| -> f64 {
            family(name)
                .iter()
                .map(|s| s["value"].as_f64().unwrap())
                .sum()
        };
        let outcomes = json["outcomes"].as_f64().unwrap();
        assert_eq!(family("mailsift_outcomes").len(), 4);
        assert_eq!(total("mailsift_outcomes"), outcomes);
        assert_eq!(total("mailsift_code_outcomes"), outcomes);
        assert_eq!(total("mailsift_reason_outcomes"), outcomes);
        assert_eq!(
            total("mailsift_lines"),
            json["lines"]["read"].as_f64().unwrap()
        );
        for sample in family("mailsift_outcomes") {
            let class = sample["labels"]["class"].as_str().unwrap();
            assert_eq!(
                sample["value"].as_f64(),
                json["by_class"][class].as_f64(),
                "{class}"
            );
        }
        // What our reader gets, the independent one gets too.
        let text = std::fs::read_to_string(&path).unwrap();
        for mine in parse(&text) {
            let theirs = family(&mine.name)
                .iter()
                .find(|s| {
                    s["labels"].as_object().unwrap().len() == mine.labels.len()
                        && mine
                            .labels
                            .iter()
                            .all(|(k, v)| s["labels"][k].as_str() == Some(v.as_str()))
                })
                .unwrap_or_else(|| panic!("{mine:?} not read by prometheus_client"));
            assert_eq!(theirs["value"].as_f64(), Some(mine.value), "{mine:?}");
        }
    }
}

#[test]
fn promtool_accepts_the_output() {
    let found = std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join("promtool").is_file()));
    if !found {
        println!("skipped: promtool is not on PATH");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for (path, _) in outputs_to_check(dir.path()) {
        let output = StdCommand::new("promtool")
            .args(["check", "metrics"])
            .stdin(std::fs::File::open(&path).unwrap())
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}: {}{}",
            path.display(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
}
