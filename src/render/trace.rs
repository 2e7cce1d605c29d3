//! `mailsift trace` as text: a heading that names the messages found, then each line with its
//! time and `file:line`, and under each outcome what it means. Log lines are shown through
//! [`visible`], so a terminal never obeys them.

use std::collections::HashSet;
use std::io::{self, Write};

use super::safe::visible;
use crate::trace::{LINE_CAP, Target, TracedLine};

/// Writes a trace.
pub fn write_trace(
    out: &mut dyn Write,
    target: &Target,
    messages: &HashSet<String>,
    lines: &[TracedLine],
) -> io::Result<()> {
    let what = match target {
        Target::Id(id) => id.as_str(),
        Target::Address(address) => address.as_str(),
    };
    let mut ids: Vec<&str> = messages.iter().map(String::as_str).collect();
    ids.sort_unstable();
    let seen: HashSet<&str> = lines.iter().filter_map(|l| l.message.as_deref()).collect();
    ids.retain(|id| seen.contains(id));
    if lines.is_empty() {
        writeln!(out, "mailsift trace {}: no line found", visible(what))?;
        return Ok(());
    }
    writeln!(
        out,
        "mailsift trace {}: {} line{}, {} message{}{}",
        visible(what),
        lines.len(),
        if lines.len() == 1 { "" } else { "s" },
        ids.len(),
        if ids.len() == 1 { "" } else { "s" },
        if ids.is_empty() {
            String::new()
        } else {
            format!(" ({})", visible(&ids.join(", ")))
        }
    )?;
    if lines.len() >= LINE_CAP {
        writeln!(out, "(only the first {LINE_CAP} lines are kept)")?;
    }
    // A queue id is free again once its message is removed (Postfix) or completed (Exim);
    // a later line with the same id is another message, and says so.
    let mut ended: HashSet<&str> = HashSet::new();
    for line in lines {
        if let Some(id) = line.message.as_deref() {
            // The notification of a message may be logged just after its end, by another
            // process in the same second; it still belongs to the message that ended.
            if !line.notifies && ended.remove(id) {
                writeln!(
                    out,
                    "--- {} is used again by another message from here on",
                    visible(id)
                )?;
            }
            if line.ends_message {
                ended.insert(id);
            }
        }
        let time = line.time.map_or_else(|| "-".to_string(), |t| t.to_string());
        writeln!(
            out,
            "{time}  {}:{}  {}",
            visible(&line.source.1),
            line.line,
            visible(&line.text)
        )?;
        if let Some(note) = &line.note {
            writeln!(out, "    => {}", visible(note))?;
        }
    }
    Ok(())
}
