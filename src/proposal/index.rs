//! An index of the proposals kept fresh: a table between `<!-- kep-index -->` and
//! `<!-- /kep-index -->` in any file, one row per proposal from a row template
//! (`kep.indexRow`, e.g. `|[TEP-{number:04}]({path}) | {title} | {status} | {last-updated|creation-date} |`).
//! The lines of the block up to its separator row (`|---|`) are its header, kept as written.
//! Pure: the file's text and the proposals' fields in, the new text out.

/// The index markers, each on a line of its own.
pub const START: &str = "<!-- kep-index -->";
pub const END: &str = "<!-- /kep-index -->";

/// The row template without `kep.indexRow`.
pub const DEFAULT_ROW: &str = "| [{number}]({path}) | {title} | {status} |";
const DEFAULT_HEADER: &str = "| Number | Title | Status |\n|---|---|---|\n";

/// One proposal as a row sees it: its fields by name (`number`, `title`, `status`, any metadata
/// key), `path` already relative to the index file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Row {
    pub number: Option<u64>,
    pub fields: Vec<(String, String)>,
}

impl Row {
    fn get(&self, key: &str) -> Option<&str> {
        self.fields.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str()).filter(|v| !v.is_empty())
    }
}

/// A proposal's row from its texts: its main document and its metadata file (`kep.yaml`,
/// `metadata.yaml`) where it has one, with the number and group its path gives and `path` as a
/// link from the index file's folder `index_dir` (work-tree relative, "" for the root).
pub fn row(
    number: Option<u64>,
    group: Option<&str>,
    path: &str,
    index_dir: &str,
    text: Option<&str>,
    sidecar: Option<&str>,
) -> Row {
    use super::metadata_sources::{Metadata, parse_leniently};
    let file = sidecar.map(parse_leniently);
    let metadata = Metadata::read(file.as_ref(), text);
    let mut fields: Vec<(String, String)> =
        metadata.fields.iter().map(|(key, value, _)| (key.clone(), value.scalars().join(", "))).collect();
    let title = metadata
        .text("title")
        .map(str::to_owned)
        .or_else(|| text.and_then(super::scaffold::first_h1).map(str::to_owned));
    fields.retain(|(key, _)| key != "title");
    fields.push(("title".to_owned(), title.unwrap_or_default()));
    fields.push(("path".to_owned(), relative_to(index_dir, path)));
    if let Some(group) = group {
        fields.push(("group".to_owned(), group.to_owned()));
    }
    Row { number, fields }
}

/// `path` as a link from a file in `dir` (both work-tree relative).
fn relative_to(dir: &str, path: &str) -> String {
    let from: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    let to: Vec<&str> = path.split('/').collect();
    let shared = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<&str> = vec![".."; from.len() - shared];
    parts.extend(&to[shared..]);
    parts.join("/")
}

/// The rows of the block (its body after the header), `None` without a well-formed block: what
/// git-kep writes there, to tell an edit inside it from one elsewhere.
pub fn block_rows(text: &str) -> Option<&str> {
    let (start, end) = block(text).ok()??;
    let body = &text[start..end];
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        offset += line.len();
        if is_separator(line.trim()) {
            return Some(&body[offset..]);
        }
    }
    Some(body)
}

/// Whether `text` holds an index block (its start marker on a line of its own, or about to be).
pub fn has_block(text: &str) -> bool {
    text.contains(START)
}

/// Why an index block cannot be refreshed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexError {
    pub line: usize,
    pub message: String,
}

/// The text with its index block refreshed: `Ok(None)` without markers or when it is fresh.
pub fn refresh(text: &str, rows: &[Row], template: &str) -> Result<Option<String>, IndexError> {
    let Some((body_start, body_end)) = block(text)? else { return Ok(None) };
    let body = &text[body_start..body_end];
    let newline = if text[..body_start].ends_with("\r\n") { "\r\n" } else { "\n" };
    // The header: the lines up to and including the separator row, as written.
    let mut header_len = 0;
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        offset += line.len();
        if is_separator(line.trim()) {
            header_len = offset;
            break;
        }
    }
    let header = if header_len > 0 { body[..header_len].to_owned() } else { DEFAULT_HEADER.replace('\n', newline) };
    let mut sorted: Vec<&Row> = rows.iter().collect();
    sorted.sort_by(|a, b| (a.number, a.get("path")).cmp(&(b.number, b.get("path"))));
    let mut fresh = header;
    for row in sorted {
        fresh.push_str(&render(template, row));
        fresh.push_str(newline);
    }
    if fresh == body {
        return Ok(None);
    }
    Ok(Some(format!("{}{fresh}{}", &text[..body_start], &text[body_end..])))
}

/// The byte range of the block's body (between the marker lines); `None` without markers.
fn block(text: &str) -> Result<Option<(usize, usize)>, IndexError> {
    let line_of = |offset: usize| text[..offset].matches('\n').count() + 1;
    let mut start = None;
    for (line_start, line_end, is_start) in marker_lines(text) {
        if is_start {
            if start.is_some() {
                return Err(IndexError {
                    line: line_of(line_start),
                    message: format!("a second `{START}` before `{END}`"),
                });
            }
            start = Some((line_start, line_end));
        } else {
            return match start {
                Some((_, body_start)) => Ok(Some((body_start, line_start))),
                None => Err(IndexError {
                    line: line_of(line_start),
                    message: format!("`{END}` comes before any `{START}`"),
                }),
            };
        }
    }
    match start {
        Some((line_start, _)) => Err(IndexError {
            line: line_of(line_start),
            message: format!("`{START}` has no matching `{END}` after it"),
        }),
        None => Ok(None),
    }
}

/// The index marker lines, as HTML comments of their own outside code, quotes and lists (where
/// a marker is text someone wrote, say documenting git-kep): each line's start, its end (after
/// the newline) and whether it starts a block.
fn marker_lines(text: &str) -> Vec<(usize, usize, bool)> {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let mut found = Vec::new();
    if !text.contains(START) && !text.contains(END) {
        return found;
    }
    let mut containers = 0usize;
    for (event, range) in Parser::new(text).into_offset_iter() {
        match event {
            Event::Start(Tag::List(_) | Tag::Item | Tag::BlockQuote(_) | Tag::FootnoteDefinition(_)) => {
                containers += 1;
            }
            Event::End(TagEnd::List(_) | TagEnd::Item | TagEnd::BlockQuote(_) | TagEnd::FootnoteDefinition) => {
                containers = containers.saturating_sub(1);
            }
            Event::Html(_) if containers == 0 => {
                let mut offset = range.start;
                for line in text[range.clone()].split_inclusive('\n') {
                    let kind = match line.trim() {
                        trimmed if trimmed == START => Some(true),
                        trimmed if trimmed == END => Some(false),
                        _ => None,
                    };
                    // A line of its own: from the start of the line in the text.
                    let at_line_start = offset == 0 || text.as_bytes()[offset - 1] == b'\n';
                    if let (Some(is_start), true) = (kind, at_line_start) {
                        let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i + 1);
                        if found.last().is_none_or(|&(last, _, _)| last != offset) {
                            found.push((offset, end, is_start));
                        }
                    }
                    offset += line.len();
                }
            }
            _ => {}
        }
    }
    found
}

fn is_separator(line: &str) -> bool {
    line.starts_with('|') && line.contains("---") && line.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
}

/// A row: each `{field}`, `{field:04}` (a number padded) or `{a|b}` (the first that is set)
/// replaced by its value (`|` in values escaped as the table needs).
pub fn render(template: &str, row: &Row) -> String {
    let mut out = String::with_capacity(template.len() + 64);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}').map(|i| open + i) else {
            out.push_str(&rest[open..]);
            return out;
        };
        let spec = &rest[open + 1..close];
        let (names, width) = match spec.split_once(':') {
            Some((names, width)) => (names, width.parse::<usize>().ok()),
            None => (spec, None),
        };
        let value = names.split('|').find_map(|name| {
            if name == "number" { row.number.map(|n| n.to_string()) } else { row.get(name).map(str::to_owned) }
        });
        let value = value.unwrap_or_default();
        match width {
            Some(width) if value.bytes().all(|b| b.is_ascii_digit()) && !value.is_empty() => {
                out.push_str(&format!("{value:0>width$}"));
            }
            _ => out.push_str(&value.replace('|', "\\|").replace('\n', " ")),
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(number: u64, fields: &[(&str, &str)]) -> Row {
        Row { number: Some(number), fields: fields.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect() }
    }

    #[test]
    fn paths_are_relative_to_the_index() {
        assert_eq!(relative_to("teps", "teps/0001-a.md"), "0001-a.md");
        assert_eq!(relative_to("", "teps/0001-a.md"), "teps/0001-a.md");
        assert_eq!(relative_to("docs/index", "keps/sig-a/1-x/README.md"), "../../keps/sig-a/1-x/README.md");
    }

    #[test]
    fn a_table_in_the_repositorys_own_shape() {
        let template = "|[TEP-{number:04}]({path}) | {title} | {status} | {last-updated|creation-date} |";
        let text =
            "# TEPs\n\n<!-- kep-index -->\n| TEP  | Title |\n|------|-------|\n|stale|\n<!-- /kep-index -->\nAfter.\n";
        let rows = [
            row(
                2,
                &[("path", "0002-b.md"), ("title", "B | b"), ("status", "proposed"), ("creation-date", "2020-01-02")],
            ),
            row(1, &[("path", "0001-a.md"), ("title", "A"), ("status", "implemented"), ("last-updated", "2021-01-01")]),
        ];
        let fresh = refresh(text, &rows, template).unwrap().unwrap();
        assert_eq!(
            fresh,
            "# TEPs\n\n<!-- kep-index -->\n| TEP  | Title |\n|------|-------|\n|[TEP-0001](0001-a.md) | A | implemented | 2021-01-01 |\n|[TEP-0002](0002-b.md) | B \\| b | proposed | 2020-01-02 |\n<!-- /kep-index -->\nAfter.\n"
        );
        assert_eq!(refresh(&fresh, &rows, template), Ok(None), "fresh");
        assert_eq!(refresh("# No index\n", &rows, template), Ok(None));
    }

    #[test]
    fn an_empty_block_gets_a_header_and_broken_markers_say_where() {
        let fresh = refresh(
            "<!-- kep-index -->\n<!-- /kep-index -->\n",
            &[row(7, &[("path", "x.md"), ("title", "X")])],
            DEFAULT_ROW,
        );
        assert_eq!(
            fresh.unwrap().unwrap(),
            "<!-- kep-index -->\n| Number | Title | Status |\n|---|---|---|\n| [7](x.md) | X |  |\n<!-- /kep-index -->\n"
        );
        assert_eq!(refresh("a\n<!-- kep-index -->\n", &[], DEFAULT_ROW).unwrap_err().line, 2);
        assert_eq!(refresh("<!-- /kep-index -->\n", &[], DEFAULT_ROW).unwrap_err().line, 1);
    }

    #[test]
    fn markers_in_code_quotes_and_lists_are_text() {
        let rows = [row(7, &[("path", "x.md"), ("title", "X")])];
        for text in [
            "```\n<!-- kep-index -->\n<!-- /kep-index -->\n```\n",
            "    <!-- kep-index -->\n    <!-- /kep-index -->\n",
            "> <!-- kep-index -->\n> <!-- /kep-index -->\n",
            "- <!-- kep-index -->\n- <!-- /kep-index -->\n",
            "Use `<!-- kep-index -->` and `<!-- /kep-index -->`.\n",
        ] {
            assert_eq!(refresh(text, &rows, DEFAULT_ROW), Ok(None), "{text:?}");
        }
        // Right under a table row and text: still markers (an HTML comment interrupts both).
        let text = "Intro\n<!-- kep-index -->\n|A|\n|---|\n|old|\n<!-- /kep-index -->\nAfter\n";
        assert_eq!(
            refresh(text, &rows, "|{title}|").unwrap().unwrap(),
            "Intro\n<!-- kep-index -->\n|A|\n|---|\n|X|\n<!-- /kep-index -->\nAfter\n"
        );
    }
}
