//! Documents left where a proposal was: a line or two saying it moved, with a link to where
//! (`This document was moved to [0002-x.md](./0002-x.md)`). They keep an old path working; they
//! are no proposals of their own, so no rule, number or listing applies to them.

/// Whether `text` is such a stub: no heading, at most three lines of text, a link, and words
/// saying the document moved.
pub fn is_moved_stub(text: &str) -> bool {
    // Asked of every proposal the hook and `check` read: a long one is settled at its fourth line.
    let mut lines = 0;
    for line in text.lines().map(str::trim).filter(|line| !line.is_empty()) {
        lines += 1;
        if lines > 3 || line.starts_with('#') {
            return false;
        }
    }
    if lines == 0 {
        return false;
    }
    let lower = text.to_lowercase();
    let says_moved = ["moved to", "moved into", "renamed", "relocated", "superseded by", "replaced by", "now lives"]
        .iter()
        .any(|words| lower.contains(words));
    says_moved && text.contains("](")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_saying_where_the_document_went_is_a_stub() {
        assert!(is_moved_stub("> IMPORTANT: This document was moved to [0002-x.md](./0002-x.md)\n"));
        assert!(is_moved_stub(
            "This document was renamed as part of the process. Please see [SE-0519: Ref](0519-ref.md).\n\n\n"
        ));
        // A proposal that mentions a move is one.
        assert!(!is_moved_stub("# Move the API\n\nThe API moved to [v2](v2.md).\n"));
        assert!(!is_moved_stub("The API moved to [v2](v2.md).\n\nMore.\n\nAnd more.\n\nAnd then some.\n"));
        assert!(!is_moved_stub("This document was moved to the other repository.\n"));
        assert!(!is_moved_stub(""));
    }
}
