//! The pre-commit hook under real `git commit`: index blobs, commits, work-tree bytes, exit codes.

use crate::harness::{FRESH_KEP, STALE_KEP, TestRepo, fresh_with_section, stderr, with_section};
use std::fs;

const KEP: &str = "proposals/001-first/README.md";

#[test]
fn stale_toc_is_committed_fresh_and_work_tree_follows() {
    let repo = TestRepo::with_hook();
    repo.write(KEP, with_section("Design"));
    repo.git(&["add", KEP]);
    let output = repo.ok(repo.git_in(&repo.path(), &["commit", "-q", "-m", "design"]));
    // The hook rebuilt the trees above the proposal in git's cache tree (so git did not have to):
    // they are valid and are the trees committed.
    let index = fs::read(repo.path().join(".git/index")).unwrap();
    let cached = git_kep::git::index_file::read_under(&index, b"proposals/").unwrap().cached_trees;
    for dir in ["", "proposals", "proposals/001-first"] {
        let (_, id) = cached.iter().find(|(path, _)| path == dir.as_bytes()).expect("a valid cache-tree node");
        let hex: String = id.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, repo.git(&["rev-parse", &format!("HEAD:{dir}")]).trim(), "{dir:?}");
    }
    assert_eq!(repo.git(&["rev-parse", "HEAD^{tree}"]), tree_from_scratch(&repo));
    let want = fresh_with_section("Design");
    assert_eq!(repo.show(&format!("HEAD:{KEP}")), want.as_bytes());
    assert_eq!(repo.staged(KEP), want.as_bytes());
    assert_eq!(repo.read(KEP), want.as_bytes());
    assert!(stderr(&output).contains("+  - [Design](#design)"), "diff shown: {}", stderr(&output));
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
    // The index the hook edited in place: its checksum and cache tree hold (fsck verifies both),
    // and the tree git caches for HEAD's commit is the one it committed.
    repo.git(&["fsck", "--no-dangling", "--no-progress"]);
    assert_eq!(repo.git(&["write-tree"]), repo.git(&["rev-parse", "HEAD^{tree}"]));
    assert!(!repo.path().join(".git/index.lock").exists());
}

#[test]
fn trees_planned_before_something_else_was_staged_are_not_cached() {
    // The hook plans the trees above a proposal from the cache tree it first reads. If another
    // file of that directory is staged before it takes the index lock, those trees are stale:
    // the index must get trees of what it holds then, or git would commit the wrong tree.
    use git_kep::git::{Repo, Restage, blob_id};
    let repo = TestRepo::new();
    repo.write(KEP, FRESH_KEP);
    repo.write("proposals/001-first/notes.md", "notes\n");
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "-m", "one"]);
    repo.write(KEP, with_section("Design"));
    repo.git(&["add", KEP]);
    // As `git commit` does before it runs the hook: a cache tree valid all the way down.
    repo.git(&["write-tree"]);
    let git = Repo::discover(&repo.path()).unwrap();
    let staged = git.staged_changes("proposals", false).unwrap();
    let old_blob = staged.files.iter().find(|f| f.path == KEP).unwrap().blob;
    let fresh = fresh_with_section("Design");
    let stale = with_section("Design");
    let updates = [Restage {
        path: KEP,
        mode: 0o100644,
        old_blob,
        new_blob: blob_id(fresh.as_bytes()),
        old_content: stale.as_bytes(),
        new_content: fresh.as_bytes(),
    }];
    let objects = git.object_writer();
    objects.write_blob(fresh.as_bytes()).unwrap();
    let trees = git.new_trees(&staged, &updates);
    assert_eq!(trees.len(), 3, "root, proposals, proposals/001-first");
    trees.iter().for_each(|tree| objects.write_tree(tree).unwrap());
    // Meanwhile, another file of the same directory is staged, and the cache tree rebuilt.
    repo.write("proposals/001-first/notes.md", "more notes\n");
    repo.git(&["add", "proposals/001-first/notes.md"]);
    repo.git(&["write-tree"]);
    assert!(git.restage(&updates, false, &trees, || Ok(())).is_ok());
    assert_eq!(repo.staged(KEP), fresh.as_bytes());
    assert_eq!(repo.staged("proposals/001-first/notes.md"), b"more notes\n");
    // What git would commit now (from the cache tree) is the tree of the entries.
    assert_eq!(repo.git(&["write-tree"]), tree_from_scratch(&repo));
    repo.git(&["fsck", "--no-dangling", "--no-progress"]);
}

/// The tree of the index's entries, built by git from nothing (no cache tree to trust).
fn tree_from_scratch(repo: &TestRepo) -> String {
    let scratch = tempfile::tempdir().unwrap();
    let index = scratch.path().join("index");
    let listing = repo.git(&["ls-files", "-s"]);
    let git = |args: &[&str], input: Option<&str>| {
        let mut command = repo.command("git", &repo.path());
        command.env("GIT_INDEX_FILE", &index).args(args);
        command.stdin(std::process::Stdio::piped()).stdout(std::process::Stdio::piped());
        let mut child = command.spawn().unwrap();
        std::io::Write::write_all(&mut child.stdin.take().unwrap(), input.unwrap_or("").as_bytes()).unwrap();
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success(), "git {args:?}");
        String::from_utf8(output.stdout).unwrap()
    };
    git(&["update-index", "--index-info"], Some(&listing));
    git(&["write-tree"], None)
}

#[test]
fn first_commit_in_a_new_repository() {
    let repo = TestRepo::new();
    repo.ok(repo.kep(&["install"]));
    repo.write("proposals/x.md", STALE_KEP);
    repo.git(&["add", "-A"]);
    repo.ok(repo.git_in(&repo.path(), &["commit", "-q", "-m", "first"]));
    assert_eq!(repo.show("HEAD:proposals/x.md"), FRESH_KEP.as_bytes());
    assert_eq!(repo.read("proposals/x.md"), FRESH_KEP.as_bytes());
}

#[test]
fn partial_staging_keeps_unstaged_edits_out_of_the_commit() {
    let repo = TestRepo::with_hook();
    let staged = with_section("Design");
    repo.write(KEP, &staged);
    repo.git(&["add", KEP]);
    // An unstaged edit elsewhere in the same file.
    let worktree = staged.replace("Text.\n", "Text, with an unstaged edit.\n");
    repo.write(KEP, &worktree);
    repo.ok(repo.git_in(&repo.path(), &["commit", "-q", "-m", "design"]));
    let committed = fresh_with_section("Design");
    assert_eq!(repo.show(&format!("HEAD:{KEP}")), committed.as_bytes());
    let worktree_now = repo.read_string(KEP);
    assert_eq!(worktree_now, committed.replace("Text.\n", "Text, with an unstaged edit.\n"));
    assert_eq!(repo.git(&["status", "--porcelain"]), format!(" M {KEP}\n"), "the edit is still unstaged");
}

#[test]
fn unstaged_heading_edit_gets_its_own_toc_in_the_work_tree() {
    let repo = TestRepo::with_hook();
    repo.write(KEP, with_section("Design"));
    repo.git(&["add", KEP]);
    repo.write(KEP, with_section("Design").replace("### Goals", "### Goals And Aims"));
    repo.ok(repo.git_in(&repo.path(), &["commit", "-q", "-m", "design"]));
    assert_eq!(repo.show(&format!("HEAD:{KEP}")), fresh_with_section("Design").as_bytes());
    let worktree = repo.read_string(KEP);
    assert!(worktree.contains("    - [Goals And Aims](#goals-and-aims)\n  - [Design](#design)\n"), "{worktree}");
    assert_eq!(repo.git(&["status", "--porcelain"]), format!(" M {KEP}\n"));
}

#[test]
fn commit_all_uses_the_temporary_index() {
    let repo = TestRepo::with_hook();
    repo.write(KEP, with_section("Design"));
    repo.ok(repo.git_in(&repo.path(), &["commit", "-q", "-a", "-m", "all"]));
    assert_eq!(repo.show(&format!("HEAD:{KEP}")), fresh_with_section("Design").as_bytes());
    assert_eq!(repo.read(KEP), fresh_with_section("Design").as_bytes());
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
}

#[test]
fn commit_with_paths_commits_the_fresh_toc_and_leaves_other_staged_files() {
    let repo = TestRepo::with_hook();
    repo.write("other.txt", "staged but not committed\n");
    repo.git(&["add", "other.txt"]);
    repo.write(KEP, with_section("Design"));
    let output = repo.ok(repo.git_in(&repo.path(), &["commit", "-q", "-m", "only the kep", "--", KEP]));
    assert_eq!(repo.show(&format!("HEAD:{KEP}")), fresh_with_section("Design").as_bytes());
    // What git does to the index afterwards is said, with the command that stages the fresh TOC.
    if cfg!(target_os = "linux") {
        let err = crate::harness::stderr(&output);
        assert!(
            err.contains("`git commit PATH...` sets your index") && err.contains(&format!("git add {KEP}")),
            "{err}"
        );
    }
    assert_eq!(repo.show("HEAD:other.txt"), b"hello\n", "other.txt not committed");
    assert_eq!(repo.staged("other.txt"), b"staged but not committed\n", "other.txt still staged");
    assert_eq!(repo.read(KEP), fresh_with_section("Design").as_bytes());
}

#[test]
fn amend_refreshes_too() {
    let repo = TestRepo::with_hook();
    repo.write(KEP, with_section("Design"));
    repo.git(&["add", KEP]);
    repo.ok(repo.git_in(&repo.path(), &["commit", "-q", "--amend", "-m", "amended"]));
    assert_eq!(repo.show(&format!("HEAD:{KEP}")), fresh_with_section("Design").as_bytes());
    assert_eq!(repo.git(&["rev-list", "--count", "HEAD"]).trim(), "1");
}

#[test]
fn merge_commit_after_a_resolved_conflict() {
    let repo = TestRepo::with_hook();
    repo.git(&["checkout", "-q", "-b", "side"]);
    repo.write(KEP, FRESH_KEP.replace("Text.", "Side text."));
    repo.ok(repo.git_in(&repo.path(), &["commit", "-q", "-am", "side"]));
    repo.git(&["checkout", "-q", "main"]);
    repo.write(KEP, FRESH_KEP.replace("Text.", "Main text."));
    repo.ok(repo.git_in(&repo.path(), &["commit", "-q", "-am", "main"]));
    let merge = repo.git_in(&repo.path(), &["merge", "-q", "side", "-m", "merge"]);
    assert!(!merge.status.success(), "conflict expected");
    let resolved = with_section("Merged").replace("Text.", "Both texts.");
    repo.write(KEP, &resolved);
    repo.git(&["add", KEP]);
    repo.ok(repo.git_in(&repo.path(), &["commit", "-q", "--no-edit"]));
    let want = fresh_with_section("Merged").replace("Text.", "Both texts.");
    assert_eq!(repo.show(&format!("HEAD:{KEP}")), want.as_bytes());
    assert_eq!(repo.git(&["rev-list", "--count", "--merges", "HEAD"]).trim(), "1");
}

#[test]
fn unresolved_conflict_is_left_alone() {
    let repo = TestRepo::with_hook();
    repo.git(&["checkout", "-q", "-b", "side"]);
    repo.write(KEP, with_section("Side"));
    repo.ok(repo.git_in(&repo.path(), &["commit", "-q", "-am", "side"]));
    repo.git(&["checkout", "-q", "main"]);
    repo.write(KEP, with_section("Main"));
    repo.ok(repo.git_in(&repo.path(), &["commit", "-q", "-am", "main"]));
    assert!(!repo.git_in(&repo.path(), &["merge", "-q", "side"]).status.success());
    let conflicted = repo.read(KEP);
    let before = repo.snapshot();
    // git refuses the commit itself; the hook run by hand skips the conflicted file.
    assert!(!repo.git_in(&repo.path(), &["commit", "-q", "--no-edit"]).status.success());
    let output = repo.ok(repo.kep(&["pre-commit"]));
    assert!(stderr(&output).contains("unresolved conflicts"), "{}", stderr(&output));
    assert_eq!(repo.read(KEP), conflicted);
    assert_eq!(repo.snapshot(), before);
}

#[test]
fn works_from_a_subdirectory() {
    let repo = TestRepo::with_hook();
    repo.write(KEP, with_section("Design"));
    let sub = repo.path().join("proposals/001-first");
    assert!(repo.git_in(&sub, &["add", "README.md"]).status.success());
    repo.ok(repo.git_in(&sub, &["commit", "-q", "-m", "from a subdirectory"]));
    assert_eq!(repo.show(&format!("HEAD:{KEP}")), fresh_with_section("Design").as_bytes());
}

#[test]
fn works_in_a_linked_worktree() {
    let repo = TestRepo::with_hook();
    let linked = repo.path().parent().unwrap().join("linked");
    repo.git(&["worktree", "add", "-q", "-b", "wt", linked.to_str().unwrap()]);
    fs::write(linked.join(KEP), with_section("Design")).unwrap();
    assert!(repo.git_in(&linked, &["add", KEP]).status.success());
    repo.ok(repo.git_in(&linked, &["commit", "-q", "-m", "in the worktree"]));
    assert_eq!(repo.show(&format!("wt:{KEP}")), fresh_with_section("Design").as_bytes());
    assert_eq!(fs::read(linked.join(KEP)).unwrap(), fresh_with_section("Design").as_bytes());
    assert_eq!(repo.read(KEP), FRESH_KEP.as_bytes(), "main work tree untouched");
}

#[test]
fn works_with_a_separate_git_dir_and_in_a_submodule() {
    // `.git` is a file here, so git exports GIT_DIR to the hook: the work tree is where git runs
    // it (libgit2 alone would take the git directory's parent).
    let repo = TestRepo::new();
    let outside = repo.path().parent().unwrap().join("separate.git");
    let work = repo.path().join("work");
    repo.git(&["init", "-q", "-b", "main", "--separate-git-dir", outside.to_str().unwrap(), "work"]);
    let git = |args: &[&str]| String::from_utf8(repo.ok(repo.git_in(&work, args)).stdout).unwrap();
    git(&["config", "user.name", "Ada Author"]);
    git(&["config", "user.email", "ada@example.com"]);
    fs::create_dir_all(work.join("proposals/001-first")).unwrap();
    fs::write(work.join(KEP), FRESH_KEP).unwrap();
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", "initial"]);
    repo.ok(repo.kep_in(&work, &["install"]));
    fs::write(work.join(KEP), with_section("Design")).unwrap();
    git(&["add", KEP]);
    git(&["commit", "-q", "-m", "separate git dir"]);
    assert_eq!(git(&["show", &format!("HEAD:{KEP}")]), fresh_with_section("Design"));
    assert_eq!(fs::read_to_string(work.join(KEP)).unwrap(), fresh_with_section("Design"), "work tree too");
    assert_eq!(git(&["status", "--porcelain"]), "");

    // The same proposal repository as a submodule: its git directory lives in the superproject.
    let superproject = repo.path().join("super");
    fs::create_dir_all(&superproject).unwrap();
    let sup = |args: &[&str]| repo.ok(repo.git_in(&superproject, args));
    sup(&["init", "-q", "-b", "main"]);
    sup(&["-c", "protocol.file.allow=always", "submodule", "add", "-q", work.to_str().unwrap(), "sub"]);
    let sub = superproject.join("sub");
    let in_sub = |args: &[&str]| String::from_utf8(repo.ok(repo.git_in(&sub, args)).stdout).unwrap();
    in_sub(&["config", "user.name", "Ada Author"]);
    in_sub(&["config", "user.email", "ada@example.com"]);
    repo.ok(repo.kep_in(&sub, &["install"]));
    fs::write(sub.join(KEP), with_section("Risks")).unwrap();
    in_sub(&["add", KEP]);
    in_sub(&["commit", "-q", "-m", "in a submodule"]);
    assert_eq!(in_sub(&["show", &format!("HEAD:{KEP}")]), fresh_with_section("Risks"));
    assert_eq!(fs::read_to_string(sub.join(KEP)).unwrap(), fresh_with_section("Risks"));
    assert_eq!(in_sub(&["status", "--porcelain"]), "");
}

#[test]
fn core_hooks_path_is_honoured() {
    let repo = TestRepo::new();
    repo.git(&["config", "core.hooksPath", ".githooks"]);
    repo.ok(repo.kep(&["install"]));
    assert!(repo.path().join(".githooks/pre-commit").is_file());
    assert!(!repo.path().join(".git/hooks/pre-commit").exists());
    repo.write(KEP, STALE_KEP);
    repo.git(&["add", KEP]);
    repo.ok(repo.git_in(&repo.path(), &["commit", "-q", "-m", "hooks path"]));
    assert_eq!(repo.show(&format!("HEAD:{KEP}")), FRESH_KEP.as_bytes());
}

#[test]
fn deletion_is_committed_quietly() {
    let repo = TestRepo::with_hook();
    repo.git(&["rm", "-q", KEP]);
    let output = repo.ok(repo.git_in(&repo.path(), &["commit", "-q", "-m", "delete"]));
    assert_eq!(stderr(&output), "");
    assert!(repo.git_in(&repo.path(), &["show", &format!("HEAD:{KEP}")]).status.code() != Some(0));
}

#[test]
fn rename_refreshes_the_new_path() {
    let repo = TestRepo::with_hook();
    repo.git(&["mv", KEP, "proposals/002-renamed.md"]);
    repo.write("proposals/002-renamed.md", with_section("Design"));
    repo.git(&["add", "proposals/002-renamed.md"]);
    repo.ok(repo.git_in(&repo.path(), &["commit", "-q", "-m", "rename"]));
    assert_eq!(repo.show("HEAD:proposals/002-renamed.md"), fresh_with_section("Design").as_bytes());
}

#[cfg(unix)]
#[test]
fn symlink_is_skipped_with_a_warning() {
    let repo = TestRepo::with_hook();
    std::os::unix::fs::symlink("001-first/README.md", repo.path().join("proposals/link.md")).unwrap();
    repo.git(&["add", "proposals/link.md"]);
    let output = repo.ok(repo.git_in(&repo.path(), &["commit", "-q", "-m", "link"]));
    assert!(stderr(&output).contains("skipping proposals/link.md: a symlink"), "{}", stderr(&output));
    assert_eq!(repo.show("HEAD:proposals/link.md"), b"001-first/README.md");
    assert!(fs::symlink_metadata(repo.path().join("proposals/link.md")).unwrap().file_type().is_symlink());
}

#[test]
fn non_utf8_is_skipped_with_a_warning() {
    let repo = TestRepo::with_hook();
    let mut bytes = STALE_KEP.as_bytes().to_vec();
    bytes.extend_from_slice(b"\n## Caf\xe9\n");
    repo.write("proposals/latin1.md", &bytes);
    repo.git(&["add", "proposals/latin1.md"]);
    let output = repo.ok(repo.git_in(&repo.path(), &["commit", "-q", "-m", "latin1"]));
    assert!(stderr(&output).contains("skipping proposals/latin1.md: not valid UTF-8"), "{}", stderr(&output));
    assert_eq!(repo.show("HEAD:proposals/latin1.md"), bytes);
    assert_eq!(repo.read("proposals/latin1.md"), bytes);
}

#[test]
fn crlf_file_stays_crlf() {
    let repo = TestRepo::with_hook();
    let crlf = STALE_KEP.replace('\n', "\r\n");
    repo.write("proposals/crlf.md", &crlf);
    repo.git(&["add", "proposals/crlf.md"]);
    repo.ok(repo.git_in(&repo.path(), &["commit", "-q", "-m", "crlf"]));
    let want = FRESH_KEP.replace('\n', "\r\n");
    assert_eq!(repo.show("HEAD:proposals/crlf.md"), want.as_bytes());
    assert_eq!(repo.read("proposals/crlf.md"), want.as_bytes());
}

#[cfg(unix)]
#[test]
fn executable_bit_is_kept() {
    use std::os::unix::fs::PermissionsExt;
    let repo = TestRepo::with_hook();
    repo.write("proposals/run.md", STALE_KEP);
    fs::set_permissions(repo.path().join("proposals/run.md"), fs::Permissions::from_mode(0o755)).unwrap();
    repo.git(&["add", "proposals/run.md"]);
    repo.ok(repo.git_in(&repo.path(), &["commit", "-q", "-m", "exec"]));
    assert_eq!(repo.git(&["ls-tree", "HEAD", "proposals/run.md"]).split(' ').next(), Some("100755"));
    assert_eq!(repo.read("proposals/run.md"), FRESH_KEP.as_bytes());
    let mode = fs::metadata(repo.path().join("proposals/run.md")).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o755);
}

#[test]
fn malformed_markers_refuse_the_commit_and_change_nothing() {
    let repo = TestRepo::with_hook();
    repo.write("proposals/good.md", STALE_KEP);
    repo.write("proposals/bad.md", "# Bad\n\n<!-- toc -->\n\n## A\n");
    repo.git(&["add", "-A"]);
    let before = repo.snapshot();
    let output = repo.git_in(&repo.path(), &["commit", "-q", "-m", "bad"]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(err.contains("proposals/bad.md:3: `<!-- toc -->` has no matching"), "{err}");
    assert!(err.contains("hint: "), "{err}");
    assert_eq!(repo.snapshot(), before);
    assert_eq!(repo.read("proposals/good.md"), STALE_KEP.as_bytes(), "the valid file is not touched either");
    assert_eq!(repo.staged("proposals/good.md"), STALE_KEP.as_bytes());
}

#[test]
fn markers_malformed_before_the_commit_refuse_nothing() {
    // Committed broken (without the hook), then edited elsewhere: the commit goes through as
    // staged, the markers said; a commit that breaks them is still refused (above).
    let repo = TestRepo::new();
    let bad = "# Bad\n\n<!-- /toc -->\n\n## A\n";
    repo.write("proposals/bad.md", bad);
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "-m", "bad"]);
    repo.ok(repo.kep(&["install"]));
    let edited = format!("{bad}\nA typo fixed.\n");
    repo.write("proposals/bad.md", &edited);
    let output = repo.git_in(&repo.path(), &["commit", "-q", "-a", "-m", "typo"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stderr(&output).contains("proposals/bad.md:3:") && stderr(&output).contains("so before this commit too"));
    assert_eq!(repo.show("HEAD:proposals/bad.md"), edited.as_bytes());
}

#[test]
fn markdown_outside_the_proposals_dir_is_untouched() {
    let repo = TestRepo::with_hook();
    repo.write("docs/guide.md", STALE_KEP);
    repo.git(&["add", "docs/guide.md"]);
    repo.ok(repo.git_in(&repo.path(), &["commit", "-q", "-m", "docs"]));
    assert_eq!(repo.show("HEAD:docs/guide.md"), STALE_KEP.as_bytes());
}

#[test]
fn kep_dir_from_kepconfig() {
    let repo = TestRepo::with_hook();
    repo.write(".kepconfig", "[kep]\n\tdir = keps\n");
    repo.write("keps/1/README.md", STALE_KEP);
    repo.write("proposals/stale.md", STALE_KEP);
    repo.git(&["add", "-A"]);
    repo.ok(repo.git_in(&repo.path(), &["commit", "-q", "-m", "keps"]));
    assert_eq!(repo.show("HEAD:keps/1/README.md"), FRESH_KEP.as_bytes());
    assert_eq!(repo.show("HEAD:proposals/stale.md"), STALE_KEP.as_bytes());
}

#[test]
fn kep_dir_written_with_dots_or_as_the_whole_work_tree_and_one_outside_it_refused() {
    let repo = TestRepo::with_hook();
    for (dir, path) in [("./keps/", "keps/1/README.md"), (".", "anywhere/README.md")] {
        repo.git(&["config", "kep.dir", dir]);
        repo.write(path, STALE_KEP);
        repo.git(&["add", path]);
        repo.ok(repo.git_in(&repo.path(), &["commit", "-q", "-m", dir]));
        assert_eq!(repo.show(&format!("HEAD:{path}")), FRESH_KEP.as_bytes(), "kep.dir = {dir:?}");
        assert_eq!(repo.read(path), FRESH_KEP.as_bytes());
    }
    repo.git(&["config", "kep.dir", "../elsewhere"]);
    let refused = repo.kep(&["toc", "--check"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(stderr(&refused).contains("invalid value \"../elsewhere\" for kep.dir"), "{}", stderr(&refused));
}

#[test]
fn no_color_means_no_escape_codes() {
    let repo = TestRepo::with_hook();
    repo.git(&["config", "color.ui", "always"]);
    repo.write(KEP, with_section("Design"));
    repo.git(&["add", KEP]);
    let colored = repo.ok(repo.kep(&["pre-commit"]));
    assert!(stderr(&colored).contains('\x1b'), "color.ui=always colors: {}", stderr(&colored));
    repo.git(&["reset", "-q", "--hard"]);
    repo.write(KEP, with_section("Design"));
    repo.git(&["add", KEP]);
    let output = repo.ok(repo
        .command("git", &repo.path())
        .env("NO_COLOR", "1")
        .args(["commit", "-q", "-m", "x"])
        .output()
        .unwrap());
    assert!(stderr(&output).contains("[Design](#design)"));
    assert!(!stderr(&output).contains('\x1b'), "{:?}", stderr(&output));
    // `git -c color.ui=...` for one commit counts too (git passes it down in its environment).
    repo.git(&["config", "--unset", "color.ui"]);
    repo.write(KEP, with_section("Design").replace("## Design", "## Plan"));
    repo.git(&["add", KEP]);
    let once = repo.ok(repo.git_in(&repo.path(), &["-c", "color.ui=always", "commit", "-q", "-m", "once"]));
    assert!(stderr(&once).contains("[Plan](#plan)"));
    assert!(stderr(&once).contains('\x1b'), "git -c color.ui=always: {}", stderr(&once));
}

#[test]
fn locked_index_fails_clearly_and_touches_nothing() {
    let repo = TestRepo::with_hook();
    repo.write(KEP, with_section("Design"));
    repo.git(&["add", KEP]);
    let before = repo.snapshot();
    fs::write(repo.path().join(".git/index.lock"), b"").unwrap();
    let output = repo.kep(&["pre-commit"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("the index is locked"), "{}", stderr(&output));
    assert!(stderr(&output).contains("remove the stale .git/index.lock\n"), "{}", stderr(&output));
    fs::remove_file(repo.path().join(".git/index.lock")).unwrap();
    // Under `git commit -a` the hook's index is git's own lock file: its lock is one more `.lock`.
    fs::write(repo.path().join(".git/index.lock.lock"), b"").unwrap();
    fs::copy(repo.path().join(".git/index"), repo.path().join(".git/index.lock")).unwrap();
    let output = repo
        .command(crate::harness::BIN, &repo.path())
        .args(["pre-commit"])
        .env("GIT_INDEX_FILE", ".git/index.lock")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("remove the stale .git/index.lock.lock\n"), "{}", stderr(&output));
    fs::remove_file(repo.path().join(".git/index.lock.lock")).unwrap();
    fs::remove_file(repo.path().join(".git/index.lock")).unwrap();
    assert_eq!(repo.snapshot(), before);
    assert_eq!(repo.read(KEP), with_section("Design").as_bytes());
}

#[test]
fn no_verify_skips_the_hook() {
    let repo = TestRepo::with_hook();
    repo.write(KEP, with_section("Design"));
    repo.git(&["add", KEP]);
    repo.ok(repo.git_in(&repo.path(), &["commit", "-q", "--no-verify", "-m", "skip"]));
    assert_eq!(repo.show(&format!("HEAD:{KEP}")), with_section("Design").as_bytes());
}

#[test]
fn framework_mode_fixes_files_and_fails_when_it_changed_any() {
    let repo = TestRepo::new();
    repo.write("proposals/a.md", STALE_KEP);
    let output = repo.kep(&["pre-commit", "proposals/a.md"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(repo.read("proposals/a.md"), FRESH_KEP.as_bytes());
    let again = repo.kep(&["pre-commit", "proposals/a.md"]);
    assert_eq!(again.status.code(), Some(0));
    repo.write("docs/b.md", STALE_KEP);
    let outside = repo.kep(&["pre-commit", "docs/b.md"]);
    assert_eq!(outside.status.code(), Some(0));
    assert_eq!(repo.read("docs/b.md"), STALE_KEP.as_bytes(), "outside kep.dir: untouched");
}

/// `git ls-files --stage` as (mode, oid, stage, path) rows, for the index reader to agree with.
fn ls_files(repo: &TestRepo) -> Vec<(u32, String, u16, String)> {
    repo.git(&["ls-files", "--stage", "-z"])
        .split('\0')
        .filter(|row| !row.is_empty())
        .map(|row| {
            let (meta, path) = row.split_once('\t').unwrap();
            let mut fields = meta.split(' ');
            let mode = u32::from_str_radix(fields.next().unwrap(), 8).unwrap();
            let oid = fields.next().unwrap().to_owned();
            let stage = fields.next().unwrap().parse().unwrap();
            (mode, oid, stage, path.to_owned())
        })
        .collect()
}

#[test]
fn the_fast_index_reader_agrees_with_git_for_index_versions_2_3_4() {
    let repo = TestRepo::with_hook();
    for i in 0..40 {
        repo.write(&format!("proposals/{i:03}-a-rather-long-folder-name-{i}/README.md"), format!("# {i}\n"));
        repo.write(&format!("src/deep/er/path/file{i}.txt"), format!("{i}\n"));
    }
    repo.git(&["add", "-A"]);
    repo.write("proposals/zz-intent.md", "# Intent\n");
    repo.git(&["add", "-N", "proposals/zz-intent.md"]); // extended flags: index v3
    for version in ["2", "3", "4"] {
        if version != "3" {
            repo.git(&["update-index", "--index-version", version]);
        }
        let bytes = fs::read(repo.path().join(".git/index")).unwrap();
        let read = git_kep::git::index_file::read_under(&bytes, b"").expect("an index git wrote").entries;
        let ours: Vec<(u32, String, u16, String)> = read
            .iter()
            .map(|e| {
                let oid: String = e.oid.iter().map(|b| format!("{b:02x}")).collect();
                (e.mode, oid, e.stage, String::from_utf8(e.path.clone()).unwrap())
            })
            .collect();
        assert_eq!(ours, ls_files(&repo), "index version {version}");
        let under = git_kep::git::index_file::read_under(&bytes, b"src/").unwrap().entries;
        assert_eq!(under.len(), 40);
    }
}

#[test]
fn split_index_index_v4_and_untracked_cache_still_refresh() {
    // v4 is edited in place; a split index goes to `git update-index`; the untracked cache is an
    // extension the in-place edit declines, so libgit2 writes that index.
    for setup in [
        &["update-index", "--index-version", "4"][..],
        &["update-index", "--split-index"][..],
        &["update-index", "--untracked-cache"][..],
    ] {
        // Plain commit, `commit -a` (GIT_INDEX_FILE=index.lock) and `commit <path>`.
        for commit in [
            &["commit", "-q", "-m", "x"][..],
            &["commit", "-q", "-a", "-m", "x"][..],
            &["commit", "-q", "-m", "x", "--", KEP][..],
        ] {
            let repo = TestRepo::with_hook();
            repo.git(setup);
            repo.git(&["status", "--porcelain"]); // fills the untracked cache
            repo.write(KEP, with_section("Design"));
            if commit.len() == 4 {
                repo.git(&["add", KEP]);
            }
            repo.ok(repo.git_in(&repo.path(), commit));
            let case = format!("{setup:?} {commit:?}");
            assert_eq!(repo.show(&format!("HEAD:{KEP}")), fresh_with_section("Design").as_bytes(), "{case}");
            assert_eq!(repo.read(KEP), fresh_with_section("Design").as_bytes(), "{case}");
            repo.git(&["fsck", "--no-dangling", "--no-progress"]);
        }
    }
}

#[test]
fn sparse_index_still_refreshes() {
    let repo = TestRepo::new();
    repo.write(KEP, FRESH_KEP);
    repo.write("src/deep/code.txt", "outside the cone\n");
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "-m", "init"]);
    let sparse = repo.git_in(&repo.path(), &["sparse-checkout", "set", "--cone", "--sparse-index", "proposals"]);
    if !sparse.status.success() {
        eprintln!("skipped: this git has no sparse index");
        return;
    }
    repo.ok(repo.kep(&["install"]));
    repo.write(KEP, with_section("Design"));
    repo.ok(repo.git_in(&repo.path(), &["commit", "-q", "-a", "-m", "sparse"]));
    assert_eq!(repo.show(&format!("HEAD:{KEP}")), fresh_with_section("Design").as_bytes());
    assert_eq!(repo.show("HEAD:src/deep/code.txt"), b"outside the cone\n");
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
}

#[test]
#[cfg(unix)]
fn restaged_blob_is_a_read_only_loose_object_in_a_fan_out_directory_shared_like_objects() {
    use std::os::unix::fs::PermissionsExt;
    let repo = TestRepo::with_hook();
    // What `git init --shared=group` makes of objects/: group-writable and setgid.
    repo.git(&["config", "core.sharedRepository", "group"]);
    let objects = repo.path().join(".git/objects");
    fs::set_permissions(&objects, fs::Permissions::from_mode(0o2775)).unwrap();
    // A section whose fresh proposal's blob goes into a fan-out directory that does not exist
    // yet, so that the hook creates it.
    let fresh_blob = |title: &str| {
        repo.write("probe", fresh_with_section(title));
        let id = repo.git(&["hash-object", "probe"]).trim().to_owned();
        fs::remove_file(repo.path().join("probe")).unwrap();
        id
    };
    let (title, blob) = (0..200)
        .map(|n| format!("Section {n}"))
        .map(|title| {
            let blob = fresh_blob(&title);
            (title, blob)
        })
        .find(|(_, blob)| !objects.join(&blob[..2]).exists())
        .expect("a blob in a new fan-out directory");
    repo.write(KEP, with_section(&title));
    repo.git(&["add", KEP]);
    repo.ok(repo.git_in(&repo.path(), &["commit", "-q", "-m", "section"]));
    assert_eq!(repo.git(&["rev-parse", &format!("HEAD:{KEP}")]).trim(), blob);
    let mode = |path: &std::path::Path| fs::metadata(path).unwrap().permissions().mode() & 0o7777;
    assert_eq!(mode(&objects.join(&blob[..2])), 0o2775);
    assert_eq!(mode(&objects.join(&blob[..2]).join(&blob[2..])), 0o444);
    repo.git(&["fsck", "--strict", "--no-dangling", "--no-progress"]);
}

#[test]
fn proposal_larger_than_one_stored_block_is_committed_whole() {
    // The blob file is a zlib stream of stored blocks of at most 64 KiB: this one needs three.
    let repo = TestRepo::with_hook();
    let body: String = (0..3000).map(|i| format!("Paragraph {i} of a long proposal, with some words.\n\n")).collect();
    repo.write(KEP, format!("{}\n{body}", with_section("Long")));
    repo.git(&["add", KEP]);
    repo.ok(repo.git_in(&repo.path(), &["commit", "-q", "-m", "long"]));
    let want = format!("{}\n{body}", fresh_with_section("Long"));
    assert!(want.len() > 2 * 65_535);
    assert_eq!(repo.show(&format!("HEAD:{KEP}")), want.as_bytes());
    repo.git(&["fsck", "--strict", "--no-dangling", "--no-progress"]);
}

#[test]
fn control_characters_from_documents_never_reach_the_terminal_raw() {
    // A heading or a link with an escape sequence would otherwise recolor or retitle the
    // terminal of whoever commits or checks the proposal.
    let repo = TestRepo::with_hook();
    let evil = format!("{FRESH_KEP}\n## Bad \u{1b}]0;owned\u{7} title\n\n[x](#nowhere\u{1b}[31m)\n");
    repo.write(KEP, &evil);
    repo.git(&["add", KEP]);
    let commit = repo.ok(repo.git_in(&repo.path(), &["commit", "-q", "-m", "evil"]));
    let check = repo.kep(&["check", KEP]);
    let list = repo.ok(repo.kep(&["list"]));
    for (what, output) in
        [("hook", &commit.stderr), ("check", &check.stdout), ("check", &check.stderr), ("list", &list.stdout)]
    {
        assert!(!output.contains(&0x1b) && !output.contains(&0x07), "{what}: {}", String::from_utf8_lossy(output));
    }
    assert!(
        String::from_utf8_lossy(&commit.stderr).contains("[Bad \\x1b\\]0;owned\\x07 title]"),
        "shown escaped: {}",
        String::from_utf8_lossy(&commit.stderr)
    );
}

#[test]
fn every_command_outside_a_repository_exits_2() {
    let repo = TestRepo::new();
    let outside = repo.home();
    for args in [&["new", "X"][..], &["check"], &["install"], &["uninstall"], &["list"], &["toc"], &["pre-commit"]] {
        let output = repo
            .command(crate::harness::BIN, &outside)
            .args(args)
            .env("GIT_CEILING_DIRECTORIES", repo.path().parent().unwrap())
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}: {}", stderr(&output));
        assert!(stderr(&output).contains("not inside a git repository"), "{args:?}: {}", stderr(&output));
    }
}
