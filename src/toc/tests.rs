//! Table-driven tests of the engine's rules, independent of `../shared`.

use super::*;

fn markdown() -> TocOptions {
    TocOptions::default()
}

fn html() -> TocOptions {
    TocOptions::mdtoc(5)
}

/// The TOC body the engine writes for `doc`.
fn toc_of(doc: &str, options: &TocOptions) -> String {
    Document::parse(doc, options.style).expect("valid markers").fresh_toc(options).expect("has markers")
}

#[test]
fn markdown_link_text_escapes_and_resolves() {
    let cases = [
        ("Alpha -> Beta", "- [Alpha -\\> Beta](#alpha---beta)"),
        ("Open Questions [optional]", "- [Open Questions \\[optional\\]](#open-questions-optional)"),
        ("Use `kubectl <x>` & more", "- [Use `kubectl <x>` \\& more](#use-kubectl-x--more)"),
        ("See [the docs](https://x.io/a_b) now", "- [See the docs now](#see-the-docs-now)"),
        ("Logo ![alt text](logo.png) here", "- [Logo  here](#logo--here)"),
        (
            "An *emphasised* and **strong** word",
            "- [An *emphasised* and **strong** word](#an-emphasised-and-strong-word)",
        ),
        ("snake_case and 2*3", "- [snake\\_case and 2\\*3](#snake_case-and-23)"),
        ("Tags <br> dropped", "- [Tags  dropped](#tags--dropped)"),
        ("Entities &amp; &lt;ok&gt;", "- [Entities \\& \\<ok\\>](#entities--ok)"),
        ("Back\\\\slash", "- [Back\\\\slash](#backslash)"),
        ("``code with ` tick``", "- [``code with ` tick``](#code-with--tick)"),
    ];
    for (heading, want) in cases {
        let doc = format!("<!-- toc -->\n<!-- /toc -->\n\n## {heading}\n");
        assert_eq!(toc_of(&doc, &markdown()), format!("{want}\n"), "heading {heading:?}");
    }
}

#[test]
fn html_link_text_like_mdtoc() {
    let cases = [
        ("Alpha -> Beta", "- [Alpha -&gt; Beta](#alpha---beta)"),
        ("Use `a<b>` & \"q\"", "- [Use <code>a&lt;b&gt;</code> &amp; &quot;q&quot;](#use-ab--q)"),
        ("*em* **strong** ~~del~~", "- [<em>em</em> <strong>strong</strong> <del>del</del>](#em-strong-del)"),
        ("[KEP 1](https://k8s.io/a)", "- [<a href=\"https://k8s.io/a\">KEP 1</a>](#kep-1)"),
        (
            "API (https://pkg.go.dev/k8s.io/api)",
            "- [API (<a href=\"https://pkg.go.dev/k8s.io/api\">https://pkg.go.dev/k8s.io/api</a>)](#api-httpspkggodevk8sioapi)",
        ),
    ];
    for (heading, want) in cases {
        let doc = format!("<!-- toc -->\n<!-- /toc -->\n\n## {heading}\n");
        assert_eq!(toc_of(&doc, &html()), format!("{want}\n"), "heading {heading:?}");
    }
}

#[test]
fn html_style_ends_lines_at_a_lone_cr_as_mdtoc_does() {
    // mdtoc v1.4.0 reads `\r` alone as a line ending: a setext heading is its last line only
    // (found by the `mdtoc` fuzz target).
    let doc = "<!-- toc -->\n<!-- /toc -->\n\n## a\rb\n===\n\nc\rd\n---\n";
    assert_eq!(toc_of(doc, &TocOptions::mdtoc(6)), "  - [a](#a)\n- [b](#b)\n  - [d](#d)\n");
    // Indented code ends at one too (pulldown-cmark reads on).
    let code = "<!-- toc -->\n<!-- /toc -->\n\n# a\r\tb\rc\r###### d\n";
    assert_eq!(toc_of(code, &TocOptions::mdtoc(6)), "- [a](#a)\n          - [d](#d)\n");
}

#[test]
fn html_style_reads_a_setext_heading_over_a_crlf_as_mdtoc_does() {
    // A CRLF ends a setext heading's text line once: the heading is that line, not an empty
    // one after its `\r` (found by the `mdtoc` fuzz target: ` \t\r-\r\n---`), in a quote too.
    let doc = "<!-- toc -->\n<!-- /toc -->\n\n \t\r-\r\n---\n\na\rb\r\n===\n\n> c\r\n> d \r\n---\n";
    assert_eq!(toc_of(doc, &TocOptions::mdtoc(6)), "  - [-](#-)\n- [b](#b)\n  - [d](#d)\n");
}

#[test]
fn html_style_keeps_the_hashes_a_setext_heading_starts_with() {
    // `#` before a character other than a space opens no ATX heading: the line is the text of
    // the setext heading under it, `#` included (found by the `mdtoc` fuzz target).
    let doc = "<!-- toc -->\n<!-- /toc -->\n\n#x\n===\n\n##y\n---\n";
    assert_eq!(toc_of(doc, &TocOptions::mdtoc(6)), "- [#x](#x)\n  - [##y](#y)\n");
    // A block tag gomarkdown closes nowhere opens a paragraph for it, not an HTML block: `<h1>`
    // over `---` is a heading, and so is one right after an unclosed `<div>`; a `</div>` further
    // on closes the first `<div>` for gomarkdown, blank lines between included (found by the
    // `mdtoc` fuzz target).
    let unclosed = "<!-- toc -->\n<!-- /toc -->\n\n<h1>\n---\n\n<div>\n## Inside\n\n## After\n";
    assert_eq!(toc_of(unclosed, &TocOptions::mdtoc(6)), "- [<h1>](#)\n- [Inside](#inside)\n- [After](#after)\n");
    // A comment gomarkdown does not close with a line's end: a paragraph, where CommonMark's
    // HTML block runs to the `-->` (here, to the end).
    let comment = "<!-- toc -->\n<!-- /toc -->\n\n<!--\x0c*\n===\n\n#  \x0b\n\n<!-- c --> d\n\n## y\n\n<!-- never closed\n\n## z\n";
    assert_eq!(toc_of(comment, &TocOptions::mdtoc(6)), "- [&lt;!--\x0c*](#--)\n- [](#)\n  - [y](#y)\n  - [z](#z)\n");
    // Spaces then a tab: indented code for CommonMark, text for gomarkdown (which needs a tab or
    // four spaces first), a fence not either.
    let tabbed = "<!-- toc -->\n<!-- /toc -->\n\n \t_x\n---\n\n  \t```\n## seen\n\n   \tcode?\n\n## z\n";
    assert_eq!(toc_of(tabbed, &TocOptions::mdtoc(6)), "- [_x](#_x)\n- [seen](#seen)\n- [z](#z)\n");
    // A list marker alone where a block starts: an empty item for CommonMark, text for
    // gomarkdown (a space or tab must follow); an underline under text stays one.
    let markers = "<!-- toc -->\n<!-- /toc -->\n\n1)\n===\n\n-\n---\n\n12.\n===\n\n*\n===\n\ntext\n-\n===\n\n- \n===\n";
    let want = "- [1)](#1)\n  - [-](#-)\n- [12.](#12)\n- [*](#)\n  - [text](#text)\n";
    assert_eq!(toc_of(markers, &TocOptions::mdtoc(6)), want);
    // An underline indented by one to three spaces underlines nothing for gomarkdown.
    let indented = "<!-- toc -->\n<!-- /toc -->\n\na\n -\n\nb\n  ===\n\nc\n ---\nd\n===\n\ne\n   --  \n\n## z\n";
    assert_eq!(toc_of(indented, &TocOptions::mdtoc(6)), "- [d](#d)\n  - [z](#z)\n");
    // A block starts after an underline under text too, not after text that looks like one.
    let underlines = "<!-- toc -->\n<!-- /toc -->\n\n# a\n--\n-\n-\n--\n-\n--\n\nb\n===\n-\n===\n";
    let want = "- [a](#a)\n  - [--](#--)\n  - [-](#-)\n  - [-](#--1)\n- [b](#b)\n- [-](#--2)\n";
    assert_eq!(toc_of(underlines, &TocOptions::mdtoc(6)), want);
    // A block starts after an ATX heading too.
    let after_heading = "<!-- toc -->\n<!-- /toc -->\n\n# a\n+\n- \n\n## b\n-\n===\n";
    assert_eq!(toc_of(after_heading, &TocOptions::mdtoc(6)), "- [a](#a)\n  - [+](#)\n  - [b](#b)\n- [-](#-)\n");
    // A one-column table with no pipe in its delimiter row is a table for gomarkdown where a
    // block starts; an underline with no line ending after it underlines nothing.
    let table = "<!-- toc -->\n<!-- /toc -->\n\n|a\n---\n\n|ab|\n:--:\n\noo[|\n---\n\nab\\\\|\n---\n\n## z\n\nb\n===";
    assert_eq!(toc_of(table, &TocOptions::mdtoc(6)), "- [z](#z)\n");
    // At b8c54a57 gomarkdown has no `1)` items: such a line over an underline is a heading.
    let pinned = TocOptions { style: TocStyle::HtmlB8c54a57, ..TocOptions::mdtoc(6) };
    let parenthesis = "<!-- toc -->\n<!-- /toc -->\n\n1) \n---\n\n2) x\n===\n\n## z\n";
    assert_eq!(toc_of(parenthesis, &pinned), "  - [1)](#1)\n- [2) x](#2-x)\n  - [z](#z)\n");
    // `<?`, `<!` and a letter, `<![CDATA[`: an HTML block to CommonMark, text to gomarkdown.
    let declarations = "<!-- toc -->\n<!-- /toc -->\n\n<!x\n---\n\n<?x\n===\n\n<![CDATA[ y\n===\n";
    assert_eq!(
        toc_of(declarations, &TocOptions::mdtoc(6)),
        "  - [&lt;!x](#x)\n- [&lt;?x](#x-1)\n- [&lt;![CDATA[ y](#cdata-y)\n"
    );
    // Indented by one to three spaces, HTML opens no block for gomarkdown.
    let indented =
        "<!-- toc -->\n<!-- /toc -->\n\n  <details>(\n---\n\n <div>\n## x\n\n   <!-- c\n## y\n\n  <pre>\n## z\n";
    assert_eq!(toc_of(indented, &TocOptions::mdtoc(6)), "- [<details>(](#)\n- [x](#x)\n- [y](#y)\n- [z](#z)\n");
    let closed_later = "<!-- toc -->\n<!-- /toc -->\n\n<div>\n## Inside\n\n<div>\n## Hidden\n</div>\n\n## After\n";
    assert_eq!(toc_of(closed_later, &TocOptions::mdtoc(6)), "- [After](#after)\n");
    // A tab after the `#`s opens a heading for GitHub, not for mdtoc (its `SpaceHeadings`).
    let tabbed = "<!-- toc -->\n<!-- /toc -->\n\n##\tTabbed\n\n## Spaced\n";
    assert_eq!(toc_of(tabbed, &TocOptions::mdtoc(6)), "- [Spaced](#spaced)\n");
}

#[test]
fn html_style_drops_percent_title_blocks_as_mdtoc_does() {
    // mmark's hook takes a block starting with `%%%` up to the next `%%%` for a title block, as
    // it does `---`; the parser goes on after it mid-line, so `%%%%%%%%%%` over `---` is a heading
    // `%%%%` for mdtoc (found by the `mdtoc` fuzz target).
    let doc = "<!-- toc -->\n<!-- /toc -->\n\n%%%\nx = 1\n%%%\n\n## seen\n\n%%% a\n## hidden\n%%%\n\n%%%%%%%%%%\n---\n";
    let pinned = TocOptions { style: TocStyle::HtmlB8c54a57, ..TocOptions::mdtoc(6) };
    for options in [TocOptions::mdtoc(6), pinned] {
        assert_eq!(toc_of(doc, &options), "- [seen](#seen)\n- [%%%%](#)\n");
        // Title blocks chained: each starts where the one before ends.
        let chained = format!("<!-- toc -->\n<!-- /toc -->\n\n{}(T\n---\n", "%".repeat(44));
        assert_eq!(toc_of(&chained, &options), "- [%%(T](#t)\n");
        // ... or where the next block starts, past the rest of its line and blank lines: the
        // underline under `x ---` opens one, which ends in the rule `----` (found by the
        // `mdtoc` fuzz target).
        let after_blank =
            "<!-- toc -->\n<!-- /toc -->\n\nx ---\n---\n\nText.\n\n----\n\nx ---\n---\n\nT.\n\n----\n\n<***\n---\n";
        assert_eq!(toc_of(after_blank, &options), "- [x ---](#x----)\n- [&lt;***](#)\n");
    }
}

#[test]
fn html_style_pairs_code_fences_as_mdtoc_does() {
    // gomarkdown opens a fence only where exactly its marker closes it later, and with a
    // one-word language at most: `~~~[` unclosed is text (a heading over `---`), "```go x" is
    // text, "````" and "```\t" close no "```" fence (found by the `mdtoc` fuzz target).
    let unclosed = "<!-- toc -->\n<!-- /toc -->\n\n~~~[\n---\n\n```\n# not a heading\n```\n";
    let two_words = "<!-- toc -->\n<!-- /toc -->\n\n```go x\n# h\n```\n\n## hidden\n\n````\n# in\n```\n\n## end\n";
    let tab = "<!-- toc -->\n<!-- /toc -->\n\n```\ncode\n```\t\n# in\n```\n\n## after\n";
    let pinned = TocOptions { style: TocStyle::HtmlB8c54a57, ..TocOptions::mdtoc(6) };
    for options in [TocOptions::mdtoc(6), pinned] {
        assert_eq!(toc_of(unclosed, &options), "- [~~~[](#)\n");
        assert_eq!(toc_of(two_words, &options), "- [h](#h)\n  - [end](#end)\n");
        assert_eq!(toc_of(tab, &options), "- [after](#after)\n");
    }
}

#[test]
fn html_style_reads_reference_definitions_where_gomarkdown_does() {
    // gomarkdown ends a paragraph at a line that defines a reference, and takes control
    // characters in its destination; CommonMark does neither. The next line starts a block:
    // `---` is a rule (here opening a title block up to `a---b`), `===` text; the definitions
    // resolve links in headings (found by the `mdtoc` fuzz target).
    let control = "<!-- toc -->\n<!-- /toc -->\n\n[a]: x\u{16}y\n---\n\na---b\n\n# After\n";
    let under_text = "<!-- toc -->\n<!-- /toc -->\n\nSome text\n[a]: http://x\n---\n\n# After\n";
    let resolved = "<!-- toc -->\n<!-- /toc -->\n\nSome text\n[a]: http://x\n===\n\n# After [x][a] [y][b]\n\n[b]: /y\n";
    // In code, or where a block starts (CommonMark's definition too), nothing changes.
    let fenced = "<!-- toc -->\n<!-- /toc -->\n\n```\ntext\n[a]: x\n```\n\nText\n---\n";
    let pinned = TocOptions { style: TocStyle::HtmlB8c54a57, ..TocOptions::mdtoc(6) };
    for options in [TocOptions::mdtoc(6), pinned] {
        assert_eq!(toc_of(control, &options), "- [After](#after)\n");
        assert_eq!(toc_of(under_text, &options), "- [After](#after)\n");
        assert_eq!(
            toc_of(resolved, &options),
            "- [After <a href=\"http://x\">x</a> <a href=\"/y\">y</a>](#after-x-y)\n"
        );
        assert_eq!(toc_of(fenced, &options), "- [Text](#text)\n");
    }
}

#[test]
fn html_style_lets_no_list_or_html_interrupt_a_paragraph_as_mdtoc_does() {
    // gomarkdown (mdtoc's options) reads a list item's line right under a paragraph's as that
    // paragraph's text: over `---` it is a setext heading, its marker and all (found by the
    // `mdtoc` fuzz target). After a rule (`* * *`), a list, a quote or code, a block starts.
    let toc = "<!-- toc -->\n<!-- /toc -->\n\n";
    let pinned = TocOptions { style: TocStyle::HtmlB8c54a57, ..TocOptions::mdtoc(6) };
    for options in [TocOptions::mdtoc(6), pinned] {
        assert_eq!(toc_of(&format!("{toc}text\n- item\n---\n"), &options), "- [- item](#--item)\n");
        assert_eq!(toc_of(&format!("{toc}2z2z\n1. 2z2\n- b\n---\n"), &options), "- [- b](#--b)\n");
        assert_eq!(toc_of(&format!("{toc}text\n* * *\n- x\n---\n"), &options), "");
        assert_eq!(toc_of(&format!("{toc}- a\n  - b\n---\n\n# H\n"), &options), "- [H](#h)\n");
        assert_eq!(toc_of(&format!("{toc}    code\n- c\n---\n"), &options), "");
        // Nor does HTML (`\0` over `<h2` over `===`: found by the `mdtoc` fuzz target) ...
        assert_eq!(
            toc_of(&format!("{toc}\0\n<h2\n===\n\ntext\n<div>\n---\n"), &options),
            "- [<h2](#)\n  - [<div>](#-1)\n"
        );
        assert_eq!(toc_of(&format!("{toc}text\n<div>\n# H\n"), &options), "- [H](#h)\n");
        // A block starts after an ATX heading too: `<?` there is text for gomarkdown, an HTML
        // block to the end for CommonMark (found by the `mdtoc` fuzz target).
        assert_eq!(toc_of(&format!("{toc}##### x\n<?$\n\n### $\n"), &options), "    - [x](#x)\n- [$](#)\n");
        // A one-column table (`|a` over `---`) ends a paragraph at v1.4.0, starts a block only at
        // b8c54a57, where a block starts after an ATX heading too (found by the fuzz target).
        let table = format!("{toc}text\n|a\n---\n\n# t\n|b\n---\n");
        let want = if options.style == TocStyle::Html { "- [t](#t)\n" } else { "  - [|a](#a)\n- [t](#t)\n" };
        assert_eq!(toc_of(&table, &options), want);
        // A paragraph may start with `<` where gomarkdown sees no HTML block (`<co`, `<span>`,
        // `<div>` never closed): `<?` under it is its text, not HTML to the end (found by the
        // `mdtoc` fuzz target, after lone CRs).
        for first in ["<co", "<span>", "<div>", " <!-- c -->"] {
            assert_eq!(toc_of(&format!("{toc}# a\n{first}\n<?\n\n> ## b\n"), &options), "- [a](#a)\n  - [b](#b)\n");
        }
        // A comment that nothing closes is text under a paragraph's line, not HTML to the end
        // (found by the `mdtoc` fuzz target); one closed further down stays HTML.
        assert_eq!(toc_of(&format!("{toc}a\n<!--\n\n# b\n"), &options), "- [b](#b)\n");
        assert_eq!(toc_of(&format!("{toc}a\n  <!-- c\n---\n"), &options), "- [&lt;!-- c](#---c)\n");
        assert_eq!(toc_of(&format!("{toc}a\n<!-- x\n\n# b\n-->\n# c\n"), &options), "- [c](#c)\n");
        // ... but TOC markers right under a paragraph are still markers.
        assert_eq!(toc_of("# T\nIntro\n<!-- toc -->\n<!-- /toc -->\n\n## A\n", &options), "- [A](#a)\n");
    }
}

#[test]
fn html_style_reports_a_marker_named_in_the_text_before_the_markers() {
    // mdtoc takes the first `<!-- toc -->` anywhere, a code span's too, and would write there.
    let doc = "# T\n\nSee the `<!-- toc -->` comment.\n\n<!-- toc -->\n<!-- /toc -->\n\n## A\n";
    let outcome = Document::parse(doc, TocStyle::Html).unwrap().outcome(&html());
    assert!(matches!(outcome, Outcome::Unmatched { line: 3, .. }), "{outcome:?}");
    // After the markers, or in the markdown style, it is text.
    let after = "# T\n\n<!-- toc -->\n<!-- /toc -->\n\nSee the `<!-- toc -->` comment.\n\n## A\n";
    assert!(matches!(Document::parse(after, TocStyle::Html).unwrap().outcome(&html()), Outcome::Stale(_)));
    assert!(matches!(Document::parse(doc, TocStyle::Markdown).unwrap().outcome(&markdown()), Outcome::Stale(_)));
}

#[test]
fn html_style_hides_display_math_as_mdtoc_does() {
    // gomarkdown's MathJax blocks: `$$` (not `$$$`) where a block starts, up to the next `$$`
    // anywhere (a blank line and a heading in between), the parser going on after it mid-line
    // (found by the `mdtoc` fuzz target).
    let toc = "<!-- toc -->\n<!-- /toc -->\n\n";
    let pinned = TocOptions { style: TocStyle::HtmlB8c54a57, ..TocOptions::mdtoc(6) };
    for options in [TocOptions::mdtoc(6), pinned] {
        assert_eq!(toc_of(&format!("{toc}$$x\n\n# h\n\n$$\n\n# after\n"), &options), "- [after](#after)\n");
        assert_eq!(toc_of(&format!("{toc}$$x$$ y\n---\n\n$$a$$$$b$$ c\n===\n"), &options), "  - [y](#y)\n- [c](#c)\n");
        assert_eq!(toc_of(&format!("{toc}$$$x\n\n# h\n\n$$\n"), &options), "- [h](#h)\n");
        assert_eq!(toc_of(&format!("{toc}# h\n\n$$\n"), &options), "- [h](#h)\n");
    }
}

#[test]
fn html_style_reports_an_old_toc_whose_lines_would_change_the_headings_after_it() {
    // A fence opened in a list item between the markers pairs with one below them; the TOC
    // written in their place would free that fence and make `---` a heading, so no TOC written
    // there stays fresh (found by `regenerating_twice_equals_once`): the file is reported.
    let doc = "```\n```\n<!-- toc -->\n- # \n  ```\n<!-- /toc -->\n```\n---\n~~~\t";
    let emptied = "```\n```\n<!-- toc -->\n<!-- /toc -->\n```\n---\n~~~\t";
    for options in [TocOptions::mdtoc(2), TocOptions { style: TocStyle::HtmlB8c54a57, ..TocOptions::mdtoc(2) }] {
        match regenerate(doc, &options) {
            Ok(Outcome::Unmatched { line: 3, reason }) => assert!(reason.contains("empty the TOC"), "{reason}"),
            other => panic!("{other:?}"),
        }
        // Emptied, as the report says, it is written, and what is written stays fresh.
        let Ok(Outcome::Stale(written)) = regenerate(emptied, &options) else { panic!("stale") };
        assert!(written.contains("<!-- toc -->\n- [```](#)\n<!-- /toc -->"), "{written}");
        assert_eq!(regenerate(&written, &options), Ok(Outcome::Fresh));
    }
    // A TOC that is a list of links is replaced by another without the check's second reading.
    let renamed = "<!-- toc -->\n- [Old](#old)\n<!-- /toc -->\n\n# New\n";
    assert_eq!(
        regenerate(renamed, &html()),
        Ok(Outcome::Stale("<!-- toc -->\n- [New](#new)\n<!-- /toc -->\n\n# New\n".into()))
    );
}

#[test]
fn html_style_reads_an_indented_atx_line_over_an_underline_as_mdtoc_does() {
    // gomarkdown opens an ATX heading only at the first column: ` ##` is a paragraph's text, a
    // setext heading over `===` or `---`, alone or as a paragraph's last line; alone it is no
    // heading (found by the `mdtoc` fuzz target).
    let doc = "<!-- toc -->\n<!-- /toc -->\n\n ##\n===\n\ntext\n  ## x y\n---\n\n ## alone\n\n## z\n";
    let pinned = TocOptions { style: TocStyle::HtmlB8c54a57, ..TocOptions::mdtoc(6) };
    for options in [TocOptions::mdtoc(6), pinned] {
        assert_eq!(toc_of(doc, &options), "- [##](#)\n  - [## x y](#-x-y)\n  - [z](#z)\n");
        // No space after the `#`s: no ATX heading for gomarkdown either.
        let unspaced = "<!-- toc -->\n<!-- /toc -->\n\n#\n---\n\n###\n===\n\n##\tA\n===\n\n# \n---\n";
        assert_eq!(toc_of(unspaced, &options), "  - [#](#)\n- [###](#-1)\n- [##\tA](#a)\n");
        // A `\r` alone ends a line for both.
        assert_eq!(
            toc_of(&doc.replace("##\n===", "##\r==="), &options),
            "- [##](#)\n  - [## x y](#-x-y)\n  - [z](#z)\n"
        );
    }
}

#[test]
fn html_style_reads_a_line_of_form_feeds_as_text_as_mdtoc_does() {
    // Only spaces and tabs make a line blank for gomarkdown (and CommonMark), not a form feed or
    // vertical tab as for pulldown-cmark: over `===` such a line is an empty heading mdtoc lists,
    // and it keeps a paragraph going into the `---` under it, whose last line is the heading's
    // text for mdtoc (found by the `mdtoc` fuzz target).
    let doc = "<!-- toc -->\n<!-- /toc -->\n\n## a\n\x0c\n===\n\nb\n \x0b\n---\n";
    let pinned = TocOptions { style: TocStyle::HtmlB8c54a57, ..TocOptions::mdtoc(6) };
    for options in [TocOptions::mdtoc(6), pinned] {
        assert_eq!(toc_of(doc, &options), "  - [a](#a)\n- [](#)\n  - [](#-1)\n");
    }
}

#[test]
fn html_style_reads_an_underline_after_a_quote_as_mdtoc_does() {
    // gomarkdown's quote takes every line up to a blank one, unquoted lines as they are: an
    // underline there (`---`, `===`, `-`) makes the quote paragraph's last line a heading, its
    // quote prefix taken off; for CommonMark `---` is a rule, `===` text (found by the `mdtoc`
    // fuzz target: ` >[` over `---`, which opened no title block for mdtoc then).
    let doc =
        "<!-- toc -->\n<!-- /toc -->\n\n >[\n---\n\na---b\n\n## a\n\n> > b\n> c\n===\n\n> d\ne\n-\n\n> f\n> ---\n";
    let pinned = TocOptions { style: TocStyle::HtmlB8c54a57, ..TocOptions::mdtoc(6) };
    for options in [TocOptions::mdtoc(6), pinned] {
        assert_eq!(toc_of(doc, &options), "  - [[](#)\n  - [a](#a)\n- [c](#c)\n  - [e](#e)\n  - [f](#f)\n");
    }
}

#[test]
fn html_style_reads_blocks_inside_a_quote_as_mdtoc_does() {
    // gomarkdown reads a quote's lines (up to a blank one, prefixes off, lazy lines as they are)
    // as a document of its own: after an ATX heading or a rule there, a list marker alone over an
    // underline is a setext heading, as at the top level; for CommonMark the marker ends the
    // quote and opens an empty list item (found by the `mdtoc` fuzz target: `> ## x **` then
    // `-` and `-` after lone CRs, a heading `-` for mdtoc).
    let doc = "<!-- toc -->\n<!-- /toc -->\n\n> ## x **\n-\n-\n\n> -\n> -\n\n> > ### y\n1.\n-\n\n> a\n>  -\n";
    let listed = "- [x **](#x-)\n- [-](#-)\n- [-](#--1)\n  - [y](#y)\n- [1.](#1)\n";
    let pinned = TocOptions { style: TocStyle::HtmlB8c54a57, ..TocOptions::mdtoc(6) };
    for options in [TocOptions::mdtoc(6), pinned] {
        assert_eq!(toc_of(doc, &options), listed);
    }
    // Lone CRs end lines for mdtoc v1.4.0.
    let doc = "<!-- toc -->\n<!-- /toc -->\n\nText right above\n> ## x **\r-\r-\n\n";
    assert_eq!(toc_of(doc, &TocOptions::mdtoc(6)), "- [x **](#x-)\n- [-](#-)\n");
}

#[test]
fn html_style_reads_a_lone_hash_further_up_a_setext_heading_as_mdtoc_does() {
    // `#` with no space after it is text for gomarkdown, an empty ATX heading for CommonMark: a
    // paragraph's first line, which the lines under it continue (`*` alone too) up to an
    // underline, whose last line is mdtoc's heading (found by the `mdtoc` fuzz target: `#`, a
    // lone CR, `*` over `---`).
    let doc = "<!-- toc -->\n<!-- /toc -->\n\n#\n*\n---\n\n#\n#\n---\n\n#\ta\n- b\n===\n\n#\nc\n## d\n";
    let pinned = TocOptions { style: TocStyle::HtmlB8c54a57, ..TocOptions::mdtoc(6) };
    for options in [TocOptions::mdtoc(6), pinned] {
        assert_eq!(toc_of(doc, &options), "  - [*](#)\n  - [#](#-1)\n- [- b](#--b)\n  - [d](#d)\n");
    }
    let lone_cr = "<!-- toc -->\n<!-- /toc -->\n\n#\r*\n---\n";
    assert_eq!(toc_of(lone_cr, &TocOptions::mdtoc(6)), "- [*](#)\n");
}

#[test]
fn html_style_reads_an_unclosed_pre_or_style_as_text_as_mdtoc_does() {
    // CommonMark runs an HTML block of kind 1 (`<pre`, `<style`, `<script`, `<textarea`, then
    // white space, `>` or the line's end; pulldown-cmark takes a vertical tab for white space
    // too) to its end tag or the end of the document; gomarkdown reads text where the tag is not
    // closed: a setext heading over `---`, and the headings after it (found next to the `doctoc`
    // fuzz target's `<style\v` stop).
    let doc = "<!-- toc -->\n<!-- /toc -->\n\n<style\x0bx\n---\n\n<PRE>\n# a\n</PRE>\n\n<pre>\n# b\n</pre>\n\n# z\n";
    let pinned = TocOptions { style: TocStyle::HtmlB8c54a57, ..TocOptions::mdtoc(6) };
    for options in [TocOptions::mdtoc(6), pinned] {
        assert_eq!(toc_of(doc, &options), "  - [<style\x0bx](#x)\n- [a](#a)\n- [z](#z)\n");
    }
}

#[test]
fn markers_inside_code_are_not_markers() {
    let doc = "# T\n\nWrap with `<!-- toc --><!-- /toc -->` tags.\n\n```\n<!-- toc -->\n```\n\n    <!-- /toc -->\n";
    assert_eq!(regenerate(doc, &markdown()), Ok(Outcome::NoMarkers));
}

#[test]
fn markers_are_case_insensitive_and_may_have_trailing_space() {
    let doc = "<!-- TOC -->  \n<!-- /TOC -->\n## A\n";
    assert_eq!(toc_of(doc, &markdown()), "- [A](#a)\n");
}

#[test]
fn markers_in_a_quote_or_list_do_not_count() {
    assert_eq!(regenerate("> <!-- toc -->\n> <!-- /toc -->\n", &markdown()), Ok(Outcome::NoMarkers));
    assert_eq!(regenerate("- <!-- toc -->\n", &markdown()), Ok(Outcome::NoMarkers));
}

#[test]
fn malformed_markers_name_their_line() {
    let cases = [
        ("a\n\n<!-- toc -->\n## x\n", MarkerError::MissingEnd { family: Family::Toc, line: 3 }),
        ("a\n\n<!-- /toc -->\n\n<!-- toc -->\n", MarkerError::EndBeforeStart { family: Family::Toc, line: 3 }),
        (
            "<!-- toc -->\n<!-- toc -->\n<!-- /toc -->\n",
            MarkerError::NestedStart { family: Family::Toc, line: 2, first_line: 1 },
        ),
    ];
    for (doc, want) in cases {
        assert_eq!(regenerate(doc, &markdown()), Err(want.clone()), "{doc:?}");
    }
}

#[test]
fn documents_too_large_for_the_engine_are_refused_whole() {
    // Refused before parsing: offsets into the document and its arenas must fit in u32.
    let mut doc = String::from("<!-- toc -->\n<!-- /toc -->\n");
    doc.push_str(&"# a\n".repeat(super::MAX_DOCUMENT_BYTES / 4));
    let refused = regenerate(&doc, &markdown());
    assert_eq!(refused, Err(MarkerError::TooLarge { bytes: doc.len() }));
    assert_eq!(refused.unwrap_err().line(), 1);
    assert_eq!(super::anchors(&doc), Vec::<String>::new());
}

#[test]
fn only_the_first_pair_is_maintained() {
    let doc = "<!-- toc -->\n<!-- /toc -->\n# A\n<!-- toc -->\nkeep\n<!-- /toc -->\n";
    let Ok(Outcome::Stale(new)) = regenerate(doc, &markdown()) else { panic!("expected stale") };
    assert_eq!(new, "<!-- toc -->\n- [A](#a)\n<!-- /toc -->\n# A\n<!-- toc -->\nkeep\n<!-- /toc -->\n");
}

#[test]
fn headings_at_any_nesting_but_never_in_code_or_html() {
    let doc = "<!-- toc -->\n<!-- /toc -->\n# Top\n> ## Quoted\n- ### In a list\n\n```\n## fenced\n```\n\n    ## indented code\n\n<div>\n## in html\n</div>\n\nSetext\n------\n";
    assert_eq!(
        toc_of(doc, &markdown()),
        "- [Top](#top)\n  - [Quoted](#quoted)\n    - [In a list](#in-a-list)\n  - [Setext](#setext)\n"
    );
}

#[test]
fn front_matter_is_not_a_heading() {
    let doc = "---\ntitle: x\n---\n<!-- toc -->\n<!-- /toc -->\n# Real\n";
    assert_eq!(toc_of(doc, &markdown()), "- [Real](#real)\n");
}

#[test]
fn nesting_follows_structure_not_level_gaps() {
    let doc = "<!-- toc -->\n<!-- /toc -->\n# A\n#### B\n## C\n### D\n# E\n";
    assert_eq!(toc_of(doc, &markdown()), "- [A](#a)\n  - [B](#b)\n  - [C](#c)\n    - [D](#d)\n- [E](#e)\n");
}

#[test]
fn html_style_indents_by_level_and_skips_the_prefix() {
    let doc = "# Title\n<!-- toc -->\n<!-- /toc -->\n## A\n#### B\n###### too deep\n";
    assert_eq!(toc_of(doc, &html()), "- [A](#a)\n    - [B](#b)\n");
}

fn html_with_github_anchors() -> TocOptions {
    TocOptions { anchors: super::Anchors::Github, ..html() }
}

#[test]
fn duplicates_count_headings_above_the_toc_even_when_not_listed() {
    // GitHub counts every heading; mdtoc only what it lists (it reads from the end marker on).
    let doc = "# Pod overhead\n<!-- toc -->\n<!-- /toc -->\n## Pod overhead\n## Pod overhead\n";
    let github = "- [Pod overhead](#pod-overhead-1)\n- [Pod overhead](#pod-overhead-2)\n";
    assert_eq!(toc_of(doc, &html_with_github_anchors()), github);
    assert_eq!(toc_of(doc, &html()), "- [Pod overhead](#pod-overhead)\n- [Pod overhead](#pod-overhead-1)\n");
}

#[test]
fn html_style_lists_only_what_mdtoc_sees() {
    // mdtoc's parser finds neither headings in list items nor indented ATX headings; on GitHub
    // they still take their anchor, so the next `x` is `x-3` there, and `x-1` for mdtoc.
    let doc = "<!-- toc -->\n<!-- /toc -->\n## x\n- ## x\n ## x\n## x\n";
    assert_eq!(toc_of(doc, &html_with_github_anchors()), "- [x](#x)\n- [x](#x-3)\n");
    assert_eq!(toc_of(doc, &html()), "- [x](#x)\n- [x](#x-1)\n");
}

#[test]
fn mdtoc_anchors_are_ascii_only_and_count_by_slug_and_depth() {
    let doc = "<!-- toc -->\n<!-- /toc -->\n# Über cool\n# echo\n# echo\n# echo 1\n# echo-1\n###### deep\n# deep\n";
    let want = "- [Über cool](#ber-cool)\n- [echo](#echo)\n- [echo](#echo-1)\n- [echo 1](#echo-1)\n\
                - [echo-1](#echo-1-1)\n- [deep](#deep)\n";
    assert_eq!(toc_of(doc, &html()), want, "headings deeper than the TOC are not counted");
}

#[test]
fn code_fence_closed_by_a_tab_like_github() {
    let doc = "<!-- toc -->\n<!-- /toc -->\n```\ncode\n```\t\n## After\n";
    assert_eq!(toc_of(doc, &markdown()), "- [After](#after)\n");
}

#[test]
fn crlf_bom_and_missing_final_newline_are_kept() {
    let doc = "\u{feff}# T\r\n<!-- toc -->\r\n<!-- /toc -->\r\n## A\r\n## B";
    let Ok(Outcome::Stale(new)) = regenerate(doc, &markdown()) else { panic!("expected stale") };
    assert_eq!(
        new,
        "\u{feff}# T\r\n<!-- toc -->\r\n- [T](#t)\r\n  - [A](#a)\r\n  - [B](#b)\r\n<!-- /toc -->\r\n## A\r\n## B"
    );
    assert_eq!(regenerate(&new, &markdown()), Ok(Outcome::Fresh));
}

#[test]
fn whitespace_at_the_toc_edges_is_tolerated_like_mdtoc() {
    let doc = "<!-- toc -->\n\n- [A](#a)\n\n<!-- /toc -->\n# A\n";
    assert_eq!(regenerate(doc, &markdown()), Ok(Outcome::Fresh));
}

#[test]
fn a_link_definition_inside_the_toc_does_not_leak() {
    let doc = "<!-- toc -->\n[x]: /y\n<!-- /toc -->\n## [x]\n";
    let Ok(Outcome::Stale(once)) = regenerate(doc, &markdown()) else { panic!("expected stale") };
    assert_eq!(regenerate(&once, &markdown()), Ok(Outcome::Fresh));
    assert_eq!(once, "<!-- toc -->\n- [\\[x\\]](#x)\n<!-- /toc -->\n## [x]\n");
}

#[test]
fn max_depth_limits_listing_not_anchors() {
    let options = TocOptions { max_depth: 2, ..markdown() };
    let doc = "<!-- toc -->\n<!-- /toc -->\n# A\n### A\n## A\n";
    assert_eq!(toc_of(doc, &options), "- [A](#a)\n  - [A](#a-2)\n");
}

#[test]
fn html_style_closes_a_list_items_fence_the_way_mdtoc_does() {
    // The fence that closes the code block is indented less than the item's content: CommonMark
    // (GitHub) ends the item there and opens a new code block that swallows "## After"; mdtoc's
    // parser pairs the two fences and lists it.
    let stray = "- item\n\n  ```\n  code\n ```\n\n## After\n";
    let doc = format!("# Title\n<!-- toc -->\n<!-- /toc -->\n\n## Before\n\n{stray}");
    assert_eq!(toc_of(&doc, &html()), "- [Before](#before)\n- [After](#after)\n");
    assert_eq!(toc_of(&doc, &markdown()), "- [Title](#title)\n  - [Before](#before)\n");
    let two = format!("<!-- toc -->\n<!-- /toc -->\n\n{stray}{}", stray.replace("After", "Later"));
    assert_eq!(toc_of(&two, &html()), "- [After](#after)\n- [Later](#later)\n");
    // Closed properly: CommonMark and mdtoc agree. Closed by a longer marker: no fence for
    // gomarkdown, which needs exactly the same one, so "## After" is a heading for mdtoc (real
    // mdtoc v1.4.0 lists it) and code for GitHub.
    let closed = "<!-- toc -->\n<!-- /toc -->\n\n- item\n\n  ```\n  code\n  ```\n\n## After\n";
    let longer = closed.replace("  ```\n\n", " ````\n\n");
    for doc in [closed, &longer] {
        assert_eq!(toc_of(doc, &html()), "- [After](#after)\n", "{doc:?}");
    }
    assert_eq!(toc_of(&longer, &markdown()), "");
}

#[test]
fn fuzz_regressions_do_not_panic() {
    // Found by `cargo fuzz run regenerate`: a list item indented with a tab before a fence; a
    // stray list-item fence inside the TOC body (html style must not read headings through it);
    // markers inside a `<?` block that a `?>` in the new TOC would end early; a quote's paragraph
    // ending in a character of two bytes with no line feed after it (the property tests).
    let found = [
        "<!-- toc -->\n<!-- /toc -->\n> a \u{a5}",
        "<!-- toc -->\n<!-- /toc -->\n> a\n> b\u{a5}\n---\n",
        "<?\n<!-- toc -->\n<!-- /toc -->\n# ?>\n# <??>",
        "<!-- toc -->\n- ~~~\n~~~\n~~~\n<!-- /toc -->\n#",
        "\n#\t*\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}*\u{58a}*~\u{18}\t~\n*\r\u{1}\n+\t[\u{3}~~\u{0}]:\n\t~~~\n  ```\n  code\n ``\n|Y!\n|-\n\u{0}*\r0\u{0}*\r\u{1}\n+\t[\n:]:\n\t~~~\n\u{58a}*~\u{18}\t~\n*\r\u{1}\n+\t[\u{3}~\n##\n#\n#\n#\n\n##~\u{0}]##\n#\n#\n#\n\n##\n#\n#:\n\t~~~\n#\t\n##\n#\n#\n\u{1}\n\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\t\t?\n!Y=\n]|=\tm \n]|=\tm\t~v\t\tW\u{0}\u{0}\u{0}\n2292213",
    ];
    for doc in found {
        for (style, skip_prefix) in [TocStyle::Markdown, TocStyle::Html].into_iter().zip([false, true]) {
            let options = TocOptions { style, max_depth: 2, skip_prefix, ..TocOptions::default() };
            if let Ok(Outcome::Stale(new)) = regenerate(doc, &options) {
                assert_eq!(regenerate(&new, &options), Ok(Outcome::Fresh), "{doc:?}");
            }
        }
    }
}

#[test]
fn a_reference_definition_inside_the_toc_body_does_not_shape_mdtoc_link_text() {
    // Found by the property test: the body is replaced, so its `[i]: /a` must not make the
    // heading `[i]` a link (it did once, and the next run wrote it back as text).
    let options = TocOptions { max_depth: 2, skip_prefix: false, ..html() };
    let doc = "> # \n## [i]\n<!-- toc -->\n[i]: /a\n<!-- /toc -->";
    let Ok(Outcome::Stale(once)) = regenerate(doc, &options) else { panic!("stale") };
    assert!(once.contains("- [[i]](#i)\n"), "{once}");
    assert_eq!(regenerate(&once, &options), Ok(Outcome::Fresh));
}

#[test]
fn html_style_leaves_out_headings_mdtoc_takes_for_a_title_block() {
    // mmark's parser hook reads a block that starts with `---` as a title block up to the next
    // `---`, wherever it is: mdtoc v1.4.0 leaves out the headings between (kueue's KEP-77).
    let doc = "<!-- toc -->\n<!-- /toc -->\n\n## A\n\n---\n\n#### B\n\n---\n\n#### C\n\n## D a---b\n\n## E\n";
    assert_eq!(toc_of(doc, &html()), "- [A](#a)\n    - [C](#c)\n- [D a---b](#d-a---b)\n- [E](#e)\n");
    // `Text` underlined is a heading; a `---` inside a paragraph starts nothing.
    let setext = "<!-- toc -->\n<!-- /toc -->\n\nText\n---\n\n## B\n\n---\n";
    assert_eq!(toc_of(setext, &html()), "- [Text](#text)\n- [B](#b)\n");
    // GitHub shows them all: the markdown style lists them.
    assert!(toc_of(doc, &markdown()).contains("[B](#b)"));
    // A title block ending mid-line where `---` goes on starts another one there, which hides
    // the next heading too (found by the mdtoc fuzz target).
    let chained = "<!-- toc -->\n<!-- /toc -->\n----\n## Name: ------ x\n## Hidden\n|---|---|\n## Seen\n";
    assert_eq!(toc_of(chained, &html()), "- [Seen](#seen)\n");
    // A rule in the TOC body (about to be replaced) or above it starts nothing: mdtoc reads what
    // follows the TOC, and regenerating twice gives what regenerating once does (proptest found).
    let ruled_body = "===\n<!-- TOC -->\n---\n<!-- /toc -->\n¡\n---";
    let Ok(Outcome::Stale(once)) = regenerate(ruled_body, &html()) else { panic!("stale") };
    assert_eq!(regenerate(&once, &html()), Ok(Outcome::Fresh), "{once}");
}

#[test]
fn other_tools_pairs_are_theirs_never_malformed() {
    let body = "- [A](#a)\n";
    let cases = [
        ("<!-- TOC -->", "<!-- TOC -->", Family::JetBrains),
        ("<!-- TOC depthFrom:1 depthTo:2 -->", "<!-- /TOC -->", Family::VsCode),
        ("<!-- toc -->", "<!-- tocstop -->", Family::MarkdownToc),
        (
            "<!-- START doctoc generated TOC please keep comment here to allow auto update -->",
            "<!-- END doctoc generated TOC please keep comment here to allow auto update -->",
            Family::Doctoc,
        ),
        ("<!-- START doctoc -->", "<!-- END doctoc -->", Family::Doctoc),
    ];
    for (start, end, family) in cases {
        let doc = format!("# T\n\n{start}\n{body}{end}\n\n## A\n");
        let parsed = Document::parse(&doc, TocStyle::Markdown).unwrap_or_else(|err| panic!("{start}: {err}"));
        assert_eq!(parsed.markers, None, "{start}");
        assert_eq!(parsed.foreign_tocs.len(), 1, "{start}");
        assert_eq!(parsed.foreign_tocs[0].family, family);
        assert_eq!(&doc[parsed.foreign_tocs[0].lines.clone()], format!("{start}\n{body}{end}\n"));
        assert_eq!(regenerate(&doc, &markdown()), Ok(Outcome::NoMarkers), "{start}: left byte for byte");
        // Beside git-kep's own pair, each keeps its own.
        let both = format!("{doc}\n<!-- toc -->\n<!-- /toc -->\n");
        let Ok(Outcome::Stale(fresh)) = regenerate(&both, &markdown()) else { panic!("{start}: ours is stale") };
        assert!(fresh.starts_with(&doc), "{start}: theirs untouched");
    }
    // Lone markers only another tool writes never block either.
    for lone in ["<!-- TOC -->", "<!-- tocstop -->", "<!-- START doctoc -->", "<!-- END doctoc -->"] {
        assert_eq!(regenerate(&format!("# T\n\n{lone}\n\n## A\n"), &markdown()), Ok(Outcome::NoMarkers), "{lone}");
    }
    // git-kep's own broken pair still refuses; `<!-- TOC -->` closed by `<!-- /TOC -->` is mdtoc's.
    assert!(matches!(regenerate("<!-- toc -->\n# A\n", &markdown()), Err(MarkerError::MissingEnd { .. })));
    assert!(matches!(regenerate("<!-- /toc -->\n# A\n", &markdown()), Err(MarkerError::EndBeforeStart { .. })));
    let mdtoc = Document::parse("<!-- TOC -->\n<!-- /TOC -->\n# A\n", TocStyle::Markdown).unwrap();
    assert!(mdtoc.markers.is_some() && mdtoc.foreign_tocs.is_empty());
}

#[test]
fn a_title_block_after_a_leaking_toc_body_is_read_as_the_refreshed_text_reads_it() {
    // Found by the property test: with a `<div>` in the TOC body (which swallows what follows
    // up to a blank line), the rules mdtoc's title blocks follow came from the text with the
    // body, the headings from the text without it; regenerating twice gave two TOCs.
    let options = TocOptions { max_depth: 1, skip_prefix: false, ..html() };
    let doc = "<!-- toc -->\n<div>\n<!-- /toc -->\n---\n> # a\n---";
    let once = match regenerate(doc, &options).unwrap() {
        Outcome::Stale(once) => once,
        other => panic!("{other:?}"),
    };
    assert_eq!(regenerate(&once, &options), Ok(Outcome::Fresh), "{once:?}");
}
