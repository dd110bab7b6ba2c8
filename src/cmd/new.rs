//! `git kep new`: a numbered proposal folder from the template, on its own branch. Plan first
//! (every refusal before anything changes), then apply, undoing what was done if a step fails.

use super::Context;
use super::write_or_exit_quietly;
use crate::cli::{NewArgs, TocFlags};
use crate::config::{KEY_BASE, KEY_BRANCH_PREFIX, KEY_TEMPLATE, Settings};
use crate::error::{EXIT_FINDINGS, Error, Result};
use crate::git::{self, HeadState, Repo};
use crate::proposal::scaffold::{self, KepFields};
use crate::toc::{self, Outcome};
use crate::worktree::template::{TemplateFiles, template};
use std::fs;
use std::path::Path;

/// Everything `new` will do, decided before anything changes.
struct Plan {
    title: String,
    number: u32,
    /// `kep.dir/NNN-Name`, relative to the work-tree root, `/`-separated.
    folder: String,
    branch: String,
    base: Option<git2::Oid>,
    base_label: String,
    /// Files relative to the folder, with their content and whether they are executable.
    files: Vec<(String, Vec<u8>, bool)>,
    /// The production-readiness file, relative to the work-tree root (k/e's layout).
    prr: Option<(String, Vec<u8>)>,
    template_label: String,
}

pub fn run(args: &NewArgs) -> Result<u8> {
    let context = Context::load_detecting(&TocFlags::default())?;
    // Not being in a repository is an error for every command (exit 2), not a refusal.
    let repo = context.repo.as_ref().ok_or_else(|| {
        Error::new("not inside a git repository")
            .hint("cd into your proposals repository, or create one with `git init`")
    })?;
    if repo.is_bare() {
        return Err(refusal("this is a bare repository: a new proposal needs a work tree"));
    }
    if let Some(operation) = repo.operation_in_progress() {
        return Err(refusal(format!("a {operation} is in progress"))
            .hint(format!("finish it (or `git {operation} --abort`) first, then run git kep new again")));
    }
    let workdir = repo.workdir().expect("not bare").to_path_buf();
    let plan = plan(repo, &workdir, &context, args)?;
    if args.dry_run {
        print_plan(&plan);
        return Ok(0);
    }
    apply(repo, &workdir, &plan, args.commit)?;
    let mut report = format!(
        "Created proposal {} in {}/ on new branch {} (from {})\n",
        plan.number, plan.folder, plan.branch, plan.base_label
    );
    for (path, _, _) in &plan.files {
        report.push_str(&format!("  {}/{path}\n", plan.folder));
    }
    if let Some((path, _)) = &plan.prr {
        report.push_str(&format!("  {path} (production-readiness approval)\n"));
    }
    if args.commit {
        report.push_str(&format!("Committed: Add proposal {}: {}\n", plan.number, plan.title));
    } else {
        report.push_str("The new files are staged.\n");
    }
    report.push_str(&format!(
        "Next: edit {}/README.md, commit, then publish it with: git push -u origin {}\n",
        plan.folder, plan.branch
    ));
    write_or_exit_quietly(&mut std::io::stdout().lock(), report.as_bytes());
    Ok(0)
}

fn refusal(message: impl Into<String>) -> Error {
    Error::new(message).exit_code(EXIT_FINDINGS)
}

fn plan(repo: &Repo, workdir: &Path, context: &Context, args: &NewArgs) -> Result<Plan> {
    let settings = &context.settings;
    let title = args.title.trim();
    let bad_title = |err: scaffold::NameError| {
        refusal(format!("cannot use the title {title:?}: {err}"))
            .hint("give a title with words, e.g. git kep new \"Pod Overhead\"")
            .hint("a title without ASCII letters or digits needs a folder name: --name NAME")
    };
    let name = match &args.name {
        // The title only has to be a title; the folder name comes from --name.
        Some(name) => {
            scaffold::check_title(title).map_err(bad_title)?;
            scaffold::check_name(name).map_err(|err| refusal(format!("cannot use --name {name:?}: {err}")))?;
            name.clone()
        }
        None => scaffold::name_from_title(title).map_err(bad_title)?,
    };

    let head = repo.head_state()?;
    let base_rev = args.base.clone().or_else(|| settings.base.clone());
    let (base, base_label) = match &base_rev {
        Some(rev) => match repo.resolve_commit(rev)? {
            Some(oid) => (Some(oid), rev.clone()),
            None => {
                return Err(refusal(format!("--base {rev:?} does not name a commit"))
                    .hint(format!("check the revision, or the config `{KEY_BASE}`")));
            }
        },
        None => match &head {
            HeadState::Unborn(_) => (None, "HEAD (no commits yet)".to_owned()),
            HeadState::Branch(_, oid) | HeadState::Detached(oid) => (Some(*oid), "HEAD".to_owned()),
        },
    };

    // Numbers in use: the work tree, the base, and every local and remote-tracking branch, so
    // two authors who branched separately do not pick the same one.
    let dir = settings.dir.as_str();
    let kep_dir = workdir.join(dir);
    // Grouped by SIG (kubernetes/enhancements' keps/sig-*/): the proposal goes into its group.
    let groups = group_names(&kep_dir, settings);
    // Grouped: a folder of kep.dir holds numbered proposals (or kep.groups says so).
    let holds_proposals = |group: &String| {
        fs::read_dir(kep_dir.join(group)).into_iter().flatten().flatten().any(|entry| {
            entry.file_type().is_ok_and(|t| t.is_dir())
                && scaffold::folder_number(&entry.file_name().to_string_lossy()).is_some()
        })
    };
    let grouped = !settings.groups.is_empty() || groups.iter().any(holds_proposals);
    let sig = match (grouped, args.sig.clone().or_else(|| settings.sig.clone())) {
        (true, None) => {
            return Err(refusal("this repository keeps proposals by group: name the owning one with --sig NAME")
                .hint(format!("groups: {}", groups.join(", ")))
                .hint(format!("or set a default: git config {} NAME", crate::config::KEY_SIG)));
        }
        (true, Some(sig)) if !groups.contains(&sig) => {
            return Err(
                refusal(format!("there is no group {sig:?} in {dir}")).hint(format!("groups: {}", groups.join(", ")))
            );
        }
        (false, Some(sig)) if args.sig.is_some() => {
            return Err(refusal(format!("--sig {sig}: this repository does not keep proposals by group")).hint(
                format!("list the groups in `{}` (or make {dir}/{sig}/) to use --sig", crate::config::KEY_GROUPS),
            ));
        }
        (true, Some(sig)) => Some(sig),
        (false, _) => None,
    };
    if !crate::proposal::metadata::STAGES.contains(&args.stage.as_str()) {
        return Err(refusal(format!("--stage {:?} is not a stage", args.stage))
            .hint(format!("one of {}", crate::proposal::metadata::STAGES.join(", "))));
    }
    if settings.numbered_by_issue && args.number.is_none() {
        return Err(refusal("here a proposal's number is its tracking issue's: give it with --number N")
            .hint("open the enhancement issue first, then: git kep new TITLE --number ISSUE"));
    }
    let mut in_use: Vec<(u32, usize, String)> = Vec::new();
    // The production-readiness files are named by number too (prod-readiness/<sig>/<number>.yaml).
    for group in fs::read_dir(kep_dir.join("prod-readiness")).into_iter().flatten().flatten() {
        for file in fs::read_dir(group.path()).into_iter().flatten().flatten() {
            let name = file.file_name().to_string_lossy().into_owned();
            if let Some(number) = name.strip_suffix(".yaml").and_then(|n| n.parse::<u32>().ok()) {
                let place = format!("{dir}/prod-readiness/{}/{name}", group.file_name().to_string_lossy());
                in_use.push((number, 0, place));
            }
        }
    }
    // Numbered folders at any depth (kubernetes/enhancements keeps keps/sig-*/NNNN-name).
    let mut note = |folder: &str, place: &str| {
        let name = folder.rsplit('/').next().unwrap_or(folder);
        if let Some((number, width)) = scaffold::folder_number(name) {
            in_use.push((number, width, format!("{dir}/{folder} ({place})")));
        }
    };
    for (_, path) in crate::worktree::layout::proposal_folders(&kep_dir) {
        let relative = path.strip_prefix(&kep_dir).unwrap_or(&path).to_string_lossy().replace('\\', "/");
        note(&relative, "work tree");
    }
    let mut tips = repo.branch_tips()?;
    if let Some(base) = base {
        tips.push((base_label.clone(), base));
    }
    let is_numbered = |name: &str| scaffold::folder_number(name).is_some();
    // Most branches share their proposals tree: read each distinct tree once.
    let mut seen_trees = std::collections::HashSet::new();
    for (reference, commit) in &tips {
        let Some(tree) = repo.dir_tree_at(*commit, dir)? else { continue };
        if !seen_trees.insert(tree) {
            continue;
        }
        for folder in repo.leaf_dirs_in(tree, &is_numbered)? {
            note(&folder, reference.strip_prefix("refs/").unwrap_or(reference));
        }
    }
    let widest = in_use.iter().map(|(_, width, _)| *width).max().unwrap_or(0);
    let number = match args.number {
        Some(number) => {
            if let Some((_, _, place)) = in_use.iter().find(|(n, _, _)| *n == number) {
                return Err(refusal(format!("number {number} is already in use: {place}"))
                    .hint("leave out --number to take the next free one"));
            }
            number
        }
        None => scaffold::next_number(in_use.iter().map(|(n, _, _)| *n)),
    };
    let folder_name = scaffold::folder_name(number, widest, &name);
    let parent = match (&sig, dir.is_empty()) {
        (Some(sig), true) => sig.clone(),
        (Some(sig), false) => format!("{dir}/{sig}"),
        (None, _) => dir.to_owned(),
    };
    let folder = if parent.is_empty() { folder_name.clone() } else { format!("{parent}/{folder_name}") };
    if workdir.join(&folder).exists() {
        return Err(refusal(format!("{folder} already exists")).hint("pick another --name or --number"));
    }

    let branch = format!("{}{folder_name}", settings.branch_prefix);
    if !git::is_valid_branch_name(&branch) {
        // Whether the prefix is what git refuses: a plain name after it would do.
        let culprit = if git::is_valid_branch_name(&format!("{}001-x", settings.branch_prefix)) {
            "choose a --name git accepts".to_owned()
        } else {
            format!("fix the branch prefix (`git config {KEY_BRANCH_PREFIX} PREFIX`, or in .kepconfig)")
        };
        return Err(refusal(format!("{branch:?} is not a valid branch name"))
            .hint(format!("{culprit} (see `git check-ref-format --branch`)")));
    }
    if repo.branch_exists(&branch)? {
        return Err(refusal(format!("the branch {branch} already exists"))
            .hint(format!("switch to it with: git switch {branch}")));
    }

    let (template_files, template_label) = template(workdir, &kep_dir, &context.settings)?;
    let group = sig.as_deref().map(|sig| scaffold::GroupFields {
        owning_sig: sig,
        participating_sigs: &args.participating_sigs,
        stage: &args.stage,
        milestone: args.milestone.as_deref(),
        reviewers: &args.reviewers,
        approvers: &args.approvers,
    });
    let files = fill_template(template_files, title, number, &template_label, repo, context, group.as_ref())?;
    // Where k/e keeps production-readiness approvals, the new proposal gets its file.
    let prr = match &sig {
        Some(sig) => {
            crate::worktree::template::prr_file(&kep_dir, sig, number, &args.stage, args.prr_approver.as_deref())?.map(
                |bytes| {
                    (
                        format!(
                            "{}prod-readiness/{sig}/{number}.yaml",
                            if dir.is_empty() { String::new() } else { format!("{dir}/") }
                        ),
                        bytes,
                    )
                },
            )
        }
        None => None,
    };
    Ok(Plan { title: title.to_owned(), number, folder, branch, base, base_label, files, prr, template_label })
}

/// The title in README.md's first H1, its TOC regenerated, and kep.yaml's fields filled in.
fn fill_template(
    mut files: TemplateFiles,
    title: &str,
    number: u32,
    template_label: &str,
    repo: &Repo,
    context: &Context,
    group: Option<&scaffold::GroupFields<'_>>,
) -> Result<TemplateFiles> {
    let without_markers = || {
        refusal(format!("{template_label} has no README.md with `<!-- toc -->` and `<!-- /toc -->` markers"))
            .hint(format!("add the markers to its README.md, or point `{KEY_TEMPLATE}` at another template"))
    };
    let readme = files.iter_mut().find(|(path, _, _)| path == "README.md").ok_or_else(without_markers)?;
    let text = std::str::from_utf8(&readme.1)
        .map_err(|_| refusal(format!("{template_label}: README.md is not valid UTF-8")))?;
    // The template's own H1 pattern (`# KEP-NNNN: ...`) is kept: `# KEP-4321: Title`.
    let heading = scaffold::heading_for(scaffold::first_h1(text), number, 1, title);
    let titled = scaffold::set_title(text, &heading)
        .ok_or_else(|| refusal(format!("{template_label}: README.md has no `# Title` line to put the title in")))?;
    let fresh = match toc::regenerate(&titled, &context.settings.toc) {
        Ok(Outcome::Stale(fresh)) => fresh,
        Ok(Outcome::Fresh) => titled,
        Ok(Outcome::NoMarkers) => return Err(without_markers()),
        Err(err) => {
            return Err(refusal(format!("{template_label}/README.md:{}: {err}", err.line())).hint(err.hint()));
        }
    };
    readme.1 = fresh.into_bytes();
    if let Some(yaml) = files.iter_mut().find(|(path, _, _)| path == "kep.yaml") {
        let text = String::from_utf8_lossy(&yaml.1).into_owned();
        // `kep.author` (`@handle`, as k/e writes authors), else git's identity.
        let author = match &context.settings.author {
            Some(author) => Some(author.clone()),
            None => repo.identity()?,
        };
        let today = scaffold::today();
        let fields = KepFields { title, number, author: author.as_deref(), creation_date: &today };
        let filled = scaffold::fill_kep_yaml(&text, &fields);
        yaml.1 = match group {
            Some(group) => scaffold::fill_group_fields(&filled, group).into_bytes(),
            None => filled.into_bytes(),
        };
    }
    Ok(files)
}

/// The groups of `kep.dir`: `kep.groups` where set, else its folders that are neither proposals
/// (numbered), nor the template (`NNNN-*`), nor `prod-readiness`.
fn group_names(kep_dir: &Path, settings: &Settings) -> Vec<String> {
    if settings.groups.is_empty() { crate::worktree::layout::group_folders(kep_dir) } else { settings.groups.clone() }
}

fn print_plan(plan: &Plan) {
    let mut out = format!("Would create proposal {} (dry run, nothing changed):\n", plan.number);
    out.push_str(&format!("  folder:   {}/\n", plan.folder));
    out.push_str(&format!("  branch:   {}\n", plan.branch));
    out.push_str(&format!("  base:     {}\n", plan.base_label));
    out.push_str(&format!("  template: {}\n", plan.template_label));
    out.push_str("  files:\n");
    for (path, _, _) in &plan.files {
        out.push_str(&format!("    {}/{path}\n", plan.folder));
    }
    if let Some((path, _)) = &plan.prr {
        out.push_str(&format!("    {path}\n"));
    }
    write_or_exit_quietly(&mut std::io::stdout().lock(), out.as_bytes());
}

/// Switches branch, writes and stages the files (and commits), undoing everything on failure.
fn apply(repo: &Repo, workdir: &Path, plan: &Plan, commit: bool) -> Result<()> {
    let original = repo.head_state()?;
    let base = match original {
        HeadState::Unborn(_) if plan.base.is_none() => None,
        _ => plan.base,
    };
    repo.switch_to_new_branch(&plan.branch, base).map_err(|err| {
        Error::new(format!("could not create the branch {}: nothing was changed\n{err}", plan.branch))
            .hint("commit or stash your local changes if they conflict with the base, then try again")
            .exit_code(EXIT_FINDINGS)
    })?;
    let mut paths: Vec<String> = plan.files.iter().map(|(path, _, _)| format!("{}/{path}", plan.folder)).collect();
    let folder = workdir.join(&plan.folder);
    let prr_path = plan.prr.as_ref().map(|(path, _)| workdir.join(path));
    let prr_existed = prr_path.as_ref().is_some_and(|path| path.exists());
    let write_prr = || -> Result<()> {
        let (Some((_, bytes)), Some(path)) = (&plan.prr, &prr_path) else { return Ok(()) };
        if prr_existed {
            return Err(Error::new(format!("{} already exists", path.display())));
        }
        let parent = path.parent().unwrap_or(workdir);
        fs::create_dir_all(parent).map_err(|err| Error::context(format!("cannot create {}", parent.display()), err))?;
        fs::write(path, bytes).map_err(|err| Error::context(format!("cannot write {}", path.display()), err))
    };
    let mut committed = vec![plan.folder.clone()];
    if let Some((path, _)) = &plan.prr {
        paths.push(path.clone());
        committed.push(path.clone());
    }
    let result = crate::files::write_new_files(&folder, &plan.files)
        .and_then(|()| write_prr())
        .and_then(|()| repo.stage_paths(&paths))
        .and_then(|()| {
            if commit {
                repo.commit_paths(&format!("Add proposal {}: {}", plan.number, plan.title), &committed)
            } else {
                Ok(())
            }
        });
    if let Err(err) = result {
        let _ = repo.unstage_paths(&paths);
        let _ = fs::remove_dir_all(&folder);
        if let (Some(path), false) = (&prr_path, prr_existed) {
            let _ = fs::remove_file(path);
        }
        let undone = repo.undo_switch(&original, &plan.branch);
        let mut error = Error::new(format!("could not create the proposal: {err}")).exit_code(EXIT_FINDINGS);
        error = match undone {
            Ok(()) => error.hint("everything was undone: the branch, the files and the index are as before"),
            Err(undo) => error.hint(format!("undoing failed too ({undo}); check `git status` and `git branch`")),
        };
        return Err(error);
    }
    Ok(())
}
