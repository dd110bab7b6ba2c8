//! The in-place edit's promise, checked from outside (by the `index` fuzz target and the tests):
//! any bytes read or edited without a panic, and an edit that succeeds reads back with the same
//! entries, the edited one changed, and a cache tree whose every node is either the input's own
//! (same directory, same id) or one the caller rebuilt when asked. Compared with the input's own
//! trees, not with a marker id: an input may already cache any id (the fuzzer found one holding
//! the marker the target used, and reported a crash that was not one).

use super::{BlobUpdate, DirTree, read_under, with_new_blobs, with_new_blobs_and_trees};

/// `Err` with what broke the promise, for the edit the hook would make to `index`: the first
/// stage-0 entry pointed at `new_blob`, every tree asked for "rebuilt" as `rebuilt_tree`.
pub fn check(index: &[u8], new_blob: [u8; 20], rebuilt_tree: [u8; 20]) -> Result<(), String> {
    let Some(view) = read_under(index, b"") else {
        let update = BlobUpdate { path: b"a", old_oid: [0; 20], new_oid: new_blob };
        let _ = with_new_blobs(index, &[update]);
        return Ok(());
    };
    let Some(entry) = view.entries.iter().find(|e| e.stage == 0) else { return Ok(()) };
    let update = BlobUpdate { path: &entry.path, old_oid: entry.oid, new_oid: new_blob };
    let mut asked: Vec<DirTree> = Vec::new();
    let rebuild = |cached: &[DirTree]| {
        asked = cached.iter().map(|t| DirTree { dir: t.dir.clone(), oid: rebuilt_tree }).collect();
        asked.clone()
    };
    if let Ok(patched) = with_new_blobs_and_trees(index, std::slice::from_ref(&update), rebuild) {
        let bytes = patched.to_bytes(index);
        let again = read_under(&bytes, b"").ok_or("an edited index does not read back")?;
        // When git's cache tree had every directory above the entry (as git keeps it), all of
        // them are rebuilt; a cache tree with holes gets them invalidated instead.
        let slashes = entry.path.iter().enumerate().filter(|&(_, &b)| b == b'/').map(|(i, _)| &entry.path[..i]);
        let complete = std::iter::once(&entry.path[..0]).chain(slashes).all(|dir| asked.iter().any(|t| t.dir == dir));
        for tree in asked.iter().filter(|_| complete) {
            if !again.cached_trees.contains(&(tree.dir.clone(), tree.oid)) {
                return Err(format!("{:?} was asked for and rebuilt, but not cached", tree.dir));
            }
        }
        for (dir, oid) in &again.cached_trees {
            let rebuilt = asked.iter().any(|t| &t.dir == dir && &t.oid == oid);
            let own = view.cached_trees.iter().any(|(d, o)| d == dir && o == oid);
            if !rebuilt && !own {
                return Err(format!("{dir:?} is cached with an id neither the input's nor one rebuilt"));
            }
        }
        if again.entries.len() != view.entries.len() {
            return Err("the edit changed the number of entries".to_owned());
        }
    }
    if let Ok(patched) = with_new_blobs(index, std::slice::from_ref(&update)) {
        let bytes = patched.to_bytes(index);
        let again = read_under(&bytes, b"").ok_or("an edited index does not read back")?;
        if again.entries.len() != view.entries.len() {
            return Err("the edit changed the number of entries".to_owned());
        }
        for (before, after) in view.entries.iter().zip(&again.entries) {
            let want = if before.path == entry.path && before.stage == 0 { new_blob } else { before.oid };
            if before.path != after.path || after.oid != want {
                return Err(format!("{:?}: not the entry it was, or not edited as asked", before.path));
            }
        }
        // Without rebuilt trees, no node may name an id the input did not cache for it.
        if let Some((dir, _)) = again.cached_trees.iter().find(|node| !view.cached_trees.contains(node)) {
            return Err(format!("{dir:?} is cached with an id the input did not have"));
        }
    }
    Ok(())
}
