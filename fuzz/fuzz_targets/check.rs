//! Fuzzes the check rules: never a panic, every problem points at a line of the document.
#![no_main]

use git_kep::check::{CheckInput, LinkedFile, check_document, required_sections};
use git_kep::toc::{TocOptions, TocStyle};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| {
    let Some((&flags, rest)) = input.split_first() else { return };
    let Ok(doc) = std::str::from_utf8(rest) else { return };
    let options = TocOptions {
        style: if flags & 1 == 0 { TocStyle::Markdown } else { TocStyle::Html },
        max_depth: 1 + (flags >> 1) % 6,
        skip_prefix: flags & 0x80 != 0,
    };
    let required = required_sections(git_kep::proposal::BUILTIN_TEMPLATE);
    let mut linked = |path: &str| if path.len() % 2 == 0 { LinkedFile::Missing } else { LinkedFile::Anchors(vec!["a".into()]) };
    let input = CheckInput { options: &options, required: Some(&required), linked_file: &mut linked };
    let lines = doc.lines().count().max(1);
    for problem in check_document(doc, input).problems {
        assert!(problem.line >= 1 && problem.line <= lines + 1, "{problem:?}");
    }
});
