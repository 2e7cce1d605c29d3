//! The `mailsift` command: parses the command line, runs it, and turns the result into an exit
//! status. Everything else lives in the library.

use std::process::ExitCode;

use clap::Parser;
use mailsift::app;
use mailsift::cli::Cli;
use mailsift::config::UsageError;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match app::run(cli, &app::environment()) {
        Ok(outcome) => ExitCode::from(outcome.exit_code()),
        Err(error) => {
            // A reader that went away (`mailsift events ... | head`) is not an error.
            let closed_pipe = error.chain().any(|cause| {
                cause
                    .downcast_ref::<std::io::Error>()
                    .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            });
            if closed_pipe {
                return ExitCode::SUCCESS;
            }
            // The message may hold a path the user named; it is shown, never obeyed.
            eprintln!(
                "mailsift: {}",
                mailsift::render::safe::visible(&format!("{error:#}"))
            );
            if error.chain().any(|cause| cause.is::<UsageError>()) {
                ExitCode::from(2)
            } else {
                ExitCode::from(1)
            }
        }
    }
}
