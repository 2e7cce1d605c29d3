//! The Postfix side of the generator: a busy MX and submission relay (`example.com`, host
//! `mx1`) with a bulk instance `postfix-out`, a relay transport for backup-MX domains, and the
//! other programs that write to the same `mail.log` (dovecot, opendkim, amavis).
//!
//! Each story is one coherent episode: a message from connect to `removed` with its retries and
//! bounce notifications, a rejected connection, a postscreen drop, an IMAP login. Remote replies
//! follow what large providers really send; addresses and client IPs are invented, mostly in the
//! documentation ranges.

use chrono::NaiveDateTime;

use super::{
    Addr, HEX, HEX_LOWER, Ip, Model, Rng, Sched, SyslogTime, Token, address, doc_ipv4, emit, wall,
};

/// Our own domain, and our public address as remote servers quote it.
const OUR_DOMAIN: &str = "example.com";
const OUR_IP: &str = "192.0.2.10";

/// Postfix's long queue ids use digits and consonants, with `z` kept as the separator before
/// the inode part.
const LONG_ID: &[u8] = b"0123456789BCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxy";

/// Which big provider runs a destination, for provider-specific replies.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Provider {
    Google,
    Microsoft,
    Yahoo,
    Other,
}

/// A recipient domain with its MX hosts (name and address, IPv6 in brackets' content form).
struct Dest {
    domain: &'static str,
    provider: Provider,
    mx: &'static [(&'static str, &'static str)],
}

/// Recipient domains in falling order of popularity; [`DEST_WEIGHTS`] gives a Zipf-like skew.
const DESTS: &[Dest] = &[
    Dest {
        domain: "gmail.com",
        provider: Provider::Google,
        mx: &[
            ("gmail-smtp-in.l.google.com", "142.250.27.26"),
            ("gmail-smtp-in.l.google.com", "2607:f8b0:4004:c1b::1a"),
            ("alt1.gmail-smtp-in.l.google.com", "142.251.9.27"),
        ],
    },
    Dest {
        domain: "outlook.com",
        provider: Provider::Microsoft,
        mx: &[
            ("outlook-com.olc.protection.outlook.com", "52.101.68.10"),
            ("outlook-com.olc.protection.outlook.com", "52.101.42.3"),
        ],
    },
    Dest {
        domain: "yahoo.com",
        provider: Provider::Yahoo,
        mx: &[
            ("mta5.am0.yahoodns.net", "67.195.204.72"),
            ("mta6.am0.yahoodns.net", "98.136.96.74"),
        ],
    },
    Dest {
        domain: "example.org",
        provider: Provider::Other,
        mx: &[
            ("mx.example.org", "203.0.113.5"),
            ("mx2.example.org", "203.0.113.6"),
        ],
    },
    Dest {
        domain: "hotmail.com",
        provider: Provider::Microsoft,
        mx: &[("hotmail-com.olc.protection.outlook.com", "52.101.11.2")],
    },
    Dest {
        domain: "googlemail.com",
        provider: Provider::Google,
        mx: &[("gmail-smtp-in.l.google.com", "142.250.27.27")],
    },
    Dest {
        domain: "icloud.com",
        provider: Provider::Other,
        mx: &[("mx01.mail.icloud.com", "17.57.154.33")],
    },
    Dest {
        domain: "example.net",
        provider: Provider::Other,
        mx: &[
            ("mail.example.net", "198.51.100.20"),
            ("mail.example.net", "2001:db8:1::25"),
        ],
    },
    Dest {
        domain: "gmx.de",
        provider: Provider::Other,
        mx: &[("mx00.emig.gmx.net", "212.227.15.41")],
    },
    Dest {
        domain: "aol.com",
        provider: Provider::Yahoo,
        mx: &[("mx-aol.mail.gm0.yahoodns.net", "67.195.228.106")],
    },
    Dest {
        domain: "corp.example",
        provider: Provider::Microsoft,
        mx: &[("corp-example.mail.protection.outlook.com", "52.101.73.20")],
    },
    Dest {
        domain: "web.de",
        provider: Provider::Other,
        mx: &[("mx-ha03.web.de", "212.227.17.8")],
    },
    Dest {
        domain: "uni.example",
        provider: Provider::Other,
        mx: &[("mx1.uni.example", "198.51.100.61")],
    },
    Dest {
        domain: "protonmail.com",
        provider: Provider::Other,
        mx: &[("mail.protonmail.ch", "185.70.42.128")],
    },
    Dest {
        domain: "deadhost.example",
        provider: Provider::Other,
        mx: &[("mx.deadhost.example", "198.51.100.77")],
    },
    Dest {
        domain: "startup.example",
        provider: Provider::Google,
        mx: &[("aspmx.l.google.com", "142.250.1.27")],
    },
];
const DEST_WEIGHTS: &[u32] = &[
    1000, 500, 333, 250, 200, 167, 143, 125, 111, 100, 91, 83, 77, 71, 40, 63,
];

/// Customer domains we are backup MX for, relayed by the `relay` transport.
const RELAYED: &[(&str, &str, &str)] = &[
    ("shop.example", "mail.shop.example", "198.51.100.33"),
    ("acme.example", "mx.acme.example", "192.0.2.25"),
];

/// Well-behaved sending servers (name, address).
const SENDERS: &[(&str, &str)] = &[
    ("mail-wr1-f54.google.com", "209.85.221.54"),
    ("mail-ej1-x62f.google.com", "2a00:1450:4864:20::62f"),
    (
        "mail-eopbgr80071.outbound.protection.outlook.com",
        "40.107.8.71",
    ),
    ("sonic310-21.consmr.mail.ir2.yahoo.com", "77.238.177.147"),
    ("mout.gmx.net", "212.227.15.19"),
    ("a8-31.smtp-out.amazonses.com", "54.240.8.31"),
    ("mail.partner.example", "203.0.113.44"),
    ("smtp.lists.example", "198.51.100.210"),
];

/// Sender domains for inbound mail.
const SENDER_DOMAINS: &[&str] = &[
    "gmail.com",
    "outlook.com",
    "example.org",
    "yahoo.com",
    "example.net",
    "lists.example",
    "partner.example",
    "news.shop.example",
];

const SPAM_HELOS: &[&str] = &[
    "ylmf-pc",
    "User",
    "localhost",
    "bad.example",
    "win-8k2pq3",
    "mail.example.com",
    "promo-sender.example",
];

/// A Postfix queue id, short (hex) or long (time-based, base 51).
fn queue_id(rng: &mut Rng, long: bool, wall_secs: i64, at: i64) -> Token {
    if long {
        let mut t = Token::encode(wall_secs as u64, LONG_ID, 6);
        t.append(&Token::encode(at.rem_euclid(1_000_000) as u64, LONG_ID, 4));
        t.push(b'z');
        let len = rng_len(rng, 3, 5);
        let inode = Token::random(rng, LONG_ID, len);
        t.append(&inode);
        t
    } else {
        let len = if rng.chance(800) { 10 } else { 11 };
        Token::random(rng, HEX, len)
    }
}

fn rng_len(rng: &mut Rng, lo: u64, hi: u64) -> usize {
    rng.range(lo, hi) as usize
}

/// Seconds written the way Postfix writes `delay=` and `delays=`: two significant digits below
/// ten seconds, whole seconds above, `0` for under ten milliseconds.
struct Secs(i64);

impl std::fmt::Display for Secs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let us = self.0.max(0);
        if us >= 9_950_000 {
            write!(f, "{}", (us + 500_000) / 1_000_000)
        } else if us >= 995_000 {
            let tenths = (us + 50_000) / 100_000;
            if tenths % 10 == 0 {
                write!(f, "{}", tenths / 10)
            } else {
                write!(f, "{}.{}", tenths / 10, tenths % 10)
            }
        } else if us >= 5_000 {
            let hundredths = (us + 5_000) / 10_000;
            if hundredths % 10 == 0 {
                write!(f, "0.{}", hundredths / 10)
            } else {
                write!(f, "0.{hundredths:02}")
            }
        } else {
            f.write_str("0")
        }
    }
}

/// A message-id in one of several common shapes.
struct MsgId {
    style: u8,
    a: u64,
    b: u64,
    domain: &'static str,
}

impl MsgId {
    fn new(rng: &mut Rng, domain: &'static str) -> Self {
        MsgId {
            style: rng.below(4) as u8,
            a: rng.next_u64(),
            b: rng.next_u64(),
            domain,
        }
    }
}

impl std::fmt::Display for MsgId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.style {
            0 => write!(
                f,
                "<CAF{:012x}+{:08X}@mail.gmail.com>",
                self.a >> 16,
                self.b as u32
            ),
            1 => write!(
                f,
                "<{:08x}-{:04x}-{:04x}-{:012x}@{}>",
                self.a as u32,
                (self.a >> 32) as u16,
                (self.a >> 48) as u16,
                self.b >> 16,
                self.domain
            ),
            2 => write!(f, "<{:016X}.{}@{}>", self.a, self.b % 100_000, self.domain),
            _ => write!(
                f,
                "<0100018c{:08x}-{:08x}-{:04x}-000000@email.amazonses.com>",
                self.a as u32,
                self.b as u32,
                (self.b >> 32) as u16
            ),
        }
    }
}

/// A host as Postfix prints it: `name[address]`.
#[derive(Clone, Copy)]
struct Host {
    name: &'static str,
    ip: HostIp,
}

#[derive(Clone, Copy)]
enum HostIp {
    Static(&'static str),
    V4(Ip),
}

impl std::fmt::Display for HostIp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HostIp::Static(s) => f.write_str(s),
            HostIp::V4(ip) => ip.fmt(f),
        }
    }
}

impl std::fmt::Display for Host {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}[{}]", self.name, self.ip)
    }
}

/// A pool of long-running worker processes of one service: pids are reused, and now and then
/// a worker exits and a new one takes its place.
struct Pool {
    pids: [u32; 8],
}

/// The per-recipient result of one delivery attempt.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Sent,
    /// Deferred with a remote reply; the index picks the reply.
    DeferSaid(u8),
    /// Deferred without a reply: timeouts, DNS, lost connections.
    DeferLocal(u8),
    /// Deferred because the server refused the greeting.
    Refused,
    /// Bounced with a remote reply.
    Bounce(u8),
    /// Bounced without a reply (DNS says the domain has no address).
    BounceLocal,
}

impl Outcome {
    fn is_deferred(self) -> bool {
        matches!(
            self,
            Outcome::DeferSaid(_) | Outcome::DeferLocal(_) | Outcome::Refused
        )
    }
    fn is_bounced(self) -> bool {
        matches!(self, Outcome::Bounce(_) | Outcome::BounceLocal)
    }
}

/// An instance's syslog name and queue-id form.
#[derive(Clone, Copy)]
struct Instance {
    name: &'static str,
    long_ids: bool,
    qmgr: u32,
    cleanup: usize,
    smtp: usize,
}

/// Everything one outbound message needs to be written.
struct Msg {
    qid: Token,
    from: Addr,
    size: u64,
    /// Arrival time, for `delay=`.
    arrived: i64,
    rcpts: [(Addr, &'static Dest, Outcome); 12],
    nrcpt: usize,
}

pub(super) struct Postfix {
    start: NaiveDateTime,
    /// The injected spike: its domain, and its start and end in microseconds.
    spike: Option<(String, i64, i64)>,
    next_pid: u32,
    pools: Vec<Pool>,
    main: Instance,
    out: Instance,
    master: u32,
    pickup: u32,
    anvil: u32,
    scache: u32,
    postscreen: u32,
    dnsblog: u32,
    dovecot: u32,
    opendkim: u32,
    amavis: u32,
    next_stats: i64,
    relay_pool: usize,
    lmtp_pool: usize,
    local_pool: usize,
    bounce_pool: usize,
    smtpd_pool: usize,
    sub_pool: usize,
}

impl Postfix {
    pub(super) fn new(opts: &super::GenOptions, rng: &mut Rng) -> Self {
        let mut p = Postfix {
            start: opts.start,
            spike: opts.spike.as_ref().map(|spike| {
                let start = spike.start_secs as i64 * 1_000_000;
                (
                    spike.domain.clone(),
                    start,
                    start + spike.minutes as i64 * 60_000_000,
                )
            }),
            next_pid: rng.range(1000, 30_000) as u32,
            pools: Vec::new(),
            main: Instance {
                name: "postfix",
                long_ids: false,
                qmgr: 0,
                cleanup: 0,
                smtp: 0,
            },
            out: Instance {
                name: "postfix-out",
                long_ids: true,
                qmgr: 0,
                cleanup: 0,
                smtp: 0,
            },
            master: 0,
            pickup: 0,
            anvil: 0,
            scache: 0,
            postscreen: 0,
            dnsblog: 0,
            dovecot: 0,
            opendkim: 0,
            amavis: 0,
            next_stats: rng.ms(60_000, 600_000),
            relay_pool: 0,
            lmtp_pool: 0,
            local_pool: 0,
            bounce_pool: 0,
            smtpd_pool: 0,
            sub_pool: 0,
        };
        p.master = p.fresh_pid(rng);
        p.main.qmgr = p.fresh_pid(rng);
        p.out.qmgr = p.fresh_pid(rng);
        p.pickup = p.fresh_pid(rng);
        p.anvil = p.fresh_pid(rng);
        p.scache = p.fresh_pid(rng);
        p.postscreen = p.fresh_pid(rng);
        p.dnsblog = p.fresh_pid(rng);
        p.dovecot = p.fresh_pid(rng);
        p.opendkim = p.fresh_pid(rng);
        p.amavis = p.fresh_pid(rng);
        p.main.cleanup = p.new_pool(rng);
        p.main.smtp = p.new_pool(rng);
        p.out.cleanup = p.new_pool(rng);
        p.out.smtp = p.new_pool(rng);
        p.relay_pool = p.new_pool(rng);
        p.lmtp_pool = p.new_pool(rng);
        p.local_pool = p.new_pool(rng);
        p.bounce_pool = p.new_pool(rng);
        p.smtpd_pool = p.new_pool(rng);
        p.sub_pool = p.new_pool(rng);
        p
    }

    fn fresh_pid(&mut self, rng: &mut Rng) -> u32 {
        self.next_pid += rng.range(1, 97) as u32;
        if self.next_pid > 4_000_000 {
            self.next_pid = 1000 + self.next_pid % 1000;
        }
        self.next_pid
    }

    fn new_pool(&mut self, rng: &mut Rng) -> usize {
        let mut pids = [0; 8];
        for pid in &mut pids {
            *pid = self.fresh_pid(rng);
        }
        self.pools.push(Pool { pids });
        self.pools.len() - 1
    }

    /// A worker of `pool`; one call in fifty retires a worker and starts a new one.
    fn pid(&mut self, rng: &mut Rng, pool: usize) -> u32 {
        let slot = rng.below(8) as usize;
        if rng.chance(20) {
            let pid = self.fresh_pid(rng);
            self.pools[pool].pids[slot] = pid;
        }
        self.pools[pool].pids[slot]
    }

    fn qid(&self, rng: &mut Rng, inst: Instance, at: i64) -> Token {
        let secs = wall(self.start, at).and_utc().timestamp();
        queue_id(rng, inst.long_ids, secs, at)
    }

    fn dest(rng: &mut Rng) -> &'static Dest {
        &DESTS[rng.weighted(DEST_WEIGHTS)]
    }

    /// A remote sending server: a known good one or an unnamed spam source.
    fn client(rng: &mut Rng, good: bool) -> Host {
        if good {
            let (name, ip) = rng.pick(SENDERS);
            Host {
                name,
                ip: HostIp::Static(ip),
            }
        } else {
            Host {
                name: "unknown",
                ip: HostIp::V4(doc_ipv4(rng)),
            }
        }
    }

    /// A submission client: a user's laptop or phone.
    fn sub_client(rng: &mut Rng) -> Host {
        let ip = doc_ipv4(rng);
        let name = rng.pick(&[
            "unknown",
            "laptop.example.com",
            "dsl-pool.isp.example",
            "mobile.carrier.example",
        ]);
        Host {
            name,
            ip: HostIp::V4(ip),
        }
    }

    fn periodic(&mut self, at: i64, s: &mut Sched, rng: &mut Rng) {
        if at >= self.next_stats {
            let t = at;
            let now = SyslogTime(wall(self.start, t));
            let ip = doc_ipv4(rng);
            emit!(
                s,
                t,
                0,
                0,
                "postfix/anvil[{}]: statistics: max connection rate {}/60s for (smtp:{ip}) at {now}",
                self.anvil,
                rng.range(1, 12)
            );
            emit!(
                s,
                t + 1,
                0,
                0,
                "postfix/anvil[{}]: statistics: max connection count {} for (smtp:{ip}) at {now}",
                self.anvil,
                rng.range(1, 5)
            );
            emit!(
                s,
                t + 2,
                0,
                0,
                "postfix/anvil[{}]: statistics: max cache size {} at {now}",
                self.anvil,
                rng.range(2, 40)
            );
            if rng.chance(600) {
                let begin = SyslogTime(wall(self.start, t - 600_000_000));
                let hits = rng.range(0, 60);
                let miss = rng.range(1, 40);
                emit!(
                    s,
                    t + 3,
                    0,
                    0,
                    "postfix/scache[{}]: statistics: start interval {begin}",
                    self.scache
                );
                emit!(
                    s,
                    t + 4,
                    0,
                    0,
                    "postfix/scache[{}]: statistics: domain lookup hits={hits} miss={miss} success={}%",
                    self.scache,
                    hits * 100 / (hits + miss)
                );
                emit!(
                    s,
                    t + 5,
                    0,
                    0,
                    "postfix/scache[{}]: statistics: max simultaneous domains=1 addresses={} connection={}",
                    self.scache,
                    rng.range(1, 4),
                    rng.range(1, 6)
                );
                self.scache = self.fresh_pid(rng);
            }
            // Only the latest interval is reported: after a quiet spell anvil says nothing.
            self.next_stats = at + rng.ms(600_000, 660_000);
        }
    }

    /// An inbound message for one of our mailboxes, possibly through amavis first.
    fn inbound_local(&mut self, at: i64, s: &mut Sched, rng: &mut Rng) {
        let mut t = at;
        let client = Self::client(rng, true);
        let smtpd = self.pid(rng, self.smtpd_pool);
        let from_domain = rng.pick(SENDER_DOMAINS);
        let from = address(rng, from_domain);
        let to = address(rng, OUR_DOMAIN);
        let size = rng.range(1_500, 90_000) + if rng.chance(100) { 2_000_000 } else { 0 };
        if rng.chance(300) {
            let port = rng.range(32768, 60999);
            emit!(
                s,
                t,
                0,
                0,
                "postfix/postscreen[{}]: CONNECT from [{}]:{port} to [{OUR_IP}]:25",
                self.postscreen,
                client.ip
            );
            t += rng.ms(1, 30);
            emit!(
                s,
                t,
                0,
                0,
                "postfix/postscreen[{}]: PASS OLD [{}]:{port}",
                self.postscreen,
                client.ip
            );
            t += rng.ms(1, 20);
        }
        emit!(s, t, 0, 0, "postfix/smtpd[{smtpd}]: connect from {client}");
        t += rng.ms(20, 300);
        if rng.chance(700) {
            emit!(
                s,
                t,
                0,
                0,
                "postfix/smtpd[{smtpd}]: Anonymous TLS connection established from {client}: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519 server-signature RSA-PSS (2048 bits) server-digest SHA256"
            );
            t += rng.ms(20, 200);
        }
        let q = self.qid(rng, self.main, t);
        emit!(s, t, 0, 0, "postfix/smtpd[{smtpd}]: {q}: client={client}");
        t += rng.ms(5, 120);
        let cleanup = self.pid(rng, self.main.cleanup);
        let mid = MsgId::new(rng, from.domain);
        emit!(
            s,
            t,
            0,
            0,
            "postfix/cleanup[{cleanup}]: {q}: message-id={mid}"
        );
        t += rng.ms(5, 60);
        if rng.chance(500) {
            emit!(
                s,
                t,
                0,
                0,
                "opendkim[{}]: {q}: s={} d={} SSL",
                self.opendkim,
                rng.pick(&["20230601", "selector1", "s1", "google", "dkim"]),
                from.domain
            );
            t += rng.ms(1, 20);
        }
        emit!(
            s,
            t,
            0,
            0,
            "postfix/qmgr[{}]: {q}: from=<{from}>, size={size}, nrcpt=1 (queue active)",
            self.main.qmgr
        );
        let qmgr_at = t;
        emit!(
            s,
            t + rng.ms(5, 80),
            0,
            0,
            "postfix/smtpd[{smtpd}]: disconnect from {client} ehlo=2 starttls=1 mail=1 rcpt=1 data=1 quit=1 commands=7"
        );
        t += rng.ms(20, 400);
        // Through the content filter: amavis answers for the re-injected copy.
        let (q, qmgr_at) = if rng.chance(300) {
            let smtp = self.pid(rng, self.main.smtp);
            let scan = rng.ms(300, 3000);
            let inner = self.pid(rng, self.smtpd_pool);
            let q2 = self.qid(rng, self.main, t + scan - 50_000);
            let t2 = t + scan - rng.ms(40, 150);
            emit!(
                s,
                t2,
                0,
                0,
                "postfix/smtpd[{inner}]: connect from localhost[127.0.0.1]"
            );
            emit!(
                s,
                t2 + 1_000,
                0,
                0,
                "postfix/smtpd[{inner}]: {q2}: client=localhost[127.0.0.1]"
            );
            emit!(
                s,
                t2 + 3_000,
                0,
                0,
                "postfix/cleanup[{cleanup}]: {q2}: message-id={mid}"
            );
            emit!(
                s,
                t2 + 5_000,
                0,
                0,
                "postfix/qmgr[{}]: {q2}: from=<{from}>, size={}, nrcpt=1 (queue active)",
                self.main.qmgr,
                size + 812
            );
            emit!(
                s,
                t2 + 20_000,
                0,
                0,
                "amavis[{}]: ({}-{:02}) Passed CLEAN {{RelayedInbound}}, [{}]:{} [{}] <{from}> -> <{to}>, Queue-ID: {q}, Message-ID: {mid}, mail_id: {}, Hits: -{}.{}, size: {size}, queued_as: {q2}, {} ms",
                self.amavis,
                self.amavis,
                rng.range(1, 30),
                client.ip,
                rng.range(32768, 60999),
                client.ip,
                Token::random(rng, super::BASE62, 12),
                rng.below(4),
                rng.below(10),
                scan / 1000
            );
            emit!(
                s,
                t2 + 22_000,
                0,
                0,
                "postfix/smtp[{smtp}]: {q}: to=<{to}>, relay=127.0.0.1[127.0.0.1]:10024, delay={}, delays={}/{}/{}/{}, dsn=2.0.0, status=sent (250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 Ok: queued as {q2})",
                Secs(t2 + 22_000 - at),
                Secs(qmgr_at - at),
                Secs(rng.ms(0, 10)),
                Secs(rng.ms(0, 5)),
                Secs(scan)
            );
            s.outcome();
            emit!(
                s,
                t2 + 23_000,
                0,
                0,
                "postfix/smtpd[{inner}]: disconnect from localhost[127.0.0.1] ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5"
            );
            emit!(
                s,
                t2 + 24_000,
                0,
                0,
                "postfix/qmgr[{}]: {q}: removed",
                self.main.qmgr
            );
            t = t2 + rng.ms(30, 200);
            (q2, t2 + 5_000)
        } else {
            (q, qmgr_at)
        };
        let lmtp = self.pid(rng, self.lmtp_pool);
        let relay = if rng.chance(600) {
            "mx1.example.com[private/dovecot-lmtp]"
        } else {
            "127.0.0.1[127.0.0.1]:24"
        };
        let xfer = rng.ms(10, 400);
        let delays = |rng: &mut Rng| {
            (
                Secs(qmgr_at - at),
                Secs(rng.ms(0, 20)),
                Secs(rng.ms(0, 15)),
                Secs(xfer),
            )
        };
        let (d1, d2, d3, d4) = delays(rng);
        let delay = Secs(t + xfer - at);
        let roll = rng.below(1000);
        t += xfer;
        if roll < 955 {
            let session = Token::random(rng, super::BASE62, 22);
            let lmtp_pid = self.fresh_pid(rng);
            emit!(
                s,
                t - 2_000,
                0,
                0,
                "dovecot[{}]: lmtp({to})<{lmtp_pid}><{session}>: msgid={mid}: saved mail to INBOX",
                self.dovecot
            );
            emit!(
                s,
                t,
                0,
                0,
                "postfix/lmtp[{lmtp}]: {q}: to=<{to}>, relay={relay}, delay={delay}, delays={d1}/{d2}/{d3}/{d4}, dsn=2.0.0, status=sent (250 2.0.0 <{to}> {session} Saved)"
            );
            s.outcome();
            emit!(
                s,
                t + 1_000,
                0,
                0,
                "postfix/qmgr[{}]: {q}: removed",
                self.main.qmgr
            );
        } else if roll < 985 {
            emit!(
                s,
                t,
                0,
                0,
                "postfix/lmtp[{lmtp}]: {q}: to=<{to}>, relay={relay}, delay={delay}, delays={d1}/{d2}/{d3}/{d4}, dsn=4.2.2, status=deferred (host {} said: 452 4.2.2 <{to}> Mailbox is full (in reply to RCPT TO command))",
                relay.trim_end_matches(":24")
            );
            s.outcome();
        } else {
            emit!(
                s,
                t,
                0,
                0,
                "postfix/lmtp[{lmtp}]: {q}: to=<{to}>, relay={relay}, delay={delay}, delays={d1}/{d2}/{d3}/{d4}, dsn=5.2.2, status=bounced (host {} said: 552 5.2.2 <{to}> Quota exceeded (mailbox for user is full) (in reply to end of DATA command))",
                relay.trim_end_matches(":24")
            );
            s.outcome();
            let msg = Msg {
                qid: q,
                from,
                size,
                arrived: at,
                rcpts: [(to, &DESTS[0], Outcome::BounceLocal); 12],
                nrcpt: 1,
            };
            self.bounce_notice(t + 2_000, &msg, self.main, s, rng);
        }
    }

    /// A message for a domain we are backup MX for, passed on by the `relay` transport.
    fn inbound_relay(&mut self, at: i64, s: &mut Sched, rng: &mut Rng) {
        let mut t = at;
        let client = Self::client(rng, true);
        let smtpd = self.pid(rng, self.smtpd_pool);
        let (domain, relay_name, relay_ip) = rng.pick(RELAYED);
        let from_domain = rng.pick(SENDER_DOMAINS);
        let from = address(rng, from_domain);
        let to = address(rng, domain);
        emit!(s, t, 0, 0, "postfix/smtpd[{smtpd}]: connect from {client}");
        t += rng.ms(30, 300);
        let q = self.qid(rng, self.main, t);
        emit!(s, t, 0, 0, "postfix/smtpd[{smtpd}]: {q}: client={client}");
        t += rng.ms(5, 100);
        let cleanup = self.pid(rng, self.main.cleanup);
        emit!(
            s,
            t,
            0,
            0,
            "postfix/cleanup[{cleanup}]: {q}: message-id={}",
            MsgId::new(rng, from.domain)
        );
        t += rng.ms(2, 40);
        let qmgr_at = t;
        emit!(
            s,
            t,
            0,
            0,
            "postfix/qmgr[{}]: {q}: from=<{from}>, size={}, nrcpt=1 (queue active)",
            self.main.qmgr,
            rng.range(2_000, 60_000)
        );
        emit!(
            s,
            t + rng.ms(5, 60),
            0,
            0,
            "postfix/smtpd[{smtpd}]: disconnect from {client} ehlo=2 starttls=1 mail=1 rcpt=1 data=1 quit=1 commands=7"
        );
        let relay = self.pid(rng, self.relay_pool);
        let conn = rng.ms(20, 900);
        let xfer = rng.ms(50, 900);
        t += conn + xfer;
        let head = RelayHead(relay, q, to);
        let delays = Delays(t - at, qmgr_at - at, rng.ms(0, 10), conn, xfer);
        if rng.chance(940) {
            let remote = if rng.chance(500) {
                Token::random(rng, HEX, 10)
            } else {
                queue_id(
                    rng,
                    true,
                    wall(self.start, t).and_utc().timestamp(),
                    t + 3_000,
                )
            };
            emit!(
                s,
                t,
                0,
                0,
                "{head}{relay_name}[{relay_ip}]:25, {delays}, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as {remote})"
            );
            emit!(
                s,
                t + 1_000,
                0,
                0,
                "postfix/qmgr[{}]: {q}: removed",
                self.main.qmgr
            );
        } else if rng.chance(500) {
            emit!(
                s,
                t,
                0,
                0,
                "{head}{relay_name}[{relay_ip}]:25, {delays}, dsn=4.3.0, status=deferred (host {relay_name}[{relay_ip}] said: 451 4.3.0 <{to}>: Temporary lookup failure (in reply to RCPT TO command))"
            );
        } else {
            emit!(
                s,
                t,
                0,
                0,
                "{head}none, {delays}, dsn=4.4.1, status=deferred (connect to {relay_name}[{relay_ip}]:25: Connection refused)"
            );
        }
        s.outcome();
    }

    /// A message from an authenticated user, from a local script, or from the bulk instance,
    /// delivered to remote domains with a realistic mix of outcomes, retried when deferred.
    fn outbound(&mut self, at: i64, s: &mut Sched, rng: &mut Rng, kind: u8) {
        let inst = if kind == 2 { self.out } else { self.main };
        let mut t = at;
        let nrcpt = match (kind, rng.below(100)) {
            // Newsletters from the bulk instance go to many recipients at once.
            (2, n) => 4 + (n % 9) as usize,
            (_, 0..=59) => 1,
            (_, 60..=79) => 2,
            (_, 80..=89) => 3,
            (_, 90..=96) => 4,
            _ => 6,
        };
        let mut rcpts = [(address(rng, "gmail.com"), &DESTS[0], Outcome::Sent); 12];
        for r in rcpts.iter_mut().take(nrcpt) {
            let dest = Self::dest(rng);
            let to = address(rng, dest.domain);
            let outcome = match &self.spike {
                Some((domain, start, end))
                    if domain == dest.domain && (*start..*end).contains(&at) =>
                {
                    Outcome::DeferSaid(0)
                }
                _ => Self::first_outcome(rng, dest),
            };
            *r = (to, dest, outcome);
        }
        let from;
        let size = rng.range(900, 40_000) + if rng.chance(80) { 3_000_000 } else { 0 };
        let cleanup = self.pid(rng, inst.cleanup);
        let q;
        match kind {
            0 => {
                let smtpd = self.pid(rng, self.sub_pool);
                let client = Self::sub_client(rng);
                from = address(rng, OUR_DOMAIN);
                emit!(
                    s,
                    t,
                    0,
                    0,
                    "postfix/submission/smtpd[{smtpd}]: connect from {client}"
                );
                t += rng.ms(40, 400);
                q = self.qid(rng, inst, t);
                emit!(
                    s,
                    t,
                    0,
                    0,
                    "postfix/submission/smtpd[{smtpd}]: {q}: client={client}, sasl_method={}, sasl_username={from}",
                    rng.pick(&["PLAIN", "PLAIN", "LOGIN"])
                );
                emit!(
                    s,
                    t + rng.ms(40, 300),
                    0,
                    0,
                    "postfix/submission/smtpd[{smtpd}]: disconnect from {client} ehlo=2 starttls=1 auth=1 mail=1 rcpt={nrcpt} data=1 quit=1 commands={}",
                    7 + nrcpt
                );
            }
            1 => {
                from = Addr {
                    user: rng.pick(&["www-data", "root", "nagios", "backup"]),
                    last: "",
                    num: 0,
                    domain: "mx1.example.com",
                };
                q = self.qid(rng, inst, t);
                emit!(
                    s,
                    t,
                    0,
                    0,
                    "postfix/pickup[{}]: {q}: uid={} from=<{}>",
                    self.pickup,
                    rng.pick(&[33, 0, 112, 34]),
                    from.user
                );
            }
            _ => {
                let smtpd = self.pid(rng, self.sub_pool) + 1;
                from = Addr {
                    user: rng.pick(&["newsletter", "noreply", "billing", "alerts"]),
                    last: "",
                    num: 0,
                    domain: "news.example.com",
                };
                emit!(
                    s,
                    t,
                    0,
                    0,
                    "postfix-out/smtpd[{smtpd}]: connect from app1.example.com[192.0.2.30]"
                );
                t += rng.ms(2, 30);
                q = self.qid(rng, inst, t);
                emit!(
                    s,
                    t,
                    0,
                    0,
                    "postfix-out/smtpd[{smtpd}]: {q}: client=app1.example.com[192.0.2.30]"
                );
                emit!(
                    s,
                    t + rng.ms(10, 80),
                    0,
                    0,
                    "postfix-out/smtpd[{smtpd}]: disconnect from app1.example.com[192.0.2.30] ehlo=1 mail=1 rcpt={nrcpt} data=1 quit=1 commands={}",
                    4 + nrcpt
                );
            }
        }
        t += rng.ms(3, 60);
        emit!(
            s,
            t,
            0,
            0,
            "{}/cleanup[{cleanup}]: {q}: message-id={}",
            inst.name,
            MsgId::new(rng, OUR_DOMAIN)
        );
        t += rng.ms(2, 40);
        if kind != 1 {
            emit!(
                s,
                t,
                0,
                0,
                "opendkim[{}]: {q}: DKIM-Signature field added (s=mail, d={})",
                self.opendkim,
                from.domain
            );
            t += rng.ms(1, 10);
        }
        let mut msg = Msg {
            qid: q,
            from,
            size,
            arrived: at,
            rcpts,
            nrcpt,
        };
        self.attempt(t, &mut msg, inst, s, rng, true);
    }

    fn first_outcome(rng: &mut Rng, dest: &Dest) -> Outcome {
        if dest.domain == "deadhost.example" {
            return if rng.chance(500) {
                Outcome::DeferLocal(0)
            } else {
                Outcome::DeferLocal(3)
            };
        }
        match rng.below(1000) {
            0..=829 => Outcome::Sent,
            830..=899 => Outcome::DeferSaid(rng.below(6) as u8),
            900..=929 => Outcome::DeferLocal(rng.below(4) as u8),
            930..=944 => Outcome::Refused,
            945..=989 => Outcome::Bounce(rng.below(6) as u8),
            _ => Outcome::BounceLocal,
        }
    }

    /// One pass of the queue manager over a message: the `from=` line, one status line per
    /// pending recipient, then `removed` or a retry later.
    fn attempt(
        &mut self,
        mut t: i64,
        msg: &mut Msg,
        inst: Instance,
        s: &mut Sched,
        rng: &mut Rng,
        first: bool,
    ) {
        let q = msg.qid;
        emit!(
            s,
            t,
            0,
            0,
            "{}/qmgr[{}]: {q}: from=<{}>, size={}, nrcpt={} (queue active)",
            inst.name,
            inst.qmgr,
            msg.from,
            msg.size,
            msg.nrcpt
        );
        let qmgr_at = t;
        let mut any_bounced = false;
        let mut any_deferred = false;
        for i in 0..msg.nrcpt {
            let (to, dest, outcome) = msg.rcpts[i];
            let pid = self.pid(rng, inst.smtp);
            let tag = if inst.long_ids {
                "postfix-out/smtp"
            } else {
                "postfix/smtp"
            };
            let mx_i = rng.below(dest.mx.len() as u64) as usize;
            let (mx, ip) = dest.mx[mx_i];
            let conn = rng.ms(30, 900);
            let xfer = rng.ms(40, 1500);
            t += rng.ms(1, 50);
            let pre = |t: i64, conn: i64, xfer: i64| {
                (
                    Secs(t - msg.arrived),
                    Secs(if first {
                        qmgr_at - msg.arrived
                    } else {
                        qmgr_at - msg.arrived - 1_000_000
                    }),
                    Secs(conn),
                    Secs(xfer),
                )
            };
            match outcome {
                Outcome::Sent => {
                    if rng.chance(250) {
                        emit!(
                            s,
                            t + conn,
                            0,
                            0,
                            "{tag}[{pid}]: Verified TLS connection established to {mx}[{ip}]:25: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519 server-signature ECDSA (P-256) server-digest SHA256"
                        );
                    }
                    t += conn + xfer;
                    let (d, d1, d3, d4) = pre(t, conn, xfer);
                    let reply = SentReply(dest.provider, rng.next_u64(), t);
                    let dsn = if dest.provider == Provider::Microsoft {
                        "2.6.0"
                    } else {
                        "2.0.0"
                    };
                    emit!(
                        s,
                        t,
                        0,
                        0,
                        "{tag}[{pid}]: {q}: to=<{to}>, relay={mx}[{ip}]:25, delay={d}, delays={d1}/0.01/{d3}/{d4}, dsn={dsn}, status=sent ({reply})"
                    );
                }
                Outcome::DeferSaid(k) => {
                    t += conn + xfer / 2;
                    let (d, d1, d3, d4) = pre(t, conn, xfer / 2);
                    let (dsn, text) = defer_reply(dest.provider, k);
                    emit!(
                        s,
                        t,
                        0,
                        0,
                        "{tag}[{pid}]: {q}: to=<{to}>, relay={mx}[{ip}]:25, delay={d}, delays={d1}/0.01/{d3}/{d4}, dsn={dsn}, status=deferred (host {mx}[{ip}] said: {})",
                        Reply(text, to)
                    );
                    any_deferred = true;
                }
                Outcome::DeferLocal(k) => {
                    let wait = if k == 0 { 30_000_000 } else { conn };
                    if k == 0 && dest.mx.len() > 1 {
                        let (mx0, ip0) = dest.mx[0];
                        emit!(
                            s,
                            t + wait,
                            0,
                            0,
                            "{tag}[{pid}]: connect to {mx0}[{ip0}]:25: Connection timed out"
                        );
                    }
                    t += wait;
                    let (d, d1, d3, _) = pre(t, wait, 0);
                    let (relay, dsn, why) = match k {
                        0 => ("none", "4.4.1", DeferWhy::Timeout(mx, ip)),
                        1 => ("none", "4.4.3", DeferWhy::Dns(dest.domain)),
                        2 => ("mx", "4.4.2", DeferWhy::Lost(mx, ip)),
                        _ => ("mx", "4.4.2", DeferWhy::Greeting(mx, ip)),
                    };
                    let relay = RelayField(relay, mx, ip);
                    emit!(
                        s,
                        t,
                        0,
                        0,
                        "{tag}[{pid}]: {q}: to=<{to}>, relay={relay}, delay={d}, delays={d1}/0.01/{d3}/0, dsn={dsn}, status=deferred ({why})"
                    );
                    any_deferred = true;
                }
                Outcome::Refused => {
                    t += conn;
                    let text = match dest.provider {
                        Provider::Yahoo => {
                            "421 4.7.0 [TSS04] Messages from 192.0.2.10 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes"
                        }
                        Provider::Microsoft => {
                            "421 4.3.2 The maximum number of concurrent server connections has exceeded a limit, closing transmission channel"
                        }
                        _ => "421 4.7.0 Try again later, closing connection.",
                    };
                    emit!(
                        s,
                        t,
                        0,
                        0,
                        "{tag}[{pid}]: {q}: host {mx}[{ip}] refused to talk to me: {text}"
                    );
                    s.outcome();
                    let (d, d1, d3, _) = pre(t, conn, 0);
                    emit!(
                        s,
                        t + 200,
                        0,
                        0,
                        "{tag}[{pid}]: {q}: to=<{to}>, relay={mx}[{ip}]:25, delay={d}, delays={d1}/0.01/{d3}/0, dsn=4.7.0, status=deferred (host {mx}[{ip}] refused to talk to me: {text})"
                    );
                    any_deferred = true;
                }
                Outcome::Bounce(k) => {
                    if k == 5 && dest.mx.len() > 1 {
                        // The first MX refuses the greeting; the second then rejects the
                        // recipient, so the refusal is logged on its own line.
                        let (mx0, ip0) = dest.mx[0];
                        emit!(
                            s,
                            t + conn,
                            0,
                            0,
                            "{tag}[{pid}]: {q}: host {mx0}[{ip0}] refused to talk to me: 554 5.7.1 Service unavailable; Client host [{OUR_IP}] blocked using bl.spamcop.net"
                        );
                        s.outcome();
                    }
                    t += conn + xfer / 3;
                    let (d, d1, d3, d4) = pre(t, conn, xfer / 3);
                    let (dsn, text) = bounce_reply(dest.provider, k);
                    emit!(
                        s,
                        t,
                        0,
                        0,
                        "{tag}[{pid}]: {q}: to=<{to}>, relay={mx}[{ip}]:25, delay={d}, delays={d1}/0.01/{d3}/{d4}, dsn={dsn}, status=bounced (host {mx}[{ip}] said: {})",
                        Reply(text, to)
                    );
                    any_bounced = true;
                }
                Outcome::BounceLocal => {
                    t += rng.ms(5, 200);
                    let (d, d1, d3, _) = pre(t, 0, 0);
                    emit!(
                        s,
                        t,
                        0,
                        0,
                        "{tag}[{pid}]: {q}: to=<{}>, relay=none, delay={d}, delays={d1}/0.01/{d3}/0, dsn=5.4.4, status=bounced (Host or domain name not found. Name service error for name={} type=A: Host not found)",
                        Addr {
                            domain: "gmial.com",
                            ..to
                        },
                        "gmial.com"
                    );
                    any_bounced = true;
                }
            }
            s.outcome();
        }
        if any_bounced {
            t += rng.ms(2, 30);
            self.bounce_notice(t, msg, inst, s, rng);
            for r in msg.rcpts.iter_mut().take(msg.nrcpt) {
                if r.2.is_bounced() {
                    r.2 = Outcome::Sent;
                    // Already answered; marked so a retry skips it.
                    r.1 = &DESTS[0];
                }
            }
        }
        if any_deferred && first {
            // The retry covers only the recipients still pending.
            let mut keep = 0;
            for i in 0..msg.nrcpt {
                let (to, dest, outcome) = msg.rcpts[i];
                if outcome.is_deferred() {
                    let next = if rng.chance(750) {
                        Outcome::Sent
                    } else {
                        outcome
                    };
                    msg.rcpts[keep] = (to, dest, next);
                    keep += 1;
                }
            }
            msg.nrcpt = keep;
            let later = t + rng.ms(300_000, 1_800_000);
            self.attempt(later, msg, inst, s, rng, false);
        } else if !any_deferred {
            emit!(
                s,
                t + rng.ms(0, 3),
                0,
                0,
                "{}/qmgr[{}]: {q}: removed",
                inst.name,
                inst.qmgr
            );
        }
    }

    /// The bounce daemon's notice and the life of the notification message itself, delivered
    /// back to the sender.
    fn bounce_notice(&mut self, at: i64, msg: &Msg, inst: Instance, s: &mut Sched, rng: &mut Rng) {
        let bounce = self.pid(rng, self.bounce_pool);
        let child = self.qid(rng, inst, at);
        let mut t = at;
        let cleanup = self.pid(rng, inst.cleanup);
        emit!(
            s,
            t,
            0,
            0,
            "{}/cleanup[{cleanup}]: {child}: message-id=<{}.{child}@mx1.example.com>",
            inst.name,
            wall(self.start, at).format("%Y%m%d%H%M%S")
        );
        t += rng.ms(1, 10);
        emit!(
            s,
            t,
            0,
            0,
            "{}/bounce[{bounce}]: {}: sender non-delivery notification: {child}",
            inst.name,
            msg.qid
        );
        emit!(
            s,
            t + 500,
            0,
            0,
            "{}/qmgr[{}]: {child}: from=<>, size={}, nrcpt=1 (queue active)",
            inst.name,
            inst.qmgr,
            msg.size.min(40_000) + 2_400
        );
        t += rng.ms(5, 80);
        if msg.from.domain == OUR_DOMAIN {
            let lmtp = self.pid(rng, self.lmtp_pool);
            emit!(
                s,
                t,
                0,
                0,
                "postfix/lmtp[{lmtp}]: {child}: to=<{}>, relay=mx1.example.com[private/dovecot-lmtp], delay={}, delays=0/0.01/0/{}, dsn=2.0.0, status=sent (250 2.0.0 <{}> {} Saved)",
                msg.from,
                Secs(t - at),
                Secs(t - at),
                msg.from,
                Token::random(rng, super::BASE62, 22)
            );
        } else if msg.from.domain == "mx1.example.com" {
            let local = self.pid(rng, self.local_pool);
            emit!(
                s,
                t,
                0,
                0,
                "postfix/local[{local}]: {child}: to=<root@mx1.example.com>, orig_to=<{}>, relay=local, delay={}, delays=0/0.01/0/{}, dsn=2.0.0, status=sent (delivered to mailbox)",
                msg.from,
                Secs(t - at),
                Secs(t - at)
            );
        } else {
            let smtp = self.pid(rng, inst.smtp);
            emit!(
                s,
                t,
                0,
                0,
                "{}/smtp[{smtp}]: {child}: to=<{}>, relay=none, delay={}, delays=0/0.01/0/0, dsn=5.1.1, status=bounced (mail for {} loops back to myself)",
                inst.name,
                msg.from,
                Secs(t - at),
                msg.from.domain
            );
        }
        s.outcome();
        emit!(
            s,
            t + 1_000,
            0,
            0,
            "{}/qmgr[{}]: {child}: removed",
            inst.name,
            inst.qmgr
        );
    }

    /// A message that has been deferred for five days: expiry, notification, removal.
    fn expired(&mut self, at: i64, s: &mut Sched, rng: &mut Rng) {
        let inst = if rng.chance(500) { self.out } else { self.main };
        let dest = Self::dest(rng);
        let (mx, ip) = dest.mx[0];
        let q = self.qid(rng, inst, at - 432_000_000_000);
        let from = if inst.long_ids {
            Addr {
                user: "newsletter",
                last: "",
                num: 0,
                domain: "news.example.com",
            }
        } else {
            address(rng, OUR_DOMAIN)
        };
        let to = address(rng, dest.domain);
        let size = rng.range(2_000, 30_000);
        let mut t = at;
        emit!(
            s,
            t,
            0,
            0,
            "{}/qmgr[{}]: {q}: from=<{from}>, size={size}, nrcpt=1 (queue active)",
            inst.name,
            inst.qmgr
        );
        let pid = self.pid(rng, inst.smtp);
        t += 30_000_000;
        emit!(
            s,
            t,
            0,
            0,
            "{}/smtp[{pid}]: {q}: to=<{to}>, relay=none, delay={}, delays={}/0.01/30/0, dsn=4.4.1, status=deferred (connect to {mx}[{ip}]:25: Connection timed out)",
            inst.name,
            432_000 + rng.range(30, 3000),
            432_000 + rng.range(0, 2900)
        );
        s.outcome();
        t += rng.ms(600_000, 1_200_000);
        emit!(
            s,
            t,
            0,
            0,
            "{}/qmgr[{}]: {q}: from=<{from}>, status=expired, returned to sender",
            inst.name,
            inst.qmgr
        );
        s.outcome();
        let msg = Msg {
            qid: q,
            from,
            size,
            arrived: at - 432_000_000_000,
            rcpts: [(to, dest, Outcome::Sent); 12],
            nrcpt: 1,
        };
        self.bounce_notice(t + 1_000, &msg, inst, s, rng);
        emit!(
            s,
            t + 2_000,
            0,
            0,
            "{}/qmgr[{}]: {q}: removed",
            inst.name,
            inst.qmgr
        );
    }

    /// An smtpd session refused before queueing (or, at END-OF-MESSAGE, just after).
    fn noqueue(&mut self, at: i64, s: &mut Sched, rng: &mut Rng) {
        let mut t = at;
        let good = rng.chance(300);
        let client = Self::client(rng, good);
        let helo = if good {
            client.name
        } else {
            rng.pick(SPAM_HELOS)
        };
        let smtpd = self.pid(rng, self.smtpd_pool);
        emit!(s, t, 0, 0, "postfix/smtpd[{smtpd}]: connect from {client}");
        t += rng.ms(100, 2000);
        if !good && rng.chance(150) {
            emit!(
                s,
                t,
                0,
                0,
                "postfix/smtpd[{smtpd}]: warning: hostname {}.dyn.isp.example does not resolve to address {}: Name or service not known",
                Token::random(rng, HEX_LOWER, 8),
                client.ip
            );
        }
        let from_domain = rng.pick(SENDER_DOMAINS);
        let from = address(rng, from_domain);
        // Known senders only trip the recipient checks and greylisting; blocklists, HELO and
        // hostname checks catch the unnamed ones.
        let kind = if good {
            [1, 1, 2, 2, 2, 6, 7, 1][rng.below(8) as usize]
        } else {
            rng.weighted(&[30, 10, 8, 5, 6, 6, 3, 2, 4, 3, 5])
        };
        let mut rcpt_tries = 0;
        let mut cmds = "ehlo=1 mail=1";
        let reps = if kind <= 2 { rng.range(1, 6) } else { 1 };
        for _ in 0..reps {
            let to = address(rng, OUR_DOMAIN);
            let tail = Envelope(from, to, helo);
            let ip = client.ip;
            match kind {
                0 => emit!(
                    s,
                    t,
                    0,
                    0,
                    "postfix/smtpd[{smtpd}]: NOQUEUE: reject: RCPT from {client}: 554 5.7.1 Service unavailable; Client host [{ip}] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/{ip}; {tail}"
                ),
                1 => emit!(
                    s,
                    t,
                    0,
                    0,
                    "postfix/smtpd[{smtpd}]: NOQUEUE: reject: RCPT from {client}: 550 5.1.1 <{to}>: Recipient address rejected: User unknown in virtual mailbox table; {tail}"
                ),
                2 => emit!(
                    s,
                    t,
                    0,
                    0,
                    "postfix/smtpd[{smtpd}]: NOQUEUE: reject: RCPT from {client}: 450 4.2.0 <{to}>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/example.com.html; {tail}"
                ),
                3 => emit!(
                    s,
                    t,
                    0,
                    0,
                    "postfix/smtpd[{smtpd}]: NOQUEUE: reject: RCPT from {client}: 450 4.7.1 Client host rejected: cannot find your hostname, [{ip}]; {tail}"
                ),
                4 => emit!(
                    s,
                    t,
                    0,
                    0,
                    "postfix/smtpd[{smtpd}]: NOQUEUE: reject: RCPT from {client}: 454 4.7.1 <{}>: Relay access denied; from=<{from}> to=<{}> proto=ESMTP helo=<{helo}>",
                    Addr {
                        domain: "example.net",
                        ..to
                    },
                    Addr {
                        domain: "example.net",
                        ..to
                    }
                ),
                5 => {
                    if rng.chance(500) {
                        emit!(
                            s,
                            t,
                            0,
                            0,
                            "postfix/smtpd[{smtpd}]: NOQUEUE: reject: HELO from {client}: 504 5.5.2 <{helo}>: Helo command rejected: need fully-qualified hostname; proto=SMTP helo=<{helo}>"
                        );
                        cmds = "helo=0/1";
                    } else {
                        emit!(
                            s,
                            t,
                            0,
                            0,
                            "postfix/smtpd[{smtpd}]: NOQUEUE: reject: RCPT from {client}: 504 5.5.2 <{helo}>: Helo command rejected: need fully-qualified hostname; {tail}"
                        );
                    }
                }
                6 => emit!(
                    s,
                    t,
                    0,
                    0,
                    "postfix/smtpd[{smtpd}]: NOQUEUE: reject: RCPT from {client}: 451 4.3.5 <{to}>: Recipient address rejected: Server configuration problem; {tail}"
                ),
                7 => {
                    emit!(
                        s,
                        t,
                        0,
                        0,
                        "postfix/smtpd[{smtpd}]: NOQUEUE: reject: MAIL from {client}: 552 5.3.4 Message size exceeds fixed limit; proto=ESMTP helo=<{helo}>"
                    );
                    cmds = "ehlo=1 mail=0/1";
                }
                8 => {
                    emit!(
                        s,
                        t,
                        0,
                        0,
                        "postfix/smtpd[{smtpd}]: NOQUEUE: reject: CONNECT from {client}: 421 4.3.2 Service currently unavailable; proto=SMTP"
                    );
                    cmds = "";
                }
                9 => {
                    emit!(
                        s,
                        t,
                        0,
                        0,
                        "postfix/smtpd[{smtpd}]: NOQUEUE: reject: DATA from {client}: 550 5.5.3 <DATA>: Data command rejected: Multi-recipient bounce; from=<> proto=ESMTP helo=<{helo}>"
                    );
                    cmds = "ehlo=1 mail=1 rcpt=2 data=0/1";
                }
                _ => {
                    emit!(
                        s,
                        t,
                        0,
                        0,
                        "postfix/smtpd[{smtpd}]: NOQUEUE: reject_warning: RCPT from {client}: 450 4.7.1 Client host rejected: cannot find your reverse hostname, [{ip}]; {tail}"
                    );
                }
            }
            s.outcome();
            rcpt_tries += 1;
            t += rng.ms(50, 800);
        }
        // The per-command counts smtpd writes on disconnect: `name=ok/tried`, then the totals.
        let counts = match kind {
            8 => Counts("", 0, 0, "", 0, 0),
            _ if cmds == "helo=0/1" => Counts("helo=0/1", 0, 0, " quit=1", 1, 2),
            7 => Counts("ehlo=1 mail=0/1", 0, 0, " quit=1", 2, 3),
            9 => Counts("ehlo=1 mail=1 rcpt=2 data=0/1", 0, 0, " quit=1", 5, 6),
            10 => Counts(
                "ehlo=1 mail=1",
                rcpt_tries,
                rcpt_tries,
                " rset=1 quit=1",
                4 + rcpt_tries,
                4 + rcpt_tries,
            ),
            _ => Counts("ehlo=1 mail=1", 0, rcpt_tries, " quit=1", 3, 3 + rcpt_tries),
        };
        emit!(
            s,
            t,
            0,
            0,
            "postfix/smtpd[{smtpd}]: disconnect from {client}{counts}"
        );
    }

    /// A message refused by a content check: a header rule, a milter, or an
    /// end-of-data restriction; it already had a queue id, so no `removed` follows.
    fn content_reject(&mut self, at: i64, s: &mut Sched, rng: &mut Rng) {
        let mut t = at;
        let client = Self::client(rng, false);
        let helo = rng.pick(SPAM_HELOS);
        let smtpd = self.pid(rng, self.smtpd_pool);
        let from = address(rng, "promo-sender.example");
        let to = address(rng, OUR_DOMAIN);
        emit!(s, t, 0, 0, "postfix/smtpd[{smtpd}]: connect from {client}");
        t += rng.ms(200, 1500);
        let q = self.qid(rng, self.main, t);
        emit!(s, t, 0, 0, "postfix/smtpd[{smtpd}]: {q}: client={client}");
        t += rng.ms(200, 3000);
        let cleanup = self.pid(rng, self.main.cleanup);
        let tail = Envelope(from, to, helo);
        match rng.below(3) {
            0 => emit!(
                s,
                t,
                0,
                0,
                "postfix/cleanup[{cleanup}]: {q}: reject: header Subject: {} from {client}; {tail}: 5.7.1 message content rejected",
                rng.pick(&[
                    "You have WON!!! Claim your prize now",
                    "URGENT: account verification required",
                    "Re: Invoice #88213 overdue",
                ])
            ),
            1 => emit!(
                s,
                t,
                0,
                0,
                "postfix/cleanup[{cleanup}]: {q}: milter-reject: END-OF-MESSAGE from {client}: 5.7.1 Spam message rejected; {tail}"
            ),
            _ => emit!(
                s,
                t,
                0,
                0,
                "postfix/smtpd[{smtpd}]: {q}: reject: END-OF-MESSAGE from {client}: 554 5.7.1 Message rejected: SPF check failed; {tail}"
            ),
        }
        s.outcome();
        emit!(
            s,
            t + rng.ms(10, 200),
            0,
            0,
            "postfix/smtpd[{smtpd}]: disconnect from {client} ehlo=1 mail=1 rcpt=1 data=0/1 quit=1 commands=4/5"
        );
    }

    /// A postscreen session: a DNSBL or pregreet drop, or a pass handed on.
    fn postscreen(&mut self, at: i64, s: &mut Sched, rng: &mut Rng) {
        let ip = doc_ipv4(rng);
        let port = rng.range(32768, 60999);
        let ps = self.postscreen;
        let mut t = at;
        emit!(
            s,
            t,
            0,
            0,
            "postfix/postscreen[{ps}]: CONNECT from [{ip}]:{port} to [{OUR_IP}]:25"
        );
        t += rng.ms(5, 200);
        match rng.below(10) {
            0..=5 => {
                emit!(
                    s,
                    t,
                    0,
                    0,
                    "postfix/dnsblog[{}]: addr {ip} listed by domain zen.spamhaus.org as 127.0.0.{}",
                    self.dnsblog,
                    rng.pick(&[2, 3, 4, 10, 11])
                );
                t += rng.ms(1, 50);
                emit!(
                    s,
                    t,
                    0,
                    0,
                    "postfix/postscreen[{ps}]: DNSBL rank {} for [{ip}]:{port}",
                    rng.range(3, 6)
                );
                t += rng.ms(500, 5000);
                let to = address(rng, OUR_DOMAIN);
                let from = address(rng, "bad.example");
                emit!(
                    s,
                    t,
                    0,
                    0,
                    "postfix/postscreen[{ps}]: NOQUEUE: reject: RCPT from [{ip}]:{port}: 550 5.7.1 Service unavailable; client [{ip}] blocked using zen.spamhaus.org; from=<{from}>, to=<{to}>, proto=ESMTP, helo=<{}>",
                    rng.pick(SPAM_HELOS)
                );
                s.outcome();
                t += rng.ms(100, 900);
                emit!(
                    s,
                    t,
                    0,
                    0,
                    "postfix/postscreen[{ps}]: DISCONNECT [{ip}]:{port}"
                );
            }
            6 | 7 => {
                emit!(
                    s,
                    t,
                    0,
                    0,
                    "postfix/postscreen[{ps}]: PREGREET 11 after 0.{:02} from [{ip}]:{port}: EHLO User\\r\\n",
                    rng.range(5, 99)
                );
                emit!(
                    s,
                    t + rng.ms(1, 30),
                    0,
                    0,
                    "postfix/postscreen[{ps}]: DISCONNECT [{ip}]:{port}"
                );
            }
            8 => {
                emit!(
                    s,
                    t + rng.ms(1000, 9000),
                    0,
                    0,
                    "postfix/postscreen[{ps}]: HANGUP after {}.{} from [{ip}]:{port} in tests after SMTP handshake",
                    rng.range(1, 9),
                    rng.below(10)
                );
                emit!(
                    s,
                    t + 9_100_000,
                    0,
                    0,
                    "postfix/postscreen[{ps}]: DISCONNECT [{ip}]:{port}"
                );
            }
            _ => {
                emit!(
                    s,
                    t,
                    0,
                    0,
                    "postfix/postscreen[{ps}]: PASS NEW [{ip}]:{port}"
                );
                let smtpd = self.pid(rng, self.smtpd_pool);
                let t = t + rng.ms(5, 80);
                emit!(
                    s,
                    t,
                    0,
                    0,
                    "postfix/smtpd[{smtpd}]: connect from unknown[{ip}]"
                );
                emit!(
                    s,
                    t + rng.ms(2000, 8000),
                    0,
                    0,
                    "postfix/smtpd[{smtpd}]: lost connection after EHLO from unknown[{ip}]"
                );
                emit!(
                    s,
                    t + 8_100_000,
                    0,
                    0,
                    "postfix/smtpd[{smtpd}]: disconnect from unknown[{ip}] ehlo=1 commands=1"
                );
            }
        }
    }

    /// Lines of other programs and of Postfix housekeeping.
    fn noise(&mut self, at: i64, s: &mut Sched, rng: &mut Rng) {
        let mut t = at;
        match rng.weighted(&[50, 8, 10, 6, 4, 2]) {
            0 => {
                let user = address(rng, OUR_DOMAIN);
                let session = Token::random(rng, super::BASE62, 16);
                let mpid = self.fresh_pid(rng);
                let rip = doc_ipv4(rng);
                emit!(
                    s,
                    t,
                    0,
                    0,
                    "dovecot[{}]: imap-login: Login: user=<{user}>, method=PLAIN, rip={rip}, lip={OUR_IP}, mpid={mpid}, TLS, session=<{session}>",
                    self.dovecot
                );
                t += rng.ms(1000, 900_000);
                emit!(
                    s,
                    t,
                    0,
                    0,
                    "dovecot[{}]: imap({user})<{mpid}><{session}>: Logged out in={} out={} deleted=0 expunged=0 trashed=0 hdr_count=0 hdr_bytes=0 body_count=0 body_bytes=0",
                    self.dovecot,
                    rng.range(100, 9000),
                    rng.range(500, 900_000)
                );
            }
            1 => {
                let rip = doc_ipv4(rng);
                emit!(
                    s,
                    t,
                    0,
                    0,
                    "dovecot[{}]: imap-login: Disconnected: Connection closed (auth failed, {} attempts in {} secs): user=<{}>, method=PLAIN, rip={rip}, lip={OUR_IP}, TLS, session=<{}>",
                    self.dovecot,
                    rng.range(1, 3),
                    rng.range(2, 20),
                    rng.pick(&["admin", "test", "info@example.com", "webmaster"]),
                    Token::random(rng, super::BASE62, 16)
                );
            }
            2 => {
                let smtpd = self.pid(rng, self.sub_pool);
                let ip = doc_ipv4(rng);
                emit!(
                    s,
                    t,
                    0,
                    0,
                    "postfix/submission/smtpd[{smtpd}]: connect from unknown[{ip}]"
                );
                t += rng.ms(300, 3000);
                emit!(
                    s,
                    t,
                    0,
                    0,
                    "postfix/submission/smtpd[{smtpd}]: warning: unknown[{ip}]: SASL LOGIN authentication failed: UGFzc3dvcmQ6"
                );
                t += rng.ms(10, 500);
                emit!(
                    s,
                    t,
                    0,
                    0,
                    "postfix/submission/smtpd[{smtpd}]: lost connection after AUTH from unknown[{ip}]"
                );
                emit!(
                    s,
                    t + 100,
                    0,
                    0,
                    "postfix/submission/smtpd[{smtpd}]: disconnect from unknown[{ip}] ehlo=1 auth=0/1 commands=1/2"
                );
            }
            3 => {
                let good = rng.chance(400);
                let client = Self::client(rng, good);
                let smtpd = self.pid(rng, self.smtpd_pool);
                emit!(s, t, 0, 0, "postfix/smtpd[{smtpd}]: connect from {client}");
                t += rng.ms(5000, 300_000);
                emit!(
                    s,
                    t,
                    0,
                    0,
                    "postfix/smtpd[{smtpd}]: timeout after DATA ({} bytes) from {client}",
                    rng.range(0, 64_000)
                );
                emit!(
                    s,
                    t + 200,
                    0,
                    0,
                    "postfix/smtpd[{smtpd}]: disconnect from {client} ehlo=1 mail=1 rcpt=1 data=0/1 commands=3/4"
                );
            }
            4 => {
                let smtp = self.pid(rng, self.main.smtp);
                emit!(
                    s,
                    t,
                    0,
                    0,
                    "postfix/smtp[{smtp}]: warning: TLS library problem: error:0A000086:SSL routines::certificate verify failed:../ssl/statem/statem_clnt.c:2092:"
                );
            }
            _ => {
                emit!(
                    s,
                    t,
                    0,
                    0,
                    "postfix/smtpd[{}]: warning: database /etc/postfix/virtual.db is older than source file /etc/postfix/virtual",
                    self.pid(rng, self.smtpd_pool)
                );
            }
        }
    }
}

impl Model for Postfix {
    fn prologue(&mut self, at: i64, s: &mut Sched, rng: &mut Rng) {
        if rng.chance(500) {
            emit!(
                s,
                at,
                0,
                0,
                "postfix/master[{}]: daemon started -- version 3.7.11, configuration /etc/postfix",
                self.master
            );
            emit!(
                s,
                at + 2_000,
                0,
                0,
                "postfix-out/master[{}]: daemon started -- version 3.7.11, configuration /etc/postfix-out",
                self.master + 11
            );
        } else {
            emit!(
                s,
                at + rng.ms(60_000, 3_600_000),
                0,
                0,
                "postfix/master[{}]: reload -- version 3.7.11, configuration /etc/postfix",
                self.master
            );
        }
    }

    fn story(&mut self, at: i64, s: &mut Sched, rng: &mut Rng) {
        self.periodic(at, s, rng);
        match rng.weighted(&[22, 18, 3, 14, 5, 1, 22, 7, 3, 8]) {
            0 => self.inbound_local(at, s, rng),
            1 => self.outbound(at, s, rng, 0),
            2 => self.outbound(at, s, rng, 1),
            3 => self.outbound(at, s, rng, 2),
            4 => self.inbound_relay(at, s, rng),
            5 => self.expired(at, s, rng),
            6 => self.noqueue(at, s, rng),
            7 => self.postscreen(at, s, rng),
            8 => self.content_reject(at, s, rng),
            _ => self.noise(at, s, rng),
        }
    }
}

/// The acceptance reply of a remote server, in its provider's words.
struct SentReply(Provider, u64, i64);

impl std::fmt::Display for SentReply {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let r = self.1;
        match self.0 {
            Provider::Google => write!(
                f,
                "250 2.0.0 OK  {} {}si{}.{} - gsmtp",
                1_795_000_000 + self.2 / 1_000_000,
                (b'a' + (r % 26) as u8) as char,
                r % 10_000_000,
                r >> 54
            ),
            Provider::Microsoft => write!(
                f,
                "250 2.6.0 <{:08x}@example.com> [InternalId={}, Hostname=AM9PR04MB{:04}.eurprd04.prod.outlook.com] {} bytes in 0.{:03}, {}.{:03} KB/sec Queued mail for delivery",
                r as u32,
                r >> 24,
                r % 10_000,
                (r >> 8) % 60_000 + 900,
                r % 1000,
                r % 900 + 10,
                (r >> 16) % 1000
            ),
            Provider::Yahoo => f.write_str("250 ok dirdel"),
            Provider::Other => {
                let id = Token::encode(r >> 20, HEX, 10);
                write!(f, "250 2.0.0 Ok: queued as {id}")
            }
        }
    }
}

/// A remote reply; `{rcpt}` in the text stands for the recipient address.
struct Reply(&'static str, Addr);

impl std::fmt::Display for Reply {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut parts = self.0.split("{rcpt}");
        if let Some(first) = parts.next() {
            f.write_str(first)?;
        }
        for part in parts {
            write!(f, "{}{part}", self.1)?;
        }
        Ok(())
    }
}

fn defer_reply(provider: Provider, k: u8) -> (&'static str, &'static str) {
    match (provider, k) {
        (Provider::Google, 0 | 1) => (
            "4.7.28",
            "421-4.7.28 [192.0.2.10      15] Our system has detected an unusual rate of 421-4.7.28 unsolicited mail originating from your IP address. To protect our 421-4.7.28 users from spam, mail sent from your IP address has been temporarily 421-4.7.28 rate limited. For more information, go to 421-4.7.28  https://support.google.com/mail/?p=UnsolicitedRateLimitError to 421 4.7.28 review our Bulk Email Senders Guidelines. a640c23a62f3a-a9a80f8b2c1si2214766b.312 - gsmtp (in reply to end of DATA command)",
        ),
        (Provider::Google, 2) => (
            "4.2.2",
            "452-4.2.2 The recipient's inbox is out of storage space. Please direct the 452-4.2.2 recipient to 452 4.2.2  https://support.google.com/mail/?p=OverQuotaTemp 5b1f17b1804b1-43159a1c9d4si4118285e9.58 - gsmtp (in reply to RCPT TO command)",
        ),
        (Provider::Microsoft, 0 | 1) => (
            "4.7.650",
            "451 4.7.650 The mail server [192.0.2.10] has been temporarily rate limited due to IP reputation. For e-mail delivery information, see https://postmaster.live.com (S775) [Name=Protocol Filter Agent][AGT=PFA][MxId=11BB5E0C11C3A2F5] [AM4PEPF00027A5F.eurprd04.prod.outlook.com 2026-11-21T08:00:04.123Z 08DD0A1B2C3D4E5F] (in reply to MAIL FROM command)",
        ),
        (_, 0) => (
            "4.2.0",
            "450 4.2.0 <{rcpt}>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/example.org.html (in reply to RCPT TO command)",
        ),
        (_, 1) => (
            "4.7.1",
            "451 4.7.1 <{rcpt}>: Recipient address rejected: Please try again later (in reply to RCPT TO command)",
        ),
        (_, 2) => (
            "4.2.2",
            "452 4.2.2 <{rcpt}>: Mailbox full, try again later (in reply to RCPT TO command)",
        ),
        (_, 3) => (
            "4.7.0",
            "421 4.7.0 TLS handshake failed, closing connection (in reply to STARTTLS command)",
        ),
        (_, 4) => (
            "4.3.0",
            "451 4.3.0 Temporary local problem - please try later (in reply to end of DATA command)",
        ),
        _ => (
            "4.7.1",
            "451 4.7.1 Greylisting in action, please come back later (in reply to MAIL FROM command)",
        ),
    }
}

fn bounce_reply(provider: Provider, k: u8) -> (&'static str, &'static str) {
    match (provider, k) {
        (Provider::Google, 0..=2) => (
            "5.1.1",
            "550-5.1.1 The email account that you tried to reach does not exist. Please try 550-5.1.1 double-checking the recipient's email address for typos or 550-5.1.1 unnecessary spaces. For more information, go to 550 5.1.1  https://support.google.com/mail/?p=NoSuchUser 41be03b00d2f7-7ea5d3c1f0fsi1452190a12.114 - gsmtp (in reply to RCPT TO command)",
        ),
        (Provider::Google, 3) => (
            "5.7.26",
            "550-5.7.26 Unauthenticated email from example.com is not accepted due to 550-5.7.26 domain's DMARC policy. Please contact the administrator of 550-5.7.26 example.com domain if this was a legitimate mail. To learn about the 550-5.7.26 DMARC initiative, go to 550 5.7.26  https://support.google.com/mail/?p=DmarcRejection d9443c01a7336-20b0f6e5c3asi7719235ad.311 - gsmtp (in reply to end of DATA command)",
        ),
        (Provider::Microsoft, 0 | 1) => (
            "5.7.606",
            "550 5.7.606 Access denied, banned sending IP [192.0.2.10]. To request removal from this list please visit https://sender.office.com/ and follow the directions. For more information please go to  http://go.microsoft.com/fwlink/?LinkID=526655 AS(1430) [DB5EUR03FT012.eop-EUR03.prod.protection.outlook.com 2026-11-21T08:00:04.123Z 08DD2B3C4D5E6F70] (in reply to MAIL FROM command)",
        ),
        (Provider::Microsoft, 2 | 3) => (
            "5.7.1",
            "550 5.7.1 Unfortunately, messages from [192.0.2.10] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3140). You can also refer your provider to http://mail.live.com/mail/troubleshooting.aspx#errors. [AM4PEPF00027A5F.eurprd04.prod.outlook.com 2026-11-21T08:00:04.123Z 08DD2B3C4D5E6F70] (in reply to MAIL FROM command)",
        ),
        (Provider::Microsoft, _) => (
            "5.5.0",
            "550 5.5.0 Requested action not taken: mailbox unavailable (S2017062302). [AMS0EPF000001A3.eurprd05.prod.outlook.com 2026-11-21T08:00:04.123Z 08DD1C2D3E4F5061] (in reply to RCPT TO command)",
        ),
        (Provider::Yahoo, 0..=2) => (
            "5.1.1",
            "554 delivery error: dd Sorry your message to {rcpt} cannot be delivered. This mailbox is disabled (554.30). - mta4471.mail.bf1.yahoo.com (in reply to end of DATA command)",
        ),
        (_, 0 | 1) => (
            "5.1.1",
            "550 5.1.1 <{rcpt}>: Recipient address rejected: User unknown in virtual mailbox table (in reply to RCPT TO command)",
        ),
        (_, 2) => (
            "5.2.2",
            "552 5.2.2 <{rcpt}>: Mailbox full: user quota exceeded (in reply to end of DATA command)",
        ),
        (_, 3) => (
            "5.7.1",
            "554 5.7.1 Service unavailable; Client host [192.0.2.10] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/192.0.2.10 (in reply to RCPT TO command)",
        ),
        _ => (
            "5.7.1",
            "550 5.7.1 <{rcpt}>: Recipient address rejected: Access denied (in reply to RCPT TO command)",
        ),
    }
}

/// Why a delivery was deferred without a remote reply.
enum DeferWhy {
    Timeout(&'static str, &'static str),
    Dns(&'static str),
    Lost(&'static str, &'static str),
    Greeting(&'static str, &'static str),
}

impl std::fmt::Display for DeferWhy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DeferWhy::Timeout(mx, ip) => {
                write!(f, "connect to {mx}[{ip}]:25: Connection timed out")
            }
            DeferWhy::Dns(domain) => write!(
                f,
                "Host or domain name not found. Name service error for name={domain} type=MX: Host not found, try again"
            ),
            DeferWhy::Lost(mx, ip) => write!(
                f,
                "lost connection with {mx}[{ip}] while receiving the initial server greeting"
            ),
            DeferWhy::Greeting(mx, ip) => write!(
                f,
                "conversation with {mx}[{ip}] timed out while receiving the initial server greeting"
            ),
        }
    }
}

/// The `relay=` value: `none` or `mx[ip]:25`.
struct RelayField(&'static str, &'static str, &'static str);

impl std::fmt::Display for RelayField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.0 == "none" {
            f.write_str("none")
        } else {
            write!(f, "{}[{}]:25", self.1, self.2)
        }
    }
}

/// `from=<..> to=<..> proto=ESMTP helo=<..>`, the envelope at the end of smtpd rejects.
struct Envelope(Addr, Addr, &'static str);

impl std::fmt::Display for Envelope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "from=<{}> to=<{}> proto=ESMTP helo=<{}>",
            self.0, self.1, self.2
        )
    }
}

/// `delay=T, delays=a/b/c/d`, all in microseconds.
struct Delays(i64, i64, i64, i64, i64);

impl std::fmt::Display for Delays {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "delay={}, delays={}/{}/{}/{}",
            Secs(self.0),
            Secs(self.1),
            Secs(self.2),
            Secs(self.3),
            Secs(self.4)
        )
    }
}

/// The start of a relay transport status line, up to `relay=`.
struct RelayHead(u32, Token, Addr);

impl std::fmt::Display for RelayHead {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "postfix/relay/smtp[{}]: {}: to=<{}>, relay=",
            self.0, self.1, self.2
        )
    }
}

/// The counts on an smtpd `disconnect` line: leading commands, RCPT ok and tried, trailing
/// commands, then all commands ok and tried.
struct Counts(&'static str, u64, u64, &'static str, u64, u64);

impl std::fmt::Display for Counts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Counts(lead, rcpt_ok, rcpt_tried, tail, ok, tried) = *self;
        if !lead.is_empty() {
            write!(f, " {lead}")?;
        }
        if rcpt_tried > 0 {
            if rcpt_ok == rcpt_tried {
                write!(f, " rcpt={rcpt_ok}")?;
            } else {
                write!(f, " rcpt={rcpt_ok}/{rcpt_tried}")?;
            }
        }
        f.write_str(tail)?;
        if ok == tried {
            write!(f, " commands={ok}")
        } else {
            write!(f, " commands={ok}/{tried}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_are_written_like_postfix() {
        let cases = [
            (0, "0"),
            (4_000, "0"),
            (10_000, "0.01"),
            (160_000, "0.16"),
            (200_000, "0.2"),
            (1_234_000, "1.2"),
            (2_000_000, "2"),
            (31_000_000, "31"),
            (432_123_000_000, "432123"),
        ];
        for (us, want) in cases {
            assert_eq!(Secs(us).to_string(), want, "{us}");
        }
    }

    #[test]
    fn queue_ids_have_both_forms() {
        let mut rng = Rng::new(1);
        let short = queue_id(&mut rng, false, 1_795_000_000, 0).to_string();
        assert!(short.len() >= 10 && short.bytes().all(|b| HEX.contains(&b)));
        let long = queue_id(&mut rng, true, 1_795_000_000, 123_456).to_string();
        assert!((14..=16).contains(&long.len()), "{long}");
        assert!(long.bytes().all(|b| b.is_ascii_alphanumeric()));
    }
}
