//! The numbers `git kep new` must not take: every proposal the layout matches in the work tree,
//! on the base and on every local and remote-tracking branch (so that two authors who branched
//! separately do not pick the same one), numbered folders not yet written, and
//! kubernetes/enhancements' production-readiness files. Each with the width its digits pad to
//! and where it was seen.

use crate::error::Result;
use crate::git::Repo;
use crate::proposal::layout::Layout;
use crate::proposal::scaffold;
use crate::worktree::layout::Found;
use std::fs;
use std::path::Path;

/// A number that holds a place until one is given (`hip-9999.md`, as HIP-1 asks): 999, 9999, ...
fn is_placeholder_nines(number: u64) -> bool {
    number >= 999 && number.checked_add(1).is_some_and(|next| next.to_string().trim_end_matches('0') == "1")
}

/// The layout, the proposals found in the work tree, and the pattern of the new one.
pub(super) struct Proposals<'a> {
    pub layout: &'a Layout,
    pub found: &'a [Found],
    pub target: &'a crate::proposal::layout::Pattern,
}

/// Numbers in use: (number, padded width, where).
pub(super) fn in_use(
    repo: &Repo,
    workdir: &Path,
    proposals: Proposals<'_>,
    dir: &str,
    base: Option<(String, git2::Oid)>,
    branches: bool,
) -> Result<Vec<(u64, usize, String)>> {
    let Proposals { layout, found, target } = proposals;
    let mut in_use: Vec<(u64, usize, String)> = Vec::new();
    // Only the new proposal's series counts (gRPC's A1, A2, ... and L1, L2, ...: each its own).
    let position = |path: &str| layout.patterns.iter().position(|p| p.matches(path).is_some());
    let mut per_pattern = vec![std::collections::BTreeSet::new(); layout.patterns.len()];
    for proposal in found {
        if let (Some(at), Some(number)) = (position(&proposal.path), proposal.number) {
            per_pattern[at].insert(number);
        }
    }
    let series = crate::proposal::layout::number_series(&per_pattern);
    let target_series = layout.patterns.iter().position(|p| p == target).map(|at| series[at]);
    let same_series = |path: &str| match (position(path), target_series) {
        (Some(at), Some(target)) => series[at] == target,
        _ => true,
    };
    // The production-readiness files are named by number too (prod-readiness/<sig>/<number>.yaml).
    for group in fs::read_dir(workdir.join(dir).join("prod-readiness")).into_iter().flatten().flatten() {
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
            && same_series(path)
            && !is_placeholder_nines(number)
        {
            let shown = found.folder.unwrap_or_else(|| path.to_owned());
            in_use.push((number, padded(&found.number_text), format!("{shown} ({place})")));
        }
    };
    for proposal in found {
        note(&proposal.path, "work tree");
    }
    if branches {
        let mut tips = repo.branch_tips()?;
        tips.extend(base);
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
    Ok(in_use)
}

#[cfg(test)]
mod tests {
    #[test]
    fn nines_hold_a_place() {
        assert!(super::is_placeholder_nines(9999) && super::is_placeholder_nines(999));
        assert!(
            !super::is_placeholder_nines(99)
                && !super::is_placeholder_nines(9998)
                && !super::is_placeholder_nines(1000)
        );
        assert!(!super::is_placeholder_nines(u64::MAX));
    }
}
