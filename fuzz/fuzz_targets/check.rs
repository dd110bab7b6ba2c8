//! Fuzzes the check rules: never a panic, every problem points at a line of the document, and
//! no heading's section is one the hook would tell the document certainly lacks.
#![no_main]

use git_kep::proposal::check::{CheckInput, LinkedFile, check_document, required_sections};
use libfuzzer_sys::fuzz_target;

mod common;

fuzz_target!(|input: &[u8]| {
    let Some((options, doc)) = common::options_and_document(input) else { return };
    let required = required_sections(git_kep::proposal::scaffold::BUILTIN_TEMPLATE);
    let mut linked = |path: &str| {
        if path.len() % 2 == 0 {
            LinkedFile::Missing
        } else {
            LinkedFile::Anchors(std::sync::Arc::new(["a".to_owned()].into()))
        }
    };
    let input = CheckInput { options: &options, required: Some(&required), linked_file: &mut linked };
    let lines = doc.lines().count().max(1);
    for problem in check_document(doc, input).problems {
        assert!(problem.line >= 1 && problem.line <= lines + 1, "{problem:?}");
    }
    if let Ok(parsed) = git_kep::toc::Document::parse(doc, options.style) {
        let candidates = git_kep::proposal::introduced::HeadingSources::of(doc);
        for heading in &parsed.headings {
            let key = git_kep::proposal::check::section_key(parsed.heading_text(heading));
            assert!(!candidates.certainly_lack(&key), "{key:?}");
        }
    }
});
