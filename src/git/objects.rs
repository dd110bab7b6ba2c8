//! Object ids of either format, and the loose objects git-kep writes itself (`ObjectWriter`).

use super::{Backend, NewTree, Repo, Storage};
use crate::error::{Error, Result};
use git2::Oid;
use std::path::{Path, PathBuf};

impl Repo {
    /// How the repository names its objects.
    pub fn object_format(&self) -> ObjectFormat {
        match &self.backend {
            Backend::Libgit2(_) => ObjectFormat::Sha1,
            Backend::GitOnly(repo) => repo.format,
        }
    }

    /// The id `content` gets as a blob here, without writing it.
    pub fn blob_id(&self, content: &[u8]) -> ObjectId {
        self.object_format().blob_id(content)
    }

    /// A blob's size, from its header (the content is not read).
    pub fn blob_size(&self, id: ObjectId) -> Result<usize> {
        match &self.backend {
            Backend::Libgit2(repo) => match repo.odb()?.read_header(id.to_oid()) {
                Ok((size, _)) => Ok(size),
                Err(err) if err.code() == git2::ErrorCode::NotFound => {
                    let size = self.blob_through_git(&["cat-file", "-s", &id.to_string()])?;
                    String::from_utf8_lossy(&size)
                        .trim()
                        .parse()
                        .map_err(|_| Error::new(format!("cannot read the size git gives blob {id}")))
                }
                Err(err) => Err(err.into()),
            },
            Backend::GitOnly(repo) => repo.blob_size(id),
        }
    }

    /// A blob's content. One that is not here (a partial clone's, `--filter=blob:none`) is read
    /// through git, which fetches it from the promisor remote as `git show` would; libgit2
    /// knows nothing of promisors.
    pub fn read_blob(&self, id: ObjectId) -> Result<Vec<u8>> {
        match &self.backend {
            Backend::Libgit2(repo) => match repo.find_blob(id.to_oid()) {
                Ok(blob) => Ok(blob.content().to_vec()),
                Err(err) if err.code() == git2::ErrorCode::NotFound => {
                    self.blob_through_git(&["cat-file", "blob", &id.to_string()])
                }
                Err(err) => Err(err.into()),
            },
            Backend::GitOnly(repo) => repo.read_blob(id),
        }
    }

    /// `git cat-file` for an object libgit2 did not find: git fetches a promised one.
    pub(super) fn blob_through_git(&self, args: &[&str]) -> Result<Vec<u8>> {
        let cwd = self.workdir().unwrap_or_else(|| self.temp_dir());
        super::cli::run_for_bytes(Some(cwd), args, &[]).map_err(|failure| {
            Error::new(format!("{} is not in this repository and git could not fetch it: {}", args[2], failure.stderr))
        })
    }

    /// Where this repository's new objects go (`GIT_OBJECT_DIRECTORY` as git honours it), as a
    /// handle another thread can write blobs with while this one updates the index.
    pub fn object_writer(&self) -> ObjectWriter {
        let (common_dir, writes) = match &self.backend {
            Backend::Libgit2(repo) => (repo.commondir(), true),
            // git writes the objects there (`git apply --cached`).
            Backend::GitOnly(repo) => (repo.common_dir.as_path(), false),
        };
        let objects_dir = match std::env::var_os("GIT_OBJECT_DIRECTORY") {
            Some(dir) => PathBuf::from(dir),
            None => common_dir.join("objects"),
        };
        ObjectWriter { objects_dir, storage: self.storage, writes }
    }
}

/// The id git gives `content` as a blob in a SHA-1 repository, without writing it.
pub fn blob_id(content: &[u8]) -> ObjectId {
    ObjectId::from_bytes(&super::loose_object::id(super::loose_object::Kind::Blob, content))
}

/// How a repository names its objects (`extensions.objectFormat`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectFormat {
    Sha1,
    Sha256,
}

impl ObjectFormat {
    /// The id git gives `content` as a blob in this format.
    pub fn blob_id(self, content: &[u8]) -> ObjectId {
        match self {
            ObjectFormat::Sha1 => blob_id(content),
            ObjectFormat::Sha256 => {
                use sha2::Digest;
                let mut hash = sha2::Sha256::new();
                hash.update(format!("blob {}\0", content.len()));
                hash.update(content);
                ObjectId::from_bytes(&hash.finalize())
            }
        }
    }
}

/// An object id of either format: 20 bytes (SHA-1) or 32 (SHA-256). libgit2's `Oid` holds only
/// the first.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ObjectId {
    bytes: [u8; 32],
    len: u8,
}

impl ObjectId {
    fn from_bytes(bytes: &[u8]) -> ObjectId {
        let mut id = ObjectId { bytes: [0; 32], len: bytes.len().min(32) as u8 };
        id.bytes[..usize::from(id.len)].copy_from_slice(&bytes[..usize::from(id.len)]);
        id
    }

    pub(super) fn from_oid(oid: Oid) -> ObjectId {
        ObjectId::from_bytes(oid.as_bytes())
    }

    /// As libgit2's id (a SHA-1 repository's: libgit2 opens no other).
    pub(super) fn to_oid(self) -> Oid {
        Oid::from_bytes(&self.bytes[..20]).expect("20 bytes are an object id")
    }

    pub(super) fn sha1_bytes(self) -> [u8; 20] {
        let mut bytes = [0u8; 20];
        bytes.copy_from_slice(&self.bytes[..20]);
        bytes
    }

    /// Parses git's hexadecimal form (40 or 64 digits).
    pub(super) fn from_hex(hex: &str) -> Option<ObjectId> {
        if !matches!(hex.len(), 40 | 64) || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let bytes: Option<Vec<u8>> =
            (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).ok()).collect();
        Some(ObjectId::from_bytes(&bytes?))
    }
}

impl std::fmt::Display for ObjectId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.bytes[..usize::from(self.len)].iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl std::fmt::Debug for ObjectId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ObjectId({self})")
    }
}

/// Writes new objects into a repository's object directory; usable from any thread.
#[derive(Clone)]
pub struct ObjectWriter {
    objects_dir: PathBuf,
    storage: Storage,
    /// `false` where git writes the objects itself (a repository libgit2 cannot open).
    writes: bool,
}

impl ObjectWriter {
    /// Writes `content` as a loose blob and returns its id (see `write`).
    pub fn write_blob(&self, content: &[u8]) -> Result<ObjectId> {
        self.write(super::loose_object::Kind::Blob, content)
            .map(|id| ObjectId::from_bytes(&id))
            .map_err(|err| Error::write_failed(format!("cannot write a blob into {}", self.objects_dir.display()), err))
    }

    /// `write_blob` for content whose id (`Repo::blob_id`) is known already: not hashed again.
    pub fn write_blob_known(&self, content: &[u8], id: ObjectId) -> Result<()> {
        self.write_with_id(super::loose_object::Kind::Blob, content, id.sha1_bytes())
            .map(drop)
            .map_err(|err| Error::write_failed(format!("cannot write a blob into {}", self.objects_dir.display()), err))
    }

    /// Writes a rebuilt tree as a loose object (see `write`).
    pub fn write_tree(&self, tree: &NewTree) -> Result<()> {
        self.write(super::loose_object::Kind::Tree, &tree.bytes)
            .map(drop)
            .map_err(|err| Error::write_failed(format!("cannot write a tree into {}", self.objects_dir.display()), err))
    }

    /// Writes `content` as a loose object, as git does: its file (`loose_object::file_bytes`)
    /// into a temporary file in its fan-out directory, made read-only and linked into place
    /// without replacing anything, so the file appears whole or not at all. One already there as
    /// a loose file is only freshened (its time set to now, as git does, so that a pruning
    /// `git gc` keeps it). A new fan-out directory gets the permissions of objects/, which is
    /// what core.sharedRepository gives it (group-writable and setgid in a shared repository).
    fn write(&self, kind: super::loose_object::Kind, content: &[u8]) -> std::io::Result<[u8; 20]> {
        self.write_with_id(kind, content, super::loose_object::id(kind, content))
    }

    fn write_with_id(
        &self,
        kind: super::loose_object::Kind,
        content: &[u8],
        oid: [u8; 20],
    ) -> std::io::Result<[u8; 20]> {
        if !self.writes {
            return Ok(oid);
        }
        let (fan_out, path) = super::loose_object::path_of(&self.objects_dir, &oid);
        if let Ok(existing) = std::fs::File::open(&path) {
            // Best effort: an object file of another user's in a shared repository may refuse.
            let _ = existing.set_modified(std::time::SystemTime::now());
            return Ok(oid);
        }
        if !fan_out.is_dir() {
            match std::fs::create_dir(&fan_out) {
                Ok(()) => {
                    if let Ok(metadata) = std::fs::metadata(&self.objects_dir) {
                        let _ = std::fs::set_permissions(&fan_out, metadata.permissions());
                    }
                }
                Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(err) => return Err(err),
            }
        }
        // Created 0444 under the umask and then widened for core.sharedRepository, as git does.
        let mut temp = object_temp_file(&fan_out)?;
        std::io::Write::write_all(&mut temp, &super::loose_object::file_bytes(kind, content))?;
        if let Some(mode) = self.storage.shared.adjusted(temp.as_file().metadata()?) {
            temp.as_file().set_permissions(mode)?;
        }
        if self.storage.fsync_loose_objects {
            temp.as_file().sync_all()?;
        }
        match temp.persist(&path, true) {
            Ok(()) => Ok(oid),
            // Someone wrote the same object meanwhile: same bytes, nothing to do.
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => Ok(oid),
            Err(err) => Err(err),
        }
    }
}

/// A new object's temporary file, created read-only: 0444 less what the umask takes, as git's.
fn object_temp_file(fan_out: &Path) -> std::io::Result<crate::interrupt::TempFile> {
    let mut builder = tempfile::Builder::new();
    builder.prefix("tmp_obj_");
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o444));
    let temp = crate::interrupt::TempFile::new_in(&builder, fan_out)?;
    #[cfg(not(unix))]
    {
        let mut permissions = temp.as_file().metadata()?.permissions();
        permissions.set_readonly(true);
        temp.as_file().set_permissions(permissions)?;
    }
    Ok(temp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_written_twice_is_one_read_only_file_freshened_the_second_time() {
        let objects = tempfile::tempdir().unwrap();
        let writer =
            ObjectWriter { objects_dir: objects.path().to_path_buf(), storage: Storage::default(), writes: true };
        let oid = writer.write_blob(b"hello\n").unwrap();
        assert_eq!(oid.to_string(), "ce013625030ba8dba906f756967f9e9ca394464a");
        let (fan_out, file) = crate::git::loose_object::path_of(objects.path(), &oid.sha1_bytes());
        assert_eq!(
            std::fs::read(&file).unwrap(),
            crate::git::loose_object::file_bytes(crate::git::loose_object::Kind::Blob, b"hello\n")
        );
        assert!(std::fs::metadata(&file).unwrap().permissions().readonly());
        let long_ago = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000_000);
        std::fs::File::open(&file).unwrap().set_modified(long_ago).unwrap();
        assert_eq!(writer.write_blob(b"hello\n").unwrap(), oid);
        assert!(std::fs::metadata(&file).unwrap().modified().unwrap() > long_ago, "freshened");
        // No temporary file left beside it.
        let names: Vec<_> = std::fs::read_dir(&fan_out).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, vec![file.file_name().unwrap().to_owned()]);
    }
}
