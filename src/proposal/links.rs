//! Links that follow renamed headings. Pure: texts in, texts out. Which headings a change
//! renamed is decided by aligning the two versions' outlines (so a duplicate's counter shift is
//! a rename too); a document's links to them are pointed at the new anchors by editing only the
//! bytes of link destinations, located from the Markdown parser's events and checked against the
//! destination the parser decoded: never link text, labels, code, comments or a TOC block.

use crate::toc::{GithubView, headings::parser_options};
use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use std::collections::HashSet;
use std::ops::Range;

/// What a change did to the headings links can point at.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Renames {
    /// Old anchor, new anchor: the heading that had the old anchor has the new one now. Also a
    /// heading that kept its text but whose duplicate counter moved (`#foo-1` now `#foo`).
    pub moved: Vec<(String, String)>,
    /// An anchor whose heading cannot be told in the new version (a split, two headings that
    /// read alike, one of two duplicates removed), with the candidates: links to it are left.
    pub unclear: Vec<(String, Vec<String>)>,
}

impl Renames {
    pub fn is_empty(&self) -> bool {
        self.moved.is_empty() && self.unclear.is_empty()
    }

    /// The renames both `self` and `other` found, alike: what holds for two versions at once.
    pub fn common_with(&self, other: &Renames) -> Renames {
        Renames {
            moved: self.moved.iter().filter(|m| other.moved.contains(m)).cloned().collect(),
            unclear: self
                .unclear
                .iter()
                .filter(|(old, _)| !other.moved.iter().any(|(o, _)| o == old))
                .cloned()
                .collect(),
        }
    }
}

/// The renames from `before` to `after` (two versions of one document as github.com renders
/// them). Headings are aligned by level and text (`align`). An alignment is trusted only when
/// aligning the outlines from either end gives it: otherwise (duplicates that could pair either
/// way) the anchor is unclear.
pub fn renames(before: &GithubView, after: &GithubView) -> Renames {
    let old: Vec<(u8, &str)> = before.headings.iter().map(|h| (h.level, h.text.as_str())).collect();
    let new: Vec<(u8, &str)> = after.headings.iter().map(|h| (h.level, h.text.as_str())).collect();
    let mut found = Renames::default();
    if old == new {
        return found;
    }
    let forward = align(&old, &new);
    let backward: Vec<Pairing> = {
        let last = new.len().saturating_sub(1);
        let old_reversed: Vec<(u8, &str)> = old.iter().rev().copied().collect();
        let new_reversed: Vec<(u8, &str)> = new.iter().rev().copied().collect();
        let mut pairs = align(&old_reversed, &new_reversed);
        pairs.reverse();
        pairs.into_iter().map(|pairing| pairing.map_to(|j| last - j)).collect()
    };
    let anchor_after = |j: usize| after.headings[j].anchor.clone();
    for (i, (one, other)) in forward.iter().zip(&backward).enumerate() {
        let anchor = &before.headings[i].anchor;
        match (one, other) {
            (Pairing::To(j), Pairing::To(k)) if j == k => {
                if after.headings[*j].anchor != *anchor {
                    found.moved.push((anchor.clone(), anchor_after(*j)));
                }
            }
            // Gone either way: its links break, which the checks report.
            (Pairing::Gone, Pairing::Gone) => {}
            _ => {
                let mut candidates: Vec<String> = Vec::new();
                for pairing in [one, other] {
                    let js: Vec<usize> = match pairing {
                        Pairing::To(j) => vec![*j],
                        Pairing::Among(js) => js.clone(),
                        Pairing::Gone => Vec::new(),
                    };
                    for j in js {
                        let candidate = anchor_after(j);
                        if !candidates.contains(&candidate) {
                            candidates.push(candidate);
                        }
                    }
                }
                // Where every reading keeps the anchor, links to it stay right.
                if candidates.iter().any(|c| c != anchor) || candidates.is_empty() {
                    found.unclear.push((anchor.clone(), candidates));
                }
            }
        }
    }
    found
}

/// Where one heading of the old outline went.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Pairing {
    To(usize),
    /// Replaced by a run of headings it cannot be paired with one by one.
    Among(Vec<usize>),
    Gone,
}

impl Pairing {
    fn map_to(self, f: impl Fn(usize) -> usize) -> Pairing {
        match self {
            Pairing::To(j) => Pairing::To(f(j)),
            Pairing::Among(js) => Pairing::Among(js.into_iter().map(f).collect()),
            Pairing::Gone => Pairing::Gone,
        }
    }
}

/// For each old heading, where it went: the cheapest edit of the old outline into the new one,
/// where keeping a heading costs nothing, renaming one costs less than removing it and adding
/// another (a little more when its level changed too). Where a run of edits between kept
/// headings removes as many as it adds, its renames pair up one by one; otherwise (a split, a
/// merge) each old heading there is among the new ones of that run.
fn align(old: &[(u8, &str)], new: &[(u8, &str)]) -> Vec<Pairing> {
    const ADD_OR_REMOVE: u32 = 2;
    let rename = |a: (u8, &str), b: (u8, &str)| if a.0 == b.0 { 2 } else { 3 };
    let (n, m) = (old.len(), new.len());
    // cost[i][j]: the cheapest edit of old[i..] into new[j..].
    let width = m + 1;
    let mut cost = vec![0u32; (n + 1) * width];
    for i in (0..=n).rev() {
        for j in (0..=m).rev() {
            cost[i * width + j] = if i == n {
                (m - j) as u32 * ADD_OR_REMOVE
            } else if j == m {
                (n - i) as u32 * ADD_OR_REMOVE
            } else {
                let pair = if old[i] == new[j] { 0 } else { rename(old[i], new[j]) };
                (cost[(i + 1) * width + j + 1] + pair)
                    .min(cost[(i + 1) * width + j] + ADD_OR_REMOVE)
                    .min(cost[i * width + j + 1] + ADD_OR_REMOVE)
            };
        }
    }
    // The path, preferring to pair, then to remove, then to add.
    let mut pairs = vec![Pairing::Gone; n];
    let (mut i, mut j) = (0, 0);
    // The current run of edits: its old headings (paired or removed) and its new ones.
    let mut run: (Vec<(usize, Option<usize>)>, Vec<usize>) = (Vec::new(), Vec::new());
    let close = |run: &mut (Vec<(usize, Option<usize>)>, Vec<usize>), pairs: &mut Vec<Pairing>| {
        let (olds, news) = std::mem::take(run);
        let even = olds.len() == news.len();
        for (i, paired) in olds {
            pairs[i] = match paired {
                Some(j) if even => Pairing::To(j),
                _ if news.is_empty() => Pairing::Gone,
                _ => Pairing::Among(news.clone()),
            };
        }
    };
    while i < n || j < m {
        let here = cost[i * width + j];
        if i < n && j < m && old[i] == new[j] && here == cost[(i + 1) * width + j + 1] {
            close(&mut run, &mut pairs);
            pairs[i] = Pairing::To(j);
            (i, j) = (i + 1, j + 1);
        } else if i < n && j < m && here == cost[(i + 1) * width + j + 1] + rename(old[i], new[j]) {
            run.0.push((i, Some(j)));
            run.1.push(j);
            (i, j) = (i + 1, j + 1);
        } else if i < n && here == cost[(i + 1) * width + j] + ADD_OR_REMOVE {
            run.0.push((i, None));
            i += 1;
        } else {
            run.1.push(j);
            j += 1;
        }
    }
    close(&mut run, &mut pairs);
    pairs
}

/// The anchors a version of a document offers links: its headings' and its explicit ids
/// (`<a id>`, `<a name>`), which GitHub keeps and a rename never moves.
#[derive(Debug, Default)]
pub struct Anchors {
    headings: HashSet<String>,
    ids: HashSet<String>,
}

impl Anchors {
    pub fn of(view: &GithubView) -> Anchors {
        Anchors {
            headings: view.headings.iter().map(|h| h.anchor.clone()).collect(),
            ids: view.html_ids.iter().cloned().collect(),
        }
    }
}

/// Which links a rewrite looks at, by the part of the destination before `#`.
pub enum Scope<'a> {
    /// `#fragment` only: links within the document itself.
    SameDocument,
    /// `path#fragment` where the (decoded) path names the renamed document.
    File(&'a dyn Fn(&str) -> bool),
}

/// A link pointed at a new anchor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    /// Where the destination starts in the original text.
    pub offset: usize,
    pub old: String,
    pub new: String,
}

/// A link to a renamed heading that was left as written, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Left {
    pub offset: usize,
    pub anchor: String,
    pub why: Why,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Why {
    /// The heading's new name is unclear: these are the candidates.
    Unclear(Vec<String>),
    /// The renamed heading's new anchor is not in this version of the target.
    NotInThisVersion(String),
    /// The destination's bytes could not be told apart exactly (a definition split over lines
    /// of a block quote, say): nothing written there.
    NotLocated(String),
}

impl Why {
    /// What happened to the link, and what to do, for people.
    pub fn explain(&self) -> String {
        match self {
            Why::Unclear(candidates) if candidates.is_empty() => "its heading is gone; left as it is".to_owned(),
            Why::Unclear(candidates) => format!(
                "its heading's new name is unclear (candidates: {}); left as it is: point it at one by hand",
                candidates.iter().map(|c| format!("#{c}")).collect::<Vec<_>>().join(", ")
            ),
            Why::NotInThisVersion(new) => format!("renamed to #{new}, which this version does not have; left as it is"),
            Why::NotLocated(new) => {
                format!("renamed to #{new}, but git-kep cannot rewrite the link as it is written: change it by hand")
            }
        }
    }
}

/// A document with its links to renamed headings pointed at the new anchors.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Rewritten {
    /// `None`: nothing changed.
    pub text: Option<String>,
    pub edits: Vec<Edit>,
    pub left: Vec<Left>,
}

/// `text` with each link in `scope` whose fragment is a moved anchor pointed at the new one,
/// when `target` (the linked version: the text itself for `Scope::SameDocument`) has the new
/// anchor and the old one is no explicit id there. Links inside `skip` (a TOC body, which its
/// own engine regenerates) are left. Only destination bytes change, and only the fragment's.
pub fn rewrite(text: &str, renames: &Renames, target: &Anchors, scope: Scope<'_>, skip: &[Range<usize>]) -> Rewritten {
    let mut result = Rewritten::default();
    if renames.is_empty() {
        return result;
    }
    let mut planned: Vec<(Range<usize>, String, Edit)> = Vec::new();
    for destination in destinations(text) {
        if skip.iter().any(|s| s.start <= destination.at && destination.at < s.end) {
            continue;
        }
        let Some((path, fragment)) = destination.decoded.split_once('#') else { continue };
        // `#` alone is the top of the page, never a heading.
        if fragment.is_empty() {
            continue;
        }
        let in_scope = match &scope {
            Scope::SameDocument => path.is_empty(),
            Scope::File(names_target) => !path.is_empty() && names_target(path),
        };
        if !in_scope || target.ids.contains(fragment) {
            continue;
        }
        let left = |why| Left { offset: destination.at, anchor: fragment.to_owned(), why };
        if let Some((_, candidates)) = renames.unclear.iter().find(|(old, _)| old == fragment) {
            result.left.push(left(Why::Unclear(candidates.clone())));
            continue;
        }
        let Some((_, new)) = renames.moved.iter().find(|(old, _)| old == fragment) else { continue };
        if !target.headings.contains(new) {
            result.left.push(left(Why::NotInThisVersion(new.clone())));
            continue;
        }
        match destination.fragment_bytes(text) {
            Some(range) => {
                let written = encode(new, destination.kind);
                planned.push((
                    range,
                    written,
                    Edit { offset: destination.at, old: fragment.to_owned(), new: new.clone() },
                ));
            }
            None => result.left.push(left(Why::NotLocated(new.clone()))),
        }
    }
    if planned.is_empty() {
        return result;
    }
    planned.sort_by_key(|(range, _, _)| range.start);
    planned.dedup_by_key(|(range, _, _)| range.start);
    let mut out = String::with_capacity(text.len() + 16 * planned.len());
    let mut copied = 0;
    for (range, written, _) in &planned {
        out.push_str(&text[copied..range.start]);
        out.push_str(written);
        copied = range.end;
    }
    out.push_str(&text[copied..]);
    // The promise, checked: the new text has the same links with only those fragments changed.
    let expected: Vec<String> = {
        let moved: std::collections::HashMap<usize, &Edit> =
            planned.iter().map(|(_, _, edit)| (edit.offset, edit)).collect();
        destinations(text)
            .into_iter()
            .map(|d| match moved.get(&d.at) {
                Some(edit) => {
                    let path = d.decoded.split_once('#').map_or("", |(path, _)| path);
                    format!("{path}#{}", edit.new)
                }
                None => d.decoded,
            })
            .collect()
    };
    let now: Vec<String> = destinations(&out).into_iter().map(|d| d.decoded).collect();
    if now != expected {
        for (_, _, edit) in planned {
            result.left.push(Left { offset: edit.offset, anchor: edit.old, why: Why::NotLocated(edit.new) });
        }
        return result;
    }
    result.edits = planned.into_iter().map(|(_, _, edit)| edit).collect();
    result.text = Some(out);
    result
}

/// How a destination is written, which decides how it is decoded and how a new fragment is
/// written into it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Markdown (inline link, image, reference definition): backslash escapes and entities.
    Markdown,
    /// An HTML attribute value: entities only.
    Html,
}

/// A link destination as written: its raw bytes and what the parser decoded them to.
#[derive(Debug)]
struct Destination {
    /// Where the link (or definition, or tag) starts.
    at: usize,
    /// The destination's own bytes, without `<` `>` or quotes.
    raw: Range<usize>,
    decoded: String,
    kind: Kind,
}

impl Destination {
    /// The bytes of the fragment (after the first decoded `#`) in the text.
    fn fragment_bytes(&self, text: &str) -> Option<Range<usize>> {
        let raw = &text[self.raw.clone()];
        let (decoded, starts) = decode(raw, self.kind);
        if decoded != self.decoded {
            return None;
        }
        let hash = decoded.find('#')?;
        // The raw offset of the character after `#`: the start of the next decoded character.
        let after = decoded[..=hash].chars().count();
        let start = starts.get(after).copied().unwrap_or(raw.len());
        Some(self.raw.start + start..self.raw.end)
    }
}

/// Every link destination in `text` that has a `#`, as the Markdown parser sees them: inline
/// links and images, reference definitions, and `href` of HTML `<a>` tags outside comments.
/// Code spans, code blocks and comments hold no links, and link text never counts.
fn destinations(text: &str) -> Vec<Destination> {
    let base = crate::toc::content_start(text);
    let body = &text[base..];
    let parser = Parser::new_ext(body, parser_options());
    let mut found = Vec::new();
    for (_, definition) in parser.reference_definitions().iter() {
        if !definition.dest.contains('#') {
            continue;
        }
        let span = definition.span.start + base..definition.span.end + base;
        let raw = definition_destination(text, span.clone());
        found.push(Destination {
            at: span.start,
            raw: raw.unwrap_or(span.start..span.start),
            decoded: definition.dest.to_string(),
            kind: Kind::Markdown,
        });
    }
    // Inline links and images: (start, decoded destination, end of the last event inside).
    let mut open: Vec<(usize, Option<String>, usize)> = Vec::new();
    let mut html_block: Option<usize> = None;
    for (event, range) in parser.into_offset_iter() {
        let range = range.start + base..range.end + base;
        // What the link's text holds ends where its last event inside ends.
        if !matches!(event, Event::End(TagEnd::Link | TagEnd::Image))
            && let Some(top) = open.last_mut()
        {
            top.2 = top.2.max(range.end);
        }
        match event {
            Event::Start(Tag::Link { link_type, dest_url, .. } | Tag::Image { link_type, dest_url, .. }) => {
                let inline = matches!(link_type, pulldown_cmark::LinkType::Inline);
                let wanted = inline && dest_url.contains('#');
                let text_start = if text[range.start..].starts_with('!') { range.start + 2 } else { range.start + 1 };
                open.push((range.start, wanted.then(|| dest_url.to_string()), text_start));
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                let Some((start, Some(decoded), text_end)) = open.pop() else { continue };
                let raw = inline_destination(text, text_end, range.end);
                found.push(Destination { at: start, raw: raw.unwrap_or(start..start), decoded, kind: Kind::Markdown });
            }
            Event::Start(Tag::HtmlBlock) => html_block = Some(range.start),
            Event::End(TagEnd::HtmlBlock) => {
                if let Some(start) = html_block.take() {
                    html_hrefs(text, start..range.end.max(start), &mut found);
                }
            }
            Event::InlineHtml(_) => html_hrefs(text, range, &mut found),
            _ => {}
        }
    }
    // The pops above cannot outlive their End events; `open` left over means a parser surprise.
    found.sort_by_key(|d| d.at);
    found
}

/// The destination bytes of an inline link whose text ends at `text_end` and which ends at
/// `end`: `](` then optional white space, then `<dest>` or a bare destination.
fn inline_destination(text: &str, text_end: usize, end: usize) -> Option<Range<usize>> {
    let rest = text.get(text_end..end)?;
    let skipped = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    let at = text_end + skipped;
    let rest = text[at..end].strip_prefix("](")?;
    destination_at(text, end - rest.len(), end)
}

/// The destination bytes of a reference definition spanning `span`: `[label]:` then white
/// space (one line ending at most), then the destination.
fn definition_destination(text: &str, span: Range<usize>) -> Option<Range<usize>> {
    let bytes = text.as_bytes();
    let mut at = span.start;
    while at < span.end && bytes[at] == b' ' {
        at += 1;
    }
    if bytes.get(at) != Some(&b'[') {
        return None;
    }
    at += 1;
    // A label has no unescaped brackets.
    while at < span.end {
        match bytes[at] {
            b'\\' => at += 2,
            b']' => break,
            b'[' => return None,
            _ => at += 1,
        }
    }
    if text.get(at..at + 2) != Some("]:") {
        return None;
    }
    destination_at(text, at + 2, span.end)
}

/// A destination starting after optional white space (one line ending at most) at `at`.
fn destination_at(text: &str, mut at: usize, end: usize) -> Option<Range<usize>> {
    let bytes = text.as_bytes();
    let mut newlines = 0;
    while at < end && matches!(bytes[at], b' ' | b'\t' | b'\n' | b'\r' | b'\x0b' | b'\x0c') {
        newlines += usize::from(bytes[at] == b'\n');
        at += 1;
    }
    if newlines > 1 || at >= end {
        return None;
    }
    if bytes[at] == b'<' {
        let start = at + 1;
        let mut i = start;
        while i < end {
            match bytes[i] {
                b'\\' => i += 2,
                b'>' => return Some(start..i),
                b'<' | b'\n' | b'\r' => return None,
                _ => i += 1,
            }
        }
        return None;
    }
    let start = at;
    let mut depth = 0usize;
    let mut i = start;
    while i < end {
        match bytes[i] {
            b'\\' if bytes.get(i + 1).is_some_and(u8::is_ascii_punctuation) => i += 2,
            b'(' => {
                depth += 1;
                i += 1;
            }
            b')' if depth == 0 => break,
            b')' => {
                depth -= 1;
                i += 1;
            }
            b if b.is_ascii_whitespace() || b.is_ascii_control() => break,
            _ => i += 1,
        }
    }
    Some(start..i)
}

/// The `href` values of `<a>` tags in the HTML between `range`, outside comments.
fn html_hrefs(text: &str, range: Range<usize>, found: &mut Vec<Destination>) {
    let html = &text[range.clone()];
    let lower = html.to_ascii_lowercase();
    let mut at = 0;
    while at < html.len() {
        let Some(open) = lower[at..].find('<').map(|i| at + i) else { break };
        if lower[open..].starts_with("<!--") {
            let close = lower[open + 4..].find("-->").map_or(html.len(), |i| open + 4 + i + 3);
            at = close;
            continue;
        }
        let is_anchor = lower[open + 1..].starts_with('a')
            && lower[open + 2..].chars().next().is_some_and(|c| c.is_ascii_whitespace());
        let tag_end = tag_end(&lower, open + 1);
        if is_anchor && let Some(value) = attribute(html, &lower, open + 2..tag_end, "href") {
            let (decoded, _) = decode(&html[value.clone()], Kind::Html);
            if decoded.contains('#') {
                found.push(Destination {
                    at: range.start + open,
                    raw: range.start + value.start..range.start + value.end,
                    decoded,
                    kind: Kind::Html,
                });
            }
        }
        at = tag_end.max(open + 1);
    }
}

/// Where a tag starting before `from` ends (after its `>`, quotes respected).
fn tag_end(lower: &str, from: usize) -> usize {
    let bytes = lower.as_bytes();
    let mut quote = None;
    for (i, &b) in bytes.iter().enumerate().skip(from) {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), b) if b == q => quote = None,
            (None, b'>') => return i + 1,
            _ => {}
        }
    }
    bytes.len()
}

/// The value bytes of attribute `name` within a tag's attributes (`within`).
fn attribute(html: &str, lower: &str, within: Range<usize>, name: &str) -> Option<Range<usize>> {
    let bytes = html.as_bytes();
    let mut i = within.start;
    while i < within.end {
        while i < within.end && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let name_start = i;
        while i < within.end && !bytes[i].is_ascii_whitespace() && !matches!(bytes[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        let this = &lower[name_start..i];
        while i < within.end && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= within.end || bytes[i] != b'=' {
            if i == name_start {
                i += 1;
            }
            continue;
        }
        i += 1;
        while i < within.end && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let value = match bytes.get(i) {
            Some(&q @ (b'"' | b'\'')) => {
                let end = html[i + 1..within.end].find(q as char)? + i + 1;
                let value = i + 1..end;
                i = end + 1;
                value
            }
            _ => {
                let start = i;
                while i < within.end && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>' {
                    i += 1;
                }
                start..i
            }
        };
        if this == name {
            return Some(value);
        }
    }
    None
}

/// A raw destination decoded as its kind is, with the raw offset of each decoded character.
fn decode(raw: &str, kind: Kind) -> (String, Vec<usize>) {
    let mut decoded = String::with_capacity(raw.len());
    let mut starts = Vec::with_capacity(raw.len());
    let mut at = 0;
    while at < raw.len() {
        let rest = &raw[at..];
        let c = rest.chars().next().expect("within the text");
        if kind == Kind::Markdown
            && c == '\\'
            && let Some(next) = rest[1..].chars().next().filter(char::is_ascii_punctuation)
        {
            starts.push(at);
            decoded.push(next);
            at += 2;
            continue;
        }
        if c == '&'
            && let Some(len) = rest.find(';').filter(|&len| (2..=33).contains(&len))
            && let Some(value) = entity(&rest[..=len])
        {
            for ch in value.chars() {
                starts.push(at);
                decoded.push(ch);
            }
            at += len + 1;
            continue;
        }
        starts.push(at);
        decoded.push(c);
        at += c.len_utf8();
    }
    (decoded, starts)
}

/// What an entity or numeric character reference stands for, as CommonMark (and HTML) decode
/// it: asked of the Markdown parser itself, which knows every entity name.
fn entity(reference: &str) -> Option<String> {
    let body = &reference[1..reference.len() - 1];
    let plausible = if let Some(number) = body.strip_prefix('#') {
        let hex = number.strip_prefix(['x', 'X']);
        match hex {
            Some(digits) => (1..=6).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_hexdigit()),
            None => (1..=7).contains(&number.len()) && number.bytes().all(|b| b.is_ascii_digit()),
        }
    } else {
        body.bytes().next().is_some_and(|b| b.is_ascii_alphabetic()) && body.bytes().all(|b| b.is_ascii_alphanumeric())
    };
    if !plausible {
        return None;
    }
    let mut value = String::new();
    for event in Parser::new(reference) {
        match event {
            Event::Text(text) => value.push_str(&text),
            Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph) => {}
            _ => return None,
        }
    }
    (value != reference).then_some(value)
}

/// A new fragment written so that its kind of destination decodes to it.
fn encode(anchor: &str, kind: Kind) -> String {
    let mut out = String::with_capacity(anchor.len());
    for c in anchor.chars() {
        match kind {
            Kind::Markdown if c.is_ascii_punctuation() && c != '-' && c != '_' && c != '.' => {
                out.push('\\');
                out.push(c);
            }
            Kind::Markdown if c.is_whitespace() || c.is_control() => {
                out.push_str(&format!("%{:02X}", c as u32));
            }
            Kind::Html if matches!(c, '&' | '"' | '\'' | '<' | '>') => out.push_str(&format!("&#{};", c as u32)),
            _ => out.push(c),
        }
    }
    out
}

#[doc(hidden)]
pub mod promise;
#[cfg(test)]
mod tests;
