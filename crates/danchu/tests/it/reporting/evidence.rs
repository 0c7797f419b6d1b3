//! Reporters attach evidence files to their report.

use danchu_db::reporting::{self as rep};

use crate::both;
use crate::harness::{assert_refused, multipart_form, Fixture, TestApp};

both!(
    reporters_attach_evidence_files_to_their_report,
    Fixture::units()
        .with_reporting()
        .with_users(&["baocao.anlap"]),
    |app: TestApp| async move {
        let round = rep::rounds(&app.db).await.unwrap()[0].id;
        let an_lap = app.unit_id("25789").await;
        let form = format!("/quan-tri/bao-cao/{round}/don-vi/{an_lap}");
        let c = app.sign_in("baocao.anlap").await;
        let page = app.page(&c, &form).await;
        assert!(page.contains("enctype=\"multipart/form-data\""));
        let start = page.find("?_csrf=").unwrap() + 7;
        let token: String = page[start..].chars().take_while(|ch| *ch != '"').collect();
        let send = |fields: Vec<(&'static str, String)>, files: Vec<(&'static str, Vec<u8>)>| {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let files = files
                .into_iter()
                .map(|(name, bytes)| ("attachment", name, bytes))
                .collect();
            c.post(app.at(&format!("{form}?_csrf={token}")))
                .multipart(multipart_form(&fields, files))
                .send()
        };
        // A draft with the minutes of a meeting attached.
        let pdf = crate::harness::pdf_with_text("Bien ban hop dan ap Bau Khai", 0);
        let r = send(
            vec![("tong_so_ho", "1.320".into()), ("_step", "nhap".into())],
            vec![("bien-ban-hop-dan.pdf", pdf)],
        )
        .await
        .unwrap();
        assert_eq!(r.status(), 303);
        let sub = rep::submission(&app.db, round, an_lap)
            .await
            .unwrap()
            .unwrap();
        let files = rep::files(&app.db, sub.id).await.unwrap();
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].name, "bien-ban-hop-dan.pdf");
        assert_eq!(sub.typed["tong_so_ho"], "1.320");
        let page = app.page(&c, &form).await;
        assert!(page.contains("bien-ban-hop-dan.pdf") && page.contains("name=\"remove_file\""));
        // A file that is not what it claims is refused; what was typed stays on the form.
        let r = send(
            vec![("tong_so_ho", "1.400".into()), ("_step", "nhap".into())],
            vec![("anh.jpg", b"MZ\x90\x00 not an image".to_vec())],
        )
        .await
        .unwrap();
        assert_refused(r, &["Loại tệp không được nhận", "value=\"1.400\""]).await;
        assert_eq!(
            rep::submission(&app.db, round, an_lap)
                .await
                .unwrap()
                .unwrap()
                .typed["tong_so_ho"],
            "1.320",
            "nothing saved"
        );
        // Removing the file.
        let r = send(
            vec![
                ("remove_file", files[0].id.to_string()),
                ("_step", "nhap".into()),
            ],
            vec![],
        )
        .await
        .unwrap();
        assert_eq!(r.status(), 303);
        assert!(rep::files(&app.db, sub.id).await.unwrap().is_empty());
        // Both changes are in the audit log.
        app.chain_audit().await;
        let n: i64 = app
            .int(
                danchu_db::q("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'report.files'"),
                "n",
            )
            .await;
        assert_eq!(n, 2, "attaching and detaching are audited");
    }
);
