//! postscreen's verdicts: what it found about each client it screened before handing it to an
//! SMTP server. They carry no reply code, so they are no outcomes; a report sums them up apart.
//! What became of a client that failed a test depends on the test's `postscreen_*_action`:
//! under `ignore` (the default of most) it went on, under `enforce` it was refused later with
//! a `NOQUEUE: reject` line (an outcome), and under `drop` only the verdict tells of it.
//!
//! The shapes, after `postfix/postscreen[PID]: `:
//!
//! ```text
//! CONNECT from [203.0.113.7]:51234 to [192.0.2.25]:25
//! PASS NEW [203.0.113.7]:51234                  PASS OLD [203.0.113.7]:51234
//! WHITELISTED [203.0.113.7]:51234               ALLOWLISTED [203.0.113.7]:51234
//! WHITELIST VETO [203.0.113.7]:51234            ALLOWLIST VETO [203.0.113.7]:51234
//! BLACKLISTED [203.0.113.7]:51234               DENYLISTED [203.0.113.7]:51234
//! DNSBL rank 3 for [203.0.113.7]:51234
//! PREGREET 11 after 0.05 from [203.0.113.7]:51234: EHLO User\r\n
//! HANGUP after 0.8 from [203.0.113.7]:51234 in tests before SMTP handshake
//! COMMAND PIPELINING from [203.0.113.7]:51234 after EHLO: QUIT\r\n
//! NON-SMTP COMMAND from [203.0.113.7]:51234 after CONNECT: GET / HTTP/1.1
//! BARE NEWLINE from [203.0.113.7]:51234 after DATA
//! COMMAND TIME LIMIT from [203.0.113.7]:51234 after RCPT   (and COUNT, LENGTH)
//! ```
//!
//! and dnsblog, which asks the blocklists for postscreen, names each list that answered:
//! `postfix/dnsblog[PID]: addr 203.0.113.7 listed by domain zen.spamhaus.org as 127.0.0.4`.

use crate::time::Timestamp;

/// What postscreen decided about a client.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Verdict {
    /// A client connected to postscreen.
    Connect,
    /// A new client passed every test and was handed to an SMTP server.
    PassNew,
    /// A client that passed before, still in the cache, was handed on at once.
    PassOld,
    /// A client on the permanent allowlist (`postscreen_access_list`) skipped the tests.
    Allowlisted,
    /// A client refused temporary allowlist status because of the server address it reached.
    AllowlistVeto,
    /// A client on the permanent denylist (`postscreen_access_list`).
    Denylisted,
    /// A client whose blocklist score reached `postscreen_dnsbl_threshold`.
    Dnsbl,
    /// A client that spoke before postscreen's greeting was over.
    Pregreet,
    /// A client that hung up while it was being tested, before or during the greeting.
    Hangup,
    /// A client that hung up in the tests run after the SMTP handshake: a new client that
    /// passed them is asked to reconnect, and many hang up then, with a PASS NEW after.
    LateHangup,
    /// A client that sent several commands without waiting for the replies.
    Pipelining,
    /// A client that sent something that is not SMTP (an HTTP request, a proxy probe).
    NonSmtp,
    /// A client that ended a line with a bare newline instead of CRLF.
    BareNewline,
    /// A client that ran past postscreen's time, command count or line length limits.
    CommandLimit,
}

impl Verdict {
    /// Every verdict, in the order reports list them.
    pub const ALL: [Verdict; 14] = [
        Verdict::Connect,
        Verdict::PassNew,
        Verdict::PassOld,
        Verdict::Allowlisted,
        Verdict::AllowlistVeto,
        Verdict::Denylisted,
        Verdict::Dnsbl,
        Verdict::Pregreet,
        Verdict::Hangup,
        Verdict::LateHangup,
        Verdict::Pipelining,
        Verdict::NonSmtp,
        Verdict::BareNewline,
        Verdict::CommandLimit,
    ];

    /// The name in JSON, Prometheus labels and the text report.
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Connect => "connect",
            Verdict::PassNew => "pass_new",
            Verdict::PassOld => "pass_old",
            Verdict::Allowlisted => "allowlisted",
            Verdict::AllowlistVeto => "allowlist_veto",
            Verdict::Denylisted => "denylisted",
            Verdict::Dnsbl => "dnsbl",
            Verdict::Pregreet => "pregreet",
            Verdict::Hangup => "hangup",
            Verdict::LateHangup => "late_hangup",
            Verdict::Pipelining => "pipelining",
            Verdict::NonSmtp => "non_smtp",
            Verdict::BareNewline => "bare_newline",
            Verdict::CommandLimit => "command_limit",
        }
    }

    /// Whether the client failed a test: what a postmaster looks at when real mail goes
    /// missing before it reaches the SMTP server.
    pub fn is_failure(self) -> bool {
        !matches!(
            self,
            Verdict::Connect
                | Verdict::PassNew
                | Verdict::PassOld
                | Verdict::Allowlisted
                | Verdict::AllowlistVeto
                | Verdict::LateHangup
        )
    }

    /// What the verdict says, in a few words for a table row.
    pub fn short(self) -> &'static str {
        match self {
            Verdict::Connect => "connections answered",
            Verdict::PassNew => "new clients that passed every test",
            Verdict::PassOld => "clients cached as good, let through",
            Verdict::Allowlisted => "allowlisted, not tested",
            Verdict::AllowlistVeto => "not allowlisted on this server address",
            Verdict::Denylisted => "on the denylist (postscreen_access_list)",
            Verdict::Dnsbl => "blocklist score reached the threshold",
            Verdict::Pregreet => "spoke before the greeting ended",
            Verdict::Hangup => "hung up during the tests",
            Verdict::LateHangup => "hung up after the handshake, often after passing",
            Verdict::Pipelining => "sent commands without waiting",
            Verdict::NonSmtp => "sent something that is not SMTP",
            Verdict::BareNewline => "ended lines with a bare newline",
            Verdict::CommandLimit => "ran past time, count or length limits",
        }
    }

    /// What the verdict means and what to do when a real sender gets it.
    pub fn meaning(self) -> &'static str {
        match self {
            Verdict::Connect => "connections postscreen answered",
            Verdict::PassNew => "new clients that passed every test and went on to smtpd",
            Verdict::PassOld => "clients still cached as good, handed on at once",
            Verdict::Allowlisted => "clients on the allowlist, never tested",
            Verdict::AllowlistVeto => {
                "clients refused temporary allowlist status because they reached a server \
                 address outside postscreen_allowlist_interfaces (postscreen_whitelist_interfaces \
                 before Postfix 3.6); expected on a backup MX address"
            }
            Verdict::Denylisted => {
                "clients on the denylist of postscreen_access_list; check the list if one is real"
            }
            Verdict::Dnsbl => {
                "clients whose blocklist score reached postscreen_dnsbl_threshold; allowlist a \
                 real sender in postscreen_access_list or lower the weight of the list that hit"
            }
            Verdict::Pregreet => {
                "clients that spoke before the greeting ended, as spam bots do; a real sender \
                 doing this has a broken or proxied SMTP client"
            }
            Verdict::Hangup => "clients that hung up during the tests, mostly bots giving up",
            Verdict::LateHangup => {
                "clients that hung up in the tests after the SMTP handshake; a new client that \
                 passed them is told to reconnect (450 4.3.2) and often hangs up then, so its \
                 PASS NEW follows: not counted as failed"
            }
            Verdict::Pipelining => {
                "clients that sent commands without waiting for replies; usually bots"
            }
            Verdict::NonSmtp => "clients that sent something other than SMTP (web or proxy probes)",
            Verdict::BareNewline => {
                "clients that ended lines with a bare newline; old or home-made senders do this"
            }
            Verdict::CommandLimit => {
                "clients that ran past postscreen's time, command count or line length limits"
            }
        }
    }
}

/// One line of the screening, with when it was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Screening<'a> {
    /// When the line was written.
    pub timestamp: Option<Timestamp>,
    /// What it says.
    pub finding: Finding<'a>,
}

/// What a line of the screening says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Finding<'a> {
    /// postscreen's verdict on a client, named by its address as logged inside the brackets.
    Verdict { verdict: Verdict, client: &'a str },
    /// dnsblog found a client on a blocklist, named by its DNS domain.
    Listed { list: &'a str },
}

/// What a line with one of the screening's first words turned out to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reading<'a> {
    /// A verdict or a listing.
    Found(Finding<'a>),
    /// Another line of postscreen or dnsblog (`DISCONNECT`, cache statistics, warnings).
    Other,
    /// The same words written by another program.
    NotScreening,
}

/// Reads a line of `tag` (the syslog tag, `postfix/postscreen` or `postfix/dnsblog`, any
/// instance name before the slash) from its text after the syslog header.
pub fn read<'a>(tag: &str, message: &'a str) -> Reading<'a> {
    let finding = if tag.ends_with("/postscreen") {
        verdict(message).map(|(verdict, client)| Finding::Verdict { verdict, client })
    } else if tag.ends_with("/dnsblog") {
        listing(message).map(|list| Finding::Listed { list })
    } else {
        return Reading::NotScreening;
    };
    finding.map_or(Reading::Other, Reading::Found)
}

/// The blocklist of dnsblog's `addr IP listed by domain LIST as 127.0.0.N`.
fn listing(message: &str) -> Option<&str> {
    let (_, rest) = message
        .strip_prefix("addr ")?
        .split_once(" listed by domain ")?;
    let list = rest.split(' ').next()?;
    // A DNS name is at most 253 bytes: anything longer is not dnsblog's, and would only fill
    // the bounded counter of lists with junk.
    (!list.is_empty() && list.len() <= 253).then_some(list)
}

/// Reads a verdict from the text of a postscreen line after its syslog header; `None` for its
/// other lines (`DISCONNECT`, cache statistics, warnings, rejects).
fn verdict(message: &str) -> Option<(Verdict, &str)> {
    let (mut verdict, rest) = verdict_words(message)?;
    if verdict == Verdict::Hangup && rest.ends_with(" in tests after SMTP handshake") {
        verdict = Verdict::LateHangup;
    }
    let open = rest.find('[')?;
    let close = open + rest[open..].find(']')?;
    let client = &rest[open + 1..close];
    // postscreen writes an address here, IPv6 at most 45 bytes: anything much longer was not
    // written by postscreen, and would only fill the bounded counter of clients with junk.
    (!client.is_empty() && client.len() <= 64).then_some((verdict, client))
}

/// The verdict a line starts with, and the rest of the line after its words.
fn verdict_words(message: &str) -> Option<(Verdict, &str)> {
    const WORDS: [(&str, Verdict); 18] = [
        ("CONNECT from ", Verdict::Connect),
        ("PASS NEW ", Verdict::PassNew),
        ("PASS OLD ", Verdict::PassOld),
        ("WHITELISTED ", Verdict::Allowlisted),
        ("ALLOWLISTED ", Verdict::Allowlisted),
        ("WHITELIST VETO ", Verdict::AllowlistVeto),
        ("ALLOWLIST VETO ", Verdict::AllowlistVeto),
        ("BLACKLISTED ", Verdict::Denylisted),
        ("DENYLISTED ", Verdict::Denylisted),
        ("DNSBL rank ", Verdict::Dnsbl),
        ("PREGREET ", Verdict::Pregreet),
        ("HANGUP after ", Verdict::Hangup),
        ("COMMAND PIPELINING from ", Verdict::Pipelining),
        ("NON-SMTP COMMAND from ", Verdict::NonSmtp),
        ("BARE NEWLINE from ", Verdict::BareNewline),
        ("COMMAND TIME LIMIT from ", Verdict::CommandLimit),
        ("COMMAND COUNT LIMIT from ", Verdict::CommandLimit),
        ("COMMAND LENGTH LIMIT from ", Verdict::CommandLimit),
    ];
    WORDS
        .iter()
        .find_map(|(words, verdict)| Some((*verdict, message.strip_prefix(words)?)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_verdict_shape_names_its_client() {
        for (line, verdict, client) in [
            (
                "CONNECT from [203.0.113.7]:51234 to [192.0.2.25]:25",
                Verdict::Connect,
                "203.0.113.7",
            ),
            (
                "PASS NEW [203.0.113.7]:51234",
                Verdict::PassNew,
                "203.0.113.7",
            ),
            (
                "PASS OLD [2001:db8::7]:51234",
                Verdict::PassOld,
                "2001:db8::7",
            ),
            (
                "WHITELISTED [192.0.2.9]:1025",
                Verdict::Allowlisted,
                "192.0.2.9",
            ),
            (
                "ALLOWLISTED [192.0.2.9]:1025",
                Verdict::Allowlisted,
                "192.0.2.9",
            ),
            (
                "WHITELIST VETO [192.0.2.9]:1025",
                Verdict::AllowlistVeto,
                "192.0.2.9",
            ),
            (
                "BLACKLISTED [198.51.100.3]:40000",
                Verdict::Denylisted,
                "198.51.100.3",
            ),
            (
                "DENYLISTED [198.51.100.3]:40000",
                Verdict::Denylisted,
                "198.51.100.3",
            ),
            (
                "DNSBL rank 3 for [198.51.100.4]:40001",
                Verdict::Dnsbl,
                "198.51.100.4",
            ),
            (
                "PREGREET 11 after 0.05 from [198.51.100.5]:40002: EHLO User\\r\\n",
                Verdict::Pregreet,
                "198.51.100.5",
            ),
            (
                "HANGUP after 0.8 from [198.51.100.6]:40003 in tests before SMTP handshake",
                Verdict::Hangup,
                "198.51.100.6",
            ),
            (
                "HANGUP after 6.6 from [198.51.100.7]:16256 in tests after SMTP handshake",
                Verdict::LateHangup,
                "198.51.100.7",
            ),
            (
                "COMMAND PIPELINING from [198.51.100.7]:40004 after EHLO: QUIT\\r\\n",
                Verdict::Pipelining,
                "198.51.100.7",
            ),
            (
                "NON-SMTP COMMAND from [198.51.100.8]:40005 after CONNECT: GET / HTTP/1.1",
                Verdict::NonSmtp,
                "198.51.100.8",
            ),
            (
                "BARE NEWLINE from [198.51.100.9]:40006 after DATA",
                Verdict::BareNewline,
                "198.51.100.9",
            ),
            (
                "COMMAND TIME LIMIT from [198.51.100.10]:40007 after RCPT",
                Verdict::CommandLimit,
                "198.51.100.10",
            ),
            (
                "COMMAND COUNT LIMIT from [198.51.100.11]:40008 after RCPT",
                Verdict::CommandLimit,
                "198.51.100.11",
            ),
            (
                "COMMAND LENGTH LIMIT from [198.51.100.12]:40009 after DATA",
                Verdict::CommandLimit,
                "198.51.100.12",
            ),
        ] {
            assert_eq!(
                read("postfix/postscreen", line),
                Reading::Found(Finding::Verdict { verdict, client }),
                "{line}"
            );
        }
    }

    #[test]
    fn other_postscreen_lines_are_no_verdict() {
        for line in [
            "DISCONNECT [203.0.113.7]:51234",
            "NOQUEUE: reject: RCPT from [203.0.113.7]:51234: 550 5.7.1 Service unavailable; client [203.0.113.7] blocked using zen.spamhaus.org",
            "cache btree:/var/lib/postfix/postscreen_cache full cleanup: retained=10 dropped=2 entries",
            "warning: psc_cache_update: btree:/var/lib/postfix/postscreen_cache statistics",
            "PASS NEW",
            "DNSBL rank 3 for []:25",
            "DNSBL rank 3 for [xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx]:25",
            "connect from [203.0.113.7]:51234",
        ] {
            assert_eq!(read("postfix/postscreen", line), Reading::Other, "{line}");
        }
    }

    #[test]
    fn dnsblog_names_the_list_and_other_programs_are_no_screening() {
        let line = "addr 203.0.113.7 listed by domain zen.spamhaus.org as 127.0.0.4";
        assert_eq!(
            read("postfix-in/dnsblog", line),
            Reading::Found(Finding::Listed {
                list: "zen.spamhaus.org"
            })
        );
        assert_eq!(
            read("postfix/dnsblog", "addr 203.0.113.7 blocked"),
            Reading::Other
        );
        let long = format!(
            "addr 203.0.113.7 listed by domain {} as 127.0.0.2",
            "x".repeat(300)
        );
        assert_eq!(read("postfix/dnsblog", &long), Reading::Other);
        assert_eq!(
            read("postfix/smtpd", "PASS NEW [203.0.113.7]:51234"),
            Reading::NotScreening
        );
    }

    #[test]
    fn labels_are_distinct_and_only_passes_and_late_hangups_are_no_failure() {
        let labels: std::collections::BTreeSet<_> =
            Verdict::ALL.iter().map(|v| v.label()).collect();
        assert_eq!(labels.len(), Verdict::ALL.len());
        let passes: Vec<_> = Verdict::ALL
            .into_iter()
            .filter(|v| !v.is_failure())
            .collect();
        assert_eq!(
            passes,
            [
                Verdict::Connect,
                Verdict::PassNew,
                Verdict::PassOld,
                Verdict::Allowlisted,
                Verdict::AllowlistVeto,
                Verdict::LateHangup
            ]
        );
    }
}
