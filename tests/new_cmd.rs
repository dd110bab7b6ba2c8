//! `git kep new`: numbering, folder, branch, template, refusals that change nothing.

use crate::harness::{TestRepo, stderr, stdout};
use std::fs;

/// A repository with proposals 001 and 012 (a gap), a non-numeric folder, one commit.
fn repo_with_proposals() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("proposals/001-first/README.md", "# First\n");
    repo.write("proposals/012-twelfth/README.md", "# Twelfth\n");
    repo.write("proposals/sig-notes/README.md", "# Notes\n");
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "-m", "init"]);
    repo
}

/// Everything a refusal must leave as it was: status, refs, index, and the files.
fn state(repo: &TestRepo) -> String {
    let files = repo.git(&["ls-files", "--others", "--cached", "-s"]);
    format!("{}\n{files}\n{}", repo.snapshot(), repo.git(&["symbolic-ref", "-q", "HEAD"]))
}

#[test]
fn creates_numbered_folder_on_a_branch_with_the_title() {
    let repo = repo_with_proposals();
    let output = repo.ok(repo.kep(&["new", "Pod Overhead: v2"]));
    assert_eq!(repo.git(&["symbolic-ref", "--short", "HEAD"]).trim(), "kep/013-Pod-Overhead-v2");
    let readme = repo.read_string("proposals/013-Pod-Overhead-v2/README.md");
    assert!(readme.starts_with("# Pod Overhead: v2\n"), "{readme}");
    assert!(readme.contains("<!-- toc -->\n- [Pod Overhead: v2](#pod-overhead-v2)\n"), "{readme}");
    assert_eq!(repo.staged("proposals/013-Pod-Overhead-v2/README.md"), readme.as_bytes());
    assert!(stdout(&output).contains("git push -u origin kep/013-Pod-Overhead-v2"));
    let check = repo.kep(&["toc", "--check", "proposals/013-Pod-Overhead-v2/README.md"]);
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
    assert_eq!(repo.show("HEAD:proposals/001-first/README.md"), b"# First\n", "no commit made");
}

#[test]
fn numbers_taken_on_other_branches_are_skipped() {
    let repo = repo_with_proposals();
    repo.git(&["switch", "-q", "-c", "someone-else"]);
    repo.write("proposals/020-theirs/README.md", "# Theirs\n");
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "-m", "theirs"]);
    // ... and one only on a remote-tracking branch.
    repo.git(&["update-ref", "refs/remotes/origin/other", "HEAD"]);
    repo.git(&["switch", "-q", "main"]);
    repo.git(&["branch", "-q", "-D", "someone-else"]);
    repo.ok(repo.kep(&["new", "Mine"]));
    assert!(repo.path().join("proposals/021-Mine/README.md").is_file());
    let taken = repo.kep(&["new", "Again", "--number", "20"]);
    assert_eq!(taken.status.code(), Some(1));
    assert!(stderr(&taken).contains("number 20 is already in use"), "{}", stderr(&taken));
}

#[test]
fn padding_follows_the_widest_existing_number() {
    let repo = TestRepo::new();
    repo.write("proposals/0752-endpointslices/README.md", "# E\n");
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "-m", "init"]);
    repo.ok(repo.kep(&["new", "Wide", "--number", "7"]));
    assert!(repo.path().join("proposals/0007-Wide/README.md").is_file());
}

#[test]
fn dirty_work_tree_is_kept_across_the_switch() {
    let repo = repo_with_proposals();
    repo.write("proposals/001-first/README.md", "# First, edited\n");
    repo.write("untracked.txt", "mine\n");
    repo.ok(repo.kep(&["new", "Keep My Work"]));
    assert_eq!(repo.read("proposals/001-first/README.md"), b"# First, edited\n");
    assert_eq!(repo.read("untracked.txt"), b"mine\n");
    let status = repo.git(&["status", "--porcelain"]);
    assert!(status.contains(" M proposals/001-first/README.md"), "{status}");
}

#[test]
fn every_refusal_changes_nothing() {
    let repo = repo_with_proposals();
    // An existing (empty, untracked) folder takes its number: the next one is 14.
    fs::create_dir_all(repo.path().join("proposals/013-Existing")).unwrap();
    repo.git(&["branch", "kep/014-Taken-Branch"]);
    let cases: &[(&[&str], &str)] = &[
        (&["new", ""], "the title is empty"),
        (&["new", "!!! ???"], "no letters or digits"),
        (&["new", "a/b"], "path separator"),
        (&["new", "up .. there"], "`..`"),
        (&["new", "Fine", "--name", "../escape"], "--name"),
        (&["new", "Fine", "--name", "bad.lock"], "hint: choose a --name git accepts"),
        (&["new", "Taken Branch"], "already exists"),
        (&["new", "Existing", "--number", "13"], "proposals/013-Existing (work tree)"),
        (&["new", "Fine", "--number", "12"], "already in use"),
        (&["new", "Fine", "--base", "no-such-rev"], "does not name a commit"),
    ];
    for (args, message) in cases {
        let before = state(&repo);
        let output = repo.kep(args);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {}", stderr(&output));
        assert!(stderr(&output).contains(message), "{args:?}: {}", stderr(&output));
        assert_eq!(state(&repo), before, "{args:?} changed something");
    }
    // A branch prefix git refuses is blamed, not the name.
    repo.git(&["config", "kep.branchPrefix", "bad.."]);
    let before = state(&repo);
    let output = repo.kep(&["new", "Fine"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("hint: fix the branch prefix (`git config kep.branchPrefix"),
        "{}",
        stderr(&output)
    );
    assert_eq!(state(&repo), before);
}

#[test]
fn a_missing_template_is_refused_and_one_without_markers_gets_no_toc() {
    let repo = repo_with_proposals();
    repo.git(&["config", "kep.template", "templates/missing.md"]);
    let before = state(&repo);
    let output = repo.kep(&["new", "X"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("does not exist"), "{}", stderr(&output));
    assert_eq!(state(&repo), before);
    // Most repositories' templates have no markers: the proposal has no TOC either.
    repo.write("templates/plain.md", "# Plain\n\nNo markers.\n");
    repo.git(&["config", "kep.template", "templates/plain.md"]);
    repo.ok(repo.kep(&["new", "X"]));
    assert_eq!(repo.staged("proposals/013-X/README.md"), b"# X\n\nNo markers.\n");
}

#[test]
fn refused_during_a_merge_and_in_a_bare_repository() {
    let repo = repo_with_proposals();
    repo.git(&["switch", "-q", "-c", "side"]);
    repo.write("proposals/001-first/README.md", "# Side\n");
    repo.git(&["commit", "-q", "-am", "side"]);
    repo.git(&["switch", "-q", "main"]);
    repo.write("proposals/001-first/README.md", "# Main\n");
    repo.git(&["commit", "-q", "-am", "main"]);
    assert!(!repo.git_in(&repo.path(), &["merge", "-q", "side"]).status.success());
    let before = state(&repo);
    let output = repo.kep(&["new", "During Merge"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("a merge is in progress"), "{}", stderr(&output));
    assert_eq!(state(&repo), before);

    let bare = repo.path().parent().unwrap().join("bare.git");
    repo.git(&["init", "-q", "--bare", bare.to_str().unwrap()]);
    let output = repo.kep_in(&bare, &["new", "Bare"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("bare repository"), "{}", stderr(&output));
}

#[test]
fn dry_run_prints_the_plan_and_changes_nothing() {
    let repo = repo_with_proposals();
    let before = state(&repo);
    let output = repo.ok(repo.kep(&["new", "Dry Idea", "--dry-run"]));
    let out = stdout(&output);
    for expected in
        ["proposals/013-Dry-Idea/", "kep/013-Dry-Idea", "base:     HEAD", "proposals/013-Dry-Idea/README.md"]
    {
        assert!(out.contains(expected), "{expected} missing from {out}");
    }
    assert_eq!(state(&repo), before);
    assert!(!repo.path().join("proposals/013-Dry-Idea").exists());
}

#[test]
fn commit_flag_commits_the_new_files_only() {
    let repo = repo_with_proposals();
    repo.write("other.txt", "staged elsewhere\n");
    repo.git(&["add", "other.txt"]);
    repo.ok(repo.kep(&["new", "Committed Idea", "--commit"]));
    assert_eq!(repo.git(&["log", "-1", "--format=%s"]).trim(), "Add proposal 13: Committed Idea");
    assert_eq!(
        repo.git(&["show", "--name-only", "--format=", "HEAD"]).trim(),
        "proposals/013-Committed-Idea/README.md"
    );
    assert_eq!(repo.staged("other.txt"), b"staged elsewhere\n");
}

#[test]
fn kepconfig_dir_and_template_folder_with_kep_yaml() {
    let repo = TestRepo::new();
    repo.write(".kepconfig", "[kep]\n\tdir = keps\n\tbranchPrefix = proposal/\n");
    repo.write("keps/NNNN-kep-template/README.md", "# KEP Template\n\n<!-- toc -->\n<!-- /toc -->\n\n## Summary\n");
    repo.write(
        "keps/NNNN-kep-template/kep.yaml",
        "title: KEP Template\nkep-number: NNNN\nauthors:\n  - \"@jane.doe\"\nowning-sig: sig-xxx\nstatus: provisional|implementable\ncreation-date: yyyy-mm-dd\n",
    );
    repo.write("keps/0042-old/README.md", "# Old\n");
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "-m", "init"]);
    repo.ok(repo.kep(&["new", "Shiny Thing"]));
    assert_eq!(repo.git(&["symbolic-ref", "--short", "HEAD"]).trim(), "proposal/0043-Shiny-Thing");
    assert_eq!(
        repo.read_string("keps/0043-Shiny-Thing/README.md"),
        "# Shiny Thing\n\n<!-- toc -->\n- [Shiny Thing](#shiny-thing)\n  - [Summary](#summary)\n<!-- /toc -->\n\n## Summary\n"
    );
    let today =
        String::from_utf8(repo.command("date", &repo.path()).args(["-u", "+%Y-%m-%d"]).output().unwrap().stdout)
            .unwrap();
    assert_eq!(
        repo.read_string("keps/0043-Shiny-Thing/kep.yaml"),
        format!(
            "title: \"Shiny Thing\"\nkep-number: 43\nauthors:\n  - \"Ada Author <ada@example.com>\"\nowning-sig: sig-xxx\nstatus: provisional\ncreation-date: {}\n",
            today.trim()
        )
    );
    assert_eq!(
        repo.git(&["diff", "--cached", "--name-only"]),
        "keps/0043-Shiny-Thing/README.md\nkeps/0043-Shiny-Thing/kep.yaml\n"
    );
    // `git -c user.name=...` names the author for one proposal, as git would.
    repo.git(&["commit", "-q", "-m", "shiny"]);
    repo.git(&["-c", "user.name=Bo Other", "kep", "new", "Other Thing"]);
    assert!(
        repo.read_string("keps/0044-Other-Thing/kep.yaml").contains("  - \"Bo Other <ada@example.com>\"\n"),
        "{}",
        repo.read_string("keps/0044-Other-Thing/kep.yaml")
    );
    // A GitHub handle in git's config (`github.user`) is how proposals name their authors.
    repo.git(&["commit", "-q", "-m", "other"]);
    repo.git(&["-c", "github.user=ada-gh", "kep", "new", "Third Thing"]);
    let yaml = repo.read_string("keps/0045-Third-Thing/kep.yaml");
    assert!(yaml.contains("  - \"@ada-gh\"\n"), "{yaml}");
}

#[test]
fn unborn_head_starts_the_branch_unborn() {
    let repo = TestRepo::new();
    repo.ok(repo.kep(&["new", "First Ever"]));
    assert_eq!(repo.git(&["symbolic-ref", "HEAD"]).trim(), "refs/heads/kep/001-First-Ever");
    assert!(repo.path().join("proposals/001-First-Ever/README.md").is_file());
    repo.ok(repo.git_in(&repo.path(), &["commit", "-q", "-m", "first"]));
    assert_eq!(repo.git(&["rev-list", "--count", "HEAD"]).trim(), "1");
}

#[test]
fn base_revision_checks_out_safely() {
    let repo = repo_with_proposals();
    let first = repo.git(&["rev-parse", "HEAD"]).trim().to_owned();
    repo.write("later.txt", "later\n");
    repo.git(&["add", "later.txt"]);
    repo.git(&["commit", "-q", "-m", "later"]);
    repo.ok(repo.kep(&["new", "From The Past", "--base", &first]));
    assert_eq!(repo.git(&["rev-parse", "HEAD"]).trim(), first);
    assert!(!repo.path().join("later.txt").exists());
    // A local change that the checkout would overwrite: refused, nothing changed.
    repo.git(&["switch", "-q", "main"]);
    repo.git(&["reset", "-q", "--hard"]);
    repo.write("later.txt", "my edit\n");
    let before = state(&repo);
    let output = repo.kep(&["new", "Blocked", "--base", &first]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert_eq!(state(&repo), before);
    assert_eq!(repo.read("later.txt"), b"my edit\n");
}

#[test]
fn builtin_template_has_the_seed_structure() {
    let seed_path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seed/kep-template.md");
    let Ok(seed) = fs::read_to_string(seed_path) else {
        eprintln!("skipped: ../shared is not here");
        return;
    };
    let builtin = git_kep::proposal::scaffold::BUILTIN_TEMPLATE;
    let headings =
        |text: &str| -> Vec<String> { text.lines().filter(|l| l.starts_with('#')).map(str::to_owned).collect() };
    let toc = |text: &str| -> String {
        let start = text.find("\n<!-- toc -->\n").unwrap();
        let end = text.find("\n<!-- /toc -->\n").unwrap();
        text[start..end].to_owned()
    };
    assert_eq!(headings(builtin), headings(&seed));
    assert_eq!(toc(builtin), toc(&seed));
    assert_eq!(git_kep::toc::regenerate(builtin, &Default::default()), Ok(git_kep::toc::Outcome::Fresh));
    assert_ne!(builtin, seed, "guidance text in our own words");
}

#[test]
fn a_step_failing_midway_is_undone() {
    let repo = repo_with_proposals();
    repo.write("proposals/001-first/README.md", "# First, edited\n");
    // A pre-commit hook that refuses every commit makes `--commit` fail after the branch, the
    // files and the index were changed.
    let hook = repo.path().join(".git/hooks/pre-commit");
    fs::create_dir_all(hook.parent().unwrap()).unwrap();
    fs::write(&hook, "#!/bin/sh\necho no commits today >&2\nexit 1\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&hook, fs::Permissions::from_mode(0o755)).unwrap();
    }
    let before = state(&repo);
    let output = repo.kep(&["new", "Doomed", "--commit"]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(err.contains("no commits today") && err.contains("everything was undone"), "{err}");
    assert_eq!(state(&repo), before);
    assert!(!repo.path().join("proposals/013-Doomed").exists());
    assert_eq!(repo.read("proposals/001-first/README.md"), b"# First, edited\n");
}

#[test]
fn numbers_in_nested_folders_count_too() {
    let repo = TestRepo::new();
    repo.write(".kepconfig", "[kep]\n\tdir = keps\n");
    repo.write("keps/sig-node/0688-pod-overhead/README.md", "# A\n");
    repo.write("keps/sig-apps/0961-max-unavailable/README.md", "# B\n");
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "-m", "init"]);
    repo.git(&["switch", "-q", "-c", "other"]);
    repo.write("keps/sig-auth/1000-later/README.md", "# C\n");
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "-m", "later"]);
    repo.git(&["switch", "-q", "main"]);
    // Grouped by SIG: the proposal goes into its group, numbered across all of them and branches.
    repo.ok(repo.kep(&["new", "Next One", "--sig", "sig-node"]));
    assert!(repo.path().join("keps/sig-node/1001-Next-One/README.md").is_file());
}

#[test]
fn a_non_ascii_title_takes_its_folder_name_from_name() {
    let repo = repo_with_proposals();
    let refused = repo.kep(&["new", "Привет мир"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(stderr(&refused).contains("--name"), "{}", stderr(&refused));
    repo.ok(repo.kep(&["new", "Привет мир", "--name", "hello-world"]));
    let readme = repo.read_string("proposals/013-hello-world/README.md");
    assert!(readme.starts_with("# Привет мир\n"));
    assert!(readme.contains("- [Привет мир](#привет-мир)"), "{readme}");
}

#[test]
fn a_long_title_names_the_folder_and_branch_with_its_first_words_and_a_long_name_is_refused() {
    let repo = repo_with_proposals();
    let title = "Let every kubelet negotiate its own image credential provider plugins over gRPC \
                 with projected service account tokens bound to the pod that pulls the image";
    repo.ok(repo.kep(&["new", title]));
    let folder = "013-Let-every-kubelet-negotiate-its-own-image-credential-provider-plugins-over-gRPC";
    let readme = repo.read_string(&format!("proposals/{folder}/README.md"));
    assert!(readme.starts_with(&format!("# {title}\n")), "the title is kept whole: {readme}");
    assert_eq!(repo.git(&["branch", "--show-current"]).trim(), format!("kep/{folder}"));

    repo.git(&["switch", "-q", "main"]);
    let before = state(&repo);
    let refused = repo.kep(&["new", "Short", "--name", &"n".repeat(256)]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(stderr(&refused).contains("the name is 256 bytes long; a folder and branch name takes at most 200"));
    assert_eq!(state(&repo), before);
}

#[test]
fn new_in_a_repository_grouped_by_sig_as_kubernetes_enhancements_keeps_it() {
    // It used to make keps/9999-Title/ (outside any sig-*), keep the template's placeholders in
    // kep.yaml and its `# KEP-NNNN:` H1 pattern out, and make no production-readiness file.
    let Some((corpus, _)) = crate::corpus::k8s_corpus() else { return };
    let meta =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/k8s-enhancements/keps-meta.tar.gz");
    let repo = TestRepo::new();
    let copied = std::process::Command::new("cp").arg("-r").arg(corpus.path().join("keps")).arg(repo.path()).status();
    assert!(copied.unwrap().success());
    assert!(
        std::process::Command::new("tar").arg("-xzf").arg(&meta).arg("-C").arg(repo.path()).status().unwrap().success()
    );
    repo.write(".kepconfig", "[kep]\n\tdir = keps\n\ttocStyle = html\n");
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "--no-verify", "-m", "k/e"]);
    repo.git(&["config", "kep.author", "@ada"]);
    let before = repo.snapshot();
    // Refusals first: no group, an unknown one, a number used by another SIG, a bad stage.
    let no_sig = repo.kep(&["new", "Pod Priority Preemption v2"]);
    assert_eq!(no_sig.status.code(), Some(1));
    assert!(stderr(&no_sig).contains("--sig NAME") && stderr(&no_sig).contains("sig-node"), "{}", stderr(&no_sig));
    let unknown = repo.kep(&["new", "X", "--sig", "sig-nope"]);
    assert!(stderr(&unknown).contains("there is no group \"sig-nope\""), "{}", stderr(&unknown));
    let taken = repo.kep(&["new", "X", "--sig", "sig-node", "--number", "688"]);
    assert!(stderr(&taken).contains("number 688 is already in use"), "{}", stderr(&taken));
    let stage = repo.kep(&["new", "X", "--sig", "sig-node", "--stage", "gamma"]);
    // Refused by the command line, which also completes the stages (`new --stage <TAB>`).
    assert!(
        stderr(&stage).contains("invalid value 'gamma'") && stderr(&stage).contains("alpha, beta, stable"),
        "{}",
        stderr(&stage)
    );
    let issue = repo.git_in(&repo.path(), &["-c", "kep.numbering=issue", "kep", "new", "X", "--sig", "sig-node"]);
    assert!(String::from_utf8_lossy(&issue.stderr).contains("--number N"), "{:?}", issue);
    assert_eq!(repo.snapshot(), before, "refusals change nothing");

    let args = ["new", "Pod Priority Preemption v2", "--sig", "sig-node", "--participating-sig", "sig-scheduling"];
    let more = ["--milestone", "v1.36", "--approver", "@dchen1107", "--prr-approver", "@johnbelamaric"];
    let output = repo.ok(repo.kep(&[&args[..], &more[..]].concat()));
    let created = stdout(&output);
    let number: u32 = created.split_whitespace().nth(2).unwrap().parse().unwrap();
    let folder = format!("keps/sig-node/{number}-Pod-Priority-Preemption-v2");
    assert!(created.contains(&folder), "{created}");
    let readme = repo.read_string(&format!("{folder}/README.md"));
    assert!(readme.contains(&format!("\n# KEP-{number}: Pod Priority Preemption v2\n")), "the template's H1 pattern");
    let kep =
        yaml_rust2::YamlLoader::load_from_str(&repo.read_string(&format!("{folder}/kep.yaml"))).unwrap().remove(0);
    assert_eq!(kep["kep-number"].as_i64(), Some(i64::from(number)));
    assert_eq!(kep["owning-sig"].as_str(), Some("sig-node"));
    assert_eq!(kep["authors"][0].as_str(), Some("@ada"));
    assert_eq!(kep["participating-sigs"][0].as_str(), Some("sig-scheduling"));
    assert_eq!(kep["status"].as_str(), Some("provisional"));
    assert_eq!(kep["stage"].as_str(), Some("alpha"));
    assert_eq!(kep["latest-milestone"].as_str(), Some("v1.36"));
    assert_eq!(kep["milestone"]["alpha"].as_str(), Some("v1.36"));
    assert_eq!(kep["approvers"][0].as_str(), Some("@dchen1107"));
    assert_eq!(kep["reviewers"][0].as_str(), Some("TBD"));
    assert!(
        kep["see-also"].as_vec().is_some_and(Vec::is_empty) && kep["feature-gates"].as_vec().is_some_and(Vec::is_empty)
    );
    let prr = format!("keps/prod-readiness/sig-node/{number}.yaml");
    let prr_yaml = yaml_rust2::YamlLoader::load_from_str(&repo.read_string(&prr)).unwrap().remove(0);
    assert_eq!(prr_yaml["alpha"]["approver"].as_str(), Some("@johnbelamaric"));
    let staged = repo.git(&["diff", "--cached", "--name-only"]);
    assert!(staged.contains(&prr) && staged.contains(&format!("{folder}/kep.yaml")), "{staged}");
    // It passes every rule, toc --check, and mdtoc's own --dryrun, at once.
    let (code, report) = {
        let output = repo.kep(&["check", "--format", "json", &folder]);
        (output.status.code(), serde_json::from_slice::<serde_json::Value>(&output.stdout).unwrap())
    };
    assert_eq!((code, report["problems"].as_array().unwrap().len()), (Some(0), 0), "{report}");
    repo.ok(repo.kep(&["toc", "--check", &format!("{folder}/README.md")]));
    if let Some(mdtoc) = crate::mdtoc_oracle::mdtoc() {
        let dryrun = std::process::Command::new(mdtoc)
            .args(["--inplace", "--max-depth=5", "--dryrun"])
            .arg(repo.path().join(&folder).join("README.md"))
            .status()
            .unwrap();
        assert!(dryrun.success(), "mdtoc --dryrun passes");
    }
}

#[test]
fn sig_is_refused_where_proposals_are_not_grouped() {
    let repo = TestRepo::new();
    repo.write("proposals/001-first/README.md", crate::harness::FRESH_KEP);
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "-m", "init"]);
    let output = repo.kep(&["new", "X", "--sig", "sig-node"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("does not keep proposals by group"), "{}", stderr(&output));
}

#[test]
fn other_staged_changes_are_said_to_come_along_and_commit_leaves_them_staged() {
    let repo = repo_with_proposals();
    repo.write("notes.txt", "mine\n");
    repo.git(&["add", "notes.txt"]);
    let output = repo.ok(repo.kep(&["new", "Along", "--commit"]));
    assert!(
        stderr(&output).contains("other staged changes come along onto kep/") && stderr(&output).contains("notes.txt"),
        "{}",
        stderr(&output)
    );
    // The commit holds the proposal only; the other change is still staged.
    let committed = repo.git(&["show", "--name-only", "--format=", "HEAD"]);
    assert!(!committed.contains("notes.txt"), "{committed}");
    assert!(repo.git(&["diff", "--cached", "--name-only"]).contains("notes.txt"));
}

#[test]
fn a_templates_places_for_title_date_and_number_are_filled_and_its_sections_kept() {
    // A Rust-style template: sections as H1s, the first linked; the title goes to `Name:`.
    let repo = TestRepo::new();
    let template = "# Meta\n[meta]: #meta\n- Name: (fill in the feature name: My Feature)\n\
                    - Start Date: (fill in today's date: YYYY-MM-DD)\n\n\
                    # Table of Contents\n- [Meta](#meta)\n- [Overview](#overview)\n\n# Overview\n[overview]: #overview\n";
    repo.write("proposals/template.md", template);
    for name in ["first", "second", "third", "fourth", "fifth"] {
        repo.write(&format!("proposals/{name}.md"), "# Meta\n\n# Overview\n");
    }
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "-m", "proposals"]);
    repo.ok(repo.kep(&["init"]));
    repo.ok(repo.kep(&["new", "Dry Run"]));
    let today = repo.command("date", &repo.path()).args(["-u", "+%Y-%m-%d"]).output().unwrap().stdout;
    let today = String::from_utf8(today).unwrap();
    let written = repo.read_string("proposals/dry-run.md");
    let want = template
        .replace("(fill in the feature name: My Feature)", "Dry Run")
        .replace("(fill in today's date: YYYY-MM-DD)", today.trim());
    assert_eq!(written, want);
    let check = repo.kep(&["check", "proposals/dry-run.md"]);
    assert_eq!(check.status.code(), Some(0), "{}{}", stdout(&check), stderr(&check));

    // A numbered H1 without a colon, and a date line: `RFC-0004 Title`.
    let repo = TestRepo::new();
    repo.write("rfcs/RFC-0000/README.md", "# RFC-NNNN Title\n\n**Creation date:** YYYY-MM-DD\n\n## Summary\n");
    repo.write("rfcs/0001-a/README.md", "# RFC-0001 A\n\n## Summary\n");
    repo.write("rfcs/0002-b/README.md", "# RFC-0002 B\n\n## Summary\n");
    repo.write("rfcs/0003-c/README.md", "# RFC-0003 C\n\n## Summary\n");
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "-m", "rfcs"]);
    repo.ok(repo.kep(&["init"]));
    assert!(
        repo.read_string(".kepconfig").contains("\ttemplate = rfcs/RFC-0000\n"),
        "{}",
        repo.read_string(".kepconfig")
    );
    repo.ok(repo.kep(&["new", "OCI Signing"]));
    let written = repo.read_string("rfcs/0004-oci-signing/README.md");
    assert_eq!(written, format!("# RFC-0004 OCI Signing\n\n**Creation date:** {}\n\n## Summary\n", today.trim()));
}

#[test]
fn a_new_proposal_takes_the_next_number_of_its_own_series() {
    // gRPC-like: A1..A6 and L1..L4, L20; each letter numbers on its own.
    let repo = TestRepo::new();
    for n in 1..=6 {
        repo.write(&format!("A{n}-idea-{n}.md"), format!("A{n}\n----\n"));
    }
    for n in [1, 2, 3, 4, 20] {
        repo.write(&format!("L{n}-lang-{n}.md"), format!("L{n}\n----\n"));
    }
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "-m", "proposals"]);
    repo.ok(repo.kep(&["init"]));
    assert!(repo.read_string(".kepconfig").contains("\tlayout = A{number}-{name}.md L{number}-{name}.md\n"));
    repo.ok(repo.kep(&["new", "Retries"]));
    assert!(repo.path().join("A7-retries.md").is_file(), "{}", repo.git(&["status", "--short"]));
    let check = repo.kep(&["check", "--rule", "duplicate-number"]);
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
}

#[test]
fn a_new_proposal_gets_the_markers_of_the_toc_tool_the_repository_runs() {
    for (style, start, end) in [
        (
            "doctoc",
            "<!-- START doctoc generated TOC please keep comment here to allow auto update -->",
            "<!-- END doctoc",
        ),
        ("markdown-toc", "<!-- toc -->", "<!-- tocstop -->"),
        // mdtoc's markers stay; the text that names them does not (mdtoc would take it).
        ("html", "<!-- toc -->", "<!-- /toc -->"),
    ] {
        let repo = TestRepo::new();
        repo.write(
            ".kepconfig",
            format!("[kep]\n\tlayout = docs/proposals/{{date}}-{{name}}.md\n\ttocStyle = {style}\n"),
        );
        repo.write("docs/proposals/20240101-a.md", "# A\n\n## Summary\n");
        repo.git(&["add", "-A"]);
        repo.git(&["commit", "-q", "-m", "proposals"]);
        repo.ok(repo.kep(&["new", "Some Title"]));
        let added = repo.git(&["diff", "--cached", "--name-only", "HEAD"]);
        let file =
            added.lines().find(|f| f.ends_with("-some-title.md") || f.ends_with("-Some-Title.md")).expect("new file");
        let text = repo.read_string(file);
        let old_pair = style != "html" && text.lines().any(|line| line == "<!-- /toc -->");
        let named = text.contains("`<!-- toc -->`");
        assert!(text.contains(start) && text.contains(end) && !old_pair && !named, "{style}: {text}");
        let check = repo.kep(&["check", file]);
        assert_eq!(check.status.code(), Some(0), "{style}: {}{}", stdout(&check), stderr(&check));
    }
}

#[test]
fn kep_yaml_fields_are_filled_where_proposals_have_no_groups() {
    let repo = TestRepo::new();
    repo.write(".kepconfig", "[kep]\n\tlayout = keps/{number}-{name}/README.md\n\ttemplate = keps/NNNN-template\n");
    repo.write("keps/NNNN-template/README.md", "# KEP-NNNN: Title\n\n## Summary\n");
    repo.write(
        "keps/NNNN-template/kep.yaml",
        "title: T\nowning-sig: sig-apps\nreviewers:\n  - TBD\n  - \"@alice.doe\"\nstage: alpha|beta|stable\nlatest-milestone: \"v0.2\"\n",
    );
    repo.write("keps/1-a/README.md", "# KEP-1: A\n\n## Summary\n");
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "-m", "keps"]);
    repo.ok(repo.kep(&["new", "Baz", "--stage", "beta", "--milestone", "v0.9", "--reviewer", "@bob"]));
    let yaml = repo.read_string("keps/2-Baz/kep.yaml");
    assert!(yaml.contains("owning-sig: sig-apps\n"), "the template's group stays: {yaml}");
    assert!(yaml.contains("reviewers:\n  - \"@bob\"\n") && !yaml.contains("alice"), "{yaml}");
    assert!(yaml.contains("stage: beta\n") && yaml.contains("latest-milestone: \"v0.9\"\n"), "{yaml}");
}
