//! `--fail-on` conditions: `permanent>100`, `5xx>2%`, `421>=1`, `4.7.*>50`, `transient>=10%`.
//!
//! A condition names which outcomes to count (any `--only` item), a comparison, and a number
//! or a percentage of all outcomes. The report is written either way; a condition that holds
//! makes the exit status 3.

use std::fmt;

use crate::filter::{self, OnlyItem, ValueError};

/// How a count is compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Comparison {
    /// `>`
    Greater,
    /// `>=`
    AtLeast,
}

/// One `--fail-on` condition.
#[derive(Clone, Debug, PartialEq)]
pub struct Threshold {
    /// The text as given, for messages.
    pub text: String,
    /// Which outcomes are counted.
    pub selector: OnlyItem,
    /// How the count is compared.
    pub comparison: Comparison,
    /// The limit: a count, or a percentage of all outcomes.
    pub limit: Limit,
}

/// The right-hand side of a condition.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Limit {
    /// A number of outcomes.
    Count(u64),
    /// A percentage (0 to 100) of all outcomes.
    Percent(f64),
}

impl Threshold {
    /// Reads one condition.
    pub fn parse(text: &str) -> Result<Threshold, ValueError> {
        let bad = || {
            ValueError(format!(
                "`{text}` is not a condition: write WHAT>N, WHAT>=N or a percentage \
                 (permanent>100, 5xx>2%, 421>=1, 4.7.*>50, transient>=10%)"
            ))
        };
        let (at, comparison, width) = match (text.find(">="), text.find('>')) {
            (Some(at), _) => (at, Comparison::AtLeast, 2),
            (None, Some(at)) => (at, Comparison::Greater, 1),
            _ => return Err(bad()),
        };
        let what = text[..at].trim();
        let value = text[at + width..].trim();
        let mut selectors = filter::parse_only(what)?;
        if selectors.len() != 1 {
            return Err(bad());
        }
        let limit = match value.strip_suffix('%') {
            Some(number) => {
                let percent: f64 = number.trim().parse().map_err(|_| bad())?;
                if !(0.0..=100.0).contains(&percent) {
                    return Err(bad());
                }
                Limit::Percent(percent)
            }
            None => Limit::Count(value.parse().map_err(|_| bad())?),
        };
        Ok(Threshold {
            text: text.to_string(),
            selector: selectors.remove(0),
            comparison,
            limit,
        })
    }

    /// Whether the condition holds for `count` matching outcomes out of `total`.
    pub fn holds(&self, count: u64, total: u64) -> bool {
        let (left, right) = match self.limit {
            Limit::Count(limit) => (count as f64, limit as f64),
            Limit::Percent(percent) if total == 0 => (0.0, percent),
            Limit::Percent(percent) => (count as f64 * 100.0 / total as f64, percent),
        };
        match self.comparison {
            Comparison::Greater => left > right,
            Comparison::AtLeast => left >= right,
        }
    }
}

impl fmt::Display for Threshold {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_of_the_contract_parse_and_compare() {
        let t = Threshold::parse("permanent>100").unwrap();
        assert!(!t.holds(100, 1000) && t.holds(101, 1000));
        let t = Threshold::parse("5xx>2%").unwrap();
        assert!(!t.holds(2, 100) && t.holds(3, 100));
        assert!(!t.holds(0, 0));
        let t = Threshold::parse("421>=1").unwrap();
        assert!(!t.holds(0, 5) && t.holds(1, 5));
        let t = Threshold::parse("4.7.*>50").unwrap();
        assert!(t.holds(51, 51));
        let t = Threshold::parse("transient >= 10%").unwrap();
        assert!(t.holds(10, 100) && !t.holds(9, 100));
        for bad in [
            "5xx",
            "5xx>",
            "5xx>x",
            "6xx>1",
            "5xx,4xx>1",
            "5xx>101%",
            ">1",
        ] {
            assert!(Threshold::parse(bad).is_err(), "{bad}");
        }
    }
}
