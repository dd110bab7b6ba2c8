//! Shell completion through the real shells: bash's completion machinery (`COMP_WORDS`,
//! `COMP_LINE`, `complete -F`), with and without git's own completion script, zsh and fish.

use crate::harness::{BIN, TestRepo};
use std::path::Path;
use std::process::Command;

/// git's bash completion, where this machine has it.
fn git_completion() -> Option<&'static str> {
    [
        "/usr/share/bash-completion/completions/git",
        "/etc/bash_completion.d/git",
        "/usr/local/share/bash-completion/completions/git",
    ]
    .into_iter()
    .find(|path| Path::new(path).is_file())
}

/// The candidates bash offers for the command line `line` (the cursor at its end).
fn bash_candidates(repo: &TestRepo, line: &str, with_git: bool) -> Vec<String> {
    let script = String::from_utf8(repo.ok(repo.kep(&["completions", "bash"])).stdout).unwrap();
    let script_path = repo.home().join("git-kep.bash");
    std::fs::write(&script_path, script).unwrap();
    let words: Vec<String> = {
        let mut words: Vec<String> = line.split_whitespace().map(str::to_owned).collect();
        if line.ends_with(' ') {
            words.push(String::new());
        }
        words
    };
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let driver = if with_git {
        // As bash does on <TAB>: the function `complete -p git` names, with git's words.
        format!(
            "source {git}; source {ours}; COMP_WORDS=({words}); COMP_CWORD={cword}; COMP_LINE='{line}'; COMP_POINT=${{#COMP_LINE}}; \
             func=$(complete -p git | sed -E 's/.*-F ([^ ]+).*/\\1/'); $func git \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"; \
             printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            git = git_completion().unwrap(),
            ours = script_path.display(),
            words = quoted.join(" "),
            cword = words.len() - 1,
        )
    } else {
        format!(
            "source {ours}; COMP_WORDS=({words}); COMP_CWORD={cword}; COMP_LINE='{line}'; COMP_POINT=${{#COMP_LINE}}; \
             func=$(complete -p git-kep | sed -E 's/.*-F ([^ ]+).*/\\1/'); $func git-kep \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"; \
             printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            ours = script_path.display(),
            words = quoted.join(" "),
            cword = words.len() - 1,
        )
    };
    let output = repo.command("bash", &repo.path()).args(["--norc", "-c", &driver]).output().unwrap();
    assert!(output.status.success(), "bash: {}", String::from_utf8_lossy(&output.stderr));
    let mut candidates: Vec<String> =
        String::from_utf8_lossy(&output.stdout).lines().filter(|l| !l.is_empty()).map(str::to_owned).collect();
    candidates.sort();
    candidates
}

#[test]
fn bash_completes_subcommands_flags_and_values_for_git_kep() {
    let repo = TestRepo::new();
    repo.write("proposals/001-a/README.md", "# A\n");
    assert_eq!(bash_candidates(&repo, "git-kep ch", false), ["check"]);
    assert!(bash_candidates(&repo, "git-kep ", false).contains(&"toc".to_owned()));
    assert_eq!(bash_candidates(&repo, "git-kep toc --st", false), ["--stdout", "--style"]);
    assert_eq!(bash_candidates(&repo, "git-kep toc --style ", false), ["doctoc", "html", "markdown", "markdown-toc"]);
    assert_eq!(bash_candidates(&repo, "git-kep check --format=g", false), ["github"]);
    assert_eq!(bash_candidates(&repo, "git-kep --color al", false), ["always"]);
    assert_eq!(bash_candidates(&repo, "git-kep completions z", false), ["zsh"]);
    assert_eq!(
        bash_candidates(&repo, "git-kep new --stage ", false),
        ["alpha", "beta", "deprecated", "disabled", "removed", "stable"]
    );
    assert_eq!(bash_candidates(&repo, "git-kep toc propo", false), ["proposals"]);
}

#[test]
fn bash_completes_git_kep_through_gits_own_completion() {
    let Some(_) = git_completion() else {
        eprintln!("skipped: git's bash completion is not on this machine");
        return;
    };
    let repo = TestRepo::new();
    // git offers `kep` among its commands once git-kep is on PATH.
    assert!(
        bash_candidates(&repo, "git ke", true).contains(&"kep ".to_owned())
            || bash_candidates(&repo, "git ke", true).contains(&"kep".to_owned())
    );
    assert_eq!(bash_candidates(&repo, "git kep ch", true), ["check"]);
    assert_eq!(bash_candidates(&repo, "git kep check --for", true), ["--format"]);
    assert_eq!(bash_candidates(&repo, "git kep check --format ", true), ["github", "human", "json"]);
    assert_eq!(
        bash_candidates(&repo, "git -C . kep list --", true),
        ["--author", "--color", "--format", "--help", "--milestone", "--sig", "--stage", "--status"]
    );
}

#[test]
fn zsh_and_fish_complete_git_kep() {
    let repo = TestRepo::new();
    for (shell, check) in [
        (
            "zsh",
            "autoload -U compinit && compinit -u -D; source /dev/stdin; (( $+functions[_git-kep] )) && echo loaded",
        ),
        ("fish", "source; complete -C 'git-kep ch'"),
    ] {
        if Command::new(shell).arg("-c").arg("true").output().is_err() {
            eprintln!("skipped: {shell} is not on this machine");
            continue;
        }
        let script = repo.ok(repo.kep(&["completions", shell])).stdout;
        let mut child = repo
            .command(shell, &repo.path())
            .args(["-c", check])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        std::io::Write::write_all(&mut child.stdin.take().unwrap(), &script).unwrap();
        let output = child.wait_with_output().unwrap();
        let out = String::from_utf8_lossy(&output.stdout);
        let want = if shell == "zsh" { "loaded" } else { "check" };
        assert!(out.contains(want), "{shell}: {out} {}", String::from_utf8_lossy(&output.stderr));
    }
    let _ = BIN;
}

#[test]
fn zsh_completes_git_kep_and_git_kep_through_zshs_git_completion() {
    // The real zsh line editor in a pseudo-terminal (zpty), TAB pressed, the candidates recorded
    // by wrapping compadd.
    if Command::new("zsh").args(["-f", "-c", "zmodload zsh/zpty"]).output().map_or(true, |o| !o.status.success()) {
        eprintln!("skipped: zsh (with zpty) is not on this machine");
        return;
    }
    let repo = TestRepo::new();
    let dir = repo.home().join("zsh");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("_git-kep"), repo.ok(repo.kep(&["completions", "zsh"])).stdout).unwrap();
    let lines = [
        ("git-kep ch", "subcommand"),
        ("git kep check --for", "flag"),
        ("git-kep check --format ", "value"),
        ("git-kep ", "every subcommand"),
    ];
    let mut script = format!(
        "zmodload zsh/zpty\nzpty z zsh -f -i\nzpty -w z \"PROMPT=''; fpath=({} \\$fpath); autoload -U compinit; compinit -u -D\"\n\
         zpty -w z 'compadd () {{ local -a __hits; builtin compadd -A __hits \"$@\"; local h; for h in $__hits; do print -r -- \"$h\" >> $HITS; done; builtin compadd \"$@\"; }}'\n\
         zpty -w z \"bindkey '^I' complete-word\"\n",
        dir.display()
    );
    for (i, (line, _)) in lines.iter().enumerate() {
        script.push_str(&format!(
            "zpty -w z \"HITS={}/hits{i}\"\nzpty -n -w z $'{line}\\t'\nsleep 1\nzpty -n -w z $'\\C-u'\n",
            dir.display()
        ));
    }
    script.push_str("zpty -d z\n");
    std::fs::write(dir.join("drive.zsh"), script).unwrap();
    repo.ok(repo.command("zsh", &repo.path()).args(["-f"]).arg(dir.join("drive.zsh")).output().unwrap());
    let hits = |i: usize| {
        let mut found: Vec<String> = std::fs::read_to_string(dir.join(format!("hits{i}")))
            .unwrap_or_default()
            .lines()
            .map(str::to_owned)
            .collect();
        found.sort();
        found.dedup();
        found
    };
    assert_eq!(hits(0), ["check"], "git-kep ch<TAB>");
    assert_eq!(hits(1), ["--format"], "git kep check --for<TAB>");
    assert_eq!(hits(2), ["github", "human", "json"], "git-kep check --format <TAB>");
    let every = hits(3);
    assert!(every.contains(&"check".to_owned()), "git-kep <TAB>: {every:?}");
    assert!(!every.iter().any(|c| c == "man" || c == "pre-merge-commit"), "hidden ones offered: {every:?}");
}

#[test]
fn the_zsh_script_offers_no_hidden_subcommand() {
    let repo = TestRepo::new();
    let script = String::from_utf8(repo.ok(repo.kep(&["completions", "zsh"])).stdout).unwrap();
    assert!(script.contains("'check:"), "visible ones are described");
    assert!(!script.contains("'man:") && !script.contains("'pre-merge-commit:"), "hidden ones are not");
}

/// The words bash passes to `git` (or `git-kep`) after `keys` are typed at an interactive prompt,
/// TAB pressed where they say `\t`, then `ZZ` and Enter: the line as completion left it. The
/// commands are shell functions that only record their arguments. `None` without `script`.
fn typed_in_bash(repo: &TestRepo, keys: &str) -> Option<String> {
    if Command::new("script").arg("--version").output().is_err() {
        return None;
    }
    let home = repo.home();
    std::fs::write(home.join("git-kep.bash"), repo.ok(repo.kep(&["completions", "bash"])).stdout).unwrap();
    let args = home.join("args");
    let _ = std::fs::remove_file(&args);
    std::fs::write(
        home.join("rc"),
        format!(
            "source {git}\nsource {ours}\ngit() {{ printf '[%s]' \"$@\" > {args}; }}\ngit-kep() {{ git \"$@\"; }}\nPS1='$ '\n",
            git = git_completion()?,
            ours = home.join("git-kep.bash").display(),
            args = args.display(),
        ),
    )
    .unwrap();
    let mut child = repo
        .command("script", &repo.path())
        .args(["-qfc", &format!("bash --noprofile --rcfile {} -i", home.join("rc").display()), "/dev/null"])
        .env("TERM", "dumb")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), format!("{keys}ZZ\nexit\n").as_bytes()).unwrap();
    child.wait().unwrap();
    Some(std::fs::read_to_string(&args).unwrap_or_default())
}

#[test]
fn bash_through_gits_completion_ends_a_completed_word_with_a_space() {
    let repo = TestRepo::new();
    std::fs::create_dir_all(repo.path().join("proposals")).unwrap();
    repo.write("README.md", "# R\n");
    let Some(line) = typed_in_bash(&repo, "git kep ch\t") else {
        eprintln!("skipped: `script` or git's bash completion is not on this machine");
        return;
    };
    assert_eq!(line, "[kep][check][ZZ]", "git kep ch<TAB>");
    assert_eq!(typed_in_bash(&repo, "git kep check --for\t").unwrap(), "[kep][check][--format][ZZ]");
    assert_eq!(typed_in_bash(&repo, "git kep toc --style=ht\t").unwrap(), "[kep][toc][--style=html][ZZ]");
    // A file ends with a space, a folder with a slash and none (more may follow).
    assert_eq!(typed_in_bash(&repo, "git kep toc READ\t").unwrap(), "[kep][toc][README.md][ZZ]");
    assert_eq!(typed_in_bash(&repo, "git kep toc propo\t").unwrap(), "[kep][toc][proposals/ZZ]");
    // git's own words are as git's completion leaves them.
    assert_eq!(typed_in_bash(&repo, "git -C . kep ch\t").unwrap(), "[-C][.][kep][check][ZZ]");
    assert_eq!(typed_in_bash(&repo, "git-kep ch\t").unwrap(), "[check][ZZ]");
}

#[test]
fn fish_completes_git_kep_through_gits_completion() {
    if Command::new("fish").arg("--version").output().is_err() {
        eprintln!("skipped: fish is not on this machine");
        return;
    }
    let repo = TestRepo::new();
    repo.write("README.md", "# R\n");
    // Installed as the docs say: in conf.d, read when fish starts.
    let conf_d = repo.home().join(".config/fish/conf.d");
    std::fs::create_dir_all(&conf_d).unwrap();
    std::fs::write(conf_d.join("git-kep.fish"), repo.ok(repo.kep(&["completions", "fish"])).stdout).unwrap();
    let complete = |line: &str| {
        let output =
            repo.command("fish", &repo.path()).args(["-c", &format!("complete -C '{line}'")]).output().unwrap();
        let mut words: Vec<String> = String::from_utf8_lossy(&output.stdout)
            .lines()
            .map(|l| l.split('\t').next().unwrap_or_default().to_owned())
            .collect();
        words.sort();
        words.dedup();
        words
    };
    assert_eq!(complete("git kep ch"), ["check"]);
    assert!(complete("git kep ").contains(&"toc".to_owned()), "{:?}", complete("git kep "));
    assert_eq!(complete("git -C . kep check --for"), ["--format"]);
    assert_eq!(complete("git kep toc --style "), ["doctoc", "html", "markdown", "markdown-toc"]);
    assert_eq!(complete("git kep toc READ"), ["README.md"]);
    // git's own completion is still there.
    assert!(complete("git chec").contains(&"checkout".to_owned()));
    assert_eq!(complete("git-kep ch"), ["check"]);
}
