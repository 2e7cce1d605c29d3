//! A per-thread memory of recent classifications.
//!
//! Classifying a reply runs the whole pattern set over its text, the dearest step per event.
//! Mail logs repeat themselves (the same greylisting notice, the same provider refusal, the same
//! local reject for thousands of recipients), so each worker thread remembers the reasons it
//! gave lately. The answer is the same with or without the memory; only the time changes.

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::BuildHasher;

use crate::codes::{Direction, EnhancedCode};

/// Entries kept per thread, both generations together: enough for the distinct replies of a
/// busy day, small enough to stay in cache.
const CAPACITY: usize = 16_384;

#[derive(PartialEq, Eq)]
struct Key {
    reply_code: Option<u16>,
    enhanced: Option<EnhancedCode>,
    direction: Direction,
    stage: Option<&'static str>,
    text: Box<str>,
}

type Memory = HashMap<u64, (Key, &'static str), foldhash::fast::FixedState>;

/// The reasons given lately, in two generations: when the young one is full it becomes the
/// old one, and an entry found in the old one moves back to the young one. Replies that keep
/// coming back stay remembered; one-off replies age out.
#[derive(Default)]
struct Generations {
    young: Memory,
    old: Memory,
}

thread_local! {
    static MEMORY: RefCell<Generations> = RefCell::new(Generations::default());
}

/// The reason [`super::classify_at`] gives, remembered per thread.
pub fn reason_at(
    reply_code: Option<u16>,
    enhanced: Option<EnhancedCode>,
    text: &str,
    direction: Direction,
    stage: Option<&'static str>,
) -> &'static str {
    let hash = foldhash::fast::FixedState::default()
        .hash_one((reply_code, enhanced, direction, stage, text));
    let same = |key: &Key| {
        key.reply_code == reply_code
            && key.enhanced == enhanced
            && key.direction == direction
            && key.stage == stage
            && *key.text == *text
    };
    MEMORY.with(|memory| {
        let mut memory = memory.borrow_mut();
        if let Some((key, reason)) = memory.young.get(&hash)
            && same(key)
        {
            return *reason;
        }
        let entry = match memory.old.remove(&hash) {
            Some((key, reason)) if same(&key) => (key, reason),
            _ => {
                let reason =
                    super::classify_at(reply_code, enhanced, text, direction, stage).reason;
                let key = Key {
                    reply_code,
                    enhanced,
                    direction,
                    stage,
                    text: text.into(),
                };
                (key, reason)
            }
        };
        let reason = entry.1;
        if memory.young.len() >= CAPACITY / 2 {
            let young = std::mem::take(&mut memory.young);
            memory.old = young;
        }
        memory.young.insert(hash, entry);
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
            assert!(memory.young.len() + memory.old.len() <= CAPACITY);
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
}
