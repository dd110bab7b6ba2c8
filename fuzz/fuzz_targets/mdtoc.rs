//! Differential fuzzing: html style against the real mdtoc v1.4.0. The input is a document's
//! headings (one per line, after a TOC); the mdtoc binary (`MDTOC`, default
//! `../../shared/tools/mdtoc-v1.4.0/mdtoc`) must write the same TOC. Needs that binary; seed the
//! corpus with KEP headings. Run: `cargo fuzz run mdtoc -- -max_len=400`.
#![no_main]

use git_kep::toc::{self, Outcome, TocOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| {
    let Ok(headings) = std::str::from_utf8(input) else { return };
    // Headings only (block structure is another comparison): each line becomes an ATX heading.
    if headings.contains(['\r', '\0']) || headings.lines().any(|line| line.starts_with(['>', '*', '-', '+', ' '])) {
        return;
    }
    let mut doc = String::from("<!-- toc -->\n<!-- /toc -->\n\n");
    for (i, line) in headings.lines().enumerate() {
        doc.push_str(&format!("{} {line}\n\n", "#".repeat(1 + i % 6)));
    }
    let ours = match toc::regenerate(&doc, &TocOptions::mdtoc(6)) {
        Ok(Outcome::Stale(new)) => new,
        _ => doc.clone(),
    };
    let mdtoc = std::env::var("MDTOC").unwrap_or_else(|_| "../../shared/tools/mdtoc-v1.4.0/mdtoc".to_owned());
    let dir = tempfile_dir();
    let path = dir.join(format!("{}.md", std::process::id()));
    std::fs::write(&path, &doc).unwrap();
    let status = std::process::Command::new(&mdtoc).arg("--inplace").arg(&path).status().expect("run mdtoc");
    assert!(status.success());
    let theirs = std::fs::read_to_string(&path).unwrap();
    assert_eq!(body(&ours), body(&theirs), "html style and mdtoc differ on:\n{doc}");
});

fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join("git-kep-fuzz-mdtoc");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn body(doc: &str) -> &str {
    let start = doc.find("<!-- toc -->").map_or(0, |at| at + "<!-- toc -->".len());
    let end = doc.find("<!-- /toc -->").unwrap_or(doc.len());
    doc[start..end].trim()
}
