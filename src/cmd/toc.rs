//! `git kep toc`: refresh TOCs in place, check them (`--check`), or print one (`--stdout`).

use crate::cli::{ColorChoice, TocArgs};
use crate::cmd::{Context, for_each_parallel, report, write_or_exit_quietly};
use crate::diff;
use crate::error::{EXIT_ERROR, EXIT_FINDINGS, Error, Result};
use crate::files;
use crate::paint::{Palette, Stream};
use crate::proposal_text;
use crate::toc::{Outcome, TocOptions};
use std::path::{Path, PathBuf};

pub fn run(args: &TocArgs, color: ColorChoice) -> Result<u8> {
    let context = Context::load(&args.toc)?;
    let options = context.settings.toc;
    if args.stdout {
        return print_one(args, &options);
    }
    // `-` is stdin only with --stdout (a file named `-` is still a file).
    if args.paths.iter().any(|p| p.as_os_str() == "-" && !p.exists()) {
        return Err(Error::new("`-` (standard input) can only be read with --stdout")
            .hint("print the refreshed document: git kep toc --stdout - < FILE"));
    }
    let (paths, explicit) = if args.paths.is_empty() {
        (proposal_files(&context, "toc")?, false)
    } else if args.paths.iter().any(|p| p.is_dir()) {
        // A directory stands for the Markdown files under it; only those with markers count.
        (files::named_paths(&args.paths)?, false)
    } else {
        (files::without_repeats(args.paths.clone()), true)
    };
    let palette = Palette::for_stream(color, Stream::Stdout, context.settings.color_ui.as_deref());
    let summary = refresh_paths(&paths, explicit, &options, args.check, &palette);
    if summary.failed {
        Ok(EXIT_ERROR)
    } else if summary.stale > 0 && args.check {
        eprintln!("hint: run `git kep toc` to refresh them");
        Ok(EXIT_FINDINGS)
    } else {
        Ok(0)
    }
}

/// What a refresh over several files did.
#[derive(Debug, Default)]
pub struct Summary {
    /// Files whose TOC was (or, with `check`, would be) rewritten.
    pub stale: usize,
    /// Some file could not be read, parsed or written (already reported).
    pub failed: bool,
}

/// Refreshes (or with `check`, diffs on stdout) the TOC of each file; errors are reported as
/// they come and the other files are still processed. `explicit`: the user named these files,
/// so one without markers deserves a warning.
pub fn refresh_paths(
    paths: &[PathBuf],
    explicit: bool,
    options: &TocOptions,
    check: bool,
    palette: &Palette,
) -> Summary {
    let results = for_each_parallel(paths, |path| refresh_file(path, options));
    let mut summary = Summary::default();
    let mut stdout = std::io::stdout().lock();
    for (path, result) in paths.iter().zip(results) {
        let shown = crate::paint::printable(&files::display_path(path)).into_owned();
        match result {
            Err(err) => {
                summary.failed = true;
                report(&err);
            }
            Ok((_, Outcome::NoMarkers)) if explicit => {
                eprintln!("warning: {shown}: no `<!-- toc -->` marker, nothing to do");
            }
            Ok((_, Outcome::NoMarkers | Outcome::Fresh)) => {}
            Ok((old, Outcome::Stale(new))) => {
                summary.stale += 1;
                if check {
                    let text = diff::unified(palette, &shown, &old, &new);
                    if write_or_exit_quietly(&mut stdout, text.as_bytes()) {
                        return summary;
                    }
                } else {
                    match files::write_atomically(path, old.as_bytes(), new.as_bytes()) {
                        Ok(files::Placed::Replaced) => eprintln!("Updated the TOC of {shown}"),
                        Ok(files::Placed::ChangedMeanwhile) => {
                            summary.failed = true;
                            eprintln!("warning: {shown}: saved while git-kep read it; left as saved (run again)");
                        }
                        Ok(files::Placed::EarlierSaveKeptAt(kept)) => {
                            summary.failed = true;
                            eprintln!(
                                "warning: {shown}: saved twice while git-kep read it; it holds the latest save, \
                                 the earlier one is at {}",
                                files::display_path(&kept)
                            );
                        }
                        Err(err) => {
                            summary.failed = true;
                            report(&err);
                        }
                    }
                }
            }
        }
    }
    summary
}

/// The `.md` files under the proposals directory (only those with markers get touched), for
/// `git kep COMMAND` run without paths (its hints name it).
pub fn proposal_files(context: &Context, command: &str) -> Result<Vec<PathBuf>> {
    let Some(repo) = &context.repo else {
        return Err(Error::new("not inside a git repository, so there is no proposals directory")
            .hint(format!("name the files instead: git kep {command} FILE...")));
    };
    let Some(workdir) = repo.workdir() else {
        return Err(Error::new("this is a bare repository: it has no work-tree files")
            .hint(format!("run `git kep {command}` in a clone with a work tree")));
    };
    let dir = workdir.join(&context.settings.dir);
    if !dir.is_dir() {
        return Err(Error::new(format!("the proposals directory `{}` does not exist", context.settings.dir)).hint(
            format!("set it with `git config {} DIR` or in .kepconfig, or pass the files", crate::config::KEY_DIR),
        ));
    }
    files::markdown_files(&dir)
}

/// Reads a file and regenerates its TOC: the old text and the outcome.
fn refresh_file(path: &Path, options: &TocOptions) -> Result<(String, Outcome)> {
    let shown = PathBuf::from(files::display_path(path));
    let bytes = files::read_document(path).map_err(|err| Error::new(format!("cannot read: {err}")).at(&shown, None))?;
    let text = proposal_text::decode(&shown, &bytes)?;
    let outcome = crate::toc::regenerate(text, options).map_err(|err| proposal_text::marker_error(&shown, &err))?;
    let old = if matches!(outcome, Outcome::Stale(_)) { text.to_owned() } else { String::new() };
    Ok((old, outcome))
}

/// `--stdout`: the regenerated document of one file or stdin.
fn print_one(args: &TocArgs, options: &TocOptions) -> Result<u8> {
    let [path] = args.paths.as_slice() else {
        return Err(Error::new("--stdout takes exactly one PATH (or `-` for stdin)"));
    };
    let (shown, bytes) = if path.as_os_str() == "-" {
        let bytes = files::read_document_from(std::io::stdin().lock())
            .map_err(|err| Error::context("cannot read stdin", err))?;
        (PathBuf::from("<stdin>"), bytes)
    } else {
        let shown = PathBuf::from(files::display_path(path));
        let bytes =
            files::read_document(path).map_err(|err| Error::new(format!("cannot read: {err}")).at(&shown, None))?;
        (shown, bytes)
    };
    let outcome = proposal_text::refresh(&shown, &bytes, options)?;
    let output = match &outcome {
        Outcome::Stale(new) => new.as_bytes(),
        Outcome::Fresh | Outcome::NoMarkers => &bytes,
    };
    write_or_exit_quietly(&mut std::io::stdout().lock(), output);
    Ok(0)
}
