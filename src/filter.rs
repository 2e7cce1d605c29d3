//! Which events a run keeps: the time window (`--since`, `--until`), the codes and classes
//! (`--only`) and the direction (`--direction`), and the parsing of those flags' values.
//!
//! Parsing takes "now" as an argument instead of reading the clock, so that relative times are
//! testable and one run uses one "now" throughout.

use std::fmt;

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime};

use crate::codes::{Class, Direction, EnhancedCode, Permanence};
use crate::event::Event;
use crate::time::Timestamp;

/// The conditions an event must meet to be kept.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EventFilter {
    /// Keep events at or after this machine-local time.
    pub since: Option<NaiveDateTime>,
    /// Keep events strictly before this machine-local time.
    pub until: Option<NaiveDateTime>,
    /// Keep events matching any of these; all events when empty.
    pub only: Vec<OnlyItem>,
    /// Keep events of this direction; both when `None`.
    pub direction: Option<Direction>,
}

impl EventFilter {
    /// Whether the event is kept. An event without a readable time is dropped by a time window,
    /// since it cannot be shown to lie inside it.
    pub fn keeps(&self, event: &Event<'_>) -> bool {
        if let Some(direction) = self.direction
            && event.direction != direction
        {
            return false;
        }
        self.in_window(event.timestamp)
            && (self.only.is_empty() || self.only.iter().any(|item| item.matches(event)))
    }

    /// Whether one of postscreen's verdicts written at `time` is kept: it has no code for
    /// `--only` to match and is about clients, so `--only` and `--direction outbound` leave it
    /// out.
    pub fn keeps_screening(&self, time: Option<Timestamp>) -> bool {
        self.only.is_empty() && self.direction != Some(Direction::Outbound) && self.in_window(time)
    }

    /// Whether a line with neither a code nor a direction, written at `time`, is kept: a
    /// problem the MTA reported about itself, or a rule's action on a message (a rule may act
    /// on mail coming in or going out alike), so any `--only` or `--direction` leaves it out.
    pub fn keeps_undirected(&self, time: Option<Timestamp>) -> bool {
        self.only.is_empty() && self.direction.is_none() && self.in_window(time)
    }

    /// Whether a line written at `time` lies inside `--since` and `--until`.
    pub fn in_window(&self, time: Option<Timestamp>) -> bool {
        if self.since.is_none() && self.until.is_none() {
            return true;
        }
        let Some(time) = time.map(|t| t.as_machine_local()) else {
            return false;
        };
        !(self.since.is_some_and(|since| time < since)
            || self.until.is_some_and(|until| time >= until))
    }
}

/// One item of `--only`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OnlyItem {
    /// `2xx`, `3xx`, `4xx`, `5xx`.
    Class(Class),
    /// `success`, `intermediate`, `transient`, `permanent`.
    Permanence(Permanence),
    /// A three-digit reply code.
    Reply(u16),
    /// An enhanced code whose parts may be `*`: `5.7.1`, `5.7.*`, `4.*.*`.
    Enhanced(EnhancedPattern),
}

impl OnlyItem {
    /// Whether the event matches. An enhanced pattern looks at the enhanced code in the reply,
    /// and at Postfix's `dsn=` when the reply had none.
    pub fn matches(&self, event: &Event<'_>) -> bool {
        self.matches_codes(event.class, event.reply_code, event.status_code())
    }

    /// The same test on the codes alone, as the report keeps them.
    pub fn matches_codes(
        &self,
        class: Class,
        reply_code: Option<u16>,
        enhanced: Option<EnhancedCode>,
    ) -> bool {
        match self {
            OnlyItem::Class(wanted) => class == *wanted,
            OnlyItem::Permanence(permanence) => class.permanence() == *permanence,
            OnlyItem::Reply(code) => reply_code == Some(*code),
            OnlyItem::Enhanced(pattern) => enhanced.is_some_and(|code| pattern.matches(code)),
        }
    }
}

/// An enhanced status code with wildcards.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EnhancedPattern {
    class: u8,
    subject: Option<u16>,
    detail: Option<u16>,
}

impl EnhancedPattern {
    /// Whether `code` fits the pattern.
    pub fn matches(&self, code: EnhancedCode) -> bool {
        code.class == self.class
            && self.subject.is_none_or(|s| code.subject == s)
            && self.detail.is_none_or(|d| code.detail == d)
    }
}

/// A value of `--only`, `--since` or `--until` that could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValueError(pub String);

impl fmt::Display for ValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ValueError {}

/// Reads a comma-separated `--only` list.
pub fn parse_only(list: &str) -> Result<Vec<OnlyItem>, ValueError> {
    list.split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(parse_only_item)
        .collect()
}

fn parse_only_item(item: &str) -> Result<OnlyItem, ValueError> {
    let lower = item.to_ascii_lowercase();
    let class = match lower.as_str() {
        "2xx" => Some(Class::Success),
        "3xx" => Some(Class::Intermediate),
        "4xx" => Some(Class::Transient),
        "5xx" => Some(Class::Permanent),
        _ => None,
    };
    if let Some(class) = class {
        return Ok(OnlyItem::Class(class));
    }
    let permanence = match lower.as_str() {
        "success" => Some(Permanence::Success),
        "intermediate" => Some(Permanence::Intermediate),
        "transient" => Some(Permanence::Transient),
        "permanent" => Some(Permanence::Permanent),
        _ => None,
    };
    if let Some(permanence) = permanence {
        return Ok(OnlyItem::Permanence(permanence));
    }
    if lower.len() == 3
        && lower.bytes().all(|b| b.is_ascii_digit())
        && (b'2'..=b'5').contains(&lower.as_bytes()[0])
    {
        return Ok(OnlyItem::Reply(lower.parse().unwrap_or_default()));
    }
    if let Some(pattern) = parse_enhanced_pattern(&lower) {
        return Ok(OnlyItem::Enhanced(pattern));
    }
    Err(ValueError(format!(
        "`{item}` is not a class (2xx..5xx), a permanence (success, intermediate, transient, \
         permanent), a reply code (421) or an enhanced code (5.7.1, 5.7.*)"
    )))
}

fn parse_enhanced_pattern(text: &str) -> Option<EnhancedPattern> {
    let mut parts = text.split('.');
    let class = match parts.next()? {
        "2" => 2,
        "4" => 4,
        "5" => 5,
        _ => return None,
    };
    let part = |p: Option<&str>| -> Option<Option<u16>> {
        match p? {
            "*" => Some(None),
            digits
                if (1..=3).contains(&digits.len())
                    && digits.bytes().all(|b| b.is_ascii_digit()) =>
            {
                digits.parse().ok().map(Some)
            }
            _ => None,
        }
    };
    let subject = part(parts.next())?;
    let detail = part(parts.next())?;
    if parts.next().is_some() || (subject.is_none() && detail.is_some()) {
        return None;
    }
    Some(EnhancedPattern {
        class,
        subject,
        detail,
    })
}

/// Reads a `--since`/`--until` value as a machine-local time: `2026-11-21`,
/// `2026-11-21T08:00[:ss]` (or with a space), RFC 3339 with an offset, `today`, `yesterday`,
/// `now`, or a relative `-30m`, `-2h`, `-7d` (also `s` and `w`).
///
/// A date alone means its midnight, so `--since 2026-11-20 --until 2026-11-21` is the whole of
/// the 20th; `today` and `yesterday` are midnights too.
pub fn parse_time_bound(value: &str, now: NaiveDateTime) -> Result<NaiveDateTime, ValueError> {
    let value = value.trim();
    let midnight = |date: NaiveDate| date.and_time(NaiveTime::MIN);
    match value.to_ascii_lowercase().as_str() {
        "now" => return Ok(now),
        "today" => return Ok(midnight(now.date())),
        "yesterday" => return Ok(midnight(now.date()) - Duration::days(1)),
        _ => {}
    }
    if let Some(relative) = value.strip_prefix('-') {
        // A duration can reach further back than a date can go: that is a bad value, not a
        // crash.
        return parse_relative(relative)
            .and_then(|ago| now.checked_sub_signed(ago))
            .ok_or_else(|| time_error(value));
    }
    if let Ok(date) = NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        return Ok(midnight(date));
    }
    if let Ok(with_offset) = DateTime::parse_from_rfc3339(value) {
        return Ok(with_offset.with_timezone(&chrono::Local).naive_local());
    }
    for layout in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(time) = NaiveDateTime::parse_from_str(value, layout) {
            return Ok(time);
        }
    }
    Err(time_error(value))
}

fn parse_relative(text: &str) -> Option<Duration> {
    let unit_at = text.find(|c: char| !c.is_ascii_digit())?;
    let (number, unit) = text.split_at(unit_at);
    let number: i64 = number.parse().ok()?;
    let seconds = match unit {
        "s" => 1,
        "m" | "min" => 60,
        "h" => 3600,
        "d" => 86_400,
        "w" => 7 * 86_400,
        _ => return None,
    };
    number.checked_mul(seconds).and_then(Duration::try_seconds)
}

fn time_error(value: &str) -> ValueError {
    ValueError(format!(
        "`{value}` is not a time: use 2026-11-21, 2026-11-21T08:00, RFC 3339 \
         (2026-11-21T08:00:00+01:00), today, yesterday, or -30m, -2h, -7d"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::Action;
    use crate::event::LogFormat;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    #[test]
    fn time_bounds_read_every_documented_form() {
        let now = at("2026-11-22 10:30:00");
        assert_eq!(
            parse_time_bound("today", now).unwrap(),
            at("2026-11-22 00:00:00")
        );
        assert_eq!(
            parse_time_bound("yesterday", now).unwrap(),
            at("2026-11-21 00:00:00")
        );
        assert_eq!(
            parse_time_bound("-30m", now).unwrap(),
            at("2026-11-22 10:00:00")
        );
        assert_eq!(
            parse_time_bound("-2h", now).unwrap(),
            at("2026-11-22 08:30:00")
        );
        assert_eq!(
            parse_time_bound("-7d", now).unwrap(),
            at("2026-11-15 10:30:00")
        );
        assert_eq!(
            parse_time_bound("2026-11-21", now).unwrap(),
            at("2026-11-21 00:00:00")
        );
        assert_eq!(
            parse_time_bound("2026-11-21T08:00", now).unwrap(),
            at("2026-11-21 08:00:00")
        );
        assert_eq!(
            parse_time_bound("2026-11-21 08:00:05", now).unwrap(),
            at("2026-11-21 08:00:05")
        );
        assert!(parse_time_bound("2026-11-21T08:00:00+01:00", now).is_ok());
        // The last two reach back further than any date: once a crash, now a bad value.
        for bad in [
            "",
            "tomorrowish",
            "-5y",
            "-m",
            "2026-13-01",
            "21/11/2026",
            "-99999999d",
            "-15250284452w",
        ] {
            assert!(parse_time_bound(bad, now).is_err(), "{bad}");
        }
    }

    fn event(reply: Option<u16>, enhanced: Option<&str>, dsn: Option<&str>) -> Event<'static> {
        let mut e = Event::new(LogFormat::Postfix, Direction::Outbound, Action::Bounced);
        e.reply_code = reply;
        e.enhanced_code = enhanced.map(|c| c.parse().unwrap());
        e.dsn = dsn.map(|c| c.parse().unwrap());
        e.settle_class();
        e
    }

    #[test]
    fn only_items_match_class_permanence_codes_and_wildcards() {
        let items = parse_only("5xx").unwrap();
        assert!(items[0].matches(&event(Some(550), None, None)));
        assert!(!items[0].matches(&event(Some(450), None, None)));
        let items = parse_only("transient, 421 ,5.7.*").unwrap();
        assert_eq!(items.len(), 3);
        assert!(items[0].matches(&event(Some(451), None, None)));
        assert!(items[1].matches(&event(Some(421), None, None)));
        assert!(items[2].matches(&event(Some(550), Some("5.7.1"), None)));
        assert!(items[2].matches(&event(None, None, Some("5.7.26"))));
        assert!(!items[2].matches(&event(Some(550), Some("5.1.1"), None)));
        let exact = parse_only("5.1.1").unwrap();
        assert!(exact[0].matches(&event(Some(550), Some("5.1.1"), None)));
        assert!(!exact[0].matches(&event(Some(550), Some("5.1.10"), None)));
        for bad in ["6xx", "600", "5.7", "5.*.1", "x.1.1", "bounced", "5.7.1.1"] {
            assert!(parse_only(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn time_window_drops_events_without_time_and_outside() {
        let filter = EventFilter {
            since: Some(at("2026-11-21 08:00:00")),
            until: Some(at("2026-11-21 09:00:00")),
            ..EventFilter::default()
        };
        let mut e = event(Some(550), None, None);
        assert!(!filter.keeps(&e));
        for (time, kept) in [
            ("2026-11-21 07:59:59", false),
            ("2026-11-21 08:00:00", true),
            ("2026-11-21 08:59:59", true),
            ("2026-11-21 09:00:00", false),
        ] {
            e.timestamp = Some(crate::time::Timestamp {
                local: at(time),
                offset: None,
            });
            assert_eq!(filter.keeps(&e), kept, "{time}");
        }
    }
}
