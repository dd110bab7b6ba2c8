//! doctoc's TOC entry for a heading (anchor-markdown-header 0.8, GitHub mode): `[name](#href)`,
//! the name verbatim and the href made by its own rules, which are not GitHub's: a fixed list of
//! punctuation dropped, emoji dropped (emoji-regex), some Markdown stripped again from the slug
//! (remove-markdown 0.6), the rest percent-encoded as `encodeURI` does.

use super::emoji;

/// The entry for a heading named `name`, its `repetition`-th duplicate (0: the first), whose
/// anchor is `href` if given (an HTML heading's `id`). `{#id}` (or kramdown's `{:#id}`) at the
/// end of the name gives the href instead and leaves the name.
pub fn entry(name: &str, repetition: usize, href: Option<&str>) -> String {
    let (name, id) = match explicit_id(name) {
        Some((name, id)) => (name, Some(id)),
        None => (name, href),
    };
    let href = match id {
        Some(id) => id.to_owned(),
        None => github_id(&js_trim(name).to_lowercase(), repetition),
    };
    let mut out = String::with_capacity(name.len() + href.len() + 5);
    out.push('[');
    out.push_str(name);
    out.push_str("](#");
    encode_uri_into(&href, &mut out);
    out.push(')');
    out
}

/// The key doctoc counts duplicates by: the entry after its first `#`, up to the next `#`,
/// less its last UTF-16 unit (`anchorLink.split('#')[1].slice(0, -1)`). A name with a `#` in it
/// makes a key of its own text: `C# x` and `D# x` count as one heading twice.
pub fn duplicate_key(entry: &str) -> Vec<u16> {
    let segment = entry.split('#').nth(1).unwrap_or("");
    let mut units: Vec<u16> = segment.encode_utf16().collect();
    units.pop();
    units
}

/// `^(.*?)[ \t]*\{:?#([^\s}]+)\}[ \t]*$`: the shortest name (on one line) followed by an id.
fn explicit_id(header: &str) -> Option<(&str, &str)> {
    for (at, c) in header.char_indices() {
        if c == '{'
            && let Some(id) = id_after_brace(&header[at + 1..])
        {
            let name = header[..at].trim_end_matches([' ', '\t']);
            return Some((name, id));
        }
        if is_line_terminator(c) {
            return None;
        }
    }
    None
}

/// After `{`: `:?#([^\s}]+)\}[ \t]*$`.
fn id_after_brace(rest: &str) -> Option<&str> {
    let rest = rest.strip_prefix(':').filter(|r| r.starts_with('#')).unwrap_or(rest);
    let rest = rest.strip_prefix('#')?;
    let end = rest.find(|c: char| c == '}' || is_js_space(c)).unwrap_or(rest.len());
    let (id, after) = rest.split_at(end);
    let after = after.strip_prefix('}')?;
    (!id.is_empty() && after.trim_start_matches([' ', '\t']).is_empty()).then_some(id)
}

/// `getGithubId`: the slug of a lower-cased name.
fn github_id(text: &str, repetition: usize) -> String {
    let mut id = basic_github_id(text);
    if repetition > 0 {
        id.push('-');
        id.push_str(&repetition.to_string());
    }
    let id = emoji::strip(&id);
    remove_markdown(&id)
}

/// `basicGithubId`: spaces to `-`, `%XX` escapes, then a list of punctuation, dropped.
fn basic_github_id(text: &str) -> String {
    let dashed = text.replace(' ', "-");
    let mut without_escapes = String::with_capacity(dashed.len());
    let bytes = dashed.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && bytes[i + 1].is_ascii_hexdigit()
            && bytes[i + 2].is_ascii_hexdigit()
        {
            i += 3;
            continue;
        }
        let c = dashed[i..].chars().next().expect("on a char boundary");
        without_escapes.push(c);
        i += c.len_utf8();
    }
    without_escapes.chars().filter(|&c| !is_dropped(c)).collect()
}

/// The characters `basicGithubId` drops: ASCII punctuation (not `-`, `_` and `^`), two dashes,
/// CJK punctuation and Latin-1 symbols.
fn is_dropped(c: char) -> bool {
    matches!(
        c,
        '/' | '\\'
            | '?'
            | '!'
            | '%'
            | ':'
            | '['
            | ']'
            | '`'
            | '.'
            | ','
            | '('
            | ')'
            | '*'
            | '"'
            | '\''
            | ';'
            | '{'
            | '}'
            | '+'
            | '='
            | '<'
            | '>'
            | '~'
            | '$'
            | '|'
            | '#'
            | '@'
            | '&'
            | '–'
            | '—'
    ) || "。？！，、；：“”【】（）〔〕［］﹃﹄‘’﹁﹂…－～《》〈〉「」".contains(c)
        || "¡¢£¤¥¦§¨©«¬®¯°±²³´¶·¸¹»¼½¾¿".contains(c)
}

/// What remove-markdown still finds in a slug once `basicGithubId` has dropped `*`, `[`, `<`,
/// `#`, `` ` ``, `~`, `=`, `.` and spaces: dash and underscore rules (`---` lines, a `-` list
/// leader, a slug of dashes only) and `_emphasis_`. Its other rules need a dropped character.
fn remove_markdown(text: &str) -> String {
    let text = remove_rule_lines(text);
    let text = remove_list_leaders(&text);
    // `^[=\-]{2,}\s*$` without the `m` flag: the whole slug.
    let dashes = text.trim_start_matches('-');
    let text = if text.len() - dashes.len() >= 2 && dashes.chars().all(is_js_space) { String::new() } else { text };
    remove_underscore_emphasis(&text)
}

/// `^ {0,3}((?:-[\t ]*){3,}|(?:_[ \t]*){3,}|(?:\*[ \t]*){3,})(?:\n+|$)` (`gm`): a line of three
/// or more dashes (or underscores), tabs between, goes with the newlines after it.
fn remove_rule_lines(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let at_line_start = i == 0 || is_line_terminator(chars[i - 1]);
        if at_line_start && let Some(end) = rule_line_end(&chars, i) {
            i = end;
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// Where a rule line starting at `start` ends (with its newlines), if it is one.
fn rule_line_end(chars: &[char], start: usize) -> Option<usize> {
    let marker = *chars.get(start).filter(|c| matches!(c, '-' | '_'))?;
    let mut i = start;
    let mut count = 0;
    while chars.get(i) == Some(&marker) {
        count += 1;
        i += 1;
        while matches!(chars.get(i), Some('\t' | ' ')) {
            i += 1;
        }
    }
    if count < 3 {
        return None;
    }
    match chars.get(i) {
        None => Some(i),
        Some('\n') => Some(i + chars[i..].iter().take_while(|&&c| c == '\n').count()),
        // `$` (multiline) before another line terminator: the match ends there.
        Some(&c) if is_line_terminator(c) => Some(i),
        Some(_) => None,
    }
}

/// `^([\s\t]*)([\*\-\+]|\d+\.)\s+` (`gm`, replaced by `$1`): at a line start, white space
/// (newlines too), a `-`, then white space: the `-` and the white space after it go.
fn remove_list_leaders(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let at_line_start = i == 0 || is_line_terminator(chars[i - 1]);
        if at_line_start {
            let leading = chars[i..].iter().take_while(|&&c| is_js_space(c)).count();
            let dash = i + leading;
            let trailing = chars.get(dash + 1..).map_or(0, |rest| rest.iter().take_while(|&&c| is_js_space(c)).count());
            if chars.get(dash) == Some(&'-') && trailing > 0 {
                out.extend(&chars[i..dash]);
                i = dash + 1 + trailing;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// `(^|\W)([_]+)(\S)(.*?\S)??\2($|\W)` (`g`, replaced by `$1$3$4$5`): an underscore run that
/// starts a word and the same run that ends it go, as a backtracking regex finds them.
fn remove_underscore_emphasis(text: &str) -> String {
    if !text.contains('_') {
        return text.to_owned();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    let mut start = 0;
    while start < chars.len() {
        match underscore_match(&chars, start) {
            Some(m) => {
                out.extend(&chars[pos..start]);
                out.extend(&chars[m.lead.clone()]);
                out.extend(&chars[m.inner.clone()]);
                out.extend(&chars[m.trail.clone()]);
                pos = m.end;
                start = m.end;
            }
            None => start += 1,
        }
    }
    out.extend(&chars[pos..]);
    out
}

struct UnderscoreMatch {
    /// `$1`: the non-word character before the run (or nothing at the start).
    lead: std::ops::Range<usize>,
    /// `$3$4`: what the runs enclose.
    inner: std::ops::Range<usize>,
    /// `$5`: the non-word character after the closing run (or nothing at the end).
    trail: std::ops::Range<usize>,
    end: usize,
}

/// The regex tried at `start`, alternatives and quantifiers in the order JavaScript tries them.
fn underscore_match(chars: &[char], start: usize) -> Option<UnderscoreMatch> {
    // (^|\W): `^` first (only at the very start), then one non-word character.
    let mut leads = Vec::with_capacity(2);
    if start == 0 {
        leads.push(start..start);
    }
    if !is_word(chars[start]) {
        leads.push(start..start + 1);
    }
    for lead in leads {
        let run_start = lead.end;
        let run_max = chars[run_start..].iter().take_while(|&&c| c == '_').count();
        // ([_]+) is greedy: the longest run first.
        for run in (1..=run_max).rev() {
            let first = run_start + run;
            // (\S)
            if chars.get(first).is_none_or(|&c| is_js_space(c)) {
                continue;
            }
            // (.*?\S)?? is lazy: first without it, then ever longer, `.` stopping at line ends.
            let mut inner_end = first + 1;
            loop {
                if inner_end > first + 1 && is_js_space(chars[inner_end - 1]) {
                    // (.*?\S) must end with a non-space: not a candidate, but `.` may go on.
                } else if let Some(end) = closing(chars, inner_end, run) {
                    let trail = end.0..end.1;
                    return Some(UnderscoreMatch { lead, inner: first..inner_end, trail, end: end.1 });
                }
                match chars.get(inner_end) {
                    Some(&c) if !is_line_terminator(c) => inner_end += 1,
                    _ => break,
                }
            }
        }
    }
    None
}

/// `\2($|\W)` at `at`: the same run, then the end or a non-word character (the range of `$5`).
fn closing(chars: &[char], at: usize, run: usize) -> Option<(usize, usize)> {
    let after = at + run;
    if after > chars.len() || chars[at..after].iter().any(|&c| c != '_') {
        return None;
    }
    match chars.get(after) {
        None => Some((after, after)),
        Some(&c) if !is_word(c) => Some((after, after + 1)),
        Some(_) => None,
    }
}

/// JavaScript's `\w`.
fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// JavaScript's `\s` (and what `String.prototype.trim` removes).
pub(crate) fn is_js_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}' | '\u{2028}' | '\u{2029}' | '\u{202f}' | '\u{205f}' | '\u{3000}' | '\u{feff}'
    )
}

/// What JavaScript's `.` does not match and its multiline `^`/`$` stop at.
fn is_line_terminator(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}')
}

/// JavaScript's `trim`.
pub(crate) fn js_trim(text: &str) -> &str {
    text.trim_matches(is_js_space)
}

/// `encodeURI`, except that a zero-width joiner stays itself (GitHub keeps it in emoji ids).
fn encode_uri_into(text: &str, out: &mut String) {
    const KEPT: &[u8] = b";,/?:@&=+$-_.!~*'()#";
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || (c.is_ascii() && KEPT.contains(&(c as u8))) || c == '\u{200d}' {
            out.push(c);
        } else {
            let mut buffer = [0u8; 4];
            for byte in c.encode_utf8(&mut buffer).bytes() {
                out.push('%');
                out.push(char::from_digit(u32::from(byte >> 4), 16).expect("a hex digit").to_ascii_uppercase());
                out.push(char::from_digit(u32::from(byte & 15), 16).expect("a hex digit").to_ascii_uppercase());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_as_doctoc_writes_them() {
        let cases = [
            ("Summary", 0, "[Summary](#summary)"),
            ("Summary", 2, "[Summary](#summary-2)"),
            ("Alpha -> Beta", 0, "[Alpha -> Beta](#alpha---beta)"),
            ("Goals [optional]", 0, "[Goals [optional]](#goals-optional)"),
            ("Non-Goals/Future Work", 0, "[Non-Goals/Future Work](#non-goalsfuture-work)"),
            ("A & B <c>", 0, "[A & B <c>](#a--b-c)"),
            ("`code` *em*", 0, "[`code` *em*](#code-em)"),
            ("Über café", 0, "[Über café](#%C3%BCber-caf%C3%A9)"),
            ("Straße ΣΑΣ", 0, "[Straße ΣΑΣ](#stra%C3%9Fe-%CF%83%CE%B1%CF%82)"),
            ("snake_case _em_ __init__", 0, "[snake_case _em_ __init__](#snake_case-em-__init__)"),
            ("___", 0, "[___](#)"),
            ("Heading {#custom-id}", 3, "[Heading](#custom-id)"),
            ("Heading {:#kramdown}", 0, "[Heading](#kramdown)"),
            ("100% done 50%25", 0, "[100% done 50%25](#100-done-50)"),
            ("--- x", 0, "[--- x](#----x)"),
            ("---", 0, "[---](#)"),
            ("- item", 0, "[- item](#--item)"),
            ("✅ Done 🚀", 0, "[✅ Done 🚀](#-done-)"),
            ("1. First", 0, "[1. First](#1-first)"),
            ("a\u{a0}b", 0, "[a\u{a0}b](#a%C2%A0b)"),
        ];
        for (name, repetition, want) in cases {
            assert_eq!(entry(name, repetition, None), want, "{name:?}");
        }
    }

    #[test]
    fn duplicates_are_counted_by_what_follows_the_first_hash() {
        assert_eq!(duplicate_key("[Summary](#summary)"), "summary".encode_utf16().collect::<Vec<_>>());
        assert_eq!(duplicate_key("[C# x](#c-x)"), " x]".encode_utf16().collect::<Vec<_>>());
        assert_eq!(duplicate_key("[D# x](#d-x)"), duplicate_key("[C# x](#c-x)"));
    }

    #[test]
    fn underscores_go_as_the_regex_takes_them() {
        let cases = [
            ("_a_", "a"),
            ("a_b_c", "a_b_c"),
            ("-_a_-", "-a-"),
            ("__init__", "init"),
            ("_a_b_", "a_b"),
            ("__a_", "_a"),
            ("_", "_"),
            ("_a\n_", "_a\n_"),
            ("-_a_x", "-_a_x"),
            ("_a_-_b_", "a-_b_"),
        ];
        for (text, want) in cases {
            assert_eq!(remove_underscore_emphasis(text), want, "{text:?}");
        }
    }
}
