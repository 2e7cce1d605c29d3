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

/// Longer replies are classified afresh each time: they are rare, and remembering them would
/// let a log of long replies make the memory large.
const LONGEST_REMEMBERED: usize = 1024;

/// What a reason was given for; the text is a range of its generation's `texts`.
struct Key {
    reply_code: Option<u16>,
    enhanced: Option<EnhancedCode>,
    direction: Direction,
    stage: Option<&'static str>,
    text: (u32, u32),
}

/// Remembered reasons, with the texts they were given for kept end to end in one string, so
/// that remembering a reply allocates nothing once the string has grown to its working size.
#[derive(Default)]
struct Generation {
    reasons: HashMap<u64, (Key, &'static str), foldhash::fast::FixedState>,
    texts: String,
}

impl Generation {
    fn text(&self, range: (u32, u32)) -> &str {
        &self.texts[range.0 as usize..range.1 as usize]
    }

    fn keep(&mut self, text: &str) -> (u32, u32) {
        let start = self.texts.len() as u32;
        self.texts.push_str(text);
        (start, self.texts.len() as u32)
    }

    fn clear(&mut self) {
        self.reasons.clear();
        self.texts.clear();
    }
}

/// The reasons given lately, in two generations: when the young one is full it becomes the
/// old one, and an entry found in the old one moves back to the young one. Replies that keep
/// coming back stay remembered; one-off replies age out.
#[derive(Default)]
struct Generations {
    young: Generation,
    old: Generation,
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
    if text.len() > LONGEST_REMEMBERED {
        return super::classify_at(reply_code, enhanced, text, direction, stage).reason;
    }
    let hash = foldhash::fast::FixedState::default()
        .hash_one((reply_code, enhanced, direction, stage, text));
    let same = |generation: &Generation, key: &Key| {
        key.reply_code == reply_code
            && key.enhanced == enhanced
            && key.direction == direction
            && key.stage == stage
            && generation.text(key.text) == text
    };
    MEMORY.with(|memory| {
        let mut memory = memory.borrow_mut();
        let Generations { young, old } = &mut *memory;
        if let Some((key, reason)) = young.reasons.get(&hash)
            && same(young, key)
        {
            return *reason;
        }
        let reason = match old.reasons.get(&hash) {
            Some((key, reason)) if same(old, key) => *reason,
            _ => super::classify_at(reply_code, enhanced, text, direction, stage).reason,
        };
        if young.reasons.len() >= CAPACITY / 2 {
            // The old generation's room is reused for the new young one.
            std::mem::swap(young, old);
            young.clear();
        }
        let key = Key {
            reply_code,
            enhanced,
            direction,
            stage,
            text: young.keep(text),
        };
        young.reasons.insert(hash, (key, reason));
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
            assert!(!memory.young.texts.contains(&text));
        });
    }
}
