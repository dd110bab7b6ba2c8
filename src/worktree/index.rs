//! The rows of a proposal index (`proposal::index`), read from the work tree: each proposal the
//! layout matches, with its metadata wherever it keeps it and its path as seen from the index.

use crate::proposal::index::Row;
use crate::proposal::layout::Layout;
use crate::proposal::metadata_sources::Metadata;
use std::path::Path;

/// Every proposal's row, paths relative to `index_dir` (work-tree relative, "" for the root).
pub fn rows(workdir: &Path, layout: &Layout, index_dir: &str) -> Vec<Row> {
    super::layout::proposals(workdir, layout)
        .into_iter()
        .map(|found| {
            let text = crate::files::read_document(&workdir.join(&found.path))
                .ok()
                .map(|bytes| String::from_utf8_lossy(&bytes).into_owned());
            let file = found.folder.as_ref().and_then(|folder| super::layout::read_sidecar(&workdir.join(folder)));
            let metadata = Metadata::read(file.as_ref(), text.as_deref());
            let mut fields: Vec<(String, String)> =
                metadata.fields.iter().map(|(key, value, _)| (key.clone(), value.scalars().join(", "))).collect();
            let title = metadata
                .text("title")
                .map(str::to_owned)
                .or_else(|| text.as_deref().and_then(crate::proposal::scaffold::first_h1).map(str::to_owned));
            fields.retain(|(key, _)| key != "title");
            fields.push(("title".to_owned(), title.unwrap_or_default()));
            fields.push(("path".to_owned(), relative_to(index_dir, &found.path)));
            if let Some(group) = &found.group {
                fields.push(("group".to_owned(), group.clone()));
            }
            Row { number: found.number, fields }
        })
        .collect()
}

/// `path` as a link from a file in `dir` (both work-tree relative).
fn relative_to(dir: &str, path: &str) -> String {
    let from: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    let to: Vec<&str> = path.split('/').collect();
    let shared = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<&str> = vec![".."; from.len() - shared];
    parts.extend(&to[shared..]);
    parts.join("/")
}

#[cfg(test)]
mod tests {
    #[test]
    fn paths_are_relative_to_the_index() {
        assert_eq!(super::relative_to("teps", "teps/0001-a.md"), "0001-a.md");
        assert_eq!(super::relative_to("", "teps/0001-a.md"), "teps/0001-a.md");
        assert_eq!(super::relative_to("docs/index", "keps/sig-a/1-x/README.md"), "../../keps/sig-a/1-x/README.md");
    }
}
