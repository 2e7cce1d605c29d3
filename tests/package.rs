//! The Debian package, end to end: `packaging/test-deb.sh` builds it with cargo-deb, installs
//! it on this machine, runs the installed `mailsift` on the samples, reads its manual pages and
//! completions, and runs lintian on it.
//!
//! The script installs into the running system and builds a release binary, so it runs only
//! where that is wanted: `MAILSIFT_PACKAGE_TEST=1` requires it (and installs cargo-deb and
//! lintian when missing), `MAILSIFT_PACKAGE_TEST=0` skips it, and otherwise it runs when
//! cargo-deb and dpkg are installed and the test may act as root. `.ci/run` installs what it
//! needs.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

fn succeeds(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Why the package test cannot run here, if it cannot.
fn missing(cargo: &str) -> Option<&'static str> {
    if !succeeds("dpkg-deb", &["--version"]) {
        return Some("no dpkg-deb: not a Debian system");
    }
    if !succeeds(cargo, &["deb", "--version"]) {
        return Some("no cargo-deb (cargo install --locked cargo-deb)");
    }
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.trim_ascii() == b"0");
    if !root && !succeeds("sudo", &["-n", "true"]) {
        return Some("neither root nor sudo without a password, so dpkg -i cannot run");
    }
    None
}

#[test]
fn debian_package_installs_works_and_passes_lintian() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    match std::env::var("MAILSIFT_PACKAGE_TEST").as_deref() {
        Ok("0") => {
            eprintln!("skipped: MAILSIFT_PACKAGE_TEST=0");
            return;
        }
        Ok("1") => {}
        _ => {
            if let Some(reason) = missing(&cargo) {
                eprintln!("skipped: {reason}; MAILSIFT_PACKAGE_TEST=1 makes it run");
                return;
            }
        }
    }

    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("packaging/test-deb.sh");
    let started = Instant::now();
    let output = Command::new("sh")
        .arg(&script)
        .env("CARGO", &cargo)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    eprintln!("{stderr}");
    eprintln!(
        "packaging/test-deb.sh took {:.0} s",
        started.elapsed().as_secs_f64()
    );
    assert!(
        output.status.success(),
        "packaging/test-deb.sh failed: {}",
        output.status
    );
    assert!(stderr.contains("test-deb: ok"), "the script stopped early");
}
