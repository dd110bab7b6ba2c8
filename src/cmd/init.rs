//! `git kep init`: where this repository keeps its proposals, how it numbers and names them,
//! its template and its TOC tool, detected from its tracked files; said with the reasons, and
//! written to `.kepconfig` (or, with `--local`, the repository's own git config).

use super::Context;
use crate::cli::InitArgs;
use crate::error::{EXIT_FINDINGS, Error, Result};
use crate::proposal::detect::Detected;
use std::path::Path;

/// The committed settings file `init` writes.
pub const KEPCONFIG: &str = ".kepconfig";

pub fn run(args: &InitArgs) -> Result<u8> {
    let context = Context::load(&Default::default())?;
    let Some(repo) = &context.repo else {
        return Err(Error::new("not inside a git repository").hint("run `git init` first, or cd into your repository"));
    };
    let Some(workdir) = repo.workdir() else {
        return Err(Error::new("this is a bare repository: it has no work tree to look at"));
    };
    // The tracked paths, listed once for the detection and the TOC fit.
    let paths = repo.tracked_paths()?;
    let mut detected = super::detect_in(&paths, workdir);
    fit_toc_style(&mut detected, &paths, workdir);
    let mut settings = detected.settings();
    let index_files = index_files(&paths, workdir);
    if !index_files.is_empty() {
        detected.reasons.push(format!(
            "a proposal index (`{}`) in {}",
            crate::proposal::index::START,
            index_files.join(", ")
        ));
        settings.push((crate::config::KEY_INDEX_FILES, index_files.join(", ")));
    }
    println!("git kep init: what this repository holds");
    if detected.found_any() {
        for reason in &detected.reasons {
            println!("  - {reason}");
        }
        if let Some(caveat) = detected.toc.as_ref().and_then(|t| t.caveat.as_ref()) {
            println!("  - note: {caveat}");
        }
    } else {
        println!("  - no proposals yet: the default layout, proposals/NNN-name/README.md, from the built-in template");
    }
    let text = kepconfig_text(&settings);
    let target = if args.local { "the repository's git config (.git/config)".to_owned() } else { KEPCONFIG.to_owned() };
    if args.dry_run {
        println!("\nWould write to {target}:\n\n{text}");
        return Ok(0);
    }
    if args.local {
        for (key, value) in &settings {
            repo.write_config(None, key, value)?;
        }
    } else {
        let path = workdir.join(KEPCONFIG);
        if std::fs::symlink_metadata(&path).is_ok() && !args.force {
            return Err(Error::new(format!("{KEPCONFIG} already exists; nothing was written"))
                .hint("see what init would write: git kep init --dry-run")
                .hint("replace it: git kep init --force")
                .exit_code(EXIT_FINDINGS));
        }
        write_new(&path, text.as_bytes())?;
    }
    println!("\nWrote {target}:\n\n{text}");
    // A `.gitignore` that ignores it (npm's `/*`) would keep it out of every commit.
    if !args.local && repo.is_ignored(KEPCONFIG) {
        eprintln!(
            "warning: {KEPCONFIG} is ignored by .gitignore, so it will not be committed\n\
             hint: add `!/{KEPCONFIG}` to .gitignore, or keep the settings local: git kep init --local"
        );
    }
    println!("Next: `git kep list` to see the proposals, `git kep install` for the hook.");
    Ok(0)
}

/// The tracked Markdown files holding a proposal index block, which the hook then keeps fresh
/// wherever they are (`kep.indexFiles`).
fn index_files(paths: &[String], workdir: &Path) -> Vec<String> {
    paths
        .iter()
        .filter(|path| path.ends_with(".md"))
        .filter(|path| {
            crate::files::read_small_text(&workdir.join(path), crate::toc::MAX_DOCUMENT_BYTES as u64)
                .is_ok_and(|text| crate::proposal::index::has_block(&text))
        })
        .cloned()
        .collect()
}

/// Where no CI script names the TOC tool, the style that keeps the most of the proposals'
/// TOCs as they are (each tool writes its own; the one that wrote them is the one to follow).
fn fit_toc_style(detected: &mut Detected, paths: &[String], workdir: &Path) {
    use crate::toc::{Outcome, TocOptions, regenerate};
    let patterns: Vec<_> =
        detected.patterns.iter().filter_map(|p| crate::proposal::layout::Pattern::parse(p).ok()).collect();
    // mdtoc as the CI runs it: at its pin, if the scripts pin it.
    let pinned = detected.toc.as_ref().is_some_and(|t| {
        t.style == "html" && t.args.as_ref().is_some_and(|(key, _)| *key == crate::config::KEY_MDTOC_VERSION)
    });
    let mdtoc = TocOptions::mdtoc(detected.toc.as_ref().and_then(|t| t.max_depth).unwrap_or(5));
    let mdtoc = if pinned { TocOptions { style: crate::toc::TocStyle::HtmlB8c54a57, ..mdtoc } } else { mdtoc };
    let styles = [("markdown", TocOptions::default()), (if pinned { "html (mdtoc b8c54a57)" } else { "html" }, mdtoc)];
    let mut fresh = [0usize; 2];
    let mut with_markers = 0;
    for path in paths {
        if !patterns.iter().any(|p| p.matches(path).is_some()) {
            continue;
        }
        let Ok(bytes) = crate::files::read_document(&workdir.join(path)) else { continue };
        let Ok(text) = String::from_utf8(bytes) else { continue };
        if !text.contains("<!--") {
            continue;
        }
        let outcomes: Vec<_> = styles.iter().map(|(_, options)| regenerate(&text, options)).collect();
        if outcomes.iter().all(|o| matches!(o, Ok(Outcome::NoMarkers) | Err(_))) {
            continue;
        }
        with_markers += 1;
        for (count, outcome) in fresh.iter_mut().zip(outcomes) {
            *count += usize::from(outcome == Ok(Outcome::Fresh));
        }
    }
    if with_markers == 0 {
        return;
    }
    let fits: Vec<String> =
        styles.iter().zip(fresh).map(|((name, _), n)| format!("{n} of {with_markers} fresh in style {name}")).collect();
    detected.reasons.push(format!("the proposals' TOCs as they are: {}", fits.join(", ")));
    if detected.toc.is_none() && fresh[1] > fresh[0] {
        detected.toc = Some(crate::proposal::detect::TocTool {
            style: "html",
            max_depth: None,
            seen_in: "the proposals' own TOCs".to_owned(),
            caveat: None,
            args: None,
            from_markers: true,
        });
        detected.reasons.push("their TOCs were written as mdtoc writes them: style html".to_owned());
    }
}

/// `.kepconfig` in git's config syntax.
fn kepconfig_text(settings: &[(&str, String)]) -> String {
    let mut text = String::from("# git-kep's settings for this repository (written by `git kep init`).\n[kep]\n");
    for (key, value) in settings {
        let name = key.strip_prefix("kep.").unwrap_or(key);
        text.push_str(&format!("\t{name} = {}\n", quoted(value)));
    }
    text
}

/// A config value as git reads it back: quoted where it has characters git would take apart.
fn quoted(value: &str) -> String {
    if value.contains(['#', ';', '"', '\\']) || value.starts_with(' ') || value.ends_with(' ') {
        format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        value.to_owned()
    }
}

/// Writes a new file whole (a temporary file renamed into place) or not at all.
fn write_new(path: &Path, bytes: &[u8]) -> Result<()> {
    let write = || -> std::io::Result<()> {
        let dir = path.parent().unwrap_or(Path::new("."));
        let temp = crate::interrupt::TempFile::new_in(tempfile::Builder::new().prefix(".git-kep-"), dir)?;
        std::fs::write(temp.path(), bytes)?;
        temp.persist(path, false)
    };
    write().map_err(|err| Error::context(format!("cannot write {}", path.display()), err))
}
