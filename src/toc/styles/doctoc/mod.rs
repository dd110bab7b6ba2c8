//! The `doctoc` style: what doctoc 2.5.0 (GitHub mode) writes, byte for byte, with the options
//! repositories run it with. Its markers are `<!-- START doctoc ... -->` and
//! `<!-- END doctoc ... -->` (legacy or compact); the TOC between them is a title, then one
//! `- [name](#anchor)` line per heading after the end marker, indented two spaces per level
//! below the shallowest. This is doctoc's `transform`, step for step, on a reading of the
//! document that equals remark's where doctoc looks (`mdast`).

mod anchor;
pub(crate) use anchor::{is_js_space, js_trim};
mod emoji;
mod html_headings;
mod mdast;
mod micromark;

use super::super::Outcome;
use super::super::markers::{Family, MarkerError};
use mdast::{Kind, Node};

/// doctoc's options, as its command line sets them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DoctocOptions {
    pub title: Title,
    /// `--maxlevel`: the deepest heading listed (HTML headings: 4 without it).
    pub max_level: Option<u8>,
    /// `--minlevel` (1 or 2).
    pub min_level: u8,
    /// `--all`: list the headings above the TOC too.
    pub all: bool,
    /// `--entryprefix`: the bullet of each level, round and round (`-,*,+`).
    pub entry_prefix: Vec<String>,
    /// `--toc-pragma-style`.
    pub pragma: Pragma,
    /// `--mintocitems`: fewer headings make an empty TOC.
    pub min_toc_items: usize,
    /// `--update-only`: a file without markers is left alone (else doctoc adds a TOC at its top).
    pub update_only: bool,
}

/// What goes above the entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Title {
    /// The title the TOC has (the last block before its list), or doctoc's for a new TOC.
    Kept,
    /// `--title`.
    Given(String),
    /// `--notitle`.
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pragma {
    /// `<!-- START doctoc generated TOC please keep comment here to allow auto update -->` and
    /// a `<!-- DON'T EDIT ... -->` line.
    Legacy,
    /// `<!-- START doctoc -->`.
    Compact,
}

impl Default for DoctocOptions {
    fn default() -> Self {
        DoctocOptions {
            title: Title::Kept,
            max_level: None,
            min_level: 1,
            all: false,
            entry_prefix: vec!["-".to_owned()],
            pragma: Pragma::Legacy,
            min_toc_items: 1,
            update_only: false,
        }
    }
}

const DEFAULT_TITLE: &str = "**Table of Contents**  *generated with [DocToc](https://github.com/thlorenz/doctoc)*";
const LEGACY_START: &str = "<!-- START doctoc generated TOC please keep comment here to allow auto update -->";
const LEGACY_EDIT: &str = "<!-- DON'T EDIT THIS SECTION, INSTEAD RE-RUN doctoc TO UPDATE -->";
const LEGACY_END: &str = "<!-- END doctoc generated TOC please keep comment here to allow auto update -->";
const COMPACT_START: &str = "<!-- START doctoc -->";
const COMPACT_END: &str = "<!-- END doctoc -->";

/// The start and end markers doctoc writes with `pragma` (lines joined by `\n`).
pub fn markers(pragma: Pragma) -> (String, String) {
    match pragma {
        Pragma::Legacy => (format!("{LEGACY_START}\n{LEGACY_EDIT}"), LEGACY_END.to_owned()),
        Pragma::Compact => (COMPACT_START.to_owned(), COMPACT_END.to_owned()),
    }
}
/// What the compact style removes from existing markers.
const LEGACY_WORDS: &str = " generated TOC please keep comment here to allow auto update";

impl DoctocOptions {
    /// The options of a doctoc command line (`--notitle --entryprefix='-,*,+'`), as doctoc's
    /// own parser (minimist) reads them. Paths and the flags that do not change a TOC
    /// (`--dryrun`, `--stdout`, `--github`, `--loglevel`) are accepted and ignored.
    pub fn from_args(args: &str) -> Result<Self, String> {
        let words = shell_words(args)?;
        let mut options = DoctocOptions::default();
        let mut title = None;
        let mut notitle = false;
        let mut entry_prefix = None;
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
            let mut value = || -> Result<String, String> {
                if let Some(value) = &inline {
                    return Ok(value.clone());
                }
                match words.get(i) {
                    Some(next) if !next.starts_with('-') || next == "-" => {
                        i += 1;
                        Ok(next.clone())
                    }
                    _ => Ok(String::new()),
                }
            };
            match name {
                "T" | "notitle" => notitle = inline.as_deref().is_none_or(|v| v != "false"),
                "all" => options.all = inline.as_deref().is_none_or(|v| v != "false"),
                "u" | "update-only" => options.update_only = inline.as_deref().is_none_or(|v| v != "false"),
                "t" | "title" => title = Some(value()?),
                "m" | "maxlevel" => {
                    let v = value()?;
                    options.max_level = Some(v.parse().map_err(|_| format!("--maxlevel {v}: not a number"))?);
                }
                "minlevel" => {
                    let v = value()?;
                    options.min_level = match v.parse() {
                        Ok(level @ 1..=2) => level,
                        _ => return Err(format!("--minlevel {v}: doctoc takes 1 or 2")),
                    };
                }
                "mintocitems" => {
                    let v = value()?;
                    options.min_toc_items = match v.parse() {
                        Ok(n @ 1..) => n,
                        _ => return Err(format!("--mintocitems {v}: not a positive number")),
                    };
                }
                "entryprefix" => entry_prefix = Some(value()?),
                "toc-pragma-style" => {
                    options.pragma = match value()?.as_str() {
                        "legacy" => Pragma::Legacy,
                        "compact" => Pragma::Compact,
                        other => return Err(format!("--toc-pragma-style {other}: doctoc takes legacy or compact")),
                    }
                }
                "github" | "d" | "dryrun" | "s" | "stdout" => {}
                "l" | "loglevel" => {
                    value()?;
                }
                "syntax" => {
                    let v = value()?;
                    if v != "md" {
                        return Err(format!("--syntax {v}: only md is supported"));
                    }
                }
                other => return Err(format!("--{other}: not an option git-kep's doctoc style supports")),
            }
        }
        if let Some(prefix) = entry_prefix {
            let prefix: String = prefix.trim().chars().filter(|&c| c != ' ').collect();
            if prefix.starts_with(',') || prefix.ends_with(',') || prefix.contains(",,") {
                return Err(format!("--entryprefix {prefix}: an empty bullet"));
            }
            if !prefix.is_empty() {
                options.entry_prefix = prefix.split(',').map(str::to_owned).collect();
            }
        }
        options.title = match (notitle, title) {
            (true, _) => Title::None,
            (false, Some(title)) if !title.is_empty() => Title::Given(title),
            _ => Title::Kept,
        };
        if let Some(max) = options.max_level
            && max < options.min_level
        {
            return Err(format!("--maxlevel {max} is less than --minlevel {}", options.min_level));
        }
        Ok(options)
    }
}

/// Splits a command line as a POSIX shell does (quotes and backslashes), without expansions.
pub(crate) fn shell_words(line: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\n' => words.extend(word.take()),
            '\'' => {
                let w = word.get_or_insert_with(String::new);
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => w.push(c),
                        None => return Err("an unclosed ' quote".to_owned()),
                    }
                }
            }
            '"' => {
                let w = word.get_or_insert_with(String::new);
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c @ ('"' | '\\' | '$' | '`')) => w.push(c),
                            Some(c) => {
                                w.push('\\');
                                w.push(c);
                            }
                            None => return Err("an unclosed \" quote".to_owned()),
                        },
                        Some(c) => w.push(c),
                        None => return Err("an unclosed \" quote".to_owned()),
                    }
                }
            }
            '\\' => {
                if let Some(c) = chars.next() {
                    word.get_or_insert_with(String::new).push(c);
                }
            }
            c => word.get_or_insert_with(String::new).push(c),
        }
    }
    words.extend(word);
    Ok(words)
}

/// The document with doctoc's TOC: `NoMarkers` where doctoc leaves it alone (`--update-only`
/// without markers, `<!-- DOCTOC SKIP -->`), `Unmatched` where no text doctoc accepts can be
/// written (doctoc changes its own update again and again, or reads the document in a way this
/// module does not reproduce), an error where doctoc fails on the markers.
///
/// CI accepts a file only if doctoc leaves it as it is. Its update of a file is usually such a
/// file; where it is not (an HTML heading sorts by the first block whose text matches its own,
/// which the new TOC then is), the file after its next update, if that settles within
/// `styles::MAX_RUNS` runs.
pub fn regenerate(content: &str, options: &DoctocOptions) -> Result<Outcome, MarkerError> {
    let text = match rewrite(content, options)? {
        Rewrite::Untouched => return Ok(Outcome::NoMarkers),
        Rewrite::Unmatched { line, reason } => return Ok(Outcome::Unmatched { line, reason }),
        Rewrite::Same => return Ok(Outcome::Fresh),
        Rewrite::Changed(new) => new,
    };
    Ok(super::settle(text, "doctoc", |text| match rewrite(text, options) {
        Ok(Rewrite::Same) => Some(text.to_owned()),
        Ok(Rewrite::Changed(new)) => Some(new),
        _ => None,
    }))
}

/// What one run of doctoc does to a document (whether or not it accepts the result next time).
pub fn rewrite(content: &str, options: &DoctocOptions) -> Result<Rewrite, MarkerError> {
    transform(content, options)
}

/// What doctoc's `transform` does to a document.
#[derive(Debug, PartialEq, Eq)]
pub enum Rewrite {
    /// Not touched (skipped, or no TOC and `--update-only`).
    Untouched,
    Same,
    Changed(String),
    Unmatched {
        line: usize,
        reason: String,
    },
}

/// A marker as doctoc holds it: its node's range (UTF-16 units, as JavaScript indexes) and lines,
/// and the text it will be written as.
struct Marker {
    range: (usize, usize),
    start_line: usize,
    end_line: usize,
    raw: String,
}

/// doctoc's `transform`, step for step.
fn transform(content: &str, options: &DoctocOptions) -> Result<Rewrite, MarkerError> {
    let eol = line_ending(content);
    // `<!-- DOCTOC SKIP -->` at the start or after a one-character line ending.
    let skip = format!("<!-- DOCTOC SKIP -->{eol}");
    if let Some(at) = content.find(&skip)
        && (at == 0 || (eol.len() == 1 && content.as_bytes()[at - 1] == eol.as_bytes()[0]))
    {
        return Ok(Rewrite::Untouched);
    }
    // The parser reads the text without its BOM; doctoc applies its offsets to the text with it.
    let text = content.strip_prefix('\u{feff}').unwrap_or(content);
    // A second BOM: micromark skips it too, and counts its offsets from after it, which doctoc
    // then applies to the text with it (textlint takes only one BOM off): each node's text one
    // character off, a surrogate pair's half at its edge. Not reproduced (found by the `doctoc`
    // fuzz target: `\u{feff}\u{feff}# x` is a heading for doctoc, named by the character before
    // each of its texts).
    if text.starts_with('\u{feff}') {
        return Ok(Rewrite::Unmatched {
            line: 1,
            reason: "the document starts with two BOMs, which doctoc reads one character off".to_owned(),
        });
    }
    let nodes = mdast::parse(text);
    let units = Units::new(text);
    let pragma = options.pragma;
    let (marker_start, marker_end) = match pragma {
        Pragma::Legacy => (format!("{LEGACY_START}{eol}{LEGACY_EDIT}"), LEGACY_END.to_owned()),
        Pragma::Compact => (COMPACT_START.to_owned(), COMPACT_END.to_owned()),
    };

    // getTocMarkers: the first START and the first END among the top-level HTML blocks.
    let markers: Vec<(bool, &Node)> = nodes
        .iter()
        .filter(|node| node.kind == Kind::Html)
        .filter_map(|node| {
            let raw = &text[node.range.clone()];
            if raw.contains("<!-- START doctoc ") {
                Some((true, node))
            } else if raw.contains("<!-- END doctoc ") {
                Some((false, node))
            } else {
                None
            }
        })
        .collect();
    let found = (markers.len() >= 2).then(|| {
        let start = markers.iter().find(|(is_start, _)| *is_start).map(|(_, node)| *node);
        let end = markers.iter().find(|(is_start, _)| !*is_start).map(|(_, node)| *node);
        (start, end)
    });
    let existing = match found {
        None => None,
        Some((Some(start), Some(end))) => {
            if end.range.start < start.range.start {
                return Err(MarkerError::EndBeforeStart { family: Family::Doctoc, line: end.start_line });
            }
            Some((start, end))
        }
        // doctoc stops with a TypeError on a START without END (or an END without START).
        Some((Some(start), None)) => {
            return Err(MarkerError::MissingEnd { family: Family::Doctoc, line: start.start_line });
        }
        Some((None, Some(end))) => {
            return Err(MarkerError::EndBeforeStart { family: Family::Doctoc, line: end.start_line });
        }
        Some((None, None)) => unreachable!("two or more markers"),
    };
    if existing.is_none() && options.update_only {
        return Ok(Rewrite::Untouched);
    }

    // Front matter: where a new TOC goes; doctoc also adds a blank line after it, into its copy
    // of the text only, whose offsets then no longer match the nodes'.
    let mut content16: Vec<u16> = content.encode_utf16().collect();
    let eol16: Vec<u16> = eol.encode_utf16().collect();
    let front_matter = nodes.first().is_some_and(|node| node.kind == Kind::FrontMatter);
    let has_body = nodes.len() > usize::from(front_matter);
    let (mut start_line, mut start_pos) = (0, 0);
    if front_matter && has_body {
        start_line = nodes[1].start_line - 1;
        start_pos = units.at(nodes[1].range.start);
    } else if front_matter {
        start_line = nodes[0].end_line;
        start_pos = units.at(text.len()) + eol16.len();
    }
    if front_matter && text.len() == nodes[0].range.end {
        start_pos += eol16.len();
        content16.extend(&eol16);
    }
    if front_matter && has_body && nodes[0].end_line + 1 == nodes[1].start_line {
        let at = start_pos.min(content16.len());
        content16.splice(at..at, eol16.iter().copied());
        start_pos += eol16.len();
    }

    let (start, end) = match existing {
        Some((start, end)) => {
            let raw_start = &text[start.range.clone()];
            let raw_end = &text[end.range.clone()];
            let mut start_marker = Marker {
                range: (units.at(start.range.start), units.at(start.range.end)),
                start_line: start.start_line,
                end_line: start.end_line,
                raw: raw_start.to_owned(),
            };
            let mut end_marker = Marker {
                range: (units.at(end.range.start), units.at(end.range.end)),
                start_line: end.start_line,
                end_line: end.end_line,
                raw: raw_end.to_owned(),
            };
            match pragma {
                Pragma::Compact => {
                    start_marker.raw = raw_start.replacen(LEGACY_WORDS, "", 1);
                    end_marker.raw = raw_end.replacen(LEGACY_WORDS, "", 1);
                }
                Pragma::Legacy => {
                    // The canonical two lines; the title is looked for after as many units.
                    start_marker.range.1 = start_marker.range.0 + marker_start.encode_utf16().count();
                    start_marker.raw = marker_start.clone();
                }
            }
            (start_marker, end_marker)
        }
        None => {
            let at = start_pos;
            let new = |raw: &str| Marker { range: (at, at), start_line: 0, end_line: 0, raw: raw.to_owned() };
            (new(&marker_start), new(&marker_end))
        }
    };
    let is_existing = existing.is_some();

    // The headings listed: after the end marker (all of them with --all), of the levels asked.
    let tocable_start = if options.all { start_pos } else { end.range.1 };
    let mut headings: Vec<Listed> = Vec::new();
    for node in &nodes {
        if let Kind::Heading { depth, name } = &node.kind
            && units.at(node.range.end) > tocable_start
            && *depth >= options.min_level
            && options.max_level.is_none_or(|max| *depth <= max)
        {
            headings.push(Listed { rank: *depth, name: name.clone(), line: node.start_line, href: None });
        }
    }
    let html =
        html_headings::find(text, &nodes, &units, tocable_start, options.max_level.unwrap_or(4), options.min_level);
    match html {
        Ok(found) => headings.extend(found),
        Err(unmatched) => return Ok(Rewrite::Unmatched { line: unmatched.line, reason: unmatched.reason }),
    }

    let mut min_lines = start_line;
    if is_existing {
        min_lines += (end.end_line + 2).saturating_sub(start.start_line);
    }
    headings.retain(|h| !h.name.is_empty());

    let mut toc = String::new();
    let last_line = nodes.last().map_or(0, |node| node.end_line);
    if headings.len() >= options.min_toc_items && last_line >= min_lines {
        let title = match &options.title {
            Title::None => String::new(),
            Title::Given(title) => title.clone(),
            Title::Kept if !is_existing => DEFAULT_TITLE.to_owned(),
            Title::Kept => kept_title(text, &nodes, &units, &start, &end),
        };
        // processHeaders: in line order (stable), duplicates counted by their entry's key.
        headings.sort_by_key(|h| h.line);
        let mut instances: std::collections::HashMap<Vec<u16>, usize> = std::collections::HashMap::new();
        let entries: Vec<(u8, String)> = headings
            .iter()
            .map(|h| {
                // An empty `id` is JavaScript's false: the anchor is made from the name, and
                // counted as one with an `id` is (not at all; found by the `doctoc` fuzz target).
                let first = anchor::entry(&h.name, 0, h.href.as_deref().filter(|href| !href.is_empty()));
                let key = match &h.href {
                    Some(href) if !href.is_empty() => href.encode_utf16().collect(),
                    _ => anchor::duplicate_key(&first),
                };
                let count = match instances.get_mut(&key) {
                    Some(count) if h.href.is_none() => {
                        *count += 1;
                        *count
                    }
                    _ => {
                        instances.insert(key, 0);
                        0
                    }
                };
                let entry = if count == 0 { first } else { anchor::entry(&h.name, count, None) };
                (h.rank, entry)
            })
            .collect();
        let lowest = entries.iter().map(|(rank, _)| *rank).min().unwrap_or(1);
        let mut lines: Vec<String> = Vec::new();
        if !title.is_empty() {
            lines.push(title);
        }
        lines.push(String::new());
        for (rank, entry) in entries {
            let level = usize::from(rank - lowest);
            let symbol = options.entry_prefix[level % options.entry_prefix.len()].trim();
            lines.push(format!("{}{symbol} {entry}", "  ".repeat(level)));
        }
        lines.push(String::new());
        toc = lines.join(eol);
    }

    let mut wrapped = String::with_capacity(toc.len() + start.raw.len() + end.raw.len() + 8);
    wrapped.push_str(&start.raw);
    wrapped.push_str(eol);
    if !toc.is_empty() {
        wrapped.push_str(&toc);
        wrapped.push_str(eol);
    }
    wrapped.push_str(&end.raw);
    let wrapped16: Vec<u16> = wrapped.encode_utf16().collect();
    let transformed = !is_existing || js_slice(&content16, start.range.0 as isize, end.range.1 as isize) != wrapped16;
    if !transformed {
        return Ok(Rewrite::Same);
    }
    let mut parts: Vec<&[u16]> = Vec::new();
    if start.range.0 > 0 {
        parts.push(js_slice(&content16, 0, start.range.0 as isize - eol16.len() as isize));
    }
    parts.push(&wrapped16);
    if !is_existing && has_body {
        parts.push(&[]);
    }
    let rest_from = end.range.1 + usize::from(is_existing);
    parts.push(js_slice(&content16, rest_from as isize, content16.len() as isize));
    let data: Vec<u16> = parts.join(eol16.as_slice());
    Ok(Rewrite::Changed(String::from_utf16_lossy(&data)))
}

/// A heading doctoc lists.
pub(crate) struct Listed {
    rank: u8,
    name: String,
    /// The line it sorts by.
    line: usize,
    /// An HTML heading's `id`: its anchor.
    href: Option<String>,
}

/// determineTitle for an existing TOC: the source of the last block between the start marker
/// and the TOC's list (none without a list).
fn kept_title(text: &str, nodes: &[Node], units: &Units, start: &Marker, end: &Marker) -> String {
    let list_start = nodes
        .iter()
        .find(|n| {
            n.kind == Kind::List && units.at(n.range.start) > start.range.0 && units.at(n.range.end) < end.range.1
        })
        .map(|n| units.at(n.range.start));
    let Some(list_start) = list_start else { return String::new() };
    nodes
        .iter()
        .rfind(|n| units.at(n.range.start) >= start.range.1 && units.at(n.range.end) < list_start)
        .map_or(String::new(), |n| text[n.range.clone()].to_owned())
}

/// JavaScript's `slice`: negative offsets count from the end, both clamped.
fn js_slice(units: &[u16], start: isize, end: isize) -> &[u16] {
    let len = units.len() as isize;
    let clamp = |i: isize| if i < 0 { (len + i).max(0) } else { i.min(len) } as usize;
    let (start, end) = (clamp(start), clamp(end));
    if start >= end { &[] } else { &units[start..end] }
}

/// detectLineEnding: the one line ending the document uses, `\n` where it mixes them or has none.
fn line_ending(content: &str) -> &'static str {
    let bytes = content.as_bytes();
    let mut found: Option<&'static str> = None;
    let mut i = 0;
    while i < bytes.len() {
        let eol = match bytes[i] {
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                i += 1;
                "\r\n"
            }
            b'\r' => "\r",
            b'\n' => "\n",
            _ => {
                i += 1;
                continue;
            }
        };
        i += 1;
        match found {
            Some(previous) if previous != eol => return "\n",
            _ => found = Some(eol),
        }
    }
    found.unwrap_or("\n")
}

/// Byte offsets of a text as UTF-16 offsets (what JavaScript's string indexes count).
pub(crate) struct Units {
    /// After each non-ASCII character: its end (a byte offset) and how many more bytes than
    /// UTF-16 units the text has up to there.
    wide: Vec<(usize, usize)>,
}

impl Units {
    fn new(text: &str) -> Self {
        let mut surplus = 0;
        let wide = text
            .char_indices()
            .filter(|(_, c)| !c.is_ascii())
            .map(|(at, c)| {
                surplus += c.len_utf8() - c.len_utf16();
                (at + c.len_utf8(), surplus)
            })
            .collect();
        Units { wide }
    }

    /// The UTF-16 offset of a byte offset (on a character boundary).
    pub(crate) fn at(&self, byte: usize) -> usize {
        let passed = self.wide.partition_point(|&(end, _)| end <= byte);
        byte - if passed == 0 { 0 } else { self.wide[passed - 1].1 }
    }
}

#[cfg(test)]
mod tests;
