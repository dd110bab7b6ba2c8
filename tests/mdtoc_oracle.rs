//! Differential tests: the html style against the real mdtoc v1.4.0 (`../shared/tools`), and at
//! the commit `b8c54a57` that jobset, lws and scheduler-plugins pin, on generated documents and
//! on scheduler-plugins' KEPs. Skipped where a binary (or `../shared`) is not here or cannot run.

use git_kep::toc::{self, Outcome, TocOptions, TocStyle};
use std::path::{Path, PathBuf};

/// The mdtoc binary, if it is here and runs on this machine.
pub fn mdtoc() -> Option<PathBuf> {
    mdtoc_at("mdtoc-v1.4.0")
}

/// The mdtoc binary of `../shared/tools/NAME`, if it is here and runs on this machine.
fn mdtoc_at(name: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tools").join(name).join("mdtoc");
    let dir = tempfile::tempdir().ok()?;
    let probe = dir.path().join("probe.md");
    std::fs::write(&probe, "<!-- toc -->\n<!-- /toc -->\n# a\n").ok()?;
    match std::process::Command::new(&path).arg(&probe).output() {
        Ok(output) if output.status.success() => Some(path),
        _ => {
            eprintln!("skipped: {} is not here or does not run here", path.display());
            None
        }
    }
}

/// A small deterministic generator (xorshift), so that a failure names a reproducible document.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// Pieces of heading text: what makes mdtoc and GitHub differ, and what makes mdtoc differ from
/// CommonMark (Unicode, entities, images, links, code spans, emphasis, HTML, escapes, URLs).
const PIECES: &[&str] = &[
    "Pod",
    "Overhead",
    "echo",
    "echo 1",
    "echo-1",
    "Über",
    "Привет мир",
    "日本語",
    "café",
    "naïve",
    "snake_case",
    "a-b",
    "A -> B",
    "x & y",
    "&amp;",
    "&copy;",
    "&#169;",
    "&#x41;",
    "&lt;",
    "&nbsp;",
    "&#0;",
    "&bogus;",
    "`code`",
    "`  spaced  `",
    "`` a ` b ``",
    "`   `",
    "*em*",
    "_em_",
    "**strong**",
    "__strong__",
    "***both***",
    "a*b*c",
    "a_b_c",
    "~~del~~",
    "~tilde~",
    "*open",
    "close*",
    "[link](http://x.io)",
    "[link *em*](u \"title\")",
    "[ref]",
    "[ref][]",
    "[text][ref]",
    "![alt](img.png)",
    "![alt *x*](i.png \"t\")",
    "![](empty.png)",
    "<b>bold</b>",
    "<span>in</span>",
    "<!-- c -->",
    "<http://auto.link>",
    "<a@b.io>",
    "http://bare.link.",
    "see https://x.io/a_(b)",
    "\\*",
    "\\_",
    "\\#",
    "\\\\",
    "C#",
    "{#custom-id}",
    "$x^2$",
    "'quote'",
    "\"dq\"",
    "(paren)",
    "1.5",
    "v1.21",
    "—",
    "–",
    "…",
    "\u{200b}",
    "K",
    "İ",
    "ß",
    "Ω",
    "[nested [brackets]](u)",
    "**bold *em* bold**",
    "`a`b`",
    "<",
    ">",
    "a <b",
    "&",
    "[",
    "]",
    "![a",
    "\\`",
    "__a_b__",
    "*",
    "_",
    "~~",
    "**",
    "x__y__z",
    "[a](<u v> \"t\")",
    "[a]( u )",
    "*[x](y)*",
    "**`c`**",
    "a&#45;b",
    "Cost \\$5",
    "[foo]() bar",
    "[](http://x.io) t",
    "mailto:a@b.io",
];

/// One generated document: a TOC, then headings (ATX of every level, setext, duplicates, with
/// closing `#`s) among paragraphs, code blocks, thematic breaks (which mmark's parser hook takes
/// for the start of a title block, up to the next `---`: kueue's KEP-77), tables and a reference
/// definition.
fn document(rng: &mut Rng) -> String {
    let mut doc = String::new();
    if rng.below(8) == 0 {
        doc.push_str("---\ntitle: x\n---\n");
    }
    if rng.below(4) == 0 {
        doc.push_str("# Title above\n\n");
    }
    doc.push_str("<!-- toc -->\n<!-- /toc -->\n\n");
    let mut titles: Vec<String> = Vec::new();
    for _ in 0..1 + rng.below(8) {
        let title = if !titles.is_empty() && rng.below(4) == 0 {
            titles[rng.below(titles.len())].clone()
        } else {
            (0..1 + rng.below(3)).map(|_| rng.pick(PIECES)).collect::<Vec<_>>().join(" ")
        };
        titles.push(title.clone());
        // A title that opens a block of its own (`> x`, `* x`) makes a quote or list of its
        // line, where gomarkdown nests blocks differently: outside what this test compares.
        let title = if title.starts_with(['>', '*', '-', '+']) { format!("x {title}") } else { title };
        match rng.below(13) {
            0 => doc.push_str(&format!("{title}\n{}\n\n", if rng.below(2) == 0 { "===" } else { "---" })),
            1 => doc.push_str(&format!("## {title} ##\n\n")),
            2 => doc.push_str(&format!("> ## {title}\n\n")),
            3 => doc.push_str(&format!(" ### {title}\n\n")),
            4 => doc.push_str(&format!("##{title}\n\n")),
            _ => doc.push_str(&format!("{} {title}\n\n", "#".repeat(1 + rng.below(6)))),
        }
        match rng.below(10) {
            0 => doc.push_str("Some *text* here.\n\n"),
            1 => doc.push_str("```\n# not a heading\n```\n\n"),
            2 => doc.push_str("- item\n- item\n\n"),
            7 => doc.push_str(&format!("Text right above\n> ## {title}\n\n")),
            3 => doc.push_str("---\n\n"),
            4 => doc.push_str("Text.\n\n----\n\n"),
            5 => doc.push_str("| a | b |\n|---|---|\n| 1 | 2 |\n\n"),
            6 => doc.push_str("a---b in a line\n\n"),
            _ => {}
        }
    }
    if rng.below(2) == 0 {
        doc.push_str("[ref]: http://ref.io \"Ref\"\n");
    }
    doc
}

/// The TOC body of a document whose TOC was regenerated (between the markers, trimmed).
fn toc_body(doc: &str) -> &str {
    let lower = doc.to_ascii_lowercase();
    let start = lower.find("<!-- toc -->").map_or(0, |at| at + "<!-- toc -->".len());
    let end = lower.find("<!-- /toc -->").unwrap_or(doc.len());
    doc[start..end].trim()
}

#[test]
fn html_style_writes_what_mdtoc_writes_on_generated_documents() {
    let Some(mdtoc) = mdtoc() else { return };
    differential(&mdtoc, TocStyle::Html);
}

#[test]
fn html_style_at_b8c54a57_writes_what_that_mdtoc_writes_on_generated_documents() {
    let Some(mdtoc) = mdtoc_at("mdtoc-b8c54a57") else { return };
    differential(&mdtoc, TocStyle::HtmlB8c54a57);
}

/// 10,000 generated documents, each regenerated by `mdtoc` and by git-kep's `style`: the TOCs
/// are the same.
fn differential(mdtoc: &Path, style: TocStyle) {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let documents: Vec<String> = (0..10_000).map(|_| document(&mut rng)).collect();
    let paths: Vec<PathBuf> = (0..documents.len()).map(|i| dir.path().join(format!("{i:05}.md"))).collect();
    for (path, doc) in paths.iter().zip(&documents) {
        std::fs::write(path, doc).unwrap();
    }
    for batch in paths.chunks(500) {
        let status = std::process::Command::new(mdtoc).arg("--inplace").args(batch).status().unwrap();
        assert!(status.success());
    }
    let options = TocOptions { style, ..TocOptions::mdtoc(6) };
    let mut differences = Vec::new();
    for (path, doc) in paths.iter().zip(&documents) {
        let theirs = std::fs::read_to_string(path).unwrap();
        let ours = match toc::regenerate(doc, &options) {
            Ok(Outcome::Stale(new)) => new,
            Ok(_) => doc.clone(),
            Err(err) => panic!("{}: {err}", path.display()),
        };
        if toc_body(&ours) != toc_body(&theirs) {
            differences.push(format!("{doc}\n--- ours:\n{}\n--- mdtoc:\n{}\n", toc_body(&ours), toc_body(&theirs)));
        }
    }
    // For working on the differences: every one of them, into a file.
    if let Some(dump) = std::env::var_os("MDTOC_ORACLE_DUMP") {
        std::fs::write(dump, differences.join("\n=====\n")).unwrap();
    }
    assert!(
        differences.is_empty(),
        "{style:?}: {} of {} documents differ; the first:\n{}",
        differences.len(),
        documents.len(),
        differences.first().map_or("", String::as_str)
    );
}

/// scheduler-plugins' CI (`hack/verify-toc.sh`) runs mdtoc at `b8c54a57` with `--inplace
/// --max-depth=5 --dryrun` over every `*.md`: on each file with markers, `git kep toc --check`
/// (html style, `kep.mdtocVersion = b8c54a57`) agrees with it, and `git kep toc` writes its TOC.
#[test]
fn html_style_at_b8c54a57_agrees_with_that_mdtoc_on_scheduler_plugins() {
    let Some(mdtoc) = mdtoc_at("mdtoc-b8c54a57") else { return };
    let Some((_dir, root, files)) = crate::oracle::field_files("scheduler-plugins", "<!-- toc -->", true) else {
        return;
    };
    assert!(!files.is_empty());
    let git = std::process::Command::new("git").args(["init", "-q"]).current_dir(&root).status();
    assert!(git.unwrap().success());
    std::fs::write(root.join(".kepconfig"), "[kep]\n\ttocStyle = html\n\tmdtocVersion = b8c54a57\n").unwrap();
    let mut agree = 0;
    for file in &files {
        let theirs = std::process::Command::new(&mdtoc)
            .args(["--inplace", "--max-depth=5", "--dryrun"])
            .arg(file)
            .output()
            .unwrap()
            .status
            .success();
        let ours = std::process::Command::new(crate::harness::BIN)
            .args(["toc", "--check"])
            .arg(file)
            .current_dir(&root)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .output()
            .unwrap();
        assert_eq!(ours.status.code() == Some(0), theirs, "{}: {}", file.display(), crate::harness::stderr(&ours));
        agree += 1;
    }
    eprintln!("scheduler-plugins: toc --check agrees with mdtoc@b8c54a57 --dryrun on {agree} files");
}

#[test]
fn a_maintainer_commits_what_mdtoc_wrote_and_the_hook_keeps_it() {
    // `make update-toc` (mdtoc), then a commit: the hook used to rewrite mdtoc's anchors to
    // GitHub's and git recorded an empty commit; now it leaves mdtoc's TOC as it is.
    let Some(mdtoc) = mdtoc() else { return };
    let repo = crate::harness::TestRepo::new();
    repo.write(".kepconfig", "[kep]\n\tdir = keps\n\ttocStyle = html\n");
    let kep = "keps/sig-node/688-pod-overhead/README.md";
    repo.write(kep, "# Pod Overhead\n\n<!-- toc -->\n<!-- /toc -->\n\n## Summary\n");
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "--no-verify", "-m", "initial"]);
    repo.ok(repo.kep(&["install"]));
    // The maintainer adds sections whose mdtoc links miss on GitHub, then runs mdtoc.
    repo.write(
        kep,
        "# Pod Overhead\n\n<!-- toc -->\n<!-- /toc -->\n\n## Summary\n\n## Pod Overhead\n\n### Über `x `\n",
    );
    let status = std::process::Command::new(&mdtoc)
        .args(["--inplace", "--max-depth=5"])
        .arg(repo.path().join(kep))
        .status()
        .unwrap();
    assert!(status.success());
    let by_mdtoc = repo.read(kep);
    repo.git(&["add", kep]);
    let output = repo.ok(repo.git_in(&repo.path(), &["commit", "-q", "-m", "update-toc"]));
    assert_eq!(repo.show(&format!("HEAD:{kep}")), by_mdtoc, "{}", crate::harness::stderr(&output));
    assert_eq!(repo.read(kep), by_mdtoc);
    assert_ne!(
        repo.git(&["rev-parse", "HEAD^{tree}"]),
        repo.git(&["rev-parse", "HEAD~1^{tree}"]),
        "not an empty commit"
    );
    // The links that miss on GitHub are said, as warnings: the commit goes on.
    let err = crate::harness::stderr(&output);
    assert!(err.contains("warning: toc-link-target"), "{err}");
}
