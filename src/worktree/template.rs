//! The repository's proposal template: its files, and the sections it requires.

use crate::config::{KEY_TEMPLATE, Settings};
use crate::error::{EXIT_FINDINGS, Error, Result};
use crate::files;
use crate::proposal::check::{self, RequiredSection};
use crate::proposal::scaffold::BUILTIN_TEMPLATE;
use std::fs;
use std::path::{Path, PathBuf};

/// How messages name the built-in template.
pub const BUILTIN_LABEL: &str = "the built-in template";

/// The template's files (relative path, bytes, executable) and where they came from.
pub type TemplateFiles = Vec<(String, Vec<u8>, bool)>;

/// Where the template is: `kep.template` (a file or a folder), else a `NNN...` folder of
/// `kep.dir`, else the built-in template; with a label for messages. Refused if it leads outside
/// the work tree (a symlink, or a path such as `/usr`): the template's files are copied into
/// new proposals and committed.
enum Location {
    File(PathBuf, String),
    Folder(PathBuf, String),
    Builtin,
}

fn locate(workdir: &Path, kep_dir: &Path, settings: &Settings) -> Result<Location> {
    if let Some(configured) = &settings.template {
        let path = workdir.join(configured);
        return if path.is_dir() {
            files::resolve_inside(&path, workdir)?;
            Ok(Location::Folder(path, configured.clone()))
        } else if path.is_file() {
            files::resolve_inside(&path, workdir)?;
            Ok(Location::File(path, configured.clone()))
        } else {
            Err(refusal(format!("the template {configured} (config {KEY_TEMPLATE}) does not exist")).hint(format!(
                "fix it with `git config {KEY_TEMPLATE} PATH`, or unset it to use the built-in template"
            )))
        };
    }
    if let Ok(entries) = fs::read_dir(kep_dir) {
        // Real folders only: a symlink is not followed.
        let mut folders: Vec<PathBuf> = entries
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()) && e.file_name().to_string_lossy().starts_with("NNN"))
            .map(|e| e.path())
            .collect();
        folders.sort();
        if let Some(folder) = folders.into_iter().next() {
            files::resolve_inside(&folder, workdir)?;
            let label = folder.strip_prefix(workdir).unwrap_or(&folder).display().to_string();
            return Ok(Location::Folder(folder, label));
        }
    }
    Ok(Location::Builtin)
}

/// The template's files and a label for messages (see `Location`), for `new`.
pub fn template(workdir: &Path, kep_dir: &Path, settings: &Settings) -> Result<(TemplateFiles, String)> {
    Ok(match locate(workdir, kep_dir, settings)? {
        Location::Folder(folder, label) => (read_folder(&folder)?, label),
        Location::File(path, label) => {
            (vec![("README.md".to_owned(), read_template_file(&path, &label)?, false)], label)
        }
        Location::Builtin => {
            (vec![("README.md".to_owned(), BUILTIN_TEMPLATE.as_bytes().to_vec(), false)], BUILTIN_LABEL.to_owned())
        }
    })
}

/// A template file: regular, never waited on, no larger than a document.
fn read_template_file(path: &Path, label: &str) -> Result<Vec<u8>> {
    files::read_document(path).map_err(|err| Error::context(format!("cannot read {label}"), err))
}

/// Every file under a template folder (symlinks and non-files left out), sorted.
fn read_folder(folder: &Path) -> Result<TemplateFiles> {
    let mut found = Vec::new();
    let mut pending = vec![folder.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries =
            fs::read_dir(&dir).map_err(|err| Error::context(format!("cannot read {}", dir.display()), err))?;
        for entry in entries.flatten() {
            let Ok(kind) = entry.file_type() else { continue };
            let path = entry.path();
            if kind.is_dir() {
                pending.push(path);
            } else if kind.is_file() {
                let bytes = read_template_file(&path, &path.display().to_string())?;
                let relative = path.strip_prefix(folder).unwrap_or(&path).to_string_lossy().replace('\\', "/");
                found.push((relative, bytes, is_executable(&path)));
            }
        }
    }
    found.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(found)
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(_: &Path) -> bool {
    false
}

/// The template's required sections (its README.md; the built-in template's outside a
/// repository), through the cache in `cache_dir` when given (the hook's: it runs on every commit).
pub fn template_sections(
    settings: &Settings,
    workdir: Option<&Path>,
    cache_dir: Option<&Path>,
) -> Result<Vec<RequiredSection>> {
    let Some(workdir) = workdir else {
        return Ok(check::required_sections(BUILTIN_TEMPLATE));
    };
    // Only the one file whose sections count: a template folder may hold large assets, and the
    // hook asks on every commit. A repository without a template of its own requires no
    // sections: git-kep's built-in one is a starting point for `new`, not a rule its proposals
    // were written to.
    let bytes = match locate(workdir, &workdir.join(&settings.dir), settings)? {
        Location::Builtin => return Ok(Vec::new()),
        Location::File(path, label) => read_template_file(&path, &label)?,
        Location::Folder(folder, label) => {
            // Its main document, named as the layout names proposals' own.
            let names = settings.layout.patterns.iter().filter_map(|p| p.main_file()).chain(["README.md"]);
            let main = names
                .map(|name| (folder.join(name), name))
                .find(|(path, _)| fs::symlink_metadata(path).is_ok_and(|m| m.is_file()));
            let Some((main, name)) = main else { return Ok(Vec::new()) };
            read_template_file(&main, &format!("{label}/{name}"))?
        }
    };
    if settings.section_rule == check::SectionRule::TemplateLint {
        return Ok(check::template_lint_sections(&String::from_utf8_lossy(&bytes)));
    }
    Ok(match cache_dir {
        Some(dir) => crate::sections_cache::required_sections(&bytes, dir),
        None => check::required_sections(&String::from_utf8_lossy(&bytes)),
    })
}

fn refusal(message: impl Into<String>) -> Error {
    Error::new(message).exit_code(EXIT_FINDINGS)
}

/// The production-readiness approval file for a new proposal, from `prod-readiness/template/`
/// (kubernetes/enhancements' layout), filled; `None` where the repository has none.
/// The new proposal's production-readiness file, from `prod-readiness/template/` where the
/// repository has it.
pub fn prr_file(
    (workdir, kep_dir): (&Path, &Path),
    _sig: &str,
    number: u32,
    stage: &str,
    approver: Option<&str>,
) -> Result<Option<Vec<u8>>> {
    let template_dir = kep_dir.join("prod-readiness/template");
    let Ok(entries) = fs::read_dir(&template_dir) else { return Ok(None) };
    // Its own files only: a symlink may lead anywhere, and the file is committed.
    let mut templates: Vec<PathBuf> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    templates.sort();
    let Some(template) = templates.first() else { return Ok(None) };
    files::resolve_inside(template, workdir)?;
    let text = files::read_small_text(template, files::MAX_METADATA_BYTES)
        .map_err(|err| Error::context(format!("cannot read {}", template.display()), err))?;
    Ok(Some(crate::proposal::scaffold::fill_prr(&text, &number.to_string(), stage, approver).into_bytes()))
}
