//! The fixed list of reason categories that [`super::classify`] may return.
//!
//! The names are short, lower-case and stable: they appear in CSV and JSON output and in
//! `--by reason`, so scripts rely on them. This file only lists them; which code or text leads
//! to which reason is decided by the tables beside it.

/// Every reason category with a one-line description, in the order reports list them.
pub const REASONS: &[(&str, &str)] = &[
    (
        "delivered",
        "The server accepted the command or the message (any 2xx reply).",
    ),
    (
        "user_unknown",
        "The recipient mailbox does not exist at the destination.",
    ),
    (
        "mailbox_full",
        "The recipient mailbox is over its storage quota.",
    ),
    (
        "mailbox_disabled",
        "The mailbox exists but is disabled, suspended or has moved away.",
    ),
    (
        "bad_address",
        "An address is malformed or of a kind the server does not allow.",
    ),
    (
        "domain_not_found",
        "The domain has no usable mail DNS: no such domain, no MX, or a null MX.",
    ),
    (
        "greylisted",
        "A deliberate first-contact deferral that a normal retry gets past.",
    ),
    (
        "blocklisted",
        "The sending IP or domain is on a DNS blocklist or a provider's own block list.",
    ),
    (
        "spf_fail",
        "The sending IP is not authorised by the SPF record, or the record is broken.",
    ),
    (
        "dkim_fail",
        "No valid or acceptable DKIM signature was found on the message.",
    ),
    (
        "dmarc_policy",
        "The From domain failed DMARC, or the message was not authenticated at all.",
    ),
    (
        "reverse_dns",
        "The sending IP has no PTR record, or it does not match forward DNS.",
    ),
    (
        "rate_limited",
        "The receiver throttles the sender for volume, complaints or reputation.",
    ),
    (
        "too_many_connections",
        "Too many simultaneous connections or sessions from one client.",
    ),
    (
        "too_many_recipients",
        "Too many recipients in one message or one session.",
    ),
    (
        "tls_required",
        "The peer insists on an encrypted connection that was not set up.",
    ),
    (
        "tls_failure",
        "The TLS handshake or certificate check failed.",
    ),
    (
        "auth_required",
        "The server wants SMTP authentication before it accepts the command.",
    ),
    (
        "auth_failed",
        "SMTP authentication was attempted and refused.",
    ),
    (
        "relay_denied",
        "The server will not pass mail on to a domain it is not responsible for.",
    ),
    (
        "message_too_large",
        "The message is bigger than the receiver accepts.",
    ),
    (
        "content_rejected",
        "The content was judged to be spam, malware or otherwise unacceptable.",
    ),
    (
        "sender_rejected",
        "The envelope sender address or its domain was refused.",
    ),
    (
        "helo_rejected",
        "The name given in HELO or EHLO was refused.",
    ),
    (
        "connection_failed",
        "No SMTP conversation: timeout, refusal, lost connection or no route.",
    ),
    (
        "service_unavailable",
        "The server is shutting down, overloaded, or takes no mail at all.",
    ),
    (
        "system_error",
        "The receiving system failed internally, ran out of storage, or is misconfigured.",
    ),
    (
        "routing_error",
        "The mail could not be routed: a loop or no path to the destination.",
    ),
    (
        "expired",
        "The message stayed in the queue until its lifetime ran out.",
    ),
    (
        "protocol_error",
        "The SMTP dialogue broke the rules: bad syntax, sequence or pipelining.",
    ),
    (
        "policy",
        "A local rule of the receiver refused the message; the text names it.",
    ),
    (
        "other",
        "Nothing more specific is known; read the reply text.",
    ),
];
