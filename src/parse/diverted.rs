//! Messages a rule set aside instead of delivering: an access table, a header or body check or
//! a milter answered `HOLD`, `DISCARD` or `REDIRECT` (and a check's `WARN`, which only logs). No SMTP reply tells of it (the client was
//! told the message was accepted), so a report sums these lines up apart: held mail waits in
//! the hold queue until someone releases it, and discarded mail is gone without a bounce.

use crate::codes::Class;
use crate::kinds::Tier;

/// How cleanup starts a line about a header or body check's match (`header Subject: ...`): the
/// check's name and what it matched, which the sender wrote.
pub const CONTENT_CHECKS: [&str; 4] = ["header ", "mime-header ", "nested-header ", "body "];

/// What a rule did with a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Diversion {
    /// Kept in the hold queue until released (`postsuper -H`) or deleted.
    Hold,
    /// Accepted and then dropped, without a bounce.
    Discard,
    /// Sent to another address than the one given.
    Redirect,
    /// Only logged: a header or body check's `WARN`; the message went on.
    Warn,
}

impl Diversion {
    /// Every action, in the order reports list them.
    pub const ALL: [Diversion; 4] = [
        Diversion::Hold,
        Diversion::Discard,
        Diversion::Redirect,
        Diversion::Warn,
    ];

    /// The action a Postfix line names (`hold`, `milter-hold`, `discard`, ...).
    pub fn of_action(word: &str) -> Option<Diversion> {
        Some(match word {
            "hold" | "milter-hold" => Diversion::Hold,
            "discard" | "milter-discard" => Diversion::Discard,
            "redirect" => Diversion::Redirect,
            _ => return None,
        })
    }
}

impl Tier for Diversion {
    const ALL: &'static [Diversion] = &Diversion::ALL;
    const NAME: &'static str = "action";

    fn label(self) -> &'static str {
        match self {
            Diversion::Hold => "hold",
            Diversion::Discard => "discard",
            Diversion::Redirect => "redirect",
            Diversion::Warn => "warn",
        }
    }

    fn meaning(self) -> &'static str {
        match self {
            Diversion::Hold => "kept in the hold queue, not delivered until released",
            Diversion::Discard => "accepted, then dropped without a bounce",
            Diversion::Redirect => "sent to another address than the one given",
            Diversion::Warn => "only logged by a header or body check; delivered as usual",
        }
    }

    fn advice(self) -> &'static str {
        match self {
            Diversion::Hold => {
                "hold: held mail waits until someone acts: list it with `postqueue -p` (held \
                 messages are marked with !), read one with `postcat -q ID`, release it with \
                 `postsuper -H ID` or delete it with `postsuper -d ID`. Held mail does not \
                 expire while held; release mail held for long with `postsuper -r ID` \
                 instead, so that maximal_queue_lifetime and bounce_queue_lifetime count \
                 from the release."
            }
            Diversion::Discard => {
                "discard: the sender was told the message was accepted and nobody got it. \
                 Make sure the rule named is meant to drop real mail; HOLD keeps a copy to \
                 look at instead."
            }
            Diversion::Redirect => {
                "redirect: every recipient of the message was replaced by the rule's address; \
                 check that the rule matches only what it should."
            }
            Diversion::Warn => {
                "warn: a check's WARN rule matched and the message went on; it is how a new \
                 rule is tried before it is made to act. Review the hits before changing it \
                 to HOLD, DISCARD or REJECT."
            }
        }
    }

    fn always_advised(self) -> bool {
        true
    }

    fn colour(self) -> Class {
        match self {
            Diversion::Discard => Class::Permanent,
            Diversion::Hold | Diversion::Redirect => Class::Transient,
            Diversion::Warn => Class::Intermediate,
        }
    }
}
