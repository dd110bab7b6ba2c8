//! `git kep new`'s apply step: the branch switched to, the files written and staged (and
//! committed), everything undone if a step fails; and the plan printed for `--dry-run`.

use super::super::write_or_exit_quietly;
use super::Plan;
use crate::error::{EXIT_FINDINGS, Error, Result};
use crate::git::{HeadState, Repo};
use std::fs;
use std::path::Path;

pub(super) fn print_plan(plan: &Plan) {
    let shown = if plan.shown_number.is_empty() { String::new() } else { format!("{} ", plan.shown_number) };
    let mut out = format!("Would create proposal {shown}(dry run, nothing changed):\n");
    if plan.own_folder {
        out.push_str(&format!("  folder:   {}/\n", plan.folder));
    } else {
        out.push_str(&format!("  file:     {}\n", plan.main));
    }
    out.push_str(&format!("  branch:   {}\n", plan.branch));
    out.push_str(&format!("  base:     {}\n", plan.base_label));
    out.push_str(&format!("  template: {}\n", plan.template_label));
    out.push_str("  files:\n");
    for (path, _, _) in &plan.files {
        out.push_str(&format!("    {}\n", joined(&plan.folder, path)));
    }
    if let Some((path, _)) = &plan.prr {
        out.push_str(&format!("    {path}\n"));
    }
    write_or_exit_quietly(&mut std::io::stdout().lock(), out.as_bytes());
}

/// `folder/path` ("" is the work tree's root).
pub(super) fn joined(folder: &str, path: &str) -> String {
    if folder.is_empty() { path.to_owned() } else { format!("{folder}/{path}") }
}

/// The commit message of `--commit`.
pub(super) fn commit_message(plan: &Plan) -> String {
    match plan.shown_number.as_str() {
        "" => format!("Add proposal: {}", plan.title),
        number => format!("Add proposal {number}: {}", plan.title),
    }
}

/// Switches branch, writes and stages the files (and commits), undoing everything on failure.
pub(super) fn apply(repo: &Repo, workdir: &Path, plan: &Plan, commit: bool) -> Result<()> {
    let original = repo.head_state()?;
    let base = match original {
        HeadState::Unborn(_) if plan.base.is_none() => None,
        _ => plan.base,
    };
    repo.switch_to_new_branch(&plan.branch, base).map_err(|err| {
        Error::new(format!("could not create the branch {}: nothing was changed\n{err}", plan.branch))
            .hint("commit or stash your local changes if they conflict with the base, then try again")
            .exit_code(EXIT_FINDINGS)
    })?;
    let mut paths: Vec<String> = plan.files.iter().map(|(path, _, _)| joined(&plan.folder, path)).collect();
    let folder = workdir.join(&plan.folder);
    let prr_path = plan.prr.as_ref().map(|(path, _)| workdir.join(path));
    let prr_existed = prr_path.as_ref().is_some_and(|path| path.exists());
    let write_prr = || -> Result<()> {
        let (Some((_, bytes)), Some(path)) = (&plan.prr, &prr_path) else { return Ok(()) };
        if prr_existed {
            return Err(Error::new(format!("{} already exists", path.display())));
        }
        let parent = path.parent().unwrap_or(workdir);
        fs::create_dir_all(parent).map_err(|err| Error::context(format!("cannot create {}", parent.display()), err))?;
        fs::write(path, bytes).map_err(|err| Error::context(format!("cannot write {}", path.display()), err))
    };
    let mut committed = vec![if plan.own_folder { plan.folder.clone() } else { plan.main.clone() }];
    if let Some((path, _)) = &plan.prr {
        paths.push(path.clone());
        committed.push(path.clone());
    }
    let result = crate::files::write_new_files(&folder, &plan.files)
        .and_then(|()| write_prr())
        .and_then(|()| repo.stage_paths(&paths))
        .and_then(|()| if commit { repo.commit_paths(&commit_message(plan), &committed) } else { Ok(()) });
    if let Err(err) = result {
        let _ = repo.unstage_paths(&paths);
        // Only what `new` made: its own folder, or the one file it wrote.
        if plan.own_folder {
            let _ = fs::remove_dir_all(&folder);
        } else {
            let _ = fs::remove_file(workdir.join(&plan.main));
        }
        if let (Some(path), false) = (&prr_path, prr_existed) {
            let _ = fs::remove_file(path);
        }
        let undone = repo.undo_switch(&original, &plan.branch);
        let mut error = Error::new(format!("could not create the proposal: {err}")).exit_code(EXIT_FINDINGS);
        error = match undone {
            Ok(()) => error.hint("everything was undone: the branch, the files and the index are as before"),
            Err(undo) => error.hint(format!("undoing failed too ({undo}); check `git status` and `git branch`")),
        };
        return Err(error);
    }
    Ok(())
}
