//! Pure helpers for `git kep new`: the title check, numbers and folder names, the title in the
//! template, and the fields of `kep.yaml`. No I/O.

/// The built-in template: the seed template's structure with git-kep's own guidance text.
pub const BUILTIN_TEMPLATE: &str = include_str!("../template.md");

/// Why a title or name cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameError {
    EmptyTitle,
    OnlyPunctuation,
    PathSeparator(String),
    ParentDirectory(String),
    /// A `--name` longer than `MAX_NAME_BYTES`.
    TooLong(usize),
    /// A control character (a line break, ESC, BEL...): what it is in, and the character.
    ControlCharacter(String, char),
}

/// The longest folder name a title gives (after `NNN-`): the title's first words that fit. The
/// longest of kubernetes/enhancements' ~650 proposal folders is 81 bytes.
pub const MAX_NAME_FROM_TITLE: usize = 80;

/// The longest `--name`: the folder name and the branch's ref file (`kep/NNNN-name.lock` while
/// it is written) must stay under the 255 bytes most file systems allow in a name.
pub const MAX_NAME_BYTES: usize = 200;

impl std::fmt::Display for NameError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NameError::EmptyTitle => write!(f, "the title is empty"),
            NameError::OnlyPunctuation => {
                write!(f, "the title has no letters or digits that can name a folder")
            }
            NameError::PathSeparator(what) => write!(f, "{what} contains a path separator (`/` or `\\`)"),
            NameError::ParentDirectory(what) => write!(f, "{what} contains `..`"),
            NameError::TooLong(bytes) => {
                write!(f, "the name is {bytes} bytes long; a folder and branch name takes at most {MAX_NAME_BYTES}")
            }
            NameError::ControlCharacter(what, c) => {
                let kind = match c {
                    '\n' | '\r' | '\u{85}' => "a line break",
                    '\t' => "a tab",
                    '\u{1b}' => "an escape (ESC), which starts terminal sequences",
                    '\u{7}' => "a bell (BEL)",
                    _ => "a control character",
                };
                write!(f, "{what} contains {kind} (U+{:04X}): it must be one line of plain text", u32::from(*c))
            }
        }
    }
}

/// Checks a title and turns it into the folder name part after `NNN-`: its words, with every
/// character that is unsafe in a path, a branch name or a URL removed, joined with `-`, as many
/// as fit in `MAX_NAME_FROM_TITLE` bytes (a first word longer than that is cut).
pub fn name_from_title(title: &str) -> Result<String, NameError> {
    let title = title.trim();
    if title.is_empty() {
        return Err(NameError::EmptyTitle);
    }
    check_no_path(title, "the title")?;
    // Latin letters with diacritics as their base letters: `Über café` is `uber-cafe`.
    let words: Vec<String> = title
        .split_whitespace()
        .map(|word| word.chars().map(crate::toc::styles::markdown_toc::fold_diacritic).collect::<String>())
        .map(|word| word.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_')).collect::<String>())
        .map(|word| word.trim_matches(['-', '_']).to_owned())
        .filter(|word| !word.is_empty())
        .collect();
    if words.is_empty() {
        return Err(NameError::OnlyPunctuation);
    }
    let mut name = String::new();
    for word in &words {
        let separator = usize::from(!name.is_empty());
        if name.len() + separator + word.len() > MAX_NAME_FROM_TITLE {
            break;
        }
        if separator == 1 {
            name.push('-');
        }
        name.push_str(word);
    }
    if name.is_empty() {
        // Only ASCII is left in the words: cutting by bytes cuts between characters.
        name = words[0][..MAX_NAME_FROM_TITLE].trim_end_matches(['-', '_']).to_owned();
    }
    Ok(name)
}

/// Checks a title that does not name the folder (with `--name`): not empty, not only
/// punctuation, no path separators or `..`.
pub fn check_title(title: &str) -> Result<(), NameError> {
    let title = title.trim();
    if title.is_empty() {
        return Err(NameError::EmptyTitle);
    }
    check_no_path(title, "the title")?;
    if !title.chars().any(char::is_alphanumeric) {
        return Err(NameError::OnlyPunctuation);
    }
    Ok(())
}

/// Checks a `--name` given by the user.
pub fn check_name(name: &str) -> Result<(), NameError> {
    if name.trim().is_empty() {
        return Err(NameError::EmptyTitle);
    }
    if name.len() > MAX_NAME_BYTES {
        return Err(NameError::TooLong(name.len()));
    }
    check_no_path(name, "the name")
}

fn check_no_path(text: &str, what: &str) -> Result<(), NameError> {
    // It becomes the H1, a YAML value, a commit message and a branch name, and is printed: a
    // line break would split the H1, and ESC or BEL bytes would be committed as they are.
    if let Some(c) = text.chars().find(|c| c.is_control()) {
        return Err(NameError::ControlCharacter(what.to_owned(), c));
    }
    if text.contains(['/', '\\']) {
        return Err(NameError::PathSeparator(what.to_owned()));
    }
    if text.contains("..") {
        return Err(NameError::ParentDirectory(what.to_owned()));
    }
    Ok(())
}

/// The proposal number a folder name starts with (`0752-endpointslices` -> 752), with the
/// width it is written in. Template folders (`NNNN-kep-template`) have none.
pub fn folder_number(folder: &str) -> Option<(u32, usize)> {
    let digits = folder.len() - folder.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 {
        return None;
    }
    let rest = &folder[digits..];
    if !(rest.is_empty() || rest.starts_with('-')) {
        return None;
    }
    folder[..digits].parse().ok().map(|n| (n, digits))
}

/// The number after every number in use; `None` after `u32::MAX` (never the same one again).
pub fn next_number(taken: impl IntoIterator<Item = u32>) -> Option<u32> {
    taken.into_iter().max().map_or(Some(1), |max| max.checked_add(1))
}

/// `NNN-name`: the number zero-padded to 3 digits, or as wide as the widest existing one.
pub fn folder_name(number: u32, widest_existing: usize, name: &str) -> String {
    let width = widest_existing.max(3);
    format!("{number:0width$}-{name}")
}

/// Sets the text of the document's first H1 (`# ...` outside code) to `title`. `None` if the
/// document has no ATX H1.
pub fn set_title(document: &str, title: &str) -> Option<String> {
    let mut in_fence: Option<&str> = None;
    let mut offset = 0;
    for line in document.split_inclusive('\n') {
        let trimmed = line.trim_start_matches(' ');
        let indent = line.len() - trimmed.len();
        if indent < 4 {
            for fence in ["```", "~~~"] {
                if trimmed.starts_with(fence) {
                    in_fence = match in_fence {
                        None => Some(fence),
                        Some(open) if open == fence => None,
                        other => other,
                    };
                }
            }
            let is_h1 = trimmed.starts_with("# ") || trimmed.trim_end() == "#";
            if in_fence.is_none() && is_h1 {
                let ending = &line[line.trim_end_matches(['\n', '\r']).len()..];
                let mut out = String::with_capacity(document.len() + title.len());
                out.push_str(&document[..offset]);
                out.push_str("# ");
                out.push_str(title);
                out.push_str(ending);
                out.push_str(&document[offset + line.len()..]);
                return Some(out);
            }
        }
        offset += line.len();
    }
    None
}

/// The `kep.yaml` fields git-kep fills in.
pub struct KepFields<'a> {
    pub title: &'a str,
    pub number: u32,
    pub author: Option<&'a str>,
    pub creation_date: &'a str,
}

/// Fills the top-level fields of a `kep.yaml` that exist in it (`title`, `kep-number`, `authors`,
/// `creation-date`, `status`), line by line, leaving every other line as it is.
pub fn fill_kep_yaml(yaml: &str, fields: &KepFields<'_>) -> String {
    let mut out = String::with_capacity(yaml.len() + 64);
    let mut lines = yaml.split_inclusive('\n').peekable();
    while let Some(line) = lines.next() {
        let ending = &line[line.trim_end_matches(['\n', '\r']).len()..];
        let ending = if ending.is_empty() { "\n" } else { ending };
        let key = line.split(':').next().unwrap_or_default();
        match key {
            "title" => out.push_str(&format!("title: {}{ending}", yaml_string(fields.title))),
            "kep-number" => out.push_str(&format!("kep-number: {}{ending}", fields.number)),
            "creation-date" => out.push_str(&format!("creation-date: {}{ending}", fields.creation_date)),
            "status" => out.push_str(&format!("status: provisional{ending}")),
            "authors" if fields.author.is_some() => {
                out.push_str(&format!("authors:{ending}"));
                out.push_str(&format!("  - {}{ending}", yaml_string(fields.author.unwrap_or_default())));
                // Drop the template's own list items (indented or `- ` lines under the key).
                while let Some(next) = lines.peek() {
                    let item = next.trim_start();
                    if (next.starts_with(' ') || next.starts_with('-')) && item.starts_with('-') {
                        lines.next();
                    } else {
                        break;
                    }
                }
            }
            _ => {
                out.push_str(line);
                continue;
            }
        }
        if !line.ends_with('\n') {
            out.truncate(out.len() - ending.len());
        }
    }
    out
}

/// A YAML double-quoted string.
fn yaml_string(text: &str) -> String {
    let escaped: String = text
        .chars()
        .flat_map(|c| match c {
            '"' => vec!['\\', '"'],
            '\\' => vec!['\\', '\\'],
            c => vec![c],
        })
        .collect();
    format!("\"{escaped}\"")
}

/// Today's date (UTC) as `YYYY-MM-DD`, from days since the Unix epoch.
pub fn civil_date(days_since_epoch: i64) -> String {
    // Howard Hinnant's days-to-civil algorithm.
    let z = days_since_epoch + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// Today's date (UTC), `YYYY-MM-DD`: the creation date `new` writes.
pub fn today() -> String {
    let seconds = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    civil_date((seconds / 86_400) as i64)
}

/// What goes into the template.
pub struct Filling<'a> {
    pub title: &'a str,
    /// The proposal's `{name}` (`pod-overhead`), for a front matter whose title is a name.
    pub name: &'a str,
    /// The number as written (`0042`; empty where proposals have none).
    pub number: &'a str,
    /// Whether the number is the tracking issue's or pull request's (`RFC PR: .../pull/0000`
    /// then takes it).
    pub number_is_issue: bool,
    /// The new main document's file name (`0547-some-title.md`), for a header line that links
    /// to it (`[SE-NNNN](NNNN-filename.md)`).
    pub file_name: &'a str,
    /// The number for kep.yaml (0 where there is none).
    pub number_for_yaml: u32,
    /// Where the template came from, for messages.
    pub label: &'a str,
    /// The H1 prefix the repository's proposals share (`TEP-`), for a template without an H1.
    pub convention: Option<&'a str>,
    /// What the metadata says (author, today, status).
    pub metadata: crate::proposal::new_metadata::NewMetadata<'a>,
    /// For a template without front matter where the repository's proposals have one: its
    /// keys, and the prefix their titles share (`GEP-`).
    pub front_matter: Option<(&'a [String], Option<&'a str>)>,
}

/// The template's main document filled: the title where the template has it (front matter
/// `title:`, written as a name where the template's is one; its H1 in the template's pattern;
/// else the H1 the repository's proposals share), and its TOC regenerated where it has markers.
pub fn fill_main_document(
    template: &str,
    filling: &Filling<'_>,
    options: &crate::toc::TocOptions,
) -> Result<String, crate::toc::MarkerError> {
    let Filling { title, name, number, convention, .. } = *filling;
    let mut text = crate::proposal::new_metadata::fill_front_matter(template, &filling.metadata);
    if text.starts_with("---\n") {
        // A front matter title written as a name (`neat-enhancement-idea`: openshift's lint
        // wants the file's name there) gets the name; any other, the title.
        let slug_title = front_matter_title(&text).is_some_and(|t| crate::proposal::layout::is_lower_kebab(&t));
        if let Some(titled) = set_front_matter_title(&text, if slug_title { name } else { title }) {
            text = titled;
        }
    } else if let Some((keys, prefix)) = filling.front_matter {
        let gap = if text.starts_with('\n') { "" } else { "\n" };
        let block = crate::proposal::new_metadata::front_matter_block(keys, &filling.metadata, prefix);
        text.insert_str(0, &format!("{block}{gap}"));
    }
    use crate::proposal::placeholders;
    let title_heading = placeholders::fill_title_heading(&text, title);
    match first_h1(&text).map(str::to_owned) {
        // A heading for the title (`## Your Proposal Title`) takes it instead.
        _ if title_heading.is_some() => text = title_heading.unwrap_or(text),
        // An H1 the template links to among others (`# Meta`) is a section: kept.
        Some(h1) if placeholders::h1_is_a_section(&text, &h1) => {}
        // The template's own H1 pattern (`# KEP-NNNN: ...`) is kept: `# KEP-4321: Title`.
        Some(h1) => {
            let heading = heading_for(Some(&h1), number, title);
            text = set_title(&text, &heading).unwrap_or(text);
        }
        None => {
            if let Some(prefix) = convention.filter(|_| !number.is_empty()) {
                // After the front matter and the blank lines that follow it.
                let start = crate::toc::content_start(&text);
                let at = start + (text.len() - start - text[start..].trim_start_matches('\n').len());
                let gap = if text[at..].starts_with('\n') || text[at..].is_empty() { "" } else { "\n" };
                text.insert_str(at, &format!("# {prefix}{number}: {title}\n{gap}"));
            }
        }
    }
    let values = placeholders::Values {
        title,
        name,
        number,
        number_is_issue: filling.number_is_issue,
        file_name: filling.file_name,
        today: filling.metadata.today,
        author: filling.metadata.author,
    };
    text = placeholders::fill_header_lines(&text, &values);
    text = with_the_styles_markers(&text, options);
    // A TOC only where the template has markers.
    if let crate::toc::Outcome::Stale(fresh) = crate::toc::regenerate(&text, options)? {
        text = fresh;
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_titles() {
        let cases = [
            ("Enhancement Idea Title", Ok("Enhancement-Idea-Title")),
            ("  Pod Overhead: the sequel!  ", Ok("Pod-Overhead-the-sequel")),
            ("Use `kubectl` & friends (v2)", Ok("Use-kubectl-friends-v2")),
            ("snake_case -- dashes", Ok("snake_case-dashes")),
            ("Café déjà vu", Ok("Cafe-deja-vu")),
            ("", Err(NameError::EmptyTitle)),
            ("   ", Err(NameError::EmptyTitle)),
            ("!!! ??? ...", Err(NameError::ParentDirectory("the title".into()))),
            ("!!! ???", Err(NameError::OnlyPunctuation)),
            ("a/b", Err(NameError::PathSeparator("the title".into()))),
            ("a\\b", Err(NameError::PathSeparator("the title".into()))),
            ("up .. there", Err(NameError::ParentDirectory("the title".into()))),
        ];
        for (title, want) in cases {
            assert_eq!(name_from_title(title), want.map(str::to_owned), "title {title:?}");
        }
    }

    #[test]
    fn a_long_title_gives_its_first_words_that_fit() {
        let title = "Support for dynamic resource allocation ".repeat(100);
        let name = name_from_title(&title).unwrap();
        assert_eq!(name, ["Support-for-dynamic-resource-allocation"; 2].join("-"));
        assert_eq!(name_from_title(&"x".repeat(500)).unwrap(), "x".repeat(MAX_NAME_FROM_TITLE));
        let just_fits = ["a".repeat(40), "b".repeat(39)].join(" ");
        assert_eq!(name_from_title(&just_fits).unwrap().len(), MAX_NAME_FROM_TITLE);
        assert_eq!(name_from_title(&format!("{just_fits} c")).unwrap(), just_fits.replace(' ', "-"));
    }

    #[test]
    fn a_name_too_long_for_a_folder_is_refused() {
        assert_eq!(check_name(&"n".repeat(MAX_NAME_BYTES)), Ok(()));
        assert_eq!(check_name(&"n".repeat(MAX_NAME_BYTES + 1)), Err(NameError::TooLong(MAX_NAME_BYTES + 1)));
    }

    #[test]
    fn titles_that_need_a_name() {
        assert_eq!(name_from_title("Привет мир"), Err(NameError::OnlyPunctuation));
        assert_eq!(name_from_title("Über café — naïve"), Ok("Uber-cafe-naive".to_owned()));
        assert_eq!(check_title("Привет мир"), Ok(()));
        assert_eq!(check_title("?!"), Err(NameError::OnlyPunctuation));
        assert_eq!(check_title("a/b"), Err(NameError::PathSeparator("the title".into())));
    }

    #[test]
    fn folder_numbers() {
        assert_eq!(folder_number("0752-endpointslices"), Some((752, 4)));
        assert_eq!(folder_number("12-x"), Some((12, 2)));
        assert_eq!(folder_number("007"), Some((7, 3)));
        assert_eq!(folder_number("NNNN-kep-template"), None);
        assert_eq!(folder_number("sig-node"), None);
        assert_eq!(folder_number("12abc"), None);
        assert_eq!(next_number([3, 12, 7]), Some(13));
        assert_eq!(next_number([]), Some(1));
        assert_eq!(next_number([u32::MAX, 1]), None);
        assert_eq!(folder_name(4, 0, "X"), "004-X");
        assert_eq!(folder_name(13, 4, "X"), "0013-X");
        assert_eq!(folder_name(1234, 3, "X"), "1234-X");
    }

    #[test]
    fn title_replaces_the_first_h1_outside_code() {
        let doc = "```\n# not this\n```\n# Old Title\r\n\n# Second\n";
        assert_eq!(set_title(doc, "New").unwrap(), "```\n# not this\n```\n# New\r\n\n# Second\n");
        assert_eq!(set_title("## only h2\n", "New"), None);
    }

    #[test]
    fn kep_yaml_fields_filled_and_the_rest_kept() {
        let yaml = "title: KEP Template\nkep-number: NNNN\nauthors:\n  - \"@jane.doe\"\n  - \"@x\"\nowning-sig: sig-xxx\nstatus: implementable\ncreation-date: yyyy-mm-dd\nreviewers:\n  - TBD\n";
        let fields = KepFields {
            title: "My \"Big\" Idea",
            number: 42,
            author: Some("Ada <ada@x.io>"),
            creation_date: "2026-11-25",
        };
        assert_eq!(
            fill_kep_yaml(yaml, &fields),
            "title: \"My \\\"Big\\\" Idea\"\nkep-number: 42\nauthors:\n  - \"Ada <ada@x.io>\"\nowning-sig: sig-xxx\nstatus: provisional\ncreation-date: 2026-11-25\nreviewers:\n  - TBD\n"
        );
        assert_eq!(fill_kep_yaml("owning-sig: x", &fields), "owning-sig: x");
    }

    #[test]
    fn dates() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(20_417), "2025-11-25");
        assert_eq!(civil_date(11_016), "2000-02-29");
    }
}

/// A template's git-kep TOC (`<!-- toc -->` ... `<!-- /toc -->`, the built-in template's) as an
/// empty pair of the markers of the tool the repository runs (doctoc's, markdown-toc's), which
/// that tool then fills: under those styles git-kep's own markers are another tool's, never
/// refreshed.
fn with_the_styles_markers(text: &str, options: &crate::toc::TocOptions) -> String {
    use crate::toc::{TocStyle, styles};
    let (start, end) = match options.style {
        TocStyle::Doctoc => styles::doctoc::markers(options.doctoc.pragma),
        TocStyle::MarkdownToc => (styles::markdown_toc::OPEN.to_owned(), styles::markdown_toc::CLOSE.to_owned()),
        TocStyle::Html | TocStyle::HtmlB8c54a57 => ("<!-- toc -->".to_owned(), "<!-- /toc -->".to_owned()),
        TocStyle::Markdown => return text.to_owned(),
    };
    // Text that names the markers names them no more (mdtoc and markdown-toc take `<!-- toc -->`
    // for a marker anywhere, in code too).
    let text = text
        .replace("the `<!-- toc -->` and `<!-- /toc -->` comments", "the TOC markers")
        .replace("`<!-- toc -->`", "the TOC's start marker")
        .replace("`<!-- /toc -->`", "its end marker");
    let mut offset = 0;
    let mut open: Option<usize> = None;
    for line in text.split_inclusive('\n') {
        match line.trim() {
            "<!-- toc -->" if open.is_none() => open = Some(offset),
            "<!-- /toc -->" if open.is_some() => {
                let from = open.unwrap_or(offset);
                let ending = &line[line.trim_end_matches(['\n', '\r']).len()..];
                return format!("{}{start}\n{end}{ending}{}", &text[..from], &text[offset + line.len()..]);
            }
            _ => {}
        }
        offset += line.len();
    }
    text
}

/// The new proposal's H1 text in the template's pattern: `KEP-NNNN: Your title` becomes
/// `KEP-0042: Pod Overhead`, `VEP #NNNN: ...` `VEP #42: ...`; any other H1 is just the title.
/// The placeholder is a run of `N` (or digits) right before a `:`, after a short prefix.
pub fn heading_for(template_h1: Option<&str>, number: &str, title: &str) -> String {
    use crate::proposal::placeholders::is_title_placeholder;
    let Some(h1) = template_h1 else { return title.to_owned() };
    let prefix = h1_prefix(h1);
    if let Some(prefix) = prefix.filter(|_| !number.is_empty()) {
        return format!("{prefix}{number}: {title}");
    }
    // `Proposal: [Title]`: the words before the `:` kept (no number in them), the title after.
    if let Some((head, tail)) = h1.split_once(':')
        && prefix.is_none()
        && is_title_placeholder(tail)
        && !head.trim().is_empty()
        && head.len() <= 30
        && !head.bytes().any(|b| b.is_ascii_digit())
        // `CHANGEME: Title` (cert-manager's): the words before the `:` are a placeholder too.
        && !["changeme", "todo", "tbd", "xxx", "fixme", "placeholder"].contains(&head.trim().to_ascii_lowercase().as_str())
    {
        return format!("{}: {title}", head.trim_end());
    }
    // `RFC-NNNN Title`: a number's place after a short prefix, then the title's.
    if let Some((head, tail)) = h1.split_once(' ')
        && !number.is_empty()
        && is_title_placeholder(tail)
    {
        let digits = head.len() - head.trim_end_matches(|c: char| c.is_ascii_digit() || c == 'N').len();
        let prefix = &head[..head.len() - digits];
        if digits > 0 && prefix.ends_with(['-', '#']) && prefix.chars().any(|c| c.is_ascii_alphabetic()) {
            return format!("{prefix}{number} {title}");
        }
    }
    title.to_owned()
}

/// The text before the number in an H1 such as `TEP-0042: Title` or `KEP-NNNN: Title` (`TEP-`).
pub fn h1_prefix(h1: &str) -> Option<&str> {
    let colon = h1.find(':')?;
    let head = &h1[..colon];
    let digits = head.len() - head.trim_end_matches(|c: char| c.is_ascii_digit() || c == 'N').len();
    let prefix = &head[..head.len() - digits];
    let shaped = digits > 0
        && prefix.len() <= 12
        && prefix.chars().any(|c| c.is_ascii_alphabetic())
        && prefix.ends_with(['-', '#', ' ']);
    shaped.then_some(prefix)
}

/// The H1 prefix most of a repository's proposals share (`TEP-` in `# TEP-0042: Title`), for a
/// template that has no H1: `None` unless three of four of at least three share one.
pub fn h1_convention<'a>(h1s: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let mut counts: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    let mut total = 0;
    for h1 in h1s {
        total += 1;
        if let Some(prefix) = h1_prefix(h1) {
            *counts.entry(prefix).or_default() += 1;
        }
    }
    let (prefix, count) = counts.into_iter().max_by_key(|(_, n)| *n)?;
    (total >= 3 && count * 4 >= total * 3).then(|| prefix.to_owned())
}

/// The `title:` of a document's YAML front matter.
pub fn front_matter_title(document: &str) -> Option<String> {
    crate::proposal::metadata_sources::front_matter(document)?.text("title").map(str::to_owned)
}

/// The document with `title:` of its YAML front matter set (its value in quotes where YAML
/// needs them); `None` if it has no front matter with a `title:` line.
pub fn set_front_matter_title(document: &str, title: &str) -> Option<String> {
    let rest = document.strip_prefix("---\n")?;
    let end = rest.find("\n---")?;
    let block = &rest[..end];
    let line_start = block.split_inclusive('\n').scan(0, |at, line| {
        let start = *at;
        *at += line.len();
        Some((start, line))
    });
    for (start, line) in line_start {
        if line.starts_with("title:") {
            let line_end = start + line.trim_end_matches('\n').len();
            let written = crate::proposal::new_metadata::quoted(title);
            return Some(format!("---\n{}title: {written}{}", &rest[..start], &rest[line_end..]));
        }
    }
    None
}

/// The first H1's text of a Markdown document (outside code fences), if any.
pub fn first_h1(document: &str) -> Option<&str> {
    let mut in_fence = false;
    for line in document.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
        } else if !in_fence && let Some(text) = trimmed.strip_prefix("# ") {
            return Some(text.trim());
        }
    }
    None
}

/// kubernetes/enhancements' fields of a new kep.yaml, beyond `KepFields`.
pub struct GroupFields<'a> {
    /// `None` where proposals are not kept by group: the template's `owning-sig` stays.
    pub owning_sig: Option<&'a str>,
    pub participating_sigs: &'a [String],
    pub stage: &'a str,
    pub milestone: Option<&'a str>,
    pub reviewers: &'a [String],
    pub approvers: &'a [String],
}

/// A kep.yaml of kubernetes/enhancements' template made the new proposal's: its groups, stage,
/// milestones, reviewers and approvers set, and the template's samples that a rule would reject
/// or that name other proposals (`see-also`, `replaces`, feature gates, metrics) emptied.
/// Comments and every other key stay as they are.
pub fn fill_group_fields(yaml: &str, fields: &GroupFields<'_>) -> String {
    let list = |items: &[String], default: &str| -> String {
        if items.is_empty() {
            return if default.is_empty() { " []".to_owned() } else { format!("\n  - {default}") };
        }
        items.iter().map(|item| format!("\n  - {}", yaml_string(item))).collect()
    };
    let mut blocks: Vec<(&str, String)> = vec![
        ("participating-sigs", list(fields.participating_sigs, "")),
        ("reviewers", list(fields.reviewers, "TBD")),
        ("approvers", list(fields.approvers, "TBD")),
        ("see-also", " []".to_owned()),
        ("replaces", " []".to_owned()),
        ("stage", format!(" {}", fields.stage)),
        ("feature-gates", " []".to_owned()),
        ("metrics", " []".to_owned()),
    ];
    if let Some(sig) = fields.owning_sig {
        blocks.push(("owning-sig", format!(" {sig}")));
    }
    if let Some(milestone) = fields.milestone {
        blocks.push(("latest-milestone", format!(" {}", yaml_string(milestone))));
        blocks.push(("milestone", format!("\n  {}: {}", fields.stage, yaml_string(milestone))));
    }
    let mut out = String::with_capacity(yaml.len());
    let mut lines = yaml.split_inclusive('\n').peekable();
    while let Some(line) = lines.next() {
        let key = line.split(':').next().unwrap_or_default();
        let Some((_, value)) = blocks.iter().find(|(name, _)| *name == key && line.starts_with(name)) else {
            out.push_str(line);
            continue;
        };
        out.push_str(key);
        out.push(':');
        out.push_str(value);
        out.push('\n');
        // The key's block: its indented lines and `- ` items (a comment line ends it).
        while let Some(next) = lines.peek() {
            let continues = next.starts_with(' ') || next.starts_with('\t') || next.starts_with('-');
            if continues && !next.trim().is_empty() {
                lines.next();
            } else {
                break;
            }
        }
    }
    out
}

/// The production-readiness file of a new proposal, from k/e's template (`nnnn.yaml`): its
/// number, and an entry for its stage with the approver (empty until one is named).
pub fn fill_prr(template: &str, number: &str, stage: &str, approver: Option<&str>) -> String {
    let mut out = String::new();
    let mut lines = template.split_inclusive('\n').peekable();
    while let Some(line) = lines.next() {
        if line.starts_with('#') || line.trim().is_empty() {
            out.push_str(line);
            continue;
        }
        if line.starts_with("kep-number:") {
            out.push_str(&format!("kep-number: {number}\n"));
            continue;
        }
        // A stage entry of the template: replaced by ours, once.
        while lines.peek().is_some_and(|next| next.starts_with(' ')) {
            lines.next();
        }
    }
    out.push_str(&format!("{stage}:\n  approver: {}\n", yaml_string(approver.unwrap_or(""))));
    out
}

#[cfg(test)]
mod group_tests {
    use super::*;

    #[test]
    fn the_h1_follows_the_templates_pattern() {
        assert_eq!(
            heading_for(Some("KEP-NNNN: Your short, descriptive title"), "0042", "Pod Overhead"),
            "KEP-0042: Pod Overhead"
        );
        assert_eq!(heading_for(Some("Title"), "0042", "Pod Overhead"), "Pod Overhead");
        assert_eq!(heading_for(None, "0042", "Pod Overhead"), "Pod Overhead");
        assert_eq!(heading_for(Some("VEP #NNNN: Your title"), "42", "X"), "VEP #42: X");
        // A kind before the title's place, and a number's place without a colon.
        assert_eq!(heading_for(Some("Proposal: [Title]"), "", "Faster Maps"), "Proposal: Faster Maps");
        assert_eq!(heading_for(Some("RFC-NNNN Title"), "0014", "OCI Signing"), "RFC-0014 OCI Signing");
        assert_eq!(heading_for(Some("KEP-NNNN: Your title"), "", "X"), "X", "no number to give");
        assert_eq!(heading_for(Some("Design: summary"), "", "X"), "X");
        assert_eq!(heading_for(Some("CHANGEME: Title"), "", "Some Title"), "Some Title");
        assert_eq!(heading_for(Some("Replace this with your awesome OTEP title"), "42", "X"), "X");
        assert_eq!(h1_convention(["TEP-0001: A", "TEP-0002: B", "TEP-0003: C", "Other"]).as_deref(), Some("TEP-"));
        assert_eq!(h1_convention(["A", "B", "TEP-0003: C"]), None);
        assert_eq!(
            set_front_matter_title("---\ntitle: Proposal Template\nauthors: []\n---\n# Title\n", "Pod: Overhead")
                .as_deref(),
            Some("---\ntitle: \"Pod: Overhead\"\nauthors: []\n---\n# Title\n")
        );
        assert_eq!(set_front_matter_title("# Title\n", "X"), None);
        assert_eq!(first_h1("text\n```\n# no\n```\n# KEP-NNNN: T\n"), Some("KEP-NNNN: T"));
    }

    #[test]
    fn group_fields_replace_the_templates_samples_and_keep_its_comments() {
        let template = "title: KEP Template\nowning-sig: sig-xyz\nparticipating-sigs:\n  - sig-aaa\n  - sig-bbb\nreviewers:\n  - TBD\n  - \"@alice.doe\"\nsee-also:\n  - \"/keps/x\"\n\n# The stage.\nstage: alpha|beta|stable\nlatest-milestone: \"v1.19\"\nmilestone:\n  alpha: \"v1.19\"\n  beta: \"v1.20\"\nfeature-gates:\n  - name: MyFeature\n    components:\n      - kube-apiserver\ndisable-supported: true\nmetrics:\n  - my_feature_metric\n";
        let fields = GroupFields {
            owning_sig: Some("sig-node"),
            participating_sigs: &["sig-scheduling".to_owned()],
            stage: "alpha",
            milestone: Some("v1.36"),
            reviewers: &[],
            approvers: &["@dchen1107".to_owned()],
        };
        let want = "title: KEP Template\nowning-sig: sig-node\nparticipating-sigs:\n  - \"sig-scheduling\"\nreviewers:\n  - TBD\nsee-also: []\n\n# The stage.\nstage: alpha\nlatest-milestone: \"v1.36\"\nmilestone:\n  alpha: \"v1.36\"\nfeature-gates: []\ndisable-supported: true\nmetrics: []\n";
        assert_eq!(fill_group_fields(template, &fields), want);
    }

    #[test]
    fn the_prr_file_names_the_stage_and_its_approver() {
        let template = "# The KEP must have an approver.\nkep-number: 0000\nalpha:\n  approver: \"\"\n";
        assert_eq!(
            fill_prr(template, "4321", "beta", Some("@wojtek-t")),
            "# The KEP must have an approver.\nkep-number: 4321\nbeta:\n  approver: \"@wojtek-t\"\n"
        );
    }
}
