//! Work-tree files: reading proposals, finding them under a directory, and writing atomically.

use crate::error::{Error, Result};
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// A document's bytes, read up to one byte past the largest document the TOC engine takes
/// (`toc::MAX_DOCUMENT_BYTES`): enough for it to say the file is too large, without reading a
/// huge file, or an endless one such as `/dev/zero`, into memory whole.
pub fn read_document(path: &Path) -> std::io::Result<Vec<u8>> {
    let file = fs::File::open(path)?;
    // Sized up front, as `fs::read` does, for a regular file.
    let size = file.metadata().map_or(0, |metadata| metadata.len());
    read_limited(file, size)
}

/// `read_document` for any reader (stdin).
pub fn read_document_from(reader: impl Read) -> std::io::Result<Vec<u8>> {
    read_limited(reader, 0)
}

fn read_limited(reader: impl Read, size_hint: u64) -> std::io::Result<Vec<u8>> {
    let limit = crate::toc::MAX_DOCUMENT_BYTES as u64 + 1;
    let mut bytes = Vec::with_capacity(usize::try_from(size_hint.min(limit)).unwrap_or(0));
    reader.take(limit).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// `paths` without repeats: of the paths that name the same file (as given twice, `./a.md` and
/// `a.md`, through a directory and by name, through a symlink), the first; the order is kept.
/// A file is never refreshed twice at once, or reported twice.
pub fn without_repeats(paths: Vec<PathBuf>) -> Vec<PathBuf> {
    let mut seen = std::collections::HashSet::new();
    paths.into_iter().filter(|path| seen.insert(fs::canonicalize(path).unwrap_or_else(|_| path.clone()))).collect()
}

/// Every `.md` file under `dir` (recursively, sorted, symlinks not followed: a linked proposal
/// is refreshed through its real path).
pub fn markdown_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        let entries =
            fs::read_dir(&current).map_err(|err| Error::context(format!("cannot read {}", current.display()), err))?;
        for entry in entries {
            let entry = entry.map_err(|err| Error::context(format!("cannot read {}", current.display()), err))?;
            let file_type = entry.file_type().map_err(|err| Error::context(entry.path().display(), err))?;
            let path = entry.path();
            if file_type.is_dir() {
                if entry.file_name() != ".git" {
                    pending.push(path);
                }
            } else if file_type.is_file() && path.extension().is_some_and(|ext| ext == "md") {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}

/// Replaces the file's content atomically (temporary file in the same directory, then rename),
/// keeping its permissions. A symlink is followed: its target is rewritten, the link stays.
pub fn write_atomically(path: &Path, content: &[u8]) -> Result<()> {
    prepare_replacement(path, content)?.put_in_place()
}

/// A file's new content, written next to it under a temporary name: `put_in_place` renames it
/// over the file; dropped instead, it is removed and the file stays as it was.
pub struct Replacement {
    temp: tempfile::NamedTempFile,
    target: PathBuf,
    /// As the user named the file, for messages.
    shown: PathBuf,
}

/// Writes `content` beside `path` (its real path, for a symlink) with the file's permissions.
pub fn prepare_replacement(path: &Path, content: &[u8]) -> Result<Replacement> {
    let cannot_write = |err| Error::context(format!("cannot write {}", path.display()), err);
    let target =
        fs::canonicalize(path).map_err(|err| Error::context(format!("cannot resolve {}", path.display()), err))?;
    let dir = target.parent().unwrap_or(Path::new("."));
    let permissions = fs::metadata(&target)
        .map_err(|err| Error::context(format!("cannot stat {}", path.display()), err))?
        .permissions();
    let mut temp = tempfile::Builder::new().prefix(".git-kep-").tempfile_in(dir).map_err(cannot_write)?;
    temp.write_all(content).map_err(cannot_write)?;
    temp.as_file().set_permissions(permissions).map_err(cannot_write)?;
    Ok(Replacement { temp, target, shown: path.to_path_buf() })
}

impl Replacement {
    pub fn put_in_place(self) -> Result<()> {
        let Replacement { temp, target, shown } = self;
        temp.persist(&target)
            .map(drop)
            .map_err(|err| Error::context(format!("cannot write {}", shown.display()), err.error))
    }
}

/// How to show a path to the user: relative to the current directory when it is below it.
pub fn display_path(path: &Path) -> String {
    let cwd = std::env::current_dir().ok();
    let shown = cwd.as_deref().and_then(|cwd| path.strip_prefix(cwd).ok()).unwrap_or(path);
    shown.display().to_string()
}
