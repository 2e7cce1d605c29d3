//! Where a command writes: standard output, or the file of `-o`.
//!
//! A regular file is written under a temporary name in its directory and renamed into place
//! only once complete, so a full disk or a failed run never leaves a file that looks finished,
//! and a cron job reading it sees the old report or the new one, never half of one. The
//! temporary file is created exclusively (`O_EXCL`), so a link planted under its name in a
//! shared directory is never followed, and it is removed on every failure path. Its name
//! begins with a dot and ends in a number, never in the target's extension, so a reader that
//! picks files by extension (node_exporter's textfile collector takes `*.prom`) skips it.
//!
//! Anything else (`/dev/null`, `/dev/stdout`, a FIFO) is written in place: renaming over a
//! device node would replace it with a plain file.
//!
//! Every write error names where the output was going.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;

const BUFFER: usize = 256 * 1024;

/// How many temporary names are tried before giving up; each clash means another file of
/// that name already sits in the directory.
const TEMPORARY_TRIES: u32 = 64;

/// An open output.
pub struct Output {
    writer: Writer,
    /// How messages name the output.
    name: String,
    /// For a regular file: the temporary file to rename over the target once complete.
    pending: Option<Pending>,
}

enum Writer {
    Stdout(BufWriter<io::StdoutLock<'static>>),
    File(BufWriter<File>),
}

struct Pending {
    temporary: PathBuf,
    target: PathBuf,
}

impl Output {
    /// Opens standard output (`None`) or the file at `path`. Problems with the path (a
    /// directory, a missing parent, no permission) show here, before any input is read.
    pub fn open(path: Option<&Path>) -> anyhow::Result<Output> {
        let Some(target) = path else {
            return Ok(Output {
                writer: Writer::Stdout(BufWriter::with_capacity(BUFFER, io::stdout().lock())),
                name: "standard output".to_string(),
                pending: None,
            });
        };
        let name = target.display().to_string();
        let cannot = || format!("{name}: cannot create the output file");
        let existing = match fs::metadata(target) {
            Ok(meta) => Some(meta),
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => return Err(anyhow::Error::new(e).context(cannot())),
        };
        match existing {
            Some(meta) if meta.is_dir() => Err(anyhow::anyhow!(
                "{name}: cannot create the output file: it is a directory"
            )),
            Some(meta) if !meta.is_file() => {
                let file = OpenOptions::new()
                    .write(true)
                    .open(target)
                    .with_context(cannot)?;
                Ok(Output {
                    writer: Writer::File(BufWriter::with_capacity(BUFFER, file)),
                    name,
                    pending: None,
                })
            }
            existing => {
                // Through a symbolic link, the file it points to is the one replaced, as a
                // shell redirection would write it.
                let target = match existing {
                    Some(_) => fs::canonicalize(target).with_context(cannot)?,
                    None => target.to_path_buf(),
                };
                let (file, temporary) = create_temporary(&target).with_context(cannot)?;
                if let Some(meta) = existing {
                    // The new report keeps the old one's permissions, not the umask's.
                    let _ = file.set_permissions(meta.permissions());
                }
                Ok(Output {
                    writer: Writer::File(BufWriter::with_capacity(BUFFER, file)),
                    name,
                    pending: Some(Pending { temporary, target }),
                })
            }
        }
    }

    /// Flushes everything and puts a file in place. Until this returns `Ok`, the target is
    /// untouched.
    pub fn finish(mut self) -> anyhow::Result<()> {
        self.flush()?;
        if let (Some(pending), Writer::File(writer)) = (&self.pending, &self.writer) {
            writer
                .get_ref()
                .sync_all()
                .and_then(|()| fs::rename(&pending.temporary, &pending.target))
                .with_context(|| format!("{}: cannot write the output file", self.name))?;
            self.pending = None;
        }
        Ok(())
    }

    fn named(&self, error: io::Error) -> io::Error {
        // The kind is kept: a closed pipe is recognised by it and is not an error.
        io::Error::new(
            error.kind(),
            format!("{}: cannot write: {error}", self.name),
        )
    }
}

/// Creates a new file beside `target` under a name no other file has.
fn create_temporary(target: &Path) -> io::Result<(File, PathBuf)> {
    let file_name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".to_string());
    let mut last_error = None;
    for attempt in 0..TEMPORARY_TRIES {
        let temporary = target.with_file_name(format!(
            ".{file_name}.mailsift-{}-{attempt}",
            std::process::id()
        ));
        match OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temporary)
        {
            Ok(file) => return Ok((file, temporary)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last_error = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last_error.unwrap_or_else(|| io::Error::other("no free temporary name")))
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let result = match &mut self.writer {
            Writer::Stdout(w) => w.write(buf),
            Writer::File(w) => w.write(buf),
        };
        result.map_err(|e| self.named(e))
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        let result = match &mut self.writer {
            Writer::Stdout(w) => w.write_all(buf),
            Writer::File(w) => w.write_all(buf),
        };
        result.map_err(|e| self.named(e))
    }

    fn flush(&mut self) -> io::Result<()> {
        let result = match &mut self.writer {
            Writer::Stdout(w) => w.flush(),
            Writer::File(w) => w.flush(),
        };
        result.map_err(|e| self.named(e))
    }
}

impl Drop for Output {
    fn drop(&mut self) {
        // Still pending means the run failed: nothing half-written may stay behind.
        if let Some(pending) = &self.pending {
            let _ = fs::remove_file(&pending.temporary);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names_in(dir: &Path) -> Vec<String> {
        let mut names: Vec<_> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_file_appears_only_when_complete_and_keeps_its_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("report.csv");
        fs::write(&target, "old\n").unwrap();
        fs::set_permissions(&target, fs::Permissions::from_mode(0o640)).unwrap();
        let mut out = Output::open(Some(&target)).unwrap();
        out.write_all(b"new\n").unwrap();
        out.flush().unwrap();
        assert_eq!(fs::read_to_string(&target).unwrap(), "old\n");
        assert_eq!(
            names_in(dir.path()).len(),
            2,
            "the temporary file beside it"
        );
        out.finish().unwrap();
        assert_eq!(fs::read_to_string(&target).unwrap(), "new\n");
        assert_eq!(names_in(dir.path()), ["report.csv"]);
        let mode = fs::metadata(&target).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o640);
    }

    #[test]
    fn the_temporary_name_does_not_keep_the_extension() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("mailsift.prom");
        let mut out = Output::open(Some(&target)).unwrap();
        out.write_all(b"mailsift_inputs 1\n").unwrap();
        out.flush().unwrap();
        let names = names_in(dir.path());
        assert_eq!(names.len(), 1);
        assert!(names[0].starts_with('.'), "{names:?}");
        assert!(!names[0].ends_with(".prom"), "{names:?}");
        out.finish().unwrap();
        assert_eq!(names_in(dir.path()), ["mailsift.prom"]);
    }

    #[test]
    fn a_failed_run_leaves_the_old_file_and_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("report.txt");
        fs::write(&target, "old\n").unwrap();
        let mut out = Output::open(Some(&target)).unwrap();
        out.write_all(b"half a rep").unwrap();
        drop(out);
        assert_eq!(fs::read_to_string(&target).unwrap(), "old\n");
        assert_eq!(names_in(dir.path()), ["report.txt"]);
    }

    #[test]
    fn a_link_planted_under_the_temporary_name_is_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        fs::write(&victim, "precious\n").unwrap();
        let target = dir.path().join("out.txt");
        let planted = dir
            .path()
            .join(format!(".out.txt.mailsift-{}-0", std::process::id()));
        std::os::unix::fs::symlink(&victim, &planted).unwrap();
        let mut out = Output::open(Some(&target)).unwrap();
        out.write_all(b"report\n").unwrap();
        out.finish().unwrap();
        assert_eq!(fs::read_to_string(&victim).unwrap(), "precious\n");
        assert_eq!(fs::read_to_string(&target).unwrap(), "report\n");
    }

    #[test]
    fn a_symlink_target_replaces_the_file_it_points_to() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.txt");
        fs::write(&real, "old\n").unwrap();
        let link = dir.path().join("link.txt");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let mut out = Output::open(Some(&link)).unwrap();
        out.write_all(b"new\n").unwrap();
        out.finish().unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read_to_string(&real).unwrap(), "new\n");
    }

    #[test]
    fn device_nodes_are_written_in_place() {
        use std::os::unix::fs::FileTypeExt;
        let null = Path::new("/dev/null");
        if !fs::metadata(null).is_ok_and(|m| m.file_type().is_char_device()) {
            eprintln!("skipped: /dev/null is not a device node on this system");
            return;
        }
        let mut out = Output::open(Some(null)).unwrap();
        out.write_all(b"discarded\n").unwrap();
        out.finish().unwrap();
        assert!(fs::metadata(null).unwrap().file_type().is_char_device());

        let full = Path::new("/dev/full");
        if !full.exists() {
            eprintln!("skipped: this system has no /dev/full");
            return;
        }
        let mut out = Output::open(Some(full)).unwrap();
        let error = out
            .write_all(&vec![b'x'; BUFFER + 1])
            .and_then(|()| out.flush())
            .unwrap_err();
        assert_eq!(error.raw_os_error(), None, "wrapped with the name");
        let message = error.to_string();
        assert!(
            message.starts_with("/dev/full: cannot write: "),
            "{message}"
        );
        assert!(fs::metadata(full).unwrap().file_type().is_char_device());
    }

    #[test]
    fn a_directory_is_refused_before_anything_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let message = Output::open(Some(dir.path())).err().unwrap().to_string();
        assert!(message.contains("it is a directory"), "{message}");
        assert!(names_in(dir.path()).is_empty());
    }
}
