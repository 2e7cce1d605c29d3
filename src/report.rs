//! Joining a [`Tally`] with the knowledge base into a [`Report`]: rows in a fixed order, each
//! with its name, share, destinations and advice; `--by` rows; `--fail-on` results; and
//! `--redact` applied to every address. Renderers only lay this out; nothing here writes bytes.

use std::borrow::Cow;
use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};
use std::sync::LazyLock;

use chrono::{NaiveDateTime, NaiveTime};
use regex::Regex;

use crate::aggregate::{
    CodeKey, Dimension, Example, Group, KeyCounter, Tally, UnmatchedLine, widen,
};
use crate::codes::{Class, EnhancedCode, Permanence};
use crate::incident::Incident;
use crate::kb::{self, Advice};
use crate::kinds::{Kinds, Tier};
use crate::outcome::OutcomeSummary;
use crate::parse::diagnostic::Severity;
use crate::parse::diverted::Diversion;
use crate::parse::restart::Restart;
use crate::threshold::Threshold;
use crate::time::Timestamp;

/// The version of the JSON summary's layout; raised on any change that breaks readers.
pub const SCHEMA_VERSION: u32 = 3;

/// One input as the report names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputSummary {
    /// The name as given.
    pub name: String,
    /// `syslog` or `exim`, or empty when it could not be opened.
    pub format: &'static str,
    /// `gzip`, `zstd`, ... or `none`.
    pub compression: &'static str,
    /// Whether it was read to its end.
    pub complete: bool,
    /// The time of its first dated line, which puts regular files in reading order; `None`
    /// for standard input, pipes and inputs that could not be read, which keep their place.
    pub start: Option<chrono::NaiveDateTime>,
}

/// How the report is built.
#[derive(Clone, Debug, Default)]
pub struct ReportSettings {
    /// Destinations listed per code.
    pub top: usize,
    /// The `--by` dimension.
    pub by: Option<Dimension>,
    /// `--fail-on` conditions.
    pub thresholds: Vec<Threshold>,
    /// Whether local parts of addresses are replaced by a hash.
    pub redact: bool,
    /// Example lines shown per entry (`--examples`).
    pub examples: usize,
}

/// One row of the codes table.
#[derive(Clone, Debug)]
pub struct CodeRow {
    /// Who sent the reply, and the codes.
    pub key: CodeKey,
    /// How many events.
    pub count: u64,
    /// `count` over all outcomes, 0 to 1.
    pub share: f64,
    /// Distinct messages among them.
    pub messages: u64,
    /// Whether `messages` is an estimate.
    pub messages_approximate: bool,
    /// The earliest time seen.
    pub first_seen: Option<Timestamp>,
    /// The latest time seen.
    pub last_seen: Option<Timestamp>,
    /// The most frequent destinations (outbound) or clients (inbound) with their counts.
    pub top: Vec<(String, u64)>,
    /// Whether the destination counts are lower bounds.
    pub top_approximate: bool,
    /// How far below the true count a destination's count can be.
    pub top_max_undercount: u64,
    /// The most frequent reason.
    pub reason: &'static str,
    /// Every reason seen with the code, most frequent first.
    pub reasons: Vec<(&'static str, u64)>,
    /// What the knowledge base says, for the first text seen with the code.
    pub advice: Advice,
    /// The first example lines.
    pub examples: Vec<Example>,
}

impl CodeRow {
    /// The class of the codes.
    pub fn class(&self) -> Class {
        self.key.class
    }

    /// Matches the class.
    pub fn permanence(&self) -> Permanence {
        self.key.class.permanence()
    }
}

/// One row of `--format csv`: a code, or with `--by` a (key, code) pair.
#[derive(Clone, Debug)]
pub struct CsvRow {
    /// The `--by` key, when grouping.
    pub key: Option<String>,
    /// The class.
    pub class: Class,
    /// The reply code.
    pub reply: Option<u16>,
    /// The enhanced code (or `dsn=`).
    pub enhanced: Option<EnhancedCode>,
    /// The name of the codes.
    pub name: String,
    /// How many outcomes.
    pub count: u64,
    /// Over all outcomes, 0 to 1.
    pub share: f64,
    /// The earliest time.
    pub first_seen: Option<Timestamp>,
    /// The latest time.
    pub last_seen: Option<Timestamp>,
    /// The most frequent destination and its count.
    pub top_domain: Option<(String, u64)>,
    /// The most frequent reason.
    pub reason: &'static str,
    /// How to fix it.
    pub advice: String,
}

/// A `--fail-on` condition and what the log gave.
#[derive(Clone, Debug)]
pub struct ThresholdResult {
    /// The condition.
    pub threshold: Threshold,
    /// Matching outcomes.
    pub count: u64,
    /// Whether the condition holds.
    pub met: bool,
}

/// Everything a renderer needs.
#[derive(Clone, Debug)]
pub struct Report {
    /// The inputs in the order read: files oldest first.
    pub inputs: Vec<InputSummary>,
    /// The tally behind it.
    pub tally: Tally,
    /// The codes table, most frequent first.
    pub rows: Vec<CodeRow>,
    /// Per-host refusals, most frequent first.
    pub refusals: Vec<CodeRow>,
    /// Reject warnings, most frequent first.
    pub reject_warnings: Vec<CodeRow>,
    /// The `--top` clients that failed postscreen's tests most, redacted never: they are
    /// addresses, not mailboxes.
    pub failing_clients: Vec<(String, u64)>,
    /// The `--top` blocklists that listed screened clients most.
    pub screening_lists: Vec<(String, u64)>,
    /// The kinds of the MTA's own problems, worst severity first.
    pub diagnostics: KindSection<Severity>,
    /// The kinds of messages rules held, discarded or redirected, and of those Exim froze.
    pub diversions: KindSection<Diversion>,
    /// The kinds of the MTA's starts, reloads and stops.
    pub restarts: KindSection<Restart>,
    /// The rows of `--format csv`.
    pub csv_rows: Vec<CsvRow>,
    /// The `--by` dimension of `csv_rows`.
    pub by: Option<Dimension>,
    /// Whether `--by` groups were dropped by the memory cap.
    pub groups_approximate: bool,
    /// `--fail-on` results, in the order given.
    pub thresholds: Vec<ThresholdResult>,
    /// The unmatched lines kept for `--unmatched`, redacted as asked.
    pub unmatched: Vec<UnmatchedLine>,
    /// What the followed messages came to; empty when none were followed.
    pub outcomes: OutcomeSummary,
    /// Failure spikes, largest first, with the advice for their code.
    pub incidents: Vec<IncidentRow>,
    /// Whether addresses are redacted.
    pub redacted: bool,
}

/// One kind of line summed up by tier: a problem the MTA reported about itself, a message a
/// rule set aside.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KindRow<T> {
    /// Its tier: a severity, a rule's action.
    pub tier: T,
    /// The program that wrote it (`postfix/smtpd`).
    pub program: String,
    /// The message, with what differs from line to line replaced.
    pub shape: String,
    /// Lines of this kind.
    pub count: u64,
    /// The first line of this kind, redacted as asked.
    pub example: Option<Example>,
    /// What to do about it, when the kind is a known one.
    pub advice: Option<&'static str>,
}

/// The kinds of one section, as the report lists them.
#[derive(Clone, Debug)]
pub struct KindSection<T> {
    /// The `--top` most frequent kinds of each tier, in the tiers' order.
    pub top: Vec<KindRow<T>>,
    /// Every kind kept, in the same order, for the summary's state.
    pub all: Vec<KindRow<T>>,
}

impl<T: Tier> KindSection<T> {
    /// The rows of `kinds`, as many and with as many examples as `settings` ask, redacted if
    /// they ask it, and with the advice `hint` gives for a shape.
    fn new(
        kinds: &Kinds<T>,
        settings: &ReportSettings,
        hint: fn(&str, &str) -> Option<&'static str>,
    ) -> Self {
        let rows = |top: usize| {
            kinds
                .top_rows(top)
                .into_iter()
                .map(|row| KindRow {
                    tier: row.tier,
                    program: row.program.to_string(),
                    // Shapes fold the addresses they can tell; this catches any other.
                    shape: redact_if(row.shape, settings.redact).into_owned(),
                    advice: hint(row.program, row.shape),
                    count: row.count,
                    example: row
                        .example
                        .filter(|_| settings.examples > 0)
                        .map(|example| Example {
                            text: redact_if(&example.text, settings.redact).into_owned(),
                            ..example.clone()
                        }),
                })
                .collect()
        };
        KindSection {
            top: rows(settings.top),
            all: rows(usize::MAX),
        }
    }

    /// Whether any kind listed has advice of its own.
    pub fn has_kind_advice(&self) -> bool {
        self.top.iter().any(|row| row.advice.is_some())
    }

    /// Whether the report gives the advice for a whole tier: when a kind listed under it has
    /// no advice of its own, and always for the tiers that ask for it.
    pub fn wants_advice(&self, kinds: &Kinds<T>, tier: T) -> bool {
        kinds.count(tier) > 0
            && (tier.always_advised()
                || self
                    .top
                    .iter()
                    .any(|row| row.tier == tier && row.advice.is_none()))
    }
}

/// An incident with what the knowledge base says of its code.
#[derive(Clone, Debug)]
pub struct IncidentRow {
    /// The window, destination, code and counts.
    pub incident: Incident,
    /// The names of the codes.
    pub name: String,
    /// The most frequent reason of the code.
    pub reason: &'static str,
    /// How to fix it.
    pub fix: String,
    /// The first line in the window that failed so, as `(file, line)`; none in a report made
    /// from merged summaries.
    pub example: Option<(String, u64)>,
}

/// One row of the failures-over-time table: an hour, or a day for a log of more than two days.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimelineRow {
    /// The start of the hour or day.
    pub start: NaiveDateTime,
    /// Outcomes of class 4xx in it.
    pub transient: u64,
    /// Outcomes of class 5xx in it.
    pub permanent: u64,
    /// Starts, reloads and stops of the MTA in it.
    pub restarts: u64,
}

/// The failures over time, as the text and Markdown reports tabulate them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FailureTimeline {
    /// Whether a row is a day rather than an hour.
    pub by_day: bool,
    /// The rows with an outcome or a start, reload or stop, oldest first.
    pub rows: Vec<TimelineRow>,
}

impl FailureTimeline {
    /// The rows of `tally`; `None` when it counted no failure. Hours read well up to two
    /// days; beyond that, days. A start, reload or stop of the MTA gets a row of its own in
    /// an hour without outcomes.
    pub fn of(tally: &Tally) -> Option<FailureTimeline> {
        let failures: u64 = tally
            .hours
            .values()
            .map(|c| c.get(Class::Transient) + c.get(Class::Permanent))
            .sum();
        if failures == 0 {
            return None;
        }
        let by_day = tally.hours.len() > 48;
        let period = |hour: &NaiveDateTime| {
            if by_day {
                hour.date().and_time(NaiveTime::MIN)
            } else {
                *hour
            }
        };
        let mut rows: BTreeMap<NaiveDateTime, TimelineRow> = BTreeMap::new();
        for (hour, counts) in &tally.hours {
            let start = period(hour);
            let row = rows
                .entry(start)
                .or_insert_with(|| TimelineRow::empty(start));
            row.transient += counts.get(Class::Transient);
            row.permanent += counts.get(Class::Permanent);
        }
        for (hour, lines) in &tally.restart_hours {
            let start = period(hour);
            rows.entry(start)
                .or_insert_with(|| TimelineRow::empty(start))
                .restarts += lines;
        }
        Some(FailureTimeline {
            by_day,
            rows: rows.into_values().collect(),
        })
    }

    /// Whether any row has a start, reload or stop of the MTA.
    pub fn has_restarts(&self) -> bool {
        self.rows.iter().any(|row| row.restarts > 0)
    }

    /// A row's label: `2026-11-21` for a day, `2026-11-21 08:00` for an hour.
    pub fn label(&self, row: &TimelineRow) -> String {
        if self.by_day {
            row.start.format("%Y-%m-%d").to_string()
        } else {
            row.start.format("%Y-%m-%d %H:00").to_string()
        }
    }
}

impl TimelineRow {
    fn empty(start: NaiveDateTime) -> Self {
        TimelineRow {
            start,
            transient: 0,
            permanent: 0,
            restarts: 0,
        }
    }
}

/// Incidents listed at most.
pub const INCIDENT_CAP: usize = 20;

impl Report {
    /// The rows of codes that are not a success: the ones that get advice.
    pub fn failure_rows(&self) -> Vec<&CodeRow> {
        self.rows
            .iter()
            .filter(|row| row.class() != Class::Success)
            .collect()
    }

    /// Builds the report, following the messages still open to the end of the log.
    pub fn new(inputs: Vec<InputSummary>, mut tally: Tally, settings: &ReportSettings) -> Report {
        let outcomes = outcome_summary(&mut tally);
        Report::with_outcomes(inputs, tally, outcomes, settings)
    }

    /// Builds the report with message outcomes worked out elsewhere, as merged summaries have
    /// them.
    pub fn with_outcomes(
        inputs: Vec<InputSummary>,
        tally: Tally,
        mut outcomes: OutcomeSummary,
        settings: &ReportSettings,
    ) -> Report {
        let mut tally = tally;
        if settings.redact {
            for lost in &mut outcomes.lost_examples {
                lost.recipient = redact_addresses(&lost.recipient).into_owned();
            }
        }
        let total = tally.events();
        let rows = code_rows(&tally.codes_by_count(), total, settings);
        let refusals = code_rows(&tally.refusals_by_count(), tally.refusal_count(), settings);
        let reject_warnings = code_rows(
            &tally.reject_warnings_by_count(),
            tally.reject_warning_count(),
            settings,
        );
        let failing_clients = top_entries(tally.screenings.failing_clients(), settings.top);
        let screening_lists = top_entries(tally.screenings.lists(), settings.top);
        let diagnostics = KindSection::new(&tally.diagnostics, settings, kb::problems::hint);
        let diversions =
            KindSection::new(&tally.diversions, settings, kb::problems::diversion_hint);
        let restarts = KindSection::new(&tally.restarts, settings, |_, _| None);
        let csv_rows = match settings.by {
            None => csv_rows_by_code(&rows, total),
            Some(_) => csv_rows_by_group(&tally, &rows, total),
        };
        let incidents = incident_rows(&mut tally, &rows);
        let thresholds = settings
            .thresholds
            .iter()
            .map(|threshold| {
                let count = tally
                    .codes
                    .iter()
                    .filter(|(key, _)| {
                        threshold
                            .selector
                            .matches_codes(key.class, key.reply, key.enhanced)
                    })
                    .map(|(_, group)| group.count)
                    .sum();
                ThresholdResult {
                    threshold: threshold.clone(),
                    count,
                    met: threshold.holds(count, total),
                }
            })
            .collect();
        let unmatched = tally
            .unmatched
            .iter()
            .map(|u| UnmatchedLine {
                file: u.file.clone(),
                line: u.line,
                text: redact_if(&u.text, settings.redact).into_owned(),
            })
            .collect();
        Report {
            inputs,
            outcomes,
            incidents,
            redacted: settings.redact,
            groups_approximate: tally.groups_dropped_max > 0,
            by: settings.by,
            tally,
            rows,
            refusals,
            reject_warnings,
            failing_clients,
            screening_lists,
            diagnostics,
            diversions,
            restarts,
            csv_rows,
            thresholds,
            unmatched,
        }
    }

    /// Whether any `--fail-on` condition holds.
    pub fn threshold_met(&self) -> bool {
        self.thresholds.iter().any(|t| t.met)
    }
}

fn incident_rows(tally: &mut Tally, rows: &[CodeRow]) -> Vec<IncidentRow> {
    tally.spikes.merge(std::mem::take(&mut tally.chunk_spikes));
    tally
        .spikes
        .incidents()
        .into_iter()
        .take(INCIDENT_CAP)
        .map(|incident| {
            let row = rows.iter().find(|row| row.key == incident.code);
            IncidentRow {
                name: row.map(|r| r.advice.name.clone()).unwrap_or_default(),
                reason: row.map_or("other", |r| r.reason),
                fix: row.map(|r| r.advice.fix.clone()).unwrap_or_default(),
                example: tally
                    .spikes
                    .example_of(&incident)
                    .map(|(file, line)| (file.to_string(), line)),
                incident,
            }
        })
        .collect()
}

/// Follows the messages still open to the end of the log.
fn outcome_summary(tally: &mut Tally) -> OutcomeSummary {
    let mut follower = std::mem::take(&mut tally.follower);
    follower.follow(&std::mem::take(&mut tally.sightings));
    follower.finish()
}

/// The `n` largest counts of a counter, as a report lists them.
fn top_entries(counter: &KeyCounter, n: usize) -> Vec<(String, u64)> {
    counter
        .top(n)
        .into_iter()
        .map(|(key, count)| (key.to_string(), count))
        .collect()
}

fn code_rows(groups: &[(&CodeKey, &Group)], total: u64, settings: &ReportSettings) -> Vec<CodeRow> {
    groups
        .iter()
        .map(|(key, group)| {
            // Advise on the text behind the most frequent reason, so that the advice and the
            // reason shown agree.
            let reason = group.main_reason();
            let text = group
                .reason_texts
                .get(reason)
                .map_or("", |e| e.text.as_str());
            CodeRow {
                key: **key,
                count: group.count,
                share: share(group.count, total),
                messages: group.messages.count(),
                messages_approximate: group.messages.approximate(),
                first_seen: group.first_seen,
                last_seen: group.last_seen,
                top: top_entries(&group.destinations, settings.top),
                top_approximate: group.destinations.approximate(),
                top_max_undercount: group.destinations.max_undercount(),
                reason,
                reasons: {
                    let mut reasons: Vec<_> = group.reasons.iter().map(|(r, c)| (*r, *c)).collect();
                    reasons.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
                    reasons
                },
                advice: kb::advice(key.reply, key.enhanced, text, key.direction),
                examples: group
                    .examples
                    .iter()
                    .map(|e| Example {
                        file: e.file.clone(),
                        line: e.line,
                        text: redact_if(&e.text, settings.redact).into_owned(),
                    })
                    .collect(),
            }
        })
        .collect()
}

/// What a CSV row stands for: the codes without the direction, which the contract's columns
/// do not have. A line without any code keeps its reason, so that codeless relay refusals,
/// greylistings and timeouts stay apart, each with its own name and advice.
type CsvKey = (
    Class,
    Option<u16>,
    Option<EnhancedCode>,
    Option<&'static str>,
);

fn csv_key(key: &CodeKey) -> CsvKey {
    (key.class, key.reply, key.enhanced, key.codeless_reason)
}

/// Fills a missing top destination from a smaller piece. A row's top destination otherwise
/// stays that of its largest piece, the one its name and advice come from: a client of ours
/// beside advice for a remote server's refusal would send the reader the wrong way.
fn fill_missing_top(best: &mut Option<(String, u64)>, candidate: Option<(String, u64)>) {
    if best.is_none() {
        *best = candidate;
    }
}

/// Adds rows with the same `--by` key and [`CsvKey`] together. `pieces` come largest first,
/// so the name, reason and advice of a merged row are those of its largest piece (the
/// direction with more outcomes).
fn merge_csv_rows(pieces: impl Iterator<Item = (CsvKey, CsvRow)>, total: u64) -> Vec<CsvRow> {
    let mut merged: Vec<CsvRow> = Vec::new();
    let mut index: HashMap<(Option<String>, CsvKey), usize> = HashMap::new();
    for (key, piece) in pieces {
        match index.get(&(piece.key.clone(), key)) {
            Some(&at) => {
                let existing = &mut merged[at];
                existing.count += piece.count;
                existing.share = share(existing.count, total);
                widen(
                    &mut existing.first_seen,
                    &mut existing.last_seen,
                    piece.first_seen,
                );
                widen(
                    &mut existing.first_seen,
                    &mut existing.last_seen,
                    piece.last_seen,
                );
                fill_missing_top(&mut existing.top_domain, piece.top_domain);
            }
            None => {
                index.insert((piece.key.clone(), key), merged.len());
                merged.push(piece);
            }
        }
    }
    sort_csv(&mut merged);
    merged
}

/// One CSV row per codes: both directions of a code are added together.
fn csv_rows_by_code(rows: &[CodeRow], total: u64) -> Vec<CsvRow> {
    let pieces = rows.iter().map(|row| {
        (
            csv_key(&row.key),
            CsvRow {
                key: None,
                class: row.key.class,
                reply: row.key.reply,
                enhanced: row.key.enhanced,
                name: row.advice.name.clone(),
                count: row.count,
                share: row.share,
                first_seen: row.first_seen,
                last_seen: row.last_seen,
                top_domain: row.top.first().cloned(),
                reason: row.reason,
                advice: row.advice.fix.clone(),
            },
        )
    });
    merge_csv_rows(pieces, total)
}

/// One CSV row per (key, codes), merged over directions as in [`csv_rows_by_code`].
fn csv_rows_by_group(tally: &Tally, rows: &[CodeRow], total: u64) -> Vec<CsvRow> {
    let advice: HashMap<CodeKey, &CodeRow> = rows.iter().map(|r| (r.key, r)).collect();
    let mut groups: Vec<_> = tally.groups.iter().collect();
    groups.sort_by(|a, b| b.1.count.cmp(&a.1.count).then_with(|| a.0.cmp(b.0)));
    let pieces = groups.into_iter().map(|((value, key), group)| {
        let row = advice.get(key);
        (
            csv_key(key),
            CsvRow {
                key: Some(value.to_string()),
                class: key.class,
                reply: key.reply,
                enhanced: key.enhanced,
                name: row.map(|r| r.advice.name.clone()).unwrap_or_default(),
                count: group.count,
                share: share(group.count, total),
                first_seen: group.first_seen,
                last_seen: group.last_seen,
                top_domain: group
                    .destinations
                    .top(1)
                    .first()
                    .map(|(d, c)| (d.to_string(), *c)),
                reason: group.main_reason(),
                advice: row.map(|r| r.advice.fix.clone()).unwrap_or_default(),
            },
        )
    });
    merge_csv_rows(pieces, total)
}

/// Count descending, then the key, then the codes: a fixed order.
fn sort_csv(rows: &mut [CsvRow]) {
    rows.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then_with(|| a.key.cmp(&b.key))
            .then_with(|| a.class.cmp(&b.class))
            .then_with(|| a.reply.cmp(&b.reply))
            .then_with(|| a.enhanced.cmp(&b.enhanced))
            .then_with(|| a.reason.cmp(b.reason))
    });
}

fn share(count: u64, total: u64) -> f64 {
    if total == 0 {
        0.0
    } else {
        count as f64 / total as f64
    }
}

static ADDRESS: LazyLock<Regex> = LazyLock::new(|| {
    // A local part is an atom or a quoted string (`"john doe"@example.org`), which may hold
    // spaces and other characters an atom may not.
    Regex::new(r#"("[^"\\\r\n]*"|[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+)@([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+)"#)
        .expect("the address pattern compiles")
});

fn redact_if(text: &str, redact: bool) -> Cow<'_, str> {
    if redact {
        redact_addresses(text)
    } else {
        Cow::Borrowed(text)
    }
}

/// Replaces the local part of every address in `text` by a short hash of it, the same for the
/// same address in every run, and keeps the domain: `bob@example.org` becomes
/// `u-1a2b3c4d@example.org`.
pub fn redact_addresses(text: &str) -> Cow<'_, str> {
    ADDRESS.replace_all(text, |caps: &regex::Captures<'_>| {
        // A local part redacted already stays as it is, so that summaries redacted when
        // written keep their hashes when merged with --redact.
        if is_redacted(&caps[1]) {
            return caps[0].to_string();
        }
        let mut hasher = DefaultHasher::new();
        caps[1].to_ascii_lowercase().hash(&mut hasher);
        format!("u-{:08x}@{}", hasher.finish() as u32, &caps[2])
    })
}

/// Whether a local part is one [`redact_addresses`] wrote: `u-` and eight hex digits.
fn is_redacted(local: &str) -> bool {
    local.len() == 10
        && local.starts_with("u-")
        && local[2..]
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aggregate::TallyOptions;
    use crate::codes::{Action, Direction};
    use crate::event::Event;

    fn event(
        direction: Direction,
        action: Action,
        codes: Option<(u16, &str)>,
        reason: &'static str,
        text: &'static str,
    ) -> Event<'static> {
        let mut e = Event::with_codes(direction, action, codes, reason);
        e.text = text.into();
        e.recipient = "someone@example.org";
        e.remote_ip = "192.0.2.7";
        e
    }

    fn report(events: &[Event<'static>], by: Option<Dimension>) -> Report {
        let options = TallyOptions {
            examples: 2,
            by,
            keep_unmatched: false,
            incident_review: false,
        };
        let tally = Tally::of(events, &options);
        let settings = ReportSettings {
            top: 10,
            by,
            ..ReportSettings::default()
        };
        Report::new(Vec::new(), tally, &settings)
    }

    #[test]
    fn csv_keeps_codeless_reasons_apart() {
        let relay = event(
            Direction::Inbound,
            Action::Rejected,
            None,
            "relay_denied",
            "relay not permitted",
        );
        let unrouteable = event(
            Direction::Inbound,
            Action::Rejected,
            None,
            "domain_not_found",
            "Unrouteable address",
        );
        let events = [relay.clone(), relay, unrouteable];
        for by in [None, Some(Dimension::Client), Some(Dimension::Reason)] {
            let report = report(&events, by);
            let rows: Vec<(u64, &str)> = report
                .csv_rows
                .iter()
                .map(|r| (r.count, r.reason))
                .collect();
            assert_eq!(
                rows,
                [(2, "relay_denied"), (1, "domain_not_found")],
                "{by:?}"
            );
            assert_ne!(report.csv_rows[0].name, report.csv_rows[1].name);
        }
    }

    #[test]
    fn csv_rows_take_their_name_from_the_larger_direction_with_or_without_by() {
        let inbound = event(
            Direction::Inbound,
            Action::Rejected,
            Some((550, "5.1.1")),
            "user_unknown",
            "<a@example.org>: Recipient address rejected: User unknown in virtual mailbox table",
        );
        let outbound = event(
            Direction::Outbound,
            Action::Bounced,
            Some((550, "5.1.1")),
            "user_unknown",
            "The email account that you tried to reach does not exist.",
        );
        // The inbound refusals, more in all, come from three clients; the outbound bounces all
        // go to one domain: the row's top destination must still be the inbound side's, the
        // side its advice is for.
        let client = |ip| {
            let mut refused = inbound.clone();
            refused.remote_ip = ip;
            refused
        };
        let events = [
            outbound.clone(),
            outbound.clone(),
            outbound,
            inbound.clone(),
            inbound.clone(),
            client("192.0.2.8"),
            client("192.0.2.9"),
        ];
        let plain = report(&events, None);
        let by_reason = report(&events, Some(Dimension::Reason));
        assert_eq!(plain.csv_rows.len(), 1);
        assert_eq!(by_reason.csv_rows.len(), 1);
        let inbound_row = plain
            .rows
            .iter()
            .find(|r| r.key.direction == Direction::Inbound)
            .unwrap();
        for row in [&plain.csv_rows[0], &by_reason.csv_rows[0]] {
            assert_eq!(row.count, 7);
            assert_eq!(row.name, inbound_row.advice.name);
            assert_eq!(row.advice, inbound_row.advice.fix);
            assert!(row.top_domain.is_some());
            assert_eq!(row.top_domain, inbound_row.top.first().cloned());
        }
        assert_ne!(plain.rows[0].advice.name, plain.rows[1].advice.name);
    }

    #[test]
    fn csv_top_domain_is_filled_by_a_later_direction() {
        let mut bare = event(
            Direction::Outbound,
            Action::Bounced,
            Some((554, "5.7.1")),
            "policy",
            "refused",
        );
        bare.recipient = "";
        let inbound = event(
            Direction::Inbound,
            Action::Rejected,
            Some((554, "5.7.1")),
            "policy",
            "refused",
        );
        let report = report(&[bare.clone(), bare, inbound], None);
        assert_eq!(report.csv_rows.len(), 1);
        assert_eq!(
            report.csv_rows[0].top_domain,
            Some(("192.0.2.7".to_string(), 1))
        );
    }

    #[test]
    fn redaction_hides_local_parts_and_keeps_domains() {
        let text =
            "<Bob.Smith@Example.org>: Recipient address rejected; also bob.smith@example.org";
        let redacted = redact_addresses(text);
        assert!(!redacted.contains("Bob.Smith") && !redacted.contains("bob.smith"));
        assert!(redacted.contains("@Example.org>") && redacted.contains("@example.org"));
        let hashes: Vec<&str> = redacted.matches("u-").collect();
        assert_eq!(hashes.len(), 2);
        assert_eq!(redact_addresses(text), redacted, "stable across calls");
        assert_eq!(
            redact_addresses(&redacted),
            redacted,
            "a second pass changes nothing"
        );
        assert_eq!(
            redact_addresses("no address here 5.1.1"),
            "no address here 5.1.1"
        );
        // A quoted local part, spaces and all, is hidden as a whole.
        let quoted = redact_addresses(r#"to=<"john doe"@example.org>, said "hi" to x@y.example"#);
        assert!(!quoted.contains("john"), "{quoted}");
        assert!(quoted.contains("@example.org>") && quoted.contains(r#"said "hi" to u-"#));
    }
}
