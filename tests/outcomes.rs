//! Message outcomes and incidents in `mailsift report`, on crafted logs: a message deferred
//! three times then delivered, a bounce with its notification, a queue id reused a day later
//! (with and without the `removed` line), an expired message, a message still pending, Exim's
//! `Completed` and bounce arrivals, rotated files given newest first, and a generated failure
//! spike found where it was injected while steady traffic stays quiet.

mod common;

use std::path::Path;

use common::{run, temp_file};
use mailsift::generate::{GenFormat, GenOptions, GenSpike, generate};
use serde_json::Value;

const POSTFIX_LIVES: &str = "tests/fixtures/outcomes/postfix-lives.log";
const EXIM_LIVES: &str = "tests/fixtures/outcomes/exim-lives.log";

fn json_report(args: &[&str]) -> Value {
    let mut all = vec!["report", "--format", "json", "--year", "2026"];
    all.extend(args);
    let (code, out, err) = run(&all);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).expect("JSON report")
}

fn counts(outcomes: &Value) -> Vec<(&'static str, u64)> {
    [
        "messages",
        "recipients",
        "delivered_at_once",
        "delivered_after_deferral",
        "bounced_at_once",
        "bounced_after_deferral",
        "expired",
        "pending",
        "notified",
    ]
    .into_iter()
    .map(|key| (key, outcomes[key].as_u64().unwrap()))
    .collect()
}

#[test]
fn postfix_messages_are_followed_to_their_end() {
    let report = json_report(&[POSTFIX_LIVES]);
    let outcomes = &report["message_outcomes"];
    // 1A2B3C4D5E deferred three times then delivered; 2B3C4D5E6F bounced with notification
    // 3C4D5E6F70, which was delivered; 4D5E6F7A8B delivered and removed, then the id given to a
    // new message a day later, deferred once then delivered; 6F7A8B9C0D deferred twice then
    // expired with notification 8B9C0D1E2F; 7A8B9C0D1E deferred and never seen again.
    assert_eq!(
        counts(outcomes),
        [
            ("messages", 8),
            ("recipients", 8),
            ("delivered_at_once", 3),
            ("delivered_after_deferral", 2),
            ("bounced_at_once", 1),
            ("bounced_after_deferral", 0),
            ("expired", 1),
            ("pending", 1),
            ("notified", 2),
        ]
    );
    assert_eq!(outcomes["lost"], 2);
    let after = &outcomes["delivered_after_deferrals"];
    assert_eq!(
        (after["1"].as_u64(), after["3"].as_u64()),
        (Some(1), Some(1))
    );
    // From the first deferral to the delivery: 2 h for alice, 15 min for dave.
    let delay = &outcomes["delay_seconds"];
    assert_eq!(delay["count"], 2);
    assert_eq!(delay["median"], 900);
    assert_eq!(delay["max"], 7200);

    let lost = outcomes["lost_examples"].as_array().unwrap();
    assert_eq!(lost.len(), 2);
    assert_eq!(lost[0]["id"], "2B3C4D5E6F");
    assert_eq!(lost[0]["recipient"], "bob@example.net");
    assert_eq!(lost[0]["ending"], "bounced");
    assert_eq!(lost[0]["reply_code"], 550);
    assert_eq!(lost[0]["enhanced_code"], "5.1.1");
    assert_eq!(lost[0]["notification"], "3C4D5E6F70");
    assert_eq!(lost[0]["line"], 4);
    assert_eq!(lost[1]["id"], "6F7A8B9C0D");
    assert_eq!(lost[1]["ending"], "expired");
    // The expiry is the queue giving up, not one more try: two attempts, and the last reply
    // is that of the last try.
    assert_eq!(
        (lost[1]["attempts"].as_u64(), lost[1]["deferrals"].as_u64()),
        (Some(2), Some(2))
    );
    assert_eq!(lost[1]["first_attempt"], "2026-11-21T09:30:00");
    assert_eq!(lost[1]["last_attempt"], "2026-11-21T11:30:00");
    assert_eq!(lost[1]["enhanced_code"], "4.4.1");
    assert_eq!(lost[1]["line"], 22);
    assert_eq!(lost[1]["notification"], "8B9C0D1E2F");
}

#[test]
fn the_text_report_says_what_the_messages_came_to() {
    let (code, out, err) = run(&["report", "--year", "2026", POSTFIX_LIVES]);
    assert_eq!(code, 0, "{err}");
    let section: Vec<&str> = out
        .lines()
        .skip_while(|l| !l.starts_with("Message outcomes"))
        .take_while(|l| !l.is_empty())
        .collect();
    let text = section.join("\n");
    assert!(text.contains("8 recipients, 8 messages"), "{text}");
    assert!(
        text.contains("delivered after retries") && text.contains("1: 1, 2: 0, 3: 1, 4: 0, 5+: 0"),
        "{text}"
    );
    assert!(
        text.contains("bounced 1 (0 after retries), expired 1"),
        "{text}"
    );
    assert!(
        text.contains("median 15m00s, p90 2h00m, max 2h00m"),
        "{text}"
    );
    assert!(
        text.contains(
            "2B3C4D5E6F bob@example.net bounced 550 5.1.1 after 1 attempt, notification 3C4D5E6F70"
        ),
        "{text}"
    );
    assert!(
        text.contains("6F7A8B9C0D frank@slow.example expired 4.4.1 after 2 attempts over 2h00m"),
        "{text}"
    );
}

#[test]
fn exim_completion_and_bounce_arrival_are_followed() {
    let report = json_report(&[EXIM_LIVES]);
    let outcomes = &report["message_outcomes"];
    assert_eq!(
        counts(outcomes),
        [
            ("messages", 3),
            ("recipients", 3),
            ("delivered_at_once", 1),
            ("delivered_after_deferral", 1),
            ("bounced_at_once", 1),
            ("bounced_after_deferral", 0),
            ("expired", 0),
            ("pending", 0),
            ("notified", 1),
        ]
    );
    assert_eq!(outcomes["delivered_after_deferrals"]["2"], 1);
    assert_eq!(outcomes["delay_seconds"]["max"], 2700);
    assert_eq!(
        outcomes["lost_examples"][0]["notification"],
        "1tE3xC-000Ab3-Sz"
    );
}

#[test]
fn a_reused_queue_id_without_removal_lines_is_a_new_message() {
    // Only the status lines, as `grep status=` leaves them: the same id and recipient on two
    // days are two messages, each delivered at once.
    let log = "\
Nov 21 09:00:00 mx1 postfix/smtp[1]: 5E6F7A8B9C: to=<erin@example.com>, relay=mx.example.com[192.0.2.30]:25, delay=1, delays=0/0/0.5/0.5, dsn=2.0.0, status=sent (250 2.0.0 Ok)
Nov 22 09:00:00 mx1 postfix/smtp[1]: 5E6F7A8B9C: to=<erin@example.com>, relay=mx.example.com[192.0.2.30]:25, delay=1, delays=0/0/0.5/0.5, dsn=2.0.0, status=sent (250 2.0.0 Ok)
Nov 22 09:00:05 mx1 postfix/smtp[1]: 6F7A8B9C0D: to=<erin@example.com>, relay=mx.example.com[192.0.2.30]:25, delay=1, delays=0/0/0.5/0.5, dsn=4.3.0, status=deferred (host mx.example.com[192.0.2.30] said: 451 4.3.0 Try later (in reply to RCPT TO command))
Nov 29 09:00:05 mx1 postfix/smtp[1]: 6F7A8B9C0D: to=<erin@example.com>, relay=mx.example.com[192.0.2.30]:25, delay=1, delays=0/0/0.5/0.5, dsn=2.0.0, status=sent (250 2.0.0 Ok)
";
    let dir = tempfile::tempdir().unwrap();
    let path = temp_file(dir.path(), "status.log", log.as_bytes());
    let report = json_report(&[path.to_str().unwrap()]);
    let outcomes = &report["message_outcomes"];
    // The last id was silent for a week, longer than any queue keeps a message: the deferral
    // stays pending and the delivery is another message.
    assert_eq!(
        counts(outcomes),
        [
            ("messages", 4),
            ("recipients", 4),
            ("delivered_at_once", 3),
            ("delivered_after_deferral", 0),
            ("bounced_at_once", 0),
            ("bounced_after_deferral", 0),
            ("expired", 0),
            ("pending", 1),
            ("notified", 0),
        ]
    );
}

#[test]
fn an_exim_address_deferred_before_its_forward_is_followed_to_the_delivery() {
    // The try before the alias was looked up names only the address received for; the
    // delivery names the forward's target first, and the domain that answered is its own.
    let log = r#"2026-11-21 08:00:00 1tE3xB-000Ab2-Rz <= alice@sender.example H=mail.sender.example [198.51.100.5] P=esmtp S=1234
2026-11-21 08:00:01 1tE3xB-000Ab2-Rz == info@example.com R=system_aliases defer (-1): alias lookup deferred
2026-11-21 08:30:01 1tE3xB-000Ab2-Rz => bob@gmail.com <info@example.com> R=dnslookup T=remote_smtp H=gmail-smtp-in.l.google.com [142.250.27.26] C="250 2.0.0 OK"
2026-11-21 08:30:01 1tE3xB-000Ab2-Rz Completed
"#;
    let dir = tempfile::tempdir().unwrap();
    let path = temp_file(dir.path(), "mainlog", log.as_bytes());
    let report = json_report(&[path.to_str().unwrap()]);
    let outcomes = &report["message_outcomes"];
    assert_eq!(outcomes["recipients"], 1, "{outcomes}");
    assert_eq!(outcomes["delivered_after_deferral"], 1, "{outcomes}");
    assert_eq!(outcomes["pending"], 0, "{outcomes}");
    let codes = report["codes"].as_array().unwrap();
    let sent = codes.iter().find(|row| row["reply_code"] == 250).unwrap();
    assert_eq!(sent["top_destinations"][0]["name"], "gmail.com", "{sent}");
}

#[test]
fn a_hand_off_to_a_local_content_filter_is_not_a_delivery() {
    // Each message goes through amavis on 127.0.0.1:10024, which queues it again under a new
    // id: the hand-off's 250 is an SMTP outcome, but each message is delivered once. The LMTP
    // delivery to a local socket on 127.0.0.1 without a new queue id is a delivery.
    let log = "\
Nov 21 09:00:00 mx1 postfix/amavis/smtp[1]: 4PbC4x469Jz3tBr: to=<ann@example.org>, relay=127.0.0.1[127.0.0.1]:10024, delay=2.4, delays=0.29/0.02/0.01/2.1, dsn=2.0.0, status=sent (250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 Ok: queued as 4PbC4z6W5Qz3tG3)
Nov 21 09:00:00 mx1 postfix/qmgr[2]: 4PbC4x469Jz3tBr: removed
Nov 21 09:00:01 mx1 postfix/pipe[3]: 4PbC4z6W5Qz3tG3: to=<ann@example.org>, relay=dovecot, delay=0.12, delays=0.01/0.01/0/0.1, dsn=2.0.0, status=sent (delivered via dovecot service)
Nov 21 09:00:01 mx1 postfix/qmgr[2]: 4PbC4z6W5Qz3tG3: removed
Nov 21 09:00:02 mx1 postfix/amavis/smtp[1]: 4PbC7269xVz3tBr: to=<bo@example.org>, relay=127.0.0.1[127.0.0.1]:10024, delay=4.9, delays=0.15/0.02/0.01/4.7, dsn=2.0.0, status=sent (250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 Ok: queued as 4PbC774GLyz3tG3)
Nov 21 09:00:03 mx1 postfix/lmtp[4]: 4PbC774GLyz3tG3: to=<bo@example.org>, relay=127.0.0.1[127.0.0.1]:24, delay=0.1, delays=0/0/0/0.1, dsn=2.0.0, status=sent (250 2.0.0 <bo@example.org> kPr3Ax5hZGkAAQ Saved)
";
    let dir = tempfile::tempdir().unwrap();
    let path = temp_file(dir.path(), "amavis.log", log.as_bytes());
    let report = json_report(&[path.to_str().unwrap()]);
    assert_eq!(report["lines"]["events"], 4);
    assert_eq!(
        counts(&report["message_outcomes"]),
        [
            ("messages", 2),
            ("recipients", 2),
            ("delivered_at_once", 2),
            ("delivered_after_deferral", 0),
            ("bounced_at_once", 0),
            ("bounced_after_deferral", 0),
            ("expired", 0),
            ("pending", 0),
            ("notified", 0),
        ]
    );
}

#[test]
fn rotated_files_given_newest_first_give_the_same_outcomes() {
    let text = std::fs::read_to_string(POSTFIX_LIVES).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    // Cut in the middle of 1A2B3C4D5E's deferrals and of 6F7A8B9C0D's life.
    let (older, newer) = lines.split_at(12);
    let dir = tempfile::tempdir().unwrap();
    let older = temp_file(
        dir.path(),
        "mail.log.1",
        (older.join("\n") + "\n").as_bytes(),
    );
    let newer = temp_file(dir.path(), "mail.log", (newer.join("\n") + "\n").as_bytes());
    let whole = json_report(&[POSTFIX_LIVES]);
    let newest_first = json_report(&[newer.to_str().unwrap(), older.to_str().unwrap()]);
    assert_eq!(
        counts(&newest_first["message_outcomes"]),
        counts(&whole["message_outcomes"])
    );
    assert_eq!(
        newest_first["message_outcomes"]["delay_seconds"],
        whole["message_outcomes"]["delay_seconds"]
    );
    let names: Vec<&str> = newest_first["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap())
        .collect();
    assert!(names[0].ends_with("mail.log.1"), "oldest first: {names:?}");
}

#[test]
fn an_inbound_only_report_follows_no_message() {
    let report = json_report(&["--direction", "inbound", POSTFIX_LIVES]);
    assert_eq!(report["message_outcomes"]["recipients"], 0);
}

fn generated(dir: &Path, seed: u64, spike: Option<GenSpike>) -> String {
    let start = chrono::NaiveDate::from_ymd_opt(2026, 11, 21)
        .unwrap()
        .and_hms_opt(6, 0, 0)
        .unwrap();
    let mut options = GenOptions::new(GenFormat::Postfix, seed, start);
    options.lines = 100_000;
    options.spike = spike;
    let kind = if options.spike.is_some() {
        "spiked"
    } else {
        "steady"
    };
    let path = dir.join(format!("{kind}-{seed}.log"));
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    generate(&options, &mut file).unwrap();
    drop(file);
    path.to_str().unwrap().to_string()
}

/// A generated log in which Gmail rate-limits every first attempt for an hour from 09:00.
fn gmail_spike(dir: &Path) -> String {
    generated(
        dir,
        11,
        Some(GenSpike {
            domain: "gmail.com".to_string(),
            start_secs: 3 * 3600,
            minutes: 60,
        }),
    )
}

#[test]
fn an_injected_spike_is_found_and_steady_traffic_is_quiet() {
    let dir = tempfile::tempdir().unwrap();
    let spiked = gmail_spike(dir.path());
    let report = json_report(&[&spiked]);
    let incidents = report["incidents"].as_array().unwrap();
    // The largest incident is the injected one, and it is listed once: not again for Google
    // as a provider, nor for all destinations.
    let at_gmail: Vec<&Value> = incidents
        .iter()
        .filter(|i| i["reply_code"] == 421 || i["destination"] != "all destinations")
        .collect();
    assert_eq!(at_gmail.len(), 1, "{incidents:#?}");
    let incident = &incidents[0];
    assert_eq!(incident["destination"], "gmail.com");
    assert_eq!(incident["reply_code"], 421);
    assert_eq!(incident["enhanced_code"], "4.7.28");
    assert_eq!(incident["reason"], "rate_limited");
    assert_eq!(incident["start"], "2026-11-21T09:00");
    let end = incident["end"].as_str().unwrap();
    assert!(
        ("2026-11-21T10:00"..="2026-11-21T10:30").contains(&end),
        "{end}"
    );
    assert!(incident["failures"].as_u64().unwrap() > 300);
    assert!(
        incident["fix"]
            .as_str()
            .unwrap()
            .contains("Postmaster Tools")
    );
    // Its example is the first line of the window that failed so, whatever the chunk size.
    let example = &incident["example"];
    assert_eq!(example["file"], spiked.as_str());
    let text = std::fs::read_to_string(&spiked).unwrap();
    let first = text
        .lines()
        .position(|line| {
            line.starts_with("Nov 21 09:")
                && line.contains("@gmail.com>")
                && line.contains("status=deferred")
                && line.contains("4.7.28")
        })
        .expect("a deferral in the window")
        + 1;
    assert_eq!(example["line"], first as u64, "{example}");
    let small_chunks = json_report(&["--chunk-size", "4096", &spiked]);
    assert_eq!(small_chunks["incidents"][0]["example"], *example);
    let (failures, attempts) = (incident["failures"].clone(), incident["attempts"].clone());

    // Keeping only the code still measures it against every delivery attempt, so the same
    // incident is found with the same counts.
    let only = json_report(&["--only", "421", &spiked]);
    let at_gmail: Vec<&Value> = only["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["destination"] == "gmail.com")
        .collect();
    assert_eq!(at_gmail.len(), 1, "{:#?}", only["incidents"]);
    assert_eq!(at_gmail[0]["failures"], failures);
    assert_eq!(at_gmail[0]["attempts"], attempts);

    // The same traffic without the spike, and another day of it: nothing stands out.
    for seed in [11, 12] {
        let steady = generated(dir.path(), seed, None);
        let report = json_report(&[&steady]);
        assert_eq!(report["incidents"], serde_json::json!([]), "seed {seed}");
    }

    let (code, out, _) = run(&["report", "--year", "2026", &spiked]);
    assert_eq!(code, 0);
    assert!(
        out.contains("2026-11-21 09:00 .. 10:")
            && out.contains("gmail.com  421 4.7.28  rate_limited"),
        "{out}"
    );
}

#[test]
fn a_merged_report_gives_an_incident_the_example_of_one_run_over_every_input() {
    let dir = tempfile::tempdir().unwrap();
    let spiked = gmail_spike(dir.path());
    // The log cut in two inside the spike, as two hosts' logs or a rotation would cut it.
    let text = std::fs::read_to_string(&spiked).unwrap();
    let cut = text
        .lines()
        .position(|line| line.starts_with("Nov 21 09:30"))
        .expect("a line at 09:30");
    let lines: Vec<&str> = text.lines().collect();
    let early = temp_file(dir.path(), "early.log", lines[..cut].join("\n").as_bytes());
    let late = temp_file(dir.path(), "late.log", lines[cut..].join("\n").as_bytes());
    let (early, late) = (early.to_str().unwrap(), late.to_str().unwrap());
    let whole = json_report(&[late, early]);
    let summary = |name: &str, log: &str| {
        let (code, out, err) = run(&["report", "--format", "json", "--year", "2026", log]);
        assert_eq!(code, 0, "{err}");
        temp_file(dir.path(), name, out.as_bytes())
    };
    let (first, second) = (summary("a.json", early), summary("b.json", late));
    // Given newest first, the summaries are still read in the logs' order.
    let (code, merged, err) = run(&[
        "merge",
        "--format",
        "json",
        second.to_str().unwrap(),
        first.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let merged: Value = serde_json::from_str(&merged).unwrap();
    let incident = &whole["incidents"][0];
    assert_eq!(incident["destination"], "gmail.com");
    assert_eq!(incident["example"]["file"], early);
    let merged_incident = &merged["incidents"][0];
    assert_eq!(merged_incident["destination"], "gmail.com");
    assert_eq!(
        merged_incident["example"]["line"],
        incident["example"]["line"]
    );
    // The merged report names an input by its summary where two summaries could share names.
    let file = merged_incident["example"]["file"].as_str().unwrap();
    assert!(file.ends_with("early.log"), "{file}");
}
