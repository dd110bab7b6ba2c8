//! git's index file (versions 2-4) for the hook's hot path: reading the entries under one
//! directory without a checksum, and pointing a few entries at new blobs in place, where libgit2
//! would parse, checksum and rewrite all of them. Anything it does not fully understand (split
//! or sparse index, other hash sizes, unknown extensions, truncation) makes it decline, and the
//! caller uses libgit2 or git instead.

use sha1::Digest;

pub mod promise;

/// One index entry: what the hook needs of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawEntry {
    pub path: Vec<u8>,
    pub mode: u32,
    pub oid: [u8; 20],
    /// 0 unless the path is in conflict (1-3).
    pub stage: u16,
}

const HEADER: usize = 12;
const ENTRY_FIXED: usize = 62;
const EXTENDED_FLAG: u16 = 0x4000;
/// The low 12 bits of an entry's flags: its name's length, or 0xFFF for "0xFFF or more".
const NAME_LENGTH_MASK: u16 = 0x0fff;
const NAME_LENGTH_MASK_USIZE: usize = NAME_LENGTH_MASK as usize;
const SPARSE_DIRECTORY_MODE: u32 = 0o040000;
/// Extended flags (index v3+), in the 16 bits after the flags.
const SKIP_WORKTREE: u16 = 0x4000;
const INTENT_TO_ADD: u16 = 0x2000;

/// What the hook reads of an index: the entries under a directory and the cache tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexView {
    pub entries: Vec<RawEntry>,
    /// The directories whose tree id the index caches (valid cache-tree nodes), by path without
    /// a trailing `/` (the root is ""). git keeps these up to date as it stages.
    pub cached_trees: Vec<(Vec<u8>, [u8; 20])>,
}

/// The entries under `prefix` and the cache tree; `None` when the file is not an index this
/// reader can vouch for.
pub fn read_under(index: &[u8], prefix: &[u8]) -> Option<IndexView> {
    let mut found = Vec::new();
    let layout = walk_entries(index, |entry| {
        if entry.mode() == SPARSE_DIRECTORY_MODE {
            return None;
        }
        if entry.path.starts_with(prefix) {
            let mut oid = [0u8; 20];
            oid.copy_from_slice(&entry.fixed[40..60]);
            let flags = u16::from_be_bytes([entry.fixed[60], entry.fixed[61]]);
            found.push(RawEntry { path: entry.path.to_vec(), mode: entry.mode(), oid, stage: (flags >> 12) & 0x3 });
        }
        Some(())
    })?;
    // A split index keeps most entries in another file; a sparse one folds directories.
    let extensions = extensions(index, &layout)?;
    if extensions.iter().any(|ext| &ext.signature == b"link" || &ext.signature == b"sdir") {
        return None;
    }
    // A cache tree that does not parse is only a cache: go without it.
    let cached_trees = extensions
        .iter()
        .find(|ext| &ext.signature == b"TREE")
        .and_then(|ext| valid_cache_trees(&index[ext.data.clone()]))
        .unwrap_or_default();
    Some(IndexView { entries: found, cached_trees })
}

/// The valid nodes of a cache-tree extension, with their full paths.
fn valid_cache_trees(data: &[u8]) -> Option<Vec<(Vec<u8>, [u8; 20])>> {
    let mut found = Vec::new();
    let mut rest = data;
    read_tree_node(&mut rest, &[], true, &mut found)?;
    rest.is_empty().then_some(found)
}

fn read_tree_node(rest: &mut &[u8], parent: &[u8], is_root: bool, found: &mut Vec<(Vec<u8>, [u8; 20])>) -> Option<()> {
    let nul = rest.iter().position(|&b| b == 0)?;
    let newline = rest[nul..].iter().position(|&b| b == b'\n')? + nul;
    let counts = std::str::from_utf8(&rest[nul + 1..newline]).ok()?;
    let (entry_count, subtrees) = counts.split_once(' ')?;
    let entry_count: i64 = entry_count.parse().ok()?;
    let subtrees: usize = subtrees.parse().ok()?;
    let path =
        if is_root { Vec::new() } else { [parent, if parent.is_empty() { b"" } else { b"/" }, &rest[..nul]].concat() };
    let mut after = newline + 1;
    if entry_count >= 0 {
        let oid: [u8; 20] = rest.get(after..after + 20)?.try_into().ok()?;
        found.push((path.clone(), oid));
        after += 20;
    }
    *rest = &rest[after..];
    for _ in 0..subtrees {
        read_tree_node(rest, &path, false, found)?;
    }
    Some(())
}

/// A new blob for one stage-0 index entry, planned from the entry as it was (`old_oid`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlobUpdate<'a> {
    pub path: &'a [u8],
    pub old_oid: [u8; 20],
    pub new_oid: [u8; 20],
}

/// Why `with_new_blobs` did not patch the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatchRefusal {
    /// Something this patcher does not handle (an extension, a flag): let libgit2 or git write it.
    Unsupported,
    /// The entry is gone or points at another blob than planned: someone staged meanwhile.
    Changed(String),
}

/// An index with some entries pointing at new blobs: what differs from the original bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatchedIndex {
    /// In index order: where an entry starts, and its new first 60 bytes (stat data, mode, blob).
    entry_edits: Vec<(usize, [u8; 60])>,
    /// Where the entries end in the original.
    entries_end: usize,
    /// The extensions, as written after the entries.
    extensions: Vec<u8>,
    trailer: [u8; 20],
}

impl PatchedIndex {
    /// The new index as pieces, in order, borrowed from `index` (the original) where unchanged:
    /// a 100 MB index is written without a second copy of it in memory.
    pub fn pieces<'a>(&'a self, index: &'a [u8]) -> Vec<&'a [u8]> {
        let mut pieces = self.body_pieces(index);
        pieces.push(&self.trailer);
        pieces
    }

    /// Everything but the checksum.
    fn body_pieces<'a>(&'a self, index: &'a [u8]) -> Vec<&'a [u8]> {
        let mut pieces = Vec::with_capacity(2 * self.entry_edits.len() + 3);
        let mut copied = 0;
        for (offset, edit) in &self.entry_edits {
            pieces.push(&index[copied..*offset]);
            pieces.push(&edit[..]);
            copied = offset + edit.len();
        }
        pieces.push(&index[copied..self.entries_end]);
        pieces.push(&self.extensions);
        pieces
    }

    pub fn to_bytes(&self, index: &[u8]) -> Vec<u8> {
        self.pieces(index).concat()
    }
}

/// The index with each update's entry pointing at its new blob, edited in place: same entries,
/// same order, same size. An index whose checksum does not match is declined. The entry's stat
/// data is cleared (as `git update-index --cacheinfo`
/// does), so git compares the work-tree file by content next time; the cache-tree entries of the
/// directories above it are invalidated; the end-of-index hash and the checksum are recomputed.
///
/// This keeps restaging cheap in a large repository: libgit2 would parse every entry, allocate
/// it, and checksum the index twice with collision-detecting SHA-1.
pub fn with_new_blobs(index: &[u8], updates: &[BlobUpdate<'_>]) -> Result<PatchedIndex, PatchRefusal> {
    with_new_blobs_and_trees(index, updates, |_| Vec::new())
}

/// A directory and a tree id for it (the root is "").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirTree {
    pub dir: Vec<u8>,
    pub oid: [u8; 20],
}

/// `with_new_blobs`, keeping the cache tree valid where `new_trees` can: it is given the valid
/// cache-tree nodes above the updated entries (the trees git wrote for them) and returns the new
/// tree id of each directory it rebuilt; those nodes keep their counts and get the new id, every
/// other node above an update is invalidated. A directory counts as rebuilt only if every
/// directory between it and the updates below it was rebuilt too.
///
/// Why: git rebuilds invalid nodes after the pre-commit hook, checking that every entry of
/// each such directory exists as an object: in a repository of loose objects, one `stat` per
/// entry. The caller can do it with one tree read and one write per directory (see `restage.rs`).
pub fn with_new_blobs_and_trees(
    index: &[u8],
    updates: &[BlobUpdate<'_>],
    new_trees: impl FnOnce(&[DirTree]) -> Vec<DirTree>,
) -> Result<PatchedIndex, PatchRefusal> {
    let mut new_trees = Some(new_trees);
    let mut entry_edits = Vec::with_capacity(updates.len());
    let mut done = vec![false; updates.len()];
    let mut refusal = None;
    let layout = walk_entries(index, |entry| {
        let Some(i) = updates.iter().position(|u| u.path == entry.path) else { return Some(()) };
        let flags = u16::from_be_bytes([entry.fixed[60], entry.fixed[61]]);
        let extended = match entry.fixed.get(62..64) {
            Some(&[high, low]) if flags & EXTENDED_FLAG != 0 => u16::from_be_bytes([high, low]),
            _ => 0,
        };
        if (flags >> 12) & 0x3 != 0 || entry.mode() == SPARSE_DIRECTORY_MODE {
            refusal = Some(PatchRefusal::Changed(format!("{} is in conflict", String::from_utf8_lossy(entry.path))));
            return None;
        }
        // Intent-to-add and skip-worktree entries mean more than a blob: leave them to git.
        if extended & (SKIP_WORKTREE | INTENT_TO_ADD) != 0 {
            refusal = Some(PatchRefusal::Unsupported);
            return None;
        }
        if entry.fixed[40..60] != updates[i].old_oid {
            refusal = Some(PatchRefusal::Changed(format!(
                "{} was staged again meanwhile",
                String::from_utf8_lossy(entry.path)
            )));
            return None;
        }
        // ctime, mtime, dev, ino (24 bytes), then mode (kept), uid, gid, size (cleared).
        let mut edit = [0u8; 60];
        edit[24..28].copy_from_slice(&entry.fixed[24..28]);
        edit[40..60].copy_from_slice(&updates[i].new_oid);
        entry_edits.push((entry.offset, edit));
        done[i] = true;
        Some(())
    });
    let layout = match (layout, refusal) {
        (_, Some(refusal)) => return Err(refusal),
        (None, None) => return Err(PatchRefusal::Unsupported),
        (Some(layout), None) => layout,
    };
    if let Some(missing) = done.iter().position(|done| !done) {
        return Err(PatchRefusal::Changed(format!(
            "{} is no longer in the index",
            String::from_utf8_lossy(updates[missing].path)
        )));
    }

    // Extensions after the entries: rewrite the cache tree, keep what does not depend on entry
    // contents, recompute the end-of-index entry; refuse anything else.
    let found = extensions(index, &layout).ok_or(PatchRefusal::Unsupported)?;
    let mut written = Vec::new();
    let mut headers_hash = sha1::Sha1::new();
    for ext in &found {
        let data = &index[ext.data.clone()];
        let rewritten;
        let data = match &ext.signature {
            b"TREE" => {
                let paths: Vec<&[u8]> = updates.iter().map(|u| u.path).collect();
                let above: Vec<DirTree> = valid_cache_trees(data)
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|(dir, _)| paths.iter().any(|path| dirs_above(path).any(|above| above == &dir[..])))
                    .map(|(dir, oid)| DirTree { dir, oid })
                    .collect();
                let rebuilt = match new_trees.take() {
                    Some(new_trees) if !above.is_empty() => consistent(new_trees(&above), &above, &paths),
                    _ => Vec::new(),
                };
                rewritten = rewrite_cache_tree(data, &paths, &rebuilt).ok_or(PatchRefusal::Unsupported)?;
                &rewritten[..]
            }
            b"REUC" | b"IEOT" => data,
            b"EOIE" if ext.data.end == layout.body_end => {
                // Offset of the extensions (unchanged: entries keep their size), then the hash
                // of the headers of the extensions before it.
                let mut eoie = Vec::with_capacity(24);
                eoie.extend_from_slice(data.get(..4).ok_or(PatchRefusal::Unsupported)?);
                eoie.extend_from_slice(&headers_hash.clone().finalize());
                rewritten = eoie;
                &rewritten[..]
            }
            _ => return Err(PatchRefusal::Unsupported),
        };
        let size = u32::try_from(data.len()).map_err(|_| PatchRefusal::Unsupported)?.to_be_bytes();
        written.extend_from_slice(&ext.signature);
        written.extend_from_slice(&size);
        written.extend_from_slice(data);
        if &ext.signature != b"EOIE" {
            headers_hash.update(ext.signature);
            headers_hash.update(size);
        }
    }
    let mut patched =
        PatchedIndex { entry_edits, entries_end: layout.entries_end, extensions: written, trailer: [0; 20] };
    // The checksum, unless the index was written without one (index.skipHash: all zeros). The
    // old one is verified first: a damaged index must not come out with a valid checksum. Both
    // hashes share the bytes before the first edit.
    let trailer = &index[layout.body_end..];
    if trailer.iter().any(|&b| b != 0) {
        let pieces = patched.body_pieces(index);
        let mut common = sha1::Sha1::new();
        common.update(pieces[0]);
        let verify_original = |mut original: sha1::Sha1| {
            original.update(&index[pieces[0].len()..layout.body_end]);
            original.finalize()[..] == *trailer
        };
        let mut checksum = common.clone();
        let new_checksum = || {
            for piece in &pieces[1..] {
                checksum.update(piece);
            }
            checksum.finalize()
        };
        // Two passes of SHA-1 over the whole index (about 90 us per 170 KB, 2,000 entries): on
        // two cores at once when the index is large enough to pay for starting a thread (about
        // 0.2 ms here: below 1 MiB, about 12,000 entries, it costs more than it saves).
        let (original_intact, checksum) = if index.len() >= PARALLEL_CHECKSUM_BYTES {
            std::thread::scope(|scope| {
                let original = common.clone();
                match std::thread::Builder::new().spawn_scoped(scope, move || verify_original(original)) {
                    Ok(verified) => {
                        let checksum = new_checksum();
                        // A verifying thread that cannot finish counts as a mismatch: git takes over.
                        (verified.join().unwrap_or(false), checksum)
                    }
                    // No thread to be had: one after the other.
                    Err(_) => (verify_original(common), new_checksum()),
                }
            })
        } else {
            (verify_original(common), new_checksum())
        };
        if !original_intact {
            return Err(PatchRefusal::Unsupported);
        }
        patched.trailer.copy_from_slice(&checksum);
    }
    Ok(patched)
}

/// From this size on, the old and the new checksum of an index are computed in parallel.
pub const PARALLEL_CHECKSUM_BYTES: usize = 1 << 20;

/// The directories above `path`, shallowest first: "", "a", "a/b" for "a/b/c".
pub fn dirs_above(path: &[u8]) -> impl Iterator<Item = &[u8]> {
    let slashes = path.iter().enumerate().filter(|&(_, &b)| b == b'/').map(|(i, _)| i);
    std::iter::once(&path[..0]).chain(slashes.map(|i| &path[..i]))
}

/// The rebuilt trees that can be trusted: for a cached directory, each directory between it and
/// every update below it must have been rebuilt from its cached tree too.
fn consistent(rebuilt: Vec<DirTree>, cached: &[DirTree], paths: &[&[u8]]) -> Vec<DirTree> {
    let is_rebuilt = |dir: &[u8]| rebuilt.iter().any(|t| t.dir == dir) && cached.iter().any(|t| t.dir == dir);
    let trusted: Vec<bool> = rebuilt
        .iter()
        .map(|tree| {
            is_rebuilt(&tree.dir)
                && paths.iter().all(|path| {
                    let mut above = dirs_above(path).skip_while(|dir| *dir != &tree.dir[..]).peekable();
                    // Not below this directory: nothing to check.
                    above.peek().is_none() || above.all(is_rebuilt)
                })
        })
        .collect();
    rebuilt.into_iter().zip(trusted).filter_map(|(tree, trusted)| trusted.then_some(tree)).collect()
}

/// The cache-tree extension with every directory above `paths` either pointed at its rebuilt
/// tree (same counts, new id) or marked invalid (entry count -1, no tree id), as git does when
/// it changes an entry. `None` if it cannot be parsed.
fn rewrite_cache_tree(data: &[u8], paths: &[&[u8]], rebuilt: &[DirTree]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(data.len());
    let mut rest = data;
    rewrite_tree_node(&mut rest, paths.to_vec(), &[], true, rebuilt, &mut out)?;
    rest.is_empty().then_some(out)
}

/// One node and its subtrees (pre-order). `paths` are relative to this node's parent, and only
/// those under this node are passed on; `is_root` (name "") holds every path. `parent` is the
/// parent's full path.
fn rewrite_tree_node(
    rest: &mut &[u8],
    paths: Vec<&[u8]>,
    parent: &[u8],
    is_root: bool,
    rebuilt: &[DirTree],
    out: &mut Vec<u8>,
) -> Option<()> {
    let nul = rest.iter().position(|&b| b == 0)?;
    let name = &rest[..nul];
    let newline = rest[nul..].iter().position(|&b| b == b'\n')? + nul;
    let counts = std::str::from_utf8(&rest[nul + 1..newline]).ok()?;
    let (entry_count, subtrees) = counts.split_once(' ')?;
    let entry_count: i64 = entry_count.parse().ok()?;
    let subtrees: usize = subtrees.parse().ok()?;
    let path = if is_root { Vec::new() } else { [parent, if parent.is_empty() { b"" } else { b"/" }, name].concat() };
    let mut after = newline + 1;
    let inside: Vec<&[u8]> =
        if is_root { paths } else { paths.iter().filter_map(|p| p.strip_prefix(name)?.strip_prefix(b"/")).collect() };
    out.extend_from_slice(&rest[..=nul]);
    let new_id = rebuilt.iter().find(|tree| tree.dir == path).filter(|_| entry_count >= 0);
    match new_id {
        _ if inside.is_empty() => {
            out.extend_from_slice(&rest[nul + 1..newline + 1]);
            if entry_count >= 0 {
                out.extend_from_slice(rest.get(after..after + 20)?);
            }
        }
        Some(tree) => {
            out.extend_from_slice(&rest[nul + 1..newline + 1]);
            out.extend_from_slice(&tree.oid);
        }
        None => out.extend_from_slice(format!("-1 {subtrees}\n").as_bytes()),
    }
    if entry_count >= 0 {
        after += 20;
        rest.get(..after)?;
    }
    *rest = &rest[after..];
    for _ in 0..subtrees {
        rewrite_tree_node(rest, inside.clone(), &path, false, rebuilt, out)?;
    }
    Some(())
}

/// Where an index's parts are.
struct Layout {
    /// The first byte after the last entry.
    entries_end: usize,
    /// The first byte of the checksum.
    body_end: usize,
}

/// One entry as `walk_entries` shows it.
struct EntryView<'a> {
    /// Where the entry starts in the index.
    offset: usize,
    /// Its fixed-size part (62 bytes, 64 with extended flags).
    fixed: &'a [u8],
    path: &'a [u8],
}

impl EntryView<'_> {
    fn mode(&self) -> u32 {
        u32::from_be_bytes([self.fixed[24], self.fixed[25], self.fixed[26], self.fixed[27]])
    }
}

/// Calls `visit` on each entry in order; `None` if the index is not one this module understands,
/// or when `visit` says stop.
fn walk_entries(index: &[u8], mut visit: impl FnMut(&EntryView<'_>) -> Option<()>) -> Option<Layout> {
    if index.len() < HEADER + 20 || &index[..4] != b"DIRC" {
        return None;
    }
    let version = be32(index, 4)?;
    if !(2..=4).contains(&version) {
        return None;
    }
    let count = be32(index, 8)? as usize;
    let body_end = index.len() - 20;
    let mut offset = HEADER;
    // v4 compresses each path against the previous one: rebuilt in a buffer reused throughout.
    let mut path: Vec<u8> = Vec::new();
    for _ in 0..count {
        let entry_start = offset;
        let fixed = index.get(offset..offset + ENTRY_FIXED)?;
        let flags = u16::from_be_bytes([fixed[60], fixed[61]]);
        let mut header_len = ENTRY_FIXED;
        if flags & EXTENDED_FLAG != 0 {
            if version < 3 {
                return None;
            }
            header_len += 2;
        }
        let fixed = index.get(offset..offset + header_len)?;
        let name_start = offset + header_len;
        let name: &[u8] = if version == 4 {
            let (strip, varint_len) = varint(index.get(name_start..body_end)?)?;
            let suffix_start = name_start + varint_len;
            let nul = index.get(suffix_start..body_end)?.iter().position(|&b| b == 0)?;
            let keep = path.len().checked_sub(usize::try_from(strip).ok()?)?;
            path.truncate(keep);
            path.extend_from_slice(&index[suffix_start..suffix_start + nul]);
            offset = suffix_start + nul + 1;
            &path
        } else {
            // The flags hold the name's length unless it is 0xFFF or more: then find its end.
            let name_len = match usize::from(flags & NAME_LENGTH_MASK) {
                NAME_LENGTH_MASK_USIZE => index.get(name_start..body_end)?.iter().position(|&b| b == 0)?,
                len if index.get(name_start + len) == Some(&0) => len,
                _ => return None,
            };
            // Entries are padded with 1-8 NULs to a multiple of 8 bytes.
            offset += (header_len + name_len + 8) & !7;
            &index[name_start..name_start + name_len]
        };
        if offset > body_end {
            return None;
        }
        visit(&EntryView { offset: entry_start, fixed, path: name })?;
    }
    Some(Layout { entries_end: offset, body_end })
}

/// One extension: its signature and where its data is.
struct Extension {
    signature: [u8; 4],
    data: std::ops::Range<usize>,
}

/// The extensions between the entries and the checksum; `None` if they do not add up.
fn extensions(index: &[u8], layout: &Layout) -> Option<Vec<Extension>> {
    let mut found = Vec::new();
    let mut offset = layout.entries_end;
    while offset < layout.body_end {
        let signature: [u8; 4] = index.get(offset..offset + 4)?.try_into().ok()?;
        let size = be32(index, offset + 4)? as usize;
        let data = offset + 8..(offset + 8).checked_add(size)?;
        if data.end > layout.body_end {
            return None;
        }
        offset = data.end;
        found.push(Extension { signature, data });
    }
    Some(found)
}

fn be32(bytes: &[u8], at: usize) -> Option<u32> {
    bytes.get(at..at + 4).map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
}

/// git's offset varint (index v4 path compression).
fn varint(bytes: &[u8]) -> Option<(u64, usize)> {
    let mut value: u64 = 0;
    for (i, &byte) in bytes.iter().enumerate().take(10) {
        if i > 0 {
            value = value.checked_add(1)?.checked_shl(7)?;
        }
        value |= u64::from(byte & 0x7f);
        if byte & 0x80 == 0 {
            return Some((value, i + 1));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_is_refused_not_misread() {
        assert_eq!(read_under(b"", b""), None);
        assert_eq!(read_under(b"DIRC\0\0\0\x05\0\0\0\0aaaaaaaaaaaaaaaaaaaa", b""), None);
        let mut truncated = b"DIRC\0\0\0\x02\0\0\0\x01".to_vec();
        truncated.extend_from_slice(&[0u8; 30]);
        assert_eq!(read_under(&truncated, b""), None);
    }

    #[test]
    fn varints() {
        assert_eq!(varint(&[0x05]), Some((5, 1)));
        assert_eq!(varint(&[0x80, 0x00]), Some((128, 2)));
        assert_eq!(varint(&[0x80]), None);
    }
}
