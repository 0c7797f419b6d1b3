//! Portal data: categories, articles, link lists, banners and visitor statistics.
//!
//! - `articles`: reading articles (lists, one article, neighbours, sitemap).
//! - `check`: an editor's save of an article checked once (core's rules, the category,
//!   the documents it cites).
//! - `editing`: writing articles with their links and search entry.
//! - `categories`, `links`, `banners`: what the portal shows around them.
//! - `counters`: visitor and view counts.

mod articles;
mod banners;
mod categories;
mod check;
mod counters;
mod editing;
mod links;

pub use articles::{
    all_articles, article_by_id, article_by_slug, articles_by_ids, became_visible, count_published,
    featured, neighbours, published, related, sitemap, Article, ARTICLE_STATUSES,
};
pub use banners::{add_banner, all_banners, banners, create_banner, delete_banner, Banner};
pub use categories::{
    add_category, categories, category_by_id, category_by_slug, create_category, update_category,
    Category,
};
pub use check::{check_article, save_checked, CheckedArticle};
pub use counters::{add_counts, insert_visit_day, set_visit_base, visit_stats, VisitStats};
pub use danchu_core::portal::BannerInput;
pub use editing::{
    create_article, index_all, insert_article, save_article, search_entry, update_article,
    ArticleInput, ArticleLinks,
};
pub use links::{
    add_link, add_link_group, create_link_group, delete_link, link_group_owner, link_groups,
    link_owner, Link, LinkGroup,
};
