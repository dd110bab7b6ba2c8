//! The hook's plan, without a repository: versions in, plan out.

use super::*;
use crate::proposal::check::Problem;
use std::cell::RefCell;

/// Checks that find one problem in each version they are asked about, and remember the texts.
#[derive(Default)]
struct Recording {
    seen: RefCell<Vec<String>>,
    fail: bool,
}

impl Checks for Recording {
    fn wants_links(&self) -> bool {
        true
    }

    fn check(&self, path: &str, document: &Document<'_>, base: Option<&Base<'_>>) -> Result<Checked> {
        if self.fail {
            return Err(crate::error::Error::new("the template is missing"));
        }
        self.seen.borrow_mut().push(document.text.to_owned());
        let problem = Problem {
            line: 1,
            column: 1,
            rule: Rule::BrokenAnchor,
            subject: "#x".into(),
            message: format!("base: {}", base.is_some()),
        };
        Ok(Checked { found: vec![(path.to_owned(), problem)], older: vec![(path.to_owned(), 0)] })
    }
}

const STALE: &str = "# T\n\n<!-- toc -->\n<!-- /toc -->\n\n## Old\n\nSee [it](#old).\n";
const FRESH: &str = "# T\n\n<!-- toc -->\n- [T](#t)\n  - [Old](#old)\n<!-- /toc -->\n\n## Old\n\nSee [it](#old).\n";

fn versions<'a>(staged: &'a str, base: Option<&'a str>, worktree: WorkTree<'a>) -> Versions<'a> {
    Versions { path: "p/001-a/README.md", staged, base, worktree }
}

#[test]
fn a_stale_toc_is_refreshed_in_the_index_and_a_clean_work_tree_alike() {
    let checks = Recording::default();
    let planned = plan(&versions(STALE, None, WorkTree::Staged), &TocOptions::default(), &checks).unwrap();
    assert_eq!(planned.new_staged.as_deref(), Some(FRESH));
    assert_eq!(planned.new_worktree.as_deref(), Some(FRESH));
    assert_eq!(planned.links_rewritten, 0);
    // Checked as it will be committed: the refreshed text, with no base to compare with.
    assert_eq!(*checks.seen.borrow(), [FRESH]);
    let found = &planned.checked.as_ref().unwrap().found;
    assert_eq!(found[0].1.message, "base: false");
}

#[test]
fn a_fresh_toc_changes_nothing_and_is_still_checked() {
    let checks = Recording::default();
    let planned = plan(&versions(FRESH, Some(FRESH), WorkTree::Staged), &TocOptions::default(), &checks).unwrap();
    assert_eq!((planned.new_staged, planned.new_worktree), (None, None));
    assert_eq!(*checks.seen.borrow(), [FRESH]);
    assert_eq!(planned.checked.unwrap().found[0].1.message, "base: true");
}

#[test]
fn malformed_markers_refuse_and_checks_that_cannot_run_are_carried() {
    let broken = "# T\n<!-- /toc -->\n<!-- toc -->\n";
    let refused = plan(&versions(broken, None, WorkTree::Staged), &TocOptions::default(), &Recording::default());
    assert!(refused.is_err());
    let failing = Recording { fail: true, ..Recording::default() };
    let planned = plan(&versions(STALE, None, WorkTree::Staged), &TocOptions::default(), &failing).unwrap();
    assert!(planned.checked.is_err());
    assert_eq!(planned.new_staged.as_deref(), Some(FRESH), "a check that cannot run blocks no refresh");
}

#[test]
fn a_rename_takes_the_staged_links_along_and_leaves_a_valid_unstaged_one() {
    let staged = FRESH.replace("## Old", "## New");
    // Unstaged: a new `## Old` section and a link to it.
    let work = format!("{staged}\n## Old\n\n[back](#old)\n");
    let planned =
        plan(&versions(&staged, Some(FRESH), WorkTree::Edited(&work)), &TocOptions::default(), &Recording::default())
            .unwrap();
    assert_eq!(planned.links_rewritten, 1);
    assert_eq!(planned.renames.moved, [("old".to_owned(), "new".to_owned())]);
    let committed = planned.new_staged.unwrap();
    assert!(committed.ends_with("## New\n\nSee [it](#new).\n") && committed.contains("  - [New](#new)\n"));
    let work_after = planned.new_worktree.unwrap();
    assert!(work_after.ends_with("## New\n\nSee [it](#old).\n\n## Old\n\n[back](#old)\n"), "{work_after}");
    assert!(work_after.contains("  - [New](#new)\n  - [Old](#old)\n"), "its own TOC: {work_after}");
}

#[test]
fn what_is_left_is_said_as_notes() {
    // A split: the link's heading is unclear.
    let staged = FRESH.replace("## Old\n", "## Old One\n\n## Old Two\n");
    let planned =
        plan(&versions(&staged, Some(FRESH), WorkTree::Staged), &TocOptions::default(), &Recording::default()).unwrap();
    assert_eq!(planned.links_rewritten, 0);
    assert!(
        matches!(&planned.notes[..], [Note::LinkLeft { line: 12, anchor, why: links::Why::Unclear(c) }] if anchor == "old" && c.len() == 2),
        "{:?}",
        planned.notes
    );
    // An unstaged copy with broken markers is left, and said.
    let work = "# T\n<!-- /toc -->\n<!-- toc -->\n";
    let planned =
        plan(&versions(STALE, None, WorkTree::Edited(work)), &TocOptions::default(), &Recording::default()).unwrap();
    assert_eq!(planned.new_worktree, None);
    assert!(matches!(planned.notes[..], [Note::WorkTreeMarkers { .. }]), "{:?}", planned.notes);
}
