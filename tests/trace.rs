//! `mailsift trace` on crafted logs: a message deferred three times then delivered, a bounce
//! followed into its notification, an address found on delivery and reject lines, an Exim
//! bounce, rotated files given newest first, and the usage errors.

mod common;

use common::{run, temp_file};

const DEFERRED_THEN_SENT: &str = "\
Nov 21 08:00:00 mx1 postfix/pickup[10]: 1A2B3C4D5E: uid=33 from=<www@example.com>
Nov 21 08:00:00 mx1 postfix/cleanup[11]: 1A2B3C4D5E: message-id=<m1@example.com>
Nov 21 08:00:00 mx1 postfix/qmgr[12]: 1A2B3C4D5E: from=<www@example.com>, size=900, nrcpt=1 (queue active)
Nov 21 08:00:01 mx1 postfix/smtp[13]: 1A2B3C4D5E: to=<bob@example.org>, relay=mx.example.org[192.0.2.10]:25, delay=1, delays=0/0/0.5/0.5, dsn=4.7.1, status=deferred (host mx.example.org[192.0.2.10] said: 451 4.7.1 Greylisted, please try again later (in reply to RCPT TO command))
Nov 21 08:00:02 mx1 postfix/smtpd[14]: 9F8E7D6C5B: client=other.example[192.0.2.99]
Nov 21 08:05:01 mx1 postfix/smtp[13]: 1A2B3C4D5E: to=<bob@example.org>, relay=mx.example.org[192.0.2.10]:25, delay=301, delays=300/0/0.5/0.5, dsn=4.7.1, status=deferred (host mx.example.org[192.0.2.10] said: 451 4.7.1 Greylisted, please try again later (in reply to RCPT TO command))
Nov 21 08:15:01 mx1 postfix/smtp[13]: 1A2B3C4D5E: to=<bob@example.org>, relay=mx.example.org[192.0.2.10]:25, delay=901, delays=900/0/0.5/0.5, dsn=4.4.1, status=deferred (connect to mx.example.org[192.0.2.10]:25: Connection timed out)
Nov 21 08:35:01 mx1 postfix/smtp[13]: 1A2B3C4D5E: to=<bob@example.org>, relay=mx.example.org[192.0.2.10]:25, delay=2101, delays=2100/0/0.5/0.5, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 77AA88BB99)
Nov 21 08:35:01 mx1 postfix/qmgr[12]: 1A2B3C4D5E: removed
";

const BOUNCED: &str = "\
Nov 21 09:00:00 mx1 postfix/qmgr[12]: 2B3C4D5E6F: from=<alice@example.com>, size=700, nrcpt=1 (queue active)
Nov 21 09:00:01 mx1 postfix/smtp[13]: 2B3C4D5E6F: to=<nobody@example.net>, relay=mx.example.net[198.51.100.20]:25, delay=1, delays=0/0/0.5/0.5, dsn=5.1.1, status=bounced (host mx.example.net[198.51.100.20] said: 550 5.1.1 <nobody@example.net>: Recipient address rejected: User unknown (in reply to RCPT TO command))
Nov 21 09:00:01 mx1 postfix/cleanup[11]: 3C4D5E6F70: message-id=<bounce@mx1.example.com>
Nov 21 09:00:01 mx1 postfix/bounce[15]: 2B3C4D5E6F: sender non-delivery notification: 3C4D5E6F70
Nov 21 09:00:01 mx1 postfix/qmgr[12]: 2B3C4D5E6F: removed
Nov 21 09:00:02 mx1 postfix/local[16]: 3C4D5E6F70: to=<alice@example.com>, relay=local, delay=0.1, delays=0/0/0/0.1, dsn=2.0.0, status=sent (delivered to mailbox)
Nov 21 09:00:02 mx1 postfix/qmgr[12]: 3C4D5E6F70: removed
Nov 21 09:00:03 mx1 postfix/smtpd[14]: NOQUEUE: reject: RCPT from unknown[203.0.113.5]: 554 5.7.1 <nobody@example.net>: Relay access denied; from=<x@spam.example> to=<nobody@example.net> proto=ESMTP helo=<spam.example>
";

fn trace(args: &[&str]) -> (i32, String, String) {
    let mut all = vec!["trace"];
    all.extend(args);
    all.extend(["--year", "2026"]);
    run(&all)
}

#[test]
fn deferred_three_times_then_delivered() {
    let dir = tempfile::tempdir().unwrap();
    let log = temp_file(dir.path(), "mail.log", DEFERRED_THEN_SENT.as_bytes());
    let (code, out, err) = trace(&["1A2B3C4D5E", log.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].contains("1A2B3C4D5E: 8 lines, 1 message"), "{out}");
    assert!(!out.contains("9F8E7D6C5B"), "another message's line: {out}");
    let notes: Vec<&str> = lines
        .iter()
        .filter(|l| l.starts_with("    => "))
        .copied()
        .collect();
    assert_eq!(notes.len(), 4, "{out}");
    assert!(notes[0].contains("451 4.7.1 outbound deferred at RCPT, transient: greylisted"));
    assert!(notes[1].contains("greylisted"));
    assert!(
        notes[2].contains("4.4.1 outbound deferred at CONNECT, transient"),
        "{}",
        notes[2]
    );
    assert!(notes[3].contains("250 2.0.0 outbound sent"));
    assert!(notes[3].contains("success: delivered"));
    assert!(lines.last().unwrap().ends_with("1A2B3C4D5E: removed"));
    // file:line of every line, in time order.
    assert!(
        lines[1].starts_with("2026-11-21T08:00:00  "),
        "{}",
        lines[1]
    );
    assert!(lines[1].contains("mail.log:1  "));
}

#[test]
fn a_bounce_is_followed_into_its_notification() {
    let dir = tempfile::tempdir().unwrap();
    let log = temp_file(dir.path(), "mail.log", BOUNCED.as_bytes());
    let (code, out, err) = trace(&["2B3C4D5E6F", log.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.lines()
            .next()
            .unwrap()
            .contains("2 messages (2B3C4D5E6F, 3C4D5E6F70)"),
        "{out}"
    );
    assert!(out.contains("550 5.1.1 outbound bounced at RCPT, permanent: user_unknown"));
    assert!(out.contains("3C4D5E6F70: to=<alice@example.com>, relay=local"));
    assert!(!out.contains("NOQUEUE"), "{out}");
}

#[test]
fn a_message_is_followed_through_a_local_content_filter() {
    let log = "\
Nov 21 09:00:00 mx1 postfix/qmgr[12]: 4PbC4x469Jz3tBr: from=<ann@example.com>, size=900, nrcpt=1 (queue active)
Nov 21 09:00:02 mx1 postfix/amavis/smtp[1]: 4PbC4x469Jz3tBr: to=<bo@example.org>, relay=127.0.0.1[127.0.0.1]:10024, delay=2.4, delays=0.29/0.02/0.01/2.1, dsn=2.0.0, status=sent (250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 Ok: queued as 4PbC4z6W5Qz3tG3)
Nov 21 09:00:02 mx1 postfix/qmgr[12]: 4PbC4x469Jz3tBr: removed
Nov 21 09:00:02 mx1 postfix/qmgr[12]: 4PbC4z6W5Qz3tG3: from=<ann@example.com>, size=1400, nrcpt=1 (queue active)
Nov 21 09:00:03 mx1 postfix/pipe[3]: 4PbC4z6W5Qz3tG3: to=<bo@example.org>, relay=dovecot, delay=0.12, delays=0.01/0.01/0/0.1, dsn=2.0.0, status=sent (delivered via dovecot service)
Nov 21 09:00:03 mx1 postfix/qmgr[12]: 4PbC4z6W5Qz3tG3: removed
Nov 21 09:00:04 mx1 postfix/pipe[3]: 5QcD5y570KzAbCd: to=<cy@example.org>, relay=dovecot, delay=0.12, delays=0.01/0.01/0/0.1, dsn=2.0.0, status=sent (delivered via dovecot service)
";
    let dir = tempfile::tempdir().unwrap();
    let path = temp_file(dir.path(), "mail.log", log.as_bytes());
    let (code, out, err) = trace(&["4PbC4x469Jz3tBr", path.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.lines()
            .next()
            .unwrap()
            .contains("2 messages (4PbC4x469Jz3tBr, 4PbC4z6W5Qz3tG3)"),
        "{out}"
    );
    assert!(out.contains("relay=dovecot"), "{out}");
    assert!(!out.contains("5QcD5y570KzAbCd"), "{out}");
}

#[test]
fn an_address_finds_its_messages_and_rejects() {
    let dir = tempfile::tempdir().unwrap();
    let log = temp_file(
        dir.path(),
        "mail.log",
        format!("{DEFERRED_THEN_SENT}{BOUNCED}").as_bytes(),
    );
    let (code, out, err) = trace(&["<NoBody@Example.NET>", log.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    // The bounced message whole (its qmgr line names no recipient), its notification, and the
    // reject, which has no queue id.
    assert!(
        out.contains("2B3C4D5E6F: from=<alice@example.com>, size=700"),
        "{out}"
    );
    assert!(out.contains("3C4D5E6F70: removed"));
    assert!(out.contains("NOQUEUE: reject: RCPT from unknown[203.0.113.5]"));
    assert!(out.contains("554 5.7.1 inbound rejected at RCPT, permanent: relay_denied"));
    assert!(!out.contains("1A2B3C4D5E"), "{out}");
}

#[test]
fn rotated_files_given_newest_first_come_out_in_time_order() {
    let dir = tempfile::tempdir().unwrap();
    let (older, newer) =
        DEFERRED_THEN_SENT.split_at(DEFERRED_THEN_SENT.find("Nov 21 08:05").unwrap());
    let newer_path = temp_file(dir.path(), "mail.log", newer.as_bytes());
    let older_path = temp_file(dir.path(), "mail.log.1.gz", &common::gzip(older.as_bytes()));
    let (code, out, err) = trace(&[
        "1A2B3C4D5E",
        newer_path.to_str().unwrap(),
        older_path.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let times: Vec<&str> = out
        .lines()
        .skip(1)
        .filter(|l| !l.starts_with(' '))
        .map(|l| l.split("  ").next().unwrap())
        .collect();
    let mut sorted = times.clone();
    sorted.sort();
    assert_eq!(times, sorted, "{out}");
    assert!(
        out.lines().nth(1).unwrap().contains("mail.log.1.gz:1  "),
        "{out}"
    );
}

#[test]
fn exim_messages_and_their_bounces() {
    let mainlog = "\
2026-11-21 10:00:00 1vWxYz-000AbC-12 <= alice@example.com H=laptop.example.com [192.0.2.77] P=esmtpsa S=2310 id=x@example.com
2026-11-21 10:00:01 1vWxYz-000AbC-12 ** nobody@example.net R=dnslookup T=remote_smtp H=mx.example.net [198.51.100.20]: SMTP error from remote mail server after RCPT TO:<nobody@example.net>: 550 5.1.1 User unknown
2026-11-21 10:00:01 1vWxZa-000BcD-34 <= <> R=1vWxYz-000AbC-12 U=Debian-exim P=local S=3000
2026-11-21 10:00:01 1vWxYz-000AbC-12 Completed
2026-11-21 10:00:02 1vWxZa-000BcD-34 => alice <alice@example.com> R=local_user T=mail_spool
2026-11-21 10:00:02 1vWxZa-000BcD-34 Completed
2026-11-21 10:00:03 1vWyAa-000CdE-56 <= carol@example.com H=other.example [192.0.2.78] P=esmtp S=100
";
    let dir = tempfile::tempdir().unwrap();
    let log = temp_file(dir.path(), "mainlog", mainlog.as_bytes());
    let (code, out, err) = trace(&["1vWxYz-000AbC-12", log.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("6 lines, 2 messages (1vWxYz-000AbC-12, 1vWxZa-000BcD-34)"),
        "{out}"
    );
    assert!(
        out.contains("550 5.1.1 outbound bounced at RCPT, permanent: user_unknown"),
        "{out}"
    );
    assert!(!out.contains("1vWyAa"), "{out}");
}

#[test]
fn log_text_cannot_drive_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let log = temp_file(
        dir.path(),
        "mail.log",
        b"Nov 21 09:00:01 mx1 postfix/smtp[13]: 5E6F7A8B9C: to=<u@example.org>, relay=mx.example.org[192.0.2.9]:25, delay=1, delays=0/0/0.5/0.5, dsn=5.7.1, status=bounced (host mx.example.org[192.0.2.9] said: 550 5.7.1 \x1b]8;;http://evil.example\x07click\x1b]8;;\x07 (in reply to RCPT TO command))\n",
    );
    let (code, out, _) = trace(&["5E6F7A8B9C", log.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(!out.contains('\x1b') && !out.contains('\x07'), "{out:?}");
    assert!(
        out.contains(r"\x1b]8;;http://evil.example\x07click"),
        "{out}"
    );
}

#[test]
fn nothing_found_and_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let log = temp_file(dir.path(), "mail.log", DEFERRED_THEN_SENT.as_bytes());
    let path = log.to_str().unwrap();
    let (code, out, _) = trace(&["0000000000A", path]);
    assert_eq!(code, 0);
    assert_eq!(out.trim(), "mailsift trace 0000000000A: no line found");
    for (args, says) in [
        (vec!["1A2B3C4D5E", "-"], "standard input"),
        (vec!["1A2B3C4D5E", "--only", "5xx", path], "--only"),
        (vec!["1A2B3C4D5E", "--since", "2026-11-21", path], "--since"),
        (vec!["two words", path], "neither"),
    ] {
        let (code, _, err) = trace(&args);
        assert_eq!(code, 2, "{args:?}");
        assert!(err.contains(says), "{args:?}: {err}");
    }
    let (code, _, err) = trace(&["1A2B3C4D5E", path, "/nonexistent/mail.log"]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(err.matches("/nonexistent/mail.log").count(), 1, "{err}");
}

#[test]
fn a_queue_id_used_again_a_day_later_is_marked() {
    let later = DEFERRED_THEN_SENT
        .replace("Nov 21 ", "Nov 22 ")
        .replace("bob@example.org", "carol@example.org");
    let dir = tempfile::tempdir().unwrap();
    let log = temp_file(
        dir.path(),
        "mail.log",
        format!("{DEFERRED_THEN_SENT}{later}").as_bytes(),
    );
    let (code, out, err) = trace(&["1A2B3C4D5E", log.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    let marks: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.starts_with("--- 1A2B3C4D5E is used again"))
        .map(|(i, _)| i)
        .collect();
    assert_eq!(marks.len(), 1, "{out}");
    // The mark sits between the first message's removal and the second one's first line.
    assert!(
        lines[marks[0] - 1].ends_with("1A2B3C4D5E: removed"),
        "{out}"
    );
    assert!(
        lines[marks[0] + 1].starts_with("2026-11-22T08:00:00"),
        "{out}"
    );
}

#[test]
fn a_notification_logged_after_the_removal_stays_with_its_message() {
    let log_text = "\
Nov 20 09:06:44 mx1 postfix/smtp[7382]: 7A26488594: to=<judy@example.org>, relay=mx.example.org[203.0.113.5]:25, delay=1.3, delays=0.2/0.01/0.8/0.25, dsn=5.1.1, status=bounced (host mx.example.org[203.0.113.5] said: 550 5.1.1 <judy@example.org>: Recipient address rejected: User unknown (in reply to RCPT TO command))
Nov 20 09:06:44 mx1 postfix/qmgr[6048]: 7A26488594: removed
Nov 20 09:06:44 mx1 postfix/bounce[9528]: 7A26488594: sender non-delivery notification: CC7B7E3431
";
    let dir = tempfile::tempdir().unwrap();
    let log = temp_file(dir.path(), "mail.log", log_text.as_bytes());
    let (code, out, err) = trace(&["7A26488594", log.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(!out.contains("is used again"), "{out}");
    assert!(out.contains("sender non-delivery notification"), "{out}");
}
