//! How git stores what git-kep writes too: `core.fsync` and `core.sharedRepository`.

use super::ConfigLayers;
use crate::error::Result;

/// How git writes what git-kep writes too: which files it fsyncs (`core.fsync`,
/// `core.fsyncObjectFiles`) and the permissions of new objects (`core.sharedRepository`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Storage {
    pub fsync_loose_objects: bool,
    pub fsync_index: bool,
    pub shared: SharedRepository,
}

/// `core.sharedRepository`, as git reads it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SharedRepository {
    /// `umask` (the default): the umask decides.
    #[default]
    Umask,
    /// `group` or `all`: these bits are added (0660, 0664).
    Widen(u32),
    /// An octal mode (`0640`): exactly these bits.
    Exactly(u32),
}

impl SharedRepository {
    fn parse(value: &str) -> Option<SharedRepository> {
        Some(match value.to_ascii_lowercase().as_str() {
            "umask" | "false" | "no" | "off" | "0" => SharedRepository::Umask,
            "group" | "true" | "yes" | "on" | "1" => SharedRepository::Widen(0o660),
            "all" | "world" | "everybody" | "2" => SharedRepository::Widen(0o664),
            octal => {
                SharedRepository::Exactly(u32::from_str_radix(octal, 8).ok().filter(|m| m & 0o600 == 0o600)? & 0o666)
            }
        })
    }

    /// The permissions git's `adjust_shared_perm` gives a file with `metadata` (`None`: as is).
    pub(super) fn adjusted(self, metadata: std::fs::Metadata) -> Option<std::fs::Permissions> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = metadata.permissions().mode();
            let (mut tweak, exact) = match self {
                SharedRepository::Umask => return None,
                SharedRepository::Widen(bits) => (bits, false),
                SharedRepository::Exactly(bits) => (bits, true),
            };
            if mode & 0o200 == 0 {
                tweak &= !0o222;
            }
            if mode & 0o100 != 0 {
                tweak |= (tweak & 0o444) >> 2;
            }
            let new = if exact { (mode & !0o777) | tweak } else { mode | tweak };
            (new != mode).then(|| std::fs::Permissions::from_mode(new))
        }
        #[cfg(not(unix))]
        {
            let _ = (self, metadata);
            None
        }
    }
}

impl Storage {
    /// Reads the settings from git's config (and `git -c`); a value git would refuse is read
    /// as its default here (git itself reports it on its next command).
    pub fn read(layers: &ConfigLayers) -> Result<Storage> {
        let value = |key: &str| layers.get(key).map(|found| found.map(|(value, _)| value));
        let (loose, index) = fsync_components(value("core.fsync")?.as_deref().unwrap_or(""));
        let object_files = value("core.fsyncObjectFiles")?
            .is_some_and(|v| matches!(v.to_ascii_lowercase().as_str(), "true" | "yes" | "on" | "1"));
        let shared = value("core.sharedRepository")?.as_deref().and_then(SharedRepository::parse).unwrap_or_default();
        Ok(Storage { fsync_loose_objects: loose || object_files, fsync_index: index, shared })
    }
}

/// Whether `core.fsync` (git's syntax: a comma list of components and aggregates, `-` to take
/// one away, `none`, names matched by prefix) covers loose objects and the index. git's default
/// covers neither.
fn fsync_components(value: &str) -> (bool, bool) {
    const LOOSE: u8 = 1;
    const INDEX: u8 = 2;
    const NAMES: [(&str, u8); 11] = [
        ("loose-object", LOOSE),
        ("pack", 0),
        ("pack-metadata", 0),
        ("commit-graph", 0),
        ("index", INDEX),
        ("reference", 0),
        ("objects", LOOSE),
        ("derived-metadata", 0),
        ("committed", LOOSE),
        ("added", LOOSE | INDEX),
        ("all", LOOSE | INDEX),
    ];
    let (mut current, mut positive, mut negative) = (0u8, 0u8, 0u8);
    for name in value.split(',').map(|name| name.trim_matches([' ', '\t', '\n', '\r'])) {
        if name == "none" {
            current = 0;
            continue;
        }
        let (negated, name) = match name.strip_prefix('-') {
            Some(name) => (true, name),
            None => (false, name),
        };
        if name.is_empty() {
            continue;
        }
        for (_, bits) in NAMES.iter().filter(|(known, _)| known.starts_with(name)) {
            if negated { negative |= bits } else { positive |= bits }
        }
    }
    current &= !negative;
    let all = current | positive;
    (all & LOOSE != 0, all & INDEX != 0)
}
