//! TOC marker pairs: which marker lines count, how they pair, what is malformed. Each TOC tool
//! has its family of markers (git-kep's and mdtoc's `<!-- toc -->` / `<!-- /toc -->`, doctoc's,
//! markdown-toc's, JetBrains', VS Code's); the style maintains one family, and the pairs of every
//! other family are recognised as another tool's: left byte for byte, never malformed.

use std::ops::Range;

pub const START_MARKER: &str = "<!-- toc -->";
pub const END_MARKER: &str = "<!-- /toc -->";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkerKind {
    /// `<!-- toc -->`, any case (as mdtoc reads it); also JetBrains' `<!-- TOC -->` (`upper`).
    Start,
    /// `<!-- /toc -->`, any case; also the end of VS Code's Markdown TOC (`<!-- /TOC -->`).
    End,
    /// markdown-toc's end: `<!-- tocstop -->`.
    TocStop,
    /// VS Code's Markdown TOC start: `<!-- TOC depthFrom:1 depthTo:2 -->` (options after `TOC`).
    VsCodeStart,
    /// doctoc's `<!-- START doctoc ... -->` and `<!-- END doctoc ... -->` (legacy and compact).
    DoctocStart,
    DoctocEnd,
}

/// A TOC tool, known by its marker pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// `<!-- toc -->` ... `<!-- /toc -->` (git-kep's own, and mdtoc's).
    Toc,
    /// `<!-- TOC -->` ... `<!-- TOC -->` (JetBrains IDEs).
    JetBrains,
    /// `<!-- TOC options -->` ... `<!-- /TOC -->` (VS Code's "Markdown TOC").
    VsCode,
    /// `<!-- toc -->` ... `<!-- tocstop -->` (markdown-toc).
    MarkdownToc,
    /// `<!-- START doctoc ... -->` ... `<!-- END doctoc ... -->`.
    Doctoc,
}

impl Family {
    pub fn name(self) -> &'static str {
        match self {
            Family::Toc => "git-kep (or mdtoc)",
            Family::JetBrains => "a JetBrains IDE",
            Family::VsCode => "VS Code's Markdown TOC",
            Family::MarkdownToc => "markdown-toc",
            Family::Doctoc => "doctoc",
        }
    }

    /// The start marker, as errors name it.
    pub fn start_marker(self) -> &'static str {
        match self {
            Family::Toc | Family::MarkdownToc => START_MARKER,
            Family::JetBrains => "<!-- TOC -->",
            Family::VsCode => "<!-- TOC options -->",
            Family::Doctoc => "<!-- START doctoc -->",
        }
    }

    /// The end marker, as errors name it.
    pub fn end_marker(self) -> &'static str {
        match self {
            Family::Toc => END_MARKER,
            Family::MarkdownToc => "<!-- tocstop -->",
            Family::JetBrains => "<!-- TOC -->",
            Family::VsCode => "<!-- /TOC -->",
            Family::Doctoc => "<!-- END doctoc -->",
        }
    }
}

/// Another tool's TOC: its family and the bytes from its start marker's line to its end
/// marker's line, both included (nothing git-kep writes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForeignToc {
    pub family: Family,
    pub lines: Range<usize>,
}

/// A line that is a marker and nothing else, found as a line of an HTML block (never in code).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkerLine {
    pub kind: MarkerKind,
    /// Written exactly `<!-- TOC -->`: a JetBrains marker when another one closes it.
    pub upper: bool,
    /// The whole line, its line ending included.
    pub line: Range<usize>,
    /// Whether the marker opens its HTML block. When the end marker does not, a block opened
    /// inside the TOC body (`<div>` without a blank line) runs on past it.
    pub opens_block: bool,
    /// Whether the marker continues an HTML block that only a blank line ends (`<div>`, CommonMark
    /// types 6 and 7): a TOC there would be swallowed by that block.
    pub inside_open_block: bool,
}

/// The marker pair git-kep maintains: the first start marker and the first end marker after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkerPair {
    pub start: MarkerLine,
    pub end: MarkerLine,
}

impl MarkerPair {
    /// The bytes the TOC occupies: after the start marker's line, up to the end marker's line.
    pub fn body(&self) -> Range<usize> {
        self.start.line.end..self.end.line.start
    }
}

/// Why a document's markers (of the family its style maintains) cannot be used. Lines are 1-based.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MarkerError {
    #[error("`{}` has no matching `{}` after it", family.start_marker(), family.end_marker())]
    MissingEnd { family: Family, line: usize },
    #[error("`{}` comes before any `{}`", family.end_marker(), family.start_marker())]
    EndBeforeStart { family: Family, line: usize },
    #[error("a second `{}` before the first one is closed (line {first_line})", family.start_marker())]
    NestedStart { family: Family, line: usize, first_line: usize },
    #[error("`{}` is inside an HTML block that goes on after it", family.start_marker())]
    InsideHtmlBlock { family: Family, line: usize },
    #[error("the document is larger than {} MiB, the most git-kep reads", super::MAX_DOCUMENT_BYTES >> 20)]
    TooLarge {
        /// Its size, or as much of it as was read (one byte past the limit: see `files::read_document`).
        bytes: usize,
    },
}

impl MarkerError {
    /// The 1-based line the error points at.
    pub fn line(&self) -> usize {
        match *self {
            MarkerError::MissingEnd { line, .. }
            | MarkerError::EndBeforeStart { line, .. }
            | MarkerError::NestedStart { line, .. }
            | MarkerError::InsideHtmlBlock { line, .. } => line,
            MarkerError::TooLarge { .. } => 1,
        }
    }

    /// What the author should do about it.
    pub fn hint(&self) -> String {
        match self {
            MarkerError::MissingEnd { family, .. } => {
                format!("add `{}` on its own line where the table of contents should end", family.end_marker())
            }
            MarkerError::EndBeforeStart { family, .. } => {
                format!("put `{}` on its own line before it, or remove the stray end marker", family.start_marker())
            }
            MarkerError::NestedStart { .. } => {
                "remove one of the start markers: a document has one table of contents".to_owned()
            }
            MarkerError::InsideHtmlBlock { family, .. } => {
                format!("put a blank line before `{}`", family.start_marker())
            }
            MarkerError::TooLarge { .. } => {
                "split the document; a table of contents of this size helps no reader".to_owned()
            }
        }
    }
}

/// Classifies one line of an HTML block. A marker must be the whole line (up to three spaces of
/// indentation, trailing white space allowed), compared case-insensitively like mdtoc does.
pub fn classify(doc: &str, html_line: Range<usize>, block_first_line: Option<&str>) -> Option<MarkerLine> {
    let raw = &doc[html_line.clone()];
    let text = raw.trim();
    let comment = text.strip_prefix("<!--").and_then(|t| t.strip_suffix("-->")).map(str::trim);
    let kind = if text.eq_ignore_ascii_case(START_MARKER) {
        MarkerKind::Start
    } else if text.eq_ignore_ascii_case(END_MARKER) {
        MarkerKind::End
    } else if text.eq_ignore_ascii_case("<!-- tocstop -->") {
        MarkerKind::TocStop
    } else if let Some(inside) = comment {
        if inside.strip_prefix("TOC").is_some_and(|options| options.starts_with([' ', '\t'])) {
            MarkerKind::VsCodeStart
        } else if inside.starts_with("START doctoc") {
            MarkerKind::DoctocStart
        } else if inside.starts_with("END doctoc") {
            MarkerKind::DoctocEnd
        } else {
            return None;
        }
    } else {
        return None;
    };
    let upper = text == "<!-- TOC -->";
    let marker_start = html_line.start + (raw.len() - raw.trim_start().len());
    let line_start = doc[..marker_start].rfind('\n').map_or(0, |i| i + 1);
    let indent = &doc[line_start..marker_start];
    // Anything but spaces before it means a container (`>` quote, list item): not our marker.
    if indent.len() > 3 || indent.bytes().any(|b| b != b' ') {
        return None;
    }
    // The event may or may not include the line ending; the marker itself has none.
    let line_end = doc[marker_start..].find('\n').map_or(doc.len(), |i| marker_start + i + 1);
    let inside_open_block = block_first_line.is_some_and(|first| !ends_by_itself(first));
    Some(MarkerLine {
        kind,
        upper,
        line: line_start..line_end,
        opens_block: block_first_line.is_none(),
        inside_open_block,
    })
}

/// Whether an HTML block starting with this line ends at an end condition of its own (comments,
/// processing instructions, declarations, CDATA, script/pre/style/textarea), not at a blank line.
fn ends_by_itself(first_line: &str) -> bool {
    let line = first_line.trim_start().to_ascii_lowercase();
    ["<!", "<?", "<script", "<pre", "<style", "<textarea"].iter().any(|start| line.starts_with(start))
}

/// The marker pairs of a document: git-kep's (`None`: it has none) and other tools'.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pairs {
    pub ours: Option<MarkerPair>,
    pub foreign: Vec<ForeignToc>,
}

/// Pairs the marker lines (in document order) for a style that maintains `maintained`'s TOC.
pub fn pair(doc: &str, markers: &[MarkerLine], maintained: Family) -> Result<Pairs, MarkerError> {
    match maintained {
        Family::Doctoc => pair_doctoc(doc, markers),
        Family::MarkdownToc => pair_markdown_toc(doc, markers),
        Family::Toc | Family::JetBrains | Family::VsCode => pair_toc(doc, markers),
    }
}

/// git-kep's own pair. Another tool's pair is told by what closes it (`<!-- toc -->` by
/// `<!-- tocstop -->` is markdown-toc's, `<!-- TOC -->` by `<!-- TOC -->` JetBrains'), and so is
/// a lone marker only another tool writes: neither is ever malformed. Of git-kep's own markers,
/// the first pair counts; a broken one is an error.
fn pair_toc(doc: &str, markers: &[MarkerLine]) -> Result<Pairs, MarkerError> {
    let family = Family::Toc;
    let mut pairs = Pairs::default();
    let line = |marker: &MarkerLine| line_of(doc, marker.line.start);
    let mut i = 0;
    while let Some(first) = markers.get(i) {
        let next = markers.get(i + 1);
        let next_kind = next.map(|n| n.kind);
        let found = match first.kind {
            MarkerKind::Start => match next {
                Some(end) if end.kind == MarkerKind::TocStop => Some(foreign(Family::MarkdownToc, first, end)),
                Some(end) if first.upper && end.upper => Some(foreign(Family::JetBrains, first, end)),
                // A lone `<!-- TOC -->`: JetBrains' with its end lost; not git-kep's to judge.
                _ if first.upper && next_kind != Some(MarkerKind::End) => {
                    i += 1;
                    continue;
                }
                _ if pairs.ours.is_some() => None,
                _ if first.inside_open_block => return Err(MarkerError::InsideHtmlBlock { family, line: line(first) }),
                None => return Err(MarkerError::MissingEnd { family, line: line(first) }),
                Some(second) if second.kind == MarkerKind::Start => {
                    return Err(MarkerError::NestedStart { family, line: line(second), first_line: line(first) });
                }
                Some(end) if end.kind == MarkerKind::End => {
                    pairs.ours = Some(MarkerPair { start: first.clone(), end: end.clone() });
                    i += 2;
                    continue;
                }
                Some(_) => return Err(MarkerError::MissingEnd { family, line: line(first) }),
            },
            MarkerKind::VsCodeStart => match next {
                Some(end) if end.kind == MarkerKind::End => Some(foreign(Family::VsCode, first, end)),
                _ => None,
            },
            MarkerKind::DoctocStart => match next {
                Some(end) if end.kind == MarkerKind::DoctocEnd => Some(foreign(Family::Doctoc, first, end)),
                _ => None,
            },
            MarkerKind::End if pairs.ours.is_none() => {
                return Err(MarkerError::EndBeforeStart { family, line: line(first) });
            }
            MarkerKind::End | MarkerKind::TocStop | MarkerKind::DoctocEnd => None,
        };
        match found {
            Some(toc) => {
                pairs.foreign.push(toc);
                i += 2;
            }
            None => i += 1,
        }
    }
    Ok(pairs)
}

fn foreign(family: Family, first: &MarkerLine, last: &MarkerLine) -> ForeignToc {
    ForeignToc { family, lines: first.line.start..last.line.end }
}

/// Every pair as another tool's (`<!-- toc -->` by `<!-- /toc -->` is git-kep's or mdtoc's),
/// lone markers skipped: what a style that maintains another family sees besides its own.
fn foreign_pairs(markers: &[MarkerLine]) -> Vec<ForeignToc> {
    let mut found = Vec::new();
    let mut i = 0;
    while let Some(first) = markers.get(i) {
        let next = markers.get(i + 1);
        let family = match (first.kind, next.map(|n| n.kind)) {
            (MarkerKind::Start, Some(MarkerKind::TocStop)) => Some(Family::MarkdownToc),
            (MarkerKind::Start, Some(MarkerKind::Start)) if first.upper && next.is_some_and(|n| n.upper) => {
                Some(Family::JetBrains)
            }
            (MarkerKind::Start, Some(MarkerKind::End)) => Some(Family::Toc),
            (MarkerKind::VsCodeStart, Some(MarkerKind::End)) => Some(Family::VsCode),
            (MarkerKind::DoctocStart, Some(MarkerKind::DoctocEnd)) => Some(Family::Doctoc),
            _ => None,
        };
        match (family, next) {
            (Some(family), Some(last)) => {
                found.push(foreign(family, first, last));
                i += 2;
            }
            _ => i += 1,
        }
    }
    found
}

/// doctoc's pair, as doctoc finds it: with two or more doctoc markers, the first START and the
/// first END (doctoc stops with an error when either is missing); with one alone, no TOC yet.
fn pair_doctoc(doc: &str, markers: &[MarkerLine]) -> Result<Pairs, MarkerError> {
    let family = Family::Doctoc;
    let line = |marker: &MarkerLine| line_of(doc, marker.line.start);
    let theirs: Vec<&MarkerLine> =
        markers.iter().filter(|m| matches!(m.kind, MarkerKind::DoctocStart | MarkerKind::DoctocEnd)).collect();
    let mut foreign = foreign_pairs(markers);
    if theirs.len() < 2 {
        return Ok(Pairs { ours: None, foreign });
    }
    let start = theirs.iter().find(|m| m.kind == MarkerKind::DoctocStart);
    let end = theirs.iter().find(|m| m.kind == MarkerKind::DoctocEnd);
    let (start, end) = match (start, end) {
        (Some(start), Some(end)) if end.line.start > start.line.start => (start, end),
        (_, Some(end)) => return Err(MarkerError::EndBeforeStart { family, line: line(end) }),
        (Some(start), None) => return Err(MarkerError::MissingEnd { family, line: line(start) }),
        (None, None) => unreachable!("two or more doctoc markers"),
    };
    foreign.retain(|toc| !(toc.lines.start < end.line.end && start.line.start < toc.lines.end));
    Ok(Pairs { ours: Some(MarkerPair { start: (*start).clone(), end: (*end).clone() }), foreign })
}

/// markdown-toc's pair: the first `<!-- toc -->` that `<!-- tocstop -->` closes.
fn pair_markdown_toc(doc: &str, markers: &[MarkerLine]) -> Result<Pairs, MarkerError> {
    let _ = doc;
    let mut foreign = foreign_pairs(markers);
    let ours = markers.windows(2).find(|w| w[0].kind == MarkerKind::Start && w[1].kind == MarkerKind::TocStop);
    let ours = ours.map(|w| MarkerPair { start: w[0].clone(), end: w[1].clone() });
    if let Some(pair) = &ours {
        foreign.retain(|toc| toc.lines.start != pair.start.line.start);
    }
    Ok(Pairs { ours, foreign })
}

/// The 1-based line number of a byte offset.
pub fn line_of(doc: &str, offset: usize) -> usize {
    doc.as_bytes()[..offset].iter().filter(|&&b| b == b'\n').count() + 1
}
