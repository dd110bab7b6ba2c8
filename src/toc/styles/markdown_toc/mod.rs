//! The `markdown-toc` style: what `markdown-toc -i` (1.2.0) writes, byte for byte. Its TOC sits
//! between `<!-- toc -->` and `<!-- tocstop -->`, found as text anywhere in the file; it lists
//! the headings after the TOC (those in lists and quotes too, as remarkable reads them), one
//! `- [title](#slug)` line per heading, indented two spaces per level below the shallowest,
//! bullets `-`, `*`, `+` by level; the text around the markers is trimmed and joined with blank
//! lines.

use super::super::Outcome;
use super::super::markers::{Family, MarkerError};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// markdown-toc's options, as its command line sets them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkdownTocOptions {
    /// `--maxdepth`: the deepest level listed (after `--no-firsth1` moved every level up one).
    pub max_depth: u8,
    /// `--no-firsth1` makes this false: the first heading is left out, every level moves up.
    pub first_h1: bool,
    /// `--bullets`, by level, round and round.
    pub bullets: Vec<String>,
    /// `--indent`: one level's indentation.
    pub indent: String,
    /// `--append`: text after the entries.
    pub append: String,
}

impl Default for MarkdownTocOptions {
    fn default() -> Self {
        MarkdownTocOptions {
            max_depth: 6,
            first_h1: true,
            bullets: vec!["-".to_owned(), "*".to_owned(), "+".to_owned()],
            indent: "  ".to_owned(),
            append: String::new(),
        }
    }
}

impl MarkdownTocOptions {
    /// The options of a markdown-toc command line (`-i --maxdepth 3 --no-firsth1 FILE`), as
    /// minimist reads them; `-i` and the file are ignored.
    pub fn from_args(args: &str) -> Result<Self, String> {
        let words = super::doctoc::shell_words(args)?;
        let mut options = MarkdownTocOptions::default();
        let mut bullets = Vec::new();
        let mut i = 0;
        while i < words.len() {
            let word = &words[i];
            i += 1;
            let Some(flag) = word.strip_prefix("--").or_else(|| word.strip_prefix('-').filter(|f| f.len() == 1)) else {
                continue;
            };
            let (name, inline) = match flag.split_once('=') {
                Some((name, value)) => (name, Some(value.to_owned())),
                None => (flag, None),
            };
            let mut value = || -> String {
                if let Some(value) = &inline {
                    return value.clone();
                }
                match words.get(i) {
                    Some(next) if !next.starts_with("--") => {
                        i += 1;
                        next.clone()
                    }
                    _ => String::new(),
                }
            };
            match name {
                "i" => {}
                "firsth1" => options.first_h1 = inline.as_deref() != Some("false"),
                "no-firsth1" => options.first_h1 = false,
                "maxdepth" => {
                    let v = value();
                    options.max_depth = v.parse().map_err(|_| format!("--maxdepth {v}: not a number"))?;
                }
                "bullets" => {
                    let v = value();
                    if v.contains("..") {
                        return Err(format!("--bullets {v}: ranges are not supported"));
                    }
                    bullets.push(v);
                }
                "indent" => options.indent = value(),
                "append" => options.append = value(),
                other => return Err(format!("--{other}: not an option git-kep's markdown-toc style supports")),
            }
        }
        if !bullets.is_empty() {
            options.bullets = bullets;
        }
        Ok(options)
    }
}

/// The document with markdown-toc's TOC, followed to a file `markdown-toc -i` leaves as it is
/// (within `styles::MAX_RUNS` runs); `NoMarkers` without markers; `Unmatched` where no such file exists
/// (markdown-toc rewrites front matter through a YAML dump and adds a newline each time) or the
/// document is read in a way this module does not reproduce.
pub fn regenerate(content: &str, options: &MarkdownTocOptions) -> Result<Outcome, MarkerError> {
    let text = match insert(content, options)? {
        Insert::NoMarkers => return Ok(Outcome::NoMarkers),
        Insert::Unmatched(reason) => return Ok(Outcome::Unmatched { line: 1, reason }),
        Insert::Text(new) if new == content => return Ok(Outcome::Fresh),
        Insert::Text(new) => new,
    };
    Ok(super::settle(text, "markdown-toc", |text| match insert(text, options) {
        Ok(Insert::Text(new)) => Some(new),
        _ => None,
    }))
}

/// What one `markdown-toc -i` does to a document.
#[derive(Debug, PartialEq, Eq)]
pub enum Insert {
    /// No marker: not a TOC of markdown-toc's (it would only trim the file's edges).
    NoMarkers,
    /// The document as markdown-toc writes it.
    Text(String),
    Unmatched(String),
}

pub const OPEN: &str = "<!-- toc -->";
pub const CLOSE: &str = "<!-- tocstop -->";

/// markdown-toc's `insert`.
pub fn insert(content: &str, options: &MarkdownTocOptions) -> Result<Insert, MarkerError> {
    let markers = find_markers(content);
    if markers.is_empty() {
        return Ok(Insert::NoMarkers);
    }
    if content.starts_with("---") {
        return Ok(Insert::Unmatched(
            "markdown-toc writes front matter back through a YAML dump and a newline more each time: \
             it never accepts a file with front matter"
                .to_owned(),
        ));
    }
    if markers.len() > 2 {
        // "markdown-toc only supports one Table of Contents per file."
        let line = super::super::markers::line_of(content, markers[2].start);
        let first_line = super::super::markers::line_of(content, markers[0].start);
        return Err(MarkerError::NestedStart { family: Family::MarkdownToc, line, first_line });
    }
    let newlines = &content[content.trim_end_matches('\n').len()..];
    let mut sections: Vec<&str> = Vec::with_capacity(3);
    let mut from = 0;
    for marker in &markers {
        sections.push(js_trim(&content[from..marker.start]));
        from = marker.end;
    }
    sections.push(js_trim(&content[from..]));
    let last = *sections.last().expect("at least two sections");
    let toc = match toc(last, options) {
        Ok(toc) => toc,
        Err(reason) => return Ok(Insert::Unmatched(reason)),
    };
    let parts: Vec<String> = if sections.len() == 3 {
        vec![sections[0].to_owned(), format!("{OPEN}\n\n{toc}"), CLOSE.to_owned(), sections[2].to_owned()]
    } else {
        vec![sections[0].to_owned(), format!("{OPEN}\n\n{toc}\n\n{CLOSE}"), sections[1].to_owned()]
    };
    Ok(Insert::Text(parts.join("\n\n") + newlines))
}

/// Where `<!-- toc -->`, `<!-- tocstop -->` (or `<!-- toc stop -->`) are, as text: markdown-toc
/// finds them with `/<!-- toc(?:\s*stop)? -->/g` anywhere, code and quotes too.
fn find_markers(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(offset) = text[at..].find("<!-- toc") {
        let start = at + offset;
        let mut end = start + "<!-- toc".len();
        let rest = &text[end..];
        let spaces = rest.len() - rest.trim_start_matches(super::doctoc::is_js_space).len();
        if rest[spaces..].starts_with("stop -->") {
            end += spaces + "stop -->".len();
        } else if rest.starts_with(" -->") {
            end += " -->".len();
        } else {
            at = start + 1;
            continue;
        }
        found.push(start..end);
        at = end;
    }
    found
}

fn js_trim(text: &str) -> &str {
    super::doctoc::js_trim(text)
}

/// A heading as remarkable reads it.
struct Heading {
    level: u8,
    /// Its inline source, trimmed.
    content: String,
    /// The text a link that starts the heading begins with (what duplicates are counted by).
    link_text: Option<String>,
}

/// markdown-toc's `toc(last).content`: the entries for the headings of `text`.
fn toc(text: &str, options: &MarkdownTocOptions) -> Result<String, String> {
    if has_loose_toc_comment(text) {
        return Err("a `<!--toc-->` comment after the TOC, from which markdown-toc would start listing".to_owned());
    }
    let headings = headings(text);
    // A heading of nothing but `#`s (`## ##`) has an inline token without children, whose
    // first child markdown-toc reads: it fails with a TypeError (found by the `markdown_toc`
    // fuzz target). No text it accepts exists.
    if headings.iter().any(|heading| heading.content.is_empty()) {
        return Err("a heading of nothing but `#`s, on which markdown-toc fails (TypeError)".to_owned());
    }
    let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    let mut entries: Vec<(i64, String)> = Vec::with_capacity(headings.len());
    for heading in &headings {
        let key = heading.link_text.as_deref().unwrap_or(&heading.content);
        let count = match seen.get_mut(key) {
            Some(count) => {
                *count += 1;
                *count
            }
            None => {
                seen.insert(key, 0);
                0
            }
        };
        let slug = query_escape(&slugify(&heading.content, count));
        let entry = format!("[{}](#{slug})", titleize(&heading.content));
        entries.push((i64::from(heading.level), entry));
    }
    let highest = entries.iter().map(|(level, _)| *level).min().unwrap_or(0);
    let unindent = i64::from(!options.first_h1);
    let skip = usize::from(!options.first_h1);
    let mut lines = Vec::with_capacity(entries.len());
    for (level, entry) in entries.into_iter().skip(skip) {
        let level = level - unindent;
        if level > i64::from(options.max_depth) {
            continue;
        }
        let depth = level - highest;
        let bullets = options.bullets.len() as i64;
        // JavaScript's `%` keeps the sign: a negative depth finds no bullet ("undefined").
        let bullet = if depth < 0 { "undefined" } else { options.bullets[(depth % bullets) as usize].as_str() };
        let indent = if depth > 0 { options.indent.repeat(depth as usize) } else { String::new() };
        lines.push(format!("{indent}{bullet} {entry}"));
    }
    Ok(lines.join("\n") + &options.append)
}

/// `<!--toc-->` written otherwise than the markers (`/<!--[ \t]*toc[ \t]*-->/`).
fn has_loose_toc_comment(text: &str) -> bool {
    text.match_indices("<!--").any(|(at, _)| {
        let rest = text[at + 4..].trim_start_matches([' ', '\t']);
        rest.strip_prefix("toc").is_some_and(|rest| rest.trim_start_matches([' ', '\t']).starts_with("-->"))
    })
}

/// pulldown-cmark's options for remarkable's reading.
const OPTIONS: Options = Options::ENABLE_TABLES.union(Options::ENABLE_STRIKETHROUGH).union(Options::ENABLE_FOOTNOTES);

/// The headings remarkable (HTML off) finds: ATX headings with a space after the `#`s, setext
/// headings of one line, in lists and quotes too.
fn headings(text: &str) -> Vec<Heading> {
    let text = &quote_lines_as_remarkable_takes_them(normalize(text));
    let read = tables_as_paragraphs(html_blocks_as_paragraphs(text));
    let read = tilde_fences_with_backticks_as_paragraphs(read);
    // A `\r` left after the normalisation is a character to remarkable, a line ending to
    // pulldown-cmark: a letter for it (same offsets).
    let read = if read.contains('\r') { std::borrow::Cow::Owned(read.replace('\r', "x")) } else { read };
    // Link reference definitions are paragraph text to remarkable's block rules; the links in
    // headings follow what they define, as pulldown-cmark reads them in the text as it is.
    let defined = read.contains("]:").then(|| read.to_string());
    let first_reading = defined.as_deref().map(|defined| Parser::new_ext(defined, OPTIONS));
    let definitions = first_reading.as_ref().map(|parser| parser.reference_definitions());
    let read = definitions_as_paragraphs(read);
    // A blank line before each lazy line that ends its quote for remarkable (offsets are the
    // text's again through `original`).
    let breaks = quotes_ended_by_tables(&read);
    let read = with_line_feeds_at(read, &breaks);
    // (The i-th line feed put in is at `breaks[i] + i` in the text read, increasing.)
    let original = |offset: usize| {
        let (mut low, mut high) = (0, breaks.len());
        while low < high {
            let mid = (low + high) / 2;
            if breaks[mid] + mid < offset { low = mid + 1 } else { high = mid }
        }
        offset - low
    };
    let mut headings = Vec::new();
    let mut resolve = |link: pulldown_cmark::BrokenLink<'_>| {
        let definition = definitions?.get(&link.reference)?;
        let title = definition.title.as_deref().unwrap_or("");
        Some((definition.dest.to_string().into(), title.to_owned().into()))
    };
    let parser = Parser::new_with_broken_link_callback(&read, OPTIONS, Some(&mut resolve));
    let mut events =
        parser.into_offset_iter().map(|(event, range)| (event, original(range.start)..original(range.end))).peekable();
    // Where the last setext heading that remarkable reads as paragraph text ended: a setext
    // heading right under it continues that paragraph (found by the `markdown_toc` fuzz target).
    let mut paragraph_to = None;
    while let Some((event, range)) = events.next() {
        let Event::Start(Tag::Heading { level, .. }) = event else { continue };
        let line_end = text[range.start..].find('\n').map_or(text.len(), |i| range.start + i);
        let line = &text[range.start..line_end];
        // An ATX heading is one line; a setext heading's text may start with `#`s too (`#*` over
        // `-`; found by the `markdown_toc` fuzz target).
        let atx = line.starts_with('#') && !text[range.clone()].trim_end_matches('\n').contains('\n');
        let content = if atx {
            match atx_content(line) {
                Some(content) => content,
                None => {
                    // An empty heading, or none for remarkable (`#` then a vertical tab, white
                    // space to pulldown-cmark): text, which an underline right under it makes a
                    // setext heading (found by the `markdown_toc` fuzz target).
                    let hashes = line.len() - line.trim_start_matches('#').len();
                    let remarkable_atx = hashes <= 6 && (line.len() == hashes || line[hashes..].starts_with(' '));
                    let next = text.get(line_end + 1..).unwrap_or("");
                    let line_start = text[..range.start].rfind('\n').map_or(0, |i| i + 1);
                    let underline = inside_container(
                        &text[line_start..range.start],
                        &next[..next.find('\n').unwrap_or(next.len())],
                    )
                    .and_then(remarkable_underline_level);
                    if let Some(level) = underline.filter(|_| !remarkable_atx) {
                        headings
                            .push((range.start, Heading { level, content: js_trim(line).to_owned(), link_text: None }));
                    }
                    continue;
                }
            }
        } else {
            // Setext: remarkable takes one line and its underline, nothing longer; but a line
            // that would start a table with the underline as its delimiter row ends the
            // paragraph above it (remarkable's table rule ends paragraphs), and is the heading.
            let heading_end = text[..range.end].trim_end_matches('\n').len();
            // remarkable's underline is its marks and then spaces only: a vertical tab or form
            // feed after them (white space to pulldown-cmark) leaves the lines a paragraph
            // (found by the `markdown_toc` fuzz target).
            let underline = &text[text[..heading_end].rfind('\n').map_or(0, |i| i + 1)..heading_end];
            // (After the quotes' `>`s the heading is in.)
            let marks = underline.trim_start_matches(['>', ' ']);
            if !marks.trim_start_matches(['-', '=']).bytes().all(|b| b == b' ') {
                // Paragraph text, which a setext heading right under it continues (`x`, `-\v`,
                // then `x` over `-`: found by the `markdown_toc` fuzz target).
                paragraph_to = Some(heading_end);
                continue;
            }
            let continues_paragraph = paragraph_to.take().is_some_and(|end: usize| {
                end <= range.start && text[end..range.start].trim_matches([' ', '\t', '>']) == "\n"
            });
            let multi_line = text[line_end..heading_end].trim_start_matches('\n').contains('\n');
            if continues_paragraph || multi_line {
                // (Each line after the first without the `>`s of the quotes the heading is in.)
                let line_start = text[..range.start].rfind('\n').map_or(0, |i| i + 1);
                let quotes = text[line_start..range.start].matches('>').count();
                let lines: Vec<&str> = text[range.start..heading_end]
                    .split('\n')
                    .enumerate()
                    .map(|(i, line)| if i == 0 { line } else { without_quote_markers(line, quotes) })
                    .collect();
                match remarkable_setext(&lines, !continues_paragraph) {
                    Setext::Heading(last) => js_trim(last).to_owned(),
                    Setext::Text => {
                        paragraph_to = Some(heading_end);
                        continue;
                    }
                    Setext::Closed => continue,
                }
            } else {
                js_trim(line).to_owned()
            }
        };
        // The text of a link that starts the heading.
        let mut link_text = None;
        if let Some((Event::Start(Tag::Link { .. }), _)) = events.peek() {
            events.next();
            let mut first = String::new();
            while let Some((Event::Text(piece), _)) = events.peek() {
                first.push_str(piece);
                events.next();
            }
            if !first.is_empty() {
                link_text = Some(first);
            }
        }
        for (event, _) in events.by_ref() {
            if let Event::End(TagEnd::Heading(_)) = event {
                break;
            }
        }
        headings.push((range.start, Heading { level: level as u8, content, link_text }));
    }
    headings.sort_by_key(|(at, _)| *at);
    headings.into_iter().map(|(_, heading)| heading).collect()
}

/// remarkable reads link reference definitions out of a paragraph once its block rules have read
/// it as one: to them a definition is paragraph text, which a line under it continues, an
/// underline right under its line makes a setext heading (where it starts a block: `[r]: /a`
/// then `[s]: /b` over `-` is no heading), and its table rule ends at a line that heads a table
/// with the next (`[r]:` then `|a` over `-`, which pulldown-cmark reads as a definition whose
/// destination is `|a`; found by the `markdown_toc` fuzz target, and a label defined twice,
/// which pulldown-cmark reads as a definition it does not list). Each definition's `[` is read
/// as a letter here (offsets stay), those of a label defined again found once the first is text.
fn definitions_as_paragraphs(mut read: std::borrow::Cow<'_, str>) -> std::borrow::Cow<'_, str> {
    if !read.contains("]:") {
        return read;
    }
    loop {
        let parser = Parser::new_ext(&read, OPTIONS);
        // (Each starts with its `[`, after the indentation and the containers' markers.)
        let starts: Vec<usize> = parser
            .reference_definitions()
            .iter()
            .map(|(_, definition)| definition.span.start)
            .filter(|&at| read.as_bytes().get(at) == Some(&b'['))
            .collect();
        if starts.is_empty() {
            return read;
        }
        read = read_as_letters(read, &starts);
    }
}

/// The lines that continue a quote's paragraph lazily and end the quote for remarkable: those
/// that its table rule, among the paragraph's terminators, takes for a table's header with the
/// line after them (`starts_table`), which it checks up to the end of the document, past the
/// quote's end (where the quote did not take that line in lazily too). The paragraph ends there, the quote's own reading stops at the lazy line, and the
/// document's goes on from it (`>a` then `b|` over `-`: `b|` is a setext heading; found by the
/// `markdown_toc` fuzz target). pulldown-cmark keeps the line in the quote. Where each starts.
fn quotes_ended_by_tables(text: &str) -> Vec<usize> {
    let mut breaks = Vec::new();
    if !text.contains('|') || !text.contains('>') {
        return breaks;
    }
    let lines: Vec<(usize, &str)> = text
        .split_inclusive('\n')
        .scan(0, |at, line| {
            let start = *at;
            *at += line.len();
            Some((start, line.trim_end_matches('\n')))
        })
        .collect();
    // Whether the line before is a quote's paragraph text (its own line or a lazy one).
    let mut open = false;
    for (i, &(start, line)) in lines.iter().enumerate() {
        let content = line.trim_start_matches(' ');
        if content.starts_with('>') {
            let mut inside = content;
            while let Some(rest) = inside.strip_prefix('>') {
                inside = rest.trim_start_matches(' ');
            }
            open = !inside.is_empty() && !starts_remarkable_block(inside);
            continue;
        }
        if !open || content.is_empty() || starts_remarkable_block(content) {
            open = false;
            continue;
        }
        // The table rule reads the next line only where the quote did not take it lazily: as
        // the quote's own line (after its `>`s), or as a line that ends the quote.
        let next = lines.get(i + 1).and_then(|&(_, next)| {
            let next_content = next.trim_start_matches(' ');
            if next_content.starts_with('>') {
                let mut inside = next_content;
                while let Some(rest) = inside.strip_prefix('>') {
                    inside = rest.strip_prefix(' ').unwrap_or(rest);
                }
                Some(inside)
            } else {
                starts_remarkable_block(next_content).then_some(next)
            }
        });
        if next.is_some_and(|next| starts_table(line, next)) {
            breaks.push(start);
            open = false;
        }
    }
    breaks
}

/// remarkable's quote takes each line after its first whose first character other than a space
/// is `>` as its own, however far indented (pulldown-cmark: up to three spaces past the
/// container's edge, else a lazy line or code): such a line is indented as the quote's last line
/// with a `>` is, where the quote is still open (right under a line with a `>`, or under lazy
/// lines it took in). Found by the `markdown_toc` fuzz target (`>>\t>\t`` then `\t>## 3*`, a
/// heading in the outer quote). Only spaces move: a quote's content is what follows its `>`.
fn quote_lines_as_remarkable_takes_them(text: String) -> String {
    if !text.contains("    >") {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    // The indentation of the open quote's last line with a `>`, and whether its content is empty.
    let mut quote: Option<(usize, bool)> = None;
    for line in text.split_inclusive('\n') {
        let content = line.trim_start_matches(' ');
        let indent = line.len() - content.len();
        let bare = content.trim_end_matches('\n');
        if let Some(rest) = bare.strip_prefix('>') {
            let indent = match quote {
                Some((quote_indent, _)) if indent > quote_indent => quote_indent,
                _ => indent,
            };
            out.extend(std::iter::repeat_n(' ', indent));
            out.push_str(content);
            let mut inside = rest;
            while let Some(after) = inside.trim_start_matches(' ').strip_prefix('>') {
                inside = after;
            }
            // A quote opens only where a block may start (no code), or under an open one.
            quote = (quote.is_some() || indent <= 3).then_some((indent, inside.trim_matches(' ').is_empty()));
            continue;
        }
        // A quote opened in a list item (`- > a`): its `>`'s column.
        let opened = after_list_markers(bare);
        if opened.len() < bare.len() && opened.starts_with('>') && indent <= 3 {
            let inside = opened.trim_start_matches(['>', ' ']);
            quote = Some((bare.len() - opened.len(), inside.is_empty()));
            out.push_str(line);
            continue;
        }
        // Lazy: the quote takes a line that ends none of its blocks, unless its last was empty.
        quote = quote.filter(|&(_, empty)| !empty && !bare.is_empty() && !starts_remarkable_block(bare));
        out.push_str(line);
    }
    out
}

/// `line` after its indentation and the markers of the list items it opens, each followed by
/// spaces.
fn after_list_markers(line: &str) -> &str {
    let mut rest = line.trim_start_matches(' ');
    loop {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let marker = match rest.as_bytes().first() {
            Some(b'-' | b'*' | b'+') => 1,
            Some(b'0'..=b'9') if rest[digits..].starts_with(['.', ')']) => digits + 1,
            _ => return rest,
        };
        match rest[marker..].strip_prefix(' ') {
            Some(after) => rest = after.trim_start_matches(' '),
            None => return rest,
        }
    }
}

/// Whether a line (after its indentation) starts a block that ends a quote for remarkable: a
/// fence, a thematic break, a list item or an ATX heading.
fn starts_remarkable_block(content: &str) -> bool {
    let fence = content.starts_with("```") || content.starts_with("~~~");
    let rule = ['*', '-', '_'].iter().any(|&mark| {
        content.chars().filter(|&c| c == mark).count() >= 3 && content.chars().all(|c| c == mark || c == ' ')
    });
    let hashes = content.len() - content.trim_start_matches('#').len();
    let heading = (1..=6).contains(&hashes) && (content.len() == hashes || content[hashes..].starts_with(' '));
    fence || rule || heading || remarkable_list_item(content).is_some()
}

/// `line` without up to `quotes` quote markers (spaces, `>`, one space), as remarkable's quote
/// takes them off its lines.
fn without_quote_markers(line: &str, quotes: usize) -> &str {
    let mut rest = line;
    for _ in 0..quotes {
        let Some(after) = rest.trim_start_matches(' ').strip_prefix('>') else { break };
        rest = after.strip_prefix(' ').unwrap_or(after);
    }
    rest
}

/// `text` with a line feed put in at each of `offsets` (sorted).
fn with_line_feeds_at<'t>(text: std::borrow::Cow<'t, str>, offsets: &[usize]) -> std::borrow::Cow<'t, str> {
    if offsets.is_empty() {
        return text;
    }
    let mut out = String::with_capacity(text.len() + offsets.len());
    let mut from = 0;
    for &at in offsets {
        out.push_str(&text[from..at]);
        out.push('\n');
        from = at;
    }
    out.push_str(&text[from..]);
    std::borrow::Cow::Owned(out)
}

/// What remarkable makes of the lines pulldown-cmark reads as one setext heading (its text lines,
/// then the underline).
#[derive(Debug, PartialEq)]
enum Setext<'t> {
    /// A heading of this one line and the underline.
    Heading(&'t str),
    /// Paragraph text (a list item's maybe) that goes on to the underline and may go on after it.
    Text,
    /// No paragraph left open at the end (the underline is a rule or an empty list item).
    Closed,
}

/// remarkable takes one line and its underline, nothing longer, but a table (its header,
/// delimiter row and the rows with a `|` after them) or a list item ends a paragraph anywhere;
/// after one a block starts. `at_block_start`: whether the first line starts a block (not when it
/// continues a paragraph: a definition's, or text above).
fn remarkable_setext<'t>(lines: &[&'t str], at_block_start: bool) -> Setext<'t> {
    let Some(underline) = lines.len().checked_sub(1) else { return Setext::Closed };
    // The underline after text or where a block starts: `-` is an empty list item and three or
    // more a rule, either of which ends a paragraph; `=`s and `--` are text.
    let after_underline = || {
        let marks = lines[underline].trim_matches(' ');
        if marks.starts_with('=') || marks.len() == 2 { Setext::Text } else { Setext::Closed }
    };
    let (mut pos, mut block_start) = (0, at_block_start);
    loop {
        let table = (pos..underline).find(|&i| starts_table(lines[i], lines[i + 1]));
        // Any list item ends a paragraph for remarkable (CommonMark lets neither an empty item
        // nor one numbered from 2 do so): an empty one ends there, a block starts after it; the
        // text of another goes on to the underline, which then underlines nothing.
        let item =
            (pos..table.unwrap_or(underline)).find_map(|i| remarkable_list_item(lines[i]).map(|empty| (i, empty)));
        if let Some((i, empty)) = item {
            if !empty {
                return after_underline();
            }
            if i + 1 >= underline {
                return after_underline();
            }
            (pos, block_start) = (i + 1, true);
            continue;
        }
        match table {
            // The underline is the table's delimiter row: the heading rule, tried first, wins.
            Some(i) if i + 1 == underline => return Setext::Heading(lines[i]),
            Some(i) => {
                pos = i + 2 + lines[i + 2..underline].iter().take_while(|line| line.contains('|')).count();
                block_start = true;
                if pos >= underline {
                    return after_underline();
                }
            }
            None if block_start && pos + 1 == underline => return Setext::Heading(lines[pos]),
            None => return after_underline(),
        }
    }
}

/// What of `line` is inside the container that `prefix` (a line's quote markers and list item
/// indentation, before a heading) opens, if `line` is inside it: remarkable's lheading reads an
/// underline only there, not on a quote's lazy line nor left of a list item's text (`> #\f`
/// over `--`: found by the `markdown_toc` fuzz target).
fn inside_container<'l>(prefix: &str, line: &'l str) -> Option<&'l str> {
    let mut rest = line;
    for _ in 0..prefix.matches('>').count() {
        rest = rest.trim_start_matches(' ').strip_prefix('>')?;
        rest = rest.strip_prefix(' ').unwrap_or(rest);
    }
    let after_quotes = prefix.rfind('>').map_or(prefix, |at| {
        let inner = &prefix[at + 1..];
        inner.strip_prefix(' ').unwrap_or(inner)
    });
    let indent = rest.len() - rest.trim_start_matches(' ').len();
    (indent >= after_quotes.len()).then(|| &rest[after_quotes.len()..])
}

/// The level of the setext heading `line` underlines for remarkable: up to three spaces, `=`s
/// (1) or `-`s (2), then spaces only.
fn remarkable_underline_level(line: &str) -> Option<u8> {
    let marks = line.trim_start_matches(' ');
    let level = match marks.chars().next()? {
        '=' => 1,
        '-' => 2,
        _ => return None,
    };
    let mark = if level == 1 { '=' } else { '-' };
    let only_marks = marks.trim_end_matches(' ').chars().all(|c| c == mark);
    (line.len() - marks.len() <= 3 && only_marks).then_some(level)
}

/// Whether `line` opens a list item for remarkable (up to three spaces, `*`, `-`, `+` or digits
/// and `.` or `)`, then a space or the line's end), and if so whether the item is empty.
fn remarkable_list_item(line: &str) -> Option<bool> {
    let rest = line.trim_start_matches(' ');
    if line.len() - rest.len() > 3 {
        return None;
    }
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let marker = match rest.as_bytes().first()? {
        b'*' | b'-' | b'+' => 1,
        _ if digits > 0 && rest[digits..].starts_with(['.', ')']) => digits + 1,
        _ => return None,
    };
    let after = &rest[marker..];
    (after.is_empty() || after.starts_with(' ')).then(|| after.trim_matches(' ').is_empty())
}

/// Whether remarkable's table rule (as it checks whether a line ends a paragraph) takes `header`
/// and the next line, `delimiter`, for a table: the delimiter of `-`, `:`, `|` and spaces, its
/// cells `:?-+:?` (empty ones only at the edges), as many as the header's, which has a pipe (found
/// by the `markdown_toc` fuzz target).
fn starts_table(header: &str, delimiter: &str) -> bool {
    let first = delimiter.trim_start_matches(' ');
    if !first.starts_with(['|', '-', ':']) || !delimiter.chars().all(|c| matches!(c, '-' | ':' | '|' | ' ')) {
        return false;
    }
    let rows: Vec<&str> = delimiter.split('|').collect();
    let mut aligns = 0;
    for (i, row) in rows.iter().enumerate() {
        let cell = js_trim(row);
        if cell.is_empty() {
            if i == 0 || i == rows.len() - 1 {
                continue;
            }
            return false;
        }
        let dashes = cell.strip_prefix(':').unwrap_or(cell);
        let dashes = dashes.strip_suffix(':').unwrap_or(dashes);
        if dashes.is_empty() || !dashes.chars().all(|c| c == '-') {
            return false;
        }
        aligns += 1;
    }
    let header = js_trim(header);
    if !header.contains('|') {
        return false;
    }
    let header = header.strip_prefix('|').unwrap_or(header);
    let header = header.strip_suffix('|').unwrap_or(header);
    aligns == header.split('|').count()
}

/// remarkable's ATX heading content: `#`s and one space, trailing spaces, then a closing run of
/// `#` after a space, trimmed. `None`: no space after the `#`s, or nothing left before trimming
/// (remarkable then makes a heading without content, which markdown-toc does not list).
fn atx_content(line: &str) -> Option<String> {
    let hashes = line.len() - line.trim_start_matches('#').len();
    let rest = &line[hashes..];
    if hashes > 6 || !(rest.is_empty() || rest.starts_with(' ')) {
        return None;
    }
    let mut content = rest.trim_end_matches(' ');
    let without_closing = content.trim_end_matches('#');
    if without_closing.len() < content.len() && without_closing.ends_with(' ') {
        content = without_closing;
    }
    (!content.is_empty()).then(|| js_trim(content).to_owned())
}

/// What remarkable's block parser reads: no-break spaces as spaces, `\r\n` (and U+2424, U+2028,
/// U+0085) as `\n`, each tab as one to four spaces (counted from the previous tab, its quirk).
fn normalize(text: &str) -> String {
    let text = text.replace('\u{a0}', " ");
    let mut lines = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if matches!(chars.peek(), Some('\n' | '\u{85}')) => {
                chars.next();
                lines.push('\n');
            }
            '\u{2424}' | '\u{2028}' | '\u{85}' => lines.push('\n'),
            c => lines.push(c),
        }
    }
    if !lines.contains('\t') {
        return lines;
    }
    // `'    '.slice((offset - lineStart - lastTabPos) % 4)`, offsets in UTF-16 units.
    let mut out = String::with_capacity(lines.len() + 16);
    let (mut offset, mut line_start, mut last_tab) = (0usize, 0usize, 0usize);
    for c in lines.chars() {
        match c {
            '\n' => {
                line_start = offset + 1;
                last_tab = 0;
                out.push(c);
            }
            '\t' => {
                let skip = (offset - line_start - last_tab) % 4;
                out.push_str(&"    "[skip..]);
                last_tab = offset - line_start + 1;
            }
            c => out.push(c),
        }
        offset += c.len_utf16();
    }
    out
}

/// With HTML off, remarkable reads an HTML block as a paragraph (which a heading interrupts, and
/// a lazy line continues): the `<` that starts one is read as a letter, after the markers of the
/// quotes and list items the line opens too (`- <div>x` then `yy` is one paragraph of the item,
/// where pulldown-cmark ends the item's HTML block and the list there; found by the
/// `markdown_toc` fuzz target). Offsets stay.
fn html_blocks_as_paragraphs(text: &str) -> std::borrow::Cow<'_, str> {
    let mut opens = Vec::new();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let content = after_container_markers(line);
        let indent = line.len() - content.len();
        let opens_html = content.starts_with('<')
            && content[1..].starts_with(|c: char| c.is_ascii_alphabetic() || matches!(c, '/' | '!' | '?'));
        if opens_html {
            opens.push(at + indent);
        }
        at += line.len();
    }
    read_as_letters(std::borrow::Cow::Borrowed(text), &opens)
}

/// remarkable opens no fence whose info string holds a backtick, `~~~` fences too (CommonMark
/// refuses one for backtick fences only): `~~~ a`b` is paragraph text, and a heading under it
/// one remarkable lists (found by the `markdown_toc` fuzz target). Its first `~` is read as a
/// letter, after the markers of the quotes and list items the line opens too; offsets stay.
fn tilde_fences_with_backticks_as_paragraphs(text: std::borrow::Cow<'_, str>) -> std::borrow::Cow<'_, str> {
    if !text.contains("~~~") {
        return text;
    }
    let mut opens = Vec::new();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let content = after_container_markers(line);
        let marks = content.len() - content.trim_start_matches('~').len();
        if marks >= 3 && content[marks..].contains('`') {
            opens.push(at + line.len() - content.len());
        }
        at += line.len();
    }
    read_as_letters(text, &opens)
}

/// `line` after its indentation and the markers of the quotes and list items it opens (`>`, `-`,
/// `*`, `+`, digits and `.` or `)`, each followed by spaces or the line's end; tabs are spaces
/// by now). Code indented inside them stays code whatever its `<`.
fn after_container_markers(line: &str) -> &str {
    let mut rest = line.trim_start_matches(' ');
    loop {
        if let Some(after) = rest.strip_prefix('>') {
            rest = after.trim_start_matches(' ');
            continue;
        }
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let marker = match rest.as_bytes().first() {
            Some(b'-' | b'*' | b'+') => 1,
            Some(b'0'..=b'9') if rest[digits..].starts_with(['.', ')']) => digits + 1,
            _ => return rest,
        };
        match rest[marker..].strip_prefix(' ') {
            Some(after) => rest = after.trim_start_matches(' '),
            None => return rest,
        }
    }
}

/// remarkable ends a table at the first line without a `|`, where pulldown-cmark (GFM) goes on
/// with rows up to a blank line or another block: `bar` over `===` under a table is a heading to
/// remarkable, a row and text to pulldown-cmark. The tables remarkable reads are read as
/// paragraphs instead (a `-` of the delimiter row read as a letter; offsets stay), and
/// `remarkable_setext` finds where in such a paragraph remarkable's heading is (found by the
/// `markdown_toc` fuzz target). A delimiter row without `|` stays: it may be an underline, which
/// remarkable tries first.
fn tables_as_paragraphs(text: std::borrow::Cow<'_, str>) -> std::borrow::Cow<'_, str> {
    if !text.contains('|') {
        return text;
    }
    let mut broken = Vec::new();
    let mut lines = text.split_inclusive('\n').scan(0, |at, line| {
        let start = *at;
        *at += line.len();
        Some((start, line.trim_end_matches('\n')))
    });
    let Some(mut header) = lines.next() else { return text };
    for (at, line) in lines {
        if line.contains('|') && starts_table(header.1, line) {
            broken.extend(line.find('-').map(|dash| at + dash));
        }
        header = (at, line);
    }
    read_as_letters(text, &broken)
}

/// `text` with the ASCII byte at each offset read as the letter `x` (offsets stay).
fn read_as_letters<'t>(text: std::borrow::Cow<'t, str>, offsets: &[usize]) -> std::borrow::Cow<'t, str> {
    crate::toc::headings::bytes_read_as(text, offsets, b'x').0
}

/// `getTitle`: the text of a link that opens the string (`[text](`).
fn get_title(text: &str) -> &str {
    if let Some(rest) = text.strip_prefix('[')
        && let Some(close) = rest.find(']')
        && close > 0
        && rest[close + 1..].starts_with('(')
    {
        return &rest[..close];
    }
    text
}

/// `titleize`: the title, tags out, runs of spaces and tabs made one space, trimmed.
fn titleize(content: &str) -> String {
    let title = strip_tags(get_title(content));
    let mut out = String::with_capacity(title.len());
    let mut in_space = false;
    for c in title.chars() {
        if c == ' ' || c == '\t' {
            if !in_space {
                out.push(' ');
            }
            in_space = true;
        } else {
            out.push(c);
            in_space = false;
        }
    }
    js_trim(&out).to_owned()
}

/// `str.split(/<\/?[^>]+>/).join('')`.
fn strip_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        let after = &rest[open + 1..];
        let name = after.strip_prefix('/').unwrap_or(after);
        match name.find('>') {
            Some(close) if close > 0 => {
                out.push_str(&rest[..open]);
                rest = &name[close + 1..];
            }
            _ => {
                out.push_str(&rest[..open + 1]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// markdown-toc's `slugify`, the `count`-th duplicate (0: the first).
fn slugify(content: &str, count: usize) -> String {
    let title = strip_color(get_title(content)).to_lowercase().replace(' ', "-").replace('\t', "--");
    let title = strip_tags(&title);
    let mut slug: String = title
        .chars()
        .filter(|&c| !"|$&`~=\\/@+*!?({[]})<>.,;:'\"^".contains(c))
        .filter(|&c| !"。？！，、；：“”【】（）〔〕［］﹃﹄ ‘’﹁﹂—…－～《》〈〉「」".contains(c))
        .map(fold_diacritic)
        .collect();
    if count > 0 {
        slug.push('-');
        slug.push_str(&count.to_string());
    }
    slug
}

/// strip-color: `str.replace(/\x1B[[(?);]{0,2}(;?\d)*./g, '')`, an ANSI escape out (found by the
/// `markdown_toc` fuzz target: an ESC and the character after it leave the slug).
fn strip_color(text: &str) -> String {
    if !text.contains('\u{1b}') {
        return text.to_owned();
    }
    let chars: Vec<char> = text.chars().collect();
    // `.`: any character but a line terminator.
    let any = |at: usize| chars.get(at).is_some_and(|c| !matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}'));
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '\u{1b}' {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        // Greedy, then backtracking: up to two of `[(?);`, the `;?\d` units, then one `.`.
        let prefix = chars[i + 1..].iter().take(2).take_while(|c| "[(?);".contains(**c)).count();
        let matched = (0..=prefix).rev().find_map(|taken| {
            let mut ends = vec![i + 1 + taken];
            loop {
                let at = *ends.last().expect("one at least");
                let unit = match (chars.get(at), chars.get(at + 1)) {
                    (Some(c), _) if c.is_ascii_digit() => 1,
                    (Some(';'), Some(d)) if d.is_ascii_digit() => 2,
                    _ => break,
                };
                ends.push(at + unit);
            }
            ends.into_iter().rev().find(|&at| any(at)).map(|at| at + 1)
        });
        match matched {
            Some(end) => i = end,
            None => {
                out.push(chars[i]);
                i += 1;
            }
        }
    }
    out
}

/// diacritics-map for `[À-ž]`: a Latin letter with a diacritic as its base letter (also how
/// `new` writes `Über café` in a name: `uber-cafe`).
pub fn fold_diacritic(c: char) -> String {
    const LATIN_1: &str = "AAAAAAACEEEEIIIIDNOOOOO×OUUUUYTsaaaaaaaceeeeiiiidnooooo÷ouuuuyty";
    const EXTENDED_A: &str = "AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIiJjJjKkkLlLlLlLlLlNnNnNnnNnOoOoOoOoRrRrRrSsSsSsSsTtTtTtUuUuUuUuUuUuWwYyYZzZzZz";
    let code = u32::from(c);
    let base = match code {
        0xc0..=0xff => LATIN_1.chars().nth((code - 0xc0) as usize),
        0x100..=0x17e => EXTENDED_A.chars().nth((code - 0x100) as usize),
        _ => None,
    };
    match (c, base) {
        ('Æ', _) => "AE".to_owned(),
        ('æ', _) => "ae".to_owned(),
        ('ß', _) => "ss".to_owned(),
        ('Þ', _) => "TH".to_owned(),
        ('þ', _) => "th".to_owned(),
        ('Œ', _) => "OE".to_owned(),
        ('œ', _) => "oe".to_owned(),
        ('Ĳ', _) => "IJ".to_owned(),
        ('ĳ', _) => "ij".to_owned(),
        (_, Some(base)) => base.to_string(),
        (c, None) => c.to_string(),
    }
}

/// Node's `querystring.escape`: everything but `A-Za-z0-9-_.!~*'()` percent-encoded.
fn query_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || "-_.!~*'()".contains(c) {
            out.push(c);
        } else {
            let mut buffer = [0u8; 4];
            for byte in c.encode_utf8(&mut buffer).bytes() {
                out.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;
