//! What to do about the problems an MTA reports about itself, by the words that tell their
//! kind. A message reaches these rules as its shape (see [`crate::kinds::shape_of`]),
//! so the words looked for are the ones that stay the same from line to line.

/// Words found in a message, and what to do when they are.
struct Hint {
    /// Every one of these must be in the message.
    words: &'static [&'static str],
    advice: &'static str,
}

/// The first rule whose words are all found wins, so narrower rules come first.
const HINTS: &[Hint] = &[
    Hint {
        words: &["does not resolve to address"],
        advice: "The client's name does not lead back to its address (its own DNS): nothing \
                 to fix here. It matters only where restrictions such as \
                 reject_unknown_client_hostname refuse such clients.",
    },
    Hint {
        words: &["hostname", "verification failed"],
        advice: "The client's reverse DNS name could not be looked up forward: its own DNS, \
                 nothing to fix here.",
    },
    Hint {
        words: &["address not listed for hostname"],
        advice: "The client's reverse DNS name leads to other addresses: its own DNS, nothing \
                 to fix here.",
    },
    Hint {
        words: &["is older than source file"],
        advice: "A lookup table was edited but not rebuilt: run postmap (or postalias) on the \
                 source file named; Postfix then reads the new one by itself.",
    },
    Hint {
        words: &["unsupported dictionary type"],
        advice: "This Postfix cannot read that kind of table: install the package that adds \
                 it (postfix-mysql, postfix-pgsql, postfix-lmdb, postfix-cdb, ...) and check \
                 that dynamicmaps.cf lists it, or change the table type in main.cf.",
    },
    Hint {
        words: &["is unavailable"],
        advice: "A lookup table could not be opened: mail that needs it waits in the queue. \
                 Build the missing file with postmap, or check that the database server it \
                 names answers and that Postfix may read the file.",
    },
    Hint {
        words: &["lookup error for DNS query"],
        advice: "A DNS blocklist did not answer: check the resolver. Spamhaus and others \
                 refuse queries that come through public resolvers.",
    },
    Hint {
        words: &["lookup error"],
        advice: "A lookup failed for a moment (a table, a database or DNS that did not \
                 answer); the mail concerned is deferred and retried. Check the table or \
                 server named.",
    },
    Hint {
        words: &["map lookup problem"],
        advice: "A lookup table needed to accept a message did not answer, so the message was \
                 refused with a temporary error and the client will retry. Check the map \
                 named (file built, database server up).",
    },
    Hint {
        words: &["Milter"],
        advice: "A milter (opendkim, rspamd, ...) does not answer where smtpd_milters or \
                 non_smtpd_milters point: start it, or fix the address. \
                 milter_default_action decides whether mail waits (tempfail) or goes on \
                 unchecked (accept) meanwhile.",
    },
    Hint {
        words: &["milter "],
        advice: "A milter broke off the conversation: check its own log. \
                 milter_default_action decides what happened to the message.",
    },
    Hint {
        words: &["cannot connect to saslauthd server"],
        advice: "saslauthd is not running, or its socket is not where Postfix (maybe \
                 chrooted) looks: every login fails until it is back.",
    },
    Hint {
        words: &["Password verification failed"],
        advice: "A login with a wrong password, as the SASL library tells it (the failed \
                 login that follows is counted as a refusal): nothing to fix unless a real \
                 user is locked out.",
    },
    Hint {
        words: &["no secret in database"],
        advice: "A login for a user the SASL database does not know, as password guessing \
                 makes: nothing to fix unless a real user is refused.",
    },
    Hint {
        words: &["SASL authentication failure"],
        advice: "The SASL library could not check a login; the rest of the message says why \
                 (a back end such as Dovecot auth or saslauthd not answering, or an unknown \
                 user). Check the back end and its own log when it is not about one user.",
    },
    Hint {
        words: &["TLS library problem"],
        advice: "A TLS session failed: a peer that hung up during the handshake, or a \
                 certificate not trusted. Rare ones are noise; many for one peer are worth a \
                 look at its certificate or protocol versions.",
    },
    Hint {
        words: &["read/write timeout"],
        advice: "A TLS peer stopped answering mid-session: usually the client's network, \
                 nothing to fix unless it is frequent.",
    },
    Hint {
        words: &["non-SMTP command"],
        advice: "Something other than a mail client (an HTTP probe, a scanner) spoke to the \
                 SMTP port: nothing to fix.",
    },
    Hint {
        words: &["Illegal address syntax"],
        advice: "A client sent an address Postfix cannot read; usually a broken script or a \
                 spam tool. Nothing to fix unless a real sender is refused.",
    },
    Hint {
        words: &["has reached its process limit"],
        advice: "Every process of that service was busy, so new clients waited: raise its \
                 maxproc in master.cf (or default_process_limit), or find why sessions last \
                 so long (slow DNS, a slow milter).",
    },
    Hint {
        words: &["bad command startup -- throttling"],
        advice: "A daemon keeps dying as it starts, so master waits before each restart and \
                 mail stalls: the fatal line written just before names the cause.",
    },
    Hint {
        words: &["exit status"],
        advice: "A daemon exited on an error: the fatal or panic line just before it, from \
                 the same pid, names the cause.",
    },
    Hint {
        words: &["killed by signal"],
        advice: "A daemon was killed by a signal: 9 or 15 from outside (the kernel's \
                 out-of-memory killer, an administrator), 6 after a panic, 11 a crash. Check \
                 the system log at that time.",
    },
    Hint {
        words: &["Address already in use"],
        advice: "Another program, or a second Postfix, holds the port: find it with \
                 `ss -ltnp`, stop it, then start Postfix.",
    },
    Hint {
        words: &["already running"],
        advice: "A start was asked of a Postfix already running: nothing to fix.",
    },
    Hint {
        words: &["active queue entries"],
        advice: "One destination (often a content filter) holds the whole active queue: it \
                 takes mail more slowly than it comes. Speed it up, or give it its own \
                 transport with its own limits.",
    },
    Hint {
        words: &["reduce smtp connect and helo timeouts"],
        advice: "Deliveries wait on unresponsive servers; shorter smtp_connect_timeout and \
                 smtp_helo_timeout free the processes sooner.",
    },
    Hint {
        words: &["corrupt", "file"],
        advice: "Postfix found a damaged queue file and set it aside in the corrupt queue: \
                 look at it with postcat, delete it with postsuper -d, and look for disk \
                 errors if it happens again.",
    },
    Hint {
        words: &["to subsystem"],
        advice: "A Postfix service (private/proxymap, private/rewrite, ...) did not answer: \
                 check that master runs and that the service is enabled in master.cf; a \
                 chrooted daemon needs the socket inside its chroot.",
    },
    Hint {
        words: &["problem talking to service"],
        advice: "A Postfix service did not answer in time or closed the connection: check \
                 that master runs it (master.cf) and look for its own warnings.",
    },
    Hint {
        words: &["open", "No such file or directory"],
        advice: "A file named in the configuration is missing: create it (postmap a table's \
                 source, newaliases for aliases) or fix the path in main.cf or master.cf.",
    },
    Hint {
        words: &["Permission denied"],
        advice: "Postfix may not open a file it needs: check its owner and mode, and that the \
                 path exists inside the chroot if the service is chrooted.",
    },
    Hint {
        words: &["Connection refused"],
        advice: "A service Postfix talks to is not listening: start it or fix the address.",
    },
];

/// What to do about a problem of the kind `shape` tells, when it is a known one.
pub fn hint(shape: &str) -> Option<&'static str> {
    HINTS
        .iter()
        .find(|hint| hint.words.iter().all(|word| shape.contains(word)))
        .map(|hint| hint.advice)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::shape_of;

    #[test]
    fn common_kinds_get_their_own_advice() {
        for (message, expected) in [
            (
                "hostname mail.example.com does not resolve to address 192.0.2.25: Name or service not known",
                "its own DNS",
            ),
            (
                "database /etc/postfix/virtual.db is older than source file /etc/postfix/virtual",
                "postmap",
            ),
            (
                "hash:/etc/postfix/transport is unavailable. open database /etc/postfix/transport.db: No such file or directory",
                "could not be opened",
            ),
            (
                "connect to Milter service inet:127.0.0.1:8891: Connection refused",
                "milter_default_action",
            ),
            (
                "open /etc/postfix/main.cf: No such file or directory",
                "is missing",
            ),
            ("bind 0.0.0.0 port 25: Address already in use", "ss -ltnp"),
            (
                "SASL authentication failure: Password verification failed",
                "wrong password",
            ),
            (
                "hash:/etc/postfix/transport is unavailable. unsupported dictionary type: hash",
                "install the package",
            ),
            (
                "connect #3 to subsystem private/proxymap: No such file or directory",
                "master runs",
            ),
            (
                "SASL authentication failure: no secret in database",
                "password guessing",
            ),
        ] {
            let shape = shape_of(message);
            let advice = hint(&shape).unwrap_or_else(|| panic!("{shape}"));
            assert!(advice.contains(expected), "{shape}: {advice}");
        }
        assert_eq!(hint("frobnicator is cross today"), None);
    }
}
