//! All access to git: the only module that uses git2 or runs `git`, so every git operation can be
//! audited in one place. It reports facts (missing things become `Option`), never user messages.

use crate::error::{Error, Result};
use git2::{ErrorCode, FileMode, Index, IndexEntry, Oid, Repository, RepositoryState};
use std::path::{Path, PathBuf};
use std::process::Command;

pub const MODE_SYMLINK: u32 = 0o120000;
pub const MODE_SUBMODULE: u32 = 0o160000;

/// An open repository with the index git told us to use.
pub struct Repo {
    repo: Repository,
}

/// A path that differs between HEAD and the index (stage 0), or is in conflict.
#[derive(Debug, Clone)]
pub struct StagedFile {
    /// Repository-relative path with `/` separators.
    pub path: String,
    pub mode: u32,
    pub blob: Oid,
}

/// What the index holds under a directory, relative to HEAD.
#[derive(Debug, Default)]
pub struct StagedChanges {
    pub files: Vec<StagedFile>,
    /// Paths with unmerged (conflict) entries.
    pub conflicted: Vec<String>,
}

impl Repo {
    /// Opens the repository git's environment names (`GIT_DIR`, `GIT_WORK_TREE`,
    /// `GIT_INDEX_FILE`: the hook under `git commit -a` must use `.git/index.lock`), else the one
    /// around the current directory. `None` outside any repository.
    pub fn open() -> Result<Option<Repo>> {
        match Repository::open_from_env() {
            Ok(repo) => Ok(Some(Repo { repo })),
            Err(err) if err.code() == ErrorCode::NotFound => Ok(None),
            Err(err) => Err(err.into()),
        }
    }

    /// The work tree's root, `None` in a bare repository.
    pub fn workdir(&self) -> Option<&Path> {
        self.repo.workdir()
    }

    pub fn is_bare(&self) -> bool {
        self.repo.is_bare()
    }

    /// A merge, rebase, cherry-pick, revert or bisect in progress, by name.
    pub fn operation_in_progress(&self) -> Option<&'static str> {
        match self.repo.state() {
            RepositoryState::Clean => None,
            RepositoryState::Merge => Some("merge"),
            RepositoryState::Revert | RepositoryState::RevertSequence => Some("revert"),
            RepositoryState::CherryPick | RepositoryState::CherryPickSequence => Some("cherry-pick"),
            RepositoryState::Bisect => Some("bisect"),
            _ => Some("rebase"),
        }
    }

    /// The config layers git-kep reads: the committed `.kepconfig` at the work-tree root (in
    /// git-config syntax, like `.gitmodules`), then git's own config (system, global, local).
    pub fn config_layers(&self) -> Result<ConfigLayers> {
        let kepconfig = match self.workdir().map(|dir| dir.join(KEPCONFIG_FILE)) {
            Some(path) if path.is_file() => Some((git2::Config::open(&path)?, path)),
            _ => None,
        };
        Ok(ConfigLayers { kepconfig, git: Some(self.repo.config()?) })
    }

    /// The index entries under `dir` (stage 0) whose blob or mode differs from HEAD's (every entry
    /// on an unborn branch), and the paths in conflict. Deletions are not listed.
    pub fn staged_changes(&self, dir: &str) -> Result<StagedChanges> {
        let index = self.repo.index()?;
        let head_tree = self.head_tree()?;
        let prefix = if dir.is_empty() || dir.ends_with('/') { dir.to_owned() } else { format!("{dir}/") };
        let mut changes = StagedChanges::default();
        for entry in index.iter() {
            if !entry.path.starts_with(prefix.as_bytes()) {
                continue;
            }
            let Ok(path) = String::from_utf8(entry.path.clone()) else { continue };
            let stage = (entry.flags >> 12) & 0x3;
            if stage != 0 {
                if changes.conflicted.last() != Some(&path) {
                    changes.conflicted.push(path);
                }
                continue;
            }
            let in_head = match &head_tree {
                Some(tree) => tree.get_path(Path::new(&path)).ok().map(|e| (e.id(), e.filemode() as u32)),
                None => None,
            };
            if in_head != Some((entry.id, entry.mode)) {
                changes.files.push(StagedFile { path, mode: entry.mode, blob: entry.id });
            }
        }
        Ok(changes)
    }

    fn head_tree(&self) -> Result<Option<git2::Tree<'_>>> {
        match self.repo.head() {
            Ok(head) => Ok(Some(head.peel_to_tree()?)),
            Err(err) if matches!(err.code(), ErrorCode::UnbornBranch | ErrorCode::NotFound) => Ok(None),
            Err(err) => Err(err.into()),
        }
    }

    pub fn read_blob(&self, oid: Oid) -> Result<Vec<u8>> {
        Ok(self.repo.find_blob(oid)?.content().to_vec())
    }

    /// Writes each new content as a blob, points its index entry (stage 0, same mode) at it,
    /// and writes the index once. Nothing but these paths changes in the index.
    pub fn restage(&self, updates: &[(String, Vec<u8>)]) -> Result<(), RestageError> {
        let mut index: Index = self.repo.index()?;
        for (path, content) in updates {
            let oid = self.repo.blob(content)?;
            let mut entry: IndexEntry = index
                .get_path(Path::new(path), 0)
                .ok_or_else(|| RestageError::Git(Error::new(format!("{path} is no longer in the index"))))?;
            entry.id = oid;
            entry.file_size = u32::try_from(content.len()).unwrap_or(u32::MAX);
            index.add(&entry)?;
        }
        index.write().map_err(|err| {
            if err.code() == ErrorCode::Locked { RestageError::IndexLocked } else { RestageError::Git(err.into()) }
        })
    }

    /// The directory git runs hooks from (honours `core.hooksPath` and linked worktrees).
    pub fn hooks_dir(&self) -> Result<PathBuf> {
        let cwd = self.workdir().map(Path::to_path_buf).unwrap_or_else(|| self.repo.path().to_path_buf());
        let output = Command::new("git")
            .args(["rev-parse", "--git-path", "hooks"])
            .current_dir(&cwd)
            .output()
            .map_err(|err| Error::context("could not run git", err))?;
        if !output.status.success() {
            return Err(Error::new(format!(
                "git rev-parse --git-path hooks failed: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            )));
        }
        let path = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim_end_matches(['\n', '\r']));
        Ok(if path.is_absolute() { path } else { cwd.join(path) })
    }
}

/// The name of the committed config file at the work-tree root.
pub const KEPCONFIG_FILE: &str = ".kepconfig";

/// Config values from `.kepconfig` and git config; git config wins.
#[derive(Default)]
pub struct ConfigLayers {
    kepconfig: Option<(git2::Config, PathBuf)>,
    git: Option<git2::Config>,
}

impl ConfigLayers {
    /// No repository: every key has its default.
    pub fn none() -> Self {
        Self::default()
    }

    /// The value of `key` and where it came from (`.kepconfig`'s path or "git config").
    pub fn get(&self, key: &str) -> Result<Option<(String, String)>> {
        if let Some(git) = &self.git
            && let Some(value) = not_found_as_none(git.get_string(key))?
        {
            return Ok(Some((value, "git config".to_owned())));
        }
        if let Some((file, path)) = &self.kepconfig
            && let Some(value) = not_found_as_none(file.get_string(key))?
        {
            return Ok(Some((value, path.display().to_string())));
        }
        Ok(None)
    }
}

/// Why restaging failed.
pub enum RestageError {
    /// Another process holds the index lock.
    IndexLocked,
    Git(Error),
}

impl From<git2::Error> for RestageError {
    fn from(err: git2::Error) -> Self {
        RestageError::Git(err.into())
    }
}

fn not_found_as_none<T>(result: Result<T, git2::Error>) -> Result<Option<T>> {
    match result {
        Ok(value) => Ok(Some(value)),
        Err(err) if err.code() == ErrorCode::NotFound => Ok(None),
        Err(err) => Err(err.into()),
    }
}

/// Whether a file mode is a regular file (executable or not).
pub fn is_regular_file(mode: u32) -> bool {
    mode == u32::from(FileMode::Blob) || mode == u32::from(FileMode::BlobExecutable)
}
