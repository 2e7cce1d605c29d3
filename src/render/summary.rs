//! The report as CSV, JSON and Markdown: the formats for cron jobs, scripts and incident
//! documents. CSV has fixed columns and row order; JSON carries a `schema_version`; Markdown has
//! no terminal escapes. Log text is defused for each format.

use std::io::{self, Write};

use serde_json::{Value, json};

use crate::aggregate::{ClassCounts, Tally};
use crate::codes::{Class, codes_text};
use crate::kinds::{Kinds, Tier};
use crate::merge;
use crate::outcome::OutcomeSummary;
use crate::parse::postscreen::Verdict;
use crate::parse::restart::Restart;
use crate::render::explain::Lang;
use crate::render::report_labels::{
    ReportLabels, counts_phrase, line_buckets, outcome_lines, report_labels, screening_tops,
};
use crate::render::safe::{csv_cell, visible};
use crate::render::text::{after_attempts, duration_text, key_codes};
use crate::report::{CodeRow, FailureTimeline, IncidentRow, KindSection, Report, SCHEMA_VERSION};

/// The CSV columns without `--by`.
pub const CSV_COLUMNS: [&str; 13] = [
    "reply_code",
    "enhanced_code",
    "class",
    "permanence",
    "name",
    "count",
    "share",
    "first_seen",
    "last_seen",
    "top_domain",
    "top_domain_count",
    "reason",
    "advice",
];

fn opt<T: ToString>(value: Option<T>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

/// Writes one row per code, or with `--by` per (key, code), count descending then key.
pub fn write_csv(out: &mut dyn Write, report: &Report) -> io::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    let mut header: Vec<&str> = Vec::new();
    if let Some(by) = report.by {
        header.push(by.label());
    }
    header.extend(CSV_COLUMNS);
    writer.write_record(&header).map_err(io::Error::other)?;
    for row in &report.csv_rows {
        let mut record: Vec<String> = Vec::with_capacity(header.len());
        if report.by.is_some() {
            record.push(csv_cell(row.key.as_deref().unwrap_or("")).into_owned());
        }
        let (top, top_count) = match &row.top_domain {
            Some((name, count)) => (csv_cell(name).into_owned(), count.to_string()),
            None => (String::new(), String::new()),
        };
        record.extend([
            opt(row.reply),
            opt(row.enhanced),
            row.class.label().to_string(),
            row.class.permanence().label().to_string(),
            csv_cell(&row.name).into_owned(),
            row.count.to_string(),
            format!("{:.4}", row.share),
            opt(row.first_seen),
            opt(row.last_seen),
            top,
            top_count,
            row.reason.to_string(),
            csv_cell(&row.advice).into_owned(),
        ]);
        writer.write_record(&record).map_err(io::Error::other)?;
    }
    writer.flush()
}

fn class_object(counts: &ClassCounts) -> Value {
    json!({
        "2xx": counts.get(Class::Success),
        "3xx": counts.get(Class::Intermediate),
        "4xx": counts.get(Class::Transient),
        "5xx": counts.get(Class::Permanent),
    })
}

fn code_json(row: &CodeRow) -> Value {
    json!({
        "direction": row.key.direction.label(),
        "class": row.class().label(),
        "permanence": row.permanence().label(),
        "reply_code": row.key.reply,
        "enhanced_code": row.key.enhanced.map(|c| c.to_string()),
        "name": row.advice.name,
        "count": row.count,
        "share": (row.share * 10_000.0).round() / 10_000.0,
        "messages": row.messages,
        "messages_approximate": row.messages_approximate,
        "first_seen": row.first_seen.map(|t| t.to_string()),
        "last_seen": row.last_seen.map(|t| t.to_string()),
        "reason": row.reason,
        "provider": row.advice.provider,
        "meaning": row.advice.what,
        "when": row.advice.when,
        "fix": row.advice.fix,
        "link": row.advice.link,
        "top_destinations": row.top.iter().map(|(name, count)| json!({"name": visible(name), "count": count})).collect::<Vec<_>>(),
        "top_destinations_approximate": row.top_approximate,
        "top_destinations_max_undercount": row.top_max_undercount,
        "examples": row.examples.iter().map(|e| json!({"file": visible(&e.file), "line": e.line, "text": visible(&e.text)})).collect::<Vec<_>>(),
    })
}

fn outcomes_json(outcomes: &OutcomeSummary) -> Value {
    let delay = &outcomes.delay;
    json!({
        "messages": outcomes.messages,
        "recipients": outcomes.recipients,
        "delivered_at_once": outcomes.delivered_at_once,
        "delivered_after_deferral": outcomes.delivered_after_deferral(),
        "delivered_after_deferrals": {
            "1": outcomes.delivered_after[0],
            "2": outcomes.delivered_after[1],
            "3": outcomes.delivered_after[2],
            "4": outcomes.delivered_after[3],
            "5_or_more": outcomes.delivered_after[4],
        },
        "lost": outcomes.lost(),
        "bounced_at_once": outcomes.bounced_at_once,
        "bounced_after_deferral": outcomes.bounced_after_deferral,
        "expired": outcomes.expired,
        "pending": outcomes.pending,
        "let_go": outcomes.let_go,
        "notified": outcomes.notified,
        "delay_seconds": {
            "count": delay.count(),
            "median": delay.quantile(0.5),
            "p90": delay.quantile(0.9),
            "max": (delay.count() > 0).then(|| delay.max()),
            "approximate": delay.approximate(),
        },
        "lost_examples": outcomes.lost_examples.iter().map(|lost| json!({
            "id": visible(&lost.id),
            "recipient": visible(&lost.recipient),
            "ending": lost.ending.label(),
            "attempts": lost.attempts,
            "deferrals": lost.deferrals,
            "first_attempt": lost.first_attempt.map(|t| t.to_string()),
            "last_attempt": lost.last_attempt.map(|t| t.to_string()),
            "reply_code": lost.reply_code,
            "enhanced_code": lost.enhanced_code.map(|c| c.to_string()),
            "notification": lost.notification.as_deref().map(visible),
            "file": visible(&lost.file),
            "line": lost.line,
        })).collect::<Vec<_>>(),
    })
}

fn incident_json(row: &IncidentRow) -> Value {
    let incident = &row.incident;
    json!({
        "start": incident.start.format("%Y-%m-%dT%H:%M").to_string(),
        "end": incident.end.format("%Y-%m-%dT%H:%M").to_string(),
        "destination": visible(&incident.destination.label()),
        "direction": incident.code.direction.label(),
        "class": incident.code.class.label(),
        "reply_code": incident.code.reply,
        "enhanced_code": incident.code.enhanced.map(|c| c.to_string()),
        "failures": incident.failures,
        "attempts": incident.attempts,
        "usual_share": incident.usual_share,
        "expected": incident.expected,
        "name": row.name,
        "reason": row.reason,
        "fix": row.fix,
        "example": row.example.as_ref().map(|(file, line)| json!({
            "file": visible(file),
            "line": line,
        })),
    })
}

/// The whole summary as one JSON document.
pub fn summary_json(report: &Report) -> Value {
    let tally = &report.tally;
    let lines = &tally.lines;
    json!({
        "schema_version": SCHEMA_VERSION,
        "inputs": report.inputs.iter().map(|i| json!({
            "name": visible(&i.name),
            "format": i.format,
            "compression": i.compression,
            "complete": i.complete,
        })).collect::<Vec<_>>(),
        "lines": {
            "read": lines.read,
            "events": lines.events,
            "refusals": tally.refusal_count(),
            "reject_warnings": tally.reject_warning_count(),
            "no_outcome": lines.no_outcome,
            "other_programs": lines.other_programs,
            "unmatched": lines.unmatched,
            "filtered_out": lines.filtered_out,
            "over_long": lines.over_long,
            "repeated": lines.repeated,
        },
        "first_seen": tally.first_seen.map(|t| t.to_string()),
        "last_seen": tally.last_seen.map(|t| t.to_string()),
        "read_from": tally.read_from.map(|t| t.to_string()),
        "read_to": tally.read_to.map(|t| t.to_string()),
        "formats": tally.formats.iter().map(|f| f.label()).collect::<Vec<_>>(),
        "outcomes": tally.events(),
        "messages": tally.messages.count(),
        "messages_approximate": tally.messages.approximate(),
        "by_class": class_object(&tally.by_class),
        "by_action": tally.by_action.iter().map(|(a, c)| (a.label().to_string(), json!(c))).collect::<serde_json::Map<_, _>>(),
        "by_reason": tally.by_reason.iter().map(|(r, c)| (r.to_string(), json!(c))).collect::<serde_json::Map<_, _>>(),
        "codes": report.rows.iter().map(code_json).collect::<Vec<_>>(),
        "refusals": report.refusals.iter().map(code_json).collect::<Vec<_>>(),
        "reject_warnings": report.reject_warnings.iter().map(code_json).collect::<Vec<_>>(),
        "postscreen": screening_json(report),
        "diagnostics": kinds_json(&tally.diagnostics, &report.diagnostics),
        "diverted": kinds_json(&tally.diversions, &report.diversions),
        "restarts": restarts_json(tally, &report.restarts),
        "hours": tally.hours.iter().map(|(hour, counts)| json!({
            "hour": hour.format("%Y-%m-%dT%H:00").to_string(),
            "by_class": class_object(counts),
        })).collect::<Vec<_>>(),
        "message_outcomes": outcomes_json(&report.outcomes),
        "incidents": report.incidents.iter().map(incident_json).collect::<Vec<_>>(),
        "thresholds": report.thresholds.iter().map(|t| json!({
            "condition": t.threshold.text,
            "count": t.count,
            "met": t.met,
        })).collect::<Vec<_>>(),
        "state": merge::state_of(report),
    })
}

/// Writes the JSON summary, pretty-printed, with a final newline.
pub fn write_json(out: &mut dyn Write, report: &Report) -> io::Result<()> {
    let json = serde_json::to_vec_pretty(&summary_json(report))?;
    out.write_all(&escape_c1_controls(json))?;
    writeln!(out)
}

/// Writes the C1 control characters (U+0080 to U+009F) of a JSON text as `\u` escapes. JSON
/// lets them stand raw, but a terminal obeys some of them (U+009B starts an escape sequence),
/// and the `state` section keeps log text as read so that merges are exact. JSON's structure is
/// ASCII, so these can only be inside strings, where the escape means the same character.
fn escape_c1_controls(json: Vec<u8>) -> Vec<u8> {
    if !json
        .windows(2)
        .any(|w| w[0] == 0xc2 && (0x80..0xa0).contains(&w[1]))
    {
        return json;
    }
    let mut escaped = Vec::with_capacity(json.len() + 64);
    let mut bytes = json.into_iter().peekable();
    while let Some(byte) = bytes.next() {
        match bytes.peek() {
            Some(&next) if byte == 0xc2 && (0x80..0xa0).contains(&next) => {
                bytes.next();
                escaped.extend_from_slice(format!("\\u{next:04x}").as_bytes());
            }
            _ => escaped.push(byte),
        }
    }
    escaped
}

fn write_markdown_incidents(
    out: &mut dyn Write,
    report: &Report,
    words: &ReportLabels,
) -> io::Result<()> {
    writeln!(out, "## {}", words.incidents)?;
    writeln!(out)?;
    if report.incidents.is_empty() {
        writeln!(out, "{}", words.no_incidents)?;
        return writeln!(out);
    }
    writeln!(
        out,
        "| start | end | destination | codes | reason | failures | attempts | usual | example | fix |"
    )?;
    writeln!(out, "|---|---|---|---|---|---:|---:|---:|---|---|")?;
    for row in &report.incidents {
        let incident = &row.incident;
        let example = row
            .example
            .as_ref()
            .map(|(file, line)| cell_code_span(&format!("{file}:{line}")))
            .unwrap_or_default();
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {:.1}% | {} | {} |",
            incident.start.format("%Y-%m-%d %H:%M"),
            incident.end.format("%Y-%m-%d %H:%M"),
            md(&incident.destination.label()),
            key_codes(&incident.code),
            row.reason,
            incident.failures,
            incident.attempts,
            incident.usual_share * 100.0,
            example,
            md_advice_cell(&row.fix)
        )?;
    }
    writeln!(out)
}

fn write_markdown_outcomes(
    out: &mut dyn Write,
    outcomes: &OutcomeSummary,
    words: &ReportLabels,
) -> io::Result<()> {
    let all = outcomes.recipients;
    writeln!(out, "## {}", words.message_outcomes)?;
    writeln!(out)?;
    writeln!(
        out,
        "{} {} {}, {} {}.",
        words.followed,
        all,
        words.counted(all, words.recipients),
        outcomes.messages,
        words.counted(outcomes.messages, words.messages_word)
    )?;
    writeln!(out)?;
    writeln!(out, "| | count | share | detail |")?;
    writeln!(out, "|---|---:|---:|---|")?;
    for (label, count, _, detail) in outcome_lines(outcomes, words) {
        writeln!(
            out,
            "| {label} | {count} | {} | {detail} |",
            percent(count, all)
        )?;
    }
    let delay = &outcomes.delay;
    if let (Some(median), Some(p90)) = (delay.quantile(0.5), delay.quantile(0.9)) {
        writeln!(
            out,
            "| {} | | | median {}, p90 {}, max {} |",
            words.delay_added,
            duration_text(median),
            duration_text(p90),
            duration_text(delay.max())
        )?;
    }
    writeln!(out)?;
    if outcomes.lost_examples.is_empty() {
        return Ok(());
    }
    writeln!(out, "### {}", words.lost_examples)?;
    writeln!(out)?;
    for lost in &outcomes.lost_examples {
        let codes = if lost.reply_code.is_none() && lost.enhanced_code.is_none() {
            String::new()
        } else {
            format!(" {}", codes_text(lost.reply_code, lost.enhanced_code))
        };
        let notification = lost
            .notification
            .as_deref()
            .map(|n| format!(", {} {}", words.notification, code_span(n)))
            .unwrap_or_default();
        writeln!(
            out,
            "- {} {} {}{}{}{} ({})",
            code_span(&lost.id),
            md(&lost.recipient),
            lost.ending.label(),
            codes,
            after_attempts(lost)
                .map(|after| format!(" {after}"))
                .unwrap_or_default(),
            notification,
            code_span(&format!("{}:{}", lost.file, lost.line))
        )?;
    }
    writeln!(out)
}

/// `name count` entries joined by `, `, each name made inert for Markdown.
fn md_entries(entries: &[(String, u64)]) -> String {
    entries
        .iter()
        .map(|(name, count)| format!("{} {count}", md(name)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `text` as a Markdown code span, whose content Markdown shows as it is: only a backtick,
/// which would end the span (a backslash does not escape it there), becomes a quote. Text
/// holding `<`, `>` or `&` is written as plain text made inert by [`md`] instead, so that no
/// markup reaches a renderer that mishandles code spans, and none shows as an entity.
fn code_span(text: &str) -> String {
    if text.contains(['<', '>', '&']) {
        return md(text);
    }
    format!("`{}`", visible(text).replace('`', "'"))
}

/// [`code_span`] for a table cell, where a pipe would end the cell even inside the span.
fn cell_code_span(text: &str) -> String {
    if text.contains(['<', '>', '&']) {
        return md(text);
    }
    code_span(text).replace('|', "\\|")
}

/// Text for a Markdown table cell: visible, pipes escaped, no line breaks. Markup a remote
/// server put in its reply stays text: HTML is escaped, a backtick cannot open a code span
/// (inside which the escapes would show), and `](` is broken up so that no link in an incident
/// document leads where the log text chose.
fn md(text: &str) -> String {
    visible(text)
        .replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('`', "\\`")
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace("](", "]\\(")
}

/// mailsift's own advice as Markdown prose: its backtick pairs stay code spans, whose content
/// Markdown shows as it is, and the prose between them is made inert by [`md`].
fn md_advice(text: &str) -> String {
    advice_markdown(text, false)
}

/// [`md_advice`] for a table cell, where a pipe would end the cell even inside a code span.
fn md_advice_cell(text: &str) -> String {
    advice_markdown(text, true)
}

fn advice_markdown(text: &str, in_cell: bool) -> String {
    if text.matches('`').count() % 2 == 1 {
        return md(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for (index, part) in text.split('`').enumerate() {
        if index % 2 == 1 {
            let code = visible(part);
            out.push('`');
            if in_cell {
                out.push_str(&code.replace('|', "\\|"));
            } else {
                out.push_str(&code);
            }
            out.push('`');
        } else {
            out.push_str(&md(part));
        }
    }
    out
}

fn percent(part: u64, whole: u64) -> String {
    crate::render::text::percent(part, whole)
}

/// Writes the report as Markdown for incident documents.
pub fn write_markdown(out: &mut dyn Write, report: &Report, lang: Lang) -> io::Result<()> {
    let words = report_labels(lang);
    let tally = &report.tally;
    let events = tally.events();
    writeln!(out, "# {}", words.title)?;
    writeln!(out)?;
    for input in &report.inputs {
        let complete = if input.complete {
            ""
        } else {
            ", **not read to the end**"
        };
        writeln!(
            out,
            "- input {} ({}, {}{})",
            code_span(&input.name),
            input.format,
            input.compression,
            complete
        )?;
    }
    if let Some((first, last)) = tally.span() {
        writeln!(out, "- time span {first} to {last}")?;
    }
    writeln!(out, "- {} {}", words.read, counts_phrase(tally, words))?;
    writeln!(out)?;
    writeln!(out, "## {}", words.by_class)?;
    writeln!(out)?;
    writeln!(out, "| class | permanence | count | share |")?;
    writeln!(out, "|---|---|---:|---:|")?;
    for class in [
        Class::Success,
        Class::Intermediate,
        Class::Transient,
        Class::Permanent,
    ] {
        let count = tally.by_class.get(class);
        writeln!(
            out,
            "| {} | {} | {} | {} |",
            class.label(),
            class.permanence().label(),
            count,
            percent(count, events)
        )?;
    }
    writeln!(out)?;
    if events > 0 {
        write_markdown_incidents(out, report, words)?;
    }
    if report.outcomes.recipients > 0 {
        write_markdown_outcomes(out, &report.outcomes, words)?;
    }
    if !report.rows.is_empty() {
        writeln!(out, "## {}", words.codes)?;
        writeln!(out)?;
        writeln!(
            out,
            "| reply | enhanced | direction | count | share | name | reason | top destinations |"
        )?;
        writeln!(out, "|---|---|---|---:|---:|---|---|---|")?;
        for row in &report.rows {
            writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} | {} |",
                row.key.reply.map_or("-".into(), |c| c.to_string()),
                row.key.enhanced.map_or("-".into(), |c| c.to_string()),
                row.key.direction.label(),
                row.count,
                percent(row.count, events),
                md_advice_cell(&row.advice.name),
                row.reason,
                md_entries(&row.top)
            )?;
        }
        writeln!(out)?;
    }
    for row in report.failure_rows() {
        writeln!(
            out,
            "## {} ({}, {}): {}",
            codes_text(row.key.reply, row.key.enhanced),
            row.key.direction.label(),
            row.count,
            md_advice(&row.advice.name)
        )?;
        writeln!(out)?;
        writeln!(out, "- **{}:** {}", capitalized(words.reason), row.reason)?;
        writeln!(
            out,
            "- **{}:** {}",
            capitalized(words.meaning),
            md_advice(&row.advice.what)
        )?;
        writeln!(
            out,
            "- **{}:** {}",
            capitalized(words.seen),
            md_advice(&row.advice.when)
        )?;
        writeln!(
            out,
            "- **{}:** {}",
            capitalized(words.fix),
            md_advice(&row.advice.fix)
        )?;
        if let Some(link) = row.advice.link {
            writeln!(out, "- **{}:** <{link}>", capitalized(words.link))?;
        }
        if let (Some(first), Some(last)) = (row.first_seen, row.last_seen) {
            writeln!(
                out,
                "- **{}** {first} .. {last}",
                capitalized(words.in_this_log)
            )?;
        }
        for example in &row.examples {
            writeln!(
                out,
                "- {} {}",
                code_span(&format!("{}:{}", example.file, example.line)),
                md(&example.text)
            )?;
        }
        writeln!(out)?;
    }
    for (heading, rows) in [
        (words.refusals, &report.refusals),
        (words.reject_warnings, &report.reject_warnings),
    ] {
        write_markdown_set_apart(out, heading, rows)?;
    }
    write_markdown_screening(out, report, words.screening)?;
    write_markdown_kinds(out, words.diversions, &tally.diversions, &report.diversions)?;
    write_markdown_kinds(
        out,
        words.diagnostics,
        &tally.diagnostics,
        &report.diagnostics,
    )?;
    write_markdown_kinds(out, words.restarts, &tally.restarts, &report.restarts)?;
    write_markdown_timeline(out, report, words)?;
    if !report.thresholds.is_empty() {
        writeln!(out, "## {}", words.thresholds)?;
        writeln!(out)?;
        writeln!(out, "| condition | matching | met |")?;
        writeln!(out, "|---|---:|---|")?;
        for result in &report.thresholds {
            writeln!(
                out,
                "| {} | {} | {} |",
                md(&result.threshold.text),
                result.count,
                if result.met { "**yes**" } else { "no" }
            )?;
        }
        writeln!(out)?;
    }
    writeln!(out, "## {}", words.footer)?;
    writeln!(out)?;
    writeln!(out, "| bucket | lines |")?;
    writeln!(out, "|---|---:|")?;
    for (label, count) in line_buckets(tally) {
        writeln!(out, "| {label} | {count} |")?;
    }
    Ok(())
}

/// postscreen's verdicts: every verdict with its count, 0 included, so that scripts find the
/// same keys in every summary.
fn screening_json(report: &Report) -> Value {
    let screenings = &report.tally.screenings;
    json!({
        "verdicts": Verdict::ALL
            .iter()
            .map(|v| (v.label().to_string(), json!(screenings.count(*v))))
            .collect::<serde_json::Map<_, _>>(),
        "failed": screenings.failures(),
        "top_failing_clients": report.failing_clients.iter().map(|(client, count)| json!({
            "name": visible(client),
            "count": count,
        })).collect::<Vec<_>>(),
        "top_failing_clients_approximate": screenings.failing_clients().approximate(),
        "top_lists": report.screening_lists.iter().map(|(list, count)| json!({
            "name": visible(list),
            "count": count,
        })).collect::<Vec<_>>(),
    })
}

/// Lines summed up by tier and kind: lines per tier, every tier with 0 included, and the most
/// frequent kinds of each.
fn kinds_json<T: Tier>(kinds: &Kinds<T>, section: &KindSection<T>) -> Value {
    json!({
        "lines": T::ALL
            .iter()
            .map(|t| (t.label().to_string(), json!(kinds.count(*t))))
            .collect::<serde_json::Map<_, _>>(),
        "approximate": T::ALL.iter().any(|t| kinds.shapes(*t).approximate()),
        "top": section.top.iter().map(|row| json!({
            T::NAME: row.tier.label(),
            "program": visible(&row.program),
            "kind": visible(&row.shape),
            "count": row.count,
            "advice": row.advice,
            "example": row.example.as_ref().map(|e| json!({
                "file": visible(&e.file),
                "line": e.line,
                "text": visible(&e.text),
            })),
        })).collect::<Vec<_>>(),
    })
}

/// The MTA's starts, reloads and stops: their kinds, and their lines per hour for a timeline.
fn restarts_json(tally: &Tally, section: &KindSection<Restart>) -> Value {
    let mut restarts = kinds_json(&tally.restarts, section);
    restarts["hours"] = tally
        .restart_hours
        .iter()
        .map(|(hour, lines)| {
            json!({
                "hour": hour.format("%Y-%m-%dT%H:00").to_string(),
                "lines": lines,
            })
        })
        .collect();
    restarts
}

/// The failures per hour (per day past two days) as a table: a timeline to paste into an
/// incident review, with the MTA's starts, reloads and stops in their hour.
fn write_markdown_timeline(
    out: &mut dyn Write,
    report: &Report,
    words: &ReportLabels,
) -> io::Result<()> {
    let Some(timeline) = FailureTimeline::of(&report.tally) else {
        return Ok(());
    };
    let (heading, period) = if timeline.by_day {
        (words.per_day, "day")
    } else {
        (words.per_hour, "hour")
    };
    let restarts = timeline.has_restarts();
    writeln!(out, "## {heading}")?;
    writeln!(out)?;
    if restarts {
        writeln!(out, "| {period} | 4xx | 5xx | MTA starts, reloads, stops |")?;
        writeln!(out, "|---|---:|---:|---:|")?;
    } else {
        writeln!(out, "| {period} | 4xx | 5xx |")?;
        writeln!(out, "|---|---:|---:|")?;
    }
    for row in &timeline.rows {
        write!(
            out,
            "| {} | {} | {} |",
            timeline.label(row),
            row.transient,
            row.permanent
        )?;
        if restarts {
            write!(out, " {} |", row.restarts)?;
        }
        writeln!(out)?;
    }
    writeln!(out)
}

/// A Markdown table of lines summed up by tier and kind, with what to do about them.
fn write_markdown_kinds<T: Tier>(
    out: &mut dyn Write,
    heading: &str,
    kinds: &Kinds<T>,
    section: &KindSection<T>,
) -> io::Result<()> {
    if kinds.is_empty() {
        return Ok(());
    }
    writeln!(out, "## {heading}")?;
    writeln!(out)?;
    let totals: Vec<String> = T::ALL
        .iter()
        .filter(|t| kinds.count(**t) > 0)
        .map(|t| format!("{} {}", t.label(), kinds.count(*t)))
        .collect();
    writeln!(out, "Lines: {}.", totals.join(", "))?;
    writeln!(out)?;
    // A section whose kinds have no advice of their own gets no empty column for it.
    let advised = section.has_kind_advice();
    let (advice_heading, advice_rule) = if advised {
        (" what to do |", "---|")
    } else {
        ("", "")
    };
    writeln!(
        out,
        "| {} | lines | program | kind | first line |{advice_heading}",
        T::NAME
    )?;
    writeln!(out, "|---|---:|---|---|---|{advice_rule}")?;
    for row in &section.top {
        let advice = match (advised, row.advice) {
            (false, _) => String::new(),
            (true, advice) => format!(" {} |", advice.map(md_advice_cell).unwrap_or_default()),
        };
        writeln!(
            out,
            "| {} | {} | {} | {} | {} |{advice}",
            row.tier.label(),
            row.count,
            md(&row.program),
            md(&row.shape),
            row.example
                .as_ref()
                .map_or(String::new(), |e| cell_code_span(&format!(
                    "{}:{}",
                    e.file, e.line
                ))),
        )?;
    }
    writeln!(out)?;
    for &tier in T::ALL {
        if section.wants_advice(kinds, tier) {
            writeln!(out, "- {}", md_advice(tier.advice()))?;
        }
    }
    writeln!(out)
}

/// The Markdown table of postscreen's verdicts, with what each means.
fn write_markdown_screening(out: &mut dyn Write, report: &Report, heading: &str) -> io::Result<()> {
    let screenings = &report.tally.screenings;
    if screenings.is_empty() {
        return Ok(());
    }
    writeln!(out, "## {heading}")?;
    writeln!(out)?;
    writeln!(out, "| verdict | lines | what it means |")?;
    writeln!(out, "|---|---:|---|")?;
    for verdict in Verdict::ALL
        .into_iter()
        .filter(|v| screenings.is_listed(*v))
    {
        writeln!(
            out,
            "| {} | {} | {} |",
            verdict.label(),
            screenings.count(verdict),
            verdict.meaning()
        )?;
    }
    writeln!(out)?;
    for (lead, entries) in screening_tops(report) {
        if !entries.is_empty() {
            writeln!(out, "{lead}: {}", md_entries(entries))?;
            writeln!(out)?;
        }
    }
    Ok(())
}

/// A table of codes counted apart from the outcomes: per-host refusals, reject warnings.
fn write_markdown_set_apart(
    out: &mut dyn Write,
    heading: &str,
    rows: &[CodeRow],
) -> io::Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    writeln!(out, "## {heading}")?;
    writeln!(out)?;
    writeln!(
        out,
        "| reply | enhanced | count | name | reason | top hosts |"
    )?;
    writeln!(out, "|---|---|---:|---|---|---|")?;
    for row in rows {
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            row.key.reply.map_or("-".into(), |c| c.to_string()),
            row.key.enhanced.map_or("-".into(), |c| c.to_string()),
            row.count,
            md_advice_cell(&row.advice.name),
            row.reason,
            md_entries(&row.top)
        )?;
    }
    writeln!(out)
}

/// A label with its first letter in upper case, for Markdown's bold lead-ins.
fn capitalized(label: &str) -> String {
    let mut chars = label.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advice_keeps_its_code_spans_and_escapes_the_prose_between_them() {
        assert_eq!(
            md_advice_cell("send `MAIL FROM:<>` or `a|b` to <postmaster> | [x](y)"),
            r"send `MAIL FROM:<>` or `a\|b` to &lt;postmaster&gt; \| [x]\(y)"
        );
        // Outside a table a pipe in a code span is shown as it is.
        assert_eq!(md_advice("use `a|b`"), "use `a|b`");
        // An unpaired backtick opens no span.
        assert_eq!(md_advice("it's `odd <b>"), r"it's \`odd &lt;b&gt;");
    }

    #[test]
    fn a_code_span_of_log_text_shows_it_as_written_or_is_not_a_span() {
        assert_eq!(code_span("mail`x|y.log"), "`mail'x|y.log`");
        assert_eq!(cell_code_span("mail`x|y.log"), r"`mail'x\|y.log`");
        // Markup is escaped outside a span, as a span would show the entities themselves.
        assert_eq!(code_span("a<b>.log"), "a&lt;b&gt;.log");
        assert_eq!(cell_code_span("a|<b>"), r"a\|&lt;b&gt;");
        assert_eq!(code_span("x\x1b[31m"), "`x\\x1b[31m`");
    }
}
