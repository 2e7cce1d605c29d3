//! The basic SMTP reply codes (RFC 5321, 4954, 3207, 7504) with what each means, when it shows
//! up and how to deal with it.
//!
//! This is data only: one entry per code, in numeric order so that lookups can binary-search.
//! The class and permanence come from the first digit and are not stored. Reply texts and
//! enhanced codes are explained elsewhere.

use crate::codes::{Class, Direction, Permanence};

/// What the knowledge base knows about one basic reply code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CodeEntry {
    /// The three-digit code.
    pub code: u16,
    /// A short name.
    pub name: &'static str,
    /// The reason category this code suggests on its own (see [`super::REASONS`]).
    pub reason: &'static str,
    /// What the code means.
    pub what: &'static str,
    /// When it is typically seen.
    pub when: &'static str,
    /// How to fix it, whichever side sent it.
    pub fix: &'static str,
    /// How to fix it when a remote server sent it to us (outbound delivery), where that differs.
    pub fix_when_received: Option<&'static str>,
    /// How to fix it when our server sent it to a client (inbound), where that differs.
    pub fix_when_sent: Option<&'static str>,
}

impl CodeEntry {
    /// The class named by the first digit.
    pub fn class(&self) -> Class {
        Class::from_reply_code(self.code).unwrap_or(Class::Permanent)
    }

    /// Whether the outcome is final, from the class.
    pub fn permanence(&self) -> Permanence {
        self.class().permanence()
    }

    /// The advice for one direction, or the general advice where the directions do not differ.
    pub fn fix_for(&self, direction: Direction) -> &'static str {
        match direction {
            Direction::Outbound => self.fix_when_received,
            Direction::Inbound => self.fix_when_sent,
        }
        .unwrap_or(self.fix)
    }
}

/// Every basic reply code mailsift explains, sorted by code.
pub(crate) static REPLY_CODES: &[CodeEntry] = &[
    CodeEntry {
        code: 211,
        name: "System status",
        reason: "delivered",
        what: "An informational reply describing the state of the server, or help about it.",
        when: "Only in answer to a status or HELP request made by hand or by a monitoring probe; \
               it never ends a mail transaction.",
        fix: "Nothing to fix. Read the status it reports if you asked for it.",
        fix_when_received: None,
        fix_when_sent: None,
    },
    CodeEntry {
        code: 214,
        name: "Help message",
        reason: "delivered",
        what: "Text meant for a person, explaining the commands the server understands or how \
               one of them is used.",
        when: "After a client sends HELP, usually while someone tests a server by hand.",
        fix: "Nothing to fix; it is a normal informational reply.",
        fix_when_received: None,
        fix_when_sent: None,
    },
    CodeEntry {
        code: 220,
        name: "Service ready",
        reason: "delivered",
        what: "The server is ready: it is the greeting at the start of a session, and also the \
               go-ahead to begin a TLS handshake after STARTTLS.",
        when: "Right after the TCP connection is opened, and after a STARTTLS command.",
        fix: "Nothing to fix. If the greeting names an unexpected host, check that DNS points at \
              the right server.",
        fix_when_received: None,
        fix_when_sent: None,
    },
    CodeEntry {
        code: 221,
        name: "Closing connection",
        reason: "delivered",
        what: "The server is ending the session cleanly.",
        when: "In answer to QUIT at the end of a session, or when a server closes a connection \
               it has finished with.",
        fix: "Nothing to fix. Seen without a QUIT, it may mean the server drops idle clients, \
              which is normal.",
        fix_when_received: None,
        fix_when_sent: None,
    },
    CodeEntry {
        code: 235,
        name: "Authentication succeeded",
        reason: "delivered",
        what: "The credentials given with AUTH were accepted.",
        when: "At the end of a successful SMTP AUTH exchange, usually on the submission port.",
        fix: "Nothing to fix.",
        fix_when_received: None,
        fix_when_sent: None,
    },
    CodeEntry {
        code: 250,
        name: "Requested action completed",
        reason: "delivered",
        what: "The command worked. After the final dot of DATA it means the receiver has taken \
               responsibility for the message.",
        when: "After EHLO, MAIL FROM, RCPT TO, at the end of DATA and after most other \
               commands that succeed.",
        fix: "Nothing to fix. If mail still goes missing after a 250, look at the receiver's \
              spam filtering or forwarding, not at SMTP.",
        fix_when_received: None,
        fix_when_sent: None,
    },
    CodeEntry {
        code: 251,
        name: "User not local, will forward",
        reason: "delivered",
        what: "The recipient is not hosted on this server, but the server accepts the message \
               and will pass it on.",
        when: "At RCPT TO on servers that forward for moved or aliased users; rare today.",
        fix: "Nothing to fix. Consider updating the address to the final destination.",
        fix_when_received: None,
        fix_when_sent: None,
    },
    CodeEntry {
        code: 252,
        name: "Cannot verify user, will try",
        reason: "delivered",
        what: "The server will not confirm whether the mailbox exists, yet it will accept mail \
               for it and try to deliver.",
        when: "In answer to VRFY on servers that hide their user list, which is most of them.",
        fix: "Nothing to fix; the server protects its user list on purpose.",
        fix_when_received: None,
        fix_when_sent: None,
    },
    CodeEntry {
        code: 334,
        name: "Authentication challenge",
        reason: "other",
        what: "A step of the AUTH exchange: the server sends a base64 challenge and waits for \
               the client's answer.",
        when: "Between AUTH and its final 235 or 5xx reply.",
        fix: "Nothing to fix. If the exchange stops here, the client's SASL setup is wrong.",
        fix_when_received: None,
        fix_when_sent: None,
    },
    CodeEntry {
        code: 354,
        name: "Start mail input",
        reason: "other",
        what: "The server is ready for the message body, which ends with a line holding a \
               single dot.",
        when: "After DATA, once at least one recipient was accepted.",
        fix: "Nothing to fix. If the session breaks right after it, look for a size limit or a \
              network device that cuts long transfers.",
        fix_when_received: None,
        fix_when_sent: None,
    },
    CodeEntry {
        code: 421,
        name: "Service not available",
        reason: "service_unavailable",
        what: "The server cannot serve this session and is closing the connection. The failure \
               is temporary.",
        when: "As the greeting or in answer to any command, when the server is overloaded, \
               restarting, throttling this client, or refusing it for policy for a while. Large \
               providers use it for throttling: Gmail with 4.7.0 or 4.7.28, Yahoo with [TSS04].",
        fix: "Wait and retry; a mail queue does this by itself. If it lasts, the reply text \
              usually says whether the cause is load, rate limiting or reputation.",
        fix_when_received: Some(
            "Let the queue retry. If one destination keeps answering 421, lower the number of \
             parallel connections and the sending rate to it, and read the reply text for a \
             reputation or rate-limit hint.",
        ),
        fix_when_sent: Some(
            "Our server turned a client away. Check load and disk space, the connection and rate \
             limits (Postfix anvil, postscreen, Exim smtp_accept_max), and whether a restart was \
             under way.",
        ),
    },
    CodeEntry {
        code: 432,
        name: "Password transition needed",
        reason: "auth_required",
        what: "The account must change its password, or switch mechanism, before it may \
               authenticate.",
        when: "During AUTH, on servers that enforce a password migration.",
        fix: "Set a new password for the account through the provider's usual tools, then \
              authenticate again.",
        fix_when_received: Some(
            "Change the password of the account our server uses to relay, and update it in the \
             SASL password map.",
        ),
        fix_when_sent: Some(
            "Tell the user to change their password; the authentication backend asks for it.",
        ),
    },
    CodeEntry {
        code: 450,
        name: "Mailbox unavailable (temporary)",
        reason: "other",
        what: "The action on the mailbox was not taken, but the refusal is temporary: the \
               mailbox may be busy or locked, or a policy check failed for now.",
        when: "Mostly at RCPT TO: greylisting, a DNS lookup that did not answer, a locked \
               mailbox, or a temporary policy block.",
        fix: "Retry later; greylisting is passed on the second attempt. If it lasts for hours, \
              the reply text names the check that keeps failing.",
        fix_when_received: Some(
            "Let the queue retry. A deferral that persists past a few hours is not \
             greylisting: read the text and fix the named cause (reverse DNS, blocklist, \
             unknown sender domain).",
        ),
        fix_when_sent: Some(
            "Our server deferred a client. That is expected for greylisting and for temporary \
             DNS failures; if legitimate senders keep failing, review the restriction that \
             answered.",
        ),
    },
    CodeEntry {
        code: 451,
        name: "Local error in processing",
        reason: "system_error",
        what: "The server gave up on the action because of a problem on its own side; a later \
               attempt may work.",
        when: "When a content filter, a lookup table, a DNS query or the disk fails during the \
               transaction; also used for greylisting and temporary SPF errors.",
        fix: "Retry later. If it repeats, the administrator of the answering server has to \
              look at their logs.",
        fix_when_received: Some(
            "Let the queue retry. If it lasts, contact the postmaster of the remote domain with \
             the time and the full reply.",
        ),
        fix_when_sent: Some(
            "Our server hit an internal error. Look in the mail log around that time for \
             milter, content filter, lookup table or disk errors.",
        ),
    },
    CodeEntry {
        code: 452,
        name: "Insufficient system storage",
        reason: "system_error",
        what: "The server cannot take the message for now for lack of storage. At RCPT TO the \
               same code is the standard answer once a transaction has as many recipients as \
               the server takes; the client should send the rest in a later transaction.",
        when: "After RCPT TO once the recipient limit of one message is reached (with 4.5.3), \
               when the receiving server's queue disk runs low (4.3.1), and at some providers \
               for a mailbox over quota (4.2.2).",
        fix: "Look at the enhanced code: 4.5.3 is a recipient limit, 4.3.1 a full disk at the \
              receiver, 4.2.2 a full mailbox. All are temporary and a mail queue retries them.",
        fix_when_received: Some(
            "Nothing to do for a recipient limit: the queue sends the remaining recipients in \
             another transaction. A full disk is the remote side's to fix and a full mailbox \
             the recipient's; contact the remote postmaster if it lasts for days.",
        ),
        fix_when_sent: Some(
            "Check free space on our queue file system (Postfix refuses mail when free space \
             falls below 1.5 times message_size_limit or queue_minfree) and the recipient \
             limit (Postfix smtpd_recipient_limit, Exim recipients_max).",
        ),
    },
    CodeEntry {
        code: 454,
        name: "Temporary authentication or TLS failure",
        reason: "auth_failed",
        what: "Authentication could not be completed for a temporary reason, or TLS cannot be \
               offered right now.",
        when: "After AUTH when the authentication backend is unreachable, or after STARTTLS \
               when the server's TLS setup is broken (Postfix: 454 4.7.0 TLS not available due \
               to local problem).",
        fix: "Retry later. If it repeats, the side that answered must repair its \
              authentication backend or its certificate and key.",
        fix_when_received: Some(
            "Retry later. If it lasts, ask the remote administrator; if the text mentions TLS, \
             it is their certificate setup, not ours.",
        ),
        fix_when_sent: Some(
            "Check our SASL backend (Dovecot auth socket, saslauthd) and our TLS certificate \
             and key files and their permissions.",
        ),
    },
    CodeEntry {
        code: 455,
        name: "Parameters cannot be accommodated",
        reason: "protocol_error",
        what: "The server cannot honour a parameter of MAIL FROM or RCPT TO at the moment.",
        when: "When an extension parameter asks for something the server cannot provide for \
               now.",
        fix: "Retry later, or send without the optional parameter.",
        fix_when_received: None,
        fix_when_sent: None,
    },
    CodeEntry {
        code: 500,
        name: "Syntax error, command unrecognized",
        reason: "protocol_error",
        what: "The server did not understand the command, or the line was too long.",
        when: "When a client sends something that is not SMTP, a typo, or an over-long line; \
               often a scanner or a web client talking to port 25. With 5.5.6 it answers an \
               AUTH line that is too long (RFC 4954).",
        fix: "Make the client speak correct SMTP. Seen from scanners, it can be ignored.",
        fix_when_received: Some(
            "Our client sent something the remote server did not accept: check for a \
             middlebox rewriting the session and for very long header lines.",
        ),
        fix_when_sent: Some(
            "A client sent garbage. Usually a port scanner or a broken script; nothing to fix \
             unless a known application is affected.",
        ),
    },
    CodeEntry {
        code: 501,
        name: "Syntax error in parameters",
        reason: "protocol_error",
        what: "The command was known, but its argument is malformed.",
        when: "Typically a badly written address in MAIL FROM or RCPT TO, or an invalid HELO \
               argument.",
        fix: "Correct the address or the argument that the command carried.",
        fix_when_received: Some(
            "Check the address for stray spaces, missing angle brackets or illegal characters, \
             and the HELO name our server presents.",
        ),
        fix_when_sent: Some(
            "A client sent a malformed address or HELO. If it is a known application, fix its \
             address formatting.",
        ),
    },
    CodeEntry {
        code: 502,
        name: "Command not implemented",
        reason: "protocol_error",
        what: "The server does not support the command it was given.",
        when: "When a client uses an extension the server did not announce, such as VRFY, ETRN \
               or AUTH without it being offered.",
        fix: "Use only the commands the server advertised in its EHLO reply.",
        fix_when_received: None,
        fix_when_sent: None,
    },
    CodeEntry {
        code: 503,
        name: "Bad sequence of commands",
        reason: "protocol_error",
        what: "The command came in the wrong order, for example RCPT before MAIL or DATA with no \
               accepted recipient.",
        when: "When an earlier command failed and the client went on anyway, or when AUTH is \
               sent twice or before EHLO.",
        fix: "Look at the reply to the previous command: the real failure is usually there.",
        fix_when_received: None,
        fix_when_sent: None,
    },
    CodeEntry {
        code: 504,
        name: "Command parameter not implemented",
        reason: "protocol_error",
        what: "The command is supported, but not with that parameter, for instance an AUTH \
               mechanism the server does not offer.",
        when: "Most often after AUTH with a mechanism outside the advertised list.",
        fix: "Pick a parameter or mechanism from the server's EHLO reply.",
        fix_when_received: Some(
            "Restrict our client's SASL mechanisms (Postfix smtp_sasl_mechanism_filter) to \
             ones the relay offers.",
        ),
        fix_when_sent: Some(
            "A client asked for a mechanism we do not offer; enable it or tell the user which \
             ones are available.",
        ),
    },
    CodeEntry {
        code: 521,
        name: "Host does not accept mail",
        reason: "service_unavailable",
        what: "This host takes no mail at all, for any recipient. RFC 7504 defines it for a \
               server that answers connections only to say so: it greets with 521 and may then \
               answer 521 to every command but QUIT.",
        when: "When connecting to a machine that is not meant to receive mail, typically \
               because the domain has no MX record and the sender fell back to the address of \
               its web server, or because an MX record still names a retired host.",
        fix: "Look up the domain's MX records: mail is going to a host that takes none. If the \
              domain publishes no mail server at all, reach the person another way.",
        fix_when_received: Some(
            "Check which host our server connected to and why: a missing MX (fallback to the \
             A record) or a stale MX is the recipient domain's to fix. Retrying will not help.",
        ),
        fix_when_sent: Some(
            "Our host greets clients with 521, which is right if it is not a mail server. If \
             it should receive mail, its SMTP service is configured as a no-mail host.",
        ),
    },
    CodeEntry {
        code: 530,
        name: "Authentication required",
        reason: "auth_required",
        what: "The server wants the client to authenticate, or to start TLS, before this \
               command.",
        when: "At MAIL FROM on a submission service when the client did not log in, or at any \
               command when STARTTLS is mandatory.",
        fix: "Authenticate (and start TLS where required) before sending.",
        fix_when_received: Some(
            "Configure SMTP AUTH for this relay (Postfix smtp_sasl_auth_enable and a password \
             map), and TLS if the text asks for STARTTLS.",
        ),
        fix_when_sent: Some(
            "A client tried to send without logging in. Make sure the mail program is set to \
             authenticate on port 587 or 465.",
        ),
    },
    CodeEntry {
        code: 534,
        name: "Authentication mechanism too weak",
        reason: "auth_failed",
        what: "The server will not accept the chosen AUTH mechanism for this account.",
        when: "When a client uses a plain mechanism where the server wants a stronger one, or \
               when a provider disabled password logins.",
        fix: "Use a stronger mechanism, or the login method the provider requires (often an \
              app password or OAuth).",
        fix_when_received: None,
        fix_when_sent: None,
    },
    CodeEntry {
        code: 535,
        name: "Authentication credentials invalid",
        reason: "auth_failed",
        what: "The user name or password given with AUTH was refused.",
        when: "At the end of an AUTH exchange with a wrong password, a locked account, or a \
               provider that no longer accepts plain passwords.",
        fix: "Check the user name and password, and whether the account needs an app password.",
        fix_when_received: Some(
            "Correct the credentials in our SASL password map for this relay and reload it.",
        ),
        fix_when_sent: Some(
            "A client failed to log in. A few are typos; many from one address are password \
             guessing and worth blocking (fail2ban or similar).",
        ),
    },
    CodeEntry {
        code: 538,
        name: "Encryption required for mechanism",
        reason: "tls_required",
        what: "The AUTH mechanism may only be used inside an encrypted session.",
        when: "When a client tries to authenticate before STARTTLS.",
        fix: "Start TLS first, then authenticate.",
        fix_when_received: Some("Enable TLS for this relay before authentication."),
        fix_when_sent: Some("Tell the user to enable TLS (STARTTLS or implicit) in their client."),
    },
    CodeEntry {
        code: 550,
        name: "Mailbox unavailable",
        reason: "other",
        what: "The action was refused for good: the mailbox does not exist, cannot be reached, \
               or the message was refused by policy.",
        when: "Mostly at RCPT TO for unknown users, and at RCPT or after DATA for blocklists, \
               authentication failures and spam rejections.",
        fix: "Read the enhanced code and the text: an unknown user needs the address fixed or \
              removed, a policy refusal needs its cause fixed before sending again.",
        fix_when_received: Some(
            "Do not resend unchanged. Remove unknown addresses from the list; for a policy \
             refusal, fix the cause the text names (blocklist, SPF, DKIM, DMARC) first.",
        ),
        fix_when_sent: Some(
            "Our server refused a client. Check that the recipient really should not exist or \
             that the restriction that fired is intended.",
        ),
    },
    CodeEntry {
        code: 551,
        name: "User not local",
        reason: "mailbox_disabled",
        what: "The recipient is not hosted here and the server will not forward; it may name \
               the address to use instead.",
        when: "At RCPT TO for a user who has moved to another address.",
        fix: "Update the recipient address to the one given, if any, or ask the person for \
              their new address.",
        fix_when_received: None,
        fix_when_sent: None,
    },
    CodeEntry {
        code: 552,
        name: "Exceeded storage allocation",
        reason: "message_too_large",
        what: "The action was aborted because a storage limit was exceeded: the message is too \
               big, or the mailbox is over quota.",
        when: "At MAIL FROM with a SIZE parameter over the limit, after DATA for a large \
               message, or at RCPT for a full mailbox. RFC 5321 asks clients to treat a 552 \
               answering RCPT as temporary, because old servers sent it for too many \
               recipients.",
        fix: "Send a smaller message (link large files instead of attaching them); a full \
              mailbox needs the recipient to make room.",
        fix_when_received: Some(
            "Tell the sender to shrink the message or share the file by link. If the text says \
             quota, the recipient must clear space.",
        ),
        fix_when_sent: Some(
            "Our size limit refused the message (Postfix message_size_limit, Exim \
             message_size_limit). Raise it only if such messages are legitimate.",
        ),
    },
    CodeEntry {
        code: 553,
        name: "Mailbox name not allowed",
        reason: "bad_address",
        what: "The address is not acceptable: its syntax is wrong, it is not allowed here, or \
               it uses characters the server cannot handle.",
        when: "At MAIL FROM or RCPT TO with a malformed or forbidden address; some providers \
               also use it for blocklist refusals.",
        fix: "Correct the address. If the text mentions a blocklist, treat it as one.",
        fix_when_received: None,
        fix_when_sent: None,
    },
    CodeEntry {
        code: 554,
        name: "Transaction failed",
        reason: "policy",
        what: "The transaction was refused for good. As the greeting it means \"no SMTP service \
               here\" for this client: the server will not talk to it at all. After the end of \
               DATA it refuses the message itself.",
        when: "At connect, for a client IP on a blocklist or with a poor reputation; at RCPT TO \
               for relay refusals and access rules (Postfix answers them with 554); after the \
               final dot for spam, malware or DMARC verdicts on the content.",
        fix: "Note the stage, then read the text. At connect the problem is the client's IP; \
              at RCPT it is the recipient or a relay rule; after DATA it is the message, its \
              authentication or its content.",
        fix_when_received: Some(
            "At connect or RCPT: look our outgoing IP up on the blocklist the text names and \
             ask for removal once the cause is fixed. After DATA: check SPF, DKIM and DMARC \
             results and the content; one message refused while others pass points at its \
             content.",
        ),
        fix_when_sent: Some(
            "Our server refused the client: at connect postscreen or a client access rule, at \
             RCPT the relay or recipient restrictions, after DATA a milter, content filter or \
             header and body checks. The text names the rule; review it if wanted mail is \
             caught.",
        ),
    },
    CodeEntry {
        code: 555,
        name: "MAIL or RCPT parameters not recognized",
        reason: "protocol_error",
        what: "A parameter given with MAIL FROM or RCPT TO (an ESMTP keyword such as SIZE or \
               BODY) is unknown to the server or not implemented.",
        when: "When a client adds a parameter, such as SMTPUTF8, REQUIRETLS or BODY=8BITMIME, \
               that the server did not announce in its EHLO reply; also behind firewalls that \
               rewrite the EHLO reply and hide the server's extensions.",
        fix: "Send only the parameters the server advertised in its EHLO reply.",
        fix_when_received: None,
        fix_when_sent: None,
    },
    CodeEntry {
        code: 556,
        name: "Domain does not accept mail",
        reason: "domain_not_found",
        what: "The recipient's domain has declared that it takes no mail, usually with a null \
               MX record (a single MX pointing at \".\"). RFC 7504 gives this code to a server \
               that is not the destination, such as a relay or submission server, which has \
               found this out on the sender's behalf.",
        when: "At RCPT TO from a submission server or relay that looked the recipient domain \
               up; our own server reports it the same way when it finds the null MX itself.",
        fix: "Stop sending to that domain: its owner says it receives no mail. Check the \
              address for a typo; if it is right, reach the person another way.",
        fix_when_received: None,
        fix_when_sent: None,
    },
];
