//! The headings and labels of the text and Markdown reports, in each `--lang` language. The
//! advice itself stays in English; column names of CSV and keys of JSON never change.

use crate::aggregate::Tally;
use crate::codes::Class;
use crate::outcome::OutcomeSummary;
use crate::render::explain::Lang;
use crate::render::text::thousands;
use crate::report::Report;

/// Every word the text and Markdown reports print around the data.
#[derive(Debug)]
pub struct ReportLabels {
    /// Title of the report.
    pub title: &'static str,
    /// Label of an input line.
    pub input: &'static str,
    /// Label of the time span.
    pub span: &'static str,
    /// Label of the counts line.
    pub read: &'static str,
    /// How many of a thing take which form of its noun.
    pub plural: PluralRule,
    /// `lines`, in the counts line.
    pub lines: Noun,
    /// `SMTP outcomes`, in the counts line.
    pub outcomes: Noun,
    /// `queued messages`, in the counts line.
    pub messages: Noun,
    /// Heading of the class split.
    pub by_class: &'static str,
    /// Heading of the transient/permanent split.
    pub transient_vs_permanent: &'static str,
    /// `transient (retried)`.
    pub transient: &'static str,
    /// `permanent (final)`.
    pub permanent: &'static str,
    /// Heading of the action split.
    pub by_action: &'static str,
    /// Heading of the codes table.
    pub codes: &'static str,
    /// Heading of the advice blocks.
    pub advice: &'static str,
    /// Label of the reason.
    pub reason: &'static str,
    /// Label of the meaning.
    pub meaning: &'static str,
    /// Label of when a code is seen.
    pub seen: &'static str,
    /// Label of the fix.
    pub fix: &'static str,
    /// Label of the link.
    pub link: &'static str,
    /// Heading of what this log shows about a code.
    pub in_this_log: &'static str,
    /// Label of the time span of a code.
    pub when: &'static str,
    /// Label of the destination domains.
    pub domains: &'static str,
    /// Label of the clients.
    pub clients: &'static str,
    /// Label of an example line.
    pub example: &'static str,
    /// Heading of per-host refusals.
    pub refusals: &'static str,
    /// Heading of the rejects our server only logged (`reject_warning`).
    pub reject_warnings: &'static str,
    /// Heading of postscreen's verdicts.
    pub screening: &'static str,
    /// Heading of the MTA's own warnings and errors.
    pub diagnostics: &'static str,
    /// Heading of the messages rules held, discarded or redirected, and those Exim froze.
    pub diversions: &'static str,
    /// Heading of the MTA's starts, reloads and stops.
    pub restarts: &'static str,
    /// Heading of the hourly timeline.
    pub per_hour: &'static str,
    /// Heading of the daily timeline.
    pub per_day: &'static str,
    /// Heading of the chart of every outcome per hour.
    pub outcomes_per_hour: &'static str,
    /// Heading of the chart of every outcome per day.
    pub outcomes_per_day: &'static str,
    /// Heading of the `--fail-on` results.
    pub thresholds: &'static str,
    /// Heading of the unmatched lines.
    pub unmatched: &'static str,
    /// Heading of the incidents.
    pub incidents: &'static str,
    /// When there is no incident.
    pub no_incidents: &'static str,
    /// `attempts`, after a count of failures in an incident.
    pub attempts: &'static str,
    /// `usually`, before the usual share of failures.
    pub usually: &'static str,
    /// Heading of the message outcomes.
    pub message_outcomes: &'static str,
    /// Label of the number of recipients and messages followed.
    pub followed: &'static str,
    /// `recipients`, in the message outcomes.
    pub recipients: Noun,
    /// `messages`, in the message outcomes.
    pub messages_word: Noun,
    /// Label of recipients delivered at the first attempt.
    pub delivered_at_once: &'static str,
    /// Label of recipients delivered after transient failures.
    pub delivered_after: &'static str,
    /// Label of recipients never delivered.
    pub lost: &'static str,
    /// Label of recipients still waiting when the log ends.
    pub pending: &'static str,
    /// Label of the delay transient failures added.
    pub delay_added: &'static str,
    /// Heading of the list of lost recipients.
    pub lost_examples: &'static str,
    /// `notification`, before the queue id of a bounce notification.
    pub notification: &'static str,
    /// Heading of the footer.
    pub footer: &'static str,
    /// When there is no outcome at all.
    pub nothing_found: &'static str,
}

/// The forms of a noun after a number: English and French have two, Russian three (one,
/// few, many); Chinese and Vietnamese nouns do not change.
#[derive(Clone, Copy, Debug)]
pub struct Noun {
    /// After one (in Russian also 21, 31, ...; in French also zero).
    pub one: &'static str,
    /// After 2-4, 22-24, ... in Russian; the same as `many` elsewhere.
    pub few: &'static str,
    /// After any other number.
    pub many: &'static str,
}

impl Noun {
    /// A noun with one form after one and another after any other number.
    const fn two(one: &'static str, many: &'static str) -> Noun {
        Noun {
            one,
            few: many,
            many,
        }
    }

    /// A noun that is the same after any number.
    const fn same(word: &'static str) -> Noun {
        Noun::two(word, word)
    }
}

/// Which form of a noun a number takes in a language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PluralRule {
    /// `one` for exactly one.
    English,
    /// `one` for zero and one.
    French,
    /// `one` for 1, 21, 31, ... but not 11; `few` for 2-4, 22-24, ... but not 12-14.
    Russian,
    /// The noun does not change.
    Invariant,
}

impl ReportLabels {
    /// The form of `noun` that follows `count`.
    pub fn counted(&self, count: u64, noun: Noun) -> &'static str {
        match self.plural {
            PluralRule::English if count == 1 => noun.one,
            PluralRule::French if count < 2 => noun.one,
            PluralRule::Russian => match (count % 10, count % 100) {
                (1, rest) if rest != 11 => noun.one,
                (2..=4, rest) if !(12..=14).contains(&rest) => noun.few,
                _ => noun.many,
            },
            _ => noun.many,
        }
    }
}

/// The counts a report starts with: `7,009 lines; 2,128 SMTP outcomes; 1,083 queued messages`,
/// each noun in the form its number takes, and `~` before an estimated number of messages.
pub fn counts_phrase(tally: &Tally, words: &ReportLabels) -> String {
    let lines = tally.lines.read;
    let events = tally.events();
    let messages = tally.messages.count();
    format!(
        "{} {}; {} {}; {}{} {}",
        thousands(lines),
        words.counted(lines, words.lines),
        thousands(events),
        words.counted(events, words.outcomes),
        if tally.messages.approximate() {
            "~"
        } else {
            ""
        },
        thousands(messages),
        words.counted(messages, words.messages)
    )
}

/// The footer's buckets with their names, in the order every report lists them; every line
/// read is in exactly one bucket after the first. The lines that gave an event are split into
/// outcomes, per-host refusals and reject warnings, which the report counts apart. The copies of
/// lines Exim wrote to two of its logs are listed only when there are some, since most logs
/// cannot have any.
pub fn line_buckets(tally: &Tally) -> Vec<(&'static str, u64)> {
    let lines = &tally.lines;
    let refusals = tally.refusal_count();
    let warnings = tally.reject_warning_count();
    let outcomes = lines.events.saturating_sub(refusals + warnings);
    let mut buckets = vec![
        ("read", lines.read),
        ("SMTP outcomes", outcomes),
        ("per-host refusals", refusals),
        ("reject warnings", warnings),
        ("without an outcome", lines.no_outcome),
        ("of other programs", lines.other_programs),
        ("unmatched", lines.unmatched),
        ("left out by filters", lines.filtered_out),
        ("over-long", lines.over_long),
    ];
    if lines.repeated > 0 {
        buckets.push(("counted in another of Exim's logs", lines.repeated));
    }
    buckets
}

/// The lists under postscreen's verdicts, with their lead-ins, in the order the Markdown and
/// HTML reports give them.
pub fn screening_tops(report: &Report) -> [(&'static str, &[(String, u64)]); 2] {
    [
        ("Blocklists that listed clients", &report.screening_lists),
        ("Clients failing most", &report.failing_clients),
    ]
}

/// One line of the message outcomes: its label, count, the class whose colour it takes, and
/// its breakdown (empty when the count is 0).
pub type OutcomeLine = (&'static str, u64, Class, String);

/// The lines of the message outcomes table, in the order every report shows them.
pub fn outcome_lines(outcomes: &OutcomeSummary, words: &ReportLabels) -> [OutcomeLine; 4] {
    let after = outcomes.delivered_after;
    let retried = outcomes.delivered_after_deferral();
    let lost = outcomes.lost();
    [
        (
            words.delivered_at_once,
            outcomes.delivered_at_once,
            Class::Success,
            String::new(),
        ),
        (
            words.delivered_after,
            retried,
            Class::Transient,
            if retried == 0 {
                String::new()
            } else {
                format!(
                    "1: {}, 2: {}, 3: {}, 4: {}, 5+: {}",
                    after[0], after[1], after[2], after[3], after[4]
                )
            },
        ),
        (
            words.lost,
            lost,
            Class::Permanent,
            if lost == 0 {
                String::new()
            } else {
                format!(
                    "bounced {} ({} after retries), expired {}",
                    outcomes.bounced_at_once + outcomes.bounced_after_deferral,
                    outcomes.bounced_after_deferral,
                    outcomes.expired
                )
            },
        ),
        (
            words.pending,
            outcomes.pending,
            Class::Transient,
            String::new(),
        ),
    ]
}

/// The labels for a language.
pub fn report_labels(lang: Lang) -> &'static ReportLabels {
    match lang {
        Lang::En => &EN,
        Lang::Fr => &FR,
        Lang::Vi => &VI,
        Lang::Zh => &ZH,
        Lang::Ru => &RU,
    }
}

const EN: ReportLabels = ReportLabels {
    title: "mailsift report",
    input: "input",
    span: "span",
    read: "read",
    plural: PluralRule::English,
    lines: Noun::two("line", "lines"),
    outcomes: Noun::two("SMTP outcome", "SMTP outcomes"),
    messages: Noun::two("queued message", "queued messages"),
    by_class: "Outcomes by class",
    transient_vs_permanent: "Transient versus permanent failures",
    transient: "transient (retried)",
    permanent: "permanent (final)",
    by_action: "Outcomes by action",
    codes: "Codes",
    advice: "What each code means and how to fix it",
    reason: "reason",
    meaning: "meaning",
    seen: "seen",
    fix: "fix",
    link: "link",
    in_this_log: "in this log:",
    when: "when",
    domains: "domains",
    clients: "clients",
    example: "example",
    refusals: "Per-host refusals",
    reject_warnings: "Reject warnings (logged only, not sent)",
    screening: "Connection screening (postscreen)",
    diagnostics: "Warnings and errors logged by the MTA",
    diversions: "Messages held, frozen, discarded or redirected",
    restarts: "Starts, reloads and stops of the MTA",
    per_hour: "Failures per hour",
    per_day: "Failures per day",
    outcomes_per_hour: "Outcomes per hour",
    outcomes_per_day: "Outcomes per day",
    thresholds: "Thresholds (--fail-on)",
    unmatched: "Unmatched lines",
    incidents: "Incidents: failures far above their usual level",
    no_incidents: "no failure rose far above its usual level",
    attempts: "attempts",
    usually: "usually",
    message_outcomes: "Message outcomes (per recipient)",
    followed: "followed",
    recipients: Noun::two("recipient", "recipients"),
    messages_word: Noun::two("message", "messages"),
    delivered_at_once: "delivered at once",
    delivered_after: "delivered after retries",
    lost: "lost",
    pending: "pending at the end",
    delay_added: "delay added by retries",
    lost_examples: "Lost recipients",
    notification: "notification",
    footer: "Lines",
    nothing_found: "no SMTP outcome found",
};

const FR: ReportLabels = ReportLabels {
    title: "rapport mailsift",
    input: "entrée",
    span: "période",
    read: "lu",
    plural: PluralRule::French,
    lines: Noun::two("ligne", "lignes"),
    outcomes: Noun::two("résultat SMTP", "résultats SMTP"),
    messages: Noun::two("message en file", "messages en file"),
    by_class: "Résultats par classe",
    transient_vs_permanent: "Échecs temporaires et définitifs",
    transient: "temporaire (réessayé)",
    permanent: "définitif",
    by_action: "Résultats par action",
    codes: "Codes",
    advice: "Signification de chaque code et solution",
    reason: "raison",
    meaning: "sens",
    seen: "quand",
    fix: "solution",
    link: "lien",
    in_this_log: "dans ce journal :",
    when: "période",
    domains: "domaines",
    clients: "clients",
    example: "exemple",
    refusals: "Refus par hôte",
    reject_warnings: "Avertissements de rejet (journalisés, non envoyés)",
    screening: "Filtrage des connexions (postscreen)",
    diagnostics: "Avertissements et erreurs journalisés par le MTA",
    diversions: "Messages retenus, gelés, supprimés ou redirigés",
    restarts: "Démarrages, rechargements et arrêts du MTA",
    per_hour: "Échecs par heure",
    per_day: "Échecs par jour",
    outcomes_per_hour: "Résultats par heure",
    outcomes_per_day: "Résultats par jour",
    thresholds: "Seuils (--fail-on)",
    unmatched: "Lignes non reconnues",
    incidents: "Incidents : échecs bien au-dessus de leur niveau habituel",
    no_incidents: "aucun échec n'a dépassé nettement son niveau habituel",
    attempts: "tentatives",
    usually: "d'habitude",
    message_outcomes: "Sort des messages (par destinataire)",
    followed: "suivis",
    recipients: Noun::two("destinataire", "destinataires"),
    messages_word: Noun::two("message", "messages"),
    delivered_at_once: "livrés du premier coup",
    delivered_after: "livrés après réessais",
    lost: "perdus",
    pending: "en attente à la fin",
    delay_added: "retard dû aux réessais",
    lost_examples: "Destinataires perdus",
    notification: "notification",
    footer: "Lignes",
    nothing_found: "aucun résultat SMTP trouvé",
};

const VI: ReportLabels = ReportLabels {
    title: "báo cáo mailsift",
    input: "đầu vào",
    span: "khoảng",
    read: "đã đọc",
    plural: PluralRule::Invariant,
    lines: Noun::same("dòng"),
    outcomes: Noun::same("kết quả SMTP"),
    messages: Noun::same("thư trong hàng đợi"),
    by_class: "Kết quả theo lớp",
    transient_vs_permanent: "Lỗi tạm thời và lỗi vĩnh viễn",
    transient: "tạm thời (thử lại)",
    permanent: "vĩnh viễn",
    by_action: "Kết quả theo hành động",
    codes: "Mã",
    advice: "Ý nghĩa của từng mã và cách khắc phục",
    reason: "lý do",
    meaning: "ý nghĩa",
    seen: "khi nào",
    fix: "khắc phục",
    link: "liên kết",
    in_this_log: "trong nhật ký này:",
    when: "thời gian",
    domains: "tên miền",
    clients: "máy khách",
    example: "ví dụ",
    refusals: "Từ chối theo máy chủ",
    reject_warnings: "Cảnh báo từ chối (chỉ ghi nhật ký, không gửi)",
    screening: "Sàng lọc kết nối (postscreen)",
    diagnostics: "Cảnh báo và lỗi do MTA ghi lại",
    diversions: "Thư bị giữ lại, đóng băng, hủy hoặc chuyển hướng",
    restarts: "Các lần MTA khởi động, nạp lại cấu hình và dừng",
    per_hour: "Lỗi theo giờ",
    per_day: "Lỗi theo ngày",
    outcomes_per_hour: "Kết quả theo giờ",
    outcomes_per_day: "Kết quả theo ngày",
    thresholds: "Ngưỡng (--fail-on)",
    unmatched: "Dòng không nhận dạng được",
    incidents: "Sự cố: lỗi tăng vượt xa mức thường lệ",
    no_incidents: "không có lỗi nào tăng vượt xa mức thường lệ",
    attempts: "lần thử",
    usually: "thường lệ",
    message_outcomes: "Kết cục của thư (theo người nhận)",
    followed: "đã theo dõi",
    recipients: Noun::same("người nhận"),
    messages_word: Noun::same("thư"),
    delivered_at_once: "gửi được ngay",
    delivered_after: "gửi được sau khi thử lại",
    lost: "bị mất",
    pending: "còn chờ khi hết nhật ký",
    delay_added: "độ trễ do thử lại",
    lost_examples: "Người nhận bị mất thư",
    notification: "thông báo",
    footer: "Dòng",
    nothing_found: "không tìm thấy kết quả SMTP nào",
};

const ZH: ReportLabels = ReportLabels {
    title: "mailsift 报告",
    input: "输入",
    span: "时间范围",
    read: "已读",
    plural: PluralRule::Invariant,
    lines: Noun::same("行"),
    outcomes: Noun::same("SMTP 结果"),
    messages: Noun::same("队列邮件"),
    by_class: "按类别的结果",
    transient_vs_permanent: "临时失败与永久失败",
    transient: "临时（会重试）",
    permanent: "永久",
    by_action: "按动作的结果",
    codes: "代码",
    advice: "每个代码的含义及解决方法",
    reason: "原因",
    meaning: "含义",
    seen: "出现场景",
    fix: "解决方法",
    link: "链接",
    in_this_log: "本日志中：",
    when: "时间",
    domains: "域名",
    clients: "客户端",
    example: "示例",
    refusals: "按主机的拒绝",
    reject_warnings: "拒绝警告（仅记录，未发送）",
    screening: "连接筛查（postscreen）",
    diagnostics: "MTA 记录的警告和错误",
    diversions: "被暂扣、冻结、丢弃或重定向的邮件",
    restarts: "MTA 的启动、重新加载和停止",
    per_hour: "每小时失败数",
    per_day: "每天失败数",
    outcomes_per_hour: "每小时的结果",
    outcomes_per_day: "每天的结果",
    thresholds: "阈值 (--fail-on)",
    unmatched: "未识别的行",
    incidents: "事件：失败数远高于平常水平",
    no_incidents: "没有失败数远高于平常水平",
    attempts: "次尝试",
    usually: "平常",
    message_outcomes: "邮件结局（按收件人）",
    followed: "已跟踪",
    recipients: Noun::same("个收件人"),
    messages_word: Noun::same("封邮件"),
    delivered_at_once: "首次即投递",
    delivered_after: "重试后投递",
    lost: "丢失",
    pending: "日志结束时仍在等待",
    delay_added: "重试造成的延迟",
    lost_examples: "丢失的收件人",
    notification: "退信通知",
    footer: "行",
    nothing_found: "未找到 SMTP 结果",
};

const RU: ReportLabels = ReportLabels {
    title: "отчёт mailsift",
    input: "вход",
    span: "период",
    read: "прочитано",
    plural: PluralRule::Russian,
    lines: Noun {
        one: "строка",
        few: "строки",
        many: "строк",
    },
    outcomes: Noun {
        one: "SMTP-результат",
        few: "SMTP-результата",
        many: "SMTP-результатов",
    },
    messages: Noun {
        one: "письмо в очереди",
        few: "письма в очереди",
        many: "писем в очереди",
    },
    by_class: "Результаты по классам",
    transient_vs_permanent: "Временные и постоянные ошибки",
    transient: "временные (повтор)",
    permanent: "постоянные",
    by_action: "Результаты по действиям",
    codes: "Коды",
    advice: "Что означает каждый код и как это исправить",
    reason: "причина",
    meaning: "смысл",
    seen: "когда",
    fix: "решение",
    link: "ссылка",
    in_this_log: "в этом журнале:",
    when: "время",
    domains: "домены",
    clients: "клиенты",
    example: "пример",
    refusals: "Отказы по хостам",
    reject_warnings: "Предупреждения об отказе (только в журнале, не отправлены)",
    screening: "Проверка подключений (postscreen)",
    diagnostics: "Предупреждения и ошибки, записанные MTA",
    diversions: "Письма задержанные, замороженные, удалённые или перенаправленные",
    restarts: "Запуски, перезагрузки и остановки MTA",
    per_hour: "Ошибки по часам",
    per_day: "Ошибки по дням",
    outcomes_per_hour: "Результаты по часам",
    outcomes_per_day: "Результаты по дням",
    thresholds: "Пороги (--fail-on)",
    unmatched: "Нераспознанные строки",
    incidents: "Инциденты: ошибки намного выше обычного уровня",
    no_incidents: "ни одна ошибка не поднялась намного выше обычного уровня",
    attempts: "попыток",
    usually: "обычно",
    message_outcomes: "Судьба писем (по получателям)",
    followed: "отслежено",
    recipients: Noun {
        one: "получатель",
        few: "получателя",
        many: "получателей",
    },
    messages_word: Noun {
        one: "письмо",
        few: "письма",
        many: "писем",
    },
    delivered_at_once: "доставлено сразу",
    delivered_after: "доставлено после повторов",
    lost: "потеряно",
    pending: "ожидают на конец журнала",
    delay_added: "задержка из-за повторов",
    lost_examples: "Потерянные получатели",
    notification: "уведомление",
    footer: "Строки",
    nothing_found: "SMTP-результаты не найдены",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_language_puts_a_noun_in_the_form_its_number_takes() {
        let en = report_labels(Lang::En);
        assert_eq!(en.counted(1, en.lines), "line");
        assert_eq!(en.counted(0, en.lines), "lines");
        assert_eq!(en.counted(21, en.lines), "lines");
        let fr = report_labels(Lang::Fr);
        assert_eq!(fr.counted(0, fr.lines), "ligne");
        assert_eq!(fr.counted(1, fr.lines), "ligne");
        assert_eq!(fr.counted(2, fr.lines), "lignes");
        let ru = report_labels(Lang::Ru);
        let forms: Vec<&str> = [1, 2, 4, 5, 11, 12, 14, 21, 22, 25, 101, 111, 1_002]
            .into_iter()
            .map(|n| ru.counted(n, ru.lines))
            .collect();
        assert_eq!(
            forms,
            [
                "строка",
                "строки",
                "строки",
                "строк",
                "строк",
                "строк",
                "строк",
                "строка",
                "строки",
                "строк",
                "строка",
                "строк",
                "строки"
            ]
        );
        let zh = report_labels(Lang::Zh);
        for n in [0, 1, 2, 5, 21] {
            assert_eq!(zh.counted(n, zh.lines), "行");
        }
        let vi = report_labels(Lang::Vi);
        assert_eq!(vi.counted(1, vi.recipients), vi.counted(7, vi.recipients));
    }
}
