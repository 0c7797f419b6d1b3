//! Posting a disclosure: the form, and the disclosure with its first forms (notice board,
//! portal) in one transaction.

use askama::Template;
use axum::extract::Multipart;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use danchu_core::disclosures::{Category, Channel, DuePeriod};
use danchu_core::roles::Action;
use danchu_db::disclosures::{NewChannel, NewDisclosure};
use danchu_db::DbError;

use crate::auth::Auth;
use crate::error::AppResult;
use crate::form::{field_errors, FieldError};
use crate::layout::Ctx;
use crate::layout::Signed;
use crate::AppState;

/// The periods offered for recurring categories: this year's and last year's.
fn period_choices() -> Vec<(String, String)> {
    let year = danchu_db::today_vn_date().year();
    let mut out = Vec::new();
    for y in [year, year - 1, year - 2, year - 3] {
        for every in [
            danchu_core::disclosures::Every::Quarter,
            danchu_core::disclosures::Every::HalfYear,
            danchu_core::disclosures::Every::Year,
        ] {
            for p in DuePeriod::of_year(every, y) {
                out.push((p.code(), p.name_vi()));
            }
        }
    }
    out
}

/// What the new-disclosure form holds (kept when it comes back with errors).
#[derive(Default, Clone)]
pub(super) struct DisclosureForm {
    unit_id: String,
    category_id: String,
    period: String,
    title: String,
    body: String,
    documents: String,
    portal_from: String,
    board_from: String,
    board_evidence: String,
}

#[derive(Template)]
#[template(path = "disclosures/admin/disclosure_form.html")]
struct FormPage {
    ctx: Ctx,
    f: DisclosureForm,
    /// The units the user posts for, grouped by the unit above (name, units).
    units: Vec<(String, Vec<(i64, String)>)>,
    /// The categories of the lists those units disclose under (R46).
    categories: Vec<(i64, Category)>,
    periods: Vec<(String, String)>,
    errors: Vec<FieldError>,
}

impl FormPage {
    fn err(&self, f: &str) -> Option<&str> {
        crate::form::error_for(&self.errors, f)
    }
    fn has_scope(&self, scope: &str) -> bool {
        self.categories.iter().any(|(_, c)| c.scope == scope)
    }
}

pub(super) async fn render_form(
    state: &AppState,
    ctx: Ctx,
    auth: &Auth,
    f: DisclosureForm,
    errors: Vec<FieldError>,
    status: StatusCode,
) -> AppResult<Response> {
    auth.require_somewhere(Action::EditContent)?;
    // Only communes, agencies and public units keep a register (R46): those the user
    // posts for, by district.
    let roots =
        crate::disclosures::compliance::scope_roots(state, auth, Action::EditContent).await?;
    let all = danchu_db::disclosures::register_units(&state.db, &roots, None, None).await?;
    let scopes: Vec<&str> = all
        .iter()
        .filter_map(|u| danchu_core::disclosures::scope_of(&u.kind))
        .collect();
    let mut units: Vec<(String, Vec<(i64, String)>)> = Vec::new();
    let mut last: Option<Option<i64>> = None;
    for u in all {
        if last != Some(u.parent_id) {
            units.push((u.parent.clone(), Vec::new()));
            last = Some(u.parent_id);
        }
        if let Some(g) = units.last_mut() {
            g.1.push((u.id, u.name));
        }
    }
    let categories = danchu_db::disclosures::categories(&state.db)
        .await?
        .into_iter()
        .filter(|(_, c)| scopes.contains(&c.scope.as_str()))
        .collect();
    let page = FormPage {
        ctx,
        f,
        units,
        categories,
        periods: period_choices(),
        errors,
    };
    Ok((status, Html(page.render()?)).into_response())
}

pub(super) async fn new(Signed { state, ctx, auth }: Signed) -> AppResult<Response> {
    let f = DisclosureForm {
        portal_from: danchu_core::text::format_date(danchu_db::today_vn_date()),
        board_from: danchu_core::text::format_date(danchu_db::today_vn_date()),
        ..Default::default()
    };
    render_form(&state, ctx, &auth, f, Vec::new(), StatusCode::OK).await
}

pub(super) async fn create(
    Signed { state, ctx, auth }: Signed,
    form: Multipart,
) -> AppResult<Response> {
    let u = match crate::media::read_form(form, "file").await {
        Ok(u) => u,
        Err(r) => return file_refused(&state, ctx, &auth, DisclosureForm::default(), r).await,
    };
    let f = DisclosureForm::read(&u);
    let Ok(unit) = f.unit_id.parse::<i64>() else {
        let e = field_errors(vec![("unit_id", "Hãy chọn đơn vị.".into())]);
        return render_form(&state, ctx, &auth, f, e, StatusCode::BAD_REQUEST).await;
    };
    // An official posts only for the units in their scope.
    auth.require(&state, Action::EditContent, Some(unit))
        .await?;
    let (new, channels) = match parsed(&state, unit, &f, !u.files.is_empty()).await? {
        Ok(c) => c,
        Err(e) => return render_form(&state, ctx, &auth, f, e, StatusCode::BAD_REQUEST).await,
    };
    // Files are checked by content; the first refused one stops everything.
    let staged = match crate::media::stage_all(&state, unit, u.files).await {
        Ok(s) => s,
        Err(r) => return file_refused(&state, ctx, &auth, f, r).await,
    };
    // One action, one transaction: checked, then the files, the disclosure and its first
    // forms. A refused form is given back with the reasons beside the fields.
    let posted = danchu_db::disclosures::post(
        &state.db,
        &auth.actor(),
        &new,
        &staged.files,
        &channels,
        danchu_db::now_s(),
    )
    .await;
    match posted {
        Ok(d) => {
            staged.keep();
            Ok(Redirect::to(&format!("/quan-tri/cong-khai/{}?ok=1", d.id)).into_response())
        }
        Err(DbError::Refused(e)) => {
            render_form(
                &state,
                ctx,
                &auth,
                f,
                field_errors(e),
                StatusCode::BAD_REQUEST,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// The form given back with why a file was refused.
async fn file_refused(
    state: &AppState,
    ctx: Ctx,
    auth: &Auth,
    f: DisclosureForm,
    r: crate::media::Refused,
) -> AppResult<Response> {
    let e = field_errors(vec![("file", r.message)]);
    render_form(state, ctx, auth, f, e, r.status).await
}

impl DisclosureForm {
    fn read(u: &crate::media::Upload) -> DisclosureForm {
        DisclosureForm {
            unit_id: u.field("unit_id").into(),
            category_id: u.field("category_id").into(),
            period: u.field("period").into(),
            title: u.field("title").into(),
            body: u.field("body").into(),
            documents: u.field("documents").into(),
            portal_from: u.field("portal_from").into(),
            board_from: u.field("board_from").into(),
            board_evidence: u.field("board_evidence").into(),
        }
    }
}

/// The disclosure and its first forms as typed, or what could not be read (a day that is
/// not a date, a document number that names no document) with, so that the form shows
/// every problem at once, what the posting would refuse in its content.
async fn parsed(
    state: &AppState,
    unit: i64,
    f: &DisclosureForm,
    has_files: bool,
) -> AppResult<Result<(NewDisclosure, Vec<NewChannel>), Vec<FieldError>>> {
    let day = danchu_core::text::parse_date;
    let (portal, board) = (day(&f.portal_from), day(&f.board_from));
    let mut errors: Vec<(&'static str, String)> = Vec::new();
    let (docs, missing) =
        danchu_db::documents::named_in_field(&state.db, &f.documents, &[]).await?;
    if let Some(m) = missing.into_iter().next() {
        errors.push(("documents", m));
    }
    if !f.portal_from.trim().is_empty() && portal.is_none() {
        errors.push(("portal_from", "Ngày đăng không hợp lệ (dd/mm/yyyy).".into()));
    }
    if !f.board_from.trim().is_empty() && board.is_none() {
        errors.push((
            "board_from",
            "Ngày niêm yết không hợp lệ (dd/mm/yyyy).".into(),
        ));
    }
    let new = NewDisclosure {
        unit_id: unit,
        category_id: f.category_id.parse::<i64>().unwrap_or(0),
        period: f.period.clone(),
        title: f.title.clone(),
        body: f.body.clone(),
        files: Vec::new(),
        documents: docs,
    };
    if errors.is_empty() {
        return Ok(Ok((new, first_channels(f, board, portal))));
    }
    let mut db = state.db.clone();
    errors.extend(danchu_db::disclosures::refusals(&mut db, &new, has_files, &[]).await?);
    Ok(Err(field_errors(errors)))
}

/// The forms the new-disclosure form records: the notice board and the portal, each
/// from the day typed.
fn first_channels(
    f: &DisclosureForm,
    board: Option<time::Date>,
    portal: Option<time::Date>,
) -> Vec<NewChannel> {
    let mut channels = Vec::new();
    if let Some(board) = board {
        channels.push(NewChannel {
            channel: Channel::NoticeBoard,
            starts_on: Some(board),
            ends_on: None,
            evidence: f.board_evidence.clone(),
            files: Vec::new(),
            notices: Vec::new(),
        });
    }
    if let Some(portal) = portal {
        channels.push(NewChannel {
            channel: Channel::Portal,
            starts_on: Some(portal),
            ends_on: None,
            evidence: String::new(),
            files: Vec::new(),
            notices: Vec::new(),
        });
    }
    channels
}
