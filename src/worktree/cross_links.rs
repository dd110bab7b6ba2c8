//! Links from other work-tree files to a proposal's renamed headings: found by reading the
//! Markdown files of a folder, rewritten by the pure engine (`proposal::links`). The hook only
//! reports them (it never edits a file that is not staged); `git kep fix` writes them.

use crate::files;
use crate::proposal::links::{self, Anchors, Renames, Rewritten, Scope};
use std::path::{Component, Path, PathBuf};

/// A file that links to renamed headings of a target, with what the engine makes of it.
#[derive(Debug)]
pub struct LinkingFile {
    /// Relative to the work-tree root.
    pub file: String,
    pub path: PathBuf,
    pub text: String,
    pub rewritten: Rewritten,
}

impl LinkingFile {
    /// The 1-based line of a byte offset of this file's text.
    pub fn line(&self, offset: usize) -> usize {
        crate::proposal::check::position(&self.text, offset).0
    }
}

/// A proposal whose headings a change renamed, as other files see it.
#[derive(Debug)]
pub struct RenamedTarget {
    /// Relative to the work-tree root.
    pub path: String,
    pub renames: Renames,
    /// The anchors it has now.
    pub anchors: Anchors,
}

/// The Markdown files under `dir` (other than the target itself) with links to headings the
/// target's renames moved or left unclear.
pub fn linking_files(workdir: &Path, dir: &Path, target: &RenamedTarget) -> Vec<LinkingFile> {
    let mut found = Vec::new();
    if target.renames.is_empty() {
        return found;
    }
    let Ok(candidates) = files::markdown_files(dir) else { return found };
    for path in candidates {
        let file = path.strip_prefix(workdir).unwrap_or(&path).to_string_lossy().replace('\\', "/");
        if file == target.path {
            continue;
        }
        let Some(text) = files::read_document(&path).ok().and_then(|bytes| String::from_utf8(bytes).ok()) else {
            continue;
        };
        // A link with a fragment has a `#` however it is escaped (`\#` and `&#35;` too).
        if !text.contains('#') {
            continue;
        }
        let rewritten = rewrite_file(workdir, &path, &text, target);
        if !rewritten.edits.is_empty() || !rewritten.left.is_empty() {
            found.push(LinkingFile { file, path, text, rewritten });
        }
    }
    found
}

/// `text`, the content of the work-tree file `path`, with its links to the target's moved
/// headings pointed at their new anchors.
pub fn rewrite_file(workdir: &Path, path: &Path, text: &str, target: &RenamedTarget) -> Rewritten {
    let target_path = normalize(&workdir.join(&target.path));
    let folder = path.parent().unwrap_or(workdir).to_path_buf();
    let names_target =
        |link_path: &str| !link_path.contains("://") && normalize(&folder.join(link_path)) == target_path;
    links::rewrite(text, &target.renames, &target.anchors, Scope::File(&names_target), &[])
}

/// `path` with `.` and `..` resolved lexically (the files may not exist under these names).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}
