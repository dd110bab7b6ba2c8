use super::*;
use crate::toc::github_view;

/// The same-document rewrite of `after` for the renames from `before`.
fn follow(before: &str, after: &str) -> Rewritten {
    let (old, new) = (github_view(before), github_view(after));
    rewrite(after, &renames(&old, &new), &Anchors::of(&new), Scope::SameDocument, &[])
}

fn text(rewritten: &Rewritten) -> &str {
    rewritten.text.as_deref().expect("a rewrite")
}

#[test]
fn only_the_destination_changes_never_the_link_text() {
    let before = "# A\n\n## Design Details\n\n[go to (#design-details)](#design-details)\n";
    let after = before.replace("## Design Details", "## Design");
    let done = follow(before, &after);
    assert_eq!(text(&done), after.replace("](#design-details)", "](#design)"));
    assert_eq!(done.edits.len(), 1);
}

#[test]
fn a_reference_definition_keeps_its_label() {
    let before = "## Design Details\n\n[x][#design-details label]\n\n[#design-details label]: #design-details\n";
    let after = before.replacen("## Design Details", "## Design", 1);
    let done = follow(before, &after);
    assert_eq!(text(&done), after.replace("label]: #design-details", "label]: #design"));
}

#[test]
fn an_image_inside_a_link_and_the_link_both_follow() {
    let before = "## X\n\n[![img](#x)](#x)\n";
    let done = follow(before, "## Y\n\n[![img](#x)](#x)\n");
    assert_eq!(text(&done), "## Y\n\n[![img](#y)](#y)\n");
}

#[test]
fn an_escaped_destination_is_rewritten_where_it_is_and_code_is_never_touched() {
    let before = "## Test_Plan\n\n[plan](#test\\_plan)\n\n```sh\necho hi  #test_plan\n```\n\n`#test_plan`\n";
    let after = before.replacen("## Test_Plan", "## Testing", 1);
    let done = follow(before, &after);
    assert_eq!(text(&done), after.replace("(#test\\_plan)", "(#testing)"));
    // Entities decode too; the bytes before the fragment stay as written.
    let before = "## Ünder\n\n[u](&#35;&#252;nder) [v](<#&uuml;nder> \"t\")\n";
    let done = follow(before, &before.replacen("## Ünder", "## Over", 1));
    assert_eq!(text(&done), "## Over\n\n[u](&#35;over) [v](<#over> \"t\")\n");
}

#[test]
fn html_links_follow_and_comments_do_not() {
    let before = "## Old\n\n<a href=\"#old\">inline</a>\n\n<p><a class=x href='#old'>block</a></p>\n\n<!-- <a href=\"#old\"> -->\n";
    let after = before.replacen("## Old", "## New", 1);
    let done = follow(before, &after);
    let expected = after.replace("href=\"#old\">inline", "href=\"#new\">inline").replace("href='#old'", "href='#new'");
    assert_eq!(text(&done), expected);
}

#[test]
fn an_explicit_id_still_resolves_so_its_links_stay() {
    let before = "<a id=\"old\"></a>\n\n## Old\n\n[it](#old) [name](#older)\n\n<a name=\"older\"></a>\n";
    let after = before.replacen("## Old", "## New", 1);
    assert_eq!(follow(before, &after), Rewritten::default());
}

#[test]
fn duplicates_follow_their_heading_through_the_counter() {
    let before = "## Foo\n\n## Foo\n\n[first](#foo) [second](#foo-1)\n";
    let after = before.replacen("## Foo", "## Bar", 1);
    let done = follow(before, &after);
    assert_eq!(text(&done), "## Bar\n\n## Foo\n\n[first](#bar) [second](#foo)\n");
    // One of two duplicates removed: which one is not known; nothing changes, and it is said.
    let after = "## Foo\n\n[first](#foo) [second](#foo-1)\n";
    let done = follow(before, after);
    assert_eq!(done.text, None);
    assert_eq!(done.left.len(), 1, "{done:?}");
    assert_eq!(done.left[0].anchor, "foo-1");
    assert!(matches!(&done.left[0].why, Why::Unclear(candidates) if candidates == &["foo".to_owned()]));
}

#[test]
fn a_split_is_unclear_and_a_removed_heading_is_not_a_rename() {
    let before = "## Design\n\n[d](#design)\n";
    let done = follow(before, "## Design One\n\n## Design Two\n\n[d](#design)\n");
    assert_eq!(done.text, None);
    assert!(matches!(&done.left[0].why, Why::Unclear(c) if c.len() == 2));
    assert_eq!(follow(before, "[d](#design)\n"), Rewritten::default());
}

#[test]
fn a_toc_body_is_left_to_its_own_engine() {
    let before = "<!-- toc -->\n- [Old](#old)\n<!-- /toc -->\n\n## Old\n\n[x](#old)\n";
    let after = before.replacen("## Old", "## New", 1);
    let (old, new) = (github_view(before), github_view(&after));
    let toc = 13..27;
    assert_eq!(&after[toc.clone()], "- [Old](#old)\n");
    let done = rewrite(&after, &renames(&old, &new), &Anchors::of(&new), Scope::SameDocument, &[toc]);
    assert_eq!(text(&done), after.replace("[x](#old)", "[x](#new)"));
}

#[test]
fn links_from_another_file_follow_only_to_that_file() {
    let (old, new) = (github_view("## Design Details\n"), github_view("## Design\n"));
    let linking = "[../001-a/README.md#design-details](../001-a/README.md#design-details)\n[b](../002-b/README.md#design-details)\n";
    let names_target = |path: &str| path == "../001-a/README.md";
    let done = rewrite(linking, &renames(&old, &new), &Anchors::of(&new), Scope::File(&names_target), &[]);
    assert_eq!(
        text(&done),
        "[../001-a/README.md#design-details](../001-a/README.md#design)\n[b](../002-b/README.md#design-details)\n"
    );
}

#[test]
fn a_new_anchor_missing_from_this_version_leaves_the_link() {
    let renamed = Renames { moved: vec![("old".into(), "new".into())], unclear: vec![] };
    let here = github_view("## Other\n\n[x](#old)\n");
    let done = rewrite("## Other\n\n[x](#old)\n", &renamed, &Anchors::of(&here), Scope::SameDocument, &[]);
    assert_eq!(done.text, None);
    assert_eq!(done.left[0].why, Why::NotInThisVersion("new".into()));
}

#[test]
fn an_unchanged_outline_renames_nothing() {
    let view = github_view("# A\n## B\n## B\n");
    assert_eq!(renames(&view, &view), Renames::default());
    // Added headings shift no anchor: nothing moved.
    assert_eq!(renames(&view, &github_view("# A\n## New\n## B\n## B\n")), Renames::default());
}

#[test]
fn a_bare_hash_is_the_top_of_the_page_and_a_form_feed_is_white_space() {
    // Found by fuzzing: an empty heading has an empty anchor, which `#` alone does not link to.
    assert_eq!(follow("#\n\n[top](#)\n", "## Foo\n\n[top](#)\n"), Rewritten::default());
    let before = "## Old\n\n[l]\n\n[l]: \u{c}#old\n";
    let done = follow(before, &before.replacen("## Old", "## New", 1));
    assert_eq!(text(&done), "## New\n\n[l]\n\n[l]: \u{c}#new\n");
}
