//! `git kep install` / `uninstall`: our hooks in the hooks directory git really uses.

use crate::cli::InstallArgs;
use crate::error::{EXIT_FINDINGS, Error, Result};
use crate::git::Repo;
use std::fs;
use std::path::{Path, PathBuf};

/// The pre-commit hook, byte for byte the file in the repository's `hooks/` (they cannot drift).
pub const HOOK: &str = include_str!("../../hooks/pre-commit");
/// The line that marks a pre-commit hook as ours.
pub const HOOK_ID: &str = "# git-kep pre-commit hook";
/// The pre-merge-commit hook: a merge git completes without a conflict never commits a stale TOC.
pub const MERGE_HOOK: &str = include_str!("../../hooks/pre-merge-commit");
pub const MERGE_HOOK_ID: &str = "# git-kep pre-merge-commit hook";

/// A hook git-kep installs.
struct OurHook {
    name: &'static str,
    content: &'static str,
    id: &'static str,
}

const HOOKS: [OurHook; 2] = [
    OurHook { name: "pre-commit", content: HOOK, id: HOOK_ID },
    OurHook { name: "pre-merge-commit", content: MERGE_HOOK, id: MERGE_HOOK_ID },
];

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
const LEFTHOOK_SNIPPET: &str = "pre-commit:\n  commands:\n    git-kep:\n      run: git kep pre-commit\npre-merge-commit:\n  commands:\n    git-kep:\n      run: git kep pre-merge-commit\n";

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
    for hook in &HOOKS {
        let path = hooks_dir.join(hook.name);
        match fs::read(&path) {
            Ok(existing) if existing == hook.content.as_bytes() => {
                eprintln!("The git-kep {} hook is already installed at {}", hook.name, path.display());
            }
            Ok(existing) if is_ours(&existing, hook.id) => to_write.push((hook, path, false)),
            Ok(_) if !args.force => {
                return Err(Error::new(format!(
                    "{} already exists and is not git-kep's hook; nothing was installed",
                    path.display()
                ))
                .hint(format!("add the line `git-kep {}` to that hook yourself, or", hook.name))
                .hint("replace it (it is kept, and `git kep uninstall` puts it back): git kep install --force")
                .exit_code(EXIT_FINDINGS));
            }
            Ok(_) if backup_path(&path).exists() => {
                return Err(Error::new(format!(
                    "{} is not git-kep's hook, and {} already keeps the hook git-kep replaced before; \
                     nothing was installed",
                    path.display(),
                    backup_path(&path).display()
                ))
                .hint("move one of the two away, then run `git kep install --force` again")
                .exit_code(EXIT_FINDINGS));
            }
            Ok(_) => to_write.push((hook, path, true)),
            Err(_) => to_write.push((hook, path, false)),
        }
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
    let mut removed_any = false;
    for hook in &HOOKS {
        let path = hooks_dir.join(hook.name);
        let backup = backup_path(&path);
        match fs::read(&path) {
            Ok(existing) if is_ours(&existing, hook.id) => {
                if backup.exists() {
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
            Ok(_) => eprintln!("{} is not git-kep's hook; left unchanged", path.display()),
            Err(_) if backup.exists() => {
                fs::rename(&backup, &path)
                    .map_err(|err| Error::context(format!("cannot restore {}", backup.display()), err))?;
                eprintln!("Restored the {} hook git-kep had replaced", hook.name);
                removed_any = true;
            }
            Err(_) => {}
        }
    }
    if !removed_any {
        eprintln!("No git-kep hook is installed");
    }
    Ok(0)
}

fn is_ours(hook: &[u8], id: &str) -> bool {
    String::from_utf8_lossy(hook).lines().any(|line| line.trim() == id)
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
        let temp = tempfile::Builder::new().prefix(".git-kep-").tempfile_in(dir)?;
        fs::write(temp.path(), content)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(temp.path(), fs::Permissions::from_mode(0o755))?;
        }
        temp.persist(path).map_err(|err| err.error)?;
        Ok(())
    };
    write().map_err(|err| Error::context(format!("cannot write {}", path.display()), err))
}
