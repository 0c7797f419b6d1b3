//! A commune submits its report and task progress through the API with its unit's token:
//! scoping, JSON errors, CSRF for cookie sessions, revocation.

use serde_json::{json, Value};

use crate::both;
use crate::harness::TestApp;

use super::{api, create_token, Session};

both!(
    a_commune_submits_its_report_through_the_api_with_its_token,
    crate::reporting::NOI_VU_AND_AN_LAP,
    |app: TestApp| async move {
        let an_lap = app.unit_id("25789").await;
        let long_hoa = app.unit_id("25780").await;
        let round = danchu_db::reporting::rounds(&app.db).await.unwrap()[0].id;
        let anon = reqwest::Client::new();
        // No token, or a wrong one: 401 with a JSON reason.
        let r = app.get(&anon, "/api/v1/bao-cao/dot").await;
        assert_eq!(r.status(), 401);
        assert_eq!(r.headers()["www-authenticate"], "Bearer");
        let body: Value = r.json().await.unwrap();
        assert!(body["error"].as_str().unwrap().contains("khóa API"));
        let r = api(
            &app,
            reqwest::Method::GET,
            "/api/v1/bao-cao/dot",
            "danchu_nope",
        )
        .send()
        .await
        .unwrap();
        assert_eq!(r.status(), 401);

        // The An Lập unit admin creates a token; a reporter may not.
        let reporter = app.sign_in("baocao.anlap").await;
        let r = app.get(&reporter, "/quan-tri/khoa-api").await;
        assert_eq!(r.status(), 403);
        let admin = app.sign_in("quantri.anlap").await;
        let r = app
            .post(
                &admin,
                "/quan-tri/khoa-api",
                "/quan-tri/khoa-api",
                &[("unit_id", &long_hoa.to_string()), ("name", "Khác")],
            )
            .await;
        assert_eq!(r.status(), 403, "not for another commune");
        let token = create_token(&app, &admin, an_lap, "Phần mềm một cửa xã An Lập").await;
        assert!(token.len() > 40);
        let page = app.page(&admin, "/quan-tri/khoa-api").await;
        assert!(page.contains("Phần mềm một cửa xã An Lập"));
        assert!(!page.contains(&token), "the secret is shown only once");

        // The token sees An Lập's pending report.
        let r = api(&app, reqwest::Method::GET, "/api/v1/bao-cao/dot", &token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let body: Value = r.json().await.unwrap();
        let rounds = body["rounds"].as_array().unwrap();
        assert_eq!(rounds.len(), 1);
        assert_eq!(rounds[0]["my_units"][0]["unit_id"], an_lap);
        assert_eq!(rounds[0]["my_units"][0]["status"], Value::Null);
        let r = api(
            &app,
            reqwest::Method::GET,
            &format!("/api/v1/bao-cao/dot/{round}"),
            &token,
        )
        .send()
        .await
        .unwrap();
        let body: Value = r.json().await.unwrap();
        assert!(body["template"]["body"]["sections"].is_array());
        assert_eq!(
            body["dashboard"],
            Value::Null,
            "the dashboard is Phòng Nội vụ's"
        );

        // Submitting with errors: 422 with each field and reason; unknown codes refused.
        let path = format!("/api/v1/bao-cao/dot/{round}/don-vi/{an_lap}");
        let mut answers = json!({
            "so_noi_dung_cong_khai": 9, "niem_yet_day_du": true, "so_cuoc_hop": 6,
            "tong_so_ho": 1320, "so_ho_tham_gia": "1.100", "so_ho_tan_thanh": 1150,
            "ty_le_tan_thanh": 92.5, "co_ban_ttnd": "Có", "so_cuoc_giam_sat": 2,
            "kien_nghi": "Cần thêm loa truyền thanh",
            "ds_giam_sat": [{"noi_dung": "Thu chi quỹ làm đường", "thang": 3, "so_kien_nghi": 0}]
        });
        let r = api(&app, reqwest::Method::PUT, &path, &token)
            .json(&json!({"answers": answers, "submit": true}))
            .send()
            .await
            .unwrap();
        let status = r.status();
        let text = r.text().await.unwrap();
        assert_eq!(status, 422, "{text}");
        let body: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(body["fields"][0]["field"], "so_ho_tan_thanh");
        assert!(body["fields"][0]["message"]
            .as_str()
            .unwrap()
            .contains("không được lớn hơn"));
        // A draft is saved as typed, with what would stop it from being submitted.
        let r = api(&app, reqwest::Method::PUT, &path, &token)
            .json(&json!({"answers": {"tong_so_ho": "nhiều"}, "submit": false}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["submission"]["status"], "draft");
        assert!(body["problems"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["field"] == "tong_so_ho"));
        // Anonymous writes get 401 too (not a CSRF refusal).
        let r = anon
            .post(app.at("/api/v1/ke-hoach"))
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401);
        let r = api(&app, reqwest::Method::PUT, &path, &token)
            .json(&json!({"answers": {"khong_co": 1}, "submit": false}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422);
        let r = api(&app, reqwest::Method::PUT, &path, &token)
            .header("content-type", "application/json")
            .body("{\"answers\": [1,")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400);
        let body: Value = r.json().await.unwrap();
        assert!(body["error"]
            .as_str()
            .unwrap()
            .starts_with("Nội dung JSON không hợp lệ"));
        // Fixed and submitted: decimals and tables arrive as the form would have them.
        answers["so_ho_tan_thanh"] = json!(1050);
        let r = api(&app, reqwest::Method::PUT, &path, &token)
            .json(&json!({"answers": answers, "submit": true}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["submission"]["status"], "submitted");
        assert_eq!(
            body["submission"]["answers"]["ty_le_tan_thanh"],
            json!(92.5)
        );
        assert_eq!(
            body["submission"]["answers"]["ds_giam_sat"][0]["thang"],
            json!(3)
        );
        // The audit log names the token.
        app.chain_audit().await;
        let n: i64 = app.int(danchu_db::q("SELECT COUNT(*) AS n FROM audit_log WHERE actor LIKE 'api-token#%' AND action = 'report.submit'"), "n").await;
        assert_eq!(n, 1);

        // The token acts for An Lập only.
        let other = format!("/api/v1/bao-cao/dot/{round}/don-vi/{long_hoa}");
        let r = api(&app, reqwest::Method::PUT, &other, &token)
            .json(&json!({"answers": {}, "submit": false}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403);
        for (method, p) in [
            (reqwest::Method::POST, format!("{path}/xu-ly")),
            (
                reqwest::Method::GET,
                format!("/api/v1/bao-cao/dot/{round}/tong-hop"),
            ),
            (reqwest::Method::POST, "/api/v1/bao-cao/mau".to_string()),
        ] {
            let r = api(&app, method.clone(), &p, &token)
                .json(&json!({"step": "accept", "unit_id": an_lap, "name": "x", "body": {"sections": []}}))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 403, "{method} {p}");
        }

        // Plan progress with the token: the overdue Q4 report of An Lập.
        let plan = danchu_db::plans::list(&app.db).await.unwrap()[0].id;
        let quarterly = danchu_db::plans::tasks(&app.db, plan).await.unwrap()[2].id;
        let progress = format!("/api/v1/ke-hoach/{plan}/nhiem-vu/{quarterly}/don-vi/{an_lap}");
        let history = || async {
            let r = api(&app, reqwest::Method::GET, &progress, &token)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200);
            r.json::<Value>().await.unwrap()
        };
        // The demo already holds An Lập's Q1–Q3 entries.
        let before = history().await["total"].as_i64().unwrap();
        assert!(before >= 3, "{before}");
        let r = api(&app, reqwest::Method::POST, &progress, &token)
            .json(&json!({"status": "done", "note": "Gửi bổ sung quý IV"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
        let body: Value = r.json().await.unwrap();
        assert_eq!(
            body["progress"]["occurrence"], "2023-12-14",
            "the earliest open due date"
        );
        let posted = body["progress"]["id"].as_i64().unwrap();
        let body = history().await;
        assert_eq!(body["due_dates"].as_array().unwrap().len(), 4);
        assert_eq!(
            body["total"].as_i64().unwrap(),
            before + 1,
            "one entry more"
        );
        // Newest first: the entry just sent, as sent.
        let newest = &body["progress"][0];
        assert_eq!(newest["id"], posted);
        assert_eq!(newest["status"], "done");
        assert_eq!(newest["note"], "Gửi bổ sung quý IV");
        assert_eq!(newest["occurrence"], "2023-12-14");
        assert!(newest["created_by"]
            .as_str()
            .unwrap()
            .starts_with("api-token#"));
        // The report with every submitted version.
        let r = api(&app, reqwest::Method::GET, &path, &token)
            .send()
            .await
            .unwrap();
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["submission"]["status"], "submitted");
        assert_eq!(body["versions"].as_array().unwrap().len(), 1);
        let r = api(
            &app,
            reqwest::Method::POST,
            &format!("/api/v1/ke-hoach/{plan}/nhiem-vu/{quarterly}/don-vi/{long_hoa}"),
            &token,
        )
        .json(&json!({"status": "done"}))
        .send()
        .await
        .unwrap();
        assert_eq!(r.status(), 403);
        let r = app.get(&anon, &format!("/api/v1/ke-hoach/{plan}")).await;
        let body: Value = r.json().await.unwrap();
        let an = body["tasks"][2]["units"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["unit_id"] == an_lap)
            .unwrap()
            .clone();
        assert_eq!(an["overdue"], false);
        assert_eq!(an["status"], "done");

        // Phòng Nội vụ accepts through the API with its session: the CSRF header is needed.
        let nv = app.sign_in("noivu").await;
        let decide = format!("{path}/xu-ly");
        let r = nv
            .post(app.at(&decide))
            .json(&json!({"step": "accept"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403, "a cookie session needs X-CSRF-Token");
        let session = Session::of(&app, nv.clone()).await;
        let r = session.post_json(&decide, &json!({"step": "accept"})).await;
        assert_eq!(r.status(), 200);
        let step = json!({"step": "return", "reason": "Thiếu số liệu"});
        let r = session.post_json(&decide, &step).await;
        assert_eq!(r.status(), 409, "accepted is final");
        let r = app
            .get(&nv, &format!("/api/v1/bao-cao/dot/{round}/tong-hop"))
            .await;
        let body: Value = r.json().await.unwrap();
        assert!(body["units"]
            .as_array()
            .unwrap()
            .iter()
            .any(|u| u["unit"] == "Xã An Lập"));
        // The first indicator's total over the accepted reports, An Lập's 9 included.
        let first = &body["totals"][0];
        assert_eq!(first["code"], "so_noi_dung_cong_khai");
        let matrix = danchu_db::reporting::consolidate(&app.db, round, false)
            .await
            .unwrap()
            .matrix;
        assert!(
            matrix.iter().any(|(u, cells)| u == "Xã An Lập"
                && cells[0] == Some(danchu_core::reporting::Value::Int(9))),
            "An Lập's answer is taken in"
        );
        let accepted: i64 = matrix
            .iter()
            .filter_map(|(_, cells)| match &cells[0] {
                Some(danchu_core::reporting::Value::Int(n)) => Some(*n),
                _ => None,
            })
            .sum();
        assert_eq!(
            first["shown"],
            danchu_core::text::format_number(accepted),
            "{first}"
        );
        assert_eq!(first["total"].as_f64(), Some(accepted as f64), "{first}");

        // Revoked: the token stops working at once.
        let id = danchu_db::api_tokens::list(&app.db, None).await.unwrap()[0].id;
        let r = app
            .post(
                &admin,
                "/quan-tri/khoa-api",
                &format!("/quan-tri/khoa-api/{id}/thu-hoi"),
                &[],
            )
            .await;
        assert_eq!(r.status(), 303);
        let r = api(&app, reqwest::Method::GET, "/api/v1/bao-cao/dot", &token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401);
    }
);
