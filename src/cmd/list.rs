//! `git kep list`: every proposal with its number, title, status and TOC freshness.

use crate::cli::{ListArgs, ListFormat, TocFlags};
use crate::cmd::Context;
use crate::cmd::{for_each_parallel, write_or_exit_quietly};
use crate::error::{Error, Result};
use crate::proposal;
use crate::toc::{Document, Outcome, TocOptions};
use std::path::{Path, PathBuf};

/// One proposal folder as listed.
struct Entry {
    number: u32,
    title: String,
    /// Relative to the work-tree root.
    folder: String,
    status: Option<String>,
    /// `fresh`, `stale`, `none` (no markers), `malformed`, or `missing` (no README.md).
    toc: &'static str,
}

pub fn run(args: &ListArgs) -> Result<u8> {
    let context = Context::load(&TocFlags::default())?;
    let Some(workdir) = context.repo.as_ref().and_then(|r| r.workdir()).map(Path::to_path_buf) else {
        return Err(
            Error::new("not inside a git repository with a work tree").hint("cd into your proposals repository")
        );
    };
    let folders = proposal_folders(&workdir.join(&context.settings.dir));
    let options = context.settings.toc;
    let mut entries = for_each_parallel(&folders, |(number, folder)| describe(*number, folder, &workdir, &options));
    entries.sort_by(|a, b| (a.number, &a.folder).cmp(&(b.number, &b.folder)));
    let output = match args.format {
        ListFormat::Human => human(&entries),
        ListFormat::Json => json(&entries),
    };
    write_or_exit_quietly(&mut std::io::stdout().lock(), output.as_bytes());
    Ok(0)
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
            match proposal::folder_number(&name) {
                Some((number, _)) => found.push((number, entry.path())),
                None if !name.starts_with('.') => pending.push(entry.path()),
                None => {}
            }
        }
    }
    found
}

fn describe(number: u32, folder: &Path, workdir: &Path, options: &TocOptions) -> Entry {
    let relative = folder.strip_prefix(workdir).unwrap_or(folder).to_string_lossy().replace('\\', "/");
    let metadata = read_kep_yaml(folder);
    // The YAML value: `implementable # Jumping over beta` is `implementable`.
    let status = metadata.as_ref().and_then(|kep| kep.text("status")).map(str::to_owned).filter(|s| !s.is_empty());
    let (title, toc) = match readme_of(folder).map(std::fs::read_to_string) {
        None | Some(Err(_)) => (String::new(), "missing"),
        Some(Ok(text)) => match Document::parse(&text, options.style) {
            Err(_) => (first_h1_line(&text), "malformed"),
            Ok(document) => {
                let title = document
                    .headings
                    .iter()
                    .find(|h| h.level == 1)
                    .map(|h| document.heading_text(h).trim().to_owned())
                    .unwrap_or_default();
                let toc = match document.outcome(options) {
                    Outcome::Fresh => "fresh",
                    Outcome::Stale(_) => "stale",
                    Outcome::NoMarkers => "none",
                };
                (title, toc)
            }
        },
    };
    // No H1 in the README: the title kep.yaml gives.
    let title = if title.is_empty() {
        metadata.as_ref().and_then(|kep| kep.text("title")).unwrap_or_default().trim().to_owned()
    } else {
        title
    };
    Entry { number, title, folder: relative, status, toc }
}

/// The folder's `kep.yaml`, if it has one that parses.
pub fn read_kep_yaml(folder: &Path) -> Option<crate::kep_yaml::KepYaml> {
    crate::kep_yaml::KepYaml::parse(&std::fs::read_to_string(folder.join("kep.yaml")).ok()?).ok()
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

fn first_h1_line(text: &str) -> String {
    text.lines().find_map(|line| line.strip_prefix("# ")).unwrap_or_default().trim().to_owned()
}

fn human(entries: &[Entry]) -> String {
    let header = ("NUMBER", "STATUS", "TOC", "FOLDER", "TITLE");
    let status = |e: &Entry| e.status.clone().unwrap_or_else(|| "-".to_owned());
    let width_number = entries.iter().map(|e| e.number.to_string().len()).chain([header.0.len()]).max().unwrap_or(0);
    let width_status = entries.iter().map(|e| status(e).len()).chain([header.1.len()]).max().unwrap_or(0);
    let width_toc = entries.iter().map(|e| e.toc.len()).chain([header.2.len()]).max().unwrap_or(0);
    let width_folder = entries.iter().map(|e| e.folder.len()).chain([header.3.len()]).max().unwrap_or(0);
    let mut out = format!(
        "{:>width_number$}  {:width_status$}  {:width_toc$}  {:width_folder$}  {}\n",
        header.0, header.1, header.2, header.3, header.4
    );
    for e in entries {
        let line = format!(
            "{:>width_number$}  {:width_status$}  {:width_toc$}  {:width_folder$}  {}",
            e.number,
            crate::paint::printable(&status(e)),
            e.toc,
            crate::paint::printable(&e.folder),
            crate::paint::printable(&e.title)
        );
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// A JSON array of `{"number", "title", "folder", "status" (string or null), "toc"}`.
fn json(entries: &[Entry]) -> String {
    let list: Vec<serde_json::Value> = entries
        .iter()
        .map(|e| {
            serde_json::json!({
                "number": e.number,
                "title": e.title,
                "folder": e.folder,
                "status": e.status,
                "toc": e.toc,
            })
        })
        .collect();
    format!("{}\n", serde_json::to_string_pretty(&list).unwrap_or_default())
}
