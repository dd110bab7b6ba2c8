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
    /// `html` (mdtoc), `doctoc` or `markdown-toc`.
    pub style: &'static str,
    pub max_depth: Option<u8>,
    /// Why: the file that says so.
    pub seen_in: String,
    /// What git-kep cannot match yet, said by `init`.
    pub caveat: Option<String>,
    /// The tool's options, as a setting: `kep.doctocArgs`, `kep.markdownTocArgs` (its flags in
    /// CI), `kep.mdtocVersion` (a pin).
    pub args: Option<(&'static str, String)>,
    /// Told by the proposals' markers alone: no CI script runs the tool.
    pub from_markers: bool,
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
    /// How its own CI checks a proposal's sections against the template.
    pub section_rule: super::check::SectionRule,
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
        match self.name_case {
            NameCase::LowerKebab => settings.push((KEY_NAME_CASE, "lower-kebab".to_owned())),
            NameCase::LowerSnake => settings.push((KEY_NAME_CASE, "lower-snake".to_owned())),
            NameCase::AsTyped => {}
        }
        if let Some(template) = &self.template {
            settings.push((KEY_TEMPLATE, template.clone()));
        }
        // Groups at the top of the tree (`{group}/CFP-{number}-{name}.md`): the folders that
        // hold proposals, not every folder there.
        let top_level_groups = self.patterns.iter().any(|p| p.starts_with("{group}/"));
        if top_level_groups && !self.groups.is_empty() {
            settings.push((crate::config::KEY_GROUPS, self.groups.join(", ")));
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
        if self.section_rule == super::check::SectionRule::TemplateLint {
            settings.push((crate::config::KEY_SECTION_RULE, "template-lint".to_owned()));
        }
        if rules.number_in_title {
            settings.push((crate::config::KEY_NUMBER_IN_TITLE, "true".to_owned()));
        }
        if let Some(tool) = &self.toc {
            settings.push((KEY_TOC_STYLE, tool.style.to_owned()));
            if let Some(depth) = tool.max_depth {
                settings.push((KEY_TOC_MAX_DEPTH, depth.to_string()));
            }
            if let Some((key, value)) = &tool.args {
                settings.push((key, value.clone()));
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
    let mut patterns = without_companions(numbered_patterns(paths), paths);
    let unnumbered = unnumbered_patterns(paths);
    // A few numbered files among many unnumbered proposals are not the convention.
    let total = |found: &[(String, usize)]| found.iter().map(|(_, n)| n).sum::<usize>();
    if total(&unnumbered) > 5 * total(&patterns) {
        patterns = unnumbered;
    }
    let mut parsed: Vec<Pattern> = patterns.iter().filter_map(|(p, _)| Pattern::parse(p).ok()).collect();
    // The template's folder is where new proposals go (npm's `accepted/`, not `implemented/`,
    // which holds more): its pattern comes first, the one `new` writes.
    let template = template(paths, &parsed);
    if let Some(template) = &template
        && parsed.len() == patterns.len()
        && !parsed.first().is_some_and(|p| layout::is_inside(template, &p.root()))
        && let Some(at) = parsed.iter().position(|p| !p.root().is_empty() && layout::is_inside(template, &p.root()))
    {
        let pattern = parsed.remove(at);
        parsed.insert(0, pattern);
        let pattern = patterns.remove(at);
        patterns.insert(0, pattern);
    }
    let mut matches = Vec::new();
    for path in paths {
        if let Some(found) = parsed.iter().find_map(|p| p.matches(path)) {
            matches.push(found);
        }
    }
    for (pattern, count) in &patterns {
        reasons.push(format!("{count} proposals match `{pattern}`"));
    }
    // The first pattern is the one `new` writes: its numbering is the repository's (Prometheus
    // numbers its proposals now; its older, dated ones are moved-to stubs).
    let numbering = if parsed.first().is_some_and(|p| p.numbering() == PatternNumbering::Date) {
        Numbering::Date
    } else if parsed.iter().all(|p| p.numbering() != PatternNumbering::Number) {
        Numbering::None
    } else {
        let by_number =
            |path: &str| parsed.iter().any(|p| p.numbering() == PatternNumbering::Number && p.matches(path).is_some());
        let numbers: BTreeSet<u64> = paths
            .iter()
            .filter(|path| by_number(path))
            .filter_map(|path| parsed.iter().find_map(|p| p.matches(path)))
            .filter_map(|m| m.number)
            .filter(|n| *n > 0)
            .collect();
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
    // Lower case, words joined by `-` or `_`: new ones as most are (kebab where it is even).
    let lower = |n: &&&str| n.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
    let kebab = names.iter().filter(|n| is_lower_kebab(n) || lower(n)).count();
    let snake = names.iter().filter(|n| lower(n) && n.contains('_') && !n.contains('-')).count();
    let hyphenated = names.iter().filter(|n| n.contains('-')).count();
    // Three names at least: fewer tell nothing of a convention.
    let name_case = if names.len() >= 3 && kebab * 5 >= names.len() * 4 {
        let snake_case = snake > hyphenated;
        let case = if snake_case { "snake" } else { "kebab" };
        reasons.push(format!("{kebab} of {} names are lower case: new names are lower-case {case}", names.len()));
        if snake_case { NameCase::LowerSnake } else { NameCase::LowerKebab }
    } else {
        NameCase::AsTyped
    };
    let groups: Vec<String> =
        matches.iter().filter_map(|m| m.group.clone()).collect::<BTreeSet<_>>().into_iter().collect();
    if let Some(template) = &template {
        reasons.push(format!("the template is {template}"));
    }
    let proposals: Vec<&str> =
        paths.iter().filter(|path| parsed.iter().any(|p| p.matches(path).is_some())).map(String::as_str).collect();
    let toc = toc_tool(paths, &proposals, read);
    // k/e's CI validates every kep.yaml with this script; repositories that copied kep.yaml
    // without it run no such rule.
    let kubernetes_metadata = paths.iter().any(|p| p == "hack/verify-kep-metadata.sh");
    if kubernetes_metadata {
        reasons.push(
            "hack/verify-kep-metadata.sh checks kep.yaml: kubernetes/enhancements' metadata rules apply".to_owned(),
        );
    }
    let metadata_rules = metadata_rules(paths, read, &mut reasons);
    let section_rule = section_rule(paths, read, &mut reasons);
    if let Some(tool) = &toc {
        reasons.push(if tool.from_markers {
            let only = if tool.style == "doctoc" { ", updating only the files that have markers" } else { "" };
            format!(
                "no CI script runs a TOC tool; the proposals' markers (as in {}) are its: style {}{only}",
                tool.seen_in, tool.style
            )
        } else {
            format!("{} runs the TOC tool: style {}", tool.seen_in, tool.style)
        });
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
        section_rule,
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

/// Folders of architecture decision records: documents of another kind than proposals.
fn is_decision_records(path: &str) -> bool {
    path.split('/').any(|segment| {
        ["adr", "adrs", "decisions", "decision-records", "architecture-decisions"]
            .contains(&segment.to_ascii_lowercase().as_str())
    })
}

/// The numbered patterns without those that only hold other files of proposals another pattern
/// matches (ERCs' `assets/erc-7578/README.md` beside `ERCS/erc-7578.md`: most of their folders
/// are named as those proposals are), nor decision records where proposals are kept too.
fn without_companions(patterns: Vec<(String, usize)>, paths: &[String]) -> Vec<(String, usize)> {
    let parsed: Vec<Option<Pattern>> = patterns.iter().map(|(p, _)| Pattern::parse(p).ok()).collect();
    let identifier = |pattern: &Pattern, path: &str| {
        let found = pattern.matches(path)?;
        let place = found.folder.unwrap_or_else(|| path.trim_end_matches(".md").to_owned());
        Some(place.rsplit('/').next().unwrap_or(&place).to_owned())
    };
    let identifiers: Vec<BTreeSet<String>> = parsed
        .iter()
        .map(|p| {
            p.as_ref().map_or_else(BTreeSet::new, |p| paths.iter().filter_map(|path| identifier(p, path)).collect())
        })
        .collect();
    let proposals_elsewhere = patterns.iter().any(|(p, _)| !is_decision_records(p));
    // Numbers that are all years (`elections/2023-SC/`, `gsoc-2024.md`) number no proposals.
    let years = |pattern: &Option<Pattern>| {
        let Some(pattern) = pattern else { return false };
        let numbers: Vec<u64> = paths.iter().filter_map(|path| pattern.matches(path)?.number).collect();
        !numbers.is_empty() && numbers.iter().all(|n| (1990..=2100).contains(n))
    };
    patterns
        .iter()
        .enumerate()
        .filter(|(i, _)| !years(&parsed[*i]))
        .filter(|(i, (pattern, _))| {
            let companion = identifiers[..*i].iter().any(|larger| {
                let shared = identifiers[*i].iter().filter(|id| larger.contains(*id)).count();
                !identifiers[*i].is_empty() && shared * 5 >= identifiers[*i].len() * 4
            });
            !(companion || proposals_elsewhere && is_decision_records(pattern))
        })
        .map(|(_, found)| found.clone())
        .collect()
}

/// `0042-name` as `{number}-{name}`, `20240131-name` as `{date}-{name}`, `gep-12` as
/// `gep-{number}`, `CFP-1-x` as `CFP-{number}-{name}`, `A6-name` (capitals right before the
/// number) as `A{number}-{name}`, `erc-7578` as `erc-{number}` (a prefix says what it is, no name
/// needed); `None` for other names and templates.
fn numbered_part(name: &str, needs_name: bool) -> Option<String> {
    let letters = name.bytes().take_while(u8::is_ascii_alphabetic).count();
    let capitals = letters > 0 && letters <= 4 && name[..letters].bytes().all(|b| b.is_ascii_uppercase());
    let (prefix, rest) = match name[letters..].strip_prefix('-') {
        Some(rest) if letters > 0 => (&name[..=letters], rest),
        _ if letters == 0 => ("", name),
        _ if capitals && name[letters..].starts_with(|c: char| c.is_ascii_digit()) => {
            (&name[..letters], &name[letters..])
        }
        _ => return None,
    };
    let digits = match layout::dashed_date(rest) {
        Some(day) => day.len(),
        None => rest.bytes().take_while(u8::is_ascii_digit).count(),
    };
    if digits == 0 {
        return None;
    }
    let date = digits == 10 || digits == 8 && (rest.starts_with("19") || rest.starts_with("20"));
    let number = if date { "{date}" } else { "{number}" };
    match &rest[digits..] {
        // A prefix and a number of two digits or more name a file alone (`erc-7578.md`; not
        // `ipv6-2.md`, a name's version).
        "" if !needs_name || !prefix.is_empty() && digits >= 2 => Some(format!("{prefix}{number}")),
        tail => {
            // `-` between number and name, or `_` (`2019-02-21_am-secure-cluster.md`), or after a
            // date a `.` (`20220720.owner-ref.md`, cert-manager's).
            let separator = tail.chars().next().filter(|c| *c == '-' || *c == '_' || *c == '.' && date)?;
            let name = tail[1..].to_owned();
            (!name.is_empty() && !layout::is_template_name(&name))
                .then(|| format!("{prefix}{number}{separator}{{name}}"))
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
        // Groups below a folder (`keps/{group}/`), or at the top where the proposals' names say
        // what they are (`{group}/CFP-{number}-{name}.md`, cilium's design-cfps).
        let group_folder_at = |at: usize| at >= 2 || at == 1 && !pieces[at].starts_with('{');
        let general = pieces.iter().position(|p| p.contains('{')).filter(|&at| group_folder_at(at)).map(|at| {
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
    layout::is_folder_document(stem) || layout::is_template_name(stem) || stem.to_ascii_lowercase().contains("template")
}

/// The repository's template: a folder or file named for one, nearest the proposals. A folder
/// holding the main document, named `NNNN-*`, `*template*` or with a placeholder number
/// (`RFC-0000`); a Markdown file named `*template*` that no pattern takes for a proposal, in a
/// templates folder too (`proposal-templates/0000-swift-template.md`). Hidden folders hold
/// other templates (`.github/pull_request_template.md`).
fn template(paths: &[String], patterns: &[Pattern]) -> Option<String> {
    let main_files: Vec<&str> = patterns.iter().filter_map(Pattern::main_file).collect();
    let roots: Vec<String> = patterns.iter().map(Pattern::root).collect();
    let mut candidates: Vec<(usize, String)> = Vec::new();
    for path in paths {
        if path.split('/').any(|segment| segment.starts_with('.')) {
            continue;
        }
        let lower = path.to_ascii_lowercase();
        let file = lower.rsplit('/').next().unwrap_or(&lower);
        let folder = path.rsplit_once('/').map_or("", |(folder, _)| folder);
        let folder_name = folder.rsplit('/').next().unwrap_or(folder);
        if is_decision_records(folder) {
            continue;
        }
        // A proposal of its own is no template (`622-volume-claim-templates`).
        let proposal = patterns.iter().any(|p| p.matches(path).is_some());
        // A real number names a proposal (`263-pvc-template`: PVC template support), whatever
        // its words.
        let folder_template = main_files.contains(&&path[path.len() - file.len()..])
            && !proposal
            && (folder_name.starts_with("NNN")
                || folder_name.to_ascii_lowercase().contains("template") && !has_real_number(folder_name)
                || has_placeholder_number(folder_name));
        // Or a file named for a proposal in a templates folder (dapr's `templates/proposal.md`).
        let in_templates = ["templates", "template"].contains(&folder_name.to_ascii_lowercase().as_str())
            && ["proposal.md", "rfc.md", "design.md", "kep.md", "enhancement.md"].contains(&file);
        let file_template = (file.ends_with(".md") || file.ends_with(".md.template"))
            && (file.contains("template") || in_templates)
            && (!has_real_number(file)
                || layout::is_template_name(file.trim_end_matches(".template").trim_end_matches(".md")))
            && !patterns.iter().any(|p| p.matches(path).is_some());
        let candidate = if folder_template {
            folder.to_owned()
        } else if file_template {
            path.clone()
        } else {
            continue;
        };
        // Nearest the proposals: inside a root first, then by depth. Outside them, only at the
        // top or one folder down (`proposal-templates/`): deeper, a file named `*-template` is
        // some other document's (`docs/operator-guides/job-template.md`).
        let inside = roots.iter().any(|root| layout::is_inside(folder, root));
        if !inside && candidate.matches('/').count() > 1 {
            continue;
        }
        let distance = usize::from(!inside) * 100 + candidate.matches('/').count();
        candidates.push((distance, candidate));
    }
    candidates.sort();
    candidates.dedup();
    candidates.into_iter().next().map(|(_, path)| path)
}

/// A name that starts with a proposal's number (`263-pvc-template`), not a placeholder's.
fn has_real_number(name: &str) -> bool {
    let digits = name.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0 && name[digits..].starts_with('-') && !name[..digits].bytes().all(|b| b == b'0')
}

/// A folder name whose number stands for one to be given: `RFC-0000`, `0000-name`, `NNNN`.
fn has_placeholder_number(name: &str) -> bool {
    let letters = name.bytes().take_while(u8::is_ascii_alphabetic).count();
    let rest = match name[letters..].strip_prefix('-') {
        Some(rest) if letters > 0 => rest,
        _ => name,
    };
    let number = rest.split('-').next().unwrap_or(rest);
    number.bytes().all(|b| b == b'0') && !number.is_empty() || (letters == 0 && layout::is_placeholder_number(number))
}

/// The TOC tool the CI scripts run (mdtoc with its `--max-depth` and its pin, doctoc or
/// markdown-toc with their flags), or, where no script runs one, the tool whose markers the
/// proposals carry (doctoc's, markdown-toc's `<!-- tocstop -->`). Of several tools in the
/// scripts, the one whose markers the proposals carry.
fn toc_tool(paths: &[String], proposals: &[&str], read: &dyn Fn(&str) -> Option<String>) -> Option<TocTool> {
    let scripts = paths.iter().filter(|p| {
        let lower = p.to_ascii_lowercase();
        // Vendored code's scripts are its own (descheduler vendors mdtoc, Makefile and all).
        if lower.split('/').any(|segment| ["vendor", "node_modules", "third_party"].contains(&segment)) {
            return false;
        }
        lower == "makefile"
            || lower.ends_with("/makefile")
            || lower == "package.json"
            || (lower.starts_with("hack/") && (lower.ends_with(".sh") || lower.contains("toc")))
            || (lower.starts_with(".github/workflows/") && (lower.ends_with(".yml") || lower.ends_with(".yaml")))
    });
    let mut found: Vec<TocTool> = Vec::new();
    for script in scripts {
        let Some(text) = read(script) else { continue };
        for tool in tools_run_by(&text, script, proposals) {
            match found.iter_mut().find(|f| f.style == tool.style) {
                // The script that runs it (with its flags) says more than the one that names it.
                Some(known) => {
                    if known.max_depth.is_none() && tool.max_depth.is_some() {
                        known.max_depth = tool.max_depth;
                        known.seen_in = tool.seen_in.clone();
                    }
                    if known.args.is_none() {
                        known.args = tool.args.clone();
                    }
                }
                None => found.push(tool),
            }
        }
    }
    let markers = proposal_markers(proposals, read);
    if found.len() > 1 {
        let carried = found.iter().position(|tool| markers.iter().any(|(style, _, _)| *style == tool.style));
        return Some(found.swap_remove(carried.unwrap_or(0)));
    }
    if let Some(tool) = found.pop() {
        return Some(tool);
    }
    // Only a family most of the proposals with markers carry says which tool keeps them.
    let (style, file, _) = markers.into_iter().next().filter(|(style, _, most)| *style != "html" && *most)?;
    // No CI adds TOCs where there are none: doctoc then only updates the files that have them.
    let args = (style == "doctoc").then(|| (crate::config::KEY_DOCTOC_ARGS, "--update-only".to_owned()));
    Some(TocTool { style, max_depth: None, seen_in: file, caveat: None, args, from_markers: true })
}

/// The TOC tools a script runs, with their options.
fn tools_run_by(text: &str, script: &str, proposals: &[&str]) -> Vec<TocTool> {
    let mut tools = Vec::new();
    let tool = |style, max_depth, args| TocTool {
        style,
        max_depth,
        seen_in: script.to_owned(),
        caveat: None,
        args,
        from_markers: false,
    };
    if text.contains("mdtoc") {
        let max_depth = text
            .split("--max-depth")
            .nth(1)
            .and_then(|rest| rest.trim_start_matches(['=', ' ']).chars().next())
            .and_then(|c| c.to_digit(10))
            .map(|d| d as u8);
        let pin = text.contains("b8c54a57").then(|| (crate::config::KEY_MDTOC_VERSION, "b8c54a57".to_owned()));
        tools.push(tool("html", max_depth, pin));
    }
    // Without flags, the tool's defaults: no setting to write. A command that names only files
    // and folders holding no proposal keeps other documents' TOCs (cluster-api-provider-vsphere
    // runs doctoc on its release notes alone).
    let covers = |paths: &[String]| paths.is_empty() || paths.iter().any(|path| covers_proposals(path, proposals));
    if let Some((flags, paths)) = command_flags(text, "doctoc")
        && covers(&paths)
    {
        tools.push(tool("doctoc", None, (!flags.is_empty()).then_some((crate::config::KEY_DOCTOC_ARGS, flags))));
    }
    if let Some((flags, paths)) = command_flags(text, "markdown-toc")
        && covers(&paths)
    {
        let args = (!flags.is_empty()).then_some((crate::config::KEY_MARKDOWN_TOC_ARGS, flags));
        tools.push(tool("markdown-toc", None, args));
    }
    tools
}

/// Whether a path a TOC command names (a file, a folder, `.`, a glob or a variable) may be or
/// hold one of `proposals`.
fn covers_proposals(path: &str, proposals: &[&str]) -> bool {
    let path = path.trim_matches(['"', '\'']).trim_start_matches("./").trim_end_matches('/');
    if path.is_empty() || path == "." || path.contains(['*', '$', '{', '?']) {
        return true;
    }
    proposals.iter().any(|proposal| *proposal == path || proposal.starts_with(&format!("{path}/")))
}

/// The flags of the first line that runs `program` (as a command: a word followed by a space,
/// not a make target, a file name or a message), without paths and without the flags that only
/// check (`--dryrun`, `-i`); `None` where no line runs it.
fn command_flags(text: &str, program: &str) -> Option<(String, Vec<String>)> {
    const CHECK_ONLY: [&str; 5] = ["--dryrun", "-d", "-i", "--stdout", "-s"];
    const TAKE_A_VALUE: [&str; 13] = [
        "title",
        "t",
        "maxlevel",
        "m",
        "minlevel",
        "entryprefix",
        "mintocitems",
        "toc-pragma-style",
        "maxdepth",
        "bullets",
        "indent",
        "append",
        "loglevel",
    ];
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with('#') || trimmed.starts_with("echo") || line.contains(" echo ") {
            continue;
        }
        let mut rest = line;
        while let Some(at) = rest.find(program) {
            let before = rest[..at].chars().next_back();
            let after = &rest[at + program.len()..];
            rest = after;
            let starts_word = before.is_none_or(|c| c.is_whitespace() || matches!(c, '"' | '\'' | '/' | '('));
            if !starts_word || !after.starts_with(' ') {
                continue;
            }
            // The command ends where the shell line does.
            let words = split_flags(after.split(['|', ';', '&']).next().unwrap_or(""));
            let mut kept = Vec::new();
            let mut paths = Vec::new();
            let mut i = 0;
            while i < words.len() {
                let word = words[i];
                i += 1;
                if !word.starts_with('-') {
                    paths.push(word.to_owned());
                    continue;
                }
                if CHECK_ONLY.contains(&word) {
                    continue;
                }
                kept.push(word);
                if !word.contains('=')
                    && TAKE_A_VALUE.contains(&word.trim_start_matches('-'))
                    && let Some(value) = words.get(i)
                {
                    kept.push(value);
                    i += 1;
                }
            }
            return Some((kept.join(" "), paths));
        }
    }
    None
}

/// Words of a command, quotes kept with them (`--entryprefix='-,*,+'`, `--title 'A B'`).
fn split_flags(command: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let mut start = None;
    let mut quote = None;
    for (i, c) in command.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => {
                quote = Some(c);
                start.get_or_insert(i);
            }
            (None, c) if c.is_whitespace() => {
                if let Some(s) = start.take() {
                    words.push(&command[s..i]);
                }
            }
            (None, _) => {
                start.get_or_insert(i);
            }
        }
    }
    if let Some(s) = start {
        words.push(&command[s..]);
    }
    words
}

/// Which tools' markers the proposals carry (and one file that does), most carried first, each
/// with whether more than half of the proposals with markers carry it.
fn proposal_markers(proposals: &[&str], read: &dyn Fn(&str) -> Option<String>) -> Vec<(&'static str, String, bool)> {
    let mut counts: Vec<(&'static str, usize, String)> = Vec::new();
    for path in proposals.iter().take(200) {
        let Some(text) = read(path) else { continue };
        let style = if text.contains("<!-- START doctoc") {
            "doctoc"
        } else if text.contains("<!-- tocstop -->") {
            "markdown-toc"
        } else if text.contains("<!-- /toc -->") {
            "html"
        } else {
            continue;
        };
        match counts.iter_mut().find(|(s, _, _)| *s == style) {
            Some((_, count, _)) => *count += 1,
            None => counts.push((style, 1, (*path).to_owned())),
        }
    }
    counts.sort_by_key(|(_, count, _)| std::cmp::Reverse(*count));
    let total: usize = counts.iter().map(|(_, count, _)| count).sum();
    counts.into_iter().map(|(style, count, path)| (style, path, 2 * count > total)).collect()
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

/// A CI script that checks only new proposals for the template's header lines, `[optional]`
/// ones exempt (openshift's `hack/template-lint.sh`): `missing-section` then does the same.
fn section_rule(
    paths: &[String],
    read: &dyn Fn(&str) -> Option<String>,
    reasons: &mut Vec<String>,
) -> super::check::SectionRule {
    for path in paths.iter().filter(|p| p.ends_with(".sh") && p.to_ascii_lowercase().contains("template")) {
        let Some(text) = read(path) else { continue };
        if text.contains("optional") && text.contains("^##") {
            reasons.push(format!(
                "{path} checks new proposals for the template's header lines (`[optional]` ones exempt)"
            ));
            return super::check::SectionRule::TemplateLint;
        }
    }
    super::check::SectionRule::Loose
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
