//! HTML headings as doctoc lists them (get-html-headers): the top-level HTML blocks after the
//! TOC, joined by newlines, read by htmlparser2 7; an `<hN>` whose text starts on the line of its
//! tag is listed with that text (entities decoded) and its `id` as the anchor. Its place among
//! the Markdown headings is the first block whose source matches its first piece of text, read
//! as a regular expression. What this module does not read as htmlparser2 does (script and style
//! content, entities without `;`, text that is a regular expression) is `Unmatched`.

use super::mdast::{Kind, Node};
use super::{Listed, Units};

/// Why the HTML headings cannot be listed as doctoc lists them.
pub struct Unmatched {
    pub line: usize,
    pub reason: String,
}

/// The HTML headings of ranks `min..=max` in the HTML blocks that end after `start` (UTF-16).
pub fn find(
    text: &str,
    nodes: &[Node],
    units: &Units,
    start: usize,
    max: u8,
    min: u8,
) -> Result<Vec<Listed>, Unmatched> {
    let blocks: Vec<&Node> =
        nodes.iter().filter(|node| node.kind == Kind::Html && units.at(node.range.end) > start).collect();
    if !blocks.iter().any(|node| has_heading_tag(&text[node.range.clone()])) {
        return Ok(Vec::new());
    }
    let first_line = blocks.first().map_or(1, |node| node.start_line);
    let unmatched = |reason: &str| Unmatched { line: first_line, reason: reason.to_owned() };
    let source = blocks.iter().map(|node| &text[node.range.clone()]).collect::<Vec<_>>().join("\n");
    let mut reader = Reader { current_line: 1, headers: Vec::new(), grabbing: Vec::new(), text: Vec::new() };
    let mut open: Vec<String> = Vec::new();
    for token in tokenize(&source).map_err(|reason| unmatched(&reason))? {
        match token {
            Token::Open { name, id } => {
                reader.open_tag(&name, id);
                if is_void(&name) {
                    reader.close_tag(&name);
                } else {
                    open.push(name);
                }
            }
            Token::Close(name) => {
                if let Some(at) = open.iter().rposition(|n| *n == name) {
                    while open.len() > at {
                        let closed = open.pop().expect("not empty");
                        reader.close_tag(&closed);
                    }
                } else if name == "br" || name == "p" {
                    reader.open_tag(&name, None);
                    reader.close_tag(&name);
                }
            }
            Token::Text(piece) => reader.text(piece),
        }
    }
    while let Some(closed) = open.pop() {
        reader.close_tag(&closed);
    }
    // addLinenos: the first block (of all, from the top) whose source matches the first piece.
    let mut current = 0;
    let mut listed = Vec::new();
    for header in reader.headers {
        let line = match header.text.first() {
            Some(first) if is_regex_literal(first) => {
                nodes.iter().find(|node| text[node.range.clone()].contains(first.as_str())).map(|node| node.start_line)
            }
            Some(_) => return Err(unmatched("an HTML heading whose text doctoc reads as a regular expression")),
            None => nodes.first().map(|node| node.start_line),
        };
        let line = line.unwrap_or_else(|| {
            current += 1;
            current
        });
        // `parseInt(tagName.slice(1), 10)`: the digits after the first character (`h1@x` is 1).
        let Some(rank) = js_parse_int(header.tag.get(1..).unwrap_or("")) else { continue };
        if (i64::from(min)..=i64::from(max)).contains(&rank) {
            let rank = rank as u8;
            listed.push(Listed { rank, name: header.text.concat(), line, href: header.id });
        }
    }
    Ok(listed)
}

/// JavaScript's `parseInt(text, 10)`: white space skipped, a sign, the digits that follow (`None`
/// for none, JavaScript's NaN; saturated where they overflow, far outside any heading rank).
fn js_parse_int(text: &str) -> Option<i64> {
    let text = text.trim_start_matches(super::is_js_space);
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let digits = &digits[..digits.bytes().take_while(u8::is_ascii_digit).count()];
    let value = digits.bytes().try_fold(0i64, |n, d| n.checked_mul(10)?.checked_add(i64::from(d - b'0')));
    if digits.is_empty() {
        return None;
    }
    let value = value.unwrap_or(i64::MAX);
    Some(if negative { -value } else { value })
}

/// Whether some tag's name may have an `h` and a digit: what get-html-headers grabs (`/h\d/`).
/// A quick look before the tokenizer's reading, so never narrower than it: htmlparser2's tag
/// names run to white space, `/` or `>` (`<b[?h1>` is a heading's tag: found by the `doctoc`
/// fuzz target).
fn has_heading_tag(html: &str) -> bool {
    let bytes = html.as_bytes();
    bytes.iter().enumerate().any(|(i, &b)| {
        b == b'<' && {
            let name: Vec<u8> = bytes[i + 1..]
                .iter()
                .take_while(|b| !b" \t\n\r\x0c/>".contains(b))
                .map(u8::to_ascii_lowercase)
                .collect();
            name.windows(2).any(|w| w[0] == b'h' && w[1].is_ascii_digit())
        }
    })
}

/// A regular expression that matches its own text and nothing else.
fn is_regex_literal(text: &str) -> bool {
    !text.contains(['\\', '^', '$', '.', '|', '?', '*', '+', '(', ')', '[', ']', '{', '}'])
}

/// get-html-headers' handlers.
struct Reader {
    current_line: usize,
    headers: Vec<Header>,
    grabbing: Vec<Grabbed>,
    /// The text pieces since the last heading closed (a heading given up keeps its pieces here).
    text: Vec<String>,
}

struct Grabbed {
    tag: String,
    line: usize,
    id: Option<String>,
}

struct Header {
    tag: String,
    text: Vec<String>,
    id: Option<String>,
}

impl Reader {
    fn open_tag(&mut self, name: &str, id: Option<String>) {
        if self.grabbing.last().is_some_and(|top| top.tag == "pre") {
            return;
        }
        if name == "pre" || name.as_bytes().windows(2).any(|w| w[0] == b'h' && w[1].is_ascii_digit()) {
            self.grabbing.push(Grabbed { tag: name.to_owned(), line: self.current_line, id });
        }
    }

    fn text(&mut self, piece: String) {
        self.current_line += piece.matches('\n').count();
        let Some(top) = self.grabbing.last() else { return };
        if top.tag == "pre" {
            return;
        }
        if self.current_line == top.line {
            self.text.push(piece);
        } else {
            self.grabbing.pop();
        }
    }

    fn close_tag(&mut self, name: &str) {
        if self.grabbing.last().is_some_and(|top| top.tag == name) {
            let grabbed = self.grabbing.pop().expect("not empty");
            self.headers.push(Header { tag: grabbed.tag, text: std::mem::take(&mut self.text), id: grabbed.id });
        }
    }
}

/// htmlparser2's void elements: closed as soon as opened.
fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "basefont"
            | "br"
            | "col"
            | "command"
            | "embed"
            | "frame"
            | "hr"
            | "image"
            | "img"
            | "input"
            | "isindex"
            | "keygen"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
    )
}

enum Token {
    Open { name: String, id: Option<String> },
    Close(String),
    Text(String),
}

/// htmlparser2's events for the HTML it reads the way this module models: tags (names lower
/// case, the `id` attribute), comments and declarations skipped, text in pieces split at each
/// entity (which is a piece of its own, decoded).
fn tokenize(html: &str) -> Result<Vec<Token>, String> {
    let mut tokens = Vec::new();
    let mut text_start = 0;
    let mut i = 0;
    let bytes = html.as_bytes();
    let flush = |tokens: &mut Vec<Token>, from: usize, to: usize| {
        if to > from {
            tokens.push(Token::Text(html[from..to].to_owned()));
        }
    };
    while i < bytes.len() {
        match bytes[i] {
            b'<' if bytes.get(i + 1).is_some_and(u8::is_ascii_alphabetic) => {
                flush(&mut tokens, text_start, i);
                let (end, name, attributes) = tag(html, i + 1)?;
                if matches!(name.as_str(), "script" | "style" | "title" | "textarea" | "xmp" | "plaintext") {
                    return Err(format!("a <{name}> element in an HTML block with a heading"));
                }
                let id = attributes.into_iter().find(|(n, _)| n == "id").map(|(_, v)| v);
                tokens.push(Token::Open { name, id });
                i = end;
                text_start = i;
            }
            b'<' if bytes.get(i + 1) == Some(&b'/') => {
                // htmlparser2 skips white space after `</`; `</>` is text from its `<` on; a name
                // (a letter first) is a closing tag, none where it runs to the end; anything else
                // is a comment up to `>`. Left open at the end, what follows `</` up to there is
                // text, from its `<` (found by the `doctoc` fuzz target).
                flush(&mut tokens, text_start, i);
                let after = i + 2 + bytes[i + 2..].iter().take_while(|b| b.is_ascii_whitespace()).count();
                let up_to_gt = |from: usize| html[from..].find('>').map(|at| from + at + 1);
                match bytes.get(after) {
                    None | Some(b'>') => {
                        text_start = i;
                        i = (after + 1).min(html.len());
                    }
                    Some(c) if c.is_ascii_alphabetic() => {
                        let name_end = (after..bytes.len())
                            .find(|&k| bytes[k].is_ascii_whitespace() || matches!(bytes[k], b'/' | b'>'));
                        if let Some(name_end) = name_end {
                            tokens.push(Token::Close(html[after..name_end].to_ascii_lowercase()));
                        }
                        i = name_end.and_then(up_to_gt).unwrap_or(html.len());
                        text_start = i;
                    }
                    Some(_) => {
                        (i, text_start) = match up_to_gt(after) {
                            Some(end) => (end, end),
                            None => (html.len(), after),
                        };
                    }
                }
            }
            b'<' if html[i..].starts_with("<!--") => {
                flush(&mut tokens, text_start, i);
                // htmlparser2 takes the opening's dashes as the closing's too: `<!-->` and
                // `<!--->` are whole comments (found by the `doctoc` fuzz target).
                i = html[i + 2..].find("-->").map_or(html.len(), |at| i + 2 + at + 3);
                text_start = i;
            }
            b'<' if matches!(bytes.get(i + 1), Some(b'!' | b'?')) => {
                flush(&mut tokens, text_start, i);
                match html[i..].find('>') {
                    Some(at) => {
                        i += at + 1;
                        text_start = i;
                    }
                    // Left open to the end: htmlparser2 gives what follows `<!` or `<?` as text
                    // (its trailing data, as it is: another `<!` or an entity in it too), a
                    // CDATA section aside (found by the `doctoc` fuzz target: `<h1>x<!-` is `x-`).
                    None if html[i..].starts_with("<![CDATA[") => {
                        i = html.len();
                        text_start = i;
                    }
                    None => {
                        text_start = i + 2;
                        i = html.len();
                    }
                }
            }
            b'<' => {
                // No tag: text, but htmlparser2 gives the text before each `<` as a piece of its
                // own, and a piece with a line ending in it ends the heading it is in (found by
                // the `doctoc` fuzz target).
                flush(&mut tokens, text_start, i);
                text_start = i;
                i += 1;
            }
            b'&' => {
                let Some((len, decoded)) = entity(&html[i..])? else {
                    i += 1;
                    continue;
                };
                flush(&mut tokens, text_start, i);
                tokens.push(Token::Text(decoded));
                i += len;
                text_start = i;
            }
            _ => i += 1,
        }
    }
    flush(&mut tokens, text_start, html.len());
    Ok(tokens)
}

/// A tag's attributes: names (lower case) and values, the first of each name.
type Attributes = Vec<(String, String)>;

/// An open tag from its name at `at`: where it ends, its name and attributes.
fn tag(html: &str, at: usize) -> Result<(usize, String, Attributes), String> {
    let bytes = html.as_bytes();
    let mut i = at;
    while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'/' && bytes[i] != b'>' {
        i += 1;
    }
    let name = html[at..i].to_ascii_lowercase();
    let mut attributes: Attributes = Vec::new();
    loop {
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        if i >= bytes.len() {
            return Err(format!("an unclosed <{name}> tag"));
        }
        if bytes[i] == b'>' {
            return Ok((i + 1, name, attributes));
        }
        // The first character starts the name, even `=` (htmlparser2's BeforeAttributeName:
        // `<h3 a/="<b>">` is `a` and `="<b`; found by the `doctoc` fuzz target).
        let name_start = i;
        i += 1;
        while i < bytes.len() && !bytes[i].is_ascii_whitespace() && !matches!(bytes[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        let attribute = html[name_start..i].to_ascii_lowercase();
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if bytes.get(i) == Some(&b'=') {
            i += 1;
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            match bytes.get(i) {
                Some(&quote @ (b'"' | b'\'')) => {
                    let end = html[i + 1..].find(quote as char).ok_or_else(|| format!("an unclosed <{name}> tag"))?;
                    value = html[i + 1..i + 1 + end].to_owned();
                    i += end + 2;
                }
                _ => {
                    let start = i;
                    while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>' {
                        i += 1;
                    }
                    value = html[start..i].to_owned();
                }
            }
        }
        if value.contains('&') {
            return Err("an entity in an attribute of an HTML block with a heading".to_owned());
        }
        if !attributes.iter().any(|(n, _)| *n == attribute) {
            attributes.push((attribute, value));
        }
    }
}

/// An entity at the start of `text` (`&...`): its length and what it stands for, `None` where
/// `&` is only text. Named entities without `;` (HTML's legacy ones) are not modelled.
fn entity(text: &str) -> Result<Option<(usize, String)>, String> {
    let rest = &text[1..];
    if let Some(numeric) = rest.strip_prefix('#') {
        let (hex, digits) = match numeric.strip_prefix(['x', 'X']) {
            Some(hex) => (true, hex),
            None => (false, numeric),
        };
        let count = digits.bytes().take_while(|b| if hex { b.is_ascii_hexdigit() } else { b.is_ascii_digit() }).count();
        if count == 0 {
            return Ok(None);
        }
        if digits.as_bytes().get(count) != Some(&b';') {
            return Err("a numeric character reference without `;` in an HTML block with a heading".to_owned());
        }
        let value = u32::from_str_radix(&digits[..count], if hex { 16 } else { 10 }).unwrap_or(u32::MAX);
        let decoded = match value {
            0 => '\u{fffd}',
            0xd800..=0xdfff => '\u{fffd}',
            v => char::from_u32(v).unwrap_or('\u{fffd}'),
        };
        if (0x80..=0x9f).contains(&value) {
            return Err("a character reference to a C1 code in an HTML block with a heading".to_owned());
        }
        let len = 1 + 1 + usize::from(hex) + count + 1;
        return Ok(Some((len, decoded.to_string())));
    }
    let name = rest.bytes().take_while(u8::is_ascii_alphanumeric).count();
    if name == 0 {
        return Ok(None);
    }
    if rest.as_bytes().get(name) == Some(&b';')
        && let Some(decoded) = named_entity(&text[..name + 2])
    {
        return Ok(Some((name + 2, decoded)));
    }
    Err("an entity htmlparser2 may read without its `;` in an HTML block with a heading".to_owned())
}

/// `&name;` decoded with HTML5's table (pulldown-cmark's).
fn named_entity(entity: &str) -> Option<String> {
    let mut decoded = String::new();
    for event in pulldown_cmark::Parser::new(entity) {
        match event {
            pulldown_cmark::Event::Text(text) => decoded.push_str(&text),
            pulldown_cmark::Event::Start(pulldown_cmark::Tag::Paragraph)
            | pulldown_cmark::Event::End(pulldown_cmark::TagEnd::Paragraph) => {}
            _ => return None,
        }
    }
    (decoded != entity).then_some(decoded)
}
