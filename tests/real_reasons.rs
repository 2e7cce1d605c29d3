//! Runs the built binary on lines from real Postfix and Exim logs whose replies or shapes were
//! once misread (addresses changed, replies as the servers wrote them), and checks the reason,
//! codes and step each gives, and which of them give no outcome at all.

mod common;

use common::{events_by_line, line_of, mailsift};

const POSTFIX: &str = "tests/fixtures/postfix/real-reasons.log";
const EXIM: &str = "tests/fixtures/exim/real-reasons.log";

/// What the one line holding `needle` must give: `[action, stage, reply_code, enhanced_code,
/// reason, recipient, remote_ip, text]`, each checked only where it is not `*`.
type Expect = (&'static str, [&'static str; 8]);

const COLUMNS: [&str; 8] = [
    "action",
    "stage",
    "reply_code",
    "enhanced_code",
    "reason",
    "recipient",
    "remote_ip",
    "text",
];

fn check(path: &str, expectations: &[Expect], without_event: &[&str]) {
    let all = events_by_line(path);
    for (needle, want) in expectations {
        let line = line_of(path, needle);
        let found: Vec<_> = all.iter().filter(|(at, _)| *at == line).collect();
        assert_eq!(found.len(), 1, "one event from {path}:{line}");
        for (column, want) in COLUMNS.iter().zip(want) {
            if *want != "*" {
                assert_eq!(found[0].1[*column], *want, "{column} of {path}:{line}");
            }
        }
    }
    for needle in without_event {
        let line = line_of(path, needle);
        assert!(
            all.iter().all(|(at, _)| *at != line),
            "{path}:{line} gives no event"
        );
    }
}

#[test]
fn postfix_replies_get_the_reason_their_words_mean() {
    check(
        POSTFIX,
        &[
            // Gmail's wording since 2024: no SPF or DKIM passed; no login is wanted.
            (
                "This mail is unauthenticated",
                [
                    "bounced",
                    "END-OF-DATA",
                    "550",
                    "5.7.26",
                    "dmarc_policy",
                    "*",
                    "*",
                    "*",
                ],
            ),
            // A block of the IP, not a rate limit.
            (
                "UnsolicitedIPError",
                [
                    "bounced",
                    "END-OF-DATA",
                    "550",
                    "5.7.1",
                    "blocklisted",
                    "*",
                    "*",
                    "*",
                ],
            ),
            // The resolver's "try again": nothing is known of the domain yet.
            (
                "delay=20, status=deferred (Host or domain name not found",
                ["deferred", "", "", "", "routing_error", "*", "*", "*"],
            ),
            (
                "delivery temporarily suspended: Host or domain",
                ["deferred", "", "", "", "routing_error", "*", "*", "*"],
            ),
            (
                "Malformed or unexpected name server reply",
                ["deferred", "", "", "", "routing_error", "*", "*", "*"],
            ),
            // The name does not exist: that is a missing domain.
            (
                "name=nowhere.example type=A",
                ["bounced", "", "", "", "domain_not_found", "*", "*", "*"],
            ),
            // Local commands that failed, whatever words their output holds.
            (
                "authdaemon: s_connect() failed",
                ["deferred", "", "", "", "system_error", "*", "*", "*"],
            ),
            (
                "Timeout quota exceeded",
                ["deferred", "", "", "", "system_error", "*", "*", "*"],
            ),
            // journalctl under a German locale names its months in German.
            (
                "Okt 15 23:48:15",
                [
                    "bounced",
                    "END-OF-DATA",
                    "552",
                    "5.2.2",
                    "mailbox_full",
                    "fay@c3.example.org",
                    "*",
                    "*",
                ],
            ),
            (
                "Mär 16 08:00:01",
                [
                    "sent",
                    "END-OF-DATA",
                    "250",
                    "2.0.0",
                    "delivered",
                    "gus@example.net",
                    "203.0.113.5",
                    "*",
                ],
            ),
            // `docker compose logs` puts the container's name in front.
            (
                "postfix-mailcow-1  | Apr 14 19:52:34",
                [
                    "deferred",
                    "RCPT",
                    "452",
                    "4.2.2",
                    "mailbox_full",
                    "hal@gmail.com",
                    "2a00:1450:4013:c06::1a",
                    "*",
                ],
            ),
            // Postfix's `unknown` stands for an address it never learnt.
            (
                "CONNECT from unknown[unknown]",
                [
                    "rejected",
                    "CONNECT",
                    "451",
                    "4.7.1",
                    "*",
                    "",
                    "",
                    "Service unavailable - try again later",
                ],
            ),
            // The content filter's reply is an outcome like any other...
            (
                "Ok, discarded, id=19653-19 - spam",
                [
                    "sent",
                    "END-OF-DATA",
                    "250",
                    "2.7.0",
                    "delivered",
                    "jo@example.com",
                    "127.0.0.1",
                    "*",
                ],
            ),
            // Replies whose words name their cause, whatever else their code or words say.
            (
                "per resource forest",
                [
                    "deferred",
                    "RCPT",
                    "421",
                    "4.3.2",
                    "too_many_connections",
                    "*",
                    "*",
                    "*",
                ],
            ),
            (
                "extended quota violation",
                [
                    "bounced",
                    "RCPT",
                    "552",
                    "5.1.1",
                    "mailbox_full",
                    "*",
                    "*",
                    "*",
                ],
            ),
            (
                "too many recent messages",
                [
                    "deferred",
                    "RCPT",
                    "452",
                    "4.1.1",
                    "rate_limited",
                    "*",
                    "*",
                    "*",
                ],
            ),
            (
                "Addressee unknown",
                [
                    "bounced",
                    "RCPT",
                    "550",
                    "5.2.1",
                    "user_unknown",
                    "*",
                    "*",
                    "*",
                ],
            ),
            (
                "envelope blocked",
                [
                    "bounced",
                    "RCPT",
                    "550",
                    "",
                    "sender_rejected",
                    "*",
                    "*",
                    "*",
                ],
            ),
            (
                "Too many Received: headers",
                ["bounced", "RCPT", "554", "", "routing_error", "*", "*", "*"],
            ),
            (
                "IB101",
                [
                    "deferred",
                    "RCPT",
                    "421",
                    "",
                    "service_unavailable",
                    "*",
                    "*",
                    "*",
                ],
            ),
            (
                "BLOCK-SEND-ER",
                [
                    "bounced",
                    "RCPT",
                    "554",
                    "5.7.1",
                    "sender_rejected",
                    "*",
                    "*",
                    "*",
                ],
            ),
            (
                "(IP based)",
                ["bounced", "RCPT", "550", "", "blocklisted", "*", "*", "*"],
            ),
            (
                "Relaying disallowed",
                ["bounced", "RCPT", "553", "", "relay_denied", "*", "*", "*"],
            ),
            (
                "User unknown in virtual alias table) ",
                [
                    "bounced",
                    "",
                    "",
                    "",
                    "user_unknown",
                    "ivy@example.com",
                    "",
                    "User unknown in virtual alias table",
                ],
            ),
        ],
        &["connect from unknown[192.0.2.9]"],
    );
}

#[test]
fn exim_lines_get_the_reason_and_step_they_say() {
    check(
        EXIM,
        &[
            // A connection that failed: the system error is the text, the host only named.
            (
                "No route to host",
                [
                    "deferred",
                    "CONNECT",
                    "",
                    "",
                    "connection_failed",
                    "zeus@example.dev",
                    "192.0.2.93",
                    "No route to host",
                ],
            ),
            (
                "Connection refused",
                [
                    "deferred",
                    "CONNECT",
                    "",
                    "",
                    "connection_failed",
                    "ares@example.dev",
                    "192.0.2.93",
                    "Connection refused",
                ],
            ),
            (
                "SMTP timeout after connect",
                [
                    "deferred",
                    "*",
                    "",
                    "",
                    "connection_failed",
                    "*",
                    "192.0.2.93",
                    "SMTP timeout after connect",
                ],
            ),
            (
                "Child process of ut3 transport",
                [
                    "deferred",
                    "*",
                    "",
                    "",
                    "system_error",
                    "c1@myhost.test.ex",
                    "",
                    "*",
                ],
            ),
            (
                "host lookup did not complete",
                [
                    "deferred",
                    "*",
                    "",
                    "",
                    "routing_error",
                    "pan@example.org",
                    "",
                    "*",
                ],
            ),
            (
                "No such person at this address",
                [
                    "bounced",
                    "*",
                    "",
                    "",
                    "user_unknown",
                    "admin@example.net",
                    "",
                    "*",
                ],
            ),
            (
                "Previous (cached) callout verification failure",
                [
                    "rejected",
                    "RCPT",
                    "",
                    "",
                    "user_unknown",
                    "nobody@example.org",
                    "198.51.100.7",
                    "*",
                ],
            ),
            // `<system-filter>` names the filter that made the address.
            (
                "=> userz <system-filter>",
                ["sent", "", "", "", "delivered", "userz", "", ""],
            ),
            // PRDR's per-recipient refusal after the data.
            (
                "PRDR error after DATA",
                [
                    "bounced",
                    "END-OF-DATA",
                    "550",
                    "",
                    "*",
                    "baduser@example.org",
                    "192.0.2.4",
                    "PRDR R=<baduser@example.org> refusal",
                ],
            ),
            (
                "rejected EXPN list",
                ["rejected", "EXPN", "", "", "*", "", "", "*"],
            ),
        ],
        &[
            // Held back on purpose for a later queue run: nothing was tried.
            "domain is in queue_domains",
            "first-pass only routing",
            // Autoreplies are messages of their own.
            "=> >caller@example.org <system-filter>",
            "<filter-vacation@example.org>",
        ],
    );
}

/// ...but the message it dropped reached no one: it is summed up with the discarded messages,
/// and not followed as a delivery.
#[test]
fn a_message_a_content_filter_dropped_is_a_discard_not_a_delivery() {
    let output = mailsift()
        .args(["report", "--year", "2026", "--format", "json", POSTFIX])
        .output()
        .unwrap();
    let summary: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let diverted = &summary["diverted"];
    assert_eq!(diverted["lines"]["discard"], 1);
    assert_eq!(
        diverted["top"][0]["kind"],
        "Ok, discarded, id=<n>-<n> - spam"
    );
    assert_eq!(diverted["top"][0]["example"]["line"], 15);
    // The one sent line of the fixture that reached someone is the only delivery followed.
    assert_eq!(summary["message_outcomes"]["delivered_at_once"], 1);
}
