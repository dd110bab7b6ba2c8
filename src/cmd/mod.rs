//! One module per command: the glue between git, files and the TOC engine; each decides its exit code.

pub mod check;
pub mod docs;
pub mod install;
pub mod list;
pub mod new;
pub mod pre_commit;
pub mod toc;

use crate::cli::TocFlags;
use crate::config::Settings;
use crate::error::Result;
use crate::git::{ConfigLayers, Repo};

/// The repository (if any) and the settings for it.
pub struct Context {
    pub repo: Option<Repo>,
    pub settings: Settings,
}

impl Context {
    pub fn load(flags: &TocFlags) -> Result<Context> {
        let repo = Repo::open()?;
        let layers = match &repo {
            Some(repo) => repo.config_layers()?,
            None => ConfigLayers::none(),
        };
        let settings = Settings::load(&layers, flags)?;
        Ok(Context { repo, settings })
    }
}

/// Prints an error the way every command does: `path:line: message` and `hint:` lines.
pub fn report(err: &crate::error::Error) {
    eprintln!("{err}");
}
