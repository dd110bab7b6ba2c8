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

/// The numbers more than one proposal folder under `dir` uses, each with its folders
/// (work-tree-relative, sorted): `0000-*` placeholders aside, and a pair where one replaced the
/// other (kep.yaml's `status: replaced`, `replaces`, `superseded-by`) aside.
pub fn shared_numbers(workdir: &Path, dir: &Path) -> Vec<(u32, Vec<String>)> {
    let mut by_number: std::collections::BTreeMap<u32, Vec<String>> = std::collections::BTreeMap::new();
    for (number, folder) in proposal_folders(dir) {
        // `0000-*` folders are placeholders and process documents, not numbered proposals.
        if number == 0 {
            continue;
        }
        let relative = folder.strip_prefix(workdir).unwrap_or(&folder).to_string_lossy().replace('\\', "/");
        by_number.entry(number).or_default().push(relative);
    }
    by_number
        .into_iter()
        .filter(|(_, folders)| folders.len() > 1)
        .map(|(number, mut folders)| {
            folders.sort();
            (number, folders)
        })
        .filter(|(_, folders)| !one_replaced_the_other(workdir, folders))
        .collect()
}

/// The folders of kep.dir that group proposals (`sig-node`): neither numbered proposals nor
/// special (`prod-readiness`, templates `NNNN-*`, hidden ones), sorted.
pub fn group_folders(dir: &Path) -> Vec<String> {
    let mut groups: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|entry| entry.file_type().is_ok_and(|t| t.is_dir()))
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| {
            scaffold::folder_number(name).is_none() && !name.starts_with(['.', 'N']) && name != "prod-readiness"
        })
        .collect();
    groups.sort();
    groups
}

/// Two folders sharing a number where one was replaced by the other: one's kep.yaml says
/// `status: replaced`, or its `replaces` / `superseded-by` names the other folder.
fn one_replaced_the_other(workdir: &Path, folders: &[String]) -> bool {
    let metadata: Vec<_> = folders.iter().map(|folder| read_kep_yaml(&workdir.join(folder))).collect();
    let names = |folder: &str| folder.rsplit('/').next().unwrap_or(folder).to_owned();
    folders.len() == 2
        && metadata.iter().enumerate().any(|(i, kep)| {
            let Some(kep) = kep else { return false };
            let other = names(&folders[1 - i]);
            kep.text("status") == Some("replaced")
                || ["replaces", "superseded-by"].iter().any(|key| {
                    kep.get(key).is_some_and(|field| field.value.scalars().iter().any(|path| path.contains(&other)))
                })
        })
}
