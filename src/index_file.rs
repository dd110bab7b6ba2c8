//! A read-only reader for git's index file (versions 2-4), for the hook's hot path: it reads
//! only the entries under one directory and skips the checksum, where libgit2 would parse and
//! checksum all of them. Anything it does not fully understand (split or sparse index, other
//! hash sizes, truncation) makes it answer `None`, and the caller uses libgit2 instead.

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
const SPARSE_DIRECTORY_MODE: u32 = 0o040000;

/// The entries whose path starts with `prefix`, in index order; `None` when the file is not an
/// index this reader can vouch for.
pub fn entries_under(index: &[u8], prefix: &[u8]) -> Option<Vec<RawEntry>> {
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
    let mut path: Vec<u8> = Vec::new();
    let mut found = Vec::new();
    for _ in 0..count {
        let fixed = index.get(offset..offset + ENTRY_FIXED)?;
        let mode = be32(fixed, 24)?;
        let flags = u16::from_be_bytes([fixed[60], fixed[61]]);
        let mut header_len = ENTRY_FIXED;
        if flags & EXTENDED_FLAG != 0 {
            if version < 3 {
                return None;
            }
            header_len += 2;
        }
        let name_start = offset + header_len;
        // `path` is reused from entry to entry: v4 compresses each path against the previous one,
        // and only the entries under the prefix are copied out.
        if version == 4 {
            let (strip, varint_len) = varint(index.get(name_start..body_end)?)?;
            let suffix_start = name_start + varint_len;
            let nul = index.get(suffix_start..body_end)?.iter().position(|&b| b == 0)?;
            let keep = path.len().checked_sub(usize::try_from(strip).ok()?)?;
            path.truncate(keep);
            path.extend_from_slice(&index[suffix_start..suffix_start + nul]);
            offset = suffix_start + nul + 1;
        } else {
            let nul = index.get(name_start..body_end)?.iter().position(|&b| b == 0)?;
            path.clear();
            path.extend_from_slice(&index[name_start..name_start + nul]);
            // Entries are padded with 1-8 NULs to a multiple of 8 bytes.
            offset += (header_len + nul + 8) & !7;
        }
        if mode == SPARSE_DIRECTORY_MODE {
            return None;
        }
        if path.starts_with(prefix) {
            let mut oid = [0u8; 20];
            oid.copy_from_slice(&fixed[40..60]);
            found.push(RawEntry { path: path.clone(), mode, oid, stage: (flags >> 12) & 0x3 });
        }
    }
    // Extensions: a split index keeps most entries in another file.
    while offset + 8 <= body_end {
        let signature = &index[offset..offset + 4];
        if signature == b"link" || signature == b"sdir" {
            return None;
        }
        offset += 8 + be32(index, offset + 4)? as usize;
    }
    (offset == body_end).then_some(found)
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
        assert_eq!(entries_under(b"", b""), None);
        assert_eq!(entries_under(b"DIRC\0\0\0\x05\0\0\0\0aaaaaaaaaaaaaaaaaaaa", b""), None);
        let mut truncated = b"DIRC\0\0\0\x02\0\0\0\x01".to_vec();
        truncated.extend_from_slice(&[0u8; 30]);
        assert_eq!(entries_under(&truncated, b""), None);
    }

    #[test]
    fn varints() {
        assert_eq!(varint(&[0x05]), Some((5, 1)));
        assert_eq!(varint(&[0x80, 0x00]), Some((128, 2)));
        assert_eq!(varint(&[0x80]), None);
    }
}
