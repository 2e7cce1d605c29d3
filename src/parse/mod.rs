//! Turning one log line into what it tells: an SMTP outcome, a line of the MTA without one, a
//! line of another program, or a line of a known MTA that could not be read.
//!
//! Parsers are pure functions over one line: they do no I/O, print nothing and keep no state,
//! so that chunks of a file can be parsed on any thread in any order.

pub mod diagnostic;
pub mod diverted;
pub mod exim;
pub mod needle;
pub mod postfix;
pub mod postscreen;
pub mod reply;
pub mod restart;
pub mod syslog;

use crate::event::{Event, LogFormat};
use crate::time::{Timestamp, YearRule};

/// What one line turned out to be. Every line read lands in exactly one of these, which is
/// what lets the report's footer account for every line.
// Boxing the event would cost an allocation per outcome; the value is moved once and dropped.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Parsed<'a> {
    /// An SMTP outcome.
    Event(Event<'a>),
    /// A line of the MTA that reports no outcome (connections, queue bookkeeping, TLS, ...).
    NoOutcome,
    /// A line without an outcome that tells of a message's life: that it is over, or that a
    /// notification was made from it. Counted with [`Parsed::NoOutcome`] lines.
    Lifecycle(Lifecycle<'a>),
    /// One of postscreen's verdicts on a client: no outcome, but a report sums them up.
    /// Counted with [`Parsed::NoOutcome`] lines.
    Screened(postscreen::Screening<'a>),
    /// A problem the MTA reported about itself (`warning:`, `fatal:`, ...): no outcome, but a
    /// report sums them up. Counted with [`Parsed::NoOutcome`] lines.
    Diagnosed(TieredLine<'a, diagnostic::Severity>),
    /// A message a rule held, discarded or redirected, or Exim froze: no outcome the client saw, but a
    /// report sums them up. Counted with [`Parsed::NoOutcome`] lines.
    Diverted(TieredLine<'a, diverted::Diversion>),
    /// The MTA started, read its configuration again or stopped: no outcome, but a report
    /// sums them up. Counted with [`Parsed::NoOutcome`] lines.
    Restarted(TieredLine<'a, restart::Restart>),
    /// A line written by another program (dovecot, opendkim, amavis, ...).
    Foreign,
    /// A line of a known MTA, or a line of no known shape, that looks like it may carry an
    /// outcome but could not be read. `--unmatched` lists them.
    Unmatched,
}

/// A line a report sums up by tier and kind: a problem the MTA reported about itself (the
/// tier is its severity), a message a rule set aside (the tier is the rule's action).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TieredLine<'a, T> {
    /// When the line was written.
    pub timestamp: Option<Timestamp>,
    /// Its severity or action.
    pub tier: T,
    /// The program that wrote it, as its syslog tag names it (`postfix/smtpd`).
    pub program: &'a str,
    /// What it said: after the severity word and any queue id for a problem; what matched,
    /// without the envelope that follows it, for a rule (`header Subject: ... from host[ip]`).
    pub message: &'a str,
    /// The text a rule's author gave it, written after the envelope, or the version a start
    /// or reload names; empty for none.
    pub note: &'a str,
}

/// Which parser reads a source.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceFormat {
    /// Syslog or journald lines; each line goes to the parser its program tag names, so a
    /// syslog file holding both Postfix and Exim lines is read whole.
    Syslog,
    /// Exim's own mainlog or rejectlog, without a syslog header.
    EximMainlog,
}

/// What every line of one source shares.
#[derive(Clone, Copy, Debug)]
pub struct LineContext {
    /// How year-less timestamps get their year.
    pub years: YearRule,
    /// The parser the source was given.
    pub format: SourceFormat,
}

/// A line that tells of a message's life, with when and where it was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lifecycle<'a> {
    /// When the line was written.
    pub timestamp: Option<Timestamp>,
    /// The syslog host name, empty for Exim's own log files.
    pub host: &'a str,
    /// What it says.
    pub message: MessageLine<'a>,
}

impl<'a> Lifecycle<'a> {
    /// The end of message `id`.
    pub fn ended(id: &'a str) -> Self {
        Lifecycle {
            timestamp: None,
            host: "",
            message: MessageLine {
                id,
                made: None,
                ends: true,
            },
        }
    }

    /// Message `child` made from message `parent`; `id` is the one the line is about.
    pub fn made(id: &'a str, parent: &'a str, child: &'a str) -> Self {
        Lifecycle {
            timestamp: None,
            host: "",
            message: MessageLine {
                id,
                made: Some((parent, child)),
                ends: false,
            },
        }
    }
}

/// Parses one line (without its line ending).
pub fn parse_line<'a>(line: &'a str, ctx: &LineContext) -> Parsed<'a> {
    match ctx.format {
        SourceFormat::EximMainlog => exim::parse_mainlog(line, &ctx.years),
        SourceFormat::Syslog => match syslog::split(line) {
            Some(header) => match program_of(header.tag) {
                Some(LogFormat::Postfix) => postfix::parse(&header, &ctx.years),
                Some(LogFormat::Exim) => exim::parse_syslog(&header, &ctx.years),
                None => Parsed::Foreign,
            },
            // A piece of a line that syslog split, or junk: never dropped silently.
            None if line.trim().is_empty() => Parsed::NoOutcome,
            None if syslog::is_daemon_notice(line) => Parsed::Foreign,
            None => Parsed::Unmatched,
        },
    }
}

/// What a line says of the message it belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MessageLine<'a> {
    /// The Postfix queue id or Exim message id.
    pub id: &'a str,
    /// (parent, child) when the line says one message was made from another: Postfix's
    /// `sender non-delivery notification: CHILD`, or the arrival of an Exim bounce,
    /// `<= <> R=PARENT`.
    pub made: Option<(&'a str, &'a str)>,
    /// Whether the line ends the message's life (Postfix's `removed`, Exim's `Completed`): a
    /// later line with the same id belongs to another message.
    pub ends: bool,
}

/// The message a line belongs to; `None` for a line of no known MTA or one that names no
/// message.
pub fn message_of<'a>(line: &'a str, ctx: &LineContext) -> Option<MessageLine<'a>> {
    let message = match ctx.format {
        SourceFormat::EximMainlog => exim_message(line),
        SourceFormat::Syslog => {
            let header = syslog::split(line)?;
            match program_of(header.tag)? {
                LogFormat::Postfix => {
                    let (id, body) = postfix::queue_id_of(header.message);
                    MessageLine {
                        id,
                        made: postfix::notification_of(body).map(|child| (id, child)),
                        ends: postfix::is_removal(body),
                    }
                }
                LogFormat::Exim => exim_message(header.message),
            }
        }
    };
    (!message.id.is_empty()).then_some(message)
}

/// The time a line was written, for lines of any kind; `None` when it has no readable time.
pub fn time_of(line: &str, ctx: &LineContext) -> Option<Timestamp> {
    let raw = match ctx.format {
        SourceFormat::EximMainlog => crate::time::parse_leading(line.as_bytes())?.0,
        SourceFormat::Syslog => syslog::split(line)?.time,
    };
    ctx.years.complete(raw)
}

fn exim_message(text: &str) -> MessageLine<'_> {
    let (id, body) = exim::message_id_of(text);
    MessageLine {
        id,
        made: exim::parent_of(text).map(|parent| (parent, id)),
        ends: exim::is_completion(body),
    }
}

/// Which MTA a syslog tag belongs to: `postfix`, `postfix-out`, `postfix/submission/smtpd`
/// and `postfix-in/postscreen` are Postfix; `exim`, `exim4` and `exim4/...` are Exim.
pub fn program_of(tag: &str) -> Option<LogFormat> {
    let bytes = tag.as_bytes();
    // Most tags of other programs are told apart by their first letters alone.
    if !(bytes.starts_with(b"post") || bytes.starts_with(b"exim")) {
        return None;
    }
    // `postfix` has no slash, so every tag that starts with it names Postfix whatever follows:
    // the tag of nearly every line, known without looking for the end of its first part.
    if bytes.starts_with(b"postfix") {
        return Some(LogFormat::Postfix);
    }
    let first = match bytes.iter().position(|b| *b == b'/') {
        Some(slash) => &bytes[..slash],
        None => bytes,
    };
    if first.starts_with(b"postfix") || first.starts_with(b"postsuper") || first == b"postqueue" {
        Some(LogFormat::Postfix)
    } else if first == b"exim" || first == b"exim4" || first.starts_with(b"exim-") {
        Some(LogFormat::Exim)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_name_their_mta() {
        assert_eq!(program_of("postfix/smtp"), Some(LogFormat::Postfix));
        assert_eq!(program_of("postfix-out/smtp"), Some(LogFormat::Postfix));
        assert_eq!(
            program_of("postfix/submission/smtpd"),
            Some(LogFormat::Postfix)
        );
        assert_eq!(program_of("exim4"), Some(LogFormat::Exim));
        assert_eq!(program_of("exim"), Some(LogFormat::Exim));
        assert_eq!(program_of("dovecot"), None);
        assert_eq!(program_of("opendkim"), None);
        assert_eq!(program_of("postgrey"), None);
    }
}
