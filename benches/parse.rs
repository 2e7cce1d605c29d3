//! The parser alone: lines per second through `parse_line` on generated Postfix and Exim logs,
//! the time per line of each common line shape, the knowledge-base lookup, and the message
//! follower, with no I/O and no threads.

use chrono::NaiveDate;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use mailsift::generate::{GenFormat, GenOptions, generate};
use mailsift::outcome::{Follower, Sightings};
use mailsift::parse::{LineContext, Parsed, SourceFormat, parse_line};
use mailsift::time::YearRule;

fn generated(format: GenFormat, lines: u64) -> String {
    let start = NaiveDate::from_ymd_opt(2026, 11, 21)
        .unwrap()
        .and_hms_opt(6, 0, 0)
        .unwrap();
    let mut options = GenOptions::new(format, 7, start);
    options.lines = lines;
    let mut out = Vec::new();
    generate(&options, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn bench_parsers(c: &mut Criterion) {
    let years = YearRule::Given {
        year: 2026,
        first_month: 11,
    };
    let mut group = c.benchmark_group("parse_line");
    for (name, format, source) in [
        ("postfix", GenFormat::Postfix, SourceFormat::Syslog),
        ("exim", GenFormat::Exim, SourceFormat::EximMainlog),
    ] {
        let text = generated(format, 20_000);
        let lines: Vec<&str> = text.lines().collect();
        let ctx = LineContext {
            years,
            format: source,
        };
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut events = 0usize;
                for line in &lines {
                    if matches!(parse_line(line, &ctx), mailsift::parse::Parsed::Event(_)) {
                        events += 1;
                    }
                }
                events
            })
        });
    }
    group.finish();
}

/// The knowledge-base lookup the pipeline runs on every event that is not a success.
fn bench_classify(c: &mut Criterion) {
    let years = YearRule::Given {
        year: 2026,
        first_month: 11,
    };
    let text = generated(GenFormat::Postfix, 20_000);
    let ctx = LineContext {
        years,
        format: SourceFormat::Syslog,
    };
    let events: Vec<_> = text
        .lines()
        .filter_map(|line| match parse_line(line, &ctx) {
            mailsift::parse::Parsed::Event(e) => Some(e),
            _ => None,
        })
        .collect();
    let mut group = c.benchmark_group("classify");
    group.throughput(Throughput::Elements(events.len() as u64));
    group.bench_function("postfix_events", |b| {
        b.iter(|| {
            events
                .iter()
                .filter(|e| {
                    mailsift::kb::classify_at(
                        e.reply_code,
                        e.enhanced_code.or(e.dsn),
                        &e.text,
                        e.direction,
                        e.stage,
                    )
                    .reason
                        != "other"
                })
                .count()
        })
    });
    group.finish();
}

/// The message follower, fed what chunks of a generated log saw of messages' lives: the one
/// stage that runs on a single thread, in input order, whatever the number of threads.
fn bench_follow(c: &mut Criterion) {
    let years = YearRule::Given {
        year: 2026,
        first_month: 11,
    };
    let mut group = c.benchmark_group("follow");
    group.sample_size(10);
    for (name, format, source) in [
        ("postfix", GenFormat::Postfix, SourceFormat::Syslog),
        ("exim", GenFormat::Exim, SourceFormat::EximMainlog),
    ] {
        let text = generated(format, 2_000_000);
        let ctx = LineContext {
            years,
            format: source,
        };
        // As the pipeline cuts them: about 12,000 lines to a chunk.
        let mut chunks = Vec::new();
        let mut sightings = Sightings::default();
        let mut noted = 0u64;
        for (index, line) in text.lines().enumerate() {
            let number = index as u64 + 1;
            match parse_line(line, &ctx) {
                Parsed::Event(event) if event.action.is_delivery_attempt() => {
                    sightings.attempt(&event, "bench.log", number);
                    noted += 1;
                }
                Parsed::Lifecycle(said) => {
                    sightings.lifecycle(&said, "bench.log", number);
                    noted += 1;
                }
                _ => {}
            }
            if number.is_multiple_of(12_000) {
                chunks.push(std::mem::take(&mut sightings));
            }
        }
        chunks.push(sightings);
        group.throughput(Throughput::Elements(noted));
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut follower = Follower::default();
                for chunk in &chunks {
                    follower.follow(chunk);
                }
                follower.finish().recipients
            })
        });
    }
    group.finish();
}

/// One line of each common shape, alone: the cost per line of each path through the parsers.
fn bench_shapes(c: &mut Criterion) {
    let syslog = LineContext {
        years: YearRule::Given {
            year: 2026,
            first_month: 11,
        },
        format: SourceFormat::Syslog,
    };
    let mainlog = LineContext {
        format: SourceFormat::EximMainlog,
        ..syslog
    };
    let shapes: [(&str, &LineContext, &str); 14] = [
        (
            "postfix_sent",
            &syslog,
            "Nov 21 08:00:05 mx1 postfix/smtp[3102]: 2B3C4D5E6F: to=<bob@example.org>, relay=mx.example.org[203.0.113.10]:25, delay=1.2, delays=0.1/0.01/0.4/0.7, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 9A8B7C6D5E)",
        ),
        (
            "postfix_deferred",
            &syslog,
            "Nov 21 08:00:06 mx1 postfix/smtp[3102]: 3C4D5E6F70: to=<carol@example.net>, relay=mx.example.net[198.51.100.20]:25, delay=300, delays=0.1/0/0.3/299, dsn=4.7.1, status=deferred (host mx.example.net[198.51.100.20] said: 451 4.7.1 Greylisted, please try again in 5 minutes (in reply to RCPT TO command))",
        ),
        (
            "postfix_bounced_folded",
            &syslog,
            "Nov 21 08:00:07 mx1 postfix/smtp[3103]: 4D5E6F7081: to=<nobody@gmail.com>, relay=gmail-smtp-in.l.google.com[142.250.27.26]:25, delay=0.9, delays=0.1/0/0.3/0.5, dsn=5.1.1, status=bounced (host gmail-smtp-in.l.google.com[142.250.27.26] said: 550-5.1.1 The email account that you tried to reach does not exist. Please try 550-5.1.1 double-checking the recipient's email address for typos or 550-5.1.1 unnecessary spaces. 550 5.1.1 https://support.google.com/mail/?p=NoSuchUser a1si123 - gsmtp (in reply to RCPT TO command))",
        ),
        (
            "postfix_smtpd_reject",
            &syslog,
            "Nov 21 08:00:08 mx1 postfix/smtpd[2202]: NOQUEUE: reject: RCPT from unknown[198.51.100.24]: 554 5.7.1 Service unavailable; Client host [198.51.100.24] blocked using zen.spamhaus.org; from=<spam@example.biz> to=<alice@example.com> proto=ESMTP helo=<example.biz>",
        ),
        (
            "postfix_connect",
            &syslog,
            "Nov 21 08:00:01 mx1 postfix/smtpd[2202]: connect from unknown[198.51.100.24]",
        ),
        (
            "postfix_qmgr",
            &syslog,
            "Nov 21 08:00:03 mx1 postfix/qmgr[1200]: 2B3C4D5E6F: from=<alice@example.com>, size=2310, nrcpt=5 (queue active)",
        ),
        (
            "postfix_tls",
            &syslog,
            "Nov 21 08:00:06 mx1 postfix/smtp[3102]: Trusted TLS connection established to mx.example.org[203.0.113.10]:25: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)",
        ),
        (
            "postfix_warning",
            &syslog,
            "Nov 21 08:00:08 mx1 postfix/smtpd[2202]: warning: hostname example.biz does not resolve to address 198.51.100.24: Name or service not known",
        ),
        (
            "other_program",
            &syslog,
            "Nov 21 08:00:09 mx1 dovecot: imap-login: Login: user=<alice@example.com>, method=PLAIN, rip=192.0.2.77, lip=192.0.2.1, mpid=4242, TLS",
        ),
        (
            "exim_delivered",
            &mainlog,
            "2026-11-21 08:00:05 1vWxYz-000AbC-12 => bob@example.org R=dnslookup T=remote_smtp H=mx.example.org [203.0.113.10] X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=yes C=\"250 2.0.0 Ok: queued as 9A8B7C6D5E\"",
        ),
        (
            "exim_failed",
            &mainlog,
            "2026-11-21 08:00:07 1vWxYz-000AbC-12 ** nobody@example.net R=dnslookup T=remote_smtp H=mx.example.net [198.51.100.20]: SMTP error from remote mail server after RCPT TO:<nobody@example.net>: 550 5.1.1 <nobody@example.net>: Recipient address rejected: User unknown",
        ),
        (
            "exim_deferred",
            &mainlog,
            "2026-11-21 08:00:06 1vWxYz-000AbC-12 == carol@example.net R=dnslookup T=remote_smtp defer (-44) H=mx.example.net [198.51.100.20]: SMTP error from remote mail server after RCPT TO:<carol@example.net>: 451 4.7.1 Greylisted, please try again later",
        ),
        (
            "exim_rejected",
            &mainlog,
            "2026-11-21 08:00:08 H=(example.biz) [198.51.100.24] F=<spam@example.biz> rejected RCPT <alice@example.com>: 550 5.7.1 blocked using zen.spamhaus.org",
        ),
        (
            "exim_arrival",
            &mainlog,
            "2026-11-21 08:00:04 1vWxYz-000AbC-12 <= alice@example.com H=laptop.example.com [192.0.2.77] P=esmtpsa X=TLS1.3:TLS_AES_256_GCM_SHA384:256 A=plain:alice S=2310 id=20261121080004.1@example.com",
        ),
    ];
    let mut group = c.benchmark_group("shape");
    group.throughput(Throughput::Elements(1));
    for (name, ctx, line) in shapes {
        group.bench_function(name, |b| {
            b.iter(|| parse_line(std::hint::black_box(line), ctx))
        });
    }
    group.finish();
}

criterion_group!(
    benches,
    bench_parsers,
    bench_shapes,
    bench_classify,
    bench_follow
);
criterion_main!(benches);
