//! git-kep's settings as git config holds them: `.kepconfig`, git's own config and `git -c`.

use super::{Backend, Repo, not_found_as_none};
use crate::error::{Error, Result};
use std::path::PathBuf;

impl Repo {
    /// The config layers git-kep reads: the committed `.kepconfig` at the work-tree root (in
    /// git-config syntax, like `.gitmodules`), then git's own config (system, global, local),
    /// then what `git -c` passed down (see `ConfigLayers::get`).
    pub fn config_layers(&self) -> Result<ConfigLayers> {
        let kepconfig = match self.workdir().map(|dir| dir.join(KEPCONFIG_FILE)) {
            Some(path) if path.is_file() => Some((git2::Config::open(&path)?, path)),
            _ => None,
        };
        let command_line = command_line_config()?;
        match &self.backend {
            // A snapshot: libgit2 otherwise checks every config file for changes on each key read.
            Backend::Libgit2(repo) => {
                Ok(ConfigLayers { kepconfig, git: Some(repo.config()?.snapshot()?), listed: Vec::new(), command_line })
            }
            Backend::GitOnly(repo) => {
                Ok(ConfigLayers { kepconfig, git: None, listed: repo.config_list()?, command_line })
            }
        }
    }

    /// `user.name <user.email>` from git config, if set.
    /// The author's GitHub handle, `@user`, where git's config names one (`github.user`, which
    /// GitHub's tools read): proposals list their authors so.
    pub fn github_handle(&self) -> Result<Option<String>> {
        let layers = ConfigLayers {
            git: Some(self.lib()?.config()?),
            command_line: command_line_config()?,
            ..ConfigLayers::default()
        };
        let user = layers.get("github.user")?.map(|(value, _)| value);
        Ok(user
            .map(|user| user.trim().trim_start_matches('@').to_owned())
            .filter(|user| !user.is_empty())
            .map(|user| format!("@{user}")))
    }

    pub fn identity(&self) -> Result<Option<String>> {
        // git's config and `git -c`, not .kepconfig: who is writing is not the repository's to say.
        let layers = ConfigLayers {
            git: Some(self.lib()?.config()?),
            command_line: command_line_config()?,
            ..ConfigLayers::default()
        };
        let get = |key: &str| Ok::<_, Error>(layers.get(key)?.map(|(value, _)| value));
        let (name, email) = (get("user.name")?, get("user.email")?);
        Ok(match (name, email) {
            (Some(name), Some(email)) => Some(format!("{name} <{email}>")),
            (Some(name), None) => Some(name),
            (None, Some(email)) => Some(email),
            (None, None) => None,
        })
    }
}

/// The name of the committed config file at the work-tree root.
pub const KEPCONFIG_FILE: &str = ".kepconfig";

/// Config values from `.kepconfig` and git config; git config wins.
#[derive(Default)]
pub struct ConfigLayers {
    kepconfig: Option<(git2::Config, PathBuf)>,
    git: Option<git2::Config>,
    /// git's own config as `git config --list` showed it, where libgit2 cannot read the repository.
    listed: Vec<(String, String)>,
    /// `git -c key=value`, in the order given (the last one of a key wins).
    command_line: Vec<(String, Option<String>)>,
}

/// Where a value `git kep install` saved of the detected layout comes from (`kep.detected.*`).
pub const DETECTED: &str = "the layout `git kep install` detected (.git/config, kep.detected.*)";

impl ConfigLayers {
    /// No repository: only what `git -c` passed down; every other key has its default.
    pub fn none() -> Result<Self> {
        Ok(ConfigLayers { command_line: command_line_config()?, ..Self::default() })
    }

    /// Every `kep.*` key set in any layer, with where (for spotting typos).
    pub fn kep_keys(&self) -> Vec<(String, String)> {
        let mut keys = Vec::new();
        let mut from = |config: &git2::Config, source: &str| {
            if let Ok(mut entries) = config.entries(Some("^kep\\.")) {
                while let Some(Ok(entry)) = entries.next() {
                    if let Ok(name) = entry.name() {
                        keys.push((name.to_owned(), source.to_owned()));
                    }
                }
            }
        };
        if let Some(git) = &self.git {
            from(git, "git config");
        }
        if let Some((file, path)) = &self.kepconfig {
            from(file, &path.display().to_string());
        }
        for (key, _) in &self.listed {
            if key.to_ascii_lowercase().starts_with("kep.") {
                keys.push((key.clone(), "git config".to_owned()));
            }
        }
        for (key, _) in &self.command_line {
            if key.to_ascii_lowercase().starts_with("kep.") {
                keys.push((key.clone(), COMMAND_LINE.to_owned()));
            }
        }
        keys
    }

    /// The value of `key` and where it came from (`git -c`, "git config" or `.kepconfig`'s
    /// path), in git's order of precedence. A `git -c key` without a value reads as `true`.
    pub fn get(&self, key: &str) -> Result<Option<(String, String)>> {
        if let Some((_, value)) = self.command_line.iter().rev().find(|(given, _)| same_config_key(given, key)) {
            return Ok(Some((value.clone().unwrap_or_else(|| "true".to_owned()), COMMAND_LINE.to_owned())));
        }
        if let Some(git) = &self.git
            && let Some(value) = not_found_as_none(git.get_string(key))?
        {
            return Ok(Some((value, "git config".to_owned())));
        }
        if let Some((_, value)) = self.listed.iter().rev().find(|(listed, _)| same_config_key(listed, key)) {
            return Ok(Some((value.clone(), "git config".to_owned())));
        }
        if let Some((file, path)) = &self.kepconfig
            && let Some(value) = not_found_as_none(file.get_string(key))?
        {
            return Ok(Some((value, path.display().to_string())));
        }
        // Lowest of all: what `git kep install` saved of the detected layout (`kep.detected.*`).
        if let Some(rest) = key.strip_prefix("kep.").filter(|rest| !rest.contains('.')) {
            let saved = format!("kep.detected.{rest}");
            if let Some(git) = &self.git
                && let Some(value) = not_found_as_none(git.get_string(&saved))?
            {
                return Ok(Some((value, DETECTED.to_owned())));
            }
            if let Some((_, value)) = self.listed.iter().rev().find(|(listed, _)| same_config_key(listed, &saved)) {
                return Ok(Some((value.clone(), DETECTED.to_owned())));
            }
        }
        Ok(None)
    }
}

/// Where a value from `git -c` came from, as `ConfigLayers::get` names it.
pub const COMMAND_LINE: &str = "git -c";

/// What `git -c` passes down to the commands it runs, as git reads it: `GIT_CONFIG_COUNT` with
/// `GIT_CONFIG_KEY_<n>`/`GIT_CONFIG_VALUE_<n>`, then `GIT_CONFIG_PARAMETERS` (later wins).
fn command_line_config() -> Result<Vec<(String, Option<String>)>> {
    let mut entries = Vec::new();
    if let Some(count) = std::env::var_os("GIT_CONFIG_COUNT") {
        let count = count.to_str().and_then(|c| c.trim().parse::<usize>().ok());
        let count = count.ok_or_else(|| Error::new("GIT_CONFIG_COUNT is not a number"))?;
        for i in 0..count {
            let var = |name: String| {
                std::env::var(&name)
                    .map_err(|_| Error::new(format!("{name} is missing or not UTF-8 (GIT_CONFIG_COUNT is {count})")))
            };
            entries.push((var(format!("GIT_CONFIG_KEY_{i}"))?, Some(var(format!("GIT_CONFIG_VALUE_{i}"))?)));
        }
    }
    if let Some(parameters) = std::env::var_os("GIT_CONFIG_PARAMETERS") {
        let parsed = parameters.to_str().and_then(parse_config_parameters);
        entries
            .extend(parsed.ok_or_else(|| Error::new("cannot read GIT_CONFIG_PARAMETERS (what `git -c` passes down)"))?);
    }
    Ok(entries)
}

/// `GIT_CONFIG_PARAMETERS`: shell-quoted entries separated by spaces, each `'key'='value'`,
/// `'key'=` or `'key'` (no value), or in git's older format `'key=value'`. `None` if malformed.
fn parse_config_parameters(text: &str) -> Option<Vec<(String, Option<String>)>> {
    let mut entries = Vec::new();
    let mut rest = text.trim_start();
    while !rest.is_empty() {
        let (key, after) = sq_dequote_step(rest)?;
        let (entry, after) = match after.strip_prefix('=') {
            Some(value) if value.starts_with('\'') => {
                let (value, after) = sq_dequote_step(value)?;
                ((key, Some(value)), after)
            }
            Some(after) => ((key, None), after),
            None => match key.split_once('=') {
                Some((key, value)) => ((key.to_owned(), Some(value.to_owned())), after),
                None => ((key, None), after),
            },
        };
        if !(after.is_empty() || after.starts_with(char::is_whitespace)) {
            return None;
        }
        entries.push(entry);
        rest = after.trim_start();
    }
    Some(entries)
}

/// One single-quoted word as git's `sq_quote` writes it (`'` inside as `'\''`, `!` as `'\!'`),
/// and what follows it.
fn sq_dequote_step(text: &str) -> Option<(String, &str)> {
    let mut rest = text.strip_prefix('\'')?;
    let mut word = String::new();
    loop {
        let end = rest.find('\'')?;
        word.push_str(&rest[..end]);
        rest = &rest[end + 1..];
        match rest.as_bytes() {
            [b'\\', quoted @ (b'\'' | b'!'), b'\'', ..] => {
                word.push(char::from(*quoted));
                rest = &rest[3..];
            }
            _ => return Some((word, rest)),
        }
    }
}

/// Whether two config keys name the same variable: section and name compare without case, a
/// subsection (between them) with it, as git compares them.
fn same_config_key(a: &str, b: &str) -> bool {
    let parts = |key: &str| -> Option<(String, String, String)> {
        let (section, rest) = key.split_once('.')?;
        let (subsection, name) = rest.rsplit_once('.').unwrap_or(("", rest));
        Some((section.to_ascii_lowercase(), subsection.to_owned(), name.to_ascii_lowercase()))
    };
    matches!((parts(a), parts(b)), (Some(a), Some(b)) if a == b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_parameters_read_as_git_writes_them() {
        // What git 2.47 passed down for: git -c 'kep.dir=a b' -c "x.y=it's" -c flag.only
        // -c Kep.Strict=true -c 'bang.x=hi!' -c 'sub.Case Sensitive.key=1' -c empty.v=
        let given = r"'kep.dir'='a b' 'x.y'='it'\''s' 'flag.only'= 'Kep.Strict'='true' 'bang.x'='hi'\!'' 'sub.Case Sensitive.key'='1' 'empty.v'=''";
        let some = |key: &str, value: &str| (key.to_owned(), Some(value.to_owned()));
        assert_eq!(
            parse_config_parameters(given).unwrap(),
            [
                some("kep.dir", "a b"),
                some("x.y", "it's"),
                ("flag.only".to_owned(), None),
                some("Kep.Strict", "true"),
                some("bang.x", "hi!"),
                some("sub.Case Sensitive.key", "1"),
                some("empty.v", ""),
            ]
        );
        // git's older format, one quoted `key=value` each.
        assert_eq!(
            parse_config_parameters("'kep.dir=keps' 'a.b'").unwrap(),
            [some("kep.dir", "keps"), ("a.b".to_owned(), None)]
        );
        assert_eq!(parse_config_parameters("").unwrap(), []);
        for malformed in ["kep.dir=x", "'kep.dir", "'a'='b", "'a'x", "'a'='b'c"] {
            assert_eq!(parse_config_parameters(malformed), None, "{malformed}");
        }
    }

    #[test]
    fn config_keys_compare_as_git_compares_them() {
        assert!(same_config_key("Kep.TocStyle", "kep.tocstyle"));
        assert!(same_config_key("sub.Case.key", "SUB.Case.KEY"));
        assert!(!same_config_key("sub.Case.key", "sub.case.key"));
        assert!(!same_config_key("kep.dir", "kep.dirs"));
        assert!(!same_config_key("kepdir", "kepdir"));
    }
}
