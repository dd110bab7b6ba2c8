//! Differential fuzzing: the html style against the real mdtoc, v1.4.0 (kubernetes/enhancements'
//! pin) or at commit b8c54a57 (jobset's, lws' and scheduler-plugins' pin, `TocStyle::HtmlB8c54a57`,
//! what `kep.mdtocVersion = b8c54a57` selects), each a binary in `../shared/tools` run once per
//! input (`mdtoc --inplace FILE`; `MDTOC` and `MDTOC_B8C54A57` name other binaries).
//!
//! The first input byte chooses the mdtoc (bit 0) and what the rest is (bit 1): heading texts,
//! one per line, each made an ATX heading (levels 1 to 6 in turn) after a TOC; or a document
//! built as `tests/mdtoc_oracle.rs` builds them (bits 2 and 3: front matter, a title above the
//! TOC), each line of the rest a heading of the form its first byte chooses (setext, closed, in
//! a quote, indented, without a space, ATX of a level) with the rest of the line as its text,
//! followed by the block the same byte chooses (text, a fence, a list, a quote right under text,
//! thematic breaks, a table, `a---b`). The TOC mdtoc writes must equal the html style's
//! (`toc::regenerate` with `TocOptions::mdtoc(6)`), compared as that test does: the text between
//! the markers, trimmed. (Arbitrary whole documents are not compared: gomarkdown's block
//! parser differs from CommonMark's beyond what the html style reproduces, found at once on a
//! KEP's fences.)
//!
//! Skipped, as the differential test and docs/compatibility.md leave them out:
//! - headings inside list items and quotes that a line opens: a heading text that starts with
//!   `>`, `*`, `-` or `+` (the test never writes one; here headings only are skipped, documents
//!   get an `x ` before it as in the test; a line that a `\r` alone starts inside a title counts
//!   too, and skips the input), where gomarkdown's block parser nests blocks its own way;
//! - what git-kep reports instead of writing: `Outcome::Unmatched` (at b8c54a57, a file with a
//!   CR: that gomarkdown reads CRLF files otherwise) and marker errors (a second `<!-- toc -->`
//!   in a heading's text), which refuse to write a TOC at all.

//! Run: `cargo +nightly fuzz run mdtoc -s none -- -max_len=2048 -dict=dicts/markdown.dict`.
#![no_main]

use git_kep::toc::{self, Outcome, TocOptions, TocStyle};
use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;

// Only its `tool_dir` here.
#[allow(dead_code)]
mod oracles;

const TOC: &str = "<!-- toc -->\n<!-- /toc -->\n\n";

fuzz_target!(|input: &[u8]| {
    let Some((&first, rest)) = input.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let (style, mdtoc) = if first & 1 == 0 {
        (TocStyle::Html, mdtoc("MDTOC", "mdtoc-v1.4.0"))
    } else {
        (TocStyle::HtmlB8c54a57, mdtoc("MDTOC_B8C54A57", "mdtoc-b8c54a57"))
    };
    let doc = if first & 2 == 0 {
        if text.split(['\n', '\r']).any(|line| line.trim_start_matches(' ').starts_with(['>', '*', '-', '+'])) {
            return;
        }
        let mut doc = String::from(TOC);
        for (i, line) in text.lines().enumerate() {
            doc.push_str(&format!("{} {line}\n\n", "#".repeat(1 + i % 6)));
        }
        doc
    } else {
        let Some(doc) = document(first, text) else { return };
        doc
    };
    let ours = match toc::regenerate(&doc, &TocOptions { style, ..TocOptions::mdtoc(6) }) {
        Ok(Outcome::Stale(new)) => new,
        Ok(Outcome::Fresh | Outcome::NoMarkers) => doc.clone(),
        Ok(Outcome::Unmatched { .. }) | Err(_) => return,
    };
    let path = std::env::temp_dir().join(format!("git-kep-fuzz-mdtoc-{}.md", std::process::id()));
    std::fs::write(&path, &doc).unwrap();
    let output = std::process::Command::new(&mdtoc).arg("--inplace").arg(&path).output().expect("run mdtoc");
    let theirs = std::fs::read_to_string(&path).unwrap();
    assert!(
        output.status.success(),
        "{}: {}\ndocument: {doc:?}",
        mdtoc.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    if body(&ours) != body(&theirs) {
        panic!(
            "{style:?}: the html style and {} differ\ndocument: {doc:?}\n--- git-kep:\n{:?}\n--- mdtoc:\n{:?}\n",
            mdtoc.display(),
            body(&ours),
            body(&theirs)
        );
    }
});

fn mdtoc(variable: &str, tool: &str) -> PathBuf {
    std::env::var_os(variable).map_or_else(|| oracles::tool_dir(tool).join("mdtoc"), PathBuf::from)
}

/// The TOC body of a document whose TOC was regenerated (between the markers, trimmed), as
/// tests/mdtoc_oracle.rs compares them.
fn body(doc: &str) -> &str {
    let lower = doc.to_ascii_lowercase();
    let start = lower.find("<!-- toc -->").map_or(0, |at| at + "<!-- toc -->".len());
    let end = lower.find("<!-- /toc -->").unwrap_or(doc.len());
    doc[start..end].trim()
}

/// A document as tests/mdtoc_oracle.rs's `document` builds one, the choices made by the input.
fn document(first: u8, text: &str) -> Option<String> {
    let mut doc = String::new();
    if first & 4 != 0 {
        doc.push_str("---\ntitle: x\n---\n");
    }
    if first & 8 != 0 {
        doc.push_str("# Title above\n\n");
    }
    doc.push_str(TOC);
    for line in text.lines() {
        // The line's first character chooses; the rest is the title.
        let mut chars = line.chars();
        let Some(choice) = chars.next() else { continue };
        let (choice, title) = ((u32::from(choice) % 256) as u8, chars.as_str());
        // A title that opens a block of its own makes a quote or list of its line (as in the
        // test: outside what it compares).
        let title = if title.starts_with(['>', '*', '-', '+']) { format!("x {title}") } else { title.to_owned() };
        // So does a line a `\r` alone starts in it (a line ending for mdtoc): skipped.
        let opens_container = |piece: &str| {
            let piece = piece.trim_start_matches(' ');
            piece.starts_with('>')
                || piece.len() > 1 && piece.starts_with(['*', '-', '+']) && piece[1..].starts_with([' ', '\t'])
        };
        if title.split('\r').skip(1).any(opens_container) {
            return None;
        }
        // A setext title indented two spaces or more right after the list block continues its
        // last item: a heading inside a list item for gomarkdown, skipped likewise.
        if doc.ends_with("- item\n\n") && title.starts_with("  ") {
            return None;
        }
        let (form, block) = (choice % 13, (choice / 13) % 10);
        match form {
            0 => doc.push_str(&format!("{title}\n{}\n\n", if block % 2 == 0 { "===" } else { "---" })),
            1 => doc.push_str(&format!("## {title} ##\n\n")),
            2 => doc.push_str(&format!("> ## {title}\n\n")),
            3 => doc.push_str(&format!(" ### {title}\n\n")),
            4 => doc.push_str(&format!("##{title}\n\n")),
            level => doc.push_str(&format!("{} {title}\n\n", "#".repeat(1 + usize::from(level) % 6))),
        }
        match block {
            0 => doc.push_str("Some *text* here.\n\n"),
            1 => doc.push_str("```\n# not a heading\n```\n\n"),
            2 => doc.push_str("- item\n- item\n\n"),
            3 => doc.push_str(&format!("Text right above\n> ## {title}\n\n")),
            4 => doc.push_str("---\n\n"),
            5 => doc.push_str("Text.\n\n----\n\n"),
            6 => doc.push_str("| a | b |\n|---|---|\n| 1 | 2 |\n\n"),
            7 => doc.push_str("a---b in a line\n\n"),
            _ => {}
        }
    }
    if first & 16 != 0 {
        doc.push_str("[ref]: http://ref.io \"Ref\"\n");
    }
    Some(doc)
}
