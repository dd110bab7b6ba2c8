//! The repository's proposal template: its files, and the sections it requires.

use crate::config::{KEY_TEMPLATE, Settings};
use crate::error::{EXIT_FINDINGS, Error, Result};
use crate::proposal::check::{self, RequiredSection};
use crate::proposal::scaffold::BUILTIN_TEMPLATE;
use std::fs;
use std::path::{Path, PathBuf};

/// How messages name the built-in template.
pub const BUILTIN_LABEL: &str = "the built-in template";

/// The template's files (relative path, bytes, executable) and where they came from.
pub type TemplateFiles = Vec<(String, Vec<u8>, bool)>;

/// The template's files and a label for messages: `kep.template`, else a `NNN...` folder of
/// `kep.dir`, else the built-in template. Shared with `check` (its required sections).
pub fn template(workdir: &Path, kep_dir: &Path, settings: &Settings) -> Result<(TemplateFiles, String)> {
    if let Some(configured) = &settings.template {
        let path = workdir.join(configured);
        return if path.is_dir() {
            Ok((read_folder(&path)?, configured.clone()))
        } else if path.is_file() {
            let bytes = fs::read(&path).map_err(|err| Error::context(format!("cannot read {configured}"), err))?;
            Ok((vec![("README.md".to_owned(), bytes, false)], configured.clone()))
        } else {
            Err(refusal(format!("the template {configured} (config {KEY_TEMPLATE}) does not exist")).hint(format!(
                "fix it with `git config {KEY_TEMPLATE} PATH`, or unset it to use the built-in template"
            )))
        };
    }
    if let Ok(entries) = fs::read_dir(kep_dir) {
        let mut folders: Vec<PathBuf> = entries
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()) && e.file_name().to_string_lossy().starts_with("NNN"))
            .map(|e| e.path())
            .collect();
        folders.sort();
        if let Some(folder) = folders.first() {
            let label = folder.strip_prefix(workdir).unwrap_or(folder).display().to_string();
            return Ok((read_folder(folder)?, label));
        }
    }
    Ok((vec![("README.md".to_owned(), BUILTIN_TEMPLATE.as_bytes().to_vec(), false)], BUILTIN_LABEL.to_owned()))
}

/// Every file under a template folder (symlinks and non-files left out), sorted.
fn read_folder(folder: &Path) -> Result<TemplateFiles> {
    let mut files = Vec::new();
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
                let bytes =
                    fs::read(&path).map_err(|err| Error::context(format!("cannot read {}", path.display()), err))?;
                let relative = path.strip_prefix(folder).unwrap_or(&path).to_string_lossy().replace('\\', "/");
                files.push((relative, bytes, is_executable(&path)));
            }
        }
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(files)
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
    let (files, label) = template(workdir, &workdir.join(&settings.dir), settings)?;
    // A repository without a template of its own requires no sections: git-kep's built-in one
    // is a starting point for `new`, not a rule its proposals were written to.
    if label == BUILTIN_LABEL {
        return Ok(Vec::new());
    }
    // Its main document: the only file, or the one named as the layout names proposals' own.
    let main_names: Vec<&str> =
        settings.layout.patterns.iter().filter_map(|p| p.main_file()).chain(["README.md"]).collect();
    let main = if files.len() == 1 {
        files.first()
    } else {
        main_names.iter().find_map(|name| files.iter().find(|(path, _, _)| path.eq_ignore_ascii_case(name)))
    };
    let Some((_, bytes, _)) = main else { return Ok(Vec::new()) };
    Ok(match cache_dir {
        Some(dir) => crate::sections_cache::required_sections(bytes, dir),
        None => check::required_sections(&String::from_utf8_lossy(bytes)),
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
    kep_dir: &Path,
    _sig: &str,
    number: u32,
    stage: &str,
    approver: Option<&str>,
) -> Result<Option<Vec<u8>>> {
    let template_dir = kep_dir.join("prod-readiness/template");
    let Ok(entries) = fs::read_dir(&template_dir) else { return Ok(None) };
    let mut templates: Vec<PathBuf> =
        entries.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == "yaml")).collect();
    templates.sort();
    let Some(template) = templates.first() else { return Ok(None) };
    let text = fs::read_to_string(template)
        .map_err(|err| Error::context(format!("cannot read {}", template.display()), err))?;
    Ok(Some(crate::proposal::scaffold::fill_prr(&text, &number.to_string(), stage, approver).into_bytes()))
}
