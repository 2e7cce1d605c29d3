//! Each case is one real-shaped Exim line and every field the parser must take from it; then the
//! lines that carry no outcome, the lines that must be reported as unmatched, the header forms,
//! syslog delivery, the generator's output, and inputs that must never make the parser panic.

use super::*;
use crate::parse::{LineContext, SourceFormat, parse_line};
use chrono::NaiveDate;

struct Case {
    line: &'static str,
    action: &'static str,
    direction: &'static str,
    stage: &'static str,
    reply: &'static str,
    enhanced: &'static str,
    class: &'static str,
    recipient: &'static str,
    remote_host: &'static str,
    remote_ip: &'static str,
    queue_id: &'static str,
    /// The expected text; `None` where a separate test checks a long one.
    text: Option<&'static str>,
}

const BASE: Case = Case {
    line: "",
    action: "",
    direction: "outbound",
    stage: "",
    reply: "",
    enhanced: "",
    class: "",
    recipient: "",
    remote_host: "",
    remote_ip: "",
    queue_id: "",
    text: Some(""),
};

fn years() -> YearRule {
    YearRule::Given {
        year: 2026,
        first_month: 11,
    }
}

fn parse_text(line: &str) -> Parsed<'_> {
    parse_mainlog(line, &years())
}

fn opt<T: ToString>(value: Option<T>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

fn check(case: &Case) {
    let Parsed::Event(event) = parse_text(case.line) else {
        panic!("no event from {}", case.line);
    };
    let got = [
        event.action.label().to_string(),
        event.direction.label().to_string(),
        event.stage.unwrap_or("").to_string(),
        opt(event.reply_code),
        opt(event.enhanced_code),
        event.class.label().to_string(),
        event.recipient.to_string(),
        event.remote_host.to_string(),
        event.remote_ip.to_string(),
        event.queue_id.to_string(),
    ];
    let want = [
        case.action,
        case.direction,
        case.stage,
        case.reply,
        case.enhanced,
        case.class,
        case.recipient,
        case.remote_host,
        case.remote_ip,
        case.queue_id,
    ];
    let names = [
        "action",
        "direction",
        "stage",
        "reply",
        "enhanced",
        "class",
        "recipient",
        "remote_host",
        "remote_ip",
        "queue_id",
    ];
    for ((name, got), want) in names.iter().zip(&got).zip(want) {
        assert_eq!(got, want, "{name} of {}", case.line);
    }
    if let Some(text) = case.text {
        assert_eq!(event.text, text, "text of {}", case.line);
    }
    assert_eq!(event.log_format, LogFormat::Exim);
    assert_eq!(event.program, "exim");
    assert_eq!(event.host, "");
    assert_eq!(event.dsn, None);
    assert_eq!(event.permanence, event.class.permanence());
}

const CASES: &[Case] = &[
    // 1. Deliveries: `=>`, `->`, with and without +smtp_confirmation.
    Case {
        line: "2026-11-21 08:00:05 1tE3xA-000Ab1-Qz => bob@gmail.com R=dnslookup T=remote_smtp H=gmail-smtp-in.l.google.com [142.250.27.26] X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=yes K C=\"250 2.0.0 OK  1763625607 a1si1234567.89 - gsmtp\"",
        action: "sent",
        stage: "END-OF-DATA",
        reply: "250",
        enhanced: "2.0.0",
        class: "2xx",
        recipient: "bob@gmail.com",
        remote_host: "gmail-smtp-in.l.google.com",
        remote_ip: "142.250.27.26",
        queue_id: "1tE3xA-000Ab1-Qz",
        text: Some("OK  1763625607 a1si1234567.89 - gsmtp"),
        ..BASE
    },
    Case {
        line: "2026-11-21 08:00:06 [30412] 1vK2Pq-00000001aBc-0Xyz -> carol@gmail.com R=dnslookup T=remote_smtp H=gmail-smtp-in.l.google.com [142.250.27.26]* X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=yes K C=\"250 2.0.0 OK  1763625608 b2si7654321.10 - gsmtp\"",
        action: "sent",
        stage: "END-OF-DATA",
        reply: "250",
        enhanced: "2.0.0",
        class: "2xx",
        recipient: "carol@gmail.com",
        remote_host: "gmail-smtp-in.l.google.com",
        remote_ip: "142.250.27.26",
        queue_id: "1vK2Pq-00000001aBc-0Xyz",
        text: Some("OK  1763625608 b2si7654321.10 - gsmtp"),
        ..BASE
    },
    Case {
        line: "2026-11-21 08:00:07 1tE3xB-000Ab2-Rz => alice@x.example <Alice@X.example> R=dnslookup T=remote_smtp H=mx.x.example [192.0.2.1]:25 X=TLS1.3:TLS_AES_128_GCM_SHA256:128 CV=yes C=\"250 2.0.0 OK id=1vK2Pq-00000001aBc-0Xyz\"",
        action: "sent",
        stage: "END-OF-DATA",
        reply: "250",
        enhanced: "2.0.0",
        class: "2xx",
        recipient: "alice@x.example",
        remote_host: "mx.x.example",
        remote_ip: "192.0.2.1",
        queue_id: "1tE3xB-000Ab2-Rz",
        text: Some("OK id=1vK2Pq-00000001aBc-0Xyz"),
        ..BASE
    },
    Case {
        line: "2026-11-21 08:00:08 1tE3xC-000Ab3-Sz => alice <alice@example.com> R=local_user T=mail_spool",
        action: "sent",
        class: "2xx",
        recipient: "alice@example.com",
        queue_id: "1tE3xC-000Ab3-Sz",
        ..BASE
    },
    Case {
        line: "2026-11-21 08:00:09 1tE3xD-000Ab4-Tz => dave@example.com R=virtual_user T=dovecot_lmtp H=localhost [127.0.0.1] C=\"250 2.0.0 <dave@example.com> kJ1sB2x3Y2fPAwAA Saved\"",
        action: "sent",
        stage: "END-OF-DATA",
        reply: "250",
        enhanced: "2.0.0",
        class: "2xx",
        recipient: "dave@example.com",
        remote_host: "localhost",
        remote_ip: "127.0.0.1",
        queue_id: "1tE3xD-000Ab4-Tz",
        text: Some("<dave@example.com> kJ1sB2x3Y2fPAwAA Saved"),
        ..BASE
    },
    Case {
        line: "2026-11-21 08:00:10 1tE3xE-000Ab5-Uz => erin@example.net R=dnslookup T=remote_smtp H=mail.example.net [198.51.100.20] X=TLS1.2:ECDHE-RSA-AES256-GCM-SHA384:256 CV=no",
        action: "sent",
        class: "2xx",
        recipient: "erin@example.net",
        remote_host: "mail.example.net",
        remote_ip: "198.51.100.20",
        queue_id: "1tE3xE-000Ab5-Uz",
        ..BASE
    },
    // Fields in another order, IPv6 with a port, a DN with spaces, an escaped quote in C=.
    Case {
        line: "2026-11-21 08:00:12.345 +0100 [4242] 1vK2Pr-00000001aBd-1Xyz => frank@example.org F=<alice@example.com> R=dnslookup T=remote_smtp S=2310 H=mx.example.org [2001:db8::25]:25 X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=dane DN=\"/C=US/O=Example Org/CN=mx.example.org\" C=\"250 2.0.0 Ok: queued as \\\"4XyZ1m\\\"\" QT=2s DT=1.1s",
        action: "sent",
        stage: "END-OF-DATA",
        reply: "250",
        enhanced: "2.0.0",
        class: "2xx",
        recipient: "frank@example.org",
        remote_host: "mx.example.org",
        remote_ip: "2001:db8::25",
        queue_id: "1vK2Pr-00000001aBd-1Xyz",
        text: Some("Ok: queued as \"4XyZ1m\""),
        ..BASE
    },
    // 2. Failures with a remote reply, at every stage.
    Case {
        line: "2026-11-21 08:01:00 1tE3xH-000Ab8-Xz ** nobody@example.com R=dnslookup T=remote_smtp H=mx1.example.com [203.0.113.5] X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=yes: SMTP error from remote mail server after RCPT TO:<nobody@example.com>: 550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown in virtual mailbox table",
        action: "bounced",
        stage: "RCPT",
        reply: "550",
        enhanced: "5.1.1",
        class: "5xx",
        recipient: "nobody@example.com",
        remote_host: "mx1.example.com",
        remote_ip: "203.0.113.5",
        queue_id: "1tE3xH-000Ab8-Xz",
        text: Some(
            "<nobody@example.com>: Recipient address rejected: User unknown in virtual mailbox table",
        ),
        ..BASE
    },
    Case {
        line: "2026-11-21 08:01:01.002 +0100 [5120] 1vK2Ps-00000001aBe-2Xyz ** nobody@example.com R=dnslookup T=remote_smtp H=mx1.example.com [203.0.113.5] X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=yes : SMTP error from remote mail server after RCPT TO:<nobody@example.com>: 550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown",
        action: "bounced",
        stage: "RCPT",
        reply: "550",
        enhanced: "5.1.1",
        class: "5xx",
        recipient: "nobody@example.com",
        remote_host: "mx1.example.com",
        remote_ip: "203.0.113.5",
        queue_id: "1vK2Ps-00000001aBe-2Xyz",
        text: Some("<nobody@example.com>: Recipient address rejected: User unknown"),
        ..BASE
    },
    Case {
        line: "2026-11-21 08:01:02 1tE3xI-000Ab9-Yz ** dave1272@outlook.com R=dnslookup T=remote_smtp H=outlook-com.olc.protection.outlook.com [52.101.68.10] X=TLS1.2:ECDHE-RSA-AES256-GCM-SHA384:256 CV=yes: SMTP error from remote mail server after MAIL FROM:<kenji@example.com> SIZE=22334: 550 5.7.606 Access denied, banned sending IP [192.0.2.10]. To request removal from this list please visit https://sender.office.com/ and follow the directions.",
        action: "bounced",
        stage: "MAIL",
        reply: "550",
        enhanced: "5.7.606",
        class: "5xx",
        recipient: "dave1272@outlook.com",
        remote_host: "outlook-com.olc.protection.outlook.com",
        remote_ip: "52.101.68.10",
        queue_id: "1tE3xI-000Ab9-Yz",
        text: Some(
            "Access denied, banned sending IP [192.0.2.10]. To request removal from this list please visit https://sender.office.com/ and follow the directions.",
        ),
        ..BASE
    },
    Case {
        line: "2026-11-21 08:01:03 1tE3xJ-000AbA-Zz ** ops@gmail.com <ops-alias@example.com> R=dnslookup T=remote_smtp H=gmail-smtp-in.l.google.com [142.250.27.26] X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=yes: SMTP error from remote mail server after end of data: 550-5.7.26 Unauthenticated email from example.com is not accepted due to\\n550-5.7.26 domain's DMARC policy. Please contact the administrator of example.com\\n550 5.7.26  https://support.google.com/mail/?p=DmarcRejection d9443c01a7336-20b0f6e5c3asi7719235ad.311 - gsmtp",
        action: "bounced",
        stage: "END-OF-DATA",
        reply: "550",
        enhanced: "5.7.26",
        class: "5xx",
        recipient: "ops@gmail.com",
        remote_host: "gmail-smtp-in.l.google.com",
        remote_ip: "142.250.27.26",
        queue_id: "1tE3xJ-000AbA-Zz",
        text: None,
        ..BASE
    },
    Case {
        line: "2026-11-21 08:01:04 1tE3xK-000AbB-az ** grace@example.org R=dnslookup T=remote_smtp H=mx.example.org [203.0.113.5] X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=yes: SMTP error from remote mail server after DATA: 554 5.7.1 Message rejected: content policy violation",
        action: "bounced",
        stage: "DATA",
        reply: "554",
        enhanced: "5.7.1",
        class: "5xx",
        recipient: "grace@example.org",
        remote_host: "mx.example.org",
        remote_ip: "203.0.113.5",
        queue_id: "1tE3xK-000AbB-az",
        text: Some("Message rejected: content policy violation"),
        ..BASE
    },
    Case {
        line: "2026-11-21 08:01:05 1tE3xL-000AbC-bz ** heidi@example.org R=dnslookup T=remote_smtp H=mx.example.org [203.0.113.5]: SMTP error from remote mail server after pipelined DATA: 554 5.7.0 Too many invalid recipients",
        action: "bounced",
        stage: "DATA",
        reply: "554",
        enhanced: "5.7.0",
        class: "5xx",
        recipient: "heidi@example.org",
        remote_host: "mx.example.org",
        remote_ip: "203.0.113.5",
        queue_id: "1tE3xL-000AbC-bz",
        text: Some("Too many invalid recipients"),
        ..BASE
    },
    Case {
        line: "2026-11-21 08:01:06 1tE3xM-000AbD-cz ** rupert@gmail.com R=dnslookup T=remote_smtp H=gmail-smtp-in.l.google.com [142.250.27.26]: SMTP error from remote mail server after initial connection: 554 5.7.1 Service unavailable; Client host [192.0.2.10] blocked using zen.spamhaus.org",
        action: "bounced",
        stage: "CONNECT",
        reply: "554",
        enhanced: "5.7.1",
        class: "5xx",
        recipient: "rupert@gmail.com",
        remote_host: "gmail-smtp-in.l.google.com",
        remote_ip: "142.250.27.26",
        queue_id: "1tE3xM-000AbD-cz",
        text: Some("Service unavailable; Client host [192.0.2.10] blocked using zen.spamhaus.org"),
        ..BASE
    },
    Case {
        line: "2026-11-21 08:01:07 1tE3xN-000AbE-dz ** ivan@example.net R=dnslookup T=remote_smtp H=mail.example.net [198.51.100.20]: SMTP error from remote mail server after EHLO mx1.example.com: 550 5.7.1 Your HELO name is not acceptable",
        action: "bounced",
        stage: "HELO",
        reply: "550",
        enhanced: "5.7.1",
        class: "5xx",
        recipient: "ivan@example.net",
        remote_host: "mail.example.net",
        remote_ip: "198.51.100.20",
        queue_id: "1tE3xN-000AbE-dz",
        text: Some("Your HELO name is not acceptable"),
        ..BASE
    },
    Case {
        line: "2026-11-21 08:01:08 1tE3xO-000AbF-ez ** judy@example.gov R=dnslookup T=remote_smtp H=mx.example.gov [198.51.100.240]: SMTP error from remote mail server after STARTTLS: 554 5.7.3 Unable to initialize security subsystem",
        action: "bounced",
        stage: "STARTTLS",
        reply: "554",
        enhanced: "5.7.3",
        class: "5xx",
        recipient: "judy@example.gov",
        remote_host: "mx.example.gov",
        remote_ip: "198.51.100.240",
        queue_id: "1tE3xO-000AbF-ez",
        text: Some("Unable to initialize security subsystem"),
        ..BASE
    },
    Case {
        line: "2026-11-21 08:01:09 1tE3xP-000AbG-fz ** bob@example.com R=virtual_user T=dovecot_lmtp: LMTP error after RCPT TO:<bob@example.com>: 550 5.1.1 <bob@example.com> User doesn't exist: bob@example.com",
        action: "bounced",
        stage: "RCPT",
        reply: "550",
        enhanced: "5.1.1",
        class: "5xx",
        recipient: "bob@example.com",
        queue_id: "1tE3xP-000AbG-fz",
        text: Some("<bob@example.com> User doesn't exist: bob@example.com"),
        ..BASE
    },
    // Releases before 4.80 named the host inside the message and said "mailer".
    Case {
        line: "2026-11-21 08:01:10 1tE3xQ-000AbH-gz ** kim@example.net R=dnslookup T=remote_smtp: SMTP error from remote mailer after RCPT TO:<kim@example.net>: host mail.example.net [198.51.100.20]: 550 5.1.1 <kim@example.net>... User unknown",
        action: "bounced",
        stage: "RCPT",
        reply: "550",
        enhanced: "5.1.1",
        class: "5xx",
        recipient: "kim@example.net",
        remote_host: "mail.example.net",
        remote_ip: "198.51.100.20",
        queue_id: "1tE3xQ-000AbH-gz",
        text: Some("<kim@example.net>... User unknown"),
        ..BASE
    },
    // 3. Failures without a code.
    Case {
        line: "2026-11-21 08:01:11 1tE3xR-000AbI-hz ** olga@nxdomain.example: Unrouteable address",
        action: "bounced",
        class: "5xx",
        recipient: "olga@nxdomain.example",
        queue_id: "1tE3xR-000AbI-hz",
        text: Some("Unrouteable address"),
        ..BASE
    },
    Case {
        line: "2026-11-21 08:01:12 1tE3xS-000AbJ-iz ** pat@broken.example R=dnslookup: all relevant MX records point to non-existent hosts",
        action: "bounced",
        class: "5xx",
        recipient: "pat@broken.example",
        queue_id: "1tE3xS-000AbJ-iz",
        text: Some("all relevant MX records point to non-existent hosts"),
        ..BASE
    },
    Case {
        line: "2026-11-21 08:01:13 1tE3xT-000AbK-jz ** ted <ted@example.com> R=local_user T=local_delivery: mailbox is full (MTA-imposed quota exceeded while writing to /var/mail/ted)",
        action: "bounced",
        class: "5xx",
        recipient: "ted@example.com",
        queue_id: "1tE3xT-000AbK-jz",
        text: Some("mailbox is full (MTA-imposed quota exceeded while writing to /var/mail/ted)"),
        ..BASE
    },
    Case {
        line: "2026-11-21 08:01:14 1tE3xU-000AbL-kz ** |/usr/local/bin/autoreply -f info <info@example.com> R=userforward T=address_pipe: Child process of address_pipe transport returned 69 (could mean service or program unavailable) from command: /usr/local/bin/autoreply",
        action: "bounced",
        class: "5xx",
        recipient: "info@example.com",
        queue_id: "1tE3xU-000AbL-kz",
        text: Some(
            "Child process of address_pipe transport returned 69 (could mean service or program unavailable) from command: /usr/local/bin/autoreply",
        ),
        ..BASE
    },
    Case {
        line: "2026-11-21 08:01:15 1tE3xV-000AbM-lz ** judy@dead.example R=dnslookup T=remote_smtp: retry timeout exceeded",
        action: "expired",
        class: "5xx",
        recipient: "judy@dead.example",
        queue_id: "1tE3xV-000AbM-lz",
        text: Some("retry timeout exceeded"),
        ..BASE
    },
    Case {
        line: "2026-11-21 08:01:16 1tE3xW-000AbN-mz ** kurt@dead.example R=dnslookup T=remote_smtp: all hosts for 'dead.example' have been failing for a long time (and retry time not reached)",
        action: "expired",
        class: "5xx",
        recipient: "kurt@dead.example",
        queue_id: "1tE3xW-000AbN-mz",
        text: Some(
            "all hosts for 'dead.example' have been failing for a long time (and retry time not reached)",
        ),
        ..BASE
    },
    // 4. Deferrals.
    Case {
        line: "2026-11-21 08:02:00 1tE3xX-000AbO-nz == frank@example.net R=dnslookup T=remote_smtp defer (-44) H=mx.example.net [198.51.100.20]: SMTP error from remote mail server after RCPT TO:<frank@example.net>: 451 4.7.1 <frank@example.net>: Recipient address rejected: Greylisted, see https://postgrey.schweikert.ch/help/example.net.html",
        action: "deferred",
        stage: "RCPT",
        reply: "451",
        enhanced: "4.7.1",
        class: "4xx",
        recipient: "frank@example.net",
        remote_host: "mx.example.net",
        remote_ip: "198.51.100.20",
        queue_id: "1tE3xX-000AbO-nz",
        text: Some(
            "<frank@example.net>: Recipient address rejected: Greylisted, see https://postgrey.schweikert.ch/help/example.net.html",
        ),
        ..BASE
    },
    Case {
        line: "2026-11-21 08:02:01 [6001] 1vK2Pt-00000001aBf-3Xyz == zoe@hotmail.com R=dnslookup T=remote_smtp defer (-45) H=hotmail-com.olc.protection.outlook.com [52.101.11.2]: SMTP error from remote mail server after MAIL FROM:<alice@example.com> SIZE=4523: 451 4.7.650 The mail server [192.0.2.10] has been temporarily rate limited due to IP reputation.",
        action: "deferred",
        stage: "MAIL",
        reply: "451",
        enhanced: "4.7.650",
        class: "4xx",
        recipient: "zoe@hotmail.com",
        remote_host: "hotmail-com.olc.protection.outlook.com",
        remote_ip: "52.101.11.2",
        queue_id: "1vK2Pt-00000001aBf-3Xyz",
        text: Some(
            "The mail server [192.0.2.10] has been temporarily rate limited due to IP reputation.",
        ),
        ..BASE
    },
    Case {
        line: "2026-11-21 08:02:02 1tE3xY-000AbP-oz == lena@gmail.com R=dnslookup T=remote_smtp defer (-46) H=gmail-smtp-in.l.google.com [142.250.27.26]: SMTP error from remote mail server after end of data: 421-4.7.28 [192.0.2.10      15] Our system has detected an unusual rate of\\n421-4.7.28 unsolicited mail originating from your IP address.\\n421 4.7.28 https://support.google.com/mail/?p=UnsolicitedRateLimitError d2e1a72fcca58-71e5c1b2e3asi1234567b3a.88 - gsmtp",
        action: "deferred",
        stage: "END-OF-DATA",
        reply: "421",
        enhanced: "4.7.28",
        class: "4xx",
        recipient: "lena@gmail.com",
        remote_host: "gmail-smtp-in.l.google.com",
        remote_ip: "142.250.27.26",
        queue_id: "1tE3xY-000AbP-oz",
        text: Some(
            "[192.0.2.10      15] Our system has detected an unusual rate of unsolicited mail originating from your IP address. https://support.google.com/mail/?p=UnsolicitedRateLimitError d2e1a72fcca58-71e5c1b2e3asi1234567b3a.88 - gsmtp",
        ),
        ..BASE
    },
    Case {
        line: "2026-11-21 08:02:03 1tE3xZ-000AbQ-pz == ivan@slow.example R=dnslookup T=remote_smtp defer (110): Connection timed out",
        action: "deferred",
        stage: "CONNECT",
        class: "4xx",
        recipient: "ivan@slow.example",
        queue_id: "1tE3xZ-000AbQ-pz",
        text: Some("Connection timed out"),
        ..BASE
    },
    Case {
        line: "2026-11-21 08:02:04 1tE3y0-000AbR-qz == mia@closed.example R=dnslookup T=remote_smtp defer (111): Connection refused",
        action: "deferred",
        stage: "CONNECT",
        class: "4xx",
        recipient: "mia@closed.example",
        queue_id: "1tE3y0-000AbR-qz",
        text: Some("Connection refused"),
        ..BASE
    },
    Case {
        line: "2026-11-21 08:02:05 1tE3y1-000AbS-rz == ivan@slow.example R=dnslookup T=remote_smtp defer (110): Connection timed out H=mx.slow.example [203.0.113.9]: SMTP timeout after end of data (6540 bytes written)",
        action: "deferred",
        stage: "END-OF-DATA",
        class: "4xx",
        recipient: "ivan@slow.example",
        remote_host: "mx.slow.example",
        remote_ip: "203.0.113.9",
        queue_id: "1tE3y1-000AbS-rz",
        text: Some("SMTP timeout after end of data (6540 bytes written)"),
        ..BASE
    },
    Case {
        line: "2026-11-21 08:02:06 1tE3y2-000AbT-sz == nina@slow.example R=dnslookup T=remote_smtp defer (110): Connection timed out H=mx.slow.example [203.0.113.9]: SMTP timeout after RCPT TO:<nina@slow.example>",
        action: "deferred",
        stage: "RCPT",
        class: "4xx",
        recipient: "nina@slow.example",
        remote_host: "mx.slow.example",
        remote_ip: "203.0.113.9",
        queue_id: "1tE3y2-000AbT-sz",
        text: Some("SMTP timeout after RCPT TO:<nina@slow.example>"),
        ..BASE
    },
    Case {
        line: "2026-11-21 08:02:07 1tE3y3-000AbU-tz == omar@example.org R=dnslookup T=remote_smtp defer (-18) H=mx.example.org [203.0.113.5]: Remote host closed connection in response to initial connection",
        action: "deferred",
        stage: "CONNECT",
        class: "4xx",
        recipient: "omar@example.org",
        remote_host: "mx.example.org",
        remote_ip: "203.0.113.5",
        queue_id: "1tE3y3-000AbU-tz",
        text: Some("Remote host closed connection in response to initial connection"),
        ..BASE
    },
    Case {
        line: "2026-11-21 08:02:08 1tE3y4-000AbV-uz == tina@example.gov R=dnslookup T=remote_smtp defer (-37) H=mx.example.gov [198.51.100.240]: TLS session: (SSL_connect): error:0A000086:SSL routines::certificate verify failed",
        action: "deferred",
        stage: "STARTTLS",
        class: "4xx",
        recipient: "tina@example.gov",
        remote_host: "mx.example.gov",
        remote_ip: "198.51.100.240",
        queue_id: "1tE3y4-000AbV-uz",
        text: Some(
            "TLS session: (SSL_connect): error:0A000086:SSL routines::certificate verify failed",
        ),
        ..BASE
    },
    Case {
        line: "2026-11-21 08:02:09 1tE3y5-000AbW-vz == defer@example.com R=alias defer (-1): This address has been forced to defer.",
        action: "deferred",
        class: "4xx",
        recipient: "defer@example.com",
        queue_id: "1tE3y5-000AbW-vz",
        text: Some("This address has been forced to defer."),
        ..BASE
    },
    Case {
        line: "2026-11-21 08:02:10 1tE3y6-000AbX-wz == ted <ted@example.com> R=local_user T=local_delivery defer (-22): mailbox is full (MTA-imposed quota exceeded while writing to /var/mail/ted)",
        action: "deferred",
        class: "4xx",
        recipient: "ted@example.com",
        queue_id: "1tE3y6-000AbX-wz",
        text: Some("mailbox is full (MTA-imposed quota exceeded while writing to /var/mail/ted)"),
        ..BASE
    },
    Case {
        line: "2026-11-21 08:02:11 1tE3y7-000AbY-xz == uma@example.org R=dnslookup T=remote_smtp defer (-44) H=mx.example.org [2001:db8::25]:25: SMTP error from remote mail server after pipelined RCPT TO:<uma@example.org>: 452 4.2.2 Mailbox full",
        action: "deferred",
        stage: "RCPT",
        reply: "452",
        enhanced: "4.2.2",
        class: "4xx",
        recipient: "uma@example.org",
        remote_host: "mx.example.org",
        remote_ip: "2001:db8::25",
        queue_id: "1tE3y7-000AbY-xz",
        text: Some("Mailbox full"),
        ..BASE
    },
    Case {
        line: "2026-11-21 08:02:12 1tE3y8-000AbZ-yz == vic@example.net R=dnslookup T=remote_smtp defer (-44): SMTP error from remote mail server after RCPT TO:<vic@example.net>: host mail.example.net [198.51.100.20]: 450 4.2.0 <vic@example.net>: Recipient address rejected: Greylisted",
        action: "deferred",
        stage: "RCPT",
        reply: "450",
        enhanced: "4.2.0",
        class: "4xx",
        recipient: "vic@example.net",
        remote_host: "mail.example.net",
        remote_ip: "198.51.100.20",
        queue_id: "1tE3y8-000AbZ-yz",
        text: Some("<vic@example.net>: Recipient address rejected: Greylisted"),
        ..BASE
    },
    // A field Exim may add between the host and the message does not hide either.
    Case {
        line: "2026-11-21 08:02:13 1tE3yD-000Abe-3z == wim@example.org R=dnslookup T=remote_smtp defer (-46) H=mx.example.org [203.0.113.5]:25 DT=2.3s: SMTP error from remote mail server after end of data: 451 4.3.0 Temporary system problem",
        action: "deferred",
        stage: "END-OF-DATA",
        reply: "451",
        enhanced: "4.3.0",
        class: "4xx",
        recipient: "wim@example.org",
        remote_host: "mx.example.org",
        remote_ip: "203.0.113.5",
        queue_id: "1tE3yD-000Abe-3z",
        text: Some("Temporary system problem"),
        ..BASE
    },
    // Releases before 4.80: the system error, then the message naming the host.
    Case {
        line: "2014-08-05 07:45:40 1XEYMR-0002rc-TP == userx@example.net R=dnslookup T=remote_smtp defer (110): Connection timed out: SMTP timeout while connected to mail.example.net [198.51.100.20] after end of data (6540 bytes written)",
        action: "deferred",
        stage: "END-OF-DATA",
        class: "4xx",
        recipient: "userx@example.net",
        remote_host: "mail.example.net",
        remote_ip: "198.51.100.20",
        queue_id: "1XEYMR-0002rc-TP",
        text: Some(
            "SMTP timeout while connected to mail.example.net [198.51.100.20] after end of data (6540 bytes written)",
        ),
        ..BASE
    },
    // 5. Per-host attempt failures: one server of several, not a recipient's fate.
    // A failed TLS handshake with one server, as releases before 4.80 wrote it.
    Case {
        line: "2014-08-05 07:45:41 1XEYMR-0002rc-TP TLS error on connection to mx.example.net [198.51.100.20] (gnutls_handshake): The TLS connection was non-properly terminated.",
        action: "refused",
        stage: "STARTTLS",
        class: "4xx",
        remote_host: "mx.example.net",
        remote_ip: "198.51.100.20",
        queue_id: "1XEYMR-0002rc-TP",
        text: Some(
            "TLS error on connection to mx.example.net [198.51.100.20] (gnutls_handshake): The TLS connection was non-properly terminated.",
        ),
        ..BASE
    },
    // Releases before 4.80 put the host inside the quoted error.
    Case {
        line: "2014-09-29 21:27:08 1XYdJu-002e6P-9F SMTP error from remote mail server after MAIL FROM:<someone@example.com> SIZE=6601: host mta5.am0.yahoodns.net [198.51.100.240]: 421 4.7.0 [GL01] Message from (192.0.2.133) temporarily deferred - 4.16.50.",
        action: "refused",
        stage: "MAIL",
        reply: "421",
        enhanced: "4.7.0",
        class: "4xx",
        remote_host: "mta5.am0.yahoodns.net",
        remote_ip: "198.51.100.240",
        queue_id: "1XYdJu-002e6P-9F",
        text: Some("[GL01] Message from (192.0.2.133) temporarily deferred - 4.16.50."),
        ..BASE
    },
    // The command written with a space before the null sender.
    Case {
        line: "2012-12-01 02:45:05 1Teih6-0004zW-4k ** admin@gmail.example <administrator@server> R=send_via_smtp T=gmail_smtp: SMTP error from remote mail server after MAIL FROM: <> SIZE=2680: host smtp-msa.gmail.example [2001:db8::6c]: 530-5.5.1 Authentication Required. Learn more at\n530 5.5.1 https://support.example/answer?answer=14257 o10sm4350484paz.37",
        action: "bounced",
        stage: "MAIL",
        reply: "530",
        enhanced: "5.5.1",
        class: "5xx",
        recipient: "admin@gmail.example",
        remote_host: "smtp-msa.gmail.example",
        remote_ip: "2001:db8::6c",
        queue_id: "1Teih6-0004zW-4k",
        text: Some(
            "Authentication Required. Learn more at\n530 5.5.1 https://support.example/answer?answer=14257 o10sm4350484paz.37",
        ),
        ..BASE
    },
    Case {
        line: "2026-11-21 08:03:00 1tE3y9-000Aba-zz H=mx.slow.example [203.0.113.9] Connection timed out",
        action: "refused",
        stage: "CONNECT",
        class: "4xx",
        remote_host: "mx.slow.example",
        remote_ip: "203.0.113.9",
        queue_id: "1tE3y9-000Aba-zz",
        text: Some("Connection timed out"),
        ..BASE
    },
    Case {
        line: "2026-11-21 08:03:01 1tE3yA-000Abb-0z H=mx2.example.org [198.51.100.8]: SMTP error from remote mail server after initial connection: 421 4.7.0 Try again later, closing connection.",
        action: "refused",
        stage: "CONNECT",
        reply: "421",
        enhanced: "4.7.0",
        class: "4xx",
        remote_host: "mx2.example.org",
        remote_ip: "198.51.100.8",
        queue_id: "1tE3yA-000Abb-0z",
        text: Some("Try again later, closing connection."),
        ..BASE
    },
    Case {
        line: "2026-11-21 08:03:02 1tE3yB-000Abc-1z alt1.gmail-smtp-in.l.google.com [142.250.27.27] Connection refused",
        action: "refused",
        stage: "CONNECT",
        class: "4xx",
        remote_host: "alt1.gmail-smtp-in.l.google.com",
        remote_ip: "142.250.27.27",
        queue_id: "1tE3yB-000Abc-1z",
        text: Some("Connection refused"),
        ..BASE
    },
    // 6. Inbound ACL rejects: no code logged unless the ACL message started with one.
    Case {
        line: "2026-11-21 08:04:00 H=mail.other.example [198.51.100.150] F=<someone@other.example> rejected RCPT <friend@elsewhere.example>: relay not permitted",
        action: "rejected",
        direction: "inbound",
        stage: "RCPT",
        class: "5xx",
        recipient: "friend@elsewhere.example",
        remote_host: "mail.other.example",
        remote_ip: "198.51.100.150",
        text: Some("relay not permitted"),
        ..BASE
    },
    Case {
        line: "2026-11-21 08:04:01 [7001] H=(ylmf-pc) [203.0.113.45]:50522 I=[192.0.2.1]:25 F=<bulk@spammer.example> rejected RCPT <info@example.com>: 203.0.113.45 is listed at zen.spamhaus.org (127.0.0.4: https://www.spamhaus.org/query/ip/203.0.113.45)",
        action: "rejected",
        direction: "inbound",
        stage: "RCPT",
        class: "5xx",
        recipient: "info@example.com",
        remote_ip: "203.0.113.45",
        text: Some(
            "203.0.113.45 is listed at zen.spamhaus.org (127.0.0.4: https://www.spamhaus.org/query/ip/203.0.113.45)",
        ),
        ..BASE
    },
    Case {
        line: "2026-11-21 08:04:02 H=mta.newsender.example [198.51.100.170] F=<promo@newsender.example> temporarily rejected RCPT <bob@example.com>: Greylisted - please try again in 5 minutes",
        action: "rejected",
        direction: "inbound",
        stage: "RCPT",
        class: "4xx",
        recipient: "bob@example.com",
        remote_host: "mta.newsender.example",
        remote_ip: "198.51.100.170",
        text: Some("Greylisted - please try again in 5 minutes"),
        ..BASE
    },
    Case {
        line: "2026-11-21 08:04:03 H=mail.partner.example (helo.partner.example) [203.0.113.44] X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=no F=<a@partner.example> A=dovecot_plain:a@partner.example rejected RCPT <carol@example.com>: 550 5.7.1 Message rejected due to local policy",
        action: "rejected",
        direction: "inbound",
        stage: "RCPT",
        reply: "550",
        enhanced: "5.7.1",
        class: "5xx",
        recipient: "carol@example.com",
        remote_host: "mail.partner.example",
        remote_ip: "203.0.113.44",
        text: Some("Message rejected due to local policy"),
        ..BASE
    },
    Case {
        line: "2026-11-21 08:04:04 H=localhost (mx1.example.com) [127.0.0.1] F=<a@example.com> temporarily rejected RCPT <dan@example.com>: 452 4.5.3 Try again",
        action: "rejected",
        direction: "inbound",
        stage: "RCPT",
        reply: "452",
        enhanced: "4.5.3",
        class: "4xx",
        recipient: "dan@example.com",
        remote_host: "localhost",
        remote_ip: "127.0.0.1",
        text: Some("Try again"),
        ..BASE
    },
    // A deny whose message starts with a 4xx: Exim refuses such a code and sends 550, so the
    // number is not taken.
    Case {
        line: "2026-11-21 08:04:05 H=(bulk) [203.0.113.46] F=<x@bulk.example> rejected RCPT <eve@example.com>: 452 too many recipients",
        action: "rejected",
        direction: "inbound",
        stage: "RCPT",
        class: "5xx",
        recipient: "eve@example.com",
        remote_ip: "203.0.113.46",
        text: Some("452 too many recipients"),
        ..BASE
    },
    Case {
        line: "2026-11-21 08:04:06 H=(spoofer) [203.0.113.47] rejected MAIL <ceo@example.com>: Sender address is forged",
        action: "rejected",
        direction: "inbound",
        stage: "MAIL",
        class: "5xx",
        remote_ip: "203.0.113.47",
        text: Some("Sender address is forged"),
        ..BASE
    },
    Case {
        line: "2026-11-21 08:04:07 H=([203.0.113.48]) [203.0.113.48] rejected EHLO or HELO [203.0.113.48]: Bad HELO - host impersonating [203.0.113.48]",
        action: "rejected",
        direction: "inbound",
        stage: "HELO",
        class: "5xx",
        remote_ip: "203.0.113.48",
        text: Some("Bad HELO - host impersonating [203.0.113.48]"),
        ..BASE
    },
    Case {
        line: "2026-11-21 08:04:08 rejected EHLO from [203.0.113.77]: syntactically invalid argument(s): 203_0_113_77",
        action: "rejected",
        direction: "inbound",
        stage: "HELO",
        class: "5xx",
        remote_ip: "203.0.113.77",
        text: Some("syntactically invalid argument(s): 203_0_113_77"),
        ..BASE
    },
    Case {
        line: "2026-11-21 08:04:09 H=[203.0.113.50] rejected connection in \"connect\" ACL: Blocked by local policy",
        action: "rejected",
        direction: "inbound",
        stage: "CONNECT",
        class: "5xx",
        remote_ip: "203.0.113.50",
        text: Some("Blocked by local policy"),
        ..BASE
    },
    Case {
        line: "2026-11-21 08:04:10 H=web31602.mail.mud.example [198.51.100.148] temporarily rejected connection in \"connect\" ACL: ratelimit database not available",
        action: "rejected",
        direction: "inbound",
        stage: "CONNECT",
        class: "4xx",
        remote_host: "web31602.mail.mud.example",
        remote_ip: "198.51.100.148",
        text: Some("ratelimit database not available"),
        ..BASE
    },
    Case {
        line: "2026-11-21 08:04:11 1vK2Pu-00000001aBg-4Xyz H=out.lists.example [198.51.100.210] F=<newsletter@lists.example> rejected after DATA: This message contains a virus (Eicar-Signature).",
        action: "rejected",
        direction: "inbound",
        stage: "END-OF-DATA",
        class: "5xx",
        remote_host: "out.lists.example",
        remote_ip: "198.51.100.210",
        queue_id: "1vK2Pu-00000001aBg-4Xyz",
        text: Some("This message contains a virus (Eicar-Signature)."),
        ..BASE
    },
    Case {
        line: "2026-11-21 08:04:12 1tE3yC-000Abd-2z H=mail.sender.example [192.0.2.40] F=<news@sender.example> rejected during MIME ACL checks: Blocked attachment type .exe",
        action: "rejected",
        direction: "inbound",
        stage: "END-OF-DATA",
        class: "5xx",
        remote_host: "mail.sender.example",
        remote_ip: "192.0.2.40",
        queue_id: "1tE3yC-000Abd-2z",
        text: Some("Blocked attachment type .exe"),
        ..BASE
    },
    Case {
        line: "2026-11-21 08:04:13 rejected MAIL FROM:<big@huge.example> H=mx.huge.example [198.51.100.220]: message too big: size=60000000 max=52428800",
        action: "rejected",
        direction: "inbound",
        stage: "MAIL",
        class: "5xx",
        remote_host: "mx.huge.example",
        remote_ip: "198.51.100.220",
        text: Some("message too big: size=60000000 max=52428800"),
        ..BASE
    },
    // Exim sent `421 too many messages in this connection` without logging the code.
    Case {
        line: "2026-11-21 08:04:13 rejected MAIL command H=bulk.sender.example [198.51.100.221]: too many messages in one connection",
        action: "rejected",
        direction: "inbound",
        stage: "MAIL",
        class: "4xx",
        remote_host: "bulk.sender.example",
        remote_ip: "198.51.100.221",
        text: Some("too many messages in one connection"),
        ..BASE
    },
    Case {
        line: "2026-11-21 08:04:14 H=(win-8k2pq3) [203.0.113.51] F=<alerts@fakebank.example> rejected RCPT <alice@example.com>: Sender verify failed",
        action: "rejected",
        direction: "inbound",
        stage: "RCPT",
        class: "5xx",
        recipient: "alice@example.com",
        remote_ip: "203.0.113.51",
        text: Some("Sender verify failed"),
        ..BASE
    },
    Case {
        line: "2026-11-21 08:04:15 H=localhost (mx1.example.com) [127.0.0.1] F=<a@example.com> rejected RCPT <blocked@example.com>",
        action: "rejected",
        direction: "inbound",
        stage: "RCPT",
        class: "5xx",
        recipient: "blocked@example.com",
        remote_host: "localhost",
        remote_ip: "127.0.0.1",
        ..BASE
    },
    // 7. Other refusals by our server.
    Case {
        line: "2026-11-21 08:05:00 SMTP protocol synchronization error (input sent without waiting for greeting): rejected connection from H=[203.0.113.78] input=\"EHLO User\\r\\n\"",
        action: "rejected",
        direction: "inbound",
        stage: "CONNECT",
        class: "5xx",
        remote_ip: "203.0.113.78",
        text: Some("SMTP protocol synchronization error (input sent without waiting for greeting)"),
        ..BASE
    },
    Case {
        line: "2026-11-21 08:05:01 SMTP protocol synchronization error (next input sent too soon: pipelining was not advertised): rejected \"EHLO User\" H=(User) [203.0.113.79]:51000 I=[192.0.2.1]:25 next input=\"MAIL FROM:<a@b.example>\\r\\n\"",
        action: "rejected",
        direction: "inbound",
        stage: "HELO",
        class: "5xx",
        remote_ip: "203.0.113.79",
        text: Some(
            "SMTP protocol synchronization error (next input sent too soon: pipelining was not advertised)",
        ),
        ..BASE
    },
    Case {
        line: "2026-11-21 08:05:02 SMTP call from (User) [185.220.100.6] dropped: too many nonmail commands (last was \"RSET\")",
        action: "rejected",
        direction: "inbound",
        stage: "RSET",
        class: "5xx",
        remote_ip: "185.220.100.6",
        text: Some("too many nonmail commands"),
        ..BASE
    },
    Case {
        line: "2026-11-21 08:05:03 +0100 SMTP call from scan.example [198.51.100.91]:46642 I=[192.0.2.1]:25 Ci=166533 dropped: too many syntax or protocol errors (last command was \"RCPT TO: <'mail@recipient.example'>\", C=EHLO,MAIL,RCPT,RCPT)",
        action: "rejected",
        direction: "inbound",
        stage: "RCPT",
        class: "5xx",
        remote_host: "scan.example",
        remote_ip: "198.51.100.91",
        text: Some("too many syntax or protocol errors"),
        ..BASE
    },
    Case {
        line: "2026-11-21 08:05:04 Connection from [203.0.113.99]:40122 refused: too many connections from that IP address",
        action: "rejected",
        direction: "inbound",
        stage: "CONNECT",
        class: "4xx",
        remote_ip: "203.0.113.99",
        text: Some("too many connections from that IP address"),
        ..BASE
    },
    Case {
        line: "2026-11-21 08:05:05 dovecot_login authenticator failed for (User) [185.220.100.5]: 535 Incorrect authentication data (set_id=admin@example.com)",
        action: "rejected",
        direction: "inbound",
        stage: "AUTH",
        reply: "535",
        class: "5xx",
        remote_ip: "185.220.100.5",
        text: Some("Incorrect authentication data"),
        ..BASE
    },
    Case {
        line: "2026-11-21 08:05:06 dovecot_plain authenticator failed for H=mail.example (helo.example) [203.0.113.5]:2525 I=[192.0.2.25]:587: 535 Incorrect authentication data (set_id=sales@example.com)",
        action: "rejected",
        direction: "inbound",
        stage: "AUTH",
        reply: "535",
        class: "5xx",
        remote_host: "mail.example",
        remote_ip: "203.0.113.5",
        text: Some("Incorrect authentication data"),
        ..BASE
    },
    Case {
        line: "2026-11-21 08:05:07 dovecot_login authenticator failed for (laptop) [192.0.2.77]: 435 Unable to authenticate at present (set_id=bob@example.com): failed to connect to the authentication daemon",
        action: "rejected",
        direction: "inbound",
        stage: "AUTH",
        reply: "435",
        class: "4xx",
        remote_ip: "192.0.2.77",
        text: Some(
            "Unable to authenticate at present: failed to connect to the authentication daemon",
        ),
        ..BASE
    },
    // A connection that failed: the message after the host only names the host again.
    Case {
        line: "2023-03-24 10:02:24 1pfdJV-004eVE-9X == zeus@example.dev R=dnslookup T=remote_smtp defer (113): No route to host H=mail.example.dev [192.0.2.93]: mail.example.dev [192.0.2.93]",
        action: "deferred",
        stage: "CONNECT",
        class: "4xx",
        recipient: "zeus@example.dev",
        remote_host: "mail.example.dev",
        remote_ip: "192.0.2.93",
        queue_id: "1pfdJV-004eVE-9X",
        text: Some("No route to host"),
        ..BASE
    },
    // Without a system error, the message is all there is, even when it only names the host.
    Case {
        line: "2023-03-24 10:02:24 1pfdJV-004eVE-9X == zeus@example.dev R=dnslookup T=remote_smtp defer (-18) H=mail.example.dev [192.0.2.93]: mail.example.dev [192.0.2.93]",
        action: "deferred",
        class: "4xx",
        recipient: "zeus@example.dev",
        remote_host: "mail.example.dev",
        remote_ip: "192.0.2.93",
        queue_id: "1pfdJV-004eVE-9X",
        text: Some("mail.example.dev [192.0.2.93]"),
        ..BASE
    },
    Case {
        line: "2017-01-01 10:00:00 10HmaX-0005vi-00 ** baduser@test.ex R=client T=send_to_server H=mx.test.ex [192.0.2.4]: PRDR error after DATA: 550 PRDR R=<baduser@test.ex> refusal",
        action: "bounced",
        stage: "END-OF-DATA",
        reply: "550",
        class: "5xx",
        recipient: "baduser@test.ex",
        remote_host: "mx.test.ex",
        remote_ip: "192.0.2.4",
        queue_id: "10HmaX-0005vi-00",
        text: Some("PRDR R=<baduser@test.ex> refusal"),
        ..BASE
    },
    // `<system-filter>` names the filter that made the address.
    Case {
        line: "1999-03-02 09:44:33 10HmaX-0005vi-00 => userz <system-filter> R=user_accept1 T=appendfile",
        action: "sent",
        class: "2xx",
        recipient: "userz",
        queue_id: "10HmaX-0005vi-00",
        ..BASE
    },
    Case {
        line: "2017-01-01 10:00:00 U=CALLER rejected EXPN list",
        action: "rejected",
        direction: "inbound",
        stage: "EXPN",
        class: "5xx",
        ..BASE
    },
];

#[test]
fn every_case_extracts_its_fields() {
    assert!(CASES.len() >= 40, "keep at least 40 real-shaped lines");
    for case in CASES {
        check(case);
    }
}

fn event_of(line: &str) -> Event<'_> {
    match parse_text(line) {
        Parsed::Event(event) => event,
        other => panic!("no event from {line}: {other:?}"),
    }
}

fn case_with(needle: &str) -> &'static Case {
    CASES
        .iter()
        .find(|c| c.line.contains(needle))
        .unwrap_or_else(|| panic!("no case with {needle}"))
}

#[test]
fn folded_reply_loses_its_continuation_prefixes() {
    let event = event_of(case_with("DmarcRejection").line);
    assert_eq!(
        event.text,
        "Unauthenticated email from example.com is not accepted due to domain's DMARC policy. \
         Please contact the administrator of example.com \
         https://support.google.com/mail/?p=DmarcRejection \
         d9443c01a7336-20b0f6e5c3asi7719235ad.311 - gsmtp"
    );
}

#[test]
fn header_time_millis_zone_and_pid() {
    let event = event_of(case_with("1vK2Pr-00000001aBd-1Xyz").line);
    let ts = event.timestamp.unwrap();
    assert_eq!(ts.to_string(), "2026-11-21T08:00:12.345+01:00");
    assert_eq!(event.pid, Some(4242));
    assert_eq!(event.queue_id, "1vK2Pr-00000001aBd-1Xyz");
    // +sender_on_delivery gives the sender even on a delivery line.
    assert_eq!(event.sender, "alice@example.com");

    let event = event_of(case_with("1tE3xH-000Ab8-Xz").line);
    let expected = NaiveDate::from_ymd_opt(2026, 11, 21)
        .unwrap()
        .and_hms_opt(8, 1, 0)
        .unwrap();
    assert_eq!(event.timestamp.unwrap().local, expected);
    assert_eq!(event.timestamp.unwrap().offset, None);
    assert_eq!(event.pid, None);
    // Exim does not log the sender on `**` lines.
    assert_eq!(event.sender, "");
}

#[test]
fn old_and_new_message_ids() {
    assert_eq!(
        split_id("1tE3xA-000Ab1-Qz ** x"),
        ("1tE3xA-000Ab1-Qz", "** x")
    );
    assert_eq!(
        split_id("1vK2Pq-00000001aBc-0Xyz => x"),
        ("1vK2Pq-00000001aBc-0Xyz", "=> x")
    );
    assert_eq!(split_id("1tE3xA-000Ab1-Qz"), ("1tE3xA-000Ab1-Qz", ""));
    // Not ids: wrong lengths, other characters, no space after.
    assert_eq!(split_id("1tE3xA-000Ab1-Qzz x").0, "");
    assert_eq!(split_id("1tE3xA-000Ab-Qz x").0, "");
    assert_eq!(split_id("1tE3xA_000Ab1-Qz x").0, "");
    assert_eq!(split_id("SMTP-connection from x").0, "");
    // A dash where a letter belongs, in either form.
    assert_eq!(split_id("1tE3xA-00-Ab1-Qz x").0, "");
    assert_eq!(split_id("1vK2Pq-00000-01aBc-0Xyz x").0, "");
    assert_eq!(split_id("1vK2Pq-00000001aBc-0X-z x").0, "");
    assert_eq!(split_id("1tE3xA-000Ab1-").0, "");
}

#[test]
fn inbound_sender_is_kept() {
    let event = event_of(case_with("relay not permitted").line);
    assert_eq!(event.sender, "someone@other.example");
    let event = event_of(case_with("MAIL <ceo@example.com>").line);
    assert_eq!(event.sender, "ceo@example.com");
    let event = event_of(case_with("MAIL FROM:<big@huge.example>").line);
    assert_eq!(event.sender, "big@huge.example");
}

#[test]
fn lines_without_outcome() {
    for line in [
        "2026-11-21 08:00:01 1tE3xA-000Ab1-Qz <= alice@example.com H=(laptop) [192.0.2.41] P=esmtpsa X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=no A=dovecot_plain:alice S=4523 id=20261120.GA77@example.com T=\"Re: 550 5.1.1 rejected\"",
        "2026-11-21 08:00:01 1tE3xA-000Ab1-Qz <= <> R=1tE3x9-000Ab0-Pz U=Debian-exim P=local S=6698",
        "2026-11-21 08:00:01 1tE3xA-000Ab1-Qz (= b2@example.org H=localhost (mx1.example.com) [127.0.0.1] P=esmtp S=812 for fake@example.com",
        "2026-11-21 08:00:02 1tE3xA-000Ab1-Qz Completed",
        "2026-11-21 08:00:02 1tE3xA-000Ab1-Qz Completed QT=1.3s",
        "2026-11-21 08:00:02 1tE3xA-000Ab1-Qz Message is frozen",
        "2026-11-21 08:00:02 1tE3xA-000Ab1-Qz Unfrozen by forced delivery",
        "2026-11-21 08:00:02 1tE3xA-000Ab1-Qz removed by root",
        "2026-11-21 08:00:02 1tE3xA-000Ab1-Qz no immediate delivery: queued by ACL",
        "2026-11-21 08:00:02 1tE3xA-000Ab1-Qz rmt_reject@example.com: error ignored: RFC 3461 DSN, failure notify not requested",
        "2026-11-21 08:00:03 Start queue run: pid=4242",
        "2026-11-21 08:00:04 End queue run: pid=4242",
        "2026-11-21 08:00:06 SMTP connection from (User) [185.220.100.6]:40000 lost D=0.397s",
        "2026-11-21 08:00:06 SMTP connection from mail.example.org [203.0.113.5]:41000 I=[192.0.2.1]:25 (TCP/IP connection count = 3)",
        "2026-11-21 08:00:06 SMTP connection from [203.0.113.5] closed by DROP in ACL",
        "2026-11-21 08:00:07 SMTP command timeout on connection from (slowpoke) [198.51.100.200] D=5m",
        "2026-11-21 08:00:09 H=(x) [203.0.113.51] sender verify fail for <alerts@fakebank.example>: Unrouteable address",
        "2026-11-21 08:00:09 H=(x) [203.0.113.51] sender verify fail for <a@b.example>: response to \"RCPT TO:<a@b.example>\" from mx.b.example [198.51.100.3] was: 550 5.1.1 User unknown",
        "2026-11-21 08:00:10 H=(x) [203.0.113.52] Warning: message has a suspicious subject",
        "2026-11-21 08:00:10 1tE3xA-000Ab1-Qz H=mail.partner.example [203.0.113.44] Warning: spam score 6.2 (threshold 5.0)",
        "2026-11-21 08:00:10 1tE3xA-000Ab1-Qz H=mail.partner.example [203.0.113.44] Warning: message would have been rejected: 550 5.7.1 spam",
        "2026-11-21 08:00:10 1tE3xA-000Ab1-Qz H=(helo.example) [203.0.113.44] Connection reset by peer",
        "2026-11-21 08:00:10 1tE3xA-000Ab1-Qz H=mail.partner.example [203.0.113.44] F=<a@partner.example> custom note",
        "2026-11-21 08:00:13 cwd=/var/spool/exim4 3 args: /usr/sbin/exim4 -Mrm 1tE3xA-000Ab1-Qz",
        // Retry waits are not attempts (see `deferred`).
        "2026-11-21 08:00:14 1tE3xA-000Ab1-Qz == dave@yahoo.com R=dnslookup T=remote_smtp defer (-54): retry time not reached for any host for 'yahoo.com'",
        "2026-11-21 08:00:14 1tE3xA-000Ab1-Qz == defer@example.com routing defer (-52): retry time not reached",
        "2026-11-21 08:00:14 1tE3xA-000Ab1-Qz == ted <ted@example.com> R=local_user T=local_delivery defer (-53): retry time not reached",
        "2014-08-05 07:44:14 1XEPof-0001p2-Oi == www-data@example.com R=local_user T=mail_spool defer (-52): Retry time not yet reached",
        // Left for a queue run on purpose (`-odqs`, `queue_smtp_domains`), before any try.
        "2026-11-21 08:00:14 1tE3xA-000Ab1-Qz == carol@example.net R=dnslookup T=remote_smtp defer (0): SMTP delivery explicitly queued",
        "2026-11-21 08:00:14 1tE3xA-000Ab1-Qz == xxx@local.test.ex routing defer (-56): domain is in queue_domains",
        "2026-11-21 08:00:14 1tE3xA-000Ab1-Qz == yyy@ten-2.test.ex R=lookuphost T=smtp defer (-1): first-pass only routing due to -odqs, queue_smtp_domains or control=queue",
        // An autoreply is a message of its own, delivered and counted under its own id.
        "2026-11-21 08:00:14 1tE3xA-000Ab1-Qz => >caller@example.org <system-filter> T=address_reply",
        // A delivery that `-N` suppressed reached no one.
        "2026-11-21 08:00:11 1tE3xF-000Ab6-Vz *> test@example.org R=dnslookup T=remote_smtp H=mx.example.org [203.0.113.5]",
        // The rejectlog's header dump after a reject.
        "Envelope-from: <newsletter@lists.example>",
        "Envelope-to: <alice@example.com>",
        "P Received: from out.lists.example ([198.51.100.210])",
        "\tby mx1.example.com with esmtp (Exim 4.96)",
        "        id 1tE3xA-000Ab1-Qz",
        "        for alice@example.com; Sat, 21 Nov 2026 08:00:15 +0100",
        "F From: \"Lucky Winner\" <lucky@bad.example>",
        "T To: alice@example.com",
        "I Message-ID: <20261121080015.1@bad.example>",
        "* X-Spam-Flag: YES",
        "  Subject: You have WON!!! 550 5.7.1",
        "",
    ] {
        assert!(
            matches!(parse_text(line), Parsed::NoOutcome | Parsed::Lifecycle(_)),
            "{line}"
        );
    }
}

#[test]
fn what_exim_says_of_itself_is_summed_up_by_severity_or_action() {
    use crate::parse::diagnostic::Severity;
    use crate::parse::diverted::Diversion;
    for (line, severity, message) in [
        (
            "2026-11-21 08:00:08 TLS error on connection from mail.oldserver.example [198.51.100.190] (SSL_accept): error:0A000102:SSL routines::unsupported protocol",
            Severity::Warning,
            "TLS error on connection from mail.oldserver.example [198.51.100.190] (SSL_accept): error:0A000102:SSL routines::unsupported protocol",
        ),
        (
            "2026-11-21 08:00:11 SMTP protocol error in \"AUTH LOGIN\" H=(User) [185.220.100.7] AUTH command used when not advertised",
            Severity::Warning,
            "SMTP protocol error in \"AUTH LOGIN\" H=(User) [185.220.100.7] AUTH command used when not advertised",
        ),
        (
            "2026-11-21 08:00:12 no host name found for IP address 203.0.113.5",
            Severity::Warning,
            "no host name found for IP address 203.0.113.5",
        ),
        (
            "2014-08-05 07:44:15 1XE5ec-0000Ov-4m lowest numbered MX record points to local host: example.de",
            Severity::Error,
            "lowest numbered MX record points to local host: example.de",
        ),
        (
            "2026-11-21 08:00:20 [2101] 1tE3xA-000Ab1-Qz H=(client.example) [203.0.113.9] F=<a@example.com> failed to expand ACL string \"${if eq{$acl_m0}{}{}}\": unknown variable name",
            Severity::Error,
            "H=(client.example) [203.0.113.9] F=<a@example.com> failed to expand ACL string \"${if eq{$acl_m0}{}{}}\": unknown variable name",
        ),
        (
            "2026-11-21 08:00:21 1tE3xA-000Ab1-Qz home directory \"/home/${local_part}\" failed to expand for local_delivery transport: unknown variable",
            Severity::Error,
            "home directory \"/home/${local_part}\" failed to expand for local_delivery transport: unknown variable",
        ),
        (
            "2026-11-21 08:00:22 socket bind() to port 25 for address (any IPv4) failed: Address already in use: daemon abandoned",
            Severity::Fatal,
            "socket bind() to port 25 for address (any IPv4) failed: Address already in use: daemon abandoned",
        ),
        (
            "2026-11-21 08:00:23 Exim configuration error in line 812 of /etc/exim4/exim4.conf.template:",
            Severity::Fatal,
            "Exim configuration error in line 812 of /etc/exim4/exim4.conf.template:",
        ),
    ] {
        match parse_text(line) {
            Parsed::Diagnosed(said) => {
                assert_eq!(said.tier, severity, "{line}");
                assert_eq!(said.message, message, "{line}");
                assert_eq!(said.program, "exim");
                assert!(said.timestamp.is_some(), "{line}");
            }
            other => panic!("{line}: {other:?}"),
        }
    }
    for (line, message) in [
        (
            "2026-11-21 08:00:02 1tE3xA-000Ab1-Qz Frozen (delivery error message)",
            "Frozen (delivery error message)",
        ),
        ("2014-08-05 07:44:15 1XE5ec-0000Ov-4m Frozen", "Frozen"),
        (
            "2026-11-21 08:00:02 1tE3xA-000Ab1-Qz frozen by ACL",
            "frozen by ACL",
        ),
        (
            "2026-11-21 08:00:02 1tE3xA-000Ab1-Qz Frozen by the system filter: subject was \"win big\"",
            "Frozen by the system filter",
        ),
    ] {
        match parse_text(line) {
            Parsed::Diverted(said) => {
                assert_eq!(said.tier, Diversion::Freeze, "{line}");
                assert_eq!(said.message, message, "{line}");
            }
            other => panic!("{line}: {other:?}"),
        }
    }
}

#[test]
fn mail_thrown_away_on_purpose_is_a_discard_not_a_delivery() {
    for (line, message, note) in [
        (
            "2026-11-21 08:00:13 1tE3xG-000Ab7-Wz => :blackhole: <spamtrap@example.com> R=blackhole_router",
            "blackhole",
            "R=blackhole_router",
        ),
        (
            "2012-02-13 14:39:22 1RwtJa-000AFB-07 => :blackhole: <junk@example.ru> R=blackhole_router",
            "blackhole",
            "R=blackhole_router",
        ),
        (
            "2024-05-14 16:07:15 [7070] 1sAbDl-0002cP-6H => blackhole (DATA ACL discarded recipients): spam score 31.2",
            "blackhole (DATA ACL discarded recipients): spam score 31.2",
            "",
        ),
        (
            "2024-05-14 16:07:15 1sAbDl-0002cP-6H => blackhole (RCPT ACL discarded recipients)",
            "blackhole (RCPT ACL discarded recipients)",
            "",
        ),
    ] {
        match parse_text(line) {
            Parsed::Diverted(said) => {
                assert_eq!(said.tier, Diversion::Discard, "{line}");
                assert_eq!((said.message, said.note), (message, note), "{line}");
            }
            other => panic!("{line}: {other:?}"),
        }
    }
    // A local user called blackhole is a delivery like any other.
    let line = "2024-05-14 16:07:15 1sAbDl-0002cP-6H => blackhole <blackhole@example.com> R=local_user T=local_delivery";
    let Parsed::Event(event) = parse_text(line) else {
        panic!("{line}")
    };
    assert_eq!(event.recipient, "blackhole@example.com");
}

#[test]
fn the_recipient_is_the_address_the_delivery_went_to() {
    for (line, recipient) in [
        // A forward: the server at H= answered for the address it was forwarded to.
        (
            "2021-05-04 13:37:00 +0100 1hEsVV-006q9f-M2 => mail@host.example <foo@other.example> SRS=<SRS0=MQyYEB=SO=other.example=foo@other.example> R=tls_lookuphost T=tls_remote_smtp H=mail.remote.example [198.51.100.23] C=\"250 OK id=1hEsVX-0004tM-38\"",
            "mail@host.example",
        ),
        (
            "2021-05-04 13:37:00 1gtTXl-009NOy-Ft ->  foo@bar.example <\" foo.bar\"@baz.example> R=dkim_lookuphost T=dkim_remote_smtp H=mail.host.example [198.51.100.23]",
            "foo@bar.example",
        ),
        // A local part alone, a pipe or a file: the envelope recipient stands for it.
        (
            "2026-11-21 08:00:07 1tE3xB-000Ab2-Rz => alice <alice@example.com> R=local_user T=mail_spool",
            "alice@example.com",
        ),
        (
            "2026-11-21 08:00:07 1tE3xB-000Ab2-Rz => |/usr/bin/procmail -d bob <bob@example.com> R=procmail T=procmail_pipe",
            "bob@example.com",
        ),
        (
            "2026-11-21 08:00:07 1tE3xB-000Ab2-Rz => /var/mail/archive <archive@example.com> R=archive T=address_file",
            "archive@example.com",
        ),
        // A command holding spaces, brackets and a redirect.
        (
            "2026-11-21 08:00:07 1tE3xB-000Ab2-Rz => |/usr/bin/filter -x <in> (bob@example.com) <bob@example.com> R=filter T=filter_pipe",
            "bob@example.com",
        ),
        // A local part and the pipe it went to, with its parent.
        (
            "2026-11-21 08:00:07 1tE3xB-000Ab2-Rz => sales+spam |/usr/local/cpanel/bin/autorespond sales+spam@shop.example /etc/vdomainaliases (sales@shop.example) <sales@shop.example> R=autoresponder T=address_pipe",
            "sales@shop.example",
        ),
    ] {
        let Parsed::Event(event) = parse_text(line) else {
            panic!("{line}")
        };
        assert_eq!(event.recipient, recipient, "{line}");
    }
}

#[test]
fn completion_and_bounce_arrival_tell_of_the_message() {
    let line = "2026-11-21 08:00:09 1tE3xA-000Ab1-Qz Completed QT=5s";
    let Parsed::Lifecycle(said) = parse_text(line) else {
        panic!("not a lifecycle line: {line}")
    };
    assert_eq!(said.message.id, "1tE3xA-000Ab1-Qz");
    assert!(said.message.ends && said.message.made.is_none());
    assert_eq!(
        said.timestamp.unwrap().local.to_string(),
        "2026-11-21 08:00:09"
    );

    let line = "2026-11-21 08:00:10 1tE3xB-000Ab2-Rz <= <> R=1tE3xA-000Ab1-Qz U=Debian-exim P=local S=2345";
    let Parsed::Lifecycle(said) = parse_text(line) else {
        panic!("not a lifecycle line: {line}")
    };
    assert_eq!(
        said.message.made,
        Some(("1tE3xA-000Ab1-Qz", "1tE3xB-000Ab2-Rz"))
    );
    assert!(!said.message.ends);

    // An ordinary arrival, and a bounce arrival without R=, say nothing of another message.
    for line in [
        "2026-11-21 08:00:10 1tE3xC-000Ab3-Sz <= alice@example.com H=(x) [192.0.2.1] P=esmtp S=100",
        "2026-11-21 08:00:10 1tE3xC-000Ab3-Sz <= <> H=(x) [192.0.2.1] P=esmtp S=100",
    ] {
        assert_eq!(parse_text(line), Parsed::NoOutcome, "{line}");
    }
}

#[test]
fn pipelined_commands_in_exim_own_words_give_their_stage() {
    let cases = [
        Case {
            line: "2026-11-21 09:00:18 1tE3xD-000Ab4-Tz == n@example.com R=dnslookup T=remote_smtp defer (-18) H=mx.example.com [203.0.113.30]: Remote host closed connection in response to pipelined MAIL FROM:<s@example.org> SIZE=1234",
            action: "deferred",
            stage: "MAIL",
            class: "4xx",
            recipient: "n@example.com",
            remote_host: "mx.example.com",
            remote_ip: "203.0.113.30",
            queue_id: "1tE3xD-000Ab4-Tz",
            text: Some(
                "Remote host closed connection in response to pipelined MAIL FROM:<s@example.org> SIZE=1234",
            ),
            ..BASE
        },
        Case {
            line: "2026-11-21 09:00:19 1tE3xD-000Ab4-Tz H=mx.example.com [203.0.113.30]: SMTP timeout after pipelined RCPT TO:<o@example.com>",
            action: "refused",
            stage: "RCPT",
            class: "4xx",
            remote_host: "mx.example.com",
            remote_ip: "203.0.113.30",
            queue_id: "1tE3xD-000Ab4-Tz",
            text: Some("SMTP timeout after pipelined RCPT TO:<o@example.com>"),
            ..BASE
        },
    ];
    for case in &cases {
        check(case);
    }
}

#[test]
fn unreadable_lines_are_unmatched_not_dropped() {
    for line in [
        "2026-11-21 08:00:01 1tE3xA-000Ab1-Qz **",
        "2026-11-21 08:00:01 1tE3xA-000Ab1-Qz ** bob@example.org R=dnslookup T=remote_smtp",
        "2026-11-21 08:00:01 1tE3xA-000Ab1-Qz == bob@example.org R=dnslookup T=remote_smtp",
        "2026-11-21 08:00:01 1tE3xA-000Ab1-Qz =>",
        "2026-11-21 08:00:01 H=(x) [192.0.2.1] F=<a@b.example> rejected BOGUS <c@d.example>: x",
        "2026-11-21 08:00:01 1tE3xA-000Ab1-Qz the server said 550 5.1.1 in an odd way",
        "2026-11-21 08:00:01",
        "2026-11-21 08:0",
        "2026-11-21T08:00:01 1tE3xA-000Ab1-Qz => bob@example.org R=x",
        "1tE3xA-000Ab1-Qz => bob@example.org R=dnslookup T=remote_smtp",
        "Nov 21 08:00:04 mx1 exim[4242]: 1tE3xA-000Ab1-Qz Completed",
        "garbage line here",
        "From: no flag before the header",
    ] {
        assert_eq!(parse_text(line), Parsed::Unmatched, "{line:?}");
    }
}

fn syslog_ctx() -> LineContext {
    LineContext {
        years: years(),
        format: SourceFormat::Syslog,
    }
}

#[test]
fn exim_through_syslog() {
    let line = "Nov 21 08:00:04 mx1 exim[4242]: 1tE3xA-000Ab1-Qz ** bob@example.org R=dnslookup T=remote_smtp H=mx.example.org [203.0.113.5]: SMTP error from remote mail server after RCPT TO:<bob@example.org>: 550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown";
    let Parsed::Event(event) = parse_line(line, &syslog_ctx()) else {
        panic!("no event")
    };
    assert_eq!(event.log_format, LogFormat::Exim);
    assert_eq!(
        (event.host, event.program, event.pid),
        ("mx1", "exim", Some(4242))
    );
    assert_eq!(event.queue_id, "1tE3xA-000Ab1-Qz");
    assert_eq!(event.action, Action::Bounced);
    assert_eq!(event.reply_code, Some(550));
    assert_eq!(event.stage, Some("RCPT"));
    assert_eq!(event.recipient, "bob@example.org");
    assert_eq!(event.remote_ip, "203.0.113.5");
    assert_eq!(event.timestamp.unwrap().to_string(), "2026-11-21T08:00:04");

    // With syslog_timestamp, Exim's own time (with its year, millis and zone) is used.
    let line = "Nov 21 08:00:05 mx1 exim4[4243]: 2026-11-21 08:00:05.123 +0100 [4243] 1vK2Pq-00000001aBc-0Xyz == frank@example.net R=dnslookup T=remote_smtp defer (-44) H=mx.example.net [198.51.100.20]: SMTP error from remote mail server after RCPT TO:<frank@example.net>: 451 4.7.1 Greylisted";
    let Parsed::Event(event) = parse_line(line, &syslog_ctx()) else {
        panic!("no event")
    };
    assert_eq!(event.program, "exim4");
    assert_eq!(event.queue_id, "1vK2Pq-00000001aBc-0Xyz");
    assert_eq!(event.action, Action::Deferred);
    assert_eq!(
        event.timestamp.unwrap().to_string(),
        "2026-11-21T08:00:05.123+01:00"
    );

    let line = "Nov 21 08:00:06 mx1 exim[4244]: H=(ylmf-pc) [203.0.113.45] F=<a@spammer.example> rejected RCPT <info@example.com>: relay not permitted";
    let Parsed::Event(event) = parse_line(line, &syslog_ctx()) else {
        panic!("no event")
    };
    assert_eq!(event.queue_id, "");
    assert_eq!(event.direction, Direction::Inbound);
    assert_eq!(event.recipient, "info@example.com");

    // Long lines split by Exim's syslog writer: the first part is read, the others are not.
    let first = "Nov 21 08:00:07 mx1 exim[4245]: [1\\2] 1tE3xA-000Ab1-Qz ** bob@example.org R=dnslookup T=remote_smtp H=mx.example.org [203.0.113.5]: SMTP error from remote mail server after end of data: 550 5.7.1 first part";
    let Parsed::Event(event) = parse_line(first, &syslog_ctx()) else {
        panic!("no event")
    };
    assert_eq!(event.stage, Some("END-OF-DATA"));
    let second = "Nov 21 08:00:07 mx1 exim[4245]: [2\\2] of a very long reply 550 5.7.1";
    assert_eq!(parse_line(second, &syslog_ctx()), Parsed::NoOutcome);

    let later = "Nov 21 08:00:07 mx1 exim[4245]: [3/3] continued";
    assert_eq!(parse_line(later, &syslog_ctx()), Parsed::NoOutcome);

    // A pid left in the message without Exim's time.
    let line =
        "Nov 21 08:00:07 mx1 exim: [4247] 1tE3xA-000Ab1-Qz ** a@b.example: Unrouteable address";
    let Parsed::Event(event) = parse_line(line, &syslog_ctx()) else {
        panic!("no event")
    };
    assert_eq!(
        (event.pid, event.queue_id),
        (Some(4247), "1tE3xA-000Ab1-Qz")
    );

    let line = "Nov 21 08:00:08 mx1 exim[4246]: 1tE3xA-000Ab1-Qz Completed";
    let Parsed::Lifecycle(said) = parse_line(line, &syslog_ctx()) else {
        panic!("not a lifecycle line")
    };
    assert_eq!((said.host, said.message.id), ("mx1", "1tE3xA-000Ab1-Qz"));
    assert!(said.message.ends && said.timestamp.is_some());
}

#[test]
fn a_repeated_line_of_rsyslog_gives_one_event() {
    let line = "Nov 21 08:00:06 mx1 exim4[4244]: message repeated 4 times: [ H=(ylmf-pc) [203.0.113.45] F=<a@spammer.example> rejected RCPT <info@example.com>: relay not permitted]";
    let Parsed::Event(event) = parse_line(line, &syslog_ctx()) else {
        panic!("no event")
    };
    assert_eq!(event.direction, Direction::Inbound);
    assert_eq!(event.stage, Some("RCPT"));
    assert_eq!(event.remote_ip, "203.0.113.45");
    assert_eq!(event.recipient, "info@example.com");
    assert_eq!(event.text, "relay not permitted");
}

#[test]
fn enhanced_code_from_the_second_line_of_a_folded_reply() {
    let line = "2026-11-21 09:01:30 1vK2Pu-00000005eFg-4Bcd ** ned@example.com R=dnslookup T=remote_smtp H=mx.example.com [203.0.113.30]: SMTP error from remote mail server after RCPT TO:<ned@example.com>: 554-mx.example.com\\n554 5.7.1 Your access to this mail system has been rejected";
    let Parsed::Event(event) = parse_mainlog(line, &years()) else {
        panic!("no event")
    };
    assert_eq!(event.reply_code, Some(554));
    assert_eq!(event.enhanced_code, "5.7.1".parse().ok());
    assert_eq!(
        event.text,
        "mx.example.com Your access to this mail system has been rejected"
    );
}

#[test]
fn host_specs_of_every_shape() {
    let h = |t| read_host_spec(t).map(|(h, len)| (h.name, h.ip, len));
    assert_eq!(
        h("mx.example.org [192.0.2.1]:25* X="),
        Some(("mx.example.org", "192.0.2.1", 30))
    );
    assert_eq!(
        h("(helo) [2001:db8::1]:587 I="),
        Some(("", "2001:db8::1", 24))
    );
    assert_eq!(
        h("([192.0.2.9]) [192.0.2.9]: 535"),
        Some(("", "192.0.2.9", 25))
    );
    assert_eq!(
        h("name (helo (odd)) [192.0.2.2]"),
        Some(("name", "192.0.2.2", 29))
    );
    assert_eq!(h("localhost"), Some(("localhost", "", 9)));
    assert_eq!(h("[192.0.2.3]"), Some(("", "192.0.2.3", 11)));
    assert_eq!(h(""), None);
    assert_eq!(h(" x"), None);
    assert_eq!(h("(unclosed [192.0.2.4]"), None);
    assert_eq!(h("mx [unclosed"), None);
}

#[test]
fn time_of_exim_lines_with_every_header_form() {
    for (line, time, pid) in [
        (
            "2026-11-21 08:00:04 1tE3xA-000Ab1-Qz ** a@b.example: Unrouteable address",
            "2026-11-21T08:00:04",
            None,
        ),
        (
            "2026-11-21 08:00:04 [123] 1tE3xA-000Ab1-Qz ** a@b.example: Unrouteable address",
            "2026-11-21T08:00:04",
            Some(123),
        ),
        // A pid too large to be one is dropped, and the line still read.
        (
            "2026-11-21 08:00:04 [99999999999] 1tE3xA-000Ab1-Qz ** a@b.example: Unrouteable address",
            "2026-11-21T08:00:04",
            None,
        ),
        (
            "2026-11-21 08:00:04.5 1tE3xA-000Ab1-Qz ** a@b.example: Unrouteable address",
            "2026-11-21T08:00:04.500",
            None,
        ),
        (
            "2026-11-21 08:00:04.123456 -0500 [77] 1tE3xA-000Ab1-Qz ** a@b.example: Unrouteable address",
            "2026-11-21T08:00:04.123456-05:00",
            Some(77),
        ),
    ] {
        let event = event_of(line);
        assert_eq!(event.timestamp.unwrap().to_string(), time, "{line}");
        assert_eq!(event.pid, pid, "{line}");
        assert_eq!(event.queue_id, "1tE3xA-000Ab1-Qz");
    }
}

#[test]
fn generated_exim_logs_parse_as_intended() {
    use crate::generate::{GenFormat, GenOptions, generate};
    let start = NaiveDate::from_ymd_opt(2026, 11, 21)
        .unwrap()
        .and_hms_opt(6, 0, 0)
        .unwrap();
    for seed in [1, 3, 11] {
        let mut opts = GenOptions::new(GenFormat::Exim, seed, start);
        opts.lines = 5000;
        let mut out = Vec::new();
        let stats = generate(&opts, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let mut events = 0u64;
        let mut seen = std::collections::BTreeSet::new();
        for line in text.lines() {
            match parse_text(line) {
                Parsed::Event(event) => {
                    events += 1;
                    assert!(event.timestamp.is_some(), "{line}");
                    seen.insert((event.action.label(), event.direction.label()));
                }
                Parsed::Unmatched | Parsed::Foreign => panic!("seed {seed}: not read: {line}"),
                Parsed::NoOutcome
                | Parsed::Lifecycle(_)
                | Parsed::Screened(_)
                | Parsed::Diagnosed(_)
                | Parsed::Diverted(_)
                | Parsed::Restarted(_) => {}
            }
        }
        // The generator counts the lines it means as outcomes; the parser must agree.
        assert_eq!(events, stats.outcome_lines, "seed {seed}");
        for kind in [
            ("sent", "outbound"),
            ("bounced", "outbound"),
            ("expired", "outbound"),
            ("deferred", "outbound"),
            ("refused", "outbound"),
            ("rejected", "inbound"),
        ] {
            assert!(seen.contains(&kind), "seed {seed}: no {kind:?}");
        }
    }
}

/// Counts every line of a fixture by what it became: an action label, `no_outcome`,
/// `foreign` or `unmatched`.
fn buckets(text: &str, ctx: &LineContext) -> std::collections::BTreeMap<String, usize> {
    let mut counts = std::collections::BTreeMap::new();
    for line in text.lines() {
        let key = match parse_line(line, ctx) {
            Parsed::Event(event) => format!("{}:{}", event.log_format.label(), event.action),
            Parsed::NoOutcome
            | Parsed::Lifecycle(_)
            | Parsed::Screened(_)
            | Parsed::Diagnosed(_)
            | Parsed::Diverted(_)
            | Parsed::Restarted(_) => "no_outcome".to_string(),
            Parsed::Foreign => "foreign".to_string(),
            Parsed::Unmatched => "unmatched".to_string(),
        };
        *counts.entry(key).or_insert(0) += 1;
    }
    counts
}

#[test]
fn fixtures_for_the_integration_tests_hold_what_they_claim() {
    let mainlog = include_str!("../../../tests/fixtures/exim/mainlog-shapes.log");
    let ctx = LineContext {
        years: years(),
        format: SourceFormat::EximMainlog,
    };
    let want: std::collections::BTreeMap<String, usize> = [
        ("exim:sent", 8),
        ("exim:bounced", 4),
        ("exim:expired", 1),
        ("exim:deferred", 5),
        ("exim:refused", 1),
        ("exim:rejected", 10),
        ("no_outcome", 40),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    assert_eq!(buckets(mainlog, &ctx), want);

    let syslog = include_str!("../../../tests/fixtures/exim/syslog-exim.log");
    let want: std::collections::BTreeMap<String, usize> = [
        ("exim:sent", 1),
        ("exim:bounced", 2),
        ("exim:deferred", 2),
        ("exim:refused", 1),
        ("exim:rejected", 3),
        ("postfix:sent", 1),
        ("foreign", 1),
        ("no_outcome", 6),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    assert_eq!(buckets(syslog, &syslog_ctx()), want);
}

/// Every case line and near miss, cut at every character and with bytes replaced, goes through
/// both entry points without a panic.
#[test]
fn truncated_and_garbled_lines_never_panic() {
    let syslog_prefix = "Nov 21 08:00:04 mx1 exim[1]: ";
    let mut lines: Vec<String> = CASES.iter().map(|c| c.line.to_string()).collect();
    lines.push("2026-11-21 08:00:04 [1] 1tE3xA-000Ab1-Qz == a (b <c R=d defer (".into());
    lines.push("2026-11-21 08:00:04 H=( [ F=< rejected RCPT < : \"".into());
    lines.push("2026-11-21 08:00:04 x authenticator failed for H=( ".into());
    for line in &lines {
        let boundaries: Vec<usize> = (0..=line.len())
            .filter(|&i| line.is_char_boundary(i))
            .collect();
        for &cut in &boundaries {
            for piece in [&line[..cut], &line[cut..]] {
                let _ = parse_text(piece);
                let _ = parse_line(&format!("{syslog_prefix}{piece}"), &syslog_ctx());
            }
        }
        for &at in boundaries.iter().step_by(3) {
            for replacement in [
                "\"", "<", ">", "[", "]", "(", ")", ": ", " ", "\\", "é", "=",
            ] {
                let mut garbled = line.clone();
                let end = line[at..].chars().next().map_or(at, |c| at + c.len_utf8());
                garbled.replace_range(at..end, replacement);
                let _ = parse_text(&garbled);
                let _ = parse_line(&format!("{syslog_prefix}{garbled}"), &syslog_ctx());
            }
        }
    }
}

/// Found by fuzzing: a quoted address with no closing quote, ending in a character of more
/// than one byte, was cut inside that character.
#[test]
fn an_unclosed_quoted_address_ending_in_a_wide_character() {
    let replaced = "\u{fffd}".repeat(70);
    for flag in [">>", "=>", "**", "==", "->"] {
        let tail = format!("{flag} \"{replaced}");
        let _ = parse_text(&format!("2026-11-21 08:00:04 1tE3xA-000Ab1-Qz {tail}"));
        let _ = parse_text(&format!("2026-11-21 08:00:04 {tail}"));
        let _ = parse_line(
            &format!("Nov 21 08:00:04 mx1 exim[42]: {tail}"),
            &syslog_ctx(),
        );
        let _ = parse_text(&format!("2026-11-21 08:00:04 1tE3xA-000Ab1-Qz {flag} \"é"));
    }
}

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn on_any_text(line in "\\PC{0,200}") {
            let _ = parse_text(&line);
        }

        #[test]
        fn on_exim_shaped_text(
            flag in prop::sample::select(vec!["", "=> ", "-> ", "** ", "== ", "<= ", "H=", "rejected "]),
            body in "[ -~]{0,160}",
        ) {
            let line = format!("2026-11-21 08:00:04.123 +0100 [42] 1tE3xA-000Ab1-Qz {flag}{body}");
            let _ = parse_text(&line);
            let line = format!("2026-11-21 08:00:04 {flag}{body}");
            let _ = parse_text(&line);
        }
    }
}

#[test]
fn the_daemon_starting_and_reloading_is_told_with_the_version() {
    use crate::parse::restart::Restart;
    for (line, event, message, version) in [
        (
            "2026-11-21 06:25:01 [1021] exim 4.96 daemon started: pid=1021, -q30m, listening for SMTP on port 25 (IPv6 and IPv4)",
            Restart::Start,
            "daemon started",
            "4.96",
        ),
        (
            "2026-11-21 06:40:17 [1021] pid 1021: SIGHUP received: re-exec daemon",
            Restart::Reload,
            "SIGHUP received: re-exec daemon",
            "",
        ),
        (
            "2026-11-21 06:41:00 exim 4.98 daemon terminating, inetd wait timeout reached.",
            Restart::Stop,
            "daemon terminating",
            "4.98",
        ),
    ] {
        let Parsed::Restarted(said) = parse_text(line) else {
            panic!("{line}: {:?}", parse_text(line));
        };
        assert_eq!(said.tier, event, "{line}");
        assert_eq!(said.message, message, "{line}");
        assert_eq!(said.note, version, "{line}");
        assert_eq!(said.program, "exim");
    }
    // A daemon that only runs the queue takes no mail in; a message's line, or one with a
    // client's fields before it, is no daemon's.
    for line in [
        "2026-11-21 06:25:01 exim is great",
        "2026-11-21 06:56:02 exim 4.96 daemon started: pid=1310, -qGbulk/1h, not listening for SMTP",
        "2026-11-21 06:56:02 1tE3xA-000Ab1-Qz pid 12: SIGHUP received: re-exec daemon",
        "2026-11-21 06:56:02 H=(evil) [192.0.2.9] exim 4.96 daemon started: listening for SMTP",
    ] {
        assert!(!matches!(parse_text(line), Parsed::Restarted(_)), "{line}");
    }
}
