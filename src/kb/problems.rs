//! What to do about the problems an MTA reports about itself, by the words that tell their
//! kind. A message reaches these rules as its shape (see [`crate::kinds::shape_of`]),
//! so the words looked for are the ones that stay the same from line to line.

use crate::event::LogFormat;
use crate::parse::program_of;

/// Words found in a message, and what to do when they are.
struct Hint {
    /// Every one of these must be in the message.
    words: &'static [&'static str],
    advice: &'static str,
}

/// Postfix's kinds. The first rule whose words are all found wins, so narrower rules come
/// first.
const POSTFIX: &[Hint] = &[
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
        words: &["RBL lookup error"],
        advice: "smtpd got no answer from a DNS blocklist about a client (a timeout or a \
                 server failure at the resolver) and let the client through unchecked: \
                 nothing was deferred, the list was simply not applied. Lines that keep \
                 coming point at the resolver: run a local caching resolver that asks the \
                 lists itself. Spamhaus answers queries from public resolvers with \
                 127.255.255.x error codes instead; filter list answers \
                 (zen.spamhaus.org=127.0.0.[2..11]) so that those are not taken for listings.",
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

/// Exim writes a failed fork in several ways (`Fork failed for ...`, `fork() failed when ...`).
const EXIM_COULD_NOT_FORK: &str = "Exim could not start a process: the host is short of \
                                   processes or memory (ulimit -u, the load, the \
                                   out-of-memory killer). Mail waits until it can.";

/// Exim's kinds, in the same order.
const EXIM: &[Hint] = &[
    Hint {
        words: &["No space left on device"],
        advice: "A disk is full: Exim cannot write its spool or its log and refuses or defers \
                 mail until space is freed. Free space now (`df -h` on the spool and log \
                 directories), and set check_spool_space so that Exim refuses mail politely \
                 before the disk fills.",
    },
    Hint {
        words: &["configuration file"],
        advice: "Exim cannot find or will not trust its configuration file: the file must \
                 exist, belong to root (or the Exim user) and not be writable by others. On \
                 Debian, run update-exim4.conf to rebuild it.",
    },
    Hint {
        words: &["Taint mismatch"],
        advice: "Exim stopped on an internal check about tainted data: a bug of that release, \
                 fixed in later ones. Upgrade Exim.",
    },
    Hint {
        words: &["DB file"],
        advice: "Exim could not open one of its hints databases (retry, wait-*, misc in the \
                 spool's db directory): check that the Exim user owns them and that the disk \
                 has space. They only hold hints: with Exim stopped they can be deleted, and \
                 are made again.",
    },
    Hint {
        words: &["lock for"],
        advice: "Exim could not lock one of its hints databases in time: another process held \
                 it (a stuck queue runner, exim_tidydb) or the disk is slow. If it lasts, stop \
                 Exim, remove the spool's db/*.lockfile files, and start it again.",
    },
    Hint {
        words: &["local_scan() function"],
        advice: "The local_scan() function built into this Exim crashed or ran past \
                 local_scan_timeout, and the message was refused with a temporary error: fix \
                 the local_scan code or raise the timeout.",
    },
    Hint {
        words: &["configured error code starts with incorrect digit"],
        advice: "An ACL's message gives an SMTP code of the wrong class for its verb (a 4xx \
                 code on deny, a 5xx on defer): Exim used its own code instead. Fix the \
                 message in that ACL.",
    },
    Hint {
        words: &["Abandon queue run"],
        advice: "A queue run stopped because the load average passed deliver_queue_load_max: \
                 mail waits until the load falls. Find what loads the host.",
    },
    Hint {
        words: &["message header"],
        advice: "A client sent a header larger than header_maxsize, or a header line longer \
                 than header_line_maxsize, and Exim abandoned the message: nothing to fix \
                 unless real mail is refused, then raise the limit.",
    },
    Hint {
        words: &["ork failed"],
        advice: EXIM_COULD_NOT_FORK,
    },
    Hint {
        words: &["fork()"],
        advice: EXIM_COULD_NOT_FORK,
    },
    Hint {
        words: &["Exim configuration error"],
        advice: "Exim could not read its configuration and stopped, or refused the command: \
                 the indented line after this one in the panic log says what is wrong. Check \
                 with `exim -bV` (Debian: `update-exim4.conf`, then `exim4 -bV`), fix it, then \
                 restart Exim.",
    },
    Hint {
        words: &["socket bind()", "daemon abandoned"],
        advice: "The daemon could not listen on a port and gave up, so no mail comes in: \
                 another MTA or a second Exim holds it. Find it with `ss -ltnp`, stop it, \
                 then start Exim.",
    },
    Hint {
        words: &["socket bind()"],
        advice: "Another program holds a port the daemon listens on; Exim tries again a few \
                 times, then gives up. Find the holder with `ss -ltnp`.",
    },
    Hint {
        words: &["log file"],
        advice: "Exim cannot open its log: the Exim user (Debian-exim on Debian) must be able \
                 to write the log directory and files; check their owner and mode.",
    },
    Hint {
        words: &["failed to write to"],
        advice: "Exim could not write its log and stopped: free space on the log's disk, \
                 then restart Exim.",
    },
    Hint {
        words: &["spam acl condition: warning"],
        advice: "A setting of the spam condition or spamd_address could not be used (a \
                 parameter, an address): fix it; the other servers or settings were used.",
    },
    Hint {
        words: &["spam acl condition: spamd: "],
        advice: "One spamd server of spamd_address failed and the next one was asked: check \
                 that server.",
    },
    Hint {
        words: &["spam acl condition"],
        advice: "Exim could not ask spamd about a message: check that SpamAssassin runs where \
                 spamd_address points. Mail waits meanwhile, unless the ACL's spam condition \
                 has /defer_ok, in which case it goes on unchecked.",
    },
    Hint {
        words: &["malware acl condition"],
        advice: "Exim could not ask the virus scanner about a message: check that it (clamd, \
                 say) runs where av_scanner points. Mail waits meanwhile, unless the malware \
                 condition has /defer_ok.",
    },
    Hint {
        words: &["spool file", "Failed"],
        advice: "Exim could not create or take ownership of a message's spool file, so the \
                 message was refused: the Exim user must own the spool directory (input, \
                 msglog) and be able to write it.",
    },
    Hint {
        words: &["space check failed"],
        advice: "The spool or log disk is below check_spool_space or check_log_space: Exim \
                 answers every new message with a temporary error until space is freed. Free \
                 disk space now.",
    },
    Hint {
        words: &["Spool write error"],
        advice: "Exim could not write a message to its spool (disk full, an I/O error, \
                 permissions), and the client was told to try again later: check free space \
                 and the spool directory.",
    },
    Hint {
        words: &["spool file"],
        advice: "A spool file is damaged (after a crash or a full disk), so its message cannot \
                 be delivered: look at it with `exim -Mvh ID`, then remove it with \
                 `exim -Mrm ID`.",
    },
    Hint {
        words: &["Spool error"],
        advice: "A message's spool files are incomplete or unreadable: look at it with \
                 `exim -Mvh ID` and remove it with `exim -Mrm ID` if it cannot be read.",
    },
    Hint {
        words: &["Error in system filter"],
        advice: "The system filter has an error, and messages are deferred while it lasts: \
                 test it with `exim -bF FILE < message` and fix it.",
    },
    Hint {
        words: &["ainted"],
        advice: "Exim 4.94 and later refuse to build a file name or command from what a \
                 message says (its local part or domain) unchecked: use the value a lookup or \
                 a router's condition returned ($local_part_data, $domain_data) instead of \
                 $local_part or $domain in that option.",
    },
    Hint {
        words: &["(smtp_banner)"],
        advice: "The SMTP greeting cannot be built, so every incoming session fails at once: \
                 fix smtp_banner (try it with `exim -be`).",
    },
    Hint {
        words: &["(received_header_text)"],
        advice: "The Received: header cannot be built, so every message is refused: fix \
                 received_header_text (try it with `exim -be`).",
    },
    Hint {
        words: &["ailed to expand"],
        advice: "An option's expansion failed (a syntax error, a lookup that failed, a variable \
                 not set at that point), so the mail concerned was deferred or the ACL failed: \
                 try the string with `exim -be`, and check the file or database a lookup in it \
                 reads.",
    },
    Hint {
        words: &["xpansion"],
        advice: "An option's expansion failed or gave an unusable value, so the mail \
                 concerned was deferred: try the string with `exim -be` and fix the option \
                 named.",
    },
    Hint {
        words: &["DKIM: signing failed"],
        advice: "Exim could not sign outgoing mail, which went out unsigned unless dkim_strict \
                 is set: the file dkim_private_key names must be a PEM private key that the \
                 Exim user can read.",
    },
    Hint {
        words: &["lowest numbered MX record points to local host"],
        advice: "The domain's best MX is this host, yet Exim does not take the domain as its \
                 own: add it to local_domains (or to relay_to_domains with a route onward), \
                 or correct the domain's MX records.",
    },
    Hint {
        words: &["remote host address is the local host"],
        advice: "A router sent mail to this host itself: the domain resolves here but is not \
                 in local_domains, or a manualroute points here. Fix the route, add the \
                 domain, or set the router's self option.",
    },
    Hint {
        words: &["transport process"],
        advice: "A delivery process died or exited oddly; Exim froze the message unless the \
                 process was killed by TERM, KILL or QUIT. Look in the system log at that time \
                 for a crash (signal 11) or the out-of-memory killer.",
    },
    Hint {
        words: &["queue run: "],
        advice: "A delivery started by a queue run crashed or lost touch with the runner: look \
                 for the signal named (11 is a crash) and the system log at that time.",
    },
    Hint {
        words: &["daemon: "],
        advice: "The daemon could not start a process or set up a connection: the host is \
                 short of processes or memory (ulimit -u, the load, the out-of-memory \
                 killer).",
    },
    Hint {
        words: &["TLS error on connection from"],
        advice: "A client's TLS handshake or session failed: scanners and old clients that \
                 share no protocol version or cipher with this server, or that hang up. Rare \
                 ones are noise; many from real senders point at the certificate, or at \
                 tls_require_ciphers or openssl_options set too strict.",
    },
    Hint {
        words: &["delivering unencrypted"],
        advice: "TLS with a server failed, and Exim delivered without it because the server \
                 is not in hosts_require_tls: list in hosts_require_tls the destinations that \
                 must get TLS, or look at the server's certificate.",
    },
    Hint {
        words: &["AUTH command used when not advertised"],
        advice: "A client tried to log in where this server offers no AUTH (port 25 before \
                 STARTTLS, say): password-guessing bots. Nothing to fix, unless a real user's \
                 client does it: it should submit on port 587 with STARTTLS.",
    },
    Hint {
        words: &["SMTP protocol error"],
        advice: "A client broke the SMTP protocol (commands out of order, a bad argument): \
                 bots and broken scripts. Exim answers with an error and drops the session \
                 after smtp_max_synprot_errors of them.",
    },
    Hint {
        words: &["SMTP syntax error"],
        advice: "A client sent a command Exim could not read (a malformed address, an unknown \
                 command): bots, or a script whose addresses need fixing.",
    },
    Hint {
        words: &["no host name found for IP address"],
        advice: "The client's address has no reverse DNS name: its own DNS, nothing to fix \
                 here. It matters only where an ACL asks for a verified name \
                 (verify = reverse_host_lookup).",
    },
    Hint {
        words: &["no IP address found for host"],
        advice: "A name from reverse DNS does not resolve forward: that host's DNS, nothing to \
                 fix here.",
    },
    Hint {
        words: &["ignoring AUTH="],
        advice: "A client gave AUTH= with MAIL FROM without having logged in (or an ACL \
                 refused it): Exim ignores the parameter and the mail goes on. Nothing to fix.",
    },
    Hint {
        words: &["DNS list lookup defer"],
        advice: "A DNS blocklist did not answer in time; the kind says whether Exim then took \
                 the client as listed or not. Check this host's resolver, and the list's own \
                 status page.",
    },
    Hint {
        words: &["Permission denied"],
        advice: "Exim may not open a file it needs: check its owner and mode for the Exim \
                 user (Debian-exim on Debian).",
    },
    Hint {
        words: &["No such file or directory"],
        advice: "A file the configuration names is missing: create it or fix the path.",
    },
];

/// What to do about a problem of the kind `shape` tells, written by `program`, when it is a
/// known one. Postfix and Exim word the same trouble differently, and the fix names the MTA's
/// own commands, so each MTA has its rules.
pub fn hint(program: &str, shape: &str) -> Option<&'static str> {
    let hints = match program_of(program) {
        Some(LogFormat::Exim) => EXIM,
        _ => POSTFIX,
    };
    hints
        .iter()
        .find(|hint| hint.words.iter().all(|word| shape.contains(word)))
        .map(|hint| hint.advice)
}

/// What to do about a kind of message set aside, where the MTA's own words say more than the
/// action's general advice: Exim's discards name a router or an ACL, not a Postfix rule.
pub fn diversion_hint(program: &str, shape: &str) -> Option<&'static str> {
    if program_of(program) != Some(LogFormat::Exim) {
        return None;
    }
    if shape.starts_with("blackhole (") {
        Some(
            "An ACL's discard verb accepted the message and threw it away, so the client \
             believes it was delivered; the text after the colon is the ACL's log_message. \
             Check the condition of that discard; `exim -bh IP` runs the ACLs for a test \
             session.",
        )
    } else if shape.starts_with("blackhole") {
        Some(
            "A router, an alias file or a filter sent the address to :blackhole:, so Exim \
             threw the message away for it. Check that the router named (R=) matches only \
             what it should; `exim -bt ADDRESS` shows where an address is routed.",
        )
    } else {
        None
    }
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
            let advice = hint("postfix/smtpd", &shape).unwrap_or_else(|| panic!("{shape}"));
            assert!(advice.contains(expected), "{shape}: {advice}");
        }
        assert_eq!(hint("postfix/smtpd", "frobnicator is cross today"), None);
    }
}
