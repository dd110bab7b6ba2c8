//! `git kep pre-commit`: refresh the TOCs of the staged proposals in the index itself, restage
//! them, and bring the work tree along without ever losing an unstaged edit.

use super::refresh_paths;
use super::{Context, report, say, say_all};
use crate::cli::{ColorChoice, PreCommitArgs};
use crate::error::{EXIT_FINDINGS, Error, Result};
use crate::git;
use crate::hook::{
    self,
    apply::{NewObjects, Refresh, WorkTreeUpdate, apply, restages, write_new_files},
    checks::Checker,
    index::IndexPlace,
    plan::{Versions, WorkTree},
    report::Report,
};
use crate::paint::{Palette, Stream};
use crate::proposal::check;
use crate::proposal::links;
use crate::toc;
use crate::worktree::cross_links::{RenamedTarget, linking_files};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicUsize;

pub fn run(args: &PreCommitArgs, color: ColorChoice) -> Result<u8> {
    let context = Context::load(&args.toc)?;
    let palette = Palette::for_stream(color, Stream::Stderr, context.settings.color_ui.as_deref());
    if !args.paths.is_empty() {
        return Ok(framework_mode(&args.paths, &context, &palette));
    }
    run_hook(&context, &palette, Hook::PreCommit)
}

/// The pre-merge-commit hook. git commits a merge it completed without a conflict with the tree
/// it wrote before this hook, so refreshing the index here cannot change that commit: a merge
/// whose TOCs are stale is stopped instead, with them refreshed and staged, exactly as after a
/// resolved conflict (git keeps the merge state and says `git commit` completes it).
pub fn run_before_merge_commit(toc: &crate::cli::TocFlags, color: ColorChoice) -> Result<u8> {
    let context = Context::load(toc)?;
    let palette = Palette::for_stream(color, Stream::Stderr, context.settings.color_ui.as_deref());
    run_hook(&context, &palette, Hook::PreMergeCommit)
}

/// Which git hook runs.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Hook {
    PreCommit,
    PreMergeCommit,
}

fn run_hook(context: &Context, palette: &Palette, hook: Hook) -> Result<u8> {
    let Some(repo) = &context.repo else {
        return Err(Error::new("not inside a git repository").hint("the pre-commit hook runs inside `git commit`"));
    };
    let Some(workdir) = repo.workdir() else { return Ok(0) };
    let warn = |message: String| {
        let message = crate::paint::printable(&message);
        say(format_args!("{} {message}", palette.paint(palette.warning, "git-kep: warning:")))
    };
    let checker = Arc::new(Checker::new(context.settings.clone(), workdir.to_path_buf(), repo.temp_dir()));
    let objects = repo.object_writer();
    // The template's required sections are read when a proposal's checks first need them.
    // Under `git commit --amend` the new commit's parent is HEAD's: what the commit changes
    // (what is refreshed, and the version each finding is compared with) is counted from
    // there, as git counts it.
    // The command line of the git above, read once (and only under a commit's hook).
    let invocation = if hook == Hook::PreCommit {
        crate::invocation::commit(&|name| repo.alias(name))
    } else {
        crate::invocation::Commit::default()
    };
    let staged = repo.staged_changes(&context.settings.dir, invocation.amends)?;
    for path in &staged.conflicted {
        if path.ends_with(".md") {
            warn(format!("skipping {path}: it has unresolved conflicts"));
        }
    }
    let place =
        Place { repo, workdir, objects: &objects, checker: &checker, hook, takes_paths: invocation.takes_paths };
    refresh_staged(&place, &staged, palette, &warn)
}

/// Where the hook works: the repository, its work tree and the checks.
struct Place<'a> {
    repo: &'a git::Repo,
    workdir: &'a Path,
    objects: &'a git::ObjectWriter,
    checker: &'a Arc<Checker>,
    hook: Hook,
    /// `git commit PATH...`: git sets the index from the work tree afterwards (said).
    takes_paths: bool,
}

/// The hook's pipeline over the staged proposals: each planned (`hook::plan`, pure) from its
/// staged, base and work-tree versions; if every plan holds, applied (`hook::apply`: the index
/// once, then the work tree); then reported (`hook::report`).
fn refresh_staged(
    place: &Place<'_>,
    staged: &git::StagedChanges,
    palette: &Palette,
    warn: &dyn Fn(String),
) -> Result<u8> {
    let Place { repo, workdir, objects, checker, hook, takes_paths } = *place;
    // Plan: read and regenerate everything first; change nothing if any proposal is malformed.
    let settings = &checker.settings;
    let mut plan = Vec::new();
    let mut errors = Vec::new();
    // The anchor and section findings each staged proposal introduces, checked as it will be
    // committed; and per proposal, the findings its previous version had already (not shown).
    let mut findings: Vec<(String, check::Problem)> = Vec::new();
    let mut older: Vec<(String, usize)> = Vec::new();
    let mut check_error = None;
    let mut staged_with_block = Vec::new();
    for file in staged.files.iter().filter(|f| f.path.ends_with(".md")) {
        if file.mode == git::MODE_SYMLINK {
            warn(format!("skipping {}: a symlink (stage its target to refresh it)", file.path));
            continue;
        }
        if !git::is_regular_file(file.mode) {
            continue;
        }
        // Too large to refresh (the TOC engine's limit): said, and not read into memory.
        if repo.blob_size(file.blob)? > toc::MAX_DOCUMENT_BYTES {
            warn(format!(
                "skipping {}: larger than {} MiB, the most git-kep reads; its table of contents is not refreshed",
                file.path,
                toc::MAX_DOCUMENT_BYTES >> 20
            ));
            continue;
        }
        let mut worktree = WorkTreeFile::read(&workdir.join(&file.path), file.blob, repo.object_format());
        let staged_bytes = match &mut worktree {
            // Taken, not copied: from here on only the kind of work-tree file matters.
            WorkTreeFile::Staged(bytes) => std::mem::take(bytes),
            _ => repo.read_blob(file.blob)?,
        };
        let Ok(old_staged) = String::from_utf8(staged_bytes) else {
            warn(format!("skipping {}: not valid UTF-8", file.path));
            continue;
        };
        if crate::proposal::index::has_block(&old_staged) {
            staged_with_block.push(file.path.clone());
        }
        // The proposal in the commit this one starts from: for what the commit introduces, and
        // for the headings it renames.
        // A partial clone fetches it (through git); where that fails, the base is unknown, not
        // absent: compared with itself, the commit introduces nothing, and that is said.
        let base_text = match file.base.map(|base| repo.read_blob(base)) {
            Some(Ok(bytes)) => Some(
                String::from_utf8(bytes).unwrap_or_else(|err| String::from_utf8_lossy(err.as_bytes()).into_owned()),
            ),
            Some(Err(err)) => {
                warn(hook::report::base_unknown(&file.path, &err));
                Some(old_staged.clone())
            }
            None => None,
        };
        let versions = Versions {
            path: &file.path,
            staged: &old_staged,
            base: base_text.as_deref(),
            worktree: match &worktree {
                WorkTreeFile::Staged(_) => WorkTree::Staged,
                WorkTreeFile::Edited(bytes) => std::str::from_utf8(bytes).map_or(WorkTree::Absent, WorkTree::Edited),
                WorkTreeFile::Absent => WorkTree::Absent,
            },
        };
        let planned = match hook::plan::plan(&versions, &settings.toc, checker.as_ref()) {
            Ok(planned) => planned,
            // Markers this commit did not break (its base has them malformed too) refuse nothing:
            // the file is committed as staged, and said.
            Err(err)
                if base_text.as_deref().is_some_and(|base| toc::Document::parse(base, settings.toc.style).is_err()) =>
            {
                warn(hook::report::markers_left(&file.path, &err));
                continue;
            }
            Err(err) => {
                errors.push(crate::proposal_text::marker_error(Path::new(&file.path), &err));
                continue;
            }
        };
        for note in &planned.notes {
            warn(hook::report::note(&file.path, note));
        }
        // Links from other files are theirs to change: said, and `git kep fix` changes them.
        if !planned.renames.is_empty() {
            let now = links::Anchors::of(&toc::github_view(planned.new_staged.as_deref().unwrap_or(&old_staged)));
            let target = RenamedTarget { path: file.path.clone(), renames: planned.renames.clone(), anchors: now };
            for linking in linking_files(workdir, &workdir.join(&settings.dir), &target) {
                for edit in &linking.rewritten.edits {
                    let line = linking.line(edit.offset);
                    warn(hook::report::cross_link(&linking.file, line, &edit.old, &edit.new, &file.path));
                }
            }
        }
        match planned.checked {
            Ok(checked) => {
                findings.extend(checked.found);
                older.extend(checked.older);
            }
            Err(err) => check_error = Some(err),
        }
        let Some(new_staged) = planned.new_staged else { continue };
        let new_worktree = planned.new_worktree.map(|content| WorkTreeUpdate {
            content,
            planned_from: match worktree {
                WorkTreeFile::Edited(bytes) => bytes,
                _ => old_staged.as_bytes().to_vec(),
            },
        });
        plan.push(Refresh {
            path: file.path.clone(),
            mode: file.mode,
            old_blob: file.blob,
            new_blob: repo.blob_id(new_staged.as_bytes()),
            old_staged,
            new_staged,
            new_worktree,
            links_rewritten: planned.links_rewritten,
            toc_refreshed: planned.toc_refreshed,
            index_refreshed: false,
        });
    }
    findings.extend(hook::checks::staged_metadata(repo, workdir, staged, checker, warn)?);
    if errors.is_empty() {
        let indexes = IndexPlace {
            repo,
            workdir,
            layout: &settings.layout,
            row_template: &settings.index_row,
            files: settings.index_files(),
        };
        hook::index::plan_indexes(&indexes, staged, &staged_with_block, &mut plan, warn)?;
    }
    if !errors.is_empty() {
        for err in &errors {
            report(err);
        }
        say(format_args!(
            "{} commit refused: fix the markers above, stage the files, and commit again (nothing was changed)",
            palette.paint(palette.error, "git-kep:")
        ));
        return Ok(EXIT_FINDINGS);
    }
    let with_git = staged.needs_git_to_write;
    let plan: Arc<[Refresh]> = plan.into();
    let updates = restages(&plan);
    let new_objects = {
        let trees = if with_git || plan.is_empty() { Vec::new() } else { repo.new_trees(staged, &updates) };
        Arc::new(NewObjects { plan: Arc::clone(&plan), trees, next: AtomicUsize::new(0) })
    };
    // Without kep.strict the checks only advise: one that cannot run (a missing template, say)
    // is worth a warning, not a refused commit.
    if let Some(err) = check_error {
        if settings.strict {
            return Err(err);
        }
        report(&err);
        warn("the anchor and section checks did not run (see above); the commit goes on".to_owned());
        findings.clear();
        older.clear();
    }
    // In the order the proposals were staged, whichever core checked them.
    let order = |path: &str| staged.files.iter().position(|f| f.path == path);
    findings.sort_by_key(|(path, _)| order(path));
    older.sort_by_key(|(path, _)| order(path));
    // The findings, the diffs and the summary reach stderr in one write, not one per line.
    let mut told = Report::new(palette);
    told.findings(&findings, settings.strict);
    told.older(&older);
    if settings.strict && !findings.is_empty() {
        told.refused_under_strict();
        say_all(told.text());
        return Ok(EXIT_FINDINGS);
    }
    if plan.is_empty() {
        say_all(told.text());
        return Ok(0);
    }
    let new_files = || write_new_files(objects, &new_objects, (workdir, repo.temp_dir()));
    match apply(repo, staged, &updates, (objects, &new_objects), new_files) {
        Ok(left) => left.iter().for_each(|left| warn(hook::report::work_tree_left(left))),
        Err(err) => {
            say_all(told.text());
            return Err(err);
        }
    }
    told.restaged(&plan, hook == Hook::PreMergeCommit);
    // `git commit PATH...` commits from an index of its own, then sets the real one from the
    // work tree as it was before this hook: what will be staged differs from what is committed.
    if takes_paths {
        told.paths_note(&plan);
    }
    say_all(told.text());
    Ok(if hook == Hook::PreMergeCommit { EXIT_FINDINGS } else { 0 })
}

/// A staged proposal's work-tree file, read once.
enum WorkTreeFile {
    /// Exactly the staged blob (its bytes hash to it), as right after `git add`: the staged
    /// content without inflating the object, and the file takes the new content as it is.
    Staged(Vec<u8>),
    /// Something else: unstaged edits, or a clean filter's difference such as CRLF line ends.
    Edited(Vec<u8>),
    /// No regular file there (deleted, a symlink, unreadable, too large to read): left alone.
    Absent,
}

impl WorkTreeFile {
    fn read(path: &Path, staged: git::ObjectId, format: git::ObjectFormat) -> Self {
        // Not through a symlink; a regular file (never waited on) the engine can take.
        let bytes = match std::fs::symlink_metadata(path) {
            Ok(metadata) if metadata.is_file() && metadata.len() <= toc::MAX_DOCUMENT_BYTES as u64 => {
                crate::files::read_document(path).ok()
            }
            _ => None,
        };
        match bytes {
            Some(bytes) => match format.blob_id(&bytes) {
                id if id == staged => WorkTreeFile::Staged(bytes),
                _ => WorkTreeFile::Edited(bytes),
            },
            None => WorkTreeFile::Absent,
        }
    }
}

/// The pre-commit framework passes file names and expects the hook to fix them in the work tree
/// and fail when it changed something (it never restages). Only proposals under kep.dir count.
fn framework_mode(paths: &[PathBuf], context: &Context, palette: &Palette) -> u8 {
    let proposals_dir = context
        .repo
        .as_ref()
        .and_then(|repo| repo.workdir())
        .and_then(|workdir| std::fs::canonicalize(workdir.join(&context.settings.dir)).ok());
    let proposals: Vec<PathBuf> = paths
        .iter()
        .filter(|path| match (&proposals_dir, std::fs::canonicalize(path)) {
            (Some(dir), Ok(path)) => path.starts_with(dir),
            // Outside a repository, or a path that cannot be resolved (reported when read).
            _ => true,
        })
        .cloned()
        .collect();
    let scope = crate::files::WriteScope::of(context.repo.as_ref());
    let summary = refresh_paths(&proposals, false, &context.settings.toc, false, (palette, scope), None);
    if summary.failed || summary.stale > 0 { EXIT_FINDINGS } else { 0 }
}
