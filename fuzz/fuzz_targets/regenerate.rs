//! Fuzzes the TOC engine with the property tests' invariants: never a panic, regenerating twice
//! equals once, and only the bytes between the marker lines change.
#![no_main]

use git_kep::toc::{self, Document, Outcome, TocOptions, TocStyle};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| {
    let Some((&flags, rest)) = input.split_first() else { return };
    let Ok(doc) = std::str::from_utf8(rest) else { return };
    let options = TocOptions {
        style: if flags & 1 == 0 { TocStyle::Markdown } else { TocStyle::Html },
        max_depth: 1 + (flags >> 1) % 6,
        skip_prefix: flags & 0x80 != 0,
    };
    if let Ok(Outcome::Stale(once)) = toc::regenerate(doc, &options) {
        assert_eq!(toc::regenerate(&once, &options), Ok(Outcome::Fresh), "not idempotent");
        let body = Document::parse(doc, options.style).unwrap().markers.unwrap().body();
        assert!(once.starts_with(&doc[..body.start]), "bytes before the TOC changed");
        assert!(once.ends_with(&doc[body.end..]), "bytes after the TOC changed");
    }
});
