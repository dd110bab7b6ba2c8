//! What the differential targets share: the reference tools in `../shared/tools` (beside the
//! repository; `GIT_KEP_SHARED_TOOLS` names another folder), and a long-lived node process that
//! runs doctoc's or markdown-toc's own code on each document (`fuzz/oracles/*-server.js`, whose
//! protocol is in `framing.js`): one process for the whole run, not one per input.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

/// `../shared/tools/NAME` (from the repository's root).
pub fn tool_dir(name: &str) -> PathBuf {
    let tools = std::env::var_os("GIT_KEP_SHARED_TOOLS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/tools")));
    let dir = tools.join(name);
    assert!(dir.is_dir(), "{} is not here: this target compares git-kep with that tool", dir.display());
    dir
}

/// What one run of the tool did.
#[derive(Debug, PartialEq, Eq)]
pub enum Run {
    /// The file after the tool (the document itself where it left it alone).
    Wrote(String),
    /// The tool threw (what it said).
    Threw(String),
}

/// A node process answering for one tool (`SCRIPT TOOL_DIR`).
pub struct NodeOracle {
    child: Child,
    stdin: ChildStdin,
    stdout: ChildStdout,
}

impl NodeOracle {
    /// Starts `node fuzz/oracles/SCRIPT TOOL_DIR`.
    pub fn start(script: &str, tool: &str) -> NodeOracle {
        let script = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/oracles")).join(script);
        let mut child = Command::new("node")
            .arg(&script)
            .arg(tool_dir(tool))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|err| panic!("node {}: {err} (is node on PATH?)", script.display()));
        let stdin = child.stdin.take().expect("piped");
        let stdout = child.stdout.take().expect("piped");
        NodeOracle { child, stdin, stdout }
    }

    /// The tool run with the command-line `words` on `document`.
    pub fn run(&mut self, words: &[String], document: &str) -> Run {
        let args = json_strings(words);
        let mut request = Vec::with_capacity(8 + args.len() + document.len());
        for field in [args.as_bytes(), document.as_bytes()] {
            request.extend_from_slice(&u32::try_from(field.len()).expect("small").to_le_bytes());
            request.extend_from_slice(field);
        }
        self.stdin.write_all(&request).and_then(|()| self.stdin.flush()).unwrap_or_else(|err| self.died(err));
        let mut header = [0u8; 5];
        self.stdout.read_exact(&mut header).unwrap_or_else(|err| self.died(err));
        let length = u32::from_le_bytes(header[1..].try_into().expect("4 bytes")) as usize;
        let mut text = vec![0; length];
        self.stdout.read_exact(&mut text).unwrap_or_else(|err| self.died(err));
        let text = String::from_utf8(text).expect("the server writes UTF-8");
        match header[0] {
            0 => Run::Wrote(text),
            _ => Run::Threw(text),
        }
    }

    fn died(&mut self, err: std::io::Error) -> ! {
        let status = self.child.try_wait();
        panic!("the oracle's node process stopped answering ({err}; {status:?}): not a difference, see its stderr");
    }
}

/// A JSON array of strings.
fn json_strings(words: &[String]) -> String {
    let mut json = String::from("[");
    for (i, word) in words.iter().enumerate() {
        if i > 0 {
            json.push(',');
        }
        json.push('"');
        for c in word.chars() {
            match c {
                '"' => json.push_str("\\\""),
                '\\' => json.push_str("\\\\"),
                c if u32::from(c) < 0x20 => json.push_str(&format!("\\u{:04x}", u32::from(c))),
                c => json.push(c),
            }
        }
        json.push('"');
    }
    json.push(']');
    json
}

/// The words of a command line as `sh` splits it, for the option sets here: white space and
/// single quotes only (anything else a shell would read otherwise is refused).
pub fn shell_words(line: &str) -> Vec<String> {
    assert!(!line.contains(['"', '\\', '$', '`']), "only single quotes here: {line}");
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '\'' => {
                quoted = !quoted;
                word.get_or_insert_with(String::new);
            }
            ' ' if !quoted => words.extend(word.take()),
            c => word.get_or_insert_with(String::new).push(c),
        }
    }
    assert!(!quoted, "an unclosed quote: {line}");
    words.extend(word);
    words
}
