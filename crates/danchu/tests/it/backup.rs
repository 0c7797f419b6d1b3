//! `danchu backup` and `danchu restore`: one archive with the database and the uploaded
//! files; the restore drill on both databases; on PostgreSQL, pg_dump's credentials,
//! parameters and schema.

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::both;
use crate::harness::{danchu_cli, pg_url, schema_of, temp_dir, Backend, Cleanup, Fixture, TestApp};

fn text(out: &Output) -> String {
    format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Uploads a file through the admin's media page; returns (stored name, thumbnail name).
async fn upload(app: &TestApp, name: &str, bytes: Vec<u8>) -> (String, Option<String>) {
    let c = app.sign_in("admin").await;
    let m = app.uploaded(&c, "721", name, bytes).await;
    (m.stored_name, m.thumb_name)
}

fn png() -> Vec<u8> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD
        .decode(crate::harness::PNG_1X1)
        .unwrap()
}

async fn get_bytes(app: &TestApp, path: &str) -> (u16, Vec<u8>) {
    let r = app.get(&app.client(), path).await;
    (r.status().as_u16(), r.bytes().await.unwrap().to_vec())
}

/// A place to restore into that holds nothing yet: a new SQLite file, or (PostgreSQL)
/// the same URL, whose schema the caller has dropped (pg_restore recreates the schema the
/// dump names).
fn fresh_target(backend: Backend, old_url: &str) -> (String, Cleanup) {
    match backend {
        Backend::Sqlite => {
            let dir = temp_dir("danchu_restored");
            (
                format!("sqlite://{}", dir.join("restored.db").display()),
                Cleanup::Dir(dir),
            )
        }
        Backend::Postgres => (
            old_url.to_string(),
            Cleanup::Schema(schema_of(old_url).unwrap()),
        ),
    }
}

/// The `n` of a count about `schema`, asked of the PostgreSQL server (outside any test
/// schema).
async fn pg_count(sql: &'static str, schema: &str) -> i64 {
    let db = danchu_db::Db::connect(&pg_url(), 2).await.unwrap();
    let n = db
        .fetch_optional(danchu_db::q(sql).bind(schema))
        .await
        .unwrap()
        .unwrap()
        .get::<i64>("n")
        .unwrap();
    db.close().await;
    n
}

async fn schema_exists(schema: &str) -> bool {
    let sql = "SELECT COUNT(*) AS n FROM pg_namespace WHERE nspname = $1";
    pg_count(sql, schema).await > 0
}

/// How many tables, indexes, sequences… a PostgreSQL schema holds (0 when it is absent).
async fn relations_in(schema: &str) -> i64 {
    pg_count("SELECT COUNT(*) AS n FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = $1", schema).await
}

/// Drops a PostgreSQL schema, if it is there.
async fn drop_schema(schema: &str) {
    let db = danchu_db::Db::connect(&pg_url(), 2).await.unwrap();
    let _ = db
        .execute(danchu_db::q(format!(
            "DROP SCHEMA IF EXISTS {schema} CASCADE"
        )))
        .await;
    db.close().await;
}

async fn wipe(cleanup: Cleanup) {
    match cleanup {
        Cleanup::Dir(d) => {
            let _ = std::fs::remove_dir_all(d);
        }
        Cleanup::Schema(s) => drop_schema(&s).await,
    }
}

/// The path of a file as an argument of the danchu binary.
fn arg(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 temp path")
}

/// A new folder, and where an archive goes in it (nothing written yet).
fn new_archive() -> (PathBuf, PathBuf) {
    let dir = temp_dir("danchu_bk");
    let archive = dir.join("sao-luu.zip");
    (dir, archive)
}

/// `danchu backup` of `app` into a new folder, which must succeed: the folder and the
/// archive.
fn backed_up(app: &TestApp) -> (PathBuf, PathBuf) {
    let (dir, archive) = new_archive();
    crate::harness::assert_ran(&app.cli(&["backup", arg(&archive)]));
    (dir, archive)
}

/// `danchu restore` of `archive` into the database at `url` with the data dir `data_dir`.
fn restore_into(url: &str, data_dir: &Path, archive: &Path) -> Output {
    danchu_cli(url, data_dir)
        .args(["restore", arg(archive)])
        .output()
        .unwrap()
}

both!(
    restore_drill_brings_back_data_and_uploads,
    Fixture::demo(),
    |app: TestApp| async move {
        let pdf = crate::harness::pdf_with_text("Bien ban hop dan ap Ho Da", 0);
        let (pdf_name, _) = upload(&app, "Biên bản họp.pdf", pdf.clone()).await;
        let (png_name, thumb) = upload(&app, "Ảnh họp.png", png()).await;
        let thumb = thumb.unwrap();
        let plan = danchu_db::documents::by_number(&app.db, "22/kh-ubnd")
            .await
            .unwrap()
            .remove(0)
            .id;
        let (_, thumb_bytes) = get_bytes(&app, &format!("/tep/{thumb}")).await;
        let (dir, archive) = backed_up(&app);
        {
            // The database holds password hashes and personal data: the owner's only.
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&archive).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "{mode:o}");
        }
        // Wipe: dropping the app removes its database (SQLite file, PostgreSQL schema) and
        // its data dir with the uploads.
        let (backend, old_url, old_data) = (
            app.backend,
            app.database_url.clone(),
            app.data_dir().to_path_buf(),
        );
        drop(app);
        assert!(!old_data.exists());
        if backend == Backend::Postgres {
            assert!(
                !schema_exists(&schema_of(&old_url).unwrap()).await,
                "schema dropped"
            );
        }
        let (url, cleanup) = fresh_target(backend, &old_url);
        let data_dir = temp_dir("danchu_restored_data");
        let out = restore_into(&url, &data_dir, &archive);
        crate::harness::assert_ran(&out);
        let app = TestApp::on_existing(backend, url, data_dir, cleanup).await;
        for (name, bytes) in [
            (&pdf_name, &pdf),
            (&png_name, &png()),
            (&thumb, &thumb_bytes),
        ] {
            let (status, got) = get_bytes(&app, &format!("/tep/{name}")).await;
            assert_eq!(status, 200, "/tep/{name}");
            assert_eq!(&got, bytes, "/tep/{name}: same bytes");
        }
        app.page(
            &app.client(),
            &format!("/bai-viet/{}", crate::portal::SEED_SLUG),
        )
        .await;
        assert!(app
            .page(&app.client(), &format!("/van-ban/{plan}"))
            .await
            .contains("22/KH-UBND"));
        let out = app.cli(&["audit", "verify"]);
        crate::harness::assert_ran(&out);
        assert!(text(&out).contains("Nhật ký toàn vẹn"), "{}", text(&out));
        let _ = std::fs::remove_dir_all(dir);
    }
);

both!(
    backup_never_overwrites_a_file,
    Fixture::units().with_users(&["admin"]),
    |app: TestApp| async move {
        let (dir, archive) = new_archive();
        std::fs::write(&archive, "đã có").unwrap();
        let out = app.cli(&["backup", arg(&archive)]);
        assert!(!out.status.success());
        assert!(text(&out).contains("đã tồn tại"), "{}", text(&out));
        assert_eq!(std::fs::read_to_string(&archive).unwrap(), "đã có");
        // Nothing else was left beside it.
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
        let _ = std::fs::remove_dir_all(dir);
    }
);

/// Adds a unit (after a backup was taken); returns how many units there are then.
async fn add_unit(app: &TestApp) -> i64 {
    let village = danchu_core::units::UnitKind::Village;
    app.create_unit(["SAU-SAO-LUU", "Ấp thêm sau sao lưu"], village, None)
        .await;
    danchu_db::units::count(&app.db).await.unwrap()
}

/// After a backup, a unit is added; then `danchu restore` with `options` is refused,
/// saying `says`, and changes nothing: what was added after the backup is still there,
/// seen through a new connection (one opened before a swapped SQLite file would still
/// read the old one).
async fn assert_restore_refused(app: &TestApp, options: &[&str], says: &str) {
    let (dir, archive) = backed_up(app);
    let units = add_unit(app).await;
    let mut args = vec!["restore"];
    args.extend_from_slice(options);
    args.push(arg(&archive));
    let out = app.cli(&args);
    assert!(!out.status.success());
    assert!(text(&out).contains(says), "{}", text(&out));
    let db = danchu_db::Db::connect(&app.database_url, 1).await.unwrap();
    let u = danchu_db::units::by_code(&mut db.clone(), "SAU-SAO-LUU")
        .await
        .unwrap()
        .expect("the unit added after the backup is still there");
    assert_eq!(u.name, "Ấp thêm sau sao lưu");
    assert_eq!(danchu_db::units::count(&db).await.unwrap(), units);
    let v = danchu_db::audit::verify(&db).await.unwrap();
    assert!(
        v.error.is_none() && v.truncated.is_none(),
        "audit chain whole"
    );
    db.close().await;
    let _ = std::fs::remove_dir_all(dir);
}

both!(
    restore_refuses_a_database_with_data,
    Fixture::units().with_users(&["admin"]),
    |app: TestApp| async move {
        // A unit added after the backup, which a restore would take away: refused, the
        // refusal names --force.
        assert_restore_refused(&app, &[], "--force").await;
    }
);

both!(
    restore_with_force_replaces_what_is_there,
    Fixture::units().with_users(&["admin"]),
    |app: TestApp| async move {
        let (dir, archive) = backed_up(&app);
        // A file uploaded after the backup is gone from the database once it is restored.
        let (late, _) = upload(
            &app,
            "sau.pdf",
            crate::harness::pdf_with_text("Sau sao luu", 0),
        )
        .await;
        // The server is stopped for a restore.
        app.db.close().await;
        crate::harness::assert_ran(&app.cli(&["restore", "--force", arg(&archive)]));
        let db = danchu_db::Db::connect(&app.database_url, 2).await.unwrap();
        assert!(danchu_db::media::by_stored_name(&db, &late)
            .await
            .unwrap()
            .is_none());
        assert!(danchu_db::units::count(&db).await.unwrap() > 0);
        db.close().await;
        let _ = std::fs::remove_dir_all(dir);
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_restore_refuses_while_a_server_has_the_database_open() {
    let app = TestApp::start(Backend::Sqlite).await;
    // The app is running, its pool open: even --force does not swap the file under it.
    assert_restore_refused(&app, &["--force"], "dừng máy chủ").await;
}

/// Rewrites a zip, changing the bytes of the entries whose name starts with `prefix`.
fn tamper(archive: &Path, prefix: &str) {
    use std::io::{Read as _, Write as _};
    let bytes = std::fs::read(archive).unwrap();
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut zout = zip::ZipWriter::new(std::fs::File::create(archive).unwrap());
    let mut changed = 0;
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).unwrap();
        let name = f.name().to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        if name.starts_with(prefix) {
            let last = data.len() - 1;
            data[last] ^= 0x20;
            changed += 1;
        }
        zout.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zout.write_all(&data).unwrap();
    }
    zout.finish().unwrap();
    assert!(changed > 0, "an entry under {prefix}");
}

both!(
    restore_refuses_a_damaged_archive,
    Fixture::units().with_users(&["admin"]),
    |app: TestApp| async move {
        let (name, _) = upload(&app, "a.pdf", crate::harness::pdf_with_text("Hong", 0)).await;
        let (dir, archive) = backed_up(&app);
        tamper(&archive, &format!("media/{name}"));
        let (backend, old_url) = (app.backend, app.database_url.clone());
        drop(app);
        let (url, cleanup) = fresh_target(backend, &old_url);
        let data_dir = temp_dir("danchu_restored_data");
        let out = restore_into(&url, &data_dir, &archive);
        assert!(!out.status.success());
        assert!(text(&out).contains("SHA-256"), "{}", text(&out));
        // Nothing was restored: no upload, no database content.
        assert!(!data_dir.join("media").join(&name).exists());
        match &cleanup {
            Cleanup::Dir(d) => assert!(!d.join("restored.db").exists()),
            Cleanup::Schema(s) => assert_eq!(relations_in(s).await, 0),
        }
        wipe(cleanup).await;
        let _ = std::fs::remove_dir_all(data_dir);
        let _ = std::fs::remove_dir_all(dir);
    }
);

/// `PATH` entries, first to last.
fn path_dirs() -> Vec<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()).collect()
}

/// The real pg_dump (the tests need it: they fail, not skip, without it).
fn real_tool(name: &str) -> PathBuf {
    path_dirs()
        .into_iter()
        .map(|d| d.join(name))
        .find(|p| p.is_file())
        .unwrap_or_else(|| panic!("{name} must be installed (apt install postgresql-client)"))
}

/// The URL of this app's schema with a password added (trust auth ignores it).
fn with_password(app: &TestApp, password: &str, extra: &str) -> String {
    let (scheme, rest) = app.database_url.split_once("://").unwrap();
    let (userinfo, host) = rest.split_once('@').unwrap();
    assert!(!userinfo.contains(':'), "the test URL has no password yet");
    format!("{scheme}://{userinfo}:{password}@{host}{extra}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pg_backup_without_pg_dump_fails_and_hides_the_password() {
    let app = TestApp::start(Backend::Postgres).await;
    let url = with_password(&app, "s3cret", "&sslmode=disable");
    let (dir, archive) = new_archive();
    let empty_path = temp_dir("danchu_nopath");
    let out = danchu_cli(&url, app.data_dir())
        .args(["backup", arg(&archive)])
        .env("PATH", &empty_path)
        .output()
        .unwrap();
    let all = text(&out);
    assert!(!out.status.success(), "{all}");
    assert!(
        all.contains("pg_dump") && all.contains("postgresql-client"),
        "{all}"
    );
    assert!(!all.contains("s3cret"), "{all}");
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        0,
        "no file written"
    );
    let _ = std::fs::remove_dir_all(dir);
    let _ = std::fs::remove_dir_all(empty_path);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pg_dump_gets_the_password_from_its_environment_and_keeps_parameters() {
    let app = TestApp::start(Backend::Postgres).await;
    let url = with_password(&app, "s3cret", "&sslmode=disable");
    let (dir, archive) = new_archive();
    let log = dir.join("pg_dump.log");
    let fake = temp_dir("danchu_fakebin");
    let script = fake.join("pg_dump");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nfor a in \"$@\"; do printf 'ARG %s\\n' \"$a\"; done > '{log}'\nexport -p >> '{log}'\nexec '{real}' \"$@\"\n",
            log = log.display(),
            real = real_tool("pg_dump").display()
        ),
    )
    .unwrap();
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let mut path = vec![fake.clone()];
    path.extend(path_dirs());
    let out = danchu_cli(&url, app.data_dir())
        .args(["backup", arg(&archive)])
        .env("PATH", std::env::join_paths(path).unwrap())
        .output()
        .unwrap();
    crate::harness::assert_ran(&out);
    assert!(!text(&out).contains("s3cret"), "{}", text(&out));
    assert!(archive.is_file());
    let log = std::fs::read_to_string(&log).unwrap();
    let (args, env): (Vec<&str>, Vec<&str>) = log.lines().partition(|l| l.starts_with("ARG "));
    assert!(!args.iter().any(|a| a.contains("s3cret")), "{args:?}");
    // The URL reaches pg_dump with its parameters, without our own `schema=`, which
    // becomes pg_dump's --schema.
    let dbname = args
        .iter()
        .find(|a| a.starts_with("ARG --dbname="))
        .unwrap_or_else(|| panic!("{args:?}"));
    assert!(dbname.contains("sslmode=disable"), "{dbname}");
    assert!(!dbname.contains("schema="), "{dbname}");
    let schema = schema_of(&app.database_url).unwrap();
    assert!(
        args.iter()
            .any(|a| a.starts_with("ARG --schema=") && a.contains(&schema)),
        "{args:?}"
    );
    let secret: Vec<&&str> = env.iter().filter(|l| l.contains("s3cret")).collect();
    assert_eq!(secret.len(), 1, "{secret:?}");
    assert!(
        secret[0].contains("PGPASSWORD=") || secret[0].contains("PGPASSFILE="),
        "{secret:?}"
    );
    let _ = std::fs::remove_dir_all(dir);
    let _ = std::fs::remove_dir_all(fake);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pg_backup_holds_only_its_own_schema() {
    let app = TestApp::start(Backend::Postgres).await;
    let schema = schema_of(&app.database_url).unwrap();
    // Another installation in the same database.
    let other = format!("{schema}_khac");
    let admin = danchu_db::Db::connect(&pg_url(), 2).await.unwrap();
    for sql in [
        format!("CREATE SCHEMA {other}"),
        format!("CREATE TABLE {other}.bi_mat (x BIGINT)"),
    ] {
        admin.execute(danchu_db::q(sql)).await.unwrap();
    }
    let (dir, archive) = new_archive();
    let out = app.cli(&["backup", arg(&archive)]);
    let _ = admin
        .execute(danchu_db::q(format!("DROP SCHEMA {other} CASCADE")))
        .await;
    admin.close().await;
    crate::harness::assert_ran(&out);
    assert!(text(&out).contains("pg_restore"), "{}", text(&out));
    // The dump is pg_dump's custom format, which pg_restore lists.
    let dump = dir.join("database.pgdump");
    {
        let mut zip = zip::ZipArchive::new(std::fs::File::open(&archive).unwrap()).unwrap();
        let mut entry = zip.by_name("database.pgdump").unwrap();
        std::io::copy(&mut entry, &mut std::fs::File::create(&dump).unwrap()).unwrap();
    }
    let list = std::process::Command::new(real_tool("pg_restore"))
        .arg("--list")
        .arg(&dump)
        .output()
        .unwrap();
    crate::harness::assert_ran(&list);
    let list = String::from_utf8_lossy(&list.stdout);
    assert!(list.contains(&format!("TABLE {schema} articles")), "{list}");
    assert!(!list.contains("bi_mat") && !list.contains(&other), "{list}");
    for line in list.lines().filter(|l| !l.starts_with(';')) {
        let after = line
            .split_once(" TABLE DATA ")
            .or_else(|| line.split_once(" TABLE "))
            .map(|(_, a)| a);
        if let Some(after) = after {
            assert!(after.starts_with(&format!("{schema} ")), "{line}");
        }
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pg_migrate_creates_a_missing_schema() {
    let schema = format!("moi_{:x}", rand::random::<u64>());
    assert!(!schema_exists(&schema).await);
    let data_dir = temp_dir("danchu_data");
    let url = format!("{}?schema={schema}", pg_url());
    let out = danchu_cli(&url, &data_dir).arg("migrate").output().unwrap();
    let exists = schema_exists(&schema).await;
    drop_schema(&schema).await;
    let _ = std::fs::remove_dir_all(data_dir);
    crate::harness::assert_ran(&out);
    assert!(exists);
}
