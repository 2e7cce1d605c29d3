//! Cutting a byte stream into chunks of whole lines, each knowing the number of its first line,
//! so that chunks can be parsed on any thread and the results put back in order.
//!
//! Line endings are handled here: `\n` and `\r\n`, and a last line without an ending. A line
//! longer than [`MAX_LINE_LEN`] is never held in memory: it is reported as over-long, with its
//! number and length, and skipped.

use std::collections::VecDeque;
use std::io::{self, Read};
use std::sync::{Arc, Mutex};

/// Bytes per chunk unless the caller asks otherwise: large enough that handing a chunk to
/// another thread, and merging what was counted in it, costs little beside parsing it (each
/// chunk counts its destinations and messages afresh); small enough to keep every core busy.
pub const DEFAULT_CHUNK_SIZE: usize = 2 << 20;

/// The longest line that is parsed. Mail log lines are at most a few kilobytes (syslog daemons
/// cut them near 8 KiB); anything far longer is not a log line.
pub const MAX_LINE_LEN: usize = 64 * 1024;

/// What the reader hands out, in input order.
#[derive(Debug, PartialEq, Eq)]
pub enum Piece {
    /// One or more whole lines.
    Lines(LineChunk),
    /// A line too long to parse, skipped.
    OverLong {
        /// Its line number (1-based).
        line: u64,
        /// Its length in bytes, line ending included.
        bytes: u64,
    },
}

/// Whole lines, each ending in `\n` except perhaps the last line of the input.
#[derive(Debug, PartialEq, Eq)]
pub struct LineChunk {
    /// The number of the first line (1-based).
    pub first_line: u64,
    /// The bytes of the lines.
    pub data: Vec<u8>,
}

impl LineChunk {
    /// Each line with its number, without its line ending.
    pub fn lines(&self) -> impl Iterator<Item = (u64, &[u8])> {
        let data = self.data.strip_suffix(b"\n").unwrap_or(&self.data);
        let first_line = self.first_line;
        data.split(|b| *b == b'\n')
            .enumerate()
            .map(move |(index, line)| {
                let line = line.strip_suffix(b"\r").unwrap_or(line);
                (first_line + index as u64, line)
            })
            .filter(move |_| !self.data.is_empty())
    }
}

impl LineChunk {
    /// Like [`LineChunk::lines`] over the chunk's bytes already checked as UTF-8 (`text` must be
    /// `self.data` as a string).
    pub fn text_lines<'a>(&self, text: &'a str) -> impl Iterator<Item = (u64, &'a str)> {
        debug_assert_eq!(text.len(), self.data.len());
        let body = text.strip_suffix('\n').unwrap_or(text);
        let first_line = self.first_line;
        let mut start = 0;
        let mut ends = memchr::memchr_iter(b'\n', body.as_bytes());
        let mut done = text.is_empty();
        std::iter::from_fn(move || {
            if done {
                return None;
            }
            let end = match ends.next() {
                Some(end) => end,
                None => {
                    done = true;
                    body.len()
                }
            };
            let line = &body[start..end];
            start = end + 1;
            Some(line.strip_suffix('\r').unwrap_or(line))
        })
        .enumerate()
        .map(move |(index, line)| (first_line + index as u64, line))
    }
}

/// Chunk buffers handed back once parsed, for the reader to fill again. Each buffer holds a
/// chunk, a few megabytes: allocating one for every chunk and freeing it on another thread
/// costs a page fault per 4 KiB, and leaves the allocator's per-thread arenas holding memory
/// that grows with the input.
#[derive(Debug, Default)]
pub struct BufferPool {
    spare: Mutex<Vec<Vec<u8>>>,
}

/// Buffers kept for reuse at most; a scan has about this many chunks in flight.
const POOL_CAP: usize = 32;

/// Room a new buffer has beyond a chunk, for the partial line carried over from the last one:
/// a reused buffer then never has to grow, which would double it.
const CARRY_ROOM: usize = 16 * 1024;

impl BufferPool {
    /// A buffer with room for at least `capacity` bytes, empty.
    fn take(&self, capacity: usize) -> Vec<u8> {
        let spare = self.spare.lock().ok().and_then(|mut spare| spare.pop());
        match spare {
            Some(mut buffer) => {
                buffer.clear();
                buffer.reserve_exact(capacity);
                buffer
            }
            None => Vec::with_capacity(capacity),
        }
    }

    /// Hands a parsed chunk's buffer back.
    pub fn give(&self, buffer: Vec<u8>) {
        if let Ok(mut spare) = self.spare.lock()
            && spare.len() < POOL_CAP
        {
            spare.push(buffer);
        }
    }
}

/// Reads a stream and yields its lines in chunks.
pub struct ChunkReader<R> {
    reader: R,
    pool: Option<Arc<BufferPool>>,
    chunk_size: usize,
    buf: Vec<u8>,
    next_line: u64,
    eof: bool,
    skipping: Option<(u64, u64)>,
    ready: VecDeque<io::Result<Piece>>,
}

impl<R: Read> ChunkReader<R> {
    /// A reader handing out chunks of about `chunk_size` bytes.
    pub fn new(reader: R, chunk_size: usize) -> Self {
        ChunkReader {
            reader,
            pool: None,
            chunk_size: chunk_size.max(1),
            buf: Vec::new(),
            next_line: 1,
            eof: false,
            skipping: None,
            ready: VecDeque::new(),
        }
    }

    /// Takes chunk buffers from `pool`, where the chunks' users give them back.
    pub fn with_pool(mut self, pool: Arc<BufferPool>) -> Self {
        self.pool = Some(pool);
        self
    }

    /// The number of lines handed out so far, over-long ones included.
    pub fn lines_so_far(&self) -> u64 {
        self.next_line - 1
    }

    /// Reads about a chunk's worth of new bytes, or up to the end of the input. Every call
    /// reads something new, so a partial line left in the buffer always makes progress.
    fn fill(&mut self) -> io::Result<()> {
        self.buf.reserve_exact(self.chunk_size);
        let wanted = self.chunk_size as u64;
        // Through `take`, `read_to_end` reads straight into the spare capacity, without zeroing
        // it first where the reader allows (files do); bytes read before an error are kept.
        let read = (&mut self.reader).take(wanted).read_to_end(&mut self.buf)?;
        if (read as u64) < wanted {
            self.eof = true;
        }
        Ok(())
    }

    /// Turns the complete lines at the front of the buffer into pieces.
    fn cut(&mut self) {
        if let Some((line, bytes)) = self.skipping {
            match memchr::memchr(b'\n', &self.buf) {
                Some(end) => {
                    self.ready.push_back(Ok(Piece::OverLong {
                        line,
                        bytes: bytes + end as u64 + 1,
                    }));
                    self.buf.drain(..=end);
                    self.skipping = None;
                }
                None => {
                    self.skipping = Some((line, bytes + self.buf.len() as u64));
                    self.buf.clear();
                    return;
                }
            }
        }
        let complete = match memchr::memrchr(b'\n', &self.buf) {
            Some(last) => last + 1,
            None if self.eof => self.buf.len(),
            None => 0,
        };
        if complete > 0 && !may_hold_over_long_line(&self.buf[..complete]) {
            self.hand_out_whole(complete);
        } else {
            self.hand_out_line_by_line(complete);
        }
        if self.buf.len() > MAX_LINE_LEN {
            // The line under way is already too long: stop holding it.
            self.skipping = Some((self.next_line, self.buf.len() as u64));
            self.next_line += 1;
            self.buf.clear();
        }
    }

    /// Hands out the first `complete` bytes as one chunk, without copying them: the buffer
    /// becomes the chunk and the partial line after it starts a new buffer.
    fn hand_out_whole(&mut self, complete: usize) {
        let capacity = (self.buf.len() - complete).max(CARRY_ROOM) + self.chunk_size;
        let mut next = match &self.pool {
            Some(pool) => pool.take(capacity),
            None => Vec::with_capacity(capacity),
        };
        next.extend_from_slice(&self.buf[complete..]);
        let mut data = std::mem::replace(&mut self.buf, next);
        data.truncate(complete);
        let mut lines = bytecount::count(&data, b'\n') as u64;
        if data.last() != Some(&b'\n') {
            lines += 1;
        }
        self.ready.push_back(Ok(Piece::Lines(LineChunk {
            first_line: self.next_line,
            data,
        })));
        self.next_line += lines;
    }

    /// Hands out the first `complete` bytes line by line, so that lines too long to parse are
    /// cut out of the chunks and reported on their own.
    fn hand_out_line_by_line(&mut self, complete: usize) {
        let mut chunk_start = 0;
        let mut line_start = 0;
        let mut lines_in_chunk = 0u64;
        let first_line = self.next_line;
        let mut ends = memchr::memchr_iter(b'\n', &self.buf[..complete])
            .map(|end| end + 1)
            .collect::<Vec<_>>();
        if complete > 0 && ends.last() != Some(&complete) {
            ends.push(complete);
        }
        let mut line_number = first_line;
        let mut chunk_first_line = first_line;
        for end in ends {
            if end - line_start > MAX_LINE_LEN {
                if line_start > chunk_start {
                    self.ready.push_back(Ok(Piece::Lines(LineChunk {
                        first_line: chunk_first_line,
                        data: self.buf[chunk_start..line_start].to_vec(),
                    })));
                }
                self.ready.push_back(Ok(Piece::OverLong {
                    line: line_number,
                    bytes: (end - line_start) as u64,
                }));
                chunk_start = end;
                chunk_first_line = line_number + 1;
                lines_in_chunk = 0;
            } else {
                lines_in_chunk += 1;
            }
            line_start = end;
            line_number += 1;
        }
        if lines_in_chunk > 0 {
            self.ready.push_back(Ok(Piece::Lines(LineChunk {
                first_line: chunk_first_line,
                data: self.buf[chunk_start..complete].to_vec(),
            })));
        }
        self.next_line = line_number;
        self.buf.drain(..complete);
    }
}

/// Whether `data` may hold a line longer than [`MAX_LINE_LEN`]. Such a line covers a whole
/// aligned block of half that size with no line ending in it, so one short search per block
/// rules it out; a `true` only asks for the exact check.
fn may_hold_over_long_line(data: &[u8]) -> bool {
    data.len() > MAX_LINE_LEN
        && data
            .chunks(MAX_LINE_LEN / 2)
            .any(|block| memchr::memchr(b'\n', block).is_none())
}

impl<R: Read> Iterator for ChunkReader<R> {
    type Item = io::Result<Piece>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(piece) = self.ready.pop_front() {
                return Some(piece);
            }
            if self.eof {
                if let Some((line, bytes)) = self.skipping.take() {
                    return Some(Ok(Piece::OverLong { line, bytes }));
                }
                if self.buf.is_empty() {
                    return None;
                }
                self.cut();
                continue;
            }
            if let Err(error) = self.fill() {
                // Keep the whole lines read before the damage, drop the broken one. An
                // over-long line under way still swallows its own tail, which must not come
                // out as a line of its own; if it never ended, it is dropped with the damage.
                self.eof = true;
                if let Some(last) = memchr::memrchr(b'\n', &self.buf) {
                    self.buf.truncate(last + 1);
                } else {
                    self.buf.clear();
                }
                self.cut();
                self.skipping = None;
                self.ready.push_back(Err(error));
                continue;
            }
            self.cut();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_of(input: &[u8], chunk_size: usize) -> Vec<(u64, Vec<u8>)> {
        let mut out = Vec::new();
        for piece in ChunkReader::new(input, chunk_size) {
            match piece.unwrap() {
                Piece::Lines(chunk) => {
                    if let Ok(text) = std::str::from_utf8(&chunk.data) {
                        let as_text: Vec<_> = chunk
                            .text_lines(text)
                            .map(|(n, l)| (n, l.as_bytes()))
                            .collect();
                        assert_eq!(as_text, chunk.lines().collect::<Vec<_>>());
                    }
                    for (n, line) in chunk.lines() {
                        out.push((n, line.to_vec()));
                    }
                }
                Piece::OverLong { line, bytes } => {
                    out.push((line, format!("<over-long {bytes}>").into_bytes()))
                }
            }
        }
        out
    }

    #[test]
    fn reused_buffers_give_the_same_pieces() {
        let mut input = Vec::new();
        for i in 0..500 {
            input.extend_from_slice(format!("line {i} {}\n", "x".repeat(i % 37)).as_bytes());
        }
        input.extend_from_slice(&vec![b'y'; MAX_LINE_LEN + 10]);
        input.extend_from_slice(b"\nlast");
        for chunk_size in [7, 64, 1000, 1 << 20] {
            let plain: Vec<Piece> = ChunkReader::new(&input[..], chunk_size)
                .map(Result::unwrap)
                .collect();
            let pool = Arc::new(BufferPool::default());
            let mut pooled = Vec::new();
            for piece in ChunkReader::new(&input[..], chunk_size).with_pool(Arc::clone(&pool)) {
                let piece = piece.unwrap();
                // Give a copy back at once, as a worker does after parsing, dirty with old
                // bytes, so that a reused buffer that was not cleared would show.
                if let Piece::Lines(chunk) = &piece {
                    pool.give(chunk.data.clone());
                }
                pooled.push(piece);
            }
            assert_eq!(pooled, plain, "chunk size {chunk_size}");
        }
    }

    #[test]
    fn every_chunk_size_gives_the_same_lines() {
        let input = b"a\r\nbb\n\nccc\r\n\r\ndddd";
        let expected = lines_of(input, 1 << 20);
        assert_eq!(
            expected,
            vec![
                (1, b"a".to_vec()),
                (2, b"bb".to_vec()),
                (3, b"".to_vec()),
                (4, b"ccc".to_vec()),
                (5, b"".to_vec()),
                (6, b"dddd".to_vec())
            ]
        );
        for size in 1..20 {
            assert_eq!(lines_of(input, size), expected, "chunk size {size}");
        }
    }

    #[test]
    fn over_long_lines_are_skipped_with_their_number() {
        let mut input = b"first\n".to_vec();
        input.extend(std::iter::repeat_n(b'x', MAX_LINE_LEN * 3));
        input.extend(b"\nlast\n");
        for size in [7, 4096, MAX_LINE_LEN, 1 << 20] {
            let lines = lines_of(&input, size);
            assert_eq!(lines.len(), 3, "chunk size {size}");
            assert_eq!(lines[0], (1, b"first".to_vec()));
            assert_eq!(lines[1].0, 2);
            assert_eq!(
                lines[1].1,
                format!("<over-long {}>", MAX_LINE_LEN * 3 + 1).into_bytes()
            );
            assert_eq!(lines[2], (3, b"last".to_vec()));
        }
    }

    #[test]
    fn over_long_last_line_without_ending() {
        let mut input = b"first\n".to_vec();
        input.extend(std::iter::repeat_n(b'y', MAX_LINE_LEN + 10));
        let lines = lines_of(&input, 4096);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[1].0, 2);
    }

    #[test]
    fn empty_input_has_no_lines() {
        assert!(lines_of(b"", 16).is_empty());
    }

    struct FailAfter<'a> {
        data: &'a [u8],
    }

    impl Read for FailAfter<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.data.is_empty() {
                return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "truncated"));
            }
            let n = buf.len().min(self.data.len()).min(5);
            buf[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }

    #[test]
    fn lines_before_a_read_error_are_kept() {
        let reader = ChunkReader::new(
            FailAfter {
                data: b"one\ntwo\nthr",
            },
            64,
        );
        let pieces: Vec<_> = reader.collect();
        assert_eq!(pieces.len(), 2);
        match &pieces[0] {
            Ok(Piece::Lines(chunk)) => assert_eq!(chunk.data, b"one\ntwo\n"),
            other => panic!("{other:?}"),
        }
        assert!(pieces[1].is_err());
    }

    #[test]
    fn a_read_error_after_an_over_long_line_does_not_cut_its_tail_into_a_line() {
        let mut data = b"a\n".to_vec();
        data.extend(std::iter::repeat_n(b'x', MAX_LINE_LEN + 100));
        data.extend(b"\ntail\nb\npartial");
        let pieces: Vec<_> = ChunkReader::new(FailAfter { data: &data }, 64).collect();
        let shown: Vec<String> = pieces
            .iter()
            .map(|piece| match piece {
                Ok(Piece::Lines(chunk)) => chunk
                    .lines()
                    .map(|(n, l)| format!("{n}:{}", String::from_utf8_lossy(l)))
                    .collect::<Vec<_>>()
                    .join(" "),
                Ok(Piece::OverLong { line, bytes }) => format!("{line}:over-long {bytes}"),
                Err(_) => "error".to_string(),
            })
            .collect();
        assert_eq!(
            shown,
            [
                "1:a".to_string(),
                format!("2:over-long {}", MAX_LINE_LEN + 101),
                "3:tail 4:b".to_string(),
                "error".to_string()
            ]
        );
    }
}
