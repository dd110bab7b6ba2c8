//! TOC entries as Markdown list lines, in the seed's `markdown` style or mdtoc's `html` style.

use super::TocStyle;
use super::headings::Heading;

/// A heading chosen for the TOC, with its GitHub anchor.
pub struct Entry<'a> {
    pub heading: &'a Heading,
    pub anchor: String,
}

/// The TOC body: one `- [text](#anchor)` line per entry, each ending in `newline`.
pub fn render(entries: &[Entry<'_>], style: TocStyle, newline: &str) -> String {
    let depths = match style {
        TocStyle::Markdown => nesting_depths(entries),
        TocStyle::Html => level_depths(entries),
    };
    let mut out = String::new();
    for (entry, depth) in entries.iter().zip(depths) {
        let text = match style {
            TocStyle::Markdown => &entry.heading.markdown,
            TocStyle::Html => &entry.heading.html,
        };
        for _ in 0..depth {
            out.push_str("  ");
        }
        out.push_str("- [");
        out.push_str(text);
        out.push_str("](#");
        out.push_str(&entry.anchor);
        out.push(')');
        out.push_str(newline);
    }
    out
}

/// Depth = number of enclosing headings, so a jump from `#` to `####` nests one step, not three
/// (an over-indented item would render as a code block, not a list).
fn nesting_depths(entries: &[Entry<'_>]) -> Vec<usize> {
    let mut open_levels: Vec<u8> = Vec::new();
    entries
        .iter()
        .map(|entry| {
            let level = entry.heading.level;
            while open_levels.last().is_some_and(|&open| open >= level) {
                open_levels.pop();
            }
            open_levels.push(level);
            open_levels.len() - 1
        })
        .collect()
}

/// mdtoc's rule: one step per level below the shallowest listed heading.
fn level_depths(entries: &[Entry<'_>]) -> Vec<usize> {
    let shallowest = entries.iter().map(|e| e.heading.level).min().unwrap_or(1);
    entries.iter().map(|e| usize::from(e.heading.level - shallowest)).collect()
}
