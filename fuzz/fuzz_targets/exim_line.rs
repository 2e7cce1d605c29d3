//! The Exim parser, on any line of its own log files or of syslog.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailsift::parse::{LineContext, SourceFormat};

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for years in common::year_rules() {
        let mainlog = LineContext {
            years,
            format: SourceFormat::EximMainlog,
        };
        common::parse_and_check(&text, &mainlog);
        let syslog = LineContext {
            years,
            format: SourceFormat::Syslog,
        };
        common::parse_and_check(&format!("Nov 21 08:00:04 mx1 exim[42]: {text}"), &syslog);
        // Exim's own timestamp in front of a mutated body.
        common::parse_and_check(&format!("2026-11-21 08:00:04 {text}"), &mainlog);
    }
});
