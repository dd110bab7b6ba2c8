//! The metadata `git kep new` writes, where the repository keeps it: the template's front
//! matter with its placeholders filled or removed (`yyyy-mm-dd`, `TBD`, `a|b|c`, sample
//! links), a front matter for a template without one where the repository's proposals have
//! one, and a metadata file beside the document (`metadata.yaml`) modelled on the newest
//! proposal's. Pure: texts in, texts out.

/// What a new proposal's metadata says.
#[derive(Debug, Clone, Copy)]
pub struct NewMetadata<'a> {
    pub title: &'a str,
    /// The number as people read it (`42`; empty where proposals have none).
    pub number: &'a str,
    /// The author as the repository writes authors (`@handle`, or git's `Name <email>`).
    pub author: Option<&'a str>,
    /// Today, `YYYY-MM-DD`.
    pub today: &'a str,
    /// A new proposal's status (`proposed`, `provisional`, `Provisional`).
    pub status: Option<&'a str>,
}

/// Keys whose list items in a template are samples, not values.
const SAMPLE_LISTS: [&str; 3] = ["see-also", "replaces", "superseded-by"];

/// The template's front matter (if any) with its placeholders filled or removed: authors are
/// the author, dates written `yyyy-mm-dd` today, `status: a|b|c` the new status (else the first
/// alternative), `TBD` list items and sample links gone.
pub fn fill_front_matter(text: &str, meta: &NewMetadata<'_>) -> String {
    let Some(rest) = text.strip_prefix("---\n") else { return text.to_owned() };
    let Some(end) = rest.find("\n---") else { return text.to_owned() };
    let (block, after) = (&rest[..=end], &rest[end + 1..]);
    let mut out = String::from("---\n");
    let mut key = String::new();
    for line in block.lines() {
        let is_item = line.trim_start().starts_with("- ") && line.starts_with([' ', '-']);
        if !is_item && !line.starts_with([' ', '#']) && line.contains(':') {
            key = line.split(':').next().unwrap_or_default().trim().to_owned();
            let value = line[key.len() + 1..].split(" #").next().unwrap_or_default().trim();
            let comment = line[key.len() + 1..].split_once(" #").map_or("", |(_, comment)| comment);
            match key.as_str() {
                // One line where the template has one (`author: <a comma separated list>`), else a list.
                "authors" | "author" if meta.author.is_some() && !value.is_empty() => {
                    out.push_str(&format!("{key}: {}\n", quoted(meta.author.unwrap_or_default())));
                    continue;
                }
                "authors" | "author" if meta.author.is_some() => {
                    out.push_str(&format!("{key}:\n  - {}\n", quoted(meta.author.unwrap_or_default())));
                    continue;
                }
                "status" if value.contains('|') => {
                    let first = value.split('|').next().unwrap_or_default().trim();
                    out.push_str(&format!("status: {}\n", meta.status.unwrap_or(first)));
                    continue;
                }
                // Empty, a placeholder, or the template's own example date.
                _ if is_start_date_key(&key)
                    && (value.is_empty()
                        || value.to_ascii_lowercase().contains("yyyy")
                        || crate::proposal::layout::dashed_date(value).is_some_and(|day| day.len() == value.len())) =>
                {
                    // In the format the template asks for (`YYYY-MM-DDT00:00:00.000Z`, Ember's).
                    let asked = format!("{value} {comment}").to_ascii_uppercase();
                    let time = if asked.contains("YYYY-MM-DDT00:00:00.000Z") { "T00:00:00.000Z" } else { "" };
                    out.push_str(&format!("{key}: {}{time}\n", meta.today));
                    continue;
                }
                _ => {}
            }
        } else if is_item {
            let item = line.trim_start()[2..].trim().trim_matches(['"', '\'']);
            let authors = (key == "authors" || key == "author") && meta.author.is_some();
            if authors || item.eq_ignore_ascii_case("tbd") || SAMPLE_LISTS.contains(&key.as_str()) {
                continue;
            }
        }
        out.push_str(line);
        out.push('\n');
    }
    out.push_str(after);
    out
}

/// A front matter for a template that has none, with `keys` (in order): the title (with the
/// prefix the repository's titles share, `GEP-91: ...`), the author, today's dates, the new
/// status; any other key empty.
pub fn front_matter_block(keys: &[String], meta: &NewMetadata<'_>, title_prefix: Option<&str>) -> String {
    let mut out = String::from("---\n");
    for key in keys {
        match key.as_str() {
            "title" => {
                let title = match title_prefix.filter(|_| !meta.number.is_empty()) {
                    Some(prefix) => format!("{prefix}{}: {}", meta.number, meta.title),
                    None => meta.title.to_owned(),
                };
                out.push_str(&format!("title: {}\n", quoted(&title)));
            }
            "authors" | "author" => match meta.author {
                Some(author) => out.push_str(&format!("{key}:\n  - {}\n", quoted(author))),
                None => out.push_str(&format!("{key}: []\n")),
            },
            "status" => match meta.status {
                Some(status) => out.push_str(&format!("status: {status}\n")),
                None => out.push_str("status:\n"),
            },
            _ if is_date_key(key) => out.push_str(&format!("{key}: {}\n", meta.today)),
            _ => out.push_str(&format!("{key}: []\n")),
        }
    }
    out.push_str("---\n");
    out
}

/// A metadata file for the new proposal, modelled on an existing one's (`model`): its number,
/// name or title, status and authors are the new proposal's; its other lists emptied and its
/// nested maps left out; other scalars (`apiVersion`, `kind`) kept.
pub fn sidecar_from(model: &str, meta: &NewMetadata<'_>) -> String {
    let mut out = String::new();
    let lines: Vec<&str> = model.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        i += 1;
        if line.starts_with([' ', '-', '#']) || !line.contains(':') {
            continue;
        }
        let key = line.split(':').next().unwrap_or_default().trim();
        let value = line[key.len() + 1..].trim();
        let mut block_is_list = false;
        let mut block_len = 0;
        while i + block_len < lines.len() && lines[i + block_len].starts_with([' ', '-']) {
            block_is_list |= lines[i + block_len].trim_start().starts_with("- ");
            block_len += 1;
        }
        i += block_len;
        match key {
            "number" if !meta.number.is_empty() => out.push_str(&format!("number: {}\n", meta.number)),
            "name" | "title" => out.push_str(&format!("{key}: {}\n", quoted(meta.title))),
            "status" if meta.status.is_some() => {
                out.push_str(&format!("status: {}\n", meta.status.unwrap_or_default()))
            }
            "authors" | "author" => match meta.author {
                Some(author) => out.push_str(&format!("{key}:\n  - {}\n", quoted(author))),
                None => out.push_str(&format!("{key}: []\n")),
            },
            _ if block_len > 0 && block_is_list => out.push_str(&format!("{key}: []\n")),
            _ if block_len > 0 => {}
            _ if is_date_key(key) => out.push_str(&format!("{key}: {}\n", meta.today)),
            _ => out.push_str(&format!("{key}: {value}\n")),
        }
    }
    out
}

/// The status a new proposal starts with: the first of `proposed`, `provisional`, `draft` the
/// repository's proposals use (as they spell it), else the first allowed status.
pub fn initial_status<'a>(seen: impl IntoIterator<Item = &'a str>, allowed: &'a [String]) -> Option<String> {
    let seen: Vec<&str> = seen.into_iter().collect();
    ["proposed", "provisional", "draft"]
        .iter()
        .find_map(|wanted| seen.iter().find(|s| s.eq_ignore_ascii_case(wanted)).map(|s| (*s).to_owned()))
        .or_else(|| allowed.first().cloned())
}

fn is_date_key(key: &str) -> bool {
    key.ends_with("date") || key == "last-updated" || key == "created" || key == "updated"
}

/// A date a new proposal has today: its creation's or last update's, not one to come
/// (`release-date`, `target-date`).
fn is_start_date_key(key: &str) -> bool {
    is_date_key(key) && !crate::proposal::placeholders::is_later_date_label(key)
}

/// A YAML scalar, quoted where YAML would read it otherwise (`@handle`, `a: b`, `#`).
pub(crate) fn quoted(value: &str) -> String {
    let plain = value.chars().all(|c| c.is_alphanumeric() || " -_.()/".contains(c))
        && !value.starts_with([' ', '-'])
        && !value.is_empty();
    if plain { value.to_owned() } else { format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\"")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    const META: NewMetadata<'static> =
        NewMetadata { title: "Pod Overhead", number: "42", author: Some("@ada"), today: "2026-12-07", status: None };

    #[test]
    fn a_templates_placeholders_are_filled_or_removed() {
        let template = "---\ntitle: neat-enhancement-idea\nauthors:\n  - TBD\nreviewers: # who\n  - TBD\ncreation-date: yyyy-mm-dd\nstatus: provisional|implementable\nsee-also:\n  - \"/enhancements/this-other-neat-thing.md\"\n---\n\n# Body\n";
        assert_eq!(
            fill_front_matter(template, &META),
            "---\ntitle: neat-enhancement-idea\nauthors:\n  - \"@ada\"\nreviewers: # who\ncreation-date: 2026-12-07\nstatus: provisional\nsee-also:\n---\n\n# Body\n"
        );
        assert_eq!(fill_front_matter("# No front matter\n", &META), "# No front matter\n");
        // One author line where the template has one; dates in the format asked, future ones left.
        let template = "---\nauthor: <a comma separated list of authors>\nstart-date: # In format YYYY-MM-DDT00:00:00.000Z\n\
                        release-date: # In format YYYY-MM-DDT00:00:00.000Z\n---\n";
        assert_eq!(
            fill_front_matter(template, &META),
            "---\nauthor: \"@ada\"\nstart-date: 2026-12-07T00:00:00.000Z\nrelease-date: # In format YYYY-MM-DDT00:00:00.000Z\n---\n"
        );
    }

    #[test]
    fn a_front_matter_where_the_template_has_none() {
        let keys = ["status", "title", "creation-date", "last-updated", "authors"].map(String::from);
        let meta = NewMetadata { status: Some("proposed"), ..META };
        assert_eq!(
            front_matter_block(&keys, &meta, None),
            "---\nstatus: proposed\ntitle: Pod Overhead\ncreation-date: 2026-12-07\nlast-updated: 2026-12-07\nauthors:\n  - \"@ada\"\n---\n"
        );
        assert_eq!(
            front_matter_block(&["title".into()], &META, Some("GEP-")),
            "---\ntitle: \"GEP-42: Pod Overhead\"\n---\n"
        );
    }

    #[test]
    fn a_metadata_file_modelled_on_an_existing_one() {
        let model = "apiVersion: internal.gateway.networking.k8s.io/v1alpha1\nkind: GEPDetails\nnumber: 91\nname: Old\nstatus: Standard\nauthors:\n  - someone\nfeatureNames:\n  - A\nrelationships:\n  extends:\n    - number: 1\n";
        let meta = NewMetadata { status: Some("Provisional"), ..META };
        assert_eq!(
            sidecar_from(model, &meta),
            "apiVersion: internal.gateway.networking.k8s.io/v1alpha1\nkind: GEPDetails\nnumber: 42\nname: Pod Overhead\nstatus: Provisional\nauthors:\n  - \"@ada\"\nfeatureNames: []\nrelationships: []\n"
        );
        assert_eq!(initial_status(["Standard", "Provisional"], &[]).as_deref(), Some("Provisional"));
        assert_eq!(initial_status(["implemented"], &["proposed".to_owned()]).as_deref(), Some("proposed"));
    }
}
