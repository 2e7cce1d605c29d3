//! Puts the git commit into `mailsift --version`, and its date at the foot of the manual pages,
//! when the crate is built from its own checkout.
//!
//! A build from a source tarball, from crates.io, or on a machine without git gets the bare
//! package version and no date, silently.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    // Without this line cargo would run the script again whenever any file of the package
    // changes; the lines below add the git files that really matter.
    println!("cargo:rerun-if-changed=build.rs");

    let version = env!("CARGO_PKG_VERSION");
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let (full, date) = match commit(&manifest_dir) {
        Some(Commit { hash, date }) => (format!("{version} ({hash})"), date),
        None => (version.to_string(), String::new()),
    };
    println!("cargo:rustc-env=MAILSIFT_VERSION={full}");
    println!("cargo:rustc-env=MAILSIFT_DATE={date}");
}

struct Commit {
    /// Short hash.
    hash: String,
    /// Committer date, YYYY-MM-DD.
    date: String,
}

/// HEAD's commit, when `dir` is the top of a git work tree.
fn commit(dir: &Path) -> Option<Commit> {
    // A crate unpacked inside some other repository (a vendored copy, a distribution's build
    // tree) must not report that repository's commit.
    let top = git(dir, &["rev-parse", "--show-toplevel"])?;
    if std::fs::canonicalize(&top).ok()? != std::fs::canonicalize(dir).ok()? {
        return None;
    }
    let hash = git(dir, &["rev-parse", "--short", "HEAD"])?;
    let date = git(dir, &["log", "-1", "--format=%cs", "HEAD"]).unwrap_or_default();
    watch_head(dir);
    Some(Commit { hash, date })
}

/// Asks cargo to run this script again when HEAD moves: when `HEAD` itself changes (a checkout)
/// or the branch it names gets a new commit. `--git-path` finds these files in a linked work
/// tree too, where `.git` is a file. Only existing paths are named, since cargo reruns the
/// script on every build for a path that does not exist.
fn watch_head(dir: &Path) {
    let mut paths = Vec::new();
    if let Some(head) = git(dir, &["rev-parse", "--git-path", "HEAD"]) {
        paths.push(dir.join(head));
    }
    if let Some(branch) = git(dir, &["symbolic-ref", "-q", "HEAD"]) {
        // A fresh clone keeps its branches in packed-refs, and git pack-refs moves them there.
        if let Some(packed) = git(dir, &["rev-parse", "--git-path", "packed-refs"]) {
            paths.push(dir.join(packed));
        }
        if let Some(reference) = git(dir, &["rev-parse", "--git-path", &branch]) {
            let reference = dir.join(reference);
            if reference.is_file() {
                paths.push(reference);
            } else {
                // The next commit writes the loose ref file, which cannot be watched before it
                // exists; its directory sees the file appear. Once it exists, the next run of
                // this script watches the file alone.
                if let Some(parent) = reference.ancestors().skip(1).find(|p| p.is_dir()) {
                    paths.push(parent.to_path_buf());
                }
            }
        }
    }
    for path in paths {
        if path.exists() {
            println!("cargo:rerun-if-changed={}", path.display());
        }
    }
}

/// Runs git in `dir` and returns its trimmed standard output, or `None` on any failure.
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    let text = String::from_utf8(output.stdout).ok()?;
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}
