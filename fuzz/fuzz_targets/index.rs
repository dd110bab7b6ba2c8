//! Fuzzes the index reader and the in-place edit: never a panic on any bytes, and an edit that
//! succeeds gives an index that reads back with the same entries, the edited one changed.
#![no_main]

use git_kep::index_file::{BlobUpdate, read_under, with_new_blobs};
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
