//! TOC styles that equal another tool byte for byte, one module per tool: what its CI checks is
//! what git-kep writes. (git-kep's own `markdown` style and mdtoc's `html` style live beside the
//! engine: `render`, `gomarkdown`.)

pub mod doctoc;
pub mod markdown_toc;

use super::Outcome;

/// How many runs of a tool `settle` follows.
pub const MAX_RUNS: usize = 4;

/// A tool's CI accepts a file only if the tool leaves it as it is. From the tool's first rewrite
/// `text`, its next runs (`run`: the text after one run, `None` where it does not rewrite) are
/// followed to such a file, if one comes within `MAX_RUNS` runs.
fn settle(mut text: String, tool: &str, run: impl Fn(&str) -> Option<String>) -> Outcome {
    for _ in 1..MAX_RUNS {
        match run(&text) {
            Some(new) if new == text => return Outcome::Stale(text),
            Some(new) => text = new,
            None => break,
        }
    }
    Outcome::Unmatched {
        line: 1,
        reason: format!("{tool} changes this file on each of {MAX_RUNS} runs: it never accepts a TOC here"),
    }
}
