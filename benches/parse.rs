//! The parser alone: lines per second through `parse_line` on generated Postfix and Exim logs,
//! with no I/O and no threads.

use chrono::NaiveDate;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use mailsift::generate::{GenFormat, GenOptions, generate};
use mailsift::parse::{LineContext, SourceFormat, parse_line};
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

criterion_group!(benches, bench_parsers, bench_classify);
criterion_main!(benches);
