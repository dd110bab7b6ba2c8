//! Proposals as files of the work tree: where they are (`layout`), their template, the files
//! their links reach (`linked`), what the metadata rules read beside them (`metadata`) and the
//! links other files have to them (`cross_links`). Reads (and `cross_links`' caller writes)
//! files, never git; formats no message for people beyond errors.

pub mod cross_links;
pub mod index;
pub mod layout;
pub mod linked;
pub mod metadata;
pub mod template;
