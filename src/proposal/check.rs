//! The proposal checks: what each rule finds in one parsed document. Pure: the caller reads
//! files and answers the questions that need other files (cross-file anchors).

use crate::toc::{Document, MarkerError, Outcome, TocOptions, markers::line_of};
use rustc_hash::FxHashSet as HashSet;

/// A check, by the name users see and configure (`kep.checkDisable`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rule {
    StaleToc,
    TocLinkTarget,
    BrokenAnchor,
    MissingSection,
    DuplicateNumber,
    MalformedMarkers,
    Metadata,
    MetadataValues,
    MetadataFields,
}

impl Rule {
    pub const ALL: [Rule; 9] = [
        Rule::StaleToc,
        Rule::TocLinkTarget,
        Rule::BrokenAnchor,
        Rule::MissingSection,
        Rule::DuplicateNumber,
        Rule::MalformedMarkers,
        Rule::Metadata,
        Rule::MetadataValues,
        Rule::MetadataFields,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Rule::StaleToc => "stale-toc",
            Rule::TocLinkTarget => "toc-link-target",
            Rule::BrokenAnchor => "broken-anchor",
            Rule::MissingSection => "missing-section",
            Rule::DuplicateNumber => "duplicate-number",
            Rule::MalformedMarkers => "malformed-markers",
            Rule::Metadata => "metadata",
            Rule::MetadataValues => "metadata-values",
            Rule::MetadataFields => "metadata-fields",
        }
    }

    pub fn from_name(name: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|rule| rule.name() == name)
    }
}

/// One finding, at a 1-based line and column of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub rule: Rule,
    pub line: usize,
    pub column: usize,
    /// What is wrong and how to fix it.
    pub message: String,
    /// What the finding is about, whatever line it is on (the link's fragment, the section, the
    /// heading): how a finding is recognised in another version of the document.
    pub subject: String,
}

/// A heading the template requires (not marked optional).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequiredSection {
    pub text: String,
    pub level: u8,
    /// Required as the template's header line itself (`SectionRule::TemplateLint`): present
    /// when a line of the document starts with `#` × level then `text`, as `grep "^## X"` finds.
    pub exact: bool,
}

/// How `missing-section` reads the template, set by `kep.sectionRule`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SectionRule {
    /// Every proposal has each heading of the template (not optional) at any level, compared by
    /// letters and digits.
    #[default]
    Loose,
    /// openshift's `hack/template-lint.sh`: only a new proposal (added since `--since`'s base,
    /// or by the commit), each `##`-or-deeper header line of the template not marked
    /// `[optional]`, and a title (`# `), each the start of one of its lines.
    TemplateLint,
}

impl SectionRule {
    /// Whether the rule applies to a proposal; `added`: new since the base compared with.
    pub fn applies(self, added: bool) -> bool {
        self == SectionRule::Loose || added
    }
}

/// The header lines template-lint requires of a new proposal: every template line that starts
/// with `##` and has no `[optional]`, and a title line (`# `).
pub fn template_lint_sections(template: &str) -> Vec<RequiredSection> {
    let mut sections = vec![RequiredSection { text: " ".to_owned(), level: 1, exact: true }];
    for line in template.lines() {
        let line = line.trim_end_matches('\r');
        if !line.starts_with("##") || line.contains("[optional]") {
            continue;
        }
        let level = line.bytes().take_while(|&b| b == b'#').count();
        let Ok(level) = u8::try_from(level) else { continue };
        let text = &line[usize::from(level)..];
        if !sections.iter().any(|s: &RequiredSection| s.level == level && s.text == text) {
            sections.push(RequiredSection { text: text.to_owned(), level, exact: true });
        }
    }
    sections
}

/// The sections a template requires: its headings except the title (the first H1), those marked
/// optional (`[optional]`, `(Optional)`, `(if applicable)`), placeholders an author replaces
/// (`Story 1`, `Option 2:`, `Your Proposal Title`, `<Component>`), and the headings under
/// either; each once.
pub fn required_sections(template: &str) -> Vec<RequiredSection> {
    let Ok(document) = Document::parse(template, Default::default()) else { return Vec::new() };
    let mut sections: Vec<RequiredSection> = Vec::new();
    let mut title_seen = false;
    // The level of the optional or placeholder heading whose sub-headings are skipped.
    let mut skipping_below: Option<u8> = None;
    let headings = &document.headings;
    for (index, heading) in headings.iter().enumerate() {
        let text = document.heading_text(heading).trim();
        let body_end = headings.get(index + 1).map_or(template.len(), |next| next.span().start);
        let body = template.get(heading.span().end..body_end).unwrap_or("");
        if heading.level == 1 && !title_seen {
            title_seen = true;
            continue;
        }
        if skipping_below.is_some_and(|level| heading.level > level) {
            continue;
        }
        skipping_below = None;
        if is_marked_optional(text)
            || is_placeholder_heading(text)
            || crate::proposal::placeholders::is_title_placeholder(text)
            || says_optional(body)
        {
            skipping_below = Some(heading.level);
            continue;
        }
        if !sections.iter().any(|s| section_key(&s.text) == section_key(text)) {
            sections.push(RequiredSection { text: text.to_owned(), level: heading.level, exact: false });
        }
    }
    sections
}

/// Whether a section's text (its first lines) says the section may be left out: `This section is
/// optional`, `Optional, but suggested`, `Omit this section if ...`, `This section may be
/// omitted`, `... SHOULD BE REMOVED BEFORE RATIFICATION`.
fn says_optional(body: &str) -> bool {
    let head = &body[..body.char_indices().nth(600).map_or(body.len(), |(at, _)| at)];
    // Most sections say nothing of it: one look for the words every phrase below holds.
    let lower_ascii = head.to_ascii_lowercase();
    if !["optional", "omit", "remove", "delete", "left out"].iter().any(|word| lower_ascii.contains(word)) {
        return false;
    }
    let start: String = head.to_lowercase();
    let start = start.split_whitespace().collect::<Vec<_>>().join(" ");
    [
        "section is optional",
        "optional, but",
        "omit this section",
        "may be omitted",
        "can be omitted",
        "may be left out",
        "can be left out",
        "remove this section if",
        "delete this section if",
        "should be removed before",
        "section may be removed",
        "section can be removed",
    ]
    .iter()
    .any(|phrase| start.contains(phrase))
}

/// A heading the template marks optional: `[optional]`, `(Optional)`, `(if applicable)`,
/// `(if any)`, or `optional` at its end.
fn is_marked_optional(text: &str) -> bool {
    let lower = text.to_lowercase();
    let bracketed = lower.split(['(', '[']).skip(1).filter_map(|rest| rest.split([')', ']']).next());
    let marked = bracketed.map(str::trim).any(|inside| inside.contains("optional") || inside.starts_with("if "));
    marked || lower.trim_end_matches(|c: char| !c.is_alphanumeric()).ends_with("optional")
}

/// A heading the template holds for the author to replace: one numbered at its end (`Story 1`,
/// `Option 1:`, `Deferred Milestone 1`: examples, each proposal has its own), one addressed to the
/// author (`Your Proposal Title`), or one that renders as no text (`<Component Name>`).
fn is_placeholder_heading(text: &str) -> bool {
    let numbered = |text: &str| {
        let words: Vec<&str> = text.split_whitespace().collect();
        let last = words.last().map_or("", |w| w.trim_end_matches([':', '.', ')']));
        words.len() > 1 && !last.is_empty() && last.bytes().all(|b| b.is_ascii_digit())
    };
    let before_colon = text.split(':').next().unwrap_or(text);
    let addressed = text.split_whitespace().next().is_some_and(|w| w.eq_ignore_ascii_case("your"));
    // An HTML-like `<Component Name>` reads as no text at all (a written `<...>`, `[...]` or
    // `Title`: `placeholders::is_title_placeholder`).
    text.is_empty() || numbered(text) || numbered(before_colon) || addressed
}

/// The keys a proposal's heading answers to: the whole heading's, and without a leading
/// section number (`2.1 Goals`) or what follows a `:`, ` - ` or ` (` (`Story 1: Fail fast`,
/// `Open issues (none yet)`).
fn heading_keys(text: &str) -> [String; 2] {
    let text = text.trim();
    let numbered = text.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
    let unnumbered = if numbered.len() < text.len() && numbered.starts_with(' ') { numbered.trim() } else { text };
    // The first `:`, or ` - `, ` (` or ` — ` (one pass: run for every heading of every check).
    let bytes = unnumbered.as_bytes();
    let cut = unnumbered.char_indices().find_map(|(at, c)| {
        let spaced = |len: usize| at > 0 && bytes[at - 1] == b' ' && bytes.get(at + len) == Some(&b' ');
        match c {
            ':' => Some(at),
            '(' if at > 0 && bytes[at - 1] == b' ' => Some(at - 1),
            '-' | '—' if spaced(c.len_utf8()) => Some(at - 1),
            _ => None,
        }
    });
    let short = cut.map_or(unnumbered, |at| &unnumbered[..at]);
    let whole = section_key(text);
    let short = if short.is_empty() || short.len() == text.len() { whole.clone() } else { section_key(short) };
    [whole, short]
}

/// What a cross-file link's target file answers.
pub enum LinkedFile {
    /// No such file.
    Missing,
    /// The file's anchors (heading anchors and HTML ids): a set shared by every link to it, so
    /// that many links to a file with many headings stay linear.
    Anchors(std::sync::Arc<std::collections::HashSet<String>>),
    /// Not a Markdown file in the repository (or unreadable): not checked.
    Unchecked,
}

/// What `check_document` needs besides the text.
pub struct CheckInput<'a> {
    pub options: &'a TocOptions,
    /// `None`: the missing-section rule does not apply to this file.
    pub required: Option<&'a [RequiredSection]>,
    /// Answers for links to other files: the link's path part, as written.
    pub linked_file: &'a mut dyn FnMut(&str) -> LinkedFile,
}

/// The outcome of checking one document.
pub struct Checked {
    pub problems: Vec<Problem>,
    /// The document with a fresh TOC, when the TOC is stale (for a diff).
    pub fresh: Option<String>,
}

/// Runs every rule on one document (duplicate numbers are a property of folders, not files).
pub fn check_document(text: &str, input: CheckInput<'_>) -> Checked {
    match Document::parse_with_links(text, input.options.style) {
        Ok(document) => check_parsed(&document, input),
        Err(err) => Checked { problems: vec![marker_problem(&err)], fresh: None },
    }
}

/// `check_document` on a document already parsed with its links (`Document::parse_with_links`
/// with `input.options.style`).
pub fn check_parsed(document: &Document<'_>, input: CheckInput<'_>) -> Checked {
    let text = document.text;
    let mut problems = Vec::new();
    let mut fresh = None;
    // Where the TOC starts (a style that adds one where there is none: the top).
    let toc_line = document.markers.as_ref().map_or(1, |pair| line_of(text, pair.start.line.start));
    match document.outcome(input.options) {
        Outcome::Stale(new) => {
            problems.push(Problem {
                rule: Rule::StaleToc,
                line: toc_line,
                column: 1,
                message: "the table of contents is out of date; run `git kep toc` to refresh it".to_owned(),
                subject: String::new(),
            });
            fresh = Some(new);
        }
        Outcome::Unmatched { line, reason } => problems.push(Problem {
            rule: Rule::StaleToc,
            line,
            column: 1,
            message: format!("git-kep cannot write a table of contents here that the TOC tool accepts: {reason}"),
            subject: String::new(),
        }),
        Outcome::Fresh | Outcome::NoMarkers => {}
    }
    problems.extend(toc_link_targets(document, input.options));
    let anchors: Vec<&str> = document
        .headings
        .iter()
        .map(|h| document.anchor(h))
        .chain(document.html_ids.iter().map(String::as_str))
        .collect();
    // Looked up once per link: a set, so that a document with many links and headings stays linear.
    let own: HashSet<&str> = anchors.iter().copied().collect();
    // Lines and columns of the problems: counted once, on the first problem, not from the start
    // of the text for each (100,000 broken links took 41 s).
    let lines = std::cell::OnceCell::new();
    let mut suggestions = SUGGESTION_BUDGET;
    for link in &document.links {
        let (path, fragment) = link.destination.split_once('#').unwrap_or((&link.destination, ""));
        let fragment = percent_decode(fragment);
        if fragment.is_empty() || fragment.eq_ignore_ascii_case("top") {
            continue;
        }
        // Only links with a problem need their line and column (counting lines is not free).
        let at = || lines.get_or_init(|| LineIndex::new(text)).position(text, link.offset);
        if path.is_empty() {
            if !has_anchor(|id| own.contains(id), &fragment) {
                problems.push(broken(at(), "", &fragment, "this document", &anchors, &mut suggestions));
            }
            continue;
        }
        if is_external(path) {
            continue;
        }
        match (input.linked_file)(path) {
            LinkedFile::Unchecked => {}
            LinkedFile::Missing => {
                let (line, column) = at();
                problems.push(Problem {
                    rule: Rule::BrokenAnchor,
                    line,
                    column,
                    message: format!("link to {path}#{fragment}: the file {path} does not exist"),
                    subject: format!("{path}#{fragment}"),
                });
            }
            LinkedFile::Anchors(theirs) => {
                if !has_anchor(|id| theirs.contains(id), &fragment) {
                    let theirs: Vec<&str> = theirs.iter().map(String::as_str).collect();
                    problems.push(broken(at(), path, &fragment, path, &theirs, &mut suggestions));
                }
            }
        }
    }
    if let Some(required) = input.required {
        let mut present: HashSet<String> = HashSet::default();
        for heading in &document.headings {
            let [whole, short] = heading_keys(document.heading_text(heading));
            if short != whole {
                present.insert(short);
            }
            present.insert(whole);
        }
        for section in required {
            let hashes = "#".repeat(usize::from(section.level));
            if section.exact {
                let line = format!("{hashes}{}", section.text);
                if text.lines().any(|l| l.starts_with(&line)) {
                    continue;
                }
                let (message, subject) = if section.level == 1 {
                    (
                        "missing a title: a line starting with `# ` (the template's lint wants one)".to_owned(),
                        "#".to_owned(),
                    )
                } else {
                    (
                        format!("missing \"{line}\" required by the template: add a line starting with it"),
                        section_key(&section.text),
                    )
                };
                problems.push(Problem { rule: Rule::MissingSection, line: 1, column: 1, message, subject });
                continue;
            }
            if !heading_keys(&section.text).iter().any(|key| present.contains(key)) {
                problems.push(Problem {
                    rule: Rule::MissingSection,
                    line: 1,
                    column: 1,
                    message: format!(
                        "missing section \"{}\" required by the template; add `{hashes} {}`",
                        section.text, section.text
                    ),
                    subject: section_key(&section.text),
                });
            }
        }
    }
    problems.sort_by_key(|p| (p.line, p.column));
    Checked { problems, fresh }
}

/// `toc-link-target`: the TOC entries (as the TOC should be) whose link does not lead to their
/// own heading on github.com: mdtoc's anchors differ from GitHub's (a title above the TOC with
/// the same text, a code span with an edge space, non-ASCII letters), or the heading is no
/// heading there (inside a code block that a fence mdtoc pairs differently leaves open).
fn toc_link_targets(document: &Document<'_>, options: &TocOptions) -> Vec<Problem> {
    let Some(entries) = document.toc_entries(options) else { return Vec::new() };
    let text = document.text;
    // The headings as github.com renders them: those of the document itself, unless the html
    // style read some as mdtoc does (then the document is read again, as GitHub reads it).
    let github = document.github_view();
    // Looked up once per entry: maps, so that a document of many headings stays linear.
    let by_start: std::collections::HashMap<usize, &crate::toc::GithubHeading> =
        github.headings.iter().map(|h| (h.start, h)).collect();
    let by_anchor: std::collections::HashMap<&str, &crate::toc::GithubHeading> =
        github.headings.iter().rev().map(|h| (h.anchor.as_str(), h)).collect();
    let own = |start: usize| by_start.get(&start).copied();
    let lands_on =
        |anchor: &str| by_anchor.get(anchor).or_else(|| by_anchor.get(anchor.to_lowercase().as_str())).copied();
    let body = document.markers.as_ref().map(|pair| pair.body()).unwrap_or_default();
    let mut searched_from = body.start;
    let mut problems = Vec::new();
    for (heading, anchor) in entries {
        let own_heading = own(heading.span().start);
        if own_heading.is_some_and(|h| h.anchor == *anchor) {
            continue;
        }
        // The entry's line in the TOC as written, when it is there; else the heading's.
        let written = format!("](#{anchor})");
        let offset = match text[searched_from..body.end].find(&written) {
            Some(at) => {
                searched_from += at + written.len();
                searched_from - written.len()
            }
            None => heading.span().start,
        };
        let title = document.heading_text(heading).trim();
        let heading_line = line_of(text, heading.span().start);
        let message = match (own_heading, lands_on(&anchor)) {
            (None, _) => format!(
                "the TOC links \"{title}\" (line {heading_line}) to #{anchor}, but on GitHub that line is not a \
                 heading: it renders inside a code block or HTML (check the code fences above it: indent a closing \
                 fence like its opening one)"
            ),
            (Some(own), Some(other)) => format!(
                "the TOC links \"{title}\" (line {heading_line}) to #{anchor}, which on GitHub is the heading \
                 \"{}\" (line {}); this heading's anchor there is #{}: rename one of the two headings",
                other.text.trim(),
                line_of(text, other.start),
                own.anchor
            ),
            (Some(own), None) => {
                let fix = if own.anchor.ends_with('-') || own.anchor.starts_with('-') {
                    "drop the space at the edge of the code span in the heading".to_owned()
                } else if !title.is_ascii() {
                    "mdtoc drops non-ASCII letters that GitHub keeps: spell the heading in ASCII, or set kep.tocAnchors = github if CI does not run mdtoc".to_owned()
                } else {
                    "rename the heading".to_owned()
                };
                format!(
                    "the TOC links \"{title}\" (line {heading_line}) to #{anchor}, which no heading has on GitHub \
                     (its anchor there is #{}): {fix}",
                    own.anchor
                )
            }
        };
        let (line, column) = position(text, offset);
        let subject = format!("{title}#{anchor}");
        problems.push(Problem { rule: Rule::TocLinkTarget, line, column, message, subject });
    }
    problems
}

/// A section heading as `missing-section` compares it: its letters and digits, lower-cased, so
/// case, spacing and punctuation aside ("Upgrade / Downgrade Strategy" is "Upgrade/Downgrade
/// Strategy", "Non Goals" is "Non-Goals", "re-enable" is "reenable").
pub fn section_key(heading: &str) -> String {
    heading.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// A marker error as a `malformed-markers` problem.
pub fn marker_problem(err: &MarkerError) -> Problem {
    let message = format!("{err}; {}", err.hint());
    Problem { rule: Rule::MalformedMarkers, line: err.line(), column: 1, subject: err.to_string(), message }
}

/// How many anchors a document's broken links are compared with, in all, for a "did you mean"
/// (each comparison an edit distance): beyond it, a document with many broken links and many
/// headings is reported without suggestions, in time linear in its links.
const SUGGESTION_BUDGET: usize = 200_000;

/// A link to `path#fragment` (`path` empty: this document) whose fragment is not among `anchors`.
fn broken(
    (line, column): (usize, usize),
    path: &str,
    fragment: &str,
    place: &str,
    anchors: &[&str],
    budget: &mut usize,
) -> Problem {
    let suggestion = if anchors.len() <= *budget {
        *budget -= anchors.len();
        closest(fragment, anchors).map(|c| format!("; did you mean #{c}?")).unwrap_or_default()
    } else {
        String::new()
    };
    Problem {
        rule: Rule::BrokenAnchor,
        line,
        column,
        message: format!("link to {path}#{fragment}: no heading in {place} has that anchor{suggestion}"),
        subject: format!("{path}#{fragment}"),
    }
}

/// GitHub matches fragments against ids as written or lower-cased (ids are lower-case).
fn has_anchor(has: impl Fn(&str) -> bool, fragment: &str) -> bool {
    has(fragment) || has(&fragment.to_lowercase())
}

fn is_external(path: &str) -> bool {
    path.contains("://") || path.starts_with("mailto:") || path.starts_with("//")
}

/// `%C3%A9` -> `é`; anything not a valid escape stays as written.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(&[high, low]) = bytes.get(i + 1..i + 3)
            && high.is_ascii_hexdigit()
            && low.is_ascii_hexdigit()
        {
            let digit = |b: u8| (b as char).to_digit(16).unwrap_or(0) as u8;
            out.push(digit(high) * 16 + digit(low));
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_owned())
}

/// 1-based line and column (in characters) of a byte offset. For one offset; many in one text
/// go through a `LineIndex`.
pub fn position(text: &str, offset: usize) -> (usize, usize) {
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    (line_of(text, offset), text[line_start..offset].chars().count() + 1)
}

/// Where each line of a text starts: any offset's line in a binary search.
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let newlines = text.bytes().enumerate().filter(|&(_, b)| b == b'\n').map(|(i, _)| i + 1);
        LineIndex { starts: std::iter::once(0).chain(newlines).collect() }
    }

    /// `position(text, offset)`, for the text the index was made of.
    pub fn position(&self, text: &str, offset: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&start| start <= offset);
        let line_start = self.starts[line - 1];
        (line, text[line_start..offset].chars().count() + 1)
    }
}

/// The anchor closest to `fragment` (edit distance), if any is reasonably close.
fn closest<'a>(fragment: &str, anchors: &[&'a str]) -> Option<&'a str> {
    let limit = (fragment.chars().count() / 2).max(3);
    let fragment = fragment.to_lowercase();
    let length = fragment.chars().count();
    anchors
        .iter()
        // Lengths that differ by more than the limit are farther apart than it: not compared.
        .filter(|anchor| anchor.chars().count().abs_diff(length) <= limit)
        .map(|anchor| (edit_distance(&fragment, anchor), *anchor))
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, anchor)| anchor)
}

pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            current[j + 1] = (previous[j] + usize::from(ca != *cb)).min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, required: Option<&[RequiredSection]>) -> Vec<(Rule, usize, usize, String)> {
        let options = TocOptions::default();
        let mut files = |path: &str| match path {
            "../other/README.md" => LinkedFile::Anchors(std::sync::Arc::new(["design".to_owned()].into())),
            "notes.txt" => LinkedFile::Unchecked,
            _ => LinkedFile::Missing,
        };
        let input = CheckInput { options: &options, required, linked_file: &mut files };
        check_document(text, input).problems.into_iter().map(|p| (p.rule, p.line, p.column, p.message)).collect()
    }

    #[test]
    fn broken_anchors_with_duplicates_unicode_and_code() {
        let doc = "# Echo\n## Echo\n## Привет мир\n## Use `kubectl`\n<a name=\"custom\"></a>\n\n\
                   [a](#echo-1) [b](#%D0%BF%D1%80%D0%B8%D0%B2%D0%B5%D1%82-%D0%BC%D0%B8%D1%80) [c](#use-kubectl) [d](#Echo) [e](#custom) [top](#top)\n\
                   [bad](#echo-2) [typo](#use-kubctl) [see][ref]\n\n[ref]: #nowhere\n[unused]: #nowhere-either\n";
        let found = check(doc, None);
        let broken: Vec<_> = found.iter().filter(|p| p.0 == Rule::BrokenAnchor).collect();
        assert_eq!(broken.len(), 3, "{found:?}");
        assert_eq!((broken[0].1, broken[0].2), (8, 1));
        assert!(broken[0].3.contains("#echo-2"), "{}", broken[0].3);
        assert_eq!((broken[1].1, broken[1].2), (8, 16));
        assert!(broken[1].3.contains("did you mean #use-kubectl?"), "{}", broken[1].3);
        assert_eq!(broken[2].1, 10);
        // `[unused]: #nowhere-either` is a definition no link uses (templates are full of
        // them): it links nowhere, so nothing is broken.
        assert!(!found.iter().any(|p| p.3.contains("nowhere-either")), "{found:?}");
    }

    #[test]
    fn percent_decoding_never_splits_a_character() {
        assert_eq!(percent_decode("caf%C3%A9"), "café");
        assert_eq!(percent_decode("%é%"), "%é%");
        assert_eq!(percent_decode("%4"), "%4");
    }

    #[test]
    fn cross_file_anchors() {
        let doc = "# T\n[ok](../other/README.md#design) [no](../other/README.md#desgn) [gone](missing.md#x) [txt](notes.txt#x) [web](https://x.io/a.md#b)\n";
        let found = check(doc, None);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].3.contains("../other/README.md#desgn"), "{}", found[0].3);
        assert!(found[0].3.contains("did you mean #design?"), "{}", found[0].3);
        assert!(found[1].3.contains("the file missing.md does not exist"), "{}", found[1].3);
    }

    #[test]
    fn missing_sections_ignore_title_optional_and_case() {
        let template = "# Title\n## Summary\n### Goals\n## Open Questions [optional]\n## Infra (Optional)\n";
        let required = required_sections(template);
        assert_eq!(required.iter().map(|s| s.text.as_str()).collect::<Vec<_>>(), ["Summary", "Goals"]);
        let found = check("# Mine\n## summary\n", Some(&required));
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, Rule::MissingSection);
        assert!(found[0].3.contains("\"Goals\""), "{}", found[0].3);
        assert!(check("# Mine\n## Summary\n### Goals\n", Some(&required)).is_empty());
        // Spacing and punctuation aside, as people write them.
        let template = "# T\n### Upgrade / Downgrade Strategy\n### Non-Goals\n### Risks and Mitigations\n";
        let required = required_sections(template);
        let written = "# Mine\n### Upgrade/Downgrade Strategy\n### Non Goals\n### Risks & Mitigations\n";
        let found = check(written, Some(&required));
        assert_eq!(found.len(), 1, "only `and` against `&` stays different: {found:?}");
        assert!(found[0].3.contains("Risks and Mitigations"), "{}", found[0].3);
        // Only inside an HTML comment: still missing.
        assert_eq!(
            check("# Mine\n<!--\n### Non-Goals\n-->\n", Some(&required_sections("# T\n### Non-Goals\n"))).len(),
            1
        );
    }

    #[test]
    fn optional_sections_placeholders_and_what_is_under_them_are_not_required() {
        let template = "# Title\n## Your Proposal Title\n## Why\n### User Stories (Optional)\n#### Story 1\n\
                        ### Risks\n## Open issues (if applicable)\n## Option 1: first idea\n### Pros\n### Cons\n\
                        ## Option 2:\n### Pros\n### Cons\n## <Component Name>\n## Impact: other teams 1\n\
                        ## Alternatives - optional\n## Design\n### Cons\n";
        let required = required_sections(template);
        let texts: Vec<&str> = required.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(texts, ["Why", "Risks", "Design", "Cons"], "each once");
        // A heading counts with a section number before it or a note after `:`, ` - ` or ` (`.
        let written = "# Mine\n## 1. Why\n### Risks: few\n## Design (draft)\n### Cons - none\n";
        assert!(check(written, Some(&required)).is_empty(), "{:?}", check(written, Some(&required)));
        assert_eq!(check("# Mine\n## Why not\n### Risks\n## Design\n### Cons\n", Some(&required)).len(), 1);
        // Optional by what the section says, and a title's place written as setext.
        let template = "Title\n----\n## Abstract\nText.\n## Test Cases\n<!--\n  This section is optional.\n-->\n\
                        ## Open issues\n[Issues. This section may be\nomitted if there are none.]\n\
                        ## Prior Art\nOptional, but suggested.\n## Bikeshedding\nTHIS SECTION SHOULD BE REMOVED BEFORE RATIFICATION\n";
        let texts: Vec<String> = required_sections(template).into_iter().map(|s| s.text).collect();
        assert_eq!(texts, ["Abstract"]);
    }

    #[test]
    fn stale_toc_and_malformed_markers() {
        let stale = check("# A\n<!-- toc -->\n<!-- /toc -->\n", None);
        assert_eq!(stale.iter().map(|p| (p.0, p.1)).collect::<Vec<_>>(), [(Rule::StaleToc, 2)]);
        let fresh = check("# A\n<!-- toc -->\n- [A](#a)\n<!-- /toc -->\n", None);
        assert!(fresh.is_empty(), "{fresh:?}");
        let malformed = check("# A\n\n<!-- /toc -->\n", None);
        assert_eq!(malformed.iter().map(|p| (p.0, p.1)).collect::<Vec<_>>(), [(Rule::MalformedMarkers, 3)]);
    }

    #[test]
    fn toc_link_target_says_where_mdtocs_links_land_on_github() {
        let options = TocOptions::mdtoc(5);
        let mut files = |_: &str| LinkedFile::Unchecked;
        let mut run = |text: &str| {
            let input = CheckInput { options: &options, required: None, linked_file: &mut files };
            let problems = check_document(text, input).problems;
            problems
                .into_iter()
                .filter(|p| p.rule == Rule::TocLinkTarget)
                .map(|p| (p.line, p.message))
                .collect::<Vec<_>>()
        };
        // The title above the TOC takes the anchor: mdtoc's link lands on it.
        let title = "# Pod Overhead\n<!-- toc -->\n- [Pod Overhead](#pod-overhead)\n<!-- /toc -->\n## Pod Overhead\n";
        let found = run(title);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, 3, "the TOC entry's line");
        assert!(found[0].1.contains("the heading \"Pod Overhead\" (line 1)"), "{}", found[0].1);
        assert!(found[0].1.contains("#pod-overhead-1: rename one of the two headings"), "{}", found[0].1);
        // The code span keeps its space on GitHub, and mdtoc drops non-ASCII letters.
        let edges = "<!-- toc -->\n- [Use <code>x</code>](#use-x)\n- [Über cool](#ber-cool)\n<!-- /toc -->\n## Use `x `\n## Über cool\n";
        let found = run(edges);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].1.contains("#use-x-") && found[0].1.contains("drop the space"), "{}", found[0].1);
        assert!(found[1].1.contains("#über-cool") && found[1].1.contains("kep.tocAnchors = github"), "{}", found[1].1);
        // Agreeing anchors: nothing to say.
        assert!(run("<!-- toc -->\n- [A](#a)\n<!-- /toc -->\n## A\n").is_empty());
    }

    #[test]
    fn toc_links_are_left_to_stale_toc() {
        let found = check("# A\n<!-- toc -->\n- [Gone](#gone)\n<!-- /toc -->\n", None);
        assert_eq!(found.iter().map(|p| p.0).collect::<Vec<_>>(), [Rule::StaleToc]);
    }
}
