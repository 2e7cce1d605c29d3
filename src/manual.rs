//! Manual pages and shell completions, made from the command-line definition in [`crate::cli`]
//! so that they list exactly the commands and flags that `--help` does.
//!
//! clap_mangen renders the parts it can read off the definition (name, synopsis, options,
//! commands); the sections a postmaster looks for next (exit status, environment, files,
//! examples) are written here, from the same facts as the README.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use clap::CommandFactory;
use clap_complete::Shell;
use clap_mangen::Man;
use roff::{Roff, bold, italic, roman};

use crate::cli::Cli;

/// The date printed at the foot of every page: the date of the commit the program was built
/// from, so that two builds of one commit give the same pages.
const DATE: &str = env!("MAILSIFT_DATE");

/// The command definition as the pages see it. The `help` command clap adds is left out: each
/// page already describes `--help`.
fn definition() -> clap::Command {
    let mut cmd = Cli::command()
        .disable_help_subcommand(true)
        .subcommand_help_heading("COMMANDS");
    cmd.build();
    cmd
}

/// The names of the commands, in the order of `mailsift --help`.
pub fn command_names() -> Vec<String> {
    definition()
        .get_subcommands()
        .filter(|sub| !sub.is_hide_set())
        .map(|sub| sub.get_name().to_string())
        .collect()
}

/// Writes the completion script for `shell`.
pub fn write_completions(out: &mut dyn Write, shell: Shell) -> io::Result<()> {
    let mut cmd = Cli::command();
    clap_complete::generate(shell, &mut cmd, "mailsift", out);
    out.flush()
}

/// Writes mailsift(1), or with `command` the page of that command (mailsift-report(1), ...).
/// An unknown command is an `InvalidInput` error.
pub fn write_page(out: &mut dyn Write, command: Option<&str>) -> io::Result<()> {
    let cmd = definition();
    let roff = match command {
        None => main_page(&cmd)?,
        Some(name) => {
            let sub = cmd.find_subcommand(name).ok_or_else(|| {
                io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!(
                        "no command {name:?}; the commands are: {}",
                        command_names().join(", ")
                    ),
                )
            })?;
            command_page(sub)?
        }
    };
    out.write_all(roff.as_bytes())?;
    out.flush()
}

/// Writes `mailsift.1` and `mailsift-COMMAND.1` for every command into `dir`, and returns the
/// paths written.
pub fn write_pages(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let cmd = definition();
    let mut pages = vec![(format!("{}.1", cmd.get_name()), main_page(&cmd)?)];
    for sub in cmd.get_subcommands().filter(|sub| !sub.is_hide_set()) {
        pages.push((page_file_name(sub), command_page(sub)?));
    }
    let mut written = Vec::with_capacity(pages.len());
    for (name, roff) in pages {
        let path = dir.join(name);
        std::fs::write(&path, roff).map_err(|e| {
            io::Error::new(e.kind(), format!("cannot write {}: {e}", path.display()))
        })?;
        written.push(path);
    }
    Ok(written)
}

fn page_file_name(sub: &clap::Command) -> String {
    format!("{}.1", sub.get_display_name().unwrap_or(sub.get_name()))
}

/// Sets the header line every page shares, and the synopsis of `--help`: clap_mangen's own
/// lists every flag of `report` one by one, which buries the forms the command takes.
fn man(cmd: &clap::Command) -> Man {
    let title = cmd
        .get_display_name()
        .unwrap_or(cmd.get_name())
        .to_uppercase();
    let usage = cmd.clone().render_usage().to_string();
    let usage = usage
        .strip_prefix("Usage:")
        .unwrap_or(&usage)
        .trim()
        .to_string();
    Man::new(cmd.clone().override_usage(usage))
        .title(title)
        .date(DATE)
        .source(concat!("mailsift ", env!("MAILSIFT_VERSION")))
        .manual("User Commands")
}

fn main_page(cmd: &clap::Command) -> io::Result<String> {
    let man = man(cmd);
    let mut page = Page::default();
    page.clap(|w| man.render_title(w))?;
    page.clap(|w| man.render_name_section(w))?;
    page.clap(|w| man.render_synopsis_section(w))?;
    page.roff(&main_description(cmd));
    page.clap(|w| man.render_options_section(w))?;
    page.clap(|w| man.render_subcommands_section(w))?;
    page.roff(&exit_status(None));
    page.roff(&environment());
    page.roff(&files());
    page.roff(&examples(MAIN_EXAMPLES));
    page.roff(&see_also(cmd, None));
    page.clap(|w| man.render_version_section(w))?;
    Ok(page.text)
}

fn command_page(sub: &clap::Command) -> io::Result<String> {
    let man = man(sub);
    let mut page = Page::default();
    page.clap(|w| man.render_title(w))?;
    page.clap(|w| man.render_name_section(w))?;
    page.clap(|w| man.render_synopsis_section(w))?;
    page.clap(|w| man.render_description_section(w))?;
    if sub.get_arguments().any(|arg| !arg.is_hide_set()) {
        page.clap(|w| man.render_options_section(w))?;
    }
    page.roff(&exit_status(Some(sub.get_name())));
    let examples_of = COMMAND_EXAMPLES
        .iter()
        .find(|(name, _)| *name == sub.get_name())
        .map(|(_, list)| *list);
    if let Some(list) = examples_of {
        page.roff(&examples(list));
    }
    page.roff(&see_also(sub, Some(sub.get_name())));
    Ok(page.text)
}

/// A page put together from several renderings. Each rendering starts with the same preamble
/// (a string that makes apostrophes print as apostrophes); the page keeps only the first.
#[derive(Default)]
struct Page {
    text: String,
}

impl Page {
    fn clap(&mut self, render: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
        let mut buf = Vec::new();
        render(&mut buf)?;
        let rendered = String::from_utf8(buf)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e.to_string()))?;
        self.push(&rendered);
        Ok(())
    }

    fn roff(&mut self, roff: &Roff) {
        self.push(&roff.render());
    }

    fn push(&mut self, rendered: &str) {
        let preamble = Roff::new().render();
        match rendered.strip_prefix(preamble.as_str()) {
            Some(body) if !self.text.is_empty() => self.text.push_str(body),
            _ => self.text.push_str(rendered),
        }
    }
}

fn main_description(cmd: &clap::Command) -> Roff {
    let mut roff = Roff::new();
    roff.control("SH", ["DESCRIPTION"]);
    if let Some(about) = cmd.get_long_about().or_else(|| cmd.get_about()) {
        roff.text([roman(about.to_string())]);
    }
    roff.control("PP", []);
    roff.text([
        bold("mailsift"),
        roman(" with no command runs "),
        bold("mailsift report"),
        roman(
            ": it reads the logs, groups the SMTP outcomes by reply code and enhanced status \
             code, and writes a report with what each failure code means, when it is seen and \
             how to fix it, with example lines as ",
        ),
        italic("file:line"),
        roman(". The options below are those of "),
        bold("report"),
        roman("."),
    ]);
    roff.control("PP", []);
    roff.text([roman(
        "Postfix and Exim logs are recognised from their first lines, whether written by \
         syslog, by journald (journalctl -o short-iso) or by Exim itself. Lines of other \
         programs in the same file are counted and skipped. gzip, zstd, bzip2 and xz files \
         are read as they are, recognised by their first bytes rather than their names, so a \
         rotated set such as /var/log/mail.log* can be given in one go. With no FILE, \
         standard input is read when it is not a terminal.",
    )]);
    roff.control("PP", []);
    roff.text([
        roman("Each command has a page of its own, "),
        bold("mailsift-report"),
        roman("(1) and so on, and "),
        bold("mailsift"),
        roman(" "),
        italic("COMMAND"),
        roman(" "),
        bold("--help"),
        roman(" describes its options."),
    ]);
    roff
}

/// The exit statuses of the contract that `command` can give (`None`: the main page, which
/// lists them all).
fn exit_status(command: Option<&str>) -> Roff {
    let reads_logs = matches!(
        command,
        None | Some("report" | "events" | "trace" | "merge")
    );
    let has_thresholds = matches!(command, None | Some("report" | "merge"));
    let mut statuses = vec![(
        "0",
        "Done. Also when no reply code was found, and when the reader of standard output went \
         away early (mailsift ... | head).",
    )];
    statuses.push(if reads_logs {
        (
            "1",
            "At least one input could not be read, or not to its end. Everything else was \
             processed and the output was written; the failing input is named on standard \
             error.",
        )
    } else {
        ("1", "The output could not be written.")
    });
    statuses.push((
        "2",
        "Usage error: an unknown option, a bad value, or a missing argument.",
    ));
    if has_thresholds {
        statuses.push((
            "3",
            "A --fail-on condition of mailsift report or merge held. The report was still \
             written.",
        ));
    }
    let mut roff = Roff::new();
    roff.control("SH", ["EXIT STATUS"]);
    for (status, meaning) in statuses {
        roff.control("TP", []);
        roff.text([bold(status)]);
        roff.text([roman(meaning)]);
    }
    roff
}

fn environment() -> Roff {
    let mut roff = Roff::new();
    roff.control("SH", ["ENVIRONMENT"]);
    roff.control("TP", []);
    roff.text([bold("NO_COLOR")]);
    roff.text([roman(
        "When set to a non-empty value, the text report is written without colour even on a \
         terminal, unless --color always is given.",
    )]);
    roff.control("TP", []);
    roff.text([bold("TZ")]);
    roff.text([roman(
        "The local time zone. It decides what today, yesterday and relative times such as -2h \
         mean for --since and --until, and in which year a file's modification time falls when \
         timestamps without a year are given one.",
    )]);
    roff
}

fn files() -> Roff {
    let mut roff = Roff::new();
    roff.control("SH", ["FILES"]);
    let paths = [
        (
            "/var/log/mail.log, /var/log/mail.log.1, /var/log/mail.log.*.gz",
            "Where Debian's rsyslog writes Postfix's log, and its rotated, compressed copies.",
        ),
        (
            "/var/log/exim4/mainlog, /var/log/exim4/rejectlog",
            "Where Debian's Exim writes its own logs.",
        ),
        (
            "/usr/share/doc/mailsift/examples/",
            "A cron file and a systemd service and timer that file a daily report and raise an \
             alert when too many deliveries fail.",
        ),
    ];
    for (path, what) in paths {
        roff.control("TP", []);
        roff.text([italic(path)]);
        roff.text([roman(what)]);
    }
    roff
}

type Examples = &'static [(&'static str, &'static str)];

const MAIN_EXAMPLES: Examples = &[
    (
        "mailsift /var/log/mail.log*",
        "Report on a rotated set of Postfix logs, gzipped ones included.",
    ),
    (
        "mailsift report --since yesterday --until today --format csv /var/log/mail.log*",
        "Yesterday's codes as CSV, one row per code, for a spreadsheet or a cron job.",
    ),
    (
        "mailsift report --fail-on '5xx>2%' --fail-on '421>=1' /var/log/mail.log",
        "Exit with status 3 when more than 2% of outcomes were permanent failures or any 421 \
         was seen; the report is written either way.",
    ),
    (
        "journalctl -u postfix -o short-iso | mailsift report",
        "Read the journal on standard input.",
    ),
    (
        "mailsift events --only 5xx,4.7.* -o bounces.csv /var/log/mail.log",
        "One row per permanent failure or policy deferral.",
    ),
    (
        "mailsift trace user@example.org /var/log/mail.log*",
        "Every line of the messages to or from one address, each reply explained.",
    ),
    (
        "mailsift explain 550 5.1.1",
        "What a reply code means and how to fix it.",
    ),
];

const COMMAND_EXAMPLES: &[(&str, Examples)] = &[
    (
        "report",
        &[
            (
                "mailsift report /var/log/mail.log /var/log/mail.log.1",
                "A text report of the last two days.",
            ),
            (
                "mailsift report --format csv --by domain -o by-domain.csv /var/log/mail.log",
                "One row per destination domain and code.",
            ),
            (
                "mailsift report --format html -o report.html /var/log/mail.log*",
                "One self-contained page to open in a browser.",
            ),
            (
                "mailsift report --format json -o summary.json /var/log/mail.log",
                "The whole summary for scripts, with a schema_version.",
            ),
            (
                "mailsift report --since -1h --format prometheus \
                 -o /var/lib/prometheus/node-exporter/mailsift.prom /var/log/mail.log",
                "The last hour as gauges for node_exporter's textfile collector, written whole \
                 under a temporary name and renamed into place.",
            ),
        ],
    ),
    (
        "events",
        &[
            (
                "mailsift events --format ndjson --direction inbound /var/log/mail.log",
                "Every reject our server sent, one JSON object per line.",
            ),
            (
                "mailsift events --since -2h --only 421,4.7.* /var/log/mail.log",
                "Rate limits and policy deferrals of the last two hours, as CSV.",
            ),
        ],
    ),
    (
        "explain",
        &[
            ("mailsift explain 421", "The entry for one reply code."),
            (
                "mailsift explain 5.7.1",
                "The entry for an enhanced status code.",
            ),
            (
                "mailsift explain 450 550",
                "Two codes side by side, with their key differences.",
            ),
        ],
    ),
    (
        "codes",
        &[(
            "mailsift codes --format csv -o codes.csv",
            "The whole knowledge base as a table.",
        )],
    ),
    (
        "merge",
        &[
            (
                "mailsift merge --format html -o fleet.html mx1.json mx2.json mx3.json.gz",
                "One report for three hosts, from the summaries each wrote with \
                 report --format json.",
            ),
            (
                "mailsift merge --format csv --fail-on '5xx>2%' /srv/summaries/*.json",
                "A month of daily summaries as one CSV, failing the job past 2% permanent failures.",
            ),
        ],
    ),
    (
        "trace",
        &[
            (
                "mailsift trace 2B3C4D5E6F /var/log/mail.log /var/log/mail.log.1",
                "One message by its Postfix queue id.",
            ),
            (
                "mailsift trace carol@example.com /var/log/exim4/mainlog",
                "Every message that names an address.",
            ),
        ],
    ),
    (
        "manpage",
        &[
            ("mailsift manpage | man -l -", "Read this manual."),
            (
                "mailsift manpage --dir /usr/local/share/man/man1",
                "Install every page.",
            ),
        ],
    ),
    (
        "completions",
        &[(
            "mailsift completions bash > /etc/bash_completion.d/mailsift",
            "Install completions for bash.",
        )],
    ),
];

fn examples(list: Examples) -> Roff {
    let mut roff = Roff::new();
    roff.control("SH", ["EXAMPLES"]);
    for (command, what) in list {
        roff.control("TP", []);
        roff.text([bold(*command)]);
        roff.text([roman(*what)]);
    }
    roff
}

/// Points from a command's page to the main page and back, and to the MTAs' own manuals.
fn see_also(cmd: &clap::Command, command: Option<&str>) -> Roff {
    let mut refs: Vec<(String, &str)> = match command {
        Some(_) => vec![("mailsift".to_string(), "1")],
        None => cmd
            .get_subcommands()
            .filter(|sub| !sub.is_hide_set())
            .map(|sub| (format!("mailsift-{}", sub.get_name()), "1"))
            .collect(),
    };
    refs.extend(
        [("postfix", "1"), ("exim", "8"), ("journalctl", "1")].map(|(n, s)| (n.to_string(), s)),
    );
    let mut roff = Roff::new();
    roff.control("SH", ["SEE ALSO"]);
    let mut line = Vec::new();
    for (i, (name, section)) in refs.iter().enumerate() {
        if i > 0 {
            line.push(roman(", "));
        }
        line.push(bold(name.as_str()));
        line.push(roman(format!("({section})")));
    }
    roff.text(line);
    roff
}
