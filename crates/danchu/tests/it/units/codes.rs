//! Unit codes are zero-padded per level (GSO): in the official list, in CSV, typed in the
//! admin, and in rows of older databases; a duplicate or too long code is refused with
//! where it is.

use crate::both;
use crate::harness::{assert_page, Fixture, TestApp};

use super::{assert_content_refused, import_ok, unit, write_temp, OVERLAPPING_JSON};

both!(
    official_list_with_province_4_and_ward_4_imports_zero_padded_per_level,
    Fixture::units().with_users(&["admin"]),
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
    Fixture::units(),
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
    Fixture::units(),
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
    Fixture::units(),
    |app: TestApp| async move {
        let dup = r#"[{"name":"Tỉnh Cao Bằng","code":4,"division_type":"tỉnh"},
                      {"name":"Tỉnh Khác","code":"04","division_type":"tỉnh"}]"#;
        let says = ["$[1]", "mã 04 trùng với $[0]"];
        assert_content_refused(&app, "dup.json", dup, &says).await;
    }
);

both!(
    code_longer_than_its_level_is_refused_with_its_location,
    Fixture::units(),
    |app: TestApp| async move {
        let long = r#"[{"name":"Tỉnh A","code":4,"division_type":"tỉnh","wards":[{"name":"Xã B","code":123456,"division_type":"xã"}]}]"#;
        let says = ["$[0].wards[0].code", "123456"];
        assert_content_refused(&app, "long.json", long, &says).await;
        let csv = "code,name,kind,parent_code\n100,Tỉnh C,tỉnh,\n";
        assert_content_refused(&app, "long.csv", csv, &["dòng 2", "100"]).await;
    }
);

both!(
    admin_stores_a_typed_province_code_zero_padded,
    Fixture::units().with_users(&["admin"]),
    |app: TestApp| async move {
        let c = app.sign_in("admin").await;
        let r = app
            .add_unit(&c, None, "4", "Tỉnh Cao Bằng", "province")
            .await;
        assert_eq!(r.status(), 303);
        let u = unit(&app, "04").await;
        assert_eq!(u.name, "Tỉnh Cao Bằng");
        // Typed again, unpadded or padded, it is the same code.
        for typed in ["4", "04"] {
            let r = app.add_unit(&c, None, typed, "Tỉnh Khác", "province").await;
            assert_eq!(r.status(), 400, "{typed}");
            assert!(r.text().await.unwrap().contains("Mã 04 đã được dùng"));
        }
        // Too long for a province: refused on the code field.
        let r = app.add_unit(&c, None, "100", "Tỉnh Dài", "province").await;
        assert_page(r, 400, "code-err").await;
        // Free-form kinds keep the code as typed.
        let r = app.add_unit(&c, None, "4", "Cơ quan Bốn", "agency").await;
        assert_eq!(r.status(), 303);
        assert_eq!(unit(&app, "4").await.kind, "agency");
    }
);

both!(
    unpadded_codes_of_older_databases_are_padded_at_start,
    Fixture::units(),
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
        app.chain_audit().await;
        let n = app
            .db
            .fetch_all(danchu_db::q("SELECT seq FROM audit_log"))
            .await
            .unwrap()
            .len();
        danchu_db::migrate::run(&app.db).await.unwrap();
        app.chain_audit().await;
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
