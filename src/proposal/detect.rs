//! What `git kep init` finds in a repository, from its file list alone (and a few files read
//! through the caller): where proposals live (the path patterns), how they are numbered and
//! named, their template, their groups, and which TOC tool the repository's CI runs. Pure:
//! paths and texts in, a layout and the reasons for it out.

use super::layout::{self, NameCase, Pattern, PatternNumbering, is_lower_kebab};
use std::collections::{BTreeMap, BTreeSet};

/// How new proposals get their number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Numbering {
    /// One more than the highest.
    Next,
    /// The tracking issue's or pull request's: given with `--number`.
    Issue,
    /// Today's date (`{date}` patterns).
    Date,
    /// Proposals have no numbers.
    None,
}

impl Numbering {
    pub fn name(self) -> &'static str {
        match self {
            Numbering::Next => "next",
            Numbering::Issue => "issue",
            Numbering::Date => "date",
            Numbering::None => "none",
        }
    }
}

/// The TOC tool a repository's CI runs, as far as git-kep can tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TocTool {
    /// `markdown` or `html` (mdtoc).
    pub style: &'static str,
    pub max_depth: Option<u8>,
    /// Why: the file that says so.
    pub seen_in: String,
    /// What git-kep cannot match yet, said by `init`.
    pub caveat: Option<String>,
}

/// Everything detected, with the reasons `init` prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detected {
    pub patterns: Vec<String>,
    /// Proposals each pattern matched.
    pub counts: Vec<usize>,
    pub numbering: Numbering,
    pub number_width: usize,
    pub name_case: NameCase,
    pub template: Option<String>,
    pub groups: Vec<String>,
    pub toc: Option<TocTool>,
    /// The repository runs kubernetes/enhancements' kep.yaml checks.
    pub kubernetes_metadata: bool,
    /// What its own CI checks of front matter and header lines.
    pub metadata_rules: super::metadata_rules::MetadataRules,
    pub reasons: Vec<String>,
}

impl Detected {
    pub fn found_any(&self) -> bool {
        !self.patterns.is_empty()
    }

    /// The settings detected, as keys and values (`kep.dir` alone where nothing was found).
    pub fn settings(&self) -> Vec<(&'static str, String)> {
        use crate::config::{
            DEFAULT_DIR, KEY_DIR, KEY_LAYOUT, KEY_NAME_CASE, KEY_NUMBER_WIDTH, KEY_NUMBERING, KEY_TEMPLATE,
            KEY_TOC_MAX_DEPTH, KEY_TOC_STYLE,
        };
        if !self.found_any() {
            return vec![(KEY_DIR, DEFAULT_DIR.to_owned())];
        }
        let mut settings = vec![(KEY_LAYOUT, self.patterns.join(" "))];
        if self.numbering != Numbering::Next {
            settings.push((KEY_NUMBERING, self.numbering.name().to_owned()));
        }
        if self.number_width > 0 {
            settings.push((KEY_NUMBER_WIDTH, self.number_width.to_string()));
        }
        if self.name_case == NameCase::LowerKebab {
            settings.push((KEY_NAME_CASE, "lower-kebab".to_owned()));
        }
        if let Some(template) = &self.template {
            settings.push((KEY_TEMPLATE, template.clone()));
        }
        if self.kubernetes_metadata {
            settings.push((crate::config::KEY_METADATA_RULES, "kubernetes".to_owned()));
        }
        let rules = &self.metadata_rules;
        for (key, values) in [
            (crate::config::KEY_REQUIRED_FIELDS, &rules.required),
            (crate::config::KEY_STATUS_VALUES, &rules.statuses),
            (crate::config::KEY_DATE_FIELDS, &rules.dates),
            (crate::config::KEY_PEOPLE_FIELDS, &rules.people),
        ] {
            if !values.is_empty() {
                settings.push((key, values.join(", ")));
            }
        }
        if rules.title_is_name {
            settings.push((crate::config::KEY_TITLE_IS_NAME, "true".to_owned()));
        }
        if rules.number_in_title {
            settings.push((crate::config::KEY_NUMBER_IN_TITLE, "true".to_owned()));
        }
        if let Some(tool) = &self.toc {
            settings.push((KEY_TOC_STYLE, tool.style.to_owned()));
            if let Some(depth) = tool.max_depth {
                settings.push((KEY_TOC_MAX_DEPTH, depth.to_string()));
            }
        }
        settings
    }
}

/// Folder names that hold unnumbered proposals by convention.
const PROPOSAL_FOLDERS: [&str; 9] =
    ["enhancements", "proposals", "rfcs", "designs", "design", "keps", "teps", "geps", "veps"];

/// Detects the layout from every tracked path (work-tree relative, `/`-separated); `read`
/// returns a tracked file's text (CI scripts, to find the TOC tool).
pub fn detect(paths: &[String], read: &dyn Fn(&str) -> Option<String>) -> Detected {
    let mut reasons = Vec::new();
    let mut patterns = numbered_patterns(paths);
    let unnumbered = unnumbered_patterns(paths);
    // A few numbered files among many unnumbered proposals are not the convention.
    let total = |found: &[(String, usize)]| found.iter().map(|(_, n)| n).sum::<usize>();
    if total(&unnumbered) > 5 * total(&patterns) {
        patterns = unnumbered;
    }
    let parsed: Vec<Pattern> = patterns.iter().filter_map(|(p, _)| Pattern::parse(p).ok()).collect();
    let mut matches = Vec::new();
    for path in paths {
        if let Some(found) = parsed.iter().find_map(|p| p.matches(path)) {
            matches.push(found);
        }
    }
    for (pattern, count) in &patterns {
        reasons.push(format!("{count} proposals match `{pattern}`"));
    }
    let numbering = if parsed.iter().any(|p| p.numbering() == PatternNumbering::Date) {
        Numbering::Date
    } else if parsed.iter().all(|p| p.numbering() == PatternNumbering::None) {
        Numbering::None
    } else {
        let numbers: BTreeSet<u64> = matches.iter().filter_map(|m| m.number).filter(|n| *n > 0).collect();
        let highest = numbers.iter().max().copied().unwrap_or(0);
        // Sequential numbers fill their range; issue and pull-request numbers are sparse.
        if highest as usize > 2 * numbers.len() + 20 {
            reasons.push(format!(
                "numbers are sparse ({} numbers up to {highest}): they are tracking issues' or pull requests', so `new` takes `--number`",
                numbers.len()
            ));
            Numbering::Issue
        } else {
            Numbering::Next
        }
    };
    // `0000-*` placeholders say nothing of padding.
    let padded: Vec<usize> = matches
        .iter()
        .filter(|m| m.number.is_some_and(|n| n > 0))
        .filter_map(|m| m.number_text.as_deref())
        .filter(|t| t.len() > 1 && t.starts_with('0'))
        .map(str::len)
        .collect();
    // Padding is the convention where the numbers shorter than it are written padded (three of
    // four); k/e's one `0752` among hundreds of `279`s is not.
    let candidate = most_common(&padded).unwrap_or(0);
    let short: Vec<&str> = matches
        .iter()
        .filter(|m| m.number.is_some_and(|n| n > 0 && n.to_string().len() < candidate))
        .filter_map(|m| m.number_text.as_deref())
        .collect();
    let padded_short = short.iter().filter(|t| t.len() >= candidate).count();
    let convention = !short.is_empty() && padded_short * 4 >= short.len() * 3;
    let number_width = if numbering == Numbering::Date || !convention { 0 } else { candidate };
    let names: Vec<&str> = matches.iter().filter_map(|m| m.name.as_deref()).collect();
    let kebab = names.iter().filter(|n| is_lower_kebab(n)).count();
    // Three names at least: fewer tell nothing of a convention.
    let name_case = if names.len() >= 3 && kebab * 5 >= names.len() * 4 {
        reasons.push(format!("{kebab} of {} names are lower-case kebab: new names are too", names.len()));
        NameCase::LowerKebab
    } else {
        NameCase::AsTyped
    };
    let groups: Vec<String> =
        matches.iter().filter_map(|m| m.group.clone()).collect::<BTreeSet<_>>().into_iter().collect();
    let template = template(paths, &parsed);
    if let Some(template) = &template {
        reasons.push(format!("the template is {template}"));
    }
    let toc = toc_tool(paths, read);
    // k/e's CI validates every kep.yaml with this script; repositories that copied kep.yaml
    // without it run no such rule.
    let kubernetes_metadata = paths.iter().any(|p| p == "hack/verify-kep-metadata.sh");
    if kubernetes_metadata {
        reasons.push(
            "hack/verify-kep-metadata.sh checks kep.yaml: kubernetes/enhancements' metadata rules apply".to_owned(),
        );
    }
    let metadata_rules = metadata_rules(paths, read, &mut reasons);
    if let Some(tool) = &toc {
        reasons.push(format!("{} runs the TOC tool: style {}", tool.seen_in, tool.style));
    }
    Detected {
        counts: patterns.iter().map(|(_, n)| *n).collect(),
        patterns: patterns.into_iter().map(|(p, _)| p).collect(),
        numbering,
        number_width,
        name_case,
        template,
        groups,
        toc,
        kubernetes_metadata,
        metadata_rules,
        reasons,
    }
}

/// A path's shape where a folder or file name starts with a number: (pattern, the proposal's
/// folder or file), before groups are generalized.
fn numbered_shape(path: &str) -> Option<(String, String)> {
    let segments: Vec<&str> = path.split('/').collect();
    let file = *segments.last()?;
    let stem = file.strip_suffix(".md").or_else(|| file.strip_suffix(".MD"))?;
    let dir = |n: usize| segments[..segments.len() - n].join("/");
    let join = |dir: String, rest: String| if dir.is_empty() { rest } else { format!("{dir}/{rest}") };
    // A single file `NNNN-name.md` (or `PREFIX-NNNN-name.md`).
    if let Some(part) = numbered_part(stem, true) {
        return Some((join(dir(1), format!("{part}.md")), path.to_owned()));
    }
    // A folder `NNNN-name/` or `gep-NNNN/` holding the main document.
    if segments.len() >= 2
        && let Some(part) = numbered_part(segments[segments.len() - 2], false)
    {
        return Some((join(dir(2), format!("{part}/{file}")), dir(1)));
    }
    None
}

/// `0042-name` as `{number}-{name}`, `20240131-name` as `{date}-{name}`, `gep-12` as
/// `gep-{number}`, `CFP-1-x` as `CFP-{number}-{name}`; `None` for other names and templates.
fn numbered_part(name: &str, needs_name: bool) -> Option<String> {
    let letters = name.bytes().take_while(u8::is_ascii_alphabetic).count();
    let (prefix, rest) = match name[letters..].strip_prefix('-') {
        Some(rest) if letters > 0 => (&name[..=letters], rest),
        _ if letters == 0 => ("", name),
        _ => return None,
    };
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    let number = if digits == 8 && (rest.starts_with("19") || rest.starts_with("20")) { "{date}" } else { "{number}" };
    match &rest[digits..] {
        "" if !needs_name => Some(format!("{prefix}{number}")),
        tail => {
            let name = tail.strip_prefix('-').filter(|n| !n.is_empty())?;
            (!layout::is_template_name(name)).then(|| format!("{prefix}{number}-{{name}}"))
        }
    }
}

/// The numbered patterns: shapes shared by enough proposals, folders in varying groups merged
/// into `{group}`, each folder's main document the file name most folders share.
fn numbered_patterns(paths: &[String]) -> Vec<(String, usize)> {
    // Per shape, the proposals (folders or files) that have it.
    let mut shapes: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for path in paths {
        if let Some((shape, proposal)) = numbered_shape(path) {
            shapes.entry(shape).or_default().insert(proposal);
        }
    }
    // Of `dir/{number}-{name}/X.md` shapes, keep per folder shape the X most folders have.
    let mut best: BTreeMap<String, (String, usize)> = BTreeMap::new();
    for (shape, proposals) in &shapes {
        let key = match shape.rsplit_once('/') {
            Some((folder, _)) if folder.rsplit('/').next().is_some_and(|s| s.contains('{')) => folder.to_owned(),
            _ => shape.clone(),
        };
        let entry = best.entry(key).or_insert_with(|| (shape.clone(), 0));
        if proposals.len() > entry.1 {
            *entry = (shape.clone(), proposals.len());
        }
    }
    // Groups: shapes that differ only in one folder, `{group}` when two or more share it.
    let mut grouped: BTreeMap<String, (BTreeSet<String>, usize)> = BTreeMap::new();
    for (shape, count) in best.into_values() {
        let pieces: Vec<&str> = shape.split('/').collect();
        let general = pieces.iter().position(|p| p.contains('{')).filter(|&at| at >= 2).map(|at| {
            let mut generalized: Vec<&str> = pieces.clone();
            generalized[at - 1] = "{group}";
            (generalized.join("/"), pieces[at - 1].to_owned())
        });
        match general {
            Some((general, group)) => {
                let entry = grouped.entry(general).or_default();
                entry.0.insert(group);
                entry.1 += count;
            }
            None => {
                grouped.entry(shape).or_default().1 += count;
            }
        }
    }
    let mut found: Vec<(String, usize)> = Vec::new();
    for (shape, (groups, count)) in grouped {
        if groups.len() == 1 {
            // One folder only: no group, the folder is literal.
            let group = groups.into_iter().next().expect("one");
            found.push((shape.replacen("{group}", &group, 1), count));
        } else {
            found.push((shape, count));
        }
    }
    let largest = found.iter().map(|(_, n)| *n).max().unwrap_or(0);
    found.retain(|(_, n)| *n >= 2 && *n * 20 >= largest);
    // The most proposals first (`new` writes the first); of equals, the shallower.
    found.sort_by(|a, b| {
        b.1.cmp(&a.1).then(a.0.matches('/').count().cmp(&b.0.matches('/').count())).then(a.0.cmp(&b.0))
    });
    found
}

/// Unnumbered proposals: Markdown files in a folder named for proposals (`enhancements/`),
/// directly or one group deep.
fn unnumbered_patterns(paths: &[String]) -> Vec<(String, usize)> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for path in paths {
        let Some(stem) = path.strip_suffix(".md") else { continue };
        let segments: Vec<&str> = stem.split('/').collect();
        let file = segments[segments.len() - 1];
        if is_not_a_proposal(file) {
            continue;
        }
        for (at, folder) in segments.iter().enumerate().take(segments.len() - 1) {
            if !PROPOSAL_FOLDERS.contains(folder) {
                continue;
            }
            let root = segments[..=at].join("/");
            let pattern = match segments.len() - at {
                2 => format!("{root}/{{name}}.md"),
                3 => format!("{root}/{{group}}/{{name}}.md"),
                _ => continue,
            };
            *counts.entry(pattern).or_default() += 1;
            break;
        }
    }
    let mut found: Vec<(String, usize)> = counts.into_iter().filter(|(_, n)| *n >= 5).collect();
    found.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    found
}

/// A file name that is never a proposal of its own.
pub fn is_not_a_proposal(stem: &str) -> bool {
    let lower = stem.to_ascii_lowercase();
    ["readme", "index", "_index", "contributing", "owners", "changelog", "license"].contains(&lower.as_str())
        || layout::is_template_name(stem)
        || lower.contains("template")
}

/// The repository's template: a folder or file named for one, nearest the proposals.
fn template(paths: &[String], patterns: &[Pattern]) -> Option<String> {
    let main_files: Vec<&str> = patterns.iter().filter_map(Pattern::main_file).collect();
    let roots: Vec<String> = patterns.iter().map(Pattern::root).collect();
    let mut candidates: Vec<(usize, String)> = Vec::new();
    for path in paths {
        let lower = path.to_ascii_lowercase();
        let file = lower.rsplit('/').next().unwrap_or(&lower);
        let folder = path.rsplit_once('/').map_or("", |(folder, _)| folder);
        let folder_name = folder.rsplit('/').next().unwrap_or(folder);
        let folder_template = main_files.contains(&&path[path.len() - file.len()..])
            && (folder_name.starts_with("NNN") || folder_name.to_ascii_lowercase().contains("template"));
        let file_template = (file.ends_with(".md") || file.ends_with(".md.template"))
            && file.contains("template")
            && !patterns.iter().any(|p| p.matches(path).is_some());
        let candidate = if folder_template {
            folder.to_owned()
        } else if file_template && !folder_name.to_ascii_lowercase().contains("template") {
            path.clone()
        } else {
            continue;
        };
        // Nearest the proposals: inside a root first, then by depth.
        let inside = roots.iter().any(|root| layout::is_inside(folder, root));
        let distance = usize::from(!inside) * 100 + candidate.matches('/').count();
        candidates.push((distance, candidate));
    }
    candidates.sort();
    candidates.dedup();
    candidates.into_iter().next().map(|(_, path)| path)
}

/// The TOC tool the CI scripts run: mdtoc (with its `--max-depth`), or none git-kep maintains.
fn toc_tool(paths: &[String], read: &dyn Fn(&str) -> Option<String>) -> Option<TocTool> {
    let scripts = paths.iter().filter(|p| {
        let lower = p.to_ascii_lowercase();
        lower == "makefile"
            || lower.ends_with("/makefile")
            || lower == "package.json"
            || (lower.starts_with("hack/") && (lower.ends_with(".sh") || lower.contains("toc")))
            || (lower.starts_with(".github/workflows/") && (lower.ends_with(".yml") || lower.ends_with(".yaml")))
    });
    let mut found: Option<TocTool> = None;
    for script in scripts {
        let Some(text) = read(script) else { continue };
        if !text.contains("mdtoc") {
            continue;
        }
        let max_depth = text
            .split("--max-depth")
            .nth(1)
            .and_then(|rest| rest.trim_start_matches(['=', ' ']).chars().next())
            .and_then(|c| c.to_digit(10))
            .map(|d| d as u8);
        let caveat = text.contains("b8c54a57").then(|| {
            "it pins mdtoc at b8c54a57, which leaves code spans out of anchors; git-kep writes v1.4.0's".to_owned()
        });
        // The script that runs it (with its flags) says more than the one that names it.
        let better = found.as_ref().is_none_or(|f| f.max_depth.is_none() && max_depth.is_some());
        if better {
            let caveat = caveat.or_else(|| found.as_ref().and_then(|f| f.caveat.clone()));
            found = Some(TocTool { style: "html", max_depth, seen_in: script.clone(), caveat });
        }
    }
    found
}

/// The metadata rules a repository's own CI runs, where git-kep recognises its scripts: a
/// validator with a `REQUIRED_FIELDS` list that also compares the title's number with the file's
/// (tekton's `teps.py validate`), or a metadata lint that wants the title to be the file's name
/// (openshift's `metadata-lint`).
fn metadata_rules(
    paths: &[String],
    read: &dyn Fn(&str) -> Option<String>,
    reasons: &mut Vec<String>,
) -> super::metadata_rules::MetadataRules {
    let mut rules = super::metadata_rules::MetadataRules::default();
    for path in paths.iter().filter(|p| p.ends_with(".py") || p.ends_with(".go") || p.ends_with(".sh")) {
        let lower = path.to_ascii_lowercase();
        if !(lower.contains("tep") || lower.contains("lint") || lower.contains("valid") || lower.contains("metadata")) {
            continue;
        }
        let Some(text) = read(path) else { continue };
        if let Some(list) = text.split("REQUIRED_FIELDS = [").nth(1).and_then(|rest| rest.split(']').next()) {
            rules.required = list
                .split(',')
                .map(|f| f.trim().trim_matches(['\'', '"']).to_owned())
                .filter(|f| !f.is_empty())
                .collect();
            rules.number_in_title = text.contains("from title");
            reasons.push(format!("{path} requires {} in each proposal's metadata", rules.required.join(", ")));
        }
        if text.contains("file base name") && text.contains("Title") {
            rules.title_is_name = true;
            rules.people = ["authors", "reviewers", "approvers"].map(String::from).to_vec();
            reasons.push(format!("{path} wants each title to be its file's name, and people without TBD"));
        }
    }
    rules
}

fn most_common(values: &[usize]) -> Option<usize> {
    let mut counts: BTreeMap<usize, usize> = BTreeMap::new();
    for value in values {
        *counts.entry(*value).or_default() += 1;
    }
    counts.into_iter().max_by_key(|(_, n)| *n).map(|(value, _)| value)
}

#[cfg(test)]
mod tests;
