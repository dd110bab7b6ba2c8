//! A document as doctoc reads it: remark-parse 9 (micromark, GFM, front matter, footnotes)
//! through @textlint/markdown-to-ast, of which doctoc uses the top-level blocks only, each with
//! its source range and lines, and each heading's name: its inline children's source, a link
//! by its text, an image as `*`. pulldown-cmark finds the blocks and inlines; their ranges are
//! brought to remark's (blocks start after their indentation, HTML at the line start; they end
//! with their last line, trailing white space in, line ending out).

use pulldown_cmark::{CodeBlockKind, Event, LinkType, Options, Parser, Tag, TagEnd};
use std::ops::Range;

/// An event and its byte range.
type Spanned<'a> = (Event<'a>, Range<usize>);

/// A top-level block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub kind: Kind,
    /// Byte range in the text (without a BOM).
    pub range: Range<usize>,
    /// 1-based lines of its first and last byte.
    pub start_line: usize,
    pub end_line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// YAML, TOML or JSON front matter.
    FrontMatter,
    Heading {
        depth: u8,
        /// What doctoc lists the heading as.
        name: String,
    },
    Html,
    List,
    /// Any other block (a paragraph, code, a table, a definition, ...).
    Other,
}

/// The parser options remark's reading needs: GFM tables and strikethrough, and footnotes (a
/// `[^1]` reference stays source, where a link would be listed by its text).
fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES
}

/// The top-level blocks of `text` (a document without its BOM), in order.
pub fn parse(text: &str) -> Vec<Node> {
    let lines = LineIndex::new(text);
    let mut nodes = Vec::new();
    let base = match front_matter_end(text) {
        Some(end) => {
            nodes.push(lines.node(Kind::FrontMatter, 0..end));
            end
        }
        None => 0,
    };
    let body = &text[base..];
    let parser = Parser::new_ext(body, options());
    let definitions: Vec<Range<usize>> =
        parser.reference_definitions().iter().map(|(_, def)| def.span.start + base..def.span.end + base).collect();
    let mut blocks: Vec<Node> = Vec::new();
    let mut depth = 0usize;
    let mut heading: Option<(u8, Range<usize>, Vec<Spanned<'_>>)> = None;
    for (event, range) in parser.into_offset_iter() {
        let range = range.start + base..range.end + base;
        if let Some((_, _, events)) = heading.as_mut() {
            if let Event::End(TagEnd::Heading(_)) = event {
                let (depth, range, events) = heading.take().expect("inside a heading");
                let name = heading_name(text, &range, &events);
                blocks.push(lines.node(Kind::Heading { depth, name }, block_range(text, &range, false)));
            } else {
                events.push((event, range));
            }
            continue;
        }
        match event {
            Event::Start(tag) => {
                if depth == 0 {
                    match tag {
                        Tag::Heading { level, .. } => {
                            heading = Some((level as u8, range, Vec::new()));
                            continue;
                        }
                        Tag::HtmlBlock => blocks.push(lines.node(Kind::Html, block_range(text, &range, true))),
                        Tag::List(_) => blocks.push(lines.node(Kind::List, block_range(text, &range, false))),
                        Tag::CodeBlock(CodeBlockKind::Indented) => {
                            blocks.push(lines.node(Kind::Other, block_range(text, &range, true)))
                        }
                        _ => blocks.push(lines.node(Kind::Other, block_range(text, &range, false))),
                    }
                }
                depth += 1;
            }
            Event::End(_) => depth -= 1,
            Event::Rule if depth == 0 => blocks.push(lines.node(Kind::Other, block_range(text, &range, false))),
            _ => {}
        }
    }
    // Link reference definitions make no events; those outside every block are top-level.
    for definition in definitions {
        if !blocks
            .iter()
            .any(|b| b.range.start <= definition.start && definition.start < b.range.end.max(b.range.start + 1))
        {
            blocks.push(lines.node(Kind::Other, block_range(text, &definition, false)));
        }
    }
    blocks.sort_by_key(|b| b.range.start);
    nodes.extend(blocks);
    nodes
}

/// remark-frontmatter's matters, tried in this order: an opening fence alone on the first line
/// (trailing spaces and tabs allowed), a closing one alone on a later line. Where it ends.
fn front_matter_end(text: &str) -> Option<usize> {
    const MATTERS: [(&str, &str); 5] = [("---", "---"), ("+++", "+++"), (";;;", ";;;"), ("---json", "---"), ("{", "}")];
    let is_fence = |line: &str, fence: &str| {
        line.strip_prefix(fence).is_some_and(|rest| rest.bytes().all(|b| b == b' ' || b == b'\t'))
    };
    let mut lines = split_lines(text);
    let (first, _) = lines.next()?;
    let (_, close) = MATTERS.iter().find(|(open, _)| is_fence(&text[first.clone()], open))?;
    // The opening fence needs a line ending after it.
    if first.end == text.len() {
        return None;
    }
    lines.find(|(line, _)| is_fence(&text[line.clone()], close)).map(|(line, _)| line.end)
}

/// Each line's content range (without its line ending) and the offset where the next starts;
/// `\r\n`, `\r` and `\n` end lines, as micromark reads them.
fn split_lines(text: &str) -> impl Iterator<Item = (Range<usize>, usize)> + '_ {
    let bytes = text.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        if at >= text.len() {
            return None;
        }
        let start = at;
        let end = bytes[start..].iter().position(|&b| b == b'\n' || b == b'\r').map_or(text.len(), |i| start + i);
        at = match bytes.get(end) {
            Some(b'\r') if bytes.get(end + 1) == Some(&b'\n') => end + 2,
            Some(_) => end + 1,
            None => end,
        };
        Some((start..end, at))
    })
}

/// A block's range as remark gives it, from pulldown-cmark's: from its first character (from
/// the line start for HTML and indented code, `line_start`) to the end of its last non-blank
/// line, line ending excluded.
fn block_range(text: &str, range: &Range<usize>, line_start: bool) -> Range<usize> {
    let bytes = text.as_bytes();
    let first_line = text[..range.start].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let start = if line_start {
        first_line
    } else {
        first_line + bytes[first_line..].iter().take_while(|&&b| b == b' ' || b == b'\t').count()
    };
    let mut end = range.end;
    loop {
        while end > start && matches!(bytes[end - 1], b'\n' | b'\r') {
            end -= 1;
        }
        let line_begin = text[..end].rfind(['\n', '\r']).map_or(0, |i| i + 1).max(start);
        let last_line = &bytes[line_begin..end];
        if line_begin > start && last_line.iter().all(|&b| b == b' ' || b == b'\t') {
            end = line_begin;
            continue;
        }
        break;
    }
    start..end.max(start)
}

/// Line numbers of offsets.
struct LineIndex {
    /// Offsets where lines start (after `\n`, `\r\n` or a lone `\r`).
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(split_lines(text).filter(|(line, next)| *next > line.end).map(|(_, next)| next));
        LineIndex { starts }
    }

    /// The 1-based line of an offset.
    fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&start| start <= offset)
    }

    fn node(&self, kind: Kind, range: Range<usize>) -> Node {
        Node { kind, start_line: self.line(range.start), end_line: self.line(range.end), range }
    }
}

/// A heading's name as doctoc makes it: the source of its inline children, one after the other
/// (what separates them is theirs too, except the indentation after a hard break, which is no
/// child's), a link replaced by its children's, an image by `*`.
fn heading_name(text: &str, heading: &Range<usize>, events: &[Spanned<'_>]) -> String {
    let content = heading_content(text, heading);
    let items = top_level(text, events);
    render(text, content, &items)
}

/// A top-level inline of a heading or link: its range and what it is.
enum Item {
    /// Text (one of the pieces remark merges into a text node): `reference` for a character
    /// reference (`&copy;`), whose `;` a text node that ends with it loses (micromark's end
    /// position for it is one short).
    Text {
        range: Range<usize>,
        reference: bool,
    },
    Plain(Range<usize>),
    HardBreak(Range<usize>),
    Image(Range<usize>),
    /// A link: its text's range and the items inside.
    Link {
        range: Range<usize>,
        text: Range<usize>,
        children: Vec<Item>,
    },
}

impl Item {
    fn range(&self) -> &Range<usize> {
        match self {
            Item::Text { range, .. }
            | Item::Plain(range)
            | Item::HardBreak(range)
            | Item::Image(range)
            | Item::Link { range, .. } => range,
        }
    }
}

/// The top-level items of a run of inline events (containers whole).
fn top_level(text: &str, events: &[Spanned<'_>]) -> Vec<Item> {
    let mut items = Vec::new();
    let mut i = 0;
    while i < events.len() {
        let (event, range) = &events[i];
        let close = |i: usize| {
            let mut depth = 0usize;
            for (j, (event, _)) in events.iter().enumerate().skip(i) {
                match event {
                    Event::Start(_) => depth += 1,
                    Event::End(_) => {
                        depth -= 1;
                        if depth == 0 {
                            return j;
                        }
                    }
                    _ => {}
                }
            }
            events.len() - 1
        };
        match event {
            Event::Start(Tag::Link { link_type, .. }) => {
                let end = close(i);
                let children = top_level(text, &events[i + 1..end]);
                let text = match link_type {
                    LinkType::Autolink | LinkType::Email => range.start + 1..range.end.saturating_sub(1),
                    _ => {
                        let start = range.start + 1;
                        start..children.last().map_or(start, |last| last.range().end)
                    }
                };
                items.push(Item::Link { range: range.clone(), text, children });
                i = end + 1;
            }
            Event::Start(Tag::Image { .. }) => {
                items.push(Item::Image(range.clone()));
                i = close(i) + 1;
            }
            Event::Start(_) => {
                items.push(Item::Plain(range.clone()));
                i = close(i) + 1;
            }
            Event::HardBreak => {
                items.push(Item::HardBreak(range.clone()));
                i += 1;
            }
            Event::End(_) => i += 1,
            Event::Text(decoded) => {
                let source = &text[range.clone()];
                let reference =
                    source.len() > 2 && source.starts_with('&') && source.ends_with(';') && **decoded != *source;
                items.push(Item::Text { range: range.clone(), reference });
                i += 1;
            }
            Event::SoftBreak => {
                items.push(Item::Text { range: range.clone(), reference: false });
                i += 1;
            }
            _ => {
                items.push(Item::Plain(range.clone()));
                i += 1;
            }
        }
    }
    items
}

/// The source of `region` with its links and images replaced and hard breaks' indentation out.
fn render(text: &str, region: Range<usize>, items: &[Item]) -> String {
    let mut out = String::with_capacity(region.len());
    let mut at = region.start;
    let mut after_break = false;
    // Whether what `out` ends with is a whole character reference that ends a text node.
    let mut ends_with_reference = false;
    for item in items {
        let range = item.range();
        if range.start >= region.end {
            break;
        }
        if range.start > at && !after_break {
            out.push_str(&text[at..range.start]);
            ends_with_reference = false;
        }
        let end = range.end.min(region.end);
        if !matches!(item, Item::Text { .. }) && ends_with_reference {
            out.pop();
        }
        after_break = false;
        ends_with_reference = false;
        match item {
            Item::Text { reference, .. } => {
                out.push_str(&text[range.start.max(at)..end]);
                ends_with_reference = *reference && end == range.end;
            }
            Item::Plain(_) => out.push_str(&text[range.start.max(at)..end]),
            Item::HardBreak(_) => {
                out.push_str(&text[range.start.max(at)..end]);
                after_break = true;
            }
            Item::Image(_) => out.push('*'),
            Item::Link { text: link_text, children, .. } => out.push_str(&render(text, link_text.clone(), children)),
        }
        at = at.max(end);
    }
    if at < region.end && !after_break {
        out.push_str(&text[at..region.end]);
    } else if ends_with_reference {
        out.pop();
    }
    out
}

/// A heading's content as micromark delimits it: an ATX heading's text between its `#`s and
/// its closing sequence, a setext heading's lines without the underline, edges trimmed.
fn heading_content(text: &str, heading: &Range<usize>) -> Range<usize> {
    let source = &text[heading.clone()];
    let indent = source.len() - source.trim_start_matches([' ', '\t']).len();
    let start = heading.start + indent;
    if text[start..].starts_with('#') {
        let line_end = text[start..heading.end].find(['\n', '\r']).map_or(heading.end, |i| start + i);
        let line = &text[start..line_end];
        let hashes = line.len() - line.trim_start_matches('#').len();
        let after_hashes = &line[hashes..];
        let content_start = start + hashes + (after_hashes.len() - after_hashes.trim_start_matches([' ', '\t']).len());
        let mut content = text[content_start..line_end].trim_end_matches([' ', '\t']);
        // A closing sequence: `#`s preceded by a space or tab (or making up all of it).
        let without_hashes = content.trim_end_matches('#');
        if without_hashes.len() < content.len() && (without_hashes.is_empty() || without_hashes.ends_with([' ', '\t']))
        {
            content = without_hashes.trim_end_matches([' ', '\t']);
        }
        return content_start..content_start + content.len();
    }
    // Setext: every line but the underline.
    let body = text[start..heading.end].trim_end_matches(['\n', '\r']);
    let underline = body.rfind(['\n', '\r']).map_or(0, |i| i);
    let lines = body[..underline].trim_end_matches(['\n', '\r']).trim_end_matches([' ', '\t']);
    start..start + lines.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<String> {
        parse(text)
            .into_iter()
            .filter_map(|node| match node.kind {
                Kind::Heading { name, .. } => Some(name),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn heading_names_are_their_source_with_links_by_their_text() {
        let doc = "# a \\[b\\] &amp; `c` [l *e* ![i](x)](u) ![img](y) *[l2](z)* <http://q> x #\n\n\
                   Setext  \n  two \n===\n\nfoo\\\nbar\n---\n\na \n   b\n===\n\n## spaced  heading   ##  \n\n\
                   #\ttab\there\t#\n\n# [r] [^1] [](empty)\n\n[r]: http://x\n";
        assert_eq!(
            names(doc),
            [
                "a \\[b\\] &amp; `c` l *e* * * *[l2](z)* http://q x",
                "Setext  \ntwo",
                "foo\\\nbar",
                "a \n   b",
                "spaced  heading",
                "tab\there",
                "r [^1] ",
            ]
        );
    }

    #[test]
    fn blocks_have_remark_ranges() {
        let doc =
            "  <div>\n  x  \n\n   para  \n  cont \n\n    code\n    more  \n\n * item  \n   more\n\n   - b\n\n# h\n";
        let nodes = parse(doc);
        let raws: Vec<&str> = nodes.iter().map(|n| &doc[n.range.clone()]).collect();
        assert_eq!(
            raws,
            ["  <div>\n  x  ", "para  \n  cont ", "    code\n    more  ", "* item  \n   more\n\n   - b", "# h"]
        );
        assert_eq!((nodes[4].start_line, nodes[4].end_line), (15, 15));
    }

    #[test]
    fn front_matter_needs_its_closing_fence() {
        assert_eq!(front_matter_end("---\na: b\n---\n# x\n"), Some(12));
        assert_eq!(front_matter_end("---  \na: b\n---\t\n"), Some(15));
        assert_eq!(front_matter_end("---\na: b\n"), None);
        assert_eq!(front_matter_end("+++\na = 1\n+++"), Some(13));
        assert_eq!(front_matter_end("----\n---\n"), None);
    }
}
