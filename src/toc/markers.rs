//! The `<!-- toc -->` / `<!-- /toc -->` pair: which marker lines count, how they pair, what is
//! malformed; and the pairs other TOC tools write (JetBrains, VS Code's Markdown TOC,
//! markdown-toc, doctoc), recognised as theirs: left byte for byte, never malformed.

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

/// A TOC tool other than the one git-kep maintains, known by its marker pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
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
            Family::JetBrains => "a JetBrains IDE",
            Family::VsCode => "VS Code's Markdown TOC",
            Family::MarkdownToc => "markdown-toc",
            Family::Doctoc => "doctoc",
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

/// Why a document's markers cannot be used. Lines are 1-based.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MarkerError {
    #[error("`{START_MARKER}` has no matching `{END_MARKER}` after it")]
    MissingEnd { line: usize },
    #[error("`{END_MARKER}` comes before any `{START_MARKER}`")]
    EndBeforeStart { line: usize },
    #[error("a second `{START_MARKER}` before the first one is closed (line {first_line})")]
    NestedStart { line: usize, first_line: usize },
    #[error("`{START_MARKER}` is inside an HTML block that goes on after it")]
    InsideHtmlBlock { line: usize },
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
            MarkerError::MissingEnd { line }
            | MarkerError::EndBeforeStart { line }
            | MarkerError::NestedStart { line, .. }
            | MarkerError::InsideHtmlBlock { line } => line,
            MarkerError::TooLarge { .. } => 1,
        }
    }

    /// What the author should do about it.
    pub fn hint(&self) -> &'static str {
        match self {
            MarkerError::MissingEnd { .. } => {
                "add `<!-- /toc -->` on its own line where the table of contents should end"
            }
            MarkerError::EndBeforeStart { .. } => {
                "put `<!-- toc -->` on its own line before it, or remove the stray end marker"
            }
            MarkerError::NestedStart { .. } => "remove one of the start markers: a document has one table of contents",
            MarkerError::InsideHtmlBlock { .. } => "put a blank line before `<!-- toc -->`",
            MarkerError::TooLarge { .. } => "split the document; a table of contents of this size helps no reader",
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

/// Pairs the marker lines (in document order). Another tool's pair is told by what closes it
/// (`<!-- toc -->` by `<!-- tocstop -->` is markdown-toc's, `<!-- TOC -->` by `<!-- TOC -->`
/// JetBrains'), and so is a lone marker only another tool writes: neither is ever malformed.
/// Of git-kep's own markers, the first pair counts; a broken one is an error.
pub fn pair(doc: &str, markers: &[MarkerLine]) -> Result<Pairs, MarkerError> {
    let mut pairs = Pairs::default();
    let line = |marker: &MarkerLine| line_of(doc, marker.line.start);
    let foreign =
        |family, first: &MarkerLine, last: &MarkerLine| ForeignToc { family, lines: first.line.start..last.line.end };
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
                _ if first.inside_open_block => return Err(MarkerError::InsideHtmlBlock { line: line(first) }),
                None => return Err(MarkerError::MissingEnd { line: line(first) }),
                Some(second) if second.kind == MarkerKind::Start => {
                    return Err(MarkerError::NestedStart { line: line(second), first_line: line(first) });
                }
                Some(end) if end.kind == MarkerKind::End => {
                    pairs.ours = Some(MarkerPair { start: first.clone(), end: end.clone() });
                    i += 2;
                    continue;
                }
                Some(_) => return Err(MarkerError::MissingEnd { line: line(first) }),
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
                return Err(MarkerError::EndBeforeStart { line: line(first) });
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

/// The 1-based line number of a byte offset.
pub fn line_of(doc: &str, offset: usize) -> usize {
    doc.as_bytes()[..offset].iter().filter(|&&b| b == b'\n').count() + 1
}
