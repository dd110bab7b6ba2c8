//! The integration tests: one binary, a real `git` in temporary repositories.

mod check_cmd;
mod completion;
mod corpus;
mod doctoc_oracle;
mod faults;
mod field;
mod foreign_tocs;
mod harness;
mod hook;
mod index_hook;
mod index_patch;
mod init_cmd;
mod install;
mod link_rewrite;
mod markdown_toc_oracle;
mod mdtoc_oracle;
mod new_cmd;
mod oracle;
mod packaging;
mod properties;
mod safety;
mod toc_cmd;
mod toc_styles_hook;
