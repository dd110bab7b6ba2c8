//! `git kep new`: a numbered proposal folder from the template, on its own branch. Plan first
//! (every refusal before anything changes), then apply (`apply.rs`), undoing what was done if a
//! step fails.

use super::Context;
use super::write_or_exit_quietly;
mod apply;
mod conventions;
mod numbers;

use crate::cli::{NewArgs, TocFlags};
use crate::config::{KEY_BASE, KEY_BRANCH_PREFIX, KEY_TEMPLATE, Settings};
use crate::error::{EXIT_FINDINGS, Error, Result};
use crate::git::{self, HeadState, Repo};
use crate::proposal::detect::Numbering;
use crate::proposal::layout::PatternNumbering;
use crate::proposal::new_metadata::{self, NewMetadata};
use crate::proposal::scaffold::{self, Filling, KepFields};
use crate::worktree::template::{TemplateFiles, template};
use apply::{apply, commit_message, joined, print_plan};
use std::path::Path;

/// Everything `new` will do, decided before anything changes.
pub(super) struct Plan {
    pub(super) title: String,
    /// The number as people read it (`42`, `20240131`; empty where proposals have none).
    pub(super) shown_number: String,
    /// Where the files go, relative to the work-tree root, `/`-separated: the proposal's own
    /// folder, or for a single-file proposal the folder it goes into.
    pub(super) folder: String,
    /// Whether `folder` is the proposal's own (removed whole if a step fails).
    pub(super) own_folder: bool,
    /// The main document, relative to the work-tree root.
    pub(super) main: String,
    pub(super) branch: String,
    pub(super) base: Option<git2::Oid>,
    pub(super) base_label: String,
    /// Files relative to the folder, with their content and whether they are executable.
    pub(super) files: Vec<(String, Vec<u8>, bool)>,
    /// The production-readiness file, relative to the work-tree root (k/e's layout).
    pub(super) prr: Option<(String, Vec<u8>)>,
    pub(super) template_label: String,
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
    // Staged changes of other files go along onto the new branch (git switch keeps them): said,
    // and `--commit` commits only the proposal's files.
    let others = repo.staged_paths()?;
    if !others.is_empty() {
        let shown: Vec<&str> = others.iter().take(5).map(String::as_str).collect();
        let more = if others.len() > 5 { format!(" and {} more", others.len() - 5) } else { String::new() };
        eprintln!(
            "warning: other staged changes come along onto {} ({}{more}); `git restore --staged PATH` unstages one",
            plan.branch,
            shown.join(", ")
        );
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
        let refused = refusal(format!("cannot use the title {title:?}: {err}"));
        if matches!(err, scaffold::NameError::ControlCharacter(..)) {
            return refused
                .hint("give the title on one line, without escape sequences, e.g. git kep new \"Pod Overhead\"");
        }
        refused
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
    let branches = numbering == Numbering::Next || numbering == Numbering::Issue;
    let base_tip = base.map(|base| (base_label.clone(), base));
    let proposals = numbers::Proposals { layout, found: &found, target: pattern };
    let in_use = numbers::in_use(repo, workdir, proposals, &dir, base_tip, branches)?;
    let widest = in_use.iter().map(|(_, width, _)| *width).max().unwrap_or(0);
    // `kep.dir`'s folders pad to 3 digits at least, as they always did; patterns as configured.
    let width = if settings.layout_shorthand { widest.max(3) } else { layout.number_width.max(widest) };
    let number: Option<u64> = match (numbering, args.number) {
        (Numbering::Date | Numbering::None, Some(_)) => {
            let how = if numbering == Numbering::Date { "are dated" } else { "have no numbers" };
            return Err(refusal(format!("--number: proposals here {how}")).hint("leave out --number"));
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
        // Dated as the proposals of this pattern are: `2023-06-13` or `20230613`.
        (Numbering::Date, _) => {
            let dashed = found
                .iter()
                .filter_map(|f| pattern.matches(&f.path))
                .any(|m| m.number_text.is_some_and(|text| crate::proposal::layout::dashed_date(&text).is_some()));
            if dashed { scaffold::today() } else { scaffold::today().replace('-', "") }
        }
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
    // Not through a symlink out of the repository (`proposals -> ../elsewhere`).
    crate::files::resolve_inside(&workdir.join(taken), workdir).map_err(|err| err.exit_code(EXIT_FINDINGS))?;
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
    // kep.yaml's stage, milestone, reviewers and approvers, by group or not (jobset's, lws's).
    let group = scaffold::GroupFields {
        owning_sig: sig.as_deref(),
        participating_sigs: &args.participating_sigs,
        stage: &args.stage,
        milestone: args.milestone.as_deref(),
        reviewers: &args.reviewers,
        approvers: &args.approvers,
    };
    // The newest proposals say what the template may not: the H1 they share (`# TEP-0042:
    // ...`), their front matter's keys and titles, their statuses, their metadata file.
    let recent = conventions::Recent::read(workdir, &found);
    let convention = scaffold::h1_convention(recent.h1s.iter().map(String::as_str));
    let author = match &settings.author {
        Some(author) => Some(author.clone()),
        None => repo.github_handle()?.map_or_else(|| repo.identity(), |handle| Ok(Some(handle)))?,
    };
    let today = scaffold::today();
    let status =
        new_metadata::initial_status(recent.statuses.iter().map(String::as_str), &settings.metadata_rules.statuses);
    let main_name = main.rsplit('/').next().unwrap_or(&main).to_owned();
    let number_for_yaml = number.and_then(|n| u32::try_from(n).ok()).unwrap_or(0);
    let shown = number.map(|n| n.to_string()).unwrap_or_default();
    let metadata =
        NewMetadata { title, number: &shown, author: author.as_deref(), today: &today, status: status.as_deref() };
    let front_keys = recent.front_matter_keys(&settings.metadata_rules.required);
    let title_prefix = scaffold::h1_convention(recent.front_titles.iter().map(String::as_str));
    let filling = Filling {
        title,
        name: &name,
        number: &number_text,
        number_is_issue: numbering == Numbering::Issue,
        file_name: main.rsplit('/').next().unwrap_or(&main),
        number_for_yaml,
        label: &template_label,
        convention: convention.as_deref(),
        metadata,
        front_matter: front_keys.as_deref().map(|keys| (keys, title_prefix.as_deref())),
    };
    let mut files = fill_template(template_files, &filling, &main_name, context, &group)?;
    // The metadata file most proposals have beside them (gateway-api's metadata.yaml).
    if own_folder
        && let Some((file, model)) = &recent.sidecar
        && !files.iter().any(|(path, _, _)| path == file)
    {
        files.push((file.clone(), new_metadata::sidecar_from(model, &metadata).into_bytes(), false));
    }
    // A single-file proposal is the template's main document alone.
    let files = if own_folder { files } else { files.into_iter().filter(|(path, _, _)| *path == main_name).collect() };
    // Where k/e keeps production-readiness approvals, the new proposal gets its file.
    let prr = match &sig {
        Some(sig) if number_for_yaml > 0 => crate::worktree::template::prr_file(
            (workdir, &kep_dir),
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

/// The template's files with the title where the template has it (front matter `title:`, its
/// H1 in the template's pattern, else the H1 the repository's proposals share), its TOC
/// regenerated where it has markers, and kep.yaml's fields filled in. The main document is
/// named `main_name`.
fn fill_template(
    mut files: TemplateFiles,
    filling: &Filling<'_>,
    main_name: &str,
    context: &Context,
    group: &scaffold::GroupFields<'_>,
) -> Result<TemplateFiles> {
    let Filling { title, number_for_yaml, label, .. } = *filling;
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
    let text = std::str::from_utf8(&files[main_at].1)
        .map_err(|_| refusal(format!("{label}: its {main_name} is not valid UTF-8")))?;
    let text = scaffold::fill_main_document(text, filling, &context.settings.toc)
        .map_err(|err| refusal(format!("{label}/{main_name}:{}: {err}", err.line())).hint(err.hint()))?;
    files[main_at].1 = text.into_bytes();
    if let Some(yaml) = files.iter_mut().find(|(path, _, _)| path == "kep.yaml") {
        let text = String::from_utf8_lossy(&yaml.1).into_owned();
        let (author, today) = (filling.metadata.author, filling.metadata.today);
        let fields = KepFields { title, number: number_for_yaml, author, creation_date: today };
        yaml.1 = scaffold::fill_group_fields(&scaffold::fill_kep_yaml(&text, &fields), group).into_bytes();
    }
    Ok(files)
}

/// The groups of `kep.dir`: `kep.groups` where set, else its folders that are neither proposals
/// (numbered), nor the template (`NNNN-*`), nor `prod-readiness`.
fn group_names(kep_dir: &Path, settings: &Settings) -> Vec<String> {
    if settings.groups.is_empty() { crate::worktree::layout::group_folders(kep_dir) } else { settings.groups.clone() }
}
