//! What both fuzz targets share: the first input byte chooses the TOC options.

use git_kep::toc::{Anchors, TocOptions, TocStyle};

/// Splits the input into TOC options (first byte) and a UTF-8 document (the rest).
pub fn options_and_document(input: &[u8]) -> Option<(TocOptions, &str)> {
    let (&flags, rest) = input.split_first()?;
    let options = TocOptions {
        style: if flags & 1 == 0 { TocStyle::Markdown } else { TocStyle::Html },
        max_depth: 1 + (flags >> 1) % 6,
        skip_prefix: flags & 0x80 != 0,
        anchors: if flags & 0x40 == 0 { Anchors::Mdtoc } else { Anchors::Github },
        ..TocOptions::default()
    };
    Some((options, std::str::from_utf8(rest).ok()?))
}
