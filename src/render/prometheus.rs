//! The report in the Prometheus text exposition format (version 0.0.4), for node_exporter's
//! textfile collector.
//!
//! Every value is a total over the inputs and filters of one run: a report run from cron with
//! `--since -1h` says how many outcomes the last hour had, and the next run may say fewer.
//! Such values go up and down without a reset, which a counter must never do (`rate()` would
//! read every fall as a restart and add phantom increases), so every family is a gauge and none
//! is named `_total`, the suffix the naming conventions keep for counters.
//!
//! The output holds no wall-clock time: the same inputs give the same bytes, whatever
//! `--threads`, and a stale file shows in node_exporter's own `node_textfile_mtime_seconds`,
//! which `-o` refreshes on every run since it writes a new file and renames it into place.
//!
//! Families come sorted by name and their samples sorted by label values, each family once with
//! its `# HELP` and `# TYPE`; a family with nothing to say is left out. Every sample of a
//! family carries the same label names (an absent code is an empty value), since the textfile
//! collector and the registries behind it want one set of label dimensions per family.

use std::collections::BTreeMap;
use std::io::{self, Write};

use chrono::{DateTime, Duration, FixedOffset, Local, TimeZone};

use crate::aggregate::CodeKey;
use crate::codes::{Action, Class};
use crate::kinds::{Kinds, Tier};
use crate::parse::postscreen::Verdict;
use crate::render::safe::visible;
use crate::report::{CodeRow, Report};
use crate::time::Timestamp;

/// One metric family: its samples keyed by label values, in the order of `labels`.
struct Family {
    name: &'static str,
    help: &'static str,
    labels: &'static [&'static str],
    samples: BTreeMap<Vec<String>, Value>,
}

enum Value {
    Count(u64),
    /// Already written out, such as a timestamp with its fraction.
    Text(String),
}

impl Family {
    fn new(name: &'static str, help: &'static str, labels: &'static [&'static str]) -> Family {
        Family {
            name,
            help,
            labels,
            samples: BTreeMap::new(),
        }
    }

    /// Adds `n` to the sample with these label values. Log text is made visible first, and two
    /// texts that then read the same are one sample: a label set may appear only once in a
    /// family, and adding keeps the family's sum right.
    fn add(&mut self, values: &[&str], n: u64) {
        debug_assert_eq!(values.len(), self.labels.len(), "{}", self.name);
        let key = values.iter().map(|v| visible(v).into_owned()).collect();
        match self.samples.entry(key).or_insert(Value::Count(0)) {
            Value::Count(count) => *count += n,
            Value::Text(_) => unreachable!("{} mixes counts and text", self.name),
        }
    }

    fn set(&mut self, values: &[&str], value: String) {
        debug_assert_eq!(values.len(), self.labels.len(), "{}", self.name);
        let key = values.iter().map(|v| visible(v).into_owned()).collect();
        self.samples.insert(key, Value::Text(value));
    }

    fn write(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "# HELP {} {}", self.name, escape_help(self.help))?;
        writeln!(out, "# TYPE {} gauge", self.name)?;
        for (values, value) in &self.samples {
            out.write_all(self.name.as_bytes())?;
            if !self.labels.is_empty() {
                out.write_all(b"{")?;
                for (i, (label, value)) in self.labels.iter().zip(values).enumerate() {
                    if i > 0 {
                        out.write_all(b",")?;
                    }
                    write!(out, "{label}=\"{}\"", escape_label_value(value))?;
                }
                out.write_all(b"}")?;
            }
            match value {
                Value::Count(count) => writeln!(out, " {count}")?,
                Value::Text(text) => writeln!(out, " {text}")?,
            }
        }
        Ok(())
    }
}

/// A label value as the exposition format wants it: backslash, double quote and line feed
/// escaped. The value has been through [`visible`], so no other control character is left.
fn escape_label_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// A `# HELP` text: the format escapes backslash and line feed there, not the double quote.
fn escape_help(text: &str) -> String {
    text.replace('\\', "\\\\").replace('\n', "\\n")
}

const CLASSES: [Class; 4] = [
    Class::Success,
    Class::Intermediate,
    Class::Transient,
    Class::Permanent,
];

const CODE_LABELS: &[&str] = &[
    "direction",
    "class",
    "reply_code",
    "enhanced_code",
    "reason",
];
const DESTINATION_LABELS: &[&str] = &[
    "direction",
    "class",
    "reply_code",
    "enhanced_code",
    "destination",
];
const HOST_LABELS: &[&str] = &["direction", "class", "reply_code", "enhanced_code", "host"];

/// The direction, class, reply code and enhanced code of a row, as label values.
fn code_values(key: &CodeKey) -> [String; 4] {
    [
        key.direction.label().to_string(),
        key.class.label().to_string(),
        key.reply.map(|c| c.to_string()).unwrap_or_default(),
        key.enhanced.map(|c| c.to_string()).unwrap_or_default(),
    ]
}

/// Adds one sample per (code, reason) to `by_reason`, and one per (code, top destination) to
/// `by_place`. Reasons are split rather than the main one named, so that the samples add up to
/// the outcomes and a code whose mix of reasons shifts keeps its series.
fn add_rows(rows: &[CodeRow], by_reason: &mut Family, by_place: &mut Family) {
    for row in rows {
        let [direction, class, reply, enhanced] = code_values(&row.key);
        for (reason, count) in &row.reasons {
            by_reason.add(&[&direction, &class, &reply, &enhanced, reason], *count);
        }
        for (place, count) in &row.top {
            by_place.add(&[&direction, &class, &reply, &enhanced, place], *count);
        }
    }
}

/// Seconds since the Unix epoch, with the fraction the log gave. A log time without an offset
/// is the local time of the machine the log was written on, which is taken to be this one (the
/// textfile collector runs beside the MTA): the same reading `--since` makes of such times.
fn unix_seconds(time: Timestamp) -> String {
    let instant: DateTime<FixedOffset> = match time.offset {
        Some(offset) => offset
            .from_local_datetime(&time.local)
            .single()
            .unwrap_or_else(|| offset.from_utc_datetime(&time.local)),
        None => Local
            .from_local_datetime(&time.local)
            .earliest()
            // A time in the gap of a clock change forward: read it with the offset after
            // the change.
            .or_else(|| {
                Local
                    .from_local_datetime(&(time.local + Duration::hours(1)))
                    .earliest()
                    .map(|later| later - Duration::hours(1))
            })
            .unwrap_or_else(|| Local.from_utc_datetime(&time.local))
            .fixed_offset(),
    };
    let seconds = instant.timestamp();
    let nanos = instant.timestamp_subsec_nanos();
    if nanos == 0 {
        return seconds.to_string();
    }
    // The fraction of a time before 1970 counts up towards zero; f64 keeps the sign right.
    if seconds < 0 {
        return (seconds as f64 + f64::from(nanos) / 1e9).to_string();
    }
    let fraction = format!("{nanos:09}");
    format!("{seconds}.{}", fraction.trim_end_matches('0'))
}

/// Writes the report as Prometheus text exposition.
pub fn write_prometheus(out: &mut dyn Write, report: &Report) -> io::Result<()> {
    let tally = &report.tally;
    let mut families = Vec::new();

    // Every class and action is written, 0 included, so that a ratio or an alert on one of
    // them has a series from the first run on instead of nothing.
    let mut outcomes = Family::new(
        "mailsift_outcomes",
        "SMTP outcomes (one per recipient per attempt, or per rejected command) in the inputs, \
         by class; per-host refusals and reject warnings are not counted here.",
        &["class", "permanence"],
    );
    for class in CLASSES {
        outcomes.add(
            &[class.label(), class.permanence().label()],
            tally.by_class.get(class),
        );
    }
    families.push(outcomes);

    let mut actions = Family::new(
        "mailsift_action_outcomes",
        "SMTP outcomes in the inputs, by what happened.",
        &["action"],
    );
    for action in Action::ALL
        .into_iter()
        .filter(|a| !matches!(a, Action::Refused | Action::RejectWarning))
    {
        actions.add(
            &[action.label()],
            tally.by_action.get(&action).copied().unwrap_or(0),
        );
    }
    families.push(actions);

    let mut reasons = Family::new(
        "mailsift_reason_outcomes",
        "SMTP outcomes in the inputs, by knowledge-base reason.",
        &["reason"],
    );
    for (reason, count) in &tally.by_reason {
        reasons.add(&[reason], *count);
    }
    families.push(reasons);

    let mut codes = Family::new(
        "mailsift_code_outcomes",
        "SMTP outcomes in the inputs, by who answered (outbound: a remote server answered us; \
         inbound: our server answered a client), class, reply code, enhanced status code and \
         reason. An empty code was not in the log line.",
        CODE_LABELS,
    );
    let mut destinations = Family::new(
        "mailsift_destination_outcomes",
        "SMTP outcomes in the inputs for the most frequent destinations of each code (--top): \
         the recipient domain when outbound, the client when inbound.",
        DESTINATION_LABELS,
    );
    add_rows(&report.rows, &mut codes, &mut destinations);
    families.push(codes);
    families.push(destinations);

    // Codes counted apart from the outcomes, each with its most frequent hosts.
    for (rows, name, help, hosts_name, hosts_help) in [
        (
            &report.refusals,
            "mailsift_refusals",
            "Per-host refusals in the inputs (one host of several tried refused to talk, or the \
             connection failed), by code and reason; not counted in mailsift_outcomes.",
            "mailsift_host_refusals",
            "Per-host refusals in the inputs for the most frequent refusing hosts of each code \
             (--top).",
        ),
        (
            &report.reject_warnings,
            "mailsift_reject_warnings",
            "Rejects our server only logged (Postfix reject_warning: warn_if_reject), by code \
             and reason; the client was not refused, and they are not counted in \
             mailsift_outcomes.",
            "mailsift_client_reject_warnings",
            "Reject warnings in the inputs for the most frequent clients of each code (--top).",
        ),
    ] {
        let mut codes = Family::new(name, help, CODE_LABELS);
        let mut hosts = Family::new(hosts_name, hosts_help, HOST_LABELS);
        add_rows(rows, &mut codes, &mut hosts);
        families.push(codes);
        families.push(hosts);
    }

    let mut verdicts = Family::new(
        "mailsift_postscreen_verdicts",
        "postscreen's verdicts on clients in the inputs, by verdict (connect, pass_new, \
         pass_old, allowlisted, and the tests failed); not counted in mailsift_outcomes.",
        &["verdict"],
    );
    for verdict in Verdict::ALL {
        verdicts.add(&[verdict.label()], tally.screenings.count(verdict));
    }
    families.push(verdicts);

    let mut lists = Family::new(
        "mailsift_postscreen_dnsbl_listings",
        "Clients found on a blocklist by postscreen's dnsblog in the inputs, for the most \
         frequent lists (--top).",
        &["list"],
    );
    for (list, count) in &report.screening_lists {
        lists.add(&[list], *count);
    }
    families.push(lists);

    families.push(tier_family(
        "mailsift_mta_problems",
        "Lines in which the MTA reported a problem of its own, by severity (panic, fatal, \
         error, warning); not counted in mailsift_outcomes.",
        &tally.diagnostics,
    ));
    families.push(tier_family(
        "mailsift_diverted_lines",
        "Lines in which a rule held, discarded or redirected a message or only logged its \
         match, or Exim froze a message, by action (hold, freeze, discard, redirect, warn); \
         not counted in mailsift_outcomes.",
        &tally.diversions,
    ));
    families.push(tier_family(
        "mailsift_mta_restarts",
        "Lines in which the MTA's daemon (Postfix's master) started, read its configuration \
         again or stopped, by event (start, reload, stop).",
        &tally.restarts,
    ));

    let lines = &tally.lines;
    let mut read = Family::new("mailsift_lines_read", "Lines read from the inputs.", &[]);
    read.add(&[], lines.read);
    families.push(read);
    let mut buckets = Family::new(
        "mailsift_lines",
        "Lines read, by what became of them; the buckets add up to mailsift_lines_read.",
        &["bucket"],
    );
    for (bucket, count) in [
        ("events", lines.events),
        ("filtered_out", lines.filtered_out),
        ("no_outcome", lines.no_outcome),
        ("other_programs", lines.other_programs),
        ("unmatched", lines.unmatched),
        ("over_long", lines.over_long),
        ("repeated", lines.repeated),
    ] {
        buckets.add(&[bucket], count);
    }
    families.push(buckets);

    let mut inputs = Family::new("mailsift_inputs", "Inputs named on the command line.", &[]);
    inputs.add(&[], report.inputs.len() as u64);
    families.push(inputs);
    let mut unreadable = Family::new(
        "mailsift_unreadable_inputs",
        "Inputs that could not be opened or read to their end; the rest was still counted.",
        &[],
    );
    unreadable.add(
        &[],
        report.inputs.iter().filter(|i| !i.complete).count() as u64,
    );
    families.push(unreadable);

    let mut messages = Family::new(
        "mailsift_messages",
        "Distinct messages (queue or message ids) among the outcomes; an estimate past 50,000.",
        &[],
    );
    messages.add(&[], tally.messages.count());
    families.push(messages);

    for (name, help, time) in [
        (
            "mailsift_first_event_timestamp_seconds",
            "Time of the earliest outcome in the inputs, as Unix seconds; absent without \
             outcomes.",
            tally.first_seen,
        ),
        (
            "mailsift_last_event_timestamp_seconds",
            "Time of the latest outcome in the inputs, as Unix seconds; absent without outcomes.",
            tally.last_seen,
        ),
    ] {
        let mut family = Family::new(name, help, &[]);
        if let Some(time) = time {
            family.set(&[], unix_seconds(time));
        }
        families.push(family);
    }

    let mut met = Family::new(
        "mailsift_fail_on_met",
        "1 when the --fail-on condition holds (the run's exit status is 3), else 0.",
        &["condition"],
    );
    let mut matching = Family::new(
        "mailsift_fail_on_matching",
        "SMTP outcomes matching the code or class of the --fail-on condition.",
        &["condition"],
    );
    for result in &report.thresholds {
        // The same condition given twice is one sample with one answer.
        let condition = result.threshold.text.as_str();
        met.set(&[condition], u64::from(result.met).to_string());
        matching.set(&[condition], result.count.to_string());
    }
    families.push(met);
    families.push(matching);

    families.sort_by_key(|family| family.name);
    for family in families.iter().filter(|f| !f.samples.is_empty()) {
        family.write(out)?;
    }
    Ok(())
}

/// The lines of each tier of a section summed up by tier and kind, labelled with the tier's
/// name (`severity`, `action`, `event`), every tier included.
fn tier_family<T: Tier>(name: &'static str, help: &'static str, kinds: &Kinds<T>) -> Family {
    let mut family = Family::new(name, help, &[T::NAME]);
    for &tier in T::ALL {
        family.add(&[tier.label()], kinds.count(tier));
    }
    family
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aggregate::{Tally, TallyOptions};
    use crate::codes::Direction;
    use crate::event::Event;
    use crate::report::{InputSummary, ReportSettings};
    use crate::threshold::Threshold;

    fn event(
        direction: Direction,
        action: Action,
        codes: Option<(u16, &str)>,
        reason: &'static str,
        recipient: &'static str,
    ) -> Event<'static> {
        let mut e = Event::with_codes(direction, action, codes, reason);
        e.recipient = recipient;
        e.remote_host = "mx.example.net";
        e.remote_ip = "192.0.2.7";
        e.queue_id = "4AB12";
        e
    }

    fn rendered(events: &[Event<'static>], thresholds: &[&str]) -> String {
        let mut tally = Tally::of(events, &TallyOptions::default());
        tally.lines.read = events.len() as u64 + 3;
        tally.lines.events = events.len() as u64;
        tally.lines.other_programs = 3;
        let settings = ReportSettings {
            top: 10,
            thresholds: thresholds
                .iter()
                .map(|t| Threshold::parse(t).unwrap())
                .collect(),
            ..ReportSettings::default()
        };
        let inputs = vec![
            InputSummary {
                name: "a.log".into(),
                format: "syslog",
                compression: "none",
                complete: true,
                start: None,
            },
            InputSummary {
                name: "gone.log".into(),
                format: "",
                compression: "",
                complete: false,
                start: None,
            },
        ];
        let report = Report::new(inputs, tally, &settings);
        let mut out = Vec::new();
        write_prometheus(&mut out, &report).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn sample<'a>(text: &'a str, series: &str) -> Option<&'a str> {
        text.lines()
            .find_map(|line| line.strip_prefix(series)?.strip_prefix(' '))
    }

    #[test]
    fn every_class_and_action_is_written_even_at_zero() {
        let text = rendered(&[], &[]);
        for (class, permanence) in [
            ("2xx", "success"),
            ("3xx", "intermediate"),
            ("4xx", "transient"),
            ("5xx", "permanent"),
        ] {
            let series =
                format!("mailsift_outcomes{{class=\"{class}\",permanence=\"{permanence}\"}}");
            assert_eq!(sample(&text, &series), Some("0"), "{text}");
        }
        assert_eq!(
            sample(&text, "mailsift_action_outcomes{action=\"expired\"}"),
            Some("0")
        );
        // Counted apart, in their own families.
        assert!(!text.contains("action=\"refused\""), "{text}");
        assert!(!text.contains("action=\"reject_warning\""), "{text}");
        assert!(
            !text.contains("timestamp_seconds"),
            "no time without events: {text}"
        );
        assert!(!text.contains("mailsift_code_outcomes"), "{text}");
    }

    #[test]
    fn codes_are_split_by_reason_and_sum_to_the_outcomes() {
        let bounce = event(
            Direction::Outbound,
            Action::Bounced,
            Some((550, "5.1.1")),
            "user_unknown",
            "a@example.org",
        );
        let mut disabled = bounce.clone();
        disabled.reason = "mailbox_disabled";
        let reject = event(
            Direction::Inbound,
            Action::Rejected,
            None,
            "relay_denied",
            "",
        );
        let text = rendered(&[bounce.clone(), bounce, disabled, reject], &[]);
        assert_eq!(
            sample(
                &text,
                "mailsift_code_outcomes{direction=\"outbound\",class=\"5xx\",reply_code=\"550\",\
                 enhanced_code=\"5.1.1\",reason=\"user_unknown\"}"
            ),
            Some("2"),
            "{text}"
        );
        assert_eq!(
            sample(
                &text,
                "mailsift_code_outcomes{direction=\"outbound\",class=\"5xx\",reply_code=\"550\",\
                 enhanced_code=\"5.1.1\",reason=\"mailbox_disabled\"}"
            ),
            Some("1")
        );
        assert_eq!(
            sample(
                &text,
                "mailsift_code_outcomes{direction=\"inbound\",class=\"5xx\",reply_code=\"\",\
                 enhanced_code=\"\",reason=\"relay_denied\"}"
            ),
            Some("1")
        );
        assert_eq!(
            sample(
                &text,
                "mailsift_outcomes{class=\"5xx\",permanence=\"permanent\"}"
            ),
            Some("4")
        );
        assert_eq!(
            sample(
                &text,
                "mailsift_destination_outcomes{direction=\"outbound\",class=\"5xx\",\
                 reply_code=\"550\",enhanced_code=\"5.1.1\",destination=\"example.org\"}"
            ),
            Some("3")
        );
        assert_eq!(sample(&text, "mailsift_messages"), Some("1"));
        assert_eq!(sample(&text, "mailsift_inputs"), Some("2"));
        assert_eq!(sample(&text, "mailsift_unreadable_inputs"), Some("1"));
        assert_eq!(sample(&text, "mailsift_lines_read"), Some("7"));
        assert_eq!(
            sample(&text, "mailsift_lines{bucket=\"other_programs\"}"),
            Some("3")
        );
    }

    #[test]
    fn families_are_sorted_contiguous_and_typed_once() {
        let bounce = event(
            Direction::Outbound,
            Action::Bounced,
            Some((550, "5.1.1")),
            "user_unknown",
            "a@b.example",
        );
        let deferral = event(
            Direction::Outbound,
            Action::Deferred,
            Some((421, "4.7.0")),
            "rate_limited",
            "a@a.example",
        );
        let text = rendered(&[bounce, deferral], &["5xx>0", "5xx>0", "421>=5"]);
        let mut names = Vec::new();
        let mut current = "";
        for line in text.lines() {
            if let Some(rest) = line.strip_prefix("# HELP ") {
                current = rest.split(' ').next().unwrap();
                names.push(current);
                continue;
            }
            if let Some(rest) = line.strip_prefix("# TYPE ") {
                assert_eq!(rest, format!("{current} gauge"));
                continue;
            }
            let name = line.split(['{', ' ']).next().unwrap();
            assert_eq!(name, current, "a sample outside its family: {line}");
        }
        let mut sorted = names.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(names, sorted, "each family once, by name");
        let samples: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
        let mut unique = samples.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(samples.len(), unique.len(), "no label set twice");
        assert_eq!(
            sample(&text, "mailsift_fail_on_met{condition=\"5xx>0\"}"),
            Some("1")
        );
        assert_eq!(
            sample(&text, "mailsift_fail_on_met{condition=\"421>=5\"}"),
            Some("0")
        );
        assert_eq!(
            sample(&text, "mailsift_fail_on_matching{condition=\"421>=5\"}"),
            Some("1")
        );
        let codes: Vec<&str> = samples
            .iter()
            .copied()
            .filter(|l| l.starts_with("mailsift_code_outcomes{"))
            .collect();
        assert!(codes[0].contains("reply_code=\"421\""), "{codes:?}");
        assert!(codes[1].contains("reply_code=\"550\""), "{codes:?}");
    }

    #[test]
    fn label_values_are_escaped_and_controls_made_visible() {
        assert_eq!(escape_label_value(r#"a"b\c"#), r#"a\"b\\c"#);
        assert_eq!(escape_label_value("x\ny"), "x\\ny");
        let mut family = Family::new("mailsift_test", "help \\ with\nnewline", &["v"]);
        family.add(&["q\"uote\\back\nline\x1b[31m\u{202e}"], 1);
        let mut out = Vec::new();
        family.write(&mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "# HELP mailsift_test help \\\\ with\\nnewline\n\
             # TYPE mailsift_test gauge\n\
             mailsift_test{v=\"q\\\"uote\\\\back\\\\nline\\\\x1b[31m\\\\u{202e}\"} 1\n"
        );
        assert!(!text.chars().any(|c| c.is_control() && c != '\n'));
    }

    #[test]
    fn texts_that_read_the_same_once_visible_are_one_sample() {
        let mut family = Family::new("mailsift_test", "h", &["v"]);
        family.add(&["a\x1bb"], 1);
        family.add(&["a\\x1bb"], 2);
        assert_eq!(family.samples.len(), 1);
        assert!(matches!(
            family.samples.values().next(),
            Some(Value::Count(3))
        ));
    }

    #[test]
    fn times_become_unix_seconds_with_their_fraction() {
        let at = |text: &str| -> Timestamp {
            match crate::time::parse_leading(text.as_bytes()) {
                Some((crate::time::RawTime::Full(ts), _)) => ts,
                other => panic!("{other:?}"),
            }
        };
        assert_eq!(unix_seconds(at("2026-11-21T08:00:04+00:00")), "1795248004");
        assert_eq!(unix_seconds(at("2026-11-21T09:00:04+01:00")), "1795248004");
        assert_eq!(
            unix_seconds(at("2026-11-21T08:00:04.250-05:30")),
            "1795267804.25"
        );
        assert_eq!(unix_seconds(at("1969-12-31T23:59:59.5Z")), "-0.5");
    }
}
