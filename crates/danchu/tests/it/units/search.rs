//! Finding units: search folds Vietnamese; a typed number finds its unit at every level.

use crate::both;
use crate::harness::{between, Fixture, TestApp};

use super::{import_ok, write_temp, OVERLAPPING_JSON};

both!(
    unit_search_folds_vietnamese,
    Fixture::units().with_users(&["xem"]),
    |app: TestApp| async move {
        let c = app.sign_in("xem").await;
        // The site's name ("… huyện Dầu Tiếng") is in every admin page's title and header:
        // only the results table counts, by the units' full names.
        let results = |page: &str| between(page, "<tbody>", "</tbody>").to_string();
        let dau_tieng = ["Thị trấn Dầu Tiếng", "Huyện Dầu Tiếng"];
        for q in [
            "dau tieng",
            "DẦU TIẾNG",
            "Da\u{0302}\u{0300}u Tie\u{0302}\u{0301}ng",
        ] {
            let page = app
                .page(&c, &format!("/quan-tri/don-vi?q={}", urlencode(q)))
                .await;
            let rows = results(&page);
            for name in dau_tieng {
                assert!(rows.contains(&format!(">{name}</a>")), "query {q}: {name}");
            }
            assert!(!rows.contains(">Xã Định An</a>"), "query {q}: only matches");
        }
        let rows = results(&app.page(&c, "/quan-tri/don-vi?q=dinh%20an").await);
        assert!(rows.contains(">Xã Định An</a>"), "dinh an");
        for name in dau_tieng {
            assert!(!rows.contains(name), "dinh an: not {name}");
        }
        let rows = results(&app.page(&c, "/quan-tri/don-vi?q=minh%20hoa").await);
        assert!(rows.contains(">Xã Minh Hòa</a>"));
    }
);

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

both!(
    a_typed_number_finds_its_unit_at_every_level,
    Fixture::units().with_users(&["xem"]),
    |app: TestApp| async move {
        let file = write_temp("units.json", OVERLAPPING_JSON);
        import_ok(&app, &file);
        let c = app.sign_in("xem").await;
        let page = app.page(&c, "/quan-tri/don-vi?q=4").await;
        for name in ["Tỉnh Cao Bằng", "Quận Long Biên", "Phường Ba Đình"] {
            assert!(page.contains(name), "{name} found by its number");
        }
        let _ = std::fs::remove_dir_all(file.parent().unwrap());
    }
);
