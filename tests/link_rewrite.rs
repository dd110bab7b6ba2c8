//! The link rewrite through real commits: a heading renamed in a commit takes the proposal's
//! links along, changing only link destinations, decided for each version of the text.

use crate::harness::{TestRepo, stderr, stdout};

const KEP: &str = "proposals/001-first/README.md";

/// A proposal with markers (kept fresh by the hook) and `body` after its title, committed.
fn committed(body: &str) -> TestRepo {
    let repo = TestRepo::with_hook();
    repo.write(KEP, format!("# My Proposal\n\n<!-- toc -->\n<!-- /toc -->\n\n{body}"));
    repo.git(&["add", KEP]);
    repo.ok(repo.git_in(&repo.path(), &["commit", "-q", "-m", "proposal"]));
    repo
}

fn head(repo: &TestRepo) -> String {
    String::from_utf8(repo.show(&format!("HEAD:{KEP}"))).unwrap()
}

/// Stages `from` replaced by `to` in the committed proposal and commits it through the hook.
fn commit_rename(repo: &TestRepo, from: &str, to: &str) -> String {
    let renamed = head(repo).replacen(from, to, 1);
    assert_ne!(renamed, head(repo), "{from} is in the proposal");
    repo.write(KEP, &renamed);
    repo.git(&["add", KEP]);
    stderr(&repo.ok(repo.git_in(&repo.path(), &["commit", "-q", "-m", "rename"])))
}

/// The part of the committed proposal after its TOC.
fn after_toc(text: &str) -> &str {
    &text[text.find("<!-- /toc -->\n").unwrap() + 14..]
}

#[test]
fn an_unstaged_valid_link_in_the_work_tree_is_left_as_written() {
    let repo = committed("## Old\n\nText, [see](#old).\n");
    let renamed = head(&repo).replace("## Old", "## New");
    repo.write(KEP, &renamed);
    repo.git(&["add", KEP]);
    // Unstaged: a new `## Old` section and a link to it, valid in the work tree.
    let work = format!("{renamed}\n## Old\n\n[back](#old)\n");
    repo.write(KEP, &work);
    repo.ok(repo.git_in(&repo.path(), &["commit", "-q", "-m", "rename"]));
    assert!(
        head(&repo).contains("## New\n\nText, [see](#new).\n") && !head(&repo).contains("[back]"),
        "{}",
        head(&repo)
    );
    let now = repo.read_string(KEP);
    assert!(now.contains("\n## Old\n\n[back](#old)\n"), "the unstaged link was changed: {now}");
    // `#old` resolves in the work-tree text (to its new section): every link there stays.
    assert_eq!(after_toc(&now), after_toc(&work), "only the TOC of the work-tree copy is the hook's");
    assert_eq!(String::from_utf8(repo.staged(KEP)).unwrap(), head(&repo));
}

#[test]
fn a_link_whose_text_holds_the_fragment_gets_its_destination_rewritten() {
    let repo = committed("## Design Details\n\n[go to (#design-details)](#design-details)\n");
    let err = commit_rename(&repo, "## Design Details", "## Design");
    assert!(after_toc(&head(&repo)).ends_with("\n[go to (#design-details)](#design)\n"), "{}", head(&repo));
    assert!(err.contains("pointed 1 link at renamed headings"), "{err}");
}

#[test]
fn a_reference_definition_keeps_its_label() {
    let repo =
        committed("## Design Details\n\nSee [x][#design-details label].\n\n[#design-details label]: #design-details\n");
    commit_rename(&repo, "## Design Details", "## Design");
    assert_eq!(
        after_toc(&head(&repo)),
        "\n## Design\n\nSee [x][#design-details label].\n\n[#design-details label]: #design\n"
    );
}

#[test]
fn an_image_inside_a_link_and_the_outer_link_both_follow() {
    let repo = committed("## X\n\n[![img](#x)](#x)\n");
    commit_rename(&repo, "## X", "## Why");
    assert_eq!(after_toc(&head(&repo)), "\n## Why\n\n[![img](#why)](#why)\n");
}

#[test]
fn an_escaped_destination_is_rewritten_in_place_and_code_is_never_touched() {
    let repo = committed("## Test Plan\n\n[plan](#test\\_plan)\n\n```sh\necho hi  #test_plan\n```\n");
    // `Test Plan` and `Test_Plan` share an anchor: the escaped link resolves before the rename.
    let repo_text = head(&repo).replace("## Test Plan", "## Test_Plan");
    repo.write(KEP, &repo_text);
    repo.git(&["add", KEP]);
    repo.ok(repo.git_in(&repo.path(), &["commit", "-q", "-m", "underscore"]));
    commit_rename(&repo, "## Test_Plan", "## Testing");
    assert_eq!(after_toc(&head(&repo)), "\n## Testing\n\n[plan](#testing)\n\n```sh\necho hi  #test_plan\n```\n");
}

#[test]
fn an_explicit_anchor_keeps_its_links() {
    let repo = committed("<a id=\"old\"></a>\n\n## Old\n\n[it](#old) [named](#kept)\n\n<a name=\"kept\"></a>\n");
    let err = commit_rename(&repo, "## Old", "## New");
    assert!(after_toc(&head(&repo)).contains("[it](#old) [named](#kept)"), "{}", head(&repo));
    assert!(!err.contains("pointed"), "{err}");
}

#[test]
fn duplicate_headings_follow_their_heading_or_are_named() {
    let repo = committed("## Foo\n\nOne.\n\n## Foo\n\nTwo.\n\n[first](#foo) [second](#foo-1)\n");
    let err = commit_rename(&repo, "## Foo", "## Bar");
    assert!(after_toc(&head(&repo)).contains("[first](#bar) [second](#foo)"), "{}", head(&repo));
    assert!(err.contains("pointed 2 links at renamed headings"), "{err}");

    // Two alike again, then one of them removed: which one went cannot be told.
    let repo = committed("## Foo\n\n## Foo\n\n[first](#foo) [second](#foo-1)\n");
    let err = commit_rename(&repo, "## Foo\n\n## Foo\n", "## Foo\n");
    assert!(after_toc(&head(&repo)).contains("[first](#foo) [second](#foo-1)"), "{}", head(&repo));
    assert!(
        err.contains(&format!("{KEP}:11: a link to #foo-1: its heading's new name is unclear (candidates: #foo)")),
        "{err}"
    );
}

#[test]
fn a_heading_added_beside_its_twin_is_named_not_silently_followed() {
    let repo = committed("## Goals\n\nText.\n\n[goals](#goals)\n");
    // A new `## Goals` before the old one: the old one is `#goals-1` now.
    let err = commit_rename(&repo, "## Goals\n", "## Goals\n\nNew.\n\n## Goals\n");
    // Which of the two is the old one cannot be told from the outline: left, and said.
    assert!(after_toc(&head(&repo)).ends_with("[goals](#goals)\n"), "{}", head(&repo));
    assert!(
        err.contains("a link to #goals: its heading's new name is unclear (candidates: #goals, #goals-1)"),
        "{err}"
    );
}

#[test]
fn fix_rewrites_the_destination_not_the_link_text() {
    let repo = TestRepo::with_hook();
    let other = "proposals/002-other/README.md";
    repo.write(KEP, "# A\n\n## Design Details\n");
    repo.write(other, "# B\n\n[../001-first/README.md#design-details](../001-first/README.md#design-details)\n");
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "--no-verify", "-m", "two"]);
    repo.write(KEP, "# A\n\n## Design\n");
    repo.git(&["commit", "-q", "--no-verify", "-am", "rename"]);
    let fixed = repo.ok(repo.kep(&["fix", "--since", "HEAD~1"]));
    assert!(stdout(&fixed).contains("fixed: linked to #design-details, renamed to #design"), "{}", stdout(&fixed));
    assert_eq!(
        repo.read_string(other),
        "# B\n\n[../001-first/README.md#design-details](../001-first/README.md#design)\n"
    );
    let again = repo.kep(&["fix", "--since", "HEAD~1", "--check"]);
    assert_eq!(again.status.code(), Some(0), "{}", stdout(&again));
}

#[test]
fn links_followed_in_a_proposal_without_a_toc_are_said_as_such() {
    let repo = TestRepo::with_hook();
    repo.write(KEP, "# My Proposal\n\n## Old\n\nText, [see](#old).\n");
    repo.git(&["add", KEP]);
    repo.ok(repo.git_in(&repo.path(), &["commit", "-q", "-m", "proposal"]));
    let err = commit_rename(&repo, "## Old", "## New");
    assert_eq!(head(&repo), "# My Proposal\n\n## New\n\nText, [see](#new).\n");
    assert!(err.contains("pointed 1 link at renamed headings"), "{err}");
    assert!(!err.contains("table of contents"), "no TOC was refreshed: {err}");
}
