//! `git kep fix`: links from other files to headings a change renamed, pointed at the new
//! anchors in the work tree (the hook only reports those: it never edits a file not staged).

use super::Context;
use crate::cli::FixArgs;
use crate::error::{EXIT_FINDINGS, Error, Result};
use crate::files;
use crate::proposal::links::{self, Anchors};
use crate::toc::github_view;
use crate::worktree::cross_links::{RenamedTarget, linking_files, rewrite_file};
use std::path::{Path, PathBuf};

pub fn run(args: &FixArgs) -> Result<u8> {
    let context = Context::load_detecting(&Default::default())?;
    let Some(repo) = &context.repo else {
        return Err(Error::new("not inside a git repository").hint("cd into your proposals repository first"));
    };
    let Some(workdir) = repo.workdir().map(Path::to_path_buf) else {
        return Err(Error::new("this is a bare repository: it has no work-tree files to fix"));
    };
    let since = args.since.as_deref().unwrap_or("HEAD");
    let base = super::since_base(repo, since)?;
    let dir = workdir.join(&context.settings.dir);
    let mut targets = Vec::new();
    // A moved or renamed proposal is compared with its old path (git's rename detection).
    let renames = repo.renamed_since(&base, &context.settings.dir, false)?;
    for changed in repo.changed_since(&base, &context.settings.dir, false)? {
        if !changed.ends_with(".md") {
            continue;
        }
        let now = files::read_document(&workdir.join(&changed)).ok().and_then(|bytes| String::from_utf8(bytes).ok());
        let before = match repo.version_at(&base, renames.get(&changed).unwrap_or(&changed))? {
            crate::git::Version::Present(bytes) => Some(bytes),
            crate::git::Version::Absent => None,
            crate::git::Version::Unavailable(why) => {
                eprintln!(
                    "warning: {changed}: its version at --since cannot be read ({why}): its renamed headings are unknown"
                );
                None
            }
        };
        let (Some(before), Some(now)) = (before, now) else {
            continue;
        };
        let now_view = github_view(&now);
        let renames = links::renames(&github_view(&String::from_utf8_lossy(&before)), &now_view);
        if !renames.is_empty() {
            targets.push(RenamedTarget { path: changed, renames, anchors: Anchors::of(&now_view) });
        }
    }
    // Only the files named, where PATHs are given.
    let named: Vec<PathBuf> =
        args.paths.iter().map(|p| std::fs::canonicalize(p).unwrap_or_else(|_| p.clone())).collect();
    let is_named = |path: &Path| {
        named.is_empty() || std::fs::canonicalize(path).is_ok_and(|path| named.iter().any(|n| path.starts_with(n)))
    };
    let mut found = 0;
    let mut to_write: Vec<(PathBuf, String)> = Vec::new();
    for target in &targets {
        for file in linking_files(&workdir, &dir, target).into_iter().filter(|f| is_named(&f.path)) {
            for edit in &file.rewritten.edits {
                let verb = if args.check { "links to" } else { "fixed: linked to" };
                println!(
                    "{}:{}: {verb} #{}, renamed to #{} in {}",
                    file.file,
                    file.line(edit.offset),
                    edit.old,
                    edit.new,
                    target.path
                );
                found += 1;
            }
            for left in &file.rewritten.left {
                eprintln!(
                    "{}:{}: links to #{} in {}: {}",
                    file.file,
                    file.line(left.offset),
                    left.anchor,
                    target.path,
                    left.why.explain()
                );
            }
            if file.rewritten.text.is_some() && !to_write.iter().any(|(path, _)| *path == file.path) {
                to_write.push((file.path, file.text));
            }
        }
    }
    if args.check {
        return Ok(if found == 0 { 0 } else { EXIT_FINDINGS });
    }
    for (path, old) in to_write {
        // A file that links to several renamed proposals takes each one's rewrite in turn.
        let new = targets
            .iter()
            .fold(old.clone(), |text, target| rewrite_file(&workdir, &path, &text, target).text.unwrap_or(text));
        match files::write_atomically(&path, old.as_bytes(), new.as_bytes(), files::WriteScope::of(Some(repo)))? {
            files::Placed::Replaced => {}
            _ => eprintln!("warning: {} was saved meanwhile: left as saved (run again)", files::display_path(&path)),
        }
    }
    Ok(0)
}
