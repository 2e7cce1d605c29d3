//! Lines summed up by tier and kind: the problems the MTA reported about itself, per severity,
//! and the messages rules set aside, per action. Lines of one kind differ only in the client,
//! address, queue id or number they name, so each message is reduced to its shape (`hostname
//! <host> does not resolve to address <ip>`) and counted under it, with the first line of each
//! shape kept as an example.

use std::borrow::Cow;
use std::marker::PhantomData;

use crate::aggregate::{Example, KeyCounter, Map};
use crate::event::LogFormat;
use crate::parse::diagnostic::Severity;
use crate::parse::diverted::{CONTENT_CHECKS, Diversion};
use crate::parse::postfix::is_queue_id;
use crate::parse::restart::Restart;
use crate::parse::{TieredLine, exim, program_of};

/// Shapes counted exactly per tier before the smallest are dropped.
pub const SHAPE_CAP: usize = 200;

/// How much of a message its shape is made from, and the longest shape kept: the start of a
/// message tells its kind, and a hostile line must not make a long key.
const MESSAGE_READ: usize = 400;
const SHAPE_LONGEST: usize = 120;

/// The longest part of a rule's own text kept in a kind.
const NOTE_LONGEST: usize = 80;

/// The longest example text kept.
const EXAMPLE_LONGEST: usize = 300;

/// A way of sorting lines into a few tiers (the MTA's severities, the actions of rules that set
/// mail aside), each counted by kind.
pub trait Tier: Copy + Eq + std::fmt::Debug + 'static {
    /// Every tier, in the order reports list them.
    const ALL: &'static [Self];

    /// What a tier is called, as a column heading (`severity`, `action`).
    const NAME: &'static str;

    /// The name in every report format.
    fn label(self) -> &'static str;

    /// What lines of the tier tell, for a reader new to it.
    fn meaning(self) -> &'static str;

    /// What to do about lines of the tier, whatever their kind.
    fn advice(self) -> &'static str;

    /// Whether a report gives [`Tier::advice`] even when every kind listed has advice of its
    /// own.
    fn always_advised(self) -> bool;

    /// The class whose colour the tier is painted in on a terminal.
    fn colour(self) -> crate::codes::Class;

    /// The position in [`Tier::ALL`].
    fn index(self) -> usize {
        Self::ALL.iter().position(|tier| *tier == self).unwrap_or(0)
    }
}

/// The lines of one tier.
#[derive(Clone, Debug, PartialEq, Eq)]
struct KindCounts {
    lines: u64,
    /// Lines per `program shape`.
    shapes: KeyCounter,
    /// The first line of each shape held in `shapes`.
    examples: Map<Box<str>, Example>,
}

impl Default for KindCounts {
    fn default() -> Self {
        KindCounts {
            lines: 0,
            shapes: KeyCounter::new(SHAPE_CAP),
            examples: Map::default(),
        }
    }
}

impl KindCounts {
    fn add(&mut self, key: &str, example: impl FnOnce() -> Example) {
        self.lines += 1;
        self.shapes.add(key, 1);
        if !self.examples.contains_key(key) && self.shapes.get(key).is_some() {
            self.examples.insert(key.into(), example());
        }
        self.forget_dropped_examples();
    }

    fn merge(&mut self, later: KindCounts, comes_first: &impl Fn(&Example, &Example) -> bool) {
        self.lines += later.lines;
        self.shapes.merge(later.shapes);
        for (key, example) in later.examples {
            if self.shapes.get(&key).is_none() {
                continue;
            }
            match self.examples.get_mut(&key) {
                Some(kept) if comes_first(&example, kept) => *kept = example,
                Some(_) => {}
                None => {
                    self.examples.insert(key, example);
                }
            }
        }
        self.forget_dropped_examples();
    }

    /// Keeps examples only for shapes still counted, so that they stay as bounded as the
    /// counter.
    fn forget_dropped_examples(&mut self) {
        if self.examples.len() > self.shapes.keys_held() {
            let shapes = &self.shapes;
            self.examples.retain(|key, _| shapes.get(key).is_some());
        }
    }
}

/// One kind of line, as a report lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShapeRow<'a, T> {
    /// Its tier.
    pub tier: T,
    /// The program that wrote it.
    pub program: &'a str,
    /// The message with the parts that differ from line to line replaced.
    pub shape: &'a str,
    /// Lines of this kind (a lower bound when the counter dropped shapes).
    pub count: u64,
    /// The first line of this kind.
    pub example: Option<&'a Example>,
}

/// Lines per tier and per kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Kinds<T: Tier> {
    tiers: Vec<KindCounts>,
    tier: PhantomData<T>,
}

/// The problems the MTA reported about itself, per severity.
pub type Diagnostics = Kinds<Severity>;

/// The messages rules set aside, per action.
pub type Diversions = Kinds<Diversion>;

/// The MTA's starts, reloads and stops, per event.
pub type Restarts = Kinds<Restart>;

impl<T: Tier> Default for Kinds<T> {
    fn default() -> Self {
        Kinds {
            tiers: vec![KindCounts::default(); T::ALL.len()],
            tier: PhantomData,
        }
    }
}

impl<T: Tier> Kinds<T> {
    /// Counts one line, read from line `line` of `file`.
    pub fn add(&mut self, said: &TieredLine<'_, T>, file: &str, line: u64) {
        let program = visible_program(said.program);
        let shape = match program_of(said.program) {
            // Exim writes the client's address, HELO name and port, and more fields, in the
            // middle of its sentences; they are taken out before the rest is shaped.
            Some(LogFormat::Exim) => shape_of(&exim::without_connection(said.message)),
            _ => shape_of(said.message),
        };
        let mut key = String::with_capacity(program.len() + 1 + shape.len());
        key.push_str(&program);
        key.push(' ');
        key.push_str(&shape);
        // A rule's own text (its author's words, a redirect's target) tells one rule from
        // another where what it matched cannot, so it is kept as written.
        if !said.note.is_empty() {
            key.push_str(": ");
            key.push_str(prefix(said.note, NOTE_LONGEST));
        }
        self.tiers[said.tier.index()].add(&key, || {
            let text = if said.note.is_empty() {
                prefix(said.message, EXAMPLE_LONGEST).to_string()
            } else {
                format!("{}: {}", said.message, said.note)
            };
            Example {
                file: file.to_string(),
                line,
                text: prefix(&text, EXAMPLE_LONGEST).to_string(),
            }
        });
    }

    /// Adds the lines counted in a later part.
    pub fn merge(&mut self, later: Kinds<T>) {
        self.merge_ordered(later, |_, _| false);
    }

    /// Adds the lines counted in another part, which may have been read earlier: an example of
    /// `other` replaces ours where `comes_first(theirs, ours)` says it was read first.
    pub fn merge_ordered(
        &mut self,
        other: Kinds<T>,
        comes_first: impl Fn(&Example, &Example) -> bool,
    ) {
        for (ours, theirs) in self.tiers.iter_mut().zip(other.tiers) {
            ours.merge(theirs, &comes_first);
        }
    }

    /// Every example kept, to rename its file.
    pub fn examples_mut(&mut self) -> impl Iterator<Item = &mut Example> {
        self.tiers
            .iter_mut()
            .flat_map(|counts| counts.examples.values_mut())
    }

    /// Lines of one tier.
    pub fn count(&self, tier: T) -> u64 {
        self.tiers[tier.index()].lines
    }

    /// Whether no line was counted.
    pub fn is_empty(&self) -> bool {
        self.tiers.iter().all(|counts| counts.lines == 0)
    }

    /// The shapes of one tier and their counts.
    pub fn shapes(&self, tier: T) -> &KeyCounter {
        &self.tiers[tier.index()].shapes
    }

    /// The `top` most frequent kinds of each tier, in the order of [`Tier::ALL`], each by
    /// count.
    pub fn top_rows(&self, top: usize) -> Vec<ShapeRow<'_, T>> {
        let mut rows = Vec::new();
        for &tier in T::ALL {
            let counts = &self.tiers[tier.index()];
            for (key, count) in counts.shapes.top(top) {
                let (program, shape) = key.split_once(' ').unwrap_or(("", key));
                rows.push(ShapeRow {
                    tier,
                    program,
                    shape,
                    count,
                    example: counts.examples.get(key),
                });
            }
        }
        rows
    }

    /// The lines of one tier counted elsewhere (a merged summary): the total, each kind kept
    /// with its count and example, and how far below the truth the kept counts may be.
    pub fn add_counted(
        &mut self,
        tier: T,
        lines: u64,
        shapes: Vec<(Box<str>, u64, Option<Example>)>,
        max_undercount: u64,
    ) {
        let mut examples = Map::default();
        let mut counts = Vec::with_capacity(shapes.len());
        for (key, count, example) in shapes {
            if let Some(example) = example {
                examples.insert(key.clone(), example);
            }
            counts.push((key, count));
        }
        let counted = KindCounts {
            lines,
            shapes: KeyCounter::from_entries(SHAPE_CAP, counts, max_undercount),
            examples,
        };
        self.tiers[tier.index()].merge(counted, &|_, _| false);
    }
}

/// The program name as a key part: a space would split the key in the wrong place.
fn visible_program(program: &str) -> std::borrow::Cow<'_, str> {
    let program = prefix(program, 64);
    if program.contains(' ') {
        program.replace(' ', "_").into()
    } else {
        program.into()
    }
}

/// The message with what differs between lines of one kind replaced: a client `host[ip]`
/// becomes `<host>[<ip>]`, an address in angle brackets `<address>`, an IP address `<ip>`, a
/// host name `<host>`, a number `<n>`; a header or body check's matched text is left out.
/// Paths and words are kept, so that the kind can still be read.
pub fn shape_of(message: &str) -> String {
    let message = prefix(message, MESSAGE_READ);
    // A WARN action of header_checks or body_checks quotes the text it matched, which is
    // different on every line; the header's name tells the kind.
    for check in CONTENT_CHECKS {
        if let Some(rest) = message.strip_prefix(check) {
            let name = match rest.split_once(": ") {
                Some((name, _)) if check != "body " && !name.contains(' ') => name,
                _ => "",
            };
            return format!("{check}{name}{}…", if name.is_empty() { "" } else { ": " });
        }
    }
    // An address in angle brackets may hold spaces (`<"erin smith"@example.com>`), so it is
    // folded before the message is cut into words.
    let folded = fold_angle_addresses(message);
    let mut shape = String::with_capacity(folded.len().min(SHAPE_LONGEST));
    let mut word_start = 0;
    let spaces = memchr::memchr_iter(b' ', folded.as_bytes()).chain([folded.len()]);
    for word_end in spaces {
        if word_start > 0 {
            shape.push(' ');
        }
        shape_token(&folded[word_start..word_end], &mut shape);
        word_start = word_end + 1;
        // What a client sent in place of SMTP is its own choice of text.
        if shape.starts_with("non-SMTP command from ") && shape.ends_with("]:") {
            shape.push_str(" …");
            break;
        }
        if shape.len() > SHAPE_LONGEST {
            let kept = prefix(&shape, SHAPE_LONGEST).len();
            shape.truncate(kept);
            shape.push('…');
            break;
        }
    }
    shape
}

/// The message with what angle brackets hold folded: an address (`<alice@example.com>`, which
/// may hold spaces) becomes `<address>`, and anything else a client chose, a HELO name or a
/// client `<host[ip]>` as access rules quote it, `<…>`.
fn fold_angle_addresses(message: &str) -> Cow<'_, str> {
    if memchr::memchr(b'<', message.as_bytes()).is_none() {
        return Cow::Borrowed(message);
    }
    let mut folded = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(open) = rest.find('<') {
        let Some(close) = rest[open..].find('>') else {
            break;
        };
        folded.push_str(&rest[..open]);
        let inside = &rest[open + 1..open + close];
        folded.push_str(match inside {
            "" => "<>",
            // Already folded (see `exim::without_connection`).
            "host" => "<host>",
            "id" => "<id>",
            "dir" => "<dir>",
            _ if inside.contains('@') => "<address>",
            _ => "<…>",
        });
        rest = &rest[open + close + 1..];
    }
    folded.push_str(rest);
    Cow::Owned(folded)
}

/// Appends the shape of one space-separated word.
fn shape_token(token: &str, shape: &mut String) {
    let has = Marks::of(token);
    // Most words are plain words, which nothing below would change.
    if !has.any() {
        shape.push_str(token);
        return;
    }
    if token.starts_with('/') {
        shape_path(token, shape);
        return;
    }
    // A milter's or service's endpoint names which one it is; its port is no variable part.
    if token.starts_with("inet:") || token.starts_with("unix:") {
        shape.push_str(token);
        return;
    }
    // A signal or port number tells the kind: 6 is an abort, 11 a crash; 25 is not 587.
    if (shape.ends_with("signal ") || shape.ends_with("port "))
        && token.bytes().next().is_some_and(|b| b.is_ascii_digit())
    {
        shape.push_str(token);
        return;
    }
    let core = token.trim_start_matches(['(', '"', '\'']);
    let lead = &token[..token.len() - core.len()];
    let core_end = core.trim_end_matches([':', ',', ';', ')', '"', '\'', '.']);
    // An LDAP DN (`uid=alice,ou=people,dc=example,dc=com`) names a person.
    if has.equals && has.comma && core_end.matches('=').count() >= 2 && core_end.contains(',') {
        shape.push_str(lead);
        shape.push_str("<dn>");
        shape.push_str(&core[core_end.len()..]);
        return;
    }
    // `alice@example.com` or `sasl_username=alice@example.com`: a mailbox, never kept.
    let equals_at = if has.equals {
        memchr::memrchr(b'=', core_end.as_bytes())
    } else {
        None
    };
    let (key, value) = match equals_at {
        Some(equals) => core_end.split_at(equals + 1),
        None => ("", core_end),
    };
    let replacement = if has.dot && is_host_name(value) {
        Some("<host>")
    } else if has.at && value.contains('@') && !value.contains(['<', '>', '[']) {
        Some("<address>")
    } else if has.colon && value.contains(':') && value.parse::<std::net::Ipv6Addr>().is_ok() {
        Some("<ip>")
    } else if has.digit && looks_like_queue_id(value) {
        Some("<id>")
    } else {
        None
    };
    // sendmail and postdrop name the local user as `alice(1000)`.
    if replacement.is_none() && has.paren {
        let before_punctuation = core.trim_end_matches([':', ',', ';']);
        if is_user_and_uid(before_punctuation) {
            shape.push_str(lead);
            shape.push_str("<user>(<n>)");
            shape.push_str(&core[before_punctuation.len()..]);
            return;
        }
    }
    if let Some(replacement) = replacement {
        shape.push_str(lead);
        shape.push_str(key);
        shape.push_str(replacement);
        shape.push_str(&core[core_end.len()..]);
        return;
    }
    if !(has.digit || has.bracket) {
        shape.push_str(token);
        return;
    }
    let token_start = shape.len();
    let bytes = token.as_bytes();
    // Plain text is copied in runs; only a bracket, an angle bracket or the start of a number
    // can begin a part to replace.
    let mut plain_from = 0;
    let mut at = 0;
    while at < bytes.len() {
        let byte = bytes[at];
        let starts_number =
            byte.is_ascii_digit() && (at == 0 || !bytes[at - 1].is_ascii_alphanumeric());
        if byte != b'[' && byte != b'<' && !starts_number {
            at += 1;
            continue;
        }
        let Some((replacement, taken)) = replaced_at(&token[at..]) else {
            at += 1;
            continue;
        };
        shape.push_str(&token[plain_from..at]);
        if replacement == "[<ip>]" {
            // `name[addr]`: the name before the bracket is the client's.
            let before = &shape[token_start..];
            if !before.is_empty() && before.bytes().all(is_name_byte) {
                shape.truncate(token_start);
                shape.push_str("<host>");
            }
        }
        shape.push_str(replacement);
        at += taken;
        plain_from = at;
    }
    shape.push_str(&token[plain_from..]);
}

/// Which bytes that can start a part to replace a word holds, found in one pass.
#[derive(Clone, Copy, Default)]
struct Marks {
    digit: bool,
    dot: bool,
    at: bool,
    colon: bool,
    equals: bool,
    comma: bool,
    paren: bool,
    bracket: bool,
    slash: bool,
}

impl Marks {
    fn of(word: &str) -> Marks {
        let mut has = Marks::default();
        for byte in word.bytes() {
            match byte {
                b'0'..=b'9' => has.digit = true,
                b'.' => has.dot = true,
                b'@' => has.at = true,
                b':' => has.colon = true,
                b'=' => has.equals = true,
                b',' => has.comma = true,
                b'(' => has.paren = true,
                b'[' | b'<' => has.bracket = true,
                b'/' => has.slash = true,
                _ => {}
            }
        }
        has
    }

    /// Whether anything but letters and punctuation that never starts a part: a colon or a
    /// comma alone ends a word, and changes nothing.
    fn any(self) -> bool {
        self.digit || self.dot || self.at || self.equals || self.paren || self.bracket || self.slash
    }
}

/// What replaces the part of a word that starts `text` (with `[`, `<` or a digit), and how
/// many bytes it takes; `None` when the part is kept.
fn replaced_at(text: &str) -> Option<(&'static str, usize)> {
    match text.as_bytes()[0] {
        b'[' => {
            let close = text.find(']')?;
            is_address(&text[1..close]).then_some(("[<ip>]", close + 1))
        }
        b'<' => {
            let close = text.find('>')?;
            text[..close]
                .contains('@')
                .then_some(("<address>", close + 1))
        }
        _ => {
            let digits = text
                .find(|c: char| !c.is_ascii_digit() && c != '.')
                .unwrap_or(text.len());
            // Dots between digits belong to the number: a version, a decimal, an address.
            let run = text[..digits].trim_end_matches('.');
            let next = text.as_bytes().get(run.len());
            if next.is_some_and(u8::is_ascii_alphabetic) {
                return None;
            }
            Some((if is_ipv4(run) { "<ip>" } else { "<n>" }, run.len()))
        }
    }
}

/// Appends a path with the parts that differ between lines replaced: a maildir's mailbox and
/// file (`/var/vmail/<mailbox>/tmp/<file>`), and queue file names and hash directories.
fn shape_path(token: &str, shape: &mut String) {
    let path = token.trim_end_matches([':', ',', ';', ')', '"', '\'']);
    let punctuation = &token[path.len()..];
    let parts: Vec<&str> = path.split('/').collect();
    // The mailbox is the part before a maildir's `tmp`, `new` or `cur`.
    let maildir = parts
        .iter()
        .enumerate()
        .skip(2)
        .find(|(index, part)| matches!(**part, "tmp" | "new" | "cur") && *index + 1 < parts.len())
        .map(|(index, _)| index);
    for (index, part) in parts.iter().enumerate() {
        if index > 0 {
            shape.push('/');
        }
        match maildir {
            Some(at) if index == at - 1 => shape.push_str("<mailbox>"),
            Some(at) if index > at => {
                shape.push_str("<file>");
                break;
            }
            _ if looks_like_queue_id(part) => shape.push_str("<id>"),
            // A hashed queue directory is one hex digit per level (`deferred/A/B/...`).
            _ if part.len() == 1 && part.bytes().all(|b| b.is_ascii_hexdigit()) => {
                shape.push_str("<n>")
            }
            _ => shape.push_str(part),
        }
    }
    shape.push_str(punctuation);
}

/// A Postfix queue id inside a message. Ids have eight characters or more and an upper-case
/// letter (short ids are upper-case hex), which keeps words such as `sha256`, `TLSv1` or
/// `AES256`, that the id's shape alone would take, as they are.
fn looks_like_queue_id(word: &str) -> bool {
    word.len() >= 8 && word.bytes().any(|b| b.is_ascii_uppercase()) && is_queue_id(word)
}

/// `alice(1000)`: a user name and its uid, as sendmail and postdrop write them.
fn is_user_and_uid(word: &str) -> bool {
    let Some((user, uid)) = word.strip_suffix(')').and_then(|w| w.split_once('(')) else {
        return false;
    };
    !user.is_empty() && !uid.is_empty() && uid.bytes().all(|b| b.is_ascii_digit())
}

/// The longest start of `text` of at most `bytes` bytes that ends on a character boundary.
fn prefix(text: &str, bytes: usize) -> &str {
    let mut end = bytes.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

fn is_name_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'.' | b'-' | b'_')
}

/// A DNS name of at least two labels whose last label is letters: `mx.example.org`.
fn is_host_name(word: &str) -> bool {
    let Some((_, last)) = word.rsplit_once('.') else {
        return false;
    };
    word.len() >= 4
        && word.bytes().all(is_name_byte)
        && word.as_bytes()[0].is_ascii_alphanumeric()
        && last.len() >= 2
        && last.bytes().all(|b| b.is_ascii_alphabetic())
        && !word.contains("..")
}

fn is_ipv4(text: &str) -> bool {
    text.parse::<std::net::Ipv4Addr>().is_ok()
}

/// An IP address as Postfix writes it in brackets, IPv6 with or without its `IPv6:` tag.
fn is_address(text: &str) -> bool {
    let text = text.strip_prefix("IPv6:").unwrap_or(text);
    is_ipv4(text) || text.parse::<std::net::Ipv6Addr>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_differs_between_lines_of_one_kind_is_replaced() {
        let cases = [
            (
                "hostname mail.example.com does not resolve to address 192.0.2.7: Name or service not known",
                "hostname <host> does not resolve to address <ip>: Name or service not known",
            ),
            (
                "warning: GET / HTTP/1.1 from unknown[198.51.100.4]",
                "warning: GET / HTTP/<n> from <host>[<ip>]",
            ),
            (
                "ciphertext read/write timeout for [203.0.113.9]:59869",
                "ciphertext read/write timeout for [<ip>]:<n>",
            ),
            (
                "process /usr/lib/postfix/sbin/smtpd pid 46234 exit status 1",
                "process /usr/lib/postfix/sbin/smtpd pid <n> exit status <n>",
            ),
            (
                "file /etc/postfix/main.cf: parameter default_privs: unknown user name value: nobody",
                "file /etc/postfix/main.cf: parameter default_privs: unknown user name value: nobody",
            ),
            (
                "mx.example.net[2001:db8::25]:25: TLS is required, <alice@example.org> refused",
                "<host>[<ip>]:<n>: TLS is required, <address> refused",
            ),
            (
                "dnsblog_query: lookup error for DNS query 7.2.0.192.zen.spamhaus.org: Host or domain name not found",
                "dnsblog_query: lookup error for DNS query <host>: Host or domain name not found",
            ),
            (
                "smtpd_peer_hostaddr_to_sockaddr: numeric domain name in resource data of MX record",
                "smtpd_peer_hostaddr_to_sockaddr: numeric domain name in resource data of MX record",
            ),
            (
                "header Subject: You have won! from mx.example.com[192.0.2.1]; from=<a@b.example> to=<c@d.example>",
                "header Subject: …",
            ),
            ("body cheap pills here", "body …"),
            (
                "dict_ldap_get_values[1]: DN uid=alice,ou=people,dc=example,dc=com not found, skipping",
                "dict_ldap_get_values[<n>]: DN <dn> not found, skipping",
            ),
            (
                "alice(1000): No recipient addresses found in message header",
                "<user>(<n>): No recipient addresses found in message header",
            ),
            (
                "maildir access problem for UID/GID=5000/5000: create maildir file /var/vmail/user1/tmp/1306777831.P18373.gil: Permission denied",
                "maildir access problem for UID/GID=<n>/<n>: create maildir file /var/vmail/<mailbox>/tmp/<file>: Permission denied",
            ),
            (
                "Illegal address syntax from unknown[192.0.2.9] in RCPT command: <\"erin smith\"@example.com>",
                "Illegal address syntax from <host>[<ip>] in RCPT command: <address>",
            ),
            (
                "saving corrupt file \"9BECF3F19D\" from queue \"active\" to queue \"corrupt\"",
                "saving corrupt file \"<id>\" from queue \"active\" to queue \"corrupt\"",
            ),
            (
                "not owned by postfix: /var/spool/postfix/deferred/1/1A2B3C4D5E",
                "not owned by postfix: /var/spool/postfix/deferred/<n>/<id>",
            ),
            (
                "hostname mail.example.com does not resolve to address 2a01:4f8:c2c:123::1: Name or service not known",
                "hostname <host> does not resolve to address <ip>: Name or service not known",
            ),
            (
                "non-SMTP command from unknown[192.0.2.10]: CONNECT www.example.com:443 HTTP/1.1",
                "non-SMTP command from <host>[<ip>]: …",
            ),
            (
                "process /usr/lib/postfix/sbin/smtpd pid 2203 killed by signal 11",
                "process /usr/lib/postfix/sbin/smtpd pid <n> killed by signal 11",
            ),
            (
                "bind 0.0.0.0 port 587: Address already in use",
                "bind <ip> port 587: Address already in use",
            ),
            (
                "connect to Milter service inet:127.0.0.1:11332: Connection refused",
                "connect to Milter service inet:127.0.0.1:11332: Connection refused",
            ),
            (
                "9BECF3F19D: sender_canonical_maps map lookup problem for alice@example.com -- message not accepted",
                "<id>: sender_canonical_maps map lookup problem for <address> -- message not accepted",
            ),
            (
                "unknown[192.0.2.8]: sasl_username=bob@example.org, mail_host=mx.example.org",
                "<host>[<ip>]: sasl_username=<address>, mail_host=<host>",
            ),
            (
                "cannot use TLSv1 with AES256 for sha256 keys",
                "cannot use TLSv1 with AES256 for sha256 keys",
            ),
            (
                "sha256 digest of 3 files; retrying in 60s",
                "sha256 digest of <n> files; retrying in 60s",
            ),
        ];
        for (message, shape) in cases {
            assert_eq!(shape_of(message), shape, "{message}");
        }
    }

    #[test]
    fn a_shape_is_short_whatever_the_message() {
        let message = format!("table lookup problem for {}", "x".repeat(100_000));
        let shape = shape_of(&message);
        assert!(
            shape.chars().count() <= SHAPE_LONGEST + 1,
            "{}",
            shape.len()
        );
        assert!(shape.ends_with('…'));
    }

    fn line<'a>(tier: Severity, program: &'a str, message: &'a str) -> TieredLine<'a, Severity> {
        TieredLine {
            timestamp: None,
            tier,
            program,
            message,
            note: "",
        }
    }

    #[test]
    fn lines_of_one_kind_are_counted_together_with_the_first_as_example() {
        let mut diagnostics = Diagnostics::default();
        let smtpd = "postfix/smtpd";
        let warning = Severity::Warning;
        let unresolved = "hostname a.example does not resolve to address 192.0.2.1";
        diagnostics.add(&line(warning, smtpd, unresolved), "mail.log", 3);
        let unresolved = "hostname b.example does not resolve to address 192.0.2.2";
        diagnostics.add(&line(warning, smtpd, unresolved), "mail.log", 9);
        let bind = "bind 0.0.0.0 port 25: Address already in use";
        let fatal = line(Severity::Fatal, "postfix/master", bind);
        diagnostics.add(&fatal, "mail.log", 12);
        let rows = diagnostics.top_rows(10);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].tier, Severity::Fatal, "worst first");
        assert_eq!(rows[0].shape, "bind <ip> port 25: Address already in use");
        assert_eq!(rows[1].program, "postfix/smtpd");
        assert_eq!(rows[1].count, 2);
        assert_eq!(rows[1].example.map(|e| e.line), Some(3));
        assert_eq!(diagnostics.count(Severity::Warning), 2);
    }

    #[test]
    fn examples_stay_as_bounded_as_the_shapes() {
        let mut diagnostics = Diagnostics::default();
        let messages: Vec<String> = (0..SHAPE_CAP * 5)
            .map(|i| format!("unknown table kind{i}"))
            .collect();
        for (number, message) in messages.iter().enumerate() {
            let said = line(Severity::Warning, "postfix/cleanup", message);
            diagnostics.add(&said, "f", number as u64);
        }
        let counts = &diagnostics.tiers[Severity::Warning.index()];
        assert!(counts.shapes.keys_held() < SHAPE_CAP * 2);
        assert!(counts.examples.len() <= counts.shapes.keys_held());
        assert_eq!(diagnostics.count(Severity::Warning), SHAPE_CAP as u64 * 5);
    }

    #[test]
    fn merging_keeps_the_earlier_example() {
        let deferred = "lots of deferred mail";
        let mut earlier = Diagnostics::default();
        let said = line(Severity::Warning, "postfix/qmgr", deferred);
        earlier.add(&said, "a", 5);
        let mut later = Diagnostics::default();
        later.add(&said, "b", 1);
        earlier.merge(later);
        let rows = earlier.top_rows(10);
        assert_eq!(rows[0].count, 2);
        assert_eq!(rows[0].example.map(|e| e.file.as_str()), Some("a"));
    }
}
