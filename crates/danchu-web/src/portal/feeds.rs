//! RSS 2.0 feeds (site and per category), sitemap.xml and robots.txt, with absolute links
//! from DANCHU_BASE_URL.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use danchu_db::portal::{Article, Category};

use crate::error::{AppError, AppResult};
use crate::public::feed::{rss_feed, xml, xml_response, FeedItem};
use crate::AppState;

fn rss(
    state: &AppState,
    title: &str,
    link: &str,
    self_url: &str,
    articles: &[Article],
    categories: &[Category],
) -> String {
    let base = &state.config.base_url;
    let items: Vec<FeedItem> = articles
        .iter()
        .map(|a| FeedItem {
            title: a.title.clone(),
            url: format!("{base}/bai-viet/{}", a.slug),
            published: a.published_at,
            category: categories
                .iter()
                .find(|c| c.id == a.category_id)
                .map(|c| c.name.clone())
                .unwrap_or_default(),
            description: a.summary.clone(),
        })
        .collect();
    rss_feed(title, link, self_url, &items)
}

pub async fn site_rss(State(state): State<AppState>) -> AppResult<Response> {
    let now = danchu_db::now_s();
    let articles = danchu_db::portal::published(&state.db, None, now, 30, 0).await?;
    let categories = danchu_db::portal::categories(&state.db).await?;
    let base = &state.config.base_url;
    let body = rss(
        &state,
        &state.site_name,
        &format!("{base}/"),
        &format!("{base}/rss.xml"),
        &articles,
        &categories,
    );
    Ok(xml_response("application/rss+xml; charset=utf-8", body))
}

pub async fn category_rss(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let c = danchu_db::portal::category_by_slug(&state.db, &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let now = danchu_db::now_s();
    let articles = danchu_db::portal::published(&state.db, Some(c.id), now, 30, 0).await?;
    let base = &state.config.base_url;
    let title = format!("{} — {}", c.name, state.site_name);
    let body = rss(
        &state,
        &title,
        &format!("{base}/tin-tuc/{}", c.slug),
        &format!("{base}/tin-tuc/{}/rss.xml", c.slug),
        &articles,
        std::slice::from_ref(&c),
    );
    Ok(xml_response("application/rss+xml; charset=utf-8", body))
}

pub async fn sitemap(State(state): State<AppState>) -> AppResult<Response> {
    let base = &state.config.base_url;
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    s.push_str(&format!(
        "<url><loc>{}/</loc></url>\n<url><loc>{}/tin-tuc</loc></url>\n",
        xml(base),
        xml(base)
    ));
    for c in danchu_db::portal::categories(&state.db).await? {
        s.push_str(&format!(
            "<url><loc>{}/tin-tuc/{}</loc></url>\n",
            xml(base),
            xml(&c.slug)
        ));
    }
    for (slug, updated) in danchu_db::portal::sitemap(&state.db, danchu_db::now_s()).await? {
        let lastmod = danchu_core::text::format_rfc3339(updated);
        s.push_str(&format!(
            "<url><loc>{}/bai-viet/{}</loc><lastmod>{}</lastmod></url>\n",
            xml(base),
            xml(&slug),
            lastmod
        ));
    }
    s.push_str("</urlset>\n");
    Ok(xml_response("application/xml; charset=utf-8", s))
}

pub async fn robots(State(state): State<AppState>) -> Response {
    let body = format!("User-agent: *\nDisallow: /quan-tri\nDisallow: /dang-nhap\nDisallow: /tuy-chon\nSitemap: {}/sitemap.xml\n", state.config.base_url);
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], body).into_response()
}
