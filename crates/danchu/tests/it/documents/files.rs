//! Document files are checked by content and their text is searched.

use crate::both;
use crate::harness::TestApp;

both!(
    document_files_are_checked_and_their_text_searched,
    crate::harness::EDITOR,
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
            let r = app.upload(&c, "721", name, bytes).await;
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
        let m = app.uploaded(&c, "721", "bom.docx", bomb).await;
        assert_eq!((m.name.as_str(), m.text_note.as_str()), ("bom.docx", ""));
        let text: String = app
            .string(
                danchu_db::q("SELECT text FROM media WHERE id = $1").bind(m.id),
                "text",
            )
            .await;
        assert_eq!(text.trim(), "", "no words");
        assert_eq!(app.get(&app.client(), "/healthz").await.status(), 200);
        // Real files: their text is kept and searched with the document they belong to.
        let docx = crate::harness::docx_with_text(&[
            "Biên bản họp dân",
            "Bà con ấp Bến Củi thống nhất hiến đất mở rộng đường giao thông nông thôn.",
        ]);
        let docx_id = app
            .uploaded(&c, "721", "Biên bản họp dân.docx", docx)
            .await
            .id;
        let pdf = crate::harness::pdf_with_text("Phu luc: danh sach ho dan ap Cam Xe", 0);
        let pdf_id = app.uploaded(&c, "721", "phu-luc.pdf", pdf).await.id;
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
