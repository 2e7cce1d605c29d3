//! The progress bar on standard error: bytes read of the inputs' total size, and the rate.
//!
//! It is drawn only where someone is watching (`--progress auto` draws on a terminal only), so
//! cron jobs and pipes never see it. Compressed inputs are measured by the compressed bytes
//! read, which is what their file sizes give.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::input::InputSpec;

/// A bar fed by a shared byte counter.
pub struct Progress {
    bar: Option<ProgressBar>,
    counter: Arc<AtomicU64>,
}

impl Progress {
    /// Starts a bar for `inputs` when `show` is true; otherwise a silent counter.
    pub fn start(inputs: &[InputSpec], show: bool) -> Progress {
        let counter = Arc::new(AtomicU64::new(0));
        if !show {
            return Progress { bar: None, counter };
        }
        // A size is known only when every input is a regular file.
        let total: Option<u64> = inputs
            .iter()
            .map(|input| match input {
                InputSpec::Path(path) => std::fs::metadata(path)
                    .ok()
                    .filter(|m| m.is_file())
                    .map(|m| m.len()),
                InputSpec::Stdin => None,
            })
            .sum();
        let target =
            ProgressDrawTarget::term_like_with_hz(Box::new(console::Term::buffered_stderr()), 8);
        let bar = match total {
            Some(total) => {
                let bar = ProgressBar::with_draw_target(Some(total), target);
                bar.set_style(
                    ProgressStyle::with_template(
                        "{bar:30} {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
                    )
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
                );
                bar
            }
            None => {
                let bar = ProgressBar::with_draw_target(None, target);
                bar.set_style(
                    ProgressStyle::with_template("{spinner} {bytes} read, {bytes_per_sec}")
                        .unwrap_or_else(|_| ProgressStyle::default_spinner()),
                );
                bar
            }
        };
        Progress {
            bar: Some(bar),
            counter,
        }
    }

    /// The counter the scan adds to, when a bar is shown.
    pub fn counter(&self) -> Option<Arc<AtomicU64>> {
        self.bar.as_ref().map(|_| Arc::clone(&self.counter))
    }

    /// Brings the bar up to date.
    pub fn tick(&self) {
        if let Some(bar) = &self.bar {
            bar.set_position(self.counter.load(Ordering::Relaxed));
        }
    }

    /// Prints a message above the bar (or plainly when there is none).
    pub fn println(&self, message: &str) {
        match &self.bar {
            Some(bar) => bar.suspend(|| eprintln!("{message}")),
            None => eprintln!("{message}"),
        }
    }

    /// Removes the bar.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
