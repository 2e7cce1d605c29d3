//! The text report for a terminal or a pasted review: header, split by class, codes table,
//! advice for every code that is not a success, and a footer that accounts for every line.
//!
//! Colour is optional and only ever added around our own words; text from the log is made
//! visible before it is written.

use std::io::{self, Write};

use crate::codes::Class;
use crate::render::safe::visible;
use crate::report::{CodeRow, Report};

/// How wide paragraphs are wrapped.
const WIDTH: usize = 96;

/// Options for the text report.
#[derive(Clone, Copy, Debug)]
pub struct TextOptions {
    /// Whether to colour.
    pub color: bool,
}

struct Paint {
    on: bool,
}

impl Paint {
    fn wrap(&self, code: &str, text: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    fn heading(&self, text: &str) -> String {
        self.wrap("1", text)
    }

    fn class(&self, class: Class, text: &str) -> String {
        match class {
            Class::Success => self.wrap("32", text),
            Class::Intermediate => self.wrap("36", text),
            Class::Transient => self.wrap("33", text),
            Class::Permanent => self.wrap("31", text),
        }
    }
}

/// Writes the text report.
pub fn write_report(out: &mut dyn Write, report: &Report, options: TextOptions) -> io::Result<()> {
    let paint = Paint { on: options.color };
    let tally = &report.tally;
    let events = tally.events();
    writeln!(out, "{}", paint.heading("mailsift report"))?;
    for input in &report.inputs {
        let mut notes = vec![];
        if !input.format.is_empty() {
            notes.push(input.format.to_string());
        }
        if input.compression != "none" && !input.compression.is_empty() {
            notes.push(input.compression.to_string());
        }
        if !input.complete {
            notes.push("not read to the end".to_string());
        }
        writeln!(
            out,
            "  input  {} ({})",
            visible(&input.name),
            notes.join(", ")
        )?;
    }
    let span = match (tally.first_seen, tally.last_seen) {
        (Some(first), Some(last)) => format!("{first} to {last}"),
        _ => "no timestamps".to_string(),
    };
    writeln!(
        out,
        "  lines read {}, SMTP outcomes {}, time span {}",
        thousands(tally.lines.read),
        thousands(events),
        span
    )?;
    writeln!(out)?;

    writeln!(out, "{}", paint.heading("Outcomes by class"))?;
    if events == 0 {
        writeln!(out, "  no SMTP outcome found")?;
    }
    for (class, count) in &tally.by_class {
        let label = format!("{:<4} {:<13}", class.label(), class.permanence().label());
        writeln!(
            out,
            "  {} {:>10}  {:>6}",
            paint.class(*class, &label),
            thousands(*count),
            percent(*count, events)
        )?;
    }
    writeln!(out)?;
    writeln!(out, "{}", paint.heading("Outcomes by action"))?;
    for (action, count) in &tally.by_action {
        writeln!(
            out,
            "  {:<18} {:>10}  {:>6}",
            action.label(),
            thousands(*count),
            percent(*count, events)
        )?;
    }
    writeln!(out)?;

    if !report.rows.is_empty() {
        writeln!(out, "{}", paint.heading("Codes"))?;
        writeln!(
            out,
            "  {:<5} {:<9} {:<5} {:<8} {:>9} {:>6}  {:<34} top destinations or clients",
            "reply", "enhanced", "class", "dir", "count", "share", "name"
        )?;
        for row in &report.rows {
            writeln!(
                out,
                "  {:<5} {:<9} {} {:<8} {:>9} {:>6}  {:<34} {}",
                row.key
                    .reply
                    .map(|c| c.to_string())
                    .unwrap_or_else(|| "-".into()),
                row.key
                    .enhanced
                    .map(|c| c.to_string())
                    .unwrap_or_else(|| "-".into()),
                paint.class(row.class, &format!("{:<5}", row.class.label())),
                row.key.direction.label(),
                thousands(row.count),
                percent(row.count, events),
                shorten(&row.advice.name, 34),
                destinations(row)
            )?;
        }
        writeln!(out)?;
    }

    let problems: Vec<&CodeRow> = report
        .rows
        .iter()
        .filter(|row| row.class != Class::Success)
        .collect();
    if !problems.is_empty() {
        writeln!(
            out,
            "{}",
            paint.heading("What each code means and how to fix it")
        )?;
        for row in problems {
            write_advice(out, &paint, row, events)?;
        }
    }

    let lines = &tally.lines;
    writeln!(out, "{}", paint.heading("Lines"))?;
    writeln!(
        out,
        "  {} read = {} SMTP outcomes + {} without an outcome + {} of other programs + {} unmatched + {} filtered out + {} over-long",
        thousands(lines.read),
        thousands(lines.events),
        thousands(lines.no_outcome),
        thousands(lines.other_programs),
        thousands(lines.unmatched),
        thousands(lines.filtered_out),
        thousands(lines.over_long)
    )?;
    Ok(())
}

fn write_advice(out: &mut dyn Write, paint: &Paint, row: &CodeRow, events: u64) -> io::Result<()> {
    let codes = [
        row.key.reply.map(|c| c.to_string()),
        row.key.enhanced.map(|c| c.to_string()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    let codes = if codes.is_empty() {
        "no code".to_string()
    } else {
        codes
    };
    writeln!(out)?;
    writeln!(
        out,
        "{} {}  ({} outcomes, {}; {} {})",
        paint.class(row.class, &format!("── {codes}")),
        paint.heading(&row.advice.name),
        thousands(row.count),
        percent(row.count, events),
        row.class.label(),
        row.permanence.label()
    )?;
    if let (Some(first), Some(last)) = (row.first_seen, row.last_seen) {
        writeln!(out, "   seen     {first} to {last}")?;
    }
    let reason = match row.advice.provider {
        Some(provider) => format!("{} ({provider})", row.advice.reason),
        None => row.advice.reason.to_string(),
    };
    writeln!(out, "   reason   {reason}")?;
    paragraph(out, "meaning", &row.advice.what)?;
    paragraph(out, "when", &row.advice.when)?;
    paragraph(out, "fix", &row.advice.fix)?;
    if let Some(link) = row.advice.link {
        writeln!(out, "   link     {link}")?;
    }
    if !row.top.is_empty() {
        writeln!(out, "   where    {}", destinations(row))?;
    }
    for example in &row.examples {
        writeln!(
            out,
            "   example  {}:{}  {}",
            visible(&example.file),
            example.line,
            shorten(&visible(&example.text), WIDTH.saturating_sub(30))
        )?;
    }
    Ok(())
}

fn paragraph(out: &mut dyn Write, label: &str, text: &str) -> io::Result<()> {
    let indent = 12;
    let mut line = String::new();
    let mut first = true;
    for word in text.split_whitespace() {
        if !line.is_empty() && indent + line.len() + 1 + word.len() > WIDTH {
            write_wrapped(out, label, &line, first)?;
            first = false;
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        write_wrapped(out, label, &line, first)?;
    }
    Ok(())
}

fn write_wrapped(out: &mut dyn Write, label: &str, line: &str, first: bool) -> io::Result<()> {
    if first {
        writeln!(out, "   {label:<8} {line}")
    } else {
        writeln!(out, "            {line}")
    }
}

fn destinations(row: &CodeRow) -> String {
    row.top
        .iter()
        .map(|(name, count)| format!("{} {}", visible(name), thousands(*count)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Cuts text to `width` characters, marking the cut.
fn shorten(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(width.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// `1234567` as `1,234,567`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A share as a percentage with one decimal.
pub fn percent(part: u64, whole: u64) -> String {
    if whole == 0 {
        return "-".to_string();
    }
    format!("{:.1}%", part as f64 * 100.0 / whole as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_and_text_is_cut() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(percent(1, 3), "33.3%");
        assert_eq!(percent(1, 0), "-");
        assert_eq!(shorten("abcdef", 4), "abc…");
        assert_eq!(shorten("abc", 4), "abc");
    }
}
