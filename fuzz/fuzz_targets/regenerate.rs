//! Fuzzes the TOC engine with the property tests' invariants: never a panic, regenerating twice
//! equals once, and only the bytes between the marker lines change.
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
    }
});
