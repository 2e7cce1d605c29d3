//! A per-thread memory of recent classifications.
//!
//! Classifying a reply runs the whole pattern set over its text, the dearest step per event.
//! Mail logs repeat themselves (the same greylisting notice, the same provider refusal, the same
//! local reject for thousands of recipients), so each worker thread remembers the reasons it
//! gave lately. The answer is the same with or without the memory; only the time changes.

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::BuildHasher;

use xxhash_rust::xxh3::xxh3_64_with_seed;

use crate::codes::{Direction, EnhancedCode};

/// Entries kept per thread, both generations together: enough for the distinct replies of a
/// busy day, small enough to stay in cache.
const CAPACITY: usize = 16_384;

/// Longer replies are classified afresh each time: they are rare, and remembering them would
/// let a log of long replies make the memory large.
const LONGEST_REMEMBERED: usize = 1024;

/// What a reason was given for; the text is a range of its generation's `texts`, as logged
/// or folded as the patterns read it.
struct Key {
    reply_code: Option<u16>,
    enhanced: Option<EnhancedCode>,
    direction: Direction,
    stage: Option<&'static str>,
    folded: bool,
    text: (u32, u32),
}

/// A reply looked up: its codes, where it was said, and its text as logged or folded.
#[derive(Clone, Copy)]
struct Query<'a> {
    reply_code: Option<u16>,
    enhanced: Option<EnhancedCode>,
    direction: Direction,
    stage: Option<&'static str>,
    folded: bool,
    text: &'a [u8],
}

impl Query<'_> {
    /// The text is hashed in one pass, seeded by the other fields: a reply is a hundred bytes
    /// or more, which xxh3 reads in wide strides where a general hasher takes a word at a time.
    fn hash(&self) -> u64 {
        let fields = foldhash::fast::FixedState::default().hash_one((
            self.reply_code,
            self.enhanced,
            self.direction,
            self.stage,
            self.folded,
        ));
        xxh3_64_with_seed(self.text, fields)
    }

    fn is(&self, generation: &Generation, key: &Key) -> bool {
        key.reply_code == self.reply_code
            && key.enhanced == self.enhanced
            && key.direction == self.direction
            && key.stage == self.stage
            && key.folded == self.folded
            && generation.text(key.text) == self.text
    }
}

/// Remembered reasons, with the texts they were given for kept end to end in one buffer, so
/// that remembering a reply allocates nothing once the buffer has grown to its working size.
#[derive(Default)]
struct Generation {
    reasons: HashMap<u64, (Key, &'static str), foldhash::fast::FixedState>,
    texts: Vec<u8>,
}

impl Generation {
    fn text(&self, range: (u32, u32)) -> &[u8] {
        &self.texts[range.0 as usize..range.1 as usize]
    }

    fn keep(&mut self, text: &[u8]) -> (u32, u32) {
        let start = self.texts.len() as u32;
        self.texts.extend_from_slice(text);
        (start, self.texts.len() as u32)
    }

    fn clear(&mut self) {
        self.reasons.clear();
        self.texts.clear();
    }

    fn get(&self, query: &Query, hash: u64) -> Option<&'static str> {
        match self.reasons.get(&hash) {
            Some((key, reason)) if query.is(self, key) => Some(reason),
            _ => None,
        }
    }
}

/// The reasons given lately, in two generations: when the young one is full it becomes the
/// old one, and an entry found in the old one moves back to the young one. Replies that keep
/// coming back stay remembered; one-off replies age out.
#[derive(Default)]
struct Generations {
    young: Generation,
    old: Generation,
    /// The text being looked up, folded.
    folded: Vec<u8>,
}

impl Generations {
    fn recall(&mut self, query: &Query, hash: u64) -> Option<&'static str> {
        if let Some(reason) = self.young.get(query, hash) {
            return Some(reason);
        }
        let reason = self.old.get(query, hash)?;
        self.remember(query, hash, reason);
        Some(reason)
    }

    fn remember(&mut self, query: &Query, hash: u64, reason: &'static str) {
        if self.young.reasons.len() >= CAPACITY / 2 {
            // The old generation's room is reused for the new young one.
            std::mem::swap(&mut self.young, &mut self.old);
            self.young.clear();
        }
        let key = Key {
            reply_code: query.reply_code,
            enhanced: query.enhanced,
            direction: query.direction,
            stage: query.stage,
            folded: query.folded,
            text: self.young.keep(query.text),
        };
        self.young.reasons.insert(hash, (key, reason));
    }
}

thread_local! {
    static MEMORY: RefCell<Generations> = RefCell::new(Generations::default());
}

/// The reason [`super::classify_at`] gives, remembered per thread.
///
/// A text seen before as it is costs one lookup. Other texts are folded (see
/// [`super::patterns::fold`]) and looked up again: the answer depends on nothing else, so
/// replies that differ only in the recipient, the client's address or a tracking id share
/// one entry, and the patterns run once for all of them.
pub fn reason_at(
    reply_code: Option<u16>,
    enhanced: Option<EnhancedCode>,
    text: &str,
    direction: Direction,
    stage: Option<&'static str>,
) -> &'static str {
    if text.len() > LONGEST_REMEMBERED {
        return super::classify_at(reply_code, enhanced, text, direction, stage).reason;
    }
    MEMORY.with(|memory| {
        let mut memory = memory.borrow_mut();
        let as_logged = Query {
            reply_code,
            enhanced,
            direction,
            stage,
            folded: false,
            text: text.as_bytes(),
        };
        let as_logged_hash = as_logged.hash();
        if let Some(reason) = memory.recall(&as_logged, as_logged_hash) {
            return reason;
        }
        let mut folded = std::mem::take(&mut memory.folded);
        super::patterns::fold(text, &mut folded);
        let as_read = Query {
            folded: true,
            text: &folded,
            ..as_logged
        };
        let as_read_hash = as_read.hash();
        let reason = memory.recall(&as_read, as_read_hash).unwrap_or_else(|| {
            let reason =
                super::classify_folded(reply_code, enhanced, &folded, direction, stage).reason;
            memory.remember(&as_read, as_read_hash, reason);
            reason
        });
        memory.remember(&as_logged, as_logged_hash, reason);
        memory.folded = folded;
        reason
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembered_answers_equal_fresh_ones() {
        let cases = [
            (Some(550), "5.1.1", "User unknown", Some("RCPT")),
            (
                Some(451),
                "4.7.1",
                "Greylisted, please try again later",
                None,
            ),
            (
                Some(535),
                "5.7.8",
                "Authentication credentials invalid",
                Some("AUTH"),
            ),
            (
                Some(454),
                "4.7.0",
                "TLS not available due to local problem",
                Some("STARTTLS"),
            ),
            (
                Some(454),
                "4.7.0",
                "TLS not available due to local problem",
                Some("AUTH"),
            ),
        ];
        for round in 0..3 {
            for (code, enhanced, text, stage) in cases {
                let enhanced = enhanced.parse().ok();
                for direction in [Direction::Inbound, Direction::Outbound] {
                    let fresh = super::super::classify_at(code, enhanced, text, direction, stage);
                    assert_eq!(
                        reason_at(code, enhanced, text, direction, stage),
                        fresh.reason,
                        "round {round}: {code:?} {text}"
                    );
                }
            }
        }
    }

    #[test]
    fn memory_starts_over_when_full() {
        for i in 0..CAPACITY * 2 + 10 {
            let text = format!("mailbox {i} is full");
            reason_at(Some(552), None, &text, Direction::Outbound, None);
        }
        MEMORY.with(|memory| {
            let memory = memory.borrow();
            assert!(memory.young.reasons.len() + memory.old.reasons.len() <= CAPACITY);
            assert!(memory.young.texts.len() <= CAPACITY / 2 * LONGEST_REMEMBERED);
        });
        assert_eq!(
            reason_at(
                Some(552),
                None,
                "mailbox 3 is full",
                Direction::Outbound,
                None
            ),
            super::super::classify_at(
                Some(552),
                None,
                "mailbox 3 is full",
                Direction::Outbound,
                None
            )
            .reason
        );
    }

    #[test]
    fn long_replies_are_answered_but_not_remembered() {
        let text = format!("mailbox full {}", "x".repeat(LONGEST_REMEMBERED));
        let fresh = super::super::classify_at(Some(552), None, &text, Direction::Outbound, None);
        for _ in 0..2 {
            assert_eq!(
                reason_at(Some(552), None, &text, Direction::Outbound, None),
                fresh.reason
            );
        }
        MEMORY.with(|memory| {
            let memory = memory.borrow();
            assert!(memchr::memmem::find(&memory.young.texts, text.as_bytes()).is_none());
        });
    }

    #[test]
    fn replies_for_other_recipients_and_clients_share_an_entry() {
        let texts = [
            "<walter1814@example.com>: Recipient address rejected: User unknown in virtual mailbox table",
            "<Sybil.765@example.com>: Recipient address rejected: User unknown in virtual mailbox table",
        ];
        for text in texts {
            reason_at(
                Some(550),
                "5.1.1".parse().ok(),
                text,
                Direction::Inbound,
                Some("RCPT"),
            );
        }
        let blocked = [
            "Service unavailable; Client host [198.51.100.24] blocked using zen.spamhaus.org",
            "Service unavailable; Client host [203.0.113.9] blocked using zen.spamhaus.org",
            "Service unavailable; Client host [IPv6:2001:db8::25] blocked using zen.spamhaus.org",
        ];
        for text in blocked {
            reason_at(
                Some(554),
                "5.7.1".parse().ok(),
                text,
                Direction::Inbound,
                Some("RCPT"),
            );
        }
        MEMORY.with(|memory| {
            let memory = memory.borrow();
            let folded: Vec<&[u8]> = memory
                .young
                .reasons
                .values()
                .filter(|(key, _)| key.folded)
                .map(|(key, _)| memory.young.text(key.text))
                .collect();
            assert_eq!(folded.len(), 2, "one folded entry per kind of reply");
            assert!(
                folded
                    .iter()
                    .all(|text| !text.windows(6).any(|w| w == b"walter"))
            );
        });
    }
}
