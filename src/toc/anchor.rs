//! GitHub heading anchors: the slug of a heading's text and the never-reuse-an-id counter.

use rustc_hash::FxHashMap;
use unicode_general_category::{GeneralCategory, get_general_category};

/// The anchor GitHub gives a heading whose rendered text is `text`, before duplicates are counted.
///
/// Lower-case (full Unicode mapping), keep letters, marks, decimal and letter numbers, connector
/// punctuation and `-`, turn each ASCII space into `-`, drop everything else. The category table
/// is pinned to Unicode 13 (`unicode-general-category = "=0.4.0"`) because that is what github.com
/// answers: characters assigned later (e.g. CJK Extension H) are still dropped there.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            // The common case, without the Unicode tables.
            match c {
                ' ' => slug.push('-'),
                'A'..='Z' => slug.push(c.to_ascii_lowercase()),
                'a'..='z' | '0'..='9' | '-' | '_' => slug.push(c),
                _ => {}
            }
        } else {
            slug.extend(c.to_lowercase().filter(|&lower| lower == ' ' || is_kept(lower)));
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
    /// Every id handed out so far, with the last suffix tried for it as a base.
    taken: FxHashMap<String, u32>,
}

impl Slugger {
    pub fn new() -> Self {
        Self::default()
    }

    /// A slugger with room for `headings` ids, so a long document does not rehash as it goes.
    pub fn with_capacity(headings: usize) -> Self {
        let mut slugger = Self::default();
        slugger.taken.reserve(headings);
        slugger
    }

    /// The anchor for the next heading with this text.
    pub fn anchor_for(&mut self, text: &str) -> String {
        self.unique(slugify(text))
    }

    /// The unique id for an already slugified heading, appended to `out`; its range there.
    pub fn unique_into(&mut self, base: &str, out: &mut String) -> std::ops::Range<usize> {
        let start = out.len();
        let Some(&last_suffix) = self.taken.get(base) else {
            out.push_str(base);
            self.taken.insert(base.to_owned(), 0);
            return start..out.len();
        };
        let candidate = self.next_free(base, last_suffix);
        out.push_str(&candidate);
        start..out.len()
    }

    /// The unique id for an already slugified heading.
    pub fn unique(&mut self, base: String) -> String {
        let Some(&last_suffix) = self.taken.get(&base) else {
            self.taken.insert(base.clone(), 0);
            return base;
        };
        self.next_free(&base, last_suffix)
    }

    /// `base-N` for the first N after `last_suffix` that is free; records both.
    fn next_free(&mut self, base: &str, last_suffix: u32) -> String {
        let mut suffix = last_suffix;
        let candidate = loop {
            suffix += 1;
            let candidate = format!("{base}-{suffix}");
            if !self.taken.contains_key(&candidate) {
                break candidate;
            }
        };
        if let Some(last) = self.taken.get_mut(base) {
            *last = suffix;
        }
        self.taken.insert(candidate.clone(), 0);
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
