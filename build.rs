//! Packs the sources the binary is built from into `OUT_DIR/kallkod.tar.gz`, which `serve`
//! offers at `/kallkod` (AGPL-3.0 §13: the users of a network service are offered the
//! Corresponding Source of the version that runs). Whatever is compiled, modified or not, is
//! what the archive holds.
//!
//! The archive holds everything needed to build, run and modify the program: the workspace's
//! manifests and lock file, the sources of all three crates, the migrations, the demo corpus,
//! the lexicon with the tool that derives it, the licence and the README. The tests
//! (`tests/`, `index/tests/`), the benchmarks, the test script and CI stay in the repository:
//! they are not needed to build the program, and watching them here would rebuild the app
//! whenever a test changes. `tests/site.rs` checks that every other file git tracks is here.
//! Entries are sorted, with fixed times, owners and modes, so the same sources give the same
//! archive.

use std::io::Write;
use std::path::{Path, PathBuf};

/// What goes into the archive, relative to the workspace root: files, and directories taken
/// whole. A change to any of them builds a new archive.
const SOURCES: &[&str] = &[
    "Cargo.toml",
    "Cargo.lock",
    "build.rs",
    "clippy.toml",
    "LICENSE",
    "src",
    "migrations",
    "data/demo",
    "index/Cargo.toml",
    "index/build.rs",
    "index/src",
    "index/lexicon",
    "templates/Cargo.toml",
    "templates/src",
    "templates/static",
    "tools",
];

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo"));
    let version = std::env::var("CARGO_PKG_VERSION").expect("set by cargo");

    let mut files = Vec::new();
    for source in SOURCES {
        println!("cargo:rerun-if-changed={source}");
        collect(&root, Path::new(source), &mut files);
    }
    for source in UNWATCHED {
        collect(&root, Path::new(source), &mut files);
    }
    files.sort();

    let archive = std::fs::File::create(out.join("kallkod.tar.gz")).expect("OUT_DIR is writable");
    let gzip = flate2::write::GzEncoder::new(archive, flate2::Compression::default());
    let mut tar = tar::Builder::new(gzip);
    for file in &files {
        let content = std::fs::read(root.join(file)).expect("a listed source is readable");
        let mut header = tar::Header::new_gnu();
        header.set_size(content.len() as u64);
        header.set_mode(0o644);
        header.set_mtime(0);
        header.set_entry_type(tar::EntryType::Regular);
        let name = Path::new(&format!("hallbar-{version}")).join(file);
        tar.append_data(&mut header, name, content.as_slice())
            .expect("the archive is written to OUT_DIR");
    }
    let gzip = tar.into_inner().expect("the archive is written to OUT_DIR");
    gzip.finish()
        .and_then(|mut file| file.flush())
        .expect("the archive is written to OUT_DIR");
}

/// Packed too, but not watched: the README changes often and is not needed to build, so an
/// edit to it alone does not rebuild the app; the next build after any other change packs it.
const UNWATCHED: &[&str] = &["README.md"];

/// Adds `path` (a file, or every file below a directory) to `files`, relative to `root`.
/// Hidden entries (editor and tool state) are left out.
fn collect(root: &Path, path: &Path, files: &mut Vec<PathBuf>) {
    let full = root.join(path);
    let meta = std::fs::metadata(&full)
        .unwrap_or_else(|e| panic!("{} belongs in the source archive: {e}", full.display()));
    if meta.is_file() {
        files.push(path.to_path_buf());
        return;
    }
    for entry in std::fs::read_dir(&full).expect("a listed directory is readable") {
        let entry = entry.expect("a listed directory is readable");
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        collect(root, &path.join(entry.file_name()), files);
    }
}
