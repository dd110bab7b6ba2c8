//! Differential fuzzing: the markdown-toc style against markdown-toc 1.2.0 itself
//! (`../shared/tools/markdown-toc-1.2.0`, run by `fuzz/oracles/markdown-toc-server.js` in one
//! long-lived node process, as `markdown-toc -i` runs; needs `node`). The first input byte
//! chooses the command line, among the option sets of `tests/markdown_toc_oracle.rs`
//! (`--maxdepth`, `--no-firsth1`, `--bullets`, `--indent`), and markers put before the document
//! (none, a lone `<!-- toc -->`, an empty pair, a pair around an old list); the rest is the
//! document (UTF-8). The comparison is the differential test's:
//! - where git-kep's `markdown_toc::insert` writes a text, markdown-toc writes the same, byte for
//!   byte; where markdown-toc throws, git-kep writes nothing (it fails on the markers, or reports
//!   the file unmatched: the test asks for a failure, and its documents only throw on markers),
//!   and it fails nowhere else;
//! - `toc --check` (`toc::regenerate`) says fresh only where markdown-toc leaves the file as it
//!   is, and leaves no file unmatched that markdown-toc leaves as it is;
//! - markdown-toc leaves what git-kep writes (`Outcome::Stale`) as it is.
//!
//! Not compared, as in the differential test (docs/compatibility.md, markdown-toc): one run's
//! text where git-kep writes none, that is a document without markers (markdown-toc would only
//! trim its edges; not a TOC of its) and one git-kep reports as unmatched (front matter, which
//! markdown-toc writes back through a YAML dump, and a `<!--toc-->` comment after the TOC); the
//! other checks still apply to them. Nothing is skipped.
//!
//! Run: `cargo +nightly fuzz run markdown_toc -s none -- -max_len=2048 -dict=dicts/markdown.dict`.
#![no_main]

use git_kep::toc::styles::markdown_toc::{self, Insert};
use git_kep::toc::{self, MarkdownTocOptions, Outcome, TocOptions};
use libfuzzer_sys::fuzz_target;
use std::sync::{LazyLock, Mutex};

mod oracles;
use oracles::{NodeOracle, Run};

/// tests/markdown_toc_oracle.rs's `OPTION_SETS`.
const OPTION_SETS: &[&str] = &[
    "",
    "--maxdepth 3",
    "--no-firsth1",
    "--bullets '*'",
    "--no-firsth1 --maxdepth 2 --bullets '*' --bullets '-'",
    "--indent '    ' --maxdepth 4",
];

/// What goes before the document: markdown-toc's markers, or an opening one alone.
const MARKERS: &[&str] = &[
    "",
    "<!-- toc -->\n\n",
    "<!-- toc -->\n<!-- tocstop -->\n\n",
    "<!-- toc -->\n- [Old](#old)\n<!-- tocstop -->\n\n",
];

static MARKDOWN_TOC: LazyLock<Mutex<NodeOracle>> =
    LazyLock::new(|| Mutex::new(NodeOracle::start("markdown-toc-server.js", "markdown-toc-1.2.0")));

fuzz_target!(|input: &[u8]| {
    let Some((&first, rest)) = input.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let args = OPTION_SETS[usize::from(first) % OPTION_SETS.len()];
    let doc = format!("{}{text}", MARKERS[usize::from(first) / OPTION_SETS.len() % MARKERS.len()]);
    let options = TocOptions::markdown_toc(MarkdownTocOptions::from_args(args).expect("the option sets are valid"));
    let first_run = markdown_toc::insert(&doc, &options.markdown_toc);
    let verdict = toc::regenerate(&doc, &options);
    let words = oracles::shell_words(args);
    let mut markdown_toc = MARKDOWN_TOC.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let differ = |what: &str, ours: &dyn std::fmt::Debug, theirs: &dyn std::fmt::Debug| -> ! {
        panic!(
            "markdown-toc -i {args}: {what}\ndocument: {doc:?}\n--- git-kep:\n{ours:?}\n--- markdown-toc 1.2.0:\n{theirs:?}\n"
        )
    };
    let theirs = match markdown_toc.run(&words, &doc) {
        Run::Threw(error) => {
            // git-kep writes nothing: it fails on the markers, reports the file, or finds no
            // markers of markdown-toc's to maintain (gray-matter throws before they are looked
            // for: `---/|` names no parser).
            if !matches!(first_run, Err(_) | Ok(Insert::Unmatched(_) | Insert::NoMarkers)) {
                differ("markdown-toc throws, git-kep writes", &first_run, &error);
            }
            return;
        }
        Run::Wrote(theirs) => theirs,
    };
    match &first_run {
        Ok(Insert::Text(new)) if *new != theirs => differ("one run writes otherwise", new, &theirs),
        Ok(Insert::Text(_) | Insert::NoMarkers | Insert::Unmatched(_)) => {}
        Err(err) => differ("git-kep fails, markdown-toc does not", err, &theirs),
    }
    match verdict {
        Ok(Outcome::Stale(new)) => {
            let again = markdown_toc.run(&words, &new);
            if again != Run::Wrote(new.clone()) {
                differ("markdown-toc changes what git-kep writes", &new, &again);
            }
        }
        Ok(Outcome::Unmatched { reason, .. }) if theirs == doc => {
            differ("unmatched where markdown-toc changes nothing", &reason, &theirs)
        }
        Ok(Outcome::Fresh) if theirs != doc => differ("fresh for git-kep, markdown-toc changes it", &"fresh", &theirs),
        _ => {}
    }
});
