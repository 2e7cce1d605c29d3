//! Tests of the knowledge base: completeness of the tables, the pattern examples, and the
//! order in which the layers decide.

use regex::RegexBuilder;

use super::*;
use crate::codes::{Class, Direction, EnhancedCode};

fn code(s: &str) -> EnhancedCode {
    s.parse().unwrap()
}

fn is_reason(reason: &str) -> bool {
    REASONS.iter().any(|(r, _)| *r == reason)
}

const BASIC: [u16; 34] = [
    211, 214, 220, 221, 235, 250, 251, 252, 334, 354, 421, 432, 450, 451, 452, 454, 455, 500, 501,
    502, 503, 504, 521, 530, 534, 535, 538, 550, 551, 552, 553, 554, 555, 556,
];

#[test]
fn every_listed_basic_code_explains() {
    for c in BASIC {
        let e = reply_entry(c).unwrap_or_else(|| panic!("{c} missing"));
        assert_eq!(e.code, c);
        assert_eq!(e.class(), Class::from_reply_code(c).unwrap());
    }
    assert_eq!(all_reply_codes().len(), BASIC.len());
    assert!(reply_entry(299).is_none());
}

#[test]
fn every_reply_code_has_every_field() {
    let codes: Vec<u16> = all_reply_codes().iter().map(|e| e.code).collect();
    let mut sorted = codes.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(codes, sorted, "table must be sorted and unique");
    for e in all_reply_codes() {
        for (field, text) in [
            ("name", e.name),
            ("what", e.what),
            ("when", e.when),
            ("fix", e.fix),
        ] {
            assert!(!text.trim().is_empty(), "{} has an empty {field}", e.code);
            assert!(
                !text.contains("  "),
                "{} has a double space in {field}",
                e.code
            );
        }
        assert!(
            is_reason(e.reason),
            "{}: unknown reason {}",
            e.code,
            e.reason
        );
        assert_eq!(
            e.fix_when_received.is_some(),
            e.fix_when_sent.is_some(),
            "{}: directional advice comes in pairs",
            e.code
        );
        if e.code >= 421 && e.fix_when_received.is_none() {
            // Failure codes without directional advice must say so by sharing one fix.
            assert!(!e.fix.is_empty());
        }
    }
}

#[test]
fn every_enhanced_code_has_every_field() {
    let keys: Vec<(u16, u16)> = all_enhanced_codes()
        .iter()
        .map(|e| (e.subject, e.detail))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(keys, sorted, "table must be sorted and unique");
    for e in all_enhanced_codes() {
        let label = e.label();
        for (field, text) in [
            ("name", e.name),
            ("what", e.what),
            ("when", e.when),
            ("fix", e.fix),
            ("rfc", e.rfc),
        ] {
            assert!(!text.trim().is_empty(), "{label} has an empty {field}");
            assert!(
                !text.contains("  "),
                "{label} has a double space in {field}"
            );
        }
        assert!(is_reason(e.reason), "{label}: unknown reason {}", e.reason);
        assert_eq!(e.fix_when_received.is_some(), e.fix_when_sent.is_some());
    }
}

#[test]
fn the_whole_iana_registry_is_present() {
    let ranges: [(u16, u16); 8] = [
        (0, 0),
        (1, 10),
        (2, 4),
        (3, 6),
        (4, 7),
        (5, 6),
        (6, 10),
        (7, 30),
    ];
    let mut count = 0;
    for (subject, last) in ranges {
        for detail in 0..=last {
            let x = enhanced_entry(EnhancedCode::new(5, subject, detail).unwrap());
            assert!(x.registered, "X.{subject}.{detail} missing");
            count += 1;
        }
    }
    assert_eq!(all_enhanced_codes().len(), count);
}

#[test]
fn unregistered_codes_fall_back_to_class_and_subject() {
    let x = enhanced_entry(code("4.7.99"));
    assert!(!x.registered);
    assert_eq!(x.summary(), "transient, security or policy subject");
    assert!(x.name().contains("transient, security or policy subject"));
    assert!(x.what().starts_with("4.7.99 is not in the IANA registry"));
    let y = enhanced_entry(code("5.9.1"));
    assert!(!y.registered);
    assert_eq!(y.entry.label(), "X.0.0");
    assert_eq!(y.summary(), "permanent, unknown subject");
}

#[test]
fn every_reason_is_described_once() {
    let mut names: Vec<&str> = REASONS.iter().map(|(r, _)| *r).collect();
    let n = names.len();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), n);
    for (r, d) in REASONS {
        assert!(
            r.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
            "{r}"
        );
        assert!(d.ends_with('.'), "{r}");
    }
}

#[test]
fn every_pattern_matches_its_example_and_not_its_near_miss() {
    assert!(all_patterns().len() >= 60);
    let mut ids: Vec<&str> = all_patterns().iter().map(|p| p.id).collect();
    ids.sort_unstable();
    let n = ids.len();
    ids.dedup();
    assert_eq!(ids.len(), n, "pattern ids must be unique");
    let mut failures: Vec<String> = Vec::new();
    for p in all_patterns() {
        for (field, text) in [
            ("title", p.title),
            ("meaning", p.meaning),
            ("fix", p.fix),
            ("example", p.example),
            ("near_miss", p.near_miss),
        ] {
            assert!(!text.trim().is_empty(), "{} has an empty {field}", p.id);
        }
        assert!(is_reason(p.reason), "{}: unknown reason {}", p.id, p.reason);
        assert!(!p.regex.contains('\n'), "{}: regex holds a newline", p.id);
        let own = RegexBuilder::new(p.regex)
            .case_insensitive(true)
            .build()
            .unwrap();
        if !own.is_match(p.example) {
            failures.push(format!("{}: example not matched", p.id));
        }
        if own.is_match(p.near_miss) {
            failures.push(format!("{}: near miss matched", p.id));
        }
        let first = patterns::find(p.example).map(|q| q.id);
        if first != Some(p.id) {
            failures.push(format!("{}: example taken by {first:?}", p.id));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn examples_from_the_brief_are_recognised() {
    let cases = [
        (
            "550 5.1.1 <a@b.example>: Recipient address rejected: User unknown",
            "user_unknown",
        ),
        (
            "550 5.4.1 Recipient address rejected: Access denied. AS(201806281)",
            "user_unknown",
        ),
        (
            "451 4.7.1 Greylisted, see http://postgrey.example/",
            "greylisted",
        ),
        ("530 5.7.0 Authentication required", "auth_required"),
        (
            "535 5.7.8 Username and Password not accepted",
            "auth_failed",
        ),
        ("552 5.2.2 mailbox full", "mailbox_full"),
        ("550 5.7.1 Relaying denied", "relay_denied"),
        ("552 5.3.4 size exceeds limit", "message_too_large"),
        (
            "421 4.7.0 [TSS04] Messages temporarily deferred",
            "rate_limited",
        ),
        (
            "553 5.7.1 [BL21] Connections will not be accepted",
            "blocklisted",
        ),
        ("Connection timed out", "connection_failed"),
        (
            "Helo command rejected: need fully-qualified hostname",
            "helo_rejected",
        ),
        (
            "Sender address rejected: Domain not found",
            "sender_rejected",
        ),
        ("blocked using b.barracudacentral.org", "blocklisted"),
        (
            "451 4.7.650 The mail server has been temporarily rate limited",
            "rate_limited",
        ),
    ];
    for (text, reason) in cases {
        let c = classify(Some(550), None, text, Direction::Outbound);
        assert_eq!(c.reason, reason, "{text}");
        assert_eq!(c.layer, Layer::Text);
    }
}

#[test]
fn success_is_delivered_whatever_the_text() {
    let c = classify(
        Some(250),
        code("2.0.0").into(),
        "2.0.0 Ok: queued as 4Xyz spam",
        Direction::Outbound,
    );
    assert_eq!(c.reason, "delivered");
    assert!(c.pattern.is_none());
    let c = classify(None, Some(code("2.1.5")), "", Direction::Inbound);
    assert_eq!(c.reason, "delivered");
}

#[test]
fn text_beats_enhanced_beats_reply_beats_class() {
    // Text over enhanced: 5.4.1 alone would be "no answer from host".
    let c = classify(
        Some(550),
        Some(code("5.4.1")),
        "Access denied. AS(201806281)",
        Direction::Outbound,
    );
    assert_eq!((c.reason, c.layer), ("user_unknown", Layer::Text));
    // Enhanced over reply: 552 alone is message_too_large, 5.2.2 is mailbox_full.
    let c = classify(
        Some(552),
        Some(code("5.2.2")),
        "requested action aborted",
        Direction::Outbound,
    );
    assert_eq!((c.reason, c.layer), ("mailbox_full", Layer::Enhanced));
    // Reply over class.
    let c = classify(Some(535), None, "go away", Direction::Inbound);
    assert_eq!((c.reason, c.layer), ("auth_failed", Layer::Reply));
    // Class only.
    let c = classify(Some(599), None, "", Direction::Outbound);
    assert_eq!((c.reason, c.layer), ("other", Layer::Class));
    let c = classify(None, None, "", Direction::Outbound);
    assert_eq!(c.reason, "other");
}

#[test]
fn a_bare_4_7_0_is_not_an_authentication_failure() {
    let c = classify(
        Some(421),
        Some(code("4.7.0")),
        "4.7.0 Service closing",
        Direction::Outbound,
    );
    assert_ne!(c.reason, "auth_failed");
    assert_eq!(c.reason, "service_unavailable");
    let c = classify(
        Some(450),
        Some(code("4.7.0")),
        "4.7.0 not now",
        Direction::Outbound,
    );
    assert_eq!(c.reason, "policy");
    let c = classify(None, Some(code("4.7.0")), "", Direction::Outbound);
    assert_eq!(c.reason, "policy");
    // Inside an AUTH exchange the reply code says so.
    let c = classify(
        Some(454),
        Some(code("4.7.0")),
        "4.7.0 Temporary authentication failure",
        Direction::Inbound,
    );
    assert_eq!(c.reason, "auth_failed");
    let c = classify(
        Some(535),
        Some(code("5.7.0")),
        "5.7.0 no",
        Direction::Inbound,
    );
    assert_eq!(c.reason, "auth_failed");
}

#[test]
fn inconsistent_pairs_are_flagged() {
    assert!(inconsistent(Some(450), Some(code("5.7.1"))));
    assert!(inconsistent(Some(550), Some(code("4.2.2"))));
    assert!(!inconsistent(Some(550), Some(code("5.1.1"))));
    assert!(!inconsistent(None, Some(code("5.1.1"))));
    assert!(!inconsistent(Some(550), None));
    assert!(classify(Some(450), Some(code("5.7.1")), "", Direction::Outbound).inconsistent);
    let a = advice(Some(450), Some(code("5.7.1")), "", Direction::Outbound);
    assert!(a.what.contains(INCONSISTENT_NOTE));
}

#[test]
fn advice_merges_the_layers() {
    let a = advice(
        Some(550),
        Some(code("5.7.606")),
        "5.7.606 Access denied, banned sending IP [192.0.2.1]",
        Direction::Outbound,
    );
    assert_eq!(a.reason, "blocklisted");
    assert_eq!(a.provider, Some("Microsoft"));
    assert_eq!(a.link, Some("https://sender.office.com/"));
    assert!(
        a.name
            .starts_with("Mailbox unavailable / Unregistered code")
    );
    assert!(a.fix.contains("delist"));

    let out = advice(Some(550), Some(code("5.1.1")), "", Direction::Outbound);
    let inb = advice(Some(550), Some(code("5.1.1")), "", Direction::Inbound);
    assert_eq!(out.reason, "user_unknown");
    assert_ne!(out.fix, inb.fix);
    assert!(out.what.contains(reply_entry(550).unwrap().what));

    let none = advice(None, None, "", Direction::Outbound);
    assert_eq!(none.reason, "other");
    assert!(!none.what.is_empty() && !none.fix.is_empty());
}

#[test]
fn classification_is_small_and_copy() {
    fn is_copy<T: Copy>() {}
    is_copy::<Classification>();
    assert!(std::mem::size_of::<Classification>() <= 40);
}
