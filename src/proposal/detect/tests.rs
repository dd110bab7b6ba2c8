use super::*;

fn paths(list: &[&str]) -> Vec<String> {
    list.iter().map(|p| (*p).to_owned()).collect()
}

fn no_files(_: &str) -> Option<String> {
    None
}

#[test]
fn folders_by_group_with_their_main_document_and_template() {
    let found = detect(
        &paths(&[
            "keps/sig-node/1287-in-place-update/README.md",
            "keps/sig-node/1287-in-place-update/kep.yaml",
            "keps/sig-node/2000-swap/README.md",
            "keps/sig-apps/3329-retriable/README.md",
            "keps/sig-apps/3329-retriable/notes.md",
            "keps/NNNN-kep-template/README.md",
            "keps/NNNN-kep-template/kep.yaml",
            "README.md",
        ]),
        &no_files,
    );
    assert_eq!(found.patterns, ["keps/{group}/{number}-{name}/README.md"]);
    assert_eq!(found.counts, [3]);
    assert_eq!(found.template.as_deref(), Some("keps/NNNN-kep-template"));
    assert_eq!(found.groups, ["sig-apps", "sig-node"]);
    assert_eq!(found.name_case, NameCase::LowerKebab);
    let snake = paths(&[
        "proposals/allow_exceptions.md",
        "proposals/cache_enhancements.md",
        "proposals/dry-run.md",
        "proposals/time_window.md",
        "proposals/a.md",
        "proposals/b_c.md",
    ]);
    assert_eq!(detect(&snake, &no_files).name_case, NameCase::LowerSnake);
    assert_eq!(found.numbering, Numbering::Issue, "3 numbers up to 3329");
    assert_eq!(found.number_width, 0);
}

#[test]
fn single_files_sequential_and_padded_and_a_file_template() {
    let mut list: Vec<String> = (1..=30).map(|n| format!("teps/{n:04}-tep-number-{n}.md")).collect();
    list.extend(paths(&["teps/README.md", "teps/tools/tep-template.md.template", "teps/0000-template.md"]));
    let found = detect(&list, &no_files);
    assert_eq!(found.patterns, ["teps/{number}-{name}.md"]);
    assert_eq!((found.numbering, found.number_width), (Numbering::Next, 4));
    assert_eq!(found.template.as_deref(), Some("teps/0000-template.md"));
}

#[test]
fn dates_groups_of_files_other_main_documents_and_unnumbered_ones() {
    let found = detect(
        &paths(&[
            "docs/proposals/20240131-machine-api.md",
            "docs/proposals/20250101-other.md",
            "docs/proposals/YYYYMMDD-template.md",
        ]),
        &no_files,
    );
    assert_eq!(found.patterns, ["docs/proposals/{date}-{name}.md"]);
    assert_eq!(found.numbering, Numbering::Date);
    assert_eq!(found.template.as_deref(), Some("docs/proposals/YYYYMMDD-template.md"));

    let found = detect(
        &paths(&["oteps/0001-a.md", "oteps/0002-b.md", "oteps/metrics/0003-c.md", "oteps/trace/0004-d.md"]),
        &no_files,
    );
    assert_eq!(found.patterns, ["oteps/{number}-{name}.md", "oteps/{group}/{number}-{name}.md"]);

    let found =
        detect(&paths(&["geps/gep-1016/index.md", "geps/gep-995/index.md", "geps/gep-995/metadata.yaml"]), &no_files);
    assert_eq!(found.patterns, ["geps/gep-{number}/index.md"]);

    let found = detect(
        &paths(&["veps/sig-a/21-passt/vep.md", "veps/sig-b/22-x/vep.md", "veps/NNNN-vep-template/vep.md"]),
        &no_files,
    );
    assert_eq!(found.patterns, ["veps/{group}/{number}-{name}/vep.md"]);
    assert_eq!(found.template.as_deref(), Some("veps/NNNN-vep-template"));

    let mut list: Vec<String> = (0..8).map(|n| format!("enhancements/area{}/name-{n}.md", n % 3)).collect();
    list.extend(paths(&["enhancements/README.md", "enhancements/top-level.md", "guidelines/enhancement_template.md"]));
    let found = detect(&list, &no_files);
    assert_eq!(found.patterns, ["enhancements/{group}/{name}.md"]);
    assert_eq!(found.numbering, Numbering::None);
    assert_eq!(found.template.as_deref(), Some("guidelines/enhancement_template.md"));
}

#[test]
fn the_toc_tool_is_read_from_the_ci_scripts() {
    let list = paths(&["keps/1-a/README.md", "keps/2-b/README.md", "hack/verify-toc.sh", "Makefile"]);
    let read = |path: &str| {
        (path == "hack/verify-toc.sh")
            .then(|| "go install sigs.k8s.io/mdtoc@b8c54a57\nmdtoc --inplace --max-depth=5 --dryrun\n".to_owned())
    };
    let tool = detect(&list, &read).toc.unwrap();
    assert_eq!((tool.style, tool.max_depth), ("html", Some(5)));
    assert_eq!(tool.args, Some((crate::config::KEY_MDTOC_VERSION, "b8c54a57".to_owned())));
    assert_eq!(detect(&list, &no_files).toc, None);
    let vendored = paths(&["keps/1-a/README.md", "keps/2-b/README.md", "vendor/sigs.k8s.io/mdtoc/Makefile"]);
    let read = |path: &str| path.ends_with("Makefile").then(|| "build:\n\tgo build -o mdtoc .\n".to_owned());
    assert_eq!(detect(&vendored, &read).toc, None, "a vendored tool's own Makefile");
}

#[test]
fn doctoc_and_markdown_toc_are_read_with_their_flags() {
    let list = paths(&["oteps/0001-a.md", "oteps/0002-b.md", "oteps/0003-c.md", "Makefile", "package.json"]);
    let otel = |path: &str| {
        (path == "Makefile").then(|| {
            ".PHONY: markdown-toc\nmarkdown-toc:\n\t@if ! npm ls doctoc; then npm ci; fi\n\
             \tnpx --no -- doctoc . --update-only --mintocitems 1 --toc-pragma-style compact --notitle \
             --entryprefix='-,*,+' --dryrun || exit 1;\n"
                .to_owned()
        })
    };
    let tool = detect(&list, &otel).toc.unwrap();
    assert_eq!(tool.style, "doctoc");
    let flags = "--update-only --mintocitems 1 --toc-pragma-style compact --notitle --entryprefix='-,*,+'";
    assert_eq!(tool.args, Some((crate::config::KEY_DOCTOC_ARGS, flags.to_owned())));
    let npm = |path: &str| {
        (path == "package.json")
            .then(|| "{\"scripts\": {\"toc\": \"markdown-toc -i --maxdepth 3 oteps/*.md\"}}".to_owned())
    };
    // A command on other documents alone keeps theirs (cluster-api-provider-vsphere's release notes).
    let release_notes = |path: &str| (path == "Makefile").then(|| "toc:\n\tdoctoc docs/release/tasks.md\n".to_owned());
    assert_eq!(detect(&list, &release_notes).toc, None);
    let tool = detect(&list, &npm).toc.unwrap();
    assert_eq!(
        (tool.style, tool.args),
        ("markdown-toc", Some((crate::config::KEY_MARKDOWN_TOC_ARGS, "--maxdepth 3".to_owned())))
    );
    // No script: the markers the proposals carry.
    let markers =
        |path: &str| path.starts_with("oteps/").then(|| "# A\n<!-- START doctoc -->\n<!-- END doctoc -->\n".to_owned());
    let tool = detect(&list, &markers).toc.unwrap();
    // doctoc then updates only the files that have its markers: no CI adds TOCs elsewhere.
    let update_only = Some((crate::config::KEY_DOCTOC_ARGS, "--update-only".to_owned()));
    assert_eq!((tool.style, tool.args, tool.seen_in.as_str()), ("doctoc", update_only, "oteps/0001-a.md"));
}

#[test]
fn nothing_found_in_an_empty_or_unrelated_tree() {
    assert!(!detect(&paths(&["README.md", "src/main.rs"]), &no_files).found_any());
}

#[test]
fn dashed_dates_are_dates_and_the_first_pattern_says_how_new_ones_are_numbered() {
    // Numbered proposals now, dated ones (`_` after the date) from before.
    let mut list: Vec<String> = (1..=24).map(|n| format!("proposals/{:04}-topic-{n}.md", n * 4)).collect();
    list.extend(paths(&[
        "proposals/2019-02-21_am-secure-cluster.md",
        "proposals/2022-11-23_proposal-process.md",
        "proposals/2023-08-21-utf8.md",
    ]));
    let found = detect(&list, &no_files);
    assert_eq!(found.patterns, ["proposals/{number}-{name}.md", "proposals/{date}_{name}.md"]);
    assert_eq!(found.numbering, Numbering::Issue, "numbers 4 to 96 by fours: sparse, dates aside");
    // A `.` after a date, and a few with `-`: two patterns, the most first.
    let list = paths(&[
        "design/20220720.owner-ref.md",
        "design/20230101.scarf.md",
        "design/20240202.other.md",
        "design/20250303-new-one.md",
        "design/20250404-newer.md",
    ]);
    assert_eq!(detect(&list, &no_files).patterns, ["design/{date}.{name}.md", "design/{date}-{name}.md"]);
    let list = paths(&["rfcs/2021-01-02-first.md", "rfcs/2021-03-04-second.md", "rfcs/2022-05-06-third.md"]);
    let found = detect(&list, &no_files);
    assert_eq!(found.patterns, ["rfcs/{date}-{name}.md"]);
    assert_eq!(found.numbering, Numbering::Date);
}

#[test]
fn prefixes_companions_records_and_where_the_template_is() {
    // Capitals right before the number, each letter a series of its own (gRPC).
    let mut list: Vec<String> = (1..=30).map(|n| format!("A{n}-idea-{n}.md")).collect();
    list.extend((1..=12).map(|n| format!("L{n}-lang-{n}.md")));
    let found = detect(&list, &no_files);
    assert_eq!(found.patterns, ["A{number}-{name}.md", "L{number}-{name}.md"]);

    // A prefix and a number name a file; folders named as those files hold their assets.
    let mut list: Vec<String> = (10..40).map(|n| format!("ERCS/erc-{n}.md")).collect();
    list.extend((10..20).map(|n| format!("assets/erc-{n}/README.md")));
    let found = detect(&list, &no_files);
    assert_eq!(found.patterns, ["ERCS/erc-{number}.md"]);

    // Years are no proposal numbers.
    let list = paths(&[
        "elections/2021-SC/README.md",
        "elections/2023-TOC/README.md",
        "gsoc/gsoc-2023.md",
        "gsoc/gsoc-2024.md",
    ]);
    assert!(!detect(&list, &no_files).found_any());

    // Decision records beside proposals are not proposals; their template is not theirs.
    let list = paths(&[
        "docs/proposal/20240101-a.md",
        "docs/proposal/20240202-b.md",
        "docs/proposal/20240303-c.md",
        "docs/adr/0001-x.md",
        "docs/adr/0002-y.md",
        "docs/adr/0000-template.md",
    ]);
    let found = detect(&list, &no_files);
    assert_eq!(
        (found.patterns.as_slice(), found.template.as_deref()),
        (&["docs/proposal/{date}-{name}.md".to_owned()][..], None)
    );

    // The template's folder is where new proposals go, whatever holds more.
    let mut list: Vec<String> = (1..=9).map(|n| format!("implemented/{n:04}-done-{n}.md")).collect();
    list.extend(paths(&["accepted/0010-next.md", "accepted/0011-later.md", "accepted/0000-template.md"]));
    let found = detect(&list, &no_files);
    assert_eq!(found.patterns[0], "accepted/{number}-{name}.md");
    assert_eq!(found.template.as_deref(), Some("accepted/0000-template.md"));

    // A proposal whose name holds "template" is one; a README is none.
    let list = paths(&[
        "keps/622-volume-claim-templates/README.md",
        "keps/700-other/README.md",
        "keps/NNNN-Template/README.md",
        "designs/a.md",
        "designs/b.md",
    ]);
    assert_eq!(detect(&list, &no_files).template.as_deref(), Some("keps/NNNN-Template"));
    // Deeper than the patterns go, a numbered folder is still a proposal, no template.
    let list = paths(&[
        "proposals/101-alpha/README.md",
        "proposals/205-beta/README.md",
        "proposals/0-legacy/263-pvc-template/README.md",
    ]);
    assert_eq!(detect(&list, &no_files).template, None);
    // Far from the proposals, a file named `*-template` is another document's.
    let mut far = list.clone();
    far.push("docs/operator-guides/job-template.md".to_owned());
    assert_eq!(detect(&far, &no_files).template, None);
    let mut dapr = far.clone();
    dapr.push("templates/proposal.md".to_owned());
    assert_eq!(detect(&dapr, &no_files).template.as_deref(), Some("templates/proposal.md"));
    far.push("templates/proposal-template.md".to_owned());
    assert_eq!(detect(&far, &no_files).template.as_deref(), Some("templates/proposal-template.md"));
    // `001-proposal-template.md` is a template, `263-pvc-template.md` a proposal.
    assert!(has_real_number("263-pvc-template") && !has_real_number("0000-template") && !has_real_number("x-1"));
    let designs = Pattern::parse("designs/{name}.md").unwrap();
    assert!(designs.matches("designs/README.md").is_none() && designs.matches("designs/a.md").is_some());
}
