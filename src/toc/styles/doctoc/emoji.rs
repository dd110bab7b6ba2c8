//! Emoji as doctoc's anchors drop them (emoji-regex 10): every sequence Unicode's emoji-test.txt
//! lists, fully qualified, minimally qualified or unqualified, and the components (skin tones,
//! hair styles) on their own. A zero-width joiner, a variation selector or a tag outside such a
//! sequence stays (VS16 after an emoji shown as one by default too, which the emojis crate also
//! knows).

/// The longest emoji sequence, in code points (a family with skin tones).
const LONGEST: usize = 10;

/// `text` without its emoji.
pub fn strip(text: &str) -> String {
    if text.is_ascii() {
        return text.to_owned();
    }
    let starts: Vec<usize> = text.char_indices().map(|(at, _)| at).chain([text.len()]).collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i + 1 < starts.len() {
        let longest =
            (1..=LONGEST.min(starts.len() - 1 - i)).rev().find(|&n| is_emoji(&text[starts[i]..starts[i + n]]));
        match longest {
            Some(n) => i += n,
            None => {
                out.push_str(&text[starts[i]..starts[i + 1]]);
                i += 1;
            }
        }
    }
    out
}

/// Every sequence of two or more code points, or one that is not a component, that emoji-regex
/// matches: one per line, sorted by bytes. Generated from the `emojis` crate by the test
/// `sequences_are_the_emojis_crates` (run it with `GIT_KEP_WRITE_EMOJI=1` after upgrading that
/// crate). A plain string because the crate's own table holds a pointer per emoji, which the loader
/// relocates at every start of git-kep, doctoc style or not (benches/README.md).
static SEQUENCES: &str = include_str!("emoji-sequences.txt");

/// Whether emoji-regex matches exactly this sequence.
fn is_emoji(sequence: &str) -> bool {
    let mut chars = sequence.chars();
    let first = chars.next().unwrap_or(' ');
    (chars.next().is_none() && is_component(first)) || listed(sequence)
}

/// Whether `sequence` is a line of [`SEQUENCES`]: a binary search over byte offsets, each probe
/// widened to its line.
fn listed(sequence: &str) -> bool {
    let table = SEQUENCES.as_bytes();
    let (mut low, mut high) = (0, table.len());
    // `low` is always a line's start and `high` a line's start or the end.
    while low < high {
        let middle = low + (high - low) / 2;
        let start = table[low..middle].iter().rposition(|&b| b == b'\n').map_or(low, |at| low + at + 1);
        let end = table[start..].iter().position(|&b| b == b'\n').map_or(table.len(), |at| start + at);
        match table[start..end].cmp(sequence.as_bytes()) {
            std::cmp::Ordering::Equal => return true,
            std::cmp::Ordering::Less => low = (end + 1).min(table.len()),
            std::cmp::Ordering::Greater => high = start,
        }
    }
    false
}

/// Skin tones and hair styles, which emoji-test.txt lists as components of their own.
fn is_component(c: char) -> bool {
    matches!(c, '\u{1f3fb}'..='\u{1f3ff}' | '\u{1f9b0}'..='\u{1f9b3}')
}

#[cfg(test)]
mod tests {
    use super::{SEQUENCES, is_component, strip};
    use std::collections::BTreeSet;

    /// What emoji-regex matches, from the `emojis` crate: each emoji (skin tones too) in each
    /// qualification, less what the rules below leave to [`is_component`] or to the text.
    fn sequences_from_the_emojis_crate() -> BTreeSet<String> {
        let mut all = BTreeSet::new();
        for emoji in
            emojis::iter().flat_map(|emoji| std::iter::once(emoji).chain(emoji.skin_tones().into_iter().flatten()))
        {
            // The crate's lookup takes every qualification emoji-test.txt lists and more: the
            // candidates are each subset of the emoji's VS16s, each with a VS16 added after any
            // code point (which found every key of emojis 0.9.1's lookup map but the twelve
            // `1\u{fe0f}` the ASCII rule below drops).
            let chars: Vec<char> = emoji.as_str().chars().collect();
            let selectors: Vec<usize> = (0..chars.len()).filter(|&at| chars[at] == '\u{fe0f}').collect();
            let mut candidates: Vec<Vec<char>> = (0..1u32 << selectors.len())
                .map(|dropped| {
                    (0..chars.len())
                        .filter(|at| selectors.iter().position(|s| s == at).is_none_or(|k| dropped & (1 << k) == 0))
                        .map(|at| chars[at])
                        .collect()
                })
                .collect();
            for variant in candidates.clone() {
                for at in 1..=variant.len() {
                    let mut added = variant.clone();
                    added.insert(at, '\u{fe0f}');
                    candidates.push(added);
                }
            }
            all.extend(candidates.into_iter().map(String::from_iter).filter(|s| emojis::get(s).is_some()));
        }
        all.retain(|sequence| {
            let mut chars = sequence.chars();
            let first = chars.next().unwrap_or(' ');
            let rest: String = chars.collect();
            // Digits, `#` and `*` are emoji only as keycaps (`1️⃣`, `1⃣`): never `1` or `1️` alone.
            if first.is_ascii() {
                return sequence.ends_with('\u{20e3}');
            }
            if rest.is_empty() {
                return !is_component(first);
            }
            // The crate also knows an emoji shown as one by default followed by VS16 (`⚫️`), which
            // emoji-test.txt does not list: emoji-regex takes the emoji and leaves the VS16 (found
            // by the `doctoc` fuzz target; for some of these pairs emoji-regex takes both, see
            // docs/compatibility.md).
            let alone = first.to_string();
            !(rest == "\u{fe0f}" && emojis::get(&alone).is_some_and(|emoji| emoji.as_str() == alone))
        });
        all
    }

    #[test]
    fn sequences_are_the_emojis_crates() {
        let want: String = sequences_from_the_emojis_crate().into_iter().map(|s| s + "\n").collect();
        if want != SEQUENCES && std::env::var_os("GIT_KEP_WRITE_EMOJI").is_some() {
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/toc/styles/doctoc/emoji-sequences.txt");
            std::fs::write(path, &want).expect("write the emoji table");
            return;
        }
        assert!(
            want == SEQUENCES,
            "emoji-sequences.txt is not the emojis crate's: run this test with GIT_KEP_WRITE_EMOJI=1"
        );
    }

    #[test]
    fn emoji_go_and_stray_joiners_stay() {
        let cases = [
            ("a✅b", "ab"),
            ("©®™‼", ""),
            ("#1*", "#1*"),
            ("#️⃣1⃣", ""),
            ("0\u{fe0f}", "0\u{fe0f}"),
            ("👍🏽👩\u{200d}💻🇺🇸", ""),
            ("🇺", "🇺"),
            ("🇦🇦", "🇦🇦"),
            ("😄\u{fe0f}", "\u{fe0f}"),
            ("a⚫\u{fe0f}b", "a\u{fe0f}b"),
            ("✅\u{fe0f}", "\u{fe0f}"),
            ("⚠\u{fe0f}", ""),
            ("😄\u{200d}😄", "\u{200d}"),
            ("a🏽", "a"),
            ("ⓜ Ⓜ", "ⓜ "),
            ("日本語 café", "日本語 café"),
        ];
        for (text, want) in cases {
            assert_eq!(strip(text), want, "{text:?}");
        }
    }
}
