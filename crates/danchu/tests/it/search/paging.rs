//! Search results by page, `?trang=N` (issue 13, item 12): pages over the ranked window
//! (up to 200 matches, ADR 0002), 20 a page, in the page and in the JSON API.

use std::collections::HashSet;

use crate::both;
use crate::harness::{Fixture, TestApp};

/// How many articles the paging tests add: two full pages and seven on the third.
const ADDED: usize = 47;

/// The search that finds what [`add_many`] adds.
const QUERY: &str = "/tim-kiem?q=zeta+phan+trang";

/// [`QUERY`]'s page `n` (as typed in the URL).
fn page_n(n: impl std::fmt::Display) -> String {
    format!("{QUERY}&trang={n}")
}

/// Adds [`ADDED`] articles that only `zêta phân trang` finds (the demo has none); a
/// visitor's client to look at them.
async fn add_many(app: &TestApp) -> reqwest::Client {
    for n in 1..=ADDED {
        super::add(
            app,
            &format!("Bản tin phân trang Zêta số {n}"),
            &format!("Nội dung tin Zêta thứ {n}."),
        )
        .await;
    }
    app.client()
}

/// The result addresses of a search page, in order.
fn results(page: &str) -> Vec<String> {
    page.split("<ol class=\"results\"")
        .nth(1)
        .and_then(|r| r.split("</ol>").next())
        .unwrap_or_default()
        .split("<h2><a href=\"")
        .skip(1)
        .filter_map(|r| r.split('"').next())
        .map(str::to_string)
        .collect()
}

/// The `href` of the pager's link with this `rel`, HTML-unescaped.
fn pager_link(page: &str, rel: &str) -> Option<String> {
    let nav = page
        .split("<nav class=\"pager\"")
        .nth(1)?
        .split("</nav>")
        .next()?;
    let (before, _) = nav.split_once(&format!("rel=\"{rel}\""))?;
    let href = before.rsplit("href=\"").next()?.split('"').next()?;
    Some(href.replace("&amp;", "&").replace("&#38;", "&"))
}

both!(
    search_pages_are_disjoint_and_cover_every_result,
    Fixture::units().with_portal(),
    |app: TestApp| async move {
        let c = add_many(&app).await;
        let mut seen = HashSet::new();
        for (n, expected) in [(1, 20), (2, 20), (3, ADDED - 40)] {
            let page = app.page(&c, &page_n(n)).await;
            let found = results(&page);
            assert_eq!(found.len(), expected, "page {n}");
            for r in found {
                assert!(seen.insert(r.clone()), "{r} shown on two pages");
            }
            assert!(
                page.contains(&format!("Số kết quả: {ADDED}")),
                "page {n} says how many"
            );
            assert!(page.contains(&format!("Trang {n}/3")), "page {n} of 3");
        }
        assert_eq!(seen.len(), ADDED, "every result is on some page");
        // Page 1 is also the page without `trang`.
        let first = app.page(&c, QUERY).await;
        let one = app.page(&c, &page_n(1)).await;
        assert_eq!(results(&first), results(&one));
        assert!(first.contains("Đang xem 1–20"), "the range shown");
        let last = app.page(&c, &page_n(3)).await;
        assert!(last.contains(&format!("Đang xem 41–{ADDED}")));
    }
);

both!(
    search_page_past_the_end_shows_the_last_page,
    Fixture::units().with_portal(),
    |app: TestApp| async move {
        let c = add_many(&app).await;
        let last = results(&app.page(&c, &page_n(3)).await);
        let past = app.page(&c, &page_n(9)).await;
        assert_eq!(results(&past), last, "page 9 of 3 shows page 3");
        assert!(past.contains("Trang 3/3"));
        assert!(
            pager_link(&past, "next").is_none(),
            "nothing after the last page"
        );
        let prev = pager_link(&past, "prev").expect("a link back");
        assert!(prev.ends_with("&trang=2"), "{prev}");
    }
);

both!(
    search_hostile_page_numbers_get_a_normal_page,
    Fixture::units().with_portal(),
    |app: TestApp| async move {
        let c = add_many(&app).await;
        let first = results(&app.page(&c, QUERY).await);
        let last = results(&app.page(&c, &page_n(3)).await);
        assert_ne!(first, last, "the list has pages");
        for (trang, shows) in [
            ("-1", &first),
            ("0", &first),
            ("abc", &first),
            ("", &first),
            ("1e3", &first),
            ("%FF%00", &first),
            ("2.5", &first),
            ("99999999999999999999", &last),
            ("9223372036854775807", &last),
        ] {
            let r = app.get(&c, &page_n(trang)).await;
            assert_eq!(r.status(), 200, "trang={trang}");
            assert_eq!(&results(&r.text().await.unwrap()), shows, "trang={trang}");
        }
        for (trang, shows) in [("-1", 1), ("abc", 1), ("99999999999999999999", 3)] {
            let r = app.get(&c, &format!("/api/v1{}", page_n(trang))).await;
            assert_eq!(r.status(), 200, "API trang={trang}");
            let v: serde_json::Value = r.json().await.unwrap();
            assert_eq!(v["total"], ADDED, "API trang={trang}");
            assert_eq!(v["page"], shows, "API trang={trang}");
        }
    }
);

both!(
    search_page_links_keep_the_query,
    Fixture::units().with_portal(),
    |app: TestApp| async move {
        let c = add_many(&app).await;
        let query = "/tim-kiem?q=z%C3%AAta+ph%C3%A2n+trang&loai=bai-viet&tu=01%2F01%2F2000&den=31%2F12%2F2099";
        let page = app.page(&c, query).await;
        let next = pager_link(&page, "next").expect("a next page");
        assert_eq!(
            next,
            format!("{query}&trang=2"),
            "every filter, URL-encoded"
        );
        let second = app.page(&c, &next).await;
        let prev = pager_link(&second, "prev").expect("a previous page");
        assert_eq!(prev, format!("{query}&trang=1"));
        assert_eq!(results(&second).len(), 20);
        assert!(
            second.contains("value=\"zêta phân trang\"") && second.contains("value=\"01/01/2000\""),
            "the form still holds the query"
        );
        // A date range that excludes everything added has no pages to link.
        let none = app
            .page(&c, &format!("{QUERY}&tu=01%2F01%2F2000&den=31%2F12%2F2000"))
            .await;
        assert!(!none.contains("class=\"pager\""));
    }
);

both!(
    search_api_pages,
    Fixture::units().with_portal(),
    |app: TestApp| async move {
        let c = add_many(&app).await;
        let get = |n: i64| {
            let c = c.clone();
            let url = app.at(&format!("/api/v1{}", page_n(n)));
            async move {
                c.get(url)
                    .send()
                    .await
                    .unwrap()
                    .json::<serde_json::Value>()
                    .await
                    .unwrap()
            }
        };
        let urls = |v: &serde_json::Value| -> Vec<String> {
            v["results"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|r| r["url"].as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default()
        };
        let one = get(1).await;
        let two = get(2).await;
        let three = get(3).await;
        assert_eq!(
            (one["page"].as_i64(), one["per_page"].as_i64()),
            (Some(1), Some(20))
        );
        assert_eq!(
            (one["total"].as_u64(), one["pages"].as_i64()),
            (Some(ADDED as u64), Some(3))
        );
        assert_eq!(two["page"], 2);
        let mut all: Vec<String> = [&one, &two, &three].iter().flat_map(|v| urls(v)).collect();
        assert_eq!(urls(&three).len(), ADDED - 40);
        all.sort();
        all.dedup();
        assert_eq!(
            all.len(),
            ADDED,
            "pages are disjoint and cover every result"
        );
        let past = get(7).await;
        assert_eq!(past["page"], 3, "past the end: the last page");
        assert_eq!(urls(&past), urls(&three));
    }
);
