//! Other tools' TOCs (JetBrains, VS Code's Markdown TOC, markdown-toc, doctoc) through real
//! commits and `toc --check`: theirs, left byte for byte, never a refused commit or exit 2.

use crate::harness::{TestRepo, stderr};

const PAIRS: [(&str, &str); 4] = [
    ("<!-- TOC -->", "<!-- TOC -->"),
    ("<!-- TOC depthFrom:2 depthTo:3 -->", "<!-- /TOC -->"),
    ("<!-- toc -->", "<!-- tocstop -->"),
    ("<!-- START doctoc -->", "<!-- END doctoc -->"),
];

fn proposal(start: &str, end: &str, heading: &str) -> String {
    let anchor = heading.to_lowercase().replace(' ', "-");
    format!("# P\n\n{start}\n- [{heading}](#{anchor})\n{end}\n\n## {heading}\n\nSee [it](#{anchor}).\n")
}

#[test]
fn commits_touching_other_tools_tocs_go_through_and_leave_them_alone() {
    let repo = TestRepo::with_hook();
    for (i, (start, end)) in PAIRS.iter().enumerate() {
        let path = format!("proposals/00{}-p/README.md", i + 2);
        repo.write(&path, proposal(start, end, "Design Details"));
        repo.git(&["add", &path]);
        let output = repo.git_in(&repo.path(), &["commit", "-q", "-m", "add"]);
        assert_eq!(output.status.code(), Some(0), "{start}: {}", stderr(&output));
        assert_eq!(repo.show(&format!("HEAD:{path}")), proposal(start, end, "Design Details").as_bytes());
        // A rename takes the proposal's link along, never the entries of the other tool's TOC.
        let renamed = proposal(start, end, "Design Details").replace("## Design Details", "## Design");
        repo.write(&path, &renamed);
        repo.git(&["add", &path]);
        let output = repo.git_in(&repo.path(), &["commit", "-q", "-m", "rename"]);
        assert_eq!(output.status.code(), Some(0), "{start}: {}", stderr(&output));
        let committed = String::from_utf8(repo.show(&format!("HEAD:{path}"))).unwrap();
        assert!(committed.contains(&format!("{start}\n- [Design Details](#design-details)\n{end}\n")), "{committed}");
        assert!(committed.ends_with("See [it](#design).\n"), "{committed}");
    }
    let check = repo.kep(&["toc", "--check"]);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
}

#[test]
fn a_broken_pair_of_git_kep_markers_still_refuses() {
    let repo = TestRepo::with_hook();
    let path = "proposals/002-p/README.md";
    repo.write(path, "# P\n\n<!-- toc -->\n\n## A\n");
    repo.git(&["add", path]);
    let output = repo.git_in(&repo.path(), &["commit", "-q", "-m", "broken"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stderr(&output).contains("has no matching"), "{}", stderr(&output));
    assert_eq!(repo.kep(&["toc", "--check", path]).status.code(), Some(2));
}
