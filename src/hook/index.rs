//! The hook's proposal indexes (`proposal::index`): when a commit changes what is under the
//! proposals directory, each index block in the files that may hold one (`kep.indexFiles`, or
//! the proposals directory's README.md and the root one, and any staged file with a block) is
//! regenerated from the proposals as the commit will hold them (their staged blobs), restaged
//! and brought to the work tree as a TOC is: unstaged edits elsewhere in the file kept.

use super::apply::{Refresh, WorkTreeUpdate};
use crate::error::Result;
use crate::git::{self, StagedChanges};
use crate::proposal::index::{self, Row};
use crate::proposal::layout::Layout;
use crate::worktree::layout::SIDECARS;
use std::collections::HashMap;
use std::path::Path;

/// What the index step reads: the repository and its settings.
pub struct IndexPlace<'a> {
    pub repo: &'a git::Repo,
    pub workdir: &'a Path,
    pub layout: &'a Layout,
    pub row_template: &'a str,
    /// Files that may hold a block (`Settings::index_files`).
    pub files: Vec<String>,
}

/// Adds to `plan` the refresh of every stale index block (merged into a file's TOC refresh
/// when it has one). `staged_with_block`: the staged files (read by the TOC step) that hold a
/// block. What cannot be refreshed is said through `warn` and left as it is.
pub fn plan_indexes(
    place: &IndexPlace<'_>,
    staged: &StagedChanges,
    staged_with_block: &[String],
    plan: &mut Vec<Refresh>,
    warn: &dyn Fn(String),
) -> Result<()> {
    let mut candidates: Vec<&str> = place.files.iter().map(String::as_str).collect();
    candidates.extend(staged_with_block.iter().map(String::as_str));
    candidates.sort_unstable();
    candidates.dedup();
    let mut proposals: Option<StagedProposals> = None;
    for path in candidates {
        let staged_file = staged.files.iter().find(|file| file.path == path);
        // Nothing under the proposals directory changed, and the file itself is not staged:
        // its index is as fresh as the last commit left it.
        if !staged.dir_changed && staged_file.is_none() {
            continue;
        }
        let planned = plan.iter().position(|refresh| refresh.path == path);
        // The work-tree file, read once: for a file the TOC step has not planned, what it
        // becomes; and for one not staged either, whether to look in the index at all (the
        // usual README without a block costs this one small read).
        let worktree = if planned.is_none() { read_worktree(&place.workdir.join(path)) } else { None };
        let worktree_has_block =
            worktree.as_deref().is_some_and(|bytes| index::has_block(&String::from_utf8_lossy(bytes)));
        if staged_file.is_none() && planned.is_none() && !worktree_has_block {
            continue;
        }
        let entry = match staged_file {
            Some(file) => git::StagedEntry { path: file.path.clone(), mode: file.mode, blob: file.blob },
            None => match place.repo.staged_entries(path)?.into_iter().find(|entry| entry.path == path) {
                Some(entry) if git::is_regular_file(entry.mode) => entry,
                _ => continue,
            },
        };
        let old_staged = match planned {
            Some(i) => plan[i].new_staged.clone(),
            None => match String::from_utf8(place.repo.read_blob(entry.blob)?) {
                Ok(text) => text,
                Err(_) => continue,
            },
        };
        if !index::has_block(&old_staged) {
            continue;
        }
        let proposals = match &mut proposals {
            Some(proposals) => proposals,
            None => proposals.insert(StagedProposals::read(place.repo, place.layout)?),
        };
        let index_dir = path.rsplit_once('/').map_or("", |(dir, _)| dir);
        let rows = proposals.rows(index_dir);
        let new_staged = match index::refresh(&old_staged, &rows, place.row_template) {
            Ok(Some(new)) => new,
            Ok(None) => continue,
            Err(err) => {
                warn(format!("{path}:{}: {}; the proposal index is left as it is", err.line, err.message));
                continue;
            }
        };
        let new_blob = place.repo.blob_id(new_staged.as_bytes());
        match planned {
            Some(i) => {
                let refresh = &mut plan[i];
                if let Some(update) = &mut refresh.new_worktree {
                    match worktree_copy(&update.content, &old_staged, &rows, place.row_template, path, warn) {
                        Some(content) => update.content = content,
                        None => refresh.new_worktree = None,
                    }
                }
                refresh.new_staged = new_staged;
                refresh.new_blob = new_blob;
                refresh.index_refreshed = true;
            }
            None => {
                let new_worktree = worktree.and_then(|bytes| {
                    let content = if place.repo.blob_id(&bytes) == entry.blob {
                        new_staged.clone()
                    } else {
                        let text = std::str::from_utf8(&bytes).ok()?;
                        worktree_copy(text, &old_staged, &rows, place.row_template, path, warn)?
                    };
                    Some(WorkTreeUpdate { content, planned_from: bytes })
                });
                plan.push(Refresh {
                    path: path.to_owned(),
                    mode: entry.mode,
                    old_blob: entry.blob,
                    old_staged,
                    new_staged,
                    new_blob,
                    links_rewritten: 0,
                    new_worktree,
                    toc_refreshed: false,
                    index_refreshed: true,
                });
            }
        }
    }
    Ok(())
}

/// The work-tree copy with unstaged edits, its block refreshed from the same rows; `None`:
/// left as it is (said): its block's rows were edited and not staged (an edit git-kep does not
/// overwrite), or its markers cannot be read.
fn worktree_copy(
    text: &str,
    staged: &str,
    rows: &[Row],
    template: &str,
    path: &str,
    warn: &dyn Fn(String),
) -> Option<String> {
    if index::block_rows(text) != index::block_rows(staged) {
        warn(format!(
            "{path}: the work-tree copy's proposal index has unstaged edits; left as it is (the commit gets the \
             fresh index; `git kep toc {}` refreshes the file)",
            crate::paint::shell_word(path)
        ));
        return None;
    }
    match index::refresh(text, rows, template) {
        Ok(Some(new)) => Some(new),
        Ok(None) => Some(text.to_owned()),
        Err(err) => {
            warn(format!(
                "{path}:{}: the work-tree copy has unstaged index marker problems ({}); left as it is",
                err.line, err.message
            ));
            None
        }
    }
}

/// The work-tree file's bytes, where it is a regular file git-kep may replace.
fn read_worktree(path: &Path) -> Option<Vec<u8>> {
    let metadata = std::fs::symlink_metadata(path).ok()?;
    if !metadata.is_file() || metadata.len() > crate::toc::MAX_DOCUMENT_BYTES as u64 {
        return None;
    }
    crate::files::read_document(path).ok()
}

/// The proposals as the commit will hold them: main documents and metadata files, from the
/// index, read once for every index file.
struct StagedProposals {
    found: Vec<StagedProposal>,
}

struct StagedProposal {
    path: String,
    number: Option<u64>,
    group: Option<String>,
    text: Option<String>,
    sidecar: Option<String>,
}

impl StagedProposals {
    fn read(repo: &git::Repo, layout: &Layout) -> Result<Self> {
        let mut blobs: HashMap<String, git::ObjectId> = HashMap::new();
        for root in layout.roots() {
            let prefix = if root.is_empty() { root } else { format!("{root}/") };
            for entry in repo.staged_entries(&prefix)? {
                if git::is_regular_file(entry.mode) {
                    blobs.insert(entry.path, entry.blob);
                }
            }
        }
        let read = |path: &str| -> Result<Option<String>> {
            let Some(&blob) = blobs.get(path) else { return Ok(None) };
            if repo.blob_size(blob)? > crate::toc::MAX_DOCUMENT_BYTES {
                return Ok(None);
            }
            Ok(Some(String::from_utf8_lossy(&repo.read_blob(blob)?).into_owned()))
        };
        let mut found = Vec::new();
        for (path, matched) in layout.proposals_among(blobs.keys().map(String::as_str)) {
            let sidecar = match &matched.folder {
                Some(folder) => {
                    let mut text = None;
                    for name in SIDECARS {
                        text = read(&format!("{folder}/{name}"))?;
                        if text.is_some() {
                            break;
                        }
                    }
                    text
                }
                None => None,
            };
            found.push(StagedProposal {
                path: path.to_owned(),
                number: matched.number,
                group: matched.group,
                text: read(path)?,
                sidecar,
            });
        }
        Ok(StagedProposals { found })
    }

    fn rows(&self, index_dir: &str) -> Vec<Row> {
        self.found
            .iter()
            .map(|p| {
                index::row(p.number, p.group.as_deref(), &p.path, index_dir, p.text.as_deref(), p.sidecar.as_deref())
            })
            .collect()
    }
}
