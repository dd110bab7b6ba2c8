//! What a proposal is, without a repository or a terminal: the files `new` writes (`scaffold`),
//! its metadata (`kep_yaml`, `metadata`), the check rules (`check`), what a change introduces
//! (`introduced`) and links that follow renamed headings (`links`).

pub mod check;
pub mod detect;
pub mod index;
pub mod introduced;
pub mod kep_yaml;
pub mod layout;
pub mod links;
pub mod metadata;
pub mod metadata_rules;
pub mod metadata_sources;
pub mod new_metadata;
pub mod placeholders;
pub mod scaffold;
pub mod stub;
