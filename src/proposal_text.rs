//! A proposal's bytes through the TOC engine, with errors that name the file and line.

use crate::error::{EXIT_ERROR, Error, Result};
use crate::toc::{self, Outcome, TocOptions};
use std::path::Path;

/// Decodes `bytes` as UTF-8 or says where it is not.
pub fn decode<'a>(shown_path: &Path, bytes: &'a [u8]) -> Result<&'a str> {
    std::str::from_utf8(bytes).map_err(|err| {
        let line = bytes[..err.valid_up_to()].iter().filter(|&&b| b == b'\n').count() + 1;
        Error::new("not valid UTF-8; git-kep only edits UTF-8 Markdown")
            .at(shown_path, Some(line))
            .hint("re-save the file as UTF-8")
    })
}

/// Regenerates the TOC of `bytes`; errors point at `shown_path`.
pub fn refresh(shown_path: &Path, bytes: &[u8], options: &TocOptions) -> Result<Outcome> {
    let text = decode(shown_path, bytes)?;
    toc::regenerate(text, options).map_err(|err| marker_error(shown_path, &err))
}

/// A marker error as the user sees it.
pub fn marker_error(shown_path: &Path, err: &toc::MarkerError) -> Error {
    Error::new(err.to_string()).at(shown_path, Some(err.line())).hint(err.hint()).exit_code(EXIT_ERROR)
}
