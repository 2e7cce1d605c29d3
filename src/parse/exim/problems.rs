//! What Exim writes about itself and about mail it stopped trying: no outcome, but a postmaster
//! must see it. Exim writes no severity word, so the severity comes from what the sentence
//! says: a failed expansion, a tainted file name, a spool or scanner that cannot be reached is
//! this host's error; a client that broke TLS or SMTP is a warning, as Postfix words the same
//! events; a configuration Exim cannot read stops it. A message frozen is set aside, like
//! Postfix's held mail, until someone thaws or removes it.
//!
//! The first words decide (after any `H=`, `U=` or other fields before them); a few errors
//! that Exim words with the option's name first (`home directory "..." failed to expand`) are
//! known by the words right after that name. Only lines no outcome rule took are read, so the
//! outcomes' path is not slowed.

use std::borrow::Cow;

use super::{closing_quote, field_key_len, find_byte, message_id_len, read_host_spec, read_value};
use crate::parse::diagnostic::Severity;
use crate::parse::diverted::Diversion;
use crate::parse::restart::Restart;

/// How a sentence Exim wrote about itself is summed up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Concern {
    /// A problem of this host or of a peer, at this severity.
    Problem(Severity),
    /// A message set aside.
    SetAside(Diversion),
}

/// A start, reload or stop as Exim writes it: what it said, and the version it named.
pub(super) struct Restarted<'a> {
    pub event: Restart,
    pub said: &'a str,
    pub version: &'a str,
}

/// The listening daemon starting, re-reading its configuration or stopping (`exim 4.96 daemon
/// started: pid=..., listening for SMTP on ...`, `pid 1021: SIGHUP received: re-exec daemon`,
/// `exim 4.96 daemon terminating, inetd wait timeout reached.`), from the line after its time
/// (these lines name no message and have no fields). A daemon that only runs the queue (`not
/// listening for SMTP`) takes no mail in, and is left out. Exim writes nothing when it is
/// stopped by a signal, and writes a start again after each reload, with the same pid.
pub(super) fn restart_of(text: &str) -> Option<Restarted<'_>> {
    let restarted = |event, said, version| {
        Some(Restarted {
            event,
            said,
            version,
        })
    };
    if let Some(rest) = text.strip_prefix("exim ") {
        let (version, said) = rest.split_once(' ')?;
        if let Some(how) = said.strip_prefix("daemon started: ") {
            let listening = how.contains("listening for ") && !how.contains("not listening for ")
                || how.contains("launched with listening socket");
            return if listening {
                restarted(Restart::Start, "daemon started", version)
            } else {
                None
            };
        }
        if said.starts_with("daemon terminating") {
            return restarted(Restart::Stop, "daemon terminating", version);
        }
    } else if let Some(rest) = text.strip_prefix("pid ") {
        let (_, said) = rest.split_once(": ")?;
        if said.starts_with("SIGHUP received") {
            return restarted(Restart::Reload, said, "");
        }
    }
    None
}

/// The first words of the sentences Exim writes when it freezes a message: `Frozen`, with
/// what froze it after (`(delivery error message)`, `by the system filter: ...`), or `frozen
/// by ACL`, `by local_scan()` or by an administrator's `exim -Mf`. `Message is frozen` and
/// `Unfrozen ...` are not here: a queue run writes the first for every frozen message it
/// passes over, so counting it would count one freeze once per queue run.
const FREEZES: &[&str] = &["Frozen", "frozen by "];

/// A process of Exim's stopped (Exim writes these with its panic-and-die flag): a
/// configuration it cannot read, a log it cannot write, a spool file it cannot create, an
/// expansion every session needs.
const FATAL: &[&str] = &[
    "failed to set socket NODELAY",
    "failed to dup inetd socket",
    "Exim configuration ",
    "non-existent configuration file",
    "spool_directory undefined",
    "Cannot open main log file",
    "Cannot open reject log file",
    "failed to write to main log",
    "failed to write to reject log",
    "Failed to create spool file",
    "Failed setting ownership on spool file",
    "Cannot lock ",
    "Expansion of ",
    "Fork failed for local delivery",
    "fork() failed when starting daemon",
    "fork of delivery process from queue runner",
    "failed to create pipe in queue runner",
    "no port specified for interface",
    "IPv4 socket creation failed",
    "IPv6 socket creation failed",
    "listen() failed on interface",
    "Taint mismatch",
];

/// What peers did, and spamd's own warnings (a setting it could not use, one server of
/// several failing): Postfix writes the same events as warnings.
const WARNINGS: &[&str] = &[
    "spam acl condition: warning",
    "spam acl condition: spamd: ",
    "TLS error on connection from ",
    "TLS session failure",
    "TLS session: ",
    "DANE attempt failed",
    "host name alias list truncated",
    "ridiculously long message header",
    "overlong message header line",
    "Abandon queue run",
    "SMTP protocol error in ",
    "SMTP syntax error in ",
    "no host name found for IP address ",
    "no IP address found for host ",
    "ignoring AUTH=",
    "DNS list lookup defer",
];

/// This host's errors: mail waits, or goes on without a check, until they are fixed. Read
/// after [`FATAL`] and [`WARNINGS`], whose narrower phrases some of these begin.
const ERRORS: &[&str] = &[
    // The local_scan() built into this Exim crashed, timed out or answered nonsense: the
    // client was refused with a temporary error, and the line names no client.
    "local_scan() function ",
    "invalid return ",
    "expansion of ",
    "socket bind() to port ",
    "cannot accept message",
    "acl_smtp_mime: ",
    "User set without group",
    "shadow transport ",
    "configured error code starts with incorrect digit",
    "internal error: ",
    "Couldn't open ",
    "Couldn't fdopen ",
    "Couldn't set perms ",
    "getsockname() failed",
    "attempt to use tainted ",
    "attempt to expand tainted ",
    "attempt to open journal",
    "Attempt to open msglog",
    "Process failed (",
    "spool directory space check failed",
    "log directory space check failed",
    "Message abandoned: Spool write error",
    "Spool write error",
    "Format error in spool file",
    "Error reading spool file",
    "Spool error",
    "Error in system filter",
    "Tainted ",
    "DKIM: signing failed",
    "spam acl condition: ",
    "malware acl condition: ",
    "lowest numbered MX record points to local host",
    "remote host address is the local host",
    "queue run: process ",
    "queue run: unexpected data",
    "queue run: error on pipe",
    "daemon: ",
    "Failed to expand",
    "Failed to open ",
    "Failed to create ",
    "Failed to get ",
    "Failed writing ",
    "failed to expand",
    "failed to open ",
    "failed to create ",
    "failed to read ",
    "failed to update journal",
    "failed to fsync",
    "failed to parse address",
    "failed to find ",
    "Cannot open ",
    "cannot open ",
];

/// The lists of first words, in the order they are read, and how their sentences are summed
/// up.
const PHRASES: [(&[&str], Concern); 4] = [
    (FREEZES, Concern::SetAside(Diversion::Freeze)),
    (FATAL, Concern::Problem(Severity::Fatal)),
    (WARNINGS, Concern::Problem(Severity::Warning)),
    (ERRORS, Concern::Problem(Severity::Error)),
];

/// Whether `text` is one of the errors Exim words with the option or transport first, so that
/// no first words tell them: `home directory "..." failed to expand for local_delivery
/// transport: ...`, `bounce_message_file is not absolute after expansion: '...'`,
/// `appendfile transport process returned non-zero status 0x000b: terminated by signal 11`.
/// Only the words after the first are read, so a client's text later in a line never counts.
pub(super) fn is_error_named_after_its_option(text: &str) -> bool {
    let Some((first, said)) = text.split_once(' ') else {
        return false;
    };
    if !first
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_')
    {
        return false;
    }
    match first {
        "home" | "current" => {
            said.starts_with("directory ")
                && (said.contains("\" failed to expand for ")
                    || said.contains("\" is not absolute for "))
        }
        _ => {
            said.starts_with("transport process returned non-zero status")
                || said.starts_with("transport process vanished unexpectedly")
                || (said.starts_with("is not ") && said.contains(" after expansion: '"))
        }
    }
}

/// How the sentence `text` (the line after its message id and any fields before its first
/// word) is summed up, if it is one of Exim's sentences about itself.
pub(super) fn concern_of(text: &str) -> Option<Concern> {
    // Most lines that get here start with a letter no phrase starts with.
    if !PHRASE_FIRST_BYTES[usize::from(*text.as_bytes().first()?)] {
        return None;
    }
    let (start, concern) = PHRASES.iter().find_map(|(starts, concern)| {
        let start = starts.iter().find(|start| text.starts_with(*start))?;
        Some((*start, *concern))
    })?;
    // The daemon retries a port held by another program a few times, then gives up.
    if start.starts_with("socket bind()") && text.ends_with("daemon abandoned") {
        return Some(Concern::Problem(Severity::Fatal));
    }
    // A bounce that could not be written: the message is frozen with no `Frozen` line.
    if start.starts_with("Process failed") && text.ends_with(" (frozen)") {
        return Some(Concern::SetAside(Diversion::Freeze));
    }
    // The daemon's own failures say so; anything else after `daemon: ` may be a `logwrite`
    // of someone's.
    if start == "daemon: " && !(text.contains(" failed") || text.contains("couldn't")) {
        return None;
    }
    Some(concern)
}

/// The first bytes of every phrase in [`PHRASES`].
static PHRASE_FIRST_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut group = 0;
    while group < PHRASES.len() {
        let starts = PHRASES[group].0;
        let mut i = 0;
        while i < starts.len() {
            table[starts[i].as_bytes()[0] as usize] = true;
            i += 1;
        }
        group += 1;
    }
    table
};

/// The fields that tell one kind from another: which router and transport. Every other field
/// (the client, its port, the duration, the commands it sent, the user, an `AUTH=` value)
/// differs from line to line.
const KIND_FIELDS: [&str; 2] = ["R", "T"];

/// The SMTP verbs a kind keeps of a command quoted in an error; any other first word is what
/// a client sent in place of one (a password after `AUTH LOGIN`, an HTTP request, bytes of a
/// TLS handshake).
const SMTP_VERBS: [&str; 16] = [
    "HELO", "EHLO", "MAIL", "RCPT", "DATA", "BDAT", "RSET", "NOOP", "QUIT", "VRFY", "EXPN", "HELP",
    "AUTH", "STARTTLS", "ETRN", "ATRN",
];

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
            } else if &rest[..key_len] == "AUTH" {
                kept.push_str("AUTH=…");
            } else {
                // The space before the field goes with it.
                if kept.ends_with(' ') {
                    kept.pop();
                }
            }
            rest = &rest[taken..];
        } else if rest.starts_with('"')
            && (kept == "SMTP syntax error in " || kept == "SMTP protocol error in ")
            && let Some(close) = rest
                .rfind("\" H=")
                .or_else(|| rest.rfind("\" U="))
                .or_else(|| closing_quote(rest, 0))
        {
            // Exim does not escape a quote inside the command, so the quote that closes it is
            // the one before the last `H=` (or `U=`, in a local session): the client may write
            // those words too, but before Exim's own.
            let command = &rest[1..close];
            let verb_end = find_byte(b' ', command).unwrap_or(command.len());
            let verb = &command[..verb_end];
            kept.push('"');
            if SMTP_VERBS
                .iter()
                .any(|known| verb.eq_ignore_ascii_case(known))
            {
                kept.push_str(&verb.to_ascii_uppercase());
                if verb_end < command.len() {
                    kept.push_str(" …");
                }
            } else {
                kept.push('…');
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
    // A tainted value holds a mailbox or a domain of the message's, anywhere in its path
    // (`/etc/exim/domains/example.com/aliases`).
    let without_values;
    if kept.contains("Tainted ") && kept.contains('\'') {
        without_values = without_quoted_values(kept);
        kept = &without_values;
    }
    // Exim's reason for refusing a command may go on to quote what the client sent
    // (`malformed address: b@c> may not follow <a`).
    if kept.starts_with("SMTP syntax error in \"") || kept.starts_with("SMTP protocol error in \"")
    {
        // The reason follows the folded command (and the client, when there is one).
        let command_end = kept.find("\" ").map_or(kept.len(), |quote| quote + 2);
        if let Some(colon) = kept[command_end..].find(": ") {
            kept = &kept[..command_end + colon];
        }
    }
    if kept == message {
        Cow::Borrowed(message)
    } else {
        Cow::Owned(kept.to_string())
    }
}

/// `text` with what each pair of single quotes holds written `…`.
fn without_quoted_values(text: &str) -> String {
    let mut kept = String::with_capacity(text.len());
    let mut parts = text.split('\'');
    kept.push_str(parts.next().unwrap_or(""));
    let mut inside = true;
    for part in parts {
        kept.push('\'');
        kept.push_str(if inside { "…" } else { part });
        inside = !inside;
    }
    kept
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
    // With split_spool_directory, a message's files sit in a directory named after one
    // character of its id: `input/r/<id>-D`.
    let is_path = memchr::memchr(b'/', word.as_bytes()).is_some();
    for spool in ["/input/", "/msglog/"].into_iter().filter(|_| is_path) {
        if let Some(at) = word.find(spool) {
            let after = at + spool.len();
            let bytes = word.as_bytes();
            if bytes.get(after).is_some_and(u8::is_ascii_alphanumeric)
                && bytes.get(after + 1) == Some(&b'/')
            {
                push_without_message_ids(&word[..after], kept);
                kept.push_str("<dir>");
                push_without_message_ids(&word[after + 1..], kept);
                return;
            }
        }
    }
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
        // Nothing alphanumeric may follow an id (`-H` may: the spool file's suffix).
        let Some(len) = message_id_len(&bytes[start..]).filter(|len| {
            !bytes
                .get(start + len)
                .is_some_and(u8::is_ascii_alphanumeric)
        }) else {
            continue;
        };
        kept.push_str(&word[copied..start]);
        kept.push_str("<id>");
        copied = start + len;
        at = copied;
    }
    kept.push_str(&word[copied..]);
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
                "SMTP syntax error in \"c2VjcmV0cGFzc3dvcmQ=\" H=(x) [203.0.113.9]:5000 I=[198.51.100.1]:25 unrecognized command",
                "SMTP syntax error in \"…\" <host> unrecognized command",
            ),
            (
                "SMTP syntax error in \"MAIL FROM:<a\" b@c>\" H=(x) [203.0.113.9] malformed address: x",
                "SMTP syntax error in \"MAIL …\" <host> malformed address",
            ),
            (
                "ignoring AUTH=xyz123 from H=(laptop) [203.0.113.200] (client not authenticated)",
                "ignoring AUTH=… from <host> (client not authenticated)",
            ),
            (
                "Tainted filename '/home/alice.smith/.forward'",
                "Tainted filename '…'",
            ),
            (
                "H=stp.example [192.0.2.96] Tainted filename for search: '/etc/exim/domains/beta.example/aliases'",
                "<host> Tainted filename for search: '…'",
            ),
            (
                "SMTP syntax error in \"MAIL FROM:<bob smith@example.com>\" U=www-data malformed address: smith@example.com> may not follow <bob",
                "SMTP syntax error in \"MAIL …\" malformed address",
            ),
            (
                "SMTP syntax error in \"ehlo x\" H=(x) [203.0.113.9]:1 I=[198.51.100.1]:25 unrecognized command",
                "SMTP syntax error in \"EHLO …\" <host> unrecognized command",
            ),
            (
                "SMTP syntax error in \"MAIL FROM:<a\" H=zz-evil-1>\" H=(x) [203.0.113.9]:1 I=[198.51.100.1]:25 malformed address",
                "SMTP syntax error in \"MAIL …\" <host> malformed address",
            ),
            (
                "configured error code starts with incorrect digit (expected 5) in \"451 4.7.1 Try later\"",
                "configured error code starts with incorrect digit (expected 5) in \"451 4.7.1 Try later\"",
            ),
            (
                "Spool error for /var/spool/exim4/input/r/1sAbDb-0002c5-m7-D: Permission denied",
                "Spool error for /var/spool/exim4/input/<dir>/<id>-D: Permission denied",
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
    fn errors_worded_with_the_option_first_are_found_but_not_in_a_clients_text() {
        for text in [
            "bounce_message_file is not absolute after expansion: 'x'",
            "home directory \"/home/${if <{1}{2}{x}{y}}\" failed to expand for local_delivery transport: x",
            "appendfile transport process returned non-zero status 0x000b: terminated by signal 11",
        ] {
            assert!(is_error_named_after_its_option(text), "{text}");
        }
        for text in [
            "<host> incomplete transaction (QUIT) from <\"Tainted x\"@evil.example>",
            "incomplete transaction (RSET) from <host> for \"failed to expand\"@example.org",
            "SA: Action: Message-Id: failed to expand x",
        ] {
            assert!(!is_error_named_after_its_option(text), "{text}");
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
            ("cwd=/root 4 args: exim -be", None),
            (
                "spam acl condition: warning - invalid spamd parameter: 'x'",
                Some(Problem(Severity::Warning)),
            ),
            ("Failed to verify sender alice@example.com via SPF", None),
            ("daemon: started my own thing", None),
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
