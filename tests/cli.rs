//! Runs the built binary on fixture and sample logs, as a user would.

mod common;

use common::{gzip, mailsift, rows, run, temp_file};

use std::io::Read;
use std::process::{Command as StdCommand, Stdio};

const SHAPES: &str = "tests/fixtures/postfix/shapes.log";
const SAMPLE: &str = "samples/postfix-mail.log";
const SAMPLE_GZ: &str = "samples/postfix-mail.log.1.gz";

/// The rows without the `file` column, which names the input and so differs between a file and
/// standard input.
fn without_file(csv_text: &str) -> Vec<Vec<String>> {
    rows(csv_text)
        .iter()
        .map(|r| r.iter().skip(1).map(str::to_string).collect())
        .collect()
}

#[test]
fn events_csv_has_the_contract_columns_and_real_fields() {
    let (code, out, err) = run(&["events", "--year", "2026", SHAPES]);
    assert_eq!(code, 0, "{err}");
    let header = out.lines().next().unwrap();
    assert_eq!(
        header,
        "file,line,timestamp,log_format,host,program,pid,queue_id,direction,action,stage,\
         reply_code,enhanced_code,dsn,class,permanence,reason,remote_host,remote_ip,sender,\
         recipient,recipient_domain,text"
    );
    let rows = rows(&out);
    let gmail = rows
        .iter()
        .find(|r| &r[20] == "carol@gmail.com")
        .expect("the folded Gmail bounce");
    assert_eq!(&gmail[0], SHAPES);
    assert_eq!(&gmail[2], "2026-11-21T08:01:10");
    assert_eq!(&gmail[3], "postfix");
    assert_eq!(&gmail[4], "mx1");
    assert_eq!(&gmail[5], "postfix/smtp");
    assert_eq!(&gmail[6], "3110");
    assert_eq!(&gmail[7], "4XyZ1m2N3pQr4st");
    assert_eq!(&gmail[8], "outbound");
    assert_eq!(&gmail[9], "bounced");
    assert_eq!(&gmail[10], "RCPT");
    assert_eq!(&gmail[11], "550");
    assert_eq!(&gmail[12], "5.1.1");
    assert_eq!(&gmail[13], "5.1.1");
    // Codes are quoted, so that engines which look at quotes read them as text.
    assert!(out.contains(",RCPT,\"550\",\"5.1.1\",\"5.1.1\",5xx,"));
    assert_eq!(&gmail[14], "5xx");
    assert_eq!(&gmail[15], "permanent");
    assert_eq!(&gmail[16], "user_unknown");
    assert_eq!(&gmail[17], "gmail-smtp-in.l.google.com");
    assert_eq!(&gmail[18], "2607:f8b0:4004:c1b::1a");
    assert_eq!(&gmail[21], "gmail.com");
    assert!(gmail[22].starts_with("The email account that you tried to reach does not exist"));
    assert!(!gmail[22].contains("550-5.1.1"), "{}", &gmail[22]);
    let with_offset = rows.iter().find(|r| &r[20] == "zoe@example.org").unwrap();
    assert_eq!(&with_offset[2], "2026-11-21T08:10:06.123456+01:00");
    assert_eq!(&with_offset[14], "2xx");
    // Every event has a class and a permanence.
    assert!(rows.iter().all(|r| !r[14].is_empty() && !r[15].is_empty()));
}

#[test]
fn ndjson_rows_match_csv_rows() {
    let (_, csv_out, _) = run(&["events", "--year", "2026", SHAPES]);
    let (code, json_out, _) = run(&["events", "--format", "ndjson", "--year", "2026", SHAPES]);
    assert_eq!(code, 0);
    let csv_rows = rows(&csv_out);
    let json_rows: Vec<serde_json::Value> = json_out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(csv_rows.len(), json_rows.len());
    for (c, j) in csv_rows.iter().zip(&json_rows) {
        assert_eq!(j["line"].to_string(), c[1]);
        // An empty CSV cell is a JSON null, never `""`; codes are strings in both.
        for (key, at) in [("recipient", 20), ("reply_code", 11), ("enhanced_code", 12)] {
            match j[key].as_str() {
                Some(value) => assert_eq!(value, &c[at], "{key}"),
                None => assert!(j[key].is_null() && c[at].is_empty(), "{key}: {j}"),
            }
            assert_ne!(j[key], "", "{key}");
        }
        assert_eq!(j["class"].as_str().unwrap(), &c[14]);
    }
    assert!(json_rows.iter().any(|j| j["reply_code"] == "550"));
    assert!(json_rows.iter().any(|j| j["recipient"].is_null()));
}

#[test]
fn output_is_identical_for_any_thread_count_and_chunk_size() {
    let (_, one, _) = run(&["events", "--threads", "1", SAMPLE, SAMPLE_GZ]);
    assert!(rows(&one).len() > 500);
    for extra in [
        ["--threads", "8", "--chunk-size", "1048576"],
        ["--threads", "3", "--chunk-size", "4096"],
        ["--threads", "2", "--chunk-size", "100"],
    ] {
        let mut args = vec!["events", SAMPLE, SAMPLE_GZ];
        args.extend(extra);
        assert_eq!(run(&args).1, one, "{extra:?}");
    }
    let (_, report_one, _) = run(&["report", "--threads", "1", SAMPLE, SAMPLE_GZ]);
    let (_, report_eight, _) = run(&[
        "report",
        "--threads",
        "8",
        "--chunk-size",
        "999",
        SAMPLE,
        SAMPLE_GZ,
    ]);
    assert_eq!(report_one, report_eight);
}

#[test]
fn file_stdin_and_gzip_give_the_same_rows() {
    let dir = tempfile::tempdir().unwrap();
    let plain = std::fs::read(SAMPLE).unwrap();
    let gz = temp_file(dir.path(), "mail.log.gz", &gzip(&plain));
    // Year-less lines take their year from the file's time, or on standard input from today:
    // with the year given, the only difference left is the file column.
    let (_, from_file, _) = run(&["events", "--year", "2026", SAMPLE]);
    let (_, from_gzip, _) = run(&["events", "--year", "2026", gz.to_str().unwrap()]);
    let from_stdin = mailsift()
        .args(["events", "--year", "2026"])
        .write_stdin(plain)
        .output()
        .unwrap();
    let from_stdin = String::from_utf8(from_stdin.stdout).unwrap();
    let expected = without_file(&from_file);
    assert!(expected.len() > 500);
    assert_eq!(without_file(&from_gzip), expected);
    assert_eq!(without_file(&from_stdin), expected);
    assert!(rows(&from_stdin).iter().all(|r| &r[0] == "<stdin>"));
}

#[test]
fn concatenated_gzip_members_are_read_to_the_end() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(SHAPES).unwrap();
    let cut = text[..text.len() / 2].rfind('\n').unwrap() + 1;
    let (first, rest) = text.split_at(cut);
    let mut both = gzip(first.as_bytes());
    both.extend(gzip(rest.as_bytes()));
    let path = temp_file(dir.path(), "rotated.gz", &both);
    let (_, expected, _) = run(&["events", "--year", "2026", SHAPES]);
    let (code, got, _) = run(&["events", "--year", "2026", path.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert_eq!(without_file(&got), without_file(&expected));
}

#[test]
fn crlf_line_endings_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(SHAPES).unwrap();
    let crlf = temp_file(
        dir.path(),
        "crlf.log",
        text.replace('\n', "\r\n").as_bytes(),
    );
    let (_, expected, _) = run(&["events", "--year", "2026", SHAPES]);
    let (code, got, _) = run(&["events", "--year", "2026", crlf.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert_eq!(without_file(&got), without_file(&expected));
    assert!(!got.contains('\r'));
}

const BOUNCE: &str = "Nov 21 09:00:00 mx1 postfix/smtp[77]: 5E6F7A8B9C: to=<user@example.org>, relay=mx.example.org[192.0.2.9]:25, delay=1, delays=0/0/0.5/0.5, dsn=5.1.1, status=bounced (host mx.example.org[192.0.2.9] said: 550 5.1.1 <user@example.org>: unknown user (in reply to RCPT TO command))\n";

#[test]
fn invalid_utf8_is_read_with_replacement_characters() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = BOUNCE
        .replace("unknown user", "unknown \u{1}user")
        .into_bytes();
    let at = bytes.windows(7).position(|w| w == b"unknown").unwrap();
    bytes[at] = 0xff;
    let path = temp_file(dir.path(), "latin1.log", &bytes);
    let (code, out, _) = run(&["events", "--year", "2026", path.to_str().unwrap()]);
    assert_eq!(code, 0);
    let rows = rows(&out);
    assert_eq!(rows.len(), 1);
    assert_eq!(&rows[0][11], "550");
    assert!(rows[0][22].contains('\u{fffd}'), "{}", &rows[0][22]);
    assert!(rows[0][22].contains("\\x01user"), "{}", &rows[0][22]);
}

#[test]
fn a_ten_megabyte_line_is_counted_and_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = BOUNCE.as_bytes().to_vec();
    bytes.extend(std::iter::repeat_n(b'x', 10 << 20));
    bytes.push(b'\n');
    bytes.extend(BOUNCE.as_bytes());
    let path = temp_file(dir.path(), "huge.log", &bytes);
    let (code, out, _) = run(&["events", "--year", "2026", path.to_str().unwrap()]);
    assert_eq!(code, 0);
    let lines: Vec<_> = rows(&out).iter().map(|r| r[1].to_string()).collect();
    assert_eq!(lines, ["1", "3"]);
    let (_, report, _) = run(&["report", "--year", "2026", path.to_str().unwrap()]);
    let footer = footer_counts(&report);
    assert_eq!(footer["read"], 3, "{report}");
    assert_eq!(footer["SMTP outcomes"], 2);
    assert_eq!(footer["over-long"], 1);
}

#[test]
fn binary_junk_is_survived_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let mut junk: Vec<u8> = (0..200_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    junk.push(b'\n');
    junk.extend(BOUNCE.as_bytes());
    let path = temp_file(dir.path(), "junk.bin", &junk);
    let (code, out, err) = run(&["report", "--year", "2026", path.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("550 5.1.1 "), "{out}");
    let (_, events, _) = run(&["events", "--year", "2026", path.to_str().unwrap()]);
    assert_eq!(rows(&events).len(), 1);
}

#[test]
fn an_empty_file_gives_a_header_and_success() {
    let dir = tempfile::tempdir().unwrap();
    let path = temp_file(dir.path(), "empty.log", b"");
    let (code, out, err) = run(&["events", path.to_str().unwrap()]);
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(out.lines().count(), 1);
    let (code, report, _) = run(&["report", path.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(report.contains("no SMTP outcome found"));
}

#[test]
fn a_missing_file_is_named_and_the_others_are_still_read() {
    let (code, out, err) = run(&["events", "--year", "2026", "no/such/mail.log", SHAPES]);
    assert_eq!(code, 1);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("mailsift: no/such/mail.log: cannot open"),
        "{err}"
    );
    assert!(rows(&out).len() > 40);
}

#[test]
fn a_truncated_gzip_is_named_and_its_earlier_lines_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let plain = std::fs::read(SAMPLE).unwrap();
    let whole = gzip(&plain);
    let path = temp_file(dir.path(), "cut.log.gz", &whole[..whole.len() / 2]);
    let (code, out, err) = run(&["events", path.to_str().unwrap(), SHAPES]);
    assert_eq!(code, 1);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("cut.log.gz:"), "{err}");
    let rows = rows(&out);
    let from_cut = rows.iter().filter(|r| r[0].ends_with("cut.log.gz")).count();
    let from_shapes = rows.iter().filter(|r| &r[0] == SHAPES).count();
    assert!(from_cut > 100, "{from_cut}");
    assert!(from_shapes > 40);
}

#[test]
fn hostile_reply_text_is_defused() {
    let dir = tempfile::tempdir().unwrap();
    let line = BOUNCE
        .replace(
            "<user@example.org>: unknown user",
            "=HYPERLINK(\"http://x\") \x1b[31mred\u{202e}",
        )
        .replace("to=<user@example.org>", "to=<@evil@example.org>");
    let path = temp_file(dir.path(), "evil.log", line.as_bytes());
    let (_, out, _) = run(&["events", "--year", "2026", path.to_str().unwrap()]);
    let rows = rows(&out);
    assert_eq!(&rows[0][20], "'@evil@example.org");
    assert_eq!(
        &rows[0][22],
        "'=HYPERLINK(\"http://x\") \\x1b[31mred\\u{202e}"
    );
    let (_, report, _) = run(&["report", "--year", "2026", path.to_str().unwrap()]);
    assert!(!report.contains('\x1b'), "{report}");
    assert!(!report.contains('\u{202e}'));
}

#[test]
fn filters_keep_what_they_say() {
    let all = rows(&run(&["events", "--year", "2026", SAMPLE]).1);
    let only = rows(&run(&["events", "--year", "2026", "--only", "5xx,4.7.*", SAMPLE]).1);
    assert!(!only.is_empty() && only.len() < all.len());
    assert!(only.iter().all(|r| &r[14] == "5xx"
        || r[12].starts_with("4.7.")
        || (r[12].is_empty() && r[13].starts_with("4.7."))));
    let inbound = rows(&run(&["events", "--year", "2026", "--direction", "inbound", SAMPLE]).1);
    assert!(!inbound.is_empty() && inbound.iter().all(|r| &r[8] == "inbound"));
    let window = rows(
        &run(&[
            "events",
            "--year",
            "2026",
            "--since",
            "2026-11-21T10:00",
            "--until",
            "2026-11-21T12:00",
            SAMPLE,
        ])
        .1,
    );
    assert!(!window.is_empty() && window.len() < all.len());
    assert!(
        window
            .iter()
            .all(|r| &r[2] >= "2026-11-21T10:00" && &r[2] < "2026-11-21T12:00")
    );
}

#[test]
fn year_less_lines_wrap_from_december_into_january() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "{}{}",
        BOUNCE.replace("Nov 21 09:00:00", "Dec 31 23:59:59"),
        BOUNCE.replace("Nov 21 09:00:00", "Jan  1 00:00:01")
    );
    let path = temp_file(dir.path(), "wrap.log", text.as_bytes());
    let times = |args: &[&str]| -> Vec<String> {
        rows(&run(args).1)
            .iter()
            .map(|r| r[2].to_string())
            .collect()
    };
    assert_eq!(
        times(&["events", "--year", "2025", path.to_str().unwrap()]),
        ["2025-12-31T23:59:59", "2026-01-01T00:00:01"]
    );
    // Without --year, the file's modification time decides.
    let written = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_767_400_000);
    std::fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(written)
        .unwrap();
    assert_eq!(
        times(&["events", path.to_str().unwrap()]),
        ["2025-12-31T23:59:59", "2026-01-01T00:00:01"]
    );
}

/// The footer of a text report: each bucket's label and count.
fn footer_counts(report: &str) -> std::collections::BTreeMap<String, u64> {
    let start = report.rfind("\nLines\n").expect("a footer") + "\nLines\n".len();
    report[start..]
        .lines()
        .map(|line| {
            let line = line.trim();
            let (count, label) = line.split_once("  ").unwrap();
            let label = label.trim().split(" (").next().unwrap().to_string();
            (label, count.replace(',', "").parse().unwrap())
        })
        .collect()
}

#[test]
fn report_accounts_for_every_line() {
    for args in [
        vec!["report", "--year", "2026", SHAPES],
        vec!["report", SAMPLE, SAMPLE_GZ, "samples/exim-mainlog"],
        vec![
            "report",
            "--only",
            "5xx",
            "--year",
            "2026",
            SHAPES,
            "tests/fixtures/exim/syslog-exim.log",
        ],
    ] {
        let (code, out, _) = run(&args);
        assert_eq!(code, 0);
        let footer = footer_counts(&out);
        let read = footer["read"];
        let buckets: u64 = footer
            .iter()
            .filter(|(k, _)| *k != "read")
            .map(|(_, v)| v)
            .sum();
        assert_eq!(read, buckets, "{args:?}: {footer:?}");
        assert!(read > 0);
    }
    let footer = footer_counts(&run(&["report", "--year", "2026", SHAPES]).1);
    assert_eq!(footer["read"], 81);
    assert_eq!(footer["of other programs"], 3);
    assert_eq!(footer["unmatched"], 3);
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(run(&["--only", "6xx", SAMPLE]).0, 2);
    assert_eq!(run(&["--since", "next week", SAMPLE]).0, 2);
    assert_eq!(run(&["--bogus"]).0, 2);
    assert_eq!(run(&["explain", "9.9.9"]).0, 2);
}

#[test]
fn a_closed_output_pipe_exits_quietly() {
    let mut child = StdCommand::new(assert_cmd::cargo::cargo_bin("mailsift"))
        .args(["events", SAMPLE, SAMPLE_GZ, SAMPLE, SAMPLE_GZ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 64];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn output_file_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.csv");
    let (code, out, _) = run(&["events", "-o", path.to_str().unwrap(), SHAPES]);
    assert_eq!(code, 0);
    assert!(out.is_empty());
    let written = std::fs::read_to_string(&path).unwrap();
    assert!(written.starts_with("file,line,"));
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names, ["out.csv"], "no temporary file is left behind");
    let missing_dir = dir.path().join("no/such/dir/report.txt");
    let (code, _, err) = run(&["report", "-o", missing_dir.to_str().unwrap(), SHAPES]);
    assert_eq!(code, 1);
    assert!(err.contains("cannot create the output file"), "{err}");
}

#[test]
fn explain_compares_two_codes_in_french() {
    let (code, out, _) = run(&["explain", "214", "421", "--lang", "fr"]);
    assert_eq!(code, 0);
    assert!(out.contains("Quand vous le voyez"), "{out}");
    assert!(out.contains("Comment résoudre"), "{out}");
    assert!(
        out.contains("SMTP 214") && out.contains("SMTP 421"),
        "{out}"
    );
    let (code, out, _) = run(&["explain", "550 5.1.1", "--format", "json"]);
    assert_eq!(code, 0);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["entries"][0]["code"], "550 5.1.1");
}

#[test]
fn codes_lists_every_reply_code_as_csv() {
    let (code, out, _) = run(&["codes", "--format", "csv"]);
    assert_eq!(code, 0);
    let rows = rows(&out);
    for reply in [
        "211", "214", "220", "221", "235", "250", "251", "252", "334", "354", "421", "432", "450",
        "451", "452", "454", "455", "500", "501", "502", "503", "504", "521", "530", "534", "535",
        "538", "550", "551", "552", "553", "554", "555", "556",
    ] {
        assert!(
            rows.iter().any(|r| &r[0] == "reply" && &r[1] == reply),
            "{reply} missing"
        );
    }
}
