//! Hostile input in every disclosure field and file name (issue 7 point 8): each payload
//! gets past CSRF and permission checks to the field's own validation, and what is stored
//! is stored as text.

use base64::Engine;

use crate::both;
use crate::harness::{Fixture, TestApp};

use super::{find, of_unit, today_shown};

/// Whether a stored single-line value or file name holds a character that can change how
/// it reads: a control character (NUL, line breaks) or a bidirectional override or isolate
/// (U+202A–U+202E, U+2066–U+2069; "gnp.exe" shown as "exe.png"), which
/// `char::is_control` does not cover (they are format characters).
fn misleading(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A stored file name: no path, no control or bidi characters.
fn assert_safe_file_name(name: &str, what: &str) {
    assert!(
        !name.is_empty()
            && !name.contains('/')
            && !name.contains('\\')
            && !name.contains("..")
            && !name.chars().any(misleading),
        "{what}: stored file name {name:?}"
    );
}

/// The newest uploaded file: (id, name); (0, "") when there is none.
async fn newest_media(app: &TestApp) -> (i64, String) {
    app.db
        .fetch_optional(danchu_db::q(
            "SELECT id, name FROM media ORDER BY id DESC LIMIT 1",
        ))
        .await
        .unwrap()
        .map(|r| {
            (
                r.get::<i64>("id").unwrap(),
                r.get::<String>("name").unwrap(),
            )
        })
        .unwrap_or_default()
}

/// Hostile values tried in every field (issue 7 point 8): markup and script, an SQL
/// fragment, path traversal, control and bidi characters, a very long value, invalid
/// UTF-8.
fn hostile() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        (
            "script",
            b"<script>alert('x')</script><img src=x onerror=alert(1)>".to_vec(),
        ),
        ("sql", b"'); DROP TABLE disclosures; --".to_vec()),
        ("path", b"../../../etc/passwd".to_vec()),
        ("control", "A\u{0}B\u{202E}gnp.exe\r\n".as_bytes().to_vec()),
        // Bidi overrides and isolates alone (a name with a line break is refused whole).
        (
            "bidi",
            "Biên bản\u{2066}\u{202E}fdp.exe\u{2069}"
                .as_bytes()
                .to_vec(),
        ),
        // Long, yet within the body limit, so that it reaches the field's own check.
        (
            "long",
            format!("{}{}", "Ạ".repeat(2_000), "a".repeat(28_000)).into_bytes(),
        ),
        ("invalid utf-8", vec![0xC3, 0x28, 0xFF, 0xFE]),
    ]
}

/// Posts a multipart form whose text fields are raw bytes; the status and the page.
async fn multipart_raw(
    app: &TestApp,
    c: &reqwest::Client,
    page: &str,
    action: &str,
    fields: &[(String, Vec<u8>)],
    files: Vec<(&str, String, Vec<u8>)>,
) -> (reqwest::StatusCode, String) {
    let token = app.csrf(c, page).await;
    let mut f = reqwest::multipart::Form::new();
    for (k, v) in fields {
        f = f.part(k.clone(), reqwest::multipart::Part::bytes(v.clone()));
    }
    for (field, name, bytes) in files {
        f = f.part(
            field.to_string(),
            reqwest::multipart::Part::bytes(bytes).file_name(name),
        );
    }
    // Not reused: a refusal may come before the server has read the whole body.
    let r = c
        .post(app.at(&format!("{action}?_csrf={token}")))
        .header("connection", "close")
        .multipart(f)
        .send()
        .await
        .unwrap();
    (r.status(), r.text().await.unwrap_or_default())
}

/// Posts an urlencoded form whose values are raw bytes (every byte but letters and digits
/// percent-encoded); the status and the page.
async fn form_raw(
    app: &TestApp,
    c: &reqwest::Client,
    page: &str,
    action: &str,
    fields: &[(String, Vec<u8>)],
) -> (reqwest::StatusCode, String) {
    let token = app.csrf(c, page).await;
    let mut body = format!("_csrf={token}");
    for (k, v) in fields {
        body.push_str(&format!("&{k}="));
        for b in v {
            if b.is_ascii_alphanumeric() {
                body.push(*b as char);
            } else {
                body.push_str(&format!("%{b:02X}"));
            }
        }
    }
    let r = c
        .post(app.at(action))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("connection", "close")
        .body(body)
        .send()
        .await
        .unwrap();
    (r.status(), r.text().await.unwrap_or_default())
}

/// What a sweep saw: payloads accepted (and neutralised), payloads refused by the
/// field's own check (the form came back with the reason).
#[derive(Debug, Default)]
struct Sweep {
    accepted: usize,
    refused: usize,
}

/// Sends each [`hostile`] file name through `post` (the name; the status and page it
/// got): each one is either stored — the newest upload, under a neutralised name, where
/// `attached` (given its id) finds it — or refused for its name (400 naming "Tên tệp").
/// `what` names the field in a failure; some names must be stored.
async fn sweep_file_names<P, PF, A, AF>(app: &TestApp, what: &str, post: P, attached: A)
where
    P: Fn(String) -> PF,
    PF: std::future::Future<Output = (reqwest::StatusCode, String)>,
    A: Fn(i64) -> AF,
    AF: std::future::Future<Output = bool>,
{
    let mut stored = 0;
    for (name_is, name) in hostile() {
        let what = format!("{what} {name_is}");
        let (before, _) = newest_media(app).await;
        let (status, page) = post(String::from_utf8_lossy(&name).to_string()).await;
        if status == 303 {
            let (id, kept) = newest_media(app).await;
            assert!(id > before, "{what}: the file was stored");
            assert!(attached(id).await, "{what}: attached where it was sent");
            assert_safe_file_name(&kept, &what);
            stored += 1;
        } else {
            assert!(
                status == 400 && page.contains("Tên tệp"),
                "{what}: {status}"
            );
        }
    }
    assert!(stored > 0, "some hostile names are stored, neutralised");
}

/// Sends the untouched form first — it must be accepted, or the sweep proves nothing —
/// then each field of `base` in turn replaced by each hostile value. Every answer must be
/// a redirect (accepted, neutralised) or the form given back with a 400 (`form_marker`,
/// e.g. its action, is on the page): the payload got past the CSRF and permission checks
/// to the field's own validation. Invalid UTF-8 is refused, as any form's, when decoded.
async fn try_every_field<F, Fut>(base: &[(&str, &str)], form_marker: &str, mut send: F) -> Sweep
where
    F: FnMut(Vec<(String, Vec<u8>)>) -> Fut,
    Fut: std::future::Future<Output = (reqwest::StatusCode, String)>,
{
    let untouched: Vec<(String, Vec<u8>)> = base
        .iter()
        .map(|(k, v)| (k.to_string(), v.as_bytes().to_vec()))
        .collect();
    let (status, page) = send(untouched).await;
    assert_eq!(
        status,
        303,
        "the untouched form is accepted: {}",
        &page[..page.len().min(500)]
    );
    let mut sweep = Sweep::default();
    for (field, _) in base {
        for (what, value) in hostile() {
            let fields: Vec<(String, Vec<u8>)> = base
                .iter()
                .map(|(k, v)| {
                    let v = if k == field {
                        value.clone()
                    } else {
                        v.as_bytes().to_vec()
                    };
                    (k.to_string(), v)
                })
                .collect();
            let (status, page) = send(fields).await;
            if what == "invalid utf-8" {
                assert_eq!(status, 400, "{field}: invalid UTF-8 is refused");
                assert!(page.contains("UTF-8"), "{field}: refused for its encoding");
                continue;
            }
            if status == 303 {
                sweep.accepted += 1;
                continue;
            }
            assert_eq!(status, 400, "{field} = {what}: {status}");
            assert!(
                page.contains(form_marker),
                "{field} = {what}: refused before its field's check (no form on the page): {}",
                page.split("<main")
                    .nth(1)
                    .unwrap_or("")
                    .chars()
                    .take(600)
                    .collect::<String>()
            );
            sweep.refused += 1;
        }
    }
    let payloads = (hostile().len() - 1) * base.len();
    assert_eq!(
        sweep.accepted + sweep.refused,
        payloads,
        "every payload reached its field"
    );
    sweep
}

both!(
    hostile_input_in_every_disclosure_field_and_file_name,
    Fixture::units().with_users(&["admin", "quantri.anlap"]),
    |app: TestApp| async move {
        let an_lap = app.unit_id("25789").await;
        let cats = danchu_db::disclosures::categories(&app.db).await.unwrap();
        let id_of = |code: &str| cats.iter().find(|c| c.1.code == code).unwrap().0;
        let official = app.sign_in("quantri.anlap").await;
        let mark = app.audit_mark().await;
        let today = today_shown();
        let (unit, cat) = (an_lap.to_string(), id_of("d11-08").to_string());
        let new = "/quan-tri/cong-khai/moi";
        // The new-disclosure form, every field.
        let base = [
            ("unit_id", unit.as_str()),
            ("category_id", cat.as_str()),
            ("period", ""),
            ("title", "Kết quả giải quyết phản ánh"),
            ("body", "<p>Nội dung</p>"),
            ("documents", ""),
            ("portal_from", today.as_str()),
            ("board_from", today.as_str()),
            ("board_evidence", "Bảng tin"),
        ];
        let sweep = try_every_field(&base, "action=\"/quan-tri/cong-khai/moi", |f| {
            let (app, c) = (&app, &official);
            async move { multipart_raw(app, c, new, new, &f, vec![]).await }
        })
        .await;
        assert!(
            sweep.accepted > 0 && sweep.refused > 0,
            "harmless-looking values are accepted, neutralised; others refused: {sweep:?}"
        );
        // File names: stored under a neutralised name, or refused for the name.
        let pdf = crate::harness::pdf_with_text("Bien ban", 0);
        let fields: Vec<(String, Vec<u8>)> = base
            .iter()
            .map(|(k, v)| (k.to_string(), v.as_bytes().to_vec()))
            .collect();
        let post = |name: String| {
            let (app, c, fields, pdf) = (&app, &official, &fields, pdf.clone());
            async move { multipart_raw(app, c, new, new, fields, vec![("file", name, pdf)]).await }
        };
        // Attached to the disclosure just posted.
        let attached = |id: i64| {
            let app = &app;
            async move {
                let d = find(app, an_lap, "Kết quả giải quyết phản ánh").await;
                let files = danchu_db::disclosures::files(&app.db, d.id).await.unwrap();
                files.iter().any(|f| f.id == id)
            }
        };
        sweep_file_names(&app, "file name", post, attached).await;
        // The channel form of one disclosure, every field including the R8 rows.
        let d = find(&app, an_lap, "Kết quả giải quyết phản ánh").await;
        let page = format!("/quan-tri/cong-khai/{}", d.id);
        let action = format!("{page}/hinh-thuc");
        let base = [
            ("channel", "community_heads"),
            ("starts_on", today.as_str()),
            ("ends_on", ""),
            ("evidence", "Sổ giao nhận"),
            ("head_hamlet", "Ấp Bến Tranh"),
            ("head_name", "Nguyễn Văn Hùng"),
            ("head_on", today.as_str()),
            ("head_method", "sms"),
            ("head_told", ""),
        ];
        let sweep = try_every_field(&base, &format!("action=\"{action}"), |f| {
            let (app, c, page, action) = (&app, &official, &page, &action);
            async move { multipart_raw(app, c, page, action, &f, vec![]).await }
        })
        .await;
        assert!(sweep.refused > 0, "the R8 rows are checked: {sweep:?}");
        let png = base64::engine::general_purpose::STANDARD
            .decode(crate::harness::PNG_1X1)
            .unwrap();
        let fields = vec![
            ("channel".to_string(), b"notice_board".to_vec()),
            ("starts_on".to_string(), today.as_bytes().to_vec()),
        ];
        let post = |name: String| {
            let (app, c, page, action) = (&app, &official, &page, &action);
            let (fields, png) = (&fields, png.clone());
            let files = vec![("evidence_file", name, png)];
            async move { multipart_raw(app, c, page, action, fields, files).await }
        };
        // Attached to the channel just recorded.
        let attached = |id: i64| {
            let app = &app;
            async move {
                let channels = danchu_db::disclosures::channels(&app.db, d.id)
                    .await
                    .unwrap();
                channels.iter().any(|c| c.files.iter().any(|f| f.id == id))
            }
        };
        sweep_file_names(&app, "evidence file", post, attached).await;
        // The correction form.
        let base = [
            ("title", "Kết quả giải quyết phản ánh"),
            ("body", "<p>Nội dung đã sửa</p>"),
            ("note", "Sửa số liệu"),
        ];
        let sweep = try_every_field(&base, &format!("action=\"{page}/dinh-chinh"), |f| {
            let (app, c, page) = (&app, &official, &page);
            let action = format!("{page}/dinh-chinh");
            async move { form_raw(app, c, page, &action, &f).await }
        })
        .await;
        assert!(sweep.accepted > 0, "{sweep:?}");
        // The category editor (system administrator), every field.
        let admin = app.sign_in("admin").await;
        let cat_page = "/quan-tri/cong-khai/danh-muc";
        let cat_action = format!("{cat_page}/{}", id_of("pctn-08"));
        let base = [
            ("name", "Các nội dung khác theo quy định của pháp luật"),
            ("min_days", "30"),
            ("broadcast_days", "0"),
            ("post_within_days", "5"),
            ("valid_from", "01/07/2023"),
            ("valid_to", ""),
            ("channel", "notice_board"),
            ("every", ""),
        ];
        let sweep = try_every_field(&base, &format!("action=\"{cat_action}"), |f| {
            let (app, c, action) = (&app, &admin, &cat_action);
            async move { form_raw(app, c, cat_page, action, &f).await }
        })
        .await;
        assert!(
            sweep.refused > 0,
            "the numbers and dates are checked: {sweep:?}"
        );
        // The take-down reason: each attempt on a disclosure of its own (a take-down ends
        // it), posted as the untouched one was.
        let fresh = || async {
            let (status, _) = multipart_raw(
                &app,
                &official,
                new,
                new,
                &[
                    ("unit_id".to_string(), unit.as_bytes().to_vec()),
                    ("category_id".to_string(), cat.as_bytes().to_vec()),
                    ("title".to_string(), "Bài để gỡ".as_bytes().to_vec()),
                    ("body".to_string(), b"<p>x</p>".to_vec()),
                    ("portal_from".to_string(), today.as_bytes().to_vec()),
                ],
                vec![],
            )
            .await;
            assert_eq!(status, 303);
            of_unit(&app, an_lap, "2100-01-01", 1).await.remove(0).id
        };
        let mut ids = Vec::new();
        for _ in 0..hostile().len() + 1 {
            ids.push(fresh().await);
        }
        let ids = std::sync::Mutex::new(ids);
        let sweep = try_every_field(&[("reason", "Đăng nhầm")], "/go\"", |f| {
            let (app, c) = (&app, &official);
            let id = ids.lock().unwrap().pop().unwrap();
            let page = format!("/quan-tri/cong-khai/{id}");
            async move {
                let action = format!("{page}/go");
                form_raw(app, c, &page, &action, &f).await
            }
        })
        .await;
        assert!(sweep.accepted > 0, "{sweep:?}");

        // Nothing harmful was kept: rich text sanitised, single lines without control
        // characters, file names without paths, categories still readable, the audit
        // chain whole, the pages escape what they show.
        let count = |sql: &'static str| app.int(danchu_db::q(sql), "n");
        assert_eq!(
            count("SELECT COUNT(*) AS n FROM disclosure_versions WHERE body LIKE '%<script%' OR body LIKE '%onerror%'").await,
            0
        );
        for (sql, cols) in [
            (
                "SELECT title, takedown_reason FROM disclosures",
                &["title", "takedown_reason"][..],
            ),
            (
                "SELECT evidence FROM disclosure_channels",
                &["evidence"][..],
            ),
            (
                "SELECT hamlet, head_name FROM disclosure_head_notices",
                &["hamlet", "head_name"][..],
            ),
            (
                "SELECT change_note FROM disclosure_versions",
                &["change_note"][..],
            ),
        ] {
            let rows = app.db.fetch_all(danchu_db::q(sql)).await.unwrap();
            assert!(!rows.is_empty(), "{sql}: rows to check");
            for r in rows {
                for c in cols {
                    let v: String = r.get(c).unwrap();
                    assert!(
                        !v.chars().any(misleading),
                        "{sql}: control or bidi character kept in {v:?}"
                    );
                    assert!(v.chars().count() <= 2000, "{sql}: oversized value kept");
                }
            }
        }
        let media = app
            .db
            .fetch_all(danchu_db::q("SELECT name FROM media"))
            .await
            .unwrap();
        assert!(!media.is_empty(), "files were stored to check");
        for r in media {
            let name: String = r.get("name").unwrap();
            assert_safe_file_name(&name, "media");
        }
        assert!(
            count("SELECT COUNT(*) AS n FROM disclosures").await > 30,
            "tables intact"
        );
        let cats = danchu_db::disclosures::categories(&app.db).await.unwrap();
        let other = cats.iter().find(|c| c.1.code == "pctn-08").unwrap();
        assert!(!other.1.name.contains('\0') && (0..=3650).contains(&other.1.min_days));
        let id = d.id.to_string();
        app.assert_audited_since(
            mark,
            &[
                ("disclosure.create", id.clone()),
                ("disclosure.channel", id.clone()),
                ("disclosure.correct", id.clone()),
                ("disclosure_category.update", id_of("pctn-08").to_string()),
            ],
        )
        .await;
        for d in of_unit(&app, an_lap, "2100-01-01", 200).await {
            for url in [
                format!("/quan-tri/cong-khai/{}", d.id),
                format!("/cong-khai/{}", d.id),
            ] {
                let r = app.get(&official, &url).await;
                if url.starts_with("/cong-khai") && !d.public {
                    assert_eq!(r.status(), 404);
                    continue;
                }
                assert_eq!(r.status(), 200, "{url}");
                let html = r.text().await.unwrap();
                let bad = html
                    .find("<script>alert")
                    .or_else(|| html.find("<img src=x onerror"));
                assert!(
                    bad.is_none(),
                    "{url}: {}",
                    bad.map(|i| &html[i.saturating_sub(200)..(i + 100).min(html.len())])
                        .unwrap_or("")
                );
            }
        }
    }
);
