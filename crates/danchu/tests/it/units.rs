//! Administrative units: import (JSON/CSV), idempotency, rejection, merge, search.

use std::fmt::Write as _;

use crate::both;
use crate::harness::{between, TestApp};

/// A national-sized list: 34 provinces with ~98 wards each (3,332 communes). Province
/// codes 10–43 have the two digits of their level (and miss the demo's 74).
pub fn national_json() -> String {
    let mut s = String::from("[");
    for p in 0..34 {
        if p > 0 {
            s.push(',');
        }
        let _ = write!(
            s,
            r#"{{"name":"Tỉnh Số {p}","code":{},"division_type":"tỉnh","wards":["#,
            10 + p
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
        let bad = r#"[{"name":"Tỉnh A","code":"91","division_type":"tỉnh","wards":[{"name":"Xã B","code":"90101","division_type":"xã"},{"code":"90102","division_type":"xã"}]}]"#;
        let f = write_temp("bad.json", bad);
        let out = app.cli(&["import", "units", f.to_str().unwrap()]);
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("$[0].wards[1].name"), "{err}");
        assert_eq!(danchu_db::units::count(&app.db).await.unwrap(), before);

        let csv = "code,name,kind,parent_code\n92,Tỉnh C,tỉnh,\n90201,Xã D,xã,92\n90202,Xã E,hành tinh,92\n";
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
    // The site's name ("… huyện Dầu Tiếng") is in every admin page's title and header:
    // only the results table counts, by the units' full names.
    let results = |page: &str| between(page, "<tbody>", "</tbody>").to_string();
    let dau_tieng = ["Thị trấn Dầu Tiếng", "Huyện Dầu Tiếng"];
    for q in [
        "dau tieng",
        "DẦU TIẾNG",
        "Da\u{0302}\u{0300}u Tie\u{0302}\u{0301}ng",
    ] {
        let page = app
            .page(&c, &format!("/quan-tri/don-vi?q={}", urlencode(q)))
            .await;
        let rows = results(&page);
        for name in dau_tieng {
            assert!(rows.contains(&format!(">{name}</a>")), "query {q}: {name}");
        }
        assert!(!rows.contains(">Xã Định An</a>"), "query {q}: only matches");
    }
    let rows = results(&app.page(&c, "/quan-tri/don-vi?q=dinh%20an").await);
    assert!(rows.contains(">Xã Định An</a>"), "dinh an");
    for name in dau_tieng {
        assert!(!rows.contains(name), "dinh an: not {name}");
    }
    let rows = results(&app.page(&c, "/quan-tri/don-vi?q=minh%20hoa").await);
    assert!(rows.contains(">Xã Minh Hòa</a>"));
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

/// An official-style nested list (issue 13, item 10): province codes and ward codes are
/// separate sequences, so province 4 (Cao Bằng), district 4 (Long Biên) and ward 4
/// (Phường Ba Đình) are three different units. Codes are integers, as in the official file.
const OVERLAPPING_JSON: &str = r#"[
 {"name":"Thành phố Hà Nội","code":1,"codename":"ha_noi","division_type":"thành phố trung ương","phone_code":24,
  "districts":[{"name":"Quận Long Biên","code":4,"division_type":"quận",
                "wards":[{"name":"Phường Bồ Đề","code":124,"division_type":"phường"}]}],
  "wards":[{"name":"Phường Ba Đình","code":4,"codename":"phuong_ba_dinh","division_type":"phường"}]},
 {"name":"Tỉnh Cao Bằng","code":4,"codename":"cao_bang","division_type":"tỉnh","phone_code":206,
  "wards":[{"name":"Phường Thục Phán","code":1273,"division_type":"phường"}]}
]"#;

fn import_ok(app: &TestApp, file: &std::path::Path) -> String {
    let out = app.cli(&["import", "units", file.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

async fn unit(app: &TestApp, code: &str) -> danchu_db::units::Unit {
    danchu_db::units::by_code(&mut app.db.clone(), code)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("unit {code}"))
}

both!(
    official_list_with_province_4_and_ward_4_imports_zero_padded_per_level,
    |app: TestApp| async move {
        let file = write_temp("units.json", OVERLAPPING_JSON);
        let stdout = import_ok(&app, &file);
        assert!(stdout.contains("6 mới"), "{stdout}");
        let cao_bang = unit(&app, "04").await;
        assert_eq!(
            (cao_bang.name.as_str(), cao_bang.kind.as_str()),
            ("Tỉnh Cao Bằng", "province")
        );
        let ha_noi = unit(&app, "01").await;
        let long_bien = unit(&app, "004").await;
        assert_eq!(
            (long_bien.kind.as_str(), long_bien.parent_id),
            ("district", Some(ha_noi.id))
        );
        let ba_dinh = unit(&app, "00004").await;
        assert_eq!(
            (ba_dinh.name.as_str(), ba_dinh.kind.as_str()),
            ("Phường Ba Đình", "commune")
        );
        assert_eq!(ba_dinh.parent_id, Some(ha_noi.id));
        assert_eq!(unit(&app, "00124").await.parent_id, Some(long_bien.id));
        assert_eq!(unit(&app, "01273").await.parent_id, Some(cao_bang.id));
        for unpadded in ["1", "4", "124", "1273"] {
            assert!(
                danchu_db::units::by_code(&mut app.db.clone(), unpadded)
                    .await
                    .unwrap()
                    .is_none(),
                "no unit stored as {unpadded}"
            );
        }
        // The admin pages show the codes zero-padded.
        let c = app.sign_in("admin").await;
        let top = app.page(&c, "/quan-tri/don-vi").await;
        assert!(
            top.contains("<td>04</td>") && top.contains("<td>01</td>"),
            "{top}"
        );
        let children = app
            .page(&c, &format!("/quan-tri/don-vi?parent={}", ha_noi.id))
            .await;
        assert!(children.contains("<td>00004</td>") && children.contains("<td>004</td>"));
        let detail = app
            .page(&c, &format!("/quan-tri/don-vi/{}", ba_dinh.id))
            .await;
        assert!(detail.contains("<dd>00004</dd>"));
        let _ = std::fs::remove_dir_all(file.parent().unwrap());
    }
);

both!(
    reimport_with_integer_or_string_codes_changes_nothing,
    |app: TestApp| async move {
        let file = write_temp("units.json", OVERLAPPING_JSON);
        import_ok(&app, &file);
        let mark = danchu_db::units::count(&app.db).await.unwrap();
        let again = import_ok(&app, &file);
        assert!(again.contains("0 mới, 0 cập nhật, 6 không đổi"), "{again}");
        // The same list with string codes, padded or not, is the same units.
        let strings = OVERLAPPING_JSON
            .replace(r#""code":1,"#, r#""code":"01","#)
            .replace(
                r#""code":4,"codename":"cao_bang""#,
                r#""code":"4","codename":"cao_bang""#,
            )
            .replace(
                r#""code":4,"codename":"phuong_ba_dinh""#,
                r#""code":"00004","codename":"phuong_ba_dinh""#,
            )
            .replace(r#""code":124,"#, r#""code":"124","#);
        assert_ne!(strings, OVERLAPPING_JSON);
        let file2 = write_temp("units.json", &strings);
        let out = import_ok(&app, &file2);
        assert!(out.contains("0 mới, 0 cập nhật, 6 không đổi"), "{out}");
        assert_eq!(danchu_db::units::count(&app.db).await.unwrap(), mark);
        for f in [file, file2] {
            let _ = std::fs::remove_dir_all(f.parent().unwrap());
        }
    }
);

both!(
    csv_codes_are_padded_per_level_and_parents_found_at_their_level,
    |app: TestApp| async move {
        // Province 8 and ward 8 overlap. The ward's parent "8" is the province: the only
        // unit numbered 8 at a level above a ward. A code written in full ("08", "00008")
        // names its unit directly.
        let csv = "code,name,kind,parent_code\n\
                   8,Tỉnh Tuyên Quang,tỉnh,\n\
                   8,Phường Minh Xuân,phường,8\n\
                   2269,Xã Thái Bình,xã,08\n\
                   8-TDP1,Tổ dân phố 1,tổ dân phố,00008\n";
        let file = write_temp("units.csv", csv);
        let stdout = import_ok(&app, &file);
        assert!(stdout.contains("4 mới"), "{stdout}");
        let province = unit(&app, "08").await;
        assert_eq!(province.kind, "province");
        let ward = unit(&app, "00008").await;
        assert_eq!(
            (ward.kind.as_str(), ward.parent_id),
            ("commune", Some(province.id))
        );
        assert_eq!(unit(&app, "02269").await.parent_id, Some(province.id));
        // A thôn/tổ dân phố code is free-form and kept as given.
        assert_eq!(unit(&app, "8-TDP1").await.parent_id, Some(ward.id));
        let again = import_ok(&app, &file);
        assert!(again.contains("0 mới, 0 cập nhật, 4 không đổi"), "{again}");
        let _ = std::fs::remove_dir_all(file.parent().unwrap());
    }
);

both!(
    true_duplicate_code_at_one_level_is_refused_with_its_location,
    |app: TestApp| async move {
        let before = danchu_db::units::count(&app.db).await.unwrap();
        let dup = r#"[{"name":"Tỉnh Cao Bằng","code":4,"division_type":"tỉnh"},
                      {"name":"Tỉnh Khác","code":"04","division_type":"tỉnh"}]"#;
        let file = write_temp("dup.json", dup);
        let out = app.cli(&["import", "units", file.to_str().unwrap()]);
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("$[1]") && err.contains("mã 04 trùng với $[0]"),
            "{err}"
        );
        assert_eq!(danchu_db::units::count(&app.db).await.unwrap(), before);
        let _ = std::fs::remove_dir_all(file.parent().unwrap());
    }
);

both!(
    code_longer_than_its_level_is_refused_with_its_location,
    |app: TestApp| async move {
        let before = danchu_db::units::count(&app.db).await.unwrap();
        let long = r#"[{"name":"Tỉnh A","code":4,"division_type":"tỉnh","wards":[{"name":"Xã B","code":123456,"division_type":"xã"}]}]"#;
        let file = write_temp("long.json", long);
        let out = app.cli(&["import", "units", file.to_str().unwrap()]);
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("$[0].wards[0].code") && err.contains("123456"),
            "{err}"
        );
        assert_eq!(danchu_db::units::count(&app.db).await.unwrap(), before);
        let csv = "code,name,kind,parent_code\n100,Tỉnh C,tỉnh,\n";
        let file2 = write_temp("long.csv", csv);
        let out = app.cli(&["import", "units", file2.to_str().unwrap()]);
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("dòng 2") && err.contains("100"), "{err}");
        assert_eq!(danchu_db::units::count(&app.db).await.unwrap(), before);
        for f in [file, file2] {
            let _ = std::fs::remove_dir_all(f.parent().unwrap());
        }
    }
);

both!(
    admin_stores_a_typed_province_code_zero_padded,
    |app: TestApp| async move {
        let c = app.sign_in("admin").await;
        let r = app
            .post(
                &c,
                "/quan-tri/don-vi",
                "/quan-tri/don-vi",
                &[
                    ("code", "4"),
                    ("name", "Tỉnh Cao Bằng"),
                    ("kind", "province"),
                ],
            )
            .await;
        assert_eq!(r.status(), 303);
        let u = unit(&app, "04").await;
        assert_eq!(u.name, "Tỉnh Cao Bằng");
        // Typed again, unpadded or padded, it is the same code.
        for typed in ["4", "04"] {
            let r = app
                .post(
                    &c,
                    "/quan-tri/don-vi",
                    "/quan-tri/don-vi",
                    &[("code", typed), ("name", "Tỉnh Khác"), ("kind", "province")],
                )
                .await;
            assert_eq!(r.status(), 400, "{typed}");
            assert!(r.text().await.unwrap().contains("Mã 04 đã được dùng"));
        }
        // Too long for a province: refused on the code field.
        let r = app
            .post(
                &c,
                "/quan-tri/don-vi",
                "/quan-tri/don-vi",
                &[("code", "100"), ("name", "Tỉnh Dài"), ("kind", "province")],
            )
            .await;
        assert_eq!(r.status(), 400);
        assert!(r.text().await.unwrap().contains("code-err"));
        // Free-form kinds keep the code as typed.
        let r = app
            .post(
                &c,
                "/quan-tri/don-vi",
                "/quan-tri/don-vi",
                &[("code", "4"), ("name", "Cơ quan Bốn"), ("kind", "agency")],
            )
            .await;
        assert_eq!(r.status(), 303);
        assert_eq!(unit(&app, "4").await.kind, "agency");
    }
);

both!(
    unpadded_codes_of_older_databases_are_padded_at_start,
    |app: TestApp| async move {
        // Rows as an older danchu stored them; "7" cannot become "07", which is taken.
        for (code, kind) in [
            ("6", "province"),
            ("7", "province"),
            ("07", "province"),
            ("731", "commune"),
        ] {
            app.db
                .execute(
                    danchu_db::q("INSERT INTO units (code, name, name_key, kind, created_at, updated_at) VALUES ($1, $2, $2, $3, 0, 0)")
                        .bind(code)
                        .bind(format!("Cũ {code}"))
                        .bind(kind),
                )
                .await
                .unwrap();
        }
        let old_six = unit(&app, "6").await;
        danchu_db::migrate::run(&app.db).await.unwrap();
        assert_eq!(unit(&app, "06").await.id, old_six.id);
        assert_eq!(unit(&app, "00731").await.name, "Cũ 731");
        assert_eq!(
            unit(&app, "7").await.name,
            "Cũ 7",
            "left alone: 07 is taken"
        );
        assert_eq!(unit(&app, "07").await.name, "Cũ 07");
        let audited = danchu_db::audit::list(
            &app.db,
            &danchu_db::audit::Filter {
                entity_type: Some("unit".into()),
                entity_id: Some("06".into()),
                ..Default::default()
            },
            10,
        )
        .await
        .unwrap();
        assert_eq!(audited.len(), 1, "the recode is audited");
        // Idempotent: a second start changes nothing.
        let n = app
            .db
            .fetch_all(danchu_db::q("SELECT seq FROM audit_log"))
            .await
            .unwrap()
            .len();
        danchu_db::migrate::run(&app.db).await.unwrap();
        let m = app
            .db
            .fetch_all(danchu_db::q("SELECT seq FROM audit_log"))
            .await
            .unwrap()
            .len();
        assert_eq!(n, m);
        assert!(danchu_db::audit::verify(&app.db)
            .await
            .unwrap()
            .error
            .is_none());
    }
);

both!(
    a_typed_number_finds_its_unit_at_every_level,
    |app: TestApp| async move {
        let file = write_temp("units.json", OVERLAPPING_JSON);
        import_ok(&app, &file);
        let c = app.sign_in("xem").await;
        let page = app.page(&c, "/quan-tri/don-vi?q=4").await;
        for name in ["Tỉnh Cao Bằng", "Quận Long Biên", "Phường Ba Đình"] {
            assert!(page.contains(name), "{name} found by its number");
        }
        let _ = std::fs::remove_dir_all(file.parent().unwrap());
    }
);

both!(
    merge_successor_typed_unpadded_is_found_at_the_units_level,
    |app: TestApp| async move {
        let file = write_temp("units.json", OVERLAPPING_JSON);
        import_ok(&app, &file);
        let c = app.sign_in("admin").await;
        let bo_de = unit(&app, "00124").await;
        // "4" for a ward's successor is ward 00004, not province 04 or district 004.
        let r = app
            .post(
                &c,
                "/quan-tri/don-vi",
                &format!("/quan-tri/don-vi/{}/sap-nhap", bo_de.id),
                &[("successor_code", "4"), ("effective", "01/07/2025")],
            )
            .await;
        assert_eq!(r.status(), 303);
        let merged = unit(&app, "00124").await;
        assert_eq!(merged.successor_id, Some(unit(&app, "00004").await.id));
        let _ = std::fs::remove_dir_all(file.parent().unwrap());
    }
);
