//! git's loose object files: an object's id, and writing one into `objects/` as git does
//! (zlib-compressed `<kind> <size>\0<content>` in `objects/xx/yyyy…`, created under a temporary
//! name and linked into place), without libgit2, so that the hook can write its new blob on one
//! core while the other rewrites the index.

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

/// Writes `content` as a loose object under `objects_dir` and returns its id. An object that is
/// already there as a loose file is only freshened (its time set to now, as git does, so that a
/// pruning `git gc` keeps it); the file of a new one appears whole or not at all. Fan-out
/// directories are created with the permissions of `objects_dir` (a shared repository's).
pub fn write(objects_dir: &Path, kind: Kind, content: &[u8]) -> std::io::Result<[u8; 20]> {
    let oid = id(kind, content);
    let hex = hex(&oid);
    let fan_out = objects_dir.join(&hex[..2]);
    let path = fan_out.join(&hex[2..]);
    if freshen(&path) {
        return Ok(oid);
    }
    if !fan_out.is_dir() {
        make_fan_out_dir(objects_dir, &fan_out)?;
    }
    // Level 1, like git's core.looseCompression default: these objects are small and written
    // on every commit.
    let mut encoder =
        flate2::write::ZlibEncoder::new(Vec::with_capacity(content.len() / 2 + 64), flate2::Compression::fast());
    encoder.write_all(header(kind, content).as_bytes())?;
    encoder.write_all(content)?;
    let compressed = encoder.finish()?;
    let mut temp = tempfile::Builder::new().prefix("tmp_obj_").tempfile_in(&fan_out)?;
    temp.write_all(&compressed)?;
    set_read_only(temp.as_file())?;
    match temp.persist_noclobber(&path) {
        Ok(_) => Ok(oid),
        // Someone wrote the same object meanwhile: same bytes, nothing to do.
        Err(err) if err.error.kind() == std::io::ErrorKind::AlreadyExists => Ok(oid),
        Err(err) => Err(err.error),
    }
}

/// Sets an existing object file's time to now (best effort: a file of another user's in a shared
/// repository may refuse, and is there all the same); `false` if there is no such file.
fn freshen(path: &Path) -> bool {
    match std::fs::File::open(path) {
        Ok(file) => {
            let _ = file.set_modified(std::time::SystemTime::now());
            true
        }
        Err(_) => false,
    }
}

fn make_fan_out_dir(objects_dir: &Path, fan_out: &Path) -> std::io::Result<()> {
    match std::fs::create_dir(fan_out) {
        Ok(()) => {
            // What `core.sharedRepository` gave objects/ (group-writable, setgid), its fan-out
            // directories need too; a plain repository's are the same as a fresh directory's.
            if let Ok(metadata) = std::fs::metadata(objects_dir) {
                let _ = std::fs::set_permissions(fan_out, metadata.permissions());
            }
            Ok(())
        }
        Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(err) => Err(err),
    }
}

/// Object files are read-only (0444, or what the umask leaves of it), like git's.
fn set_read_only(file: &std::fs::File) -> std::io::Result<()> {
    let mut permissions = file.metadata()?.permissions();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        permissions.set_mode(0o444);
    }
    #[cfg(not(unix))]
    permissions.set_readonly(true);
    file.set_permissions(permissions)
}

/// Lower-case hex, as object file names are written.
pub fn hex(oid: &[u8; 20]) -> String {
    oid.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Where `objects_dir` keeps the loose object `oid`.
pub fn path_of(objects_dir: &Path, oid: &[u8; 20]) -> PathBuf {
    let hex = hex(oid);
    objects_dir.join(&hex[..2]).join(&hex[2..])
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
    fn written_object_inflates_to_header_and_content_and_rewriting_is_harmless() {
        let objects = tempfile::tempdir().unwrap();
        let oid = write(objects.path(), Kind::Blob, b"hello\n").unwrap();
        let path = path_of(objects.path(), &oid);
        let compressed = std::fs::read(&path).unwrap();
        let mut inflated = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::ZlibDecoder::new(&compressed[..]), &mut inflated).unwrap();
        assert_eq!(inflated, b"blob 6\0hello\n");
        assert!(std::fs::metadata(&path).unwrap().permissions().readonly());
        // A second write finds it and leaves exactly one file, no temporary ones.
        assert_eq!(write(objects.path(), Kind::Blob, b"hello\n").unwrap(), oid);
        let names: Vec<_> =
            std::fs::read_dir(path.parent().unwrap()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from(&hex(&oid)[2..])]);
    }
}
