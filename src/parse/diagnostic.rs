//! What the MTA says about itself: Postfix's `warning:`, `error:`, `fatal:` and `panic:` lines
//! (a lookup table that cannot be opened, a client whose name does not resolve, a daemon that
//! died, a configuration that stops mail). They carry no reply code and are no outcomes, but a
//! `fatal:` or `panic:` means some mail is not flowing, so a report sums them up apart.

use crate::time::Timestamp;

/// How bad the MTA said a problem is, from worst to mildest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// A bug or corruption found by the software itself; the process stopped at once.
    Panic,
    /// The process could not go on and exited: whatever it was doing did not get done.
    Fatal,
    /// A failure the process got past, usually retried.
    Error,
    /// Something wrong or suspect that did not stop the process.
    Warning,
}

impl Severity {
    /// Every severity, worst first: the order reports list them in.
    pub const ALL: [Severity; 4] = [
        Severity::Panic,
        Severity::Fatal,
        Severity::Error,
        Severity::Warning,
    ];

    /// The word the MTA writes, used as the name in every report format.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Panic => "panic",
            Severity::Fatal => "fatal",
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }

    /// The severity a message's first word names (`warning:` gives warning).
    pub fn of_word(word: &str) -> Option<Severity> {
        Some(match word {
            "panic:" => Severity::Panic,
            "fatal:" => Severity::Fatal,
            "error:" => Severity::Error,
            "warning:" => Severity::Warning,
            _ => return None,
        })
    }

    /// What the severity says about mail flow, for a reader new to it.
    pub fn meaning(self) -> &'static str {
        match self {
            Severity::Panic => "a daemon found a bug or corrupt data and stopped at once",
            Severity::Fatal => "a daemon could not go on and exited; its work was not done",
            Severity::Error => "a step failed and was given up or will be retried",
            Severity::Warning => "something is wrong or suspect; mail went on",
        }
    }
}

/// One line in which the MTA reported a problem of its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Diagnostic<'a> {
    /// When the line was written.
    pub timestamp: Option<Timestamp>,
    /// How bad the MTA said it is.
    pub severity: Severity,
    /// The program that wrote it, as its syslog tag names it (`postfix/smtpd`).
    pub program: &'a str,
    /// What it said, after the severity word and any queue id.
    pub message: &'a str,
}
