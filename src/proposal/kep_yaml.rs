//! A proposal's `kep.yaml`, read with yaml-rust2: its top-level keys, each with its value and the
//! line and column where the key is written (YAML comments are the parser's to drop). Pure.

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// A YAML value, as far as proposal metadata needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// `~`, `null` or nothing.
    Null,
    Scalar(String),
    List(Vec<Value>),
    Map(Vec<(String, Value)>),
}

impl Value {
    /// The value as text, if it is a scalar.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Scalar(text) => Some(text),
            _ => None,
        }
    }

    /// Every scalar in the value (a scalar itself, or a list's).
    pub fn scalars(&self) -> Vec<&str> {
        match self {
            Value::Scalar(text) => vec![text],
            Value::List(items) => items.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        }
    }
}

/// A top-level key of the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub key: String,
    pub value: Value,
    /// 1-based.
    pub line: usize,
    pub column: usize,
}

/// The document's top-level mapping.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KepYaml {
    pub fields: Vec<Field>,
}

/// A YAML syntax error, at its 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl KepYaml {
    pub fn parse(text: &str) -> Result<KepYaml, SyntaxError> {
        match Self::parse_strictly(text) {
            // libyaml, and so Go's yaml.v3 that kubernetes/enhancements reads kep.yaml with,
            // accepts a flow collection whose later lines start at column 0 (`]` alone on its
            // line); YAML 1.2, and yaml-rust2, want them indented. Read as libyaml reads it.
            Err(err) if err.message.contains("indentation") => match Self::parse_strictly(&flow_lines_indented(text)) {
                Ok(kep) => Ok(kep),
                Err(_) => Err(err),
            },
            other => other,
        }
    }

    fn parse_strictly(text: &str) -> Result<KepYaml, SyntaxError> {
        let mut builder = Builder::default();
        Parser::new_from_str(text).load(&mut builder, false).map_err(|err| SyntaxError {
            line: err.marker().line(),
            column: err.marker().col() + 1,
            message: err.info().to_owned(),
        })?;
        Ok(KepYaml { fields: builder.fields })
    }

    pub fn get(&self, key: &str) -> Option<&Field> {
        self.fields.iter().find(|field| field.key == key)
    }

    /// A key's value as text (`None`: absent, null or not a scalar).
    pub fn text(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(|field| field.value.as_str())
    }
}

/// `text` with each line that continues a flow collection (`[`, `{` still open) and starts at
/// column 0 indented by one space: the same lines, so positions keep their line.
fn flow_lines_indented(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut depth = 0usize;
    for line in text.split_inclusive('\n') {
        if depth > 0 && !line.starts_with([' ', '\t', '\n', '\r']) {
            out.push(' ');
        }
        out.push_str(line);
        let mut quote = None;
        for c in line.chars() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '#') => break,
                (None, '[' | '{') => depth += 1,
                (None, ']' | '}') => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
    }
    out
}

/// Builds values from the parser's events: a stack of open lists and maps.
#[derive(Default)]
struct Builder {
    fields: Vec<Field>,
    /// Open containers; a map holds its pending key (and where it was written).
    stack: Vec<Open>,
}

enum Open {
    List(Vec<Value>),
    Map { entries: Vec<(String, Value)>, pending_key: Option<(String, Marker)> },
}

impl Builder {
    fn add(&mut self, value: Value, mark: Marker) {
        let depth = self.stack.len();
        match self.stack.last_mut() {
            None => {}
            Some(Open::List(items)) => items.push(value),
            Some(Open::Map { entries, pending_key }) => match pending_key.take() {
                None => {
                    // A key: scalar keys as written, others as their text.
                    let key = match value {
                        Value::Scalar(text) => text,
                        other => format!("{other:?}"),
                    };
                    *pending_key = Some((key, mark));
                }
                Some((key, at)) => {
                    if depth == 1 {
                        self.fields.push(Field {
                            key: key.clone(),
                            value: value.clone(),
                            line: at.line(),
                            column: at.col() + 1,
                        });
                    }
                    entries.push((key, value));
                }
            },
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, event: Event, mark: Marker) {
        match event {
            Event::Scalar(text, style, _, _) => {
                let null = style == TScalarStyle::Plain && matches!(text.as_str(), "" | "~" | "null" | "Null" | "NULL");
                self.add(if null { Value::Null } else { Value::Scalar(text) }, mark);
            }
            Event::SequenceStart(..) => self.stack.push(Open::List(Vec::new())),
            Event::MappingStart(..) => self.stack.push(Open::Map { entries: Vec::new(), pending_key: None }),
            Event::SequenceEnd | Event::MappingEnd => {
                let value = match self.stack.pop() {
                    Some(Open::List(items)) => Value::List(items),
                    Some(Open::Map { entries, .. }) => Value::Map(entries),
                    None => return,
                };
                self.add(value, mark);
            }
            Event::Alias(_) => self.add(Value::Null, mark),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_values_and_positions_comments_dropped() {
        let yaml = "title: Pod Overhead\nkep-number: 0752\nstatus: implementable # Jumping over beta\nauthors:\n  - \"@a\"\n  - \"@b\"\nreplaces: []\nstage:\nmilestone:\n  alpha: v1.16\n";
        let kep = KepYaml::parse(yaml).unwrap();
        assert_eq!(kep.text("title"), Some("Pod Overhead"));
        assert_eq!(kep.text("kep-number"), Some("0752"));
        assert_eq!(kep.text("status"), Some("implementable"));
        assert_eq!(kep.get("authors").unwrap().value.scalars(), ["@a", "@b"]);
        assert_eq!(kep.get("replaces").unwrap().value, Value::List(Vec::new()));
        assert_eq!(kep.get("stage").unwrap().value, Value::Null);
        let status = kep.get("status").unwrap();
        assert_eq!((status.line, status.column), (3, 1));
        let Value::Map(milestone) = &kep.get("milestone").unwrap().value else { panic!() };
        assert_eq!(milestone[0], ("alpha".to_owned(), Value::Scalar("v1.16".to_owned())));
        assert_eq!(kep.fields.len(), 7, "nested keys are not top-level fields");
    }

    #[test]
    fn a_flow_list_closed_at_column_0_reads_as_libyaml_reads_it() {
        let yaml = "see-also: [\n  \"a.md\",\n  \"b.md\",\n]\nreplaces: []\nstage: beta\n";
        let kep = KepYaml::parse(yaml).unwrap();
        assert_eq!(kep.get("see-also").unwrap().value.scalars(), ["a.md", "b.md"]);
        assert_eq!(kep.get("stage").unwrap().line, 6);
    }

    #[test]
    fn syntax_errors_name_their_line() {
        let err = KepYaml::parse("title: a\nstatus: [unclosed\n").unwrap_err();
        assert!(err.line >= 2, "{err:?}");
    }
}
