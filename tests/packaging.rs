//! Packaging: the files the packages ship beside the binary are the binary's.

use crate::harness::{BIN, stderr};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo_file(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

#[test]
fn the_packaged_man_page_and_completions_are_what_the_binary_prints() {
    for (args, rel) in [
        (&["man"][..], "share/man/man1/git-kep.1"),
        (&["completions", "bash"][..], "share/bash-completion/completions/git-kep"),
        (&["completions", "zsh"][..], "share/zsh/site-functions/_git-kep"),
        (&["completions", "fish"][..], "share/fish/vendor_completions.d/git-kep.fish"),
    ] {
        let printed = Command::new(BIN).args(args).output().unwrap();
        assert!(printed.status.success(), "git-kep {args:?}: {}", stderr(&printed));
        let shipped = fs::read(repo_file("packaging/wheel/data").join(rel)).unwrap_or_default();
        assert!(
            shipped == printed.stdout,
            "packaging/wheel/data/{rel} is not what `git-kep {}` prints: run `sh scripts/package-data.sh`",
            args.join(" ")
        );
    }
}
