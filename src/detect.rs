//! Choosing how each source is read: which parser, and how its year-less timestamps get a year.
//!
//! Detection looks only at the first lines of a source, so that it costs nothing on large
//! files and gives the same answer whether the source arrives as a file, on standard input or
//! compressed. It does not parse events.

use std::sync::LazyLock;

use chrono::{Local, NaiveDateTime, Timelike};
use regex::Regex;

use crate::event::LogFormat;
use crate::parse::{self, SourceFormat};
use crate::time::{self, RawTime, YearRule};

/// How many leading lines are looked at to decide a source's format.
const SAMPLE_LINES: usize = 50;

/// What the user asked for with `--log-format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormatChoice {
    /// Decide per source from its first lines.
    Auto,
    /// Postfix through syslog or journald.
    Postfix,
    /// Exim, through its own files or syslog.
    Exim,
}

/// Picks the parser for a source from its first lines (`sample`, line endings included or
/// not).
///
/// A line with a syslog header is routed by its program tag whatever the choice, because a
/// syslog file may hold Postfix, Exim and other programs side by side. Exim's own log files
/// have no syslog header and begin with `YYYY-MM-DD HH:MM:SS`; they are recognised by that
/// shape when most sampled lines have it and no sampled line names a known MTA in a syslog
/// header.
pub fn detect_format(choice: FormatChoice, sample: &[u8]) -> SourceFormat {
    let mut syslog_mta = 0usize;
    let mut exim_own = 0usize;
    for line in sample
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .take(SAMPLE_LINES)
    {
        let line = String::from_utf8_lossy(line);
        let line = line.trim_end_matches('\r');
        if let Some(header) = parse::syslog::split(line)
            && parse::program_of(header.tag).is_some()
        {
            syslog_mta += 1;
            continue;
        }
        if looks_like_exim_own_line(line.as_bytes()) {
            exim_own += 1;
        }
    }
    match choice {
        FormatChoice::Postfix => SourceFormat::Syslog,
        FormatChoice::Exim if syslog_mta == 0 => SourceFormat::EximMainlog,
        FormatChoice::Exim => SourceFormat::Syslog,
        FormatChoice::Auto if exim_own > syslog_mta => SourceFormat::EximMainlog,
        FormatChoice::Auto => SourceFormat::Syslog,
    }
}

/// `2026-11-21 08:00:04` with a space, not a `T`, between date and time: the shape of Exim's
/// mainlog, rejectlog and paniclog.
fn looks_like_exim_own_line(line: &[u8]) -> bool {
    line.len() > 20
        && line[10] == b' '
        && line[..4].iter().all(u8::is_ascii_digit)
        && line[4] == b'-'
        && matches!(time::parse_leading(line), Some((RawTime::Full(_), _)))
}

/// Which of Exim's three logs a source in Exim's own format is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EximLog {
    /// Arrivals, deliveries, rejections and everything else.
    Main,
    /// Rejections only, each with the message's header lines when they had been read: Exim
    /// writes every rejection to the main log too, so its dated lines are copies.
    Reject,
    /// Serious errors; most are written to the main log too.
    Panic,
}

/// Tells Exim's reject and panic logs from its main log by the file's name. Exim names its
/// files after the log (`mainlog`, `rejectlog`, `paniclog`; `exim_rejectlog`, `reject.log` and
/// the like where `log_file_path` puts text around the `%s`), a fleet's copies may carry a host
/// before it (`mx1-rejectlog`), and rotation only adds suffixes. So the log's name is a word of
/// the file name, `reject` or `panic` with an optional `log`, and no `main` is in it. The
/// contents cannot tell: a reject log holds nothing a main log cannot, its header dumps only
/// follow rejections after DATA, and a file of main log lines joined with a reject log is a
/// main log.
pub fn exim_log_of(name: &str) -> EximLog {
    static SIDE_LOG_NAME: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:.*[_.\-])?(reject|panic)(?:[_.\-]?log)?(?:[_.\-].*)?$")
            .expect("a valid pattern")
    });
    let file_name = std::path::Path::new(name)
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if file_name.contains("main") {
        return EximLog::Main;
    }
    match SIDE_LOG_NAME
        .captures(&file_name)
        .and_then(|found| found.get(1))
        .map(|log| log.as_str())
    {
        Some("reject") => EximLog::Reject,
        Some("panic") => EximLog::Panic,
        _ => EximLog::Main,
    }
}

/// How a source was read, as the report's header names it: its format, and for Exim's own
/// files which of its logs it is.
pub fn describe(format: SourceFormat, exim_log: EximLog) -> &'static str {
    match (format, exim_log) {
        (SourceFormat::Syslog, _) => "syslog",
        (SourceFormat::EximMainlog, EximLog::Main) => LogFormat::Exim.label(),
        (SourceFormat::EximMainlog, EximLog::Reject) => "exim reject log",
        (SourceFormat::EximMainlog, EximLog::Panic) => "exim panic log",
    }
}

/// Every label [`describe`] gives, for reading them back.
pub const DESCRIPTIONS: [&str; 4] = ["syslog", "exim", "exim reject log", "exim panic log"];

/// Decides how year-less timestamps of one source get their year.
///
/// With `--year`, the first year-less line of the source lies in that year and later lines
/// whose month is earlier have wrapped into the next year. Without it, the year comes from when
/// the source was last written (`last_written`, or `now` for standard input).
pub fn year_rule(
    given_year: Option<i32>,
    sample: &[u8],
    last_written: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> YearRule {
    match given_year {
        Some(year) => YearRule::Given {
            year,
            first_month: first_year_less_month(sample).unwrap_or(1),
        },
        None => YearRule::last_written(last_written.unwrap_or(now)),
    }
}

/// The month of the first syslog timestamp without a year, skipping lines that have a full
/// timestamp.
fn first_year_less_month(sample: &[u8]) -> Option<u32> {
    sample
        .split(|b| *b == b'\n')
        .find_map(|line| match time::parse_leading(line) {
            Some((RawTime::YearLess { month, .. }, _)) => Some(month),
            _ => None,
        })
}

/// A file's modification time as the machine's local wall-clock time.
pub fn local_time(time: std::time::SystemTime) -> NaiveDateTime {
    chrono::DateTime::<Local>::from(time).naive_local()
}

/// Now, as the machine's local wall-clock time, in whole seconds so that runs within the same
/// second agree.
pub fn now_local() -> NaiveDateTime {
    let now = Local::now().naive_local();
    now.with_nanosecond(0).unwrap_or(now)
}

#[cfg(test)]
mod tests {
    use super::*;

    const POSTFIX: &[u8] = b"Nov 21 08:00:04 mx1 postfix/smtp[4242]: 3F1A22C0B1: to=<a@b.example>, relay=none, delay=1, delays=0/0/1/0, dsn=4.4.1, status=deferred (connect to b.example[192.0.2.1]:25: Connection timed out)\n";
    const EXIM: &[u8] = b"2026-11-21 08:00:04 1tE4xY-000abc-De => bob@example.org R=dnslookup T=remote_smtp H=mx.example.org [192.0.2.7] C=\"250 2.0.0 OK\"\n2026-11-21 08:00:05 1tE4xY-000abc-De Completed\n";
    const EXIM_SYSLOG: &[u8] =
        b"2026-11-21T08:00:04.123+01:00 mx1 exim[311]: 1tE4xY-000abc-De Completed\n";

    #[test]
    fn syslog_postfix_is_syslog() {
        assert_eq!(
            detect_format(FormatChoice::Auto, POSTFIX),
            SourceFormat::Syslog
        );
        assert_eq!(
            detect_format(FormatChoice::Exim, POSTFIX),
            SourceFormat::Syslog
        );
    }

    #[test]
    fn exim_own_file_is_mainlog() {
        assert_eq!(
            detect_format(FormatChoice::Auto, EXIM),
            SourceFormat::EximMainlog
        );
        assert_eq!(
            detect_format(FormatChoice::Exim, EXIM),
            SourceFormat::EximMainlog
        );
        assert_eq!(
            detect_format(FormatChoice::Postfix, EXIM),
            SourceFormat::Syslog
        );
    }

    #[test]
    fn exim_through_syslog_with_rfc3339_time_is_syslog() {
        assert_eq!(
            detect_format(FormatChoice::Auto, EXIM_SYSLOG),
            SourceFormat::Syslog
        );
    }

    #[test]
    fn exim_logs_are_told_apart_by_their_file_names() {
        for name in [
            "/var/log/exim4/rejectlog",
            "rejectlog.1",
            "/var/log/exim4/rejectlog.3.gz",
            "/var/log/exim_rejectlog",
            "/var/log/exim/exim_reject.log-20261121",
        ] {
            assert_eq!(exim_log_of(name), EximLog::Reject, "{name}");
        }
        for name in ["/var/log/exim4/paniclog", "exim_paniclog.1.gz"] {
            assert_eq!(exim_log_of(name), EximLog::Panic, "{name}");
        }
        for name in ["/var/log/exim4/mainlog", "mainlog.2.gz", "-", "/tmp/copy"] {
            assert_eq!(exim_log_of(name), EximLog::Main, "{name}");
        }
        for name in [
            "/var/log/exim/reject.log",
            "exim4-rejectlog-20261121.gz",
            "fleet/mx1-rejectlog",
            "mx1.example.org_reject_log.3",
        ] {
            assert_eq!(exim_log_of(name), EximLog::Reject, "{name}");
        }
        assert_eq!(exim_log_of("/var/log/exim/panic.log.1"), EximLog::Panic);
        // A directory named after the reject log does not make its files reject logs, nor
        // does the word elsewhere in a main log's name.
        for name in [
            "/srv/rejectlogs/mainlog",
            "mx2-rejectmx-mainlog",
            "mainlog-no-panic",
            "/var/log/exim/main.log",
            "rejectlogs",
            "nopanic.log",
        ] {
            assert_eq!(exim_log_of(name), EximLog::Main, "{name}");
        }
    }

    #[test]
    fn descriptions_list_every_label() {
        for format in [SourceFormat::Syslog, SourceFormat::EximMainlog] {
            for log in [EximLog::Main, EximLog::Reject, EximLog::Panic] {
                assert!(DESCRIPTIONS.contains(&describe(format, log)));
            }
        }
    }

    #[test]
    fn empty_or_unknown_source_defaults_to_syslog() {
        assert_eq!(detect_format(FormatChoice::Auto, b""), SourceFormat::Syslog);
        assert_eq!(
            detect_format(FormatChoice::Auto, b"\x00\x01garbage\n"),
            SourceFormat::Syslog
        );
    }

    #[test]
    fn given_year_starts_at_the_first_year_less_month() {
        let sample = b"2026-12-30T23:59:59Z host postfix/smtp[1]: x\nDec 31 23:59:59 host postfix/smtp[1]: x\n";
        let now = NaiveDateTime::default();
        assert_eq!(
            year_rule(Some(2025), sample, None, now),
            YearRule::Given {
                year: 2025,
                first_month: 12
            }
        );
        assert_eq!(
            year_rule(None, sample, None, now),
            YearRule::last_written(now)
        );
    }
}
