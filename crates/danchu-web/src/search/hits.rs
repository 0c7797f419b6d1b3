//! The results shown for ranked index entries, from their source rows: each kind of
//! thing the index holds is a [`Kind`] arm, so a capability that adds a kind to the index
//! fails to compile here until its results can be shown.

pub use danchu_core::search::Kind;
use danchu_core::search::{snippet, Piece, Query as SearchQuery};

use super::run::Ranked;
use crate::error::AppResult;
use crate::AppState;

/// One result: an article, a document or a disclosure.
pub struct Hit {
    pub url: String,
    pub label: String,
    pub date: String,
    pub title: Vec<Piece>,
    pub snippet: Vec<Piece>,
}

/// The source rows of the ranked entries, one list per kind.
struct Sources {
    articles: Vec<danchu_db::portal::Article>,
    documents: Vec<danchu_db::documents::Document>,
    disclosures: Vec<danchu_db::disclosures::Disclosure>,
}

impl Sources {
    async fn load(state: &AppState, ranked: &[&Ranked]) -> AppResult<Sources> {
        let of_kind = |k: Kind| -> Vec<i64> {
            ranked
                .iter()
                .filter(|r| r.kind == k)
                .map(|r| r.ref_id)
                .collect()
        };
        let mut sources = Sources {
            articles: Vec::new(),
            documents: Vec::new(),
            disclosures: Vec::new(),
        };
        for kind in Kind::ALL {
            let ids = of_kind(kind);
            match kind {
                Kind::Article => {
                    sources.articles = danchu_db::portal::articles_by_ids(&state.db, &ids).await?
                }
                Kind::Document => {
                    sources.documents = danchu_db::documents::by_ids(&state.db, &ids).await?
                }
                Kind::Disclosure => {
                    sources.disclosures = danchu_db::disclosures::by_ids(&state.db, &ids).await?
                }
            }
        }
        Ok(sources)
    }
}

/// Turns ranked index entries into results to show, from their source rows.
pub(super) async fn render_hits(
    state: &AppState,
    query: &SearchQuery,
    ranked: &[&Ranked],
    categories: &[danchu_db::portal::Category],
) -> AppResult<Vec<Hit>> {
    let sources = Sources::load(state, ranked).await?;
    let mut hits = Vec::with_capacity(ranked.len());
    for c in ranked {
        let hit = match c.kind {
            Kind::Article => article_hit(c, &sources, query, categories),
            Kind::Document => document_hit(c, &sources, query),
            Kind::Disclosure => disclosure_hit(c, &sources, query),
        };
        hits.extend(hit);
    }
    Ok(hits)
}

fn article_hit(
    c: &Ranked,
    sources: &Sources,
    query: &SearchQuery,
    categories: &[danchu_db::portal::Category],
) -> Option<Hit> {
    let a = sources.articles.iter().find(|a| a.id == c.ref_id)?;
    let label = categories
        .iter()
        .find(|x| x.id == a.category_id)
        .map(|x| x.name.clone())
        .unwrap_or_default();
    Some(Hit {
        url: format!("/bai-viet/{}", a.slug),
        label,
        date: a
            .published_at
            .map(danchu_core::text::format_date_unix)
            .unwrap_or_default(),
        title: snippet(&a.title, query, 300),
        snippet: c.snippet(query, 220),
    })
}

fn document_hit(c: &Ranked, sources: &Sources, query: &SearchQuery) -> Option<Hit> {
    let d = sources.documents.iter().find(|d| d.id == c.ref_id)?;
    let title = format!(
        "{} số {}",
        danchu_core::documents::kind_name(&d.kind),
        d.number
    );
    // The summary, unless the words were found only in the body (signer, field, the text
    // of the files).
    let summary = snippet(&d.summary, query, 220);
    let text = if summary.iter().any(|p| p.hit) {
        summary
    } else {
        c.snippet(query, 220)
    };
    Some(Hit {
        url: format!("/van-ban/{}", d.id),
        label: format!("{} · {}", "Văn bản", d.issuer),
        date: danchu_core::text::format_date(d.issued_on),
        title: snippet(&title, query, 300),
        snippet: text,
    })
}

fn disclosure_hit(c: &Ranked, sources: &Sources, query: &SearchQuery) -> Option<Hit> {
    let d = sources.disclosures.iter().find(|d| d.id == c.ref_id)?;
    Some(Hit {
        url: format!("/cong-khai/{}", d.id),
        label: format!("Công khai · {}", d.unit_name),
        date: crate::layout::show_day(&d.posted_on),
        title: snippet(&d.title, query, 300),
        snippet: c.snippet(query, 220),
    })
}
