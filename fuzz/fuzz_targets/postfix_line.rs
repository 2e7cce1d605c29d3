//! The syslog header and Postfix line parser, on any line.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailsift::parse::{LineContext, SourceFormat};

#[path = "common.rs"]
mod common;

/// Tags that route a line to each Postfix rule.
const TAGS: &[&str] = &[
    "postfix/smtp[3110]",
    "postfix/smtpd[2202]",
    "postfix/postscreen[7]",
    "postfix/cleanup[9]",
    "postfix/lmtp[1]",
    "postfix/local[2]",
    "postfix/qmgr[3]",
    "postfix-out/error",
];

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for years in common::year_rules() {
        let ctx = LineContext {
            years,
            format: SourceFormat::Syslog,
        };
        // As a whole line, as a seed from a real log is.
        common::parse_and_check(&text, &ctx);
        // As the message after a Postfix header, so that mutations reach the body rules.
        let tag = TAGS[data.first().map_or(0, |b| *b as usize) % TAGS.len()];
        let body = text.get(1..).unwrap_or("");
        common::parse_and_check(&format!("Nov 21 08:00:04 mx1 {tag}: {body}"), &ctx);
    }
});
