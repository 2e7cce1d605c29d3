//! The command line as the user types it: commands, flags, defaults and every help string.
//!
//! Nothing here reads files or checks how flags combine; [`crate::config`] turns these values
//! into the settings the rest of the program reads.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use clap_complete::Shell;

const EXAMPLES: &str = "\
Examples:
  mailsift /var/log/mail.log*                  report on a rotated set, gzip included
  mailsift report --since yesterday --until today /var/log/mail.log*
  mailsift events --only 5xx,4.7.* -o bounces.csv /var/log/mail.log
  journalctl -u postfix -o short-iso | mailsift report
  mailsift merge --format html -o fleet.html mx1.json mx2.json
  mailsift explain 421
  mailsift explain \"550 5.1.1\"                 one reply: the code and its enhanced code
  mailsift explain 421 450                     two codes side by side";

/// Scan Postfix and Exim mail logs for SMTP reply codes and enhanced status codes, and explain
/// what each one means and how to fix it.
#[derive(Debug, Parser)]
#[command(
    name = "mailsift",
    version = env!("MAILSIFT_VERSION"),
    args_conflicts_with_subcommands = true,
    after_help = EXAMPLES,
    max_term_width = 100
)]
pub struct Cli {
    /// What to do; without a command, `report`.
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Report options, when no command is given.
    #[command(flatten)]
    pub report: ReportArgs,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan logs and report every reply code with what it means and how to fix it (the
    /// default command).
    Report(ReportArgs),
    /// Write one row per SMTP outcome found in the logs, as CSV or NDJSON.
    Events(EventsArgs),
    /// Explain one code, or compare two: `421`, `5.7.1`, or `"550 5.1.1"`.
    Explain(ExplainArgs),
    /// List every code and reply-text pattern mailsift knows.
    Codes(CodesArgs),
    /// Merge JSON summaries written by `report --format json` (one per host, or per day) into
    /// one report, as if their logs had been read in one run.
    Merge(MergeArgs),
    /// Every line of one message's life in time order, each reply explained: by Postfix queue
    /// id, Exim message id, or envelope address. Bounce notices made from it are followed.
    Trace(TraceArgs),
    /// Write the manual page, as roff, to standard output (or every page into a directory).
    Manpage(ManpageArgs),
    /// Write the completion script for a shell to standard output.
    Completions(CompletionsArgs),
}

/// `mailsift manpage`.
#[derive(Debug, Args)]
pub struct ManpageArgs {
    /// Write the page of this command (mailsift-report(1), ...) instead of mailsift(1).
    #[arg(value_name = "COMMAND", conflicts_with = "dir")]
    pub command: Option<String>,

    /// Write mailsift.1 and one page per command (mailsift-report.1, ...) into this
    /// directory, which must exist.
    #[arg(long, value_name = "DIR", value_hint = clap::ValueHint::DirPath)]
    pub dir: Option<PathBuf>,
}

/// `mailsift completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to write completions for.
    #[arg(value_name = "SHELL", value_enum)]
    pub shell: Shell,
}

/// `mailsift trace`.
// Trace shares the scan options but keeps every line of the messages it follows, so the event
// filters do not apply and stay out of its help.
#[derive(Debug, Args)]
#[command(
    mut_arg("since", |a| a.hide(true)),
    mut_arg("until", |a| a.hide(true)),
    mut_arg("only", |a| a.hide(true)),
    mut_arg("direction", |a| a.hide(true)),
    mut_arg("files", |a| a.help("Log files to read; gzip, zstd, bzip2 and xz are read as they \
        are. Files only: they are read twice, so standard input cannot be traced."))
)]
pub struct TraceArgs {
    /// A Postfix queue id (2B3C4D5E6F), an Exim message id (1vWxYz-000AbC-12) or an address.
    #[arg(value_name = "ID|ADDRESS")]
    pub target: String,

    /// Inputs (read twice, so files only, not standard input).
    #[command(flatten)]
    pub scan: ScanArgs,
}

/// Which inputs to read and which events to keep: shared by `report` and `events`.
#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Log files to read; `-` is standard input. gzip, zstd, bzip2 and xz are read as they
    /// are, whatever the file name. With no FILE, standard input is read when it is not a
    /// terminal.
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// Which MTA wrote the logs; `auto` decides for each input from its first lines.
    #[arg(long, value_enum, default_value_t = LogFormatArg::Auto, value_name = "FORMAT")]
    pub log_format: LogFormatArg,

    /// The year of timestamps written without one (traditional syslog). Default: from each
    /// file's modification time (standard input: this year), stepping back a year for lines
    /// that would otherwise lie after the file was written.
    #[arg(long, value_name = "YEAR", allow_negative_numbers = true,
          value_parser = clap::value_parser!(i32).range(1970..=9999))]
    pub year: Option<i32>,

    /// Keep events at or after this time: 2026-11-21, 2026-11-21T08:00, RFC 3339, today,
    /// yesterday, or relative -30m, -2h, -7d.
    #[arg(long, value_name = "TIME", allow_hyphen_values = true)]
    pub since: Option<String>,

    /// Keep events before this time (same forms as --since; a date alone means its midnight).
    #[arg(long, value_name = "TIME", allow_hyphen_values = true)]
    pub until: Option<String>,

    /// Keep events matching any of these, comma-separated: a class (2xx 3xx 4xx 5xx), a
    /// permanence (success intermediate transient permanent), a reply code (421) or an enhanced
    /// code (5.7.1, 5.7.*). Repeatable.
    #[arg(long, value_name = "LIST")]
    pub only: Vec<String>,

    /// Keep outbound events (our server delivering), inbound ones (our server answering
    /// clients), or all.
    #[arg(long, value_enum, default_value_t = DirectionArg::All, value_name = "WHICH")]
    pub direction: DirectionArg,

    /// Worker threads for parsing (default: one per core).
    #[arg(long, short = 'j', value_name = "N", allow_negative_numbers = true,
          value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub threads: Option<u16>,

    /// Write to this file instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// A progress bar on standard error: `auto` shows it only when standard error is a
    /// terminal.
    #[arg(long, value_enum, default_value_t = WhenArg::Auto, value_name = "WHEN")]
    pub progress: WhenArg,

    /// Bytes per parsing chunk; for testing that results do not depend on it.
    // Each reader holds a few chunks at once, so the size is capped to keep memory bounded.
    #[arg(long, hide = true, value_name = "BYTES",
          value_parser = clap::value_parser!(u64).range(1..=64 << 20))]
    pub chunk_size: Option<u64>,
}

/// `mailsift report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Inputs and filters.
    #[command(flatten)]
    pub scan: ScanArgs,

    /// What the report shows and how.
    #[command(flatten)]
    pub shown: ReportShape,

    /// With --format csv, group by this key as well as by code (and put it first).
    #[arg(long, value_enum, value_name = "KEY")]
    pub by: Option<ByArg>,

    /// List the lines that looked like mail log lines but could not be read (up to 1000).
    #[arg(long)]
    pub unmatched: bool,
}

/// `mailsift merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Summaries written by `mailsift report --format json`, compressed or not; `-` is
    /// standard input. --by is not available: summaries hold no groups. A summary holds only
    /// the example lines it was written with.
    #[arg(value_name = "SUMMARY.json", required = true)]
    pub summaries: Vec<PathBuf>,

    /// What the report shows and how.
    #[command(flatten)]
    pub shown: ReportShape,

    /// Write to this file instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// The options of the report itself, shared by `report` and `merge`.
#[derive(Debug, Args)]
pub struct ReportShape {
    /// Output format: text for reading, csv for cron jobs and spreadsheets, json for scripts,
    /// markdown for incident documents, html for a page to open in a browser, prometheus for
    /// node_exporter's textfile collector.
    #[arg(long, value_enum, default_value_t = ReportFormatArg::Text, value_name = "FORMAT")]
    pub format: ReportFormatArg,

    /// How many destinations or clients to list for each code (1 to 1000).
    #[arg(long, default_value_t = 10, value_name = "N", allow_negative_numbers = true,
          value_parser = clap::value_parser!(u16).range(1..=1000))]
    pub top: u16,

    /// How many example lines (file:line) to show for each code (0 to 100).
    // Examples are held in memory for every code and --by group, so the count is capped.
    #[arg(long, default_value_t = 2, value_name = "N", allow_negative_numbers = true,
          value_parser = clap::value_parser!(u16).range(0..=100))]
    pub examples: u16,

    /// Exit with status 3 when a condition holds (the report is still written):
    /// permanent>100, 5xx>2%, 421>=1, 4.7.*>50, transient>=10%. Repeatable.
    #[arg(long, value_name = "COND")]
    pub fail_on: Vec<String>,

    /// Replace the local part of every address with a short stable hash; domains stay.
    #[arg(long)]
    pub redact: bool,

    /// Language of the headings and labels of the text, Markdown and HTML reports.
    #[arg(long, value_enum, default_value_t = LangArg::En, value_name = "LANG")]
    pub lang: LangArg,

    /// Colour in the text report: `auto` colours only a terminal, and not when NO_COLOR is set;
    /// `always` colours even then.
    #[arg(long, value_enum, default_value_t = WhenArg::Auto, value_name = "WHEN")]
    pub color: WhenArg,
}

/// `report --format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ReportFormatArg {
    /// Aligned text for a terminal or a pasted review.
    Text,
    /// One row per code (or per key and code with --by).
    Csv,
    /// The whole summary, with a schema_version.
    Json,
    /// Headings and tables for incident documents.
    Markdown,
    /// One self-contained page (no script, no network) with a timeline chart.
    Html,
    /// Prometheus text exposition (gauges) for node_exporter's textfile collector.
    Prometheus,
}

/// `report --by`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ByArg {
    /// The recipient's domain (outbound).
    Domain,
    /// The remote server delivered to (outbound).
    Relay,
    /// The client answered (inbound).
    Client,
    /// The knowledge-base reason.
    Reason,
    /// The hour, in the log's local time.
    Hour,
    /// The day, in the log's local time.
    Day,
}

/// `mailsift events`.
#[derive(Debug, Args)]
pub struct EventsArgs {
    /// Inputs and filters.
    #[command(flatten)]
    pub scan: ScanArgs,

    /// Output format.
    #[arg(long, value_enum, default_value_t = EventsFormatArg::Csv, value_name = "FORMAT")]
    pub format: EventsFormatArg,
}

/// `mailsift explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// One code, or two to compare: a reply code (421), an enhanced status code (5.7.1), or
    /// both in quotes ("550 5.1.1").
    #[arg(value_name = "CODE", required = true, num_args = 1..=2)]
    pub codes: Vec<String>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = ExplainFormatArg::Text, value_name = "FORMAT")]
    pub format: ExplainFormatArg,

    /// Language of labels and headings.
    #[arg(long, value_enum, default_value_t = LangArg::En, value_name = "LANG")]
    pub lang: LangArg,
}

/// `mailsift codes`.
#[derive(Debug, Args)]
pub struct CodesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = CodesFormatArg::Text, value_name = "FORMAT")]
    pub format: CodesFormatArg,

    /// Language of labels and headings.
    #[arg(long, value_enum, default_value_t = LangArg::En, value_name = "LANG")]
    pub lang: LangArg,

    /// Write to this file instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// `--log-format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LogFormatArg {
    /// Decide for each input from its first lines.
    Auto,
    /// Postfix through syslog or journald.
    Postfix,
    /// Exim's own log files, or Exim through syslog.
    Exim,
}

/// `--direction`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DirectionArg {
    /// Our server delivering to others.
    Outbound,
    /// Our server answering clients.
    Inbound,
    /// Both.
    All,
}

/// `--color` and `--progress`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum WhenArg {
    /// Only on a terminal (colour also not when NO_COLOR is set).
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// `events --format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum EventsFormatArg {
    /// Comma-separated values with a header row.
    Csv,
    /// One JSON object per line.
    Ndjson,
}

/// `explain --format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExplainFormatArg {
    /// Plain text.
    Text,
    /// JSON.
    Json,
    /// Markdown.
    Markdown,
}

/// `codes --format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CodesFormatArg {
    /// Aligned text tables.
    Text,
    /// CSV with a header row.
    Csv,
    /// JSON.
    Json,
    /// Markdown tables.
    Markdown,
}

/// `--lang`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    /// English.
    En,
    /// French.
    Fr,
    /// Vietnamese.
    Vi,
    /// Chinese.
    Zh,
    /// Russian.
    Ru,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn command_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn files_without_a_command_mean_report() {
        let cli = Cli::try_parse_from(["mailsift", "--since", "-2h", "a.log", "b.log.gz"]).unwrap();
        assert!(cli.command.is_none());
        assert_eq!(cli.report.scan.files.len(), 2);
        assert_eq!(cli.report.scan.since.as_deref(), Some("-2h"));
    }

    #[test]
    fn events_takes_format_and_filters() {
        let cli = Cli::try_parse_from([
            "mailsift", "events", "--format", "ndjson", "--only", "5xx", "--only", "421", "-",
        ])
        .unwrap();
        match cli.command {
            Some(Command::Events(args)) => {
                assert_eq!(args.format, EventsFormatArg::Ndjson);
                assert_eq!(args.scan.only, ["5xx", "421"]);
                assert_eq!(args.scan.files, [PathBuf::from("-")]);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn explain_takes_one_or_two_codes() {
        assert!(Cli::try_parse_from(["mailsift", "explain"]).is_err());
        assert!(Cli::try_parse_from(["mailsift", "explain", "421", "450", "550"]).is_err());
        assert!(Cli::try_parse_from(["mailsift", "explain", "214", "421", "--lang", "fr"]).is_ok());
    }
}
