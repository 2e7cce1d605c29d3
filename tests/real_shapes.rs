//! Runs the built binary on logs made of the line shapes production Postfix and Exim servers
//! write (delivery status lines of every transport, per-host failures, smtpd, postscreen and
//! cleanup rejects, Exim deliveries, deferrals, failures and ACL rejects, through syslog and
//! journald), and checks what each chosen line gives and where every line is counted.

mod common;

use common::{events_by_line, line_of, mailsift};

use serde_json::Value;

const POSTFIX: &str = "tests/fixtures/postfix/real-shapes.log";
const EXIM: &str = "tests/fixtures/exim/real-shapes.log";
const EXIM_SYSLOG: &str = "tests/fixtures/exim/real-shapes-syslog.log";

/// The columns compared for each chosen line, in this order.
const COLUMNS: [&str; 12] = [
    "action",
    "direction",
    "stage",
    "reply_code",
    "enhanced_code",
    "dsn",
    "class",
    "remote_host",
    "remote_ip",
    "sender",
    "recipient",
    "timestamp",
];

/// What one fixture line must give; the line is found by a piece of text only it holds, so
/// that adding lines to a fixture does not shift the expectations.
struct Expect {
    needle: &'static str,
    action: &'static str,
    direction: &'static str,
    stage: &'static str,
    reply: &'static str,
    enhanced: &'static str,
    dsn: &'static str,
    class: &'static str,
    remote_host: &'static str,
    remote_ip: &'static str,
    sender: &'static str,
    recipient: &'static str,
    /// Checked only when not empty.
    timestamp: &'static str,
}

const NONE: Expect = Expect {
    needle: "",
    action: "",
    direction: "outbound",
    stage: "",
    reply: "",
    enhanced: "",
    dsn: "",
    class: "",
    remote_host: "",
    remote_ip: "",
    sender: "",
    recipient: "",
    timestamp: "",
};

fn output(args: &[&str]) -> String {
    let output = mailsift().args(args).output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn check(path: &str, expectations: &[Expect]) {
    let all = events_by_line(path);
    for expect in expectations {
        let line = line_of(path, expect.needle);
        let found: Vec<_> = all.iter().filter(|(at, _)| *at == line).collect();
        assert_eq!(found.len(), 1, "one event from {path}:{line}");
        let row = &found[0].1;
        let want = [
            expect.action,
            expect.direction,
            expect.stage,
            expect.reply,
            expect.enhanced,
            expect.dsn,
            expect.class,
            expect.remote_host,
            expect.remote_ip,
            expect.sender,
            expect.recipient,
            expect.timestamp,
        ];
        for (column, want) in COLUMNS.iter().zip(want) {
            if *column == "timestamp" && want.is_empty() {
                continue;
            }
            assert_eq!(row[*column], want, "{column} of {path}:{line}");
        }
    }
}

fn without_event(path: &str, needles: &[&str]) {
    let all = events_by_line(path);
    for needle in needles {
        let line = line_of(path, needle);
        assert!(
            all.iter().all(|(at, _)| *at != line),
            "{path}:{line} gives no event"
        );
    }
}

/// The footer's accounting, from the JSON summary.
fn lines(path: &str) -> Value {
    let json = output(&["report", "--year", "2026", "--format", "json", path]);
    let summary: Value = serde_json::from_str(&json).unwrap();
    summary["lines"].clone()
}

#[test]
fn postfix_line_shapes_give_their_fields() {
    check(
        POSTFIX,
        &[
            Expect {
                needle: "NoSuchUser a1b2c3d4e5f.12",
                action: "bounced",
                stage: "RCPT",
                reply: "550",
                enhanced: "5.1.1",
                dsn: "5.1.1",
                class: "5xx",
                remote_host: "mx1.example.net",
                remote_ip: "198.51.100.20",
                recipient: "alice@example.net",
                ..NONE
            },
            Expect {
                needle: "said: 421-4.7.28",
                action: "deferred",
                stage: "END-OF-DATA",
                reply: "421",
                enhanced: "4.7.28",
                dsn: "4.7.28",
                class: "4xx",
                remote_host: "mx1.example.net",
                remote_ip: "198.51.100.20",
                recipient: "carol@example.net",
                ..NONE
            },
            Expect {
                needle: "3F2A1B0CA2: host mta5.am0.example.net",
                action: "refused",
                stage: "CONNECT",
                reply: "421",
                enhanced: "4.7.0",
                class: "4xx",
                remote_host: "mta5.am0.example.net",
                remote_ip: "198.51.100.55",
                ..NONE
            },
            Expect {
                needle: "connect to mx2.dead.example[2001:db8::77]:25: Network",
                action: "refused",
                stage: "CONNECT",
                class: "4xx",
                remote_host: "mx2.dead.example",
                remote_ip: "2001:db8::77",
                ..NONE
            },
            Expect {
                needle: "to=<leo@nodns.example>",
                action: "deferred",
                dsn: "4.4.3",
                class: "4xx",
                recipient: "leo@nodns.example",
                ..NONE
            },
            Expect {
                needle: "to=<quinn@tls.example>",
                action: "deferred",
                stage: "STARTTLS",
                reply: "454",
                enhanced: "4.7.0",
                dsn: "4.7.0",
                class: "4xx",
                remote_host: "mx.tls.example",
                remote_ip: "203.0.113.80",
                recipient: "quinn@tls.example",
                ..NONE
            },
            Expect {
                needle: "3F2A1B0CE4: TLS is required, but host",
                action: "refused",
                stage: "STARTTLS",
                reply: "454",
                enhanced: "4.7.0",
                class: "4xx",
                remote_host: "mx.example.net",
                remote_ip: "198.51.100.20",
                ..NONE
            },
            Expect {
                needle: "to=<rob@partner.example>",
                action: "bounced",
                stage: "AUTH",
                reply: "535",
                enhanced: "5.7.8",
                dsn: "5.7.8",
                class: "5xx",
                remote_host: "smarthost.partner.example",
                remote_ip: "192.0.2.200",
                recipient: "rob@partner.example",
                ..NONE
            },
            Expect {
                needle: "3F2A1B0CB0: SASL authentication failed; server",
                action: "refused",
                stage: "AUTH",
                reply: "535",
                enhanced: "5.7.8",
                class: "5xx",
                remote_host: "smarthost.partner.example",
                remote_ip: "192.0.2.200",
                ..NONE
            },
            Expect {
                needle: "to=<otto@example.org>",
                action: "bounced",
                stage: "RCPT",
                reply: "550",
                enhanced: "5.1.1",
                dsn: "5.1.1",
                class: "5xx",
                remote_host: "mail.example.org",
                remote_ip: "private/dovecot-lmtp",
                recipient: "otto@example.org",
                ..NONE
            },
            Expect {
                needle: "to=<pia@example.org>",
                action: "deferred",
                stage: "CONNECT",
                dsn: "4.4.1",
                class: "4xx",
                remote_host: "mail.example.org",
                remote_ip: "private/dovecot-lmtp",
                recipient: "pia@example.org",
                ..NONE
            },
            Expect {
                needle: "status=expired, returned to sender",
                action: "expired",
                class: "5xx",
                sender: "news@example.org",
                ..NONE
            },
            Expect {
                needle: "550 5.5.1 Protocol error",
                action: "rejected",
                direction: "inbound",
                stage: "RCPT",
                reply: "550",
                enhanced: "5.5.1",
                class: "5xx",
                remote_ip: "198.51.100.82",
                sender: "x@bad.example",
                recipient: "nora@example.org",
                ..NONE
            },
            Expect {
                needle: "reject: CONNECT from [198.51.100.87]:40009: too many connections",
                action: "rejected",
                direction: "inbound",
                stage: "CONNECT",
                class: "4xx",
                remote_ip: "198.51.100.87",
                ..NONE
            },
            Expect {
                needle: "reject: ETRN from",
                action: "rejected",
                direction: "inbound",
                stage: "ETRN",
                reply: "554",
                enhanced: "5.7.1",
                class: "5xx",
                remote_host: "unknown",
                remote_ip: "198.51.100.64",
                ..NONE
            },
            Expect {
                needle: "reject_warning: RCPT",
                action: "reject_warning",
                direction: "inbound",
                stage: "RCPT",
                reply: "450",
                enhanced: "4.7.1",
                class: "4xx",
                remote_host: "unknown",
                remote_ip: "198.51.100.65",
                sender: "x@sender.example",
                recipient: "gail@example.org",
                ..NONE
            },
            Expect {
                needle: "reject: header From: \"Prize Desk\"",
                action: "rejected",
                direction: "inbound",
                stage: "END-OF-DATA",
                enhanced: "5.7.1",
                class: "5xx",
                remote_host: "unknown",
                remote_ip: "198.51.100.89",
                sender: "prize@bad.example",
                recipient: "paul@example.org",
                ..NONE
            },
            // journalctl -o short-iso, short-precise, and a day of one digit.
            Expect {
                needle: "2026-11-21T08:02:12+0100",
                action: "rejected",
                direction: "inbound",
                stage: "RCPT",
                reply: "554",
                enhanced: "5.7.1",
                class: "5xx",
                remote_host: "unknown",
                remote_ip: "2001:db8:5::9",
                sender: "x@bad.example",
                recipient: "yuri@elsewhere.example",
                timestamp: "2026-11-21T08:02:12+01:00",
                ..NONE
            },
            Expect {
                needle: "Nov 21 08:02:13.456789",
                action: "sent",
                stage: "END-OF-DATA",
                reply: "250",
                enhanced: "2.0.0",
                dsn: "2.0.0",
                class: "2xx",
                remote_host: "mx1.example.net",
                remote_ip: "198.51.100.20",
                recipient: "zoe@example.net",
                timestamp: "2026-11-21T08:02:13.456789",
                ..NONE
            },
            Expect {
                needle: "Nov  1 08:02:10",
                action: "deferred",
                stage: "RCPT",
                reply: "452",
                enhanced: "4.2.2",
                dsn: "4.2.2",
                class: "4xx",
                remote_host: "mx1.example.net",
                remote_ip: "198.51.100.20",
                recipient: "wes@example.net",
                timestamp: "2026-11-01T08:02:10",
                ..NONE
            },
            // Folded replies whose first line holds only the server's name.
            Expect {
                needle: "to=<j@example.net>",
                action: "bounced",
                stage: "RCPT",
                reply: "554",
                enhanced: "5.7.1",
                dsn: "5.0.0",
                class: "5xx",
                remote_host: "mx.example.net",
                remote_ip: "198.51.100.20",
                recipient: "j@example.net",
                ..NONE
            },
            Expect {
                needle: "to=<x@example.net>",
                action: "deferred",
                stage: "MAIL",
                reply: "451",
                enhanced: "4.7.1",
                dsn: "4.0.0",
                class: "4xx",
                remote_host: "mx.example.net",
                remote_ip: "198.51.100.20",
                recipient: "x@example.net",
                ..NONE
            },
            // TLS failures that quote no reply.
            Expect {
                needle: "to=<ned@tls.example>",
                action: "deferred",
                stage: "STARTTLS",
                dsn: "4.7.5",
                class: "4xx",
                remote_host: "mx.tls.example",
                remote_ip: "203.0.113.80",
                recipient: "ned@tls.example",
                ..NONE
            },
            Expect {
                needle: "to=<olga@tls.example>",
                action: "deferred",
                stage: "STARTTLS",
                dsn: "4.7.4",
                class: "4xx",
                remote_host: "mx.tls.example",
                remote_ip: "203.0.113.80",
                recipient: "olga@tls.example",
                ..NONE
            },
            Expect {
                needle: "3F2A1B0CF5: TLS is required, but was not offered",
                action: "refused",
                stage: "STARTTLS",
                class: "4xx",
                remote_host: "mx2.tls.example",
                remote_ip: "203.0.113.82",
                ..NONE
            },
            // A server whose banner names us: a loop, found at the connection.
            Expect {
                needle: "3F2A1B0CEE: host mx.example.net[198.51.100.20] greeted me",
                action: "refused",
                stage: "CONNECT",
                class: "4xx",
                remote_host: "mx.example.net",
                remote_ip: "198.51.100.20",
                ..NONE
            },
            Expect {
                needle: "warning: host mail.loop.example[198.51.100.30]:25 greeted me",
                action: "refused",
                stage: "CONNECT",
                class: "4xx",
                remote_host: "mail.loop.example",
                remote_ip: "198.51.100.30",
                ..NONE
            },
            Expect {
                needle: "to=<c@example.net>",
                action: "bounced",
                stage: "CONNECT",
                dsn: "5.4.6",
                class: "5xx",
                remote_host: "mx.example.net",
                remote_ip: "198.51.100.20",
                recipient: "c@example.net",
                ..NONE
            },
            // rsyslog's reduction of identical lines: the repeated text, read once.
            Expect {
                needle: "postfix/smtpd[4227]: message repeated 2 times",
                action: "rejected",
                direction: "inbound",
                stage: "RCPT",
                reply: "554",
                enhanced: "5.7.1",
                class: "5xx",
                remote_host: "unknown",
                remote_ip: "198.51.100.9",
                sender: "a@b.example",
                recipient: "x@elsewhere.example",
                ..NONE
            },
            // A before-queue content filter's answer, passed on by smtpd_proxy_filter.
            Expect {
                needle: "4C5D6E7F80: proxy-reject: END-OF-MESSAGE",
                action: "rejected",
                direction: "inbound",
                stage: "END-OF-DATA",
                reply: "554",
                enhanced: "5.7.0",
                class: "5xx",
                sender: "promo@bad.example",
                recipient: "ann@example.com",
                ..NONE
            },
            Expect {
                needle: "NOQUEUE: proxy-reject: END-OF-MESSAGE: 451",
                action: "rejected",
                direction: "inbound",
                stage: "END-OF-DATA",
                reply: "451",
                enhanced: "4.3.0",
                class: "4xx",
                sender: "news@sender.example",
                recipient: "bob@example.com",
                ..NONE
            },
            // BusyBox syslogd writes the facility and priority before the tag.
            Expect {
                needle: "backup mail.info postfix/smtp[4304]",
                action: "deferred",
                stage: "CONNECT",
                dsn: "4.4.1",
                class: "4xx",
                remote_host: "mx.example.net",
                remote_ip: "198.51.100.20",
                recipient: "et@example.net",
                timestamp: "2026-11-21T08:21:04",
                ..NONE
            },
            // postscreen answers 421 when it may screen no more clients, and logs no code.
            Expect {
                needle: "all screening ports busy",
                action: "rejected",
                direction: "inbound",
                stage: "CONNECT",
                class: "4xx",
                remote_ip: "198.51.100.92",
                ..NONE
            },
            Expect {
                needle: "to=<\"doe, jane\"@quoted.example>",
                action: "sent",
                stage: "END-OF-DATA",
                reply: "250",
                enhanced: "2.0.0",
                dsn: "2.0.0",
                class: "2xx",
                remote_host: "mx.quoted.example",
                remote_ip: "203.0.113.151",
                recipient: "\"doe, jane\"@quoted.example",
                ..NONE
            },
            // A line stored with the priority it had on the wire, and qmail's enhanced code
            // at the end of its text.
            Expect {
                needle: "<22>Nov 21 08:21:07",
                action: "bounced",
                stage: "RCPT",
                reply: "511",
                enhanced: "5.1.1",
                dsn: "5.0.0",
                class: "5xx",
                remote_host: "mx.example.net",
                remote_ip: "198.51.100.20",
                recipient: "fay@example.net",
                timestamp: "2026-11-21T08:21:07",
                ..NONE
            },
            // RFC 5424, and an enhanced code after the server's own words.
            Expect {
                needle: "<22>1 2026-11-21T08:21:08",
                action: "bounced",
                stage: "END-OF-DATA",
                reply: "554",
                enhanced: "5.7.1",
                dsn: "5.0.0",
                class: "5xx",
                remote_host: "mx.example.net",
                remote_ip: "198.51.100.20",
                recipient: "gus@example.net",
                timestamp: "2026-11-21T08:21:08.123456+01:00",
                ..NONE
            },
            // smtpd's warnings are the only lines written for a failed login and for a client
            // over one of anvil's limits.
            Expect {
                needle: "SASL LOGIN authentication failed: UGFzc3dvcmQ6",
                action: "rejected",
                direction: "inbound",
                stage: "AUTH",
                class: "5xx",
                remote_host: "unknown",
                remote_ip: "198.51.100.67",
                ..NONE
            },
            Expect {
                needle: "Connection lost to authentication server",
                action: "rejected",
                direction: "inbound",
                stage: "AUTH",
                class: "4xx",
                remote_host: "unknown",
                remote_ip: "198.51.100.91",
                ..NONE
            },
            Expect {
                needle: "Connection rate limit exceeded: 61",
                action: "rejected",
                direction: "inbound",
                stage: "CONNECT",
                class: "4xx",
                remote_host: "unknown",
                remote_ip: "203.0.113.23",
                ..NONE
            },
            // Expired by hand with `postsuper -e`.
            Expect {
                needle: "status=force-expired",
                action: "expired",
                class: "5xx",
                sender: "news@example.com",
                ..NONE
            },
            // A syslog template that leaves out the colon after `TAG[PID]`.
            Expect {
                needle: "postfix/smtp[4311] 6E7F809A1C",
                action: "bounced",
                stage: "RCPT",
                reply: "554",
                enhanced: "5.7.1",
                dsn: "5.7.1",
                class: "5xx",
                remote_host: "mx.example.net",
                remote_ip: "198.51.100.20",
                recipient: "lou@example.net",
                ..NONE
            },
            // A server that greets with 5xx is skipped and tried again later: Postfix defers
            // with a dsn of its own, which is not part of the server's reply.
            Expect {
                needle: "554-p3plsmtp01",
                action: "deferred",
                stage: "CONNECT",
                reply: "554",
                dsn: "4.0.0",
                class: "5xx",
                remote_host: "mailstore1.hosting.example",
                remote_ip: "198.51.100.201",
                recipient: "scott@studio.example",
                ..NONE
            },
        ],
    );
}

#[test]
fn a_dsn_postfix_chose_is_not_paired_with_a_reply_of_another_class() {
    let (_, report, _) = common::run(&["report", "--format", "json", "--year", "2026", POSTFIX]);
    let report: Value = serde_json::from_str(&report).unwrap();
    let codes = report["codes"].as_array().unwrap();
    let row = |reply: u64| {
        codes
            .iter()
            .find(|row| row["reply_code"] == reply)
            .unwrap_or_else(|| panic!("no {reply} row in {codes:?}"))
    };
    for reply in [554, 571] {
        assert!(
            codes
                .iter()
                .filter(|row| row["reply_code"] == reply)
                .all(|row| row["enhanced_code"] != "4.0.0"),
            "{codes:?}"
        );
    }
    assert_eq!(row(571)["reason"], "blocklisted");
    assert!(!row(571)["meaning"].as_str().unwrap().contains("RFC 3463"));
}

#[test]
fn postfix_lines_without_an_outcome_give_no_event() {
    without_event(
        POSTFIX,
        &[
            "NOQUEUE: discard: RCPT",
            "hold: RCPT from",
            "NOQUEUE: filter: RCPT",
            "PREGREET 11",
            "COMMAND PIPELINING from",
            "sender delay notification",
            "milter-discard: END-OF-MESSAGE",
            "proxy-accept: END-OF-MESSAGE",
            "postfix/submission/smtpd[4310] 6E7F809A1C: client=",
        ],
    );
}

#[test]
fn postfix_footer_accounts_for_every_line() {
    let lines = lines(POSTFIX);
    assert_eq!(lines["read"], 177);
    assert_eq!(lines["events"], 126);
    assert_eq!(lines["refusals"], 10);
    assert_eq!(lines["no_outcome"], 46);
    // dovecot, opendkim, the syslog daemon's own repeat notice and heartbeat, and a journal
    // boot marker.
    assert_eq!(lines["other_programs"], 5);
    assert_eq!(lines["unmatched"], 0);
}

#[test]
fn exim_line_shapes_give_their_fields() {
    check(
        EXIM,
        &[
            Expect {
                needle: "** frank@example.com",
                action: "bounced",
                stage: "RCPT",
                reply: "550",
                enhanced: "5.1.1",
                class: "5xx",
                remote_host: "mx.example.com",
                remote_ip: "203.0.113.30",
                recipient: "frank@example.com",
                ..NONE
            },
            Expect {
                needle: "** gina@example.net",
                action: "bounced",
                stage: "END-OF-DATA",
                reply: "550",
                enhanced: "5.7.26",
                class: "5xx",
                remote_host: "mx1.example.net",
                remote_ip: "198.51.100.20",
                recipient: "gina@example.net",
                ..NONE
            },
            Expect {
                needle: "** jack@dead.example",
                action: "expired",
                class: "5xx",
                recipient: "jack@dead.example",
                ..NONE
            },
            Expect {
                needle: "** leo@big.example",
                action: "bounced",
                stage: "MAIL",
                reply: "552",
                enhanced: "5.3.4",
                class: "5xx",
                remote_host: "mx.big.example",
                remote_ip: "198.51.100.90",
                sender: "alice@example.org",
                recipient: "leo@big.example",
                ..NONE
            },
            Expect {
                needle: "LMTP error after end of data",
                action: "bounced",
                stage: "END-OF-DATA",
                reply: "552",
                enhanced: "5.2.2",
                class: "5xx",
                remote_host: "localhost",
                remote_ip: "127.0.0.1",
                recipient: "mia@example.org",
                ..NONE
            },
            Expect {
                needle: "== rob@example.net",
                action: "deferred",
                stage: "RCPT",
                reply: "451",
                enhanced: "4.7.1",
                class: "4xx",
                remote_host: "mx1.example.net",
                remote_ip: "198.51.100.20",
                recipient: "rob@example.net",
                ..NONE
            },
            Expect {
                needle: "== uma@slow.example",
                action: "deferred",
                stage: "CONNECT",
                class: "4xx",
                recipient: "uma@slow.example",
                ..NONE
            },
            Expect {
                needle: "in response to pipelined MAIL FROM",
                action: "deferred",
                stage: "MAIL",
                class: "4xx",
                remote_host: "mx.example.com",
                remote_ip: "203.0.113.30",
                recipient: "n@example.com",
                ..NONE
            },
            Expect {
                needle: "H=mx2.slow.example [203.0.113.10]: SMTP timeout",
                action: "refused",
                stage: "RCPT",
                class: "4xx",
                remote_host: "mx2.slow.example",
                remote_ip: "203.0.113.10",
                ..NONE
            },
            Expect {
                needle: "temporarily rejected RCPT <bob@example.org>",
                action: "rejected",
                direction: "inbound",
                stage: "RCPT",
                class: "4xx",
                remote_host: "mta.new.example",
                remote_ip: "198.51.100.170",
                sender: "promo@new.example",
                recipient: "bob@example.org",
                ..NONE
            },
            Expect {
                needle: "rejected after DATA: This message contains a virus",
                action: "rejected",
                direction: "inbound",
                stage: "END-OF-DATA",
                class: "5xx",
                remote_host: "out.lists.example",
                remote_ip: "198.51.100.210",
                sender: "newsletter@lists.example",
                ..NONE
            },
            Expect {
                needle: "(input sent without waiting for greeting)",
                action: "rejected",
                direction: "inbound",
                stage: "CONNECT",
                class: "5xx",
                remote_ip: "203.0.113.79",
                ..NONE
            },
            Expect {
                needle: "dovecot_login authenticator failed",
                action: "rejected",
                direction: "inbound",
                stage: "AUTH",
                reply: "535",
                class: "5xx",
                remote_ip: "198.51.100.232",
                ..NONE
            },
            Expect {
                needle: "Connection from [203.0.113.99]:40122 refused",
                action: "rejected",
                direction: "inbound",
                stage: "CONNECT",
                class: "4xx",
                remote_ip: "203.0.113.99",
                ..NONE
            },
            Expect {
                needle: "554-mx.example.com\\n554 5.7.1",
                action: "bounced",
                stage: "RCPT",
                reply: "554",
                enhanced: "5.7.1",
                class: "5xx",
                remote_host: "mx.example.com",
                remote_ip: "203.0.113.30",
                recipient: "ned@example.com",
                ..NONE
            },
            // `.mmm`, a zone and a pid after the time.
            Expect {
                needle: "09:01:21.123 +0100 [4321]",
                action: "bounced",
                stage: "RCPT",
                reply: "550",
                enhanced: "5.1.1",
                class: "5xx",
                remote_host: "mx.example.com",
                remote_ip: "203.0.113.30",
                recipient: "erin@example.com",
                timestamp: "2026-11-21T09:01:21.123+01:00",
                ..NONE
            },
            // Older Exim wrote a rejected recipient bare, and the host of a dropped
            // connection inside its text.
            Expect {
                needle: "rejected RCPT dir@example.org",
                action: "rejected",
                direction: "inbound",
                stage: "RCPT",
                class: "5xx",
                remote_ip: "198.51.100.178",
                sender: "menaced@lists.example",
                recipient: "dir@example.org",
                ..NONE
            },
            Expect {
                needle: "defer (-18): Remote host mx.remote.example",
                action: "deferred",
                stage: "END-OF-DATA",
                class: "4xx",
                remote_host: "mx.remote.example",
                remote_ip: "198.51.100.31",
                recipient: "ivy@remote.example",
                ..NONE
            },
            Expect {
                needle: "allowed rcpthosts (#5.7.1)",
                action: "bounced",
                stage: "RCPT",
                reply: "553",
                enhanced: "5.7.1",
                class: "5xx",
                remote_host: "mx.remote.example",
                remote_ip: "198.51.100.31",
                recipient: "hal@remote.example",
                ..NONE
            },
            // A message refused for its size once read, when the client announced none.
            Expect {
                needle: "rejected from <big@huge.example>",
                action: "rejected",
                direction: "inbound",
                stage: "END-OF-DATA",
                class: "5xx",
                remote_host: "mx.huge.example",
                remote_ip: "198.51.100.220",
                sender: "big@huge.example",
                ..NONE
            },
            // An LMTP socket is the host of a deferral too.
            Expect {
                needle: "== ray@example.org R=dovecot_lmtp",
                action: "deferred",
                stage: "RCPT",
                reply: "452",
                enhanced: "4.2.2",
                class: "4xx",
                remote_host: "/run/dovecot/lmtp",
                recipient: "ray@example.org",
                ..NONE
            },
            // SA-Exim refusing a message for its spam score, after DATA.
            Expect {
                needle: "rejected by local_scan(): Rejected: hits=9.1",
                action: "rejected",
                direction: "inbound",
                stage: "END-OF-DATA",
                class: "5xx",
                remote_host: "relay.bulk.example",
                remote_ip: "203.0.113.77",
                sender: "promo@bulk.example",
                ..NONE
            },
            // A DNSBL message with an escaped line break kept in the text.
            Expect {
                needle: "is in a black list at dnsbl.sorbs.net",
                action: "rejected",
                direction: "inbound",
                stage: "RCPT",
                class: "5xx",
                remote_host: "mail.spammy.example",
                remote_ip: "203.0.113.90",
                sender: "x@spammy.example",
                recipient: "info@example.org",
                ..NONE
            },
            // Releases before 4.80 named the failing host inside the quoted error.
            Expect {
                needle: "host mx2.bol.example [198.51.100.120]: 450",
                action: "refused",
                stage: "RCPT",
                reply: "450",
                enhanced: "4.7.1",
                class: "4xx",
                remote_host: "mx2.bol.example",
                remote_ip: "198.51.100.120",
                ..NONE
            },
            // A message submitted on the command line, refused by the non-SMTP ACL.
            Expect {
                needle: "rejected by non-SMTP ACL",
                action: "rejected",
                direction: "inbound",
                class: "5xx",
                sender: "userx@example.org",
                ..NONE
            },
        ],
    );
}

#[test]
fn exim_lines_without_an_outcome_give_no_event() {
    without_event(
        EXIM,
        &[
            "retry time not reached for any host for 'example.net'",
            "routing defer (-52): retry time not reached",
            "Message is frozen",
            "unexpected disconnection while reading SMTP command",
            "sender verify fail for <alerts@fake.example>",
            "Warning: \"Detected spam",
            "closed by DROP in ACL",
            "<= <> R=1tE3xB-000Ab2-Rz",
            "Completed QT=4s",
            "*> ann@remote.example",
            "domain matches queue_smtp_domains",
            // SA-Exim's verdicts on accepted messages: the SMTP answer was a success.
            "SA: Action: flagged as Spam but accepted",
            "SA: Action: silently tossed message",
        ],
    );
}

#[test]
fn exim_footer_accounts_for_every_line() {
    let lines = lines(EXIM);
    assert_eq!(lines["read"], 140);
    // The `:blackhole:` line is a discard, not a delivery.
    assert_eq!(lines["events"], 102);
    assert_eq!(lines["refusals"], 8);
    assert_eq!(lines["no_outcome"], 38);
    assert_eq!(lines["other_programs"], 0);
    assert_eq!(lines["unmatched"], 0);
}

#[test]
fn exim_mail_sent_to_the_blackhole_is_a_discard_with_its_router() {
    let (_, json, _) = common::run(&["report", "--format", "json", EXIM]);
    let summary: Value = serde_json::from_str(&json).unwrap();
    let diverted = &summary["diverted"];
    assert_eq!(diverted["lines"]["discard"], 1, "{diverted}");
    let row = diverted["top"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["action"] == "discard")
        .expect("a discard kind");
    assert_eq!(row["kind"], "blackhole: R=blackhole_router", "{row}");
    assert!(
        row["advice"].as_str().unwrap().contains("exim -bt"),
        "{row}"
    );
    // No recipient was delivered to: the address is not among the outcomes.
    let (_, events, _) = common::run(&["events", "--format", "csv", EXIM]);
    assert!(!events.contains("junk@example.org"), "{events}");
}

#[test]
fn exim_through_syslog_gives_the_same_fields() {
    check(
        EXIM_SYSLOG,
        &[
            Expect {
                needle: "** wes@example.com",
                action: "bounced",
                stage: "RCPT",
                reply: "550",
                enhanced: "5.1.1",
                class: "5xx",
                remote_host: "mx.example.com",
                remote_ip: "203.0.113.30",
                recipient: "wes@example.com",
                timestamp: "2026-11-21T09:02:01",
                ..NONE
            },
            Expect {
                needle: "exim4[5103]",
                action: "rejected",
                direction: "inbound",
                stage: "RCPT",
                class: "5xx",
                remote_ip: "198.51.100.247",
                sender: "x@pc32.example",
                recipient: "yuri@example.org",
                ..NONE
            },
            Expect {
                needle: "[1\\2] 2026-11-21 09:02:06",
                action: "bounced",
                stage: "END-OF-DATA",
                reply: "550",
                enhanced: "5.7.1",
                class: "5xx",
                remote_host: "mx.example.com",
                remote_ip: "203.0.113.30",
                recipient: "abe@example.com",
                ..NONE
            },
            Expect {
                needle: "exim4[5108]: message repeated 3 times",
                action: "rejected",
                direction: "inbound",
                stage: "RCPT",
                class: "5xx",
                remote_ip: "198.51.100.249",
                sender: "x@pc34.example",
                recipient: "cyd@example.org",
                timestamp: "2026-11-21T09:02:08",
                ..NONE
            },
        ],
    );
    without_event(EXIM_SYSLOG, &["[2\\2] of a long one"]);
    let lines = lines(EXIM_SYSLOG);
    assert_eq!(lines["read"], 9);
    assert_eq!(lines["events"], 7);
    assert_eq!(lines["no_outcome"], 2);
    assert_eq!(lines["unmatched"], 0);
}

/// Checks the line, timestamp, action and reply code of every event of a file, and how its
/// lines were counted: read, events, lines of other programs, lines without an outcome.
fn check_times(path: &str, expected: &[(usize, &str, &str, &str)], counts: [u64; 4]) {
    let events = events_by_line(path);
    let got: Vec<(usize, &str, &str, &str)> = events
        .iter()
        .map(|(line, e)| {
            (
                *line,
                e["timestamp"].as_str(),
                e["action"].as_str(),
                e["reply_code"].as_str(),
            )
        })
        .collect();
    assert_eq!(got, expected);
    let lines = lines(path);
    let buckets = ["read", "events", "other_programs", "no_outcome"];
    for (bucket, count) in buckets.into_iter().zip(counts) {
        assert_eq!(lines[bucket], count, "{bucket}");
    }
    assert_eq!(lines["unmatched"], 0);
}

#[test]
fn journalctl_short_full_output_is_read() {
    check_times(
        "tests/fixtures/postfix/journal-short-full.log",
        &[
            (2, "2026-11-21T08:00:04+00:00", "rejected", "554"),
            (3, "2026-11-21T08:00:05+00:00", "deferred", "451"),
            // A zone abbreviation other than UTC or GMT is ambiguous: local time, no offset.
            (5, "2026-11-21T09:10:00", "sent", "250"),
        ],
        [5, 3, 2, 0],
    );
}

#[test]
fn journalctl_short_unix_output_is_read() {
    // Seconds since 1970 name an instant: written in UTC with the offset, fraction kept.
    check_times(
        "tests/fixtures/postfix/journal-short-unix.log",
        &[
            (2, "2026-11-21T08:00:04.217305+00:00", "rejected", "554"),
            (3, "2026-11-21T08:00:05.001942+00:00", "deferred", "451"),
            (5, "2026-11-21T09:10:00.500+00:00", "sent", "250"),
        ],
        [7, 3, 3, 1],
    );
}
