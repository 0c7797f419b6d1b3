//! The public disclosure register (issue 7): `/cong-khai` with filters (unit, category,
//! year, "đang niêm yết"), `/cong-khai/{id}` with every version, the channels and their
//! dates, and the countdown of the minimum posting period (R10), and an RSS feed per
//! unit. Only disclosures posted on the portal channel are public; no account needed.

use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use danchu_core::disclosures::{Category, Channel, DuePeriod};
use danchu_db::disclosures::{ChannelUse, Disclosure, Version};
use danchu_db::media::Media;

use super::filter::PublicFilter;
use super::posting_state;
use crate::error::{AppError, AppResult};
use crate::layout::Ctx;
use crate::public::feed::{rss_feed, xml_response, FeedItem};
use crate::public::Chrome;
use crate::public::Reader;
use crate::AppState;

const PER_PAGE: i64 = 20;

#[derive(Template)]
#[template(path = "disclosures/disclosures.html")]
struct ListPage {
    ctx: Ctx,
    chrome: Chrome,
    items: Vec<Disclosure>,
    total: i64,
    f: PublicFilter,
    categories: Vec<(i64, Category)>,
    units: std::sync::Arc<Vec<(i64, String)>>,
    today: time::Date,
    pages: i64,
}

impl ListPage {
    fn category(&self, id: &i64) -> Option<&Category> {
        self.categories.iter().find(|c| c.0 == *id).map(|c| &c.1)
    }
    fn category_name(&self, id: &i64) -> String {
        self.category(id)
            .map(|c| format!("Mục {}: {}", c.item, c.name))
            .unwrap_or_default()
    }
    fn state(&self, d: &Disclosure) -> String {
        posting_state(d, self.category(&d.category_id), self.today)
    }
    fn period(&self, p: &str) -> String {
        DuePeriod::parse(p).map(|p| p.name_vi()).unwrap_or_default()
    }
    fn day(&self, d: &Option<time::Date>) -> String {
        crate::layout::show_day(d)
    }
    fn page_link(&self, n: &i64) -> String {
        format!("/cong-khai?{}", self.f.query(*n))
    }
    fn is_unit(&self, id: &i64) -> bool {
        self.f.unit == Some(*id)
    }
    fn is_category(&self, id: &i64) -> bool {
        self.f.category == Some(*id)
    }
    fn is_year(&self, y: &i32) -> bool {
        self.f.year == Some(*y)
    }
    fn is_page(&self, n: &i64) -> bool {
        self.f.page == *n
    }
    fn page_numbers(&self) -> Vec<i64> {
        (1..=self.pages.min(200)).collect()
    }
    fn years(&self) -> Vec<i32> {
        (2023..=self.today.year()).rev().collect()
    }
}

/// Units that have public disclosures, in Vietnamese order (kept a few seconds, so a
/// busy register does not scan its table on every page).
async fn units_with_disclosures(state: &AppState) -> AppResult<std::sync::Arc<Vec<(i64, String)>>> {
    if let Some(u) = state.disclosure_units.get(0) {
        return Ok(u);
    }
    let mut units = danchu_db::disclosures::units_with_public(&state.db).await?;
    units.sort_by_cached_key(|u| danchu_core::text::vn_sort_key(&u.1));
    let units = std::sync::Arc::new(units);
    state.disclosure_units.put(0, units.clone());
    Ok(units)
}

pub async fn list(
    Reader { state, ctx, visit }: Reader,
    RawQuery(raw): RawQuery,
) -> AppResult<Response> {
    let f = PublicFilter::read(raw.as_deref());
    let today = danchu_db::today_vn_date();
    let (total, items) = f.fetch(&state, today, PER_PAGE).await?;
    let page = ListPage {
        chrome: Chrome::load(&state).await?,
        categories: danchu_db::disclosures::categories(&state.db).await?,
        units: units_with_disclosures(&state).await?,
        pages: (total + PER_PAGE - 1) / PER_PAGE,
        ctx,
        items,
        total,
        f,
        today,
    };
    let html = page.render()?;
    Ok(crate::public::live_page(&state, visit, &html))
}

#[derive(Template)]
#[template(path = "disclosures/disclosure.html")]
struct DetailPage {
    ctx: Ctx,
    chrome: Chrome,
    d: Disclosure,
    category: Option<Category>,
    versions: Vec<Version>,
    channels: Vec<ChannelUse>,
    files: Vec<Media>,
    documents: Vec<danchu_db::documents::Document>,
    today: time::Date,
    /// Whether the commune has loudspeakers (R7 "nếu có").
    loudspeakers: bool,
}

impl DetailPage {
    fn state(&self) -> String {
        posting_state(&self.d, self.category.as_ref(), self.today)
    }
    fn day(&self, d: &Option<time::Date>) -> String {
        d.map_or_else(|| "—".into(), danchu_core::text::format_date)
    }
    fn on(&self, d: &time::Date) -> String {
        danchu_core::text::format_date(*d)
    }
    fn date(&self, d: &str) -> String {
        if d.is_empty() {
            "—".into()
        } else {
            crate::layout::show_date(d)
        }
    }
    fn when(&self, t: &i64) -> String {
        danchu_core::text::format_datetime(*t)
    }
    fn period(&self) -> String {
        DuePeriod::parse(&self.d.period)
            .map(|p| p.name_vi())
            .unwrap_or_default()
    }
    fn channel(&self, c: &Channel) -> &'static str {
        c.name_vi()
    }
    fn size(&self, m: &Media) -> String {
        crate::media::human_size(m.size)
    }
    /// R7: whether a required broadcast covered the minimum consecutive days.
    /// R7, in words: whether the broadcast the category requires covered its minimum
    /// consecutive days (the same rule as the compliance check).
    fn broadcast_note(&self) -> Option<String> {
        let c = self.category.as_ref()?;
        let min = c.broadcast_days;
        if min <= 0 || !c.channels.contains(&Channel::Broadcast) {
            return None;
        }
        if !self.loudspeakers {
            return Some(
                "Xã chưa có hệ thống truyền thanh: không bắt buộc phát thanh (Luật 10/2022, Điều 13)."
                    .into(),
            );
        }
        let used = danchu_db::disclosures::used_channels(&self.channels);
        let ok = danchu_core::disclosures::broadcast_run(&used) >= min;
        Some(if ok {
            format!("Đã phát trên hệ thống truyền thanh ít nhất {min} ngày liên tục.")
        } else {
            format!("Nội dung này phải phát trên hệ thống truyền thanh ít nhất {min} ngày liên tục; chưa ghi nhận đủ.")
        })
    }
}

pub async fn detail(
    Reader { state, ctx, visit }: Reader,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let d = danchu_db::disclosures::get(&mut state.db.clone(), id)
        .await?
        .filter(|d| d.public)
        .ok_or(AppError::NotFound)?;
    let page = DetailPage {
        chrome: Chrome::load(&state).await?,
        category: danchu_db::disclosures::category(&mut state.db.clone(), d.category_id).await?,
        versions: danchu_db::disclosures::versions(&state.db, id).await?,
        channels: danchu_db::disclosures::channels(&state.db, id).await?,
        files: danchu_db::disclosures::files(&state.db, id).await?,
        documents: danchu_db::disclosures::documents(&state.db, id).await?,
        today: danchu_db::today_vn_date(),
        loudspeakers: danchu_db::disclosures::has_loudspeakers(&state.db, d.unit_id).await?,
        ctx,
        d,
    };
    let html = page.render()?;
    Ok(crate::public::live_page(&state, visit, &html))
}

/// RSS of the register, for one unit with `?don_vi=`.
pub async fn rss(State(state): State<AppState>, RawQuery(raw): RawQuery) -> AppResult<Response> {
    let f = PublicFilter::read(raw.as_deref());
    let items =
        danchu_db::disclosures::list(&state.db, &f.db(), danchu_db::today_vn_date(), 30, 0).await?;
    let base = &state.config.base_url;
    let unit = items
        .first()
        .filter(|_| f.unit.is_some())
        .map(|d| format!(" — {}", d.unit_name))
        .unwrap_or_default();
    let feed: Vec<FeedItem> = items
        .iter()
        .map(|d| FeedItem {
            title: d.title.clone(),
            url: format!("{base}/cong-khai/{}", d.id),
            published: d
                .posted_on
                .and_then(|p| danchu_core::text::day_start_vn(&danchu_core::text::iso_date(p))),
            category: d.unit_name.clone(),
            description: format!("{} — {}", d.unit_name, d.title),
        })
        .collect();
    let query = f.unit.map(|u| format!("?don_vi={u}")).unwrap_or_default();
    let body = rss_feed(
        &format!("Công khai thông tin{unit} — {}", state.site_name),
        &format!("{base}/cong-khai{query}"),
        &format!("{base}/cong-khai/rss.xml{query}"),
        &feed,
    );
    Ok(xml_response("application/rss+xml; charset=utf-8", body))
}
