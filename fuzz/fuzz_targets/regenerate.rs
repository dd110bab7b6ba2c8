//! Fuzzes the TOC engine with the property tests' invariants: never a panic, regenerating twice
//! equals once, only the bytes between the marker lines change, and the refreshed document the
//! hook checks without parsing again (`with_toc_body`) is the parse of the refreshed text.
#![no_main]

use git_kep::toc::{self, Document, Outcome};
use libfuzzer_sys::fuzz_target;

mod common;

fuzz_target!(|input: &[u8]| {
    let Some((options, doc)) = common::options_and_document(input) else { return };
    if let Ok(Outcome::Stale(once)) = toc::regenerate(doc, &options) {
        assert_eq!(toc::regenerate(&once, &options), Ok(Outcome::Fresh), "not idempotent");
        let body = Document::parse(doc, options.style).unwrap().markers.unwrap().body();
        assert!(once.starts_with(&doc[..body.start]), "bytes before the TOC changed");
        assert!(once.ends_with(&doc[body.end..]), "bytes after the TOC changed");
        let parsed = Document::parse_with_links(doc, options.style).unwrap();
        if let Outcome::Stale(refreshed) = parsed.outcome(&options)
            && let Some(spliced) = parsed.with_toc_body(&refreshed)
        {
            assert_eq!(spliced, Document::parse_with_links(&refreshed, options.style).unwrap(), "spliced");
        }
    }
});
