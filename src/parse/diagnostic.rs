//! What the MTA says about itself: Postfix's `warning:`, `error:`, `fatal:` and `panic:` lines
//! (a lookup table that cannot be opened, a client whose name does not resolve, a daemon that
//! died, a configuration that stops mail). They carry no reply code and are no outcomes, but a
//! `fatal:` or `panic:` means some mail is not flowing, so a report sums them up apart.

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

impl crate::kinds::Tier for Severity {
    const ALL: &'static [Severity] = &Severity::ALL;
    const NAME: &'static str = "severity";

    fn label(self) -> &'static str {
        Severity::label(self)
    }

    fn meaning(self) -> &'static str {
        Severity::meaning(self)
    }

    fn advice(self) -> &'static str {
        match self {
            Severity::Panic => {
                "panic: the daemon found a bug or corrupt data (a damaged queue file, a broken \
                 table) and stopped; master starts it again, and it stops again on the same \
                 input. Read the example line, run `postfix check`, and move a damaged queue \
                 file aside."
            }
            Severity::Fatal => {
                "fatal: the program stopped, and the mail it handles waits until the cause is \
                 fixed. Postfix's master starts a daemon again after a pause; a fatal line of \
                 master itself, or of Exim's listening daemon, means no mail comes in. Read \
                 the example line, check the configuration (`postfix check`, `exim -bV`), \
                 correct what it names, then reload or start the MTA."
            }
            Severity::Error => {
                "error: a step failed (a table or service that could not be opened or \
                 reached); the mail it concerned waits in the queue while it lasts. Start with \
                 the example line of the most frequent kind."
            }
            Severity::Warning => {
                "warning: each names its cause; start with the most frequent, and with those \
                 that name a file, table or service of this host."
            }
        }
    }

    fn always_advised(self) -> bool {
        matches!(self, Severity::Panic | Severity::Fatal)
    }

    fn colour(self) -> crate::codes::Class {
        match self {
            Severity::Warning => crate::codes::Class::Transient,
            _ => crate::codes::Class::Permanent,
        }
    }
}
