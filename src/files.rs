//! Work-tree files: reading proposals, finding them under a directory, and writing atomically.

use crate::error::{Error, Result};
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// A document's bytes, read up to one byte past the largest document the TOC engine takes
/// (`toc::MAX_DOCUMENT_BYTES`): enough for it to say the file is too large, without reading a
/// huge file into memory whole. Only a regular file is read (`open_regular`).
pub fn read_document(path: &Path) -> std::io::Result<Vec<u8>> {
    let (file, size) = open_regular(path)?;
    read_limited(file, size)
}

/// The most git-kep reads of a metadata file (`kep.yaml`, `metadata.yaml`, a production
/// readiness file, `OWNERS_ALIASES`): the largest of kubernetes/enhancements' is 5 KB, and a
/// YAML file takes many times its size in memory once parsed.
pub const MAX_METADATA_BYTES: u64 = 1 << 20;

/// A small text file's content (`limit` bytes at most): only a regular file, never waited on.
/// A larger file is an error (`ErrorKind::FileTooLarge`) that says the limit.
pub fn read_small_text(path: &Path, limit: u64) -> std::io::Result<String> {
    let (file, size) = open_regular(path)?;
    if size > limit {
        return Err(std::io::Error::new(
            std::io::ErrorKind::FileTooLarge,
            format!("larger than {} KiB, the most git-kep reads of such a file", limit >> 10),
        ));
    }
    let mut text = String::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(limit).read_to_string(&mut text)?;
    Ok(text)
}

/// Opens `path` for reading if it is a regular file (symlinks followed), and its size. A FIFO
/// named like a proposal, a linked `.md` or a `kep.yaml` would block the open (and the read)
/// until a writer comes, forever in a hook; a device may never end. The open does not wait
/// (`O_NONBLOCK`, which changes nothing for a regular file), and anything else is refused.
pub fn open_regular(path: &Path) -> std::io::Result<(fs::File, u64)> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    let file = options.open(path)?;
    let metadata = file.metadata()?;
    if !metadata.is_file() {
        return Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a regular file"));
    }
    Ok((file, metadata.len()))
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

/// `path` with its symlinks resolved (as far as it exists; the rest as named), if that stays
/// inside `work_tree` (resolved too); else an error that says where it leads. A committed
/// symlink such as `proposals -> ../elsewhere` must not make git-kep read templates from, or
/// write proposals to, files outside the repository.
pub fn resolve_inside(path: &Path, work_tree: &Path) -> Result<PathBuf> {
    let root = fs::canonicalize(work_tree).unwrap_or_else(|_| work_tree.to_path_buf());
    let mut existing = path;
    let mut rest = Vec::new();
    let resolved = loop {
        match fs::canonicalize(existing) {
            Ok(resolved) => break rest.iter().rev().fold(resolved, |dir, name| dir.join(name)),
            Err(_) => match (existing.parent(), existing.file_name()) {
                (Some(parent), Some(name)) => {
                    rest.push(name.to_owned());
                    existing = parent;
                }
                _ => break path.to_path_buf(),
            },
        }
    };
    if resolved.starts_with(&root) {
        return Ok(resolved);
    }
    // Named inside the work tree, it leaves through a symlink; else it was never in it.
    let absolute = std::env::current_dir().map(|cwd| cwd.join(path)).unwrap_or_else(|_| path.to_path_buf());
    let through_symlink = absolute.starts_with(work_tree) || absolute.starts_with(&root);
    let (how, next) = if through_symlink {
        ("through a symlink", "replace the symlink with the files themselves")
    } else {
        (
            "it is not in this repository",
            "run git-kep from the repository it belongs to, or from its own folder if it is in none",
        )
    };
    Err(Error::new(format!(
        "{} leads outside the work tree (to {}, {how}): git-kep reads and writes only inside it",
        display_path(path),
        resolved.display()
    ))
    .hint(next))
}

/// `paths` without repeats: of the paths that name the same file (as given twice, `./a.md` and
/// `a.md`, through a directory and by name, through a symlink), the first; the order is kept.
/// A file is never refreshed twice at once, or reported twice.
pub fn without_repeats(paths: Vec<PathBuf>) -> Vec<PathBuf> {
    let mut seen = std::collections::HashSet::new();
    paths.into_iter().filter(|path| seen.insert(fs::canonicalize(path).unwrap_or_else(|_| path.clone()))).collect()
}

/// The paths a user named, each directory standing for the Markdown files under it, once each.
pub fn named_paths(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut expanded = Vec::new();
    for path in paths {
        if path.is_dir() {
            expanded.extend(markdown_files(path)?);
        } else {
            expanded.push(path.clone());
        }
    }
    Ok(without_repeats(expanded))
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

/// Where git-kep writes a file inside a repository: the work tree it must not leave (a path
/// that leads out of it through a symlink is refused), and the directory for the temporary
/// copy (the git directory: see `prepare_replacement`). Outside a repository, neither.
#[derive(Debug, Clone, Copy, Default)]
pub struct WriteScope<'a> {
    pub work_tree: Option<&'a Path>,
    pub temp_dir: Option<&'a Path>,
}

impl<'a> WriteScope<'a> {
    /// A repository's work tree and git directory, where it has them.
    pub fn of(repo: Option<&'a crate::git::Repo>) -> WriteScope<'a> {
        WriteScope { work_tree: repo.and_then(|repo| repo.workdir()), temp_dir: repo.map(|repo| repo.temp_dir()) }
    }
}

/// Replaces the file's content atomically if it still holds `expected` (what the caller read
/// and planned from): a save made since then is kept, never overwritten (see `put_in_place`).
/// The new content is written first in the scope's temporary directory, so that an interrupted
/// run leaves nothing in the proposal's folder.
pub fn write_atomically(path: &Path, expected: &[u8], content: &[u8], scope: WriteScope<'_>) -> Result<Placed> {
    prepare_replacement(path, content, scope)?.put_in_place(&|found| found == expected)
}

/// The name every temporary file of git-kep's starts with (`remove_stale_temporaries`).
const TEMP_PREFIX: &str = ".git-kep-";

/// A file's new content, written under a temporary name: `put_in_place` swaps it with the
/// file; dropped instead, it is removed and the file stays as it was.
pub struct Replacement {
    temp: crate::interrupt::TempFile,
    target: PathBuf,
    /// As the user named the file, for messages.
    shown: PathBuf,
    /// The new content, to recognise it after a swap.
    content: Vec<u8>,
}

/// What `Replacement::put_in_place` did.
#[derive(Debug, PartialEq, Eq)]
pub enum Placed {
    /// The file holds the new content.
    Replaced,
    /// The file was saved, replaced or removed since it was read, and is left as that made it.
    ChangedMeanwhile,
    /// Saved twice within microseconds, during the swap: the file holds the latest save, and the
    /// earlier one, which would otherwise be lost, is kept at this path.
    EarlierSaveKeptAt(PathBuf),
}

/// Writes `content` under a temporary name, with the permissions of `path` (its real path, for
/// a symlink, which must stay inside the scope's work tree). The temporary file goes into the
/// scope's `temp_dir` when that is on the same file system (a directory git ignores, such as the
/// git directory: a file left there by a killed process can never be staged by `git add -A`),
/// else beside the file.
pub fn prepare_replacement(path: &Path, content: &[u8], scope: WriteScope<'_>) -> Result<Replacement> {
    let cannot_write = |err| Error::write_failed(format!("cannot write {}", path.display()), err);
    let target =
        fs::canonicalize(path).map_err(|err| Error::context(format!("cannot resolve {}", path.display()), err))?;
    if let Some(work_tree) = scope.work_tree {
        resolve_inside(&target, work_tree)?;
    }
    let temp_dir = scope.temp_dir;
    let dir = target.parent().unwrap_or(Path::new("."));
    let metadata =
        fs::metadata(&target).map_err(|err| Error::context(format!("cannot stat {}", path.display()), err))?;
    let dir = match temp_dir {
        Some(temp_dir) if same_file_system(&metadata, temp_dir) => temp_dir,
        _ => dir,
    };
    let mut temp =
        crate::interrupt::TempFile::new_in(tempfile::Builder::new().prefix(TEMP_PREFIX), dir).map_err(cannot_write)?;
    temp.write_all(content).map_err(cannot_write)?;
    temp.as_file().set_permissions(metadata.permissions()).map_err(cannot_write)?;
    Ok(Replacement { temp, target, shown: path.to_path_buf(), content: content.to_vec() })
}

#[cfg(unix)]
fn same_file_system(file: &fs::Metadata, dir: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    fs::metadata(dir).is_ok_and(|dir| dir.is_dir() && dir.dev() == file.dev())
}

#[cfg(not(unix))]
fn same_file_system(_: &fs::Metadata, _: &Path) -> bool {
    false
}

impl Replacement {
    /// Puts the new content in place if the file still holds what the caller planned from
    /// (`unchanged` says so of the bytes found). An editor's autosave, a formatter or another
    /// terminal may have saved it since it was read: such a save is never lost.
    ///
    /// The file is read and judged, then, if it is still that same file (same inode, size and
    /// time: one `lstat`), swapped with the new one. On Linux the swap is atomic
    /// (`renameat2(RENAME_EXCHANGE)`), so a save landing between that `lstat` and the swap is
    /// seen in what came out, and swapped back. Elsewhere (or on a file system without the
    /// exchange) the new file is renamed over: a save in the microseconds between is the one
    /// risk left there.
    ///
    /// A signal waits for the swaps to end (`interrupt::critical`): between a swap and its swap
    /// back, the save is in the temporary file.
    pub fn put_in_place(self, unchanged: &dyn Fn(&[u8]) -> bool) -> Result<Placed> {
        crate::interrupt::critical(|| self.swap_in(unchanged))
    }

    fn swap_in(self, unchanged: &dyn Fn(&[u8]) -> bool) -> Result<Placed> {
        let Replacement { temp, target, shown, content } = self;
        let cannot_write = |err| Error::write_failed(format!("cannot write {}", shown.display()), err);
        let Ok((found, stamp)) = read_with_stamp(&target) else { return Ok(Placed::ChangedMeanwhile) };
        if !unchanged(&found) || Stamp::of_path(&target).ok() != Some(stamp) {
            return Ok(Placed::ChangedMeanwhile);
        }
        match exchange(temp.path(), &target) {
            Ok(()) => {
                if Stamp::of_path(temp.path()).ok() == Some(stamp) {
                    return Ok(Placed::Replaced);
                }
                // Saved between the look and the swap: the save goes back in place.
                exchange(temp.path(), &target).map_err(cannot_write)?;
                let back = fs::read(temp.path()).map_err(cannot_write)?;
                if back == content {
                    return Ok(Placed::ChangedMeanwhile);
                }
                // Saved again between the two swaps, over the new content: that save is the
                // latest, so it goes in place, and the earlier one is kept beside it.
                exchange(temp.path(), &target).map_err(cannot_write)?;
                let name = target.file_name().unwrap_or_default().to_string_lossy();
                let seconds = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |elapsed| elapsed.as_secs());
                let kept = temp.path().with_file_name(format!("{name}.earlier-save-{seconds}"));
                temp.persist(&kept, true).map_err(cannot_write)?;
                Ok(Placed::EarlierSaveKeptAt(kept))
            }
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(Placed::ChangedMeanwhile),
            Err(_) => {
                temp.persist(&target, false).map_err(cannot_write)?;
                Ok(Placed::Replaced)
            }
        }
    }
}

/// A file's bytes and the stamp of the very file they were read from.
fn read_with_stamp(path: &Path) -> std::io::Result<(Vec<u8>, Stamp)> {
    let (mut file, _) = open_regular(path)?;
    let stamp = Stamp::of(&file.metadata()?);
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)?;
    Ok((bytes, stamp))
}

/// What tells one version of a file from another without reading it: a save that renames a new
/// file into place changes the inode, one that rewrites the file changes its time (and mostly
/// its size). The change time is left out: renaming the file (the swap itself) changes it.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
struct Stamp {
    device: u64,
    inode: u64,
    len: u64,
    modified: Option<std::time::SystemTime>,
}

impl Stamp {
    fn of(metadata: &fs::Metadata) -> Stamp {
        #[cfg(unix)]
        let (device, inode) = {
            use std::os::unix::fs::MetadataExt;
            (metadata.dev(), metadata.ino())
        };
        #[cfg(not(unix))]
        let (device, inode) = (0, 0);
        Stamp { device, inode, len: metadata.len(), modified: metadata.modified().ok() }
    }

    fn of_path(path: &Path) -> std::io::Result<Stamp> {
        fs::symlink_metadata(path).map(|metadata| Stamp::of(&metadata))
    }
}

/// Swaps two files atomically (both must exist, on one file system).
#[cfg(any(target_os = "linux", target_os = "android"))]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let c_path =
        |path: &Path| std::ffi::CString::new(path.as_os_str().as_bytes()).map_err(|_| std::io::ErrorKind::InvalidInput);
    let (a, b) = (c_path(a)?, c_path(b)?);
    // SAFETY: two valid NUL-terminated paths; renameat2 only reads them.
    let status =
        unsafe { libc::renameat2(libc::AT_FDCWD, a.as_ptr(), libc::AT_FDCWD, b.as_ptr(), libc::RENAME_EXCHANGE as _) };
    if status == 0 { Ok(()) } else { Err(std::io::Error::last_os_error()) }
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

/// Removes git-kep's temporary files older than an hour from `dir` (left by a process that was
/// killed: no run takes that long). Best effort: whatever cannot be read or removed stays.
pub fn remove_stale_temporaries(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for entry in entries.flatten() {
        let stale = entry.file_name().as_encoded_bytes().starts_with(TEMP_PREFIX.as_bytes())
            && entry.metadata().and_then(|m| m.modified()).is_ok_and(|modified| modified < hour_ago);
        if stale {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// How to show a path to the user: relative to the current directory when it is below it.
pub fn display_path(path: &Path) -> String {
    let cwd = std::env::current_dir().ok();
    let shown = cwd.as_deref().and_then(|cwd| path.strip_prefix(cwd).ok()).unwrap_or(path);
    shown.display().to_string()
}

/// Writes new files under `folder` (relative path, bytes, executable), creating folders.
pub fn write_new_files(folder: &Path, files: &[(String, Vec<u8>, bool)]) -> Result<()> {
    for (path, bytes, executable) in files {
        let target = folder.join(path);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)
                .map_err(|err| Error::context(format!("cannot create {}", parent.display()), err))?;
        }
        fs::write(&target, bytes).map_err(|err| Error::context(format!("cannot write {}", target.display()), err))?;
        #[cfg(unix)]
        if *executable {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&target, fs::Permissions::from_mode(0o755))
                .map_err(|err| Error::context(format!("cannot make {} executable", target.display()), err))?;
        }
        #[cfg(not(unix))]
        let _ = executable;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replacement_goes_in_only_over_the_file_it_was_planned_from() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        let unchanged = |found: &[u8]| found == b"old";
        // Untouched: replaced, and no temporary file stays.
        fs::write(&path, "old").unwrap();
        let placed =
            prepare_replacement(&path, b"new", WriteScope::default()).unwrap().put_in_place(&unchanged).unwrap();
        assert_eq!((placed, fs::read(&path).unwrap()), (Placed::Replaced, b"new".to_vec()));
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
        // Saved meanwhile, by a rename (a new file) or in place: the save stays.
        for in_place in [false, true] {
            fs::write(&path, "old").unwrap();
            let replacement = prepare_replacement(&path, b"new", WriteScope::default()).unwrap();
            if in_place {
                fs::write(&path, "saved").unwrap();
            } else {
                fs::write(dir.path().join("save.tmp"), "saved").unwrap();
                fs::rename(dir.path().join("save.tmp"), &path).unwrap();
            }
            assert_eq!(replacement.put_in_place(&unchanged).unwrap(), Placed::ChangedMeanwhile);
            assert_eq!(fs::read(&path).unwrap(), b"saved");
            assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
        }
        // Removed meanwhile: not recreated.
        let replacement = prepare_replacement(&path, b"new", WriteScope::default()).unwrap();
        fs::remove_file(&path).unwrap();
        assert_eq!(replacement.put_in_place(&unchanged).unwrap(), Placed::ChangedMeanwhile);
        assert!(!path.exists());
    }

    #[test]
    fn temporary_file_goes_to_the_directory_given_on_the_same_file_system() {
        let dir = tempfile::tempdir().unwrap();
        let (work, git_dir) = (dir.path().join("work"), dir.path().join("git"));
        fs::create_dir_all(&work).unwrap();
        fs::create_dir_all(&git_dir).unwrap();
        let path = work.join("a.md");
        fs::write(&path, "old").unwrap();
        let replacement =
            prepare_replacement(&path, b"new", WriteScope { work_tree: None, temp_dir: Some(&git_dir) }).unwrap();
        assert_eq!(fs::read_dir(&work).unwrap().count(), 1, "nothing beside the file");
        assert_eq!(fs::read_dir(&git_dir).unwrap().count(), 1);
        assert_eq!(replacement.put_in_place(&|found| found == b"old").unwrap(), Placed::Replaced);
        assert_eq!(fs::read(&path).unwrap(), b"new");
        assert_eq!(fs::read_dir(&git_dir).unwrap().count(), 0, "what came out is removed");
    }
}
