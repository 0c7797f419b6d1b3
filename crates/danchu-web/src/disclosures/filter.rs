//! The public register's filters (unit, category, year, "đang niêm yết", page), read
//! leniently from the query string by the page `/cong-khai`, its RSS feed and the API.

use danchu_db::disclosures::{Disclosure, Filter};

use crate::error::AppResult;
use crate::AppState;

/// The public filters, read leniently from the query string.
pub struct PublicFilter {
    pub unit: Option<i64>,
    pub category: Option<i64>,
    pub year: Option<i32>,
    pub current: bool,
    pub page: i64,
}

impl PublicFilter {
    pub fn read(raw: Option<&str>) -> PublicFilter {
        let p = |name: &str| crate::form::lenient_param(raw, name);
        PublicFilter {
            unit: p("don_vi").parse().ok(),
            category: p("danh_muc").parse().ok(),
            year: p("nam").parse().ok().filter(|y| (1990..=2200).contains(y)),
            current: p("dang_niem_yet") == "1",
            // Bounded: a huge page number must not overflow the offset.
            page: p("trang")
                .parse()
                .ok()
                .filter(|n| *n >= 1)
                .unwrap_or(1)
                .min(10_000),
        }
    }

    /// How many match (up to the cap) and the disclosures of this page.
    pub async fn fetch(
        &self,
        state: &AppState,
        today: time::Date,
        per_page: i64,
    ) -> AppResult<(i64, Vec<Disclosure>)> {
        let filter = self.db();
        let total = danchu_db::disclosures::count(&state.db, &filter, today).await?;
        let items = danchu_db::disclosures::list(
            &state.db,
            &filter,
            today,
            per_page,
            (self.page - 1) * per_page,
        )
        .await?;
        Ok((total, items))
    }

    pub fn db(&self) -> Filter {
        Filter {
            unit_id: self.unit,
            category_id: self.category,
            year: self.year,
            current: self.current,
            public_only: true,
            units: None,
        }
    }

    /// The query string of this filter on another page.
    pub fn query(&self, page: i64) -> String {
        let mut q = Vec::new();
        if let Some(u) = self.unit {
            q.push(format!("don_vi={u}"));
        }
        if let Some(c) = self.category {
            q.push(format!("danh_muc={c}"));
        }
        if let Some(y) = self.year {
            q.push(format!("nam={y}"));
        }
        if self.current {
            q.push("dang_niem_yet=1".into());
        }
        q.push(format!("trang={page}"));
        q.join("&amp;")
    }
}
