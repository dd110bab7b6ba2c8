//! Issue 26's regressions: the hook and the commands keep working through signals, file-size
//! limits, odd files, moved proposals, partial and shallow clones, and hostile input.

use crate::harness::{BIN, TestRepo, fresh_with_section, stderr, strace_can, with_section};
use std::fs;
use std::path::Path;
use std::process::{Child, Command, Stdio};

const KEP: &str = "proposals/001-first/README.md";

/// What an interrupted run must never leave: git's index lock, git-kep's temporary copies (in the
/// git directory or the work tree) and half-written objects; and `git status` and `git add` work.
fn assert_nothing_left(repo: &TestRepo, what: &str) {
    let git_dir = repo.path().join(".git");
    assert!(!git_dir.join("index.lock").exists(), "{what}: .git/index.lock left behind");
    let mut left = Vec::new();
    let mut pending = vec![repo.path()];
    while let Some(dir) = pending.pop() {
        for entry in fs::read_dir(&dir).unwrap().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with(".git-kep-") || name.starts_with("tmp_obj_") {
                left.push(entry.path());
            }
            if entry.file_type().unwrap().is_dir() {
                pending.push(entry.path());
            }
        }
    }
    assert!(left.is_empty(), "{what}: temporary files left: {left:?}");
    repo.git(&["status", "--porcelain"]);
    repo.git(&["add", KEP]);
}

/// The pid of the git-kep strace (`tracer`) runs, once it runs (strace forks test processes too).
fn traced_pid(tracer: &Child) -> String {
    let started = std::time::Instant::now();
    loop {
        let children = fs::read_to_string(format!("/proc/{0}/task/{0}/children", tracer.id())).unwrap_or_default();
        // Its test processes run strace's own program; the hook's has exec'd git-kep.
        let is_hook = |pid: &&str| fs::read_link(format!("/proc/{pid}/exe")).is_ok_and(|exe| exe == Path::new(BIN));
        if let Some(pid) = children.split_whitespace().find(is_hook) {
            return pid.to_owned();
        }
        assert!(started.elapsed().as_secs() < 20, "strace started nothing");
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
}

fn send(repo: &TestRepo, signal: &str, pid: &str) {
    // The process may have ended just before: that is no failure of the test.
    let _ = repo.command("kill", &repo.path()).args(["-s", signal, pid]).status();
}

fn wait_for(what: &str, done: impl Fn() -> bool) {
    let started = std::time::Instant::now();
    while !done() {
        assert!(started.elapsed().as_secs() < 30, "never happened: {what}");
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
}

/// The hook run directly under strace, `syscall` delayed (`delay`, strace's `delay_enter=US`).
fn traced_hook(repo: &TestRepo, syscall: &str, delay: &str) -> Child {
    repo.command("strace", &repo.path())
        .args(["-f", "-qq", "-o", "/dev/null", "-e", &format!("trace={syscall}")])
        .args(["-e", &format!("inject={syscall}:{delay}"), BIN, "pre-commit"])
        .env("GIT_INDEX_FILE", repo.path().join(".git/index"))
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

#[test]
fn a_signal_while_the_hook_writes_the_index_leaves_no_lock() {
    // Ctrl-C, SIGTERM or SIGHUP while the hook held `.git/index.lock` (6 of 6 when timed so)
    // left it: every later `git add` or `git commit` failed until the user removed it by hand.
    // Deterministic: the hook's fsync of the new index (core.fsync=index, the only fsync then)
    // waits three seconds under strace, with the lock held and written.
    if !strace_can("inject=fsync:delay_enter=1") {
        return;
    }
    for (signal, number) in [("INT", 2), ("TERM", 15), ("HUP", 1)] {
        let repo = TestRepo::with_hook();
        repo.git(&["config", "core.fsync", "index"]);
        repo.write(KEP, with_section("Design"));
        repo.git(&["add", KEP]);
        let hook = traced_hook(&repo, "fsync", "delay_enter=3000000");
        let pid = traced_pid(&hook);
        let lock = repo.path().join(".git/index.lock");
        wait_for("the hook takes the lock", || lock.exists());
        std::thread::sleep(std::time::Duration::from_millis(200));
        send(&repo, signal, &pid);
        let output = hook.wait_with_output().unwrap();
        assert_eq!(
            std::os::unix::process::ExitStatusExt::signal(&output.status),
            Some(number),
            "SIG{signal}: git-kep dies of the signal, as git does: {:?} {}",
            output.status,
            stderr(&output)
        );
        assert_nothing_left(&repo, &format!("SIG{signal} during the index write"));
        assert_eq!(repo.staged(KEP), with_section("Design").as_bytes(), "SIG{signal}: the index is as it was");
    }
}

#[test]
fn a_signal_while_the_hook_swaps_work_tree_files_leaves_no_lock_and_no_copy() {
    // The hook takes the index lock again to swap the refreshed copy in; a signal in that window
    // left the lock, and the copy it had swapped out (`.git/.git-kep-*`).
    if !strace_can("inject=renameat2:delay_enter=1") {
        return;
    }
    for (signal, number) in [("TERM", 15), ("INT", 2)] {
        let repo = TestRepo::with_hook();
        repo.write(KEP, with_section("Design"));
        repo.git(&["add", KEP]);
        let hook = traced_hook(&repo, "renameat2", "delay_enter=3000000");
        let pid = traced_pid(&hook);
        wait_for("the index is refreshed", || repo.staged(KEP) == fresh_with_section("Design").as_bytes());
        wait_for("the hook locks the index again", || repo.path().join(".git/index.lock").exists());
        std::thread::sleep(std::time::Duration::from_millis(200));
        send(&repo, signal, &pid);
        let output = hook.wait_with_output().unwrap();
        assert_eq!(std::os::unix::process::ExitStatusExt::signal(&output.status), Some(number), "{}", stderr(&output));
        // The swap under way ends before the cleanup: the work tree holds one whole version.
        let work = repo.read_string(KEP);
        assert!(work == fresh_with_section("Design") || work == with_section("Design"), "{work}");
        assert_nothing_left(&repo, &format!("SIG{signal} during the work-tree swap"));
    }
}

/// A proposal of about `size` bytes that does not compress, with a stale TOC.
fn incompressible_proposal(size: usize) -> String {
    let mut text = with_section("Design");
    text.push_str("\n## Data\n\n");
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    while text.len() < size {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let word: String = (0..8).map(|i| char::from(b'a' + ((state >> (i * 5)) % 26) as u8)).collect();
        text.push_str(&word);
        text.push(if state.is_multiple_of(11) { '\n' } else { ' ' });
    }
    text
}

#[test]
fn a_file_size_limit_is_an_error_that_leaves_no_lock() {
    // Under `ulimit -f` below the proposal's size, SIGXFSZ killed the hook while it held the
    // index lock, every time. A write past the limit is now an error (EFBIG), said with its cause.
    let repo = TestRepo::with_hook();
    repo.write(KEP, incompressible_proposal(6 << 20));
    repo.git(&["add", KEP]);
    let output =
        repo.command("sh", &repo.path()).args(["-c", "ulimit -f 4000 && exec git commit -q -m big"]).output().unwrap();
    let err = stderr(&output);
    assert!(!output.status.success(), "{err}");
    assert!(!err.contains("died of signal"), "{err}");
    assert!(err.contains("File too large") && err.contains("ulimit -f"), "{err}");
    assert_nothing_left(&repo, "a file-size limit");
}

#[test]
fn signals_at_random_points_of_the_hook_leave_nothing_behind() {
    // Bounded and seeded: SIGINT, SIGTERM or SIGHUP at a pseudo-random moment of a hook that
    // refreshes a 3 MB proposal (8 of 30 SIGINTs left the lock with a 22 MB one); whatever it
    // was doing, nothing stays locked or half-written.
    let repo = TestRepo::with_hook();
    let hook = repo.path().join(".git/hooks/pre-commit");
    let pid_file = repo.path().join(".git/hook-pid");
    fs::write(&hook, format!("#!/bin/sh\necho $$ > '{}'\nexec git-kep pre-commit\n", pid_file.display())).unwrap();
    let big = incompressible_proposal(3 << 20);
    // The signals fall within the time an uninterrupted commit of it takes.
    repo.write(KEP, &big);
    repo.git(&["add", KEP]);
    let started = std::time::Instant::now();
    repo.git(&["commit", "-q", "-m", "uninterrupted"]);
    let span = u64::try_from(started.elapsed().as_millis()).unwrap().max(20);
    let mut state: u64 = 26;
    let mut next = |below: u64| {
        state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) % below
    };
    for round in 0..12 {
        repo.write(KEP, format!("{big}\n## Round {round}\n"));
        repo.git(&["add", KEP]);
        let _ = fs::remove_file(&pid_file);
        let commit = repo
            .command("git", &repo.path())
            .args(["commit", "-q", "-m", "round"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        wait_for("the hook starts", || fs::read_to_string(&pid_file).is_ok_and(|pid| pid.ends_with('\n')));
        let pid = fs::read_to_string(&pid_file).unwrap().trim().to_owned();
        let (signal, delay) = (["INT", "TERM", "HUP"][next(3) as usize], next(span));
        std::thread::sleep(std::time::Duration::from_millis(delay));
        send(&repo, signal, &pid);
        let mut commit = commit;
        commit.wait().unwrap();
        wait_for("the hook ends", || !Path::new(&format!("/proc/{pid}")).exists());
        assert_nothing_left(&repo, &format!("round {round}: SIG{signal} after {delay} ms"));
    }
}

/// Git-kep's temporary files under `dir`, at any depth.
fn temporaries_under(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in fs::read_dir(&dir).into_iter().flatten().flatten() {
            if entry.file_name().to_string_lossy().starts_with(".git-kep-") {
                found.push(entry.path());
            } else if entry.file_type().is_ok_and(|t| t.is_dir()) && entry.file_name() != ".git" {
                pending.push(entry.path());
            }
        }
    }
    found
}

#[test]
fn an_interrupted_toc_fix_or_framework_run_leaves_no_copy_in_the_proposals_folder() {
    // `git kep toc` (and `fix`, and `git kep pre-commit FILE` for the pre-commit framework) wrote
    // the new content beside the file (`.git-kep-XXXXXX`): interrupted, 5 of 5 left that partial
    // copy in the proposal's folder, where the next `git add -A` staged it. The copy is now
    // written in the git directory, and a signal removes it.
    if !strace_can("inject=renameat2:delay_enter=1") {
        return;
    }
    let other = "proposals/002-other/README.md";
    for command in ["toc", "pre-commit", "fix"] {
        let repo = TestRepo::with_hook();
        let mut args = vec![command];
        if command == "fix" {
            repo.write(KEP, format!("{}\n## Design Details\n\nText.\n", crate::harness::FRESH_KEP));
            repo.write(other, "# Other\n\nSee [the design](../001-first/README.md#design-details).\n");
            repo.git(&["add", "-A"]);
            repo.git(&["commit", "-q", "--no-verify", "-m", "two"]);
            let renamed = repo.read_string(KEP).replace("## Design Details", "## Design");
            repo.write(KEP, renamed);
            repo.git(&["commit", "-q", "--no-verify", "-am", "rename"]);
            args.extend(["--since", "HEAD~1"]);
        } else {
            repo.write(KEP, with_section("Design"));
            repo.git(&["commit", "-q", "--no-verify", "-am", "stale"]);
            if command == "pre-commit" {
                args.push(KEP);
            }
        }
        let run = repo
            .command("strace", &repo.path())
            .args(["-f", "-qq", "-o", "/dev/null", "-e", "trace=renameat2", "-e"])
            .args(["inject=renameat2:delay_enter=3000000", BIN])
            .args(&args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let pid = traced_pid(&run);
        let git_dir = repo.path().join(".git");
        let in_git_dir = || {
            fs::read_dir(&git_dir).unwrap().flatten().any(|e| e.file_name().to_string_lossy().starts_with(".git-kep-"))
        };
        wait_for("the new content is written", || in_git_dir() || !temporaries_under(&repo.path()).is_empty());
        assert_eq!(
            temporaries_under(&repo.path()),
            Vec::<std::path::PathBuf>::new(),
            "{command}: none in the work tree"
        );
        send(&repo, "INT", &pid);
        let output = run.wait_with_output().unwrap();
        assert_eq!(
            std::os::unix::process::ExitStatusExt::signal(&output.status),
            Some(2),
            "{command}: {}",
            stderr(&output)
        );
        assert!(!in_git_dir(), "{command}: the copy is removed");
        let untracked = repo.git(&["status", "--porcelain", "--untracked-files=all"]);
        assert!(!untracked.contains("??"), "{command}: nothing new in the work tree: {untracked}");
    }
}

/// Runs `command`, killed after `seconds` (a hang is a failure, not a stuck test run).
fn output_within(mut command: std::process::Command, seconds: u64, what: &str) -> std::process::Output {
    let mut child = command.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed().as_secs() >= seconds {
            let _ = child.kill();
            panic!("{what}: still running after {seconds} s (waiting on a FIFO?)");
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    child.wait_with_output().unwrap()
}

fn mkfifo(repo: &TestRepo, rel: &str) {
    let _ = fs::remove_file(repo.path().join(rel));
    repo.ok(repo.command("mkfifo", &repo.path()).arg(rel).output().unwrap());
}

#[test]
fn fifos_named_like_linked_files_or_metadata_never_hang_the_hook_check_or_list() {
    // A FIFO named `notes.md` that a staged proposal links to hung the hook forever (and
    // `check`); a FIFO named `kep.yaml` hung `list`. Only regular files are opened, and never
    // with a wait.
    let repo = TestRepo::new();
    let kep = "keps/sig-a/123-x/README.md";
    let gep = "geps/gep-7/index.md";
    repo.write(".kepconfig", "[kep]\n\tdir = keps\n");
    repo.write(kep, "# KEP-123: X\n\n<!-- toc -->\n<!-- /toc -->\n\n## Summary\n\nSee [notes](notes.md#a).\n");
    repo.write("keps/sig-a/123-x/kep.yaml", "title: X\nkep-number: 123\nowning-sig: sig-a\n");
    repo.write(gep, "# GEP-7\n\nSee [notes](notes.md).\n");
    repo.write("geps/gep-7/metadata.yaml", "name: X\nnumber: 7\n");
    repo.write("keps/prod-readiness/sig-a/123.yaml", "kep-number: 123\n");
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "-m", "initial"]);
    repo.ok(repo.kep(&["install"]));
    for fifo in ["keps/sig-a/123-x/notes.md", "keps/sig-a/123-x/kep.yaml", "geps/gep-7/notes.md"] {
        mkfifo(&repo, fifo);
    }
    mkfifo(&repo, "geps/gep-7/metadata.yaml");
    mkfifo(&repo, "keps/prod-readiness/sig-a/123.yaml");
    repo.write(kep, format!("{}\n## Design\n", repo.read_string(kep)));
    repo.git(&["add", kep]);
    let mut commit = repo.command("git", &repo.path());
    commit.args(["commit", "-q", "-m", "design"]);
    let output = output_within(commit, 30, "the hook");
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(String::from_utf8(repo.show(&format!("HEAD:{kep}"))).unwrap().contains("(#design)"));
    let geps = "kep.layout=geps/gep-{number}/index.md";
    for args in [
        &["kep", "check"][..],
        &["kep", "list"],
        &["kep", "list", "--format", "json"],
        &["-c", geps, "kep", "list"],
        &["-c", geps, "kep", "check"],
    ] {
        let mut command = repo.command("git", &repo.path());
        command.args(args);
        let output = output_within(command, 30, &format!("git kep {args:?}"));
        assert!(output.status.code().is_some_and(|code| code < 2), "{args:?}: {}", stderr(&output));
    }
    // Where k/e's metadata rules run (init sets this where hack/verify-kep-metadata.sh is).
    repo.git(&["config", "kep.metadataRules", "kubernetes"]);
    let mut check = repo.command(BIN, &repo.path());
    check.args(["check", "keps"]);
    let output = output_within(check, 30, "git kep check keps");
    let said = crate::harness::stdout(&output);
    assert!(
        said.contains("keps/sig-a/123-x/kep.yaml:1:1: metadata: cannot read kep.yaml: not a regular file"),
        "{said}"
    );
}

#[test]
fn a_symlink_out_of_the_repository_is_neither_written_through_nor_read() {
    // A committed symlink `proposals -> ../elsewhere` was followed: `git kep toc` rewrote a file
    // outside the repository. And `new` copied a file outside the repository, reached through a
    // symlink in `prod-readiness/template/`, into the committed production-readiness file.
    let repo = TestRepo::new();
    let elsewhere = repo.home().join("elsewhere");
    fs::create_dir_all(elsewhere.join("001-first")).unwrap();
    let outside = elsewhere.join("001-first/README.md");
    fs::write(&outside, with_section("Design")).unwrap();
    std::os::unix::fs::symlink(&elsewhere, repo.path().join("proposals")).unwrap();
    repo.write("other.txt", "x\n");
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "-m", "a symlink to elsewhere"]);
    for args in [&["toc"][..], &["toc", "proposals/001-first/README.md"], &["toc", "proposals"]] {
        let output = repo.kep(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {}", stderr(&output));
        assert!(stderr(&output).contains("leads outside the work tree"), "{args:?}: {}", stderr(&output));
        assert_eq!(fs::read_to_string(&outside).unwrap(), with_section("Design"), "{args:?}: nothing written outside");
    }
    let new = repo.kep(&["new", "Elsewhere"]);
    assert_eq!(new.status.code(), Some(1), "{}", stderr(&new));
    assert!(stderr(&new).contains("leads outside the work tree"), "{}", stderr(&new));
    assert_eq!(fs::read_dir(&elsewhere).unwrap().count(), 1, "no proposal created outside");

    // k/e's layout, its production-readiness template a symlink to a file outside.
    let repo = TestRepo::new();
    repo.write(".kepconfig", "[kep]\n\tlayout = keps/{group}/{number}-{name}/README.md\n");
    repo.write("keps/NNNN-kep-template/README.md", "# KEP-NNNN: Your short, descriptive title\n\n## Summary\n");
    repo.write("keps/NNNN-kep-template/kep.yaml", "title: x\nkep-number: NNNN\nowning-sig: sig-xxx\n");
    repo.write("keps/sig-a/1-first/README.md", "# KEP-1: First\n\n## Summary\n");
    repo.write("keps/sig-a/1-first/kep.yaml", "title: First\nkep-number: 1\nowning-sig: sig-a\n");
    repo.write("keps/prod-readiness/sig-a/1.yaml", "kep-number: 1\n");
    let secret = repo.home().join("secret.yaml");
    fs::write(&secret, "# the secret line\nkep-number: NNNN\n").unwrap();
    fs::create_dir_all(repo.path().join("keps/prod-readiness/template")).unwrap();
    std::os::unix::fs::symlink(&secret, repo.path().join("keps/prod-readiness/template/nnnn.yaml")).unwrap();
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "-m", "k/e"]);
    let new = repo.ok(repo.kep(&["new", "Second", "--sig", "sig-a"]));
    let prr = repo.path().join("keps/prod-readiness/sig-a/2.yaml");
    let written = fs::read_to_string(&prr).unwrap_or_default();
    assert!(!written.contains("secret"), "the file outside was copied: {written}\n{}", stderr(&new));
}

#[test]
fn only_the_templates_readme_is_read_on_a_hook_run() {
    // The whole template folder was read on every commit: a 400 MB asset in it cost 415 MB of
    // memory on a one-line commit. The files the hook opens are traced.
    if !strace_can("trace=openat") {
        return;
    }
    let repo = TestRepo::new();
    repo.write("keps/NNNN-kep-template/README.md", "# KEP-NNNN: Title\n\n<!-- toc -->\n<!-- /toc -->\n\n## Summary\n");
    repo.write("keps/NNNN-kep-template/asset.bin", vec![0u8; 1 << 20]);
    repo.write("keps/sig-a/1-first/README.md", "# KEP-1: First\n\n<!-- toc -->\n<!-- /toc -->\n\n## Summary\n");
    repo.write(".kepconfig", "[kep]\n\tdir = keps\n");
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "--no-verify", "-m", "initial"]);
    repo.ok(repo.kep(&["install"]));
    repo.write(
        "keps/sig-a/1-first/README.md",
        "# KEP-1: First\n\n<!-- toc -->\n<!-- /toc -->\n\n## Summary\n\n## Design\n",
    );
    repo.git(&["add", "keps/sig-a/1-first/README.md"]);
    let log = repo.home().join("opened.log");
    let traced = repo
        .command("strace", &repo.path())
        .args(["-f", "-qq", "-e", "trace=open,openat,openat2", "-o"])
        .arg(&log)
        .args([BIN, "pre-commit"])
        .env("GIT_INDEX_FILE", repo.path().join(".git/index"))
        .output()
        .unwrap();
    repo.ok(traced);
    let opened = fs::read_to_string(&log).unwrap();
    assert!(opened.contains("NNNN-kep-template/README.md"), "the template's README is read");
    assert!(!opened.contains("asset.bin"), "only the template's README is read: {opened}");
}

#[test]
fn new_refuses_titles_with_control_characters_and_a_number_past_the_last() {
    // `new` accepted a title with a newline (the H1 became `# Pod` plus a paragraph) or ESC and
    // BEL bytes (committed as they were).
    let repo = TestRepo::with_hook();
    let before = repo.snapshot();
    for (title, said) in [
        ("Pod\nOverhead", "a line break (U+000A)"),
        ("Pod\r\nOverhead", "a line break (U+000D)"),
        ("Pod \u{1b}[31mOverhead", "an escape (ESC)"),
        ("Pod\u{7} Overhead", "a bell (BEL)"),
        ("Pod\u{7f}Overhead", "a control character (U+007F)"),
    ] {
        let output = repo.kep(&["new", title]);
        assert_eq!(output.status.code(), Some(1), "{title:?}: {}", stderr(&output));
        assert!(stderr(&output).contains(&format!("the title contains {said}")), "{title:?}: {}", stderr(&output));
        let named = repo.kep(&["new", "Pod Overhead", "--name", title]);
        assert_eq!(named.status.code(), Some(1), "--name {title:?}: {}", stderr(&named));
        assert_eq!(repo.snapshot(), before, "{title:?}: nothing changed");
    }
    // Next to the largest number a proposal can have, there is no next one: refused, where the
    // addition used to saturate and take that same number again.
    repo.write("proposals/4294967295-max/README.md", "# Max\n");
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "--no-verify", "-m", "max"]);
    repo.git(&["config", "kep.numbering", "next"]);
    repo.git(&["config", "kep.dir", "proposals"]);
    let output = repo.kep(&["new", "Next"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("the highest number in use is 4294967295: there is no next one"),
        "{}",
        stderr(&output)
    );
    assert_eq!(fs::read_dir(repo.path().join("proposals")).unwrap().count(), 2, "no folder created");
}

#[test]
fn since_in_a_shallow_clone_or_unrelated_histories_says_what_happened_and_what_to_do() {
    // Both used to print only `error: git merge-base failed:`.
    let origin = TestRepo::with_hook();
    origin.git(&["checkout", "-q", "-b", "other"]);
    origin.write("other.txt", "other\n");
    origin.git(&["commit", "-q", "-am", "other"]);
    origin.git(&["checkout", "-q", "main"]);
    origin.write(KEP, with_section("Design"));
    origin.git(&["commit", "-q", "--no-verify", "-am", "design"]);
    let url = format!("file://{}", origin.path().display());
    let clone = origin.home().join("shallow");
    origin.git(&["clone", "-q", "--depth", "1", "--no-single-branch", &url, clone.to_str().unwrap()]);
    for args in [
        &["check", "--since", "origin/other"][..],
        &["fix", "--since", "origin/other", "--check"],
        &["check", "--since", "HEAD~1"],
    ] {
        let output = origin.kep_in(&clone, args);
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {err}");
        assert!(!err.contains("merge-base failed"), "{args:?}: {err}");
        assert!(err.contains("shallow clone") && err.contains("git fetch --unshallow"), "{args:?}: {err}");
        assert!(err.contains("fetch-depth: 0"), "{args:?}: {err}");
    }
    // Unrelated histories.
    origin.git(&["checkout", "-q", "--orphan", "unrelated"]);
    origin.git(&["commit", "-q", "--no-verify", "-m", "unrelated"]);
    for command in ["check", "fix"] {
        let output = origin.kep(&[command, "--since", "main"]);
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{command}: {err}");
        assert!(err.contains("--since main: it shares no history with HEAD (unrelated histories)"), "{command}: {err}");
        assert!(err.contains("hint: name a commit HEAD descends from"), "{command}: {err}");
    }
}

#[test]
fn check_since_with_a_path_that_does_not_exist_is_an_error() {
    // `check --since REV proposals/typo` silently checked every file.
    let repo = TestRepo::with_hook();
    repo.write(KEP, with_section("Design"));
    repo.git(&["commit", "-q", "--no-verify", "-am", "stale"]);
    let output = repo.kep(&["check", "--since", "HEAD~1", "proposals/typo"]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert!(err.contains("proposals/typo: No such file or directory"), "{err}");
    assert_eq!(crate::harness::stdout(&output), "", "nothing checked");
    let output = repo.kep(&["check", "--since", "HEAD~1", "proposals/001-first"]);
    assert_eq!(output.status.code(), Some(1), "the right path checks: {}", stderr(&output));
}

/// Makes a directory immutable (`chattr +i`: even root cannot write in it) until dropped.
struct Immutable(std::path::PathBuf);

impl Immutable {
    fn new(dir: std::path::PathBuf) -> Option<Immutable> {
        let done = Command::new("chattr").arg("+i").arg(&dir).status().is_ok_and(|status| status.success());
        if !done {
            eprintln!("skipped: chattr +i does not work here");
        }
        done.then_some(Immutable(dir))
    }
}

impl Drop for Immutable {
    fn drop(&mut self) {
        let _ = Command::new("chattr").arg("-i").arg(&self.0).status();
    }
}

#[test]
fn an_unwritable_folder_is_one_warning_without_a_doubled_prefix() {
    // It said `git-kep: warning: error: cannot write …`.
    let repo = TestRepo::with_hook();
    repo.write(KEP, with_section("Design"));
    repo.git(&["add", KEP]);
    let Some(_immutable) = Immutable::new(repo.path().join("proposals/001-first")) else { return };
    let output = repo.ok(repo.git_in(&repo.path(), &["commit", "-q", "-m", "design"]));
    let err = stderr(&output);
    assert!(!err.contains("error:"), "{err}");
    assert!(err.contains("git-kep: warning: cannot write"), "{err}");
    assert!(err.contains(&format!("{KEP} is left as it was in the work tree: the commit gets the fresh TOC")), "{err}");
    assert_eq!(repo.show(&format!("HEAD:{KEP}")), fresh_with_section("Design").as_bytes());
}

#[test]
fn install_and_uninstall_say_a_global_hooks_path_is_every_repositorys() {
    // Installing into a global core.hooksPath did not say the hooks now run for every
    // repository; uninstalling in one repository silently removed them for all.
    let repo = TestRepo::with_hook();
    repo.ok(repo.kep(&["uninstall"]));
    let shared = repo.home().join("hooks");
    repo.git(&["config", "--global", "core.hooksPath", shared.to_str().unwrap()]);
    let output = repo.ok(repo.kep(&["install"]));
    let err = stderr(&output);
    assert!(shared.join("pre-commit").is_file(), "{err}");
    assert!(err.contains("core.hooksPath from your global git config"), "{err}");
    assert!(err.contains("these hooks now run for every repository that uses it"), "{err}");
    let output = repo.ok(repo.kep(&["uninstall"]));
    assert!(stderr(&output).contains("removes them for every repository that uses it"), "{}", stderr(&output));
    // Set in this repository only: nothing to say.
    repo.git(&["config", "--global", "--unset", "core.hooksPath"]);
    repo.git(&["config", "core.hooksPath", shared.to_str().unwrap()]);
    let output = repo.ok(repo.kep(&["install"]));
    assert!(!stderr(&output).contains("every repository"), "{}", stderr(&output));
}

#[test]
fn a_moved_proposal_is_compared_with_its_old_path() {
    // `git mv keps/sig-a/123-x keps/sig-b/123-x` had no base: under kep.strict the pure move was
    // refused, and `check --since` exited 1 with every old finding "introduced".
    let repo = TestRepo::new();
    repo.write(
        ".kepconfig",
        "[kep]\n\tlayout = keps/{group}/{number}-{name}/README.md\n\tmetadataRules = kubernetes\n",
    );
    let old = "keps/sig-a/123-x/README.md";
    // Fresh TOC, a broken link, sections the built-in template wants missing: old findings.
    let text = "# KEP-123: X\n\n<!-- toc -->\n- [KEP-123: X](#kep-123-x)\n  - [Summary](#summary)\n<!-- /toc -->\n\n## Summary\n\nSee [nowhere](#nowhere).\n";
    repo.write(old, text);
    repo.write("keps/sig-a/123-x/kep.yaml", "title: X\nkep-number: 123\nowning-sig: sig-a\nbogus-key: 1\n");
    repo.write("keps/sig-b/1-other/README.md", "# KEP-1: Other\n");
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "-m", "initial"]);
    repo.ok(repo.kep(&["install"]));
    repo.git(&["config", "kep.strict", "true"]);
    let base_findings = repo.kep(&["check", old]);
    assert_eq!(base_findings.status.code(), Some(1), "the proposal has old findings");
    repo.git(&["mv", "keps/sig-a/123-x", "keps/sig-b/123-x"]);
    let moved = repo.git_in(&repo.path(), &["commit", "-q", "-m", "move to sig-b"]);
    assert!(moved.status.success(), "a pure move introduces nothing: {}", stderr(&moved));
    let since = repo.kep(&["check", "--since", "HEAD~1"]);
    assert_eq!(since.status.code(), Some(0), "{}{}", crate::harness::stdout(&since), stderr(&since));
    // Moved and edited: only what the edit brings.
    let new = "keps/sig-b/123-y/README.md";
    repo.git(&["mv", "keps/sig-b/123-x", "keps/sig-b/123-y"]);
    repo.write(new, format!("{text}\nAnd [elsewhere](#elsewhere).\n"));
    repo.git(&["add", "-A"]);
    let edited = repo.git_in(&repo.path(), &["commit", "-q", "-m", "rename and edit"]);
    assert_eq!(edited.status.code(), Some(1), "the new broken link is refused: {}", stderr(&edited));
    let err = stderr(&edited);
    assert!(err.contains("#elsewhere") && !err.contains("#nowhere"), "{err}");
    repo.git(&["commit", "-q", "--no-verify", "-m", "rename and edit"]);
    let since = repo.kep(&["check", "--since", "HEAD~1"]);
    let said = crate::harness::stdout(&since);
    assert_eq!(since.status.code(), Some(1), "{said}");
    assert!(said.contains("#elsewhere") && !said.contains("#nowhere") && !said.contains("bogus-key"), "{said}");
}

#[test]
fn a_moved_proposal_in_a_sha256_repository_is_compared_with_its_old_path() {
    // Read through git there (libgit2 cannot open it): `diff-index` without `--no-renames`.
    let repo = TestRepo::new();
    let init = repo.git_in(&repo.path(), &["init", "-q", "--object-format=sha256", "-b", "main", "again"]);
    if !init.status.success() {
        eprintln!("skipped: this git cannot make a SHA-256 repository");
        return;
    }
    let work = repo.path().join("again");
    let git = |args: &[&str]| repo.ok(repo.git_in(&work, args));
    git(&["config", "user.name", "Ada Author"]);
    git(&["config", "user.email", "ada@example.com"]);
    fs::create_dir_all(work.join("proposals/001-first")).unwrap();
    fs::write(work.join(KEP), format!("{}\n[n](#nowhere)\n", crate::harness::FRESH_KEP)).unwrap();
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", "initial"]);
    repo.ok(repo.kep_in(&work, &["install"]));
    git(&["config", "kep.strict", "true"]);
    git(&["mv", "proposals/001-first", "proposals/001-moved"]);
    let moved = repo.git_in(&work, &["commit", "-q", "-m", "move"]);
    assert!(moved.status.success(), "a pure move introduces nothing: {}", stderr(&moved));
}

#[test]
fn a_partial_clone_reads_missing_blobs_through_git_or_says_the_base_is_unknown() {
    // In a `--filter=blob:none` clone, `git commit --amend` was refused with "object not found"
    // (the base blob is not local; git would fetch it), `check --since HEAD~1` took the missing
    // base for a new file (exit 1 where a full clone exits 0), and `fix --check --since` found
    // nothing (exit 0 where a full clone exits 1).
    let origin = TestRepo::new();
    origin.git(&["config", "uploadpack.allowFilter", "true"]);
    let toc = |heading: &str, anchor: &str| {
        format!(
            "# P\n\n<!-- toc -->\n- [P](#p)\n  - [{heading}](#{anchor})\n<!-- /toc -->\n\n## {heading}\n\nSee [n](#nowhere).\n"
        )
    };
    origin.write(KEP, toc("Rollout Notes", "rollout-notes"));
    origin.write("proposals/002-other/README.md", "# Other\n\nSee [it](../001-first/README.md#rollout-notes).\n");
    origin.git(&["add", "-A"]);
    origin.git(&["commit", "-q", "-m", "a"]);
    origin.write(KEP, format!("{}\nMore text.\n", toc("Rollout Notes", "rollout-notes")));
    origin.git(&["commit", "-q", "-am", "b"]);
    origin.write(KEP, format!("{}\nMore text.\n", toc("Rollout", "rollout")));
    origin.git(&["commit", "-q", "-am", "c: rename a heading"]);
    let url = format!("file://{}", origin.path().display());
    let clone_of = |name: &str| {
        let dir = origin.home().join(name);
        origin.git(&["clone", "-q", "--filter=blob:none", &url, dir.to_str().unwrap()]);
        let git = |args: &[&str]| origin.ok(origin.git_in(&dir, args));
        git(&["config", "user.name", "Ada Author"]);
        git(&["config", "user.email", "ada@example.com"]);
        dir
    };
    let missing = |dir: &Path| {
        let listed = origin.git_in(dir, &["rev-list", "--objects", "--missing=print", "HEAD~1"]);
        String::from_utf8_lossy(&listed.stdout).lines().filter(|l| l.starts_with('?')).count()
    };
    let clone = clone_of("partial");
    assert!(missing(&clone) > 0, "the older blobs are not in the clone");
    let check = origin.kep_in(&clone, &["check", "--since", "HEAD~1"]);
    assert_eq!(
        check.status.code(),
        Some(0),
        "as in a full clone: {}{}",
        crate::harness::stdout(&check),
        stderr(&check)
    );
    let fix = origin.kep_in(&clone, &["fix", "--check", "--since", "HEAD~1"]);
    assert_eq!(fix.status.code(), Some(1), "{}", stderr(&fix));
    assert!(crate::harness::stdout(&fix).contains("links to #rollout-notes, renamed to #rollout"));
    origin.ok(origin.kep_in(&clone, &["install"]));
    let amend = origin.git_in(&clone, &["commit", "-q", "--amend", "--no-edit"]);
    assert!(amend.status.success(), "{}", stderr(&amend));

    // The promisor gone: the base is unknown, said once, never a new file.
    let offline = clone_of("offline");
    fs::rename(origin.path(), origin.home().join("gone")).unwrap();
    let check = origin.kep_in(&offline, &["check", "--since", "HEAD~1"]);
    let err = stderr(&check);
    assert_eq!(check.status.code(), Some(0), "{}{err}", crate::harness::stdout(&check));
    assert_eq!(err.matches("cannot be read").count(), 1, "{err}");
    assert!(err.contains(&format!("{KEP}: its version at --since cannot be read")), "{err}");
    origin.ok(origin.kep_in(&offline, &["install"]));
    let amend = origin.git_in(&offline, &["commit", "-q", "--amend", "--no-edit"]);
    let err = stderr(&amend);
    assert!(amend.status.success(), "{err}");
    assert!(err.contains(&format!("what this commit introduces in {KEP} is unknown")), "{err}");
    fs::rename(origin.home().join("gone"), origin.path()).unwrap();
}

#[test]
fn a_metadata_file_over_the_limit_is_named_and_not_parsed() {
    // A 100 MB kep.yaml took 1.7 GB. Metadata files now have a limit (1 MiB), as documents do.
    let repo = TestRepo::new();
    repo.write(
        ".kepconfig",
        "[kep]\n\tlayout = keps/{group}/{number}-{name}/README.md\n\tmetadataRules = kubernetes\n",
    );
    repo.write("keps/sig-a/1-first/README.md", "# KEP-1: First\n");
    repo.write("keps/sig-a/1-first/kep.yaml", "title: First\nkep-number: 1\nowning-sig: sig-a\n");
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "-m", "initial"]);
    repo.ok(repo.kep(&["install"]));
    let mut huge = String::from("title: Huge\nkep-number: 1\nowning-sig: sig-a\nsee-also:\n");
    while huge.len() < (2 << 20) {
        huge.push_str("  - \"/keps/sig-a/1-first\"\n");
    }
    repo.write("keps/sig-a/1-first/kep.yaml", &huge);
    repo.git(&["add", "-A"]);
    let commit = repo.ok(repo.git_in(&repo.path(), &["commit", "-q", "-m", "huge"]));
    assert!(
        stderr(&commit).contains("skipping keps/sig-a/1-first/kep.yaml: larger than 1024 KiB"),
        "{}",
        stderr(&commit)
    );
    let check = repo.kep(&["check"]);
    let said = crate::harness::stdout(&check);
    assert!(
        said.contains("keps/sig-a/1-first/kep.yaml:1:1: metadata: cannot read kep.yaml: larger than 1024 KiB"),
        "{said}"
    );
    let list = repo.ok(repo.kep(&["list"]));
    assert!(!crate::harness::stdout(&list).contains("Huge"), "not parsed for list either");
}

#[test]
fn the_hook_reads_its_ancestors_only_up_to_the_git_that_runs_it() {
    // At start-up the hook read /proc/<pid>/cmdline and status of every ancestor up to PID 1
    // (for `--amend`); run by hand or by CI, there is no git commit above it to find.
    if !strace_can("trace=openat") {
        return;
    }
    let repo = TestRepo::with_hook();
    let log = repo.home().join("opened.log");
    let opened = |output: std::process::Output| {
        repo.ok(output);
        let text = fs::read_to_string(&log).unwrap();
        let proc_reads: Vec<String> = text
            .lines()
            .filter(|line| line.contains("\"/proc/") && (line.contains("/cmdline\"") || line.contains("/status\"")))
            .map(str::to_owned)
            .collect();
        proc_reads
    };
    // By hand: no git commit above, nothing read.
    let by_hand = repo
        .command("strace", &repo.path())
        .args(["-f", "-qq", "-e", "trace=open,openat", "-o"])
        .arg(&log)
        .args([BIN, "pre-commit"])
        .output()
        .unwrap();
    let reads = opened(by_hand);
    assert!(reads.is_empty(), "{reads:#?}");
    // Under `git commit --amend`: up to that git (strace stands between), and --amend is seen.
    let hook = repo.path().join(".git/hooks/pre-commit");
    fs::write(
        &hook,
        format!("#!/bin/sh\nexec strace -f -qq -e trace=open,openat -o '{}' git-kep pre-commit\n", log.display()),
    )
    .unwrap();
    repo.write(KEP, with_section("Design"));
    repo.git(&["add", KEP]);
    repo.git(&["commit", "-q", "--no-verify", "-m", "stale"]);
    let reads = opened(repo.git_in(&repo.path(), &["commit", "-q", "--amend", "--no-edit"]));
    let cmdlines = reads.iter().filter(|line| line.contains("/cmdline")).count();
    assert_eq!(cmdlines, 2, "strace's and git's command lines, nothing above: {reads:#?}");
    assert_eq!(repo.show(&format!("HEAD:{KEP}")), fresh_with_section("Design").as_bytes(), "--amend was seen");
}

#[test]
fn a_rebase_that_leaves_a_toc_stale_is_said_by_the_post_rewrite_hook() {
    // git runs no pre-commit hook for the commits a rebase replays (nor for the merges
    // `--rebase-merges` recreates with `git commit -n`): a replayed commit carried a stale TOC
    // without a word. The post-rewrite hook, installed beside the others, says which and how.
    let repo = TestRepo::with_hook();
    assert!(repo.path().join(".git/hooks/post-rewrite").is_file(), "install puts it in");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write(KEP, format!("{}\n## Notes\n\nFeature notes.\n", crate::harness::FRESH_KEP));
    repo.ok(repo.git_in(&repo.path(), &["commit", "-q", "-am", "feature notes"]));
    repo.git(&["checkout", "-q", "main"]);
    repo.write(KEP, crate::harness::FRESH_KEP.replace("Text.\n", "Text.\n\n## Notes\n\nMain notes.\n"));
    repo.ok(repo.git_in(&repo.path(), &["commit", "-q", "-am", "main notes"]));
    repo.git(&["checkout", "-q", "feature"]);
    let rebase = repo.ok(repo.git_in(&repo.path(), &["rebase", "main"]));
    let err = stderr(&rebase);
    let replayed = repo.git(&["log", "-1", "--format=%h feature notes"]);
    assert!(err.contains("git-kep: warning: the rebase made 1 commit with a stale table of contents"), "{err}");
    assert!(err.contains(&format!("  {}: {KEP}\n", replayed.trim())), "{err}");
    let hint = format!("hint: for the last commit: git kep toc {KEP} && git commit --amend --no-edit -- {KEP}");
    assert!(err.contains(&hint), "{err}");
    // As the hint says: fixed, and the amend (whose pre-commit hook runs) has nothing to say.
    repo.ok(repo.kep(&["toc", KEP]));
    let amend = repo.ok(repo.git_in(&repo.path(), &["commit", "-q", "--amend", "--no-edit", "--", KEP]));
    assert!(!stderr(&amend).contains("stale table of contents"), "{}", stderr(&amend));
    // `--amend --no-verify` skips the pre-commit hook, not this one.
    repo.write(KEP, with_section("Skipped"));
    let skipped = repo.ok(repo.git_in(&repo.path(), &["commit", "-q", "-a", "--amend", "--no-edit", "--no-verify"]));
    assert!(
        stderr(&skipped).contains("`git commit --amend` made 1 commit with a stale table of contents"),
        "{}",
        stderr(&skipped)
    );
}

#[test]
fn the_hook_scripts_find_git_kep_with_few_file_descriptors() {
    // With few file descriptors left, `command -v git-kep >/dev/null 2>&1` failed on its
    // redirection and the hook said "git-kep: not found on PATH". The scripts now look with the
    // shell's own test, which opens nothing.
    let repo = TestRepo::with_hook();
    for hook in ["pre-commit", "pre-merge-commit", "post-rewrite"] {
        for limit in 10..=16 {
            let script = format!("ulimit -n {limit} && exec sh .git/hooks/{hook} </dev/null");
            let output = repo.command("sh", &repo.path()).args(["-c", &script]).output().unwrap();
            assert!(!stderr(&output).contains("not found on PATH"), "{hook}, ulimit -n {limit}: {}", stderr(&output));
        }
    }
    // Not on PATH: said, as before.
    let output =
        repo.command("sh", &repo.path()).args([".git/hooks/pre-commit"]).env("PATH", "/usr/bin:/bin").output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("git-kep: not found on PATH"), "{}", stderr(&output));
}
