//! The template's required sections, kept in the git directory between hook runs: parsing a
//! 30 KB template was a third of a fresh-TOC commit's checks. Keyed by git-kep's version and the
//! template's bytes, so that a changed template (or git-kep) is read again.

use crate::proposal::check::{self, RequiredSection};
use sha1::Digest;
use std::io::Write;
use std::path::Path;

/// The cache file, in the git directory (git never stages from there).
pub const FILE: &str = "git-kep-template-sections.json";

/// Bumped whenever `check::required_sections` reads a template differently.
const FORMAT: u32 = 2;

/// `check::required_sections` of `template`, from the cache in `cache_dir` when it holds this
/// template's; otherwise computed and written there for the next run (a cache that cannot be
/// written is not an error: it is only slower).
pub fn required_sections(template: &[u8], cache_dir: &Path) -> Vec<RequiredSection> {
    let key = key(template);
    let path = cache_dir.join(FILE);
    let cached = crate::files::read_small_text(&path, crate::files::MAX_METADATA_BYTES).ok();
    if let Some(sections) = cached.and_then(|text| decode(&text, &key)) {
        return sections;
    }
    let sections = check::required_sections(&String::from_utf8_lossy(template));
    let _ = write(cache_dir, &path, &encode(&key, &sections));
    sections
}

/// What a cache must say to be this template's.
fn key(template: &[u8]) -> String {
    let digest = sha1::Sha1::digest(template);
    let hex: String = digest.iter().map(|byte| format!("{byte:02x}")).collect();
    format!("git-kep {} format {FORMAT} template {hex}", env!("CARGO_PKG_VERSION"))
}

fn encode(key: &str, sections: &[RequiredSection]) -> String {
    let sections: Vec<serde_json::Value> =
        sections.iter().map(|s| serde_json::json!({ "level": s.level, "text": s.text })).collect();
    serde_json::json!({ "key": key, "sections": sections }).to_string()
}

/// The sections a cache holds, `None` unless it is well-formed and for `key`.
fn decode(text: &str, key: &str) -> Option<Vec<RequiredSection>> {
    let value: serde_json::Value = serde_json::from_str(text).ok()?;
    if value.get("key")?.as_str()? != key {
        return None;
    }
    let section = |s: &serde_json::Value| {
        let level = u8::try_from(s.get("level")?.as_u64()?).ok().filter(|level| (1..=6).contains(level))?;
        Some(RequiredSection { level, text: s.get("text")?.as_str()?.to_owned(), exact: false })
    };
    value.get("sections")?.as_array()?.iter().map(section).collect()
}

/// Written whole or not at all (a temporary file renamed over the old cache).
fn write(dir: &Path, path: &Path, content: &str) -> std::io::Result<()> {
    let mut file = crate::interrupt::TempFile::new_in(tempfile::Builder::new().prefix(".git-kep-"), dir)?;
    file.write_all(content.as_bytes())?;
    file.persist(path, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sections() -> Vec<RequiredSection> {
        vec![
            RequiredSection { level: 2, text: "Summary".to_owned(), exact: false },
            RequiredSection { level: 3, text: "Tabs\tand \"quotes\"\nand lines".to_owned(), exact: false },
        ]
    }

    #[test]
    fn a_cache_is_read_back_only_for_its_own_template() {
        let key = key(b"# T\n## Summary\n");
        let text = encode(&key, &sections());
        assert_eq!(decode(&text, &key), Some(sections()));
        assert_eq!(decode(&text, &super::key(b"# T\n## Summary\n## More\n")), None);
        for broken in
            ["", "{", "[]", r#"{"key": 1}"#, &text[..text.len() - 1], &text.replace("\"level\":2", "\"level\":9")]
        {
            assert_eq!(decode(broken, &key), None, "{broken}");
        }
    }

    #[test]
    fn the_sections_are_the_templates_whatever_the_cache_held() {
        let dir = tempfile::tempdir().unwrap();
        let template = b"# Title\n## Summary\n## Goals (optional)\n## Motivation\n";
        let want = check::required_sections(std::str::from_utf8(template).unwrap());
        assert_eq!(required_sections(template, dir.path()), want);
        assert!(dir.path().join(FILE).is_file());
        assert_eq!(required_sections(template, dir.path()), want);
        // Another template: read again, and the cache now holds it.
        let changed = b"# Title\n## Risks\n";
        assert_eq!(
            required_sections(changed, dir.path()),
            [RequiredSection { level: 2, text: "Risks".to_owned(), exact: false }]
        );
        assert_eq!(decode(&std::fs::read_to_string(dir.path().join(FILE)).unwrap(), &key(changed)).unwrap().len(), 1);
        // A damaged cache is no answer; nor is a directory that cannot be written.
        std::fs::write(dir.path().join(FILE), "{\"key\": \"x\"").unwrap();
        assert_eq!(required_sections(template, dir.path()), want);
        assert_eq!(required_sections(template, &dir.path().join("missing")), want);
    }
}
