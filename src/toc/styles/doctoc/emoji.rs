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

/// Whether emoji-regex matches exactly this sequence.
fn is_emoji(sequence: &str) -> bool {
    let mut chars = sequence.chars();
    let first = chars.next().unwrap_or(' ');
    if first.is_ascii() {
        // Digits, `#` and `*` are emoji only as keycaps (`1️⃣`, `1⃣`): never `1` or `1️` alone.
        return sequence.ends_with('\u{20e3}') && emojis::get(sequence).is_some();
    }
    if sequence.len() == first.len_utf8() && is_component(first) {
        return true;
    }
    // The emojis crate also knows an emoji shown as one by default followed by VS16 (`⚫️`),
    // which emoji-test.txt does not list: emoji-regex takes the emoji and leaves the VS16 (found
    // by the `doctoc` fuzz target; for some of these pairs emoji-regex takes both, see
    // docs/compatibility.md).
    let alone = &sequence[..first.len_utf8()];
    if sequence.len() == first.len_utf8() + '\u{fe0f}'.len_utf8()
        && sequence.ends_with('\u{fe0f}')
        && emojis::get(alone).is_some_and(|emoji| emoji.as_str() == alone)
    {
        return false;
    }
    emojis::get(sequence).is_some()
}

/// Skin tones and hair styles, which emoji-test.txt lists as components of their own.
fn is_component(c: char) -> bool {
    matches!(c, '\u{1f3fb}'..='\u{1f3ff}' | '\u{1f9b0}'..='\u{1f9b3}')
}

#[cfg(test)]
mod tests {
    use super::strip;

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
