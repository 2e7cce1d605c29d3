//! Making text written by strangers safe to show. Remote servers choose the words of their
//! replies, and those words land in our logs: they may hold terminal escapes, bidirectional
//! overrides that reorder what a reader sees, or cells a spreadsheet would run as formulas.
//!
//! Every renderer passes log text through here; nothing else in the crate alters it.

use std::borrow::Cow;
use std::fmt::Write;

/// Whether a character must not reach a reader as it is: C0 and C1 controls, DEL, and the
/// invisible marks that change the display order of text.
fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        )
}

/// The text with every control or bidirectional mark written out as an escape (`\t`, `\x1b`,
/// `\u{202e}`), so that it is seen rather than obeyed. A backslash is left alone: log text uses
/// it freely and it cannot harm a terminal.
pub fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if is_unsafe(c) && (c as u32) < 0x100 => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if is_unsafe(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// A cell for CSV: made visible, and prefixed with `'` when it begins with a character that
/// makes spreadsheets read it as a formula (`=`, `+`, `-`, `@`, tab, carriage return).
pub fn csv_cell(text: &str) -> Cow<'_, str> {
    let shown = visible(text);
    match shown.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => Cow::Owned(format!("'{shown}")),
        _ => shown,
    }
}

/// Text for HTML: made visible, then escaped for element content and quoted attributes.
pub fn html(text: &str) -> Cow<'_, str> {
    let shown = visible(text);
    if !shown.contains(['<', '>', '&', '"', '\'']) {
        return shown;
    }
    let mut out = String::with_capacity(shown.len() + 16);
    for c in shown.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_escapes_and_bidi_marks_are_shown_not_obeyed() {
        assert_eq!(visible("plain 550 text"), "plain 550 text");
        assert_eq!(visible("red \x1b[31m!"), "red \\x1b[31m!");
        assert_eq!(visible("a\tb\r\n"), "a\\tb\\r\\n");
        assert_eq!(visible("evil\u{202e}txt.exe"), "evil\\u{202e}txt.exe");
        assert_eq!(visible("c1 \u{9b}2J"), "c1 \\x9b2J");
        assert_eq!(visible("naïve café 日本"), "naïve café 日本");
    }

    #[test]
    fn formula_cells_are_defused() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(csv_cell("+1"), "'+1");
        assert_eq!(csv_cell("-2"), "'-2");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("\tx"), "\\tx");
        assert_eq!(csv_cell("550 5.1.1 = no"), "550 5.1.1 = no");
    }

    #[test]
    fn html_is_escaped() {
        assert_eq!(
            html("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
    }
}
