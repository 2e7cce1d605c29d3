//! The output of `mailsift explain` and `mailsift codes`: one knowledge-base entry, a
//! comparison of two, or the whole knowledge base as a table.
//!
//! It formats what [`crate::kb`] holds as text, JSON, Markdown or CSV, with headings in the
//! chosen language (the advice itself stays in English). It does not parse command lines; the
//! CLI turns its arguments into [`CodeQuery`], [`ExplainFormat`], [`CodesFormat`] and [`Lang`]
//! and calls [`write_explain`] or [`write_codes`].

use std::fmt;
use std::io::{self, Write};
use std::str::FromStr;

use serde::Serialize;

use crate::codes::{Class, Direction, EnhancedCode, parse_reply_code_prefix};
use crate::kb;

/// The output formats of `explain`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExplainFormat {
    /// Plain text for a terminal.
    Text,
    /// One JSON document.
    Json,
    /// Markdown, for tickets and wikis.
    Markdown,
}

/// The output formats of `codes`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodesFormat {
    /// Aligned tables for a terminal.
    Text,
    /// One row per entry with a fixed column order.
    Csv,
    /// A JSON array of the same rows.
    Json,
    /// Markdown tables.
    Markdown,
}

impl FromStr for ExplainFormat {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "text" => Ok(ExplainFormat::Text),
            "json" => Ok(ExplainFormat::Json),
            "markdown" | "md" => Ok(ExplainFormat::Markdown),
            _ => Err(format!(
                "unknown format '{s}' (expected one of text, json, markdown)"
            )),
        }
    }
}

impl FromStr for CodesFormat {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "text" => Ok(CodesFormat::Text),
            "csv" => Ok(CodesFormat::Csv),
            "json" => Ok(CodesFormat::Json),
            "markdown" | "md" => Ok(CodesFormat::Markdown),
            _ => Err(format!(
                "unknown format '{s}' (expected one of text, csv, json, markdown)"
            )),
        }
    }
}

/// The language of labels and headings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    /// English.
    En,
    /// French.
    Fr,
    /// Vietnamese.
    Vi,
    /// Chinese (simplified).
    Zh,
    /// Russian.
    Ru,
}

impl Lang {
    /// Every language, in the order `--lang` lists them.
    pub const ALL: [Lang; 5] = [Lang::En, Lang::Fr, Lang::Vi, Lang::Zh, Lang::Ru];

    /// The two-letter code used by `--lang`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
            Lang::Vi => "vi",
            Lang::Zh => "zh",
            Lang::Ru => "ru",
        }
    }

    /// The labels and headings in this language.
    pub fn labels(self) -> &'static Labels {
        match self {
            Lang::En => &EN,
            Lang::Fr => &FR,
            Lang::Vi => &VI,
            Lang::Zh => &ZH,
            Lang::Ru => &RU,
        }
    }
}

impl FromStr for Lang {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Lang::ALL
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(s))
            .ok_or_else(|| format!("unknown language '{s}' (expected one of en, fr, vi, zh, ru)"))
    }
}

/// The translated labels and headings of the explain and codes output.
#[derive(Debug)]
pub struct Labels {
    /// Heading of the meaning.
    pub what: &'static str,
    /// Heading of when a code is seen.
    pub when: &'static str,
    /// Heading of the fix.
    pub fix: &'static str,
    /// Heading of the fix when a remote server sent the code to us.
    pub fix_received: &'static str,
    /// Heading of the fix when our server sent the code to a client.
    pub fix_sent: &'static str,
    /// Heading of the differences between two codes.
    pub key_differences: &'static str,
    /// Heading of when each of two codes applies.
    pub when_which: &'static str,
    /// Label of the class.
    pub class: &'static str,
    /// Label of the permanence.
    pub permanence: &'static str,
    /// Label of the reason category.
    pub reason: &'static str,
    /// Label of the enhanced code's subject.
    pub subject: &'static str,
    /// Label of the registering document.
    pub registry: &'static str,
    /// Heading of notes.
    pub notes: &'static str,
    /// Heading of the meanings that providers give to a code.
    pub providers: &'static str,
    /// "Enhanced status code", before a code such as 5.7.1.
    pub enhanced: &'static str,
    /// Heading of the reply-code table.
    pub reply_codes: &'static str,
    /// Heading of the enhanced-code table.
    pub enhanced_codes: &'static str,
    /// Heading of the pattern table.
    pub patterns: &'static str,
    /// Heading of the reason table.
    pub reasons: &'static str,
    /// Column: code.
    pub code: &'static str,
    /// Column: name.
    pub name: &'static str,
    /// Column: provider.
    pub provider: &'static str,
    /// Column: link.
    pub link: &'static str,
    /// Column: description.
    pub description: &'static str,
}

static EN: Labels = Labels {
    what: "What it means",
    when: "When you see it",
    fix: "How to fix it",
    fix_received: "When a remote server sent it to us (outbound)",
    fix_sent: "When our server sent it to a client (inbound)",
    key_differences: "Key differences",
    when_which: "When to use which",
    class: "Class",
    permanence: "Permanence",
    reason: "Reason",
    subject: "Subject",
    registry: "Registry",
    notes: "Notes",
    providers: "Provider-specific uses",
    enhanced: "Enhanced status code",
    reply_codes: "Reply codes",
    enhanced_codes: "Enhanced status codes",
    patterns: "Recognised reply texts",
    reasons: "Reason categories",
    code: "Code",
    name: "Name",
    provider: "Provider",
    link: "Link",
    description: "Description",
};

static FR: Labels = Labels {
    what: "Description",
    when: "Quand vous le voyez",
    fix: "Comment résoudre",
    fix_received: "Quand un serveur distant nous l'envoie (sortant)",
    fix_sent: "Quand notre serveur l'envoie à un client (entrant)",
    key_differences: "Différences clés",
    when_which: "Quand utiliser lequel",
    class: "Classe",
    permanence: "Permanence",
    reason: "Motif",
    subject: "Sujet",
    registry: "Registre",
    notes: "Remarques",
    providers: "Usages propres aux fournisseurs",
    enhanced: "Code d'état étendu",
    reply_codes: "Codes de réponse",
    enhanced_codes: "Codes d'état étendus",
    patterns: "Textes de réponse reconnus",
    reasons: "Catégories de motifs",
    code: "Code",
    name: "Nom",
    provider: "Fournisseur",
    link: "Lien",
    description: "Description",
};

static VI: Labels = Labels {
    what: "Mô tả",
    when: "Khi bạn thấy mã này",
    fix: "Cách khắc phục",
    fix_received: "Khi máy chủ từ xa gửi cho chúng ta (gửi đi)",
    fix_sent: "Khi máy chủ của chúng ta gửi cho máy khách (nhận vào)",
    key_differences: "Sự khác biệt chính",
    when_which: "Khi nào dùng cái nào",
    class: "Lớp",
    permanence: "Tính chất",
    reason: "Lý do",
    subject: "Chủ đề",
    registry: "Đăng ký",
    notes: "Ghi chú",
    providers: "Cách dùng riêng của nhà cung cấp",
    enhanced: "Mã trạng thái mở rộng",
    reply_codes: "Mã phản hồi",
    enhanced_codes: "Mã trạng thái mở rộng",
    patterns: "Văn bản phản hồi được nhận dạng",
    reasons: "Nhóm lý do",
    code: "Mã",
    name: "Tên",
    provider: "Nhà cung cấp",
    link: "Liên kết",
    description: "Mô tả",
};

static ZH: Labels = Labels {
    what: "描述",
    when: "何时出现",
    fix: "如何修复",
    fix_received: "远程服务器发给我们时（出站）",
    fix_sent: "我方服务器发给客户端时（入站）",
    key_differences: "主要区别",
    when_which: "何时使用哪个",
    class: "类别",
    permanence: "持久性",
    reason: "原因",
    subject: "主题",
    registry: "注册",
    notes: "备注",
    providers: "服务商特有的用法",
    enhanced: "增强状态码",
    reply_codes: "回复码",
    enhanced_codes: "增强状态码",
    patterns: "可识别的回复文本",
    reasons: "原因类别",
    code: "代码",
    name: "名称",
    provider: "服务商",
    link: "链接",
    description: "说明",
};

static RU: Labels = Labels {
    what: "Описание",
    when: "Когда вы это видите",
    fix: "Как исправить",
    fix_received: "Когда удалённый сервер прислал его нам (исходящая почта)",
    fix_sent: "Когда наш сервер отправил его клиенту (входящая почта)",
    key_differences: "Ключевые различия",
    when_which: "Когда что использовать",
    class: "Класс",
    permanence: "Постоянство",
    reason: "Причина",
    subject: "Тема",
    registry: "Реестр",
    notes: "Примечания",
    providers: "Особые значения у провайдеров",
    enhanced: "Расширенный код состояния",
    reply_codes: "Коды ответа",
    enhanced_codes: "Расширенные коды состояния",
    patterns: "Распознаваемые тексты ответов",
    reasons: "Категории причин",
    code: "Код",
    name: "Название",
    provider: "Провайдер",
    link: "Ссылка",
    description: "Описание",
};

/// One code as typed after `mailsift explain`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeQuery {
    /// A basic reply code such as `421`.
    Reply(u16),
    /// An enhanced status code such as `5.7.1`.
    Enhanced(EnhancedCode),
    /// Both, such as `550 5.1.1`.
    Both(u16, EnhancedCode),
}

/// Why a string is not a [`CodeQuery`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "'{0}' is not an SMTP code: expected a reply code such as 421, an enhanced status code such \
     as 5.7.1, or both in quotes such as \"550 5.1.1\""
)]
pub struct ParseCodeError(String);

impl FromStr for CodeQuery {
    type Err = ParseCodeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let error = || ParseCodeError(s.to_string());
        let reply = |t: &str| {
            (t.len() == 3)
                .then(|| parse_reply_code_prefix(t.as_bytes()))
                .flatten()
        };
        let mut parts = s.split_whitespace();
        let query = match (parts.next(), parts.next(), parts.next()) {
            (Some(one), None, None) if one.contains('.') => {
                CodeQuery::Enhanced(one.parse().map_err(|_| error())?)
            }
            (Some(one), None, None) => CodeQuery::Reply(reply(one).ok_or_else(error)?),
            (Some(r), Some(e), None) => {
                CodeQuery::Both(reply(r).ok_or_else(error)?, e.parse().map_err(|_| error())?)
            }
            _ => return Err(error()),
        };
        Ok(query)
    }
}

impl fmt::Display for CodeQuery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CodeQuery::Reply(r) => write!(f, "{r}"),
            CodeQuery::Enhanced(e) => write!(f, "{e}"),
            CodeQuery::Both(r, e) => write!(f, "{r} {e}"),
        }
    }
}

/// One explained code, as every format shows it.
#[derive(Clone, Debug, Serialize)]
struct Entry {
    code: String,
    name: String,
    class: &'static str,
    class_name: &'static str,
    permanence: &'static str,
    reason: &'static str,
    subject: Option<&'static str>,
    registry: Option<&'static str>,
    what: String,
    when: String,
    fix: String,
    fix_when_received: Option<&'static str>,
    fix_when_sent: Option<&'static str>,
    providers: Vec<ProviderUse>,
    notes: Vec<String>,
}

/// What one provider means by a code, from the reply texts the knowledge base recognises.
#[derive(Clone, Debug, Serialize)]
struct ProviderUse {
    provider: &'static str,
    pattern: &'static str,
    title: &'static str,
    meaning: &'static str,
    fix: &'static str,
    link: Option<&'static str>,
}

impl ProviderUse {
    fn new(p: &'static kb::TextPattern) -> ProviderUse {
        ProviderUse {
            provider: p.provider.unwrap_or(""),
            pattern: p.id,
            title: p.title,
            meaning: p.meaning,
            fix: p.fix,
            link: p.link,
        }
    }
}

impl Entry {
    fn new(query: CodeQuery) -> Entry {
        let (reply_code, enhanced) = match query {
            CodeQuery::Reply(r) => (Some(r), None),
            CodeQuery::Enhanced(e) => (None, Some(e)),
            CodeQuery::Both(r, e) => (Some(r), Some(e)),
        };
        let class = reply_code
            .and_then(Class::from_reply_code)
            .or_else(|| enhanced.map(EnhancedCode::class))
            .unwrap_or(Class::Permanent);
        let reason = kb::classify(reply_code, enhanced, "", Direction::Outbound).reason;
        let reply = reply_code.and_then(kb::reply_entry);
        let explained = enhanced.map(kb::enhanced_entry);
        let specific = explained.filter(|x| x.registered && x.code.detail != 0);

        let mut names = Vec::new();
        let mut what = Vec::new();
        let mut notes = Vec::new();
        match reply {
            Some(e) => {
                names.push(e.name.to_string());
                what.push(e.what.to_string());
            }
            None => {
                if let Some(code) = reply_code {
                    names.push(kb::class_name(class).to_string());
                    what.push(kb::class_what(class).to_string());
                    notes.push(format!(
                        "{code} is not one of the reply codes the SMTP standards define; only its \
                         first digit tells anything."
                    ));
                }
            }
        }
        if let Some(x) = explained {
            names.push(x.name());
            what.push(x.what());
        }
        // A code outside the registry that a provider documents reads best through that
        // provider's pattern; every other provider use is listed in a section of its own.
        let mut uses: Vec<&'static kb::TextPattern> =
            enhanced.map_or_else(Vec::new, |code| kb::provider_uses(code).collect());
        let owner = match explained {
            Some(x) if !x.registered && !uses.is_empty() => Some(uses.remove(0)),
            _ => None,
        };
        if let Some(p) = owner {
            names.push(p.title.to_string());
            what.push(p.meaning.to_string());
        }
        if kb::inconsistent(reply_code, enhanced) {
            notes.push(kb::INCONSISTENT_NOTE.to_string());
        }

        // The most specific layer decides the advice; directional advice comes as a pair from
        // that same layer so the two directions never mix sources.
        let (when, fix, received, sent) = if let Some(p) = owner {
            (p.example, p.fix, None, None)
        } else if let Some(x) = specific {
            let e = x.entry;
            (e.when, e.fix, e.fix_when_received, e.fix_when_sent)
        } else if let Some(e) = reply {
            (e.when, e.fix, e.fix_when_received, e.fix_when_sent)
        } else if let Some(x) = explained {
            let e = x.entry;
            (x.when(), e.fix, e.fix_when_received, e.fix_when_sent)
        } else {
            (
                "Whenever the server chooses to; the code is not standard.",
                kb::class_fix(class),
                None,
                None,
            )
        };
        let when = match owner {
            Some(p) => format!(
                "In replies from {} such as: {}",
                p.provider.unwrap_or("the provider"),
                p.example
            ),
            None => when.to_string(),
        };
        Entry {
            code: query.to_string(),
            name: names.join(" / "),
            class: class.label(),
            class_name: class.rfc_name(),
            permanence: class.permanence().label(),
            reason,
            subject: explained.map(|x| x.subject()),
            registry: explained.map(|x| {
                if x.registered {
                    x.entry.rfc
                } else {
                    "not registered"
                }
            }),
            what: what.join(" "),
            when,
            fix: fix.to_string(),
            fix_when_received: received,
            fix_when_sent: sent,
            providers: uses.into_iter().map(ProviderUse::new).collect(),
            notes,
        }
    }

    /// `421 Service not available`, the short form used in comparisons.
    fn short(&self) -> String {
        format!("{} ({})", self.code, self.name)
    }
}

/// The key differences between two entries and when each applies.
#[derive(Clone, Debug, Serialize)]
struct Comparison {
    summary: String,
    differences: Vec<String>,
    when_each_applies: Vec<String>,
}

impl Comparison {
    fn new(a: &Entry, b: &Entry) -> Comparison {
        let class_line = if a.class == b.class {
            format!(
                "{} and {} are both {} replies ({}).",
                a.code, b.code, a.class, a.class_name
            )
        } else {
            format!(
                "{} is a {} reply ({}), whereas {} is a {} reply ({}).",
                a.code, a.class, a.class_name, b.code, b.class, b.class_name
            )
        };
        let summary = format!(
            "{} Put briefly, {} says: {} {} says: {}",
            class_line,
            a.code,
            first_sentence(&a.what),
            b.code,
            first_sentence(&b.what)
        );
        let mut differences = vec![class_line];
        if a.permanence != b.permanence {
            differences.push(format!(
                "Retrying: {} is {} and {} is {}, so {}.",
                a.code,
                a.permanence,
                b.code,
                b.permanence,
                retry_note(a.permanence, b.permanence)
            ));
        }
        if a.reason != b.reason {
            differences.push(format!(
                "Reason category: {} for {}, {} for {}.",
                a.reason, a.code, b.reason, b.code
            ));
        }
        for e in [a, b] {
            differences.push(format!("{} means: {}", e.short(), e.what));
        }
        for e in [a, b] {
            differences.push(format!("{} appears: {}", e.code, e.when));
        }
        let when_each_applies = [a, b]
            .iter()
            .map(|e| format!("For {}: {}", e.short(), e.fix))
            .collect();
        Comparison {
            summary,
            differences,
            when_each_applies,
        }
    }
}

fn first_sentence(text: &str) -> &str {
    match text.find(". ") {
        Some(i) => &text[..=i],
        None => text,
    }
}

fn retry_note(a: &str, b: &str) -> &'static str {
    match (a, b) {
        ("transient", _) | (_, "transient") if a == "permanent" || b == "permanent" => {
            "one may pass on a later attempt while the other will fail again unchanged"
        }
        ("success", _) | (_, "success") => "only one of them reports a failure at all",
        _ => "they call for different handling",
    }
}

#[derive(Serialize)]
struct ExplainJson<'a> {
    entries: &'a [Entry],
    comparison: Option<&'a Comparison>,
}

/// Writes the explanation of one code, or of two codes with a comparison (more than two are
/// written one after another without a comparison).
pub fn write_explain(
    out: &mut dyn Write,
    queries: &[CodeQuery],
    format: ExplainFormat,
    lang: Lang,
) -> io::Result<()> {
    let entries: Vec<Entry> = queries.iter().copied().map(Entry::new).collect();
    let comparison = match entries.as_slice() {
        [a, b] => Some(Comparison::new(a, b)),
        _ => None,
    };
    let labels = lang.labels();
    match format {
        ExplainFormat::Json => {
            let doc = ExplainJson {
                entries: &entries,
                comparison: comparison.as_ref(),
            };
            serde_json::to_writer_pretty(&mut *out, &doc)?;
            writeln!(out)
        }
        ExplainFormat::Text => write_explain_text(out, &entries, comparison.as_ref(), labels),
        ExplainFormat::Markdown => write_explain_md(out, &entries, comparison.as_ref(), labels),
    }
}

const WIDTH: usize = 88;

/// Writes `text` wrapped at [`WIDTH`] columns with a two-space indent.
fn wrap(out: &mut dyn Write, text: &str) -> io::Result<()> {
    wrap_hanging(out, text, "  ", "  ")
}

/// Writes `text` wrapped at [`WIDTH`] columns, its first line after `first` and the others
/// after `rest`, so that list items keep their continuation lines under their first word.
fn wrap_hanging(out: &mut dyn Write, text: &str, first: &str, rest: &str) -> io::Result<()> {
    let mut line = String::from(first);
    let mut empty = true;
    for word in text.split_whitespace() {
        if !empty && line.chars().count() + 1 + word.chars().count() > WIDTH {
            writeln!(out, "{line}")?;
            line = String::from(rest);
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    writeln!(out, "{line}")
}

fn title(entry: &Entry, labels: &Labels) -> String {
    if entry.code.contains('.') && !entry.code.contains(' ') {
        format!("{} {} — {}", labels.enhanced, entry.code, entry.name)
    } else {
        format!("SMTP {} — {}", entry.code, entry.name)
    }
}

/// The headed paragraphs of an entry, in the order every format writes them; the advice per
/// direction only where the directions differ.
fn sections<'a>(e: &'a Entry, labels: &'a Labels) -> Vec<(&'a str, &'a str)> {
    let mut sections = vec![
        (labels.what, e.what.as_str()),
        (labels.when, e.when.as_str()),
        (labels.fix, e.fix.as_str()),
    ];
    if let (Some(r), Some(s)) = (e.fix_when_received, e.fix_when_sent) {
        sections.push((labels.fix_received, r));
        sections.push((labels.fix_sent, s));
    }
    sections
}

fn write_entry_text(out: &mut dyn Write, e: &Entry, labels: &Labels) -> io::Result<()> {
    writeln!(out, "{}", title(e, labels))?;
    writeln!(out, "  {}: {} ({})", labels.class, e.class, e.class_name)?;
    writeln!(out, "  {}: {}", labels.permanence, e.permanence)?;
    writeln!(out, "  {}: {}", labels.reason, e.reason)?;
    if let Some(subject) = e.subject {
        writeln!(out, "  {}: {}", labels.subject, subject)?;
    }
    if let Some(registry) = e.registry {
        writeln!(out, "  {}: {}", labels.registry, registry)?;
    }
    for (heading, text) in sections(e, labels) {
        writeln!(out)?;
        writeln!(out, "{heading}")?;
        wrap(out, text)?;
    }
    if !e.providers.is_empty() {
        writeln!(out)?;
        writeln!(out, "{}", labels.providers)?;
        for p in &e.providers {
            let text = format!("{}: {} {}", p.title, p.meaning, p.fix);
            wrap_hanging(out, &text, "  - ", "    ")?;
            if let Some(link) = p.link {
                wrap_hanging(out, &format!("{}: {link}", labels.link), "    ", "    ")?;
            }
        }
    }
    if !e.notes.is_empty() {
        writeln!(out)?;
        writeln!(out, "{}", labels.notes)?;
        for note in &e.notes {
            wrap(out, note)?;
        }
    }
    Ok(())
}

fn write_explain_text(
    out: &mut dyn Write,
    entries: &[Entry],
    comparison: Option<&Comparison>,
    labels: &Labels,
) -> io::Result<()> {
    if let (Some(c), [a, b]) = (comparison, entries) {
        writeln!(out, "SMTP {} vs {}", a.short(), b.short())?;
        writeln!(out)?;
        wrap(out, &c.summary)?;
        writeln!(out)?;
    }
    for (i, e) in entries.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        write_entry_text(out, e, labels)?;
    }
    if let Some(c) = comparison {
        writeln!(out)?;
        writeln!(out, "{}", labels.key_differences)?;
        for (i, d) in c.differences.iter().enumerate() {
            wrap_hanging(out, d, &format!("  {}. ", i + 1), "     ")?;
        }
        writeln!(out)?;
        writeln!(out, "{}", labels.when_which)?;
        for w in &c.when_each_applies {
            wrap_hanging(out, w, "  ", "    ")?;
        }
    }
    Ok(())
}

fn write_entry_md(out: &mut dyn Write, e: &Entry, labels: &Labels, level: &str) -> io::Result<()> {
    writeln!(out, "{level} {}", title(e, labels))?;
    writeln!(out)?;
    writeln!(
        out,
        "- **{}**: {} ({})",
        labels.class, e.class, e.class_name
    )?;
    writeln!(out, "- **{}**: {}", labels.permanence, e.permanence)?;
    writeln!(out, "- **{}**: `{}`", labels.reason, e.reason)?;
    if let Some(subject) = e.subject {
        writeln!(out, "- **{}**: {}", labels.subject, subject)?;
    }
    if let Some(registry) = e.registry {
        writeln!(out, "- **{}**: {}", labels.registry, registry)?;
    }
    for (heading, text) in sections(e, labels) {
        writeln!(out)?;
        writeln!(out, "{level}# {heading}")?;
        writeln!(out)?;
        writeln!(out, "{text}")?;
    }
    if !e.providers.is_empty() {
        writeln!(out)?;
        writeln!(out, "{level}# {}", labels.providers)?;
        writeln!(out)?;
        for p in &e.providers {
            let link = p.link.map(|l| format!(" <{l}>")).unwrap_or_default();
            writeln!(out, "- **{}**: {} {}{link}", p.title, p.meaning, p.fix)?;
        }
    }
    if !e.notes.is_empty() {
        writeln!(out)?;
        writeln!(out, "{level}# {}", labels.notes)?;
        writeln!(out)?;
        for note in &e.notes {
            writeln!(out, "- {note}")?;
        }
    }
    Ok(())
}

fn write_explain_md(
    out: &mut dyn Write,
    entries: &[Entry],
    comparison: Option<&Comparison>,
    labels: &Labels,
) -> io::Result<()> {
    let level = match (comparison, entries) {
        (Some(c), [a, b]) => {
            writeln!(out, "# SMTP {} vs {}", a.short(), b.short())?;
            writeln!(out)?;
            writeln!(out, "{}", c.summary)?;
            writeln!(out)?;
            "##"
        }
        _ => "#",
    };
    for (i, e) in entries.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        write_entry_md(out, e, labels, level)?;
    }
    if let Some(c) = comparison {
        writeln!(out)?;
        writeln!(out, "## {}", labels.key_differences)?;
        writeln!(out)?;
        for (i, d) in c.differences.iter().enumerate() {
            writeln!(out, "{}. {d}", i + 1)?;
        }
        writeln!(out)?;
        writeln!(out, "## {}", labels.when_which)?;
        writeln!(out)?;
        for w in &c.when_each_applies {
            writeln!(out, "- {w}")?;
        }
    }
    Ok(())
}

/// One row of `mailsift codes`; the field order is the CSV column order.
#[derive(Clone, Debug, Serialize)]
struct CodeRow {
    kind: &'static str,
    code: String,
    class: &'static str,
    permanence: &'static str,
    reason: &'static str,
    provider: &'static str,
    name: &'static str,
    what: &'static str,
    when: String,
    fix: &'static str,
    fix_when_received: &'static str,
    fix_when_sent: &'static str,
    link: &'static str,
    /// For a provider's pattern, the enhanced codes it documents, separated by spaces.
    provider_codes: String,
}

/// Every entry of the knowledge base as rows: reasons, reply codes, enhanced codes, patterns.
fn code_rows() -> Vec<CodeRow> {
    let mut rows = Vec::new();
    for (reason, description) in kb::REASONS {
        rows.push(CodeRow {
            kind: "reason",
            code: reason.to_string(),
            class: "",
            permanence: "",
            reason,
            provider: "",
            name: reason,
            what: description,
            when: String::new(),
            fix: "",
            fix_when_received: "",
            fix_when_sent: "",
            link: "",
            provider_codes: String::new(),
        });
    }
    for e in kb::all_reply_codes() {
        rows.push(CodeRow {
            kind: "reply",
            code: e.code.to_string(),
            class: e.class().label(),
            permanence: e.permanence().label(),
            reason: e.reason,
            provider: "",
            name: e.name,
            what: e.what,
            when: e.when.to_string(),
            fix: e.fix,
            fix_when_received: e.fix_when_received.unwrap_or(""),
            fix_when_sent: e.fix_when_sent.unwrap_or(""),
            link: "",
            provider_codes: String::new(),
        });
    }
    for e in kb::all_enhanced_codes() {
        rows.push(CodeRow {
            kind: "enhanced",
            code: e.label(),
            class: "",
            permanence: "",
            reason: e.reason,
            provider: "",
            name: e.name,
            what: e.what,
            when: e.when.to_string(),
            fix: e.fix,
            fix_when_received: e.fix_when_received.unwrap_or(""),
            fix_when_sent: e.fix_when_sent.unwrap_or(""),
            link: "",
            provider_codes: String::new(),
        });
    }
    for p in kb::all_patterns() {
        rows.push(CodeRow {
            kind: "pattern",
            code: p.id.to_string(),
            class: "",
            permanence: "",
            reason: p.reason,
            provider: p.provider.unwrap_or(""),
            name: p.title,
            what: p.meaning,
            when: format!("In replies such as: {}", p.example),
            fix: p.fix,
            fix_when_received: "",
            fix_when_sent: p.fix_when_sent.unwrap_or(""),
            link: p.link.unwrap_or(""),
            provider_codes: p.codes.join(" "),
        });
    }
    rows
}

/// Writes the whole knowledge base: reason categories, reply codes, enhanced status codes and
/// recognised reply texts. CSV and JSON keep English column names so that scripts can rely on
/// them; text and Markdown translate the headings.
pub fn write_codes(out: &mut dyn Write, format: CodesFormat, lang: Lang) -> io::Result<()> {
    let rows = code_rows();
    let labels = lang.labels();
    match format {
        CodesFormat::Csv => {
            let mut writer = csv::Writer::from_writer(out);
            for row in &rows {
                writer.serialize(row).map_err(io::Error::other)?;
            }
            writer.flush()
        }
        CodesFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &rows)?;
            writeln!(out)
        }
        CodesFormat::Text => write_codes_table(out, &rows, labels, false),
        CodesFormat::Markdown => write_codes_table(out, &rows, labels, true),
    }
}

fn write_codes_table(
    out: &mut dyn Write,
    rows: &[CodeRow],
    labels: &Labels,
    markdown: bool,
) -> io::Result<()> {
    let sections = [
        ("reason", labels.reasons),
        ("reply", labels.reply_codes),
        ("enhanced", labels.enhanced_codes),
        ("pattern", labels.patterns),
    ];
    for (i, (kind, heading)) in sections.into_iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        write_codes_section(out, rows, kind, heading, labels, markdown)?;
    }
    Ok(())
}

/// Writes the rows of one kind as a table under its heading.
fn write_codes_section(
    out: &mut dyn Write,
    rows: &[CodeRow],
    kind: &str,
    heading: &str,
    labels: &Labels,
    markdown: bool,
) -> io::Result<()> {
    let chosen: Vec<&CodeRow> = rows.iter().filter(|r| r.kind == kind).collect();
    let (mut header, mut cells): (Vec<&str>, Vec<Vec<&str>>) = match kind {
        "reason" => (
            vec![labels.reason, labels.description],
            chosen
                .iter()
                .map(|r| vec![r.code.as_str(), r.what])
                .collect(),
        ),
        "reply" => (
            vec![labels.code, labels.class, labels.reason, labels.name],
            chosen
                .iter()
                .map(|r| vec![r.code.as_str(), r.class, r.reason, r.name])
                .collect(),
        ),
        "enhanced" => (
            vec![labels.code, labels.reason, labels.name],
            chosen
                .iter()
                .map(|r| vec![r.code.as_str(), r.reason, r.name])
                .collect(),
        ),
        _ => (
            vec![labels.code, labels.reason, labels.provider, labels.name],
            chosen
                .iter()
                .map(|r| vec![r.code.as_str(), r.reason, r.provider, r.name])
                .collect(),
        ),
    };
    if markdown {
        // Markdown has room for the self-service links; a terminal table does not.
        if kind == "pattern" {
            header.push(labels.link);
            for (cells, row) in cells.iter_mut().zip(&chosen) {
                cells.push(row.link);
            }
        }
        writeln!(out, "## {heading}")?;
        writeln!(out)?;
        writeln!(out, "| {} |", header.join(" | "))?;
        writeln!(out, "|{}", "---|".repeat(header.len()))?;
        for row in &cells {
            let escaped: Vec<String> = row.iter().map(|c| c.replace('|', "\\|")).collect();
            writeln!(out, "| {} |", escaped.join(" | "))?;
        }
        return Ok(());
    }
    writeln!(out, "{heading}")?;
    let widths: Vec<usize> = (0..header.len())
        .map(|c| {
            cells
                .iter()
                .map(|r| r[c].chars().count())
                .chain([header[c].chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in std::iter::once(&header).chain(&cells) {
        let mut line = String::from(" ");
        for (c, cell) in row.iter().enumerate() {
            line.push(' ');
            line.push_str(cell);
            if c + 1 < row.len() {
                let pad = widths[c] - cell.chars().count();
                line.extend(std::iter::repeat_n(' ', pad));
            }
        }
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// Writes the reason categories with their one-line descriptions, the list behind the
/// `reason` column of every output: a table for text and Markdown (the Markdown form is the
/// one in `docs/reasons.md`), rows of `reason,description` for CSV, and an array of
/// `{reason, description}` objects for JSON.
pub fn write_reasons(out: &mut dyn Write, format: CodesFormat, lang: Lang) -> io::Result<()> {
    #[derive(Serialize)]
    struct ReasonRow {
        reason: &'static str,
        description: &'static str,
    }
    let reasons = kb::reasons()
        .iter()
        .map(|&(reason, description)| ReasonRow {
            reason,
            description,
        });
    match format {
        CodesFormat::Csv => {
            let mut writer = csv::Writer::from_writer(out);
            for row in reasons {
                writer.serialize(row).map_err(io::Error::other)?;
            }
            writer.flush()
        }
        CodesFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &reasons.collect::<Vec<_>>())?;
            writeln!(out)
        }
        CodesFormat::Text | CodesFormat::Markdown => {
            let labels = lang.labels();
            let markdown = format == CodesFormat::Markdown;
            let rows = code_rows();
            write_codes_section(out, &rows, "reason", labels.reasons, labels, markdown)
        }
    }
}

#[cfg(test)]
mod tests;
