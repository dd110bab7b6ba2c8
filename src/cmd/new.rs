//! `git kep new`: a numbered proposal folder from the template, on its own branch. Plan first
//! (every refusal before anything changes), then apply, undoing what was done if a step fails.

use super::Context;
use super::write_or_exit_quietly;
use crate::cli::{NewArgs, TocFlags};
use crate::config::{KEY_BASE, KEY_BRANCH_PREFIX, KEY_TEMPLATE, Settings};
use crate::error::{EXIT_FINDINGS, Error, Result};
use crate::git::{self, HeadState, Repo};
use crate::proposal::detect::Numbering;
use crate::proposal::layout::PatternNumbering;
use crate::proposal::scaffold::{self, KepFields};
use crate::toc::{self, Outcome};
use crate::worktree::template::{TemplateFiles, template};
use std::fs;
use std::path::Path;

/// Everything `new` will do, decided before anything changes.
struct Plan {
    title: String,
    /// The number as people read it (`42`, `20240131`; empty where proposals have none).
    shown_number: String,
    /// Where the files go, relative to the work-tree root, `/`-separated: the proposal's own
    /// folder, or for a single-file proposal the folder it goes into.
    folder: String,
    /// Whether `folder` is the proposal's own (removed whole if a step fails).
    own_folder: bool,
    /// The main document, relative to the work-tree root.
    main: String,
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
    let shown = if plan.shown_number.is_empty() { String::new() } else { format!("{} ", plan.shown_number) };
    let place = if plan.own_folder { format!("{}/", plan.folder) } else { plan.main.clone() };
    let mut report =
        format!("Created proposal {shown}in {place} on new branch {} (from {})\n", plan.branch, plan.base_label);
    for (path, _, _) in &plan.files {
        report.push_str(&format!("  {}\n", joined(&plan.folder, path)));
    }
    if let Some((path, _)) = &plan.prr {
        report.push_str(&format!("  {path} (production-readiness approval)\n"));
    }
    if args.commit {
        report.push_str(&format!("Committed: {}\n", commit_message(&plan)));
    } else {
        report.push_str("The new files are staged.\n");
    }
    report.push_str(&format!(
        "Next: edit {}, commit, then publish it with: git push -u origin {}\n",
        plan.main, plan.branch
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

    let layout = &settings.layout;
    let found = crate::worktree::layout::proposals(workdir, layout);
    // Grouped (kubernetes/enhancements' keps/sig-*/): the proposal goes into its group, by the
    // first pattern with a `{group}`; else by the first without one.
    let with_group = layout.patterns.iter().find(|p| p.has_group());
    let without_group = layout.patterns.iter().find(|p| !p.has_group());
    let grouped_root = with_group.map(|p| workdir.join(p.root()));
    let mut groups: Vec<String> = match &grouped_root {
        Some(root) => group_names(root, settings),
        None => settings.groups.clone(),
    };
    for group in found.iter().filter_map(|f| f.group.clone()) {
        if !groups.contains(&group) {
            groups.push(group);
        }
    }
    groups.sort();
    // By group where every proposal is in one (or the groups are configured), or one is asked for.
    let asked = args.sig.is_some() || settings.sig.is_some();
    let all_grouped = !found.is_empty() && found.iter().all(|f| f.group.is_some());
    let some_grouped = found.iter().any(|f| f.group.is_some());
    let grouped = with_group.is_some()
        && ((asked && some_grouped) || !settings.groups.is_empty() || all_grouped || without_group.is_none());
    let pattern = if grouped { with_group } else { without_group }.expect("a layout has a pattern");
    let dir = pattern.root();
    let kep_dir = workdir.join(&dir);
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
    let numbering = match pattern.numbering() {
        PatternNumbering::Date => Numbering::Date,
        PatternNumbering::None => Numbering::None,
        PatternNumbering::Number => settings.numbering,
    };
    if numbering == Numbering::Issue && args.number.is_none() {
        return Err(refusal("here a proposal's number is its tracking issue's: give it with --number N")
            .hint("open the enhancement issue first, then: git kep new TITLE --number ISSUE"));
    }
    // Numbers in use: the work tree, the base, and every local and remote-tracking branch, so
    // two authors who branched separately do not pick the same one.
    let mut in_use: Vec<(u64, usize, String)> = Vec::new();
    // The production-readiness files are named by number too (prod-readiness/<sig>/<number>.yaml).
    for group in fs::read_dir(kep_dir.join("prod-readiness")).into_iter().flatten().flatten() {
        for file in fs::read_dir(group.path()).into_iter().flatten().flatten() {
            let name = file.file_name().to_string_lossy().into_owned();
            if let Some(number) = name.strip_suffix(".yaml").and_then(|n| n.parse::<u64>().ok()) {
                let place = format!("{dir}/prod-readiness/{}/{name}", group.file_name().to_string_lossy());
                in_use.push((number, 0, place));
            }
        }
    }
    // A numbered folder takes its number even before its main document is written.
    if let Some(root) = layout.patterns.iter().filter(|p| p.is_folder()).map(|p| p.root()).next() {
        for (number, path) in crate::worktree::layout::proposal_folders(&workdir.join(&root)) {
            let relative = path.strip_prefix(workdir).unwrap_or(&path).to_string_lossy().replace('\\', "/");
            // Padding is what zero-padded numbers show (`0752`); `10765` says nothing of it.
            let name = relative.rsplit('/').next().unwrap_or_default();
            let width = scaffold::folder_number(name).filter(|_| name.starts_with('0')).map_or(0, |(_, w)| w);
            in_use.push((u64::from(number), width, format!("{relative} (work tree)")));
        }
    }
    let padded = |text: &Option<String>| text.as_ref().filter(|t| t.starts_with('0')).map_or(0, String::len);
    let mut note = |path: &str, place: &str| {
        if let Some((_, found)) = layout.find(path)
            && let Some(number) = found.number
        {
            let shown = found.folder.unwrap_or_else(|| path.to_owned());
            in_use.push((number, padded(&found.number_text), format!("{shown} ({place})")));
        }
    };
    for proposal in &found {
        note(&proposal.path, "work tree");
    }
    if numbering == Numbering::Next || numbering == Numbering::Issue {
        let mut tips = repo.branch_tips()?;
        if let Some(base) = base {
            tips.push((base_label.clone(), base));
        }
        let depth = layout.patterns.iter().map(|p| p.as_str().split('/').count()).max().unwrap_or(1);
        // Most branches share their proposals tree: read each distinct tree once.
        let mut seen_trees = std::collections::HashSet::new();
        for root in layout.roots() {
            let root_depth = if root.is_empty() { 0 } else { root.split('/').count() };
            for (reference, commit) in &tips {
                let Some(tree) = repo.dir_tree_at(*commit, &root)? else { continue };
                if !seen_trees.insert(tree) {
                    continue;
                }
                for path in repo.paths_in(tree, depth.saturating_sub(root_depth))? {
                    let path = if root.is_empty() { path } else { format!("{root}/{path}") };
                    note(&path, reference.strip_prefix("refs/").unwrap_or(reference));
                }
            }
        }
    }
    let widest = in_use.iter().map(|(_, width, _)| *width).max().unwrap_or(0);
    // `kep.dir`'s folders pad to 3 digits at least, as they always did; patterns as configured.
    let width = if settings.layout_shorthand { widest.max(3) } else { layout.number_width.max(widest) };
    let number: Option<u64> = match (numbering, args.number) {
        (Numbering::Date | Numbering::None, Some(_)) => {
            return Err(refusal(format!("--number: proposals here are numbered by {}", numbering.name()))
                .hint("leave out --number"));
        }
        (_, Some(number)) => {
            if let Some((_, _, place)) = in_use.iter().find(|(n, _, _)| *n == u64::from(number)) {
                return Err(refusal(format!("number {number} is already in use: {place}"))
                    .hint("leave out --number to take the next free one"));
            }
            Some(u64::from(number))
        }
        (Numbering::Next | Numbering::Issue, None) => {
            let highest = in_use.iter().map(|(n, _, _)| *n).max().unwrap_or(0);
            let next = highest.checked_add(1).filter(|n| *n <= u64::from(u32::MAX)).ok_or_else(|| {
                refusal(format!("the highest number in use is {highest}: there is no next one"))
                    .hint("give the number with --number N")
            })?;
            Some(next)
        }
        (Numbering::Date | Numbering::None, None) => None,
    };
    let number_text = match (numbering, number) {
        (Numbering::Date, _) => scaffold::today().replace('-', ""),
        (_, Some(number)) => format!("{number:0width$}"),
        (_, None) => String::new(),
    };
    let name = layout.name_for(&name);
    let main = pattern.render(sig.as_deref(), &number_text, &name);
    let (folder, own_folder) = match main.rsplit_once('/') {
        Some((folder, _)) => (folder.to_owned(), pattern.is_folder()),
        None => (String::new(), false),
    };
    let taken = if own_folder { &folder } else { &main };
    if workdir.join(taken).exists() {
        return Err(refusal(format!("{taken} already exists")).hint("pick another --name or --number"));
    }
    let proposal_name = if own_folder {
        folder.rsplit('/').next().unwrap_or(&folder)
    } else {
        main.rsplit('/').next().unwrap_or(&main).trim_end_matches(".md")
    };

    let branch = format!("{}{proposal_name}", settings.branch_prefix);
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
    // Where the template has no H1, the one the repository's proposals share (`# TEP-0042: ...`).
    let h1s: Vec<String> = found
        .iter()
        .rev()
        .take(50)
        .filter_map(|f| fs::read_to_string(workdir.join(&f.path)).ok())
        .filter_map(|text| scaffold::first_h1(&text).map(str::to_owned))
        .collect();
    let convention = scaffold::h1_convention(h1s.iter().map(String::as_str));
    let main_name = main.rsplit('/').next().unwrap_or(&main).to_owned();
    let number_for_yaml = number.and_then(|n| u32::try_from(n).ok()).unwrap_or(0);
    let filling = Filling {
        title,
        name: &name,
        number: &number_text,
        number_for_yaml,
        label: &template_label,
        convention: convention.as_deref(),
    };
    let files = fill_template(template_files, &filling, &main_name, repo, context, group.as_ref())?;
    // A single-file proposal is the template's main document alone.
    let files = if own_folder { files } else { files.into_iter().filter(|(path, _, _)| *path == main_name).collect() };
    // Where k/e keeps production-readiness approvals, the new proposal gets its file.
    let prr = match &sig {
        Some(sig) if number_for_yaml > 0 => crate::worktree::template::prr_file(
            &kep_dir,
            sig,
            number_for_yaml,
            &args.stage,
            args.prr_approver.as_deref(),
        )?
        .map(|bytes| {
            let prefix = if dir.is_empty() { String::new() } else { format!("{dir}/") };
            (format!("{prefix}prod-readiness/{sig}/{number_for_yaml}.yaml"), bytes)
        }),
        _ => None,
    };
    let shown_number = match (numbering, number) {
        (Numbering::Date, _) => number_text,
        (_, Some(number)) => number.to_string(),
        (_, None) => String::new(),
    };
    Ok(Plan {
        title: title.to_owned(),
        shown_number,
        folder,
        own_folder,
        main,
        branch,
        base,
        base_label,
        files,
        prr,
        template_label,
    })
}

/// What goes into the template.
struct Filling<'a> {
    title: &'a str,
    /// The proposal's `{name}` (`pod-overhead`), for a front matter whose title is a name.
    name: &'a str,
    /// The number as written (`0042`; empty where proposals have none).
    number: &'a str,
    /// The number for kep.yaml (0 where there is none).
    number_for_yaml: u32,
    /// Where the template came from, for messages.
    label: &'a str,
    /// The H1 prefix the repository's proposals share (`TEP-`), for a template without an H1.
    convention: Option<&'a str>,
}

/// The template's files with the title where the template has it (front matter `title:`, its
/// H1 in the template's pattern, else the H1 the repository's proposals share), its TOC
/// regenerated where it has markers, and kep.yaml's fields filled in. The main document is
/// named `main_name`.
fn fill_template(
    mut files: TemplateFiles,
    filling: &Filling<'_>,
    main_name: &str,
    repo: &Repo,
    context: &Context,
    group: Option<&scaffold::GroupFields<'_>>,
) -> Result<TemplateFiles> {
    let Filling { title, name, number, number_for_yaml, label, convention } = *filling;
    let is_md = |path: &str| path.to_ascii_lowercase().ends_with(".md") || path.ends_with(".md.template");
    let main_at = if files.len() == 1 {
        Some(0)
    } else {
        files
            .iter()
            .position(|(path, _, _)| path == main_name)
            .or_else(|| files.iter().position(|(path, _, _)| path.eq_ignore_ascii_case("README.md")))
            .or_else(|| {
                let markdown: Vec<usize> = (0..files.len()).filter(|&i| is_md(&files[i].0)).collect();
                (markdown.len() == 1).then(|| markdown[0])
            })
    };
    let Some(main_at) = main_at else {
        return Err(refusal(format!("{label} has no main document: neither {main_name} nor README.md"))
            .hint(format!("name it {main_name}, or point `{KEY_TEMPLATE}` at the template's file")));
    };
    files[main_at].0 = main_name.to_owned();
    let mut text = std::str::from_utf8(&files[main_at].1)
        .map_err(|_| refusal(format!("{label}: its {main_name} is not valid UTF-8")))?
        .to_owned();
    // A front matter title written as a name (`neat-enhancement-idea`: openshift's lint wants
    // the file's name there) gets the name; any other, the title.
    let slug_title = scaffold::front_matter_title(&text).is_some_and(crate::proposal::layout::is_lower_kebab);
    if let Some(titled) = scaffold::set_front_matter_title(&text, if slug_title { name } else { title }) {
        text = titled;
    }
    match scaffold::first_h1(&text) {
        // The template's own H1 pattern (`# KEP-NNNN: ...`) is kept: `# KEP-4321: Title`.
        Some(h1) => {
            let heading = scaffold::heading_for(Some(h1), number, title);
            text = scaffold::set_title(&text, &heading).unwrap_or(text);
        }
        None => {
            if let Some(prefix) = convention.filter(|_| !number.is_empty()) {
                let at = crate::toc::content_start(&text);
                text.insert_str(at, &format!("# {prefix}{number}: {title}\n\n"));
            }
        }
    }
    // A TOC only where the template has markers.
    match toc::regenerate(&text, &context.settings.toc) {
        Ok(Outcome::Stale(fresh)) => text = fresh,
        Ok(_) => {}
        Err(err) => return Err(refusal(format!("{label}/{main_name}:{}: {err}", err.line())).hint(err.hint())),
    }
    files[main_at].1 = text.into_bytes();
    if let Some(yaml) = files.iter_mut().find(|(path, _, _)| path == "kep.yaml") {
        let text = String::from_utf8_lossy(&yaml.1).into_owned();
        // `kep.author` (`@handle`, as k/e writes authors), else git's identity.
        let author = match &context.settings.author {
            Some(author) => Some(author.clone()),
            None => repo.identity()?,
        };
        let today = scaffold::today();
        let fields = KepFields { title, number: number_for_yaml, author: author.as_deref(), creation_date: &today };
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
    let shown = if plan.shown_number.is_empty() { String::new() } else { format!("{} ", plan.shown_number) };
    let mut out = format!("Would create proposal {shown}(dry run, nothing changed):\n");
    if plan.own_folder {
        out.push_str(&format!("  folder:   {}/\n", plan.folder));
    } else {
        out.push_str(&format!("  file:     {}\n", plan.main));
    }
    out.push_str(&format!("  branch:   {}\n", plan.branch));
    out.push_str(&format!("  base:     {}\n", plan.base_label));
    out.push_str(&format!("  template: {}\n", plan.template_label));
    out.push_str("  files:\n");
    for (path, _, _) in &plan.files {
        out.push_str(&format!("    {}\n", joined(&plan.folder, path)));
    }
    if let Some((path, _)) = &plan.prr {
        out.push_str(&format!("    {path}\n"));
    }
    write_or_exit_quietly(&mut std::io::stdout().lock(), out.as_bytes());
}

/// `folder/path` ("" is the work tree's root).
fn joined(folder: &str, path: &str) -> String {
    if folder.is_empty() { path.to_owned() } else { format!("{folder}/{path}") }
}

/// The commit message of `--commit`.
fn commit_message(plan: &Plan) -> String {
    match plan.shown_number.as_str() {
        "" => format!("Add proposal: {}", plan.title),
        number => format!("Add proposal {number}: {}", plan.title),
    }
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
    let mut paths: Vec<String> = plan.files.iter().map(|(path, _, _)| joined(&plan.folder, path)).collect();
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
    let mut committed = vec![if plan.own_folder { plan.folder.clone() } else { plan.main.clone() }];
    if let Some((path, _)) = &plan.prr {
        paths.push(path.clone());
        committed.push(path.clone());
    }
    let result = crate::files::write_new_files(&folder, &plan.files)
        .and_then(|()| write_prr())
        .and_then(|()| repo.stage_paths(&paths))
        .and_then(|()| if commit { repo.commit_paths(&commit_message(plan), &committed) } else { Ok(()) });
    if let Err(err) = result {
        let _ = repo.unstage_paths(&paths);
        // Only what `new` made: its own folder, or the one file it wrote.
        if plan.own_folder {
            let _ = fs::remove_dir_all(&folder);
        } else {
            let _ = fs::remove_file(workdir.join(&plan.main));
        }
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
