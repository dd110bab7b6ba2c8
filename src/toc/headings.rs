//! One pass of pulldown-cmark over a document: its headings, marker lines and links.

use super::TocStyle;
use super::anchor::slugify_into;
use super::gomarkdown::Dialect;
use super::markers::{self, MarkerLine};
use pulldown_cmark::{CodeBlockKind, Event, LinkType, Options, Parser, Tag, TagEnd};
use std::borrow::Cow;
use std::ops::Range;

/// A heading as the TOC needs it. Its ranges are pairs of `u32` (documents are at most
/// `MAX_DOCUMENT_BYTES`, their arenas a few times that): 44 bytes a heading instead of 88, which
/// is most of what a document of 500,000 headings costs beyond the parser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// Whether mdtoc's parser sees this heading too. GitHub (CommonMark) also finds headings in
    /// list items and ATX headings indented by 1-3 spaces; gomarkdown does not, and
    /// kubernetes/enhancements' CI (`mdtoc --dryrun`) rejects a TOC that lists them.
    pub seen_by_mdtoc: bool,
    /// Byte range of the heading in the document.
    pub(super) span: Span,
    /// Where the heading's rendered text (what GitHub slugs) is in `Scan::link_texts`.
    pub(super) text: Span,
    /// Where GitHub's slug of the heading's rendered text (code content kept; markup, images and
    /// HTML dropped), before duplicates are numbered, is in `Scan::link_texts`.
    pub(super) slug: Span,
    /// Where the TOC entry's link text is in `Scan::link_texts`: Markdown that renders as the
    /// heading reads (the seed's style), or HTML the way mdtoc (gomarkdown) renders the heading.
    pub(super) link_text: Span,
    /// Where its unique anchor is in `Document::anchors` (set once duplicates are numbered).
    pub(super) anchor: Span,
    /// Html style: where mdtoc's slug of the heading (before duplicates are counted) is in
    /// `Scan::link_texts`.
    pub(super) mdtoc_slug: Span,
}

impl Heading {
    /// Byte range of the heading in the document.
    pub fn span(&self) -> Range<usize> {
        self.span.range()
    }
}

/// A byte range in a document or one of its arenas, in half the space of a `Range<usize>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    start: u32,
    end: u32,
}

impl Span {
    /// The range as a span. Offsets fit: `Document::parse` refuses documents whose arenas could
    /// reach 4 GiB (see `MAX_DOCUMENT_BYTES`).
    pub fn of(range: Range<usize>) -> Span {
        Span { start: range.start as u32, end: range.end as u32 }
    }

    pub fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// What one pass over a document found.
#[derive(Debug, Default)]
pub struct Scan {
    pub headings: Vec<Heading>,
    /// The link texts, texts and slugs of all headings, one after the other: one allocation,
    /// read in order.
    pub link_texts: String,
    pub markers: Vec<MarkerLine>,
    /// Byte ranges of link reference definitions (they affect text anywhere in the document).
    pub reference_definitions: Vec<Range<usize>>,
    /// Inline links and reference definitions whose destination has a `#` fragment.
    pub links: Vec<Link>,
    /// Ids that HTML in the document defines (`<a name="x">`, `id="x"`): links may target them.
    pub html_ids: Vec<String>,
    /// Bytes to insert for mdtoc's view of the document (`apply_mdtoc_view`): indentation for
    /// fences that close a list item's code block for mdtoc's parser but not for GitHub's, `>`s
    /// before underlines that continue a quote lazily for mdtoc.
    pub(super) stray_fences: Vec<StrayFence>,
    /// Html style: the link reference definitions, for mdtoc's reading of the headings.
    pub(super) mdtoc_refs: super::gomarkdown::Refs,
    /// Some lines were read as mdtoc reads them, not as GitHub does (the headings differ).
    pub(super) read_as_mdtoc_reads_it: bool,
    /// Where mdtoc's title blocks may start (see `hide_title_blocks`): thematic breaks, and
    /// paragraphs and headings at the first column starting with `%%%`.
    pub(super) title_block_starts: Vec<usize>,
}

/// Html style at `b8c54a57`: its gomarkdown lets a paragraph (or a list item's text) run on into a
/// `>` line, so a heading in a quote that starts right under a line of text is paragraph text
/// there, not a heading (later gomarkdown, and GitHub, end the paragraph at the quote).
pub(super) fn hide_quotes_continuing_paragraphs(doc: &str, scan: &mut Scan) {
    let line_start = |offset: usize| doc[..offset].rfind('\n').map_or(0, |i| i + 1);
    let quoted = |line: &str| line.trim_start_matches(' ').starts_with('>');
    for heading in &mut scan.headings {
        let start = line_start(heading.span().start);
        if !heading.seen_by_mdtoc || !quoted(&doc[start..]) {
            continue;
        }
        // The quote's first line, then the line above it.
        let mut first = start;
        let above = loop {
            if first == 0 {
                break None;
            }
            let previous = line_start(first - 1);
            let line = doc[previous..first].trim_end_matches(['\n', '\r']);
            if quoted(line) {
                first = previous;
            } else {
                break Some(line);
            }
        };
        let is_text = |line: &str| {
            let line = line.trim();
            !line.is_empty()
                && !line.starts_with(['#', '|', '`', '~'])
                && !line.chars().all(|c| matches!(c, '-' | '=' | '*' | '_' | ' '))
        };
        if above.is_some_and(is_text) {
            heading.seen_by_mdtoc = false;
        }
    }
}

/// Html style: the headings mdtoc does not see because mmark's parser hook (which mdtoc gives
/// gomarkdown) takes a block that starts with `---` or `%%%` for a title block, up to the next
/// `---` (or `%%%`) anywhere after it (a rule, a table's delimiter row, `a---b` in a line), and
/// drops it: a heading between two rules is not listed (kueue's KEP-77). Only blocks at the first
/// column count here, which is where the hook sees them, and only from `from` on: mdtoc reads
/// what follows the TOC (`--skip-prefix`), and the TOC body is about to be replaced. Front matter
/// was cut off before. The parser goes on right after a title block, mid-line maybe: a title
/// block that ends where `---` follows is followed by another, and a setext heading's text that
/// goes on after one is the heading mdtoc sees (`%%%%%%%%` over `---` reads `%%`; found by the
/// `mdtoc` fuzz target): its span starts there. gomarkdown's display math (`$$` ... `$$`, the
/// MathJax extension mdtoc turns on) is such a block too (found by the same target).
pub(super) fn hide_title_blocks(doc: &str, from: usize, scan: &mut Scan) {
    let mut hidden: Vec<Range<usize>> = Vec::new();
    for &block in scan.title_block_starts.iter().filter(|&&block| block >= from) {
        let at_line_start = block == 0 || doc.as_bytes()[block - 1] == b'\n';
        // gomarkdown's display math (MathJax) is a block the same way: `$$` (not `$$$`) up to
        // the next `$$`, with more than four bytes from its start to the end of the document.
        let opens = |at: usize, marker: &str| match marker {
            "$$" => doc[at..].starts_with("$$") && !doc[at + 2..].starts_with('$') && doc.len() - at > 4,
            _ => doc[at..].starts_with(marker),
        };
        let Some(marker) = ["---", "%%%", "$$"].into_iter().find(|&marker| opens(block, marker)) else {
            continue;
        };
        if !at_line_start || hidden.last().is_some_and(|h| block < h.end) {
            continue;
        }
        // One range for a chain of blocks, each starting where the one before ends.
        let mut start = block;
        while let Some(close) = doc[start + marker.len()..].find(marker) {
            let end = start + marker.len() + close + marker.len();
            match hidden.last_mut() {
                Some(last) if last.end == start => last.end = end,
                _ => hidden.push(start..end),
            }
            // The parser goes on at `end`: the rest of that line, if blank, and blank lines
            // after it end no block, so a marker at the next line's start opens another.
            let next = next_block_start(doc, end);
            if !opens(next, marker) {
                break;
            }
            start = next;
        }
    }
    if hidden.is_empty() {
        return;
    }
    for heading in &mut scan.headings {
        let span = heading.span();
        let Some(block) = hidden.iter().find(|h| h.contains(&span.start)) else { continue };
        let underline = doc[span.clone()].trim_end_matches(['\n', '\r']).rfind(['\n', '\r']).map(|at| span.start + at);
        match underline {
            Some(underline) if block.end < underline && !doc[block.end..underline].trim().is_empty() => {
                heading.span = Span::of(block.end..span.end);
            }
            _ => heading.seen_by_mdtoc = false,
        }
    }
}

/// Where gomarkdown's next block starts when it goes on at `at`: there if the rest of the line
/// has more than white space, else at the first line after it that is not blank.
fn next_block_start(doc: &str, at: usize) -> usize {
    let mut start = at;
    loop {
        let line_end = doc[start..].find('\n').map_or(doc.len(), |i| start + i);
        if !is_blank(doc[start..line_end].trim_end_matches('\r')) || line_end == doc.len() {
            return start;
        }
        start = line_end + 1;
    }
}

/// Html style: each heading's link text and anchor slug as mdtoc (gomarkdown) reads its source;
/// a heading gomarkdown makes nothing of (`# {#id}`) is not one mdtoc sees.
pub(super) fn read_as_mdtoc(doc: &str, scan: &mut Scan, dialect: super::gomarkdown::Dialect) {
    use super::gomarkdown;
    for heading in &mut scan.headings {
        let source = &doc[heading.span()];
        // An ATX heading is one line; a setext heading is its text lines and an underline, and
        // may start with `#`s that open no ATX heading (`#\0` over `===`: found by the mdtoc fuzz
        // target).
        let lines = source.trim_end_matches(['\n', '\r']);
        let content = match lines.rfind(['\n', '\r']) {
            None => gomarkdown::atx_content(source.trim_start_matches(' ').split_inclusive('\n').next().unwrap_or("")),
            Some(underline) => Some(gomarkdown::setext_content(without_quote_prefixes(
                &lines[..underline],
                quote_depth(doc, heading.span().start),
            ))),
        };
        let Some(content) = content else {
            heading.seen_by_mdtoc = false;
            continue;
        };
        let read = gomarkdown::heading(content, &scan.mdtoc_refs, dialect);
        let start = scan.link_texts.len();
        scan.link_texts.push_str(&read.html);
        heading.link_text = Span::of(start..scan.link_texts.len());
        let start = scan.link_texts.len();
        scan.link_texts.push_str(&gomarkdown::anchor_base(&read.text));
        heading.mdtoc_slug = Span::of(start..scan.link_texts.len());
    }
}

/// How many quotes a block starting at `at` is in: the `>`s before it on its line (where only
/// quote prefixes are).
fn quote_depth(doc: &str, at: usize) -> usize {
    let prefix = &doc[doc[..at].rfind('\n').map_or(0, |i| i + 1)..at];
    if prefix.bytes().all(|b| b == b'>' || b == b' ' || b == b'\t') { prefix.matches('>').count() } else { 0 }
}

/// A setext heading's text lines in `depth` quotes, its last line without the quote prefixes
/// gomarkdown takes off (up to three spaces, `>`, a space; fewer on a line that continues the
/// paragraph lazily): gomarkdown's heading is that line. The text lines may end with the `\r` of
/// a CRLF before the underline (`x\r\n---`: found by the `mdtoc` fuzz target), which ends the
/// last line, not one more empty line.
fn without_quote_prefixes(text_lines: &str, depth: usize) -> &str {
    let text_lines = text_lines.trim_end_matches(['\n', '\r']);
    let Some(last_start) = text_lines.rfind(['\n', '\r']).map(|at| at + 1) else { return text_lines };
    let mut rest = &text_lines[last_start..];
    for _ in 0..depth {
        let indent = rest.bytes().take(3).take_while(|&b| b == b' ').count();
        let Some(after) = rest[indent..].strip_prefix('>') else { break };
        rest = after.strip_prefix(' ').unwrap_or(after);
    }
    rest
}

/// A link destination with a fragment, where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub destination: String,
    /// Byte offset of the link (or definition) in the document.
    pub offset: usize,
}

/// The parser options, each for a reason. Smart punctuation and heading attributes stay OFF:
/// both change a heading's text and so its anchor (`Alpha -> Beta` must stay `#alpha---beta`).
/// Metadata blocks stay off too: pulldown-cmark would take any `---` pair mid-document as one,
/// where GitHub sees a rule and a setext heading; front matter is cut off before parsing instead.
pub fn parser_options() -> Options {
    // GitHub renders tables and strikethrough; a table row is never a heading, `~~x~~` is text.
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// Scans `text`, which starts at byte `base` of the document `doc` (front matter and BOM are
/// cut off before). Offsets in the result are offsets into `doc`.
/// `dialect`: which mdtoc the html style reads the blocks as.
/// `with_links`: also collect links and HTML ids (for `check`; the TOC needs neither).
pub fn scan(doc: &str, base: usize, text: &str, style: TocStyle, dialect: Dialect, with_links: bool) -> Scan {
    let mut stray_fences = Vec::new();
    let mut scan = scan_events(doc, base, text, style, dialect, with_links, &mut stray_fences);
    scan.stray_fences = stray_fences;
    scan
}

/// For the html style: reads the headings of `scan` (of `doc`, from `base`) again the way mdtoc's
/// parser sees the document, with its stray fences closing their blocks. Markers and links stay
/// as GitHub sees them. A stray fence can hide the next one inside the code it opens, so each new
/// view is looked at again (a few times: each look is a parse; real documents have one or two).
pub(super) fn apply_mdtoc_view(doc: &str, base: usize, scan: &mut Scan, dialect: Dialect) {
    let mut stray_fences = std::mem::take(&mut scan.stray_fences);
    if stray_fences.is_empty() {
        return;
    }
    let mut view = MdtocView::new(doc, &stray_fences);
    for _ in 0..MAX_VIEW_ROUNDS {
        let mut found = Vec::new();
        let mut rescan = scan_events(&view.text, base, &view.text[base..], TocStyle::Html, dialect, false, &mut found);
        if found.is_empty() {
            for heading in &mut rescan.headings {
                let span = heading.span();
                heading.span = Span::of(view.to_original(span.start)..view.to_original(span.end));
            }
            scan.headings = rescan.headings;
            scan.link_texts = rescan.link_texts;
            // A rule may be an underline in this view (or code), and so no title block's start.
            scan.title_block_starts = rescan.title_block_starts.iter().map(|&start| view.to_original(start)).collect();
            return;
        }
        stray_fences.extend(
            found.into_iter().map(|fence| StrayFence { line_start: view.to_original(fence.line_start), ..fence }),
        );
        stray_fences.sort_by_key(|fence| fence.line_start);
        view = MdtocView::new(doc, &stray_fences);
    }
}

/// How many times the html style re-reads a document for fences that close differently in mdtoc.
const MAX_VIEW_ROUNDS: usize = 8;

/// A line that gomarkdown reads inside a block where CommonMark does not, and the bytes that
/// put it there for CommonMark too (in mdtoc's view of the document):
///
/// - a fence line that closes a list item's code block for gomarkdown but not for CommonMark:
///   gomarkdown pairs fences by their marker (```` ``` ````, up to three spaces in), whatever the
///   list item around them; CommonMark ends the item at a line indented less than its content, so
///   the code block ends unclosed and the fence line opens a new block that runs on, taking the
///   headings after it (KEP-3107 has this). Spaces indent it to its opening fence.
/// - an underline that continues a quote's paragraph lazily (`> text` over `---`, or `===`):
///   gomarkdown's quote takes every line up to a blank one, unquoted lines as they are, so the
///   underline makes the paragraph's last line a heading (found by the `mdtoc` fuzz target);
///   CommonMark takes no underline lazily (`---` is a rule, `===` text). `>`s put it in the quote.
#[derive(Debug, Clone, Copy)]
pub(super) struct StrayFence {
    /// Where the bytes go in the document: a fence line's start, or an underline's first mark.
    line_start: usize,
    /// How many bytes go there.
    missing_indent: usize,
    /// Which byte: a space, or `>`.
    byte: u8,
}

/// The document with each stray fence indented to its opening fence.
struct MdtocView {
    text: String,
    /// (offset in `text` after the spaces inserted there, spaces inserted up to there), in order.
    shifts: Vec<(usize, usize)>,
}

impl MdtocView {
    fn new(doc: &str, stray_fences: &[StrayFence]) -> Self {
        let inserted: usize = stray_fences.iter().map(|fence| fence.missing_indent).sum();
        let mut text = String::with_capacity(doc.len() + inserted);
        let mut shifts = Vec::with_capacity(stray_fences.len());
        let mut copied = 0;
        for fence in stray_fences {
            text.push_str(&doc[copied..fence.line_start]);
            text.extend(std::iter::repeat_n(char::from(fence.byte), fence.missing_indent));
            let total = shifts.last().map_or(0, |&(_, total)| total) + fence.missing_indent;
            shifts.push((text.len(), total));
            copied = fence.line_start;
        }
        text.push_str(&doc[copied..]);
        MdtocView { text, shifts }
    }

    /// The document offset of an offset in the view (inserted spaces map to their line's start).
    fn to_original(&self, offset: usize) -> usize {
        let passed = self.shifts.partition_point(|&(end, _)| end <= offset);
        let shift = if passed == 0 { 0 } else { self.shifts[passed - 1].1 };
        match self.shifts.get(passed) {
            // Inside the spaces inserted before the next fence line.
            Some(&(end, total)) if offset + (total - shift) > end => end - total,
            _ => offset - shift,
        }
    }
}

/// If the fenced code block at `block` (inside a list item) ends without its closing fence and
/// the next line is a fence with the same marker that gomarkdown takes as the closing one.
fn stray_closing_fence(doc: &str, block: Range<usize>) -> Option<StrayFence> {
    let column = block.start - doc[..block.start].rfind('\n').map_or(0, |i| i + 1);
    let body = &doc[block.clone()];
    let opener = body.lines().next()?;
    let fence_char = opener.chars().next().filter(|c| matches!(c, '`' | '~'))?;
    let marker_len = opener.len() - opener.trim_start_matches(fence_char).len();
    let is_closing = |line: &str| {
        let content = line.trim_start_matches(' ');
        let after = content.trim_start_matches(fence_char);
        line.len() - content.len() <= 3
            && content.len() - after.len() == marker_len
            && after.trim_end_matches(['\r', '\n']).bytes().all(|b| b == b' ' || b == b'\t')
    };
    if body.lines().count() > 1 && body.lines().next_back().is_some_and(is_closing) {
        return None;
    }
    let next_line = doc[block.end..].split_inclusive('\n').next()?;
    let indent = next_line.len() - next_line.trim_start_matches(' ').len();
    (doc[..block.end].ends_with('\n') && is_closing(next_line) && indent < column).then(|| StrayFence {
        line_start: block.end,
        missing_indent: column - indent,
        byte: b' ',
    })
}

fn scan_events(
    doc: &str,
    base: usize,
    text: &str,
    style: TocStyle,
    dialect: Dialect,
    with_links: bool,
    stray_fences: &mut Vec<StrayFence>,
) -> Scan {
    let (text, mdtoc_lines, gomarkdown_references) = match style {
        TocStyle::Html => {
            let (text, lone_crs) = lone_crs_as_line_feeds(Cow::Borrowed(text));
            // Fences first: what gomarkdown reads as a fence depends on tabs the next step replaces.
            let (text, fences) = fences_as_gomarkdown(text);
            let text = fence_tabs_as_spaces(text);
            let (text, tab_indented) = tab_after_spaces_as_text(text);
            let (text, setext_text) = setext_text_as_paragraph(text, dialect);
            let (text, unclosed) = html_gomarkdown_does_not_close_as_paragraph(text);
            let (text, feeds) = feed_lines_as_text(text);
            let (text, tables) = one_column_tables_as_gomarkdown(text, dialect);
            let (text, blanked, references) = references_gomarkdown_reads(text);
            let read_otherwise = lone_crs || fences || tab_indented || setext_text || unclosed || feeds || tables;
            (text, read_otherwise || blanked, references)
        }
        _ => (fence_tabs_as_spaces(Cow::Borrowed(text)), false, Vec::new()),
    };
    let parser = Parser::new_ext(&text, parser_options());
    let mut scan = Scan {
        read_as_mdtoc_reads_it: mdtoc_lines,
        reference_definitions: parser
            .reference_definitions()
            .iter()
            .map(|(_, def)| def.span.start + base..def.span.end + base)
            .collect(),
        ..Scan::default()
    };
    // Definitions with a fragment, kept as links only where a link uses them: a template's
    // `[alternatives]: #alternatives` that nothing refers to links nowhere.
    let mut definitions: Vec<(String, Link)> = Vec::new();
    let mut used_labels: std::collections::HashSet<String> = std::collections::HashSet::new();
    for (label, definition) in parser.reference_definitions().iter() {
        if style == TocStyle::Html {
            let target = (definition.dest.to_string(), definition.title.as_deref().unwrap_or("").to_owned());
            scan.mdtoc_refs.entry(label.to_lowercase()).or_insert(target);
        }
        if with_links && definition.dest.contains('#') {
            let link = Link { destination: definition.dest.to_string(), offset: definition.span.start + base };
            definitions.push((normalized_label(label), link));
        }
    }
    for (label, target) in gomarkdown_references {
        scan.mdtoc_refs.entry(label).or_insert(target);
    }
    let mut builder = HeadingBuilder::new(style);
    let mut in_heading = false;
    let mut in_html_block = false;
    let mut html_block_first_line: Option<Range<usize>> = None;
    let mut list_item_depth = 0usize;
    let mut quote_depth = 0usize;
    for (event, range) in parser.into_offset_iter() {
        let range = range.start + base..range.end + base;
        if with_links {
            if let Event::Start(Tag::Link { link_type: LinkType::Inline, dest_url, .. }) = &event
                && dest_url.contains('#')
            {
                scan.links.push(Link { destination: dest_url.to_string(), offset: range.start });
            }
            if let Event::Start(
                Tag::Link { link_type: LinkType::Reference | LinkType::Collapsed | LinkType::Shortcut, id, .. }
                | Tag::Image { link_type: LinkType::Reference | LinkType::Collapsed | LinkType::Shortcut, id, .. },
            ) = &event
            {
                used_labels.insert(normalized_label(id));
            }
            if let Event::Html(html) | Event::InlineHtml(html) = &event {
                collect_html_ids(html, &mut scan.html_ids);
            }
        }
        if in_heading {
            if let Event::End(TagEnd::Heading(_)) = event {
                scan.headings.push(builder.finish(&mut scan.link_texts));
                in_heading = false;
            } else {
                builder.push(doc, event, range, &mut scan.link_texts);
            }
            continue;
        }
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                if style == TocStyle::Html
                    && (doc[range.start..].starts_with("%%%") || doc[range.start..].starts_with("$$"))
                {
                    scan.title_block_starts.push(range.start);
                }
                let seen_by_mdtoc = list_item_depth == 0 && !is_indented_atx(doc, range.clone());
                builder.start(level as u8, range, seen_by_mdtoc, &scan.link_texts);
                in_heading = true;
            }
            Event::Start(Tag::Item) => list_item_depth += 1,
            Event::Start(Tag::BlockQuote(_)) => quote_depth += 1,
            Event::End(TagEnd::BlockQuote(_)) => quote_depth = quote_depth.saturating_sub(1),
            Event::Rule => scan.title_block_starts.push(range.start),
            Event::Start(Tag::Paragraph)
                if style == TocStyle::Html
                    && (doc[range.start..].starts_with("%%%") || doc[range.start..].starts_with("$$")) =>
            {
                scan.title_block_starts.push(range.start);
            }
            Event::Start(Tag::Paragraph) if style == TocStyle::Html && quote_depth > 0 && list_item_depth == 0 => {
                stray_fences
                    .extend(lazy_underline_in_quote(&text, range.start - base..range.end - base, quote_depth).map(
                        |(at, missing)| StrayFence { line_start: at + base, missing_indent: missing, byte: b'>' },
                    ));
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(_))) if list_item_depth > 0 => {
                stray_fences.extend(stray_closing_fence(doc, range));
            }
            Event::End(TagEnd::Item) => list_item_depth = list_item_depth.saturating_sub(1),
            Event::Start(Tag::HtmlBlock) => {
                in_html_block = true;
                html_block_first_line = None;
            }
            Event::End(TagEnd::HtmlBlock) => in_html_block = false,
            Event::Html(_) if in_html_block => {
                let first_line = html_block_first_line.clone().map(|first| &doc[first]);
                if let Some(marker) = markers::classify(doc, range.clone(), first_line) {
                    scan.markers.push(marker);
                }
                html_block_first_line.get_or_insert(range);
            }
            _ => {}
        }
    }
    scan.links.extend(definitions.into_iter().filter(|(label, _)| used_labels.contains(label)).map(|(_, link)| link));
    scan
}

/// A link label as CommonMark matches it: case-folded, inner white space collapsed.
fn normalized_label(label: &str) -> String {
    label.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// pulldown-cmark 0.13 does not close a code fence followed by a tab ("```\t"), where CommonMark
/// 0.31, GitHub and mdtoc do; the rest of such a document would turn into code. Replacing those
/// tabs by spaces keeps every byte offset and gives the parser what GitHub reads.
fn fence_tabs_as_spaces(text: Cow<'_, str>) -> Cow<'_, str> {
    if !contains(&text, "`\t") && !contains(&text, "~\t") {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let content = line.trim_start_matches(' ');
        let fence_len = content.len() - content.trim_start_matches(['`', '~']).len();
        let after_fence = &content[fence_len..];
        if fence_len >= 3 && after_fence.trim_end_matches(['\r', '\n']).bytes().all(|b| b == b' ' || b == b'\t') {
            out.extend(line.chars().map(|c| if c == '\t' { ' ' } else { c }));
        } else {
            out.push_str(line);
        }
    }
    Cow::Owned(out)
}

/// Whether `text` holds `needle` (memchr's SIMD search: each of the html style's passes asks
/// first whether it has anything to do).
fn contains(text: &str, needle: &str) -> bool {
    memchr::memmem::find(text.as_bytes(), needle.as_bytes()).is_some()
}

/// Whether a line (without its ending) is blank: spaces and tabs only.
fn is_blank(line: &str) -> bool {
    line.bytes().all(|b| b == b' ' || b == b'\t')
}

/// The lines of `text`: each one's offset and content, without its ending (`\n`, `\r\n`, or a
/// `\r` alone, which CommonMark and mdtoc both take for a line ending).
fn lines_of(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut offset = 0;
    std::iter::from_fn(move || {
        let rest = &text[offset..];
        if rest.is_empty() {
            return None;
        }
        let start = offset;
        let (content, ending) = match memchr::memchr2(b'\n', b'\r', rest.as_bytes()) {
            None => (rest, 0),
            Some(end) if rest[end..].starts_with("\r\n") => (&rest[..end], 2),
            Some(end) => (&rest[..end], 1),
        };
        offset += content.len() + ending;
        Some((start, content))
    })
}

/// Html style: each `\r` alone read as `\n`. Both end a line for CommonMark and mdtoc (v1.4.0
/// normalizes line endings), but pulldown-cmark does not end an indented code block's line at a
/// `\r` alone (found by the `mdtoc` fuzz target), nor an HTML block's.
fn lone_crs_as_line_feeds(text: Cow<'_, str>) -> (Cow<'_, str>, bool) {
    if !text.contains('\r') {
        return (text, false);
    }
    let bytes = text.as_bytes();
    let lone: Vec<usize> =
        (0..bytes.len()).filter(|&at| bytes[at] == b'\r' && bytes.get(at + 1) != Some(&b'\n')).collect();
    bytes_read_as(text, &lone, b'\n')
}

/// Html style: code fences as gomarkdown pairs them. It opens a fence only where its closing line
/// follows (CommonMark: to the end of the document), with a one-word language at most, and
/// closes it only with exactly the same marker followed by spaces (CommonMark: as long or
/// longer, then spaces or tabs). Where CommonMark would open a fence gomarkdown does not, or
/// close one early, that line's first fence character is read as another (`lines_read_as_text`);
/// backticks in the language of a backtick fence (no fence for CommonMark) likewise. Found by the
/// `mdtoc` fuzz target (`~~~[` over `---`, a heading for mdtoc).
fn fences_as_gomarkdown(text: Cow<'_, str>) -> (Cow<'_, str>, bool) {
    use super::gomarkdown::{Fence, closes_fence, fence_opening};
    if !contains(&text, "```") && !contains(&text, "~~~") {
        return (text, false);
    }
    let lines: Vec<(usize, &[u8])> = lines_of(&text).map(|(offset, line)| (offset, line.as_bytes())).collect();
    // The lines each marker closes, in order: finding an opening's closing line is a search,
    // not a walk to the end of the document for each unclosed fence.
    let mut closing_lines: std::collections::HashMap<Fence, Vec<usize>> = std::collections::HashMap::new();
    for (at, (_, line)) in lines.iter().enumerate() {
        if let Some(fence) = fence_opening(line).filter(|&fence| closes_fence(line, fence)) {
            closing_lines.entry(fence).or_default().push(at);
        }
    }
    let indent = |line: &[u8]| line.iter().take_while(|&&b| b == b' ').count();
    let mut read_as_text = Vec::new();
    let mut at = 0;
    while at < lines.len() {
        let (offset, line) = lines[at];
        let opening = fence_opening(line);
        let closing = opening.and_then(|fence| {
            let candidates = closing_lines.get(&fence)?;
            candidates.get(candidates.partition_point(|&close| close <= at)).copied()
        });
        match (opening, closing) {
            (Some(fence), Some(close)) => {
                let marker_end = indent(line) + fence.len;
                if fence.char == b'`' {
                    let language = line[marker_end..].iter().enumerate().filter(|&(_, &b)| b == b'`');
                    read_as_text.extend(language.map(|(i, _)| offset + marker_end + i));
                }
                for &(inner_offset, inner) in &lines[at + 1..close] {
                    if commonmark_closes(inner, fence) {
                        read_as_text.push(inner_offset + indent(inner));
                    }
                }
                at = close + 1;
            }
            _ => {
                if commonmark_opens_fence(line) {
                    read_as_text.push(offset + indent(line));
                }
                at += 1;
            }
        }
    }
    lines_read_as_text(text, &read_as_text)
}

/// CommonMark's opening code fence: up to three spaces, three or more `` ` `` or `~`, and for
/// backticks an info string without one.
fn commonmark_opens_fence(line: &[u8]) -> bool {
    super::gomarkdown::fence_marker(line).is_some_and(|(fence, rest)| fence.char == b'~' || !rest.contains(&b'`'))
}

/// CommonMark's closing fence for `opening`: up to three spaces, as many of its character or more,
/// then spaces or tabs.
fn commonmark_closes(line: &[u8], opening: super::gomarkdown::Fence) -> bool {
    super::gomarkdown::fence_marker(line).is_some_and(|(fence, rest)| {
        fence.char == opening.char && fence.len >= opening.len && rest.iter().all(|&b| b == b' ' || b == b'\t')
    })
}

/// Html style: a line indented by one to three spaces and then a tab. The tab takes CommonMark to
/// the fourth column, an indented code block; gomarkdown's code needs a tab or four spaces first,
/// so for mdtoc the line is text (over `---`, a heading; found by the `mdtoc` fuzz target). The
/// tab is read as another character (`lines_read_as_text`), not a space: `  ```` would open a
/// fence gomarkdown does not see.
fn tab_after_spaces_as_text(text: Cow<'_, str>) -> (Cow<'_, str>, bool) {
    if !contains(&text, " \t") {
        return (text, false);
    }
    let mut tabs = Vec::new();
    for (offset, line) in lines_of(&text) {
        let spaces = line.bytes().take_while(|&b| b == b' ').count();
        if (1..=3).contains(&spaces) && line[spaces..].starts_with('\t') && !is_blank(line) {
            tabs.push(offset + spaces);
        }
    }
    lines_read_as_text(text, &tabs)
}

/// Html style: a line gomarkdown reads as a paragraph's text where CommonMark opens a block,
/// underlined with `===` or `---`, so that for mdtoc it is a setext heading and for GitHub not:
/// - a line that starts with an HTML comment and goes on after it (`<!-- c --> Title`):
///   CommonMark starts an HTML block at `<!--`; gomarkdown only when nothing follows the comment;
/// - an ATX heading indented by one to three spaces (` ## x`), or with no space after its `#`s
///   (`#`, `##\tx`): gomarkdown opens one only at the first column and with a space (found by the
///   `mdtoc` fuzz target);
/// - a list item marker with nothing after it (`-`, `1.`, `1)`) where a block starts:
///   gomarkdown's list items need a space or tab after the marker; at b8c54a57, any `1)` item
///   (its gomarkdown has only `.` for ordered lists).
///
/// And an underline on the last line, with no line ending after it, or indented by one to three
/// spaces, underlines nothing for gomarkdown: it is read as text.
///
/// Its `<`, first `#` or marker is read as another character (same offsets,
/// `lines_read_as_text`): the parser then sees the paragraph gomarkdown sees, and
/// `read_as_mdtoc` reads the heading from the document itself.
fn setext_text_as_paragraph(text: Cow<'_, str>, dialect: Dialect) -> (Cow<'_, str>, bool) {
    let is_underline = |(_, line): &(usize, &str)| {
        let marker = line.chars().next().filter(|c| *c == '=' || *c == '-');
        marker.is_some_and(|m| {
            let rest = line.trim_start_matches(m);
            rest.len() < line.len() && rest.bytes().all(|b| b == b' ')
        })
    };
    let mut read_as_text = Vec::new();
    let last_comment_close = memchr::memmem::rfind(text.as_bytes(), b"-->");
    {
        let mut lines = lines_of(&text).peekable();
        let mut block_start = true;
        let mut after_text = false;
        // Whether the text since the last block start began as a paragraph (not a list item, a
        // quote, code, a fence or HTML, whose lines gomarkdown reads in their own ways).
        let mut in_paragraph = false;
        // The list items in this paragraph's text, read as text only if an underline ends it:
        // elsewhere a list read as CommonMark reads it changes no heading gomarkdown sees, and
        // the text stays GitHub's (no second reading for `check`).
        let mut items_in_text = Vec::new();
        while let Some((line_offset, whole_line)) = lines.next() {
            // Inside a quote, its content: gomarkdown reads a quote's lines without their
            // prefixes as a document of their own, so blocks start and end there as they do
            // outside (`> ## x` then `-` over `-` is a heading `-`: found by the `mdtoc` fuzz
            // target). A lazy line has no prefix; it is content as it is.
            let prefixes = gomarkdown_quote_prefixes(whole_line);
            let (offset, line) = (line_offset + prefixes, &whole_line[prefixes..]);
            if block_start && !is_blank(whole_line) {
                in_paragraph =
                    starts_paragraph(whole_line) || html_gomarkdown_reads_as_paragraph(&text.as_bytes()[line_offset..]);
            }
            // gomarkdown (mdtoc's options) lets no list or HTML interrupt a paragraph: the line
            // is the paragraph's text, a setext heading's over an underline.
            let in_text = after_text && in_paragraph;
            if in_text && let Some(marker) = list_item_interrupting_paragraph(whole_line) {
                items_in_text.push(line_offset + marker);
            } else if in_text && let Some(marker) = html_block_interrupting_paragraph(whole_line) {
                read_as_text.push(line_offset + marker);
            } else if in_text && let Some(marker) = comment_never_closed(whole_line, line_offset, last_comment_close) {
                read_as_text.push(line_offset + marker);
            } else if lines
                .peek()
                .is_some_and(|&(at, next)| is_underline(&(at, &next[gomarkdown_quote_prefixes(next)..])))
            {
                let comment_led =
                    line.strip_prefix("<!--").and_then(|rest| rest.find("-->").map(|end| &rest[end + 3..]));
                if comment_led.is_some_and(|after| !after.trim().is_empty()) {
                    read_as_text.push(offset);
                } else if let Some(hash) = atx_opening_gomarkdown_reads_as_text(line) {
                    read_as_text.push(offset + hash);
                } else if block_start && let Some(marker) = empty_list_item_marker(line) {
                    read_as_text.push(offset + marker);
                } else if block_start
                    && dialect == Dialect::B8c54a57
                    && let Some(marker) = parenthesis_list_item_marker(line)
                {
                    read_as_text.push(offset + marker);
                }
            }
            // An ATX heading for CommonMark that is text for gomarkdown (`#` alone), further up
            // the paragraph than the line over the underline: its text too, read as text if an
            // underline ends the paragraph (`#`, `*` over `---`; found by the `mdtoc` fuzz target).
            if in_paragraph
                && prefixes == 0
                && let Some(hash) = atx_opening_gomarkdown_reads_as_text(line)
                && read_as_text.last() != Some(&(offset + hash))
            {
                items_in_text.push(offset + hash);
            }
            if !is_blank(line)
                && let Some((next_offset, next)) = lines.peek()
                && let next_prefixes = gomarkdown_quote_prefixes(next)
                && let Some(marker) = indented_underline_gomarkdown_reads_as_text(&next[next_prefixes..])
            {
                read_as_text.push(next_offset + next_prefixes + marker);
            }
            // A block starts after a blank line, an ATX heading (one line), an underline under
            // text (a setext heading's) and a rule; other lines are text, which may be underlined.
            let hashes = line.bytes().take_while(|&b| b == b'#').count();
            let atx = (1..=6).contains(&hashes) && line[hashes..].starts_with(' ');
            let underlined = is_underline(&(offset, line)) && after_text;
            let ends_block = is_blank(line) || atx || is_rule(line) || underlined;
            if underlined {
                read_as_text.append(&mut items_in_text);
            } else if ends_block {
                items_in_text.clear();
            }
            block_start = ends_block;
            after_text = !ends_block;
            if lines.peek().is_none() && is_underline(&(offset, line)) && offset + line.len() == text.len() {
                read_as_text.push(offset);
            }
        }
    }
    lines_read_as_text(text, &read_as_text)
}

/// How many bytes of `line` are quote prefixes gomarkdown takes off, one quote after another
/// (`quotePrefix`: up to three spaces, `>`, a space).
fn gomarkdown_quote_prefixes(line: &str) -> usize {
    let bytes = line.as_bytes();
    let mut at = 0;
    loop {
        let indent = bytes[at..].iter().take(3).take_while(|&&b| b == b' ').count();
        if bytes.get(at + indent) != Some(&b'>') {
            return at;
        }
        at += indent + 1;
        if bytes.get(at) == Some(&b' ') {
            at += 1;
        }
    }
}

/// gomarkdown's thematic break (`isHRule`): up to three spaces, then three or more of one of `*`,
/// `-`, `_`, with spaces only between and after them.
fn is_rule(line: &str) -> bool {
    // Called for every line by several passes: one look at the first mark settles most lines.
    let bytes = line.as_bytes();
    let indent = bytes.iter().take(3).take_while(|&&b| b == b' ').count();
    let Some(&mark) = bytes.get(indent).filter(|b| matches!(b, b'*' | b'-' | b'_')) else { return false };
    let mut marks = 0;
    for &b in &bytes[indent..] {
        if b == mark {
            marks += 1;
        } else if b != b' ' {
            return false;
        }
    }
    marks >= 3
}

/// Whether a line that starts a block starts a paragraph for CommonMark and gomarkdown alike:
/// indented by at most three spaces, and no list item, quote, fence or HTML.
fn starts_paragraph(line: &str) -> bool {
    let indent = line.bytes().take_while(|&b| b == b' ').count();
    let rest = &line[indent..];
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let marker = match rest.as_bytes().first() {
        Some(b'-' | b'*' | b'+') => 1,
        Some(b'0'..=b'9') if digits <= 9 && rest[digits..].starts_with(['.', ')']) => digits + 1,
        _ => 0,
    };
    let list_item = marker > 0 && (rest.len() == marker || rest[marker..].starts_with([' ', '\t']));
    indent <= 3 && !list_item && !rest.starts_with(['>', '<', '\t', '`', '~'])
}

/// Whether `data`, from a line that starts a block with `<` (up to three spaces first), starts a
/// paragraph for gomarkdown: HTML indented, or not one of its blocks (`<co`, `<span>`, `<?`; found
/// by the `mdtoc` fuzz target). Comments and `<hr>` are left to the other passes.
fn html_gomarkdown_reads_as_paragraph(data: &[u8]) -> bool {
    let indent = data.iter().take(4).take_while(|&&b| b == b' ').count();
    let rest = &data[indent..];
    if indent > 3 || rest.first() != Some(&b'<') {
        return false;
    }
    let comment_or_rule = rest.starts_with(b"<!--") || rest.get(..3).is_some_and(|s| s.eq_ignore_ascii_case(b"<hr"));
    indent > 0 || !comment_or_rule && !gomarkdown_html_block(rest)
}

/// Where the `<` is, if `line` (at `offset`) opens a comment that nothing closes (no `-->` from
/// its `<!` on, `last_close` being the last in the text): under a paragraph's line, HTML to the
/// end of the document for CommonMark, that paragraph's text for gomarkdown (found by the
/// `mdtoc` fuzz target). A comment closed further down stays HTML: a line-by-line reading cannot
/// tell one that opens from one inside another (k/e's KEPs have both).
fn comment_never_closed(line: &str, offset: usize, last_close: Option<usize>) -> Option<usize> {
    let indent = line.bytes().take_while(|&b| b == b' ').count();
    let opens = indent <= 3 && line[indent..].starts_with("<!--");
    (opens && last_close.is_none_or(|close| close < offset + indent + 2)).then_some(indent)
}

/// Where the marker is, if `line` opens a list item that may interrupt a paragraph in
/// CommonMark: up to three spaces, `-`, `*` or `+`, or `1.` or `1)`, then a space or tab and
/// some text (and no thematic break).
fn list_item_interrupting_paragraph(line: &str) -> Option<usize> {
    let indent = line.bytes().take_while(|&b| b == b' ').count();
    let rest = &line[indent..];
    let marker_len = if rest.starts_with(['-', '*', '+']) {
        1
    } else if rest.starts_with("1.") || rest.starts_with("1)") {
        2
    } else {
        return None;
    };
    let after = &rest[marker_len..];
    let bullet = rest.as_bytes()[0];
    let rule = marker_len == 1
        && rest.bytes().filter(|&b| b == bullet).count() >= 3
        && rest.bytes().all(|b| b == bullet || b == b' ' || b == b'\t');
    (indent <= 3 && after.starts_with([' ', '\t']) && !is_blank(after) && !rule).then_some(indent)
}

/// Where the first marker is, if `line` is an underline CommonMark takes after text and gomarkdown
/// does not: one to three spaces, then `=`s or `-`s, then spaces. (` ---` is a rule for
/// gomarkdown; read as text, it ends no paragraph, but the heading mdtoc may see under it is its
/// last line all the same.)
fn indented_underline_gomarkdown_reads_as_text(line: &str) -> Option<usize> {
    let indent = line.bytes().take_while(|&b| b == b' ').count();
    let rest = line[indent..].trim_end_matches(' ');
    let underline = !rest.is_empty() && (rest.bytes().all(|b| b == b'=') || rest.bytes().all(|b| b == b'-'));
    ((1..=3).contains(&indent) && underline).then_some(indent)
}

/// Where the marker is, if `line` is a list item marker alone (up to three spaces, then `-`, `*`,
/// `+`, or one to nine digits and `.` or `)`): an empty list item for CommonMark.
fn empty_list_item_marker(line: &str) -> Option<usize> {
    let indent = line.bytes().take_while(|&b| b == b' ').count();
    let marker = &line[indent..];
    let digits = marker.bytes().take_while(u8::is_ascii_digit).count();
    let ordered = (1..=9).contains(&digits) && matches!(&marker[digits..], "." | ")");
    (indent <= 3 && (matches!(marker, "-" | "*" | "+") || ordered)).then_some(indent)
}

/// Where the marker is, if `line` opens an ordered list item with `)` for CommonMark (up to three
/// spaces, one to nine digits, `)`, then a space, a tab or the line's end).
fn parenthesis_list_item_marker(line: &str) -> Option<usize> {
    let indent = line.bytes().take_while(|&b| b == b' ').count();
    let digits = line[indent..].bytes().take_while(u8::is_ascii_digit).count();
    let after = &line[indent + digits..];
    let opens = after.strip_prefix(')').is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']));
    (indent <= 3 && (1..=9).contains(&digits) && opens).then_some(indent)
}

/// Where the first `#` is, if `line` opens an ATX heading for CommonMark (up to three spaces, one
/// to six `#`s, then a space, a tab or the line's end) but not for gomarkdown (no space before
/// the `#`s, a space after them).
fn atx_opening_gomarkdown_reads_as_text(line: &str) -> Option<usize> {
    let indent = line.bytes().take_while(|&b| b == b' ').count();
    let hashes = line[indent..].bytes().take_while(|&b| b == b'#').count();
    let after = line.as_bytes().get(indent + hashes);
    let commonmark = indent <= 3 && (1..=6).contains(&hashes) && after.is_none_or(|b| b" \t\r\n".contains(b));
    let gomarkdown = indent == 0 && after == Some(&b' ');
    (commonmark && !gomarkdown).then_some(indent)
}

/// Html style: the first line of or after a paragraph (`paragraph`, in `text`) inside `depth`
/// quotes that gomarkdown reads as its underline and CommonMark does not: `=`s or `-`s, then
/// spaces and a line feed, right after fewer of the quotes' prefixes (up to three spaces, `>`, a
/// space) than `depth`. gomarkdown's quote takes every line up to a blank one, without the
/// prefix if it has one and as it is if not, so the underline makes the paragraph's last line a
/// heading (`> text` over `---`; found by the `mdtoc` fuzz target); CommonMark takes no underline
/// lazily (`---` is a rule, `===` text). Where its first mark is, and how many `>`s put it in the
/// quote for CommonMark too. One at a time: the paragraph's lines after it are not the quote's
/// for CommonMark then, and the next reading of the view finds the next one.
fn lazy_underline_in_quote(text: &str, paragraph: Range<usize>, depth: usize) -> Option<(usize, usize)> {
    // The end of the paragraph's last line (after its line feed); `paragraph.end` may be right
    // after a line feed or before one, never inside a character.
    let lines_end = if text[..paragraph.end].ends_with('\n') {
        paragraph.end
    } else {
        paragraph.end + text[paragraph.end..].find('\n')? + 1
    };
    let mut offset = text[..paragraph.start].rfind('\n').map_or(0, |at| at + 1);
    // The paragraph's lines after its first, and the line after them.
    loop {
        offset += text[offset..].find('\n')? + 1;
        if offset > lines_end {
            return None;
        }
        let line = &text[offset..offset + text[offset..].find('\n')?];
        let line = line.strip_suffix('\r').unwrap_or(line);
        let mut rest = line;
        let mut prefixes = 0;
        while prefixes < depth {
            let indent = rest.bytes().take(3).take_while(|&b| b == b' ').count();
            let Some(after) = rest[indent..].strip_prefix('>') else { break };
            rest = after.strip_prefix(' ').unwrap_or(after);
            prefixes += 1;
        }
        let mark = rest.bytes().next().filter(|&b| b == b'=' || b == b'-');
        let underline = mark.is_some_and(|mark| {
            let marks = rest.bytes().take_while(|&b| b == mark).count();
            rest[marks..].bytes().all(|b| b == b' ')
        });
        if prefixes < depth && underline {
            return Some((offset + line.len() - rest.len(), depth - prefixes));
        }
    }
}

/// A link reference definition gomarkdown reads: lower-cased label, destination, title.
type GomarkdownReference = (String, (String, String));

/// Html style: link reference definitions gomarkdown reads where CommonMark reads text: right
/// under a paragraph's line (gomarkdown ends the paragraph there; in CommonMark a definition
/// cannot interrupt one) or with a control character in the destination (CommonMark's have
/// none). Where an underline follows (or a control character is in it) its lines are read as
/// blank, so the paragraph above ends and the next line starts a block for the parser too (`---`
/// under one is a rule, which may open a title block, not an underline: found by the `mdtoc`
/// fuzz target); the definitions are returned for mdtoc's links.
/// Where a block starts, the paragraph state is CommonMark's, tracked line by line.
fn references_gomarkdown_reads(text: Cow<'_, str>) -> (Cow<'_, str>, bool, Vec<GomarkdownReference>) {
    use super::gomarkdown::{fence_marker, reference};
    if !contains(&text, "]:") {
        return (text, false, Vec::new());
    }
    let mut blanked = Vec::new();
    let mut read = Vec::new();
    let (mut in_paragraph, mut in_html, mut fence) = (false, false, None);
    let mut consumed_to = 0;
    for (offset, line) in lines_of(&text) {
        if offset < consumed_to {
            continue;
        }
        if let Some(open) = fence {
            if commonmark_closes(line.as_bytes(), open) {
                fence = None;
            }
            continue;
        }
        if is_blank(line) {
            (in_paragraph, in_html) = (false, false);
            continue;
        }
        let indent = line.bytes().take_while(|&b| b == b' ').count();
        if in_html || (!in_paragraph && (indent >= 4 || line[indent..].starts_with('\t'))) {
            continue;
        }
        let rest = &line[indent.min(3)..];
        if indent <= 3 {
            if let Some((opening, _)) =
                fence_marker(line.as_bytes()).filter(|_| commonmark_opens_fence(line.as_bytes()))
            {
                (fence, in_paragraph) = (Some(opening), false);
                continue;
            }
            let underlined = in_paragraph && is_underline_line(line);
            if is_atx_line(line) || is_rule(line) || underlined || rest.contains('|') {
                in_paragraph = false;
                continue;
            }
            if rest.starts_with('<') && !in_paragraph {
                in_html = true;
                continue;
            }
        }
        let Some(found) = reference(&text.as_bytes()[offset..]) else {
            in_paragraph = true;
            continue;
        };
        let span = |range: &Range<usize>| text[offset + range.start..offset + range.end].to_owned();
        let destination = span(&found.destination);
        consumed_to = offset + found.end;
        let control = destination.bytes().any(|b| b.is_ascii_control());
        if in_paragraph || control {
            // Under a paragraph's line the definition ends it for gomarkdown, which changes a
            // heading only where an underline follows; elsewhere the text stays CommonMark's
            // (and GitHub's, read once for `check`).
            let after = &text[consumed_to..];
            let next = after.strip_prefix("\r\n").or(after.strip_prefix(['\n', '\r'])).unwrap_or(after);
            if control || is_underline_line(&next[..next.find(['\n', '\r']).unwrap_or(next.len())]) {
                blanked.push(offset..consumed_to);
            }
            read.push((span(&found.label).to_lowercase(), (destination, span(&found.title))));
        }
        in_paragraph = false;
    }
    if blanked.is_empty() {
        return (text, false, read);
    }
    let mut bytes = text.into_owned().into_bytes();
    for range in blanked {
        for byte in &mut bytes[range] {
            if !matches!(*byte, b'\n' | b'\r') {
                *byte = b' ';
            }
        }
    }
    (Cow::Owned(String::from_utf8(bytes).expect("whole lines made spaces")), true, read)
}

/// Html style: a one-column table whose delimiter row has no pipe (`|a` or `a|` over `---`), which
/// gomarkdown reads as a table where a block starts, and pulldown-cmark as a setext heading
/// (found by the `mdtoc` fuzz target). The delimiter row's first character is read as a pipe
/// (`bytes_read_as`), which makes it a table for the parser too.
fn one_column_tables_as_gomarkdown(text: Cow<'_, str>, dialect: Dialect) -> (Cow<'_, str>, bool) {
    if memchr::memchr(b'|', text.as_bytes()).is_none() {
        return (text, false);
    }
    let is_delimiter = |line: &str| {
        let cell = line.trim_matches(' ');
        let cell = cell.strip_suffix('|').unwrap_or(cell).trim_end_matches(' ');
        let cell = cell.trim_start_matches(':').trim_end_matches(':');
        line.starts_with(['-', ':']) && cell.len() >= 2 && cell.bytes().all(|b| b == b'-')
    };
    let mut delimiters = Vec::new();
    {
        let mut lines = lines_of(&text).peekable();
        let mut block_starts = BlockStarts::default();
        while let Some((_, line)) = lines.next() {
            let at_block_start = block_starts.at(line);
            // gomarkdown's column count: one more than the pipes, less a pipe that starts the line
            // and one that ends it (on a line longer than two bytes).
            let one_column = || {
                let bytes = line.as_bytes();
                let pipe = |at: usize| bytes[at] == b'|' && !super::gomarkdown::is_backslash_escaped(bytes, at);
                let pipes = (0..bytes.len()).filter(|&at| pipe(at)).count();
                let leading = usize::from(line.starts_with('|'));
                let trailing = usize::from(bytes.len() > 2 && pipe(bytes.len() - 1));
                pipes >= 1 && pipes == leading + trailing
            };
            // At v1.4.0's gomarkdown a table ends a paragraph too; the older one's starts a block
            // only (`text`, `|a`, `---`: found by the `mdtoc` fuzz target).
            if (at_block_start || dialect == Dialect::V1_4_0)
                && memchr::memchr(b'|', line.as_bytes()).is_some()
                && one_column()
                && let Some(&(offset, next)) = lines.peek()
                && is_delimiter(next)
                && text[offset + next.len()..].starts_with(['\n', '\r'])
            {
                delimiters.push(offset);
            }
        }
    }
    bytes_read_as(text, &delimiters, b'|')
}

/// Html style: form feeds and vertical tabs where they are white space for pulldown-cmark only
/// (see `block_feeds`; a line of them over `===` is an empty heading mdtoc lists; found by the
/// `mdtoc` fuzz target), read as another character (`lines_read_as_text`).
fn feed_lines_as_text(text: Cow<'_, str>) -> (Cow<'_, str>, bool) {
    let feeds = block_feeds(&text);
    lines_read_as_text(text, &feeds)
}

/// The form feeds and vertical tabs at a line's edges: before its first character other than
/// white space and block markers (`#`, `>`, `-`, `*`, `+`, `=`, digits, `.`, `)`, fences), or
/// after its last. pulldown-cmark takes them for spaces there (a line of them for a blank line,
/// `-\f` for an underline, `#\fx` for a heading); CommonMark, gomarkdown and micromark count only
/// spaces and tabs, so for them each is a character of the text (found by the `mdtoc` and
/// `doctoc` fuzz targets). Those between words are left: in a link's destination, one ends it for
/// every parser.
pub(crate) fn block_feeds(text: &str) -> Vec<usize> {
    if memchr::memchr2(0x0b, 0x0c, text.as_bytes()).is_none() {
        return Vec::new();
    }
    let is_feed = |b: u8| b == 0x0b || b == 0x0c;
    let mut feeds = Vec::new();
    for (offset, line) in lines_of(text) {
        let bytes = line.as_bytes();
        let lead = bytes
            .iter()
            .take_while(|&&b| {
                matches!(
                    b,
                    b' ' | b'\t' | 0x0b | 0x0c | b'#' | b'>' | b'-' | b'*' | b'+' | b'=' | b'.' | b')' | b'`' | b'~'
                ) || b.is_ascii_digit()
            })
            .count();
        let trail = bytes.len() - bytes.iter().rev().take_while(|&&b| matches!(b, b' ' | b'\t' | 0x0b | 0x0c)).count();
        feeds.extend(
            (0..bytes.len()).filter(|&at| is_feed(bytes[at]) && (at < lead || at >= trail)).map(|at| offset + at),
        );
    }
    feeds
}

/// `text` with the ASCII byte at each offset (a `<`, a `#`, a fence's `` ` `` or `~`, a tab, a list
/// marker, a form feed or a vertical tab) read as another
/// character: `&`, not a letter, so that a heading's letters (its section key) stay those of its
/// source. `true` where any was.
fn lines_read_as_text<'a>(text: Cow<'a, str>, offsets: &[usize]) -> (Cow<'a, str>, bool) {
    bytes_read_as(text, offsets, b'&')
}

/// `text` with the ASCII byte at each offset read as `byte`. `true` where any was.
pub(in crate::toc) fn bytes_read_as<'a>(text: Cow<'a, str>, offsets: &[usize], byte: u8) -> (Cow<'a, str>, bool) {
    if offsets.is_empty() {
        return (text, false);
    }
    let mut bytes = text.into_owned().into_bytes();
    for &at in offsets {
        debug_assert!(bytes[at].is_ascii());
        bytes[at] = byte;
    }
    (Cow::Owned(String::from_utf8(bytes).expect("one ASCII byte replaced by another")), true)
}

/// The tags gomarkdown (at the commits both mdtoc pins use) takes a block of HTML for.
const GOMARKDOWN_BLOCK_TAGS: [&str; 43] = [
    "blockquote",
    "del",
    "dd",
    "div",
    "dl",
    "dt",
    "fieldset",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "iframe",
    "ins",
    "li",
    "math",
    "noscript",
    "ol",
    "pre",
    "p",
    "script",
    "style",
    "table",
    "ul",
    "address",
    "article",
    "aside",
    "canvas",
    "details",
    "dialog",
    "figcaption",
    "figure",
    "footer",
    "header",
    "hgroup",
    "main",
    "nav",
    "output",
    "progress",
    "section",
    "video",
];

/// Html style: a line that starts a block with a tag (`<h1>`, `</div>`, `<span>`) is an HTML
/// block for CommonMark up to the next blank line; gomarkdown makes one only of its block tags,
/// and only where the matching `</tag>` ends a line with a blank line (or the end) after it.
/// Otherwise it is a paragraph, so `<h1>` over `---` is a setext heading mdtoc lists, and a
/// heading right after `<div>` is one (found by the `mdtoc` fuzz target). Likewise a comment
/// gomarkdown does not end with a line's end (`<!--` never closed: for CommonMark, a block to the
/// end of the document). Such a line's `<` is read as another character (`lines_read_as_text`).
/// Only lines after a blank line (or first) at the first column: where gomarkdown starts a block.
/// `<hr>` is left to the parser.
fn html_gomarkdown_does_not_close_as_paragraph(text: Cow<'_, str>) -> (Cow<'_, str>, bool) {
    if !contains(&text, "\n<") && !text.starts_with('<') {
        return (text, false);
    }
    let data = text.as_bytes();
    let mut paragraphs = Vec::new();
    let mut block_starts = BlockStarts::default();
    for (offset, line) in lines_of(&text) {
        let at_block_start = block_starts.at(line);
        // Indented by one to three spaces: an HTML block for CommonMark, never for gomarkdown,
        // which starts them at the first column only (found by the `mdtoc` fuzz target).
        let indent = line.bytes().take_while(|&b| b == b' ').count();
        if (1..=3).contains(&indent) && line[indent..].starts_with('<') {
            let rest = &line[indent..];
            let block = rest.starts_with("<!") || rest.starts_with("<?") || starts_commonmark_html_block(rest);
            if at_block_start && (block || starts_commonmark_html_kind_1(rest)) {
                paragraphs.push(offset + indent);
            }
            continue;
        }
        // Only where a block starts with `<` (each test below may read far ahead).
        let paragraph = if !at_block_start || !line.starts_with('<') {
            false
        } else if line.starts_with("<!--") {
            !gomarkdown_comment_block(&data[offset..])
        } else if line.starts_with("<?") || line.starts_with("<!") {
            // CommonMark's kinds 3 to 5 (`<?`, `<!` and a letter, `<![CDATA[`): no block for
            // gomarkdown, which knows no such tag (found by the `mdtoc` fuzz target).
            line.starts_with("<?")
                || line.starts_with("<![CDATA[")
                || line[2..].starts_with(|c: char| c.is_ascii_alphabetic())
        } else {
            // A kind 1 block too (`<pre>`, `<style>`): CommonMark runs one to its end tag or the
            // end of the document, gomarkdown reads text where its tag is not closed.
            (starts_commonmark_html_block(line) || starts_commonmark_html_kind_1(line))
                && !gomarkdown_html_block(&data[offset..])
        };
        if at_block_start && paragraph {
            paragraphs.push(offset);
        }
    }
    lines_read_as_text(text, &paragraphs)
}

/// Where blocks start, line by line, for both parsers alike: at the first line, and after a blank
/// line, an ATX heading, a rule or a setext underline (`##### ` then `<?`, `# t` then a table:
/// found by the `mdtoc` fuzz target).
struct BlockStarts {
    next_starts_block: bool,
    after_text: bool,
}

impl Default for BlockStarts {
    fn default() -> Self {
        BlockStarts { next_starts_block: true, after_text: false }
    }
}

impl BlockStarts {
    /// Whether a block starts at `line`, the next line of the text.
    fn at(&mut self, line: &str) -> bool {
        let starts = self.next_starts_block;
        self.next_starts_block =
            is_blank(line) || is_atx_line(line) || is_rule(line) || self.after_text && is_underline_line(line);
        self.after_text = !self.next_starts_block;
        starts
    }
}

/// An ATX heading's line for CommonMark: up to three spaces, one to six `#`s, then white space or
/// the line's end.
fn is_atx_line(line: &str) -> bool {
    let rest = line.trim_start_matches(' ');
    let hashes = rest.bytes().take_while(|&b| b == b'#').count();
    line.len() - rest.len() <= 3
        && (1..=6).contains(&hashes)
        && rest[hashes..].bytes().next().is_none_or(|b| b == b' ' || b == b'\t')
}

/// A setext underline's line: up to three spaces, `=`s or `-`s, then spaces or tabs.
fn is_underline_line(line: &str) -> bool {
    let bytes = line.as_bytes();
    let indent = bytes.iter().take_while(|&&b| b == b' ').count();
    let Some(&mark) = bytes.get(indent).filter(|b| matches!(b, b'=' | b'-')) else { return false };
    let marks = bytes[indent..].iter().take_while(|&&b| b == mark).count();
    indent <= 3 && bytes[indent + marks..].iter().all(|&b| b == b' ' || b == b'\t')
}

/// gomarkdown's `htmlComment`: whether `data` (from a line starting with `<!--`) starts a block
/// of HTML: a `-->` (looked for from the sixth byte) with nothing but spaces and tabs after it on
/// its line, and something after it (a line's end, or those spaces).
fn gomarkdown_comment_block(data: &[u8]) -> bool {
    if data.len() < 5 || !data.starts_with(b"<!--") {
        return false;
    }
    let Some(end) = (5..data.len()).find(|&i| data[i - 2..=i] == *b"-->") else { return false };
    let rest = &data[end + 1..];
    !rest.is_empty() && rest.iter().find(|&&b| b != b' ' && b != b'\t').is_none_or(|&b| b == b'\n' || b == b'\r')
}

/// CommonMark's HTML blocks of kinds 6 (a block tag, opening or closing) and 7 (one tag alone on
/// its line) that start at the first column: those a blank line ends, where gomarkdown differs.
/// Comments, `<hr>` and kind 1 (`<pre>`, `<script>`, `<style>`, `<textarea>`) are left alone.
fn starts_commonmark_html_block(line: &str) -> bool {
    commonmark_html_kind_6_or_7(line).is_some()
}

/// Where the `<` is, if `line` starts an HTML block that may interrupt a paragraph in CommonMark,
/// a comment aside (kinds 1 and 3 to 6: up to three spaces, then `<pre`, `<script`, `<style`,
/// `<textarea`, `<?`, `<!` and a letter, `<![CDATA[`, or a block tag).
fn html_block_interrupting_paragraph(line: &str) -> Option<usize> {
    let indent = line.bytes().take_while(|&b| b == b' ').count();
    let rest = &line[indent..];
    if indent > 3 || !rest.starts_with('<') {
        return None;
    }
    let kind_1 = starts_commonmark_html_kind_1(rest);
    // Comments (kind 2) stay blocks: TOC markers are comments, and the scan finds them as HTML.
    let kinds_3_to_5 = rest.starts_with("<?")
        || rest.strip_prefix("<!").is_some_and(|after| after.starts_with(|c: char| c.is_ascii_alphabetic()))
        || rest.starts_with("<![CDATA[");
    let kind_6 = commonmark_html_kind_6_or_7(rest) == Some(6);
    (indent <= 3 && (kind_1 || kinds_3_to_5 || kind_6)).then_some(indent)
}

/// CommonMark's HTML block of kind 1 at the first column: `<pre`, `<script`, `<style` or
/// `<textarea` (any case), then white space (a form feed or vertical tab too, as pulldown-cmark
/// reads it), `>` or the line's end.
fn starts_commonmark_html_kind_1(line: &str) -> bool {
    ["<pre", "<script", "<style", "<textarea"].iter().any(|tag| {
        line.get(..tag.len()).is_some_and(|start| start.eq_ignore_ascii_case(tag)) && {
            let after = &line[tag.len()..];
            after.is_empty() || after.starts_with([' ', '\t', '>', '\x0b', '\x0c'])
        }
    })
}

/// Whether `name` is one of CommonMark's block tags (an HTML block of kind 6 starts with it), in
/// any case.
pub(crate) fn is_block_tag_name(name: &str) -> bool {
    name.eq_ignore_ascii_case("hr") || commonmark_html_kind_6_or_7(&format!("<{name}>")) == Some(6)
}

/// 6 or 7: the kind of CommonMark HTML block `line` starts at its first column, of those two.
fn commonmark_html_kind_6_or_7(line: &str) -> Option<u8> {
    const KIND_6: [&str; 62] = [
        "address",
        "article",
        "aside",
        "base",
        "basefont",
        "blockquote",
        "body",
        "caption",
        "center",
        "col",
        "colgroup",
        "dd",
        "details",
        "dialog",
        "dir",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "frame",
        "frameset",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "head",
        "header",
        "html",
        "iframe",
        "legend",
        "li",
        "link",
        "main",
        "menu",
        "menuitem",
        "nav",
        "noframes",
        "ol",
        "optgroup",
        "option",
        "p",
        "param",
        "search",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "title",
        "tr",
        "track",
        "ul",
        "hgroup",
    ];
    let rest = line.strip_prefix('<')?;
    let rest = rest.strip_prefix('/').unwrap_or(rest);
    let name_len = rest.bytes().take_while(|b| b.is_ascii_alphanumeric()).count();
    if name_len == 0 || !rest.as_bytes()[0].is_ascii_alphabetic() {
        return None;
    }
    let name = rest[..name_len].to_ascii_lowercase();
    if matches!(name.as_str(), "hr" | "pre" | "script" | "style" | "textarea") {
        return None;
    }
    let after = &rest[name_len..];
    if KIND_6.contains(&name.as_str())
        && (after.is_empty() || after.starts_with([' ', '\t', '\n', '\r', '>']) || after.starts_with("/>"))
    {
        return Some(6);
    }
    let trimmed = line.trim_end();
    let kind_7 = trimmed.ends_with('>') && trimmed.matches('<').count() == 1 && trimmed.matches('>').count() == 1;
    kind_7.then_some(7)
}

/// gomarkdown's `html`: whether `data` (from a line starting with `<` to the end) starts a block
/// of HTML: a block tag whose `</tag>` is followed by a blank rest of line and a blank line or
/// the end (`ins` and `del` never).
fn gomarkdown_html_block(data: &[u8]) -> bool {
    let name_len = data[1..].iter().take_while(|b| b.is_ascii_alphanumeric()).count();
    let tag = &data[1..1 + name_len];
    if !GOMARKDOWN_BLOCK_TAGS.iter().any(|t| t.as_bytes() == tag) || tag == b"ins" || tag == b"del" {
        return false;
    }
    let mut close = b"</".to_vec();
    close.extend_from_slice(tag);
    close.push(b'>');
    // `IsEmpty`: spaces and tabs to a newline (included), or to the end if any; 0 otherwise.
    let blank = |rest: &[u8]| -> usize {
        let i = rest.iter().take_while(|&&b| b != b'\n').count();
        if rest[..i].iter().any(|&b| b != b' ' && b != b'\t') {
            return 0;
        }
        if i < rest.len() { i + 1 } else { i }
    };
    let mut i = 1;
    while i < data.len() {
        i += 1;
        while i < data.len() && !(data[i - 1] == b'<' && data[i] == b'/') {
            i += 1;
        }
        if i + 2 + tag.len() >= data.len() {
            return false;
        }
        let at = &data[i - 1..];
        if at.starts_with(&close) {
            let rest = &at[close.len()..];
            let skip = blank(rest);
            if skip > 0 && (skip >= rest.len() || blank(&rest[skip..]) > 0) {
                return true;
            }
        }
    }
    false
}

struct HeadingBuilder {
    level: u8,
    span: Range<usize>,
    seen_by_mdtoc: bool,
    style: TocStyle,
    /// The rendered text, for the slug.
    text: String,
    /// Where this heading's link text starts in the arena.
    link_text_start: usize,
    /// Inside an image: its alt text contributes nothing.
    image_depth: usize,
    /// Inside a link: bare URLs are not autolinked again.
    link_depth: usize,
}

/// Builds one heading at a time; its buffers are reused from heading to heading.
impl HeadingBuilder {
    fn new(style: TocStyle) -> Self {
        HeadingBuilder {
            level: 0,
            span: 0..0,
            seen_by_mdtoc: false,
            style,
            text: String::new(),
            link_text_start: 0,
            image_depth: 0,
            link_depth: 0,
        }
    }

    fn start(&mut self, level: u8, span: Range<usize>, seen_by_mdtoc: bool, arena: &str) {
        self.level = level;
        self.span = span;
        self.seen_by_mdtoc = seen_by_mdtoc;
        self.text.clear();
        self.link_text_start = arena.len();
        self.image_depth = 0;
        self.link_depth = 0;
    }

    fn push(&mut self, doc: &str, event: Event<'_>, range: Range<usize>, out: &mut String) {
        if self.image_depth > 0 {
            match event {
                Event::Start(Tag::Image { .. }) => self.image_depth += 1,
                Event::End(TagEnd::Image) => self.image_depth -= 1,
                _ => {}
            }
            return;
        }
        let markdown = self.style == TocStyle::Markdown;
        match event {
            Event::Text(text) => {
                self.text.push_str(&text);
                if markdown {
                    escape_markdown(out, &text);
                } else if self.link_depth > 0 {
                    escape_html(out, &text);
                } else {
                    autolink_html(out, &text);
                }
            }
            Event::Code(code) => {
                self.text.push_str(&code);
                if markdown {
                    // The code span as written (same backtick fence), line endings folded to spaces.
                    for (i, line) in doc[range].lines().enumerate() {
                        if i > 0 {
                            out.push(' ');
                        }
                        out.push_str(line);
                    }
                } else {
                    out.push_str("<code>");
                    escape_html(out, &code);
                    out.push_str("</code>");
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                // GitHub's text has a newline here, which the slug drops.
                self.text.push('\n');
                out.push(' ');
            }
            Event::InlineHtml(html) | Event::Html(html) if !markdown => out.push_str(&html),
            Event::Start(Tag::Emphasis) => out.push_str(if markdown { "*" } else { "<em>" }),
            Event::End(TagEnd::Emphasis) => out.push_str(if markdown { "*" } else { "</em>" }),
            Event::Start(Tag::Strong) => out.push_str(if markdown { "**" } else { "<strong>" }),
            Event::End(TagEnd::Strong) => out.push_str(if markdown { "**" } else { "</strong>" }),
            Event::Start(Tag::Strikethrough) => out.push_str(if markdown { "~~" } else { "<del>" }),
            Event::End(TagEnd::Strikethrough) => out.push_str(if markdown { "~~" } else { "</del>" }),
            Event::Start(Tag::Link { dest_url, title, .. }) => {
                self.link_depth += 1;
                if !markdown {
                    out.push_str("<a href=\"");
                    escape_html(out, &dest_url);
                    if !title.is_empty() {
                        out.push_str("\" title=\"");
                        escape_html(out, &title);
                    }
                    out.push_str("\">");
                }
            }
            Event::End(TagEnd::Link) => {
                self.link_depth = self.link_depth.saturating_sub(1);
                if !markdown {
                    out.push_str("</a>");
                }
            }
            Event::Start(Tag::Image { .. }) => self.image_depth = 1,
            _ => {}
        }
    }

    fn finish(&mut self, arena: &mut String) -> Heading {
        let written = &arena[self.link_text_start..];
        let kept = match self.style {
            TocStyle::Html => written.trim(),
            _ => written.trim_end(),
        };
        let start = self.link_text_start
            + (written.len() - written.trim_start().len()) * usize::from(self.style == TocStyle::Html);
        let link_text = start..start + kept.len();
        let text_start = arena.len();
        arena.push_str(&self.text);
        let slug_start = arena.len();
        slugify_into(&self.text, arena);
        Heading {
            text: Span::of(text_start..slug_start),
            level: self.level,
            span: Span::of(self.span.clone()),
            slug: Span::of(slug_start..arena.len()),
            link_text: Span::of(link_text),
            anchor: Span::default(),
            mdtoc_slug: Span::default(),
            seen_by_mdtoc: self.seen_by_mdtoc,
        }
    }
}

/// Adds the values of `id="..."` and `name="..."` attributes in a piece of HTML.
fn collect_html_ids(html: &str, ids: &mut Vec<String>) {
    for attribute in ["id=", "name="] {
        let mut rest = html;
        while let Some(at) = rest.find(attribute) {
            let preceded_by_space = rest[..at].ends_with(|c: char| c.is_ascii_whitespace());
            rest = &rest[at + attribute.len()..];
            let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else { continue };
            let Some(end) = rest[1..].find(quote) else { break };
            if preceded_by_space {
                ids.push(rest[1..1 + end].to_owned());
            }
            rest = &rest[1 + end..];
        }
    }
}

/// An ATX heading (`## x`) whose `#` is indented within its container (` ## x`, `>  ## x`).
fn is_indented_atx(doc: &str, heading: Range<usize>) -> bool {
    let heading_start = heading.start;
    // A setext heading may start with `#`s too where the parser saw them as text (` ##` over
    // `===`, see `setext_text_as_paragraph`); an ATX heading is one line.
    if doc[heading].trim_end_matches(['\n', '\r']).contains(['\n', '\r']) {
        return false;
    }
    let rest = &doc[heading_start..];
    let hashes = rest.len() - rest.trim_start_matches('#').len();
    let is_atx = (1..=6).contains(&hashes)
        && rest[hashes..].chars().next().is_none_or(|c| matches!(c, ' ' | '\t' | '\r' | '\n'));
    if !is_atx {
        return false;
    }
    let before = &doc[..heading_start];
    let spaces = before.len() - before.trim_end_matches(' ').len();
    match before[..before.len() - spaces].chars().next_back() {
        None | Some('\n') => spaces > 0,
        Some('>') => spaces > 1,
        Some(_) => false,
    }
}

/// Backslash-escapes what would otherwise change how link text renders.
fn escape_markdown(out: &mut String, text: &str) {
    for c in text.chars() {
        if matches!(c, '\\' | '[' | ']' | '<' | '>' | '*' | '_' | '&' | '`') {
            out.push('\\');
        }
        out.push(c);
    }
}

/// gomarkdown's escaping of text: `& < > "`.
fn escape_html(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
}

/// Escapes text as HTML, turning bare `http://`, `https://` and `ftp://` URLs into links the
/// way mdtoc's parser (gomarkdown's autolink extension) does, so `html` entries match mdtoc's.
fn autolink_html(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(found) = find_bare_url(rest) {
        escape_html(out, &rest[..found.start]);
        let url = &rest[found.clone()];
        out.push_str("<a href=\"");
        escape_html(out, url);
        out.push_str("\">");
        escape_html(out, url);
        out.push_str("</a>");
        rest = &rest[found.end..];
    }
    escape_html(out, rest);
}

fn find_bare_url(text: &str) -> Option<Range<usize>> {
    let mut from = 0;
    while let Some(i) = text[from..].find("://").map(|i| i + from) {
        from = i + 3;
        let scheme_start =
            ["https", "http", "ftp"].iter().find(|scheme| text[..i].ends_with(*scheme)).map(|scheme| i - scheme.len());
        let Some(start) = scheme_start else { continue };
        if text[..start].chars().next_back().is_some_and(char::is_alphanumeric) {
            continue;
        }
        let mut end = text[i..].find(|c: char| c.is_whitespace() || c == '<').map_or(text.len(), |e| i + e);
        // Trailing punctuation ends the sentence, not the URL; so does an unbalanced `)`.
        loop {
            let url = &text[start..end];
            let Some(last) = url.chars().next_back() else { break };
            let unbalanced_paren = last == ')' && url.matches(')').count() > url.matches('(').count();
            if matches!(last, '.' | ',' | ':' | ';' | '!' | '?' | '"' | '\'') || unbalanced_paren {
                end -= last.len_utf8();
            } else {
                break;
            }
        }
        if end > i + 3 {
            return Some(start..end);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mdtoc_view_maps_offsets_back() {
        let doc = "ab\n c\nd\n  e\nf";
        let fences = [
            StrayFence { line_start: 3, missing_indent: 2, byte: b' ' },
            StrayFence { line_start: 9, missing_indent: 1, byte: b' ' },
        ];
        let view = MdtocView::new(doc, &fences);
        assert_eq!(view.text, "ab\n   c\nd\n   e\nf");
        for (original, char) in doc.char_indices() {
            let in_view = view.text.char_indices().filter(|&(_, c)| c == char).map(|(i, _)| i).collect::<Vec<_>>();
            if char != ' ' && char != '\n' {
                assert_eq!(view.to_original(in_view[0]), original, "{char:?}");
            }
        }
        // Inserted spaces belong to the start of their line.
        assert_eq!(view.to_original(3), 3);
        assert_eq!(view.to_original(4), 3);
        assert_eq!(view.to_original(11), 9);
    }
}
