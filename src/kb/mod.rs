//! The knowledge base: what every SMTP reply code, every registered enhanced status code and
//! a set of recognised reply texts mean, when they are seen and how to fix them.
//!
//! All of it is static data compiled into the binary: [`reply`] holds the basic reply codes,
//! [`enhanced`] the IANA enhanced status codes with a fallback by class and subject, and
//! [`patterns`] the reply texts of blocklists, providers and common MTAs. [`classify`] is
//! called by the pipeline on every event and gives a short reason category; [`advice`] merges
//! the layers into prose for a report. This module never sees an event, a count or a file: it
//! takes plain values and returns static data.

mod enhanced;
pub mod memo;
mod patterns;
pub mod problems;
mod reasons;
mod reply;

#[cfg(test)]
mod tests;

use crate::codes::{Class, Direction, EnhancedCode};

pub use enhanced::{EnhancedEntry, Explanation, subject_label};
pub use patterns::TextPattern;
pub use reasons::REASONS;
pub use reply::CodeEntry;

/// Which layer of the knowledge base decided a classification.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Layer {
    /// A recognised reply text.
    Text,
    /// The enhanced status code.
    Enhanced,
    /// The basic reply code.
    Reply,
    /// Only the class (or nothing at all) was known.
    Class,
}

/// The outcome of [`classify`]: a reason category and where it came from.
///
/// It holds only static references, so it is `Copy` and costs nothing to keep per event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Classification {
    /// One of the categories in [`REASONS`].
    pub reason: &'static str,
    /// The recognised reply text, if one matched; or, for an unregistered enhanced code that a
    /// provider is known to use, that provider's pattern.
    pub pattern: Option<&'static TextPattern>,
    /// The layer that gave the reason.
    pub layer: Layer,
    /// True when the reply code and the enhanced code disagree on the class.
    pub inconsistent: bool,
    /// The direction the classification was made for, which picks the advice.
    pub direction: Direction,
}

impl Classification {
    /// The provider named by the recognised text, if any.
    pub fn provider(&self) -> Option<&'static str> {
        self.pattern.and_then(|p| p.provider)
    }
}

/// Classifies one reply.
///
/// The layers are tried from the most to the least specific: a recognised reply text, then the
/// enhanced status code, then the basic reply code, then the class. An enhanced code whose detail
/// is 0 (`X.n.0`, "other or undefined") says less than a specific reply code, so a reply code with
/// a specific reason is preferred to it; this is why `421 4.7.0` reads as an unavailable service
/// and not as a policy or authentication problem. An enhanced code outside the IANA registry that
/// a provider is known to use (Microsoft's `5.7.606`, Gmail's `4.7.40`) takes the reason of that
/// provider's pattern even when the text is not recognised. Any 2xx reply is `delivered` at once,
/// without looking at its text, which keeps the common case to a couple of comparisons.
///
/// This function does not know the SMTP stage. It tells an authentication failure from other
/// security refusals by the reply code alone: 432, 454, 534, 535 and 538 only answer AUTH (or,
/// for 454, STARTTLS), so a `4.7.0` or `5.7.0` with any other reply code is never read as a
/// failed login. When the caller knows the stage, [`classify_at`] uses it as well.
pub fn classify(
    reply_code: Option<u16>,
    enhanced: Option<EnhancedCode>,
    text: &str,
    direction: Direction,
) -> Classification {
    classify_at(reply_code, enhanced, text, direction, None)
}

/// [`classify`] with the SMTP stage the reply answered, as the parsers write it (`AUTH`,
/// `STARTTLS`, `RCPT`, ...; see [`crate::event::Event::stage`]).
///
/// The stage refines two cases that the codes cannot settle on their own:
/// - at `AUTH`, a failure that no recognised text or specific enhanced code explains (such as
///   `535 5.7.0` or `421 4.7.0`) is `auth_failed`;
/// - at any other known stage, a bare `454` is not an authentication failure: at `STARTTLS` it
///   is `tls_failure`, elsewhere the next layer decides.
///
/// With `stage` set to `None` this is exactly [`classify`].
pub fn classify_at(
    reply_code: Option<u16>,
    enhanced: Option<EnhancedCode>,
    text: &str,
    direction: Direction,
    stage: Option<&str>,
) -> Classification {
    classify_with(reply_code, enhanced, direction, stage, || {
        patterns::find(text, reply_code)
    })
}

/// [`classify_at`] for a text already [`patterns::fold`]ed, as the per-thread memory keeps it.
pub(crate) fn classify_folded(
    reply_code: Option<u16>,
    enhanced: Option<EnhancedCode>,
    folded: &[u8],
    direction: Direction,
    stage: Option<&str>,
) -> Classification {
    classify_with(reply_code, enhanced, direction, stage, || {
        patterns::find_folded(folded, reply_code)
    })
}

fn classify_with(
    reply_code: Option<u16>,
    enhanced: Option<EnhancedCode>,
    direction: Direction,
    stage: Option<&str>,
    find_pattern: impl FnOnce() -> Option<&'static TextPattern>,
) -> Classification {
    let class = reply_code
        .and_then(Class::from_reply_code)
        .or_else(|| enhanced.map(EnhancedCode::class));
    let inconsistent = inconsistent(reply_code, enhanced);
    let done = |reason, pattern, layer| Classification {
        reason,
        pattern,
        layer,
        inconsistent,
        direction,
    };
    if class == Some(Class::Success) {
        return done("delivered", None, Layer::Class);
    }
    if let Some(pattern) = find_pattern() {
        return done(pattern.reason_for(direction), Some(pattern), Layer::Text);
    }
    let at_auth = stage.is_some_and(|s| s.eq_ignore_ascii_case("AUTH"));
    let failure = matches!(class, Some(Class::Transient | Class::Permanent));
    let (specific, vague) = match enhanced {
        Some(code) => {
            let explanation = enhanced_entry(code);
            if explanation.registered && code.detail != 0 {
                (Some(explanation.entry.reason), None)
            } else if let Some(p) = (!explanation.registered)
                .then(|| provider_uses(code).next())
                .flatten()
            {
                return done(p.reason_for(direction), Some(p), Layer::Enhanced);
            } else {
                (None, Some(explanation.entry.reason))
            }
        }
        None => (None, None),
    };
    if let Some(reason) = specific.filter(|r| *r != "other") {
        return done(reason, None, Layer::Enhanced);
    }
    let mut reply = reply_code.and_then(reply_entry).map(|e| e.reason);
    if at_auth && failure {
        // In the AUTH exchange every refusal is about the login, unless the reply code already
        // says which part (credentials, a missing login, or TLS first).
        let auth = ["auth_failed", "auth_required", "tls_required"];
        let reason = reply.filter(|r| auth.contains(r)).unwrap_or("auth_failed");
        return done(reason, None, Layer::Reply);
    }
    if reply_code == Some(454) && stage.is_some() && !at_auth {
        let at_starttls = stage.is_some_and(|s| s.eq_ignore_ascii_case("STARTTLS"));
        reply = at_starttls.then_some("tls_failure");
    }
    let layers = [(reply, Layer::Reply), (vague, Layer::Enhanced)];
    for (reason, layer) in layers {
        if let Some(reason) = reason.filter(|r| *r != "other") {
            return done(reason, None, layer);
        }
    }
    done("other", None, Layer::Class)
}

/// The provider patterns that document `code` as one of theirs, in table order.
///
/// Some of these codes are outside the IANA registry (Microsoft's `5.7.606` to `5.7.649`,
/// Gmail's `4.7.40`); others are registered but given another meaning by the provider (Gmail
/// uses `4.7.27` for a failed SPF check, where the registry says "sender address has null MX").
pub fn provider_uses(code: EnhancedCode) -> impl Iterator<Item = &'static TextPattern> {
    patterns::PATTERNS.iter().filter(move |p| p.claims(code))
}

/// True when a reply code and an enhanced code are both present and name different classes,
/// such as `450 5.7.1` or `550 4.2.2`. The reply code decides the class of such an outcome.
pub fn inconsistent(reply_code: Option<u16>, enhanced: Option<EnhancedCode>) -> bool {
    match (reply_code, enhanced) {
        (Some(reply), Some(code)) => reply / 100 != u16::from(code.class),
        _ => false,
    }
}

/// The entry of a basic reply code, or `None` for a code outside the table.
pub fn reply_entry(code: u16) -> Option<&'static CodeEntry> {
    reply::REPLY_CODES
        .binary_search_by_key(&code, |e| e.code)
        .ok()
        .map(|i| &reply::REPLY_CODES[i])
}

/// The explanation of an enhanced status code: its registry entry, or for an unregistered code
/// the generic entry of its subject (see [`Explanation::registered`]).
pub fn enhanced_entry(code: EnhancedCode) -> Explanation {
    enhanced::explain(code)
}

/// Every basic reply code, in numeric order.
pub fn all_reply_codes() -> &'static [CodeEntry] {
    reply::REPLY_CODES
}

/// Every registered enhanced status code, in subject and detail order.
pub fn all_enhanced_codes() -> &'static [EnhancedEntry] {
    enhanced::ENHANCED_CODES
}

/// Every recognised reply text, in the order they are tried (the first match wins).
pub fn all_patterns() -> &'static [TextPattern] {
    patterns::PATTERNS
}

/// Every reason category with its one-line description, in the order reports list them.
///
/// This is [`REASONS`] behind a function, for the README, `docs/reasons.md` and
/// [`crate::render::explain::write_reasons`].
pub fn reasons() -> &'static [(&'static str, &'static str)] {
    REASONS
}

/// Advice for one kind of reply, ready for a report: every layer that knows something adds to
/// what it means, and the most specific layer decides how to fix it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Advice {
    /// The reason category, as [`classify`] gives it.
    pub reason: &'static str,
    /// The provider named by a recognised text.
    pub provider: Option<&'static str>,
    /// The names of the codes, joined.
    pub name: String,
    /// What the reply means.
    pub what: String,
    /// When such a reply is seen.
    pub when: String,
    /// How to fix it, for the given direction.
    pub fix: String,
    /// A self-service page of the provider or list, where there is one.
    pub link: Option<&'static str>,
}

/// Merges the layers into the advice for one reply.
///
/// The name and the meaning gather what the reply code, the enhanced code and the recognised
/// text each say. The fix comes from the most specific layer: the text, then a specific enhanced
/// code, then the reply code, then the enhanced code's subject, then the class.
pub fn advice(
    reply_code: Option<u16>,
    enhanced: Option<EnhancedCode>,
    text: &str,
    direction: Direction,
) -> Advice {
    let found = classify(reply_code, enhanced, text, direction);
    let reply = reply_code.and_then(reply_entry);
    let explained = enhanced.map(enhanced_entry);
    let specific = explained.filter(|x| x.registered && x.code.detail != 0);
    let class = reply_code
        .and_then(Class::from_reply_code)
        .or_else(|| enhanced.map(EnhancedCode::class));

    let mut names = Vec::new();
    let mut what = Vec::new();
    if let Some(entry) = reply {
        names.push(entry.name.to_string());
        what.push(entry.what.to_string());
    } else if let Some(code) = reply_code {
        names.push(format!("Unlisted {code} reply"));
    }
    if let Some(x) = explained {
        names.push(x.name());
        what.push(x.what());
    }
    if let Some(p) = found.pattern {
        names.push(p.title.to_string());
        what.push(p.meaning.to_string());
    }
    if names.is_empty() {
        names.push(class.map_or("No code", class_name).to_string());
    }
    if what.is_empty() {
        what.push(class.map_or(NO_CODE_WHAT, class_what).to_string());
    }
    if found.inconsistent {
        what.push(INCONSISTENT_NOTE.to_string());
    }

    let when = specific
        .map(|x| x.entry.when)
        .or(reply.map(|e| e.when))
        .or(explained.map(|x| x.when()))
        .or(reply_code.map(|_| UNLISTED_WHEN))
        .unwrap_or(match direction {
            Direction::Outbound => NO_CODE_WHEN,
            Direction::Inbound => NO_CODE_WHEN_INBOUND,
        });
    let fix = if let Some(p) = found.pattern {
        p.fix_for(direction)
    } else if let Some(x) = specific {
        x.entry.fix_for(direction)
    } else if let Some(e) = reply {
        e.fix_for(direction)
    } else if let Some(x) = explained {
        x.entry.fix_for(direction)
    } else {
        class.map_or(NO_CODE_FIX, class_fix)
    };
    Advice {
        reason: found.reason,
        provider: found.provider(),
        name: names.join(" / "),
        what: what.join(" "),
        when: when.to_string(),
        fix: fix.to_string(),
        link: found.pattern.and_then(|p| p.link),
    }
}

/// The sentence added to the meaning when the two codes disagree on the class.
pub(crate) const INCONSISTENT_NOTE: &str = "The reply code and the enhanced status code name \
different classes, which RFC 3463 does not allow; mailsift counts the outcome by the reply code.";

const NO_CODE_WHAT: &str = "The log line reports an outcome without any SMTP code, so only the \
action and the text tell what happened.";
const NO_CODE_WHEN: &str = "Typically when no SMTP conversation took place: a DNS failure, a \
connection that could not be made, or a message that expired in the queue.";
const NO_CODE_WHEN_INBOUND: &str = "When our server refused a client but the log line does not \
carry the number it answered with (most of Exim's ACL refusals, and Postfix's failed SASL \
logins, which it answers with 535 5.7.8); the words of the line give the reason.";
const UNLISTED_WHEN: &str = "When a server answers with a number of its own choosing, outside \
the codes RFC 5321 lists: clients act on its first digit, so it counts as any reply of its \
class.";
const NO_CODE_FIX: &str = "Read the text of the line; the example lines in the report show it.";

/// A short name for a class when the code itself is not in the table.
pub(crate) fn class_name(class: Class) -> &'static str {
    match class {
        Class::Success => "Unlisted success reply",
        Class::Intermediate => "Unlisted intermediate reply",
        Class::Transient => "Unlisted temporary failure",
        Class::Permanent => "Unlisted permanent failure",
    }
}

/// What a class means, for a code that is not in the table.
pub(crate) fn class_what(class: Class) -> &'static str {
    match class {
        Class::Success => "The server completed the requested action.",
        Class::Intermediate => {
            "The server accepted the command and waits for more input before it can finish."
        }
        Class::Transient => {
            "The server refused the action for now; the same attempt may succeed later."
        }
        Class::Permanent => {
            "The server refused the action, and repeating it unchanged will fail again."
        }
    }
}

/// How to handle a class, for a code that is not in the table.
pub(crate) fn class_fix(class: Class) -> &'static str {
    match class {
        Class::Success | Class::Intermediate => "Nothing to fix.",
        Class::Transient => {
            "Let the queue retry. If the same deferral lasts for hours, read the reply text: it \
             usually names the cause."
        }
        Class::Permanent => {
            "Do not retry unchanged. Read the reply text for the cause, fix it, then send again."
        }
    }
}
