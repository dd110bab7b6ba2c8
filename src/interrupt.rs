//! Signals during a run: the files git-kep holds (git's index lock, temporary copies) are removed
//! before it dies of Ctrl-C, SIGTERM, SIGHUP or SIGQUIT, with the status that signal gives (git
//! removes its own lock files the same way, through its `sigchain`); and SIGXFSZ is caught, so
//! a write past a file-size limit (`ulimit -f`) fails with EFBIG and unwinds like any error.
//!
//! Set up with the first file registered. The signal is taken by a thread of its own (signal-hook's iterator), which may lock and
//! allocate, unlike a signal handler. It takes `CRITICAL` (a work-tree swap in progress ends
//! first: between its two exchanges a save may sit in the temporary file), then `HELD` (no file
//! can be created or renamed meanwhile), removes every file still held, and re-raises the signal.
//! A file is registered under `HELD` as it is created, and forgotten under `HELD` as it is removed
//! or renamed into place: a lock renamed over the index is never removed, and neither is a lock
//! another git command takes once ours is gone.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

/// The files held now, by registration number.
static HELD: Mutex<Vec<(u64, PathBuf)>> = Mutex::new(Vec::new());
/// Held through a sequence of renames that must not be cut short (`critical`).
static CRITICAL: Mutex<()> = Mutex::new(());
static NEXT_ID: AtomicU64 = AtomicU64::new(0);
/// Set by the signal handler itself: the process is going to die of a signal.
static ARRIVED: AtomicBool = AtomicBool::new(false);

fn held() -> MutexGuard<'static, Vec<(u64, PathBuf)>> {
    HELD.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Catches the signals, once, when the first file is registered: a run that holds no file (most
/// hook runs: the TOC is fresh) pays nothing, and a signal before it finds nothing to remove.
fn install_once() {
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(install);
}

#[cfg(unix)]
fn install() {
    use signal_hook::consts::signal::{SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGXFSZ};
    let fatal = [SIGINT, SIGTERM, SIGHUP, SIGQUIT];
    // A write past `ulimit -f` then fails with EFBIG (reported, the locks released) instead of
    // killing the process where it stands. A handler, not SIG_IGN: git's children get the default.
    let _ = signal_hook::flag::register(SIGXFSZ, &FILE_TOO_LARGE);
    // Without the thread that handles them (none could be started), the signals keep their
    // default action (taken over, they would be swallowed), and `finish` never waits.
    let keep_default = || {
        for signal in fatal {
            let always = std::sync::Arc::new(AtomicBool::new(true));
            let _ = signal_hook::flag::register_conditional_default(signal, always);
        }
    };
    let Ok(mut signals) = signal_hook::iterator::Signals::new(fatal) else { return keep_default() };
    let spawned = std::thread::Builder::new().name("signals".into()).spawn(move || {
        if let Some(signal) = signals.forever().next() {
            // Never released: nothing may be created, renamed or swapped until the process ends.
            let critical = CRITICAL.lock().unwrap_or_else(PoisonError::into_inner);
            let held = held();
            for (_, path) in held.iter() {
                let _ = std::fs::remove_file(path);
            }
            let _ = signal_hook::low_level::emulate_default_handler(signal);
            // Only if the signal could not end the process: git's status for it.
            drop((held, critical));
            std::process::exit(128 + signal);
        }
    });
    match spawned {
        Ok(_) => {
            for signal in fatal {
                let _ = signal_hook::flag::register(signal, &ARRIVED);
            }
        }
        // The iterator went with the closure: its actions are unregistered.
        Err(_) => keep_default(),
    }
}

#[cfg(unix)]
static FILE_TOO_LARGE: AtomicBool = AtomicBool::new(false);

#[cfg(not(unix))]
fn install() {}

/// Called as the run ends: if a signal arrived, the thread that took it is removing the files
/// and ending the process with the signal's status; the run must not end first with its own.
pub fn finish() {
    if ARRIVED.load(Ordering::SeqCst) {
        loop {
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }
}

/// A file git-kep created and must not leave behind: removed when dropped, or on a signal.
#[derive(Debug)]
pub struct Owned {
    id: u64,
}

impl Owned {
    /// Runs `create` (which makes the file and returns it with its path) and registers the path
    /// at once, so that a signal never finds the file created but not registered.
    pub fn create<T>(create: impl FnOnce() -> std::io::Result<(T, PathBuf)>) -> std::io::Result<(T, Owned)> {
        install_once();
        let mut held = held();
        let (made, path) = create()?;
        let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        held.push((id, path));
        Ok((made, Owned { id }))
    }

    /// Runs `release`, which renames or removes the file, and forgets it if that worked (else the
    /// file is removed, as on a drop), as one step for a signal.
    pub fn release<R>(self, release: impl FnOnce() -> std::io::Result<R>) -> std::io::Result<R> {
        let mut held = held();
        let result = release();
        if let Some(i) = held.iter().position(|(id, _)| *id == self.id) {
            let (_, path) = held.swap_remove(i);
            if result.is_err() {
                let _ = std::fs::remove_file(path);
            }
        }
        std::mem::forget(self);
        result
    }
}

impl Drop for Owned {
    fn drop(&mut self) {
        let mut held = held();
        if let Some(i) = held.iter().position(|(id, _)| *id == self.id) {
            let (_, path) = held.swap_remove(i);
            let _ = std::fs::remove_file(path);
        }
    }
}

/// Runs `f` to its end before a signal's cleanup starts (a swap and its swap back). `f` may
/// create and release files, but must not call `critical` again.
pub fn critical<R>(f: impl FnOnce() -> R) -> R {
    let _critical = CRITICAL.lock().unwrap_or_else(PoisonError::into_inner);
    f()
}

/// A temporary file that is removed on a signal too (`tempfile`'s removes itself when dropped).
pub struct TempFile {
    // Dropped first: `tempfile` removes the file, then `owned` forgets (and removes) the path.
    file: tempfile::NamedTempFile,
    owned: Owned,
}

impl TempFile {
    /// A new temporary file in `dir`, its name starting with `prefix`, made by `builder`.
    pub fn new_in(builder: &tempfile::Builder<'_, '_>, dir: &Path) -> std::io::Result<TempFile> {
        let (file, owned) = Owned::create(|| {
            let file = builder.tempfile_in(dir)?;
            let path = file.path().to_path_buf();
            Ok((file, path))
        })?;
        Ok(TempFile { file, owned })
    }

    pub fn path(&self) -> &Path {
        self.file.path()
    }

    pub fn as_file(&self) -> &std::fs::File {
        self.file.as_file()
    }

    /// Renames the file to `path`, replacing what is there (`noclobber`: failing if anything is).
    pub fn persist(self, path: &Path, noclobber: bool) -> std::io::Result<()> {
        let TempFile { file, owned } = self;
        owned.release(|| {
            let persisted = if noclobber { file.persist_noclobber(path) } else { file.persist(path) };
            persisted.map(drop).map_err(|err| err.error)
        })
    }
}

impl std::io::Write for TempFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.file.write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_forgotten_once_renamed_and_removed_when_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let registered = |path: &Path| held().iter().any(|(_, held)| held == path);
        let path = dir.path().join("a.lock");
        let (_, owned) = Owned::create(|| std::fs::write(&path, "x").map(|()| ((), path.clone()))).unwrap();
        assert!(registered(&path));
        owned.release(|| std::fs::rename(&path, dir.path().join("a"))).unwrap();
        assert!(!registered(&path) && dir.path().join("a").exists());
        let (_, owned) = Owned::create(|| std::fs::write(&path, "x").map(|()| ((), path.clone()))).unwrap();
        drop(owned);
        assert!(!registered(&path) && !path.exists());
        let temp = TempFile::new_in(tempfile::Builder::new().prefix(".git-kep-"), dir.path()).unwrap();
        let temp_path = temp.path().to_path_buf();
        assert!(registered(&temp_path));
        temp.persist(&dir.path().join("b"), true).unwrap();
        assert!(!registered(&temp_path) && dir.path().join("b").exists() && !temp_path.exists());
    }
}
