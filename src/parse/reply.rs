//! Reading an SMTP reply as MTAs log it: the reply code and enhanced status code at its head,
//! the continuation prefixes of a folded multi-line reply, and the SMTP step it answered.
//!
//! Shared by the Postfix and Exim parsers; it knows no log format of its own.

use std::borrow::Cow;

use super::needle::find_byte;
use crate::codes::{EnhancedCode, parse_reply_code_prefix};

/// A reply split into its codes and its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply<'a> {
    /// The three-digit code of the first segment.
    pub code: Option<u16>,
    /// The enhanced status code right after it (or alone, as in Postfix cleanup rejects); in a
    /// folded reply whose first segment has none, the first of the reply's class that starts a
    /// later segment.
    pub enhanced: Option<EnhancedCode>,
    /// The text after the codes, with the continuation prefixes of later segments removed.
    pub text: Cow<'a, str>,
}

/// Splits a reply such as `550-5.1.1 The account ... 550-5.1.1 more ... 550 5.1.1 end`,
/// `421 Service not available`, `5.7.1 Spam rejected` or plain text with no code.
pub fn read_reply(reply: &str) -> Reply<'_> {
    let reply = reply.trim_start();
    let bytes = reply.as_bytes();
    let code = parse_reply_code_prefix(bytes);
    let mut pos = 0;
    let mut folded = false;
    if code.is_some() {
        folded = bytes.get(3) == Some(&b'-');
        pos = (3 + 1).min(reply.len());
    }
    // qmail and a few others write the enhanced code as `#5.1.1`.
    let enhanced_at = if bytes.get(pos) == Some(&b'#') {
        pos + 1
    } else {
        pos
    };
    let enhanced = match EnhancedCode::parse_prefix(&bytes[enhanced_at..]) {
        Some((enhanced, len)) => {
            pos = enhanced_at + len;
            Some(enhanced)
        }
        None => None,
    };
    let text = reply[pos..].trim_start_matches([' ', '\t']);
    let (text, mut enhanced) = match code {
        Some(code) if folded => strip_continuations(text, code, enhanced),
        _ => (Cow::Borrowed(text), enhanced),
    };
    if enhanced.is_none()
        && let Some(class @ (4 | 5)) = code.map(|c| c / 100)
    {
        enhanced = enhanced_in_text(&text, class as u8);
    }
    Reply {
        code,
        enhanced,
        text,
    }
}

/// An enhanced code of the reply's class written inside a failure's text rather than before it:
/// qmail's `(#5.1.1 - chkuser)`, `mailbox unavailable (5.1.1)`, `Transaction failed: 5.7.1
/// Message rejected`. It must stand as a word of its own, and its subject must be one RFC 3463
/// defines (0 to 7), so that a version such as `Exim 4.94.2` in a 4xx greeting is not taken for
/// one.
fn enhanced_in_text(text: &str, class: u8) -> Option<EnhancedCode> {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'0' + class, bytes).find_map(|at| {
        let starts_word = at == 0 || matches!(bytes[at - 1], b' ' | b'(' | b'#' | b'[' | b':');
        if !starts_word || bytes.get(at + 1) != Some(&b'.') {
            return None;
        }
        let (code, len) = EnhancedCode::parse_prefix(&bytes[at..])?;
        let ends_word = bytes
            .get(at + len)
            .is_none_or(|b| matches!(b, b' ' | b')' | b']' | b',' | b';'));
        (ends_word && code.subject <= 7).then_some(code)
    })
}

/// Removes ` 550-5.1.1 ` and the final ` 550 5.1.1 ` that a folded reply repeats before each of
/// its later lines, and gives the enhanced code of the reply. Only the first segment's exact code
/// (and enhanced code) is removed, so numbers that are part of the text stay.
///
/// Some servers start with a line that holds only their name (`554-mx.example.net`) and give the
/// enhanced code on the next: when the first segment has none, the first that follows a
/// continuation prefix and has the reply's class is the reply's, and is removed wherever it
/// follows one. An enhanced code of another class is text, as is one that follows no prefix.
fn strip_continuations(
    text: &str,
    code: u16,
    first: Option<EnhancedCode>,
) -> (Cow<'_, str>, Option<EnhancedCode>) {
    // Written out on the stack: this runs for every folded reply.
    let code_digits = [
        b'0' + (code / 100 % 10) as u8,
        b'0' + (code / 10 % 10) as u8,
        b'0' + (code % 10) as u8,
    ];
    let code_text = std::str::from_utf8(&code_digits).unwrap_or_default();
    let class = code_digits[0] - b'0';
    let mut enhanced = first;
    let mut out = String::new();
    let mut copied_to = 0;
    let mut search_from = 0;
    while let Some(found) = text[search_from..].find(code_text) {
        let start = search_from + found;
        search_from = start + 3;
        if start == 0 || text.as_bytes()[start - 1] != b' ' {
            continue;
        }
        let after = &text[start + 3..];
        let Some(separator) = after.as_bytes().first() else {
            break;
        };
        if *separator != b'-' && *separator != b' ' {
            continue;
        }
        let rest = &after.as_bytes()[1..];
        let repeated = EnhancedCode::parse_prefix(rest)
            .filter(|(_, len)| matches!(rest.get(*len), None | Some(b' ')));
        let mut prefix_len = 4;
        match (first, repeated) {
            (Some(want), Some((got, len))) if got == want => prefix_len += len + 1,
            // With an enhanced code in the first segment, every continuation repeats it: a bare
            // code here is part of the text (`450 messages waiting`).
            (Some(_), _) => continue,
            (None, Some((got, len)))
                if got.class == class && enhanced.is_none_or(|taken| taken == got) =>
            {
                enhanced = Some(got);
                prefix_len += len + 1;
            }
            (None, _) => {}
        }
        let mut end = (start + prefix_len).min(text.len());
        while text.as_bytes().get(end) == Some(&b' ') {
            end += 1;
        }
        // Keep one space between the joined lines.
        out.push_str(&text[copied_to..start]);
        copied_to = end;
        if !out.ends_with(' ') {
            out.push(' ');
        }
        search_from = end;
    }
    if copied_to == 0 {
        return (Cow::Borrowed(text), enhanced);
    }
    out.push_str(&text[copied_to..]);
    (Cow::Owned(out), enhanced)
}

/// Splits `TEXT (in reply to RCPT TO command)` into the text and the stage it names.
pub fn split_in_reply_to(text: &str) -> (&str, Option<&'static str>) {
    const OPEN: &str = " (in reply to ";
    if !text.ends_with(" command)") {
        return (text, None);
    }
    if let Some(open) = memchr::memrchr(b'(', text.as_bytes())
        .and_then(|paren| paren.checked_sub(1))
        .filter(|open| text[*open..].starts_with(OPEN))
    {
        let inner = &text[open + OPEN.len()..];
        if let Some(command) = inner.strip_suffix(" command)") {
            return (&text[..open], stage_of_command(command));
        }
    }
    (text, None)
}

/// The stage named by an SMTP command as logs write it: `RCPT TO`, `MAIL FROM`, `end of DATA`,
/// `EHLO`, `RCPT`, `END-OF-MESSAGE`, ...
pub fn stage_of_command(command: &str) -> Option<&'static str> {
    const STAGES: &[(&str, &str)] = &[
        ("CONNECT", "CONNECT"),
        ("GREETING", "CONNECT"),
        ("EHLO", "HELO"),
        ("HELO", "HELO"),
        ("LHLO", "HELO"),
        ("STARTTLS", "STARTTLS"),
        ("AUTH", "AUTH"),
        ("MAIL", "MAIL"),
        ("RCPT", "RCPT"),
        ("DATA", "DATA"),
        ("BDAT", "DATA"),
        ("END-OF-MESSAGE", "END-OF-DATA"),
        ("END-OF-DATA", "END-OF-DATA"),
        ("VRFY", "VRFY"),
        ("EXPN", "EXPN"),
        ("ETRN", "ETRN"),
        ("QUIT", "QUIT"),
        ("RSET", "RSET"),
        ("XCLIENT", "XCLIENT"),
        ("XFORWARD", "XFORWARD"),
        ("UNKNOWN", "UNKNOWN"),
    ];
    let command = command.trim();
    let first = command.split([' ', ':']).next().unwrap_or("");
    // Compared without regard to case and without a lower-cased copy: this runs for most
    // outcome lines.
    if let Some((_, stage)) = STAGES
        .iter()
        .find(|(name, _)| first.eq_ignore_ascii_case(name))
    {
        return Some(stage);
    }
    let has_data = || {
        command
            .as_bytes()
            .windows(4)
            .any(|w| w.eq_ignore_ascii_case(b"DATA"))
    };
    if first.eq_ignore_ascii_case("END") && has_data() {
        return Some("END-OF-DATA");
    }
    if command.eq_ignore_ascii_case("initial server greeting")
        || command.eq_ignore_ascii_case("initial connection")
    {
        Some("CONNECT")
    } else if command.eq_ignore_ascii_case("message body")
        || command.eq_ignore_ascii_case("end of data")
    {
        Some("END-OF-DATA")
    } else {
        None
    }
}

/// The stage named by Postfix's `... while receiving the initial server greeting`,
/// `... while sending RCPT TO`, `... while performing the EHLO handshake` and the like.
pub fn stage_of_while(text: &str) -> Option<&'static str> {
    let at = text.rfind(" while ")?;
    let what = text[at + 7..].trim_end_matches(')');
    let what = what.split(" -- ").next().unwrap_or(what);
    if what.contains("greeting") {
        return Some("CONNECT");
    }
    if what.contains("TLS") {
        return Some("STARTTLS");
    }
    if what.contains("EHLO") || what.contains("HELO") || what.contains("LHLO") {
        return Some("HELO");
    }
    if what.contains("end of data") || what.contains("message body") {
        return Some("END-OF-DATA");
    }
    let command = what
        .strip_prefix("sending ")
        .or_else(|| what.strip_prefix("receiving "))
        .or_else(|| what.strip_prefix("performing the "))
        .unwrap_or(what);
    stage_of_command(command)
}

/// A host as logs write it: `mx.example.org[203.0.113.10]:25`, `[2001:db8::1]:25`,
/// `mx1.example.com[private/dovecot-lmtp]`, `unknown[198.51.100.7]`, or a bare name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HostAddr<'a> {
    /// The name before the brackets (may be empty or `unknown`).
    pub name: &'a str,
    /// What is in the brackets: an IP address or a unix socket path.
    pub addr: &'a str,
    /// How many bytes of the input the host took, port included.
    pub len: usize,
}

/// Reads `name[addr]` or `name[addr]:port` at the start of `text`. The address is what lies
/// between the first `[` and the `]` that follows it, so IPv6 colons never confuse it.
pub fn read_host_addr(text: &str) -> Option<HostAddr<'_>> {
    let open = find_byte(b'[', text)?;
    let name = &text[..open];
    if name.bytes().any(|b| matches!(b, b' ' | b',' | b';')) {
        return None;
    }
    let close = open + find_byte(b']', &text[open..])?;
    // Postfix writes `unknown[unknown]` for a client whose address it never learnt.
    let addr = match &text[open + 1..close] {
        "unknown" => "",
        addr => addr,
    };
    let mut len = close + 1;
    let rest = &text.as_bytes()[len..];
    if rest.first() == Some(&b':') {
        let digits = rest[1..].iter().take_while(|b| b.is_ascii_digit()).count();
        if digits > 0 {
            len += 1 + digits;
        }
    }
    Some(HostAddr { name, addr, len })
}

/// Whether the text quotes a reply code followed by an enhanced code of the same class
/// (`550 5.1.1`, `451-4.7.1`): the mark of a line that carries an outcome even when no known
/// shape reads it, so that it is reported as unmatched rather than skipped.
pub fn mentions_reply_code(body: &str) -> bool {
    let bytes = body.as_bytes();
    // Anchored on the dot of the enhanced code: dots are rare in prose, so few places are
    // looked at closely.
    memchr::memchr_iter(b'.', bytes).any(|dot| {
        let Some(at) = dot.checked_sub(5) else {
            return false;
        };
        (at == 0 || bytes[at - 1] == b' ')
            && (b'2'..=b'5').contains(&bytes[at])
            && bytes[at + 1].is_ascii_digit()
            && bytes[at + 2].is_ascii_digit()
            && (bytes[at + 3] == b' ' || bytes[at + 3] == b'-')
            && bytes[at + 4] == bytes[at]
            && bytes.get(dot + 1).is_some_and(u8::is_ascii_digit)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(text: &str) -> Option<EnhancedCode> {
        text.parse().ok()
    }

    #[test]
    fn folded_gmail_reply_keeps_first_codes_and_drops_repeats() {
        let reply = read_reply(
            "550-5.1.1 The email account that you tried to reach does not exist. Please try \
             550-5.1.1 double-checking the recipient's email address for typos or 550-5.1.1 \
             unnecessary spaces. 550 5.1.1  https://support.google.com/mail/?p=NoSuchUser \
             x1si123 - gsmtp",
        );
        assert_eq!(reply.code, Some(550));
        assert_eq!(reply.enhanced, e("5.1.1"));
        assert_eq!(
            reply.text,
            "The email account that you tried to reach does not exist. Please try \
             double-checking the recipient's email address for typos or unnecessary spaces. \
             https://support.google.com/mail/?p=NoSuchUser x1si123 - gsmtp"
        );
    }

    #[test]
    fn folded_reply_without_enhanced_code() {
        let reply = read_reply("554-mx.example.net 554-Your host is listed 554 See the site");
        assert_eq!(reply.code, Some(554));
        assert_eq!(reply.enhanced, None);
        assert_eq!(
            reply.text,
            "mx.example.net Your host is listed See the site"
        );
    }

    #[test]
    fn enhanced_code_of_a_later_segment_when_the_first_has_none() {
        let reply = read_reply(
            "554-mx.example.net 554 5.7.1 Your access to this mail system has been rejected",
        );
        assert_eq!((reply.code, reply.enhanced), (Some(554), e("5.7.1")));
        assert_eq!(
            reply.text,
            "mx.example.net Your access to this mail system has been rejected"
        );
        let reply = read_reply("550-mx.example.net 550-5.7.1 Blocked 550-5.7.1 see 550 5.7.1 site");
        assert_eq!(reply.enhanced, e("5.7.1"));
        assert_eq!(reply.text, "mx.example.net Blocked see site");
        // Taken from the first segment that has one; a different one later is text.
        let reply = read_reply("451-Greylisted 451-4.7.1 Try later 451 4.7.0 Bye");
        assert_eq!(reply.enhanced, e("4.7.1"));
        assert_eq!(reply.text, "Greylisted Try later 4.7.0 Bye");
    }

    #[test]
    fn enhanced_code_of_another_class_is_not_taken_and_one_in_the_text_is() {
        let reply = read_reply("554-mx.example.net 554 2.0.0 odd");
        assert_eq!(reply.enhanced, None);
        assert_eq!(reply.text, "mx.example.net 2.0.0 odd");
        // A code of the reply's class standing as a word anywhere in the text is its enhanced
        // code; the text is left as the server wrote it.
        let reply = read_reply("554-mx.example.net see RFC 5.7.1 554 end");
        assert_eq!(reply.enhanced, e("5.7.1"));
        let reply = read_reply("554 mx.example.net 5.7.1 Your access has been rejected");
        assert_eq!((reply.code, reply.enhanced), (Some(554), e("5.7.1")));
        assert_eq!(
            reply.text,
            "mx.example.net 5.7.1 Your access has been rejected"
        );
        let reply = read_reply("554 mx.example.net 554 5.7.1 not folded");
        assert_eq!(reply.enhanced, e("5.7.1"));
        assert!(matches!(reply.text, Cow::Borrowed(_)));
        // Successes are not searched, nor is a code of another class, a version or an IP.
        for (text, code) in [
            ("250 ok 2.0.0 queued", 250),
            ("451 Exim 4.94.2 busy", 451),
            ("451 retry 5.7.1 later", 451),
            ("550 host 5.1.1.9 listed", 550),
            ("550 x5.1.1 y", 550),
        ] {
            let reply = read_reply(text);
            assert_eq!((reply.code, reply.enhanced), (Some(code), None), "{text}");
        }
    }

    #[test]
    fn single_line_reply_is_borrowed_and_keeps_numbers_in_text() {
        let reply = read_reply("452 4.2.2 Mailbox full, 452 messages waiting");
        assert_eq!(reply.code, Some(452));
        assert_eq!(reply.enhanced, e("4.2.2"));
        assert!(matches!(reply.text, Cow::Borrowed(_)));
        assert_eq!(reply.text, "Mailbox full, 452 messages waiting");
    }

    #[test]
    fn enhanced_code_alone_or_with_hash() {
        let reply = read_reply("5.7.1 Spam subject rejected");
        assert_eq!((reply.code, reply.enhanced), (None, e("5.7.1")));
        let reply = read_reply("553 #5.1.8 Domain of sender does not exist");
        assert_eq!((reply.code, reply.enhanced), (Some(553), e("5.1.8")));
        assert_eq!(reply.text, "Domain of sender does not exist");
        let reply = read_reply("Connection timed out");
        assert_eq!((reply.code, reply.enhanced), (None, None));
    }

    #[test]
    fn stage_from_in_reply_to() {
        let (text, stage) = split_in_reply_to("550 5.1.1 nope (in reply to RCPT TO command)");
        assert_eq!((text, stage), ("550 5.1.1 nope", Some("RCPT")));
        assert_eq!(
            split_in_reply_to("x (in reply to end of DATA command)").1,
            Some("END-OF-DATA")
        );
        assert_eq!(
            split_in_reply_to("x (in reply to MAIL FROM command)").1,
            Some("MAIL")
        );
        assert_eq!(
            split_in_reply_to("x (in reply to EHLO command)").1,
            Some("HELO")
        );
        assert_eq!(split_in_reply_to("no stage here").1, None);
    }

    #[test]
    fn stage_from_while_clauses() {
        let s = |t| stage_of_while(t);
        assert_eq!(
            s("lost connection with x[1.2.3.4] while receiving the initial server greeting"),
            Some("CONNECT")
        );
        assert_eq!(
            s("conversation with x timed out while sending RCPT TO"),
            Some("RCPT")
        );
        assert_eq!(
            s(
                "lost connection with x while sending end of data -- message may be sent more than once"
            ),
            Some("END-OF-DATA")
        );
        assert_eq!(
            s("timed out while performing the EHLO handshake"),
            Some("HELO")
        );
        assert_eq!(s("Connection timed out"), None);
    }

    #[test]
    fn host_addresses_of_every_shape() {
        let h = read_host_addr("mx.example.org[203.0.113.10]:25, delay=1").unwrap();
        assert_eq!(
            (h.name, h.addr, h.len),
            ("mx.example.org", "203.0.113.10", 31)
        );
        let h = read_host_addr("aspmx.l.google.com[2607:f8b0:4004:c1b::1a]:25").unwrap();
        assert_eq!(h.addr, "2607:f8b0:4004:c1b::1a");
        let h = read_host_addr("mx1.example.com[private/dovecot-lmtp], delay").unwrap();
        assert_eq!(
            (h.name, h.addr),
            ("mx1.example.com", "private/dovecot-lmtp")
        );
        let h = read_host_addr("[198.51.100.23]:51234: 550").unwrap();
        assert_eq!((h.name, h.addr, h.len), ("", "198.51.100.23", 21));
        assert!(read_host_addr("none, delay=3").is_none());
    }
}
