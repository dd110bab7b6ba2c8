//! Fuzzes the index reader and the in-place edit: never a panic on any bytes, and an edit that
//! succeeds keeps the promise `index_file::promise::check` states (the same entries, the edited
//! one changed, every cached tree the input's own or one rebuilt when asked). Compared with the
//! input's own trees: a marker id (`[0xcd; 20]`) once gave a false crash on an input that
//! already cached it.
#![no_main]

use git_kep::git::index_file::promise;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|index: &[u8]| {
    if let Err(broken) = promise::check(index, [0xab; 20], [0xcd; 20]) {
        panic!("{broken}");
    }
});
