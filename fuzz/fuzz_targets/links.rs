//! Fuzzes the link rewrite (`proposal::links`): a heading of an arbitrary document renamed, its
//! links rewritten, and the promise checked from outside the engine (`links::promise`): only
//! link destinations change, each one that changed follows its heading, each one that did not
//! is named; with no two headings alike, none is left unclear. Never a panic.
#![no_main]

use git_kep::proposal::links::{Anchors, Scope, promise, renames, rewrite};
use git_kep::toc::github_view;
use libfuzzer_sys::fuzz_target;

const NAMES: [&str; 6] = ["Renamed", "Foo", "Foo Bar", "x_y", "Été", "A `b`"];

fuzz_target!(|input: &[u8]| {
    let [which, name, rest @ ..] = input else { return };
    let Ok(before) = std::str::from_utf8(rest) else { return };
    let old_view = github_view(before);
    if old_view.headings.is_empty() {
        return;
    }
    // The heading's first line becomes `## NAME`: the same heading, renamed.
    let heading = &old_view.headings[usize::from(*which) % old_view.headings.len()];
    let line_end = before[heading.start..].find(['\n', '\r']).map_or(before.len(), |i| heading.start + i);
    let after =
        format!("{}## {}{}", &before[..heading.start], NAMES[usize::from(*name) % NAMES.len()], &before[line_end..]);
    let new_view = github_view(&after);
    if new_view.headings.len() != old_view.headings.len()
        || old_view.headings.iter().zip(&new_view.headings).filter(|(o, n)| o.text != n.text).count() > 1
    {
        return;
    }
    let done = rewrite(&after, &renames(&old_view, &new_view), &Anchors::of(&new_view), Scope::SameDocument, &[]);
    let moved: Vec<(String, String)> =
        old_view.headings.iter().zip(&new_view.headings).map(|(o, n)| (o.anchor.clone(), n.anchor.clone())).collect();
    if let Err(broken) = promise::check(&after, &done, &moved, &new_view.html_ids) {
        panic!("{broken}");
    }
    let distinct = |view: &git_kep::toc::GithubView| {
        let texts: std::collections::HashSet<(u8, &str)> =
            view.headings.iter().map(|h| (h.level, h.text.as_str())).collect();
        texts.len() == view.headings.len()
    };
    if distinct(&old_view) && distinct(&new_view) {
        assert!(
            done.left.iter().all(|l| !matches!(l.why, git_kep::proposal::links::Why::Unclear(_))),
            "{:?}",
            done.left
        );
    }
});
