//! Fuzzes the index reader and the in-place edit: never a panic on any bytes, and an edit that
//! succeeds gives an index that reads back with the same entries, the edited one changed, and
//! (when the caller rebuilds every tree it is asked for) the directories above it cached with
//! their new ids.
#![no_main]

use git_kep::git::index_file::{BlobUpdate, DirTree, read_under, with_new_blobs, with_new_blobs_and_trees};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|index: &[u8]| {
    let Some(view) = read_under(index, b"") else {
        let update = BlobUpdate { path: b"a", old_oid: [0; 20], new_oid: [1; 20] };
        let _ = with_new_blobs(index, &[update]);
        return;
    };
    // Edit the first stage-0 entry, if any, the way the hook would.
    let Some(entry) = view.entries.iter().find(|e| e.stage == 0) else { return };
    let update = BlobUpdate { path: &entry.path, old_oid: entry.oid, new_oid: [0xab; 20] };
    // Every tree asked for, "rebuilt" with a recognisable id.
    let mut asked: Vec<DirTree> = Vec::new();
    let rebuild = |cached: &[DirTree]| {
        asked = cached.iter().map(|t| DirTree { dir: t.dir.clone(), oid: [0xcd; 20] }).collect();
        asked.clone()
    };
    if let Ok(patched) = with_new_blobs_and_trees(index, std::slice::from_ref(&update), rebuild) {
        let bytes = patched.to_bytes(index);
        let again = read_under(&bytes, b"").expect("an edited index reads back");
        // When git's cache tree had every directory above the entry (as git keeps it), all of
        // them are rebuilt; a cache tree with holes gets them invalidated instead.
        let slashes = entry.path.iter().enumerate().filter(|&(_, &b)| b == b'/').map(|(i, _)| &entry.path[..i]);
        let complete = std::iter::once(&entry.path[..0]).chain(slashes).all(|dir| asked.iter().any(|t| t.dir == dir));
        for tree in asked.iter().filter(|_| complete) {
            assert!(again.cached_trees.contains(&(tree.dir.clone(), tree.oid)), "{:?} rebuilt", tree.dir);
        }
        for (dir, oid) in &again.cached_trees {
            assert!(*oid != [0xcd; 20] || asked.iter().any(|t| &t.dir == dir), "{dir:?} was not asked for");
        }
    }
    if let Ok(patched) = with_new_blobs(index, std::slice::from_ref(&update)) {
        let bytes = patched.to_bytes(index);
        let again = read_under(&bytes, b"").expect("an edited index reads back");
        assert_eq!(again.entries.len(), view.entries.len());
        for (before, after) in view.entries.iter().zip(&again.entries) {
            assert_eq!(before.path, after.path);
            assert_eq!(after.oid, if before.path == entry.path && before.stage == 0 { [0xab; 20] } else { before.oid });
        }
    }
});
