//! Exim's mainlog and rejectlog lines, whether written to Exim's own files or through syslog.
//!
//! Outbound outcomes are the delivery lines (`=>`, `->`, `>>` delivered; `**` failed or
//! expired; `==` deferred; `*>`, a delivery suppressed by `-N`, is none) and the per-host lines
//! a remote transport writes for each server it gave up on (`H=mx.example [192.0.2.1]
//! Connection timed out`). Inbound outcomes are the rejects Exim's ACLs and SMTP code log
//! (`H=... F=<...> rejected RCPT <...>: ...`, `temporarily rejected ...`, `rejected EHLO from
//! ...`, synchronization errors, dropped calls, refused connections) and failed
//! authentications. Everything else Exim writes (arrivals, `Completed`,
//! queue runs, frozen-message notes, TLS and connection bookkeeping, the header dumps of the
//! rejectlog) is a line without an outcome, unless it looks as if it carries a reply that no rule
//! here read, in which case it is reported as unmatched so that a gap never hides an outcome.
//!
//! The parser is stateless, so it only knows what one line says. In particular Exim writes the
//! envelope sender on the `<=` arrival line, not on `=>`/`**`/`==` lines (unless
//! `log_selector = +sender_on_delivery` adds `F=<...>`), so outbound events usually have an
//! empty sender. Exim numbers its internal errors (`defer (-44)`) differently from one release
//! to the next, so the text after them decides, never the number. No regex is needed: every rule
//! starts from a fixed prefix or a `find` of a fixed needle, which is cheaper than a regex scan.

use std::borrow::Cow;

use super::diagnostic::Severity;
use super::diverted::Diversion;
use super::needle::{alphanumeric_bits, find_byte, find_colon_space, low_bits};
use super::reply::{read_reply, stage_of_command};
use super::syslog::SyslogLine;
use super::{Lifecycle, Parsed, TieredLine};
use crate::codes::{Action, Class, Direction, EnhancedCode};
use crate::event::{Event, LogFormat};
use crate::time::{RawTime, Timestamp, YearRule, parse_leading};

/// The program written on events read from Exim's own log files.
const PROGRAM: &str = "exim";

/// Parses a line of Exim's own log file: `2026-11-21 08:00:04[.mmm][ +zzzz][ [pid]] ...`.
///
/// A line without an Exim timestamp is one of the header lines the rejectlog writes after a
/// reject (`Envelope-from: <...>`, `F From: ...`, indented continuations), which carries no
/// outcome, or else something this parser cannot read.
pub fn parse_mainlog<'a>(line: &'a str, years: &YearRule) -> Parsed<'a> {
    let line = line.strip_suffix('\r').unwrap_or(line);
    let Some(head) = read_head(line) else {
        return if is_rejectlog_continuation(line) {
            Parsed::NoOutcome
        } else {
            Parsed::Unmatched
        };
    };
    match parse_body(head.id, head.body) {
        Parsed::Event(mut event) => {
            event.timestamp = years.complete(head.time);
            event.program = PROGRAM;
            event.pid = head.pid;
            event.queue_id = head.id;
            Parsed::Event(event)
        }
        Parsed::Lifecycle(mut line) => {
            line.timestamp = years.complete(head.time);
            Parsed::Lifecycle(line)
        }
        tiered => stamp_tiered(tiered, years.complete(head.time), PROGRAM),
    }
}

/// Parses the message of an Exim line logged through syslog (`exim[1234]: ...`).
///
/// The host, tag and pid come from the syslog header. Exim's `syslog_timestamp` option (on by
/// default) repeats its own timestamp at the start of the message; when it is there it is used,
/// since it carries the year that a traditional syslog time lacks. Exim splits long or
/// multi-line entries into parts prefixed `[1\3]`, `[2/3]`, ...: the first part is read, the
/// later ones carry no outcome of their own.
pub fn parse_syslog<'a>(header: &SyslogLine<'a>, years: &YearRule) -> Parsed<'a> {
    let mut message = header.message.strip_suffix('\r').unwrap_or(header.message);
    match split_part(message) {
        Some((1, rest)) => message = rest,
        Some(_) => return Parsed::NoOutcome,
        None => {}
    }
    let (time, pid, id, body) = match read_head(message) {
        Some(head) => (head.time, head.pid, head.id, head.body),
        None => {
            let (pid, rest) = split_pid(message);
            let (id, body) = split_id(rest);
            (header.time, pid, id, body)
        }
    };
    match parse_body(id, body) {
        Parsed::Event(mut event) => {
            event.timestamp = years.complete(time);
            event.host = header.host;
            event.program = header.tag;
            event.pid = header.pid().or(pid);
            event.queue_id = id;
            Parsed::Event(event)
        }
        Parsed::Lifecycle(mut line) => {
            line.timestamp = years.complete(time);
            line.host = header.host;
            Parsed::Lifecycle(line)
        }
        tiered => stamp_tiered(tiered, years.complete(time), header.tag),
    }
}

/// A line summed up by tier and kind, with the time and program of the line it came from;
/// any other result as it is.
fn stamp_tiered<'a>(parsed: Parsed<'a>, time: Option<Timestamp>, program: &'a str) -> Parsed<'a> {
    fn stamped<'a, T>(
        line: TieredLine<'a, T>,
        time: Option<Timestamp>,
        program: &'a str,
    ) -> TieredLine<'a, T> {
        TieredLine {
            timestamp: time,
            program,
            ..line
        }
    }
    match parsed {
        Parsed::Diagnosed(line) => Parsed::Diagnosed(stamped(line, time, program)),
        Parsed::Diverted(line) => Parsed::Diverted(stamped(line, time, program)),
        Parsed::Restarted(line) => Parsed::Restarted(stamped(line, time, program)),
        other => other,
    }
}

/// The message id of a mainlog line, or of the message of an Exim line logged through syslog
/// (empty when the line names none), and the rest of the line after it.
pub fn message_id_of(text: &str) -> (&str, &str) {
    let text = text.strip_suffix('\r').unwrap_or(text);
    let text = match split_part(text) {
        Some((_, rest)) => rest,
        None => text,
    };
    match read_head(text) {
        Some(head) => (head.id, head.body),
        None => split_id(split_pid(text).1),
    }
}

/// Whether the rest of a line after its message id says the message is done with (`Completed`,
/// whatever fields follow).
pub fn is_completion(body: &str) -> bool {
    body == "Completed" || body.starts_with("Completed ")
}

/// The parent of a bounce or other message Exim generated itself: `<= <> R=PARENT ...`.
pub fn parent_of(text: &str) -> Option<&str> {
    let (at, id) = parent_field(text)?;
    ARRIVAL_MARK.is_in(&text[..at]).then_some(id)
}

/// Where the first `R=` field is, and its non-empty value.
fn parent_field(text: &str) -> Option<(usize, &str)> {
    let at = PARENT_FIELD.find(text)?;
    let after = &text[at + PARENT_FIELD.len()..];
    let id = &after[..find_byte(b' ', after).unwrap_or(after.len())];
    (!id.is_empty()).then_some((at, id))
}

/// The `R=` field of a bounce's arrival (`<> R=PARENT U=... P=local ...`), from the text after
/// `<= `.
fn bounce_parent(arrival: &str) -> Option<&str> {
    parent_field(arrival).map(|(_, id)| id)
}

/// The start of an Exim line: its time, the optional ` [pid]` of `+pid`, the optional message
/// id, and the rest.
struct Head<'a> {
    time: RawTime,
    pid: Option<u32>,
    id: &'a str,
    body: &'a str,
}

/// Reads `YYYY-MM-DD HH:MM:SS[.fff][ +hhmm][ [pid]][ id]`. Exim always writes a space between
/// date and time, so an RFC 3339 time (with `T`) is not an Exim line.
fn read_head(line: &str) -> Option<Head<'_>> {
    let bytes = line.as_bytes();
    if bytes.get(10) != Some(&b' ') {
        return None;
    }
    let (time, mut pos) = parse_leading(bytes)?;
    match bytes.get(pos) {
        Some(b' ') => pos += 1,
        None => {}
        Some(_) => return None,
    }
    let (pid, rest) = split_pid(&line[pos..]);
    let (id, body) = split_id(rest);
    Some(Head {
        time,
        pid,
        id,
        body,
    })
}

/// Splits the ` [pid]` that `+pid` writes after the time from the rest.
fn split_pid(text: &str) -> (Option<u32>, &str) {
    let bytes = text.as_bytes();
    if bytes.first() != Some(&b'[') {
        return (None, text);
    }
    // The value is worked out in the same pass that finds the digits' end: this runs on every
    // line of a log written with `+pid`.
    let (mut digits, mut value) = (0, 0u64);
    for &b in &bytes[1..] {
        let digit = b.wrapping_sub(b'0');
        if digit >= 10 {
            break;
        }
        value = value.saturating_mul(10).saturating_add(u64::from(digit));
        digits += 1;
    }
    if digits == 0 || bytes.get(1 + digits) != Some(&b']') {
        return (None, text);
    }
    let pid = u32::try_from(value).ok();
    let rest = &text[digits + 2..];
    (pid, rest.strip_prefix(' ').unwrap_or(rest))
}

/// Splits a leading message id from the rest. Both forms are accepted: `1tE3xA-000Ab1-Qz`
/// (6-6-2, before Exim 4.97) and `1vK2Pq-00000001aBc-0Xyz` (6-11-4, from 4.97 on).
fn split_id(text: &str) -> (&str, &str) {
    match message_id_len(text.as_bytes()) {
        Some(len) if matches!(text.as_bytes().get(len), None | Some(b' ')) => {
            (&text[..len], text[len..].trim_start_matches(' '))
        }
        _ => ("", text),
    }
}

/// The length of the message id `bytes` start with, in either form, whatever follows it.
fn message_id_len(bytes: &[u8]) -> Option<usize> {
    // The dashes tell the form before any letter is looked at; most lines without an id fail
    // on the first of them.
    if bytes.get(6) != Some(&b'-') {
        return None;
    }
    let (second_dash, len) = if bytes.get(13) == Some(&b'-') {
        (13, 16)
    } else if bytes.get(18) == Some(&b'-') {
        (18, 23)
    } else {
        return None;
    };
    let well_formed = bytes.len() >= len
        && alphanumeric_bits(&bytes[..len]).0 | (1 << 6) | (1 << second_dash) == low_bits(len);
    well_formed.then_some(len)
}

fn alnum(bytes: &[u8]) -> bool {
    bytes.iter().all(u8::is_ascii_alphanumeric)
}

/// Reads the `[n\m] ` (or `[n/m] `) prefix of a part of a long line split by Exim's syslog
/// writer, returning the part number and the text after the prefix.
fn split_part(message: &str) -> Option<(u32, &str)> {
    let inner = message.strip_prefix('[')?;
    let close = inner.find("] ")?;
    let (n, m) = inner[..close].split_once(['\\', '/'])?;
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(n) || !all_digits(m) {
        return None;
    }
    Some((n.parse().ok()?, &inner[close + 2..]))
}

/// Whether a line without a timestamp belongs to the header dump the rejectlog writes after a
/// reject: `Envelope-from: <...>`, `Envelope-to: <...>`, a header with its one-character flag
/// (`F From: ...`, `P Received: ...`, `* X-Spam: ...`, `  Subject: ...`), an indented
/// continuation line, or an empty line. It is recognised line by line, without state.
fn is_rejectlog_continuation(line: &str) -> bool {
    let bytes = line.as_bytes();
    match bytes.first() {
        None => true,
        Some(b' ' | b'\t') => true,
        Some(_) if line.starts_with("Envelope-from: ") || line.starts_with("Envelope-to: ") => true,
        Some(&flag) => {
            (flag.is_ascii_uppercase() || flag == b'*')
                && bytes.get(1) == Some(&b' ')
                && is_header_name_then_colon(&bytes[2..])
        }
    }
}

/// `Name:` where Name is one or more printable ASCII characters other than `:` (RFC 5322).
fn is_header_name_then_colon(bytes: &[u8]) -> bool {
    let name = bytes
        .iter()
        .take_while(|&&b| (33..=126).contains(&b) && b != b':')
        .count();
    name > 0 && bytes.get(name) == Some(&b':')
}

/// Reads what follows the time, pid and message id.
fn parse_body<'a>(id: &'a str, body: &'a str) -> Parsed<'a> {
    let body = body.trim_end();
    let bytes = body.as_bytes();
    if bytes.len() >= 2 && matches!(bytes.get(2), None | Some(b' ')) {
        let rest = body[2..].trim_start_matches(' ');
        let result = match (bytes[0], bytes[1]) {
            // Arrivals (and `(=` for arrivals accepted under fakereject) are not outcomes;
            // the arrival of a bounce names the message it reports on.
            (b'<', b'=') if rest.starts_with("<> ") => {
                return match bounce_parent(rest) {
                    Some(parent) if !id.is_empty() => {
                        Parsed::Lifecycle(Lifecycle::made(id, parent, id))
                    }
                    _ => Parsed::NoOutcome,
                };
            }
            (b'<' | b'(', b'=') => return Parsed::NoOutcome,
            // `*>`: a delivery that `-N` suppressed, which reached no one.
            (b'*', b'>') => return Parsed::NoOutcome,
            (b'=' | b'-' | b'>', b'>') => delivered(rest),
            (b'*', b'*') => failed(rest),
            (b'=', b'=') => deferred(rest),
            _ => None,
        };
        if let Some(result) = result {
            return result;
        }
        if matches!(
            (bytes[0], bytes[1]),
            (b'*', b'*') | (b'=', b'=') | (b'=' | b'-' | b'*' | b'>', b'>')
        ) {
            // A delivery flag with nothing readable after it: a truncated or garbled line.
            return Parsed::Unmatched;
        }
    }
    if body.is_empty() {
        return Parsed::Unmatched;
    }
    if !id.is_empty() && is_completion(body) {
        return Parsed::Lifecycle(Lifecycle::ended(id));
    }
    other(id, body)
}

/// `=> bob@example.org <Bob@Example.org> R=dnslookup T=remote_smtp H=mx.example.org
/// [192.0.2.1] X=... C="250 2.0.0 OK id=..."`, and the same with `->` (another recipient of
/// the same transaction) and `>>` (cutthrough).
fn delivered(rest: &str) -> Option<Parsed<'_>> {
    // An address a router, an alias or a filter sent to `:blackhole:` was thrown away on
    // purpose: no one received it, so it is a discard, not a delivery. The kind keeps the
    // router and leaves out the address.
    let rest = rest.trim_start_matches(' ');
    if let Some(discarded) = rest.strip_prefix(":blackhole:") {
        let router = discarded
            .split(' ')
            .find(|field| field.starts_with("R="))
            .unwrap_or("");
        return Some(Parsed::Diverted(tiered(
            Diversion::Discard,
            "blackhole",
            router,
        )));
    }
    // An ACL's `discard` verb: `=> blackhole (DATA ACL discarded recipients): log message`.
    // The ACL's log message expands variables (a score, an address), so it is part of what is
    // shaped into the kind, not a rule's fixed text.
    if rest.starts_with("blackhole (") && ACL_DISCARDED.is_in(rest) {
        return Some(Parsed::Diverted(tiered(Diversion::Discard, rest, "")));
    }
    // `>address` is an autoreply (a filter's `vacation` or `mail` command, or an
    // `autoreply` transport): the reply is a new message, whose own delivery is logged
    // under its own id.
    if rest.starts_with('>') {
        return Some(Parsed::NoOutcome);
    }
    // No `: message` follows a delivery, so the whole rest is addresses and fields.
    let (recipient, original, after) = read_addresses(rest)?;
    let (fields, _) = scan_fields(after);
    let mut event = Event::new(LogFormat::Exim, Direction::Outbound, Action::Sent);
    event.recipient = recipient;
    event.original_recipient = original;
    fields.apply(&mut event);
    if let Some(confirmation) = fields.confirmation {
        let (code, enhanced, text) = logged_reply(confirmation, true);
        event.reply_code = code;
        event.enhanced_code = enhanced;
        event.text = text;
        // The confirmation is the answer to the end of the message, as for Postfix's
        // `status=sent (250 ...)`.
        event.stage = Some("END-OF-DATA");
    }
    event.settle_class();
    Some(Parsed::Event(event))
}

/// `** bob@example.org R=dnslookup T=remote_smtp H=mx.example.org [192.0.2.1] X=...: SMTP error
/// from remote mail server after RCPT TO:<bob@example.org>: 550 5.1.1 ...`, routing failures
/// such as `** x@nowhere.example: Unrouteable address`, local failures, and the retry-timeout
/// failures that end a long series of deferrals (those are expiries). Exim 4.99 writes ` : `
/// before the reason; both separators are read.
fn failed(rest: &str) -> Option<Parsed<'_>> {
    let (fields_part, message) = match split_message(rest) {
        (fields, Some(message)) => (fields, message),
        // A quote or bracket Exim did not close: fall back to the first separator.
        (_, None) => {
            let at = find_colon_space(rest)?;
            (rest[..at].trim_end(), &rest[at + 2..])
        }
    };
    let message = message.trim_start();
    if message.is_empty() {
        return None;
    }
    let (recipient, original, after) = read_addresses(fields_part)?;
    let (fields, _) = scan_fields(after);
    let action = if is_expiry(message) {
        Action::Expired
    } else {
        Action::Bounced
    };
    let mut event = Event::new(LogFormat::Exim, Direction::Outbound, action);
    event.recipient = recipient;
    event.original_recipient = original;
    fields.apply(&mut event);
    read_outcome_text(&mut event, message);
    event.settle_class();
    Some(Parsed::Event(event))
}

/// Exim's words for giving up after retrying for too long.
fn is_expiry(message: &str) -> bool {
    RETRY_TIMEOUT_EXCEEDED.is_in(message)
        || is_retry_wait(message)
        || FAILING_FOR_A_LONG_TIME.is_in(message)
}

/// `retry time not reached` (also `Retry time not yet reached`, as releases before 4.80 wrote
/// it): Exim's words for an address it did not try because its retry time has not come.
fn is_retry_wait(text: &str) -> bool {
    // Only the case of the first letter varies between releases.
    let mut from = 0;
    while let Some(found) = RETRY_TIME_NOT.find(&text[from..]) {
        let at = from + found;
        let after = &text[at + RETRY_TIME_NOT.len()..];
        if at > 0
            && matches!(text.as_bytes()[at - 1], b'r' | b'R')
            && (after.starts_with("reached") || after.starts_with("yet reached"))
        {
            return true;
        }
        from = at + 1;
    }
    false
}

/// `== bob@example.org R=dnslookup T=remote_smtp defer (-44) H=mx.example.org [192.0.2.1]: SMTP
/// error from remote mail server after RCPT TO:<bob@example.org>: 451 4.7.1 ...`.
///
/// Exim writes, in this order: the address, `R=`/`T=` (or `routing`), `defer (N)`, then for a
/// system error (N > 0) `: ` and its text, then ` H=host [ip]` when a host was used, then `: `
/// and Exim's message. So `defer (110): Connection timed out H=mx [ip]: SMTP timeout after ...`
/// carries both the system error and the message.
fn deferred(rest: &str) -> Option<Parsed<'_>> {
    // `retry time not reached` means Exim did not try at all this time: an earlier attempt
    // failed and its retry rule says to wait. That attempt was logged and counted when it
    // happened; counting every queue run that skips the address again would multiply one
    // failure by the number of queue runs.
    // Nor was anything tried for a domain the configuration holds back for a later queue run.
    if is_retry_wait(rest)
        || QUEUED_ON_PURPOSE.is_in(rest)
        || EXPLICITLY_QUEUED.is_in(rest)
        || FIRST_PASS_ONLY.is_in(rest)
        || IN_QUEUE_DOMAINS.is_in(rest)
    {
        return Some(Parsed::NoOutcome);
    }
    let defer_at = DEFER_ERRNO.find(rest)?;
    let (recipient, original, after) = read_addresses(&rest[..defer_at])?;
    let (fields, _) = scan_fields(after);
    let errno_text = &rest[defer_at + " defer (".len()..];
    let close = find_byte(b')', errno_text)?;
    let errno: Option<i32> = errno_text[..close].parse().ok();
    let mut tail = &errno_text[close + 1..];

    let mut event = Event::new(LogFormat::Exim, Direction::Outbound, Action::Deferred);
    event.recipient = recipient;
    event.original_recipient = original;
    fields.apply(&mut event);

    let mut system_error = None;
    if errno.is_some_and(|n| n > 0)
        && let Some(text) = tail.strip_prefix(": ")
    {
        // A system error's text (`Connection timed out`) holds no colon and no field.
        let end = [
            HOST_FIELD.find(text),
            DELIVERY_TIME_FIELD.find(text),
            find_colon_space(text),
        ]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(text.len());
        system_error = Some(&text[..end]);
        tail = &text[end..];
    }
    // ` H=host [ip]`, and any field a later release may add before the message.
    let (more, tail) = scan_fields(tail);
    more.apply(&mut event);
    let message = match tail.strip_prefix(':') {
        Some(message) => Some(message.trim_start()),
        None => Some(tail).filter(|t| !t.is_empty()),
    }
    // When the connection itself failed, Exim's message only names the host again: the system
    // error is all there is to say.
    .filter(|message| system_error.is_none() || !names_only_the_host(message, &event));
    match (message, system_error) {
        (Some(message), system_error) => {
            read_outcome_text(&mut event, message);
            if event.stage.is_none() {
                event.stage = system_error.and_then(stage_of_text);
            }
        }
        (None, Some(system_error)) => read_outcome_text(&mut event, system_error),
        (None, None) => {}
    }
    event.settle_class();
    Some(Parsed::Event(event))
}

/// Whether `message` is nothing but the host of the `H=` field, `name [ip]` (with a port, if
/// any).
fn names_only_the_host(message: &str, event: &Event) -> bool {
    if event.remote_ip.is_empty() {
        return false;
    }
    message
        .strip_prefix(event.remote_host)
        .map(str::trim_start)
        .and_then(|rest| rest.strip_prefix('['))
        .and_then(|rest| rest.strip_prefix(event.remote_ip))
        .and_then(|rest| rest.strip_prefix(']'))
        .is_some_and(|rest| {
            rest.is_empty()
                || rest.strip_prefix(':').is_some_and(|port| {
                    !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit())
                })
        })
}

/// Every line that is not a delivery line: inbound rejects, failed authentications, per-host
/// attempt failures, and bookkeeping.
fn other<'a>(id: &'a str, body: &'a str) -> Parsed<'a> {
    // With `+dnssec`, a reject may start with ` DS` glued to the host field.
    let body = match body.strip_prefix("DS") {
        Some(rest) if rest.starts_with("H=") => rest,
        _ => body,
    };
    if is_bookkeeping(body) {
        // Bookkeeping starts with its own words, never with fields, and only its first words
        // can make it a problem: the rest holds what the client sent.
        return said_of_itself(id, body, body).unwrap_or(Parsed::NoOutcome);
    }
    let (fields, rest) = scan_fields(body);
    if rest.starts_with("rejected ") || rest.starts_with("temporarily rejected ") {
        return match reject(&fields, rest) {
            Some(event) => Parsed::Event(event),
            None => Parsed::Unmatched,
        };
    }
    // `sender verify fail for <x>: ...` explains the reject line that follows it (`rejected
    // RCPT <y>: Sender verify failed`); counting both would count one refusal twice. The same
    // goes for recipient verification.
    if rest.starts_with("sender verify ") || rest.starts_with("recipient verify ") {
        return Parsed::NoOutcome;
    }
    // An ACL `warn` verb logs `H=... Warning: ...` and refuses nothing, even when its text says
    // what would have been rejected.
    if rest.starts_with("Warning:") {
        return Parsed::NoOutcome;
    }
    if !id.is_empty()
        && let Some(event) = per_host(body)
    {
        return Parsed::Event(event);
    }
    let rule = if AUTHENTICATOR_FAILED.is_in(body) {
        authentication(body)
    } else if body.starts_with("SMTP protocol synchronization error") {
        synchronization(body)
    } else if body.starts_with("SMTP call ") && DROPPED.is_in(body) {
        dropped(body)
    } else if CONNECTION_FROM.is_in(body) && REFUSED.is_in(body) {
        refused_connection(body)
    } else {
        None
    };
    if let Some(event) = rule {
        return Parsed::Event(event);
    }
    if let Some(said) = said_of_itself(id, body, rest) {
        return said;
    }
    // A few errors name the option before the failure (`home directory "..." failed to
    // expand for ...`).
    if problems::is_error_named_after_its_option(rest) {
        return Parsed::Diagnosed(tiered(Severity::Error, body, ""));
    }
    if looks_like_outcome(body) {
        Parsed::Unmatched
    } else {
        Parsed::NoOutcome
    }
}

/// A line Exim wrote about itself, about a message it froze, or about its daemon starting or
/// stopping, when the first words of `rest` (the line after the fields in front of its first
/// word) say it is one. The time and program are filled in with the rest of the line's head.
fn said_of_itself<'a>(id: &str, body: &'a str, rest: &'a str) -> Option<Parsed<'a>> {
    // The daemon's lines name no message and start with their own words.
    if id.is_empty()
        && rest.len() == body.len()
        && let Some(restarted) = problems::restart_of(body)
    {
        let (event, said, version) = (restarted.event, restarted.said, restarted.version);
        return Some(Parsed::Restarted(tiered(event, said, version)));
    }
    Some(match problems::concern_of(rest)? {
        Concern::Problem(severity) => Parsed::Diagnosed(tiered(severity, body, "")),
        // What follows a filter's `freeze` is the filter's text, often with the message's
        // subject in it: the kind is the freeze, and the example line holds the rest.
        Concern::SetAside(action) => {
            let message = body.split_once(": ").map_or(body, |(freeze, _)| freeze);
            Parsed::Diverted(tiered(action, message, ""))
        }
    })
}

/// A line summed up by tier and kind, before its time and program are known.
fn tiered<'a, T>(tier: T, message: &'a str, note: &'a str) -> TieredLine<'a, T> {
    TieredLine {
        timestamp: None,
        tier,
        program: PROGRAM,
        message,
        note,
    }
}

crate::needles! {
    AUTHENTICATOR_FAILED = " authenticator failed for ";
    DROPPED = " dropped: ";
    CONNECTION_FROM = "onnection from ";
    REFUSED = "refused";
    SMTP_ERROR = "SMTP error from remote";
    LMTP_ERROR = "LMTP error after";
    REJECTED = "rejected";
    PARENT_FIELD = " R=";
    RETRY_TIME_NOT = "etry time not ";
    // Every quoted remote error says so; most failure texts do not.
    ERROR_WORD = " error ";
    ARRIVAL_MARK = " <= ";
    RETRY_TIMEOUT_EXCEEDED = "retry timeout exceeded";
    ACL_DISCARDED = " discarded recipients)";
    FAILING_FOR_A_LONG_TIME = "have been failing for a long time";
    DEFER_ERRNO = " defer (";
    // `queue_smtp_domains` or `-odqs`: the message was left for the next queue run on
    // purpose, before any attempt.
    QUEUED_ON_PURPOSE = "domain matches queue_smtp_domains, or -odqs set";
    // The same, written by releases that tried no host for such a domain.
    EXPLICITLY_QUEUED = "SMTP delivery explicitly queued";
    // Later releases' words for the same, which also cover `control = queue` in an ACL.
    FIRST_PASS_ONLY = "first-pass only routing due to -odqs";
    // A domain that `queue_domains` keeps for the queue runner.
    IN_QUEUE_DOMAINS = "domain is in queue_domains";
    HOST_FIELD = " H=";
    DELIVERY_TIME_FIELD = " DT=";
    SMTP_TIMEOUT = "SMTP timeout";
    IN_RESPONSE_TO = "in response to ";
    TLS_WORD = "TLS";
    SSL_WORD = "SSL";
    GNUTLS_WORD = "gnutls";
    LAST_FAILURE = " (last ";
    WORD_REFUSED = " refused";
    REFUSED_CONNECTION_FROM = "refused connection from ";
    TEMPORARILY = "temporarily";
    TOO_MANY_CONNECTIONS = "too many connections";
    LOAD_AVERAGE = "load average";
}

/// Lines that never report an outcome even when their text quotes one.
fn is_bookkeeping(body: &str) -> bool {
    const PREFIXES: &[&str] = &[
        "Completed",
        // `log_selector = +arguments`: the command line of every Exim process.
        "cwd=",
        // Freezing notes never quote a reply: the reply that led to a freeze is on the `**` or
        // `==` line written before it, and was counted there (the freeze itself is summed up
        // with the messages set aside).
        "Frozen",
        "Unfrozen",
        "Message is frozen",
        "Start queue run",
        "End queue run",
        // Connection bookkeeping: opened, closed, lost, closed by DROP after a reject that
        // was logged on its own line.
        "SMTP connection ",
        // A client that stopped talking: Exim gives up on it, nothing of the client's was
        // refused (Postfix's `timeout after ...` lines are not outcomes either).
        "SMTP command timeout",
        "SMTP data timeout",
        // Single bad commands, logged only with +smtp_syntax_error/+smtp_protocol_error; the
        // `dropped: too many ...` line that ends such a session is the outcome (the commands
        // are summed up as warnings).
        "SMTP syntax error",
        "SMTP protocol error",
        // A failed TLS handshake from a client: no SMTP reply was exchanged (summed up as a
        // warning).
        "TLS error on connection from",
    ];
    PREFIXES.iter().any(|p| body.starts_with(p))
}

/// Whether a line no rule read still looks as if it reports an outcome.
fn looks_like_outcome(body: &str) -> bool {
    if SMTP_ERROR.is_in(body) || LMTP_ERROR.is_in(body) || REJECTED.is_in(body) {
        return true;
    }
    super::reply::mentions_reply_code(body)
}

/// The `KEY=value` fields Exim writes between its fixed anchors, read in whatever order they
/// come: `R=`, `T=`, `H=`, `F=<...>`, `C="..."`, and the ones only skipped (`P=`, `S=`, `X=`,
/// `CV=`, `DN="..."`, `A=`, `U=`, `I=`, `K`, `L`, `DT=`, ...).
#[derive(Default)]
struct Fields<'a> {
    host: Option<HostSpec<'a>>,
    sender: Option<&'a str>,
    /// The raw text inside `C="..."`, still escaped.
    confirmation: Option<&'a str>,
}

impl<'a> Fields<'a> {
    fn apply(&self, event: &mut Event<'a>) {
        if let Some(host) = self.host {
            event.remote_host = host.name;
            event.remote_ip = host.ip;
        }
        if let Some(sender) = self.sender {
            event.sender = sender;
        }
    }
}

/// Reads fields from the start of `text` up to the first word that is not one, returning them
/// and the rest (from that word on).
fn scan_fields(text: &str) -> (Fields<'_>, &str) {
    let mut fields = Fields::default();
    let mut rest = text;
    loop {
        let word = rest.trim_start_matches(' ');
        if word.is_empty() {
            return (fields, word);
        }
        if let Some(after) = word.strip_prefix("H=") {
            match read_host_spec(after) {
                Some((host, len)) => {
                    fields.host = Some(host);
                    rest = &after[len..];
                    continue;
                }
                None => return (fields, word),
            }
        }
        if let Some(key_len) = field_key_len(word) {
            let (value, len) = read_value(&word[key_len + 1..]);
            match &word[..key_len] {
                "F" => fields.sender = Some(value),
                "C" => fields.confirmation = Some(value),
                _ => {}
            }
            rest = &word[key_len + 1 + len..];
            continue;
        }
        let word_len = find_byte(b' ', word).unwrap_or(word.len());
        if matches!(
            &word[..word_len],
            "K" | "L" | "L*" | "DS" | "PRDR" | "TFO" | "*"
        ) {
            rest = &word[word_len..];
            continue;
        }
        return (fields, word);
    }
}

/// The length of `KEY` in `KEY=value`: a letter then up to seven letters or digits.
fn field_key_len(word: &str) -> Option<usize> {
    let bytes = word.as_bytes();
    let len = bytes.iter().take(9).position(|&b| b == b'=')?;
    (len >= 1 && bytes[0].is_ascii_alphabetic() && alnum(&bytes[..len])).then_some(len)
}

/// Reads a field value: `"quoted with \" escapes"`, `<angle>`, or a word. Returns the value
/// without its quotes or brackets and the bytes taken.
fn read_value(text: &str) -> (&str, usize) {
    match text.as_bytes().first() {
        Some(b'"') => match closing_quote(text, 0) {
            Some(end) => (&text[1..end], end + 1),
            None => (&text[1..], text.len()),
        },
        Some(b'<') => match find_byte(b'>', text) {
            Some(end) => (&text[1..end], end + 1),
            None => (&text[1..], text.len()),
        },
        _ => {
            let mut end = find_byte(b' ', text).unwrap_or(text.len());
            // `I=[192.0.2.1]:587: 535 ...`: a colon that ends the word ends the fields.
            if text[..end].ends_with(':') {
                end -= 1;
            }
            (&text[..end], end)
        }
    }
}

/// The index of the `"` that closes the one at `open`, skipping backslash escapes.
fn closing_quote(text: &str, open: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = open + 1;
    while i < bytes.len() {
        // Straight to the next quote or backslash.
        i += memchr::memchr2(b'"', b'\\', &bytes[i..])?;
        if bytes[i] == b'"' {
            return Some(i);
        }
        i += 2;
    }
    None
}

/// The bytes [`split_message`] acts on; the others are skipped with one table look-up.
static SPLIT_MESSAGE_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut i = 0;
    let special = *b"\"<>[]:";
    while i < special.len() {
        table[special[i] as usize] = true;
        i += 1;
    }
    table
};

/// Splits `fields: message` (or Exim 4.99's `fields : message`) at the first `: ` that is not
/// inside quotes, angle brackets or square brackets, so that `X=TLS1.3:...`, `C="250 OK: id"`
/// and `[2001:db8::1]:25` are not taken for the separator.
fn split_message(text: &str) -> (&str, Option<&str>) {
    let bytes = text.as_bytes();
    let (mut angle, mut square) = (0u32, 0u32);
    let mut i = 0;
    while i < bytes.len() {
        if !SPLIT_MESSAGE_BYTES[usize::from(bytes[i])] {
            i += 1;
            continue;
        }
        match bytes[i] {
            b'"' => match closing_quote(text, i) {
                Some(end) => {
                    i = end + 1;
                    continue;
                }
                None => return (text, None),
            },
            b'<' => angle += 1,
            b'>' => angle = angle.saturating_sub(1),
            b'[' => square += 1,
            b']' => square = square.saturating_sub(1),
            b':' if angle == 0 && square == 0 && matches!(bytes.get(i + 1), None | Some(b' ')) => {
                let message = text.get(i + 2..).unwrap_or("");
                return (text[..i].trim_end(), Some(message));
            }
            _ => {}
        }
        i += 1;
    }
    (text, None)
}

/// Reads the address part of a delivery line: the address, the intermediate parents in
/// parentheses (`+all_parents`, pipes and files), and the original recipient in angle brackets.
/// Returns the recipient, the original address when it is another one, and the text after the
/// addresses.
///
/// The recipient is the address the delivery went to, as Postfix's `to=` is: for a forward
/// or an alias (`=> bob@gmail.com <info@example.com>`) the server at `H=` answered for
/// `bob@gmail.com`, so its domain is the destination. A pipe, a file or a local part alone
/// (`=> alice <alice@example.com>`, `=> |/usr/bin/procmail <alice@example.com>`) names no
/// address, and the one in angle brackets, the envelope recipient the message was received
/// for, stands in its place.
fn read_addresses(text: &str) -> Option<(&str, &str, &str)> {
    let text = text.trim_start_matches(' ');
    if text.is_empty() {
        return None;
    }
    let end = if text.starts_with('|') {
        pipe_command_len(text)
    } else if text.starts_with('"') {
        // An unclosed quote runs to the end; `len - 1` could fall inside a multi-byte
        // character.
        let close = closing_quote(text, 0).unwrap_or(text.len());
        close + find_byte(b' ', &text[close..]).unwrap_or(text.len() - close)
    } else {
        find_byte(b' ', text).unwrap_or(text.len())
    };
    let address = &text[..end];
    let mut rest = &text[end..];
    // A local part followed by the pipe it was handed to (`sales+spam |/usr/bin/autorespond
    // (sales@example.com) <sales@example.com>`, as cPanel's autoresponder logs it): the
    // command, which may hold spaces, is skipped like the pipe above.
    if !is_full_address(address) && rest.starts_with(" |") {
        rest = &rest[1 + pipe_command_len(&rest[1..])..];
    }
    if rest.starts_with(" (")
        && let Some(close) = find_byte(b')', rest)
    {
        rest = &rest[close + 1..];
    }
    let (mut recipient, mut original) = (address, "");
    if let Some(after) = rest.strip_prefix(" <")
        && let Some(close) = find_byte(b'>', after)
    {
        let bracketed = &after[..close];
        // `<system-filter>` stands for the system filter that made the address, not for an
        // address.
        if bracketed != "system-filter" {
            if is_full_address(address) {
                original = bracketed;
            } else {
                recipient = bracketed;
            }
        }
        rest = &after[close + 1..];
    }
    Some((recipient, original, rest))
}

/// The length of the pipe command at the start of `text`. A command may hold spaces, `(` and
/// `<` (`|/usr/bin/prog -x <in>`), so it is found from the other end: the fields begin at
/// ` R=` or ` T=`, before them comes the original address in angle brackets, and before that,
/// in parentheses, the parent it was generated from.
fn pipe_command_len(text: &str) -> usize {
    let fields_at = [" R=", " T="]
        .iter()
        .filter_map(|needle| text.find(needle))
        .min()
        .unwrap_or(text.len());
    let mut end = text[..fields_at].trim_end_matches(' ').len();
    if text[..end].ends_with('>')
        && let Some(open) = text[..end].rfind(" <")
        && text[open..end].contains('@')
    {
        end = open;
    }
    if text[..end].ends_with(')')
        && let Some(open) = text[..end].rfind(" (")
    {
        end = open;
    }
    end
}

/// Whether a delivered address is a mailbox with a domain, not a pipe, a file, a local part
/// alone or a special one such as `:blackhole:`.
fn is_full_address(address: &str) -> bool {
    !address.starts_with(['|', '/', ':']) && address.rfind('@').is_some_and(|at| at > 0)
}

/// A host as Exim writes it: `name [ip]`, `name (helo) [ip]`, `(helo) [ip]`, `[ip]`, each
/// optionally with `:port` and, on deliveries over a reused connection, `*`; or a bare `name`
/// for local transports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct HostSpec<'a> {
    /// The verified name; empty when Exim knew none (a HELO name is not used in its place,
    /// since the client chose it).
    name: &'a str,
    /// The address in brackets.
    ip: &'a str,
}

/// Reads a host at the start of `text` (after `H=` or `from `), returning it and the bytes taken.
fn read_host_spec(text: &str) -> Option<(HostSpec<'_>, usize)> {
    let bytes = text.as_bytes();
    let mut name = "";
    let mut helo = false;
    let mut pos = 0;
    match bytes.first()? {
        b'(' => {
            pos = matching_paren(text, 0)? + 1;
            helo = true;
        }
        b'[' => {}
        b' ' => return None,
        _ => {
            let end = find_byte(b' ', text).unwrap_or(text.len());
            name = &text[..end];
            pos = end;
            if text[pos..].starts_with(" (") {
                pos = matching_paren(text, pos + 1)? + 1;
                helo = true;
            }
        }
    }
    let ip_at = if pos == 0 && bytes.first() == Some(&b'[') {
        Some(0)
    } else if text[pos..].starts_with(" [") {
        Some(pos + 1)
    } else {
        None
    };
    let mut ip = "";
    if let Some(at) = ip_at {
        let close = at + find_byte(b']', &text[at..])?;
        ip = &text[at + 1..close];
        pos = close + 1;
        if bytes.get(pos) == Some(&b':') {
            let digits = bytes[pos + 1..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
            if digits > 0 {
                pos += 1 + digits;
            }
        }
        if bytes.get(pos) == Some(&b'*') {
            pos += 1;
        }
    }
    if name.is_empty() && ip.is_empty() && !helo {
        return None;
    }
    // A unix socket (an LMTP transport's `H=/run/dovecot/lmtp`) is the host even when the
    // message follows it straight after a colon.
    if ip.is_empty() && !helo && name.starts_with('/') && name.len() > 1 && name.ends_with(':') {
        name = &name[..name.len() - 1];
        pos -= 1;
    }
    // A name with a colon at its end is the end of a sentence, not a host.
    if ip.is_empty() && !helo && name.ends_with(':') {
        return None;
    }
    Some((HostSpec { name, ip }, pos))
}

/// The index of the `)` matching the `(` at `open`, counting nested parentheses (a HELO of
/// `([192.0.2.1])` is common).
fn matching_paren(text: &str, open: usize) -> Option<usize> {
    let mut depth = 0u32;
    for (i, b) in text.bytes().enumerate().skip(open) {
        match b {
            b'(' => depth += 1,
            b')' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// Fills stage, codes and text from Exim's explanation of a failure or deferral: a remote reply
/// (`SMTP error from remote mail server after <command>: <reply>`, `LMTP error after ...`), or
/// Exim's own words (`Unrouteable address`, `SMTP timeout after ...`, `Connection refused`).
fn read_outcome_text<'a>(event: &mut Event<'a>, message: &'a str) {
    match remote_error(message) {
        Some(remote) => {
            event.stage = remote.stage;
            if let Some(host) = remote.host
                && event.remote_ip.is_empty()
            {
                event.remote_host = host.name;
                event.remote_ip = host.ip;
            }
            let (code, enhanced, text) = logged_reply(remote.reply, false);
            event.reply_code = code;
            event.enhanced_code = enhanced;
            event.text = text;
        }
        None => {
            event.stage = stage_of_text(message);
            event.text = Cow::Borrowed(message);
            // Releases before 4.80 named the host in the text: `SMTP timeout while connected
            // to mx.example [192.0.2.1] after ...`, `Remote host mx.example [192.0.2.1]
            // closed connection in response to ...`, `TLS error on connection to mx.example
            // [192.0.2.1] (gnutls_handshake): ...`.
            const CONNECTED: &str = " while connected to ";
            const REMOTE_HOST: &str = "Remote host ";
            const TLS_ERROR: &str = "TLS error on connection to ";
            let named = if let Some(at) = message.find(CONNECTED) {
                Some(&message[at + CONNECTED.len()..])
            } else {
                message
                    .strip_prefix(REMOTE_HOST)
                    .or_else(|| message.strip_prefix(TLS_ERROR))
            };
            if event.remote_ip.is_empty()
                && let Some(named) = named
                && let Some((host, _)) = read_host_spec(named)
            {
                event.remote_host = host.name;
                event.remote_ip = host.ip;
            }
        }
    }
}

/// A remote server's reply quoted by Exim.
struct RemoteError<'a> {
    stage: Option<&'static str>,
    /// The host named inside the message, as older Exim releases wrote it: `...: host
    /// mx.example [192.0.2.1]: 550 ...`.
    host: Option<HostSpec<'a>>,
    reply: &'a str,
}

fn remote_error(message: &str) -> Option<RemoteError<'_>> {
    crate::needles! {
        SMTP_ERROR = "SMTP error from remote mail server after ";
        // Exim before 4.80 said "mailer".
        SMTP_ERROR_OLD = "SMTP error from remote mailer after ";
        LMTP_ERROR_AFTER = "LMTP error after ";
        // A recipient refused in the per-recipient replies that PRDR gives after the data.
        PRDR_ERROR_AFTER = "PRDR error after ";
    }
    if !ERROR_WORD.is_in(message) {
        return None;
    }
    let (at, lead_len) = [
        &SMTP_ERROR,
        &SMTP_ERROR_OLD,
        &LMTP_ERROR_AFTER,
        &PRDR_ERROR_AFTER,
    ]
    .iter()
    .filter_map(|lead| lead.find(message).map(|at| (at, lead.len())))
    .min()?;
    let after_data = message[at..].starts_with("PRDR ");
    let after = &message[at + lead_len..];
    let after = after.strip_prefix("pipelined ").unwrap_or(after);
    // `RCPT TO:<x>` and `MAIL FROM:<x> SIZE=n` hold a colon of their own (written with a space
    // before the address where the line was copied from a client that sent one).
    let address_follows = ["RCPT TO:", "MAIL FROM:"].iter().any(|verb| {
        after
            .strip_prefix(verb)
            .is_some_and(|rest| rest.trim_start_matches(' ').starts_with('<'))
    });
    let search_from = if address_follows {
        find_byte(b'>', after)?
    } else {
        0
    };
    let command_end = search_from + find_colon_space(&after[search_from..])?;
    let command = &after[..command_end];
    let mut reply = &after[command_end + 2..];
    let mut host = None;
    if let Some(host_text) = reply.strip_prefix("host ")
        && let Some((spec, len)) = read_host_spec(host_text)
        && let Some(rest) = host_text[len..].strip_prefix(": ")
    {
        host = Some(spec);
        reply = rest;
    }
    Some(RemoteError {
        stage: if after_data {
            Some("END-OF-DATA")
        } else {
            stage_of_command(command)
        },
        host,
        reply,
    })
}

/// The SMTP step named by Exim's own description of a failure, where it names one.
fn stage_of_text(text: &str) -> Option<&'static str> {
    // The command after `lead`, searched for from `from` on.
    let command_after = |from: usize, lead: &str| {
        let at = from + text[from..].find(lead)?;
        let command = &text[at + lead.len()..];
        // With pipelining the command is written `pipelined RCPT TO:<x>`, as in the remote
        // error lines.
        let command = command.strip_prefix("pipelined ").unwrap_or(command);
        let end = [command.find(" ("), find_colon_space(command)]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(command.len());
        stage_of_command(&command[..end])
    };
    if let Some(at) = SMTP_TIMEOUT.find(text) {
        // `SMTP timeout after RCPT TO:<x>`, `SMTP timeout while connected to H after EHLO x`.
        return command_after(at, " after ");
    }
    if IN_RESPONSE_TO.is_in(text) {
        return command_after(0, "in response to ");
    }
    if TLS_WORD.is_in(text) || SSL_WORD.is_in(text) || GNUTLS_WORD.is_in(text) {
        return Some("STARTTLS");
    }
    const CONNECT_ERRORS: [&str; 4] = [
        "Connection refused",
        "Connection timed out",
        "No route to host",
        "Network is unreachable",
    ];
    if CONNECT_ERRORS.iter().any(|e| text.starts_with(e)) {
        return Some("CONNECT");
    }
    None
}

/// Reads a reply as Exim logged it. The lines of a multi-line reply are joined with a literal
/// `\n`; inside `C="..."` (`quoted`), quotes and backslashes also carry a backslash.
fn logged_reply(raw: &str, quoted: bool) -> (Option<u16>, Option<EnhancedCode>, Cow<'_, str>) {
    if !raw.contains('\\') {
        let reply = read_reply(raw);
        return (reply.code, reply.enhanced, reply.text);
    }
    let unescaped: Cow<'_, str> = if quoted {
        let mut out = String::with_capacity(raw.len());
        let mut chars = raw.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some(next @ ('"' | '\\')) => out.push(next),
                    Some(next) => {
                        out.push('\\');
                        out.push(next);
                    }
                    None => out.push('\\'),
                },
                c => out.push(c),
            }
        }
        Cow::Owned(out)
    } else {
        Cow::Borrowed(raw)
    };
    // One space between lines, so that the repeated `550-5.7.26 ` prefixes can be removed.
    let joined = unescaped.replace("\\n", " ");
    let reply = read_reply(&joined);
    (
        reply.code,
        reply.enhanced,
        Cow::Owned(reply.text.into_owned()),
    )
}

/// `H=(helo) [ip] F=<sender> rejected RCPT <rcpt>: text`, `temporarily rejected ...`,
/// `rejected EHLO from [ip]: ...`, `rejected MAIL FROM:<x> H=...: message too big: ...`,
/// `rejected after DATA: ...`, `rejected connection in "connect" ACL: ...`.
///
/// Exim logs the reply it sent only when the ACL message started with an explicit code (and no
/// separate `log_message` was set); then the code is taken, provided its first digit matches
/// the verb (Exim refuses any other). Otherwise `reply_code` stays empty, no number is guessed,
/// and the class follows the verb: `rejected` permanent, `temporarily rejected` transient.
fn reject<'a>(fields: &Fields<'a>, rest: &'a str) -> Option<Event<'a>> {
    let (temporarily, what) = match rest.strip_prefix("temporarily rejected ") {
        Some(what) => (true, what),
        None => (false, rest.strip_prefix("rejected ")?),
    };
    let mut event = Event::new(LogFormat::Exim, Direction::Inbound, Action::Rejected);
    fields.apply(&mut event);
    let what = read_what(what)?;
    event.stage = what.stage;
    if let Some(recipient) = what.recipient {
        event.recipient = recipient;
    }
    if let Some(sender) = what.sender
        && fields.sender.is_none()
    {
        event.sender = sender;
    }
    let mut tail = what.rest;
    if let Some(after_from) = tail.strip_prefix(" from ") {
        // `rejected EHLO from [ip]: ...` names the client bare; `rejected connection from
        // H=[ip] ...` with `H=`, which the field scan below reads.
        tail = after_from;
        if !after_from.starts_with("H=")
            && let Some((host, len)) = read_host_spec(after_from)
        {
            event.remote_host = host.name;
            event.remote_ip = host.ip;
            tail = &after_from[len..];
        }
    }
    let (more, tail) = scan_fields(tail);
    if let Some(host) = more.host {
        event.remote_host = host.name;
        event.remote_ip = host.ip;
    }
    if let Some(sender) = more.sender {
        event.sender = sender;
    }
    let message = tail.strip_prefix(':').map_or("", str::trim_start);
    read_own_reply(&mut event, message, if temporarily { 4 } else { 5 });
    event.settle_class();
    // Past `smtp_accept_max_per_connection` Exim answers `421 too many messages in this
    // connection` and logs the words below without the code: the client is to come back.
    let over_message_limit = message == "too many messages in one connection";
    if (temporarily || over_message_limit)
        && event.reply_code.is_none()
        && event.enhanced_code.is_none()
    {
        event.class = Class::Transient;
        event.permanence = event.class.permanence();
    }
    Some(event)
}

/// What a reject line says was refused.
struct What<'a> {
    stage: Option<&'static str>,
    recipient: Option<&'a str>,
    sender: Option<&'a str>,
    /// The text after the command and its argument.
    rest: &'a str,
}

/// Reads the command after `rejected `: `RCPT <x>`, `MAIL <x>`, `MAIL FROM:<x>`, `after DATA`,
/// `DATA`, `from <x>` (a message too big), `by non-SMTP ACL`, `during MIME ACL checks`,
/// `connection ...`, `EHLO or HELO name`, `EHLO from ...`, `"EHLO x"` (quoted by
/// synchronization errors), `AUTH ...`, `VRFY ...`, `ETRN ...`, ...
fn read_what(what: &str) -> Option<What<'_>> {
    let mut result = What {
        stage: None,
        recipient: None,
        sender: None,
        rest: "",
    };
    let angle = |text: &'_ str| -> Option<(usize, usize)> {
        let open = find_byte(b'<', text)?;
        let close = open + find_byte(b'>', &text[open..])?;
        (text[..open].trim().is_empty() || text[..open].ends_with(':')).then_some((open, close))
    };
    if let Some(after) = what.strip_prefix("RCPT") {
        result.stage = Some("RCPT");
        match angle(after) {
            Some((open, close)) => {
                result.recipient = Some(&after[open + 1..close]);
                result.rest = &after[close + 1..];
            }
            None => {
                // Older Exim wrote the address bare: `rejected RCPT dir@example.org: ...`.
                result.rest = skip_argument(after);
                let argument = after[..after.len() - result.rest.len()].trim();
                if !argument.is_empty() && !argument.contains(' ') {
                    result.recipient = Some(argument);
                }
            }
        }
    } else if let Some(after) = what.strip_prefix("MAIL") {
        result.stage = Some("MAIL");
        // `rejected MAIL command H=host [ip]: too many messages in one connection`: the client
        // follows, in fields, with no address.
        if let Some(fields) = after.strip_prefix(" command")
            && (fields.starts_with(' ') || fields.starts_with(':'))
        {
            result.rest = fields;
            return Some(result);
        }
        match angle(after) {
            Some((open, close)) => {
                result.sender = Some(&after[open + 1..close]);
                result.rest = &after[close + 1..];
            }
            None => result.rest = skip_argument(after),
        }
    } else if let Some(after) = ["after DATA PRDR", "after DATA", "during MIME ACL checks"]
        .iter()
        .find_map(|w| what.strip_prefix(w))
    {
        result.stage = Some("END-OF-DATA");
        result.rest = after;
    } else if let Some(after) = what.strip_prefix("by non-SMTP ACL") {
        // A message submitted on the command line, refused once read: no SMTP step.
        result.rest = after;
    } else if let Some(after) = what.strip_prefix("by local_scan()") {
        result.stage = Some("END-OF-DATA");
        result.rest = after;
    } else if let Some(after) = what.strip_prefix("connection") {
        result.stage = Some("CONNECT");
        result.rest = after.strip_prefix(" in \"connect\" ACL").unwrap_or(after);
    } else if let Some(after) = what.strip_prefix("EHLO or HELO") {
        result.stage = Some("HELO");
        result.rest = skip_argument(after);
    } else if let Some(after) = ["EHLO", "HELO"].iter().find_map(|w| what.strip_prefix(w)) {
        result.stage = Some("HELO");
        result.rest = if after.starts_with(" from ") {
            after
        } else {
            skip_argument(after)
        };
    } else if let Some(after) = what.strip_prefix("DATA") {
        result.stage = Some("DATA");
        result.rest = after;
    } else if let Some(after) = what.strip_prefix("from <") {
        // A message refused once read, for its size (`rejected from <x> H=...: message too
        // big: read=N max=M`), when the client had not announced it.
        let close = find_byte(b'>', after)?;
        result.stage = Some("END-OF-DATA");
        result.sender = Some(&after[..close]);
        result.rest = &after[close + 1..];
    } else if let Some(inner) = what.strip_prefix('"') {
        let close = find_byte(b'"', inner)?;
        result.stage = stage_of_command(&inner[..close]);
        result.rest = &inner[close + 1..];
    } else {
        let word_len = what.find([' ', ':']).unwrap_or(what.len());
        let word = &what[..word_len];
        if !matches!(word, "AUTH" | "STARTTLS" | "VRFY" | "EXPN" | "ETRN") {
            return None;
        }
        result.stage = stage_of_command(word);
        result.rest = skip_argument(&what[word_len..]);
    }
    Some(result)
}

/// Skips a command's argument (` name`), stopping where the logged message starts.
fn skip_argument(text: &str) -> &str {
    let (_, message) = split_message(text);
    match message {
        Some(message) => {
            // Give back `: ` so that the caller finds the message where it expects it.
            let at = text.len() - message.len();
            &text[text[..at].rfind(':').unwrap_or(at)..]
        }
        None => "",
    }
}

/// Reads a reply our server sent and logged: a code is taken only when its first digit is
/// `digit` (5 for `rejected`, 4 for `temporarily rejected`), so that a message that happens to
/// start with a number is not read as one.
fn read_own_reply<'a>(event: &mut Event<'a>, message: &'a str, digit: u16) {
    let reply = read_reply(message);
    let code_fits = reply.code.is_some_and(|c| c / 100 == digit);
    let enhanced_fits = reply.enhanced.is_some_and(|e| u16::from(e.class) == digit);
    if code_fits || (reply.code.is_none() && enhanced_fits) {
        event.reply_code = reply.code;
        event.enhanced_code = reply.enhanced;
        event.text = reply.text;
    } else {
        event.text = Cow::Borrowed(message);
    }
}

/// `dovecot_login authenticator failed for (helo) [ip]:port: 535 Incorrect authentication data
/// (set_id=user)`, also with `H=` before the host (newer releases) and `I=[...]:587` after it.
/// The `(set_id=...)` Exim appends is not part of the reply and is left out of the text.
fn authentication(body: &str) -> Option<Event<'_>> {
    const LEAD: &str = " authenticator failed for ";
    let at = body.find(LEAD)?;
    let after = &body[at + LEAD.len()..];
    let host_text = after.strip_prefix("H=").unwrap_or(after);
    let (host, len) = read_host_spec(host_text)?;
    let (_, rest) = scan_fields(&host_text[len..]);
    let reply = rest.strip_prefix(':')?.trim_start();
    let mut event = Event::new(LogFormat::Exim, Direction::Inbound, Action::Rejected);
    event.remote_host = host.name;
    event.remote_ip = host.ip;
    event.stage = Some("AUTH");
    let parsed = read_reply(reply);
    event.reply_code = parsed.code;
    event.enhanced_code = parsed.enhanced;
    event.text = without_set_id(parsed.text);
    event.settle_class();
    Some(event)
}

fn without_set_id(text: Cow<'_, str>) -> Cow<'_, str> {
    const OPEN: &str = " (set_id=";
    let Some(open) = text.find(OPEN) else {
        return text;
    };
    let Some(close) = find_byte(b')', &text[open..]).map(|c| open + c) else {
        return text;
    };
    if close + 1 == text.len() {
        return match text {
            Cow::Borrowed(t) => Cow::Borrowed(&t[..open]),
            Cow::Owned(t) => Cow::Owned(t[..open].to_string()),
        };
    }
    Cow::Owned(format!("{}{}", &text[..open], &text[close + 1..]))
}

/// `SMTP protocol synchronization error (input sent without waiting for greeting): rejected
/// connection from H=[ip] input="..."` and `... (next input sent too soon: pipelining was not
/// advertised): rejected "EHLO x" H=(x) [ip] next input="..."`. Exim answers `554 SMTP
/// synchronization error` and drops the client; the code is not logged. The event's text is
/// the error with its reason.
fn synchronization(body: &str) -> Option<Event<'_>> {
    let open = body.find(" (")?;
    let close = matching_paren(body, open + 1)?;
    let rest = body[close + 1..].strip_prefix(": ")?;
    let mut event = reject(&Fields::default(), rest)?;
    event.text = Cow::Borrowed(&body[..close + 1]);
    Some(event)
}

/// `SMTP call from (helo) [ip]:port I=[...]:25 dropped: too many nonmail commands (last was
/// "RSET")`. Exim ends the session with a 5xx reply it does not log; the client was refused, so
/// this is a reject, answering the last command when the line names it.
fn dropped(body: &str) -> Option<Event<'_>> {
    let after = body.strip_prefix("SMTP call ")?;
    let (_, after) = scan_fields(after);
    let after = after.strip_prefix("from ")?;
    let host_text = after.strip_prefix("H=").unwrap_or(after);
    let (host, len) = read_host_spec(host_text)?;
    let (_, rest) = scan_fields(&host_text[len..]);
    let reason = rest.strip_prefix("dropped: ")?;
    let mut event = Event::new(LogFormat::Exim, Direction::Inbound, Action::Rejected);
    event.remote_host = host.name;
    event.remote_ip = host.ip;
    let (text, last) = match LAST_FAILURE.find(reason) {
        Some(at) => (&reason[..at], &reason[at..]),
        None => (reason, ""),
    };
    event.text = Cow::Borrowed(text);
    if let Some(open) = last.find("was \"") {
        let command = &last[open + 5..];
        let end = find_byte(b'"', command).unwrap_or(command.len());
        event.stage = stage_of_command(&command[..end]);
    }
    event.settle_class();
    Some(event)
}

/// `Connection from [ip]:port refused: too many connections from that IP address`, `...
/// refused: load average = 9.87`, and `refused connection from H=... (host_reject_connection)`.
/// Exim answers the first kinds with a 421 it does not log: they are transient, as Postfix's
/// postscreen `too many connections` refusals are.
fn refused_connection(body: &str) -> Option<Event<'_>> {
    let (host_text, text) = if let Some(after) = body.strip_prefix("Connection from ") {
        let refused = WORD_REFUSED.find(after)?;
        let text = after[refused + " refused".len()..].trim_start_matches([':', ' ']);
        (after, text)
    } else {
        let at = REFUSED_CONNECTION_FROM.find(body)?;
        let after = &body[at + "refused connection from ".len()..];
        (after, body)
    };
    let host_text = host_text.strip_prefix("H=").unwrap_or(host_text);
    let (host, _) = read_host_spec(host_text)?;
    let mut event = Event::new(LogFormat::Exim, Direction::Inbound, Action::Rejected);
    event.remote_host = host.name;
    event.remote_ip = host.ip;
    event.stage = Some("CONNECT");
    event.text = Cow::Borrowed(text);
    event.settle_class();
    if TEMPORARILY.is_in(body) || TOO_MANY_CONNECTIONS.is_in(text) || LOAD_AVERAGE.is_in(text) {
        event.class = Class::Transient;
        event.permanence = event.class.permanence();
    }
    Some(event)
}

/// `1abc-... H=mx.example.org [192.0.2.1] Connection timed out` and `... H=mx.example.org
/// [192.0.2.1]: SMTP timeout after RCPT TO:<x>`: one server of several tried for a message
/// failed. The recipient's fate is the `==` or `**` line that follows, so this is a refusal by
/// one host, like Postfix's `connect to mx[ip]:25: ...`. Exim releases before 4.80 wrote the host
/// without `H=`.
///
/// The smtp transport writes nothing but the host between the message id and the error, never a
/// HELO name in parentheses or another field: those mark a line about a client of ours (an ACL
/// `logwrite` at DATA time, say), which is not read here.
fn per_host(body: &str) -> Option<Event<'_>> {
    if body.starts_with("SMTP error from remote mail")
        || body.starts_with("TLS error on connection to ")
    {
        return per_host_named_in_text(body);
    }
    let host_text = match body.strip_prefix("H=") {
        Some(host_text) => host_text,
        None => {
            let first = find_byte(b' ', body)?;
            if !body[first..].starts_with(" [") {
                return None;
            }
            body
        }
    };
    let (host, len) = read_host_spec(host_text)?;
    if host.ip.is_empty() || host_text.starts_with('(') || host_text[..len].contains(" (") {
        return None;
    }
    let after = &host_text[len..];
    let message = after
        .strip_prefix(':')
        .or_else(|| after.strip_prefix(' '))?
        .trim_start();
    if message.is_empty() || field_key_len(message).is_some() {
        return None;
    }
    let mut event = Event::new(LogFormat::Exim, Direction::Outbound, Action::Refused);
    event.remote_host = host.name;
    event.remote_ip = host.ip;
    read_outcome_text(&mut event, message);
    event.settle_class();
    Some(event)
}

/// `1abc-... SMTP error from remote mail server after MAIL FROM:<x> SIZE=n: host mx.example
/// [192.0.2.1]: 421 ...` and `1abc-... TLS error on connection to mx.example [192.0.2.1]
/// (gnutls_handshake): ...`: per-host failures as releases before 4.80 wrote them, with the
/// host inside the text instead of in front of it.
fn per_host_named_in_text(body: &str) -> Option<Event<'_>> {
    let mut event = Event::new(LogFormat::Exim, Direction::Outbound, Action::Refused);
    read_outcome_text(&mut event, body);
    if event.remote_ip.is_empty() {
        return None;
    }
    event.settle_class();
    Some(event)
}

mod problems;

use problems::Concern;
pub use problems::without_connection;

#[cfg(test)]
mod tests;
