//! `Idempotency-Key` on API writes, through the real router on both databases: a retry
//! with the same key and body gets the first answer and writes nothing more; the same key
//! with another body is 422; a refused request stores no key; a write that committed
//! without its answer stored is 409 on retry; keys of two callers never meet.

use serde_json::{json, Value};

use super::Session;
use crate::both;
use crate::harness::{Fixture, TestApp};

fn template(office: i64, name: &str) -> Value {
    json!({"unit_id": office, "name": name, "body": {"sections": [{"title": "I", "indicators": [
        {"code": "so_hop", "label": "Số cuộc họp", "kind": {"type": "integer"}, "unit": "cuộc",
         "required": true, "aggregation": "sum"}]}], "rules": []}})
}

/// Phòng Nội vụ signed in through the API, and its office's id (whose templates it posts).
async fn noi_vu(app: &TestApp) -> (Session, i64) {
    let nv = Session::sign_in(app, "noivu").await;
    (nv, app.unit_id("721-NV").await)
}

async fn post(s: &Session, key: Option<&str>, body: &Value) -> reqwest::Response {
    let mut r = s
        .request(reqwest::Method::POST, "/api/v1/bao-cao/mau")
        .json(body);
    if let Some(k) = key {
        r = r.header("Idempotency-Key", k);
    }
    r.send().await.expect("POST")
}

async fn templates(app: &TestApp) -> i64 {
    app.int(
        danchu_db::q("SELECT COUNT(*) AS n FROM report_templates"),
        "n",
    )
    .await
}

both!(
    a_retry_with_the_same_key_gets_the_first_answer_and_writes_once,
    Fixture::units().with_users(&["noivu"]),
    |app: TestApp| async move {
        let (nv, office) = noi_vu(&app).await;
        let body = template(office, "Mẫu báo cáo quý");
        let before = templates(&app).await;
        let first = post(&nv, Some("7f3c2a9e-quy-1"), &body).await;
        assert_eq!(first.status(), 201);
        assert!(first.headers().get("idempotency-replayed").is_none());
        let first: Value = first.json().await.unwrap();
        assert_eq!(templates(&app).await, before + 1);
        let mark = app.audit_mark().await;
        // The client never saw the answer and sends it again.
        let again = post(&nv, Some("7f3c2a9e-quy-1"), &body).await;
        assert_eq!(again.status(), 201);
        assert_eq!(again.headers()["idempotency-replayed"], "true");
        assert_eq!(again.headers()["content-type"], "application/json");
        let again: Value = again.json().await.unwrap();
        assert_eq!(again, first, "the same answer, the same template");
        assert_eq!(templates(&app).await, before + 1, "written once");
        assert_eq!(
            app.audit_mark().await,
            mark,
            "nothing audited the second time"
        );
        // Without a key the same body is a new request: a second template.
        assert_eq!(post(&nv, None, &body).await.status(), 201);
        assert_eq!(templates(&app).await, before + 2);
    }
);

both!(
    the_same_key_with_another_request_is_refused_and_a_refused_request_keeps_no_key,
    Fixture::units().with_users(&["noivu", "quantri.huyen"]),
    |app: TestApp| async move {
        let (nv, office) = noi_vu(&app).await;
        assert_eq!(
            post(&nv, Some("k-1"), &template(office, "Mẫu A"))
                .await
                .status(),
            201
        );
        let before = templates(&app).await;
        let r = post(&nv, Some("k-1"), &template(office, "Mẫu B")).await;
        assert_eq!(r.status(), 422);
        let e: Value = r.json().await.unwrap();
        assert!(e["error"]
            .as_str()
            .unwrap()
            .contains("đã dùng cho một yêu cầu khác"));
        assert_eq!(templates(&app).await, before);
        // A refused request (no name) writes nothing and keeps no key: fixed, it runs.
        let r = post(&nv, Some("k-2"), &template(office, "")).await;
        assert_eq!(r.status(), 422);
        assert_eq!(
            post(&nv, Some("k-2"), &template(office, "Mẫu C"))
                .await
                .status(),
            201
        );
        assert_eq!(templates(&app).await, before + 1);
        // Another caller's key of the same name is its own.
        let other = Session::sign_in(&app, "quantri.huyen").await;
        let r = post(&other, Some("k-1"), &template(office, "Mẫu D")).await;
        assert_eq!(r.status(), 201, "not taken for noivu's request");
        // A key that is not visible ASCII is refused before anything runs.
        let r = post(&nv, Some("khóa có dấu"), &template(office, "Mẫu E")).await;
        assert_eq!(r.status(), 400);
        let long = "k".repeat(256);
        assert_eq!(
            post(&nv, Some(&long), &template(office, "Mẫu E"))
                .await
                .status(),
            400
        );
        assert_eq!(templates(&app).await, before + 2);
    }
);

both!(
    a_write_that_committed_without_its_answer_is_409_on_retry,
    Fixture::units().with_users(&["noivu"]),
    |app: TestApp| async move {
        let (nv, office) = noi_vu(&app).await;
        let body = template(office, "Mẫu năm");
        assert_eq!(post(&nv, Some("k-died"), &body).await.status(), 201);
        // As if the node died after the commit, before it stored the answer.
        app.db
            .execute(danchu_db::q(
                "UPDATE idempotency_keys SET status = NULL, body = NULL WHERE idem_key = 'k-died'",
            ))
            .await
            .unwrap();
        let before = templates(&app).await;
        let r = post(&nv, Some("k-died"), &body).await;
        assert_eq!(r.status(), 409);
        let e: Value = r.json().await.unwrap();
        assert!(e["error"].as_str().unwrap().contains("đã được thực hiện"));
        assert_eq!(templates(&app).await, before, "not written twice");
    }
);
