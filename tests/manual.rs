//! `mailsift manpage`, `mailsift completions` and `mailsift --version`, run from the built
//! binary.

mod common;

use std::io::Write;
use std::process::{Command as StdCommand, Stdio};

use common::run;

/// The commands every page and script must know, as the contract lists them.
const CONTRACT_COMMANDS: [&str; 7] = [
    "report",
    "events",
    "explain",
    "codes",
    "trace",
    "manpage",
    "completions",
];

/// The commands `mailsift --help` lists, read from its output rather than from the code that
/// writes the pages, so that a command left out of both would still be caught.
fn help_commands() -> Vec<String> {
    let (code, out, err) = run(&["--help"]);
    assert_eq!(code, 0, "{err}");
    let section = out
        .split("Commands:\n")
        .nth(1)
        .expect("--help lists commands");
    let names: Vec<String> = section
        .lines()
        .take_while(|line| !line.trim().is_empty())
        .filter(|line| line.starts_with("  ") && !line.starts_with("   "))
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_string)
        .collect();
    for command in CONTRACT_COMMANDS {
        assert!(
            names.iter().any(|n| n == command),
            "--help lacks {command}: {names:?}"
        );
    }
    names
}

#[test]
fn main_page_lists_every_command_and_the_sections_a_reader_looks_for() {
    let (code, page, err) = run(&["manpage"]);
    assert_eq!(code, 0, "{err}");
    assert!(page.contains("\n.TH MAILSIFT 1 "), "{page}");
    for command in help_commands() {
        assert!(
            page.contains(&format!("mailsift\\-{command}(1)")),
            "mailsift(1) does not name {command}"
        );
    }
    for section in [
        "NAME",
        "SYNOPSIS",
        "DESCRIPTION",
        "OPTIONS",
        "COMMANDS",
        "\"EXIT STATUS\"",
        "ENVIRONMENT",
        "FILES",
        "EXAMPLES",
        "\"SEE ALSO\"",
    ] {
        assert!(page.contains(&format!("\n.SH {section}\n")), "no {section}");
    }
    let exit_status = page
        .split(".SH \"EXIT STATUS\"\n")
        .nth(1)
        .and_then(|rest| rest.split("\n.SH ").next())
        .unwrap();
    for status in ["0", "1", "2", "3"] {
        assert!(
            exit_status.contains(&format!(".TP\n\\fB{status}\\fR\n")),
            "exit status {status} is not described: {exit_status}"
        );
    }
    assert!(page.contains("\\fBNO_COLOR\\fR"));
    assert!(
        page.contains("\\fB\\-\\-fail\\-on\\fR"),
        "the report options are listed"
    );
    assert!(!page.contains("chunk"), "a hidden flag is shown");
}

#[test]
fn every_command_has_a_page_of_its_own() {
    for command in help_commands() {
        let (code, page, err) = run(&["manpage", &command]);
        assert_eq!(code, 0, "{command}: {err}");
        let title = format!(".TH MAILSIFT-{} 1 ", command.to_uppercase());
        assert!(page.contains(&title), "{command}: {page}");
        let source = format!("\"mailsift {}", env!("CARGO_PKG_VERSION"));
        assert!(page.contains(&source), "{command}: {page}");
        let synopsis = format!(".SH SYNOPSIS\n\\fBmailsift {command}\\fR");
        assert!(page.contains(&synopsis), "synopsis of {command}: {page}");
        assert!(page.contains("\n.SH \"EXIT STATUS\"\n"), "{command}");
        assert_eq!(
            page.contains(".TP\n\\fB3\\fR\n"),
            command == "report" || command == "merge",
            "only report and merge have --fail-on and so exit status 3; {command}"
        );
        assert!(
            page.contains("\\fBmailsift\\fR(1)"),
            "{command} points back to mailsift(1)"
        );
    }
    let (code, _, err) = run(&["manpage", "frobnicate"]);
    assert_eq!(code, 2);
    assert!(err.contains("report, events"), "{err}");
}

#[test]
fn manpage_dir_writes_every_page() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, err) = run(&["manpage", "--dir", dir.path().to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.is_empty());
    let mut written: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    written.sort();
    let mut expected: Vec<String> = help_commands()
        .iter()
        .map(|c| format!("mailsift-{c}.1"))
        .chain(["mailsift.1".to_string()])
        .collect();
    expected.sort();
    assert_eq!(written, expected);
    let (_, main_page, _) = run(&["manpage"]);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("mailsift.1")).unwrap(),
        main_page
    );
}

/// Whether `shell` is installed, to have it parse a script.
fn have(shell: &str) -> bool {
    StdCommand::new(shell)
        .arg("-c")
        .arg("true")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Has `shell` read `script` without running it; its complaint on failure.
fn parse_with(shell: &str, flag: &str, script: &str) -> Result<(), String> {
    let mut child = StdCommand::new(shell)
        .arg(flag)
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(script.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    if output.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

#[test]
fn completions_for_bash_zsh_and_fish_know_every_command() {
    let commands = help_commands();
    for (shell, parse_flag) in [("bash", "-n"), ("zsh", "-n"), ("fish", "--no-execute")] {
        let (code, script, err) = run(&["completions", shell]);
        assert_eq!(code, 0, "{shell}: {err}");
        assert!(script.len() > 500, "{shell}: {script}");
        for command in &commands {
            assert!(
                script.contains(command.as_str()),
                "{shell} completion lacks {command}"
            );
        }
        assert!(
            script.contains("fail-on"),
            "{shell} completion lacks report's flags"
        );
        if have(shell) {
            parse_with(shell, parse_flag, &script)
                .unwrap_or_else(|e| panic!("{shell} cannot parse its completion: {e}"));
        } else {
            eprintln!("{shell} is not installed: its completion was not parsed");
        }
    }
    let (code, _, err) = run(&["completions", "tcsh"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn bash_completion_registers_and_completes_commands() {
    if !have("bash") {
        eprintln!("skipped: no bash");
        return;
    }
    let (_, script, _) = run(&["completions", "bash"]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mailsift.bash");
    std::fs::write(&path, script).unwrap();
    // Completing `mailsift ex` the way bash would when the user presses tab.
    let probe = format!(
        ". '{}'; COMP_WORDS=(mailsift ex); COMP_CWORD=1; _mailsift mailsift ex mailsift; \
         printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        path.display()
    );
    let output = StdCommand::new("bash")
        .arg("-c")
        .arg(probe)
        .output()
        .unwrap();
    let replies = String::from_utf8(output.stdout).unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(replies.lines().any(|l| l == "explain"), "{replies}");
    assert!(!replies.lines().any(|l| l == "report"), "{replies}");
}

#[test]
fn version_names_the_package_version_and_the_commit_of_a_checkout() {
    let (code, out, err) = run(&["--version"]);
    assert_eq!(code, 0, "{err}");
    let expected = format!("mailsift {}", env!("CARGO_PKG_VERSION"));
    assert!(out.starts_with(&expected), "{out}");
    let git = |args: &[&str]| {
        StdCommand::new("git")
            .arg("-C")
            .arg(env!("CARGO_MANIFEST_DIR"))
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8(o.stdout).unwrap().trim().to_string())
    };
    let own_checkout = git(&["rev-parse", "--show-toplevel"]).is_some_and(|top| {
        std::fs::canonicalize(top).ok() == std::fs::canonicalize(env!("CARGO_MANIFEST_DIR")).ok()
    });
    match git(&["rev-parse", "--short", "HEAD"]) {
        Some(hash) if own_checkout => {
            assert_eq!(out.trim_end(), format!("{expected} ({hash})"));
        }
        _ => {
            eprintln!("not built from a git checkout: only the version was checked");
            assert_eq!(out.trim_end(), expected);
        }
    }
}
