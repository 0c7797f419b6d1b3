//! Every list the API returns comes a page at a time (issue 13, item 8): `?trang=N`, a
//! fixed page size, and `total`, `page`, `per_page` beside the list.

use serde_json::Value;

use super::{api, create_token};
use crate::both;
use crate::harness::{Fixture, TestApp};

/// Asserts `body` is page `page` of a list of `total` under `key`.
fn paged(body: &Value, key: &str, page: i64) -> usize {
    assert_eq!(body["page"], page, "{key}: {body}");
    let per_page = body["per_page"]
        .as_i64()
        .unwrap_or_else(|| panic!("{key}: per_page in {body}"));
    let total = body["total"]
        .as_i64()
        .unwrap_or_else(|| panic!("{key}: total in {body}"));
    let list = body
        .pointer(key)
        .and_then(Value::as_array)
        .unwrap_or_else(|| panic!("{key} in {body}"));
    assert!(list.len() as i64 <= per_page);
    let expected = (total - (page - 1) * per_page).clamp(0, per_page);
    assert_eq!(list.len() as i64, expected, "{key}: page {page} of {total}");
    list.len()
}

both!(
    every_api_list_is_paged,
    Fixture::demo(),
    |app: TestApp| async move {
        let nv = app.sign_in("noivu").await;
        let get = |path: String| {
            let (nv, url) = (nv.clone(), app.at(&path));
            async move {
                let r = nv.get(url).send().await.unwrap();
                assert_eq!(r.status(), 200, "{path}");
                r.json::<Value>().await.unwrap()
            }
        };
        let round = danchu_db::reporting::rounds(&app.db).await.unwrap()[0].id;
        for (path, key) in [
            ("/api/v1/ke-hoach".to_string(), "/plans"),
            ("/api/v1/bao-cao/mau".to_string(), "/templates"),
            ("/api/v1/bao-cao/dot".to_string(), "/rounds"),
            (format!("/api/v1/bao-cao/dot/{round}/tong-hop"), "/units"),
            ("/api/v1/cong-khai".to_string(), "/items"),
        ] {
            assert!(
                paged(&get(path.clone()).await, key, 1) > 0,
                "{path}: a first page"
            );
            let sep = if path.contains('?') { '&' } else { '?' };
            // The second page holds what the first did not (often nothing in the demo).
            paged(&get(format!("{path}{sep}trang=2")).await, key, 2);
        }
        // The compliance of the district's communes, by unit.
        let huyen = app.sign_in("quantri.huyen").await;
        for page in [1, 2] {
            let r = app
                .get(
                    &huyen,
                    &format!("/api/v1/cong-khai/tuan-thu?nam=2023&trang={page}"),
                )
                .await;
            paged(&r.json::<Value>().await.unwrap(), "/units", page);
        }
        // A round's units are its dashboard's pages.
        let body = get(format!("/api/v1/bao-cao/dot/{round}")).await;
        assert_eq!(paged(&body["dashboard"], "/units", 1), 14);
        assert_eq!(body["round"]["unit_count"], 14);
        let body = get(format!("/api/v1/bao-cao/dot/{round}?trang=99999999999")).await;
        assert_eq!(
            body["dashboard"]["page"], 100_000,
            "a huge page number is bounded"
        );
        // A unit's progress history (paged by its own handler).
        let an_lap = app.unit_id("25789").await;
        let plan = danchu_db::plans::list(&app.db).await.unwrap()[0].id;
        let task = danchu_db::plans::tasks(&app.db, plan).await.unwrap()[2].id;
        let body = get(format!(
            "/api/v1/ke-hoach/{plan}/nhiem-vu/{task}/don-vi/{an_lap}"
        ))
        .await;
        paged(&body, "/progress", 1);
        // With a unit's token: its rounds.
        let admin = app.sign_in("quantri.anlap").await;
        let token = create_token(&app, &admin, an_lap, "Phần mềm").await;
        let r = api(&app, reqwest::Method::GET, "/api/v1/bao-cao/dot", &token)
            .send()
            .await
            .unwrap();
        assert_eq!(paged(&r.json::<Value>().await.unwrap(), "/rounds", 1), 1);
    }
);
