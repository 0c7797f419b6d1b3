//! Feeds, the sitemap and robots.txt.

use crate::both;
use crate::harness::{Fixture, TestApp};

use super::SEED_SLUG;

both!(
    feeds_sitemap_robots,
    Fixture::units().with_portal(),
    |app: TestApp| async move {
        let c = app.client();
        let r = app.get(&c, "/rss.xml").await;
        assert!(r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/rss+xml"));
        let rss = r.text().await.unwrap();
        let doc = roxmltree::Document::parse(&rss).expect("well-formed RSS");
        let channel = doc
            .descendants()
            .find(|n| n.has_tag_name("channel"))
            .unwrap();
        let items: Vec<_> = channel
            .children()
            .filter(|n| n.has_tag_name("item"))
            .collect();
        assert_eq!(items.len(), 14);
        for item in &items {
            let link = item
                .children()
                .find(|n| n.has_tag_name("link"))
                .unwrap()
                .text()
                .unwrap();
            assert!(
                link.starts_with(&format!("{}/bai-viet/", app.url)),
                "absolute link {link}"
            );
            let date = item
                .children()
                .find(|n| n.has_tag_name("pubDate"))
                .unwrap()
                .text()
                .unwrap();
            assert!(date.ends_with("+0700"), "{date}");
        }
        let cat = app.page(&c, "/tin-tuc/dan-chu-o-co-so/rss.xml").await;
        let doc = roxmltree::Document::parse(&cat).expect("well-formed category RSS");
        // Exactly the category's published articles (the whole feed has 14).
        let own: i64 = app.int(danchu_db::q(
            "SELECT COUNT(*) AS n FROM articles a JOIN categories c ON c.id = a.category_id WHERE c.slug = 'dan-chu-o-co-so' AND a.status = 'published'",
        ), "n").await;
        assert!(own >= 5, "{own}");
        assert_eq!(
            doc.descendants().filter(|n| n.has_tag_name("item")).count() as i64,
            own
        );
        assert!(cat.contains(SEED_SLUG));
        assert!(
            !cat.contains("ho-dau-tieng-diem-den-du-lich-sinh-thai"),
            "not another category's article"
        );
        let sm = app.page(&c, "/sitemap.xml").await;
        let doc = roxmltree::Document::parse(&sm).expect("well-formed sitemap");
        assert!(doc.descendants().filter(|n| n.has_tag_name("loc")).count() >= 14 + 2 + 5);
        let robots = app.page(&c, "/robots.txt").await;
        assert!(
            robots.contains("Disallow: /quan-tri")
                && robots.contains(&format!("Sitemap: {}/sitemap.xml", app.url))
        );
    }
);
