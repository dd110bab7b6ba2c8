//! TOC entries as Markdown list lines, in the seed's `markdown` style or mdtoc's `html` style.

use super::TocStyle;

/// A heading chosen for the TOC, with its GitHub anchor.
pub struct Entry<'a> {
    pub level: u8,
    pub link_text: &'a str,
    pub anchor: &'a str,
}

/// Appends the TOC body to `out`: one `- [text](#anchor)` line per entry, each ending in
/// `newline`, and makes room for `room_after` more bytes. `entries` is walked twice instead of
/// collected (once for the shallowest level and the size, once to write): a huge document's TOC
/// needs no second copy, and `out` grows once.
pub fn render_into<'a, I>(out: &mut String, entries: I, style: TocStyle, newline: &str, room_after: usize)
where
    I: Iterator<Item = Entry<'a>> + Clone,
{
    let (shallowest, size) = entries.clone().fold((None, 0), |(shallowest, size): (Option<u8>, usize), e| {
        let line = e.link_text.len() + e.anchor.len() + 16 + newline.len();
        (Some(shallowest.map_or(e.level, |s| s.min(e.level))), size + line)
    });
    let mut depths = Depths { style, shallowest: shallowest.unwrap_or(1), open_levels: Vec::new() };
    out.reserve(size + room_after);
    for entry in entries {
        for _ in 0..depths.next(entry.level) {
            out.push_str("  ");
        }
        out.push_str("- [");
        out.push_str(entry.link_text);
        out.push_str("](#");
        out.push_str(entry.anchor);
        out.push(')');
        out.push_str(newline);
    }
}

/// The indentation depth of each entry in turn.
struct Depths {
    style: TocStyle,
    shallowest: u8,
    /// Markdown style: the levels of the enclosing entries.
    open_levels: Vec<u8>,
}

impl Depths {
    fn next(&mut self, level: u8) -> usize {
        match self.style {
            // Depth = number of enclosing headings, so a jump from `#` to `####` nests one step,
            // not three (an over-indented item would render as a code block, not a list).
            TocStyle::Markdown | TocStyle::Doctoc | TocStyle::MarkdownToc => {
                while self.open_levels.last().is_some_and(|&open| open >= level) {
                    self.open_levels.pop();
                }
                self.open_levels.push(level);
                self.open_levels.len() - 1
            }
            // mdtoc's rule: one step per level below the shallowest listed heading.
            TocStyle::Html | TocStyle::HtmlB8c54a57 => usize::from(level - self.shallowest),
        }
    }
}
