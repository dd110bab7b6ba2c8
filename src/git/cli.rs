//! Repositories libgit2 cannot open (SHA-256 objects, reftable refs, extensions newer than it):
//! what the hook needs of them, asked of git itself.

use super::{GitFailure, ObjectFormat, ObjectId, StagedChanges, StagedFile};
use crate::error::{Error, Result};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A repository as git itself describes it.
#[derive(Debug)]
pub struct GitOnly {
    pub git_dir: PathBuf,
    pub common_dir: PathBuf,
    pub workdir: Option<PathBuf>,
    pub format: ObjectFormat,
    /// Why libgit2 could not open it, for the commands that need libgit2.
    pub why: String,
}

impl GitOnly {
    /// The repository git's environment (or the current directory) names; `None` where git
    /// finds none either.
    pub fn open(why: String) -> Result<Option<GitOnly>> {
        let args = ["rev-parse", "--absolute-git-dir", "--git-common-dir", "--is-bare-repository"];
        let Ok(described) = run(None, &args, &[]) else { return Ok(None) };
        let mut lines = described.lines();
        let (Some(git_dir), Some(common_dir), Some(bare)) = (lines.next(), lines.next(), lines.next()) else {
            return Err(Error::new(format!("cannot read `git rev-parse` output: {described:?}")));
        };
        let git_dir = PathBuf::from(git_dir);
        let common_dir = git_dir.join(common_dir);
        let workdir = match bare {
            "true" => None,
            _ => Some(PathBuf::from(run(None, &["rev-parse", "--show-toplevel"], &[])?.trim_end_matches('\n'))),
        };
        let format = match run(None, &["rev-parse", "--show-object-format"], &[])?.trim() {
            "sha256" => ObjectFormat::Sha256,
            _ => ObjectFormat::Sha1,
        };
        Ok(Some(GitOnly { git_dir, common_dir, workdir, format, why }))
    }

    /// Runs git at the top of the work tree (the git directory in a bare repository).
    pub fn git(&self, args: &[&str], input: &[u8]) -> Result<String, GitFailure> {
        run(Some(self.workdir.as_deref().unwrap_or(&self.git_dir)), args, input)
    }

    /// git's config as `git config --list` shows it (every scope), in order.
    pub fn config_list(&self) -> Result<Vec<(String, String)>> {
        let listed = self.git(&["config", "--list", "-z"], &[])?;
        Ok(listed
            .split('\0')
            .filter(|item| !item.is_empty())
            .map(|item| match item.split_once('\n') {
                Some((key, value)) => (key.to_owned(), value.to_owned()),
                None => (item.to_owned(), "true".to_owned()),
            })
            .collect())
    }

    /// `Repo::staged_changes` asked of git: `git diff-index --cached` against HEAD (or HEAD's
    /// parent when amending), every entry on an unborn branch.
    pub fn staged_changes(&self, prefix: &str, amending: bool) -> Result<StagedChanges> {
        let pathspec = format!(":(top,literal){prefix}");
        let rev = if amending { "HEAD^^{commit}" } else { "HEAD^{commit}" };
        let base = self.git(&["rev-parse", "--verify", "-q", rev], &[]).ok();
        // Asked of git, deletions included, below.
        let mut changes = StagedChanges { needs_git_to_write: true, dir_changed: true, ..StagedChanges::default() };
        let Some(base) = base else {
            // No commit to compare with: every entry is new.
            let listing = self.git(&["ls-files", "--stage", "-z", "--", &pathspec], &[])?;
            for row in listing.split('\0').filter(|row| !row.is_empty()) {
                let (meta, path) = row.split_once('\t').ok_or_else(|| unreadable("ls-files", row))?;
                let fields: Vec<&str> = meta.split(' ').collect();
                let [mode, id, stage] = fields[..] else { return Err(unreadable("ls-files", row)) };
                if stage != "0" {
                    changes.conflicted.push(path.to_owned());
                    continue;
                }
                let mode = u32::from_str_radix(mode, 8).map_err(|_| unreadable("ls-files", row))?;
                let blob = ObjectId::from_hex(id).ok_or_else(|| unreadable("ls-files", row))?;
                changes.files.push(StagedFile { path: path.to_owned(), mode, blob, base: None });
            }
            changes.conflicted.dedup();
            return Ok(changes);
        };
        // Renames too (git's detection): a moved proposal is compared with its old path's blob.
        let args = ["diff-index", "--cached", "-z", "-M", "--diff-filter=AMTUR", base.trim(), "--", &pathspec];
        let listing = self.git(&args, &[])?;
        let mut fields = listing.split('\0');
        while let Some(meta) = fields.next().filter(|meta| !meta.is_empty()) {
            let parts: Vec<&str> = meta.trim_start_matches(':').split(' ').collect();
            let [old_mode, mode, old_id, id, status] = parts[..] else { return Err(unreadable("diff-index", meta)) };
            let mut path = fields.next().ok_or_else(|| unreadable("diff-index", meta))?;
            if status.starts_with('R') {
                // `R<score>`: the old path, then the new one.
                path = fields.next().ok_or_else(|| unreadable("diff-index", meta))?;
            }
            if status == "U" {
                changes.conflicted.push(path.to_owned());
                continue;
            }
            let mode = u32::from_str_radix(mode, 8).map_err(|_| unreadable("diff-index", meta))?;
            let blob = ObjectId::from_hex(id).ok_or_else(|| unreadable("diff-index", meta))?;
            let regular_before = u32::from_str_radix(old_mode, 8).is_ok_and(super::is_regular_file);
            let base = ObjectId::from_hex(old_id).filter(|_| regular_before);
            changes.files.push(StagedFile { path: path.to_owned(), mode, blob, base });
        }
        Ok(changes)
    }

    pub fn blob_size(&self, id: ObjectId) -> Result<usize> {
        let size = self.git(&["cat-file", "-s", &id.to_string()], &[])?;
        size.trim().parse().map_err(|_| unreadable("cat-file", &size))
    }

    pub fn read_blob(&self, id: ObjectId) -> Result<Vec<u8>> {
        let output = Command::new("git")
            .args(["cat-file", "blob", &id.to_string()])
            .current_dir(self.workdir.as_deref().unwrap_or(&self.git_dir))
            .stdin(Stdio::null())
            .output()
            .map_err(|err| Error::context("could not run git", err))?;
        if !output.status.success() {
            return Err(Error::new(format!("git cat-file: {}", String::from_utf8_lossy(&output.stderr).trim_end())));
        }
        Ok(output.stdout)
    }

    /// The message for a command that needs libgit2 here.
    pub fn unsupported(&self) -> Error {
        Error::new(format!("git-kep cannot do this in this repository yet: {}", self.why))
            .hint("the pre-commit hook, `git kep toc` and `git kep check` on files work here")
    }
}

fn unreadable(command: &str, text: &str) -> Error {
    Error::new(format!("cannot read `git {command}` output: {text:?}"))
}

/// Runs git (in `cwd`, else here) with git's environment, `input` on its stdin.
pub(super) fn run(cwd: Option<&Path>, args: &[&str], input: &[u8]) -> Result<String, GitFailure> {
    run_for_bytes(cwd, args, input).map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
}

/// `run`, its output as bytes (a blob's content).
pub(super) fn run_for_bytes(cwd: Option<&Path>, args: &[&str], input: &[u8]) -> Result<Vec<u8>, GitFailure> {
    use std::io::Write;
    let failure = |stderr: String| GitFailure { command: args.first().copied().unwrap_or_default().to_owned(), stderr };
    let mut command = Command::new("git");
    command.args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    if let Some(cwd) = cwd {
        command.current_dir(cwd);
    }
    let mut child = command.spawn().map_err(|err| failure(format!("could not run git: {err}")))?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(input).map_err(|err| failure(format!("could not write to git: {err}")))?;
    }
    let output = child.wait_with_output().map_err(|err| failure(format!("could not run git: {err}")))?;
    if !output.status.success() {
        return Err(failure(String::from_utf8_lossy(&output.stderr).trim_end().to_owned()));
    }
    Ok(output.stdout)
}
