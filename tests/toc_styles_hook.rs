//! The hook in the styles of other TOC tools, through real commits: a heading renamed, the
//! TOC regenerated from the staged content in that tool's style, and the committed file passes
//! that tool's own check. Skipped where the tool (or node, or `../shared`) is absent.

use crate::harness::{TestRepo, stderr};
use std::path::Path;
use std::process::Command;

/// A repository with `.kepconfig` and one proposal, committed, and the hook installed.
fn repo_with(config: &str, path: &str, text: &str) -> TestRepo {
    let repo = TestRepo::new();
    repo.write(".kepconfig", config);
    repo.write(path, text);
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "--no-verify", "-m", "initial"]);
    repo.ok(repo.kep(&["install"]));
    repo
}

/// Renames a heading in the work tree and commits it through the hook: the committed text.
fn rename_and_commit(repo: &TestRepo, path: &str, from: &str, to: &str) -> String {
    let text = repo.read_string(path).replace(from, to);
    repo.write(path, &text);
    repo.git(&["add", path]);
    let output = repo.git_in(&repo.path(), &["commit", "-q", "-m", "rename"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    String::from_utf8(repo.show(&format!("HEAD:{path}"))).unwrap()
}

/// Whether `tool ARGS FILE` (a check that fails on a stale TOC) passes on `text`.
fn passes(tool: &Path, args: &str, text: &str) -> bool {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("proposal.md");
    std::fs::write(&file, text).unwrap();
    let output = Command::new("sh").arg("-c").arg(format!("\"$0\" {args} \"$1\"")).arg(tool).arg(&file).output();
    output.unwrap().status.success()
}

#[test]
fn doctoc_style_hook_commits_what_doctoc_accepts() {
    let Some(doctoc) = crate::oracle::tool("doctoc-2.5.0", "doctoc", &[]) else { return };
    for args in ["", "--update-only --mintocitems 1 --toc-pragma-style compact --notitle --entryprefix='-,*,+'"] {
        let path = "docs/proposals/20260101-pod-overhead.md";
        let config = format!(
            "[kep]\n\tlayout = docs/proposals/{{date}}-{{name}}.md\n\ttocStyle = doctoc\n\tdoctocArgs = {args}\n"
        );
        let start = if args.is_empty() {
            "<!-- START doctoc generated TOC please keep comment here to allow auto update -->\n\
             <!-- DON'T EDIT THIS SECTION, INSTEAD RE-RUN doctoc TO UPDATE -->\n"
        } else {
            "<!-- START doctoc -->\n"
        };
        let end = if args.is_empty() {
            "<!-- END doctoc generated TOC please keep comment here to allow auto update -->\n"
        } else {
            "<!-- END doctoc -->\n"
        };
        let text = format!(
            "---\ntitle: Pod Overhead\n---\n\n# Pod Overhead\n\n## Table of Contents\n\n{start}{end}\n\
             ## Summary\n\nSee [the design](#design-details).\n\n## Design Details\n\n### Über `x` & <y>\n"
        );
        let repo = repo_with(&config, path, &text);
        // The first commit through the hook writes doctoc's TOC from the staged text.
        repo.write(path, format!("{text}\n## Alternatives\n"));
        repo.git(&["add", path]);
        let output = repo.git_in(&repo.path(), &["commit", "-q", "-m", "alternatives"]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        let committed = String::from_utf8(repo.show(&format!("HEAD:{path}"))).unwrap();
        assert!(committed.contains("[Alternatives](#alternatives)"), "{committed}");
        assert!(passes(&doctoc, &format!("{args} --dryrun"), &committed), "doctoc rejects:\n{committed}");
        // A rename: the link follows, the TOC is doctoc's again, and doctoc's check passes.
        let committed = rename_and_commit(&repo, path, "## Design Details", "## Design");
        assert!(committed.contains("See [the design](#design)."), "{committed}");
        assert!(committed.contains("[Design](#design)"), "{committed}");
        assert!(!committed.contains("design-details"), "{committed}");
        assert!(passes(&doctoc, &format!("{args} --dryrun"), &committed), "doctoc rejects:\n{committed}");
        assert_eq!(repo.read_string(path), committed, "the work tree has what was committed");
        let check = repo.kep(&["toc", "--check"]);
        assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
    }
}

#[test]
fn doctoc_style_leaves_git_kep_markers_to_their_tool_and_refuses_broken_doctoc_ones() {
    let config =
        "[kep]\n\tlayout = docs/proposals/{date}-{name}.md\n\ttocStyle = doctoc\n\tdoctocArgs = --update-only\n";
    let path = "docs/proposals/20260101-x.md";
    let text = "# X\n\n<!-- toc -->\n- [Old](#old)\n<!-- /toc -->\n\n## A\n";
    let repo = repo_with(config, path, text);
    repo.write(path, format!("{text}\n## B\n"));
    repo.git(&["add", path]);
    let output = repo.git_in(&repo.path(), &["commit", "-q", "-m", "b"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(repo.show(&format!("HEAD:{path}")), format!("{text}\n## B\n").as_bytes(), "another tool's TOC");
    repo.write(path, "# X\n\n<!-- START doctoc -->\n\n<!-- START doctoc -->\n\n## A\n");
    repo.git(&["add", path]);
    let output = repo.git_in(&repo.path(), &["commit", "-q", "-m", "broken"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stderr(&output).contains("<!-- END doctoc -->"), "{}", stderr(&output));
}

/// Whether `markdown-toc -i ARGS` leaves `text` as it is (what a CI that diffs after it checks).
fn markdown_toc_keeps(tool: &Path, args: &str, text: &str) -> bool {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("proposal.md");
    std::fs::write(&file, text).unwrap();
    let status = Command::new("sh").arg("-c").arg(format!("\"$0\" -i {args} \"$1\"")).arg(tool).arg(&file).status();
    assert!(status.unwrap().success());
    std::fs::read_to_string(&file).unwrap() == text
}

#[test]
fn markdown_toc_style_hook_commits_what_markdown_toc_keeps() {
    let Some(tool) = crate::oracle::tool("markdown-toc-1.2.0", "markdown-toc", &[]) else { return };
    for args in ["", "--maxdepth 3 --no-firsth1"] {
        let path = "rfcs/0001-pod-overhead.md";
        let config = format!(
            "[kep]\n\tlayout = rfcs/{{number}}-{{name}}.md\n\ttocStyle = markdown-toc\n\tmarkdownTocArgs = {args}\n"
        );
        let text = "# Pod Overhead\n\n<!-- toc -->\n<!-- tocstop -->\n\n## Summary\n\nSee [the design](#design-details).\n\n\
                    ## Design Details\n\n### Über `x` & <y>\n\n- ## In a list\n";
        let repo = repo_with(&config, path, text);
        repo.write(path, format!("{text}\n## Alternatives\n"));
        repo.git(&["add", path]);
        let output = repo.git_in(&repo.path(), &["commit", "-q", "-m", "alternatives"]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        let committed = String::from_utf8(repo.show(&format!("HEAD:{path}"))).unwrap();
        assert!(committed.contains("[Alternatives](#alternatives)"), "{committed}");
        assert!(markdown_toc_keeps(&tool, args, &committed), "markdown-toc changes:\n{committed}");
        let committed = rename_and_commit(&repo, path, "## Design Details", "## Design");
        assert!(committed.contains("See [the design](#design)."), "{committed}");
        assert!(committed.contains("[Design](#design)"), "{committed}");
        assert!(markdown_toc_keeps(&tool, args, &committed), "markdown-toc changes:\n{committed}");
        let check = repo.kep(&["toc", "--check"]);
        assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
    }
}

#[test]
fn html_style_at_b8c54a57_hook_commits_what_that_mdtoc_accepts() {
    let mdtoc = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/mdtoc-b8c54a57/mdtoc");
    let dir = tempfile::tempdir().unwrap();
    let probe = dir.path().join("probe.md");
    std::fs::write(&probe, "<!-- toc -->\n<!-- /toc -->\n# a\n").unwrap();
    if !Command::new(&mdtoc).arg(&probe).output().is_ok_and(|o| o.status.success()) {
        eprintln!("skipped: {} is not here or does not run here", mdtoc.display());
        return;
    }
    let path = "kep/260-pod-overhead/README.md";
    let config = "[kep]\n\tlayout = kep/{number}-{name}/README.md\n\ttocStyle = html\n\tmdtocVersion = b8c54a57\n";
    let text = "# KEP-260: Pod Overhead\n\n<!-- toc -->\n<!-- /toc -->\n\n## Summary\n\nSee [it](#the-replicas-field).\n\n\
                ## The `replicas` field\n";
    let repo = repo_with(config, path, text);
    repo.write(path, format!("{text}\n## Alternatives\n"));
    repo.git(&["add", path]);
    let output = repo.git_in(&repo.path(), &["commit", "-q", "-m", "alternatives"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    // Code spans are out of that mdtoc's anchors.
    let committed = rename_and_commit(&repo, path, "## The `replicas` field", "## The `replicas` count");
    assert!(committed.contains("- [The <code>replicas</code> count](#the--count)"), "{committed}");
    assert!(passes(&mdtoc, "--inplace --max-depth=5 --dryrun", &committed), "mdtoc@b8c54a57 rejects:\n{committed}");
}
