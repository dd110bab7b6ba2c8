//! `git kep install` / `uninstall`: our hooks in the hooks directory git really uses.

use crate::cli::InstallArgs;
use crate::error::{EXIT_FINDINGS, Error, Result};
use crate::git::Repo;
use std::fs;
use std::path::{Path, PathBuf};

/// The pre-commit hook, byte for byte the file in the repository's `hooks/` (they cannot drift).
pub const HOOK: &str = include_str!("../../hooks/pre-commit");
/// The pre-merge-commit hook: a merge git completes without a conflict never commits a stale TOC.
pub const MERGE_HOOK: &str = include_str!("../../hooks/pre-merge-commit");
/// The post-rewrite hook: warns about commits `git rebase` (or `--amend`) made with a stale TOC.
pub const REWRITE_HOOK: &str = include_str!("../../hooks/post-rewrite");

/// Every body a released git-kep ever wrote for each hook, the current one last. A hook file is
/// git-kep's only when its bytes are exactly one of these: a user's hook that merely contains
/// our lines (pasted in, with lines of their own) is theirs. When `hooks/` changes, the old body
/// goes here as a literal (a test holds the list to the bodies' recorded ids).
const SHIPPED_PRE_COMMIT: &[&str] = &[PRE_COMMIT_1, HOOK];
const SHIPPED_PRE_MERGE_COMMIT: &[&str] = &[PRE_MERGE_COMMIT_1, MERGE_HOOK];

/// The first bodies (up to issue 26: `command -v git-kep >/dev/null` said "not found" when file
/// descriptors ran out).
const PRE_COMMIT_1: &str = r#"#!/bin/sh
# git-kep pre-commit hook
# Refreshes the table of contents of staged proposals and restages them.
# Installed by `git kep install`; remove with `git kep uninstall`; skip once with `git commit --no-verify`.
if ! command -v git-kep >/dev/null 2>&1; then
  echo "git-kep: not found on PATH; install it with ./install.sh (or cargo install --path .)," >&2
  echo "git-kep: or skip this check once with: git commit --no-verify" >&2
  exit 1
fi
exec git-kep pre-commit "$@"
"#;
const PRE_MERGE_COMMIT_1: &str = r#"#!/bin/sh
# git-kep pre-merge-commit hook
# Stops a merge git completes without a conflict if it leaves a proposal's table of contents
# stale: the fresh TOCs are staged, and `git commit` concludes the merge with them.
# Installed by `git kep install`; remove with `git kep uninstall`; skip once with `git merge --no-verify`.
if ! command -v git-kep >/dev/null 2>&1; then
  echo "git-kep: not found on PATH; install it with ./install.sh (or cargo install --path .)," >&2
  echo "git-kep: or skip this check once with: git merge --no-verify" >&2
  exit 1
fi
exec git-kep pre-merge-commit "$@"
"#;
const SHIPPED_POST_REWRITE: &[&str] = &[REWRITE_HOOK];

/// A hook git-kep installs.
struct OurHook {
    name: &'static str,
    content: &'static str,
    shipped: &'static [&'static str],
}

const HOOKS: [OurHook; 3] = [
    OurHook { name: "pre-commit", content: HOOK, shipped: SHIPPED_PRE_COMMIT },
    OurHook { name: "pre-merge-commit", content: MERGE_HOOK, shipped: SHIPPED_PRE_MERGE_COMMIT },
    OurHook { name: "post-rewrite", content: REWRITE_HOOK, shipped: SHIPPED_POST_REWRITE },
];

/// What sits where a hook of ours would go, looked at without following a symlink.
#[derive(Debug, PartialEq, Eq)]
enum Found {
    Nothing,
    /// A regular file holding exactly the current body.
    Current,
    /// A regular file holding exactly an older body git-kep shipped.
    Older,
    /// Anything else: another body, a symlink (dangling or not), a directory, an unreadable
    /// file. Never ours to overwrite or delete. `runs_git_kep`: it already calls git-kep.
    Foreign {
        runs_git_kep: bool,
    },
}

fn inspect(path: &Path, hook: &OurHook) -> Found {
    let metadata = match fs::symlink_metadata(path) {
        Ok(metadata) => metadata,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Found::Nothing,
        Err(_) => return Found::Foreign { runs_git_kep: false },
    };
    if !metadata.is_file() {
        return Found::Foreign { runs_git_kep: false };
    }
    let Ok(bytes) = fs::read(path) else { return Found::Foreign { runs_git_kep: false } };
    if bytes == hook.content.as_bytes() {
        Found::Current
    } else if hook.shipped.iter().any(|body| body.as_bytes() == bytes) {
        Found::Older
    } else {
        Found::Foreign { runs_git_kep: runs_git_kep(&String::from_utf8_lossy(&bytes), hook.name) }
    }
}

/// Whether a script has a line that runs `git-kep <hook>` or `git kep <hook>` (not a comment).
fn runs_git_kep(script: &str, hook: &str) -> bool {
    let calls = [format!("git-kep {hook}"), format!("git kep {hook}")];
    script.lines().map(str::trim_start).filter(|line| !line.starts_with('#')).any(|line| {
        calls.iter().any(|call| {
            line.match_indices(call.as_str()).any(|(at, _)| {
                line[at + call.len()..]
                    .chars()
                    .next()
                    .is_none_or(|c| c.is_whitespace() || c == ';' || c == '&' || c == '|')
            })
        })
    })
}

/// Where a hook replaced by `install --force` is kept, for `uninstall` to put back.
fn backup_path(hook: &Path) -> PathBuf {
    let mut name = hook.as_os_str().to_owned();
    name.push(".git-kep-backup");
    PathBuf::from(name)
}

/// A hook manager that owns the hooks directory.
enum Manager {
    /// husky v9: `core.hooksPath` is `<dir>/_`, whose dispatchers run the user's `<dir>/<hook>`.
    Husky { user_dir: PathBuf },
    /// lefthook: `lefthook.yml` at the work-tree root; its hooks run what that file lists.
    Lefthook { config: PathBuf },
}

/// The line a hook manager's hook file runs git-kep with.
fn manager_line(hook: &OurHook) -> String {
    format!("git kep {}", hook.name)
}

fn detect_manager(repo: &Repo, hooks_dir: &Path) -> Option<Manager> {
    let is_husky = hooks_dir.file_name().is_some_and(|name| name == "_")
        && (hooks_dir.join("husky.sh").is_file()
            || fs::read_to_string(hooks_dir.join("h")).is_ok_and(|h| h.contains("husky")));
    if is_husky && let Some(user_dir) = hooks_dir.parent() {
        return Some(Manager::Husky { user_dir: user_dir.to_path_buf() });
    }
    let workdir = repo.workdir()?;
    ["lefthook.yml", ".lefthook.yml", "lefthook.yaml", ".lefthook.yaml"]
        .iter()
        .map(|name| workdir.join(name))
        .find(|path| path.is_file())
        .map(|config| Manager::Lefthook { config })
}

/// What to add to lefthook.yml.
const LEFTHOOK_SNIPPET: &str = "pre-commit:\n  commands:\n    git-kep:\n      run: git kep pre-commit\npre-merge-commit:\n  commands:\n    git-kep:\n      run: git kep pre-merge-commit\npost-rewrite:\n  commands:\n    git-kep:\n      run: git kep post-rewrite {0}\n";

/// husky: our line in each of the user's hook files (created as `husky init` creates them).
fn install_into_husky(user_dir: &Path) -> Result<u8> {
    for hook in &HOOKS {
        let path = user_dir.join(hook.name);
        let line = manager_line(hook);
        let existing = match fs::read_to_string(&path) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(err) => return Err(Error::context(format!("cannot read {}", path.display()), err)),
        };
        if existing.lines().any(|l| l.trim() == line) {
            eprintln!("{} already runs `{line}`", path.display());
            continue;
        }
        let mut text = existing;
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str(&line);
        text.push('\n');
        fs::write(&path, text).map_err(|err| Error::context(format!("cannot write {}", path.display()), err))?;
        eprintln!("Added `{line}` to {} (husky runs it)", path.display());
    }
    Ok(0)
}

/// husky: our lines out of the user's hook files (a file left empty is removed).
fn uninstall_from_husky(user_dir: &Path) -> Result<u8> {
    for hook in &HOOKS {
        let path = user_dir.join(hook.name);
        let line = manager_line(hook);
        let Ok(text) = fs::read_to_string(&path) else { continue };
        if !text.lines().any(|l| l.trim() == line) {
            continue;
        }
        let kept: String = text.split_inclusive('\n').filter(|l| l.trim() != line).collect();
        let result = if kept.trim().is_empty() { fs::remove_file(&path) } else { fs::write(&path, kept) };
        result.map_err(|err| Error::context(format!("cannot write {}", path.display()), err))?;
        eprintln!("Removed `{line}` from {}", path.display());
    }
    Ok(0)
}

pub fn install(args: &InstallArgs) -> Result<u8> {
    let repo = open_repo()?;
    save_detected_layout(&repo)?;
    let hooks_dir = repo.hooks_dir()?;
    match detect_manager(&repo, &hooks_dir) {
        Some(Manager::Husky { user_dir }) => return install_into_husky(&user_dir),
        Some(Manager::Lefthook { config }) => {
            let text = fs::read_to_string(&config).unwrap_or_default();
            if text.contains("git kep pre-commit") {
                eprintln!(
                    "{} already runs git-kep (run `lefthook install` if its hooks are not in place)",
                    config.display()
                );
            } else {
                eprintln!(
                    "lefthook manages the hooks here: add this to {}, then run `lefthook install`:\n\n{LEFTHOOK_SNIPPET}",
                    config.display()
                );
            }
            return Ok(0);
        }
        None => {}
    }
    if hooks_dir.exists() && !hooks_dir.is_dir() {
        return Err(Error::new(format!("the hooks directory {} is not a directory", hooks_dir.display()))
            .hint("git takes it from core.hooksPath when that is set: point it at a directory")
            .hint("check with: git config --show-origin core.hooksPath"));
    }
    // Plan: every hook is checked before any is written, so a refusal changes nothing.
    let mut to_write = Vec::new();
    let mut already_run = Vec::new();
    for hook in &HOOKS {
        let path = hooks_dir.join(hook.name);
        match inspect(&path, hook) {
            Found::Current => {
                eprintln!("The git-kep {} hook is already installed at {}", hook.name, path.display());
            }
            Found::Nothing => to_write.push((hook, path, false)),
            Found::Older => to_write.push((hook, path, false)),
            Found::Foreign { runs_git_kep: true } if !args.force => already_run.push((hook, path)),
            Found::Foreign { .. } if !args.force => {
                return Err(Error::new(format!(
                    "{} already exists and is not git-kep's hook; nothing was installed",
                    path.display()
                ))
                .hint(format!("add the line `git-kep {} \"$@\"` to that hook yourself, or", hook.name))
                .hint("replace it (it is kept, and `git kep uninstall` puts it back): git kep install --force")
                .exit_code(EXIT_FINDINGS));
            }
            Found::Foreign { .. } if fs::symlink_metadata(backup_path(&path)).is_ok() => {
                return Err(Error::new(format!(
                    "{} is not git-kep's hook, and {} already keeps the hook git-kep replaced before; \
                     nothing was installed",
                    path.display(),
                    backup_path(&path).display()
                ))
                .hint("move one of the two away, then run `git kep install --force` again")
                .exit_code(EXIT_FINDINGS));
            }
            Found::Foreign { .. } => to_write.push((hook, path, true)),
        }
    }
    for (hook, path) in &already_run {
        eprintln!("{} is your own hook and already runs `git-kep {}`: left as it is", path.display(), hook.name);
    }
    fs::create_dir_all(&hooks_dir)
        .map_err(|err| Error::context(format!("cannot create {}", hooks_dir.display()), err))?;
    for (hook, path, back_up) in to_write {
        if back_up {
            let backup = backup_path(&path);
            // A rename keeps the bytes and the mode exactly; the file is written anew below.
            fs::rename(&path, &backup)
                .map_err(|err| Error::context(format!("cannot back up {}", path.display()), err))?;
            eprintln!("Kept the existing {} hook as {} (`git kep uninstall` restores it)", hook.name, backup.display());
        }
        write_executable(&path, hook.content.as_bytes())?;
        eprintln!("Installed the git-kep {} hook at {}", hook.name, path.display());
    }
    if let Some((scope, origin)) = repo.shared_hooks_path() {
        eprintln!(
            "note: {} is core.hooksPath from your {scope} git config ({origin}): these hooks now run for \
             every repository that uses it, not only this one",
            hooks_dir.display()
        );
        eprintln!("hint: for this repository alone: git config core.hooksPath .git/hooks && git kep install");
    }
    Ok(0)
}

pub fn uninstall() -> Result<u8> {
    let repo = open_repo()?;
    let hooks_dir = repo.hooks_dir()?;
    match detect_manager(&repo, &hooks_dir) {
        Some(Manager::Husky { user_dir }) => return uninstall_from_husky(&user_dir),
        // Its hooks are lefthook's; any of ours from before lefthook came are removed below.
        Some(Manager::Lefthook { config }) => {
            eprintln!("lefthook manages the hooks here: remove git-kep's commands from {}", config.display());
        }
        None => {}
    }
    if let Some((scope, origin)) = repo.shared_hooks_path() {
        eprintln!(
            "note: {} is core.hooksPath from your {scope} git config ({origin}): removing git-kep's hooks \
             there removes them for every repository that uses it",
            hooks_dir.display()
        );
    }
    let mut removed_any = false;
    for hook in &HOOKS {
        let path = hooks_dir.join(hook.name);
        let backup = backup_path(&path);
        let has_backup = fs::symlink_metadata(&backup).is_ok();
        match inspect(&path, hook) {
            Found::Current | Found::Older => {
                if has_backup {
                    // Renamed back: the hook it replaced returns byte for byte, with its mode
                    // (a tracked hook under core.hooksPath shows as unmodified again).
                    fs::rename(&backup, &path)
                        .map_err(|err| Error::context(format!("cannot restore {}", backup.display()), err))?;
                    eprintln!("Removed the git-kep {} hook and restored the one it replaced", hook.name);
                } else {
                    fs::remove_file(&path)
                        .map_err(|err| Error::context(format!("cannot remove {}", path.display()), err))?;
                    eprintln!("Removed the git-kep {} hook from {}", hook.name, path.display());
                }
                removed_any = true;
            }
            Found::Foreign { runs_git_kep } => {
                let how = if runs_git_kep { "; remove its `git-kep` line yourself" } else { "" };
                eprintln!("{} is not git-kep's hook; left unchanged{how}", path.display());
                if has_backup {
                    eprintln!("{} (a hook git-kep once replaced) is left beside it", backup.display());
                }
            }
            Found::Nothing if has_backup => {
                fs::rename(&backup, &path)
                    .map_err(|err| Error::context(format!("cannot restore {}", backup.display()), err))?;
                eprintln!("Restored the {} hook git-kep had replaced", hook.name);
                removed_any = true;
            }
            Found::Nothing => {}
        }
    }
    if !removed_any {
        eprintln!("No git-kep hook is installed");
    }
    Ok(0)
}

/// Without `kep.layout` or `kep.dir` anywhere, the layout `git kep init` detects is saved in the
/// repository's own git config: the hook runs on every commit and never scans the tree.
fn save_detected_layout(repo: &Repo) -> Result<()> {
    let layers = repo.config_layers()?;
    let configured = [crate::config::KEY_LAYOUT, crate::config::KEY_DIR]
        .iter()
        .map(|key| layers.get(key))
        .collect::<Result<Vec<_>>>()?
        .iter()
        .any(Option::is_some);
    let Some(workdir) = repo.workdir() else { return Ok(()) };
    if configured {
        return Ok(());
    }
    let detected = super::detect_layout(repo, workdir)?;
    if !detected.found_any() {
        return Ok(());
    }
    let settings = detected.settings();
    for (key, value) in &settings {
        let saved = format!("kep.detected.{}", key.strip_prefix("kep.").unwrap_or(key));
        repo.write_config(None, &saved, value)?;
    }
    let shown: Vec<String> = settings.iter().map(|(key, value)| format!("{key} = {value}")).collect();
    eprintln!(
        "Saved the layout `git kep init` detects in .git/config (kep.detected.*: {}), below any setting; \
         commit one for everyone with `git kep init`",
        shown.join(", ")
    );
    Ok(())
}

fn open_repo() -> Result<Repo> {
    match Repo::open()? {
        Some(repo) if !repo.is_bare() => Ok(repo),
        Some(_) => Err(Error::new("this is a bare repository: there are no commits to hook into here")
            .hint("with a work tree elsewhere: git --git-dir=DIR --work-tree=PATH kep install")),
        None => Err(Error::new("not inside a git repository").hint("cd into your proposals repository first")),
    }
}

fn write_executable(path: &Path, content: &[u8]) -> Result<()> {
    let write = || -> std::io::Result<()> {
        let dir = path.parent().unwrap_or(Path::new("."));
        let temp = crate::interrupt::TempFile::new_in(tempfile::Builder::new().prefix(".git-kep-"), dir)?;
        fs::write(temp.path(), content)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(temp.path(), fs::Permissions::from_mode(0o755))?;
        }
        temp.persist(path, false)
    };
    write().map_err(|err| Error::context(format!("cannot write {}", path.display()), err))
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha1::{Digest, Sha1};

    /// The SHA-1 (`sha1sum`) of every hook body git-kep shipped: editing `hooks/` without keeping the
    /// old body in the `SHIPPED_*` lists fails here (and would turn users' installed hooks into
    /// "foreign" ones).
    const SHIPPED_IDS: &[(&str, &str)] = &[
        ("pre-commit", "6abc789819efc4a0a0385b0250924b8565b62af8"),
        ("pre-commit", "6648f00cd380e17e51f275ab8db150e453e46b16"),
        ("pre-merge-commit", "2356d216fb63db4b8888b1ea3f2404126be355cb"),
        ("pre-merge-commit", "4b5cb8dcd3cca67205e26b0999eb716dff3af1ca"),
        ("post-rewrite", "18ae1e38427e9e448510504dd8c1663684240028"),
    ];

    fn sha1_hex(bytes: &[u8]) -> String {
        Sha1::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn every_shipped_body_is_kept_and_recognised() {
        for (name, id) in SHIPPED_IDS {
            let hook = HOOKS.iter().find(|h| h.name == *name).unwrap();
            assert!(hook.shipped.iter().any(|body| sha1_hex(body.as_bytes()) == *id), "{name} {id} is not kept");
            assert!(hook.shipped.contains(&hook.content), "{name}: the current body is shipped");
            let dir = tempfile::tempdir().unwrap();
            for body in hook.shipped {
                let path = dir.path().join(name);
                fs::write(&path, body).unwrap();
                assert!(matches!(inspect(&path, hook), Found::Current | Found::Older));
                fs::write(&path, format!("# mine\n{body}")).unwrap();
                assert_eq!(inspect(&path, hook), Found::Foreign { runs_git_kep: true });
            }
        }
    }

    #[test]
    fn a_line_that_runs_git_kep_is_told_from_a_comment_or_another_command() {
        assert!(runs_git_kep("#!/bin/sh\nexec git-kep pre-commit \"$@\"\n", "pre-commit"));
        assert!(runs_git_kep("npx lint && git kep pre-commit\n", "pre-commit"));
        assert!(!runs_git_kep("# git-kep pre-commit hook\n", "pre-commit"));
        assert!(!runs_git_kep("git-kep pre-commit-check\n", "pre-commit"));
        assert!(!runs_git_kep("exec git-kep pre-merge-commit\n", "pre-commit"));
    }
}
