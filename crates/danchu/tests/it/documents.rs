//! The document library over both databases: listing and filters, detail, relations,
//! articles citing documents, downloads, admin rights and errors.

use crate::both;
use crate::harness::TestApp;

async fn upload_file(
    app: &TestApp,
    c: &reqwest::Client,
    name: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    let token = app.csrf(c, "/quan-tri/tep").await;
    let district = app.unit_id("721").await.to_string();
    let form = reqwest::multipart::Form::new()
        .text("unit_id", district)
        .part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
        );
    c.post(app.at(&format!("/quan-tri/tep?_csrf={token}")))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

async fn upload_pdf(app: &TestApp, c: &reqwest::Client, name: &str) -> i64 {
    let r = upload_file(
        app,
        c,
        name,
        crate::harness::pdf_with_text("Quyet dinh 15", 0),
    )
    .await;
    assert_eq!(r.status(), 303);
    danchu_db::media::recent(&app.db, None, 1).await.unwrap()[0].id
}

both!(library_lists_filters_and_links, |app: TestApp| async move {
    let c = app.client();
    let all = app.page(&c, "/van-ban").await;
    for n in ["22/KH-UBND", "10/2022/QH15", "05-CT/TW"] {
        assert!(all.contains(n), "{n}");
    }
    let laws = app.page(&c, "/van-ban?loai=luat").await;
    assert!(laws.contains("10/2022/QH15") && !laws.contains("22/KH-UBND"));
    let y2023 = app.page(&c, "/van-ban?nam=2023").await;
    assert!(y2023.contains("22/KH-UBND") && !y2023.contains("05-CT/TW"));
    let by_number = app.page(&c, "/van-ban?sap_xep=number").await;
    assert!(by_number.find("05-CT/TW").unwrap() < by_number.find("22/KH-UBND").unwrap());
    // The plan and the seed article point at each other.
    let plan = danchu_db::documents::by_number(&app.db, "22/kh-ubnd")
        .await
        .unwrap()
        .remove(0);
    let page = app.page(&c, &format!("/van-ban/{}", plan.id)).await;
    assert!(
        page.contains("Bài viết nhắc đến văn bản này") && page.contains(crate::portal::SEED_SLUG)
    );
    assert!(page.contains("21/02/2023"));
    let article = app
        .page(&c, &format!("/bai-viet/{}", crate::portal::SEED_SLUG))
        .await;
    assert!(article.contains(&format!("href=\"/van-ban/{}\"", plan.id)));
    assert_eq!(
        c.get(app.at("/van-ban/999999"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    assert_eq!(
        c.get(app.at("/van-ban?trang=abc"))
            .send()
            .await
            .unwrap()
            .status(),
        400
    );
});

both!(
    documents_admin_files_relations_downloads,
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
        assert_eq!(r.status(), 400);
        let body = r.text().await.unwrap();
        for m in [
            "Số ký hiệu cần có số",
            "Hãy nhập cơ quan ban hành.",
            "Ngày không hợp lệ",
            "Trích yếu không được để trống",
            "Không có văn bản số 99/XX-YY",
        ] {
            assert!(body.contains(m), "{m}");
        }
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
            let r = anon
                .get(app.at(&format!("/van-ban/{}/tai/{file}", new.id)))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 303);
        }
        assert_eq!(
            danchu_db::documents::get(&mut app.db.clone(), new.id)
                .await
                .unwrap()
                .unwrap()
                .downloads,
            0
        );
        app.state.counters.flush(&app.db).await.unwrap();
        assert_eq!(
            danchu_db::documents::get(&mut app.db.clone(), new.id)
                .await
                .unwrap()
                .unwrap()
                .downloads,
            3
        );
        // A commune's admin cannot edit the district's documents.
        let other = app.sign_in("quantri.anlap").await;
        assert_eq!(
            other
                .get(app.at(&format!("/quan-tri/van-ban/{}", new.id)))
                .send()
                .await
                .unwrap()
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
        let mut fields = vec![
            ("title", seed.title.clone()),
            ("category_id", cat),
            ("unit_id", district.clone()),
            ("body", seed.body.clone()),
            ("status", "published".to_string()),
            ("published_at", "10/03/2023 08:00".to_string()),
            ("documents", "22/KH-UBND, 1/XYZ".to_string()),
        ];
        let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = app
            .post(
                &c,
                &format!("/quan-tri/bai-viet/{}", seed.id),
                &format!("/quan-tri/bai-viet/{}", seed.id),
                &refs,
            )
            .await;
        assert_eq!(r.status(), 400);
        assert!(r
            .text()
            .await
            .unwrap()
            .contains("Không có văn bản số 1/XYZ"));
        fields.pop();
        fields.push(("documents", "22/KH-UBND, 15/kh-ubnd".to_string()));
        let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = app
            .post(
                &c,
                &format!("/quan-tri/bai-viet/{}", seed.id),
                &format!("/quan-tri/bai-viet/{}", seed.id),
                &refs,
            )
            .await;
        assert_eq!(r.status(), 303);
        assert_eq!(
            danchu_db::documents::of_article(&app.db, seed.id)
                .await
                .unwrap()
                .len(),
            2
        );
    }
);

both!(
    document_files_are_checked_and_their_text_searched,
    |app: TestApp| async move {
        let c = app.sign_in("bientap").await;
        let district = app.unit_id("721").await.to_string();
        // Tricky files: refused with a clear message, nothing stored.
        let before = danchu_db::media::recent(&app.db, None, 100)
            .await
            .unwrap()
            .len();
        let mut elf = b"\x7fELF\x02\x01\x01\x00".to_vec();
        elf.resize(4096, 0);
        let mut exe = b"MZ\x90\x00\x03\x00\x00\x00".to_vec();
        exe.resize(4096, 0);
        let mut huge = crate::harness::pdf_with_text("x", 0);
        huge.resize(10 * 1024 * 1024 + 1024, b' ');
        let cases: Vec<(&str, Vec<u8>, u16, &str)> = vec![
            ("ke-hoach.pdf", elf, 415, "Loại tệp không được nhận"),
            ("bao-cao.docx", exe, 415, "Loại tệp không được nhận"),
            (
                "rong.pdf",
                b"%PDF-1.4\n%%EOF\n".to_vec(),
                400,
                "Tệp PDF bị hỏng",
            ),
            ("trong.pdf", Vec::new(), 400, "Hãy chọn một tệp"),
            (
                "gia.docx",
                b"PK\x03\x04 [Content_Types].xml word/document.xml".to_vec(),
                400,
                "Tệp DOCX bị hỏng",
            ),
            ("lon.pdf", huge, 413, "tối đa 10 MB"),
        ];
        for (name, bytes, status, message) in cases {
            let r = upload_file(&app, &c, name, bytes).await;
            assert_eq!(r.status(), status, "{name}");
            assert!(
                r.text().await.unwrap().contains(message),
                "{name}: {message}"
            );
        }
        assert_eq!(
            danchu_db::media::recent(&app.db, None, 100)
                .await
                .unwrap()
                .len(),
            before,
            "nothing stored"
        );
        // A DOCX whose document part inflates to 40 MB of blanks is read only up to a cap:
        // accepted and stored, with no words to search and no note of a failure, and the
        // server keeps answering.
        let bomb = crate::harness::docx_with_text(&[&" ".repeat(40 * 1024 * 1024)]);
        assert!(bomb.len() < 1024 * 1024);
        let r = upload_file(&app, &c, "bom.docx", bomb).await;
        assert_eq!(r.status(), 303, "{}", r.text().await.unwrap_or_default());
        let m = danchu_db::media::recent(&app.db, None, 1)
            .await
            .unwrap()
            .remove(0);
        assert_eq!((m.name.as_str(), m.text_note.as_str()), ("bom.docx", ""));
        let text: String = app
            .db
            .fetch_optional(danchu_db::q("SELECT text FROM media WHERE id = $1").bind(m.id))
            .await
            .unwrap()
            .unwrap()
            .get("text")
            .unwrap();
        assert_eq!(text.trim(), "", "no words");
        assert_eq!(
            app.client()
                .get(app.at("/healthz"))
                .send()
                .await
                .unwrap()
                .status(),
            200
        );
        // Real files: their text is kept and searched with the document they belong to.
        let docx = crate::harness::docx_with_text(&[
            "Biên bản họp dân",
            "Bà con ấp Bến Củi thống nhất hiến đất mở rộng đường giao thông nông thôn.",
        ]);
        let r = upload_file(&app, &c, "Biên bản họp dân.docx", docx).await;
        assert_eq!(r.status(), 303);
        let docx_id = danchu_db::media::recent(&app.db, None, 1).await.unwrap()[0].id;
        let r = upload_file(
            &app,
            &c,
            "phu-luc.pdf",
            crate::harness::pdf_with_text("Phu luc: danh sach ho dan ap Cam Xe", 0),
        )
        .await;
        assert_eq!(r.status(), 303);
        let pdf_id = danchu_db::media::recent(&app.db, None, 1).await.unwrap()[0].id;
        let r = app
            .post(
                &c,
                "/quan-tri/van-ban/moi",
                "/quan-tri/van-ban",
                &[
                    ("number", "31/TB-UBND"),
                    ("kind", "thong-bao"),
                    ("issuer", "UBND xã Định Hiệp"),
                    ("issued_on", "05/05/2024"),
                    ("summary", "Kết quả họp dân về làm đường"),
                    ("status", "in_force"),
                    ("unit_id", &district),
                    ("file", &docx_id.to_string()),
                    ("file", &pdf_id.to_string()),
                ],
            )
            .await;
        assert_eq!(r.status(), 303);
        let id = danchu_db::documents::by_number(&app.db, "31/TB-UBND")
            .await
            .unwrap()[0]
            .id;
        let anon = app.client();
        for q in ["hien dat ben cui", "\"hiến đất mở rộng\"", "cam xe"] {
            let url =
                reqwest::Url::parse_with_params(&app.at("/api/v1/tim-kiem"), &[("q", q)]).unwrap();
            let json: serde_json::Value = anon.get(url).send().await.unwrap().json().await.unwrap();
            assert_eq!(
                json["results"][0]["url"],
                format!("{}/van-ban/{id}", app.url),
                "{q}: {json}"
            );
        }
        // The snippet shows the words from the file, with their diacritics.
        let page = app.page(&anon, "/tim-kiem?q=hien+dat+ben+cui").await;
        assert!(
            page.contains("<mark>Bến</mark> <mark>Củi</mark>"),
            "snippet from the file"
        );
    }
);
