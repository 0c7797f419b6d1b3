//! The portal: home, news, articles, print view, feeds, sitemap, the reader's display
//! choices ([`pages`], [`feeds`], [`prefs`]), and in the admin area the articles and the
//! portal's frame: categories, link lists, banners ([`admin`]).

pub mod admin;
pub mod feeds;
pub mod pages;
pub mod prefs;

use axum::routing::get;
use axum::Router;

use crate::AppState;

/// The portal's public pages and its admin pages.
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
        .merge(admin::router())
}
