//! The `<!-- toc -->` / `<!-- /toc -->` pair: which marker lines count, how they pair, what is malformed.

use std::ops::Range;

pub const START_MARKER: &str = "<!-- toc -->";
pub const END_MARKER: &str = "<!-- /toc -->";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkerKind {
    Start,
    End,
}

/// A line that is a marker and nothing else, found as a line of an HTML block (never in code).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkerLine {
    pub kind: MarkerKind,
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
    let kind = if text.eq_ignore_ascii_case(START_MARKER) {
        MarkerKind::Start
    } else if text.eq_ignore_ascii_case(END_MARKER) {
        MarkerKind::End
    } else {
        return None;
    };
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
    Some(MarkerLine { kind, line: line_start..line_end, opens_block: block_first_line.is_none(), inside_open_block })
}

/// Whether an HTML block starting with this line ends at an end condition of its own (comments,
/// processing instructions, declarations, CDATA, script/pre/style/textarea), not at a blank line.
fn ends_by_itself(first_line: &str) -> bool {
    let line = first_line.trim_start().to_ascii_lowercase();
    ["<!", "<?", "<script", "<pre", "<style", "<textarea"].iter().any(|start| line.starts_with(start))
}

/// Pairs the marker lines (in document order). `Ok(None)`: the document has no markers.
pub fn pair(doc: &str, markers: &[MarkerLine]) -> Result<Option<MarkerPair>, MarkerError> {
    let Some(first) = markers.first() else {
        return Ok(None);
    };
    if first.kind == MarkerKind::End {
        return Err(MarkerError::EndBeforeStart { line: line_of(doc, first.line.start) });
    }
    if first.inside_open_block {
        return Err(MarkerError::InsideHtmlBlock { line: line_of(doc, first.line.start) });
    }
    match markers.get(1) {
        None => Err(MarkerError::MissingEnd { line: line_of(doc, first.line.start) }),
        Some(second) if second.kind == MarkerKind::Start => Err(MarkerError::NestedStart {
            line: line_of(doc, second.line.start),
            first_line: line_of(doc, first.line.start),
        }),
        Some(second) => Ok(Some(MarkerPair { start: first.clone(), end: second.clone() })),
    }
}

/// The 1-based line number of a byte offset.
pub fn line_of(doc: &str, offset: usize) -> usize {
    doc.as_bytes()[..offset].iter().filter(|&&b| b == b'\n').count() + 1
}
