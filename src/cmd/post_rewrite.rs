//! `git kep post-rewrite`: after `git commit --amend` and `git rebase`, the rewritten commits
//! whose proposals carry a stale TOC, said. git runs no pre-commit hook for the commits a rebase
//! replays, nor for the merges `--rebase-merges` recreates (`git commit -n`), so those can carry
//! a stale TOC; this hook cannot change them (git ignores its exit), only say which and how.

use super::Context;
use crate::cli::PostRewriteArgs;
use crate::error::Result;
use crate::toc::Outcome;
use std::io::BufRead;

/// The most rewritten commits looked at: a rebase of thousands of commits is not held up.
const MOST_COMMITS: usize = 1000;

pub fn run(args: &PostRewriteArgs) -> Result<u8> {
    let context = Context::load(&Default::default())?;
    let Some(repo) = &context.repo else { return Ok(0) };
    // git's list on stdin: `OLD NEW [EXTRA]` a line, one per rewritten commit.
    let mut rewritten: Vec<String> = Vec::new();
    for line in std::io::stdin().lock().lines().map_while(std::result::Result::ok) {
        if let Some(new) = line.split_whitespace().nth(1)
            && !rewritten.iter().any(|seen| seen == new)
        {
            rewritten.push(new.to_owned());
        }
    }
    let mut stale: Vec<(String, Vec<String>)> = Vec::new();
    // The stale files of the last commit rewritten (HEAD's), which `--amend` can refresh.
    let mut last_commits_paths: Vec<String> = Vec::new();
    for commit in rewritten.iter().take(MOST_COMMITS) {
        let mut paths = Vec::new();
        for path in repo.changed_in(commit, &context.settings.dir)?.into_iter().filter(|p| p.ends_with(".md")) {
            let Ok(Some(bytes)) = repo.file_at(commit, &path) else { continue };
            if bytes.len() > crate::toc::MAX_DOCUMENT_BYTES {
                continue;
            }
            let Ok(text) = std::str::from_utf8(&bytes) else { continue };
            if let Ok(Outcome::Stale(_)) = crate::toc::regenerate(text, &context.settings.toc) {
                paths.push(path);
            }
        }
        if !paths.is_empty() {
            if Some(commit) == rewritten.last() {
                last_commits_paths = paths.clone();
            }
            stale.push((repo.one_line(commit)?, paths));
        }
    }
    if stale.is_empty() {
        return Ok(0);
    }
    let what = match args.operation.as_deref() {
        Some("amend") => "`git commit --amend`",
        Some("rebase") => "the rebase",
        _ => "the rewrite",
    };
    let count = stale.len();
    let mut text = format!(
        "git-kep: warning: {what} made {count} commit{} with a stale table of contents (git runs no pre-commit \
         hook for the commits a rebase replays or the merges it recreates):\n",
        if count == 1 { "" } else { "s" }
    );
    for (commit, paths) in &stale {
        text.push_str(&format!("  {}: {}\n", crate::paint::printable(commit), paths.join(", ")));
    }
    // The last commit's own files, refreshed and amended: nothing else of the work tree.
    if !last_commits_paths.is_empty() {
        let files: Vec<String> = last_commits_paths.iter().map(|p| crate::paint::shell_word(p).into_owned()).collect();
        let files = files.join(" ");
        text.push_str(&format!(
            "hint: for the last commit: git kep toc {files} && git commit --amend --no-edit -- {files}\n"
        ));
    }
    text.push_str(
        "hint: for earlier ones: git rebase -i --exec 'git kep toc --check' BASE (then fix each that stops)\n",
    );
    super::say(format_args!("{}", text.trim_end()));
    Ok(0)
}
