//! Where a repository keeps a proposal's metadata, read the same way whichever it is: a file
//! beside the document (`kep.yaml`, `metadata.yaml`, parsed by the caller), YAML front matter,
//! header lines under the title (`**Status:** implementable`, `- Start Date: 2024-01-31`), or a
//! status section (kubevirt's "VEP Status Metadata"). Pure: text in, fields with their source out.

use super::kep_yaml::{KepYaml, Value};

/// Where a field came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A metadata file beside the document.
    File,
    FrontMatter,
    HeaderLines,
    StatusSection,
}

impl Source {
    pub fn name(self) -> &'static str {
        match self {
            Source::File => "file",
            Source::FrontMatter => "front matter",
            Source::HeaderLines => "header lines",
            Source::StatusSection => "status section",
        }
    }
}

/// A proposal's metadata: each field once, from the first source that has it.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Metadata {
    pub fields: Vec<(String, Value, Source)>,
}

impl Metadata {
    /// Reads every source, in order: the metadata file (already parsed), front matter, header
    /// lines, the status section.
    pub fn read(file: Option<&KepYaml>, text: Option<&str>) -> Metadata {
        let mut metadata = Metadata::default();
        if let Some(file) = file {
            for field in &file.fields {
                metadata.add(&field.key, field.value.clone(), Source::File);
            }
        }
        let Some(text) = text else { return metadata };
        if let Some(front) = front_matter(text) {
            for field in &front.fields {
                metadata.add(&field.key, field.value.clone(), Source::FrontMatter);
            }
        }
        for (key, value) in header_lines(text) {
            metadata.add(&key, Value::Scalar(value), Source::HeaderLines);
        }
        for (key, value) in status_section(text) {
            metadata.add(key, Value::Scalar(value), Source::StatusSection);
        }
        metadata
    }

    fn add(&mut self, key: &str, value: Value, source: Source) {
        if !self.fields.iter().any(|(k, _, _)| k == key) {
            self.fields.push((key.to_owned(), value, source));
        }
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.fields.iter().find(|(k, _, _)| k == key).map(|(_, value, _)| value)
    }

    /// A field's text (a scalar's value; `None` for lists, maps and empty values).
    pub fn text(&self, key: &str) -> Option<&str> {
        match self.get(key)? {
            Value::Scalar(text) if !text.trim().is_empty() => Some(text.trim()),
            _ => None,
        }
    }
}

/// A document's YAML front matter (`---` ... `---`), parsed.
pub fn front_matter(text: &str) -> Option<KepYaml> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let rest = body.strip_prefix("---\n").or_else(|| body.strip_prefix("---\r\n"))?;
    let end = rest.find("\n---").or_else(|| rest.find("\n..."))?;
    Some(parse_leniently(&rest[..=end]))
}

/// YAML metadata as it is read for listing: strictly, else (`- @handle` unquoted, an
/// unterminated quote: seen in hundreds of real proposals) line by line, so that what it
/// says is still read. The checks read it strictly and say what is wrong.
pub fn parse_leniently(text: &str) -> KepYaml {
    KepYaml::parse(text).unwrap_or_else(|_| lenient(text))
}

/// Top-level `key: value` lines and the `- item` lists under them, as written.
fn lenient(block: &str) -> KepYaml {
    use super::kep_yaml::Field;
    let mut fields: Vec<Field> = Vec::new();
    for (i, line) in block.lines().enumerate() {
        if let Some(item) = line.trim_start().strip_prefix("- ").filter(|_| line.starts_with([' ', '-'])) {
            if let Some(Field { value, .. }) = fields.last_mut() {
                let item = Value::Scalar(item.trim().trim_matches(['"', '\'']).to_owned());
                match value {
                    Value::List(items) => items.push(item),
                    Value::Null => *value = Value::List(vec![item]),
                    _ => {}
                }
            }
            continue;
        }
        let Some((key, value)) = line.split_once(':') else { continue };
        if key.is_empty()
            || key.starts_with([' ', '#'])
            || !key.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_')
        {
            continue;
        }
        let value = value.split(" #").next().unwrap_or_default().trim().trim_matches(['"', '\'']);
        let value = if value.is_empty() { Value::Null } else { Value::Scalar(value.to_owned()) };
        fields.push(Field { key: key.to_owned(), value, line: i + 1, column: 1 });
    }
    KepYaml { fields }
}

/// Keys that count as header lines even without a list marker or bold (`Status: implementable`).
const PLAIN_KEYS: [&str; 6] = ["status", "authors", "author", "owners", "start-date", "created"];

/// `key: value` lines under the title, before the first section: `**Status:** x`,
/// `**Status**: x`, `* **Status:** x`, `- Start Date: x`, `Status: x`. Keys in lower-case
/// kebab (`Start Date` is `start-date`).
pub fn header_lines(text: &str) -> Vec<(String, String)> {
    let start = crate::toc::content_start(text);
    let mut found = Vec::new();
    let mut seen_title = false;
    for line in text[start..].lines().take(60) {
        let trimmed = line.trim();
        if trimmed.starts_with("## ") || (seen_title && trimmed.starts_with("# ")) {
            break;
        }
        if trimmed.starts_with("# ") {
            seen_title = true;
            continue;
        }
        if let Some(pair) = header_line(trimmed) {
            found.push(pair);
        }
    }
    found
}

fn header_line(line: &str) -> Option<(String, String)> {
    let (listed, rest) = match line.strip_prefix(['-', '*', '+']).filter(|r| r.starts_with(' ')) {
        Some(rest) => (true, rest.trim_start()),
        None => (false, line),
    };
    // `**Key:** value` or `**Key**: value`.
    let (bold, key, value) = if let Some(inner) = rest.strip_prefix("**") {
        let end = inner.find("**")?;
        let key = &inner[..end];
        let after = &inner[end + 2..];
        match key.strip_suffix(':') {
            Some(key) => (true, key, after),
            None => (true, key, after.strip_prefix(':')?),
        }
    } else {
        let (key, value) = rest.split_once(':')?;
        (false, key, value)
    };
    let key = key.trim();
    let words = key.split_whitespace().count();
    if key.is_empty() || words > 4 || !key.chars().all(|c| c.is_ascii_alphabetic() || c == ' ' || c == '-') {
        return None;
    }
    let key = key.split_whitespace().collect::<Vec<_>>().join("-").to_ascii_lowercase();
    if !bold && !listed && !PLAIN_KEYS.contains(&key.as_str()) {
        return None;
    }
    // A bold value is what the bold span holds (`**Implemented (Swift 6.2)** (notes)`), a value
    // in backquotes what they hold (`` `Implemented` ``).
    let value = value.trim();
    let value = match value.strip_prefix("**").and_then(|inner| inner.find("**").map(|end| &inner[..end])) {
        Some(bold) => bold.trim().trim_end_matches(':').trim(),
        // Up to the next bold label on the line (`Draft **Date:** 2025-09-20`).
        None => {
            let next_label = value.find(" **").filter(|&at| value[at + 3..].contains(":**"));
            value[..next_label.unwrap_or(value.len())].trim_matches(['*', '_']).trim()
        }
    };
    let value = value.strip_prefix('`').and_then(|v| v.strip_suffix('`')).unwrap_or(value).trim();
    (!value.is_empty()).then(|| (key, value.to_owned()))
}

/// A status section (a heading with "Status" in it, as kubevirt's "VEP Status Metadata"):
/// the stage targeted last and its version (`This VEP targets beta for version: v1.8`), struck
/// through lines (`~...~`) aside.
pub fn status_section(text: &str) -> Vec<(&'static str, String)> {
    let mut inside = false;
    let mut found = Vec::new();
    for line in text.lines() {
        if let Some(heading) = line.strip_prefix("## ") {
            inside = heading.contains("Status");
            continue;
        }
        if !inside || line.contains('~') {
            continue;
        }
        let lower = line.to_ascii_lowercase();
        let Some(at) = lower.find(" targets ") else { continue };
        let rest = &line[at + " targets ".len()..];
        let Some((stage, version)) = rest.split_once(" for version:") else { continue };
        let version = version.trim();
        if !version.is_empty() {
            found = vec![("stage", stage.trim().to_ascii_lowercase()), ("latest-milestone", version.to_owned())];
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_source_in_turn_and_the_first_one_wins() {
        let file = KepYaml::parse("status: implementable\n").unwrap();
        let text = "---\ntitle: T\nstatus: provisional\n---\n# T\n\n**Status:** proposed\n- Start Date: 2024-01-31\n\n## Summary\n";
        let metadata = Metadata::read(Some(&file), Some(text));
        assert_eq!(metadata.text("status"), Some("implementable"));
        assert_eq!(metadata.text("title"), Some("T"));
        assert_eq!(metadata.text("start-date"), Some("2024-01-31"));
        let sources: Vec<(&str, Source)> = metadata.fields.iter().map(|(k, _, s)| (k.as_str(), *s)).collect();
        assert_eq!(
            sources,
            [("status", Source::File), ("title", Source::FrontMatter), ("start-date", Source::HeaderLines)]
        );
    }

    #[test]
    fn header_lines_in_every_spelling_and_never_prose() {
        for line in [
            "**Status:** implementable",
            "**Status**: implementable",
            "* **Status:** implementable",
            "- Status: implementable",
            "Status: implementable",
            "* Status: **implementable** ([notes](#notes) pending)",
            "* Status: **implementable:** and more said after it",
            "* **Implementation Status:** `implementable`",
            "**Status:** implementable **Date:** 2025-09-20",
        ] {
            let found = header_lines(&format!("# T\n\n{line}\n"));
            assert_eq!(found.len(), 1, "{line}");
            assert!(found[0].0.ends_with("status") && found[0].1 == "implementable", "{line}: {found:?}");
        }
        assert!(header_lines("# T\n\nNote: this is prose.\nSee https://x: y\n").is_empty());
        assert!(header_lines("# T\n\n## Summary\n\n**Status:** too late\n").is_empty());
    }

    #[test]
    fn front_matter_that_is_not_quite_yaml_is_still_read() {
        let text = "---\ntitle: x\nreviewers:\n  - @alice\n  - \"@bob\"\nstatus: implementable # for now\n---\n# X\n";
        let front = front_matter(text).unwrap();
        assert_eq!(front.text("status"), Some("implementable"));
        assert_eq!(front.get("reviewers").unwrap().value.scalars(), ["@alice", "@bob"]);
    }

    #[test]
    fn a_status_section_gives_the_stage_targeted_last() {
        let text = "# VEP\n\n## VEP Status Metadata\n\n- ~This VEP targets alpha for version:~\n- This VEP targets beta for version: v1.8\n- This VEP targets GA for version:\n\n## Overview\n";
        assert_eq!(status_section(text), [("stage", "beta".to_owned()), ("latest-milestone", "v1.8".to_owned())]);
    }
}
