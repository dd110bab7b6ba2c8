//! `git kep toc`: in place, `--check`, `--stdout`, config and flags, errors and exit codes.

use crate::harness::{FRESH_KEP, STALE_KEP, TestRepo, stderr, stdout};
use std::fs;

#[test]
fn refreshes_every_proposal_with_markers_and_nothing_else() {
    let repo = TestRepo::new();
    repo.write("proposals/a/README.md", STALE_KEP);
    repo.write("proposals/b.md", FRESH_KEP);
    repo.write("proposals/notes.md", "# No markers\n");
    repo.write("docs/outside.md", STALE_KEP);
    let fresh_before = fs::metadata(repo.path().join("proposals/b.md")).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    repo.ok(repo.kep(&["toc"]));
    assert_eq!(repo.read("proposals/a/README.md"), FRESH_KEP.as_bytes());
    assert_eq!(repo.read("proposals/notes.md"), b"# No markers\n");
    assert_eq!(repo.read("docs/outside.md"), STALE_KEP.as_bytes());
    let fresh_after = fs::metadata(repo.path().join("proposals/b.md")).unwrap().modified().unwrap();
    assert_eq!(fresh_before, fresh_after, "a fresh file is not rewritten");
}

#[test]
fn a_file_named_twice_is_refreshed_and_reported_once() {
    let repo = TestRepo::new();
    repo.write("proposals/a.md", STALE_KEP);
    let named_twice = ["proposals/a.md", "./proposals/a.md", "proposals"];
    let mut check = vec!["toc", "--check"];
    check.extend(named_twice);
    let checked = repo.kep(&check);
    assert_eq!(checked.status.code(), Some(1));
    assert_eq!(stdout(&checked).matches("+++ b/").count(), 1, "{}", stdout(&checked));
    let mut refresh = vec!["toc"];
    refresh.extend(named_twice);
    let output = repo.ok(repo.kep(&refresh));
    assert_eq!(stderr(&output).matches("proposals/a.md").count(), 1, "{}", stderr(&output));
    assert_eq!(repo.read("proposals/a.md"), FRESH_KEP.as_bytes());
    repo.write("proposals/a.md", STALE_KEP);
    let found = repo.kep(&["check", "proposals/a.md", "./proposals/a.md"]);
    assert_eq!(found.status.code(), Some(1));
    assert_eq!(stdout(&found).matches("stale-toc").count(), 1, "{}", stdout(&found));
}

#[test]
fn check_prints_a_diff_and_exits_1_without_writing() {
    let repo = TestRepo::new();
    repo.write("proposals/a.md", STALE_KEP);
    let output = repo.kep(&["toc", "--check"]);
    assert_eq!(output.status.code(), Some(1));
    let out = stdout(&output);
    assert!(out.contains("--- a/proposals/a.md\n+++ b/proposals/a.md\n@@ "), "{out}");
    assert!(out.contains("\n+- [My Proposal](#my-proposal)\n"), "{out}");
    assert!(!out.contains('\x1b'), "no color when stdout is not a terminal");
    assert_eq!(repo.read("proposals/a.md"), STALE_KEP.as_bytes());
    let colored = repo.kep(&["toc", "--check", "--color", "always"]);
    assert!(stdout(&colored).contains("\x1b[32m+- [My Proposal]"), "{}", stdout(&colored));
    repo.ok(repo.kep(&["toc"]));
    let clean = repo.kep(&["toc", "--check"]);
    assert_eq!(clean.status.code(), Some(0));
    assert_eq!(stdout(&clean), "");
}

#[test]
fn errors_name_file_and_line_exit_2_and_other_files_still_processed() {
    let repo = TestRepo::new();
    repo.write("proposals/a.md", "# A\n<!-- /toc -->\n<!-- toc -->\n");
    repo.write("proposals/b.md", STALE_KEP);
    repo.write("proposals/c.md", b"<!-- toc -->\n<!-- /toc -->\n# \xff\n".as_slice());
    let output = repo.kep(&["toc"]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(err.contains("proposals/a.md:2: `<!-- /toc -->` comes before any `<!-- toc -->`"), "{err}");
    assert!(err.contains("proposals/c.md:3: not valid UTF-8"), "{err}");
    assert_eq!(repo.read("proposals/a.md"), b"# A\n<!-- /toc -->\n<!-- toc -->\n");
    assert_eq!(repo.read("proposals/b.md"), FRESH_KEP.as_bytes());
}

#[test]
fn a_document_over_the_size_limit_is_refused_untouched_and_the_others_still_refreshed() {
    let repo = TestRepo::new();
    let mut huge = String::from("<!-- toc -->\n<!-- /toc -->\n");
    huge.push_str(&"# a\n".repeat(git_kep::toc::MAX_DOCUMENT_BYTES / 4));
    repo.write("proposals/huge.md", huge.as_str());
    repo.write("proposals/b.md", STALE_KEP);
    let before = fs::metadata(repo.path().join("proposals/huge.md")).unwrap();
    let output = repo.kep(&["toc"]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(err.contains("proposals/huge.md:1: the document is larger than 256 MiB"), "{err}");
    let after = fs::metadata(repo.path().join("proposals/huge.md")).unwrap();
    assert_eq!((before.len(), before.modified().unwrap()), (after.len(), after.modified().unwrap()));
    assert_eq!(repo.read("proposals/b.md"), FRESH_KEP.as_bytes());
}

#[cfg(unix)]
#[test]
fn an_endless_input_is_refused_once_past_the_size_limit() {
    // Read whole, /dev/zero would take all memory. Run under a 2 GiB address-space limit, so
    // that a regression fails this test (allocation failure) instead of exhausting the machine.
    let repo = TestRepo::new();
    let limited = |args: &[&str], stdin: std::process::Stdio| {
        let script = "ulimit -v 2097152 && exec \"$0\" \"$@\"";
        let mut command = repo.command("sh", &repo.path());
        command.args(["-c", script, crate::harness::BIN]).args(args).stdin(stdin);
        command.output().unwrap()
    };
    // A named path is read only if it is a regular file (issue 26: a FIFO hung the hook).
    for args in [&["toc", "/dev/zero"][..], &["toc", "--stdout", "/dev/zero"], &["check", "/dev/zero"]] {
        let output = limited(args, std::process::Stdio::null());
        assert_eq!(output.status.code(), Some(2), "{args:?}: {output:?}");
        assert!(stderr(&output).contains("/dev/zero: cannot read: not a regular file"), "{output:?}");
    }
    let zeros = std::fs::File::open("/dev/zero").unwrap();
    let output = limited(&["toc", "--stdout", "-"], zeros.into());
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert!(stderr(&output).contains("<stdin>:1: the document is larger than 256 MiB"), "{output:?}");
}

#[test]
fn unreadable_path_is_an_error_naming_it() {
    let repo = TestRepo::new();
    let output = repo.kep(&["toc", "missing.md"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).starts_with("missing.md: cannot read"), "{}", stderr(&output));
}

#[test]
fn stdout_prints_the_document_from_a_file_or_stdin() {
    let repo = TestRepo::new();
    repo.write("a.md", STALE_KEP);
    let output = repo.ok(repo.kep(&["toc", "--stdout", "a.md"]));
    assert_eq!(output.stdout, FRESH_KEP.as_bytes());
    assert_eq!(repo.read("a.md"), STALE_KEP.as_bytes());
    let mut child = repo
        .command(crate::harness::BIN, &repo.path())
        .args(["toc", "--stdout", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(STALE_KEP.as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.stdout, FRESH_KEP.as_bytes());
}

#[test]
fn stdin_without_stdout_is_refused_with_the_command_to_use() {
    let repo = TestRepo::new();
    let output = repo.kep(&["toc", "-"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("git kep toc --stdout -"), "{}", stderr(&output));
    // A file that is really named `-` is refreshed like any other.
    repo.write("-", STALE_KEP);
    repo.ok(repo.kep(&["toc", "-"]));
    assert_eq!(repo.read("-"), FRESH_KEP.as_bytes());
}

#[test]
fn outside_a_repository_paths_work_with_defaults() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.md"), STALE_KEP).unwrap();
    let repo = TestRepo::new();
    let output = repo.kep_in(dir.path(), &["toc", "a.md"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(fs::read(dir.path().join("a.md")).unwrap(), FRESH_KEP.as_bytes());
    // Without paths there is nothing to read: the hint names the command given.
    for command in ["toc", "check"] {
        let no_paths = repo.kep_in(dir.path(), &[command]);
        assert_eq!(no_paths.status.code(), Some(2));
        assert!(stderr(&no_paths).contains("not inside a git repository"));
        assert!(stderr(&no_paths).contains(&format!("git kep {command} FILE...")), "{}", stderr(&no_paths));
    }
}

#[test]
fn config_layers_and_flags() {
    let repo = TestRepo::new();
    let doc = "# Title\n<!-- toc -->\n<!-- /toc -->\n## `code` & more\n### Deep\n";
    repo.write("keps/a.md", doc);
    repo.write(".kepconfig", "[kep]\n\tdir = keps\n\ttocStyle = html\n");
    repo.ok(repo.kep(&["toc"]));
    assert_eq!(
        repo.read_string("keps/a.md"),
        "# Title\n<!-- toc -->\n- [<code>code</code> &amp; more](#code--more)\n  - [Deep](#deep)\n<!-- /toc -->\n## `code` & more\n### Deep\n"
    );
    // git config wins over .kepconfig.
    repo.git(&["config", "kep.tocMaxDepth", "2"]);
    repo.ok(repo.kep(&["toc"]));
    assert_eq!(
        repo.read_string("keps/a.md"),
        "# Title\n<!-- toc -->\n- [<code>code</code> &amp; more](#code--more)\n<!-- /toc -->\n## `code` & more\n### Deep\n"
    );
    // `git -c` wins over git config (git passes it down to `git kep` in its environment).
    repo.git(&["-c", "kep.tocStyle=markdown", "-c", "kep.tocSkipPrefix", "kep", "toc"]);
    assert_eq!(
        repo.read_string("keps/a.md"),
        "# Title\n<!-- toc -->\n- [`code` \\& more](#code--more)\n<!-- /toc -->\n## `code` & more\n### Deep\n"
    );
    // Flags win over all of them.
    repo.ok(repo.kep(&["toc", "--style", "markdown", "--no-skip-prefix", "--max-depth", "6"]));
    assert_eq!(
        repo.read_string("keps/a.md"),
        "# Title\n<!-- toc -->\n- [Title](#title)\n  - [`code` \\& more](#code--more)\n    - [Deep](#deep)\n<!-- /toc -->\n## `code` & more\n### Deep\n"
    );
}

#[test]
fn invalid_config_value_is_a_clear_error() {
    let repo = TestRepo::new();
    repo.git(&["config", "kep.tocStyle", "fancy"]);
    repo.write("proposals/a.md", STALE_KEP);
    let output = repo.kep(&["toc"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("invalid value \"fancy\" for kep.tocStyle"), "{}", stderr(&output));
    assert!(stderr(&output).contains("expected `markdown` or `html`"), "{}", stderr(&output));
    assert_eq!(repo.read("proposals/a.md"), STALE_KEP.as_bytes());
    // Named values are compared without case; the anchors' names are checked alike.
    repo.git(&["config", "kep.tocStyle", "HTML"]);
    repo.git(&["config", "kep.tocAnchors", "gitlab"]);
    let output = repo.kep(&["toc"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("for kep.tocAnchors"), "{}", stderr(&output));
    assert!(stderr(&output).contains("expected `mdtoc` or `github`"), "{}", stderr(&output));
    repo.git(&["config", "kep.tocAnchors", "GitHub"]);
    repo.ok(repo.kep(&["toc"]));
    assert_ne!(repo.read("proposals/a.md"), STALE_KEP.as_bytes());
}

#[test]
fn missing_proposals_dir_says_how_to_configure_it() {
    // No proposals yet is nothing to do, not a failure (a CI job on a new repository); the
    // warning says how to point git-kep elsewhere in case the setting is wrong.
    let repo = TestRepo::new();
    let output = repo.kep(&["toc"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(stderr(&output).contains("does not exist") && stderr(&output).contains("kep.dir"), "{}", stderr(&output));
}

#[cfg(unix)]
#[test]
fn mode_is_kept_when_rewriting() {
    use std::os::unix::fs::PermissionsExt;
    let repo = TestRepo::new();
    repo.write("proposals/a.md", STALE_KEP);
    fs::set_permissions(repo.path().join("proposals/a.md"), fs::Permissions::from_mode(0o640)).unwrap();
    repo.ok(repo.kep(&["toc"]));
    assert_eq!(fs::metadata(repo.path().join("proposals/a.md")).unwrap().permissions().mode() & 0o777, 0o640);
}

#[test]
fn broken_pipe_is_not_an_error() {
    let repo = TestRepo::new();
    // A diff far larger than a pipe buffer, read only up to its first line.
    let big: String = (0..5000).map(|i| format!("## Section {i}\n")).collect();
    repo.write("proposals/a.md", format!("<!-- toc -->\n<!-- /toc -->\n{big}"));
    let status_through_head = |args: &str| {
        let script =
            format!("'{}' {args} | head -n 1 >/dev/null; echo \"status ${{PIPESTATUS[0]}}\"", crate::harness::BIN);
        let output = repo.command("bash", &repo.path()).args(["-c", &script]).output().unwrap();
        assert!(!stderr(&output).contains("panicked"), "{}", stderr(&output));
        stdout(&output)
    };
    // The reader going away is no error: --check still says "stale" (1), --stdout succeeds (0);
    // never 101 from a panic.
    assert_eq!(status_through_head("toc --check"), "status 1\n");
    assert_eq!(status_through_head("toc --stdout proposals/a.md"), "status 0\n");
    assert_eq!(repo.read("proposals/a.md"), format!("<!-- toc -->\n<!-- /toc -->\n{big}").as_bytes());
}

#[test]
fn a_directory_stands_for_its_markdown_files() {
    let repo = TestRepo::new();
    repo.write("keps/sig-x/1-a/README.md", STALE_KEP);
    repo.write("keps/notes.md", "# no markers\n");
    let output = repo.kep(&["toc", "--check", "keps"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(!stderr(&output).contains("no `<!-- toc -->` marker"), "{}", stderr(&output));
    repo.ok(repo.kep(&["toc", "keps"]));
    assert_eq!(repo.read("keps/sig-x/1-a/README.md"), FRESH_KEP.as_bytes());
}

#[test]
fn the_readme_keeps_its_own_toc_fresh_and_stays_short() {
    // CI runs this: `git kep toc --check README.md` on git-kep's own README.
    let readme = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let output =
        std::process::Command::new(crate::harness::BIN).args(["toc", "--check"]).arg(&readme).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stdout));
    let text = std::fs::read_to_string(&readme).unwrap();
    assert!(text.contains("<!-- toc -->\n- [git-kep](#git-kep)\n"), "the README has a TOC of its own");
    assert!(text.lines().count() <= 280, "README: {} lines", text.lines().count());
    assert!(text.contains("./install.sh") && text.contains("cargo test"), "the two commands come first");
}
