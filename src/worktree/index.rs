//! The rows of a proposal index (`proposal::index`), read from the work tree: each proposal the
//! layout matches, with its metadata wherever it keeps it and its path as seen from the index.

use crate::proposal::index::{Row, row};
use crate::proposal::layout::Layout;
use std::path::Path;

/// Every proposal's row, paths relative to `index_dir` (work-tree relative, "" for the root).
pub fn rows(workdir: &Path, layout: &Layout, index_dir: &str) -> Vec<Row> {
    super::layout::proposals(workdir, layout)
        .into_iter()
        .map(|found| {
            let text = crate::files::read_document(&workdir.join(&found.path))
                .ok()
                .map(|bytes| String::from_utf8_lossy(&bytes).into_owned());
            let sidecar =
                found.folder.as_ref().and_then(|folder| super::layout::read_sidecar_text(&workdir.join(folder)));
            row(found.number, found.group.as_deref(), &found.path, index_dir, text.as_deref(), sidecar.as_deref())
        })
        .collect()
}
