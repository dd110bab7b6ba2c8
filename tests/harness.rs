//! TestRepo: a temporary repository driven by the real git in an isolated, deterministic
//! environment (own HOME, no system config, fixed dates, the built git-kep first on PATH).

use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const BIN: &str = env!("CARGO_BIN_EXE_git-kep");

/// A proposal whose TOC is stale: it lists nothing yet.
pub const STALE_KEP: &str =
    "# My Proposal\n\n<!-- toc -->\n<!-- /toc -->\n\n## Summary\n\nText.\n\n## Motivation\n\n### Goals\n";
/// `STALE_KEP` with its TOC regenerated.
pub const FRESH_KEP: &str = "# My Proposal\n\n<!-- toc -->\n- [My Proposal](#my-proposal)\n  - [Summary](#summary)\n  - [Motivation](#motivation)\n    - [Goals](#goals)\n<!-- /toc -->\n\n## Summary\n\nText.\n\n## Motivation\n\n### Goals\n";

pub struct TestRepo {
    root: tempfile::TempDir,
}

impl TestRepo {
    /// A new repository on branch `main` with an identity and no commits.
    pub fn new() -> Self {
        let root = tempfile::tempdir().expect("temp dir");
        fs::create_dir_all(root.path().join("home")).unwrap();
        fs::create_dir_all(root.path().join("repo")).unwrap();
        let repo = TestRepo { root };
        repo.git(&["init", "-q", "-b", "main"]);
        repo.git(&["config", "user.name", "Ada Author"]);
        repo.git(&["config", "user.email", "ada@example.com"]);
        repo.git(&["config", "core.autocrlf", "false"]);
        repo
    }

    /// A repository whose first commit has `proposals/README.md` (fresh) and the hook installed.
    pub fn with_hook() -> Self {
        let repo = TestRepo::new();
        repo.write("proposals/001-first/README.md", FRESH_KEP);
        repo.write("other.txt", "hello\n");
        repo.git(&["add", "-A"]);
        repo.git(&["commit", "-q", "-m", "initial"]);
        repo.ok(repo.kep(&["install"]));
        repo
    }

    pub fn path(&self) -> PathBuf {
        self.root.path().join("repo")
    }

    pub fn home(&self) -> PathBuf {
        self.root.path().join("home")
    }

    /// A command in the isolated environment, run in `cwd`.
    pub fn command(&self, program: impl AsRef<OsStr>, cwd: &Path) -> Command {
        let mut cmd = Command::new(program);
        let bin_dir = Path::new(BIN).parent().unwrap();
        let path = std::env::join_paths(
            std::iter::once(bin_dir.to_path_buf())
                .chain(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())),
        )
        .unwrap();
        for var in [
            "GIT_DIR",
            "GIT_WORK_TREE",
            "GIT_INDEX_FILE",
            "GIT_CONFIG",
            "GIT_CONFIG_PARAMETERS",
            "GIT_CONFIG_COUNT",
            "NO_COLOR",
            "TERM",
            "CLICOLOR_FORCE",
            "XDG_CONFIG_HOME",
        ] {
            cmd.env_remove(var);
        }
        cmd.current_dir(cwd)
            .env("PATH", path)
            .env("HOME", self.home())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_DATE", "2026-01-01T00:00:00Z")
            .env("GIT_COMMITTER_DATE", "2026-01-01T00:00:00Z")
            .env("LC_ALL", "C");
        cmd
    }

    /// Runs git in the repository root; panics with its output if it fails.
    pub fn git(&self, args: &[&str]) -> String {
        let output = self.git_in(&self.path(), args);
        assert!(output.status.success(), "git {args:?} failed: {}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// Runs git in `cwd`, whatever its exit code.
    pub fn git_in(&self, cwd: &Path, args: &[&str]) -> Output {
        self.command("git", cwd).args(args).output().expect("run git")
    }

    /// Runs git-kep in the repository root.
    pub fn kep(&self, args: &[&str]) -> Output {
        self.kep_in(&self.path(), args)
    }

    pub fn kep_in(&self, cwd: &Path, args: &[&str]) -> Output {
        self.command(BIN, cwd).args(args).output().expect("run git-kep")
    }

    /// Asserts success and returns the output.
    pub fn ok(&self, output: Output) -> Output {
        assert!(
            output.status.success(),
            "expected success, got {:?}\nstdout: {}\nstderr: {}",
            output.status.code(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        output
    }

    pub fn write(&self, rel: &str, content: impl AsRef<[u8]>) {
        let path = self.path().join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, content).unwrap();
    }

    pub fn read(&self, rel: &str) -> Vec<u8> {
        fs::read(self.path().join(rel)).unwrap_or_else(|err| panic!("read {rel}: {err}"))
    }

    pub fn read_string(&self, rel: &str) -> String {
        String::from_utf8(self.read(rel)).unwrap()
    }

    /// The blob staged for `rel` (`git show :rel`), as bytes.
    pub fn staged(&self, rel: &str) -> Vec<u8> {
        self.show(&format!(":{rel}"))
    }

    /// `git show SPEC` as bytes.
    pub fn show(&self, spec: &str) -> Vec<u8> {
        let output = self.git_in(&self.path(), &["show", spec]);
        assert!(output.status.success(), "git show {spec}: {}", String::from_utf8_lossy(&output.stderr));
        output.stdout
    }

    /// Everything a refusal must leave alone: status, refs, index and HEAD.
    pub fn snapshot(&self) -> String {
        let status = self.git(&["status", "--porcelain=v2", "--branch", "--untracked-files=all"]);
        let refs = self.git(&["for-each-ref", "--format=%(refname) %(objectname)"]);
        let index = self.git(&["ls-files", "--stage"]);
        format!("{status}\n{refs}\n{index}")
    }
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// `FRESH_KEP` with one more section, and its TOC still the old one.
pub fn with_section(title: &str) -> String {
    format!("{FRESH_KEP}\n## {title}\n")
}

/// What the hook commits for `with_section(title)`: the same document with its TOC refreshed.
pub fn fresh_with_section(title: &str) -> String {
    let anchor = title.to_lowercase().replace(' ', "-");
    with_section(title).replace(
        "    - [Goals](#goals)\n<!-- /toc -->",
        &format!("    - [Goals](#goals)\n  - [{title}](#{anchor})\n<!-- /toc -->"),
    )
}

/// Whether strace runs here with the `-e` expression given; tests that need it skip without.
pub fn strace_can(expression: &str) -> bool {
    let works = std::process::Command::new("strace")
        .args(["-f", "-o", "/dev/null", "-e", expression, "true"])
        .output()
        .is_ok_and(|output| output.status.success());
    if !works {
        eprintln!("skipped: strace is not available (or may not trace) here");
    }
    works
}
