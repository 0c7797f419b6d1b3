//! `danchu backup FILE` and `danchu restore FILE`: the database and the uploaded files in
//! one archive (see archive.rs), consistent with each other.
//!
//! Consistency: the database is snapshotted first (SQLite `VACUUM INTO`, PostgreSQL
//! pg_dump: each one consistent moment), the uploads are copied after. An upload's file
//! (and its thumbnail) is renamed into place before its row is written, and no code
//! deletes or rewrites an uploaded file, so every file the snapshot names already exists
//! when the copy starts. Files uploaded during the backup may be in the archive without a
//! row: harmless, they are never served.

pub mod archive;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use danchu_db::backup::{self as dbb, Holds};
use danchu_db::{Backend, Db};

use crate::config::Config;
use archive::{FileEntry, Manifest, Reader, Writer};

/// Removes the paths it holds when dropped (temporary files of an unfinished backup or
/// restore); paths that were moved into place are simply gone by then.
struct Scratch(Vec<PathBuf>);

impl Drop for Scratch {
    fn drop(&mut self) {
        for p in &self.0 {
            if p.is_dir() {
                let _ = std::fs::remove_dir_all(p);
            } else {
                let _ = std::fs::remove_file(p);
            }
        }
    }
}

fn tag() -> String {
    hex::encode(rand::random::<[u8; 6]>())
}

/// `dir/.NAME.TAG.what` beside `path`.
fn beside(path: &Path, tag: &str, what: &str) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "danchu".into());
    path.with_file_name(format!(".{name}.{tag}.{what}"))
}

fn backend_name(b: Backend) -> &'static str {
    match b {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    }
}

fn mb(bytes: u64) -> String {
    danchu_web::media::human_size(bytes as i64)
}

fn readme(m: &Manifest) -> String {
    let db = match m.pg_schema.as_deref() {
        Some(schema) => format!(
            "- {}: schema \"{schema}\" của PostgreSQL, định dạng custom của pg_dump. Khôi phục tay:\n  \
             pg_restore --no-owner --no-acl --dbname='postgres://…' {}\n  \
             (vào một CSDL chưa có schema \"{schema}\"; với schema public, pg_restore báo\n  \
             'schema \"public\" already exists': bỏ qua được).\n",
            m.database, m.database
        ),
        None => format!(
            "- {}: tệp SQLite; khôi phục tay: dừng máy chủ, xoá các tệp -wal và -shm cũ bên cạnh\n  tệp của DANCHU_DATABASE_URL, rồi chép tệp này vào chỗ nó.\n",
            m.database
        ),
    };
    format!(
        "Bản sao lưu danchu {version}, tạo lúc {time} (UTC).\n\n\
         Khôi phục: dừng máy chủ, chạy `danchu restore TỆP` (kiểm tra SHA-256 của từng tệp,\n\
         đặt cơ sở dữ liệu và tệp tải lên vào chỗ, chạy migration), rồi khởi động lại.\n\n\
         Bên trong:\n{db}\
         - media/: các tệp tải lên; chép vào thư mục DANCHU_DATA_DIR/media.\n\
         - manifest.json: danh sách tệp với kích thước và SHA-256.\n",
        version = m.danchu_version,
        time = m.created_at,
    )
}

/// `danchu backup FILE`.
pub async fn backup(config: &Config, file: &Path) -> anyhow::Result<()> {
    if file.exists() {
        return Err(archive::exists(file).into());
    }
    let dir = match file.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.is_dir() {
        anyhow::bail!("thư mục {} không có; không có gì được ghi", dir.display());
    }
    let tag = tag();
    let archive_tmp = beside(file, &tag, "tmp");
    let db_tmp = beside(file, &tag, "db.tmp");
    let _scratch = Scratch(vec![archive_tmp.clone(), db_tmp.clone()]);
    // 1. The database, at one moment.
    let db = Db::connect(&config.database_url, 2).await?;
    let snap = dbb::snapshot(&db, &config.database_url, &db_tmp).await;
    db.close().await;
    let snap = snap?;
    // 2. The uploads, listed after the snapshot: every file it names is there.
    let media = archive::media_files(&config.data_dir.join("media"))?;
    let manifest = Manifest {
        format: archive::FORMAT.into(),
        format_version: archive::FORMAT_VERSION,
        created_at: time::OffsetDateTime::now_utc()
            .replace_nanosecond(0)
            .unwrap_or_else(|_| time::OffsetDateTime::now_utc())
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default(),
        danchu_version: env!("CARGO_PKG_VERSION").into(),
        backend: backend_name(snap.backend).into(),
        migration: snap.version,
        pg_schema: snap.schema.clone(),
        database: match snap.backend {
            Backend::Sqlite => archive::SQLITE_ENTRY,
            Backend::Postgres => archive::PG_ENTRY,
        }
        .into(),
        files: Vec::new(),
    };
    let target = file.to_path_buf();
    let manifest = tokio::task::spawn_blocking(move || -> std::io::Result<Manifest> {
        let mut w = Writer::create(&archive_tmp)?;
        // SQLite pages compress well; pg_dump's custom format is compressed already.
        w.add(
            &manifest.database,
            &db_tmp,
            manifest.backend == backend_name(Backend::Sqlite),
        )?;
        for (name, path) in &media {
            w.add(&format!("{}{name}", archive::MEDIA_PREFIX), path, false)?;
        }
        let text = readme(&manifest);
        let manifest = w.finish(manifest, &text)?;
        archive::publish(&archive_tmp, &target)?;
        Ok(manifest)
    })
    .await??;
    report_backup(file, &manifest);
    Ok(())
}

fn report_backup(file: &Path, m: &Manifest) {
    let size = std::fs::metadata(file).map(|x| x.len()).unwrap_or(0);
    let (db, media) = m.files.split_at(1);
    let media_bytes: u64 = media.iter().map(|f| f.size).sum();
    let what = match m.pg_schema.as_deref() {
        Some(s) => format!(
            "schema {s} của PostgreSQL ({}; tệp {} bên trong là định dạng custom của pg_dump, khôi phục bằng `danchu restore` hoặc bằng pg_restore)",
            mb(db[0].size),
            m.database
        ),
        None => format!("cơ sở dữ liệu SQLite ({})", mb(db[0].size)),
    };
    println!(
        "Đã sao lưu vào {} ({}): {what} và {} tệp tải lên ({}).",
        file.display(),
        mb(size),
        media.len(),
        mb(media_bytes)
    );
    println!(
        "Khôi phục: dừng máy chủ, chạy `danchu restore {}`, rồi khởi động lại.",
        file.display()
    );
}

/// `danchu restore FILE [--force]`.
pub async fn restore(config: &Config, file: &Path, force: bool) -> anyhow::Result<ExitCode> {
    let path = file.to_path_buf();
    let reader = tokio::task::spawn_blocking(move || Reader::open(&path)).await??;
    let m = reader.manifest.clone();
    let url = &config.database_url;
    let here = if url.starts_with("sqlite:") {
        Backend::Sqlite
    } else {
        Backend::Postgres
    };
    check_archive(&m, here)?;
    dbb::restore_tools(here)?;
    let target = dbb::inspect(url).await?;
    check_target(&target, &m, force)?;
    // Everything is taken out and checked before anything is replaced.
    let staged = stage(config, here, reader).await?;
    // The uploads first: should the database then fail, they are only unused files.
    let media_dir = config.data_dir.join("media");
    std::fs::create_dir_all(&media_dir).with_context(|| media_dir.display().to_string())?;
    let media: Vec<&str> = m.files[1..]
        .iter()
        .filter_map(FileEntry::media_name)
        .collect();
    for name in &media {
        std::fs::rename(staged.media.join(name), media_dir.join(name))
            .with_context(|| media_dir.join(name).display().to_string())?;
    }
    dbb::restore(url, &staged.db, &target, force).await?;
    // Brought up to this version of danchu, then checked.
    let db = crate::cli::open(config).await?;
    let verified = danchu_db::audit::verify(&db).await;
    db.close().await;
    let v = verified?;
    println!(
        "Đã khôi phục {} (tạo lúc {}, danchu {}): cơ sở dữ liệu{} và {} tệp tải lên vào {}.",
        file.display(),
        m.created_at,
        m.danchu_version,
        m.pg_schema
            .as_deref()
            .map(|s| format!(" (schema {s})"))
            .unwrap_or_default(),
        media.len(),
        media_dir.display()
    );
    if v.error.is_some() || v.truncated.is_some() {
        eprintln!(
            "NHẬT KÝ HỎNG trong bản đã khôi phục: chạy `danchu audit verify` để xem mục hỏng."
        );
        return Ok(ExitCode::from(2));
    }
    println!(
        "Nhật ký toàn vẹn: {} mục. Có thể khởi động máy chủ.",
        v.checked
    );
    Ok(ExitCode::SUCCESS)
}

/// The archive fits this danchu and this database.
fn check_archive(m: &Manifest, here: Backend) -> anyhow::Result<()> {
    if m.backend != backend_name(here) {
        anyhow::bail!(
            "bản sao lưu là của {}, còn DANCHU_DATABASE_URL là {}: chỉ khôi phục được vào cùng loại cơ sở dữ liệu",
            m.backend,
            backend_name(here)
        );
    }
    if m.migration > danchu_db::migrate::latest() {
        anyhow::bail!(
            "bản sao lưu có migration {} mà danchu này chỉ biết đến {}: hãy cập nhật danchu trước khi khôi phục",
            m.migration,
            danchu_db::migrate::latest()
        );
    }
    Ok(())
}

/// The archive's files, taken out and checked; removed when dropped (what was moved into
/// place is no longer there to remove).
struct Staged {
    /// The database snapshot: beside the SQLite file (renamed into place from there), or
    /// pg_dump's file in the staging folder.
    db: PathBuf,
    /// The uploads, in a staging folder inside DANCHU_DATA_DIR (so they move by rename).
    media: PathBuf,
    _scratch: Scratch,
}

async fn stage(config: &Config, here: Backend, mut reader: Reader) -> anyhow::Result<Staged> {
    let tag = tag();
    std::fs::create_dir_all(&config.data_dir)
        .with_context(|| format!("DANCHU_DATA_DIR {}", config.data_dir.display()))?;
    let folder = config.data_dir.join(format!(".khoi-phuc-{tag}"));
    let db = match here {
        Backend::Sqlite => {
            let f = dbb::sqlite_file(&config.database_url)?;
            if let Some(d) = f.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(d).with_context(|| d.display().to_string())?;
            }
            beside(&f, &tag, "khoi-phuc.tmp")
        }
        Backend::Postgres => folder.join(archive::PG_ENTRY),
    };
    let staged = Staged {
        db: db.clone(),
        media: folder.join("media"),
        _scratch: Scratch(vec![folder, db]),
    };
    std::fs::create_dir_all(&staged.media).with_context(|| staged.media.display().to_string())?;
    let (db, media) = (staged.db.clone(), staged.media.clone());
    tokio::task::spawn_blocking(move || -> std::io::Result<()> {
        let files = reader.manifest.files.clone();
        reader.extract(&files[0], &db)?;
        for f in &files[1..] {
            if let Some(name) = f.media_name() {
                reader.extract(f, &media.join(name))?;
            }
        }
        Ok(())
    })
    .await??;
    Ok(staged)
}

fn check_target(target: &dbb::Target, m: &Manifest, force: bool) -> anyhow::Result<()> {
    let place = match target.schema.as_deref() {
        Some(s) => format!("schema {s}"),
        None => "tệp cơ sở dữ liệu".to_string(),
    };
    match (&target.holds, force) {
        (Holds::Nothing, _) | (_, true) => {}
        (Holds::Danchu(v), false) => anyhow::bail!(
            "{place} đã có dữ liệu danchu (migration {v}); không khôi phục đè lên. Dừng máy chủ rồi chạy lại với --force để xoá dữ liệu đó và thay bằng bản sao lưu, hoặc khôi phục vào một cơ sở dữ liệu trống"
        ),
        (Holds::Other(n), false) => anyhow::bail!(
            "{place} đã có {n} bảng/đối tượng không phải của danchu; không khôi phục vào đó. Dùng một cơ sở dữ liệu (hoặc ?schema=) trống, hoặc --force để xoá hết"
        ),
    }
    if target.in_use {
        return Err(dbb::in_use_error().into());
    }
    if target.backend == Backend::Postgres && target.schema != m.pg_schema {
        anyhow::bail!(
            "bản sao lưu chứa schema {}, còn DANCHU_DATABASE_URL dẫn tới schema {}: pg_restore không đổi tên schema được; hãy dùng ?schema={} trong DANCHU_DATABASE_URL",
            m.pg_schema.as_deref().unwrap_or("?"),
            target.schema.as_deref().unwrap_or("?"),
            m.pg_schema.as_deref().unwrap_or("?")
        );
    }
    Ok(())
}
