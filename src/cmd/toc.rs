//! `git kep toc`: refresh TOCs in place, check them (`--check`), or print one (`--stdout`).

use super::{Context, proposal_files, refresh_paths, write_or_exit_quietly};
use crate::cli::{ColorChoice, TocArgs};
use crate::error::{EXIT_ERROR, EXIT_FINDINGS, Error, Result};
use crate::files;
use crate::paint::{Palette, Stream};
use crate::proposal_text;
use crate::toc::{Outcome, TocOptions};
use std::path::PathBuf;

pub fn run(args: &TocArgs, color: ColorChoice) -> Result<u8> {
    let context = Context::load_detecting(&args.toc)?;
    let options = context.settings.toc.clone();
    if args.stdout {
        return print_one(args, &options);
    }
    // `-` is stdin only with --stdout (a file named `-` is still a file).
    if args.paths.iter().any(|p| p.as_os_str() == "-" && !p.exists()) {
        return Err(Error::new("`-` (standard input) can only be read with --stdout")
            .hint("print the refreshed document: git kep toc --stdout - < FILE"));
    }
    let (paths, explicit) = if args.paths.is_empty() {
        let mut paths = proposal_files(&context, "toc")?;
        // The proposal indexes kept elsewhere (the root README.md, kep.indexFiles).
        if let Some(workdir) = context.repo.as_ref().and_then(|repo| repo.workdir()) {
            for file in context.settings.index_files() {
                let path = workdir.join(&file);
                let has_block = files::read_document(&path)
                    .is_ok_and(|bytes| crate::proposal::index::has_block(&String::from_utf8_lossy(&bytes)));
                if has_block {
                    paths.push(path);
                }
            }
        }
        (files::without_repeats(paths), false)
    } else if args.paths.iter().any(|p| p.is_dir()) {
        // A directory stands for the Markdown files under it; only those with markers count.
        (files::named_paths(&args.paths)?, false)
    } else {
        (files::without_repeats(args.paths.clone()), true)
    };
    let palette = Palette::for_stream(color, Stream::Stdout, context.settings.color_ui.as_deref());
    let workdir = context.repo.as_ref().and_then(|repo| repo.workdir());
    let index = workdir.map(|workdir| super::IndexSource {
        workdir,
        layout: &context.settings.layout,
        row_template: &context.settings.index_row,
    });
    let scope = files::WriteScope::of(context.repo.as_ref());
    let summary = refresh_paths(&paths, explicit, &options, args.check, (&palette, scope), index.as_ref());
    if summary.failed {
        Ok(EXIT_ERROR)
    } else if summary.stale > 0 && args.check {
        eprintln!("hint: run `git kep toc` to refresh them");
        Ok(EXIT_FINDINGS)
    } else {
        Ok(0)
    }
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
        Outcome::Unmatched { line, reason } => {
            eprintln!("warning: {}:{line}: {reason}; printed as it is", shown.display());
            &bytes
        }
    };
    write_or_exit_quietly(&mut std::io::stdout().lock(), output);
    Ok(0)
}
