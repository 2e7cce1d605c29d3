//! `mailsift events`: one row per event, as CSV with a header or as NDJSON.
//!
//! Columns and keys follow the event fields of the contract, in its order. Rows are written
//! into a per-chunk buffer on the worker that parsed the chunk, so formatting runs in parallel;
//! the buffers are then written out in input order. Log text is made visible, and CSV cells
//! are defused against formulas.
//!
//! Both formats are meant to load into databases as they are: codes are text (a JSON string, a
//! quoted CSV cell), a field the line did not have is empty in CSV and `null` in JSON, and
//! numbers (`line`, `pid`) are bare.

use std::borrow::Cow;
use std::io::{self, Write};

use serde::Serialize;

use crate::event::Event;
use crate::render::safe::{csv_cell, visible};

/// The output formats of `events`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventsFormat {
    /// Comma-separated values with a header row.
    Csv,
    /// One JSON object per line.
    Ndjson,
}

/// The column names, in order.
pub const COLUMNS: [&str; 23] = [
    "file",
    "line",
    "timestamp",
    "log_format",
    "host",
    "program",
    "pid",
    "queue_id",
    "direction",
    "action",
    "stage",
    "reply_code",
    "enhanced_code",
    "dsn",
    "class",
    "permanence",
    "reason",
    "remote_host",
    "remote_ip",
    "sender",
    "recipient",
    "recipient_domain",
    "text",
];

/// One row; string fields are already made safe for the format being written. A field the
/// line did not have is `None`, written as an empty CSV cell or a JSON `null`, never as `""`,
/// so that databases read it as NULL.
#[derive(Serialize)]
struct Row<'a> {
    file: Cow<'a, str>,
    line: u64,
    timestamp: Option<String>,
    log_format: &'static str,
    host: Option<Cow<'a, str>>,
    program: Option<Cow<'a, str>>,
    pid: Option<u32>,
    queue_id: Option<Cow<'a, str>>,
    direction: &'static str,
    action: &'static str,
    stage: Option<&'static str>,
    reply_code: Option<String>,
    enhanced_code: Option<String>,
    dsn: Option<String>,
    class: &'static str,
    permanence: &'static str,
    reason: &'static str,
    remote_host: Option<Cow<'a, str>>,
    remote_ip: Option<Cow<'a, str>>,
    sender: Option<Cow<'a, str>>,
    recipient: Option<Cow<'a, str>>,
    recipient_domain: Option<Cow<'a, str>>,
    text: Option<Cow<'a, str>>,
}

impl<'a> Row<'a> {
    fn new(file: &'a str, line: u64, event: &'a Event<'_>, format: EventsFormat) -> Self {
        let safe: fn(&str) -> Cow<'_, str> = match format {
            EventsFormat::Csv => csv_field,
            EventsFormat::Ndjson => visible,
        };
        let field = |text: &'a str| (!text.is_empty()).then(|| safe(text));
        // Codes are text: `550` is a name, not a quantity. JSON says so with a string; CSV has
        // no types, but a quoted cell is read as text by engines that look at quotes.
        let code = |code: String| match format {
            EventsFormat::Csv => format!("\"{code}\""),
            EventsFormat::Ndjson => code,
        };
        let domain = event.recipient_domain();
        Row {
            file: safe(file),
            line,
            timestamp: event.timestamp.map(|t| t.to_string()),
            log_format: event.log_format.label(),
            host: field(event.host),
            program: field(event.program),
            pid: event.pid,
            queue_id: field(event.queue_id),
            direction: event.direction.label(),
            action: event.action.label(),
            stage: event.stage,
            reply_code: event.reply_code.map(|c| code(c.to_string())),
            enhanced_code: event.enhanced_code.map(|c| code(c.to_string())),
            dsn: event.dsn.map(|c| code(c.to_string())),
            class: event.class.label(),
            permanence: event.permanence.label(),
            reason: event.reason,
            remote_host: field(event.remote_host),
            remote_ip: field(event.remote_ip),
            sender: field(event.sender),
            recipient: field(event.recipient),
            recipient_domain: (!domain.is_empty()).then(|| Cow::Owned(safe(&domain).into_owned())),
            text: (!event.text.is_empty()).then(|| safe(&event.text)),
        }
    }
}

/// A CSV cell of log text, defused, and quoted where it needs to be. CSV rows are written with
/// the writer's quoting turned off so that code cells can always be quoted; text is quoted here
/// instead, and the fields of mailsift's own vocabulary never need it.
fn csv_field(text: &str) -> Cow<'_, str> {
    let cell = csv_cell(text);
    if !cell.contains([',', '"', '\r', '\n']) {
        return cell;
    }
    Cow::Owned(format!("\"{}\"", cell.replace('"', "\"\"")))
}

/// Rows of one chunk, formatted but not yet written out.
pub enum EventRows {
    /// CSV rows, without the header.
    Csv(Box<csv::Writer<Vec<u8>>>),
    /// NDJSON lines.
    Ndjson(Vec<u8>),
}

impl EventRows {
    /// An empty buffer for the format.
    pub fn new(format: EventsFormat) -> Self {
        match format {
            EventsFormat::Csv => EventRows::Csv(Box::new(
                csv::WriterBuilder::new()
                    .has_headers(false)
                    .quote_style(csv::QuoteStyle::Never)
                    .from_writer(Vec::new()),
            )),
            EventsFormat::Ndjson => EventRows::Ndjson(Vec::new()),
        }
    }

    /// Adds one event read at `file:line`.
    pub fn push(&mut self, file: &str, line: u64, event: &Event<'_>) -> io::Result<()> {
        match self {
            EventRows::Csv(writer) => writer
                .serialize(Row::new(file, line, event, EventsFormat::Csv))
                .map_err(io::Error::other),
            EventRows::Ndjson(buf) => {
                serde_json::to_writer(
                    &mut *buf,
                    &Row::new(file, line, event, EventsFormat::Ndjson),
                )?;
                buf.push(b'\n');
                Ok(())
            }
        }
    }

    /// Writes the rows out.
    pub fn write_to(self, out: &mut dyn Write) -> io::Result<()> {
        match self {
            EventRows::Csv(writer) => {
                let bytes = writer.into_inner().map_err(|e| e.into_error())?;
                out.write_all(&bytes)
            }
            EventRows::Ndjson(buf) => out.write_all(&buf),
        }
    }
}

/// Writes what comes before the first row: the CSV header, nothing for NDJSON.
pub fn write_header(out: &mut dyn Write, format: EventsFormat) -> io::Result<()> {
    match format {
        EventsFormat::Csv => {
            let mut writer = csv::Writer::from_writer(Vec::new());
            writer.write_record(COLUMNS).map_err(io::Error::other)?;
            let bytes = writer.into_inner().map_err(|e| e.into_error())?;
            out.write_all(&bytes)
        }
        EventsFormat::Ndjson => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::{Action, Direction};
    use crate::event::LogFormat;

    fn hostile_event() -> Event<'static> {
        let mut event = Event::new(LogFormat::Postfix, Direction::Outbound, Action::Bounced);
        event.reply_code = Some(550);
        event.enhanced_code = Some("5.7.1".parse().unwrap());
        event.recipient = "=cmd|' /C calc'!A0@Example.ORG";
        event.text = Cow::Borrowed("\x1b[2J\u{202e}gotcha, \"quoted\"");
        event.settle_class();
        event
    }

    #[test]
    fn csv_row_has_every_column_defused_and_visible() {
        let mut rows = EventRows::new(EventsFormat::Csv);
        rows.push("mail.log", 7, &hostile_event()).unwrap();
        let mut out = Vec::new();
        write_header(&mut out, EventsFormat::Csv).unwrap();
        rows.write_to(&mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        assert_eq!(
            reader.headers().unwrap().iter().collect::<Vec<_>>(),
            COLUMNS
        );
        let record = reader.records().next().unwrap().unwrap();
        assert_eq!(record.len(), COLUMNS.len());
        assert_eq!(&record[1], "7");
        assert_eq!(&record[11], "550");
        assert_eq!(&record[12], "5.7.1");
        assert_eq!(&record[14], "5xx");
        assert_eq!(&record[15], "permanent");
        assert_eq!(&record[20], "'=cmd|' /C calc'!A0@Example.ORG");
        assert_eq!(&record[21], "example.org");
        assert_eq!(&record[22], "\\x1b[2J\\u{202e}gotcha, \"quoted\"");
        assert!(!text.contains('\x1b'));
        // Codes are quoted cells; absent fields are empty, not `""`.
        assert!(text.contains(",\"550\",\"5.7.1\",,5xx,"), "{text}");
        assert!(text.contains(",bounced,,"), "{text}");
        assert!(!text.contains("\"\","), "{text}");
    }

    #[test]
    fn ndjson_line_has_every_key_in_order() {
        let mut rows = EventRows::new(EventsFormat::Ndjson);
        rows.push("mail.log", 7, &hostile_event()).unwrap();
        let mut out = Vec::new();
        rows.write_to(&mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text.lines().count(), 1);
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        let keys: Vec<_> = value.as_object().unwrap().keys().cloned().collect();
        let mut expected: Vec<_> = COLUMNS.iter().map(|c| c.to_string()).collect();
        expected.sort();
        assert_eq!(keys, expected);
        assert_eq!(value["reply_code"], "550");
        assert_eq!(value["dsn"], serde_json::Value::Null);
        assert_eq!(value["pid"], serde_json::Value::Null);
        assert_eq!(value["sender"], serde_json::Value::Null);
        assert_eq!(value["recipient_domain"], "example.org");
        assert_eq!(value["text"], "\\x1b[2J\\u{202e}gotcha, \"quoted\"");
        let first_key_at = |k: &str| text.find(&format!("\"{k}\"")).unwrap();
        assert!(
            COLUMNS
                .windows(2)
                .all(|w| first_key_at(w[0]) < first_key_at(w[1]))
        );
    }
}
