//! A deterministic generator of realistic Postfix and Exim mail logs, used for `samples/` and
//! for benchmarks.
//!
//! The same [`GenOptions`] always give the same bytes, on every platform: randomness comes from
//! a self-contained SplitMix64 generator, all arithmetic on times and weights is integer, and
//! nothing depends on the machine's clock, zone or hash seeds. A run is a series of "stories"
//! (one message's life, one rejected connection, one IMAP login, ...) whose lines are queued by
//! time and written in time order, so lines of different stories interleave as in a real log
//! while each story stays coherent. This module knows nothing of parsing; the MTA-specific line
//! shapes live in its `postfix` and `exim` submodules.

mod exim;
mod postfix;

use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::fmt;
use std::io::{self, Write};

use chrono::{Datelike, Duration, NaiveDateTime, Timelike};

/// Which MTA's log to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GenFormat {
    /// A syslog `mail.log` of a Postfix MX and submission relay, with other programs mixed in.
    Postfix,
    /// An Exim `mainlog`.
    Exim,
}

/// What to generate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GenOptions {
    /// The log format.
    pub format: GenFormat,
    /// The seed; the same seed with the same other options gives byte-identical output.
    pub seed: u64,
    /// The approximate number of lines to write (the last stories are finished, so a run ends
    /// a few lines past the target). Ignored when `bytes` is set.
    pub lines: u64,
    /// The approximate number of bytes to write, instead of a line count.
    pub bytes: Option<u64>,
    /// The wall-clock time of the first line, in the log's local zone.
    pub start: NaiveDateTime,
    /// How much log time the run covers, in seconds; the pace of new stories adapts so that the
    /// target size is reached near `start + span_secs`.
    pub span_secs: u64,
    /// The syslog host name written on Postfix lines (`mx1`).
    pub host: String,
    /// Postfix only: traditional syslog times (`Nov 21 08:00:04`) when true, RFC 3339 with
    /// microseconds and an offset (`2026-11-21T08:00:04.123456+01:00`) when false.
    pub year_less: bool,
    /// The UTC offset written in RFC 3339 times and in Exim's ` +0100`, in minutes.
    pub utc_offset_minutes: i32,
    /// Postfix only: a window in which every first attempt towards one domain is deferred, as
    /// when a provider starts rate-limiting the server.
    pub spike: Option<GenSpike>,
}

/// An injected failure spike.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GenSpike {
    /// The recipient domain hit; one of the generator's destinations (`gmail.com`,
    /// `outlook.com`, `yahoo.com`, `example.org`, ...).
    pub domain: String,
    /// When the spike starts, in seconds after the start of the log.
    pub start_secs: u64,
    /// How long it lasts, in minutes.
    pub minutes: u64,
}

impl GenOptions {
    /// Options with the defaults used by the samples: 4000 lines over one day, host `mx1`,
    /// year-less syslog times, offset +01:00.
    pub fn new(format: GenFormat, seed: u64, start: NaiveDateTime) -> Self {
        GenOptions {
            format,
            seed,
            lines: 4000,
            bytes: None,
            start,
            span_secs: 24 * 3600,
            host: "mx1".to_string(),
            year_less: true,
            utc_offset_minutes: 60,
            spike: None,
        }
    }
}

/// What a run wrote.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GenStats {
    /// Lines written.
    pub lines: u64,
    /// Bytes written.
    pub bytes: u64,
    /// Stories generated (messages, rejected connections, noise episodes).
    pub stories: u64,
    /// Lines that carry an SMTP outcome (a delivery status, a reject, a refusal, an expiry).
    pub outcome_lines: u64,
    /// The time of the first line.
    pub first: Option<NaiveDateTime>,
    /// The time of the last line.
    pub last: Option<NaiveDateTime>,
}

/// Writes a log as `opts` describe to `out`, buffering internally, and flushes `out` at the end.
pub fn generate(opts: &GenOptions, out: &mut dyn Write) -> io::Result<GenStats> {
    let mut rng = Rng::new(opts.seed);
    let mut sched = Sched {
        header_len: match (opts.format, opts.year_less) {
            (GenFormat::Postfix, true) => 18 + opts.host.len() as u64,
            (GenFormat::Postfix, false) => 35 + opts.host.len() as u64,
            (GenFormat::Exim, _) => 21,
        },
        ..Sched::default()
    };
    let mut emitter = Emitter::new(opts, out);
    let mut model: Box<dyn Model> = match opts.format {
        GenFormat::Postfix => Box::new(postfix::Postfix::new(opts, &mut rng)),
        GenFormat::Exim => Box::new(exim::Exim::new(opts, &mut rng)),
    };
    let (target, by_bytes) = match opts.bytes {
        Some(bytes) => (bytes, true),
        None => (opts.lines, false),
    };
    let span_us = i64::try_from(opts.span_secs.max(1))
        .unwrap_or(i64::MAX / 2_000_000)
        .saturating_mul(1_000_000);
    let units = |emitter: &Emitter<'_>, sched: &Sched| {
        if by_bytes {
            emitter.bytes + sched.pending_bytes
        } else {
            emitter.lines + sched.heap.len() as u64
        }
    };

    let mut now: i64 = 0;
    model.prologue(now, &mut sched, &mut rng);
    let mut stories: u64 = 0;
    loop {
        let done = units(&emitter, &sched);
        if done >= target {
            break;
        }
        // Pace: spread what is left of the target over what is left of the span, estimating
        // the size of a story from the stories so far.
        let per_story = done
            .checked_div(stories)
            .unwrap_or(if by_bytes { 900 } else { 6 })
            .max(1);
        let stories_left = ((target - done) / per_story).max(1);
        let time_left = (span_us - now).max(span_us / 10_000).max(1000);
        let mean_gap = time_left / i64::try_from(stories_left).unwrap_or(i64::MAX);
        let mean_gap = mean_gap * 100 / model.load_percent(hour_of(opts.start, now));
        let gap = mean_gap.saturating_mul(rng.below(2001) as i64) / 1000;
        now += gap.max(1);
        emitter.drain_before(now, &mut sched)?;
        model.story(now, &mut sched, &mut rng);
        stories += 1;
    }
    emitter.drain_before(i64::MAX, &mut sched)?;
    emitter.finish(stories, sched.outcomes)
}

/// The hour of day at `at` microseconds after `start`.
fn hour_of(start: NaiveDateTime, at: i64) -> u32 {
    (start + Duration::microseconds(at)).hour()
}

/// One kind of log: writes the lines of one story at a time into the queue.
trait Model {
    /// Lines written once at the start of a run.
    fn prologue(&mut self, at: i64, sched: &mut Sched, rng: &mut Rng);
    /// Queues the lines of one story that begins at `at` (microseconds after the start).
    fn story(&mut self, at: i64, sched: &mut Sched, rng: &mut Rng);
    /// The traffic at an hour of the day in percent of the average, so nights are quieter.
    fn load_percent(&self, hour: u32) -> i64 {
        const LOAD: [i64; 24] = [
            35, 30, 25, 25, 30, 45, 70, 100, 135, 150, 150, 140, 125, 135, 145, 145, 135, 120, 105,
            95, 85, 75, 60, 45,
        ];
        LOAD[hour as usize % 24]
    }
}

/// SplitMix64: tiny, fast, and fully specified, so the stream is the same everywhere.
#[derive(Clone, Debug)]
pub(crate) struct Rng(u64);

impl Rng {
    /// A generator whose stream depends only on `seed`.
    pub(crate) fn new(seed: u64) -> Self {
        Rng(seed ^ 0x6D61_696C_7369_6674)
    }

    /// The next 64 random bits.
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0), by multiply-shift rather than modulo so that
    /// small ranges are not biased.
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// A number in `lo..=hi`.
    pub(crate) fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    /// True with a probability of `per_mille` in a thousand.
    pub(crate) fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }

    /// One element of a non-empty slice.
    pub(crate) fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }

    /// An index chosen with the given integer weights.
    pub(crate) fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u64 = weights.iter().map(|&w| u64::from(w)).sum();
        let mut roll = self.below(total);
        for (i, &w) in weights.iter().enumerate() {
            if roll < u64::from(w) {
                return i;
            }
            roll -= u64::from(w);
        }
        weights.len() - 1
    }

    /// Milliseconds in `lo..=hi`, as microseconds with a random sub-millisecond part.
    pub(crate) fn ms(&mut self, lo: u64, hi: u64) -> i64 {
        (self.range(lo * 1000, hi * 1000)) as i64
    }
}

/// One queued line: its time, its order of queueing (to break ties), the Exim header details,
/// and the text after the header.
struct Pending {
    at: i64,
    seq: u64,
    pid: u32,
    style: u8,
    body: Vec<u8>,
}

impl PartialEq for Pending {
    fn eq(&self, other: &Self) -> bool {
        self.at == other.at && self.seq == other.seq
    }
}

impl Eq for Pending {}

impl PartialOrd for Pending {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Pending {
    // Reversed, so that the max-heap pops the earliest line first.
    fn cmp(&self, other: &Self) -> Ordering {
        other.at.cmp(&self.at).then(other.seq.cmp(&self.seq))
    }
}

/// The queue of lines not yet written, with a free list so line buffers are reused.
#[derive(Default)]
pub(crate) struct Sched {
    heap: BinaryHeap<Pending>,
    free: Vec<Vec<u8>>,
    seq: u64,
    pending_bytes: u64,
    outcomes: u64,
    /// The length of a line's header and newline, for the byte target.
    header_len: u64,
}

impl Sched {
    /// An empty buffer for the text of one line.
    pub(crate) fn take(&mut self) -> Vec<u8> {
        self.free.pop().unwrap_or_else(|| Vec::with_capacity(256))
    }

    /// Queues a line at `at` microseconds after the start. `pid` and `style` are used only by
    /// the Exim header.
    pub(crate) fn put(&mut self, at: i64, pid: u32, style: u8, body: Vec<u8>) {
        self.pending_bytes += body.len() as u64 + self.header_len(style);
        self.seq += 1;
        self.heap.push(Pending {
            at,
            seq: self.seq,
            pid,
            style,
            body,
        });
    }

    /// The bytes a line's header and newline take, roughly for an Exim pid.
    fn header_len(&self, style: u8) -> u64 {
        let mut len = self.header_len;
        if style & STYLE_MILLIS != 0 {
            len += 4;
        }
        if style & STYLE_ZONE != 0 {
            len += 6;
        }
        if style & STYLE_PID != 0 {
            len += 9;
        }
        len
    }

    /// Counts a line that carries an SMTP outcome, for [`GenStats::outcome_lines`].
    pub(crate) fn outcome(&mut self) {
        self.outcomes += 1;
    }
}

/// Queues one line formatted like `write!`: `emit!(sched, at, pid, style, "fmt", args...)`.
macro_rules! emit {
    ($sched:expr, $at:expr, $pid:expr, $style:expr, $($arg:tt)*) => {{
        let mut body = $sched.take();
        // Writing into a Vec<u8> cannot fail.
        let _ = ::std::io::Write::write_fmt(&mut body, format_args!($($arg)*));
        $sched.put($at, $pid, $style, body);
    }};
}
pub(crate) use emit;

/// Exim header style bits: `.mmm` after the time.
pub(crate) const STYLE_MILLIS: u8 = 1;
/// Exim header style bit: ` +0100` after the time.
pub(crate) const STYLE_ZONE: u8 = 2;
/// Exim header style bit: ` [pid]` after the time.
pub(crate) const STYLE_PID: u8 = 4;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Writes queued lines in time order with their headers, through one reused output buffer.
struct Emitter<'w> {
    out: &'w mut dyn Write,
    buf: Vec<u8>,
    start: NaiveDateTime,
    format: GenFormat,
    year_less: bool,
    host: Vec<u8>,
    /// `+01:00` for RFC 3339 and `+0100` for Exim.
    zone_colon: String,
    zone_plain: String,
    /// The second the cached texts below belong to.
    cached_sec: i64,
    /// `Nov 21 08:00:04`.
    syslog_time: [u8; 15],
    /// `2026-11-21T08:00:04`; Exim uses it with a space in place of the `T`.
    iso_time: [u8; 19],
    lines: u64,
    bytes: u64,
    first: Option<i64>,
    last: i64,
}

impl<'w> Emitter<'w> {
    fn new(opts: &GenOptions, out: &'w mut dyn Write) -> Self {
        let minutes = opts.utc_offset_minutes;
        let sign = if minutes < 0 { '-' } else { '+' };
        let (h, m) = (minutes.unsigned_abs() / 60, minutes.unsigned_abs() % 60);
        Emitter {
            out,
            buf: Vec::with_capacity(1 << 20),
            start: opts.start,
            format: opts.format,
            year_less: opts.year_less,
            host: opts.host.as_bytes().to_vec(),
            zone_colon: format!("{sign}{h:02}:{m:02}"),
            zone_plain: format!("{sign}{h:02}{m:02}"),
            cached_sec: i64::MIN,
            syslog_time: [b' '; 15],
            iso_time: [b' '; 19],
            lines: 0,
            bytes: 0,
            first: None,
            last: 0,
        }
    }

    /// Writes every queued line earlier than `before`.
    fn drain_before(&mut self, before: i64, sched: &mut Sched) -> io::Result<()> {
        while sched.heap.peek().is_some_and(|p| p.at < before) {
            let Some(line) = sched.heap.pop() else { break };
            sched.pending_bytes = sched
                .pending_bytes
                .saturating_sub(line.body.len() as u64 + sched.header_len(line.style));
            self.write_line(&line);
            let mut body = line.body;
            body.clear();
            sched.free.push(body);
            if self.buf.len() >= 256 * 1024 {
                self.out.write_all(&self.buf)?;
                self.buf.clear();
            }
        }
        Ok(())
    }

    fn write_line(&mut self, line: &Pending) {
        let sec = line.at.div_euclid(1_000_000);
        let micros = line.at.rem_euclid(1_000_000) as u32;
        if sec != self.cached_sec {
            self.cache_second(sec);
        }
        self.first.get_or_insert(line.at);
        self.last = line.at;
        let before = self.buf.len();
        let buf = &mut self.buf;
        match self.format {
            GenFormat::Postfix => {
                if self.year_less {
                    buf.extend_from_slice(&self.syslog_time);
                } else {
                    buf.extend_from_slice(&self.iso_time);
                    buf.push(b'.');
                    push_digits(buf, micros, 6);
                    buf.extend_from_slice(self.zone_colon.as_bytes());
                }
                buf.push(b' ');
                buf.extend_from_slice(&self.host);
            }
            GenFormat::Exim => {
                buf.extend_from_slice(&self.iso_time);
                let at = buf.len() - 9;
                buf[at] = b' ';
                if line.style & STYLE_MILLIS != 0 {
                    buf.push(b'.');
                    push_digits(buf, micros / 1000, 3);
                }
                if line.style & STYLE_ZONE != 0 {
                    buf.push(b' ');
                    buf.extend_from_slice(self.zone_plain.as_bytes());
                }
                if line.style & STYLE_PID != 0 {
                    buf.extend_from_slice(b" [");
                    push_digits(buf, line.pid, 0);
                    buf.push(b']');
                }
            }
        }
        buf.push(b' ');
        buf.extend_from_slice(&line.body);
        buf.push(b'\n');
        self.lines += 1;
        self.bytes += (self.buf.len() - before) as u64;
    }

    fn cache_second(&mut self, sec: i64) {
        self.cached_sec = sec;
        let t = self.start + Duration::seconds(sec);
        let mut s = [0u8; 15];
        s[..3].copy_from_slice(MONTHS[t.month0() as usize].as_bytes());
        s[3] = b' ';
        let day = t.day();
        s[4] = if day < 10 {
            b' '
        } else {
            b'0' + (day / 10) as u8
        };
        s[5] = b'0' + (day % 10) as u8;
        s[6] = b' ';
        put2(&mut s[7..9], t.hour());
        s[9] = b':';
        put2(&mut s[10..12], t.minute());
        s[12] = b':';
        put2(&mut s[13..15], t.second());
        self.syslog_time = s;
        let mut iso = [0u8; 19];
        let year = t.year().clamp(0, 9999) as u32;
        put2(&mut iso[0..2], year / 100);
        put2(&mut iso[2..4], year % 100);
        iso[4] = b'-';
        put2(&mut iso[5..7], t.month());
        iso[7] = b'-';
        put2(&mut iso[8..10], day);
        iso[10] = b'T';
        iso[11..19].copy_from_slice(&s[7..15]);
        self.iso_time = iso;
    }

    fn finish(mut self, stories: u64, outcome_lines: u64) -> io::Result<GenStats> {
        self.out.write_all(&self.buf)?;
        self.buf.clear();
        self.out.flush()?;
        let time = |at: i64| self.start + Duration::microseconds(at);
        Ok(GenStats {
            lines: self.lines,
            bytes: self.bytes,
            stories,
            outcome_lines,
            first: self.first.map(time),
            last: self.first.map(|_| time(self.last)),
        })
    }
}

fn put2(out: &mut [u8], value: u32) {
    out[0] = b'0' + (value / 10 % 10) as u8;
    out[1] = b'0' + (value % 10) as u8;
}

/// Appends `value` in decimal, zero-padded to `width` digits (no padding for 0).
fn push_digits(buf: &mut Vec<u8>, value: u32, width: usize) {
    let mut tmp = [0u8; 10];
    let mut n = value;
    let mut len = 0;
    loop {
        tmp[len] = b'0' + (n % 10) as u8;
        n /= 10;
        len += 1;
        if n == 0 {
            break;
        }
    }
    for _ in len..width {
        buf.push(b'0');
    }
    buf.extend(tmp[..len].iter().rev());
}

/// An email address built from static parts, written without allocating.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Addr {
    /// The first part of the local part.
    pub(crate) user: &'static str,
    /// A second name joined with a dot, or empty.
    pub(crate) last: &'static str,
    /// A number appended to the local part, or 0 for none.
    pub(crate) num: u16,
    /// The domain.
    pub(crate) domain: &'static str,
}

impl fmt::Display for Addr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.user)?;
        if !self.last.is_empty() {
            write!(f, ".{}", self.last)?;
        }
        if self.num != 0 {
            write!(f, "{}", self.num)?;
        }
        write!(f, "@{}", self.domain)
    }
}

const FIRST: &[&str] = &[
    "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory",
    "niaj", "olivia", "peggy", "rupert", "sybil", "trent", "victor", "walter", "yuki", "zoe",
    "marco", "lena", "tomas", "ana", "kenji", "fatima", "oskar",
];
const LAST: &[&str] = &[
    "smith", "mueller", "garcia", "nguyen", "tanaka", "rossi", "dubois", "kowalski", "silva",
    "jensen",
];
const ROLES: &[&str] = &[
    "info",
    "sales",
    "support",
    "noreply",
    "billing",
    "newsletter",
    "jobs",
    "admin",
    "orders",
    "hello",
];

/// A person's or a role's address at `domain`, in one of the common local-part shapes.
pub(crate) fn address(rng: &mut Rng, domain: &'static str) -> Addr {
    let user = rng.pick(FIRST);
    match rng.below(10) {
        0..=3 => Addr {
            user,
            last: "",
            num: 0,
            domain,
        },
        4..=6 => Addr {
            user,
            last: rng.pick(LAST),
            num: 0,
            domain,
        },
        7 | 8 => Addr {
            user,
            last: "",
            num: rng.range(1, 1999) as u16,
            domain,
        },
        _ => Addr {
            user: rng.pick(ROLES),
            last: "",
            num: 0,
            domain,
        },
    }
}

/// A fixed-size ASCII token (queue id, message id part, session id) written without allocating.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Token {
    bytes: [u8; 24],
    len: u8,
}

impl Token {
    /// `len` characters drawn from `alphabet`.
    pub(crate) fn random(rng: &mut Rng, alphabet: &[u8], len: usize) -> Self {
        let mut t = Token {
            bytes: [b'0'; 24],
            len: 0,
        };
        for _ in 0..len.min(24) {
            t.push(rng.pick(alphabet));
        }
        t
    }

    /// `value` in the given base over `alphabet`, left-padded with the alphabet's first
    /// character to `len` characters.
    pub(crate) fn encode(mut value: u64, alphabet: &[u8], len: usize) -> Self {
        let mut t = Token {
            bytes: [alphabet[0]; 24],
            len: len.min(24) as u8,
        };
        let base = alphabet.len() as u64;
        for i in (0..t.len as usize).rev() {
            t.bytes[i] = alphabet[(value % base) as usize];
            value /= base;
        }
        t
    }

    /// Appends one character (ignored once the token is full).
    pub(crate) fn push(&mut self, c: u8) {
        if (self.len as usize) < self.bytes.len() {
            self.bytes[self.len as usize] = c;
            self.len += 1;
        }
    }

    /// Appends another token.
    pub(crate) fn append(&mut self, other: &Token) {
        for &c in other.as_bytes() {
            self.push(c);
        }
    }

    /// The characters.
    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len as usize]
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Tokens are built from ASCII alphabets only.
        f.write_str(std::str::from_utf8(self.as_bytes()).unwrap_or("?"))
    }
}

/// Upper-case hexadecimal digits.
pub(crate) const HEX: &[u8] = b"0123456789ABCDEF";
/// Lower-case hexadecimal digits.
pub(crate) const HEX_LOWER: &[u8] = b"0123456789abcdef";
/// Digits and letters, the alphabet of Exim message ids.
pub(crate) const BASE62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// An IPv4 address in one of the documentation ranges, for clients that should not be real.
pub(crate) fn doc_ipv4(rng: &mut Rng) -> Ip {
    let prefix = rng.pick(&[[192u8, 0, 2], [198, 51, 100], [203, 0, 113]]);
    Ip([prefix[0], prefix[1], prefix[2], rng.range(2, 254) as u8])
}

/// An IPv4 address, written dotted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Ip(pub(crate) [u8; 4]);

impl fmt::Display for Ip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [a, b, c, d] = self.0;
        write!(f, "{a}.{b}.{c}.{d}")
    }
}

/// The date and time `at` microseconds after `start`, for times quoted inside a message.
pub(crate) fn wall(start: NaiveDateTime, at: i64) -> NaiveDateTime {
    start + Duration::microseconds(at)
}

/// `Nov 21 08:03:12`, the syslog form used inside some Postfix messages.
pub(crate) struct SyslogTime(pub(crate) NaiveDateTime);

impl fmt::Display for SyslogTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let t = self.0;
        write!(
            f,
            "{} {:>2} {:02}:{:02}:{:02}",
            MONTHS[t.month0() as usize],
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::{RawTime, YearRule, parse_leading};
    use chrono::NaiveDate;

    fn start(y: i32, m: u32, d: u32, h: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, 0, 0)
            .unwrap()
    }

    fn run(opts: &GenOptions) -> (Vec<u8>, GenStats) {
        let mut out = Vec::new();
        let stats = generate(opts, &mut out).unwrap();
        (out, stats)
    }

    fn opts(format: GenFormat, seed: u64, lines: u64) -> GenOptions {
        let mut o = GenOptions::new(format, seed, start(2026, 11, 21, 6));
        o.lines = lines;
        o
    }

    #[test]
    fn rng_stream_is_fixed() {
        // Pinned values: a change here changes every sample and benchmark input.
        let mut rng = Rng::new(0);
        let got: Vec<u64> = (0..3).map(|_| rng.next_u64()).collect();
        let mut again = Rng::new(0);
        assert_eq!(got, (0..3).map(|_| again.next_u64()).collect::<Vec<_>>());
        let mut plain = Rng(0);
        assert_eq!(plain.next_u64(), 0xE220_A839_7B1D_CDAF);
    }

    #[test]
    fn same_seed_same_bytes() {
        for format in [GenFormat::Postfix, GenFormat::Exim] {
            let (a, sa) = run(&opts(format, 7, 1500));
            let (b, sb) = run(&opts(format, 7, 1500));
            assert_eq!(a, b);
            assert_eq!(sa, sb);
            assert_eq!(sa.bytes, a.len() as u64);
        }
        let mut rfc = opts(GenFormat::Postfix, 7, 500);
        rfc.year_less = false;
        assert_eq!(run(&rfc).0, run(&rfc).0);
    }

    #[test]
    fn committed_samples_are_reproduced_byte_for_byte() {
        // The commands in samples/README.md; a failure means the output changed and the
        // samples (and any benchmark numbers) must be regenerated on purpose.
        let mut pf = GenOptions::new(GenFormat::Postfix, 1, start(2026, 11, 21, 6));
        pf.lines = 4000;
        assert!(run(&pf).0 == include_bytes!("../samples/postfix-mail.log"));
        let mut ex = GenOptions::new(GenFormat::Exim, 3, start(2026, 11, 21, 6));
        ex.lines = 3000;
        assert!(run(&ex).0 == include_bytes!("../samples/exim-mainlog"));
    }

    #[test]
    fn different_seeds_differ() {
        for format in [GenFormat::Postfix, GenFormat::Exim] {
            assert_ne!(run(&opts(format, 1, 300)).0, run(&opts(format, 2, 300)).0);
        }
    }

    #[test]
    fn line_count_is_near_the_target() {
        for format in [GenFormat::Postfix, GenFormat::Exim] {
            for target in [1, 50, 3000] {
                let (out, stats) = run(&opts(format, 3, target));
                let lines = out.iter().filter(|&&b| b == b'\n').count() as u64;
                assert_eq!(lines, stats.lines);
                assert!(lines >= target, "{format:?} {target}: {lines}");
                assert!(lines <= target + 40, "{format:?} {target}: {lines}");
            }
        }
    }

    #[test]
    fn byte_target_is_near() {
        for format in [GenFormat::Postfix, GenFormat::Exim] {
            let mut o = opts(format, 4, 0);
            o.bytes = Some(200_000);
            let (out, stats) = run(&o);
            assert_eq!(out.len() as u64, stats.bytes);
            assert!((199_000..210_000).contains(&stats.bytes), "{}", stats.bytes);
        }
    }

    fn times(out: &[u8]) -> Vec<RawTime> {
        out.split(|&b| b == b'\n')
            .filter(|l| !l.is_empty())
            .map(|l| {
                parse_leading(l)
                    .unwrap_or_else(|| panic!("no time: {}", String::from_utf8_lossy(l)))
                    .0
            })
            .collect()
    }

    #[test]
    fn every_postfix_line_starts_with_a_time_in_order() {
        for year_less in [true, false] {
            let mut o = opts(GenFormat::Postfix, 5, 2000);
            o.year_less = year_less;
            let (out, _) = run(&o);
            let rule = YearRule::Given {
                year: 2026,
                first_month: 11,
            };
            let ts: Vec<_> = times(&out)
                .into_iter()
                .map(|t| rule.complete(t).unwrap())
                .collect();
            assert!(ts.windows(2).all(|w| w[0] <= w[1]));
            for line in out.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
                let header = if year_less { 16 } else { 33 };
                assert!(line[header..].starts_with(b"mx1 "));
            }
        }
    }

    #[test]
    fn exim_lines_start_with_a_time_in_order() {
        let (out, _) = run(&opts(GenFormat::Exim, 6, 3000));
        let ts: Vec<_> = times(&out)
            .into_iter()
            .map(|t| match t {
                RawTime::Full(ts) => ts.local,
                RawTime::YearLess { .. } => panic!("exim time without a year"),
            })
            .collect();
        assert!(ts.windows(2).all(|w| w[0] <= w[1]));
    }

    #[test]
    fn a_run_from_december_crosses_into_january() {
        let mut o = opts(GenFormat::Postfix, 8, 800);
        o.start = start(2026, 12, 31, 20);
        o.span_secs = 8 * 3600;
        let (out, stats) = run(&o);
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("Dec 31 "));
        assert!(text.lines().last().unwrap().starts_with("Jan  1 "));
        assert_eq!(stats.last.unwrap().year(), 2027);

        let mut e = o.clone();
        e.format = GenFormat::Exim;
        let text = String::from_utf8(run(&e).0).unwrap();
        assert!(text.starts_with("2026-12-31 "));
        assert!(text.lines().last().unwrap().starts_with("2027-01-01 "));
    }

    #[test]
    fn a_year_less_day_crosses_midnight() {
        let (out, stats) = run(&opts(GenFormat::Postfix, 1, 4000));
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("Nov 21 06:"));
        assert!(text.contains("\nNov 22 00:"));
        assert!(stats.last.unwrap() > start(2026, 11, 22, 0));
    }

    #[test]
    fn postfix_output_has_the_expected_shapes() {
        let (out, stats) = run(&opts(GenFormat::Postfix, 1, 20_000));
        let text = String::from_utf8(out).unwrap();
        for needle in [
            "status=sent (250 2.0.0 Ok: queued as ",
            "[private/dovecot-lmtp]",
            "[127.0.0.1]:24",
            "[2607:f8b0:4004:c1b::1a]:25",
            "said: 421-4.7.28 ",
            "status=deferred (connect to ",
            "type=MX: Host not found, try again",
            "while receiving the initial server greeting",
            "said: 550 5.7.606 ",
            "S3140",
            "[TSS04]",
            "status=expired, returned to sender",
            "refused to talk to me: 554 ",
            "NOQUEUE: reject: RCPT from unknown[",
            "NOQUEUE: reject: CONNECT from ",
            "NOQUEUE: reject: MAIL from ",
            "NOQUEUE: reject: HELO from ",
            "NOQUEUE: reject: DATA from ",
            ": reject: END-OF-MESSAGE from ",
            "NOQUEUE: reject_warning: RCPT from ",
            "postfix/postscreen[",
            ": reject: header Subject: ",
            "milter-reject: END-OF-MESSAGE from ",
            "postfix-out/smtp[",
            "postfix/submission/smtpd[",
            "postfix/relay/smtp[",
            "dovecot[",
            "opendkim[",
            "amavis[",
            "postfix/anvil[",
            "postfix/scache[",
            "warning: ",
            "postfix/pickup[",
            "postfix/master[",
            ": removed",
            "sender non-delivery notification",
        ] {
            assert!(text.contains(needle), "missing {needle}");
        }
        // Both queue id forms appear.
        assert!(text.contains("postfix/cleanup[") && stats.outcome_lines > 0);
        let share = stats.outcome_lines * 100 / stats.lines;
        assert!((20..=50).contains(&share), "outcome share {share}%");
    }

    #[test]
    fn exim_output_has_the_expected_shapes() {
        let (out, _) = run(&opts(GenFormat::Exim, 3, 20_000));
        let text = String::from_utf8(out).unwrap();
        for needle in [
            " <= ",
            " => ",
            " -> ",
            " ** ",
            " == ",
            " Completed",
            "SMTP error from remote mail server after RCPT TO:<",
            "SMTP error from remote mail server after MAIL FROM:<",
            "SMTP error from remote mail server after end of data: ",
            "SMTP error from remote mail server after initial connection: ",
            "defer (-44) H=",
            "retry time not reached",
            "defer (110): Connection timed out",
            "rejected RCPT <",
            "relay not permitted",
            "temporarily rejected RCPT <",
            "rejected after DATA: ",
            "rejected connection",
            "535 Incorrect authentication data",
            "Message is frozen",
            "TLS error on connection",
            " lost",
            "SMTP command timeout",
            " C=\"250 ",
        ] {
            assert!(text.contains(needle), "missing {needle}");
        }
    }
}
