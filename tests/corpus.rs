//! Golden tests against `../shared` (the seed template, GitHub's slugger cases, the k8s KEPs).
//! Each skips cleanly when `../shared` is absent, as in a user's clone.

use git_kep::toc::{self, Outcome, Slugger, TocOptions};
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

/// Files where the committed (mdtoc-made) TOC links somewhere GitHub has no such heading; with
/// `kep.tocAnchors = github` exactly these get other anchors.
const GITHUB_DIFFERENT: &[&str] = &[
    // The title above the TOC has the same text as a listed heading: GitHub's anchor is `-1`.
    "keps/sig-api-machinery/2340-Consistent-reads-from-cache/README.md",
    // "Introduce `validation-gen `": the code span keeps its trailing space, so does the anchor.
    "keps/sig-api-machinery/5073-declarative-validation-with-validation-gen/README.md",
    "keps/sig-node/688-pod-overhead/README.md",
];

/// The corpus unpacked into a temporary directory, with its paths (`None`: skipped).
pub fn k8s_corpus() -> Option<(tempfile::TempDir, Vec<String>)> {
    let archive = shared("corpus/k8s-enhancements/keps-toc.tar.gz")?;
    let dir = tempfile::tempdir().unwrap();
    let unpacked = std::process::Command::new("tar").arg("-xzf").arg(&archive).arg("-C").arg(dir.path()).status();
    if !unpacked.is_ok_and(|s| s.success()) {
        eprintln!("skipped: cannot unpack {} with tar", archive.display());
        return None;
    }
    let paths = std::fs::read_to_string(archive.with_file_name("paths.txt")).unwrap();
    Some((dir, paths.lines().map(str::to_owned).collect()))
}

#[test]
fn k8s_enhancements_corpus_in_html_style_is_what_mdtoc_wrote() {
    let Some((dir, paths)) = k8s_corpus() else { return };
    assert_eq!(paths.len(), 663);
    let github = TocOptions { anchors: toc::Anchors::Github, ..TocOptions::mdtoc(5) };
    let mut different_on_github = Vec::new();
    let mut spliced_count = 0;
    for rel in &paths {
        let text = std::fs::read_to_string(dir.path().join(rel)).unwrap();
        assert_eq!(toc::regenerate(&text, &TocOptions::mdtoc(5)), Ok(Outcome::Fresh), "{rel}");
        // From an emptied TOC, what mdtoc writes (TOC-equivalent: mdtoc's own comparison).
        let start = text.to_ascii_lowercase().find("<!-- toc -->").unwrap() + "<!-- toc -->".len();
        let end = text.to_ascii_lowercase().find("<!-- /toc -->").unwrap();
        let emptied = format!("{}\n{}", &text[..start], &text[end..]);
        let regenerated = match toc::regenerate(&emptied, &TocOptions::mdtoc(5)) {
            Ok(Outcome::Stale(regenerated)) => regenerated,
            // A TOC with no heading after it is empty: emptying it changes nothing.
            Ok(Outcome::Fresh) if text[start..end].trim().is_empty() => emptied.clone(),
            other => panic!("{rel}: {other:?}"),
        };
        // The refreshed document as the hook checks it, without parsing it again: exactly the parse.
        let parsed = toc::Document::parse_with_links(&emptied, toc::TocStyle::Html).unwrap();
        if let Some(spliced) = parsed.with_toc_body(&regenerated) {
            assert_eq!(spliced, toc::Document::parse_with_links(&regenerated, toc::TocStyle::Html).unwrap(), "{rel}");
            spliced_count += 1;
        }
        // And from the TOC mdtoc wrote, after a heading is added.
        let grown = format!("{text}\n## Added here\n");
        let parsed = toc::Document::parse_with_links(&grown, toc::TocStyle::Html).unwrap();
        if let Outcome::Stale(refreshed) = parsed.outcome(&TocOptions::mdtoc(5))
            && let Some(spliced) = parsed.with_toc_body(&refreshed)
        {
            assert_eq!(spliced, toc::Document::parse_with_links(&refreshed, toc::TocStyle::Html).unwrap(), "{rel}");
            spliced_count += 1;
        }
        let body_end = regenerated[start..].to_ascii_lowercase().find("<!-- /toc -->").unwrap();
        assert_eq!(regenerated[start..start + body_end].trim(), text[start..end].trim(), "{rel}");
        match toc::regenerate(&text, &github) {
            Ok(Outcome::Fresh) => {}
            Ok(Outcome::Stale(new)) => {
                assert_eq!(toc::regenerate(&new, &github), Ok(Outcome::Fresh), "{rel}: not idempotent");
                different_on_github.push(rel.clone());
            }
            other => panic!("{rel}: {other:?}"),
        }
    }
    assert_eq!(different_on_github, GITHUB_DIFFERENT.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    // Nearly every refresh is checked without a second parse.
    assert!(spliced_count >= 1300, "{spliced_count} of {}", 2 * paths.len());
}

#[test]
fn the_sections_a_kep_lacks_are_told_without_a_parse_and_never_one_it_has() {
    let Some((dir, paths)) = k8s_corpus() else { return };
    let template = paths.iter().find(|p| p.contains("NNNN-kep-template/README.md")).expect("the template");
    let required =
        git_kep::proposal::check::required_sections(&std::fs::read_to_string(dir.path().join(template)).unwrap());
    let (mut lacking, mut told) = (0, 0);
    for rel in &paths {
        let text = std::fs::read_to_string(dir.path().join(rel)).unwrap();
        let candidates = git_kep::proposal::introduced::HeadingSources::of(&text);
        let document = toc::Document::parse(&text, toc::TocStyle::Html).unwrap();
        let present: Vec<String> =
            document.headings.iter().map(|h| git_kep::proposal::check::section_key(document.heading_text(h))).collect();
        for key in &present {
            assert!(!candidates.certainly_lack(key), "{rel}: has {key}");
        }
        for section in &required {
            let key = git_kep::proposal::check::section_key(&section.text);
            if !present.contains(&key) {
                lacking += 1;
                told += usize::from(candidates.certainly_lack(&key));
            }
        }
    }
    // What makes the hook's check of an old proposal's previous version cheap.
    assert!(told * 10 >= lacking * 9, "{told} of {lacking}");
}
