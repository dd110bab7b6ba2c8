//! One module per command: the glue between git, files and the TOC engine; each decides its exit code.

pub mod check;
pub mod docs;
pub mod fix;
pub mod init;
pub mod install;
pub mod list;
pub mod new;
pub mod post_rewrite;
pub mod pre_commit;
pub mod toc;

use crate::cli::TocFlags;
use crate::config::Settings;
use crate::diff;
use crate::error::{Error, Result};
use crate::files;
use crate::git::{ConfigLayers, Repo};
use crate::paint::Palette;
use crate::proposal_text;
use crate::toc::{Outcome, TocOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

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
        for (key, source, closest) in crate::config::unknown_keys(&layers) {
            let guess = closest.map(|known| format!(": did you mean {known}?")).unwrap_or_default();
            eprintln!("git-kep: warning: unknown setting {key} (in {source}){guess}");
        }
        if let Some(repo) = &mut repo {
            repo.use_storage(crate::git::Storage::read(&layers)?);
        }
        Ok(Context { repo, settings })
    }

    /// For the commands over proposals (`toc`, `check`, `list`, `new`, `fix`): without
    /// `kep.layout` or `kep.dir`, what `git kep init` would detect (the hook never scans: `git
    /// kep install` saves the detected layout in the local config).
    pub fn load_detecting(flags: &TocFlags) -> Result<Context> {
        let mut context = Context::load(flags)?;
        if !context.settings.layout_configured
            && let Some(repo) = &context.repo
            && let Some(workdir) = repo.workdir()
        {
            let detected = detect_layout(repo, workdir)?;
            if detected.found_any() {
                context.settings.use_detected(&detected);
            }
        }
        Ok(context)
    }
}

/// What `git kep init` detects in `repo`'s tracked files.
pub fn detect_layout(repo: &Repo, workdir: &Path) -> Result<crate::proposal::detect::Detected> {
    Ok(detect_in(&repo.tracked_paths()?, workdir))
}

/// What `git kep init` detects in these tracked paths.
pub fn detect_in(paths: &[String], workdir: &Path) -> crate::proposal::detect::Detected {
    // Only CI scripts are read, and none larger than a script is.
    let read = |path: &str| {
        let full = workdir.join(path);
        let own = std::fs::symlink_metadata(&full).is_ok_and(|m| m.is_file());
        own.then(|| files::read_small_text(&full, 1 << 20).ok()).flatten()
    };
    crate::proposal::detect::detect(paths, &read)
}

/// `--since REV` (`check`, `fix`): the merge base of REV and HEAD, or an error that says why
/// there is none and what to do (a shallow clone is CI's usual reason).
pub fn since_base(repo: &Repo, rev: &str) -> Result<String> {
    const UNSHALLOW: &str = "fetch the whole history: git fetch --unshallow";
    const CHECKOUT: &str = "in GitHub Actions, check out with `fetch-depth: 0` (actions/checkout)";
    match repo.merge_base(rev)? {
        crate::git::MergeBase::Found(base) => Ok(base),
        crate::git::MergeBase::NoSuchRevision { shallow } => {
            if shallow {
                return Err(Error::new(format!(
                    "--since {rev}: no such revision in this shallow clone (its history is cut off)"
                ))
                .hint(UNSHALLOW)
                .hint(CHECKOUT));
            }
            Err(Error::new(format!("--since {rev}: no such revision"))
                .hint("fetch it first (`git fetch origin`), e.g. --since origin/main")
                .hint(CHECKOUT)
                .hint("or name the commit before the change, e.g. --since HEAD~1"))
        }
        crate::git::MergeBase::None { shallow: true } => Err(Error::new(format!(
            "--since {rev}: no common ancestor with HEAD in this shallow clone (its history is cut off), so \
             nothing tells what changed since"
        ))
        .hint(UNSHALLOW)
        .hint(CHECKOUT)),
        crate::git::MergeBase::None { shallow: false } => Err(Error::new(format!(
            "--since {rev}: it shares no history with HEAD (unrelated histories), so nothing tells what changed since"
        ))
        .hint("name a commit HEAD descends from, e.g. the branch it was started from: --since origin/main")),
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

/// What a refresh over several files did.
#[derive(Debug, Default)]
pub struct Summary {
    /// Files whose TOC was (or, with `check`, would be) rewritten, or that git-kep cannot write
    /// as the style's tool does (reported, left as they are).
    pub stale: usize,
    /// Some file could not be read, parsed or written (already reported).
    pub failed: bool,
}

/// Refreshes (or with `check`, diffs on stdout) the TOC of each file; errors are reported as
/// they come and the other files are still processed. `explicit`: the user named these files,
/// so one without markers deserves a warning. The new contents are written first into the git
/// directory (`scope`), never beside the file, where a killed run would leave a copy that
/// `git add -A` stages; a file that leads outside the work tree is refused.
pub fn refresh_paths(
    paths: &[PathBuf],
    explicit: bool,
    options: &TocOptions,
    check: bool,
    (palette, scope): (&Palette, files::WriteScope<'_>),
    index: Option<&IndexSource<'_>>,
) -> Summary {
    let results = for_each_parallel(paths, |path| refresh_file(path, options, index));
    let mut summary = Summary::default();
    let mut stdout = std::io::stdout().lock();
    for (path, result) in paths.iter().zip(results) {
        let shown = crate::paint::printable(&files::display_path(path)).into_owned();
        match result {
            Err(err) => {
                summary.failed = true;
                report(&err);
            }
            Ok((_, Outcome::NoMarkers)) if explicit => {
                eprintln!("warning: {shown}: no `{}` marker, nothing to do", options.style.family().start_marker());
            }
            Ok((_, Outcome::NoMarkers | Outcome::Fresh)) => {}
            Ok((_, Outcome::Unmatched { line, reason })) => {
                summary.stale += 1;
                eprintln!("warning: {shown}:{line}: {reason}; left as it is");
            }
            Ok((old, Outcome::Stale(new))) => {
                summary.stale += 1;
                if check {
                    let text = diff::unified(palette, &shown, &old, &new);
                    if write_or_exit_quietly(&mut stdout, text.as_bytes()) {
                        return summary;
                    }
                } else {
                    match files::write_atomically(path, old.as_bytes(), new.as_bytes(), scope) {
                        Ok(files::Placed::Replaced) => eprintln!("Updated the TOC of {shown}"),
                        Ok(files::Placed::ChangedMeanwhile) => {
                            summary.failed = true;
                            eprintln!("warning: {shown}: saved while git-kep read it; left as saved (run again)");
                        }
                        Ok(files::Placed::EarlierSaveKeptAt(kept)) => {
                            summary.failed = true;
                            eprintln!(
                                "warning: {shown}: saved twice while git-kep read it; it holds the latest save, \
                                 the earlier one is at {}",
                                files::display_path(&kept)
                            );
                        }
                        Err(err) => {
                            summary.failed = true;
                            report(&err);
                        }
                    }
                }
            }
        }
    }
    summary
}

/// The `.md` files under the proposals directory (only those with markers get touched), for
/// `git kep COMMAND` run without paths (its hints name it).
pub fn proposal_files(context: &Context, command: &str) -> Result<Vec<PathBuf>> {
    let Some(repo) = &context.repo else {
        return Err(Error::new("not inside a git repository, so there is no proposals directory")
            .hint(format!("name the files instead: git kep {command} FILE...")));
    };
    let Some(workdir) = repo.workdir() else {
        return Err(Error::new("this is a bare repository: it has no work-tree files")
            .hint(format!("run `git kep {command}` in a clone with a work tree")));
    };
    let dir = workdir.join(&context.settings.dir);
    // A committed symlink `proposals -> ../elsewhere` would have git-kep rewrite files there.
    files::resolve_inside(&dir, workdir)?;
    if !dir.is_dir() {
        // No proposals yet (a repository `init` found none in): nothing to refresh or check, which
        // a CI job must not fail on; said in case the setting is a typo.
        say(format_args!(
            "git-kep: warning: the proposals directory `{}` does not exist: no proposals yet, nothing to {}\n\
             hint: set it with `git config {} DIR` or in .kepconfig, or pass the files",
            context.settings.dir,
            if command == "toc" { "refresh" } else { command },
            crate::config::KEY_DIR
        ));
        return Ok(Vec::new());
    }
    // Each pattern's own folder where the patterns have several below the shared one
    // (`docs/proposal/` and `docs/adr/`: not the rest of `docs/`).
    let roots = context.settings.layout.roots();
    let mut found = Vec::new();
    if roots.len() > 1 && roots.iter().all(|root| !root.is_empty() && *root != context.settings.dir) {
        for root in roots {
            let folder = workdir.join(&root);
            if folder.is_dir() {
                files::resolve_inside(&folder, workdir)?;
                found.extend(files::markdown_files(&folder)?);
            }
        }
        return Ok(files::without_repeats(found));
    }
    files::markdown_files(&dir)
}

/// Reads a file and regenerates its TOC: the old text and the outcome.
fn refresh_file(path: &Path, options: &TocOptions, index: Option<&IndexSource<'_>>) -> Result<(String, Outcome)> {
    let shown = PathBuf::from(files::display_path(path));
    let bytes = files::read_document(path).map_err(|err| Error::new(format!("cannot read: {err}")).at(&shown, None))?;
    let text = proposal_text::decode(&shown, &bytes)?;
    let mut outcome = crate::toc::regenerate(text, options).map_err(|err| proposal_text::marker_error(&shown, &err))?;
    // A proposal index in the file: refreshed from the proposals as they are now.
    if let Some(index) = index.filter(|_| text.contains(crate::proposal::index::START)) {
        let current = match &outcome {
            Outcome::Stale(new) => new.as_str(),
            _ => text,
        };
        let rows = index.rows_for(path);
        let refreshed = crate::proposal::index::refresh(current, &rows, index.row_template)
            .map_err(|err| Error::new(err.message).at(&shown, Some(err.line)))?;
        if let Some(new) = refreshed {
            outcome = Outcome::Stale(new);
        }
    }
    let old = if matches!(outcome, Outcome::Stale(_)) { text.to_owned() } else { String::new() };
    Ok((old, outcome))
}

/// What an index is made of: the work tree's proposals, read once for every index file.
pub struct IndexSource<'a> {
    pub workdir: &'a Path,
    pub layout: &'a crate::proposal::layout::Layout,
    pub row_template: &'a str,
}

impl IndexSource<'_> {
    fn rows_for(&self, index_file: &Path) -> Vec<crate::proposal::index::Row> {
        let workdir = std::fs::canonicalize(self.workdir).unwrap_or_else(|_| self.workdir.to_path_buf());
        let file = std::fs::canonicalize(index_file).unwrap_or_else(|_| index_file.to_path_buf());
        let dir =
            file.parent().and_then(|d| d.strip_prefix(&workdir).ok()).map(|d| d.to_string_lossy().replace('\\', "/"));
        crate::worktree::index::rows(self.workdir, self.layout, &dir.unwrap_or_default())
    }
}
