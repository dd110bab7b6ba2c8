//! GitHub heading anchors: the slug of a heading's text and the never-reuse-an-id counter.

use hashbrown::HashTable;
use rustc_hash::FxBuildHasher;
use std::hash::BuildHasher;
use std::ops::Range;
use unicode_general_category::{GeneralCategory, get_general_category};

/// The anchor GitHub gives a heading whose rendered text is `text`, before duplicates are counted.
///
/// Lower-case (full Unicode mapping), keep letters, marks, decimal and letter numbers, connector
/// punctuation and `-`, turn each ASCII space into `-`, drop everything else. The category table
/// is pinned to Unicode 13 (`unicode-general-category = "=0.4.0"`) because that is what github.com
/// answers: characters assigned later (e.g. CJK Extension H) are still dropped there.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    slugify_into(text, &mut slug);
    slug
}

/// `slugify`, appended to `out` (one arena for a whole document's slugs).
pub fn slugify_into(text: &str, out: &mut String) {
    for c in text.chars() {
        if c.is_ascii() {
            // The common case, without the Unicode tables.
            match c {
                ' ' => out.push('-'),
                'A'..='Z' => out.push(c.to_ascii_lowercase()),
                'a'..='z' | '0'..='9' | '-' | '_' => out.push(c),
                _ => {}
            }
        } else {
            out.extend(c.to_lowercase().filter(|&lower| lower == ' ' || is_kept(lower)));
        }
    }
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
///
/// Only the slugs headings bring are kept in the table, not the numbered ids made from them:
/// `x-N` made from `x` is taken exactly when `N` is at most the last suffix `x` handed out (all
/// of `1..=last` were tried, in order), and no other slug can make `x-N` (`y-M` = `x-N` means
/// `y` = `x`: `M` and `N` are digits only). So numbering a duplicate looks nothing up unless a
/// heading's own text was some `x-N`; a document of 500,000 headings, half of them one repeated
/// title, touches the table once per distinct slug instead of once per candidate id.
///
/// The ids live one after the other in one string, and the table holds ranges into it: no
/// allocation per heading, so a document with 500,000 headings costs what it weighs.
#[derive(Debug, Default)]
pub struct Slugger {
    /// Every id handed out so far (and each slug a heading brought), concatenated.
    ids: String,
    /// The slugs headings brought, each once, in the order first seen.
    bases: Vec<Base>,
    /// Indexes into `bases`, by hash of the slug. Four bytes a slot, so the table of a document
    /// with 500,000 headings stays small: a lookup that misses (the common case) only reads the
    /// table's control bytes.
    table: HashTable<u32>,
    /// Hashes of every `x` for which a heading's own slug was `x-N`: only the numbered ids of
    /// these can have been taken by some heading's text. A hash collision only costs lookups.
    numbered_parents: HashTable<u64>,
}

/// A slug some heading brought, in `Slugger::ids`, with the last suffix handed out for it.
#[derive(Debug, Clone)]
struct Base {
    range: Range<usize>,
    last_suffix: u32,
}

impl Slugger {
    pub fn new() -> Self {
        Self::default()
    }

    /// A slugger with room for `headings` ids of about `bytes` bytes in all, so a long document
    /// does not rehash or reallocate as it goes.
    pub fn with_capacity(headings: usize, bytes: usize) -> Self {
        Slugger {
            ids: String::with_capacity(bytes),
            bases: Vec::with_capacity(headings),
            table: HashTable::with_capacity(headings),
            numbered_parents: HashTable::new(),
        }
    }

    /// The anchor for the next heading with this text.
    pub fn anchor_for(&mut self, text: &str) -> String {
        let range = self.unique(&slugify(text));
        self.ids[range].to_owned()
    }

    /// The unique id for an already slugified heading: its range in `ids()`.
    pub fn unique(&mut self, base: &str) -> Range<usize> {
        let base_hash = hash(base);
        let numbered = split_numbered(base);
        if let Some((parent, _)) = numbered {
            let parent_hash = hash(parent);
            self.numbered_parents.entry(parent_hash, |&h| h == parent_hash, |&h| h).or_insert(parent_hash);
        }
        let base_index = match self.find(base_hash, base) {
            Some(index) => index,
            None => {
                // New as a heading's text; still taken if an earlier duplicate was numbered so.
                let made_by_numbering = numbered.is_some_and(|(parent, n)| {
                    self.find(hash(parent), parent).is_some_and(|index| n <= self.bases[index].last_suffix)
                });
                let start = self.ids.len();
                self.ids.push_str(base);
                let index = self.add_base(base_hash, start);
                if !made_by_numbering {
                    return start..self.ids.len();
                }
                index
            }
        };
        // Try `base-N` at the end of the arena, from the last suffix on; keep the first free one.
        let may_be_taken = self.numbered_parents.find(base_hash, |&h| h == base_hash).is_some();
        let mut suffix = self.bases[base_index].last_suffix;
        let start = self.ids.len();
        loop {
            suffix += 1;
            self.ids.truncate(start);
            self.ids.push_str(base);
            self.ids.push('-');
            push_decimal(&mut self.ids, suffix);
            let candidate = &self.ids[start..];
            if !may_be_taken || self.find(hash(candidate), candidate).is_none() {
                break;
            }
        }
        self.bases[base_index].last_suffix = suffix;
        start..self.ids.len()
    }

    /// Where `slug` is in `bases`, if a heading brought it.
    fn find(&self, hash: u64, slug: &str) -> Option<usize> {
        let (ids, bases) = (&self.ids, &self.bases);
        self.table.find(hash, |&index| ids[bases[index as usize].range.clone()] == *slug).map(|&index| index as usize)
    }

    /// Records the slug at the end of the arena, from `start`, as a base; its index in `bases`.
    fn add_base(&mut self, hash: u64, start: usize) -> usize {
        // A document with 2^32 headings would not fit in memory; the index cannot wrap.
        let index = self.bases.len();
        self.bases.push(Base { range: start..self.ids.len(), last_suffix: 0 });
        let (ids, bases) = (&self.ids, &self.bases);
        self.table.insert_unique(hash, index as u32, |&index| self::hash(&ids[bases[index as usize].range.clone()]));
        index
    }

    /// Every id handed out, concatenated; `unique` returns ranges into it.
    pub fn ids(&self) -> &str {
        &self.ids
    }

    pub fn into_ids(self) -> String {
        self.ids
    }
}

fn hash(id: &str) -> u64 {
    FxBuildHasher.hash_one(id)
}

/// `x-N` as (`x`, `N`) when `N` is written the way numbering writes it (no leading zero, not 0).
fn split_numbered(slug: &str) -> Option<(&str, u32)> {
    let (parent, digits) = slug.rsplit_once('-')?;
    let canonical = digits.bytes().all(|b| b.is_ascii_digit()) && !digits.starts_with('0');
    // A suffix too large for u32 was never handed out: `parse` fails and the slug is plain.
    canonical.then(|| digits.parse().ok()).flatten().map(|n| (parent, n))
}

fn push_decimal(out: &mut String, mut n: u32) {
    let mut digits = [0u8; 10];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend(digits[i..].iter().map(|&d| char::from(d)));
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

    /// github-slugger's algorithm, written the obvious way: the model the arena version must match.
    fn reference_ids(bases: &[&str]) -> Vec<String> {
        let mut occurrences = std::collections::HashMap::<String, u32>::new();
        bases
            .iter()
            .map(|&base| {
                let mut id = base.to_owned();
                while occurrences.contains_key(&id) {
                    let count = occurrences.get_mut(base).unwrap();
                    *count += 1;
                    id = format!("{base}-{count}");
                }
                occurrences.insert(id.clone(), 0);
                id
            })
            .collect()
    }

    proptest::proptest! {
        // A fixed seed unless PROPTEST_RNG_SEED asks for others (as tests/properties.rs).
        #![proptest_config(proptest::prelude::ProptestConfig {
            rng_seed: match std::env::var_os("PROPTEST_RNG_SEED") {
                None => proptest::test_runner::RngSeed::Fixed(0x0067_6974_2d6b_6570),
                Some(_) => proptest::prelude::ProptestConfig::default().rng_seed,
            },
            ..proptest::prelude::ProptestConfig::with_cases(2000)
        })]
        #[test]
        fn slugger_matches_github_slugger(picks in proptest::collection::vec(0usize..20, 0..120)) {
            // Slugs that collide with each other's numbered forms, and some that only look alike.
            let pool =
                ["a", "a-1", "a-1-1", "a-2", "b", "a-10", "a-01", "a-0", "a-1-2", "b-1", "-1", "", "a-", "a-1-1-1",
                 "a-3", "b-1-1", "a-4294967296", "a-2-1", "-1-1", "-"];
            let bases: Vec<&str> = picks.iter().map(|&i| pool[i]).collect();
            let mut slugger = Slugger::with_capacity(4, 8);
            let got: Vec<String> = bases.iter().map(|base| {
                let range = slugger.unique(base);
                slugger.ids()[range].to_owned()
            }).collect();
            proptest::prop_assert_eq!(got, reference_ids(&bases));
        }
    }
}
