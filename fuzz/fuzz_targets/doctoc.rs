//! Differential fuzzing: the doctoc style against doctoc 2.5.0 itself
//! (`../shared/tools/doctoc-2.5.0`, run by `fuzz/oracles/doctoc-server.js` in one long-lived
//! node process; needs `node`). The first input byte chooses the command line, among the option
//! sets of `tests/doctoc_oracle.rs` (the field's and the other options repositories use), and
//! markers put before the document (none, a legacy pair, a compact pair, a lone START); the rest
//! is the document (UTF-8). The comparison is the differential test's:
//! - one run of doctoc writes what git-kep's `doctoc::rewrite` writes, byte for byte (the file
//!   left as it is where git-kep leaves it), and doctoc throws exactly where git-kep refuses the
//!   markers;
//! - `toc --check` (`toc::regenerate`) says stale exactly where doctoc changes the file;
//! - doctoc leaves what git-kep writes (`Outcome::Stale`) as it is (`doctoc --dryrun` passes).
//!
//! Skipped, as known limits (docs/compatibility.md, doctoc): documents git-kep itself reports
//! as read otherwise than doctoc reads them (`Rewrite::Unmatched`: an HTML heading in a block
//! with `<script>`, `<style>`, `<title>` or `<textarea>`, an entity without `;` or in an
//! attribute, HTML heading text doctoc reads as a regular expression), and documents with an
//! emoji the `emojis` crate and emoji-regex 10.6 read otherwise: an emoji shown as one by default
//! followed by VS16, an Emoji 17.0 character; and an end marker before the start marker, which
//! git-kep refuses where doctoc copies text around its TOC on every run. Nothing else.
//!
//! Run: `cargo +nightly fuzz run doctoc -s none -- -max_len=2048 -dict=dicts/markdown.dict`.
#![no_main]

use git_kep::toc::styles::doctoc::{self, Rewrite};
use git_kep::toc::{self, DoctocOptions, MarkerError, Outcome, TocOptions};
use libfuzzer_sys::fuzz_target;
use std::sync::{LazyLock, Mutex};

mod oracles;
use oracles::{NodeOracle, Run};

include!("../../tests/doctoc_option_sets.rs");

/// What goes before the document: doctoc's markers in its two styles, or a START whose END the
/// document may hold.
const MARKERS: &[&str] = &[
    "",
    "<!-- START doctoc generated TOC please keep comment here to allow auto update -->\n\
     <!-- DON'T EDIT THIS SECTION, INSTEAD RE-RUN doctoc TO UPDATE -->\n\
     <!-- END doctoc generated TOC please keep comment here to allow auto update -->\n\n",
    "<!-- START doctoc -->\n<!-- END doctoc -->\n\n",
    "<!-- START doctoc -->\n",
];

static DOCTOC: LazyLock<Mutex<NodeOracle>> =
    LazyLock::new(|| Mutex::new(NodeOracle::start("doctoc-server.js", "doctoc-2.5.0")));

fuzz_target!(|input: &[u8]| {
    let Some((&first, rest)) = input.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let args = OPTION_SETS[usize::from(first) % OPTION_SETS.len()];
    let doc = format!("{}{text}", MARKERS[usize::from(first) / OPTION_SETS.len() % MARKERS.len()]);
    let options = DoctocOptions::from_args(args).expect("the option sets are valid");
    let ours = doctoc::rewrite(&doc, &options);
    if let Ok(Rewrite::Unmatched { .. }) = ours {
        return;
    }
    if emoji_read_otherwise(&doc) {
        return;
    }
    let words = oracles::shell_words(args);
    let mut doctoc = DOCTOC.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let differ = |what: &str, ours: &dyn std::fmt::Debug, theirs: &dyn std::fmt::Debug| -> ! {
        panic!("doctoc {args}: {what}\ndocument: {doc:?}\n--- git-kep:\n{ours:?}\n--- doctoc 2.5.0:\n{theirs:?}\n")
    };
    let theirs = match (doctoc.run(&words, &doc), ours) {
        (Run::Threw(_), Err(_)) => return,
        (Run::Threw(error), Ok(ours)) => differ("doctoc throws, git-kep does not", &ours, &error),
        (Run::Wrote(_), Err(MarkerError::EndBeforeStart { .. })) => return,
        (Run::Wrote(theirs), Err(err)) => differ("git-kep fails, doctoc does not", &err, &theirs),
        (Run::Wrote(theirs), Ok(ours)) => {
            let first_run = match ours {
                Rewrite::Changed(new) => new,
                _ => doc.clone(),
            };
            if first_run != theirs {
                differ("one run writes otherwise", &first_run, &theirs);
            }
            theirs
        }
    };
    let verdict = toc::regenerate(&doc, &TocOptions::doctoc(options));
    let ours_stale = !matches!(verdict, Ok(Outcome::Fresh | Outcome::NoMarkers));
    if ours_stale != (theirs != doc) {
        differ("toc --check and doctoc --dryrun disagree", &verdict, &theirs);
    }
    if let Ok(Outcome::Stale(new)) = verdict {
        let again = doctoc.run(&words, &new);
        if again != Run::Wrote(new.clone()) {
            differ("doctoc --dryrun rejects what git-kep writes", &new, &again);
        }
    }
});

/// Whether the document has an emoji that doctoc's emoji-regex 10.6 and git-kep's `emojis` crate
/// read otherwise (docs/compatibility.md): one shown as emoji by default followed by VS16
/// (emoji-regex takes some of these pairs whole, most without the VS16), or an Emoji 17.0
/// character (emoji-regex 10.6 knows none).
fn emoji_read_otherwise(doc: &str) -> bool {
    let mut chars = doc.chars().peekable();
    while let Some(c) = chars.next() {
        let mut buffer = [0; 4];
        let alone: &str = c.encode_utf8(&mut buffer);
        match emojis::get(alone) {
            Some(emoji) if emoji.emoji_version().major() >= 17 => return true,
            Some(emoji) if emoji.as_str() == alone && chars.peek() == Some(&'\u{fe0f}') => return true,
            _ => {}
        }
    }
    false
}
