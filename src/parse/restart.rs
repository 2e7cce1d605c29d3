//! The MTA starting, re-reading its configuration and stopping: Postfix master's `daemon
//! started`, `reload` and `terminating on signal` lines, Exim's `daemon started` and `SIGHUP
//! received`. No mail is refused, but mail does not flow while the MTA is down, and a change of
//! behaviour right after a reload points at the configuration, so an incident review wants them.

use crate::codes::Class;
use crate::kinds::Tier;

/// What the MTA's daemon did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Restart {
    /// The daemon (Postfix's master) started.
    Start,
    /// The configuration was read again without a stop.
    Reload,
    /// The daemon (Postfix's master) stopped.
    Stop,
}

impl Restart {
    /// Every event, in the order reports list them.
    pub const ALL: [Restart; 3] = [Restart::Start, Restart::Reload, Restart::Stop];
}

impl Tier for Restart {
    const ALL: &'static [Restart] = &Restart::ALL;
    const NAME: &'static str = "event";

    fn label(self) -> &'static str {
        match self {
            Restart::Start => "start",
            Restart::Reload => "reload",
            Restart::Stop => "stop",
        }
    }

    fn meaning(self) -> &'static str {
        match self {
            Restart::Start => "the MTA's daemon (Postfix's master) started",
            Restart::Reload => "the MTA read its configuration again",
            Restart::Stop => "the MTA's daemon (Postfix's master) stopped",
        }
    }

    fn advice(self) -> &'static str {
        match self {
            Restart::Start => {
                "start: a boot, an upgrade (the version is in the kind) or a restart. For \
                 Postfix, a start with no stop before it in the same log can mean master died \
                 without a word: look at the system log then. Exim writes no stop; the start \
                 it writes again just after each `SIGHUP received` is counted with that \
                 reload, not here."
            }
            Restart::Reload => {
                "reload: new settings took effect here; a change in refusals or deferrals \
                 right after it points at that change of configuration."
            }
            Restart::Stop => {
                "stop: no mail came in or went out until the next start. Postfix's master \
                 names the signal: 15 is `postfix stop` or a shutdown, 2 or 3 a stop by hand, \
                 4, 7 or 11 a crash of master itself (look at the system log then)."
            }
        }
    }

    fn always_advised(self) -> bool {
        false
    }

    fn colour(self) -> Class {
        match self {
            Restart::Start => Class::Success,
            Restart::Reload => Class::Intermediate,
            Restart::Stop => Class::Transient,
        }
    }
}
