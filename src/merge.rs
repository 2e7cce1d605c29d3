//! Summaries that combine: the `state` section of `report --format json`, which holds what the
//! visible fields are made from, and `mailsift merge`, which reads summaries back and adds
//! them into one tally, as if their logs had been read in one run.
//!
//! What adds up exactly: line, class, action, reason and hour counts; every code's count,
//! first and last time, reasons and destinations (heavy hitters keep their stated bound);
//! distinct messages (exact hashes, or HyperLogLog registers, which merge to the registers of
//! the whole); the spike-detection series (bucket counts add), so incidents are found again on
//! the whole; and the example lines, which are taken again in the reading order of every input
//! together. Message outcomes add up exactly when no message's life is split between two
//! summaries (one summary per host); a message that is, is counted in each.

use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use crate::aggregate::{
    CODE_DESTINATION_CAP, ClassCounts, CodeKey, Distinct, Example, Group, KeyCounter, Map, Tally,
    TallyOptions,
};
use crate::codes::{Action, Class, Direction, EnhancedCode};
use crate::detect;
use crate::event::LogFormat;
use crate::incident::{Destination, provider_named};
use crate::input::{self, Compression, InputSpec};
use crate::kb;
use crate::kinds::{Kinds, Tier};
use crate::outcome::{Delays, Ending, LostRecipient, OutcomeSummary};
use crate::parse::postscreen::Verdict;
use crate::pipeline::{self, LineCounts};
use crate::report::{CodeRow, InputSummary, KindSection, Report, ReportSettings, SCHEMA_VERSION};
use crate::screening::{FAILING_CLIENT_CAP, LIST_CAP, Screenings};
use crate::time::{self, RawTime, Timestamp};

/// The most example lines a summary can hold per code (`--examples` at most).
const EXAMPLES_HELD: usize = 100;

/// A problem with one summary, named in the message.
#[derive(Debug, thiserror::Error)]
#[error("{name}: {message}")]
pub struct SummaryError {
    /// The summary's name as given.
    pub name: String,
    /// What is wrong.
    pub message: String,
}

/// The `state` section: what `merge` needs beyond the visible fields.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct State {
    /// For each entry of `inputs`, the time of its first dated line, which orders regular
    /// files; null for standard input, pipes and unreadable inputs.
    input_starts: Vec<Option<String>>,
    /// Distinct messages among all outcomes.
    messages: DistinctState,
    /// Every code's group, outcomes first, in the order of `codes`.
    codes: Vec<GroupState>,
    /// Per-host refusals, in the order of `refusals`.
    refusals: Vec<GroupState>,
    /// Reject warnings, in the order of `reject_warnings`.
    reject_warnings: Vec<GroupState>,
    /// postscreen's verdicts and dnsblog's listings.
    postscreen: ScreeningState,
    /// The MTA's own problems, per severity that occurred; absent from summaries written
    /// before they were counted, which merge as having none.
    #[serde(default)]
    diagnostics: Vec<TierState>,
    /// The messages rules set aside, per action that occurred; absent from older summaries.
    #[serde(default)]
    diverted: Vec<TierState>,
    /// The MTA's starts, reloads and stops, per event that occurred; absent from older
    /// summaries.
    #[serde(default)]
    restarts: Vec<TierState>,
    /// Spike-detection series, per domain and for all destinations.
    spikes: Vec<SeriesState>,
    /// The provider of each domain, from the first relay host named for it; empty when that
    /// host is no known provider's.
    providers: BTreeMap<String, String>,
    /// What the followed messages came to.
    outcomes: OutcomesState,
}

/// [`Screenings`]: lines per verdict, and every failing client and blocklist kept with its
/// count.
#[derive(Debug, Default, Serialize, Deserialize)]
struct ScreeningState {
    verdicts: BTreeMap<String, u64>,
    failing_clients: BTreeMap<String, u64>,
    failing_clients_max_undercount: u64,
    lists: BTreeMap<String, u64>,
    lists_max_undercount: u64,
}

/// One tier of [`Kinds`]: its lines and every kind kept, with its first line.
#[derive(Debug, Serialize, Deserialize)]
struct TierState {
    #[serde(alias = "severity")]
    tier: String,
    lines: u64,
    kinds: Vec<KindState>,
    max_undercount: u64,
}

#[derive(Debug, Serialize, Deserialize)]
struct KindState {
    program: String,
    kind: String,
    count: u64,
    example: Option<ExampleState>,
}

/// The tiers that have lines, with every kind the report kept.
fn tier_states<T: Tier>(
    kinds: &Kinds<T>,
    section: &KindSection<T>,
    inputs: &[InputSummary],
) -> Vec<TierState> {
    T::ALL
        .iter()
        .filter(|tier| kinds.count(**tier) > 0)
        .map(|&tier| TierState {
            tier: tier.label().to_string(),
            lines: kinds.count(tier),
            kinds: section
                .all
                .iter()
                .filter(|row| row.tier == tier)
                .map(|row| KindState {
                    program: row.program.clone(),
                    kind: row.shape.clone(),
                    count: row.count,
                    example: row.example.as_ref().map(|e| example_state(e, inputs)),
                })
                .collect(),
            max_undercount: kinds.shapes(tier).max_undercount(),
        })
        .collect()
}

fn kinds_of<T: Tier>(states: &[TierState], inputs: &[InputSummary]) -> Result<Kinds<T>, String> {
    let mut kinds = Kinds::default();
    for state in states {
        let tier = by_label(T::ALL, T::label, &state.tier, T::NAME)?;
        let counted = state
            .kinds
            .iter()
            .map(|kind| {
                let key = format!("{} {}", kind.program, kind.kind).into_boxed_str();
                let example = kind.example.as_ref().map(|e| example_of(e, inputs));
                Ok((key, kind.count, example.transpose()?))
            })
            .collect::<Result<Vec<_>, String>>()?;
        kinds.add_counted(tier, state.lines, counted, state.max_undercount);
    }
    Ok(kinds)
}

fn example_state(example: &Example, inputs: &[InputSummary]) -> ExampleState {
    ExampleState {
        input: inputs
            .iter()
            .position(|i| i.name == example.file)
            .unwrap_or(0),
        line: example.line,
        text: example.text.clone(),
    }
}

fn example_of(state: &ExampleState, inputs: &[InputSummary]) -> Result<Example, String> {
    let input = inputs
        .get(state.input)
        .ok_or_else(|| format!("an example names input {} of {}", state.input, inputs.len()))?;
    Ok(Example {
        file: input.name.clone(),
        line: state.line,
        text: state.text.clone(),
    })
}

/// The entries of a counter, for a summary's state.
fn counter_entries(counter: &KeyCounter) -> BTreeMap<String, u64> {
    counter
        .entries()
        .into_iter()
        .map(|(key, count)| (key.to_string(), count))
        .collect()
}

/// A counter from a summary's state.
fn counter_of(cap: usize, entries: &BTreeMap<String, u64>, max_undercount: u64) -> KeyCounter {
    KeyCounter::from_entries(
        cap,
        entries
            .iter()
            .map(|(key, count)| (key.as_str().into(), *count)),
        max_undercount,
    )
}

fn screening_state(screenings: &Screenings) -> ScreeningState {
    let failing = screenings.failing_clients();
    ScreeningState {
        verdicts: Verdict::ALL
            .into_iter()
            .filter(|v| screenings.count(*v) > 0)
            .map(|v| (v.label().to_string(), screenings.count(v)))
            .collect(),
        failing_clients: counter_entries(failing),
        failing_clients_max_undercount: failing.max_undercount(),
        lists: counter_entries(screenings.lists()),
        lists_max_undercount: screenings.lists().max_undercount(),
    }
}

fn screenings_of(state: &ScreeningState) -> Result<Screenings, String> {
    let counts = state
        .verdicts
        .iter()
        .map(|(label, count)| {
            let verdict = by_label(&Verdict::ALL, Verdict::label, label, "postscreen verdict")?;
            Ok((verdict, *count))
        })
        .collect::<Result<Vec<_>, String>>()?;
    let failing = counter_of(
        FAILING_CLIENT_CAP,
        &state.failing_clients,
        state.failing_clients_max_undercount,
    );
    let lists = counter_of(LIST_CAP, &state.lists, state.lists_max_undercount);
    Ok(Screenings::from_parts(counts, failing, lists))
}

/// A [`Distinct`]: exact hashes (little-endian u64, base64) or HyperLogLog registers (base64).
#[derive(Debug, Default, Serialize, Deserialize)]
struct DistinctState {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    hashes: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    registers: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
struct CodeKeyState {
    direction: String,
    class: String,
    reply_code: Option<u16>,
    enhanced_code: Option<String>,
    codeless_reason: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
struct GroupState {
    key: CodeKeyState,
    count: u64,
    first_seen: Option<String>,
    last_seen: Option<String>,
    /// Every destination held.
    destinations: BTreeMap<String, u64>,
    destinations_max_undercount: u64,
    reasons: BTreeMap<String, u64>,
    /// The first reply text of each reason, and where it was read.
    reason_texts: BTreeMap<String, ExampleState>,
    messages: DistinctState,
    examples: Vec<ExampleState>,
}

#[derive(Debug, Serialize, Deserialize)]
struct ExampleState {
    /// The index of its file in `inputs`.
    input: usize,
    line: u64,
    text: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct SeriesState {
    /// `all` or `domain`.
    destination: String,
    /// The domain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    /// Failures of this code; attempts when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    code: Option<CodeKeyState>,
    /// `BUCKET:COUNT` pairs, comma-separated, buckets increasing: the first bucket counted in
    /// ten minutes since the epoch of the log's wall-clock time, each later one as the step
    /// from the one before. One line however long the series, and about a third the size of a
    /// JSON array.
    points: String,
    /// For a domain's failures, the first line of each bucket as `BUCKET:INPUT:LINE` triples,
    /// comma-separated, buckets stepped as in `points`; `INPUT` is the position in `inputs`.
    /// Where an incident's example line is found.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    first_lines: String,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct OutcomesState {
    messages: u64,
    recipients: u64,
    delivered_at_once: u64,
    delivered_after: [u64; 5],
    bounced_at_once: u64,
    bounced_after_deferral: u64,
    expired: u64,
    pending: u64,
    let_go: u64,
    notified: u64,
    delay_count: u64,
    delay_max: u64,
    /// Delays in seconds, little-endian u32, base64, while they are kept one by one.
    delays: String,
    /// The delay histogram, once they are not.
    delay_buckets: Vec<u64>,
    lost: Vec<LostState>,
}

#[derive(Debug, Serialize, Deserialize)]
struct LostState {
    id: String,
    recipient: String,
    ending: String,
    attempts: u32,
    deferrals: u32,
    first_attempt: Option<String>,
    last_attempt: Option<String>,
    reply_code: Option<u16>,
    enhanced_code: Option<String>,
    notification: Option<String>,
    file: String,
    line: u64,
}

/// `BUCKET:VALUE` items, comma-separated, each bucket written as the step from the one before.
fn stepped_text(items: impl Iterator<Item = (i64, String)>) -> String {
    let mut text = String::new();
    let mut previous = 0;
    for (index, (bucket, value)) in items.enumerate() {
        if index > 0 {
            text.push(',');
        }
        text.push_str(&format!("{}:{value}", bucket - previous));
        previous = bucket;
    }
    text
}

/// The items of a [`stepped_text`] as (bucket, value text); `what` names the shape of an item
/// in errors.
fn stepped_items<'a>(
    text: &'a str,
    what: &'a str,
) -> impl Iterator<Item = Result<(i64, &'a str), String>> + 'a {
    let mut bucket = 0i64;
    text.split(',')
        .filter(|item| !item.is_empty())
        .map(move |item| {
            let bad = || format!("spike series item {item:?} is not {what}");
            let (step, value) = item.split_once(':').ok_or_else(bad)?;
            bucket = bucket
                .checked_add(step.parse().map_err(|_| bad())?)
                .ok_or_else(bad)?;
            Ok((bucket, value))
        })
}

fn points_text(points: &[(i64, u64)]) -> String {
    stepped_text(
        points
            .iter()
            .map(|(bucket, count)| (*bucket, count.to_string())),
    )
}

fn points_of(text: &str) -> Result<Vec<(i64, u64)>, String> {
    stepped_items(text, "BUCKET:COUNT")
        .map(|item| {
            let (bucket, count) = item?;
            let count = count
                .parse()
                .map_err(|_| format!("spike series count {count:?} is not a number"))?;
            Ok((bucket, count))
        })
        .collect()
}

fn first_lines_text(firsts: &[(i64, &str, u64)], inputs: &[InputSummary]) -> String {
    stepped_text(firsts.iter().map(|(bucket, file, line)| {
        let input = inputs.iter().position(|i| i.name == *file).unwrap_or(0);
        (*bucket, format!("{input}:{line}"))
    }))
}

/// The first lines of a series read back, as (bucket, input name, line).
fn first_lines_of(text: &str, inputs: &[InputSummary]) -> Result<Vec<(i64, String, u64)>, String> {
    stepped_items(text, "BUCKET:INPUT:LINE")
        .map(|item| {
            let (bucket, value) = item?;
            let bad = || format!("spike series first line {value:?} is not INPUT:LINE");
            let (input, line) = value.split_once(':').ok_or_else(bad)?;
            let input: usize = input.parse().map_err(|_| bad())?;
            let name = inputs
                .get(input)
                .ok_or_else(|| format!("a first line names input {input} of {}", inputs.len()))?;
            Ok((bucket, name.name.clone(), line.parse().map_err(|_| bad())?))
        })
        .collect()
}

fn time_text(time: Option<Timestamp>) -> Option<String> {
    time.map(|t| t.to_string())
}

fn key_state(key: &CodeKey) -> CodeKeyState {
    CodeKeyState {
        direction: key.direction.label().to_string(),
        class: key.class.label().to_string(),
        reply_code: key.reply,
        enhanced_code: key.enhanced.map(|c| c.to_string()),
        codeless_reason: key.codeless_reason.map(str::to_string),
    }
}

fn distinct_state(distinct: &Distinct) -> DistinctState {
    match distinct.registers() {
        Some(registers) => DistinctState {
            hashes: None,
            registers: Some(BASE64.encode(registers)),
        },
        None => {
            let hashes = distinct.hashes().unwrap_or_default();
            let bytes: Vec<u8> = hashes.iter().flat_map(|h| h.to_le_bytes()).collect();
            DistinctState {
                hashes: Some(BASE64.encode(bytes)),
                registers: None,
            }
        }
    }
}

fn group_state(
    key: &CodeKey,
    group: &Group,
    examples: &[Example],
    inputs: &[InputSummary],
    redact: bool,
) -> GroupState {
    let example_state = |e: &Example| example_state(e, inputs);
    GroupState {
        key: key_state(key),
        count: group.count,
        first_seen: time_text(group.first_seen),
        last_seen: time_text(group.last_seen),
        destinations: counter_entries(&group.destinations),
        destinations_max_undercount: group.destinations.max_undercount(),
        reasons: group
            .reasons
            .iter()
            .map(|(r, c)| (r.to_string(), *c))
            .collect(),
        reason_texts: group
            .reason_texts
            .iter()
            .map(|(reason, first)| {
                let mut state = example_state(first);
                if redact {
                    state.text = crate::report::redact_addresses(&state.text).into_owned();
                }
                (reason.to_string(), state)
            })
            .collect(),
        messages: distinct_state(&group.messages),
        examples: examples.iter().map(example_state).collect(),
    }
}

/// The state of a report, for its JSON summary. Example lines and texts are taken as the
/// report shows them, so a redacted report's state is redacted too.
pub fn state_of(report: &Report) -> State {
    let tally = &report.tally;
    let groups = |rows: &[CodeRow], map: &Map<CodeKey, Group>| -> Vec<GroupState> {
        rows.iter()
            .filter_map(|row| {
                let group = map.get(&row.key)?;
                Some(group_state(
                    &row.key,
                    group,
                    &row.examples,
                    &report.inputs,
                    report.redacted,
                ))
            })
            .collect()
    };
    let spikes = tally
        .spikes
        .series()
        .into_iter()
        .map(|(destination, code, points)| {
            let (kind, name) = match destination {
                Destination::Domain(domain) => ("domain", Some(domain.to_string())),
                // Provider series are not kept: they are added up from their domains.
                Destination::All | Destination::Provider(_) => ("all", None),
            };
            let first_lines = match (destination, code) {
                (Destination::Domain(_), Some(code)) => {
                    first_lines_text(&tally.spikes.first_lines(destination, code), &report.inputs)
                }
                _ => String::new(),
            };
            SeriesState {
                destination: kind.to_string(),
                name,
                code: code.map(key_state),
                points: points_text(points),
                first_lines,
            }
        })
        .collect();
    let outcomes = &report.outcomes;
    let delays = outcomes.delay.exact_values().unwrap_or_default();
    State {
        input_starts: report
            .inputs
            .iter()
            .map(|i| {
                i.start.map(|local| {
                    Timestamp {
                        local,
                        offset: None,
                    }
                    .to_string()
                })
            })
            .collect(),
        messages: distinct_state(&tally.messages),
        codes: groups(&report.rows, &tally.codes),
        refusals: groups(&report.refusals, &tally.refusals),
        reject_warnings: groups(&report.reject_warnings, &tally.reject_warnings),
        postscreen: screening_state(&tally.screenings),
        diagnostics: tier_states(&tally.diagnostics, &report.diagnostics, &report.inputs),
        diverted: tier_states(&tally.diversions, &report.diversions, &report.inputs),
        restarts: tier_states(&tally.restarts, &report.restarts, &report.inputs),
        spikes,
        providers: tally
            .spikes
            .providers()
            .into_iter()
            .map(|(domain, provider)| (domain.to_string(), provider.to_string()))
            .collect(),
        outcomes: OutcomesState {
            messages: outcomes.messages,
            recipients: outcomes.recipients,
            delivered_at_once: outcomes.delivered_at_once,
            delivered_after: outcomes.delivered_after,
            bounced_at_once: outcomes.bounced_at_once,
            bounced_after_deferral: outcomes.bounced_after_deferral,
            expired: outcomes.expired,
            pending: outcomes.pending,
            let_go: outcomes.let_go,
            notified: outcomes.notified,
            delay_count: outcomes.delay.count(),
            delay_max: outcomes.delay.max(),
            delays: BASE64.encode(
                delays
                    .iter()
                    .flat_map(|d| d.to_le_bytes())
                    .collect::<Vec<u8>>(),
            ),
            delay_buckets: outcomes.delay.buckets().to_vec(),
            lost: outcomes
                .lost_examples
                .iter()
                .map(|lost| LostState {
                    id: lost.id.clone(),
                    recipient: lost.recipient.clone(),
                    ending: lost.ending.label().to_string(),
                    attempts: lost.attempts,
                    deferrals: lost.deferrals,
                    first_attempt: time_text(lost.first_attempt),
                    last_attempt: time_text(lost.last_attempt),
                    reply_code: lost.reply_code,
                    enhanced_code: lost.enhanced_code.map(|c| c.to_string()),
                    notification: lost.notification.clone(),
                    file: lost.file.clone(),
                    line: lost.line,
                })
                .collect(),
        },
    }
}

/// The visible fields `merge` reads; the rest of a summary is made again from them.
#[derive(Debug, Deserialize)]
struct SummaryFile {
    inputs: Vec<InputFile>,
    lines: LinesFile,
    first_seen: Option<String>,
    last_seen: Option<String>,
    read_from: Option<String>,
    read_to: Option<String>,
    formats: Vec<String>,
    by_class: BTreeMap<String, u64>,
    by_action: BTreeMap<String, u64>,
    by_reason: BTreeMap<String, u64>,
    hours: Vec<HourFile>,
    /// Absent from summaries written before starts and stops were counted.
    #[serde(default)]
    restarts: RestartsFile,
    state: State,
}

/// The part of a summary's `restarts` read back beside the state: its lines per hour.
#[derive(Debug, Default, Deserialize)]
struct RestartsFile {
    #[serde(default)]
    hours: Vec<RestartHourFile>,
}

#[derive(Debug, Deserialize)]
struct RestartHourFile {
    hour: String,
    lines: u64,
}

#[derive(Debug, Deserialize)]
struct InputFile {
    name: String,
    format: String,
    compression: String,
    complete: bool,
}

#[derive(Debug, Deserialize)]
struct LinesFile {
    read: u64,
    events: u64,
    no_outcome: u64,
    other_programs: u64,
    unmatched: u64,
    filtered_out: u64,
    over_long: u64,
    /// Absent from summaries written before reject logs were told apart.
    #[serde(default)]
    repeated: u64,
}

#[derive(Debug, Deserialize)]
struct HourFile {
    hour: String,
    by_class: BTreeMap<String, u64>,
}

/// A spike series read back: whom it is about, the code of its failures (none for attempts),
/// its (bucket, count) points, and for a domain's failures the first line of each bucket as
/// (bucket, input name, line).
type SeriesPoints = (
    Destination,
    Option<CodeKey>,
    Vec<(i64, u64)>,
    Vec<(i64, String, u64)>,
);

/// One summary read back.
#[derive(Debug)]
pub struct Part {
    inputs: Vec<InputSummary>,
    tally: Tally,
    outcomes: OutcomeSummary,
    /// Spike series, added to the merged tally once the parts are in order.
    spikes: Vec<SeriesPoints>,
    /// The provider of each domain.
    providers: Vec<(String, &'static str)>,
}

/// The bytes of a summary, decompressed as logs are.
fn read_bytes(spec: &InputSpec) -> Result<Vec<u8>, SummaryError> {
    let name = spec.display_name();
    let mut bytes = Vec::new();
    input::open(spec)
        .map_err(|e| SummaryError {
            name: name.clone(),
            message: format!("{}: {}", e.what, e.source),
        })?
        .reader
        .read_to_end(&mut bytes)
        .map_err(|e| SummaryError {
            name,
            message: format!("cannot read: {e}"),
        })?;
    Ok(bytes)
}

fn spec_of(path: &Path) -> InputSpec {
    if path.as_os_str() == "-" {
        InputSpec::Stdin
    } else {
        InputSpec::Path(path.to_path_buf())
    }
}

/// Reads the bytes of a summary.
pub fn parse_summary(bytes: &[u8]) -> Result<Part, String> {
    check_schema(bytes)?;
    let file: SummaryFile = serde_json::from_slice(bytes)
        .map_err(|e| format!("not a complete mailsift summary: {e}"))?;
    part_of(file)
}

/// Refuses what is not a summary of this schema version, before anything else is read.
fn check_schema(bytes: &[u8]) -> Result<(), String> {
    #[derive(Deserialize)]
    struct Version {
        schema_version: Option<u64>,
    }
    let version: Version = serde_json::from_slice(bytes)
        .map_err(|e| format!("not a JSON summary of mailsift report --format json ({e})"))?;
    match version.schema_version {
        Some(v) if v == u64::from(SCHEMA_VERSION) => Ok(()),
        Some(v) => Err(format!(
            "schema_version {v}, but this mailsift merges schema_version {SCHEMA_VERSION} \
             only; write the summary again with this mailsift's report --format json"
        )),
        None => Err(
            "no schema_version: not a summary written by mailsift report --format json".to_string(),
        ),
    }
}

/// A time as [`Timestamp`]'s `Display` writes it, read by the parser that reads log lines.
fn time_of(text: &str) -> Result<Timestamp, String> {
    match time::parse_leading(text.as_bytes()) {
        Some((RawTime::Full(time), used)) if used == text.len() => Ok(time),
        _ => Err(format!("{text:?} is not a time")),
    }
}

fn timestamp(text: &Option<String>) -> Result<Option<Timestamp>, String> {
    text.as_deref().map(time_of).transpose()
}

/// The one of `all` whose label is `text`; `what` names the kind in the error.
fn by_label<T: Copy>(
    all: &[T],
    label: impl Fn(T) -> &'static str,
    text: &str,
    what: &str,
) -> Result<T, String> {
    all.iter()
        .copied()
        .find(|item| label(*item) == text)
        .ok_or_else(|| format!("unknown {what} {text:?}"))
}

fn class_named(label: &str) -> Result<Class, String> {
    by_label(&Class::ALL, Class::label, label, "class")
}

fn reason_named(name: &str) -> Result<&'static str, String> {
    kb::reasons()
        .iter()
        .map(|(known, _)| *known)
        .find(|known| *known == name)
        .ok_or_else(|| format!("unknown reason {name:?}"))
}

fn enhanced(text: &Option<String>) -> Result<Option<EnhancedCode>, String> {
    text.as_deref()
        .map(|t| {
            t.parse()
                .map_err(|_| format!("{t:?} is not an enhanced code"))
        })
        .transpose()
}

fn code_key(state: &CodeKeyState) -> Result<CodeKey, String> {
    Ok(CodeKey {
        direction: by_label(
            &[Direction::Outbound, Direction::Inbound],
            Direction::label,
            &state.direction,
            "direction",
        )?,
        class: class_named(&state.class)?,
        reply: state.reply_code,
        enhanced: enhanced(&state.enhanced_code)?,
        codeless_reason: state
            .codeless_reason
            .as_deref()
            .map(reason_named)
            .transpose()?,
    })
}

fn distinct(state: &DistinctState) -> Result<Distinct, String> {
    let decode = |text: &str| {
        BASE64
            .decode(text)
            .map_err(|e| format!("distinct messages are not base64: {e}"))
    };
    match (&state.hashes, &state.registers) {
        (_, Some(registers)) => Distinct::from_registers(&decode(registers)?)
            .ok_or_else(|| "distinct messages: not 4096 registers".to_string()),
        (Some(hashes), None) => {
            let bytes = decode(hashes)?;
            if bytes.len() % 8 != 0 {
                return Err("distinct messages: hashes are not 8 bytes each".to_string());
            }
            Ok(Distinct::from_hashes(bytes.chunks_exact(8).map(|b| {
                u64::from_le_bytes(b.try_into().expect("8 bytes"))
            })))
        }
        (None, None) => Ok(Distinct::default()),
    }
}

fn group(state: &GroupState, inputs: &[InputSummary]) -> Result<(CodeKey, Group), String> {
    let key = code_key(&state.key)?;
    let mut group = Group::new(CODE_DESTINATION_CAP);
    group.count = state.count;
    group.first_seen = timestamp(&state.first_seen)?;
    group.last_seen = timestamp(&state.last_seen)?;
    group.destinations = counter_of(
        CODE_DESTINATION_CAP,
        &state.destinations,
        state.destinations_max_undercount,
    );
    for (reason, count) in &state.reasons {
        group.reasons.insert(reason_named(reason)?, *count);
    }
    let example = |state: &ExampleState| example_of(state, inputs);
    for (reason, first) in &state.reason_texts {
        group
            .reason_texts
            .insert(reason_named(reason)?, example(first)?);
    }
    group.messages = distinct(&state.messages)?;
    for state in &state.examples {
        group.examples.push(example(state)?);
    }
    Ok((key, group))
}

fn outcomes(state: &OutcomesState) -> Result<OutcomeSummary, String> {
    let bytes = BASE64
        .decode(&state.delays)
        .map_err(|e| format!("delays are not base64: {e}"))?;
    if bytes.len() % 4 != 0 {
        return Err("delays are not 4 bytes each".to_string());
    }
    let exact: Vec<u32> = bytes
        .chunks_exact(4)
        .map(|b| u32::from_le_bytes(b.try_into().expect("4 bytes")))
        .collect();
    let delay = Delays::from_parts(
        exact,
        state.delay_buckets.clone(),
        state.delay_count,
        state.delay_max,
    )
    .ok_or_else(|| "the delays do not add up to their count".to_string())?;
    let lost_examples = state
        .lost
        .iter()
        .map(|lost| {
            Ok(LostRecipient {
                id: lost.id.clone(),
                recipient: lost.recipient.clone(),
                ending: by_label(
                    &[Ending::Bounced, Ending::Expired, Ending::Delivered],
                    Ending::label,
                    &lost.ending,
                    "ending",
                )?,
                attempts: lost.attempts,
                deferrals: lost.deferrals,
                first_attempt: timestamp(&lost.first_attempt)?,
                last_attempt: timestamp(&lost.last_attempt)?,
                reply_code: lost.reply_code,
                enhanced_code: enhanced(&lost.enhanced_code)?,
                notification: lost.notification.clone(),
                file: lost.file.clone(),
                line: lost.line,
            })
        })
        .collect::<Result<_, String>>()?;
    Ok(OutcomeSummary {
        messages: state.messages,
        recipients: state.recipients,
        delivered_at_once: state.delivered_at_once,
        delivered_after: state.delivered_after,
        bounced_at_once: state.bounced_at_once,
        bounced_after_deferral: state.bounced_after_deferral,
        expired: state.expired,
        pending: state.pending,
        let_go: state.let_go,
        delay,
        notified: state.notified,
        lost_examples,
    })
}

fn class_counts(by_class: &BTreeMap<String, u64>) -> Result<ClassCounts, String> {
    let mut counts = ClassCounts::default();
    for (label, count) in by_class {
        let class = class_named(label)?;
        counts.0[Class::ALL
            .iter()
            .position(|c| *c == class)
            .expect("a class")] = *count;
    }
    Ok(counts)
}

/// The inputs of a summary, with the time of their first lines.
fn input_summaries(
    inputs: &[InputFile],
    starts: &[Option<String>],
) -> Result<Vec<InputSummary>, String> {
    if starts.len() != inputs.len() {
        return Err("state.input_starts does not match inputs".to_string());
    }
    inputs
        .iter()
        .zip(starts)
        .map(|(input, start)| {
            let start = start.as_deref().map(time_of).transpose()?.map(|t| t.local);
            // An input that could not be opened has neither a format nor a compression.
            let or_none = |found: Result<&'static str, String>| match found {
                Err(_) if input.complete => found,
                _ => Ok(found.unwrap_or("")),
            };
            Ok(InputSummary {
                name: input.name.clone(),
                format: or_none(by_label(
                    &detect::DESCRIPTIONS,
                    |label| label,
                    &input.format,
                    "input format",
                ))?,
                compression: or_none(
                    by_label(
                        &Compression::ALL,
                        Compression::label,
                        &input.compression,
                        "compression",
                    )
                    .map(Compression::label),
                )?,
                complete: input.complete,
                start,
            })
        })
        .collect()
}

fn part_of(file: SummaryFile) -> Result<Part, String> {
    let state = &file.state;
    let inputs = input_summaries(&file.inputs, &state.input_starts)?;
    let mut tally = Tally::default();
    let lines = &file.lines;
    tally.lines = LineCounts {
        read: lines.read,
        events: lines.events,
        filtered_out: lines.filtered_out,
        no_outcome: lines.no_outcome,
        other_programs: lines.other_programs,
        unmatched: lines.unmatched,
        over_long: lines.over_long,
        repeated: lines.repeated,
    };
    tally.by_class = class_counts(&file.by_class)?;
    for (label, count) in &file.by_action {
        let action = by_label(&Action::ALL, Action::label, label, "action")?;
        tally.by_action.insert(action, *count);
    }
    for (reason, count) in &file.by_reason {
        tally.by_reason.insert(reason_named(reason)?, *count);
    }
    let hour_named = |hour: &str| {
        NaiveDateTime::parse_from_str(hour, "%Y-%m-%dT%H:%M")
            .map_err(|_| format!("{hour:?} is not an hour"))
    };
    for hour in &file.hours {
        tally
            .hours
            .insert(hour_named(&hour.hour)?, class_counts(&hour.by_class)?);
    }
    for hour in &file.restarts.hours {
        tally
            .restart_hours
            .insert(hour_named(&hour.hour)?, hour.lines);
    }
    for format in &file.formats {
        tally.formats.insert(by_label(
            &[LogFormat::Postfix, LogFormat::Exim],
            LogFormat::label,
            format,
            "log format",
        )?);
    }
    tally.first_seen = timestamp(&file.first_seen)?;
    tally.last_seen = timestamp(&file.last_seen)?;
    tally.read_from = timestamp(&file.read_from)?;
    tally.read_to = timestamp(&file.read_to)?;
    tally.messages = distinct(&state.messages)?;
    for code in &state.codes {
        let (key, group) = group(code, &inputs)?;
        tally.codes.insert(key, group);
    }
    for refusal in &state.refusals {
        let (key, group) = group(refusal, &inputs)?;
        tally.refusals.insert(key, group);
    }
    for warning in &state.reject_warnings {
        let (key, group) = group(warning, &inputs)?;
        tally.reject_warnings.insert(key, group);
    }
    tally.screenings = screenings_of(&state.postscreen)?;
    tally.diagnostics = kinds_of(&state.diagnostics, &inputs)?;
    tally.diversions = kinds_of(&state.diverted, &inputs)?;
    tally.restarts = kinds_of(&state.restarts, &inputs)?;
    let spikes = state
        .spikes
        .iter()
        .map(|series| {
            let destination = match (series.destination.as_str(), &series.name) {
                ("all", _) => Destination::All,
                ("domain", Some(name)) => Destination::Domain(name.as_str().into()),
                (other, _) => return Err(format!("unknown spike destination {other:?}")),
            };
            let code = series.code.as_ref().map(code_key).transpose()?;
            let firsts = first_lines_of(&series.first_lines, &inputs)?;
            Ok((destination, code, points_of(&series.points)?, firsts))
        })
        .collect::<Result<_, String>>()?;
    let providers = state
        .providers
        .iter()
        .map(|(domain, provider)| {
            let provider = match provider.as_str() {
                "" => "",
                name => provider_named(name).ok_or_else(|| format!("unknown provider {name:?}"))?,
            };
            Ok((domain.clone(), provider))
        })
        .collect::<Result<_, String>>()?;
    Ok(Part {
        providers,
        inputs,
        tally,
        outcomes: outcomes(&state.outcomes)?,
        spikes,
    })
}

/// What the first pass learns of a summary: its inputs, which decide the reading order of
/// every input together before any summary is added.
#[derive(Debug, Deserialize)]
struct Catalogue {
    inputs: Vec<InputFile>,
    state: CatalogueState,
}

#[derive(Debug, Deserialize)]
struct CatalogueState {
    input_starts: Vec<Option<String>>,
}

/// A summary that passed the first pass.
struct Listed {
    spec: InputSpec,
    name: String,
    /// Standard input, which cannot be read twice, is kept.
    bytes: Option<Vec<u8>>,
    /// Its inputs' names as the merged report shows them.
    names: Vec<String>,
}

/// The first pass: each readable summary of this schema, and every input of them, with the
/// index of its summary. Inputs of the same name in two summaries (`/var/log/mail.log` of two
/// hosts) are told apart by the summary they come from: `mx2.json:/var/log/mail.log`.
fn catalogue(
    paths: &[PathBuf],
    problem: &mut impl FnMut(SummaryError),
) -> (Vec<Listed>, Vec<(usize, InputSummary)>) {
    let mut listed: Vec<Listed> = Vec::new();
    let mut inputs: Vec<(usize, InputSummary)> = Vec::new();
    for path in paths {
        let spec = spec_of(path);
        let name = spec.display_name();
        let catalogue = read_bytes(&spec).and_then(|bytes| {
            let fail = |message: String| SummaryError {
                name: name.clone(),
                message,
            };
            check_schema(&bytes).map_err(fail)?;
            let catalogue: Catalogue = serde_json::from_slice(&bytes)
                .map_err(|e| fail(format!("not a complete mailsift summary: {e}")))?;
            let found =
                input_summaries(&catalogue.inputs, &catalogue.state.input_starts).map_err(fail)?;
            Ok((found, (spec == InputSpec::Stdin).then_some(bytes)))
        });
        match catalogue {
            Ok((found, bytes)) => {
                let index = listed.len();
                listed.push(Listed {
                    spec,
                    name,
                    bytes,
                    names: Vec::new(),
                });
                inputs.extend(found.into_iter().map(|i| (index, i)));
            }
            Err(error) => problem(error),
        }
    }
    let mut owners: HashMap<String, Vec<usize>> = HashMap::new();
    for (index, input) in &inputs {
        let list = owners.entry(input.name.clone()).or_default();
        if list.last() != Some(index) {
            list.push(*index);
        }
    }
    for (index, input) in inputs.iter_mut() {
        if owners[&input.name].len() > 1 {
            input.name = format!("{}:{}", listed[*index].name, input.name);
        }
        listed[*index].names.push(input.name.clone());
    }
    (listed, inputs)
}

/// Merges the summaries at `paths` into one report, reading one summary at a time so that
/// memory does not grow with their number. A summary that cannot be read, or is of another
/// schema, is given to `problem` and left out. `examples` is how many example lines to keep
/// per code.
pub fn merge_summaries(
    paths: &[PathBuf],
    examples: usize,
    settings: &ReportSettings,
    mut problem: impl FnMut(SummaryError),
) -> Report {
    let (mut listed, inputs) = catalogue(paths, &mut problem);
    // The order one run over every input would read them in.
    let inputs: Vec<(usize, InputSummary)> = pipeline::in_start_order(
        inputs
            .into_iter()
            .map(|(index, input)| {
                let start = input.start;
                ((index, input), start)
            })
            .collect(),
    )
    .into_iter()
    .map(|(item, _)| item)
    .collect();
    let rank: HashMap<&str, usize> = inputs
        .iter()
        .enumerate()
        .rev()
        .map(|(rank, (_, input))| (input.name.as_str(), rank))
        .collect();
    // Summaries are added in the order of their first input, so that what is kept first (a
    // provider, the first reply text of a reason) comes from the input read first.
    let mut order: Vec<usize> = (0..listed.len()).collect();
    order.sort_by_key(|&index| {
        listed[index]
            .names
            .iter()
            .filter_map(|name| rank.get(name.as_str()))
            .min()
            .copied()
            .unwrap_or(usize::MAX)
    });
    let place = |e: &Example| {
        (
            rank.get(e.file.as_str()).copied().unwrap_or(usize::MAX),
            e.line,
        )
    };

    // Second pass: add each summary in.
    let options = TallyOptions {
        examples: EXAMPLES_HELD,
        ..TallyOptions::default()
    };
    let mut tally = Tally::default();
    tally
        .spikes
        .number_inputs(inputs.iter().map(|(_, input)| input.name.as_str()));
    let mut outcomes = OutcomeSummary::default();
    // Keyed by the section (outcomes, refusals, reject warnings) as well as the code.
    let mut first_texts: HashMap<(usize, CodeKey, &'static str), Example> = HashMap::new();
    for index in order {
        let summary = &mut listed[index];
        let read = match summary.bytes.take() {
            Some(bytes) => Ok(bytes),
            None => read_bytes(&summary.spec),
        };
        let part = read.and_then(|bytes| {
            parse_summary(&bytes)
                .and_then(|part| {
                    if part.inputs.len() == summary.names.len() {
                        Ok(part)
                    } else {
                        Err("changed while it was being merged".to_string())
                    }
                })
                .map_err(|message| SummaryError {
                    name: summary.name.clone(),
                    message,
                })
        });
        let mut part = match part {
            Ok(part) => part,
            Err(error) => {
                problem(error);
                continue;
            }
        };
        let renames: HashMap<String, String> = part
            .inputs
            .iter()
            .zip(&summary.names)
            .filter(|(input, name)| input.name != **name)
            .map(|(input, name)| (input.name.clone(), name.clone()))
            .collect();
        for (section, map) in [
            &mut part.tally.codes,
            &mut part.tally.refusals,
            &mut part.tally.reject_warnings,
        ]
        .into_iter()
        .enumerate()
        {
            for (key, group) in map.iter_mut() {
                for example in group.examples.iter_mut() {
                    if let Some(new) = renames.get(&example.file) {
                        example.file = new.clone();
                    }
                }
                for (reason, text) in group.reason_texts.iter_mut() {
                    if let Some(new) = renames.get(&text.file) {
                        text.file = new.clone();
                    }
                    let slot = first_texts
                        .entry((section, *key, reason))
                        .or_insert_with(|| text.clone());
                    if place(text) < place(slot) {
                        *slot = text.clone();
                    }
                }
            }
        }
        // Kinds keep the example read first, wherever the summaries put it.
        let mut diagnostics = std::mem::take(&mut part.tally.diagnostics);
        let mut diversions = std::mem::take(&mut part.tally.diversions);
        let mut restarts = std::mem::take(&mut part.tally.restarts);
        let kind_examples = diagnostics
            .examples_mut()
            .chain(diversions.examples_mut())
            .chain(restarts.examples_mut());
        for example in kind_examples {
            if let Some(new) = renames.get(&example.file) {
                example.file = new.clone();
            }
        }
        let read_first = |theirs: &Example, ours: &Example| place(theirs) < place(ours);
        tally.diagnostics.merge_ordered(diagnostics, read_first);
        tally.diversions.merge_ordered(diversions, read_first);
        tally.restarts.merge_ordered(restarts, read_first);
        tally.merge(part.tally, &options);
        for group in tally
            .codes
            .values_mut()
            .chain(tally.refusals.values_mut())
            .chain(tally.reject_warnings.values_mut())
        {
            if group.examples.len() > examples {
                group.examples.sort_by_key(place);
                group.examples.truncate(examples);
            }
        }
        outcomes.absorb(part.outcomes);
        for (domain, provider) in part.providers {
            tally.spikes.add_provider(&domain, provider);
        }
        for (destination, code, points, mut firsts) in part.spikes {
            tally.spikes.add_series(destination.clone(), code, &points);
            if let Some(code) = code {
                for (_, file, _) in firsts.iter_mut() {
                    if let Some(new) = renames.get(file) {
                        file.clone_from(new);
                    }
                }
                let firsts = firsts
                    .iter()
                    .map(|(b, file, line)| (*b, file.as_str(), *line));
                tally.spikes.add_first_lines(&destination, &code, firsts);
            }
        }
    }
    for (section, map) in [
        &mut tally.codes,
        &mut tally.refusals,
        &mut tally.reject_warnings,
    ]
    .into_iter()
    .enumerate()
    {
        for (key, group) in map.iter_mut() {
            group.examples.sort_by_key(place);
            group.examples.truncate(examples);
            for (reason, text) in group.reason_texts.iter_mut() {
                if let Some(first) = first_texts.remove(&(section, *key, *reason)) {
                    *text = first;
                }
            }
        }
    }
    let inputs = inputs.into_iter().map(|(_, input)| input).collect();
    Report::with_outcomes(inputs, tally, outcomes, settings)
}
