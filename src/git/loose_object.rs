//! git's loose object format, pure: an object's id, the bytes of its file (a zlib stream of
//! `<kind> <size>\0<content>`) and where that file goes (`objects/xx/yyyy…`). `objects.rs` writes
//! them, without libgit2, so that the hook can write its new blob on one core while the other
//! rewrites the index.

use sha1::Digest;
use std::path::{Path, PathBuf};

/// The kinds of object the hook writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Blob,
    Tree,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Blob => "blob",
            Kind::Tree => "tree",
        }
    }
}

fn header(kind: Kind, content: &[u8]) -> String {
    format!("{} {}\0", kind.name(), content.len())
}

/// The object id git gives `content` as a `kind` (SHA-1 of the header and the content).
pub fn id(kind: Kind, content: &[u8]) -> [u8; 20] {
    let mut hash = sha1::Sha1::new();
    hash.update(header(kind, content));
    hash.update(content);
    hash.finalize().into()
}

/// The bytes of the loose object file for `content` as a `kind`: a zlib stream of stored
/// (uncompressed) blocks, what git writes with `core.looseCompression=0`. The hook writes these
/// on every commit that refreshes a TOC, and setting up a zlib compressor (a quarter of a
/// megabyte of fresh state) and running it costs ~0.5 ms for a 30 KB proposal on the CI machine,
/// 20 times copying it; git's next repack compresses the object like any other.
pub fn file_bytes(kind: Kind, content: &[u8]) -> Vec<u8> {
    let mut data = Vec::with_capacity(content.len() + 32);
    data.extend_from_slice(header(kind, content).as_bytes());
    data.extend_from_slice(content);
    let blocks = data.len().div_ceil(STORED_BLOCK_MAX);
    let mut out = Vec::with_capacity(2 + data.len() + 5 * blocks + 4);
    // CMF 0x78: deflate with a 32 KiB window; FLG 0x01: no dictionary, "fastest", and the check
    // bits that make CMF * 256 + FLG a multiple of 31.
    out.extend_from_slice(&[0x78, 0x01]);
    let mut chunks = data.chunks(STORED_BLOCK_MAX).peekable();
    while let Some(chunk) = chunks.next() {
        let last = chunks.peek().is_none();
        // BFINAL on the last block, BTYPE 00 (stored), then LEN and its complement.
        out.push(u8::from(last));
        let len = u16::try_from(chunk.len()).unwrap_or(u16::MAX);
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(chunk);
    }
    out.extend_from_slice(&adler32(&data).to_be_bytes());
    out
}

/// The largest stored deflate block.
const STORED_BLOCK_MAX: usize = 65_535;

/// zlib's checksum of the uncompressed data.
fn adler32(data: &[u8]) -> u32 {
    const MODULUS: u32 = 65_521;
    // The most bytes before `b` could overflow 32 bits (zlib's NMAX).
    const RUN: usize = 5_552;
    let (mut a, mut b) = (1u32, 0u32);
    for run in data.chunks(RUN) {
        for &byte in run {
            a += u32::from(byte);
            b += a;
        }
        a %= MODULUS;
        b %= MODULUS;
    }
    (b << 16) | a
}

/// Lower-case hex, as object file names are written.
pub fn hex(oid: &[u8; 20]) -> String {
    oid.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Where `objects_dir` keeps the loose object `oid`: its fan-out directory and its file.
pub fn path_of(objects_dir: &Path, oid: &[u8; 20]) -> (PathBuf, PathBuf) {
    let hex = hex(oid);
    let fan_out = objects_dir.join(&hex[..2]);
    let file = fan_out.join(&hex[2..]);
    (fan_out, file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_gits() {
        // `printf 'hello\n' | git hash-object --stdin` and the empty tree.
        assert_eq!(hex(&id(Kind::Blob, b"hello\n")), "ce013625030ba8dba906f756967f9e9ca394464a");
        assert_eq!(hex(&id(Kind::Tree, b"")), "4b825dc642cb6eb9a060e54bf8d69288fbee4904");
    }

    #[test]
    fn file_inflates_to_header_and_content_at_its_path() {
        let inflate = |compressed: &[u8]| {
            let mut inflated = Vec::new();
            std::io::Read::read_to_end(&mut flate2::read::ZlibDecoder::new(compressed), &mut inflated).unwrap();
            inflated
        };
        assert_eq!(inflate(&file_bytes(Kind::Blob, b"hello\n")), b"blob 6\0hello\n");
        assert_eq!(inflate(&file_bytes(Kind::Tree, b"")), b"tree 0\0");
        // Several stored blocks, the header and the content split across them.
        let big: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        let mut want = b"blob 200000\0".to_vec();
        want.extend_from_slice(&big);
        assert_eq!(inflate(&file_bytes(Kind::Blob, &big)), want);
        let (fan_out, file) = path_of(Path::new("objects"), &id(Kind::Blob, b"hello\n"));
        assert_eq!(fan_out, Path::new("objects/ce"));
        assert_eq!(file, Path::new("objects/ce/013625030ba8dba906f756967f9e9ca394464a"));
    }

    #[test]
    fn adler32_is_zlibs() {
        assert_eq!(adler32(b""), 1);
        assert_eq!(adler32(b"Wikipedia"), 0x11e6_0398);
        // Long runs of 0xff: the sums are reduced before they overflow.
        let ones = vec![0xffu8; 100_000];
        assert_eq!(adler32(&ones), adler32_slow(&ones));
    }

    fn adler32_slow(data: &[u8]) -> u32 {
        let (mut a, mut b) = (1u64, 0u64);
        for &byte in data {
            a = (a + u64::from(byte)) % 65_521;
            b = (b + a) % 65_521;
        }
        ((b << 16) | a) as u32
    }
}
