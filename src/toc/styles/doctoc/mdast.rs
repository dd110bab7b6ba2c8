//! A document as doctoc reads it: remark-parse 9 (micromark, GFM, front matter, footnotes)
//! through @textlint/markdown-to-ast, of which doctoc uses the top-level blocks only, each with
//! its source range and lines, and each heading's name: its inline children's source, a link
//! by its text, an image as `*`. pulldown-cmark finds the blocks and inlines; their ranges are
//! brought to remark's (blocks start after their indentation, HTML at the line start; they end
//! with their last line, trailing white space in, line ending out).

use super::micromark;
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
///
/// remark-gfm 1 reads some documents otherwise than CommonMark (`micromark`): a line that
/// continues a paragraph in a list item or quote lazily starts a new block after them, its GFM
/// tables take in the lines after them up to a blank one, and a fence or HTML block left open
/// runs to the end of the text. pulldown-cmark reads a copy of the text changed so that it
/// reads as remark does (`micromark::Reading`: a blank line before each such lazy line, each such
/// table a paragraph of letters between blank lines), and the blocks are brought back to the text's offsets. A text whose first
/// line opens a front matter that no line closes has no lists, quotes or footnote definitions
/// for micromark (their markers are letters to pulldown-cmark).
pub fn parse(text: &str) -> Vec<Node> {
    let lines = LineIndex::new(text);
    let mut nodes = Vec::new();
    let matter = front_matter(text);
    let base = match matter {
        Some(Some(end)) => {
            nodes.push(lines.node(Kind::FrontMatter, 0..end));
            end
        }
        _ => 0,
    };
    let containers_off = matter == Some(None);
    let mut reading = micromark::Reading::default();
    // Form feeds and vertical tabs are text for micromark where pulldown-cmark takes them for
    // white space.
    reading.add_bytes(crate::toc::headings::block_feeds(text).into_iter().map(|at| (at, b'&')).collect());
    reading.add_bytes(micromark::html_start_feeds(text).into_iter().map(|at| (at, b'%')).collect());
    let mut rounds = 0;
    let (working, read) = loop {
        let working = reading.apply(text, true);
        // Headings are named from the text with its own bytes.
        let source = reading.apply(text, false);
        let read = read_blocks(&working, &source, base);
        rounds += 1;
        if rounds < micromark::MAX_ROUNDS {
            if containers_off && !read.containers.is_empty() {
                // A `-` with nothing after it may be a setext underline once the containers
                // before it are text: those go first, then such `-`s one at a time.
                let firm: Vec<usize> =
                    read.containers.iter().filter(|(_, dash_alone)| !dash_alone).map(|&(at, _)| at).collect();
                let markers = if firm.is_empty() { vec![read.containers[0].0] } else { firm };
                let markers: Vec<usize> = markers.into_iter().map(|marker| reading.original(marker)).collect();
                reading.add_bytes(markers.into_iter().map(|at| (at, b'x')).collect());
                continue;
            }
            // Each change reads what follows it again: the changes after one that may change
            // more than itself wait for the next reading.
            let spans: Vec<Range<usize>> = read.blocks.iter().map(|b| b.range.start..b.raw_end).collect();
            let mut changes = micromark::tables(&working, &read.paragraphs, &spans, !containers_off);
            let uncertain = read.lazy.uncertain_after();
            changes.extend(read.lazy.lines().iter().map(|&line| micromark::Change {
                at: line,
                certain: Some(line) != uncertain,
                what: micromark::Changed::Breaks(vec![line]),
            }));
            changes.extend(read.retags.iter().map(|(at, bytes)| micromark::Change {
                at: *at,
                certain: false,
                what: micromark::Changed::Bytes(bytes.clone()),
            }));
            changes.sort_by_key(|change| change.at);
            // A table takes in the lines of its rows, with what pulldown-cmark read in them.
            let mut table_end = 0;
            changes.retain(|change| {
                let inside = change.at < table_end;
                if let micromark::Changed::Table(table) = &change.what {
                    table_end = table_end.max(table.end);
                }
                !inside
            });
            if let Some(first_uncertain) = changes.iter().position(|change| !change.certain) {
                changes.truncate(first_uncertain + 1);
            }
            if !changes.is_empty() {
                // (All in the text's offsets before any is made.)
                let mut tables = Vec::new();
                let mut breaks = Vec::new();
                let mut bytes = Vec::new();
                for change in changes {
                    match change.what {
                        micromark::Changed::Breaks(lines) => {
                            breaks.extend(lines.into_iter().map(|l| reading.original(l)))
                        }
                        micromark::Changed::Table(t) => tables.push(reading.original(t.start)..reading.original(t.end)),
                        micromark::Changed::Bytes(b) => {
                            bytes.extend(b.into_iter().map(|(at, byte)| (reading.original(at), byte)))
                        }
                    }
                }
                reading.add_tables(text, tables);
                reading.add_breaks(breaks);
                reading.add_bytes(bytes);
                continue;
            }
        }
        break (working, read);
    };
    let mut blocks: Vec<Node> = read
        .blocks
        .into_iter()
        .map(|block| {
            let end = if block.open { block.raw_end } else { block.range.end };
            let range = reading.original(block.range.start)..reading.original(end);
            lines.node(block.kind, range)
        })
        .collect();
    drop(working);
    blocks.sort_by_key(|b| b.range.start);
    nodes.extend(blocks);
    nodes
}

/// A top-level block in the text pulldown-cmark read.
struct Block {
    kind: Kind,
    /// As remark delimits it (`block_range`).
    range: Range<usize>,
    /// Where pulldown-cmark ends it (line endings after it in).
    raw_end: usize,
    /// Whether it ends with a fence or an HTML block of kinds 1 to 5 left open (closed by the
    /// end of the text or of the container): remark's block then ends where pulldown-cmark's
    /// does, with the line endings before it.
    open: bool,
}

/// What one pass of pulldown-cmark over a text found.
struct Read {
    blocks: Vec<Block>,
    /// The first line in each top-level quote or footnote definition, or each item of a
    /// top-level list, that continues a paragraph lazily (`micromark::lazy_line`), in order, as
    /// long as the blocks after each stay as they are once it starts a block
    /// (`micromark::LazyLines`).
    lazy: micromark::LazyLines,
    /// Where each item of a top-level list, each top-level quote and footnote definition starts
    /// (its marker), and whether it is a `-` alone.
    containers: Vec<(usize, bool)>,
    /// Bytes that end an HTML block of kind 1 where micromark ends it (`micromark::raw_html_end`).
    retags: Vec<(usize, Vec<(usize, u8)>)>,
    /// The top-level blocks a table may start in: paragraphs, setext headings (but their
    /// underlines), tables and link reference definitions.
    paragraphs: Vec<Range<usize>>,
}

/// The top-level blocks of `text` from `base` on (`source`: the same text with its own line
/// endings, for the headings' names).
fn read_blocks(text: &str, source: &str, base: usize) -> Read {
    let lines = LineIndex::new(text);
    let body = &text[base..];
    let parser = Parser::new_ext(body, options());
    let definitions: Vec<Range<usize>> =
        parser.reference_definitions().iter().map(|(_, def)| def.span.start + base..def.span.end + base).collect();
    let mut blocks: Vec<Block> = Vec::new();
    let mut lazy = micromark::LazyLines::default();
    let mut containers = Vec::new();
    let mut retags = Vec::new();
    let mut paragraphs = Vec::new();
    let mut depth = 0usize;
    let mut heading: Option<(u8, Range<usize>, Vec<Spanned<'_>>)> = None;
    // The top-level block being read (its index in `blocks`), and whether the last leaf block
    // in it so far was left open.
    let mut current: Option<usize> = None;
    let mut last_leaf_open = false;
    let mut fence: Option<(Range<usize>, usize)> = None;
    for (event, range) in parser.into_offset_iter() {
        let range = range.start + base..range.end + base;
        if let Some((_, _, events)) = heading.as_mut() {
            if let Event::End(TagEnd::Heading(_)) = event {
                let (depth, range, events) = heading.take().expect("inside a heading");
                let name = heading_name(source, &range, &events);
                if !is_atx(&text[range.start..]) {
                    // A setext heading: its lines but the underline.
                    let heading = block_range(text, &range, false);
                    paragraphs.push(heading.start..lines.line_start(heading.end));
                }
                blocks.push(Block {
                    kind: Kind::Heading { depth, name },
                    range: block_range(text, &range, false),
                    raw_end: range.end,
                    open: false,
                });
            } else {
                events.push((event, range));
            }
            continue;
        }
        match event {
            Event::Start(tag) => {
                match &tag {
                    Tag::CodeBlock(CodeBlockKind::Fenced(_)) => {
                        let opening_end = lines.next_line_start(range.start).unwrap_or(text.len());
                        fence = Some((range.clone(), opening_end));
                    }
                    Tag::HtmlBlock => {
                        last_leaf_open = micromark::html_block_open(&text[range.clone()]);
                        if depth == 0 {
                            let line_start = lines.line_start(range.start);
                            let mut bytes = micromark::raw_html_end(&text[line_start..range.end]);
                            bytes.extend(micromark::comment_end(&text[line_start..], range.end - line_start));
                            if !bytes.is_empty() {
                                retags.push((
                                    line_start,
                                    bytes.into_iter().map(|(at, byte)| (line_start + at, byte)).collect(),
                                ));
                            }
                        }
                    }
                    Tag::Item if depth == 1 => {
                        last_leaf_open = false;
                        let line = &text[range.start..lines.next_line_start(range.start).unwrap_or(text.len())];
                        let marker = line.trim_start_matches([' ', '\t']);
                        let at = range.start + (line.len() - marker.len());
                        containers.push((at, marker.trim_end().strip_prefix('-') == Some("")));
                        lazy.block_starts(text, &lines, range.start);
                        lazy.add(micromark::lazy_line(text, &lines, &range, false));
                        // A list ends with its last item (pulldown-cmark's may take in the
                        // definitions after it).
                        if let Some(index) = current {
                            blocks[index].range.end = block_range(text, &range, false).end;
                            blocks[index].raw_end = range.end;
                        }
                    }
                    Tag::BlockQuote(_) | Tag::FootnoteDefinition(_) if depth == 0 => {
                        let line = &text[range.start..lines.next_line_start(range.start).unwrap_or(text.len())];
                        containers
                            .push((range.start + (line.len() - line.trim_start_matches([' ', '\t']).len()), false));
                        lazy.block_starts(text, &lines, range.start);
                        lazy.add(micromark::lazy_line(text, &lines, &range, true))
                    }
                    Tag::Paragraph | Tag::Table(_) | Tag::CodeBlock(_) => last_leaf_open = false,
                    _ => {}
                }
                if depth == 0 {
                    if !matches!(tag, Tag::BlockQuote(_) | Tag::FootnoteDefinition(_)) {
                        lazy.block_starts(text, &lines, range.start);
                    }
                    last_leaf_open = matches!(tag, Tag::HtmlBlock) && last_leaf_open;
                    let (kind, line_start) = match tag {
                        Tag::Heading { level, .. } => {
                            heading = Some((level as u8, range, Vec::new()));
                            continue;
                        }
                        Tag::HtmlBlock => (Kind::Html, true),
                        Tag::List(_) => (Kind::List, false),
                        Tag::CodeBlock(CodeBlockKind::Indented) => (Kind::Other, true),
                        Tag::Paragraph | Tag::Table(_) => {
                            paragraphs.push(block_range(text, &range, false));
                            (Kind::Other, false)
                        }
                        _ => (Kind::Other, false),
                    };
                    current = Some(blocks.len());
                    blocks.push(Block {
                        kind,
                        range: block_range(text, &range, line_start),
                        raw_end: range.end,
                        open: false,
                    });
                }
                depth += 1;
            }
            Event::Text(_) if fence.is_some() => {
                if let Some((_, content_end)) = fence.as_mut() {
                    *content_end = (*content_end).max(range.end);
                }
            }
            Event::End(tag) => {
                depth -= 1;
                if let (TagEnd::CodeBlock, Some((block, content_end))) = (tag, fence.take()) {
                    last_leaf_open = block.end <= content_end;
                }
                if depth == 0
                    && let Some(index) = current.take()
                {
                    blocks[index].open = last_leaf_open;
                    last_leaf_open = false;
                }
            }
            Event::Rule if depth == 0 => {
                lazy.block_starts(text, &lines, range.start);
                blocks.push(Block {
                    kind: Kind::Other,
                    range: block_range(text, &range, false),
                    raw_end: range.end,
                    open: false,
                });
            }
            Event::Rule => last_leaf_open = false,
            _ => {}
        }
    }
    // Link reference definitions make no events; those outside every block are top-level.
    for mut definition in definitions {
        // (With the white space after it on its last line.)
        let rest = &text[definition.end..];
        let line_end = rest.find(['\n', '\r']).unwrap_or(rest.len());
        if rest[..line_end].bytes().all(|b| b == b' ' || b == b'\t') {
            definition.end += line_end;
        }
        if !blocks
            .iter()
            .any(|b| b.range.start <= definition.start && definition.start < b.range.end.max(b.range.start + 1))
        {
            let range = block_range(text, &definition, false);
            paragraphs.push(range.clone());
            blocks.push(Block { kind: Kind::Other, range: range.clone(), raw_end: range.end, open: false });
        }
    }
    // A definition of a label defined before is in neither: the lines in no block.
    for definition in redefinitions(text, base, &lines, &blocks) {
        paragraphs.push(definition.clone());
        blocks.push(Block { kind: Kind::Other, range: definition.clone(), raw_end: definition.end, open: false });
    }
    Read { blocks, lazy, containers, retags, paragraphs }
}

/// The link reference definitions pulldown-cmark leaves out (their labels were defined before):
/// runs of lines, from `base` on, in none of `blocks`, each read alone (again, for a label
/// defined twice in it).
fn redefinitions(text: &str, base: usize, lines: &LineIndex, blocks: &[Block]) -> Vec<Range<usize>> {
    let mut covered: Vec<Range<usize>> = blocks.iter().map(|b| b.range.clone()).collect();
    covered.sort_by_key(|range| range.start);
    let in_block = |start: usize, end: usize| {
        let i = covered.partition_point(|range| range.end < start);
        covered[i..].iter().take_while(|range| range.start <= end).any(|range| range.start <= end && start <= range.end)
    };
    let mut found = Vec::new();
    let mut run: Option<Range<usize>> = None;
    let starts: Vec<usize> =
        std::iter::once(lines.line_start(base)).chain(lines.starts_between(base, text.len())).collect();
    for (i, &start) in starts.iter().enumerate() {
        let end = starts.get(i + 1).copied().unwrap_or(text.len());
        let line = text[start..end].trim_end_matches(['\n', '\r']);
        let free = start >= base && !line.trim_matches([' ', '\t']).is_empty() && !in_block(start, start + line.len());
        if free {
            run = Some(run.map_or(start..start + line.len(), |run| run.start..start + line.len()));
        } else if let Some(run) = run.take() {
            found.extend(definitions_in(text, run));
        }
    }
    if let Some(run) = run {
        found.extend(definitions_in(text, run));
    }
    found
}

/// The link reference definitions of `run` read on its own, each label's first; then again in
/// what is left after them.
fn definitions_in(text: &str, mut run: Range<usize>) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    while !run.is_empty() {
        let parser = Parser::new_ext(&text[run.clone()], options());
        let mut spans: Vec<Range<usize>> = parser
            .reference_definitions()
            .iter()
            .map(|(_, def)| def.span.start + run.start..def.span.end + run.start)
            .collect();
        if spans.is_empty() {
            break;
        }
        spans.sort_by_key(|span| span.start);
        let last_end = spans.last().map_or(run.start, |span| span.end);
        found.extend(spans.into_iter().map(|span| block_range(text, &span, false)));
        // What comes after the last one found (the second of a label twice in this run).
        let rest = &text[last_end..run.end];
        run = last_end + (rest.len() - rest.trim_start_matches(['\n', '\r', ' ', '\t']).len())..run.end;
    }
    found
}

/// Whether a heading's source is an ATX heading's (`#` to `######`, then a space, a tab or the
/// line's end) rather than a setext heading's.
fn is_atx(source: &str) -> bool {
    let line = source.trim_start_matches([' ', '\t']);
    let hashes = line.len() - line.trim_start_matches('#').len();
    (1..=6).contains(&hashes) && line[hashes..].chars().next().is_none_or(|c| matches!(c, ' ' | '\t' | '\n' | '\r'))
}

/// remark-frontmatter's matters, tried in this order: an opening fence alone on the first line
/// (trailing spaces and tabs allowed), a closing one alone on a later line. Where it ends.
/// `None` without an opening fence; `Some(None)` with one that nothing closes (micromark then
/// reads no list, quote or footnote definition in the whole text: `containers_off`).
fn front_matter(text: &str) -> Option<Option<usize>> {
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
    Some(lines.find(|(line, _)| is_fence(&text[line.clone()], close)).map(|(line, _)| line.end))
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
pub(super) struct LineIndex {
    /// Offsets where lines start (after `\n`, `\r\n` or a lone `\r`).
    starts: Vec<usize>,
}

impl LineIndex {
    pub(super) fn new(text: &str) -> Self {
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

    /// Where the line after the one at `offset` starts (`None` on the last line).
    pub(super) fn next_line_start(&self, offset: usize) -> Option<usize> {
        self.starts.get(self.line(offset)).copied()
    }

    /// Where the line of `offset` starts.
    pub(super) fn line_start(&self, offset: usize) -> usize {
        self.starts[self.line(offset) - 1]
    }

    /// The starts of the lines that begin after `offset` and before `end`.
    pub(super) fn starts_between(&self, offset: usize, end: usize) -> impl Iterator<Item = usize> + '_ {
        let from = self.line(offset);
        self.starts[from..].iter().copied().take_while(move |&start| start < end)
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
                // micromark makes no hard break of trailing white space with a tab in it (a line
                // suffix: the next line's indentation stays in the name), where pulldown-cmark
                // may (found by the `doctoc` fuzz target).
                let line_end = text[range.clone()].find(['\n', '\r']).map_or(range.end, |i| range.start + i);
                let before = &text[..line_end];
                let suffix = &before[before.trim_end_matches([' ', '\t']).len()..];
                if suffix.contains('\t') {
                    items.push(Item::Text { range: range.clone(), reference: false });
                } else {
                    items.push(Item::HardBreak(range.clone()));
                }
                i += 1;
            }
            Event::End(_) => i += 1,
            Event::Text(decoded) => {
                let source = &text[range.clone()];
                // A NUL is in no reference: `&#\0005;` is one only as read (NUL as `x`; found by
                // the `doctoc` fuzz target).
                let reference = source.len() > 2
                    && source.starts_with('&')
                    && source.ends_with(';')
                    && **decoded != *source
                    && !source.contains('\0');
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
    let mut after_text = false;
    let mut after_line_end = false;
    for item in items {
        let range = item.range();
        if range.start >= region.end {
            break;
        }
        if range.start > at {
            let gap = &text[at..range.start];
            // White space between a code span, emphasis or HTML and a line ending is in no
            // node, so doctoc's name has none; after text it is that text's (found by the
            // `doctoc` fuzz target).
            let line_ends = text[range.clone()].starts_with(['\n', '\r']);
            // Nor is the white space that starts a line before one of those, or after a hard
            // break; what follows it there is (an escape's backslash, `a\` over `\-b`: found
            // by the `doctoc` fuzz target).
            let before_text = matches!(item, Item::Text { .. });
            let gap =
                if after_break || (after_line_end && !before_text) { gap.trim_start_matches([' ', '\t']) } else { gap };
            out.push_str(if line_ends && !after_text { gap.trim_end_matches([' ', '\t']) } else { gap });
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
        after_text = matches!(item, Item::Text { .. });
        after_line_end = text[range.clone()].starts_with(['\n', '\r']);
        at = at.max(end);
    }
    if at < region.end {
        let rest = &text[at..region.end];
        out.push_str(if after_break { rest.trim_start_matches([' ', '\t']) } else { rest });
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
    if is_atx(&text[start..heading.end]) {
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
    fn trailing_white_space_with_a_tab_is_no_hard_break() {
        // micromark: a line suffix, so the next line's indentation stays (found by the `doctoc`
        // fuzz target); two spaces alone are a hard break, whose indentation goes.
        let doc = "a\t\t\n\tb\n===\n\nc\t  \n  d\n===\n\ne  \n  f\n===\n";
        assert_eq!(names(doc), ["a\t\t\n\tb", "c\t  \n  d", "e  \nf"]);
    }

    #[test]
    fn an_escape_after_a_hard_break_keeps_its_backslash() {
        // The next line's indentation after a hard break is in no node, its escapes' backslashes
        // are (found by the `doctoc` fuzz target: `|-\` over `\-.` in a setext heading).
        let doc = "a\\\n\\-b\n===\n\nc  \n  \\*d\n===\n\nx.\r\\\n|-\\\n\\-.\n===\n\ng\\\n\t \\&amp;h\n---\n";
        assert_eq!(names(doc), ["a\\\n\\-b", "c  \n\\*d", "x.\r\\\n|-\\\n\\-.", "g\\\n\\&amp;h"]);
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
    fn a_lazy_line_under_a_deeply_indented_line_stays_in_its_container() {
        // micromark keeps a lazy line in the paragraph right under a line indented four columns
        // past the container's content, and ends the container at the next one (found by the
        // `doctoc` fuzz target: `- l`, `      >`, `t` over `-`).
        assert_eq!(names("- l\n      >\nt\n-\n\n> l\n>     x\nt\n-\n"), Vec::<String>::new());
        assert_eq!(names("- l\n      x\nt\nu\n-\n\n> l\n>    x\nv\n-\n"), ["u", "v"]);
    }

    #[test]
    fn blocks_as_remark_gfm_1_reads_them() {
        // Found by the `doctoc` fuzz target (`micromark`): a lazy line starts a block after its
        // container; a table needs no pipe, interrupts a paragraph and takes in the lines after
        // it up to a blank line or a container; open blocks run to the end, line endings in;
        // any raw end tag ends a raw block, a comment ends at `>` after an even run of dashes
        // (not `--->`); a table-like line that starts an HTML block ends the
        // paragraph before it, and a container ends that block; an unclosed front matter leaves
        // no containers; a label defined twice is two definitions.
        let cases: &[(&str, &[&str])] = &[
            ("- a\nb\n---\n", &["- a", "b\n---"]),
            ("> a\nb\n", &["> a", "b"]),
            ("- a\n  b\nc\n- d\ne\n", &["- a\n  b", "c", "- d", "e"]),
            ("a|b\n-|-\n# h\n\nc", &["a|b\n-|-\n# h", "c"]),
            ("b\n:--\n> q", &["b\n:--", "> q"]),
            ("<!-- a\n\n", &["<!-- a\n\n"]),
            ("- ```\n  a\n\n", &["- ```\n  a\n\n"]),
            ("<pre>\n</style>\nb", &["<pre>\n</style>", "b"]),
            ("a\n<custom>\n:--\n* x", &["a", "<custom>\n:--", "* x"]),
            ("+++\n- a\n> q\n", &["+++\n- a\n> q"]),
            ("[r]: /u\n[r]: /v\n", &["[r]: /u", "[r]: /v"]),
            ("<!-- a -->\r## h\r", &["<!-- a -->", "## h"]),
            ("<!-- a --->\n## h\n---->\n# i", &["<!-- a --->\n## h\n---->", "# i"]),
        ];
        for (doc, want) in cases {
            let raws: Vec<&str> = parse(doc).iter().map(|n| &doc[n.range.clone()]).collect();
            assert_eq!(&raws, want, "{doc:?}");
        }
    }

    #[test]
    fn front_matter_needs_its_closing_fence() {
        assert_eq!(front_matter("---\na: b\n---\n# x\n"), Some(Some(12)));
        assert_eq!(front_matter("---  \na: b\n---\t\n"), Some(Some(15)));
        assert_eq!(front_matter("---\na: b\n"), Some(None), "opened, never closed");
        assert_eq!(front_matter("+++\na = 1\n+++"), Some(Some(13)));
        assert_eq!(front_matter("----\n---\n"), None);
    }
}
