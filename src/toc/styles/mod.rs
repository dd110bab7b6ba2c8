//! TOC styles that equal another tool byte for byte, one module per tool: what its CI checks is
//! what git-kep writes. (git-kep's own `markdown` style and mdtoc's `html` style live beside the
//! engine: `render`, `gomarkdown`.)

pub mod doctoc;
pub mod markdown_toc;
