//! Periodic reports (issue 5) in the admin area: the rounds a user runs or must report
//! in, a round's dashboard (who submitted, who is late), a unit's report form (save a
//! draft, submit; errors per field, nothing typed lost), accepting or returning a report,
//! and the consolidation. Reporters act only for their units (SubmitReports on the unit);
//! Phòng Nội vụ acts on the rounds of its office (ManageReports on the round's unit).

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use danchu_core::reporting::{Aggregate, Indicator, Kind, Period, Status, Step, Value};
use danchu_core::roles::Action;
use danchu_db::reporting::{Round, Saved, Submission, Template as ReportTemplate, UnitState};
use serde::Deserialize;

use crate::auth::Auth;
use crate::error::{AppError, AppResult};
use crate::form::{Form, Query};
use crate::layout::Ctx;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/quan-tri/bao-cao", get(list))
        .route("/quan-tri/bao-cao/{round}", get(round_page))
        .route("/quan-tri/bao-cao/{round}/tong-hop", get(consolidation))
        .route(
            "/quan-tri/bao-cao/{round}/tong-hop.xlsx",
            get(consolidation_xlsx),
        )
        .route(
            "/quan-tri/bao-cao/{round}/don-vi/{unit}",
            get(form_page).post(save),
        )
        .route(
            "/quan-tri/bao-cao/{round}/don-vi/{unit}/xu-ly",
            post(decide),
        )
}

async fn may(state: &AppState, auth: &Auth, action: Action, unit: i64) -> bool {
    auth.require(state, action, Some(unit)).await.is_ok()
}

fn period_name(r: &Round) -> String {
    Period::parse(&r.period)
        .map(|p| p.name_vi())
        .unwrap_or_else(|| "Đột xuất".into())
}

fn show_date(d: &str) -> String {
    crate::portal::documents::show_date(d)
}

/// A round in the list, with what the user can do in it.
struct RoundLine {
    round: Round,
    period: String,
    manages: bool,
    /// The user's own units that must report, with where each stands.
    mine: Vec<(i64, String, Option<Status>)>,
}

#[derive(Template)]
#[template(path = "admin/reports.html")]
struct ListPage {
    ctx: Ctx,
    rounds: Vec<RoundLine>,
}

impl ListPage {
    fn date(&self, d: &str) -> String {
        show_date(d)
    }
    fn status_name(&self, s: &Option<Status>) -> &'static str {
        s.map_or("Chưa nộp", Status::name_vi)
    }
}

async fn list(State(state): State<AppState>, ctx: Ctx, auth: Auth) -> AppResult<Html<String>> {
    if !auth.may_somewhere(Action::SubmitReports) && !auth.may_somewhere(Action::ManageReports) {
        return Err(AppError::Forbidden);
    }
    let mut rounds = Vec::new();
    for round in danchu_db::reporting::rounds(&state.db).await? {
        let manages = may(&state, &auth, Action::ManageReports, round.unit_id).await;
        let mut mine = Vec::new();
        for u in &round.units {
            if may(&state, &auth, Action::SubmitReports, *u).await && !manages {
                let name = danchu_db::units::get(&mut state.db.clone(), *u)
                    .await?
                    .map(|u| u.name)
                    .unwrap_or_default();
                let status = danchu_db::reporting::submission(&state.db, round.id, *u)
                    .await?
                    .map(|s| s.status);
                mine.push((*u, name, status));
            }
        }
        if manages || !mine.is_empty() {
            rounds.push(RoundLine {
                period: period_name(&round),
                round,
                manages,
                mine,
            });
        }
    }
    Ok(Html(ListPage { ctx, rounds }.render()?))
}

/// A report the user still has to send (shown on the admin home page after sign-in).
pub struct Pending {
    pub url: String,
    pub title: String,
    pub unit: String,
    pub status: &'static str,
    pub deadline: String,
    pub overdue: bool,
}

/// The reports the user's units have not sent yet (nothing, a draft, or returned).
pub async fn pending(state: &AppState, auth: &Auth) -> AppResult<Vec<Pending>> {
    let mut out = Vec::new();
    if !auth.may_somewhere(Action::SubmitReports) {
        return Ok(out);
    }
    let today = danchu_db::today_vn();
    for round in danchu_db::reporting::rounds(&state.db).await? {
        for u in &round.units {
            if !may(state, auth, Action::SubmitReports, *u).await {
                continue;
            }
            let status = danchu_db::reporting::submission(&state.db, round.id, *u)
                .await?
                .map(|s| s.status);
            if !matches!(status, None | Some(Status::Draft | Status::Returned)) {
                continue;
            }
            // Office admins cover every unit below them: list only their own unit's and
            // those of units they report for directly.
            if may(state, auth, Action::ManageReports, round.unit_id).await {
                continue;
            }
            let unit = danchu_db::units::get(&mut state.db.clone(), *u)
                .await?
                .map(|u| u.name)
                .unwrap_or_default();
            out.push(Pending {
                url: format!("/quan-tri/bao-cao/{}/don-vi/{u}", round.id),
                title: round.title.clone(),
                unit,
                status: status.map_or("Chưa nộp", Status::name_vi),
                deadline: show_date(&round.deadline),
                overdue: today > round.deadline,
            });
        }
    }
    Ok(out)
}

async fn load_round(state: &AppState, id: i64) -> AppResult<(Round, ReportTemplate)> {
    danchu_db::reporting::round(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)
}

#[derive(Template)]
#[template(path = "admin/report_round.html")]
struct RoundPage {
    ctx: Ctx,
    round: Round,
    period: String,
    units: Vec<UnitState>,
    /// (label, count, colour class) for the chart.
    bars: Vec<(&'static str, usize, &'static str)>,
    max: usize,
}

impl RoundPage {
    fn date(&self, d: &str) -> String {
        show_date(d)
    }
    fn status_name(&self, s: &Option<Status>) -> &'static str {
        s.map_or("Chưa nộp", Status::name_vi)
    }
    fn bar_width(&self, n: &usize) -> usize {
        (n * 300).checked_div(self.max).unwrap_or(0)
    }
    fn to_remind(&self) -> Vec<&UnitState> {
        self.units
            .iter()
            .filter(|u| {
                matches!(
                    u.status,
                    None | Some(Status::Draft) | Some(Status::Returned)
                )
            })
            .collect()
    }
}

async fn round_page(
    State(state): State<AppState>,
    ctx: Ctx,
    auth: Auth,
    Path(id): Path<i64>,
) -> AppResult<Html<String>> {
    let (round, _) = load_round(&state, id).await?;
    auth.require(&state, Action::ManageReports, Some(round.unit_id))
        .await?;
    let units = danchu_db::reporting::dashboard(&state.db, id, &danchu_db::today_vn()).await?;
    let count = |f: &dyn Fn(&UnitState) -> bool| units.iter().filter(|u| f(u)).count();
    let bars = vec![
        (
            "Đã tiếp nhận",
            count(&|u| u.status == Some(Status::Accepted)),
            "ok",
        ),
        (
            "Đã nộp",
            count(&|u| u.status == Some(Status::Submitted)),
            "info",
        ),
        (
            "Bị trả lại",
            count(&|u| u.status == Some(Status::Returned)),
            "warn",
        ),
        (
            "Chưa nộp",
            count(&|u| matches!(u.status, None | Some(Status::Draft))),
            "bad",
        ),
        ("Trễ hạn", count(&|u| u.late), "bad"),
    ];
    let max = bars.iter().map(|b| b.1).max().unwrap_or(0);
    Ok(Html(
        RoundPage {
            ctx,
            period: period_name(&round),
            round,
            units,
            bars,
            max,
        }
        .render()?,
    ))
}

#[derive(Template)]
#[template(path = "admin/report_form.html")]
struct FormPage {
    ctx: Ctx,
    round: Round,
    period: String,
    template: ReportTemplate,
    unit_id: i64,
    unit_name: String,
    typed: BTreeMap<String, String>,
    status: Option<Status>,
    reason: String,
    errors: Vec<danchu_core::reporting::FieldError>,
    can_edit: bool,
    manages: bool,
    notice: String,
}

impl FormPage {
    fn date(&self, d: &str) -> String {
        show_date(d)
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
    let page = FormPage {
        ctx,
        period: period_name(&round),
        round,
        template,
        unit_id,
        unit_name,
        typed: typed
            .or_else(|| sub.as_ref().map(|s| s.typed.clone()))
            .unwrap_or_default(),
        status,
        reason: sub.map(|s| s.reason).unwrap_or_default(),
        errors,
        can_edit,
        manages,
        notice,
    };
    Ok((http, Html(page.render()?)).into_response())
}

#[derive(Deserialize, Default)]
struct FormQuery {
    #[serde(default)]
    ok: String,
}

async fn form_page(
    State(state): State<AppState>,
    ctx: Ctx,
    auth: Auth,
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

async fn save(
    State(state): State<AppState>,
    ctx: Ctx,
    auth: Auth,
    Path((round, unit)): Path<(i64, i64)>,
    Form(fields): Form<BTreeMap<String, String>>,
) -> AppResult<Response> {
    auth.require(&state, Action::SubmitReports, Some(unit))
        .await?;
    let step = if fields.get("_step").map(String::as_str) == Some("nop") {
        Step::Submit
    } else {
        Step::SaveDraft
    };
    let saved =
        danchu_db::reporting::save(&state.db, &auth.actor(), round, unit, &fields, step).await;
    match saved {
        Ok(Saved::Done(_)) => {
            let ok = if step == Step::Submit { "nop" } else { "nhap" };
            Ok(
                Redirect::to(&format!("/quan-tri/bao-cao/{round}/don-vi/{unit}?ok={ok}"))
                    .into_response(),
            )
        }
        Ok(Saved::Invalid(_, errors)) => {
            render_form(
                &state,
                ctx,
                &auth,
                round,
                unit,
                Some(fields),
                errors,
                String::new(),
            )
            .await
        }
        Ok(Saved::Refused(why)) => {
            let e = danchu_core::reporting::FieldError {
                code: String::new(),
                message: why.to_string(),
            };
            render_form(
                &state,
                ctx,
                &auth,
                round,
                unit,
                Some(fields),
                vec![e],
                String::new(),
            )
            .await
        }
        Err(danchu_db::DbError::Invalid(m)) => {
            let e = danchu_core::reporting::FieldError {
                code: String::new(),
                message: m,
            };
            render_form(
                &state,
                ctx,
                &auth,
                round,
                unit,
                Some(fields),
                vec![e],
                String::new(),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
struct DecideForm {
    #[serde(default)]
    step: String,
    #[serde(default)]
    reason: String,
}

async fn decide(
    State(state): State<AppState>,
    ctx: Ctx,
    auth: Auth,
    Path((round_id, unit)): Path<(i64, i64)>,
    Form(f): Form<DecideForm>,
) -> AppResult<Response> {
    let (round, _) = load_round(&state, round_id).await?;
    auth.require(&state, Action::ManageReports, Some(round.unit_id))
        .await?;
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
            render_form(
                &state,
                ctx,
                &auth,
                round_id,
                unit,
                None,
                vec![e],
                String::new(),
            )
            .await
        }
    }
}

#[derive(Template)]
#[template(path = "admin/report_consolidation.html")]
struct ConsolidationPage {
    ctx: Ctx,
    round: Round,
    period: String,
    c: danchu_db::reporting::Consolidation,
    include_submitted: bool,
}

impl ConsolidationPage {
    fn total(&self, a: &Aggregate) -> String {
        a.display()
    }
    fn cell(&self, v: &Option<Value>) -> String {
        match v {
            None => "—".into(),
            Some(Value::Int(n)) => danchu_core::text::format_number(*n),
            Some(Value::Dec(x)) => danchu_core::reporting::format_value(*x),
            Some(Value::Bool(b)) => if *b { "Có" } else { "Không" }.into(),
            Some(Value::Text(t)) => t.clone(),
        }
    }
}

#[derive(Deserialize, Default)]
struct ConsolidationQuery {
    #[serde(default)]
    gom_da_nop: String,
}

async fn consolidation(
    State(state): State<AppState>,
    ctx: Ctx,
    auth: Auth,
    Path(id): Path<i64>,
    Query(q): Query<ConsolidationQuery>,
) -> AppResult<Html<String>> {
    let (round, _) = load_round(&state, id).await?;
    auth.require(&state, Action::ManageReports, Some(round.unit_id))
        .await?;
    let include_submitted = q.gom_da_nop == "1";
    let c = danchu_db::reporting::consolidate(&state.db, id, include_submitted).await?;
    Ok(Html(
        ConsolidationPage {
            ctx,
            period: period_name(&round),
            round,
            c,
            include_submitted,
        }
        .render()?,
    ))
}

/// The consolidation as an XLSX workbook (a download).
async fn consolidation_xlsx(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Query(q): Query<ConsolidationQuery>,
) -> AppResult<Response> {
    let (round, _) = load_round(&state, id).await?;
    auth.require(&state, Action::ManageReports, Some(round.unit_id))
        .await?;
    let c = danchu_db::reporting::consolidate(&state.db, id, q.gom_da_nop == "1").await?;
    let period = period_name(&round);
    let bytes = super::report_export::consolidation_xlsx(&round, &period, &c)
        .map_err(|e| AppError::Internal(format!("xlsx: {e}")))?;
    let name = format!("tong-hop-{}.xlsx", round.id);
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}
