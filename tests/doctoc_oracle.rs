//! Differential tests: the doctoc style against doctoc 2.5.0 itself (`../shared/tools`), on
//! generated documents with the options real repositories run it with, and on the field
//! corpus's files with doctoc markers. Skipped where `../shared` or node is absent.

use crate::oracle::{self, Rng};
use git_kep::toc::styles::doctoc::{self, Rewrite};
use git_kep::toc::{self, DoctocOptions, Outcome, TocOptions};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

include!("doctoc_option_sets.rs");

fn doctoc() -> Option<PathBuf> {
    oracle::tool("doctoc-2.5.0", "doctoc", &[])
}

/// Runs doctoc over a directory, in place (`dryrun`: only lists the files it would change).
/// The files it would change (with `dryrun`).
fn run_doctoc(doctoc: &Path, dir: &Path, args: &str, dryrun: bool) -> BTreeSet<PathBuf> {
    let mut command = Command::new("sh");
    let dry = if dryrun { " --dryrun" } else { "" };
    command.arg("-c").arg(format!("\"$0\" \"$1\" {args}{dry}")).arg(doctoc).arg(dir);
    let output = command.output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success() || dryrun, "doctoc failed on {}: {stderr}", dir.display());
    stderr
        .lines()
        .filter_map(|line| {
            line.strip_prefix('"')?.split_once("\" should be updated").map(|(path, _)| PathBuf::from(path))
        })
        .collect()
}

/// The TOC markers (and what is between them) a document starts with, in doctoc's styles.
fn markers(rng: &mut Rng) -> String {
    const LEGACY_START: &str = "<!-- START doctoc generated TOC please keep comment here to allow auto update -->\n";
    const LEGACY_EDIT: &str = "<!-- DON'T EDIT THIS SECTION, INSTEAD RE-RUN doctoc TO UPDATE -->\n";
    const LEGACY_END: &str = "<!-- END doctoc generated TOC please keep comment here to allow auto update -->\n";
    const DEFAULT_TITLE: &str =
        "**Table of Contents**  *generated with [DocToc](https://github.com/thlorenz/doctoc)*\n\n";
    let body = match rng.below(5) {
        0 => String::new(),
        1 => "\n- [Old](#old)\n  - [Gone](#gone)\n\n".to_owned(),
        2 => format!("{DEFAULT_TITLE}- [Old](#old)\n\n"),
        3 => "**Contents**\n\n- [Old](#old)\n\n".to_owned(),
        _ => "\n\n".to_owned(),
    };
    match rng.below(10) {
        0 => String::new(),
        1 | 2 => format!("{LEGACY_START}{LEGACY_EDIT}{body}{LEGACY_END}\n"),
        3 => format!("{LEGACY_START}{body}{LEGACY_END}\n"),
        4 | 5 => format!("<!-- START doctoc -->\n{body}<!-- END doctoc -->\n\n"),
        6 => format!("{LEGACY_START}{LEGACY_EDIT}{body}<!-- END doctoc -->\n\n"),
        7 => "<!-- START doctoc -->\n\n".to_owned(),
        8 => format!("  <!-- START doctoc -->\n{body}<!-- END doctoc -->  \n\n"),
        _ => format!("<!-- START doctoc -->\n{body}<!-- END doctoc -->\n"),
    }
}

/// One generated document.
fn document(rng: &mut Rng) -> String {
    let mut doc = String::new();
    if rng.one_in(100) {
        doc.push('\u{feff}');
    }
    match rng.below(12) {
        0 => doc.push_str("---\ntitle: x\nstatus: y\n---\n\n"),
        1 => doc.push_str("---\ntitle: x\n---\n"),
        2 => doc.push_str("+++\ntitle = 'x'\n+++\n\n"),
        _ => {}
    }
    let mut titles = Vec::new();
    if rng.one_in(2) {
        doc.push_str(&format!("# {}\n\n", oracle::title(rng, &mut titles)));
    }
    if rng.one_in(3) {
        doc.push_str("## Table of Contents\n\n");
    }
    doc.push_str(&markers(rng));
    let mut level = 2;
    for _ in 0..rng.below(9) {
        oracle::block(rng, &mut titles, &mut level, &mut doc);
    }
    if rng.one_in(10) { oracle::crlf(&doc) } else { doc }
}

#[test]
fn doctoc_style_writes_what_doctoc_writes_on_generated_documents() {
    let Some(doctoc) = doctoc() else { return };
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    // DOCTOC_ORACLE_COUNT: fewer documents, while working on a difference.
    let count = std::env::var("DOCTOC_ORACLE_COUNT").ok().and_then(|n| n.parse().ok()).unwrap_or(10_000usize);
    let per_set = count.div_ceil(OPTION_SETS.len());
    let mut differences = Vec::new();
    let mut counts = Counts::default();
    for (set, args) in OPTION_SETS.iter().enumerate() {
        let options = TocOptions::doctoc(DoctocOptions::from_args(args).unwrap());
        let documents: Vec<String> = (0..per_set).map(|_| document(&mut rng)).collect();
        // 1. One run of doctoc: git-kep's reading of it is the same, byte for byte, and so is
        //    the verdict of `toc --check` (stale exactly where doctoc --dryrun would say so).
        let batches = oracle::write_batches(&dir.path().join(format!("set{set}")), &documents, 1000);
        for (batch_dir, _) in &batches {
            run_doctoc(&doctoc, batch_dir, args, false);
        }
        let paths: Vec<&PathBuf> = batches.iter().flat_map(|(_, paths)| paths).collect();
        let mut ours_written = Vec::new();
        for (path, doc) in paths.iter().zip(&documents) {
            let theirs = std::fs::read_to_string(path).unwrap();
            let shown = format!("[{args}] {}", path.display());
            counts.documents += 1;
            let first_run = match doctoc::rewrite(doc, &options.doctoc) {
                Ok(Rewrite::Changed(new)) => new,
                Ok(_) => doc.clone(),
                Err(err) => format!("(git-kep: {err})"),
            };
            if first_run != theirs {
                differences.push(format!("{shown}:\n{doc}\n--- ours:\n{first_run}\n--- doctoc:\n{theirs}\n"));
                continue;
            }
            let verdict = toc::regenerate(doc, &options);
            let ours_stale = !matches!(verdict, Ok(Outcome::Fresh | Outcome::NoMarkers));
            if ours_stale != (theirs != *doc) {
                differences.push(format!("{shown}: toc --check says {ours_stale:?} stale, doctoc does not:\n{doc}\n"));
            }
            match verdict {
                Ok(Outcome::Stale(new)) => {
                    counts.rewritten += 1;
                    counts.settled_later += usize::from(new != theirs);
                    ours_written.push((path.with_extension("ours.md"), new));
                }
                Ok(Outcome::Unmatched { reason, .. }) => {
                    counts.unmatched += 1;
                    *counts.reasons.entry(reason).or_default() += 1;
                }
                _ => {}
            }
        }
        // 2. What git-kep writes, doctoc accepts: `doctoc --dryrun` (CI's check) passes on it.
        let accepted_dir = dir.path().join(format!("ours{set}"));
        std::fs::create_dir_all(&accepted_dir).unwrap();
        for (i, (_, new)) in ours_written.iter().enumerate() {
            std::fs::write(accepted_dir.join(format!("{i:05}.md")), new).unwrap();
        }
        let rejected = run_doctoc(&doctoc, &accepted_dir, args, true);
        for path in &rejected {
            let text = std::fs::read_to_string(path).unwrap();
            differences.push(format!("[{args}] doctoc --dryrun rejects what git-kep wrote:\n{text}\n"));
        }
        counts.accepted += ours_written.len() - rejected.len();
    }
    if let Some(dump) = std::env::var_os("DOCTOC_ORACLE_DUMP") {
        std::fs::write(&dump, differences.join("\n=====\n")).unwrap();
    }
    eprintln!(
        "doctoc: {} documents; first runs equal doctoc's; git-kep rewrote {} ({} settled after more than one run), \
         doctoc --dryrun accepts {} of them; {} left unmatched {:?}; {} differences",
        counts.documents,
        counts.rewritten,
        counts.settled_later,
        counts.accepted,
        counts.unmatched,
        counts.reasons,
        differences.len()
    );
    assert!(
        differences.is_empty(),
        "{} of {} documents differ; the first:\n{}",
        differences.len(),
        counts.documents,
        differences.first().map_or("", String::as_str)
    );
}

#[derive(Default)]
struct Counts {
    documents: usize,
    rewritten: usize,
    settled_later: usize,
    accepted: usize,
    unmatched: usize,
    reasons: std::collections::BTreeMap<String, usize>,
}

/// The field's repositories whose CI runs doctoc, with the flags it gives it.
const FIELD: &[(&str, &str)] = &[
    ("cluster-api", ""),
    ("otel-specification", "--update-only --mintocitems 1 --toc-pragma-style compact --notitle --entryprefix='-,*,+'"),
];

/// On every file of the field with doctoc markers, `git kep toc --check` (configured with the
/// repository's doctoc flags) agrees with `doctoc --dryrun`, and `git kep toc` writes what
/// doctoc writes (or leaves what doctoc itself never accepts, and says so).
#[test]
fn doctoc_style_agrees_with_doctoc_on_the_field() {
    let Some(doctoc) = doctoc() else { return };
    for (name, args) in FIELD {
        let Some((dir, root, files)) = oracle::field_files(name, "<!-- START doctoc", false) else { return };
        assert!(!files.is_empty(), "{name}: no file with doctoc markers");
        let git = |args: &[&str]| {
            let status = Command::new("git").args(args).current_dir(&root).env("GIT_CONFIG_NOSYSTEM", "1").status();
            assert!(status.unwrap().success(), "git {args:?}");
        };
        git(&["init", "-q"]);
        std::fs::write(root.join(".kepconfig"), format!("[kep]\n\ttocStyle = doctoc\n\tdoctocArgs = {args}\n"))
            .unwrap();
        // doctoc's verdicts, and what it writes, on copies of the files (one run each).
        let copy = dir.path().join("copy");
        std::fs::create_dir_all(&copy).unwrap();
        let copies: Vec<PathBuf> = (0..files.len()).map(|i| copy.join(format!("{i:03}.md"))).collect();
        for (file, copied) in files.iter().zip(&copies) {
            std::fs::copy(file, copied).unwrap();
        }
        let stale = run_doctoc(&doctoc, &copy, args, true);
        run_doctoc(&doctoc, &copy, args, false);
        let (mut agree, mut written, mut left) = (0, 0, 0);
        for (file, copied) in files.iter().zip(&copies) {
            let shown = file.strip_prefix(&root).unwrap().display().to_string();
            let theirs_stale = stale.contains(copied);
            let theirs = std::fs::read_to_string(copied).unwrap();
            // git-kep's, through the command line.
            let check = Command::new(crate::harness::BIN)
                .args(["toc", "--check"])
                .arg(file)
                .current_dir(&root)
                .env("GIT_CONFIG_NOSYSTEM", "1")
                .output()
                .unwrap();
            let ours_stale = match check.status.code() {
                Some(0) => false,
                Some(1) => true,
                other => panic!("{name}/{shown}: toc --check exited {other:?}: {}", crate::harness::stderr(&check)),
            };
            assert_eq!(ours_stale, theirs_stale, "{name}/{shown}: toc --check and doctoc --dryrun disagree");
            agree += 1;
            let original = std::fs::read_to_string(file).unwrap();
            let update = Command::new(crate::harness::BIN)
                .args(["toc"])
                .arg(file)
                .current_dir(&root)
                .env("GIT_CONFIG_NOSYSTEM", "1")
                .output()
                .unwrap();
            let ours = std::fs::read_to_string(file).unwrap();
            if ours == theirs {
                written += usize::from(ours != original);
            } else {
                assert_eq!(ours, original, "{name}/{shown}: git kep toc wrote something doctoc does not");
                assert!(crate::harness::stderr(&update).contains("left as it is"), "{name}/{shown}: not said");
                left += 1;
            }
        }
        eprintln!(
            "{name}: {} files with doctoc markers, toc --check agrees with doctoc --dryrun on {agree}; \
             {written} rewritten as doctoc does, {left} left (doctoc never accepts its own update)",
            files.len()
        );
    }
}
