//! The report as one self-contained HTML page: no script, no font, no request to anywhere, so
//! that it can be attached to an incident review and opened offline. The timeline is drawn as
//! inline SVG. Every piece of text, from the log or not, goes through [`html`] on its way out.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write};

use chrono::{Datelike, Duration, NaiveDateTime, Timelike};

use super::explain::Lang;
use super::report_labels::{
    ReportLabels, counts_phrase, line_buckets, outcome_lines, report_labels, screening_tops,
};
use super::safe::html;
use super::text::{duration_text, key_codes};
use crate::aggregate::ClassCounts;
use crate::codes::{Class, codes_text};
use crate::kinds::{Kinds, Tier};
use crate::outcome::OutcomeSummary;
use crate::parse::postscreen::Verdict;
use crate::report::{CodeRow, KindSection, Report};

/// The classes in the order they are stacked and listed, with their colours.
const CLASSES: [(Class, &str); 4] = [
    (Class::Success, "#2e7d32"),
    (Class::Intermediate, "#757575"),
    (Class::Transient, "#e0a000"),
    (Class::Permanent, "#c62828"),
];

/// Hours are drawn one bar each up to a week; a longer log is drawn by day.
const MAX_HOUR_BARS: i64 = 24 * 7;

const STYLE: &str = "\
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:2rem auto;\
max-width:72rem;padding:0 1rem;color:#1b1b1b;line-height:1.45}\
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #ddd}\
h3{font-size:1.05rem;margin-bottom:.3rem}\
table{border-collapse:collapse;margin:.5rem 0;max-width:100%}\
th,td{padding:.2rem .6rem;border-bottom:1px solid #eee;text-align:left;vertical-align:top;white-space:nowrap}\
td.w{white-space:normal;overflow-wrap:anywhere;min-width:10rem}\
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}\
code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85em;word-break:break-all}\
.bar{display:inline-block;height:.8rem;vertical-align:middle}\
.muted{color:#666}.met{color:#c62828;font-weight:bold}\
.code{border-left:4px solid #c62828;padding-left:1rem;margin:1rem 0}\
.code.transient{border-left-color:#e0a000}\
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{font-weight:600}dd{margin:0}\
svg text{font-size:11px;fill:#444}\
.t2xx{color:#2e7d32}.t3xx{color:#00838f}.t4xx{color:#a86f00}.t5xx{color:#c62828}\
svg .incident{fill:#c62828;fill-opacity:.12}\
";

/// Writes the report as one HTML page.
pub fn write_html(out: &mut dyn Write, report: &Report, lang: Lang) -> io::Result<()> {
    let words = report_labels(lang);
    let tally = &report.tally;
    let events = tally.events();
    let mut page = String::with_capacity(64 * 1024);
    let _ = write!(
        page,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{}</h1>\n",
        lang.code(),
        html(words.title),
        html(words.title)
    );
    page.push_str("<ul>\n");
    for input in &report.inputs {
        let _ = writeln!(
            page,
            "<li><code>{}</code> <span class=\"muted\">({}, {})</span>{}</li>",
            html(&input.name),
            html(input.format),
            html(input.compression),
            if input.complete {
                ""
            } else {
                " <strong class=\"met\">not read to the end</strong>"
            }
        );
    }
    if let Some((first, last)) = tally.span() {
        let _ = writeln!(
            page,
            "<li>{} .. {}</li>",
            html(&first.to_string()),
            html(&last.to_string())
        );
    }
    let _ = writeln!(
        page,
        "<li>{} {}</li>\n</ul>",
        html(words.read),
        html(&counts_phrase(tally, words))
    );

    let _ = writeln!(page, "<h2>{}</h2>", html(words.by_class));
    page.push_str("<table>\n<tr><th>class</th><th>permanence</th><th class=\"n\">count</th><th class=\"n\">share</th><th></th></tr>\n");
    for (class, colour) in CLASSES {
        let count = tally.by_class.get(class);
        let _ = writeln!(
            page,
            "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
             <td><span class=\"bar\" style=\"width:{:.1}rem;background:{colour}\"></span></td></tr>",
            class.label(),
            class.permanence().label(),
            thousands(count),
            percent(count, events),
            share(count, events) * 20.0
        );
    }
    page.push_str("</table>\n");

    write_timeline(
        &mut page,
        report,
        words.outcomes_per_hour,
        words.outcomes_per_day,
    );

    if events > 0 {
        write_incidents(&mut page, report, words);
    }
    if report.outcomes.recipients > 0 {
        write_outcomes(&mut page, &report.outcomes, words);
    }

    if !report.rows.is_empty() {
        let _ = writeln!(page, "<h2>{}</h2>", html(words.codes));
        write_code_table(&mut page, &report.rows, events);
    }
    let failing = report.failure_rows();
    if !failing.is_empty() {
        let _ = writeln!(page, "<h2>{}</h2>", html(words.advice));
        for row in failing {
            write_advice(&mut page, row, words);
        }
    }
    for (heading, rows) in [
        (words.refusals, &report.refusals),
        (words.reject_warnings, &report.reject_warnings),
    ] {
        if !rows.is_empty() {
            let _ = writeln!(page, "<h2>{}</h2>", html(heading));
            write_code_table(&mut page, rows, 0);
        }
    }
    write_screening(&mut page, report, words.screening);
    let tally = &report.tally;
    write_kinds(
        &mut page,
        words.diversions,
        &tally.diversions,
        &report.diversions,
    );
    write_kinds(
        &mut page,
        words.diagnostics,
        &tally.diagnostics,
        &report.diagnostics,
    );
    write_kinds(&mut page, words.restarts, &tally.restarts, &report.restarts);
    if !report.thresholds.is_empty() {
        let _ = writeln!(page, "<h2>{}</h2>", html(words.thresholds));
        page.push_str(
            "<table>\n<tr><th>condition</th><th class=\"n\">matching</th><th>met</th></tr>\n",
        );
        for result in &report.thresholds {
            let _ = writeln!(
                page,
                "<tr><td><code>{}</code></td><td class=\"n\">{}</td><td>{}</td></tr>",
                html(&result.threshold.text),
                thousands(result.count),
                if result.met {
                    "<span class=\"met\">yes</span>"
                } else {
                    "no"
                }
            );
        }
        page.push_str("</table>\n");
    }
    let _ = writeln!(page, "<h2>{}</h2>", html(words.footer));
    page.push_str("<table>\n");
    for (label, count) in line_buckets(tally) {
        let _ = writeln!(
            page,
            "<tr><td>{label}</td><td class=\"n\">{}</td></tr>",
            thousands(count)
        );
    }
    page.push_str("</table>\n</body>\n</html>\n");
    out.write_all(page.as_bytes())
}

fn write_incidents(page: &mut String, report: &Report, words: &ReportLabels) {
    let _ = writeln!(page, "<h2 id=\"incidents\">{}</h2>", html(words.incidents));
    if report.incidents.is_empty() {
        let _ = writeln!(page, "<p class=\"muted\">{}</p>", html(words.no_incidents));
        return;
    }
    page.push_str(
        "<table>\n<tr><th>start</th><th>end</th><th>destination</th><th>codes</th>\
         <th>reason</th><th class=\"n\">failures</th><th class=\"n\">attempts</th>\
         <th class=\"n\">usual</th><th>example</th><th>fix</th></tr>\n",
    );
    for row in &report.incidents {
        let incident = &row.incident;
        let example = row
            .example
            .as_ref()
            .map(|(file, line)| format!("<code>{}:{line}</code>", html(file)))
            .unwrap_or_default();
        let _ = writeln!(
            page,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"t{}\">{}</td><td>{}</td>\
             <td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{:.1}%</td>\
             <td>{}</td><td class=\"w\">{}</td></tr>",
            incident.start.format("%Y-%m-%d %H:%M"),
            incident.end.format("%Y-%m-%d %H:%M"),
            html(&incident.destination.label()),
            incident.code.class.label(),
            html(&key_codes(&incident.code)),
            html(row.reason),
            thousands(incident.failures),
            thousands(incident.attempts),
            incident.usual_share * 100.0,
            example,
            html(&row.fix)
        );
    }
    page.push_str("</table>\n");
}

fn write_outcomes(page: &mut String, outcomes: &OutcomeSummary, words: &ReportLabels) {
    let all = outcomes.recipients;
    let _ = writeln!(
        page,
        "<h2 id=\"outcomes\">{}</h2>\n<p>{} {} {}, {} {}</p>\n<table>",
        html(words.message_outcomes),
        html(words.followed),
        thousands(all),
        html(words.counted(all, words.recipients)),
        thousands(outcomes.messages),
        html(words.counted(outcomes.messages, words.messages_word))
    );
    for (label, count, _, detail) in outcome_lines(outcomes, words) {
        let _ = writeln!(
            page,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            html(label),
            thousands(count),
            percent(count, all),
            html(&detail)
        );
    }
    let delay = &outcomes.delay;
    if let (Some(median), Some(p90)) = (delay.quantile(0.5), delay.quantile(0.9)) {
        let _ = writeln!(
            page,
            "<tr><td>{}</td><td colspan=\"3\">median {}, p90 {}, max {}</td></tr>",
            html(words.delay_added),
            duration_text(median),
            duration_text(p90),
            duration_text(delay.max())
        );
    }
    page.push_str("</table>\n");
    if outcomes.lost_examples.is_empty() {
        return;
    }
    let _ = writeln!(
        page,
        "<h3>{}</h3>\n<table>\n<tr><th>id</th><th>recipient</th><th>ending</th><th>codes</th>\
         <th class=\"n\">attempts</th><th>first</th><th>last</th><th>{}</th><th>line</th></tr>",
        html(words.lost_examples),
        html(words.notification)
    );
    for lost in &outcomes.lost_examples {
        let time = |t: Option<crate::time::Timestamp>| t.map(|t| t.to_string()).unwrap_or_default();
        let codes = if lost.reply_code.is_none() && lost.enhanced_code.is_none() {
            String::new()
        } else {
            codes_text(lost.reply_code, lost.enhanced_code)
        };
        let _ = writeln!(
            page,
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td>\
             <td>{}</td><td>{}</td><td><code>{}</code></td><td><code>{}:{}</code></td></tr>",
            html(&lost.id),
            html(&lost.recipient),
            lost.ending.label(),
            html(&codes),
            lost.attempts,
            html(&time(lost.first_attempt)),
            html(&time(lost.last_attempt)),
            html(lost.notification.as_deref().unwrap_or("")),
            html(&lost.file),
            lost.line
        );
    }
    page.push_str("</table>\n");
}

fn write_code_table(page: &mut String, rows: &[CodeRow], events: u64) {
    page.push_str(
        "<table>\n<tr><th>reply</th><th>enhanced</th><th>direction</th><th class=\"n\">count</th>\
         <th class=\"n\">share</th><th>name</th><th>reason</th><th>top destinations</th></tr>\n",
    );
    for row in rows {
        let top = row
            .top
            .iter()
            .map(|(name, count)| format!("{} {}", html(name), thousands(*count)))
            .collect::<Vec<_>>()
            .join(", ");
        let _ = writeln!(
            page,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
             <td class=\"w\">{}</td><td>{}</td><td class=\"w\">{}{}</td></tr>",
            row.key.reply.map_or("-".into(), |c| c.to_string()),
            row.key.enhanced.map_or("-".into(), |c| c.to_string()),
            row.key.direction.label(),
            thousands(row.count),
            if events > 0 {
                percent(row.count, events)
            } else {
                String::new()
            },
            html(&row.advice.name),
            html(row.reason),
            if row.top_approximate { "~ " } else { "" },
            top
        );
    }
    page.push_str("</table>\n");
}

fn write_advice(page: &mut String, row: &CodeRow, words: &super::report_labels::ReportLabels) {
    let kind = if row.class() == Class::Transient {
        " transient"
    } else {
        ""
    };
    let _ = writeln!(
        page,
        "<section class=\"code{kind}\">\n<h3>{} <span class=\"muted\">({}, {})</span>: {}</h3>\n<dl>",
        codes_text(row.key.reply, row.key.enhanced),
        row.key.direction.label(),
        thousands(row.count),
        html(&row.advice.name)
    );
    for (label, text) in [
        (words.reason, row.reason),
        (words.meaning, row.advice.what.as_str()),
        (words.seen, row.advice.when.as_str()),
        (words.fix, row.advice.fix.as_str()),
    ] {
        let _ = writeln!(page, "<dt>{}</dt><dd>{}</dd>", html(label), html(text));
    }
    if let Some(link) = row.advice.link {
        let _ = writeln!(
            page,
            "<dt>{}</dt><dd><a href=\"{}\" rel=\"noreferrer\">{}</a></dd>",
            html(words.link),
            html(link),
            html(link)
        );
    }
    if let (Some(first), Some(last)) = (row.first_seen, row.last_seen) {
        let _ = writeln!(
            page,
            "<dt>{}</dt><dd>{} .. {}</dd>",
            html(words.in_this_log),
            html(&first.to_string()),
            html(&last.to_string())
        );
    }
    for example in &row.examples {
        let _ = writeln!(
            page,
            "<dt>{}</dt><dd><code>{}:{}</code> <code>{}</code></dd>",
            html(words.example),
            html(&example.file),
            example.line,
            html(&example.text)
        );
    }
    page.push_str("</dl>\n</section>\n");
}

/// The outcomes per hour (or per day for a log longer than a week) as stacked bars, with the
/// empty buckets between the first and the last drawn as gaps.
fn write_timeline(page: &mut String, report: &Report, per_hour: &str, per_day: &str) {
    let hours = &report.tally.hours;
    let (Some(first), Some(last)) = (hours.keys().next(), hours.keys().next_back()) else {
        return;
    };
    let by_day = (*last - *first).num_hours() >= MAX_HOUR_BARS;
    let (heading, step, buckets): (&str, Duration, BTreeMap<NaiveDateTime, ClassCounts>) = if by_day
    {
        let days = report
            .tally
            .days()
            .into_iter()
            .filter_map(|(day, counts)| Some((day.and_hms_opt(0, 0, 0)?, counts)))
            .collect();
        (per_day, Duration::days(1), days)
    } else {
        (per_hour, Duration::hours(1), hours.clone())
    };
    let (Some(start), Some(end)) = (
        buckets.keys().next().copied(),
        buckets.keys().next_back().copied(),
    ) else {
        return;
    };
    let mut slots = Vec::new();
    let mut at = start;
    while at <= end {
        slots.push((at, buckets.get(&at).copied().unwrap_or_default()));
        at += step;
    }
    let peak = slots
        .iter()
        .map(|(_, counts)| counts.total())
        .max()
        .unwrap_or(1)
        .max(1);
    let (width, height, left, bottom) = (960.0_f64, 220.0_f64, 48.0_f64, 28.0_f64);
    let plot_width = width - left - 8.0;
    let plot_height = height - bottom - 8.0;
    let bar = plot_width / slots.len() as f64;
    let _ = writeln!(page, "<h2>{}</h2>", html(heading));
    let _ = writeln!(
        page,
        "<svg id=\"timeline\" role=\"img\" aria-label=\"{}\" viewBox=\"0 0 {width} {height}\" \
         width=\"100%\" xmlns=\"http://www.w3.org/2000/svg\">",
        html(heading)
    );
    let _ = writeln!(
        page,
        "<line x1=\"{left}\" y1=\"8\" x2=\"{left}\" y2=\"{}\" stroke=\"#999\"/>\
         <text x=\"{}\" y=\"14\" text-anchor=\"end\">{}</text>\
         <text x=\"{}\" y=\"{}\" text-anchor=\"end\">0</text>",
        8.0 + plot_height,
        left - 4.0,
        thousands(peak),
        left - 4.0,
        8.0 + plot_height
    );
    // Incident windows as shaded bands behind the bars.
    let span_seconds = ((end + step) - start).num_seconds().max(1) as f64;
    for row in &report.incidents {
        let from = (row.incident.start - start).num_seconds() as f64 / span_seconds;
        let to = (row.incident.end - start).num_seconds() as f64 / span_seconds;
        let (from, to) = (from.clamp(0.0, 1.0), to.clamp(0.0, 1.0));
        if to > from {
            let _ = write!(
                page,
                "<rect class=\"incident\" x=\"{:.2}\" y=\"8\" width=\"{:.2}\" height=\"{plot_height}\"><title>{}</title></rect>",
                left + from * plot_width,
                ((to - from) * plot_width).max(1.0),
                html(&format!(
                    "{} {}: {} failures",
                    row.incident.destination.label(),
                    key_codes(&row.incident.code),
                    row.incident.failures
                ))
            );
        }
    }
    // The MTA's starts, reloads and stops as thin lines at the start of their hour.
    for (hour, lines) in &report.tally.restart_hours {
        let at = (*hour - start).num_seconds() as f64 / span_seconds;
        if (0.0..1.0).contains(&at) {
            let _ = write!(
                page,
                "<line class=\"restart\" x1=\"{x:.2}\" y1=\"8\" x2=\"{x:.2}\" y2=\"{}\" stroke=\"#7b3fa0\" stroke-dasharray=\"3 2\"><title>{}</title></line>",
                8.0 + plot_height,
                html(&format!(
                    "{}: the MTA started, reloaded or stopped ({lines})",
                    hour.format("%Y-%m-%d %H:00")
                )),
                x = left + at * plot_width,
            );
        }
    }
    for (index, (at, counts)) in slots.iter().enumerate() {
        let x = left + index as f64 * bar;
        let mut y = 8.0 + plot_height;
        let label = if by_day {
            at.format("%Y-%m-%d").to_string()
        } else {
            at.format("%Y-%m-%d %H:00").to_string()
        };
        let mut tip = label.clone();
        for (class, colour) in CLASSES {
            let count = counts.get(class);
            if count == 0 {
                continue;
            }
            let _ = write!(tip, ", {} {}", class.label(), count);
            let h = count as f64 / peak as f64 * plot_height;
            y -= h;
            let _ = write!(
                page,
                "<rect class=\"c{}\" x=\"{x:.2}\" y=\"{y:.2}\" width=\"{:.2}\" height=\"{h:.2}\" fill=\"{colour}\"/>",
                class.label(),
                (bar - 1.0).max(0.5)
            );
        }
        let _ = writeln!(
            page,
            "<rect x=\"{x:.2}\" y=\"8\" width=\"{bar:.2}\" height=\"{plot_height}\" fill=\"transparent\"><title>{}</title></rect>",
            html(&tip)
        );
        // Labels at the first and last bucket, and at each midnight (or first of the month)
        // far enough from both ends not to overlap their labels.
        let midnight = if by_day {
            at.day() == 1
        } else {
            at.hour() == 0
        };
        let centre = x + bar / 2.0;
        let clear = centre - left > 170.0 && left + plot_width - centre > 170.0;
        let anchor = if index == 0 {
            Some(("start", x))
        } else if index + 1 == slots.len() {
            Some(("end", x + bar))
        } else if midnight && clear {
            Some(("middle", centre))
        } else {
            None
        };
        if let Some((anchor, at_x)) = anchor {
            let _ = writeln!(
                page,
                "<text x=\"{at_x:.2}\" y=\"{}\" text-anchor=\"{anchor}\">{}</text>",
                height - 8.0,
                html(&label)
            );
        }
    }
    page.push_str("</svg>\n<p class=\"muted\">");
    for (class, colour) in CLASSES {
        let _ = write!(
            page,
            "<span class=\"bar\" style=\"width:.8rem;background:{colour}\"></span> {} &nbsp; ",
            class.label()
        );
    }
    page.push_str("</p>\n");
}

fn share(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

fn percent(part: u64, whole: u64) -> String {
    crate::render::text::percent(part, whole)
}

fn thousands(n: u64) -> String {
    crate::render::text::thousands(n)
}

/// Lines summed up by tier and kind, with what to do about them.
fn write_kinds<T: Tier>(
    page: &mut String,
    heading: &str,
    kinds: &Kinds<T>,
    section: &KindSection<T>,
) {
    if kinds.is_empty() {
        return;
    }
    let _ = writeln!(page, "<h2>{}</h2>", html(heading));
    let _ = writeln!(
        page,
        "<table>\n<tr><th>{}</th><th class=\"n\">lines</th><th>what it means</th></tr>",
        T::NAME
    );
    for &tier in T::ALL {
        let lines = kinds.count(tier);
        if lines > 0 {
            let _ = writeln!(
                page,
                "<tr><td>{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
                tier.label(),
                thousands(lines),
                html(tier.meaning())
            );
        }
    }
    page.push_str("</table>\n");
    // A section whose kinds have no advice of their own gets no empty column for it.
    let advised = section.has_kind_advice();
    let _ = writeln!(
        page,
        "<table>\n<tr><th>{}</th><th class=\"n\">lines</th><th>program</th>\
         <th>kind</th><th>first line</th>{}</tr>",
        T::NAME,
        if advised { "<th>what to do</th>" } else { "" }
    );
    for row in &section.top {
        let advice = match (advised, row.advice) {
            (false, _) => String::new(),
            (true, advice) => format!("<td>{}</td>", advice.map(html).unwrap_or_default()),
        };
        let _ = writeln!(
            page,
            "<tr><td>{}</td><td class=\"n\">{}</td><td>{}</td><td><code>{}</code></td>\
             <td>{}</td>{advice}</tr>",
            row.tier.label(),
            thousands(row.count),
            html(&row.program),
            html(&row.shape),
            row.example
                .as_ref()
                .map_or(String::new(), |e| html(&format!("{}:{}", e.file, e.line))
                    .into_owned()),
        );
    }
    page.push_str("</table>\n");
    for &tier in T::ALL {
        if section.wants_advice(kinds, tier) {
            let _ = writeln!(page, "<p>{}</p>", html(tier.advice()));
        }
    }
}

/// postscreen's verdicts, with what each means, and the clients that failed most.
fn write_screening(page: &mut String, report: &Report, heading: &str) {
    let screenings = &report.tally.screenings;
    if screenings.is_empty() {
        return;
    }
    let _ = writeln!(page, "<h2>{}</h2>", html(heading));
    page.push_str(
        "<table>\n<tr><th>verdict</th><th class=\"n\">lines</th><th>what it means</th></tr>\n",
    );
    for verdict in Verdict::ALL
        .into_iter()
        .filter(|v| screenings.is_listed(*v))
    {
        let _ = writeln!(
            page,
            "<tr><td>{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            verdict.label(),
            thousands(screenings.count(verdict)),
            html(verdict.meaning())
        );
    }
    page.push_str("</table>\n");
    for (lead, entries) in screening_tops(report) {
        if !entries.is_empty() {
            let top = entries
                .iter()
                .map(|(name, count)| format!("{} {count}", html(name)))
                .collect::<Vec<_>>()
                .join(", ");
            let _ = writeln!(page, "<p>{lead}: {top}</p>");
        }
    }
}
