//! The headings and labels of the text and Markdown reports, in each `--lang` language. The
//! advice itself stays in English; column names of CSV and keys of JSON never change.

use crate::pipeline::LineCounts;
use crate::render::explain::Lang;

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
    /// `lines`, in the counts line.
    pub lines: &'static str,
    /// `SMTP outcomes`.
    pub outcomes: &'static str,
    /// `queued messages`.
    pub messages: &'static str,
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
    /// Heading of the footer.
    pub footer: &'static str,
    /// When there is no outcome at all.
    pub nothing_found: &'static str,
}

/// The footer's buckets with their names, in the order the Markdown and HTML reports list
/// them; every line read is in exactly one bucket after the first.
pub fn line_buckets(lines: &LineCounts) -> [(&'static str, u64); 7] {
    [
        ("read", lines.read),
        ("SMTP outcomes and refusals", lines.events),
        ("without an outcome", lines.no_outcome),
        ("of other programs", lines.other_programs),
        ("unmatched", lines.unmatched),
        ("left out by filters", lines.filtered_out),
        ("over-long", lines.over_long),
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
    lines: "lines",
    outcomes: "SMTP outcomes",
    messages: "queued messages",
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
    per_hour: "Failures per hour",
    per_day: "Failures per day",
    outcomes_per_hour: "Outcomes per hour",
    outcomes_per_day: "Outcomes per day",
    thresholds: "Thresholds (--fail-on)",
    unmatched: "Unmatched lines",
    footer: "Lines",
    nothing_found: "no SMTP outcome found",
};

const FR: ReportLabels = ReportLabels {
    title: "rapport mailsift",
    input: "entrée",
    span: "période",
    read: "lu",
    lines: "lignes",
    outcomes: "résultats SMTP",
    messages: "messages en file",
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
    per_hour: "Échecs par heure",
    per_day: "Échecs par jour",
    outcomes_per_hour: "Résultats par heure",
    outcomes_per_day: "Résultats par jour",
    thresholds: "Seuils (--fail-on)",
    unmatched: "Lignes non reconnues",
    footer: "Lignes",
    nothing_found: "aucun résultat SMTP trouvé",
};

const VI: ReportLabels = ReportLabels {
    title: "báo cáo mailsift",
    input: "đầu vào",
    span: "khoảng",
    read: "đã đọc",
    lines: "dòng",
    outcomes: "kết quả SMTP",
    messages: "thư trong hàng đợi",
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
    per_hour: "Lỗi theo giờ",
    per_day: "Lỗi theo ngày",
    outcomes_per_hour: "Kết quả theo giờ",
    outcomes_per_day: "Kết quả theo ngày",
    thresholds: "Ngưỡng (--fail-on)",
    unmatched: "Dòng không nhận dạng được",
    footer: "Dòng",
    nothing_found: "không tìm thấy kết quả SMTP nào",
};

const ZH: ReportLabels = ReportLabels {
    title: "mailsift 报告",
    input: "输入",
    span: "时间范围",
    read: "已读",
    lines: "行",
    outcomes: "SMTP 结果",
    messages: "队列邮件",
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
    per_hour: "每小时失败数",
    per_day: "每天失败数",
    outcomes_per_hour: "每小时的结果",
    outcomes_per_day: "每天的结果",
    thresholds: "阈值 (--fail-on)",
    unmatched: "未识别的行",
    footer: "行",
    nothing_found: "未找到 SMTP 结果",
};

const RU: ReportLabels = ReportLabels {
    title: "отчёт mailsift",
    input: "вход",
    span: "период",
    read: "прочитано",
    lines: "строк",
    outcomes: "SMTP-результатов",
    messages: "писем в очереди",
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
    per_hour: "Ошибки по часам",
    per_day: "Ошибки по дням",
    outcomes_per_hour: "Результаты по часам",
    outcomes_per_day: "Результаты по дням",
    thresholds: "Пороги (--fail-on)",
    unmatched: "Нераспознанные строки",
    footer: "Строки",
    nothing_found: "SMTP-результаты не найдены",
};
