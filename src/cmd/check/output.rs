//! `git kep check`'s output: for people (colored, with the stale TOCs' diffs and a summary),
//! for scripts (JSON) and for GitHub Actions (workflow annotations).

use super::{Finding, Target};
use crate::diff;
use crate::paint::Palette;
use crate::proposal::check::Rule;
use std::collections::{BTreeMap, HashMap};

pub fn human(findings: &[Finding], targets: &[Target], fresh: &HashMap<String, String>, palette: &Palette) -> String {
    let mut out = String::new();
    for finding in findings {
        let problem = &finding.problem;
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
    out
}

/// The closing line: files checked and problems found (`failed`: some files could not be
/// checked, already reported).
pub fn summary(findings: &[Finding], files: usize, failed: bool) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let unchecked = if failed { "; files that could not be checked are reported above" } else { "" };
    if findings.is_empty() {
        return format!("git-kep: {} checked, no problems{unchecked}", plural(files, "file"));
    }
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for finding in findings {
        *counts.entry(finding.problem.rule.name()).or_default() += 1;
    }
    let by_rule: Vec<String> = counts.iter().map(|(rule, n)| format!("{rule}: {n}")).collect();
    format!(
        "git-kep: {} in {} checked ({}){unchecked}",
        plural(findings.len(), "problem"),
        plural(files, "file"),
        by_rule.join(", ")
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
    findings
        .iter()
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
        .collect()
}
