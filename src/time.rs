//! Timestamps as they appear at the start of mail log lines, and the year rule for syslog
//! timestamps that carry no year.
//!
//! Accepted on every line: traditional syslog (`Nov 21 08:00:04`, optionally with a fraction),
//! RFC 3339 (`2026-11-21T08:00:04.123456+00:00`, also with a `+0100` or `Z` offset), and Exim's
//! own `2026-11-21 08:00:04[.mmm][ +0100]`. This module does not look past the timestamp.

use std::cell::Cell;
use std::cmp::Ordering;
use std::fmt;

use chrono::{
    Datelike, Duration, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Timelike,
};

/// A point in time as the log wrote it: the wall-clock time and, where the log said, its offset.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Timestamp {
    /// Wall-clock time in the log's zone.
    pub local: NaiveDateTime,
    /// The UTC offset, when the line carried one.
    pub offset: Option<FixedOffset>,
}

impl Timestamp {
    /// A key that orders timestamps by instant where an offset is known; a time without an
    /// offset is taken as it stands, so ordering is total and does not depend on the machine.
    pub fn sort_key(&self) -> NaiveDateTime {
        match self.offset {
            Some(offset) => self.local - Duration::seconds(i64::from(offset.local_minus_utc())),
            None => self.local,
        }
    }

    /// The time in the machine's local zone, used to compare with `--since`/`--until` values
    /// written without an offset.
    pub fn as_machine_local(&self) -> NaiveDateTime {
        match self.offset {
            Some(offset) => match offset.from_local_datetime(&self.local).single() {
                Some(dt) => dt.with_timezone(&chrono::Local).naive_local(),
                None => self.local,
            },
            None => self.local,
        }
    }

    /// Truncates to the start of the hour, keeping the offset.
    pub fn hour_start(&self) -> Timestamp {
        let time = NaiveTime::from_hms_opt(self.local.hour(), 0, 0).unwrap_or_default();
        Timestamp {
            local: self.local.date().and_time(time),
            offset: self.offset,
        }
    }
}

impl Ord for Timestamp {
    #[inline]
    fn cmp(&self, other: &Self) -> Ordering {
        if self.offset == other.offset {
            // The same offset on both sides (the usual case) orders as the local times do.
            return self.local.cmp(&other.local);
        }
        self.cmp_across_offsets(other)
    }
}

impl Timestamp {
    /// Orders times written with different offsets by the instants they name; kept out of
    /// line, since every event's time is compared with the span seen so far.
    #[cold]
    #[inline(never)]
    fn cmp_across_offsets(&self, other: &Self) -> Ordering {
        self.sort_key()
            .cmp(&other.sort_key())
            .then_with(|| self.local.cmp(&other.local))
            .then_with(|| {
                let a = self.offset.map(|o| o.local_minus_utc());
                let b = other.offset.map(|o| o.local_minus_utc());
                a.cmp(&b)
            })
    }
}

impl PartialOrd for Timestamp {
    #[inline]
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Timestamp {
    /// RFC 3339 when the offset is known, the same without an offset otherwise; the fraction is
    /// written only when the log had one.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.local.format("%Y-%m-%dT%H:%M:%S%.f"))?;
        if let Some(offset) = self.offset {
            let secs = offset.local_minus_utc();
            let sign = if secs < 0 { '-' } else { '+' };
            let secs = secs.unsigned_abs();
            write!(f, "{sign}{:02}:{:02}", secs / 3600, (secs % 3600) / 60)?;
        }
        Ok(())
    }
}

/// A timestamp as read, before a year is given to syslog times that lack one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RawTime {
    /// A complete timestamp.
    Full(Timestamp),
    /// A syslog timestamp: month (1-12), day and time of day, no year.
    YearLess {
        month: u32,
        day: u32,
        time: NaiveTime,
    },
}

/// How year-less timestamps get their year, decided once per input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum YearRule {
    /// `--year`: the first year-less line of the input lies in `year`; a line whose month is
    /// earlier than that first line's month has wrapped into the following year.
    Given { year: i32, first_month: u32 },
    /// The input was last written at a reference time (file modification time, or now for
    /// standard input): each line takes the reference's year, stepping back one year where it
    /// would otherwise lie after the reference. Made by [`YearRule::last_written`].
    LastWritten(YearLimit),
}

/// The year of a reference time and where a line stops being in it, in the form a year-less
/// time is compared with: read on nearly every line, so worked out once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct YearLimit {
    reference_year: i32,
    limit_year: i32,
    /// Month, day and time of day of the limit, packed so that packed times compare as the
    /// times do.
    limit_key: u64,
}

/// Month, day, second of the day and nanosecond, packed to order as the times they describe.
fn time_key(month: u32, day: u32, time: NaiveTime) -> u64 {
    (u64::from(month) << 58)
        | (u64::from(day) << 52)
        | (u64::from(time.num_seconds_from_midnight()) << 32)
        | u64::from(time.nanosecond())
}

impl YearRule {
    /// The rule for an input last written at `reference`. A day of slack keeps lines written
    /// just before a clock or zone change in the reference's year.
    pub fn last_written(reference: NaiveDateTime) -> Self {
        let limit = reference + Duration::days(1);
        YearRule::LastWritten(YearLimit {
            reference_year: reference.year(),
            limit_year: limit.year(),
            limit_key: time_key(limit.month(), limit.day(), limit.time()),
        })
    }

    /// Gives a year to a year-less time. `None` only for an impossible date such as Feb 30.
    pub fn resolve(&self, month: u32, day: u32, time: NaiveTime) -> Option<NaiveDateTime> {
        let (mut year, earliest) = match *self {
            YearRule::Given { year, first_month } => {
                let year = if month < first_month { year + 1 } else { year };
                (year, year - 4)
            }
            YearRule::LastWritten(limit) => {
                let mut year = limit.reference_year;
                let after_limit =
                    limit.limit_year == year && time_key(month, day, time) > limit.limit_key;
                if after_limit && NaiveDate::from_ymd_opt(year, month, day).is_some() {
                    year -= 1;
                }
                (year, year - 4)
            }
        };
        // Feb 29 in a year that has none belongs to the closest earlier leap year.
        while year >= earliest {
            if let Some(date) = NaiveDate::from_ymd_opt(year, month, day) {
                return Some(date.and_time(time));
            }
            year -= 1;
        }
        None
    }

    /// Turns a raw time into a timestamp.
    pub fn complete(&self, raw: RawTime) -> Option<Timestamp> {
        match raw {
            RawTime::Full(ts) => Some(ts),
            RawTime::YearLess { month, day, time } => {
                self.resolve(month, day, time).map(|local| Timestamp {
                    local,
                    offset: None,
                })
            }
        }
    }
}

/// A syslog time whose month is abbreviated in another language than English, as
/// `journalctl` writes it under a German, Dutch, Spanish, Italian, Portuguese or Swedish
/// locale (`Okt 15 23:48:15`, `mar 04 ...`, and German's `Mär`, one letter of which takes two
/// bytes).
#[cold]
#[inline(never)]
fn read_localised_syslog(line: &[u8]) -> Option<(RawTime, usize)> {
    const MARCH_IN_GERMAN: &[u8] = "Mär".as_bytes();
    const ENGLISH: [&[u8; 3]; 12] = [
        b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov",
        b"Dec",
    ];
    let (month, name_len) = if line.starts_with(MARCH_IN_GERMAN) {
        (3, MARCH_IN_GERMAN.len())
    } else {
        (localised_month_number(line.get(..3)?)?, 3)
    };
    // The rest is read as the English form, so both take the same way through the days and
    // the clock.
    let mut english = [0u8; 40];
    let rest = line.get(name_len..)?;
    let rest = &rest[..rest.len().min(english.len() - 3)];
    english[..3].copy_from_slice(ENGLISH[month as usize - 1]);
    english[3..3 + rest.len()].copy_from_slice(rest);
    let (time, end) = read_syslog(&english[..3 + rest.len()])?;
    Some((time, end + name_len - 3))
}

/// The number of a month from its abbreviation in one of the languages `journalctl` may
/// write it in, whatever its case; only the abbreviations English does not share are here,
/// and none of them names two months.
fn localised_month_number(name: &[u8]) -> Option<u32> {
    let name: [u8; 3] = name.try_into().ok()?;
    Some(match &name.map(|b| b.to_ascii_lowercase()) {
        // Spanish, Italian, Portuguese.
        b"ene" | b"gen" => 1,
        b"fev" => 2,
        // Dutch.
        b"mrt" => 3,
        b"abr" => 4,
        // German, Portuguese, Dutch, Italian, Spanish, Swedish.
        b"mai" | b"mei" | b"mag" | b"maj" | b"may" => 5,
        b"giu" => 6,
        b"lug" => 7,
        b"ago" => 8,
        b"set" => 9,
        b"okt" | b"ott" | b"out" => 10,
        b"dez" | b"dic" => 12,
        // English's own abbreviations written in lower case.
        [first, second, third] => {
            return month_number([first.to_ascii_uppercase(), *second, *third]);
        }
    })
}

/// The number of a month from its English abbreviation, as syslog writes it.
fn month_number(name: [u8; 3]) -> Option<u32> {
    Some(match &name {
        b"Jan" => 1,
        b"Feb" => 2,
        b"Mar" => 3,
        b"Apr" => 4,
        b"May" => 5,
        b"Jun" => 6,
        b"Jul" => 7,
        b"Aug" => 8,
        b"Sep" => 9,
        b"Oct" => 10,
        b"Nov" => 11,
        b"Dec" => 12,
        _ => return None,
    })
}

/// Reads a timestamp at the start of `line`, returning it and the number of bytes used
/// (not counting the separator that follows). Handles all three forms described in the module
/// comment; Exim's `YYYY-MM-DD HH:MM:SS` form may be followed by ` +hhmm`.
// Inlined into the syslog header split, which runs on every line: returned through memory,
// the value cost more than reading it.
#[inline]
pub fn parse_leading(line: &[u8]) -> Option<(RawTime, usize)> {
    let first = *line.first()?;
    if first.is_ascii_digit() {
        parse_numeric(line)
    } else {
        parse_syslog(line)
    }
}

thread_local! {
    /// The first sixteen bytes of the last line read on this thread whose syslog time ended at
    /// byte 15 and a space, with that time. A busy log writes many lines in the same second,
    /// and those lines get their time back for one comparison.
    static LAST_SYSLOG_TIME: Cell<Option<(u128, RawTime)>> = const { Cell::new(None) };
}

/// The length of a syslog time with its day padded and no fraction: `Nov 21 08:00:04`.
const SYSLOG_TIME_LEN: usize = 15;

#[inline]
fn parse_syslog(line: &[u8]) -> Option<(RawTime, usize)> {
    // The time and the byte after it: a space there ends the time, whatever follows.
    let head = line
        .get(..=SYSLOG_TIME_LEN)
        .and_then(|head| <[u8; 16]>::try_from(head).ok())
        .map(u128::from_ne_bytes);
    if let Some(head) = head
        && let Some((last_head, time)) = LAST_SYSLOG_TIME.get()
        && last_head == head
    {
        return Some((time, SYSLOG_TIME_LEN));
    }
    let read = read_syslog(line);
    if let (Some(head), Some((time, SYSLOG_TIME_LEN))) = (head, read)
        && line[SYSLOG_TIME_LEN] == b' '
    {
        LAST_SYSLOG_TIME.set(Some((head, time)));
    }
    read
}

fn read_syslog(line: &[u8]) -> Option<(RawTime, usize)> {
    if line.len() < SYSLOG_TIME_LEN {
        return None;
    }
    let Some(month) = month_number([line[0], line[1], line[2]]) else {
        return read_localised_syslog(line);
    };
    if line[3] != b' ' {
        return None;
    }
    let day = match (line[4], line[5]) {
        (b' ', d) if d.is_ascii_digit() => u32::from(d - b'0'),
        (a, b) if a.is_ascii_digit() && b.is_ascii_digit() => {
            u32::from(a - b'0') * 10 + u32::from(b - b'0')
        }
        (d, b' ') if d.is_ascii_digit() => return parse_unpadded_day(line, month, d - b'0'),
        _ => return None,
    };
    // No month has a day 0 or a day past 31: such a header is not a syslog time at all.
    if !(1..=31).contains(&day) || line[6] != b' ' {
        return None;
    }
    let (time, end) = read_clock(line, 7)?;
    Some((RawTime::YearLess { month, day, time }, end))
}

/// The clock at `at`, as [`parse_clock`] reads it. Every line has one, so the usual
/// `HH:MM:SS`, with or without a fraction, is read at fixed places; a leap second or anything
/// malformed goes the general way. (Folding this into `parse_clock`, inlined everywhere, cost
/// 2% more instructions on a Postfix log: the general way is best kept out of line.)
#[inline(always)]
fn read_clock(line: &[u8], at: usize) -> Option<(NaiveTime, usize)> {
    if line.len() >= at + 8 && line[at + 2] == b':' && line[at + 5] == b':' {
        let pair = |at: usize| {
            let (tens, ones) = (line[at].wrapping_sub(b'0'), line[at + 1].wrapping_sub(b'0'));
            (tens < 10 && ones < 10).then(|| u32::from(tens) * 10 + u32::from(ones))
        };
        if let (Some(hour), Some(minute), Some(second)) = (pair(at), pair(at + 3), pair(at + 6))
            && second < 60
        {
            let (nanos, end) = match line.get(at + 8) {
                Some(b'.') => read_fraction(line, at + 8).unwrap_or((0, at + 8)),
                _ => (0, at + 8),
            };
            return Some((
                NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)?,
                end,
            ));
        }
    }
    parse_clock(line, at)
}

/// `Jan 1 08:00:04`: a day before the 10th written without its padding space, as some syslog
/// templates and log shippers write it (and as a log pasted through a space-squeezing tool
/// ends up).
#[cold]
fn parse_unpadded_day(line: &[u8], month: u32, day: u8) -> Option<(RawTime, usize)> {
    if day == 0 {
        return None;
    }
    let (time, end) = parse_clock(line, 6)?;
    let day = u32::from(day);
    Some((RawTime::YearLess { month, day, time }, end))
}

/// `YYYY-MM-DD` then `T` or a space, the clock, then an optional offset (`Z`, `+hh:mm`, `+hhmm`,
/// or Exim's ` +hhmm` after a space).
fn parse_numeric(line: &[u8]) -> Option<(RawTime, usize)> {
    if line.len() < 19 {
        return None;
    }
    if !matches!(line[10], b'T' | b' ') {
        return None;
    }
    let date = date_of(line[..10].try_into().ok()?)?;
    let (time, mut end) = read_clock(line, 11)?;
    let mut offset = None;
    if line[10] == b'T' {
        if let Some((o, e)) = parse_offset(line, end) {
            offset = Some(o);
            end = e;
        }
    } else if line.get(end) == Some(&b' ')
        && matches!(line.get(end + 1), Some(b'+' | b'-'))
        && let Some((o, e)) = parse_offset(line, end + 1)
    {
        // Exim writes ` +0100` after the time when log_timezone is set.
        offset = Some(o);
        end = e;
    }
    let ts = Timestamp {
        local: date.and_time(time),
        offset,
    };
    Some((RawTime::Full(ts), end))
}

/// The date of `YYYY-MM-DD`. Consecutive lines nearly always share their date, so the last
/// one read on this thread is kept and a line with the same ten bytes skips the checks.
fn date_of(text: [u8; 10]) -> Option<NaiveDate> {
    thread_local! {
        static LAST: Cell<Option<([u8; 10], NaiveDate)>> = const { Cell::new(None) };
    }
    if let Some((last_text, date)) = LAST.get()
        && last_text == text
    {
        return Some(date);
    }
    let year = digits(&text, 0, 4)? as i32;
    if text[4] != b'-' || text[7] != b'-' {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(year, digits(&text, 5, 2)?, digits(&text, 8, 2)?)?;
    LAST.set(Some((text, date)));
    Some(date)
}

/// A `.fraction` of a second at `at` (one or more digits, kept to nanoseconds): the
/// nanoseconds and where the digits end.
fn read_fraction(line: &[u8], at: usize) -> Option<(u32, usize)> {
    if line.get(at) != Some(&b'.') || !line.get(at + 1).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let mut end = at + 1;
    let mut nanos = 0u32;
    let mut scale = 100_000_000u32;
    while let Some(d) = line.get(end).filter(|d| d.is_ascii_digit()) {
        nanos += u32::from(d - b'0') * scale;
        scale /= 10;
        end += 1;
    }
    Some((nanos, end))
}

/// The time of `journalctl -o short-unix`: seconds since 1970 with a fraction,
/// `1795248004.123456`. An instant, so it is given as UTC with its offset; it is never taken
/// for the `2026-11-21` of other forms, which has a dash after four digits.
pub fn parse_epoch(line: &[u8]) -> Option<(RawTime, usize)> {
    let seconds_len = line.iter().take_while(|b| b.is_ascii_digit()).count();
    // Nine or ten digits span 2001 to 2286; fewer would be a pid or a counter, not a time.
    if !(9..=10).contains(&seconds_len) {
        return None;
    }
    let (nanos, end) = read_fraction(line, seconds_len)?;
    let seconds = line[..seconds_len]
        .iter()
        .fold(0i64, |value, d| value * 10 + i64::from(d - b'0'));
    let instant = chrono::DateTime::from_timestamp(seconds, nanos)?;
    let stamp = Timestamp {
        local: instant.naive_utc(),
        offset: FixedOffset::east_opt(0),
    };
    Some((RawTime::Full(stamp), end))
}

/// `HH:MM:SS` with an optional `.fraction` (any number of digits, kept to nanoseconds).
fn parse_clock(line: &[u8], at: usize) -> Option<(NaiveTime, usize)> {
    if line.len() < at + 8 || line[at + 2] != b':' || line[at + 5] != b':' {
        return None;
    }
    let hour = digits(line, at, 2)?;
    let minute = digits(line, at + 3, 2)?;
    let second = digits(line, at + 6, 2)?;
    let (nanos, end) = read_fraction(line, at + 8).unwrap_or((0, at + 8));
    // A leap second (:60) is folded into the last nanosecond-precision instant of its minute.
    let time = if second == 60 {
        NaiveTime::from_hms_nano_opt(hour, minute, 59, 999_999_999)?
    } else {
        NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)?
    };
    Some((time, end))
}

fn parse_offset(line: &[u8], at: usize) -> Option<(FixedOffset, usize)> {
    match *line.get(at)? {
        b'Z' | b'z' => Some((FixedOffset::east_opt(0)?, at + 1)),
        sign @ (b'+' | b'-') => {
            let hours = digits(line, at + 1, 2)?;
            let (minutes, end) = if line.get(at + 3) == Some(&b':') {
                (digits(line, at + 4, 2)?, at + 6)
            } else {
                (digits(line, at + 3, 2)?, at + 5)
            };
            if hours > 23 || minutes > 59 {
                return None;
            }
            let secs = (hours * 3600 + minutes * 60) as i32;
            let offset = if sign == b'+' {
                FixedOffset::east_opt(secs)?
            } else {
                FixedOffset::west_opt(secs)?
            };
            Some((offset, end))
        }
        _ => None,
    }
}

fn digits(line: &[u8], at: usize, len: usize) -> Option<u32> {
    let slice = line.get(at..at + len)?;
    let mut value = 0u32;
    for &b in slice {
        if !b.is_ascii_digit() {
            return None;
        }
        value = value * 10 + u32::from(b - b'0');
    }
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full(line: &str) -> (String, usize) {
        match parse_leading(line.as_bytes()) {
            Some((RawTime::Full(ts), end)) => (ts.to_string(), end),
            other => panic!("not a full timestamp: {other:?}"),
        }
    }

    #[test]
    fn rfc3339_keeps_fraction_and_offset() {
        assert_eq!(
            full("2026-11-21T08:00:04.123456+00:00 mx postfix"),
            ("2026-11-21T08:00:04.123456+00:00".to_string(), 32)
        );
        assert_eq!(
            full("2026-11-21T08:00:04+0100 mx").0,
            "2026-11-21T08:00:04+01:00"
        );
        assert_eq!(
            full("2026-11-21T08:00:04Z mx").0,
            "2026-11-21T08:00:04+00:00"
        );
        assert_eq!(
            full("2026-11-21T08:00:04.5-05:30 x").0,
            "2026-11-21T08:00:04.500-05:30"
        );
    }

    #[test]
    fn exim_time_with_millis_zone_and_pid() {
        assert_eq!(
            full("2026-11-21 08:00:04 1tE3xA-000Ab1-Qz <= a@b"),
            ("2026-11-21T08:00:04".to_string(), 19)
        );
        assert_eq!(
            full("2026-11-21 08:00:04.123 +0100 [4242] 1tE3xA-000Ab1-Qz"),
            ("2026-11-21T08:00:04.123+01:00".to_string(), 29)
        );
        // A space then a digit is not an offset.
        assert_eq!(full("2026-11-21 08:00:04 +x").1, 19);
    }

    #[test]
    fn a_remembered_date_never_lets_a_different_one_through() {
        assert_eq!(full("2026-11-21 08:00:04 x").0, "2026-11-21T08:00:04");
        // The same date again, then dates that differ from it in one place.
        assert_eq!(full("2026-11-21 09:00:04 x").0, "2026-11-21T09:00:04");
        assert_eq!(full("2026-11-22 09:00:04 x").0, "2026-11-22T09:00:04");
        assert!(parse_leading(b"2026-11-2x 09:00:04 x").is_none());
        assert!(parse_leading(b"2026-02-30 09:00:04 x").is_none());
        assert!(parse_leading(b"2026/11/22 09:00:04 x").is_none());
        assert_eq!(full("2026-11-22T09:00:05Z").0, "2026-11-22T09:00:05+00:00");
    }

    #[test]
    fn a_time_read_again_from_the_same_bytes_is_the_time_read_afresh() {
        let lines: [&[u8]; 7] = [
            b"Nov 21 08:00:04 mx1 postfix/smtpd[1]: connect",
            b"Nov 21 08:00:04 mx1 postfix/qmgr[2]: removed",
            b"Nov 21 08:00:04.250 mx1 postfix/qmgr[2]: removed",
            b"Nov 21 08:00:04 mx1 postfix/smtpd[1]: disconnect",
            b"Nov 21 08:00:04.x mx1",
            b"Nov 21 08:00:04.5 mx1",
            b"Nov 21 08:00:05 mx1 postfix/smtpd[1]: connect",
        ];
        let fresh: Vec<_> = lines.iter().map(|line| read_syslog(line)).collect();
        for _ in 0..2 {
            for (line, expected) in lines.iter().zip(&fresh) {
                assert_eq!(&parse_leading(line), expected);
            }
        }
        assert_eq!(fresh[2].unwrap().1, 19);
        assert_eq!(fresh[5].unwrap().1, 17);
        assert_ne!(fresh[0].unwrap().0, fresh[2].unwrap().0);
    }

    #[test]
    fn months_named_in_journalctl_locales_are_read() {
        let month_and_end = |line: &str| match parse_leading(line.as_bytes()) {
            Some((RawTime::YearLess { month, day, .. }, end)) => Some((month, day, end)),
            _ => None,
        };
        assert_eq!(month_and_end("Okt 15 23:48:15 c3 x"), Some((10, 15, 15)));
        assert_eq!(month_and_end("Mär 16 08:00:01 c3 x"), Some((3, 16, 16)));
        assert_eq!(month_and_end("mar 04 08:00:01 c3 x"), Some((3, 4, 15)));
        assert_eq!(month_and_end("dic 24 08:00:01 c3 x"), Some((12, 24, 15)));
        assert_eq!(month_and_end("mei  1 08:00:01 c3 x"), Some((5, 1, 15)));
        assert_eq!(month_and_end("Mär 16 08:00:01.5 c3 x"), Some((3, 16, 18)));
        for not_a_time in ["Mäx 16 08:00:01 x", "Okt 32 08:00:01 x", "Mär", "Okt 15"] {
            assert_eq!(month_and_end(not_a_time), None, "{not_a_time}");
        }
    }

    #[test]
    fn syslog_time_has_no_year_and_accepts_padded_days() {
        let (raw, end) = parse_leading(b"Nov  1 08:00:04 mx postfix/smtp[1]:").unwrap();
        assert_eq!(end, 15);
        assert_eq!(
            raw,
            RawTime::YearLess {
                month: 11,
                day: 1,
                time: NaiveTime::from_hms_opt(8, 0, 4).unwrap()
            }
        );
        assert!(parse_leading(b"Foo 21 08:00:04 x").is_none());
        assert!(parse_leading(b"Nov 21 8:00:04 x").is_none());
        assert!(parse_leading(b"Nov 21 25:00:04 x").is_none());
        assert!(parse_leading(b"Nov 21 08:0a:04 x").is_none());
        // Found by fuzzing: days out of every month's range were read as days.
        assert!(parse_leading(b"Nov 42 10:19:42 mx1 opendkim[7473]: 5BLf").is_none());
        assert!(parse_leading(b"Nov 00 10:19:42 mx1 x").is_none());
        assert!(parse_leading(b"Nov 31 10:19:42 mx1 x").is_some());
        // A fraction and a leap second take the general way and keep their meaning.
        let (raw, end) = parse_leading(b"Nov 21 08:00:04.250 x").unwrap();
        assert_eq!(end, 19);
        assert_eq!(
            raw,
            RawTime::YearLess {
                month: 11,
                day: 21,
                time: NaiveTime::from_hms_milli_opt(8, 0, 4, 250).unwrap()
            }
        );
        let (raw, _) = parse_leading(b"Dec 31 23:59:60 x").unwrap();
        assert!(matches!(raw, RawTime::YearLess { time, .. } if time.second() == 59));
        assert!(parse_leading(b"").is_none());
        assert!(parse_leading(b"2026-13-01T00:00:00Z").is_none());
        // A day without its padding space.
        let (raw, end) = parse_leading(b"Jan 1 00:00:07 hostname postfix/smtpd[1]:").unwrap();
        assert_eq!(end, 14);
        assert_eq!(
            raw,
            RawTime::YearLess {
                month: 1,
                day: 1,
                time: NaiveTime::from_hms_opt(0, 0, 7).unwrap()
            }
        );
        assert!(parse_leading(b"Jan 0 00:00:07 x").is_none());
        assert!(parse_leading(b"Jan 1 0:00:07 x").is_none());
    }

    fn at(y: i32, m: u32, d: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(12, 0, 0)
            .unwrap()
    }

    #[test]
    fn modification_time_steps_back_across_new_year() {
        let rule = YearRule::last_written(at(2027, 1, 2));
        let t = NaiveTime::from_hms_opt(23, 59, 0).unwrap();
        assert_eq!(rule.resolve(12, 31, t).unwrap().year(), 2026);
        assert_eq!(rule.resolve(1, 1, t).unwrap().year(), 2027);
        // A day of slack: a line one hour after the reference keeps the year.
        assert_eq!(rule.resolve(1, 2, t).unwrap().year(), 2027);
    }

    #[test]
    fn the_day_of_slack_ends_to_the_second() {
        // Last written 2026-06-10 12:00:00: lines up to 2026-06-11 12:00:00 keep 2026.
        let rule = YearRule::last_written(at(2026, 6, 10));
        let noon = NaiveTime::from_hms_opt(12, 0, 0).unwrap();
        let after = NaiveTime::from_hms_opt(12, 0, 1).unwrap();
        assert_eq!(rule.resolve(6, 11, noon).unwrap().year(), 2026);
        assert_eq!(rule.resolve(6, 11, after).unwrap().year(), 2025);
        assert_eq!(rule.resolve(7, 1, noon).unwrap().year(), 2025);
        // Feb 29 after the limit: the leap year before the year it stepped back to.
        let rule = YearRule::last_written(at(2029, 1, 10));
        assert_eq!(rule.resolve(2, 29, noon).unwrap().year(), 2028);
        // Written on Dec 31: the slack reaches into the next year, and every day of this
        // year lies before it.
        let rule = YearRule::last_written(at(2026, 12, 31));
        assert_eq!(rule.resolve(12, 31, after).unwrap().year(), 2026);
        assert_eq!(rule.resolve(1, 1, noon).unwrap().year(), 2026);
    }

    #[test]
    fn given_year_wraps_after_december() {
        let rule = YearRule::Given {
            year: 2025,
            first_month: 12,
        };
        let t = NaiveTime::from_hms_opt(0, 0, 0).unwrap();
        assert_eq!(rule.resolve(12, 31, t).unwrap().year(), 2025);
        assert_eq!(rule.resolve(1, 1, t).unwrap().year(), 2026);
    }

    #[test]
    fn february_29_finds_a_leap_year() {
        let rule = YearRule::Given {
            year: 2027,
            first_month: 1,
        };
        let t = NaiveTime::from_hms_opt(0, 0, 0).unwrap();
        assert_eq!(rule.resolve(2, 29, t).unwrap().year(), 2024);
        assert!(rule.resolve(2, 30, t).is_none());
    }

    #[test]
    fn ordering_uses_the_instant() {
        let (a, _) = parse_leading(b"2026-11-21T09:00:00+01:00").unwrap();
        let (b, _) = parse_leading(b"2026-11-21T08:30:00+00:00").unwrap();
        let (RawTime::Full(a), RawTime::Full(b)) = (a, b) else {
            panic!()
        };
        assert!(a < b);
    }
}
