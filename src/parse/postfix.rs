//! Postfix lines after their syslog header: delivery status lines (`status=sent|deferred|
//! bounced|expired`), standalone per-host refusals, smtpd and postscreen rejects, and cleanup
//! header, body and milter rejects.
//!
//! Everything else Postfix writes (connections, queue bookkeeping, TLS, warnings) is a line
//! without an outcome, unless it looks as if it carries a reply that no rule here read, in which
//! case it is reported as unmatched so that a gap in this parser never hides an outcome.

use std::borrow::Cow;

use super::diagnostic::Severity;
use super::diverted::{CONTENT_CHECKS, Diversion};
use super::needle::{
    HIGHS, Needle, classify_word, every_word, find_byte, find_byte_early, split_comma_space,
};
use super::postscreen::{self, Reading, Screening};
use super::reply::{
    HostAddr, Reply, read_host_addr, read_reply, split_in_reply_to, stage_of_command,
    stage_of_while,
};
use super::restart::Restart;
use super::syslog::SyslogLine;
use super::{Lifecycle, Parsed, TieredLine};
use crate::codes::{Action, Class, Direction, EnhancedCode};
use crate::event::{Event, LogFormat};
use crate::time::YearRule;

crate::needles! {
    STATUS = "status=";
    COMMA_STATUS = ", status=";
    FROM_ENVELOPE = "; from=<";
    TO_ENVELOPE = "; to=<";
    PROTO_ENVELOPE = "; proto=";
    SPACE_FROM = " from ";
    FROM_KEY = "from=<";
    NOTIFICATION = " notification: ";
    TO_KEY = "to=<";
    LIMIT_EXCEEDED = " limit exceeded: ";
}

/// Which of the phrases that mark a possible outcome a message holds: `status=`, and a `: `
/// after `said`, `reject` or `refused to talk to me`. Most lines hold none and need nothing
/// more.
#[derive(Clone, Copy, Debug, Default)]
struct Marks {
    status: bool,
    said: bool,
    refused: bool,
    reject: bool,
}

impl Marks {
    /// The marks of `body`, given whether it holds `status=`.
    fn of(body: &str, status: bool) -> Marks {
        let mut marks = Marks {
            status,
            ..Marks::default()
        };
        let bytes = body.as_bytes();
        for colon in memchr::memchr_iter(b':', bytes) {
            if bytes.get(colon + 1) != Some(&b' ') {
                continue;
            }
            let before = &bytes[..colon];
            marks.said |= before.ends_with(b" said");
            marks.reject |= before.ends_with(b"reject");
            marks.refused |= before.ends_with(b" refused to talk to me");
        }
        marks
    }

    fn any(self) -> bool {
        self.status || self.said || self.refused || self.reject
    }
}

/// Parses the message of a line whose tag names Postfix.
pub fn parse<'a>(header: &SyslogLine<'a>, years: &YearRule) -> Parsed<'a> {
    let (queue_id, body) = split_queue_id(header.message);
    match first_words(body) {
        FirstWords::MayCarryOutcome => {}
        FirstWords::Quiet => return Parsed::NoOutcome,
        FirstWords::Diagnostic => return diagnostic(header, years, body),
        FirstWords::Warning => return warning(header, years, queue_id, body),
        FirstWords::Screening => match postscreen::read(header.tag, body) {
            Reading::Found(finding) => {
                return Parsed::Screened(Screening {
                    timestamp: years.complete(header.time),
                    finding,
                });
            }
            Reading::Other => return Parsed::NoOutcome,
            // The same words from another program are read as any other line.
            Reading::NotScreening => {}
        },
        FirstWords::Removed if is_queue_id(queue_id) => {
            return lifecycle(header, years, Lifecycle::ended(queue_id));
        }
        FirstWords::Notification => match notification_of(body) {
            Some(child) if is_queue_id(queue_id) => {
                return lifecycle(header, years, Lifecycle::made(queue_id, queue_id, child));
            }
            _ => return Parsed::NoOutcome,
        },
        FirstWords::Removed => return Parsed::NoOutcome,
        FirstWords::Restart(event) => return restart(header, years, event, body),
    }
    // An action word (`reject:`, `hold:`, ...) is known by the first word alone, and must be
    // known before the search for `status=`, which a sender's header text may hold. Delivery
    // status lines are the most common outcome and are known by one search; the other marks
    // are looked for only when that fails, and at most once.
    let mut status_at = None;
    let mut marks = None;
    let event = if let Some((action, rest)) = reject_action(body) {
        match action {
            Some(action) => reject(action, rest),
            None => return diverted(header, years, body, rest),
        }
    } else if let Some(at) = STATUS.find(body) {
        status_at = Some(at);
        delivery_status(body, at)
    } else {
        let found = Marks::of(body, false);
        marks = Some(found);
        per_host_failure(body, found)
    };
    match event {
        Some(Some(event)) => outcome(event, header, years, queue_id),
        Some(None) => Parsed::NoOutcome,
        None if looks_like_outcome(
            body,
            marks.unwrap_or_else(|| Marks::of(body, status_at.is_some())),
        ) =>
        {
            Parsed::Unmatched
        }
        None => Parsed::NoOutcome,
    }
}

/// An event with what its line's header and queue id tell.
fn outcome<'a>(
    mut event: Event<'a>,
    header: &SyslogLine<'a>,
    years: &YearRule,
    queue_id: &'a str,
) -> Parsed<'a> {
    event.timestamp = years.complete(header.time);
    event.host = header.host;
    event.program = header.tag;
    event.pid = header.pid();
    event.queue_id = queue_id;
    Parsed::Event(event)
}

/// A line of an action that carries no reply: `hold`, `discard` and `redirect` set the message
/// aside; the others (`filter`, `prepend`, ...) only annotate it.
fn diverted<'a>(
    header: &SyslogLine<'a>,
    years: &YearRule,
    body: &'a str,
    rest: &'a str,
) -> Parsed<'a> {
    let word = body.split_once(':').map_or("", |(word, _)| word);
    match Diversion::of_action(word) {
        Some(action) => Parsed::Diverted(rule_line(header, years, action, rest)),
        None => Parsed::NoOutcome,
    }
}

/// What a rule matched, without the envelope that names one message, and the text the rule's
/// author gave it, which follows the envelope (`...; from=<a> to=<b> proto=ESMTP helo=<c>:
/// quarantined for review`).
fn rule_line<'a, T>(
    header: &SyslogLine<'a>,
    years: &YearRule,
    tier: T,
    rest: &'a str,
) -> TieredLine<'a, T> {
    // An action at CONNECT or HELO has no sender, and one at the end of the message no `to=`.
    let envelope_at = FROM_ENVELOPE
        .rfind(rest)
        .or_else(|| TO_ENVELOPE.rfind(rest))
        .or_else(|| PROTO_ENVELOPE.rfind(rest));
    let Some(envelope_at) = envelope_at else {
        return tiered(header, years, tier, rest, "");
    };
    // The note follows the envelope's last field (`helo=<...>`, or `to=<...>` for mail without
    // one), and the HELO name is the client's choice: the last `>: ` is the one Postfix wrote.
    let envelope = &rest[envelope_at..];
    let note = envelope.rfind(">: ").map_or("", |at| &envelope[at + 3..]);
    tiered(header, years, tier, &rest[..envelope_at], note)
}

/// A `warning:` line: the few that stand for a refusal are outcomes (a server greeting the SMTP
/// client with our own name, smtpd's failed logins and anvil limits), the rest the MTA's own
/// warnings. They are sorted before any search for `status=`, which a header check's warning
/// may quote.
fn warning<'a>(
    header: &SyslogLine<'a>,
    years: &YearRule,
    queue_id: &'a str,
    body: &'a str,
) -> Parsed<'a> {
    let Some(rest) = body.strip_prefix("warning: ") else {
        return Parsed::NoOutcome;
    };
    // cleanup writes a WARN action of header_checks or body_checks as a warning: a rule's
    // doing, not a problem of the MTA's.
    if CONTENT_CHECKS.iter().any(|check| rest.starts_with(check)) {
        return Parsed::Diverted(rule_line(header, years, Diversion::Warn, rest));
    }
    let refusal = if greeting_loop(rest).is_some() {
        per_host_failure(rest, Marks::default()).flatten()
    } else {
        smtpd_refusal(rest)
    };
    match refusal {
        Some(event) => outcome(event, header, years, queue_id),
        None => diagnostic(header, years, body),
    }
}

/// A `warning:`, `error:`, `fatal:` or `panic:` line; any other line is one without an outcome.
fn diagnostic<'a>(header: &SyslogLine<'a>, years: &YearRule, body: &'a str) -> Parsed<'a> {
    let Some((word, said)) = body.split_once(' ') else {
        return Parsed::NoOutcome;
    };
    let Some(severity) = Severity::of_word(word) else {
        return Parsed::NoOutcome;
    };
    // cleanup and qmgr name the message a warning is about after the severity word; the id
    // differs on every line and says nothing about the problem.
    let (_, message) = split_queue_id(said);
    Parsed::Diagnosed(tiered(header, years, severity, message, ""))
}

/// A line of `tier` with what its header tells.
fn tiered<'a, T>(
    header: &SyslogLine<'a>,
    years: &YearRule,
    tier: T,
    message: &'a str,
    note: &'a str,
) -> TieredLine<'a, T> {
    TieredLine {
        timestamp: years.complete(header.time),
        tier,
        program: header.tag,
        message,
        note,
    }
}

/// A start, reload or stop, from master only (no other daemon writes these words of itself;
/// a log whose tags were cut to `postfix` by the syslog template is taken at its word). The
/// kind keeps the version, so an upgrade shows; the configuration directory is left out.
fn restart<'a>(
    header: &SyslogLine<'a>,
    years: &YearRule,
    event: Restart,
    body: &'a str,
) -> Parsed<'a> {
    let is_master = header.tag.ends_with("/master")
        || (header.tag.starts_with("postfix") && !header.tag.contains('/'));
    if !is_master {
        return Parsed::NoOutcome;
    }
    let line = match body.split_once(" -- version ") {
        Some((what, version)) => {
            let version = version
                .split_once(',')
                .map_or(version, |(version, _)| version);
            tiered(header, years, event, what, version)
        }
        None => tiered(header, years, event, body, ""),
    };
    Parsed::Restarted(line)
}

fn lifecycle<'a>(header: &SyslogLine<'a>, years: &YearRule, mut line: Lifecycle<'a>) -> Parsed<'a> {
    line.timestamp = years.complete(header.time);
    line.host = header.host;
    Parsed::Lifecycle(line)
}

/// The queue id a Postfix message names (empty for none and for `NOQUEUE`), and the rest.
pub fn queue_id_of(message: &str) -> (&str, &str) {
    match split_queue_id(message) {
        ("NOQUEUE", body) => ("", body),
        parts => parts,
    }
}

/// Whether the rest of a message after its queue id says qmgr let the message go: the queue
/// id may be given to another message from then on.
pub fn is_removal(body: &str) -> bool {
    body == "removed"
}

/// The queue id of the notification a bounce line announces, from the rest of the message
/// after its queue id: `sender non-delivery notification: 3C4D5E6F70` (and the delay and
/// success notices written the same way).
pub fn notification_of(body: &str) -> Option<&str> {
    let at = NOTIFICATION.find(body)?;
    let id = body[at + NOTIFICATION.len()..].trim();
    is_queue_id(id).then_some(id)
}

/// Splits `2B3C4D5E6F: rest` or `NOQUEUE: rest`; lines without a queue id give an empty one.
fn split_queue_id(message: &str) -> (&str, &str) {
    let Some(colon) = first_word_colon(message) else {
        return ("", message);
    };
    let candidate = &message[..colon];
    if candidate == "NOQUEUE" || is_queue_id(candidate) {
        (candidate, &message[colon + 2..])
    } else {
        ("", message)
    }
}

/// Where the first word ends in `:` followed by a space (`2B3C4D5E6F: `, `reject: `), the
/// offset of that colon.
fn first_word_colon(message: &str) -> Option<usize> {
    let space = find_byte_early(b' ', message)?;
    let colon = space.checked_sub(1)?;
    (message.as_bytes()[colon] == b':').then_some(colon)
}

/// Short ids are upper-case hex; long ids (`enable_long_queue_ids`) are mixed-case letters and
/// digits. Requiring a digit keeps words such as `warning` or `statistics` out.
pub fn is_queue_id(text: &str) -> bool {
    let bytes = text.as_bytes();
    if !(5..=20).contains(&bytes.len()) {
        return false;
    }
    if bytes.len() < 8 {
        return bytes.iter().all(u8::is_ascii_alphanumeric) && bytes.iter().any(u8::is_ascii_digit);
    }
    // Eight bytes at a time: the id is checked on most Postfix lines.
    let mut digits = 0;
    let all_alphanumeric = every_word(bytes, |_, word| {
        let (alphanumeric, word_digits) = classify_word(word);
        digits |= word_digits;
        alphanumeric == HIGHS
    });
    all_alphanumeric && digits != 0
}

/// What the first words of a message tell before any search runs over it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FirstWords {
    /// Nothing yet: the message is read further.
    MayCarryOutcome,
    /// A shape that never carries an SMTP reply: connections, queue bookkeeping, TLS set-up.
    Quiet,
    /// The first word of one of postscreen's verdicts, when postscreen wrote it.
    Screening,
    /// qmgr's `removed`: the message's life is over.
    Removed,
    /// bounce's `sender non-delivery notification: ID` (and the delay and success notices).
    Notification,
    /// `fatal:`, `panic:` or `error:`: the MTA reporting a problem of its own.
    Diagnostic,
    /// `warning:`: a problem of the MTA's own, or one of the few refusals written as warnings.
    Warning,
    /// master's `daemon started -- version ...`, `reload -- version ...` or `terminating on
    /// signal N`.
    Restart(Restart),
}

/// Sorts a message by its first words, so that the most common lines of a log are done with
/// before any search runs over them.
fn first_words(body: &str) -> FirstWords {
    let word_end = find_byte_early(b' ', body).unwrap_or(body.len());
    let rest = &body[word_end..];
    let quiet = match &body[..word_end] {
        "connect" | "disconnect" => rest.starts_with(" from "),
        "lost" => rest.starts_with(" connection after "),
        "timeout" => rest.starts_with(" after "),
        "removed" if rest.is_empty() => return FirstWords::Removed,
        "Anonymous" | "Trusted" | "Untrusted" | "Verified" => {
            rest.starts_with(" TLS connection established ")
        }
        "DISCONNECT" => true,
        "fatal:" | "panic:" | "error:" => return FirstWords::Diagnostic,
        "warning:" => return FirstWords::Warning,
        "daemon" if rest.starts_with(" started -- version ") => {
            return FirstWords::Restart(Restart::Start);
        }
        "reload" if rest.starts_with(" -- version ") => {
            return FirstWords::Restart(Restart::Reload);
        }
        "terminating" if rest.starts_with(" on signal ") => {
            return FirstWords::Restart(Restart::Stop);
        }
        "CONNECT" | "PASS" | "WHITELISTED" | "ALLOWLISTED" | "WHITELIST" | "ALLOWLIST"
        | "BLACKLISTED" | "DENYLISTED" | "DNSBL" | "PREGREET" | "HANGUP" | "COMMAND"
        | "NON-SMTP" | "BARE" | "addr" => return FirstWords::Screening,
        "sender" if NOTIFICATION.is_in(rest) => return FirstWords::Notification,
        // qmgr's `from=<...>, size=..., nrcpt=... (queue active)`; its expiry line ends
        // otherwise.
        word if word.starts_with("from=<") => body.ends_with(" (queue active)"),
        word => {
            word.starts_with("client=")
                || word.starts_with("message-id=")
                || word.starts_with("uid=")
        }
    };
    if quiet {
        FirstWords::Quiet
    } else {
        FirstWords::MayCarryOutcome
    }
}

/// `Some(Some(event))` for an outcome, `Some(None)` for a line of a known shape that carries
/// none, `None` for a line this rule could not read.
type RuleResult<'a> = Option<Option<Event<'a>>>;

/// `to=<bob@example.org>, relay=..., dsn=4.2.0, status=deferred (...)` from smtp, lmtp,
/// local, virtual, pipe and error, and qmgr's `from=<...>, status=expired, returned to sender`.
fn delivery_status(body: &str, first_status: usize) -> RuleResult<'_> {
    // The field is the first `status=` that starts the message or follows `, `.
    let status_at = if first_status == 0 || body[..first_status].ends_with(", ") {
        first_status
    } else {
        COMMA_STATUS.find(body)? + 2
    };
    let fields = &body[..status_at];
    let after = &body[status_at + "status=".len()..];
    let word_len = after
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'))
        .count();
    let action = match &after[..word_len] {
        "sent" => Action::Sent,
        "deferred" | "SOFTBOUNCE" => Action::Deferred,
        "bounced" => Action::Bounced,
        // `postsuper -e` (Postfix 3.5 on) expires a message by hand: `status=force-expired`.
        "expired" | "force-expired" => Action::Expired,
        // Address verification probes: answers to our own questions, not deliveries
        // (`undeliverable-but-not-cached` when negative answers are not kept).
        word if word.starts_with("deliverable") || word.starts_with("undeliverable") => {
            return Some(None);
        }
        _ => return None,
    };
    // Trailing blanks are no part of the text; pasted or forwarded logs may have them.
    let detail = after[word_len..].trim_start_matches([',', ' ']).trim_end();
    let detail = match detail.strip_prefix('(') {
        Some(inner) => inner.strip_suffix(')').unwrap_or(inner),
        None => detail,
    };

    let mut event = Event::new(LogFormat::Postfix, Direction::Outbound, action);
    // The recipient comes first and ends at its bracket: a quoted local part may hold the
    // `, ` that separates the other fields (`to=<"doe, jane"@example.com>`).
    let mut fields = fields;
    if let Some(address) = fields.strip_prefix("to=<")
        && let Some(end) = find_byte(b'>', address)
    {
        // `to=<<a@b>>` when the client sent the brackets twice.
        event.recipient = address[..end].trim_start_matches('<');
        fields = address[end..].trim_start_matches('>');
    }
    for field in split_comma_space(fields) {
        let Some((key, value)) = find_byte(b'=', field).map(|at| (&field[..at], &field[at + 1..]))
        else {
            continue;
        };
        match key {
            "to" => event.recipient = unbracket(value),
            "from" => event.sender = unbracket(value),
            "relay" => match read_host_addr(value) {
                Some(HostAddr { name, addr, .. }) => {
                    event.remote_host = name;
                    event.remote_ip = addr;
                }
                None if value == "none" => {}
                None => event.remote_host = value,
            },
            "dsn" => event.dsn = value.parse::<EnhancedCode>().ok(),
            _ => {}
        }
    }
    read_detail(&mut event, detail);
    if action == Action::Sent && event.reply_code.is_some() && event.stage.is_none() {
        // `(250 2.0.0 Ok: queued as ...)` is the answer to the end of the message.
        event.stage = Some("END-OF-DATA");
    }
    event.settle_class();
    Some(Some(event))
}

/// The sentences in which Postfix's SMTP and LMTP client quotes a server's reply: the words
/// before the server's name, the words between the name and the reply, and the step answered
/// when no `(in reply to ... command)` follows. The TLS and SASL ones are written when the
/// session fails before any mail command, so without them those replies would lose their codes.
const QUOTED_REPLIES: [(&str, &str, Option<&str>); 4] = [
    ("host ", " said: ", None),
    ("host ", " refused to talk to me: ", Some("CONNECT")),
    (
        "TLS is required, but host ",
        " refused to start TLS: ",
        Some("STARTTLS"),
    ),
    (
        "SASL authentication failed; server ",
        " said: ",
        Some("AUTH"),
    ),
];

/// Reads the explanation Postfix puts in parentheses after `status=`, or after a queue id on a
/// per-host line: `host X[ip] said: ...`, `host X[ip] refused to talk to me: ...`,
/// `TLS is required, but host X[ip] refused to start TLS: ...`, `SASL authentication failed;
/// server X[ip] said: ...`, `host X[ip] greeted me with my own hostname NAME`, TLS failures
/// without a reply (`Cannot start TLS: handshake failure`), `connect to X[ip]:25: ...`, `lost connection with X[ip] while ...`, a bare reply such as `250 2.0.0 Ok`, or local text such as `delivered to mailbox`.
fn read_detail<'a>(event: &mut Event<'a>, detail: &'a str) {
    let inner = detail
        .strip_prefix("delivery temporarily suspended: ")
        .unwrap_or(detail);
    // Postfix 2.x put its own words before the SASL sentence.
    let inner = inner
        .strip_prefix("Authentication failed: ")
        .unwrap_or(inner);
    for (lead, between, stage) in QUOTED_REPLIES {
        let Some(after_lead) = inner.strip_prefix(lead) else {
            continue;
        };
        let Some(host) = read_host_addr(after_lead) else {
            continue;
        };
        if let Some(reply) = after_lead[host.len..].strip_prefix(between) {
            set_remote(event, host);
            let (reply, in_reply_to) = split_in_reply_to(reply);
            event.stage = in_reply_to.or(stage);
            set_reply(event, reply);
            return;
        }
    }
    if inner
        .as_bytes()
        .first()
        .is_some_and(|b| (b'2'..=b'5').contains(b))
    {
        let (reply, stage) = split_in_reply_to(inner);
        let parsed = read_reply(reply);
        if parsed.code.is_some() {
            event.stage = stage;
            take_reply(event, parsed);
            return;
        }
    }
    if let Some(host) = tls_refusal(inner) {
        // Whether STARTTLS was missing from the server's EHLO reply or the handshake or its
        // certificate failed, the session stopped at the TLS step; the relay field still names
        // the server when the text does not.
        if !host.name.is_empty() || !host.addr.is_empty() {
            set_remote(event, host);
        }
        event.stage = Some("STARTTLS");
        event.text = Cow::Borrowed(detail);
        return;
    }
    if let Some(host) = greeting_loop(inner) {
        // The banner is the first thing a server sends, so the loop shows at the connection.
        set_remote(event, host);
        event.stage = Some("CONNECT");
        event.text = Cow::Borrowed(detail);
        return;
    }
    for lead in ["connect to ", "lost connection with ", "conversation with "] {
        if let Some(after) = inner.strip_prefix(lead)
            && let Some(host) = read_host_addr(after)
        {
            set_remote(event, host);
            event.stage = if lead == "connect to " {
                Some("CONNECT")
            } else {
                stage_of_while(inner)
            };
            break;
        }
    }
    event.text = Cow::Borrowed(detail);
}

fn set_remote<'a>(event: &mut Event<'a>, host: HostAddr<'a>) {
    event.remote_host = host.name;
    event.remote_ip = host.addr;
}

fn set_reply<'a>(event: &mut Event<'a>, reply: &'a str) {
    take_reply(event, read_reply(reply));
}

fn take_reply<'a>(event: &mut Event<'a>, reply: Reply<'a>) {
    event.reply_code = reply.code;
    event.enhanced_code = reply.enhanced;
    event.text = reply.text;
}

/// The failures Postfix writes when the TLS handshake, or the check of the certificate it
/// brought, fails: no server reply is quoted, yet the step is known.
const TLS_FAILURES: [&str; 3] = [
    "Cannot start TLS",
    "Server certificate not trusted",
    "Server certificate not verified",
];

/// The server named by `TLS is required, but was not offered by host X[ip]`, or an empty host
/// for the other TLS failures (`Cannot start TLS: handshake failure`, `Server certificate not
/// verified`), which name none; `None` for any other text.
fn tls_refusal(text: &str) -> Option<HostAddr<'_>> {
    const EMPTY: HostAddr<'static> = HostAddr {
        name: "",
        addr: "",
        len: 0,
    };
    if let Some(after) = text.strip_prefix("TLS is required, but was not offered by host ") {
        return Some(read_host_addr(after).unwrap_or(EMPTY));
    }
    TLS_FAILURES
        .iter()
        .any(|lead| text.starts_with(lead))
        .then_some(EMPTY)
}

/// The server of `host X[ip] greeted me with my own hostname NAME`: a mail loop, found when the
/// server's banner names this very host.
fn greeting_loop(text: &str) -> Option<HostAddr<'_>> {
    let after_lead = text.strip_prefix("host ")?;
    let host = read_host_addr(after_lead)?;
    after_lead[host.len..]
        .starts_with(" greeted me with my own hostname ")
        .then_some(host)
}

/// Recognises the action that starts a reject line. `Some(None)` for actions that only hold,
/// discard, filter or annotate a message: they carry no SMTP reply.
fn reject_action(body: &str) -> Option<(Option<Action>, &str)> {
    let colon = first_word_colon(body)?;
    let action = match &body[..colon] {
        "reject" | "milter-reject" | "proxy-reject" => Some(Action::Rejected),
        "reject_warning" => Some(Action::RejectWarning),
        "hold" | "discard" | "filter" | "redirect" | "warn" | "info" | "prepend" | "replace"
        | "milter-hold" | "milter-discard" | "bcc" | "strip" | "proxy-accept" => None,
        _ => return None,
    };
    Some((action, &body[colon + 2..]))
}

/// smtpd and postscreen rejects (`RCPT from client[ip]: 554 5.7.1 ...; from=<...> to=<...>`),
/// and cleanup content rejects (`header Subject: ... from client[ip]; from=<...> ...: 5.7.1 ...`).
fn reject(action: Action, rest: &str) -> RuleResult<'_> {
    let mut event = Event::new(LogFormat::Postfix, Direction::Inbound, action);
    let what_len = find_byte(b' ', rest).unwrap_or(rest.len());
    let what = &rest[..what_len];
    if matches!(what, "header" | "body" | "mime-header" | "nested-header") {
        // The envelope comes before the reply here, and the reply is all that follows it.
        let envelope_at = FROM_ENVELOPE.rfind(rest)?;
        let tail = &rest[envelope_at..];
        let reply_at = reply_after_envelope(tail)?;
        read_envelope(&mut event, &tail[..reply_at]);
        if let Some(from_at) = SPACE_FROM.rfind(&rest[..envelope_at]) {
            let client = &rest[from_at + 6..envelope_at];
            match read_host_addr(client) {
                Some(host) => set_remote(&mut event, host),
                None => event.remote_host = client,
            }
        }
        event.stage = Some("END-OF-DATA");
        set_reply(&mut event, &tail[reply_at + 2..]);
    } else if let Some(command) = what.strip_suffix(':') {
        // A before-queue content filter's answer, passed on by smtpd_proxy_filter: the
        // stage, then the filter's reply; the client was named on the connection's lines.
        event.stage = stage_of_command(command);
        let after_stage = rest.get(what_len + 1..).filter(|r| !r.is_empty())?;
        let reply_end = FROM_ENVELOPE
            .rfind(after_stage)
            .unwrap_or(after_stage.len());
        read_envelope(&mut event, &after_stage[reply_end..]);
        set_reply(&mut event, &after_stage[..reply_end]);
    } else {
        let client_text = rest[what_len..].strip_prefix(" from ")?;
        let host = read_host_addr(client_text)?;
        let after_client = client_text[host.len..].strip_prefix(": ")?;
        set_remote(&mut event, host);
        event.stage = stage_of_command(what);
        let reply_end = FROM_ENVELOPE
            .rfind(after_client)
            .or_else(|| TO_ENVELOPE.rfind(after_client))
            .or_else(|| PROTO_ENVELOPE.rfind(after_client))
            .unwrap_or(after_client.len());
        read_envelope(&mut event, &after_client[reply_end..]);
        set_reply(&mut event, &after_client[..reply_end]);
    }
    event.settle_class();
    if event.reply_code.is_none()
        && event.enhanced_code.is_none()
        && is_transient_refusal(&event.text)
    {
        // postscreen logs its 421 answers to overload without the code.
        event.class = Class::Transient;
        event.permanence = event.class.permanence();
    }
    Some(Some(event))
}

/// smtpd's warnings that are the only line written for a refusal of the client: a limit of
/// anvil's (`Connection rate limit exceeded: 61 from unknown[192.0.2.1] for service smtp`, and
/// the concurrency, message, recipient, TLS session and AUTH limits), answered with a 4xx, and a
/// failed login (`unknown[192.0.2.1]: SASL LOGIN authentication failed: ...`), answered with
/// 535 5.7.8.
fn smtpd_refusal(warning: &str) -> Option<Event<'_>> {
    let mut event = Event::new(LogFormat::Postfix, Direction::Inbound, Action::Rejected);
    if let Some(at) = LIMIT_EXCEEDED.find(warning) {
        let (_, client) = warning[at..].split_once(" from ")?;
        set_remote(&mut event, read_host_addr(client)?);
        let limit = &warning[..at];
        event.stage = Some(if limit.starts_with("Connection ") {
            "CONNECT"
        } else if limit.starts_with("Message delivery request ") {
            "MAIL"
        } else if limit.starts_with("Recipient address ") {
            "RCPT"
        } else if limit.starts_with("New TLS session ") {
            "STARTTLS"
        } else if limit.starts_with("AUTH command ") {
            "AUTH"
        } else {
            return None;
        });
        event.text = Cow::Borrowed(warning);
        event.class = Class::Transient;
    } else {
        let host = read_host_addr(warning)?;
        let failure = warning[host.len..].strip_prefix(": ")?;
        let (_, after_mechanism) = failure.strip_prefix("SASL ")?.split_once(' ')?;
        if !after_mechanism.starts_with("authentication failed") {
            return None;
        }
        set_remote(&mut event, host);
        event.stage = Some("AUTH");
        event.text = Cow::Borrowed(failure);
        // A back end that could not be asked gets 454 4.7.0; a refused login, 535 5.7.8.
        event.class = if failure.ends_with("Connection lost to authentication server") {
            Class::Transient
        } else {
            Class::Permanent
        };
    }
    event.permanence = event.class.permanence();
    Some(event)
}

fn is_transient_refusal(text: &str) -> bool {
    text.starts_with("too many connections")
        || text.starts_with("all server ports busy")
        || text.starts_with("all screening ports busy")
        || text.contains("try again later")
}

/// Finds the `: ` that ends the envelope of a cleanup reject and starts its reply.
fn reply_after_envelope(tail: &str) -> Option<usize> {
    let search_from = tail
        .rfind("helo=<")
        .or_else(|| tail.rfind("to=<"))
        .unwrap_or(0);
    let close = search_from + tail[search_from..].find(">: ")?;
    Some(close + 1)
}

/// Reads `from=<...>` and `to=<...>` out of an envelope list, space-separated (smtpd, cleanup)
/// or comma-separated (postscreen).
fn read_envelope<'a>(event: &mut Event<'a>, envelope: &'a str) {
    if let Some(sender) = bracketed_after(envelope, &FROM_KEY) {
        event.sender = sender;
    }
    if let Some(recipient) = bracketed_after(envelope, &TO_KEY) {
        event.recipient = recipient;
    }
}

fn bracketed_after<'a>(text: &'a str, key: &Needle) -> Option<&'a str> {
    let mut search_from = 0;
    while let Some(found) = key.find(&text[search_from..]) {
        let start = search_from + found;
        // `to=<` must not be read out of `orig_to=<` or the tail of `from=<`.
        let at_boundary = start == 0 || matches!(text.as_bytes()[start - 1], b' ' | b',' | b';');
        if at_boundary {
            let value = &text[start + key.len()..];
            let end = find_byte(b'>', value)?;
            // A client that sent `RCPT TO:<<a@b>>` is logged `to=<<a@b>>`.
            return Some(value[..end].trim_start_matches('<'));
        }
        search_from = start + key.len();
    }
    None
}

/// `<a@b>` as `a@b`; the doubled brackets of a client that sent `RCPT TO:<<a@b>>` go too.
fn unbracket(value: &str) -> &str {
    let mut value = value;
    while let Some(inner) = value.strip_prefix('<').and_then(|v| v.strip_suffix('>')) {
        value = inner;
    }
    value
}

/// Standalone lines about one host of several tried: `host X[ip] refused to talk to me: ...`,
/// `host X[ip] said: ...`, `host X[ip] greeted me with my own hostname NAME` (alone or as a
/// warning), `TLS is required, but was not offered by host X[ip]`, `TLS is required, but host X[ip] refused to start TLS: ...`, `SASL
/// authentication failed; server X[ip] said: ...`, `connect to X[ip]:25: ...`, `lost connection
/// with X[ip] while ...`, `conversation with X[ip] timed out while ...`. Each is a refusal by one
/// host, not the fate of a recipient, which the status line that follows gives.
fn per_host_failure(body: &str, marks: Marks) -> RuleResult<'_> {
    let is_per_host = (body.starts_with("host ")
        && (marks.refused || marks.said || greeting_loop(body).is_some()))
        || body.starts_with("TLS is required, but ")
        || body.starts_with("SASL authentication failed; server ")
        || body.starts_with("connect to ")
        || body.starts_with("lost connection with ")
        || body.starts_with("conversation with ");
    if !is_per_host {
        return None;
    }
    let mut event = Event::new(LogFormat::Postfix, Direction::Outbound, Action::Refused);
    read_detail(&mut event, body);
    if event.remote_ip.is_empty() && event.remote_host.is_empty() {
        return None;
    }
    event.settle_class();
    Some(Some(event))
}

/// Whether a line nobody read still looks as if it reports an outcome: a status, a reply
/// quoted from a server, a reject, or a reply code followed by an enhanced code.
fn looks_like_outcome(body: &str, marks: Marks) -> bool {
    if body.starts_with("warning: ")
        || body.starts_with("statistics: ")
        || body.starts_with("fatal: ")
        || body.starts_with("panic: ")
    {
        return false;
    }
    if marks.any() {
        return true;
    }
    super::reply::mentions_reply_code(body)
}

#[cfg(test)]
mod tests;
