//! A heading as mdtoc v1.4.0 reads it: gomarkdown's heading content rules, inline parser and
//! HTML renderer (the revision kubernetes/enhancements pins), reimplemented for one line: the
//! link text mdtoc writes and the text its anchor is made from. GitHub reads the same heading
//! with CommonMark's rules, which differ (emphasis, entities, code-span spaces, `C#`, images).

use std::collections::HashMap;

/// Link reference definitions by lower-cased label: destination and title.
pub type Refs = HashMap<String, (String, String)>;

/// Which mdtoc (and so which gomarkdown) reads the heading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Dialect {
    /// mdtoc v1.4.0 (gomarkdown `4d01890c35c0`), which kubernetes/enhancements pins.
    #[default]
    V1_4_0,
    /// mdtoc at `b8c54a57` (gomarkdown `8c8b3816f167`), which jobset, lws and scheduler-plugins
    /// pin: code spans out of anchors, numeric references literal, `\$` no escape, links with
    /// no text or no destination literal, `mailto:` no autolink without `//`.
    B8c54a57,
}

/// What mdtoc makes of a heading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MdtocHeading {
    /// The TOC entry's link text: the heading rendered to HTML, trimmed.
    pub html: String,
    /// The text its anchor is made from: the heading's text and code literals, concatenated.
    pub text: String,
}

/// The content gomarkdown takes from an ATX heading line (`## Title ##`): after the `#`s and
/// spaces, up to a heading id (`{#id}`, cut with the rest of the line), without the closing
/// `#`s (all of them, with or without a space before: `C#` reads as `C`) and trailing spaces.
/// `None` when nothing is left, or when no space follows the `#`s (a tab does not do: mdtoc's
/// extensions include `SpaceHeadings`; found by the `mdtoc` fuzz target): gomarkdown makes no
/// heading of it.
pub fn atx_content(line: &str) -> Option<&str> {
    let data = line.trim_end_matches(['\n', '\r']).as_bytes();
    let level = data.iter().take(6).take_while(|&&b| b == b'#').count();
    if data.get(level) != Some(&b' ') {
        return None;
    }
    let start = level + data[level..].iter().take_while(|&&b| b == b' ').count();
    let mut end = data.len();
    if let Some(id_start) = (start..end.saturating_sub(1)).find(|&j| data[j] == b'{' && data[j + 1] == b'#')
        && data[id_start + 1..].contains(&b'}')
    {
        end = id_start;
        while end > 0 && data[end - 1] == b' ' {
            end -= 1;
        }
    }
    while end > 0 && data[end - 1] == b'#' && !is_backslash_escaped(data, end - 1) {
        end -= 1;
    }
    while end > 0 && data[end - 1] == b' ' {
        end -= 1;
    }
    (end > start).then(|| &line[start..end])
}

/// The content gomarkdown takes from a setext heading (text lines, then `===` or `---`): the
/// last text line only (the lines before it stay a paragraph), without edge spaces. A `\r`
/// alone ends a line too (found by the `mdtoc` fuzz target).
pub fn setext_content(text_lines: &str) -> &str {
    let last = text_lines.trim_end_matches(['\n', '\r']).rsplit(['\n', '\r']).next().unwrap_or("");
    last.trim_matches(' ')
}

/// A code fence's marker: its character (`` ` `` or `~`) and how many.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fence {
    pub char: u8,
    pub len: usize,
}

/// A line (without its line ending) that is up to three spaces, then three or more of one fence
/// character: that marker, and what follows it (CommonMark's fence lines start so too).
pub(super) fn fence_marker(line: &[u8]) -> Option<(Fence, &[u8])> {
    let indent = line.iter().take(4).take_while(|&&b| b == b' ').count();
    let char = *line.get(indent).filter(|&&b| b == b'`' || b == b'~')?;
    let len = line[indent..].iter().take_while(|&&b| b == char).count();
    (indent <= 3 && len >= 3).then(|| (Fence { char, len }, &line[indent + len..]))
}

/// gomarkdown's `isFenceLine` for an opening fence: the marker, spaces, an optional language
/// (one word, or `{...}` closed on the line), spaces, and nothing else: "```go title" or
/// "```go\t" open no fence for mdtoc, where CommonMark takes any info string.
pub fn fence_opening(line: &[u8]) -> Option<Fence> {
    let (fence, rest) = fence_marker(line)?;
    let rest = &rest[rest.iter().take_while(|&&b| b == b' ').count()..];
    let after_language = match rest.first() {
        Some(b'{') => &rest[rest.iter().position(|&b| b == b'}')? + 1..],
        _ => &rest[rest.iter().take_while(|&&b| !is_space(b)).count()..],
    };
    after_language.iter().all(|&b| b == b' ').then_some(fence)
}

/// gomarkdown's `isFenceLine` for a closing fence: exactly the opening marker (```` ```` ````
/// does not close ```` ``` ````), then spaces only (not a tab).
pub fn closes_fence(line: &[u8], opening: Fence) -> bool {
    fence_marker(line).is_some_and(|(fence, rest)| fence == opening && rest.iter().all(|&b| b == b' '))
}

/// gomarkdown's `isBackslashEscaped`: an odd number of backslashes before `i`.
pub(super) fn is_backslash_escaped(data: &[u8], i: usize) -> bool {
    data[..i].iter().rev().take_while(|&&b| b == b'\\').count() % 2 == 1
}

/// Parses and renders heading content (one line) as mdtoc does.
pub fn heading(content: &str, refs: &Refs, dialect: Dialect) -> MdtocHeading {
    let mut parser = InlineParser { refs, nesting: 0, inside_link: false, dialect };
    let mut nodes = Vec::new();
    parser.inline(content.as_bytes(), &mut nodes);
    let mut html = Vec::new();
    let mut text = Vec::new();
    for node in &nodes {
        render(node, false, &mut html);
        collect_text(node, dialect, &mut text);
    }
    let html = String::from_utf8_lossy(&html);
    MdtocHeading { html: html.trim().to_owned(), text: String::from_utf8_lossy(&text).into_owned() }
}

/// mdtoc's anchor for heading text, before duplicates are counted: lower-cased, every character
/// but ASCII letters, digits, `_`, `-` and space dropped (Go's `[^\w\- ]`), spaces to `-`.
pub fn anchor_base(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .filter_map(|c| match c {
            ' ' => Some('-'),
            'a'..='z' | 'A'..='Z' | '0'..='9' | '_' | '-' => Some(c),
            _ => None,
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Node {
    Text(Vec<u8>),
    Code(Vec<u8>),
    Emph(Vec<Node>),
    Strong(Vec<Node>),
    Del(Vec<Node>),
    Link { destination: Vec<u8>, title: Vec<u8>, children: Vec<Node> },
    Image { destination: Vec<u8>, title: Option<Vec<u8>>, alt: Vec<u8> },
    Html(Vec<u8>),
    Math(Vec<u8>),
}

struct InlineParser<'r> {
    refs: &'r Refs,
    nesting: usize,
    inside_link: bool,
    dialect: Dialect,
}

/// gomarkdown's limit on nested inline constructs.
const MAX_NESTING: usize = 16;

/// What an inline handler did: bytes consumed (0: nothing, the byte is text) and the node.
type Handled = (usize, Option<Node>);

const NOTHING: Handled = (0, None);

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0c | 0x0b)
}

fn is_punctuation(c: u8) -> bool {
    b"!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~".contains(&c)
}

fn skip_char(data: &[u8], mut i: usize, c: u8) -> usize {
    while i < data.len() && data[i] == c {
        i += 1;
    }
    i
}

fn skip_space(data: &[u8], mut i: usize) -> usize {
    while i < data.len() && is_space(data[i]) {
        i += 1;
    }
    i
}

fn skip_until_char(data: &[u8], mut i: usize, c: u8) -> usize {
    while i < data.len() && data[i] != c {
        i += 1;
    }
    i
}

/// The characters a backslash escapes.
const ESCAPE_CHARS: &[u8] = b"\\`*_{}[]()#+-.!:|&<>~^$";

/// gomarkdown's `unescapeText`: each backslash takes the next byte literally.
fn unescape_text(src: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(src.len());
    let mut i = 0;
    while i < src.len() {
        let start = i;
        while i < src.len() && src[i] != b'\\' {
            i += 1;
        }
        out.extend_from_slice(&src[start..i]);
        if i + 1 >= src.len() {
            break;
        }
        out.push(src[i + 1]);
        i += 2;
    }
    out
}

impl InlineParser<'_> {
    fn inline(&mut self, data: &[u8], out: &mut Vec<Node>) {
        if self.nesting >= MAX_NESTING || data.is_empty() {
            return;
        }
        self.nesting += 1;
        let (mut beg, mut end) = (0, 0);
        while end < data.len() {
            let (consumed, node) = match data[end] {
                b'*' | b'_' | b'~' => self.emphasis(data, end),
                b'`' => code_span(data, end),
                b'[' => self.link(data, end),
                b'<' => left_angle(data, end),
                b'\\' => escape(data, end, self.dialect),
                b'&' => entity(data, end, self.dialect),
                b'!' if data.get(end + 1) == Some(&b'[') => self.link(data, end),
                b'^' if data.get(end + 1) == Some(&b'[') => self.link(data, end),
                b'h' | b'm' | b'f' | b'H' | b'M' | b'F' => self.maybe_autolink(data, end),
                b'$' => math(data, end),
                // ' ' and '\n' make line breaks only before a newline, which a heading has not.
                _ => NOTHING,
            };
            if consumed == 0 {
                end += 1;
                continue;
            }
            out.push(Node::Text(data[beg..end].to_vec()));
            out.extend(node);
            beg = end + consumed;
            end = beg;
        }
        if beg < data.len() {
            if data[end - 1] == b'\n' {
                end -= 1;
            }
            out.push(Node::Text(data[beg..end].to_vec()));
        }
        self.nesting -= 1;
    }

    fn emphasis(&mut self, data: &[u8], offset: usize) -> Handled {
        let data = &data[offset..];
        let (c, n) = (data[0], data.len());
        if n > 2 && data[1] != c {
            if is_space(data[1]) {
                return NOTHING;
            }
            let (ret, node) = self.helper_emphasis(&data[1..], c);
            return if ret == 0 { NOTHING } else { (ret + 1, node) };
        }
        if n > 3 && data[1] == c && data[2] != c {
            if is_space(data[2]) {
                return NOTHING;
            }
            let (ret, node) = self.helper_double_emphasis(&data[2..], c);
            return if ret == 0 { NOTHING } else { (ret + 2, node) };
        }
        if n > 4 && data[1] == c && data[2] == c && data[3] != c {
            if c == b'~' || is_space(data[3]) {
                return NOTHING;
            }
            let (ret, node) = self.helper_triple_emphasis(data, 3, c);
            return if ret == 0 { NOTHING } else { (ret + 3, node) };
        }
        NOTHING
    }

    fn helper_emphasis(&mut self, data: &[u8], c: u8) -> Handled {
        let mut i = usize::from(data.len() > 1 && data[0] == c && data[1] == c);
        while i < data.len() {
            let length = find_emph_char(&data[i..], c);
            if length == 0 {
                return NOTHING;
            }
            i += length;
            if i >= data.len() {
                return NOTHING;
            }
            if i + 1 < data.len() && data[i + 1] == c {
                i += 1;
                continue;
            }
            if data[i] == c && !is_space(data[i - 1]) {
                // NoIntraEmphasis: the closing char must end a word.
                if !(i + 1 == data.len() || is_space(data[i + 1]) || is_punctuation(data[i + 1])) {
                    continue;
                }
                let mut children = Vec::new();
                self.inline(&data[..i], &mut children);
                return (i + 1, Some(Node::Emph(children)));
            }
        }
        NOTHING
    }

    fn helper_double_emphasis(&mut self, data: &[u8], c: u8) -> Handled {
        let mut i = 0;
        while i < data.len() {
            let length = find_emph_char(&data[i..], c);
            if length == 0 {
                return NOTHING;
            }
            i += length;
            if i + 1 < data.len() && data[i] == c && data[i + 1] == c && i > 0 && !is_space(data[i - 1]) {
                let mut children = Vec::new();
                self.inline(&data[..i], &mut children);
                let node = if c == b'~' { Node::Del(children) } else { Node::Strong(children) };
                return (i + 2, Some(node));
            }
            i += 1;
        }
        NOTHING
    }

    fn helper_triple_emphasis(&mut self, original: &[u8], offset: usize, c: u8) -> Handled {
        let data = &original[offset..];
        let mut i = 0;
        while i < data.len() {
            let length = find_emph_char(&data[i..], c);
            if length == 0 {
                return NOTHING;
            }
            i += length;
            if data[i] != c || is_space(data[i - 1]) {
                continue;
            }
            if i + 2 < data.len() && data[i + 1] == c && data[i + 2] == c {
                let mut children = Vec::new();
                self.inline(&data[..i], &mut children);
                return (i + 3, Some(Node::Strong(vec![Node::Emph(children)])));
            }
            if i + 1 < data.len() && data[i + 1] == c {
                let (length, node) = self.helper_emphasis(&original[offset - 2..], c);
                return if length == 0 { NOTHING } else { (length - 2, node) };
            }
            let (length, node) = self.helper_double_emphasis(&original[offset - 1..], c);
            return if length == 0 { NOTHING } else { (length - 1, node) };
        }
        NOTHING
    }

    /// `[text](dest "title")`, `[text][ref]`, `[ref]`, `![alt](src)` (and `^[...]`, which
    /// gomarkdown reads as a link starting at the caret).
    fn link(&mut self, data: &[u8], offset: usize) -> Handled {
        if self.inside_link
            && ((offset > 0 && data[offset - 1] == b'[') || (data.len() - 1 > offset && data[offset + 1] == b'^'))
        {
            return NOTHING;
        }
        let is_image = data[offset] == b'!';
        let data = &data[offset + usize::from(is_image)..];
        let mut i = 1;
        let mut level = 1;
        while level > 0 && i < data.len() {
            if data[i - 1] == b'\\' {
            } else if data[i] == b'[' {
                level += 1;
            } else if data[i] == b']' {
                level -= 1;
                if level <= 0 {
                    i -= 1;
                }
            }
            i += 1;
        }
        if i >= data.len() {
            return NOTHING;
        }
        let text_end = i;
        i = skip_space(data, i + 1);
        let (link, title): (Vec<u8>, Option<Vec<u8>>);
        if i < data.len() && data[i] == b'(' {
            i = skip_space(data, i + 1);
            let link_start = i;
            let mut brace = 0;
            while i < data.len() {
                match data[i] {
                    b'\\' => i += 2,
                    b'(' => {
                        brace += 1;
                        i += 1;
                    }
                    b')' if brace <= 0 => break,
                    b')' => {
                        brace -= 1;
                        i += 1;
                    }
                    b'\'' | b'"' => break,
                    _ => i += 1,
                }
            }
            if i >= data.len() {
                return NOTHING;
            }
            let mut link_end = i;
            let (mut title_start, mut title_end) = (0, 0);
            if data[i] == b'\'' || data[i] == b'"' {
                i += 1;
                title_start = i;
                let mut closing_found = false;
                while i < data.len() {
                    if data[i] == b'\\' {
                        i += 1;
                    } else if data[i] == data[title_start - 1] {
                        closing_found = true;
                    } else if closing_found && data[i] == b')' {
                        break;
                    }
                    i += 1;
                }
                if i >= data.len() {
                    return NOTHING;
                }
                title_end = i - 1;
                while title_end > title_start && is_space(data[title_end]) {
                    title_end -= 1;
                }
                if data[title_end] != b'\'' && data[title_end] != b'"' {
                    (title_start, title_end) = (0, 0);
                    link_end = i;
                }
            }
            while link_end > link_start && is_space(data[link_end - 1]) {
                link_end -= 1;
            }
            let mut link_start = link_start;
            if data.get(link_start) == Some(&b'<') {
                link_start += 1;
            }
            if link_end > 0 && data[link_end - 1] == b'>' {
                link_end -= 1;
            }
            link = if link_end > link_start { data[link_start..link_end].to_vec() } else { Vec::new() };
            title = (title_end > title_start).then(|| data[title_start..title_end].to_vec());
            i += 1;
        } else if i < data.len() - 1 && data[i] == b'[' && data[i + 1] != b'^' {
            let id_start = i + 1;
            i = skip_until_char(data, id_start, b']');
            if i >= data.len() {
                return NOTHING;
            }
            let id = if id_start == i { &data[1..text_end] } else { &data[id_start..i] };
            let Some((destination, found_title)) = self.reference(id) else { return NOTHING };
            link = destination;
            title = found_title;
            i += 1;
        } else {
            let Some((destination, found_title)) = self.reference(&data[1..text_end]) else { return NOTHING };
            link = destination;
            title = found_title;
            i = text_end + 1;
        }
        let link = unescape_text(&link);
        // The older gomarkdown: links need something to click on and somewhere to go.
        if self.dialect == Dialect::B8c54a57 && (link.is_empty() || (!is_image && text_end <= 1)) {
            return NOTHING;
        }
        if is_image {
            let alt = data[1..text_end].to_vec();
            return (i + 1, Some(Node::Image { destination: link, title, alt }));
        }
        let mut children = Vec::new();
        let inside_link = std::mem::replace(&mut self.inside_link, true);
        self.inline(&data[1..text_end], &mut children);
        self.inside_link = inside_link;
        (i, Some(Node::Link { destination: link, title: title.unwrap_or_default(), children }))
    }

    fn reference(&self, id: &[u8]) -> Option<(Vec<u8>, Option<Vec<u8>>)> {
        let id = String::from_utf8_lossy(id).to_lowercase();
        let (destination, title) = self.refs.get(&id)?;
        Some((destination.as_bytes().to_vec(), (!title.is_empty()).then(|| title.as_bytes().to_vec())))
    }

    fn maybe_autolink(&mut self, data: &[u8], offset: usize) -> Handled {
        const PREFIXES: [&[u8]; 5] = [b"http://", b"https://", b"ftp://", b"file://", b"mailto:"];
        if self.inside_link || data.len() < offset + 6 {
            return NOTHING;
        }
        let head = &data[offset..data.len().min(offset + 8)];
        if PREFIXES.iter().any(|prefix| head.len() >= prefix.len() && head[..prefix.len()].eq_ignore_ascii_case(prefix))
        {
            return autolink(data, offset, self.dialect);
        }
        NOTHING
    }
}

/// gomarkdown's `helperFindEmphChar`: the next `c`, skipping code spans and links.
fn find_emph_char(data: &[u8], c: u8) -> usize {
    let mut i = 0;
    while i < data.len() {
        while i < data.len() && data[i] != c && data[i] != b'`' && data[i] != b'[' {
            i += 1;
        }
        if i >= data.len() {
            return 0;
        }
        if i != 0 && data[i - 1] == b'\\' {
            i += 1;
            continue;
        }
        if data[i] == c {
            return i;
        }
        if data[i] == b'`' {
            let mut candidate = 0;
            i += 1;
            while i < data.len() && data[i] != b'`' {
                if candidate == 0 && data[i] == c {
                    candidate = i;
                }
                i += 1;
            }
            if i >= data.len() {
                return candidate;
            }
            i += 1;
        } else {
            let mut candidate = 0;
            i += 1;
            while i < data.len() && data[i] != b']' {
                if candidate == 0 && data[i] == c {
                    candidate = i;
                }
                i += 1;
            }
            i += 1;
            while i < data.len() && (data[i] == b' ' || data[i] == b'\n') {
                i += 1;
            }
            if i >= data.len() {
                return candidate;
            }
            if data[i] != b'[' && data[i] != b'(' {
                if candidate > 0 {
                    return candidate;
                }
                continue;
            }
            let close = data[i];
            i += 1;
            while i < data.len() && data[i] != close {
                if candidate == 0 && data[i] == c {
                    return i;
                }
                i += 1;
            }
            if i >= data.len() {
                return candidate;
            }
            i += 1;
        }
    }
    0
}

fn code_span(data: &[u8], offset: usize) -> Handled {
    let data = &data[offset..];
    let fence = skip_char(data, 0, b'`');
    let (mut run, mut end) = (0, fence);
    while end < data.len() && run < fence {
        run = if data[end] == b'`' { run + 1 } else { 0 };
        end += 1;
    }
    if run < fence && end >= data.len() {
        return NOTHING;
    }
    let mut begin = fence;
    while begin < end && data[begin] == b' ' {
        begin += 1;
    }
    let mut code_end = end - fence;
    while code_end > begin && data[code_end - 1] == b' ' {
        code_end -= 1;
    }
    if begin == code_end {
        return (end, None);
    }
    (end, Some(Node::Code(data[begin..code_end].to_vec())))
}

fn escape(data: &[u8], offset: usize, dialect: Dialect) -> Handled {
    let data = &data[offset..];
    if data.len() <= 1 {
        return (2, None);
    }
    let escapable = match dialect {
        Dialect::V1_4_0 => ESCAPE_CHARS,
        Dialect::B8c54a57 => &ESCAPE_CHARS[..ESCAPE_CHARS.len() - 1],
    };
    if !escapable.contains(&data[1]) {
        return NOTHING;
    }
    (2, Some(Node::Text(data[1..2].to_vec())))
}

/// `&...;`: `&amp;` and numeric references decoded (only `&amp;` by the older gomarkdown),
/// anything else matching `&#?[A-Za-z0-9]+;` kept as written.
fn entity(data: &[u8], offset: usize, dialect: Dialect) -> Handled {
    let data = &data[offset..];
    let mut end = 1 + usize::from(data.get(1) == Some(&b'#'));
    while end < data.len() && data[end].is_ascii_alphanumeric() {
        end += 1;
    }
    if data.get(end) != Some(&b';') {
        return NOTHING;
    }
    end += 1;
    let entity = &data[..end];
    if entity == b"&amp;" {
        return (end, Some(Node::Text(b"&".to_vec())));
    }
    if entity.len() < 4 || dialect == Dialect::B8c54a57 {
        return (end, Some(Node::Text(entity.to_vec())));
    }
    let digits = std::str::from_utf8(&entity[2..end - 1]).unwrap_or("");
    let parsed = match entity[2] {
        b'x' | b'X' => u64::from_str_radix(&digits[1..], 16),
        _ => digits.parse::<u64>(),
    };
    match parsed {
        // Go's `string(rune(n))`: the low 32 bits, U+FFFD where that is no character.
        Ok(codepoint) => {
            let c = char::from_u32(codepoint as u32).unwrap_or('\u{fffd}');
            (end, Some(Node::Text(c.to_string().into_bytes())))
        }
        Err(_) => (end, Some(Node::Text(entity.to_vec()))),
    }
}

fn math(data: &[u8], offset: usize) -> Handled {
    let data = &data[offset..];
    if data.len() <= 2 || data[1] == b'$' {
        return NOTHING;
    }
    match data[1..].iter().position(|&b| b == b'$') {
        Some(at) => (at + 2, Some(Node::Math(data[1..at + 1].to_vec()))),
        None => NOTHING,
    }
}

/// `<...>`: an autolink, an HTML tag or comment kept as it is.
fn left_angle(data: &[u8], offset: usize) -> Handled {
    let data = &data[offset..];
    let (kind, mut end) = tag_length(data);
    if let Some(size) = html_comment_length(data) {
        end = size;
    }
    if end <= 2 {
        return (end, None);
    }
    if kind == Autolink::No {
        return (end, Some(Node::Html(data[..end].to_vec())));
    }
    let link = unescape_text(&data[1..end + 1 - 2]);
    if link.is_empty() {
        return (end, None);
    }
    let text = link.strip_prefix(b"mailto://").or_else(|| link.strip_prefix(b"mailto:")).unwrap_or(&link).to_vec();
    let destination = if kind == Autolink::Email { [b"mailto:".as_slice(), &link].concat() } else { link };
    (end, Some(Node::Link { destination, title: Vec::new(), children: vec![Node::Text(text)] }))
}

fn html_comment_length(data: &[u8]) -> Option<usize> {
    if data.len() < 5 || !data.starts_with(b"<!--") {
        return None;
    }
    let mut i = 5;
    while i < data.len() && !(data[i - 2] == b'-' && data[i - 1] == b'-' && data[i] == b'>') {
        i += 1;
    }
    (i < data.len()).then_some(i + 1)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Autolink {
    No,
    Normal,
    Email,
}

/// gomarkdown's `tagLength`: the length of a tag or autolink at the start of `data` (0: none).
fn tag_length(data: &[u8]) -> (Autolink, usize) {
    if data.len() < 3 || data[0] != b'<' {
        return (Autolink::No, 0);
    }
    let mut i = if data[1] == b'/' { 2 } else { 1 };
    if !data[i].is_ascii_alphanumeric() {
        return (Autolink::No, 0);
    }
    let mut kind = Autolink::No;
    while i < data.len() && (data[i].is_ascii_alphanumeric() || matches!(data[i], b'.' | b'+' | b'-')) {
        i += 1;
    }
    if i > 1 && i < data.len() && data[i] == b'@' {
        let j = mail_autolink_length(&data[i..]);
        if j != 0 {
            return (Autolink::Email, i + j);
        }
    }
    if i > 2 && i < data.len() && data[i] == b':' {
        kind = Autolink::Normal;
        i += 1;
    }
    if i >= data.len() {
        kind = Autolink::No;
    } else if kind != Autolink::No {
        let j = i;
        while i < data.len() {
            if data[i] == b'\\' {
                i += 2;
            } else if matches!(data[i], b'>' | b'\'' | b'"') || is_space(data[i]) {
                break;
            } else {
                i += 1;
            }
        }
        if i >= data.len() {
            return (kind, 0);
        }
        if i > j && data[i] == b'>' {
            return (kind, i + 1);
        }
        kind = Autolink::No;
    }
    match data[i..].iter().position(|&b| b == b'>') {
        Some(at) => (kind, i + at + 1),
        // Go adds IndexByte's -1 to i: the length is then i (a tag still, if over 2).
        None if i >= 1 => (kind, i),
        None => (kind, 0),
    }
}

fn mail_autolink_length(data: &[u8]) -> usize {
    let mut ats = 0;
    for (i, &c) in data.iter().enumerate() {
        if c.is_ascii_alphanumeric() {
            continue;
        }
        match c {
            b'@' => ats += 1,
            b'-' | b'.' | b'_' => {}
            b'>' => return if ats == 1 { i + 1 } else { 0 },
            _ => return 0,
        }
    }
    0
}

/// A bare URL (`https://...`) turned into a link, as gomarkdown's `autoLink` does.
fn autolink(original: &[u8], offset: usize, dialect: Dialect) -> Handled {
    // Inside `<a href="url">url</a>`, the whole element is kept as HTML.
    let mut anchor_start = offset;
    while anchor_start > 0 && original[anchor_start] != b'<' {
        anchor_start -= 1;
    }
    if let Some(length) = html_anchor_length(&original[anchor_start..]) {
        let offset_from_anchor = offset - anchor_start;
        if length > offset_from_anchor {
            let literal = original[offset..anchor_start + length].to_vec();
            return (length - offset_from_anchor, Some(Node::Html(literal)));
        }
    }
    let mut rewind = 0;
    while offset - rewind > 0 && rewind <= 7 && original[offset - rewind - 1].is_ascii_alphabetic() {
        rewind += 1;
    }
    if rewind > 6 {
        return NOTHING;
    }
    let data = &original[offset - rewind..];
    if !is_safe_url(data, dialect) {
        return NOTHING;
    }
    let mut link_end = 0;
    while link_end < data.len() && !(is_space(data[link_end]) || data[link_end] == b'<') {
        link_end += 1;
    }
    if link_end < 2 {
        return NOTHING;
    }
    if matches!(data[link_end - 1], b'.' | b',') && data[link_end - 2] != b'\\' {
        link_end -= 1;
    }
    if data[link_end - 1] == b';' && data[link_end - 2] != b'\\' && !link_ends_with_entity(data, link_end) {
        link_end -= 1;
    }
    let open = match data[link_end - 1] {
        b'"' => b'"',
        b'\'' => b'\'',
        b')' => b'(',
        b']' => b'[',
        b'}' => b'{',
        _ => 0,
    };
    if open != 0 {
        let mut open_delims = 1i64;
        let mut at = (offset - rewind + link_end) as i64 - 2;
        while at >= 0 && original[at as usize] != b'\n' && open_delims != 0 {
            if original[at as usize] == data[link_end - 1] {
                open_delims += 1;
            }
            if original[at as usize] == open {
                open_delims -= 1;
            }
            at -= 1;
        }
        if open_delims == 0 {
            link_end -= 1;
        }
    }
    let link = unescape_text(&data[..link_end]);
    if link.is_empty() {
        return (link_end, None);
    }
    (link_end, Some(Node::Link { destination: link.clone(), title: Vec::new(), children: vec![Node::Text(link)] }))
}

/// gomarkdown's `IsSafeURL`: a relative path or one of its URL schemes, followed by a letter or digit.
fn is_safe_url(url: &[u8], dialect: Dialect) -> bool {
    for path in [b"/".as_slice(), b"./", b"../"] {
        if url.len() >= path.len()
            && &url[..path.len()] == path
            && (url.len() == path.len() || url[path.len()].is_ascii_alphanumeric())
        {
            return true;
        }
    }
    let mailto: &[u8] = match dialect {
        Dialect::V1_4_0 => b"mailto:",
        Dialect::B8c54a57 => b"mailto://",
    };
    [b"http://".as_slice(), b"https://", b"ftp://", mailto].iter().any(|prefix| {
        url.len() > prefix.len()
            && url[..prefix.len()].eq_ignore_ascii_case(prefix)
            && url[prefix.len()].is_ascii_alphanumeric()
    })
}

/// Whether `data[..end]` ends with an entity as gomarkdown's `&[a-z]{2,5};` finds them.
fn link_ends_with_entity(data: &[u8], end: usize) -> bool {
    let mut last_end = None;
    let mut i = 0;
    while i < end {
        if data[i] == b'&' {
            let letters = data[i + 1..end].iter().take(5).take_while(|b| b.is_ascii_lowercase()).count();
            if letters >= 2 && data.get(i + 1 + letters) == Some(&b';') && i + 2 + letters <= end {
                last_end = Some(i + 2 + letters);
                i += 2 + letters;
                continue;
            }
        }
        i += 1;
    }
    last_end == Some(end)
}

/// The length of `<a href="URL"( title="...")?\s?>URL</a>` at the start of `data`, as gomarkdown's
/// `anchorRe` matches it.
fn html_anchor_length(data: &[u8]) -> Option<usize> {
    let url = |at: usize| -> Option<usize> {
        let rest = &data[at..];
        let scheme = [b"http://".as_slice(), b"https://", b"ftp://", b"/"].into_iter().find(|s| rest.starts_with(s))?;
        let body = rest[scheme.len()..]
            .iter()
            .take_while(|&&b| b.is_ascii_alphanumeric() || b"-+&@#/%?=~_|!:,.;()".contains(&b))
            .count();
        (body > 0).then_some(at + scheme.len() + body)
    };
    if !data.starts_with(b"<a") || !data.get(2).is_some_and(|&b| is_space(b)) || data.get(3..9) != Some(b"href=\"") {
        return None;
    }
    let mut i = url(9)?;
    if data.get(i) != Some(&b'"') {
        return None;
    }
    i += 1;
    if data.get(i).is_some_and(|&b| is_space(b)) && data.get(i + 1..i + 8) == Some(b"title=\"") {
        let title = data[i + 8..].iter().take_while(|&&b| !matches!(b, b'"' | b'<' | b'>')).count();
        if title > 0 && data.get(i + 8 + title) == Some(&b'"') {
            i += 8 + title + 1;
        }
    }
    if data.get(i).is_some_and(|&b| is_space(b)) {
        i += 1;
    }
    if data.get(i) != Some(&b'>') {
        return None;
    }
    i = url(i + 1)?;
    data[i..].starts_with(b"</a>").then_some(i + 4)
}

fn escape_html(out: &mut Vec<u8>, text: &[u8]) {
    for &b in text {
        match b {
            b'&' => out.extend_from_slice(b"&amp;"),
            b'<' => out.extend_from_slice(b"&lt;"),
            b'>' => out.extend_from_slice(b"&gt;"),
            b'"' => out.extend_from_slice(b"&quot;"),
            _ => out.push(b),
        }
    }
}

/// gomarkdown's `EscLink`: HTML entities decoded (Go's `html.UnescapeString`), then escaped.
fn escape_link(out: &mut Vec<u8>, text: &[u8]) {
    escape_html(out, &html_unescape(text));
}

/// HTML's named character references that work without `;` (the legacy ones), sorted.
const LEGACY_ENTITIES: &[&[u8]] = &[
    b"AElig", b"AMP", b"Aacute", b"Acirc", b"Agrave", b"Aring", b"Atilde", b"Auml", b"COPY", b"Ccedil", b"ETH",
    b"Eacute", b"Ecirc", b"Egrave", b"Euml", b"GT", b"Iacute", b"Icirc", b"Igrave", b"Iuml", b"LT", b"Ntilde",
    b"Oacute", b"Ocirc", b"Ograve", b"Oslash", b"Otilde", b"Ouml", b"QUOT", b"REG", b"THORN", b"Uacute", b"Ucirc",
    b"Ugrave", b"Uuml", b"Yacute", b"aacute", b"acirc", b"acute", b"aelig", b"agrave", b"amp", b"aring", b"atilde",
    b"auml", b"brvbar", b"ccedil", b"cedil", b"cent", b"copy", b"curren", b"deg", b"divide", b"eacute", b"ecirc",
    b"egrave", b"eth", b"euml", b"frac12", b"frac14", b"frac34", b"gt", b"iacute", b"icirc", b"iexcl", b"igrave",
    b"iquest", b"iuml", b"laquo", b"lt", b"macr", b"micro", b"middot", b"nbsp", b"not", b"ntilde", b"oacute", b"ocirc",
    b"ograve", b"ordf", b"ordm", b"oslash", b"otilde", b"ouml", b"para", b"plusmn", b"pound", b"quot", b"raquo",
    b"reg", b"sect", b"shy", b"sup1", b"sup2", b"sup3", b"szlig", b"thorn", b"times", b"uacute", b"ucirc", b"ugrave",
    b"uml", b"uuml", b"yacute", b"yen", b"yuml",
];

/// Go's `html.UnescapeString`: numeric references (with or without `;`) and named ones.
fn html_unescape(text: &[u8]) -> Vec<u8> {
    if !text.contains(&b'&') {
        return text.to_vec();
    }
    let mut out = Vec::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        if text[i] != b'&' {
            out.push(text[i]);
            i += 1;
            continue;
        }
        let rest = &text[i + 1..];
        if rest.first() == Some(&b'#') {
            let hex = matches!(rest.get(1), Some(b'x' | b'X'));
            let digits_start = 1 + usize::from(hex);
            let digits = rest[digits_start..]
                .iter()
                .take_while(|b| if hex { b.is_ascii_hexdigit() } else { b.is_ascii_digit() })
                .count();
            if digits > 0 {
                let number = std::str::from_utf8(&rest[digits_start..digits_start + digits]).unwrap_or("0");
                let value = u32::from_str_radix(number, if hex { 16 } else { 10 }).unwrap_or(u32::MAX);
                let mut end = digits_start + digits;
                if rest.get(end) == Some(&b';') {
                    end += 1;
                }
                let c = windows_1252(value).unwrap_or_else(|| {
                    if value == 0 || value > 0x10ffff {
                        '\u{fffd}'
                    } else {
                        char::from_u32(value).unwrap_or('\u{fffd}')
                    }
                });
                out.extend_from_slice(c.to_string().as_bytes());
                i += 1 + end;
                continue;
            }
        } else {
            let name = rest.iter().take_while(|b| b.is_ascii_alphanumeric()).count();
            let semicolon = rest.get(name) == Some(&b';');
            if name > 0 && semicolon {
                let entity = &text[i..i + name + 2];
                if let Some(decoded) = named_entity(entity) {
                    out.extend_from_slice(decoded.as_bytes());
                    i += name + 2;
                    continue;
                }
            }
            // HTML's legacy names work without `;`: the whole name, or else its longest prefix
            // of at most six characters (and shorter than the name with its `;`), as Go reads
            // them (`&quot)` is `"`, `&notit;` is `¬it;`; found by the `mdtoc` fuzz target).
            let longest = (name + usize::from(semicolon)).saturating_sub(1).min(6);
            let legacy = std::iter::once(name)
                .filter(|_| !semicolon)
                .chain((2..=longest).rev())
                .find(|&len| LEGACY_ENTITIES.binary_search(&&rest[..len]).is_ok());
            if let Some(len) = legacy {
                let mut entity = text[i..i + 1 + len].to_vec();
                entity.push(b';');
                if let Some(decoded) = named_entity(&entity) {
                    out.extend_from_slice(decoded.as_bytes());
                    i += 1 + len;
                    continue;
                }
            }
        }
        out.push(b'&');
        i += 1;
    }
    out
}

/// A named entity (`&copy;`) decoded, by asking pulldown-cmark, whose table is HTML5's.
fn named_entity(entity: &[u8]) -> Option<String> {
    let source = std::str::from_utf8(entity).ok()?;
    let mut decoded = String::new();
    for event in pulldown_cmark::Parser::new(source) {
        match event {
            pulldown_cmark::Event::Text(text) => decoded.push_str(&text),
            pulldown_cmark::Event::Start(pulldown_cmark::Tag::Paragraph)
            | pulldown_cmark::Event::End(pulldown_cmark::TagEnd::Paragraph) => {}
            _ => return None,
        }
    }
    (decoded != source).then_some(decoded)
}

/// What HTML5 (and Go) make of numeric references 0x80-0x9F: the Windows-1252 characters.
fn windows_1252(value: u32) -> Option<char> {
    const TABLE: [char; 32] = [
        '\u{20AC}', '\u{0081}', '\u{201A}', '\u{0192}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}', '\u{02C6}',
        '\u{2030}', '\u{0160}', '\u{2039}', '\u{0152}', '\u{008D}', '\u{017D}', '\u{008F}', '\u{0090}', '\u{2018}',
        '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}', '\u{2014}', '\u{02DC}', '\u{2122}', '\u{0161}',
        '\u{203A}', '\u{0153}', '\u{009D}', '\u{017E}', '\u{0178}',
    ];
    (0x80..=0x9f).contains(&value).then(|| TABLE[(value - 0x80) as usize])
}

fn render_children(children: &[Node], parent_is_link: bool, out: &mut Vec<u8>) {
    for child in children {
        render(child, parent_is_link, out);
    }
}

fn render(node: &Node, parent_is_link: bool, out: &mut Vec<u8>) {
    match node {
        Node::Text(text) if parent_is_link => escape_link(out, text),
        Node::Text(text) => escape_html(out, text),
        Node::Code(code) => {
            out.extend_from_slice(b"<code>");
            escape_html(out, code);
            out.extend_from_slice(b"</code>");
        }
        Node::Emph(children) => wrap(b"em", children, out),
        Node::Strong(children) => wrap(b"strong", children, out),
        Node::Del(children) => wrap(b"del", children, out),
        Node::Link { destination, title, children } => {
            out.extend_from_slice(b"<a href=\"");
            escape_link(out, destination);
            out.push(b'"');
            if !title.is_empty() {
                out.extend_from_slice(b" title=\"");
                escape_html(out, title);
                out.push(b'"');
            }
            out.push(b'>');
            render_children(children, true, out);
            out.extend_from_slice(b"</a>");
        }
        Node::Image { destination, title, alt } => {
            out.extend_from_slice(b"<img src=\"");
            escape_link(out, destination);
            out.extend_from_slice(b"\" alt=\"");
            escape_html(out, alt);
            if let Some(title) = title {
                out.extend_from_slice(b"\" title=\"");
                escape_html(out, title);
            }
            out.extend_from_slice(b"\" />");
        }
        Node::Html(html) => out.extend_from_slice(html),
        Node::Math(math) => {
            out.extend_from_slice(b"<span class=\"math inline\">\\(");
            escape_html(out, math);
            out.extend_from_slice(b"\\)</span>");
        }
    }
}

fn wrap(tag: &[u8], children: &[Node], out: &mut Vec<u8>) {
    out.push(b'<');
    out.extend_from_slice(tag);
    out.push(b'>');
    render_children(children, false, out);
    out.extend_from_slice(b"</");
    out.extend_from_slice(tag);
    out.push(b'>');
}

/// mdtoc's `asText`: the literals of text and code nodes (text only at `b8c54a57`), image alt
/// text included.
fn collect_text(node: &Node, dialect: Dialect, out: &mut Vec<u8>) {
    match node {
        Node::Text(text) => out.extend_from_slice(text),
        Node::Code(text) if dialect == Dialect::V1_4_0 => out.extend_from_slice(text),
        Node::Code(_) => {}
        Node::Emph(children) | Node::Strong(children) | Node::Del(children) | Node::Link { children, .. } => {
            children.iter().for_each(|child| collect_text(child, dialect, out))
        }
        Node::Image { alt, .. } => out.extend_from_slice(alt),
        Node::Html(_) | Node::Math(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(line: &str) -> (String, String) {
        let content = atx_content(line).expect("a heading");
        let heading = heading(content, &Refs::new(), Dialect::V1_4_0);
        (heading.html, anchor_base(&heading.text))
    }

    #[test]
    fn headings_read_as_mdtoc_reads_them() {
        let cases = [
            ("# A &amp; B", "A &amp; B", "a--b"),
            ("# `  code  ` span", "<code>code</code> span", "code-span"),
            ("# ![alt *text*](x.png) img", "<img src=\"x.png\" alt=\"alt *text*\" /> img", "alt-text-img"),
            ("# Über cool", "Über cool", "ber-cool"),
            ("# A &copy; &#169; &#x41; ent", "A &amp;copy; © A ent", "a-copy--a-ent"),
            ("# Heading {#custom-id}", "Heading", "heading"),
            ("# Title2 {#id} z", "Title2", "title2"),
            ("# C#", "C", "c"),
            ("## Closing ##", "Closing", "closing"),
            ("# a*b*c and _x_ **z**", "a*b*c and <em>x</em> <strong>z</strong>", "abc-and-x-z"),
            ("# ***t*** *a **b** c*", "<strong><em>t</em></strong> *a <strong>b</strong> c*", "t-a-b-c"),
            ("# <http://auto.link>", "<a href=\"http://auto.link\">http://auto.link</a>", "httpautolink"),
            ("# see http://bare.link.", "see <a href=\"http://bare.link\">http://bare.link</a>.", "see-httpbarelink"),
            ("# x <span>in</span> y", "x <span>in</span> y", "x-in-y"),
            ("# esc \\* \\_ \\\\ \\#", "esc * _ \\ #", "esc--_--"),
            ("# [a &copy; b](u)", "<a href=\"u\">a © b</a>", "a-copy-b"),
            // Link text goes through Go's html.UnescapeString: legacy names need no `;`, and the
            // longest one that starts a name counts (found by the `mdtoc` fuzz target).
            ("# [a &quot) b](u)", "<a href=\"u\">a &quot;) b</a>", "a-quot-b"),
            ("# [a &notit; &ampx &bogus](u)", "<a href=\"u\">a ¬it; &amp;x &amp;bogus</a>", "a-notit-ampx-bogus"),
            ("# $x^2$ math", "<span class=\"math inline\">\\(x^2\\)</span> math", "-math"),
        ];
        for (line, html, anchor) in cases {
            assert_eq!(read(line), (html.to_owned(), anchor.to_owned()), "{line}");
        }
        assert_eq!(atx_content("# {#only-an-id}"), None);
        assert_eq!(atx_content("#"), None);
        assert_eq!(setext_content("first\nsecond  \n"), "second");
        assert_eq!(setext_content("first\rsecond\r\n"), "second");
    }
}

/// A link reference definition as gomarkdown's `isReference` reads one (the same at both pins):
/// offsets into the data it was found at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub label: std::ops::Range<usize>,
    pub destination: std::ops::Range<usize>,
    pub title: std::ops::Range<usize>,
    /// Where the definition ends: at its last line's ending (or the data's end).
    pub end: usize,
}

/// The reference definition `data` starts with, as gomarkdown (without its footnotes extension,
/// as mdtoc uses it) reads one: up to three spaces, `[label]:` with anything but a line ending or
/// `]` in the label, a destination of any bytes but spaces, tabs and line endings (on the same
/// line or the next), and an optional title in `"`, `'` or `(` whose closing character may be
/// any of `"`, `'`, `)`. Laxer than CommonMark: control characters, unbalanced `<` or
/// parentheses and brackets in the label are all accepted.
pub fn reference(data: &[u8]) -> Option<Reference> {
    if data.len() < 4 {
        return None;
    }
    let mut i = data.iter().take(3).take_while(|&&b| b == b' ').count();
    if data[i] != b'[' {
        return None;
    }
    i += 1;
    let label_start = i;
    while i < data.len() && !matches!(data[i], b'\n' | b'\r' | b']') {
        i += 1;
    }
    if i >= data.len() || data[i] != b']' || i == label_start {
        return None;
    }
    let label = label_start..i;
    i += 1;
    if i >= data.len() || data[i] != b':' {
        return None;
    }
    i += 1;
    let spaces = |data: &[u8], mut i: usize| {
        while i < data.len() && matches!(data[i], b' ' | b'\t') {
            i += 1;
        }
        i
    };
    i = spaces(data, i);
    if i < data.len() && matches!(data[i], b'\n' | b'\r') {
        i += 1;
        if i < data.len() && data[i] == b'\n' && data[i - 1] == b'\r' {
            i += 1;
        }
    }
    i = spaces(data, i);
    if i >= data.len() {
        return None;
    }
    // scanLinkRef
    if data[i] == b'<' {
        i += 1;
    }
    let mut destination = i..i;
    while i < data.len() && !matches!(data[i], b' ' | b'\t' | b'\n' | b'\r') {
        i += 1;
    }
    destination.end = i;
    if destination.end < data.len() && data.get(destination.start) == Some(&b'<') && data[destination.end - 1] == b'>' {
        destination = destination.start + 1..destination.end - 1;
    }
    i = spaces(data, i);
    if i < data.len() && !matches!(data[i], b'\n' | b'\r' | b'\'' | b'"' | b'(') {
        return None;
    }
    let mut line_end = 0;
    if i >= data.len() || matches!(data[i], b'\n' | b'\r') {
        line_end = i;
    }
    if i + 1 < data.len() && data[i] == b'\r' && data[i + 1] == b'\n' {
        line_end += 1;
    }
    if line_end > 0 {
        i = spaces(data, line_end + 1);
    }
    let mut title = 0..0;
    if i + 1 < data.len() && matches!(data[i], b'\'' | b'"' | b'(') {
        i += 1;
        let title_start = i;
        while i < data.len() && !matches!(data[i], b'\n' | b'\r') {
            i += 1;
        }
        let title_end = if i + 1 < data.len() && data[i] == b'\n' && data[i + 1] == b'\r' { i + 1 } else { i };
        i -= 1;
        while i > title_start && matches!(data[i], b' ' | b'\t') {
            i -= 1;
        }
        if i > title_start && matches!(data[i], b'\'' | b'"' | b')') {
            line_end = title_end;
            title = title_start..i;
        }
    }
    (line_end > 0).then_some(Reference { label, destination, title, end: line_end })
}
