//! What a change introduced: of a document's findings, those its previous version did not
//! have. Pure: two lists of findings in, the new ones out. Findings are matched by rule and
//! subject (the link's fragment, the section, the heading), never by line, so an edit that moves
//! lines does not make old findings look new; a subject found twice now and once before counts
//! once as introduced. Also what can be told of a previous version without parsing it: which
//! sections it certainly lacked, and whether the change can have renamed a heading at all
//! (`proposal::links` decides which).

use crate::proposal::check::{Problem, Rule};
use std::collections::HashMap;

/// A document's findings, split by whether the change brought them.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Introduced {
    /// Not in the previous version (all of them for a new document).
    pub new: Vec<Problem>,
    /// Already in the previous version, and still there.
    pub older: usize,
}

/// The findings of `after` that `before` (the previous version's, `None` for a new document)
/// does not have.
pub fn introduced(before: Option<&[Problem]>, after: Vec<Problem>) -> Introduced {
    let Some(before) = before else { return Introduced { new: after, older: 0 } };
    let mut remaining: HashMap<(Rule, String), usize> = HashMap::new();
    for problem in before {
        *remaining.entry((problem.rule, problem.subject.clone())).or_default() += 1;
    }
    let mut split = Introduced::default();
    for problem in after {
        let older = match remaining.get_mut(&(problem.rule, problem.subject.clone())) {
            Some(count) if *count > 0 => {
                *count -= 1;
                true
            }
            _ => false,
        };
        if older {
            split.older += 1;
        } else {
            split.new.push(problem);
        }
    }
    split
}

/// What a text's headings can be, read without parsing it: every source a heading could have
/// (`heading_sources`), read loosely so that every real heading is among them. Rendering a
/// heading only drops characters from its source: container markers before it, and within it
/// markup, link targets and HTML, except that entities (`&eacute;`) render letters the source
/// does not spell. So a section's key (`check::section_key`) is a substring of a one-line
/// source without markup, a subsequence of any other source, and anything at all of one with
/// `&`. This answers, of a previous version, `missing-section`'s question and whether a change
/// can have renamed one of its headings.
pub struct HeadingSources<'a> {
    sources: Vec<std::borrow::Cow<'a, str>>,
    keys: Vec<Candidate>,
}

enum Candidate {
    /// One line without markup: the key is in it as written.
    Plain(String),
    /// Markup or several lines: the key's letters are in it in order, maybe apart.
    Loose(String),
    /// An entity: any key.
    Any,
}

impl<'a> HeadingSources<'a> {
    pub fn of(text: &'a str) -> HeadingSources<'a> {
        let candidate = |source: &str| {
            let key = crate::proposal::check::section_key(source);
            if source.contains('&') {
                Candidate::Any
            } else if source.contains(['\n', '<', '[', ']']) {
                Candidate::Loose(key)
            } else {
                Candidate::Plain(key)
            }
        };
        let sources = heading_sources(text);
        let keys = sources.iter().map(|source| candidate(source)).collect();
        HeadingSources { sources, keys }
    }

    /// Whether no heading of the text can have section key `key` (`false`: it may have one).
    pub fn certainly_lack(&self, key: &str) -> bool {
        !key.is_empty()
            && self.keys.iter().all(|source| match source {
                Candidate::Plain(k) => !k.contains(key),
                Candidate::Loose(k) => !is_subsequence(key, k),
                Candidate::Any => false,
            })
    }

    /// Whether changing the text into `after` can have renamed a heading: not when every source
    /// is still there, in order, and the headings added (if any) cannot share an anchor with
    /// another (which would move its duplicate counter: `#foo` becomes `#foo-1`). Then there is
    /// no need to read the previous version's outline.
    pub fn may_be_renamed_in(&self, after: &str) -> bool {
        let after = heading_sources(after);
        let mut kept = vec![false; after.len()];
        let mut next = 0;
        for source in &self.sources {
            match after[next..].iter().position(|a| a == source) {
                Some(at) => {
                    kept[next + at] = true;
                    next += at + 1;
                }
                None => return true,
            }
        }
        if self.sources.len() == after.len() {
            return false;
        }
        // An added heading moves another's anchor only if their anchors can be alike: the same,
        // or one the other plus GitHub's counter (`foo`, `foo-1`).
        let slugs: Vec<Option<String>> = after.iter().map(|s| plain_slug(s)).collect();
        let counted = |long: &str, short: &str| {
            long.strip_prefix(short)
                .and_then(|rest| rest.strip_prefix('-'))
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        };
        let alike = |added: usize, other: usize| match (&slugs[added], &slugs[other]) {
            (Some(a), Some(b)) => a == b || counted(a, b) || counted(b, a),
            (Some(a), None) => may_render_alike(a, &after[other]),
            (None, _) => true,
        };
        (0..after.len())
            .filter(|&i| !kept[i])
            .any(|added| (0..after.len()).any(|other| other != added && alike(added, other)))
    }
}

/// The GitHub anchor of a one-line ATX heading source without markup (`## Foo Bar` is
/// `foo-bar`); `None` where markup, entities or several lines could render it otherwise.
fn plain_slug(source: &str) -> Option<String> {
    let text = strip_containers(source);
    let text = text.trim_start_matches('#').trim().trim_end_matches('#').trim();
    // `>` and `!` are text unless a `<` (a tag, an autolink) or `[` (an image) is there too.
    if source.contains('\n') || text.contains(['`', '*', '_', '[', ']', '<', '&', '\\']) {
        return None;
    }
    let mut slug = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        if c == ' ' {
            slug.push('-');
        } else if c.is_alphanumeric() || c == '-' {
            slug.push(c);
        } else if !c.is_ascii() {
            // Non-ASCII punctuation and symbols: GitHub's rules are not worth guessing here.
            return None;
        }
    }
    Some(slug)
}

/// Whether the heading `source`, whose anchor `plain_slug` cannot tell, may have `slug` as its
/// anchor, or one of them be the other with GitHub's counter (`foo`, `foo-1`). Rendering only
/// drops characters (markup, escapes, tags) and lowercases, so an anchor is a subsequence of
/// its source lowercased, spaces made `-`; entities and non-ASCII text, which can render as
/// other characters, may give any anchor.
fn may_render_alike(slug: &str, source: &str) -> bool {
    if source.contains('&') || !source.is_ascii() {
        return true;
    }
    let stem = match slug.rsplit_once('-') {
        Some((stem, n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => stem,
        _ => slug,
    };
    let mut rendered = source.bytes().map(|b| b.to_ascii_lowercase());
    stem.bytes().filter(|&b| b != b'-').all(|b| rendered.any(|r| r == b))
}

/// Every source a heading of `text` can have, in order, as written (see `HeadingSources`):
/// each line that could be an ATX heading, and each paragraph above a line that could be a
/// setext underline (its lines joined).
fn heading_sources(text: &str) -> Vec<std::borrow::Cow<'_, str>> {
    let raw = markdown_lines(text);
    let lines: Vec<&str> = raw.iter().map(|line| strip_containers(line)).collect();
    let mut sources = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if line.starts_with('#') {
            sources.push(std::borrow::Cow::Borrowed(raw[i]));
        } else if is_underline(line) || is_underline(raw[i]) {
            // Blank as CommonMark has it (spaces and tabs only): a paragraph is never cut short.
            let blank = |l: &&str| l.bytes().all(|b| b == b' ' || b == b'\t');
            let start = raw[..i].iter().rposition(blank).map_or(0, |blank| blank + 1);
            sources.push(std::borrow::Cow::Owned(raw[start..i].join("\n")));
        }
    }
    sources
}

/// The lines of `text` as Markdown ends them: at `\n`, `\r\n` or a lone `\r`.
fn markdown_lines(text: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut rest = text;
    while let Some(end) = rest.find(['\n', '\r']) {
        lines.push(&rest[..end]);
        let ending = if rest[end..].starts_with("\r\n") { 2 } else { 1 };
        rest = &rest[end + ending..];
    }
    if !rest.is_empty() {
        lines.push(rest);
    }
    lines
}

/// A line without the container markers before it: block quote `>`, list markers, indentation.
fn strip_containers(line: &str) -> &str {
    let mut rest = line;
    loop {
        let trimmed = rest.trim_start_matches([' ', '\t', '\u{b}', '\u{c}', '\u{feff}']);
        let bytes = trimmed.as_bytes();
        let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
        let spaced = |at: usize| matches!(bytes.get(at), Some(b' ' | b'\t'));
        rest = if let Some(after) = trimmed.strip_prefix('>') {
            after
        } else if matches!(bytes.first(), Some(b'-' | b'*' | b'+')) && spaced(1) {
            &trimmed[2..]
        } else if (1..=9).contains(&digits) && matches!(bytes.get(digits), Some(b'.' | b')')) && spaced(digits + 1) {
            &trimmed[digits + 2..]
        } else {
            return trimmed;
        };
    }
}

/// A line that could underline a setext heading (`===`, `---`; `- ` too, which is also a list
/// item).
fn is_underline(line: &str) -> bool {
    let line = line.trim_matches([' ', '\t', '\u{b}', '\u{c}']);
    !line.is_empty() && (line.bytes().all(|b| b == b'=') || line.bytes().all(|b| b == b'-'))
}

/// Whether `small`'s characters appear in `large` in order.
fn is_subsequence(small: &str, large: &str) -> bool {
    let mut large = large.chars();
    small.chars().all(|c| large.any(|l| l == c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proposal::check::{CheckInput, LinkedFile, check_document};
    use crate::toc::TocOptions;

    fn problems(text: &str) -> Vec<Problem> {
        let options = TocOptions::default();
        let mut files = |_: &str| LinkedFile::Unchecked;
        let required = crate::proposal::check::required_sections("# T\n## Summary\n## Design\n");
        let input = CheckInput { options: &options, required: Some(&required), linked_file: &mut files };
        check_document(text, input).problems
    }

    #[test]
    fn old_findings_are_old_wherever_their_lines_went() {
        let before = "# A\n\n[x](#gone)\n\n## Summary\n";
        // Lines moved, a word changed: the broken link and the missing section are the same.
        let after = "# A\n\nNew paragraph.\n\nMore.\n\n[x](#gone)\n\n## Summary\n\nText.\n";
        let split = introduced(Some(&problems(before)), problems(after));
        assert_eq!(split.new, Vec::new());
        assert_eq!(split.older, 2, "#gone and the missing Design section");
    }

    #[test]
    fn a_new_broken_link_or_a_removed_section_is_introduced() {
        let before = "# A\n\n## Summary\n\n## Design\n";
        let after = "# A\n\n[x](#gone) [y](#gone)\n\n## Summary\n";
        let split = introduced(Some(&problems(before)), problems(after));
        let rules: Vec<(Rule, &str)> = split.new.iter().map(|p| (p.rule, p.subject.as_str())).collect();
        assert_eq!(
            rules,
            [(Rule::MissingSection, "design"), (Rule::BrokenAnchor, "#gone"), (Rule::BrokenAnchor, "#gone")]
        );
        // A second link to the same missing anchor is new even where one was there before.
        let split = introduced(Some(&problems("# A\n[x](#gone)\n## Summary\n## Design\n")), problems(after));
        assert_eq!(split.new.iter().filter(|p| p.rule == Rule::BrokenAnchor).count(), 1);
        assert_eq!(split.older, 1);
    }

    #[test]
    fn a_new_document_brings_all_its_findings() {
        let split = introduced(None, problems("# A\n[x](#gone)\n"));
        assert_eq!(split.new.len(), 3);
        assert_eq!(split.older, 0);
    }

    #[test]
    fn a_section_is_certainly_lacking_only_where_no_heading_could_spell_it() {
        let text = "# T\n\n- ## In a [list](/x)\n> 1. ### Quoted\n\nTwo\nlines\n---\n\nNot a heading: motivation\n";
        let candidates = HeadingSources::of(text);
        for present in ["inalist", "quoted", "twolines", "t"] {
            assert!(!candidates.certainly_lack(present), "{present}");
        }
        for absent in ["motivation", "summary", "designdetails"] {
            assert!(candidates.certainly_lack(absent), "{absent}");
        }
        // An entity can render any letter: nothing is certain then.
        assert!(!HeadingSources::of("## Caf&eacute;\n").certainly_lack("motivation"));
        assert!(!candidates.certainly_lack(""));
        // Found by fuzzing: a lone `\r` ends a line, a form feed trails an underline, and a line
        // of no-break spaces is no blank line.
        assert!(!HeadingSources::of("1\r---").certainly_lack("1"));
        assert!(!HeadingSources::of("X=\r=\u{c}").certainly_lack("x"));
        assert!(!HeadingSources::of("Mot\n\u{a0}\nivation\n===\n").certainly_lack("motivation"));
    }

    #[test]
    fn only_a_heading_edited_or_removed_may_be_a_rename() {
        let before = "# T\n## Goals\n\nText\n---\n";
        assert!(!HeadingSources::of(before).may_be_renamed_in(before));
        assert!(!HeadingSources::of(before).may_be_renamed_in("# T\n## Added\n## Goals\n\nText\n---\n## More\n"));
        // A heading added before its twin moves the twin's anchor (`#goals` becomes `#goals-1`).
        assert!(HeadingSources::of(before).may_be_renamed_in("# T\n## Goals!\n## Goals\n\nText\n---\n"));
        assert!(HeadingSources::of(before).may_be_renamed_in("# T\n## Goals 1\n## Goals\n\nText\n---\n"));
        // Anchors that cannot be alike: no rename to look for (`goals-12` is no counter of `goals-1234`).
        let numbered = "# T\n## Goals 12\n";
        assert!(!HeadingSources::of(numbered).may_be_renamed_in("# T\n## Goals 12\n## Goals 1234\n"));
        assert!(!HeadingSources::of(before).may_be_renamed_in("# T\n## Goals\n## Non-Goals\n\nText\n---\n"));
        assert!(!HeadingSources::of(before).may_be_renamed_in("# T\n## Goals\nOther body text\n\nText\n---\n"));
        assert!(HeadingSources::of(before).may_be_renamed_in("# T\n## Aims\n\nText\n---\n"));
        assert!(HeadingSources::of(before).may_be_renamed_in("# T\n\nText\n---\n"));
        // A setext heading's first line is its source too.
        assert!(HeadingSources::of("Two\nlines\n===\n").may_be_renamed_in("Too\nlines\n===\n"));
        // A heading with markup may render as the added one's anchor only if the anchor's
        // letters are in it, in order; `>` without `<`, and `!` without `[`, are text.
        let marked = "# T\n## `kube` -> Goals!\n";
        assert!(!HeadingSources::of(marked).may_be_renamed_in("# T\n## `kube` -> Goals!\n## Added\n"));
        assert!(HeadingSources::of(marked).may_be_renamed_in("# T\n## `kube` -> Goals!\n## Kube Goals\n"));
        assert!(HeadingSources::of(marked).may_be_renamed_in("# T\n## `kube` -> Goals!\n## Goal 1\n"));
        let entity = "# T\n## `x` &#65;dded\n";
        assert!(HeadingSources::of(entity).may_be_renamed_in("# T\n## `x` &#65;dded\n## Added\n"));
        assert!(!HeadingSources::of("# T\n## a -> b!\n").may_be_renamed_in("# T\n## a -> b!\n## A b\n"));
    }
}
