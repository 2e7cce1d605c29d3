//! `mailsift trace`: every line of one message's life, found by its queue id, its message id
//! or an address, with the messages made from it (bounce and delay notices, and the copy a
//! content filter on the same host queued again) followed.
//!
//! Two passes over the inputs: the first learns which messages the target names and which
//! messages were made from which, the second keeps their lines. Lines are then put in time
//! order by the caller. Nothing here formats output.

use std::collections::HashSet;
use std::sync::Arc;

use crate::event::Event;
use crate::kb;
use crate::parse::{self, Parsed};
use crate::pipeline::{Collector, Source};
use crate::time::Timestamp;

/// Lines kept at most: a trace is read by a person, and an address seen all over a large log
/// would otherwise fill memory.
pub const LINE_CAP: usize = 100_000;

/// Parent-to-child links kept at most in the first pass.
const LINK_CAP: usize = 200_000;

/// What to trace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A Postfix queue id or an Exim message id, as written.
    Id(String),
    /// An envelope address, matched without regard to case.
    Address(String),
}

impl Target {
    /// An address when the text holds `@`, else an id.
    pub fn new(text: &str) -> Target {
        let text = text.trim().trim_start_matches('<').trim_end_matches('>');
        if text.contains('@') {
            Target::Address(text.to_ascii_lowercase())
        } else {
            Target::Id(text.to_string())
        }
    }

    fn matches_text(&self, raw: &str) -> bool {
        match self {
            Target::Id(_) => false,
            Target::Address(address) => contains_ignoring_case(raw, address),
        }
    }
}

fn contains_ignoring_case(haystack: &str, lower_needle: &str) -> bool {
    let needle = lower_needle.as_bytes();
    haystack
        .as_bytes()
        .windows(needle.len().max(1))
        .any(|w| w.eq_ignore_ascii_case(needle))
}

/// The first pass: the messages the target names, and every parent-to-child link.
pub struct FindMessages<'a> {
    /// What is traced.
    pub target: &'a Target,
}

/// What the first pass found in one chunk.
#[derive(Default)]
pub struct Found {
    /// Messages the target names.
    pub ids: Vec<String>,
    /// (parent, child) links.
    pub links: Vec<(String, String)>,
}

impl Collector for FindMessages<'_> {
    type Part = Found;

    fn part(&self) -> Found {
        Found::default()
    }

    fn event(&self, _: &mut Found, _: &Source, _: u64, _: &str, _: &Event) {}

    fn every_line(&self) -> bool {
        true
    }

    fn line(&self, part: &mut Found, source: &Source, _: u64, raw: &str, parsed: &Parsed) {
        let Some(parse::MessageLine { id, made, .. }) = parse::message_of(raw, &source.context)
        else {
            return;
        };
        // A content filter on this host queued the message again: its life goes on there.
        if let Parsed::Event(event) = parsed
            && let Some(requeued) = event.requeued_as()
            && part.links.len() < LINK_CAP
        {
            part.links.push((id.to_string(), requeued.to_string()));
        }
        let named = match self.target {
            Target::Id(target) => id == target,
            Target::Address(_) => self.target.matches_text(raw),
        };
        if named {
            part.ids.push(id.to_string());
        }
        if let Some((parent, child)) = made
            && part.links.len() < LINK_CAP
        {
            part.links.push((parent.to_string(), child.to_string()));
        }
    }
}

/// The messages to trace: those named, and those made from them, transitively.
pub fn messages_to_trace(target: &Target, found: Vec<Found>) -> HashSet<String> {
    let mut ids: HashSet<String> = HashSet::new();
    if let Target::Id(id) = target {
        ids.insert(id.clone());
    }
    let mut links = Vec::new();
    for part in found {
        ids.extend(part.ids);
        links.extend(part.links);
    }
    loop {
        let before = ids.len();
        for (parent, child) in &links {
            if ids.contains(parent) && !ids.contains(child) {
                ids.insert(child.clone());
            }
        }
        if ids.len() == before {
            return ids;
        }
    }
}

/// One line of a trace.
#[derive(Clone, Debug)]
pub struct TracedLine {
    /// When it was written, if readable.
    pub time: Option<Timestamp>,
    /// The input's position among the inputs, and its name.
    pub source: (usize, Arc<str>),
    /// Its line number.
    pub line: u64,
    /// The line.
    pub text: String,
    /// The message it belongs to, if it names one.
    pub message: Option<String>,
    /// Whether it ends that message's life, so that its id may name another message after.
    pub ends_message: bool,
    /// Whether it tells of a notification made from that message (Postfix's `sender
    /// non-delivery notification: ID`), which may be logged just after the message's end.
    pub notifies: bool,
    /// For a line with an SMTP outcome, what it means in one line.
    pub note: Option<String>,
}

/// The second pass: the lines of the messages found.
pub struct CollectLines<'a> {
    /// What is traced.
    pub target: &'a Target,
    /// The messages found by the first pass.
    pub messages: &'a HashSet<String>,
}

impl Collector for CollectLines<'_> {
    type Part = Vec<TracedLine>;

    fn part(&self) -> Vec<TracedLine> {
        Vec::new()
    }

    fn event(&self, _: &mut Vec<TracedLine>, _: &Source, _: u64, _: &str, _: &Event) {}

    fn every_line(&self) -> bool {
        true
    }

    fn line(
        &self,
        part: &mut Vec<TracedLine>,
        source: &Source,
        line: u64,
        raw: &str,
        parsed: &Parsed,
    ) {
        let message = parse::message_of(raw, &source.context);
        let kept =
            message.is_some_and(|m| self.messages.contains(m.id)) || self.target.matches_text(raw);
        if !kept || part.len() >= LINE_CAP {
            return;
        }
        let (time, note) = match parsed {
            Parsed::Event(event) => (event.timestamp, Some(note_of(event))),
            _ => (parse::time_of(raw, &source.context), None),
        };
        part.push(TracedLine {
            time,
            source: (source.index, Arc::from(source.name.as_str())),
            line,
            text: raw.to_string(),
            message: message.map(|m| m.id.to_string()),
            ends_message: message.is_some_and(|m| m.ends),
            notifies: message.is_some_and(|m| m.made.is_some_and(|(parent, _)| parent == m.id)),
            note,
        });
    }
}

/// An outcome in one line: its codes, what happened, the reason the knowledge base gives and
/// the name of the reply.
pub fn note_of(event: &Event) -> String {
    let enhanced = event.status_code();
    let found = kb::classify_at(
        event.reply_code,
        enhanced,
        &event.text,
        event.direction,
        event.stage,
    );
    let reason = crate::pipeline::reason_of(event);
    let name = found
        .pattern
        .map(|p| p.title.to_string())
        .or_else(|| {
            event
                .reply_code
                .and_then(kb::reply_entry)
                .map(|e| e.name.to_string())
        })
        .or_else(|| enhanced.map(|code| kb::enhanced_entry(code).entry.name.to_string()))
        .unwrap_or_default();
    let codes = crate::codes::codes_text(event.reply_code, enhanced);
    let stage = event.stage.map(|s| format!(" at {s}")).unwrap_or_default();
    format!(
        "{codes} {} {}{stage}, {}: {reason}: {name}",
        event.direction.label(),
        event.action.label(),
        event.class.permanence().label(),
    )
}

/// Puts the lines in time order; lines with the same time, or none, are ordered by file name
/// and line, so that the files of a rotated set may be given in any order.
pub fn in_time_order(mut lines: Vec<TracedLine>) -> Vec<TracedLine> {
    lines.sort_by(|a, b| {
        let key = |l: &TracedLine| l.time.map(|t| t.sort_key());
        key(a)
            .cmp(&key(b))
            .then_with(|| a.source.1.cmp(&b.source.1))
            .then(a.source.0.cmp(&b.source.0))
            .then(a.line.cmp(&b.line))
    });
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_are_ids_or_addresses() {
        assert_eq!(Target::new("2B3C4D5E6F"), Target::Id("2B3C4D5E6F".into()));
        assert_eq!(
            Target::new("<Bob@Example.org>"),
            Target::Address("bob@example.org".into())
        );
        assert!(Target::new("bob@example.org").matches_text("to=<BOB@example.ORG>, relay="));
        assert!(!Target::new("bob@example.org").matches_text("to=<rob@example.org>"));
    }

    #[test]
    fn children_of_children_are_followed() {
        let target = Target::Id("A1B2C3D4E5".into());
        let found = vec![Found {
            ids: vec![],
            links: vec![
                ("B1B2C3D4E5".into(), "C1B2C3D4E5".into()),
                ("A1B2C3D4E5".into(), "B1B2C3D4E5".into()),
                ("D1B2C3D4E5".into(), "E1B2C3D4E5".into()),
            ],
        }];
        let ids = messages_to_trace(&target, found);
        assert_eq!(ids.len(), 3);
        assert!(ids.contains("C1B2C3D4E5"));
        assert!(!ids.contains("E1B2C3D4E5"));
    }
}
