//! Recognised reply texts: blocklists, greylisting, sender authentication, provider-specific
//! replies of Google, Microsoft, Yahoo and others, and the stock rejects of Postfix.
//!
//! Every pattern is a case-insensitive regular expression; all of them are compiled once into a
//! single set. The table is ordered from the most specific to the most general and the
//! first pattern that matches wins, so a provider's own wording beats a generic phrase that the
//! same text also contains. Each entry carries a reply line it must match and a near miss it must
//! not, which the tests check. This file does not decide how a match combines with the codes;
//! [`super::classify`] does.

use std::sync::{LazyLock, Mutex};

use regex_automata::meta::{self, Regex};
use regex_automata::util::syntax;
use regex_automata::{Input, MatchKind, PatternSet};

use crate::codes::{Direction, EnhancedCode};

/// One recognised reply text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TextPattern {
    /// A stable snake_case identifier.
    pub id: &'static str,
    /// The reason category it gives (see [`super::REASONS`]).
    pub reason: &'static str,
    /// The reason when our own server sent the text to a client, where the same words mean
    /// something else (see [`TextPattern::reason_for`]).
    pub reason_when_sent: Option<&'static str>,
    /// The provider or software whose wording it is, where that is known.
    pub provider: Option<&'static str>,
    /// The regular expression, matched case-insensitively anywhere in the reply text.
    pub regex: &'static str,
    /// A short title for reports.
    pub title: &'static str,
    /// What the text tells beyond the codes.
    pub meaning: &'static str,
    /// How to fix it; when a remote server sent it this is the only advice.
    pub fix: &'static str,
    /// How to fix it when our own server sent it to a client, where that differs.
    pub fix_when_sent: Option<&'static str>,
    /// The provider's or list's self-service page.
    pub link: Option<&'static str>,
    /// A reply line of the usual shape that this pattern must recognise.
    pub example: &'static str,
    /// A similar line that this pattern must not match.
    pub near_miss: &'static str,
    /// The enhanced status codes the provider documents for this reply, such as `4.7.28`, or a
    /// range of details such as `5.7.606-649`. Empty for wording that is not tied to a code.
    pub codes: &'static [&'static str],
    /// The only reply code the wording means this with, where the same words come with other
    /// codes for other causes.
    pub only_reply: Option<u16>,
}

impl TextPattern {
    /// True when the provider documents `code` for this reply (see [`TextPattern::codes`]).
    pub fn claims(&self, code: EnhancedCode) -> bool {
        self.codes.iter().any(|spec| spec_matches(spec, code))
    }

    /// Whether the wording means what this pattern says in a reply with this code.
    pub fn fits(&self, reply_code: Option<u16>) -> bool {
        self.only_reply.is_none() || self.only_reply == reply_code
    }

    /// The reason for one direction.
    pub fn reason_for(&self, direction: Direction) -> &'static str {
        match direction {
            Direction::Outbound => self.reason,
            Direction::Inbound => self.reason_when_sent.unwrap_or(self.reason),
        }
    }

    /// The advice for one direction.
    pub fn fix_for(&self, direction: Direction) -> &'static str {
        match direction {
            Direction::Outbound => self.fix,
            Direction::Inbound => self.fix_when_sent.unwrap_or(self.fix),
        }
    }

    const fn new(
        id: &'static str,
        provider: Option<&'static str>,
        reason: &'static str,
        regex: &'static str,
    ) -> Self {
        TextPattern {
            id,
            reason,
            reason_when_sent: None,
            provider,
            regex,
            title: "",
            meaning: "",
            fix: "",
            fix_when_sent: None,
            link: None,
            example: "",
            near_miss: "",
            codes: &[],
            only_reply: None,
        }
    }

    const fn only_with(mut self, reply_code: u16) -> Self {
        self.only_reply = Some(reply_code);
        self
    }

    const fn codes(mut self, codes: &'static [&'static str]) -> Self {
        self.codes = codes;
        self
    }

    const fn says(mut self, title: &'static str, meaning: &'static str) -> Self {
        self.title = title;
        self.meaning = meaning;
        self
    }

    const fn fix(mut self, fix: &'static str) -> Self {
        self.fix = fix;
        self
    }

    const fn reason_when_sent(mut self, reason: &'static str) -> Self {
        self.reason_when_sent = Some(reason);
        self
    }

    const fn sent(mut self, fix: &'static str) -> Self {
        self.fix_when_sent = Some(fix);
        self
    }

    const fn link(mut self, link: &'static str) -> Self {
        self.link = Some(link);
        self
    }

    const fn test(mut self, example: &'static str, near_miss: &'static str) -> Self {
        self.example = example;
        self.near_miss = near_miss;
        self
    }
}

/// True when `spec` (`4.7.28`, or `5.7.606-649` for a range of details) covers `code`.
/// A spec that does not parse covers nothing; a test checks that every spec in the table parses.
pub(crate) fn spec_matches(spec: &str, code: EnhancedCode) -> bool {
    let (first, last) = match spec.split_once('-') {
        Some((first, last)) => (first, last.parse::<u16>().ok()),
        None => (spec, None),
    };
    let Ok(first) = first.parse::<EnhancedCode>() else {
        return false;
    };
    let last = last.unwrap_or(first.detail);
    first.class == code.class
        && first.subject == code.subject
        && (first.detail..=last).contains(&code.detail)
}

/// The first pattern, in table order, that matches `text` in a reply of `reply_code` (see
/// [`TextPattern::fits`]).
pub(crate) fn find(text: &str, reply_code: Option<u16>) -> Option<&'static TextPattern> {
    thread_local! {
        static FOLDED: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    FOLDED.with(|folded| {
        let mut folded = folded.borrow_mut();
        fold(text, &mut folded);
        find_folded(&folded, reply_code)
    })
}

/// [`find`] over a text already [`fold`]ed.
///
/// One pass of the set over the text: most texts that reach here match a pattern, so a
/// separate "does anything match" pass first would only scan them twice.
pub(crate) fn find_folded(folded: &[u8], reply_code: Option<u16>) -> Option<&'static TextPattern> {
    if folded.is_empty() {
        return None;
    }
    SET.first_match(folded, |i| PATTERNS[i].fits(reply_code))
        .map(|i| &PATTERNS[i])
}

/// Writes `text` into `out` as the patterns read it: in lower case, with what names one
/// message, one recipient or one client left out: the local part of every `<local@domain>`;
/// and, each written as `#`, every IPv4 address but the loopback answers of blocklists, every
/// bracketed IPv6 address (`[IPv6:2001:db8::1]`), every word of ten or more letters and digits
/// mixing both (the tracking ids of Gmail, Microsoft and most large providers), and every
/// ISO 8601 time.
///
/// None of these decide what a reply means, and a mailbox called `blocked.user` must not read
/// as a block. Leaving them out also makes the replies a server gives for thousands of
/// recipients one text, which the per-thread memory of answers then recognises.
pub(crate) fn fold(text: &str, out: &mut Vec<u8>) {
    out.clear();
    out.reserve(text.len());
    let bytes = text.as_bytes();
    let lower = |out: &mut Vec<u8>, part: &[u8]| {
        out.extend(part.iter().map(u8::to_ascii_lowercase));
    };
    // Most of a reply is words without digits, copied in runs; only a digit, a `<` or a `[`
    // can start something to leave out.
    let mut copied = 0;
    let mut at = 0;
    while let Some(offset) = bytes[at..]
        .iter()
        .position(|b| MAY_START_NOISE[usize::from(*b)])
    {
        let found = at + offset;
        match bytes[found] {
            b'<' => {
                let local_part = address_local_part(&bytes[found + 1..]);
                if local_part > 0 {
                    lower(out, &bytes[copied..=found]);
                    copied = found + 1 + local_part;
                }
                at = found + 1 + local_part;
            }
            b'[' => {
                let address = bracketed_ipv6_len(&bytes[found + 1..]);
                if address > 0 {
                    lower(out, &bytes[copied..=found]);
                    out.push(b'#');
                    copied = found + 1 + address;
                }
                at = found + 1 + address;
            }
            _ => {
                let word_start = found
                    - bytes[copied..found]
                        .iter()
                        .rev()
                        .take_while(|b| b.is_ascii_alphanumeric())
                        .count();
                let word_end = found
                    + bytes[found..]
                        .iter()
                        .take_while(|b| b.is_ascii_alphanumeric())
                        .count();
                let rest = &bytes[word_start..];
                let after_dot = word_start > 0 && bytes[word_start - 1] == b'.';
                let masked = (word_start == found)
                    .then(|| {
                        iso_time_len(rest)
                            .or_else(|| (!after_dot).then(|| client_ipv4_len(rest))?)
                    })
                    .flatten()
                    .or_else(|| {
                        is_tracking_id(&bytes[word_start..word_end])
                            .then_some(word_end - word_start)
                    });
                match masked {
                    Some(len) => {
                        lower(out, &bytes[copied..word_start]);
                        out.push(b'#');
                        copied = word_start + len;
                        at = copied;
                    }
                    None => at = word_end,
                }
            }
        }
    }
    lower(out, &bytes[copied..]);
}

/// The bytes [`fold`] stops at: digits, `<` and `[`.
static MAY_START_NOISE: [bool; 256] = {
    let mut table = [false; 256];
    table[b'<' as usize] = true;
    table[b'[' as usize] = true;
    let mut digit = b'0';
    while digit <= b'9' {
        table[digit as usize] = true;
        digit += 1;
    }
    table
};

/// A word long enough, and mixing letters and digits, to be an id rather than a word or a
/// number of a reply (`5.7.1`, `S3140`, `AS(201806281)`, `TSS04` all stay).
fn is_tracking_id(word: &[u8]) -> bool {
    word.len() >= 10
        && word.iter().any(u8::is_ascii_digit)
        && word.iter().any(u8::is_ascii_alphabetic)
}

/// The length of the ISO 8601 time `text` starts with (`2026-11-21T08:00:04.123Z`,
/// `2026-11-21 08:00:04`), if it starts with one.
fn iso_time_len(text: &[u8]) -> Option<usize> {
    const SHAPE: &[u8] = b"dddd-dd-dd?dd:dd:dd";
    if text.len() < SHAPE.len() {
        return None;
    }
    let fits = SHAPE.iter().zip(text).all(|(want, got)| match want {
        b'd' => got.is_ascii_digit(),
        b'?' => matches!(got, b'T' | b't' | b' '),
        literal => literal == got,
    });
    if !fits {
        return None;
    }
    let mut len = SHAPE.len();
    if text.get(len) == Some(&b'.') {
        len += 1 + text[len + 1..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
    }
    if matches!(text.get(len), Some(b'Z' | b'z')) {
        len += 1;
    }
    Some(len)
}

/// After a `<`, the length of the local part of the address that follows (up to its `@`), or
/// 0 when no plain address follows.
fn address_local_part(rest: &[u8]) -> usize {
    let span = &rest[..rest.len().min(256)];
    let Some(close) = memchr::memchr(b'>', span) else {
        return 0;
    };
    let address = &span[..close];
    if address.iter().any(|b| matches!(b, b' ' | b'<' | b'[')) {
        return 0;
    }
    memchr::memrchr(b'@', address).unwrap_or(0)
}

/// After a `[`, the length of the IPv6 address that follows up to its `]`, or 0 when what
/// follows is not one (`[TS01]`, `[BL21]`, a host name).
fn bracketed_ipv6_len(rest: &[u8]) -> usize {
    let span = &rest[..rest.len().min(64)];
    let Some(close) = memchr::memchr(b']', span) else {
        return 0;
    };
    let inside = &span[..close];
    let address = inside
        .get(..5)
        .filter(|prefix| prefix.eq_ignore_ascii_case(b"ipv6:"))
        .map_or(inside, |_| &inside[5..]);
    let colons = address.iter().filter(|b| **b == b':').count();
    let ipv6 = colons >= 2
        && address
            .iter()
            .all(|b| b.is_ascii_hexdigit() || *b == b':' || *b == b'.');
    if ipv6 { close } else { 0 }
}

/// The length of the IPv4 address `text` starts with, unless it is a loopback address:
/// `127.0.0.2` and the like are the answers of DNS blocklists, and say why a client was
/// listed. An address followed by more of a dotted name (`2.0.192.zen.example`) is no address.
fn client_ipv4_len(text: &[u8]) -> Option<usize> {
    let mut len = 0;
    for part in 0..4 {
        if part > 0 {
            if text.get(len) != Some(&b'.') {
                return None;
            }
            len += 1;
        }
        let digits = text[len..]
            .iter()
            .take(4)
            .take_while(|b| b.is_ascii_digit())
            .count();
        if !(1..=3).contains(&digits) {
            return None;
        }
        len += digits;
    }
    let continues = match text.get(len) {
        Some(b'.') => text.get(len + 1).is_some_and(u8::is_ascii_alphanumeric),
        Some(next) => next.is_ascii_alphanumeric(),
        None => false,
    };
    (!continues && !text.starts_with(b"127.")).then_some(len)
}

/// The pattern table compiled into one automaton, with the one search state every thread uses.
///
/// The automaton is built lazily, a state at a time, as texts are scanned; across so many
/// patterns, building those states costs far more than the scans themselves. Each thread of
/// its own would build the same states again, so they share them: texts reach here only when
/// the per-thread memory of earlier answers misses, so the lock is seldom contended.
struct SharedSet {
    regex: Regex,
    search: Mutex<(meta::Cache, PatternSet)>,
}

impl SharedSet {
    /// The index of the first pattern, in table order, that matches anywhere in `haystack`
    /// and that `fits` accepts.
    fn first_match(&self, haystack: &[u8], fits: impl Fn(usize) -> bool) -> Option<usize> {
        // A search that panicked left nothing half-written that a later search relies on.
        let mut search = self.search.lock().unwrap_or_else(|e| e.into_inner());
        let (cache, matched) = &mut *search;
        matched.clear();
        self.regex
            .which_overlapping_matches_with(cache, &Input::new(haystack), matched);
        matched.iter().map(|id| id.as_usize()).find(|&i| fits(i))
    }
}

static SET: LazyLock<SharedSet> = LazyLock::new(|| {
    let regex = Regex::builder()
        .configure(
            Regex::config()
                .match_kind(MatchKind::All)
                .utf8_empty(false)
                .which_captures(regex_automata::nfa::thompson::WhichCaptures::None)
                .nfa_size_limit(Some(10 << 20))
                .hybrid_cache_capacity(2 << 20)
                .dfa_size_limit(Some(8 << 20)),
        )
        // Patterns are written in lower case and run over a lower-cased copy of the text:
        // without case folding, and without Unicode classes (reply texts are ASCII in
        // practice), the automaton is several times smaller, and so faster.
        .syntax(syntax::Config::new().unicode(false).utf8(false))
        .build_many(&PATTERNS.iter().map(|p| p.regex).collect::<Vec<_>>())
        .expect("the pattern table compiles");
    let search = Mutex::new((regex.create_cache(), PatternSet::new(regex.pattern_len())));
    SharedSet { regex, search }
});

const GOOGLE: Option<&str> = Some("Google");
const MICROSOFT: Option<&str> = Some("Microsoft");
const YAHOO: Option<&str> = Some("Yahoo");
const APPLE: Option<&str> = Some("Apple iCloud");
const SPAMHAUS: Option<&str> = Some("Spamhaus");
const POSTFIX: Option<&str> = Some("Postfix");
const NETEASE: Option<&str> = Some("NetEase (163.com, 126.com)");

const GOOGLE_GUIDELINES: &str = "https://support.google.com/mail/answer/81126";
const GOOGLE_POSTMASTER: &str = "https://postmaster.google.com/";
const MS_DELIST: &str = "https://sender.office.com/";
const MS_SNDS: &str = "https://sendersupport.olc.protection.outlook.com/snds/";
// The short link Outlook.com's block replies and Microsoft's own pages point to; it leads to the
// sender support (mitigation request) form for consumer mailboxes.
const MS_OLC_SUPPORT: &str = "https://go.microsoft.com/fwlink/?LinkID=614866";
const YAHOO_HUB: &str = "https://senders.yahooinc.com/";
const SPAMHAUS_CHECK: &str = "https://check.spamhaus.org/";

const LIST_INBOUND: &str = "Our server refused a client listed on a blocklist, as configured. \
If a real partner is affected, allowlist its IP and tell it to get delisted.";

type P = TextPattern;

/// Every recognised reply text, most specific first.
pub(crate) static PATTERNS: &[TextPattern] = &[
    // Exim's words for the end of the retries come after the last reply, whatever it said:
    // the message is over, and the reply before them is only the last of many. Postfix's
    // expiry line says only `returned to sender`.
    P::new("expired", None, "expired",
        r"delivery time expired|message expired|retry timeout exceeded|(have|has) been failing for a long time|after a long failure period|returned to sender")
        .says("Expired in the queue", "Retries ran out before the message could be delivered.")
        .fix("Look at the earlier deferrals of this message; their reason is the cause.")
        .test("retry timeout exceeded",
              "retry scheduled"),
    // Google (Gmail and Workspace); every Google reply ends with "gsmtp".
    // Replies whose words name their cause plainly, which broader patterns below (a quota, an
    // unknown recipient, a size limit by the code alone) would otherwise take.
    P::new("address_verification_pending", None, "greylisted",
        r"address verification in progress")
        .says("Recipient being verified",
              "The receiver is checking the address with the server behind it (Postfix's \
               address verification) and has no answer yet.")
        .fix("Let the queue retry: the check usually completes within minutes. Only if it \
              lasts is the address, or the server behind the receiver, at fault.")
        .sent("Our address verification has not heard back from the server behind us yet; \
               if this lasts, check that server and verify_relay_host.")
        .test("450 4.1.1 <a@example.org>: Recipient address rejected: unverified address: \
               Address verification in progress",
              "550 5.1.1 <a@example.org>: Recipient address rejected: undeliverable address"),
    P::new("receiver_throttled", None, "rate_limited",
        r"queue quota exceeded|tenant has exceeded threshold|too many recent messages|received too much e-?mail in a short period")
        .says("Receiver throttling",
              "The receiving organisation or mailbox takes no more mail for now: too much \
               arrived in a short time. The mailbox itself is not full.")
        .fix("Let the queue retry and spread out sending to this destination; if it is \
              steady, lower the rate per destination (Postfix's \
              smtp_destination_rate_delay).")
        .test("450 4.7.3 Organization queue quota exceeded.",
              "552 5.2.2 Mailbox quota exceeded"),
    P::new("banned_content", None, "content_rejected",
        r"illegal attachment|banned (file )?attachment|mime_banned_file|rejecting banned content|rejecting spoofed message|headers are not rfc compliant")
        .says("Content refused",
              "The receiver's filter refused what the message carries: a kind of attachment \
               it bans, headers it finds malformed, or a forged sender.")
        .fix("Send the file another way (a link, an archive type the receiver allows) and \
              check the message's headers; the size is not the problem.")
        .sent("Our content filter refused an attachment type or malformed message; the text \
               names the rule.")
        .test("552-5.7.0 Our system detected an illegal attachment on your message. Please \
               visit https://support.google.com/mail/?p=BlockedMessage to review our \
               attachment guidelines.",
              "552 5.3.4 Message size exceeds fixed limit"),
    P::new("gmail_no_such_user", GOOGLE, "user_unknown",
        r"email account that you tried to reach does not exist")
        .says("Gmail: no such account", "Google has no account at this address.")
        .fix("Remove the address or ask the person for the right one; check for typos.")
        .test("550-5.1.1 The email account that you tried to reach does not exist. Please \
               try double-checking the recipient's email address. x12si99 - gsmtp",
              "550-5.2.1 The email account that you tried to reach is disabled. - gsmtp"),
    P::new("gmail_disabled", GOOGLE, "mailbox_disabled",
        r"email account that you tried to reach is (disabled|inactive)")
        .says("Gmail: account disabled", "The Google account exists but is disabled.")
        .fix("Stop sending to it; reach the person another way.")
        .test("550-5.2.1 The email account that you tried to reach is disabled. x1si2 - gsmtp",
              "550-5.1.1 The email account that you tried to reach does not exist. - gsmtp"),
    P::new("gmail_over_quota", GOOGLE, "mailbox_full",
        r"email account that you tried to reach is over quota|inbox is out of storage")
        .says("Gmail: mailbox over quota", "The Google mailbox has no storage left.")
        .fix("Let the queue retry; the recipient has to free space. Bounces after days mean \
              the mailbox is probably abandoned.")
        .test("452-4.2.2 The email account that you tried to reach is over quota. Please \
               direct the recipient to the help centre. b7si4 - gsmtp",
              "452-4.2.2 The email account that you tried to reach is disabled. - gsmtp"),
    P::new("gmail_recipient_rate", GOOGLE, "rate_limited",
        r"receiving mail at a rate|receiving mail too quickly")
        .says("Gmail: recipient receives too fast",
              "This one Google recipient is getting more mail than Google lets through.")
        .fix("Let the queue retry and space out messages to this recipient; check that no \
              loop or automated job floods it.")
        .link(GOOGLE_GUIDELINES)
        .codes(&["4.2.1"])
        .test("450-4.2.1 The user you are trying to contact is receiving mail at a rate that \
               prevents additional messages from being delivered. - gsmtp",
              "450 4.2.1 Mailbox busy, receiving mail now"),
    P::new("gmail_unsolicited_block", GOOGLE, "blocklisted",
        r"mail sent from your ip address has been blocked|unsolicitediperror")
        .says("Gmail: IP blocked for unsolicited mail",
              "Google saw too much unwanted mail from this IP and refuses all its mail, not \
               only this message, until its reputation recovers.")
        .fix("Find what sent the mail (a hijacked account, a web form, a list people did not \
              sign up for) and stop it; make SPF, DKIM and DMARC pass, then watch the IP's \
              reputation in Google Postmaster Tools. Mail from this IP keeps failing until \
              Google lifts the block; a clean IP of your own may be needed meanwhile.")
        .link(GOOGLE_POSTMASTER)
        .codes(&["5.7.1"])
        .test("550-5.7.1 [192.0.2.183 1] Our system has detected an unusual rate of \
               unsolicited mail originating from your IP address. To protect our users from \
               spam, mail sent from your IP address has been blocked. Please visit \
               https://support.google.com/mail/?p=UnsolicitedIPError to review our Bulk Email \
               Senders Guidelines. q16si3475662wrs.311 - gsmtp",
              "421-4.7.28 Gmail has detected an unusual rate of unsolicited mail originating \
               from your IP address; it has been temporarily rate limited. - gsmtp"),
    P::new("gmail_unsolicited_rate", GOOGLE, "rate_limited",
        r"4\.7\.28|unusual (rate|amount) of (unsolicited )?mail")
        .says("Gmail: rate limited for unsolicited mail",
              "Google saw an unusual volume of unwanted mail from this IP or domain and \
               throttles it.")
        .fix("Lower the volume, stop mailing people who did not ask for it, make SPF, DKIM \
              and DMARC pass, and watch the spam rate in Google Postmaster Tools.")
        .link(GOOGLE_POSTMASTER)
        .codes(&["4.7.28", "5.7.28"])
        .test("421-4.7.28 Gmail has detected an unusual rate of unsolicited mail originating \
               from your IP address; it has been temporarily rate limited. - gsmtp",
              "421 4.7.2 unusual traffic from your network"),
    P::new("gmail_spf", GOOGLE, "spf_fail",
        r"spf authentication (did not|didn't) pass|[45]\.7\.27 .*gsmtp")
        .says("Gmail: SPF did not pass",
              "Gmail checked SPF for the envelope sender's domain and did not get a pass. \
               Google uses 4.7.27 and 5.7.27 for this, unlike the registry, where X.7.27 \
               means a sender domain with a null MX.")
        .fix("Make the SPF record of the envelope sender (Return-Path) domain cover the IP \
              that sends, and keep it within ten DNS lookups. A 4.7.27 is throttling that \
              retries; a 5.7.27 is final.")
        .link(GOOGLE_GUIDELINES)
        .codes(&["4.7.27", "5.7.27"])
        .test("421-4.7.27 Your email has been rate limited because SPF authentication didn't \
               pass for this message. x1si2 - gsmtp",
              "550 5.7.27 Sender address has null MX"),
    P::new("gmail_tls", GOOGLE, "tls_required",
        r"(wasn't|was not|not) sent over a tls connection|[45]\.7\.29 .*gsmtp")
        .says("Gmail: message not sent over TLS",
              "Gmail wants bulk senders to use TLS and this session was not encrypted. Google \
               uses 4.7.29 for this, unlike the registry, where X.7.29 is an ARC failure.")
        .fix("Turn on opportunistic TLS for outgoing mail (Postfix smtp_tls_security_level = \
              may) and check that the handshake with Google's MX succeeds.")
        .link(GOOGLE_GUIDELINES)
        .codes(&["4.7.29", "5.7.29"])
        .test("421-4.7.29 Your email has been rate limited because this message wasn't sent \
               over a TLS connection. x1si2 - gsmtp",
              "550 5.7.29 ARC validation failure"),
    P::new("gmail_dkim", GOOGLE, "dkim_fail",
        r"dkim authentication (did not|didn't) pass|[45]\.7\.30 .*gsmtp")
        .says("Gmail: DKIM did not pass",
              "The message carried no DKIM signature that Gmail could verify. Google uses \
               4.7.30 and 5.7.30 for this, unlike the registry, where X.7.30 concerns \
               REQUIRETLS.")
        .fix("Sign every outgoing message with DKIM, publish the public key under the \
              selector in DNS, and make sure nothing rewrites the message after signing.")
        .link(GOOGLE_GUIDELINES)
        .codes(&["4.7.30", "5.7.30"])
        .test("550-5.7.30 Your email has been blocked because DKIM authentication didn't \
               pass for this message. x1si2 - gsmtp",
              "550 5.7.30 REQUIRETLS support required"),
    P::new("gmail_no_dmarc", GOOGLE, "dmarc_policy",
        r"(no dmarc (policy|record)|dmarc (policy |record )+(is )?missing).*gsmtp|[45]\.7\.(31|40) .*gsmtp")
        .says("Gmail: no DMARC record",
              "The From domain publishes no usable DMARC record, which Gmail requires of bulk \
               senders (codes 4.7.31, 4.7.40 and 5.7.40, outside the registry).")
        .fix("Publish a DMARC record for the From domain, at least v=DMARC1; p=none with a \
              rua address, and make SPF or DKIM align with that domain.")
        .link(GOOGLE_GUIDELINES)
        .codes(&["4.7.31", "4.7.40", "5.7.40"])
        .test("421-4.7.40 Your email has been rate limited because the sending domain has no \
               DMARC record. x1si2 - gsmtp",
              "550 5.7.1 Email rejected per DMARC policy for example.com"),
    P::new("gmail_alignment", GOOGLE, "dmarc_policy",
        r"(isn't|is not) aligned with (either )?the authenticated|[45]\.7\.32 .*gsmtp")
        .says("Gmail: From domain not aligned",
              "SPF or DKIM may pass, but for a domain other than the one in the From header, so \
               DMARC alignment fails (codes 4.7.32 and 5.7.32, outside the registry).")
        .fix("Sign DKIM with the From domain (or a subdomain of it), or send with an envelope \
              sender in that domain so that SPF aligns.")
        .link(GOOGLE_GUIDELINES)
        .codes(&["4.7.32", "5.7.32"])
        .test("550-5.7.32 Your email has been blocked because the From: header isn't aligned \
               with either the authenticated SPF or DKIM organizational domain. - gsmtp",
              "250 2.0.0 OK, headers aligned"),
    P::new("gmail_likely_unsolicited", GOOGLE, "content_rejected",
        r"likely unsolicited")
        .says("Gmail: likely unsolicited",
              "Google's filters judged this message to be spam and refused it.")
        .fix("Check the sending reputation in Google Postmaster Tools, authentication (SPF, \
              DKIM, DMARC), the content and links, and the list's consent.")
        .link(GOOGLE_GUIDELINES)
        .test("550-5.7.1 Our system has detected that this message is likely unsolicited \
               mail. To reduce spam, it has been blocked. - gsmtp",
              "550-5.7.1 Unsolicited bulk mail is not accepted here"),
    P::new("yahoo_unauthenticated", YAHOO, "dmarc_policy",
        r"yahoo requires all senders to authenticate")
        .says("Yahoo: unauthenticated sender",
              "Yahoo refused mail that passed neither SPF nor DKIM for the sending domain.")
        .fix("Publish SPF for the sending IP and sign with DKIM for the From domain, then add a \
              DMARC record.")
        .link(YAHOO_HUB)
        .test("550 5.7.9 This mail has been blocked because the sender is unauthenticated. \
               Yahoo requires all senders to authenticate with either SPF or DKIM.",
              "550 5.7.9 Gmail requires all senders to authenticate"),
    P::new("gmail_unauthenticated", GOOGLE, "dmarc_policy",
        r"unauthenticated email|sender is unauthenticated|because it is unauthenticated|mail is unauthenticated|authenticate with (at least one of|either) spf or dkim|(does not|doesn't) have authentication information|fails to pass authentication checks")
        .says("Gmail: unauthenticated sender",
              "Neither SPF nor DKIM passed in line with the From domain, so the domain's DMARC \
               policy or Google's own rules refused the message.")
        .fix("Make DKIM sign with the From domain and SPF cover the sending IP, so that at \
              least one passes and aligns; then publish a DMARC record.")
        .link(GOOGLE_GUIDELINES)
        .codes(&["4.7.26", "5.7.26"])
        .test("550-5.7.26 Unauthenticated email from example.com is not accepted due to \
               domain's DMARC policy. - gsmtp",
              "550 5.7.2 authenticated relay only"),
    P::new("gmail_ptr", GOOGLE, "reverse_dns",
        r"does not have a ptr record|forward dns entry does not point")
        .says("Gmail: missing or mismatched reverse DNS",
              "The sending IP has no PTR record, or its name does not point back at it.")
        .fix("Have the owner of the IP (the hosting or network provider) set a PTR to a host \
              name whose A or AAAA record returns the same IP.")
        .link(GOOGLE_GUIDELINES)
        .codes(&["4.7.23", "4.7.25", "5.7.25"])
        .test("550-5.7.25 The IP address sending this message does not have a PTR record \
               setup. - gsmtp",
              "550-5.7.2 PTR looks fine"),
    P::new("gmail_ipv6", GOOGLE, "reverse_dns",
        r"ipv6 sending guidelines")
        .says("Gmail: IPv6 sender requirements",
              "Over IPv6 Google demands a PTR record and passing authentication.")
        .fix("Give the IPv6 address a PTR and make SPF or DKIM pass, or send to Google over \
              IPv4 (Postfix smtp_address_preference or a transport with inet_protocols).")
        .link(GOOGLE_GUIDELINES)
        .test("550-5.7.1 This message does not meet IPv6 sending guidelines regarding PTR \
               records and authentication. - gsmtp",
              "550 IPv6 sending enabled"),
    P::new("gmail_try_later", GOOGLE, "rate_limited",
        r"try again later, closing connection")
        .says("Gmail: try again later",
              "Google is throttling this client for now and closes the session.")
        .fix("Let the queue retry and lower the number of parallel connections to Google. If \
              it lasts, check reputation in Postmaster Tools.")
        .link(GOOGLE_POSTMASTER)
        .codes(&["4.7.0"])
        .test("421-4.7.0 Try again later, closing connection. (EHLO) x1si2 - gsmtp",
              "421 4.7.0 Try again later"),
    P::new("gmail_relay_denied", GOOGLE, "relay_denied",
        r"invalid credentials for relay|mail relay denied")
        .says("Google Workspace: relay not allowed",
              "Google's SMTP relay service does not know the sending IP or domain: it is not \
               registered in the Workspace relay settings.")
        .fix("Add the sending IP (or require SMTP AUTH) in the Google Workspace SMTP relay \
              settings for the domain.")
        .test("550-5.7.1 Invalid credentials for relay [192.0.2.10]. The IP address you've \
               registered in your Workspace SMTP Relay service doesn't match",
              "550 5.7.1 Relay accepted"),
    P::new("gmail_tls_rcpt_domain", GOOGLE, "tls_required",
        r"tls required for rcpt domain")
        .says("Gmail: recipient domain requires TLS",
              "The Workspace domain of the recipient only takes mail over TLS.")
        .fix("Enable STARTTLS on our outgoing client (Postfix smtp_tls_security_level = may or \
              stronger) and check that the handshake works.")
        .codes(&["4.7.0"])
        .test("421-4.7.0 TLS required for RCPT domain, closing connection. - gsmtp",
              "421 TLS offered for RCPT domain"),
    P::new("gmail_ip_allowlist", GOOGLE, "policy",
        r"ip not in whitelist for rcpt domain")
        .says("Gmail: IP not allowed by the recipient domain",
              "The Workspace domain only accepts mail from listed gateways, and this IP is \
               not one.")
        .fix("The recipient's administrator must add our IP to their inbound gateway \
              settings, or we must send through the gateway they use.")
        .test("550-5.7.1 IP not in whitelist for RCPT domain, closing connection. - gsmtp",
              "250 IP in whitelist"),
    P::new("gmail_bad_credentials", GOOGLE, "auth_failed",
        r"username and password not accepted")
        .says("Gmail: login refused",
              "Google refused the user name and password for SMTP AUTH.")
        .fix("Use an app password or OAuth for the account; Google refuses plain account \
              passwords from mail clients.")
        .link("https://support.google.com/mail/?p=BadCredentials")
        .test("535-5.7.8 Username and Password not accepted. Learn more at the help centre. \
               - gsmtp",
              "235 Username accepted"),
    P::new("gmail_admin_rule", GOOGLE, "policy",
        r"violates \S+ email policy|- gcdp")
        .says("Gmail: recipient administrator's rule",
              "A custom rule set by the recipient's Workspace administrator refused the \
               message.")
        .fix("Ask the recipient to have their administrator review the rule; nothing on our \
              side triggers it in general.")
        .test("550-5.7.1 This message violates example.com email policy. - gcdp x1si2",
              "550 This message follows example.com email policy"),
    P::new("gmail_daily_limit", GOOGLE, "rate_limited",
        r"daily user sending (quota|limit) exceeded")
        .says("Gmail: daily sending limit",
              "The Google account has sent as much as it may in one day.")
        .fix("Wait until the limit resets, and move bulk sending to a service meant for it.")
        .link("https://support.google.com/a/answer/166852")
        .codes(&["5.4.5"])
        .test("550 5.4.5 Daily user sending limit exceeded. - gsmtp",
              "250 Daily sending report queued"),
    P::new("gmail_not_rfc5322", GOOGLE, "content_rejected",
        r"not rfc ?5322 compliant|rfcmessagenoncompliant|missing a valid (address in the from|message-id)")
        .says("Gmail: message not RFC 5322 compliant",
              "The message's headers break the message format rules (for example two From \
               headers, or no Date or Message-ID).")
        .fix("Fix the program that writes the headers: exactly one From, Date and Message-ID, \
              and well-formed address fields.")
        .link(GOOGLE_GUIDELINES)
        .test("550-5.7.1 This message is not RFC 5322 compliant. There are multiple From \
               headers. - gsmtp",
              "This message is RFC 5322 compliant"),
    // Microsoft (Outlook.com and Exchange Online).
    P::new("ms_banned_ip", MICROSOFT, "blocklisted",
        r"5\.7\.6[0-4][0-9]|banned sending ip")
        .says("Microsoft: banned sending IP",
              "Exchange Online has banned the sending IP (codes 5.7.606 to 5.7.649).")
        .fix("Find and stop the cause (compromised account, bad list), then request removal \
              in Microsoft's self-service delist portal.")
        .link(MS_DELIST)
        .codes(&["5.7.606-649"])
        .test("550 5.7.606 Access denied, banned sending IP [192.0.2.10]. To request removal \
               from this list please visit the delist portal. AS(1430)",
              "550 5.7.650 Access denied"),
    P::new("ms_network_blocked", MICROSOFT, "blocklisted",
        r"\(a?s3150\)|\(a?s3140\)|part of their network is on our block ?list")
        .says("Outlook.com: network on Microsoft's block list",
              "Outlook.com blocks the sending IP or its range on its own list.")
        .fix("Check the IP in SNDS and join JMRP to see complaints, fix volume and list \
              hygiene, then fill in Outlook.com's sender support form to ask for mitigation. \
              S3150 and S3140 blocks are not lifted through the Exchange Online delist portal.")
        .link(MS_OLC_SUPPORT)
        .test("550 5.7.1 Unfortunately, messages from [192.0.2.10] weren't sent. Please \
               contact your Internet service provider since part of their network is on our \
               block list (S3150).",
              "550 5.7.1 Unfortunately, messages weren't sent (S3100)"),
    P::new("ms_ip_reputation", MICROSOFT, "rate_limited",
        r"4\.7\.65[01]|rate limited due to ip reputation")
        .says("Microsoft: throttled for IP reputation",
              "Microsoft slows mail from this IP because its reputation is low or new.")
        .fix("Let the queue retry at a lower rate; warm up new IPs gradually and watch SNDS.")
        .link(MS_SNDS)
        .codes(&["4.7.650-651"])
        .test("451 4.7.650 The mail server [192.0.2.10] has been temporarily rate limited due \
               to IP reputation.",
              "451 4.7.65 rate limited"),
    P::new("ms_spamhaus", MICROSOFT, "blocklisted",
        r"service unavailable, client host \[[^\]]*\] blocked using spamhaus")
        .says("Microsoft: blocked by a Spamhaus listing",
              "Exchange Online refused the IP because Spamhaus lists it.")
        .fix("Look the IP up at Spamhaus, remove the cause, and request delisting there; \
              Microsoft follows within a day or so.")
        .link(SPAMHAUS_CHECK)
        .test("550 5.7.1 Service unavailable, Client host [192.0.2.10] blocked using \
               Spamhaus. To request removal from this list see the Spamhaus site. AS(1450)",
              "554 5.7.1 Service unavailable; Client host [192.0.2.10] blocked using \
               zen.spamhaus.org"),
    P::new("ms_edge_block", MICROSOFT, "user_unknown",
        r"as\(201806281\)")
        .says("Microsoft: recipient not in the directory",
              "Directory-based edge blocking refused an address the tenant does not know.")
        .fix("Treat it as an unknown user: remove the address or ask for the right one.")
        .codes(&["5.4.1"])
        .test("550 5.4.1 Recipient address rejected: Access denied. AS(201806281) \
               [AM0PR01MB1234.eurprd01.prod.exchangelabs.com]",
              "550 5.4.1 Recipient address rejected: Access denied. AS(2018)"),
    P::new("ms_recipient_not_found", MICROSOFT, "user_unknown",
        r"resolver\.adr\.recip(ient)?notfound")
        .says("Exchange: recipient not found",
              "Exchange could not find the recipient in its address book.")
        .fix("Remove the address or correct it.")
        .codes(&["5.1.10"])
        .test("550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address \
               lookup",
              "550 5.5.3 RESOLVER.ADR.RecipLimit; too many recipients"),
    P::new("ms_not_authorized", MICROSOFT, "policy",
        r"resolver\.rst\.notauthorized")
        .says("Exchange: sender not allowed to this recipient",
              "The recipient, often a group, only accepts mail from certain senders.")
        .fix("Ask the recipient's administrator to allow external senders or this address.")
        .test("550 5.7.1 RESOLVER.RST.NotAuthorized; not authorized to send to this group",
              "550 5.3.4 RESOLVER.RST.RecipSizeLimit"),
    P::new("ms_auth_level", MICROSOFT, "dmarc_policy",
        // unverified: Outlook.com's 2025 bulk sender rules are reported to use 5.7.515.
        r"5\.7\.515|required authentication level")
        .says("Outlook.com: authentication requirements not met",
              "Outlook.com requires SPF, DKIM and DMARC to pass for high-volume senders.")
        .fix("Publish SPF and DKIM for the sending domain, make DMARC pass with at least \
              p=none, and keep them aligned with the From domain.")
        .codes(&["5.7.515"])
        .test("550 5.7.515 Access denied, sending domain example.com does not meet the \
               required authentication level.",
              "250 authentication level met"),
    P::new("ms_dmarc_reject", MICROSOFT, "dmarc_policy",
        r"(does not|doesn't) pass dmarc verification")
        .says("Microsoft: DMARC failed with p=reject",
              "The From domain publishes a DMARC policy of reject and this message did not pass \
               it.")
        .fix("Make SPF or DKIM pass in alignment with the From domain for this sending path; \
              the domain's DMARC aggregate reports show which source fails.")
        .codes(&["5.7.509"])
        .test("550 5.7.509 Access denied, sending domain example.com does not pass DMARC \
               verification and has a DMARC policy of reject.",
              "550 5.7.509 Access denied, sending domain passes DMARC"),
    P::new("ms_banned_sender", MICROSOFT, "blocklisted",
        r"banned sender")
        .says("Microsoft: banned sender",
              "Exchange Online has banned the sending IP for spam (code 5.7.511). This list is \
               not handled by the self-service portal.")
        .fix("Stop the source of the spam, then forward the complete bounce to the Microsoft \
              delisting address that the reply names, as it asks.")
        .codes(&["5.7.511"])
        .test("550 5.7.511 Access denied, banned sender[192.0.2.10]. To request removal from \
               this list, forward this message to the delist address.",
              "550 5.7.606 Access denied, banned sending IP [192.0.2.10]"),
    P::new("ms_rfc5322_from", MICROSOFT, "content_rejected",
        r"rfc 5322 section 3\.6\.2")
        .says("Microsoft: From header missing or invalid",
              "Exchange Online requires one valid From address in the header (code 5.7.512).")
        .fix("Fix the program that builds the message so that it writes exactly one From \
              header holding a well-formed address.")
        .codes(&["5.7.512"])
        .test("550 5.7.512 Access denied, message must be RFC 5322 section 3.6.2 compliant \
               and include a valid From address.",
              "550 5.7.512 Access denied, RFC 5322 section 3.4 compliant"),
    P::new("ms_ip_not_accepted", MICROSOFT, "blocklisted",
        r"traffic not accepted from this ip")
        .says("Microsoft: traffic from this IP refused",
              "Exchange Online judged most recent mail from this IP suspicious and refuses it \
               (codes 5.7.700 to 5.7.749); it mostly hits new Microsoft 365 tenants and servers \
               relaying through them.")
        .fix("Look for compromised accounts or unwanted bulk mail behind the IP. The delist \
              portal does not lift this block: a Microsoft 365 customer has to open a support \
              case.")
        .codes(&["5.7.700-749"])
        .test("550 5.7.708 Service unavailable. Access denied, traffic not accepted from this \
               IP. AS(7080)",
              "550 5.7.708 Service unavailable. Access denied, traffic from this host"),
    P::new("ms_unregistered_domain", MICROSOFT, "sender_rejected",
        r"sending from unregistered domains?")
        .says("Microsoft 365: sender domain not registered in the tenant",
              "Exchange Online refuses to relay mail whose sender domain is not an accepted \
               domain of the Microsoft 365 tenant (code 5.7.750).")
        .fix("Add and verify the sending domain in the tenant, or stop relaying mail for that \
              domain through Exchange Online.")
        .codes(&["5.7.750"])
        .test("550 5.7.750 Service unavailable. Client blocked from sending from unregistered \
               domains.",
              "550 5.7.750 Service unavailable. Client registered"),
    P::new("ms_not_authenticated", MICROSOFT, "auth_required",
        r"not authenticated to send (anonymous )?mail")
        .says("Microsoft 365: relay without login",
              "smtp.office365.com only takes mail from clients that log in first (code \
               5.7.57).")
        .fix("Configure our relay to Microsoft 365 with SMTP AUTH on port 587 and STARTTLS, \
              using an account allowed to send; or deliver to the tenant's MX endpoint through \
              a connector instead.")
        .codes(&["5.7.57"])
        .test("530 5.7.57 Client not authenticated to send mail. Error: 535 5.7.139 \
               Authentication unsuccessful",
              "250 2.1.0 Sender OK, client authenticated to send mail"),
    P::new("ms_tenant_attribution", MICROSOFT, "relay_denied",
        r"tenantattribution")
        .says("Microsoft 365: relay not attributed to a tenant",
              "Exchange Online could not match this connection to a connector of any tenant, \
               so it will not relay (code 5.7.64).")
        .fix("Check the inbound connector of the Microsoft 365 tenant we relay through: the \
              sending IP or the TLS certificate name it expects must be ours.")
        .codes(&["5.7.64"])
        .test("550 5.7.64 TenantAttribution; Relay Access Denied [AM0PR01.prod.outlook.com]",
              "550 5.7.64 Tenant; Relay Access Denied"),
    P::new("ms_server_busy", MICROSOFT, "rate_limited",
        r"server busy\.? please try again later from")
        .says("Microsoft: server busy, deferred",
              "Exchange Online defers this IP for now, usually because of its volume or \
               reputation (codes 4.7.500 to 4.7.699).")
        .fix("Let the queue retry at a lower rate; new IPs need a gradual ramp-up, and SNDS \
              shows how Microsoft sees the IP.")
        .link(MS_SNDS)
        .codes(&["4.7.500-649", "4.7.652-699"])
        .test("451 4.7.500 Server busy. Please try again later from [192.0.2.10]. (AS750)",
              "451 4.7.500 Server busy."),
    // Yahoo and AOL.
    P::new("yahoo_tss04", YAHOO, "rate_limited",
        r"tss04|temporarily deferred due to unexpected volume or user complaints")
        .says("Yahoo: deferred for volume or complaints",
              "Yahoo slows the IP down because of unusual volume or user complaints.")
        .fix("Let the queue retry slowly, drop recipients who never engage, join Yahoo's \
              complaint feedback loop and make authentication pass.")
        .link(YAHOO_HUB)
        .codes(&["4.7.0"])
        .test("421 4.7.0 [TSS04] Messages from 192.0.2.10 temporarily deferred due to \
               unexpected volume or user complaints - 4.16.55.1",
              "421 4.7.0 [TS04] Messages deferred"),
    P::new("yahoo_tss09", YAHOO, "blocklisted",
        r"tss09|will be permanently deferred")
        .says("Yahoo: IP permanently deferred",
              "Despite the 4xx code, Yahoo will not take mail from this IP; retries are \
               useless.")
        .fix("Stop retrying, fix the cause of the complaints, then contact Yahoo through the \
              sender hub.")
        .link(YAHOO_HUB)
        .codes(&["4.7.0"])
        .test("421 4.7.0 [TSS09] All messages from 192.0.2.10 will be permanently deferred; \
               Retrying will NOT succeed.",
              "421 4.7.0 [TSS04] temporarily deferred"),
    P::new("yahoo_ts_older", YAHOO, "rate_limited",
        // unverified: the older TS01 to TS03 codes are described as reputation deferrals.
        r"\[ts0[1-3]\]|\[gl01\]|\[ipts0?4\]|deferred due to user complaints")
        .says("Yahoo: older reputation deferral", "Yahoo defers mail from this IP for now.")
        .fix("Let the queue retry slowly and review complaints and list hygiene.")
        .link(YAHOO_HUB)
        .test("421 4.7.1 [TS01] Messages from 192.0.2.10 deferred due to user complaints",
              "421 4.7.1 [TS05] Messages deferred"),
    P::new("yahoo_bl21", YAHOO, "blocklisted",
        r"\[bl21\]")
        .says("Yahoo/AOL: IP on a Spamhaus list",
              "Yahoo refused the connection because Spamhaus lists the IP.")
        .fix("Check the IP at Spamhaus, fix the cause and request removal there.")
        .link(SPAMHAUS_CHECK)
        .test("553 5.7.1 [BL21] Connections will not be accepted from 192.0.2.10, because \
               the ip is in Spamhaus's list",
              "553 5.7.1 [BL2] Connections refused"),
    // NetEase answers with a two-part tag (`DT:SPM`, `HL:ICC`, `MI:SFQ`) after the code.
    P::new("netease_spam", NETEASE, "content_rejected",
        r"dt:spm")
        .says("NetEase: judged to be spam",
              "163.com and 126.com refused the message because its content or the way it was \
               sent looks like spam. With a 4xx code the same message may pass on a later try.")
        .fix("Leave it queued so it is retried; if it keeps failing, review the content and \
              links and make SPF, DKIM and DMARC pass for the sending domain.")
        .test("451 DT:SPM 163 mx13,P8CowECpNVM_oEVaenoEAQ--.23796S3 1514512449, please try \
               again 15min later",
              "451 4.7.1 Please try again later"),
    P::new("netease_rbl", NETEASE, "blocklisted",
        r"dt:rbl")
        .says("NetEase: sending IP on a public blocklist",
              "NetEase checks the connecting IP against public DNS blocklists and found it on \
               at least one.")
        .fix("Look the IP up on the common blocklists, fix what got it listed, and ask each \
              list for removal.")
        .test("450 DT:RBL 163 mx1 http://www.rbls.org/", "450 DT:SPM 163 mx1"),
    P::new("netease_ip_suspended", NETEASE, "blocklisted",
        r"hl:(ihu|ipb|mep|rep)")
        .says("NetEase: sending IP suspended",
              "NetEase stopped taking mail from this IP for a time because of how it sent: \
               many recipients that do not exist, forged sender domains, or other abuse.")
        .fix("Find the cause on this IP (a compromised account, an old list), clean the \
              recipient list, and wait for the suspension to lapse before sending in volume.")
        .test("421 HL:REP 163 mx3 too many nonexistent recipients", "421 HL:ICC 163 mx3"),
    P::new("netease_connections", NETEASE, "too_many_connections",
        r"hl:icc")
        .says("NetEase: too many connections at once",
              "The IP held more simultaneous connections to NetEase than it allows, so new \
               ones are turned away for a while.")
        .fix("Lower the number of parallel connections to NetEase's servers (Postfix: a \
              transport with a small destination_concurrency_limit for 163.com and 126.com).")
        .test("421 HL:ICC 163 mx3", "421 HL:REP 163 mx3"),
    P::new("netease_volume", NETEASE, "rate_limited",
        r"hl:if[cq]|mi:(sfq|dmc)")
        .says("NetEase: sending too fast",
              "The IP, the sender or the connection sent more messages in a short time than \
               NetEase accepts.")
        .fix("Let the queue retry later and spread sending out: fewer messages per \
              connection and per minute to NetEase's domains.")
        .test("451 MI:SFQ 163 smtp2 sender over quota in 15 minutes",
              "451 MI:SPF 163 smtp2"),
    P::new("netease_recipients", NETEASE, "too_many_recipients",
        r"rp:drc")
        .says("NetEase: too many recipients in one connection",
              "More recipients were given in one connection than NetEase takes.")
        .fix("Send fewer recipients per connection to NetEase's domains; the rest are \
              retried.")
        .test("450 RP:DRC 163 mx2", "450 RP:CCL 163 mx2"),
    P::new("netease_commands", NETEASE, "protocol_error",
        r"(mi|rp):c[ce]l")
        .says("NetEase: too many bad or surplus commands",
              "The sending program sent more erroneous or unexpected SMTP commands than NetEase \
               tolerates in one session.")
        .fix("Check the sending software's SMTP dialogue; a correct MTA does not trip this.")
        .test("450 MI:CEL 163 mx4", "450 MI:SFQ 163 mx4"),
    P::new("netease_not_allowed", NETEASE, "policy",
        r"wm:bl[iu]")
        .says("NetEase: sender not on the allowed list",
              "The receiving NetEase domain only takes mail from listed IPs or senders, and \
               this one is not among them.")
        .fix("Ask the recipient's administrator to add the sending IP or address to the \
              domain's allowed senders.")
        .test("450 WM:BLI 163 mx5", "450 WM:SPM 163 mx5"),
    P::new("yahoo_policy", YAHOO, "policy",
        r"message not accepted for policy reasons")
        .says("Yahoo: refused for policy reasons",
              "Yahoo refused the message on reputation or content grounds (Yahoo uses 5.7.9 \
               here, unlike the registry's meaning).")
        .fix("Review content, authentication and complaint rates, then retry later with \
              smaller volume.")
        .link(YAHOO_HUB)
        .codes(&["5.7.9"])
        .test("554 5.7.9 Message not accepted for policy reasons. See the Yahoo error codes \
               page.",
              "250 Message accepted for delivery"),
    P::new("yahoo_no_account", YAHOO, "user_unknown",
        r"(doesn't|does not) have an? (yahoo|aol|ymail|rocketmail)[a-z.]* account")
        .says("Yahoo/AOL: no such account", "There is no Yahoo or AOL account at this address.")
        .fix("Remove the address or correct it.")
        .test("554 delivery error: dd This user doesn't have a yahoo.com account \
               (someone@yahoo.com) [0]",
              "This user has a yahoo.com account"),
    // Apple iCloud.
    P::new("icloud_cs01", APPLE, "policy",
        // unverified: iCloud's CS01 is described as a reputation or content refusal.
        r"(?-u:\b)cs01(?-u:\b)")
        .says("iCloud: refused by local policy (CS01)",
              "iCloud Mail refused the message because of the sender's reputation or content.")
        .fix("Check authentication and reputation, then contact iCloud Mail's postmaster \
              team through Apple's postmaster information page.")
        .test("554 5.7.1 [CS01] Message rejected due to local policy",
              "554 5.7.1 [CS011] Message rejected"),
    P::new("icloud_hm08", APPLE, "policy",
        // unverified: iCloud's HM08 is described as a refusal of the sending host.
        r"(?-u:\b)hm08(?-u:\b)")
        .says("iCloud: refused by local policy (HM08)",
              "iCloud Mail refused mail from this host for policy reasons.")
        .fix("Check the IP's reputation and reverse DNS, then contact iCloud Mail's postmaster \
              team.")
        .test("550 5.7.0 [HM08] Message rejected due to local policy",
              "550 5.7.0 [HM081] Message rejected"),
    // Amazon SES.
    P::new("ses_unverified", Some("Amazon SES"), "sender_rejected",
        r"email address is not verified")
        .says("Amazon SES: sender identity not verified",
              "SES only sends from addresses or domains verified in that AWS region.")
        .fix("Verify the sending address or domain in SES for the region in use, or leave the \
              SES sandbox.")
        .test("554 Message rejected: Email address is not verified. The following identities \
               failed the check in region EU-WEST-1: sender@example.com",
              "250 Email address verified"),
    // Deutsche Telekom (T-Online).
    P::new("telekom_ip_refused", Some("Deutsche Telekom"), "blocklisted",
        r"tosa@rx\.t-online\.de")
        .says("T-Online: sending IP not accepted",
              "Telekom's inbound servers do not accept mail from this IP; they are known to be \
               strict about reverse DNS and about knowing who operates a sending server.")
        // unverified: Telekom is reported to expect a PTR name under a domain whose website
        // names the operator; the postmaster page describes the current rules.
        .fix("Make sure the IP has a PTR name that resolves back to it under a domain with a \
              website naming the operator, then write to the address in the reply asking for \
              the IP to be accepted.")
        .link("https://postmaster.t-online.de/")
        .test("554 IP=192.0.2.10 - A problem occurred. (Ask your postmaster for help or to \
               contact tosa@rx.t-online.de to clarify.)",
              "554 IP=192.0.2.10 - A problem occurred. (Ask your postmaster for help.)"),
    // Spamhaus.
    P::new("spamhaus_error_code", SPAMHAUS, "system_error",
        r"127\.255\.255\.25[245]|open resolver|spamhaus\.org/returnc")
        .says("Spamhaus: lookup refused, not a listing",
              "The DNSBL answered with an error code: the receiver queries Spamhaus through a \
               public or shared resolver, or too often. The IP is not actually listed.")
        .fix("Nothing is wrong with our IP; tell the receiving postmaster that their Spamhaus \
              queries fail.")
        .sent("Our server queries Spamhaus through a public resolver. Use a local recursive \
               resolver or a Spamhaus data query key, and only reject on 127.0.0.x answers.")
        .link(SPAMHAUS_CHECK)
        .test("554 5.7.1 Service unavailable; Client host [192.0.2.10] blocked using \
               zen.spamhaus.org; Error: open resolver; see the Spamhaus return codes page",
              "554 5.7.1 Service unavailable; Client host [192.0.2.10] blocked using \
               zen.spamhaus.org"),
    P::new("spamhaus_pbl", SPAMHAUS, "blocklisted",
        r"pbl\.spamhaus|spamhaus\.org/pbl|spamhaus pbl")
        .says("Spamhaus PBL",
              "The IP is in a range its owner says should not send mail directly, such as \
               dynamic or end-user addresses.")
        .fix("Send through the provider's smart host, or, for a real mail server on a static \
              IP, remove it from the PBL at Spamhaus.")
        .sent(LIST_INBOUND)
        .link(SPAMHAUS_CHECK)
        .test("554 5.7.1 Service unavailable; Client host [198.51.100.7] blocked using \
               pbl.spamhaus.org",
              "554 5.7.1 Client host blocked using sbl.spamhaus.org"),
    P::new("spamhaus_xbl", SPAMHAUS, "blocklisted",
        r"xbl\.spamhaus|spamhaus\.org/xbl|cbl\.abuseat\.org")
        .says("Spamhaus XBL",
              "The IP was seen sending from malware, a proxy or another compromised system.")
        .fix("Find the infected machine or abused account behind the IP, clean it, then \
              request removal at Spamhaus.")
        .sent(LIST_INBOUND)
        .link(SPAMHAUS_CHECK)
        .test("554 5.7.1 Service unavailable; Client host [198.51.100.7] blocked using \
               xbl.spamhaus.org",
              "554 5.7.1 Client host blocked using pbl.spamhaus.org"),
    P::new("spamhaus_sbl", SPAMHAUS, "blocklisted",
        r"sbl\.spamhaus|spamhaus\.org/sbl")
        .says("Spamhaus SBL", "Spamhaus lists the IP as a source of spam or spam support.")
        .fix("Stop the spam source, then follow the removal steps in the SBL record.")
        .sent(LIST_INBOUND)
        .link(SPAMHAUS_CHECK)
        .test("554 5.7.1 Service unavailable; Client host [198.51.100.7] blocked using \
               sbl.spamhaus.org",
              "554 5.7.1 Client host blocked using xbl.spamhaus.org"),
    P::new("spamhaus_dbl", SPAMHAUS, "blocklisted",
        r"dbl\.spamhaus|spamhaus\.org/dbl")
        .says("Spamhaus DBL",
              "A domain in the sender address or the message is on the Domain Block List.")
        .fix("Find which domain is listed (sender, links, tracking), fix its misuse and \
              request removal at Spamhaus.")
        .sent(LIST_INBOUND)
        .link(SPAMHAUS_CHECK)
        .test("554 5.7.1 <bulk@offers.example>: Sender address rejected: blocked using \
               dbl.spamhaus.org",
              "554 5.7.1 Client host blocked using zen.spamhaus.org"),
    P::new("spamhaus_zen", SPAMHAUS, "blocklisted",
        r"zen\.spamhaus")
        .says("Spamhaus ZEN",
              "The IP is on one of the lists combined in ZEN (SBL, XBL, PBL or CSS).")
        .fix("Look the IP up at Spamhaus to see which list, fix that cause and request \
              removal.")
        .sent(LIST_INBOUND)
        .link(SPAMHAUS_CHECK)
        .test("554 5.7.1 Service unavailable; Client host [203.0.113.9] blocked using \
               zen.spamhaus.org",
              "554 5.7.1 Client host blocked using bl.spamcop.net"),
    P::new("spamhaus_other", SPAMHAUS, "blocklisted",
        r"spamhaus")
        .says("Spamhaus listing", "A Spamhaus list names the IP or a domain of the message.")
        .fix("Look the IP and domains up at Spamhaus and follow the removal steps.")
        .sent(LIST_INBOUND)
        .link(SPAMHAUS_CHECK)
        .test("550 5.7.1 Rejected: IP listed by Spamhaus",
              "550 5.7.1 Rejected: IP listed by SpamCop"),
    // Other DNS blocklists and reputation services.
    P::new("barracuda", Some("Barracuda"), "blocklisted",
        r"barracuda")
        .says("Barracuda Reputation Block List",
              "The receiver uses Barracuda's reputation list, which names this IP.")
        .fix("Fix the cause, then request removal on Barracuda Central.")
        .sent(LIST_INBOUND)
        .link("https://www.barracudacentral.org/rbl/removal-request")
        .test("554 Service unavailable; Client host [192.0.2.44] blocked using Barracuda \
               Reputation; see the Barracuda reputation page",
              "554 Client host blocked using bl.spamcop.net"),
    P::new("spamcop", Some("SpamCop"), "blocklisted",
        r"spamcop")
        .says("SpamCop listing",
              "Recipients reported spam from this IP to SpamCop; the listing expires by \
               itself about a day after reports stop.")
        .fix("Stop whatever sends the reported mail and wait for the listing to expire.")
        .sent(LIST_INBOUND)
        .link("https://www.spamcop.net/bl.shtml")
        .test("554 5.7.1 Service unavailable; Client host [192.0.2.44] blocked using \
               bl.spamcop.net",
              "554 Client host blocked using Barracuda"),
    P::new("uceprotect", Some("UCEPROTECT"), "blocklisted",
        r"uceprotect")
        .says("UCEPROTECT listing",
              "UCEPROTECT lists the IP (level 1), or its network or provider (levels 2 and 3).")
        .fix("For level 1, stop the spam and wait for expiry; for levels 2 and 3 the listing \
              concerns the provider, so ask the receiver to stop relying on it.")
        .sent(LIST_INBOUND)
        .link("https://www.uceprotect.net/en/rblcheck.php")
        .test("550 5.7.1 Service unavailable; Client host [192.0.2.44] blocked using \
               dnsbl-1.uceprotect.net",
              "550 Client host blocked using Barracuda"),
    P::new("sorbs", Some("SORBS"), "blocklisted",
        r"(?-u:\b)sorbs(?-u:\b)")
        .says("SORBS listing",
              "The receiver still consults SORBS, a list that has been shut down.")
        // unverified: SORBS is reported to have closed in 2024.
        .fix("Ask the receiving postmaster to remove SORBS from their configuration; there \
              is no delisting to request.")
        .sent("Remove SORBS from our DNSBL settings; the list is no longer maintained.")
        .test("554 5.7.1 Service unavailable; Client host [192.0.2.44] blocked using \
               dnsbl.sorbs.net",
              "554 The server absorbs the load"),
    P::new("proofpoint", Some("Proofpoint"), "blocklisted",
        r"proofpoint|pphosted")
        .says("Proofpoint reputation block",
              "A Proofpoint gateway refused the IP for its reputation.")
        .fix("Check the IP on Proofpoint's IP check page and ask for a reputation review.")
        .link("https://ipcheck.proofpoint.com/")
        .test("554 5.7.0 Blocked - see https://ipcheck.proofpoint.com/?ip=192.0.2.44",
              "554 5.7.0 Blocked - see https://check.example.net"),
    P::new("cloudmark", Some("Cloudmark"), "blocklisted",
        r"cloudmark")
        .says("Cloudmark reputation block", "The receiver uses Cloudmark's sender reputation.")
        .fix("Request a reputation reset on the Cloudmark sender portal after fixing the \
              cause.")
        .link("https://csi.cloudmark.com/en/reset/")
        .test("550 5.7.1 Poor sender reputation [Cloudmark CSI]; request a reset",
              "550 5.7.1 cloud mark"),
    // Postfix's own replies and those of its usual policy services.
    P::new("postgrey", Some("Postgrey"), "greylisted",
        r"greylisted,? see|postgrey")
        .says("Greylisted (Postgrey)",
              "A first message from an unknown sender, IP and recipient triple is deferred on \
               purpose.")
        .fix("Nothing: the queue retries after a few minutes and the retry is accepted.")
        .sent("Expected: Postgrey defers first contacts. Only a sender that never retries \
               loses mail, and that is usually spam.")
        .test("450 4.2.0 <user@example.org>: Recipient address rejected: Greylisted, see \
               http://postgrey.schweikert.ch/help/example.org.html",
              "450 4.2.0 Greylisting disabled"),
    P::new("postfix_greylisted", POSTFIX, "greylisted",
        r"recipient address rejected: greylisted")
        .says("Greylisted (policy service)",
              "A greylisting policy service deferred this first contact.")
        .fix("Nothing: the normal retry passes.")
        .sent("Expected behaviour of our greylisting; review it only if mail is delayed for \
               hours.")
        .test("450 4.7.1 <user@example.org>: Recipient address rejected: Greylisted for 300 \
               seconds",
              "450 4.7.1 <user@example.org>: Recipient address rejected: User unknown"),
    P::new("postfix_login_mismatch", POSTFIX, "auth_required",
        r"sender address rejected: not (logged in|owned by user)")
        .says("Sender not owned by the logged-in user",
              "The server only lets authenticated users send as addresses they own.")
        .fix("Log in, or send as an address the account owns.")
        .sent("Working as configured (reject_sender_login_mismatch). If the user should send \
               as that address, add it to smtpd_sender_login_maps.")
        .test("553 5.7.1 <boss@example.org>: Sender address rejected: not logged in",
              "553 5.7.1 <boss@example.org>: Sender address rejected: Domain not found"),
    // Before the Postfix recipient rules: the nested reply of a failed sender check reads
    // like a recipient refusal, but the address refused is the sender.
    // Before the failed checks below: a check that could not finish is not a failed one.
    P::new("verify_incomplete", Some("Exim"), "system_error",
        r"could not complete (sender|recipient) verify")
        .says("Address check could not finish",
              "The receiver tried to confirm the address with its domain's servers (a callout) \
               and got no definite answer: a timeout, a temporary error or no server to ask. \
               The refusal is temporary.")
        .fix("Let the queue retry. If it lasts, check that the address's domain has working \
              MX hosts that answer RCPT TO for it.")
        .sent("Our callout verification (verify = sender/callout or recipient/callout) got no \
               answer from the address's servers; check the callout timeouts and whether \
               those servers are reachable from here.")
        .test("451 Could not complete sender verify callout",
              "550 Sender verify failed"),
    P::new("sender_verify_failed", None, "sender_rejected",
        r"sender address rejected: undeliverable address|verification failed for <|sender verif(y|ication) fail")
        .says("Sender address failed verification",
              "The receiver checked the envelope sender with its domain's servers and the \
               check failed; any refusal quoted inside is about the sender, not a recipient.")
        .fix("Make sure the sender address exists and that its domain's servers accept mail \
              for it: bounces must be able to reach it.")
        .sent("Our sender verification (reject_unverified_sender, Exim's verify = sender) \
               failed for the client's MAIL FROM; the quoted reply says why.")
        .test("550 5.1.0 <a@b.example>: Sender address rejected: undeliverable address: host \
               mx.b.example[198.51.100.9] said: 550 5.1.1 <a@b.example>: Recipient address \
               rejected: User unknown",
              "550 5.1.1 <a@b.example>: Recipient address rejected: undeliverable address: \
               User unknown"),
    P::new("postfix_unknown_client", POSTFIX, "reverse_dns",
        r"client host rejected: cannot find your (reverse )?hostname")
        .says("No reverse DNS for the client",
              "The client's IP has no PTR, or the name does not resolve back to the IP.")
        .fix("Have the provider of our outgoing IP publish a PTR whose name resolves back to \
              the same IP.")
        .sent("Our reject_unknown_client_hostname (or reverse_) fired. Many small senders \
               lack proper DNS; downgrade to a warning if real mail is lost.")
        .test("450 4.7.25 Client host rejected: cannot find your hostname, [192.0.2.77]",
              "554 5.7.1 Client host rejected: Access denied"),
    P::new("postfix_helo_fqdn", POSTFIX, "helo_rejected",
        r"helo command rejected: need fully-qualified hostname")
        .says("HELO name is not a full host name",
              "The client greeted with a bare name such as localhost or a Windows machine \
               name.")
        .fix("Set the HELO name to the server's fully qualified host name (Postfix \
              smtp_helo_name, Exim helo_data).")
        .sent("Our reject_non_fqdn_helo_hostname fired; real mail servers send a full name.")
        .test("504 5.5.2 <localhost>: Helo command rejected: need fully-qualified hostname",
              "450 4.7.1 <mail>: Helo command rejected: Host not found"),
    P::new("postfix_non_fqdn_address", POSTFIX, "bad_address",
        r"address rejected: need fully-qualified address")
        .says("Address without a full domain (Postfix)",
              "reject_non_fqdn_sender or reject_non_fqdn_recipient refused an address whose \
               domain is not fully qualified, such as root@localhost or user@server.")
        .fix("Make the sending system write whole addresses: give it its mail domain (for \
              Postfix, myorigin; for a script, its From setting) so that user@host becomes \
              user@example.com.")
        .sent("Our reject_non_fqdn_sender or reject_non_fqdn_recipient fired: the client \
               writes addresses with a bare host name, most often a misconfigured server or \
               script.")
        .test("504 5.5.2 <root@maria>: Sender address rejected: need fully-qualified address",
              "504 5.5.2 <maria>: Helo command rejected: need fully-qualified hostname"),
    P::new("postfix_sender_domain", POSTFIX, "sender_rejected",
        r"sender address rejected: domain not found")
        .says("Sender domain does not resolve",
              "The domain of the envelope sender has no MX or address record.")
        .fix("Send from a domain with working DNS, or publish an MX for it.")
        .sent("Our reject_unknown_sender_domain fired; the client's sender domain does not \
               exist, usually spam.")
        .test("450 4.1.8 <bounce@nowhere.example>: Sender address rejected: Domain not found",
              "450 4.1.2 <user@nowhere.example>: Recipient address rejected: Domain not found"),
    P::new("postfix_recipient_domain", POSTFIX, "domain_not_found",
        r"recipient address rejected: domain not found")
        .says("Recipient domain does not resolve",
              "The recipient's domain has no MX or address record.")
        .fix("Check the recipient domain for typos; remove the address if the domain is gone.")
        .sent("Our reject_unknown_recipient_domain fired: the client addressed a domain that does \
               not resolve, which is usually a typo or spam.")
        .test("450 4.1.2 <user@nowhere.example>: Recipient address rejected: Domain not found",
              "450 4.1.8 <bounce@nowhere.example>: Sender address rejected: Domain not found"),
    P::new("postfix_user_unknown", POSTFIX, "user_unknown",
        r"recipient address rejected: user unknown")
        .says("Unknown user (Postfix)",
              "The recipient is not in the server's table of valid users.")
        .fix("Remove the address or correct it.")
        .sent("The user is not in our local or virtual recipient maps; add it if it should \
               exist.")
        .test("550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown in \
               local recipient table",
              "450 4.7.1 <nobody@example.org>: Recipient address rejected: Greylisted"),
    P::new("postfix_relay_denied", POSTFIX, "relay_denied",
        r"relay access denied")
        .says("Relay access denied",
              "The server does not handle this recipient domain and will not relay for this \
               client.")
        .fix("If we meant to deliver to that domain, its MX points at the wrong host; if we \
              meant to relay, authenticate first.")
        .sent("Correct for strangers. For our own users, their client must authenticate on \
               the submission port; check permit_sasl_authenticated and mynetworks.")
        .test("554 5.7.1 <user@elsewhere.example>: Relay access denied",
              "250 2.1.5 Relay access granted"),
    P::new("postfix_client_access", POSTFIX, "policy",
        r"client host rejected: access denied")
        .says("Client refused by an access table",
              "An access rule on the receiving server refuses this client.")
        .fix("Ask the receiving postmaster why our IP is in their access table.")
        .sent("Our check_client_access table refused the client; edit the table if that is \
               wrong.")
        .test("554 5.7.1 <mail.example.net[192.0.2.8]>: Client host rejected: Access denied",
              "450 4.7.25 Client host rejected: cannot find your hostname"),
    P::new("postfix_size_limit", POSTFIX, "message_too_large",
        r"message size exceeds fixed")
        .says("Message over the size limit (Postfix)",
              "The message is larger than the server's message_size_limit.")
        .fix("Send a smaller message or link the large files.")
        .sent("Our message_size_limit refused it; raise the limit only if such mail is \
               wanted.")
        .test("552 5.3.4 Message size exceeds fixed limit",
              "250 Message size within limit"),
    P::new("postscreen_ports_busy", POSTFIX, "service_unavailable",
        r"all (server|screening) ports (are )?busy")
        .says("All server or screening ports busy",
              "Postscreen has no free smtpd process to hand the client to, or no room to \
               screen one more client.")
        .fix("Let the queue retry.")
        .sent("Our smtpd processes are exhausted (server ports), or postscreen already screens \
               as many clients as it may (screening ports): raise default_process_limit, the \
               smtpd limit in master.cf or postscreen_pre_queue_limit, or find what holds \
               sessions open.")
        .test("421 4.3.2 All server ports are busy",
              "421 4.3.2 Server port busy"),
    P::new("postscreen_protocol", POSTFIX, "protocol_error",
        r"protocol error|non-smtp command|improper (use of smtp )?command pipelining|bare <?lf>?")
        .says("SMTP protocol violation",
              "The client talked before its turn, sent non-SMTP data, or used bare line \
               feeds, as spam robots do.")
        .fix("Make our client wait for each reply unless PIPELINING is offered, and end \
              lines with CRLF.")
        .sent("Postscreen or smtpd caught a misbehaving client, usually a bot; nothing to fix \
               unless a known application is affected.")
        .test("521 5.5.1 Protocol error",
              "250 Protocol ok"),
    // postscreen has no way to hand a session on after its greeting: a new client that
    // passed the tests run after it is told to come back with a 450, and is let in then. The
    // same words turn a client away for good with a 550, and smtpd closes with them (421).
    P::new("postscreen_come_back", POSTFIX, "greylisted",
        r"service currently unavailable")
        .only_with(450)
        .says("postscreen: reconnect after its tests",
              "A Postfix postscreen ran its tests after the greeting (pipelining, non-SMTP \
               commands, bare newlines) on a client it did not know; the client passed, and \
               postscreen, which cannot hand a session on once it has started, asks it to \
               reconnect. The next connection goes straight to smtpd.")
        .fix("Nothing: the normal retry passes, as after greylisting.")
        .sent("Expected: every new client gets this once, and its PASS NEW line follows; it \
               is let through on its next connection. If wanted senders retry too late, turn \
               the after-greeting tests off (postscreen_pipelining_enable, \
               postscreen_non_smtp_command_enable, postscreen_bare_newline_enable = no) and \
               keep the before-greeting ones.")
        .test("Service currently unavailable",
              "Service unavailable"),
    // TLS and authentication.
    P::new("starttls_first", None, "tls_required",
        r"must issue a starttls command first")
        .says("STARTTLS required first",
              "The server refuses to go on until the session is encrypted.")
        .fix("Enable STARTTLS in our client (Postfix smtp_tls_security_level) and check the \
              handshake.")
        .sent("A client skipped STARTTLS although our server demands it; its mail program \
               needs TLS turned on.")
        .test("530 5.7.0 Must issue a STARTTLS command first",
              "530 5.7.0 Authentication required"),
    P::new("tls_not_offered", POSTFIX, "tls_failure",
        r"tls is required, but")
        .says("TLS required but not available",
              "Our client insists on TLS for this destination, but the server did not offer \
               it or the TLS engine failed.")
        .fix("Check our TLS policy for the destination (smtp_tls_policy_maps); if the server \
              really lacks TLS, the policy has to allow plain text or the mail waits.")
        .test("TLS is required, but was not offered by host mx.example.net[192.0.2.5]",
              "TLS is required for this domain"),
    P::new("tls_required", None, "tls_required",
        r"(tls|ssl)(/sslv3)? connection required|tls required|tls is required|requires? (tls|starttls|encryption)|encryption required|starttls (is )?required|must use tls")
        .says("TLS required", "The peer only continues over an encrypted connection.")
        .fix("Enable STARTTLS on the sending side and check that the certificates are \
              accepted.")
        .sent("Our server demands TLS and the client did not start it. Keep that for submission; \
               on port 25, RFC 3207 says a public MX must not require TLS, so use \
               smtpd_tls_security_level = may there.")
        .test("530 5.7.0 TLS required for this server",
              "250 TLS optional"),
    P::new("tls_failure", None, "tls_failure",
        r"cannot start tls|tls handshake (failed|failure|error)|ssl_accept|ssl_connect|gnutls_handshake|tls error on connection|tls library problem|starttls (failed|failure)|handshake failure|certificate verif(y|ication) failed|tls not available|untrusted tls")
        .says("TLS handshake failed",
              "The two sides could not agree on TLS or a certificate was refused.")
        .fix("Check certificates, protocol versions and ciphers on both sides; test with \
              openssl s_client -starttls smtp.")
        .sent("Check our certificate chain, key permissions and TLS settings.")
        .test("Cannot start TLS: handshake failure",
              "220 2.0.0 Ready to start TLS"),
    // A pipe transport's command that failed or did not run. What it printed may hold words
    // of other reasons (maildrop's own time limit is a "quota"), but the fault is local.
    // A command that ended with EX_NOUSER (67) said the user does not exist, as an LDA
    // such as Dovecot's does for a missing mailbox.
    P::new("local_command_no_user", None, "user_unknown",
        r"transport returned 67 |could mean user nonexistent")
        .says("Unknown user (local delivery command)",
              "The program a pipe transport ran to deliver (Dovecot's deliver, maildrop, \
               procmail) ended saying the user does not exist.")
        .fix("Check that the mailbox exists for that address in the delivery agent's user \
              database, and that the address is passed to the command as it expects.")
        .test("Child process of dovecot_delivery transport returned 67 (could mean user \
               nonexistent) from command: /usr/lib/dovecot/deliver",
              "Child process of address_pipe transport returned 127 (could mean unable to \
               exec or command does not exist) from command: /usr/local/bin/filter"),
    P::new("local_command_failed", None, "system_error",
        r"child process of \S+ transport returned|transport process returned non-zero status|timeout quota exceeded|authdaemon: s_connect\(\) failed")
        .says("Local delivery command failed",
              "The program a pipe transport runs to deliver (maildrop, procmail, a script) \
               failed, timed out or could not be started.")
        .fix("Run the command by hand as the transport's user with the same arguments; check \
              its path, its permissions and the services it needs (maildrop's authdaemon, \
              a database).")
        .test("Child process of address_pipe transport returned 127 (could mean unable to \
               exec or command does not exist) from command: /usr/local/bin/filter",
              "550 5.1.1 User unknown"),
    P::new("auth_backend_down", None, "system_error",
        r"connection lost to authentication server|authentication server (is )?(unavailable|not responding)")
        .says("Authentication service down",
              "The server could not check the login: its authentication back end (saslauthd, \
               Dovecot's auth socket) did not answer. The password was never judged.")
        .fix("Let the queue retry; if it lasts, tell the remote postmaster.")
        .sent("Our SASL back end is down or unreachable: check saslauthd or Dovecot's auth \
               service and the socket smtpd_sasl_path names.")
        .test("SASL LOGIN authentication failed: Connection lost to authentication server",
              "535 5.7.8 Authentication credentials invalid"),
    P::new("auth_required", None, "auth_required",
        r"authentication (is )?required|(?-u:\b)auth (is )?required|must authenticate|authentication needed|client was not authenticated")
        .says("Authentication required",
              "The server wants a login before it takes mail from this client.")
        .fix("Configure SMTP AUTH for this relay (Postfix smtp_sasl_auth_enable and a \
              password map).")
        .sent("A client tried to send without logging in; its mail program must \
               authenticate on the submission port.")
        .test("530 5.7.0 Authentication required",
              "235 2.7.0 Authentication successful"),
    P::new("auth_failed", None, "auth_failed",
        r"authentication (credentials invalid|failed|failure|unsuccessful)|invalid credentials|(bad|incorrect|wrong) (user ?name|password|credentials)|login failed|too many login attempts")
        .says("Authentication failed", "The login was attempted and refused.")
        .fix("Correct the user name and password in the SASL password map; some providers \
              need an app password.")
        .sent("A client failed to log in. Repeated failures from one IP are password \
               guessing: block it.")
        .test("535 5.7.8 Error: authentication failed: authentication failure",
              "235 2.7.0 Authentication succeeded"),
    // Sender authentication.
    P::new("dmarc", None, "dmarc_policy",
        r"dmarc|failing both spf and dkim")
        .says("DMARC failure",
              "The From domain's DMARC policy asked the receiver to refuse mail that fails \
               both aligned SPF and aligned DKIM.")
        .fix("Sign with DKIM using the From domain and cover the sending IP in SPF; check the \
              DMARC aggregate reports for sources that fail.")
        .sent("Our DMARC check refused mail that claims a domain it cannot prove; forwarded \
               mail may need ARC or an exception.")
        .test("550 5.7.1 Email rejected per DMARC policy for example.com",
              "550 5.7.1 DMAC rejected"),
    P::new("dkim", None, "dkim_fail",
        r"dkim|domainkeys|[45]\.7\.2[012]")
        .says("DKIM failure", "The DKIM signature is missing, broken or not acceptable.")
        .fix("Sign outgoing mail, publish the key under the selector in DNS, and make sure \
              nothing changes the message after signing.")
        .sent("Our DKIM check refused the message. Mailing lists and forwarders often break \
               signatures; exempt them or rely on DMARC and ARC instead of DKIM alone.")
        .test("550 5.7.20 No valid DKIM signature found",
              "550 5.7.2 list expansion prohibited"),
    P::new("spf_error", None, "spf_fail",
        r"[45]\.7\.24|spf (temperror|permerror)|too many (dns|spf) lookups")
        .says("SPF record error",
              "The SPF record could not be evaluated: DNS failed, the syntax is wrong, or it \
               needs more than ten lookups.")
        .fix("Validate the SPF record, flatten includes to stay under ten lookups, and fix \
              any syntax error.")
        .sent("Our SPF check could not evaluate the sender's record. A temperror clears by \
               itself; a permerror is the sender's record to fix.")
        .test("451 4.7.24 SPF temperror: DNS timeout for example.org",
              "250 SPF pass"),
    P::new("spf_fail", None, "spf_fail",
        r"spf|sender policy framework|is not allowed to send mail from|designated as permitted sender|open-spf\.org|[45]\.7\.23")
        .says("SPF failure",
              "The sending IP is not listed in the SPF record of the envelope sender's domain.")
        .fix("Add our outgoing IP, or the include of the service that sends, to the domain's \
              SPF record.")
        .sent("The client is not authorised by its domain's SPF: either forged, or the sender \
               must update SPF.")
        .test("550 5.7.23 Message rejected due to: SPF fail - not authorized.",
              "550 5.7.1 rejected: sender not authorized"),
    // Generic categories.
    P::new("dnsbl", None, "blocklisted",
        r"blocked using|black-?listed|block-?listed|(black|block) ?list|dnsbl|(?-u:\b)rbl(?-u:\b)|is listed (in|at|on) |(poor|bad|low) (email |ip )?reputation|ip reputation|spam ip|spam statistics|block has been placed against your ip|contact your internet service provider|this ip has been (temporarily )?blocked|access from ip address|dial-?up/transient ip|e?mail from # is (currently )?blocked|has been temporarily blocked for attempting|comcast block for spam|insufficient reputation|ers-customized-block|policy restrictions \(ip based\)|your access to submit messages to this e-mail system has been rejected")
        .says("DNS blocklist",
              "The receiver refused the IP because a blocklist names it.")
        .fix("Look the IP up on the list named in the text, fix the cause (a compromised host \
              or account, a bought or stale mailing list, an open relay), then request removal.")
        .sent(LIST_INBOUND)
        .test("550 5.7.1 Service unavailable; client [192.0.2.44] blocked using \
               bl.example.org",
              "550 5.7.1 Message blocked"),
    P::new("reverse_dns", None, "reverse_dns",
        r"reverse (dns|hostname|lookup)|ptr record|no ptr|rdns|fcrdns|cannot find your hostname|failure in dns look-?up|bad dns ptr")
        .says("Reverse DNS missing",
              "The receiver wants the sending IP to have a PTR that matches forward DNS.")
        .fix("Have the provider of our outgoing IP set a PTR to a name that resolves back to \
              the same IP, and use that name in HELO.")
        .sent("Our reverse DNS check refused the client. Some small but legitimate senders lack \
               a PTR; log instead of rejecting (warn_if_reject) if real mail is lost.")
        .test("550 5.7.1 Rejected: no reverse DNS for 192.0.2.1",
              "550 5.7.1 forward DNS ok"),
    P::new("greylisted", None, "greylisted",
        r"gr[ae]y[- ]?list|internal resources are temporarily unavailable")
        .says("Greylisted", "A deliberate deferral of a first contact.")
        .fix("Nothing: the normal retry passes.")
        .sent("Expected behaviour of our greylisting.")
        .test("451 4.7.1 Greylisting in action, please come back later",
              "451 4.7.1 grey area"),
    // Before the mailbox rules: a quota on what the sender may send is not the recipient's
    // storage.
    P::new("sending_quota", None, "rate_limited",
        r"(daily|hourly|sending|message|send) quota (exceeded|reached)|exceeded its quota for sending|relay limit exceeded|sending too many (e-?mails|messages)")
        .says("Sending quota reached",
              "The sending account or service has used up what it may send in a period.")
        .fix("Wait for the quota to reset, or raise it with the provider; spread large sends \
              out.")
        .test("454 Throttling failure: Daily message quota exceeded.",
              "552 5.2.2 Mailbox quota exceeded"),
    P::new("mailbox_full", None, "mailbox_full",
        r"mailbox (is |was )?full|mailbox (has )?exceeded|(mailbox|storage) (size )?limit (exceeded|reached)")
        .says("Mailbox full", "The recipient's mailbox has no room left.")
        .fix("Let the queue retry; the recipient has to free space.")
        .sent("One of our users is over quota; tell them or raise the quota.")
        .test("552 5.2.2 Mailbox full",
              "250 Mailbox found"),
    P::new("over_quota", None, "mailbox_full",
        r"over[ -]?quota|quota (exceeded|full)|exceed(s|ed)? (the |their |its )?(storage |disk )?quota|out of (storage|disk) space|quota violation")
        .says("Over quota", "The recipient has used up their storage quota.")
        .fix("Let the queue retry; the recipient has to free space.")
        .sent("One of our users is over quota; tell them or raise the quota.")
        .test("452 4.2.2 <u@example.org>: user is over quota",
              "250 quota ok"),
    P::new("insufficient_storage", None, "system_error",
        r"insufficient (system |disk )?(storage|space)|not enough (disk )?space|disk full|no space left|mail system full")
        .says("Insufficient storage",
              "The receiving server is short of disk space for its queue or mailboxes.")
        .fix("Let the queue retry; the administrator of the receiving server must free disk \
              space. If it lasts for days, tell the remote postmaster.")
        .sent("Free disk space on our queue and mailbox file systems.")
        .test("452 4.3.1 Insufficient system storage",
              "250 sufficient storage"),
    P::new("mailbox_disabled", None, "mailbox_disabled",
        r"mailbox (is )?(disabled|inactive|suspended|deactivated|frozen)|account (has been |is )?(disabled|suspended|deactivated|inactive|closed|locked)|mailbox has moved|has been suspended|temporar(il)?y locked|deactivated mailbox|suspend the service|no longer valid|(domain|account) is (currently )?suspended|is currently suspended|archived recipient|account is ?blocked|mailbox currently suspended|policy rejection on the target address")
        .says("Mailbox disabled", "The mailbox exists but does not take mail.")
        .fix("Stop sending to it and reach the person another way.")
        .sent("One of our mailboxes is disabled: re-enable it, or keep it refusing with a clear \
               message.")
        .test("550 5.2.1 Mailbox disabled for this recipient",
              "250 Mailbox enabled"),
    // Before the domain rules: a refused sender domain is about our sender, not a recipient.
    P::new("sender_rejected", None, "sender_rejected",
        r"sender address rejected|sender (domain |address )?(is )?(invalid|unknown|not allowed|rejected|refused)|domain of sender address|badmailfrom|unresolvable rfc\.?5321 from domain|invalid sender|envelope blocked|: block-send-er")
        .says("Sender address refused",
              "The receiver refused the envelope sender or its domain.")
        .fix("Send from an address whose domain has working DNS and that accepts bounces.")
        .sent("Our sender restrictions refused the client's MAIL FROM; the text names the \
               rule.")
        .test("554 5.7.1 <spam@bad.example>: Sender address rejected: Access denied",
              "554 5.7.1 <user@example.org>: Recipient address rejected: Access denied"),
    // The resolver's "try again": the lookup failed for now, which says nothing of whether the
    // domain exists. Often the fault is our own resolver.
    P::new("dns_lookup_incomplete", None, "routing_error",
        r"host not found, try again|malformed or unexpected name server reply|host lookup did not complete|temporary failure in name resolution")
        .says("DNS lookup did not complete",
              "Looking up the domain's mail servers failed for now: its name servers did not \
               answer, answered wrongly, or our own resolver failed. Whether the domain \
               exists is not known yet.")
        .fix("Check that this host's resolver answers (dig mx DOMAIN, against the resolver \
              in /etc/resolv.conf, or the chroot's copy of it for Postfix). If only this \
              domain fails, its name servers are down or broken; the queue retries.")
        .test("Host or domain name not found. Name service error for name=example.org \
               type=MX: Host not found, try again",
              "Host or domain name not found. Name service error for name=nowhere.example \
               type=MX: Host not found"),
    P::new("postfix_dns_error", POSTFIX, "domain_not_found",
        r"host or domain name not found|name service error")
        .says("Domain not found in DNS",
              "The domain has no MX or address record: DNS answered that the name does not \
               exist.")
        .fix("Check the domain for typos and query its MX; remove the address if the domain \
              is gone.")
        .test("Host or domain name not found. Name service error for name=nowhere.example \
               type=MX: Host not found",
              "Host found"),
    // Exim's words when no router takes an address. Sent by a remote server, or by our own
    // routing of mail going out, they mean the domain cannot be reached; sent by our server
    // to a client at RCPT, they mean no user or alias of ours has that name, since addresses
    // in domains we do not handle are refused as relaying first.
    P::new("unrouteable", Some("Exim"), "domain_not_found",
        r"unrout(e)?able")
        .reason_when_sent("user_unknown")
        .says("Unrouteable address",
              "No route to the address was found: its domain has no usable mail DNS, or, when \
               our own server refuses a client with it, no local user or alias has that name.")
        .fix("Check the address for a typo and its domain's MX; remove it if the domain is \
              gone.")
        .sent("The client sent to a local address that no router accepted: a mistyped or \
               harvested name, or a missing alias.")
        .test("550 Unrouteable address",
              "250 routed"),
    P::new("domain_not_found", None, "domain_not_found",
        r"domain not found|no such domain|domain (does not|doesn't) exist|nxdomain|no mx (record|host)|host unknown|point to non-existent hosts|missing mx|mxs point to missing|lookup of host \S+ failed|dns query failed")
        .says("Domain not found", "The domain does not exist or publishes no mail server.")
        .fix("Check the address for a typo; remove it if the domain is gone.")
        .test("550 5.1.2 Domain not found",
              "250 Domain found"),
    P::new("null_mx", None, "domain_not_found",
        r"null mx|nullmx|does not accept mail|accepts no mail|indicated no smtp service")
        .says("Domain accepts no mail", "The domain declares, by a null MX, that it takes no mail.")
        .fix("Stop sending to that domain.")
        .test("556 5.1.10 Recipient address has null MX",
              "250 accepts mail"),
    P::new("helo_rejected", None, "helo_rejected",
        r"(helo|ehlo) command rejected|(invalid|bad|bogus|forged) (helo|ehlo)|(helo|ehlo)[^.]{0,30}(invalid|rejected|not (valid|allowed))|syntactically invalid argument")
        .says("HELO refused", "The name given in HELO or EHLO was refused.")
        .fix("Make the HELO name the server's fully qualified name, resolving to its IP and \
              matching its PTR.")
        .sent("Our HELO restrictions refused the client; real servers send a resolvable name.")
        .test("550 5.7.1 <mail.example>: Helo command rejected: Host not found",
              "250 HELO received"),
    P::new("malformed_address", None, "bad_address",
        r"malformed address|bad address syntax|need fully-qualified address|address syntax error|restricted characters in address|not a valid rfc.?5321 address")
        .says("Malformed address", "An address in the envelope is not written as an address.")
        .fix("Correct how the address is written: one local part, an @ and a fully qualified \
              domain, without stray spaces or brackets.")
        .sent("The client sent an address that is not one; usually a broken script or bot.")
        .test("501 5.1.3 Bad address syntax",
              "250 address ok"),
    P::new("header_syntax", Some("Exim"), "bad_address",
        r#"failing address in "[a-z-]+:" header|no valid sender in any header line"#)
        .says("Malformed address header",
              "The receiver checks the addresses in the message's From:, Sender:, To: and Cc: \
               headers (Exim's verify = header_syntax and header_sender); one is not a valid \
               address, or no header names a sender that can be verified.")
        .fix("Fix the software that wrote the message: every address header must hold \
              complete addresses, and From: a real, routable sender.")
        .sent("Our header checks refused a message with a broken address header; usually a \
               badly written script or a spam tool.")
        .test("550 domain missing or malformed: failing address in \"From:\" header is: @",
              "550 5.1.1 <a@b.example>: Recipient address rejected"),
    P::new("user_unknown", None, "user_unknown",
        r"user unknown|unknown user|no such (user|mailbox|recipient|address)|user not found|(mailbox|recipient|address) not found|invalid (recipient|mailbox)|unknown (recipient|mailbox)|not a valid (recipient|mailbox)|recipient cannot be verified|validrcptto|no such person at this address|previous \(cached\) callout verification failure|addressee unknown|marked as invalid|invalid-recipient|not in recipient list")
        .says("Unknown user", "The recipient address does not exist at the destination.")
        .fix("Remove the address or correct it.")
        .sent("The client sent to an address we do not have; check aliases if it should \
               exist.")
        .test("550 5.1.1 <x@example.org>: No such user here",
              "250 User known"),
    P::new("does_not_exist", None, "user_unknown",
        r"(does not|doesn't) exist")
        .says("Address does not exist", "The destination says the address does not exist.")
        .fix("Remove the address or correct it.")
        .test("550 5.1.1 The mailbox you addressed does not exist",
              "550 5.1.1 This address exists"),
    P::new("mailbox_unavailable", None, "user_unknown",
        r"mailbox (is )?unavailable|mailbox not available")
        .says("Mailbox unavailable",
              "The stock wording of 550; most often the mailbox does not exist.")
        .fix("Check the address; if it is right, the text may hide a policy refusal, so \
              contact the recipient another way.")
        .test("550 Requested action not taken: mailbox unavailable",
              "250 mailbox available"),
    P::new("relay_denied", None, "relay_denied",
        r"relay(ing)? (is )?(denied|not permitted|not allowed|prohibited|refused)|not permitted to relay|unable to relay|we do not relay|no relaying|list of allowed rcpthosts|as a relay|relaying disallowed|: no-domain")
        .says("Relaying denied",
              "The server does not handle this domain and will not pass the mail on.")
        .fix("Check the recipient domain's MX; to relay through a server, authenticate first.")
        .sent("Correct for strangers; our own users must authenticate.")
        .test("550 relay not permitted",
              "250 relay ok"),
    P::new("message_too_large", None, "message_too_large",
        r"message (size )?exceeds|size exceeds|size value too big|message (is )?too (big|large)|exceeds (the )?(maximum|max) (message )?size|max(imum)? message size|message length exceeds|max(imum)? e-?mail size")
        .says("Message too large", "The message is bigger than the receiver accepts.")
        .fix("Send a smaller message or share large files by link.")
        .sent("Our size limit refused it; raise it only if such mail is wanted.")
        .test("552 5.3.4 Message too big for system",
              "250 Message size 1024 accepted"),
    // Before the rate rules: a connection limit often asks to slow down too.
    P::new("too_many_connections", None, "too_many_connections",
        r"too many (concurrent |simultaneous |parallel )?(smtp )?(connections|sessions)|connection (count|rate) limit|concurrent connections? limit|connection concurrency limit|too many open connections|maximum number of (concurrent )?connections")
        .says("Too many connections",
              "The client opened more simultaneous connections than the server allows.")
        .fix("Lower the parallel connections to that destination (Postfix \
              default_destination_concurrency_limit or a per-transport setting).")
        .sent("Our anvil or postscreen limits refused the client; raise them for known \
               partners.")
        .test("421 4.7.0 mail.example.org Error: too many connections from 192.0.2.33",
              "452 4.5.3 too many recipients"),
    P::new("rate_limited", None, "rate_limited",
        r"rate limit|rate-limit|ratelimit|too many (messages|mails)|too much mail|sending rate|throttl|slow down|try again slower|too fast|exceeded (the )?(message|sending|hourly|daily) (rate|limit|quota)|overlimit|(max|maximum) (e-?mails?|messages?) per (hour|day|connection|session)|excessive volume|frequency limit|receive limit|limits for how many messages|limit for the number of messages|daily limit|exceeded permitted limits|thread limit|max(imum)? number of messages")
        .says("Rate limited", "The receiver throttles this sender for now.")
        .fix("Let the queue retry; lower concurrency and rate towards this destination \
              (Postfix per-destination concurrency and rate delay).")
        .sent("Our rate limits refused the client; raise them if the client is legitimate.")
        .test("450 4.7.1 Too many messages from this sender, slow down",
              "250 messages sent"),
    P::new("too_many_recipients", None, "too_many_recipients",
        r"too many recipients|recipient limit|too many rcpt")
        .says("Too many recipients", "The message or session has more recipients than allowed.")
        .fix("Nothing for an MTA, which retries the rest; a bulk sender should split messages.")
        .sent("Our recipient limit fired (Postfix smtpd_recipient_limit, Exim recipients_max); \
               a normal MTA sends the remaining recipients in another transaction.")
        .test("452 4.5.3 Error: too many recipients",
              "250 one recipient"),
    P::new("virus", None, "content_rejected",
        r"virus|malware|infected|trojan|(dangerous|executable|blocked|forbidden) (attachment|file)|- banned")
        .says("Malware found", "A scanner found malware or a banned attachment type.")
        .fix("Scan the sending system; do not send executable attachments.")
        .sent("Our scanner refused the message, as intended.")
        .test("554 5.7.0 Reject, id=12345 - INFECTED: Eicar-Test-Signature",
              "250 Attachment scanned"),
    P::new("spam", None, "content_rejected",
        // SA-Exim and SpamAssassin milters give only the score (`Rejected: hits=7.5
        // required=5.0`), not the word.
        r"spam|junk mail|unsolicited|bulk mail|(hits|score)=-?[0-9.]+,? required=")
        .says("Judged to be spam", "A content filter classified the message as spam.")
        .fix("Review content, links, authentication and the list's consent, then send again \
              only once fixed.")
        .sent("Our content filter refused the message; check its score if it was wanted.")
        .test("550 5.7.1 Message rejected as spam by Content Filtering",
              "550 5.7.1 Message rejected by filter"),
    P::new("content_rejected", None, "content_rejected",
        r"content (rejected|not accepted|denied)|message filtered|messagescoringupperlimit|message content|content filter|rejected (due to|because of) content|high probability|spam ?score|policy restrictions \(header based\)|\[ph01\]")
        .says("Content refused", "A content rule refused the message.")
        .fix("Find what in the message triggers the filter (links, attachments, wording).")
        .sent("One of our content rules refused the message; the log names the header, body or \
               milter rule that fired.")
        .test("554 5.7.1 Message content rejected",
              "Content-Type: text/plain"),
    // Before the connection rules: the lookup that failed inside an expansion may quote a
    // refused or timed-out connection, but the fault is in our own configuration or backend.
    // After the quota patterns: a mailbox that is full is not a broken one.
    P::new("local_mailbox_error", None, "system_error",
        r"failed to (lock|open|create|stat) |cannot (update|open|create|lock) (mailbox|file|maildir)|unable to lock for exclusive access|unable to create lock file|mailbox (is )?locked")
        .says("Local mailbox delivery failed",
              "The local delivery agent could not write the message into the mailbox: a lock \
               left behind, a wrong owner or permission, a missing directory, or a full file \
               system.")
        .fix("Check the mailbox path, its owner and permissions, stale lock files and free \
              space on the mail store; deferred messages are retried from the queue.")
        .sent("Our delivery to a local mailbox failed: check the mailbox's path, owner, \
               permissions and lock files, and the disk.")
        .test("failed to lock mailbox /var/mail/userx (lock file)",
              "552 5.2.2 Mailbox full"),
    P::new("expansion_failed", Some("Exim"), "system_error",
        r"(failed|unable) to expand")
        .says("Configuration expansion failed",
              "Exim could not expand a string of its configuration, most often because a \
               lookup (database, LDAP, DNS list) failed while it ran.")
        .fix("Let the queue retry; the receiving server's configuration or a lookup behind it \
              is failing.")
        .sent("Our configuration failed to expand: the rest of the line names the string and \
               the lookup; check that the database or service it queries is up.")
        .test("451 Temporary local problem - failed to expand ACL string \"${lookup mysql{...}}\": \
               lookup of \"x\" gave DEFER: connection refused",
              "451 Temporary local problem - please try later"),
    // Before the generic timeout: a session that stalled after the connection was made needs
    // other advice than a connection that was never made.
    P::new("timed_out_in_session", None, "connection_failed",
        r"timed out (while|after) (sending|receiving|reading|waiting)|smtp timeout (after|while)")
        .says("Session timed out",
              "A connection was made, then the other side stopped answering in the middle of \
               the session.")
        .fix("Let the queue retry. If it stops at the same step again and again, look for a \
              size limit, a slow content filter at the receiver or a middlebox cutting long \
              sessions. A timeout after the end of the data may deliver the message twice.")
        .sent("A client went quiet in the middle of a session: usually a bot or a broken \
               network path, worth a look only for known partners.")
        .test("conversation with mx.example.net[192.0.2.5] timed out while sending end of data \
               -- message may be sent more than once",
              "connect to mx.example.net[192.0.2.5]:25: Connection timed out"),
    P::new("timed_out", None, "connection_failed",
        r"timed out|timeout")
        .says("Connection timed out", "The other side did not answer in time.")
        .fix("Check that the MX host is reachable on port 25 from our network; outgoing port \
              25 is often blocked.")
        .test("connect to mx.example.net[192.0.2.5]:25: Connection timed out",
              "connected to mx.example.net"),
    P::new("connection_refused", None, "connection_failed",
        r"connection refused")
        .says("Connection refused", "Nothing listens on the port, or a firewall rejects it.")
        .fix("Check the destination's MX records and whether its server is up.")
        .test("connect to mx.example.net[192.0.2.5]:25: Connection refused",
              "connection accepted"),
    P::new("lost_connection", None, "connection_failed",
        r"lost connection|connection reset|connection closed by|remote host (\S+ \[[^\]]*\] )?closed (the )?connection|broken pipe|unexpected(ly)? (eof|disconnect)")
        .says("Connection lost", "The session broke off in the middle.")
        .fix("Let the queue retry; if it repeats at one stage, look for size limits or a \
              middlebox cutting sessions.")
        .test("lost connection with mx.example.net[192.0.2.5] while sending RCPT TO",
              "connection kept"),
    P::new("no_route", None, "connection_failed",
        r"no route to host")
        .says("No route to host", "The network has no path to the destination address.")
        .fix("Check routing and firewalls; for IPv6, check that our host really has IPv6 \
              connectivity.")
        .test("connect to mx.example.net[2001:db8::25]:25: No route to host",
              "route to host ok"),
    P::new("network_unreachable", None, "connection_failed",
        r"network is unreachable|host unreachable")
        .says("Network unreachable", "Our host has no route to that network.")
        .fix("Check the host's network setup; if IPv6 is not usable, set Postfix \
              inet_protocols = ipv4.")
        .test("connect to mx.example.net[2001:db8::25]:25: Network is unreachable",
              "network reachable"),
    P::new("mail_loop", None, "routing_error",
        r"mail (forwarding )?loop|loops back to myself|with my own hostname|too many hops|routing loop|hop count exceeded|too many received")
        .says("Mail loop", "The message went around between servers.")
        .fix("Fix the MX, transport or forwarding settings that send it back.")
        .test("554 5.4.6 Too many hops",
              "250 hop"),
    P::new("smtp_syntax", None, "protocol_error",
        r"syntax error|bad sequence of commands|command unrecognized|line too long|too many (bad commands|errors)|synchronization error|pipelining was not advertised|too many (nonmail|unrecognized) commands")
        .says("SMTP syntax error", "A command was malformed or out of order.")
        .fix("Check the client's SMTP dialogue; the previous reply usually shows the real \
              failure.")
        .sent("A client sent malformed or out-of-order commands; usually a bot or a broken \
               script, worth a look only if a known application is affected.")
        .test("501 5.5.4 Syntax error in parameters",
              "250 syntax ok"),
    P::new("service_unavailable", None, "service_unavailable",
        r"service (is )?(temporarily )?(not available|unavailable)|(server|resources?) (is )?(currently |temporarily )?(not available|unavailable)|the service is currently unavailable|busy--please|server (is )?(shutting down|too busy)|closing (transmission )?channel|load average|not accepting (connections|messages)")
        .says("Service unavailable", "The server is not serving mail right now.")
        .fix("Let the queue retry.")
        .sent("Check our server's load, disk and process limits.")
        .test("421 4.3.2 Service not available, closing transmission channel",
              "220 Service available"),
    P::new("system_error", None, "system_error",
        r"local error in processing|internal (server )?error|temporary (local |server |system )?(problem|failure|error)|configuration error|queue file write error|system error|scanner (not available|unavailable|failure)|unknown mailer error")
        .says("Receiving system error", "The receiving server failed internally.")
        .fix("Let the queue retry; if it lasts, tell the remote postmaster.")
        .sent("Look in our logs for the failing milter, filter, lookup or disk.")
        .test("451 4.3.0 Error: queue file write error",
              "250 queue file written"),
    P::new("try_again_later", None, "greylisted",
        r"try again later|come back later")
        .says("Try again later",
              "The server asks for a later retry, most often as greylisting.")
        .fix("Nothing: the normal retry passes. If it lasts for hours, it is not greylisting; \
              read the rest of the text.")
        .test("451 4.7.1 Please try again later",
              "451 4.7.1 Try again in five minutes"),
    P::new("mimecast", Some("Mimecast"), "policy",
        r"mimecast")
        .says("Mimecast gateway refusal",
              "A Mimecast gateway in front of the recipient refused the message; the link in \
               the reply explains its own code.")
        .fix("Follow the link in the reply for the exact rule. Most are policies of the \
              recipient's organisation (blocked sender, spoofing protection), which only its \
              administrators can change.")
        .test("550 Rejected by header based Anti-Spoofing policy - \
               https://community.mimecast.com/docs/DOC-1369#550",
              "550 Rejected by header based Anti-Spoofing policy"),
    P::new("policy", None, "policy",
        r"policy|administrative prohibition|prohibited|not authori[sz]ed|access denied|refused by|rejected by (the )?(recipient|administrator)")
        .says("Policy refusal", "A local rule of the receiver refused the message.")
        .fix("Read the text for the rule; ask the receiving postmaster if it is unclear.")
        .sent("One of our restrictions refused the client; review it if real mail is \
               caught.")
        .test("550 5.7.1 Rejected by local policy",
              "550 5.7.1 Accepted"),
    // Exim quotes what the next server said to a callout; any pattern above matching the words
    // of that reply wins. A 4xx from it is a deferral, read by its codes.
    P::new("recipient_callout", Some("Exim"), "user_unknown",
        r#"response to "rcpt to:[^"]*" from .* was: 5"#)
        .says("Recipient refused by the next server (callout)",
              "Before accepting the recipient, the receiver asked the server it would relay \
               to (a callout) and that server refused the address.")
        .fix("Check the address with its owner: the server behind the receiver does not \
              take it.")
        .sent("Our recipient verification (Exim's verify = recipient/callout) asked the \
               server behind us, which refused the address: fix the address list there, or \
               the callout's target if that server is wrong.")
        .test("response to \"RCPT TO:<z@remote.example>\" from 127.0.0.1 [127.0.0.1] was: 550 \
               Recipient not liked",
              "550 Recipient not liked"),
];
