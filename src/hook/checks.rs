//! The hook's checks, as the plan asks for them: the template's required sections (read once,
//! through the cache in the git directory), the files links reach, and the metadata rules on
//! staged `kep.yaml` files. Reads files and blobs; findings out, as data.

use super::plan::{Base, Checked, Checks};
use crate::config::Settings;
use crate::error::Result;
use crate::git;
use crate::proposal::check::{self, Rule};
use crate::toc::Document;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The anchor and section checks of the staged proposals as they will be committed (rules in
/// `kep.checkDisable` skipped). The template's sections are read once, when first needed (from
/// the cache in the git directory while the template is unchanged), and so is each linked file.
pub struct Checker {
    pub settings: Settings,
    workdir: PathBuf,
    /// Where the template's sections are kept between commits (`sections_cache`).
    git_dir: PathBuf,
    required: OnceLock<Result<Vec<check::RequiredSection>>>,
    linked: crate::worktree::linked::LinkedFiles,
}

impl Checker {
    pub fn new(settings: Settings, workdir: PathBuf, git_dir: &Path) -> Self {
        let linked = crate::worktree::linked::LinkedFiles::new(Some(workdir.clone()), settings.site_root.clone());
        Checker { settings, workdir, git_dir: git_dir.to_path_buf(), required: OnceLock::new(), linked }
    }

    pub fn wants(&self, rule: Rule) -> bool {
        let metadata = matches!(rule, Rule::Metadata | Rule::MetadataValues);
        (matches!(rule, Rule::BrokenAnchor | Rule::MissingSection | Rule::TocLinkTarget | Rule::MetadataFields)
            || (metadata && self.settings.kubernetes_metadata))
            && !self.settings.check_disable.iter().any(|d| d == rule.name())
    }

    pub fn wants_any(&self) -> bool {
        self.wants(Rule::BrokenAnchor)
            || self.wants(Rule::MissingSection)
            || self.wants(Rule::TocLinkTarget)
            || (self.wants(Rule::MetadataFields) && !self.settings.metadata_rules.is_empty())
    }

    /// The template's required sections, read by the first caller; others wait for it.
    fn read_template(&self) -> &Result<Vec<check::RequiredSection>> {
        self.required.get_or_init(|| {
            crate::worktree::template::template_sections(&self.settings, Some(&self.workdir), Some(&self.git_dir))
        })
    }
}

impl Checker {
    /// Rule `metadata-fields` on a proposal's text (`path` work-tree relative).
    fn metadata_fields(&self, path: &str, text: &str) -> Vec<check::Problem> {
        crate::worktree::metadata::metadata_fields(&self.workdir, &self.settings, path, text)
    }
}

impl Checks for Checker {
    fn wants_links(&self) -> bool {
        self.wants_any()
    }

    fn checks_without_markers(&self, path: &str) -> bool {
        self.settings.layout.find(path).is_some()
    }

    /// The findings one proposal introduces: those of `document` that its version in the
    /// commit this one starts from (`base`, `None` for a new proposal) does not have.
    fn check(&self, path: &str, document: &Document<'_>, base: Option<&Base<'_>>) -> Result<Checked> {
        if !self.wants_any() {
            return Ok(Checked::default());
        }
        let full_path = self.workdir.join(path);
        // Under template-lint, only a proposal the commit adds (no version before it).
        let required = if crate::worktree::layout::is_proposal(&self.settings.layout, Some(path), &full_path)
            && self.settings.section_rule.applies(base.is_none())
            && !crate::proposal::stub::is_moved_stub(document.text)
        {
            Some(self.read_template().as_ref().map_err(Clone::clone)?.as_slice())
        } else {
            None
        };
        let mut answer = |link: &str| self.linked.answer(&full_path, link);
        let wanted =
            |problems: Vec<check::Problem>| problems.into_iter().filter(|p| self.wants(p.rule)).collect::<Vec<_>>();
        let fields = |text: &str| self.metadata_fields(path, text);
        let now = {
            let input = check::CheckInput { options: &self.settings.toc, required, linked_file: &mut answer };
            let mut problems = check::check_parsed(document, input).problems;
            problems.extend(fields(document.text));
            wanted(problems)
        };
        // Nothing found: nothing introduced, whatever the previous version had.
        let before = base.filter(|_| !now.is_empty()).map(|base| match base.document_unless_lacking(&now) {
            None => now.clone(),
            Some(Ok(document)) => {
                let input = check::CheckInput { options: &self.settings.toc, required, linked_file: &mut answer };
                let mut problems = check::check_parsed(document, input).problems;
                problems.extend(fields(base.text()));
                wanted(problems)
            }
            Some(Err(err)) => wanted(vec![check::marker_problem(err)]),
        });
        let split = crate::proposal::introduced::introduced(before.as_deref(), now);
        let found = split.new.into_iter().map(|p| (path.to_owned(), p)).collect();
        Ok(Checked { found, older: vec![(path.to_owned(), split.older)] })
    }
}

/// The metadata rules on the staged `kep.yaml` files, as they will be committed: the findings
/// each introduces over its version in the commit this one starts from.
pub fn staged_metadata(
    repo: &git::Repo,
    workdir: &Path,
    staged: &git::StagedChanges,
    checker: &Checker,
    warn: &dyn Fn(String),
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
        // A YAML file takes many times its size once parsed: like documents, metadata has a limit.
        let limit = crate::files::MAX_METADATA_BYTES;
        if repo.blob_size(file.blob)? as u64 > limit {
            warn(format!(
                "skipping {}: larger than {} KiB, the most git-kep reads of a metadata file; its rules are not checked",
                file.path,
                limit >> 10
            ));
            continue;
        }
        let context =
            context.get_or_insert_with(|| crate::worktree::metadata::MetadataContext::new(workdir, &checker.settings));
        let text = String::from_utf8_lossy(&repo.read_blob(file.blob)?).into_owned();
        let now: Vec<_> = context.check(&text, number).into_iter().filter(|f| wanted(f.problem.rule)).collect();
        if now.is_empty() {
            continue;
        }
        // Not fetched (a partial clone offline): unknown, so nothing counts as introduced.
        let too_large = |base| repo.blob_size(base).is_ok_and(|size| size as u64 > limit);
        let base = match file
            .base
            .map(|base| if too_large(base) { Ok(text.clone().into_bytes()) } else { repo.read_blob(base) })
        {
            Some(Err(err)) => {
                warn(crate::hook::report::base_unknown(&file.path, &err));
                Some(text.clone().into_bytes())
            }
            other => other.transpose()?,
        };
        let before = base.map(|bytes| {
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
