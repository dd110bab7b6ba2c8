//! Issue 17's regressions: the hook never loses a save or a staged change, follows git's
//! work-tree layouts, and no commit (merge, amend) takes a stale TOC without a word.

use crate::harness::{FRESH_KEP, TestRepo, fresh_with_section, stderr, strace_can, with_section};
use std::fs;
use std::path::Path;

const KEP: &str = "proposals/001-first/README.md";

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

/// Saves `content` as editors do: a temporary file renamed over the file.
fn save_atomically(path: &Path, content: &str) {
    let temp = path.with_file_name(format!(".{}.swp", std::process::id()));
    fs::write(&temp, content).unwrap();
    fs::rename(&temp, path).unwrap();
}

#[test]
fn no_save_is_lost_to_a_commit_running_at_the_same_time() {
    // The hook used to rename its refreshed copy over the work-tree file without looking again:
    // about one save in three made while commits ran was gone (never staged either).
    let repo = TestRepo::with_hook();
    let file = repo.path().join(KEP);
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let saver = {
        let (file, stop) = (file.clone(), std::sync::Arc::clone(&stop));
        std::thread::spawn(move || {
            let mut saves = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                // Each save adds a heading, so the work-tree TOC is stale and the hook rewrites it.
                let current = fs::read_to_string(&file).unwrap();
                save_atomically(&file, &format!("{current}\n## Save {saves}\n"));
                saves += 1;
                std::thread::sleep(std::time::Duration::from_millis(2));
            }
            saves
        })
    };
    let started = std::time::Instant::now();
    let mut commits = 0;
    while commits < 100 && started.elapsed() < std::time::Duration::from_secs(40) {
        // Staged without reading the work tree (which the saver owns): a heading edit, TOC stale.
        let staged = with_section(&format!("Commit {commits}"));
        let mut hash_object = repo.command("git", &repo.path());
        hash_object.args(["hash-object", "-w", "--stdin"]).stdin(std::process::Stdio::piped());
        let blob = run_with_input(hash_object, staged.as_bytes());
        repo.git(&["update-index", "--cacheinfo", &format!("100644,{},{KEP}", blob.trim())]);
        repo.ok(repo.git_in(&repo.path(), &["commit", "-q", "-m", &format!("commit {commits}")]));
        let anchor = format!("commit-{commits}");
        let committed = String::from_utf8(repo.show(&format!("HEAD:{KEP}"))).unwrap();
        assert!(committed.contains(&format!("(#{anchor})")), "commit {commits} has a fresh TOC");
        commits += 1;
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let saves = saver.join().unwrap();
    let last = fs::read_to_string(&file).unwrap();
    let lost: Vec<usize> = (0..saves).filter(|n| !last.contains(&format!("\n## Save {n}\n"))).collect();
    assert!(commits >= 20 && saves >= 20, "{commits} commits, {saves} saves");
    assert!(lost.is_empty(), "{} of {saves} saves lost over {commits} commits: {lost:?}", lost.len());
}

fn run_with_input(mut command: std::process::Command, input: &[u8]) -> String {
    use std::io::Write;
    let mut child = command.stdout(std::process::Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn a_save_while_the_hook_waits_to_rename_is_kept_and_said() {
    // Deterministic: every rename of the hook is delayed (strace's fault injection), and the file
    // is saved once the hook holds the index lock, i.e. after it read the file.
    if !strace_can("inject=renameat2:delay_enter=1") {
        return;
    }
    let repo = TestRepo::with_hook();
    let commit = start_design_commit(&repo, "rename,renameat,renameat2", "delay_enter=700000");
    let lock = repo.path().join(".git/index.lock");
    let saved = format!("{}\nSaved by the editor.\n", with_section("Design"));
    let saver = {
        let (file, saved) = (repo.path().join(KEP), saved.clone());
        std::thread::spawn(move || {
            let started = std::time::Instant::now();
            // git takes the lock for a moment before it runs the hook; the hook holds it for as
            // long as its renames are delayed, and has read the file before it takes it.
            let held = || {
                lock.exists() && {
                    std::thread::sleep(std::time::Duration::from_millis(200));
                    lock.exists()
                }
            };
            while !held() && started.elapsed() < std::time::Duration::from_secs(20) {
                std::thread::sleep(std::time::Duration::from_millis(1));
            }
            save_atomically(&file, &saved);
        })
    };
    let output = repo.ok(commit.wait_with_output().unwrap());
    saver.join().unwrap();
    assert_eq!(repo.read_string(KEP), saved, "the save is kept");
    assert_eq!(repo.show(&format!("HEAD:{KEP}")), fresh_with_section("Design").as_bytes());
    assert!(stderr(&output).contains("was saved while the hook ran"), "{}", stderr(&output));
    let leftovers: Vec<_> = fs::read_dir(repo.path().join("proposals/001-first")).unwrap().flatten().collect();
    assert_eq!(leftovers.len(), 1, "no temporary file in the work tree: {leftovers:?}");
}

/// Stages `with_section("Design")` and starts `git commit` through a hook whose system calls
/// `syscalls` are delayed (`delay`: strace's `delay_enter=US` or `delay_exit=US`).
fn start_design_commit(repo: &TestRepo, syscalls: &str, delay: &str) -> std::process::Child {
    let script = format!(
        "#!/bin/sh\nexec strace -f -o /dev/null -e trace={syscalls} -e inject={syscalls}:{delay} git-kep pre-commit\n"
    );
    fs::write(repo.path().join(".git/hooks/pre-commit"), script).unwrap();
    repo.write(KEP, with_section("Design"));
    repo.git(&["add", KEP]);
    repo.command("git", &repo.path())
        .args(["commit", "-q", "-m", "design"])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

/// `start_design_commit` in a new repository, returned once the hook has put the fresh TOC in
/// the index; `None` where strace cannot inject.
fn commit_design_once_restaged(syscall: &str, delay: &str) -> Option<(TestRepo, std::process::Child)> {
    if !strace_can(&format!("inject={syscall}:delay_enter=1")) {
        return None;
    }
    let repo = TestRepo::with_hook();
    let commit = start_design_commit(&repo, syscall, delay);
    let started = std::time::Instant::now();
    while repo.staged(KEP) != fresh_with_section("Design").as_bytes() && started.elapsed().as_secs() < 30 {
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    Some((repo, commit))
}

#[test]
fn a_git_add_while_the_hook_swaps_back_a_save_cannot_stage_the_hooks_copy() {
    // Deterministic: the hook's work-tree swaps are delayed (strace's fault injection). The file
    // is saved while the first swap waits (so the swap takes the save out), and `git add` runs
    // while the swap back waits, when the file holds the hook's copy. That add used to succeed
    // and stage the hook's copy instead of the save; the hook now swaps under the index lock.
    let Some((repo, commit)) = commit_design_once_restaged("renameat2", "delay_enter=1000000") else { return };
    // The index holds the fresh TOC; the first swap of the work-tree file waits a second from now.
    let restaged = std::time::Instant::now();
    std::thread::sleep(std::time::Duration::from_millis(300));
    let saved = format!("{}\nSaved by the editor.\n", with_section("Design"));
    save_atomically(&repo.path().join(KEP), &saved);
    // The swap back waits from 1 s to 2 s.
    std::thread::sleep(std::time::Duration::from_millis(1400).saturating_sub(restaged.elapsed()));
    let add = repo.git_in(&repo.path(), &["add", KEP]);
    let output = repo.ok(commit.wait_with_output().unwrap());
    if add.status.success() {
        assert_eq!(String::from_utf8(repo.staged(KEP)).unwrap(), saved, "what the add staged is the save");
    }
    assert!(
        !add.status.success() && stderr(&add).contains("index.lock"),
        "the add is refused until the hook is done: {}",
        stderr(&add)
    );
    assert_eq!(repo.read_string(KEP), saved, "the save is kept");
    assert_eq!(repo.show(&format!("HEAD:{KEP}")), fresh_with_section("Design").as_bytes());
    assert!(stderr(&output).contains("was saved while the hook ran"), "{}", stderr(&output));
    repo.git(&["add", KEP]);
    assert_eq!(repo.staged(KEP), saved.as_bytes(), "once the hook is done, the save is staged");
}

#[test]
fn a_work_tree_file_is_left_as_it_was_when_the_index_lock_does_not_come_free() {
    // The hook takes the index lock again for its work-tree swaps. Here another command takes it
    // first (in the second the hook waits after its index rename) and keeps it: the work tree is
    // left as it was and the hook says so; the commit still gets the fresh TOC.
    let Some((repo, commit)) = commit_design_once_restaged("rename", "delay_exit=1000000") else { return };
    let lock = repo.path().join(".git/index.lock");
    let other_command = fs::OpenOptions::new().write(true).create_new(true).open(&lock);
    let output = commit.wait_with_output().unwrap();
    assert!(other_command.is_ok(), "the lock was free while the hook waited");
    fs::remove_file(&lock).unwrap();
    let output = repo.ok(output);
    let err = stderr(&output);
    assert!(
        err.contains(&format!("{KEP} is left as it was in the work tree (another git command held the index lock)")),
        "{err}"
    );
    assert_eq!(repo.read_string(KEP), with_section("Design"), "the work tree is untouched");
    assert_eq!(repo.show(&format!("HEAD:{KEP}")), fresh_with_section("Design").as_bytes());
    let leftovers: Vec<_> = fs::read_dir(repo.path().join(".git"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(".git-kep"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary copy stays: {leftovers:?}");
}

#[test]
fn a_killed_hook_leaves_nothing_that_git_add_could_stage() {
    // The refreshed copy of the proposal used to be written beside it (`.git-kep-*`): a hook
    // killed before the rename left it in the work tree, where `git add -A` would commit it.
    if !strace_can("inject=renameat2:delay_enter=1") {
        return;
    }
    let repo = TestRepo::with_hook();
    // One left by a hook killed long ago: removed by the next hook that writes.
    let old_leftover = repo.path().join(".git/.git-kep-old");
    fs::write(&old_leftover, "old").unwrap();
    let two_hours_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(7200);
    fs::File::options().write(true).open(&old_leftover).unwrap().set_modified(two_hours_ago).unwrap();
    repo.write(KEP, with_section("Design"));
    repo.git(&["add", KEP]);
    let delayed = "rename,renameat,renameat2";
    let mut hook = repo
        .command("strace", &repo.path())
        .args(["-f", "-o", "/dev/null", "-e", &format!("trace={delayed}")])
        .args(["-e", &format!("inject={delayed}:delay_enter=5000000"), "git-kep", "pre-commit"])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let lock = repo.path().join(".git/index.lock");
    let started = std::time::Instant::now();
    while !lock.exists() && started.elapsed() < std::time::Duration::from_secs(20) {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    std::thread::sleep(std::time::Duration::from_millis(300));
    // SIGKILL to git-kep itself (strace's child), then to strace.
    let children = fs::read_to_string(format!("/proc/{}/task/{}/children", hook.id(), hook.id())).unwrap();
    let hook_pid = children.split_whitespace().next().expect("git-kep runs under strace");
    assert!(repo.command("kill", &repo.path()).args(["-KILL", hook_pid]).status().unwrap().success());
    hook.kill().unwrap();
    hook.wait().unwrap();
    let gone = std::time::Instant::now();
    while Path::new(&format!("/proc/{hook_pid}")).exists() && gone.elapsed() < std::time::Duration::from_secs(10) {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let _ = fs::remove_file(&lock);
    let untracked = repo.git(&["status", "--porcelain", "--untracked-files=all"]);
    assert_eq!(untracked, "M  proposals/001-first/README.md\n", "nothing new in the work tree");
    assert_eq!(repo.read(KEP), with_section("Design").as_bytes(), "the work-tree file is intact");
    assert!(old_leftover.exists());
    repo.ok(repo.git_in(&repo.path(), &["commit", "-q", "-m", "design"]));
    assert!(!old_leftover.exists(), "an hour-old leftover is removed");
    assert_eq!(repo.git(&["status", "--porcelain", "--untracked-files=all"]), "");
}

#[test]
fn split_or_sparse_index_a_git_add_before_the_restage_is_not_overwritten() {
    // With a split or sparse index the hook restages through git. It used
    // `git update-index --index-info`, which sets the entry whatever it holds by then: a
    // `git add` landing between the plan and the restage was replaced by the hook's blob, exit 0.
    let found = std::process::Command::new("sh").args(["-c", "command -v git"]).output().unwrap();
    let real_git = String::from_utf8(found.stdout).unwrap().trim().to_owned();
    for (layout, setup) in [("split", ["update-index", "--split-index"]), ("sparse", ["sparse-checkout", "init"])] {
        let repo = TestRepo::with_hook();
        if layout == "sparse" {
            repo.git(&["sparse-checkout", "init", "--cone"]);
            repo.git(&["sparse-checkout", "set", "proposals"]);
            repo.git(&["config", "index.sparse", "true"]);
        } else {
            repo.git(&setup);
        }
        repo.write(KEP, with_section("Design"));
        repo.git(&["add", KEP]);
        // A `git` first on PATH that, when the hook writes the index, first has the user edit
        // and stage the proposal (the real git add, in the hook's environment).
        let wrapper_dir = repo.home().join(format!("wrapper-{layout}"));
        fs::create_dir_all(&wrapper_dir).unwrap();
        let user_edit = format!("{}\nThe user's staged edit.\n", with_section("Design"));
        fs::write(repo.home().join("user-edit"), &user_edit).unwrap();
        let script = format!(
            "#!/bin/sh\ncase \" $* \" in\n  *\" apply \"*|*\" update-index \"*)\n    \
             if [ ! -e \"$HOME/edited\" ]; then touch \"$HOME/edited\"; cp \"$HOME/user-edit\" {KEP}; \
             \"{real_git}\" add {KEP}; fi;;\nesac\nexec \"{real_git}\" \"$@\"\n"
        );
        let wrapper = wrapper_dir.join("git");
        fs::write(&wrapper, script).unwrap();
        fs::set_permissions(&wrapper, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
        let bin_dir = Path::new(crate::harness::BIN).parent().unwrap().to_path_buf();
        let path = std::env::join_paths(
            [wrapper_dir, bin_dir]
                .into_iter()
                .chain(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())),
        )
        .unwrap();
        let mut hook = repo.command(crate::harness::BIN, &repo.path());
        let output = hook
            .env("PATH", path)
            .env("GIT_INDEX_FILE", repo.path().join(".git/index"))
            .arg("pre-commit")
            .output()
            .unwrap();
        assert!(repo.home().join("edited").exists(), "{layout}: the wrapper ran: {}", stderr(&output));
        assert_eq!(output.status.code(), Some(1), "{layout}: refused: {}", stderr(&output));
        assert!(stderr(&output).contains("staged again meanwhile; nothing was changed"), "{}", stderr(&output));
        assert_eq!(repo.staged(KEP), user_edit.as_bytes(), "{layout}: the user's staged edit stays staged");
        assert_eq!(repo.read_string(KEP), user_edit, "{layout}: and in the work tree");
    }
}

#[test]
fn split_index_restage_takes_odd_names_crlf_and_no_final_newline() {
    let repo = TestRepo::with_hook();
    repo.git(&["update-index", "--split-index"]);
    let odd = "proposals/002 \"odd\"\\name\u{e9}/README.md";
    let stale = with_section("Design").replace('\n', "\r\n");
    let stale = stale.trim_end();
    repo.write(odd, stale);
    repo.git(&["add", "-A"]);
    repo.ok(repo.git_in(&repo.path(), &["commit", "-q", "-m", "odd"]));
    let want = fresh_with_section("Design").replace('\n', "\r\n");
    assert_eq!(repo.show(&format!("HEAD:{odd}")), want.trim_end().as_bytes());
    assert_eq!(repo.read(odd), want.trim_end().as_bytes());
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
}

#[test]
fn a_clean_merge_that_leaves_a_toc_stale_stops_with_it_refreshed() {
    // Each branch adds a `## Notes` section with a fresh TOC; git merges them without a
    // conflict and, before pre-merge-commit existed here, committed `#notes` twice.
    let repo = TestRepo::with_hook();
    assert!(repo.path().join(".git/hooks/pre-merge-commit").is_file(), "install puts the merge hook in too");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write(KEP, format!("{FRESH_KEP}\n## Notes\n\nFeature notes.\n"));
    repo.ok(repo.git_in(&repo.path(), &["commit", "-q", "-am", "feature notes"]));
    repo.git(&["checkout", "-q", "main"]);
    repo.write(KEP, FRESH_KEP.replace("Text.\n", "Text.\n\n## Notes\n\nMain notes.\n"));
    repo.ok(repo.git_in(&repo.path(), &["commit", "-q", "-am", "main notes"]));
    let main_tip = repo.git(&["rev-parse", "HEAD"]);
    let merge = repo.git_in(&repo.path(), &["merge", "--no-ff", "-m", "merge feature", "feature"]);
    assert_eq!(merge.status.code(), Some(1), "{}", stderr(&merge));
    assert!(stderr(&merge).contains("run `git commit` to conclude the merge"), "{}", stderr(&merge));
    assert_eq!(repo.git(&["rev-parse", "HEAD"]), main_tip, "no merge commit with a stale TOC");
    let staged = String::from_utf8(repo.staged(KEP)).unwrap();
    assert!(staged.contains("(#notes)") && staged.contains("(#notes-1)"), "{staged}");
    assert_eq!(repo.read_string(KEP), staged, "the work tree has it too");
    // As after a resolved conflict: `git commit` concludes the merge, with the fresh TOC.
    repo.ok(repo.git_in(&repo.path(), &["commit", "-q", "--no-edit"]));
    assert_eq!(repo.git(&["rev-list", "--count", "--merges", "HEAD"]).trim(), "1");
    assert_eq!(repo.show(&format!("HEAD:{KEP}")), staged.as_bytes());
    assert_eq!(repo.git(&["log", "-1", "--format=%s"]).trim(), "merge feature");
    // A clean merge whose TOCs are fresh is committed as usual.
    repo.git(&["checkout", "-q", "-b", "other", "HEAD~1"]);
    repo.write("other.txt", "changed\n");
    repo.ok(repo.git_in(&repo.path(), &["commit", "-q", "-am", "other"]));
    repo.git(&["checkout", "-q", "main"]);
    repo.ok(repo.git_in(&repo.path(), &["merge", "-q", "--no-ff", "-m", "merge other", "other"]));
    assert_eq!(repo.git(&["log", "-1", "--format=%s"]).trim(), "merge other");
}

#[test]
fn amend_with_nothing_newly_staged_refreshes_the_commit_it_replaces() {
    // The hook compared the index with HEAD, but under `--amend` the commit's parent is HEAD's
    // parent: a stale TOC committed with --no-verify stayed stale through the amend.
    let repo = TestRepo::with_hook();
    repo.git(&["config", "alias.fix", "commit --amend"]);
    for (round, amend) in
        [["commit", "-q", "--amend", "--no-edit"], ["fix", "-q", "--no-edit", "--"]].iter().enumerate()
    {
        let title = format!("Round {round}");
        repo.write(KEP, with_section(&title));
        repo.git(&["add", KEP]);
        repo.git(&["commit", "-q", "--no-verify", "-m", "stale"]);
        let output = repo.ok(repo.git_in(&repo.path(), amend));
        let anchor = format!("round-{round}");
        let committed = String::from_utf8(repo.show(&format!("HEAD:{KEP}"))).unwrap();
        assert!(committed.contains(&format!("  - [{title}](#{anchor})\n")), "{amend:?}: {}", stderr(&output));
        assert_eq!(repo.read(KEP), committed.as_bytes());
        assert_eq!(repo.git(&["status", "--porcelain"]), "");
    }
    // A plain commit with nothing about the proposal staged does not touch it.
    repo.write(KEP, with_section("Left stale"));
    repo.git(&["add", KEP]);
    repo.git(&["commit", "-q", "--no-verify", "-m", "stale again"]);
    repo.write("other.txt", "other\n");
    repo.git(&["add", "other.txt"]);
    repo.ok(repo.git_in(&repo.path(), &["commit", "-q", "-m", "other"]));
    assert_eq!(repo.show(&format!("HEAD:{KEP}")), with_section("Left stale").as_bytes());
}

#[test]
fn new_objects_get_the_modes_git_gives_them() {
    // Objects were always 0444, where git honours the umask and core.sharedRepository.
    use std::os::unix::fs::PermissionsExt;
    for (umask, shared) in [
        ("022", None),
        ("077", None),
        ("027", None),
        ("077", Some("group")),
        ("077", Some("0640")),
        ("027", Some("all")),
    ] {
        let repo = TestRepo::with_hook();
        if let Some(shared) = shared {
            repo.git(&["config", "core.sharedRepository", shared]);
        }
        let in_umask = |command: &str| {
            repo.ok(repo
                .command("sh", &repo.path())
                .args(["-c", &format!("umask {umask} && {command}")])
                .output()
                .unwrap())
        };
        repo.write(KEP, with_section("Design"));
        repo.git(&["add", KEP]);
        in_umask("git commit -q -m design");
        let ours = repo.git(&["rev-parse", &format!("HEAD:{KEP}")]);
        repo.write("probe.txt", "written by git\n");
        let theirs = String::from_utf8(in_umask("git hash-object -w probe.txt").stdout).unwrap();
        let mode = |id: &str| {
            let path = repo.path().join(".git/objects").join(&id.trim()[..2]).join(&id.trim()[2..]);
            fs::metadata(path).unwrap().permissions().mode() & 0o7777
        };
        assert_eq!(mode(&ours), mode(&theirs), "umask {umask}, core.sharedRepository {shared:?}");
    }
}

#[test]
fn core_fsync_is_honoured_for_objects_and_the_index() {
    if !strace_can("trace=fsync") {
        return;
    }
    // The hook writes four objects here: the blob and the three trees above it.
    for (setting, want) in
        [(None, 0), (Some("loose-object"), 4), (Some("added"), 5), (Some("index"), 1), (Some("-loose-object"), 0)]
    {
        let repo = TestRepo::with_hook();
        if let Some(value) = setting {
            repo.git(&["config", "core.fsync", value]);
        }
        repo.write(KEP, with_section("Design"));
        repo.git(&["add", KEP]);
        // As `git commit` does before the hook: the index caches every tree.
        repo.git(&["write-tree"]);
        let log = repo.home().join("fsync.log");
        let traced = repo
            .command("strace", &repo.path())
            .args(["-f", "-qq", "-e", "trace=fsync,fdatasync", "-o"])
            .arg(&log)
            .args([crate::harness::BIN, "pre-commit"])
            .output()
            .unwrap();
        repo.ok(traced);
        let calls = fs::read_to_string(&log).unwrap().lines().filter(|l| l.contains("fsync(")).count();
        assert_eq!(calls, want, "core.fsync={setting:?}");
        assert_eq!(repo.staged(KEP), fresh_with_section("Design").as_bytes());
    }
}

#[test]
fn a_proposal_over_the_size_limit_is_named_with_the_limit_and_the_commit_goes_on() {
    // It used to refuse the whole commit with "fix the markers above".
    let repo = TestRepo::with_hook();
    let huge = "proposals/002-huge/README.md";
    let mut content = String::from("# Huge\n\n<!-- toc -->\n<!-- /toc -->\n\n## Data\n\n");
    content.push_str(&"x".repeat(257 << 20));
    repo.write(huge, &content);
    drop(content);
    repo.write(KEP, with_section("Design"));
    repo.git(&["-c", "core.compression=0", "add", "-A"]);
    let output = repo.ok(repo.git_in(&repo.path(), &["commit", "-q", "-m", "huge"]));
    let err = stderr(&output);
    assert!(err.contains("skipping proposals/002-huge/README.md: larger than 256 MiB"), "{err}");
    assert!(!err.contains("fix the markers"), "{err}");
    assert_eq!(repo.show(&format!("HEAD:{KEP}")), fresh_with_section("Design").as_bytes(), "the others are refreshed");
}

#[test]
fn sha256_and_reftable_repositories_commit_through_the_hook() {
    // libgit2 opens neither: every commit was refused, even one staging no proposal.
    for init in ["--object-format=sha256", "--ref-format=reftable"] {
        let repo = TestRepo::new();
        let fresh = repo.git_in(&repo.path(), &["init", "-q", init, "-b", "main", "again"]);
        if !fresh.status.success() {
            eprintln!("skipped {init}: this git cannot make such a repository");
            continue;
        }
        let work = repo.path().join("again");
        let git = |args: &[&str]| repo.ok(repo.git_in(&work, args));
        git(&["config", "user.name", "Ada Author"]);
        git(&["config", "user.email", "ada@example.com"]);
        fs::create_dir_all(work.join("proposals/001-first")).unwrap();
        fs::write(work.join(KEP), FRESH_KEP).unwrap();
        fs::write(work.join("other.txt"), "one\n").unwrap();
        git(&["add", "-A"]);
        git(&["commit", "-q", "-m", "initial"]);
        repo.ok(repo.kep_in(&work, &["install"]));
        fs::write(work.join("other.txt"), "two\n").unwrap();
        let no_proposal = git(&["commit", "-q", "-am", "no proposal"]);
        assert_eq!(stderr(&no_proposal), "", "{init}");
        fs::write(work.join(KEP), with_section("Design")).unwrap();
        git(&["add", KEP]);
        let output = git(&["commit", "-q", "-m", "design"]);
        assert!(stderr(&output).contains("refreshed the table of contents"), "{init}: {}", stderr(&output));
        let committed = git(&["show", &format!("HEAD:{KEP}")]).stdout;
        assert_eq!(committed, fresh_with_section("Design").as_bytes(), "{init}");
        assert_eq!(fs::read(work.join(KEP)).unwrap(), committed, "{init}: the work tree follows");
        assert_eq!(git(&["status", "--porcelain"]).stdout, b"", "{init}");
        git(&["fsck", "--no-dangling", "--no-progress"]);
        // What needs libgit2 says why it cannot run here.
        let new = repo.kep_in(&work, &["new", "Another"]);
        assert_ne!(new.status.code(), Some(0));
        assert!(stderr(&new).contains("cannot do this in this repository yet"), "{init}: {}", stderr(&new));
    }
}

#[test]
fn no_staged_change_is_overwritten_by_commits_running_at_the_same_time() {
    // A second terminal keeps staging the proposal while commits run: whatever it staged must
    // stay staged (the hook may refresh its TOC, never bring back an older body). One race is
    // git's own, hook or not: `git commit` reads the index before it locks it to refresh it, so
    // a `git add` in between is undone. The other terminal is kept out of that window (from the
    // start of `git commit` to the start of its hook), so any older body is the hook's doing.
    for layout in ["plain", "split"] {
        let repo = std::sync::Arc::new(TestRepo::with_hook());
        if layout == "split" {
            repo.git(&["update-index", "--split-index"]);
        }
        let hook = repo.path().join(".git/hooks/pre-commit");
        let hook_started = repo.path().join(".git/hook-started");
        fs::rename(&hook, hook.with_file_name("pre-commit-kep")).unwrap();
        let wrapper = format!(
            "#!/bin/sh\n: > '{}'\nexec '{}' \"$@\"\n",
            hook_started.display(),
            hook.with_file_name("pre-commit-kep").display()
        );
        fs::write(&hook, wrapper).unwrap();
        fs::set_permissions(&hook, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
        let before_any_hook = std::sync::Arc::new(std::sync::Mutex::new(()));
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let stager = {
            let (repo, stop, gate) =
                (std::sync::Arc::clone(&repo), std::sync::Arc::clone(&stop), std::sync::Arc::clone(&before_any_hook));
            std::thread::spawn(move || {
                let (mut staged, mut regressions) = (0, Vec::new());
                let stage_of = |body: &str| {
                    body.lines().find_map(|line| line.strip_prefix("## Stage ")).and_then(|n| n.parse::<usize>().ok())
                };
                for n in 1.. {
                    if stop.load(std::sync::atomic::Ordering::Relaxed) {
                        break;
                    }
                    save_atomically(&repo.path().join(KEP), &with_section(&format!("Stage {n}")));
                    let added = {
                        let _outside_git_commits_own_race = gate.lock().unwrap();
                        repo.git_in(&repo.path(), &["add", KEP]).status.success()
                    };
                    if added {
                        staged = n;
                    }
                    let shown = repo.git_in(&repo.path(), &["show", &format!(":{KEP}")]);
                    let seen = stage_of(&String::from_utf8_lossy(&shown.stdout));
                    if shown.status.success() && seen.is_some_and(|seen| seen < staged) {
                        regressions.push((staged, seen));
                    }
                }
                (staged, regressions)
            })
        };
        let started = std::time::Instant::now();
        // Refusals are expected while the other terminal stages; keep committing until enough
        // commits landed to make the race meaningful (a loaded machine refuses more often).
        let (mut commits, mut refused) = (0, 0);
        while commits < 12 && started.elapsed() < std::time::Duration::from_secs(40) {
            let output = {
                let window = before_any_hook.lock().unwrap();
                let _ = fs::remove_file(&hook_started);
                let mut commit = repo
                    .command("git", &repo.path())
                    .args(["commit", "-q", "--allow-empty", "-m", "commit"])
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap();
                while !hook_started.exists() && commit.try_wait().unwrap().is_none() {
                    std::thread::sleep(std::time::Duration::from_micros(100));
                }
                drop(window);
                commit.wait_with_output().unwrap()
            };
            if output.status.success() {
                commits += 1;
            } else {
                // Refused because the proposal was staged again meanwhile, or git's own lock.
                let err = stderr(&output);
                assert!(err.contains("meanwhile") || err.contains("lock"), "{layout}: {err}");
                refused += 1;
            }
        }
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        let (staged, regressions) = stager.join().unwrap();
        assert!(staged > 5 && commits > 5, "{layout}: {staged} stagings, {commits} commits, {refused} refused");
        assert!(regressions.is_empty(), "{layout}: staged changes overwritten: {regressions:?}");
        let last = String::from_utf8(repo.staged(KEP)).unwrap();
        assert!(last.contains(&format!("## Stage {staged}\n")), "{layout}: the last staging stays staged");
    }
}

#[test]
fn a_renamed_heading_takes_its_links_along_in_the_commit_and_the_work_tree() {
    let repo = TestRepo::with_hook();
    let body = |heading: &str, anchor: &str| {
        format!(
            "# My Proposal\n\n<!-- toc -->\n<!-- /toc -->\n\n## Summary\n\nSee [the design](#{anchor}) and [again][d].\n\n## {heading}\n\nText.\n\n[d]: #{anchor}\n"
        )
    };
    repo.write(KEP, body("Design Details", "design-details"));
    repo.git(&["add", KEP]);
    repo.ok(repo.git_in(&repo.path(), &["commit", "-q", "-m", "design details"]));
    let committed = String::from_utf8(repo.show(&format!("HEAD:{KEP}"))).unwrap();
    // Rename the heading, stage it, and keep an unstaged edit in the same file.
    let renamed = committed.replace("## Design Details", "## Design");
    repo.write(KEP, &renamed);
    repo.git(&["add", KEP]);
    repo.write(KEP, renamed.replace("Text.\n", "Text.\n\nAn unstaged line.\n"));
    let output = repo.ok(repo.git_in(&repo.path(), &["commit", "-q", "-m", "rename"]));
    let err = stderr(&output);
    assert!(err.contains("pointed 2 links at renamed headings"), "{err}");
    assert!(err.contains("-See [the design](#design-details)") && err.contains("+See [the design](#design)"), "{err}");
    let head = String::from_utf8(repo.show(&format!("HEAD:{KEP}"))).unwrap();
    assert!(head.contains("See [the design](#design) and [again][d].") && head.contains("[d]: #design\n"), "{head}");
    assert!(head.contains("  - [Design](#design)\n"), "and the TOC: {head}");
    let work = repo.read_string(KEP);
    assert!(
        work.contains("(#design)") && work.contains("[d]: #design\n") && work.contains("An unstaged line."),
        "{work}"
    );
    let unstaged = repo.git(&["diff"]);
    let changed: Vec<&str> = unstaged
        .lines()
        .filter(|l| (l.starts_with('+') || l.starts_with('-')) && !l.starts_with("+++") && !l.starts_with("---"))
        .collect();
    assert_eq!(changed, ["+An unstaged line.", "+"], "only the unstaged edit stays unstaged: {unstaged}");

    // A split: two candidates, nothing rewritten, and it says so.
    let split = head.replace("## Design\n", "## Design One\n\nOne.\n\n## Design Two\n");
    repo.write(KEP, &split);
    repo.git(&["add", KEP]);
    let output = repo.ok(repo.git_in(&repo.path(), &["commit", "-q", "-m", "split"]));
    assert!(
        stderr(&output).contains(&format!(
            "{KEP}:11: a link to #design: its heading's new name is unclear (candidates: #design-one, #design-two)"
        )),
        "{}",
        stderr(&output)
    );
    let head = String::from_utf8(repo.show(&format!("HEAD:{KEP}"))).unwrap();
    assert!(head.contains("See [the design](#design) and"), "links left as they are: {head}");
}

#[test]
fn links_from_other_files_to_a_renamed_heading_are_reported_and_fix_rewrites_them() {
    let repo = TestRepo::with_hook();
    let other = "proposals/002-other/README.md";
    repo.write(KEP, format!("{FRESH_KEP}\n## Design Details\n\nText.\n"));
    repo.write(
        other,
        "# Other\n\nSee [their design](../001-first/README.md#design-details), [text](#local).\n\n## Local\n",
    );
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "--no-verify", "-m", "two proposals"]);
    let renamed =
        String::from_utf8(repo.show(&format!("HEAD:{KEP}"))).unwrap().replace("## Design Details", "## Design");
    repo.write(KEP, &renamed);
    repo.git(&["add", KEP]);
    let output = repo.ok(repo.git_in(&repo.path(), &["commit", "-q", "-m", "rename"]));
    let err = stderr(&output);
    assert!(
        err.contains("proposals/002-other/README.md:3: links to #design-details, renamed to #design in proposals/001-first/README.md"),
        "{err}"
    );
    assert_eq!(repo.read_string(other).matches("#design-details").count(), 1, "the hook edits no other file");
    // `git kep fix --check` reports, `git kep fix` rewrites, once.
    let check = repo.kep(&["fix", "--since", "HEAD~1", "--check"]);
    assert_eq!(check.status.code(), Some(1));
    assert!(crate::harness::stdout(&check).contains("proposals/002-other/README.md:3: links to #design-details"));
    let fixed = repo.ok(repo.kep(&["fix", "--since", "HEAD~1"]));
    assert!(
        crate::harness::stdout(&fixed).contains("fixed: linked to #design-details, renamed to #design"),
        "{}",
        crate::harness::stdout(&fixed)
    );
    assert_eq!(
        repo.read_string(other),
        "# Other\n\nSee [their design](../001-first/README.md#design), [text](#local).\n\n## Local\n"
    );
    let again = repo.kep(&["fix", "--since", "HEAD~1", "--check"]);
    assert_eq!(again.status.code(), Some(0), "nothing left: {}", crate::harness::stdout(&again));
}
