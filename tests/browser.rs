//! The HTML report in a real browser: headless Chromium loads the page made from the samples
//! and a hostile line, takes a screenshot, and dumps the DOM it built, which must hold the
//! chart, show the hostile text as text, and have logged no script error.
//!
//! `.ci/run` installs Debian's `chromium`; where no browser is installed the test says so and
//! passes, since it cannot run.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{run, temp_file};

fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

/// Runs the browser headless on `page` with `args`, returning (stdout, stderr).
fn browse(browser: &Path, page: &Path, args: &[&str]) -> (String, String) {
    let profile = tempfile::tempdir().unwrap();
    let output = Command::new("timeout")
        .arg("120")
        .arg(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("the browser runs");
    assert!(output.status.success(), "{:?}", output);
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn html_report_renders_in_chromium() {
    let Some(browser) = chromium() else {
        eprintln!("skipped: no chromium on PATH (.ci/run installs it)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let hostile = temp_file(
        dir.path(),
        "hostile.log",
        b"Nov 19 09:00:00 mx1 postfix/smtp[77]: 5E6F7A8B9C: to=<user@example.org>, \
          relay=mx.example.org[192.0.2.9]:25, delay=1, delays=0/0/0.5/0.5, dsn=5.7.1, \
          status=bounced (host mx.example.org[192.0.2.9] said: 550 5.7.1 \
          <script>document.title='owned'</script><img src=x onerror=alert(1)> \
          (in reply to RCPT TO command))\n",
    );
    let page = dir.path().join("report.html");
    let (code, _, err) = run(&[
        "report",
        "--format",
        "html",
        "--year",
        "2026",
        "-o",
        page.to_str().unwrap(),
        hostile.to_str().unwrap(),
        "samples/postfix-mail.log",
        "samples/postfix-mail.log.1.gz",
        "samples/exim-mainlog",
    ]);
    assert_eq!(code, 0, "{err}");

    let (dom, log) = browse(&browser, &page, &["--dump-dom"]);
    assert!(dom.contains("<svg id=\"timeline\""), "{dom}");
    assert!(dom.matches("<rect").count() > 40);
    assert!(dom.contains("<title>mailsift report</title>"));
    // The hostile reply is text: no element came of it, and its script did not run.
    assert!(!dom.contains("<script"), "{dom}");
    assert!(!dom.contains("<img"), "{dom}");
    assert!(
        dom.contains("&lt;script&gt;document.title='owned'&lt;/script&gt;&lt;img src=x"),
        "{dom}"
    );
    for line in log.lines() {
        assert!(
            !line.contains("CONSOLE") && !line.contains("Uncaught"),
            "the page logged: {line}"
        );
    }

    let shot = dir.path().join("report.png");
    let screenshot = format!("--screenshot={}", shot.display());
    browse(&browser, &page, &[&screenshot, "--window-size=1280,1600"]);
    let png = std::fs::read(&shot).unwrap();
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
    assert!(
        png.len() > 20_000,
        "a near-empty screenshot: {} bytes",
        png.len()
    );
}
