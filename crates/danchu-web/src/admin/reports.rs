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
use crate::form::{Form, FormAll, Query};
use crate::layout::Ctx;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/quan-tri/bao-cao", get(list))
        .route("/quan-tri/bao-cao/moi", get(new_round).post(create_round))
        .route("/quan-tri/bao-cao/{round}", get(round_page))
        .route("/quan-tri/bao-cao/{round}/tong-hop", get(consolidation))
        .route(
            "/quan-tri/bao-cao/{round}/tong-hop.xlsx",
            get(consolidation_xlsx),
        )
        .route(
            "/quan-tri/bao-cao/{round}/bao-cao.docx",
            get(consolidation_docx),
        )
        .route(
            "/quan-tri/bao-cao/{round}/don-vi/{unit}",
            get(form_page)
                .post(save)
                .layer(axum::extract::DefaultBodyLimit::max(
                    crate::media::MAX_UPLOAD * 2 + 256 * 1024,
                )),
        )
        .route(
            "/quan-tri/bao-cao/{round}/don-vi/{unit}/xu-ly",
            post(decide),
        )
}

async fn may(state: &AppState, auth: &Auth, action: Action, unit: i64) -> bool {
    auth.may(state, action, unit).await.unwrap_or(false)
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
    can_manage: bool,
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
    let all = danchu_db::reporting::rounds(&state.db).await?;
    let manage = auth.scope(&state, Action::ManageReports).await?;
    let submit = auth.scope(&state, Action::SubmitReports).await?;
    let ids: Vec<i64> = all.iter().map(|r| r.id).collect();
    let statuses = danchu_db::reporting::statuses(&state.db, &ids).await?;
    let mut wanted: Vec<i64> = all
        .iter()
        .filter(|r| !manage.permits(r.unit_id))
        .flat_map(|r| r.units.iter().copied().filter(|u| submit.permits(*u)))
        .collect();
    wanted.sort_unstable();
    wanted.dedup();
    let names = danchu_db::units::by_ids(&mut state.db.clone(), &wanted).await?;
    let mut rounds = Vec::new();
    for round in all {
        let manages = manage.permits(round.unit_id);
        let mine: Vec<(i64, String, Option<Status>)> = if manages {
            Vec::new()
        } else {
            round
                .units
                .iter()
                .filter(|u| submit.permits(**u))
                .map(|u| {
                    let name = names.get(u).map(|x| x.name.clone()).unwrap_or_default();
                    (*u, name, statuses.get(&(round.id, *u)).copied())
                })
                .collect()
        };
        if manages || !mine.is_empty() {
            rounds.push(RoundLine {
                period: period_name(&round),
                round,
                manages,
                mine,
            });
        }
    }
    let can_manage = auth.may_somewhere(Action::ManageReports);
    Ok(Html(
        ListPage {
            ctx,
            rounds,
            can_manage,
        }
        .render()?,
    ))
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
    let all = danchu_db::reporting::rounds(&state.db).await?;
    let manage = auth.scope(state, Action::ManageReports).await?;
    let submit = auth.scope(state, Action::SubmitReports).await?;
    // Office admins cover every unit below them: list only their own unit's and those of
    // units they report for directly.
    let open: Vec<&Round> = all.iter().filter(|r| !manage.permits(r.unit_id)).collect();
    let ids: Vec<i64> = open.iter().map(|r| r.id).collect();
    let statuses = danchu_db::reporting::statuses(&state.db, &ids).await?;
    let mut todo = Vec::new();
    for round in &open {
        for u in round.units.iter().filter(|u| submit.permits(**u)) {
            let status = statuses.get(&(round.id, *u)).copied();
            if matches!(status, None | Some(Status::Draft | Status::Returned)) {
                todo.push((*round, *u, status));
            }
        }
    }
    let unit_ids: Vec<i64> = todo.iter().map(|t| t.1).collect();
    let names = danchu_db::units::by_ids(&mut state.db.clone(), &unit_ids).await?;
    for (round, u, status) in todo {
        out.push(Pending {
            url: format!("/quan-tri/bao-cao/{}/don-vi/{u}", round.id),
            title: round.title.clone(),
            unit: names.get(&u).map(|x| x.name.clone()).unwrap_or_default(),
            status: status.map_or("Chưa nộp", Status::name_vi),
            deadline: show_date(&round.deadline),
            overdue: today > round.deadline,
        });
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
    let mut sourced = BTreeMap::new();
    for i in template.body.indicators() {
        if let Some(src) = &i.source {
            let n = danchu_db::reporting::source_value(
                &state.db,
                src,
                unit_id,
                &round.cutoff_from,
                &round.cutoff_to,
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

async fn save(
    State(state): State<AppState>,
    ctx: Ctx,
    auth: Auth,
    Path((round, unit)): Path<(i64, i64)>,
    req: axum::extract::Request,
) -> AppResult<Response> {
    auth.require(&state, Action::SubmitReports, Some(unit))
        .await?;
    let general = |message: String| {
        vec![danchu_core::reporting::FieldError {
            code: String::new(),
            message,
        }]
    };
    let p = match posted(&state, req).await {
        Ok(p) => p,
        Err((m, _)) => {
            return render_form(
                &state,
                ctx,
                &auth,
                round,
                unit,
                None,
                general(m),
                String::new(),
            )
            .await
        }
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
            return render_form(
                &state,
                ctx,
                &auth,
                round,
                unit,
                Some(p.fields),
                general(r.message),
                String::new(),
            )
            .await;
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
        (round, unit),
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
    render_form(
        &state,
        ctx,
        &auth,
        round,
        unit,
        Some(p.fields),
        errors,
        String::new(),
    )
    .await
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
    /// The same period one year earlier: its name and its totals by indicator code.
    last_year: Option<(String, BTreeMap<String, Aggregate>)>,
}

impl ConsolidationPage {
    fn total(&self, i: &Indicator, a: &Aggregate) -> String {
        a.display_for(&i.kind)
    }
    /// Last year's total of an indicator, and the change for numbers ("+120", "-3,5").
    fn compare(&self, code: &str, now: &Aggregate) -> (String, String) {
        let Some(before) = self.last_year.as_ref().and_then(|(_, t)| t.get(code)) else {
            return ("—".into(), String::new());
        };
        let number = |a: &Aggregate| match a {
            Aggregate::Number(x) => Some(*x),
            Aggregate::Count(n) => Some(*n as f64),
            _ => None,
        };
        let change = match (number(now), number(before)) {
            (Some(a), Some(b)) => {
                let d = a - b;
                let sign = if d > 0.0 { "+" } else { "" };
                format!("{sign}{}", danchu_core::reporting::format_value(d))
            }
            _ => String::new(),
        };
        (before.display(), change)
    }
    /// The answer of a unit for the `j`-th indicator.
    fn cell(&self, j: &usize, v: &Option<Value>) -> String {
        match (v, self.c.indicators.get(*j)) {
            (None, _) => "—".into(),
            (Some(v), Some(i)) => danchu_core::reporting::display_for(&i.kind, v),
            (Some(v), None) => danchu_core::reporting::display_value(v),
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
    // "Cùng kỳ năm trước": the same report for the same period one year earlier.
    let last_year = match danchu_db::reporting::same_period_last_year(&state.db, &round).await? {
        Some(prev) => {
            let p = danchu_db::reporting::consolidate(&state.db, prev, include_submitted).await?;
            let name = Period::parse(&round.period)
                .map(|p| p.a_year_before().name_vi())
                .unwrap_or_default();
            let totals = p
                .indicators
                .iter()
                .map(|i| i.code.clone())
                .zip(p.totals)
                .collect();
            Some((name, totals))
        }
        None => None,
    };
    Ok(Html(
        ConsolidationPage {
            ctx,
            period: period_name(&round),
            round,
            c,
            include_submitted,
            last_year,
        }
        .render()?,
    ))
}

/// A round's consolidation for Phòng Nội vụ (the downloads' common part).
async fn consolidated(
    state: &AppState,
    auth: &Auth,
    id: i64,
    include_submitted: bool,
) -> AppResult<(Round, danchu_db::reporting::Consolidation)> {
    let (round, _) = load_round(state, id).await?;
    auth.require(state, Action::ManageReports, Some(round.unit_id))
        .await?;
    let c = danchu_db::reporting::consolidate(&state.db, id, include_submitted).await?;
    Ok((round, c))
}

/// A file to download.
fn download(bytes: Vec<u8>, mime: &'static str, name: &str) -> Response {
    (
        [
            (axum::http::header::CONTENT_TYPE, mime.to_string()),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// The consolidation as an XLSX workbook.
async fn consolidation_xlsx(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Query(q): Query<ConsolidationQuery>,
) -> AppResult<Response> {
    let (round, c) = consolidated(&state, &auth, id, q.gom_da_nop == "1").await?;
    let bytes = super::report_export::consolidation_xlsx(&round, &period_name(&round), &c)
        .map_err(|e| AppError::Internal(format!("xlsx: {e}")))?;
    Ok(download(
        bytes,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &format!("tong-hop-{}.xlsx", round.id),
    ))
}

#[derive(Deserialize, Default, Clone)]
pub(crate) struct RoundForm {
    #[serde(default)]
    pub template_id: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub period: String,
    #[serde(default)]
    pub cutoff_from: String,
    #[serde(default)]
    pub cutoff_to: String,
    #[serde(default)]
    pub deadline: String,
}

#[derive(Template)]
#[template(path = "admin/report_round_form.html")]
struct RoundFormPage {
    ctx: Ctx,
    f: RoundForm,
    templates: Vec<ReportTemplate>,
    /// (unit id, name, chosen)
    units: Vec<(i64, String, bool)>,
    errors: Vec<super::FieldError>,
}

impl RoundFormPage {
    fn err(&self, f: &str) -> Option<&str> {
        super::error_for(&self.errors, f)
    }
    fn periods(&self) -> Vec<(String, String)> {
        let year = danchu_db::today_vn()
            .get(..4)
            .and_then(|y| y.parse::<i32>().ok())
            .unwrap_or(2026);
        let mut out = Vec::new();
        for y in [year, year - 1] {
            for p in [
                Period::FirstHalf { year: y },
                Period::SecondHalf { year: y },
                Period::NineMonths { year: y },
                Period::Year { year: y },
            ]
            .into_iter()
            .chain((1..=4).map(|quarter| Period::Quarter { year: y, quarter }))
            .chain((1..=12).map(|month| Period::Month { year: y, month }))
            {
                out.push((p.code(), p.name_vi()));
            }
        }
        out
    }
}

/// The templates the user may open rounds with, and the units those rounds can ask.
async fn round_choices(
    state: &AppState,
    auth: &Auth,
) -> AppResult<(Vec<ReportTemplate>, Vec<(i64, String)>)> {
    let manage = auth.scope(state, Action::ManageReports).await?;
    let templates: Vec<ReportTemplate> = danchu_db::reporting::templates(&state.db)
        .await?
        .into_iter()
        .filter(|t| manage.permits(t.unit_id))
        .collect();
    let mut offices: Vec<i64> = templates.iter().map(|t| t.unit_id).collect();
    offices.sort_unstable();
    offices.dedup();
    let units = super::units_beside_all(state, &offices).await?;
    Ok((templates, units))
}

async fn render_round_form(
    state: &AppState,
    ctx: Ctx,
    auth: &Auth,
    f: RoundForm,
    chosen: Vec<i64>,
    errors: Vec<super::FieldError>,
) -> AppResult<Response> {
    auth.require_somewhere(Action::ManageReports)?;
    let (templates, units) = round_choices(state, auth).await?;
    let units = units
        .into_iter()
        .map(|(id, name)| (id, name, chosen.contains(&id)))
        .collect();
    let status = super::form_status(&errors);
    let page = RoundFormPage {
        ctx,
        f,
        templates,
        units,
        errors,
    };
    Ok((status, Html(page.render()?)).into_response())
}

async fn new_round(State(state): State<AppState>, ctx: Ctx, auth: Auth) -> AppResult<Response> {
    render_round_form(
        &state,
        ctx,
        &auth,
        RoundForm::default(),
        Vec::new(),
        Vec::new(),
    )
    .await
}

/// Checks a new round as typed (in the form or through the API): the template and units
/// must be the user's to choose; dates are dd/mm/yyyy (or yyyy-mm-dd). Returns the round
/// to open, or the errors by field.
pub(crate) async fn check_round(
    state: &AppState,
    auth: &Auth,
    f: &RoundForm,
    chosen: &[i64],
) -> AppResult<Result<danchu_db::reporting::NewRound, Vec<super::FieldError>>> {
    let mut errors = Vec::new();
    let mut push = |field: &'static str, message: &str| {
        errors.push(super::FieldError {
            field,
            message: message.to_string(),
        })
    };
    let (templates, units) = round_choices(state, auth).await?;
    let template = f
        .template_id
        .parse::<i64>()
        .ok()
        .and_then(|id| templates.iter().find(|t| t.id == id));
    if template.is_none() {
        push("template_id", "Hãy chọn mẫu báo cáo.");
    }
    if danchu_core::text::clean_line(&f.title).is_empty() {
        push("title", "Hãy nhập tên đợt báo cáo.");
    }
    let period = Period::parse(&f.period);
    if !f.period.is_empty() && period.is_none() {
        push("period", "Kỳ báo cáo không hợp lệ.");
    }
    let day = |s: &str| danchu_core::text::parse_date(s).map(danchu_core::text::iso_date);
    let cutoff = match (f.cutoff_from.trim(), f.cutoff_to.trim()) {
        ("", "") => None,
        (a, b) => match (day(a), day(b)) {
            (Some(a), Some(b)) if a <= b => Some((a, b)),
            _ => {
                push(
                    "cutoff_from",
                    "Khoảng lấy số liệu không hợp lệ (dd/mm/yyyy, từ ngày trước đến ngày).",
                );
                None
            }
        },
    };
    if period.is_none() && cutoff.is_none() && f.period.is_empty() {
        push(
            "period",
            "Hãy chọn kỳ báo cáo, hoặc nhập khoảng lấy số liệu cho báo cáo đột xuất.",
        );
    }
    let deadline = day(&f.deadline);
    if deadline.is_none() {
        push("deadline", "Hãy nhập hạn nộp (dd/mm/yyyy).");
    }
    let allowed: Vec<i64> = chosen
        .iter()
        .copied()
        .filter(|c| units.iter().any(|u| u.0 == *c))
        .collect();
    if allowed.is_empty() {
        push("units", "Hãy chọn các đơn vị phải báo cáo.");
    }
    let (Some(t), Some(deadline), true) = (template, deadline, errors.is_empty()) else {
        return Ok(Err(errors));
    };
    let frequency = match period {
        Some(Period::Month { .. }) => danchu_core::reporting::Frequency::Monthly,
        Some(Period::Quarter { .. }) => danchu_core::reporting::Frequency::Quarterly,
        Some(Period::FirstHalf { .. } | Period::SecondHalf { .. }) => {
            danchu_core::reporting::Frequency::HalfYear
        }
        Some(Period::NineMonths { .. }) => danchu_core::reporting::Frequency::NineMonths,
        Some(Period::Year { .. }) => danchu_core::reporting::Frequency::Annual,
        None => danchu_core::reporting::Frequency::AdHoc,
    };
    Ok(Ok(danchu_db::reporting::NewRound {
        template_id: t.id,
        unit_id: t.unit_id,
        title: f.title.clone(),
        frequency,
        period,
        cutoff,
        deadline,
        units: allowed,
    }))
}

async fn create_round(
    State(state): State<AppState>,
    ctx: Ctx,
    auth: Auth,
    form: FormAll<RoundForm>,
) -> AppResult<Response> {
    let f = form.value.clone();
    let chosen: Vec<i64> = form
        .all("unit")
        .iter()
        .filter_map(|u| u.parse().ok())
        .collect();
    let new = match check_round(&state, &auth, &f, &chosen).await? {
        Ok(n) => n,
        Err(errors) => return render_round_form(&state, ctx, &auth, f, chosen, errors).await,
    };
    auth.require(&state, Action::ManageReports, Some(new.unit_id))
        .await?;
    let round = danchu_db::reporting::create_round(&state.db, &auth.actor(), &new).await?;
    Ok(Redirect::to(&format!("/quan-tri/bao-cao/{}", round.id)).into_response())
}

/// A draft of the consolidated report as DOCX, in the Decree 30/2020/NĐ-CP layout.
async fn consolidation_docx(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Query(q): Query<ConsolidationQuery>,
) -> AppResult<Response> {
    let (round, c) = consolidated(&state, &auth, id, q.gom_da_nop == "1").await?;
    let office = danchu_db::units::get(&mut state.db.clone(), round.unit_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let parent = match office.parent_id {
        Some(p) => danchu_db::units::get(&mut state.db.clone(), p)
            .await?
            .map(|u| u.name)
            .unwrap_or_default(),
        None => String::new(),
    };
    let issuer = super::report_docx::Issuer::new(&office.name, &parent);
    let bytes = super::report_docx::consolidation_docx(&round, &period_name(&round), &c, &issuer)
        .map_err(|e| AppError::Internal(format!("docx: {e}")))?;
    Ok(download(
        bytes,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        &format!("bao-cao-{}.docx", round.id),
    ))
}
