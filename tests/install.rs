//! `git kep install` / `uninstall`: where the hook goes and whose hooks are left alone.

use crate::harness::{TestRepo, stderr, stdout};
use std::fs;

const OURS: &str = include_str!("../hooks/pre-commit");

#[test]
fn install_writes_the_embedded_hook_and_twice_is_a_no_op() {
    let repo = TestRepo::new();
    repo.ok(repo.kep(&["install"]));
    let hook = repo.path().join(".git/hooks/pre-commit");
    assert_eq!(fs::read_to_string(&hook).unwrap(), OURS);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(fs::metadata(&hook).unwrap().permissions().mode() & 0o111, 0o111);
    }
    let again = repo.ok(repo.kep(&["install"]));
    assert!(stderr(&again).contains("already installed"));
    assert_eq!(fs::read_to_string(&hook).unwrap(), OURS);
    assert!(!repo.path().join(".git/hooks/pre-commit.git-kep-backup").exists());
}

#[test]
fn hook_file_names_itself_and_execs_git_kep() {
    assert!(OURS.starts_with("#!/bin/sh\n"));
    assert!(OURS.lines().any(|l| l == "# git-kep pre-commit hook"));
    assert_eq!(OURS.trim_end().lines().last(), Some("exec git-kep pre-commit \"$@\""));
}

#[test]
fn foreign_hook_is_kept_without_force_and_backed_up_with_it() {
    let repo = TestRepo::new();
    let hook = repo.path().join(".git/hooks/pre-commit");
    fs::create_dir_all(hook.parent().unwrap()).unwrap();
    fs::write(&hook, "#!/bin/sh\necho mine\n").unwrap();
    let refused = repo.kep(&["install"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(stderr(&refused).contains("--force"), "{}", stderr(&refused));
    assert_eq!(fs::read_to_string(&hook).unwrap(), "#!/bin/sh\necho mine\n");
    repo.ok(repo.kep(&["install", "--force"]));
    assert_eq!(fs::read_to_string(&hook).unwrap(), OURS);
    assert_eq!(
        fs::read_to_string(repo.path().join(".git/hooks/pre-commit.git-kep-backup")).unwrap(),
        "#!/bin/sh\necho mine\n"
    );
}

#[test]
fn a_hooks_path_that_is_a_file_is_named_and_left_alone() {
    let repo = TestRepo::new();
    repo.write("not-a-dir", "x\n");
    repo.git(&["config", "core.hooksPath", "not-a-dir"]);
    let output = repo.kep(&["install"]);
    assert_ne!(output.status.code(), Some(0));
    let err = stderr(&output);
    assert!(err.contains("not-a-dir is not a directory") && err.contains("core.hooksPath"), "{err}");
    assert_eq!(repo.read("not-a-dir"), b"x\n");
}

#[test]
fn uninstall_removes_only_our_hook() {
    let repo = TestRepo::new();
    repo.ok(repo.kep(&["install"]));
    repo.ok(repo.kep(&["uninstall"]));
    let hook = repo.path().join(".git/hooks/pre-commit");
    assert!(!hook.exists());
    fs::write(&hook, "#!/bin/sh\necho mine\n").unwrap();
    repo.ok(repo.kep(&["uninstall"]));
    assert_eq!(fs::read_to_string(&hook).unwrap(), "#!/bin/sh\necho mine\n");
}

#[test]
fn hook_without_git_kep_on_path_says_how_to_install() {
    let Some(git) = ["/usr/bin/git", "/bin/git"].into_iter().find(|g| std::path::Path::new(g).exists()) else {
        eprintln!("skipped: no git at a standard place to commit with a PATH that lacks git-kep");
        return;
    };
    let repo = TestRepo::new();
    repo.ok(repo.kep(&["install"]));
    repo.write("proposals/a.md", crate::harness::STALE_KEP);
    repo.git(&["add", "-A"]);
    let output = repo
        .command(git, &repo.path())
        .env("PATH", "/usr/bin:/bin")
        .args(["commit", "-q", "-m", "x"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("install.sh"), "{}", stderr(&output));
    assert!(stderr(&output).contains("--no-verify"));
    assert!(repo.git_in(&repo.path(), &["rev-parse", "--verify", "-q", "HEAD"]).stdout.is_empty(), "nothing committed");
}

#[test]
fn install_script_is_valid_sh_and_executable() {
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("install.sh");
    let status = std::process::Command::new("sh").arg("-n").arg(&script).status().unwrap();
    assert!(status.success());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_ne!(fs::metadata(&script).unwrap().permissions().mode() & 0o111, 0);
    }
    let help = std::process::Command::new(&script).arg("--help").output().unwrap();
    assert!(help.status.success());
    assert!(String::from_utf8_lossy(&help.stdout).contains("--hook"));
}

/// `./install.sh --hook` end to end (a release build the first time): binary, PATH hint, man
/// page, hook; a second run changes nothing.
#[test]
fn install_script_installs_binary_man_page_and_hook_idempotently() {
    let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let real_home = std::env::var_os("HOME").map(std::path::PathBuf::from).unwrap_or_default();
    let cargo_home = std::env::var_os("CARGO_HOME").map(std::path::PathBuf::from).unwrap_or(real_home.join(".cargo"));
    let rustup_home =
        std::env::var_os("RUSTUP_HOME").map(std::path::PathBuf::from).unwrap_or(real_home.join(".rustup"));
    let repo = TestRepo::new();
    let root = repo.home().join("install-root");
    let install_in = |dir: &std::path::Path| {
        repo.command(manifest.join("install.sh"), dir)
            .arg("--hook")
            .env("CARGO_HOME", &cargo_home)
            .env("RUSTUP_HOME", &rustup_home)
            .env("CARGO_INSTALL_ROOT", &root)
            .env("CARGO_TARGET_DIR", manifest.join("target"))
            .env("PATH", format!("{}:/usr/bin:/bin", cargo_home.join("bin").display()))
            .output()
            .expect("run install.sh")
    };
    let run = || install_in(&repo.path());
    let first = run();
    assert!(first.status.success(), "{}{}", stdout(&first), stderr(&first));
    let out = stdout(&first);
    assert!(out.contains("Building git-kep with cargo"), "it says what it is doing while it builds: {out}");
    assert!(out.contains(&format!("export PATH=\"{}:$PATH\"", root.join("bin").display())), "{out}");
    assert!(out.contains(&format!("Installing the pre-commit hook in {}", repo.path().display())), "{out}");
    let binary = root.join("bin/git-kep");
    assert!(binary.is_file());
    if cfg!(all(target_os = "linux", target_env = "gnu")) {
        assert!(!has_program_interpreter(&fs::read(&binary).unwrap()), "linked statically on Linux with glibc");
    }
    let man = fs::read_to_string(root.join("share/man/man1/git-kep.1")).unwrap();
    assert!(man.contains("git kep toc"));
    assert_eq!(fs::read_to_string(repo.path().join(".git/hooks/pre-commit")).unwrap(), OURS);

    let second = run();
    assert!(second.status.success(), "{}", stderr(&second));
    assert!(stderr(&second).contains("already installed"), "{}", stderr(&second));
    assert_eq!(fs::read_to_string(repo.path().join(".git/hooks/pre-commit")).unwrap(), OURS);
    assert!(!repo.path().join(".git/hooks/pre-commit.git-kep-backup").exists());

    // Run inside git-kep's own clone, it neither installs nor suggests a hook there.
    let own_clone = repo.git_in(manifest, &["rev-parse", "--show-toplevel"]);
    if own_clone.status.success() {
        let hooks_before = repo.git_in(manifest, &["rev-parse", "--git-path", "hooks/pre-commit"]);
        let hook = manifest.join(String::from_utf8_lossy(&hooks_before.stdout).trim());
        let existed = hook.exists();
        let inside = install_in(manifest);
        assert!(inside.status.success(), "{}", stderr(&inside));
        assert!(stdout(&inside).contains("git-kep's own repository: no hook here"), "{}", stdout(&inside));
        assert!(!stdout(&inside).contains("git kep install"), "{}", stdout(&inside));
        assert_eq!(hook.exists(), existed, "no hook installed in git-kep's clone");
    }
}

/// Whether a 64-bit little-endian ELF file names a program interpreter (a dynamic loader): a
/// PT_INTERP program header.
fn has_program_interpreter(elf: &[u8]) -> bool {
    assert_eq!(&elf[..4], b"\x7fELF");
    let u64_at = |at: usize| u64::from_le_bytes(elf[at..at + 8].try_into().unwrap()) as usize;
    let u16_at = |at: usize| u16::from_le_bytes(elf[at..at + 2].try_into().unwrap()) as usize;
    let (table, entry_size, count) = (u64_at(0x20), u16_at(0x36), u16_at(0x38));
    (0..count).any(|i| u32::from_le_bytes(elf[table + i * entry_size..][..4].try_into().unwrap()) == 3)
}

#[test]
fn uninstall_after_force_restores_a_tracked_hook_exactly() {
    // `install --force` over a tracked `.githooks/pre-commit`, then `uninstall`, used to delete
    // the tracked file and leave `pre-commit.git-kep-backup` behind.
    use std::os::unix::fs::PermissionsExt;
    let repo = TestRepo::new();
    repo.git(&["config", "core.hooksPath", ".githooks"]);
    let theirs = "#!/bin/sh\n# the team's hook\nexit 0\n";
    repo.write(".githooks/pre-commit", theirs);
    let hook = repo.path().join(".githooks/pre-commit");
    fs::set_permissions(&hook, fs::Permissions::from_mode(0o750)).unwrap();
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "--no-verify", "-m", "team hook"]);
    repo.ok(repo.kep(&["install", "--force"]));
    assert_eq!(fs::read_to_string(&hook).unwrap(), OURS);
    let again = repo.kep(&["install", "--force"]);
    assert!(again.status.success(), "ours already: {}", stderr(&again));
    let removed = repo.ok(repo.kep(&["uninstall"]));
    assert!(stderr(&removed).contains("restored"), "{}", stderr(&removed));
    assert_eq!(fs::read_to_string(&hook).unwrap(), theirs);
    assert_eq!(fs::metadata(&hook).unwrap().permissions().mode() & 0o777, 0o750);
    assert!(!repo.path().join(".githooks/pre-commit.git-kep-backup").exists());
    assert!(!repo.path().join(".githooks/pre-merge-commit").exists());
    assert_eq!(repo.git(&["status", "--porcelain", "--untracked-files=all"]), "");
}

#[test]
fn install_puts_in_both_hooks_and_uninstall_takes_both_out() {
    let repo = TestRepo::new();
    repo.ok(repo.kep(&["install"]));
    let merge_hook = repo.path().join(".git/hooks/pre-merge-commit");
    assert_eq!(fs::read_to_string(&merge_hook).unwrap(), include_str!("../hooks/pre-merge-commit"));
    repo.ok(repo.kep(&["uninstall"]));
    assert!(!merge_hook.exists() && !repo.path().join(".git/hooks/pre-commit").exists());
    // A foreign pre-merge-commit refuses the install without touching anything.
    fs::write(&merge_hook, "#!/bin/sh\necho mine\n").unwrap();
    let refused = repo.kep(&["install"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(stderr(&refused).contains("git-kep pre-merge-commit"), "{}", stderr(&refused));
    assert!(!repo.path().join(".git/hooks/pre-commit").exists(), "nothing installed");
}

/// husky v9's layout, as `npx husky init` leaves it: `core.hooksPath = .husky/_`, where each hook
/// is a two-line dispatcher to `_/h`, which runs the user's `.husky/<hook>` with `sh -e`. (This
/// dispatcher is written here to behave like husky's, not copied from it.)
fn husky_layout(repo: &TestRepo) {
    repo.write(".husky/_/h", "#!/usr/bin/env sh\n# husky-style dispatcher\nhook=\"$(dirname \"$(dirname \"$0\")\")/$(basename \"$0\")\"\n[ -f \"$hook\" ] || exit 0\nsh -e \"$hook\" \"$@\"\n");
    repo.write(".husky/_/husky.sh", "");
    repo.write(".husky/_/.gitignore", "*");
    for hook in ["pre-commit", "pre-merge-commit", "commit-msg"] {
        let path = format!(".husky/_/{hook}");
        repo.write(&path, "#!/usr/bin/env sh\n. \"$(dirname \"$0\")/h\"");
        fs::set_permissions(repo.path().join(&path), std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    }
    repo.write(".husky/pre-commit", "echo the team hook ran >> \"$HOME/team-hook\"\n");
    repo.git(&["config", "core.hooksPath", ".husky/_"]);
}

#[test]
fn husky_gets_a_line_in_the_users_hook_and_commits_run_both() {
    // It used to target husky's dispatcher `.husky/_/pre-commit` and refuse, with a hint to
    // --force that would have stopped `.husky/pre-commit` from running.
    let repo = TestRepo::new();
    husky_layout(&repo);
    repo.write("proposals/001-first/README.md", crate::harness::FRESH_KEP);
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "-m", "initial"]);
    let dispatcher = repo.read(".husky/_/pre-commit");
    let output = repo.ok(repo.kep(&["install"]));
    assert!(stderr(&output).contains("Added `git kep pre-commit`"), "{}", stderr(&output));
    assert_eq!(
        repo.read_string(".husky/pre-commit"),
        "echo the team hook ran >> \"$HOME/team-hook\"\ngit kep pre-commit\n"
    );
    assert_eq!(repo.read_string(".husky/pre-merge-commit"), "git kep pre-merge-commit\n", "created as husky would");
    assert_eq!(repo.read(".husky/_/pre-commit"), dispatcher, "husky's dispatcher untouched");
    repo.ok(repo.kep(&["install"]));
    assert_eq!(repo.read_string(".husky/pre-commit").matches("git kep pre-commit").count(), 1, "idempotent");
    // A real commit through husky's dispatcher runs the team's hook and git-kep's.
    repo.write("proposals/001-first/README.md", format!("{}\n## Design\n", crate::harness::FRESH_KEP));
    repo.git(&["add", "-A"]);
    repo.ok(repo.git_in(&repo.path(), &["commit", "-q", "-m", "design"]));
    assert!(
        String::from_utf8(repo.show("HEAD:proposals/001-first/README.md")).unwrap().contains("  - [Design](#design)\n")
    );
    assert!(repo.home().join("team-hook").is_file(), "the team's hook still runs");
    // uninstall takes out only git-kep's lines.
    repo.ok(repo.kep(&["uninstall"]));
    assert_eq!(repo.read_string(".husky/pre-commit"), "echo the team hook ran >> \"$HOME/team-hook\"\n");
    assert!(!repo.path().join(".husky/pre-merge-commit").exists(), "the file git-kep made, now empty, is gone");
}

#[test]
fn lefthook_is_told_what_to_add_and_commits_through_it_when_installed() {
    let repo = TestRepo::new();
    repo.write("lefthook.yml", "pre-commit:\n  commands:\n    lint:\n      run: echo lint\n");
    repo.write("proposals/001-first/README.md", crate::harness::FRESH_KEP);
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "-m", "initial"]);
    let output = repo.ok(repo.kep(&["install"]));
    let err = stderr(&output);
    assert!(err.contains("lefthook manages the hooks here") && err.contains("run: git kep pre-commit"), "{err}");
    assert!(!repo.path().join(".git/hooks/pre-commit").exists(), "no hook of git-kep's beside lefthook's");
    let has_lefthook = repo.command("lefthook", &repo.path()).arg("version").output().is_ok_and(|o| o.status.success());
    if !has_lefthook {
        eprintln!("skipped the commit through lefthook: lefthook is not on PATH");
        return;
    }
    repo.write("lefthook.yml", "pre-commit:\n  commands:\n    git-kep:\n      run: git kep pre-commit\n");
    repo.ok(repo.command("lefthook", &repo.path()).arg("install").output().unwrap());
    repo.write("proposals/001-first/README.md", format!("{}\n## Design\n", crate::harness::FRESH_KEP));
    repo.git(&["add", "-A"]);
    repo.ok(repo.git_in(&repo.path(), &["commit", "-q", "-m", "design"]));
    assert!(
        String::from_utf8(repo.show("HEAD:proposals/001-first/README.md")).unwrap().contains("  - [Design](#design)\n")
    );
    assert!(stderr(&repo.ok(repo.kep(&["install"]))).contains("already runs git-kep"));
}

#[test]
fn the_github_action_runs_toc_check_and_check_with_annotations() {
    // The action's check step, run as GitHub runs a composite step: bash, the inputs in the
    // environment. Installing is scripts/install-release.sh (tests/packaging.rs), else a build.
    use yaml_rust2::{Yaml, YamlLoader};
    let action = YamlLoader::load_from_str(include_str!("../action.yml")).unwrap().remove(0);
    assert_eq!(action["runs"]["using"].as_str(), Some("composite"));
    for input in ["paths", "since", "check"] {
        assert!(!action["inputs"][input].is_badvalue(), "input {input}");
    }
    let steps = action["runs"]["steps"].as_vec().unwrap();
    let run_of = |step: &Yaml| step["run"].as_str().unwrap_or_default().to_owned();
    assert!(run_of(&steps[0]).contains("scripts/install-release.sh\" --ref \"$GIT_KEP_REF\""));
    assert_eq!(steps[0]["env"]["GIT_KEP_REF"].as_str(), Some("${{ github.action_ref }}"));
    assert!(steps.iter().any(|step| run_of(step).contains("cargo install --locked --path \"$GITHUB_ACTION_PATH\"")));
    let check_step = steps.last().unwrap();
    let run_step = |repo: &TestRepo, paths: &str| {
        repo.command("bash", &repo.path())
            .args(["-e", "-c", &run_of(check_step)])
            .env("GITHUB_ACTION_PATH", env!("CARGO_MANIFEST_DIR"))
            .env("KEP_PATHS", paths)
            .env("KEP_SINCE", "")
            .env("KEP_CHECK", "true")
            .output()
            .unwrap()
    };
    let repo = TestRepo::new();
    // The built-in template's sections are not what this test is about.
    repo.write(".kepconfig", "[kep]\n\tcheckDisable = missing-section\n");
    repo.write("proposals/001-first/README.md", crate::harness::FRESH_KEP);
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "-m", "initial"]);
    assert!(run_step(&repo, "").status.success());
    assert!(run_step(&repo, "proposals").status.success());
    repo.write("proposals/001-first/README.md", crate::harness::STALE_KEP);
    assert_eq!(run_step(&repo, "").status.code(), Some(1), "a stale TOC fails the job");
    repo.write("proposals/001-first/README.md", format!("{}\n[x](#nowhere)\n", crate::harness::FRESH_KEP));
    let checked = run_step(&repo, "");
    assert_eq!(checked.status.code(), Some(1));
    assert!(stdout(&checked).contains("::error file=proposals/001-first/README.md,line="), "{}", stdout(&checked));
}

/// A user's own hook that has git-kep's lines pasted in among lines of their own: theirs.
const USERS_HOOK_WITH_OUR_LINES: &str =
    "#!/bin/sh\n# git-kep pre-commit hook\n./scripts/lint.sh || exit 1\nexec git-kep pre-commit \"$@\"\n";

#[test]
fn a_users_hook_holding_our_lines_is_neither_overwritten_nor_deleted() {
    let repo = TestRepo::new();
    let hook = repo.path().join(".git/hooks/pre-commit");
    fs::create_dir_all(hook.parent().unwrap()).unwrap();
    fs::write(&hook, USERS_HOOK_WITH_OUR_LINES).unwrap();
    // It already runs git-kep: said, and nothing changes.
    let output = repo.ok(repo.kep(&["install"]));
    assert!(stderr(&output).contains("already runs `git-kep pre-commit`"), "{}", stderr(&output));
    assert_eq!(fs::read_to_string(&hook).unwrap(), USERS_HOOK_WITH_OUR_LINES);
    assert!(!repo.path().join(".git/hooks/pre-commit.git-kep-backup").exists());
    // The merge hook, absent, was installed.
    assert!(repo.path().join(".git/hooks/pre-merge-commit").exists());
    repo.ok(repo.kep(&["uninstall"]));
    assert_eq!(fs::read_to_string(&hook).unwrap(), USERS_HOOK_WITH_OUR_LINES);
    assert!(!repo.path().join(".git/hooks/pre-merge-commit").exists());

    // The same with a line of their own after ours, and no exec: refused without --force.
    let tail = "#!/bin/sh\n# git-kep pre-commit hook\necho done\n";
    fs::write(&hook, tail).unwrap();
    let refused = repo.kep(&["install"]);
    assert_eq!(refused.status.code(), Some(1), "{}", stderr(&refused));
    assert_eq!(fs::read_to_string(&hook).unwrap(), tail);
    repo.ok(repo.kep(&["install", "--force"]));
    assert_eq!(fs::read_to_string(&hook).unwrap(), OURS);
    assert_eq!(fs::read_to_string(repo.path().join(".git/hooks/pre-commit.git-kep-backup")).unwrap(), tail);
    repo.ok(repo.kep(&["uninstall"]));
    assert_eq!(fs::read_to_string(&hook).unwrap(), tail);
    assert!(!repo.path().join(".git/hooks/pre-commit.git-kep-backup").exists());
}

#[cfg(unix)]
#[test]
fn a_dangling_symlink_hook_is_foreign_kept_by_force_and_restored() {
    let repo = TestRepo::new();
    let hook = repo.path().join(".git/hooks/pre-commit");
    fs::create_dir_all(hook.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink("../../tools/missing-hook", &hook).unwrap();
    let refused = repo.kep(&["install"]);
    assert_eq!(refused.status.code(), Some(1), "{}", stderr(&refused));
    assert_eq!(fs::read_link(&hook).unwrap(), std::path::Path::new("../../tools/missing-hook"));
    // Uninstall leaves it too.
    repo.ok(repo.kep(&["uninstall"]));
    assert_eq!(fs::read_link(&hook).unwrap(), std::path::Path::new("../../tools/missing-hook"));
    repo.ok(repo.kep(&["install", "--force"]));
    assert_eq!(fs::read_to_string(&hook).unwrap(), OURS);
    let backup = repo.path().join(".git/hooks/pre-commit.git-kep-backup");
    assert_eq!(fs::read_link(&backup).unwrap(), std::path::Path::new("../../tools/missing-hook"));
    repo.ok(repo.kep(&["uninstall"]));
    assert_eq!(fs::read_link(&hook).unwrap(), std::path::Path::new("../../tools/missing-hook"));
    assert!(fs::symlink_metadata(&backup).is_err());
}

#[cfg(unix)]
#[test]
fn a_symlink_to_our_own_hook_body_is_still_the_users() {
    let repo = TestRepo::new();
    let hook = repo.path().join(".git/hooks/pre-commit");
    fs::create_dir_all(hook.parent().unwrap()).unwrap();
    repo.write("tools/hook", OURS);
    std::os::unix::fs::symlink(repo.path().join("tools/hook"), &hook).unwrap();
    repo.ok(repo.kep(&["uninstall"]));
    assert!(fs::symlink_metadata(&hook).unwrap().file_type().is_symlink());
    assert_eq!(repo.read_string("tools/hook"), OURS);
}

#[test]
fn an_unreadable_hook_is_foreign() {
    let repo = TestRepo::new();
    let hook = repo.path().join(".git/hooks/pre-commit");
    // A directory cannot be read as a file, whoever runs the test (root reads a mode-0 file).
    fs::create_dir_all(hook.join("inside")).unwrap();
    let refused = repo.kep(&["install"]);
    assert_eq!(refused.status.code(), Some(1), "{}", stderr(&refused));
    repo.ok(repo.kep(&["uninstall"]));
    assert!(hook.join("inside").is_dir());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::remove_dir_all(&hook).unwrap();
        fs::write(&hook, "#!/bin/sh\necho mine\n").unwrap();
        fs::set_permissions(&hook, fs::Permissions::from_mode(0o000)).unwrap();
        let refused = repo.kep(&["install"]);
        assert_eq!(refused.status.code(), Some(1), "{}", stderr(&refused));
        repo.ok(repo.kep(&["uninstall"]));
        assert!(fs::symlink_metadata(&hook).is_ok(), "an unreadable hook was deleted");
    }
}

#[test]
fn each_shipped_hook_body_is_recognised_as_ours() {
    // The bodies in `hooks/` are what every git-kep so far shipped; an exact copy is ours to
    // replace and to remove, a copy with one byte more is not.
    let repo = TestRepo::new();
    let dir = repo.path().join(".git/hooks");
    fs::create_dir_all(&dir).unwrap();
    for (name, body) in [("pre-commit", OURS), ("pre-merge-commit", include_str!("../hooks/pre-merge-commit"))] {
        fs::write(dir.join(name), body).unwrap();
        let output = repo.ok(repo.kep(&["install"]));
        assert!(stderr(&output).contains(&format!("{name} hook is already installed")), "{}", stderr(&output));
        repo.ok(repo.kep(&["uninstall"]));
        assert!(!dir.join(name).exists(), "{name}");
        fs::write(dir.join(name), format!("{body}\n")).unwrap();
        repo.ok(repo.kep(&["uninstall"]));
        assert_eq!(fs::read_to_string(dir.join(name)).unwrap(), format!("{body}\n"), "{name}");
        fs::remove_file(dir.join(name)).unwrap();
    }
}
