//! Admin pages for administrative units: browse the tree, search, add, rename, merge.

use askama::Template;
use axum::extract::Path;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use danchu_core::roles::Action;
use danchu_core::units::UnitKind;
use danchu_db::audit::AuditRecord;
use danchu_db::units::{self, Unit};
use danchu_db::DbError;
use serde::Deserialize;

use crate::auth::Auth;
use crate::error::{AppError, AppResult};
use crate::form::{error_for, field_errors, form_status, FieldError};
use crate::form::{Form, Query};
use crate::layout::Ctx;
use crate::layout::Signed;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/quan-tri/don-vi", get(list).post(create))
        .route("/quan-tri/don-vi/{id}", get(detail))
        .route("/quan-tri/don-vi/{id}/doi-ten", post(rename))
        .route("/quan-tri/don-vi/{id}/sap-nhap", post(merge))
        .route("/quan-tri/don-vi/{id}/truyen-thanh", post(loudspeakers))
}

pub fn kind_label(ctx: &Ctx, kind: &str) -> &'static str {
    match (UnitKind::from_code(kind), ctx.lang) {
        (Some(k), danchu_core::i18n::Lang::Vi) => k.label_vi(),
        (Some(k), danchu_core::i18n::Lang::En) => k.label_en(),
        (None, _) => "?",
    }
}

#[derive(Deserialize, Default)]
struct ListQuery {
    parent: Option<i64>,
    #[serde(default)]
    q: String,
}

#[derive(Default, Clone)]
struct NewUnitForm {
    code: String,
    name: String,
    kind: String,
    valid_from: String,
}

#[derive(Template)]
#[template(path = "units/admin/units.html")]
struct ListPage {
    ctx: Ctx,
    parent: Option<Unit>,
    breadcrumb: Vec<Unit>,
    units: Vec<Unit>,
    q: String,
    can_add: bool,
    form: NewUnitForm,
    errors: Vec<FieldError>,
    kinds: Vec<(&'static str, &'static str)>,
}

impl ListPage {
    fn kind_label(&self, k: &str) -> &'static str {
        kind_label(&self.ctx, k)
    }
    fn err(&self, f: &str) -> Option<&str> {
        error_for(&self.errors, f)
    }
}

fn kinds(ctx: &Ctx) -> Vec<(&'static str, &'static str)> {
    UnitKind::ALL
        .iter()
        .map(|k| (k.code(), kind_label(ctx, k.code())))
        .collect()
}

async fn breadcrumb(state: &AppState, id: i64) -> AppResult<Vec<Unit>> {
    let mut db = state.db.clone();
    let chain = units::chain(&mut db, id).await?;
    let mut found = units::by_ids(&mut db, &chain).await?;
    Ok(chain.iter().rev().filter_map(|u| found.remove(u)).collect())
}

async fn render_list(
    state: &AppState,
    ctx: Ctx,
    auth: &Auth,
    parent_id: Option<i64>,
    q: String,
    form: NewUnitForm,
    errors: Vec<FieldError>,
) -> AppResult<Response> {
    auth.require_somewhere(Action::ViewAdmin)?;
    let parent = match parent_id {
        Some(id) => Some(
            units::get(&mut state.db.clone(), id)
                .await?
                .ok_or(AppError::NotFound)?,
        ),
        None => None,
    };
    let breadcrumb = match parent_id {
        Some(id) => breadcrumb(state, id).await?,
        None => Vec::new(),
    };
    let list = if q.trim().is_empty() {
        units::children(&state.db, parent_id).await?
    } else {
        units::search(&state.db, &q, 200).await?
    };
    let can_add = auth.may_at(state, Action::ManageUnits, parent_id).await?;
    let status = form_status(&errors);
    let page = ListPage {
        kinds: kinds(&ctx),
        ctx,
        parent,
        breadcrumb,
        units: list,
        q,
        can_add,
        form,
        errors,
    };
    Ok((status, Html(page.render()?)).into_response())
}

async fn list(
    Signed { state, ctx, auth }: Signed,
    Query(lq): Query<ListQuery>,
) -> AppResult<Response> {
    render_list(
        &state,
        ctx,
        &auth,
        lq.parent,
        lq.q,
        NewUnitForm::default(),
        Vec::new(),
    )
    .await
}

#[derive(Deserialize)]
struct CreateForm {
    parent_id: Option<String>,
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    valid_from: String,
}

async fn create(
    Signed { state, ctx, auth }: Signed,
    Form(f): Form<CreateForm>,
) -> AppResult<Response> {
    let parent_id = match f
        .parent_id
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(s) => Some(
            s.parse::<i64>()
                .map_err(|_| AppError::BadRequest("Đơn vị cấp trên không hợp lệ.".into()))?,
        ),
        None => None,
    };
    auth.require(&state, Action::ManageUnits, parent_id).await?;
    let mut unreadable = Vec::new();
    let valid_from = crate::form::day_field(&f.valid_from, "valid_from", &mut unreadable);
    let draft = units::UnitDraft {
        code: f.code.trim().to_string(),
        name: f.name.clone(),
        kind: UnitKind::from_code(&f.kind),
        parent_id,
        valid_from,
    };
    match units::add(&state.db, &auth.actor(), &draft, unreadable).await {
        Ok(u) => Ok(Redirect::to(&format!("/quan-tri/don-vi/{}", u.id)).into_response()),
        Err(DbError::Refused(errors)) => {
            let form = NewUnitForm {
                code: draft.code,
                name: f.name,
                kind: f.kind,
                valid_from: f.valid_from,
            };
            let errors = field_errors(errors);
            render_list(&state, ctx, &auth, parent_id, String::new(), form, errors).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "units/admin/unit.html")]
struct DetailPage {
    ctx: Ctx,
    unit: Unit,
    breadcrumb: Vec<Unit>,
    successor: Option<Unit>,
    predecessors: Vec<Unit>,
    children: usize,
    history: Vec<AuditRecord>,
    can_manage: bool,
    /// For a commune: whether it has a loudspeaker system (R7 "nếu có").
    loudspeakers: Option<bool>,
    name: String,
    successor_code: String,
    effective: String,
    errors: Vec<FieldError>,
}

impl DetailPage {
    fn label(&self, action: &str) -> &'static str {
        danchu_core::audit::action_label_vi(action)
    }
    fn kind_label(&self, k: &str) -> &'static str {
        kind_label(&self.ctx, k)
    }
    fn err(&self, f: &str) -> Option<&str> {
        error_for(&self.errors, f)
    }
    fn when(&self, ms: &i64) -> String {
        danchu_core::text::format_datetime(*ms / 1000)
    }
    fn date(&self, d: &time::Date) -> String {
        danchu_core::text::format_date(*d)
    }
}

#[derive(Default)]
struct DetailInput {
    name: Option<String>,
    successor_code: String,
    effective: String,
    errors: Vec<FieldError>,
}

async fn render_detail(
    state: &AppState,
    ctx: Ctx,
    auth: &Auth,
    id: i64,
    input: DetailInput,
) -> AppResult<Response> {
    auth.require_somewhere(Action::ViewAdmin)?;
    let mut db = state.db.clone();
    let unit = units::get(&mut db, id).await?.ok_or(AppError::NotFound)?;
    let successor = match unit.successor_id {
        Some(s) => units::get(&mut db, s).await?,
        None => None,
    };
    let predecessors = units::predecessors(&state.db, id).await?;
    let children = units::children(&state.db, Some(id)).await?.len();
    let filter = danchu_db::audit::Filter {
        entity_type: Some("unit".into()),
        entity_id: Some(unit.code.clone()),
        ..Default::default()
    };
    // Who changed what is for those who may read the audit log of this unit.
    let history = if auth.may(state, Action::ViewAudit, id).await? {
        danchu_db::audit::list(&state.db, &filter, 50).await?
    } else {
        Vec::new()
    };
    let can_manage = auth.may(state, Action::ManageUnits, id).await?;
    let loudspeakers = if unit.kind == "commune" {
        Some(danchu_db::disclosures::has_loudspeakers(&state.db, id).await?)
    } else {
        None
    };
    let status = form_status(&input.errors);
    let page = DetailPage {
        loudspeakers,
        breadcrumb: breadcrumb(state, id).await?,
        ctx,
        name: input.name.unwrap_or_else(|| unit.name.clone()),
        unit,
        successor,
        predecessors,
        children,
        history,
        can_manage,
        successor_code: input.successor_code,
        effective: input.effective,
        errors: input.errors,
    };
    Ok((status, Html(page.render()?)).into_response())
}

async fn detail(Signed { state, ctx, auth }: Signed, Path(id): Path<i64>) -> AppResult<Response> {
    render_detail(&state, ctx, &auth, id, DetailInput::default()).await
}

/// The unit, for a user who may manage it (refused before it is read, as any unit id is).
async fn managed(state: &AppState, auth: &Auth, id: i64) -> AppResult<units::Unit> {
    auth.require(state, Action::ManageUnits, Some(id)).await?;
    units::get(&mut state.db.clone(), id)
        .await?
        .ok_or(AppError::NotFound)
}

#[derive(Deserialize)]
struct LoudspeakerForm {
    /// "1" when the commune has a loudspeaker system.
    #[serde(default)]
    has: String,
}

/// Records whether a commune has a loudspeaker system: without one, broadcasting is not
/// required (R7, Law Đ13 k3 "nếu có").
async fn loudspeakers(
    Signed { state, auth, .. }: Signed,
    Path(id): Path<i64>,
    Form(f): Form<LoudspeakerForm>,
) -> AppResult<Response> {
    let unit = managed(&state, &auth, id).await?;
    if unit.kind != "commune" {
        return Err(AppError::NotFound);
    }
    danchu_db::disclosures::set_loudspeakers(&state.db, &auth.actor(), id, f.has == "1").await?;
    Ok(Redirect::to(&format!("/quan-tri/don-vi/{id}")).into_response())
}

#[derive(Deserialize)]
struct RenameForm {
    #[serde(default)]
    name: String,
}

async fn rename(
    Signed { state, ctx, auth }: Signed,
    Path(id): Path<i64>,
    Form(f): Form<RenameForm>,
) -> AppResult<Response> {
    let unit = managed(&state, &auth, id).await?;
    let errors: Vec<FieldError> = field_errors(units::check(&unit.code, &f.name))
        .into_iter()
        .filter(|e| e.field == "name")
        .collect();
    if !errors.is_empty() {
        let input = DetailInput {
            name: Some(f.name),
            errors,
            ..Default::default()
        };
        return render_detail(&state, ctx, &auth, id, input).await;
    }
    units::rename(&state.db, &auth.actor(), id, &f.name).await?;
    Ok(Redirect::to(&format!("/quan-tri/don-vi/{id}")).into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct MergeForm {
    successor_code: String,
    effective: String,
}

async fn merge(
    Signed { state, ctx, auth }: Signed,
    Path(id): Path<i64>,
    Form(f): Form<MergeForm>,
) -> AppResult<Response> {
    let unit = managed(&state, &auth, id).await?;
    let mut db = state.db.clone();
    let mut errors = Vec::new();
    // A successor is of the unit's level, so `4` typed for a province's successor is `04`.
    let successor = match unit.kind() {
        Some(kind) => units::by_code_at(&mut db, &f.successor_code, kind).await?,
        None => units::by_code(&mut db, f.successor_code.trim()).await?,
    };
    if successor.is_none() {
        errors.push(FieldError::new(
            "successor_code",
            "Không tìm thấy đơn vị kế thừa với mã này.",
        ));
    }
    let effective = danchu_core::text::parse_date(&f.effective);
    if effective.is_none() {
        errors.push(FieldError::new(
            "effective",
            "Ngày hiệu lực không hợp lệ (dd/mm/yyyy).",
        ));
    }
    if let (Some(s), Some(d), true) = (&successor, effective, errors.is_empty()) {
        // The successor must be in the user's scope too.
        auth.require(&state, Action::ManageUnits, Some(s.id))
            .await?;
        match units::merge(&state.db, &auth.actor(), &[id], s.id, d).await {
            Ok(_) => return Ok(Redirect::to(&format!("/quan-tri/don-vi/{id}")).into_response()),
            Err(danchu_db::DbError::Invalid(m)) => {
                errors.push(FieldError::new("successor_code", m))
            }
            Err(e) => return Err(e.into()),
        }
    }
    let input = DetailInput {
        successor_code: f.successor_code,
        effective: f.effective,
        errors,
        ..Default::default()
    };
    render_detail(&state, ctx, &auth, id, input).await
}
