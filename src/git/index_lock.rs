//! The index file: which one git uses, git's `<index>.lock` on it, and its bytes mapped.

use super::Repo;
use std::path::{Path, PathBuf};

impl Repo {
    /// Takes the index's lock and holds it until the guard is dropped, waiting up to `patience`
    /// for another git command to let it go. `git add` takes this lock before it reads a work-tree
    /// file, so while it is held nothing can stage a file the hook is swapping (for an instant it
    /// holds the hook's copy, before a save made meanwhile is swapped back).
    pub fn hold_index_lock(&self, patience: std::time::Duration) -> std::io::Result<HeldIndexLock> {
        let index_path = self.index_path();
        let started = std::time::Instant::now();
        loop {
            match IndexLock::take(&index_path) {
                Ok(lock) => return Ok(HeldIndexLock { _lock: lock }),
                Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists && started.elapsed() < patience => {
                    std::thread::sleep(std::time::Duration::from_millis(1));
                }
                Err(err) => return Err(err),
            }
        }
    }

    /// The lock file of the index `index_path` names.
    pub(super) fn index_lock_path(&self) -> PathBuf {
        lock_path_of(&self.index_path())
    }

    /// The index file git uses for this command: `GIT_INDEX_FILE` (under `git commit -a` or
    /// `git commit <paths>` it is a temporary one), else the repository's.
    pub(super) fn index_path(&self) -> PathBuf {
        match std::env::var_os("GIT_INDEX_FILE") {
            Some(file) => PathBuf::from(file),
            None => self.temp_dir().join("index"),
        }
    }
}

/// git's lock on a file: `<file>.lock`, created exclusively, renamed over the file to commit the
/// change. Dropped without a commit (an error, a refusal, a panic), it removes itself, and a
/// signal (Ctrl-C, SIGTERM, SIGHUP) removes it before the process dies (`interrupt`), so a failed
/// or interrupted hook never leaves the repository locked.
pub(super) struct IndexLock {
    pub(super) path: PathBuf,
    /// Open until the commit: closed before the rename (Windows cannot rename an open file).
    file: Option<std::fs::File>,
    owned: crate::interrupt::Owned,
}

impl IndexLock {
    pub(super) fn take(index_path: &Path) -> std::io::Result<IndexLock> {
        let path = lock_path_of(index_path);
        let (file, owned) = crate::interrupt::Owned::create(|| {
            let file = std::fs::OpenOptions::new().write(true).create_new(true).open(&path)?;
            Ok((file, path.clone()))
        })?;
        Ok(IndexLock { path, file: Some(file), owned })
    }

    pub(super) fn file(&self) -> &std::fs::File {
        self.file.as_ref().expect("open until committed")
    }

    /// Closes the lock file and renames it over `index_path` (if that fails, it is removed).
    pub(super) fn commit_to(self, index_path: &Path) -> std::io::Result<()> {
        let IndexLock { path, file, owned } = self;
        drop(file);
        owned.release(|| std::fs::rename(&path, index_path))
    }
}

/// The index's lock, held (nothing written to it) until dropped: see `Repo::hold_index_lock`.
pub struct HeldIndexLock {
    _lock: IndexLock,
}

/// Where git (and libgit2, and git-kep) lock an index file: `<index>.lock`.
fn lock_path_of(index_path: &Path) -> PathBuf {
    let mut path = index_path.as_os_str().to_owned();
    path.push(".lock");
    PathBuf::from(path)
}

/// The file's bytes, mapped rather than read: an index of 100,000 entries is megabytes, and the
/// hook reads it twice (to plan, then under the lock). Empty files are not mapped.
pub(super) fn map_file(path: &Path) -> std::io::Result<IndexBytes> {
    let file = std::fs::File::open(path)?;
    if file.metadata()?.len() == 0 {
        return Ok(IndexBytes::Empty);
    }
    // SAFETY: the mapping is only valid while nobody changes the file in place. git and libgit2
    // never do: they write a new index to `index.lock` and rename it over the old one, which
    // leaves this mapping on the old file (git maps the index the same way).
    let map = unsafe { memmap2::MmapOptions::new().populate().map(&file)? };
    Ok(IndexBytes::Mapped(map))
}

/// An index file's bytes.
#[derive(Debug)]
pub(super) enum IndexBytes {
    Empty,
    Mapped(memmap2::Mmap),
}

impl std::ops::Deref for IndexBytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            IndexBytes::Empty => &[],
            IndexBytes::Mapped(map) => map,
        }
    }
}
