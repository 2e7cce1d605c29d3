//! Turning what the user typed ([`crate::cli::Cli`]) into what the program does: resolved
//! inputs, filters, thread count, colour and output target. Cross-flag checks live here; no
//! logs are read and nothing is printed.

use std::path::PathBuf;

use chrono::NaiveDateTime;

use crate::aggregate::{Dimension, TallyOptions};
use crate::cli::{
    ByArg, Cli, CodesFormatArg, Command, DirectionArg, EventsFormatArg, ExplainFormatArg, LangArg,
    LogFormatArg, MergeArgs, ReportArgs, ReportFormatArg, ReportShape, ScanArgs, TraceArgs,
    WhenArg,
};
use crate::codes::Direction;
use crate::detect::FormatChoice;
use crate::filter::{self, EventFilter};
use crate::input::InputSpec;
use crate::input::chunk::DEFAULT_CHUNK_SIZE;
use crate::pipeline::ScanSettings;
use crate::render::events::EventsFormat;
use crate::render::explain::{CodeQuery, CodesFormat, ExplainFormat, Lang};
use crate::report::ReportSettings;
use crate::threshold::Threshold;
use crate::trace::Target;

/// A mistake in how the program was called; the exit status is 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// What the program knows of its surroundings, gathered once by the caller so that resolving
/// is a pure function.
#[derive(Clone, Debug)]
pub struct Environment {
    /// Whether standard input is a terminal.
    pub stdin_is_terminal: bool,
    /// Whether standard output is a terminal.
    pub stdout_is_terminal: bool,
    /// Whether standard error is a terminal.
    pub stderr_is_terminal: bool,
    /// Whether `NO_COLOR` is set to a non-empty value.
    pub no_color: bool,
    /// The machine-local time the run started.
    pub now: NaiveDateTime,
    /// How many cores may be used.
    pub cores: usize,
}

/// What to do, fully decided.
#[derive(Debug)]
pub enum Task {
    /// Scan and write the report.
    Report(ReportTask),
    /// Scan and write one row per event.
    Events(EventsTask),
    /// Explain codes.
    Explain(ExplainTask),
    /// List the knowledge base.
    Codes(CodesTask),
    /// Follow one message.
    Trace(TraceTask),
    /// Merge summaries into one report.
    Merge(MergeTask),
    /// Write manual pages.
    Manpage(ManpageTask),
    /// Write a shell's completion script.
    Completions(clap_complete::Shell),
}

/// `manpage`, decided.
#[derive(Debug)]
pub enum ManpageTask {
    /// One page to standard output: mailsift(1) for `None`, else that command's page.
    One(Option<String>),
    /// Every page into this directory.
    All(PathBuf),
}

/// `trace`, decided.
#[derive(Debug)]
pub struct TraceTask {
    /// What to scan.
    pub scan: ScanSettings,
    /// Whether to draw a progress bar.
    pub progress: bool,
    /// Where to write; standard output when `None`.
    pub output: Option<PathBuf>,
    /// What to follow.
    pub target: Target,
}

/// `report`, decided.
#[derive(Debug)]
pub struct ReportTask {
    /// What to scan.
    pub scan: ScanSettings,
    /// Whether to draw a progress bar.
    pub progress: bool,
    /// Where to write; standard output when `None`.
    pub output: Option<PathBuf>,
    /// Whether to colour.
    pub color: bool,
    /// Output format.
    pub format: ReportFormat,
    /// What to collect.
    pub tally: TallyOptions,
    /// How to build the report.
    pub settings: ReportSettings,
    /// The language of headings.
    pub lang: Lang,
}

/// `merge`, decided.
#[derive(Debug)]
pub struct MergeTask {
    /// The summaries, as given.
    pub summaries: Vec<PathBuf>,
    /// Where to write; standard output when `None`.
    pub output: Option<PathBuf>,
    /// Whether to colour.
    pub color: bool,
    /// Output format.
    pub format: ReportFormat,
    /// Example lines per code.
    pub examples: usize,
    /// How to build the report.
    pub settings: ReportSettings,
    /// The language of headings.
    pub lang: Lang,
}

/// The formats of `report`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportFormat {
    /// Text.
    Text,
    /// CSV.
    Csv,
    /// JSON.
    Json,
    /// Markdown.
    Markdown,
    /// One self-contained HTML page.
    Html,
    /// Prometheus text exposition.
    Prometheus,
}

/// `events`, decided.
#[derive(Debug)]
pub struct EventsTask {
    /// What to scan.
    pub scan: ScanSettings,
    /// Whether to draw a progress bar.
    pub progress: bool,
    /// Where to write; standard output when `None`.
    pub output: Option<PathBuf>,
    /// CSV or NDJSON.
    pub format: EventsFormat,
}

/// `explain`, decided.
#[derive(Debug)]
pub struct ExplainTask {
    /// The codes asked about.
    pub queries: Vec<CodeQuery>,
    /// Output format.
    pub format: ExplainFormat,
    /// Language of headings.
    pub lang: Lang,
}

/// `codes`, decided.
#[derive(Debug)]
pub struct CodesTask {
    /// Output format.
    pub format: CodesFormat,
    /// Language of headings.
    pub lang: Lang,
    /// Where to write; standard output when `None`.
    pub output: Option<PathBuf>,
}

/// Decides what to do.
pub fn resolve(cli: Cli, env: &Environment) -> Result<Task, UsageError> {
    match cli.command {
        None => resolve_report(cli.report, env),
        Some(Command::Report(args)) => resolve_report(args, env),
        Some(Command::Events(args)) => Ok(Task::Events(EventsTask {
            output: args.scan.output.clone(),
            progress: show_progress(&args.scan, env),
            scan: resolve_scan(args.scan, env)?,
            format: match args.format {
                EventsFormatArg::Csv => EventsFormat::Csv,
                EventsFormatArg::Ndjson => EventsFormat::Ndjson,
            },
        })),
        Some(Command::Explain(args)) => Ok(Task::Explain(ExplainTask {
            queries: args
                .codes
                .iter()
                .map(|code| code.parse().map_err(|e| UsageError(format!("{e}"))))
                .collect::<Result<_, _>>()?,
            format: match args.format {
                ExplainFormatArg::Text => ExplainFormat::Text,
                ExplainFormatArg::Json => ExplainFormat::Json,
                ExplainFormatArg::Markdown => ExplainFormat::Markdown,
            },
            lang: lang(args.lang),
        })),
        Some(Command::Trace(args)) => resolve_trace(args, env),
        Some(Command::Merge(args)) => resolve_merge(args, env),
        Some(Command::Codes(args)) => Ok(Task::Codes(CodesTask {
            format: match args.format {
                CodesFormatArg::Text => CodesFormat::Text,
                CodesFormatArg::Csv => CodesFormat::Csv,
                CodesFormatArg::Json => CodesFormat::Json,
                CodesFormatArg::Markdown => CodesFormat::Markdown,
            },
            lang: lang(args.lang),
            output: args.output,
        })),
        Some(Command::Manpage(args)) => match (args.dir, args.command) {
            (Some(dir), _) => Ok(Task::Manpage(ManpageTask::All(dir))),
            (None, Some(name)) if !crate::manual::command_names().contains(&name) => {
                Err(UsageError(format!(
                    "no command {name:?} to write a page for; the commands are: {}",
                    crate::manual::command_names().join(", ")
                )))
            }
            (None, command) => Ok(Task::Manpage(ManpageTask::One(command))),
        },
        Some(Command::Completions(args)) => Ok(Task::Completions(args.shell)),
    }
}

fn resolve_trace(args: TraceArgs, env: &Environment) -> Result<Task, UsageError> {
    let target = Target::new(&args.target);
    if matches!(&target, Target::Id(id) if id.is_empty() || id.contains(char::is_whitespace)) {
        return Err(UsageError(format!(
            "trace: {:?} is neither a queue or message id nor an address",
            args.target
        )));
    }
    let scan = &args.scan;
    for (set, flag) in [
        (!scan.only.is_empty(), "--only"),
        (scan.direction != DirectionArg::All, "--direction"),
        (scan.since.is_some(), "--since"),
        (scan.until.is_some(), "--until"),
    ] {
        if set {
            return Err(UsageError(format!(
                "trace shows every line of a message; {flag} does not apply"
            )));
        }
    }
    if scan.files.is_empty() || scan.files.iter().any(|f| f.to_str() == Some("-")) {
        return Err(UsageError(
            "trace reads its inputs twice, so it needs files, not standard input \
             (mailsift trace 2B3C4D5E6F /var/log/mail.log*)"
                .to_string(),
        ));
    }
    Ok(Task::Trace(TraceTask {
        output: args.scan.output.clone(),
        progress: show_progress(&args.scan, env),
        scan: resolve_scan(args.scan, env)?,
        target,
    }))
}

/// Whether the text report is coloured.
fn use_color(
    color: WhenArg,
    output: Option<&PathBuf>,
    format: ReportFormat,
    env: &Environment,
) -> bool {
    let wanted = match color {
        WhenArg::Always => true,
        WhenArg::Never => false,
        WhenArg::Auto => output.is_none() && env.stdout_is_terminal && !env.no_color,
    };
    wanted && format == ReportFormat::Text
}

fn thresholds(conditions: &[String]) -> Result<Vec<Threshold>, UsageError> {
    conditions
        .iter()
        .map(|text| Threshold::parse(text).map_err(|e| UsageError(format!("--fail-on: {e}"))))
        .collect()
}

fn report_format(format: ReportFormatArg) -> ReportFormat {
    match format {
        ReportFormatArg::Text => ReportFormat::Text,
        ReportFormatArg::Csv => ReportFormat::Csv,
        ReportFormatArg::Json => ReportFormat::Json,
        ReportFormatArg::Markdown => ReportFormat::Markdown,
        ReportFormatArg::Html => ReportFormat::Html,
        ReportFormatArg::Prometheus => ReportFormat::Prometheus,
    }
}

/// The options of the report itself, decided.
struct Shape {
    format: ReportFormat,
    color: bool,
    lang: Lang,
    examples: usize,
    settings: ReportSettings,
}

fn shape(
    shown: &ReportShape,
    by: Option<Dimension>,
    output: Option<&PathBuf>,
    env: &Environment,
) -> Result<Shape, UsageError> {
    let format = report_format(shown.format);
    if by.is_some() && format != ReportFormat::Csv {
        return Err(UsageError(
            "--by groups the rows of --format csv; add --format csv".to_string(),
        ));
    }
    Ok(Shape {
        format,
        color: use_color(shown.color, output, format, env),
        lang: lang(shown.lang),
        examples: usize::from(shown.examples),
        settings: ReportSettings {
            top: usize::from(shown.top),
            by,
            thresholds: thresholds(&shown.fail_on)?,
            redact: shown.redact,
            examples: usize::from(shown.examples),
        },
    })
}

fn resolve_merge(args: MergeArgs, env: &Environment) -> Result<Task, UsageError> {
    let shape = shape(&args.shown, None, args.output.as_ref(), env)?;
    Ok(Task::Merge(MergeTask {
        summaries: args.summaries,
        output: args.output,
        color: shape.color,
        format: shape.format,
        examples: shape.examples,
        settings: shape.settings,
        lang: shape.lang,
    }))
}

fn resolve_report(args: ReportArgs, env: &Environment) -> Result<Task, UsageError> {
    let by = args.by.map(|by| match by {
        ByArg::Domain => Dimension::Domain,
        ByArg::Relay => Dimension::Relay,
        ByArg::Client => Dimension::Client,
        ByArg::Reason => Dimension::Reason,
        ByArg::Hour => Dimension::Hour,
        ByArg::Day => Dimension::Day,
    });
    let output = args.scan.output.clone();
    let shape = shape(&args.shown, by, output.as_ref(), env)?;
    let format = shape.format;
    let progress = show_progress(&args.scan, env);
    let scan = resolve_scan(args.scan, env)?;
    // Message outcomes and incidents are shown by the formats people read and by JSON, and are
    // about our deliveries, which an inbound-only report leaves out. CSV's columns are fixed.
    // Prometheus has no use for them: a textfile is rewritten every few minutes, following
    // every message costs that run time and memory, and spikes over time are what Prometheus
    // itself finds from the series with an alert rule.
    let incident_review = matches!(
        format,
        ReportFormat::Text | ReportFormat::Json | ReportFormat::Markdown | ReportFormat::Html
    ) && scan.filter.direction != Some(Direction::Inbound);
    Ok(Task::Report(ReportTask {
        output,
        progress,
        scan,
        color: shape.color,
        lang: shape.lang,
        format,
        tally: TallyOptions {
            examples: shape.examples,
            by,
            keep_unmatched: args.unmatched,
            incident_review,
        },
        settings: shape.settings,
    }))
}

fn show_progress(args: &ScanArgs, env: &Environment) -> bool {
    match args.progress {
        WhenArg::Always => true,
        WhenArg::Never => false,
        WhenArg::Auto => env.stderr_is_terminal,
    }
}

fn resolve_scan(args: ScanArgs, env: &Environment) -> Result<ScanSettings, UsageError> {
    let inputs: Vec<InputSpec> = if args.files.is_empty() {
        if env.stdin_is_terminal {
            return Err(UsageError(
                "no log files given and standard input is a terminal; name the files \
                 (mailsift report /var/log/mail.log*) or pipe a log in (journalctl -u postfix | \
                 mailsift report)"
                    .to_string(),
            ));
        }
        vec![InputSpec::Stdin]
    } else {
        args.files
            .iter()
            .map(|path| match path.to_str() {
                Some("-") => InputSpec::Stdin,
                _ => InputSpec::Path(path.clone()),
            })
            .collect()
    };
    if inputs.iter().filter(|i| **i == InputSpec::Stdin).count() > 1 {
        return Err(UsageError(
            "standard input (-) can be read only once".to_string(),
        ));
    }
    let bound = |value: &Option<String>, flag: &str| {
        value
            .as_deref()
            .map(|v| filter::parse_time_bound(v, env.now))
            .transpose()
            .map_err(|e| UsageError(format!("{flag}: {e}")))
    };
    let since = bound(&args.since, "--since")?;
    let until = bound(&args.until, "--until")?;
    if let (Some(since), Some(until)) = (since, until)
        && since >= until
    {
        return Err(UsageError(format!(
            "--since ({since}) must be earlier than --until ({until})"
        )));
    }
    let mut only = Vec::new();
    for list in &args.only {
        only.extend(filter::parse_only(list).map_err(|e| UsageError(format!("--only: {e}")))?);
    }
    Ok(ScanSettings {
        inputs,
        format: match args.log_format {
            LogFormatArg::Auto => FormatChoice::Auto,
            LogFormatArg::Postfix => FormatChoice::Postfix,
            LogFormatArg::Exim => FormatChoice::Exim,
        },
        year: args.year,
        now: env.now,
        filter: EventFilter {
            since,
            until,
            only,
            direction: match args.direction {
                DirectionArg::All => None,
                DirectionArg::Inbound => Some(Direction::Inbound),
                DirectionArg::Outbound => Some(Direction::Outbound),
            },
        },
        threads: args.threads.map_or(env.cores, usize::from).max(1),
        chunk_size: args
            .chunk_size
            .map_or(DEFAULT_CHUNK_SIZE, |size| size as usize)
            .max(1),
        progress: None,
        // Found by a first look at the inputs, just before they are read.
        exim_side_lines: Default::default(),
    })
}

fn lang(arg: LangArg) -> Lang {
    match arg {
        LangArg::En => Lang::En,
        LangArg::Fr => Lang::Fr,
        LangArg::Vi => Lang::Vi,
        LangArg::Zh => Lang::Zh,
        LangArg::Ru => Lang::Ru,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn env() -> Environment {
        Environment {
            stdin_is_terminal: true,
            stdout_is_terminal: true,
            stderr_is_terminal: true,
            no_color: false,
            now: NaiveDateTime::default(),
            cores: 2,
        }
    }

    fn resolve_args(args: &[&str], env: &Environment) -> Result<Task, UsageError> {
        resolve(Cli::try_parse_from(args).unwrap(), env)
    }

    #[test]
    fn no_files_on_a_terminal_is_a_usage_error_with_a_hint() {
        let error = resolve_args(&["mailsift"], &env()).unwrap_err();
        assert!(error.0.contains("standard input is a terminal"));
        let piped = Environment {
            stdin_is_terminal: false,
            ..env()
        };
        match resolve_args(&["mailsift", "events"], &piped).unwrap() {
            Task::Events(task) => assert_eq!(task.scan.inputs, [InputSpec::Stdin]),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn colour_follows_terminal_output_and_no_color() {
        let color = |args: &[&str], env: &Environment| match resolve_args(args, env).unwrap() {
            Task::Report(task) => task.color,
            other => panic!("{other:?}"),
        };
        assert!(color(&["mailsift", "a.log"], &env()));
        assert!(!color(&["mailsift", "a.log", "-o", "r.txt"], &env()));
        assert!(!color(
            &["mailsift", "a.log"],
            &Environment {
                no_color: true,
                ..env()
            }
        ));
        assert!(!color(
            &["mailsift", "a.log"],
            &Environment {
                stdout_is_terminal: false,
                ..env()
            }
        ));
        assert!(color(
            &["mailsift", "a.log", "--color", "always"],
            &Environment {
                no_color: true,
                ..env()
            }
        ));
    }

    #[test]
    fn prometheus_is_a_machine_format_without_by_or_the_review() {
        let task = |args: &[&str]| match resolve_args(args, &env()).unwrap() {
            Task::Report(task) => task,
            other => panic!("{other:?}"),
        };
        let prometheus = task(&["mailsift", "--format", "prometheus", "a.log"]);
        assert_eq!(prometheus.format, ReportFormat::Prometheus);
        assert!(!prometheus.color);
        assert!(!prometheus.tally.incident_review);
        assert!(
            task(&["mailsift", "--format", "json", "a.log"])
                .tally
                .incident_review
        );
        let error = resolve_args(
            &[
                "mailsift",
                "--format",
                "prometheus",
                "--by",
                "domain",
                "a.log",
            ],
            &env(),
        )
        .unwrap_err();
        assert!(error.0.contains("--by"), "{error}");
    }

    #[test]
    fn bad_values_name_their_flag() {
        let error = resolve_args(&["mailsift", "--only", "6xx", "a.log"], &env()).unwrap_err();
        assert!(error.0.starts_with("--only:"), "{error}");
        let error = resolve_args(&["mailsift", "--since", "soon", "a.log"], &env()).unwrap_err();
        assert!(error.0.starts_with("--since:"), "{error}");
        let error = resolve_args(
            &[
                "mailsift",
                "--since",
                "2026-11-22",
                "--until",
                "2026-11-21",
                "a.log",
            ],
            &env(),
        )
        .unwrap_err();
        assert!(error.0.contains("earlier"), "{error}");
        assert!(resolve_args(&["mailsift", "-", "-"], &env()).is_err());
        assert!(resolve_args(&["mailsift", "explain", "6.1.1"], &env()).is_err());
    }
}
