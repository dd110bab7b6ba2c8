//! The proposal index (`<!-- kep-index -->`) kept fresh by the hook through real commits: a
//! status changed, a proposal added or removed, the table regenerated from what the commit
//! holds, restaged, with unstaged edits in the index file kept.

use crate::harness::{TestRepo, stderr};

const ROW: &str = "| [{number}]({path}) | {title} | {status} |";

fn tep(title: &str, status: &str) -> String {
    format!("---\ntitle: {title}\nstatus: {status}\n---\n\n# {title}\n\nText.\n")
}

fn index(rows: &str) -> String {
    format!(
        "# TEPs\n\nIntro.\n\n<!-- kep-index -->\n| TEP | Title | Status |\n|---|---|---|\n{rows}<!-- /kep-index -->\n\nOutro.\n"
    )
}

/// Single-file proposals `teps/NNNN-name.md`, their index in `teps/README.md`, committed fresh,
/// the hook installed.
fn teps_repo() -> TestRepo {
    let repo = TestRepo::new();
    repo.write(".kepconfig", format!("[kep]\n\tlayout = teps/{{number}}-{{name}}.md\n\tindexRow = {ROW}\n"));
    repo.write("teps/0001-alpha.md", tep("Alpha", "proposed"));
    repo.write("teps/0002-beta.md", tep("Beta", "implementable"));
    repo.write(
        "teps/README.md",
        index("| [1](0001-alpha.md) | Alpha | proposed |\n| [2](0002-beta.md) | Beta | implementable |\n"),
    );
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "--no-verify", "-m", "initial"]);
    repo.ok(repo.kep(&["install"]));
    repo
}

fn commit(repo: &TestRepo, args: &[&str]) -> String {
    let mut all = vec!["commit", "-q", "-m", "change"];
    all.extend_from_slice(args);
    let output = repo.git_in(&repo.path(), &all);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    stderr(&output)
}

fn committed(repo: &TestRepo, path: &str) -> String {
    String::from_utf8(repo.show(&format!("HEAD:{path}"))).unwrap()
}

#[test]
fn a_status_change_refreshes_the_index_and_keeps_its_unstaged_edit() {
    let repo = teps_repo();
    repo.write("teps/0002-beta.md", tep("Beta", "implemented"));
    repo.git(&["add", "teps/0002-beta.md"]);
    // An edit in the index file's prose, not staged.
    let edited = repo.read_string("teps/README.md").replace("Intro.", "Intro, being rewritten.");
    repo.write("teps/README.md", &edited);
    let said = commit(&repo, &[]);
    let fresh = index("| [1](0001-alpha.md) | Alpha | proposed |\n| [2](0002-beta.md) | Beta | implemented |\n");
    assert_eq!(committed(&repo, "teps/README.md"), fresh, "the commit has the fresh index");
    assert_eq!(String::from_utf8(repo.staged("teps/README.md")).unwrap(), fresh, "and the index file staged");
    assert_eq!(
        repo.read_string("teps/README.md"),
        fresh.replace("Intro.", "Intro, being rewritten."),
        "the work tree has the fresh index and the unstaged edit"
    );
    assert!(said.contains("the proposal index in teps/README.md"), "{said}");
    // Nothing stale is left: the next commit of another file changes nothing there.
    repo.write("notes.txt", "n\n");
    repo.git(&["add", "notes.txt"]);
    commit(&repo, &[]);
    assert_eq!(committed(&repo, "teps/README.md"), fresh);
}

#[test]
fn a_new_proposal_and_a_removed_one_change_the_rows() {
    let repo = teps_repo();
    repo.write("teps/0003-gamma.md", tep("Gamma", "proposed"));
    repo.git(&["add", "teps/0003-gamma.md"]);
    commit(&repo, &[]);
    assert!(committed(&repo, "teps/README.md").contains("| [3](0003-gamma.md) | Gamma | proposed |\n"));
    repo.git(&["rm", "-q", "teps/0001-alpha.md"]);
    commit(&repo, &[]);
    assert_eq!(
        committed(&repo, "teps/README.md"),
        index("| [2](0002-beta.md) | Beta | implementable |\n| [3](0003-gamma.md) | Gamma | proposed |\n")
    );
    assert_eq!(repo.read_string("teps/README.md"), committed(&repo, "teps/README.md"));
}

#[test]
fn the_rows_come_from_the_staged_content_not_the_work_tree() {
    let repo = teps_repo();
    repo.write("teps/0001-alpha.md", tep("Alpha", "implementable"));
    repo.git(&["add", "teps/0001-alpha.md"]);
    // Changed again in the work tree, not staged: not what the commit holds.
    repo.write("teps/0001-alpha.md", tep("Alpha", "withdrawn"));
    commit(&repo, &[]);
    let committed_index = committed(&repo, "teps/README.md");
    assert!(committed_index.contains("| Alpha | implementable |"), "{committed_index}");
    assert!(!committed_index.contains("withdrawn"));
    assert_eq!(repo.read_string("teps/0001-alpha.md"), tep("Alpha", "withdrawn"), "the unstaged edit is kept");
}

#[test]
fn commit_all_and_an_index_in_the_root_readme_of_folder_proposals() {
    let repo = TestRepo::new();
    repo.write(".kepconfig", format!("[kep]\n\tdir = keps\n\tindexRow = {ROW}\n"));
    repo.write("keps/001-first/README.md", "# First\n\nText.\n");
    repo.write("keps/001-first/kep.yaml", "title: First\nstatus: provisional\n");
    let readme = "# Project\n\n<!-- kep-index -->\n| KEP | Title | Status |\n|---|---|---|\n| [1](keps/001-first/README.md) | First | provisional |\n<!-- /kep-index -->\n";
    repo.write("README.md", readme);
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "--no-verify", "-m", "initial"]);
    repo.ok(repo.kep(&["install"]));
    // Only the metadata file changes, committed with `commit -a`.
    repo.write("keps/001-first/kep.yaml", "title: First\nstatus: implementable\n");
    commit(&repo, &["-a"]);
    let fresh = readme.replace("| provisional |", "| implementable |");
    assert_eq!(committed(&repo, "README.md"), fresh);
    assert_eq!(repo.read_string("README.md"), fresh);
    assert_eq!(repo.kep(&["toc", "--check"]).status.code(), Some(0), "toc agrees");
}

#[test]
fn a_commit_outside_the_proposals_leaves_a_stale_index_alone() {
    let repo = teps_repo();
    // Made stale by a commit that skipped the hook.
    repo.write("teps/0001-alpha.md", tep("Alpha", "withdrawn"));
    repo.git(&["add", "teps/0001-alpha.md"]);
    repo.git(&["commit", "-q", "--no-verify", "-m", "skip"]);
    let before = committed(&repo, "teps/README.md");
    repo.write("notes.txt", "n\n");
    repo.git(&["add", "notes.txt"]);
    commit(&repo, &[]);
    assert_eq!(committed(&repo, "teps/README.md"), before, "not this commit's business");
    // `toc --check` says it is stale, and `toc` refreshes it.
    assert_eq!(repo.kep(&["toc", "--check"]).status.code(), Some(1));
    repo.ok(repo.kep(&["toc"]));
    assert!(repo.read_string("teps/README.md").contains("| Alpha | withdrawn |"));
}

#[test]
fn broken_index_markers_are_said_and_left_and_the_commit_goes_on() {
    let repo = teps_repo();
    let broken = repo.read_string("teps/README.md").replace("<!-- /kep-index -->\n", "");
    repo.write("teps/README.md", &broken);
    repo.git(&["add", "teps/README.md"]);
    repo.git(&["commit", "-q", "--no-verify", "-m", "broken"]);
    repo.write("teps/0001-alpha.md", tep("Alpha", "withdrawn"));
    repo.git(&["add", "teps/0001-alpha.md"]);
    let said = commit(&repo, &[]);
    assert!(said.contains("teps/README.md:5:") && said.contains("left as it is"), "{said}");
    assert_eq!(committed(&repo, "teps/README.md"), broken);
}

#[test]
fn init_names_the_files_holding_an_index_and_the_hook_refreshes_them_there() {
    let repo = TestRepo::new();
    repo.write("teps/0001-alpha.md", tep("Alpha", "proposed"));
    repo.write("teps/0002-beta.md", tep("Beta", "implementable"));
    repo.write("docs/all-teps.md", index("| [1](../teps/0001-alpha.md) | Alpha | proposed |\n"));
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "--no-verify", "-m", "initial"]);
    let init = repo.ok(repo.kep(&["init"]));
    assert!(String::from_utf8_lossy(&init.stdout).contains("docs/all-teps.md"));
    assert!(
        repo.read_string(".kepconfig").contains("indexFiles = docs/all-teps.md"),
        "{}",
        repo.read_string(".kepconfig")
    );
    repo.git(&["config", "kep.indexRow", ROW]);
    repo.ok(repo.kep(&["install"]));
    repo.write("teps/0001-alpha.md", tep("Alpha", "implemented"));
    repo.git(&["add", "teps/0001-alpha.md", ".kepconfig"]);
    commit(&repo, &[]);
    assert_eq!(
        committed(&repo, "docs/all-teps.md"),
        index(
            "| [1](../teps/0001-alpha.md) | Alpha | implemented |\n| [2](../teps/0002-beta.md) | Beta | implementable |\n"
        )
    );
}

#[test]
fn an_unstaged_edit_inside_the_index_rows_is_never_overwritten() {
    let repo = teps_repo();
    repo.write("teps/0002-beta.md", tep("Beta", "implemented"));
    repo.git(&["add", "teps/0002-beta.md"]);
    // A row edited by hand, not staged: the author's, not git-kep's to replace.
    let hand = repo.read_string("teps/README.md").replace("| Alpha | proposed |", "| Alpha (draft) | proposed |");
    repo.write("teps/README.md", &hand);
    let said = commit(&repo, &[]);
    assert!(said.contains("teps/README.md: the work-tree copy's proposal index has unstaged edits"), "{said}");
    assert!(committed(&repo, "teps/README.md").contains("| [2](0002-beta.md) | Beta | implemented |"));
    assert_eq!(repo.read_string("teps/README.md"), hand, "left byte for byte");
}
