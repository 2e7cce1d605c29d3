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

/// The forward and backward searchers of one needle.
pub struct Searchers {
    forward: Finder<'static>,
    text: &'static [u8],
    /// The first byte of the needle that is not a space, and its offset: backward searches run
    /// from one of those bytes to the next, which are much rarer than spaces in log text.
    anchor: (u8, usize),
}

impl Searchers {
    /// Both searchers for `text`.
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

/// The byte offset of the first `byte` within the first [`SHORT`] bytes, else of the first
/// one after: for a separator that usually comes early, such as the space after a host name.
#[inline]
pub fn find_byte_early(byte: u8, haystack: &str) -> Option<usize> {
    let bytes = haystack.as_bytes();
    let head = &bytes[..bytes.len().min(SHORT)];
    match head.iter().position(|b| *b == byte) {
        Some(at) => Some(at),
        None if bytes.len() > SHORT => memchr::memchr(byte, &bytes[SHORT..]).map(|at| at + SHORT),
        None => None,
    }
}

/// The byte offset of the last `byte`.
#[inline]
pub fn rfind_byte(byte: u8, haystack: &str) -> Option<usize> {
    memchr::memrchr(byte, haystack.as_bytes())
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
        assert_eq!(rfind_byte(b']', "a]b]"), Some(3));
    }
}
