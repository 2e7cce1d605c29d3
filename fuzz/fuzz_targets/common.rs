//! Checks shared by the line-parser targets: whatever a line holds, the event it gives must be
//! consistent and must come out of every renderer safe.
// Each target includes this file and uses a part of it.
#![allow(dead_code)]

use mailsift::event::Event;
use mailsift::kb;
use mailsift::parse::{self, LineContext, Parsed};
use mailsift::render::events::{EventRows, EventsFormat};
use mailsift::time::YearRule;

/// The year rules a line may meet: `--year`, and the file's modification time.
pub fn year_rules() -> [YearRule; 2] {
    [
        YearRule::Given {
            year: 2026,
            first_month: 11,
        },
        YearRule::LastWritten {
            reference: chrono_reference(),
        },
    ]
}

fn chrono_reference() -> chrono::NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 22)
        .unwrap()
        .and_hms_opt(6, 0, 0)
        .unwrap()
}

/// Parses `line` every way a scan would and checks what comes out.
pub fn parse_and_check(line: &str, ctx: &LineContext) {
    let _ = parse::message_of(line, ctx);
    let _ = parse::time_of(line, ctx);
    if let Parsed::Event(mut event) = parse::parse_line(line, ctx) {
        check_event(&mut event);
    }
}

fn check_event(event: &mut Event<'_>) {
    assert_eq!(event.permanence, event.class.permanence(), "{event:?}");
    if let Some(code) = event.reply_code {
        assert!((200..600).contains(&code), "{event:?}");
    }
    event.reason = kb::memo::reason_at(
        event.reply_code,
        event.enhanced_code.or(event.dsn),
        &event.text,
        event.direction,
        event.stage,
    );
    let _ = event
        .timestamp
        .map(|t| (t.to_string(), t.sort_key(), t.hour_start()));

    let mut csv_rows = EventRows::new(EventsFormat::Csv);
    csv_rows.push("fuzz.log", 1, event).unwrap();
    let mut csv_bytes = Vec::new();
    csv_rows.write_to(&mut csv_bytes).unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(&csv_bytes[..]);
    let records: Vec<_> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 1, "one event is one CSV row");
    assert_eq!(records[0].len(), 23);
    for cell in records[0].iter() {
        assert_safe(cell);
        assert!(
            !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
            "formula cell {cell:?}"
        );
    }

    let mut json_rows = EventRows::new(EventsFormat::Ndjson);
    json_rows.push("fuzz.log", 1, event).unwrap();
    let mut json_bytes = Vec::new();
    json_rows.write_to(&mut json_bytes).unwrap();
    assert_eq!(json_bytes.iter().filter(|b| **b == b'\n').count(), 1);
    let value: serde_json::Value = serde_json::from_slice(&json_bytes).unwrap();
    for (_, field) in value.as_object().unwrap() {
        if let Some(text) = field.as_str() {
            assert_safe(text);
        }
    }
}

/// No control character or bidirectional mark reaches a reader.
fn assert_safe(text: &str) {
    assert!(
        !text.chars().any(|c| c.is_control()
            || matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')),
        "unsafe text {text:?}"
    );
}
