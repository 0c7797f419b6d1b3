//! The public portal: home, news, articles, print view, feeds, sitemap, display choices.

pub mod cache;
pub mod counters;
pub mod disclosures;
pub mod documents;
pub mod feeds;
pub mod pages;
pub mod plans;
pub mod prefs;
pub mod search;

use axum::routing::get;
use axum::Router;

use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(pages::home))
        .route("/tin-tuc", get(pages::news))
        .route("/tin-tuc/{category}", get(pages::category))
        .route("/tin-tuc/{category}/rss.xml", get(feeds::category_rss))
        .route("/bai-viet/{slug}", get(pages::article))
        .route("/bai-viet/{slug}/in", get(pages::print))
        .route("/rss.xml", get(feeds::site_rss))
        .route("/sitemap.xml", get(feeds::sitemap))
        .route("/robots.txt", get(feeds::robots))
        .route("/tuy-chon", get(prefs::toggle))
        .route("/tim-kiem", get(search::search))
        .route("/cong-khai", get(disclosures::list))
        .route("/cong-khai/rss.xml", get(disclosures::rss))
        .route("/cong-khai/{id}", get(disclosures::detail))
        .route("/ke-hoach", get(plans::list))
        .route("/ke-hoach/{id}", get(plans::detail))
        .route("/van-ban", get(documents::list))
        .route("/van-ban/{id}", get(documents::detail))
        .route("/van-ban/{id}/tai/{media}", get(documents::download))
}
