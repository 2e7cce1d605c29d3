//! Opening inputs: a file or standard input, decompressed when its first bytes say so (gzip,
//! zstd, bzip2, xz; never judged by the file name), then cut into whole-line chunks.
//!
//! Every error carries the name of the input it happened on. This module never looks inside a
//! line.

pub mod chunk;

use std::fmt;
use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::SystemTime;

/// An input as the user named it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InputSpec {
    /// `-`, or no file when standard input is not a terminal.
    Stdin,
    /// A path.
    Path(PathBuf),
}

impl InputSpec {
    /// Reads a command-line argument: `-` is standard input.
    pub fn from_arg(arg: &str) -> InputSpec {
        if arg == "-" {
            InputSpec::Stdin
        } else {
            InputSpec::Path(PathBuf::from(arg))
        }
    }

    /// The name written in the `file` column and in messages.
    pub fn display_name(&self) -> String {
        match self {
            InputSpec::Stdin => "<stdin>".to_string(),
            InputSpec::Path(path) => path.display().to_string(),
        }
    }
}

/// How an input's bytes are stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compression {
    /// Plain text.
    None,
    /// gzip, one member or several concatenated.
    Gzip,
    /// Zstandard, one frame or several.
    Zstd,
    /// bzip2, one stream or several.
    Bzip2,
    /// xz, one stream or several.
    Xz,
}

impl Compression {
    /// Every way an input can be stored.
    pub const ALL: [Compression; 5] = [
        Compression::None,
        Compression::Gzip,
        Compression::Zstd,
        Compression::Bzip2,
        Compression::Xz,
    ];

    /// Recognises a compressed stream by its magic bytes.
    pub fn sniff(head: &[u8]) -> Compression {
        if head.starts_with(&[0x1f, 0x8b]) {
            Compression::Gzip
        } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            Compression::Zstd
        } else if head.starts_with(b"BZh") && head.get(3).is_some_and(|b| (b'1'..=b'9').contains(b))
        {
            Compression::Bzip2
        } else if head.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0x00]) {
            Compression::Xz
        } else {
            Compression::None
        }
    }

    /// The lower-case name used in messages.
    pub fn label(self) -> &'static str {
        match self {
            Compression::None => "plain",
            Compression::Gzip => "gzip",
            Compression::Zstd => "zstd",
            Compression::Bzip2 => "bzip2",
            Compression::Xz => "xz",
        }
    }
}

/// An error on one input, naming it.
#[derive(Debug)]
pub struct InputError {
    /// The input's display name.
    pub name: String,
    /// The line reading had reached, where that helps.
    pub line: Option<u64>,
    /// What went wrong, in a few words.
    pub what: String,
    /// The underlying error.
    pub source: io::Error,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.name)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        write!(f, ": {}: {}", self.what, self.source)
    }
}

impl std::error::Error for InputError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// An input opened for reading, its bytes already decompressed.
pub struct OpenedInput {
    /// The display name.
    pub name: String,
    /// When the file was last written; `None` for standard input.
    pub modified: Option<SystemTime>,
    /// How its bytes were stored.
    pub compression: Compression,
    /// The decompressed bytes.
    pub reader: Box<dyn Read + Send>,
}

/// The one place that decides how an input is read.
pub fn open(spec: &InputSpec) -> Result<OpenedInput, InputError> {
    open_counted(spec, None)
}

/// Counts the bytes taken from the underlying file or pipe, before decompression, so that a
/// progress bar can compare them with the file sizes.
struct CountingReader<R> {
    inner: R,
    counter: Arc<AtomicU64>,
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.counter.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Like [`open`], adding every byte read from the source to `counter`.
pub fn open_counted(
    spec: &InputSpec,
    counter: Option<&Arc<AtomicU64>>,
) -> Result<OpenedInput, InputError> {
    let name = spec.display_name();
    let fail = |what: &str, source: io::Error| InputError {
        name: name.clone(),
        line: None,
        what: what.to_string(),
        source,
    };
    let (raw, modified): (Box<dyn Read + Send>, Option<SystemTime>) = match spec {
        InputSpec::Stdin => (Box::new(io::stdin()), None),
        InputSpec::Path(path) => {
            let file = File::open(path).map_err(|e| fail("cannot open", e))?;
            let meta = file
                .metadata()
                .map_err(|e| fail("cannot read metadata", e))?;
            if meta.is_dir() {
                return Err(fail(
                    "is a directory",
                    io::Error::new(io::ErrorKind::InvalidInput, "give the files inside it"),
                ));
            }
            (Box::new(file), meta.modified().ok())
        }
    };
    let raw: Box<dyn Read + Send> = match counter {
        Some(counter) => Box::new(CountingReader {
            inner: raw,
            counter: Arc::clone(counter),
        }),
        None => raw,
    };
    let (compression, reader) = decompress(raw).map_err(|(what, e)| fail(what, e))?;
    Ok(OpenedInput {
        name,
        modified,
        compression,
        reader,
    })
}

/// A reader of any source, movable to a reader thread.
pub type BoxedReader = Box<dyn Read + Send>;

/// The longest magic number [`Compression::sniff`] looks at.
const MAGIC_LEN: usize = 6;

/// Recognises how `raw` is compressed from its first bytes and returns a reader of its
/// decompressed bytes. On failure, says in a few words what could not be done.
///
/// A pipe may hand out its first bytes one at a time, so the magic number is read to its full
/// length (or to the end of a shorter input) before it is judged: otherwise a gzip stream
/// written slowly into a pipe would be taken for text.
pub fn decompress(
    mut raw: BoxedReader,
) -> Result<(Compression, BoxedReader), (&'static str, io::Error)> {
    let mut head = [0u8; MAGIC_LEN];
    let mut filled = 0;
    while filled < MAGIC_LEN {
        match raw.read(&mut head[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(("cannot read", e)),
        }
    }
    let compression = Compression::sniff(&head[..filled]);
    let whole = io::Cursor::new(head[..filled].to_vec()).chain(raw);
    // Decoders read small pieces and want a buffer under them. Plain text is read in chunks of
    // a megabyte straight into the chunk's buffer, where a buffer in between would only copy
    // every byte once more.
    let buffered = |whole| BufReader::with_capacity(256 * 1024, whole);
    let reader: BoxedReader = match compression {
        Compression::None => Box::new(whole),
        Compression::Gzip => Box::new(flate2::bufread::MultiGzDecoder::new(buffered(whole))),
        Compression::Zstd => Box::new(
            zstd::stream::read::Decoder::with_buffer(buffered(whole))
                .map_err(|e| ("cannot start zstd decoding", e))?,
        ),
        Compression::Bzip2 => Box::new(bzip2::bufread::MultiBzDecoder::new(buffered(whole))),
        Compression::Xz => Box::new(liblzma::bufread::XzDecoder::new_multi_decoder(buffered(
            whole,
        ))),
    };
    Ok((compression, reader))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn magic_bytes_decide_compression() {
        assert_eq!(Compression::sniff(&[0x1f, 0x8b, 8, 0]), Compression::Gzip);
        assert_eq!(
            Compression::sniff(&[0x28, 0xb5, 0x2f, 0xfd, 0]),
            Compression::Zstd
        );
        assert_eq!(Compression::sniff(b"BZh91AY"), Compression::Bzip2);
        assert_eq!(Compression::sniff(b"BZh is text"), Compression::None);
        assert_eq!(Compression::sniff(b"\xfd7zXZ\x00\x00"), Compression::Xz);
        assert_eq!(Compression::sniff(b"Nov 21 08:00:00"), Compression::None);
        assert_eq!(Compression::sniff(b""), Compression::None);
    }

    fn read_all(path: &std::path::Path) -> Vec<u8> {
        let mut opened = open(&InputSpec::Path(path.to_path_buf())).unwrap();
        let mut out = Vec::new();
        opened.reader.read_to_end(&mut out).unwrap();
        out
    }

    #[test]
    fn every_compression_reads_back_including_concatenated_members() {
        let dir = tempfile::tempdir().unwrap();
        let text = b"line one\nline two\n";
        let gz = |data: &[u8]| {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            e.write_all(data).unwrap();
            e.finish().unwrap()
        };
        let mut two_members = gz(b"line one\n");
        two_members.extend(gz(b"line two\n"));
        let cases: Vec<(&str, Vec<u8>)> = vec![
            ("plain", text.to_vec()),
            ("gz", two_members),
            ("zst", zstd::encode_all(&text[..], 3).unwrap()),
            ("bz2", {
                let mut e = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::fast());
                e.write_all(text).unwrap();
                e.finish().unwrap()
            }),
            ("xz", {
                let mut e = liblzma::write::XzEncoder::new(Vec::new(), 1);
                e.write_all(text).unwrap();
                e.finish().unwrap()
            }),
        ];
        for (name, bytes) in cases {
            // Names lie on purpose: only the bytes count.
            let path = dir.path().join(format!("mail.log.{name}.txt"));
            std::fs::write(&path, bytes).unwrap();
            assert_eq!(read_all(&path), text, "{name}");
        }
    }

    #[test]
    fn missing_file_error_names_it() {
        let err = open(&InputSpec::Path("/no/such/mail.log".into()))
            .err()
            .unwrap();
        let message = err.to_string();
        assert!(
            message.starts_with("/no/such/mail.log: cannot open:"),
            "{message}"
        );
    }
}
