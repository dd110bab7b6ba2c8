//! `git kep check`: stale TOCs, broken anchors, missing sections, duplicate numbers and malformed
//! markers, reported for people (colored), scripts (JSON) or GitHub Actions (annotations).

use super::proposal_files;
use super::{Context, report};
use super::{for_each_parallel, write_or_exit_quietly};
mod output;

use crate::cli::{CheckArgs, CheckFormat, ColorChoice};
use crate::config::KEY_CHECK_DISABLE;
use crate::error::{EXIT_ERROR, EXIT_FINDINGS, Error, Result};
use crate::files;
use crate::git;
use crate::paint::{Palette, Stream};
use crate::proposal::check::{self, CheckInput, Problem, Rule};
use crate::worktree::layout::is_proposal;
use crate::worktree::linked::LinkedFiles;
use crate::worktree::metadata::MetadataContext;
use crate::worktree::template::template_sections;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// A file to check: how it is named in reports, where it is, and its bytes.
pub(super) struct Target {
    /// Repository-relative (`/`-separated) inside a repository, else as given.
    pub(super) name: String,
    pub(super) path: PathBuf,
    pub(super) bytes: Vec<u8>,
}

/// A problem in a file.
pub(super) struct Finding {
    pub(super) file: String,
    pub(super) problem: Problem,
}

pub fn run(args: &CheckArgs, color: ColorChoice) -> Result<u8> {
    let context = Context::load_detecting(&args.toc)?;
    let disabled = disabled_rules(&context, args)?;
    let workdir = context.repo.as_ref().and_then(|r| r.workdir()).map(Path::to_path_buf);
    let mut failed = false;
    // With --since: the merge base, and each changed proposal's version there.
    let since = match &args.since {
        Some(rev) => Some(since_base(&context, rev)?),
        None => None,
    };
    let targets = match &since {
        Some(base) => changed_targets(args, &context, base)?,
        None => collect_targets(args, &context, workdir.as_deref(), &mut failed)?,
    };
    // Moved or renamed since the merge base (git's rename detection): compared with the old path.
    let renames = match (&since, &context.repo) {
        (Some(base), Some(repo)) => repo.renamed_since(base, &context.settings.dir, args.staged)?,
        _ => crate::git::Renames::new(),
    };
    let then = |name: &str| renames.get(name).cloned().unwrap_or_else(|| name.to_owned());
    let required = template_sections(&context.settings, workdir.as_deref(), None)?;
    let linked = LinkedFiles::new(workdir.clone(), context.settings.site_root.clone());

    // `added`: the file is new since --since's merge base (template-lint checks only those).
    let check_text = |target: &Target, text: &str, added: bool| {
        let relative = workdir.as_ref().map(|_| target.name.as_str());
        let applies = (is_proposal(&context.settings.layout, relative, &target.path)
            && context.settings.section_rule.applies(added)
            && !crate::proposal::stub::is_moved_stub(text))
        .then_some(required.as_slice());
        let mut answer = |link_path: &str| linked.answer(&target.path, link_path);
        let input = CheckInput { options: &context.settings.toc, required: applies, linked_file: &mut answer };
        let mut checked = check::check_document(text, input);
        if let (Some(workdir), Some(relative)) = (&workdir, relative) {
            let fields = crate::worktree::metadata::metadata_fields(workdir, &context.settings, relative, text);
            checked.problems.extend(fields);
        }
        checked
    };
    let mut older_findings = 0;
    // With --since, each file's version at the merge base (read here: git access stays on this thread).
    let befores: Vec<Option<Vec<u8>>> = match (&since, &context.repo) {
        (Some(base), Some(repo)) => targets
            .iter()
            .map(|t| {
                Ok(match repo.version_at(base, &then(&t.name))? {
                    crate::git::Version::Present(bytes) => Some(bytes),
                    crate::git::Version::Absent => None,
                    // Not fetched (a partial clone offline): unknown, never a new file.
                    crate::git::Version::Unavailable(why) => {
                        eprintln!(
                            "warning: {}: its version at --since cannot be read ({why}): what the change introduces \
                             there is unknown, so its findings count as older",
                            t.name
                        );
                        Some(t.bytes.clone())
                    }
                })
            })
            .collect::<Result<_>>()?,
        _ => targets.iter().map(|_| None).collect(),
    };
    let work: Vec<(&Target, &Option<Vec<u8>>)> = targets.iter().zip(&befores).collect();
    let results = for_each_parallel(&work, |(target, before)| {
        let text = crate::proposal_text::decode(Path::new(&target.name), &target.bytes)?;
        let mut checked = check_text(target, text, since.is_some() && before.is_none());
        if since.is_some() {
            // Only what the change brought: the findings its version at the merge base lacks.
            let before =
                before.as_deref().map(|bytes| check_text(target, &String::from_utf8_lossy(bytes), false).problems);
            let split = crate::proposal::introduced::introduced(before.as_deref(), checked.problems);
            checked.problems = split.new;
            return Ok((checked, split.older));
        }
        Ok((checked, 0))
    });

    let mut findings = Vec::new();
    let mut fresh_documents = HashMap::new();
    for (target, result) in targets.iter().zip(results) {
        match result {
            Err(err) => {
                failed = true;
                report(&err);
            }
            Ok((checked, older)) => {
                older_findings += older;
                for problem in checked.problems {
                    findings.push(Finding { file: target.name.clone(), problem });
                }
                if let Some(fresh) = checked.fresh {
                    fresh_documents.insert(target.name.clone(), fresh);
                }
            }
        }
    }
    if !args.staged {
        let everything = args.paths.is_empty() && since.is_none();
        let mut duplicates = duplicate_numbers(&context, workdir.as_deref(), &targets, everything)?;
        if let (Some(base), Some(repo)) = (&since, &context.repo) {
            // A duplicate number is introduced by the folder that is new since the merge base.
            duplicates.retain(|f| !matches!(repo.file_at(base, &then(&f.file)), Ok(Some(_))));
        }
        findings.extend(duplicates);
        let since = since.as_deref().map(|base| (base, &renames));
        findings.extend(metadata_findings(&context, workdir.as_deref(), &targets, everything, since)?);
    }
    findings.retain(|f| !disabled.contains(&f.problem.rule));
    findings
        .sort_by(|a, b| (&a.file, a.problem.line, a.problem.column).cmp(&(&b.file, b.problem.line, b.problem.column)));

    let palette = Palette::for_stream(color, Stream::Stdout, context.settings.color_ui.as_deref());
    let output = match args.format {
        CheckFormat::Human => output::human(&findings, &targets, &fresh_documents, &palette, args.rules.is_empty()),
        CheckFormat::Json => output::json(&findings, targets.len()),
        CheckFormat::Github => output::github(&findings),
    };
    write_or_exit_quietly(&mut std::io::stdout().lock(), output.as_bytes());
    if args.format == CheckFormat::Human {
        eprintln!("{}", output::summary(&findings, targets.len(), failed));
        if older_findings > 0 {
            eprintln!(
                "{older_findings} older finding{} in these files, not introduced since {}: see them with `git kep check PATH`",
                if older_findings == 1 { "" } else { "s" },
                args.since.as_deref().unwrap_or("")
            );
        }
    }
    Ok(if failed {
        EXIT_ERROR
    } else if findings.is_empty() {
        0
    } else {
        EXIT_FINDINGS
    })
}

/// Rules `metadata` and `metadata-values` on the proposal folders (all of them, or those of the
/// files checked), where proposals carry a `kep.yaml` (or the template does): kubernetes/enhancements'
/// layout. With `--since`, only what each kep.yaml's version at the merge base lacks.
fn metadata_findings(
    context: &Context,
    workdir: Option<&Path>,
    targets: &[Target],
    everything: bool,
    since: Option<(&str, &crate::git::Renames)>,
) -> Result<Vec<Finding>> {
    let Some(workdir) = workdir.filter(|_| context.settings.kubernetes_metadata) else { return Ok(Vec::new()) };
    let dir = workdir.join(&context.settings.dir);
    let relative = |path: &Path| path.strip_prefix(workdir).unwrap_or(path).to_string_lossy().replace('\\', "/");
    let folders = crate::worktree::layout::proposal_folders(&dir);
    let template_has_metadata = std::fs::read_dir(&dir).into_iter().flatten().flatten().any(|entry| {
        entry.file_name().to_string_lossy().starts_with("NNNN") && entry.path().join("kep.yaml").is_file()
    });
    // Any file of that name counts (one that is not a regular file is then said to be so).
    if !template_has_metadata && !folders.iter().any(|(_, folder)| folder.join("kep.yaml").exists()) {
        return Ok(Vec::new());
    }
    let metadata = MetadataContext::new(workdir, &context.settings);
    let mut findings = Vec::new();
    for (number, folder) in folders {
        let folder_name = relative(&folder);
        let checked = everything || targets.iter().any(|t| t.name.starts_with(&format!("{folder_name}/")));
        if !checked {
            continue;
        }
        let kep_yaml = folder.join("kep.yaml");
        let text = match crate::files::read_small_text(&kep_yaml, crate::files::MAX_METADATA_BYTES) {
            Ok(text) => text,
            // Not a regular file (a FIFO is never waited on), or too large to be metadata.
            Err(err) if err.kind() != std::io::ErrorKind::NotFound => {
                findings.push(no_kep_yaml(relative(&kep_yaml), format!("cannot read kep.yaml: {err}")));
                continue;
            }
            Err(_) => {
                if let Some(readme) = crate::worktree::layout::readme_of(&folder) {
                    let message = format!(
                        "{folder_name} has a README but no kep.yaml: copy the template's kep.yaml there and fill it in"
                    );
                    findings.push(no_kep_yaml(relative(&readme), message));
                }
                continue;
            }
        };
        let mut found = metadata.check(&text, number);
        if let (Some((base, renames)), Some(repo)) = (since, &context.repo) {
            let now = relative(&kep_yaml);
            let before = match repo.version_at(base, renames.get(&now).unwrap_or(&now))? {
                // Too large to be metadata (and to parse): no older version to compare with.
                crate::git::Version::Present(bytes) if bytes.len() as u64 > crate::files::MAX_METADATA_BYTES => {
                    Some(text.clone().into_bytes())
                }
                crate::git::Version::Present(bytes) => Some(bytes),
                crate::git::Version::Absent => None,
                crate::git::Version::Unavailable(why) => {
                    eprintln!(
                        "warning: {now}: its version at --since cannot be read ({why}); its findings count as older"
                    );
                    Some(text.clone().into_bytes())
                }
            };
            let before: Option<Vec<Problem>> = before.map(|bytes| {
                metadata.check(&String::from_utf8_lossy(&bytes), number).into_iter().map(|f| f.problem).collect()
            });
            let problems: Vec<Problem> = found.iter().map(|f| f.problem.clone()).collect();
            let kept = crate::proposal::introduced::introduced(before.as_deref(), problems).new;
            found.retain(|f| kept.contains(&f.problem));
        }
        for finding in found {
            let file = finding.file.unwrap_or_else(|| relative(&kep_yaml));
            findings.push(Finding { file, problem: finding.problem });
        }
    }
    Ok(findings)
}

/// A `metadata` finding about a folder's kep.yaml (missing, or not readable).
fn no_kep_yaml(file: String, message: String) -> Finding {
    Finding {
        file,
        problem: Problem { rule: Rule::Metadata, line: 1, column: 1, message, subject: "kep.yaml".to_owned() },
    }
}

/// `--since REV`: the merge base of REV and HEAD.
fn since_base(context: &Context, rev: &str) -> Result<String> {
    let repo = context
        .repo
        .as_ref()
        .ok_or_else(|| Error::new("--since needs a git repository").hint("run it inside the proposals repository"))?;
    super::since_base(repo, rev)
}

/// `--since`: the Markdown files under kep.dir changed since `base` (the index's with --staged),
/// only those under PATHs when given.
fn changed_targets(args: &CheckArgs, context: &Context, base: &str) -> Result<Vec<Target>> {
    let repo = context.repo.as_ref().ok_or_else(|| Error::new("--since needs a git repository"))?;
    let workdir = repo.workdir().ok_or_else(|| Error::new("--since needs a work tree"))?;
    // Each PATH must name something in the work tree: a typo used to check every change.
    let top = std::fs::canonicalize(workdir).unwrap_or_else(|_| workdir.to_path_buf());
    let under: Vec<String> = args
        .paths
        .iter()
        .map(|path| {
            let shown = files::display_path(path);
            let absolute = std::fs::canonicalize(path).map_err(|err| {
                Error::new(format!("{shown}: {err}"))
                    .hint("name files or folders of the work tree, or leave PATH out to check every change")
            })?;
            match absolute.strip_prefix(&top) {
                Ok(relative) => Ok(relative.to_string_lossy().replace('\\', "/")),
                Err(_) => Err(Error::new(format!("{shown}: not in this repository's work tree"))
                    .hint("name files or folders of the work tree, or leave PATH out to check every change")),
            }
        })
        .collect::<Result<_>>()?;
    let mut targets = Vec::new();
    for name in repo.changed_since(base, &context.settings.dir, args.staged)? {
        let wanted = under.is_empty()
            || under.iter().any(|dir| dir.is_empty() || name == *dir || name.starts_with(&format!("{dir}/")));
        if !name.ends_with(".md") || !wanted {
            continue;
        }
        let path = workdir.join(&name);
        let bytes = if args.staged {
            match repo.staged_file(&name)? {
                Some(bytes) => bytes,
                None => continue,
            }
        } else {
            match files::read_document(&path) {
                Ok(bytes) => bytes,
                Err(_) => continue,
            }
        };
        targets.push(Target { name, path, bytes });
    }
    Ok(targets)
}

/// The rules turned off: `kep.checkDisable` and `--skip-rule`, and with `--rule` every other.
fn disabled_rules(context: &Context, args: &CheckArgs) -> Result<Vec<Rule>> {
    let named = |name: &String, place: &str| {
        Rule::from_name(name).ok_or_else(|| {
            let names: Vec<&str> = Rule::ALL.iter().map(|r| r.name()).collect();
            // A suggestion only for a likely typo: a few letters off.
            let closest = names
                .iter()
                .map(|n| (check::edit_distance(name, n), *n))
                .min()
                .filter(|(distance, n)| *distance <= 2.max(n.len() / 4));
            let error = Error::new(format!("unknown rule {name:?} in {place}"));
            let error = match closest {
                Some((_, n)) => error.hint(format!("did you mean {n}?")),
                None => error,
            };
            error.hint(format!("the rules are: {}", names.join(", ")))
        })
    };
    let mut disabled = Vec::new();
    for name in &context.settings.check_disable {
        disabled.push(named(name, KEY_CHECK_DISABLE)?);
    }
    for name in &args.skip_rules {
        disabled.push(named(name, "--skip-rule")?);
    }
    let only: Vec<Rule> = args.rules.iter().map(|name| named(name, "--rule")).collect::<Result<_>>()?;
    if !only.is_empty() {
        disabled.extend(Rule::ALL.iter().filter(|rule| !only.contains(rule)));
    }
    Ok(disabled)
}

fn collect_targets(
    args: &CheckArgs,
    context: &Context,
    workdir: Option<&Path>,
    failed: &mut bool,
) -> Result<Vec<Target>> {
    let name_of = |path: &Path| -> String {
        let absolute = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        match workdir
            .and_then(|w| std::fs::canonicalize(w).ok())
            .and_then(|w| absolute.strip_prefix(&w).ok().map(Path::to_path_buf))
        {
            Some(relative) => relative.to_string_lossy().replace('\\', "/"),
            None => files::display_path(path),
        }
    };
    if args.staged {
        let repo = context.repo.as_ref().ok_or_else(|| Error::new("--staged needs a git repository"))?;
        let workdir = workdir.ok_or_else(|| Error::new("--staged needs a work tree"))?;
        let staged = repo.staged_changes(&context.settings.dir, false)?;
        let mut targets = Vec::new();
        for file in staged.files.iter().filter(|f| f.path.ends_with(".md") && git::is_regular_file(f.mode)) {
            targets.push(Target {
                name: file.path.clone(),
                path: workdir.join(&file.path),
                bytes: repo.read_blob(file.blob)?,
            });
        }
        return Ok(targets);
    }
    let paths = if args.paths.is_empty() {
        proposal_files(context, "check")?
    } else {
        // A directory stands for the Markdown files under it, as for `git kep toc DIR`.
        files::named_paths(&args.paths)?
    };
    let mut targets = Vec::new();
    for path in paths {
        match files::read_document(&path) {
            Ok(bytes) => targets.push(Target { name: name_of(&path), path: path.clone(), bytes }),
            Err(err) => {
                *failed = true;
                report(&Error::new(format!("cannot read: {err}")).at(Path::new(&files::display_path(&path)), None));
            }
        }
    }
    Ok(targets)
}

/// Folders in kep.dir that share a number. Reported for every folder when checking everything,
/// else for the folders of the files checked.
fn duplicate_numbers(
    context: &Context,
    workdir: Option<&Path>,
    targets: &[Target],
    everything: bool,
) -> Result<Vec<Finding>> {
    let Some(workdir) = workdir else { return Ok(Vec::new()) };
    let by_number = crate::worktree::layout::shared_numbers(workdir, &context.settings.layout);
    let mut findings = Vec::new();
    // Numbered by issue, single files may share one: documents of one issue (golang's
    // `55022-pgo.md` and `55022-pgo-implementation.md`). A folder is one proposal's, always.
    let by_issue = context.settings.numbering == crate::proposal::detect::Numbering::Issue;
    let by_number = by_number
        .into_iter()
        .filter(|(_, proposals)| !(by_issue && proposals.iter().all(|p| p.to_ascii_lowercase().ends_with(".md"))));
    for (number, proposals) in by_number {
        for proposal in &proposals {
            let is_file = proposal.to_ascii_lowercase().ends_with(".md");
            let checked = targets.iter().any(|t| t.name == *proposal || t.name.starts_with(&format!("{proposal}/")));
            if !everything && !checked {
                continue;
            }
            let others: Vec<&str> = proposals.iter().filter(|f| *f != proposal).map(String::as_str).collect();
            let main = context
                .settings
                .layout
                .patterns
                .iter()
                .filter_map(|p| p.main_file())
                .map(|main| format!("{proposal}/{main}"))
                .find(|main| workdir.join(main).is_file());
            let file = if is_file { proposal.clone() } else { main.unwrap_or_else(|| proposal.clone()) };
            findings.push(Finding {
                file,
                problem: Problem {
                    rule: Rule::DuplicateNumber,
                    line: 1,
                    column: 1,
                    message: format!("number {number} is also used by {}; renumber one of them", others.join(", ")),
                    subject: number.to_string(),
                },
            });
        }
    }
    Ok(findings)
}
