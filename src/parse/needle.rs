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
    fn colon_space_skips_bare_colons() {
        assert_eq!(find_colon_space("[2001:db8::1]:25: x"), Some(16));
        assert_eq!(find_colon_space("a:b:c"), None);
        assert_eq!(find_colon_space("tag:"), None);
        assert_eq!(find_byte(b'[', "mx[1]"), Some(2));
    }
}
