//! Grouping events into a [`Tally`]: counts by class, permanence, action and reason; for each
//! (direction, class, reply code, enhanced code) its count, first and last time, destinations,
//! distinct messages and a few example lines; an hourly timeline; and, for `--by`, the same per
//! (key, code).
//!
//! Tallies are built per chunk on the workers and merged in input order, so capped lists hold
//! the first entries in input order whatever the thread count. Memory is bounded: counts of
//! codes and classes are exact; high-cardinality keys (domains, relays, clients) are exact up to
//! a cap and then kept as heavy hitters whose counts are marked approximate; distinct messages
//! are exact up to a cap and then estimated. This module knows nothing of formats or advice.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use chrono::NaiveDateTime;
use xxhash_rust::xxh3::{xxh3_64, xxh3_64_with_seed};

use crate::codes::{Action, Class, Direction, EnhancedCode, Permanence};
use crate::event::{Event, LogFormat};
use crate::incident::{ChunkSpikes, Spikes};
use crate::kinds::{Diagnostics, Diversions, Kinds, Restarts, Tier};
use crate::outcome::{Follower, Sightings};
use crate::parse::Lifecycle;
use crate::parse::TieredLine;
use crate::parse::diagnostic::Severity;
use crate::parse::diverted::Diversion;
use crate::parse::postscreen::Screening;
use crate::parse::program_of;
use crate::parse::restart::Restart;
use crate::pipeline::{Collector, LineCounts, Source};
use crate::screening::Screenings;
use crate::time::Timestamp;

/// Distinct destinations kept exactly per code before the smallest are pruned.
pub const CODE_DESTINATION_CAP: usize = 2_000;
/// Distinct (key, code) groups kept exactly for `--by` before the smallest are pruned.
pub const GROUP_CAP: usize = 100_000;
/// Distinct destinations kept per `--by` group, enough to name its top one.
const GROUP_DESTINATION_CAP: usize = 16;
/// Distinct message ids counted exactly before switching to an estimate.
const DISTINCT_EXACT_CAP: usize = 50_000;
/// Unmatched lines kept for `--unmatched`.
pub const UNMATCHED_CAP: usize = 1_000;

/// The maps of a tally. Their keys come from log text, which strangers write, so the hasher is
/// seeded per run; nothing here depends on iteration order.
pub type Map<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// Counts per class, in the order 2xx, 3xx, 4xx, 5xx.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ClassCounts(pub [u64; 4]);

impl ClassCounts {
    fn index(class: Class) -> usize {
        match class {
            Class::Success => 0,
            Class::Intermediate => 1,
            Class::Transient => 2,
            Class::Permanent => 3,
        }
    }

    /// Counts one event of `class`.
    pub fn add(&mut self, class: Class) {
        self.0[Self::index(class)] += 1;
    }

    /// The count for `class`.
    pub fn get(&self, class: Class) -> u64 {
        self.0[Self::index(class)]
    }

    /// All classes together.
    pub fn total(&self) -> u64 {
        self.0.iter().sum()
    }

    fn merge(&mut self, other: ClassCounts) {
        for (ours, theirs) in self.0.iter_mut().zip(other.0) {
            *ours += theirs;
        }
    }
}

/// Counts per string key: exact until `cap` keys, then the smallest half is dropped whenever
/// the map reaches twice the cap. Kept counts are then lower bounds, and
/// [`KeyCounter::max_undercount`] bounds how far below the true count any of them can be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyCounter {
    counts: Map<Box<str>, u64>,
    cap: usize,
    /// Each prune can take from a key at most the largest count it drops, and a key dropped in
    /// two merged parts loses in both, so the bound adds up over prunes and merges.
    max_undercount: u64,
}

impl KeyCounter {
    /// An empty counter keeping about `cap` keys.
    pub fn new(cap: usize) -> Self {
        KeyCounter {
            counts: Map::default(),
            cap: cap.max(1),
            max_undercount: 0,
        }
    }

    /// A counter holding `entries`, which were counted elsewhere with the given bound.
    pub fn from_entries(
        cap: usize,
        entries: impl IntoIterator<Item = (Box<str>, u64)>,
        max_undercount: u64,
    ) -> Self {
        let mut counter = KeyCounter::new(cap);
        counter.counts.extend(entries);
        counter.max_undercount = max_undercount;
        if counter.counts.len() >= counter.cap * 2 {
            counter.prune();
        }
        counter
    }

    /// Adds `n` to `key`.
    pub fn add(&mut self, key: &str, n: u64) {
        if let Some(count) = self.counts.get_mut(key) {
            *count += n;
            return;
        }
        self.counts.insert(key.into(), n);
        if self.counts.len() >= self.cap * 2 {
            self.prune();
        }
    }

    fn prune(&mut self) {
        let mut entries: Vec<(Box<str>, u64)> = self.counts.drain().collect();
        // Largest first, ties by key, so what is dropped does not depend on hash order.
        entries.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let largest_dropped = entries.get(self.cap).map_or(0, |(_, count)| *count);
        entries.truncate(self.cap);
        self.max_undercount += largest_dropped;
        self.counts.extend(entries);
    }

    /// Adds every count of `other`.
    pub fn merge(&mut self, other: KeyCounter) {
        self.max_undercount += other.max_undercount;
        if self.counts.len() + other.counts.len() < self.cap * 2 {
            // No pruning can happen, so the order of adding does not matter.
            for (key, count) in other.counts {
                *self.counts.entry(key).or_default() += count;
            }
            return;
        }
        let mut entries: Vec<_> = other.counts.into_iter().collect();
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        for (key, count) in entries {
            self.add(&key, count);
        }
    }

    /// Whether keys have been dropped, making counts lower bounds.
    pub fn approximate(&self) -> bool {
        self.max_undercount > 0
    }

    /// How far below its true count any kept count can be; 0 while counts are exact.
    pub fn max_undercount(&self) -> u64 {
        self.max_undercount
    }

    /// Every key held with its count, largest first, ties broken by key.
    pub fn entries(&self) -> Vec<(&str, u64)> {
        self.top(usize::MAX)
    }

    /// The count held for `key`, if it is held.
    pub fn get(&self, key: &str) -> Option<u64> {
        self.counts.get(key).copied()
    }

    /// The number of keys held.
    pub fn keys_held(&self) -> usize {
        self.counts.len()
    }

    /// The `n` largest counts, ties broken by key.
    pub fn top(&self, n: usize) -> Vec<(&str, u64)> {
        let mut rows: Vec<(&str, u64)> = self.counts.iter().map(|(k, c)| (&**k, *c)).collect();
        rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        rows.truncate(n);
        rows
    }
}

/// The number of distinct values seen: exact up to a cap, then a HyperLogLog estimate
/// (about 1.6 % standard error). Merging is order-free.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Distinct {
    /// The first hashes seen, as they came, duplicates included: appending is far cheaper per
    /// event than a set insert, and most chunks see only a few thousand events.
    Gathered(Vec<u64>),
    /// Every hash seen, once.
    Exact(HashSet<u64, foldhash::fast::FixedState>),
    /// 4096 HyperLogLog registers.
    Estimated(Box<[u8; 4096]>),
}

impl Default for Distinct {
    fn default() -> Self {
        Distinct::Gathered(Vec::new())
    }
}

/// Hashes gathered before they are put in a set.
const GATHERED_CAP: usize = 4096;

impl Distinct {
    /// The hash a message is counted by: XXH3 of its queue id, seeded with XXH3 of its syslog
    /// host. XXH3 is specified byte for byte, so the hash is the same in every run, on every
    /// thread and on every machine; summaries written on different hosts merge exactly.
    pub fn message_hash(host: &str, queue_id: &str) -> u64 {
        xxh3_64_with_seed(queue_id.as_bytes(), xxh3_64(host.as_bytes()))
    }

    /// Counts a value.
    #[cfg(test)]
    fn insert(&mut self, value: impl std::hash::Hash) {
        use std::hash::BuildHasher;
        self.insert_hash(foldhash::quality::FixedState::with_seed(1).hash_one(value));
    }

    /// A count of the values behind `hashes`, as [`Distinct::hashes`] gave them.
    pub fn from_hashes(hashes: impl IntoIterator<Item = u64>) -> Self {
        let mut distinct = Distinct::default();
        hashes.into_iter().for_each(|h| distinct.insert_hash(h));
        distinct
    }

    /// A count from HyperLogLog registers, as [`Distinct::registers`] gave them; `None` when
    /// there are not exactly 4096 of them.
    pub fn from_registers(registers: &[u8]) -> Option<Self> {
        let registers: Box<[u8; 4096]> = registers.to_vec().into_boxed_slice().try_into().ok()?;
        Some(Distinct::Estimated(registers))
    }

    /// The distinct hashes seen, in increasing order, while the count is exact.
    pub fn hashes(&self) -> Option<Vec<u64>> {
        let mut hashes: Vec<u64> = match self {
            Distinct::Gathered(hashes) => hashes.clone(),
            Distinct::Exact(set) => set.iter().copied().collect(),
            Distinct::Estimated(_) => return None,
        };
        hashes.sort_unstable();
        hashes.dedup();
        Some(hashes)
    }

    /// The HyperLogLog registers, once the count is an estimate.
    pub fn registers(&self) -> Option<&[u8]> {
        match self {
            Distinct::Estimated(registers) => Some(&registers[..]),
            _ => None,
        }
    }

    /// Counts a value by its hash, such as [`Distinct::message_hash`].
    pub fn insert_hash(&mut self, hash: u64) {
        match self {
            Distinct::Gathered(hashes) => {
                hashes.push(hash);
                if hashes.len() >= GATHERED_CAP {
                    let set = hashes.drain(..).collect();
                    *self = Distinct::Exact(set);
                }
            }
            Distinct::Exact(set) => {
                set.insert(hash);
                if set.len() > DISTINCT_EXACT_CAP {
                    *self = Distinct::Estimated(Self::registers_of(set.iter().copied()));
                }
            }
            Distinct::Estimated(registers) => Self::register(registers, hash),
        }
    }

    fn registers_of(hashes: impl Iterator<Item = u64>) -> Box<[u8; 4096]> {
        let mut registers = Box::new([0u8; 4096]);
        for hash in hashes {
            Self::register(&mut registers, hash);
        }
        registers
    }

    fn register(registers: &mut [u8; 4096], hash: u64) {
        let index = (hash >> 52) as usize;
        let rank = ((hash << 12) | (1 << 11)).leading_zeros() as u8 + 1;
        registers[index] = registers[index].max(rank);
    }

    /// Drops repeated hashes gathered so far.
    pub fn compact(&mut self) {
        if let Distinct::Gathered(hashes) = self {
            hashes.sort_unstable();
            hashes.dedup();
        }
    }

    /// Adds everything `other` saw.
    pub fn merge(&mut self, other: Distinct) {
        match other {
            Distinct::Gathered(theirs) => theirs.into_iter().for_each(|h| self.insert_hash(h)),
            Distinct::Exact(theirs) => theirs.into_iter().for_each(|h| self.insert_hash(h)),
            Distinct::Estimated(theirs) => {
                let ours = match self {
                    Distinct::Gathered(hashes) => Self::registers_of(hashes.iter().copied()),
                    Distinct::Exact(set) => Self::registers_of(set.iter().copied()),
                    Distinct::Estimated(ours) => std::mem::replace(ours, Box::new([0; 4096])),
                };
                let mut ours = ours;
                for (o, t) in ours.iter_mut().zip(theirs.iter()) {
                    *o = (*o).max(*t);
                }
                *self = Distinct::Estimated(ours);
            }
        }
    }

    /// How many distinct values.
    pub fn count(&self) -> u64 {
        match self {
            Distinct::Gathered(hashes) => {
                let unique: HashSet<u64, foldhash::fast::FixedState> =
                    hashes.iter().copied().collect();
                unique.len() as u64
            }
            Distinct::Exact(set) => set.len() as u64,
            Distinct::Estimated(registers) => {
                let m = registers.len() as f64;
                let sum: f64 = registers.iter().map(|r| 2f64.powi(-i32::from(*r))).sum();
                let raw = 0.7213 / (1.0 + 1.079 / m) * m * m / sum;
                let zeros = registers.iter().filter(|r| **r == 0).count();
                let estimate = if raw <= 2.5 * m && zeros > 0 {
                    m * (m / zeros as f64).ln()
                } else {
                    raw
                };
                estimate.round() as u64
            }
        }
    }

    /// Whether the count is an estimate.
    pub fn approximate(&self) -> bool {
        matches!(self, Distinct::Estimated(_))
    }
}

/// The key of one row of the codes table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct CodeKey {
    /// Who sent the reply: the same code means different work when a remote server sent it
    /// to us and when our server sent it to a client.
    pub direction: Direction,
    /// The class; it tells apart lines that carry no code at all.
    pub class: Class,
    /// The reply code, if the line had one.
    pub reply: Option<u16>,
    /// The enhanced code from the reply text, else Postfix's `dsn=`.
    pub enhanced: Option<EnhancedCode>,
    /// For a line without any code, its reason: the only thing that tells a relay refusal
    /// from a greylisting when Exim logged no number.
    pub codeless_reason: Option<&'static str>,
}

/// Every event is looked up by its key, so the key is hashed as one word: the fields packed
/// into 64 bits, the reason by its length alone. Keys that are equal pack equally, which is all
/// a hash must give.
impl std::hash::Hash for CodeKey {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        let reply = self.reply.map_or(0, |r| u64::from(r) + 1);
        let enhanced = self.enhanced.map_or(0, |e| {
            1 + (u64::from(e.class) << 24 | u64::from(e.subject) << 12 | u64::from(e.detail))
        });
        let reason = self.codeless_reason.map_or(0, |r| r.len() as u64 + 1);
        let packed = (self.direction as u64)
            | (self.class as u64) << 1
            | (reply & 0x3ff) << 3
            | (reason & 0x3f) << 13
            | enhanced << 19;
        state.write_u64(packed);
    }
}

impl CodeKey {
    /// The key of an event.
    pub fn of(event: &Event<'_>) -> CodeKey {
        let enhanced = event.status_code();
        CodeKey {
            direction: event.direction,
            class: event.class,
            reply: event.reply_code,
            enhanced,
            codeless_reason: (event.reply_code.is_none() && enhanced.is_none())
                .then_some(event.reason),
        }
    }
}

/// Where an example came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Example {
    /// The input's name.
    pub file: String,
    /// The line number.
    pub line: u64,
    /// The reply text.
    pub text: String,
}

/// What is known of one group of events.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    /// Events.
    pub count: u64,
    /// The earliest time seen.
    pub first_seen: Option<Timestamp>,
    /// The latest time seen.
    pub last_seen: Option<Timestamp>,
    /// Events per recipient domain (outbound) or client (inbound).
    pub destinations: KeyCounter,
    /// Events per knowledge-base reason.
    pub reasons: BTreeMap<&'static str, u64>,
    /// The first reply text seen for each reason, so that advice can be given for the text
    /// behind the most frequent reason. It is kept as an [`Example`], since summaries merged
    /// later need to know which came first.
    pub reason_texts: BTreeMap<&'static str, Example>,
    /// Distinct messages.
    pub messages: Distinct,
    /// The first example lines, in input order.
    pub examples: Vec<Example>,
}

impl Group {
    /// An empty group keeping about `destination_cap` destinations.
    pub fn new(destination_cap: usize) -> Self {
        Group {
            count: 0,
            first_seen: None,
            last_seen: None,
            destinations: KeyCounter::new(destination_cap),
            reasons: BTreeMap::new(),
            reason_texts: BTreeMap::new(),
            messages: Distinct::default(),
            examples: Vec::new(),
        }
    }

    /// Adds an event; `message` is the [`Distinct::message_hash`] of its message, if it has one.
    fn add(
        &mut self,
        event: &Event<'_>,
        (file, line): (&str, u64),
        destination: &str,
        message: Option<u64>,
    ) {
        self.count += 1;
        widen(&mut self.first_seen, &mut self.last_seen, event.timestamp);
        if !destination.is_empty() {
            self.destinations.add(destination, 1);
        }
        match self.reasons.get_mut(event.reason) {
            Some(count) => *count += 1,
            None => {
                self.reasons.insert(event.reason, 1);
                let first = Example {
                    file: file.to_string(),
                    line,
                    text: event.text.to_string(),
                };
                self.reason_texts.insert(event.reason, first);
            }
        }
        if let Some(hash) = message {
            self.messages.insert_hash(hash);
        }
    }

    fn merge(&mut self, later: Group, examples: usize) {
        self.count += later.count;
        widen(&mut self.first_seen, &mut self.last_seen, later.first_seen);
        widen(&mut self.first_seen, &mut self.last_seen, later.last_seen);
        self.destinations.merge(later.destinations);
        for (reason, count) in later.reasons {
            *self.reasons.entry(reason).or_default() += count;
        }
        for (reason, text) in later.reason_texts {
            self.reason_texts.entry(reason).or_insert(text);
        }
        self.messages.merge(later.messages);
        let room = examples.saturating_sub(self.examples.len());
        self.examples.extend(later.examples.into_iter().take(room));
    }

    /// The most frequent reason, ties broken by name.
    pub fn main_reason(&self) -> &'static str {
        self.reasons
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
            .map_or("other", |(reason, _)| reason)
    }
}

/// What `report --by` groups by, beside the code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Dimension {
    /// The recipient's domain (outbound events only).
    Domain,
    /// The remote server delivered to (outbound events only).
    Relay,
    /// The client answered (inbound events only).
    Client,
    /// The knowledge-base reason.
    Reason,
    /// The hour of the event, in the log's local time.
    Hour,
    /// The day of the event, in the log's local time.
    Day,
}

impl Dimension {
    /// The name used by `--by` and as the CSV column.
    pub fn label(self) -> &'static str {
        match self {
            Dimension::Domain => "domain",
            Dimension::Relay => "relay",
            Dimension::Client => "client",
            Dimension::Reason => "reason",
            Dimension::Hour => "hour",
            Dimension::Day => "day",
        }
    }

    /// The event's key, or `None` when the event has none for this dimension.
    fn key_of(self, event: &Event<'_>) -> Option<String> {
        let nonempty = |s: Cow<'_, str>| (!s.is_empty()).then(|| s.into_owned());
        match self {
            Dimension::Domain => (event.direction == Direction::Outbound)
                .then(|| nonempty(event.recipient_domain()))
                .flatten(),
            Dimension::Relay => (event.direction == Direction::Outbound)
                .then(|| nonempty(remote_name(event)))
                .flatten(),
            Dimension::Client => (event.direction == Direction::Inbound)
                .then(|| nonempty(remote_name(event)))
                .flatten(),
            Dimension::Reason => Some(event.reason.to_string()),
            Dimension::Hour => event
                .timestamp
                .map(|t| t.local.format("%Y-%m-%dT%H:00").to_string()),
            Dimension::Day => event
                .timestamp
                .map(|t| t.local.format("%Y-%m-%d").to_string()),
        }
    }
}

/// The remote side's name, lower-cased, or its address when the name is unknown.
fn remote_name<'a>(event: &Event<'a>) -> Cow<'a, str> {
    let name = event.remote_host;
    if name.is_empty() || name == "unknown" {
        Cow::Borrowed(event.remote_ip)
    } else if name.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(name.to_ascii_lowercase())
    } else {
        Cow::Borrowed(name)
    }
}

/// Outbound events are grouped by the recipient's domain, inbound ones by the client.
fn destination_of<'a>(event: &Event<'a>) -> Cow<'a, str> {
    match event.direction {
        Direction::Outbound => event.recipient_domain(),
        Direction::Inbound => remote_name(event),
    }
}

/// What to collect beyond the always-kept counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TallyOptions {
    /// Example lines per code.
    pub examples: usize,
    /// The `--by` dimension, if any.
    pub by: Option<Dimension>,
    /// Whether to keep unmatched lines for `--unmatched`.
    pub keep_unmatched: bool,
    /// Whether to follow messages to their outcomes and count outcomes for spike detection:
    /// what the review sections of every format but CSV show.
    pub incident_review: bool,
}

/// A line no parser could read, kept for `--unmatched`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnmatchedLine {
    /// The input's name.
    pub file: String,
    /// The line number.
    pub line: u64,
    /// The line.
    pub text: String,
}

/// Everything counted in a run.
#[derive(Clone, Debug, Default)]
pub struct Tally {
    /// How lines were spent.
    pub lines: LineCounts,
    /// Outcomes per class (refusals and reject warnings excluded).
    pub by_class: ClassCounts,
    /// Outcomes per action (refusals and reject warnings excluded).
    pub by_action: BTreeMap<Action, u64>,
    /// Outcomes per reason.
    pub by_reason: BTreeMap<&'static str, u64>,
    /// Outcomes per reason counted since the last [`Tally::seal`], not yet in `by_reason`:
    /// a chunk sees a handful of reasons, nearly always the same string, which a short list
    /// finds by address where the map would compare text at every level.
    pending_reasons: Vec<(&'static str, u64)>,
    /// Per code (refusals and reject warnings excluded).
    pub codes: Map<CodeKey, Group>,
    /// Per-host refusals (`refused to talk to me` and the like), per code.
    pub refusals: Map<CodeKey, Group>,
    /// Postfix's `reject_warning`s, per code: rejects our server would have made and only
    /// logged (`warn_if_reject`, to try a new restriction). The client never saw the reply,
    /// so they are kept out of the outcomes, the class split and `--fail-on`.
    pub reject_warnings: Map<CodeKey, Group>,
    /// Per (key, code), for `--by`.
    pub groups: Map<(Box<str>, CodeKey), Group>,
    /// The largest group count dropped from `groups` by the cap.
    pub groups_dropped_max: u64,
    /// Outcomes per hour (local time) and class.
    pub hours: BTreeMap<NaiveDateTime, ClassCounts>,
    /// Distinct messages among the outcomes.
    pub messages: Distinct,
    /// The MTAs whose lines gave events.
    pub formats: BTreeSet<LogFormat>,
    /// The earliest event time.
    pub first_seen: Option<Timestamp>,
    /// The latest event time.
    pub last_seen: Option<Timestamp>,
    /// The earliest time of any line read, of whatever program: where the log starts.
    pub read_from: Option<Timestamp>,
    /// The latest time of any line read: where the log ends.
    pub read_to: Option<Timestamp>,
    /// The first unmatched lines, when asked for.
    pub unmatched: Vec<UnmatchedLine>,
    /// What this part saw of messages' lives, not yet followed.
    pub sightings: Sightings,
    /// The messages followed so far.
    pub follower: Follower,
    /// This part's counts for spike detection, not yet merged.
    pub chunk_spikes: ChunkSpikes,
    /// The counts for spike detection merged so far.
    pub spikes: Spikes,
    /// postscreen's verdicts.
    pub screenings: Screenings,
    /// The problems the MTA reported about itself.
    pub diagnostics: Diagnostics,
    /// The messages rules held, discarded or redirected, and those Exim froze.
    pub diversions: Diversions,
    /// The MTA's starts, reloads and stops.
    pub restarts: Restarts,
    /// Lines of [`Tally::restarts`] per hour (local time), for the timeline.
    pub restart_hours: BTreeMap<NaiveDateTime, u64>,
    /// This part's first and last start, reload or stop, for telling Exim's start again after
    /// a reload from a start of its own across parts.
    restart_edges: RestartEdges,
}

/// How long after its `SIGHUP received` Exim's re-executed daemon writes its start: at once,
/// so a few seconds cover a loaded host.
const REEXEC_SECONDS: i64 = 30;

/// What the parts next to a part need to know of its starts, reloads and stops.
#[derive(Clone, Debug, Default)]
struct RestartEdges {
    /// An Exim start read before any other line of the tier in this part: it is the re-exec
    /// of a reload if the part before ended with one, which is known only when the parts are
    /// added up in order.
    pending_start: Option<PendingStart>,
    /// Whether the part holds any start, reload or stop.
    seen_any: bool,
    /// When the part's last line of the tier was an Exim reload, its time.
    last_reload: Option<Timestamp>,
}

/// A start held until the part before its own is known.
#[derive(Clone, Debug)]
struct PendingStart {
    timestamp: Option<Timestamp>,
    program: Box<str>,
    message: Box<str>,
    note: Box<str>,
    file: Box<str>,
    line: u64,
}

/// Whether a start at `start` is Exim's daemon coming back after a reload at `reload`.
fn is_reexec(reload: Option<Timestamp>, start: Option<Timestamp>) -> bool {
    reload.zip(start).is_some_and(|(reload, start)| {
        let after = start.sort_key() - reload.sort_key();
        (0..=REEXEC_SECONDS).contains(&after.num_seconds())
    })
}

/// A tier whose lines a [`Tally`] sums up by kind in a section of its own.
pub trait Tallied: Tier {
    /// The section of `tally` that counts this tier's lines.
    fn kinds_in(tally: &mut Tally) -> &mut Kinds<Self>;

    /// Notes the time of a line where the timeline shows this tier's lines; most tiers do not
    /// show there.
    fn mark_timeline(tally: &mut Tally, time: Option<Timestamp>) {
        let _ = (tally, time);
    }

    /// Counts one line read at `file:line`.
    fn sum_up(tally: &mut Tally, said: &TieredLine<'_, Self>, file: &str, line: u64) {
        Self::kinds_in(tally).add(said, file, line);
        Self::mark_timeline(tally, said.timestamp);
    }
}

impl Tallied for Severity {
    fn kinds_in(tally: &mut Tally) -> &mut Kinds<Self> {
        &mut tally.diagnostics
    }
}

impl Tallied for Diversion {
    fn kinds_in(tally: &mut Tally) -> &mut Kinds<Self> {
        &mut tally.diversions
    }
}

impl Tallied for Restart {
    fn kinds_in(tally: &mut Tally) -> &mut Kinds<Self> {
        &mut tally.restarts
    }

    /// A start or reload in the hour a failure rate changed is the first thing an incident
    /// review looks for.
    fn mark_timeline(tally: &mut Tally, time: Option<Timestamp>) {
        if let Some(time) = time {
            *tally
                .restart_hours
                .entry(time.hour_start().local)
                .or_default() += 1;
        }
    }

    /// Exim's daemon re-executes itself on SIGHUP and writes a start again at once: that start
    /// belongs to the reload, and is not counted. A start that opens a part waits for the
    /// part before it to be known (see [`Tally::merge`]).
    fn sum_up(tally: &mut Tally, said: &TieredLine<'_, Self>, file: &str, line: u64) {
        let edges = &mut tally.restart_edges;
        let from_exim = program_of(said.program) == Some(LogFormat::Exim);
        let first = !edges.seen_any;
        edges.seen_any = true;
        let last_reload = std::mem::take(&mut edges.last_reload);
        match said.tier {
            Restart::Reload if from_exim => edges.last_reload = said.timestamp,
            Restart::Start if from_exim && is_reexec(last_reload, said.timestamp) => return,
            Restart::Start if from_exim && first => {
                edges.pending_start = Some(PendingStart {
                    timestamp: said.timestamp,
                    program: said.program.into(),
                    message: said.message.into(),
                    note: said.note.into(),
                    file: file.into(),
                    line,
                });
                return;
            }
            _ => {}
        }
        tally.restarts.add(said, file, line);
        Self::mark_timeline(tally, said.timestamp);
    }
}

impl Tally {
    /// Counts a later part's start held for this part's end, unless this part ended with the
    /// reload it re-executes for; then takes the later part's edges as its own.
    fn settle_restart_edges(&mut self, later: &mut RestartEdges) {
        if let Some(start) = later.pending_start.take()
            && !is_reexec(self.restart_edges.last_reload, start.timestamp)
        {
            let said = TieredLine {
                timestamp: start.timestamp,
                tier: Restart::Start,
                program: &start.program,
                message: &start.message,
                note: &start.note,
            };
            self.restarts.add(&said, &start.file, start.line);
            Restart::mark_timeline(self, start.timestamp);
        }
        if later.seen_any {
            self.restart_edges.seen_any = true;
            self.restart_edges.last_reload = later.last_reload;
        }
    }
}

#[cfg(test)]
impl Tally {
    /// The tally of `events` for unit tests, as read from a file `f`, one a line.
    pub(crate) fn of(events: &[Event<'_>], options: &TallyOptions) -> Tally {
        let mut tally = Tally::default();
        for (i, e) in events.iter().enumerate() {
            tally.add(e, "f", i as u64 + 1, options);
        }
        tally.count_pending_reasons();
        tally
    }
}

impl Tally {
    /// The number of outcomes counted, refusals and reject warnings excluded.
    pub fn events(&self) -> u64 {
        self.by_class.total()
    }

    /// Outcomes per permanence.
    pub fn permanence(&self, permanence: Permanence) -> u64 {
        [
            Class::Success,
            Class::Intermediate,
            Class::Transient,
            Class::Permanent,
        ]
        .into_iter()
        .filter(|class| class.permanence() == permanence)
        .map(|class| self.by_class.get(class))
        .sum()
    }

    /// The number of per-host refusals.
    pub fn refusal_count(&self) -> u64 {
        self.refusals.values().map(|g| g.count).sum()
    }

    /// Widens the span of the lines read to take in `from` and `to`.
    pub fn read_between(&mut self, from: Timestamp, to: Timestamp) {
        widen(&mut self.read_from, &mut self.read_to, Some(from));
        widen(&mut self.read_from, &mut self.read_to, Some(to));
    }

    /// The span a report's header gives: that of the lines read, widened to every outcome,
    /// since a line written out of time order can put an outcome before the first line or
    /// after the last.
    pub fn span(&self) -> Option<(Timestamp, Timestamp)> {
        let (mut from, mut to) = (self.read_from, self.read_to);
        widen(&mut from, &mut to, self.first_seen);
        widen(&mut from, &mut to, self.last_seen);
        from.zip(to)
    }

    /// The number of reject warnings.
    pub fn reject_warning_count(&self) -> u64 {
        self.reject_warnings.values().map(|g| g.count).sum()
    }

    /// Adds one event read at `file:line`.
    pub fn add(&mut self, event: &Event<'_>, file: &str, line: u64, options: &TallyOptions) {
        if !self.formats.contains(&event.log_format) {
            self.formats.insert(event.log_format);
        }
        let key = CodeKey::of(event);
        let destination = destination_of(event);
        let message = (!event.queue_id.is_empty() && event.queue_id != "NOQUEUE")
            .then(|| Distinct::message_hash(event.host, event.queue_id));
        let example = || Example {
            file: file.to_string(),
            line,
            text: event.text.to_string(),
        };
        let set_apart = match event.action {
            Action::Refused => Some((&mut self.refusals, remote_name(event))),
            Action::RejectWarning => Some((&mut self.reject_warnings, destination.clone())),
            _ => None,
        };
        if let Some((map, counterpart)) = set_apart {
            let group = map
                .entry(key)
                .or_insert_with(|| Group::new(CODE_DESTINATION_CAP));
            group.add(event, (file, line), &counterpart, None);
            if group.examples.len() < options.examples {
                group.examples.push(example());
            }
            return;
        }
        self.by_class.add(event.class);
        *self.by_action.entry(event.action).or_default() += 1;
        match self
            .pending_reasons
            .iter_mut()
            .find(|(reason, _)| std::ptr::eq(*reason, event.reason) || *reason == event.reason)
        {
            Some((_, count)) => *count += 1,
            None => self.pending_reasons.push((event.reason, 1)),
        }
        widen(&mut self.first_seen, &mut self.last_seen, event.timestamp);
        if let Some(time) = event.timestamp {
            let hour = time.hour_start().local;
            // Lines come in time order, so the hour is nearly always the latest one.
            match self.hours.last_entry() {
                Some(mut latest) if *latest.key() == hour => latest.get_mut().add(event.class),
                _ => self.hours.entry(hour).or_default().add(event.class),
            }
        }
        if let Some(hash) = message {
            self.messages.insert_hash(hash);
        }
        if options.incident_review {
            self.chunk_spikes
                .failure(event, &destination, key, (file, line));
        }
        let group = self
            .codes
            .entry(key)
            .or_insert_with(|| Group::new(CODE_DESTINATION_CAP));
        group.add(event, (file, line), &destination, message);
        if group.examples.len() < options.examples {
            group.examples.push(example());
        }
        if let Some(by) = options.by
            && let Some(value) = by.key_of(event)
        {
            let group = self
                .groups
                .entry((value.into_boxed_str(), key))
                .or_insert_with(|| Group::new(GROUP_DESTINATION_CAP));
            group.add(event, (file, line), &destination, None);
            if self.groups.len() >= GROUP_CAP * 2 {
                self.prune_groups();
            }
        }
    }

    fn prune_groups(&mut self) {
        let mut entries: Vec<_> = self.groups.drain().collect();
        entries.sort_by(|a, b| b.1.count.cmp(&a.1.count).then_with(|| a.0.cmp(&b.0)));
        for (_, group) in entries.drain(GROUP_CAP..) {
            self.groups_dropped_max = self.groups_dropped_max.max(group.count);
        }
        self.groups.extend(entries);
    }

    /// Readies a chunk's tally for merging: a message has several outcomes in a chunk, and
    /// each hash is better dropped here than looked up again where parts are added in order.
    pub fn seal(&mut self) {
        self.count_pending_reasons();
        self.messages.compact();
        for group in self.codes.values_mut() {
            group.messages.compact();
        }
    }

    fn count_pending_reasons(&mut self) {
        for (reason, count) in self.pending_reasons.drain(..) {
            *self.by_reason.entry(reason).or_default() += count;
        }
    }

    /// Keeps an unmatched line, up to the cap.
    pub fn add_unmatched(&mut self, file: &str, line: u64, text: &str) {
        if self.unmatched.len() < UNMATCHED_CAP {
            self.unmatched.push(UnmatchedLine {
                file: file.to_string(),
                line,
                text: text.to_string(),
            });
        }
    }

    /// Adds a later tally into this one.
    pub fn merge(&mut self, mut later: Tally, options: &TallyOptions) {
        self.count_pending_reasons();
        later.count_pending_reasons();
        if !self.sightings.is_empty() {
            self.follower.follow(&std::mem::take(&mut self.sightings));
        }
        self.follower.follow(&later.sightings);
        self.spikes.merge(std::mem::take(&mut self.chunk_spikes));
        self.spikes.merge(later.chunk_spikes);
        self.lines += later.lines;
        self.by_class.merge(later.by_class);
        add_maps(&mut self.by_action, later.by_action);
        add_maps(&mut self.by_reason, later.by_reason);
        widen(&mut self.first_seen, &mut self.last_seen, later.first_seen);
        widen(&mut self.first_seen, &mut self.last_seen, later.last_seen);
        widen(&mut self.read_from, &mut self.read_to, later.read_from);
        widen(&mut self.read_from, &mut self.read_to, later.read_to);
        for (hour, counts) in later.hours {
            self.hours.entry(hour).or_default().merge(counts);
        }
        self.messages.merge(later.messages);
        self.formats.extend(later.formats);
        merge_groups(
            &mut self.codes,
            later.codes,
            options.examples,
            CODE_DESTINATION_CAP,
        );
        merge_groups(
            &mut self.refusals,
            later.refusals,
            options.examples,
            CODE_DESTINATION_CAP,
        );
        merge_groups(
            &mut self.reject_warnings,
            later.reject_warnings,
            options.examples,
            CODE_DESTINATION_CAP,
        );
        self.screenings.merge(later.screenings);
        self.diagnostics.merge(later.diagnostics);
        self.diversions.merge(later.diversions);
        self.settle_restart_edges(&mut later.restart_edges);
        self.restarts.merge(later.restarts);
        for (hour, lines) in later.restart_hours {
            *self.restart_hours.entry(hour).or_default() += lines;
        }
        self.groups_dropped_max = self.groups_dropped_max.max(later.groups_dropped_max);
        let mut groups: Vec<_> = later.groups.into_iter().collect();
        groups.sort_by(|a, b| a.0.cmp(&b.0));
        for (key, group) in groups {
            self.groups
                .entry(key)
                .or_insert_with(|| Group::new(GROUP_DESTINATION_CAP))
                .merge(group, 0);
            if self.groups.len() >= GROUP_CAP * 2 {
                self.prune_groups();
            }
        }
        let room = UNMATCHED_CAP.saturating_sub(self.unmatched.len());
        self.unmatched
            .extend(later.unmatched.into_iter().take(room));
    }

    /// The codes, most frequent first, ties broken by the key so the order is fixed.
    pub fn codes_by_count(&self) -> Vec<(&CodeKey, &Group)> {
        by_count(&self.codes)
    }

    /// The refusal codes, most frequent first.
    pub fn refusals_by_count(&self) -> Vec<(&CodeKey, &Group)> {
        by_count(&self.refusals)
    }

    /// The reject warning codes, most frequent first.
    pub fn reject_warnings_by_count(&self) -> Vec<(&CodeKey, &Group)> {
        by_count(&self.reject_warnings)
    }

    /// Outcomes per day (local time) and class.
    pub fn days(&self) -> BTreeMap<chrono::NaiveDate, ClassCounts> {
        let mut days: BTreeMap<chrono::NaiveDate, ClassCounts> = BTreeMap::new();
        for (hour, counts) in &self.hours {
            days.entry(hour.date()).or_default().merge(*counts);
        }
        days
    }
}

fn by_count(map: &Map<CodeKey, Group>) -> Vec<(&CodeKey, &Group)> {
    let mut rows: Vec<_> = map.iter().collect();
    rows.sort_by(|a, b| b.1.count.cmp(&a.1.count).then_with(|| a.0.cmp(b.0)));
    rows
}

fn merge_groups(
    ours: &mut Map<CodeKey, Group>,
    theirs: Map<CodeKey, Group>,
    examples: usize,
    cap: usize,
) {
    for (key, group) in theirs {
        ours.entry(key)
            .or_insert_with(|| Group::new(cap))
            .merge(group, examples);
    }
}

pub(crate) fn widen(
    first: &mut Option<Timestamp>,
    last: &mut Option<Timestamp>,
    time: Option<Timestamp>,
) {
    let Some(time) = time else { return };
    if first.is_none_or(|f| time < f) {
        *first = Some(time);
    }
    if last.is_none_or(|l| time > l) {
        *last = Some(time);
    }
}

fn add_maps<K: Ord>(ours: &mut BTreeMap<K, u64>, theirs: BTreeMap<K, u64>) {
    for (key, count) in theirs {
        *ours.entry(key).or_default() += count;
    }
}

/// Builds tallies on the workers for `report`.
pub struct TallyCollector {
    /// What to collect.
    pub options: TallyOptions,
}

impl Collector for TallyCollector {
    type Part = Tally;

    fn part(&self) -> Tally {
        Tally::default()
    }

    fn event(&self, part: &mut Tally, source: &Source, line: u64, _raw: &str, event: &Event) {
        part.add(event, &source.name, line, &self.options);
    }

    fn unmatched(&self, part: &mut Tally, source: &Source, line: u64, raw: &str) {
        if self.options.keep_unmatched {
            part.add_unmatched(&source.name, line, raw);
        }
    }

    fn follows_messages(&self) -> bool {
        self.options.incident_review
    }

    fn delivery(&self, part: &mut Tally, source: &Source, line: u64, event: &Event) {
        part.sightings.attempt(event, &source.name, line);
        part.chunk_spikes.attempt(event);
    }

    fn lifecycle(&self, part: &mut Tally, source: &Source, line: u64, said: &Lifecycle) {
        part.sightings.lifecycle(said, &source.name, line);
    }

    fn wants_span(&self) -> bool {
        true
    }

    fn screened(&self, part: &mut Tally, screening: &Screening) {
        part.screenings.add(screening);
    }

    fn sum_up<T: Tallied>(
        &self,
        part: &mut Tally,
        source: &Source,
        line: u64,
        said: &TieredLine<T>,
    ) {
        T::sum_up(part, said, &source.name, line);
    }

    fn seal(&self, part: &mut Tally) {
        part.seal();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bounce(domain: &'static str, reply: u16, enhanced: &str) -> Event<'static> {
        let mut e = Event::new(LogFormat::Postfix, Direction::Outbound, Action::Bounced);
        e.reply_code = Some(reply);
        e.enhanced_code = Some(enhanced.parse().unwrap());
        e.recipient = domain;
        e.queue_id = "4AB12";
        e.settle_class();
        e
    }

    #[test]
    fn merging_in_order_equals_adding_in_order() {
        let options = TallyOptions {
            examples: 2,
            by: Some(Dimension::Domain),
            keep_unmatched: false,
            incident_review: false,
        };
        let events = [
            bounce("a@x.example", 550, "5.1.1"),
            bounce("b@Y.example", 550, "5.1.1"),
            bounce("c@y.example", 451, "4.7.1"),
            bounce("d@x.example", 550, "5.1.1"),
        ];
        let whole = Tally::of(&events, &options);
        let mut first = Tally::default();
        let mut second = Tally::default();
        for (i, e) in events.iter().enumerate() {
            let part = if i < 1 { &mut first } else { &mut second };
            part.add(e, "f", i as u64 + 1, &options);
        }
        first.merge(second, &options);
        assert_eq!(first.codes, whole.codes);
        assert_eq!(first.by_reason, whole.by_reason);
        assert_eq!(whole.by_reason.values().sum::<u64>(), 4);
        assert_eq!(first.groups, whole.groups);
        assert_eq!(whole.events(), 4);
        assert_eq!(whole.messages.count(), 1);
        let rows = whole.codes_by_count();
        assert_eq!(rows[0].0.reply, Some(550));
        assert_eq!(rows[0].1.count, 3);
        assert_eq!(
            rows[0].1.destinations.top(5),
            [("x.example", 2), ("y.example", 1)]
        );
        let lines: Vec<_> = rows[0].1.examples.iter().map(|e| e.line).collect();
        assert_eq!(lines, [1, 2]);
        assert_eq!(whole.groups.len(), 3);
    }

    #[test]
    fn refusals_are_kept_apart_from_outcomes() {
        let mut refusal = bounce("", 421, "4.7.0");
        refusal.action = Action::Refused;
        refusal.remote_host = "mx.example.org";
        refusal.settle_class();
        let mut tally = Tally::default();
        tally.add(&refusal, "f", 1, &TallyOptions::default());
        assert_eq!(tally.events(), 0);
        assert_eq!(tally.refusal_count(), 1);
    }

    #[test]
    fn key_counter_stays_bounded_and_keeps_heavy_hitters() {
        let mut counter = KeyCounter::new(10);
        for i in 0..10_000u32 {
            counter.add("heavy.example", 1);
            counter.add(&format!("rare{i}.example"), 1);
        }
        assert!(counter.keys_held() < 20);
        assert!(counter.approximate());
        assert_eq!(counter.top(1), [("heavy.example", 10_000)]);
    }

    #[test]
    fn merged_heavy_hitters_stay_within_their_stated_bound() {
        // A skewed stream over many keys, counted in three parts with a small cap, merged.
        let key_of = |i: u64| format!("d{}.example", (i * i) % 997 % (1 + i % 53));
        let mut truth: HashMap<String, u64> = HashMap::new();
        let mut parts = [KeyCounter::new(8), KeyCounter::new(8), KeyCounter::new(8)];
        for i in 0..30_000u64 {
            let key = key_of(i);
            *truth.entry(key.clone()).or_default() += 1;
            parts[(i % 3) as usize].add(&key, 1);
        }
        let [mut merged, second, third] = parts;
        merged.merge(second);
        merged.merge(third);
        assert!(merged.approximate());
        let bound = merged.max_undercount();
        for (key, kept) in merged.entries() {
            let exact = truth[key];
            assert!(kept <= exact, "{key}: {kept} > {exact}");
            assert!(exact - kept <= bound, "{key}: {exact} - {kept} > {bound}");
        }
        // The heaviest key is always held.
        let heaviest = truth
            .iter()
            .max_by_key(|(k, c)| (**c, std::cmp::Reverse(*k)))
            .unwrap();
        assert!(merged.entries().iter().any(|(k, _)| k == heaviest.0));
    }

    #[test]
    fn distinct_is_exact_then_close() {
        let mut small = Distinct::default();
        for i in 0..1000 {
            small.insert(i % 500);
        }
        assert_eq!(small.count(), 500);
        let mut big = Distinct::default();
        let mut other = Distinct::default();
        for i in 0..200_000u64 {
            if i % 2 == 0 {
                big.insert(i);
            } else {
                other.insert(i);
            }
        }
        big.merge(other);
        assert!(big.approximate());
        let count = big.count() as f64;
        assert!((count - 200_000.0).abs() / 200_000.0 < 0.05, "{count}");
    }
}
