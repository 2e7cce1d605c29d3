//! The Exim side of the generator: the `mainlog` of an Exim MX and submission server for
//! `example.com`.
//!
//! Stories are arrivals with their deliveries, failures, deferrals and retries, bounce messages,
//! frozen messages, and connection-level rejects. The header style changes at each daemon
//! restart, as it does when an administrator changes `log_selector` or upgrades: plain times
//! with old 16-character ids, then ` [pid]` with 4.97's 23-character ids, then `.mmm +0100`, and
//! finally all three with 4.99's ` : ` separator in failure lines.

use chrono::NaiveDateTime;

use super::{
    Addr, BASE62, Ip, Model, Rng, STYLE_MILLIS, STYLE_PID, STYLE_ZONE, Sched, Token, address,
    doc_ipv4, emit, wall,
};

const OUR_DOMAIN: &str = "example.com";

/// A header style: the bits for the time, whether ids have the 4.97 form, and the separator
/// before the reason in `**` lines.
#[derive(Clone, Copy)]
struct Era {
    style: u8,
    version: &'static str,
    new_ids: bool,
    sep: &'static str,
}

const ERAS: [Era; 4] = [
    Era {
        style: 0,
        version: "4.96",
        new_ids: false,
        sep: ": ",
    },
    Era {
        style: STYLE_PID,
        version: "4.97.1",
        new_ids: true,
        sep: ": ",
    },
    Era {
        style: STYLE_MILLIS | STYLE_ZONE,
        version: "4.98",
        new_ids: true,
        sep: ": ",
    },
    Era {
        style: STYLE_MILLIS | STYLE_ZONE | STYLE_PID,
        version: "4.99",
        new_ids: true,
        sep: " : ",
    },
];

/// A remote domain and its MX host.
struct Dest {
    domain: &'static str,
    google: bool,
    microsoft: bool,
    mx: &'static str,
    ip: &'static str,
}

const DESTS: &[Dest] = &[
    Dest {
        domain: "gmail.com",
        google: true,
        microsoft: false,
        mx: "gmail-smtp-in.l.google.com",
        ip: "142.250.27.26",
    },
    Dest {
        domain: "outlook.com",
        google: false,
        microsoft: true,
        mx: "outlook-com.olc.protection.outlook.com",
        ip: "52.101.68.10",
    },
    Dest {
        domain: "yahoo.com",
        google: false,
        microsoft: false,
        mx: "mta6.am0.yahoodns.net",
        ip: "98.136.96.74",
    },
    Dest {
        domain: "example.org",
        google: false,
        microsoft: false,
        mx: "mx.example.org",
        ip: "203.0.113.5",
    },
    Dest {
        domain: "hotmail.com",
        google: false,
        microsoft: true,
        mx: "hotmail-com.olc.protection.outlook.com",
        ip: "52.101.11.2",
    },
    Dest {
        domain: "example.net",
        google: false,
        microsoft: false,
        mx: "mail.example.net",
        ip: "198.51.100.20",
    },
    Dest {
        domain: "gmx.de",
        google: false,
        microsoft: false,
        mx: "mx00.emig.gmx.net",
        ip: "212.227.15.41",
    },
    Dest {
        domain: "uni.example",
        google: false,
        microsoft: false,
        mx: "mx1.uni.example",
        ip: "198.51.100.61",
    },
    Dest {
        domain: "slow.example",
        google: false,
        microsoft: false,
        mx: "mx.slow.example",
        ip: "203.0.113.9",
    },
];
const DEST_WEIGHTS: &[u32] = &[1000, 500, 333, 250, 200, 167, 143, 125, 60];

/// Sending servers for inbound mail: name (empty when it has no reverse DNS), HELO, address.
const SENDERS: &[(&str, &str, &str)] = &[
    (
        "mail-wr1-f54.google.com",
        "mail-wr1-f54.google.com",
        "209.85.221.54",
    ),
    (
        "mail-eopbgr80071.outbound.protection.outlook.com",
        "EUR04-VI1-obe.outbound.protection.outlook.com",
        "40.107.8.71",
    ),
    ("mout.gmx.net", "mout.gmx.net", "212.227.15.19"),
    ("out.lists.example", "out.lists.example", "198.51.100.210"),
    (
        "mail.partner.example",
        "mail.partner.example",
        "203.0.113.44",
    ),
];

const SENDER_DOMAINS: &[&str] = &[
    "gmail.com",
    "outlook.com",
    "example.org",
    "lists.example",
    "partner.example",
    "gmx.de",
];

const SUBJECTS: &[&str] = &[
    "Quarterly report",
    "Re: meeting on Thursday",
    "Your invoice 2026-1184",
    "Fwd: photos",
    "Weekly newsletter",
    "Password reset",
];

/// The host part of a line: `H=name [ip]`, `H=name (helo) [ip]` or `H=(helo) [ip]`.
struct HostField {
    name: &'static str,
    helo: &'static str,
    ip: IpText,
}

#[derive(Clone, Copy)]
enum IpText {
    Static(&'static str),
    V4(Ip),
}

impl std::fmt::Display for IpText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IpText::Static(s) => f.write_str(s),
            IpText::V4(ip) => ip.fmt(f),
        }
    }
}

impl std::fmt::Display for HostField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("H=")?;
        if !self.name.is_empty() {
            f.write_str(self.name)?;
            if self.helo != self.name {
                write!(f, " ({})", self.helo)?;
            }
        } else {
            write!(f, "({})", self.helo)?;
        }
        write!(f, " [{}]", self.ip)
    }
}

/// The outcome of one delivery attempt to one recipient.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Sent,
    Defer(u8),
    Fail(u8),
}

pub(super) struct Exim {
    start: NaiveDateTime,
    era: usize,
    next_restart: u64,
    stories: u64,
    next_pid: u32,
    daemon: u32,
    next_queue_run: i64,
    frozen: Vec<(Token, i64)>,
}

impl Exim {
    pub(super) fn new(opts: &super::GenOptions, rng: &mut Rng) -> Self {
        let next_pid = rng.range(2000, 60_000) as u32;
        Exim {
            start: opts.start,
            era: 0,
            next_restart: rng.range(100, 250),
            stories: 0,
            next_pid,
            daemon: next_pid - 1000,
            next_queue_run: rng.ms(60_000, 1_800_000),
            frozen: Vec::new(),
        }
    }

    fn era(&self) -> Era {
        ERAS[self.era]
    }

    fn pid(&mut self, rng: &mut Rng) -> u32 {
        self.next_pid += rng.range(1, 40) as u32;
        if self.next_pid > 4_000_000 {
            self.next_pid = 2000 + self.next_pid % 1000;
        }
        self.next_pid
    }

    /// A message id for a message received at `at` by process `pid`, in the era's form.
    fn id(&self, at: i64, pid: u32) -> Token {
        let secs = wall(self.start, at).and_utc().timestamp().max(0) as u64;
        let micros = at.rem_euclid(1_000_000) as u64;
        let mut t = Token::encode(secs, BASE62, 6);
        t.push(b'-');
        if self.era().new_ids {
            t.append(&Token::encode(u64::from(pid), BASE62, 11));
            t.push(b'-');
            t.append(&Token::encode(micros * 14_776_336 / 1_000_000, BASE62, 4));
        } else {
            t.append(&Token::encode(u64::from(pid), BASE62, 6));
            t.push(b'-');
            t.append(&Token::encode(micros * 3844 / 1_000_000, BASE62, 2));
        }
        t
    }

    fn dest(rng: &mut Rng) -> &'static Dest {
        &DESTS[rng.weighted(DEST_WEIGHTS)]
    }

    fn spam_host(rng: &mut Rng) -> HostField {
        HostField {
            name: "",
            helo: rng.pick(&["ylmf-pc", "User", "win-8k2pq3", "localhost", "bad.example"]),
            ip: IpText::V4(doc_ipv4(rng)),
        }
    }

    fn good_host(rng: &mut Rng) -> HostField {
        let (name, helo, ip) = rng.pick(SENDERS);
        HostField {
            name,
            helo,
            ip: IpText::Static(ip),
        }
    }

    fn periodic(&mut self, at: i64, s: &mut Sched, rng: &mut Rng) {
        if at >= self.next_queue_run {
            let t = at;
            let pid = self.pid(rng);
            let style = self.era().style;
            emit!(s, t, pid, style, "Start queue run: pid={pid}");
            let mut end = t + rng.ms(50, 2000);
            for (id, _) in &self.frozen {
                end += rng.ms(1, 20);
                emit!(s, end, pid, style, "{id} Message is frozen");
            }
            self.frozen.retain(|&(_, until)| until > t);
            emit!(s, end + 1_000, pid, style, "End queue run: pid={pid}");
            // Queue runs start every 30 minutes; one that fell into a quiet spell is not
            // written after the fact.
            self.next_queue_run = at + 1_800_000_000;
        }
    }

    fn restart(&mut self, at: i64, s: &mut Sched, rng: &mut Rng) {
        // Upgrades and log_selector changes only go forward.
        self.era = (self.era + 1).min(ERAS.len() - 1);
        self.daemon = self.pid(rng);
        let era = self.era();
        emit!(
            s,
            at,
            self.daemon,
            era.style,
            "exim {} daemon started: pid={}, -q30m, listening for SMTP on port 25 (IPv6 and IPv4) port 587 (IPv6 and IPv4) port 465 (IPv6 and IPv4)",
            era.version,
            self.daemon
        );
    }

    /// An inbound message for local mailboxes.
    fn inbound(&mut self, at: i64, s: &mut Sched, rng: &mut Rng) {
        let era = self.era();
        let recv = self.pid(rng);
        let id = self.id(at, recv);
        let host = Self::good_host(rng);
        let from_domain = rng.pick(SENDER_DOMAINS);
        let from = address(rng, from_domain);
        let n = if rng.chance(850) { 1 } else { 2 };
        let size = rng.range(1_500, 80_000);
        emit!(
            s,
            at,
            recv,
            era.style,
            "{id} <= {from} {host} P=esmtps X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=no S={size} id={:016x}@{} T=\"{}\"",
            rng.next_u64(),
            from.domain,
            rng.pick(SUBJECTS)
        );
        let deliver = self.pid(rng);
        let mut t = at + rng.ms(20, 400);
        for _ in 0..n {
            let to = address(rng, OUR_DOMAIN);
            if rng.chance(500) {
                emit!(
                    s,
                    t,
                    deliver,
                    era.style,
                    "{id} => {} <{to}> R=local_user T=mail_spool",
                    to.user
                );
                // A local delivery is an outcome too, without a reply code.
                s.outcome();
            } else {
                emit!(
                    s,
                    t,
                    deliver,
                    era.style,
                    "{id} => {to} R=virtual_user T=dovecot_lmtp H=localhost [127.0.0.1] C=\"250 2.0.0 <{to}> {} Saved\"",
                    Token::random(rng, BASE62, 22)
                );
                s.outcome();
            }
            t += rng.ms(5, 60);
        }
        emit!(s, t, deliver, era.style, "{id} Completed");
    }

    /// An outbound message from an authenticated user, with deliveries, failures and retries.
    fn outbound(&mut self, at: i64, s: &mut Sched, rng: &mut Rng) {
        let era = self.era();
        let recv = self.pid(rng);
        let id = self.id(at, recv);
        let from = address(rng, OUR_DOMAIN);
        let ip = doc_ipv4(rng);
        let size = rng.range(900, 50_000);
        emit!(
            s,
            at,
            recv,
            era.style,
            "{id} <= {from} H=({}) [{ip}] P=esmtpsa X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=no A=dovecot_plain:{from} S={size} id={:08x}.{:x}@{OUR_DOMAIN}",
            rng.pick(&["laptop", "[192.168.1.23]", "DESKTOP-4K2J", "iPhone"]),
            rng.next_u64() as u32,
            rng.below(1 << 20)
        );
        let dest = Self::dest(rng);
        let n = match rng.below(10) {
            0..=6 => 1,
            7 | 8 => 2,
            _ => 3,
        };
        let deliver = self.pid(rng);
        let mut t = at + rng.ms(100, 1500);
        let mut pending: [(Addr, Outcome); 3] = [(address(rng, dest.domain), Outcome::Sent); 3];
        let mut failed = false;
        let mut deferred = 0;
        let mut first_sent = true;
        for p in pending.iter_mut().take(n) {
            let to = address(rng, dest.domain);
            let outcome = match rng.below(1000) {
                0..=819 => Outcome::Sent,
                820..=919 => Outcome::Defer(rng.below(7) as u8),
                _ => Outcome::Fail(rng.below(8) as u8),
            };
            *p = (to, outcome);
            t += rng.ms(10, 800);
            match outcome {
                Outcome::Sent => {
                    self.delivered(t, &id, to, dest, first_sent, deliver, s, rng);
                    first_sent = false;
                }
                Outcome::Defer(k) => {
                    self.deferral(t, &id, to, dest, k, &from, deliver, s, rng);
                    deferred += 1;
                }
                Outcome::Fail(k) => {
                    self.failure(t, &id, to, dest, k, &from, size, deliver, s);
                    failed = true;
                }
            }
        }
        if failed {
            t += rng.ms(5, 50);
            self.bounce(t, &id, from, deliver, s, rng);
        }
        if deferred == 0 {
            emit!(s, t + rng.ms(1, 10), deliver, era.style, "{id} Completed");
            return;
        }
        // A later queue run retries the deferred recipients.
        let mut t = t + rng.ms(600_000, 3_600_000);
        let runner = self.pid(rng);
        let mut first_sent = true;
        let mut still = false;
        for &(to, outcome) in pending.iter().take(n) {
            if let Outcome::Defer(k) = outcome {
                t += rng.ms(10, 900);
                if rng.chance(700) {
                    self.delivered(t, &id, to, dest, first_sent, runner, s, rng);
                    first_sent = false;
                } else if rng.chance(500) {
                    emit!(
                        s,
                        t,
                        runner,
                        era.style,
                        "{id} == {to} R=dnslookup T=remote_smtp defer (-54): retry time not reached for any host for '{}'",
                        dest.domain
                    );
                    // Not an outcome: the queue run skipped the address without trying it.
                    still = true;
                } else {
                    self.deferral(t, &id, to, dest, k, &from, runner, s, rng);
                    still = true;
                }
            }
        }
        if !still {
            emit!(s, t + rng.ms(1, 10), runner, era.style, "{id} Completed");
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn delivered(
        &mut self,
        t: i64,
        id: &Token,
        to: Addr,
        dest: &Dest,
        first: bool,
        pid: u32,
        s: &mut Sched,
        rng: &mut Rng,
    ) {
        let era = self.era();
        let arrow = if first { "=>" } else { "->" };
        let star = if first { "" } else { "*" };
        let r = rng.next_u64();
        if dest.google {
            emit!(
                s,
                t,
                pid,
                era.style,
                "{id} {arrow} {to} R=dnslookup T=remote_smtp H={} [{}]{star} X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=yes K C=\"250 2.0.0 OK  {} {}si{}.{} - gsmtp\"",
                dest.mx,
                dest.ip,
                1_795_000_000 + t / 1_000_000,
                (b'a' + (r % 26) as u8) as char,
                r % 10_000_000,
                r >> 54
            );
        } else if dest.microsoft {
            emit!(
                s,
                t,
                pid,
                era.style,
                "{id} {arrow} {to} R=dnslookup T=remote_smtp H={} [{}]{star} X=TLS1.2:ECDHE-RSA-AES256-GCM-SHA384:256 CV=yes C=\"250 2.6.0 <{id}@{OUR_DOMAIN}> [InternalId={}, Hostname=AM9PR04MB{:04}.eurprd04.prod.outlook.com] Queued mail for delivery\"",
                dest.mx,
                dest.ip,
                r >> 24,
                r % 10_000
            );
        } else {
            emit!(
                s,
                t,
                pid,
                era.style,
                "{id} {arrow} {to} R=dnslookup T=remote_smtp H={} [{}]{star} X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=yes C=\"250 2.0.0 Ok: queued as {}\"",
                dest.mx,
                dest.ip,
                Token::encode(r >> 20, super::HEX, 10)
            );
        }
        s.outcome();
    }

    #[allow(clippy::too_many_arguments)]
    fn deferral(
        &mut self,
        t: i64,
        id: &Token,
        to: Addr,
        dest: &Dest,
        k: u8,
        from: &Addr,
        pid: u32,
        s: &mut Sched,
        rng: &mut Rng,
    ) {
        let era = self.era();
        let (mx, ip) = (dest.mx, dest.ip);
        let head = format!("{id} == {to} R=dnslookup T=remote_smtp");
        match k {
            0 | 1 => emit!(
                s,
                t,
                pid,
                era.style,
                "{head} defer (-44) H={mx} [{ip}]: SMTP error from remote mail server after RCPT TO:<{to}>: 451 4.7.1 <{to}>: Recipient address rejected: Greylisted, see https://postgrey.schweikert.ch/help/{}.html",
                dest.domain
            ),
            2 if dest.google => emit!(
                s,
                t,
                pid,
                era.style,
                "{head} defer (-46) H={mx} [{ip}]: SMTP error from remote mail server after end of data: 421-4.7.28 [192.0.2.10      15] Our system has detected an unusual rate of\\n421-4.7.28 unsolicited mail originating from your IP address. To protect our\\n421-4.7.28 users from spam, mail sent from your IP address has been temporarily\\n421 4.7.28 rate limited. https://support.google.com/mail/?p=UnsolicitedRateLimitError d2e1a72fcca58-71e5c1b2e3asi1234567b3a.88 - gsmtp"
            ),
            2 => emit!(
                s,
                t,
                pid,
                era.style,
                "{head} defer (-45) H={mx} [{ip}]: SMTP error from remote mail server after MAIL FROM:<{from}> SIZE={}: 451 4.7.650 The mail server [192.0.2.10] has been temporarily rate limited due to IP reputation.",
                rng.range(1000, 60_000)
            ),
            3 => {
                emit!(
                    s,
                    t,
                    pid,
                    era.style,
                    "{id} H={mx} [{ip}] Connection timed out"
                );
                // The per-host line is a refusal by that host, an outcome of its own.
                s.outcome();
                emit!(
                    s,
                    t + 1,
                    pid,
                    era.style,
                    "{head} defer (110): Connection timed out"
                );
            }
            4 => emit!(
                s,
                t,
                pid,
                era.style,
                "{head} defer (-37) H={mx} [{ip}]: TLS session: (SSL_connect): error:0A000086:SSL routines::certificate verify failed"
            ),
            5 => emit!(
                s,
                t,
                pid,
                era.style,
                "{head} defer (-18) H={mx} [{ip}]: Remote host closed connection in response to initial connection"
            ),
            _ => {
                emit!(
                    s,
                    t,
                    pid,
                    era.style,
                    "{id} H={mx} [{ip}] Connection refused"
                );
                // The per-host line is a refusal by that host, an outcome of its own.
                s.outcome();
                emit!(
                    s,
                    t + 1,
                    pid,
                    era.style,
                    "{head} defer (111): Connection refused"
                );
            }
        }
        s.outcome();
    }

    #[allow(clippy::too_many_arguments)]
    fn failure(
        &mut self,
        t: i64,
        id: &Token,
        to: Addr,
        dest: &Dest,
        k: u8,
        from: &Addr,
        size: u64,
        pid: u32,
        s: &mut Sched,
    ) {
        let era = self.era();
        let sep = era.sep;
        let (mx, ip) = (dest.mx, dest.ip);
        let head = format!(
            "{id} ** {to} R=dnslookup T=remote_smtp H={mx} [{ip}] X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=yes{sep}SMTP error from remote mail server after"
        );
        match k {
            0 | 1 if dest.google => emit!(
                s,
                t,
                pid,
                era.style,
                "{head} RCPT TO:<{to}>: 550-5.1.1 The email account that you tried to reach does not exist. Please try\\n550-5.1.1 double-checking the recipient's email address for typos or\\n550-5.1.1 unnecessary spaces. For more information, go to\\n550 5.1.1  https://support.google.com/mail/?p=NoSuchUser 41be03b00d2f7-7ea5d3c1f0fsi1452190a12.114 - gsmtp"
            ),
            0 | 1 => emit!(
                s,
                t,
                pid,
                era.style,
                "{head} RCPT TO:<{to}>: 550 5.1.1 <{to}>: Recipient address rejected: User unknown"
            ),
            2 if dest.microsoft => emit!(
                s,
                t,
                pid,
                era.style,
                "{head} MAIL FROM:<{from}> SIZE={size}: 550 5.7.606 Access denied, banned sending IP [192.0.2.10]. To request removal from this list please visit https://sender.office.com/ and follow the directions."
            ),
            2 => emit!(
                s,
                t,
                pid,
                era.style,
                "{head} MAIL FROM:<{from}> SIZE={size}: 553 5.7.1 Sender address rejected: not owned by user"
            ),
            3 if dest.google => emit!(
                s,
                t,
                pid,
                era.style,
                "{head} end of data: 550-5.7.26 Unauthenticated email from example.com is not accepted due to\\n550-5.7.26 domain's DMARC policy. Please contact the administrator of example.com\\n550-5.7.26 domain if this was a legitimate mail.\\n550 5.7.26  https://support.google.com/mail/?p=DmarcRejection d9443c01a7336-20b0f6e5c3asi7719235ad.311 - gsmtp"
            ),
            3 => emit!(
                s,
                t,
                pid,
                era.style,
                "{head} end of data: 552 5.2.2 <{to}>: Mailbox full: user quota exceeded"
            ),
            4 => emit!(
                s,
                t,
                pid,
                era.style,
                "{head} DATA: 554 5.7.1 Message rejected: content policy violation"
            ),
            5 => emit!(
                s,
                t,
                pid,
                era.style,
                // Refused at the greeting: no TLS was started, so there is no X= or CV=.
                "{id} ** {to} R=dnslookup T=remote_smtp H={mx} [{ip}]{sep}SMTP error from remote mail server after initial connection: 554 5.7.1 Service unavailable; Client host [192.0.2.10] blocked using zen.spamhaus.org"
            ),
            6 => emit!(
                s,
                t,
                pid,
                era.style,
                "{id} ** {}: Unrouteable address",
                Addr {
                    domain: "nxdomain.example",
                    ..to
                }
            ),
            _ => emit!(
                s,
                t,
                pid,
                era.style,
                "{id} ** {to} R=dnslookup T=remote_smtp{sep}retry timeout exceeded"
            ),
        }
        s.outcome();
    }

    /// The bounce message Exim sends back to a local sender after a failure.
    fn bounce(
        &mut self,
        at: i64,
        parent: &Token,
        to: Addr,
        deliver: u32,
        s: &mut Sched,
        rng: &mut Rng,
    ) {
        let era = self.era();
        let bid = self.id(at, deliver);
        emit!(
            s,
            at,
            deliver,
            era.style,
            "{bid} <= <> R={parent} U=Debian-exim P=local S={}",
            rng.range(2_500, 9_000)
        );
        let pid = self.pid(rng);
        let t = at + rng.ms(10, 200);
        emit!(
            s,
            t,
            pid,
            era.style,
            "{bid} => {} <{to}> R=local_user T=mail_spool",
            to.user
        );
        s.outcome();
        emit!(s, t + rng.ms(1, 5), pid, era.style, "{bid} Completed");
    }

    /// Spam accepted with a forged sender: the bounce cannot be delivered and is frozen.
    fn frozen(&mut self, at: i64, s: &mut Sched, rng: &mut Rng) {
        let era = self.era();
        let recv = self.pid(rng);
        let id = self.id(at, recv);
        let host = Self::spam_host(rng);
        let from = address(rng, "fake-sender.example");
        let to = address(rng, OUR_DOMAIN);
        emit!(
            s,
            at,
            recv,
            era.style,
            "{id} <= {from} {host} P=esmtp S={} id={:x}@fake-sender.example",
            rng.range(2_000, 20_000),
            rng.next_u64()
        );
        let pid = self.pid(rng);
        let t = at + rng.ms(50, 500);
        emit!(s, t, pid, era.style, "{id} ** {to}: Unrouteable address");
        s.outcome();
        let bid = self.id(t + 2_000, pid);
        emit!(
            s,
            t + 2_000,
            pid,
            era.style,
            "{bid} <= <> R={id} U=Debian-exim P=local S={}",
            rng.range(2_500, 9_000)
        );
        emit!(s, t + 3_000, pid, era.style, "{id} Completed");
        let pid2 = self.pid(rng);
        let t2 = t + rng.ms(50, 300);
        emit!(
            s,
            t2,
            pid2,
            era.style,
            "{bid} ** {from}: Unrouteable address"
        );
        s.outcome();
        emit!(
            s,
            t2 + 1_000,
            pid2,
            era.style,
            "{bid} Frozen (delivery error message)"
        );
        // Frozen bounces are reported by queue runs for a few hours, until they are thawed or
        // timed out.
        self.frozen.push((bid, t2 + rng.ms(3_600_000, 14_400_000)));
    }

    /// A connection-level reject, without a message id (except after DATA).
    fn reject(&mut self, at: i64, s: &mut Sched, rng: &mut Rng) {
        let era = self.era();
        let pid = self.pid(rng);
        let style = era.style;
        let host = Self::spam_host(rng);
        let to = address(rng, OUR_DOMAIN);
        let from_domain = rng.pick(&["spammer.example", "bulk.example", "gmail.com"]);
        let from = address(rng, from_domain);
        let kind = rng.weighted(&[20, 10, 8, 5, 10, 4, 4, 3, 3, 6, 4, 4, 3, 3]);
        match kind {
            0 => {
                let ip = host.ip;
                emit!(
                    s,
                    at,
                    pid,
                    style,
                    "{host} F=<{from}> rejected RCPT <{to}>: {ip} is listed at zen.spamhaus.org (127.0.0.{}: https://www.spamhaus.org/query/ip/{ip})",
                    rng.pick(&[2, 3, 4, 10])
                );
            }
            1 => emit!(
                s,
                at,
                pid,
                style,
                "{host} F=<{from}> rejected RCPT <{}>: relay not permitted",
                Addr {
                    domain: "elsewhere.example",
                    ..to
                }
            ),
            2 => emit!(
                s,
                at,
                pid,
                style,
                "{host} F=<{from}> rejected RCPT <{}>: Unrouteable address",
                Addr {
                    user: "nosuch",
                    num: 0,
                    last: "",
                    ..to
                }
            ),
            3 => {
                let bad = address(rng, "fakebank.example");
                emit!(
                    s,
                    at,
                    pid,
                    style,
                    "{host} sender verify fail for <{bad}>: Unrouteable address"
                );
                emit!(
                    s,
                    at + 1_000,
                    pid,
                    style,
                    "{host} F=<{bad}> rejected RCPT <{to}>: Sender verify failed"
                );
            }
            4 => {
                let good = Self::good_host(rng);
                emit!(
                    s,
                    at,
                    pid,
                    style,
                    "{good} F=<{from}> temporarily rejected RCPT <{to}>: Greylisted - please try again in 5 minutes"
                );
            }
            5 => {
                let good = Self::good_host(rng);
                let id = self.id(at, pid);
                emit!(
                    s,
                    at,
                    pid,
                    style,
                    "{id} {good} F=<{from}> rejected after DATA: This message contains a virus (Eicar-Signature)."
                );
            }
            6 => emit!(
                s,
                at,
                pid,
                style,
                "rejected EHLO from [{}]: syntactically invalid argument(s): {}",
                host.ip,
                host.helo.replace('.', "_")
            ),
            7 => emit!(
                s,
                at,
                pid,
                style,
                "SMTP protocol synchronization error (input sent without waiting for greeting): rejected connection from H=[{}] input=\"EHLO User\\r\\n\"",
                host.ip
            ),
            8 => emit!(
                s,
                at,
                pid,
                style,
                "Connection from [{}]:{} refused: too many connections from that IP address",
                host.ip,
                rng.range(32768, 60999)
            ),
            9 => emit!(
                s,
                at,
                pid,
                style,
                "dovecot_login authenticator failed for ({}) [{}]: 535 Incorrect authentication data (set_id={})",
                host.helo,
                host.ip,
                rng.pick(&[
                    "admin@example.com",
                    "info@example.com",
                    "test",
                    "sales@example.com"
                ])
            ),
            10 => emit!(
                s,
                at,
                pid,
                style,
                "TLS error on connection from mail.oldserver.example [{}] (SSL_accept): error:0A000102:SSL routines::unsupported protocol",
                host.ip
            ),
            11 => emit!(
                s,
                at,
                pid,
                style,
                "SMTP connection from ({}) [{}] lost D={}.{:03}s",
                host.helo,
                host.ip,
                rng.below(30),
                rng.below(1000)
            ),
            12 => emit!(
                s,
                at,
                pid,
                style,
                "SMTP command timeout on connection from ({}) [{}] D=5m",
                host.helo,
                host.ip
            ),
            _ => emit!(
                s,
                at,
                pid,
                style,
                "SMTP call from ({}) [{}] dropped: too many nonmail commands (last was \"RSET\")",
                host.helo,
                host.ip
            ),
        }
        // A failed TLS handshake, a lost connection and a command timeout refuse nothing the
        // client asked for; the other kinds are rejects (a sender verify note and the reject it
        // explains count once).
        if !matches!(kind, 10..=12) {
            s.outcome();
        }
    }
}

impl Model for Exim {
    fn prologue(&mut self, at: i64, s: &mut Sched, rng: &mut Rng) {
        if rng.chance(500) {
            let era = self.era();
            emit!(
                s,
                at,
                self.daemon,
                era.style,
                "exim {} daemon started: pid={}, -q30m, listening for SMTP on port 25 (IPv6 and IPv4) port 587 (IPv6 and IPv4) port 465 (IPv6 and IPv4)",
                era.version,
                self.daemon
            );
        }
    }

    fn story(&mut self, at: i64, s: &mut Sched, rng: &mut Rng) {
        self.stories += 1;
        if self.stories >= self.next_restart {
            self.next_restart += rng.range(100, 250);
            self.restart(at, s, rng);
            return;
        }
        self.periodic(at, s, rng);
        match rng.weighted(&[33, 40, 25, 2]) {
            0 => self.inbound(at, s, rng),
            1 => self.outbound(at, s, rng),
            2 => self.reject(at, s, rng),
            _ => self.frozen(at, s, rng),
        }
    }
}
