//! Site search over both databases: every Vietnamese matching rule, hostile queries.

use unicode_normalization::UnicodeNormalization;

use crate::both;
use crate::harness::{between, TestApp};

mod paging;

/// Publishes an article of the district (a minute ago); returns its slug.
pub(crate) async fn add(app: &TestApp, title: &str, body: &str) -> String {
    let district = app.unit_id("721").await;
    let cat = danchu_db::portal::category_by_slug(&app.db, "tin-hoat-dong")
        .await
        .unwrap()
        .unwrap();
    let input = danchu_db::portal::ArticleInput {
        unit_id: district,
        category_id: cat.id,
        title: title.into(),
        summary: String::new(),
        body: format!("<p>{body}</p>"),
        author: String::new(),
        status: "published".into(),
        featured: false,
        published_at: Some(danchu_db::now_s() - 60),
    };
    danchu_db::portal::create_article(&app.db, &danchu_db::audit::Actor("test".into()), &input)
        .await
        .unwrap()
        .slug
}

/// The slug of the first result for a query (None when nothing is found).
async fn first(app: &TestApp, c: &reqwest::Client, q: &str) -> Option<String> {
    first_of(app, c, q, false).await
}

/// The first result's address; `disclosures` false skips the demo's disclosure register
/// (many entries name the same communes; the register's own search is tested in
/// disclosures.rs).
async fn first_of(
    app: &TestApp,
    c: &reqwest::Client,
    q: &str,
    disclosures: bool,
) -> Option<String> {
    let url = reqwest::Url::parse_with_params(&app.at("/tim-kiem"), &[("q", q)]).unwrap();
    let r = c.get(url).send().await.unwrap();
    assert_eq!(r.status(), 200, "{q}");
    let page = r.text().await.unwrap();
    let results = page.split("<ol class=\"results\">").nth(1)?;
    results
        .split("href=\"/")
        .skip(1)
        .filter_map(|r| r.split('"').next())
        .find(|href| disclosures || !href.starts_with("cong-khai/"))
        .map(|href| href.strip_prefix("bai-viet/").unwrap_or(href).to_string())
}

both!(vietnamese_search_rules, |app: TestApp| async move {
    add(&app, "Lễ hội hoa xuân", "Hội hoa xuân ở công viên.").await;
    add(
        &app,
        "Xã Long Hòa làm đường",
        "Bà con xã Long Hòa góp công làm đường.",
    )
    .await;
    add(
        &app,
        "Thủy lợi phục vụ tưới tiêu",
        "Kênh thủy lợi được nạo vét.",
    )
    .await;
    add(&app, "Người cao tuổi khoẻ mạnh", "Câu lạc bộ dưỡng sinh.").await;
    let c = app.client();
    let seed = crate::portal::SEED_SLUG;
    let nfd: String = "Xã Long Hòa".nfd().collect();
    let plan = format!(
        "van-ban/{}",
        danchu_db::documents::by_number(&app.db, "22/KH-UBND")
            .await
            .unwrap()[0]
            .id
    );
    let table: Vec<(&str, Option<&str>)> = vec![
        ("22/KH-UBND", Some(plan.as_str())),
        ("22/kh-ubnd", Some(plan.as_str())),
        ("10/2022/qh15", Some("van-ban/1")),
        // A part of the number with words of the title: the plan first.
        ("ke hoach 22", Some(plan.as_str())),
        ("hoa", Some("le-hoi-hoa-xuan")),
        ("hòa", Some("xa-long-hoa-lam-duong")),
        ("hoà", Some("xa-long-hoa-lam-duong")),
        ("HÒA", Some("xa-long-hoa-lam-duong")),
        (&nfd, Some("xa-long-hoa-lam-duong")),
        ("long hoa lam duong", Some("xa-long-hoa-lam-duong")),
        ("thuỷ lợi", Some("thuy-loi-phuc-vu-tuoi-tieu")),
        ("thuy loi", Some("thuy-loi-phuc-vu-tuoi-tieu")),
        ("khỏe mạnh", Some("nguoi-cao-tuoi-khoe-manh")),
        (
            "dinh hiep",
            Some("ra-mat-ban-thanh-tra-nhan-dan-xa-dinh-hiep"),
        ),
        (
            "ĐỊNH HIỆP",
            Some("ra-mat-ban-thanh-tra-nhan-dan-xa-dinh-hiep"),
        ),
        // The plan itself is titled so; the seed article cites it in its text.
        ("\"ke hoach so 22/kh-ubnd\"", Some(plan.as_str())),
        ("\"nghi quyet trung uong 4\"", Some(seed)),
        ("\"trung uong nghi quyet 4\"", None),
        ("\"ubnd 22/kh\"", None),
        ("xyzw không có", None),
    ];
    for (q, expected) in table {
        assert_eq!(first(&app, &c, q).await.as_deref(), expected, "query {q:?}");
    }
    // Among everything, disclosures included: the plan's own document leads for a part of
    // its number, before the disclosure titled "Kết quả thực hiện Kế hoạch số 22/KH-UBND"
    // (a title that begins with what was searched is about it).
    assert_eq!(
        first_of(&app, &c, "ke hoach 22", true).await.as_deref(),
        Some(plan.as_str())
    );
    // Snippets keep diacritics and mark the words.
    let url = reqwest::Url::parse_with_params(&app.at("/tim-kiem"), &[("q", "dau tieng")]).unwrap();
    let page = c.get(url).send().await.unwrap().text().await.unwrap();
    assert!(
        page.contains("<mark>Dầu</mark> <mark>Tiếng</mark>"),
        "highlighted with diacritics"
    );
    // Nothing found: a helpful page.
    let url = reqwest::Url::parse_with_params(&app.at("/tim-kiem"), &[("q", "xyzw")]).unwrap();
    let page = c.get(url).send().await.unwrap().text().await.unwrap();
    // In the no-results section itself (the site's search box suggests "gõ không dấu" on
    // every page, and the menu links every category).
    let help = between(&page, "<section class=\"no-results\"", "</section>");
    assert!(help.contains("Không tìm thấy kết quả cho"));
    assert!(
        help.contains("<li>") && help.contains("gõ không dấu"),
        "{help}"
    );
    assert!(
        help.contains("<a href=\"/tin-tuc/dan-chu-o-co-so\">"),
        "{help}"
    );
    // The search box is on every portal page.
    assert!(app.page(&c, "/").await.contains("action=\"/tim-kiem\""));
});

/// How many articles there are (the table a hostile query tries to drop).
async fn articles(app: &TestApp) -> i64 {
    app.db
        .fetch_optional(danchu_db::q("SELECT COUNT(*) AS n FROM articles"))
        .await
        .unwrap()
        .unwrap()
        .get("n")
        .unwrap()
}

both!(
    hostile_queries_get_a_normal_page,
    |app: TestApp| async move {
        let c = app.client();
        let before = articles(&app).await;
        assert!(before > 10, "{before}");
        let long = "dân chủ ".repeat(400);
        for q in [
            long.as_str(),
            "!!!",
            "\" * : ( ) - NEAR AND OR",
            "'; DROP TABLE articles; --",
            "%_%",
            "\\",
            "(((",
            "\"",
            "a*",
            "NEAR(dan chu)",
        ] {
            let url = reqwest::Url::parse_with_params(&app.at("/tim-kiem"), &[("q", q)]).unwrap();
            let r = c.get(url).send().await.unwrap();
            assert_eq!(r.status(), 200, "{q:.40}");
        }
        for raw in [
            "/tim-kiem?q=%FF%FE",
            "/tim-kiem?q=%ZZ",
            "/tim-kiem?q=a%00b",
            "/tim-kiem?q=",
        ] {
            let r = c.get(app.at(raw)).send().await.unwrap();
            assert_eq!(r.status(), 200, "{raw}");
        }
        assert_eq!(articles(&app).await, before, "articles intact");
    }
);

both!(search_filters_and_api, |app: TestApp| async move {
    let c = app.client();
    let results = |page: String| {
        page.split("<ol class=\"results\">")
            .nth(1)
            .map(|r| r.split("</ol>").next().unwrap_or("").to_string())
            .unwrap_or_default()
    };
    let docs = results(app.page(&c, "/tim-kiem?q=dan+chu&loai=van-ban").await);
    assert!(docs.contains("href=\"/van-ban/") && !docs.contains("href=\"/bai-viet/"));
    let arts = results(app.page(&c, "/tim-kiem?q=dan+chu&loai=bai-viet").await);
    assert!(arts.contains("href=\"/bai-viet/") && !arts.contains("href=\"/van-ban/"));
    // Date range: the seed (10/03/2023) is inside March 2023, outside 2024.
    let march = results(
        app.page(
            &c,
            "/tim-kiem?q=quy+che+dan+chu&tu=01/03/2023&den=31/03/2023",
        )
        .await,
    );
    assert!(march.contains(crate::portal::SEED_SLUG));
    // An article published after `den` matches the words but is left out.
    let recent = add(
        &app,
        "Quy chế dân chủ ở ấp Bàu Khai",
        "Bà con bàn quy chế dân chủ.",
    )
    .await;
    let since_march = results(
        app.page(&c, "/tim-kiem?q=quy+che+dan+chu&tu=01/03/2023")
            .await,
    );
    assert!(
        since_march.contains(&format!("href=\"/bai-viet/{recent}\"")),
        "found without an end date"
    );
    let march = results(
        app.page(
            &c,
            "/tim-kiem?q=quy+che+dan+chu&tu=01/03/2023&den=31/03/2023",
        )
        .await,
    );
    assert!(march.contains(crate::portal::SEED_SLUG));
    assert!(!march.contains(&recent), "published after den: left out");
    let later = app
        .page(&c, "/tim-kiem?q=quy+che+dan+chu&tu=01/01/2099")
        .await;
    assert!(later.contains("Không tìm thấy kết quả cho"));
    // The JSON API gives the same results.
    let v: serde_json::Value = c
        .get(app.at("/api/v1/tim-kiem?q=22%2Fkh-ubnd"))
        .send()
        .await
        .unwrap()
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
});
