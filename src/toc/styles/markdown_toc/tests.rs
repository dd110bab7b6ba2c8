//! Table-driven tests of the markdown-toc style: small documents and what `markdown-toc -i`
//! (1.2.0) makes of them.

use super::*;

fn run(args: &str, doc: &str) -> Result<Outcome, MarkerError> {
    regenerate(doc, &MarkdownTocOptions::from_args(args).expect("valid flags"))
}

#[test]
fn writes_what_markdown_toc_writes() {
    let cases: &[(&str, &str, &str)] = &[
        // Bullets by level, two spaces a level, duplicates numbered; the text around the markers
        // trimmed and joined with blank lines.
        (
            "",
            "# T\n<!-- toc -->\n- old\n<!-- tocstop -->\n## A\n### B & <i>c</i>\n#### D\n## A\n",
            "# T\n\n<!-- toc -->\n\n- [A](#a)\n  * [B & c](#b--c)\n    + [D](#d)\n- [A](#a-1)\n\n<!-- tocstop -->\n\n## A\n### B & <i>c</i>\n#### D\n## A\n",
        ),
        // Headings in lists and quotes are listed; a tab after `#` is spaces to remarkable.
        (
            "",
            "<!-- toc -->\n<!-- tocstop -->\n\n- ## In a list\n\n> ## In a quote\n\n##\tTabbed\n",
            "\n\n<!-- toc -->\n\n- [In a list](#in-a-list)\n- [In a quote](#in-a-quote)\n- [Tabbed](#tabbed)\n\n<!-- tocstop -->\n\n- ## In a list\n\n> ## In a quote\n\n##\tTabbed\n",
        ),
        // A setext heading whose text starts with `#`s (found by the `markdown_toc` fuzz target).
        (
            "",
            "<!-- toc -->\n<!-- tocstop -->\n\n#*\n-\n\n#a\n---\n\n## b\n",
            "\n\n<!-- toc -->\n\n- [#*](#%23)\n- [#a](#%23a)\n- [b](#b)\n\n<!-- tocstop -->\n\n#*\n-\n\n#a\n---\n\n## b\n",
        ),
        // An underline is its marks and spaces (after a quote's `>`): a vertical tab or form feed
        // after them leaves a paragraph (found by the `markdown_toc` fuzz target).
        (
            "",
            "<!-- toc -->\n<!-- tocstop -->\n\nand\n-  \n\nor\n-\u{b}\n\nnor\n=\u{c}\n\n## b\n\n>--\n>-\n",
            "\n\n<!-- toc -->\n\n- [and](#and)\n- [b](#b)\n- [--](#--)\n\n<!-- tocstop -->\n\nand\n-  \n\nor\n-\u{b}\n\nnor\n=\u{c}\n\n## b\n\n>--\n>-\n",
        ),
        // remarkable ends a table at a line without `|` (GFM goes on with rows): `bar` over
        // `===` is a heading; a table's rows over an underline are none, nor is a table's
        // line when a table started above it (found by the `markdown_toc` fuzz target).
        (
            "",
            "<!-- toc -->\n<!-- tocstop -->\n\n| a | b |\n|---|---|\n| y | z |\nbar\n===\n\n|\n--|\n+|\n-\n\n|x\n--|\n|y\n---\n",
            "\n\n<!-- toc -->\n\n- [bar](#bar)\n\n<!-- tocstop -->\n\n| a | b |\n|---|---|\n| y | z |\nbar\n===\n\n|\n--|\n+|\n-\n\n|x\n--|\n|y\n---\n",
        ),
        // Any list item ends a paragraph for remarkable: after an empty one a block starts
        // (`_` over `-` is a heading), another's text runs on (found by the fuzz target).
        (
            "",
            "<!-- toc -->\n<!-- tocstop -->\n\n-|\n_\n*\n_\n-\n\na\n2. b\nc\n---\n",
            "\n\n<!-- toc -->\n\n- [_](#_)\n\n<!-- tocstop -->\n\n-|\n_\n*\n_\n-\n\na\n2. b\nc\n---\n",
        ),
        // A setext heading of several lines is paragraph text to remarkable, and so is the
        // one-line "heading" right under it (found by the fuzz target).
        (
            "",
            "<!-- toc -->\n<!-- tocstop -->\n\na\nb\n--\nc\n--\n\nd\n--\n",
            "\n\n<!-- toc -->\n\n- [d](#d)\n\n<!-- tocstop -->\n\na\nb\n--\nc\n--\n\nd\n--\n",
        ),
        // A table that runs to the underline leaves it to start a block: `-` an empty list
        // item, after which `AM` over `-` is a heading (found by the fuzz target).
        (
            "",
            "<!-- toc -->\n\n|\n-|\n-\nAM\n-\n",
            "\n\n<!-- toc -->\n\n- [AM](#am)\n\n<!-- tocstop -->\n\n|\n-|\n-\nAM\n-\n",
        ),
        // Under text, `-` (an empty list item) and `---` (a rule) end remarkable's paragraph,
        // `===` and `--` go on with it (found by the fuzz target).
        (
            "",
            "<!-- toc -->\n\na\nb\n-\nc\n===\n\nd\ne\n===\nf\n-\n",
            "\n\n<!-- toc -->\n\n- [c](#c)\n\n<!-- tocstop -->\n\na\nb\n-\nc\n===\n\nd\ne\n===\nf\n-\n",
        ),
        // `#` then a vertical tab is no ATX heading for remarkable (white space to
        // pulldown-cmark): text, over `---` a setext heading; an empty `#` is one, which an
        // underline does not change (found by the fuzz target).
        (
            "",
            "<!-- toc -->\n\n#\u{b}a\n---\n\n#\u{b}b\n\n## c\n\n#\n-\t\t\n",
            "\n\n<!-- toc -->\n\n- [#\u{b}a](#%23%0Ba)\n- [c](#c)\n\n<!-- tocstop -->\n\n#\u{b}a\n---\n\n#\u{b}b\n\n## c\n\n#\n-\n",
        ),
        // ... in a quote or list item too, underlined only inside it: a quote's lazy line or a
        // line left of the item's text underlines nothing (found by the fuzz target).
        (
            "",
            "<!-- toc -->\n\n> #\u{c}\n> --\n\n> #\u{c}\n--\n\n- #\u{c}\n--\n",
            "\n\n<!-- toc -->\n\n- [#](#%23)\n\n<!-- tocstop -->\n\n> #\u{c}\n> --\n\n> #\u{c}\n--\n\n- #\u{c}\n--\n",
        ),
        // A heading that starts with a link is listed by that link's text; diacritics folded.
        (
            "",
            "<!-- toc -->\n<!-- tocstop -->\n## [KEP](http://k) Über Straße\n## Ça va?\n",
            "\n\n<!-- toc -->\n\n- [KEP](#kep)\n- [Ça va?](#ca-va)\n\n<!-- tocstop -->\n\n## [KEP](http://k) Über Straße\n## Ça va?\n",
        ),
        // --maxdepth, --no-firsth1 (the first heading out, every level up one), --bullets.
        (
            "--maxdepth 2 --no-firsth1 --bullets '*'",
            "<!-- toc -->\n<!-- tocstop -->\n# Title\n## A\n### B\n#### C\n",
            "\n\n<!-- toc -->\n\n* [A](#a)\n  * [B](#b)\n\n<!-- tocstop -->\n\n# Title\n## A\n### B\n#### C\n",
        ),
        // A lone `<!-- toc -->` gets its TOC and its `<!-- tocstop -->`.
        ("", "Intro\n\n<!-- toc -->\n\n## A\n", "Intro\n\n<!-- toc -->\n\n- [A](#a)\n\n<!-- tocstop -->\n\n## A\n"),
        // A setext heading of two lines is a paragraph and a rule to remarkable.
        (
            "",
            "<!-- toc -->\n<!-- tocstop -->\nOne\n===\n\nTwo\nlines\n---\n",
            "\n\n<!-- toc -->\n\n- [One](#one)\n\n<!-- tocstop -->\n\nOne\n===\n\nTwo\nlines\n---\n",
        ),
        // A `\r` alone ends no line for remarkable: it stays in the title and the slug (found by
        // the `markdown_toc` fuzz target).
        (
            "",
            "<!-- toc -->\n<!-- tocstop -->\n## a\rb\n",
            "\n\n<!-- toc -->\n\n- [a\rb](#a%0Db)\n\n<!-- tocstop -->\n\n## a\rb\n",
        ),
        // A line with a pipe over `---` ends the paragraph above it (a table could start there)
        // and is a setext heading of its own.
        (
            "",
            "<!-- toc -->\n<!-- tocstop -->\ntext\n|b: c\n---\n\nand\nmore\n---\n",
            "\n\n<!-- toc -->\n\n- [|b: c](#b-c)\n\n<!-- tocstop -->\n\ntext\n|b: c\n---\n\nand\nmore\n---\n",
        ),
        // A link reference definition is paragraph text to remarkable: the line under it goes
        // on with that paragraph, no setext heading (unless a table could start there).
        (
            "",
            "<!-- toc -->\n<!-- tocstop -->\n\n# A\n\n[a]: h\ntitle: x\n---\n\n[b]: h\n|c\n---\n",
            "\n\n<!-- toc -->\n\n- [A](#a)\n  * [|c](#c)\n\n<!-- tocstop -->\n\n# A\n\n[a]: h\ntitle: x\n---\n\n[b]: h\n|c\n---\n",
        ),
        // A definition over `===` is a setext heading (remarkable's heading rules come first).
        (
            "",
            "<!-- toc -->\n<!-- tocstop -->\n\n[x]: http://a.io\n===\n",
            "\n\n<!-- toc -->\n\n- [[x]: http://a.io](#x-httpaio)\n\n<!-- tocstop -->\n\n[x]: http://a.io\n===\n",
        ),
        // An ANSI escape leaves the slug (strip-color), not the title.
        (
            "",
            "<!-- toc -->\n<!-- tocstop -->\n## a\u{1b}[1mbc\n",
            "\n\n<!-- toc -->\n\n- [a\u{1b}[1mbc](#abc)\n\n<!-- tocstop -->\n\n## a\u{1b}[1mbc\n",
        ),
    ];
    if let Some(path) = std::env::var_os("MARKDOWN_TOC_CASES") {
        let dump: Vec<String> = cases.iter().map(|(a, d, w)| format!("{a}\u{1}{d}\u{1}{w}")).collect();
        std::fs::write(path, dump.join("\u{0}")).unwrap();
    }
    for (args, doc, want) in cases {
        let Ok(Outcome::Stale(new)) = run(args, doc) else { panic!("{args:?}: {doc}: {:?}", run(args, doc)) };
        assert_eq!(&new, want, "{args:?}\n{doc}");
        assert_eq!(run(args, &new), Ok(Outcome::Fresh), "markdown-toc leaves what it wrote\n{new}");
    }
}

#[test]
fn ansi_escapes_leave_slugs_as_strip_color_takes_them() {
    // `/\x1B[[(?);]{0,2}(;?\d)*./g`: up to two of `[(?);`, digits with `;`s, one character more
    // (found by the `markdown_toc` fuzz target).
    let cases = [
        ("a\u{1b}b", "a"),
        ("a\u{1b}", "a\u{1b}"),
        ("a\u{1b}[1", "a"),
        ("a\u{1b}[1m x", "a x"),
        ("\u{1b};1;2;3", "3"),
        ("\u{1b}((1x", ""),
        ("\u{1b}\nb", "\u{1b}\nb"),
        ("\u{1b}[\nb", "\nb"),
        ("a\u{1b}\0\0", "a\0"),
    ];
    for (text, want) in cases {
        assert_eq!(strip_color(text), want, "{text:?}");
    }
}

#[test]
fn files_markdown_toc_never_accepts_or_refuses() {
    // No marker: not markdown-toc's TOC.
    assert_eq!(run("", "# T\n\n<!--toc-->\n## A\n"), Ok(Outcome::NoMarkers));
    // Front matter goes back through a YAML dump and gains a newline each time.
    let front_matter = "---\ntitle: x\n---\n\n<!-- toc -->\n<!-- tocstop -->\n\n## A\n";
    assert!(matches!(run("", front_matter), Ok(Outcome::Unmatched { .. })));
    // A heading of nothing but `#`s: markdown-toc fails (TypeError) on it.
    assert!(matches!(run("", "<!-- toc -->\n<!-- tocstop -->\n\n# A\n\n## ##\n"), Ok(Outcome::Unmatched { .. })));
    // Nothing after the TOC: the trailing newlines grow each time.
    assert!(matches!(run("", "# T\n\n<!-- toc -->\n<!-- tocstop -->\n\n"), Ok(Outcome::Unmatched { .. })));
    // "markdown-toc only supports one Table of Contents per file."
    let two = "<!-- toc -->\n<!-- tocstop -->\n## A\n<!-- toc -->\n";
    assert!(matches!(run("", two), Err(MarkerError::NestedStart { family: Family::MarkdownToc, line: 4, .. })));
}

#[test]
fn command_lines_as_minimist_reads_them() {
    let options =
        MarkdownTocOptions::from_args("-i --maxdepth 3 --no-firsth1 --bullets '*' --bullets '+' README.md").unwrap();
    assert_eq!(
        options,
        MarkdownTocOptions {
            max_depth: 3,
            first_h1: false,
            bullets: vec!["*".into(), "+".into()],
            ..MarkdownTocOptions::default()
        }
    );
    for bad in ["--json", "--maxdepth x", "--bullets 'a..c'"] {
        assert!(MarkdownTocOptions::from_args(bad).is_err(), "{bad}");
    }
}

#[test]
fn html_in_a_list_item_or_quote_is_a_paragraph_a_lazy_line_continues() {
    // With HTML off, `<script>` or `<div>` after a list item's or a quote's marker starts a
    // paragraph for remarkable, which the next unmarked line continues lazily: no setext heading
    // over the `-` after it (an empty list item), where pulldown-cmark ends the HTML block and
    // the container there (found by the `markdown_toc` fuzz target).
    let doc = "<!-- toc -->\n<!-- tocstop -->\n\n-\t<script>x\nyy\n-\n\n> <div>\nzz\n-\n\nww\n---\n";
    let want = format!("\n\n<!-- toc -->\n\n- [ww](#ww)\n\n<!-- tocstop -->\n\n{}", &doc[31..]);
    assert_eq!(run("", doc), Ok(Outcome::Stale(want)));
}

#[test]
fn a_lazy_line_that_heads_a_table_ends_its_quote() {
    // remarkable's paragraph checks its table terminator up to the end of the document: a lazy
    // line of a quote that heads a table with the line after it (one the quote did not take in)
    // ends the quote, and the document's reading goes on from it: `a|` over `-` is a heading
    // (found by the `markdown_toc` fuzz target). `c|` over `--` (taken in lazily) and `e|f` over
    // `---` (two cells over one) stay in their quotes.
    let doc = "<!-- toc -->\n<!-- tocstop -->\n\n>ot\na|\n-\n\n> > b\nc|\n--\n\n> d\ne|f\n---\ng\n===\n";
    let want = format!("\n\n<!-- toc -->\n\n  * [a|](#a)\n- [g](#g)\n\n<!-- tocstop -->\n\n{}", &doc[31..]);
    assert_eq!(run("", doc), Ok(Outcome::Stale(want)));
}

#[test]
fn a_table_inside_a_quote_ends_its_paragraph() {
    // remarkable reads a quote's lines without their `>`s: `> a|` over `> -` heads a table there,
    // which ends the paragraph above it, and so is a setext heading of its own (found next to the
    // `markdown_toc` fuzz target's `>ot` stop).
    let doc = "<!-- toc -->\n<!-- tocstop -->\n\n> ot\n> a|\n> -\n\n> > b\n> > c\n> > ---\n";
    let want = format!("\n\n<!-- toc -->\n\n- [a|](#a)\n\n<!-- tocstop -->\n\n{}", &doc[31..]);
    assert_eq!(run("", doc), Ok(Outcome::Stale(want)));
}

#[test]
fn a_tilde_fence_with_a_backtick_in_its_info_is_text() {
    // remarkable opens no fence whose info string holds a backtick, `~~~` fences too: the lines
    // after it are read as they are, in quotes and list items too, and an underline makes it a
    // heading; a `# #` there is a heading of nothing but `#`s, on which markdown-toc fails
    // (found by the `markdown_toc` fuzz target: `~~~...`!` over `# #`).
    let doc = "<!-- toc -->\n<!-- tocstop -->\n\n~~~ a`b\n# x\n\n> ~~~`\n> # q\n\n- ~~~ `\n  # r\n\n~~~~`z\n---\n\n\
               ```\n~~~`\n# code\n```\n\n~~~\n~~~`\n# u\n~~~\n";
    let want = format!(
        "\n\n<!-- toc -->\n\n- [x](#x)\n- [q](#q)\n- [r](#r)\n  * [~~~~`z](#z)\n\n<!-- tocstop -->\n\n{}",
        &doc[31..]
    );
    assert_eq!(run("", doc), Ok(Outcome::Stale(want)));
    let fails = "<!-- toc -->\n\n~~~~`!\r#\n# #\n\rtext\n";
    assert!(matches!(run("--maxdepth 3", fails), Ok(Outcome::Unmatched { .. })));
}

#[test]
fn link_reference_definitions_are_paragraph_text_to_the_block_rules() {
    // remarkable takes definitions out of paragraphs once its block rules have read them: a
    // definition's line starts or continues a paragraph, which a table-heading line ends (`[r]:`
    // then `|a` over `-`, a definition with the destination `|a` for CommonMark), and an
    // underline makes a heading of its line only where it starts a block; a label defined twice
    // is no different (found by the `markdown_toc` fuzz target: `[r]:"`, `[r]:|`, `-`).
    let doc = "<!-- toc -->\n<!-- tocstop -->\n\n[r]:\n|a\n-\n\n[s]: /a\n[t]: /b\n-\n\n[u]: /c\n---\n\n\
               [v]:\"\n[v]:|\n-\n\n## [k][u]\n";
    let want = format!(
        "\n\n<!-- toc -->\n\n- [|a](#a)\n- [[u]: /c](#u-c)\n- [[v]:|](#v)\n- [[k][u]](#ku)\n\n<!-- tocstop -->\n\n{}",
        &doc[31..]
    );
    assert_eq!(run("", doc), Ok(Outcome::Stale(want)));
}

#[test]
fn a_line_with_a_quote_marker_stays_in_its_quote_however_far_indented() {
    // remarkable's quote takes a line whose first character other than a space is `>` as its
    // own at any indentation (tabs are spaces by then); pulldown-cmark reads it as a lazy line,
    // or code. In a list item too; after a blank line or a paragraph it is code or text still
    // (found by the `markdown_toc` fuzz target: `>>\t>\t`` then `\t>## 3*`, a heading in the
    // outer quote).
    let doc = "<!-- toc -->\n<!-- tocstop -->\n\n>>\t>\t%\n>>\t>\t`\n>>\t>`\n\t>## 3*\n\n- > a\n        > # b\n\n\
               > c\n\n    > # code\n\np\n    > # lazy\n";
    let want = format!("\n\n<!-- toc -->\n\n  * [3*](#3)\n- [b](#b)\n\n<!-- tocstop -->\n\n{}", &doc[31..]);
    assert_eq!(run("", doc), Ok(Outcome::Stale(want)));
}

#[test]
fn a_setext_heading_right_under_lines_over_a_mark_and_a_vertical_tab_continues_their_paragraph() {
    // `-` then a vertical tab underlines nothing for remarkable: the paragraph goes on into the
    // lines under it, in quotes too, and a `-` under them is an empty list item that ends it, no
    // underline (found by the `markdown_toc` fuzz target: `x`, `-\v`, `x` over `-`).
    let doc = "<!-- toc -->\n<!-- tocstop -->\n\nx\n-\x0b\nx\n-\n\n> x\n> -\x0b\n> y\n> -\n\nz\n-\x0b\n\nw\n-\n";
    let want = format!("\n\n<!-- toc -->\n\n- [w](#w)\n\n<!-- tocstop -->\n\n{}", &doc[31..]);
    assert_eq!(run("", doc), Ok(Outcome::Stale(want)));
}
