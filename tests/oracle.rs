//! What the differential tests against other TOC tools share: finding the tool in
//! `../shared/tools` (skipped where it, `../shared` or node is absent), a deterministic random
//! generator, and batches of documents written into one directory for one run of the tool.

use std::path::{Path, PathBuf};
use std::process::Command;

/// `../shared/tools/NAME/PROGRAM` if it is here and answers `probe` (a file it must accept).
/// A field repository of `../shared/corpus/field` unpacked into a temporary folder (its root
/// inside it), with its Markdown files whose text contains `marker` (lowercased when
/// `any_case`), sorted. `None`, said, where the archive is not here.
pub fn field_files(name: &str, marker: &str, any_case: bool) -> Option<(tempfile::TempDir, PathBuf, Vec<PathBuf>)> {
    let archive = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/field").join(format!("{name}.tar.gz"));
    let (dir, root) = unpack(&archive)?;
    let mut files = Vec::new();
    let mut pending = vec![root.clone()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).unwrap().flatten() {
            let path = entry.path();
            if entry.file_type().unwrap().is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "md")
                && std::fs::read_to_string(&path).is_ok_and(|text| {
                    if any_case { text.to_lowercase().contains(marker) } else { text.contains(marker) }
                })
            {
                files.push(path);
            }
        }
    }
    files.sort();
    Some((dir, root, files))
}

/// An archive of `../shared` unpacked into a temporary folder: the folder and its `repo/`
/// inside, where the archive's paths are. `None`, said, where it is not here or not readable.
pub fn unpack(archive: &Path) -> Option<(tempfile::TempDir, PathBuf)> {
    if !archive.exists() {
        eprintln!("skipped: {} is not here", archive.display());
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("repo");
    std::fs::create_dir_all(&root).unwrap();
    let unpacked = Command::new("tar").arg("-xzf").arg(archive).arg("-C").arg(&root).status();
    if !unpacked.is_ok_and(|s| s.success()) {
        eprintln!("skipped: cannot unpack {}", archive.display());
        return None;
    }
    Some((dir, root))
}

pub fn tool(name: &str, program: &str, probe_args: &[&str]) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tools").join(name).join(program);
    if !path.exists() {
        eprintln!("skipped: {} is not here", path.display());
        return None;
    }
    let dir = tempfile::tempdir().ok()?;
    let probe = dir.path().join("probe.md");
    std::fs::write(&probe, "# a\n\n## b\n").ok()?;
    match Command::new(&path).args(probe_args).arg(&probe).output() {
        Ok(output) if output.status.success() => Some(path),
        _ => {
            eprintln!("skipped: {} does not run here (is node on PATH?)", path.display());
            None
        }
    }
}

/// A small deterministic generator (xorshift), so that a failure names a reproducible document.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// Pieces of heading text: Unicode (non-Latin, emoji), entities, escapes, code spans with edge
/// spaces, emphasis, links, images, inline HTML, URLs, and the punctuation anchors treat apart.
pub const PIECES: &[&str] = &[
    "Pod",
    "Overhead",
    "Summary",
    "echo",
    "echo 1",
    "echo-1",
    "Über",
    "Привет мир",
    "日本語",
    "中文（简体）",
    "café",
    "naïve",
    "Straße",
    "ΣΑΣ",
    "İstanbul",
    "snake_case",
    "_under_",
    "__dunder__",
    "a-b",
    "A -> B",
    "x & y",
    "x &amp; y",
    "&copy;",
    "&#169;",
    "&lt;tag&gt;",
    "100%",
    "%20",
    "`code`",
    "` edge `",
    "`  spaced  `",
    "`` a ` b ``",
    "*em*",
    "_em_",
    "**strong**",
    "***both***",
    "~~del~~",
    "a*b*c",
    "[link](http://x.io)",
    "[link *em*](u \"t\")",
    "[ref]",
    "[text][ref]",
    "![alt](img.png)",
    "[![img](i.png)](u)",
    "<b>bold</b>",
    "<span>in</span>",
    "<http://auto.link>",
    "https://bare.link/a_b",
    "\\*",
    "\\_",
    "\\[x\\]",
    "\\#",
    "C#",
    "C++",
    "{#custom-id}",
    "$x$",
    "'quote'",
    "\"dq\"",
    "(paren)",
    "[optional]",
    "1.5",
    "v1.21",
    "Q&A",
    "—",
    "–",
    "…",
    "✅",
    "🚀",
    "⚠️",
    "👩‍💻",
    "🇺🇸",
    "1️⃣",
    "©",
    "a/b",
    "a: b",
    "a; b",
    "?!",
    "~tilde~",
    "^caret",
    "|pipe|",
    "@user",
    "Done.",
    "-",
    "--",
    "---",
];

/// A heading's text: one to three pieces, or an earlier heading's text again.
pub fn title(rng: &mut Rng, titles: &mut Vec<String>) -> String {
    let title = if !titles.is_empty() && rng.one_in(5) {
        titles[rng.below(titles.len())].clone()
    } else {
        (0..1 + rng.below(3)).map(|_| rng.pick(PIECES)).collect::<Vec<_>>().join(" ")
    };
    titles.push(title.clone());
    title
}

/// One block after the TOC: headings of every form (ATX, closed, setext, indented, in lists and
/// quotes, not quite headings), and the blocks around them. `level`: the previous heading's; most
/// documents go one level down or up at a time, as proposals do, some jump anywhere.
pub fn block(rng: &mut Rng, titles: &mut Vec<String>, level: &mut usize, doc: &mut String) {
    let t = title(rng, titles);
    // A title that starts a block of its own makes a list or quote of its line.
    let t = if t.starts_with(['>', '*', '-', '+', '|', '<']) || t.starts_with(char::is_numeric) {
        format!("x {t}")
    } else {
        t
    };
    *level = match rng.below(10) {
        0 | 1 => 1 + rng.below(6),
        2 | 3 => (*level + 1).min(6),
        4 | 5 => level.saturating_sub(1).max(1),
        _ => *level,
    };
    let hashes = "#".repeat(*level);
    let heading = match rng.below(14) {
        0 => format!("{t}\n{}\n", if rng.one_in(2) { "===" } else { "---" }),
        1 => format!("{hashes} {t} {}\n", "#".repeat(1 + rng.below(3))),
        2 => format!("{}{hashes} {t}\n", " ".repeat(1 + rng.below(3))),
        3 => format!("- {hashes} {t}\n"),
        4 => format!("> {hashes} {t}\n"),
        5 => format!("{hashes}{t}\n"),
        6 => format!("{hashes} {t}   \n"),
        7 => format!("{t}  \nsecond line\n---\n"),
        8 => format!("{hashes}\t{t}\n"),
        _ => format!("{hashes} {t}\n"),
    };
    doc.push_str(&heading);
    doc.push('\n');
    match rng.below(16) {
        0 => doc.push_str("Some *text* with <b>inline</b> HTML & `code`.\n\n"),
        1 => doc.push_str(rng.pick(&["---\n\n", "***\n\n", "___\n\n", "- - -\n\n", "* * *\n\n"])),
        2 => doc.push_str("```\n# not a heading\n```\n\n"),
        3 => doc.push_str("| a | b |\n|---|---|\n| 1 | 2 |\n\n"),
        4 => doc.push_str("<details>\n<summary>More</summary>\n\n## Inside details\n\n</details>\n\n"),
        5 => {
            let level = 1 + rng.below(5);
            let text = rng.pick(&["Html Title", "Html &amp; Title", "Über <em>uns</em>", "Same Line"]);
            let id = if rng.one_in(2) { " id=\"custom-id\"" } else { "" };
            doc.push_str(&format!("<h{level}{id}>{text}</h{level}>\n\n"));
        }
        6 => doc.push_str("<!-- a comment -->\n\n"),
        7 => doc.push_str("[ref]: http://ref.io \"Ref\"\n\n"),
        8 => doc.push_str("- item\n- item\n\n"),
        9 => doc.push_str("> quoted\n> text\n\n"),
        10 => doc.push_str("Text\n---\n\n"),
        11 => doc.push_str("<div>\n\n# In a div\n\n</div>\n\n"),
        _ => {}
    }
}

/// Converts `\n` line endings to `\r\n`.
pub fn crlf(text: &str) -> String {
    text.replace('\n', "\r\n")
}

/// Writes each document as `NNNNN.md` into one new directory per `batch` documents.
pub fn write_batches(dir: &Path, documents: &[String], batch: usize) -> Vec<(PathBuf, Vec<PathBuf>)> {
    documents
        .chunks(batch)
        .enumerate()
        .map(|(b, chunk)| {
            let batch_dir = dir.join(format!("batch{b:03}"));
            std::fs::create_dir_all(&batch_dir).unwrap();
            let paths = chunk
                .iter()
                .enumerate()
                .map(|(i, doc)| {
                    let path = batch_dir.join(format!("{:05}.md", b * batch + i));
                    std::fs::write(&path, doc).unwrap();
                    path
                })
                .collect();
            (batch_dir, paths)
        })
        .collect()
}
