//! One module per command: the glue between git, files and the TOC engine; each decides its exit code.

pub mod check;
pub mod docs;
pub mod fix;
pub mod install;
pub mod list;
pub mod new;
pub mod pre_commit;
pub mod toc;

use crate::cli::TocFlags;
use crate::config::Settings;
use crate::error::Result;
use crate::git::{ConfigLayers, Repo};
use std::io::Write;

/// The repository (if any) and the settings for it.
pub struct Context {
    pub repo: Option<Repo>,
    pub settings: Settings,
}

impl Context {
    pub fn load(flags: &TocFlags) -> Result<Context> {
        let mut repo = Repo::open()?;
        let layers = match &repo {
            Some(repo) => repo.config_layers()?,
            None => ConfigLayers::none()?,
        };
        let settings = Settings::load(&layers, flags)?;
        if let Some(repo) = &mut repo {
            repo.use_storage(crate::git::Storage::read(&layers)?);
        }
        Ok(Context { repo, settings })
    }
}

/// Prints an error the way every command does: `path:line: message` and `hint:` lines.
pub fn report(err: &crate::error::Error) {
    say(format_args!("{}", crate::paint::printable(&err.to_string())));
}

/// Writes a line to stderr in one system call. Stderr is unbuffered, so `eprintln!` writes each
/// piece of its format separately: a dozen calls a line, which the hook pays on every commit.
pub fn say(line: std::fmt::Arguments) {
    let mut text = line.to_string();
    text.push('\n');
    // Like eprintln!, except that a closed stderr is not worth a panic.
    let _ = std::io::stderr().write_all(text.as_bytes());
}

/// Writes text made of whole lines to stderr in one system call (nothing for no text).
pub fn say_all(text: &str) {
    if !text.is_empty() {
        let _ = std::io::stderr().write_all(text.as_bytes());
    }
}

/// Writes to stdout; `true` when the reader went away (a closed pipe is not an error).
pub fn write_or_exit_quietly(out: &mut impl Write, bytes: &[u8]) -> bool {
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => false,
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => true,
        Err(err) => {
            eprintln!("error: cannot write to stdout: {err}");
            true
        }
    }
}

/// Runs `work` on every item on all cores, results in input order. Workers take the next item
/// as they finish one, so a few large files do not leave a core idle.
pub fn for_each_parallel<T: Sync, R: Send>(items: &[T], work: impl Fn(&T) -> R + Sync) -> Vec<R> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).min(items.len());
    if workers <= 1 {
        return items.iter().map(work).collect();
    }
    let next = AtomicUsize::new(0);
    let drain = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else { break done };
            done.push((i, work(item)));
        }
    };
    let mut indexed: Vec<(usize, R)> = std::thread::scope(|scope| {
        // Workers that cannot be started (a process limit) are simply fewer: this thread drains
        // whatever they leave.
        let handles: Vec<_> =
            (1..workers).filter_map(|_| std::thread::Builder::new().spawn_scoped(scope, drain).ok()).collect();
        let mut indexed = drain();
        for handle in handles {
            match handle.join() {
                Ok(done) => indexed.extend(done),
                // A worker that panicked is a bug: let it end the program as it would have.
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        indexed
    });
    indexed.sort_unstable_by_key(|(i, _)| *i);
    indexed.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parallel_results_keep_their_order() {
        let items: Vec<u32> = (0..2000).collect();
        let want: Vec<u32> = items.iter().map(|i| i * 2).collect();
        assert_eq!(for_each_parallel(&items, |&i| i * 2), want);
        // Slow items early: the workers finish out of order.
        let slow_first = |&i: &u32| {
            if i < 4 {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            i * 2
        };
        assert_eq!(for_each_parallel(&items, slow_first), want);
    }
}
