//! HEAD, commits and branches, and the git commands that change them (switch, add, rm, commit).

use super::{Backend, Repo, not_found_as_none};
use crate::error::{Error, Result};
use git2::{ErrorCode, Oid};
use std::path::{Path, PathBuf};

impl Repo {
    pub fn head_state(&self) -> Result<HeadState> {
        match self.lib()?.head() {
            Ok(head) => {
                let oid = head.peel_to_commit()?.id();
                match head.name() {
                    Ok(name) if head.is_branch() => Ok(HeadState::Branch(name.to_owned(), oid)),
                    _ => Ok(HeadState::Detached(oid)),
                }
            }
            Err(err) if matches!(err.code(), ErrorCode::UnbornBranch | ErrorCode::NotFound) => {
                let head = self.lib()?.find_reference("HEAD")?;
                let target = head.symbolic_target().ok().flatten().unwrap_or("refs/heads/main").to_owned();
                Ok(HeadState::Unborn(target))
            }
            Err(err) => Err(err.into()),
        }
    }

    /// The commit a revision names, `None` if it names none.
    pub fn resolve_commit(&self, rev: &str) -> Result<Option<Oid>> {
        match self.lib()?.revparse_single(rev).and_then(|object| object.peel_to_commit()) {
            Ok(commit) => Ok(Some(commit.id())),
            Err(err) if matches!(err.code(), ErrorCode::NotFound | ErrorCode::InvalidSpec | ErrorCode::Ambiguous) => {
                Ok(None)
            }
            Err(err) if err.class() == git2::ErrorClass::Object || err.class() == git2::ErrorClass::Reference => {
                Ok(None)
            }
            Err(err) => Err(err.into()),
        }
    }

    /// The merge base of `rev` and HEAD, or why there is none.
    pub fn merge_base(&self, rev: &str) -> Result<MergeBase> {
        let commit = format!("{rev}^{{commit}}");
        if self.run_git(&["rev-parse", "--verify", "-q", &commit]).is_err() {
            return Ok(MergeBase::NoSuchRevision { shallow: self.is_shallow() });
        }
        match self.run_git_with_input(&["merge-base", &commit, "HEAD"], &[]) {
            Ok(base) => Ok(MergeBase::Found(base.trim().to_owned())),
            // Exit 1 and nothing said: no common ancestor (unrelated, or cut off by a shallow clone).
            Err(failure) if failure.stderr.trim().is_empty() => Ok(MergeBase::None { shallow: self.is_shallow() }),
            Err(failure) => Err(failure.into()),
        }
    }

    /// Whether this is a shallow clone (`git clone --depth`, CI's default checkout).
    pub fn is_shallow(&self) -> bool {
        self.run_git(&["rev-parse", "--is-shallow-repository"]).is_ok_and(|out| out.trim() == "true")
    }

    /// The files under `dir` added or changed since `base`: in the index (`staged`) or the work
    /// tree, untracked ones included there. Deleted files are not listed.
    pub fn changed_since(&self, base: &str, dir: &str, staged: bool) -> Result<Vec<String>> {
        let pathspec = format!(":(top,literal){dir}");
        let mut args = vec!["diff", "--name-only", "-z", "--no-renames", "--diff-filter=d"];
        if staged {
            args.push("--cached");
        }
        args.extend([base, "--", &pathspec]);
        let mut changed: Vec<String> =
            self.run_git(&args)?.split('\0').filter(|p| !p.is_empty()).map(str::to_owned).collect();
        if !staged {
            let untracked =
                self.run_git(&["ls-files", "--others", "--exclude-standard", "-z", "--full-name", "--", &pathspec])?;
            changed.extend(untracked.split('\0').filter(|p| !p.is_empty()).map(str::to_owned));
        }
        changed.sort();
        changed.dedup();
        Ok(changed)
    }

    /// The files under `dir` that git's rename detection finds moved or renamed since `base` (in
    /// the index with `staged`, else in the work tree): new path to old path. A moved proposal
    /// is compared with its old version, not taken for a new file.
    pub fn renamed_since(&self, base: &str, dir: &str, staged: bool) -> Result<Renames> {
        let pathspec = format!(":(top,literal){dir}");
        let mut args = vec!["diff", "--name-status", "-z", "-M", "--diff-filter=R"];
        if staged {
            args.push("--cached");
        }
        args.extend([base, "--", &pathspec]);
        Ok(parse_renames(&self.run_git(&args)?))
    }

    /// The files under `dir` a commit added or changed, compared with its first parent (every
    /// file of a root commit; a merge as `git log --first-parent` shows it): what it brought.
    pub fn changed_in(&self, commit: &str, dir: &str) -> Result<Vec<String>> {
        let pathspec = format!(":(top,literal){dir}");
        let args = [
            "diff-tree",
            "-r",
            "--root",
            "--no-commit-id",
            "--name-only",
            "-z",
            "--diff-filter=d",
            "--diff-merges=first-parent",
            commit,
            "--",
            &pathspec,
        ];
        Ok(self.run_git(&args)?.split('\0').filter(|p| !p.is_empty()).map(str::to_owned).collect())
    }

    /// A commit's abbreviated id and subject line, as `git log --oneline` shows them.
    pub fn one_line(&self, commit: &str) -> Result<String> {
        Ok(self.run_git(&["log", "-1", "--format=%h %s", commit])?.trim_end().to_owned())
    }

    /// The content of `path` at commit `rev`, `None` if it has no such file; an error if it has
    /// one whose content cannot be had (see `version_at`).
    pub fn file_at(&self, rev: &str, path: &str) -> Result<Option<Vec<u8>>> {
        match self.version_at(rev, path)? {
            Version::Present(bytes) => Ok(Some(bytes)),
            Version::Absent => Ok(None),
            Version::Unavailable(why) => Err(Error::new(why)),
        }
    }

    /// `path` at commit `rev`: its content, no such file, or a file whose blob is not here and
    /// could not be fetched (a partial clone offline): never taken for a new file.
    pub fn version_at(&self, rev: &str, path: &str) -> Result<Version> {
        let spec = format!("{rev}:{path}");
        let Backend::Libgit2(repo) = &self.backend else {
            return Ok(match super::cli::run_for_bytes(self.workdir(), &["cat-file", "blob", &spec], &[]) {
                Ok(bytes) => Version::Present(bytes),
                Err(_) if self.run_git(&["ls-tree", "--name-only", rev, "--", path]).is_ok_and(|l| l.is_empty()) => {
                    Version::Absent
                }
                Err(failure) => Version::Unavailable(failure.stderr),
            });
        };
        let Ok(tree) = repo.revparse_single(rev).and_then(|object| object.peel_to_tree()) else {
            return Ok(Version::Absent);
        };
        let Ok(entry) = tree.get_path(Path::new(path)) else { return Ok(Version::Absent) };
        if entry.kind() != Some(git2::ObjectType::Blob) {
            return Ok(Version::Absent);
        }
        Ok(match self.read_blob(super::ObjectId::from_oid(entry.id())) {
            Ok(bytes) => Version::Present(bytes),
            Err(err) => Version::Unavailable(err.to_string().trim_start_matches("error: ").to_owned()),
        })
    }

    /// The staged content of `path` (stage 0), `None` if the index has none.
    pub fn staged_file(&self, path: &str) -> Result<Option<Vec<u8>>> {
        match &self.backend {
            Backend::Libgit2(repo) => {
                let Some(entry) = repo.index()?.get_path(Path::new(path), 0) else { return Ok(None) };
                Ok(Some(repo.find_blob(entry.id)?.content().to_vec()))
            }
            Backend::GitOnly(_) => self.file_at("", path),
        }
    }

    pub fn branch_exists(&self, branch: &str) -> Result<bool> {
        Ok(not_found_as_none(self.lib()?.find_reference(&format!("refs/heads/{branch}")))?.is_some())
    }

    /// The tree of `dir` in a commit, `None` when the commit has no such directory.
    pub fn dir_tree_at(&self, commit: Oid, dir: &str) -> Result<Option<Oid>> {
        let tree = self.lib()?.find_commit(commit)?.tree()?;
        Ok(match dir {
            "" => Some(tree.id()),
            dir => match tree.get_path(Path::new(dir)) {
                Ok(entry) if entry.kind() == Some(git2::ObjectType::Tree) => Some(entry.id()),
                _ => None,
            },
        })
    }

    /// The directories under a tree for which `is_leaf` holds (paths relative to it), searching
    /// the others recursively.
    pub fn leaf_dirs_in(&self, tree: Oid, is_leaf: &dyn Fn(&str) -> bool) -> Result<Vec<String>> {
        let mut found = Vec::new();
        let mut pending = vec![(String::new(), self.lib()?.find_tree(tree)?)];
        while let Some((prefix, tree)) = pending.pop() {
            for entry in tree.iter().filter(|e| e.kind() == Some(git2::ObjectType::Tree)) {
                let Ok(name) = entry.name() else { continue };
                let path = if prefix.is_empty() { name.to_owned() } else { format!("{prefix}/{name}") };
                if is_leaf(name) {
                    found.push(path);
                } else if !name.starts_with('.') {
                    pending.push((path, self.lib()?.find_tree(entry.id())?));
                }
            }
        }
        Ok(found)
    }

    /// Every file path under a tree (relative to it), down to `depth` folders: what a branch
    /// holds under a layout's root.
    pub fn paths_in(&self, tree: Oid, depth: usize) -> Result<Vec<String>> {
        let mut found = Vec::new();
        let mut pending = vec![(String::new(), 1, self.lib()?.find_tree(tree)?)];
        while let Some((prefix, level, tree)) = pending.pop() {
            for entry in tree.iter() {
                let Ok(name) = entry.name() else { continue };
                let path = if prefix.is_empty() { name.to_owned() } else { format!("{prefix}/{name}") };
                match entry.kind() {
                    Some(git2::ObjectType::Tree) if level < depth && !name.starts_with('.') => {
                        pending.push((path, level + 1, self.lib()?.find_tree(entry.id())?));
                    }
                    Some(git2::ObjectType::Blob) => found.push(path),
                    _ => {}
                }
            }
        }
        Ok(found)
    }

    /// The commits of every local and remote-tracking branch, with the branch's name.
    pub fn branch_tips(&self) -> Result<Vec<(String, Oid)>> {
        let mut tips = Vec::new();
        for reference in self.lib()?.references()? {
            let reference = reference?;
            let Ok(name) = reference.name() else { continue };
            if !(name.starts_with("refs/heads/") || name.starts_with("refs/remotes/")) {
                continue;
            }
            if let Ok(commit) = reference.peel_to_commit() {
                tips.push((name.to_owned(), commit.id()));
            }
        }
        Ok(tips)
    }

    /// Creates `branch` at `base` and switches to it the way `git switch -c` does: local changes
    /// are carried over, and a checkout that would overwrite them is refused (nothing changes).
    /// On an unborn HEAD without a base, the new branch starts unborn too.
    pub fn switch_to_new_branch(&self, branch: &str, base: Option<Oid>) -> Result<()> {
        match base {
            None => {
                self.lib()?.set_head(&format!("refs/heads/{branch}"))?;
                Ok(())
            }
            Some(base) => self.run_git(&["switch", "--quiet", "--create", branch, &base.to_string()]).map(drop),
        }
    }

    /// Switches back to where HEAD was and deletes `branch` (undoing `switch_to_new_branch`).
    pub fn undo_switch(&self, original: &HeadState, branch: &str) -> Result<()> {
        match original {
            HeadState::Unborn(reference) => self.lib()?.set_head(reference)?,
            HeadState::Branch(reference, _) => {
                let short = reference.strip_prefix("refs/heads/").unwrap_or(reference);
                self.run_git(&["switch", "--quiet", short])?;
            }
            HeadState::Detached(oid) => {
                self.run_git(&["switch", "--quiet", "--detach", &oid.to_string()])?;
            }
        }
        if let Some(mut reference) = not_found_as_none(self.lib()?.find_reference(&format!("refs/heads/{branch}")))? {
            reference.delete()?;
        }
        Ok(())
    }

    /// Adds these work-tree paths (relative to the work-tree root) to the index (`git add -f`:
    /// new proposal files are staged even if an ignore rule matches them).
    pub fn stage_paths(&self, paths: &[String]) -> Result<()> {
        let mut args = vec!["add", "--force", "--"];
        args.extend(paths.iter().map(String::as_str));
        self.run_git(&args).map(drop)
    }

    /// Removes these paths from the index again (undoing `stage_paths` for new files).
    pub fn unstage_paths(&self, paths: &[String]) -> Result<()> {
        let mut args = vec!["rm", "--cached", "--quiet", "--ignore-unmatch", "--"];
        args.extend(paths.iter().map(String::as_str));
        self.run_git(&args).map(drop)
    }

    /// Commits exactly these paths with `message` (`git commit -- paths`: hooks and signing run
    /// as the user configured them; other staged changes stay staged).
    pub fn commit_paths(&self, message: &str, paths: &[String]) -> Result<()> {
        let mut args = vec!["commit", "--quiet", "--message", message, "--"];
        args.extend(paths.iter().map(String::as_str));
        self.run_git(&args).map(drop)
    }

    /// The directory git runs hooks from (honours `core.hooksPath` and linked worktrees).
    pub fn hooks_dir(&self) -> Result<PathBuf> {
        let output = self.run_git(&["rev-parse", "--git-path", "hooks"])?;
        let path = PathBuf::from(output.trim_end_matches(['\n', '\r']));
        let cwd = self.workdir().unwrap_or_else(|| self.temp_dir());
        Ok(if path.is_absolute() { path } else { cwd.join(path) })
    }

    /// Where `core.hooksPath` is set, when it names one directory shared by other repositories:
    /// its scope (`global`, `system`, `command`) and the file that sets it. A relative path, or
    /// one set in this repository's own config, is this repository's alone.
    pub fn shared_hooks_path(&self) -> Option<(String, String)> {
        let listed = self.run_git(&["config", "--show-scope", "--show-origin", "--get", "core.hooksPath"]).ok()?;
        let mut parts = listed.trim_end_matches(['\n', '\r']).splitn(3, '\t');
        let (scope, origin, value) = (parts.next()?, parts.next()?, parts.next()?);
        let absolute = value.starts_with('/') || value.starts_with('~') || Path::new(value).is_absolute();
        (absolute && matches!(scope, "global" | "system" | "command"))
            .then(|| (scope.to_owned(), origin.strip_prefix("file:").unwrap_or(origin).to_owned()))
    }
}

/// Where HEAD is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeadState {
    /// On a branch with no commits yet (`refs/heads/...`).
    Unborn(String),
    /// On a branch (`refs/heads/...`) at a commit.
    Branch(String, Oid),
    Detached(Oid),
}

impl Repo {
    /// The paths whose staged content differs from HEAD (all of them before the first commit).
    pub fn staged_paths(&self) -> Result<Vec<String>> {
        let listed = match self.run_git(&["rev-parse", "--verify", "-q", "HEAD"]) {
            Ok(_) => self.run_git(&["-c", "core.quotePath=false", "diff", "--cached", "--name-only", "-z"])?,
            Err(_) => self.run_git(&["-c", "core.quotePath=false", "ls-files", "-z"])?,
        };
        Ok(listed.split('\0').filter(|p| !p.is_empty()).map(str::to_owned).collect())
    }

    /// Every path the index tracks (work-tree relative, `/`-separated), as `git ls-files` lists
    /// them: what `git kep init` reads a repository's layout from.
    pub fn tracked_paths(&self) -> Result<Vec<String>> {
        let listed = self.run_git(&["-c", "core.quotePath=false", "ls-files", "-z"])?;
        Ok(listed.split('\0').filter(|p| !p.is_empty()).map(str::to_owned).collect())
    }

    /// Whether git ignores `path` (work-tree relative): `git check-ignore`.
    pub fn is_ignored(&self, path: &str) -> bool {
        self.run_git(&["check-ignore", "-q", "--", path]).is_ok()
    }

    /// Sets `key` in `file` (git config syntax, created if missing), or in the repository's own
    /// config when `file` is `None`; git writes it, under its own lock.
    pub fn write_config(&self, file: Option<&Path>, key: &str, value: &str) -> Result<()> {
        match file {
            Some(file) => {
                let file = file.to_string_lossy();
                self.run_git(&["config", "--file", &file, "--replace-all", key, value])?;
            }
            None => {
                self.run_git(&["config", "--local", "--replace-all", key, value])?;
            }
        }
        Ok(())
    }
}

/// What `--since REV` compares with: the merge base of REV and HEAD, or why there is none, and
/// whether the clone is shallow (its history cut off: the likely reason).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MergeBase {
    Found(String),
    NoSuchRevision { shallow: bool },
    None { shallow: bool },
}

/// Files moved or renamed: new path to old path.
pub type Renames = std::collections::HashMap<String, String>;

/// `git diff --name-status -z -M --diff-filter=R`: `R<score>`, the old path, the new path.
pub(super) fn parse_renames(listing: &str) -> Renames {
    let mut renames = Renames::new();
    let mut fields = listing.split('\0');
    while let Some(status) = fields.next().filter(|status| !status.is_empty()) {
        let (Some(old), Some(new)) = (fields.next(), fields.next()) else { break };
        if status.starts_with('R') {
            renames.insert(new.to_owned(), old.to_owned());
        }
    }
    renames
}

/// A file at a commit (`Repo::version_at`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Version {
    Present(Vec<u8>),
    Absent,
    /// Its blob is not here and git could not fetch it: why.
    Unavailable(String),
}
