//! Table-driven tests of the doctoc style: small documents and what doctoc 2.5.0 makes of them.

use super::*;

const LEGACY: &str = "<!-- START doctoc generated TOC please keep comment here to allow auto update -->\n\
                      <!-- DON'T EDIT THIS SECTION, INSTEAD RE-RUN doctoc TO UPDATE -->\n";
const LEGACY_END_LINE: &str = "<!-- END doctoc generated TOC please keep comment here to allow auto update -->";
const OTEL: &str = "--update-only --mintocitems 1 --toc-pragma-style compact --notitle --entryprefix='-,*,+'";

fn run(args: &str, doc: &str) -> Result<Outcome, MarkerError> {
    regenerate(doc, &DoctocOptions::from_args(args).expect("valid flags"))
}

fn stale(args: &str, doc: &str) -> String {
    match run(args, doc) {
        Ok(Outcome::Stale(new)) => new,
        other => panic!("{args:?}: expected a new TOC, got {other:?} for\n{doc}"),
    }
}

#[test]
fn writes_what_doctoc_writes() {
    let cases: &[(&str, &str, &str)] = &[
        // cluster-api: legacy markers, the title the TOC has (none here), entries by level.
        (
            "",
            &format!("# T\n\n{LEGACY}{LEGACY_END_LINE}\n\n## A\n\n### B & <c>\n\n## A\n"),
            &format!(
                "# T\n\n{LEGACY}\n- [A](#a)\n  - [B & <c>](#b--c)\n- [A](#a-1)\n\n{LEGACY_END_LINE}\n\n## A\n\n### B & <c>\n\n## A\n"
            ),
        ),
        // The title above the list is kept, whatever it says.
        (
            "",
            &format!("{LEGACY}**Contents**\n\n- [Old](#old)\n\n{LEGACY_END_LINE}\n\n## New\n"),
            &format!("{LEGACY}**Contents**\n\n- [New](#new)\n\n{LEGACY_END_LINE}\n\n## New\n"),
        ),
        // OpenTelemetry: compact markers, no title, bullets by level round and round.
        (
            OTEL,
            "<!-- START doctoc -->\n<!-- END doctoc -->\n\n# A\n## B\n### C\n#### D\n## E\n",
            "<!-- START doctoc -->\n\n- [A](#a)\n  * [B](#b)\n    + [C](#c)\n      - [D](#d)\n  * [E](#e)\n\n<!-- END doctoc -->\n\n# A\n## B\n### C\n#### D\n## E\n",
        ),
        // The compact style shortens legacy markers; legacy makes compact ones long (not the end).
        (
            "--toc-pragma-style compact --notitle",
            &format!("{LEGACY}{LEGACY_END_LINE}\n## A\n"),
            "<!-- START doctoc -->\n\n- [A](#a)\n\n<!-- END doctoc -->\n## A\n",
        ),
        (
            "--notitle",
            "<!-- START doctoc -->\n<!-- END doctoc -->\n## A\n",
            &format!("{LEGACY}\n- [A](#a)\n\n<!-- END doctoc -->\n## A\n"),
        ),
        // --maxlevel, --minlevel, --all (the title above the TOC listed too), --title.
        (
            "--maxlevel 2 --title '**Index**'",
            "<!-- START doctoc -->\n<!-- END doctoc -->\n## A\n### B\n",
            &format!("{LEGACY}**Index**\n\n- [A](#a)\n\n<!-- END doctoc -->\n## A\n### B\n"),
        ),
        (
            "--minlevel 2 --all --notitle",
            "# T\n## Top\n<!-- START doctoc -->\n<!-- END doctoc -->\n## A\n",
            &format!("# T\n## Top\n{LEGACY}\n- [Top](#top)\n- [A](#a)\n\n<!-- END doctoc -->\n## A\n"),
        ),
        // Names are their source; links by their text, images as `*`; headings in lists,
        // quotes and code are not listed.
        (
            "--notitle",
            "<!-- START doctoc -->\n<!-- END doctoc -->\n## `x` *em* [link](u) ![img](i.png) &amp; \\[y\\]\n\
             - ## in a list\n> ## in a quote\n```\n## code\n```\nSetext\n---\n",
            &format!(
                "{LEGACY}\n- [`x` *em* link * &amp; \\[y\\]](#x-em-link--amp-y)\n- [Setext](#setext)\n\n<!-- END doctoc -->\n\
                 ## `x` *em* [link](u) ![img](i.png) &amp; \\[y\\]\n- ## in a list\n> ## in a quote\n```\n## code\n```\nSetext\n---\n"
            ),
        ),
        // A character reference that ends a text loses its `;` (remark's position is one short).
        (
            "--notitle",
            "<!-- START doctoc -->\n<!-- END doctoc -->\n## a &copy;\n",
            &format!("{LEGACY}\n- [a &copy](#a-copy)\n\n<!-- END doctoc -->\n## a &copy;\n"),
        ),
        // Fewer headings than --mintocitems: an empty TOC.
        (
            "--mintocitems 2 --toc-pragma-style compact",
            "<!-- START doctoc -->\n- [Old](#old)\n<!-- END doctoc -->\n## A\n",
            "<!-- START doctoc -->\n<!-- END doctoc -->\n## A\n",
        ),
        // An HTML heading, its `id` the anchor.
        (
            "--notitle",
            "<!-- START doctoc -->\n<!-- END doctoc -->\n<h2 id=\"b-id\">B &amp; b</h2>\n\n## A\n",
            &format!(
                "{LEGACY}\n- [B & b](#b-id)\n- [A](#a)\n\n<!-- END doctoc -->\n<h2 id=\"b-id\">B &amp; b</h2>\n\n## A\n"
            ),
        ),
        // A declaration left open at the end: what follows `<!` is text to htmlparser2 (found by
        // the `doctoc` fuzz target).
        (
            "--notitle",
            "<!-- START doctoc -->\n<!-- END doctoc -->\n<h1>a<!-b",
            &format!("{LEGACY}\n- [a-b](#a-b)\n\n<!-- END doctoc -->\n<h1>a<!-b"),
        ),
        // `</` then white space and a name to the end: no closing tag; `</>` is text.
        (
            "--notitle",
            "<!-- START doctoc -->\n<!-- END doctoc -->\n<h1>a</\nb\\`",
            &format!("{LEGACY}\n- [a](#a)\n\n<!-- END doctoc -->\n<h1>a</\nb\\`"),
        ),
        (
            "--notitle",
            "<!-- START doctoc -->\n<!-- END doctoc -->\n<h1>a</>b</h1>",
            &format!("{LEGACY}\n- [a</>b](#ab)\n\n<!-- END doctoc -->\n<h1>a</>b</h1>"),
        ),
        // White space before a line ending: no part of the name after a code span, part of it
        // after text (found by the `doctoc` fuzz target).
        (
            "--notitle",
            "<!-- START doctoc -->\n<!-- END doctoc -->\n`x`\t\nb\n-\n\na \nc\n-\n",
            &format!(
                "{LEGACY}\n- [`x`\nb](#x%0Ab)\n- [a \nc](#a-%0Ac)\n\n<!-- END doctoc -->\n`x`\t\nb\n-\n\na \nc\n-\n"
            ),
        ),
        // A tag whose name holds `h` and a digit is grabbed, its rank the digits after its first
        // character (`parseInt`): `<h1@x>` is of rank 1 (found by the `doctoc` fuzz target).
        (
            "--notitle",
            "<!-- START doctoc -->\n<!-- END doctoc -->\n\n<h1>a\n\t<h1>b<h1@x\n>\n",
            &format!("{LEGACY}\n- [b](#b)\n\n<!-- END doctoc -->\n\n<h1>a\n\t<h1>b<h1@x\n>\n"),
        ),
        // White space that starts a line: part of a text's name, not before a code span or
        // emphasis (found by the `doctoc` fuzz target).
        (
            "--notitle",
            "<!-- START doctoc -->\n<!-- END doctoc -->\n\na\n\t`b`\n-\n\nc\n\td\n-\n",
            &format!(
                "{LEGACY}\n- [a\n`b`](#a%0Ab)\n- [c\n\td](#c%0A%09d)\n\n<!-- END doctoc -->\n\na\n\t`b`\n-\n\nc\n\td\n-\n"
            ),
        ),
        // `<!-->` and `<!--->` are whole comments to htmlparser2.
        (
            "--notitle",
            "<!-- START doctoc -->\n<!-- END doctoc -->\n\n<h2><!--->a<!-- b -->c<!-->d</h2>\n",
            &format!("{LEGACY}\n- [acd](#acd)\n\n<!-- END doctoc -->\n\n<h2><!--->a<!-- b -->c<!-->d</h2>\n"),
        ),
        // Without markers, a new TOC at the top, below front matter.
        (
            "",
            "---\ntitle: x\n---\n\n# T\n",
            &format!(
                "---\ntitle: x\n---\n\n{LEGACY}**Table of Contents**  *generated with [DocToc](https://github.com/thlorenz/doctoc)*\n\n\
                 - [T](#t)\n\n{LEGACY_END_LINE}\n\n# T\n"
            ),
        ),
        // CRLF: doctoc skips one character after the end marker (`\r`) and adds `\r\n`; the
        // next run sees mixed line endings and writes the TOC with `\n`, which it then accepts.
        (
            "--toc-pragma-style compact --notitle",
            "<!-- START doctoc -->\r\n<!-- END doctoc -->\r\n## A\r\n",
            "<!-- START doctoc -->\n\n- [A](#a)\n\n<!-- END doctoc -->\n\n\n## A\r\n",
        ),
        // Where remark-gfm 1 reads blocks otherwise than CommonMark (`micromark`; each found by
        // the `doctoc` fuzz target). A line that continues a list item lazily starts a block
        // after the list: with `---` under it, a setext heading.
        (
            "--notitle",
            "<!-- START doctoc -->\n<!-- END doctoc -->\n- a\nb\n---\n",
            &format!("{LEGACY}\n- [b](#b)\n\n<!-- END doctoc -->\n- a\nb\n---\n"),
        ),
        // A table takes in the lines after it up to a blank one, a heading too; a table needs
        // no pipe (`c` and ` ---` are one, no setext heading).
        (
            "--notitle",
            "<!-- START doctoc -->\n<!-- END doctoc -->\n## A\n| a |\n|---|\n## B\n\nc\n ---\n",
            &format!("{LEGACY}\n- [A](#a)\n\n<!-- END doctoc -->\n## A\n| a |\n|---|\n## B\n\nc\n ---\n"),
        ),
        // A comment left open runs to the end, line endings in: the end marker's block ends
        // there, and the line ending doctoc puts after it comes after them.
        (
            "--notitle",
            "<!-- START doctoc -->\n<!-- END doctoc x\n\n## A\n",
            &format!("{LEGACY}<!-- END doctoc x\n\n## A\n\n"),
        ),
        // Any of `</pre>`, `</script>`, `</style>`, `</textarea>` ends any of those blocks.
        (
            "--notitle",
            "<!-- START doctoc -->\n<!-- END doctoc -->\n<pre>\n</script>\n## A\n",
            &format!("{LEGACY}\n- [A](#a)\n\n<!-- END doctoc -->\n<pre>\n</script>\n## A\n"),
        ),
        // A setext heading whose first line starts with `#`s (no ATX heading without a space) is
        // named with them.
        (
            "--notitle",
            "<!-- START doctoc -->\n<!-- END doctoc -->\n##x\n---\n",
            &format!("{LEGACY}\n- [##x](#x)\n\n<!-- END doctoc -->\n##x\n---\n"),
        ),
        // micromark 2 ends a comment at `>` after an even run of dashes only: `--->` goes on.
        (
            "--notitle",
            "<!-- START doctoc -->\n<!-- END doctoc -->\n<!-- x --->\n## A\n-->\n## B\n",
            &format!("{LEGACY}\n- [B](#b)\n\n<!-- END doctoc -->\n<!-- x --->\n## A\n-->\n## B\n"),
        ),
        // Lines that end with `\r` alone (the HTML block of a marker ends at its line).
        (
            "--notitle",
            "<!-- START doctoc -->\r<!-- END doctoc -->\r## A\r",
            "<!-- START doctoc generated TOC please keep comment here to allow auto update -->\r\
             <!-- DON'T EDIT THIS SECTION, INSTEAD RE-RUN doctoc TO UPDATE -->\r\r- [A](#a)\r\r<!-- END doctoc -->\r## A\r",
        ),
    ];
    if let Some(path) = std::env::var_os("DOCTOC_CASES") {
        let dump: Vec<String> = cases.iter().map(|(a, d, w)| format!("{a}\u{1}{d}\u{1}{w}")).collect();
        std::fs::write(path, dump.join("\u{0}")).unwrap();
    }
    for (args, doc, want) in cases {
        let new = stale(args, doc);
        assert_eq!(&new, want, "{args:?}\n{doc}");
        assert_eq!(run(args, &new), Ok(Outcome::Fresh), "{args:?}: doctoc accepts what it wrote\n{new}");
    }
}

#[test]
fn a_front_matter_nothing_closes_leaves_remark_no_lists() {
    // The first line opens a front matter (`+++`) that no line closes: remark-gfm 1 then reads
    // no list, quote or footnote definition in the whole text, so `1. One` is a paragraph and
    // a setext heading with `---` under it (found by the `doctoc` fuzz target). One run lists
    // it; the next (the marker first now) reads the list and drops it again.
    let doc = "+++\n\n1. One\n---\n";
    let once = format!(
        "{LEGACY}**Table of Contents**  *generated with [DocToc](https://github.com/thlorenz/doctoc)*\n\n\
         - [1. One](#1-one)\n\n{LEGACY_END_LINE}\n\n{doc}"
    );
    assert_eq!(rewrite(doc, &DoctocOptions::default()), Ok(Rewrite::Changed(once)));
}

#[test]
fn a_line_of_form_feeds_is_text() {
    // micromark counts only spaces and tabs as blank: a line of a form feed or vertical tab is a
    // paragraph (a TOC put at the top gets a blank line before it), an empty heading over `===`
    // (found by the `doctoc` fuzz target).
    let inserted = format!("{LEGACY}{LEGACY_END_LINE}\n\n\x0b");
    assert_eq!(stale("--notitle", "\x0b"), inserted);
    let doc = "<!-- START doctoc -->\n<!-- END doctoc -->\n# A\n\n\x0c\n===\n\n \x0b \n## B\n";
    let want = format!("{LEGACY}\n- [A](#a)\n- [\x0c](#)\n  - [B](#b)\n\n{}", &doc[22..]);
    assert_eq!(stale("--notitle", doc), want);
    // Nor at a line's edges: `-\x0c` underlines nothing, `#\x0cx` opens no heading.
    let edges = "<!-- START doctoc -->\n<!-- END doctoc -->\n## A\n-\x0c\n\n#\x0cx\n\n## B\x0b\n";
    let want = format!("{LEGACY}\n- [A](#a)\n- [B\x0b](#b)\n\n{}", &edges[22..]);
    assert_eq!(stale("--notitle", edges), want);
}

#[test]
fn a_nul_is_a_character_a_link_destination_may_hold() {
    // micromark reads U+0000 as U+FFFD, which a link's destination may hold: the heading's link
    // is listed by its text (found by the `doctoc` fuzz target; kept out of the table above,
    // whose DOCTOC_CASES dump separates cases with NULs).
    let doc = "<!-- START doctoc -->\n<!-- END doctoc -->\n## [a](#b\0c) d\n";
    let want = format!("{LEGACY}\n- [a d](#a-d)\n\n<!-- END doctoc -->\n## [a](#b\0c) d\n");
    assert_eq!(stale("--notitle", doc), want);
    // Nor does a declaration (`<!\0`).
    let declaration = "<!-- START doctoc -->\n<!-- END doctoc -->\n\n<!\0x\n-\n";
    let want = format!("{LEGACY}\n- [<!\0x](#%00x)\n\n{}", &declaration[22..]);
    assert_eq!(stale("--notitle", declaration), want);
    // No tag name starts with or holds one: `<\0h1>` over `=` is a heading, `</h\x002>` too.
    let closing = "<!-- START doctoc -->\n<!-- END doctoc -->\n\n</h\x002>\n-\n";
    let want = format!("{LEGACY}\n- [</h\x002>](#h%002)\n\n{}", &closing[22..]);
    assert_eq!(stale("--notitle", closing), want);
    // Nor an e-mail autolink: `<\0@\0h>` is text, `<` and `>` in the name.
    let autolink = "<!-- START doctoc -->\n<!-- END doctoc -->\n\n# a <\0@\0h> b\n";
    let want = format!("{LEGACY}\n- [a <\0@\0h> b](#a-%00%00h-b)\n\n{}", &autolink[22..]);
    assert_eq!(stale("--notitle", autolink), want);
    // Nor a character reference: `&#\05;` keeps its `;` in the name.
    let reference = "<!-- START doctoc -->\n<!-- END doctoc -->\n\n# &#4\x005;\n";
    let want = format!("{LEGACY}\n- [&#4\x005;](#4%005)\n\n{}", &reference[22..]);
    assert_eq!(stale("--notitle", reference), want);
    let tag = "<!-- START doctoc -->\n<!-- END doctoc -->\n\n<\0h1>\n=\n";
    let want = format!("{LEGACY}\n- [<\0h1>](#%00h1)\n\n{}", &tag[22..]);
    assert_eq!(stale("--notitle", tag), want);
}

#[test]
fn files_doctoc_leaves_alone() {
    // --update-only without markers; `<!-- DOCTOC SKIP -->`; a lone marker with --update-only.
    assert_eq!(run(OTEL, "# T\n\n## A\n"), Ok(Outcome::NoMarkers));
    assert_eq!(run("", "<!-- DOCTOC SKIP -->\n# T\n"), Ok(Outcome::NoMarkers));
    assert_eq!(run("", "x\n<!-- DOCTOC SKIP -->\n# T\n"), Ok(Outcome::NoMarkers));
    assert_eq!(run(OTEL, "<!-- START doctoc -->\n\n## A\n"), Ok(Outcome::NoMarkers));
}

#[test]
fn where_doctoc_changes_its_own_update_the_file_it_then_accepts() {
    // An HTML heading sorts at the first block whose text matches its first words: the next
    // time, that is the TOC's list, so it moves to the top; doctoc accepts that file.
    let doc = "<!-- START doctoc -->\n<!-- END doctoc -->\n## A\n\n<h2 id=\"b\">B</h2>\n";
    let Ok(Rewrite::Changed(first)) = rewrite(doc, &DoctocOptions::from_args(OTEL).unwrap()) else { panic!() };
    assert!(first.contains("- [A](#a)\n- [B](#b)\n"), "{first}");
    let settled = stale(OTEL, doc);
    assert!(settled.contains("- [B](#b)\n- [A](#a)\n"), "{settled}");
    assert_eq!(run(OTEL, &settled), Ok(Outcome::Fresh));
}

#[test]
fn what_doctoc_never_accepts_is_left_and_said() {
    // doctoc reads past a BOM and writes its offsets into the text with it: never settled.
    let bom = "\u{feff}# T\n\n<!-- START doctoc -->\n<!-- END doctoc -->\n\n## A\n";
    assert!(matches!(run(OTEL, bom), Ok(Outcome::Unmatched { .. })));
    // Two BOMs: doctoc reads the text after both, its offsets applied to the text after the
    // first, so that `# x` names a heading by the characters one before its text's (found by the
    // `doctoc` fuzz target, where doctoc listed a heading and git-kep none).
    let boms = "\u{feff}\u{feff}# '>\u{feff}# '\u{2}\0[\0\u{19}\u{2}# x\n\n## y\n";
    for args in ["--notitle --all --maxlevel 2", ""] {
        assert!(matches!(run(args, boms), Ok(Outcome::Unmatched { line: 1, .. })), "{args}");
        assert!(matches!(rewrite(boms, &DoctocOptions::from_args(args).unwrap()), Ok(Rewrite::Unmatched { .. })));
    }
    // An entry indented four spaces opens a code block, which doctoc next takes for the title.
    let deep_first = "<!-- START doctoc -->\n<!-- END doctoc -->\n### Deep\n# Top\n";
    assert!(matches!(run("--toc-pragma-style compact", deep_first), Ok(Outcome::Unmatched { .. })));
    assert!(matches!(run(OTEL, deep_first), Ok(Outcome::Stale(_))), "without a title it settles");
}

#[test]
fn malformed_doctoc_markers_refuse() {
    let family = Family::Doctoc;
    assert_eq!(
        run("", "<!-- START doctoc -->\n\n<!-- START doctoc -->\n## A\n"),
        Err(MarkerError::MissingEnd { family, line: 1 })
    );
    assert_eq!(
        run("", "<!-- END doctoc -->\n\n<!-- START doctoc -->\n## A\n"),
        Err(MarkerError::EndBeforeStart { family, line: 1 })
    );
}

#[test]
fn command_lines_as_minimist_reads_them() {
    let otel = DoctocOptions::from_args(&format!(". {OTEL} --dryrun")).unwrap();
    assert_eq!(
        otel,
        DoctocOptions {
            title: Title::None,
            entry_prefix: vec!["-".into(), "*".into(), "+".into()],
            pragma: Pragma::Compact,
            update_only: true,
            ..DoctocOptions::default()
        }
    );
    let options = DoctocOptions::from_args("--title=\"My TOC\" -m 3 --minlevel=2 --all docs/proposals").unwrap();
    assert_eq!(
        (options.title, options.max_level, options.min_level, options.all),
        (Title::Given("My TOC".into()), Some(3), 2, true)
    );
    for bad in
        ["--minlevel 3", "--entryprefix ',-'", "--toc-pragma-style fancy", "--gitlab", "--mintocitems 0", "--title 'x"]
    {
        assert!(DoctocOptions::from_args(bad).is_err(), "{bad}");
    }
}

#[test]
fn a_tag_name_with_any_characters_may_be_a_heading_tag() {
    // htmlparser2's tag names run to white space, `/` or `>`: `<b[?h1>` opens a heading for
    // get-html-headers, whose text doctoc then reads as a regular expression (here an
    // invalid one: doctoc throws), so the file is reported (found by the `doctoc` fuzz target).
    let doc = "<?h1>-<b[?h1>lt](\u{c}\u{c}\0";
    assert!(matches!(run("", doc), Ok(Outcome::Unmatched { .. })), "{:?}", run("", doc));
    let doc = "# Top\n\n<?x> <b[h2>Hello (there</b[h2>\n\n## Next\n";
    assert!(matches!(run("", doc), Ok(Outcome::Unmatched { .. })), "{:?}", run("", doc));
}

#[test]
fn an_open_declaration_leaves_the_rest_as_text_as_it_is() {
    // htmlparser2's trailing data after `<!` or `<?` left open is text as it is: another `<!`
    // in it stays (found by the `doctoc` fuzz target), an entity is not decoded.
    let doc = "<!-- START doctoc -->\n<!-- END doctoc -->\n\n<h1>x<!- a <![b &amp; c\n";
    let want = format!("{LEGACY}\n- [x- a <![b &amp; c](#x--a-b-amp-c)\n\n{}", &doc[22..]);
    assert_eq!(stale("--notitle", doc), want);
}

#[test]
fn text_in_html_headings_comes_in_pieces_split_at_each_lt() {
    // htmlparser2 gives the text before each `<` as a piece; get-html-headers drops a piece with
    // a line ending (and the heading it is in, keeping what it had): `>!`` stays, `<>>\n` goes
    // (found by the `doctoc` fuzz target).
    let doc = "<!-- START doctoc -->\n<!-- END doctoc -->\n\n<h2>>!`<>>\n<h2>! ";
    let want = format!("{LEGACY}\n- [>!`! ](#)\n\n<!-- END doctoc -->\n\n<h2>>!`<>>\n<h2>! ");
    assert_eq!(stale("--notitle", doc), want);
}

#[test]
fn an_empty_id_is_no_id() {
    // JavaScript's "" is false: the anchor comes from the name (found by the `doctoc` fuzz target).
    let doc = "<!-- START doctoc -->\n<!-- END doctoc -->\n\n<h3 id=\"\">9";
    let want = format!("{LEGACY}\n- [9](#9)\n\n<!-- END doctoc -->\n\n<h3 id=\"\">9");
    assert_eq!(stale("--notitle", doc), want);
}

#[test]
fn an_attribute_name_may_start_with_an_equals_sign() {
    // htmlparser2 starts an attribute's name with any character, `=` too: after `a/` (or a
    // space), `="<b` is a name and the tag ends at `<b>`'s `>` (found by the `doctoc` fuzz target).
    let doc = "<!-- START doctoc -->\n<!-- END doctoc -->\n\n<h3 a/=\"<b>\">9</h3>\n\n<h2 =\"<i>\">x</h2>\n";
    let want = format!("{LEGACY}\n  - [\">9](#9)\n- [\">x](#x)\n\n{}", &doc[22..]);
    assert_eq!(stale("--notitle", doc), want);
}

#[test]
fn a_form_feed_or_vertical_tab_in_a_tag_starts_no_html_block() {
    // micromark takes only spaces, tabs and line endings for white space in a tag that starts an
    // HTML block, where pulldown-cmark takes form feeds and vertical tabs too: `<style\v` (kind 1)
    // and `<div\f>` (kind 7) over `--` are setext headings doctoc lists, and `<x a\v>` is a
    // paragraph `## z` ends (found by the `doctoc` fuzz target). `<pre ` is HTML for both.
    let doc = "<!-- START doctoc -->\n<!-- END doctoc -->\n\n<style\x0bx\n--\n\n<div\x0c>\n--\n\n<x a\x0b>\n## z\n\n<pre \x0b>\n## in pre\n";
    let want = format!("{LEGACY}\n- [<style\x0bx](#style%0Bx)\n- [<div\x0c>](#div%0C)\n- [z](#z)\n\n{}", &doc[22..]);
    assert_eq!(stale("--notitle", doc), want);
}
