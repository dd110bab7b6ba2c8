//! Which git command started this process: git tells a pre-commit hook nothing of `--amend`,
//! so the hook reads the command line of the `git` process above it (Linux's `/proc`).

use std::path::Path;

/// What the `git commit` that runs this hook was asked (`false`s wherever it cannot be told).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Commit {
    /// `--amend`, or an alias that does.
    pub amends: bool,
    /// `git commit PATH...` (without `--include`): git commits from a temporary index and
    /// afterwards sets the real one from the work tree as it was.
    pub takes_paths: bool,
}

/// Reads the command line of the `git` above once. `alias` looks up `alias.NAME` in git's config.
pub fn commit(alias: &dyn Fn(&str) -> Option<String>) -> Commit {
    let Some(args) = git_command_line() else { return Commit::default() };
    match commit_options(&args, alias) {
        Some(options) => Commit { amends: commit_options_amend(&options), takes_paths: takes_paths(&options) },
        None => Commit::default(),
    }
}

/// The arguments of the nearest `git` process among this one's parents (a hook manager or a
/// shell may stand between), without `git` itself. Only under a git commit's hook (git gives
/// every commit hook `GIT_INDEX_FILE`), and only up to that `git` process: a hook run by hand,
/// or by CI, reads nothing of the processes above it.
fn git_command_line() -> Option<Vec<String>> {
    std::env::var_os("GIT_INDEX_FILE")?;
    let mut pid = parent_of("self")?;
    for _ in 0..6 {
        let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).ok()?;
        let mut args = cmdline.split(|&b| b == 0).map(|arg| String::from_utf8_lossy(arg).into_owned());
        let program = args.next()?;
        if Path::new(&program).file_name().is_some_and(|name| name == "git") {
            let rest: Vec<String> = args.filter(|arg| !arg.is_empty()).collect();
            // `git kep pre-commit` (a hook manager's line) runs git-kep through git: look above.
            if !rest.iter().any(|arg| arg == "kep") {
                // The git that runs the hook: nothing above it is read.
                return (!rest.is_empty()).then_some(rest);
            }
        }
        pid = parent_of(&pid)?;
    }
    None
}

fn parent_of(pid: &str) -> Option<String> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let ppid = status.lines().find_map(|line| line.strip_prefix("PPid:"))?.trim().to_owned();
    (ppid != "0").then_some(ppid)
}

/// git's options before the command that take a value in the next argument.
const GLOBAL_WITH_VALUE: [&str; 6] = ["-c", "-C", "--git-dir", "--work-tree", "--namespace", "--config-env"];
/// `git commit`'s options that take a value in the next argument (when not attached).
const COMMIT_WITH_VALUE: [&str; 14] = [
    "-m",
    "-F",
    "-c",
    "-C",
    "-t",
    "--message",
    "--file",
    "--reuse-message",
    "--reedit-message",
    "--template",
    "--author",
    "--date",
    "--cleanup",
    "--trailer",
];

/// Whether `git ARGS` is a commit that amends.
#[cfg(test)]
fn amends(args: &[String], alias: &dyn Fn(&str) -> Option<String>) -> bool {
    commit_options(args, alias).is_some_and(|options| commit_options_amend(&options))
}

/// The options of `git ARGS` if it is a commit (through an alias too).
fn commit_options(args: &[String], alias: &dyn Fn(&str) -> Option<String>) -> Option<Vec<String>> {
    let mut rest = args;
    while let Some((first, tail)) = rest.split_first() {
        if GLOBAL_WITH_VALUE.contains(&first.as_str()) {
            rest = tail.get(1..).unwrap_or_default();
        } else if first.starts_with('-') {
            rest = tail;
        } else {
            break;
        }
    }
    let (command, options) = rest.split_first()?;
    if command == "commit" {
        return Some(options.to_vec());
    }
    // An alias of `commit ...` (not a shell one, `!...`), as `git ca` for `commit --amend`.
    match alias(command) {
        Some(expansion) if !expansion.starts_with('!') => {
            let mut words: Vec<&str> = expansion.split_whitespace().collect();
            if words.first() != Some(&"commit") {
                return None;
            }
            words.remove(0);
            let mut all: Vec<String> = words.into_iter().map(str::to_owned).collect();
            all.extend(options.iter().cloned());
            Some(all)
        }
        _ => None,
    }
}

/// Whether commit options name paths to commit (and not `--include`, which keeps the index).
fn takes_paths(options: &[String]) -> bool {
    let mut paths = false;
    let mut include = false;
    let mut options = options.iter();
    while let Some(option) = options.next() {
        match option.as_str() {
            "--" => {
                paths |= options.next().is_some();
                break;
            }
            "-i" | "--include" => include = true,
            with_value if COMMIT_WITH_VALUE.contains(&with_value) => {
                options.next();
            }
            // Short flags together, the last one taking the next argument (`-am MESSAGE`).
            short if !short.starts_with("--") && short.len() > 2 && short.ends_with(['m', 'F', 'c', 'C', 't']) => {
                options.next();
            }
            flag if flag.starts_with('-') => {}
            _ => paths = true,
        }
    }
    paths && !include
}

fn commit_options_amend(options: &[String]) -> bool {
    let mut amend = false;
    let mut options = options.iter();
    while let Some(option) = options.next() {
        match option.as_str() {
            "--" => break,
            // Unambiguous prefixes count, as git's option parser takes them.
            long if long.len() >= 4 && "--amend".starts_with(long) => amend = true,
            "--no-amend" => amend = false,
            with_value if COMMIT_WITH_VALUE.contains(&with_value) => {
                options.next();
            }
            _ => {}
        }
    }
    amend
}

#[cfg(test)]
mod tests {
    use super::*;

    fn amends_line(line: &str) -> bool {
        let args: Vec<String> = line.split_whitespace().map(str::to_owned).collect();
        let alias = |name: &str| match name {
            "ca" => Some("commit --amend".to_owned()),
            "ci" => Some("commit -v".to_owned()),
            "sh" => Some("!git commit --amend".to_owned()),
            _ => None,
        };
        amends(&args, &alias)
    }

    #[test]
    fn paths_are_read_as_git_reads_them() {
        let paths = |line: &str| {
            let args: Vec<String> = line.split_whitespace().map(str::to_owned).collect();
            commit_options(&args, &|_: &str| None).is_some_and(|o| takes_paths(&o))
        };
        for yes in ["commit a.md", "commit -m msg a.md", "commit -o -m x -- a.md", "commit -am x b.md"] {
            assert!(paths(yes), "{yes}");
        }
        for no in [
            "commit",
            "commit -m a.md",
            "commit -a",
            "commit -am x",
            "commit -i a.md",
            "status a.md",
            "commit -F msg --",
        ] {
            assert!(!paths(no), "{no}");
        }
    }

    #[test]
    fn amend_is_read_as_git_reads_the_command_line() {
        for yes in [
            "commit --amend",
            "commit -q --amend -m x",
            "-c core.x=y -C /tmp commit --amen",
            "commit --am --no-edit",
            "ca",
            "ca -m again",
            "ci --amend",
            "--git-dir /r/.git commit --amend",
        ] {
            assert!(amends_line(yes), "{yes}");
        }
        for no in [
            "commit",
            "commit -m --amend",
            "commit --message --amend",
            "commit --amend --no-amend",
            "commit -- --amend",
            "merge --amend",
            "ci",
            "sh",
            "-c commit --amend",
            "commit --a",
        ] {
            assert!(!amends_line(no), "{no}");
        }
    }
}
