//! What the API does with a body it cannot take (issue 13, items 8 and 13), on both
//! databases through the real router: over the limit (with Content-Length, or chunked
//! without it) 413, not JSON 415, not readable JSON 400 naming the line and column or the
//! field, and lists over their documented bound 422 naming the field — all in Vietnamese,
//! never axum's English text.

use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::{api, create_token, Session};
use crate::both;
use crate::harness::{Fixture, TestApp};

/// What most of these tests need: the reporting demo, and An Lập's unit admin (who makes
/// the token).
const AN_LAP: Fixture = Fixture::units()
    .with_reporting()
    .with_users(&["quantri.anlap"]);

/// [`AN_LAP`], and Phòng Nội vụ's official.
const NOI_VU_AND_AN_LAP: Fixture = Fixture::units()
    .with_reporting()
    .with_users(&["noivu", "quantri.anlap"]);

/// An An Lập token and the path of An Lập's report in the demo round.
async fn an_lap(app: &TestApp) -> (String, String) {
    let admin = app.sign_in("quantri.anlap").await;
    let unit = app.unit_id("25789").await;
    let token = create_token(app, &admin, unit, "Phần mềm một cửa").await;
    let round = danchu_db::reporting::rounds(&app.db).await.unwrap()[0].id;
    (token, format!("/api/v1/bao-cao/dot/{round}/don-vi/{unit}"))
}

/// The status and JSON body of a response; asserts it is JSON and not axum's English.
async fn json_of(r: reqwest::Response) -> (u16, Value) {
    let status = r.status().as_u16();
    let text = r.text().await.unwrap();
    let body: Value = serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}"));
    for english in [
        "Failed",
        "length limit",
        "expected",
        "Expected",
        "request body",
    ] {
        assert!(!text.contains(english), "English text leaked: {text}");
    }
    (status, body)
}

/// [`json_of`], asserting the status and that the error message holds `text`; the body.
async fn refused(r: reqwest::Response, status: u16, text: &str) -> Value {
    let (got, body) = json_of(r).await;
    assert_eq!(got, status, "{body}");
    assert!(body["error"].as_str().unwrap().contains(text), "{body}");
    body
}

/// [`json_of`], asserting a 422 whose first field error is for `field` and says `text`;
/// the body.
async fn refused_field(r: reqwest::Response, field: &str, text: &str) -> Value {
    let (status, body) = json_of(r).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["fields"][0]["field"], field, "{body}");
    assert!(
        body["fields"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains(text),
        "{body}"
    );
    body
}

/// A JSON body of about `n` bytes.
fn big(n: usize) -> String {
    json!({"answers": {"kien_nghi": "x".repeat(n)}, "submit": false}).to_string()
}

both!(
    oversized_json_gets_413_in_vietnamese,
    NOI_VU_AND_AN_LAP,
    |app: TestApp| async move {
        let (token, path) = an_lap(&app).await;
        // The test server's limit is 64 KB: 100 KB of JSON is refused, in Vietnamese.
        let too_big = async |request: reqwest::RequestBuilder| {
            let body = request
                .header("content-type", "application/json")
                .body(big(100 * 1024));
            refused(body.send().await.unwrap(), 413, "quá lớn").await;
        };
        too_big(api(&app, reqwest::Method::PUT, &path, &token)).await;
        // A signed-in official's request is refused the same way (before its CSRF check).
        let nv = Session::sign_in(&app, "noivu").await;
        too_big(nv.request(reqwest::Method::POST, "/api/v1/bao-cao/mau")).await;
    }
);

both!(
    oversized_chunked_json_gets_413_in_vietnamese,
    AN_LAP,
    |app: TestApp| async move {
        let (token, path) = an_lap(&app).await;
        // No Content-Length: the body arrives in chunks and is counted while it is read.
        let addr = app.url.trim_start_matches("http://").to_string();
        let mut s = tokio::net::TcpStream::connect(&addr).await.unwrap();
        let head = format!(
            "PUT {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        );
        s.write_all(head.as_bytes()).await.unwrap();
        let body = big(100 * 1024);
        for chunk in body.as_bytes().chunks(8 * 1024) {
            let mut frame = format!("{:x}\r\n", chunk.len()).into_bytes();
            frame.extend_from_slice(chunk);
            frame.extend_from_slice(b"\r\n");
            // The server may answer and close before the last chunk.
            if s.write_all(&frame).await.is_err() {
                break;
            }
        }
        let _ = s.write_all(b"0\r\n\r\n").await;
        let mut out = Vec::new();
        let _ = s.read_to_end(&mut out).await;
        let out = String::from_utf8_lossy(&out);
        assert!(out.starts_with("HTTP/1.1 413"), "{out}");
        assert!(
            out.to_ascii_lowercase()
                .contains("content-type: application/json"),
            "{out}"
        );
        assert!(
            out.contains("quá lớn") && !out.contains("length limit"),
            "{out}"
        );
    }
);

both!(
    a_body_that_is_not_json_gets_415,
    AN_LAP,
    |app: TestApp| async move {
        let (token, path) = an_lap(&app).await;
        for content_type in [
            Some("text/plain"),
            Some("application/x-www-form-urlencoded"),
            None,
        ] {
            let mut req = api(&app, reqwest::Method::PUT, &path, &token).body("{\"answers\": {}}");
            if let Some(t) = content_type {
                req = req.header("content-type", t);
            }
            let (status, body) = json_of(req.send().await.unwrap()).await;
            assert_eq!(status, 415, "{content_type:?}: {body}");
            assert!(
                body["error"].as_str().unwrap().contains("application/json"),
                "{body}"
            );
        }
        // `application/…+json` and a charset are JSON.
        let r = api(&app, reqwest::Method::PUT, &path, &token)
            .header("content-type", "application/json; charset=utf-8")
            .body("{\"answers\": {}}")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
    }
);

both!(
    malformed_json_gets_400_naming_line_column_or_field,
    AN_LAP,
    |app: TestApp| async move {
        let (token, path) = an_lap(&app).await;
        let send = |body: &'static str| {
            api(&app, reqwest::Method::PUT, &path, &token)
                .header("content-type", "application/json")
                .body(body)
                .send()
        };
        let (status, body) =
            json_of(send("{\"answers\": {},\n \"submit\": tru }").await.unwrap()).await;
        assert_eq!(status, 400, "{body}");
        assert_eq!(
            body["error"],
            "Nội dung JSON không hợp lệ: lỗi cú pháp ở dòng 2, cột 15."
        );
        let (status, body) =
            json_of(send("{\"answers\": {}, \"submit\": \"có\"}").await.unwrap()).await;
        assert_eq!(status, 400, "{body}");
        assert_eq!(body["fields"][0]["field"], "submit");
        assert!(
            body["error"].as_str().unwrap().contains("true hoặc false"),
            "{body}"
        );
        let (status, body) = json_of(
            api(&app, reqwest::Method::POST, "/api/v1/ke-hoach", &token)
                .header("content-type", "application/json")
                .body("{\"document_id\": 1}")
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, 400, "{body}");
        assert_eq!(
            body["fields"][0]["field"], "unit_id",
            "a missing field is named"
        );
    }
);

both!(
    a_too_long_progress_note_is_refused_under_note,
    Fixture::units()
        .with_portal()
        .with_reporting()
        .with_plans()
        .with_users(&["quantri.anlap"]),
    |app: TestApp| async move {
        let (token, _) = an_lap(&app).await;
        let unit = app.unit_id("25789").await;
        let plan = danchu_db::plans::list(&app.db).await.unwrap()[0].id;
        let task = danchu_db::plans::tasks(&app.db, plan).await.unwrap()[2].id;
        let path = format!("/api/v1/ke-hoach/{plan}/nhiem-vu/{task}/don-vi/{unit}");
        let r = api(&app, reqwest::Method::POST, &path, &token)
            .json(&json!({"status": "done", "note": "ghi chú ".repeat(700)}))
            .send()
            .await
            .unwrap();
        let (status, body) = json_of(r).await;
        assert_eq!(status, 422, "{body}");
        let fields: Vec<&str> = body["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["field"].as_str().unwrap())
            .collect();
        assert_eq!(fields, ["note"], "{body}");
        assert!(body["fields"][0]["message"]
            .as_str()
            .unwrap()
            .contains("5.000"));
    }
);

both!(
    a_report_table_over_its_rows_is_refused_naming_it,
    AN_LAP,
    |app: TestApp| async move {
        let (token, path) = an_lap(&app).await;
        let row = json!({"noi_dung": "Thu chi", "thang": 3});
        let put = |answers: Value| {
            api(&app, reqwest::Method::PUT, &path, &token)
                .json(&json!({"answers": answers, "submit": false}))
                .send()
        };
        // 200 rows are taken (as a draft); 201 are refused, naming the table.
        let r = put(json!({"ds_giam_sat": vec![row.clone(); 200]}))
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let r = put(json!({"ds_giam_sat": vec![row.clone(); 201]}));
        refused_field(r.await.unwrap(), "ds_giam_sat", "200 dòng").await;
        // A column the table does not have, and a text over 4.000 characters, are refused too.
        let r = put(json!({"ds_giam_sat": [{"noi_dung": "x", "khong_co": 1}]}));
        refused_field(r.await.unwrap(), "ds_giam_sat.0.khong_co", "").await;
        let r = put(json!({"kien_nghi": "a".repeat(4001)}));
        refused_field(r.await.unwrap(), "kien_nghi", "").await;
    }
);

both!(
    lists_sent_to_plans_and_rounds_are_bounded,
    Fixture::units()
        .with_portal()
        .with_reporting()
        .with_plans()
        .with_users(&["noivu", "quantri.anlap"]),
    |app: TestApp| async move {
        let nv = Session::sign_in(&app, "noivu").await;
        let an_lap = app.unit_id("25789").await;
        let plan = danchu_db::plans::list(&app.db).await.unwrap()[0].id;
        let supporters: Vec<i64> = (1..=101).collect();
        let path = format!("/api/v1/ke-hoach/{plan}/nhiem-vu");
        let task = json!({"content": "Niêm yết", "lead_unit_id": an_lap, "due_on": "15/01/2099", "supporters": supporters});
        refused_field(nv.post_json(&path, &task).await, "supporters", "").await;
        let template = danchu_db::reporting::templates(&app.db).await.unwrap()[0].id;
        let units: Vec<i64> = std::iter::repeat_n(an_lap, 1001).collect();
        let round = json!({"template_id": template, "title": "Quý I/2024", "period": "2024-Q1",
           "deadline": "20/03/2024", "units": units});
        refused_field(
            nv.post_json("/api/v1/bao-cao/dot", &round).await,
            "units",
            "1000",
        )
        .await;
        // Within the bound, a unit named twice counts once.
        let round = json!({"template_id": template, "title": "Quý I/2024", "period": "2024-Q1",
           "deadline": "20/03/2024", "units": [an_lap, an_lap]});
        let r = nv.post_json("/api/v1/bao-cao/dot", &round).await;
        let (status, body) = json_of(r).await;
        assert_eq!(status, 201, "{body}");
        assert_eq!(body["round"]["unit_count"], 1);
    }
);

both!(
    returning_a_report_names_its_reason,
    NOI_VU_AND_AN_LAP,
    |app: TestApp| async move {
        let nv = Session::sign_in(&app, "noivu").await;
        let (_, path) = an_lap(&app).await;
        for (reason, message) in [("", "Hãy ghi lý do"), (&*"x".repeat(2001), "2.000")] {
            let step = json!({"step": "return", "reason": reason});
            let r = nv.post_json(&format!("{path}/xu-ly"), &step).await;
            refused_field(r, "reason", message).await;
        }
    }
);
