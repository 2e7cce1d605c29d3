//! The enhanced status codes of the IANA registry (RFC 3463, 5248 and later), and how an
//! unregistered code is read from its class and subject.
//!
//! Entries are keyed by subject and detail only: `X.2.2` means the same thing as `4.2.2` and
//! `5.2.2`, and the class of the code actually seen decides whether it is transient or
//! permanent. Provider extensions (Microsoft's `5.7.606`, Gmail's `4.7.28`) are not registered;
//! they fall back to their subject here and are recognised by their text in the patterns table.

use crate::codes::{Class, Direction, EnhancedCode, Permanence};

/// What the knowledge base knows about one registered enhanced status code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EnhancedEntry {
    /// The middle number: 0 to 7 in the registry.
    pub subject: u16,
    /// The last number.
    pub detail: u16,
    /// The registry's name, shortened where it helps.
    pub name: &'static str,
    /// The reason category this code suggests (see [`super::REASONS`]).
    pub reason: &'static str,
    /// The document that registered the code.
    pub rfc: &'static str,
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

impl EnhancedEntry {
    /// The advice for one direction, or the general advice where the directions do not differ.
    pub fn fix_for(&self, direction: Direction) -> &'static str {
        match direction {
            Direction::Outbound => self.fix_when_received,
            Direction::Inbound => self.fix_when_sent,
        }
        .unwrap_or(self.fix)
    }

    /// The code written with an `X` for the class, such as `X.7.1`.
    pub fn label(&self) -> String {
        format!("X.{}.{}", self.subject, self.detail)
    }

    #[allow(clippy::too_many_arguments)]
    const fn new(
        subject: u16,
        detail: u16,
        name: &'static str,
        reason: &'static str,
        rfc: &'static str,
        what: &'static str,
        when: &'static str,
        fix: &'static str,
    ) -> Self {
        EnhancedEntry {
            subject,
            detail,
            name,
            reason,
            rfc,
            what,
            when,
            fix,
            fix_when_received: None,
            fix_when_sent: None,
        }
    }

    /// Adds advice that differs by direction.
    const fn directed(mut self, received: &'static str, sent: &'static str) -> Self {
        self.fix_when_received = Some(received);
        self.fix_when_sent = Some(sent);
        self
    }
}

/// The explanation of one enhanced code as seen in a log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Explanation {
    /// The code as seen, with its class.
    pub code: EnhancedCode,
    /// The registry entry, or for an unregistered code the generic `X.n.0` entry of its subject.
    pub entry: &'static EnhancedEntry,
    /// True when the code itself is in the registry.
    pub registered: bool,
}

impl Explanation {
    /// The class of the code as seen.
    pub fn class(&self) -> Class {
        self.code.class()
    }

    /// Transient or permanent (or success), from the class.
    pub fn permanence(&self) -> Permanence {
        self.class().permanence()
    }

    /// The subject in words, such as `security or policy`.
    pub fn subject(&self) -> &'static str {
        subject_label(self.code.subject)
    }

    /// How an unregistered code reads from its parts, such as
    /// `transient, security or policy subject`.
    pub fn summary(&self) -> String {
        format!("{}, {} subject", self.permanence(), self.subject())
    }

    /// The registry name, or for an unregistered code a name built from its parts.
    pub fn name(&self) -> String {
        if self.registered {
            self.entry.name.to_string()
        } else {
            format!("Unregistered code ({})", self.summary())
        }
    }

    /// When the code is seen; for an unregistered code, a sentence saying that only the
    /// sending server knows.
    pub fn when(&self) -> &'static str {
        if self.registered {
            self.entry.when
        } else {
            UNREGISTERED_WHEN
        }
    }

    /// What the code means; for an unregistered code, says so and gives the subject's meaning.
    pub fn what(&self) -> String {
        if self.registered {
            self.entry.what.to_string()
        } else {
            format!(
                "{} is not in the IANA registry, so only its parts speak: {}. {}",
                self.code,
                self.summary(),
                self.entry.what
            )
        }
    }
}

/// When an unregistered code is seen: nothing general can be said, so this says so.
const UNREGISTERED_WHEN: &str = "Only in replies of servers that chose this code for themselves; \
its exact meaning is theirs, so the reply text is the reliable guide.";

/// The subject of an enhanced code in words; `unknown subject` beyond the registered 0 to 7.
pub fn subject_label(subject: u16) -> &'static str {
    match subject {
        0 => "other or undefined",
        1 => "addressing",
        2 => "mailbox",
        3 => "mail system",
        4 => "network and routing",
        5 => "mail delivery protocol",
        6 => "message content or media",
        7 => "security or policy",
        _ => "unknown",
    }
}

/// Looks a code up, falling back to its subject's generic entry, then to `X.0.0`.
pub(crate) fn explain(code: EnhancedCode) -> Explanation {
    let find = |subject: u16, detail: u16| {
        ENHANCED_CODES
            .binary_search_by_key(&(subject, detail), |e| (e.subject, e.detail))
            .ok()
            .map(|i| &ENHANCED_CODES[i])
    };
    match find(code.subject, code.detail) {
        Some(entry) => Explanation {
            code,
            entry,
            registered: true,
        },
        None => Explanation {
            code,
            entry: find(code.subject, 0)
                .or_else(|| find(0, 0))
                .expect("X.0.0 is in the table"),
            registered: false,
        },
    }
}

type E = EnhancedEntry;

/// Every registered enhanced status code, sorted by subject then detail.
pub(crate) static ENHANCED_CODES: &[EnhancedEntry] = &[
    // X.0: other.
    E::new(
        0,
        0,
        "Other undefined status",
        "other",
        "RFC 3463",
        "The server reports only the class; no detail was given.",
        "With replies whose cause the server does not classify, often alongside a descriptive \
         text.",
        "Rely on the reply code and the text; the enhanced code adds nothing here.",
    ),
    // X.1: addressing.
    E::new(
        1,
        0,
        "Other address status",
        "bad_address",
        "RFC 3463",
        "Something is wrong with an address, without a more precise diagnosis.",
        "At MAIL FROM or RCPT TO when an address is refused for an unspecified reason.",
        "Check both the sender and the recipient address for typos and for domains that do not \
         exist.",
    ),
    E::new(
        1,
        1,
        "Bad destination mailbox address",
        "user_unknown",
        "RFC 3463",
        "The recipient's mailbox does not exist: the part before the @ is unknown to the \
         destination.",
        "At RCPT TO, or in a bounce, for a mistyped, deleted or invented address.",
        "Correct the address or remove it from the list; retrying will not help.",
    )
    .directed(
        "Remove the address from mailing lists, or ask the person for a correct one. Many such \
         bounces to one domain may mean its directory changed.",
        "A client sent to a user we do not have. Usually a typo or a dictionary attack; if a \
         real user is affected, check the alias and mailbox maps.",
    ),
    E::new(
        1,
        2,
        "Bad destination system address",
        "domain_not_found",
        "RFC 3463",
        "The recipient's domain or host cannot receive mail: it does not exist or cannot be \
         found.",
        "When the domain part is mistyped, the domain has expired, or its DNS is broken.",
        "Check the domain for typos and look up its MX records; if the domain is gone, remove the \
         address.",
    ),
    E::new(
        1,
        3,
        "Bad destination mailbox address syntax",
        "bad_address",
        "RFC 3463",
        "The recipient address is not written correctly.",
        "At RCPT TO with stray characters, missing parts or spaces in the address.",
        "Fix the way the address is written, or the program that builds it.",
    ),
    E::new(
        1,
        4,
        "Destination mailbox address ambiguous",
        "bad_address",
        "RFC 3463",
        "The recipient address matches more than one mailbox at the destination.",
        "On servers that resolve partial names or aliases, when the name is not unique.",
        "Use the full, exact address of the intended recipient.",
    ),
    E::new(
        1,
        5,
        "Destination address valid",
        "delivered",
        "RFC 3463",
        "The recipient address was accepted.",
        "With 250 replies to RCPT TO, and in success notifications.",
        "Nothing to fix.",
    ),
    E::new(
        1,
        6,
        "Destination mailbox has moved",
        "mailbox_disabled",
        "RFC 3463",
        "The mailbox used to exist but has moved, and no forwarding address is known.",
        "For people who left an organisation or changed provider.",
        "Stop using the address and ask the person for the new one.",
    ),
    E::new(
        1,
        7,
        "Bad sender's mailbox address syntax",
        "sender_rejected",
        "RFC 3463",
        "The sender address in MAIL FROM is malformed.",
        "When an application builds the envelope sender badly, or leaves it as a bare name.",
        "Correct the envelope sender address the sending program uses.",
    ),
    E::new(
        1,
        8,
        "Bad sender's system address",
        "sender_rejected",
        "RFC 3463",
        "The domain of the sender address cannot be used: it does not exist or has no mail \
         DNS.",
        "When mail is sent from an unregistered or internal domain such as a host name with no \
         MX or A record.",
        "Send from a real, resolvable domain.",
    )
    .directed(
        "Our envelope sender uses a domain others cannot resolve; set a public domain (Postfix \
         myorigin, sender_canonical_maps) or publish DNS for it.",
        "A client used a sender domain that does not resolve. That is usually spam; for a real \
         partner, they must fix their DNS.",
    ),
    E::new(
        1,
        9,
        "Message relayed to non-compliant mailer",
        "delivered",
        "RFC 3886",
        "The message was passed to a system that cannot return delivery status in the \
         standard way.",
        "In delivery status notifications from gateways to other mail systems.",
        "Nothing to fix; do not expect further status reports for this message.",
    ),
    E::new(
        1,
        10,
        "Recipient address has null MX",
        "domain_not_found",
        "RFC 7505",
        "The recipient's domain publishes a null MX: it states that it accepts no mail.",
        "When mail goes to a domain used only for web or for sending.",
        "Stop sending to that domain; check the address for a typo.",
    ),
    // X.2: mailbox.
    E::new(
        2,
        0,
        "Other or undefined mailbox status",
        "other",
        "RFC 3463",
        "The mailbox exists, but something about it prevents delivery.",
        "When the receiving side does not classify the mailbox problem further.",
        "Retry if the class is transient; otherwise read the text and contact the recipient \
         another way.",
    ),
    E::new(
        2,
        1,
        "Mailbox disabled, not accepting messages",
        "mailbox_disabled",
        "RFC 3463",
        "The mailbox exists but is switched off, suspended or not taking mail.",
        "For closed, suspended or inactive accounts, and on some providers for per-recipient \
         rate limits.",
        "Stop sending if it is permanent; if transient, retry later.",
    )
    .directed(
        "A permanent one means the account is closed: remove the address. A transient one may \
         be a rate limit at the recipient: send more slowly.",
        "One of our mailboxes is disabled. Re-enable it or make the address bounce clearly.",
    ),
    E::new(
        2,
        2,
        "Mailbox full",
        "mailbox_full",
        "RFC 3463",
        "The recipient's mailbox has reached its storage quota.",
        "When a mailbox has reached its quota: often an abandoned account that still receives \
         mail, or a user who never deletes anything.",
        "The recipient has to delete or archive mail. A 4.2.2 is retried by the queue; a \
         5.2.2 has already bounced, so send again only once the recipient has made room.",
    )
    .directed(
        "Nothing to fix on our side: let a 4.2.2 retry, and after a 5.2.2 reach the recipient \
         another way. A mailbox that stays full for weeks is often abandoned.",
        "One of our users is over quota. Tell them, or raise the quota.",
    ),
    E::new(
        2,
        3,
        "Message length exceeds administrative limit",
        "message_too_large",
        "RFC 3463",
        "The message is larger than the recipient's mailbox allows.",
        "For large attachments sent to mailboxes with a per-message limit.",
        "Send a smaller message, or share large files by link.",
    ),
    E::new(
        2,
        4,
        "Mailing list expansion problem",
        "other",
        "RFC 3463",
        "The recipient is a mailing list that could not be expanded into its members.",
        "When a list's member file or its lookup fails.",
        "The list's owner must repair the list; retry later if transient.",
    ),
    // X.3: mail system.
    E::new(
        3,
        0,
        "Other or undefined mail system status",
        "system_error",
        "RFC 3463",
        "The destination's mail system has a problem it does not describe further.",
        "When the receiving server fails internally.",
        "Retry later; if it persists, contact the postmaster of the destination.",
    ),
    E::new(
        3,
        1,
        "Mail system full",
        "system_error",
        "RFC 3463",
        "The receiving system has run out of storage.",
        "When a server's queue or spool disk is full.",
        "Retry later; the administrator of that server must free space.",
    )
    .directed(
        "Let it retry; the remote side must free disk space.",
        "Our disk is full: free space in the queue and mailbox file systems now.",
    ),
    E::new(
        3,
        2,
        "System not accepting network messages",
        "service_unavailable",
        "RFC 3463",
        "The server is not taking mail from the network at the moment.",
        "During maintenance or shutdown, and from postscreen-style gatekeepers that turn \
         clients away.",
        "Retry later.",
    ),
    E::new(
        3,
        3,
        "System not capable of selected features",
        "protocol_error",
        "RFC 3463",
        "The receiving system cannot provide a feature the message needs.",
        "When a message needs an extension that a later hop does not support.",
        "Send without the feature, or through a path that supports it.",
    ),
    E::new(
        3,
        4,
        "Message too big for system",
        "message_too_large",
        "RFC 3463",
        "The message is larger than the receiving system accepts at all.",
        "After MAIL FROM with a SIZE over the limit, or after DATA.",
        "Send a smaller message, or share large files by link.",
    )
    .directed(
        "The remote limit is lower than our message: shrink it, or link large files.",
        "Our message_size_limit refused it; raise the limit only if such messages are wanted.",
    ),
    E::new(
        3,
        5,
        "System incorrectly configured",
        "system_error",
        "RFC 3463",
        "The receiving system is misconfigured and cannot deliver.",
        "When a server's routing, aliases or transport settings are broken; also when mail \
         loops back to the server itself.",
        "Only the administrator of that system can fix it; tell them.",
    ),
    E::new(
        3,
        6,
        "Requested priority was changed",
        "delivered",
        "RFC 6710",
        "The message was accepted, but with a different priority than asked for.",
        "With the MT-PRIORITY extension, when a server lowers the requested priority.",
        "Nothing to fix.",
    ),
    // X.4: network and routing.
    E::new(
        4,
        0,
        "Other or undefined network or routing status",
        "routing_error",
        "RFC 3463",
        "Something went wrong with the network or with routing, without further detail.",
        "When the sending server cannot reach or route to the destination.",
        "Check DNS and connectivity towards the destination; retry later.",
    ),
    E::new(
        4,
        1,
        "No answer from host",
        "connection_failed",
        "RFC 3463",
        "The destination server did not answer the connection attempt.",
        "When the server is down, a firewall drops port 25, or the MX points to a wrong \
         address. Microsoft also uses 5.4.1 for recipients refused by its directory.",
        "Check that the destination's MX host accepts connections on port 25; retry later.",
    )
    .directed(
        "Test a connection to the MX host on port 25 from our server; many networks block \
         outgoing port 25.",
        "A client could not reach us: check our firewall and that the service listens.",
    ),
    E::new(
        4,
        2,
        "Bad connection",
        "connection_failed",
        "RFC 3463",
        "The connection was made but broke or misbehaved during the transaction.",
        "With dropped sessions, timeouts in the middle of data, or a peer closing on us.",
        "Retry later; if it repeats with one host, look for MTU problems or a middlebox.",
    ),
    E::new(
        4,
        3,
        "Directory server failure",
        "domain_not_found",
        "RFC 3463",
        "A lookup service the server needs, usually DNS, failed.",
        "When DNS times out or returns a server failure for the destination domain.",
        "Retry later. If it lasts, check the domain's name servers and our resolver.",
    ),
    E::new(
        4,
        4,
        "Unable to route",
        "routing_error",
        "RFC 3463",
        "No route to the destination could be found, for instance no MX and no address \
         record.",
        "For domains without usable mail DNS, or with routing settings that lead nowhere.",
        "Check the recipient domain's DNS; remove the address if the domain is gone.",
    ),
    E::new(
        4,
        5,
        "Mail system congestion",
        "rate_limited",
        "RFC 3463",
        "The mail system is congested and cannot take more for now.",
        "When a server is overloaded or throttles incoming sessions.",
        "Retry later and send more slowly to that destination.",
    ),
    E::new(
        4,
        6,
        "Routing loop detected",
        "routing_error",
        "RFC 3463",
        "The message went around in circles between servers.",
        "When two servers each believe the other is responsible for a domain, or forwarding \
         rules point back at each other.",
        "Fix the MX, transport or forwarding settings that make the loop.",
    ),
    E::new(
        4,
        7,
        "Delivery time expired",
        "expired",
        "RFC 3463",
        "The message stayed undeliverable for longer than the queue lifetime and was given up.",
        "After days of deferrals, the final bounce.",
        "Look at the earlier deferrals of this message: their reason is the real cause.",
    ),
    // X.5: mail delivery protocol.
    E::new(
        5,
        0,
        "Other or undefined protocol status",
        "protocol_error",
        "RFC 3463",
        "The SMTP dialogue went wrong in a way not described further.",
        "With broken clients or middleboxes that interfere with the session.",
        "Look at the reply text and the command that preceded it.",
    ),
    E::new(
        5,
        1,
        "Invalid command",
        "protocol_error",
        "RFC 3463",
        "The command is not valid here: unknown, out of order, or not allowed now.",
        "When a client sends commands in the wrong order or ones the server does not support.",
        "Check the client's SMTP dialogue; usually the previous reply explains the failure.",
    ),
    E::new(
        5,
        2,
        "Syntax error",
        "protocol_error",
        "RFC 3463",
        "The command could not be parsed.",
        "For misspelt commands, bad line endings or over-long lines.",
        "Fix the client, or ignore it when it is a scanner.",
    ),
    E::new(
        5,
        3,
        "Too many recipients",
        "too_many_recipients",
        "RFC 3463",
        "The message has more recipients than the server takes at once.",
        "At RCPT TO after the limit for one transaction or one session is reached.",
        "Split the recipients over several messages; an MTA retries the rest by itself.",
    ),
    E::new(
        5,
        4,
        "Invalid command arguments",
        "protocol_error",
        "RFC 3463",
        "The command was understood but an argument is not acceptable.",
        "For bad addresses, unknown parameters or invalid values in a command.",
        "Correct the argument the client sends.",
    ),
    E::new(
        5,
        5,
        "Wrong protocol version",
        "protocol_error",
        "RFC 3463",
        "The two sides do not agree on the protocol version.",
        "Rarely, with very old or very unusual mail software.",
        "Update the client or the server software.",
    ),
    E::new(
        5,
        6,
        "Authentication exchange line too long",
        "auth_failed",
        "RFC 4954",
        "A line of the AUTH exchange was longer than the server accepts.",
        "With large tokens, for example OAuth, sent to a server with a short line limit.",
        "Use a mechanism with shorter lines, or raise the server's limit.",
    ),
    // X.6: message content or media.
    E::new(
        6,
        0,
        "Other or undefined media error",
        "content_rejected",
        "RFC 3463",
        "Something about the content or its format prevented delivery.",
        "For malformed MIME, bad headers or encodings the receiver refuses.",
        "Check how the message is built: headers, MIME structure and encoding.",
    ),
    E::new(
        6,
        1,
        "Media not supported",
        "content_rejected",
        "RFC 3463",
        "The message uses a media type the destination does not support.",
        "For unusual attachments or content types a gateway cannot carry.",
        "Send the content in a common format.",
    ),
    E::new(
        6,
        2,
        "Conversion required and prohibited",
        "content_rejected",
        "RFC 3463",
        "The content must be converted for the next hop, but the message forbids conversion.",
        "For 8-bit or binary content towards a system that only takes 7-bit.",
        "Encode the message for 7-bit transport (quoted-printable or base64).",
    ),
    E::new(
        6,
        3,
        "Conversion required but not supported",
        "content_rejected",
        "RFC 3463",
        "The content must be converted, and the server cannot do it.",
        "For 8-bit content to a system that cannot take it and cannot convert it.",
        "Encode the message for 7-bit transport before sending.",
    ),
    E::new(
        6,
        4,
        "Conversion with loss performed",
        "delivered",
        "RFC 3463",
        "The message was delivered, but converting it lost some information.",
        "In status reports from gateways that had to downgrade content.",
        "Nothing to fix unless the loss matters; then send in a simpler format.",
    ),
    E::new(
        6,
        5,
        "Conversion failed",
        "content_rejected",
        "RFC 3463",
        "A needed conversion of the content was tried and failed.",
        "For malformed content that a gateway cannot convert.",
        "Check the message encoding and MIME structure.",
    ),
    E::new(
        6,
        6,
        "Message content not available",
        "content_rejected",
        "RFC 4468",
        "Content the message refers to could not be fetched.",
        "With the BURL extension, when referenced content cannot be retrieved.",
        "Check the URL authorisation given to the submission server.",
    ),
    E::new(
        6,
        7,
        "Non-ASCII addresses not permitted",
        "bad_address",
        "RFC 6531",
        "An address contains non-ASCII characters and the path does not allow them.",
        "When an internationalised address meets a server without SMTPUTF8.",
        "Use an ASCII address for this correspondent, or a path that supports SMTPUTF8.",
    ),
    E::new(
        6,
        8,
        "UTF-8 reply required but not permitted",
        "bad_address",
        "RFC 6531",
        "The reply would need UTF-8, which the client did not announce it can take.",
        "During VRFY or EXPN on internationalised addresses.",
        "Have the client announce SMTPUTF8, or use ASCII addresses.",
    ),
    E::new(
        6,
        9,
        "UTF-8 header cannot be transferred",
        "content_rejected",
        "RFC 6531",
        "The message has UTF-8 headers that cannot be passed to some recipient.",
        "When a later hop lacks SMTPUTF8 support.",
        "Send with ASCII headers to such recipients.",
    ),
    E::new(
        6,
        10,
        "UTF-8 reply required (duplicate of X.6.8)",
        "bad_address",
        "RFC 6531",
        "The same as X.6.8, registered twice by mistake and kept only for compatibility.",
        "Rarely; X.6.8 is the code to expect.",
        "As for X.6.8: announce SMTPUTF8 or use ASCII addresses.",
    ),
    // X.7: security or policy.
    E::new(
        7,
        0,
        "Other or undefined security status",
        "policy",
        "RFC 3463",
        "A security or policy check failed, without saying which. Outside an AUTH exchange it \
         is not a login problem.",
        "With many kinds of refusal. 4.7.0 comes mostly with 421 for throttling or a TLS \
         demand (Gmail, Yahoo) and with 454 when TLS or authentication is unavailable for now; \
         5.7.0 with 530 for a missing login or STARTTLS, with 535 for a failed login, and with \
         550 or 554 for policy and malware blocks.",
        "Read the reply code and the text together: the reply code says at which step it \
         failed and the text names the check. Treat it as a login problem only in answer to \
         AUTH.",
    ),
    E::new(
        7,
        1,
        "Delivery not authorized, message refused",
        "policy",
        "RFC 3463",
        "The receiver refuses the message on policy grounds: the sender, its IP, the \
         relationship or the content is not allowed.",
        "For relay refusals, blocklisted IPs, spam verdicts and local access rules; the most \
         common policy code.",
        "Read the text for the rule that fired and fix that cause before sending again.",
    )
    .directed(
        "Check our sending IP on the blocklist the text names, our SPF, DKIM and DMARC, and \
         the content. For a relay refusal, the recipient domain's MX points at the wrong host.",
        "Our restrictions refused the client. Review the rule in the text if legitimate mail \
         is caught; relay refusals to strangers are correct.",
    ),
    E::new(
        7,
        2,
        "Mailing list expansion prohibited",
        "policy",
        "RFC 3463",
        "The sender may not post to this mailing list.",
        "For moderated or members-only lists.",
        "Subscribe, or ask the list owner for permission to post.",
    ),
    E::new(
        7,
        3,
        "Security conversion required but not possible",
        "policy",
        "RFC 3463",
        "The message would have to be converted from one security format to another, which \
         cannot be done.",
        "For signed or encrypted mail passing through a gateway.",
        "Send in a security format the recipient supports.",
    ),
    E::new(
        7,
        4,
        "Security features not supported",
        "policy",
        "RFC 3463",
        "A security feature requested for the message is not supported by the receiver.",
        "For AUTH mechanisms or protection features the server lacks.",
        "Use a feature the server advertises.",
    ),
    E::new(
        7,
        5,
        "Cryptographic failure",
        "tls_failure",
        "RFC 3463",
        "A cryptographic operation failed, for example verifying or decrypting the message.",
        "For broken signatures or encryption.",
        "Check keys, certificates and the signing or encryption software.",
    ),
    E::new(
        7,
        6,
        "Cryptographic algorithm not supported",
        "tls_failure",
        "RFC 3463",
        "The receiver does not support the cryptographic algorithm used.",
        "For old or unusual algorithms in signatures or encryption.",
        "Use a current, widely supported algorithm.",
    ),
    E::new(
        7,
        7,
        "Message integrity failure",
        "content_rejected",
        "RFC 3463",
        "The message was changed in transit or its integrity check does not hold.",
        "When content was altered after signing.",
        "Find what rewrites the message between signing and delivery.",
    ),
    E::new(
        7,
        8,
        "Authentication credentials invalid",
        "auth_failed",
        "RFC 4954",
        "The user name or password given with AUTH was refused.",
        "At the end of an AUTH exchange with wrong or expired credentials.",
        "Check the credentials; some providers need an app password.",
    )
    .directed(
        "Correct the relay credentials in our SASL password map and reload.",
        "A client failed to log in; many failures from one IP are password guessing.",
    ),
    E::new(
        7,
        9,
        "Authentication mechanism too weak",
        "auth_failed",
        "RFC 4954",
        "The chosen AUTH mechanism is not strong enough for this account or server.",
        "When plain mechanisms are refused, or password logins are turned off.",
        "Use a stronger mechanism or the login method the provider requires.",
    ),
    E::new(
        7,
        10,
        "Encryption needed",
        "tls_required",
        "RFC 5248",
        "The command or mechanism may only be used over an encrypted connection.",
        "When a client tries something sensitive without STARTTLS.",
        "Start TLS first.",
    ),
    E::new(
        7,
        11,
        "Encryption required for authentication mechanism",
        "tls_required",
        "RFC 4954",
        "This AUTH mechanism may only be used inside an encrypted session.",
        "When a client authenticates before STARTTLS.",
        "Start TLS first, then authenticate.",
    ),
    E::new(
        7,
        12,
        "Password transition needed",
        "auth_required",
        "RFC 4954",
        "The account must change its password before it may authenticate.",
        "On servers that force a password change or migration.",
        "Set a new password and authenticate again.",
    ),
    E::new(
        7,
        13,
        "User account disabled",
        "mailbox_disabled",
        "RFC 5248",
        "The account has been disabled.",
        "For suspended or closed accounts, at AUTH or at delivery.",
        "Stop using the account or have it re-enabled by its provider.",
    ),
    E::new(
        7,
        14,
        "Trust relationship required",
        "policy",
        "RFC 5248",
        "The server only accepts this from parties it has an agreement with.",
        "On closed systems that take mail only from known partners.",
        "Set up the required agreement with the receiving organisation.",
    ),
    E::new(
        7,
        15,
        "Priority level too low",
        "policy",
        "RFC 6710",
        "The message's priority is too low to be accepted now.",
        "With the MT-PRIORITY extension under load.",
        "Retry later, or send with a higher priority if allowed.",
    ),
    E::new(
        7,
        16,
        "Message too big for the specified priority",
        "message_too_large",
        "RFC 6710",
        "At the requested priority, this message is larger than allowed.",
        "With the MT-PRIORITY extension, which may set size limits per priority.",
        "Send it smaller, or with a lower priority.",
    ),
    E::new(
        7,
        17,
        "Mailbox owner has changed",
        "mailbox_disabled",
        "RFC 7293",
        "The mailbox now belongs to someone other than the intended recipient.",
        "With the RRVS extension, when an address was reassigned.",
        "Do not send there; confirm the recipient's current address.",
    ),
    E::new(
        7,
        18,
        "Domain owner has changed",
        "mailbox_disabled",
        "RFC 7293",
        "The domain has changed hands since the recipient was known to use it.",
        "With the RRVS extension, after a domain was sold or re-registered.",
        "Do not send there; confirm the recipient's current address.",
    ),
    E::new(
        7,
        19,
        "RRVS test cannot be completed",
        "policy",
        "RFC 7293",
        "The server cannot check whether the mailbox changed owner.",
        "With the RRVS extension, when the required data is missing.",
        "Retry without the RRVS requirement, or confirm the address otherwise.",
    ),
    E::new(
        7,
        20,
        "No passing DKIM signature found",
        "dkim_fail",
        "RFC 7372",
        "The message has no DKIM signature that verifies.",
        "When signing is missing, or content was changed after signing.",
        "Sign outgoing mail with DKIM and publish the matching key in DNS.",
    ),
    E::new(
        7,
        21,
        "No acceptable DKIM signature found",
        "dkim_fail",
        "RFC 7372",
        "DKIM signatures verify, but none meets the receiver's requirements.",
        "For signatures with weak keys, wrong algorithms or an unexpected signing domain.",
        "Sign with a 2048-bit RSA key (or Ed25519 alongside) and the domain the receiver \
         expects.",
    ),
    E::new(
        7,
        22,
        "No valid author-matched DKIM signature found",
        "dkim_fail",
        "RFC 7372",
        "No verifying DKIM signature uses the domain of the From header.",
        "When a third party signs with its own domain only.",
        "Sign with the From domain (d= equal to it or its parent).",
    ),
    E::new(
        7,
        23,
        "SPF validation failed",
        "spf_fail",
        "RFC 7372",
        "The sending IP is not allowed by the SPF record of the envelope sender's domain.",
        "When mail is sent from a server or service missing from the SPF record.",
        "Add the sending IP or the service's include to the SPF record.",
    )
    .directed(
        "Add our outgoing IP to the SPF record of the envelope sender's domain.",
        "The client is not in its domain's SPF: forged sender or their SPF is incomplete.",
    ),
    E::new(
        7,
        24,
        "SPF validation error",
        "spf_fail",
        "RFC 7372",
        "The SPF record could not be evaluated: a DNS error, a syntax error, or too many \
         lookups.",
        "With broken SPF records or ten-plus DNS lookups in includes; transient when DNS \
         timed out.",
        "Check the SPF record with a validator and keep it under ten lookups.",
    ),
    E::new(
        7,
        25,
        "Reverse DNS validation failed",
        "reverse_dns",
        "RFC 7372",
        "The sending IP has no PTR record, or the PTR name does not resolve back to that IP.",
        "For servers on addresses without reverse DNS set up by the network provider.",
        "Have the IP's owner publish a PTR to a name that resolves back to the same IP.",
    )
    .directed(
        "Ask our hosting or network provider to set a PTR for our outgoing IP, matching a \
         name that resolves back to it and used in HELO.",
        "The client lacks reverse DNS. That is common for botnets; real servers must fix it.",
    ),
    E::new(
        7,
        26,
        "Multiple authentication checks failed",
        "dmarc_policy",
        "RFC 7372",
        "Several sender authentication checks failed together, typically SPF and DKIM so that \
         DMARC fails.",
        "For unauthenticated or forged mail, or when a forwarder breaks both checks.",
        "Make SPF or DKIM pass and align with the From domain.",
    ),
    E::new(
        7,
        27,
        "Sender address has null MX",
        "sender_rejected",
        "RFC 7505",
        "The sender's domain publishes a null MX, so replies could not be delivered.",
        "When mail claims to come from a domain that declares it takes no mail.",
        "Send from a domain that can receive replies and bounces.",
    ),
    E::new(
        7,
        28,
        "Mail flood detected",
        "rate_limited",
        "IANA registry",
        "The message looks like part of a flood of similar unwanted mail.",
        "When many nearly identical messages arrive from one source.",
        "Slow down, stop sending unwanted mail, and check for a compromised account.",
    ),
    E::new(
        7,
        29,
        "ARC validation failure",
        "policy",
        "RFC 8617",
        "The ARC chain that should vouch for a forwarded message does not validate.",
        "For mail passed through lists or forwarders that sign ARC incorrectly.",
        "The forwarder must fix its ARC signing.",
    ),
    E::new(
        7,
        30,
        "REQUIRETLS support required",
        "tls_required",
        "RFC 8689",
        "The message demands TLS all the way, and a hop on the path cannot promise it.",
        "With the REQUIRETLS extension towards servers that lack it.",
        "Send without REQUIRETLS, or by a path whose servers support it.",
    ),
];
