//! Proposal metadata (`kep.yaml`) as kubernetes/enhancements checks it: rule `metadata` is what
//! its CI enforces (`hack/verify-kep-metadata.sh`: a strict schema, required keys, the
//! production-readiness approval), rule `metadata-values` what only its command-line tool checks
//! (value sets, the folder's number, dates, groups). Pure: texts in, findings out.

use crate::proposal::check::{Problem, Rule};
use crate::proposal::kep_yaml::{Field, KepYaml, Value};

/// What a key of `kep.yaml` holds, as k/e's Go type has it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    List,
    Bool,
    Milestones,
    FeatureGates,
}

/// k/e's `api.Proposal`, read strictly (yaml.v3 `KnownFields`): every key it knows.
const KEYS: [(&str, Kind); 24] = [
    ("title", Kind::Text),
    ("kep-number", Kind::Text),
    ("authors", Kind::List),
    ("owning-sig", Kind::Text),
    ("participating-sigs", Kind::List),
    ("reviewers", Kind::List),
    ("approvers", Kind::List),
    ("editor", Kind::Text),
    ("creation-date", Kind::Text),
    ("last-updated", Kind::Text),
    ("status", Kind::Text),
    ("see-also", Kind::List),
    ("replaces", Kind::List),
    ("superseded-by", Kind::List),
    ("stage", Kind::Text),
    ("latest-milestone", Kind::Text),
    ("milestone", Kind::Milestones),
    ("feature-gates", Kind::FeatureGates),
    ("disable-supported", Kind::Bool),
    ("metrics", Kind::List),
    ("id", Kind::Text),
    ("prnumber", Kind::Text),
    ("name", Kind::Text),
    ("path", Kind::Text),
];

/// The keys k/e requires: texts must be non-empty, lists present (`[]` is, a null is not).
const REQUIRED: [&str; 6] = ["title", "kep-number", "authors", "owning-sig", "approvers", "status"];

pub const STATUSES: [&str; 7] =
    ["provisional", "implementable", "implemented", "deferred", "rejected", "withdrawn", "replaced"];
pub const STAGES: [&str; 6] = ["alpha", "beta", "stable", "deprecated", "disabled", "removed"];

/// The production-readiness approval file a proposal needs, as the caller found it.
pub enum PrrFile {
    /// The repository has no `prod-readiness` directory: nothing to check.
    Unchecked,
    /// Not there; the path is for the message.
    Missing(String),
    /// Its path and text.
    Found(String, String),
}

/// What `check_metadata` needs besides the text.
pub struct MetadataInput<'a> {
    pub kep_yaml: &'a str,
    /// The number in the folder's name (`2043-...` is 2043), if it has one.
    pub folder_number: Option<u32>,
    /// The production-readiness file for an owning group and a number.
    pub prr: &'a dyn Fn(&str, &str) -> PrrFile,
    /// The production-readiness approvers (`OWNERS_ALIASES`), `None` where it has no such lists.
    pub prr_approvers: Option<&'a [String]>,
    /// The groups `owning-sig` may name (a folder of kep.dir, `kep.groups`), and whether
    /// `participating-sigs` are checked against them (only with `kep.groups`).
    pub groups: &'a [String],
    pub check_participating: bool,
}

/// A finding, in kep.yaml (`file: None`) or in the production-readiness file it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetadataFinding {
    pub file: Option<String>,
    pub problem: Problem,
}

fn problem(rule: Rule, line: usize, column: usize, subject: &str, message: String) -> Problem {
    Problem { rule, line, column, message, subject: subject.to_owned() }
}

/// Both rules on one `kep.yaml` (the caller drops the one `kep.checkDisable` turns off).
pub fn check_metadata(input: &MetadataInput<'_>) -> Vec<MetadataFinding> {
    let in_yaml = |problem| MetadataFinding { file: None, problem };
    let kep = match KepYaml::parse(input.kep_yaml) {
        Ok(kep) => kep,
        Err(err) => {
            let message = format!("kep.yaml is not valid YAML: {}", err.message);
            return vec![in_yaml(problem(Rule::Metadata, err.line, err.column, "syntax", message))];
        }
    };
    let mut found: Vec<MetadataFinding> = schema_problems(&kep).into_iter().map(in_yaml).collect();
    for key in REQUIRED {
        let present = match kep.get(key).map(|field| &field.value) {
            Some(Value::Scalar(text)) => !text.is_empty(),
            Some(Value::List(_)) => true,
            _ => false,
        };
        if !present {
            let (line, column) = kep.get(key).map_or((1, 1), |field| (field.line, field.column));
            found.push(in_yaml(problem(
                Rule::Metadata,
                line,
                column,
                key,
                format!("`{key}` is required (kubernetes/enhancements' CI rejects the proposal without it)"),
            )));
        }
    }
    found.extend(production_readiness(&kep, input));
    found.extend(value_problems(&kep, input).into_iter().map(in_yaml));
    found
}

/// Unknown keys (with the closest known one) and values of the wrong kind, as yaml.v3's strict
/// decoding into k/e's types refuses them.
fn schema_problems(kep: &KepYaml) -> Vec<Problem> {
    let mut found = Vec::new();
    let known: Vec<&str> = KEYS.iter().map(|(key, _)| *key).collect();
    for field in &kep.fields {
        let Some((_, kind)) = KEYS.iter().find(|(key, _)| *key == field.key) else {
            let hint = closest(&field.key, &known).map(|c| format!("; did you mean `{c}`?")).unwrap_or_default();
            found.push(problem(
                Rule::Metadata,
                field.line,
                field.column,
                &field.key,
                format!("unknown key `{}` (kubernetes/enhancements reads kep.yaml strictly){hint}", field.key),
            ));
            continue;
        };
        if let Some(wrong) = wrong_kind(field, *kind) {
            found.push(problem(Rule::Metadata, field.line, field.column, &field.key, wrong));
        }
    }
    found
}

fn wrong_kind(field: &Field, kind: Kind) -> Option<String> {
    let key = &field.key;
    let scalars_only = |items: &[Value]| items.iter().all(|item| matches!(item, Value::Scalar(_) | Value::Null));
    match (&field.value, kind) {
        (Value::Null, _) => None,
        (Value::Scalar(_), Kind::Text) => None,
        (Value::List(items), Kind::List) if scalars_only(items) => None,
        (Value::List(_), Kind::List) => Some(format!("`{key}` must be a list of strings")),
        (Value::Scalar(text), Kind::Bool) => {
            let is_bool = matches!(text.to_ascii_lowercase().as_str(), "true" | "false" | "yes" | "no" | "on" | "off");
            (!is_bool).then(|| format!("`{key}` must be true or false, not {text:?}"))
        }
        (Value::Map(entries), Kind::Milestones) => {
            entries.iter().find_map(|(name, value)| match (STAGES.contains(&name.as_str()), value) {
                (false, _) => Some(format!("unknown key `{key}.{name}`: the milestones are {}", STAGES.join(", "))),
                (true, Value::Scalar(_) | Value::Null) => None,
                (true, _) => Some(format!("`{key}.{name}` must be a version such as \"v1.30\"")),
            })
        }
        (Value::List(gates), Kind::FeatureGates) => gates.iter().find_map(|gate| match gate {
            Value::Map(entries) => entries.iter().find_map(|(name, value)| match (name.as_str(), value) {
                ("name", Value::Scalar(_) | Value::Null) => None,
                ("components", Value::List(items)) if scalars_only(items) => None,
                ("components", Value::Null) => None,
                ("name" | "components", _) => Some(format!("`{key}`: `{name}` has the wrong kind of value")),
                (other, _) => Some(format!("unknown key `{other}` in `{key}` (known: name, components)")),
            }),
            _ => Some(format!("`{key}` must be a list of `name` and `components`")),
        }),
        (_, Kind::Text) => Some(format!("`{key}` must be a single value, not a list or a map")),
        (_, Kind::List) => Some(format!("`{key}` must be a list (`- item` lines, or `[]`)")),
        (_, Kind::Bool) => Some(format!("`{key}` must be true or false")),
        (_, Kind::Milestones) => Some(format!("`{key}` must map stages to versions (`alpha: \"v1.30\"`)")),
        (_, Kind::FeatureGates) => Some(format!("`{key}` must be a list of `name` and `components`")),
    }
}

/// A release such as `v1.21` (k/e parses it tolerantly: `1.21` too), as (major, minor).
fn release(text: &str) -> Option<(u64, u64)> {
    let mut parts = text.trim().trim_start_matches('v').split(['.', '-', '+']);
    Some((parts.next()?.parse().ok()?, parts.next().map_or(Some(0), |minor| minor.parse().ok())?))
}

/// k/e's production-readiness rule: an `implementable`/`implemented` proposal whose latest
/// milestone is v1.21 or later needs `prod-readiness/<owning-sig>/<kep-number>.yaml`, whose entry
/// for its stage names a production-readiness approver.
fn production_readiness(kep: &KepYaml, input: &MetadataInput<'_>) -> Vec<MetadataFinding> {
    let mut found = Vec::new();
    let status = kep.get("status");
    let Some(status_field) = status.filter(|f| matches!(f.value.as_str(), Some("implementable" | "implemented")))
    else {
        return found;
    };
    let at = |key: &str| kep.get(key).map_or((status_field.line, status_field.column), |f| (f.line, f.column));
    let mut say = |key: &str, subject: &str, message: String| {
        let (line, column) = at(key);
        found.push(MetadataFinding { file: None, problem: problem(Rule::Metadata, line, column, subject, message) });
    };
    let status = status_field.value.as_str().unwrap_or_default();
    let Some(milestone) = kep.text("latest-milestone").filter(|m| !m.is_empty()) else {
        say("status", "latest-milestone", format!("an {status} proposal needs `latest-milestone` (e.g. \"v1.30\")"));
        return found;
    };
    let Some(stage) = kep.text("stage").filter(|s| !s.is_empty()) else {
        say("status", "stage", format!("an {status} proposal needs `stage` (alpha, beta or stable)"));
        return found;
    };
    let Some(latest) = release(milestone) else {
        say(
            "latest-milestone",
            "latest-milestone",
            format!("`latest-milestone` {milestone:?} is not a version such as \"v1.30\""),
        );
        return found;
    };
    if latest < (1, 21) {
        return found;
    }
    let sig = kep.text("owning-sig").unwrap_or_default();
    let number = kep.text("kep-number").unwrap_or_default();
    let (path, text) = match (input.prr)(sig, number) {
        PrrFile::Unchecked => return found,
        PrrFile::Missing(path) => {
            say(
                "status",
                "prr-file",
                format!(
                    "an {status} proposal from v1.21 on needs its production-readiness approval in {path}; copy prod-readiness/template/nnnn.yaml there and name the approver for `{stage}`"
                ),
            );
            return found;
        }
        PrrFile::Found(path, text) => (path, text),
    };
    let in_prr = |line, column, subject: &str, message: String| MetadataFinding {
        file: Some(path.clone()),
        problem: problem(Rule::Metadata, line, column, subject, message),
    };
    let prr = match KepYaml::parse(&text) {
        Ok(prr) => prr,
        Err(err) => return vec![in_prr(err.line, err.column, "syntax", format!("not valid YAML: {}", err.message))],
    };
    let mut prr_found = Vec::new();
    for field in &prr.fields {
        let known = field.key == "kep-number" || STAGES.contains(&field.key.as_str());
        if !known {
            prr_found.push(in_prr(
                field.line,
                field.column,
                &field.key,
                format!("unknown key `{}` (known: kep-number, {})", field.key, STAGES.join(", ")),
            ));
        } else if field.key != "kep-number" {
            let approver_only = match &field.value {
                Value::Map(entries) => entries.iter().all(|(key, _)| key == "approver"),
                Value::Null => true,
                _ => false,
            };
            let approver = match &field.value {
                Value::Map(entries) => entries.iter().find(|(key, _)| key == "approver").and_then(|(_, v)| v.as_str()),
                _ => None,
            };
            if !approver_only {
                prr_found.push(in_prr(
                    field.line,
                    field.column,
                    &field.key,
                    format!("`{}` holds only `approver`", field.key),
                ));
            } else if approver.is_none_or(str::is_empty) && !matches!(field.value, Value::Null) {
                prr_found.push(in_prr(
                    field.line,
                    field.column,
                    &field.key,
                    format!("`{}.approver` is required", field.key),
                ));
            }
        }
    }
    if prr.text("kep-number").is_none_or(str::is_empty) {
        prr_found.push(in_prr(1, 1, "kep-number", "`kep-number` is required".to_owned()));
    }
    if !prr_found.is_empty() {
        return prr_found;
    }
    let approver = prr.get(stage).and_then(|field| match &field.value {
        Value::Map(entries) => entries.iter().find(|(key, _)| key == "approver").and_then(|(_, v)| v.as_str()),
        _ => None,
    });
    let Some(approver) = approver.filter(|a| !a.is_empty()) else {
        let (line, column) = prr.get(stage).map_or((1, 1), |f| (f.line, f.column));
        return vec![in_prr(
            line,
            column,
            "approver",
            format!("no production-readiness approver for `{stage}`: add `{stage}:` with `approver: \"@handle\"`"),
        )];
    };
    if let Some(approvers) = input.prr_approvers {
        let handle = approver.trim_start_matches('@');
        if !approvers.iter().any(|a| a.trim_start_matches('@') == handle) {
            let field = prr.get(stage).expect("found above");
            return vec![in_prr(
                field.line,
                field.column,
                "approver",
                format!("{approver} is not a production-readiness approver (OWNERS_ALIASES: prod-readiness-approvers)"),
            )];
        }
    }
    Vec::new()
}

/// Rule `metadata-values`: what k/e's command-line tool checks but its CI does not.
fn value_problems(kep: &KepYaml, input: &MetadataInput<'_>) -> Vec<Problem> {
    let mut found = Vec::new();
    let mut say = |field: &Field, subject: &str, message: String| {
        found.push(problem(Rule::MetadataValues, field.line, field.column, subject, message));
    };
    let status = kep.get("status").filter(|f| f.value.as_str().is_some_and(|s| !s.is_empty()));
    if let Some(field) = status
        && let Some(value) = field.value.as_str()
        && !STATUSES.contains(&value)
    {
        say(field, "status", format!("`status: {value}` is not one of {}", STATUSES.join(", ")));
    }
    let stage = kep.get("stage").filter(|f| f.value.as_str().is_some_and(|s| !s.is_empty()));
    if let Some(field) = stage
        && let Some(value) = field.value.as_str()
        && !STAGES.contains(&value)
    {
        say(field, "stage", format!("`stage: {value}` is not one of {}", STAGES.join(", ")));
    }
    if let (Some(status), Some(stage)) = (status, stage)
        && status.value.as_str() == Some("implemented")
        && stage.value.as_str() != Some("stable")
    {
        let stage = stage.value.as_str().unwrap_or_default();
        say(status, "implemented-stage", format!("`status: implemented` implies `stage: stable`, not `{stage}`"));
    }
    if let (Some(field), Some(folder)) = (kep.get("kep-number"), input.folder_number)
        && let Some(number) = field.value.as_str()
        && number.trim().parse::<u32>().ok() != Some(folder)
    {
        say(field, "kep-number", format!("`kep-number: {number}` differs from the folder's number, {folder}"));
    }
    if let Some(field) = kep.get("creation-date")
        && let Some(date) = field.value.as_str()
        && !is_date(date)
    {
        say(field, "creation-date", format!("`creation-date: {date}` is not a date written YYYY-MM-DD"));
    }
    if let Some(field) = kep.get("owning-sig")
        && let Some(sig) = field.value.as_str().filter(|s| !s.is_empty())
        && !input.groups.is_empty()
        && !input.groups.iter().any(|g| g == sig)
    {
        say(field, "owning-sig", format!("`owning-sig: {sig}` names no group (a folder of kep.dir, or kep.groups)"));
    }
    if input.check_participating
        && let Some(field) = kep.get("participating-sigs")
    {
        for sig in field.value.scalars() {
            if !input.groups.iter().any(|g| g == sig) {
                let message = format!("participating group `{sig}` is not in kep.groups");
                found.push(problem(Rule::MetadataValues, field.line, field.column, sig, message));
            }
        }
    }
    found
}

fn is_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    let [year, month, day] = parts[..] else { return false };
    let number = |part: &str, len: usize| part.len() == len && part.bytes().all(|b| b.is_ascii_digit());
    number(year, 4)
        && number(month, 2)
        && number(day, 2)
        && (1..=12).contains(&month.parse::<u32>().unwrap_or(0))
        && (1..=31).contains(&day.parse::<u32>().unwrap_or(0))
}

/// The known key closest to a misspelt one (`owning_sig` -> `owning-sig`).
fn closest<'a>(key: &str, known: &[&'a str]) -> Option<&'a str> {
    let normal = |k: &str| k.to_lowercase().replace('_', "-");
    let key = normal(key);
    known
        .iter()
        .map(|k| (crate::proposal::check::edit_distance(&key, k), *k))
        .filter(|(distance, _)| *distance <= 3)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    const VALID: &str = "title: Pod Overhead\nkep-number: 688\nauthors:\n  - \"@a\"\nowning-sig: sig-node\nparticipating-sigs: []\nreviewers: []\napprovers:\n  - \"@b\"\ncreation-date: 2019-02-26\nstatus: implementable\nstage: beta\nlatest-milestone: \"v1.30\"\nmilestone:\n  alpha: \"v1.16\"\n  beta: \"v1.18\"\ndisable-supported: true\n";

    fn findings(yaml: &str, prr: PrrFile) -> Vec<(Rule, usize, String, Option<String>)> {
        let prr = std::cell::RefCell::new(Some(prr));
        let lookup = |_: &str, _: &str| prr.borrow_mut().take().unwrap_or(PrrFile::Unchecked);
        let approvers = vec!["johnbelamaric".to_owned()];
        let groups = vec!["sig-node".to_owned()];
        let input = MetadataInput {
            kep_yaml: yaml,
            folder_number: Some(688),
            prr: &lookup,
            prr_approvers: Some(&approvers),
            groups: &groups,
            check_participating: false,
        };
        check_metadata(&input)
            .into_iter()
            .map(|f| (f.problem.rule, f.problem.line, f.problem.message, f.file))
            .collect()
    }

    fn prr(text: &str) -> PrrFile {
        PrrFile::Found("keps/prod-readiness/sig-node/688.yaml".to_owned(), text.to_owned())
    }

    #[test]
    fn a_valid_kep_yaml_with_its_approval_has_no_finding() {
        assert_eq!(findings(VALID, prr("kep-number: 688\nbeta:\n  approver: \"@johnbelamaric\"\n")), []);
        assert_eq!(findings(VALID, PrrFile::Unchecked), []);
    }

    #[test]
    fn each_ci_rule_on_a_mutated_file() {
        let cases: [(&str, &str, PrrFile, &str); 8] = [
            ("a typo", "owning-sig:", prr(""), "unknown key `owning_sig`"),
            ("syntax", "approvers:\n  - \"@b\"", PrrFile::Unchecked, "not valid YAML"),
            ("required", "title: Pod Overhead\n", PrrFile::Unchecked, "`title` is required"),
            ("null list", "approvers:\n  - \"@b\"\n", PrrFile::Unchecked, "`approvers` is required"),
            ("wrong kind", "authors:\n  - \"@a\"\n", PrrFile::Unchecked, "`authors` must be a list"),
            (
                "no prr file",
                "",
                PrrFile::Missing("keps/prod-readiness/sig-node/688.yaml".to_owned()),
                "needs its production-readiness approval",
            ),
            (
                "no approver",
                "",
                prr("kep-number: 688\nalpha:\n  approver: \"@johnbelamaric\"\n"),
                "no production-readiness approver for `beta`",
            ),
            (
                "not an approver",
                "",
                prr("kep-number: 688\nbeta:\n  approver: \"@someone\"\n"),
                "is not a production-readiness approver",
            ),
        ];
        for (what, cut, prr_file, want) in cases {
            let yaml = match what {
                "a typo" => VALID.replace("owning-sig:", "owning_sig:"),
                "syntax" => VALID.replace("approvers:\n  - \"@b\"", "approvers: [\"@b\""),
                "required" => VALID.replace(cut, ""),
                "null list" => VALID.replace(cut, "approvers:\n"),
                "wrong kind" => VALID.replace(cut, "authors: \"Jane <jane@example.com>\"\n"),
                _ => VALID.to_owned(),
            };
            let found = findings(&yaml, prr_file);
            assert!(found.iter().any(|f| f.0 == Rule::Metadata && f.2.contains(want)), "{what}: {found:?}");
        }
        let typo = findings(&VALID.replace("owning-sig:", "owning_sig:"), PrrFile::Unchecked);
        assert!(typo[0].2.contains("did you mean `owning-sig`?"), "{typo:?}");
        assert_eq!(typo[0].1, 5, "at the key's line");
    }

    #[test]
    fn each_value_rule_on_a_mutated_file() {
        for (from, to, want) in [
            ("status: implementable", "status: superseded", "`status: superseded` is not one of"),
            ("stage: beta", "stage: alpha (deprecated)", "is not one of alpha"),
            ("status: implementable\nstage: beta", "status: implemented\nstage: beta", "implies `stage: stable`"),
            ("kep-number: 688", "kep-number: 1884", "differs from the folder's number, 688"),
            ("creation-date: 2019-02-26", "creation-date: 2025-10-9", "not a date written YYYY-MM-DD"),
            ("owning-sig: sig-node", "owning-sig: sig-xyz", "names no group"),
        ] {
            let found = findings(&VALID.replace(from, to), PrrFile::Unchecked);
            assert!(found.iter().any(|f| f.0 == Rule::MetadataValues && f.2.contains(want)), "{to}: {found:?}");
        }
        assert!(findings(&VALID.replace("kep-number: 688", "kep-number: 0688"), PrrFile::Unchecked).is_empty());
        // Participating groups are checked only against kep.groups (k/e's live elsewhere).
        let yaml = VALID.replace("participating-sigs: []", "participating-sigs:\n  - wg-batch");
        let groups = vec!["sig-node".to_owned()];
        let lookup = |_: &str, _: &str| PrrFile::Unchecked;
        let mut input = MetadataInput {
            kep_yaml: &yaml,
            folder_number: Some(688),
            prr: &lookup,
            prr_approvers: None,
            groups: &groups,
            check_participating: false,
        };
        assert!(check_metadata(&input).is_empty());
        input.check_participating = true;
        let found = check_metadata(&input);
        assert!(found.iter().any(|f| f.problem.message.contains("`wg-batch` is not in kep.groups")), "{found:?}");
    }
}
