//! Exim's mainlog and rejectlog lines, whether written to Exim's own files or through syslog.

use super::Parsed;
use super::syslog::SyslogLine;
use crate::time::YearRule;

/// Parses a line of Exim's own log file: `2026-11-21 08:00:04[.mmm][ +zzzz][ [pid]] ...`.
pub fn parse_mainlog<'a>(line: &'a str, years: &YearRule) -> Parsed<'a> {
    let _ = (line, years);
    Parsed::Unmatched
}

/// Parses the message of an Exim line logged through syslog (`exim[1234]: ...`).
pub fn parse_syslog<'a>(header: &SyslogLine<'a>, years: &YearRule) -> Parsed<'a> {
    let _ = (header, years);
    Parsed::Unmatched
}
