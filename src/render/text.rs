//! The text report for a terminal or a pasted review: header, split by class and by transient
//! versus permanent, codes table, advice for every code that is not a success, per-host
//! refusals, a timeline of failures, `--fail-on` results, and a footer that accounts for every
//! line. Laid out to read at 80 columns.
//!
//! Colour is optional and only ever wraps our own words; text from the log is made visible
//! before it is written.

use std::io::{self, Write};

use crate::aggregate::CodeKey;
use crate::codes::{Class, Direction, Permanence, codes_text};
use crate::kinds::{Kinds, Tier};
use crate::outcome::LostRecipient;
use crate::parse::postscreen::Verdict;
use crate::render::explain::Lang;
use crate::render::report_labels::{
    ReportLabels, counts_phrase, line_buckets, outcome_lines, report_labels,
};
use crate::render::safe::visible;
use crate::report::{CodeRow, FailureTimeline, KindSection, Report};

/// How wide paragraphs are wrapped.
const WIDTH: usize = 80;
/// Width of the bars of the class split.
const BAR: usize = 24;

/// Options for the text report.
#[derive(Clone, Copy, Debug)]
pub struct TextOptions {
    /// Whether to colour.
    pub color: bool,
    /// Whether to list the unmatched lines.
    pub unmatched: bool,
    /// The language of headings and labels.
    pub lang: Lang,
}

struct Paint {
    on: bool,
    words: &'static ReportLabels,
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

    fn dim(&self, text: &str) -> String {
        self.wrap("2", text)
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

const CLASSES: [Class; 4] = [
    Class::Success,
    Class::Intermediate,
    Class::Transient,
    Class::Permanent,
];

/// Writes the text report.
pub fn write_report(out: &mut dyn Write, report: &Report, options: TextOptions) -> io::Result<()> {
    let paint = Paint {
        on: options.color,
        words: report_labels(options.lang),
    };
    write_header(out, &paint, report)?;
    write_split(out, &paint, report)?;
    write_incidents(out, &paint, report)?;
    write_outcomes(out, &paint, report)?;
    write_table(out, &paint, report)?;
    let problems = report.failure_rows();
    if !problems.is_empty() {
        writeln!(out)?;
        writeln!(out, "{}", paint.heading(paint.words.advice))?;
        for row in problems {
            write_advice(out, &paint, row, report.tally.events())?;
        }
    }
    write_refusals(out, &paint, report)?;
    write_reject_warnings(out, &paint, report)?;
    write_screening(out, &paint, report)?;
    write_diversions(out, &paint, report)?;
    write_diagnostics(out, &paint, report)?;
    write_restarts(out, &paint, report)?;
    write_timeline(out, &paint, report)?;
    write_thresholds(out, &paint, report)?;
    if options.unmatched {
        write_unmatched(out, &paint, report)?;
    }
    write_footer(out, &paint, report)
}

fn write_header(out: &mut dyn Write, paint: &Paint, report: &Report) -> io::Result<()> {
    let tally = &report.tally;
    let words = paint.words;
    writeln!(out, "{}", paint.heading(words.title))?;
    for input in &report.inputs {
        let mut notes = vec![];
        if !input.format.is_empty() {
            notes.push(input.format.to_string());
        }
        if !matches!(input.compression, "none" | "") {
            notes.push(input.compression.to_string());
        }
        if input.format.is_empty() {
            notes.push("COULD NOT BE OPENED".to_string());
        } else if !input.complete {
            notes.push("NOT READ TO THE END".to_string());
        }
        writeln!(
            out,
            "  {} {} ({})",
            pad(words.input, 8),
            visible(&input.name),
            notes.join(", ")
        )?;
    }
    let span = match tally.span() {
        Some((first, last)) => format!("{first} .. {last}"),
        _ => "no timestamps".to_string(),
    };
    writeln!(out, "  {} {span}", pad(words.span, 8))?;
    let formats: Vec<&str> = tally.formats.iter().map(|f| f.label()).collect();
    writeln!(
        out,
        "  {} {}; MTA {}",
        pad(words.read, 8),
        counts_phrase(tally, words),
        if formats.is_empty() {
            "none".to_string()
        } else {
            formats.join(", ")
        }
    )?;
    writeln!(out)
}

/// `~` before a number that is an estimate or a lower bound.
fn approx(approximate: bool) -> &'static str {
    if approximate { "~" } else { "" }
}

fn write_split(out: &mut dyn Write, paint: &Paint, report: &Report) -> io::Result<()> {
    let tally = &report.tally;
    let events = tally.events();
    let words = paint.words;
    writeln!(out, "{}", paint.heading(words.by_class))?;
    if events == 0 {
        writeln!(out, "  {}", words.nothing_found)?;
        return Ok(());
    }
    for class in CLASSES {
        let count = tally.by_class.get(class);
        if count == 0 && class == Class::Intermediate {
            continue;
        }
        let label = format!("{:<4} {:<17}", class.label(), class.permanence().label());
        writeln!(
            out,
            "  {} {:>9} {:>6}  {}",
            paint.class(class, &label),
            thousands(count),
            percent(count, events),
            paint.class(class, &bar(count, events))
        )?;
    }
    writeln!(out)?;
    writeln!(out, "{}", paint.heading(words.transient_vs_permanent))?;
    let transient = tally.permanence(Permanence::Transient);
    let permanent = tally.permanence(Permanence::Permanent);
    let failures = transient + permanent;
    for (label, count, class) in [
        (words.transient, transient, Class::Transient),
        (words.permanent, permanent, Class::Permanent),
    ] {
        writeln!(
            out,
            "  {} {:>9} {:>6}  {}",
            pad(label, 22),
            thousands(count),
            percent(count, failures),
            paint.class(class, &bar(count, failures))
        )?;
    }
    writeln!(out)?;
    writeln!(out, "{}", paint.heading(words.by_action))?;
    for (action, count) in &tally.by_action {
        writeln!(
            out,
            "  {:<22} {:>9} {:>6}",
            action.label(),
            thousands(*count),
            percent(*count, events)
        )?;
    }
    writeln!(out)
}

fn bar(part: u64, whole: u64) -> String {
    if whole == 0 {
        return String::new();
    }
    let filled = ((part as f64 / whole as f64) * BAR as f64).round() as usize;
    let filled = if part > 0 { filled.max(1) } else { 0 };
    "█".repeat(filled)
}

/// The codes of a row; a row without any code shows its class, which is then all there is to
/// tell it from the other codeless rows.
fn codes_label(row: &CodeRow) -> String {
    if row.key.reply.is_none() && row.key.enhanced.is_none() {
        return format!("({})", row.key.class.label());
    }
    let reply = row.key.reply.map_or("-".to_string(), |c| c.to_string());
    let enhanced = row.key.enhanced.map_or(String::new(), |c| c.to_string());
    format!("{reply} {enhanced}").trim_end().to_string()
}

fn direction_short(direction: Direction) -> &'static str {
    match direction {
        Direction::Outbound => "out",
        Direction::Inbound => "in",
    }
}

fn write_table(out: &mut dyn Write, paint: &Paint, report: &Report) -> io::Result<()> {
    if report.rows.is_empty() {
        return Ok(());
    }
    writeln!(out, "{}", paint.heading(paint.words.codes))?;
    writeln!(
        out,
        "  {}",
        paint.dim(&format!(
            "{:<13} {:<3} {:>9} {:>6}  {:<22} {}",
            "code", "dir", "count", "share", "name", "top destination"
        ))
    )?;
    for row in &report.rows {
        writeln!(
            out,
            "  {} {:<3} {:>9} {:>6}  {:<22} {}",
            paint.class(row.class(), &format!("{:<13}", codes_label(row))),
            direction_short(row.key.direction),
            thousands(row.count),
            percent(row.count, report.tally.events()),
            shorten(short_name(&row.advice.name), 22),
            fit_list(&row.top[..row.top.len().min(1)], row.top_approximate, 19)
        )?;
    }
    writeln!(
        out,
        "  {}",
        paint.dim("dir: out = a remote server answered us; in = our server answered a client")
    )
}

/// `name count`, with `~` before a count that is a lower bound.
fn entry_text((name, count): &(String, u64), approximate: bool) -> String {
    format!(
        "{} {}{}",
        visible(name),
        approx(approximate),
        thousands(*count)
    )
}

/// As many `name count` entries as fit in `width` characters, joined by `, `, with `, …` when
/// some are left out. A first entry too long for the width has its name cut, never its count.
/// `text` followed by spaces up to `width` columns of a terminal: labels in Chinese take two
/// columns a character, which padding by characters would leave the tables ragged for.
fn pad(text: &str, width: usize) -> String {
    let used = unicode_width::UnicodeWidthStr::width(text);
    format!("{text}{}", " ".repeat(width.saturating_sub(used)))
}

fn fit_list(entries: &[(String, u64)], approximate: bool, width: usize) -> String {
    let mut text = String::new();
    for (i, entry) in entries.iter().enumerate() {
        let item = entry_text(entry, approximate);
        let needed = if i == 0 { 0 } else { 2 } + item.chars().count();
        if text.chars().count() + needed > width {
            if i == 0 {
                let count = format!(" {}{}", approx(approximate), thousands(entry.1));
                let room = width.saturating_sub(count.chars().count());
                return format!("{}{count}", shorten(&visible(&entry.0), room));
            }
            if text.chars().count() + 3 <= width {
                text.push_str(", …");
            }
            break;
        }
        if i > 0 {
            text.push_str(", ");
        }
        text.push_str(&item);
    }
    text
}

/// The first name of a joined name (`Mailbox unavailable / Bad destination ...`).
fn short_name(name: &str) -> &str {
    name.split(" / ").next().unwrap_or(name)
}

fn write_advice(out: &mut dyn Write, paint: &Paint, row: &CodeRow, events: u64) -> io::Result<()> {
    writeln!(out)?;
    // An outbound row without a reply code is no server's answer: an expiry, a connection
    // that failed, an address that could not be routed (Postfix still writes a dsn of its own
    // for those). Our server always answers a client, even where the log leaves the code out.
    let answered = row.key.reply.is_some();
    let who = match (row.key.direction, answered) {
        (Direction::Outbound, true) => "remote servers answered us",
        (Direction::Outbound, false) => "mail we were sending",
        (Direction::Inbound, _) => "our server answered clients",
    };
    writeln!(
        out,
        "{} {}",
        paint.class(row.class(), &format!("■ {}", codes_label(row))),
        paint.heading(&row.advice.name)
    )?;
    let messages = if row.messages > 0 {
        format!(
            " in {}{} queued message{}",
            approx(row.messages_approximate),
            thousands(row.messages),
            if row.messages == 1 { "" } else { "s" }
        )
    } else {
        String::new()
    };
    writeln!(
        out,
        "  {} {}, {} outcome{} ({}){}; {}",
        paint.class(row.class(), row.class().label()),
        row.permanence().label(),
        thousands(row.count),
        if row.count == 1 { "" } else { "s" },
        percent(row.count, events),
        messages,
        who
    )?;
    let mut reason = match row.advice.provider {
        Some(provider) => format!("{} ({provider})", row.reason),
        None => row.reason.to_string(),
    };
    // One code can stand for several causes (Gmail's 421 4.7.0 is both throttling and TLS);
    // the advice below is for the first, and the others are named with their counts.
    if row.reasons.len() > 1 {
        let all = row
            .reasons
            .iter()
            .map(|(r, c)| format!("{r} {}", thousands(*c)))
            .collect::<Vec<_>>()
            .join(", ");
        reason = format!("{reason}; all: {all}");
    }
    let words = paint.words;
    paragraph(out, words.reason, &reason)?;
    paragraph(out, words.meaning, &row.advice.what)?;
    paragraph(out, words.seen, &row.advice.when)?;
    paragraph(out, words.fix, &row.advice.fix)?;
    if let Some(link) = row.advice.link {
        paragraph(out, words.link, link)?;
    }
    writeln!(out, "  {}", paint.dim(words.in_this_log))?;
    if let (Some(first), Some(last)) = (row.first_seen, row.last_seen) {
        paragraph(out, words.when, &format!("{first} .. {last}"))?;
    }
    if !row.top.is_empty() {
        let label = match row.key.direction {
            Direction::Outbound => words.domains,
            Direction::Inbound => words.clients,
        };
        let last = row.top.len() - 1;
        let entries: Vec<String> = row
            .top
            .iter()
            .enumerate()
            .map(|(i, entry)| {
                let comma = if i < last { "," } else { "" };
                format!("{}{comma}", entry_text(entry, row.top_approximate))
            })
            .collect();
        paragraph_words(out, label, entries.iter().map(String::as_str))?;
    }
    for example in &row.examples {
        paragraph(
            out,
            words.example,
            &format!(
                "{}:{} {}",
                visible(&example.file),
                example.line,
                shorten(&visible(&example.text), 160)
            ),
        )?;
    }
    Ok(())
}

fn write_incidents(out: &mut dyn Write, paint: &Paint, report: &Report) -> io::Result<()> {
    if report.tally.events() == 0 {
        return Ok(());
    }
    let words = paint.words;
    writeln!(out, "{}", paint.heading(words.incidents))?;
    if report.incidents.is_empty() {
        writeln!(out, "  {}", words.no_incidents)?;
        return writeln!(out);
    }
    for row in &report.incidents {
        let incident = &row.incident;
        writeln!(
            out,
            "  {} .. {}  {}  {}  {}",
            incident.start.format("%Y-%m-%d %H:%M"),
            incident
                .end
                .format(if incident.end.date() == incident.start.date() {
                    "%H:%M"
                } else {
                    "%Y-%m-%d %H:%M"
                }),
            visible(&incident.destination.label()),
            paint.class(incident.code.class, &key_codes(&incident.code)),
            row.reason
        )?;
        writeln!(
            out,
            "      {} / {} {} ({}); {} {:.1}%{}",
            thousands(incident.failures),
            thousands(incident.attempts),
            words.attempts,
            percent(incident.failures, incident.attempts),
            words.usually,
            incident.usual_share * 100.0,
            if row.name.is_empty() {
                String::new()
            } else {
                format!("; {}", row.name)
            }
        )?;
        if let Some((file, line)) = &row.example {
            let place = format!("{}:{line}", visible(file));
            paragraph_words(
                out,
                &format!("    {}", words.example),
                [place.as_str()].into_iter(),
            )?;
        }
        if !row.fix.is_empty() {
            paragraph(out, &format!("    {}", words.fix), &row.fix)?;
        }
    }
    writeln!(out)
}

/// `after 3 attempts` for a lost recipient, or `None` when the log holds no attempt of it (an
/// expiry of a message whose tries were logged before the log starts).
pub fn after_attempts(lost: &LostRecipient) -> Option<String> {
    (lost.attempts > 0).then(|| {
        format!(
            "after {} attempt{}",
            lost.attempts,
            if lost.attempts == 1 { "" } else { "s" }
        )
    })
}

/// The codes of a key, or its class when the line had none.
pub fn key_codes(key: &CodeKey) -> String {
    if key.reply.is_none() && key.enhanced.is_none() {
        key.class.label().to_string()
    } else {
        codes_text(key.reply, key.enhanced)
    }
}

/// A duration for people: `45s`, `14m`, `2h05m`, `3d04h`.
pub fn duration_text(seconds: u64) -> String {
    match seconds {
        0..60 => format!("{seconds}s"),
        60..3600 => format!("{}m{:02}s", seconds / 60, seconds % 60),
        3600..86400 => format!("{}h{:02}m", seconds / 3600, seconds % 3600 / 60),
        _ => format!("{}d{:02}h", seconds / 86400, seconds % 86400 / 3600),
    }
}

fn write_outcomes(out: &mut dyn Write, paint: &Paint, report: &Report) -> io::Result<()> {
    let outcomes = &report.outcomes;
    if outcomes.recipients == 0 {
        return Ok(());
    }
    let words = paint.words;
    let all = outcomes.recipients;
    writeln!(out, "{}", paint.heading(words.message_outcomes))?;
    writeln!(
        out,
        "  {} {} {}, {} {}",
        pad(words.followed, 26),
        thousands(all),
        words.counted(all, words.recipients),
        thousands(outcomes.messages),
        words.counted(outcomes.messages, words.messages_word)
    )?;
    for (label, count, class, detail) in outcome_lines(outcomes, words) {
        let line = format!(
            "  {} {:>9} {:>6}  {}",
            paint.class(class, &pad(label, 26)),
            thousands(count),
            percent(count, all),
            detail
        );
        writeln!(out, "{}", line.trim_end())?;
    }
    let delay = &outcomes.delay;
    if let (Some(median), Some(p90)) = (delay.quantile(0.5), delay.quantile(0.9)) {
        let about = if delay.approximate() { "~" } else { "" };
        writeln!(
            out,
            "  {} median {about}{}, p90 {about}{}, max {}",
            pad(words.delay_added, 26),
            duration_text(median),
            duration_text(p90),
            duration_text(delay.max())
        )?;
    }
    if outcomes.let_go > 0 {
        writeln!(
            out,
            "  {}",
            paint.dim(&format!(
                "{} pending recipients were let go early: too many messages open at once",
                thousands(outcomes.let_go)
            ))
        )?;
    }
    if outcomes.lost_examples.is_empty() {
        return writeln!(out);
    }
    writeln!(out, "  {}", words.lost_examples)?;
    for lost in &outcomes.lost_examples {
        let mut line = format!(
            "    {} {} {}",
            visible(&lost.id),
            visible(&lost.recipient),
            lost.ending.label()
        );
        if lost.reply_code.is_some() || lost.enhanced_code.is_some() {
            line.push_str(&format!(
                " {}",
                codes_text(lost.reply_code, lost.enhanced_code)
            ));
        }
        if let Some(after) = after_attempts(lost) {
            line.push(' ');
            line.push_str(&after);
        }
        if let (Some(first), Some(last)) = (lost.first_attempt, lost.last_attempt)
            && first != last
        {
            let seconds = (last.sort_key() - first.sort_key()).num_seconds().max(0) as u64;
            line.push_str(&format!(" over {}", duration_text(seconds)));
        }
        if let Some(notification) = &lost.notification {
            line.push_str(&format!(
                ", {} {}",
                words.notification,
                visible(notification)
            ));
        }
        writeln!(out, "{line}")?;
        writeln!(out, "      {}:{}", visible(&lost.file), lost.line)?;
    }
    writeln!(out)
}

fn write_refusals(out: &mut dyn Write, paint: &Paint, report: &Report) -> io::Result<()> {
    write_set_apart(
        out,
        paint,
        paint.words.refusals,
        &[
            "One host of several tried failed; the outcome counted above is the status",
            "line that follows.",
        ],
        &report.refusals,
        |row| short_name(&row.advice.name).to_string(),
    )
}

fn write_reject_warnings(out: &mut dyn Write, paint: &Paint, report: &Report) -> io::Result<()> {
    write_set_apart(
        out,
        paint,
        paint.words.reject_warnings,
        &[
            "Rejects a restriction would have made (warn_if_reject); the client was not",
            "refused, so none is counted above. Drop warn_if_reject once these look right.",
        ],
        &report.reject_warnings,
        // Which restriction would have refused matters more than the code's name.
        |row| row.reason.to_string(),
    )
}

/// A table of codes counted apart from the outcomes, with a note on why; `label` names a row.
fn write_set_apart(
    out: &mut dyn Write,
    paint: &Paint,
    heading: &str,
    notes: &[&str],
    rows: &[CodeRow],
    label: impl Fn(&CodeRow) -> String,
) -> io::Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(out, "{}", paint.heading(heading))?;
    for note in notes {
        writeln!(out, "  {}", paint.dim(note))?;
    }
    for row in rows {
        writeln!(
            out,
            "  {} {:>9}  {:<22} {}",
            paint.class(row.class(), &format!("{:<13}", codes_label(row))),
            thousands(row.count),
            shorten(&label(row), 22),
            fit_list(&row.top[..row.top.len().min(3)], row.top_approximate, 30)
        )?;
    }
    Ok(())
}

fn write_screening(out: &mut dyn Write, paint: &Paint, report: &Report) -> io::Result<()> {
    let screenings = &report.tally.screenings;
    if screenings.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(out, "{}", paint.heading(paint.words.screening))?;
    for note in [
        "Verdicts on clients before an SMTP server took them, one per line; a client",
        "may fail several tests. None of them is counted as an SMTP outcome.",
    ] {
        writeln!(out, "  {}", paint.dim(note))?;
    }
    let row = |out: &mut dyn Write, indent: usize, verdict: Verdict| -> io::Result<()> {
        let label = format!("{:indent$}{}", "", verdict.label());
        writeln!(
            out,
            "  {label:<18} {:>9}  {}",
            thousands(screenings.count(verdict)),
            verdict.short()
        )
    };
    for verdict in Verdict::ALL
        .into_iter()
        .filter(|v| !v.is_failure() && screenings.is_listed(*v))
    {
        row(out, 0, verdict)?;
    }
    writeln!(
        out,
        "  {:<18} {:>9}  of which:",
        "failed a test",
        thousands(screenings.failures()),
    )?;
    for verdict in Verdict::ALL
        .into_iter()
        .filter(|v| v.is_failure() && screenings.is_listed(*v))
    {
        row(out, 2, verdict)?;
    }
    if !report.screening_lists.is_empty() {
        writeln!(
            out,
            "  {:<18} {}",
            "listed by",
            fit_list(
                &report.screening_lists,
                screenings.lists().approximate(),
                58
            )
        )?;
    }
    if !report.failing_clients.is_empty() {
        writeln!(
            out,
            "  {:<18} {}",
            "failing most",
            fit_list(
                &report.failing_clients,
                screenings.failing_clients().approximate(),
                58
            )
        )?;
        paragraph(
            out,
            "fix",
            "Whether a failing client was refused depends on the test's \
             postscreen_*_action (ignore, enforce, drop). Nothing to do for bots; a real \
             sender among them: allowlist its address in postscreen_access_list and look at \
             the test it failed.",
        )?;
    }
    Ok(())
}

fn write_diagnostics(out: &mut dyn Write, paint: &Paint, report: &Report) -> io::Result<()> {
    write_kinds(
        out,
        paint,
        paint.words.diagnostics,
        &[
            "Lines in which the MTA reported a problem of its own, by kind: names, addresses",
            "and numbers that differ from line to line are folded. None is an SMTP outcome.",
        ],
        &report.tally.diagnostics,
        &report.diagnostics,
    )
}

fn write_diversions(out: &mut dyn Write, paint: &Paint, report: &Report) -> io::Result<()> {
    write_kinds(
        out,
        paint,
        paint.words.diversions,
        &[
            "Lines in which a rule (an access table, a header or body check, a milter) set a",
            "message aside or only logged a match, a content filter on this host (amavis)",
            "accepted a message only to drop it, or Exim froze one (each freeze counts); no",
            "reply told the sender of it.",
        ],
        &report.tally.diversions,
        &report.diversions,
    )
}

fn write_restarts(out: &mut dyn Write, paint: &Paint, report: &Report) -> io::Result<()> {
    write_kinds(
        out,
        paint,
        paint.words.restarts,
        &[
            "Lines in which the MTA's daemon (Postfix's master) started, read its configuration",
            "again or stopped, with the version it named; the example is the first of each kind.",
        ],
        &report.tally.restarts,
        &report.restarts,
    )
}

/// A section of lines summed up by tier and kind: lines per tier with what the tier means,
/// the advice for the tiers that need it, then each kind listed with its example and advice.
fn write_kinds<T: Tier>(
    out: &mut dyn Write,
    paint: &Paint,
    heading: &str,
    notes: &[&str],
    kinds: &Kinds<T>,
    section: &KindSection<T>,
) -> io::Result<()> {
    if kinds.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(out, "{}", paint.heading(heading))?;
    for note in notes {
        writeln!(out, "  {}", paint.dim(note))?;
    }
    let tier_label = |tier: T| paint.class(tier.colour(), &format!("{:<8}", tier.label()));
    for &tier in T::ALL {
        let lines = kinds.count(tier);
        if lines > 0 {
            writeln!(
                out,
                "  {} {:>9}  {}",
                tier_label(tier),
                thousands(lines),
                tier.meaning()
            )?;
        }
    }
    for &tier in T::ALL {
        if section.wants_advice(kinds, tier) {
            paragraph(out, paint.words.fix, tier.advice())?;
        }
    }
    // Each kind with where to find it and what to do; advice already given is not repeated.
    let detail_indent = 22;
    let mut advice_given = Vec::new();
    for row in &section.top {
        writeln!(out)?;
        writeln!(
            out,
            "  {} {:>9}  {}: {}",
            tier_label(row.tier),
            thousands(row.count),
            visible(&row.program),
            shorten(&visible(&row.shape), 100)
        )?;
        if let Some(example) = &row.example {
            writeln!(
                out,
                "{:detail_indent$}{} {}:{}",
                "",
                paint.words.example,
                visible(&example.file),
                example.line
            )?;
        }
        if let Some(advice) = row.advice {
            if advice_given.contains(&advice) {
                writeln!(out, "{:detail_indent$}{}: as above", "", paint.words.fix)?;
            } else {
                let lead = format!("{}:", paint.words.fix);
                let words = std::iter::once(lead.as_str()).chain(advice.split_whitespace());
                wrap(out, detail_indent, words)?;
                advice_given.push(advice);
            }
        }
    }
    for &tier in T::ALL {
        if kinds.shapes(tier).approximate() {
            writeln!(
                out,
                "  {}",
                paint.dim(&format!(
                    "More kinds of {} than kept: the counts of the kinds listed are lower bounds.",
                    tier.label()
                ))
            )?;
        }
    }
    Ok(())
}

/// Writes words wrapped to the report's width, every line indented by `indent`.
fn wrap<'a>(
    out: &mut dyn Write,
    indent: usize,
    words: impl Iterator<Item = &'a str>,
) -> io::Result<()> {
    let mut line = String::new();
    for word in words {
        if !line.is_empty() && indent + line.chars().count() + 1 + word.chars().count() > WIDTH {
            writeln!(out, "{:indent$}{line}", "")?;
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        writeln!(out, "{:indent$}{line}", "")?;
    }
    Ok(())
}

fn write_timeline(out: &mut dyn Write, paint: &Paint, report: &Report) -> io::Result<()> {
    let Some(timeline) = FailureTimeline::of(&report.tally) else {
        return Ok(());
    };
    writeln!(out)?;
    let heading = if timeline.by_day {
        paint.words.per_day
    } else {
        paint.words.per_hour
    };
    writeln!(out, "{}", paint.heading(heading))?;
    if timeline.has_restarts() {
        writeln!(
            out,
            "  {}",
            paint.dim("↻ the MTA started, reloaded or stopped then (how many times)")
        )?;
    }
    let peak = timeline
        .rows
        .iter()
        .map(|row| row.transient + row.permanent)
        .max()
        .unwrap_or(1)
        .max(1);
    writeln!(
        out,
        "  {}",
        paint.dim(&format!("{:<16} {:>7} {:>7}", "", "4xx", "5xx"))
    )?;
    for row in &timeline.rows {
        let width = 36usize;
        let t = ((row.transient as f64 / peak as f64) * width as f64).round() as usize;
        let p = ((row.permanent as f64 / peak as f64) * width as f64).round() as usize;
        let marker = if row.restarts > 0 {
            format!("  ↻ {}", row.restarts)
        } else {
            String::new()
        };
        writeln!(
            out,
            "  {:<16} {:>7} {:>7}  {}{}{}",
            timeline.label(row),
            thousands(row.transient),
            thousands(row.permanent),
            paint.class(Class::Transient, &"▒".repeat(t)),
            paint.class(Class::Permanent, &"█".repeat(p)),
            paint.class(Class::Intermediate, &marker)
        )?;
    }
    Ok(())
}

fn write_thresholds(out: &mut dyn Write, paint: &Paint, report: &Report) -> io::Result<()> {
    if report.thresholds.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(out, "{}", paint.heading(paint.words.thresholds))?;
    for result in &report.thresholds {
        let verdict = if result.met {
            paint.class(Class::Permanent, "MET")
        } else {
            paint.class(Class::Success, "not met")
        };
        writeln!(
            out,
            "  {:<24} {:>9} matching  {}",
            result.threshold.text,
            thousands(result.count),
            verdict
        )?;
    }
    Ok(())
}

fn write_unmatched(out: &mut dyn Write, paint: &Paint, report: &Report) -> io::Result<()> {
    writeln!(out)?;
    writeln!(out, "{}", paint.heading(paint.words.unmatched))?;
    if report.unmatched.is_empty() {
        writeln!(out, "  none")?;
    }
    for line in &report.unmatched {
        writeln!(
            out,
            "  {}:{}: {}",
            visible(&line.file),
            line.line,
            visible(&line.text)
        )?;
    }
    let total = report.tally.lines.unmatched;
    if total > report.unmatched.len() as u64 {
        writeln!(
            out,
            "  ... {} more not listed",
            thousands(total - report.unmatched.len() as u64)
        )?;
    }
    Ok(())
}

fn write_footer(out: &mut dyn Write, paint: &Paint, report: &Report) -> io::Result<()> {
    writeln!(out)?;
    writeln!(out, "{}", paint.heading(paint.words.footer))?;
    for (label, count) in line_buckets(&report.tally) {
        let hint = if label == "unmatched" {
            " (--unmatched lists them)"
        } else {
            ""
        };
        writeln!(out, "  {:>11}  {label}{hint}", thousands(count))?;
    }
    Ok(())
}

fn paragraph(out: &mut dyn Write, label: &str, text: &str) -> io::Result<()> {
    paragraph_words(out, label, text.split_whitespace())
}

/// Wraps words at [`WIDTH`]; a word may hold spaces, and is never broken.
fn paragraph_words<'a>(
    out: &mut dyn Write,
    label: &str,
    words: impl Iterator<Item = &'a str>,
) -> io::Result<()> {
    let indent = 12;
    let mut line = String::new();
    let mut first = true;
    for word in words {
        if !line.is_empty() && indent + line.chars().count() + 1 + word.chars().count() > WIDTH {
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
        writeln!(out, "  {label:<9} {line}")
    } else {
        writeln!(out, "            {line}")
    }
}

/// Cuts text to `width` characters, marking the cut.
pub fn shorten(text: &str, width: usize) -> String {
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
        assert_eq!(bar(1, 1000), "█");
        assert_eq!(bar(0, 10), "");
    }

    fn entries(list: &[(&str, u64)]) -> Vec<(String, u64)> {
        list.iter().map(|(n, c)| (n.to_string(), *c)).collect()
    }

    #[test]
    fn labels_are_padded_to_terminal_columns() {
        assert_eq!(pad("read", 8), "read    ");
        // Each Chinese character takes two columns.
        assert_eq!(pad("已读", 8), "已读    ");
        assert_eq!(pad("时间范围", 8), "时间范围");
        assert_eq!(pad("longer than the width", 4), "longer than the width");
    }

    #[test]
    fn fitted_lists_keep_every_count_they_show() {
        let hosts = entries(&[
            ("gmail-smtp-in.l.google.com", 11),
            ("mx.example.org", 4),
            ("mx2.example.org", 1),
        ]);
        assert_eq!(fit_list(&hosts[..1], false, 19), "gmail-smtp-in.l… 11");
        assert_eq!(fit_list(&hosts[..1], true, 19), "gmail-smtp-in.… ~11");
        // No room for a second entry, nor for the mark of one left out.
        assert_eq!(fit_list(&hosts, false, 30), "gmail-smtp-in.l.google.com 11");
        assert_eq!(fit_list(&hosts[1..], false, 30), "mx.example.org 4, …");
        assert_eq!(
            fit_list(&hosts[1..], false, 40),
            "mx.example.org 4, mx2.example.org 1"
        );
        assert_eq!(
            fit_list(&hosts[..1], false, 40),
            "gmail-smtp-in.l.google.com 11"
        );
        assert_eq!(fit_list(&[], false, 19), "");
        for width in [19, 30] {
            assert!(fit_list(&hosts, false, width).chars().count() <= width);
        }
    }

    #[test]
    fn lists_wrap_between_entries() {
        let words = [
            "gmx.de 3,",
            "aol.com 2,",
            "gmail.com 2,",
            "icloud.com 2,",
            "outlook.com 2,",
            "uni.example 2,",
            "hotmail.com 1",
        ];
        let mut out = Vec::new();
        paragraph_words(&mut out, "domains", words.iter().copied()).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "  domains   gmx.de 3, aol.com 2, gmail.com 2, icloud.com 2, outlook.com 2,\n\
             \x20           uni.example 2, hotmail.com 1\n"
        );
        assert!(text.lines().all(|l| l.chars().count() <= WIDTH));
    }
}
