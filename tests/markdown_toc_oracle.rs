//! Differential tests: the markdown-toc style against markdown-toc 1.2.0 itself
//! (`../shared/tools`), on generated documents (the field has no markdown-toc TOC). Its command
//! line takes one file; a small driver gives many files to its `insert`, as `markdown-toc -i`
//! does, in one node process per batch. Skipped where `../shared` or node is absent.

use crate::oracle::{self, Rng};
use git_kep::toc::styles::markdown_toc::{self, Insert};
use git_kep::toc::{self, MarkdownTocOptions, Outcome, TocOptions};
use std::path::{Path, PathBuf};
use std::process::Command;

const OPTION_SETS: &[&str] = &[
    "",
    "--maxdepth 3",
    "--no-firsth1",
    "--bullets '*'",
    "--no-firsth1 --maxdepth 2 --bullets '*' --bullets '-'",
    "--indent '    ' --maxdepth 4",
];

/// `markdown-toc -i` on every file named: the CLI's own steps (minimist with its options, then
/// `insert` and a write), for many files in one process; files it throws on are listed.
const DRIVER: &str = r#"
const dir = process.argv[2];
const toc = require(dir + "/node_modules/markdown-toc");
const minimist = require(dir + "/node_modules/minimist");
const fs = require("fs");
const args = minimist(JSON.parse(process.argv[3]), {
  boolean: ["i", "json", "firsth1", "stripHeadingTags"], string: ["append", "bullets"],
  default: { firsth1: true, stripHeadingTags: true } });
for (const file of process.argv.slice(4)) {
  try { fs.writeFileSync(file, toc.insert(fs.readFileSync(file).toString(), args)); }
  catch (e) { console.log("threw: " + file); }
}
"#;

fn markdown_toc() -> Option<PathBuf> {
    oracle::tool("markdown-toc-1.2.0", "markdown-toc", &[])?;
    Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/markdown-toc-1.2.0"))
}

/// Runs markdown-toc's `insert` on the files, in place; the files it threw on.
fn run(tool: &Path, driver: &Path, args: &str, files: &[PathBuf]) -> Vec<PathBuf> {
    let words: Vec<String> = shell_split(args);
    let output = Command::new("node")
        .arg(driver)
        .arg(tool)
        .arg(serde_json::to_string(&words).unwrap())
        .args(files)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|l| l.strip_prefix("threw: "))
        .map(PathBuf::from)
        .collect()
}

fn shell_split(args: &str) -> Vec<String> {
    let output = Command::new("sh").arg("-c").arg(format!("printf '%s\\0' {args}")).output().unwrap();
    String::from_utf8(output.stdout).unwrap().split('\0').filter(|w| !w.is_empty()).map(str::to_owned).collect()
}

/// The TOC markers (and what is between them) a document has, in markdown-toc's style.
fn markers(rng: &mut Rng) -> String {
    let body = match rng.below(4) {
        0 => String::new(),
        1 => "\n- [Old](#old)\n  * [Gone](#gone)\n\n".to_owned(),
        2 => "\n\n".to_owned(),
        _ => "- [Old](#old)\n".to_owned(),
    };
    match rng.below(10) {
        0 => String::new(),
        1 => "<!-- toc -->\n\n".to_owned(),
        2 => format!("  <!-- toc -->\n{body}<!-- tocstop -->  \n\n"),
        3 => format!("<!-- toc -->\n{body}<!-- toc stop -->\n\n"),
        _ => format!("<!-- toc -->\n{body}<!-- tocstop -->\n\n"),
    }
}

fn document(rng: &mut Rng) -> String {
    let mut doc = String::new();
    if rng.one_in(100) {
        doc.push('\u{feff}');
    }
    if rng.one_in(20) {
        doc.push_str("---\ntitle: x\n---\n\n");
    }
    let mut titles = Vec::new();
    if rng.one_in(2) {
        doc.push_str(&format!("# {}\n\n", oracle::title(rng, &mut titles)));
    }
    doc.push_str(&markers(rng));
    let mut level = 2;
    for _ in 0..rng.below(9) {
        oracle::block(rng, &mut titles, &mut level, &mut doc);
    }
    if rng.one_in(10) { oracle::crlf(&doc) } else { doc }
}

#[test]
fn markdown_toc_style_writes_what_markdown_toc_writes_on_generated_documents() {
    let Some(tool) = markdown_toc() else { return };
    let dir = tempfile::tempdir().unwrap();
    let driver = dir.path().join("driver.js");
    std::fs::write(&driver, DRIVER).unwrap();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ 0x1234);
    let count = std::env::var("MARKDOWN_TOC_ORACLE_COUNT").ok().and_then(|n| n.parse().ok()).unwrap_or(10_000usize);
    let per_set = count.div_ceil(OPTION_SETS.len());
    let mut differences = Vec::new();
    let (mut documents_seen, mut rewritten, mut settled_later, mut accepted, mut unmatched) = (0, 0, 0, 0, 0);
    let mut reasons: std::collections::BTreeMap<String, usize> = Default::default();
    for (set, args) in OPTION_SETS.iter().enumerate() {
        let options = TocOptions::markdown_toc(MarkdownTocOptions::from_args(args).unwrap());
        let documents: Vec<String> = (0..per_set).map(|_| document(&mut rng)).collect();
        let batches = oracle::write_batches(&dir.path().join(format!("set{set}")), &documents, 1000);
        let mut threw = Vec::new();
        for (_, paths) in &batches {
            threw.extend(run(&tool, &driver, args, paths));
        }
        let paths: Vec<&PathBuf> = batches.iter().flat_map(|(_, paths)| paths).collect();
        let mut ours_written = Vec::new();
        for (path, doc) in paths.iter().zip(&documents) {
            documents_seen += 1;
            let shown = format!("[{args}] {}", path.display());
            let theirs = std::fs::read_to_string(path).unwrap();
            let first_run = markdown_toc::insert(doc, &options.markdown_toc);
            let verdict = toc::regenerate(doc, &options);
            if threw.contains(path) {
                if first_run.is_ok() {
                    differences.push(format!("{shown}: markdown-toc throws, git-kep does not:\n{doc}\n"));
                }
                continue;
            }
            match &first_run {
                Ok(Insert::Text(new)) if *new != theirs => {
                    differences.push(format!("{shown}:\n{doc}\n--- ours:\n{new}\n--- markdown-toc:\n{theirs}\n"));
                    continue;
                }
                Ok(Insert::NoMarkers) => {}
                Ok(Insert::Text(_) | Insert::Unmatched(_)) => {}
                Err(err) => {
                    differences.push(format!("{shown}: git-kep fails ({err}), markdown-toc does not:\n{doc}\n"))
                }
            }
            match verdict {
                Ok(Outcome::Stale(new)) => {
                    rewritten += 1;
                    settled_later += usize::from(new != theirs);
                    ours_written.push(new);
                }
                Ok(Outcome::Unmatched { reason, .. }) => {
                    unmatched += 1;
                    *reasons.entry(reason).or_default() += 1;
                    if std::env::var_os("MARKDOWN_TOC_ORACLE_UNMATCHED").is_some() {
                        eprintln!("UNMATCHED {shown}:\n{doc}\n--- markdown-toc:\n{theirs}\n=====");
                    }
                    if theirs == *doc {
                        differences.push(format!("{shown}: unmatched where markdown-toc changes nothing:\n{doc}\n"));
                    }
                }
                Ok(Outcome::Fresh) if theirs != *doc => {
                    differences.push(format!("{shown}: fresh for git-kep, markdown-toc changes it:\n{doc}\n"))
                }
                _ => {}
            }
        }
        // What git-kep writes, markdown-toc leaves as it is.
        let ours_dir = dir.path().join(format!("ours{set}"));
        std::fs::create_dir_all(&ours_dir).unwrap();
        let ours_paths: Vec<PathBuf> = (0..ours_written.len()).map(|i| ours_dir.join(format!("{i:05}.md"))).collect();
        for (path, text) in ours_paths.iter().zip(&ours_written) {
            std::fs::write(path, text).unwrap();
        }
        for chunk in ours_paths.chunks(1000) {
            run(&tool, &driver, args, chunk);
        }
        for (path, text) in ours_paths.iter().zip(&ours_written) {
            if std::fs::read_to_string(path).unwrap() == *text {
                accepted += 1;
            } else {
                differences.push(format!("[{args}] markdown-toc changes what git-kep wrote:\n{text}\n"));
            }
        }
    }
    if let Some(dump) = std::env::var_os("MARKDOWN_TOC_ORACLE_DUMP") {
        std::fs::write(dump, differences.join("\n=====\n")).unwrap();
    }
    eprintln!(
        "markdown-toc: {documents_seen} documents; git-kep rewrote {rewritten} ({settled_later} settled after more \
         than one run), markdown-toc leaves {accepted} of them as they are; {unmatched} left unmatched {reasons:?}; \
         {} differences",
        differences.len()
    );
    assert!(
        differences.is_empty(),
        "{} of {documents_seen} documents differ; the first:\n{}",
        differences.len(),
        differences.first().map_or("", String::as_str)
    );
}
