//! Inputs, arguments and surroundings chosen to break the program: each must give a clear
//! outcome, never a panic, a hang, unbounded memory, or output that lies.

mod common;

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::process::{Command as StdCommand, Stdio};

use common::{gzip, mailsift, rows, run, temp_file};
use serde_json::Value;

const BOUNCE: &str = "Nov 21 09:00:00 mx1 postfix/smtp[77]: 5E6F7A8B9C: to=<user@example.org>, relay=mx.example.org[192.0.2.9]:25, delay=1, delays=0/0/0.5/0.5, dsn=5.1.1, status=bounced (host mx.example.org[192.0.2.9] said: 550 5.1.1 <user@example.org>: unknown user (in reply to RCPT TO command))\n";
const SAMPLE: &str = "samples/postfix-mail.log";
const SAMPLE_GZ: &str = "samples/postfix-mail.log.1.gz";

fn bin() -> StdCommand {
    let mut cmd = StdCommand::new(assert_cmd::cargo::cargo_bin("mailsift"));
    cmd.env_remove("NO_COLOR");
    cmd
}

/// The line buckets of a JSON report, checked to add up.
fn accounted_lines(json_report: &str) -> BTreeMap<String, u64> {
    let report: Value = serde_json::from_str(json_report).expect("a JSON report");
    let lines: BTreeMap<String, u64> = report["lines"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_u64().unwrap()))
        .collect();
    let buckets = lines["events"]
        + lines["filtered_out"]
        + lines["no_outcome"]
        + lines["other_programs"]
        + lines["unmatched"]
        + lines["over_long"];
    assert_eq!(lines["read"], buckets, "{lines:?}");
    lines
}

/// The largest peak resident memory, in MiB, of the children this test process has waited
/// for. The test runner gives each test its own process, so these are the test's own runs.
fn children_peak_rss_mib() -> i64 {
    // SAFETY: getrusage only writes the struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let status = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    assert_eq!(status, 0);
    usage.ru_maxrss / 1024
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// Runs mailsift with `stdin` written from another thread, so a stream larger than any pipe
/// buffer can be fed; returns (exit code, stdout, stderr).
fn run_streaming(
    args: &[&str],
    stdin: impl FnOnce(&mut dyn Write) + Send,
) -> (i32, String, String) {
    let mut child = bin()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let output = std::thread::scope(|scope| {
        scope.spawn(move || {
            stdin(&mut input);
        });
        child.wait_with_output().unwrap()
    });
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

#[test]
fn a_200_mb_line_without_newline_on_stdin_is_counted_in_bounded_memory() {
    const SIZE: usize = 200 << 20;
    let (code, out, err) = run_streaming(
        &["report", "--format", "json", "--year", "2026", "-"],
        |input| {
            input.write_all(BOUNCE.as_bytes()).unwrap();
            let block = vec![b'A'; 1 << 20];
            for _ in 0..SIZE >> 20 {
                if input.write_all(&block).is_err() {
                    return;
                }
            }
        },
    );
    assert_eq!(code, 0, "{err}");
    let lines = accounted_lines(&out);
    assert_eq!(lines["read"], 2);
    assert_eq!(lines["events"], 1);
    assert_eq!(lines["over_long"], 1);
    let peak = children_peak_rss_mib();
    assert!(
        peak < 120,
        "peak RSS {peak} MiB for a {} MiB line",
        SIZE >> 20
    );
}

/// A gzip stream that decompresses to `members * 16 MiB` of zeros: each member is about
/// 16 KiB, and concatenated members are one valid stream.
fn gzip_bomb(members: usize) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(&vec![0u8; 16 << 20]).unwrap();
    let member = encoder.finish().unwrap();
    assert!(member.len() < 64 << 10);
    member.repeat(members)
}

#[test]
fn a_gzip_bomb_is_streamed_in_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = gzip(BOUNCE.as_bytes());
    bytes.extend(gzip_bomb(16));
    bytes.extend(gzip(format!("\n{BOUNCE}").as_bytes()));
    assert!(bytes.len() < 1 << 20);
    let path = temp_file(dir.path(), "bomb.log.gz", &bytes);
    let (code, out, err) = run(&[
        "report",
        "--format",
        "json",
        "--year",
        "2026",
        path.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let lines = accounted_lines(&out);
    // The bounce, 256 MiB of NUL bytes as one line, and the bounce again.
    assert_eq!(lines["read"], 3, "{lines:?}");
    assert_eq!(lines["over_long"], 1);
    assert_eq!(lines["events"], 2);
    let peak = children_peak_rss_mib();
    assert!(peak < 120, "peak RSS {peak} MiB for a 256 MiB bomb");
}

/// Lines of nothing but the marks a syslog line may be wrapped in, repeated to just under the
/// longest line read, between real lines: each is counted, and the run goes on.
#[test]
fn wrapper_marks_repeated_without_end_are_counted_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from(BOUNCE);
    text.push_str(&"<1>".repeat(21_000));
    text.push('\n');
    text.push_str(&"a | ".repeat(16_000));
    text.push('\n');
    text.push_str(BOUNCE);
    let path = temp_file(dir.path(), "wrapped.log", text.as_bytes());
    let path = path.to_str().unwrap();
    let (code, report, err) = run(&["report", "--format", "json", "--year", "2026", path]);
    assert_eq!(code, 0, "{err}");
    let lines = accounted_lines(&report);
    assert_eq!(lines["read"], 4);
    assert_eq!(lines["events"], 2);
}

#[test]
fn nul_bytes_are_shown_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = BOUNCE.replace("unknown user", "unknown\0user").into_bytes();
    bytes.extend(b"\0\0\0\0\n");
    bytes.extend(BOUNCE.replace("postfix/smtp", "post\0fix/smtp").as_bytes());
    bytes.extend([0u8; 4096]);
    let path = temp_file(dir.path(), "nul.log", &bytes);
    let path = path.to_str().unwrap();
    let (code, out, err) = run(&["events", "--year", "2026", path]);
    assert_eq!(code, 0, "{err}");
    let rows = rows(&out);
    assert_eq!(rows.len(), 1);
    assert!(rows[0][22].contains("unknown\\x00user"), "{}", &rows[0][22]);
    let (_, report, _) = run(&["report", "--format", "json", "--year", "2026", path]);
    let lines = accounted_lines(&report);
    assert_eq!(lines["read"], 4);
    assert_eq!(lines["events"], 1);
}

#[test]
fn invalid_utf8_in_any_field_is_survived_and_accounted() {
    let dir = tempfile::tempdir().unwrap();
    // Each field of the line in turn gets a byte that is not UTF-8 in the middle of it.
    let fields = [
        "mx1",
        "postfix/smtp",
        "[77]",
        "5E6F7A8B9C",
        "to=<user",
        "@example.org>,",
        "relay=mx",
        "192.0.2.9]:25",
        "dsn=5.1",
        "status=bou",
        "550 5.1",
        "unknown user",
        "RCPT TO",
    ];
    let mut bytes = Vec::new();
    for field in fields {
        let at = BOUNCE.find(field).unwrap() + field.len() / 2;
        bytes.extend(&BOUNCE.as_bytes()[..at]);
        bytes.extend([0xff, 0xc3]);
        bytes.extend(&BOUNCE.as_bytes()[at..]);
    }
    let path = temp_file(dir.path(), "latin1.log", &bytes);
    let path = path.to_str().unwrap();
    // `run` insists on UTF-8 output.
    let (code, out, err) = run(&["events", "--year", "2026", path]);
    assert_eq!(code, 0, "{err}");
    for row in rows(&out) {
        assert!(row.iter().all(|cell| !cell.contains('\u{ff}')));
    }
    for format in ["json", "text", "csv", "markdown", "html", "prometheus"] {
        let (code, out, err) = run(&["report", "--format", format, "--year", "2026", path]);
        assert_eq!(code, 0, "{format}: {err}");
        if format == "json" {
            let lines = accounted_lines(&out);
            assert_eq!(lines["read"], fields.len() as u64);
            assert!(lines["events"] >= 5, "{lines:?}");
        }
    }
}

const OSC8: &str = "\x1b]8;;http://evil.example/\x1b\\click me\x1b]8;;\x1b\\";

#[test]
fn terminal_escapes_and_links_in_reply_text_are_made_visible() {
    let dir = tempfile::tempdir().unwrap();
    let line = BOUNCE.replace(
        "unknown user",
        &format!("unknown user {OSC8} \x1b[2J\x1b[31mred\x07\u{9b}1m"),
    );
    let path = temp_file(dir.path(), "osc.log", line.as_bytes());
    let path = path.to_str().unwrap();
    let no_raw_controls = |what: &str, out: &str, colour: bool| {
        for c in out.chars() {
            let allowed = c == '\n' || (colour && c == '\x1b');
            assert!(!c.is_control() || allowed, "{what}: raw {c:?} in {out}");
        }
        assert!(!out.contains("\x1b]"), "{what}: a raw OSC sequence");
    };
    for format in ["text", "json", "csv", "markdown", "html", "prometheus"] {
        let (code, out, _) = run(&["report", "--format", format, "--year", "2026", path]);
        assert_eq!(code, 0);
        no_raw_controls(format, &out, false);
    }
    let (_, text, _) = run(&["report", "--color", "always", "--year", "2026", path]);
    no_raw_controls("text in colour", &text, true);
    assert!(
        text.contains("\\x1b]8;;http://evil.example/\\x1b\\click me"),
        "the link is shown as text: {text}"
    );
    for format in ["csv", "ndjson"] {
        let (_, events, _) = run(&["events", "--format", format, "--year", "2026", path]);
        no_raw_controls(format, &events, false);
        assert!(events.contains("\\x1b[2J"), "{events}");
        assert!(events.contains("\\x9b1m"), "{events}");
    }
    let (_, trace, _) = run(&["trace", "5E6F7A8B9C", "--year", "2026", path]);
    no_raw_controls("trace", &trace, false);
    assert!(trace.contains("\\x1b]8;;"), "{trace}");
}

/// Every cell of a CSV text, header included.
fn cells(csv_text: &str) -> Vec<String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(csv_text.as_bytes());
    reader
        .records()
        .flat_map(|r| r.unwrap().iter().map(str::to_string).collect::<Vec<_>>())
        .collect()
}

#[test]
fn formula_text_is_defused_in_every_csv_cell() {
    let dir = tempfile::tempdir().unwrap();
    let outbound = "Nov 21 09:00:00 =cmd postfix/smtp[77]: 5E6F7A8B9C: to=<=HYPERLINK(\"http://evil\")@+evil.example>, relay=-evil.example[192.0.2.9]:25, delay=1, delays=0/0/0.5/0.5, dsn=5.1.1, status=bounced (host -evil.example[192.0.2.9] said: 550 5.1.1 =HYPERLINK(\"http://evil\",\"x\") (in reply to RCPT TO command))\n";
    let inbound = "Nov 21 09:00:01 @SUM(1) postfix/smtpd[78]: NOQUEUE: reject: RCPT from @evil.example[192.0.2.7]: 554 5.7.1 Service unavailable; Client host [192.0.2.7] blocked using zen.spamhaus.org; from=<+cmd@example.org> to=<-x@example.org> proto=ESMTP helo=<=x>\n";
    let tab = "Nov 21 09:00:02 mx1 postfix/smtp[79]: 6E6F7A8B9C: to=<a@example.org>, relay=mx.example.org[192.0.2.9]:25, delay=1, delays=0/0/0.5/0.5, dsn=4.7.0, status=deferred (host mx.example.org[192.0.2.9] said: 421 4.7.0 \t+1 try later)\n";
    let name = "=1+1.log";
    temp_file(
        dir.path(),
        name,
        format!("{outbound}{inbound}{tab}").as_bytes(),
    );
    let in_dir = |args: &[&str]| {
        let output = mailsift()
            .current_dir(dir.path())
            .args(args)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0));
        String::from_utf8(output.stdout).unwrap()
    };
    let mut outputs = vec![in_dir(&["events", "--year", "2026", name])];
    assert_eq!(rows(&outputs[0]).len(), 3, "{}", outputs[0]);
    outputs.push(in_dir(&[
        "report", "--format", "csv", "--year", "2026", name,
    ]));
    for by in ["domain", "relay", "client", "reason", "hour", "day"] {
        outputs.push(in_dir(&[
            "report", "--format", "csv", "--by", by, "--year", "2026", name,
        ]));
    }
    let mut hostile_cells = 0;
    for out in &outputs {
        for cell in cells(out) {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "a formula cell: {cell:?}"
            );
            hostile_cells += usize::from(cell.starts_with("'"));
        }
    }
    assert!(hostile_cells >= 12, "{hostile_cells}: {outputs:#?}");
}

#[test]
fn markup_in_log_text_is_escaped_in_html_and_markdown() {
    let dir = tempfile::tempdir().unwrap();
    let line = BOUNCE.replace(
        "<user@example.org>: unknown user",
        "<script>alert(1)</script> \"q\" 'a' <img src=x onerror=alert(2)> [click](javascript:alert(3)) &amp;",
    );
    let path = temp_file(dir.path(), "x\"<b>.log", line.as_bytes());
    let path = path.to_str().unwrap();
    let (_, html, _) = run(&["report", "--format", "html", "--year", "2026", path]);
    for raw in ["<script", "<img", "\"q\"", "'a'", "x\"<b>"] {
        assert!(!html.contains(raw), "raw {raw:?} in the HTML page");
    }
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("&quot;q&quot;") && html.contains("&#39;a&#39;"));
    assert!(html.contains("&amp;amp;"));
    let (_, markdown, _) = run(&["report", "--format", "markdown", "--year", "2026", path]);
    for raw in ["<script", "<img", "<b>", "](javascript"] {
        assert!(!markdown.contains(raw), "raw {raw:?} in the Markdown");
    }
    assert!(markdown.contains("&lt;script&gt;"), "{markdown}");
}

#[test]
fn hostile_text_where_postscreen_names_a_client_or_dnsblog_a_list_stays_inert() {
    let dir = tempfile::tempdir().unwrap();
    let hostile = "<script>x</script>\x1b[31m|red";
    let log = format!(
        "Nov 21 08:00:01 mx1 postfix/postscreen[1]: PREGREET 11 after 0.1 from [{hostile}]:25: EHLO x\n\
         Nov 21 08:00:01 mx1 postfix/dnsblog[2]: addr 192.0.2.1 listed by domain {hostile}.example as 127.0.0.2\n"
    );
    let path = temp_file(dir.path(), "ps.log", log.as_bytes());
    assert_inert_in_every_summary(path.to_str().unwrap(), "pregreet");
}

/// Every report format that sums lines up reads `path` without letting a terminal escape or
/// markup through, and still tells of `seen`.
fn assert_inert_in_every_summary(path: &str, seen: &str) {
    for format in ["text", "json", "markdown", "html", "prometheus"] {
        let (code, out, _) = run(&["report", "--format", format, "--year", "2026", path]);
        assert_eq!(code, 0, "{format}");
        assert!(!out.contains('\x1b'), "{format}: a raw escape in {out}");
        if format == "markdown" || format == "html" {
            assert!(!out.contains("<script>"), "{format}: raw markup in {out}");
        }
        assert!(out.contains(seen), "{format}: {out}");
    }
}

#[test]
fn hostile_text_in_the_mtas_own_warnings_or_a_rules_match_stays_inert() {
    let dir = tempfile::tempdir().unwrap();
    let hostile = "<script>x</script>\x1b[31m|red=cmd|' /C calc'!A0";
    let log = format!(
        "Nov 21 08:00:01 mx1 postfix/smtpd[1]: warning: {hostile}\n\
         Nov 21 08:00:02 mx1 postfix/cleanup[2]: fatal: open {hostile}: No such file\n\
         Nov 21 08:00:03 mx1 postfix{hostile}/smtpd[3]: warning: {hostile}\n\
         Nov 21 08:00:04 mx1 postfix/cleanup[4]: 5A6B7C8D01: hold: header {hostile}: x; from=<a@b.example> to=<c@d.example>\n\
         Nov 21 08:00:05 mx1 postfix/smtpd[5]: NOQUEUE: discard: RCPT from {hostile}[192.0.2.1]: <a@b.example>: {hostile}; from=<a@b.example> to=<c@d.example>\n\
         Nov 21 08:00:06 mx1 postfix/master[6]: daemon started -- version {hostile}, configuration /etc/postfix\n"
    );
    let path = temp_file(dir.path(), "warn.log", log.as_bytes());
    assert_inert_in_every_summary(path.to_str().unwrap(), "fatal");
}

#[test]
fn hostile_text_in_what_exim_says_of_itself_or_a_freeze_stays_inert() {
    let dir = tempfile::tempdir().unwrap();
    let hostile = "<script>x</script>\x1b[31m|red=cmd|' /C calc'!A0";
    let log = format!(
        "2026-11-21 08:00:01 TLS error on connection from ({hostile}) [192.0.2.1]:4000 (gnutls_handshake): {hostile}\n\
         2026-11-21 08:00:02 SMTP protocol error in \"AUTH {hostile}\" H=({hostile}) [192.0.2.2] {hostile}\n\
         2026-11-21 08:00:03 1tE3xA-000Ab1-Qz Frozen by the system filter: {hostile}\n\
         2026-11-21 08:00:04 1tE3xB-000Ab1-Qz frozen by {hostile}\n\
         2026-11-21 08:00:05 1tE3xC-000Ab1-Qz Failed to expand \"{hostile}\": {hostile}\n"
    );
    let path = temp_file(dir.path(), "exim.log", log.as_bytes());
    assert_inert_in_every_summary(path.to_str().unwrap(), "freeze");
}

#[test]
fn a_file_that_shrinks_and_grows_while_read_is_read_without_fault() {
    let dir = tempfile::tempdir().unwrap();
    let body = BOUNCE.repeat(20_000);
    let path = temp_file(dir.path(), "live.log", body.as_bytes());
    let mut child = bin()
        .args([
            "report",
            "--format",
            "json",
            "--year",
            "2026",
            "--chunk-size",
            "4096",
        ])
        .arg(&path)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Cut the file short (often in the middle of a line) and append to it, as log rotation
    // with copytruncate and a busy MTA do, until the run is over. The first MiB is never
    // touched, so at least its lines are read.
    let floor = 1 << 20;
    let file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
    let mut rounds = 0u64;
    while child.try_wait().unwrap().is_none() && rounds < 5000 {
        file.set_len(floor + (rounds * 7919) % (3 << 20)).unwrap();
        std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap()
            .write_all(&body.as_bytes()[..BOUNCE.len() * 50])
            .unwrap();
        rounds += 1;
    }
    let output = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{err}");
    let lines = accounted_lines(&String::from_utf8(output.stdout).unwrap());
    assert!(lines["read"] >= floor / BOUNCE.len() as u64, "{lines:?}");
    assert!(rounds > 1, "the file changed while it was read");
}

#[test]
fn a_fifo_is_read_like_a_file_even_when_its_first_bytes_come_one_by_one() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("mail.fifo");
    let made = StdCommand::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let plain = std::fs::read(SAMPLE).unwrap();
    let compressed = gzip(&plain);
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            let mut pipe = std::fs::OpenOptions::new().write(true).open(fifo).unwrap();
            // A gzip magic number cut across writes must still be recognised.
            for byte in &compressed[..3] {
                pipe.write_all(&[*byte]).unwrap();
                pipe.flush().unwrap();
                std::thread::sleep(std::time::Duration::from_millis(30));
            }
            pipe.write_all(&compressed[3..]).unwrap();
        })
    };
    let (code, from_fifo, err) = run(&["events", "--year", "2026", fifo.to_str().unwrap()]);
    writer.join().unwrap();
    assert_eq!(code, 0, "{err}");
    let (_, from_file, _) = run(&["events", "--year", "2026", SAMPLE]);
    let strip = |text: &str| -> Vec<Vec<String>> {
        rows(text)
            .iter()
            .map(|r| r.iter().skip(1).map(str::to_string).collect())
            .collect()
    };
    assert!(strip(&from_file).len() > 500);
    assert_eq!(strip(&from_fifo), strip(&from_file));
}

#[test]
fn gzip_on_a_slow_pipe_is_still_recognised() {
    let compressed = gzip(BOUNCE.as_bytes());
    let (code, out, err) = run_streaming(&["events", "--year", "2026"], |input| {
        input.write_all(&compressed[..1]).unwrap();
        input.flush().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(50));
        input.write_all(&compressed[1..]).unwrap();
    });
    assert_eq!(code, 0, "{err}");
    assert_eq!(rows(&out).len(), 1, "{out}");
}

#[test]
fn unreadable_inputs_are_named_and_the_rest_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let good = temp_file(dir.path(), "good.log", BOUNCE.as_bytes());
    let good = good.to_str().unwrap();
    let subdir = dir.path().join("archive");
    std::fs::create_dir(&subdir).unwrap();
    let (code, out, err) = run(&["events", "--year", "2026", subdir.to_str().unwrap(), good]);
    assert_eq!(code, 1);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("archive: is a directory"), "{err}");
    assert_eq!(rows(&out).len(), 1);

    // A name is shown, not obeyed.
    let (code, _, err) = run(&["events", "no-such-\x1b]0;owned\x07.log", good]);
    assert_eq!(code, 1);
    assert!(!err.contains('\x1b') && !err.contains('\x07'), "{err:?}");
    assert!(
        err.contains("no-such-\\x1b]0;owned\\x07.log: cannot open"),
        "{err}"
    );

    use std::os::unix::fs::FileTypeExt;
    let null_is_a_device =
        std::fs::metadata("/dev/null").is_ok_and(|m| m.file_type().is_char_device());
    if null_is_a_device {
        let (code, out, err) = run(&["events", "/dev/null"]);
        assert_eq!((code, err.as_str()), (0, ""));
        assert_eq!(out.lines().count(), 1, "the header alone");
        let (code, out, _) = run(&["report", "/dev/null"]);
        assert_eq!(code, 0);
        assert!(out.contains("no SMTP outcome found"), "{out}");
    } else {
        // Something replaced it with a plain file (as `-o /dev/null` once did).
        eprintln!("skipped the /dev/null case: it is not a device node here");
    }

    if is_root() {
        eprintln!("skipped the permission-denied case: root may read any file");
        return;
    }
    use std::os::unix::fs::PermissionsExt;
    let locked = temp_file(dir.path(), "locked.log", BOUNCE.as_bytes());
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let (code, out, err) = run(&["events", "--year", "2026", locked.to_str().unwrap(), good]);
    assert_eq!(code, 1);
    assert!(
        err.contains("locked.log: cannot open: Permission denied"),
        "{err}"
    );
    assert_eq!(rows(&out).len(), 1);
}

#[test]
fn a_full_disk_gives_an_error_and_no_file_that_looks_complete() {
    let (code, out, err) = run(&["report", "-o", "/dev/full", SAMPLE]);
    assert_eq!(code, 1);
    assert!(out.is_empty());
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("mailsift: /dev/full: cannot write: ") && err.contains("No space left"),
        "{err}"
    );
    use std::os::unix::fs::FileTypeExt;
    let full = std::fs::metadata("/dev/full").unwrap();
    assert!(full.file_type().is_char_device(), "/dev/full is left alone");

    // A regular file on a disk that fills up: a file size limit stands in for the full disk.
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("events.csv");
    std::fs::write(&target, "yesterday's\n").unwrap();
    let output = StdCommand::new("sh")
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 64; exec \"$0\" \"$@\"")
        .arg(assert_cmd::cargo::cargo_bin("mailsift"))
        .args(["events", "-o", target.to_str().unwrap(), SAMPLE, SAMPLE_GZ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(err.contains("events.csv: cannot write"), "{err}");
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "yesterday's\n");
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["events.csv"], "the temporary file is removed");
}

#[test]
fn a_closed_pipe_ends_every_command_quietly() {
    let many = [SAMPLE, SAMPLE_GZ, SAMPLE, SAMPLE_GZ];
    let cases: Vec<Vec<&str>> = vec![
        [&["report"][..], &many].concat(),
        [&["report", "--format", "html"][..], &many].concat(),
        [&["events", "--format", "ndjson"][..], &many].concat(),
        vec!["codes"],
        vec!["explain", "421", "550"],
    ];
    for args in cases {
        // Closed before anything is written, and closed after the first line is read, as
        // `| head -1` does.
        for read_first in [false, true] {
            let mut child = bin()
                .args(&args)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            let mut stdout = child.stdout.take().unwrap();
            if read_first {
                let mut byte = [0u8; 1];
                while stdout.read(&mut byte).unwrap() == 1 && byte[0] != b'\n' {}
            }
            drop(stdout);
            let output = child.wait_with_output().unwrap();
            let err = String::from_utf8_lossy(&output.stderr);
            assert_eq!(output.status.code(), Some(0), "{args:?}: {err}");
            assert!(err.is_empty(), "{args:?}: {err}");
        }
    }
}

#[test]
fn bad_values_are_usage_errors_that_name_them() {
    let cases: &[(&[&str], &str)] = &[
        (&["--threads", "0", SAMPLE], "'0'"),
        (&["--threads", "-1", SAMPLE], "'-1'"),
        (&["--threads", "99999", SAMPLE], "'99999'"),
        (&["--top", "0", SAMPLE], "'0'"),
        (&["--top", "-3", SAMPLE], "'-3'"),
        (
            &["--top", "18446744073709551616", SAMPLE],
            "'18446744073709551616'",
        ),
        (&["--examples", "5000", SAMPLE], "'5000'"),
        (&["--examples", "-1", SAMPLE], "'-1'"),
        (&["--year", "-2026", SAMPLE], "'-2026'"),
        (&["--year", "20260", SAMPLE], "'20260'"),
        (&["events", "--chunk-size", "0", SAMPLE], "'0'"),
        (&["--only", "5xx,bogus", SAMPLE], "`bogus`"),
        (&["--only", "6.1.1", SAMPLE], "`6.1.1`"),
        (&["--since", "next tuesday", SAMPLE], "`next tuesday`"),
        (&["--since", "-99999999d", SAMPLE], "`-99999999d`"),
        (&["--until", "2026-02-30", SAMPLE], "`2026-02-30`"),
        (&["--fail-on", "5xx>lots", SAMPLE], "`5xx>lots`"),
        (&["--fail-on", "5xx>200%", SAMPLE], "`5xx>200%`"),
        (&["--format", "pdf", SAMPLE], "'pdf'"),
        (&["--lang", "xx", SAMPLE], "'xx'"),
        (&["explain", "6.6.6"], "6.6.6"),
        (&["trace", "", SAMPLE], "\"\""),
    ];
    for (args, named) in cases {
        let (code, out, err) = run(args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(out.is_empty(), "{args:?}");
        let first = err.lines().next().unwrap_or("");
        assert!(first.contains(named), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}
