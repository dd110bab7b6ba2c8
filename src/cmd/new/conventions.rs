//! What the newest proposals of a repository share, for `git kep new` to follow where the
//! template does not say: their H1 (`# TEP-0042: ...`), their front matter's keys and titles,
//! their statuses, and the metadata file beside them.

use crate::proposal::metadata_sources::{Metadata, front_matter};
use crate::worktree::layout::Found;
use std::path::Path;

/// The newest proposals read (at most 50).
pub(super) struct Recent {
    pub h1s: Vec<String>,
    /// Each one's front matter keys, in order (empty: none).
    front_keys: Vec<Vec<String>>,
    pub front_titles: Vec<String>,
    pub statuses: Vec<String>,
    /// The metadata file most of them have beside them, and the newest one's text.
    pub sidecar: Option<(String, String)>,
}

impl Recent {
    pub fn read(workdir: &Path, found: &[Found]) -> Recent {
        let mut recent = Recent {
            h1s: Vec::new(),
            front_keys: Vec::new(),
            front_titles: Vec::new(),
            statuses: Vec::new(),
            sidecar: None,
        };
        let newest: Vec<&Found> = found.iter().rev().take(50).collect();
        for proposal in &newest {
            let Ok(bytes) = crate::files::read_document(&workdir.join(&proposal.path)) else { continue };
            let Ok(text) = String::from_utf8(bytes) else { continue };
            if let Some(h1) = crate::proposal::scaffold::first_h1(&text) {
                recent.h1s.push(h1.to_owned());
            }
            let front = front_matter(&text);
            recent.front_keys.push(
                front.as_ref().map(|f| f.fields.iter().map(|field| field.key.clone()).collect()).unwrap_or_default(),
            );
            if let Some(title) = front.as_ref().and_then(|f| f.text("title")) {
                recent.front_titles.push(title.to_owned());
            }
            let file = proposal
                .folder
                .as_ref()
                .and_then(|folder| crate::worktree::layout::read_sidecar(&workdir.join(folder)));
            if let Some(status) = Metadata::read(file.as_ref(), Some(&text)).text("status") {
                recent.statuses.push(status.to_owned());
            }
        }
        // A metadata file three of four folders have: the newest one's, as the model.
        for name in ["metadata.yaml", "kep.yaml"] {
            let with: Vec<&&Found> = newest
                .iter()
                .filter(|p| p.folder.as_ref().is_some_and(|folder| workdir.join(folder).join(name).is_file()))
                .collect();
            if !with.is_empty() && with.len() * 4 >= newest.len() * 3 {
                let newest_with = with.iter().max_by_key(|p| p.number).and_then(|p| p.folder.as_ref());
                if let Some(model) =
                    newest_with.and_then(|folder| std::fs::read_to_string(workdir.join(folder).join(name)).ok())
                {
                    recent.sidecar = Some((name.to_owned(), model));
                    break;
                }
            }
        }
        recent
    }

    /// Where three of four of the newest proposals have front matter: the keys most of them
    /// share (in the newest one's order) and the `required` ones; `None` otherwise.
    pub fn front_matter_keys(&self, required: &[String]) -> Option<Vec<String>> {
        let with: Vec<&Vec<String>> = self.front_keys.iter().filter(|keys| !keys.is_empty()).collect();
        if with.is_empty() || with.len() * 4 < self.front_keys.len() * 3 {
            return None;
        }
        let shared = |key: &String| with.iter().filter(|keys| keys.contains(key)).count() * 4 >= with.len() * 3;
        let mut keys: Vec<String> = with[0].iter().filter(|key| shared(key)).cloned().collect();
        for key in required {
            if !keys.contains(key) {
                keys.push(key.clone());
            }
        }
        Some(keys)
    }
}
