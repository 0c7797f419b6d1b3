//! The register as open data through the API, and compliance for officials.

use crate::both;
use crate::harness::{Fixture, TestApp};

both!(
    api_serves_the_register_as_open_data_and_compliance_to_officials,
    Fixture::demo(),
    |app: TestApp| async move {
        let an_lap = app.unit_id("25789").await;
        let c = app.client();
        let json = |url: String| {
            let c = c.clone();
            async move {
                let r = c.get(url).send().await.unwrap();
                let status = r.status();
                (status, r.json::<serde_json::Value>().await.unwrap())
            }
        };
        let (s, list) = json(app.at(&format!("/api/v1/cong-khai?don_vi={an_lap}&nam=2023"))).await;
        assert_eq!(s, 200);
        let items = list["items"].as_array().unwrap();
        assert!(
            !items.is_empty()
                && items
                    .iter()
                    .all(|d| d["unit_id"] == an_lap && d["public"] == true)
        );
        assert_eq!(list["total"].as_i64().unwrap() as usize, items.len());
        let fees = items
            .iter()
            .find(|d| d["title"].as_str().unwrap().starts_with("Mức thu phí"))
            .unwrap();
        let (s, d) = json(app.at(&format!("/api/v1/cong-khai/{}", fees["id"]))).await;
        assert_eq!(s, 200);
        assert_eq!(d["versions"].as_array().unwrap().len(), 2, "both versions");
        assert!(
            d["versions"][0].get("created_by").is_none() && !d.to_string().contains("congkhai."),
            "no staff account in the open data"
        );
        assert_eq!(d["posting_days_remaining"], 0, "R10 period has run");
        let heads = d["channels"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["channel"] == "community_heads")
            .unwrap();
        assert_eq!(
            heads["heads_notified"].as_array().unwrap().len(),
            3,
            "R8 rows"
        );
        assert_eq!(heads["heads_notified"][1]["method"], "sms");
        let (s, cats) = json(app.at("/api/v1/cong-khai/danh-muc")).await;
        assert_eq!(s, 200);
        assert_eq!(cats["categories"].as_array().unwrap().len(), 14 + 8);
        // Not on the portal: not in the open data.
        let hidden = danchu_db::disclosures::create(
            &app.db,
            &danchu_db::audit::Actor("test".into()),
            &danchu_db::disclosures::NewDisclosure {
                unit_id: an_lap,
                category_id: cats["categories"][3]["id"].as_i64().unwrap(),
                title: "Bản nháp chưa đăng".into(),
                body: "<p>x</p>".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let (s, e) = json(app.at(&format!("/api/v1/cong-khai/{}", hidden.id))).await;
        assert_eq!(s, 404);
        assert!(e["error"].is_string());
        // Compliance: officials only, within their scope.
        let (s, _) = json(app.at("/api/v1/cong-khai/tuan-thu?nam=2023")).await;
        assert_eq!(s, 401);
        let huyen = app.sign_in("quantri.huyen").await;
        let get = |url: &str| {
            let (huyen, url) = (huyen.clone(), app.at(url));
            async move {
                let r = huyen.get(url).send().await.unwrap();
                assert_eq!(r.status(), 200);
                r.json::<serde_json::Value>().await.unwrap()
            }
        };
        let comp = get("/api/v1/cong-khai/tuan-thu?nam=2023").await;
        let units = comp["units"].as_array().unwrap();
        assert_eq!(units.len(), 12);
        let thanh_tuyen = units
            .iter()
            .find(|u| u["unit_name"] == "Xã Thanh Tuyền")
            .unwrap();
        assert_eq!(thanh_tuyen["missing"], 1, "quarter III");
        let long_tan = units
            .iter()
            .find(|u| u["unit_name"] == "Xã Long Tân")
            .unwrap();
        assert_eq!(
            (long_tan["missing"].as_i64(), long_tan["late"].as_i64()),
            (Some(0), Some(1))
        );
        assert!(comp["obligations"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["status"] == "missing" && o["period"] == "2023-Q3"));
        let agencies = get("/api/v1/cong-khai/tuan-thu?nam=2023&loai=co-quan").await;
        assert_eq!(agencies["scope"], "agency");
        assert_eq!(agencies["units"].as_array().unwrap().len(), 7);
        // An official of one commune sees only that commune.
        let anlap = app.sign_in("quantri.anlap").await;
        let r = app.get(&anlap, "/api/v1/cong-khai/tuan-thu?nam=2023").await;
        let own: serde_json::Value = r.json().await.unwrap();
        assert_eq!(own["units"].as_array().unwrap().len(), 1);
    }
);
