//! The hook's apply step, all git and files: the new objects, the index written once under its
//! lock (only if it still holds what was planned from), then the work-tree files swapped in,
//! each only if it still holds what the hook read.

use crate::error::{EXIT_FINDINGS, Error, Result};
use crate::files;
use crate::git::{self, RestageError};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// One file whose TOC or proposal index is stale: what goes into the index and the work tree.
pub struct Refresh {
    pub path: String,
    pub mode: u32,
    pub old_blob: git::ObjectId,
    pub old_staged: String,
    pub new_staged: String,
    /// The new content's blob id, computed once (hashing a proposal is not free).
    pub new_blob: git::ObjectId,
    /// Links to headings this commit renames, pointed at their new anchors.
    pub links_rewritten: usize,
    /// New work-tree content, `None` to leave the work-tree file alone.
    pub new_worktree: Option<WorkTreeUpdate>,
    /// What was stale: the file's TOC, its proposal index block (`hook::index`), or both.
    pub toc_refreshed: bool,
    pub index_refreshed: bool,
}

/// A work-tree file's new content, and the bytes it was made from: the file is replaced only if
/// it still holds those (a save made while the hook runs is never lost). Compared as bytes: no
/// second hash of the file.
pub struct WorkTreeUpdate {
    pub content: String,
    pub planned_from: Vec<u8>,
}

/// The new objects: a blob for each refreshed proposal and the trees above them, written once the
/// new index is in its lock file (it needs none of them), before the index is renamed.
pub struct NewObjects {
    pub plan: Arc<[Refresh]>,
    pub trees: Vec<git::NewTree>,
    /// The next object to take: blobs in plan order, then trees.
    pub next: AtomicUsize,
}

impl NewObjects {
    /// Writes the objects no core has taken yet; an error ends this core's share.
    pub fn write_remaining(&self, objects: &git::ObjectWriter) -> Result<()> {
        loop {
            let taken = self.next.fetch_add(1, Ordering::Relaxed);
            let tree = taken.checked_sub(self.plan.len()).and_then(|i| self.trees.get(i));
            match (self.plan.get(taken), tree) {
                (Some(refresh), _) => objects.write_blob_known(refresh.new_staged.as_bytes(), refresh.new_blob)?,
                (None, Some(tree)) => objects.write_tree(tree)?,
                (None, None) => return Ok(()),
            }
        }
    }
}

/// What the index update waits for: the new objects, written, and the new work-tree files,
/// written beside the old ones (`None` where the work tree is left alone).
pub struct NewFiles {
    objects: Result<()>,
    replacements: Vec<Option<Result<files::Replacement>>>,
}

/// The rest of the writing: the new objects not written yet, then the work-tree files.
/// The work-tree files' temporary copies go into the git directory (`temp_dir`), where git
/// ignores them should the hook be killed.
pub fn write_new_files(
    objects: &git::ObjectWriter,
    new_objects: &NewObjects,
    (workdir, temp_dir): (&Path, &Path),
) -> NewFiles {
    let written = new_objects.write_remaining(objects);
    let replacements = new_objects
        .plan
        .iter()
        .map(|r| {
            r.new_worktree.as_ref().map(|new| {
                let scope = files::WriteScope { work_tree: Some(workdir), temp_dir: Some(temp_dir) };
                files::prepare_replacement(&workdir.join(&r.path), new.content.as_bytes(), scope)
            })
        })
        .collect();
    NewFiles { objects: written, replacements }
}

/// Each refreshed proposal's index update.
pub fn restages(plan: &[Refresh]) -> Vec<git::Restage<'_>> {
    plan.iter()
        .map(|r| git::Restage {
            path: &r.path,
            mode: r.mode,
            old_blob: r.old_blob,
            new_blob: r.new_blob,
            old_content: r.old_staged.as_bytes(),
            new_content: r.new_staged.as_bytes(),
        })
        .collect()
}

/// The index (written once), then the work tree. Once the new index is in its lock file, the new
/// objects and the work-tree copies (`new_files`) are written before the index names them. The
/// work-tree files replace the old ones only once the index holds the fresh TOCs (if it cannot,
/// they are removed and nothing has changed), and under the index lock, taken again for them.
pub fn apply(
    repo: &git::Repo,
    staged: &git::StagedChanges,
    updates: &[git::Restage<'_>],
    (objects, new_objects): (&git::ObjectWriter, &NewObjects),
    new_files: impl FnOnce() -> NewFiles,
) -> Result<Vec<WorkTreeLeft>> {
    let mut replacements = Vec::new();
    // Once the new index is written to its lock file, which needs no object: the objects.
    let restaged = repo.restage(updates, staged.needs_git_to_write, &new_objects.trees, || {
        new_objects.write_remaining(objects)?;
        let written = new_files();
        replacements = written.replacements;
        written.objects
    });
    match restaged {
        Ok(()) => {}
        Err(RestageError::IndexLocked(lock)) => {
            return Err(Error::new("the index is locked by another git process; nothing was changed")
                .hint("wait for the other git command to finish and commit again")
                .hint(format!("if no git process is running, remove the stale {}", files::display_path(&lock)))
                .exit_code(EXIT_FINDINGS));
        }
        Err(RestageError::IndexChanged(what)) => {
            return Err(Error::new(format!("{what}; nothing was changed"))
                .hint("another git command changed the index during the commit: commit again")
                .exit_code(EXIT_FINDINGS));
        }
        Err(RestageError::Git(err)) => return Err(err),
    }
    if !replacements.iter().any(Option::is_some) {
        return Ok(Vec::new());
    }
    // Left by a hook that was killed (the git directory keeps them out of any commit).
    files::remove_stale_temporaries(repo.temp_dir());
    // Swapped under the index lock: a `git add` in another terminal cannot stage the hook's copy
    // in the instant it stands where a save made meanwhile is about to be swapped back.
    let _held = match repo.hold_index_lock(std::time::Duration::from_millis(200)) {
        Ok(held) => held,
        Err(err) => {
            let why = if err.kind() == std::io::ErrorKind::AlreadyExists {
                "another git command held the index lock".to_owned()
            } else {
                format!("cannot lock the index: {err}")
            };
            return Ok(new_objects
                .plan
                .iter()
                .filter(|r| r.new_worktree.is_some())
                .map(|r| WorkTreeLeft::Locked { path: r.path.clone(), why: why.clone() })
                .collect());
        }
    };
    let mut left = Vec::new();
    for (refresh, replacement) in new_objects.plan.iter().zip(replacements) {
        let (Some(update), Some(replacement)) = (&refresh.new_worktree, replacement) else { continue };
        let unchanged = |found: &[u8]| found == update.planned_from.as_slice();
        let path = refresh.path.clone();
        match replacement.and_then(|replacement| replacement.put_in_place(&unchanged)) {
            Ok(files::Placed::Replaced) => {}
            Ok(files::Placed::ChangedMeanwhile) => left.push(WorkTreeLeft::SavedMeanwhile { path }),
            Ok(files::Placed::EarlierSaveKeptAt(kept)) => left.push(WorkTreeLeft::SavedTwice { path, kept }),
            Err(err) => left.push(WorkTreeLeft::Failed { path, err }),
        }
    }
    Ok(left)
}

/// A work-tree file the apply step did not bring along (the commit has the fresh TOC anyway).
#[derive(Debug)]
pub enum WorkTreeLeft {
    /// The index lock did not come free for the swaps.
    Locked { path: String, why: String },
    /// Saved while the hook ran: left as saved.
    SavedMeanwhile { path: String },
    /// Saved twice while the hook ran: the latest save is in place, the earlier one kept.
    SavedTwice { path: String, kept: std::path::PathBuf },
    /// It could not be written (an unwritable folder, a file-size limit...).
    Failed { path: String, err: Error },
}
