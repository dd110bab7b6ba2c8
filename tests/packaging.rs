//! Packaging: the files the packages ship beside the binary are the binary's, and the GitHub
//! Action's install script (scripts/install-release.sh) run offline against a local release: a
//! directory holding a fake archive (a shell script named git-kep in a tarball) and its sums.

use crate::harness::{BIN, TestRepo, stderr, stdout};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo_file(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

#[test]
fn the_packaged_man_page_and_completions_are_what_the_binary_prints() {
    for (args, rel) in [
        (&["man"][..], "share/man/man1/git-kep.1"),
        (&["completions", "bash"][..], "share/bash-completion/completions/git-kep"),
        (&["completions", "zsh"][..], "share/zsh/site-functions/_git-kep"),
        (&["completions", "fish"][..], "share/fish/vendor_conf.d/git-kep.fish"),
    ] {
        let printed = Command::new(BIN).args(args).output().unwrap();
        assert!(printed.status.success(), "git-kep {args:?}: {}", stderr(&printed));
        let shipped = fs::read(repo_file("packaging/wheel/data").join(rel)).unwrap_or_default();
        assert!(
            shipped == printed.stdout,
            "packaging/wheel/data/{rel} is not what `git-kep {}` prints: run `sh scripts/package-data.sh`",
            args.join(" ")
        );
    }
}

const TARGET: &str = "x86_64-unknown-linux-musl";
const ARCHIVE: &str = "git-kep-x86_64-unknown-linux-musl.tar.gz";

/// Whether `program args` runs here; the tests that need it skip without.
fn runs(program: &str, args: &[&str]) -> bool {
    Command::new(program).args(args).output().is_ok_and(|output| output.status.success())
}

/// `sh`, `tar` and a SHA-256 tool, or a line saying the test is skipped.
fn tools_here() -> bool {
    let ok = runs("sh", &["-c", "exit 0"])
        && runs("tar", &["--version"])
        && (runs("sha256sum", &["--version"]) || runs("shasum", &["--version"]));
    if !ok {
        eprintln!("skipped: sh, tar, or sha256sum/shasum is not on this machine");
    }
    ok
}

fn sh(script: &str, cwd: &Path) -> String {
    let output = Command::new("sh").args(["-c", script]).current_dir(cwd).output().unwrap();
    assert!(output.status.success(), "sh -c {script:?}: {}", stderr(&output));
    stdout(&output)
}

/// A release directory: `v1.2.3/git-kep-TARGET.tar.gz`, whose `git-kep-TARGET/bin/git-kep` is a
/// shell script printing `git-kep 1.2.3`, and `v1.2.3/SHA256SUMS` listing it (and another file).
fn fake_release() -> tempfile::TempDir {
    let root = tempfile::tempdir().unwrap();
    let bin = root.path().join(format!("stage/git-kep-{TARGET}/bin"));
    fs::create_dir_all(&bin).unwrap();
    fs::write(bin.join("git-kep"), "#!/bin/sh\necho 'git-kep 1.2.3'\n").unwrap();
    fs::create_dir_all(root.path().join("v1.2.3")).unwrap();
    sh(
        &format!(
            "chmod +x stage/git-kep-{TARGET}/bin/git-kep && tar -czf v1.2.3/{ARCHIVE} -C stage git-kep-{TARGET} \
             && cd v1.2.3 && echo other > other.whl \
             && {{ sha256sum other.whl {ARCHIVE} 2>/dev/null || shasum -a 256 other.whl {ARCHIVE}; }} > SHA256SUMS"
        ),
        root.path(),
    );
    root
}

/// Runs the install script for `ref_` with the releases at `base`, into `<home>/bin`.
fn install(base: &str, ref_: &str, home: &Path) -> Output {
    Command::new("sh")
        .arg(repo_file("scripts/install-release.sh"))
        .args(["--ref", ref_, "--target", TARGET, "--to"])
        .arg(home.join("bin"))
        .env("GIT_KEP_RELEASE_URL", base)
        .env("HOME", home)
        .output()
        .unwrap()
}

fn installed(home: &Path) -> Vec<String> {
    match fs::read_dir(home.join("bin")) {
        Ok(entries) => entries.map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned()).collect(),
        Err(_) => Vec::new(),
    }
}

#[test]
fn release_install_verifies_the_checksum_and_installs_git_kep() {
    if !tools_here() {
        return;
    }
    let release = fake_release();
    let home = tempfile::tempdir().unwrap();
    let output = install(release.path().to_str().unwrap(), "v1.2.3", home.path());
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stderr(&output).contains("installed git-kep 1.2.3"), "{}", stderr(&output));
    let git_kep = home.path().join("bin/git-kep");
    let ran = Command::new(&git_kep).arg("--version").output().unwrap();
    assert_eq!(stdout(&ran), "git-kep 1.2.3\n");
    assert_eq!(installed(home.path()), ["git-kep"], "nothing but git-kep, no temporary file left");

    // A file:// URL and a bare version name the same release; a second install replaces the first.
    let again = install(&format!("file://{}", release.path().display()), "1.2.3", home.path());
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    assert_eq!(installed(home.path()), ["git-kep"]);
}

#[test]
fn release_install_refuses_a_checksum_mismatch_and_installs_nothing() {
    if !tools_here() {
        return;
    }
    let release = fake_release();
    let sums = release.path().join("v1.2.3/SHA256SUMS");
    let text = fs::read_to_string(&sums).unwrap();
    let wrong: String =
        text.lines()
            .map(|line| {
                if line.ends_with(ARCHIVE) {
                    format!("{}{}\n", "0".repeat(64), &line[64..])
                } else {
                    format!("{line}\n")
                }
            })
            .collect();
    assert_ne!(wrong, text);
    fs::write(&sums, wrong).unwrap();
    let home = tempfile::tempdir().unwrap();
    let output = install(release.path().to_str().unwrap(), "v1.2.3", home.path());
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(err.contains("checksum mismatch") && err.contains(ARCHIVE) && err.contains("nothing installed"), "{err}");
    assert!(installed(home.path()).is_empty(), "{:?}", installed(home.path()));

    // Not listed at all: refused too, never installed unverified.
    fs::write(&sums, text.lines().filter(|line| !line.ends_with(ARCHIVE)).collect::<Vec<_>>().join("\n")).unwrap();
    let output = install(release.path().to_str().unwrap(), "v1.2.3", home.path());
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stderr(&output).contains("lists no"), "{}", stderr(&output));
    assert!(installed(home.path()).is_empty());

    // An archive that is not one: refused after the checksum matched.
    let archive = release.path().join("v1.2.3").join(ARCHIVE);
    fs::write(&archive, "not a tarball\n").unwrap();
    sh(
        &format!("cd v1.2.3 && {{ sha256sum {ARCHIVE} 2>/dev/null || shasum -a 256 {ARCHIVE}; }} > SHA256SUMS"),
        release.path(),
    );
    let output = install(release.path().to_str().unwrap(), "v1.2.3", home.path());
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stderr(&output).contains("cannot unpack"), "{}", stderr(&output));
    assert!(installed(home.path()).is_empty());
}

#[test]
fn release_install_says_no_release_so_the_action_builds_from_source() {
    if !tools_here() {
        return;
    }
    let release = fake_release();
    let base = release.path().to_str().unwrap();
    let home = tempfile::tempdir().unwrap();
    // The archive for this platform missing; the release missing; a ref that is no release tag.
    fs::rename(release.path().join("v1.2.3").join(ARCHIVE), release.path().join("elsewhere.tar.gz")).unwrap();
    for (ref_, says) in [
        ("v1.2.3", format!("v1.2.3 has no {ARCHIVE}")),
        ("v9.9.9", "v9.9.9 has no SHA256SUMS".to_owned()),
        ("main", "main is not a release tag".to_owned()),
        ("0123456789abcdef0123456789abcdef01234567", "is not a release tag".to_owned()),
        ("", "no ref given".to_owned()),
    ] {
        let output = install(base, ref_, home.path());
        assert_eq!(output.status.code(), Some(3), "{ref_:?}: {}", stderr(&output));
        let err = stderr(&output);
        assert!(err.contains("no release") && err.contains(&says), "{ref_:?}: {err}");
        assert!(installed(home.path()).is_empty());
    }
}

#[test]
fn the_action_runs_both_checks_and_counts_the_problems_by_rule_in_the_job_summary() {
    if !runs("sh", &["-c", "exit 0"]) || !runs("jq", &["--version"]) {
        eprintln!("skipped: sh or jq is not on this machine");
        return;
    }
    let repo = TestRepo::new();
    // A stale TOC (toc --check fails) and a link to nothing (check finds it too).
    repo.write("proposals/001-first/README.md", crate::harness::STALE_KEP.replace("Text.", "See [x](#nowhere)."));
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "-m", "initial"]);
    let summary = repo.home().join("summary.md");
    let output = repo
        .command("sh", &repo.path())
        .arg(repo_file("scripts/action-check.sh"))
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("KEP_CHECK", "true")
        .env("GIT_CONFIG_GLOBAL", repo.home().join("no-such-config"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}{}", stdout(&output), stderr(&output));
    let out = stdout(&output);
    // toc --check's diff, then check's annotations: the first failing did not hide the second.
    assert!(out.contains("+- [My Proposal](#my-proposal)"), "{out}");
    assert!(out.contains("::error file=proposals/001-first/README.md,line=8"), "{out}");
    assert!(out.contains("title=broken-anchor::"), "{out}");
    let summary = fs::read_to_string(summary).unwrap();
    assert!(summary.contains("| `git kep toc --check` | **failed** |"), "{summary}");
    assert!(summary.contains("| `git kep check` | **failed** |"), "{summary}");
    assert!(summary.contains("| `broken-anchor` | 1 |") && summary.contains("| `stale-toc` | 1 |"), "{summary}");
    assert!(summary.contains("`proposals/001-first/README.md:8:"), "{summary}");
}
