//! The syslog header in front of every Postfix line (and of Exim lines logged through syslog):
//! `TIME HOST TAG[PID]: MESSAGE`.
//!
//! TIME is any form [`crate::time::parse_leading`] reads. HOST may be missing (some container
//! setups log without it). This module only splits the header; it knows nothing of any MTA.

use super::needle::{find_byte, find_byte_early};
use crate::time::{RawTime, parse_epoch, parse_leading};

/// The parts of a syslog line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SyslogLine<'a> {
    /// The timestamp as read.
    pub time: RawTime,
    /// The host name; empty when the line has none.
    pub host: &'a str,
    /// The tag without the pid, e.g. `postfix/submission/smtpd`.
    pub tag: &'a str,
    /// The digits in brackets after the tag; empty when there are none. Read as a number only
    /// for the lines that need it (see [`SyslogLine::pid`]).
    pub pid_digits: &'a str,
    /// Everything after `TAG[PID]: `; for rsyslog's `message repeated N times: [ TEXT]`, the
    /// TEXT.
    pub message: &'a str,
}

/// Splits a syslog line, or returns `None` when it does not have the shape.
pub fn split(line: &str) -> Option<SyslogLine<'_>> {
    match parse_leading(line.as_bytes()) {
        Some((time, end)) => split_after_time(line, time, end),
        None => split_uncommon(line),
    }
}

/// The rest of a line after its time, which ends at byte `pos`.
fn split_after_time(line: &str, time: RawTime, mut pos: usize) -> Option<SyslogLine<'_>> {
    let bytes = line.as_bytes();
    if bytes.get(pos) != Some(&b' ') {
        return None;
    }
    pos += 1;
    let rest = &line[pos..];
    let first_end = find_byte_early(b' ', rest)?;
    let first = &rest[..first_end];
    let (host, tag_part) = if looks_like_tag(first) {
        ("", rest)
    } else {
        (first, &rest[first_end + 1..])
    };
    let (tag_and_pid, mut message) = match split_tag(tag_part) {
        Some(split) => split,
        None => split_uncommon_tag(tag_part)?,
    };
    // The first byte turns nearly every line away before the whole prefix is compared.
    match message.as_bytes().first() {
        Some(b'm') if message.starts_with(REPEATED) => {
            message = repeated_message(message).unwrap_or(message);
        }
        Some(b'[') => message = without_message_id(message),
        _ => {}
    }
    let (tag, pid_digits) = split_pid(tag_and_pid);
    Some(SyslogLine {
        time,
        host,
        tag,
        pid_digits,
        message,
    })
}

/// Splits `TAG[PID]: MESSAGE` into the tag with its pid and the message. The tag holds no
/// space, so the first space ends it: a line whose first word is not `TAG[PID]:` (or
/// `TAG[PID]`) is not a syslog line, and the search never runs over the whole message.
// Inlined by hand: it is called again for the rare facility word, and the compiler would
// otherwise keep it out of line on the path every line takes.
#[inline(always)]
fn split_tag(tag_part: &str) -> Option<(&str, &str)> {
    let tag_end = find_byte_early(b' ', tag_part).unwrap_or(tag_part.len());
    let colon = tag_part[..tag_end].strip_suffix(':')?.len();
    let tag_and_pid = &tag_part[..colon];
    if tag_and_pid.is_empty() {
        return None;
    }
    Some((tag_and_pid, tag_part.get(colon + 2..).unwrap_or("")))
}

/// The tag shapes that `split_tag` does not take, kept out of line so that the split every
/// line goes through stays small: a `FACILITY.PRIORITY` word before the tag, or a tag
/// without its colon.
#[cold]
#[inline(never)]
fn split_uncommon_tag(tag_part: &str) -> Option<(&str, &str)> {
    match after_facility(tag_part) {
        Some(after) => split_tag(after),
        None => split_tag_without_colon(tag_part),
    }
}

/// `TAG[PID] MESSAGE`, without the colon: what some syslog-ng and log shipper templates
/// (`$PROGRAM[$PID] $MSG`) write. Only a tag with a pid is taken, so that an ordinary word
/// after the host is never read as one.
fn split_tag_without_colon(tag_part: &str) -> Option<(&str, &str)> {
    let tag_end = find_byte(b' ', tag_part)?;
    let tag_and_pid = &tag_part[..tag_end];
    let (tag, pid) = split_pid(tag_and_pid);
    if tag.is_empty() || pid.is_empty() {
        return None;
    }
    Some((tag_and_pid, &tag_part[tag_end + 1..]))
}

/// What follows a `FACILITY.PRIORITY` word that some syslog daemons (BusyBox's, and rsyslog
/// or syslog-ng with such a template) write between the host and the tag: `mx1 mail.info
/// postfix/smtp[1085]: ...`.
#[cold]
#[inline(never)]
fn after_facility(tag_part: &str) -> Option<&str> {
    const FACILITIES: &[&str] = &[
        "kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron",
        "authpriv", "ftp", "ntp", "security", "console", "local0", "local1", "local2", "local3",
        "local4", "local5", "local6", "local7",
    ];
    const PRIORITIES: &[&str] = &[
        "emerg", "panic", "alert", "crit", "err", "error", "warning", "warn", "notice", "info",
        "debug",
    ];
    let (word, rest) = tag_part.split_once(' ')?;
    let (facility, priority) = word.split_once('.')?;
    (FACILITIES.contains(&facility) && PRIORITIES.contains(&priority)).then_some(rest)
}

/// The line shapes that do not start with a time of the common forms, kept out of line: they
/// are tried only when those fail, and inlined they would make the split every line goes
/// through larger.
#[cold]
#[inline(never)]
fn split_uncommon(whole: &str) -> Option<SyslogLine<'_>> {
    // At most one of each wrapper is taken off, in the order they come: a line made of
    // wrappers again and again is no syslog line, and must not be unwrapped without end.
    let line = strip_compose_prefix(whole).unwrap_or(whole);
    let line = match strip_priority(line) {
        // `<PRI>1 ` starts RFC 5424; a bare `<PRI>` is the wire form of a traditional line.
        Some(after_priority) => match after_priority.strip_prefix("1 ") {
            Some(rfc5424) => return split_rfc5424(rfc5424),
            None => after_priority,
        },
        None => line,
    };
    // The common forms were tried on the whole line already.
    let unwrapped = line.len() < whole.len();
    let (time, end) = match unwrapped.then(|| parse_leading(line.as_bytes())).flatten() {
        Some(read) => read,
        None => parse_journal_leading(line.as_bytes())?,
    };
    split_after_time(line, time, end)
}

/// The line after the container's name that `docker compose logs` puts in front of each line
/// (`postfix-mailcow-1  | Apr 14 19:52:34 ...`), padded with spaces to line the bars up.
fn strip_compose_prefix(line: &str) -> Option<&str> {
    // Container names are short; a bar further on is part of some other line.
    let bar = memchr::memchr(b'|', &line.as_bytes()[..line.len().min(96)])?;
    let padded = &line[..bar];
    let name = padded.trim_end_matches(' ');
    let is_name = !name.is_empty()
        && name.len() < padded.len()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    if !is_name {
        return None;
    }
    line[bar + 1..].strip_prefix(' ')
}

/// The line after the `<PRI>` that syslog puts on the wire and that some setups write to the
/// file too (a remote log stored as received).
fn strip_priority(line: &str) -> Option<&str> {
    let rest = line.strip_prefix('<')?;
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if !(1..=3).contains(&digits) {
        return None;
    }
    rest[digits..].strip_prefix('>')
}

/// An RFC 5424 line after its `<PRI>1 `: `TIME HOST APP PROCID MSGID STRUCTURED-DATA MSG`,
/// each field `-` when absent (rsyslog's `RSYSLOG_SyslogProtocol23Format`, syslog-ng's
/// `syslog()` destination).
fn split_rfc5424(rest: &str) -> Option<SyslogLine<'_>> {
    let (time, end) = parse_leading(rest.as_bytes())?;
    let mut fields = rest[end..].strip_prefix(' ')?.splitn(5, ' ');
    let host = fields.next()?;
    let app = fields.next()?;
    let procid = fields.next()?;
    let _msgid = fields.next()?;
    let message = after_structured_data(fields.next()?)?;
    let tag = absent_or_value(app);
    if tag.is_empty() {
        return None;
    }
    let pid_digits = if procid.bytes().all(|b| b.is_ascii_digit()) {
        procid
    } else {
        ""
    };
    Some(SyslogLine {
        time,
        host: absent_or_value(host),
        tag,
        pid_digits,
        // Some senders mark a UTF-8 message with a byte order mark.
        message: message.strip_prefix('\u{feff}').unwrap_or(message),
    })
}

/// An RFC 5424 field, empty where it is `-`, the mark of a value the sender did not have.
fn absent_or_value(field: &str) -> &str {
    if field == "-" { "" } else { field }
}

/// The message after RFC 5424 structured data: `-`, or `[id key="value" ...]` elements, in
/// whose values `\]`, `\"` and `\\` are escaped.
fn after_structured_data(text: &str) -> Option<&str> {
    let end = if text.starts_with('-') {
        1
    } else {
        let bytes = text.as_bytes();
        let mut at = 0;
        while bytes.get(at) == Some(&b'[') {
            at += 1;
            let mut quoted = false;
            loop {
                match *bytes.get(at)? {
                    b'\\' => at += 2,
                    b'"' => {
                        quoted = !quoted;
                        at += 1;
                    }
                    b']' if !quoted => {
                        at += 1;
                        break;
                    }
                    _ => at += 1,
                }
            }
        }
        at
    };
    if end == 0 {
        return None;
    }
    let rest = text.get(end..)?;
    Some(rest.strip_prefix(' ').unwrap_or(rest))
}

impl SyslogLine<'_> {
    /// The pid in brackets after the tag, if it is one that fits in 32 bits.
    pub fn pid(&self) -> Option<u32> {
        parse_pid(self.pid_digits.as_bytes())
    }
}

/// The times `journalctl` writes in its other output modes.
fn parse_journal_leading(bytes: &[u8]) -> Option<(RawTime, usize)> {
    if bytes.first().is_some_and(u8::is_ascii_digit) {
        parse_epoch(bytes)
    } else {
        parse_weekday_leading(bytes)
    }
}

/// The time of `journalctl -o short-full`: `Sat 2026-11-21 08:00:04 CET`, a weekday before the
/// date and the zone's abbreviation after the time. Abbreviations are ambiguous (`IST`, `CST`),
/// so only `UTC` and `GMT` give an offset; any other leaves the time as the log's local time.
fn parse_weekday_leading(bytes: &[u8]) -> Option<(RawTime, usize)> {
    let weekday = bytes.get(..4)?;
    if !weekday[..3].iter().all(u8::is_ascii_alphabetic) || weekday[3] != b' ' {
        return None;
    }
    let (time, used) = parse_leading(&bytes[4..])?;
    let RawTime::Full(mut stamp) = time else {
        return None;
    };
    let after_time = 4 + used;
    let zone_start = after_time + 1;
    if bytes.get(after_time) != Some(&b' ') {
        return None;
    }
    let zone_len = bytes[zone_start..]
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-'))
        .count();
    if !(1..=6).contains(&zone_len) {
        return None;
    }
    let zone = &bytes[zone_start..zone_start + zone_len];
    if stamp.offset.is_none() && (zone == b"UTC" || zone == b"GMT") {
        stamp.offset = chrono::FixedOffset::east_opt(0);
    }
    Some((RawTime::Full(stamp), zone_start + zone_len))
}

/// Whether a line that is no `TAG[PID]: ` line is one that the logging system writes of itself:
/// `last message repeated 3 times` (sysklogd, BusyBox; `--- last message repeated 3 times ---`
/// on BSD and macOS), the `-- MARK --` heartbeat, or the markers `journalctl` puts between
/// entries (`-- Boot 0123abcd... --`, `-- Logs begin at ... --`, `-- No entries --`). They
/// belong to no mail program, and listing them as unmatched mail lines would send the reader
/// looking for a parser gap.
pub fn is_daemon_notice(line: &str) -> bool {
    let trimmed = line.trim_end();
    if trimmed.len() > 6 && trimmed.starts_with("-- ") && trimmed.ends_with(" --") {
        return true;
    }
    let Some((_, pos)) = parse_leading(line.as_bytes()) else {
        return false;
    };
    let Some(rest) = line[pos..].strip_prefix(' ') else {
        return false;
    };
    // The host is the first word; a daemon that writes none starts with the notice itself.
    let after_host = match find_byte_early(b' ', rest) {
        Some(space) => &rest[space + 1..],
        None => return false,
    };
    [rest, after_host].into_iter().any(|notice| {
        let notice = notice.trim_end();
        let notice = notice.strip_prefix("--- ").unwrap_or(notice);
        notice.starts_with("last message repeated ") || notice == "-- MARK --"
    })
}

/// The message without the id Solaris and illumos syslogd put before it when
/// `msgid` tagging is on, `[ID 197553 mail.info] `: the queue id follows it.
fn without_message_id(message: &str) -> &str {
    let Some(rest) = message.strip_prefix("[ID ") else {
        return message;
    };
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let Some(priority) = rest[digits..].strip_prefix(' ').filter(|_| digits > 0) else {
        return message;
    };
    match priority.split_once("] ") {
        Some((facility_level, text))
            if facility_level.contains('.')
                && facility_level
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'.') =>
        {
            text
        }
        _ => message,
    }
}

const REPEATED: &str = "message repeated ";

/// The message inside rsyslog's reduction of identical lines, `message repeated 2 times: [
/// TEXT]`. The line is read as one TEXT: the repeats themselves are not in the log, so there is
/// no telling which recipients or clients they were about.
fn repeated_message(message: &str) -> Option<&str> {
    let rest = &message[REPEATED.len()..];
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    let inner = rest[digits..]
        .strip_prefix(" times: [")?
        .strip_suffix(']')?;
    // rsyslog keeps the space that followed the tag's colon.
    let inner = inner.strip_prefix(' ').unwrap_or(inner);
    (!inner.is_empty()).then_some(inner)
}

/// Splits `postfix/smtpd[2202]` into the tag and the digits of its pid (empty for none). The
/// pid is read from the end, where it sits: a handful of digits, where a search for `[` from
/// the front would cross the whole tag.
// Inlined by hand: the rare tag without a colon calls it too, and the compiler would
// otherwise keep it out of line on the path every line takes.
#[inline(always)]
fn split_pid(tag_and_pid: &str) -> (&str, &str) {
    let bytes = tag_and_pid.as_bytes();
    let Some(inner) = bytes.strip_suffix(b"]") else {
        return (tag_and_pid, "");
    };
    let digits = inner
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_digit())
        .count();
    let open = inner.len() - digits;
    if open > 0 && inner[open - 1] == b'[' {
        return (&tag_and_pid[..open - 1], &tag_and_pid[open..inner.len()]);
    }
    // Brackets that hold no pid still end the tag.
    match find_byte(b'[', tag_and_pid) {
        Some(open) => (&tag_and_pid[..open], ""),
        None => (tag_and_pid, ""),
    }
}

/// A pid of one to ten digits that fits in 32 bits.
fn parse_pid(digits: &[u8]) -> Option<u32> {
    if digits.is_empty() || digits.len() > 10 {
        return None;
    }
    let mut value = 0u64;
    for d in digits {
        let digit = d.wrapping_sub(b'0');
        if digit > 9 {
            return None;
        }
        value = value * 10 + u64::from(digit);
    }
    u32::try_from(value).ok()
}

fn looks_like_tag(word: &str) -> bool {
    word.ends_with(':') || word.ends_with("]:")
}

/// The last path element of a tag: `postfix/relay/smtp` gives `smtp`.
pub fn service_of(tag: &str) -> &str {
    match tag.rfind('/') {
        Some(slash) => &tag[slash + 1..],
        None => tag,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrappers_repeated_without_end_are_no_syslog_line() {
        for line in ["a | ".repeat(16_000), "<1>".repeat(21_000)] {
            assert!(split(&line).is_none());
        }
        let both = "mx-1  | <22>Nov 21 08:00:04 mx1 postfix/smtpd[1]: connect from x";
        assert_eq!(split(both).unwrap().message, "connect from x");
    }

    #[test]
    fn a_docker_compose_prefix_is_not_part_of_the_line() {
        let line = "postfix-mailcow-1  | Apr 14 19:52:35 1230db0bd489 postfix/smtpd[34889]: \
                    connect from unknown[192.0.2.9]";
        let s = split(line).unwrap();
        assert_eq!(
            (s.host, s.tag, s.pid_digits, s.message),
            (
                "1230db0bd489",
                "postfix/smtpd",
                "34889",
                "connect from unknown[192.0.2.9]"
            )
        );
        let far = format!(
            "{}  | Apr 14 19:52:35 mx postfix/smtpd[1]: x",
            "c".repeat(100)
        );
        for not_a_prefix in [
            "two words  | Apr 14 19:52:35 mx postfix/smtpd[1]: x",
            "  | Apr 14 19:52:35 mx postfix/smtpd[1]: x",
            "name| Apr 14 19:52:35 mx postfix/smtpd[1]: x",
            "é | Apr 14 19:52:35 mx postfix/smtpd[1]: x",
            &far,
        ] {
            assert!(split(not_a_prefix).is_none(), "{not_a_prefix}");
        }
    }

    #[test]
    fn a_solaris_message_id_is_not_part_of_the_message() {
        let s = split(
            "Nov 21 08:00:04 mx1 postfix/smtp[1234]: [ID 197553 mail.info] 4AB12C3D54: to=<a@b.example>",
        )
        .unwrap();
        assert_eq!(s.message, "4AB12C3D54: to=<a@b.example>");
        // A message that only starts with a bracket keeps it.
        for message in [
            "[ID x mail.info] y",
            "[ID 12 mail info] y",
            "[1.2.3.4] y",
            "[ID 12 ma",
        ] {
            let line = format!("Nov 21 08:00:04 mx1 postfix/smtpd[1]: {message}");
            assert_eq!(split(&line).unwrap().message, message);
        }
    }

    #[test]
    fn splits_host_tag_pid_and_message() {
        let line = "Nov 21 08:00:04 mx1 postfix/submission/smtpd[2202]: NOQUEUE: reject: x";
        let s = split(line).unwrap();
        assert_eq!(s.host, "mx1");
        assert_eq!(s.tag, "postfix/submission/smtpd");
        assert_eq!(s.pid(), Some(2202));
        assert_eq!(s.message, "NOQUEUE: reject: x");
        assert_eq!(service_of(s.tag), "smtpd");
    }

    #[test]
    fn colon_inside_the_message_is_not_the_tag_end() {
        let line = "Nov 21 08:00:04 mx1 postfix/smtpd[7]: connect from a[192.0.2.1]: x";
        let s = split(line).unwrap();
        assert_eq!(s.tag, "postfix/smtpd");
        assert_eq!(s.message, "connect from a[192.0.2.1]: x");
        let s = split("Nov 21 08:00:04 mx1 kernel:").unwrap();
        assert_eq!(s.tag, "kernel");
        assert_eq!(s.message, "");
        assert!(split("Nov 21 08:00:04 mx1 last message repeated 3 times").is_none());
    }

    #[test]
    fn a_tag_with_a_pid_needs_no_colon() {
        let line = "2021-02-06T09:58:59.184925+01:00 mail.example.com postfix/submission/smtpd[99525] \
                    2D19728491: client=unknown[192.0.2.13]";
        let s = split(line).unwrap();
        assert_eq!(s.host, "mail.example.com");
        assert_eq!(s.tag, "postfix/submission/smtpd");
        assert_eq!(s.pid(), Some(99525));
        assert_eq!(s.message, "2D19728491: client=unknown[192.0.2.13]");
        // Without a pid, or with brackets that hold none, a word is no tag.
        assert!(split("Nov 21 08:00:04 mx1 postfix/smtpd connect from x").is_none());
        assert!(split("Nov 21 08:00:04 mx1 H=[192.0.2.1] connect from x").is_none());
        assert!(split("Nov 21 08:00:04 mx1 [123] x").is_none());
        assert!(split("Nov 21 08:00:04 mx1 postfix/smtpd[123]").is_none());
    }

    #[test]
    fn accepts_rfc3339_time_and_no_pid() {
        let line = "2026-11-21T08:00:04.123456+01:00 mail postfix-out/smtp: connect to x";
        let s = split(line).unwrap();
        assert_eq!(s.host, "mail");
        assert_eq!(s.tag, "postfix-out/smtp");
        assert_eq!(s.pid(), None);
        assert_eq!(s.message, "connect to x");
    }

    #[test]
    fn host_may_be_missing() {
        let s = split("Nov 21 08:00:04 postfix/qmgr[7]: 2B3C4D5E6F: removed").unwrap();
        assert_eq!(s.host, "");
        assert_eq!(s.tag, "postfix/qmgr");
        assert_eq!(s.message, "2B3C4D5E6F: removed");
    }

    #[test]
    fn a_facility_and_priority_before_the_tag_is_skipped() {
        let line = "Mar 22 07:45:01 backup mail.info postfix/smtp[1085]: 8DB5E171B: x";
        let s = split(line).unwrap();
        assert_eq!(s.host, "backup");
        assert_eq!(s.tag, "postfix/smtp");
        assert_eq!(s.pid(), Some(1085));
        assert_eq!(s.message, "8DB5E171B: x");
        let s = split("Mar 22 07:45:01 backup local3.warn exim[7]: x").unwrap();
        assert_eq!(s.tag, "exim");
        // Only a known facility and priority are taken for one.
        assert!(split("Mar 22 07:45:01 backup mail.infos postfix/smtp[1085]: x").is_none());
        assert!(split("Mar 22 07:45:01 backup some words: x").is_none());
    }

    #[test]
    fn a_priority_before_a_traditional_line_is_skipped() {
        let s = split("<22>Nov 21 11:00:02 mx1 postfix/smtp[6102]: 7C1D2E3F02: x").unwrap();
        assert_eq!(s.host, "mx1");
        assert_eq!(s.tag, "postfix/smtp");
        assert_eq!(s.pid(), Some(6102));
        assert_eq!(s.message, "7C1D2E3F02: x");
        assert!(split("<2222>Nov 21 11:00:02 mx1 postfix/smtp[6102]: x").is_none());
        assert!(split("<>Nov 21 11:00:02 mx1 postfix/smtp[6102]: x").is_none());
    }

    #[test]
    fn rfc5424_lines_are_split_into_the_same_parts() {
        let line = "<22>1 2026-11-21T11:00:01.123456+01:00 mx1 postfix/smtp 6101 - - 7C1D: x y";
        let s = split(line).unwrap();
        assert_eq!(s.host, "mx1");
        assert_eq!(s.tag, "postfix/smtp");
        assert_eq!(s.pid(), Some(6101));
        assert_eq!(s.message, "7C1D: x y");
        let RawTime::Full(stamp) = s.time else {
            panic!("a full time: {:?}", s.time);
        };
        assert_eq!(stamp.local.to_string(), "2026-11-21 11:00:01.123456");
        assert_eq!(stamp.offset.map(|o| o.local_minus_utc()), Some(3600));

        // Structured data, with an escaped bracket and a space in a quoted value, a message
        // marked as UTF-8, and absent host and process id.
        let line =
            "<22>1 2026-11-21T11:00:01Z - exim - ID47 [a x=\"1\\] 2\"][b y=\"3\"] \u{feff}msg";
        let s = split(line).unwrap();
        assert_eq!(s.host, "");
        assert_eq!(s.tag, "exim");
        assert_eq!(s.pid(), None);
        assert_eq!(s.message, "msg");

        // No message at all, and shapes that are not RFC 5424.
        assert_eq!(
            split("<22>1 2026-11-21T11:00:01Z h postfix/smtp 1 - -")
                .unwrap()
                .message,
            ""
        );
        assert!(split("<22>1 2026-11-21T11:00:01Z h - 1 - - msg").is_none());
        assert!(split("<22>1 2026-11-21T11:00:01Z h postfix/smtp 1 - [unclosed msg").is_none());
        assert!(split("<22>1 - - - - - -").is_none());
    }

    #[test]
    fn the_pid_is_the_bracketed_number_that_ends_the_tag() {
        let tag_and_pid = |tag: &str| {
            let line = format!("Nov 21 08:00:04 mx1 {tag}: x");
            let header = split(&line).unwrap();
            (header.tag.to_string(), header.pid())
        };
        let tag = |text: &str, pid| (text.to_string(), pid);
        assert_eq!(
            tag_and_pid("postfix/smtpd[2202]"),
            tag("postfix/smtpd", Some(2202))
        );
        assert_eq!(tag_and_pid("exim4"), tag("exim4", None));
        assert_eq!(tag_and_pid("sm-mta[queue]"), tag("sm-mta", None));
        assert_eq!(tag_and_pid("postfix/smtp[]"), tag("postfix/smtp", None));
        assert_eq!(
            tag_and_pid("postfix/smtp[99999999999]"),
            tag("postfix/smtp", None)
        );
        assert_eq!(tag_and_pid("postfix/smtp[12"), tag("postfix/smtp[12", None));
    }

    #[test]
    fn pids_must_be_numbers_that_fit() {
        assert_eq!(parse_pid(b"2202"), Some(2202));
        assert_eq!(parse_pid(b"4294967295"), Some(u32::MAX));
        assert_eq!(parse_pid(b"4294967296"), None);
        assert_eq!(parse_pid(b""), None);
        assert_eq!(parse_pid(b"12a"), None);
        assert_eq!(parse_pid(b"+12"), None);
    }

    /// The header of a line whose time carries its date, and that time.
    fn split_with_full_time(line: &str) -> (SyslogLine<'_>, crate::time::Timestamp) {
        let header = split(line).unwrap();
        let RawTime::Full(stamp) = header.time else {
            panic!("a full time in {line:?}")
        };
        (header, stamp)
    }

    #[test]
    fn journalctl_short_full_times_are_read() {
        let line = "Sat 2026-11-21 08:00:04 UTC mx1 postfix/smtpd[4206]: connect from x[192.0.2.1]";
        let (header, stamp) = split_with_full_time(line);
        assert_eq!(stamp.local.to_string(), "2026-11-21 08:00:04");
        assert_eq!(stamp.offset.map(|o| o.local_minus_utc()), Some(0));
        assert_eq!(
            (header.host, header.tag, header.pid()),
            ("mx1", "postfix/smtpd", Some(4206))
        );
        assert_eq!(header.message, "connect from x[192.0.2.1]");
        let line = "Sat 2026-11-21 09:00:04 CET mx1 postfix/qmgr[880]: 3F2A1B0CD4: removed";
        let (header, stamp) = split_with_full_time(line);
        assert_eq!(stamp.local.to_string(), "2026-11-21 09:00:04");
        assert_eq!(stamp.offset, None);
        assert_eq!(header.tag, "postfix/qmgr");
        // A weekday needs a full date after it, and the zone a word of its own.
        assert!(split("Sat Nov 21 08:00:04 mx1 postfix/smtpd[1]: x").is_none());
        assert!(split("Sat 2026-11-21 08:00:04").is_none());
    }

    #[test]
    fn journalctl_short_unix_times_are_read_as_utc_instants() {
        let line = "1795248004.123456 mx1 postfix/smtpd[4206]: connect from x[192.0.2.1]";
        let (header, stamp) = split_with_full_time(line);
        assert_eq!(stamp.local.to_string(), "2026-11-21 08:00:04.123456");
        assert_eq!(stamp.offset.map(|o| o.local_minus_utc()), Some(0));
        assert_eq!(
            (header.host, header.tag, header.pid()),
            ("mx1", "postfix/smtpd", Some(4206))
        );
        assert_eq!(header.message, "connect from x[192.0.2.1]");
        // Nine digits are a time in 2001 or later; a short number or one without a fraction is
        // not a time, nor is a date with its dashes.
        assert!(split("999999999.5 mx1 postfix/smtpd[1]: x").is_some());
        assert!(split("12345678.5 mx1 postfix/smtpd[1]: x").is_none());
        assert!(split("1795248004 mx1 postfix/smtpd[1]: x").is_none());
        assert!(split("1795248004. mx1 postfix/smtpd[1]: x").is_none());
        assert!(split("17952480041.5 mx1 postfix/smtpd[1]: x").is_none());
    }

    #[test]
    fn the_syslog_daemons_own_notices_are_told_apart() {
        for line in [
            "Nov 21 08:00:34 mx1 last message repeated 3 times",
            "Nov 21 08:00:34 mx1.example.org --- last message repeated 12 times ---",
            "Nov 21 08:20:00 mx1 -- MARK --",
            "2026-11-21T08:00:34.120+01:00 mx1 last message repeated 2 times\r",
            "-- Boot 0123456789abcdef0123456789abcdef --",
            "-- Logs begin at Thu 2026-11-19 10:00:00 UTC, end at Sat 2026-11-21 09:00:00 UTC. --",
            "-- No entries --",
        ] {
            assert!(is_daemon_notice(line), "{line}");
        }
        for line in [
            "Nov 21 08:00:34 mx1 postfix/smtpd[1]: last message repeated 3 times",
            "Nov 21 08:00:34 mx1 something else entirely",
            "last message repeated 3 times",
            "Nov 21 08:00:34",
            "-- --",
            "-- half a marker",
        ] {
            assert!(!is_daemon_notice(line), "{line}");
        }
    }

    #[test]
    fn a_repeated_message_is_read_as_its_text() {
        let line = "Nov 21 08:00:04 mx1 postfix/smtpd[4206]: message repeated 2 times: [ \
                    NOQUEUE: reject: RCPT from unknown[198.51.100.9]: 554 5.7.1 x; to=<x@y>]";
        let s = split(line).unwrap();
        assert_eq!(s.tag, "postfix/smtpd");
        assert_eq!(s.pid(), Some(4206));
        assert_eq!(
            s.message,
            "NOQUEUE: reject: RCPT from unknown[198.51.100.9]: 554 5.7.1 x; to=<x@y>"
        );
        // Brackets inside the repeated text stay; only the closing one is rsyslog's.
        let s = split("Nov 21 08:00:04 mx1 exim4[9]: message repeated 13 times: [ a [b]]").unwrap();
        assert_eq!(s.message, "a [b]");
        let s = split("Nov 21 08:00:04 mx1 exim4[9]: message repeated 3 times: [x]").unwrap();
        assert_eq!(s.message, "x");
    }

    #[test]
    fn text_that_only_starts_like_a_repeat_is_kept_whole() {
        for message in [
            "message repeated 2 times: [ unterminated",
            "message repeated twice: [ x]",
            "message repeated 2 times: [ ]",
            "message repeated 2 times",
        ] {
            let line = format!("Nov 21 08:00:04 mx1 postfix/smtpd[7]: {message}");
            assert_eq!(split(&line).unwrap().message, message);
        }
    }

    #[test]
    fn rejects_other_shapes() {
        assert!(split("to=<bob@example.org> (in reply to RCPT TO command))").is_none());
        assert!(split("Nov 21 08:00:04 mx1 no colon here").is_none());
        assert!(split("Nov 21 08:00:04").is_none());
        assert!(split("").is_none());
    }
}
