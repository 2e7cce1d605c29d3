//! What Exim writes about itself and about mail it stopped trying: no outcome, but a postmaster
//! must see it. Exim writes no severity word, so the severity comes from what the sentence
//! says: a failed expansion, a tainted file name, a spool or scanner that cannot be reached is
//! this host's error; a client that broke TLS or SMTP is a warning, as Postfix words the same
//! events; a configuration Exim cannot read stops it. A message frozen is set aside, like
//! Postfix's held mail, until someone thaws or removes it.
//!
//! Only the first words decide (after any `H=`, `U=` or other fields before them), and only
//! on lines no outcome rule took, so the outcomes' path is not slowed.

use std::borrow::Cow;

use super::{closing_quote, field_key_len, find_byte, read_host_spec, read_value};
use crate::parse::diagnostic::Severity;
use crate::parse::diverted::Diversion;

/// How a sentence Exim wrote about itself is summed up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Concern {
    /// A problem of this host or of a peer, at this severity.
    Problem(Severity),
    /// A message set aside.
    SetAside(Diversion),
}

/// A sentence's first words and how it is summed up.
struct Phrase {
    start: &'static str,
    concern: Concern,
}

const fn problem(start: &'static str, severity: Severity) -> Phrase {
    Phrase {
        start,
        concern: Concern::Problem(severity),
    }
}

/// The sentences read, by their first words; the first that matches wins, so narrower ones
/// come first. `Message is frozen` and `Unfrozen ...` are not here: a queue run writes the
/// first for every frozen message it passes over, so counting it would count one freeze once
/// per queue run.
const PHRASES: &[Phrase] = &[
    Phrase {
        start: "Frozen",
        concern: Concern::SetAside(Diversion::Freeze),
    },
    // An ACL's `control = freeze`, local_scan(), or an administrator's `exim -Mf`.
    Phrase {
        start: "frozen by ",
        concern: Concern::SetAside(Diversion::Freeze),
    },
    // A process of Exim's stopped (Exim writes these with its panic-and-die flag): a
    // configuration it cannot read, a log it cannot write, a spool file it cannot create, an
    // expansion every session needs.
    problem("Exim configuration ", Severity::Fatal),
    problem("non-existent configuration file", Severity::Fatal),
    problem("spool_directory undefined", Severity::Fatal),
    problem("Cannot open main log file", Severity::Fatal),
    problem("Cannot open reject log file", Severity::Fatal),
    problem("failed to write to main log", Severity::Fatal),
    problem("failed to write to reject log", Severity::Fatal),
    problem("Failed to create spool file", Severity::Fatal),
    problem("Failed setting ownership on spool file", Severity::Fatal),
    problem("Cannot lock ", Severity::Fatal),
    problem("Expansion of ", Severity::Fatal),
    problem("Fork failed for local delivery", Severity::Fatal),
    problem("fork() failed when starting daemon", Severity::Fatal),
    problem(
        "fork of delivery process from queue runner",
        Severity::Fatal,
    ),
    problem("failed to create pipe in queue runner", Severity::Fatal),
    problem("no port specified for interface", Severity::Fatal),
    problem("IPv4 socket creation failed", Severity::Fatal),
    problem("IPv6 socket creation failed", Severity::Fatal),
    problem("listen() failed on interface", Severity::Fatal),
    problem("Taint mismatch", Severity::Fatal),
    // This host's errors: mail waits, or goes on without a check, until they are fixed.
    problem("socket bind() to port ", Severity::Error),
    problem("cannot accept message", Severity::Error),
    problem("local_scan() function ", Severity::Error),
    problem("invalid return ", Severity::Error),
    problem("acl_smtp_mime: ", Severity::Error),
    problem("User set without group", Severity::Error),
    problem("shadow transport ", Severity::Error),
    problem(
        "configured error code starts with incorrect digit",
        Severity::Error,
    ),
    problem("internal error: ", Severity::Error),
    problem("Couldn't ", Severity::Error),
    problem("getsockname() failed", Severity::Error),
    problem("attempt to ", Severity::Error),
    problem("Attempt to ", Severity::Error),
    problem("Process failed (", Severity::Error),
    problem("spool directory space check failed", Severity::Error),
    problem("log directory space check failed", Severity::Error),
    problem("Message abandoned: Spool write error", Severity::Error),
    problem("Spool write error", Severity::Error),
    problem("Format error in spool file", Severity::Error),
    problem("Error reading spool file", Severity::Error),
    problem("Spool error", Severity::Error),
    problem("Error in system filter", Severity::Error),
    problem("Tainted ", Severity::Error),
    problem("DKIM: signing failed", Severity::Error),
    problem("spam acl condition: ", Severity::Error),
    problem("malware acl condition: ", Severity::Error),
    problem(
        "lowest numbered MX record points to local host",
        Severity::Error,
    ),
    problem("remote host address is the local host", Severity::Error),
    problem("queue run: ", Severity::Error),
    problem("daemon: ", Severity::Error),
    problem("Failed to ", Severity::Error),
    problem("failed to ", Severity::Error),
    problem("Cannot open ", Severity::Error),
    problem("cannot open ", Severity::Error),
    // What peers did: Postfix writes the same events as warnings.
    problem("TLS error on connection from ", Severity::Warning),
    problem("TLS session failure", Severity::Warning),
    problem("TLS session: ", Severity::Warning),
    problem("DANE attempt failed", Severity::Warning),
    problem("host name alias list truncated", Severity::Warning),
    problem("ridiculously long message header", Severity::Warning),
    problem("overlong message header line", Severity::Warning),
    problem("Abandon queue run", Severity::Warning),
    problem("SMTP protocol error in ", Severity::Warning),
    problem("SMTP syntax error in ", Severity::Warning),
    problem("no host name found for IP address ", Severity::Warning),
    problem("no IP address found for host ", Severity::Warning),
    problem("ignoring AUTH=", Severity::Warning),
    problem("DNS list lookup defer", Severity::Warning),
];

crate::needles! {
    // A failed expansion: `Failed to expand`, `failed to expand`, `expansion of "..." failed`,
    // `... is not absolute after expansion`.
    EXPAN = "xpan";
    // `Tainted filename ...`, `attempt to use tainted value ...`.
    AINTED = "ainted";
    // `... transport process returned non-zero status` or `... vanished unexpectedly`.
    TRANSPORT_PROCESS = "transport process ";
}

/// Whether a sentence no first words named is an error of this host wherever the words that
/// tell it stand: most lines get here, so three searches stand for every phrase, and the
/// phrases are checked only on the rare lines one of them matched.
fn is_error_anywhere(text: &str) -> bool {
    (EXPAN.is_in(text)
        && (text.contains("ailed to expand")
            || text.contains("xpansion of ")
            || text.contains("after expansion")))
        || (AINTED.is_in(text) && (text.contains("Tainted ") || text.contains("tainted value")))
        || (TRANSPORT_PROCESS.is_in(text)
            && (text.contains("returned non-zero status") || text.contains("vanished")))
}

/// How the sentence `text` (the line after its message id and any fields before its first
/// word) is summed up, if it is one of Exim's sentences about itself.
pub(super) fn concern_of(text: &str) -> Option<Concern> {
    // Most lines that get here start with a letter no phrase starts with.
    if PHRASE_FIRST_BYTES[usize::from(*text.as_bytes().first()?)]
        && let Some(phrase) = PHRASES.iter().find(|phrase| text.starts_with(phrase.start))
    {
        // The daemon retries a port held by another program a few times, then gives up.
        if phrase.start.starts_with("socket bind()") && text.ends_with("daemon abandoned") {
            return Some(Concern::Problem(Severity::Fatal));
        }
        // A bounce that could not be written: the message is frozen with no `Frozen` line.
        if phrase.start.starts_with("Process failed") && text.ends_with(" (frozen)") {
            return Some(Concern::SetAside(Diversion::Freeze));
        }
        return Some(phrase.concern);
    }
    is_error_anywhere(text).then_some(Concern::Problem(Severity::Error))
}

/// The first bytes of [`PHRASES`].
static PHRASE_FIRST_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut i = 0;
    while i < PHRASES.len() {
        table[PHRASES[i].start.as_bytes()[0] as usize] = true;
        i += 1;
    }
    table
};

/// The fields that tell one kind from another: which router and transport, and the `AUTH=`
/// a client gave (its address is folded later). Every other field (the client, its port, the
/// duration, the commands it sent, the user) differs from line to line.
const KIND_FIELDS: [&str; 3] = ["R", "T", "AUTH"];

/// A sentence of Exim's without what tells one connection from another: a client or server
/// (`H=name (helo) [ip]:port`, or the same after `from ` or `to `) becomes `<host>`, fields
/// other than `R=` and `T=` are left out, and an SMTP command quoted in an error keeps only
/// its verb (`"AUTH PLAIN …"` would keep a password).
pub fn without_connection(message: &str) -> Cow<'_, str> {
    let mut kept = String::with_capacity(message.len());
    let mut rest = message;
    while !rest.is_empty() {
        let word_end = find_byte(b' ', rest).unwrap_or(rest.len());
        let after_preposition = kept.ends_with(" from ") || kept.ends_with(" to ");
        if let Some(host) = rest.strip_prefix("H=")
            && let Some((_, len)) = read_host_spec(host)
        {
            kept.push_str("<host>");
            rest = &host[len..];
        } else if after_preposition && let Some(len) = host_len(rest) {
            kept.push_str("<host>");
            rest = &rest[len..];
        } else if let Some(key_len) = field_key_len(rest)
            && is_exim_field(&rest[..key_len])
        {
            let (_, len) = read_value(&rest[key_len + 1..]);
            let taken = key_len + 1 + len;
            if KIND_FIELDS.contains(&&rest[..key_len]) {
                kept.push_str(&rest[..taken]);
            } else {
                // The space before the field goes with it.
                if kept.ends_with(' ') {
                    kept.pop();
                }
            }
            rest = &rest[taken..];
        } else if rest.starts_with('"')
            && kept.ends_with(" in ")
            && let Some(close) = closing_quote(rest, 0)
        {
            let command = &rest[1..close];
            let verb_end = find_byte(b' ', command).unwrap_or(command.len());
            kept.push('"');
            kept.push_str(&command[..verb_end]);
            if verb_end < command.len() {
                kept.push_str(" …");
            }
            kept.push('"');
            rest = &rest[close + 1..];
        } else {
            push_without_message_ids(&rest[..word_end], &mut kept);
            rest = &rest[word_end..];
        }
        // Exactly one space between words, whatever was taken out.
        let spaces = rest.len() - rest.trim_start_matches(' ').len();
        if spaces > 0 {
            if !kept.is_empty() && !kept.ends_with(' ') {
                kept.push(' ');
            }
            rest = &rest[spaces..];
        }
    }
    let mut kept = kept.trim_end();
    // Exim's reason for refusing a command may go on to quote what the client sent
    // (`malformed address: b@c> may not follow <a`).
    if (kept.starts_with("SMTP syntax error in ") || kept.starts_with("SMTP protocol error in "))
        && let Some(reason_at) = kept.find("<host> ")
        && let Some(colon) = kept[reason_at..].find(": ")
    {
        kept = &kept[..reason_at + colon];
    }
    if kept == message {
        Cow::Borrowed(message)
    } else {
        Cow::Owned(kept.to_string())
    }
}

/// Whether `key` names one of the fields Exim writes (`H`, `I`, `U`, `D`, `C`, `CV`, `QT`,
/// ...): all of them are capitals, while a sentence's own `pid=` or `size=` is not.
fn is_exim_field(key: &str) -> bool {
    key.bytes()
        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

/// Appends `word` with every Exim message id in it (`1sAbCq-0002aZ-8g`, or a spool file
/// `.../1sAbCq-0002aZ-8g-H`) written `<id>`: a kind must not split per message.
fn push_without_message_ids(word: &str, kept: &mut String) {
    let bytes = word.as_bytes();
    let mut copied = 0;
    let mut at = 0;
    // An id has its first dash at its seventh byte.
    while let Some(dash) = memchr::memchr(b'-', &bytes[at..]).map(|found| at + found) {
        at = dash + 1;
        let Some(start) = dash.checked_sub(6) else {
            continue;
        };
        if start < copied || (start > 0 && bytes[start - 1].is_ascii_alphanumeric()) {
            continue;
        }
        let Some(len) = message_id_len(&bytes[start..]) else {
            continue;
        };
        kept.push_str(&word[copied..start]);
        kept.push_str("<id>");
        copied = start + len;
        at = copied;
    }
    kept.push_str(&word[copied..]);
}

/// The length of the Exim message id `bytes` starts with, in either form (6-6-2 before 4.97,
/// 6-11-4 from it), when it does and nothing alphanumeric follows it.
fn message_id_len(bytes: &[u8]) -> Option<usize> {
    [[6, 6, 2], [6, 11, 4]].into_iter().find_map(|parts| {
        let mut at = 0;
        for (index, part) in parts.into_iter().enumerate() {
            if index > 0 {
                if bytes.get(at) != Some(&b'-') {
                    return None;
                }
                at += 1;
            }
            let run = bytes.get(at..at + part)?;
            if !run.iter().all(u8::is_ascii_alphanumeric) {
                return None;
            }
            at += part;
        }
        match bytes.get(at) {
            Some(next) if next.is_ascii_alphanumeric() => None,
            _ => Some(at),
        }
    })
}

/// The length of a host named after `from ` or `to `, when it is one: Exim always writes a
/// peer's address in brackets, which tells a host from `local process` or `alice@example.com
/// (frozen)`.
fn host_len(text: &str) -> Option<usize> {
    let (host, len) = read_host_spec(text)?;
    (!host.ip.is_empty()).then_some(len)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connections_and_fields_are_taken_out_of_a_kind() {
        for (message, expected) in [
            (
                "TLS error on connection from (client.example) [192.0.2.7]:50412 I=[198.51.100.1]:25 (SSL_accept): error:0A000102:SSL routines::unsupported protocol",
                "TLS error on connection from <host> (SSL_accept): error:0A000102:SSL routines::unsupported protocol",
            ),
            (
                "TLS error on connection from mail.example.net (mail.example.net) [2001:db8::7]:50412 I=[2001:db8::1]:465 (SSL_accept): timed out",
                "TLS error on connection from <host> (SSL_accept): timed out",
            ),
            (
                "SMTP protocol error in \"AUTH PLAIN dXNlcgB1c2VyAHNlY3JldA==\" H=(ylmf-pc) [203.0.113.9]:61000 I=[198.51.100.1]:25 AUTH command used when not advertised",
                "SMTP protocol error in \"AUTH …\" <host> AUTH command used when not advertised",
            ),
            (
                "SMTP syntax error in \"MAIL FROM:<a b@example.com>\" H=[203.0.113.9]:61000 U=nobody malformed address",
                "SMTP syntax error in \"MAIL …\" <host> malformed address",
            ),
            (
                "SMTP syntax error in \"MAIL FROM:<a b@c>\" H=(x) [203.0.113.9]:1234 I=[198.51.100.1]:25 malformed address: b@c> may not follow <a",
                "SMTP syntax error in \"MAIL …\" <host> malformed address",
            ),
            (
                "no host name found for IP address 203.0.113.9",
                "no host name found for IP address 203.0.113.9",
            ),
            (
                "Failed to expand \"${lookup{$local_part}lsearch{/etc/aliases}}\" R=aliases T=local: missing }",
                "Failed to expand \"${lookup{$local_part}lsearch{/etc/aliases}}\" R=aliases T=local: missing }",
            ),
            (
                "Format error in spool file 1sAbCq-0002aZ-8g-H: size=0",
                "Format error in spool file <id>-H: size=0",
            ),
            (
                "Spool error for /var/spool/exim4/input//1wKXhu-00000001j9B-2oEv-D: Permission denied",
                "Spool error for /var/spool/exim4/input//<id>-D: Permission denied",
            ),
            (
                "queue run: process 5140 crashed with signal 11 while delivering 1sAbD6-0002bV-c2",
                "queue run: process 5140 crashed with signal 11 while delivering <id>",
            ),
            (
                "failed to open DB file /var/spool/exim4/db/retry: Permission denied (euid=0 egid=0)",
                "failed to open DB file /var/spool/exim4/db/retry: Permission denied (euid=0 egid=0)",
            ),
            (
                "SMTP command timeout on connection from local process D=5m",
                "SMTP command timeout on connection from local process",
            ),
        ] {
            assert_eq!(without_connection(message), expected, "{message}");
        }
    }

    #[test]
    fn sentences_are_sorted_by_their_first_words() {
        use Concern::*;
        for (text, expected) in [
            (
                "Frozen (delivery error message)",
                Some(SetAside(Diversion::Freeze)),
            ),
            ("Frozen", Some(SetAside(Diversion::Freeze))),
            ("frozen by ACL", Some(SetAside(Diversion::Freeze))),
            ("Message is frozen", None),
            ("Unfrozen by forced delivery", None),
            (
                "TLS error on connection from [192.0.2.7] (SSL_accept): timed out",
                Some(Problem(Severity::Warning)),
            ),
            (
                "Exim configuration error in line 12 of /etc/exim4/exim4.conf:",
                Some(Problem(Severity::Fatal)),
            ),
            (
                "bounce_message_file is not absolute after expansion: 'x'",
                Some(Problem(Severity::Error)),
            ),
            (
                "H=(x) [192.0.2.7] F=<a@example.com> failed to expand ACL string \"${x}\"",
                Some(Problem(Severity::Error)),
            ),
            (
                "Spool file is locked (another process is handling this message)",
                None,
            ),
            ("Start queue run: pid=123", None),
        ] {
            assert_eq!(concern_of(text), expected, "{text}");
        }
    }
}
