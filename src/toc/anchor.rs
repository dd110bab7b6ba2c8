//! GitHub heading anchors: the slug of a heading's text and the never-reuse-an-id counter.

use std::collections::{HashMap, HashSet};
use unicode_general_category::{GeneralCategory, get_general_category};

/// The anchor GitHub gives a heading whose rendered text is `text`, before duplicates are counted.
///
/// Lower-case (full Unicode mapping), keep letters, marks, decimal and letter numbers, connector
/// punctuation and `-`, turn each ASCII space into `-`, drop everything else. The category table
/// is pinned to Unicode 13 (`unicode-general-category = "=0.4.0"`) because that is what github.com
/// answers: characters assigned later (e.g. CJK Extension H) are still dropped there.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for lower in text.chars().flat_map(char::to_lowercase) {
        if lower == ' ' {
            slug.push('-');
        } else if is_kept(lower) {
            slug.push(lower);
        }
    }
    slug
}

/// GitHub keeps "word" characters: letters, marks, decimal digits, connector punctuation, and
/// whatever else is Alphabetic (letter numbers like `Ⅻ`, circled letters like `ⓔ`).
fn is_kept(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || c == '-' || c == '_';
    }
    use GeneralCategory::*;
    match get_general_category(c) {
        UppercaseLetter | LowercaseLetter | TitlecaseLetter | ModifierLetter | OtherLetter | NonspacingMark
        | SpacingMark | EnclosingMark | DecimalNumber | LetterNumber | ConnectorPunctuation => true,
        // Assigned after Unicode 13: github.com does not keep it yet.
        Unassigned => false,
        // std's Alphabetic is newer than Unicode 13, but only matters for characters 13 had.
        _ => c.is_alphabetic(),
    }
}

/// Hands out unique anchors in document order, the way GitHub does.
///
/// GitHub never reuses an id: when `echo` is taken it tries `echo-1`, `echo-2`, ... and also
/// skips ids that an earlier heading produced literally (`echo 1` after two `echo`s becomes
/// `echo-1-1`). Every heading of the document goes through the same slugger, listed or not.
#[derive(Debug, Default)]
pub struct Slugger {
    taken: HashSet<String>,
    next_suffix: HashMap<String, u32>,
}

impl Slugger {
    pub fn new() -> Self {
        Self::default()
    }

    /// The anchor for the next heading with this text.
    pub fn anchor_for(&mut self, text: &str) -> String {
        let base = slugify(text);
        let mut candidate = base.clone();
        while self.taken.contains(&candidate) {
            let suffix = self.next_suffix.entry(base.clone()).or_insert(0);
            *suffix += 1;
            candidate = format!("{base}-{suffix}");
        }
        self.taken.insert(candidate.clone());
        candidate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slug_rules() {
        let cases = [
            ("Alpha -> Beta", "alpha---beta"),
            ("Open Questions [optional]", "open-questions-optional"),
            ("Implementation Details/Notes/Constraints [optional]", "implementation-detailsnotesconstraints-optional"),
            ("Upgrade / Downgrade Strategy", "upgrade--downgrade-strategy"),
            ("snake_case_name", "snake_case_name"),
            ("Привет non-latin 你好", "привет-non-latin-你好"),
            ("I ♥ unicode", "i--unicode"),
            ("x² and ½", "x-and-"),
            ("a\u{00a0}b", "ab"),
            ("a\u{200b}b", "ab"),
            ("ǅemal", "ǆemal"),
            ("İstanbul", "i\u{307}stanbul"),
            ("Ⅻ roman", "ⅻ-roman"),
            ("a‿b", "a‿b"),
            ("😄 emoji", "-emoji"),
            ("Ⓔ circled", "ⓔ-circled"),
            ("", ""),
        ];
        for (text, want) in cases {
            assert_eq!(slugify(text), want, "slug of {text:?}");
        }
    }

    #[test]
    fn duplicates_never_reuse_an_id() {
        let mut slugger = Slugger::new();
        let got: Vec<String> = ["echo", "echo", "echo 1", "echo-1", "echo", "foxtrot-1", "foxtrot", "foxtrot"]
            .iter()
            .map(|text| slugger.anchor_for(text))
            .collect();
        assert_eq!(got, ["echo", "echo-1", "echo-1-1", "echo-1-2", "echo-2", "foxtrot-1", "foxtrot", "foxtrot-2"]);
    }
}
