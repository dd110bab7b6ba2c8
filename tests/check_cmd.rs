//! `git kep check`, `list`, the man page and completions; the hook's check warnings.

use crate::harness::{TestRepo, stderr, stdout};

/// A template that requires Summary and Motivation (Notes is optional).
const TEMPLATE: &str = "# Title\n\n<!-- toc -->\n<!-- /toc -->\n\n## Summary\n\n## Notes [optional]\n\n## Motivation\n";

/// A proposal with a fresh TOC, all required sections, and working anchors.
const CLEAN: &str = "# Clean\n\n<!-- toc -->\n- [Clean](#clean)\n  - [Summary](#summary)\n  - [Motivation](#motivation)\n<!-- /toc -->\n\n## Summary\n\nSee [motivation](#motivation).\n\n## Motivation\n";

fn repo() -> TestRepo {
    let repo = TestRepo::new();
    repo.write(".kepconfig", "[kep]\n\ttemplate = template.md\n");
    repo.write("template.md", TEMPLATE);
    repo.write("proposals/001-clean/README.md", CLEAN);
    repo
}

/// `repo()` committed, with the hook installed.
fn committed_repo_with_hook() -> TestRepo {
    let repo = repo();
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "-m", "init"]);
    repo.ok(repo.kep(&["install"]));
    repo
}

fn check_json(repo: &TestRepo, args: &[&str]) -> (Option<i32>, serde_json::Value) {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let output = repo.kep(&all);
    (
        output.status.code(),
        serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(&output))),
    )
}

fn rules(report: &serde_json::Value) -> Vec<String> {
    report["problems"].as_array().unwrap().iter().map(|p| p["rule"].as_str().unwrap().to_owned()).collect()
}

#[test]
fn clean_proposals_exit_0() {
    let repo = repo();
    let output = repo.kep(&["check"]);
    assert_eq!(output.status.code(), Some(0), "{}{}", stdout(&output), stderr(&output));
    assert_eq!(stdout(&output), "");
    let (code, report) = check_json(&repo, &[]);
    assert_eq!(code, Some(0));
    assert_eq!(report["problems"].as_array().unwrap().len(), 0);
    assert_eq!(report["files_checked"], 1);
    assert_eq!(report["counts"]["stale-toc"], 0);
}

#[test]
fn a_file_that_cannot_be_read_is_an_error_and_the_summary_says_so() {
    let repo = repo();
    let output = repo.kep(&["check", "proposals/001-clean/README.md", "proposals/404/README.md"]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(err.contains("proposals/404/README.md: cannot read"), "{err}");
    assert!(err.contains("files that could not be checked are reported above"), "{err}");
}

#[test]
fn stale_toc_is_reported_with_a_diff() {
    let repo = repo();
    repo.write("proposals/002-stale/README.md", CLEAN.replace("## Motivation\n", "## Motivation\n\n## Design\n"));
    let output = repo.kep(&["check", "proposals/002-stale/README.md"]);
    assert_eq!(output.status.code(), Some(1));
    let out = stdout(&output);
    assert!(out.starts_with("proposals/002-stale/README.md:3:1: stale-toc: "), "{out}");
    assert!(out.contains("+  - [Design](#design)"), "{out}");
}

#[test]
fn json_fields_one_by_one() {
    let repo = repo();
    repo.write("proposals/002-x/README.md", "# X\n\n## Summary\n\nBroken [link](#motivatoin).\n");
    let (code, report) = check_json(&repo, &["proposals/002-x/README.md"]);
    assert_eq!(code, Some(1));
    let problems = report["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 2, "{report:#}");
    let missing = &problems[0];
    assert_eq!(missing["path"], "proposals/002-x/README.md");
    assert_eq!(missing["line"], 1);
    assert_eq!(missing["column"], 1);
    assert_eq!(missing["rule"], "missing-section");
    assert!(missing["message"].as_str().unwrap().contains("\"Motivation\""));
    let broken = &problems[1];
    assert_eq!(broken["rule"], "broken-anchor");
    assert_eq!(broken["line"], 5);
    assert_eq!(broken["column"], 8);
    assert!(broken["message"].as_str().unwrap().contains("#motivatoin"), "{broken}");
    assert_eq!(report["counts"]["broken-anchor"], 1);
    assert_eq!(report["counts"]["missing-section"], 1);
    assert_eq!(report["files_checked"], 1);
}

#[test]
fn broken_anchor_rule_with_duplicates_unicode_code_and_other_files() {
    let repo = repo();
    let doc = "# Doc\n\n## Summary\n## Summary\n## Привет\n## Use `kubectl`\n## Motivation\n\n\
               [ok1](#summary-1) [ok2](#привет) [ok3](#use-kubectl) [ok4](../001-clean/README.md#motivation)\n\
               [bad1](#summary-2) [bad2](../001-clean/README.md#nope) [bad3](../009-none/README.md#x)\n";
    repo.write("proposals/002-links/README.md", doc);
    let (code, report) = check_json(&repo, &["proposals/002-links/README.md"]);
    assert_eq!(code, Some(1));
    let problems: Vec<_> =
        report["problems"].as_array().unwrap().iter().filter(|p| p["rule"] == "broken-anchor").collect();
    let messages: Vec<&str> = problems.iter().map(|p| p["message"].as_str().unwrap()).collect();
    assert_eq!(problems.len(), 3, "{messages:?}");
    assert!(messages[0].contains("#summary-2") && messages[0].contains("did you mean #summary-1?"), "{}", messages[0]);
    assert!(messages[1].contains("../001-clean/README.md#nope"), "{}", messages[1]);
    assert!(messages[2].contains("does not exist"), "{}", messages[2]);
}

#[test]
fn missing_section_rule() {
    let repo = repo();
    repo.write("proposals/002-short/README.md", "# Short\n\n## summary\n");
    let (_, report) = check_json(&repo, &["proposals/002-short/README.md"]);
    assert_eq!(rules(&report), ["missing-section"]);
    // Only proposal READMEs must have the sections.
    repo.write("proposals/002-short/notes.md", "# Notes\n");
    let (code, report) = check_json(&repo, &["proposals/002-short/notes.md"]);
    assert_eq!((code, rules(&report)), (Some(0), Vec::<String>::new()));
}

#[test]
fn duplicate_number_rule() {
    let repo = repo();
    repo.write("proposals/001-other/README.md", CLEAN);
    let (code, report) = check_json(&repo, &[]);
    assert_eq!(code, Some(1));
    assert_eq!(rules(&report), ["duplicate-number", "duplicate-number"]);
    assert!(report["problems"][0]["message"].as_str().unwrap().contains("proposals/001-other"));
}

#[test]
fn malformed_markers_rule() {
    let repo = repo();
    repo.write("proposals/002-bad/README.md", "# Bad\n\n<!-- toc -->\n\n## Summary\n## Motivation\n");
    let (code, report) = check_json(&repo, &["proposals/002-bad/README.md"]);
    assert_eq!(code, Some(1));
    assert_eq!(rules(&report), ["malformed-markers"]);
    assert_eq!(report["problems"][0]["line"], 3);
}

#[test]
fn rules_can_be_disabled() {
    let repo = repo();
    repo.write("proposals/002-short/README.md", "# Short\n");
    repo.git(&["config", "kep.checkDisable", "missing-section, broken-anchor"]);
    let (code, report) = check_json(&repo, &[]);
    assert_eq!((code, rules(&report)), (Some(0), Vec::<String>::new()));
    repo.git(&["config", "kep.checkDisable", "no-such-rule"]);
    let output = repo.kep(&["check"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("unknown rule \"no-such-rule\""), "{}", stderr(&output));
}

#[test]
fn github_annotations() {
    let repo = repo();
    repo.write("proposals/002-x/README.md", "# X\n\n## Summary\n## Motivation\n\n[a, b](#nowhere)\n");
    let output = repo.kep(&["check", "--format", "github"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stdout(&output),
        "::error file=proposals/002-x/README.md,line=6,col=1,title=broken-anchor::link to #nowhere: no heading in this document has that anchor\n"
    );
}

#[test]
fn unreadable_file_exits_2() {
    let repo = repo();
    let output = repo.kep(&["check", "nope.md"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("nope.md: cannot read"), "{}", stderr(&output));
}

#[test]
fn staged_checks_the_staged_content() {
    let repo = repo();
    repo.write("proposals/002-x/README.md", "# X\n\n## Summary\n## Motivation\n\n[a](#nowhere)\n");
    repo.git(&["add", "-A"]);
    repo.write("proposals/002-x/README.md", "# X\n\n## Summary\n## Motivation\n");
    let (code, report) = check_json(&repo, &["--staged"]);
    assert_eq!(code, Some(1));
    assert_eq!(rules(&report), ["broken-anchor"]);
}

#[test]
fn hook_prints_check_warnings_and_strict_blocks() {
    let repo = committed_repo_with_hook();
    repo.write("proposals/002-x/README.md", "# X\n\n<!-- toc -->\n<!-- /toc -->\n\n## Summary\n\n[a](#nowhere)\n");
    repo.git(&["add", "-A"]);
    let output = repo.ok(repo.git_in(&repo.path(), &["commit", "-q", "-m", "warn"]));
    let err = stderr(&output);
    // Lines are those of the content being committed (its TOC refreshed).
    assert!(err.contains("proposals/002-x/README.md:10:1: warning: broken-anchor:"), "{err}");
    assert!(err.contains("warning: missing-section:"), "{err}");
    assert!(repo.show("HEAD:proposals/002-x/README.md").starts_with(b"# X\n\n<!-- toc -->\n- [X](#x)"));

    repo.git(&["config", "kep.strict", "true"]);
    repo.write(
        "proposals/003-y/README.md",
        "# Y\n\n<!-- toc -->\n<!-- /toc -->\n\n## Summary\n## Motivation\n[a](#nowhere)\n",
    );
    repo.git(&["add", "-A"]);
    let before = repo.snapshot();
    let refused = repo.git_in(&repo.path(), &["commit", "-q", "-m", "strict"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(stderr(&refused).contains("error: broken-anchor"), "{}", stderr(&refused));
    assert_eq!(repo.snapshot(), before);
}

#[test]
fn hook_checks_fresh_and_refreshed_proposals_alike_in_path_order() {
    let repo = committed_repo_with_hook();
    // 003's TOC is fresh as staged (checked as it is parsed), 002's is refreshed (checked as it
    // will be committed); both have a broken link on line 10.
    let fresh =
        "# A\n\n<!-- toc -->\n- [A](#a)\n  - [Summary](#summary)\n<!-- /toc -->\n\n## Summary\n\n[a](#nowhere-a)\n";
    repo.write("proposals/003-a/README.md", fresh);
    repo.write("proposals/002-b/README.md", "# B\n\n<!-- toc -->\n<!-- /toc -->\n\n## Summary\n\n[b](#nowhere-b)\n");
    repo.git(&["add", "-A"]);
    let output = repo.ok(repo.git_in(&repo.path(), &["commit", "-q", "-m", "both"]));
    let err = stderr(&output);
    let a = err.find("proposals/003-a/README.md:10:1: warning: broken-anchor: link to #nowhere-a").expect(&err);
    let b = err.find("proposals/002-b/README.md:10:1: warning: broken-anchor: link to #nowhere-b").expect(&err);
    assert!(b < a, "in path order: {err}");
    assert_eq!(repo.show("HEAD:proposals/003-a/README.md"), fresh.as_bytes());

    // kep.strict refuses a commit for a fresh proposal's finding too, changing nothing.
    repo.git(&["config", "kep.strict", "true"]);
    repo.write("proposals/003-a/README.md", fresh.replace("nowhere-a", "nowhere-c"));
    repo.git(&["add", "-A"]);
    let before = repo.snapshot();
    let refused = repo.git_in(&repo.path(), &["commit", "-q", "-m", "strict"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("README.md:10:1: error: broken-anchor: link to #nowhere-c"),
        "{}",
        stderr(&refused)
    );
    assert_eq!(repo.snapshot(), before);
}

#[test]
fn hook_reads_the_template_again_when_it_changes() {
    let repo = committed_repo_with_hook();
    let template = "template.md";
    let proposal = "# A\n\n<!-- toc -->\n<!-- /toc -->\n\n## Summary\n";
    let commit_new_proposal = |folder: &str| {
        repo.write(&format!("proposals/{folder}/README.md"), proposal);
        repo.git(&["add", "-A"]);
        stderr(&repo.ok(repo.git_in(&repo.path(), &["commit", "-q", "-m", folder])))
    };
    repo.write(template, "# Title\n\n<!-- toc -->\n<!-- /toc -->\n\n## Summary\n\n## Motivation\n");
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "-m", "template", "--no-verify"]);
    let err = commit_new_proposal("002-a");
    assert!(err.contains("missing section \"Motivation\""), "{err}");
    // Kept for the next commits, in the git directory.
    assert!(repo.path().join(".git").join(git_kep::sections_cache::FILE).is_file());
    let err = commit_new_proposal("003-b");
    assert!(err.contains("missing section \"Motivation\""), "{err}");

    repo.write(template, "# Title\n\n<!-- toc -->\n<!-- /toc -->\n\n## Summary\n\n## Risks\n");
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "-m", "template changed", "--no-verify"]);
    let err = commit_new_proposal("004-c");
    assert!(err.contains("missing section \"Risks\""), "{err}");
    assert!(!err.contains("Motivation"), "{err}");
}

#[test]
fn hook_checks_that_cannot_run_warn_unless_strict() {
    let repo = committed_repo_with_hook();
    repo.git(&["config", "kep.template", "no/such/template.md"]);
    repo.write("proposals/002-x/README.md", "# X\n\n<!-- toc -->\n<!-- /toc -->\n\n## Summary\n");
    repo.git(&["add", "-A"]);
    // Strict: the commit is refused and nothing changes.
    repo.git(&["config", "kep.strict", "true"]);
    let before = repo.snapshot();
    let refused = repo.git_in(&repo.path(), &["commit", "-q", "-m", "strict"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(stderr(&refused).contains("no/such/template.md"), "{}", stderr(&refused));
    assert_eq!(repo.snapshot(), before);
    // Not strict: a warning, and the commit goes on with the fresh TOC.
    repo.git(&["config", "kep.strict", "false"]);
    let output = repo.ok(repo.git_in(&repo.path(), &["commit", "-q", "-m", "advice"]));
    let err = stderr(&output);
    assert!(err.contains("no/such/template.md") && err.contains("checks did not run"), "{err}");
    assert!(repo.show("HEAD:proposals/002-x/README.md").starts_with(b"# X\n\n<!-- toc -->\n- [X](#x)"));
}

#[test]
fn list_with_and_without_kep_yaml() {
    let repo = repo();
    repo.write("proposals/010-second/README.md", "# Second Idea\n\n<!-- toc -->\n<!-- /toc -->\n");
    repo.write("proposals/010-second/kep.yaml", "title: Second Idea\nstatus: implementable\n");
    repo.write("proposals/notes/README.md", "# not a proposal\n");
    repo.git(&["add", "-A"]);
    let output = repo.ok(repo.kep(&["list"]));
    let want = [
        "NUMBER  STATUS         TOC    FOLDER                TITLE",
        "     1  -              fresh  proposals/001-clean   Clean",
        "    10  implementable  stale  proposals/010-second  Second Idea",
    ];
    assert_eq!(stdout(&output), format!("{}\n", want.join("\n")));
    let json: serde_json::Value =
        serde_json::from_slice(&repo.ok(repo.kep(&["list", "--format", "json"])).stdout).unwrap();
    assert_eq!(json[0]["number"], 1);
    assert_eq!(json[0]["title"], "Clean");
    assert_eq!(json[0]["folder"], "proposals/001-clean");
    assert_eq!(json[0]["status"], serde_json::Value::Null);
    assert_eq!(json[0]["toc"], "fresh");
    assert_eq!(json[1]["status"], "implementable");
    assert_eq!(json[1]["toc"], "stale");
    assert_eq!(json.as_array().unwrap().len(), 2);
}

#[test]
fn man_page_renders_and_names_every_subcommand() {
    let repo = TestRepo::new();
    let page = repo.ok(repo.kep(&["man"])).stdout;
    let path = repo.path().join("git-kep.1");
    std::fs::write(&path, &page).unwrap();
    let text = String::from_utf8(page).unwrap();
    for sub in ["toc", "pre-commit", "install", "uninstall", "new", "check", "list", "completions", "init"] {
        assert!(text.contains(&format!("git kep {sub}")), "man page lacks {sub}");
    }
    // Its settings and examples too.
    assert!(text.contains(".SH CONFIGURATION\n") && text.contains("\\fBkep.layout\\fR"), "{text}");
    assert!(text.contains(".SH EXAMPLES\n") && text.contains("git kep init \\-\\-dry\\-run"), "{text}");
    let rendered =
        repo.command("man", &repo.path()).arg("-l").arg(&path).env("MANPAGER", "cat").env("PAGER", "cat").output();
    match rendered {
        Ok(output) if output.status.success() => {
            let shown = String::from_utf8_lossy(&output.stdout).replace('\u{2010}', "-");
            assert!(shown.contains("git kep check"), "{shown}");
        }
        _ => eprintln!("skipped rendering: no `man` here"),
    }
}

#[test]
fn completions_for_each_shell() {
    let repo = TestRepo::new();
    for shell in ["bash", "zsh", "fish"] {
        let script = stdout(&repo.ok(repo.kep(&["completions", shell])));
        assert!(script.contains("pre-commit") && script.contains("new"), "{shell}: {script}");
    }
    let bash = stdout(&repo.kep(&["completions", "bash"]));
    assert!(bash.contains("_git_kep()"));
    let output = repo
        .command("bash", &repo.path())
        .args(["-c", "source /dev/stdin && type _git_kep >/dev/null"])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(bash.as_bytes())?;
            child.wait_with_output()
        });
    if let Ok(output) = output {
        assert!(output.status.success(), "bash could not load the script: {}", stderr(&output));
    }
}

#[test]
fn k8s_corpus_is_fresh_and_toc_link_target_names_exactly_the_links_that_miss_on_github() {
    let archive =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/k8s-enhancements/keps-toc.tar.gz");
    if !archive.exists() {
        eprintln!("skipped: ../shared is not here");
        return;
    }
    let repo = TestRepo::new();
    // Both archives, as the repository has them: the documents and their kep.yaml files.
    for archive in [archive.clone(), archive.with_file_name("keps-meta.tar.gz")] {
        let unpacked = std::process::Command::new("tar").arg("-xzf").arg(&archive).arg("-C").arg(repo.path()).status();
        if !unpacked.is_ok_and(|s| s.success()) {
            return;
        }
    }
    repo.git(&["config", "kep.dir", "keps"]);
    repo.git(&["config", "kep.tocStyle", "html"]);
    let (_, report) = check_json(&repo, &[]);
    assert_eq!(report["files_checked"], 663);
    assert_eq!(report["counts"]["duplicate-number"], 0, "0000-* placeholders, 2133 replaced by its sig-node twin");
    assert_eq!(report["counts"]["stale-toc"], 0, "mdtoc wrote every TOC: git-kep writes the same");
    assert_eq!(report["counts"]["malformed-markers"], 0);
    let mut missing: Vec<(String, String)> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["rule"] == "toc-link-target")
        .map(|p| (p["path"].as_str().unwrap().to_owned(), p["message"].as_str().unwrap().to_owned()))
        .collect();
    missing.dedup_by(|a, b| a.0 == b.0);
    let files: Vec<&str> = missing.iter().map(|(path, _)| path.as_str()).collect();
    assert_eq!(
        files,
        [
            "keps/sig-api-machinery/2340-Consistent-reads-from-cache/README.md",
            "keps/sig-api-machinery/5073-declarative-validation-with-validation-gen/README.md",
            "keps/sig-node/688-pod-overhead/README.md",
            "keps/sig-storage/3107-csi-nodeexpandsecret/README.md",
        ]
    );
    assert_eq!(report["counts"]["toc-link-target"], 10, "3107: the seven entries after the stray fence");
    assert!(
        missing[2].1.contains("\"Pod Overhead\" (line 1)") && missing[2].1.contains("#pod-overhead-1"),
        "{}",
        missing[2].1
    );
    assert!(missing[1].1.contains("drop the space at the edge of the code span"), "{}", missing[1].1);
    assert!(missing[3].1.contains("not a heading"), "{}", missing[3].1);
}

#[test]
fn duplicate_number_leaves_placeholders_and_replaced_proposals_alone() {
    let repo = repo();
    // Placeholders and process documents: not numbered proposals.
    repo.write("proposals/0000-process/README.md", CLEAN);
    repo.write("proposals/0000-forum/README.md", CLEAN);
    // One replaced by the other (said in its status, or by naming it).
    repo.write("proposals/002-old/README.md", CLEAN);
    repo.write("proposals/002-old/kep.yaml", "title: Old\nstatus: replaced # by 002-new\n");
    repo.write("proposals/002-new/README.md", CLEAN);
    repo.write("proposals/003-first/README.md", CLEAN);
    repo.write(
        "proposals/003-first/kep.yaml",
        "title: First\nstatus: implemented\nsuperseded-by:\n  - proposals/003-second\n",
    );
    repo.write("proposals/003-second/README.md", CLEAN);
    // A real duplicate still is one.
    repo.write("proposals/004-a/README.md", CLEAN);
    repo.write("proposals/004-b/README.md", CLEAN);
    let (_, report) = check_json(&repo, &[]);
    let duplicates: Vec<&str> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["rule"] == "duplicate-number")
        .map(|p| p["path"].as_str().unwrap())
        .collect();
    assert_eq!(duplicates, ["proposals/004-a/README.md", "proposals/004-b/README.md"]);
}

#[test]
fn check_takes_a_directory_as_toc_does() {
    let repo = repo();
    repo.write("proposals/002-stale/README.md", "# Stale\n\n<!-- toc -->\n<!-- /toc -->\n\n## Summary\n");
    let (code, report) = check_json(&repo, &["proposals/002-stale"]);
    assert_eq!(code, Some(1));
    assert_eq!(report["files_checked"], 1);
    assert!(rules(&report).contains(&"stale-toc".to_owned()), "{report}");
}

#[test]
fn list_reads_kep_yaml_as_yaml_and_finds_the_readme_whatever_its_case() {
    let repo = repo();
    repo.write("proposals/005-comment/README.md", "# Commented\n");
    repo.write("proposals/005-comment/kep.yaml", "title: Commented\nstatus: implementable # Jumping over beta\n");
    repo.write("proposals/006-no-h1/README.MD", "Text without a title.\n");
    repo.write("proposals/006-no-h1/kep.yaml", "title: \"From kep.yaml\"\nstatus: 'provisional'\n");
    let json: serde_json::Value =
        serde_json::from_slice(&repo.ok(repo.kep(&["list", "--format", "json"])).stdout).unwrap();
    let entry = |number: u64| json.as_array().unwrap().iter().find(|e| e["number"] == number).unwrap().clone();
    assert_eq!(entry(5)["status"], "implementable", "the value, not its comment");
    assert_eq!(entry(6)["title"], "From kep.yaml", "no H1: kep.yaml's title");
    assert_eq!(entry(6)["status"], "provisional");
    assert_eq!(entry(6)["toc"], "none", "README.MD was found and read");
}

#[test]
fn since_reports_only_what_the_branch_introduced() {
    let repo = repo();
    // An old proposal with old problems: a broken link and the sections the template gained later.
    repo.write(
        "proposals/002-old/README.md",
        "# Old\n\n<!-- toc -->\n- [Old](#old)\n<!-- /toc -->\n\nSee [x](#gone).\n",
    );
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "--no-verify", "-m", "old"]);
    repo.git(&["checkout", "-q", "-b", "topic"]);
    // A harmless edit that moves the old problems' lines, and one new broken link.
    repo.write(
        "proposals/002-old/README.md",
        "# Old\n\n<!-- toc -->\n- [Old](#old)\n<!-- /toc -->\n\nA new paragraph.\n\nSee [x](#gone).\n\nAnd [y](#also-gone).\n",
    );
    let (code, report) = check_json(&repo, &["--since", "main"]);
    assert_eq!(code, Some(1));
    let found: Vec<(String, String)> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["rule"].as_str().unwrap().to_owned(), p["message"].as_str().unwrap().to_owned()))
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "broken-anchor");
    assert!(found[0].1.contains("#also-gone"), "{}", found[0].1);
    // Staged: the index, not the work tree (nothing staged yet: nothing introduced).
    let (code, report) = check_json(&repo, &["--since", "main", "--staged"]);
    assert_eq!((code, report["problems"].as_array().unwrap().len()), (Some(0), 0));
    repo.git(&["add", "-A"]);
    let (code, _) = check_json(&repo, &["--since", "main", "--staged"]);
    assert_eq!(code, Some(1));
    // Committed: nothing changed since HEAD.
    repo.git(&["commit", "-q", "--no-verify", "-m", "topic"]);
    let (code, report) = check_json(&repo, &["--since", "HEAD"]);
    assert_eq!((code, report["files_checked"].as_u64()), (Some(0), Some(0)));
    // A new proposal brings all its findings; a harmless edit in human format says what it leaves out.
    repo.write("proposals/003-new/README.md", "# New\n\n[z](#nowhere)\n");
    let output = repo.kep(&["check", "--since", "main"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).contains("proposals/003-new/README.md:3:1"), "{}", stdout(&output));
    assert!(stderr(&output).contains("older finding"), "{}", stderr(&output));
    // An unknown revision is an error that says what to do.
    let output = repo.kep(&["check", "--since", "origin/nope"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("fetch-depth"), "{}", stderr(&output));
}

#[test]
fn hook_reports_what_the_commit_introduces_in_a_kubernetes_enhancements_repository() {
    // A one-word edit to an old KEP used to print ~31 missing-section warnings (sections the
    // template gained later), and kep.strict refused every such commit.
    let Some((corpus, _)) = crate::corpus::k8s_corpus() else { return };
    let repo = TestRepo::new();
    let keps = corpus.path().join("keps");
    let status = std::process::Command::new("cp").arg("-r").arg(&keps).arg(repo.path()).status().unwrap();
    assert!(status.success());
    repo.write(".kepconfig", "[kep]\n\tdir = keps\n\ttocStyle = html\n\tstrict = true\n");
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "--no-verify", "-m", "the corpus"]);
    repo.ok(repo.kep(&["install"]));
    let kep = "keps/sig-node/2000-graceful-node-shutdown/README.md";
    let text = repo.read_string(kep);
    let before = repo.snapshot();
    // Harmless: a word in the text.
    let edited = text.replacen("## Summary\n", "## Summary\n\nA one-word edit.\n", 1);
    assert_ne!(edited, text);
    repo.write(kep, &edited);
    repo.git(&["add", kep]);
    let output = repo.ok(repo.git_in(&repo.path(), &["commit", "-q", "-m", "a word"]));
    let err = stderr(&output);
    assert!(!err.contains("missing-section") && !err.contains("error:") && !err.contains("warning:"), "{err}");
    assert!(err.contains("older finding"), "{err}");
    assert_ne!(repo.snapshot(), before);
    // A new broken anchor is introduced: refused under kep.strict, nothing changed.
    repo.write(kep, format!("{edited}\nSee [the plan](#no-such-section).\n"));
    repo.git(&["add", kep]);
    let before = repo.snapshot();
    let refused = repo.git_in(&repo.path(), &["commit", "-q", "-m", "broken"]);
    assert_eq!(refused.status.code(), Some(1));
    let err = stderr(&refused);
    assert!(err.contains("broken-anchor") && err.contains("#no-such-section"), "{err}");
    assert_eq!(err.matches("error:").count(), 1, "only the introduced finding: {err}");
    assert_eq!(repo.snapshot(), before);
    // A required section it had is dropped: that one is introduced, the older ones still are not.
    let dropped = edited.replacen("\n## Alternatives\n", "\nAlternatives considered:\n", 1);
    assert_ne!(dropped, edited);
    repo.write(kep, &dropped);
    repo.git(&["add", kep]);
    let before = repo.snapshot();
    let refused = repo.git_in(&repo.path(), &["commit", "-q", "-m", "dropped"]);
    assert_eq!(refused.status.code(), Some(1));
    let err = stderr(&refused);
    assert!(err.contains("error: missing-section: missing section \"Alternatives\""), "{err}");
    assert_eq!(err.matches("error:").count(), 1, "only the introduced finding: {err}");
    assert_eq!(repo.snapshot(), before);
}

/// A repository with both corpus archives (documents, kep.yaml files, prod-readiness, OWNERS_ALIASES).
fn k8s_repo_with_metadata() -> Option<TestRepo> {
    let archive =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/k8s-enhancements/keps-toc.tar.gz");
    if !archive.exists() {
        eprintln!("skipped: ../shared is not here");
        return None;
    }
    let repo = TestRepo::new();
    for archive in [archive.clone(), archive.with_file_name("keps-meta.tar.gz")] {
        let status = std::process::Command::new("tar").arg("-xzf").arg(&archive).arg("-C").arg(repo.path()).status();
        if !status.is_ok_and(|s| s.success()) {
            return None;
        }
    }
    repo.git(&["config", "kep.dir", "keps"]);
    repo.git(&["config", "kep.tocStyle", "html"]);
    // What `git kep init` writes where hack/verify-kep-metadata.sh runs (the corpus has no hack/).
    repo.git(&["config", "kep.metadataRules", "kubernetes"]);
    Some(repo)
}

#[test]
fn metadata_on_the_k8s_corpus_is_what_its_ci_accepts_and_values_find_the_real_inconsistencies() {
    let Some(repo) = k8s_repo_with_metadata() else { return };
    let (_, report) = check_json(&repo, &[]);
    assert_eq!(report["counts"]["metadata"], 0, "k/e's CI passes on every kep.yaml here");
    assert_eq!(report["counts"]["metadata-values"], 21);
    let values: Vec<&str> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["rule"] == "metadata-values")
        .map(|p| p["message"].as_str().unwrap())
        .collect();
    for kind in
        ["is not one of", "implies `stage: stable`", "differs from the folder's number", "is not a date written"]
    {
        assert!(values.iter().any(|m| m.contains(kind)), "{kind}");
    }
    let kinds =
        ["is not one of", "implies `stage: stable`", "differs from the folder's number", "is not a date written"];
    assert!(values.iter().all(|m| kinds.iter().any(|k| m.contains(k))), "{values:?}");
}

#[test]
fn metadata_rules_on_a_mutated_real_kep_yaml() {
    let Some(repo) = k8s_repo_with_metadata() else { return };
    let kep = "keps/sig-node/688-pod-overhead/kep.yaml";
    let prr = "keps/prod-readiness/sig-node/688.yaml";
    let original = repo.read_string(kep);
    let original_prr = repo.read_string(prr);
    let rules_for = |repo: &TestRepo| {
        let (_, report) = check_json(repo, &["keps/sig-node/688-pod-overhead"]);
        report["problems"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["rule"] == "metadata" || p["rule"] == "metadata-values")
            .map(|p| {
                (
                    p["path"].as_str().unwrap().to_owned(),
                    p["line"].as_u64().unwrap(),
                    p["message"].as_str().unwrap().to_owned(),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(rules_for(&repo), [], "the real file is clean");
    let cases: [(&str, String, &str, &str); 14] = [
        ("a typo", original.replace("owning-sig:", "owning_sig:"), kep, "did you mean `owning-sig`?"),
        ("syntax", original.replace("approvers:\n", "approvers: [\n"), kep, "not valid YAML"),
        ("required", original.replace("title: Pod Overhead\n", ""), kep, "`title` is required"),
        (
            "null",
            original.replace("approvers:\n  - \"@dchen1107\"\n  - \"@derekwaynecarr\"\n", "approvers:\n"),
            kep,
            "`approvers` is required",
        ),
        (
            "kind",
            original.replace("authors:\n  - \"@egernst\"\n", "authors: \"Eric <e@x.io>\"\n"),
            kep,
            "must be a list",
        ),
        ("stage", original.replace("stage: stable\n", "stage: alpha (deprecated)\n"), kep, "is not one of"),
        (
            "implemented",
            original.replace("stage: stable\n", "stage: beta\n"),
            prr,
            "no production-readiness approver for `beta`",
        ),
        ("number", original.replace("kep-number: 688", "kep-number: 1884"), kep, "differs from the folder's number"),
        ("date", original.replace("creation-date: 2019-02-26", "creation-date: 2019-2-26"), kep, "not a date written"),
        (
            "status",
            original.replace("status: implemented\n", "status: superseded\n"),
            kep,
            "`status: superseded` is not one of",
        ),
        ("implies", original.replace("stage: stable\n", "stage: beta\n"), kep, "implies `stage: stable`"),
        ("group", original.replace("owning-sig: sig-node", "owning-sig: sig-nodes"), kep, "names no group"),
        ("milestone", original.replace("latest-milestone: \"v1.24\"\n", ""), kep, "needs `latest-milestone`"),
        ("no stage", original.replace("stage: stable\n", ""), kep, "needs `stage`"),
    ];
    for (what, mutated, file, want) in cases {
        repo.write(kep, &mutated);
        let found = rules_for(&repo);
        assert!(found.iter().any(|(path, _, message)| path == file && message.contains(want)), "{what}: {found:?}");
    }
    repo.write(kep, &original);
    // The production-readiness file: missing, and naming someone who is not an approver.
    std::fs::remove_file(repo.path().join(prr)).unwrap();
    assert!(rules_for(&repo).iter().any(|(_, _, m)| {
        m.contains("needs its production-readiness approval in keps/prod-readiness/sig-node/688.yaml")
    }));
    repo.write(prr, original_prr.replace("approver:", "approver: \"@nobody\"\n  old-approver:"));
    assert!(!rules_for(&repo).is_empty());
    repo.write(prr, "kep-number: 688\nstable:\n  approver: \"@nobody\"\n");
    assert!(
        rules_for(&repo)
            .iter()
            .any(|(path, _, m)| path == prr && m.contains("@nobody is not a production-readiness approver"))
    );
    // A proposal folder with a README and no kep.yaml.
    std::fs::remove_file(repo.path().join(kep)).unwrap();
    assert!(rules_for(&repo).iter().any(|(_, _, m)| m.contains("has a README but no kep.yaml")));
}

#[test]
fn list_is_a_query_over_kep_yaml() {
    let repo = repo();
    let kep = |sig: &str, status: &str, stage: &str, milestone: &str, author: &str| {
        format!(
            "title: T\nowning-sig: {sig}\nstatus: {status}\nstage: {stage}\nlatest-milestone: \"{milestone}\"\nauthors:\n  - \"{author}\"\n"
        )
    };
    repo.write("proposals/002-a/README.md", "# A\n");
    repo.write("proposals/002-a/kep.yaml", kep("sig-node", "implementable", "beta", "v1.33", "@ada"));
    repo.write("proposals/003-b/README.md", "# B\n");
    repo.write("proposals/003-b/kep.yaml", kep("sig-apps", "implementable", "alpha", "v1.33", "@bob"));
    repo.write("proposals/004-c/README.md", "# C\n");
    repo.write("proposals/004-c/kep.yaml", kep("sig-node", "provisional", "alpha", "v1.34", "@ada"));
    let numbers = |args: &[&str]| -> Vec<u64> {
        let output = repo.ok(repo.kep(&[&["list", "--format", "json"][..], args].concat()));
        let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        json.as_array().unwrap().iter().map(|e| e["number"].as_u64().unwrap()).collect()
    };
    assert_eq!(numbers(&["--sig", "sig-node"]), [2, 4]);
    assert_eq!(numbers(&["--sig", "sig-node", "--status", "implementable"]), [2], "filters combine with AND");
    assert_eq!(
        numbers(&["--stage", "alpha", "--stage", "beta", "--milestone", "1.33"]),
        [2, 3],
        "a kind's values with OR"
    );
    assert_eq!(numbers(&["--author", "ada"]), [2, 4]);
    let output = repo.ok(repo.kep(&["list", "--sig", "sig-apps"]));
    assert_eq!(
        stdout(&output),
        "NUMBER  SIG       STATUS         STAGE  MILESTONE  TOC   FOLDER           TITLE\n     3  sig-apps  implementable  alpha  v1.33      none  proposals/003-b  B\n"
    );
    let output = repo.ok(repo.kep(&["list", "--format", "json", "--sig", "sig-apps"]));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json[0]["metadata"]["authors"][0], "@bob", "every kep.yaml field");
    assert_eq!(json[0]["stage"], "alpha");
}

#[test]
fn hook_checks_the_staged_kep_yaml_too() {
    let repo = TestRepo::new();
    repo.write(".kepconfig", "[kep]\n\tdir = keps\n\tcheckDisable = missing-section\n\tmetadataRules = kubernetes\n");
    let kep =
        "title: X\nkep-number: 12\nauthors:\n  - \"@a\"\nowning-sig: sig-node\napprovers: []\nstatus: provisional\n";
    repo.write("keps/sig-node/12-x/README.md", "# X\n");
    repo.write("keps/sig-node/12-x/kep.yaml", kep);
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "-m", "init"]);
    repo.ok(repo.kep(&["install"]));
    // A typo, and an older finding left alone: only the typo is said.
    repo.write("keps/sig-node/12-x/kep.yaml", kep.replace("owning-sig:", "owning_sig:"));
    repo.git(&["add", "-A"]);
    let output = repo.ok(repo.git_in(&repo.path(), &["commit", "-q", "-m", "typo"]));
    let err = stderr(&output);
    assert!(err.contains("keps/sig-node/12-x/kep.yaml:5:1: warning: metadata: unknown key `owning_sig`"), "{err}");
    // Under kep.strict an introduced metadata finding refuses the commit.
    repo.write("keps/sig-node/12-x/kep.yaml", kep.replace("status: provisional\n", "status: superseded\n"));
    repo.git(&["add", "-A"]);
    let before = repo.snapshot();
    let refused = repo.git_in(&repo.path(), &["-c", "kep.strict=true", "commit", "-q", "-m", "status"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(stderr(&refused).contains("metadata-values: `status: superseded`"), "{}", stderr(&refused));
    assert_eq!(repo.snapshot(), before);
}

#[test]
fn kubernetes_metadata_rules_apply_only_where_the_repository_runs_them() {
    // kueue's shape: kep.yaml copied from k/e, no owning-sig, no CI that checks it.
    let repo = TestRepo::new();
    for n in [11, 22, 33] {
        repo.write(&format!("keps/{n}-idea-{n}/README.md"), format!("# KEP-{n}: Idea\n"));
        repo.write(&format!("keps/{n}-idea-{n}/kep.yaml"), "title: Idea\nstatus: implementable\n");
    }
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "-m", "keps"]);
    let (_, report) = check_json(&repo, &[]);
    assert_eq!(report["counts"]["metadata"], 0, "{report}");
    // Where k/e's script is in the repository, `init` turns them on.
    repo.write("hack/verify-kep-metadata.sh", "#!/bin/sh\n");
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "-m", "ci"]);
    repo.ok(repo.kep(&["init"]));
    assert!(repo.read_string(".kepconfig").contains("\tmetadataRules = kubernetes\n"));
    let (_, report) = check_json(&repo, &[]);
    assert!(report["counts"]["metadata"].as_u64().unwrap() > 0, "owning-sig is k/e's rule: {report}");
}

/// A proposal with many missing sections and two broken links.
fn many_findings(repo: &TestRepo) {
    repo.write("template.md", "# T\n\n## Summary\n\n## Motivation\n\n## Goals\n\n## Proposal\n\n## Design\n");
    repo.write("proposals/002-old/README.md", "# Old\n\n[a](#x) [b](#y)\n");
}

#[test]
fn rule_and_skip_rule_pick_the_rules_by_their_names() {
    let repo = repo();
    many_findings(&repo);
    let (_, all) = check_json(&repo, &[]);
    assert!(rules(&all).contains(&"missing-section".to_owned()) && rules(&all).contains(&"broken-anchor".to_owned()));
    let (code, only) = check_json(&repo, &["--rule", "broken-anchor"]);
    assert_eq!((code, rules(&only)), (Some(1), vec!["broken-anchor".to_owned(); 2]));
    let (_, skipped) = check_json(&repo, &["--skip-rule", "missing-section", "--skip-rule", "broken-anchor"]);
    assert!(rules(&skipped).iter().all(|r| r != "missing-section" && r != "broken-anchor"), "{skipped}");
    let typo = repo.kep(&["check", "--rule", "broken-anchr"]);
    assert_eq!(typo.status.code(), Some(2));
    assert!(
        stderr(&typo).contains("unknown rule \"broken-anchr\" in --rule")
            && stderr(&typo).contains("did you mean broken-anchor?"),
        "{}",
        stderr(&typo)
    );
}

#[test]
fn human_output_is_grouped_by_file_shortened_per_rule_and_summed_up() {
    let repo = repo();
    many_findings(&repo);
    let output = repo.kep(&["check", "--color", "never"]);
    let out = stdout(&output);
    let missing: Vec<&str> =
        out.lines().filter(|l| l.starts_with("proposals/002-old/") && l.contains(": missing-section:")).collect();
    assert_eq!(missing.len(), 3, "three shown: {out}");
    assert!(
        out.contains("proposals/002-old/README.md: ")
            && out.contains(
                " more missing-section (all of them: git kep check --rule missing-section proposals/002-old/README.md)"
            ),
        "{out}"
    );
    let err = stderr(&output);
    assert!(
        err.contains("  by rule: broken-anchor: 2, missing-section: ")
            && err.contains("  most in: proposals/002-old/README.md ("),
        "{err}"
    );
    // With --rule, every one of them.
    let all = stdout(&repo.kep(&["check", "--color", "never", "--rule", "missing-section"]));
    assert!(all.lines().filter(|l| l.contains(": missing-section:")).count() > 3, "{all}");
}

#[test]
fn github_annotations_stay_within_what_github_shows() {
    let repo = repo();
    let links: String = (0..15).map(|i| format!("[l{i}](#nowhere-{i}) ")).collect();
    repo.write("proposals/003-links/README.md", format!("# Links\n\n{links}\n"));
    let out = stdout(&repo.kep(&["check", "--format", "github", "--rule", "broken-anchor"]));
    assert_eq!(out.lines().filter(|l| l.starts_with("::error ")).count(), 10, "{out}");
    assert!(out.contains("::notice title=git-kep::5 more findings"), "{out}");
}

#[test]
fn a_typo_in_a_setting_is_warned_about_once_with_the_closest_key() {
    let repo = repo();
    repo.write(".kepconfig", "[kep]\n\ttemplate = template.md\n\ttocStlye = html\n");
    let output = repo.kep(&["list"]);
    let err = stderr(&output);
    assert_eq!(err.matches("unknown setting").count(), 1, "{err}");
    assert!(err.contains("unknown setting kep.tocstlye (in ") && err.contains("did you mean kep.tocStyle?"), "{err}");
    // Known keys, and what `git kep install` saved as detected, are not warned about.
    repo.write(".kepconfig", "[kep]\n\ttemplate = template.md\n\ttocStyle = html\n");
    repo.git(&["init", "-q"]);
    repo.git(&["config", "kep.detected.layout", "proposals/{number}-{name}/README.md"]);
    assert!(!stderr(&repo.kep(&["list"])).contains("unknown setting"));
}

#[test]
fn list_refuses_an_unknown_filter_value_and_a_missing_proposals_directory() {
    let repo = repo();
    repo.write("proposals/001-clean/kep.yaml", "title: Clean\nstatus: implementable\n");
    let output = repo.kep(&["list", "--status", "bogus"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("--status \"bogus\": no proposal has it")
            && stderr(&output).contains("values here: implementable"),
        "{}",
        stderr(&output)
    );
    repo.ok(repo.kep(&["list", "--status", "implementable"]));
    let elsewhere = TestRepo::new();
    elsewhere.git(&["config", "kep.dir", "keps"]);
    let output = elsewhere.kep(&["list"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("the proposals directory `keps` does not exist"), "{}", stderr(&output));
}

#[test]
fn a_link_from_the_site_root_is_unchecked_without_kep_site_root_and_checked_with_it() {
    let repo = TestRepo::new();
    repo.write(
        "proposals/001-a/README.md",
        "# A\n\nSee [the guide](/docs/guide.md#setup) and [root](/README.md#nope).\n",
    );
    repo.write("README.md", "# Project\n");
    repo.write("site/docs/guide.md", "# Guide\n\n## Install\n");
    let broken = |repo: &TestRepo| {
        let output = repo.kep(&["check", "--format", "json"]);
        let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let mut messages: Vec<String> = json["problems"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["rule"] == "broken-anchor")
            .map(|p| p["message"].as_str().unwrap().to_owned())
            .collect();
        messages.sort();
        messages
    };
    assert_eq!(broken(&repo), Vec::<String>::new(), "a site generator decides where `/` is");
    repo.git(&["config", "kep.siteRoot", "site"]);
    let found = broken(&repo);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found[0].contains("/README.md#nope") && found[0].contains("does not exist"), "{found:?}");
    assert!(found[1].contains("/docs/guide.md#setup"), "{found:?}");
    repo.git(&["config", "kep.siteRoot", "."]);
    let found = broken(&repo);
    assert!(found.iter().any(|f| f.contains("/README.md#nope") && !f.contains("does not exist")), "{found:?}");
    assert!(found.iter().any(|f| f.contains("/docs/guide.md#setup") && f.contains("does not exist")), "{found:?}");
    repo.git(&["config", "kep.siteRoot", "../elsewhere"]);
    let output = repo.kep(&["check"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(crate::harness::stderr(&output).contains("kep.siteRoot"));
}

#[test]
fn template_lint_checks_only_added_proposals_for_the_templates_header_lines() {
    let repo = TestRepo::new();
    repo.write(
        ".kepconfig",
        "[kep]\n\tlayout = enhancements/{name}.md\n\ttemplate = guidelines/template.md\n\tsectionRule = template-lint\n",
    );
    repo.write("guidelines/template.md", "# Title\n\n## Summary\n\n### Goals\n\n## Open Questions [optional]\n");
    repo.write("enhancements/old.md", "# Old\n\nNo sections at all.\n");
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "--no-verify", "-m", "base"]);
    // Nothing added: nothing to check, whatever the old proposals lack.
    let all = repo.kep(&["check", "--rule", "missing-section"]);
    assert_eq!(all.status.code(), Some(0), "{}", stdout(&all));
    repo.git(&["checkout", "-q", "-b", "topic"]);
    // `## Summary and more` starts with the header line (grep's `^## Summary`); `#### Goals` does
    // not start with `### Goals`; no title.
    repo.write("enhancements/new.md", "Intro.\n\n## Summary and more\n\n#### Goals\n");
    repo.write("enhancements/old.md", "# Old\n\nStill no sections.\n");
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "--no-verify", "-m", "new"]);
    let output = repo.kep(&["check", "--since", "main", "--rule", "missing-section"]);
    let out = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{out}");
    assert!(out.contains("enhancements/new.md:1:1: missing-section: missing a title"), "{out}");
    assert!(out.contains("missing \"### Goals\" required by the template"), "{out}");
    assert!(!out.contains("Summary") && !out.contains("Open Questions") && !out.contains("old.md"), "{out}");
    // The hook, on a proposal without TOC markers that the commit adds.
    repo.ok(repo.kep(&["install"]));
    repo.write("enhancements/third.md", "# Third\n\n## Summary\n");
    repo.git(&["add", "enhancements/third.md"]);
    let commit = repo.git_in(&repo.path(), &["commit", "-q", "-m", "third"]);
    let said = stderr(&commit);
    assert_eq!(commit.status.code(), Some(0), "{said}");
    assert!(said.contains("enhancements/third.md:1:1: warning: missing-section: missing \"### Goals\""), "{said}");
}

#[test]
fn a_repository_without_proposals_yet_passes_check_and_toc_check() {
    // `init` in a repository with none writes the default folder; CI must not fail on it.
    let repo = TestRepo::new();
    repo.write("README.md", "# Project\n");
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "-m", "init"]);
    repo.ok(repo.kep(&["init"]));
    for args in [&["check"][..], &["toc", "--check"]] {
        let output = repo.kep(args);
        assert_eq!(output.status.code(), Some(0), "{args:?}: {}", stderr(&output));
        assert!(stderr(&output).contains("no proposals yet"), "{}", stderr(&output));
    }
}
