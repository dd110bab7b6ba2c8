//! Where proposals are in the work tree: numbered folders, their README and kep.yaml.

use crate::proposal::scaffold;
use std::path::{Path, PathBuf};

/// Numbered folders under `dir` (any depth; a numbered folder is not searched further).
pub fn proposal_folders(dir: &Path) -> Vec<(u32, PathBuf)> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&current) else { continue };
        for entry in entries.flatten() {
            if !entry.file_type().is_ok_and(|t| t.is_dir()) {
                continue;
            }
            let name = entry.file_name().to_string_lossy().into_owned();
            match scaffold::folder_number(&name) {
                Some((number, _)) => found.push((number, entry.path())),
                None if !name.starts_with('.') => pending.push(entry.path()),
                None => {}
            }
        }
    }
    found
}

/// The folder's `kep.yaml`, if it has one that parses.
pub fn read_kep_yaml(folder: &Path) -> Option<crate::proposal::kep_yaml::KepYaml> {
    crate::proposal::kep_yaml::KepYaml::parse(&std::fs::read_to_string(folder.join("kep.yaml")).ok()?).ok()
}

/// The folder's README, whatever the case of its name (`README.md`, `README.MD`, `readme.md`).
pub fn readme_of(folder: &Path) -> Option<std::path::PathBuf> {
    let exact = folder.join("README.md");
    if exact.is_file() {
        return Some(exact);
    }
    std::fs::read_dir(folder)
        .ok()?
        .flatten()
        .map(|entry| entry.path())
        .find(|path| path.is_file() && path.file_name().is_some_and(|name| name.eq_ignore_ascii_case("README.md")))
}

/// Sections are required of a proposal's README.md: in a numbered folder, not a template.
pub fn is_proposal_readme(path: &Path) -> bool {
    path.file_name().is_some_and(|name| name == "README.md")
        && path
            .parent()
            .and_then(Path::file_name)
            .is_some_and(|folder| scaffold::folder_number(&folder.to_string_lossy()).is_some())
}
