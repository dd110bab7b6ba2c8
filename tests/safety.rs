//! Issue 17's regressions: the hook never loses a save or a staged change, follows git's
//! work-tree layouts, and no commit (merge, amend) takes a stale TOC without a word.

use crate::harness::{FRESH_KEP, TestRepo, stderr};
use std::fs;
use std::path::Path;

const KEP: &str = "proposals/001-first/README.md";

fn with_section(title: &str) -> String {
    format!("{FRESH_KEP}\n## {title}\n")
}

fn fresh_with_section(title: &str) -> String {
    let anchor = title.to_lowercase().replace(' ', "-");
    with_section(title).replace(
        "    - [Goals](#goals)\n<!-- /toc -->",
        &format!("    - [Goals](#goals)\n  - [{title}](#{anchor})\n<!-- /toc -->"),
    )
}

#[test]
fn work_tree_given_with_git_work_tree_is_the_one_refreshed() {
    // git exports GIT_WORK_TREE (`.` when given as `--work-tree=.`) to the hook; libgit2 alone
    // resolves it against the git directory, which made `.git/` the work tree: the committed
    // .kepconfig was ignored and the proposal's work-tree file never updated.
    let repo = TestRepo::new();
    repo.write(".kepconfig", "[kep]\n\tdir = keps\n");
    repo.write("keps/001-first/README.md", FRESH_KEP);
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "-m", "initial"]);
    repo.ok(repo.kep(&["install"]));
    let kep = "keps/001-first/README.md";
    let git_dir = repo.path().join(".git");
    let work_tree = repo.path();
    let from_root = [format!("--git-dir={}", git_dir.display()), format!("--work-tree={}", work_tree.display())];
    for (round, (cwd, layout)) in
        [(Path::new("/"), from_root.to_vec()), (work_tree.as_path(), vec!["--work-tree=.".to_owned()])]
            .into_iter()
            .enumerate()
    {
        let title = format!("Round {round}");
        repo.write(kep, with_section(&title));
        repo.git(&["add", kep]);
        let mut args: Vec<&str> = layout.iter().map(String::as_str).collect();
        args.extend(["commit", "-q", "-m", "with --work-tree"]);
        repo.ok(repo.git_in(cwd, &args));
        let anchor = title.to_lowercase().replace(' ', "-");
        let want = with_section(&title).replace(
            "    - [Goals](#goals)\n<!-- /toc -->",
            &format!("    - [Goals](#goals)\n  - [{title}](#{anchor})\n<!-- /toc -->"),
        );
        assert_eq!(repo.show(&format!("HEAD:{kep}")), want.as_bytes(), "{layout:?}");
        assert_eq!(repo.read(kep), want.as_bytes(), "work tree follows: {layout:?}");
        assert_eq!(repo.git(&["status", "--porcelain"]), "");
    }
}

#[test]
fn bare_repository_with_a_work_tree_installs_and_refreshes() {
    // The "dotfiles" layout: `git --git-dir=repo.git --work-tree=home`. libgit2 ignores
    // GIT_WORK_TREE for a bare repository, so the hook found no work tree and did nothing.
    let repo = TestRepo::new();
    let bare = repo.path().join("dotfiles.git");
    let home = repo.path().join("files");
    fs::create_dir_all(home.join("proposals/001-first")).unwrap();
    repo.git(&["init", "-q", "--bare", "-b", "main", bare.to_str().unwrap()]);
    let layout = [format!("--git-dir={}", bare.display()), format!("--work-tree={}", home.display())];
    let git = |cwd: &Path, args: &[&str]| {
        let mut all: Vec<&str> = layout.iter().map(String::as_str).collect();
        all.extend(args);
        repo.ok(repo.git_in(cwd, &all))
    };
    git(&home, &["config", "user.name", "Ada Author"]);
    git(&home, &["config", "user.email", "ada@example.com"]);
    fs::write(home.join(KEP), FRESH_KEP).unwrap();
    git(&home, &["add", "-A"]);
    git(&home, &["commit", "-q", "-m", "initial"]);
    let installed = git(&home, &["kep", "install"]);
    assert!(stderr(&installed).contains("Installed"), "{}", stderr(&installed));
    assert!(bare.join("hooks/pre-commit").is_file());
    fs::write(home.join(KEP), with_section("Design")).unwrap();
    git(&home, &["add", KEP]);
    git(&home.join("proposals"), &["commit", "-q", "-m", "design"]);
    let committed = git(&home, &["show", &format!("HEAD:{KEP}")]).stdout;
    assert_eq!(committed, fresh_with_section("Design").as_bytes());
    assert_eq!(fs::read(home.join(KEP)).unwrap(), fresh_with_section("Design").as_bytes());
    assert_eq!(git(&home, &["status", "--porcelain"]).stdout, b"");
}
