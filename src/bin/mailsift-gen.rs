//! `mailsift-gen`: writes a deterministic, realistic Postfix or Exim log for samples, tests and
//! benchmarks.
//!
//! A thin wrapper over [`mailsift::generate`]: it turns flags into [`GenOptions`] and picks the
//! output. The same flags always give the same bytes.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use chrono::{NaiveDate, NaiveDateTime};
use clap::{Parser, ValueEnum};
use mailsift::generate::{GenFormat, GenOptions, GenSpike, generate};

/// Writes a deterministic, realistic mail log: the same flags always give the same bytes.
#[derive(Parser, Debug)]
#[command(name = "mailsift-gen", version)]
struct Args {
    /// Which MTA's log to write.
    #[arg(long, value_enum, default_value_t = Format::Postfix)]
    format: Format,

    /// The seed of the pseudo-random generator.
    #[arg(long, default_value_t = 1)]
    seed: u64,

    /// Approximate number of lines (the last messages are finished, so a few more may follow).
    #[arg(long, default_value_t = 4000, conflicts_with = "size")]
    lines: u64,

    /// Approximate output size instead of a line count, e.g. 500K, 64M, 1G (powers of 1024).
    #[arg(long, value_parser = parse_size)]
    size: Option<u64>,

    /// Time of the first line, in the log's local time: 2026-11-21T06:00:00 or 2026-11-21.
    #[arg(long, value_parser = parse_start, default_value = "2026-11-21T06:00:00")]
    start: NaiveDateTime,

    /// How much log time the output covers, in hours.
    #[arg(long, default_value_t = 24)]
    span_hours: u64,

    /// Postfix: write RFC 3339 times (2026-11-21T08:00:04.123456+01:00) instead of
    /// traditional syslog times without a year.
    #[arg(long)]
    rfc3339: bool,

    /// The syslog host name on Postfix lines.
    #[arg(long, default_value = "mx1")]
    host: String,

    /// UTC offset in minutes for RFC 3339 times and Exim's +hhmm.
    #[arg(long, default_value_t = 60, allow_negative_numbers = true)]
    utc_offset: i32,

    /// Write here instead of standard output.
    #[arg(short, long)]
    output: Option<PathBuf>,

    /// Print lines, bytes and throughput to standard error when done.
    #[arg(long)]
    stats: bool,

    /// Postfix only: defer every first attempt towards DOMAIN from START (hours after the
    /// start of the log) for MINUTES, as a provider rate-limiting the server would:
    /// `gmail.com@6:90`.
    #[arg(long, value_name = "DOMAIN@START:MINUTES", value_parser = parse_spike)]
    spike: Option<GenSpike>,
}

fn parse_spike(text: &str) -> std::result::Result<GenSpike, String> {
    let usage = || format!("'{text}' is not DOMAIN@START_HOURS:MINUTES, such as gmail.com@6:90");
    let (domain, when) = text.rsplit_once('@').ok_or_else(usage)?;
    let (start, minutes) = when.split_once(':').ok_or_else(usage)?;
    let start: f64 = start.parse().map_err(|_| usage())?;
    let minutes: u64 = minutes.parse().map_err(|_| usage())?;
    if domain.is_empty() || !(0.0..1e6).contains(&start) || minutes == 0 {
        return Err(usage());
    }
    Ok(GenSpike {
        domain: domain.to_string(),
        start_secs: (start * 3600.0) as u64,
        minutes,
    })
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Format {
    Postfix,
    Exim,
}

fn parse_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (digits, unit) = text.split_at(split);
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("'{text}' is not a size such as 500K, 64M or 1G"))?;
    let shift = match unit.to_ascii_uppercase().trim_end_matches(['B', 'I']) {
        "" => 0,
        "K" => 10,
        "M" => 20,
        "G" => 30,
        "T" => 40,
        _ => return Err(format!("unknown size unit in '{text}' (use K, M, G or T)")),
    };
    n.checked_mul(1 << shift)
        .ok_or_else(|| format!("'{text}' is too large"))
}

fn parse_start(text: &str) -> Result<NaiveDateTime, String> {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S")
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S"))
        .or_else(|_| {
            NaiveDate::parse_from_str(text, "%Y-%m-%d").map(|d| d.and_time(Default::default()))
        })
        .map_err(|_| format!("'{text}' is not a time such as 2026-11-21T06:00:00"))
}

fn run(args: Args) -> Result<()> {
    if args.span_hours == 0 {
        bail!("--span-hours must be at least 1");
    }
    let format = match args.format {
        Format::Postfix => GenFormat::Postfix,
        Format::Exim => GenFormat::Exim,
    };
    let mut opts = GenOptions::new(format, args.seed, args.start);
    opts.lines = args.lines;
    opts.bytes = args.size;
    opts.span_secs = args.span_hours * 3600;
    opts.host = args.host;
    opts.year_less = !args.rfc3339;
    opts.utc_offset_minutes = args.utc_offset;
    opts.spike = args.spike;

    let began = Instant::now();
    let stats = match &args.output {
        Some(path) => {
            let file =
                File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
            let mut out = BufWriter::with_capacity(1 << 20, file);
            generate(&opts, &mut out).with_context(|| format!("writing {}", path.display()))?
        }
        None => {
            let stdout = io::stdout();
            let mut out = stdout.lock();
            generate(&opts, &mut out).context("writing standard output")?
        }
    };
    if args.stats {
        let secs = began.elapsed().as_secs_f64();
        let mut err = io::stderr().lock();
        writeln!(
            err,
            "{} lines, {} bytes, {} outcome lines, {:.2} s, {:.0} MB/s",
            stats.lines,
            stats.bytes,
            stats.outcome_lines,
            secs,
            stats.bytes as f64 / secs.max(1e-9) / 1e6
        )?;
    }
    Ok(())
}

fn main() -> ExitCode {
    match run(Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // A closed pipe (`mailsift-gen | head`) is not an error.
            if err
                .chain()
                .filter_map(|e| e.downcast_ref::<io::Error>())
                .any(|e| e.kind() == io::ErrorKind::BrokenPipe)
            {
                return ExitCode::SUCCESS;
            }
            eprintln!("mailsift-gen: {err:#}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn command_is_well_formed() {
        Args::command().debug_assert();
    }

    #[test]
    fn sizes_and_starts_parse() {
        assert_eq!(parse_size("1G"), Ok(1 << 30));
        assert_eq!(parse_size("500k"), Ok(500 << 10));
        assert_eq!(parse_size("64MiB"), Ok(64 << 20));
        assert_eq!(parse_size("123"), Ok(123));
        assert!(parse_size("1Q").is_err());
        assert!(parse_size("G").is_err());
        assert_eq!(
            parse_start("2026-12-31").unwrap().to_string(),
            "2026-12-31 00:00:00"
        );
        assert!(parse_start("2026-12-31T23:00:00").is_ok());
        assert!(parse_start("yesterday").is_err());
    }
}
