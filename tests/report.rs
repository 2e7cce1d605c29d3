//! `mailsift report` as a user runs it: every format pinned by a snapshot on the bundled
//! samples, its counts checked against `events`, `--fail-on` exit statuses, the line
//! accounting, `--redact`, and the smaller flags.

mod common;

use common::{run, temp_file};

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

const SAMPLES: [&str; 3] = [
    "samples/postfix-mail.log",
    "samples/postfix-mail.log.1.gz",
    "samples/exim-mainlog",
];

/// Runs `mailsift ARGS --year 2026 SAMPLES...`, expecting success, and returns stdout. The
/// year keeps year-less lines from depending on the files' modification times.
fn on_samples(args: &[&str]) -> String {
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--year", "2026"]);
    all.extend(SAMPLES);
    let (code, out, err) = run(&all);
    assert_eq!(code, 0, "{all:?}: {err}");
    assert!(err.is_empty(), "{all:?}: {err}");
    out
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

fn csv_maps(text: &str) -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            header
                .iter()
                .cloned()
                .zip(r.iter().map(str::to_string))
                .collect()
        })
        .collect()
}

/// The text without ANSI SGR sequences.
fn strip_ansi(text: &str) -> String {
    regex::Regex::new("\x1b\\[[0-9;]*m")
        .unwrap()
        .replace_all(text, "")
        .into_owned()
}

// --- 1. Snapshots of every format -------------------------------------------------------------

#[test]
fn snapshot_text() {
    insta::assert_snapshot!(on_samples(&[
        "report", "--format", "text", "--color", "never"
    ]));
}

#[test]
fn snapshot_csv() {
    insta::assert_snapshot!(on_samples(&["report", "--format", "csv"]));
}

#[test]
fn snapshot_csv_by_domain() {
    insta::assert_snapshot!(on_samples(&["report", "--format", "csv", "--by", "domain"]));
}

#[test]
fn snapshot_csv_by_reason() {
    insta::assert_snapshot!(on_samples(&["report", "--format", "csv", "--by", "reason"]));
}

#[test]
fn snapshot_json() {
    insta::assert_snapshot!(on_samples(&["report", "--format", "json"]));
}

#[test]
fn snapshot_markdown() {
    let out = on_samples(&["report", "--format", "markdown"]);
    insta::assert_snapshot!(out);
    assert!(!out.contains('\x1b'));
    assert_tables_well_formed(&out);
}

/// A file name is the operator's, but may hold what closes a code span or a table cell.
#[test]
fn a_file_name_with_a_backtick_or_a_pipe_keeps_the_markdown_whole() {
    let dir = tempfile::tempdir().unwrap();
    let log = std::fs::read("samples/postfix-mail.log").unwrap();
    let path = temp_file(dir.path(), "mail`x|y.log", &log);
    let (code, out, err) = run(&["report", "--format", "markdown", path.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert_tables_well_formed(&out);
    for line in out.lines() {
        assert_eq!(
            line.matches('`').count() % 2,
            0,
            "an open code span: {line}"
        );
    }
    assert!(out.contains(r"mail'x\|y.log:"), "{out}");
}

/// A remote server's reply is text: a backtick in it cannot open a code span in which the
/// escaped markup would show, nor join a later one.
#[test]
fn a_reply_with_backticks_stays_plain_text_in_markdown() {
    let dir = tempfile::tempdir().unwrap();
    let line = "Nov 21 08:00:04 mx1 postfix/smtp[4242]: 3F1A22C0B1: to=<a@b.example>, relay=mx.b.example[192.0.2.1]:25, delay=1.2, delays=0.1/0/0.6/0.5, dsn=5.1.1, status=bounced (host mx.b.example[192.0.2.1] said: 550 5.1.1 `<b>a|b</b>`: no such user (in reply to RCPT TO command))\n";
    let path = temp_file(dir.path(), "mail.log", line.as_bytes());
    let (code, out, err) = run(&[
        "report",
        "--year",
        "2026",
        "--format",
        "markdown",
        path.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert_tables_well_formed(&out);
    assert!(
        out.contains(r" \`&lt;b&gt;a\|b&lt;/b&gt;\`: no such user"),
        "{out}"
    );
    for line in out.lines() {
        let unescaped = line.replace(r"\`", "").matches('`').count();
        assert_eq!(unescaped % 2, 0, "an open code span: {line}");
    }
}

/// Every Markdown table row has as many unescaped cell separators as its header.
fn assert_tables_well_formed(markdown: &str) {
    let mut expected = None;
    for line in markdown.lines() {
        if !line.starts_with('|') {
            expected = None;
            continue;
        }
        let cells = line.replace(r"\|", "").matches('|').count();
        match expected {
            None => expected = Some(cells),
            Some(n) => assert_eq!(cells, n, "{line}"),
        }
    }
}

/// The colour snapshot, and what it must keep: colour only wraps our own words.
#[test]
fn snapshot_text_in_colour() {
    let coloured = on_samples(&["report", "--color", "always"]);
    insta::assert_snapshot!(coloured);
    let plain = on_samples(&["report", "--color", "never"]);
    assert!(coloured.contains('\x1b'));
    assert!(!plain.contains('\x1b'));
    // Colour adds escapes and nothing else.
    assert_eq!(strip_ansi(&coloured), plain);
    // Lines that carry text from the log, or names taken from it, are never coloured.
    for line in coloured.lines() {
        let trimmed = line.trim_start();
        let from_log = [
            "input ", "example ", "domains ", "clients ", "when ", "reason ", "meaning ", "seen ",
            "fix ",
        ]
        .iter()
        .any(|label| trimmed.starts_with(label));
        // Continuation lines of a wrapped paragraph are indented by 12.
        let continuation = line.starts_with("            ") && !line.starts_with("             ");
        if from_log || continuation {
            assert!(!line.contains('\x1b'), "{line:?}");
        }
    }
    // In the codes table only the code column is coloured; the destination never is.
    let table: Vec<&str> = coloured
        .lines()
        .skip_while(|l| !l.contains("Codes"))
        .skip(2)
        .take_while(|l| !l.contains("dir: out"))
        .collect();
    assert!(table.len() > 20);
    let span = regex::Regex::new("\x1b\\[([0-9;]+)m([^\x1b]*)\x1b\\[0m").unwrap();
    let code_label =
        regex::Regex::new(r"^((-|\d{3})?( ?\d\.\d{1,3}\.\d{1,3})?|\([2-5]xx\)) *$").unwrap();
    for line in table {
        let spans: Vec<_> = span.captures_iter(line).collect();
        assert_eq!(spans.len(), 1, "{line:?}");
        assert!(code_label.is_match(&spans[0][2]), "{line:?}");
        assert!(line.starts_with("  \x1b["), "{line:?}");
    }
    // No coloured span anywhere holds an address, a file name or an IP address.
    let ip = regex::Regex::new(r"\d+\.\d+\.\d+\.\d+").unwrap();
    let spans: Vec<String> = span
        .captures_iter(&coloured)
        .map(|c| c[2].to_string())
        .collect();
    assert!(spans.len() > 100);
    for text in &spans {
        assert!(
            !text.contains('@') && !text.contains("samples/") && !ip.is_match(text),
            "{text:?}"
        );
    }
}

// --- 2. Report counts equal the events ------------------------------------------------------

type CodeTriple = (String, String, String);

/// Whether an event row is one the report counts apart from the outcomes: a per-host refusal
/// or a reject warning.
fn set_apart(row: &BTreeMap<String, String>) -> bool {
    row["action"] == "refused" || row["action"] == "reject_warning"
}

/// Events per (class, reply code, enhanced code or else dsn), per-host refusals and reject
/// warnings left out as the report keeps them apart.
fn event_counts(events_csv: &str) -> BTreeMap<CodeTriple, u64> {
    let mut counts = BTreeMap::new();
    for row in csv_maps(events_csv) {
        if set_apart(&row) {
            continue;
        }
        *counts.entry(event_key(&row)).or_default() += 1;
    }
    counts
}

fn enhanced_or_dsn(row: &BTreeMap<String, String>) -> &str {
    if row["enhanced_code"].is_empty() {
        &row["dsn"]
    } else {
        &row["enhanced_code"]
    }
}

fn event_key(row: &BTreeMap<String, String>) -> CodeTriple {
    (
        row["class"].clone(),
        row["reply_code"].clone(),
        enhanced_or_dsn(row).to_string(),
    )
}

/// The report's count per (class, reply code, enhanced code). A row stands for one such
/// triple, except that outcomes without any code keep one row per reason.
fn report_csv_counts(report_csv: &str) -> BTreeMap<CodeTriple, u64> {
    let mut counts = BTreeMap::new();
    let mut seen = BTreeSet::new();
    for row in csv_maps(report_csv) {
        let key = (
            row["class"].clone(),
            row["reply_code"].clone(),
            row["enhanced_code"].clone(),
        );
        let codeless = key.1.is_empty() && key.2.is_empty();
        let reason = if codeless {
            row["reason"].clone()
        } else {
            String::new()
        };
        assert!(seen.insert((key.clone(), reason)), "two rows for {key:?}");
        *counts.entry(key).or_default() += row["count"].parse::<u64>().unwrap();
    }
    counts
}

#[test]
fn report_csv_counts_equal_event_counts() {
    for filters in [
        &[][..],
        &["--only", "5xx"][..],
        &["--direction", "inbound"][..],
    ] {
        let mut events_args = vec!["events"];
        events_args.extend(filters);
        let mut report_args = vec!["report", "--format", "csv"];
        report_args.extend(filters);
        let events = event_counts(&on_samples(&events_args));
        let report_csv = on_samples(&report_args);
        let report = report_csv_counts(&report_csv);
        assert!(report.len() > 5, "{filters:?}");
        assert_eq!(report, events, "{filters:?}");

        // Rows are in the fixed order, and shares add up to the whole.
        let rows = csv_maps(&report_csv);
        let counts: Vec<u64> = rows.iter().map(|r| r["count"].parse().unwrap()).collect();
        assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{filters:?}");
        let share: f64 = rows
            .iter()
            .map(|r| r["share"].parse::<f64>().unwrap())
            .sum();
        assert!((share - 1.0).abs() < 0.005, "{filters:?}: {share}");
    }
}

#[test]
fn csv_by_reason_covers_every_outcome() {
    // Every outcome has a reason, so the --by reason rows add up to all outcomes, and each
    // (class, reply code, enhanced code) adds up to its row without --by.
    let by_reason = csv_maps(&on_samples(&[
        "report", "--format", "csv", "--by", "reason",
    ]));
    let plain = report_csv_counts(&on_samples(&["report", "--format", "csv"]));
    let mut summed: BTreeMap<CodeTriple, u64> = BTreeMap::new();
    for row in &by_reason {
        let key = (
            row["class"].clone(),
            row["reply_code"].clone(),
            row["enhanced_code"].clone(),
        );
        *summed.entry(key).or_default() += row["count"].parse::<u64>().unwrap();
    }
    assert_eq!(summed, plain);
    let counts: Vec<u64> = by_reason
        .iter()
        .map(|r| r["count"].parse().unwrap())
        .collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]));
}

// --- 3. --fail-on -----------------------------------------------------------------------------

/// The Postfix sample alone: enough for exit statuses, and quicker than all three.
const ONE_SAMPLE: &str = "samples/postfix-mail.log";

#[test]
fn fail_on_met_exits_3_and_still_writes_the_report() {
    let (_, plain, _) = run(&["report", "--year", "2026", ONE_SAMPLE]);
    for condition in ["5xx>1%", "421>=1", "4.7.*>5", "permanent>10"] {
        let (code, out, err) = run(&[
            "report",
            "--year",
            "2026",
            "--fail-on",
            condition,
            ONE_SAMPLE,
        ]);
        assert_eq!(code, 3, "{condition}: {err}");
        assert!(err.is_empty(), "{condition}: {err}");
        assert!(
            out.contains(&format!("\n  {condition:<24} ")),
            "{condition}: {out}"
        );
        assert!(out.contains(" MET\n"), "{condition}");
        // The report is the one without --fail-on, with the thresholds section added.
        let (before, after) = out.split_once("\nThresholds (--fail-on)\n").unwrap();
        assert!(plain.starts_with(before), "{condition}");
        assert!(
            plain.ends_with(after.split_once('\n').unwrap().1),
            "{condition}"
        );
    }
}

#[test]
fn fail_on_not_met_exits_0() {
    // Exit 0 with several conditions means none of them holds.
    let (code, out, err) = run(&[
        "report",
        "--year",
        "2026",
        "--fail-on",
        "5xx>99%",
        "--fail-on",
        "599>=1",
        "--fail-on",
        "3xx>=1",
        "--fail-on",
        "5.7.999>0",
        "--fail-on",
        "permanent>100000",
        ONE_SAMPLE,
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.matches(" not met\n").count(), 5, "{out}");
    assert!(!out.contains(" MET\n"));
}

#[test]
fn fail_on_counts_match_the_events() {
    let events = csv_maps(&on_samples(&["events"]));
    let outcomes: Vec<_> = events.iter().filter(|r| !set_apart(r)).collect();
    let count = |keep: &dyn Fn(&BTreeMap<String, String>) -> bool| {
        outcomes.iter().filter(|r| keep(r)).count() as u64
    };
    let four_seven = count(&|r| enhanced_or_dsn(r).starts_with("4.7."));
    let code_421 = count(&|r| r["reply_code"] == "421");
    let permanent = count(&|r| r["permanence"] == "permanent");
    let five = count(&|r| r["class"] == "5xx");
    assert!(four_seven > 5 && code_421 > 1 && permanent > 10);
    let mut args = vec!["report", "--format", "json", "--year", "2026"];
    for condition in ["4.7.*>5", "421>=1", "permanent>10", "5xx>99%", "5xx>1%"] {
        args.extend(["--fail-on", condition]);
    }
    args.extend(SAMPLES);
    let (code, out, _) = run(&args);
    assert_eq!(code, 3);
    let got: Vec<(String, u64, bool)> = json(&out)["thresholds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["condition"].as_str().unwrap().to_string(),
                t["count"].as_u64().unwrap(),
                t["met"].as_bool().unwrap(),
            )
        })
        .collect();
    let expected: Vec<(String, u64, bool)> = [
        ("4.7.*>5", four_seven, true),
        ("421>=1", code_421, true),
        ("permanent>10", permanent, true),
        ("5xx>99%", five, false),
        ("5xx>1%", five, true),
    ]
    .into_iter()
    .map(|(c, n, m)| (c.to_string(), n, m))
    .collect();
    assert_eq!(got, expected);
}

#[test]
fn fail_on_bad_condition_is_a_usage_error() {
    // 999 is not a reply code (the first digit is 2 to 5), as for --only.
    for condition in [
        "bogus", "5xx", "5xx>", "5xx>x", "6xx>1", "999>=1", "5xx>101%", "5xx<1",
    ] {
        let (code, out, err) = run(&["report", "--fail-on", condition, ONE_SAMPLE]);
        assert_eq!(code, 2, "{condition}");
        assert!(out.is_empty(), "{condition}");
        assert!(err.contains("--fail-on"), "{condition}: {err}");
    }
}

#[test]
fn an_unreadable_input_wins_over_a_met_threshold() {
    let (code, out, err) = run(&[
        "report",
        "--year",
        "2026",
        "--fail-on",
        "421>=1",
        "no/such/mail.log",
        ONE_SAMPLE,
    ]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("no/such/mail.log"), "{err}");
    assert!(out.contains("  input    no/such/mail.log (COULD NOT BE OPENED)\n"));
    assert!(out.contains(" MET\n"));
}

/// Two trials of a new restriction under `warn_if_reject`, then one real reject.
const WARNINGS: &str = "\
Nov 21 08:07:12 mx1 postfix/smtpd[2214]: NOQUEUE: reject_warning: RCPT from unknown[198.51.100.56]: 450 4.7.1 Client host rejected: cannot find your reverse hostname, [198.51.100.56]; from=<x@y.example> to=<alice@example.com> proto=ESMTP helo=<y.example>
Nov 21 08:09:40 mx1 postfix/smtpd[2230]: NOQUEUE: reject_warning: RCPT from unknown[198.51.100.61]: 450 4.7.1 Client host rejected: cannot find your reverse hostname, [198.51.100.61]; from=<z@w.example> to=<bob@example.com> proto=ESMTP helo=<w.example>
Nov 21 08:10:02 mx1 postfix/smtpd[2231]: NOQUEUE: reject: RCPT from unknown[203.0.113.9]: 554 5.7.1 <x@elsewhere.example>: Relay access denied; from=<spam@203.0.113.9> to=<x@elsewhere.example> proto=ESMTP helo=<203.0.113.9>
";

#[test]
fn reject_warnings_are_reported_apart_and_never_trip_thresholds() {
    let dir = tempfile::tempdir().unwrap();
    let log = temp_file(dir.path(), "warn.log", WARNINGS.as_bytes());
    let log = log.to_str().unwrap();
    let report = |extra: &[&str]| {
        let mut args = vec!["report", "--year", "2026"];
        args.extend(extra);
        args.push(log);
        run(&args)
    };
    let (code, out, err) = report(&["--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let summary = json(&out);
    // Only the real reject is an outcome; the client never saw the 450.
    assert_eq!(summary["outcomes"], 1);
    assert_eq!(summary["by_class"]["4xx"], 0);
    assert_eq!(summary["by_class"]["5xx"], 1);
    assert_eq!(summary["lines"]["reject_warnings"], 2);
    assert_eq!(summary["lines"]["events"], 3);
    let warnings = summary["reject_warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0]["reply_code"], 450);
    assert_eq!(warnings[0]["count"], 2);
    assert!(
        summary["codes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["reply_code"] != 450)
    );

    // A threshold on the warned code is not met; one on the real reject is.
    let (code, out, _) = report(&["--fail-on", "4xx>=1", "--fail-on", "4.7.1>=1"]);
    assert_eq!(code, 0, "{out}");
    let (code, _, _) = report(&["--fail-on", "5xx>=1"]);
    assert_eq!(code, 3);

    let (_, text, _) = report(&[]);
    let section = &text[text
        .find("Reject warnings (logged only, not sent)")
        .expect(&text)..];
    assert!(section.contains("450 4.7.1"), "{section}");
    assert!(section.contains("198.51.100.56"), "{section}");
    assert!(text.contains("            2  reject warnings\n"), "{text}");
    let (_, markdown, _) = report(&["--format", "markdown"]);
    assert!(
        markdown.contains("## Reject warnings (logged only, not sent)\n"),
        "{markdown}"
    );
    assert!(markdown.contains("| 450 | 4.7.1 | 2 |"), "{markdown}");
}

#[test]
fn the_span_is_that_of_every_line_read_not_only_the_outcomes() {
    let dir = tempfile::tempdir().unwrap();
    // The log starts and ends with lines of other programs and lines without an outcome.
    let text = format!(
        "Nov 21 07:58:00 mx1 dovecot: imap-login: Login: user=<alice@example.com>\n\
         Nov 21 08:00:00 mx1 postfix/smtpd[2210]: connect from unknown[198.51.100.56]\n\
         {WARNINGS}\
         Nov 21 08:15:30 mx1 postfix/anvil[2300]: statistics: max connection rate 1/60s\n"
    );
    let log = temp_file(dir.path(), "span.log", text.as_bytes());
    let log = log.to_str().unwrap();
    let (code, out, err) = run(&["report", "--year", "2026", log]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("  span     2026-11-21T07:58:00 .. 2026-11-21T08:15:30\n"),
        "{out}"
    );
    let (_, out, _) = run(&["report", "--year", "2026", "--format", "json", log]);
    let summary = json(&out);
    assert_eq!(summary["read_from"], "2026-11-21T07:58:00");
    assert_eq!(summary["read_to"], "2026-11-21T08:15:30");
    // The outcomes keep their own span.
    assert_eq!(summary["first_seen"], "2026-11-21T08:10:02");
    // With a window, the span is that of the lines inside it.
    let (_, windowed, _) = run(&[
        "report",
        "--year",
        "2026",
        "--since",
        "2026-11-21T08:00",
        "--until",
        "2026-11-21T08:12",
        log,
    ]);
    assert!(
        windowed.contains("  span     2026-11-21T08:00:00 .. 2026-11-21T08:10:02\n"),
        "{windowed}"
    );
    // A line written out of time order cannot put an outcome outside the span.
    let late = format!(
        "{text}Nov 21 08:20:00 mx1 postfix/smtpd[2232]: NOQUEUE: reject: RCPT from unknown[203.0.113.9]: 554 5.7.1 <y@elsewhere.example>: Relay access denied; from=<spam@203.0.113.9> to=<y@elsewhere.example> proto=ESMTP helo=<203.0.113.9>\n\
         Nov 21 08:16:00 mx1 postfix/anvil[2300]: statistics: max cache size 1\n"
    );
    let late = temp_file(dir.path(), "late.log", late.as_bytes());
    let (_, out_of_order, _) = run(&["report", "--year", "2026", late.to_str().unwrap()]);
    assert!(
        out_of_order.contains("  span     2026-11-21T07:58:00 .. 2026-11-21T08:20:00\n"),
        "{out_of_order}"
    );
    let summary_file = temp_file(dir.path(), "span.json", out.as_bytes());
    let (code, merged, err) = run(&["merge", summary_file.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(
        merged.contains("  span     2026-11-21T07:58:00 .. 2026-11-21T08:15:30\n"),
        "{merged}"
    );
}

const POSTSCREEN: &str = "tests/fixtures/postfix/postscreen.log";

/// The JSON summary of `file` read with `extra` options, which must succeed.
fn json_summary(extra: &[&str], file: &str) -> Value {
    let mut args = vec!["report", "--year", "2026", "--format", "json"];
    args.extend(extra);
    args.push(file);
    let (code, out, err) = run(&args);
    assert_eq!(code, 0, "{err}");
    json(&out)
}

#[test]
fn postscreen_verdicts_are_summed_up_apart_from_the_outcomes() {
    let summary = |extra: &[&str]| json_summary(extra, POSTSCREEN);
    let all = summary(&[]);
    let verdicts = &all["postscreen"]["verdicts"];
    for (verdict, count) in [
        ("connect", 1),
        ("pass_new", 2),
        ("pass_old", 0),
        ("allowlist_veto", 1),
        ("denylisted", 2),
        ("dnsbl", 1),
        ("pregreet", 1),
        ("hangup", 1),
        // A hang-up after the handshake, then PASS NEW: not a failed test.
        ("late_hangup", 1),
        ("pipelining", 1),
        ("non_smtp", 1),
        ("bare_newline", 1),
        ("command_limit", 3),
    ] {
        assert_eq!(verdicts[verdict], count, "{verdict}: {verdicts}");
    }
    assert_eq!(all["postscreen"]["failed"], 11);
    assert_eq!(
        all["postscreen"]["top_failing_clients"][0]["name"],
        "203.0.113.7"
    );
    assert_eq!(all["postscreen"]["top_failing_clients"][0]["count"], 2);
    assert_eq!(
        all["postscreen"]["top_lists"],
        serde_json::json!([
            {"name": "zen.spamhaus.org", "count": 2},
            {"name": "b.barracudacentral.org", "count": 1},
        ])
    );
    // The rejects postscreen logs are outcomes as before; its verdicts are not.
    assert_eq!(all["outcomes"], 6);
    // Its 450 after the after-greeting tests is a "come back", not an outage.
    let come_back = all["codes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["reply_code"] == 450 && row["enhanced_code"] == "4.3.2")
        .expect("the 450 4.3.2 row");
    assert_eq!(come_back["reason"], "greylisted", "{come_back}");
    assert!(
        come_back["fix"].as_str().unwrap().contains("PASS NEW"),
        "{come_back}"
    );
    let lines = lines_of(&all);
    assert_accounted(&lines, "postscreen");
    assert_eq!(lines["no_outcome"], 22);

    // Verdicts have no code and are about clients: --only and outbound leave them out.
    for extra in [&["--only", "5xx"][..], &["--direction", "outbound"]] {
        let filtered = summary(extra);
        assert_eq!(filtered["postscreen"]["failed"], 0, "{extra:?}");
        assert_eq!(
            filtered["postscreen"]["verdicts"]["connect"], 0,
            "{extra:?}"
        );
    }
    let window = summary(&[
        "--since",
        "2026-11-21T08:00:06",
        "--until",
        "2026-11-21T08:00:08",
    ]);
    assert_eq!(window["postscreen"]["verdicts"]["pipelining"], 1);
    assert_eq!(window["postscreen"]["verdicts"]["pregreet"], 0);

    // A merged summary keeps them.
    let dir = tempfile::tempdir().unwrap();
    let file = temp_file(dir.path(), "ps.json", all.to_string().as_bytes());
    let (code, merged, err) = run(&["merge", "--format", "json", file.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(json(&merged)["postscreen"], all["postscreen"]);

    let (_, text, _) = run(&["report", "--year", "2026", POSTSCREEN]);
    let section = &text[text.find("Connection screening (postscreen)").expect(&text)..];
    assert!(
        section.contains("    dnsbl                    1  "),
        "{section}"
    );
    assert!(
        section.contains("  failed a test             11  "),
        "{section}"
    );
}

const DIAGNOSTICS: &str = "tests/fixtures/postfix/diagnostics.log";

/// The row of `top` of a tier (`("severity", "fatal")`) and kind, which must be there.
fn kind_row<'a>(top: &'a [Value], (tier_key, tier): (&str, &str), kind: &str) -> &'a Value {
    top.iter()
        .find(|row| row[tier_key] == tier && row["kind"] == kind)
        .unwrap_or_else(|| panic!("no {tier} {kind:?} in {top:#?}"))
}

/// Merging `summary` alone gives back its `section` unchanged.
fn assert_merge_keeps(summary: &Value, section: &str) {
    let dir = tempfile::tempdir().unwrap();
    let file = temp_file(dir.path(), "summary.json", summary.to_string().as_bytes());
    let (code, merged, err) = run(&["merge", "--format", "json", file.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(json(&merged)[section], summary[section]);
}

#[test]
fn the_mtas_own_warnings_and_errors_are_summed_up_by_kind() {
    let summary = |extra: &[&str]| json_summary(extra, DIAGNOSTICS);
    let all = summary(&[]);
    let diagnostics = &all["diagnostics"];
    assert_eq!(
        diagnostics["lines"],
        serde_json::json!({"panic": 1, "fatal": 4, "error": 2, "warning": 24}),
    );
    // The two refusals written as warnings (a failed login, a rate limit) stay outcomes, with
    // the sent line and the reject.
    assert_eq!(all["outcomes"], 4);
    let lines = lines_of(&all);
    assert_accounted(&lines, "diagnostics");
    assert_eq!(lines["no_outcome"], 39);

    // Worst first; lines that differ only in names, addresses and numbers are one kind.
    let top = diagnostics["top"].as_array().unwrap();
    assert_eq!(top[0]["severity"], "panic");
    let kind = |severity: &str, kind: &str| kind_row(top, ("severity", severity), kind);
    let fatal = kind(
        "fatal",
        "open /etc/postfix/main.cf: No such file or directory",
    );
    assert_eq!(fatal["count"], 2);
    assert_eq!(fatal["program"], "postfix/smtpd");
    assert_eq!(fatal["example"]["line"], 28);
    assert!(fatal["advice"].as_str().unwrap().contains("missing"));
    let unresolved = kind(
        "warning",
        "hostname <host> does not resolve to address <ip>: Name or service not known",
    );
    assert_eq!(unresolved["count"], 2);
    assert_eq!(unresolved["example"]["line"], 4);
    // A header check's WARN is a rule's doing, summed up with the other rules' actions.
    assert_eq!(all["diverted"]["lines"]["warn"], 2);
    assert_eq!(
        kind(
            "warning",
            "process /usr/lib/postfix/sbin/smtpd pid <n> exit status <n>"
        )["count"],
        2
    );
    // No mailbox survives in a kind.
    let kinds = serde_json::to_string(top).unwrap();
    assert!(!kinds.contains("\"kind\":\"virtual_alias_maps map lookup problem for bob@"));

    // They have no code and no direction: --only and --direction leave them out.
    for extra in [
        &["--only", "5xx"][..],
        &["--direction", "outbound"],
        &["--direction", "inbound"],
    ] {
        let filtered = summary(extra);
        assert_eq!(filtered["diagnostics"]["lines"]["warning"], 0, "{extra:?}");
        assert!(
            filtered["diagnostics"]["top"]
                .as_array()
                .unwrap()
                .is_empty()
        );
    }
    let window = summary(&["--since", "2026-11-21T08:01", "--until", "2026-11-21T08:02"]);
    assert_eq!(
        window["diagnostics"]["lines"],
        serde_json::json!({"panic": 1, "fatal": 3, "error": 2, "warning": 1}),
    );
    // --top bounds the kinds of each severity; --examples 0 drops the example lines.
    let one = summary(&["--top", "1", "--examples", "0"]);
    let rows = one["diagnostics"]["top"].as_array().unwrap();
    assert_eq!(rows.len(), 4, "{rows:#?}");
    assert!(rows.iter().all(|row| row["example"].is_null()));

    // A merged summary keeps them, examples included.
    assert_merge_keeps(&all, "diagnostics");

    let (_, text, _) = run(&["report", "--year", "2026", DIAGNOSTICS]);
    let section = &text[text
        .find("Warnings and errors logged by the MTA")
        .expect(&text)..];
    assert!(section.contains("\n  fatal            4  "), "{section}");
    assert!(
        section.contains(
            "\n  fatal            2  postfix/smtpd: open /etc/postfix/main.cf: No such file or directory\n"
        ),
        "{section}"
    );
    assert!(
        section.contains("example tests/fixtures/postfix/diagnostics.log:28"),
        "{section}"
    );
    let (_, prometheus, _) = run(&[
        "report",
        "--year",
        "2026",
        "--format",
        "prometheus",
        DIAGNOSTICS,
    ]);
    assert!(prometheus.contains("mailsift_mta_problems{severity=\"fatal\"} 4\n"));
}

const EXIM_PROBLEMS: &str = "tests/fixtures/exim/problems.log";

#[test]
fn what_exim_says_of_itself_and_the_mail_it_froze_are_summed_up() {
    let all = json_summary(&[], EXIM_PROBLEMS);
    let lines = lines_of(&all);
    assert_accounted(&lines, "exim problems");
    // A crashed local_scan() is this host's error, with its advice (the client it refused has
    // no line of its own).
    assert_eq!(lines["unmatched"], 0);

    // Exim writes no severity word: it comes from what the sentence says.
    let diagnostics = &all["diagnostics"];
    assert_eq!(
        diagnostics["lines"],
        serde_json::json!({"panic": 0, "fatal": 8, "error": 26, "warning": 10}),
    );
    let top = diagnostics["top"].as_array().unwrap();
    let kind = |severity: &str, kind: &str| kind_row(top, ("severity", severity), kind);
    let abandoned = kind(
        "fatal",
        "socket bind() to port 25 for address (any IPv4) failed: Address already in use: \
         daemon abandoned",
    );
    assert_eq!(abandoned["program"], "exim");
    assert_eq!(abandoned["example"]["line"], 50);
    assert!(abandoned["advice"].as_str().unwrap().contains("ss -ltnp"));
    // The client, its port and the fields around it are folded; the TLS library's words stay.
    let tls = kind(
        "warning",
        "TLS error on connection from <host> (gnutls_handshake): An unexpected TLS packet was \
         received.",
    );
    assert!(
        tls["advice"]
            .as_str()
            .unwrap()
            .contains("tls_require_ciphers")
    );
    // What a client sent after AUTH (a password, base64-encoded) never reaches a kind.
    kind(
        "warning",
        "SMTP protocol error in \"AUTH …\" <host> AUTH command used when not advertised",
    );
    // A message id in a spool file's name does not split a kind per message.
    kind("error", "Format error in spool file <id>-H: size=<n>");
    // Postfix's advice does not answer an Exim line.
    let dkim = kind("error", "DKIM: signing failed: PRIVKEY");
    assert!(
        dkim["advice"]
            .as_str()
            .unwrap()
            .contains("dkim_private_key")
    );

    // Each freeze counts once, whichever way Exim wrote it; `Message is frozen`, written again
    // on each queue run, and thawing do not.
    let diverted = &all["diverted"];
    assert_eq!(diverted["lines"]["freeze"], 9);
    let frozen = diverted["top"].as_array().unwrap();
    let bounce = kind_row(
        frozen,
        ("action", "freeze"),
        "Frozen (delivery error message)",
    );
    assert_eq!(bounce["example"]["line"], 14);
    // A system filter's own words follow the freeze, often with the subject in them.
    kind_row(frozen, ("action", "freeze"), "Frozen by the system filter");
    let (_, text, _) = run(&["report", "--color", "never", EXIM_PROBLEMS]);
    assert!(text.contains("exiqgrep -z -i"), "{text}");
    assert!(text.contains("Messages held, frozen, discarded or redirected"));

    assert_merge_keeps(&all, "diagnostics");
    assert_merge_keeps(&all, "diverted");

    // The panic log: a configuration error is two lines, the second indented, without a time.
    let panics = json_summary(&[], "tests/fixtures/exim/paniclog");
    let panic_lines = lines_of(&panics);
    assert_accounted(&panic_lines, "paniclog");
    assert_eq!(panic_lines["unmatched"], 0);
    assert_eq!(panics["diagnostics"]["lines"]["fatal"], 7);
    kind_row(
        panics["diagnostics"]["top"].as_array().unwrap(),
        ("severity", "fatal"),
        "Exim configuration error in line <n> of /etc/exim4/exim4.conf:",
    );
}

#[test]
fn starts_reloads_and_stops_of_the_mta_are_summed_up() {
    let postfix = json_summary(&[], DIAGNOSTICS);
    let restarts = &postfix["restarts"];
    assert_eq!(
        restarts["lines"],
        serde_json::json!({"start": 2, "reload": 1, "stop": 1})
    );
    let top = restarts["top"].as_array().unwrap();
    // An upgrade shows as a second kind of start.
    let first = kind_row(top, ("event", "start"), "daemon started: 3.7.11");
    assert_eq!(first["program"], "postfix/master");
    assert_eq!(first["example"]["line"], 2);
    kind_row(top, ("event", "start"), "daemon started: 3.8.4");
    kind_row(top, ("event", "stop"), "terminating on signal 15");
    // The timeline marks the hours they happened in, with a row of their own where no outcome
    // fell.
    assert_eq!(
        restarts["hours"],
        serde_json::json!([
            {"hour": "2026-11-21T07:00", "lines": 1},
            {"hour": "2026-11-21T08:00", "lines": 3},
        ])
    );
    let (_, text, _) = run(&["report", "--year", "2026", "--color", "never", DIAGNOSTICS]);
    let timeline = &text[text.find("Failures per hour").expect(&text)..];
    assert!(
        timeline.contains("2026-11-21 07:00       0       0    ↻ 1\n"),
        "{timeline}"
    );
    assert!(timeline.contains("█  ↻ 3\n"), "{timeline}");
    let (_, page, _) = run(&["report", "--year", "2026", "--format", "html", DIAGNOSTICS]);
    assert!(page.contains("<line class=\"restart\""));
    // The Markdown report pastes the same timeline into a review, as a table.
    let (_, markdown, _) = run(&[
        "report",
        "--year",
        "2026",
        "--format",
        "markdown",
        DIAGNOSTICS,
    ]);
    let table = &markdown[markdown.find("## Failures per hour\n").expect(&markdown)..];
    assert!(
        table.contains("| hour | 4xx | 5xx | MTA starts, reloads, stops |\n"),
        "{table}"
    );
    assert!(
        table.contains("| 2026-11-21 07:00 | 0 | 0 | 1 |\n"),
        "{table}"
    );
    assert!(table.contains(" | 3 |\n"), "{table}");
    assert_merge_keeps(&postfix, "restarts");
    assert_accounted(&lines_of(&postfix), "restarts");

    // Exim writes a start again just after each SIGHUP: that start is the reload's, also when
    // the two lines fall in different chunks.
    let exim = json_summary(&[], EXIM_PROBLEMS);
    assert_eq!(
        exim["restarts"]["lines"],
        serde_json::json!({"start": 1, "reload": 2, "stop": 0})
    );
    for chunk_size in ["100", "333", "4096"] {
        let cut = json_summary(&["--chunk-size", chunk_size], EXIM_PROBLEMS);
        assert_eq!(
            cut["restarts"], exim["restarts"],
            "--chunk-size {chunk_size}"
        );
    }
    let (_, prometheus, _) = run(&["report", "--format", "prometheus", EXIM_PROBLEMS]);
    assert!(prometheus.contains("mailsift_mta_restarts{event=\"reload\"} 2\n"));
    // A start has no code and no direction: the time window applies, --only and --direction
    // leave it out.
    let later = json_summary(&["--since", "2024-05-14T07:00"], EXIM_PROBLEMS);
    assert_eq!(later["restarts"]["lines"]["start"], 0);
    let outbound = json_summary(&["--direction", "outbound"], EXIM_PROBLEMS);
    assert_eq!(outbound["restarts"]["lines"]["reload"], 0);
    let (_, text, _) = run(&["report", "--color", "never", EXIM_PROBLEMS]);
    assert!(
        text.contains("Starts, reloads and stops of the MTA"),
        "{text}"
    );
}

const DIVERTED: &str = "tests/fixtures/postfix/diverted.log";

#[test]
fn messages_rules_held_discarded_or_redirected_are_summed_up_apart() {
    let summary = |extra: &[&str]| json_summary(extra, DIVERTED);
    let all = summary(&[]);
    let diverted = &all["diverted"];
    assert_eq!(
        diverted["lines"],
        serde_json::json!({"hold": 3, "freeze": 0, "discard": 3, "redirect": 1, "warn": 0}),
    );
    // The client saw none of them refused: only the reject is an outcome.
    assert_eq!(all["outcomes"], 1);
    let lines = lines_of(&all);
    assert_accounted(&lines, "diverted");
    assert_eq!(lines["no_outcome"], 10);
    let top = diverted["top"].as_array().unwrap();
    let kind = |action: &str, kind: &str| kind_row(top, ("action", action), kind);
    let discarded = kind(
        "discard",
        "RCPT from <host>[<ip>]: <address>: Recipient address triggers DISCARD action",
    );
    assert_eq!(discarded["count"], 2);
    assert_eq!(discarded["program"], "postfix/smtpd");
    assert_eq!(discarded["example"]["line"], 4);
    // A header check is told apart by the text its author gave the rule, and a redirect by
    // its target.
    let held = kind("hold", "header Subject: …: quarantined for review");
    assert_eq!(held["count"], 2);
    assert_eq!(
        held["example"]["text"],
        "header Subject: Invoice 88213 attached from mail.sender.example[192.0.2.40]: \
         quarantined for review"
    );
    let redirect = "header X-Spam-Flag: …: spamtrap@example.org";
    assert_eq!(kind("redirect", redirect)["count"], 1);

    // No code and no direction (a rule acts on mail coming in and going out alike): --only
    // and --direction leave them out.
    for extra in [
        &["--only", "5xx"][..],
        &["--direction", "outbound"],
        &["--direction", "inbound"],
    ] {
        let filtered = summary(extra);
        assert_eq!(filtered["diverted"]["lines"]["hold"], 0, "{extra:?}");
    }

    assert_merge_keeps(&all, "diverted");

    let (_, text, _) = run(&["report", "--year", "2026", DIVERTED]);
    let section = &text[text
        .find("Messages held, frozen, discarded or redirected")
        .expect(&text)..];
    assert!(section.contains("\n  hold             3  "), "{section}");
    assert!(section.contains("postsuper -H"), "{section}");
    // Both sections' tables keep their shape, with and without a column of advice.
    let (_, markdown, _) = run(&[
        "report",
        "--year",
        "2026",
        "--format",
        "markdown",
        DIVERTED,
        DIAGNOSTICS,
    ]);
    assert!(markdown.contains("| action | lines | program | kind | first line |\n"));
    assert_tables_well_formed(&markdown);
    let (_, prometheus, _) = run(&[
        "report",
        "--year",
        "2026",
        "--format",
        "prometheus",
        DIVERTED,
    ]);
    assert!(prometheus.contains("mailsift_diverted_lines{action=\"discard\"} 3\n"));
}

// --- 4. Every line is accounted for ---------------------------------------------------------

/// Lines of other programs, blank lines, one outcome, bookkeeping and two unmatched lines.
const FOREIGN: &str = "\
Nov 21 08:00:01 mx1 dovecot: imap-login: Login: user=<alice@example.org>, method=PLAIN, rip=192.0.2.5, lip=192.0.2.1, mpid=1234, TLS
Nov 21 08:00:02 mx1 opendkim[812]: 4AB12C3D4E: DKIM-Signature field added (s=mail, d=example.org)

Nov 21 08:00:03 mx1 amavis[2210]: (02210-01) Passed CLEAN {RelayedInbound}, [192.0.2.7]:41234 <bob@example.net> -> <carol@example.org>, Message-ID: <x@y>, mail_id: abc, Hits: -1.2, size: 2048, queued_as: 5E6F7A8B9C, 120 ms
Nov 21 08:00:04 mx1 CRON[3141]: (root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)
Nov 21 08:00:05 mx1 kernel: [123456.789012] IPv4: martian source 192.0.2.1 from 192.0.2.2, on dev eth0
   
Nov 21 08:00:06 mx1 postfix/smtp[77]: 5E6F7A8B9C: to=<user@example.org>, relay=mx.example.org[192.0.2.9]:25, delay=1, delays=0/0/0.5/0.5, dsn=5.1.1, status=bounced (host mx.example.org[192.0.2.9] said: 550 5.1.1 <user@example.org>: unknown user (in reply to RCPT TO command))
Nov 21 08:00:07 mx1 dovecot: lmtp(carol@example.org)<4242><abc>: saved mail to INBOX
Nov 21 08:00:08 mx1 postfix/qmgr[70]: 5E6F7A8B9C: removed

Nov 21 08:00:09 mx1 postfix/smtp[77]: 5E6F7A8B9C: something status=frobnicated (mystery)
a torn piece of a line | with a pipe
";

fn lines_of(summary: &Value) -> BTreeMap<String, u64> {
    summary["lines"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_u64().unwrap()))
        .collect()
}

fn assert_accounted(lines: &BTreeMap<String, u64>, what: &str) {
    let buckets = lines["events"]
        + lines["no_outcome"]
        + lines["other_programs"]
        + lines["unmatched"]
        + lines["filtered_out"]
        + lines["over_long"];
    assert_eq!(lines["read"], buckets, "{what}: {lines:?}");
    assert!(lines["read"] > 0, "{what}");
    assert!(lines["refusals"] <= lines["events"], "{what}");
}

#[test]
fn every_line_lands_in_exactly_one_bucket() {
    let dir = tempfile::tempdir().unwrap();
    let foreign = temp_file(dir.path(), "foreign.log", FOREIGN.as_bytes());
    let foreign = foreign.to_str().unwrap();
    let (_, alone, _) = run(&["report", "--format", "json", "--year", "2026", foreign]);
    let alone = lines_of(&json(&alone));
    assert_eq!(alone["read"], 13);
    assert_eq!(alone["events"], 1);
    assert_eq!(alone["other_programs"], 6);
    assert_eq!(alone["unmatched"], 2);
    assert_accounted(&alone, "foreign alone");

    let mut all_read = 0;
    for filters in [
        &[][..],
        &["--since", "2026-11-21T00:00", "--until", "2026-11-21T12:00"][..],
        &["--only", "5xx,4.7.*"][..],
    ] {
        let mut args = vec!["report", "--format", "json", "--year", "2026"];
        args.extend(filters);
        args.extend(SAMPLES);
        args.push(foreign);
        let (code, out, err) = run(&args);
        assert_eq!(code, 0, "{err}");
        let summary = json(&out);
        let lines = lines_of(&summary);
        assert_accounted(&lines, &format!("{filters:?}"));
        // Filters move lines between buckets; they never change what was read.
        if filters.is_empty() {
            all_read = lines["read"];
            assert_eq!(lines["filtered_out"], 0);
        } else {
            assert_eq!(lines["read"], all_read, "{filters:?}");
            assert!(lines["filtered_out"] > 0, "{filters:?}");
        }
        assert!(lines["other_programs"] >= alone["other_programs"]);
        assert!(lines["unmatched"] >= alone["unmatched"]);
        // Outcomes, refusals and reject warnings together are the lines that gave a kept
        // event.
        assert_eq!(
            summary["outcomes"].as_u64().unwrap() + lines["refusals"] + lines["reject_warnings"],
            lines["events"],
            "{filters:?}"
        );
    }
}

#[test]
fn text_and_markdown_footers_agree_with_json() {
    let dir = tempfile::tempdir().unwrap();
    let foreign = temp_file(dir.path(), "foreign.log", FOREIGN.as_bytes());
    let inputs = [
        foreign.to_str().unwrap(),
        "tests/fixtures/postfix/shapes.log",
        "tests/fixtures/exim/mainlog-shapes.log",
    ];
    let report = |format: &str| {
        let mut args = vec!["report", "--year", "2026", "--format", format];
        args.extend(inputs);
        let (code, out, err) = run(&args);
        assert_eq!(code, 0, "{err}");
        out
    };
    let lines = lines_of(&json(&report("json")));
    assert!(lines["refusals"] > 0 && lines["reject_warnings"] > 0 && lines["unmatched"] > 0);
    let outcomes = lines["events"] - lines["refusals"] - lines["reject_warnings"];
    let text = report("text");
    let footer = &text[text.rfind("\nLines\n").unwrap()..];
    let expected = format!(
        "\nLines\n{:>13}  read\n{:>13}  SMTP outcomes\n{:>13}  per-host refusals\n\
         {:>13}  reject warnings\n{:>13}  without an outcome\n{:>13}  of other programs\n\
         {:>13}  unmatched (--unmatched lists them)\n{:>13}  left out by filters\n\
         {:>13}  over-long\n",
        lines["read"],
        outcomes,
        lines["refusals"],
        lines["reject_warnings"],
        lines["no_outcome"],
        lines["other_programs"],
        lines["unmatched"],
        lines["filtered_out"],
        lines["over_long"],
    );
    assert_eq!(footer, expected);
    let markdown = report("markdown");
    let footer = &markdown[markdown.rfind("\n## Lines\n").unwrap()..];
    for (label, count) in [
        ("read", lines["read"]),
        ("SMTP outcomes", outcomes),
        ("per-host refusals", lines["refusals"]),
        ("reject warnings", lines["reject_warnings"]),
        ("without an outcome", lines["no_outcome"]),
        ("of other programs", lines["other_programs"]),
        ("unmatched", lines["unmatched"]),
        ("left out by filters", lines["filtered_out"]),
        ("over-long", lines["over_long"]),
    ] {
        assert!(
            footer.contains(&format!("\n| {label} | {count} |\n")),
            "{label}: {footer}"
        );
    }
}

// --- 5. --redact ------------------------------------------------------------------------------

#[test]
fn redact_hides_every_local_part_and_keeps_domains() {
    let events = csv_maps(&on_samples(&["events"]));
    let mut locals = BTreeSet::new();
    let mut domains = BTreeSet::new();
    for row in &events {
        for address in [&row["recipient"], &row["sender"]] {
            if let Some((local, domain)) = address.rsplit_once('@') {
                let local = local.trim_start_matches('\'');
                if local.len() > 3 {
                    locals.insert(local.to_ascii_lowercase());
                }
                domains.insert(domain.to_ascii_lowercase());
            }
        }
    }
    assert!(locals.len() > 50, "{}", locals.len());
    // A local part as an address, in angle brackets (also escaped for Markdown), or as a bare
    // word of the log's reply text. One pattern for all of them keeps the search quick.
    let any = locals
        .iter()
        .map(|l| regex::escape(l))
        .collect::<Vec<_>>()
        .join("|");
    let leak = regex::Regex::new(&format!(
        "(?:{any})@|<(?:{any})>|&lt;(?:{any})&gt;| (?:{any}) "
    ))
    .unwrap();
    // The pattern does find them where they are.
    assert!(leak.is_match("to <bob@x> and alice.x@example.org and <kenji.dubois@example.com>"));
    let mut hashed_example = None;
    for format in ["text", "json", "markdown"] {
        let out = on_samples(&["report", "--redact", "--format", format, "--color", "never"]);
        let lower = out.to_ascii_lowercase();
        let leaked: Vec<&str> = leak.find_iter(&lower).map(|m| m.as_str()).collect();
        assert!(leaked.is_empty(), "{format}: {leaked:?}");
        // The unredacted report shows <kenji@example.com> as an example of 550 5.1.1 (see the
        // text snapshot); redacted, it is the same hash in every format.
        assert!(!lower.contains("kenji"), "{format}");
        let example = match format {
            "text" => r"postfix-mail\.log\.1\.gz:247 <(u-[0-9a-f]{8}@example\.com)>",
            "json" => r#""line": 247,\s+"text": "<(u-[0-9a-f]{8}@example\.com)>"#,
            _ => r"postfix-mail\.log\.1\.gz:247` &lt;(u-[0-9a-f]{8}@example\.com)&gt;",
        };
        let hashed = regex::Regex::new(example)
            .unwrap()
            .captures(&out)
            .expect(format)[1]
            .to_string();
        match &hashed_example {
            None => hashed_example = Some(hashed),
            Some(text) => assert_eq!(&hashed, text, "{format}: the same hash in every format"),
        }
        // Domains stay.
        for domain in ["outlook.com", "example.com", "yahoo.com", "example.org"] {
            assert!(lower.contains(&format!("@{domain}")), "{format}: {domain}");
        }
    }
}

// --- 6. Smaller flags -------------------------------------------------------------------------

#[test]
fn unmatched_lists_lines_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let foreign = temp_file(dir.path(), "foreign.log", FOREIGN.as_bytes());
    let foreign = foreign.to_str().unwrap();
    let (code, out, _) = run(&[
        "report",
        "--unmatched",
        "--color",
        "never",
        "--year",
        "2026",
        foreign,
    ]);
    assert_eq!(code, 0);
    let section = out
        .split_once("\nUnmatched lines\n")
        .unwrap()
        .1
        .split_once("\n\n")
        .unwrap()
        .0;
    assert_eq!(
        section,
        format!(
            "  {foreign}:12: Nov 21 08:00:09 mx1 postfix/smtp[77]: 5E6F7A8B9C: something \
             status=frobnicated (mystery)\n  {foreign}:13: a torn piece of a line | with a pipe"
        )
    );
    // Without the flag there is no such section, but the footer still counts them.
    let (_, out, _) = run(&["report", "--color", "never", "--year", "2026", foreign]);
    assert!(!out.contains("Unmatched lines"));
    assert!(out.contains("\n            2  unmatched (--unmatched lists them)\n"));
    // Where there are none, the section says so.
    let (_, out, _) = run(&[
        "report",
        "--unmatched",
        "--color",
        "never",
        "tests/fixtures/exim/syslog-exim.log",
    ]);
    assert!(out.contains("\nUnmatched lines\n  none\n"), "{out}");
}

#[test]
fn top_and_examples_are_obeyed() {
    let report = |args: &[&str]| {
        let mut all = vec!["report", "--year", "2026", "--color", "never"];
        all.extend(args);
        all.push(ONE_SAMPLE);
        let (code, out, err) = run(&all);
        assert_eq!(code, 0, "{err}");
        out
    };
    let summary = json(&report(&[
        "--format",
        "json",
        "--top",
        "1",
        "--examples",
        "0",
    ]));
    for list in ["codes", "refusals"] {
        let rows = summary[list].as_array().unwrap();
        assert!(!rows.is_empty(), "{list}");
        for row in rows {
            assert!(row["examples"].as_array().unwrap().is_empty(), "{list}");
            assert!(row["top_destinations"].as_array().unwrap().len() <= 1);
        }
    }
    let codes = summary["codes"].as_array().unwrap();
    assert!(
        codes
            .iter()
            .any(|c| c["top_destinations"].as_array().unwrap().len() == 1)
    );

    let text = report(&["--top", "1", "--examples", "0"]);
    assert!(!text.contains("  example "));
    let lists: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("  domains ") || l.starts_with("  clients "))
        .collect();
    assert!(lists.len() > 5);
    assert!(lists.iter().all(|l| !l.contains(", ")), "{lists:?}");

    let text = report(&["--top", "3", "--examples", "1"]);
    let blocks = text.matches("\n■ ").count();
    assert!(blocks > 5);
    assert_eq!(text.matches("\n  example ").count(), blocks);
    let lists: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("  domains ") || l.starts_with("  clients "))
        .collect();
    assert!(
        lists.iter().all(|l| l.matches(", ").count() <= 2),
        "{lists:?}"
    );
    assert!(
        lists.iter().any(|l| l.matches(", ").count() == 2),
        "{lists:?}"
    );

    let markdown = report(&["--format", "markdown", "--examples", "0", "--top", "2"]);
    assert!(!markdown.contains("- `samples/"));
    let with_examples = report(&["--format", "markdown", "--examples", "2"]);
    assert!(with_examples.contains("- `samples/postfix-mail.log:"));
}

#[test]
fn by_needs_csv() {
    for format in ["text", "json", "markdown"] {
        let (code, out, err) = run(&["report", "--by", "domain", "--format", format, ONE_SAMPLE]);
        assert_eq!(code, 2, "{format}");
        assert!(out.is_empty());
        assert!(err.contains("--format csv"), "{err}");
    }
    assert_eq!(run(&["report", "--by", "domain", ONE_SAMPLE]).0, 2);
    assert_eq!(run(&["--by", "domain", ONE_SAMPLE]).0, 2);
    assert_eq!(
        run(&["report", "--by", "planet", "--format", "csv", ONE_SAMPLE]).0,
        2
    );
}

#[test]
fn csv_by_puts_its_key_first() {
    let fixtures = [
        "tests/fixtures/postfix/shapes.log",
        "tests/fixtures/exim/mainlog-shapes.log",
        "tests/fixtures/exim/syslog-exim.log",
    ];
    for by in ["domain", "relay", "client", "reason", "hour", "day"] {
        let mut args = vec!["report", "--year", "2026", "--format", "csv", "--by", by];
        args.extend(fixtures);
        let (code, out, err) = run(&args);
        assert_eq!(code, 0, "{err}");
        let header = out.lines().next().unwrap();
        assert_eq!(
            header,
            format!(
                "{by},reply_code,enhanced_code,class,permanence,name,count,share,first_seen,\
                 last_seen,top_domain,top_domain_count,reason,advice"
            )
        );
        let mut reader = csv::Reader::from_reader(out.as_bytes());
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert!(rows.len() > 1, "{by}");
        assert!(rows.iter().all(|r| !r[0].is_empty()), "{by}");
        let counts: Vec<u64> = rows.iter().map(|r| r[6].parse().unwrap()).collect();
        assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{by}");
    }
}

const HOSTILE: &str = "Nov 19 09:00:00 mx1 postfix/smtp[77]: 5E6F7A8B9C: to=<user@example.org>, relay=mx.example.org[192.0.2.9]:25, delay=1, delays=0/0/0.5/0.5, dsn=5.7.1, status=bounced (host mx.example.org[192.0.2.9] said: 550 5.7.1 <script>alert(1)</script> a|b \x1b[31mred\x1b[0m (in reply to RCPT TO command))\n";

#[test]
fn markdown_is_inert() {
    let dir = tempfile::tempdir().unwrap();
    let path = temp_file(dir.path(), "pipe|name.log", HOSTILE.as_bytes());
    let path = path.to_str().unwrap();
    let report = |format: &str| {
        let (code, out, err) = run(&[
            "report", "--format", format, "--color", "never", "--year", "2026", path,
        ]);
        assert_eq!(code, 0, "{err}");
        out
    };
    let out = report("markdown");
    assert!(!out.contains('\x1b'), "{out}");
    assert!(!out.contains("<script>"), "{out}");
    assert!(
        out.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{out}"
    );
    assert!(out.contains(r"a\|b"), "{out}");
    assert!(out.contains(r"\\x1b[31mred"), "{out}");
    // Outside a table a pipe needs no escape, and inside a code span one would show.
    assert!(out.contains(&format!("- `{path}:1` ")), "{out}");
    assert_tables_well_formed(&out);
    // No raw escape in the other formats either.
    for format in ["text", "json", "csv"] {
        assert!(!report(format).contains('\x1b'), "{format}");
    }
}

#[test]
fn output_does_not_depend_on_threads() {
    for format in [
        &["--format", "json"][..],
        &["--format", "csv", "--by", "domain"][..],
    ] {
        let mut one = vec!["report", "--year", "2026", "--threads", "1"];
        one.extend(format);
        one.push(ONE_SAMPLE);
        let mut three = vec![
            "report",
            "--year",
            "2026",
            "--threads",
            "3",
            "--chunk-size",
            "777",
        ];
        three.extend(format);
        three.push(ONE_SAMPLE);
        let (_, a, _) = run(&one);
        let (_, b, _) = run(&three);
        assert!(a.len() > 1000);
        assert_eq!(a, b, "{format:?}");
    }
}

#[test]
fn a_rotated_set_read_in_parallel_reports_as_one_file_does() {
    // Twelve pieces of the samples, plain and compressed, are read several at a time; the
    // report must equal the report of the same lines in one file, whatever the threads.
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(ONE_SAMPLE).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let mut names = Vec::new();
    for (i, piece) in lines.chunks(lines.len().div_ceil(12)).enumerate() {
        let body = piece.join("\n") + "\n";
        let (name, bytes) = if i % 2 == 0 {
            (format!("mail.log.{i:02}.gz"), common::gzip(body.as_bytes()))
        } else {
            (format!("mail.log.{i:02}"), body.into_bytes())
        };
        names.push(
            temp_file(dir.path(), &name, &bytes)
                .to_string_lossy()
                .into_owned(),
        );
    }
    let (_, whole, _) = run(&[
        "report", "--year", "2026", "--format", "csv", "--by", "hour", ONE_SAMPLE,
    ]);
    for threads in ["1", "2", "5"] {
        let mut args = vec![
            "report",
            "--year",
            "2026",
            "--format",
            "csv",
            "--by",
            "hour",
            "--threads",
            threads,
            "--chunk-size",
            "300",
        ];
        args.extend(names.iter().map(String::as_str));
        let (code, parts, _) = run(&args);
        assert_eq!(code, 0);
        assert!(whole.lines().count() > 20);
        assert_eq!(parts, whole, "threads {threads}");
    }
}

#[test]
fn html_report_is_one_inert_page_with_a_timeline() {
    let dir = tempfile::tempdir().unwrap();
    let hostile = temp_file(dir.path(), "<b>name.log", HOSTILE.as_bytes());
    // The hostile file is older than the samples, so it is read first and its line is among
    // the examples of its code.
    let mut args = vec!["report", "--format", "html", "--year", "2026"];
    args.push(hostile.to_str().unwrap());
    args.extend(SAMPLES);
    let (code, page, err) = run(&args);
    assert_eq!(code, 0, "{err}");
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.trim_end().ends_with("</html>"));
    // Self-contained: nothing is fetched and nothing runs.
    for forbidden in [
        "<script", "<link", "<img", "<iframe", "src=", "@import", "url(",
    ] {
        assert!(!page.contains(forbidden), "{forbidden}");
    }
    // The timeline: one bar per hour of the samples' span, in the class colours.
    assert!(page.contains("<svg id=\"timeline\""));
    assert!(page.matches("class=\"c2xx\"").count() > 20);
    assert!(page.contains("class=\"c4xx\""));
    assert!(page.contains("class=\"c5xx\""));
    // The code table and the advice for a failure the samples hold.
    assert!(page.contains("<td>550</td><td>5.1.1</td>"));
    assert!(page.contains("user_unknown"));
    // Log text is shown, never obeyed.
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(page.contains(r"\x1b[31mred"));
    assert!(!page.contains('\x1b'));
    assert!(page.contains("&lt;b&gt;name.log"));
    assert!(!page.contains("<b>"));
    // The same counts as the JSON summary of the same inputs.
    args[2] = "json";
    let (_, summary, _) = run(&args);
    let summary = json(&summary);
    for class in ["2xx", "4xx", "5xx"] {
        let count = summary["by_class"][class].as_u64().unwrap();
        assert!(count > 0);
        let cell = format!("<td>{class}</td><td>");
        let row = page
            .lines()
            .find(|l| l.starts_with(&format!("<tr>{cell}")))
            .unwrap();
        let shown = row
            .split("<td class=\"n\">")
            .nth(1)
            .unwrap()
            .split('<')
            .next()
            .unwrap();
        assert_eq!(shown.replace(',', ""), count.to_string(), "{class}");
    }
}

#[test]
fn the_counts_line_says_one_line_one_outcome_one_message() {
    let dir = tempfile::tempdir().unwrap();
    let one = "Nov 21 08:00:04 mx1 postfix/smtp[4242]: 3F1A22C0B1: to=<a@b.example>, relay=mx.b.example[192.0.2.1]:25, delay=1.2, delays=0.1/0/0.6/0.5, dsn=5.1.1, status=bounced (host mx.b.example[192.0.2.1] said: 550 5.1.1 <a@b.example>: Recipient address rejected: User unknown (in reply to RCPT TO command))\n";
    let log = temp_file(dir.path(), "one.log", one.as_bytes());
    let (code, out, _) = run(&["report", "--year", "2026", log.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(
        out.contains("  read     1 line; 1 SMTP outcome; 1 queued message; MTA postfix\n"),
        "{out}"
    );
    let two = one.repeat(2);
    let log = temp_file(dir.path(), "two.log", two.as_bytes());
    let (_, out, _) = run(&["report", "--year", "2026", log.to_str().unwrap()]);
    assert!(
        out.contains("  read     2 lines; 2 SMTP outcomes; 1 queued message; MTA postfix\n"),
        "{out}"
    );
    // The outcomes line follows the same rule, in every format that has it.
    assert!(out.contains(" 2 recipients, "), "{out}");
    let log = temp_file(dir.path(), "one-again.log", one.as_bytes());
    let path = log.to_str().unwrap();
    let (_, out, _) = run(&["report", "--year", "2026", path]);
    assert!(out.contains(" 1 recipient, 1 message\n"), "{out}");
    let (_, out, _) = run(&["report", "--year", "2026", "--format", "markdown", path]);
    assert!(out.contains("followed 1 recipient, 1 message."), "{out}");
    assert!(
        out.contains("- read 1 line; 1 SMTP outcome; 1 queued message\n"),
        "{out}"
    );
    let (_, out, _) = run(&["report", "--year", "2026", "--format", "html", path]);
    assert!(out.contains(" 1 recipient, 1 message</p>"), "{out}");
    assert!(
        out.contains("<li>read 1 line; 1 SMTP outcome; 1 queued message</li>"),
        "{out}"
    );
    // Russian has a form for 2-4 besides those for 1 and for 5 and up.
    let (_, out, _) = run(&["report", "--year", "2026", "--lang", "ru", path]);
    assert!(
        out.contains("1 строка; 1 SMTP-результат; 1 письмо в очереди"),
        "{out}"
    );
    let two_lines = dir.path().join("two.log");
    let (_, out, _) = run(&[
        "report",
        "--year",
        "2026",
        "--lang",
        "ru",
        two_lines.to_str().unwrap(),
    ]);
    assert!(
        out.contains("2 строки; 2 SMTP-результата; 1 письмо в очереди"),
        "{out}"
    );
}
