//! Where proposals live: path patterns with named parts, such as
//! `keps/{group}/{number}-{name}/README.md`, `teps/{number}-{name}.md`,
//! `docs/proposals/{date}-{name}.md`, `geps/gep-{number}/index.md` or
//! `enhancements/{group}/{name}.md`. Pure: paths in, matches out; and the path a new proposal
//! gets.

use std::fmt;

/// One path pattern. Each `/`-separated segment is literal text with at most one `{number}` or
/// `{date}`, at most one `{name}`, or is exactly `{group}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    source: String,
    segments: Vec<Segment>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Literal(String),
    Group,
    /// Literal text around named parts: `CFP-{number}-{name}.md` is
    /// `["CFP-", Number, "-", Name, ".md"]`.
    Parts(Vec<Part>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    Number,
    Date,
    Name,
}

/// What a path matched by a pattern says of its proposal.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Match {
    pub group: Option<String>,
    /// `{number}` as a number; `{date}` as its digits (`20240131`).
    pub number: Option<u64>,
    /// The digits as written (`0042`), for the number's width.
    pub number_text: Option<String>,
    pub name: Option<String>,
    /// The folder of a folder proposal (the path up to the segment with the number or name),
    /// `None` for a single-file proposal.
    pub folder: Option<String>,
}

/// Why a pattern cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError {
    pub pattern: String,
    pub why: String,
}

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}`: {}", self.pattern, self.why)
    }
}

impl Pattern {
    pub fn parse(source: &str) -> Result<Pattern, PatternError> {
        let error = |why: &str| PatternError { pattern: source.to_owned(), why: why.to_owned() };
        let trimmed = source.trim().trim_start_matches("./");
        if trimmed.is_empty() {
            return Err(error("empty"));
        }
        if trimmed.starts_with('/') || trimmed.split('/').any(|s| s.is_empty() || s == "." || s == "..") {
            return Err(error("must be a relative path inside the work tree, without `.`, `..` or `//`"));
        }
        let mut segments = Vec::new();
        let (mut numbers, mut names) = (0, 0);
        for segment in trimmed.split('/') {
            if segment == "{group}" {
                segments.push(Segment::Group);
                continue;
            }
            let mut parts = Vec::new();
            let mut rest = segment;
            while let Some(open) = rest.find('{') {
                if open > 0 {
                    parts.push(Part::Text(rest[..open].to_owned()));
                }
                let close = rest[open..].find('}').ok_or_else(|| error("a `{` without its `}`"))? + open;
                let part = match &rest[open + 1..close] {
                    "number" => Part::Number,
                    "date" => Part::Date,
                    "name" => Part::Name,
                    "group" => return Err(error("`{group}` must be a whole path segment")),
                    other => {
                        return Err(error(&format!(
                            "unknown part `{{{other}}}` (known: {{group}}, {{number}}, {{date}}, {{name}})"
                        )));
                    }
                };
                if matches!(parts.last(), Some(Part::Number | Part::Date | Part::Name)) {
                    return Err(error("two parts side by side cannot be told apart: put text between them"));
                }
                match part {
                    Part::Number | Part::Date => numbers += 1,
                    Part::Name => names += 1,
                    Part::Text(_) => {}
                }
                parts.push(part);
                rest = &rest[close + 1..];
            }
            if rest.contains('}') {
                return Err(error("a `}` without its `{`"));
            }
            if !rest.is_empty() {
                parts.push(Part::Text(rest.to_owned()));
            }
            if parts.iter().all(|p| matches!(p, Part::Text(_))) {
                segments.push(Segment::Literal(segment.to_owned()));
            } else {
                segments.push(Segment::Parts(parts));
            }
        }
        if numbers > 1 || names > 1 {
            return Err(error("at most one `{number}` or `{date}` and one `{name}`"));
        }
        if numbers == 0 && names == 0 {
            return Err(error("needs a `{number}`, `{date}` or `{name}` to tell proposals apart"));
        }
        if !segments.last().is_some_and(ends_md) {
            return Err(error("must end with the proposal's Markdown file (`README.md`, `{name}.md`, ...)"));
        }
        Ok(Pattern { source: trimmed.to_owned(), segments })
    }

    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// Whether each proposal is a folder (its main document a fixed name inside it).
    pub fn is_folder(&self) -> bool {
        matches!(self.segments.last(), Some(Segment::Literal(_)))
    }

    pub fn has_group(&self) -> bool {
        self.segments.contains(&Segment::Group)
    }

    pub fn numbering(&self) -> PatternNumbering {
        let parts = self.segments.iter().flat_map(|s| match s {
            Segment::Parts(parts) => parts.as_slice(),
            _ => &[],
        });
        let mut numbering = PatternNumbering::None;
        for part in parts {
            match part {
                Part::Number => numbering = PatternNumbering::Number,
                Part::Date => numbering = PatternNumbering::Date,
                _ => {}
            }
        }
        numbering
    }

    /// The literal folders every match starts with (`keps/` for `keps/{group}/...`; "" when the
    /// pattern starts with a part): where to look for proposals.
    pub fn root(&self) -> String {
        let literal: Vec<&str> = self
            .segments
            .iter()
            .take(self.segments.len() - 1)
            .map_while(|s| match s {
                Segment::Literal(text) => Some(text.as_str()),
                _ => None,
            })
            .collect();
        literal.join("/")
    }

    /// The main document's file name in a folder proposal (`README.md`).
    pub fn main_file(&self) -> Option<&str> {
        match self.segments.last() {
            Some(Segment::Literal(name)) if self.segments.len() > 1 => Some(name),
            _ => None,
        }
    }

    /// What `path` (work-tree relative, `/`-separated) says, if it is a proposal's main document.
    pub fn matches(&self, path: &str) -> Option<Match> {
        let pieces: Vec<&str> = path.split('/').collect();
        if pieces.len() != self.segments.len() {
            return None;
        }
        let mut found = Match::default();
        for (i, (segment, piece)) in self.segments.iter().zip(&pieces).enumerate() {
            match segment {
                Segment::Literal(text) if text == piece => {}
                // The main document whatever the case of its name (`README.MD`, `readme.md`).
                Segment::Literal(text) if i + 1 == pieces.len() && text.eq_ignore_ascii_case(piece) => {}
                Segment::Literal(_) => return None,
                Segment::Group => {
                    if piece.starts_with('.') {
                        return None;
                    }
                    found.group = Some((*piece).to_owned());
                }
                Segment::Parts(parts) => {
                    match_parts(parts, piece, &mut found)?;
                    if i + 1 < self.segments.len() {
                        found.folder = Some(pieces[..=i].join("/"));
                    }
                }
            }
        }
        // Placeholders and templates are no proposals: `NNNN-template`, `0000-template.md`.
        if found.name.as_deref().is_some_and(is_template_name) {
            return None;
        }
        // Nor, where a file's whole name is the proposal's, a folder's README or the like.
        if found.number.is_none() && !self.is_folder() && found.name.as_deref().is_some_and(is_folder_document) {
            return None;
        }
        Some(found)
    }

    /// The path of a proposal with these parts (`group` only where the pattern has one).
    pub fn render(&self, group: Option<&str>, number: &str, name: &str) -> String {
        let mut out = Vec::new();
        for segment in &self.segments {
            out.push(match segment {
                Segment::Literal(text) => text.clone(),
                Segment::Group => group.unwrap_or_default().to_owned(),
                Segment::Parts(parts) => parts
                    .iter()
                    .map(|p| match p {
                        Part::Text(text) => text.as_str(),
                        Part::Number | Part::Date => number,
                        Part::Name => name,
                    })
                    .collect(),
            });
        }
        out.join("/")
    }
}

/// What a pattern numbers proposals by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatternNumbering {
    Number,
    Date,
    None,
}

fn ends_md(segment: &Segment) -> bool {
    last_text(Some(segment)).is_some_and(|text| text.to_ascii_lowercase().ends_with(".md"))
}

fn last_text(segment: Option<&Segment>) -> Option<&str> {
    match segment? {
        Segment::Literal(text) => Some(text),
        Segment::Parts(parts) => match parts.last()? {
            Part::Text(text) => Some(text),
            _ => None,
        },
        Segment::Group => None,
    }
}

/// Matches one path segment against its parts: texts exactly, `{number}` digits, `{date}`
/// eight digits (`YYYYMMDD`) or `YYYY-MM-DD`, `{name}` at least one character; a part takes as little as it can
/// so that the text after it is found (names hold `-`, so the text after a name is its last).
fn match_parts(parts: &[Part], piece: &str, found: &mut Match) -> Option<()> {
    let mut rest = piece;
    for (i, part) in parts.iter().enumerate() {
        let next_text = match parts.get(i + 1) {
            Some(Part::Text(text)) => Some(text.as_str()),
            _ => None,
        };
        match part {
            Part::Text(text) => rest = rest.strip_prefix(text.as_str())?,
            Part::Date if let Some(day) = dashed_date(rest) => {
                found.number = day.replace('-', "").parse().ok();
                found.number_text = Some(day.to_owned());
                rest = &rest[day.len()..];
            }
            // A dashed date is no number (`2023-08-21-utf8.md` is not proposal 2023).
            Part::Number if dashed_date(rest).is_some() => return None,
            Part::Number | Part::Date => {
                let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
                let date = *part == Part::Date;
                if digits == 0 || (date && digits != 8) || digits > 19 {
                    return None;
                }
                found.number = rest[..digits].parse().ok();
                found.number_text = Some(rest[..digits].to_owned());
                rest = &rest[digits..];
            }
            Part::Name => {
                let end = match next_text {
                    Some(text) => rest.rfind(text)?,
                    None => rest.len(),
                };
                if end == 0 {
                    return None;
                }
                found.name = Some(rest[..end].to_owned());
                rest = &rest[end..];
            }
        }
    }
    rest.is_empty().then_some(())
}

/// Which numbers are one series, per pattern (the numbers each pattern's proposals have): an
/// index per pattern, equal for patterns of one series. Two patterns are two series where they
/// share most of the smaller one's numbers (Swift's `proposals/0001-*.md` and
/// `proposals/testing/0001-*.md`, SE- and ST- proposals, each counted from 1); patterns that
/// share a number now and then (a group folder and the top level, numbered by pull request) are
/// one series, where a shared number is a mistake.
pub fn number_series(per_pattern: &[std::collections::BTreeSet<u64>]) -> Vec<usize> {
    let separate = |a: &std::collections::BTreeSet<u64>, b: &std::collections::BTreeSet<u64>| {
        let shared = a.intersection(b).count();
        shared >= 3 && shared * 2 > a.len().min(b.len())
    };
    // Each pattern joins the first series none of whose patterns it is separate from.
    let mut series: Vec<usize> = (0..per_pattern.len()).collect();
    for i in 0..per_pattern.len() {
        let joins = (0..i).map(|j| series[j]).find(|&candidate| {
            (0..i).filter(|&j| series[j] == candidate).all(|j| !separate(&per_pattern[i], &per_pattern[j]))
        });
        if let Some(candidate) = joins {
            series[i] = candidate;
        }
    }
    series
}

/// The `YYYY-MM-DD` date `text` starts with, if it does (a `{date}` written with dashes, as in
/// `2023-06-13_created-timestamp.md`).
pub fn dashed_date(text: &str) -> Option<&str> {
    let day = text.get(..10)?;
    let shape = day.bytes().enumerate().all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() });
    (shape && (day.starts_with("19") || day.starts_with("20"))).then_some(day)
}

/// A file name (without `.md`) that documents a folder, never a proposal of its own.
pub fn is_folder_document(name: &str) -> bool {
    ["readme", "index", "_index", "contributing", "owners", "changelog", "license", "summary"]
        .contains(&name.to_ascii_lowercase().as_str())
}

/// A name that marks a template or placeholder rather than a proposal.
pub fn is_template_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    // `template`, `kep-template`, `vep-template`: not `env-in-pod-template`, a proposal's name.
    let one_word =
        |name: &str| name == "template" || name.strip_suffix("-template").is_some_and(|kind| !kind.contains('-'));
    if one_word(&lower) {
        return true;
    }
    // After a placeholder number (`0000-swift-template`, `NNNN-template`), or a first one before
    // a proposal's kind (`001-proposal-template`).
    let Some((number, rest)) = lower.split_once('-') else { return false };
    let kind = rest.strip_suffix("-template").unwrap_or(rest);
    let first = number.trim_start_matches('0') == "1";
    (is_placeholder_number(number) && one_word(rest))
        || (first && ["proposal", "design", "rfc", "enhancement", "kep", "doc"].contains(&kind) && rest != kind)
}

/// A number that stands for one to be given: zeros (`0000`) or letters (`NNNN`, `XXX`,
/// `YYYYMMDD`, `YYYY-MM-DD` as `yyyy`).
pub fn is_placeholder_number(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    !lower.is_empty()
        && (lower.bytes().all(|b| b == b'0')
            || lower.bytes().all(|b| b == b'n')
            || lower.bytes().all(|b| b == b'x')
            || lower.bytes().all(|b| matches!(b, b'y' | b'm' | b'd')))
}

/// How a new proposal's `{name}` is written from its title.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NameCase {
    /// `pod-overhead`: what most repositories use, and some CI requires.
    LowerKebab,
    /// `Pod-Overhead`: the title's words as typed, joined by `-`.
    #[default]
    AsTyped,
    /// `pod_overhead`: lower case, words joined by `_` (kyverno's KDPs).
    LowerSnake,
}

/// The layout: one or more patterns, the numbers' width and the names' case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    pub patterns: Vec<Pattern>,
    /// Digits a new number is padded to (`0042` is 4; 0: not padded).
    pub number_width: usize,
    pub name_case: NameCase,
}

impl Layout {
    /// Parses `kep.layout`: patterns separated by white space or commas.
    pub fn parse(value: &str) -> Result<Vec<Pattern>, PatternError> {
        let patterns: Vec<Pattern> =
            value.split([' ', '\t', ',']).filter(|s| !s.is_empty()).map(Pattern::parse).collect::<Result<_, _>>()?;
        if patterns.is_empty() {
            return Err(PatternError { pattern: value.to_owned(), why: "no pattern".to_owned() });
        }
        Ok(patterns)
    }

    /// `kep.dir` as a shorthand: numbered proposal folders with a README.md, by group or not.
    pub fn from_dir(dir: &str) -> Vec<Pattern> {
        let prefix = if dir.is_empty() { String::new() } else { format!("{dir}/") };
        [format!("{prefix}{{number}}-{{name}}/README.md"), format!("{prefix}{{group}}/{{number}}-{{name}}/README.md")]
            .iter()
            .map(|p| Pattern::parse(p).expect("a valid pattern"))
            .collect()
    }

    /// The first pattern that matches `path`, and what it says.
    pub fn find(&self, path: &str) -> Option<(&Pattern, Match)> {
        self.patterns.iter().find_map(|pattern| pattern.matches(path).map(|m| (pattern, m)))
    }

    /// The proposals among `paths` (work-tree relative, `/`-separated, as the index lists
    /// files), by number then path: what a walk of the work tree finds, from a listing. Files in
    /// hidden folders are not proposals, as the walk does not enter them.
    pub fn proposals_among<'a>(&self, paths: impl IntoIterator<Item = &'a str>) -> Vec<(&'a str, Match)> {
        let mut found: Vec<(&str, Match)> = paths
            .into_iter()
            .filter(|path| !path.split('/').any(|part| part.starts_with('.')))
            .filter_map(|path| self.find(path).map(|(_, matched)| (path, matched)))
            .collect();
        found.sort_by(|a, b| (a.1.number, a.0).cmp(&(b.1.number, b.0)));
        found.dedup_by(|a, b| a.0 == b.0);
        found
    }

    /// The folders every proposal is under (deduplicated; "" is the whole work tree).
    pub fn roots(&self) -> Vec<String> {
        let mut roots: Vec<String> = self.patterns.iter().map(Pattern::root).collect();
        roots.sort();
        roots.dedup();
        // A root inside another is covered by it.
        let all = roots.clone();
        roots.retain(|root| !all.iter().any(|other| other != root && is_inside(root, other)));
        roots
    }

    /// The number as a new proposal writes it.
    pub fn number_text(&self, number: u64) -> String {
        format!("{number:0width$}", width = self.number_width)
    }

    /// A title as a `{name}`, in the layout's case.
    pub fn name_for(&self, title_words: &str) -> String {
        match self.name_case {
            NameCase::AsTyped => title_words.to_owned(),
            NameCase::LowerKebab => title_words.to_lowercase(),
            NameCase::LowerSnake => title_words.to_lowercase().replace('-', "_"),
        }
    }
}

/// Whether folder `inner` is `outer` or inside it ("" holds everything).
pub fn is_inside(inner: &str, outer: &str) -> bool {
    outer.is_empty() || inner == outer || inner.starts_with(&format!("{outer}/"))
}

/// Whether a name is lower-case kebab (`pod-overhead`, `kep-1234`).
pub fn is_lower_kebab(name: &str) -> bool {
    !name.is_empty()
        && name
            .split('-')
            .all(|word| !word.is_empty() && word.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
}

#[cfg(test)]
mod tests;
