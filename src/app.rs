//! Running a decided [`Task`]: scanning, rendering, and choosing the exit status. Problems with
//! one input are reported on standard error as they happen and the run goes on; the exit
//! status remembers them.

use std::io::{self, IsTerminal, Write};

use crate::aggregate::{Tally, TallyCollector};
use crate::cli::Cli;
use crate::config::{
    self, Environment, EventsTask, ManpageTask, MergeTask, ReportFormat, ReportTask, Task,
    TraceTask,
};
use crate::detect;
use crate::manual;
use crate::merge;
use crate::output::Output;
use crate::pipeline::{self, Collector, News, ScanSettings, Source};
use crate::progress::Progress;
use crate::render::events::{self, EventRows, EventsFormat};
use crate::render::safe::visible;
use crate::render::{explain, html, prometheus, summary, text, trace as render_trace};
use crate::report::{InputSummary, Report};
use crate::time::Timestamp;
use crate::trace;

/// How a run ended, as the process exit status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Everything was read and written.
    Done,
    /// At least one input could not be read (or not to its end); the rest was processed.
    InputProblem,
    /// A `--fail-on` condition held.
    ThresholdMet,
}

impl Outcome {
    /// The exit status of the contract.
    pub fn exit_code(self) -> u8 {
        match self {
            Outcome::Done => 0,
            Outcome::InputProblem => 1,
            Outcome::ThresholdMet => 3,
        }
    }
}

/// Reads the surroundings of this process.
pub fn environment() -> Environment {
    Environment {
        stdin_is_terminal: io::stdin().is_terminal(),
        stdout_is_terminal: io::stdout().is_terminal(),
        stderr_is_terminal: io::stderr().is_terminal(),
        no_color: std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
        now: detect::now_local(),
        cores: std::thread::available_parallelism().map_or(1, usize::from),
    }
}

/// Runs the command line. A [`config::UsageError`] in the error chain means exit status 2.
pub fn run(cli: Cli, env: &Environment) -> anyhow::Result<Outcome> {
    match config::resolve(cli, env)? {
        Task::Report(task) => to_output(task.output.as_deref(), |out| write_report(&task, out)),
        Task::Events(task) => to_output(task.output.as_deref(), |out| write_events(&task, out)),
        Task::Trace(task) => to_output(task.output.as_deref(), |out| write_trace(&task, out)),
        Task::Merge(task) => to_output(task.output.as_deref(), |out| write_merge(&task, out)),
        Task::Explain(task) => to_output(None, |out| {
            explain::write_explain(out, &task.queries, task.format, task.lang)?;
            Ok(Outcome::Done)
        }),
        Task::Codes(task) => to_output(task.output.as_deref(), |out| {
            explain::write_codes(out, task.format, task.lang)?;
            Ok(Outcome::Done)
        }),
        Task::Manpage(ManpageTask::One(command)) => to_output(None, |out| {
            manual::write_page(out, command.as_deref())?;
            Ok(Outcome::Done)
        }),
        Task::Manpage(ManpageTask::All(dir)) => {
            manual::write_pages(&dir)?;
            Ok(Outcome::Done)
        }
        Task::Completions(shell) => to_output(None, |out| {
            manual::write_completions(out, shell)?;
            Ok(Outcome::Done)
        }),
    }
}

/// Opens the output (standard output when `path` is `None`) before anything is read, so that a
/// bad `-o` path fails before a long scan; runs `write` on it and finishes it.
fn to_output(
    path: Option<&std::path::Path>,
    write: impl FnOnce(&mut dyn Write) -> anyhow::Result<Outcome>,
) -> anyhow::Result<Outcome> {
    let mut out = Output::open(path)?;
    let outcome = write(&mut out)?;
    out.finish()?;
    Ok(outcome)
}

/// Tells the user about an input that failed, at once, on standard error.
fn warn(progress: &Progress, error: &impl std::fmt::Display) {
    // A file name is text too: one named with terminal escapes must not drive the terminal.
    progress.println(&format!("mailsift: {}", visible(&error.to_string())));
}

struct EventsCollector {
    format: EventsFormat,
}

impl Collector for EventsCollector {
    type Part = (EventRows, Option<io::Error>);

    fn part(&self) -> Self::Part {
        (EventRows::new(self.format), None)
    }

    fn event(
        &self,
        part: &mut Self::Part,
        source: &Source,
        line: u64,
        _: &str,
        event: &crate::event::Event,
    ) {
        if part.1.is_none()
            && let Err(error) = part.0.push(&source.name, line, event)
        {
            part.1 = Some(error);
        }
    }
}

/// Scans with a progress bar on standard error when `show` is set; `deliver` gets the bar so
/// that messages can be printed above it.
fn scan_with_progress<C, D>(
    settings: &ScanSettings,
    show: bool,
    collector: &C,
    mut deliver: D,
) -> io::Result<()>
where
    C: Collector,
    D: FnMut(News<C::Part>, &Progress) -> io::Result<()>,
{
    let progress = Progress::start(&settings.inputs, show);
    if settings.exim_side_lines.len() >= pipeline::SIDE_LINES_CAP {
        warn(
            &progress,
            &format!(
                "Exim's reject and panic logs hold {} lines or more to match: a main log's \
                 copies of any later ones are counted twice",
                pipeline::SIDE_LINES_CAP
            ),
        );
    }
    let mut settings = settings.clone();
    settings.progress = progress.counter();
    let result = pipeline::scan(&settings, collector, |news| {
        progress.tick();
        deliver(news, &progress)
    });
    progress.finish();
    result
}

/// Scans and writes the rows of `events` to `out`, which the caller finishes.
pub fn write_events(task: &EventsTask, mut out: &mut dyn Write) -> anyhow::Result<Outcome> {
    let (scan, _) = pipeline::in_reading_order(&task.scan);
    events::write_header(&mut out, task.format)?;
    let mut outcome = Outcome::Done;
    let collector = EventsCollector {
        format: task.format,
    };
    scan_with_progress(&scan, task.progress, &collector, |news, progress| {
        match news {
            News::Chunk {
                part: (rows, error),
                ..
            } => {
                if let Some(error) = error {
                    return Err(error);
                }
                rows.write_to(&mut out)?;
            }
            News::Failed(error) => {
                warn(progress, &error);
                outcome = Outcome::InputProblem;
            }
            News::Opened(_) | News::OverLong { .. } => {}
        }
        Ok(())
    })?;
    Ok(outcome)
}

/// Scans and writes the trace to `out`, which the caller finishes.
pub fn write_trace(task: &TraceTask, mut out: &mut dyn Write) -> anyhow::Result<Outcome> {
    let (scan, _) = pipeline::in_reading_order(&task.scan);
    let mut outcome = Outcome::Done;
    let finder = trace::FindMessages {
        target: &task.target,
    };
    let mut found = Vec::new();
    scan_with_progress(&scan, task.progress, &finder, |news, progress| {
        match news {
            News::Chunk { part, .. } => found.push(part),
            News::Failed(error) => {
                warn(progress, &error);
                outcome = Outcome::InputProblem;
            }
            News::Opened(_) | News::OverLong { .. } => {}
        }
        Ok(())
    })?;
    let messages = trace::messages_to_trace(&task.target, found);
    let collector = trace::CollectLines {
        target: &task.target,
        messages: &messages,
    };
    let mut lines = Vec::new();
    // A damaged input was reported by the first pass.
    scan_with_progress(&scan, task.progress, &collector, |news, _| {
        if let News::Chunk { part, .. } = news {
            let room = trace::LINE_CAP.saturating_sub(lines.len());
            lines.extend(part.into_iter().take(room));
        }
        Ok(())
    })?;
    let lines = trace::in_time_order(lines);
    render_trace::write_trace(&mut out, &task.target, &messages, &lines)?;
    Ok(outcome)
}

/// Scans and writes the report to `out`, which the caller finishes.
pub fn write_report(task: &ReportTask, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    let (scan, starts) = pipeline::in_reading_order(&task.scan);
    let mut outcome = Outcome::Done;
    let mut tally = Tally::default();
    let mut inputs: Vec<InputSummary> = Vec::new();
    // The times of each input's first and last dated lines.
    let mut input_ends: Vec<(Option<Timestamp>, Option<Timestamp>)> =
        vec![(None, None); scan.inputs.len()];
    let collector = TallyCollector {
        options: task.tally,
    };
    scan_with_progress(&scan, task.progress, &collector, |news, progress| {
        match news {
            News::Opened(source) => inputs.push(InputSummary {
                name: source.name.clone(),
                format: detect::describe(source.context.format, source.exim_log),
                compression: source.compression.label(),
                complete: true,
                start: starts.get(source.index).copied().flatten(),
            }),
            News::Chunk {
                source,
                counts,
                span,
                mut part,
            } => {
                part.lines = counts;
                if let Some((first, last)) = span {
                    // Chunks of a source come in order: its first dated line is in the
                    // first chunk that has one, its last in the last.
                    let ends = &mut input_ends[source.index];
                    ends.0.get_or_insert(first);
                    ends.1 = Some(last);
                }
                tally.merge(part, &task.tally);
            }
            News::OverLong { .. } => {
                tally.lines.over_long += 1;
                tally.lines.read += 1;
            }
            News::Failed(error) => {
                warn(progress, &error);
                outcome = Outcome::InputProblem;
                match inputs.last_mut() {
                    Some(last) if last.name == error.name && error.line.is_some() => {
                        last.complete = false
                    }
                    _ => inputs.push(InputSummary {
                        name: error.name.clone(),
                        format: "",
                        compression: "",
                        complete: false,
                        start: None,
                    }),
                }
            }
        }
        Ok(())
    })?;
    for (first, last) in input_ends {
        if let (Some(first), Some(last)) = (first, last) {
            tally.read_between(first, last);
        }
    }
    let report = Report::new(inputs, tally, &task.settings);
    let text_options = text::TextOptions {
        color: task.color,
        unmatched: task.tally.keep_unmatched,
        lang: task.lang,
    };
    render_report(out, &report, task.format, text_options)?;
    // An unreadable input is the more urgent news for a cron job.
    if outcome == Outcome::Done && report.threshold_met() {
        outcome = Outcome::ThresholdMet;
    }
    Ok(outcome)
}

fn render_report(
    mut out: &mut dyn Write,
    report: &Report,
    format: ReportFormat,
    text_options: text::TextOptions,
) -> io::Result<()> {
    let lang = text_options.lang;
    match format {
        ReportFormat::Text => text::write_report(&mut out, report, text_options),
        ReportFormat::Csv => summary::write_csv(&mut out, report),
        ReportFormat::Json => summary::write_json(&mut out, report),
        ReportFormat::Markdown => summary::write_markdown(&mut out, report, lang),
        ReportFormat::Html => html::write_html(&mut out, report, lang),
        ReportFormat::Prometheus => prometheus::write_prometheus(&mut out, report),
    }
}

/// Reads the summaries and writes their merged report to `out`, which the caller finishes. A
/// summary that cannot be read or was written by another schema is reported and left out.
pub fn write_merge(task: &MergeTask, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    let mut outcome = Outcome::Done;
    let report = merge::merge_summaries(&task.summaries, task.examples, &task.settings, |error| {
        eprintln!("mailsift: {}", visible(&error.to_string()));
        outcome = Outcome::InputProblem;
    });
    let text_options = text::TextOptions {
        color: task.color,
        unmatched: false,
        lang: task.lang,
    };
    render_report(out, &report, task.format, text_options)?;
    if outcome == Outcome::Done && report.threshold_met() {
        outcome = Outcome::ThresholdMet;
    }
    Ok(outcome)
}
