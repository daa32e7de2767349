//! Where the index lives: `<data>/index/CURRENT` names the generation directory in use, so
//! a rebuilt index can replace the old one with one atomic rename.

use std::path::{Path, PathBuf};

/// The index root, `<data dir>/index`.
#[derive(Debug, Clone)]
pub struct IndexLocation {
    root: PathBuf,
}

const POINTER: &str = "CURRENT";

impl IndexLocation {
    pub fn new(data_dir: &Path) -> Self {
        IndexLocation {
            root: data_dir.join("index"),
        }
    }

    /// The name of the generation in use, if any.
    pub fn current(&self) -> std::io::Result<Option<String>> {
        match std::fs::read_to_string(self.root.join(POINTER)) {
            Ok(name) => {
                let name = name.trim();
                let valid =
                    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
                Ok(valid.then(|| name.to_string()))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The directory of a generation.
    pub fn dir(&self, name: &str) -> PathBuf {
        self.root.join(name)
    }

    /// A fresh, unused generation name.
    pub fn new_generation(&self) -> String {
        let millis = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or_default();
        format!("gen-{millis}-{}", std::process::id())
    }

    /// Makes `name` the generation in use (write a temporary pointer, then rename).
    pub fn switch_to(&self, name: &str) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.root)?;
        let temporary = self
            .root
            .join(format!("{POINTER}.{}.tmp", std::process::id()));
        std::fs::write(&temporary, name)?;
        let file = std::fs::File::open(&temporary)?;
        file.sync_all()?;
        std::fs::rename(&temporary, self.root.join(POINTER))?;
        if let Ok(dir) = std::fs::File::open(&self.root) {
            let _ = dir.sync_all();
        }
        Ok(())
    }

    /// Deletes a generation's directory (never the one in use).
    pub fn remove(&self, name: &str) -> std::io::Result<()> {
        if self.current()?.as_deref() == Some(name) {
            return Ok(());
        }
        match std::fs::remove_dir_all(self.dir(name)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }
}
