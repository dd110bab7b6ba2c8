//! Where remark-parse 9 with remark-gfm 1 (micromark 2.11, micromark-extension-gfm-table 0.4),
//! which doctoc 2.5.0 reads documents with, reads the top-level blocks otherwise than CommonMark,
//! measured against it:
//! - a line that continues a paragraph lazily in a list item, a quote or a footnote definition
//!   (`- a` then `b`) ends them: it starts a block of its own after them, as after a blank line
//!   (so `b` then `---` is a setext heading there);
//! - a GFM table needs no pipe (`b` then ` ---` or `:--` is one), interrupts a paragraph (its last
//!   line is the header), and takes in every line after it as a row up to a blank line, a line
//!   indented four spaces or by a tab, or the start of a quote or of a list item that may
//!   interrupt a paragraph: ATX headings and HTML blocks (markers too) included;
//! - a fenced code block or an HTML block of kinds 1 to 5 left open runs to the end of the text
//!   (or of its container), line endings in;
//! - a first line that opens a front matter (`---`, `+++`, `;;;`, `---json`, `{`) that no line
//!   closes leaves micromark without lists, quotes and footnote definitions: their lines are
//!   paragraphs.
//!
//! `mdast::parse` gives pulldown-cmark a copy of the text that reads as remark does
//! (`Reading`): a blank line before each such lazy line, each such table a paragraph of letters
//! between blank lines, the container markers letters where there are none.

use super::mdast::LineIndex;
use std::ops::Range;

/// How many times a text is read again with its lazy lines and tables taken out.
pub const MAX_ROUNDS: usize = 32;

/// The changes made to a text so that pulldown-cmark reads its top-level blocks as remark does,
/// in the text's offsets.
#[derive(Default)]
pub struct Reading {
    /// Where a line ending is put before a line (a lazy line: a blank line before it), sorted.
    breaks: Vec<usize>,
    /// Tables, whose bytes become letters (their line endings stay): a paragraph to
    /// pulldown-cmark, between blank lines (`breaks`).
    tables: Vec<Range<usize>>,
    /// Bytes that become others: container markers (`-`, `1`, `>`, `[` of `[^x]:`) letters,
    /// raw HTML blocks another kind (`raw_html_end`).
    bytes: Vec<(usize, u8)>,
}

impl Reading {
    /// The text with the changes; with `lf`, each `\r` alone (a line ending) a `\n`, which
    /// pulldown-cmark reads as a line ending everywhere (its HTML blocks do not end at a `\r`),
    /// and each U+0000 a letter.
    /// Without, only the blank lines: the text's own bytes at the same offsets (headings are
    /// named from it).
    pub fn apply<'a>(&self, text: &'a str, lf: bool) -> std::borrow::Cow<'a, str> {
        let lone_cr =
            lf && (text.ends_with('\r') || text.as_bytes().windows(2).any(|pair| pair[0] == b'\r' && pair[1] != b'\n'));
        let nul = lf && text.contains('\0');
        if self.breaks.is_empty() && (!lf || self.tables.is_empty() && self.bytes.is_empty() && !lone_cr && !nul) {
            return std::borrow::Cow::Borrowed(text);
        }
        let mut bytes = text.as_bytes().to_vec();
        if lone_cr || nul {
            // Whether no white space, `<` or `>` came since the last `<`: what follows may be
            // a tag's name, a declaration or an autolink. Kept as the loop goes, not looked for
            // backwards.
            let mut in_angle = false;
            for i in 0..bytes.len() {
                let byte = bytes[i];
                if byte == b'\r' && bytes.get(i + 1) != Some(&b'\n') {
                    bytes[i] = b'\n';
                } else if byte == 0 {
                    // micromark reads U+0000 as U+FFFD, a character like a letter (one that
                    // may be in a link's destination, where pulldown-cmark refuses U+0000), but
                    // one no tag name holds, no declaration starts with and no e-mail autolink
                    // or scheme has (`<\0h1>`, `</h\02>`, `<!\0` and `<\0@\0h>` are text; found
                    // by the `doctoc` fuzz target): `"` is none of those either.
                    bytes[i] = if in_angle { b'"' } else { b'x' };
                }
                in_angle = byte == b'<' || in_angle && !matches!(byte, b' ' | b'\t' | b'\n' | b'\r' | b'>');
            }
        }
        for &(at, byte) in self.bytes.iter().filter(|_| lf) {
            bytes[at] = byte;
        }
        for table in self.tables.iter().filter(|_| lf) {
            for byte in &mut bytes[table.clone()] {
                if !matches!(*byte, b'\n' | b'\r') {
                    *byte = b'x';
                }
            }
        }
        let mut out = Vec::with_capacity(bytes.len() + self.breaks.len());
        let mut from = 0;
        for &at in &self.breaks {
            out.extend_from_slice(&bytes[from..at]);
            // The same line ending as the one before, so that the two make a blank line.
            out.push(if at > 0 && bytes[at - 1] == b'\r' { b'\r' } else { b'\n' });
            from = at;
        }
        out.extend_from_slice(&bytes[from..]);
        std::borrow::Cow::Owned(String::from_utf8(out).expect("ASCII for whole characters"))
    }

    /// The text's offset of an offset in the changed text.
    pub fn original(&self, offset: usize) -> usize {
        // The i-th line ending put in is at `breaks[i] + i` in the changed text (increasing).
        let (mut low, mut high) = (0, self.breaks.len());
        while low < high {
            let mid = (low + high) / 2;
            if self.breaks[mid] + mid < offset { low = mid + 1 } else { high = mid }
        }
        offset - low
    }

    pub fn add_breaks(&mut self, lines: Vec<usize>) {
        self.breaks.extend(lines);
        self.breaks.sort_unstable();
        self.breaks.dedup();
    }

    pub fn add_bytes(&mut self, bytes: Vec<(usize, u8)>) {
        self.bytes.extend(bytes);
    }

    /// Tables of `text`, each a paragraph between blank lines from now on.
    pub fn add_tables(&mut self, text: &str, tables: Vec<Range<usize>>) {
        let lines = LineIndex::new(text);
        let breaks = tables
            .iter()
            .flat_map(|table| [Some(lines.line_start(table.start)), lines.next_line_start(table.end)])
            .flatten()
            .collect();
        self.tables.extend(tables);
        self.add_breaks(breaks);
    }
}

/// Whether an HTML block (its source, from its first line) is of a kind that only its end
/// condition closes (1 to 5: `<script`, `<pre`, `<style`, `<textarea`, `<!--`, `<?`, `<!X`,
/// `<![CDATA[`), and lacks it.
pub fn html_block_open(block: &str) -> bool {
    let start = block.trim_start_matches([' ', '\t']);
    let lower = |s: &str| s.to_ascii_lowercase();
    let (after, end): (usize, &str) = if let Some(name) =
        ["script", "pre", "style", "textarea"].into_iter().find(|name| {
            let head = lower(start.get(1..1 + name.len()).unwrap_or(""));
            start.starts_with('<')
                && head == *name
                && start[1 + name.len()..].chars().next().is_none_or(|c| matches!(c, ' ' | '\t' | '>' | '\n' | '\r'))
        }) {
        return !lower(start).contains(&format!("</{name}>"));
    } else if start.starts_with("<!--") {
        return comment_close(start).is_none_or(|end| end >= start.len());
    } else if start.starts_with("<?") {
        (2, "?>")
    } else if start.starts_with("<![CDATA[") {
        (9, "]]>")
    } else if start.starts_with("<!") && start[2..].starts_with(|c: char| c.is_ascii_alphabetic()) {
        (2, ">")
    } else {
        return false;
    };
    !start[after..].contains(end)
}

/// For an HTML block of kind 1 (`<pre`, `<script`, `<style`, `<textarea`) that an end tag of
/// another of those names ends for micromark (any of them does, as CommonMark says) where
/// pulldown-cmark waits for its own: the bytes that make both end it there, a processing
/// instruction from `<?` to `?>` (no `?>` before).
pub fn raw_html_end(block: &str) -> Vec<(usize, u8)> {
    const NAMES: [&str; 4] = ["pre", "script", "style", "textarea"];
    let indent = block.len() - block.trim_start_matches(' ').len();
    let lower = block.to_ascii_lowercase();
    let Some(name) = NAMES.iter().find(|name| {
        lower[indent..]
            .strip_prefix('<')
            .and_then(|rest| rest.strip_prefix(**name))
            .is_some_and(|after| after.is_empty() || after.starts_with([' ', '\t', '>', '\n', '\r']))
    }) else {
        return Vec::new();
    };
    let after_name = indent + 1 + name.len();
    let Some((at, closing)) = NAMES
        .iter()
        .filter_map(|other| lower[after_name..].find(&format!("</{other}>")).map(|at| (after_name + at, *other)))
        .min()
    else {
        return Vec::new();
    };
    if closing == *name {
        return Vec::new();
    }
    let mut bytes = vec![(indent + 1, b'?'), (at, b'?'), (at + 1, b'>')];
    bytes.extend(lower[after_name..at].match_indices("?>").map(|(i, _)| (after_name + i, b'x')));
    bytes
}

/// Where micromark 2 ends an HTML comment that `block` starts with (`<!--`, after up to three
/// spaces): the offset after the `>` that follows a run of dashes of even length on its line
/// (`-->`, `---->`; not `--->`: the dashes go in pairs, the opener's two first).
fn comment_close(block: &str) -> Option<usize> {
    let indent = block.len() - block.trim_start_matches(' ').len();
    let body = block[indent..].strip_prefix("<!--")?;
    let mut dashes = 2;
    for (i, byte) in body.bytes().enumerate() {
        match byte {
            b'-' => dashes += 1,
            b'>' if dashes >= 2 && dashes % 2 == 0 => return Some(indent + 4 + i + 1),
            b'\n' | b'\r' => dashes = 0,
            _ => dashes = 0,
        }
    }
    None
}

/// For an HTML comment block (`rest`: the text from its line on) that pulldown-cmark ends at a
/// `-->` (the line that ends at `block_end`) where micromark 2 does not (`comment_close`): the
/// bytes that hide each such `-->` before micromark's end (its `>` a letter).
pub fn comment_end(rest: &str, block_end: usize) -> Vec<(usize, u8)> {
    if !rest.trim_start_matches(' ').starts_with("<!--") {
        return Vec::new();
    }
    let close = comment_close(rest).unwrap_or(rest.len());
    if close <= block_end {
        return Vec::new();
    }
    // Up to the start of micromark's closing line: pulldown-cmark ends at that line anyway.
    let until = rest[..close].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let opener = rest.len() - rest.trim_start_matches(' ').len();
    rest[..until].match_indices("-->").filter(|&(at, _)| at >= opener + 2).map(|(at, _)| (at + 2, b'x')).collect()
}

/// The first line that continues a paragraph lazily in a top-level container (`range`,
/// pulldown-cmark's: a list item, or with `quote` a block quote or footnote definition): with
/// less indentation than the item's content (or no `>`, or less than four spaces in a footnote
/// definition). remark ends the container there; what follows is read again after that. A lazy
/// line right under a line indented four columns or more past the container's content (past a
/// quote's `>` and the space after it) stays in the paragraph (`- l`, `      x`, `t` over `-`: no
/// heading; found by the `doctoc` fuzz target); the next one is lazy again.
pub fn lazy_line(text: &str, lines: &LineIndex, range: &Range<usize>, quote: bool) -> Option<usize> {
    let first_line = line(text, lines.line_start(range.start));
    let needed = if !quote {
        Some(content_indent(first_line))
    } else if text[range.start..].starts_with("[^") {
        Some(4)
    } else {
        None
    };
    let mut after_deep = false;
    lines.starts_between(range.start, range.end).find(|&start| {
        let (columns, rest) = indentation(line(text, start));
        let lazy = !rest.is_empty()
            && match needed {
                Some(needed) => columns < needed,
                None => columns > 3 || !rest.starts_with('>'),
            };
        let deep = match needed {
            Some(needed) => !rest.is_empty() && columns >= needed + 4,
            None => rest.strip_prefix('>').is_some_and(|inside| {
                // (Tabs to the next multiple of four from the column after the `>`.)
                let from = columns + 1;
                let mut at = from;
                let mut content = "";
                for (i, c) in inside.char_indices() {
                    match c {
                        ' ' => at += 1,
                        '\t' => at += 4 - at % 4,
                        _ => {
                            content = &inside[i..];
                            break;
                        }
                    }
                }
                !content.is_empty() && at - from >= 5
            }),
        };
        let found = lazy && !after_deep;
        after_deep = deep && !lazy;
        found
    })
}

/// The lazy lines of one reading, taken in order as long as each leaves the blocks after it as
/// they are: the lines from it to the next block (or list item) are plain text, which that block
/// interrupts. Where one does not, the rest waits for the next reading.
#[derive(Default)]
pub struct LazyLines {
    lines: Vec<usize>,
    /// The last lazy line taken, not yet followed by a block.
    pending: Option<usize>,
    done: bool,
    /// The lazy line from which the blocks may read otherwise (what follows it was not plain).
    uncertain: Option<usize>,
}

impl LazyLines {
    /// A top-level block or list item starts at `start`.
    pub fn block_starts(&mut self, text: &str, lines: &LineIndex, start: usize) {
        if let Some(from) = self.pending.take()
            && !stays(text, lines, from, lines.line_start(start))
        {
            self.done = true;
            self.uncertain = Some(from);
        }
    }

    /// The lazy line after which the blocks may read otherwise once it starts a block.
    pub fn uncertain_after(&self) -> Option<usize> {
        self.uncertain
    }

    pub fn add(&mut self, lazy: Option<usize>) {
        if let Some(line) = lazy.filter(|_| !self.done) {
            self.lines.push(line);
            self.pending = Some(line);
        }
    }

    pub fn lines(&self) -> &[usize] {
        &self.lines
    }
}

/// Whether the block at the line `to` still starts there once the lazy line `from` starts a
/// block: the lines from `from` to `to` are plain text or blank, and a blank line or a block
/// that interrupts a paragraph comes at `to`.
fn stays(text: &str, lines: &LineIndex, from: usize, to: usize) -> bool {
    let mut previous_blank = false;
    for start in std::iter::once(from).chain(lines.starts_between(from, to)) {
        let line = line(text, start);
        let (columns, rest) = indentation(line);
        previous_blank = rest.is_empty();
        let plain = columns < 4 && !rest.starts_with(|c: char| "<[|`~#>-*+_=:!\\".contains(c) || c.is_ascii_digit());
        if !previous_blank && !plain {
            return false;
        }
    }
    previous_blank || interrupts_paragraph(line(text, to))
}

/// Whether a line that comes right after a line of a paragraph starts a block of its own.
fn interrupts_paragraph(line: &str) -> bool {
    let doc = format!("x\n{line}\n");
    let mut events = pulldown_cmark::Parser::new_ext(&doc, pulldown_cmark::Options::ENABLE_TABLES).into_offset_iter();
    events
        .find(|(event, _)| matches!(event, pulldown_cmark::Event::End(pulldown_cmark::TagEnd::Paragraph)))
        .is_some_and(|(_, range)| range.end <= 2)
}

/// The line that starts at `start`, without its line ending.
fn line(text: &str, start: usize) -> &str {
    let rest = &text[start..];
    &rest[..rest.find(['\n', '\r']).unwrap_or(rest.len())]
}

/// The columns of a line's indentation (tabs to the next multiple of four) and the rest.
fn indentation(line: &str) -> (usize, &str) {
    let mut columns = 0;
    for (i, c) in line.char_indices() {
        match c {
            ' ' => columns += 1,
            '\t' => columns += 4 - columns % 4,
            _ => return (columns, &line[i..]),
        }
    }
    (columns, "")
}

/// The column a list item's content starts at, from its first line (CommonMark's rule; tabs
/// to the next multiple of four).
fn content_indent(line: &str) -> usize {
    let (indent, rest) = indentation(line);
    let marker =
        if rest.starts_with(['-', '+', '*']) { 1 } else { rest.bytes().take_while(u8::is_ascii_digit).count() + 1 };
    let after = &rest[marker.min(rest.len())..];
    let mut column = indent + marker;
    let marker_end = column;
    let mut content = "";
    for (i, c) in after.char_indices() {
        match c {
            ' ' => column += 1,
            '\t' => column += 4 - column % 4,
            _ => {
                content = &after[i..];
                break;
            }
        }
    }
    let spaces = column - marker_end;
    if content.is_empty() || spaces > 4 { marker_end + 1 } else { column.max(marker_end + 1) }
}

/// A change to the text pulldown-cmark reads, at `at` (its offsets). `certain`: the blocks
/// after it read the same once it is made (else the changes after it wait for the next reading).
pub struct Change {
    pub at: usize,
    pub certain: bool,
    pub what: Changed,
}

pub enum Changed {
    /// Blank lines before these lines.
    Breaks(Vec<usize>),
    /// A table: a paragraph of letters between blank lines.
    Table(Range<usize>),
    /// Bytes replaced.
    Bytes(Vec<(usize, u8)>),
}

/// The tables remark reads that start in the top-level `paragraphs` (paragraphs, setext headings
/// and tables as pulldown-cmark reads them): each from its header's first character to the end
/// of its last row. A table that could start at a line ends the paragraph there even where an
/// HTML block starts at that line instead: that block comes second (a blank line goes before).
/// `blocks`: pulldown-cmark's top-level blocks (from their start to their end, line endings in),
/// which tell whether a table ends at the end of one (what follows then reads the same).
pub fn tables(text: &str, paragraphs: &[Range<usize>], blocks: &[Range<usize>], containers: bool) -> Vec<Change> {
    let lines = LineIndex::new(text);
    let mut changes: Vec<Change> = Vec::new();
    let mut paragraphs = paragraphs.to_vec();
    paragraphs.sort_by_key(|paragraph| paragraph.start);
    let mut after_table = 0;
    for paragraph in &paragraphs {
        let first = lines.line_start(paragraph.start);
        for start in std::iter::once(first).chain(lines.starts_between(first, paragraph.end)) {
            if start < after_table {
                continue;
            }
            let Some(end) = table_at(text, start, containers) else { continue };
            let header = line(text, start);
            if starts_html_block(header) {
                let mut breaks = vec![start];
                // That block (of kind 7, the one kind that cannot interrupt a paragraph) then
                // ends where a paragraph would: at a container start too.
                let mut at = next_line(text, start, header);
                while let Some(line_start) = at {
                    let row = line(text, line_start);
                    let (columns, rest) = indentation(row);
                    // (A line indented four columns, the block goes on as HTML blocks do.)
                    if rest.is_empty() || columns >= 4 {
                        break;
                    }
                    if containers && container_start(rest) {
                        breaks.push(line_start);
                        break;
                    }
                    at = next_line(text, line_start, row);
                }
                changes.push(Change { at: start, certain: false, what: Changed::Breaks(breaks) });
                return changes;
            }
            let next = lines.next_line_start(end).unwrap_or(text.len());
            let certain = !blocks.iter().any(|block| block.start < next && block.end > next);
            changes.push(Change {
                at: start,
                certain,
                what: Changed::Table(start + (header.len() - header.trim_start_matches(' ').len())..end),
            });
            after_table = next;
        }
    }
    changes
}

/// The form feeds and vertical tabs in a tag that starts a line (up to three spaces first) where
/// pulldown-cmark takes them for white space and micromark does not (it takes only spaces, tabs
/// and line endings): right after a tag's name (`<style\v` is an HTML block of kind 1 for
/// pulldown-cmark, `<div\v>` one of kind 7, text for micromark: over `--`, a setext heading
/// doctoc lists; found by the `doctoc` fuzz target), and anywhere outside quoted values in a tag
/// other than those of kinds 1 and 6 (`<x a\v>` is a complete tag for pulldown-cmark only). Read
/// as another character, not white space for either (nor a letter, nor the start of a
/// reference), they leave the line the text micromark reads.
pub fn html_start_feeds(text: &str) -> Vec<usize> {
    if memchr::memchr2(0x0b, 0x0c, text.as_bytes()).is_none() {
        return Vec::new();
    }
    const RAW: [&str; 4] = ["pre", "script", "style", "textarea"];
    let mut feeds = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive(['\n', '\r']) {
        let offset = start;
        start += line.len();
        let indent = line.bytes().take(4).take_while(|&b| b == b' ').count();
        let Some(tag) = line[indent..].strip_prefix('<') else { continue };
        let closing = tag.starts_with('/');
        let name_len =
            tag[usize::from(closing)..].bytes().take_while(|b| b.is_ascii_alphanumeric() || *b == b'-').count();
        let name = &tag[usize::from(closing)..usize::from(closing) + name_len];
        if indent > 3 || !name.starts_with(|c: char| c.is_ascii_alphabetic()) || !line.contains(['\x0b', '\x0c']) {
            continue;
        }
        let after_name = offset + indent + 1 + usize::from(closing) + name_len;
        let is_feed = |b: u8| b == 0x0b || b == 0x0c;
        // Right after the name, micromark takes no tag (pulldown-cmark one of kind 1 or 7).
        if text.as_bytes().get(after_name).is_some_and(|&b| is_feed(b)) {
            feeds.push(after_name);
            continue;
        }
        if !closing && RAW.iter().any(|raw| name.eq_ignore_ascii_case(raw))
            || crate::toc::headings::is_block_tag_name(name)
        {
            continue;
        }
        // Kind 7: the feeds up to the tag's end, quoted values aside.
        let bytes = &text.as_bytes()[after_name..offset + line.len()];
        let mut quote: Option<u8> = None;
        let mut after_equals = false;
        for (i, &b) in bytes.iter().enumerate() {
            match quote {
                Some(q) if b == q => quote = None,
                Some(_) => {}
                None if b == b'>' => break,
                None if after_equals && (b == b'"' || b == b'\'') => quote = Some(b),
                None if is_feed(b) => feeds.push(after_name + i),
                None => {}
            }
            after_equals = b == b'=' || after_equals && matches!(b, b' ' | b'\t' | 0x0b | 0x0c);
        }
    }
    feeds
}

/// Whether an HTML block (of any kind) starts at this line, read on its own.
fn starts_html_block(line: &str) -> bool {
    line.trim_start_matches(' ').starts_with('<')
        && pulldown_cmark::Parser::new(line)
            .next()
            .is_some_and(|event| matches!(event, pulldown_cmark::Event::Start(pulldown_cmark::Tag::HtmlBlock)))
}

/// Where the table that starts at the line `start` ends (its last row, line ending out), if
/// micromark-extension-gfm-table 0.4 reads one there.
fn table_at(text: &str, start: usize, containers: bool) -> Option<usize> {
    let header = line(text, start);
    let (indent, content) = indentation(header);
    if indent > 3 {
        return None;
    }
    let cells = header_cells(content)?;
    let delimiter_start = next_line(text, start, header)?;
    let delimiter = line(text, delimiter_start);
    if is_dash_underline(delimiter) || delimiter_cells(delimiter)? != cells {
        return None;
    }
    let mut end = delimiter_start + delimiter.len();
    let mut at = next_line(text, delimiter_start, delimiter);
    while let Some(row_start) = at {
        let row = line(text, row_start);
        if ends_table(row, containers) {
            break;
        }
        end = row_start + row.len();
        at = next_line(text, row_start, row);
    }
    Some(end)
}

/// Where the line after `line` (which starts at `start`) starts, if a line ending follows it.
fn next_line(text: &str, start: usize, line: &str) -> Option<usize> {
    let end = start + line.len();
    match text.as_bytes().get(end)? {
        b'\r' if text.as_bytes().get(end + 1) == Some(&b'\n') => Some(end + 2),
        _ => Some(end + 1),
    }
}

/// The header row's cells: the first one unless it starts with a pipe, then one for each pipe
/// that content follows (`a|b`: two, `| a |`: one, `||`: one); `None` for an empty line.
fn header_cells(row: &str) -> Option<usize> {
    let bytes = row.as_bytes();
    let (mut cells, mut after_pipe, mut i) = match bytes.first()? {
        b'|' => (0, true, 1),
        _ => (1, false, skip_content(bytes, 0)),
    };
    while i < bytes.len() {
        match bytes[i] {
            b' ' | b'\t' => i += 1,
            byte => {
                if after_pipe {
                    cells += 1;
                }
                after_pipe = byte == b'|';
                i = if after_pipe { i + 1 } else { skip_content(bytes, i) };
            }
        }
    }
    Some(cells)
}

/// Past a cell's content: up to white space or a pipe, `\|` and `\\` taken as content.
fn skip_content(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && !matches!(bytes[i], b' ' | b'\t' | b'|') {
        i += if bytes[i] == b'\\' && matches!(bytes.get(i + 1), Some(b'\\' | b'|')) { 2 } else { 1 };
    }
    i
}

/// `-` repeated at the line's start, then only spaces and tabs: a setext underline, no table.
fn is_dash_underline(line: &str) -> bool {
    let rest = line.trim_start_matches('-');
    rest.len() < line.len() && rest.bytes().all(|b| b == b' ' || b == b'\t')
}

/// The delimiter row's cells (each a run of `-` with a `:` at either end), if it is one: at
/// most three spaces before it, then cells, pipes and white space only, a `-` somewhere.
fn delimiter_cells(row: &str) -> Option<usize> {
    let indent = row.len() - row.trim_start_matches(' ').len();
    let bytes = &row.as_bytes()[indent..];
    if indent > 3 || bytes.first().is_none_or(|b| matches!(b, b' ' | b'\t')) {
        return None;
    }
    let (mut cells, mut dash) = (0, false);
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b' ' | b'\t' | b'|' => i += 1,
            b'-' | b':' => {
                cells += 1;
                if bytes[i] == b':' {
                    i += 1;
                    if bytes.get(i) != Some(&b'-') {
                        return None;
                    }
                }
                while bytes.get(i) == Some(&b'-') {
                    i += 1;
                }
                dash = true;
                if bytes.get(i) == Some(&b':') {
                    i += 1;
                    if !matches!(bytes.get(i), None | Some(b' ' | b'\t' | b'|')) {
                        return None;
                    }
                }
            }
            _ => return None,
        }
    }
    dash.then_some(cells)
}

/// Whether a line after a table's delimiter row ends it instead of being a row: blank, indented
/// four spaces or by a tab, or a container start (`container_start`) where there are any.
fn ends_table(row: &str, containers: bool) -> bool {
    let spaces = row.len() - row.trim_start_matches(' ').len();
    let rest = &row[spaces.min(4)..];
    spaces >= 4 || rest.is_empty() || rest.starts_with('\t') || (containers && container_start(rest))
}

/// Whether a line (after its indentation) starts a container that may interrupt a paragraph: a
/// quote, a footnote definition, a list item with content after a bullet or after `1.` / `1)`
/// (not a thematic break).
fn container_start(rest: &str) -> bool {
    if rest.starts_with('>') || is_footnote_definition(rest) {
        return true;
    }
    let marker = if rest.starts_with(['-', '+', '*']) {
        1
    } else if rest.starts_with("1.") || rest.starts_with("1)") {
        2
    } else {
        return false;
    };
    let after = &rest[marker..];
    let has_content = after.starts_with([' ', '\t']) && !after.trim_matches([' ', '\t']).is_empty();
    has_content && !is_thematic_break(rest)
}

/// `[^label]:`.
fn is_footnote_definition(rest: &str) -> bool {
    rest.strip_prefix("[^")
        .and_then(|label| label.split_once("]:"))
        .is_some_and(|(label, _)| !label.is_empty() && !label.contains([']', '[', ' ', '\t']))
}

/// `***`, `- - -`, `___`: three or more of one of `*-_`, spaces and tabs between.
fn is_thematic_break(line: &str) -> bool {
    let Some(mark) = line.chars().next().filter(|c| matches!(c, '*' | '-' | '_')) else { return false };
    let marks = line.chars().filter(|&c| c == mark).count();
    marks >= 3 && line.chars().all(|c| c == mark || c == ' ' || c == '\t')
}
