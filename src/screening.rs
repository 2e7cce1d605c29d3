//! The sum of postscreen's verdicts: how many clients it answered and let through, which tests
//! clients failed, which blocklists listed them, and which clients failed most. On an exposed
//! server most unwanted connections end in postscreen, and only its verdicts tell of them, so
//! a report without them would hide most of the screening work.

use crate::aggregate::KeyCounter;
use crate::parse::postscreen::{Finding, Screening, Verdict};

/// Clients whose failures are counted exactly before the smallest are dropped.
pub const FAILING_CLIENT_CAP: usize = 2_000;

/// Blocklists counted exactly before the smallest are dropped: a server asks a handful.
pub const LIST_CAP: usize = 100;

/// Verdict lines per verdict, per client for the failed tests, and dnsblog's listings per
/// blocklist.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Screenings {
    counts: [u64; Verdict::ALL.len()],
    failing: KeyCounter,
    lists: KeyCounter,
}

impl Default for Screenings {
    fn default() -> Self {
        Screenings {
            counts: [0; Verdict::ALL.len()],
            failing: KeyCounter::new(FAILING_CLIENT_CAP),
            lists: KeyCounter::new(LIST_CAP),
        }
    }
}

impl Screenings {
    /// The verdicts counted elsewhere (a merged summary), with the failing clients it kept.
    pub fn from_parts(
        counts: impl IntoIterator<Item = (Verdict, u64)>,
        failing: KeyCounter,
        lists: KeyCounter,
    ) -> Self {
        let mut screenings = Screenings {
            failing,
            lists,
            ..Screenings::default()
        };
        for (verdict, count) in counts {
            screenings.counts[verdict as usize] += count;
        }
        screenings
    }

    /// Counts one line of the screening.
    pub fn add(&mut self, screening: &Screening<'_>) {
        match screening.finding {
            Finding::Verdict { verdict, client } => {
                self.counts[verdict as usize] += 1;
                if verdict.is_failure() {
                    self.failing.add(client, 1);
                }
            }
            Finding::Listed { list } => self.lists.add(list, 1),
        }
    }

    /// Adds the verdicts counted in another part.
    pub fn merge(&mut self, other: Screenings) {
        for (ours, theirs) in self.counts.iter_mut().zip(other.counts) {
            *ours += theirs;
        }
        self.failing.merge(other.failing);
        self.lists.merge(other.lists);
    }

    /// The verdict lines of one kind.
    pub fn count(&self, verdict: Verdict) -> u64 {
        self.counts[verdict as usize]
    }

    /// Whether nothing of the screening was read: the log has no postscreen, or the filters
    /// left it out.
    pub fn is_empty(&self) -> bool {
        self.counts.iter().all(|&count| count == 0) && self.lists.keys_held() == 0
    }

    /// Whether a report lists `verdict`: the passes always, so that a reader sees how many
    /// clients went through, and the rest (tests failed, allowlist vetoes) when they occurred.
    pub fn is_listed(&self, verdict: Verdict) -> bool {
        match verdict {
            Verdict::Connect | Verdict::PassNew | Verdict::PassOld | Verdict::Allowlisted => true,
            _ => self.count(verdict) > 0,
        }
    }

    /// Failed tests, all kinds together.
    pub fn failures(&self) -> u64 {
        Verdict::ALL
            .into_iter()
            .filter(|v| v.is_failure())
            .map(|v| self.count(v))
            .sum()
    }

    /// The clients that failed tests, per client.
    pub fn failing_clients(&self) -> &KeyCounter {
        &self.failing
    }

    /// dnsblog's listings, per blocklist: which lists do the screening's work.
    pub fn lists(&self) -> &KeyCounter {
        &self.lists
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn screening(verdict: Verdict, client: &str) -> Screening<'_> {
        Screening {
            timestamp: None,
            finding: Finding::Verdict { verdict, client },
        }
    }

    #[test]
    fn verdicts_are_counted_and_only_failures_name_clients() {
        let mut part = Screenings::default();
        assert!(part.is_empty());
        part.add(&screening(Verdict::Connect, "192.0.2.1"));
        part.add(&screening(Verdict::PassNew, "192.0.2.1"));
        part.add(&screening(Verdict::Pregreet, "203.0.113.7"));
        let mut other = Screenings::default();
        other.add(&screening(Verdict::Dnsbl, "203.0.113.7"));
        other.add(&screening(Verdict::Hangup, "198.51.100.2"));
        for list in ["zen.spamhaus.org", "zen.spamhaus.org", "bl.example"] {
            other.add(&Screening {
                timestamp: None,
                finding: Finding::Listed { list },
            });
        }
        part.merge(other);
        assert!(!part.is_empty());
        assert_eq!(part.count(Verdict::Connect), 1);
        assert_eq!(part.count(Verdict::Dnsbl), 1);
        assert_eq!(part.failures(), 3);
        assert_eq!(
            part.failing_clients().top(5),
            [("203.0.113.7", 2), ("198.51.100.2", 1)]
        );
        assert_eq!(
            part.lists().top(5),
            [("zen.spamhaus.org", 2), ("bl.example", 1)]
        );
    }
}
