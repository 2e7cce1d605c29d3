//! Tests of the explain and codes output: every code renders in every format and language,
//! queries parse, comparisons carry both entries, and snapshots pin the exact output.

use super::*;
use crate::codes::EnhancedCode;

/// The basic reply codes issue 4 asks for, which the knowledge base must all explain.
const LISTED_REPLY_CODES: [u16; 34] = [
    211, 214, 220, 221, 235, 250, 251, 252, 334, 354, 421, 432, 450, 451, 452, 454, 455, 500, 501,
    502, 503, 504, 521, 530, 534, 535, 538, 550, 551, 552, 553, 554, 555, 556,
];

const FORMATS: [ExplainFormat; 3] = [
    ExplainFormat::Text,
    ExplainFormat::Json,
    ExplainFormat::Markdown,
];

fn explain(queries: &[CodeQuery], format: ExplainFormat, lang: Lang) -> String {
    let mut out = Vec::new();
    write_explain(&mut out, queries, format, lang).expect("writing to a Vec cannot fail");
    String::from_utf8(out).expect("explain writes UTF-8")
}

fn explain_str(args: &[&str], format: ExplainFormat, lang: Lang) -> String {
    let queries: Vec<CodeQuery> = args.iter().map(|a| a.parse().unwrap()).collect();
    explain(&queries, format, lang)
}

fn codes(format: CodesFormat, lang: Lang) -> String {
    let mut out = Vec::new();
    write_codes(&mut out, format, lang).expect("writing to a Vec cannot fail");
    String::from_utf8(out).expect("codes writes UTF-8")
}

fn enhanced(s: &str) -> EnhancedCode {
    s.parse().unwrap()
}

/// Every registered code, once per class that can carry a failure or a success.
fn registry_queries() -> Vec<CodeQuery> {
    let mut queries = Vec::new();
    for e in kb::all_enhanced_codes() {
        for class in [2, 4, 5] {
            let code = EnhancedCode::new(class, e.subject, e.detail).unwrap();
            queries.push(CodeQuery::Enhanced(code));
        }
    }
    queries
}

/// The text between a heading line and the next blank line.
fn section<'a>(text: &'a str, heading: &str) -> Option<&'a str> {
    let start = text.find(&format!("\n{heading}\n"))? + heading.len() + 2;
    let rest = &text[start..];
    Some(rest.split("\n\n").next().unwrap_or(rest))
}

/// Checks that one rendered entry has every section filled, whatever the format.
fn assert_complete(query: CodeQuery, format: ExplainFormat, lang: Lang) {
    let out = explain(&[query], format, lang);
    let labels = lang.labels();
    match format {
        ExplainFormat::Json => {
            let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
            let entry = &doc["entries"][0];
            for field in [
                "code",
                "name",
                "class",
                "class_name",
                "permanence",
                "reason",
                "what",
                "when",
                "fix",
            ] {
                let value = entry[field].as_str().unwrap_or("");
                assert!(!value.trim().is_empty(), "{query}: empty {field} in JSON");
            }
            assert!(
                doc["comparison"].is_null(),
                "{query}: one code, no comparison"
            );
        }
        ExplainFormat::Text => {
            assert!(out.starts_with("SMTP ") || out.starts_with(labels.enhanced));
            for heading in [labels.what, labels.when, labels.fix] {
                let body = section(&out, heading)
                    .unwrap_or_else(|| panic!("{query}: no '{heading}' section:\n{out}"));
                assert!(
                    body.starts_with("  ") && body.trim().len() > 10,
                    "{query}: {heading}"
                );
            }
            for label in [labels.class, labels.permanence, labels.reason] {
                assert!(out.contains(&format!("  {label}: ")), "{query}: no {label}");
            }
        }
        ExplainFormat::Markdown => {
            assert!(
                out.starts_with("# "),
                "{query}: Markdown starts with a heading"
            );
            for heading in [labels.what, labels.when, labels.fix] {
                let marker = format!("\n## {heading}\n\n");
                let at = out
                    .find(&marker)
                    .unwrap_or_else(|| panic!("{query}: no '{heading}' section:\n{out}"));
                let body = out[at + marker.len()..].lines().next().unwrap_or("");
                assert!(body.trim().len() > 10, "{query}: empty {heading}");
            }
        }
    }
}

#[test]
fn every_listed_reply_code_renders_completely_in_every_format() {
    for code in LISTED_REPLY_CODES {
        assert!(
            kb::reply_entry(code).is_some(),
            "{code} is not in the knowledge base"
        );
        for format in FORMATS {
            assert_complete(CodeQuery::Reply(code), format, Lang::En);
        }
    }
}

#[test]
fn every_registry_code_renders_completely_in_every_format() {
    for query in registry_queries() {
        for format in FORMATS {
            assert_complete(query, format, Lang::En);
        }
    }
}

#[test]
fn every_language_renders_every_listed_code() {
    for lang in Lang::ALL {
        for code in LISTED_REPLY_CODES {
            assert_complete(CodeQuery::Reply(code), ExplainFormat::Text, lang);
        }
        for code in ["5.1.1", "4.7.0", "5.7.26", "5.7.606", "4.9.9"] {
            assert_complete(
                CodeQuery::Enhanced(enhanced(code)),
                ExplainFormat::Markdown,
                lang,
            );
        }
    }
}

#[test]
fn pairs_of_codes_and_unlisted_codes_render() {
    let cases = [
        "550 5.1.1",
        "452 4.5.3",
        "421 4.7.0",
        "454 4.7.0",
        "535 5.7.8",
        "550 5.7.606",
        "299 2.0.0",
        "599 5.9.999",
        "399",
        "2.0.0",
    ];
    for case in cases {
        for format in FORMATS {
            assert_complete(case.parse().unwrap(), format, Lang::En);
        }
    }
}

#[test]
fn code_queries_parse() {
    let ok = [
        ("421", CodeQuery::Reply(421)),
        ("5.7.1", CodeQuery::Enhanced(enhanced("5.7.1"))),
        ("4.7.650", CodeQuery::Enhanced(enhanced("4.7.650"))),
        ("550 5.1.1", CodeQuery::Both(550, enhanced("5.1.1"))),
        ("  550\t5.1.1 ", CodeQuery::Both(550, enhanced("5.1.1"))),
        ("299", CodeQuery::Reply(299)),
    ];
    for (input, want) in ok {
        let got: CodeQuery = input.parse().unwrap_or_else(|e| panic!("{input}: {e}"));
        assert_eq!(got, want, "{input}");
        // Display gives back a form that parses to the same query.
        assert_eq!(got.to_string().parse::<CodeQuery>().unwrap(), got);
    }
    assert_eq!(
        CodeQuery::Both(550, enhanced("5.1.1")).to_string(),
        "550 5.1.1"
    );

    let bad = [
        "",
        "   ",
        "42",
        "4210",
        "42a",
        "600",
        "199",
        "abc",
        "5.7",
        "5.7.",
        "5.7.1.1",
        "6.1.1",
        "5.7.1000",
        "5.1.1 550",
        "550 5.1.1 extra",
        "550 550",
        "550-5.1.1",
        "550,5.1.1",
    ];
    for input in bad {
        let err = input
            .parse::<CodeQuery>()
            .expect_err(&format!("'{input}' should not parse"));
        let message = err.to_string();
        assert!(message.contains(&format!("'{input}'")), "{message}");
        assert!(
            message.contains("421") && message.contains("5.7.1"),
            "{message}"
        );
    }
}

#[test]
fn formats_parse() {
    assert_eq!("text".parse(), Ok(ExplainFormat::Text));
    assert_eq!("JSON".parse(), Ok(ExplainFormat::Json));
    assert_eq!("markdown".parse(), Ok(ExplainFormat::Markdown));
    assert!(
        "csv"
            .parse::<ExplainFormat>()
            .unwrap_err()
            .contains("text, json, markdown")
    );
    assert_eq!("csv".parse(), Ok(CodesFormat::Csv));
    assert_eq!("md".parse(), Ok(CodesFormat::Markdown));
    assert!("html".parse::<CodesFormat>().is_err());
}

#[test]
fn languages_parse_and_have_distinct_headings() {
    for lang in Lang::ALL {
        assert_eq!(lang.code().parse::<Lang>().unwrap(), lang);
        assert_eq!(lang.code().to_uppercase().parse::<Lang>().unwrap(), lang);
        let l = lang.labels();
        let headings = [l.what, l.when, l.fix, l.fix_received, l.fix_sent];
        for h in headings
            .iter()
            .chain(&[l.key_differences, l.when_which, l.providers])
        {
            assert!(!h.trim().is_empty(), "{lang:?}");
        }
        let mut unique = headings.to_vec();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(
            unique.len(),
            headings.len(),
            "{lang:?}: headings must differ"
        );
    }
    assert!(
        "de".parse::<Lang>()
            .unwrap_err()
            .contains("en, fr, vi, zh, ru")
    );
}

#[test]
fn french_comparison_shows_french_headings_and_both_entries() {
    let out = explain_str(&["214", "421"], ExplainFormat::Text, Lang::Fr);
    assert!(out.starts_with("SMTP 214 (Help message) vs 421 (Service not available)\n"));
    for heading in [
        "Description",
        "Quand vous le voyez",
        "Comment résoudre",
        "Différences clés",
        "Quand utiliser lequel",
    ] {
        assert!(
            out.contains(&format!("\n{heading}\n")),
            "no '{heading}':\n{out}"
        );
    }
    // Both entries, each with its three sections; 421 also with both directions.
    assert!(out.contains("\nSMTP 214 — Help message\n"));
    assert!(out.contains("\nSMTP 421 — Service not available\n"));
    assert_eq!(out.matches("\nQuand vous le voyez\n").count(), 2);
    assert_eq!(out.matches("\nComment résoudre\n").count(), 2);
    assert!(out.contains("\nQuand un serveur distant nous l'envoie (sortant)\n"));
    assert!(out.contains("\nQuand notre serveur l'envoie à un client (entrant)\n"));
    // The differences come after both entries and name both codes.
    let differences = out.find("\nDifférences clés\n").unwrap();
    assert!(differences > out.find("\nSMTP 421 — ").unwrap());
    let tail = &out[differences..];
    assert!(tail.contains("214 is a 2xx reply") && tail.contains("421 is a 4xx reply"));
    assert!(tail.contains("For 214 (Help message):"));
    assert!(tail.contains("For 421 (Service not available):"));
    // No English heading is left.
    let en = Lang::En.labels();
    for heading in [en.what, en.when, en.fix, en.key_differences, en.when_which] {
        assert!(
            !out.contains(&format!("\n{heading}\n")),
            "English '{heading}' left"
        );
    }
}

#[test]
fn comparison_in_json_and_markdown_carries_both_entries() {
    let json = explain_str(&["214", "421"], ExplainFormat::Json, Lang::Fr);
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(doc["entries"].as_array().unwrap().len(), 2);
    assert_eq!(doc["entries"][0]["code"], "214");
    assert_eq!(doc["entries"][1]["code"], "421");
    let comparison = &doc["comparison"];
    assert!(comparison["differences"].as_array().unwrap().len() >= 5);
    assert_eq!(comparison["when_each_applies"].as_array().unwrap().len(), 2);

    let md = explain_str(&["214", "421"], ExplainFormat::Markdown, Lang::Ru);
    assert!(md.starts_with("# SMTP 214 (Help message) vs 421 (Service not available)\n"));
    assert!(
        md.contains("\n## Ключевые различия\n") && md.contains("\n## Когда что использовать\n")
    );
    assert_eq!(md.matches("\n### Описание\n").count(), 2);

    // Three codes are written one after another, without a comparison.
    let three = explain_str(&["214", "421", "550"], ExplainFormat::Json, Lang::En);
    let doc: serde_json::Value = serde_json::from_str(&three).unwrap();
    assert_eq!(doc["entries"].as_array().unwrap().len(), 3);
    assert!(doc["comparison"].is_null());
}

#[test]
fn directional_advice_appears_only_where_it_differs() {
    let en = Lang::En.labels();
    let out = explain_str(&["421"], ExplainFormat::Text, Lang::En);
    assert!(out.contains(en.fix_received) && out.contains(en.fix_sent));
    let out = explain_str(&["214"], ExplainFormat::Text, Lang::En);
    assert!(!out.contains(en.fix_received) && !out.contains(en.fix_sent));
}

#[test]
fn an_inconsistent_pair_is_flagged_in_every_format() {
    let text = explain_str(&["450 5.7.1"], ExplainFormat::Text, Lang::En);
    let notes = section(&text, "Notes").expect("a Notes section");
    assert!(notes.contains("different classes"), "{notes}");
    let json = explain_str(&["450 5.7.1"], ExplainFormat::Json, Lang::En);
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(doc["entries"][0]["notes"][0], kb::INCONSISTENT_NOTE);
    // The reply code decides the class of an inconsistent pair.
    assert_eq!(doc["entries"][0]["class"], "4xx");
    let md = explain_str(&["450 5.7.1"], ExplainFormat::Markdown, Lang::En);
    assert!(md.contains("\n## Notes\n\n- The reply code and the enhanced status code"));
    let consistent = explain_str(&["550 5.7.1"], ExplainFormat::Text, Lang::En);
    assert!(section(&consistent, "Notes").is_none());
}

#[test]
fn unregistered_codes_follow_the_registry_rule_or_their_provider() {
    // A code nobody documents reads from its class and subject.
    let json = explain_str(&["4.7.99"], ExplainFormat::Json, Lang::En);
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    let entry = &doc["entries"][0];
    assert_eq!(entry["registry"], "not registered");
    assert_eq!(entry["permanence"], "transient");
    assert!(
        entry["what"]
            .as_str()
            .unwrap()
            .contains("not in the IANA registry")
    );
    assert!(entry["when"].as_str().unwrap().contains("chose this code"));
    // A provider's code reads through that provider's pattern, with its link nowhere lost.
    let text = explain_str(&["5.7.606"], ExplainFormat::Text, Lang::En);
    assert!(text.contains("Microsoft: banned sending IP"), "{text}");
    assert!(text.contains("Reason: blocklisted"));
    assert!(text.contains("delist portal"));
    // A registered code that a provider uses differently keeps its registry meaning and
    // lists the provider's use beside it.
    let text = explain_str(&["5.7.27"], ExplainFormat::Text, Lang::En);
    assert!(text.contains("Sender address has null MX"));
    let uses = section(&text, "Provider-specific uses").expect("provider uses");
    assert!(uses.contains("Gmail: SPF did not pass"), "{uses}");
    assert!(uses.contains("https://support.google.com/mail/answer/81126"));
}

#[test]
fn codes_lists_the_whole_knowledge_base() {
    let csv = codes(CodesFormat::Csv, Lang::En);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "kind",
            "code",
            "class",
            "permanence",
            "reason",
            "provider",
            "name",
            "what",
            "when",
            "fix",
            "fix_when_received",
            "fix_when_sent",
            "link",
            "provider_codes"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let expected = kb::reasons().len()
        + kb::all_reply_codes().len()
        + kb::all_enhanced_codes().len()
        + kb::all_patterns().len();
    assert_eq!(rows.len(), expected);
    for code in LISTED_REPLY_CODES {
        let row = rows
            .iter()
            .find(|r| &r[0] == "reply" && r[1] == *code.to_string())
            .unwrap_or_else(|| panic!("{code} missing from codes"));
        for (i, column) in header.iter().enumerate().take(10) {
            if column != "provider" {
                assert!(!row[i].is_empty(), "{code}: empty {column}");
            }
        }
    }
    assert!(
        rows.iter()
            .any(|r| &r[0] == "enhanced" && &r[1] == "X.7.30")
    );

    let json = codes(CodesFormat::Json, Lang::En);
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(doc.as_array().unwrap().len(), expected);

    for lang in Lang::ALL {
        let l = lang.labels();
        for format in [CodesFormat::Text, CodesFormat::Markdown] {
            let out = codes(format, lang);
            for heading in [l.reasons, l.reply_codes, l.enhanced_codes, l.patterns] {
                assert!(out.contains(heading), "{lang:?} {format:?}: {heading}");
            }
        }
    }
}

#[test]
fn reasons_table_matches_the_documentation() {
    let mut out = Vec::new();
    write_reasons(&mut out, CodesFormat::Markdown, Lang::En).unwrap();
    let table = String::from_utf8(out).unwrap();
    for (reason, description) in kb::reasons() {
        assert!(table.contains(&format!("| {reason} | {description} |")));
    }
    let doc = include_str!("../../../docs/reasons.md");
    assert!(
        doc.contains(&table),
        "docs/reasons.md is out of date; paste in the output of write_reasons:\n{table}"
    );
    let example = explain_str(&["550 5.1.1"], ExplainFormat::Text, Lang::En);
    assert!(
        doc.contains(&example),
        "the explain example in docs/reasons.md is out of date"
    );

    let mut out = Vec::new();
    write_reasons(&mut out, CodesFormat::Csv, Lang::En).unwrap();
    let csv = String::from_utf8(out).unwrap();
    assert!(csv.starts_with("reason,description\ndelivered,"));
    assert_eq!(csv.lines().count(), kb::reasons().len() + 1);
    let mut out = Vec::new();
    write_reasons(&mut out, CodesFormat::Json, Lang::En).unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(doc[0]["reason"], "delivered");
}

#[test]
fn snapshot_explain_421_text() {
    insta::assert_snapshot!(explain_str(&["421"], ExplainFormat::Text, Lang::En));
}

#[test]
fn snapshot_explain_550_5_1_1_text() {
    insta::assert_snapshot!(explain_str(&["550 5.1.1"], ExplainFormat::Text, Lang::En));
}

#[test]
fn snapshot_explain_214_421_fr_text() {
    insta::assert_snapshot!(explain_str(&["214", "421"], ExplainFormat::Text, Lang::Fr));
}

#[test]
fn snapshot_explain_5_7_1_json() {
    insta::assert_snapshot!(explain_str(&["5.7.1"], ExplainFormat::Json, Lang::En));
}

#[test]
fn snapshot_codes_csv() {
    insta::assert_snapshot!(codes(CodesFormat::Csv, Lang::En));
}

#[test]
fn snapshot_codes_markdown() {
    insta::assert_snapshot!(codes(CodesFormat::Markdown, Lang::En));
}
