//! `git kep install` / `uninstall`: our pre-commit hook in the hooks directory git really uses.

use crate::cli::InstallArgs;
use crate::error::{EXIT_FINDINGS, Error, Result};
use crate::git::Repo;
use std::fs;
use std::path::Path;

/// The hook, byte for byte the file in the repository's `hooks/` (they cannot drift).
pub const HOOK: &str = include_str!("../../hooks/pre-commit");
/// The line that marks a hook as ours.
pub const HOOK_ID: &str = "# git-kep pre-commit hook";

pub fn install(args: &InstallArgs) -> Result<u8> {
    let repo = open_repo()?;
    let hooks_dir = repo.hooks_dir()?;
    let hook = hooks_dir.join("pre-commit");
    let shown = hook.display();
    match fs::read(&hook) {
        Ok(existing) if existing == HOOK.as_bytes() => {
            eprintln!("The git-kep pre-commit hook is already installed at {shown}");
            return Ok(0);
        }
        Ok(existing) if is_ours(&existing) => {}
        Ok(_) if !args.force => {
            return Err(Error::new(format!("{shown} already exists and is not git-kep's hook; left unchanged"))
                .hint("add `git-kep pre-commit` to that hook yourself, or")
                .hint("replace it (a backup is kept): git kep install --force")
                .exit_code(EXIT_FINDINGS));
        }
        Ok(_) => {
            let backup = hooks_dir.join("pre-commit.git-kep-backup");
            fs::copy(&hook, &backup).map_err(|err| Error::context(format!("cannot back up {shown}"), err))?;
            eprintln!("Backed up the existing hook to {}", backup.display());
        }
        Err(_) => {}
    }
    if hooks_dir.exists() && !hooks_dir.is_dir() {
        return Err(Error::new(format!("the hooks directory {} is not a directory", hooks_dir.display()))
            .hint("git takes it from core.hooksPath when that is set: point it at a directory")
            .hint("check with: git config --show-origin core.hooksPath"));
    }
    fs::create_dir_all(&hooks_dir)
        .map_err(|err| Error::context(format!("cannot create {}", hooks_dir.display()), err))?;
    write_executable(&hook, HOOK.as_bytes())?;
    eprintln!("Installed the git-kep pre-commit hook at {shown}");
    Ok(0)
}

pub fn uninstall() -> Result<u8> {
    let repo = open_repo()?;
    let hook = repo.hooks_dir()?.join("pre-commit");
    match fs::read(&hook) {
        Ok(existing) if is_ours(&existing) => {
            fs::remove_file(&hook).map_err(|err| Error::context(format!("cannot remove {}", hook.display()), err))?;
            eprintln!("Removed the git-kep pre-commit hook from {}", hook.display());
            Ok(0)
        }
        Ok(_) => {
            eprintln!("{} is not git-kep's hook; left unchanged", hook.display());
            Ok(0)
        }
        Err(_) => {
            eprintln!("No git-kep pre-commit hook is installed");
            Ok(0)
        }
    }
}

fn is_ours(hook: &[u8]) -> bool {
    String::from_utf8_lossy(hook).lines().any(|line| line.trim() == HOOK_ID)
}

fn open_repo() -> Result<Repo> {
    match Repo::open()? {
        Some(repo) if !repo.is_bare() => Ok(repo),
        Some(_) => Err(Error::new("this is a bare repository: there are no commits to hook into here")),
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
