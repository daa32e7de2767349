//! Where the index lives: `<data>/index/CURRENT` names the generation directory in use, so
//! a rebuilt index can replace the old one with one atomic rename. Generations left behind
//! by a build that was killed are found and removed here.

use std::path::{Path, PathBuf};

use hallbar_index::SearchIndex;

/// The file in the index root that names this node.
const NODE_ID: &str = "node-id";

/// The index root, `<data dir>/index`.
#[derive(Debug, Clone)]
pub struct IndexLocation {
    root: PathBuf,
}

const POINTER: &str = "CURRENT";
const GENERATION_PREFIX: &str = "gen-";

/// Why the index's place on disk cannot be used, in Swedish, with what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum LocationError {
    #[error(
        "{path} är en fil, men där ska sökindexets katalog ligga; flytta undan filen så byggs \
         sökindexet om från databasen"
    )]
    RootIsFile { path: PathBuf },
    #[error(
        "sökindexets pekare {path} är en katalog, men ska vara en fil; flytta undan katalogen \
         så byggs sökindexet om från databasen"
    )]
    PointerIsDirectory { path: PathBuf },
    #[error("sökindexet i {path} kunde inte läsas eller skrivas: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl IndexLocation {
    pub fn new(data_dir: &Path) -> Self {
        IndexLocation {
            root: data_dir.join("index"),
        }
    }

    fn io(path: &Path) -> impl FnOnce(std::io::Error) -> LocationError + '_ {
        move |source| LocationError::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    /// The index root must be a directory (or not exist yet).
    fn check_root(&self) -> Result<(), LocationError> {
        match std::fs::metadata(&self.root) {
            Ok(meta) if !meta.is_dir() => Err(LocationError::RootIsFile {
                path: self.root.clone(),
            }),
            Ok(_) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(Self::io(&self.root)(e)),
        }
    }

    /// The name of the generation in use, if any.
    pub fn current(&self) -> Result<Option<String>, LocationError> {
        self.check_root()?;
        let pointer = self.root.join(POINTER);
        if pointer.is_dir() {
            return Err(LocationError::PointerIsDirectory { path: pointer });
        }
        match std::fs::read_to_string(&pointer) {
            Ok(name) => {
                let name = name.trim();
                let valid =
                    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
                Ok(valid.then(|| name.to_string()))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Self::io(&pointer)(e)),
        }
    }

    /// The directory of a generation.
    /// This node's name among the nodes of one database (`node-id` in the index root,
    /// created on first use): what its heartbeats report under.
    pub fn node_id(&self) -> Result<String, LocationError> {
        self.check_root()?;
        std::fs::create_dir_all(&self.root).map_err(Self::io(&self.root))?;
        let path = self.root.join(NODE_ID);
        match std::fs::read_to_string(&path) {
            Ok(id) if !id.trim().is_empty() => return Ok(id.trim().to_string()),
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Self::io(&path)(e)),
        }
        let id = uuid::Uuid::new_v4().simple().to_string();
        std::fs::write(&path, format!("{id}\n")).map_err(Self::io(&path))?;
        Ok(id)
    }

    pub fn dir(&self, name: &str) -> PathBuf {
        self.root.join(name)
    }

    /// A fresh, unused generation name: `gen-<milliseconds>-<process id>`.
    pub fn new_generation(&self) -> String {
        let millis = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or_default();
        format!("{GENERATION_PREFIX}{millis}-{}", std::process::id())
    }

    /// Makes `name` the generation in use (write a temporary pointer, then rename).
    pub fn switch_to(&self, name: &str) -> Result<(), LocationError> {
        self.check_root()?;
        std::fs::create_dir_all(&self.root).map_err(Self::io(&self.root))?;
        let pointer = self.root.join(POINTER);
        if pointer.is_dir() {
            return Err(LocationError::PointerIsDirectory { path: pointer });
        }
        let temporary = self
            .root
            .join(format!("{POINTER}.{}.tmp", std::process::id()));
        let write = || -> std::io::Result<()> {
            std::fs::write(&temporary, name)?;
            std::fs::File::open(&temporary)?.sync_all()?;
            std::fs::rename(&temporary, &pointer)
        };
        write().map_err(Self::io(&pointer))?;
        if let Ok(dir) = std::fs::File::open(&self.root) {
            let _ = dir.sync_all();
        }
        Ok(())
    }

    /// Deletes a generation's directory (never the one in use).
    pub fn remove(&self, name: &str) -> Result<(), LocationError> {
        if self.current()?.as_deref() == Some(name) {
            return Ok(());
        }
        let dir = self.dir(name);
        match std::fs::remove_dir_all(&dir) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Self::io(&dir)(e)),
            _ => Ok(()),
        }
    }

    /// Deletes the generations that are neither in use nor being built: not the current
    /// one, made by a process that has ended (or by this one), and not open for writing by
    /// anyone (a server that has not yet followed a switch still writes its old one). Also
    /// the temporary pointers such processes left. Returns the names removed.
    pub fn remove_abandoned(&self) -> Result<Vec<String>, LocationError> {
        let current = self.current()?;
        let entries = match std::fs::read_dir(&self.root) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(Self::io(&self.root)(e)),
        };
        let mut removed = Vec::new();
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if let Some(pid) = temporary_pointer_pid(&name)
                && !process_alive(pid)
            {
                let _ = std::fs::remove_file(entry.path());
                continue;
            }
            let Some(pid) = generation_pid(&name) else {
                continue;
            };
            if current.as_deref() == Some(name.as_str())
                || (pid != std::process::id() && process_alive(pid))
                || held_by_a_writer(&entry.path())
            {
                continue;
            }
            match std::fs::remove_dir_all(entry.path()) {
                Ok(()) => removed.push(name),
                Err(e) => {
                    tracing::warn!(error = %e, generation = %name, "en övergiven indexgeneration kunde inte tas bort")
                }
            }
        }
        Ok(removed)
    }
}

/// The process that made a generation, from its name `gen-<millis>-<pid>`.
fn generation_pid(name: &str) -> Option<u32> {
    let rest = name.strip_prefix(GENERATION_PREFIX)?;
    let (millis, pid) = rest.split_once('-')?;
    millis.parse::<u128>().ok()?;
    pid.parse().ok()
}

/// The process that wrote a temporary pointer `CURRENT.<pid>.tmp`.
fn temporary_pointer_pid(name: &str) -> Option<u32> {
    name.strip_prefix("CURRENT.")?
        .strip_suffix(".tmp")?
        .parse()
        .ok()
}

/// Whether a process with this id is running (on systems without `/proc`, assumed so,
/// which only ever keeps a directory).
fn process_alive(pid: u32) -> bool {
    let proc = Path::new("/proc");
    if !proc.is_dir() {
        return true;
    }
    proc.join(pid.to_string()).exists()
}

/// Whether someone holds the index writer of a generation. A directory whose index cannot
/// be opened at all is no one's.
fn held_by_a_writer(dir: &Path) -> bool {
    match SearchIndex::open_existing(dir) {
        Ok(index) => index.writer().is_err(),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generation_names_carry_their_process() {
        let location = IndexLocation::new(Path::new("/tmp/x"));
        let name = location.new_generation();
        assert_eq!(generation_pid(&name), Some(std::process::id()));
        assert_eq!(generation_pid("gen-abc-12"), None);
        assert_eq!(generation_pid("CURRENT"), None);
        assert_eq!(temporary_pointer_pid("CURRENT.77.tmp"), Some(77));
        assert!(process_alive(std::process::id()));
    }

    #[test]
    fn a_file_where_the_index_should_be_is_named_in_swedish() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        std::fs::write(dir.path().join("index"), b"x").expect("a file");
        let error = IndexLocation::new(dir.path()).current().unwrap_err();
        assert!(error.to_string().contains("är en fil"), "{error}");
        assert!(error.to_string().contains("flytta undan"), "{error}");

        let dir = tempfile::tempdir().expect("a temporary directory");
        std::fs::create_dir_all(dir.path().join("index/CURRENT")).expect("a directory");
        let error = IndexLocation::new(dir.path()).current().unwrap_err();
        assert!(error.to_string().contains("är en katalog"), "{error}");
    }
}
