//! All access to git: the only module that uses git2, runs `git` or writes into `.git`, so every
//! git operation can be audited in one place. It reports facts (missing things become `Option`),
//! never user messages.

use crate::error::{Error, Result};
use git2::{ErrorCode, FileMode, Repository, RepositoryState};
use std::path::Path;

mod cli;
mod config;
mod history;
pub mod index_file;
mod index_lock;
pub mod loose_object;
mod objects;
mod restage;
mod staged;
mod storage;

pub use config::{COMMAND_LINE, ConfigLayers, DETECTED, KEPCONFIG_FILE};
pub use history::{HeadState, MergeBase, Renames, Version};
pub use index_lock::HeldIndexLock;
pub use objects::{ObjectFormat, ObjectId, ObjectWriter, blob_id};
pub use restage::{NewTree, Restage, RestageError};
pub use staged::{StagedChanges, StagedEntry, StagedFile};
pub use storage::{SharedRepository, Storage};

pub const MODE_SYMLINK: u32 = 0o120000;

/// An open repository with the index git told us to use.
pub struct Repo {
    backend: Backend,
    storage: Storage,
}

/// How a repository is read: libgit2, or git itself where libgit2 cannot open it (SHA-256
/// objects, reftable refs): there the hook works through git, other commands say why not.
enum Backend {
    Libgit2(Repository),
    GitOnly(cli::GitOnly),
}

impl Repo {
    /// Opens the repository git's environment names (`GIT_DIR`, `GIT_WORK_TREE`,
    /// `GIT_INDEX_FILE`: the hook under `git commit -a` must use `.git/index.lock`), else the one
    /// around the current directory. `None` outside any repository.
    pub fn open() -> Result<Option<Repo>> {
        // libgit2 re-hashes every object it reads with collision-detecting SHA-1; git does not
        // when it reads trees and blobs (only `git fsck` does), and the hook reads a handful on
        // every commit: ~10% of its CPU time for a small proposal.
        git2::opts::strict_hash_verification(false);
        match Repository::open_from_env() {
            Ok(repo) => Ok(Some(Repo::with_git_work_tree(repo))),
            Err(err) if err.code() == ErrorCode::NotFound => Ok(None),
            // libgit2 reads GIT_INDEX_FILE at once and cannot read every index git writes (a
            // split index under `git commit -a`). Open the repository without it: the index is
            // then read and written by git itself (see `staged_changes` and `restage`).
            Err(err) if err.class() == git2::ErrorClass::Index && std::env::var_os("GIT_INDEX_FILE").is_some() => {
                Self::open_without_index_file().map(Some)
            }
            Err(err) if err.message().contains("object format") || err.message().contains("extension") => {
                let why = match err.message() {
                    message if message.contains("object format") => "its objects are named with SHA-256".to_owned(),
                    message if message.contains("refstorage") => "its refs are stored as reftable".to_owned(),
                    message => format!("libgit2 cannot open it ({message})"),
                };
                match cli::GitOnly::open(why)? {
                    Some(repo) => Ok(Some(Repo { backend: Backend::GitOnly(repo), storage: Storage::default() })),
                    None => Err(err.into()),
                }
            }
            Err(err) => Err(err.into()),
        }
    }

    /// The repository around `path`, git's environment left aside (for callers that name it).
    pub fn discover(path: &Path) -> Result<Repo> {
        Ok(Repo { backend: Backend::Libgit2(Repository::discover(path)?), storage: Storage::default() })
    }

    /// `GIT_DIR` and `GIT_WORK_TREE` as git honours them, else discovery from the current
    /// directory; `GIT_INDEX_FILE` left to git.
    fn open_without_index_file() -> Result<Repo> {
        let repo = match std::env::var_os("GIT_DIR") {
            // `GIT_WORK_TREE` is applied by `with_git_work_tree`.
            Some(git_dir) => Repository::open(&git_dir)?,
            None => Repository::discover(".")?,
        };
        Ok(Repo::with_git_work_tree(repo))
    }

    /// The repository with the work tree git would use; libgit2 differs from git in three ways.
    /// - `GIT_WORK_TREE` relative (git exports `GIT_WORK_TREE=.` to hooks under
    ///   `git --work-tree=...`): git resolves it against the current directory, libgit2 against
    ///   the git directory, which would make `.git/` the work tree.
    /// - A bare repository with `GIT_WORK_TREE` (the "dotfiles" layout,
    ///   `git --git-dir=~/.dotfiles --work-tree=~`): git uses that work tree, libgit2 ignores it.
    /// - `GIT_DIR` alone, without `core.worktree`: git takes the current directory as the top of
    ///   the work tree, libgit2 the git directory's parent. git sets `GIT_DIR` for its hooks when
    ///   `.git` is a file (`git init --separate-git-dir`, linked worktrees) and runs them at the
    ///   top of the work tree.
    fn with_git_work_tree(repo: Repository) -> Repo {
        let cwd = std::env::current_dir();
        if let (Some(work_tree), Ok(cwd)) = (std::env::var_os("GIT_WORK_TREE"), &cwd) {
            if !work_tree.is_empty() {
                // Only fails if the directory cannot be written as a path: libgit2's stays.
                let _ = repo.set_workdir(&cwd.join(work_tree), false);
            }
            return Repo { backend: Backend::Libgit2(repo), storage: Storage::default() };
        }
        if std::env::var_os("GIT_DIR").is_some() && !repo.is_bare() {
            let configured = repo.config().is_ok_and(|config| config.get_path("core.worktree").is_ok());
            if let (false, Ok(cwd)) = (configured, &cwd) {
                let _ = repo.set_workdir(cwd, false);
            }
        }
        Repo { backend: Backend::Libgit2(repo), storage: Storage::default() }
    }

    /// libgit2's repository, or the error that says why this command cannot run here.
    fn lib(&self) -> Result<&Repository> {
        match &self.backend {
            Backend::Libgit2(repo) => Ok(repo),
            Backend::GitOnly(repo) => Err(repo.unsupported()),
        }
    }

    /// The work tree's root, `None` in a bare repository.
    pub fn workdir(&self) -> Option<&Path> {
        match &self.backend {
            Backend::Libgit2(repo) => repo.workdir(),
            Backend::GitOnly(repo) => repo.workdir.as_deref(),
        }
    }

    /// The git directory (of this worktree): where git-kep's temporary files go, since git never
    /// stages from there.
    pub fn temp_dir(&self) -> &Path {
        match &self.backend {
            Backend::Libgit2(repo) => repo.path(),
            Backend::GitOnly(repo) => &repo.git_dir,
        }
    }

    /// Writes objects and the index as `storage` says (read from the config layers once loaded).
    pub fn use_storage(&mut self, storage: Storage) {
        self.storage = storage;
    }

    /// `alias.NAME` from git's config, if set.
    pub fn alias(&self, name: &str) -> Option<String> {
        match &self.backend {
            Backend::Libgit2(repo) => repo.config().ok()?.get_string(&format!("alias.{name}")).ok(),
            Backend::GitOnly(repo) => {
                repo.git(&["config", "--get", &format!("alias.{name}")], &[]).ok().map(|v| v.trim_end().to_owned())
            }
        }
    }

    pub fn is_bare(&self) -> bool {
        self.workdir().is_none()
    }

    /// A merge, rebase, cherry-pick, revert or bisect in progress, by name.
    pub fn operation_in_progress(&self) -> Option<&'static str> {
        let Backend::Libgit2(repo) = &self.backend else { return None };
        match repo.state() {
            RepositoryState::Clean => None,
            RepositoryState::Merge => Some("merge"),
            RepositoryState::Revert | RepositoryState::RevertSequence => Some("revert"),
            RepositoryState::CherryPick | RepositoryState::CherryPickSequence => Some("cherry-pick"),
            RepositoryState::Bisect => Some("bisect"),
            _ => Some("rebase"),
        }
    }

    /// Runs git in the work tree and returns its stdout; its stderr becomes the error.
    fn run_git(&self, args: &[&str]) -> Result<String> {
        self.run_git_with_input(args, &[]).map_err(Error::from)
    }

    /// Runs git in the work tree (git's environment: same repository and index), `input` on its
    /// stdin.
    fn run_git_with_input(&self, args: &[&str], input: &[u8]) -> Result<String, GitFailure> {
        cli::run(Some(self.workdir().unwrap_or_else(|| self.temp_dir())), args, input)
    }
}

/// A git command that failed, with what it said.
pub struct GitFailure {
    command: String,
    stderr: String,
}

impl From<GitFailure> for Error {
    fn from(failure: GitFailure) -> Self {
        Error::new(format!("git {} failed:\n{}", failure.command, failure.stderr))
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

/// Whether git accepts `name` as a branch name (`git check-ref-format --branch`).
pub fn is_valid_branch_name(name: &str) -> bool {
    git2::Branch::name_is_valid(name).unwrap_or(false)
}
