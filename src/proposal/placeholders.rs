//! The places in a template's text that stand for what a new proposal fills in, beyond its H1:
//! the title's heading or `Name:` line, and the dates and numbers of its header lines
//! (`**Creation date:** YYYY-MM-DD`, `* Proposal: [SE-NNNN](...)`). Pure: text in, text out.

/// What a new proposal fills in.
pub struct Values<'a> {
    pub title: &'a str,
    /// The proposal's `{name}` (`pod-overhead`).
    pub name: &'a str,
    /// As written (`0042`); empty where proposals have none.
    pub number: &'a str,
    /// Whether the number is the tracking issue's or pull request's: only then do a header
    /// line's pull request and issue links take it.
    pub number_is_issue: bool,
    /// The new main document's file name, for a link to it (`(NNNN-filename.md)`).
    pub file_name: &'a str,
    /// `YYYY-MM-DD`.
    pub today: &'a str,
    /// As the repository writes authors, if known.
    pub author: Option<&'a str>,
}

/// How far down the header lines of a template go: its metadata sits at the top.
const HEADER_LINES: usize = 40;

/// Whether the template's first H1 is one of its sections rather than the title's place: other
/// H1s follow it and the template links to it (`# Meta` with `[meta]: #meta` and a TOC entry,
/// as in Rust-style RFC templates), or its sections are H1s (`# Summary`, `# Basic example`,
/// `# Motivation`, as in Vue's) and this one holds no title's or number's place.
pub fn h1_is_a_section(template: &str, h1: &str) -> bool {
    let h1s = template.lines().filter(|line| line.starts_with("# ")).count();
    let slug = crate::toc::anchor::slugify(h1);
    let linked =
        !slug.is_empty() && (template.contains(&format!("(#{slug})")) || template.contains(&format!("]: #{slug}")));
    let holds_a_place = is_title_placeholder(h1)
        || h1.to_lowercase().contains("title")
        || h1.contains("NNN")
        || h1.bytes().any(|b| b.is_ascii_digit());
    h1s > 1 && (linked || h1s >= 3 && !holds_a_place)
}

/// Whether a heading's text is a place for the title: one addressed to the author that names a
/// title (`Your Proposal Title`).
pub fn is_title_heading(text: &str) -> bool {
    let lower = text.trim().to_lowercase();
    lower.starts_with("your ") && lower.ends_with("title")
}

/// The text with its first heading addressed to the author for the title (`## Your Proposal
/// Title`) set to `title`, at the same level; `None` if it has none among its header lines.
pub fn fill_title_heading(text: &str, title: &str) -> Option<String> {
    let mut offset = 0;
    let lines: Vec<&str> = text.split_inclusive('\n').take(HEADER_LINES).collect();
    for (index, line) in lines.iter().enumerate() {
        let content = line.trim_end_matches(['\n', '\r']);
        let ending = &line[content.len()..];
        let rest = &text[offset + line.len()..];
        let hashes = content.bytes().take_while(|&b| b == b'#').count();
        if (1..=6).contains(&hashes) && content[hashes..].starts_with(' ') && is_title_heading(&content[hashes..]) {
            return Some(format!("{}{} {title}{ending}{rest}", &text[..offset], &content[..hashes]));
        }
        // A setext heading's (`Title` over `----`, gRPC's template).
        let underlined = lines.get(index + 1).is_some_and(|next| {
            let next = next.trim_end();
            !next.is_empty() && (next.bytes().all(|b| b == b'-') || next.bytes().all(|b| b == b'='))
        });
        let placeholder = is_title_heading(content) || content.trim() == "Title" || content.trim() == "[Title]";
        // Or the document's opening H1 (`Title of the Design` over `===`, controller-runtime's).
        let opening_h1 = lines.get(index + 1).is_some_and(|next| next.trim_end().bytes().all(|b| b == b'='))
            && text.get(crate::toc::content_start(text)..offset).is_some_and(|before| before.trim().is_empty());
        if hashes == 0 && underlined && !content.trim().is_empty() && (placeholder || opening_h1) {
            return Some(format!("{}{title}{ending}{rest}", &text[..offset]));
        }
        offset += line.len();
    }
    None
}

/// Whether `text` (after a label or a heading's prefix) holds a title to be written:
/// `[Title]`, `<title>`, `(fill in the feature name)`, `Your short, descriptive title`, `Title`.
pub fn is_title_placeholder(text: &str) -> bool {
    let text = text.trim();
    let lower = text.to_lowercase();
    let bracketed = (text.starts_with('[') && text.ends_with(']'))
        || (text.starts_with('<') && text.ends_with('>'))
        || (text.starts_with('(') && text.ends_with(')'));
    bracketed || lower == "title" || lower.starts_with("your ") && lower.contains("title")
}

/// The text with its header lines filled: each `Label: value` line among the first lines whose
/// value holds a date placeholder (`YYYY-MM-DD`) gets today's date, one whose value holds a
/// number placeholder (`NNNN`, `0000`) the number, and a `Name:`, `Feature Name:` or `Title:`
/// line whose value is a placeholder the title (a backquoted identifier where the placeholder
/// shows one: `` `my_feature` ``).
pub fn fill_header_lines(text: &str, values: &Values<'_>) -> String {
    // After a front matter, which `new_metadata` fills (its comments are no header lines).
    let start = crate::toc::content_start(text);
    let mut out = String::with_capacity(text.len() + 64);
    out.push_str(&text[..start]);
    for (index, line) in text[start..].split_inclusive('\n').enumerate() {
        let filled = (index < HEADER_LINES).then(|| fill_labeled_line(line, values)).flatten();
        out.push_str(filled.as_deref().unwrap_or(line));
    }
    out
}

/// One `Label: value` line filled, `None` if it is no such line or has nothing to fill.
fn fill_labeled_line(line: &str, values: &Values<'_>) -> Option<String> {
    let content = line.trim_end_matches(['\n', '\r']);
    let ending = &line[content.len()..];
    let (lead, label, after) = labeled(content)?;
    let value = after.trim();
    let lower_label = label.trim_matches(['*', ':', ' ']).to_lowercase();
    let lower_value = value.to_lowercase();
    let bracketed = value.starts_with(['(', '[', '<']) || value.starts_with("`<");
    // A comment after the value (`2025-01-25 # format: YYYY-MM-DD`) is the template's note: kept.
    let (given, comment) = match value.find(" #") {
        Some(at) => (&value[..at], &value[at..]),
        None => (value, ""),
    };
    let lower_given = given.to_lowercase();
    let new_value = if lower_value.contains("yyyy-mm-dd") && !is_later_date_label(&lower_label) {
        if bracketed {
            // A whole placeholder (`(fill in today's date: YYYY-MM-DD)`) gives way to the date.
            values.today.to_owned()
        } else if lower_given.contains("yyyy-mm-dd") {
            format!("{}{comment}", replace_case_insensitive(given, "yyyy-mm-dd", values.today))
        } else if crate::proposal::layout::dashed_date(given.trim()).is_some_and(|day| day.len() == given.trim().len())
        {
            // The template's own date, an example (its note says the format).
            format!("{}{comment}", values.today)
        } else {
            return None;
        }
    } else if ["name", "feature name", "title", "proposal name"].contains(&lower_label.trim())
        && (is_title_placeholder(value) || lower_value.contains("fill"))
    {
        if value.contains('`') && value.contains('_') {
            format!("`{}`", values.name.replace('-', "_").to_lowercase())
        } else {
            values.title.to_owned()
        }
    } else if bracketed && lower_value.contains("date") && is_start_date_label(&lower_label) || lower_value == "[date]"
    {
        values.today.to_owned()
    } else if let Some(author) = values
        .author
        .filter(|_| bracketed && ["author", "authors", "author(s)", "owner", "owners"].contains(&lower_label.as_str()))
    {
        author.to_owned()
    } else if !values.number.is_empty() && names_the_proposal(&lower_label, values.number_is_issue) {
        let numbered = replace_number_placeholders(value, values.number)?;
        // A link to the proposal's own file (`[SE-0547](0547-filename.md)`).
        numbered.replace(&format!("({}-filename.md)", values.number), &format!("({})", values.file_name))
    } else {
        return None;
    };
    if new_value == value {
        return None;
    }
    let gap = &after[..after.len() - after.trim_start().len()];
    Some(format!("{lead}{label}{gap}{new_value}{ending}"))
}

/// Whether a header line's label names the proposal itself, so that a number's place in it is
/// the new proposal's (`Proposal: [SE-NNNN](...)`, `RFC PR: .../pull/0000`): not another's
/// (`Bug:`, `Tracking Issue:`, `Previous Proposal:`).
fn names_the_proposal(label: &str, number_is_issue: bool) -> bool {
    let words: Vec<&str> = label.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    let own = ["proposal", "rfc", "kep", "tep", "gep", "vep", "enhancement", "discussion", "number"];
    let other = ["previous", "related", "supersedes", "superseded", "replaces", "replaced", "see"];
    // A pull request's or an issue's number is the proposal's only where proposals are numbered
    // so (tikv's `RFC PR:`; not Linkerd's, numbered in sequence), never a tracking issue's.
    let tracker = words.iter().any(|w| ["pr", "pull", "issue", "tracking"].contains(w));
    words.iter().any(|w| own.contains(w) || ["pr", "pull"].contains(w))
        && !words.iter().any(|w| other.contains(w))
        && (!tracker || number_is_issue && !words.contains(&"tracking"))
}

/// A date label whose date a new proposal has today (`Start Date`, `Last updated`), not one to
/// come (`Target Date`, `Release Date`).
fn is_start_date_label(label: &str) -> bool {
    label.contains("date") && !is_later_date_label(label)
}

/// A label of a date to come, not one a new proposal has today: `Target Date`, `release-date`,
/// `Due`, `Deadline` (whole words: `recommended-date` is none).
pub fn is_later_date_label(label: &str) -> bool {
    label
        .split(|c: char| !c.is_alphanumeric())
        .any(|word| ["target", "release", "due", "end", "ship", "deadline"].contains(&word))
}

/// `(lead, label with its colon and bold marks, rest)` of a line such as `- Start Date: x`,
/// `* **Owners:** x` or `**Creation date:** x`: a label of letters, spaces, `(`, `)`, `/`, `-`
/// and `'`, up to 40 characters.
fn labeled(line: &str) -> Option<(&str, &str, &str)> {
    let body = line.trim_start_matches([' ', '-', '*', '+']);
    let body = if body.len() < line.len() && !line.starts_with("**") { body } else { line.trim_start_matches(' ') };
    let lead = &line[..line.len() - body.len()];
    let bold = body.starts_with("**");
    let inner = body.trim_start_matches('*');
    let colon = inner.find(':')?;
    let name = &inner[..colon];
    let plain_label = !name.trim().is_empty()
        && name.len() <= 40
        && name.chars().all(|c| c.is_alphabetic() || matches!(c, ' ' | '(' | ')' | '/' | '-' | '\''));
    if !plain_label {
        return None;
    }
    let mut label_end = body.len() - inner.len() + colon + 1;
    if bold {
        label_end += body[label_end..].len() - body[label_end..].trim_start_matches('*').len();
    }
    Some((lead, &body[..label_end], &body[label_end..]))
}

fn replace_case_insensitive(text: &str, needle: &str, with: &str) -> String {
    // ASCII case only: the offsets stay the text's.
    match text.to_ascii_lowercase().find(needle) {
        Some(at) if text.is_char_boundary(at) && text.is_char_boundary(at + needle.len()) => {
            format!("{}{with}{}", &text[..at], &text[at + needle.len()..])
        }
        _ => text.to_owned(),
    }
}

/// `value` with each number placeholder (a run of three or more `N`, or of four or more `0`,
/// standing alone between non-alphanumerics) replaced by `number`; `None` if it has none.
fn replace_number_placeholders(value: &str, number: &str) -> Option<String> {
    let bytes = value.as_bytes();
    let mut out = String::with_capacity(value.len() + number.len());
    let mut replaced = false;
    let mut at = 0;
    while at < bytes.len() {
        let run_char = bytes[at];
        let run = bytes[at..].iter().take_while(|&&b| b == run_char).count();
        let bounded = (at == 0 || !bytes[at - 1].is_ascii_alphanumeric())
            && bytes.get(at + run).is_none_or(|b| !b.is_ascii_alphanumeric());
        let placeholder = (run_char == b'N' && run >= 3) || (run_char == b'0' && run >= 4);
        if placeholder && bounded {
            out.push_str(number);
            replaced = true;
            at += run;
        } else {
            let next = at + value[at..].chars().next().map_or(1, char::len_utf8);
            out.push_str(&value[at..next]);
            at = next;
        }
    }
    replaced.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values() -> Values<'static> {
        Values {
            title: "Pod Overhead",
            name: "pod-overhead",
            number: "0042",
            number_is_issue: true,
            file_name: "0042-pod-overhead.md",
            today: "2026-12-07",
            author: Some("@ada"),
        }
    }

    #[test]
    fn header_lines_get_the_date_number_and_title() {
        let template = "# Meta\n\
                        - Name: (fill in the feature name: My Feature)\n\
                        - Start Date: (fill in today's date: YYYY-MM-DD)\n\
                        **Creation date:** YYYY-MM-DD\n\
                        * Proposal: [SE-NNNN](NNNN-filename.md)\n\
                        - RFC PR: [rust-lang/rfcs#0000](https://github.com/rust-lang/rfcs/pull/0000)\n\
                        - Feature Name: (fill me in with a unique ident, `my_awesome_feature`)\n\
                        Dates are written YYYY-MM-DD in this text, NNNN too.\n\
                        * Status: **Awaiting review**\n\
                        * Bug: [swift#NNNNN](https://github.com/swiftlang/swift/issues/NNNNN)\n\
                        - Tracking Issue: https://github.com/tikv/repo/issues/0000\n\
                        Author(s): [Author Name, Co-Author Name]\n\
                        Last updated: [Date]\n";
        let want = "# Meta\n\
                    - Name: Pod Overhead\n\
                    - Start Date: 2026-12-07\n\
                    **Creation date:** 2026-12-07\n\
                    * Proposal: [SE-0042](0042-pod-overhead.md)\n\
                    - RFC PR: [rust-lang/rfcs#0042](https://github.com/rust-lang/rfcs/pull/0042)\n\
                    - Feature Name: `pod_overhead`\n\
                    Dates are written YYYY-MM-DD in this text, NNNN too.\n\
                    * Status: **Awaiting review**\n\
                    * Bug: [swift#NNNNN](https://github.com/swiftlang/swift/issues/NNNNN)\n\
                    - Tracking Issue: https://github.com/tikv/repo/issues/0000\n\
                    Author(s): @ada\n\
                    Last updated: 2026-12-07\n";
        assert_eq!(fill_header_lines(template, &values()), want);
        // Numbered in sequence: a pull request's place is not the proposal's number; a target
        // date is no start date.
        let in_sequence = Values { number_is_issue: false, ..values() };
        let lines =
            "- RFC PR: [rfc#0000](https://x/pull/0000)\n* Proposal: [SE-NNNN](x)\n- Target Date: (is there one?)\n";
        assert_eq!(
            fill_header_lines(lines, &in_sequence),
            "- RFC PR: [rfc#0000](https://x/pull/0000)\n* Proposal: [SE-0042](x)\n- Target Date: (is there one?)\n"
        );
        // A note after the value is kept; the template's example date gives way to today's.
        assert_eq!(
            fill_header_lines("Date: 2025-01-25 # format ISO 8601: YYYY-MM-DD\n", &values()),
            "Date: 2026-12-07 # format ISO 8601: YYYY-MM-DD\n"
        );
        // A front matter's lines are not header lines; a date to come stays a placeholder.
        let front = "---\nrelease-date: # In format YYYY-MM-DDT00:00:00.000Z\n---\n- Release Date: YYYY-MM-DD\n";
        assert_eq!(fill_header_lines(front, &values()), front);
        // No number: number placeholders stay.
        let unnumbered = Values { number: "", ..values() };
        assert_eq!(fill_header_lines("* Issue: #NNNN\n", &unnumbered), "* Issue: #NNNN\n");
        // Far down the document, a line is the proposal's text.
        let far = format!("{}- Date: YYYY-MM-DD\n", "text\n".repeat(HEADER_LINES));
        assert_eq!(fill_header_lines(&far, &values()), far);
    }

    #[test]
    fn any_text_is_filled_without_a_panic() {
        let odd = [
            "İ yyyy-mm-dd İ",
            "- Date: İİ YYYY-MM-DD",
            "**Ä:** ÑNNN\u{301}",
            "* Proposal: N\u{e9}NNN 0000é",
            "Title\n====",
            "—\n---",
            "# \n- Name: (é",
            "Name: `a_b` (x)",
            ": x",
            "**:**",
            "- :",
        ];
        for text in odd {
            let filled = fill_header_lines(text, &values());
            assert!(!filled.is_empty());
            let _ = fill_title_heading(text, "T");
            let _ = h1_is_a_section(text, text);
        }
    }

    #[test]
    fn a_linked_first_h1_among_others_is_a_section() {
        let rust_style = "# Meta\n[meta]: #meta\n- Name: x\n\n# Table of Contents\n- [Meta](#meta)\n\n# Overview\n";
        assert!(h1_is_a_section(rust_style, "Meta"));
        assert!(!h1_is_a_section("# KEP-NNNN: Title\n\n## Summary\n", "KEP-NNNN: Title"));
        assert!(!h1_is_a_section("# Title\n\n# Other\n", "Title"), "not linked");
        let vue_style = "- Start Date: x\n\n# Summary\n\n# Basic example\n\n# Motivation\n";
        assert!(h1_is_a_section(vue_style, "Summary"));
        assert!(!h1_is_a_section(&format!("# KEP-NNNN: T\n{vue_style}"), "KEP-NNNN: T"));
        assert!(is_title_heading("Your Proposal Title") && !is_title_heading("Your Role"));
        assert_eq!(
            fill_title_heading("Title\n----\n* Author\n", "Retries").as_deref(),
            Some("Retries\n----\n* Author\n")
        );
        assert_eq!(fill_title_heading("# T\n\n## Your Title\n", "R").as_deref(), Some("# T\n\n## R\n"));
        assert_eq!(fill_title_heading("Title\nText\n", "R"), None);
        let setext = "Title of the Design\n===================\n\n## Summary\n";
        assert_eq!(fill_title_heading(setext, "R").as_deref(), Some("R\n===================\n\n## Summary\n"));
        assert_eq!(fill_title_heading("Intro.\n\nNot a title\n===\n", "R"), None, "not the opening heading");
        assert!(is_title_placeholder("[Title]") && is_title_placeholder(" Your short, descriptive title"));
        assert!(!is_title_placeholder("Summary"));
    }
}
