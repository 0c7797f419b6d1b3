//! Every Vietnamese matching rule; hostile queries get a normal page.

use unicode_normalization::UnicodeNormalization;

use crate::both;
use crate::harness::{between, Fixture, TestApp};

use super::{add, articles, first, first_of};

both!(
    vietnamese_search_rules,
    Fixture::demo(),
    |app: TestApp| async move {
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
        let url =
            reqwest::Url::parse_with_params(&app.at("/tim-kiem"), &[("q", "dau tieng")]).unwrap();
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
    }
);

both!(
    hostile_queries_get_a_normal_page,
    Fixture::units().with_portal(),
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
            let r = app.get(&c, raw).await;
            assert_eq!(r.status(), 200, "{raw}");
        }
        assert_eq!(articles(&app).await, before, "articles intact");
    }
);
