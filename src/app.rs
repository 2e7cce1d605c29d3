//! Running a decided [`Task`]: scanning, rendering, and choosing the exit status. Problems with
//! one input are reported on standard error as they happen and the run goes on; the exit
//! status remembers them.

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::aggregate::{Tally, TallyCollector};
use crate::cli::Cli;
use crate::config::{
    self, Environment, EventsTask, ManpageTask, ReportFormat, ReportTask, Task, TraceTask,
};
use crate::detect;
use crate::manual;
use crate::pipeline::{self, Collector, News, ScanSettings, Source};
use crate::progress::Progress;
use crate::render::events::{self, EventRows, EventsFormat};
use crate::render::{explain, html, summary, text, trace as render_trace};
use crate::report::{InputSummary, Report};
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
        Task::Report(task) => run_report(&task),
        Task::Events(task) => run_events(&task),
        Task::Trace(task) => run_trace(&task),
        Task::Explain(task) => {
            let mut out = open_output(None)?;
            explain::write_explain(&mut out, &task.queries, task.format, task.lang)?;
            out.finish()?;
            Ok(Outcome::Done)
        }
        Task::Codes(task) => {
            let mut out = open_output(task.output.as_deref())?;
            explain::write_codes(&mut out, task.format, task.lang)?;
            out.finish()?;
            Ok(Outcome::Done)
        }
        Task::Manpage(ManpageTask::One(command)) => {
            let mut out = open_output(None)?;
            manual::write_page(&mut out, command.as_deref())?;
            out.finish()?;
            Ok(Outcome::Done)
        }
        Task::Manpage(ManpageTask::All(dir)) => {
            manual::write_pages(&dir)?;
            Ok(Outcome::Done)
        }
        Task::Completions(shell) => {
            let mut out = open_output(None)?;
            manual::write_completions(&mut out, shell)?;
            out.finish()?;
            Ok(Outcome::Done)
        }
    }
}

/// Where output goes. A file is written under a temporary name beside it and renamed into
/// place only once complete, so a full disk or an interrupted run never leaves a file that
/// looks finished.
enum Output {
    Stdout(BufWriter<io::StdoutLock<'static>>),
    File {
        writer: BufWriter<File>,
        temporary: PathBuf,
        target: PathBuf,
    },
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Output::Stdout(w) => w.write(buf),
            Output::File { writer, .. } => writer.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match self {
            Output::Stdout(w) => w.write_all(buf),
            Output::File { writer, .. } => writer.write_all(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Output::Stdout(w) => w.flush(),
            Output::File { writer, .. } => writer.flush(),
        }
    }
}

impl Output {
    /// Flushes, and puts a file in place.
    fn finish(mut self) -> anyhow::Result<()> {
        self.flush()?;
        if let Output::File {
            writer,
            temporary,
            target,
        } = &self
        {
            let done = writer
                .get_ref()
                .sync_all()
                .and_then(|()| std::fs::rename(temporary, target));
            if let Err(error) = done {
                return Err(anyhow::Error::new(error).context(format!(
                    "{}: cannot write the output file",
                    target.display()
                )));
            }
        }
        Ok(())
    }
}

impl Drop for Output {
    fn drop(&mut self) {
        // After `finish` the temporary name is gone; before it, this is an error path and
        // nothing half-written may stay behind.
        if let Output::File { temporary, .. } = self {
            let _ = std::fs::remove_file(temporary);
        }
    }
}

fn open_output(path: Option<&Path>) -> anyhow::Result<Output> {
    let Some(target) = path else {
        return Ok(Output::Stdout(BufWriter::with_capacity(
            256 * 1024,
            io::stdout().lock(),
        )));
    };
    let file_name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".to_string());
    let temporary = target.with_file_name(format!(".{file_name}.mailsift-{}", std::process::id()));
    let file = File::create(&temporary)
        .with_context(|| format!("{}: cannot create the output file", target.display()))?;
    Ok(Output::File {
        writer: BufWriter::with_capacity(256 * 1024, file),
        temporary,
        target: target.to_path_buf(),
    })
}

/// Tells the user about an input that failed, at once, on standard error.
fn warn(progress: &Progress, error: &impl std::fmt::Display) {
    progress.println(&format!("mailsift: {error}"));
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
    let mut settings = settings.clone();
    settings.inputs = pipeline::oldest_first(&settings);
    settings.progress = progress.counter();
    let result = pipeline::scan(&settings, collector, |news| {
        progress.tick();
        deliver(news, &progress)
    });
    progress.finish();
    result
}

fn run_events(task: &EventsTask) -> anyhow::Result<Outcome> {
    let mut out = open_output(task.output.as_deref())?;
    events::write_header(&mut out, task.format)?;
    let mut outcome = Outcome::Done;
    let collector = EventsCollector {
        format: task.format,
    };
    scan_with_progress(&task.scan, task.progress, &collector, |news, progress| {
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
    out.finish()?;
    Ok(outcome)
}

fn run_trace(task: &TraceTask) -> anyhow::Result<Outcome> {
    let mut out = open_output(task.output.as_deref())?;
    let mut outcome = Outcome::Done;
    let finder = trace::FindMessages {
        target: &task.target,
    };
    let mut found = Vec::new();
    scan_with_progress(&task.scan, task.progress, &finder, |news, progress| {
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
    scan_with_progress(&task.scan, task.progress, &collector, |news, _| {
        if let News::Chunk { part, .. } = news {
            let room = trace::LINE_CAP.saturating_sub(lines.len());
            lines.extend(part.into_iter().take(room));
        }
        Ok(())
    })?;
    let lines = trace::in_time_order(lines);
    render_trace::write_trace(&mut out, &task.target, &messages, &lines)?;
    out.finish()?;
    Ok(outcome)
}

fn run_report(task: &ReportTask) -> anyhow::Result<Outcome> {
    // Open the output first, so that a bad -o path fails before a long scan.
    let mut out = open_output(task.output.as_deref())?;
    let mut outcome = Outcome::Done;
    let mut tally = Tally::default();
    let mut inputs: Vec<InputSummary> = Vec::new();
    let collector = TallyCollector {
        options: task.tally,
    };
    scan_with_progress(&task.scan, task.progress, &collector, |news, progress| {
        match news {
            News::Opened(source) => inputs.push(InputSummary {
                name: source.name.clone(),
                format: detect::describe(source.context.format),
                compression: source.compression.label(),
                complete: true,
            }),
            News::Chunk {
                counts, mut part, ..
            } => {
                part.lines = counts;
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
                    }),
                }
            }
        }
        Ok(())
    })?;
    let report = Report::new(inputs, tally, &task.settings);
    match task.format {
        ReportFormat::Text => text::write_report(
            &mut out,
            &report,
            text::TextOptions {
                color: task.color,
                unmatched: task.tally.keep_unmatched,
                lang: task.lang,
            },
        )?,
        ReportFormat::Csv => summary::write_csv(&mut out, &report)?,
        ReportFormat::Json => summary::write_json(&mut out, &report)?,
        ReportFormat::Markdown => summary::write_markdown(&mut out, &report, task.lang)?,
        ReportFormat::Html => html::write_html(&mut out, &report, task.lang)?,
    }
    out.finish()?;
    // An unreadable input is the more urgent news for a cron job.
    if outcome == Outcome::Done && report.threshold_met() {
        outcome = Outcome::ThresholdMet;
    }
    Ok(outcome)
}
