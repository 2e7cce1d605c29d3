//! Joining a [`Tally`] with the knowledge base into a [`Report`]: rows in a fixed order, each
//! with its name, share, destinations and advice. Renderers only lay this out; nothing here
//! writes bytes.

use crate::aggregate::{CodeKey, Example, Tally};
use crate::codes::{Class, Direction, Permanence};
use crate::kb::{self, Advice};
use crate::time::Timestamp;

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
}

/// One row of the codes table.
#[derive(Clone, Debug)]
pub struct CodeRow {
    /// The codes.
    pub key: CodeKey,
    /// The class the codes give.
    pub class: Class,
    /// Matches the class.
    pub permanence: Permanence,
    /// How many events.
    pub count: u64,
    /// `count` over all events, 0 to 1.
    pub share: f64,
    /// The earliest time seen.
    pub first_seen: Option<Timestamp>,
    /// The latest time seen.
    pub last_seen: Option<Timestamp>,
    /// The most frequent destinations with their counts.
    pub top: Vec<(String, u64)>,
    /// Who sent the reply.
    pub direction: Direction,
    /// What the knowledge base says, for the most common text of the code.
    pub advice: Advice,
    /// The first example lines.
    pub examples: Vec<Example>,
}

/// Everything a renderer needs.
#[derive(Clone, Debug)]
pub struct Report {
    /// The inputs in the order given.
    pub inputs: Vec<InputSummary>,
    /// The tally behind it.
    pub tally: Tally,
    /// The codes table, most frequent first.
    pub rows: Vec<CodeRow>,
}

impl Report {
    /// Builds the report; `top` caps the destinations listed per code.
    pub fn new(inputs: Vec<InputSummary>, tally: Tally, top: usize) -> Report {
        let total = tally.events().max(1) as f64;
        let rows = tally
            .codes_by_count()
            .into_iter()
            .map(|(key, stats)| {
                let class = key.class;
                let direction = key.direction;
                let text = stats.examples.first().map_or("", |e| e.text.as_str());
                CodeRow {
                    key: *key,
                    class,
                    permanence: class.permanence(),
                    count: stats.count,
                    share: stats.count as f64 / total,
                    first_seen: stats.first_seen,
                    last_seen: stats.last_seen,
                    top: stats
                        .top_destinations(top)
                        .into_iter()
                        .map(|(d, c)| (d.to_string(), c))
                        .collect(),
                    direction,
                    advice: kb::advice(key.reply, key.enhanced, text, direction),
                    examples: stats.examples.clone(),
                }
            })
            .collect();
        Report {
            inputs,
            tally,
            rows,
        }
    }
}
