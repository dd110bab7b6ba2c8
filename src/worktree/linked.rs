//! The files links reach: does a linked file exist, and which anchors it has (each read once).

use crate::files;
use crate::proposal::check::LinkedFile;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Answers "does this file exist and which anchors does it have" for cross-file links, each
/// file read and parsed once.
pub struct LinkedFiles {
    workdir: Option<PathBuf>,
    /// The folder a link's leading `/` stands for (`kep.siteRoot`, work-tree relative); `None`:
    /// such links are not checked (a site generator decides where `/docs/...` is).
    site_root: Option<String>,
    cache: Mutex<HashMap<PathBuf, Option<Arc<HashSet<String>>>>>,
}

impl LinkedFiles {
    pub fn new(workdir: Option<PathBuf>, site_root: Option<String>) -> Self {
        // Canonical once, so resolved link targets can be compared with it.
        let workdir = workdir.map(|w| std::fs::canonicalize(&w).unwrap_or(w));
        LinkedFiles { workdir, site_root, cache: Mutex::new(HashMap::new()) }
    }

    pub fn answer(&self, from: &Path, link_path: &str) -> LinkedFile {
        let link_path = link_path.trim_start_matches("./");
        if !link_path.to_ascii_lowercase().ends_with(".md") {
            return LinkedFile::Unchecked;
        }
        let target = match (link_path.strip_prefix('/'), &self.workdir, &self.site_root) {
            (Some(rooted), Some(workdir), Some(site_root)) => workdir.join(site_root).join(rooted),
            (Some(_), _, _) => return LinkedFile::Unchecked,
            (None, _, _) => from.parent().unwrap_or(Path::new(".")).join(link_path),
        };
        let Ok(resolved) = std::fs::canonicalize(&target) else { return LinkedFile::Missing };
        if let Some(workdir) = &self.workdir
            && !resolved.starts_with(workdir)
        {
            return LinkedFile::Unchecked;
        }
        let cached = self.cache.lock().map(|cache| cache.get(&resolved).cloned()).ok().flatten();
        let anchors = cached.unwrap_or_else(|| {
            let anchors = read_anchors(&resolved).map(|anchors| Arc::new(anchors.into_iter().collect()));
            if let Ok(mut cache) = self.cache.lock() {
                cache.insert(resolved.clone(), anchors.clone());
            }
            anchors
        });
        match anchors {
            // Shared, not copied: a copy per link made many links to a long file quadratic.
            Some(anchors) => LinkedFile::Anchors(anchors),
            None => LinkedFile::Unchecked,
        }
    }
}

/// A file's heading anchors and HTML ids; `None` if it cannot be read as UTF-8 text.
fn read_anchors(path: &Path) -> Option<Vec<String>> {
    let text = String::from_utf8(files::read_document(path).ok()?).ok()?;
    Some(crate::toc::anchors(&text))
}
