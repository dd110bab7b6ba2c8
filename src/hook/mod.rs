//! The pre-commit hook as a pipeline below its command: a pure `plan` for each staged proposal
//! (texts in; new texts, findings, renames and notes out), the `checks` it asks, the `apply`
//! step (git and files) and the `report` (what the author reads); `index` adds the proposal
//! indexes a commit's changes make stale. `cmd::pre_commit` selects the
//! staged proposals, reads their versions and runs the three.

pub mod apply;
pub mod checks;
pub mod index;
pub mod plan;
pub mod report;
