//! The input front: compression recognised from the first bytes, then gzip, zstd, bzip2 or xz
//! decoded and cut into lines, on any bytes. A decoder may fail, never panic or hang; plain
//! input comes through unchanged.
#![no_main]

use std::io::{Cursor, Read};

use libfuzzer_sys::fuzz_target;
use mailsift::input::chunk::{ChunkReader, Piece};
use mailsift::input::{self, Compression};

/// A decoder may expand a small input enormously; the splitter is checked on the first bytes.
const READ_CAP: u64 = 8 << 20;

fuzz_target!(|data: &[u8]| {
    let Ok((compression, reader)) = input::decompress(Box::new(Cursor::new(data.to_vec()))) else {
        return;
    };
    assert_eq!(compression, Compression::sniff(data));
    let mut lines = 0u64;
    let mut bytes = 0u64;
    for piece in ChunkReader::new(reader.take(READ_CAP), 64 * 1024) {
        match piece {
            Ok(Piece::Lines(chunk)) => {
                bytes += chunk.data.len() as u64;
                lines += chunk.lines().count() as u64;
            }
            Ok(Piece::OverLong { bytes: n, .. }) => {
                bytes += n;
                lines += 1;
            }
            Err(_) => break,
        }
    }
    assert!(bytes <= READ_CAP);
    if compression == Compression::None {
        assert_eq!(bytes, data.len() as u64);
        let expected = bytecount_lines(data);
        assert_eq!(lines, expected);
    }
});

fn bytecount_lines(data: &[u8]) -> u64 {
    let newlines = data.iter().filter(|b| **b == b'\n').count() as u64;
    newlines + u64::from(!data.is_empty() && data.last() != Some(&b'\n'))
}
