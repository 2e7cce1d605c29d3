//! The scanner: reads every input in order, cuts it into whole-line chunks, parses the chunks
//! on the rayon pool and hands the results back in input order.
//!
//! One reader thread opens the sources one after another (decompressing there) and cuts them
//! into chunks; each chunk is parsed on the pool by whatever [`Collector`] the command gives;
//! the caller's thread receives every piece of news in the order it was read, through a small
//! reorder buffer. The number of pieces in flight is capped, so memory stays bounded whatever
//! the input size, and since results arrive in input order the output is the same for any
//! number of threads and any chunk size. This module does not format anything.

use std::collections::{BTreeMap, HashSet};
use std::io::{self, Read};
use std::ops::AddAssign;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, mpsc};

use chrono::NaiveDateTime;
use serde::Serialize;
use xxhash_rust::xxh3::xxh3_64;

use crate::aggregate::Tallied;
use crate::codes::{Action, Class};
use crate::detect::{self, EximLog, FormatChoice};
use crate::event::Event;
use crate::filter::EventFilter;
use crate::input::chunk::{BufferPool, ChunkReader, LineChunk, Piece};
use crate::input::{self, Compression, InputError, InputSpec};
use crate::kb;
use crate::parse::TieredLine;
use crate::parse::diverted::Diversion;
use crate::parse::postscreen::Screening;
use crate::parse::{self, Lifecycle, LineContext, Parsed, SourceFormat};
use crate::time::Timestamp;

/// Bytes read from the start of each source to decide its format and year. A fixed amount, so
/// that detection does not depend on the chunk size.
const SAMPLE_BYTES: usize = 64 * 1024;

/// What a scan needs to know.
#[derive(Clone, Debug)]
pub struct ScanSettings {
    /// The inputs, in the order given.
    pub inputs: Vec<InputSpec>,
    /// `--log-format`.
    pub format: FormatChoice,
    /// `--year`.
    pub year: Option<i32>,
    /// The time the run started, machine-local: the year reference for standard input.
    pub now: NaiveDateTime,
    /// Which events are kept.
    pub filter: EventFilter,
    /// Worker threads for parsing.
    pub threads: usize,
    /// Bytes per chunk.
    pub chunk_size: usize,
    /// Where to count the bytes read from the inputs, for a progress bar.
    pub progress: Option<Arc<AtomicU64>>,
    /// The dated lines of the Exim reject and panic logs among the inputs, which Exim's main
    /// logs repeat (see [`Source::copies_of`]); [`in_reading_order`] reads them.
    pub exim_side_lines: Arc<LineSet>,
}

/// Lines by the hash of their text, to find copies of them elsewhere.
pub type LineSet = HashSet<u64, foldhash::fast::FixedState>;

/// The hash a line is known by in a [`LineSet`].
fn line_hash(line: &str) -> u64 {
    xxh3_64(line.as_bytes())
}

/// How lines were spent. Every line read lands in exactly one bucket besides `read`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct LineCounts {
    /// Lines read.
    pub read: u64,
    /// Lines that gave an event that was kept.
    pub events: u64,
    /// Lines that gave an event that `--since`, `--until`, `--only` or `--direction` left out.
    pub filtered_out: u64,
    /// Lines of a known MTA that report no SMTP outcome.
    pub no_outcome: u64,
    /// Lines of other programs.
    pub other_programs: u64,
    /// Lines that could not be read as any known shape.
    pub unmatched: u64,
    /// Lines too long to be log lines, skipped unread.
    pub over_long: u64,
    /// Lines of an Exim main log that a reject or panic log also read holds: Exim wrote them
    /// to both, and they are counted where the other log has them.
    pub repeated: u64,
}

impl LineCounts {
    /// The sum of the buckets, which always equals `read`.
    pub fn bucket_total(&self) -> u64 {
        self.events
            + self.filtered_out
            + self.no_outcome
            + self.other_programs
            + self.unmatched
            + self.over_long
            + self.repeated
    }
}

impl AddAssign for LineCounts {
    fn add_assign(&mut self, other: LineCounts) {
        self.read += other.read;
        self.events += other.events;
        self.filtered_out += other.filtered_out;
        self.no_outcome += other.no_outcome;
        self.other_programs += other.other_programs;
        self.unmatched += other.unmatched;
        self.over_long += other.over_long;
        self.repeated += other.repeated;
    }
}

/// One source as the scan sees it.
#[derive(Clone, Debug)]
pub struct Source {
    /// Its position among the inputs.
    pub index: usize,
    /// Its name as given (`-` for standard input).
    pub name: String,
    /// How it was compressed.
    pub compression: Compression,
    /// How its lines are parsed.
    pub context: LineContext,
    /// Which of Exim's logs it is; `Main` for a source not in Exim's own format.
    pub exim_log: EximLog,
    /// For an Exim main log read with Exim's reject or panic logs, their dated lines. Exim
    /// writes each rejection to the main log and the reject log, and most panics to the main
    /// log and the panic log. The side logs hold what the main log lacks (a rejected message's
    /// headers, a configuration error that stopped Exim), so they are read whole, and a main
    /// log line one of them holds word for word is counted as repeated. That holds whatever
    /// main log the side log came with: a main log of another host, or none, or one that
    /// rotated apart from it, leaves its lines counted once.
    pub copies_of: Option<Arc<LineSet>>,
}

/// What a command does with the events of one chunk. Its parts are built on worker threads
/// and handed back in input order.
pub trait Collector: Sync {
    /// What one chunk gives.
    type Part: Send;

    /// An empty part for a new chunk.
    fn part(&self) -> Self::Part;

    /// Takes one kept event; `line` is its line number in `source` and `raw` the line itself.
    fn event(&self, part: &mut Self::Part, source: &Source, line: u64, raw: &str, event: &Event);

    /// Takes one unmatched line. Most commands only count them.
    fn unmatched(&self, part: &mut Self::Part, source: &Source, line: u64, raw: &str) {
        let _ = (part, source, line, raw);
    }

    /// Whether [`Collector::delivery`] and [`Collector::lifecycle`] are to be called.
    fn follows_messages(&self) -> bool {
        false
    }

    /// Takes every outbound delivery attempt inside the time window, whether `--only` and
    /// `--direction` keep it or not, and before its reason is known: a message's outcome needs
    /// every attempt of it.
    fn delivery(&self, part: &mut Self::Part, source: &Source, line: u64, event: &Event) {
        let _ = (part, source, line, event);
    }

    /// Takes every line inside the time window that tells of a message's life.
    fn lifecycle(&self, part: &mut Self::Part, source: &Source, line: u64, said: &Lifecycle) {
        let _ = (part, source, line, said);
    }

    /// Takes one of postscreen's verdicts that the filters keep.
    fn screened(&self, part: &mut Self::Part, screening: &Screening) {
        let _ = (part, screening);
    }

    /// Takes one line a report sums up by tier and kind (a problem the MTA reported about
    /// itself, a message set aside, a start or stop of the MTA) that the filters keep.
    fn sum_up<T: Tallied>(
        &self,
        part: &mut Self::Part,
        source: &Source,
        line: u64,
        said: &TieredLine<T>,
    ) {
        let _ = (part, source, line, said);
    }

    /// Whether each chunk's news is to carry the span of its lines (see [`News::Chunk`]).
    fn wants_span(&self) -> bool {
        false
    }

    /// Whether [`Collector::line`] is to be called for every line read.
    fn every_line(&self) -> bool {
        false
    }

    /// Takes every line, of whatever kind, with what it was read as, before any filter; only
    /// called when [`Collector::every_line`] says so.
    fn line(&self, part: &mut Self::Part, source: &Source, line: u64, raw: &str, parsed: &Parsed) {
        let _ = (part, source, line, raw, parsed);
    }

    /// Finishes a chunk's part on its worker, before it goes to the thread that adds parts up
    /// in order: work done here is taken off that one thread.
    fn seal(&self, part: &mut Self::Part) {
        let _ = part;
    }
}

/// News from the scan, in input order.
#[derive(Debug)]
pub enum News<P> {
    /// A source was opened and its format decided.
    Opened(Arc<Source>),
    /// A chunk was parsed.
    Chunk {
        /// Where it came from.
        source: Arc<Source>,
        /// How its lines were spent.
        counts: LineCounts,
        /// The times of its first and of its last line that have one, of whatever program,
        /// inside `--since` and `--until`; only when the collector asks for it.
        span: Option<(Timestamp, Timestamp)>,
        /// What the collector made of it.
        part: P,
    },
    /// A line too long to be a log line was skipped.
    OverLong {
        /// Where it came from.
        source: Arc<Source>,
        /// Its line number.
        line: u64,
        /// Its length in bytes.
        bytes: u64,
    },
    /// A source could not be opened, or could not be read to its end; the lines before the
    /// damage have been delivered.
    Failed(InputError),
}

/// Scans every input, calling `collector` on the pool and `deliver` on the calling thread in
/// input order. An error from `deliver` (such as a closed output pipe) stops the scan and is
/// returned.
///
/// Several sources are read at once, each by its own reader thread, so that a rotated set of
/// compressed files is decompressed on every core; each source has its own window of pieces in
/// flight, so a source read ahead of its turn waits within bounded memory and never holds up
/// the one being delivered.
pub fn scan<C, D>(settings: &ScanSettings, collector: &C, mut deliver: D) -> io::Result<()>
where
    C: Collector,
    D: FnMut(News<C::Part>) -> io::Result<()>,
{
    let threads = settings.threads.max(1);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("mailsift-parse-{i}"))
        .build()
        .map_err(io::Error::other)?;
    let readers = threads.min(settings.inputs.len()).max(1);
    // Enough pieces in flight to keep every worker busy while the readers and the caller
    // work, few enough that memory stays a small multiple of the chunk size.
    let window = (threads * 2 + 2).div_ceil(readers).max(3);
    let windows: Vec<Window> = settings
        .inputs
        .iter()
        .map(|_| Window::new(window))
        .collect();
    let next_source = AtomicUsize::new(0);
    let buffers = Arc::new(BufferPool::default());
    std::thread::scope(|scope| {
        let (news_tx, news_rx) = mpsc::channel::<Numbered<C::Part>>();
        for _ in 0..readers {
            let news = news_tx.clone();
            let (pool, buffers, windows, next_source) = (&pool, &buffers, &windows, &next_source);
            scope.spawn(move || {
                read_sources(
                    settings,
                    collector,
                    pool,
                    buffers,
                    windows,
                    next_source,
                    news,
                )
            });
        }
        drop(news_tx);
        let result = deliver_in_order(news_rx, &windows, &mut deliver);
        // Readers waiting for room see the scan is over and stop.
        for window in &windows {
            window.close();
        }
        result
    })
}

/// Piece `seq` of source `source`, or the end of that source after `seq` pieces.
struct Numbered<P> {
    source: usize,
    seq: u64,
    news: Option<News<P>>,
}

/// Hands news to `deliver` source by source, each in the order it was read.
fn deliver_in_order<P>(
    news_rx: mpsc::Receiver<Numbered<P>>,
    windows: &[Window],
    deliver: &mut impl FnMut(News<P>) -> io::Result<()>,
) -> io::Result<()> {
    let mut current = 0usize;
    let mut next = 0u64;
    let mut waiting = BTreeMap::new();
    for numbered in news_rx {
        waiting.insert((numbered.source, numbered.seq), numbered.news);
        while let Some(news) = waiting.remove(&(current, next)) {
            match news {
                Some(news) => {
                    deliver(news)?;
                    windows[current].release();
                    next += 1;
                }
                None => {
                    current += 1;
                    next = 0;
                }
            }
        }
    }
    Ok(())
}

/// The room one source has for pieces read but not yet delivered.
struct Window {
    free: Mutex<Option<usize>>,
    changed: Condvar,
}

impl Window {
    fn new(size: usize) -> Self {
        Window {
            free: Mutex::new(Some(size)),
            changed: Condvar::new(),
        }
    }

    /// Takes a place, waiting for one; `None` once the scan is over.
    fn acquire(&self) -> Option<()> {
        let mut free = self.free.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            match *free {
                None => return None,
                Some(0) => free = self.changed.wait(free).unwrap_or_else(|e| e.into_inner()),
                Some(ref mut n) => {
                    *n -= 1;
                    return Some(());
                }
            }
        }
    }

    fn release(&self) {
        let mut free = self.free.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = free.as_mut() {
            *n += 1;
        }
        self.changed.notify_one();
    }

    fn close(&self) {
        *self.free.lock().unwrap_or_else(|e| e.into_inner()) = None;
        self.changed.notify_all();
    }
}

/// Numbers the news of one source in the order it is read; each number waits for room in the
/// source's window.
struct Sequencer<'a, P> {
    source: usize,
    next: u64,
    window: &'a Window,
    news: mpsc::Sender<Numbered<P>>,
}

impl<P> Sequencer<'_, P> {
    /// Takes a place and a number, or `None` once the caller has stopped listening.
    fn reserve(&mut self) -> Option<u64> {
        self.window.acquire()?;
        let seq = self.next;
        self.next += 1;
        Some(seq)
    }

    /// Sends news that needs no parsing.
    fn send(&mut self, news: News<P>) -> Option<()> {
        let seq = self.reserve()?;
        self.send_numbered(seq, news)
    }

    fn send_numbered(&self, seq: u64, news: News<P>) -> Option<()> {
        self.news
            .send(Numbered {
                source: self.source,
                seq,
                news: Some(news),
            })
            .ok()
    }

    /// Says the source has no more news.
    fn finish(self) {
        let _ = self.news.send(Numbered {
            source: self.source,
            seq: self.next,
            news: None,
        });
    }
}

/// One reader thread: takes the next source not yet taken and reads it, until none is left.
fn read_sources<C: Collector>(
    settings: &ScanSettings,
    collector: &C,
    pool: &rayon::ThreadPool,
    buffers: &Arc<BufferPool>,
    windows: &[Window],
    next_source: &AtomicUsize,
    news: mpsc::Sender<Numbered<C::Part>>,
) {
    pool.in_place_scope(|workers| {
        loop {
            let index = next_source.fetch_add(1, Ordering::SeqCst);
            let Some(spec) = settings.inputs.get(index) else {
                return;
            };
            let mut sequencer = Sequencer {
                source: index,
                next: 0,
                window: &windows[index],
                news: news.clone(),
            };
            let read = read_source(
                settings,
                collector,
                workers,
                buffers,
                &mut sequencer,
                index,
                spec,
            );
            if read.is_none() {
                return;
            }
            sequencer.finish();
        }
    });
}

/// Reads one source; `None` when the caller stopped listening.
fn read_source<'scope, C: Collector>(
    settings: &'scope ScanSettings,
    collector: &'scope C,
    workers: &rayon::Scope<'scope>,
    buffers: &Arc<BufferPool>,
    sequencer: &mut Sequencer<'_, C::Part>,
    index: usize,
    spec: &InputSpec,
) -> Option<()> {
    let opened = match input::open_counted(spec, settings.progress.as_ref()) {
        Ok(opened) => opened,
        Err(error) => return sequencer.send(News::Failed(error)),
    };
    let name = opened.name;
    let (sample, rest) = take_sample(opened.reader);
    let context = context_of(settings, &sample, opened.modified);
    let exim_log = exim_log_of(&context, &name);
    let source = Arc::new(Source {
        index,
        name: name.clone(),
        compression: opened.compression,
        context,
        exim_log,
        copies_of: (context.format == SourceFormat::EximMainlog
            && exim_log == EximLog::Main
            && !settings.exim_side_lines.is_empty())
        .then(|| Arc::clone(&settings.exim_side_lines)),
    });
    sequencer.send(News::Opened(Arc::clone(&source)))?;
    let mut chunks = ChunkReader::new(io::Cursor::new(sample).chain(rest), settings.chunk_size)
        .with_pool(Arc::clone(buffers));
    loop {
        let piece = match chunks.next() {
            None => return Some(()),
            Some(piece) => piece,
        };
        match piece {
            Ok(Piece::Lines(chunk)) => {
                let seq = sequencer.reserve()?;
                let news = sequencer.news.clone();
                let source_index = sequencer.source;
                let source = Arc::clone(&source);
                let filter = &settings.filter;
                let buffers = Arc::clone(buffers);
                workers.spawn(move |_| {
                    let (counts, part) = parse_chunk(collector, filter, &source, &chunk);
                    let span = if collector.wants_span() {
                        chunk_span(&chunk, &source.context, filter)
                    } else {
                        None
                    };
                    buffers.give(chunk.data);
                    let _ = news.send(Numbered {
                        source: source_index,
                        seq,
                        news: Some(News::Chunk {
                            source,
                            counts,
                            span,
                            part,
                        }),
                    });
                });
            }
            Ok(Piece::OverLong { line, bytes }) => {
                sequencer.send(News::OverLong {
                    source: Arc::clone(&source),
                    line,
                    bytes,
                })?;
            }
            Err(error) => {
                let line = chunks.lines_so_far() + 1;
                return sequencer.send(News::Failed(InputError {
                    name,
                    line: Some(line),
                    what: "cannot read".to_string(),
                    source: error,
                }));
            }
        }
    }
}

/// The settings for reading the inputs, worked out once per run from a first look at every
/// regular file, with the time each input was ordered by.
///
/// The regular files are put oldest first, by the time of their first line, so that a rotated
/// set is read in the order it was written whatever order the shell gave it in (`mail.log*`
/// lists the newest first). Standard input, pipes, files that cannot be read and files without
/// a readable time keep their places; files that start at the same time keep their order. The
/// same look finds Exim's reject and panic logs, which are then read, in that order, for the
/// lines its main logs repeat.
pub fn in_reading_order(settings: &ScanSettings) -> (ScanSettings, Vec<Option<NaiveDateTime>>) {
    let looks: Vec<(InputSpec, FirstLook)> = settings
        .inputs
        .iter()
        .map(|spec| (spec.clone(), first_look(settings, spec)))
        .collect();
    let ordered = in_start_order(
        looks
            .into_iter()
            .map(|(spec, look)| ((spec, look.side_log), look.start))
            .collect(),
    );
    let mut exim_side_lines = LineSet::default();
    for ((spec, side_log), _) in &ordered {
        if *side_log {
            add_side_log_lines(settings, spec, &mut exim_side_lines);
        }
    }
    let (inputs, starts) = ordered
        .into_iter()
        .map(|((spec, _), start)| (spec, start))
        .unzip();
    let settings = ScanSettings {
        inputs,
        exim_side_lines: Arc::new(exim_side_lines),
        ..settings.clone()
    };
    (settings, starts)
}

/// Puts the items that have a start time in order of it, each keeping its place among the
/// others; items without one stay where they are, and equal starts keep their order.
pub fn in_start_order<T>(
    items: Vec<(T, Option<NaiveDateTime>)>,
) -> Vec<(T, Option<NaiveDateTime>)> {
    let slots: Vec<usize> = (0..items.len()).filter(|&i| items[i].1.is_some()).collect();
    let mut movable: Vec<(Option<NaiveDateTime>, usize)> =
        slots.iter().map(|&i| (items[i].1, i)).collect();
    movable.sort();
    // Which item goes to each place: the items with a start, in order, fill their places.
    let mut order: Vec<usize> = (0..items.len()).collect();
    for (&slot, (_, index)) in slots.iter().zip(movable) {
        order[slot] = index;
    }
    let mut items: Vec<Option<_>> = items.into_iter().map(Some).collect();
    order
        .into_iter()
        .map(|index| items[index].take().expect("each item has one place"))
        .collect()
}

/// What the start of a regular file tells before it is read.
#[derive(Default)]
struct FirstLook {
    /// The time of its first dated line.
    start: Option<NaiveDateTime>,
    /// Whether it is an Exim reject or panic log.
    side_log: bool,
}

/// Reads the start of a regular file as the scan will read it.
fn first_look(settings: &ScanSettings, spec: &InputSpec) -> FirstLook {
    let InputSpec::Path(path) = spec else {
        return FirstLook::default();
    };
    if !std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
        return FirstLook::default();
    }
    let Ok(opened) = input::open(spec) else {
        return FirstLook::default();
    };
    let (sample, _) = take_sample(opened.reader);
    let context = context_of(settings, &sample, opened.modified);
    let start = sample
        .split(|b| *b == b'\n')
        .filter_map(|line| std::str::from_utf8(line).ok())
        .find_map(|line| parse::time_of(line, &context))
        .map(|time| time.sort_key());
    FirstLook {
        start,
        side_log: exim_log_of(&context, &opened.name) != EximLog::Main,
    }
}

/// Reads an Exim reject or panic log whole, adding its dated lines to `side_lines`.
fn add_side_log_lines(settings: &ScanSettings, spec: &InputSpec, side_lines: &mut LineSet) {
    let Ok(opened) = input::open(spec) else {
        return;
    };
    let (sample, rest) = take_sample(opened.reader);
    let context = context_of(settings, &sample, opened.modified);
    add_dated_lines(io::Cursor::new(sample).chain(rest), &context, side_lines);
}

/// The most lines of Exim's reject and panic logs kept, together, to find their copies in the
/// main log: about 20 MiB. They are read in reading order, so past this many the main log's
/// copies of the latest lines are counted twice, as when no reject log is read.
pub const SIDE_LINES_CAP: usize = 1 << 20;

/// Adds the hashes of the dated lines of a reject or panic log to `lines`, read as the scan
/// reads lines (a line ending in `\r\n` or not, a stray byte replaced), up to
/// [`SIDE_LINES_CAP`]. Identical lines are one entry: a main log line is a copy if its side
/// log has it at all, and Exim writes both copies of a line alike.
fn add_dated_lines(reader: impl Read, context: &LineContext, lines: &mut LineSet) {
    let chunks = ChunkReader::new(reader, 1 << 20);
    for piece in chunks.map_while(Result::ok) {
        let Piece::Lines(chunk) = piece else {
            continue;
        };
        for (_, bytes) in chunk.lines() {
            if lines.len() >= SIDE_LINES_CAP {
                return;
            }
            let line = String::from_utf8_lossy(bytes);
            if parse::time_of(&line, context).is_some() {
                lines.insert(line_hash(&line));
            }
        }
    }
}

/// Which of Exim's logs a source is; `Main` for one not in Exim's own format.
fn exim_log_of(context: &LineContext, name: &str) -> EximLog {
    match context.format {
        SourceFormat::EximMainlog => detect::exim_log_of(name),
        SourceFormat::Syslog => EximLog::Main,
    }
}

/// How a source's lines are read, decided from its first bytes and its modification time.
fn context_of(
    settings: &ScanSettings,
    sample: &[u8],
    modified: Option<std::time::SystemTime>,
) -> LineContext {
    LineContext {
        format: detect::detect_format(settings.format, sample),
        years: detect::year_rule(
            settings.year,
            sample,
            modified.map(detect::local_time),
            settings.now,
        ),
    }
}

/// Reads the first [`SAMPLE_BYTES`] of a source. A read error there is not lost: it is replayed
/// after the sample, so the whole lines before it are still parsed and the error reported once.
fn take_sample(mut reader: Box<dyn Read + Send>) -> (Vec<u8>, Box<dyn Read + Send>) {
    let mut sample = vec![0; SAMPLE_BYTES];
    let mut filled = 0;
    while filled < SAMPLE_BYTES {
        match reader.read(&mut sample[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => {
                sample.truncate(filled);
                return (sample, Box::new(FailingReader(Some(e))));
            }
        }
    }
    sample.truncate(filled);
    (sample, reader)
}

/// A reader that fails once with a stored error.
struct FailingReader(Option<io::Error>);

impl Read for FailingReader {
    fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
        match self.0.take() {
            Some(error) => Err(error),
            None => Ok(0),
        }
    }
}

/// The times of the first and of the last dated line of a chunk inside the filter's window,
/// in that order, from which a report gives the span of an input: from its first dated line to
/// its last, as `head` and `tail` would show it, whatever the lines between. Nearly always the
/// first and last lines themselves, so this costs two line reads per chunk.
fn chunk_span(
    chunk: &LineChunk,
    context: &LineContext,
    filter: &EventFilter,
) -> Option<(Timestamp, Timestamp)> {
    let data = chunk.data.strip_suffix(b"\n").unwrap_or(&chunk.data);
    let time_of = |line: &[u8]| {
        // The time is at the start: a stray byte further on does not hide it.
        let text = match std::str::from_utf8(line) {
            Ok(text) => text,
            Err(error) => std::str::from_utf8(&line[..error.valid_up_to()]).ok()?,
        };
        let time = parse::time_of(text.strip_suffix('\r').unwrap_or(text), context)?;
        filter.in_window(Some(time)).then_some(time)
    };
    let first = data.split(|b| *b == b'\n').find_map(time_of)?;
    let last = data.rsplit(|b| *b == b'\n').find_map(time_of)?;
    Some((first, last))
}

/// Hands a line summed up by tier and kind to the collector when the filters keep it. It has
/// no code and no direction: --only and --direction leave it out, the time window applies.
fn sum_up<C: Collector, T: Tallied>(
    collector: &C,
    filter: &EventFilter,
    part: &mut C::Part,
    source: &Source,
    line: u64,
    said: &TieredLine<T>,
) {
    if filter.keeps_undirected(said.timestamp) {
        collector.sum_up(part, source, line, said);
    }
}

/// Parses every line of a chunk: the work done on the pool.
fn parse_chunk<C: Collector>(
    collector: &C,
    filter: &EventFilter,
    source: &Source,
    chunk: &LineChunk,
) -> (LineCounts, C::Part) {
    let mut part = collector.part();
    let mut counts = LineCounts::default();
    let mut take = |line_number: u64, line: &str| {
        counts.read += 1;
        if let Some(copies) = &source.copies_of
            && copies.contains(&line_hash(line))
        {
            counts.repeated += 1;
            return;
        }
        let parsed = parse::parse_line(line, &source.context);
        if collector.every_line() {
            collector.line(&mut part, source, line_number, line, &parsed);
        }
        match parsed {
            Parsed::Event(mut event) => {
                let discarded = event.filter_discard();
                if collector.follows_messages()
                    && event.action.is_delivery_attempt()
                    && !event.is_local_handoff()
                    && discarded.is_none()
                    && filter.in_window(event.timestamp)
                {
                    collector.delivery(&mut part, source, line_number, &event);
                }
                // The filter's reply is an SMTP outcome like any other; the message it dropped
                // is summed up with those that rules discarded, and not followed as delivered.
                if let Some(verdict) = discarded {
                    let said = TieredLine {
                        timestamp: event.timestamp,
                        tier: Diversion::Discard,
                        program: event.program,
                        message: verdict,
                        note: "",
                    };
                    sum_up(collector, filter, &mut part, source, line_number, &said);
                }
                if filter.keeps(&event) {
                    event.reason = reason_of(&event);
                    counts.events += 1;
                    collector.event(&mut part, source, line_number, line, &event);
                } else {
                    counts.filtered_out += 1;
                }
            }
            Parsed::NoOutcome => counts.no_outcome += 1,
            Parsed::Lifecycle(said) => {
                counts.no_outcome += 1;
                if collector.follows_messages() && filter.in_window(said.timestamp) {
                    collector.lifecycle(&mut part, source, line_number, &said);
                }
            }
            Parsed::Screened(screening) => {
                counts.no_outcome += 1;
                if filter.keeps_screening(screening.timestamp) {
                    collector.screened(&mut part, &screening);
                }
            }
            Parsed::Diagnosed(said) => {
                counts.no_outcome += 1;
                sum_up(collector, filter, &mut part, source, line_number, &said);
            }
            Parsed::Diverted(said) => {
                counts.no_outcome += 1;
                sum_up(collector, filter, &mut part, source, line_number, &said);
            }
            Parsed::Restarted(said) => {
                counts.no_outcome += 1;
                sum_up(collector, filter, &mut part, source, line_number, &said);
            }
            Parsed::Foreign => counts.other_programs += 1,
            Parsed::Unmatched => {
                counts.unmatched += 1;
                collector.unmatched(&mut part, source, line_number, line);
            }
        }
    };
    // Valid UTF-8 is the common case: checking the whole chunk at once is cheaper than line by
    // line and copies nothing. A chunk with a stray byte is read line by line, with
    // replacement characters, so that one bad byte never hides the rest of its line.
    match simdutf8::basic::from_utf8(&chunk.data) {
        Ok(text) => {
            for (line_number, line) in chunk.text_lines(text) {
                take(line_number, line);
            }
        }
        Err(_) => {
            for (line_number, bytes) in chunk.lines() {
                take(line_number, &String::from_utf8_lossy(bytes));
            }
        }
    }
    collector.seal(&mut part);
    (counts, part)
}

/// The knowledge-base reason of an event.
///
/// A success is `delivered` whether or not the line carried a reply: an Exim local delivery, or a
/// `=>` line written without `+smtp_confirmation`, has no code and is a success by its action
/// alone, and the knowledge base, which sees only codes and text, would call it `other`.
pub fn reason_of(event: &Event) -> &'static str {
    if event.class == Class::Success {
        return "delivered";
    }
    // A message given up in the queue has expired whatever its last reply said, and Postfix's
    // expiry line (`status=expired, returned to sender`) carries no text to classify.
    if event.action == Action::Expired {
        return "expired";
    }
    kb::memo::reason_at(
        event.reply_code,
        event.status_code(),
        &event.text,
        event.direction,
        event.stage,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Lines;

    impl Collector for Lines {
        type Part = Vec<(String, u64, Option<u16>)>;
        fn part(&self) -> Self::Part {
            Vec::new()
        }
        fn event(&self, part: &mut Self::Part, source: &Source, line: u64, _: &str, e: &Event) {
            part.push((source.name.clone(), line, e.reply_code));
        }
    }

    fn run(inputs: Vec<InputSpec>, threads: usize, chunk_size: usize) -> (Vec<String>, LineCounts) {
        let settings = ScanSettings {
            inputs,
            format: FormatChoice::Auto,
            year: Some(2026),
            now: NaiveDateTime::default(),
            filter: EventFilter::default(),
            threads,
            chunk_size,
            progress: None,
            exim_side_lines: Default::default(),
        };
        let mut seen = Vec::new();
        let mut total = LineCounts::default();
        scan(&settings, &Lines, |news| {
            match news {
                News::Opened(source) => seen.push(format!("open {}", source.name)),
                News::Chunk { counts, part, .. } => {
                    total += counts;
                    seen.extend(part.into_iter().map(|(n, l, c)| format!("{n}:{l} {c:?}")));
                }
                News::OverLong { source, line, .. } => {
                    seen.push(format!("{}:{line} over-long", source.name))
                }
                News::Failed(error) => seen.push(format!("failed {error}")),
            }
            Ok(())
        })
        .unwrap();
        (seen, total)
    }

    #[test]
    fn order_and_counts_do_not_depend_on_threads_or_chunk_size() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mail.log");
        let mut text = String::new();
        for i in 0..500 {
            text.push_str(&format!(
                "Nov 21 08:{:02}:{:02} mx postfix/smtp[9]: 4AB{i:05}: to=<u{i}@example.org>, relay=mx.example.org[192.0.2.3]:25, delay=1, delays=0/0/0/1, dsn=5.1.1, status=bounced (host mx.example.org[192.0.2.3] said: 550 5.1.1 <u{i}@example.org>: no such user (in reply to RCPT TO command))\n",
                i / 60,
                i % 60
            ));
            text.push_str("Nov 21 08:00:00 mx dovecot: imap-login: Login\n");
        }
        std::fs::write(&path, &text).unwrap();
        let inputs = vec![
            InputSpec::Path(path.clone()),
            InputSpec::Path(dir.path().join("missing.log")),
            InputSpec::Path(path),
        ];
        let (expected, counts) = run(inputs.clone(), 1, 1 << 20);
        assert_eq!(counts.read, 2000);
        assert_eq!(counts.events, 1000);
        assert_eq!(counts.other_programs, 1000);
        assert_eq!(counts.bucket_total(), counts.read);
        assert!(
            expected[1].ends_with(":1 Some(550)"),
            "{:?}",
            &expected[..3]
        );
        assert!(
            expected
                .iter()
                .any(|l| l.starts_with("failed ") && l.contains("missing.log"))
        );
        for (threads, chunk) in [(4, 1 << 20), (3, 100), (8, 7)] {
            assert_eq!(
                run(inputs.clone(), threads, chunk),
                (expected.clone(), counts)
            );
        }
    }

    #[test]
    fn a_chunk_spans_its_first_and_last_dated_lines() {
        let context = LineContext {
            years: crate::time::YearRule::Given {
                year: 2026,
                first_month: 1,
            },
            format: parse::SourceFormat::Syslog,
        };
        let chunk = |text: &[u8]| LineChunk {
            first_line: 1,
            data: text.to_vec(),
        };
        let span_within = |text: &[u8], filter: &EventFilter| {
            chunk_span(&chunk(text), &context, filter)
                .map(|(from, to)| (from.to_string(), to.to_string()))
        };
        let span = |text: &[u8]| span_within(text, &EventFilter::default());
        // Undated pieces at either end are passed over; a CRLF ending is no obstacle.
        assert_eq!(
            span(
                b"  continued piece\n\xff\xfe junk\n\
                  Nov 21 08:00:00 mx1 dovecot: imap-login: Login\r\n\
                  Nov 21 08:00:05 mx1 postfix/smtpd[1]: connect from a[192.0.2.1]\r\n\
                  Nov 21 08:09:59 mx1 postfix/anvil[2]: statistics: max cache size 1\r\n\
                  another piece\n"
            ),
            Some((
                "2026-11-21T08:00:00".to_string(),
                "2026-11-21T08:09:59".to_string()
            ))
        );
        // The ends go by place, not by time: the same ends whatever the chunks between.
        assert_eq!(
            span(b"Nov 21 08:00:09 mx1 a: x\nNov 21 08:00:01 mx1 b: y\n"),
            Some((
                "2026-11-21T08:00:09".to_string(),
                "2026-11-21T08:00:01".to_string()
            ))
        );
        // One dated line spans itself.
        assert_eq!(
            span(b"Nov 21 08:00:00 mx1 dovecot: x\n"),
            Some((
                "2026-11-21T08:00:00".to_string(),
                "2026-11-21T08:00:00".to_string()
            ))
        );
        assert_eq!(span(b"no time here\n\n"), None);
        assert_eq!(span(b""), None);
        // A stray byte after the time does not hide it.
        assert_eq!(
            span(b"Nov 21 07:00:00 mx1 dovecot: caf\xe9\nNov 21 08:00:00 mx1 dovecot: x\n"),
            Some((
                "2026-11-21T07:00:00".to_string(),
                "2026-11-21T08:00:00".to_string()
            ))
        );
        // Lines outside --since and --until are passed over.
        let at = |second| {
            chrono::NaiveDate::from_ymd_opt(2026, 11, 21)
                .unwrap()
                .and_hms_opt(8, 0, second)
        };
        let window = EventFilter {
            since: at(1),
            until: at(9),
            ..EventFilter::default()
        };
        assert_eq!(
            span_within(
                b"Nov 21 08:00:00 mx1 a: x\nNov 21 08:00:02 mx1 a: x\n\
                  Nov 21 08:00:05 mx1 a: x\nNov 21 08:00:09 mx1 a: x\n",
                &window
            ),
            Some((
                "2026-11-21T08:00:02".to_string(),
                "2026-11-21T08:00:05".to_string()
            ))
        );
    }

    /// The reason of the event one Exim mainlog line gives.
    fn exim_reason(line: &str) -> &'static str {
        let context = LineContext {
            years: crate::time::YearRule::Given {
                year: 2026,
                first_month: 1,
            },
            format: parse::SourceFormat::EximMainlog,
        };
        match parse::parse_line(line, &context) {
            Parsed::Event(event) => reason_of(&event),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_success_without_a_code_is_delivered() {
        assert_eq!(
            exim_reason(
                "2026-11-21 06:01:13 1tE3xC-000Ab3-Sz => alice <alice@example.com> R=local_user T=mail_spool"
            ),
            "delivered"
        );
        assert_eq!(
            exim_reason(
                "2026-11-21 06:01:11 1tE3xA-000Ab1-Qz => bob@gmail.com R=dnslookup T=remote_smtp H=gmail-smtp-in.l.google.com [142.250.27.26] C=\"250 2.0.0 OK\""
            ),
            "delivered"
        );
        // Failures without a code still take their reason from the text, or `other`.
        assert_eq!(
            exim_reason(
                "2026-11-21 07:01:01 1vK2Pq-00000001aBc-0Xyz ** olga@nxdomain.example: Unrouteable address"
            ),
            "domain_not_found"
        );
        assert_eq!(
            exim_reason(
                "2026-11-21 06:01:12 1tE3xA-000Ab1-Qz == carl@example.org R=dnslookup defer (-36): host lookup did not complete"
            ),
            "routing_error"
        );
    }
}
