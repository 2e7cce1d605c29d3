//! Literal searches for the per-line hot path.
//!
//! Most lines of a mail log carry no outcome and are rejected after a handful of substring
//! searches, so those searches decide the speed of a scan. `str::find` with a string needle
//! sets up a two-way searcher on every call; these use memchr's vectorised searchers instead,
//! built once per needle.

use std::sync::LazyLock;

use memchr::memmem::Finder;

/// A fixed needle with its searchers, built on first use. Declared with [`needles!`].
pub struct Needle {
    searchers: LazyLock<Searchers>,
}

/// What searching for one needle needs: a vectorised forward searcher, and an anchor byte for
/// backward searches.
pub struct Searchers {
    forward: Finder<'static>,
    text: &'static [u8],
    /// The first byte of the needle that is not a space, and its offset: backward searches run
    /// from one of those bytes to the next, which are much rarer than spaces in log text.
    anchor: (u8, usize),
}

impl Searchers {
    /// The searchers for `text`.
    pub fn new(text: &'static str) -> Self {
        let anchor = text
            .bytes()
            .enumerate()
            .find(|(_, b)| *b != b' ')
            .map_or((b' ', 0), |(at, b)| (b, at));
        Searchers {
            forward: Finder::new(text),
            text: text.as_bytes(),
            anchor,
        }
    }
}

impl Needle {
    /// A needle whose searchers `build` makes on first use.
    pub const fn new(build: fn() -> Searchers) -> Self {
        Needle {
            searchers: LazyLock::new(build),
        }
    }

    /// The byte offset of the first occurrence in `haystack`.
    #[inline]
    pub fn find(&self, haystack: &str) -> Option<usize> {
        self.searchers.forward.find(haystack.as_bytes())
    }

    /// Whether `haystack` contains the needle.
    #[inline]
    pub fn is_in(&self, haystack: &str) -> bool {
        self.find(haystack).is_some()
    }

    /// The needle's length in bytes.
    #[inline]
    pub fn len(&self) -> usize {
        self.searchers.text.len()
    }

    /// Whether the needle is empty (it never is for a declared needle).
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The byte offset of the last occurrence in `haystack`.
    #[inline]
    pub fn rfind(&self, haystack: &str) -> Option<usize> {
        let bytes = haystack.as_bytes();
        let Searchers {
            text,
            anchor: (anchor, offset),
            ..
        } = &*self.searchers;
        memchr::memrchr_iter(*anchor, bytes)
            .filter_map(|at| at.checked_sub(*offset))
            .find(|start| bytes[*start..].starts_with(text))
    }
}

/// Declares static [`Needle`]s: `needles! { STATUS = "status="; }`.
#[macro_export]
#[doc(hidden)]
macro_rules! needles {
    ($($(#[$meta:meta])* $name:ident = $text:literal;)+) => {
        $(
            $(#[$meta])*
            static $name: $crate::parse::needle::Needle = $crate::parse::needle::Needle::new(|| {
                $crate::parse::needle::Searchers::new($text)
            });
        )+
    };
}

/// Below this length a plain loop beats the set-up of a vectorised search.
const SHORT: usize = 32;

/// The byte offset of the first `byte`.
#[inline]
pub fn find_byte(byte: u8, haystack: &str) -> Option<usize> {
    let bytes = haystack.as_bytes();
    if bytes.len() < SHORT {
        bytes.iter().position(|b| *b == byte)
    } else {
        memchr::memchr(byte, bytes)
    }
}

/// The byte offset of the first `byte`, for a separator that usually comes within the first
/// few words, such as the space after a host name: the head is searched eight bytes at a time
/// without a branch per byte, the rest (rarely reached) by memchr.
#[inline]
pub fn find_byte_early(byte: u8, haystack: &str) -> Option<usize> {
    let bytes = haystack.as_bytes();
    let head_len = bytes.len().min(SHORT);
    let ones = u64::from_ne_bytes([0x01; 8]);
    let highs = u64::from_ne_bytes([0x80; 8]);
    let pattern = u64::from_ne_bytes([byte; 8]);
    let mut at = 0;
    while at + 8 <= head_len {
        let word = u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap_or([0; 8])) ^ pattern;
        // A zero byte in `word` is a match; the lowest flagged byte is always a true one.
        let found = word.wrapping_sub(ones) & !word & highs;
        if found != 0 {
            return Some(at + (found.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    if let Some(found) = bytes[at..head_len].iter().position(|b| *b == byte) {
        return Some(at + found);
    }
    if bytes.len() > head_len {
        memchr::memchr(byte, &bytes[head_len..]).map(|found| found + head_len)
    } else {
        None
    }
}

/// The byte offset of the first `: `, the separator of nearly every field in a mail log.
#[inline]
pub fn find_colon_space(haystack: &str) -> Option<usize> {
    let bytes = haystack.as_bytes();
    memchr::memchr_iter(b':', bytes).find(|&at| bytes.get(at + 1) == Some(&b' '))
}

/// The pieces of a `, `-separated list, as `text.split(", ")` gives them.
pub fn split_comma_space(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    // One vectorised pass over the whole list, resumed at each comma.
    let mut commas = memchr::memchr_iter(b',', bytes);
    let mut start = 0;
    let mut done = false;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        for comma in commas.by_ref() {
            if comma >= start && bytes.get(comma + 1) == Some(&b' ') {
                let piece = &text[start..comma];
                start = comma + 2;
                return Some(piece);
            }
        }
        done = true;
        Some(&text[start..])
    })
}

/// Which of the first 64 bytes of `bytes` are ASCII letters or digits, and which are digits:
/// bit `i` stands for byte `i`. Ids are checked on most lines, and eight bytes at a time this
/// costs a fraction of a test per byte.
pub fn alphanumeric_bits(bytes: &[u8]) -> (u64, u64) {
    let bytes = &bytes[..bytes.len().min(64)];
    if bytes.len() < 8 {
        let (mut alphanumeric, mut digits) = (0, 0);
        for (at, b) in bytes.iter().enumerate() {
            alphanumeric |= u64::from(b.is_ascii_alphanumeric()) << at;
            digits |= u64::from(b.is_ascii_digit()) << at;
        }
        return (alphanumeric, digits);
    }
    let (mut alphanumeric, mut digits) = (0, 0);
    every_word(bytes, |at, word| {
        let (word_alphanumeric, word_digits) = classify_word(word);
        // A window that overlaps the one before sets the same bits again, which is harmless.
        alphanumeric |= u64::from(high_bits_to_byte(word_alphanumeric)) << at;
        digits |= u64::from(high_bits_to_byte(word_digits)) << at;
        true
    });
    (alphanumeric, digits)
}

/// Gives `visit` each eight-byte word of `bytes` (read little-endian) with its offset, the last
/// one overlapping the one before where the length is not a multiple of eight, until `visit`
/// returns false; whether it never did. `bytes` holds at least eight bytes.
#[inline]
pub fn every_word(bytes: &[u8], mut visit: impl FnMut(usize, u64) -> bool) -> bool {
    let last = bytes.len().saturating_sub(8);
    let mut at = 0;
    loop {
        let word = u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap_or([0; 8]));
        if !visit(at, word) {
            return false;
        }
        if at == last {
            return true;
        }
        at = (at + 8).min(last);
    }
}

/// The high bit of every byte of a word.
pub const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);

/// The ASCII letters and digits of an eight-byte word (read little-endian), and its digits,
/// each byte marked by its high bit.
pub fn classify_word(word: u64) -> (u64, u64) {
    let ascii = !word & HIGHS;
    // With the high bits clear, adding to a byte never carries into the next one.
    let low = word & !HIGHS;
    let digits = in_range(low, b'0', b'9') & ascii;
    let letters = in_range(low | u64::from_ne_bytes([0x20; 8]), b'a', b'z') & ascii;
    (digits | letters, digits)
}

/// The high bit of each byte of `word` (all below 0x80) that lies in `low..=high`.
fn in_range(word: u64, low: u8, high: u8) -> u64 {
    let ones = u64::from_ne_bytes([1; 8]);
    let at_least_low = word + ones * u64::from(0x80 - low);
    let above_high = word + ones * u64::from(0x7f - high);
    at_least_low & !above_high & HIGHS
}

/// Gathers the high bits of a word's bytes into one byte, byte `i` giving bit `i`.
fn high_bits_to_byte(marks: u64) -> u8 {
    ((marks >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56) as u8
}

/// A mask of the low `len` bits (`len` at most 64).
pub fn low_bits(len: usize) -> u64 {
    if len >= 64 { u64::MAX } else { (1 << len) - 1 }
}

#[cfg(test)]
mod tests {
    use super::*;

    needles! {
        SAID = " said: ";
    }

    #[test]
    fn finds_first_and_last() {
        let text = "host a said: 1 host b said: 2";
        assert_eq!(SAID.find(text), Some(6));
        assert_eq!(SAID.rfind(text), Some(21));
        assert_eq!(SAID.rfind(" said: "), Some(0));
        assert_eq!(SAID.rfind("said: "), None);
        assert_eq!(find_byte_early(b'x', &"a".repeat(40)), None);
        assert_eq!(
            find_byte_early(b'x', &format!("{}x", "a".repeat(40))),
            Some(40)
        );
        assert_eq!(find_byte_early(b'x', "aax"), Some(2));
        // Every position, every length, against a plain search.
        for len in 0..80 {
            for at in 0..=len {
                let mut text = "a".repeat(len);
                if at < len {
                    text.replace_range(at..at + 1, " ");
                    text.push_str(" b");
                }
                assert_eq!(find_byte_early(b' ', &text), text.find(' '), "{len} {at}");
            }
        }
        assert_eq!(find_byte_early(0x80 - 1, "\u{7f}"), Some(0));
        assert_eq!(find_byte_early(b'!', "  !  !"), Some(2));
        assert!(!SAID.is_in("host a refused to talk to me"));
    }

    #[test]
    fn comma_space_split_matches_str_split() {
        for text in [
            "",
            "a",
            "a, b",
            "a,b, c,",
            "to=<x>, relay=y, , dsn=2.0.0, ",
            ", ",
        ] {
            let ours: Vec<_> = split_comma_space(text).collect();
            let std: Vec<_> = text.split(", ").collect();
            assert_eq!(ours, std, "{text:?}");
        }
    }

    #[test]
    fn alphanumeric_bits_agree_with_a_byte_by_byte_look() {
        let text: Vec<u8> = (0..=255u8).chain(b"aZ09-_.@ zz".iter().copied()).collect();
        for start in 0..text.len() {
            for len in 0..=70.min(text.len() - start) {
                let bytes = &text[start..start + len];
                let (alphanumeric, digits) = alphanumeric_bits(bytes);
                for at in 0..64 {
                    let byte = bytes.get(at);
                    let bit = |mask: u64| mask >> at & 1 == 1;
                    assert_eq!(
                        bit(alphanumeric),
                        byte.is_some_and(u8::is_ascii_alphanumeric)
                    );
                    assert_eq!(bit(digits), byte.is_some_and(u8::is_ascii_digit));
                }
            }
        }
        assert_eq!(low_bits(0), 0);
        assert_eq!(low_bits(3), 0b111);
        assert_eq!(low_bits(64), u64::MAX);
    }

    #[test]
    fn colon_space_skips_bare_colons() {
        assert_eq!(find_colon_space("[2001:db8::1]:25: x"), Some(16));
        assert_eq!(find_colon_space("a:b:c"), None);
        assert_eq!(find_colon_space("tag:"), None);
        assert_eq!(find_byte(b'[', "mx[1]"), Some(2));
    }
}
