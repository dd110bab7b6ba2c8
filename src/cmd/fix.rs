//! `git kep fix`: links from other files to headings a change renamed, pointed at the new
//! anchors in the work tree (the hook only reports those: it never edits a file not staged).

use crate::cli::FixArgs;
use crate::cmd::Context;
use crate::error::{EXIT_FINDINGS, Error, Result};
use crate::files;
use crate::introduced::{Outline, renames};
use crate::toc::{Document, TocStyle};
use std::path::{Component, Path, PathBuf};

/// A link in one file to a renamed heading of another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrossLink {
    /// The linking file, relative to the work-tree root.
    pub file: String,
    pub line: usize,
    /// The linked proposal, relative to the work-tree root.
    pub target: String,
    pub old: String,
    pub new: String,
}

/// The links in the Markdown files under `dir` (other than the target itself) to `#old` of
/// `target` (repository-relative), for each (old, new) in `renamed`.
pub fn links_to_renamed(workdir: &Path, dir: &Path, target: &str, renamed: &[(String, String)]) -> Vec<CrossLink> {
    let mut found = Vec::new();
    let Ok(candidates) = files::markdown_files(dir) else { return found };
    let target_path = normalize(&workdir.join(target));
    for path in candidates {
        let relative = path.strip_prefix(workdir).unwrap_or(&path).to_string_lossy().replace('\\', "/");
        if relative == target {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        // Most files link to none of these: a text search before a parse.
        if !renamed.iter().any(|(old, _)| text.contains(&format!("#{old}"))) {
            continue;
        }
        let Ok(document) = Document::parse_with_links(&text, TocStyle::Markdown) else { continue };
        for link in &document.links {
            let Some((link_path, fragment)) = link.destination.split_once('#') else { continue };
            if link_path.is_empty() || link_path.contains("://") {
                continue;
            }
            let Some((old, new)) = renamed.iter().find(|(old, _)| old == fragment) else { continue };
            let resolved = normalize(&path.parent().unwrap_or(workdir).join(link_path));
            if resolved == target_path {
                let line = crate::check::position(&text, link.offset).0;
                found.push(CrossLink {
                    file: relative.clone(),
                    line,
                    target: target.to_owned(),
                    old: old.clone(),
                    new: new.clone(),
                });
            }
        }
    }
    found
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

/// The headings the work tree's `path` renamed since `base`'s version (anchors only).
fn renamed_since(base_text: &str, text: &str) -> Vec<(String, String)> {
    let (Ok(before), Ok(after)) =
        (Document::parse(base_text, TocStyle::Markdown), Document::parse(text, TocStyle::Markdown))
    else {
        return Vec::new();
    };
    let outline = |d: &Document<'_>| {
        d.headings.iter().map(|h| Outline { level: h.level, anchor: d.anchor(h).to_owned() }).collect::<Vec<_>>()
    };
    let gone: Vec<String> = outline(&before).into_iter().map(|h| h.anchor).collect();
    let linked: Vec<&str> = gone.iter().map(String::as_str).collect();
    renames(&outline(&before), &outline(&after), &linked).renamed
}

pub fn run(args: &FixArgs) -> Result<u8> {
    let context = Context::load(&Default::default())?;
    let Some(repo) = &context.repo else {
        return Err(Error::new("not inside a git repository").hint("cd into your proposals repository first"));
    };
    let Some(workdir) = repo.workdir().map(Path::to_path_buf) else {
        return Err(Error::new("this is a bare repository: it has no work-tree files to fix"));
    };
    let since = args.since.as_deref().unwrap_or("HEAD");
    let base = repo.merge_base(since)?.ok_or_else(|| {
        Error::new(format!("--since {since}: no such revision"))
            .hint("name the commit before the rename, e.g. --since HEAD~1")
    })?;
    let dir = workdir.join(&context.settings.dir);
    let mut links = Vec::new();
    for changed in repo.changed_since(&base, &context.settings.dir, false)? {
        if !changed.ends_with(".md") {
            continue;
        }
        let (Some(before), Ok(now)) = (repo.file_at(&base, &changed)?, std::fs::read_to_string(workdir.join(&changed)))
        else {
            continue;
        };
        let renamed = renamed_since(&String::from_utf8_lossy(&before), &now);
        if !renamed.is_empty() {
            links.extend(links_to_renamed(&workdir, &dir, &changed, &renamed));
        }
    }
    // Only the files named, where PATHs are given.
    let named: Vec<PathBuf> =
        args.paths.iter().map(|p| std::fs::canonicalize(p).unwrap_or_else(|_| p.clone())).collect();
    links.retain(|link| {
        named.is_empty()
            || std::fs::canonicalize(workdir.join(&link.file))
                .is_ok_and(|file| named.iter().any(|n| file.starts_with(n)))
    });
    for link in &links {
        let verb = if args.check { "links to" } else { "fixed: linked to" };
        println!("{}:{}: {verb} #{}, renamed to #{} in {}", link.file, link.line, link.old, link.new, link.target);
    }
    if args.check {
        return Ok(if links.is_empty() { 0 } else { EXIT_FINDINGS });
    }
    let mut files_changed: Vec<&str> = links.iter().map(|l| l.file.as_str()).collect();
    files_changed.dedup();
    for file in files_changed {
        let path = workdir.join(file);
        let text = std::fs::read_to_string(&path).map_err(|err| Error::context(format!("cannot read {file}"), err))?;
        let document = Document::parse_with_links(&text, TocStyle::Markdown)
            .map_err(|err| Error::new(format!("{file}:{}: {err}", err.line())))?;
        let mut rewritten = text.clone();
        // Each link's fragment, from the last to the first, so offsets hold.
        let mut edits: Vec<(usize, usize, String)> = Vec::new();
        for doc_link in &document.links {
            let Some((link_path, fragment)) = doc_link.destination.split_once('#') else { continue };
            if link_path.is_empty() {
                continue;
            }
            let resolved = normalize(&path.parent().unwrap_or(&workdir).join(link_path));
            let matching = links
                .iter()
                .find(|l| l.file == file && l.old == fragment && normalize(&workdir.join(&l.target)) == resolved);
            let Some(link) = matching else { continue };
            let rest = &text[doc_link.offset..];
            if let Some(at) = rest.find(&doc_link.destination) {
                let start = doc_link.offset + at + doc_link.destination.len() - link.old.len();
                edits.push((start, start + link.old.len(), link.new.clone()));
            }
        }
        edits.sort_by_key(|(start, _, _)| std::cmp::Reverse(*start));
        for (start, end, new) in edits {
            rewritten.replace_range(start..end, &new);
        }
        match files::write_atomically(&path, text.as_bytes(), rewritten.as_bytes())? {
            files::Placed::Replaced => {}
            _ => eprintln!("warning: {file} was saved meanwhile: left as saved (run again)"),
        }
    }
    Ok(0)
}
