//! The line splitter, against a plain model of what it must hand out: every line in order with
//! its number, CR LF taken as LF, lines longer than the limit reported with their length and
//! never handed out, whatever the chunk size and however the reader cuts its reads; after a
//! read error, only whole lines read before it, then the error, then nothing.
#![no_main]

use std::io::{self, Read};

use libfuzzer_sys::fuzz_target;
use mailsift::input::chunk::{ChunkReader, MAX_LINE_LEN, Piece};

/// A reader that hands out its bytes in reads of the given sizes, in turn, and fails at `fail_at`
/// bytes if set.
struct Jerky<'a> {
    data: &'a [u8],
    pos: usize,
    sizes: &'a [u8],
    turn: usize,
    fail_at: Option<usize>,
}

impl Read for Jerky<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let end = self.fail_at.unwrap_or(self.data.len()).min(self.data.len());
        if self.pos == end && self.fail_at.is_some() {
            self.fail_at = None;
            return Err(io::Error::other("injected"));
        }
        let size = self.sizes.get(self.turn % self.sizes.len().max(1)).copied();
        self.turn += 1;
        // Small sizes as given, large ones in KiB; zero means as much as is asked for.
        let size = match size {
            Some(0) | None => 1 << 20,
            Some(n) if n < 128 => usize::from(n),
            Some(n) => usize::from(n - 127) * 1024,
        };
        let n = size.min(buf.len()).min(end - self.pos);
        buf[..n].copy_from_slice(&self.data[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Seen {
    Line(u64, Vec<u8>),
    OverLong(u64, u64),
}

/// What the splitter must give for `data` read to its end.
fn model(data: &[u8]) -> Vec<Seen> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut number = 1;
    while start < data.len() {
        let (end, next) = match data[start..].iter().position(|b| *b == b'\n') {
            Some(at) => (start + at, start + at + 1),
            None => (data.len(), data.len()),
        };
        let with_ending = next - start;
        if with_ending > MAX_LINE_LEN {
            out.push(Seen::OverLong(number, with_ending as u64));
        } else {
            let line = &data[start..end];
            out.push(Seen::Line(
                number,
                line.strip_suffix(b"\r").unwrap_or(line).to_vec(),
            ));
        }
        number += 1;
        start = next;
    }
    out
}

/// The most bytes one input expands to: room for two lines past the limit.
const EXPANDED_CAP: usize = 2 * MAX_LINE_LEN + 16 * 1024;

/// Widens the fuzzer's short inputs: `0xff n b` stands for `b` repeated `n * 1024` times, so
/// that lines near and past the limit are reachable.
fn expand(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == 0xff && i + 2 < raw.len() {
            let room = EXPANDED_CAP.saturating_sub(out.len());
            let n = (usize::from(raw[i + 1]) * 1024).min(room);
            out.extend(std::iter::repeat_n(raw[i + 2], n));
            i += 3;
        } else {
            out.push(raw[i]);
            i += 1;
        }
    }
    out
}

fuzz_target!(|raw: &[u8]| {
    if raw.len() < 4 {
        return;
    }
    let chunk_size = usize::from(u16::from_le_bytes([raw[0], raw[1]])).max(1);
    let sizes_len = usize::from(raw[2] % 8);
    let fail = raw[3];
    let rest = &raw[4..];
    let (sizes, rest) = rest.split_at(sizes_len.min(rest.len()));
    let data = expand(rest);
    // Tiny chunks over a long line cost time quadratic in its length; they find nothing that
    // chunks of a few KiB do not, so long inputs get those.
    let chunk_size = if data.len() > 16 * 1024 {
        chunk_size.max(4096)
    } else {
        chunk_size
    };
    // One input in four fails part-way.
    let fail_at = (fail % 4 == 0).then(|| usize::from(fail) * data.len() / 256);

    let reader = Jerky {
        data: &data,
        pos: 0,
        sizes,
        turn: 0,
        fail_at,
    };
    let mut seen = Vec::new();
    let mut failed = false;
    for piece in ChunkReader::new(reader, chunk_size) {
        assert!(!failed, "nothing comes after a read error");
        match piece {
            Ok(Piece::Lines(chunk)) => {
                assert!(!chunk.data.is_empty());
                let lines: Vec<_> = chunk.lines().collect();
                if let Ok(text) = std::str::from_utf8(&chunk.data) {
                    let as_text: Vec<_> = chunk
                        .text_lines(text)
                        .map(|(n, l)| (n, l.as_bytes()))
                        .collect();
                    assert_eq!(as_text, lines);
                }
                seen.extend(lines.into_iter().map(|(n, l)| Seen::Line(n, l.to_vec())));
            }
            Ok(Piece::OverLong { line, bytes }) => seen.push(Seen::OverLong(line, bytes)),
            Err(_) => failed = true,
        }
    }
    match fail_at {
        None => assert_eq!(seen, model(&data)),
        Some(at) => {
            assert!(failed || at >= data.len());
            if failed {
                // Only the whole lines read before the failure, and maybe not all of the
                // over-long one under way.
                let before = &data[..at];
                let whole = before
                    .iter()
                    .rposition(|b| *b == b'\n')
                    .map_or(0, |last| last + 1);
                let expected = model(&data[..whole]);
                assert_eq!(seen, expected);
            } else {
                assert_eq!(seen, model(&data));
            }
        }
    }
});
