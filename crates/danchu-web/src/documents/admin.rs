//! Admin pages of the document library: list, add, edit (with files and relations).
//! Every change needs the right to edit content of the document's unit and is audited.

use askama::Template;
use axum::extract::Path;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use danchu_core::roles::Action;
use danchu_db::documents::{Document, DocumentInput, Filter};
use danchu_db::media::Media;
use danchu_db::units::Unit;
use danchu_db::DbError;
use serde::Deserialize;

use crate::auth::Auth;
use crate::error::AppResult;
use crate::form::FormAll;
use crate::form::{error_for, field_errors, form_status, FieldError};
use crate::layout::Ctx;
use crate::layout::Signed;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/quan-tri/van-ban", get(list).post(create))
        .route("/quan-tri/van-ban/moi", get(new))
        .route("/quan-tri/van-ban/{id}", get(edit).post(update))
}

#[derive(Template)]
#[template(path = "documents/admin/documents.html")]
struct ListPage {
    ctx: Ctx,
    docs: Vec<Document>,
}

impl ListPage {
    fn date(&self, d: &(impl crate::layout::Day + ?Sized)) -> String {
        d.show()
    }
}

async fn list(Signed { state, ctx, auth }: Signed) -> AppResult<Html<String>> {
    auth.require_somewhere(Action::EditContent)?;
    let within = crate::auth::editable_units(&state, &auth).await?;
    let docs = danchu_db::documents::list(&state.db, &Filter::default(), 500, 0)
        .await?
        .into_iter()
        .filter(|d| within.as_ref().is_none_or(|w| w.contains(&d.unit_id)))
        .collect();
    Ok(Html(ListPage { ctx, docs }.render()?))
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct DocForm {
    number: String,
    kind: String,
    issuer: String,
    issued_on: String,
    effective_on: String,
    signer: String,
    field: String,
    summary: String,
    status: String,
    unit_id: String,
    replaces: String,
    amends: String,
}

#[derive(Template)]
#[template(path = "documents/admin/document_form.html")]
struct FormPage {
    ctx: Ctx,
    id: Option<i64>,
    f: DocForm,
    units: Vec<Unit>,
    files: Vec<Media>,
    attached: Vec<i64>,
    errors: Vec<FieldError>,
}

impl FormPage {
    fn err(&self, f: &str) -> Option<&str> {
        error_for(&self.errors, f)
    }
    fn is_attached(&self, id: &i64) -> bool {
        self.attached.contains(id)
    }
    fn kinds(&self) -> &'static [(&'static str, &'static str)] {
        danchu_core::documents::KINDS
    }
    fn statuses(&self) -> &'static [(&'static str, &'static str)] {
        danchu_core::documents::STATUSES
    }
}

#[allow(clippy::too_many_arguments)]
async fn render(
    state: &AppState,
    ctx: Ctx,
    auth: &Auth,
    id: Option<i64>,
    f: DocForm,
    attached: Vec<i64>,
    errors: Vec<FieldError>,
) -> AppResult<Response> {
    auth.require_somewhere(Action::EditContent)?;
    let units = crate::auth::unit_choices(state, auth).await?;
    let within = crate::auth::editable_units(state, auth).await?;
    let current = match id {
        Some(doc) => danchu_db::documents::files(&state.db, doc).await?,
        None => Vec::new(),
    };
    let files =
        crate::media::offered_media(state, within.as_deref(), current, Some("file")).await?;
    let status = form_status(&errors);
    Ok((
        status,
        Html(
            FormPage {
                ctx,
                id,
                f,
                units,
                files,
                attached,
                errors,
            }
            .render()?,
        ),
    )
        .into_response())
}

async fn new(Signed { state, ctx, auth }: Signed) -> AppResult<Response> {
    let f = DocForm {
        status: "in_force".into(),
        kind: "ke-hoach".into(),
        ..Default::default()
    };
    render(&state, ctx, &auth, None, f, Vec::new(), Vec::new()).await
}

/// Reads the form into the input the use case checks, and the fields it cannot read.
fn parse(f: &DocForm) -> (DocumentInput, Vec<(&'static str, String)>) {
    let mut unreadable = Vec::new();
    let issued_on = crate::form::day_field(&f.issued_on, "issued_on", &mut unreadable);
    let effective_on = crate::form::day_field(&f.effective_on, "effective_on", &mut unreadable);
    let unit_id = f.unit_id.parse::<i64>().unwrap_or_else(|_| {
        unreadable.push(("unit_id", "Hãy chọn đơn vị.".into()));
        0
    });
    let input = DocumentInput {
        unit_id,
        number: f.number.trim().to_string(),
        kind: f.kind.clone(),
        issuer: f.issuer.clone(),
        issued_on,
        effective_on,
        signer: f.signer.clone(),
        field: f.field.clone(),
        summary: danchu_core::text::clean_line(&f.summary),
        status: f.status.clone(),
    };
    (input, unreadable)
}

/// The documents a document replaces and amends (its own relations).
async fn own_relations(
    state: &AppState,
    id: Option<i64>,
) -> AppResult<(Vec<Document>, Vec<Document>)> {
    let Some(id) = id else {
        return Ok((Vec::new(), Vec::new()));
    };
    let mut replaces = Vec::new();
    let mut amends = Vec::new();
    for (relation, own, d) in danchu_db::documents::relations(&state.db, id).await? {
        match (own, relation.as_str()) {
            (true, "replaces") => replaces.push(d),
            (true, "amends") => amends.push(d),
            _ => {}
        }
    }
    Ok((replaces, amends))
}

fn numbers(docs: &[Document]) -> String {
    docs.iter()
        .map(|d| d.number.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

async fn save(
    state: &AppState,
    ctx: Ctx,
    auth: &Auth,
    id: Option<i64>,
    form: FormAll<DocForm>,
) -> AppResult<Response> {
    let current: Vec<i64> = match id {
        Some(d) => crate::media::ids(&danchu_db::documents::files(&state.db, d).await?),
        None => Vec::new(),
    };
    let files =
        crate::media::chosen_media(state, auth, form.all("file"), &current, Some("file")).await?;
    let f = form.value;
    let (input, unreadable) = parse(&f);
    let named = danchu_db::documents::Named {
        replaces: &f.replaces,
        amends: &f.amends,
    };
    let checked = match danchu_db::documents::check(&state.db, id, input, named, unreadable).await {
        Ok(c) => c,
        Err(DbError::Refused(errors)) => {
            return render(state, ctx, auth, id, f, files, field_errors(errors)).await
        }
        Err(e) => return Err(e.into()),
    };
    auth.require(state, Action::EditContent, Some(checked.unit_id()))
        .await?;
    let doc = danchu_db::documents::save(&state.db, &auth.actor(), id, &checked, &files).await?;
    Ok(Redirect::to(&format!("/quan-tri/van-ban/{}", doc.id)).into_response())
}

async fn create(
    Signed { state, ctx, auth }: Signed,
    form: FormAll<DocForm>,
) -> AppResult<Response> {
    save(&state, ctx, &auth, None, form).await
}

/// The document, checked to be the user's to edit.
async fn editable(state: &AppState, auth: &Auth, id: i64) -> AppResult<Document> {
    let found = danchu_db::documents::get(&mut state.db.clone(), id).await?;
    auth.require_found(state, Action::EditContent, found, |d| d.unit_id)
        .await
}

async fn edit(Signed { state, ctx, auth }: Signed, Path(id): Path<i64>) -> AppResult<Response> {
    let d = editable(&state, &auth, id).await?;
    let attached = crate::media::ids(&danchu_db::documents::files(&state.db, id).await?);
    let (replaces, amends) = own_relations(&state, Some(id)).await?;
    let f = DocForm {
        number: d.number,
        kind: d.kind,
        issuer: d.issuer,
        issued_on: danchu_core::text::format_date(d.issued_on),
        effective_on: crate::layout::show_day(&d.effective_on),
        signer: d.signer,
        field: d.field,
        summary: d.summary,
        status: d.status,
        unit_id: d.unit_id.to_string(),
        replaces: numbers(&replaces),
        amends: numbers(&amends),
    };
    render(&state, ctx, &auth, Some(id), f, attached, Vec::new()).await
}

async fn update(
    Signed { state, ctx, auth }: Signed,
    Path(id): Path<i64>,
    form: FormAll<DocForm>,
) -> AppResult<Response> {
    editable(&state, &auth, id).await?;
    save(&state, ctx, &auth, Some(id), form).await
}
