//! Importing the national list: idempotent, a malformed file rejected whole, a kill -9
//! half-way leaves the database consistent.

use crate::both;
use crate::harness::{Fixture, TestApp};

use super::{assert_content_refused, import_ok, national_json, write_temp};

both!(
    national_list_imports_idempotently,
    Fixture::units(),
    |app: TestApp| async move {
        let file = write_temp("units.json", &national_json());
        let before = danchu_db::units::count(&app.db).await.unwrap();
        let out = app.cli(&["import", "units", file.to_str().unwrap()]);
        crate::harness::assert_ran(&out);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(stdout.contains("3366 mới"), "{stdout}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("đã xử lý 3366/3366"),
            "progress shown"
        );
        assert_eq!(
            danchu_db::units::count(&app.db).await.unwrap(),
            before + 3366
        );
        // Again: nothing new, nothing duplicated.
        let out = app.cli(&["import", "units", file.to_str().unwrap()]);
        assert!(out.status.success());
        assert!(String::from_utf8_lossy(&out.stdout).contains("0 mới, 0 cập nhật, 3366 không đổi"));
        assert_eq!(
            danchu_db::units::count(&app.db).await.unwrap(),
            before + 3366
        );
        // A changed name updates in place and is audited.
        let changed = national_json().replace("Xã Hòa Bình 0-1\"", "Xã Hòa Bình Mới\"");
        let file2 = write_temp("units.json", &changed);
        let out = app.cli(&["import", "units", file2.to_str().unwrap()]);
        assert!(String::from_utf8_lossy(&out.stdout).contains("0 mới, 1 cập nhật"));
        let u = danchu_db::units::by_code(&mut app.db.clone(), "30001")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(u.name, "Xã Hòa Bình Mới");
        assert_eq!(u.kind, "commune");
        let v = danchu_db::audit::verify(&app.db).await.unwrap();
        assert!(v.error.is_none());
        // Search ignores case and diacritics.
        let found = danchu_db::units::search(&app.db, "HOA BINH MOI", 10)
            .await
            .unwrap();
        assert_eq!(found.len(), 1);
        let _ = std::fs::remove_dir_all(file.parent().unwrap());
        let _ = std::fs::remove_dir_all(file2.parent().unwrap());
    }
);

both!(
    malformed_files_are_rejected_whole,
    Fixture::units(),
    |app: TestApp| async move {
        // The 2nd ward of the 1st province lacks a name: nothing at all is imported.
        let bad = r#"[{"name":"Tỉnh A","code":"91","division_type":"tỉnh","wards":[{"name":"Xã B","code":"90101","division_type":"xã"},{"code":"90102","division_type":"xã"}]}]"#;
        assert_content_refused(&app, "bad.json", bad, &["$[0].wards[1].name"]).await;

        let csv = "code,name,kind,parent_code\n92,Tỉnh C,tỉnh,\n90201,Xã D,xã,92\n90202,Xã E,hành tinh,92\n";
        assert_content_refused(&app, "bad.csv", csv, &["dòng 4"]).await;

        // A good CSV whose parent is already in the database.
        let good = "code,name,kind,parent_code\n25789-A2,Ấp Đồng Sặc,ấp,25789\n";
        let f3 = write_temp("good.csv", good);
        import_ok(&app, &f3);
        let u = danchu_db::units::by_code(&mut app.db.clone(), "25789-A2")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(u.parent_id, Some(app.unit_id("25789").await));
        let _ = std::fs::remove_dir_all(f3.parent().unwrap());
    }
);

both!(
    kill_9_during_import_leaves_database_consistent,
    Fixture::units(),
    |app: TestApp| async move {
        let file = write_temp("units.json", &national_json());
        let before = danchu_db::units::count(&app.db).await.unwrap();
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_danchu"))
            .args(["import", "units", file.to_str().unwrap()])
            .env("DANCHU_DATABASE_URL", &app.database_url)
            .env("RUST_LOG", "warn")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // Killed once it reports its first rows done (every 500 of 3,366): the transaction
        // is open and about a seventh of the rows are written in it.
        let mut stderr = child.stderr.take().unwrap();
        let seen = tokio::task::spawn_blocking(move || {
            use std::io::Read as _;
            let mut seen = Vec::new();
            let mut buf = [0u8; 256];
            loop {
                match stderr.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => seen.extend_from_slice(&buf[..n]),
                }
                // The whole line: it may come in pieces.
                let text = String::from_utf8_lossy(&seen);
                if text
                    .split_once("đã xử lý")
                    .is_some_and(|(_, rest)| rest.contains("/3366"))
                {
                    break;
                }
            }
            (stderr, String::from_utf8_lossy(&seen).into_owned())
        });
        let (_stderr, seen) = seen.await.unwrap();
        let _ = std::process::Command::new("kill")
            .args(["-9", &child.id().to_string()])
            .status();
        let status = child.wait().unwrap();
        assert!(
            seen.contains("đã xử lý 500/3366"),
            "killed mid-way, after the first progress line: {seen:?}"
        );
        assert!(!status.success(), "killed before it finished: {status:?}");
        // Nothing: the import is one transaction with its audit entries.
        let after = danchu_db::units::count(&app.db).await.unwrap();
        assert_eq!(after, before, "partial import: {before} -> {after}");
        let v = danchu_db::audit::verify(&app.db).await.unwrap();
        assert!(
            v.error.is_none() && v.truncated.is_none(),
            "audit chain intact after kill -9"
        );
        // An import that is not killed commits every row.
        let out = app.cli(&["import", "units", file.to_str().unwrap()]);
        crate::harness::assert_ran(&out);
        assert_eq!(
            danchu_db::units::count(&app.db).await.unwrap(),
            before + 3366
        );
        let _ = std::fs::remove_dir_all(file.parent().unwrap());
    }
);
