//! An editor's save of an article, checked once: the body sanitised, the fields by core's
//! rules, the category against the list, the cited documents against the library. Only a
//! checked save is written (see [`save_checked`]).

use danchu_core::portal::{article_refusals, ArticleInput};

use super::categories::categories;
use super::editing::{save_article, ArticleLinks};
use super::Article;
use crate::audit::Actor;
use crate::exec::{Db, DbError, Result};

/// A save that passed [`check_article`]: the input and the ids of the documents it cites.
#[derive(Debug, Clone)]
pub struct CheckedArticle {
    input: ArticleInput,
    documents: Vec<i64>,
}

impl CheckedArticle {
    /// The unit the article is saved in (the editor needs rights there).
    pub fn unit_id(&self) -> i64 {
        self.input.unit_id
    }
}

/// Checks a save of article `id` (`None`: a new one) citing the documents numbered in
/// `documents` ("22/KH-UBND, 10/2022/QH15"). `unreadable` are the fields the form could
/// not even parse; they are refused together with everything else, each field once. An
/// article published without a time is published now.
pub async fn check_article(
    db: &Db,
    id: Option<i64>,
    mut input: ArticleInput,
    documents: &str,
    unreadable: Vec<(&'static str, String)>,
) -> Result<CheckedArticle> {
    input.body = danchu_core::html::sanitize(&input.body);
    input.title = danchu_core::text::clean_line(&input.title);
    let mut refused = unreadable;
    let mut refuse = |field: &'static str, message: String| {
        if !refused.iter().any(|(f, _)| *f == field) {
            refused.push((field, message));
        }
    };
    for (field, message) in article_refusals(&input) {
        refuse(field, message);
    }
    if !categories(db)
        .await?
        .iter()
        .any(|c| c.id == input.category_id)
    {
        refuse("category_id", "Hãy chọn chuyên mục.".into());
    }
    let cited: Vec<i64> = match id {
        Some(id) => crate::documents::of_article(db, id)
            .await?
            .iter()
            .map(|d| d.id)
            .collect(),
        None => Vec::new(),
    };
    let (documents, missing) = crate::documents::named_in_field(db, documents, &cited).await?;
    refused.extend(missing.into_iter().map(|m| ("documents", m)));
    if !refused.is_empty() {
        return Err(DbError::Refused(refused));
    }
    if input.status == "published" && input.published_at.is_none() {
        input.published_at = Some(crate::now_s());
    }
    Ok(CheckedArticle { input, documents })
}

/// Writes a checked save in one transaction: the article, its attachments (in order) and
/// the documents it cites (all audited).
pub async fn save_checked(
    db: &Db,
    actor: &Actor,
    id: Option<i64>,
    c: &CheckedArticle,
    attachments: Vec<i64>,
) -> Result<Article> {
    let links = ArticleLinks {
        attachments,
        documents: c.documents.clone(),
    };
    save_article(db, actor, id, &c.input, Some(&links)).await
}
