//! git's loose object format, pure: an object's id, the compressed bytes of its file
//! (zlib-compressed `<kind> <size>\0<content>`) and where that file goes (`objects/xx/yyyy…`).
//! `git.rs` writes them, without libgit2, so that the hook can write its new blob on one core
//! while the other rewrites the index.

use sha1::Digest;
use std::io::Write;
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

/// The bytes of the loose object file for `content` as a `kind`.
pub fn file_bytes(kind: Kind, content: &[u8]) -> Vec<u8> {
    // Level 1, like git's core.looseCompression default: these objects are small and written
    // on every commit.
    let mut encoder =
        flate2::write::ZlibEncoder::new(Vec::with_capacity(content.len() / 2 + 64), flate2::Compression::fast());
    // Writing to a Vec cannot fail.
    let _ = encoder.write_all(header(kind, content).as_bytes());
    let _ = encoder.write_all(content);
    encoder.finish().unwrap_or_default()
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
        let mut inflated = Vec::new();
        let compressed = file_bytes(Kind::Blob, b"hello\n");
        std::io::Read::read_to_end(&mut flate2::read::ZlibDecoder::new(&compressed[..]), &mut inflated).unwrap();
        assert_eq!(inflated, b"blob 6\0hello\n");
        let (fan_out, file) = path_of(Path::new("objects"), &id(Kind::Blob, b"hello\n"));
        assert_eq!(fan_out, Path::new("objects/ce"));
        assert_eq!(file, Path::new("objects/ce/013625030ba8dba906f756967f9e9ca394464a"));
    }
}
