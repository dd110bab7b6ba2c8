use super::*;

fn pattern(source: &str) -> Pattern {
    Pattern::parse(source).unwrap()
}

#[test]
fn every_layout_of_the_field_matches_its_proposals_and_nothing_else() {
    type Case<'a> = (&'a str, &'a str, Option<&'a str>, Option<u64>, Option<&'a str>);
    let cases: [Case<'_>; 8] = [
        (
            "keps/{group}/{number}-{name}/README.md",
            "keps/sig-node/1287-in-place/README.md",
            Some("sig-node"),
            Some(1287),
            Some("in-place"),
        ),
        ("teps/{number}-{name}.md", "teps/0042-custom-tasks.md", None, Some(42), Some("custom-tasks")),
        (
            "docs/proposals/{date}-{name}.md",
            "docs/proposals/20240131-machine-api.md",
            None,
            Some(20240131),
            Some("machine-api"),
        ),
        ("geps/gep-{number}/index.md", "geps/gep-1016/index.md", None, Some(1016), None),
        ("{group}/CFP-{number}-{name}.md", "cilium/CFP-30572-bgp-v2.md", Some("cilium"), Some(30572), Some("bgp-v2")),
        ("enhancements/{group}/{name}.md", "enhancements/network/ovn.md", Some("network"), None, Some("ovn")),
        ("{name}.md", "notes.md", None, None, Some("notes")),
        ("veps/{group}/{number}-{name}/vep.md", "veps/sig-x/21-passt/vep.md", Some("sig-x"), Some(21), Some("passt")),
    ];
    for (source, path, group, number, name) in cases {
        let found = pattern(source).matches(path).unwrap_or_else(|| panic!("{source} {path}"));
        assert_eq!((found.group.as_deref(), found.number, found.name.as_deref()), (group, number, name), "{source}");
    }
    let misses = [
        ("keps/{group}/{number}-{name}/README.md", "keps/sig-node/NNNN-template/README.md"),
        ("keps/{group}/{number}-{name}/README.md", "keps/sig-node/1287-x/kep.yaml"),
        ("keps/{group}/{number}-{name}/README.md", "keps/1287-x/README.md"),
        ("teps/{number}-{name}.md", "teps/0000-template.md"),
        ("teps/{number}-{name}.md", "teps/README.md"),
        ("docs/proposals/{date}-{name}.md", "docs/proposals/2024-machine-api.md"),
        ("geps/gep-{number}/index.md", "geps/gep-x/index.md"),
    ];
    for (source, path) in misses {
        assert_eq!(pattern(source).matches(path), None, "{source} {path}");
    }
    // The folder of a folder proposal; none for a single file.
    let found = pattern("keps/{group}/{number}-{name}/README.md").matches("keps/a/1-b/README.md").unwrap();
    assert_eq!(found.folder.as_deref(), Some("keps/a/1-b"));
    assert_eq!(pattern("teps/{number}-{name}.md").matches("teps/1-b.md").unwrap().folder, None);
}

#[test]
fn a_new_proposal_path_is_rendered_from_the_pattern() {
    let layout =
        Layout { patterns: vec![pattern("teps/{number}-{name}.md")], number_width: 4, name_case: NameCase::LowerKebab };
    let name = layout.name_for("Pod-Overhead");
    assert_eq!(layout.patterns[0].render(None, &layout.number_text(42), &name), "teps/0042-pod-overhead.md");
    let folder = pattern("keps/{group}/{number}-{name}/README.md");
    assert_eq!(folder.render(Some("sig-node"), "5", "x"), "keps/sig-node/5-x/README.md");
    assert!(folder.is_folder() && folder.has_group());
    assert_eq!(folder.root(), "keps");
    assert_eq!(pattern("{group}/CFP-{number}-{name}.md").root(), "");
}

#[test]
fn malformed_patterns_say_what_is_wrong() {
    for (source, why) in [
        ("", "empty"),
        ("/abs/{name}.md", "relative path"),
        ("a/../{name}.md", "relative path"),
        ("teps/{number}.txt", "Markdown file"),
        ("teps/{nmuber}-{name}.md", "unknown part `{nmuber}`"),
        ("teps/{number}{name}.md", "side by side"),
        ("teps/x-{group}.md", "whole path segment"),
        ("teps/{number}-{number}.md", "at most one"),
        ("teps/README.md", "needs a"),
        ("teps/{name.md", "without its `}`"),
    ] {
        let err = Pattern::parse(source).expect_err(source);
        assert!(err.why.contains(why), "{source}: {}", err.why);
    }
    assert_eq!(Layout::parse("a/{name}.md, b/{number}-{name}.md").unwrap().len(), 2);
}

#[test]
fn kep_dir_is_a_shorthand_for_numbered_folders() {
    let layout = Layout { patterns: Layout::from_dir("keps"), number_width: 0, name_case: NameCase::AsTyped };
    assert!(layout.find("keps/sig-x/12-a/README.md").is_some());
    assert!(layout.find("keps/12-a/README.md").is_some());
    assert_eq!(layout.roots(), ["keps"]);
    assert!(is_lower_kebab("pod-overhead-2") && !is_lower_kebab("Pod-Overhead") && !is_lower_kebab("a--b"));
}

#[test]
fn a_date_is_eight_digits_or_written_with_dashes() {
    let dated = pattern("proposals/{date}_{name}.md");
    let found = dated.matches("proposals/2023-06-13_created-timestamp.md").expect("a dashed date");
    assert_eq!((found.number, found.number_text.as_deref()), (Some(20230613), Some("2023-06-13")));
    assert_eq!(found.name.as_deref(), Some("created-timestamp"));
    assert!(dated.matches("proposals/20230613_x.md").is_some());
    assert!(dated.matches("proposals/2023-6-13_x.md").is_none());
    assert!(dated.matches("proposals/0028_utf8.md").is_none());
    assert!(pattern("proposals/{number}-{name}.md").matches("proposals/2023-08-21-utf8.md").is_none());
    assert_eq!(dashed_date("1999-12-31x"), Some("1999-12-31"));
    assert_eq!(dashed_date("3023-06-13"), None);
}

#[test]
fn patterns_that_share_most_numbers_are_two_series() {
    use std::collections::BTreeSet;
    let set = |numbers: &[u64]| numbers.iter().copied().collect::<BTreeSet<u64>>();
    // SE- proposals 1-400 and ST- ones 1-12: two series.
    let se: BTreeSet<u64> = (1..=400).collect();
    assert_eq!(number_series(&[se.clone(), set(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])]), [0, 1]);
    // Pull-request numbers at the top level and in group folders, one of them shared: one series.
    assert_eq!(number_series(&[set(&[66, 90, 111, 150]), set(&[100, 111, 232]), set(&[5, 7])]), [0, 0, 0]);
    // A third pattern joins the first series it is not separate from.
    assert_eq!(number_series(&[se.clone(), set(&[1, 2, 3]), set(&[401, 402])]), [0, 1, 0]);
    // A pattern without numbers (dated) joins no two series together.
    assert_eq!(number_series(&[BTreeSet::new(), se, set(&[1, 2, 3])]), [0, 0, 2]);
}
