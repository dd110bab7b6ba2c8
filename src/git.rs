//! All access to git: the only module that uses git2, runs `git` or writes into `.git`, so every
//! git operation can be audited in one place. It reports facts (missing things become `Option`),
//! never user messages.

use crate::error::{Error, Result};
use git2::{ErrorCode, FileMode, IndexEntry, Oid, Repository, RepositoryState};
use std::path::{Path, PathBuf};

mod cli;
pub mod index_file;
pub mod loose_object;

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

/// A path that differs between HEAD and the index (stage 0), or is in conflict.
#[derive(Debug, Clone)]
pub struct StagedFile {
    /// Repository-relative path with `/` separators.
    pub path: String,
    pub mode: u32,
    pub blob: ObjectId,
    /// Its blob in the commit this one starts from, when a regular file there (`None`: new).
    pub base: Option<ObjectId>,
}

/// What the index holds under a directory, relative to HEAD.
#[derive(Debug, Default)]
pub struct StagedChanges {
    pub files: Vec<StagedFile>,
    /// Paths with unmerged (conflict) entries.
    pub conflicted: Vec<String>,
    /// The index uses features libgit2 cannot write back (split or sparse index): restage it
    /// with git itself.
    pub needs_git_to_write: bool,
    /// The tree ids the index caches (valid cache-tree nodes), by directory.
    cached_trees: CachedTrees,
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

    /// How the repository names its objects.
    pub fn object_format(&self) -> ObjectFormat {
        match &self.backend {
            Backend::Libgit2(_) => ObjectFormat::Sha1,
            Backend::GitOnly(repo) => repo.format,
        }
    }

    /// The id `content` gets as a blob here, without writing it.
    pub fn blob_id(&self, content: &[u8]) -> ObjectId {
        self.object_format().blob_id(content)
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

    /// The config layers git-kep reads: the committed `.kepconfig` at the work-tree root (in
    /// git-config syntax, like `.gitmodules`), then git's own config (system, global, local),
    /// then what `git -c` passed down (see `ConfigLayers::get`).
    pub fn config_layers(&self) -> Result<ConfigLayers> {
        let kepconfig = match self.workdir().map(|dir| dir.join(KEPCONFIG_FILE)) {
            Some(path) if path.is_file() => Some((git2::Config::open(&path)?, path)),
            _ => None,
        };
        let command_line = command_line_config()?;
        match &self.backend {
            // A snapshot: libgit2 otherwise checks every config file for changes on each key read.
            Backend::Libgit2(repo) => {
                Ok(ConfigLayers { kepconfig, git: Some(repo.config()?.snapshot()?), listed: Vec::new(), command_line })
            }
            Backend::GitOnly(repo) => {
                Ok(ConfigLayers { kepconfig, git: None, listed: repo.config_list()?, command_line })
            }
        }
    }

    /// The index entries under `dir` (stage 0) whose blob or mode differs from HEAD's (every
    /// entry on an unborn branch), and the paths in conflict. Deletions are not listed.
    ///
    /// Cost follows the staged files, not the repository: each directory's tree id in the index
    /// (from git's cache tree when it has one, else hashed from the entries) is compared with
    /// HEAD's, and only the directories that differ are read from HEAD and compared entry by entry.
    ///
    /// `amending`: compared with HEAD's first parent instead (none for a root commit), the
    /// commit `git commit --amend` makes its new commit's parent.
    pub fn staged_changes(&self, dir: &str, amending: bool) -> Result<StagedChanges> {
        let prefix = if dir.is_empty() || dir.ends_with('/') { dir.to_owned() } else { format!("{dir}/") };
        let repo = match &self.backend {
            Backend::Libgit2(repo) => repo,
            Backend::GitOnly(repo) => return repo.staged_changes(&prefix, amending),
        };
        let (entries, cached_trees, needs_git_to_write) = match self.read_index_fast(prefix.as_bytes()) {
            Some((entries, cached_trees)) => (entries, cached_trees, false),
            None => (self.read_index_with_git(&prefix)?, CachedTrees::default(), true),
        };
        let base = repo.head().and_then(|head| {
            let commit = head.peel_to_commit()?;
            if !amending {
                return commit.tree().map(Some);
            }
            match commit.parent(0) {
                Ok(parent) => parent.tree().map(Some),
                Err(err) if err.code() == ErrorCode::NotFound => Ok(None),
                Err(err) => Err(err),
            }
        });
        let head_dir = match base {
            Ok(None) => None,
            Ok(Some(root)) => match prefix.trim_end_matches('/') {
                "" => Some(root),
                dir => match root.get_path(Path::new(dir)) {
                    Ok(entry) if entry.kind() == Some(git2::ObjectType::Tree) => Some(repo.find_tree(entry.id())?),
                    _ => None,
                },
            },
            Err(err) if matches!(err.code(), ErrorCode::UnbornBranch | ErrorCode::NotFound) => None,
            Err(err) => return Err(err.into()),
        };
        let mut changes = StagedChanges { needs_git_to_write, ..StagedChanges::default() };
        // The whole directory unchanged (most commits): nothing more to read.
        let cached_dir = cached_trees.get(prefix.trim_end_matches('/').as_bytes());
        if let (Some(head_dir), Some(cached)) = (&head_dir, cached_dir)
            && head_dir.id() == *cached
        {
            return Ok(changes);
        }
        let refs: Vec<&IndexEntry> = entries.iter().collect();
        self.compare_dir(head_dir.as_ref(), &refs, prefix.len(), &cached_trees, &mut changes)?;
        changes.cached_trees = cached_trees;
        Ok(changes)
    }

    /// The index entries under `prefix`, read straight from the index file git names (no
    /// checksum, no full parse: the hook's hot path). `None`: let libgit2 read it.
    fn read_index_fast(&self, prefix: &[u8]) -> Option<(Vec<IndexEntry>, CachedTrees)> {
        let bytes = map_file(&self.index_path()).ok()?;
        let view = self::index_file::read_under(&bytes, prefix)?;
        let entries = view
            .entries
            .into_iter()
            .map(|entry| Some(index_entry(entry.path, entry.mode, Oid::from_bytes(&entry.oid).ok()?, entry.stage)))
            .collect::<Option<_>>()?;
        let cached_trees =
            view.cached_trees.into_iter().filter_map(|(path, id)| Some((path, Oid::from_bytes(&id).ok()?))).collect();
        Some((entries, cached_trees))
    }

    /// The index entries under `prefix` as git lists them (`git ls-files --stage`), for indexes
    /// the fast reader leaves to git (split or sparse index).
    fn read_index_with_git(&self, prefix: &str) -> Result<Vec<IndexEntry>> {
        let pathspec = format!(":(top,literal){prefix}");
        let listing = self.run_git(&["ls-files", "--stage", "-z", "--", &pathspec])?;
        let mut entries = Vec::new();
        for row in listing.split('\0').filter(|row| !row.is_empty()) {
            let parsed = row.split_once('\t').and_then(|(meta, path)| {
                let mut fields = meta.split(' ');
                let mode = u32::from_str_radix(fields.next()?, 8).ok()?;
                let id = Oid::from_str(fields.next()?).ok()?;
                let stage: u16 = fields.next()?.parse().ok()?;
                Some((mode, id, stage, path))
            });
            let Some((mode, id, stage, path)) = parsed else {
                return Err(Error::new(format!("cannot read `git ls-files --stage` output: {row:?}")));
            };
            entries.push(index_entry(path.as_bytes().to_vec(), mode, id, stage));
        }
        Ok(entries)
    }

    /// Compares the index entries of one directory (paths sharing the first `base` bytes) with
    /// HEAD's tree for it, descending only into subdirectories whose tree ids differ.
    fn compare_dir(
        &self,
        head: Option<&git2::Tree<'_>>,
        entries: &[&IndexEntry],
        base: usize,
        cached_trees: &CachedTrees,
        changes: &mut StagedChanges,
    ) -> Result<()> {
        for group in group_by_component(entries, base) {
            let name = &group[0].path[base..base + component_len(&group[0].path[base..])];
            let head_entry = head.and_then(|tree| tree.get_name_bytes(name));
            let is_dir = group[0].path.len() > base + name.len();
            if is_dir {
                let child_base = base + name.len() + 1;
                let head_id = head_entry.as_ref().filter(|e| e.kind() == Some(git2::ObjectType::Tree)).map(|e| e.id());
                if head_id.is_some() {
                    let index_id = match cached_trees.get(&group[0].path[..child_base - 1]) {
                        Some(id) => Some(*id),
                        None => tree_id(group, child_base)?,
                    };
                    if index_id == head_id {
                        continue;
                    }
                }
                let head_child = head_id.map(|id| self.lib()?.find_tree(id).map_err(Error::from)).transpose()?;
                self.compare_dir(head_child.as_ref(), group, child_base, cached_trees, changes)?;
                continue;
            }
            let Ok(path) = String::from_utf8(group[0].path.clone()) else { continue };
            if group.iter().any(|e| stage_of(e) != 0) {
                changes.conflicted.push(path);
                continue;
            }
            let entry = group[0];
            let unchanged =
                head_entry.as_ref().is_some_and(|h| h.id() == entry.id && h.filemode() as u32 == entry.mode);
            if !unchanged {
                let base = head_entry
                    .filter(|h| h.kind() == Some(git2::ObjectType::Blob) && is_regular_file(h.filemode() as u32))
                    .map(|h| ObjectId::from_oid(h.id()));
                changes.files.push(StagedFile { path, mode: entry.mode, blob: ObjectId::from_oid(entry.id), base });
            }
        }
        Ok(())
    }

    /// A blob's size, from its header (the content is not read).
    pub fn blob_size(&self, id: ObjectId) -> Result<usize> {
        match &self.backend {
            Backend::Libgit2(repo) => Ok(repo.odb()?.read_header(id.to_oid())?.0),
            Backend::GitOnly(repo) => repo.blob_size(id),
        }
    }

    pub fn read_blob(&self, id: ObjectId) -> Result<Vec<u8>> {
        match &self.backend {
            Backend::Libgit2(repo) => Ok(repo.find_blob(id.to_oid())?.content().to_vec()),
            Backend::GitOnly(repo) => repo.read_blob(id),
        }
    }

    /// Where this repository's new objects go (`GIT_OBJECT_DIRECTORY` as git honours it), as a
    /// handle another thread can write blobs with while this one updates the index.
    pub fn object_writer(&self) -> ObjectWriter {
        let (common_dir, writes) = match &self.backend {
            Backend::Libgit2(repo) => (repo.commondir(), true),
            // git writes the objects there (`git apply --cached`).
            Backend::GitOnly(repo) => (repo.common_dir.as_path(), false),
        };
        let objects_dir = match std::env::var_os("GIT_OBJECT_DIRECTORY") {
            Some(dir) => PathBuf::from(dir),
            None => common_dir.join("objects"),
        };
        ObjectWriter { objects_dir, storage: self.storage, writes }
    }

    /// Points each update's index entry (stage 0, same mode) at its new blob, and git's cache
    /// tree above it at `trees` (`new_trees`), writing the index once, under git's index lock.
    /// `objects_written` is called (once) before the index can name the new objects: it writes
    /// them, or waits for another thread that does, and an error there leaves the index as it
    /// was. A plain index is edited in place (see `index_file::with_new_blobs`: the cost does
    /// not grow with the repository); what that declines goes to libgit2, and a split or sparse
    /// index (`with_git`) to `git apply --cached`, which handles every index git can write.
    pub fn restage(
        &self,
        updates: &[Restage<'_>],
        with_git: bool,
        trees: &[NewTree],
        objects_written: impl FnOnce() -> Result<()>,
    ) -> Result<(), RestageError> {
        let mut objects_written = Some(objects_written);
        let mut ensure_objects = || objects_written.take().map_or(Ok(()), |write| write().map_err(RestageError::Git));
        if with_git {
            ensure_objects()?;
            // `git update-index --index-info` would set the entries whatever they hold by then;
            // `git apply --cached` of a patch that replaces every line of the planned content
            // applies only to exactly that content (a hunk from the first line to the last, with
            // no context, must match the whole file), under git's own index lock.
            let patch = updates.iter().flat_map(|update| whole_file_patch(update)).collect::<Vec<u8>>();
            let apply = ["-c", "apply.ignoreWhitespace=false", "apply", "--cached", "--whitespace=nowarn", "-"];
            return match self.run_git_with_input(&apply, &patch) {
                Ok(_) => Ok(()),
                Err(GitFailure { stderr, .. }) if stderr.contains(".lock") && stderr.contains("exists") => {
                    Err(RestageError::IndexLocked(self.index_lock_path()))
                }
                Err(GitFailure { stderr, .. })
                    if stderr.contains("does not match index")
                        || stderr.contains("patch does not apply")
                        || stderr.contains("does not exist in index") =>
                {
                    let paths: Vec<&str> = updates.iter().map(|update| update.path).collect();
                    Err(RestageError::IndexChanged(format!("{} was staged again meanwhile", paths.join(", "))))
                }
                Err(failure) => Err(RestageError::Git(failure.into())),
            };
        }
        match self.restage_in_place(updates, trees, &mut ensure_objects) {
            Ok(true) => return Ok(()),
            Ok(false) => {}
            Err(err) => return Err(err),
        }
        ensure_objects()?;
        let mut index = self.lib().map_err(RestageError::Git)?.index()?;
        for update in updates {
            let mut entry = index
                .get_path(Path::new(update.path), 0)
                .ok_or_else(|| RestageError::IndexChanged(format!("{} is no longer in the index", update.path)))?;
            if entry.id != update.old_blob.to_oid() {
                return Err(RestageError::IndexChanged(format!("{} was staged again meanwhile", update.path)));
            }
            entry.id = update.new_blob.to_oid();
            entry.file_size = u32::try_from(update.new_content.len()).unwrap_or(u32::MAX);
            index.add(&entry)?;
        }
        index.write().map_err(|err| {
            if err.code() == ErrorCode::Locked {
                RestageError::IndexLocked(self.index_lock_path())
            } else {
                RestageError::Git(err.into())
            }
        })
    }

    /// The in-place edit of the index file: take `<index>.lock` as git does, read the index
    /// under it, patch (pointing the cache tree above the files at `trees`, if the index still
    /// caches the trees they were rebuilt from, else at trees rebuilt and written here), write
    /// the lock file, wait for the new objects (`objects_written`) and rename it over the index.
    /// `Ok(false)`: the index has something the patcher leaves to libgit2, and nothing was changed.
    fn restage_in_place(
        &self,
        updates: &[Restage<'_>],
        trees: &[NewTree],
        objects_written: &mut dyn FnMut() -> Result<(), RestageError>,
    ) -> Result<bool, RestageError> {
        let index_path = self.index_path();
        let lock = match IndexLock::take(&index_path) {
            Ok(lock) => lock,
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {
                return Err(RestageError::IndexLocked(self.index_lock_path()));
            }
            Err(err) => return Err(RestageError::Git(Error::context("cannot lock the index", err))),
        };
        let write_error = |err| RestageError::Git(Error::context(format!("cannot write {}", lock.path.display()), err));
        // Read under the lock, so that nothing staged since the plan is lost.
        let index = map_file(&index_path)
            .map_err(|err| RestageError::Git(Error::context(format!("cannot read {}", index_path.display()), err)))?;
        let planned: Vec<self::index_file::BlobUpdate<'_>> = updates
            .iter()
            .map(|update| self::index_file::BlobUpdate {
                path: update.path.as_bytes(),
                old_oid: update.old_blob.sha1_bytes(),
                new_oid: update.new_blob.sha1_bytes(),
            })
            .collect();
        let rebuild = |cached: &[self::index_file::DirTree]| {
            let planned_from_these = cached.len() == trees.len()
                && cached.iter().all(|c| trees.iter().any(|t| t.dir == c.dir && t.old == c.oid));
            let dir_tree = |tree: &NewTree| self::index_file::DirTree { dir: tree.dir.clone(), oid: tree.new };
            if planned_from_these {
                return trees.iter().map(dir_tree).collect();
            }
            // Staged meanwhile (or nothing planned): rebuilt from what the index caches now.
            let objects = self.object_writer();
            let rebuilt = self.rebuild_trees(cached, updates);
            rebuilt.iter().filter(|tree| objects.write_tree(tree).is_ok()).map(dir_tree).collect()
        };
        let patched = match self::index_file::with_new_blobs_and_trees(&index, &planned, rebuild) {
            Ok(patched) => patched,
            Err(self::index_file::PatchRefusal::Unsupported) => return Ok(false),
            Err(self::index_file::PatchRefusal::Changed(what)) => return Err(RestageError::IndexChanged(what)),
        };
        // Keep the index's permissions (core.sharedRepository may have widened them).
        if let Ok(metadata) = std::fs::metadata(&index_path) {
            lock.file().set_permissions(metadata.permissions()).map_err(write_error)?;
        }
        let mut out = std::io::BufWriter::with_capacity(1 << 16, lock.file());
        for piece in patched.pieces(&index) {
            std::io::Write::write_all(&mut out, piece).map_err(write_error)?;
        }
        std::io::Write::flush(&mut out).map_err(write_error)?;
        drop(out);
        // As git does: only when core.fsync names the index (its default does not).
        if self.storage.fsync_index {
            lock.file().sync_all().map_err(write_error)?;
        }
        // Unmapped before the rename (Windows cannot replace a mapped file).
        drop(index);
        // The index may name the new blobs and trees once they are written.
        objects_written()?;
        lock.commit_to(&index_path).map_err(|err| {
            RestageError::Git(Error::context(format!("cannot replace {}", index_path.display()), err))
        })?;
        Ok(true)
    }

    /// The trees of the directories above the files to restage, rebuilt from the trees the
    /// index cached when the changes were read (`staged_changes`), for `restage`; they must be
    /// written (`ObjectWriter::write_tree`) before it is called. Reading the few trees takes
    /// little; writing them is what costs, and the caller can share that out.
    pub fn new_trees(&self, staged: &StagedChanges, updates: &[Restage<'_>]) -> Vec<NewTree> {
        let mut cached: Vec<self::index_file::DirTree> = Vec::new();
        for update in updates {
            for dir in self::index_file::dirs_above(update.path.as_bytes()) {
                if let Some(oid) = staged.cached_trees.get(dir)
                    && !cached.iter().any(|tree| tree.dir == dir)
                {
                    cached.push(self::index_file::DirTree { dir: dir.to_vec(), oid: oid_bytes(*oid) });
                }
            }
        }
        self.rebuild_trees(&cached, updates)
    }

    /// The directories above the restaged files, rebuilt from the trees git cached for them:
    /// each is the cached tree with the entries of its changed children pointed at their new ids
    /// (same names, same modes, so the order holds). That is exactly the tree of the new index
    /// entries, since the cached tree was the tree of the old ones. A tree that cannot be read,
    /// or that does not hold the expected entry, is left out, and so is every directory above
    /// it: git rebuilds those itself.
    fn rebuild_trees(&self, cached: &[self::index_file::DirTree], updates: &[Restage<'_>]) -> Vec<NewTree> {
        use std::cmp::Reverse;
        use std::collections::BTreeMap;
        let Some(odb) = self.lib().ok().and_then(|repo| repo.odb().ok()) else { return Vec::new() };
        let depth = |dir: &[u8]| if dir.is_empty() { 0 } else { 1 + dir.iter().filter(|&&b| b == b'/').count() };
        // Directories deepest first, each with the edits of its children.
        let mut pending: BTreeMap<(Reverse<usize>, Vec<u8>), Vec<ChildEdit>> = BTreeMap::new();
        for update in updates {
            let path = update.path.as_bytes();
            let (dir, name) = split_last(path);
            let edit = ChildEdit {
                name: name.to_vec(),
                mode: format!("{:o}", update.mode).into_bytes(),
                old: update.old_blob.sha1_bytes(),
                new: update.new_blob.sha1_bytes(),
            };
            pending.entry((Reverse(depth(dir)), dir.to_vec())).or_default().push(edit);
        }
        let mut rebuilt = Vec::new();
        let mut blocked: Vec<Vec<u8>> = Vec::new();
        while let Some(((_, dir), edits)) = pending.pop_first() {
            let new_tree =
                cached.iter().find(|tree| tree.dir == dir).filter(|_| !blocked.contains(&dir)).and_then(|cached| {
                    let (new, bytes) = edited_tree(&odb, cached.oid, &edits)?;
                    Some(NewTree { dir: dir.clone(), old: cached.oid, new, bytes })
                });
            if dir.is_empty() {
                rebuilt.extend(new_tree);
                continue;
            }
            let (parent, name) = split_last(&dir);
            let parent_edits = pending.entry((Reverse(depth(parent)), parent.to_vec())).or_default();
            match new_tree {
                Some(tree) => {
                    let (old, new) = (tree.old, tree.new);
                    parent_edits.push(ChildEdit { name: name.to_vec(), mode: b"40000".to_vec(), old, new });
                    rebuilt.push(tree);
                }
                None => blocked.push(parent.to_vec()),
            }
        }
        rebuilt
    }

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
    fn index_lock_path(&self) -> PathBuf {
        lock_path_of(&self.index_path())
    }

    /// The index file git uses for this command: `GIT_INDEX_FILE` (under `git commit -a` or
    /// `git commit <paths>` it is a temporary one), else the repository's.
    fn index_path(&self) -> PathBuf {
        match std::env::var_os("GIT_INDEX_FILE") {
            Some(file) => PathBuf::from(file),
            None => self.temp_dir().join("index"),
        }
    }

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

    /// The merge base of `rev` and HEAD, in hex; `None` if `rev` names no commit.
    pub fn merge_base(&self, rev: &str) -> Result<Option<String>> {
        let commit = format!("{rev}^{{commit}}");
        if self.run_git(&["rev-parse", "--verify", "-q", &commit]).is_err() {
            return Ok(None);
        }
        Ok(Some(self.run_git(&["merge-base", &commit, "HEAD"])?.trim().to_owned()))
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

    /// The content of `path` at commit `rev`, `None` if it has no such file.
    pub fn file_at(&self, rev: &str, path: &str) -> Result<Option<Vec<u8>>> {
        let spec = format!("{rev}:{path}");
        match &self.backend {
            Backend::Libgit2(repo) => match repo.revparse_single(&spec).and_then(|object| object.peel_to_blob()) {
                Ok(blob) => Ok(Some(blob.content().to_vec())),
                Err(_) => Ok(None),
            },
            Backend::GitOnly(_) => match self.run_git_with_input(&["cat-file", "blob", &spec], &[]) {
                Ok(text) => Ok(Some(text.into_bytes())),
                Err(_) => Ok(None),
            },
        }
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

    /// `user.name <user.email>` from git config, if set.
    pub fn identity(&self) -> Result<Option<String>> {
        // git's config and `git -c`, not .kepconfig: who is writing is not the repository's to say.
        let layers = ConfigLayers {
            git: Some(self.lib()?.config()?),
            command_line: command_line_config()?,
            ..ConfigLayers::default()
        };
        let get = |key: &str| Ok::<_, Error>(layers.get(key)?.map(|(value, _)| value));
        let (name, email) = (get("user.name")?, get("user.email")?);
        Ok(match (name, email) {
            (Some(name), Some(email)) => Some(format!("{name} <{email}>")),
            (Some(name), None) => Some(name),
            (None, Some(email)) => Some(email),
            (None, None) => None,
        })
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

    /// Runs git in the work tree and returns its stdout; its stderr becomes the error.
    fn run_git(&self, args: &[&str]) -> Result<String> {
        self.run_git_with_input(args, &[]).map_err(Error::from)
    }

    /// Runs git in the work tree (git's environment: same repository and index), `input` on its
    /// stdin.
    fn run_git_with_input(&self, args: &[&str], input: &[u8]) -> Result<String, GitFailure> {
        cli::run(Some(self.workdir().unwrap_or_else(|| self.temp_dir())), args, input)
    }

    /// The directory git runs hooks from (honours `core.hooksPath` and linked worktrees).
    pub fn hooks_dir(&self) -> Result<PathBuf> {
        let output = self.run_git(&["rev-parse", "--git-path", "hooks"])?;
        let path = PathBuf::from(output.trim_end_matches(['\n', '\r']));
        let cwd = self.workdir().unwrap_or_else(|| self.temp_dir());
        Ok(if path.is_absolute() { path } else { cwd.join(path) })
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

/// The name of the committed config file at the work-tree root.
pub const KEPCONFIG_FILE: &str = ".kepconfig";

/// Config values from `.kepconfig` and git config; git config wins.
#[derive(Default)]
pub struct ConfigLayers {
    kepconfig: Option<(git2::Config, PathBuf)>,
    git: Option<git2::Config>,
    /// git's own config as `git config --list` showed it, where libgit2 cannot read the repository.
    listed: Vec<(String, String)>,
    /// `git -c key=value`, in the order given (the last one of a key wins).
    command_line: Vec<(String, Option<String>)>,
}

impl ConfigLayers {
    /// No repository: only what `git -c` passed down; every other key has its default.
    pub fn none() -> Result<Self> {
        Ok(ConfigLayers { command_line: command_line_config()?, ..Self::default() })
    }

    /// The value of `key` and where it came from (`git -c`, "git config" or `.kepconfig`'s
    /// path), in git's order of precedence. A `git -c key` without a value reads as `true`.
    pub fn get(&self, key: &str) -> Result<Option<(String, String)>> {
        if let Some((_, value)) = self.command_line.iter().rev().find(|(given, _)| same_config_key(given, key)) {
            return Ok(Some((value.clone().unwrap_or_else(|| "true".to_owned()), COMMAND_LINE.to_owned())));
        }
        if let Some(git) = &self.git
            && let Some(value) = not_found_as_none(git.get_string(key))?
        {
            return Ok(Some((value, "git config".to_owned())));
        }
        if let Some((_, value)) = self.listed.iter().rev().find(|(listed, _)| same_config_key(listed, key)) {
            return Ok(Some((value.clone(), "git config".to_owned())));
        }
        if let Some((file, path)) = &self.kepconfig
            && let Some(value) = not_found_as_none(file.get_string(key))?
        {
            return Ok(Some((value, path.display().to_string())));
        }
        Ok(None)
    }
}

/// Where a value from `git -c` came from, as `ConfigLayers::get` names it.
pub const COMMAND_LINE: &str = "git -c";

/// What `git -c` passes down to the commands it runs, as git reads it: `GIT_CONFIG_COUNT` with
/// `GIT_CONFIG_KEY_<n>`/`GIT_CONFIG_VALUE_<n>`, then `GIT_CONFIG_PARAMETERS` (later wins).
fn command_line_config() -> Result<Vec<(String, Option<String>)>> {
    let mut entries = Vec::new();
    if let Some(count) = std::env::var_os("GIT_CONFIG_COUNT") {
        let count = count.to_str().and_then(|c| c.trim().parse::<usize>().ok());
        let count = count.ok_or_else(|| Error::new("GIT_CONFIG_COUNT is not a number"))?;
        for i in 0..count {
            let var = |name: String| {
                std::env::var(&name)
                    .map_err(|_| Error::new(format!("{name} is missing or not UTF-8 (GIT_CONFIG_COUNT is {count})")))
            };
            entries.push((var(format!("GIT_CONFIG_KEY_{i}"))?, Some(var(format!("GIT_CONFIG_VALUE_{i}"))?)));
        }
    }
    if let Some(parameters) = std::env::var_os("GIT_CONFIG_PARAMETERS") {
        let parsed = parameters.to_str().and_then(parse_config_parameters);
        entries
            .extend(parsed.ok_or_else(|| Error::new("cannot read GIT_CONFIG_PARAMETERS (what `git -c` passes down)"))?);
    }
    Ok(entries)
}

/// `GIT_CONFIG_PARAMETERS`: shell-quoted entries separated by spaces, each `'key'='value'`,
/// `'key'=` or `'key'` (no value), or in git's older format `'key=value'`. `None` if malformed.
fn parse_config_parameters(text: &str) -> Option<Vec<(String, Option<String>)>> {
    let mut entries = Vec::new();
    let mut rest = text.trim_start();
    while !rest.is_empty() {
        let (key, after) = sq_dequote_step(rest)?;
        let (entry, after) = match after.strip_prefix('=') {
            Some(value) if value.starts_with('\'') => {
                let (value, after) = sq_dequote_step(value)?;
                ((key, Some(value)), after)
            }
            Some(after) => ((key, None), after),
            None => match key.split_once('=') {
                Some((key, value)) => ((key.to_owned(), Some(value.to_owned())), after),
                None => ((key, None), after),
            },
        };
        if !(after.is_empty() || after.starts_with(char::is_whitespace)) {
            return None;
        }
        entries.push(entry);
        rest = after.trim_start();
    }
    Some(entries)
}

/// One single-quoted word as git's `sq_quote` writes it (`'` inside as `'\''`, `!` as `'\!'`),
/// and what follows it.
fn sq_dequote_step(text: &str) -> Option<(String, &str)> {
    let mut rest = text.strip_prefix('\'')?;
    let mut word = String::new();
    loop {
        let end = rest.find('\'')?;
        word.push_str(&rest[..end]);
        rest = &rest[end + 1..];
        match rest.as_bytes() {
            [b'\\', quoted @ (b'\'' | b'!'), b'\'', ..] => {
                word.push(char::from(*quoted));
                rest = &rest[3..];
            }
            _ => return Some((word, rest)),
        }
    }
}

/// Whether two config keys name the same variable: section and name compare without case, a
/// subsection (between them) with it, as git compares them.
fn same_config_key(a: &str, b: &str) -> bool {
    let parts = |key: &str| -> Option<(String, String, String)> {
        let (section, rest) = key.split_once('.')?;
        let (subsection, name) = rest.rsplit_once('.').unwrap_or(("", rest));
        Some((section.to_ascii_lowercase(), subsection.to_owned(), name.to_ascii_lowercase()))
    };
    matches!((parts(a), parts(b)), (Some(a), Some(b)) if a == b)
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

/// An index entry with what git-kep reads of it (the stat fields do not matter here).
fn index_entry(path: Vec<u8>, mode: u32, id: Oid, stage: u16) -> IndexEntry {
    let never = git2::IndexTime::new(0, 0);
    IndexEntry {
        ctime: never,
        mtime: never,
        dev: 0,
        ino: 0,
        mode,
        uid: 0,
        gid: 0,
        file_size: 0,
        id,
        flags: stage << 12,
        flags_extended: 0,
        path,
    }
}

/// Why restaging failed.
/// The tree ids git's cache tree holds for directories (path without a trailing `/`).
type CachedTrees = rustc_hash::FxHashMap<Vec<u8>, Oid>;

/// A staged file to point at a new blob.
pub struct Restage<'a> {
    pub path: &'a str,
    pub mode: u32,
    /// The blob the plan was made from: if the index holds another one now, nothing is changed.
    pub old_blob: ObjectId,
    /// The new content's blob (`Repo::blob_id`), written by `ObjectWriter::write_blob`.
    pub new_blob: ObjectId,
    /// The content the plan was made from (the blob `old_blob`) and the new content.
    pub old_content: &'a [u8],
    pub new_content: &'a [u8],
}

/// A patch (`git apply` format) that turns exactly `update.old_content` into its new content:
/// one hunk replacing every line, which applies to no other content.
fn whole_file_patch(update: &Restage<'_>) -> Vec<u8> {
    let lines = |content: &[u8]| content.split_inclusive(|&b| b == b'\n').count();
    let (old, new) = (update.old_content, update.new_content);
    let mut patch = Vec::with_capacity(old.len() + new.len() + 200);
    let quoted = |side: &str| quote_path(&format!("{side}/{}", update.path));
    let (a, b) = (quoted("a"), quoted("b"));
    patch.extend_from_slice(format!("diff --git {a} {b}\n--- {a}\n+++ {b}\n").as_bytes());
    let range = |start: usize, count: usize| if count == 0 { "0,0".to_owned() } else { format!("{start},{count}") };
    patch.extend_from_slice(format!("@@ -{} +{} @@\n", range(1, lines(old)), range(1, lines(new))).as_bytes());
    for (sign, content) in [(b'-', old), (b'+', new)] {
        for line in content.split_inclusive(|&b| b == b'\n') {
            patch.push(sign);
            patch.extend_from_slice(line);
            if !line.ends_with(b"\n") {
                patch.extend_from_slice(b"\n\\ No newline at end of file\n");
            }
        }
    }
    patch
}

/// A path in C-style quotes, as git writes (and `git apply` reads) unusual names.
fn quote_path(path: &str) -> String {
    let mut quoted = String::from("\"");
    for c in path.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\t' => quoted.push_str("\\t"),
            '\n' => quoted.push_str("\\n"),
            c if (c as u32) < 0x20 || c == '\x7f' => quoted.push_str(&format!("\\{:03o}", c as u32)),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

/// The id git gives `content` as a blob in a SHA-1 repository, without writing it.
pub fn blob_id(content: &[u8]) -> ObjectId {
    ObjectId::from_bytes(&self::loose_object::id(self::loose_object::Kind::Blob, content))
}

/// How a repository names its objects (`extensions.objectFormat`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectFormat {
    Sha1,
    Sha256,
}

impl ObjectFormat {
    /// The id git gives `content` as a blob in this format.
    pub fn blob_id(self, content: &[u8]) -> ObjectId {
        match self {
            ObjectFormat::Sha1 => blob_id(content),
            ObjectFormat::Sha256 => {
                use sha2::Digest;
                let mut hash = sha2::Sha256::new();
                hash.update(format!("blob {}\0", content.len()));
                hash.update(content);
                ObjectId::from_bytes(&hash.finalize())
            }
        }
    }
}

/// An object id of either format: 20 bytes (SHA-1) or 32 (SHA-256). libgit2's `Oid` holds only
/// the first.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ObjectId {
    bytes: [u8; 32],
    len: u8,
}

impl ObjectId {
    fn from_bytes(bytes: &[u8]) -> ObjectId {
        let mut id = ObjectId { bytes: [0; 32], len: bytes.len().min(32) as u8 };
        id.bytes[..usize::from(id.len)].copy_from_slice(&bytes[..usize::from(id.len)]);
        id
    }

    fn from_oid(oid: Oid) -> ObjectId {
        ObjectId::from_bytes(oid.as_bytes())
    }

    /// As libgit2's id (a SHA-1 repository's: libgit2 opens no other).
    fn to_oid(self) -> Oid {
        Oid::from_bytes(&self.bytes[..20]).expect("20 bytes are an object id")
    }

    fn sha1_bytes(self) -> [u8; 20] {
        let mut bytes = [0u8; 20];
        bytes.copy_from_slice(&self.bytes[..20]);
        bytes
    }

    /// Parses git's hexadecimal form (40 or 64 digits).
    fn from_hex(hex: &str) -> Option<ObjectId> {
        if !matches!(hex.len(), 40 | 64) || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let bytes: Option<Vec<u8>> =
            (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).ok()).collect();
        Some(ObjectId::from_bytes(&bytes?))
    }
}

impl std::fmt::Display for ObjectId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.bytes[..usize::from(self.len)].iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl std::fmt::Debug for ObjectId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ObjectId({self})")
    }
}

/// A directory's tree rebuilt for the restaged files below it (`Repo::new_trees`).
pub struct NewTree {
    /// Relative to the work-tree root, without a trailing `/` (the root is "").
    dir: Vec<u8>,
    /// The tree the index cached for it, which this one was rebuilt from.
    old: [u8; 20],
    new: [u8; 20],
    bytes: Vec<u8>,
}

/// Writes new objects into a repository's object directory; usable from any thread.
#[derive(Clone)]
pub struct ObjectWriter {
    objects_dir: PathBuf,
    storage: Storage,
    /// `false` where git writes the objects itself (a repository libgit2 cannot open).
    writes: bool,
}

impl ObjectWriter {
    /// Writes `content` as a loose blob and returns its id (see `write`).
    pub fn write_blob(&self, content: &[u8]) -> Result<ObjectId> {
        self.write(self::loose_object::Kind::Blob, content)
            .map(|id| ObjectId::from_bytes(&id))
            .map_err(|err| Error::context(format!("cannot write a blob into {}", self.objects_dir.display()), err))
    }

    /// `write_blob` for content whose id (`Repo::blob_id`) is known already: not hashed again.
    pub fn write_blob_known(&self, content: &[u8], id: ObjectId) -> Result<()> {
        self.write_with_id(self::loose_object::Kind::Blob, content, id.sha1_bytes())
            .map(drop)
            .map_err(|err| Error::context(format!("cannot write a blob into {}", self.objects_dir.display()), err))
    }

    /// Writes a rebuilt tree as a loose object (see `write`).
    pub fn write_tree(&self, tree: &NewTree) -> Result<()> {
        self.write(self::loose_object::Kind::Tree, &tree.bytes)
            .map(drop)
            .map_err(|err| Error::context(format!("cannot write a tree into {}", self.objects_dir.display()), err))
    }

    /// Writes `content` as a loose object, as git does: its file (`loose_object::file_bytes`)
    /// into a temporary file in its fan-out directory, made read-only and linked into place
    /// without replacing anything, so the file appears whole or not at all. One already there as
    /// a loose file is only freshened (its time set to now, as git does, so that a pruning
    /// `git gc` keeps it). A new fan-out directory gets the permissions of objects/, which is
    /// what core.sharedRepository gives it (group-writable and setgid in a shared repository).
    fn write(&self, kind: self::loose_object::Kind, content: &[u8]) -> std::io::Result<[u8; 20]> {
        self.write_with_id(kind, content, self::loose_object::id(kind, content))
    }

    fn write_with_id(
        &self,
        kind: self::loose_object::Kind,
        content: &[u8],
        oid: [u8; 20],
    ) -> std::io::Result<[u8; 20]> {
        if !self.writes {
            return Ok(oid);
        }
        let (fan_out, path) = self::loose_object::path_of(&self.objects_dir, &oid);
        if let Ok(existing) = std::fs::File::open(&path) {
            // Best effort: an object file of another user's in a shared repository may refuse.
            let _ = existing.set_modified(std::time::SystemTime::now());
            return Ok(oid);
        }
        if !fan_out.is_dir() {
            match std::fs::create_dir(&fan_out) {
                Ok(()) => {
                    if let Ok(metadata) = std::fs::metadata(&self.objects_dir) {
                        let _ = std::fs::set_permissions(&fan_out, metadata.permissions());
                    }
                }
                Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(err) => return Err(err),
            }
        }
        // Created 0444 under the umask and then widened for core.sharedRepository, as git does.
        let mut temp = object_temp_file(&fan_out)?;
        std::io::Write::write_all(&mut temp, &self::loose_object::file_bytes(kind, content))?;
        if let Some(mode) = self.storage.shared.adjusted(temp.as_file().metadata()?) {
            temp.as_file().set_permissions(mode)?;
        }
        if self.storage.fsync_loose_objects {
            temp.as_file().sync_all()?;
        }
        match temp.persist_noclobber(&path) {
            Ok(_) => Ok(oid),
            // Someone wrote the same object meanwhile: same bytes, nothing to do.
            Err(err) if err.error.kind() == std::io::ErrorKind::AlreadyExists => Ok(oid),
            Err(err) => Err(err.error),
        }
    }
}

/// A new object's temporary file, created read-only: 0444 less what the umask takes, as git's.
fn object_temp_file(fan_out: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    builder.prefix("tmp_obj_");
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o444));
    let temp = builder.tempfile_in(fan_out)?;
    #[cfg(not(unix))]
    {
        let mut permissions = temp.as_file().metadata()?.permissions();
        permissions.set_readonly(true);
        temp.as_file().set_permissions(permissions)?;
    }
    Ok(temp)
}

/// How git writes what git-kep writes too: which files it fsyncs (`core.fsync`,
/// `core.fsyncObjectFiles`) and the permissions of new objects (`core.sharedRepository`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Storage {
    pub fsync_loose_objects: bool,
    pub fsync_index: bool,
    pub shared: SharedRepository,
}

/// `core.sharedRepository`, as git reads it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SharedRepository {
    /// `umask` (the default): the umask decides.
    #[default]
    Umask,
    /// `group` or `all`: these bits are added (0660, 0664).
    Widen(u32),
    /// An octal mode (`0640`): exactly these bits.
    Exactly(u32),
}

impl SharedRepository {
    fn parse(value: &str) -> Option<SharedRepository> {
        Some(match value.to_ascii_lowercase().as_str() {
            "umask" | "false" | "no" | "off" | "0" => SharedRepository::Umask,
            "group" | "true" | "yes" | "on" | "1" => SharedRepository::Widen(0o660),
            "all" | "world" | "everybody" | "2" => SharedRepository::Widen(0o664),
            octal => {
                SharedRepository::Exactly(u32::from_str_radix(octal, 8).ok().filter(|m| m & 0o600 == 0o600)? & 0o666)
            }
        })
    }

    /// The permissions git's `adjust_shared_perm` gives a file with `metadata` (`None`: as is).
    fn adjusted(self, metadata: std::fs::Metadata) -> Option<std::fs::Permissions> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = metadata.permissions().mode();
            let (mut tweak, exact) = match self {
                SharedRepository::Umask => return None,
                SharedRepository::Widen(bits) => (bits, false),
                SharedRepository::Exactly(bits) => (bits, true),
            };
            if mode & 0o200 == 0 {
                tweak &= !0o222;
            }
            if mode & 0o100 != 0 {
                tweak |= (tweak & 0o444) >> 2;
            }
            let new = if exact { (mode & !0o777) | tweak } else { mode | tweak };
            (new != mode).then(|| std::fs::Permissions::from_mode(new))
        }
        #[cfg(not(unix))]
        {
            let _ = (self, metadata);
            None
        }
    }
}

impl Storage {
    /// Reads the settings from git's config (and `git -c`); a value git would refuse is read
    /// as its default here (git itself reports it on its next command).
    pub fn read(layers: &ConfigLayers) -> Result<Storage> {
        let value = |key: &str| layers.get(key).map(|found| found.map(|(value, _)| value));
        let (loose, index) = fsync_components(value("core.fsync")?.as_deref().unwrap_or(""));
        let object_files = value("core.fsyncObjectFiles")?
            .is_some_and(|v| matches!(v.to_ascii_lowercase().as_str(), "true" | "yes" | "on" | "1"));
        let shared = value("core.sharedRepository")?.as_deref().and_then(SharedRepository::parse).unwrap_or_default();
        Ok(Storage { fsync_loose_objects: loose || object_files, fsync_index: index, shared })
    }
}

/// Whether `core.fsync` (git's syntax: a comma list of components and aggregates, `-` to take
/// one away, `none`, names matched by prefix) covers loose objects and the index. git's default
/// covers neither.
fn fsync_components(value: &str) -> (bool, bool) {
    const LOOSE: u8 = 1;
    const INDEX: u8 = 2;
    const NAMES: [(&str, u8); 11] = [
        ("loose-object", LOOSE),
        ("pack", 0),
        ("pack-metadata", 0),
        ("commit-graph", 0),
        ("index", INDEX),
        ("reference", 0),
        ("objects", LOOSE),
        ("derived-metadata", 0),
        ("committed", LOOSE),
        ("added", LOOSE | INDEX),
        ("all", LOOSE | INDEX),
    ];
    let (mut current, mut positive, mut negative) = (0u8, 0u8, 0u8);
    for name in value.split(',').map(|name| name.trim_matches([' ', '\t', '\n', '\r'])) {
        if name == "none" {
            current = 0;
            continue;
        }
        let (negated, name) = match name.strip_prefix('-') {
            Some(name) => (true, name),
            None => (false, name),
        };
        if name.is_empty() {
            continue;
        }
        for (_, bits) in NAMES.iter().filter(|(known, _)| known.starts_with(name)) {
            if negated { negative |= bits } else { positive |= bits }
        }
    }
    current &= !negative;
    let all = current | positive;
    (all & LOOSE != 0, all & INDEX != 0)
}

/// git's lock on a file: `<file>.lock`, created exclusively, renamed over the file to commit the
/// change. Dropped without a commit (an error, a refusal, a panic), it removes itself, so a failed
/// hook never leaves the repository locked.
struct IndexLock {
    path: PathBuf,
    /// Open until the commit: closed before the rename (Windows cannot rename an open file).
    file: Option<std::fs::File>,
    committed: bool,
}

impl IndexLock {
    fn take(index_path: &Path) -> std::io::Result<IndexLock> {
        let path = lock_path_of(index_path);
        let file = std::fs::OpenOptions::new().write(true).create_new(true).open(&path)?;
        Ok(IndexLock { path, file: Some(file), committed: false })
    }

    fn file(&self) -> &std::fs::File {
        self.file.as_ref().expect("open until committed")
    }

    /// Closes the lock file and renames it over `index_path`.
    fn commit_to(mut self, index_path: &Path) -> std::io::Result<()> {
        drop(self.file.take());
        std::fs::rename(&self.path, index_path)?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for IndexLock {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_file(&self.path);
        }
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
fn map_file(path: &Path) -> std::io::Result<IndexBytes> {
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
enum IndexBytes {
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

/// One entry of a tree to point at a new object.
struct ChildEdit {
    name: Vec<u8>,
    /// As trees write it: `100644`, `100755`, `40000`.
    mode: Vec<u8>,
    old: [u8; 20],
    new: [u8; 20],
}

/// The tree `old` (read from `odb`) with each edit applied: its id and bytes; `None` if it
/// cannot be read or an edit's entry is not there with the expected mode and old id.
fn edited_tree(odb: &git2::Odb<'_>, old: [u8; 20], edits: &[ChildEdit]) -> Option<([u8; 20], Vec<u8>)> {
    let object = odb.read(Oid::from_bytes(&old).ok()?).ok()?;
    if object.kind() != git2::ObjectType::Tree {
        return None;
    }
    let mut tree = object.data().to_vec();
    for edit in edits {
        // Entries: `<mode> <name>\0<20-byte id>`.
        let mut at = 0;
        let id_at = loop {
            let space = at + tree.get(at..)?.iter().position(|&b| b == b' ')?;
            let nul = space + tree.get(space..)?.iter().position(|&b| b == 0)?;
            if tree[at..space] == edit.mode[..] && tree[space + 1..nul] == edit.name[..] {
                break nul + 1;
            }
            at = nul + 21;
        };
        let id = tree.get_mut(id_at..id_at + 20)?;
        if *id != edit.old {
            return None;
        }
        id.copy_from_slice(&edit.new);
    }
    Some((self::loose_object::id(self::loose_object::Kind::Tree, &tree), tree))
}

/// `(dir, name)` of a path: `("a/b", "c")` for `a/b/c`, `("", "c")` for `c`.
fn split_last(path: &[u8]) -> (&[u8], &[u8]) {
    match path.iter().rposition(|&b| b == b'/') {
        Some(slash) => (&path[..slash], &path[slash + 1..]),
        None => (&path[..0], path),
    }
}

fn oid_bytes(oid: Oid) -> [u8; 20] {
    let mut bytes = [0u8; 20];
    bytes.copy_from_slice(&oid.as_bytes()[..20]);
    bytes
}

pub enum RestageError {
    /// Another process holds the index lock (this file).
    IndexLocked(PathBuf),
    /// The index no longer holds what the plan was made from (what changed, for people).
    IndexChanged(String),
    Git(Error),
}

impl From<git2::Error> for RestageError {
    fn from(err: git2::Error) -> Self {
        RestageError::Git(err.into())
    }
}

/// The merge stage of an index entry (0 unless in conflict).
fn stage_of(entry: &IndexEntry) -> u16 {
    (entry.flags >> 12) & 0x3
}

/// Length of the first path component of `path`.
fn component_len(path: &[u8]) -> usize {
    path.iter().position(|&b| b == b'/').unwrap_or(path.len())
}

/// Splits entries (in index order) into runs that share their component after `base`.
fn group_by_component<'e, 'a>(entries: &'e [&'a IndexEntry], base: usize) -> Vec<&'e [&'a IndexEntry]> {
    let mut groups = Vec::new();
    let mut start = 0;
    while start < entries.len() {
        let first = &entries[start].path[base..];
        let name = &first[..component_len(first)];
        let same = |e: &&IndexEntry| {
            let rest = &e.path[base..];
            rest.starts_with(name) && (rest.len() == name.len() || rest[name.len()] == b'/')
        };
        let end = start + entries[start..].iter().take_while(|e| same(e)).count();
        groups.push(&entries[start..end]);
        start = end;
    }
    groups
}

/// The id git would give the tree of these entries (paths sharing the first `base` bytes);
/// `None` if any is in conflict (then there is no tree to compare).
fn tree_id(entries: &[&IndexEntry], base: usize) -> Result<Option<Oid>> {
    let mut tree = Vec::with_capacity(entries.len() * 48);
    for group in group_by_component(entries, base) {
        let first = group[0];
        let name = &first.path[base..base + component_len(&first.path[base..])];
        let (mode, id) = if first.path.len() > base + name.len() {
            match tree_id(group, base + name.len() + 1)? {
                Some(id) => (0o40000, id),
                None => return Ok(None),
            }
        } else if group.len() > 1 || stage_of(first) != 0 {
            return Ok(None);
        } else {
            (first.mode, first.id)
        };
        tree.extend_from_slice(format!("{mode:o} ").as_bytes());
        tree.extend_from_slice(name);
        tree.push(0);
        tree.extend_from_slice(id.as_bytes());
    }
    Ok(Some(Oid::hash_object(git2::ObjectType::Tree, &tree)?))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_parameters_read_as_git_writes_them() {
        // What git 2.47 passed down for: git -c 'kep.dir=a b' -c "x.y=it's" -c flag.only
        // -c Kep.Strict=true -c 'bang.x=hi!' -c 'sub.Case Sensitive.key=1' -c empty.v=
        let given = r"'kep.dir'='a b' 'x.y'='it'\''s' 'flag.only'= 'Kep.Strict'='true' 'bang.x'='hi'\!'' 'sub.Case Sensitive.key'='1' 'empty.v'=''";
        let some = |key: &str, value: &str| (key.to_owned(), Some(value.to_owned()));
        assert_eq!(
            parse_config_parameters(given).unwrap(),
            [
                some("kep.dir", "a b"),
                some("x.y", "it's"),
                ("flag.only".to_owned(), None),
                some("Kep.Strict", "true"),
                some("bang.x", "hi!"),
                some("sub.Case Sensitive.key", "1"),
                some("empty.v", ""),
            ]
        );
        // git's older format, one quoted `key=value` each.
        assert_eq!(
            parse_config_parameters("'kep.dir=keps' 'a.b'").unwrap(),
            [some("kep.dir", "keps"), ("a.b".to_owned(), None)]
        );
        assert_eq!(parse_config_parameters("").unwrap(), []);
        for malformed in ["kep.dir=x", "'kep.dir", "'a'='b", "'a'x", "'a'='b'c"] {
            assert_eq!(parse_config_parameters(malformed), None, "{malformed}");
        }
    }

    #[test]
    fn config_keys_compare_as_git_compares_them() {
        assert!(same_config_key("Kep.TocStyle", "kep.tocstyle"));
        assert!(same_config_key("sub.Case.key", "SUB.Case.KEY"));
        assert!(!same_config_key("sub.Case.key", "sub.case.key"));
        assert!(!same_config_key("kep.dir", "kep.dirs"));
        assert!(!same_config_key("kepdir", "kepdir"));
    }

    #[test]
    fn object_written_twice_is_one_read_only_file_freshened_the_second_time() {
        let objects = tempfile::tempdir().unwrap();
        let writer =
            ObjectWriter { objects_dir: objects.path().to_path_buf(), storage: Storage::default(), writes: true };
        let oid = writer.write_blob(b"hello\n").unwrap();
        assert_eq!(oid.to_string(), "ce013625030ba8dba906f756967f9e9ca394464a");
        let (fan_out, file) = crate::git::loose_object::path_of(objects.path(), &oid.sha1_bytes());
        assert_eq!(
            std::fs::read(&file).unwrap(),
            crate::git::loose_object::file_bytes(crate::git::loose_object::Kind::Blob, b"hello\n")
        );
        assert!(std::fs::metadata(&file).unwrap().permissions().readonly());
        let long_ago = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000_000);
        std::fs::File::open(&file).unwrap().set_modified(long_ago).unwrap();
        assert_eq!(writer.write_blob(b"hello\n").unwrap(), oid);
        assert!(std::fs::metadata(&file).unwrap().modified().unwrap() > long_ago, "freshened");
        // No temporary file left beside it.
        let names: Vec<_> = std::fs::read_dir(&fan_out).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, vec![file.file_name().unwrap().to_owned()]);
    }
}
