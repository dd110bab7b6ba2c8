//! `git kep init`: the layout detected and written, and what it refuses.

use crate::harness::{TestRepo, stderr, stdout};

fn with_teps(repo: &TestRepo) {
    for n in 1..=4 {
        repo.write(&format!("teps/{n:04}-idea-{n}.md"), format!("# TEP-{n:04}: Idea {n}\n"));
    }
    repo.write("teps/0000-template.md", "# TEP-NNNN: Title\n\n## Summary\n");
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "-m", "teps"]);
}

#[test]
fn init_writes_what_it_found_and_why() {
    let repo = TestRepo::new();
    with_teps(&repo);
    let dry = repo.ok(repo.kep(&["init", "--dry-run"]));
    assert!(stdout(&dry).contains("4 proposals match `teps/{number}-{name}.md`"), "{}", stdout(&dry));
    assert!(!repo.path().join(".kepconfig").exists(), "--dry-run writes nothing");
    repo.ok(repo.kep(&["init"]));
    let written = repo.read_string(".kepconfig");
    for line in [
        "\tlayout = teps/{number}-{name}.md\n",
        "\tnumberWidth = 4\n",
        "\tnameCase = lower-kebab\n",
        "\ttemplate = teps/0000-template.md\n",
    ] {
        assert!(written.contains(line), "{written}");
    }
    // git reads it back as written: the next proposal follows it.
    repo.ok(repo.kep(&["new", "Fifth Idea"]));
    assert_eq!(repo.staged("teps/0005-fifth-idea.md"), b"# TEP-0005: Fifth Idea\n\n## Summary\n");
    // A second init changes nothing without --force.
    repo.git(&["switch", "-q", "main"]);
    let again = repo.kep(&["init"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("already exists") && stderr(&again).contains("--force"), "{}", stderr(&again));
    assert_eq!(repo.read_string(".kepconfig"), written);
}

#[test]
fn init_local_writes_the_repositorys_own_config_and_an_empty_one_gets_the_default() {
    let repo = TestRepo::new();
    with_teps(&repo);
    repo.ok(repo.kep(&["init", "--local"]));
    assert!(!repo.path().join(".kepconfig").exists());
    assert_eq!(repo.git(&["config", "--local", "kep.layout"]).trim(), "teps/{number}-{name}.md");

    let empty = TestRepo::new();
    let output = empty.ok(empty.kep(&["init"]));
    assert!(stdout(&output).contains("no proposals yet"), "{}", stdout(&output));
    assert!(empty.read_string(".kepconfig").contains("\tdir = proposals\n"));
    empty.ok(empty.kep(&["new", "First"]));
    assert!(empty.path().join("proposals/001-First/README.md").is_file());
}

#[test]
fn malformed_patterns_and_templates_are_refused_with_the_key_and_a_hint() {
    let repo = TestRepo::new();
    with_teps(&repo);
    repo.git(&["config", "kep.layout", "teps/{nmuber}-{name}.md"]);
    for args in [&["list"][..], &["new", "X"], &["toc", "--check"]] {
        let output = repo.kep(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let err = stderr(&output);
        assert!(err.contains("kep.layout") && err.contains("{nmuber}") && err.contains("unknown part"), "{err}");
    }
    repo.git(&["config", "kep.layout", "teps/{number}-{name}.md"]);
    repo.write("templates/folder/notes.txt", "no Markdown here\n");
    repo.write("templates/folder/other.txt", "nor here\n");
    repo.git(&["config", "kep.template", "templates/folder"]);
    let before = repo.snapshot();
    let output = repo.kep(&["new", "X"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("no main document") && stderr(&output).contains("hint:"), "{}", stderr(&output));
    assert_eq!(repo.snapshot(), before, "a refused new writes nothing");
}

#[test]
fn a_numbering_someone_set_outranks_the_detected_one() {
    let repo = TestRepo::new();
    // Sparse numbers read as tracking issues'...
    for n in [100, 2000, 3000] {
        repo.write(&format!("keps/{n}-idea-{n}/README.md"), format!("# KEP-{n}: Idea\n"));
    }
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "-m", "keps"]);
    assert_eq!(repo.kep(&["new", "X"]).status.code(), Some(1), "--number is required");
    // ...unless the repository says otherwise.
    repo.git(&["config", "kep.numbering", "next"]);
    repo.ok(repo.kep(&["new", "Next One"]));
    assert!(repo.path().join("keps/3001-next-one/README.md").is_file());
}

#[test]
fn dated_proposals_moved_stubs_and_a_second_series_raise_no_false_findings() {
    let repo = TestRepo::new();
    let proposal = |title: &str| format!("# {title}\n\n## Summary\n\nWhy.\n");
    // Dated proposals written `YYYY-MM-DD-name`: a new one is dated the same way.
    for (day, name) in [("2021-01-02", "first"), ("2021-03-04", "second"), ("2022-05-06", "third")] {
        repo.write(&format!("rfcs/{day}-{name}.md"), proposal(name));
    }
    repo.write("rfcs/YYYY-MM-DD-template.md", proposal("Title"));
    // Proposals numbered in two series (`series/0001-x.md` counts from 1 again) and one stub
    // left where a proposal was, saying where it moved: neither shares a number by mistake.
    for n in 1..=6 {
        repo.write(&format!("se/{n:04}-idea-{n}.md"), proposal(&format!("SE-{n:04}: Idea")));
        repo.write(&format!("se/testing/{n:04}-test-{n}.md"), proposal(&format!("ST-{n:04}: Test")));
    }
    repo.write("se/0003-old-name.md", "This document was renamed. Please see [SE-0003](0003-idea-3.md).\n");
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "-m", "proposals"]);
    repo.ok(repo.kep(&["init"]));
    let check = repo.kep(&["check", "--rule", "duplicate-number"]);
    assert_eq!(check.status.code(), Some(0), "{}{}", stdout(&check), stderr(&check));
    let list = stdout(&repo.ok(repo.kep(&["list"])));
    let stub = list.lines().find(|line| line.contains("0003-old-name")).expect("listed");
    assert!(stub.contains("moved"), "a stub's status: {list}");

    // The dated layout alone: `new` dates the file with dashes, as the others are.
    let dated = TestRepo::new();
    for (day, name) in [("2021-01-02", "first"), ("2021-03-04", "second"), ("2022-05-06", "third")] {
        dated.write(&format!("rfcs/{day}-{name}.md"), proposal(name));
    }
    dated.git(&["add", "-A"]);
    dated.git(&["commit", "-q", "-m", "rfcs"]);
    dated.ok(dated.kep(&["init"]));
    assert!(dated.read_string(".kepconfig").contains("\tlayout = rfcs/{date}-{name}.md\n"));
    dated.ok(dated.kep(&["new", "Fourth"]));
    let added = dated.git(&["diff", "--cached", "--name-only", "HEAD"]);
    let file = added.lines().find(|f| f.starts_with("rfcs/")).expect("a new proposal");
    let day = &file["rfcs/".len()..file.len() - "-fourth.md".len()];
    assert!(crate_dashed(day) && file.ends_with("-fourth.md"), "{file}");
}

fn crate_dashed(day: &str) -> bool {
    day.len() == 10
        && day.bytes().enumerate().all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() })
}

#[test]
fn init_says_when_gitignore_would_keep_its_file_out_of_commits() {
    let repo = TestRepo::new();
    with_teps(&repo);
    repo.write(".gitignore", "/*\n!/teps\n");
    repo.git(&["add", "-f", ".gitignore"]);
    repo.git(&["commit", "-q", "-m", "ignore"]);
    let output = repo.ok(repo.kep(&["init"]));
    assert!(stderr(&output).contains(".kepconfig is ignored by .gitignore"), "{}", stderr(&output));
    assert!(stderr(&output).contains("!/.kepconfig"), "{}", stderr(&output));
    let clean = TestRepo::new();
    with_teps(&clean);
    assert!(!stderr(&clean.ok(clean.kep(&["init"]))).contains("ignored"));
}

#[test]
fn list_titles_a_proposal_by_the_heading_that_opens_it() {
    let repo = TestRepo::new();
    for n in 1..=3 {
        repo.write(&format!("A{n}-idea-{n}.md"), format!("A{n}: Idea {n}\n----\n* Author(s): x\n\n## Abstract\n"));
    }
    repo.write("A4-front.md", "---\nx: y\n---\n\nText first.\n\n## Abstract\n");
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "-m", "proposals"]);
    repo.ok(repo.kep(&["init"]));
    let list = stdout(&repo.ok(repo.kep(&["list"])));
    assert!(list.contains("A2: Idea 2"), "{list}");
    let front = list.lines().find(|line| line.contains("A4-front.md")).expect("listed");
    assert!(!front.contains("Abstract"), "a heading after text names nothing: {list}");
}
