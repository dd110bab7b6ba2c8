//! Golden tests against `../shared` (the seed template, GitHub's slugger cases, the k8s KEPs).
//! Each skips cleanly when `../shared` is absent, as in a user's clone.

use git_kep::toc::{self, Outcome, Slugger, TocOptions, TocStyle};
use std::path::{Path, PathBuf};

fn shared(rel: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared").join(rel);
    if path.exists() {
        Some(path)
    } else {
        eprintln!("skipped: {} is not here", path.display());
        None
    }
}

#[test]
fn seed_template_is_fresh_and_regenerates_byte_identical() {
    let Some(path) = shared("seed/kep-template.md") else { return };
    let seed = std::fs::read_to_string(path).unwrap();
    assert_eq!(toc::regenerate(&seed, &TocOptions::default()), Ok(Outcome::Fresh));
    let start = seed.find("\n<!-- toc -->\n").unwrap() + "\n<!-- toc -->\n".len();
    let end = seed.find("<!-- /toc -->\n").unwrap();
    let emptied = format!("{}{}", &seed[..start], &seed[end..]);
    assert_eq!(toc::regenerate(&emptied, &TocOptions::default()), Ok(Outcome::Stale(seed.clone())));
}

#[test]
fn seed_template_check_via_the_binary() {
    let Some(path) = shared("seed/kep-template.md") else { return };
    let output = std::process::Command::new(crate::harness::BIN).args(["toc", "--check"]).arg(path).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stdout));
}

#[test]
fn all_github_slugger_fixtures_in_order_with_one_slugger() {
    let Some(path) = shared("corpus/github-slugger/fixtures.json") else { return };
    let cases: Vec<serde_json::Value> = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(cases.len(), 78);
    let mut slugger = Slugger::new();
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| {
            let (name, input, expected) = (&case["name"], case["input"].as_str()?, case["expected"].as_str()?);
            let got = slugger.anchor_for(input);
            (got != expected).then(|| format!("{name}: {input:?} -> {got:?}, GitHub says {expected:?}"))
        })
        .collect();
    assert!(failures.is_empty(), "{} of 78 differ:\n{}", failures.len(), failures.join("\n"));
}

/// Files where the committed (mdtoc-made) TOC is not what GitHub needs; see the README.
const KNOWN_DIFFERENT: &[&str] = &[
    // The title above the TOC has the same text as a listed heading: GitHub's anchor is `-1`.
    "keps/sig-api-machinery/2340-Consistent-reads-from-cache/README.md",
    // "Introduce `validation-gen `": the code span keeps its trailing space, so does the anchor.
    "keps/sig-api-machinery/5073-declarative-validation-with-validation-gen/README.md",
    "keps/sig-node/688-pod-overhead/README.md",
];

#[test]
fn k8s_enhancements_corpus_in_html_style() {
    let Some(archive) = shared("corpus/k8s-enhancements/keps-toc.tar.gz") else { return };
    let dir = tempfile::tempdir().unwrap();
    let unpacked = std::process::Command::new("tar").arg("-xzf").arg(&archive).arg("-C").arg(dir.path()).status();
    if !unpacked.is_ok_and(|s| s.success()) {
        eprintln!("skipped: cannot unpack {} with tar", archive.display());
        return;
    }
    let paths = std::fs::read_to_string(archive.with_file_name("paths.txt")).unwrap();
    let options = TocOptions { style: TocStyle::Html, max_depth: 5, skip_prefix: true };
    let mut different = Vec::new();
    let mut total = 0;
    for rel in paths.lines() {
        total += 1;
        let text = std::fs::read_to_string(dir.path().join(rel)).unwrap();
        match toc::regenerate(&text, &options) {
            Ok(Outcome::Fresh) => {}
            Ok(Outcome::Stale(new)) => {
                assert_eq!(toc::regenerate(&new, &options), Ok(Outcome::Fresh), "{rel}: not idempotent");
                different.push(rel.to_owned());
            }
            other => panic!("{rel}: {other:?}"),
        }
    }
    assert_eq!(total, 663);
    assert_eq!(different, KNOWN_DIFFERENT.iter().map(|s| s.to_string()).collect::<Vec<_>>());
}
