//! `git kep check`'s output: for people (colored, with the stale TOCs' diffs and a summary),
//! for scripts (JSON) and for GitHub Actions (workflow annotations).

use super::{Finding, Target};
use crate::diff;
use crate::paint::Palette;
use crate::proposal::check::Rule;
use std::collections::{BTreeMap, HashMap};

pub fn human(
    findings: &[Finding],
    targets: &[Target],
    fresh: &HashMap<String, String>,
    palette: &Palette,
    shorten: bool,
) -> String {
    let mut out = String::new();
    // Grouped by file (findings come sorted by file), a blank line between files; where a file
    // has many findings of one rule (an old proposal and today's template), the first few and
    // how to see them all.
    let mut at = 0;
    while at < findings.len() {
        let file = &findings[at].file;
        let end = at + findings[at..].iter().take_while(|f| f.file == *file).count();
        if at > 0 {
            out.push('\n');
        }
        let mut shown: HashMap<Rule, usize> = HashMap::new();
        for finding in &findings[at..end] {
            let problem = &finding.problem;
            let count = shown.entry(problem.rule).or_default();
            *count += 1;
            if shorten && *count > SHOWN_PER_RULE {
                continue;
            }
            out.push_str(&format!(
                "{}:{}:{}: {}: {}\n",
                palette.paint(palette.header, crate::paint::printable(&finding.file)),
                problem.line,
                problem.column,
                palette.paint(palette.error, problem.rule.name()),
                crate::paint::printable(&problem.message)
            ));
            if problem.rule == Rule::StaleToc
                && let (Some(new), Some(target)) =
                    (fresh.get(&finding.file), targets.iter().find(|t| t.name == finding.file))
            {
                out.push_str(&diff::unified(palette, &finding.file, &String::from_utf8_lossy(&target.bytes), new));
            }
        }
        let mut hidden: Vec<(&Rule, &usize)> = shown.iter().filter(|(_, n)| shorten && **n > SHOWN_PER_RULE).collect();
        hidden.sort();
        for (rule, count) in hidden {
            out.push_str(&format!(
                "{}: {} more {} (all of them: git kep check --rule {} {})\n",
                palette.paint(palette.header, crate::paint::printable(file)),
                count - SHOWN_PER_RULE,
                rule.name(),
                rule.name(),
                crate::paint::printable(file)
            ));
        }
        at = end;
    }
    out
}

/// Findings of one rule shown per file before the rest are counted.
const SHOWN_PER_RULE: usize = 3;

/// The closing line: files checked and problems found (`failed`: some files could not be
/// checked, already reported).
pub fn summary(findings: &[Finding], files: usize, failed: bool) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let unchecked = if failed { "; files that could not be checked are reported above" } else { "" };
    if findings.is_empty() {
        return format!("git-kep: {} checked, no problems{unchecked}", plural(files, "file"));
    }
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut by_file: BTreeMap<&str, usize> = BTreeMap::new();
    for finding in findings {
        *counts.entry(finding.problem.rule.name()).or_default() += 1;
        *by_file.entry(&finding.file).or_default() += 1;
    }
    let by_rule: Vec<String> = counts.iter().map(|(rule, n)| format!("{rule}: {n}")).collect();
    let mut files_most: Vec<(&str, usize)> = by_file.into_iter().collect();
    files_most.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let top: Vec<String> = files_most.iter().take(5).map(|(file, n)| format!("{file} ({n})")).collect();
    let more = files_most.len().saturating_sub(5);
    format!(
        "git-kep: {} in {} of {} checked\n  by rule: {}\n  most in: {}{}{unchecked}",
        plural(findings.len(), "problem"),
        plural(files_most.len(), "file"),
        plural(files, "file"),
        by_rule.join(", "),
        top.join(", "),
        if more > 0 { format!(" and {more} more") } else { String::new() }
    )
}

/// One JSON document: `{"files_checked", "problems": [{"path", "line", "column", "rule",
/// "message"}], "counts": {rule: n}}` (every rule present in `counts`, 0 when clean).
pub fn json(findings: &[Finding], files: usize) -> String {
    let problems: Vec<serde_json::Value> = findings
        .iter()
        .map(|f| {
            serde_json::json!({
                "path": f.file,
                "line": f.problem.line,
                "column": f.problem.column,
                "rule": f.problem.rule.name(),
                "message": f.problem.message,
            })
        })
        .collect();
    let counts: serde_json::Map<String, serde_json::Value> = Rule::ALL
        .iter()
        .map(|rule| (rule.name().to_owned(), findings.iter().filter(|f| f.problem.rule == *rule).count().into()))
        .collect();
    let document = serde_json::json!({ "files_checked": files, "problems": problems, "counts": counts });
    format!("{}\n", serde_json::to_string_pretty(&document).unwrap_or_default())
}

/// GitHub Actions workflow commands: `::error file=…,line=…,col=…,title=…::message`.
pub fn github(findings: &[Finding]) -> String {
    let escape_data = |s: &str| s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A");
    let escape_property = |s: &str| escape_data(s).replace(':', "%3A").replace(',', "%2C");
    // GitHub shows 10 error annotations of a step: those, then one notice for the rest (the
    // action's job summary lists every finding).
    let mut out: String = findings
        .iter()
        .take(GITHUB_ANNOTATIONS)
        .map(|f| {
            format!(
                "::error file={},line={},col={},title={}::{}\n",
                escape_property(&f.file),
                f.problem.line,
                f.problem.column,
                escape_property(f.problem.rule.name()),
                escape_data(&f.problem.message)
            )
        })
        .collect();
    if findings.len() > GITHUB_ANNOTATIONS {
        out.push_str(&format!(
            "::notice title=git-kep::{} more findings than GitHub shows as annotations: see the job summary, or run `git kep check` locally\n",
            findings.len() - GITHUB_ANNOTATIONS
        ));
    }
    out
}

/// The error annotations GitHub shows of one step.
const GITHUB_ANNOTATIONS: usize = 10;
