//! The media library: uploads are checked by their content, not their name.

use crate::both;
use crate::harness::{assert_page, multipart_form, TestApp};

use super::SEED_SLUG;

both!(
    uploads_are_checked_by_content,
    crate::harness::EDITOR,
    |app: TestApp| async move {
        use base64::Engine as _;
        let c = app.sign_in("bientap").await;
        let district = app.unit_id("721").await.to_string();
        let png = base64::engine::general_purpose::STANDARD
            .decode(crate::harness::PNG_1X1)
            .unwrap();
        // A PHP or HTML file named .jpg is refused, whatever its name says.
        for (name, body) in [
            ("anh.jpg", b"<?php system($_GET['c']); ?>".to_vec()),
            (
                "trang.jpg",
                b"<html><script>alert(1)</script></html>".to_vec(),
            ),
        ] {
            let r = app.upload_for(&c, &district, name, body).await;
            assert_eq!(r.status(), 415, "{name}");
            assert!(r.text().await.unwrap().contains("Loại tệp không được nhận"));
        }
        // Too big: a clear error.
        let mut big = png.clone();
        big.resize(10 * 1024 * 1024 + 1024, 0);
        let r = app.upload_for(&c, &district, "lon.png", big).await;
        assert_page(r, 413, "tối đa 10 MB").await;
        // A normal 5 MB document goes through (over the 2 MB form limit, under the 10 MB one).
        let doc = crate::harness::pdf_with_text("Bao cao", 5 * 1024 * 1024);
        let r = app.upload_for(&c, &district, "bao-cao.pdf", doc).await;
        assert_eq!(r.status(), 303, "5 MB accepted");
        // Without the CSRF token: 403.
        let form = multipart_form(
            &[("unit_id", district.as_str())],
            vec![("file", "x.png", png.clone())],
        );
        assert_eq!(
            c.post(app.at("/quan-tri/tep"))
                .multipart(form)
                .send()
                .await
                .unwrap()
                .status(),
            403
        );
        // A real image with a hostile name: accepted, the name neutralised, stored under ours.
        let hostile = "../../etc/<script>passwd.png";
        let m = app.uploaded_for(&c, &district, hostile, png.clone()).await;
        assert_eq!(m.name, "scriptpasswd.png");
        assert!(danchu_core::files::valid_stored_name(&m.stored_name));
        assert_eq!((m.width, m.height), (Some(1), Some(1)));
        let anon = app.client();
        let r = app.get(&anon, &format!("/tep/{}", m.stored_name)).await;
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["content-type"], "image/png");
        assert_eq!(r.bytes().await.unwrap().to_vec(), png);
        let thumb = m.thumb_name.clone().unwrap();
        let r = app.get(&anon, &format!("/tep/{thumb}")).await;
        assert_eq!(r.headers()["content-type"], "image/jpeg");
        for bad in [
            "/tep/..%2F..%2Fetc%2Fpasswd",
            "/tep/passwd",
            "/tep/00000000000000000000000000000000.jpg",
        ] {
            assert_eq!(app.get(&anon, bad).await.status(), 404, "{bad}");
        }
        // A PDF attached to an article is listed and downloads as an attachment.
        let pdf = crate::harness::pdf_with_text("Ke hoach 22/KH-UBND", 0);
        let pdf_media = app
            .uploaded_for(&c, &district, "Kế hoạch 22-KH-UBND.pdf", pdf)
            .await;
        assert_eq!(pdf_media.name, "Kế hoạch 22-KH-UBND.pdf");
        let seed = danchu_db::portal::article_by_slug(&app.db, SEED_SLUG)
            .await
            .unwrap()
            .unwrap();
        let cat = seed.category_id.to_string();
        let id = pdf_media.id.to_string();
        let r = app
            .post(
                &c,
                &format!("/quan-tri/bai-viet/{}", seed.id),
                &format!("/quan-tri/bai-viet/{}", seed.id),
                &[
                    ("title", &seed.title),
                    ("category_id", &cat),
                    ("unit_id", &district),
                    ("body", &seed.body),
                    ("author", &seed.author),
                    ("status", "published"),
                    ("published_at", "10/03/2023 08:00"),
                    ("featured", "1"),
                    ("attachment", &id),
                ],
            )
            .await;
        assert_eq!(r.status(), 303);
        let page = app.page(&anon, &format!("/bai-viet/{SEED_SLUG}")).await;
        assert!(
            page.contains("Tệp đính kèm")
                && page.contains(&format!("/tep/{}", pdf_media.stored_name))
                && page.contains("Kế hoạch 22-KH-UBND.pdf")
        );
        assert!(page.contains(">10/03/2023</time>"), "date unchanged");
        let r = app
            .get(&anon, &format!("/tep/{}", pdf_media.stored_name))
            .await;
        assert!(r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment; filename*=UTF-8''"));
        // A banner with the uploaded image.
        let r = app
            .post(
                &c,
                "/quan-tri/cong-thong-tin",
                "/quan-tri/cong-thong-tin/bieu-ngu",
                &[
                    ("title", "Ảnh hồ Dầu Tiếng"),
                    ("link_url", "/"),
                    ("unit_id", &district),
                    ("image_id", &m.id.to_string()),
                ],
            )
            .await;
        assert_eq!(r.status(), 303);
        assert!(app
            .page(&anon, "/")
            .await
            .contains(&format!("<img src=\"/tep/{thumb}\" alt=\"\">")));
    }
);
