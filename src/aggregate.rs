//! Grouping events into a [`Tally`]: counts by class, permanence and action, and for each
//! (reply code, enhanced code) pair its count, first and last time, destinations, reasons and a
//! few example lines.
//!
//! Tallies are built per chunk on the workers and merged in input order, so every capped list
//! (examples) holds the first entries in input order whatever the chunk size or thread count.
//! This module knows nothing of output formats or advice.

use std::collections::{BTreeMap, HashMap};

use crate::codes::{Action, Class, Direction, EnhancedCode, Permanence};
use crate::event::Event;
use crate::pipeline::{Collector, LineCounts, Source};
use crate::time::Timestamp;

/// The key of one row of the codes table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
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

/// What is known of one code.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CodeStats {
    /// Events with this code.
    pub count: u64,
    /// The earliest time seen.
    pub first_seen: Option<Timestamp>,
    /// The latest time seen.
    pub last_seen: Option<Timestamp>,
    /// Events per recipient domain (outbound) or per client (inbound).
    pub destinations: HashMap<String, u64>,
    /// Events per knowledge-base reason.
    pub reasons: HashMap<&'static str, u64>,
    /// The first example lines, in input order.
    pub examples: Vec<Example>,
}

/// Everything counted in a run.
#[derive(Clone, Debug, Default)]
pub struct Tally {
    /// How lines were spent.
    pub lines: LineCounts,
    /// Events per class.
    pub by_class: BTreeMap<Class, u64>,
    /// Events per permanence.
    pub by_permanence: BTreeMap<Permanence, u64>,
    /// Events per action.
    pub by_action: BTreeMap<Action, u64>,
    /// Per code.
    pub codes: HashMap<CodeKey, CodeStats>,
    /// The earliest event time.
    pub first_seen: Option<Timestamp>,
    /// The latest event time.
    pub last_seen: Option<Timestamp>,
}

impl Tally {
    /// The number of events counted.
    pub fn events(&self) -> u64 {
        self.by_class.values().sum()
    }

    /// Adds one event.
    pub fn add(&mut self, event: &Event<'_>, file: &str, line: u64, examples: usize) {
        *self.by_class.entry(event.class).or_default() += 1;
        *self.by_permanence.entry(event.permanence).or_default() += 1;
        *self.by_action.entry(event.action).or_default() += 1;
        widen(&mut self.first_seen, &mut self.last_seen, event.timestamp);
        let key = CodeKey {
            direction: event.direction,
            class: event.class,
            reply: event.reply_code,
            enhanced: event.enhanced_code.or(event.dsn),
        };
        let stats = self.codes.entry(key).or_default();
        stats.count += 1;
        widen(&mut stats.first_seen, &mut stats.last_seen, event.timestamp);
        let destination = destination_of(event);
        if !destination.is_empty() {
            match stats.destinations.get_mut(destination.as_str()) {
                Some(count) => *count += 1,
                None => {
                    stats.destinations.insert(destination, 1);
                }
            }
        }
        *stats.reasons.entry(event.reason).or_default() += 1;
        if stats.examples.len() < examples {
            stats.examples.push(Example {
                file: file.to_string(),
                line,
                text: event.text.to_string(),
            });
        }
    }

    /// Adds a later tally into this one; `examples` caps the example lists.
    pub fn merge(&mut self, later: Tally, examples: usize) {
        self.lines += later.lines;
        add_maps(&mut self.by_class, later.by_class);
        add_maps(&mut self.by_permanence, later.by_permanence);
        add_maps(&mut self.by_action, later.by_action);
        widen(&mut self.first_seen, &mut self.last_seen, later.first_seen);
        widen(&mut self.first_seen, &mut self.last_seen, later.last_seen);
        for (key, theirs) in later.codes {
            let ours = self.codes.entry(key).or_default();
            ours.count += theirs.count;
            widen(&mut ours.first_seen, &mut ours.last_seen, theirs.first_seen);
            widen(&mut ours.first_seen, &mut ours.last_seen, theirs.last_seen);
            for (destination, count) in theirs.destinations {
                *ours.destinations.entry(destination).or_default() += count;
            }
            for (reason, count) in theirs.reasons {
                *ours.reasons.entry(reason).or_default() += count;
            }
            let room = examples.saturating_sub(ours.examples.len());
            ours.examples.extend(theirs.examples.into_iter().take(room));
        }
    }

    /// The codes, most frequent first, ties broken by the key so the order is fixed.
    pub fn codes_by_count(&self) -> Vec<(&CodeKey, &CodeStats)> {
        let mut rows: Vec<_> = self.codes.iter().collect();
        rows.sort_by(|a, b| b.1.count.cmp(&a.1.count).then_with(|| a.0.cmp(b.0)));
        rows
    }
}

impl CodeStats {
    /// The `n` most frequent destinations, ties broken by name.
    pub fn top_destinations(&self, n: usize) -> Vec<(&str, u64)> {
        let mut rows: Vec<_> = self
            .destinations
            .iter()
            .map(|(name, count)| (name.as_str(), *count))
            .collect();
        rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        rows.truncate(n);
        rows
    }

    /// The most frequent reason, ties broken by name.
    pub fn main_reason(&self) -> &'static str {
        self.reasons
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
            .map_or("other", |(reason, _)| reason)
    }
}

/// Outbound events are grouped by the recipient's domain, inbound ones by the client.
fn destination_of(event: &Event<'_>) -> String {
    match event.direction {
        Direction::Outbound => event.recipient_domain().into_owned(),
        Direction::Inbound if !event.remote_host.is_empty() && event.remote_host != "unknown" => {
            event.remote_host.to_ascii_lowercase()
        }
        Direction::Inbound => event.remote_ip.to_string(),
    }
}

fn widen(first: &mut Option<Timestamp>, last: &mut Option<Timestamp>, time: Option<Timestamp>) {
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
    /// How many example lines to keep per code.
    pub examples: usize,
}

impl Collector for TallyCollector {
    type Part = Tally;

    fn part(&self) -> Tally {
        Tally::default()
    }

    fn event(&self, part: &mut Tally, source: &Source, line: u64, _raw: &str, event: &Event) {
        part.add(event, &source.name, line, self.examples);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::LogFormat;

    fn bounce(domain: &'static str, reply: u16, enhanced: &str) -> Event<'static> {
        let mut e = Event::new(LogFormat::Postfix, Direction::Outbound, Action::Bounced);
        e.reply_code = Some(reply);
        e.enhanced_code = Some(enhanced.parse().unwrap());
        e.recipient = domain;
        e.settle_class();
        e
    }

    #[test]
    fn merging_in_order_equals_adding_in_order() {
        let events = [
            bounce("a@x.example", 550, "5.1.1"),
            bounce("b@Y.example", 550, "5.1.1"),
            bounce("c@y.example", 451, "4.7.1"),
            bounce("d@x.example", 550, "5.1.1"),
        ];
        let mut whole = Tally::default();
        for (i, e) in events.iter().enumerate() {
            whole.add(e, "f", i as u64 + 1, 2);
        }
        let mut first = Tally::default();
        let mut second = Tally::default();
        for (i, e) in events.iter().enumerate() {
            let part = if i < 1 { &mut first } else { &mut second };
            part.add(e, "f", i as u64 + 1, 2);
        }
        first.merge(second, 2);
        assert_eq!(first.codes, whole.codes);
        assert_eq!(whole.events(), 4);
        let rows = whole.codes_by_count();
        assert_eq!(rows[0].0.reply, Some(550));
        assert_eq!(rows[0].1.count, 3);
        assert_eq!(
            rows[0].1.top_destinations(5),
            [("x.example", 2), ("y.example", 1)]
        );
        let lines: Vec<_> = rows[0].1.examples.iter().map(|e| e.line).collect();
        assert_eq!(lines, [1, 2]);
    }
}
