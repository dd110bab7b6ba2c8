//! `git kep pre-commit`: refresh the TOCs of the staged proposals in the index itself, restage
//! them, and bring the work tree along without ever losing an unstaged edit.

use super::refresh_paths;
use super::{Context, report, say, say_all};
use crate::cli::{ColorChoice, PreCommitArgs};
use crate::config::Settings;
use crate::diff;
use crate::error::{EXIT_FINDINGS, Error, Result};
use crate::files;
use crate::git::{self, RestageError};
use crate::paint::{Palette, Stream};
use crate::proposal::check::{self, Rule};
use crate::proposal::links;
use crate::toc::{self, Document, Outcome};
use crate::worktree::cross_links::{RenamedTarget, linking_files};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

/// One staged proposal whose TOC is stale: what goes into the index and the work tree.
struct Refresh {
    path: String,
    mode: u32,
    old_blob: git::ObjectId,
    old_staged: String,
    new_staged: String,
    /// The new content's blob id, computed once (hashing a proposal is not free).
    new_blob: git::ObjectId,
    /// Links to headings this commit renames, pointed at their new anchors.
    links_rewritten: usize,
    /// New work-tree content, `None` to leave the work-tree file alone.
    new_worktree: Option<WorkTreeUpdate>,
}

/// A work-tree file's new content, and the bytes it was made from: the file is replaced only if
/// it still holds those (a save made while the hook runs is never lost). Compared as bytes: no
/// second hash of the file.
struct WorkTreeUpdate {
    content: String,
    planned_from: Vec<u8>,
}

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
    let amending = hook == Hook::PreCommit && crate::invocation::commit_amends(&|name| repo.alias(name));
    let staged = repo.staged_changes(&context.settings.dir, amending)?;
    for path in &staged.conflicted {
        if path.ends_with(".md") {
            warn(format!("skipping {path}: it has unresolved conflicts"));
        }
    }
    let place = Place { repo, workdir, objects: &objects, checker: &checker, hook };
    refresh_staged(&place, &staged, palette, &warn)
}

/// Where the hook works: the repository, its work tree and the checks.
struct Place<'a> {
    repo: &'a git::Repo,
    workdir: &'a Path,
    objects: &'a git::ObjectWriter,
    checker: &'a Arc<Checker>,
    hook: Hook,
}

/// Plans the refresh of the staged proposals, checks them and applies it (see `run`).
fn refresh_staged(
    place: &Place<'_>,
    staged: &git::StagedChanges,
    palette: &Palette,
    warn: &dyn Fn(String),
) -> Result<u8> {
    let Place { repo, workdir, objects, checker, hook } = *place;
    // Plan: read and regenerate everything first; change nothing if any proposal is malformed.
    let settings = &checker.settings;
    let mut plan = Vec::new();
    let mut errors = Vec::new();
    // The anchor and section findings each staged proposal introduces, checked as it will be
    // committed: the document just parsed, or, refreshed, that document with its new TOC.
    let mut findings: Vec<(String, check::Problem)> = Vec::new();
    // Per proposal, the findings its previous version had already (not shown).
    let mut older: Vec<(String, usize)> = Vec::new();
    let mut check_error = None;
    let mut record = |checked: Result<Checked>| match checked {
        Ok(checked) => {
            findings.extend(checked.found);
            older.extend(checked.older);
        }
        Err(err) => check_error = Some(err),
    };
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
        // Parsed once, with its links when the checks will need them.
        let style = settings.toc.style;
        let parsed = if checker.wants_any() {
            Document::parse_with_links(&old_staged, style)
        } else {
            Document::parse(&old_staged, style)
        };
        let document = match parsed {
            Ok(document) => document,
            Err(err) => {
                errors.push(crate::proposal_text::marker_error(Path::new(&file.path), &err));
                continue;
            }
        };
        // The proposal in the commit this one starts from: for what the commit introduces, and
        // for the headings it renames.
        let base_text = match file.base {
            Some(base) => Some(repo.read_blob(base)?).map(|bytes| {
                String::from_utf8(bytes).unwrap_or_else(|err| String::from_utf8_lossy(err.as_bytes()).into_owned())
            }),
            None => None,
        };
        let base = base_text.as_deref().map(|text| Base::new(text, style));
        // Headings this commit renames take the proposal's links to them along, in the same
        // restage: decided for the staged text against the commit it starts from.
        let renamed = base.as_ref().map(|base| renames_since(base, &document)).unwrap_or_default();
        let toc_body: Vec<std::ops::Range<usize>> = document.markers.iter().map(|pair| pair.body()).collect();
        let staged_links = if renamed.is_empty() {
            links::Rewritten::default()
        } else {
            let now = links::Anchors::of(&toc::github_view(&old_staged));
            let rewritten = links::rewrite(&old_staged, &renamed, &now, links::Scope::SameDocument, &toc_body);
            for left in &rewritten.left {
                let line = check::position(&old_staged, left.offset).0;
                warn(format!("{}:{line}: a link to #{}: {}", file.path, left.anchor, left.why.explain()));
            }
            // Links from other files are theirs to change: said, and `git kep fix` changes them.
            let target = RenamedTarget { path: file.path.clone(), renames: renamed.clone(), anchors: now };
            for linking in linking_files(workdir, &workdir.join(&settings.dir), &target) {
                for edit in &linking.rewritten.edits {
                    warn(format!(
                        "{}:{}: links to #{}, renamed to #{} in {}; point it there with `git kep fix --since HEAD~1` after this commit",
                        linking.file,
                        linking.line(edit.offset),
                        edit.old,
                        edit.new,
                        file.path
                    ));
                }
            }
            rewritten
        };
        let links_rewritten = staged_links.edits.len();
        let outcome = match staged_links.text {
            Some(text) => match toc::regenerate(&text, &settings.toc) {
                Ok(Outcome::Stale(new)) => Outcome::Stale(new),
                _ => Outcome::Stale(text),
            },
            None => document.outcome(&settings.toc),
        };
        match outcome {
            Outcome::NoMarkers => {}
            Outcome::Fresh => record(checker.check(&file.path, &document, base.as_ref())),
            Outcome::Stale(new_staged) => {
                // Checked as it will be committed, before anything is written: under kep.strict
                // an introduced finding refuses the commit with nothing changed. A refresh that
                // only rewrote the TOC is the document just parsed with another TOC body.
                record(match document.with_toc_body(&new_staged) {
                    Some(refreshed) => checker.check(&file.path, &refreshed, base.as_ref()),
                    None => match Document::parse_with_links(&new_staged, style) {
                        Ok(refreshed) => checker.check(&file.path, &refreshed, base.as_ref()),
                        Err(_) => Ok(Checked::default()),
                    },
                });
                let new_worktree = match worktree {
                    WorkTreeFile::Staged(_) => Some(WorkTreeUpdate {
                        content: new_staged.clone(),
                        planned_from: old_staged.as_bytes().to_vec(),
                    }),
                    WorkTreeFile::Edited(bytes) => {
                        let renames = WorkTreeRenames {
                            staged: &renamed,
                            staged_left: &staged_links.left,
                            base: base_text.as_deref(),
                        };
                        own_toc(&workdir.join(&file.path), &bytes, settings, &renames, warn)
                            .map(|content| WorkTreeUpdate { content, planned_from: bytes })
                    }
                    WorkTreeFile::Absent => None,
                };
                let new_blob = repo.blob_id(new_staged.as_bytes());
                plan.push(Refresh {
                    path: file.path.clone(),
                    mode: file.mode,
                    old_blob: file.blob,
                    new_blob,
                    old_staged,
                    new_staged,
                    new_worktree,
                    links_rewritten,
                });
            }
        }
    }
    findings.extend(staged_metadata(repo, workdir, staged, checker)?);
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
    // The findings, the diffs and the summary reach stderr in one write, not one per line.
    let mut told = String::new();
    for (path, problem) in &findings {
        let label = if settings.strict {
            palette.paint(palette.error, "error")
        } else {
            palette.paint(palette.warning, "warning")
        };
        let _ = writeln!(
            told,
            "{}:{}:{}: {label}: {}: {}",
            crate::paint::printable(path),
            problem.line,
            problem.column,
            problem.rule.name(),
            crate::paint::printable(&problem.message)
        );
    }
    // What the commit leaves as it was: one line per proposal, how to see it.
    older.sort_by_key(|(path, _)| order(path));
    for (path, count) in older.iter().filter(|(_, count)| *count > 0) {
        let _ = writeln!(
            told,
            "{} {} has {count} older finding{} this commit did not introduce: see them with `git kep check {}`",
            palette.paint(palette.dim, "git-kep:"),
            crate::paint::printable(path),
            if *count == 1 { "" } else { "s" },
            crate::paint::printable(path)
        );
    }
    if settings.strict && !findings.is_empty() {
        let _ = writeln!(
            told,
            "{} commit refused (kep.strict): fix the problems above, stage the files, and commit again (nothing was changed)",
            palette.paint(palette.error, "git-kep:")
        );
        say_all(&told);
        return Ok(EXIT_FINDINGS);
    }
    if plan.is_empty() {
        say_all(&told);
        return Ok(0);
    }
    let new_files = || write_new_files(objects, &new_objects, (workdir, repo.temp_dir()));
    let applied = apply(repo, staged, &updates, (objects, &new_objects), new_files, warn);
    if let Err(err) = applied {
        say_all(&told);
        return Err(err);
    }
    for refresh in plan.iter() {
        told.push_str(&diff::unified(palette, &refresh.path, &refresh.old_staged, &refresh.new_staged));
    }
    let links: usize = plan.iter().map(|r| r.links_rewritten).sum();
    if links > 0 {
        let _ = writeln!(
            told,
            "{} pointed {links} link{} at renamed headings",
            palette.paint(palette.header, "git-kep:"),
            if links == 1 { "" } else { "s" }
        );
    }
    let count = plan.len();
    let plural = if count == 1 { "" } else { "s" };
    if hook == Hook::PreMergeCommit {
        let _ = writeln!(
            told,
            "{} the merge left the table of contents of {count} proposal{plural} stale: refreshed and staged; \
             run `git commit` to conclude the merge with them",
            palette.paint(palette.header, "git-kep:"),
        );
        say_all(&told);
        return Ok(EXIT_FINDINGS);
    }
    let _ = writeln!(
        told,
        "{} refreshed the table of contents of {count} staged proposal{plural}",
        palette.paint(palette.header, "git-kep:"),
    );
    say_all(&told);
    Ok(0)
}

/// The metadata rules on the staged `kep.yaml` files, as they will be committed: the findings
/// each introduces over its version in the commit this one starts from.
fn staged_metadata(
    repo: &git::Repo,
    workdir: &Path,
    staged: &git::StagedChanges,
    checker: &Checker,
) -> Result<Vec<(String, check::Problem)>> {
    let wanted = |rule| checker.wants(rule);
    if !wanted(Rule::Metadata) && !wanted(Rule::MetadataValues) {
        return Ok(Vec::new());
    }
    let mut context = None;
    let mut found = Vec::new();
    for file in staged.files.iter().filter(|f| f.path.ends_with("/kep.yaml") && git::is_regular_file(f.mode)) {
        let folder = file.path.rsplit_once('/').map_or("", |(folder, _)| folder);
        let Some((number, _)) = crate::proposal::scaffold::folder_number(folder.rsplit('/').next().unwrap_or(folder))
        else {
            continue;
        };
        let context =
            context.get_or_insert_with(|| crate::worktree::metadata::MetadataContext::new(workdir, &checker.settings));
        let text = String::from_utf8_lossy(&repo.read_blob(file.blob)?).into_owned();
        let now: Vec<_> = context.check(&text, number).into_iter().filter(|f| wanted(f.problem.rule)).collect();
        if now.is_empty() {
            continue;
        }
        let before = file.base.map(|base| repo.read_blob(base)).transpose()?.map(|bytes| {
            context.check(&String::from_utf8_lossy(&bytes), number).into_iter().map(|f| f.problem).collect::<Vec<_>>()
        });
        let problems: Vec<check::Problem> = now.iter().map(|f| f.problem.clone()).collect();
        let introduced = crate::proposal::introduced::introduced(before.as_deref(), problems).new;
        for finding in now.into_iter().filter(|f| introduced.contains(&f.problem)) {
            found.push((finding.file.unwrap_or_else(|| file.path.clone()), finding.problem));
        }
    }
    Ok(found)
}

/// The new objects: a blob for each refreshed proposal and the trees above them, written once the
/// new index is in its lock file (it needs none of them), before the index is renamed.
struct NewObjects {
    plan: Arc<[Refresh]>,
    trees: Vec<git::NewTree>,
    /// The next object to take: blobs in plan order, then trees.
    next: AtomicUsize,
}

impl NewObjects {
    /// Writes the objects no core has taken yet; an error ends this core's share.
    fn write_remaining(&self, objects: &git::ObjectWriter) -> Result<()> {
        loop {
            let taken = self.next.fetch_add(1, Ordering::Relaxed);
            let tree = taken.checked_sub(self.plan.len()).and_then(|i| self.trees.get(i));
            match (self.plan.get(taken), tree) {
                (Some(refresh), _) => objects.write_blob_known(refresh.new_staged.as_bytes(), refresh.new_blob)?,
                (None, Some(tree)) => objects.write_tree(tree)?,
                (None, None) => return Ok(()),
            }
        }
    }
}

/// What the index update waits for: the new objects, written, and the new work-tree files,
/// written beside the old ones (`None` where the work tree is left alone).
struct NewFiles {
    objects: Result<()>,
    replacements: Vec<Option<Result<files::Replacement>>>,
}

/// The rest of the writing: the new objects not written yet, then the work-tree files.
/// The work-tree files' temporary copies go into the git directory (`temp_dir`), where git
/// ignores them should the hook be killed.
fn write_new_files(
    objects: &git::ObjectWriter,
    new_objects: &NewObjects,
    (workdir, temp_dir): (&Path, &Path),
) -> NewFiles {
    let written = new_objects.write_remaining(objects);
    let replacements = new_objects
        .plan
        .iter()
        .map(|r| {
            r.new_worktree
                .as_ref()
                .map(|new| files::prepare_replacement(&workdir.join(&r.path), new.content.as_bytes(), Some(temp_dir)))
        })
        .collect();
    NewFiles { objects: written, replacements }
}

/// Each refreshed proposal's index update.
fn restages(plan: &[Refresh]) -> Vec<git::Restage<'_>> {
    plan.iter()
        .map(|r| git::Restage {
            path: &r.path,
            mode: r.mode,
            old_blob: r.old_blob,
            new_blob: r.new_blob,
            old_content: r.old_staged.as_bytes(),
            new_content: r.new_staged.as_bytes(),
        })
        .collect()
}

/// The index (written once), then the work tree. Once the new index is in its lock file, the new
/// objects and the work-tree copies (`new_files`) are written before the index names them. The
/// work-tree files replace the old ones only once the index holds the fresh TOCs (if it cannot,
/// they are removed and nothing has changed), and under the index lock, taken again for them.
fn apply(
    repo: &git::Repo,
    staged: &git::StagedChanges,
    updates: &[git::Restage<'_>],
    (objects, new_objects): (&git::ObjectWriter, &NewObjects),
    new_files: impl FnOnce() -> NewFiles,
    warn: &dyn Fn(String),
) -> Result<()> {
    let mut replacements = Vec::new();
    // Once the new index is written to its lock file, which needs no object: the objects.
    let restaged = repo.restage(updates, staged.needs_git_to_write, &new_objects.trees, || {
        new_objects.write_remaining(objects)?;
        let written = new_files();
        replacements = written.replacements;
        written.objects
    });
    match restaged {
        Ok(()) => {}
        Err(RestageError::IndexLocked(lock)) => {
            return Err(Error::new("the index is locked by another git process; nothing was changed")
                .hint("wait for the other git command to finish and commit again")
                .hint(format!("if no git process is running, remove the stale {}", files::display_path(&lock)))
                .exit_code(EXIT_FINDINGS));
        }
        Err(RestageError::IndexChanged(what)) => {
            return Err(Error::new(format!("{what}; nothing was changed"))
                .hint("another git command changed the index during the commit: commit again")
                .exit_code(EXIT_FINDINGS));
        }
        Err(RestageError::Git(err)) => return Err(err),
    }
    if !replacements.iter().any(Option::is_some) {
        return Ok(());
    }
    // Left by a hook that was killed (the git directory keeps them out of any commit).
    files::remove_stale_temporaries(repo.temp_dir());
    // Swapped under the index lock: a `git add` in another terminal cannot stage the hook's copy
    // in the instant it stands where a save made meanwhile is about to be swapped back.
    let _held = match repo.hold_index_lock(std::time::Duration::from_millis(200)) {
        Ok(held) => held,
        Err(err) => {
            let why = if err.kind() == std::io::ErrorKind::AlreadyExists {
                "another git command held the index lock".to_owned()
            } else {
                format!("cannot lock the index: {err}")
            };
            for refresh in new_objects.plan.iter().filter(|r| r.new_worktree.is_some()) {
                warn(format!(
                    "{} is left as it was in the work tree ({why}): the commit gets the fresh TOC, \
                     `git kep toc {}` refreshes the file",
                    refresh.path, refresh.path
                ));
            }
            return Ok(());
        }
    };
    for (refresh, replacement) in new_objects.plan.iter().zip(replacements) {
        let (Some(update), Some(replacement)) = (&refresh.new_worktree, replacement) else { continue };
        let unchanged = |found: &[u8]| found == update.planned_from.as_slice();
        match replacement.and_then(|replacement| replacement.put_in_place(&unchanged)) {
            Ok(files::Placed::Replaced) => {}
            Ok(files::Placed::ChangedMeanwhile) => warn(format!(
                "{} was saved while the hook ran: left as you saved it (the commit gets the fresh TOC; \
                 `git kep toc {}` refreshes the file)",
                refresh.path, refresh.path
            )),
            Ok(files::Placed::EarlierSaveKeptAt(kept)) => warn(format!(
                "{} was saved twice while the hook ran: it holds the latest save, the earlier one is kept at {}",
                refresh.path,
                files::display_path(&kept)
            )),
            Err(err) => warn(format!("{err} (the commit still gets the fresh TOC)")),
        }
    }
    Ok(())
}

/// The anchor and section checks of the staged proposals as they will be committed (rules in
/// `kep.checkDisable` skipped). The template's sections are read once, when first needed (from
/// the cache in the git directory while the template is unchanged), and so is each linked file.
struct Checker {
    settings: Settings,
    workdir: PathBuf,
    /// Where the template's sections are kept between commits (`sections_cache`).
    git_dir: PathBuf,
    required: OnceLock<Result<Vec<check::RequiredSection>>>,
    linked: crate::worktree::linked::LinkedFiles,
}

impl Checker {
    fn new(settings: Settings, workdir: PathBuf, git_dir: &Path) -> Self {
        let linked = crate::worktree::linked::LinkedFiles::new(Some(workdir.clone()));
        Checker { settings, workdir, git_dir: git_dir.to_path_buf(), required: OnceLock::new(), linked }
    }

    fn wants(&self, rule: Rule) -> bool {
        matches!(
            rule,
            Rule::BrokenAnchor | Rule::MissingSection | Rule::TocLinkTarget | Rule::Metadata | Rule::MetadataValues
        ) && !self.settings.check_disable.iter().any(|d| d == rule.name())
    }

    fn wants_any(&self) -> bool {
        self.wants(Rule::BrokenAnchor) || self.wants(Rule::MissingSection) || self.wants(Rule::TocLinkTarget)
    }

    /// The template's required sections, read by the first caller; others wait for it.
    fn read_template(&self) -> &Result<Vec<check::RequiredSection>> {
        self.required.get_or_init(|| {
            crate::worktree::template::template_sections(&self.settings, Some(&self.workdir), Some(&self.git_dir))
        })
    }

    /// The findings one proposal introduces: those of `document` that its version in the
    /// commit this one starts from (`base`, `None` for a new proposal) does not have.
    fn check(&self, path: &str, document: &Document<'_>, base: Option<&Base<'_>>) -> Result<Checked> {
        if !self.wants_any() {
            return Ok(Checked::default());
        }
        let full_path = self.workdir.join(path);
        let required = if crate::worktree::layout::is_proposal_readme(&full_path) {
            Some(self.read_template().as_ref().map_err(Clone::clone)?.as_slice())
        } else {
            None
        };
        let mut answer = |link: &str| self.linked.answer(&full_path, link);
        let wanted =
            |problems: Vec<check::Problem>| problems.into_iter().filter(|p| self.wants(p.rule)).collect::<Vec<_>>();
        let now = {
            let input = check::CheckInput { options: &self.settings.toc, required, linked_file: &mut answer };
            wanted(check::check_parsed(document, input).problems)
        };
        // Nothing found: nothing introduced, whatever the previous version had.
        let before = base.filter(|_| !now.is_empty()).map(|base| match base.document_unless_lacking(&now) {
            None => now.clone(),
            Some(Ok(document)) => {
                let input = check::CheckInput { options: &self.settings.toc, required, linked_file: &mut answer };
                wanted(check::check_parsed(document, input).problems)
            }
            Some(Err(err)) => wanted(vec![check::marker_problem(err)]),
        });
        let split = crate::proposal::introduced::introduced(before.as_deref(), now);
        let found = split.new.into_iter().map(|p| (path.to_owned(), p)).collect();
        Ok(Checked { found, older: vec![(path.to_owned(), split.older)] })
    }
}

/// A staged proposal's version in the commit this one starts from, read (its heading sources)
/// and parsed each at most once, by the first of the rename search and the checks that needs it:
/// most commits need no parse.
struct Base<'a> {
    text: &'a str,
    style: toc::TocStyle,
    sources: std::cell::OnceCell<crate::proposal::introduced::HeadingSources<'a>>,
    parsed: std::cell::OnceCell<std::result::Result<Document<'a>, toc::MarkerError>>,
}

impl<'a> Base<'a> {
    fn new(text: &'a str, style: toc::TocStyle) -> Self {
        Base { text, style, sources: std::cell::OnceCell::new(), parsed: std::cell::OnceCell::new() }
    }

    fn sources(&self) -> &crate::proposal::introduced::HeadingSources<'a> {
        self.sources.get_or_init(|| crate::proposal::introduced::HeadingSources::of(self.text))
    }

    fn document(&self) -> &std::result::Result<Document<'a>, toc::MarkerError> {
        self.parsed.get_or_init(|| Document::parse_with_links(self.text, self.style))
    }

    /// The parsed document, to see which of `now` (the findings of the version committed) it had
    /// already; `None` when it certainly had them all without a parse: the usual findings of an
    /// old proposal are sections the template gained later, which it lacked then as now.
    fn document_unless_lacking(
        &self,
        now: &[check::Problem],
    ) -> Option<&std::result::Result<Document<'a>, toc::MarkerError>> {
        let lacked = |p: &check::Problem| p.rule == Rule::MissingSection && self.sources().certainly_lack(&p.subject);
        if now.iter().all(lacked) {
            return None;
        }
        Some(self.document())
    }
}

/// The headings `document` renamed since `base` (its previous version), as github.com's
/// anchors see them.
fn renames_since(base: &Base<'_>, document: &Document<'_>) -> links::Renames {
    // Most commits change no heading line, or only add headings no other can share an anchor
    // with: then nothing is renamed, and the previous version need not be parsed.
    if !base.sources().may_be_renamed_in(document.text) {
        return Default::default();
    }
    links::renames(&toc::github_view(base.text), &toc::github_view(document.text))
}

/// What the checks found in staged proposals: the findings the commit introduces, and per
/// proposal how many older ones it still carries.
#[derive(Default)]
struct Checked {
    found: Vec<(String, check::Problem)>,
    older: Vec<(String, usize)>,
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
        let bytes = match std::fs::symlink_metadata(path) {
            Ok(metadata) if metadata.is_file() && metadata.len() <= toc::MAX_DOCUMENT_BYTES as u64 => {
                std::fs::read(path).ok()
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

/// What the commit renamed, for the work-tree copy of a proposal with unstaged edits.
struct WorkTreeRenames<'a> {
    /// Decided for the staged text.
    staged: &'a links::Renames,
    /// The staged text's links left as written (already said).
    staged_left: &'a [links::Left],
    /// The proposal in the commit this one starts from.
    base: Option<&'a str>,
}

/// What an edited work-tree file becomes: its own TOC regenerated, so that every unstaged edit
/// survives and stays unstaged (`None`: leave it as it is). Its links follow a heading the
/// commit renamed only where the work-tree text renamed it too (decided again, for this text)
/// and its own anchors say the link no longer resolves and the new one does.
fn own_toc(
    path: &Path,
    bytes: &[u8],
    settings: &Settings,
    renames: &WorkTreeRenames<'_>,
    warn: &dyn Fn(String),
) -> Option<String> {
    let text = std::str::from_utf8(bytes).ok()?;
    let rewritten = match renames.base {
        Some(base) if !renames.staged.is_empty() => {
            let view = toc::github_view(text);
            let here = links::renames(&toc::github_view(base), &view);
            let common = renames.staged.common_with(&here);
            let toc_body: Vec<std::ops::Range<usize>> = Document::parse(text, settings.toc.style)
                .ok()
                .and_then(|d| d.markers)
                .map(|p| p.body())
                .into_iter()
                .collect();
            let rewritten =
                links::rewrite(text, &common, &links::Anchors::of(&view), links::Scope::SameDocument, &toc_body);
            for left in rewritten.left.iter().filter(|l| !renames.staged_left.iter().any(|s| s.anchor == l.anchor)) {
                warn(format!(
                    "{}:{}: in the work-tree copy, a link to #{}: {}",
                    files::display_path(path),
                    check::position(text, left.offset).0,
                    left.anchor,
                    left.why.explain()
                ));
            }
            rewritten.text
        }
        _ => None,
    };
    let text = rewritten.as_deref().unwrap_or(text);
    match toc::regenerate(text, &settings.toc) {
        Ok(Outcome::Stale(new)) => Some(new),
        Ok(_) if rewritten.is_some() => Some(text.to_owned()),
        Ok(_) => None,
        Err(err) => {
            warn(format!(
                "{}:{}: the work-tree copy has unstaged marker problems ({err}); left as it is",
                files::display_path(path),
                err.line()
            ));
            None
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
    let summary = refresh_paths(&proposals, false, &context.settings.toc, false, palette);
    if summary.failed || summary.stale > 0 { EXIT_FINDINGS } else { 0 }
}
