//! Rule `metadata-fields`: what a repository's own CI checks of the metadata in its proposals'
//! front matter or header lines, as configured (`git kep init` proposes the set where it
//! recognises the CI: tekton's `teps.py validate`, openshift's metadata-lint). Pure: a
//! document's text and what the layout says of it in; problems out.

use super::check::{Problem, Rule};
use super::metadata_sources::{Metadata, Source};

/// The configured rules; all empty or off checks nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MetadataRules {
    /// Fields every proposal states (`title, authors, creation-date, status`).
    pub required: Vec<String>,
    /// The values `status` may take (empty: any).
    pub statuses: Vec<String>,
    /// Fields that hold a date, written `YYYY-MM-DD`.
    pub dates: Vec<String>,
    /// Lists of people without placeholders (`TBD`).
    pub people: Vec<String>,
    /// The front matter's `title` equals the file's name (openshift).
    pub title_is_name: bool,
    /// The number in the H1 (`# TEP-0042: ...`) equals the file's (tekton).
    pub number_in_title: bool,
}

impl MetadataRules {
    pub fn is_empty(&self) -> bool {
        *self == MetadataRules::default()
    }
}

/// What the layout says of the document checked.
#[derive(Debug, Clone, Copy, Default)]
pub struct Identity<'a> {
    /// The `{name}` part of its path (`pod-overhead`), or its file name without `.md`.
    pub name: Option<&'a str>,
    /// Its number as the path writes it (`0042`).
    pub number: Option<&'a str>,
}

/// The metadata problems of one proposal (its front matter, header lines or metadata file are
/// in `metadata`; `text` is the document).
pub fn check(text: &str, metadata: &Metadata, identity: Identity<'_>, rules: &MetadataRules) -> Vec<Problem> {
    let mut problems = Vec::new();
    let line_of = |key: &str| field_line(text, key).unwrap_or(1);
    let problem = |line: usize, subject: String, message: String| Problem {
        rule: Rule::MetadataFields,
        line,
        column: 1,
        message,
        subject,
    };
    for field in &rules.required {
        let stated = metadata
            .get(field)
            .is_some_and(|value| !value.scalars().is_empty() || matches!(value, super::kep_yaml::Value::Map(_)));
        if !stated {
            problems.push(problem(
                1,
                format!("required {field}"),
                format!("`{field}` is required: add it to the metadata"),
            ));
        }
    }
    if !rules.statuses.is_empty()
        && let Some(status) = metadata.text("status")
        && !rules.statuses.iter().any(|s| s.eq_ignore_ascii_case(status))
    {
        problems.push(problem(
            line_of("status"),
            format!("status {status}"),
            format!("`status: {status}` is not one of {}", rules.statuses.join(", ")),
        ));
    }
    for field in &rules.dates {
        if let Some(date) = metadata.text(field)
            && !is_date(date)
        {
            problems.push(problem(
                line_of(field),
                format!("date {field}"),
                format!("`{field}: {date}` is not a date written YYYY-MM-DD"),
            ));
        }
    }
    for field in &rules.people {
        let Some(value) = metadata.get(field) else { continue };
        for person in value.scalars() {
            if person.trim().eq_ignore_ascii_case("tbd") || person.contains("TBD") {
                problems.push(problem(
                    line_of(field),
                    format!("placeholder {field}"),
                    format!("`{field}` still holds the placeholder {person:?}: name the people, or remove it"),
                ));
            }
        }
    }
    if rules.title_is_name
        && let (Some(name), Some(title)) = (identity.name, metadata.text("title"))
        && metadata.fields.iter().any(|(k, _, source)| k == "title" && *source == Source::FrontMatter)
        && title != name
    {
        problems.push(problem(
            line_of("title"),
            "title is name".to_owned(),
            format!("`title: {title}` differs from the file's name: write `title: {name}`"),
        ));
    }
    if rules.number_in_title
        && let Some(number) = identity.number
        && let Some(h1) = super::scaffold::first_h1(text)
        && let Some(prefix) = super::scaffold::h1_prefix(h1)
    {
        let written = h1[prefix.len()..].split(':').next().unwrap_or_default();
        let same = written.trim_start_matches('0') == number.trim_start_matches('0');
        if !same {
            let line = text.lines().position(|l| l.trim_start().strip_prefix("# ") == Some(h1)).map_or(1, |i| i + 1);
            problems.push(problem(
                line,
                "number in title".to_owned(),
                format!(
                    "the title's number {written} differs from the file's {number}: write `# {prefix}{number}: ...`"
                ),
            ));
        }
    }
    problems
}

/// `YYYY-MM-DD` (also as YAML writes a date: unquoted).
fn is_date(text: &str) -> bool {
    let bytes = text.trim_matches(['"', '\'']).as_bytes();
    bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes.iter().enumerate().all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit())
}

/// The 1-based line where a field is written (`key:` at a line's start, or `**Key:**`).
fn field_line(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .take(200)
        .position(|line| {
            let line = line.trim_start_matches(['-', '*', ' ']);
            line.len() > key.len()
                && line[..key.len()].eq_ignore_ascii_case(key)
                && line[key.len()..].starts_with([':', '*'])
        })
        .map(|i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str, identity: Identity<'_>, rules: &MetadataRules) -> Vec<String> {
        let metadata = Metadata::read(None, Some(text));
        check(text, &metadata, identity, rules).into_iter().map(|p| format!("{}: {}", p.line, p.message)).collect()
    }

    #[test]
    fn tektons_rules() {
        let rules = MetadataRules {
            required: ["title", "authors", "creation-date", "status"].map(String::from).to_vec(),
            number_in_title: true,
            ..MetadataRules::default()
        };
        let good =
            "---\ntitle: T\nauthors:\n  - \"@a\"\ncreation-date: 2024-01-31\nstatus: proposed\n---\n\n# TEP-0042: T\n";
        let identity = Identity { name: Some("t"), number: Some("0042") };
        assert!(problems(good, identity, &rules).is_empty());
        let bad = good.replace("status: proposed\n", "").replace("TEP-0042", "TEP-0041");
        assert_eq!(
            problems(&bad, identity, &rules),
            [
                "1: `status` is required: add it to the metadata",
                "8: the title's number 0041 differs from the file's 0042: write `# TEP-0042: ...`"
            ]
        );
    }

    #[test]
    fn openshifts_rules() {
        let rules = MetadataRules {
            people: vec!["reviewers".into()],
            title_is_name: true,
            dates: vec!["creation-date".into()],
            statuses: vec!["provisional".into(), "implementable".into()],
            ..MetadataRules::default()
        };
        let text = "---\ntitle: other-name\nreviewers:\n  - TBD\ncreation-date: 2024-1-3\nstatus: done\n---\n# X\n";
        let found = problems(text, Identity { name: Some("my-feature"), number: None }, &rules);
        assert_eq!(found.len(), 4, "{found:?}");
        assert!(found[0].starts_with("6: `status: done` is not one of provisional, implementable"));
        assert!(found[1].starts_with("5: `creation-date: 2024-1-3`"));
        assert!(found[2].starts_with("3: `reviewers` still holds the placeholder \"TBD\""));
        assert!(found[3].starts_with("2: `title: other-name` differs from the file's name"));
    }
}
