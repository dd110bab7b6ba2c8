//! Where proposals are in the work tree: the files the layout's patterns match, numbered
//! folders, their README and metadata files.

use crate::proposal::layout::Layout;
use crate::proposal::scaffold;
use std::path::{Path, PathBuf};

/// A proposal found in the work tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Its main document, work-tree relative, `/`-separated.
    pub path: String,
    /// Its folder (folder proposals only).
    pub folder: Option<String>,
    pub number: Option<u64>,
    pub group: Option<String>,
}

/// Every proposal the layout's patterns match under the work tree, by number then path. Only
/// as deep as the patterns go; hidden folders and symlinks are not followed.
pub fn proposals(workdir: &Path, layout: &Layout) -> Vec<Found> {
    let depth = layout.patterns.iter().map(|p| p.as_str().split('/').count()).max().unwrap_or(0);
    let mut found = Vec::new();
    for root in layout.roots() {
        let start = if root.is_empty() { workdir.to_path_buf() } else { workdir.join(&root) };
        let mut pending = vec![(start, root.clone())];
        while let Some((dir, relative)) = pending.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else { continue };
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if name.starts_with('.') {
                    continue;
                }
                let path = if relative.is_empty() { name.clone() } else { format!("{relative}/{name}") };
                let Ok(kind) = entry.file_type() else { continue };
                if kind.is_dir() && path.split('/').count() < depth {
                    pending.push((entry.path(), path));
                } else if kind.is_file()
                    && let Some((_, matched)) = layout.find(&path)
                {
                    found.push(Found { path, folder: matched.folder, number: matched.number, group: matched.group });
                }
            }
        }
    }
    found.sort_by(|a, b| (a.number, &a.path).cmp(&(b.number, &b.path)));
    found.dedup_by(|a, b| a.path == b.path);
    found
}

/// Whether a file is a proposal's main document, whose sections the template requires: by the
/// layout where its work-tree path is known, else a README.md in a numbered folder.
pub fn is_proposal(layout: &Layout, relative: Option<&str>, path: &Path) -> bool {
    match relative {
        Some(relative) => layout.find(relative).is_some(),
        None => is_proposal_readme(path),
    }
}

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
    read_yaml(&folder.join("kep.yaml"))
}

/// A metadata file beside a proposal's main document (`kep.yaml`, `metadata.yaml`), read
/// leniently (what it says, even where it is not quite YAML).
pub fn read_sidecar(folder: &Path) -> Option<crate::proposal::kep_yaml::KepYaml> {
    read_sidecar_text(folder).map(|text| crate::proposal::metadata_sources::parse_leniently(&text))
}

/// The metadata files a proposal folder may hold, in the order they are looked for.
pub const SIDECARS: [&str; 2] = ["kep.yaml", "metadata.yaml"];

/// The text of the folder's metadata file (`SIDECARS`), read as `read_sidecar` reads it.
pub fn read_sidecar_text(folder: &Path) -> Option<String> {
    SIDECARS.iter().find_map(|name| read_metadata_text(&folder.join(name)))
}

fn read_yaml(path: &Path) -> Option<crate::proposal::kep_yaml::KepYaml> {
    crate::proposal::kep_yaml::KepYaml::parse(&read_metadata_text(path)?).ok()
}

/// A metadata file's text: not through a symlink (a proposal's own file), regular, small,
/// never waited on.
fn read_metadata_text(path: &Path) -> Option<String> {
    if !std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file()) {
        return None;
    }
    crate::files::read_small_text(path, crate::files::MAX_METADATA_BYTES).ok()
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

/// The numbers more than one proposal uses, each with its proposals (folders, or files for
/// single-file proposals; work-tree relative, sorted): `0000-*` placeholders aside, dates aside
/// (two proposals may start on one day), documents that only say where a proposal moved aside,
/// a pair where one replaced the other (kep.yaml's `status: replaced`, `replaces`,
/// `superseded-by`) aside, and numbers of two series aside (`layout::number_series`).
pub fn shared_numbers(workdir: &Path, layout: &Layout) -> Vec<(u64, Vec<String>)> {
    use crate::proposal::layout::PatternNumbering;
    use std::collections::{BTreeMap, BTreeSet};
    let mut numbered: Vec<(usize, u64, String, String)> = Vec::new();
    for found in proposals(workdir, layout) {
        let Some(pattern) = layout.patterns.iter().position(|p| p.matches(&found.path).is_some()) else { continue };
        let by_date = layout.patterns[pattern].numbering() == PatternNumbering::Date;
        let Some(number) = found.number.filter(|n| *n > 0 && !by_date) else { continue };
        numbered.push((pattern, number, found.folder.unwrap_or_else(|| found.path.clone()), found.path));
    }
    let mut per_pattern = vec![BTreeSet::new(); layout.patterns.len()];
    for (pattern, number, _, _) in &numbered {
        per_pattern[*pattern].insert(*number);
    }
    let series = crate::proposal::layout::number_series(&per_pattern);
    let mut by_number: BTreeMap<(u64, usize), Vec<(String, String)>> = BTreeMap::new();
    for (pattern, number, proposal, path) in numbered {
        by_number.entry((number, series[pattern])).or_default().push((proposal, path));
    }
    // A document left where a proposal was, saying where it went, holds no number of its own.
    let stub = |path: &str| {
        crate::files::read_small_text(&workdir.join(path), 4096)
            .is_ok_and(|text| crate::proposal::stub::is_moved_stub(&text))
    };
    by_number
        .into_iter()
        .filter(|(_, proposals)| proposals.len() > 1)
        .map(|((number, _), proposals)| {
            let mut kept: Vec<String> =
                proposals.into_iter().filter(|(_, path)| !stub(path)).map(|(proposal, _)| proposal).collect();
            kept.sort();
            (number, kept)
        })
        .filter(|(_, proposals)| proposals.len() > 1 && !one_replaced_the_other(workdir, proposals))
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
