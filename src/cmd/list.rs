//! `git kep list`: every proposal with its number, title, metadata and TOC freshness, filtered
//! by its metadata (kubernetes/enhancements' `kepctl query`).

use super::Context;
use super::{for_each_parallel, write_or_exit_quietly};
use crate::cli::{ListArgs, ListFormat, TocFlags};
use crate::error::{Error, Result};
use crate::proposal::metadata_sources::{Metadata, Source};
use crate::toc::{Document, Outcome, TocOptions};
use crate::worktree::layout::{Found, proposals, read_sidecar};
use std::path::Path;

/// One proposal as listed.
struct Entry {
    number: Option<u64>,
    title: String,
    /// Its main document, relative to the work-tree root.
    path: String,
    /// Its folder, or for a single-file proposal its path.
    folder: String,
    /// The group its path puts it in (`{group}`).
    group: Option<String>,
    status: Option<String>,
    sig: Option<String>,
    stage: Option<String>,
    milestone: Option<String>,
    authors: Vec<String>,
    /// Every field its metadata sources have (`None` without any).
    metadata: Option<serde_json::Value>,
    /// Where each field came from (`file`, `front matter`, `header lines`, `status section`).
    sources: serde_json::Value,
    /// `fresh`, `stale`, `none` (no markers), `malformed`, or `missing` (no README.md).
    toc: &'static str,
}

impl Entry {
    /// Whether it passes every filter given (within one kind, any of the values).
    fn matches(&self, args: &ListArgs) -> bool {
        let one_of = |wanted: &[String], value: &Option<String>| {
            wanted.is_empty() || value.as_ref().is_some_and(|v| wanted.iter().any(|w| w == v))
        };
        let by_author = args.author.is_empty()
            || self
                .authors
                .iter()
                .any(|a| args.author.iter().any(|w| w.trim_start_matches('@') == a.trim_start_matches('@')));
        let milestone = |m: &str| m.trim_start_matches('v').to_owned();
        let by_milestone = args.milestone.is_empty()
            || self.milestone.as_deref().is_some_and(|m| args.milestone.iter().any(|w| milestone(w) == milestone(m)));
        let group = self.sig.clone().or_else(|| self.group.clone());
        one_of(&args.sig, &group)
            && one_of(&args.status, &self.status)
            && one_of(&args.stage, &self.stage)
            && by_author
            && by_milestone
    }
}

/// A kep.yaml value as JSON.
fn json_of(value: &crate::proposal::kep_yaml::Value) -> serde_json::Value {
    use crate::proposal::kep_yaml::Value;
    match value {
        Value::Null => serde_json::Value::Null,
        Value::Scalar(text) => serde_json::Value::String(text.clone()),
        Value::List(items) => serde_json::Value::Array(items.iter().map(json_of).collect()),
        Value::Map(entries) => {
            serde_json::Value::Object(entries.iter().map(|(k, v)| (k.clone(), json_of(v))).collect())
        }
    }
}

pub fn run(args: &ListArgs) -> Result<u8> {
    let context = Context::load_detecting(&TocFlags::default())?;
    let Some(workdir) = context.repo.as_ref().and_then(|r| r.workdir()).map(Path::to_path_buf) else {
        return Err(
            Error::new("not inside a git repository with a work tree").hint("cd into your proposals repository")
        );
    };
    let roots = context.settings.layout.roots();
    if !roots.iter().any(|root| workdir.join(root).is_dir()) {
        return Err(Error::new(format!("the proposals directory `{}` does not exist", context.settings.dir))
            .hint("see where proposals are with `git kep init --dry-run`, then `git kep init`")
            .hint(format!("or set it: git config {} DIR", crate::config::KEY_DIR)));
    }
    let found = proposals(&workdir, &context.settings.layout);
    let options = context.settings.toc.clone();
    let mut entries = for_each_parallel(&found, |proposal| describe(proposal, &workdir, &options));
    check_filters(args, &entries, &context.settings)?;
    entries.retain(|entry| entry.matches(args));
    let output = match args.format {
        ListFormat::Human => human(&entries),
        ListFormat::Json => json(&entries),
    };
    write_or_exit_quietly(&mut std::io::stdout().lock(), output.as_bytes());
    Ok(0)
}

/// A filter value no proposal has, and no setting names, is a typo: an error, not an empty list.
fn check_filters(args: &ListArgs, entries: &[Entry], settings: &crate::config::Settings) -> Result<()> {
    type Field = fn(&Entry) -> Option<String>;
    let filters: [(&str, &[String], Field, Vec<String>); 3] = [
        ("--status", &args.status, |e| e.status.clone(), settings.metadata_rules.statuses.clone()),
        ("--sig", &args.sig, |e| e.sig.clone().or_else(|| e.group.clone()), settings.groups.clone()),
        ("--stage", &args.stage, |e| e.stage.clone(), Vec::new()),
    ];
    for (flag, wanted, field, configured) in filters {
        let mut known: Vec<String> = entries.iter().filter_map(field).chain(configured).collect();
        known.sort();
        known.dedup();
        if let Some(value) = wanted.iter().find(|value| !known.contains(value)) {
            let listed = if known.is_empty() { "none".to_owned() } else { known.join(", ") };
            return Err(
                Error::new(format!("{flag} {value:?}: no proposal has it")).hint(format!("values here: {listed}"))
            );
        }
    }
    Ok(())
}

fn describe(proposal: &Found, workdir: &Path, options: &TocOptions) -> Entry {
    let text = crate::files::read_document(&workdir.join(&proposal.path))
        .ok()
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned());
    // A metadata file beside the document (kep.yaml, metadata.yaml), then its front matter,
    // header lines and status section: each field from the first that has it.
    let file = proposal.folder.as_ref().and_then(|folder| read_sidecar(&workdir.join(folder)));
    let metadata = Metadata::read(file.as_ref(), text.as_deref());
    let value = |key: &str| metadata.text(key).map(str::to_owned);
    // `status`, else a field named for one (`Implementation Status:`).
    let status = value("status").or_else(|| {
        metadata.fields.iter().find(|(key, _, _)| key.ends_with("-status")).and_then(|(key, _, _)| value(key))
    });
    let (sig, stage, milestone) = (value("owning-sig"), value("stage"), value("latest-milestone"));
    // A document left where a proposal was, saying where it went.
    let moved = text.as_deref().is_some_and(crate::proposal::stub::is_moved_stub);
    let status = status.or_else(|| moved.then(|| "moved".to_owned()));
    let authors = metadata
        .get("authors")
        .or_else(|| metadata.get("author"))
        .map(|value| value.scalars().into_iter().map(str::to_owned).collect())
        .unwrap_or_default();
    let fields = (!metadata.fields.is_empty()).then(|| {
        serde_json::Value::Object(metadata.fields.iter().map(|(key, value, _)| (key.clone(), json_of(value))).collect())
    });
    let sources = serde_json::Value::Object(
        metadata.fields.iter().map(|(key, _, source)| (key.clone(), source.name().into())).collect(),
    );
    let (title, toc) = match &text {
        None => (String::new(), "missing"),
        Some(text) => match Document::parse(text, options.style) {
            Err(_) => (first_h1_line(text), "malformed"),
            Ok(document) => {
                // The H1, else a heading that opens the document (`A6: Client Retries` over
                // `----`, gRPC's; `## Title` first, Prometheus's).
                let opening = document.headings.first().filter(|h| {
                    let before = text.get(crate::toc::content_start(text)..h.span().start);
                    before.is_some_and(|before| before.trim().is_empty())
                });
                let title = document
                    .headings
                    .iter()
                    .find(|h| h.level == 1)
                    .or(opening)
                    .map(|h| document.heading_text(h).trim().to_owned())
                    .unwrap_or_default();
                let toc = match document.outcome(options) {
                    Outcome::Fresh => "fresh",
                    Outcome::Stale(_) => "stale",
                    Outcome::NoMarkers => "none",
                    Outcome::Unmatched { .. } => "unmatched",
                };
                (title, toc)
            }
        },
    };
    // A front matter's title first (the H1 may be the template's, left as it was), then the
    // H1, then the title any other metadata gives (its title, else a metadata file's name).
    let front_title = metadata.fields.iter().find(|(key, _, source)| key == "title" && *source == Source::FrontMatter);
    // An H1 that is a section's (`# Summary` in Rust's and Vue's RFCs) names no proposal.
    let section = ["summary", "motivation", "abstract", "overview", "meta", "introduction"]
        .contains(&title.to_ascii_lowercase().as_str());
    let named = || value("title").or_else(|| value("feature-name")).or_else(|| value("name"));
    let title = match front_title.and_then(|(_, value, _)| value.scalars().first().map(|t| t.trim().to_owned())) {
        Some(front) if !front.is_empty() => front,
        _ if title.is_empty() => named().unwrap_or_default(),
        _ if section => named().unwrap_or(title),
        _ => title,
    };
    Entry {
        number: proposal.number,
        title,
        path: proposal.path.clone(),
        folder: proposal.folder.clone().unwrap_or_else(|| proposal.path.clone()),
        group: proposal.group.clone(),
        status,
        sig,
        stage,
        milestone,
        authors,
        metadata: fields,
        sources,
        toc,
    }
}

/// `text` cut to `most` characters, the last of them `…`.
fn shortened(text: &str, most: usize) -> String {
    if text.chars().count() <= most {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(most - 1).collect();
    cut.push('…');
    cut
}

fn first_h1_line(text: &str) -> String {
    text.lines().find_map(|line| line.strip_prefix("# ")).unwrap_or_default().trim().to_owned()
}

fn human(entries: &[Entry]) -> String {
    let dash = |value: &Option<String>| value.clone().unwrap_or_else(|| "-".to_owned());
    // The metadata columns only where some kep.yaml has them.
    type Column = (&'static str, fn(&Entry) -> Option<String>);
    let optional: [Column; 3] = [
        ("SIG", |e| e.sig.clone().or_else(|| e.group.clone())),
        ("STAGE", |e| e.stage.clone()),
        ("MILESTONE", |e| e.milestone.clone()),
    ];
    /// A column: its header, its cell, whether it is right-aligned.
    type Shown<'a> = (&'a str, Box<dyn Fn(&Entry) -> String + 'a>, bool);
    let number = |e: &Entry| e.number.map_or_else(|| "-".to_owned(), |n| n.to_string());
    let mut columns: Vec<Shown<'_>> = vec![("NUMBER", Box::new(number), true)];
    for (name, value) in optional.iter().take(1) {
        if entries.iter().any(|e| value(e).is_some()) {
            columns.push((name, Box::new(move |e: &Entry| dash(&value(e))), false));
        }
    }
    // A status is a word or a few: a long one (notes after it) is cut, whole in `--format json`.
    columns.push(("STATUS", Box::new(move |e: &Entry| shortened(&dash(&e.status), 32)), false));
    for (name, value) in optional.iter().skip(1) {
        if entries.iter().any(|e| value(e).is_some()) {
            columns.push((name, Box::new(move |e: &Entry| dash(&value(e))), false));
        }
    }
    columns.push(("TOC", Box::new(|e: &Entry| e.toc.to_owned()), false));
    columns.push(("FOLDER", Box::new(|e: &Entry| e.folder.clone()), false));
    columns.push(("TITLE", Box::new(|e: &Entry| e.title.clone()), false));
    let cells: Vec<Vec<String>> = entries
        .iter()
        .map(|e| columns.iter().map(|(_, value, _)| crate::paint::printable(&value(e)).into_owned()).collect())
        .collect();
    let widths: Vec<usize> = (0..columns.len())
        .map(|i| cells.iter().map(|row| row[i].chars().count()).chain([columns[i].0.len()]).max().unwrap_or(0))
        .collect();
    let row = |values: Vec<&str>| {
        let mut line = String::new();
        for (i, value) in values.iter().enumerate() {
            if i > 0 {
                line.push_str("  ");
            }
            let pad = widths[i].saturating_sub(value.chars().count());
            if columns[i].2 {
                line.push_str(&" ".repeat(pad));
                line.push_str(value);
            } else {
                line.push_str(value);
                line.push_str(&" ".repeat(pad));
            }
        }
        format!("{}\n", line.trim_end())
    };
    let mut out = row(columns.iter().map(|(name, _, _)| *name).collect());
    for cells in &cells {
        out.push_str(&row(cells.iter().map(String::as_str).collect()));
    }
    out
}

/// A JSON array of `{"number" (or null), "title", "path" (the main document), "folder",
/// "group", "status", "sig", "stage", "milestone" (strings
/// or null), "toc", "metadata" (every field of kep.yaml, null without one)}`.
fn json(entries: &[Entry]) -> String {
    let list: Vec<serde_json::Value> = entries
        .iter()
        .map(|e| {
            serde_json::json!({
                "number": e.number,
                "title": e.title,
                "path": e.path,
                "folder": e.folder,
                "group": e.group,
                "status": e.status,
                "sig": e.sig,
                "stage": e.stage,
                "milestone": e.milestone,
                "toc": e.toc,
                "metadata": e.metadata,
                "sources": e.sources,
            })
        })
        .collect();
    format!("{}\n", serde_json::to_string_pretty(&list).unwrap_or_default())
}
