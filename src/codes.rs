//! The shared vocabulary of SMTP outcomes: reply codes, enhanced status codes, classes,
//! permanence, direction and action.
//!
//! These are plain value types used by the parsers, the knowledge base, the aggregation and the
//! renderers alike. Nothing here reads logs or knows any advice text.

use std::fmt;
use std::str::FromStr;

/// An RFC 3463 enhanced status code such as `5.7.1` or a provider extension such as `5.7.606`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EnhancedCode {
    /// 2, 4 or 5.
    pub class: u8,
    /// 0 to 999 (RFC 3463 allows up to three digits).
    pub subject: u16,
    /// 0 to 999.
    pub detail: u16,
}

impl EnhancedCode {
    /// Builds a code, refusing a class other than 2, 4 or 5 and parts over three digits.
    pub fn new(class: u8, subject: u16, detail: u16) -> Option<Self> {
        if !matches!(class, 2 | 4 | 5) || subject > 999 || detail > 999 {
            return None;
        }
        Some(EnhancedCode {
            class,
            subject,
            detail,
        })
    }

    /// Parses a code at the very start of `text` (`5.1.1`, `4.7.28`), returning it and the number
    /// of bytes it took. The code must end at a word boundary so that `5.1.10.3` or an IP
    /// address such as `5.1.1.1` is not taken for a code.
    pub fn parse_prefix(text: &[u8]) -> Option<(Self, usize)> {
        let (class, mut pos) = parse_digits(text, 0, 1)?;
        if text.get(pos) != Some(&b'.') {
            return None;
        }
        pos += 1;
        let (subject, next) = parse_digits(text, pos, 3)?;
        pos = next;
        if text.get(pos) != Some(&b'.') {
            return None;
        }
        pos += 1;
        let (detail, next) = parse_digits(text, pos, 3)?;
        pos = next;
        match text.get(pos) {
            Some(b) if b.is_ascii_alphanumeric() || *b == b'.' && next_is_digit(text, pos + 1) => {
                return None;
            }
            _ => {}
        }
        let code = EnhancedCode::new(u8::try_from(class).ok()?, subject, detail)?;
        Some((code, pos))
    }

    /// The class this code belongs to.
    pub fn class(self) -> Class {
        Class::from_digit(self.class).unwrap_or(Class::Permanent)
    }
}

fn next_is_digit(text: &[u8], pos: usize) -> bool {
    text.get(pos).is_some_and(u8::is_ascii_digit)
}

/// Reads between one and `max` ASCII digits starting at `pos`.
fn parse_digits(text: &[u8], pos: usize, max: usize) -> Option<(u16, usize)> {
    let mut value: u16 = 0;
    let mut end = pos;
    while end < text.len() && text[end].is_ascii_digit() {
        if end - pos == max {
            return None;
        }
        value = value * 10 + u16::from(text[end] - b'0');
        end += 1;
    }
    (end > pos).then_some((value, end))
}

impl fmt::Display for EnhancedCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.class, self.subject, self.detail)
    }
}

impl FromStr for EnhancedCode {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match EnhancedCode::parse_prefix(s.as_bytes()) {
            Some((code, len)) if len == s.len() => Ok(code),
            _ => Err(format!(
                "'{s}' is not an enhanced status code (expected class.subject.detail such as 5.7.1)"
            )),
        }
    }
}

/// Reads a three-digit SMTP reply code (`200`..`599`) at the start of `text`, followed by a space,
/// a hyphen, a tab or the end of the text.
pub fn parse_reply_code_prefix(text: &[u8]) -> Option<u16> {
    if text.len() < 3 {
        return None;
    }
    let (d0, d1, d2) = (text[0], text[1], text[2]);
    if !(b'2'..=b'5').contains(&d0) || !d1.is_ascii_digit() || !d2.is_ascii_digit() {
        return None;
    }
    match text.get(3) {
        None | Some(b' ' | b'-' | b'\t') => {}
        _ => return None,
    }
    Some(u16::from(d0 - b'0') * 100 + u16::from(d1 - b'0') * 10 + u16::from(d2 - b'0'))
}

/// The reply class named by the first digit of a code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Class {
    /// 2xx: positive completion.
    Success,
    /// 3xx: positive intermediate.
    Intermediate,
    /// 4xx: transient negative completion.
    Transient,
    /// 5xx: permanent negative completion.
    Permanent,
}

impl Class {
    /// All classes in report order.
    pub const ALL: [Class; 4] = [
        Class::Success,
        Class::Intermediate,
        Class::Transient,
        Class::Permanent,
    ];

    /// The class of a reply code or enhanced class digit.
    pub fn from_digit(digit: u8) -> Option<Class> {
        match digit {
            2 => Some(Class::Success),
            3 => Some(Class::Intermediate),
            4 => Some(Class::Transient),
            5 => Some(Class::Permanent),
            _ => None,
        }
    }

    /// The class of a three-digit reply code.
    pub fn from_reply_code(code: u16) -> Option<Class> {
        Class::from_digit(u8::try_from(code / 100).ok()?)
    }

    /// `2xx`, `3xx`, `4xx` or `5xx`.
    pub fn label(self) -> &'static str {
        match self {
            Class::Success => "2xx",
            Class::Intermediate => "3xx",
            Class::Transient => "4xx",
            Class::Permanent => "5xx",
        }
    }

    /// The permanence that matches this class.
    pub fn permanence(self) -> Permanence {
        match self {
            Class::Success => Permanence::Success,
            Class::Intermediate => Permanence::Intermediate,
            Class::Transient => Permanence::Transient,
            Class::Permanent => Permanence::Permanent,
        }
    }

    /// The RFC 5321 name of the class.
    pub fn rfc_name(self) -> &'static str {
        match self {
            Class::Success => "positive completion",
            Class::Intermediate => "positive intermediate",
            Class::Transient => "transient negative completion",
            Class::Permanent => "permanent negative completion",
        }
    }
}

impl fmt::Display for Class {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Whether an outcome is final, and in which way.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Permanence {
    /// The action was completed.
    Success,
    /// The server waits for more input (3xx).
    Intermediate,
    /// The failure may go away on a later attempt.
    Transient,
    /// Repeating the same attempt will fail again.
    Permanent,
}

impl Permanence {
    /// All values in report order.
    pub const ALL: [Permanence; 4] = [
        Permanence::Success,
        Permanence::Intermediate,
        Permanence::Transient,
        Permanence::Permanent,
    ];

    /// The lower-case name used in every output.
    pub fn label(self) -> &'static str {
        match self {
            Permanence::Success => "success",
            Permanence::Intermediate => "intermediate",
            Permanence::Transient => "transient",
            Permanence::Permanent => "permanent",
        }
    }
}

impl fmt::Display for Permanence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Who answered whom.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Direction {
    /// Our server delivering to another server; the reply came from the remote side.
    Outbound,
    /// Our server answering a client; the reply is ours.
    Inbound,
}

impl Direction {
    /// `outbound` or `inbound`.
    pub fn label(self) -> &'static str {
        match self {
            Direction::Outbound => "outbound",
            Direction::Inbound => "inbound",
        }
    }
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// What happened, in one vocabulary for every MTA.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    /// Delivered to the next hop or the mailbox (Postfix `status=sent`, Exim `=>`/`->`).
    Sent,
    /// Delivery failed for now and will be retried (Postfix `status=deferred`, Exim `==`).
    Deferred,
    /// Delivery failed for good and the sender is told (Postfix `status=bounced`, Exim `**`).
    Bounced,
    /// Retries ran out (Postfix `status=expired`, Exim retry timeout `**`).
    Expired,
    /// Our server refused a client's command or message.
    Rejected,
    /// Our server would have refused, but only logged it (Postfix `reject_warning`).
    RejectWarning,
    /// A remote server refused the connection or greeting, logged once per host tried.
    Refused,
}

impl Action {
    /// Every action, in report order.
    pub const ALL: [Action; 7] = [
        Action::Sent,
        Action::Deferred,
        Action::Bounced,
        Action::Expired,
        Action::Rejected,
        Action::RejectWarning,
        Action::Refused,
    ];

    /// Whether the action is our server's attempt to deliver a message to one recipient.
    pub fn is_delivery_attempt(self) -> bool {
        matches!(
            self,
            Action::Sent | Action::Deferred | Action::Bounced | Action::Expired
        )
    }

    /// The lower-case name used in every output.
    pub fn label(self) -> &'static str {
        match self {
            Action::Sent => "sent",
            Action::Deferred => "deferred",
            Action::Bounced => "bounced",
            Action::Expired => "expired",
            Action::Rejected => "rejected",
            Action::RejectWarning => "reject_warning",
            Action::Refused => "refused",
        }
    }

    /// The class an action implies when the line carries no code at all.
    pub fn implied_class(self) -> Class {
        match self {
            Action::Sent => Class::Success,
            Action::Deferred | Action::Refused => Class::Transient,
            Action::Bounced | Action::Expired | Action::Rejected | Action::RejectWarning => {
                Class::Permanent
            }
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The codes of a reply as a heading shows them: `550 5.1.1`, `421`, `5.7.1`, or `no code`.
pub fn codes_text(reply: Option<u16>, enhanced: Option<EnhancedCode>) -> String {
    match (reply, enhanced) {
        (Some(reply), Some(enhanced)) => format!("{reply} {enhanced}"),
        (Some(reply), None) => reply.to_string(),
        (None, Some(enhanced)) => enhanced.to_string(),
        (None, None) => "no code".to_string(),
    }
}

/// Decides the class of an outcome: the reply code first, then the enhanced code, then the
/// `dsn=` field, then what the action implies.
pub fn decide_class(
    reply_code: Option<u16>,
    enhanced: Option<EnhancedCode>,
    dsn: Option<EnhancedCode>,
    action: Action,
) -> Class {
    reply_code
        .and_then(Class::from_reply_code)
        .or_else(|| enhanced.map(EnhancedCode::class))
        .or_else(|| dsn.map(EnhancedCode::class))
        .unwrap_or_else(|| action.implied_class())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enhanced_code_prefix_stops_at_word_boundary() {
        let (code, len) = EnhancedCode::parse_prefix(b"5.7.606 Access denied").unwrap();
        assert_eq!(code.to_string(), "5.7.606");
        assert_eq!(len, 7);
        assert!(EnhancedCode::parse_prefix(b"5.1.1.1 is an address").is_none());
        assert!(EnhancedCode::parse_prefix(b"3.1.1 ").is_none());
        assert!(EnhancedCode::parse_prefix(b"4.7.1234").is_none());
        assert_eq!(
            EnhancedCode::parse_prefix(b"4.2.0.").map(|(c, _)| c.to_string()),
            Some("4.2.0".to_string())
        );
        assert!(EnhancedCode::parse_prefix(b"5.1.1x").is_none());
    }

    #[test]
    fn reply_code_prefix_needs_a_separator() {
        assert_eq!(parse_reply_code_prefix(b"550-5.1.1 x"), Some(550));
        assert_eq!(parse_reply_code_prefix(b"421 "), Some(421));
        assert_eq!(parse_reply_code_prefix(b"250"), Some(250));
        assert_eq!(parse_reply_code_prefix(b"5501"), None);
        assert_eq!(parse_reply_code_prefix(b"650 x"), None);
        assert_eq!(parse_reply_code_prefix(b"55"), None);
    }

    #[test]
    fn class_falls_back_from_reply_to_enhanced_to_dsn_to_action() {
        let e = |s: &str| s.parse::<EnhancedCode>().ok();
        assert_eq!(
            decide_class(Some(450), e("5.7.1"), None, Action::Deferred),
            Class::Transient
        );
        assert_eq!(
            decide_class(None, e("5.7.1"), e("4.0.0"), Action::Rejected),
            Class::Permanent
        );
        assert_eq!(
            decide_class(None, None, e("4.4.1"), Action::Deferred),
            Class::Transient
        );
        assert_eq!(
            decide_class(None, None, None, Action::Expired),
            Class::Permanent
        );
        assert_eq!(decide_class(None, None, None, Action::Sent), Class::Success);
    }
}
