//! Colored unified diffs of what a TOC refresh changes (git's colors, like `just --fmt --check`).

use crate::paint::{Palette, printable};
use similar::{ChangeTag, TextDiff};

/// A unified diff from `old` to `new` of the file `path`, three lines of context.
pub fn unified(palette: &Palette, path: &str, old: &str, new: &str) -> String {
    let diff = TextDiff::from_lines(old, new);
    let mut out = String::new();
    let path = printable(path);
    out.push_str(&palette.paint(palette.header, format!("--- a/{path}\n+++ b/{path}")));
    out.push('\n');
    for hunk in diff.unified_diff().context_radius(3).iter_hunks() {
        out.push_str(&palette.paint(palette.hunk, hunk.header()));
        out.push('\n');
        for change in hunk.iter_changes() {
            let (sign, style) = match change.tag() {
                ChangeTag::Delete => ('-', Some(palette.removed)),
                ChangeTag::Insert => ('+', Some(palette.added)),
                ChangeTag::Equal => (' ', None),
            };
            let line = change.to_string_lossy();
            let line = printable(line.trim_end_matches(['\n', '\r']));
            let text = format!("{sign}{line}");
            match style {
                Some(style) => out.push_str(&palette.paint(style, text)),
                None => out.push_str(&text),
            }
            out.push('\n');
            if change.missing_newline() {
                out.push_str("\\ No newline at end of file\n");
            }
        }
    }
    out
}
