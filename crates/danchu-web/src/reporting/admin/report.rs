//! A unit's report in a round: the form (save a draft, submit; errors per field, nothing
//! typed lost, evidence files), and Phòng Nội vụ accepting or returning it.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use danchu_core::reporting::{Indicator, Kind, Status, Step};
use danchu_core::roles::Action;
use danchu_db::reporting::{Round, Saved, Submission, Template as ReportTemplate};
use serde::Deserialize;

use super::{load_round, managed_round, may, period_name};
use crate::auth::Auth;
use crate::error::{AppError, AppResult};
use crate::form::{Form, Query};
use crate::layout::Ctx;
use crate::layout::Signed;
use crate::AppState;

#[derive(Template)]
#[template(path = "reporting/admin/report_form.html")]
struct FormPage {
    ctx: Ctx,
    round: Round,
    period: String,
    template: ReportTemplate,
    unit_id: i64,
    unit_name: String,
    typed: BTreeMap<String, String>,
    /// Hints for answers filled from danchu's data, by indicator code.
    sourced: BTreeMap<String, String>,
    status: Option<Status>,
    reason: String,
    errors: Vec<danchu_core::reporting::FieldError>,
    can_edit: bool,
    manages: bool,
    notice: String,
    /// Evidence files attached to the report.
    files: Vec<danchu_db::media::Media>,
}

impl FormPage {
    fn size(&self, m: &danchu_db::media::Media) -> String {
        crate::media::human_size(m.size)
    }
    fn date(&self, d: &time::Date) -> String {
        crate::layout::show_day(&Some(*d))
    }
    fn value(&self, code: &str) -> &str {
        self.typed.get(code).map(String::as_str).unwrap_or("")
    }
    fn err(&self, code: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| e.code == code)
            .map(|e| e.message.as_str())
    }
    fn hint(&self, code: &str) -> Option<&str> {
        self.sourced.get(code).map(String::as_str)
    }
    fn is_yes_no(&self, i: &Indicator) -> bool {
        i.kind == Kind::YesNo
    }
    fn is_text(&self, i: &Indicator) -> bool {
        i.kind == Kind::Text
    }
    fn choices(&self, i: &Indicator) -> Vec<String> {
        match &i.kind {
            Kind::Choice { choices } => choices.clone(),
            _ => Vec::new(),
        }
    }
    fn input_mode(&self, i: &Indicator) -> &'static str {
        match i.kind {
            Kind::Integer => "numeric",
            _ => "decimal",
        }
    }
    fn status_name(&self) -> &'static str {
        self.status.map_or("Chưa nộp", Status::name_vi)
    }
    fn columns(&self, i: &Indicator) -> Vec<danchu_core::reporting::Column> {
        match &i.kind {
            Kind::Table { columns } => columns.clone(),
            _ => Vec::new(),
        }
    }
    fn is_table(&self, i: &Indicator) -> bool {
        matches!(i.kind, Kind::Table { .. })
    }
    /// The rows of a table to show: those typed, and while it can be edited, two blank
    /// rows more (saving a draft adds more, so no script is needed to add rows).
    fn rows(&self, i: &Indicator) -> Vec<usize> {
        let typed = danchu_core::reporting::typed_rows(&self.typed, &i.code);
        let n = if self.can_edit {
            (typed + 2).max(3)
        } else {
            typed
        };
        (0..n.min(danchu_core::reporting::MAX_ROWS)).collect()
    }
    fn key(&self, code: &str, row: &usize, col: &str) -> String {
        danchu_core::reporting::cell_key(code, *row, col)
    }
    /// The choices of a yes/no or single-choice column (empty for other kinds).
    fn cell_choices(&self, c: &danchu_core::reporting::Column) -> Vec<String> {
        match &c.kind {
            Kind::YesNo => vec!["Có".into(), "Không".into()],
            Kind::Choice { choices } => choices.clone(),
            _ => Vec::new(),
        }
    }
}

#[allow(clippy::too_many_arguments)]
async fn render_form(
    state: &AppState,
    ctx: Ctx,
    auth: &Auth,
    round_id: i64,
    unit_id: i64,
    typed: Option<BTreeMap<String, String>>,
    errors: Vec<danchu_core::reporting::FieldError>,
    notice: String,
) -> AppResult<Response> {
    let (round, template) = load_round(state, round_id).await?;
    if !round.units.contains(&unit_id) {
        return Err(AppError::NotFound);
    }
    let reports = may(state, auth, Action::SubmitReports, unit_id).await;
    let manages = may(state, auth, Action::ManageReports, round.unit_id).await;
    if !reports && !manages {
        return Err(AppError::Forbidden);
    }
    let sub: Option<Submission> =
        danchu_db::reporting::submission(&state.db, round_id, unit_id).await?;
    let status = sub.as_ref().map(|s| s.status);
    let can_edit = reports && matches!(status, None | Some(Status::Draft | Status::Returned));
    let unit_name = danchu_db::units::get(&mut state.db.clone(), unit_id)
        .await?
        .map(|u| u.name)
        .unwrap_or_default();
    let http = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let mut typed = typed
        .or_else(|| sub.as_ref().map(|s| s.typed.clone()))
        .unwrap_or_default();
    // Answers danchu can give from its own data are filled in while still empty.
    let sourced = fill_sourced(state, &round, &template, unit_id, can_edit, &mut typed).await?;
    let files = match &sub {
        Some(s) => danchu_db::reporting::files(&state.db, s.id).await?,
        None => Vec::new(),
    };
    let page = FormPage {
        ctx,
        files,
        period: period_name(&round),
        round,
        template,
        unit_id,
        unit_name,
        typed,
        sourced,
        status,
        reason: sub.map(|s| s.reason).unwrap_or_default(),
        errors,
        can_edit,
        manages,
        notice,
    };
    Ok((http, Html(page.render()?)).into_response())
}

/// The answers danchu gives from its own data (hints by indicator code), filled into
/// `typed` where still empty while the report can be edited.
async fn fill_sourced(
    state: &AppState,
    round: &Round,
    template: &ReportTemplate,
    unit_id: i64,
    can_edit: bool,
    typed: &mut BTreeMap<String, String>,
) -> AppResult<BTreeMap<String, String>> {
    let mut sourced = BTreeMap::new();
    for i in template.body.indicators() {
        if let Some(src) = &i.source {
            let n = danchu_db::reporting::source_value(
                &state.db,
                src,
                unit_id,
                &danchu_core::text::iso_date(round.cutoff_from),
                &danchu_core::text::iso_date(round.cutoff_to),
            )
            .await?;
            if can_edit && typed.get(&i.code).is_none_or(|v| v.trim().is_empty()) {
                typed.insert(i.code.clone(), danchu_core::text::format_number(n));
            }
            sourced.insert(
                i.code.clone(),
                format!(
                    "Theo dữ liệu danchu ({}): {}",
                    src.describe_vi(),
                    danchu_core::text::format_number(n)
                ),
            );
        }
    }
    Ok(sourced)
}

#[derive(Deserialize, Default)]
pub(super) struct FormQuery {
    #[serde(default)]
    ok: String,
}

pub(super) async fn form_page(
    Signed { state, ctx, auth }: Signed,
    Path((round, unit)): Path<(i64, i64)>,
    Query(q): Query<FormQuery>,
) -> AppResult<Response> {
    let notice = match q.ok.as_str() {
        "nhap" => "Đã lưu nháp.",
        "nop" => "Đã nộp báo cáo.",
        "xu-ly" => "Đã ghi nhận.",
        _ => "",
    };
    render_form(
        &state,
        ctx,
        &auth,
        round,
        unit,
        None,
        Vec::new(),
        notice.into(),
    )
    .await
}

/// What the report form sent: its fields, the files to attach and those to detach.
struct Posted {
    fields: BTreeMap<String, String>,
    uploads: Vec<(String, Vec<u8>)>,
    remove: Vec<i64>,
}

/// Reads the report form, sent as multipart (with files) or urlencoded (without).
async fn posted(
    state: &AppState,
    req: axum::extract::Request,
) -> Result<Posted, (String, StatusCode)> {
    use axum::extract::FromRequest;
    let multipart = req
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let pairs: Vec<(String, String)>;
    let mut uploads = Vec::new();
    if multipart {
        let form = axum::extract::Multipart::from_request(req, state)
            .await
            .map_err(|_| {
                (
                    "Dữ liệu gửi lên bị lỗi.".to_string(),
                    StatusCode::BAD_REQUEST,
                )
            })?;
        let u = crate::media::read_form(form, "attachment")
            .await
            .map_err(|r| (r.message, r.status))?;
        pairs = u.fields;
        uploads = u.files;
    } else {
        let f = crate::form::FormAll::<BTreeMap<String, String>>::from_request(req, state)
            .await
            .map_err(|e| (e.to_string(), e.status()))?;
        pairs = f.pairs;
    }
    let remove = pairs
        .iter()
        .filter(|(k, _)| k == "remove_file")
        .filter_map(|(_, v)| v.parse().ok())
        .collect();
    let fields = pairs
        .into_iter()
        .filter(|(k, _)| k != "remove_file")
        .collect();
    Ok(Posted {
        fields,
        uploads,
        remove,
    })
}

pub(super) async fn save(
    Signed { state, ctx, auth }: Signed,
    Path((round, unit)): Path<(i64, i64)>,
    req: axum::extract::Request,
) -> AppResult<Response> {
    auth.require(&state, Action::SubmitReports, Some(unit))
        .await?;
    let at = (round, unit);
    let p = match posted(&state, req).await {
        Ok(p) => p,
        Err((m, _)) => return refused(&state, ctx, &auth, at, None, general(m)).await,
    };
    let step = if p.fields.get("_step").map(String::as_str) == Some("nop") {
        Step::Submit
    } else {
        Step::SaveDraft
    };
    // Evidence files are checked by content before anything is saved; a refused file
    // loses nothing typed.
    let staged = match crate::media::stage_all(&state, unit, p.uploads).await {
        Ok(s) => s,
        Err(r) => {
            let errors = general(r.message);
            return refused(&state, ctx, &auth, at, Some(p.fields), errors).await;
        }
    };
    let files = danchu_db::reporting::Files {
        add: Vec::new(),
        remove: p.remove.clone(),
        uploads: staged.files.clone(),
    };
    let saved = danchu_db::reporting::save_with_files(
        &state.db,
        &auth.actor(),
        at,
        &p.fields,
        step,
        &files,
        danchu_db::now_s(),
    )
    .await;
    if matches!(saved, Ok(Saved::Done(_) | Saved::Invalid(..))) {
        staged.keep(); // committed with the report (a submit with errors saves a draft)
    }
    let errors = match saved {
        Ok(Saved::Done(_)) => {
            let ok = if step == Step::Submit { "nop" } else { "nhap" };
            return Ok(
                Redirect::to(&format!("/quan-tri/bao-cao/{round}/don-vi/{unit}?ok={ok}"))
                    .into_response(),
            );
        }
        Ok(Saved::Invalid(_, errors)) => errors,
        Ok(Saved::Refused(why)) => general(why.to_string()),
        Err(danchu_db::DbError::Invalid(m)) => general(m),
        Err(e) => return Err(e.into()),
    };
    refused(&state, ctx, &auth, at, Some(p.fields), errors).await
}

/// The form again, as typed (or as saved when `typed` is `None`), with the errors.
async fn refused(
    state: &AppState,
    ctx: Ctx,
    auth: &Auth,
    (round, unit): (i64, i64),
    typed: Option<BTreeMap<String, String>>,
    errors: Vec<danchu_core::reporting::FieldError>,
) -> AppResult<Response> {
    render_form(state, ctx, auth, round, unit, typed, errors, String::new()).await
}

/// A message about the whole form (not one field).
fn general(message: String) -> Vec<danchu_core::reporting::FieldError> {
    vec![danchu_core::reporting::FieldError {
        code: String::new(),
        message,
    }]
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct DecideForm {
    step: String,
    reason: String,
}

pub(super) async fn decide(
    Signed { state, ctx, auth }: Signed,
    Path((round_id, unit)): Path<(i64, i64)>,
    Form(f): Form<DecideForm>,
) -> AppResult<Response> {
    managed_round(&state, &auth, round_id).await?;
    let sub = danchu_db::reporting::submission(&state.db, round_id, unit)
        .await?
        .ok_or(AppError::NotFound)?;
    let step = if f.step == "tiep-nhan" {
        Step::Accept
    } else {
        Step::Return
    };
    match danchu_db::reporting::decide(&state.db, &auth.actor(), sub.id, step, &f.reason).await? {
        Ok(_) => Ok(Redirect::to(&format!(
            "/quan-tri/bao-cao/{round_id}/don-vi/{unit}?ok=xu-ly"
        ))
        .into_response()),
        Err(why) => {
            let e = danchu_core::reporting::FieldError {
                code: "reason".into(),
                message: why.to_string(),
            };
            refused(&state, ctx, &auth, (round_id, unit), None, vec![e]).await
        }
    }
}
