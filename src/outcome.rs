//! Message outcomes: every delivery attempt of a (message, recipient) followed through the log
//! to how it ended: delivered at once, delivered after transient failures, bounced, expired, or
//! still pending when the log ends.
//!
//! Workers note what each chunk saw in a [`Sightings`]; the caller's thread feeds them to one
//! [`Follower`] in input order, which keeps only the messages still in the queue. A message is
//! closed when the MTA says it is done with it (Postfix `removed`, Exim `Completed`), when one
//! of its recipients is tried again after a final outcome (its id was given to a new message
//! and the `removed` line is missing), when it has been silent longer than any queue keeps a
//! message, or when too many messages are open at once. Closed messages leave only counts, so
//! memory stays bounded by the queue size and a cap, whatever the log size.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, VecDeque};
use std::hash::BuildHasher;
use std::sync::Arc;

use smallvec::SmallVec;

use crate::codes::{Action, EnhancedCode};
use crate::event::Event;
use crate::parse::Lifecycle;
use crate::time::Timestamp;

/// A message silent for longer than this is no longer in the queue: Postfix keeps a message at
/// most five days by default and Exim's default retry rule gives up after four.
const QUEUE_LIFETIME_DAYS: i64 = 6;
/// Recipients of open messages kept before the longest-silent messages are let go.
const OPEN_RECIPIENT_CAP: usize = 100_000;
/// Delays kept one by one; past this they are kept as a histogram.
const EXACT_DELAYS_CAP: usize = 100_000;
/// Lost recipients listed as examples.
pub const LOST_EXAMPLES: usize = 10;
/// Closed messages with lost recipients and no notification yet, kept in case the line of the
/// notification comes just after the one that ended the message.
const LATE_NOTIFICATION_WAIT: usize = 64;
/// How long after a message's end its notification is still taken as its own.
const LATE_NOTIFICATION_NANOS: i64 = 60 * NANOS_PER_SECOND;

/// A moment as nanoseconds of the log's UTC-corrected time, or unknown: half the size of an
/// `Option<NaiveDateTime>`, and an open message holds two. Nanoseconds keep the subtraction of two
/// instants exact for every time a log can hold (the years 1678 to 2262).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Instant(i64);

impl Instant {
    /// Sorts before every known instant, as `None` does.
    const UNKNOWN: Instant = Instant(i64::MIN);

    fn of(time: Option<Timestamp>) -> Instant {
        // The offset is taken off in nanoseconds rather than through a date-time subtraction:
        // this runs once per sighting on the one thread that follows messages.
        time.and_then(|t| {
            let local = t.local.and_utc().timestamp_nanos_opt()?;
            let offset = t.offset.map_or(0, |o| i64::from(o.local_minus_utc()));
            local.checked_sub(offset * NANOS_PER_SECOND)
        })
        .map_or(Instant::UNKNOWN, Instant)
    }

    fn known(self) -> Option<i64> {
        (self != Instant::UNKNOWN).then_some(self.0)
    }
}

impl Default for Instant {
    fn default() -> Self {
        Instant::UNKNOWN
    }
}

const NANOS_PER_SECOND: i64 = 1_000_000_000;
/// Nanoseconds a queue keeps a message at most.
const QUEUE_LIFETIME_NANOS: i64 = QUEUE_LIFETIME_DAYS * 24 * 3600 * NANOS_PER_SECOND;
/// Nanoseconds of log time between two sweeps for silent messages.
const SWEEP_EVERY_NANOS: i64 = 3600 * NANOS_PER_SECOND;

/// What happened to one delivery attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Seen {
    Attempt {
        action: Action,
        reply: Option<u16>,
        enhanced: Option<EnhancedCode>,
    },
    Ended,
    Made,
}

/// One noted line; its strings are ranges into [`Sightings::text`].
#[derive(Clone, Debug)]
struct Sighting {
    seen: Seen,
    time: Option<Timestamp>,
    line: u64,
    /// The id of an attempt's message, kept for the report's examples.
    id: (u32, u32),
    /// The recipient of an attempt, or the child of a `Made`.
    other: (u32, u32),
    /// The message an attempt or an end is about, or the parent of a `Made`, as [`key_of`].
    message: u64,
    /// The recipient of an attempt, as [`key_of`].
    recipient: u64,
}

/// Message and recipient keys, worked out on the workers so that the one thread following
/// messages hashes nothing. The ids are the MTA's own and the hosts come from syslog, so a fixed
/// seed is safe; two addresses of one message colliding would only merge their counts.
fn key_of(parts: impl std::hash::Hash) -> u64 {
    foldhash::fast::FixedState::with_seed(0x6f75_7463_6f6d_6573).hash_one(parts)
}

/// What one chunk saw of messages' lives, in the order read.
#[derive(Clone, Debug, Default)]
pub struct Sightings {
    file: Arc<str>,
    text: String,
    seen: Vec<Sighting>,
}

impl Sightings {
    fn keep(&mut self, value: &str) -> (u32, u32) {
        let start = self.text.len() as u32;
        self.text.push_str(value);
        (start, self.text.len() as u32)
    }

    fn get(&self, range: (u32, u32)) -> &str {
        &self.text[range.0 as usize..range.1 as usize]
    }

    fn name_file(&mut self, file: &str) {
        if self.file.is_empty() {
            self.file = file.into();
        }
    }

    /// Notes a delivery attempt read at `file:line`.
    pub fn attempt(&mut self, event: &Event<'_>, file: &str, line: u64) {
        if event.queue_id.is_empty() {
            return;
        }
        self.name_file(file);
        let seen = Seen::Attempt {
            action: event.action,
            reply: event.reply_code,
            enhanced: event.status_code(),
        };
        let sighting = Sighting {
            seen,
            time: event.timestamp,
            line,
            id: self.keep(event.queue_id),
            other: self.keep(event.followed_recipient()),
            message: key_of((event.host, event.queue_id)),
            recipient: key_of(event.followed_recipient()),
        };
        self.seen.push(sighting);
    }

    /// Notes a line that ends a message or makes one from another.
    pub fn lifecycle(&mut self, said: &Lifecycle<'_>, file: &str, line: u64) {
        self.name_file(file);
        let (seen, parent, child) = match said.message.made {
            Some((parent, child)) => (Seen::Made, parent, child),
            None if said.message.ends => (Seen::Ended, "", ""),
            None => return,
        };
        let about = if parent.is_empty() {
            said.message.id
        } else {
            parent
        };
        let sighting = Sighting {
            seen,
            time: said.timestamp,
            line,
            id: (0, 0),
            other: self.keep(child),
            message: key_of((said.host, about)),
            recipient: 0,
        };
        self.seen.push(sighting);
    }

    /// Whether nothing was noted.
    pub fn is_empty(&self) -> bool {
        self.seen.is_empty()
    }
}

/// How a recipient's deliveries ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ending {
    /// Delivered.
    Delivered,
    /// Refused for good; the sender is told.
    Bounced,
    /// Retried until the queue lifetime ran out.
    Expired,
}

/// One recipient of an open message, kept small: a long queue of deferred messages holds many.
/// What a lost recipient's example needs is kept only while the list of examples has room.
#[derive(Clone, Debug)]
struct Recipient {
    /// A hash of the address.
    key: u64,
    /// When its first attempt failed transiently.
    first_deferral: Instant,
    deferrals: u32,
    ending: Option<Ending>,
    /// Whether it has been counted already (delivered recipients are counted on delivery).
    counted: bool,
    example: Option<Box<ExampleDetail>>,
}

#[derive(Clone, Debug)]
struct ExampleDetail {
    address: Box<str>,
    attempts: u32,
    first_attempt: Option<Timestamp>,
    last_attempt: Option<Timestamp>,
    reply: Option<u16>,
    enhanced: Option<EnhancedCode>,
    file: Arc<str>,
    line: u64,
}

#[derive(Clone, Debug, Default)]
struct Message {
    /// The order messages were first seen in, which fixes the order they are closed in at the
    /// end of the log.
    order: u64,
    /// When it was last seen.
    last: Instant,
    /// Most messages have one recipient, kept inline: a message then costs no allocation.
    recipients: RecipientList,
    /// Its names, kept apart: a queue of deferred mail holds many messages, most of which never
    /// need them, and the smaller each open message, the fewer cache misses in following them.
    names: Option<Box<MessageNames>>,
}

#[derive(Clone, Debug, Default)]
struct MessageNames {
    /// The id, kept only while the list of lost examples has room.
    id: Option<Box<str>>,
    /// The queue id of the notification sent to the sender.
    notification: Option<Box<str>>,
}

/// A recipient that was never delivered, for the report's examples.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LostRecipient {
    /// The queue id or message id.
    pub id: String,
    /// The recipient.
    pub recipient: String,
    /// Bounced or expired.
    pub ending: Ending,
    /// Delivery attempts.
    pub attempts: u32,
    /// Transient failures before the end.
    pub deferrals: u32,
    /// The first attempt.
    pub first_attempt: Option<Timestamp>,
    /// The last attempt.
    pub last_attempt: Option<Timestamp>,
    /// The reply code of the last attempt.
    pub reply_code: Option<u16>,
    /// The enhanced code of the last attempt.
    pub enhanced_code: Option<EnhancedCode>,
    /// The queue id of the notification sent to the sender, where logged.
    pub notification: Option<String>,
    /// Where the last attempt was logged.
    pub file: String,
    /// Its line.
    pub line: u64,
}

/// Delays in seconds: exact while few, then a histogram with 32 buckets per power of two
/// (quantiles within about 3 %).
#[derive(Clone, Debug, Default)]
pub struct Delays {
    exact: Vec<u32>,
    buckets: Vec<u64>,
    count: u64,
    max: u64,
}

impl Delays {
    fn bucket_of(seconds: u64) -> usize {
        if seconds < 64 {
            return seconds as usize;
        }
        let power = 63 - seconds.leading_zeros() as usize;
        let fraction = ((seconds >> (power - 5)) & 31) as usize;
        64 + (power - 6) * 32 + fraction
    }

    fn lower_bound(bucket: usize) -> u64 {
        if bucket < 64 {
            return bucket as u64;
        }
        let power = (bucket - 64) / 32 + 6;
        let fraction = ((bucket - 64) % 32) as u64;
        (32 + fraction) << (power - 5)
    }

    fn add(&mut self, seconds: u64) {
        self.count += 1;
        self.max = self.max.max(seconds);
        if self.buckets.is_empty() && self.exact.len() < EXACT_DELAYS_CAP {
            self.exact.push(seconds.min(u64::from(u32::MAX)) as u32);
            return;
        }
        if self.buckets.is_empty() {
            for value in std::mem::take(&mut self.exact) {
                self.put(u64::from(value));
            }
        }
        self.put(seconds);
    }

    fn put(&mut self, seconds: u64) {
        let bucket = Self::bucket_of(seconds);
        if self.buckets.len() <= bucket {
            self.buckets.resize(bucket + 1, 0);
        }
        self.buckets[bucket] += 1;
    }

    /// Delays counted elsewhere: `exact` values while there are few, else `buckets` as
    /// [`Delays::buckets`] gave them; `None` when the parts do not agree.
    pub fn from_parts(exact: Vec<u32>, buckets: Vec<u64>, count: u64, max: u64) -> Option<Self> {
        let held = if buckets.is_empty() {
            exact.len() as u64
        } else {
            buckets.iter().sum()
        };
        let max_held = if buckets.is_empty() {
            exact.iter().copied().max().map_or(0, u64::from)
        } else {
            Self::lower_bound(buckets.len() - 1)
        };
        let consistent = held == count
            && (buckets.is_empty() || exact.is_empty())
            && exact.len() <= EXACT_DELAYS_CAP
            && buckets.len() <= Self::bucket_of(u64::MAX) + 1
            && max >= max_held;
        consistent.then_some(Delays {
            exact,
            buckets,
            count,
            max,
        })
    }

    /// The delays one by one, in increasing order, while they are kept so.
    pub fn exact_values(&self) -> Option<Vec<u32>> {
        self.buckets.is_empty().then(|| {
            let mut values = self.exact.clone();
            values.sort_unstable();
            values
        })
    }

    /// The histogram, once delays are kept so: counts per bucket, empty before.
    pub fn buckets(&self) -> &[u64] {
        &self.buckets
    }

    /// Adds delays counted elsewhere.
    pub fn absorb(&mut self, other: Delays) {
        if other.buckets.is_empty() {
            for value in other.exact {
                self.add(u64::from(value));
            }
            return;
        }
        if self.buckets.is_empty() {
            for value in std::mem::take(&mut self.exact) {
                self.put(u64::from(value));
            }
        }
        if self.buckets.len() < other.buckets.len() {
            self.buckets.resize(other.buckets.len(), 0);
        }
        for (ours, theirs) in self.buckets.iter_mut().zip(other.buckets) {
            *ours += theirs;
        }
        self.count += other.count;
        self.max = self.max.max(other.max);
    }

    /// How many delays.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// The longest delay.
    pub fn max(&self) -> u64 {
        self.max
    }

    /// Whether quantiles are read from the histogram.
    pub fn approximate(&self) -> bool {
        !self.buckets.is_empty()
    }

    /// The delay at quantile `q` (0 to 1), by nearest rank; `None` when there are none.
    pub fn quantile(&self, q: f64) -> Option<u64> {
        if self.count == 0 {
            return None;
        }
        let rank = ((q * self.count as f64).ceil() as u64).clamp(1, self.count);
        if self.buckets.is_empty() {
            let mut sorted = self.exact.clone();
            sorted.sort_unstable();
            return Some(u64::from(sorted[rank as usize - 1]));
        }
        let mut seen = 0;
        for (bucket, count) in self.buckets.iter().enumerate() {
            seen += count;
            if seen >= rank {
                return Some(Self::lower_bound(bucket).min(self.max));
            }
        }
        Some(self.max)
    }
}

/// What the followed messages came to. Counts are per (message, recipient).
#[derive(Clone, Debug, Default)]
pub struct OutcomeSummary {
    /// Messages followed.
    pub messages: u64,
    /// (message, recipient) pairs followed.
    pub recipients: u64,
    /// Delivered at the first attempt.
    pub delivered_at_once: u64,
    /// Delivered after 1, 2, 3, 4 and 5 or more transient failures.
    pub delivered_after: [u64; 5],
    /// Bounced without a transient failure before.
    pub bounced_at_once: u64,
    /// Bounced after at least one transient failure.
    pub bounced_after_deferral: u64,
    /// Expired after retries.
    pub expired: u64,
    /// Last tried with a transient failure and not ended when the log (or the time window)
    /// ends, or silent for longer than a queue keeps a message.
    pub pending: u64,
    /// Pending recipients let go early because too many messages were open at once.
    pub let_go: u64,
    /// For recipients delivered after transient failures: from the first failure to the
    /// delivery.
    pub delay: Delays,
    /// Lost recipients whose notification to the sender was logged.
    pub notified: u64,
    /// The first lost recipients, in the order their messages closed.
    pub lost_examples: Vec<LostRecipient>,
}

impl Ending {
    /// The lower-case name used in every output.
    pub fn label(self) -> &'static str {
        match self {
            Ending::Delivered => "delivered",
            Ending::Bounced => "bounced",
            Ending::Expired => "expired",
        }
    }
}

impl OutcomeSummary {
    /// Recipients delivered after at least one transient failure.
    pub fn delivered_after_deferral(&self) -> u64 {
        self.delivered_after.iter().sum()
    }

    /// Recipients never delivered: bounced or expired.
    pub fn lost(&self) -> u64 {
        self.bounced_at_once + self.bounced_after_deferral + self.expired
    }

    /// Adds what messages followed elsewhere came to. The sum is exact when no message's life
    /// is split between the two; a message split so is counted in each.
    pub fn absorb(&mut self, other: OutcomeSummary) {
        self.messages += other.messages;
        self.recipients += other.recipients;
        self.delivered_at_once += other.delivered_at_once;
        for (ours, theirs) in self.delivered_after.iter_mut().zip(other.delivered_after) {
            *ours += theirs;
        }
        self.bounced_at_once += other.bounced_at_once;
        self.bounced_after_deferral += other.bounced_after_deferral;
        self.expired += other.expired;
        self.pending += other.pending;
        self.let_go += other.let_go;
        self.delay.absorb(other.delay);
        self.notified += other.notified;
        let room = LOST_EXAMPLES.saturating_sub(self.lost_examples.len());
        self.lost_examples
            .extend(other.lost_examples.into_iter().take(room));
    }
}

/// Open messages by their key (see [`key_of`]); 64 bits make a collision between the messages of
/// a queue unlikely beyond concern.
///
/// The table maps a key to a slot of a slab of messages, and a closed message's slot is the
/// next one filled. Most messages live for a few lines, so a new message lands in memory that a
/// message just closed has left in the cache, and the table itself (16 bytes an entry) stays
/// small enough to be cached too; with the messages in the table, every new message would
/// write to a random place in several megabytes.
#[derive(Clone, Debug, Default)]
struct OpenMessages {
    slots: HashMap<u64, u32, std::hash::BuildHasherDefault<KeyHasher>>,
    messages: Vec<Message>,
    /// Slots of closed messages, the last closed on top.
    free: Vec<u32>,
}

type RecipientList = SmallVec<[Recipient; 1]>;

/// Spare lists kept, and the largest kept: enough for the multi-recipient messages open at
/// once on a busy server, too few and too small to matter for memory.
const SPARE_LISTS: usize = 4096;
const SPARE_LIST_LARGEST: usize = 16;

impl OpenMessages {
    fn get(&self, key: u64) -> Option<&Message> {
        self.slots
            .get(&key)
            .map(|slot| &self.messages[*slot as usize])
    }

    fn get_mut(&mut self, key: u64) -> Option<&mut Message> {
        self.slots
            .get(&key)
            .map(|slot| &mut self.messages[*slot as usize])
    }

    /// The message under `key`, made by `new` if there is none.
    fn get_or_insert_with(&mut self, key: u64, new: impl FnOnce() -> Message) -> &mut Message {
        let slot = match self.slots.entry(key) {
            Entry::Occupied(open) => *open.get(),
            Entry::Vacant(room) => {
                let message = new();
                let slot = match self.free.pop() {
                    Some(slot) => {
                        self.messages[slot as usize] = message;
                        slot
                    }
                    None => {
                        self.messages.push(message);
                        (self.messages.len() - 1) as u32
                    }
                };
                *room.insert(slot)
            }
        };
        &mut self.messages[slot as usize]
    }

    fn remove(&mut self, key: u64) -> Option<Message> {
        let slot = self.slots.remove(&key)?;
        self.free.push(slot);
        Some(std::mem::take(&mut self.messages[slot as usize]))
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.slots.len()
    }

    fn iter(&self) -> impl Iterator<Item = (u64, &Message)> {
        self.slots
            .iter()
            .map(|(key, slot)| (*key, &self.messages[*slot as usize]))
    }
}

/// Keys are hashes already, made on the workers: the table takes them as they are instead of
/// hashing them again on the one thread that follows messages.
#[derive(Default)]
struct KeyHasher(u64);

impl std::hash::Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only `u64` keys reach this table; anything else is folded in, never dropped.
        for byte in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*byte);
        }
    }

    fn write_u64(&mut self, key: u64) {
        self.0 = key;
    }
}

/// Follows messages through sightings fed in input order.
#[derive(Clone, Debug, Default)]
pub struct Follower {
    open: OpenMessages,
    /// Emptied recipient lists of closed messages that had spilled to the heap: a message
    /// gaining a second recipient takes one instead of allocating, as many do.
    spare_lists: Vec<RecipientList>,
    open_recipients: usize,
    seen_messages: u64,
    /// The latest time seen.
    latest: Instant,
    /// When silent messages were last looked for; a sweep walks every open message, so it
    /// runs once per hour of log time, or when the cap is passed.
    swept_at: Instant,
    /// Messages just closed with lost recipients and no notification, newest last.
    awaiting_notification: VecDeque<AwaitingNotification>,
    summary: OutcomeSummary,
}

/// A closed message whose notification may still be logged: Postfix's bounce process can write
/// `sender non-delivery notification: ID` just after qmgr's `ID: removed`, in the same second.
#[derive(Clone, Debug)]
struct AwaitingNotification {
    key: u64,
    closed_at: Instant,
    /// Its lost recipients.
    lost: u64,
    /// Where its lost recipients start and end in the list of examples.
    examples: std::ops::Range<usize>,
}

impl Follower {
    /// Follows the sightings of the next chunk.
    ///
    /// Whether a sweep is due is asked after every sighting, not once per chunk, so that what
    /// is let go, and when, does not depend on where the input was cut into chunks.
    pub fn follow(&mut self, sightings: &Sightings) {
        for sighting in &sightings.seen {
            self.take(sightings, sighting);
            self.sweep_if_due();
        }
    }

    fn sweep_if_due(&mut self) {
        let over_cap = self.open_recipients > OPEN_RECIPIENT_CAP;
        let due = match (self.swept_at.known(), self.latest.known()) {
            (Some(swept), Some(now)) => now.saturating_sub(swept) >= SWEEP_EVERY_NANOS,
            (None, Some(_)) => true,
            _ => false,
        };
        if due || over_cap {
            self.swept_at = self.latest;
            self.sweep();
        }
    }

    fn take(&mut self, sightings: &Sightings, sighting: &Sighting) {
        let at = Instant::of(sighting.time);
        // Unknown sorts first, so it never replaces a known time.
        self.latest = self.latest.max(at);
        let id = sightings.get(sighting.id);
        match sighting.seen {
            Seen::Ended => {
                if let Some(message) = self.open.remove(sighting.message) {
                    self.close(sighting.message, message);
                }
            }
            Seen::Made => {
                let child = sightings.get(sighting.other);
                if let Some(message) = self.open.get_mut(sighting.message) {
                    message.names.get_or_insert_with(Box::default).notification =
                        Some(child.into());
                } else {
                    self.notify_closed(sighting.message, at, child);
                }
            }
            Seen::Attempt {
                action,
                reply,
                enhanced,
            } => {
                let recipient = sightings.get(sighting.other);
                let key = sighting.message;
                let recipient_key = sighting.recipient;
                if let Some(message) = self.open.get(key)
                    && starts_another(message, recipient_key, action, at)
                {
                    let message = self.open.remove(key).expect("just seen");
                    self.close(key, message);
                }
                let seen_messages = &mut self.seen_messages;
                let keeps_names = self.summary.lost_examples.len() < LOST_EXAMPLES;
                let message = self.open.get_or_insert_with(key, || {
                    *seen_messages += 1;
                    Message {
                        order: *seen_messages,
                        last: Instant::UNKNOWN,
                        recipients: SmallVec::new(),
                        names: keeps_names.then(|| {
                            Box::new(MessageNames {
                                id: Some(id.into()),
                                notification: None,
                            })
                        }),
                    }
                });
                if at != Instant::UNKNOWN {
                    message.last = at;
                }
                let attempt = Attempt {
                    action,
                    reply,
                    enhanced,
                    time: sighting.time,
                    at,
                    file: &sightings.file,
                    line: sighting.line,
                };
                let summary = &mut self.summary;
                if recipient.is_empty() {
                    // qmgr's expiry names no recipient: it ends every one still waiting.
                    if action == Action::Expired {
                        for waiting in message.recipients.iter_mut() {
                            if waiting.ending.is_none() {
                                record(waiting, &attempt, summary);
                            }
                        }
                    }
                    return;
                }
                match message
                    .recipients
                    .iter_mut()
                    .find(|r| r.key == recipient_key)
                {
                    Some(known) => record(known, &attempt, summary),
                    None => {
                        let example = (summary.lost_examples.len() < LOST_EXAMPLES).then(|| {
                            Box::new(ExampleDetail {
                                address: recipient.into(),
                                attempts: 0,
                                first_attempt: None,
                                last_attempt: None,
                                reply: None,
                                enhanced: None,
                                file: Arc::clone(&sightings.file),
                                line: 0,
                            })
                        });
                        let new = Recipient {
                            key: recipient_key,
                            first_deferral: Instant::UNKNOWN,
                            deferrals: 0,
                            ending: None,
                            counted: false,
                            example,
                        };
                        if !message.recipients.spilled()
                            && message.recipients.len() == message.recipients.inline_size()
                            && let Some(mut spare) = self.spare_lists.pop()
                        {
                            spare.extend(message.recipients.drain(..));
                            message.recipients = spare;
                        }
                        // Recorded where it is kept: a copy made after recording would read
                        // back at once what the recording had just written.
                        message.recipients.push(new);
                        let new = message.recipients.last_mut().expect("just pushed");
                        record(new, &attempt, summary);
                        self.open_recipients += 1;
                    }
                }
            }
        }
    }

    /// Closes messages silent for longer than a queue keeps one, and, past the cap, the
    /// longest-silent half of the rest.
    fn sweep(&mut self) {
        if let Some(latest) = self.latest.known() {
            let horizon = latest.saturating_sub(QUEUE_LIFETIME_NANOS);
            let stale: Vec<_> = self
                .open
                .iter()
                .filter(|(_, m)| m.last.known().is_some_and(|t| t < horizon))
                .map(|(key, m)| (m.order, key))
                .collect();
            self.close_keys(stale, false);
        }
        if self.open_recipients > OPEN_RECIPIENT_CAP {
            let mut by_silence: Vec<_> = self
                .open
                .iter()
                .map(|(key, m)| (m.last, m.order, key))
                .collect();
            by_silence.sort();
            let half = by_silence.len() / 2;
            let oldest = by_silence
                .into_iter()
                .take(half)
                .map(|(_, order, key)| (order, key))
                .collect();
            self.close_keys(oldest, true);
        }
    }

    fn close_keys(&mut self, mut keys: Vec<(u64, u64)>, let_go: bool) {
        keys.sort();
        for (_, key) in keys {
            if let Some(message) = self.open.remove(key) {
                if let_go {
                    self.summary.let_go += message
                        .recipients
                        .iter()
                        .filter(|r| r.ending.is_none())
                        .count() as u64;
                }
                self.close(key, message);
            }
        }
    }

    /// Gives a notification logged after its message's end to that message, if it ended
    /// lately.
    fn notify_closed(&mut self, key: u64, at: Instant, child: &str) {
        let Some(index) = self
            .awaiting_notification
            .iter()
            .rposition(|m| m.key == key)
        else {
            return;
        };
        let Some(waiting) = self.awaiting_notification.remove(index) else {
            return;
        };
        if let (Some(closed), Some(now)) = (waiting.closed_at.known(), at.known())
            && now.saturating_sub(closed) > LATE_NOTIFICATION_NANOS
        {
            return;
        }
        self.summary.notified += waiting.lost;
        for example in &mut self.summary.lost_examples[waiting.examples] {
            example.notification = Some(child.to_string());
        }
    }

    fn close(&mut self, message_key: u64, mut message: Message) {
        self.open_recipients -= message.recipients.len();
        if message.recipients.is_empty() {
            return;
        }
        let summary = &mut self.summary;
        let lost_before = summary.lost();
        let examples_before = summary.lost_examples.len();
        summary.messages += 1;
        for recipient in message.recipients.drain(..) {
            summary.recipients += 1;
            let ending = match recipient.ending {
                _ if recipient.counted => continue,
                None => {
                    summary.pending += 1;
                    continue;
                }
                Some(ending) => ending,
            };
            match ending {
                Ending::Expired => summary.expired += 1,
                _ if recipient.deferrals > 0 => summary.bounced_after_deferral += 1,
                _ => summary.bounced_at_once += 1,
            }
            let names = message.names.as_deref();
            let notification = names.and_then(|n| n.notification.as_deref());
            if notification.is_some() {
                summary.notified += 1;
            }
            if let (Some(progress), Some(id)) =
                (recipient.example, names.and_then(|n| n.id.as_deref()))
                && summary.lost_examples.len() < LOST_EXAMPLES
            {
                summary.lost_examples.push(LostRecipient {
                    id: id.to_string(),
                    recipient: progress.address.into(),
                    ending,
                    attempts: progress.attempts,
                    deferrals: recipient.deferrals,
                    first_attempt: progress.first_attempt,
                    last_attempt: progress.last_attempt,
                    reply_code: progress.reply,
                    enhanced_code: progress.enhanced,
                    notification: notification.map(str::to_string),
                    file: progress.file.to_string(),
                    line: progress.line,
                });
            }
        }
        let lost = summary.lost() - lost_before;
        let notified = message
            .names
            .as_ref()
            .is_some_and(|n| n.notification.is_some());
        if lost > 0 && !notified {
            if self.awaiting_notification.len() == LATE_NOTIFICATION_WAIT {
                self.awaiting_notification.pop_front();
            }
            self.awaiting_notification.push_back(AwaitingNotification {
                key: message_key,
                closed_at: self.latest,
                lost,
                examples: examples_before..summary.lost_examples.len(),
            });
        }
        let list = message.recipients;
        if list.spilled()
            && list.capacity() <= SPARE_LIST_LARGEST
            && self.spare_lists.len() < SPARE_LISTS
        {
            self.spare_lists.push(list);
        }
    }

    /// Closes every message still open, as the log ends, and gives what they came to.
    pub fn finish(mut self) -> OutcomeSummary {
        // Only keys are gathered: a copy of every open message beside the table would be the
        // largest allocation of the whole scan.
        let rest = self.open.iter().map(|(key, m)| (m.order, key)).collect();
        self.close_keys(rest, false);
        self.summary
    }
}

/// One attempt, as recorded on its recipient.
struct Attempt<'a> {
    action: Action,
    reply: Option<u16>,
    enhanced: Option<EnhancedCode>,
    time: Option<Timestamp>,
    /// `time` as an [`Instant`].
    at: Instant,
    file: &'a Arc<str>,
    line: u64,
}

fn record(recipient: &mut Recipient, attempt: &Attempt<'_>, summary: &mut OutcomeSummary) {
    if recipient.counted {
        return;
    }
    if let Some(example) = recipient.example.as_deref_mut() {
        // An expiry is the queue giving up, not one more try: the attempts, their times and
        // the last reply stay those of the tries before it; only the line is the expiry's. An
        // expiry that quotes a server's reply (Exim's `H=...: 451 ...: retry timeout
        // exceeded`) was a try, the last one.
        if attempt.action != Action::Expired || attempt.reply.is_some() {
            example.attempts += 1;
            if example.first_attempt.is_none() {
                example.first_attempt = attempt.time;
            }
            if attempt.time.is_some() {
                example.last_attempt = attempt.time;
            }
            example.reply = attempt.reply;
            example.enhanced = attempt.enhanced;
        }
        if !Arc::ptr_eq(&example.file, attempt.file) {
            example.file = Arc::clone(attempt.file);
        }
        example.line = attempt.line;
    }
    match attempt.action {
        Action::Deferred => {
            recipient.deferrals += 1;
            if recipient.first_deferral == Instant::UNKNOWN {
                recipient.first_deferral = attempt.at;
            }
        }
        Action::Sent => {
            recipient.ending = Some(Ending::Delivered);
            if recipient.deferrals == 0 {
                summary.delivered_at_once += 1;
            } else {
                let slot = (recipient.deferrals as usize).clamp(1, 5) - 1;
                summary.delivered_after[slot] += 1;
                if let (Some(first), Some(done)) =
                    (recipient.first_deferral.known(), attempt.at.known())
                {
                    let seconds = done.saturating_sub(first) / NANOS_PER_SECOND;
                    summary.delay.add(seconds.max(0) as u64);
                }
            }
            recipient.counted = true;
            recipient.example = None;
        }
        Action::Bounced | Action::Expired => {
            recipient.ending = Some(if attempt.action == Action::Bounced {
                Ending::Bounced
            } else {
                Ending::Expired
            });
            if summary.lost_examples.len() >= LOST_EXAMPLES {
                recipient.example = None;
            }
        }
        _ => {}
    }
}

/// Whether an attempt on an open message's id belongs to a new message that was given the same
/// id: its recipient already had its final outcome, or the message has been silent for longer
/// than a queue keeps one.
fn starts_another(message: &Message, recipient: u64, action: Action, at: Instant) -> bool {
    if let (Some(last), Some(now)) = (message.last.known(), at.known())
        && now.saturating_sub(last) > QUEUE_LIFETIME_NANOS
    {
        return true;
    }
    // A second expiry line for a message names no recipient and ends nothing new; a recipient
    // is never tried again after its final outcome within one message.
    action != Action::Expired
        && message
            .recipients
            .iter()
            .any(|r| r.key == recipient && r.ending.is_some())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::Direction;
    use crate::event::LogFormat;
    use chrono::Duration;

    fn at(day: u32, hour: u32) -> Option<Timestamp> {
        let local = chrono::NaiveDate::from_ymd_opt(2026, 11, day)?.and_hms_opt(hour, 0, 0)?;
        Some(Timestamp {
            local,
            offset: None,
        })
    }

    fn attempt<'a>(id: &'a str, to: &'a str, action: Action, time: Option<Timestamp>) -> Event<'a> {
        let mut event = Event::new(LogFormat::Postfix, Direction::Outbound, action);
        event.queue_id = id;
        event.recipient = to;
        event.timestamp = time;
        event.settle_class();
        event
    }

    #[test]
    fn a_closed_message_leaves_its_slot_to_the_next() {
        let message = |order| Message {
            order,
            ..Message::default()
        };
        let mut open = OpenMessages::default();
        open.get_or_insert_with(10, || message(1));
        open.get_or_insert_with(20, || message(2));
        // An open key is found, not made again.
        assert_eq!(open.get_or_insert_with(10, || message(9)).order, 1);
        assert_eq!(open.remove(10).map(|m| m.order), Some(1));
        assert!(open.remove(10).is_none());
        assert!(open.get(10).is_none());
        open.get_or_insert_with(30, || message(3));
        assert_eq!(open.messages.len(), 2, "the freed slot is filled again");
        let mut live: Vec<_> = open.iter().map(|(key, m)| (key, m.order)).collect();
        live.sort();
        assert_eq!(live, [(20, 2), (30, 3)]);
        open.get_mut(30).unwrap().order = 4;
        assert_eq!(open.get(30).map(|m| m.order), Some(4));
        assert_eq!(open.len(), 2);
    }

    #[test]
    fn delays_are_exact_while_few_and_close_when_many() {
        let mut few = Delays::default();
        for seconds in [60, 7200, 900] {
            few.add(seconds);
        }
        assert_eq!(few.quantile(0.5), Some(900));
        assert_eq!(few.quantile(0.9), Some(7200));
        assert!(!few.approximate());

        let mut many = Delays::default();
        for seconds in 1..=200_000u64 {
            many.add(seconds);
        }
        assert!(many.approximate());
        assert_eq!(many.max(), 200_000);
        let median = many.quantile(0.5).unwrap() as f64;
        assert!((median - 100_000.0).abs() / 100_000.0 < 0.04, "{median}");
    }

    /// A bounce of `id` to `to` at `time`, its end, and its notification, in the given order.
    fn bounce_then(
        id: &str,
        notification_first: bool,
        notified_at: Option<Timestamp>,
    ) -> OutcomeSummary {
        let mut sightings = Sightings::default();
        sightings.attempt(
            &attempt(id, "a@x.example", Action::Bounced, at(1, 8)),
            "f",
            1,
        );
        let notification = Lifecycle {
            timestamp: notified_at,
            host: "",
            ..Lifecycle::made(id, id, "9Z8Y7X6W5V")
        };
        let end = Lifecycle {
            timestamp: at(1, 8),
            host: "",
            ..Lifecycle::ended(id)
        };
        if notification_first {
            sightings.lifecycle(&notification, "f", 2);
            sightings.lifecycle(&end, "f", 3);
        } else {
            sightings.lifecycle(&end, "f", 2);
            sightings.lifecycle(&notification, "f", 3);
        }
        let mut follower = Follower::default();
        follower.follow(&sightings);
        follower.finish()
    }

    #[test]
    fn an_expiry_is_not_counted_as_an_attempt() {
        let mut sightings = Sightings::default();
        let mut deferred = attempt("1A2B3C4D5E", "a@x.example", Action::Deferred, at(1, 8));
        deferred.reply_code = Some(452);
        sightings.attempt(&deferred, "f", 1);
        sightings.attempt(
            &attempt("1A2B3C4D5E", "a@x.example", Action::Expired, at(6, 8)),
            "f",
            2,
        );
        // A message whose tries were all logged before the log starts.
        sightings.attempt(
            &attempt("2B3C4D5E6F", "b@x.example", Action::Expired, at(6, 9)),
            "f",
            3,
        );
        // An expiry that quotes the reply of its own try (Exim's `H=...: 451 ...: retry
        // timeout exceeded`) is that try.
        let mut last_try = attempt("3C4D5E6F70", "c@x.example", Action::Expired, at(6, 10));
        last_try.reply_code = Some(451);
        sightings.attempt(&last_try, "f", 4);
        let mut follower = Follower::default();
        follower.follow(&sightings);
        let summary = follower.finish();
        assert_eq!(summary.expired, 3);
        let [tried, untried, quoted] = &summary.lost_examples[..] else {
            panic!("{:?}", summary.lost_examples);
        };
        assert_eq!((quoted.attempts, quoted.reply_code), (1, Some(451)));
        assert_eq!((tried.attempts, tried.reply_code), (1, Some(452)));
        assert_eq!((tried.last_attempt, tried.line), (at(1, 8), 2));
        let after = crate::render::text::after_attempts;
        assert_eq!(after(tried).as_deref(), Some("after 1 attempt"));
        assert_eq!((untried.attempts, after(untried)), (0, None));
    }

    #[test]
    fn a_notification_logged_just_after_the_end_still_counts() {
        for notification_first in [true, false] {
            let summary = bounce_then("1A2B3C4D5E", notification_first, at(1, 8));
            assert_eq!(
                (summary.lost(), summary.notified),
                (1, 1),
                "{notification_first}"
            );
            assert_eq!(
                summary.lost_examples[0].notification.as_deref(),
                Some("9Z8Y7X6W5V")
            );
        }
        // An hour later the id names another message: its notification is not this one's.
        let summary = bounce_then("1A2B3C4D5E", false, at(1, 9));
        assert_eq!((summary.lost(), summary.notified), (1, 0));
        assert_eq!(summary.lost_examples[0].notification, None);
    }

    #[test]
    fn a_message_silent_past_any_queue_lifetime_is_closed_as_pending() {
        let mut sightings = Sightings::default();
        sightings.attempt(
            &attempt("1A2B3C4D5E", "a@x.example", Action::Deferred, at(1, 8)),
            "f",
            1,
        );
        let mut follower = Follower::default();
        follower.follow(&sightings);
        assert_eq!(follower.open.len(), 1);
        // Later traffic, a week on, lets the silent message go at the next sweep.
        let mut later = Sightings::default();
        later.attempt(
            &attempt("2B3C4D5E6F", "b@x.example", Action::Sent, at(9, 8)),
            "f",
            2,
        );
        follower.follow(&later);
        assert_eq!(follower.open.len(), 1);
        let summary = follower.finish();
        assert_eq!((summary.pending, summary.delivered_at_once), (1, 1));
        assert_eq!(summary.messages, 2);
    }

    #[test]
    fn what_is_let_go_does_not_depend_on_where_chunks_end() {
        // More deferred messages than may be open at once, a second apart, then deliveries of
        // some: the cap is passed, and the oldest are let go.
        let start = at(1, 0).unwrap();
        let ids: Vec<String> = (0..OPEN_RECIPIENT_CAP + 30_000)
            .map(|n| format!("{n:010X}"))
            .collect();
        let attempts: Vec<Event> = ids
            .iter()
            .enumerate()
            .map(|(n, id)| {
                let time = Timestamp {
                    local: start.local + Duration::seconds(n as i64),
                    offset: None,
                };
                let action = if n % 7 == 0 {
                    Action::Sent
                } else {
                    Action::Deferred
                };
                attempt(id, "a@x.example", action, Some(time))
            })
            .collect();
        let follow_in_chunks = |size: usize| {
            let mut follower = Follower::default();
            for (chunk, events) in attempts.chunks(size).enumerate() {
                let mut sightings = Sightings::default();
                for (n, event) in events.iter().enumerate() {
                    sightings.attempt(event, "f", (chunk * size + n) as u64 + 1);
                }
                follower.follow(&sightings);
            }
            let summary = follower.finish();
            (
                summary.let_go,
                summary.pending,
                summary.delivered_at_once,
                summary.messages,
            )
        };
        let whole = follow_in_chunks(attempts.len());
        assert!(whole.0 > 0, "the cap was never passed: {whole:?}");
        assert_eq!(follow_in_chunks(7_919), whole);
        assert_eq!(follow_in_chunks(65_536), whole);
    }
}
