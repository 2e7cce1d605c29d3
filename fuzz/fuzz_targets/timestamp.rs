//! Timestamps at the start of log lines, and the time values the user types (`--since`,
//! `--until`), whose parser shares the hazards: dates out of range and arithmetic that can
//! overflow.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailsift::filter;
use mailsift::threshold::Threshold;
use mailsift::time::{self, RawTime, YearRule};

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    if let Some((raw, used)) = time::parse_leading(data) {
        assert!(used > 0 && used <= data.len(), "{used} of {}", data.len());
        for years in common::year_rules().into_iter().chain([
            YearRule::Given {
                year: 1970,
                first_month: 12,
            },
            YearRule::Given {
                year: 9999,
                first_month: 1,
            },
        ]) {
            if let Some(ts) = years.complete(raw) {
                let _ = (
                    ts.to_string(),
                    ts.sort_key(),
                    ts.as_machine_local(),
                    ts.hour_start(),
                );
                let _ = ts.cmp(&ts);
            }
        }
        if let RawTime::YearLess { month, day, .. } = raw {
            assert!((1..=12).contains(&month) && (1..=31).contains(&day));
        }
    }
    let text = String::from_utf8_lossy(data);
    let now = chrono::NaiveDate::from_ymd_opt(2026, 11, 22)
        .unwrap()
        .and_hms_opt(10, 30, 0)
        .unwrap();
    let _ = filter::parse_time_bound(&text, now);
    let _ = filter::parse_only(&text);
    let _ = Threshold::parse(&text);
});
