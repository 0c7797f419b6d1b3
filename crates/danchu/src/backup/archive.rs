//! The backup archive: one zip file holding the database snapshot (`database.sqlite3` or
//! `database.pgdump`), every uploaded file (`media/NAME`), a short Vietnamese read-me, and
//! `manifest.json` (format version, backend, time, danchu version, migration, and each
//! file's size and SHA-256). Files are streamed in and out, never held whole in memory;
//! images, PDFs and pg_dump's (already compressed) format are stored, SQLite is deflated.

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub const FORMAT: &str = "danchu-backup";
pub const FORMAT_VERSION: u32 = 1;
pub const MANIFEST: &str = "manifest.json";
pub const README: &str = "DOC-TOI.txt";
pub const SQLITE_ENTRY: &str = "database.sqlite3";
pub const PG_ENTRY: &str = "database.pgdump";
pub const MEDIA_PREFIX: &str = "media/";

/// `manifest.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub format_version: u32,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub danchu_version: String,
    /// `sqlite` or `postgres`.
    pub backend: String,
    /// The newest migration the database had.
    pub migration: i64,
    /// PostgreSQL: the schema dumped.
    #[serde(default)]
    pub pg_schema: Option<String>,
    /// The entry holding the database.
    pub database: String,
    /// Every entry but the manifest and the read-me, the database first.
    pub files: Vec<FileEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    pub path: String,
    pub size: u64,
    pub sha256: String,
}

impl FileEntry {
    /// The uploaded file's own name, for a `media/` entry.
    pub fn media_name(&self) -> Option<&str> {
        self.path.strip_prefix(MEDIA_PREFIX)
    }
}

/// Reads through, counting and hashing.
struct Hashing<R> {
    inner: R,
    hash: Sha256,
    size: u64,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hash.update(&buf[..n]);
        self.size += n as u64;
        Ok(n)
    }
}

fn hashing<R: Read>(inner: R) -> Hashing<R> {
    Hashing {
        inner,
        hash: Sha256::new(),
        size: 0,
    }
}

fn err(what: impl std::fmt::Display, e: impl std::fmt::Display) -> io::Error {
    io::Error::other(format!("{what}: {e}"))
}

/// Writes an archive under a temporary name.
pub struct Writer {
    zip: zip::ZipWriter<File>,
    files: Vec<FileEntry>,
}

impl Writer {
    /// Creates `path` (which must not exist), readable by its owner only: the database
    /// holds password hashes and citizens' personal data.
    pub fn create(path: &Path) -> io::Result<Writer> {
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt as _;
            opts.mode(0o600);
        }
        let file = opts.open(path).map_err(|e| err(path.display(), e))?;
        Ok(Writer {
            zip: zip::ZipWriter::new(file),
            files: Vec::new(),
        })
    }

    /// Streams the file `src` into the archive as `name`.
    pub fn add(&mut self, name: &str, src: &Path, compress: bool) -> io::Result<()> {
        let file = File::open(src).map_err(|e| err(src.display(), e))?;
        let expected = file.metadata().map_err(|e| err(src.display(), e))?.len();
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(if compress {
                zip::CompressionMethod::Deflated
            } else {
                zip::CompressionMethod::Stored
            })
            .large_file(expected >= u32::MAX as u64)
            .unix_permissions(0o600);
        self.zip
            .start_file(name, options)
            .map_err(|e| err(name, e))?;
        let mut reader = hashing(file);
        io::copy(&mut reader, &mut self.zip).map_err(|e| err(src.display(), e))?;
        if reader.size != expected {
            return Err(err(
                src.display(),
                "tệp thay đổi kích thước trong lúc sao lưu",
            ));
        }
        self.files.push(FileEntry {
            path: name.to_string(),
            size: reader.size,
            sha256: hex::encode(reader.hash.finalize()),
        });
        Ok(())
    }

    /// Adds the read-me and the manifest (which gets the list of files) and closes the
    /// archive, flushed to disk.
    pub fn finish(mut self, mut manifest: Manifest, readme: &str) -> io::Result<Manifest> {
        manifest.files = std::mem::take(&mut self.files);
        let small = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .unix_permissions(0o644);
        self.zip
            .start_file(README, small)
            .map_err(|e| err(README, e))?;
        self.zip.write_all(readme.as_bytes())?;
        let json = serde_json::to_vec_pretty(&manifest).map_err(|e| err(MANIFEST, e))?;
        self.zip
            .start_file(MANIFEST, small)
            .map_err(|e| err(MANIFEST, e))?;
        self.zip.write_all(&json)?;
        let file = self.zip.finish().map_err(|e| err("zip", e))?;
        file.sync_all()?;
        Ok(manifest)
    }
}

/// Gives `tmp` the name `target` unless `target` exists (then fails, leaving both).
pub fn publish(tmp: &Path, target: &Path) -> io::Result<()> {
    // A hard link never replaces an existing file; not every file system has them.
    match std::fs::hard_link(tmp, target) {
        Ok(()) => {
            std::fs::remove_file(tmp)?;
            Ok(())
        }
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(exists(target)),
        Err(_) if target.exists() => Err(exists(target)),
        Err(_) => std::fs::rename(tmp, target),
    }
}

pub fn exists(target: &Path) -> io::Error {
    io::Error::new(
        io::ErrorKind::AlreadyExists,
        format!(
            "tệp {} đã tồn tại; hãy chọn tên khác (bản sao lưu không bao giờ ghi đè)",
            target.display()
        ),
    )
}

/// An archive opened for a restore, its manifest read and checked.
pub struct Reader {
    zip: zip::ZipArchive<File>,
    pub manifest: Manifest,
}

/// Why an archive is refused.
fn refused(path: &Path, why: impl std::fmt::Display) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!(
            "{} không phải bản sao lưu danchu dùng được: {why}",
            path.display()
        ),
    )
}

impl Reader {
    pub fn open(path: &Path) -> io::Result<Reader> {
        let file = File::open(path).map_err(|e| err(path.display(), e))?;
        let mut zip = zip::ZipArchive::new(file).map_err(|e| refused(path, e))?;
        let mut json = Vec::new();
        zip.by_name(MANIFEST)
            .map_err(|_| refused(path, format!("thiếu {MANIFEST}")))?
            .take(16 * 1024 * 1024)
            .read_to_end(&mut json)?;
        let manifest: Manifest =
            serde_json::from_slice(&json).map_err(|e| refused(path, format!("{MANIFEST}: {e}")))?;
        check(&manifest).map_err(|why| refused(path, why))?;
        Ok(Reader { zip, manifest })
    }

    /// Streams `entry` out to `dest` (created, must not exist), checking its size and
    /// SHA-256 against the manifest; a file that does not match is removed.
    pub fn extract(&mut self, entry: &FileEntry, dest: &Path) -> io::Result<()> {
        let result = self.extract_unchecked(entry, dest);
        if result.is_err() {
            let _ = std::fs::remove_file(dest);
        }
        result
    }

    fn extract_unchecked(&mut self, entry: &FileEntry, dest: &Path) -> io::Result<()> {
        let inner = self.zip.by_name(&entry.path).map_err(|_| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("bản sao lưu bị hỏng: thiếu {}", entry.path),
            )
        })?;
        // Never more than the manifest promises.
        let mut reader = hashing(inner.take(entry.size.saturating_add(1)));
        let mut out = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(dest)
            .map_err(|e| err(dest.display(), e))?;
        io::copy(&mut reader, &mut out).map_err(|e| err(&entry.path, e))?;
        let sha = hex::encode(reader.hash.finalize());
        if reader.size != entry.size || sha != entry.sha256 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "bản sao lưu bị hỏng: {} không khớp với manifest (SHA-256 hoặc kích thước khác)",
                    entry.path
                ),
            ));
        }
        out.sync_all()?;
        Ok(())
    }
}

/// The manifest's promises hold: our format, a known backend, the database entry for it,
/// only our own file names (no path can be built from the archive), no repeats.
fn check(m: &Manifest) -> Result<(), String> {
    if m.format != FORMAT {
        return Err(format!("định dạng {:?}, cần {FORMAT:?}", m.format));
    }
    if m.format_version > FORMAT_VERSION {
        return Err(format!(
            "định dạng phiên bản {} do danchu mới hơn tạo; hãy cập nhật danchu",
            m.format_version
        ));
    }
    let expected = match m.backend.as_str() {
        "sqlite" => SQLITE_ENTRY,
        "postgres" => PG_ENTRY,
        other => return Err(format!("loại cơ sở dữ liệu không biết: {other:?}")),
    };
    if m.database != expected || m.files.first().map(|f| f.path.as_str()) != Some(expected) {
        return Err(format!("thiếu {expected}"));
    }
    let mut seen = std::collections::HashSet::new();
    for f in &m.files[1..] {
        let ok = f
            .media_name()
            .is_some_and(danchu_core::files::valid_stored_name);
        if !ok {
            return Err(format!("tên tệp không hợp lệ: {:?}", f.path));
        }
        if !seen.insert(f.path.as_str()) {
            return Err(format!("tệp lặp lại: {}", f.path));
        }
    }
    if m.files
        .iter()
        .any(|f| f.sha256.len() != 64 || !f.sha256.bytes().all(|b| b.is_ascii_hexdigit()))
    {
        return Err("SHA-256 không hợp lệ".into());
    }
    Ok(())
}

/// The uploaded files in `media_dir`: our own names only (temporary files of uploads
/// being written are left out), sorted.
pub fn media_files(media_dir: &Path) -> io::Result<Vec<(String, PathBuf)>> {
    let entries = match std::fs::read_dir(media_dir) {
        Ok(e) => e,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(err(media_dir.display(), e)),
    };
    let mut out = Vec::new();
    for e in entries {
        let e = e.map_err(|e| err(media_dir.display(), e))?;
        let Some(name) = e.file_name().to_str().map(str::to_string) else {
            continue;
        };
        if danchu_core::files::valid_stored_name(&name) && e.file_type().is_ok_and(|t| t.is_file())
        {
            out.push((name, e.path()));
        }
    }
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(files: Vec<FileEntry>) -> Manifest {
        Manifest {
            format: FORMAT.into(),
            format_version: FORMAT_VERSION,
            created_at: "2025-01-01T00:00:00Z".into(),
            danchu_version: "0".into(),
            backend: "sqlite".into(),
            migration: 1,
            pg_schema: None,
            database: SQLITE_ENTRY.into(),
            files,
        }
    }

    fn entry(path: &str) -> FileEntry {
        FileEntry {
            path: path.into(),
            size: 1,
            sha256: "0".repeat(64),
        }
    }

    #[test]
    fn only_our_own_names_are_accepted() {
        let db = entry(SQLITE_ENTRY);
        let good = entry("media/0123456789abcdef0123456789abcdef.pdf");
        assert!(check(&manifest(vec![db.clone(), good.clone()])).is_ok());
        for bad in [
            "media/../../etc/passwd",
            "media/x.pdf",
            "other/0123456789abcdef0123456789abcdef.pdf",
            SQLITE_ENTRY,
        ] {
            assert!(
                check(&manifest(vec![db.clone(), entry(bad)])).is_err(),
                "{bad}"
            );
        }
        assert!(check(&manifest(vec![db.clone(), good.clone(), good])).is_err());
        assert!(check(&manifest(vec![])).is_err());
    }
}
