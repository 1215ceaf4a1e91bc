//! The one way the binary writes a file that another program reads (exports, imported glossaries):
//! a temporary file created exclusively (`O_EXCL`, a unique name) in the target's directory, synced,
//! then renamed over the target. A reader never sees half a file; two writers never share a temporary
//! file; a symlink planted at the temporary name is never followed, and one at the target is replaced,
//! not written through.

use std::io::Write;
use std::path::{Path, PathBuf};

/// A file that could not be written, shown as `path: cannot write: error`. Each caller decides what
/// it means for the exit code.
#[derive(Debug)]
pub struct WriteError {
    pub path: PathBuf,
    pub source: std::io::Error,
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: cannot write: {}", self.path.display(), self.source)
    }
}

impl std::error::Error for WriteError {}

/// Writes `content` to `path` atomically. The file is readable by others (0644) like a file written
/// with `std::fs::write`, or keeps the permissions of the file it replaces.
pub fn write(path: &Path, content: &[u8]) -> Result<(), WriteError> {
    let mut file = Pending::create(path)?;
    file.write_all(content).map_err(|source| WriteError { path: path.to_path_buf(), source })?;
    file.commit()
}

/// A file being written piece by piece (an export too large to hold): it appears at its path, whole,
/// on [`Pending::commit`]; dropped without a commit, it never appears.
pub struct Pending {
    path: PathBuf,
    tmp: std::io::BufWriter<tempfile::NamedTempFile>,
}

impl Pending {
    pub fn create(path: &Path) -> Result<Pending, WriteError> {
        let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let tmp = tempfile::Builder::new()
            .prefix(".audarma-")
            .suffix(".tmp")
            .tempfile_in(dir)
            .map_err(|source| WriteError { path: path.to_path_buf(), source })?;
        Ok(Pending { path: path.to_path_buf(), tmp: std::io::BufWriter::with_capacity(256 * 1024, tmp) })
    }

    /// Syncs the file and renames it over the path.
    pub fn commit(self) -> Result<(), WriteError> {
        let path = self.path;
        let fail = |source| WriteError { path: path.clone(), source };
        let tmp = self.tmp.into_inner().map_err(|e| fail(e.into_error()))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::symlink_metadata(&path)
                .ok()
                .filter(|m| m.is_file())
                .map_or(0o644, |m| m.permissions().mode() & 0o7777);
            tmp.as_file().set_permissions(std::fs::Permissions::from_mode(mode)).map_err(fail)?;
        }
        tmp.as_file().sync_all().map_err(fail)?;
        tmp.persist(&path).map_err(|e| fail(e.error))?;
        Ok(())
    }
}

impl Write for Pending {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.tmp.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.tmp.flush()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn replaces_the_file_leaves_no_temporary_and_does_not_write_through_a_symlink() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.md");
        write(&target, b"one").unwrap();
        write(&target, b"two").unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "two");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&target).unwrap().permissions().mode() & 0o777, 0o644);
            let victim = dir.path().join("victim.txt");
            std::fs::File::create(&victim).unwrap();
            let link = dir.path().join("link.md");
            std::os::unix::fs::symlink(&victim, &link).unwrap();
            write(&link, b"exported").unwrap();
            assert_eq!(std::fs::read_to_string(&victim).unwrap(), "", "the symlink's target was written through");
            assert_eq!(std::fs::read_to_string(&link).unwrap(), "exported");
        }
        let names: Vec<String> =
            std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into()).collect();
        assert!(!names.iter().any(|n| n.ends_with(".tmp")), "{names:?}");
    }

    #[test]
    fn a_missing_directory_is_an_error_and_creates_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("no/such/dir/out.md");
        let e = write(&target, b"x").unwrap_err();
        assert_eq!(e.path, target);
        assert!(e.to_string().starts_with(&format!("{}: cannot write: ", target.display())), "{e}");
        assert!(!dir.path().join("no").exists());
    }
}
