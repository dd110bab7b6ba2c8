//! What the metadata rules need of a repository's files: its production-readiness files, its
//! approvers (OWNERS_ALIASES) and its groups, read once for every kep.yaml.

use crate::config::Settings;
use crate::proposal::check::Rule;
use std::path::{Path, PathBuf};

/// What the metadata rules need of a repository: where its production-readiness files are,
/// its approvers and its groups. Read once, used for every kep.yaml (by `check` and the hook).
pub struct MetadataContext {
    prr_dir: PathBuf,
    workdir: PathBuf,
    approvers: Option<Vec<String>>,
    groups: Vec<String>,
    check_participating: bool,
}

impl MetadataContext {
    pub fn new(workdir: &Path, settings: &Settings) -> MetadataContext {
        let dir = workdir.join(&settings.dir);
        let mut groups = settings.groups.clone();
        let check_participating = !groups.is_empty();
        if groups.is_empty() {
            // The group folders of kep.dir (`sig-node`): folders that are neither proposals nor special.
            groups = super::layout::group_folders(&dir);
        }
        MetadataContext {
            prr_dir: dir.join("prod-readiness"),
            workdir: workdir.to_path_buf(),
            approvers: prr_approvers(&workdir.join("OWNERS_ALIASES")),
            groups,
            check_participating,
        }
    }

    /// Both rules on one kep.yaml text of the proposal numbered `number` (placeholders, number
    /// 0, get only what CI checks).
    pub fn check(&self, text: &str, number: u32) -> Vec<crate::proposal::metadata::MetadataFinding> {
        use crate::proposal::metadata::{MetadataInput, PrrFile, check_metadata};
        let relative =
            |path: &Path| path.strip_prefix(&self.workdir).unwrap_or(path).to_string_lossy().replace('\\', "/");
        let prr = |sig: &str, number: &str| {
            if !self.prr_dir.is_dir() {
                return PrrFile::Unchecked;
            }
            let path = self.prr_dir.join(sig).join(format!("{number}.yaml"));
            match crate::files::read_small_text(&path, crate::files::MAX_METADATA_BYTES) {
                Ok(text) => PrrFile::Found(relative(&path), text),
                Err(_) => PrrFile::Missing(relative(&path)),
            }
        };
        let input = MetadataInput {
            kep_yaml: text,
            folder_number: Some(number),
            prr: &prr,
            prr_approvers: self.approvers.as_deref(),
            groups: &self.groups,
            check_participating: self.check_participating,
        };
        let mut found = check_metadata(&input);
        if number == 0 {
            found.retain(|f| f.problem.rule == Rule::Metadata);
        }
        found
    }
}

/// The production-readiness approvers of `OWNERS_ALIASES` (both lists, as k/e's CI reads
/// them), `None` where it has neither.
fn prr_approvers(owners_aliases: &Path) -> Option<Vec<String>> {
    let text = crate::files::read_small_text(owners_aliases, crate::files::MAX_METADATA_BYTES).ok()?;
    let aliases = crate::proposal::kep_yaml::KepYaml::parse(&text).ok()?;
    let crate::proposal::kep_yaml::Value::Map(lists) = &aliases.get("aliases")?.value else { return None };
    let approvers: Vec<String> = lists
        .iter()
        .filter(|(name, _)| name == "prod-readiness-approvers" || name == "prod-readiness-approvers-emeritus")
        .flat_map(|(_, list)| list.scalars().into_iter().map(str::to_owned))
        .collect();
    (!approvers.is_empty()).then_some(approvers)
}

/// Rule `metadata-fields` on one file (`relative` to the work tree) of `text`: only a proposal
/// the layout matches, with its metadata file beside it, where rules are configured.
pub fn metadata_fields(
    workdir: &Path,
    settings: &Settings,
    relative: &str,
    text: &str,
) -> Vec<crate::proposal::check::Problem> {
    use crate::proposal::metadata_rules::{Identity, check};
    use crate::proposal::metadata_sources::Metadata;
    if settings.metadata_rules.is_empty() || crate::proposal::stub::is_moved_stub(text) {
        return Vec::new();
    }
    let Some((_, found)) = settings.layout.find(relative) else { return Vec::new() };
    let file = found.folder.as_ref().and_then(|folder| super::layout::read_sidecar(&workdir.join(folder)));
    let metadata = Metadata::read(file.as_ref(), Some(text));
    let file_name = relative.rsplit('/').next().unwrap_or(relative).trim_end_matches(".md");
    let name = found.name.as_deref().or(Some(file_name).filter(|_| found.folder.is_none()));
    // The file's own name where it is the proposal (`{date}-{name}.md` is titled by its name).
    let identity = Identity { name, number: found.number_text.as_deref() };
    check(text, &metadata, identity, &settings.metadata_rules)
}
