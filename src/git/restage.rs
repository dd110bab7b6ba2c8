//! Pointing staged files at new blobs (`Repo::restage`) and rebuilding the trees above them.

use super::index_lock::{IndexLock, map_file};
use super::{GitFailure, ObjectId, Repo, StagedChanges};
use crate::error::{Error, Result};
use git2::{ErrorCode, Oid};
use std::path::{Path, PathBuf};

impl Repo {
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
        let write_error =
            |err| RestageError::Git(Error::write_failed(format!("cannot write {}", lock.path.display()), err));
        // Read under the lock, so that nothing staged since the plan is lost.
        let index = map_file(&index_path)
            .map_err(|err| RestageError::Git(Error::context(format!("cannot read {}", index_path.display()), err)))?;
        let planned: Vec<super::index_file::BlobUpdate<'_>> = updates
            .iter()
            .map(|update| super::index_file::BlobUpdate {
                path: update.path.as_bytes(),
                old_oid: update.old_blob.sha1_bytes(),
                new_oid: update.new_blob.sha1_bytes(),
            })
            .collect();
        let rebuild = |cached: &[super::index_file::DirTree]| {
            let planned_from_these = cached.len() == trees.len()
                && cached.iter().all(|c| trees.iter().any(|t| t.dir == c.dir && t.old == c.oid));
            let dir_tree = |tree: &NewTree| super::index_file::DirTree { dir: tree.dir.clone(), oid: tree.new };
            if planned_from_these {
                return trees.iter().map(dir_tree).collect();
            }
            // Staged meanwhile (or nothing planned): rebuilt from what the index caches now.
            let objects = self.object_writer();
            let rebuilt = self.rebuild_trees(cached, updates);
            rebuilt.iter().filter(|tree| objects.write_tree(tree).is_ok()).map(dir_tree).collect()
        };
        let patched = match super::index_file::with_new_blobs_and_trees(&index, &planned, rebuild) {
            Ok(patched) => patched,
            Err(super::index_file::PatchRefusal::Unsupported) => return Ok(false),
            Err(super::index_file::PatchRefusal::Changed(what)) => return Err(RestageError::IndexChanged(what)),
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
        let mut cached: Vec<super::index_file::DirTree> = Vec::new();
        for update in updates {
            for dir in super::index_file::dirs_above(update.path.as_bytes()) {
                if let Some(oid) = staged.cached_trees.get(dir)
                    && !cached.iter().any(|tree| tree.dir == dir)
                {
                    cached.push(super::index_file::DirTree { dir: dir.to_vec(), oid: oid_bytes(*oid) });
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
    fn rebuild_trees(&self, cached: &[super::index_file::DirTree], updates: &[Restage<'_>]) -> Vec<NewTree> {
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
}

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

/// A directory's tree rebuilt for the restaged files below it (`Repo::new_trees`).
pub struct NewTree {
    /// Relative to the work-tree root, without a trailing `/` (the root is "").
    dir: Vec<u8>,
    /// The tree the index cached for it, which this one was rebuilt from.
    old: [u8; 20],
    new: [u8; 20],
    pub(super) bytes: Vec<u8>,
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
    Some((super::loose_object::id(super::loose_object::Kind::Tree, &tree), tree))
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

/// Why restaging failed.
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
