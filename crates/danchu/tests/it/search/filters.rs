//! Filters by kind and date, and the search API.

use crate::both;
use crate::harness::{Fixture, TestApp};

use super::add;

both!(
    search_filters_and_api,
    Fixture::demo(),
    |app: TestApp| async move {
        let c = app.client();
        // The results of the search page at `path`.
        let results = |path: &'static str| {
            let (app, c) = (&app, &c);
            async move {
                app.page(c, path)
                    .await
                    .split("<ol class=\"results\">")
                    .nth(1)
                    .map(|r| r.split("</ol>").next().unwrap_or("").to_string())
                    .unwrap_or_default()
            }
        };
        const MARCH: &str = "/tim-kiem?q=quy+che+dan+chu&tu=01/03/2023&den=31/03/2023";
        let docs = results("/tim-kiem?q=dan+chu&loai=van-ban").await;
        assert!(docs.contains("href=\"/van-ban/") && !docs.contains("href=\"/bai-viet/"));
        let arts = results("/tim-kiem?q=dan+chu&loai=bai-viet").await;
        assert!(arts.contains("href=\"/bai-viet/") && !arts.contains("href=\"/van-ban/"));
        // Date range: the seed (10/03/2023) is inside March 2023, outside 2024.
        let march = results(MARCH).await;
        assert!(march.contains(crate::portal::SEED_SLUG));
        // An article published after `den` matches the words but is left out.
        let recent = add(
            &app,
            "Quy chế dân chủ ở ấp Bàu Khai",
            "Bà con bàn quy chế dân chủ.",
        )
        .await;
        let since_march = results("/tim-kiem?q=quy+che+dan+chu&tu=01/03/2023").await;
        assert!(
            since_march.contains(&format!("href=\"/bai-viet/{recent}\"")),
            "found without an end date"
        );
        let march = results(MARCH).await;
        assert!(march.contains(crate::portal::SEED_SLUG));
        assert!(!march.contains(&recent), "published after den: left out");
        let later = app
            .page(&c, "/tim-kiem?q=quy+che+dan+chu&tu=01/01/2099")
            .await;
        assert!(later.contains("Không tìm thấy kết quả cho"));
        // The JSON API gives the same results.
        let v: serde_json::Value = app
            .get(&c, "/api/v1/tim-kiem?q=22%2Fkh-ubnd")
            .await
            .json()
            .await
            .unwrap();
        assert!(v["total"].as_u64().unwrap() >= 1);
        let first = &v["results"][0];
        assert!(first["url"]
            .as_str()
            .unwrap()
            .starts_with(&format!("{}/van-ban/", app.url)));
        assert!(first["title"].as_str().unwrap().contains("22/KH-UBND"));
        let v: serde_json::Value = c
            .get(app.at("/api/v1/tim-kiem?q=%FF%22NEAR("))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(v["total"], 0);
    }
);
