//! Each case is one real-shaped Postfix line and every field the parser must take from it.

use super::*;
use crate::parse::diverted::Diversion;
use crate::parse::postscreen::{Finding, Verdict};
use crate::parse::syslog;
use chrono::NaiveDate;

struct Case {
    line: &'static str,
    action: &'static str,
    direction: &'static str,
    stage: &'static str,
    reply: &'static str,
    enhanced: &'static str,
    dsn: &'static str,
    class: &'static str,
    recipient: &'static str,
    remote_host: &'static str,
    remote_ip: &'static str,
}

const BASE: Case = Case {
    line: "",
    action: "",
    direction: "outbound",
    stage: "",
    reply: "",
    enhanced: "",
    dsn: "",
    class: "",
    recipient: "",
    remote_host: "",
    remote_ip: "",
};

fn years() -> YearRule {
    YearRule::Given {
        year: 2026,
        first_month: 11,
    }
}

fn parse_text(line: &str) -> Parsed<'_> {
    let header = syslog::split(line).expect("syslog header");
    parse(&header, &years())
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
        opt(event.dsn),
        event.class.label().to_string(),
        event.recipient.to_string(),
        event.remote_host.to_string(),
        event.remote_ip.to_string(),
    ];
    let want = [
        case.action,
        case.direction,
        case.stage,
        case.reply,
        case.enhanced,
        case.dsn,
        case.class,
        case.recipient,
        case.remote_host,
        case.remote_ip,
    ];
    let names = [
        "action",
        "direction",
        "stage",
        "reply",
        "enhanced",
        "dsn",
        "class",
        "recipient",
        "remote_host",
        "remote_ip",
    ];
    for ((name, got), want) in names.iter().zip(&got).zip(want) {
        assert_eq!(got, want, "{name} of {}", case.line);
    }
}

const CASES: &[Case] = &[
    // 1. Delivery status lines with a remote reply.
    Case {
        line: "Nov 21 08:00:04 mx1 postfix/smtp[3102]: 2B3C4D5E6F: to=<bob@example.org>, relay=mx.example.org[203.0.113.10]:25, delay=2.5, delays=0.05/0.01/1.2/1.2, dsn=4.2.0, status=deferred (host mx.example.org[203.0.113.10] said: 450 4.2.0 <bob@example.org>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/example.org.html (in reply to RCPT TO command))",
        action: "deferred",
        stage: "RCPT",
        reply: "450",
        enhanced: "4.2.0",
        dsn: "4.2.0",
        class: "4xx",
        recipient: "bob@example.org",
        remote_host: "mx.example.org",
        remote_ip: "203.0.113.10",
        ..BASE
    },
    Case {
        line: "Nov 21 08:01:10 mx1 postfix/smtp[3110]: 4XyZ1m2N3pQr4st: to=<carol@gmail.com>, relay=gmail-smtp-in.l.google.com[2607:f8b0:4004:c1b::1a]:25, delay=1.1, delays=0.1/0/0.4/0.6, dsn=5.1.1, status=bounced (host gmail-smtp-in.l.google.com[2607:f8b0:4004:c1b::1a] said: 550-5.1.1 The email account that you tried to reach does not exist. Please try 550-5.1.1 double-checking the recipient's email address for typos or 550-5.1.1 unnecessary spaces. For more information, go to 550 5.1.1  https://support.google.com/mail/?p=NoSuchUser a1si2 - gsmtp (in reply to RCPT TO command))",
        action: "bounced",
        stage: "RCPT",
        reply: "550",
        enhanced: "5.1.1",
        dsn: "5.1.1",
        class: "5xx",
        recipient: "carol@gmail.com",
        remote_host: "gmail-smtp-in.l.google.com",
        remote_ip: "2607:f8b0:4004:c1b::1a",
        ..BASE
    },
    Case {
        line: "Nov 21 08:02:00 mx1 postfix/smtp[3111]: 9A8B7C6D5E: to=<dave@example.net>, relay=mx.example.net[198.51.100.20]:25, delay=0.8, delays=0.01/0/0.3/0.5, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 5F4E3D2C1B)",
        action: "sent",
        stage: "END-OF-DATA",
        reply: "250",
        enhanced: "2.0.0",
        dsn: "2.0.0",
        class: "2xx",
        recipient: "dave@example.net",
        remote_host: "mx.example.net",
        remote_ip: "198.51.100.20",
        ..BASE
    },
    Case {
        line: "Nov 21 08:02:30 mx1 postfix/smtp[3112]: 1A2B3C4D5E: to=<erin@outlook.com>, relay=outlook-com.olc.protection.outlook.com[203.0.113.77]:25, delay=0.5, delays=0.01/0/0.2/0.2, dsn=5.7.1, status=bounced (host outlook-com.olc.protection.outlook.com[203.0.113.77] said: 550 5.7.1 Unfortunately, messages from [192.0.2.10] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3140). (in reply to MAIL FROM command))",
        action: "bounced",
        stage: "MAIL",
        reply: "550",
        enhanced: "5.7.1",
        dsn: "5.7.1",
        class: "5xx",
        recipient: "erin@outlook.com",
        remote_host: "outlook-com.olc.protection.outlook.com",
        remote_ip: "203.0.113.77",
        ..BASE
    },
    Case {
        line: "Nov 21 08:03:00 mx1 postfix/smtp[3113]: 1A2B3C4D5F: to=<frank@example.com>, relay=mx.example.com[203.0.113.30]:25, delay=3, delays=0.01/0/0.2/2.8, dsn=5.7.1, status=bounced (host mx.example.com[203.0.113.30] said: 554 5.7.1 Message rejected as spam (in reply to end of DATA command))",
        action: "bounced",
        stage: "END-OF-DATA",
        reply: "554",
        enhanced: "5.7.1",
        dsn: "5.7.1",
        class: "5xx",
        recipient: "frank@example.com",
        remote_host: "mx.example.com",
        remote_ip: "203.0.113.30",
        ..BASE
    },
    Case {
        line: "Nov 21 08:03:10 mx1 postfix/smtp[3114]: 1A2B3C4D60: to=<gina@example.com>, relay=mx.example.com[203.0.113.30]:25, delay=1, delays=0.01/0/0.2/0.8, dsn=4.3.0, status=deferred (host mx.example.com[203.0.113.30] said: 451 4.3.0 Error: queue file write error (in reply to DATA command))",
        action: "deferred",
        stage: "DATA",
        reply: "451",
        enhanced: "4.3.0",
        dsn: "4.3.0",
        class: "4xx",
        recipient: "gina@example.com",
        remote_host: "mx.example.com",
        remote_ip: "203.0.113.30",
        ..BASE
    },
    Case {
        line: "Nov 21 08:03:20 mx1 postfix/smtp[3115]: 1A2B3C4D61: to=<hank@example.com>, relay=mx.example.com[203.0.113.30]:25, delay=1, delays=0.01/0/0.2/0.8, dsn=4.0.0, status=deferred (host mx.example.com[203.0.113.30] said: 421 Too many concurrent SMTP connections; please try again later. (in reply to EHLO command))",
        action: "deferred",
        stage: "HELO",
        reply: "421",
        dsn: "4.0.0",
        class: "4xx",
        recipient: "hank@example.com",
        remote_host: "mx.example.com",
        remote_ip: "203.0.113.30",
        ..BASE
    },
    // 3. Refusals, standalone and repeated inside a status line.
    Case {
        line: "Nov 21 08:04:00 mx1 postfix/smtp[3103]: 2B3C4D5E6F: host mx1.bigisp.example[203.0.113.55] refused to talk to me: 421 4.7.0 [TSS04] Messages from 192.0.2.10 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes",
        action: "refused",
        stage: "CONNECT",
        reply: "421",
        enhanced: "4.7.0",
        class: "4xx",
        remote_host: "mx1.bigisp.example",
        remote_ip: "203.0.113.55",
        ..BASE
    },
    Case {
        line: "Nov 21 08:04:01 mx1 postfix/smtp[3103]: 2B3C4D5E6F: to=<ivy@yahoo.com>, relay=mx1.bigisp.example[203.0.113.55]:25, delay=5, delays=0.01/0/5/0, dsn=4.7.0, status=deferred (host mx1.bigisp.example[203.0.113.55] refused to talk to me: 421 4.7.0 [TSS04] Messages from 192.0.2.10 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes)",
        action: "deferred",
        stage: "CONNECT",
        reply: "421",
        enhanced: "4.7.0",
        dsn: "4.7.0",
        class: "4xx",
        recipient: "ivy@yahoo.com",
        remote_host: "mx1.bigisp.example",
        remote_ip: "203.0.113.55",
        ..BASE
    },
    Case {
        line: "Nov 21 08:04:05 mx1 postfix/smtp[3104]: host mx2.example.net[198.51.100.3] refused to talk to me: 554 mx2.example.net ESMTP not accepting messages",
        action: "refused",
        stage: "CONNECT",
        reply: "554",
        class: "5xx",
        remote_host: "mx2.example.net",
        remote_ip: "198.51.100.3",
        ..BASE
    },
    // 4. dsn= is the only code.
    Case {
        line: "Nov 21 08:05:00 mx1 postfix/smtp[3104]: 2B3C4D5E70: to=<frank@deadhost.example>, relay=none, delay=31, delays=0.05/0.01/30/0, dsn=4.4.1, status=deferred (connect to mx.deadhost.example[198.51.100.77]:25: Connection timed out)",
        action: "deferred",
        stage: "CONNECT",
        dsn: "4.4.1",
        class: "4xx",
        recipient: "frank@deadhost.example",
        remote_host: "mx.deadhost.example",
        remote_ip: "198.51.100.77",
        ..BASE
    },
    Case {
        line: "Nov 21 08:05:10 mx1 postfix/smtp[3105]: 2B3C4D5E71: to=<a@nodns.example>, relay=none, delay=0.1, delays=0.05/0.01/0.04/0, dsn=4.4.3, status=deferred (Host or domain name not found. Name service error for name=nodns.example type=MX: Host not found, try again)",
        action: "deferred",
        dsn: "4.4.3",
        class: "4xx",
        recipient: "a@nodns.example",
        ..BASE
    },
    Case {
        line: "Nov 21 08:05:11 mx1 postfix/smtp[3105]: 2B3C4D5E72: to=<b@typo.example>, relay=none, delay=0.2, delays=0.05/0.01/0.1/0, dsn=5.4.4, status=bounced (Host or domain name not found. Name service error for name=typo.example type=A: Host not found)",
        action: "bounced",
        dsn: "5.4.4",
        class: "5xx",
        recipient: "b@typo.example",
        ..BASE
    },
    Case {
        line: "Nov 21 08:05:12 mx1 postfix/smtp[3106]: 2B3C4D5E73: to=<c@slow.example>, relay=mx.slow.example[203.0.113.8]:25, delay=300, delays=0.01/0/0.5/299, dsn=4.4.2, status=deferred (lost connection with mx.slow.example[203.0.113.8] while sending end of data -- message may be sent more than once)",
        action: "deferred",
        stage: "END-OF-DATA",
        dsn: "4.4.2",
        class: "4xx",
        recipient: "c@slow.example",
        remote_host: "mx.slow.example",
        remote_ip: "203.0.113.8",
        ..BASE
    },
    Case {
        line: "Nov 21 08:05:13 mx1 postfix/smtp[3107]: 2B3C4D5E74: to=<d@slow.example>, relay=mx.slow.example[203.0.113.8]:25, delay=300, delays=0.01/0/300/0, dsn=4.4.2, status=deferred (conversation with mx.slow.example[203.0.113.8] timed out while receiving the initial server greeting)",
        action: "deferred",
        stage: "CONNECT",
        dsn: "4.4.2",
        class: "4xx",
        recipient: "d@slow.example",
        remote_host: "mx.slow.example",
        remote_ip: "203.0.113.8",
        ..BASE
    },
    Case {
        line: "Nov 21 08:05:14 mx1 postfix/error[3108]: 2B3C4D5E75: to=<e@deadhost.example>, relay=none, delay=600, delays=599/1/0/0, dsn=4.4.1, status=deferred (delivery temporarily suspended: connect to mx.deadhost.example[198.51.100.77]:25: Connection timed out)",
        action: "deferred",
        stage: "CONNECT",
        dsn: "4.4.1",
        class: "4xx",
        recipient: "e@deadhost.example",
        remote_host: "mx.deadhost.example",
        remote_ip: "198.51.100.77",
        ..BASE
    },
    Case {
        line: "Nov 21 08:05:15 mx1 postfix/smtp[3109]: 2B3C4D5E76: to=<f@tls.example>, relay=mx.tls.example[203.0.113.9]:25, delay=2, delays=0.01/0/2/0, dsn=4.7.5, status=deferred (TLS is required, but host mx.tls.example[203.0.113.9] refused to start TLS: 454 4.7.0 TLS not available due to local problem)",
        action: "deferred",
        stage: "STARTTLS",
        reply: "454",
        enhanced: "4.7.0",
        dsn: "4.7.5",
        class: "4xx",
        recipient: "f@tls.example",
        remote_host: "mx.tls.example",
        remote_ip: "203.0.113.9",
        ..BASE
    },
    // 5. Standalone connect failures.
    Case {
        line: "Nov 21 08:06:00 mx1 postfix/smtp[3104]: connect to mx.deadhost.example[198.51.100.77]:25: Connection timed out",
        action: "refused",
        stage: "CONNECT",
        class: "4xx",
        remote_host: "mx.deadhost.example",
        remote_ip: "198.51.100.77",
        ..BASE
    },
    Case {
        line: "Nov 21 08:06:01 mx1 postfix/smtp[3104]: connect to mx.old.example[198.51.100.78]: Connection refused (port 25)",
        action: "refused",
        stage: "CONNECT",
        class: "4xx",
        remote_host: "mx.old.example",
        remote_ip: "198.51.100.78",
        ..BASE
    },
    Case {
        line: "Nov 21 08:06:02 mx1 postfix/smtp[3104]: connect to mx.v6.example[2001:db8::25]:25: Network is unreachable",
        action: "refused",
        stage: "CONNECT",
        class: "4xx",
        remote_host: "mx.v6.example",
        remote_ip: "2001:db8::25",
        ..BASE
    },
    // 6. smtpd rejects, at every stage.
    Case {
        line: "Nov 21 08:07:00 mx1 postfix/smtpd[2202]: NOQUEUE: reject: RCPT from unknown[198.51.100.24]: 554 5.7.1 Service unavailable; Client host [198.51.100.24] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/198.51.100.24; from=<promo@bad.example> to=<alice@example.com> proto=ESMTP helo=<bad.example>",
        action: "rejected",
        direction: "inbound",
        stage: "RCPT",
        reply: "554",
        enhanced: "5.7.1",
        class: "5xx",
        recipient: "alice@example.com",
        remote_host: "unknown",
        remote_ip: "198.51.100.24",
        ..BASE
    },
    Case {
        line: "Nov 21 08:07:01 mx1 postfix/smtpd[2203]: NOQUEUE: reject: RCPT from mail.sender.example[192.0.2.40]: 450 4.7.1 <alice@example.com>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/example.com.html; from=<news@sender.example> to=<alice@example.com> proto=ESMTP helo=<mail.sender.example>",
        action: "rejected",
        direction: "inbound",
        stage: "RCPT",
        reply: "450",
        enhanced: "4.7.1",
        class: "4xx",
        recipient: "alice@example.com",
        remote_host: "mail.sender.example",
        remote_ip: "192.0.2.40",
        ..BASE
    },
    Case {
        line: "Nov 21 08:07:02 mx1 postfix/smtpd[2204]: NOQUEUE: reject: RCPT from mail.sender.example[192.0.2.40]: 550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown in virtual mailbox table; from=<news@sender.example> to=<nobody@example.com> proto=ESMTP helo=<mail.sender.example>",
        action: "rejected",
        direction: "inbound",
        stage: "RCPT",
        reply: "550",
        enhanced: "5.1.1",
        class: "5xx",
        recipient: "nobody@example.com",
        remote_host: "mail.sender.example",
        remote_ip: "192.0.2.40",
        ..BASE
    },
    Case {
        line: "Nov 21 08:07:03 mx1 postfix/smtpd[2205]: NOQUEUE: reject: RCPT from unknown[203.0.113.99]: 454 4.7.1 <victim@elsewhere.example>: Relay access denied; from=<spam@bad.example> to=<victim@elsewhere.example> proto=SMTP helo=<203.0.113.99>",
        action: "rejected",
        direction: "inbound",
        stage: "RCPT",
        reply: "454",
        enhanced: "4.7.1",
        class: "4xx",
        recipient: "victim@elsewhere.example",
        remote_host: "unknown",
        remote_ip: "203.0.113.99",
        ..BASE
    },
    Case {
        line: "Nov 21 08:07:04 mx1 postfix/smtpd[2206]: NOQUEUE: reject: RCPT from unknown[198.51.100.50]: 450 4.7.25 Client host rejected: cannot find your hostname, [198.51.100.50]; from=<x@y.example> to=<alice@example.com> proto=ESMTP helo=<y.example>",
        action: "rejected",
        direction: "inbound",
        stage: "RCPT",
        reply: "450",
        enhanced: "4.7.25",
        class: "4xx",
        recipient: "alice@example.com",
        remote_host: "unknown",
        remote_ip: "198.51.100.50",
        ..BASE
    },
    Case {
        line: "Nov 21 08:07:05 mx1 postfix/smtpd[2207]: NOQUEUE: reject: MAIL from unknown[198.51.100.51]: 553 5.7.1 <ghost@nowhere.invalid>: Sender address rejected: not logged in; from=<ghost@nowhere.invalid> proto=ESMTP helo=<pc>",
        action: "rejected",
        direction: "inbound",
        stage: "MAIL",
        reply: "553",
        enhanced: "5.7.1",
        class: "5xx",
        remote_host: "unknown",
        remote_ip: "198.51.100.51",
        ..BASE
    },
    Case {
        line: "Nov 21 08:07:06 mx1 postfix/smtpd[2208]: NOQUEUE: reject: CONNECT from unknown[198.51.100.52]: 421 4.3.2 Service currently unavailable; proto=SMTP",
        action: "rejected",
        direction: "inbound",
        stage: "CONNECT",
        reply: "421",
        enhanced: "4.3.2",
        class: "4xx",
        remote_host: "unknown",
        remote_ip: "198.51.100.52",
        ..BASE
    },
    Case {
        line: "Nov 21 08:07:07 mx1 postfix/smtpd[2209]: NOQUEUE: reject: EHLO from unknown[198.51.100.53]: 504 5.5.2 <localhost>: Helo command rejected: need fully-qualified hostname; proto=ESMTP helo=<localhost>",
        action: "rejected",
        direction: "inbound",
        stage: "HELO",
        reply: "504",
        enhanced: "5.5.2",
        class: "5xx",
        remote_host: "unknown",
        remote_ip: "198.51.100.53",
        ..BASE
    },
    Case {
        line: "Nov 21 08:07:08 mx1 postfix/smtpd[2210]: NOQUEUE: reject: DATA from mail.sender.example[192.0.2.40]: 550 5.5.3 <DATA>: Data command rejected: Multi-recipient bounce; from=<> proto=ESMTP helo=<mail.sender.example>",
        action: "rejected",
        direction: "inbound",
        stage: "DATA",
        reply: "550",
        enhanced: "5.5.3",
        class: "5xx",
        remote_host: "mail.sender.example",
        remote_ip: "192.0.2.40",
        ..BASE
    },
    Case {
        line: "Nov 21 08:07:09 mx1 postfix/smtpd[2211]: NOQUEUE: reject: VRFY from unknown[198.51.100.54]: 502 5.5.1 VRFY command is disabled; to=<root> proto=SMTP",
        action: "rejected",
        direction: "inbound",
        stage: "VRFY",
        reply: "502",
        enhanced: "5.5.1",
        class: "5xx",
        recipient: "root",
        remote_host: "unknown",
        remote_ip: "198.51.100.54",
        ..BASE
    },
    Case {
        line: "Nov 21 08:07:10 mx1 postfix/smtpd[2212]: NOQUEUE: reject: RCPT from unknown[198.51.100.55]: 451 4.3.0 <alice@example.com>: Temporary lookup failure; from=<x@y.example> to=<alice@example.com> proto=ESMTP helo=<y.example>",
        action: "rejected",
        direction: "inbound",
        stage: "RCPT",
        reply: "451",
        enhanced: "4.3.0",
        class: "4xx",
        recipient: "alice@example.com",
        remote_host: "unknown",
        remote_ip: "198.51.100.55",
        ..BASE
    },
    Case {
        line: "Nov 21 08:07:11 mx1 postfix/submission/smtpd[2213]: NOQUEUE: reject: RCPT from laptop.example.com[2001:db8:5::7]: 554 5.7.1 <x@elsewhere.example>: Relay access denied; from=<alice@example.com> to=<x@elsewhere.example> proto=ESMTP helo=<[IPv6:2001:db8:5::7]>",
        action: "rejected",
        direction: "inbound",
        stage: "RCPT",
        reply: "554",
        enhanced: "5.7.1",
        class: "5xx",
        recipient: "x@elsewhere.example",
        remote_host: "laptop.example.com",
        remote_ip: "2001:db8:5::7",
        ..BASE
    },
    Case {
        line: "Nov 21 08:07:12 mx1 postfix/smtpd[2214]: NOQUEUE: reject_warning: RCPT from unknown[198.51.100.56]: 450 4.7.1 Client host rejected: cannot find your reverse hostname, [198.51.100.56]; from=<x@y.example> to=<alice@example.com> proto=ESMTP helo=<y.example>",
        action: "reject_warning",
        direction: "inbound",
        stage: "RCPT",
        reply: "450",
        enhanced: "4.7.1",
        class: "4xx",
        recipient: "alice@example.com",
        remote_host: "unknown",
        remote_ip: "198.51.100.56",
        ..BASE
    },
    Case {
        line: "Nov 21 08:07:13 mx1 postfix/smtpd[2215]: 7D8E9F0A1C: reject: RCPT from mail.sender.example[192.0.2.40]: 552 5.2.2 <full@example.com>: Recipient address rejected: Mailbox full; from=<news@sender.example> to=<full@example.com> proto=ESMTP helo=<mail.sender.example>",
        action: "rejected",
        direction: "inbound",
        stage: "RCPT",
        reply: "552",
        enhanced: "5.2.2",
        class: "5xx",
        recipient: "full@example.com",
        remote_host: "mail.sender.example",
        remote_ip: "192.0.2.40",
        ..BASE
    },
    Case {
        line: "Nov 21 08:07:14 mx1 postfix/smtpd[2216]: NOQUEUE: milter-reject: RCPT from unknown[198.51.100.57]: 451 4.7.1 Service unavailable - try again later; from=<x@y.example> to=<alice@example.com> proto=ESMTP helo=<y.example>",
        action: "rejected",
        direction: "inbound",
        stage: "RCPT",
        reply: "451",
        enhanced: "4.7.1",
        class: "4xx",
        recipient: "alice@example.com",
        remote_host: "unknown",
        remote_ip: "198.51.100.57",
        ..BASE
    },
    // 7. postscreen.
    Case {
        line: "Nov 21 08:08:00 mx1 postfix/postscreen[1500]: NOQUEUE: reject: RCPT from [198.51.100.23]:51234: 550 5.7.1 Service unavailable; client [198.51.100.23] blocked using zen.spamhaus.org; from=<promo@bad.example>, to=<alice@example.com>, proto=ESMTP, helo=<bad.example>",
        action: "rejected",
        direction: "inbound",
        stage: "RCPT",
        reply: "550",
        enhanced: "5.7.1",
        class: "5xx",
        recipient: "alice@example.com",
        remote_ip: "198.51.100.23",
        ..BASE
    },
    Case {
        line: "Nov 21 08:08:01 mx1 postfix/postscreen[1500]: NOQUEUE: reject: RCPT from [2001:db8:bad::1]:40000: 450 4.3.2 Service currently unavailable; from=<a@b.example>, to=<alice@example.com>, proto=ESMTP, helo=<b.example>",
        action: "rejected",
        direction: "inbound",
        stage: "RCPT",
        reply: "450",
        enhanced: "4.3.2",
        class: "4xx",
        recipient: "alice@example.com",
        remote_ip: "2001:db8:bad::1",
        ..BASE
    },
    Case {
        line: "Nov 21 08:08:02 mx1 postfix/postscreen[1500]: NOQUEUE: reject: CONNECT from [198.51.100.60]:41000: too many connections",
        action: "rejected",
        direction: "inbound",
        stage: "CONNECT",
        class: "4xx",
        remote_ip: "198.51.100.60",
        ..BASE
    },
    Case {
        line: "Nov 21 08:08:03 mx1 postfix-in/postscreen[1500]: NOQUEUE: reject: CONNECT from [198.51.100.61]:41001: all server ports busy",
        action: "rejected",
        direction: "inbound",
        stage: "CONNECT",
        class: "4xx",
        remote_ip: "198.51.100.61",
        ..BASE
    },
    // 8. cleanup content rejects: an enhanced code and no reply code.
    Case {
        line: "Nov 21 08:09:00 mx1 postfix/cleanup[2304]: 7D8E9F0A1B: reject: header Subject: You have WON!!! from unknown[198.51.100.88]; from=<lucky@bad.example> to=<alice@example.com> proto=ESMTP helo=<bad.example>: 5.7.1 Spam subject rejected",
        action: "rejected",
        direction: "inbound",
        stage: "END-OF-DATA",
        enhanced: "5.7.1",
        class: "5xx",
        recipient: "alice@example.com",
        remote_host: "unknown",
        remote_ip: "198.51.100.88",
        ..BASE
    },
    Case {
        line: "Nov 21 08:09:01 mx1 postfix/cleanup[2305]: 7D8E9F0A1D: reject: body Click here: http://bad.example/x from unknown[198.51.100.89]; from=<a@bad.example> to=<bob@example.com> proto=ESMTP helo=<bad.example>: 5.7.1 message content rejected",
        action: "rejected",
        direction: "inbound",
        stage: "END-OF-DATA",
        enhanced: "5.7.1",
        class: "5xx",
        recipient: "bob@example.com",
        remote_host: "unknown",
        remote_ip: "198.51.100.89",
        ..BASE
    },
    Case {
        line: "Nov 21 08:09:02 mx1 postfix/cleanup[2306]: 7D8E9F0A1E: milter-reject: END-OF-MESSAGE from mail.sender.example[192.0.2.40]: 5.7.1 Spam message rejected; from=<news@sender.example> to=<carol@example.com> proto=ESMTP helo=<mail.sender.example>",
        action: "rejected",
        direction: "inbound",
        stage: "END-OF-DATA",
        enhanced: "5.7.1",
        class: "5xx",
        recipient: "carol@example.com",
        remote_host: "mail.sender.example",
        remote_ip: "192.0.2.40",
        ..BASE
    },
    Case {
        line: "Nov 21 08:09:03 mx1 postfix/cleanup[2307]: 7D8E9F0A1F: milter-reject: END-OF-MESSAGE from mail.sender.example[192.0.2.40]: 4.7.1 Try again later; from=<news@sender.example> to=<dan@example.com> proto=ESMTP helo=<mail.sender.example>",
        action: "rejected",
        direction: "inbound",
        stage: "END-OF-DATA",
        enhanced: "4.7.1",
        class: "4xx",
        recipient: "dan@example.com",
        remote_host: "mail.sender.example",
        remote_ip: "192.0.2.40",
        ..BASE
    },
    // 9. qmgr expiry.
    Case {
        line: "Nov 21 08:10:00 mx1 postfix/qmgr[1200]: B4C5D6E7F8: from=<alice@example.com>, status=expired, returned to sender",
        action: "expired",
        class: "5xx",
        ..BASE
    },
    // Expired by hand with `postsuper -e`.
    Case {
        line: "Apr 10 14:50:16 mx1 postfix/qmgr[3663]: BACE842E73: from=<noreply@example.com>, status=force-expired, returned to sender",
        action: "expired",
        class: "5xx",
        ..BASE
    },
    // 12. Local, virtual, pipe and LMTP deliveries.
    Case {
        line: "Nov 21 08:11:00 mx1 postfix/local[3301]: 3C4D5E6F70: to=<alice@example.com>, relay=local, delay=0.02, delays=0.01/0/0/0.01, dsn=2.0.0, status=sent (delivered to mailbox)",
        action: "sent",
        dsn: "2.0.0",
        class: "2xx",
        recipient: "alice@example.com",
        remote_host: "local",
        ..BASE
    },
    Case {
        line: "Nov 21 08:11:01 mx1 postfix/local[3302]: 3C4D5E6F71: to=<nobody@example.com>, relay=local, delay=0.01, delays=0/0/0/0, dsn=5.1.1, status=bounced (unknown user: \"nobody\")",
        action: "bounced",
        dsn: "5.1.1",
        class: "5xx",
        recipient: "nobody@example.com",
        remote_host: "local",
        ..BASE
    },
    Case {
        line: "Nov 21 08:11:02 mx1 postfix/lmtp[3303]: 3C4D5E6F72: to=<bob@example.com>, relay=mx1.example.com[private/dovecot-lmtp], delay=0.1, delays=0/0/0/0.1, dsn=5.2.2, status=bounced (host mx1.example.com[private/dovecot-lmtp] said: 552 5.2.2 <bob@example.com> Quota exceeded (mailbox for user is full) (in reply to end of DATA command))",
        action: "bounced",
        stage: "END-OF-DATA",
        reply: "552",
        enhanced: "5.2.2",
        dsn: "5.2.2",
        class: "5xx",
        recipient: "bob@example.com",
        remote_host: "mx1.example.com",
        remote_ip: "private/dovecot-lmtp",
        ..BASE
    },
    Case {
        line: "Nov 21 08:11:03 mx1 postfix/lmtp[3304]: 3C4D5E6F73: to=<carol@example.com>, orig_to=<info@example.com>, relay=127.0.0.1[127.0.0.1]:24, delay=0.05, delays=0/0/0/0.05, dsn=2.0.0, status=sent (250 2.0.0 <carol@example.com> kJ1sB2x3Y2fPAwAA Saved)",
        action: "sent",
        stage: "END-OF-DATA",
        reply: "250",
        enhanced: "2.0.0",
        dsn: "2.0.0",
        class: "2xx",
        recipient: "carol@example.com",
        remote_host: "127.0.0.1",
        remote_ip: "127.0.0.1",
        ..BASE
    },
    Case {
        line: "Nov 21 08:11:04 mx1 postfix/virtual[3305]: 3C4D5E6F74: to=<dan@example.com>, relay=virtual, delay=0.01, delays=0/0/0/0, dsn=2.0.0, status=sent (delivered to maildir)",
        action: "sent",
        dsn: "2.0.0",
        class: "2xx",
        recipient: "dan@example.com",
        remote_host: "virtual",
        ..BASE
    },
    Case {
        line: "Nov 21 08:11:05 mx1 postfix/pipe[3306]: 3C4D5E6F75: to=<eve@example.com>, relay=dovecot, delay=0.2, delays=0/0/0/0.2, dsn=5.2.2, status=bounced (user unknown. Command output: Quota exceeded (mailbox for user is full) )",
        action: "bounced",
        dsn: "5.2.2",
        class: "5xx",
        recipient: "eve@example.com",
        remote_host: "dovecot",
        ..BASE
    },
    // Multi-instance names and RFC 3339 time.
    Case {
        line: "2026-11-21T08:12:00.123456+01:00 mx1 postfix-out/smtp[3400]: 5E6F708192: to=<zed@example.org>, relay=mx.example.org[203.0.113.10]:25, delay=1, delays=0/0/0.5/0.5, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 1234ABCD)",
        action: "sent",
        stage: "END-OF-DATA",
        reply: "250",
        enhanced: "2.0.0",
        dsn: "2.0.0",
        class: "2xx",
        recipient: "zed@example.org",
        remote_host: "mx.example.org",
        remote_ip: "203.0.113.10",
        ..BASE
    },
    Case {
        line: "Nov 21 08:12:01 mx1 postfix/relay/smtp[3401]: 5E6F708193: to=<yan@partner.example>, relay=smarthost.partner.example[192.0.2.200]:587, delay=1, delays=0/0/0.5/0.5, dsn=5.7.8, status=bounced (host smarthost.partner.example[192.0.2.200] said: 535 5.7.8 Error: authentication failed: authentication failure (in reply to AUTH command))",
        action: "bounced",
        stage: "AUTH",
        reply: "535",
        enhanced: "5.7.8",
        dsn: "5.7.8",
        class: "5xx",
        recipient: "yan@partner.example",
        remote_host: "smarthost.partner.example",
        remote_ip: "192.0.2.200",
        ..BASE
    },
    Case {
        line: "Nov 21 08:12:02 mx1 postfix/smtp[3402]: 5E6F708194: to=<soft@example.org>, relay=mx.example.org[203.0.113.10]:25, delay=1, delays=0/0/0.5/0.5, dsn=5.1.1, status=SOFTBOUNCE (host mx.example.org[203.0.113.10] said: 550 5.1.1 User unknown (in reply to RCPT TO command))",
        action: "deferred",
        stage: "RCPT",
        reply: "550",
        enhanced: "5.1.1",
        dsn: "5.1.1",
        class: "5xx",
        recipient: "soft@example.org",
        remote_host: "mx.example.org",
        remote_ip: "203.0.113.10",
        ..BASE
    },
    Case {
        line: "Nov 21 08:12:03 mx1 postfix/smtp[3403]: 5E6F708195: to=<x@partner.example>, relay=mx.partner.example[192.0.2.201]:25, delay=1, delays=0/0/0.5/0.5, dsn=4.7.0, status=deferred (host mx.partner.example[192.0.2.201] said: 530 5.7.0 Must issue a STARTTLS command first (in reply to MAIL FROM command))",
        action: "deferred",
        stage: "MAIL",
        reply: "530",
        enhanced: "5.7.0",
        dsn: "4.7.0",
        class: "5xx",
        recipient: "x@partner.example",
        remote_host: "mx.partner.example",
        remote_ip: "192.0.2.201",
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

#[test]
fn folded_reply_text_loses_its_continuation_prefixes() {
    let Parsed::Event(event) = parse_text(CASES[1].line) else {
        panic!()
    };
    assert!(
        event
            .text
            .starts_with("The email account that you tried to reach")
    );
    assert!(!event.text.contains("550-5.1.1"));
    assert!(event.text.ends_with("- gsmtp"));
}

#[test]
fn queue_id_sender_pid_and_time_are_kept() {
    let Parsed::Event(event) = parse_text(CASES[20].line) else {
        panic!()
    };
    assert_eq!(event.queue_id, "NOQUEUE");
    assert_eq!(event.sender, "promo@bad.example");
    assert_eq!(event.pid, Some(2202));
    assert_eq!(event.program, "postfix/smtpd");
    assert_eq!(event.host, "mx1");
    let expected = NaiveDate::from_ymd_opt(2026, 11, 21)
        .unwrap()
        .and_hms_opt(8, 7, 0)
        .unwrap();
    assert_eq!(event.timestamp.unwrap().local, expected);
    assert!(event.text.starts_with("Service unavailable; Client host"));
    assert!(event.text.ends_with("198.51.100.24"));

    let Parsed::Event(event) = parse_text(CASES[1].line) else {
        panic!()
    };
    assert_eq!(event.queue_id, "4XyZ1m2N3pQr4st");

    let expired = CASES.iter().find(|c| c.action == "expired").unwrap();
    let Parsed::Event(event) = parse_text(expired.line) else {
        panic!()
    };
    assert_eq!(event.sender, "alice@example.com");
    assert_eq!(event.text, "returned to sender");
}

#[test]
fn lines_without_outcome() {
    for line in [
        "Nov 21 08:00:01 mx1 postfix/smtpd[2202]: connect from unknown[198.51.100.24]",
        "Nov 21 08:00:02 mx1 postfix/smtpd[2202]: disconnect from unknown[198.51.100.24] ehlo=1 mail=1 rcpt=0/1 quit=1 commands=3/4",
        "Nov 21 08:00:03 mx1 postfix/smtpd[2202]: 2B3C4D5E6F: client=laptop.example.com[192.0.2.77], sasl_method=PLAIN, sasl_username=alice@example.com",
        "Nov 21 08:00:03 mx1 postfix/cleanup[2304]: 2B3C4D5E6F: message-id=<20261121080003.1@example.com>",
        "Nov 21 08:00:03 mx1 postfix/qmgr[1200]: 2B3C4D5E6F: from=<alice@example.com>, size=2310, nrcpt=5 (queue active)",
        "Nov 21 08:00:05 mx1 postfix/qmgr[1200]: 2B3C4D5E6F: removed",
        "Nov 21 08:00:05 mx1 postfix/bounce[3201]: 2B3C4D5E6F: sender non-delivery notification: 3C4D5E6F70",
        "Nov 21 08:00:06 mx1 postfix/smtp[3102]: Trusted TLS connection established to mx.example.org[203.0.113.10]:25: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)",
        "Nov 21 08:00:07 mx1 postfix/postscreen[1500]: DISCONNECT [198.51.100.23]:51234",
        "Nov 21 08:00:09 mx1 postfix/smtpd[2202]: lost connection after AUTH from unknown[198.51.100.24]",
        "Nov 21 08:00:11 mx1 postfix/cleanup[2304]: 2B3C4D5E6F: prepend: header Subject: check me from local; from=<root> to=<bob@example.com>: X-Checked: yes",
        "Nov 21 08:00:12 mx1 postfix/anvil[1300]: statistics: max connection rate 12/60s for (smtp:198.51.100.24) at Nov 21 07:58:00",
        "Nov 21 08:00:13 mx1 postfix/pickup[1400]: 4D5E6F7081: uid=33 from=<www-data>",
        // Address verification probes answer our own question; they deliver nothing.
        "Nov 21 08:00:14 mx1 postfix/smtp[3103]: 5E6F708192: to=<ann@example.net>, relay=mx.example.net[203.0.113.20]:25, delay=0.5, delays=0/0/0.3/0.2, dsn=2.1.5, status=deliverable (250 2.1.5 Ok)",
        "Nov 21 08:00:15 mx1 postfix/smtp[3104]: 5E6F708193: to=<bob@example.net>, relay=mx.example.net[203.0.113.20]:25, delay=0.5, delays=0/0/0.3/0.2, dsn=5.1.1, status=undeliverable (host mx.example.net[203.0.113.20] said: 550 5.1.1 User unknown (in reply to RCPT TO command))",
        "Nov 21 08:00:16 mx1 postfix/error[3105]: 5E6F708194: to=<cy@example.net>, relay=none, delay=0.01, delays=0.01/0/0/0, dsn=5.1.1, status=undeliverable-but-not-cached (User unknown in virtual alias table)",
    ] {
        assert!(
            matches!(parse_text(line), Parsed::NoOutcome | Parsed::Lifecycle(_)),
            "{line}"
        );
    }
}

#[test]
fn the_mtas_own_warnings_and_errors_are_diagnostics() {
    for (line, severity, program, message) in [
        (
            "Nov 21 08:00:08 mx1 postfix/smtpd[2202]: warning: hostname x.example does not resolve to address 198.51.100.24",
            Severity::Warning,
            "postfix/smtpd",
            "hostname x.example does not resolve to address 198.51.100.24",
        ),
        (
            "Nov 21 08:00:08 mx1 postfix/smtpd[2202]: warning: unknown[198.51.100.24]: SASL LOGIN authentication aborted",
            Severity::Warning,
            "postfix/smtpd",
            "unknown[198.51.100.24]: SASL LOGIN authentication aborted",
        ),
        // The queue id, after the severity word, is no part of the message.
        (
            "Nov 21 08:00:08 mx1 postfix/cleanup[2304]: warning: 9BECF3F19D: sender_canonical_maps map lookup problem for alice@example.com -- message not accepted, try again later",
            Severity::Warning,
            "postfix/cleanup",
            "sender_canonical_maps map lookup problem for alice@example.com -- message not accepted, try again later",
        ),
        (
            "Nov 21 08:00:09 mx1 postfix/smtpd[2203]: fatal: file /etc/postfix/main.cf: parameter default_privs: unknown user name value: nobody",
            Severity::Fatal,
            "postfix/smtpd",
            "file /etc/postfix/main.cf: parameter default_privs: unknown user name value: nobody",
        ),
        (
            "Nov 21 08:00:10 mx1 postfix/postscreen[1500]: error: open /etc/postfix/postscreen_access.cidr: No such file or directory",
            Severity::Error,
            "postfix/postscreen",
            "open /etc/postfix/postscreen_access.cidr: No such file or directory",
        ),
        (
            "Nov 21 08:00:11 mx1 postfix/qmgr[1200]: panic: myfree: corrupt or unallocated memory block",
            Severity::Panic,
            "postfix/qmgr",
            "myfree: corrupt or unallocated memory block",
        ),
        (
            "2026-11-21T08:00:12.123456+01:00 mx1 postfix-out/smtp[3300]: warning: problem talking to service private/scache: Connection reset by peer",
            Severity::Warning,
            "postfix-out/smtp",
            "problem talking to service private/scache: Connection reset by peer",
        ),
    ] {
        let Parsed::Diagnosed(diagnostic) = parse_text(line) else {
            panic!("{line}: {:?}", parse_text(line));
        };
        assert_eq!(diagnostic.tier, severity, "{line}");
        assert_eq!(diagnostic.program, program, "{line}");
        assert_eq!(diagnostic.message, message, "{line}");
        assert!(diagnostic.timestamp.is_some(), "{line}");
    }
    // A refusal written as a warning stays an outcome; a word that only starts like a
    // severity is no diagnostic.
    for line in [
        "Nov 21 08:00:13 mx1 postfix/smtpd[2204]: warning: unknown[198.51.100.24]: SASL LOGIN authentication failed: UGFzc3dvcmQ6",
        "Nov 21 08:00:13 mx1 postfix/smtpd[2204]: warning: Connection rate limit exceeded: 61 from unknown[198.51.100.24] for service smtp",
    ] {
        assert!(matches!(parse_text(line), Parsed::Event(_)), "{line}");
    }
    for line in [
        "Nov 21 08:00:14 mx1 postfix/smtpd[2204]: warnings: none",
        "Nov 21 08:00:14 mx1 postfix/smtpd[2204]: fatal:",
    ] {
        assert!(!matches!(parse_text(line), Parsed::Diagnosed(_)), "{line}");
    }
}

#[test]
fn messages_a_rule_set_aside_are_read_with_what_matched() {
    for (line, action, program, message) in [
        (
            "Nov 21 08:00:11 mx1 postfix/cleanup[2304]: 2B3C4D5E6F: hold: header Subject: check me from local; from=<root> to=<bob@example.com>",
            Diversion::Hold,
            "postfix/cleanup",
            "header Subject: check me from local",
        ),
        (
            "Nov 21 08:01:17 mx1 postfix/smtpd[2217]: NOQUEUE: discard: RCPT from mail.sender.example[192.0.2.40]: <hugo@example.org>: Recipient address triggers DISCARD action; from=<news@sender.example> to=<hugo@example.org> proto=ESMTP helo=<mail.sender.example>",
            Diversion::Discard,
            "postfix/smtpd",
            "RCPT from mail.sender.example[192.0.2.40]: <hugo@example.org>: Recipient address triggers DISCARD action",
        ),
        (
            "Nov 21 08:01:54 mx1 postfix/cleanup[2308]: 4A5B6C7D98: milter-hold: END-OF-MESSAGE from mail.sender.example[192.0.2.40]: milter triggers HOLD action; from=<news@sender.example> to=<vera@example.org> proto=ESMTP helo=<mail.sender.example>",
            Diversion::Hold,
            "postfix/cleanup",
            "END-OF-MESSAGE from mail.sender.example[192.0.2.40]: milter triggers HOLD action",
        ),
        (
            "Nov 21 08:01:55 mx1 postfix/cleanup[2308]: 4A5B6C7D99: redirect: header X-Spam-Flag: YES from mail.sender.example[192.0.2.40]; from=<news@sender.example> to=<vera@example.org> proto=ESMTP helo=<mail.sender.example>: spamtrap@example.org",
            Diversion::Redirect,
            "postfix/cleanup",
            "header X-Spam-Flag: YES from mail.sender.example[192.0.2.40]",
        ),
        // A check's WARN is written as a warning, and may quote a `status=` of its own.
        (
            "Nov 21 08:00:08 mx1 postfix/cleanup[2304]: 9BECF3F19D: warning: header Subject: Your order, status=shipped from mx.example.com[192.0.2.1]; from=<a@example.com> to=<b@example.org> proto=ESMTP helo=<mx.example.com>",
            Diversion::Warn,
            "postfix/cleanup",
            "header Subject: Your order, status=shipped from mx.example.com[192.0.2.1]",
        ),
        // So may a discarded message's header.
        (
            "Nov 21 08:00:09 mx1 postfix/cleanup[2304]: 9BECF3F19E: discard: header Subject: to=<v@example.org>, relay=a[192.0.2.4]:25, status=sent (250 ok) from b.example[192.0.2.5]; from=<a@b.example> to=<v@example.org> proto=ESMTP helo=<b.example>",
            Diversion::Discard,
            "postfix/cleanup",
            "header Subject: to=<v@example.org>, relay=a[192.0.2.4]:25, status=sent (250 ok) from b.example[192.0.2.5]",
        ),
        // Mail submitted here has no HELO; the rule's text follows `to=<...>`.
        (
            "Nov 21 08:00:09 mx1 postfix/cleanup[2304]: 9BECF3F19F: hold: header Subject: x from local; from=<root@mx.example.org> to=<x@example.org>: rule 9 local",
            Diversion::Hold,
            "postfix/cleanup",
            "header Subject: x from local",
        ),
        // An action at HELO names no sender; what follows the envelope is the rule's text.
        (
            "Nov 21 08:00:10 mx1 postfix/smtpd[2305]: NOQUEUE: hold: EHLO from unknown[192.0.2.6]: <odd.helo>: Helo command triggers HOLD action; proto=ESMTP helo=<odd.helo>",
            Diversion::Hold,
            "postfix/smtpd",
            "EHLO from unknown[192.0.2.6]: <odd.helo>: Helo command triggers HOLD action",
        ),
    ] {
        let Parsed::Diverted(diverted) = parse_text(line) else {
            panic!("{line}: {:?}", parse_text(line));
        };
        assert_eq!(diverted.tier, action, "{line}");
        assert_eq!(diverted.program, program, "{line}");
        assert_eq!(diverted.message, message, "{line}");
        // Only the redirect's rule and one hold rule wrote a text of their own after the
        // envelope.
        let note = match action {
            Diversion::Redirect => "spamtrap@example.org",
            _ if line.ends_with("rule 9 local") => "rule 9 local",
            _ => "",
        };
        assert_eq!(diverted.note, note, "{line}");
        assert!(diverted.timestamp.is_some(), "{line}");
    }
}

#[test]
fn postscreen_verdicts_are_read_from_postscreen_alone() {
    for (line, verdict, client) in [
        (
            "Nov 21 08:00:07 mx1 postfix/postscreen[1500]: CONNECT from [198.51.100.23]:51234 to [192.0.2.1]:25",
            Verdict::Connect,
            "198.51.100.23",
        ),
        (
            "Nov 21 08:00:07 mx1 postfix/postscreen[1500]: DNSBL rank 3 for [198.51.100.23]:51234",
            Verdict::Dnsbl,
            "198.51.100.23",
        ),
        (
            "Nov 21 08:00:07 mx1 postfix-in/postscreen[1500]: PREGREET 22 after 0.1 from [2001:db8::23]:51234: HELO x\\r\\n",
            Verdict::Pregreet,
            "2001:db8::23",
        ),
        (
            "Nov 21 08:00:08 mx1 postfix/postscreen[1500]: PASS OLD [198.51.100.24]:40000",
            Verdict::PassOld,
            "198.51.100.24",
        ),
    ] {
        let Parsed::Screened(screening) = parse_text(line) else {
            panic!("{line}: {:?}", parse_text(line));
        };
        assert_eq!(screening.finding, Finding::Verdict { verdict, client });
        assert_eq!(
            screening.timestamp.unwrap().to_string()[..10],
            *"2026-11-21"
        );
    }
    let line = "Nov 21 08:00:07 mx1 postfix/dnsblog[1501]: addr 198.51.100.23 listed by domain zen.spamhaus.org as 127.0.0.2";
    let Parsed::Screened(screening) = parse_text(line) else {
        panic!("{line}");
    };
    assert_eq!(
        screening.finding,
        Finding::Listed {
            list: "zen.spamhaus.org"
        }
    );
    // The same words written by another program are no verdict.
    let line = "Nov 21 08:00:07 mx1 postfix/smtpd[1500]: CONNECT from [198.51.100.23]:51234 to [192.0.2.1]:25";
    assert!(!matches!(parse_text(line), Parsed::Screened(_)), "{line}");
}

#[test]
fn removal_and_notification_tell_of_the_message() {
    let line = "Nov 21 08:00:05 mx1 postfix/qmgr[1200]: 2B3C4D5E6F: removed";
    let Parsed::Lifecycle(said) = parse_text(line) else {
        panic!("not a lifecycle line: {line}")
    };
    assert_eq!((said.host, said.message.id), ("mx1", "2B3C4D5E6F"));
    assert!(said.message.ends && said.message.made.is_none());
    assert_eq!(
        said.timestamp.unwrap().local.to_string(),
        "2026-11-21 08:00:05"
    );

    let line = "Nov 21 08:00:06 mx1 postfix/bounce[2400]: 2B3C4D5E6F: sender non-delivery notification: 3C4D5E6F70";
    let Parsed::Lifecycle(said) = parse_text(line) else {
        panic!("not a lifecycle line: {line}")
    };
    assert_eq!(said.message.made, Some(("2B3C4D5E6F", "3C4D5E6F70")));
    assert!(!said.message.ends);

    // Without a queue id, neither shape says anything of a message.
    for line in [
        "Nov 21 08:00:05 mx1 postfix/qmgr[1200]: removed",
        "Nov 21 08:00:06 mx1 postfix/bounce[2400]: sender non-delivery notification: 3C4D5E6F70",
    ] {
        assert_eq!(parse_text(line), Parsed::NoOutcome, "{line}");
    }
}

#[test]
fn unreadable_outcome_lines_are_unmatched_not_dropped() {
    for line in [
        "Nov 21 08:00:01 mx1 postfix/smtp[3102]: 2B3C4D5E6F: to=<bob@example.org>, status=weird (x)",
        "Nov 21 08:00:02 mx1 postfix/smtpd[2202]: NOQUEUE: reject: something odd happened",
        "Nov 21 08:00:03 mx1 postfix/smtp[3102]: 2B3C4D5E6F: the server answered 550 5.1.1 in an unknown way",
    ] {
        assert_eq!(parse_text(line), Parsed::Unmatched, "{line}");
    }
}

#[test]
fn replies_quoted_in_tls_and_sasl_failures_keep_their_codes() {
    let cases = [
        Case {
            line: "Nov 21 08:00:22 mx1.example.org postfix/smtp[4113]: 3F2A1B0CAF: to=<rob@partner.example>, relay=smarthost.partner.example[192.0.2.200]:587, delay=0.6, delays=0.1/0/0.5/0, dsn=5.7.8, status=bounced (SASL authentication failed; server smarthost.partner.example[192.0.2.200] said: 535 5.7.8 Error: authentication failed: authentication failure)",
            action: "bounced",
            stage: "AUTH",
            reply: "535",
            enhanced: "5.7.8",
            dsn: "5.7.8",
            class: "5xx",
            recipient: "rob@partner.example",
            remote_host: "smarthost.partner.example",
            remote_ip: "192.0.2.200",
            ..BASE
        },
        // Postfix 2.x, which soft-bounced it (`smtp_sasl_auth_soft_bounce`): the class is the
        // reply's, the action Postfix's.
        Case {
            line: "Jan 28 03:37:06 relay1 postfix/smtp[31179]: 9D2B91D9C74: to=<ops@partner.example>, relay=127.0.0.1[127.0.0.1], delay=1, status=deferred (Authentication failed: SASL authentication failed; server 127.0.0.1[127.0.0.1] said: 525 5.7.13 Account disabled (User disabled, contact your system administrator for details).)",
            action: "deferred",
            stage: "AUTH",
            reply: "525",
            enhanced: "5.7.13",
            class: "5xx",
            recipient: "ops@partner.example",
            remote_host: "127.0.0.1",
            remote_ip: "127.0.0.1",
            ..BASE
        },
        // Tried before the next server: one host's refusal, not the recipient's fate.
        Case {
            line: "Nov 21 08:00:23 mx1.example.org postfix/smtp[4113]: 3F2A1B0CB0: SASL authentication failed; server smarthost.partner.example[192.0.2.200] said: 535 5.7.8 Error: authentication failed: UGFzc3dvcmQ6",
            action: "refused",
            stage: "AUTH",
            reply: "535",
            enhanced: "5.7.8",
            class: "5xx",
            remote_host: "smarthost.partner.example",
            remote_ip: "192.0.2.200",
            ..BASE
        },
        Case {
            line: "Nov 21 08:00:08 mx1 postfix/smtp[4205]: 3F2A1B0CE4: TLS is required, but host mx.example.net[198.51.100.20] refused to start TLS: 454 4.7.0 TLS not available due to local problem",
            action: "refused",
            stage: "STARTTLS",
            reply: "454",
            enhanced: "4.7.0",
            class: "4xx",
            remote_host: "mx.example.net",
            remote_ip: "198.51.100.20",
            ..BASE
        },
    ];
    for case in &cases {
        check(case);
    }
    let Parsed::Event(event) = parse_text(cases[0].line) else {
        panic!()
    };
    assert_eq!(
        event.text,
        "Error: authentication failed: authentication failure"
    );

    // The same sentences without a quoted reply keep the whole text and take no code.
    for (line, stage) in [
        (
            "Nov 21 08:00:07 mx1 postfix/smtp[4204]: 3F2A1B0CE3: to=<d@example.net>, relay=mx.example.net[198.51.100.20]:25, delay=1, delays=0.1/0/0.5/0.4, dsn=4.7.0, status=deferred (SASL authentication failed; cannot authenticate to server mx.example.net[198.51.100.20]: no mechanism available)",
            None,
        ),
        (
            "Nov 21 08:00:19 mx1.example.org postfix/smtp[4111]: 3F2A1B0CAC: to=<olga@tls.example>, relay=mx.tls.example[203.0.113.80]:25, delay=1, delays=0.1/0/0.9/0, dsn=4.7.4, status=deferred (TLS is required, but was not offered by host mx.tls.example[203.0.113.80])",
            Some("STARTTLS"),
        ),
    ] {
        let Parsed::Event(event) = parse_text(line) else {
            panic!("no event from {line}")
        };
        assert_eq!((event.reply_code, event.stage), (None, stage), "{line}");
        assert!(event.text.contains(" server ") || event.text.contains(" host "));
    }
    let line = "Nov 21 08:00:07 mx1 postfix/smtp[4204]: 3F2A1B0CE3: SASL authentication failed; cannot authenticate to server mx.example.net[198.51.100.20]: no mechanism available";
    assert_eq!(parse_text(line), Parsed::NoOutcome);
}

#[test]
fn queue_ids_short_and_long() {
    assert_eq!(split_queue_id("2B3C4D5E6F: removed").0, "2B3C4D5E6F");
    assert_eq!(
        split_queue_id("4bXk3x1Zz8z9sQ: removed").0,
        "4bXk3x1Zz8z9sQ"
    );
    assert_eq!(split_queue_id("NOQUEUE: reject: x").0, "NOQUEUE");
    assert_eq!(split_queue_id("warning: x").0, "");
    assert_eq!(split_queue_id("statistics: x").0, "");
}

#[test]
fn queue_id_check_agrees_with_a_byte_by_byte_one() {
    fn plain(text: &str) -> bool {
        (5..=20).contains(&text.len())
            && text.bytes().all(|b| b.is_ascii_alphanumeric())
            && text.bytes().any(|b| b.is_ascii_digit())
    }
    // Every byte value at every place of ids of every length, around an otherwise valid id.
    let base = "4bXk3x1Zz8z9sQaB7cD9e";
    for len in 3..=21 {
        for at in 0..len {
            for byte in 0..=255u8 {
                let mut id = base.as_bytes()[..len].to_vec();
                id[at] = byte;
                // Digits only at the place changed, so the one digit can be taken away.
                for (i, b) in id.iter_mut().enumerate() {
                    if i != at && b.is_ascii_digit() {
                        *b = b'k';
                    }
                }
                let text = String::from_utf8_lossy(&id);
                assert_eq!(is_queue_id(&text), plain(&text), "{text:?}");
            }
        }
    }
    assert!(is_queue_id("2B3C4D5E6F"));
    assert!(!is_queue_id("ABCDEFGHIJ"));
    assert!(!is_queue_id("2B3C4-5E6F"));
}

#[test]
fn a_repeated_line_of_rsyslog_gives_one_event() {
    check(&Case {
        line: "Nov 21 08:00:04 mx1 postfix/smtpd[4206]: message repeated 2 times: [ NOQUEUE: reject: RCPT from unknown[198.51.100.9]: 554 5.7.1 <x@elsewhere.example>: Relay access denied; from=<a@b.example> to=<x@elsewhere.example> proto=ESMTP helo=<h>]",
        action: "rejected",
        direction: "inbound",
        stage: "RCPT",
        reply: "554",
        enhanced: "5.7.1",
        class: "5xx",
        recipient: "x@elsewhere.example",
        remote_host: "unknown",
        remote_ip: "198.51.100.9",
        ..BASE
    });
    let line = "Nov 21 08:00:05 mx1 postfix/smtp[4207]: message repeated 3 times: [ 3F2A1B0CE5: host mx.example.net[198.51.100.20] refused to talk to me: 421 4.7.0 Try later]";
    let Parsed::Event(event) = parse_text(line) else {
        panic!("no event from {line}")
    };
    assert_eq!(event.queue_id, "3F2A1B0CE5");
    assert_eq!(event.action, Action::Refused);
    assert_eq!(event.text, "Try later");
}

#[test]
fn enhanced_code_from_the_second_line_of_a_folded_reply() {
    let line = "Nov 21 08:00:15 mx1 postfix/smtp[4212]: 3F2A1B0CEA: to=<j@example.net>, relay=mx.example.net[198.51.100.20]:25, delay=1, delays=0.1/0/0.5/0.4, dsn=5.0.0, status=bounced (host mx.example.net[198.51.100.20] said: 554-mx.example.net 554 5.7.1 Your access to this mail system has been rejected (in reply to RCPT TO command))";
    check(&Case {
        line,
        action: "bounced",
        stage: "RCPT",
        reply: "554",
        enhanced: "5.7.1",
        dsn: "5.0.0",
        class: "5xx",
        recipient: "j@example.net",
        remote_host: "mx.example.net",
        remote_ip: "198.51.100.20",
        ..BASE
    });
    let Parsed::Event(event) = parse_text(line) else {
        panic!()
    };
    assert_eq!(
        event.text,
        "mx.example.net Your access to this mail system has been rejected"
    );
    // One segment: a code of the reply's class standing as a word inside the text is its
    // enhanced code, wherever the server put it; a version number or a code of another class
    // is prose.
    let said = |reply: &str| {
        let line = format!(
            "Nov 21 08:00:16 mx1 postfix/smtp[4213]: 3F2A1B0CEB: to=<k@example.net>, relay=mx.example.net[198.51.100.20]:25, delay=1, dsn=5.0.0, status=bounced (host mx.example.net[198.51.100.20] said: {reply} (in reply to RCPT TO command))"
        );
        let Parsed::Event(event) = parse_text(&line) else {
            panic!("{line}")
        };
        (
            event.reply_code,
            event.enhanced_code.map(|code| code.to_string()),
        )
    };
    let code = |text: &str| Some(text.to_string());
    assert_eq!(
        said("554 mx.example.net 5.7.1 Your access to this mail system has been rejected"),
        (Some(554), code("5.7.1"))
    );
    assert_eq!(
        said("511 sorry, no mailbox here by that name (#5.1.1 - chkuser)"),
        (Some(511), code("5.1.1"))
    );
    assert_eq!(
        said("550 Requested action not taken: mailbox unavailable (5.1.1)"),
        (Some(550), code("5.1.1"))
    );
    assert_eq!(
        said("554 Transaction failed: 5.7.1 Message rejected"),
        (Some(554), code("5.7.1"))
    );
    for prose in [
        "554 mx.example.net ESMTP Exim 5.94.2 refuses you",
        "550 see 4.7.1 in our policy",
        "550 blocked 192.0.2.5.1.1 listed",
        "550 rule 5.7.1a matched",
        "550 Rule5.7.1 matched",
    ] {
        assert_eq!(said(prose), (prose[..3].parse().ok(), None), "{prose}");
    }
}

#[test]
fn a_server_greeting_with_our_own_name_is_a_per_host_failure_at_connect() {
    let standalone = Case {
        line: "Nov 21 08:00:19 mx1 postfix/smtp[4216]: 3F2A1B0CEE: host mx.example.net[198.51.100.20] greeted me with my own hostname mx1.example.org",
        action: "refused",
        stage: "CONNECT",
        class: "4xx",
        remote_host: "mx.example.net",
        remote_ip: "198.51.100.20",
        ..BASE
    };
    check(&standalone);
    // As Postfix writes it: a warning, with the port and without a queue id.
    check(&Case {
        line: "Nov 21 08:00:19 mx1 postfix/smtp[4216]: warning: host mail.example.net[198.51.100.21]:25 greeted me with my own hostname mx1.example.org",
        remote_host: "mail.example.net",
        remote_ip: "198.51.100.21",
        ..standalone
    });
    let Parsed::Event(event) = parse_text(standalone.line) else {
        panic!()
    };
    assert_eq!(event.reply_code, None);
    assert_eq!(event.permanence, crate::codes::Permanence::Transient);
    assert_eq!(
        event.text,
        "host mx.example.net[198.51.100.20] greeted me with my own hostname mx1.example.org"
    );
    check(&Case {
        line: "Nov 21 08:00:06 mx1 postfix/smtp[4203]: 3F2A1B0CE2: to=<c@example.net>, relay=mx.example.net[198.51.100.20]:25, delay=1, delays=0.1/0/0.5/0.4, dsn=5.4.6, status=bounced (host mx.example.net[198.51.100.20] greeted me with my own hostname mx1.example.org)",
        action: "bounced",
        stage: "CONNECT",
        dsn: "5.4.6",
        class: "5xx",
        recipient: "c@example.net",
        remote_host: "mx.example.net",
        remote_ip: "198.51.100.20",
        ..BASE
    });
    // Other warnings are no outcome but the MTA's own warnings, and the bounce that follows
    // the loop names no step.
    for line in [
        "Nov 21 08:00:19 mx1 postfix/smtp[4216]: warning: host mail.example.net[198.51.100.21]:25 replied to HELO/EHLO with my own hostname mx1.example.org",
        "Nov 21 08:00:19 mx1 postfix/smtp[4216]: warning: host mail.example.net[198.51.100.21]:25 greeted me",
    ] {
        assert!(
            matches!(parse_text(line), Parsed::Diagnosed(d) if d.tier == Severity::Warning),
            "{line}"
        );
    }
    check(&Case {
        line: "Nov 21 08:00:24 mx1 postfix/smtp[4114]: 3F2A1B0CB1: to=<sam@example.org>, relay=none, delay=0, delays=0/0/0/0, dsn=5.4.6, status=bounced (mail for example.org loops back to myself)",
        action: "bounced",
        dsn: "5.4.6",
        class: "5xx",
        recipient: "sam@example.org",
        ..BASE
    });
}

#[test]
fn tls_failures_without_a_reply_are_at_starttls() {
    let tls = Case {
        line: "Nov 21 08:00:18 mx1 postfix/smtp[4111]: 3F2A1B0CAB: to=<ned@tls.example>, relay=mx.tls.example[203.0.113.80]:25, delay=1, delays=0.1/0/0.9/0, dsn=4.7.5, status=deferred (Cannot start TLS: handshake failure)",
        action: "deferred",
        stage: "STARTTLS",
        dsn: "4.7.5",
        class: "4xx",
        recipient: "ned@tls.example",
        remote_host: "mx.tls.example",
        remote_ip: "203.0.113.80",
        ..BASE
    };
    check(&tls);
    check(&Case {
        line: "Nov 21 08:00:20 mx1 postfix/smtp[4111]: 3F2A1B0CAD: to=<ned@tls.example>, relay=mx.tls.example[203.0.113.80]:25, delay=1, dsn=4.7.5, status=deferred (Server certificate not verified)",
        ..tls
    });
    check(&Case {
        line: "Nov 21 08:00:20 mx1 postfix/smtp[4111]: 3F2A1B0CAD: to=<ned@tls.example>, relay=mx.tls.example[203.0.113.80]:25, delay=1, dsn=4.7.5, status=deferred (Server certificate not trusted)",
        ..tls
    });
    check(&Case {
        line: "Nov 21 08:00:13 mx1 postfix/smtp[4210]: 3F2A1B0CE8: to=<ned@tls.example>, relay=mx.tls.example[203.0.113.80]:25, delay=1, dsn=4.4.2, status=deferred (lost connection with mx.tls.example[203.0.113.80] while performing the TLS handshake)",
        dsn: "4.4.2",
        ..tls
    });
    check(&Case {
        line: "Nov 21 08:00:19 mx1 postfix/smtp[4111]: 3F2A1B0CAC: to=<ned@tls.example>, relay=none, delay=1, dsn=4.7.4, status=deferred (delivery temporarily suspended: TLS is required, but was not offered by host mx.tls.example[203.0.113.80])",
        dsn: "4.7.4",
        ..tls
    });
    // One host of several: the per-host line names it.
    check(&Case {
        line: "Nov 21 08:00:19 mx1 postfix/smtp[4111]: 3F2A1B0CAC: TLS is required, but was not offered by host mx2.tls.example[203.0.113.81]",
        action: "refused",
        stage: "STARTTLS",
        class: "4xx",
        remote_host: "mx2.tls.example",
        remote_ip: "203.0.113.81",
        ..BASE
    });
    // Local trouble names no server and no step of the session.
    let line = "Nov 21 08:00:19 mx1 postfix/smtp[4111]: 3F2A1B0CAC: to=<ned@tls.example>, relay=none, delay=1, dsn=4.7.5, status=deferred (TLS is required, but our TLS engine is unavailable)";
    let Parsed::Event(event) = parse_text(line) else {
        panic!()
    };
    assert_eq!(event.stage, None);
    let line = "Nov 21 08:00:19 mx1 postfix/smtp[4111]: 3F2A1B0CAC: TLS is required, but our TLS engine is unavailable";
    assert_eq!(parse_text(line), Parsed::NoOutcome);
}

#[test]
fn smtpd_warnings_that_stand_for_a_refusal_are_inbound_rejects() {
    let cases = [
        (
            "Nov 21 09:00:19 mx1 postfix/smtpd[6019]: warning: Connection rate limit exceeded: 61 from unknown[203.0.113.23] for service smtp",
            "CONNECT",
            "4xx",
            "unknown",
            "203.0.113.23",
        ),
        (
            "Nov 21 09:00:20 mx1 postfix/smtpd[6020]: warning: Connection concurrency limit exceeded: 51 from mail.example.net[198.51.100.24] for service smtp",
            "CONNECT",
            "4xx",
            "mail.example.net",
            "198.51.100.24",
        ),
        (
            "Nov 21 09:00:21 mx1 postfix/smtpd[6021]: warning: Recipient address rate limit exceeded: 501 from unknown[203.0.113.25] for service smtp",
            "RCPT",
            "4xx",
            "unknown",
            "203.0.113.25",
        ),
        (
            "Nov 21 09:00:22 mx1 postfix/smtpd[6022]: warning: unknown[203.0.113.5]: SASL LOGIN authentication failed: UGFzc3dvcmQ6",
            "AUTH",
            "5xx",
            "unknown",
            "203.0.113.5",
        ),
        (
            "Nov 21 09:00:23 mx1 postfix/submission/smtpd[6023]: warning: host.example[2001:db8::5]: SASL PLAIN authentication failed: authentication failure, sasl_username=bob@example.org",
            "AUTH",
            "5xx",
            "host.example",
            "2001:db8::5",
        ),
        // The back end could not be asked: Postfix answers 454 4.7.0.
        (
            "Nov 21 09:00:24 mx1 postfix/smtpd[6024]: warning: unknown[203.0.113.5]: SASL LOGIN authentication failed: Connection lost to authentication server",
            "AUTH",
            "4xx",
            "unknown",
            "203.0.113.5",
        ),
    ];
    for (line, stage, class, host, ip) in cases {
        let Parsed::Event(event) = parse_text(line) else {
            panic!("no event from {line}")
        };
        assert_eq!(
            (
                event.direction,
                event.action,
                event.stage,
                event.class.label(),
                event.remote_host,
                event.remote_ip,
            ),
            (
                Direction::Inbound,
                Action::Rejected,
                Some(stage),
                class,
                host,
                ip,
            ),
            "{line}"
        );
        assert_eq!(event.reply_code, None, "{line}");
    }
    // A limit this rule does not know, and a warning naming no client, are no outcome but
    // warnings.
    for line in [
        "Nov 21 09:00:25 mx1 postfix/smtpd[6025]: warning: Frobnication limit exceeded: 5 from unknown[203.0.113.5] for service smtp",
        "Nov 21 09:00:25 mx1 postfix/smtpd[6025]: warning: Connection rate limit exceeded: 61 for service smtp",
    ] {
        assert!(
            matches!(parse_text(line), Parsed::Diagnosed(d) if d.tier == Severity::Warning),
            "{line}"
        );
    }
}

#[test]
fn master_starting_reloading_and_stopping_is_told_with_the_version() {
    use crate::parse::restart::Restart;
    for (line, event, message, version) in [
        (
            "Nov 21 07:59:59 mx1 postfix/master[1000]: daemon started -- version 3.7.11, configuration /etc/postfix",
            Restart::Start,
            "daemon started",
            "3.7.11",
        ),
        (
            "Nov 21 09:00:00 mx1 postfix-out/master[1000]: reload -- version 3.8.4, configuration /etc/postfix-out",
            Restart::Reload,
            "reload",
            "3.8.4",
        ),
        (
            "Nov 21 10:00:00 mx1 postfix/master[1000]: terminating on signal 15",
            Restart::Stop,
            "terminating on signal 15",
            "",
        ),
    ] {
        let Parsed::Restarted(said) = parse_text(line) else {
            panic!("{line}: {:?}", parse_text(line));
        };
        assert_eq!(said.tier, event, "{line}");
        assert_eq!(said.message, message, "{line}");
        assert_eq!(said.note, version, "{line}");
        assert!(said.timestamp.is_some(), "{line}");
    }
    // postfix-script says the same as master just before it, and no other daemon's words
    // stand for master's.
    for line in [
        "Nov 21 07:59:58 mx1 postfix/postfix-script[999]: starting the Postfix mail system",
        "Nov 21 07:59:58 mx1 postfix/smtpd[999]: reload -- version 3.7.11, configuration /etc/postfix",
        "Nov 21 07:59:58 mx1 postfix/master[1000]: daemon started",
    ] {
        assert!(matches!(parse_text(line), Parsed::NoOutcome), "{line}");
    }
}

#[test]
fn doubled_angle_brackets_around_an_address_are_taken_off() {
    for line in [
        "Nov 21 08:00:01 mx1 postfix/smtpd[1]: NOQUEUE: reject: RCPT from x[192.0.2.1]: 550 5.1.1 <<d0@bs.example>>: Recipient address rejected: User unknown; from=<a@b.example> to=<<d0@bs.example>> proto=ESMTP helo=<x>",
        "Nov 21 08:00:02 mx1 postfix/smtp[4242]: 3F1A22C0B1: to=<<d0@bs.example>>, relay=mx.bs.example[192.0.2.1]:25, delay=1.2, delays=0.1/0/0.6/0.5, dsn=5.1.1, status=bounced (host mx.bs.example[192.0.2.1] said: 550 5.1.1 User unknown (in reply to RCPT TO command))",
    ] {
        let Parsed::Event(event) = parse_text(line) else {
            panic!("{line}")
        };
        assert_eq!(event.recipient, "d0@bs.example", "{line}");
        assert_eq!(event.recipient_domain(), "bs.example", "{line}");
    }
}
