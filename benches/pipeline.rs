//! The whole scan as `mailsift report` runs it: reading a generated file, chunking, parsing on
//! the pool, classifying and tallying, at one thread and at every core.

use std::io::Write;

use chrono::NaiveDate;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use mailsift::aggregate::{Tally, TallyCollector, TallyOptions};
use mailsift::detect::FormatChoice;
use mailsift::filter::EventFilter;
use mailsift::generate::{GenFormat, GenOptions, generate};
use mailsift::input::InputSpec;
use mailsift::input::chunk::DEFAULT_CHUNK_SIZE;
use mailsift::pipeline::{News, ScanSettings, scan};

fn bench_scan(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mail.log");
    let start = NaiveDate::from_ymd_opt(2026, 11, 21)
        .unwrap()
        .and_hms_opt(6, 0, 0)
        .unwrap();
    let mut options = GenOptions::new(GenFormat::Postfix, 11, start);
    options.bytes = Some(32 << 20);
    let mut file = std::fs::File::create(&path).unwrap();
    generate(&options, &mut file).unwrap();
    file.flush().unwrap();
    let size = std::fs::metadata(&path).unwrap().len();

    let mut group = c.benchmark_group("scan_report");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(size));
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    for threads in [1, cores] {
        let settings = ScanSettings {
            inputs: vec![InputSpec::Path(path.clone())],
            format: FormatChoice::Auto,
            year: Some(2026),
            now: start,
            filter: EventFilter::default(),
            threads,
            chunk_size: DEFAULT_CHUNK_SIZE,
            progress: None,
            exim_side_lines: Default::default(),
        };
        let options = TallyOptions {
            examples: 2,
            ..TallyOptions::default()
        };
        let collector = TallyCollector { options };
        group.bench_function(format!("{threads}_threads"), |b| {
            b.iter(|| {
                let mut tally = Tally::default();
                scan(&settings, &collector, |news| {
                    if let News::Chunk { part, .. } = news {
                        tally.merge(part, &options);
                    }
                    Ok(())
                })
                .unwrap();
                tally.events()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench_scan);
criterion_main!(benches);
