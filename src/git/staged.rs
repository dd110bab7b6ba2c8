//! What the index stages relative to HEAD (`Repo::staged_changes`), read tree by tree.

use super::index_lock::map_file;
use super::{Backend, ObjectId, Repo, is_regular_file};
use crate::error::{Error, Result};
use git2::{ErrorCode, IndexEntry, Oid};
use std::path::Path;

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
    pub(super) cached_trees: CachedTrees,
    /// Whether anything under the directory differs from the commit compared with, deletions
    /// included (which `files` does not list): what a proposal index is made from changed.
    pub dir_changed: bool,
}

/// An index entry (stage 0): a staged file as the commit will hold it.
#[derive(Debug, Clone)]
pub struct StagedEntry {
    pub path: String,
    pub mode: u32,
    pub blob: ObjectId,
}

impl Repo {
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
        changes.dir_changed = true;
        let refs: Vec<&IndexEntry> = entries.iter().collect();
        self.compare_dir(head_dir.as_ref(), &refs, prefix.len(), &cached_trees, &mut changes)?;
        changes.cached_trees = cached_trees;
        if head_dir.is_some() {
            self.follow_renames(&prefix, amending, &mut changes)?;
        }
        Ok(changes)
    }

    /// The index entries (stage 0) under `prefix` (`dir/`, or a file's exact path), read as
    /// `staged_changes` reads them: what a commit made now would hold there.
    pub fn staged_entries(&self, prefix: &str) -> Result<Vec<StagedEntry>> {
        let entries = match self.read_index_fast(prefix.as_bytes()) {
            Some((entries, _)) => entries,
            None => self.read_index_with_git(prefix)?,
        };
        Ok(entries
            .into_iter()
            .filter(|entry| stage_of(entry) == 0)
            .filter_map(|entry| {
                let path = String::from_utf8(entry.path).ok()?;
                Some(StagedEntry { path, mode: entry.mode, blob: ObjectId::from_oid(entry.id) })
            })
            .collect())
    }

    /// A staged file new at its path may be a proposal moved or renamed (`git mv keps/sig-a/123-x
    /// keps/sig-b/123-x`): its base is then its old path's blob, found by git's own rename
    /// detection, so that what the commit introduces is what changed, not all it holds. git is
    /// asked only when such a file is staged.
    pub(super) fn follow_renames(&self, prefix: &str, amending: bool, changes: &mut StagedChanges) -> Result<()> {
        if !changes.files.iter().any(|file| file.base.is_none()) {
            return Ok(());
        }
        let pathspec = format!(":(top,literal){prefix}");
        let rev = if amending { "HEAD^" } else { "HEAD" };
        let args = ["diff-index", "--cached", "-z", "-M", "--diff-filter=R", rev, "--", &pathspec];
        let listing = self.run_git(&args)?;
        let moved = parse_raw_renames(&listing);
        for file in changes.files.iter_mut().filter(|file| file.base.is_none()) {
            if let Some(&(_, old)) = moved.iter().find(|(new, _)| *new == file.path) {
                file.base = Some(old);
            }
        }
        Ok(())
    }

    /// The index entries under `prefix`, read straight from the index file git names (no
    /// checksum, no full parse: the hook's hot path). `None`: let libgit2 read it.
    fn read_index_fast(&self, prefix: &[u8]) -> Option<(Vec<IndexEntry>, CachedTrees)> {
        let bytes = map_file(&self.index_path()).ok()?;
        let view = super::index_file::read_under(&bytes, prefix)?;
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

/// The tree ids git's cache tree holds for directories (path without a trailing `/`).
pub(super) type CachedTrees = rustc_hash::FxHashMap<Vec<u8>, Oid>;

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

/// `git diff-index -z -M --diff-filter=R`'s raw rows (`:MODE MODE ID ID R<score>`, the old path,
/// the new path): each new path with its old blob, where that was a regular file.
pub(super) fn parse_raw_renames(listing: &str) -> Vec<(&str, ObjectId)> {
    let mut moved = Vec::new();
    let mut fields = listing.split('\0');
    while let Some(meta) = fields.next().filter(|meta| !meta.is_empty()) {
        let (Some(_old_path), Some(new_path)) = (fields.next(), fields.next()) else { break };
        let parts: Vec<&str> = meta.trim_start_matches(':').split(' ').collect();
        let [old_mode, _, old_id, _, status] = parts[..] else { continue };
        let regular = u32::from_str_radix(old_mode, 8).is_ok_and(is_regular_file);
        if let (true, true, Some(old)) = (status.starts_with('R'), regular, ObjectId::from_hex(old_id)) {
            moved.push((new_path, old));
        }
    }
    moved
}
