//! The documents admin: files, relations, downloads, rights and errors.

use crate::both;
use crate::harness::{assert_page, assert_refused, TestApp};

use super::upload_pdf;

both!(
    documents_admin_files_relations_downloads,
    crate::harness::EDITOR_AND_AN_LAP,
    |app: TestApp| async move {
        let c = app.sign_in("bientap").await;
        let district = app.unit_id("721").await.to_string();
        let file = upload_pdf(&app, &c, "Quyết định 15.pdf").await.to_string();
        // Errors name their fields and keep what was typed.
        let r = app
            .post(
                &c,
                "/quan-tri/van-ban/moi",
                "/quan-tri/van-ban",
                &[
                    ("number", "QĐ-UBND"),
                    ("kind", "quyet-dinh"),
                    ("issuer", ""),
                    ("issued_on", "31/02/2024"),
                    ("summary", ""),
                    ("status", "in_force"),
                    ("unit_id", &district),
                    ("replaces", "99/XX-YY"),
                ],
            )
            .await;
        assert_refused(
            r,
            &[
                "Số ký hiệu cần có số",
                "Hãy nhập cơ quan ban hành.",
                "Ngày không hợp lệ",
                "Trích yếu không được để trống",
                "Không có văn bản số 99/XX-YY",
            ],
        )
        .await;
        let mark = app.audit_mark().await;
        let r = app
            .post(
                &c,
                "/quan-tri/van-ban/moi",
                "/quan-tri/van-ban",
                &[
                    ("number", "15/KH-UBND"),
                    ("kind", "ke-hoach"),
                    ("issuer", "UBND huyện Dầu Tiếng"),
                    ("issued_on", "10/01/2024"),
                    ("signer", "Chủ tịch UBND huyện"),
                    ("field", "Dân chủ ở cơ sở"),
                    ("summary", "Thực hiện dân chủ ở cơ sở năm 2024"),
                    ("status", "in_force"),
                    ("unit_id", &district),
                    ("replaces", "22/kh-ubnd"),
                    ("file", &file),
                ],
            )
            .await;
        assert_eq!(r.status(), 303);
        let new = danchu_db::documents::by_number(&app.db, "15/KH-UBND")
            .await
            .unwrap()
            .remove(0);
        let plan = danchu_db::documents::by_number(&app.db, "22/KH-UBND")
            .await
            .unwrap()
            .remove(0);
        let anon = app.client();
        let page = app.page(&anon, &format!("/van-ban/{}", new.id)).await;
        assert!(
            page.contains("Thay thế văn bản")
                && page.contains("22/KH-UBND")
                && page.contains("Quyết định 15.pdf")
        );
        let page = app.page(&anon, &format!("/van-ban/{}", plan.id)).await;
        assert!(page.contains("Bị thay thế bởi") && page.contains("15/KH-UBND"));
        // Downloads are counted in memory, written by the flush.
        for _ in 0..3 {
            let r = app
                .get(&anon, &format!("/van-ban/{}/tai/{file}", new.id))
                .await;
            assert_eq!(r.status(), 303);
        }
        let downloads = || async {
            danchu_db::documents::get(&mut app.db.clone(), new.id)
                .await
                .unwrap()
                .unwrap()
                .downloads
        };
        assert_eq!(downloads().await, 0);
        app.state.counters.flush(&app.db).await.unwrap();
        assert_eq!(downloads().await, 3);
        // A commune's admin cannot edit the district's documents.
        let other = app.sign_in("quantri.anlap").await;
        assert_eq!(
            app.get(&other, &format!("/quan-tri/van-ban/{}", new.id))
                .await
                .status(),
            403
        );
        // The new document's creation and its relation, audited after the mark.
        app.assert_audited_since(
            mark,
            &[
                ("document.create", new.id.to_string()),
                ("document.relate", new.id.to_string()),
            ],
        )
        .await;
        // An article cites documents by number; an unknown number is an error on the field.
        let seed = danchu_db::portal::article_by_slug(&app.db, crate::portal::SEED_SLUG)
            .await
            .unwrap()
            .unwrap();
        let cat = seed.category_id.to_string();
        let edit = format!("/quan-tri/bai-viet/{}", seed.id);
        // An unknown number is refused naming it; two known ones are linked.
        for (documents, status, says) in [
            ("22/KH-UBND, 1/XYZ", 400, "Không có văn bản số 1/XYZ"),
            ("22/KH-UBND, 15/kh-ubnd", 303, ""),
        ] {
            let fields = [
                ("title", seed.title.as_str()),
                ("category_id", &cat),
                ("unit_id", &district),
                ("body", &seed.body),
                ("status", "published"),
                ("published_at", "10/03/2023 08:00"),
                ("documents", documents),
            ];
            assert_page(app.post(&c, &edit, &edit, &fields).await, status, says).await;
        }
        assert_eq!(
            danchu_db::documents::of_article(&app.db, seed.id)
                .await
                .unwrap()
                .len(),
            2
        );
    }
);
