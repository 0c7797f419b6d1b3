//! Phòng Nội vụ runs templates, rounds and plans through the API.

use serde_json::{json, Value};

use crate::both;
use crate::harness::{Fixture, TestApp};

use super::Session;

both!(
    noi_vu_runs_templates_rounds_and_plans_through_the_api,
    Fixture::units().with_plans().with_users(&["noivu"]),
    |app: TestApp| async move {
        let nv = Session::sign_in(&app, "noivu").await;
        let office = app.unit_id("721-NV").await;
        let an_lap = app.unit_id("25789").await;
        let body = json!({"sections": [{"title": "I", "indicators": [
            {"code": "so_hop", "label": "Số cuộc họp", "kind": {"type": "integer"}, "unit": "cuộc", "required": true, "aggregation": "sum"},
            {"code": "ds", "label": "Danh sách", "kind": {"type": "table", "columns": [
                {"code": "ten", "label": "Tên", "kind": {"type": "text"}, "required": true}]}, "aggregation": "list_rows"}
        ]}], "rules": [{"left": "so_hop", "op": "<=", "right": "khong_co"}]});
        let r = nv
            .post_json(
                "/api/v1/bao-cao/mau",
                &json!({"unit_id": office, "name": "Mẫu thử", "body": body}),
            )
            .await;
        assert_eq!(r.status(), 422, "a rule naming an unknown indicator");
        let mut good = body.clone();
        good["rules"] = json!([]);
        let r = nv
            .post_json(
                "/api/v1/bao-cao/mau",
                &json!({"unit_id": office, "name": "Mẫu thử", "body": good}),
            )
            .await;
        assert_eq!(r.status(), 201);
        let t: Value = r.json().await.unwrap();
        let family = t["template"]["family_id"].as_i64().unwrap();
        let r = nv
            .post_json(
                &format!("/api/v1/bao-cao/mau/{family}/phien-ban"),
                &json!({"name": "Mẫu thử (sửa)", "body": good}),
            )
            .await;
        assert_eq!(r.status(), 201);
        let v2: Value = r.json().await.unwrap();
        assert_eq!(v2["template"]["version"], 2);
        // A round: errors per field, then a good one.
        let r = nv
            .post_json(
                "/api/v1/bao-cao/dot",
                &json!({"template_id": "", "title": "", "deadline": "31/13/2024"}),
            )
            .await;
        assert_eq!(r.status(), 422);
        let e: Value = r.json().await.unwrap();
        let fields: Vec<&str> = e["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["field"].as_str().unwrap())
            .collect();
        for f in ["template_id", "title", "deadline", "units"] {
            assert!(fields.contains(&f), "{f} reported");
        }
        let r = nv.post_json(
"/api/v1/bao-cao/dot",
&json!({"template_id": v2["template"]["id"].as_i64().unwrap().to_string(), "title": "Quý I/2024",
                   "period": "2024-Q1", "deadline": "20/03/2024", "units": [an_lap]}),
).await;
        assert_eq!(r.status(), 201);
        let round: Value = r.json().await.unwrap();
        assert_eq!(
            round["round"]["cutoff_from"], "2023-12-15",
            "R30 default cut-off"
        );
        // Plans: a task through the API, with errors first.
        let plan = danchu_db::plans::list(&app.db).await.unwrap()[0].id;
        let r = nv
            .post_json(
                &format!("/api/v1/ke-hoach/{plan}/nhiem-vu"),
                &json!({"content": "", "due_on": "x"}),
            )
            .await;
        assert_eq!(r.status(), 422);
        let r = nv.post_json(
&format!("/api/v1/ke-hoach/{plan}/nhiem-vu"),
&json!({"content": "Niêm yết công khai dự toán", "lead_unit_id": an_lap, "due_on": "15/01/2099"}),
).await;
        assert_eq!(r.status(), 201);
        let task: Value = r.json().await.unwrap();
        let id = task["task"]["id"].as_i64().unwrap();
        // The public plan lists the task, then not once it is removed.
        let task_ids = || async {
            let r = reqwest::Client::new()
                .get(app.at(&format!("/api/v1/ke-hoach/{plan}")))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200);
            let body: Value = r.json().await.unwrap();
            body["tasks"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t["task"]["id"].as_i64().unwrap())
                .collect::<Vec<i64>>()
        };
        let listed = task_ids().await;
        assert!(listed.contains(&id), "{listed:?}");
        let r = nv
            .request(
                reqwest::Method::DELETE,
                &format!("/api/v1/ke-hoach/{plan}/nhiem-vu/{id}"),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 204);
        let left = task_ids().await;
        assert!(!left.contains(&id), "removed: {left:?}");
        assert_eq!(left.len() + 1, listed.len(), "only that task");
        assert!(danchu_db::plans::tasks(&app.db, plan)
            .await
            .unwrap()
            .iter()
            .all(|t| t.id != id));
    }
);
