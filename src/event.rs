//! The one record every parser emits: an SMTP outcome read from one log line.
//!
//! An [`Event`] borrows its text from the line it was parsed from, so that parsing allocates
//! nothing for the common case. It carries no file name or line number: the pipeline knows
//! where a line came from and passes that beside the event.

use std::borrow::Cow;

use crate::codes::{Action, Class, Direction, EnhancedCode, Permanence};
use crate::time::Timestamp;

/// Which MTA wrote a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LogFormat {
    /// Postfix through syslog or journald.
    Postfix,
    /// Exim's own mainlog/rejectlog, or Exim through syslog.
    Exim,
}

impl LogFormat {
    /// `postfix` or `exim`.
    pub fn label(self) -> &'static str {
        match self {
            LogFormat::Postfix => "postfix",
            LogFormat::Exim => "exim",
        }
    }
}

/// One SMTP outcome. Field order follows the columns of `mailsift events`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event<'a> {
    /// When the line was written; `None` only when the line had no readable time.
    pub timestamp: Option<Timestamp>,
    /// The MTA that wrote the line.
    pub log_format: LogFormat,
    /// The syslog host name, empty for Exim's own log files.
    pub host: &'a str,
    /// The full syslog tag (`postfix/submission/smtpd`, `postfix-out/smtp`, `exim`).
    pub program: &'a str,
    /// The process id, where logged.
    pub pid: Option<u32>,
    /// Postfix queue id (`NOQUEUE` for pre-queue rejects) or Exim message id; may be empty.
    pub queue_id: &'a str,
    /// Whether the reply came from a remote server or from ours.
    pub direction: Direction,
    /// What happened.
    pub action: Action,
    /// The SMTP step the reply answered (`CONNECT`, `HELO`, `MAIL`, `RCPT`, `DATA`,
    /// `END-OF-DATA`, ...), where the log says.
    pub stage: Option<&'static str>,
    /// The three-digit reply code from the first segment of the reply.
    pub reply_code: Option<u16>,
    /// The RFC 3463 code inside the reply text.
    pub enhanced_code: Option<EnhancedCode>,
    /// Postfix's `dsn=` field.
    pub dsn: Option<EnhancedCode>,
    /// The reply class; never missing (see [`crate::codes::decide_class`]).
    pub class: Class,
    /// Matches `class`.
    pub permanence: Permanence,
    /// A short category from the knowledge base (`user_unknown`, `greylisted`, ..., `other`).
    pub reason: &'static str,
    /// The name of the remote server (outbound) or of the client (inbound).
    pub remote_host: &'a str,
    /// Its address: IPv4, IPv6, or a unix socket path such as `private/dovecot-lmtp`.
    pub remote_ip: &'a str,
    /// The envelope sender, where logged (`<>` is written as empty).
    pub sender: &'a str,
    /// The envelope recipient, where logged.
    pub recipient: &'a str,
    /// The address the message was received for, where the line names it apart from the one
    /// delivered to (Exim's address in angle brackets after a forward or an alias); empty
    /// otherwise. Not a column: messages are followed by it, since a try made before the
    /// address was redirected names only this one.
    pub original_recipient: &'a str,
    /// The reply text as logged, with multi-line continuation prefixes removed. Control
    /// characters are left as they are here; every renderer makes them safe for its format.
    pub text: Cow<'a, str>,
}

#[cfg(test)]
impl Event<'static> {
    /// A Postfix event for unit tests: its codes (reply code and enhanced code) and reason set,
    /// its class settled from them.
    pub(crate) fn with_codes(
        direction: Direction,
        action: Action,
        codes: Option<(u16, &str)>,
        reason: &'static str,
    ) -> Self {
        let mut e = Event::new(LogFormat::Postfix, direction, action);
        if let Some((reply, enhanced)) = codes {
            e.reply_code = Some(reply);
            e.enhanced_code = Some(enhanced.parse().expect("a valid enhanced code"));
        }
        e.reason = reason;
        e.settle_class();
        e
    }
}

impl<'a> Event<'a> {
    /// Starts an event with the fields every parser knows; the rest are empty until set.
    pub fn new(log_format: LogFormat, direction: Direction, action: Action) -> Self {
        Event {
            timestamp: None,
            log_format,
            host: "",
            program: "",
            pid: None,
            queue_id: "",
            direction,
            action,
            stage: None,
            reply_code: None,
            enhanced_code: None,
            dsn: None,
            class: action.implied_class(),
            permanence: action.implied_class().permanence(),
            reason: "other",
            remote_host: "",
            remote_ip: "",
            sender: "",
            recipient: "",
            original_recipient: "",
            text: Cow::Borrowed(""),
        }
    }

    /// Sets `class` and `permanence` from the codes and the action. Parsers call this once all
    /// codes are known.
    pub fn settle_class(&mut self) {
        self.class =
            crate::codes::decide_class(self.reply_code, self.enhanced_code, self.dsn, self.action);
        self.permanence = self.class.permanence();
    }

    /// The enhanced code that goes with the reply: the one in the reply text, else Postfix's
    /// `dsn=` when it is of the reply code's class. A `dsn=` of another class is Postfix's own
    /// verdict on the reply, not part of it: `4.0.0` for a server that greeted with `554`,
    /// which Postfix skips and retries, or any failure deferred under `soft_bounce`.
    pub fn status_code(&self) -> Option<EnhancedCode> {
        self.enhanced_code.or_else(|| {
            self.dsn.filter(|dsn| {
                self.reply_code
                    .is_none_or(|reply| reply / 100 == u16::from(dsn.class))
            })
        })
    }

    /// The address a message's recipient is followed by: the one it was received for, where
    /// the line names it apart.
    pub fn followed_recipient(&self) -> &'a str {
        if self.original_recipient.is_empty() {
            self.recipient
        } else {
            self.original_recipient
        }
    }

    /// The domain part of the recipient, lower-cased only when it needs to be.
    pub fn recipient_domain(&self) -> Cow<'a, str> {
        domain_of(self.recipient)
    }

    /// Whether this success only handed the message to a filter on this host (amavis, a
    /// second Postfix or Exim instance) that queued it again under a new id, which its reply
    /// names. The recipient's fate is that of the new queue entry, followed on its own;
    /// counted here too, every filtered message would be delivered twice.
    pub fn is_local_handoff(&self) -> bool {
        self.requeued_as().is_some()
    }

    /// What a content filter on this host said when it accepted the message only to drop it
    /// (amavis's `250 2.7.0 Ok, discarded, id=00000-00 - spam`): nobody receives it, and no
    /// bounce tells the sender. `None` for any other line.
    pub fn filter_discard(&self) -> Option<&str> {
        crate::needles! {
            DISCARDED = "Ok, discarded";
        }
        if !self.is_sent_to_local_filter() {
            return None;
        }
        let text = self.text.as_ref();
        DISCARDED.find(text).map(|at| &text[at..])
    }

    /// Whether the line tells of mail handed to a program on this host (a content filter,
    /// listening on the loopback address), whose reply speaks for that program, not for the
    /// message's destination.
    fn is_sent_to_local_filter(&self) -> bool {
        let loopback = self.remote_ip.starts_with("127.") || self.remote_ip == "::1";
        self.action == Action::Sent && loopback
    }

    /// The id a filter on this host queued the message under again, from its reply
    /// (`... Ok: queued as 4PbC4z6W5Qz3tG3`, `... OK id=1tE3xA-000Ab1-Qz`); `None` for any
    /// other line.
    pub fn requeued_as(&self) -> Option<&str> {
        crate::needles! {
            QUEUED_AS = "queued as ";
            OK_ID = "OK id=";
        }
        if !self.is_sent_to_local_filter() {
            return None;
        }
        let text = self.text.as_ref();
        let after = [&QUEUED_AS, &OK_ID]
            .into_iter()
            .find_map(|lead| lead.rfind(text).map(|at| &text[at + lead.len()..]))?;
        let id_len = after
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'-')
            .count();
        (id_len > 0).then(|| &after[..id_len])
    }
}

/// The domain of an address (`bob@Example.ORG` gives `example.org`); empty when there is none.
pub fn domain_of(address: &str) -> Cow<'_, str> {
    let domain = match memchr::memrchr(b'@', address.as_bytes()) {
        Some(at) => &address[at + 1..],
        None => return Cow::Borrowed(""),
    };
    if domain.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(domain.to_ascii_lowercase())
    } else {
        Cow::Borrowed(domain)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dsn_of_another_class_than_the_reply_does_not_stand_for_it() {
        let mut e = Event::new(LogFormat::Postfix, Direction::Outbound, Action::Deferred);
        e.reply_code = Some(554);
        e.dsn = Some("4.0.0".parse().unwrap());
        assert_eq!(e.status_code(), None);
        e.reply_code = Some(450);
        assert_eq!(e.status_code(), e.dsn);
        e.reply_code = None;
        assert_eq!(e.status_code(), e.dsn);
        // The code in the reply text always stands, whatever its class.
        e.reply_code = Some(554);
        e.enhanced_code = Some("4.7.1".parse().unwrap());
        assert_eq!(e.status_code(), e.enhanced_code);
    }

    #[test]
    fn only_a_local_success_that_queued_again_hands_off() {
        let handoff = |ip: &'static str, text: &'static str, action: Action| {
            let mut e = Event::new(LogFormat::Postfix, Direction::Outbound, action);
            e.remote_ip = ip;
            e.text = Cow::Borrowed(text);
            e.is_local_handoff()
        };
        let amavis = "from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 Ok: queued as 4PbC4z6W5Qz3tG3";
        assert!(handoff("127.0.0.1", amavis, Action::Sent));
        let mut e = Event::new(LogFormat::Postfix, Direction::Outbound, Action::Sent);
        e.remote_ip = "127.0.0.1";
        e.text = Cow::Borrowed(amavis);
        assert_eq!(e.requeued_as(), Some("4PbC4z6W5Qz3tG3"));
        e.text = Cow::Borrowed("250 OK id=1tE3xA-000Ab1-Qz");
        assert_eq!(e.requeued_as(), Some("1tE3xA-000Ab1-Qz"));
        assert!(handoff("::1", "Ok: queued as 3C4D5E6F70", Action::Sent));
        assert!(handoff("127.0.0.1", "OK id=1tE3xA-000Ab1-Qz", Action::Sent));
        // A remote server's queue, a local mailbox, a failure: not hand-offs.
        assert!(!handoff(
            "192.0.2.10",
            "Ok: queued as 3C4D5E6F70",
            Action::Sent
        ));
        assert!(!handoff(
            "127.0.0.1",
            "<bo@example.org> kPr3Ax5hZGkAAQ Saved",
            Action::Sent
        ));
        assert!(!handoff(
            "127.0.0.1",
            "queued as 3C4D5E6F70",
            Action::Deferred
        ));
    }

    #[test]
    fn only_a_local_filter_that_dropped_the_message_discarded_it() {
        let discard = |ip: &'static str, text: &'static str, action: Action| {
            let mut e = Event::new(LogFormat::Postfix, Direction::Outbound, action);
            e.remote_ip = ip;
            e.text = Cow::Borrowed(text);
            e.filter_discard().map(str::to_string)
        };
        let spam = "Ok, discarded, id=19653-19 - spam";
        assert_eq!(
            discard("127.0.0.1", spam, Action::Sent).as_deref(),
            Some(spam)
        );
        assert_eq!(discard("::1", spam, Action::Sent).as_deref(), Some(spam));
        // A remote server's words are its own; a deferral dropped nothing.
        assert_eq!(discard("192.0.2.1", spam, Action::Sent), None);
        assert_eq!(discard("127.0.0.1", spam, Action::Deferred), None);
        assert_eq!(
            discard("127.0.0.1", "Ok: queued as 4PbC4z6W5Qz3tG3", Action::Sent),
            None
        );
    }

    #[test]
    fn domain_is_lower_cased_and_empty_without_at() {
        assert_eq!(domain_of("bob@Example.ORG"), "example.org");
        assert_eq!(domain_of("\"a@b\"@c.example"), "c.example");
        assert_eq!(domain_of("postmaster"), "");
    }
}
