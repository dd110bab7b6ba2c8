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

pub fn install(args: &InstallArgs) -> Result<u8> {
    let repo = open_repo()?;
    let hooks_dir = repo.hooks_dir()?;
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
