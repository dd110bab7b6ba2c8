//! The integration tests: one binary, a real `git` in temporary repositories.

mod corpus;
mod harness;
mod hook;
mod install;
mod properties;
mod toc_cmd;
