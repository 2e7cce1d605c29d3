//! Messages set aside instead of delivered: a Postfix access table, header or body check or
//! milter answered `HOLD`, `DISCARD` or `REDIRECT` (or a check's `WARN`, which only logs), or
//! Exim froze a message (an ACL's or filter's `freeze`, or a bounce that could not be
//! delivered). No SMTP reply tells of it (the client was told the message was accepted), so a
//! report sums these lines up apart: held and frozen mail waits in the queue until someone acts,
//! and discarded mail is gone without a bounce.

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
    /// Kept in Exim's queue, not tried again until thawed (`exim -Mt`) or removed.
    Freeze,
    /// Accepted and then dropped, without a bounce.
    Discard,
    /// Sent to another address than the one given.
    Redirect,
    /// Only logged: a header or body check's `WARN`; the message went on.
    Warn,
}

impl Diversion {
    /// Every action, in the order reports list them.
    pub const ALL: [Diversion; 5] = [
        Diversion::Hold,
        Diversion::Freeze,
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
            Diversion::Freeze => "freeze",
            Diversion::Discard => "discard",
            Diversion::Redirect => "redirect",
            Diversion::Warn => "warn",
        }
    }

    fn meaning(self) -> &'static str {
        match self {
            Diversion::Hold => "kept in the hold queue, not delivered until released",
            Diversion::Freeze => "kept in Exim's queue, not tried again until thawed",
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
            Diversion::Freeze => {
                "freeze: Exim tries a frozen message no more until someone acts: list frozen \
                 mail with `exiqgrep -z -i` (`exim -bp` marks it *** frozen ***), see why with \
                 `exim -Mvl ID` and read it with `exim -Mvh ID` and `exim -Mvb ID`, then thaw \
                 it with `exim -Mt ID` and try it with `exim -M ID`, or remove it with \
                 `exim -Mrm ID`. Most frozen mail is a bounce that could not be delivered \
                 (`Frozen (delivery error message)`): ignore_bounce_errors_after discards those \
                 on its own (ten weeks by default, a few days is common), and \
                 timeout_frozen_after cancels any frozen message older than it says (its age \
                 counts from its arrival), bouncing it to its sender."
            }
            Diversion::Discard => {
                "discard: the sender was told the message was accepted and nobody got it. \
                 Make sure the rule named (a Postfix access table, check or milter; an Exim \
                 router or ACL) is meant to drop real mail; Postfix's HOLD, or Exim's freeze, \
                 keeps a copy to look at instead."
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
            Diversion::Hold | Diversion::Freeze | Diversion::Redirect => Class::Transient,
            Diversion::Warn => Class::Intermediate,
        }
    }
}
