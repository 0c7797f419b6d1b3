//! Administrative units: import (JSON/CSV), idempotency, rejection, merge, search.

use std::fmt::Write as _;

use crate::both;
use crate::harness::TestApp;

/// A national-sized list: 34 provinces with ~98 wards each (3,332 communes).
pub fn national_json() -> String {
    let mut s = String::from("[");
    for p in 0..34 {
        if p > 0 {
            s.push(',');
        }
        let _ = write!(
            s,
            r#"{{"name":"Tỉnh Số {p}","code":{},"division_type":"tỉnh","wards":["#,
            100 + p
        );
        for w in 0..98 {
            if w > 0 {
                s.push(',');
            }
            let kind = if w % 3 == 0 { "phường" } else { "xã" };
            let _ = write!(
                s,
                r#"{{"name":"{} Hòa Bình {p}-{w}","code":{},"division_type":"{kind}"}}"#,
                if kind == "xã" { "Xã" } else { "Phường" },
                30000 + p * 100 + w
            );
        }
        s.push_str("]}");
    }
    s.push(']');
    s
}

fn write_temp(name: &str, content: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "danchu_import_{}_{:x}",
        std::process::id(),
        rand::random::<u32>()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, content).unwrap();
    p
}

both!(
    national_list_imports_idempotently,
    |app: TestApp| async move {
        let file = write_temp("units.json", &national_json());
        let before = danchu_db::units::count(&app.db).await.unwrap();
        let out = app.cli(&["import", "units", file.to_str().unwrap()]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
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
    |app: TestApp| async move {
        let before = danchu_db::units::count(&app.db).await.unwrap();
        // The 2nd ward of the 1st province lacks a name: nothing at all is imported.
        let bad = r#"[{"name":"Tỉnh A","code":"901","division_type":"tỉnh","wards":[{"name":"Xã B","code":"90101","division_type":"xã"},{"code":"90102","division_type":"xã"}]}]"#;
        let f = write_temp("bad.json", bad);
        let out = app.cli(&["import", "units", f.to_str().unwrap()]);
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("$[0].wards[1].name"), "{err}");
        assert_eq!(danchu_db::units::count(&app.db).await.unwrap(), before);

        let csv = "code,name,kind,parent_code\n902,Tỉnh C,tỉnh,\n90201,Xã D,xã,902\n90202,Xã E,hành tinh,902\n";
        let f2 = write_temp("bad.csv", csv);
        let out = app.cli(&["import", "units", f2.to_str().unwrap()]);
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains("dòng 4"));
        assert_eq!(danchu_db::units::count(&app.db).await.unwrap(), before);

        // A good CSV whose parent is already in the database.
        let good = "code,name,kind,parent_code\n25789-A2,Ấp Đồng Sặc,ấp,25789\n";
        let f3 = write_temp("good.csv", good);
        let out = app.cli(&["import", "units", f3.to_str().unwrap()]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let u = danchu_db::units::by_code(&mut app.db.clone(), "25789-A2")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(u.parent_id, Some(app.unit_id("25789").await));
        for p in [f, f2, f3] {
            let _ = std::fs::remove_dir_all(p.parent().unwrap());
        }
    }
);

both!(
    merge_closes_units_and_keeps_history,
    |app: TestApp| async move {
        let c = app.sign_in("quantri.huyen").await;
        let dinh_an = app.unit_id("25777").await;
        let town = app.unit_id("25765").await;
        let r = app
            .post(
                &c,
                "/quan-tri",
                &format!("/quan-tri/don-vi/{dinh_an}/sap-nhap"),
                &[("successor_code", "25765"), ("effective", "01/07/2025")],
            )
            .await;
        assert_eq!(r.status(), 303);
        let u = danchu_db::units::get(&mut app.db.clone(), dinh_an)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(u.valid_to.as_deref(), Some("2025-06-30"));
        assert_eq!(u.successor_id, Some(town));
        // Still there and readable, with its history and the successor named.
        let page = app.page(&c, &format!("/quan-tri/don-vi/{dinh_an}")).await;
        assert!(
            page.contains("Xã Định An")
                && page.contains("30/06/2025")
                && page.contains("Thị trấn Dầu Tiếng")
        );
        assert!(page.contains("Sáp nhập đơn vị"), "history names the merge");
        let page = app.page(&c, &format!("/quan-tri/don-vi/{town}")).await;
        assert!(page.contains("Sáp nhập từ") && page.contains("Xã Định An"));
        // Merging again is refused with a reason.
        let r = app
            .post(
                &c,
                "/quan-tri",
                &format!("/quan-tri/don-vi/{dinh_an}/sap-nhap"),
                &[("successor_code", "25765"), ("effective", "01/07/2025")],
            )
            .await;
        assert_eq!(r.status(), 400);
        assert!(r.text().await.unwrap().contains("đã giải thể/sáp nhập"));
        // A bad date names the field.
        let an_lap = app.unit_id("25789").await;
        let r = app
            .post(
                &c,
                "/quan-tri",
                &format!("/quan-tri/don-vi/{an_lap}/sap-nhap"),
                &[("successor_code", "25765"), ("effective", "31/02/2025")],
            )
            .await;
        assert_eq!(r.status(), 400);
        assert!(r
            .text()
            .await
            .unwrap()
            .contains("Ngày hiệu lực không hợp lệ"));
    }
);

both!(unit_search_folds_vietnamese, |app: TestApp| async move {
    let c = app.sign_in("xem").await;
    for q in [
        "dau tieng",
        "DẦU TIẾNG",
        "Da\u{0302}\u{0300}u Tie\u{0302}\u{0301}ng",
        "dinh an",
    ] {
        let page = app
            .page(&c, &format!("/quan-tri/don-vi?q={}", urlencode(q)))
            .await;
        assert!(
            page.contains("Dầu Tiếng") || page.contains("Định An"),
            "query {q}"
        );
    }
    let page = app.page(&c, "/quan-tri/don-vi?q=minh%20hoa").await;
    assert!(page.contains("Xã Minh Hòa"));
});

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

both!(
    kill_9_during_import_leaves_database_consistent,
    |app: TestApp| async move {
        let file = write_temp("units.json", &national_json());
        let before = danchu_db::units::count(&app.db).await.unwrap();
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_danchu"))
            .args(["import", "units", file.to_str().unwrap()])
            .env("DANCHU_DATABASE_URL", &app.database_url)
            .env("RUST_LOG", "warn")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(150)).await;
        let _ = std::process::Command::new("kill")
            .args(["-9", &child.id().to_string()])
            .status();
        let _ = child.wait();
        // All or nothing: the import is one transaction with its audit entries.
        let after = danchu_db::units::count(&app.db).await.unwrap();
        assert!(
            after == before || after == before + 3366,
            "partial import: {before} -> {after}"
        );
        let v = danchu_db::audit::verify(&app.db).await.unwrap();
        assert!(
            v.error.is_none() && v.truncated.is_none(),
            "audit chain intact after kill -9"
        );
        // And the next run completes.
        let out = app.cli(&["import", "units", file.to_str().unwrap()]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            danchu_db::units::count(&app.db).await.unwrap(),
            before + 3366
        );
        let _ = std::fs::remove_dir_all(file.parent().unwrap());
    }
);
