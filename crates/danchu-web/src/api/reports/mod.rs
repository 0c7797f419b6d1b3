//! Periodic reporting through the API: templates and their versions, rounds, a unit's
//! report (save a draft or submit), accepting or returning it, and the consolidation.

mod answers;
pub mod body;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use danchu_core::reporting::{Kind, Status, Step, TemplateBody};
use danchu_core::roles::Action;
use danchu_db::reporting::Saved as DbSaved;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use self::body::*;
use super::error::FieldErrorBody;
use super::paging::{PageInfo, PageQuery};
use super::{ApiAuth, ApiError, ApiJson, ApiResult};
use crate::form::Query;
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(templates, create_template))
        .routes(routes!(new_version))
        .routes(routes!(rounds, create_round))
        .routes(routes!(round))
        .routes(routes!(submission, save))
        .routes(routes!(decide))
        .routes(routes!(consolidation))
}

const TEMPLATES_PER_PAGE: i64 = 50;
const ROUNDS_PER_PAGE: i64 = 20;
const UNITS_PER_PAGE: i64 = 100;

/// Bounds of a template sent through the API (the admin editor offers 300 rows).
const MAX_SECTIONS: usize = 50;
const MAX_INDICATORS: usize = 300;
const MAX_COLUMNS: usize = 50;
const MAX_CHOICES: usize = 100;
const MAX_RULES: usize = 100;
/// Longest reason for returning a report.
const MAX_REASON: usize = 2000;

/// Whether the caller may do `action` on `unit` (no refusal logged: it decides what to
/// show or which check applies).
async fn may(state: &AppState, auth: &ApiAuth, action: Action, unit: i64) -> ApiResult<bool> {
    Ok(auth.0.may(state, action, unit).await?)
}

/// Why a template body is too big for one template, if it is.
fn over_bounds(body: &TemplateBody) -> Option<ApiError> {
    let indicators = body.indicators();
    let too_many = |what: &str, n: usize| {
        Some(ApiError::field(
            "body",
            format!("Mẫu báo cáo có nhiều nhất {n} {what}."),
        ))
    };
    if body.sections.len() > MAX_SECTIONS {
        return too_many("phần", MAX_SECTIONS);
    }
    if indicators.len() > MAX_INDICATORS {
        return too_many("chỉ tiêu", MAX_INDICATORS);
    }
    if body.rules.len() > MAX_RULES {
        return too_many("quy tắc đối chiếu", MAX_RULES);
    }
    let choices = |k: &Kind| match k {
        Kind::Choice { choices } => choices.len(),
        _ => 0,
    };
    for i in &indicators {
        let columns = match &i.kind {
            Kind::Table { columns } => columns.as_slice(),
            _ => &[],
        };
        if columns.len() > MAX_COLUMNS {
            return too_many("cột trong một bảng", MAX_COLUMNS);
        }
        if choices(&i.kind) > MAX_CHOICES || columns.iter().any(|c| choices(&c.kind) > MAX_CHOICES)
        {
            return too_many("lựa chọn cho một chỉ tiêu", MAX_CHOICES);
        }
    }
    None
}

fn template_refused(e: danchu_db::DbError) -> ApiError {
    match e {
        danchu_db::DbError::Invalid(m) => ApiError::field("body", m),
        other => other.into(),
    }
}

/// Mẫu báo cáo (phiên bản mới nhất)
///
/// Các mẫu của đơn vị người gọi quản lý báo cáo, theo tên, 50 một trang.
#[utoipa::path(
    get,
    path = "/api/v1/bao-cao/mau",
    operation_id = "list_templates",
    tag = "bao-cao",
    params(PageQuery),
    security(("unitToken" = []), ("session" = [])),
    responses(
        (status = 200, description = "Một trang mẫu báo cáo", body = TemplateList),
        (status = 401, response = super::error::Unauthorized),
    )
)]
async fn templates(
    State(state): State<AppState>,
    auth: ApiAuth,
    Query(q): Query<PageQuery>,
) -> ApiResult<Json<TemplateList>> {
    let manage = auth.0.scope(&state, Action::ManageReports).await?;
    let mine: Vec<_> = danchu_db::reporting::templates(&state.db)
        .await?
        .into_iter()
        .filter(|t| manage.permits(t.unit_id))
        .collect();
    let (total, page) = q.slice(mine, TEMPLATES_PER_PAGE);
    Ok(Json(TemplateList {
        templates: page.iter().map(TemplateOut::from).collect(),
        page: PageInfo::new(&q, total, TEMPLATES_PER_PAGE),
    }))
}

/// Tạo mẫu báo cáo
///
/// Phòng Nội vụ (quản lý báo cáo của đơn vị `unit_id`). Một mẫu có nhiều nhất 50 phần,
/// 300 chỉ tiêu, 100 quy tắc; một bảng 50 cột; một chỉ tiêu 100 lựa chọn.
#[utoipa::path(
    post,
    path = "/api/v1/bao-cao/mau",
    operation_id = "create_template",
    tag = "bao-cao",
    request_body = NewTemplate,
    security(("unitToken" = []), ("session" = [], "csrfHeader" = [])),
    responses(
        (status = 201, description = "Đã tạo mẫu (phiên bản 1)", body = TemplateCreated),
        (status = 400, response = super::error::BadJson),
        (status = 401, response = super::error::Unauthorized),
        (status = 403, response = super::error::Forbidden),
        (status = 413, response = super::error::TooLarge),
        (status = 415, response = super::error::UnsupportedType),
        (status = 422, response = super::error::Invalid),
    )
)]
async fn create_template(
    State(state): State<AppState>,
    auth: ApiAuth,
    ApiJson(t): ApiJson<NewTemplate>,
) -> ApiResult<(StatusCode, Json<TemplateCreated>)> {
    auth.0
        .require(&state, Action::ManageReports, Some(t.unit_id))
        .await?;
    if danchu_core::text::clean_line(&t.name).is_empty() {
        return Err(ApiError::field("name", "Hãy đặt tên mẫu báo cáo."));
    }
    if let Some(e) = over_bounds(&t.body) {
        return Err(e);
    }
    let created = danchu_db::reporting::create_template(
        &state.db,
        &auth.0.actor(),
        t.unit_id,
        &t.name,
        &t.body,
    )
    .await
    .map_err(template_refused)?;
    Ok((
        StatusCode::CREATED,
        Json(TemplateCreated {
            template: (&created).into(),
        }),
    ))
}

/// Phiên bản mới của mẫu
///
/// Phòng Nội vụ sở hữu mẫu. Các đợt đã mở vẫn dùng phiên bản cũ.
#[utoipa::path(
    post,
    path = "/api/v1/bao-cao/mau/{family}/phien-ban",
    operation_id = "create_template_version",
    tag = "bao-cao",
    params(("family" = i64, Path, description = "Mã mẫu (`family_id`)")),
    request_body = NewVersion,
    security(("unitToken" = []), ("session" = [], "csrfHeader" = [])),
    responses(
        (status = 201, description = "Đã tạo phiên bản mới", body = TemplateCreated),
        (status = 400, response = super::error::BadJson),
        (status = 401, response = super::error::Unauthorized),
        (status = 403, response = super::error::Forbidden),
        (status = 404, response = super::error::NotFound),
        (status = 413, response = super::error::TooLarge),
        (status = 415, response = super::error::UnsupportedType),
        (status = 422, response = super::error::Invalid),
    )
)]
async fn new_version(
    State(state): State<AppState>,
    auth: ApiAuth,
    Path(family): Path<i64>,
    ApiJson(t): ApiJson<NewVersion>,
) -> ApiResult<(StatusCode, Json<TemplateCreated>)> {
    let current = danchu_db::reporting::templates(&state.db)
        .await?
        .into_iter()
        .find(|x| x.family_id == family)
        .ok_or_else(ApiError::not_found)?;
    auth.0
        .require(&state, Action::ManageReports, Some(current.unit_id))
        .await?;
    if danchu_core::text::clean_line(&t.name).is_empty() {
        return Err(ApiError::field("name", "Hãy đặt tên mẫu báo cáo."));
    }
    if let Some(e) = over_bounds(&t.body) {
        return Err(e);
    }
    let created = danchu_db::reporting::new_template_version(
        &state.db,
        &auth.0.actor(),
        family,
        &t.name,
        &t.body,
    )
    .await
    .map_err(template_refused)?;
    Ok((
        StatusCode::CREATED,
        Json(TemplateCreated {
            template: (&created).into(),
        }),
    ))
}

/// Các đợt báo cáo liên quan
///
/// Các đợt người gọi quản lý hoặc có đơn vị phải báo cáo, hạn nộp muộn nhất trước, 20 một
/// trang.
#[utoipa::path(
    get,
    path = "/api/v1/bao-cao/dot",
    operation_id = "list_rounds",
    tag = "bao-cao",
    params(PageQuery),
    security(("unitToken" = []), ("session" = [])),
    responses(
        (status = 200, description = "Một trang đợt báo cáo", body = RoundList),
        (status = 401, response = super::error::Unauthorized),
    )
)]
async fn rounds(
    State(state): State<AppState>,
    auth: ApiAuth,
    Query(q): Query<PageQuery>,
) -> ApiResult<Json<RoundList>> {
    let manage = auth.0.scope(&state, Action::ManageReports).await?;
    let submit = auth.0.scope(&state, Action::SubmitReports).await?;
    let mut seen = Vec::new();
    for r in danchu_db::reporting::rounds(&state.db).await? {
        let manages = manage.permits(r.unit_id);
        let mine: Vec<i64> = if manages {
            Vec::new()
        } else {
            r.units
                .iter()
                .copied()
                .filter(|u| submit.permits(*u))
                .collect()
        };
        if manages || !mine.is_empty() {
            seen.push((r, manages, mine));
        }
    }
    let (total, page) = q.slice(seen, ROUNDS_PER_PAGE);
    let ids: Vec<i64> = page.iter().map(|(r, ..)| r.id).collect();
    let statuses = danchu_db::reporting::statuses(&state.db, &ids).await?;
    let rounds = page
        .iter()
        .map(|(r, manages, mine)| RoundEntry {
            round: r.into(),
            manages: *manages,
            my_units: mine
                .iter()
                .map(|u| MyUnit {
                    unit_id: *u,
                    status: statuses.get(&(r.id, *u)).copied(),
                })
                .collect(),
        })
        .collect();
    Ok(Json(RoundList {
        rounds,
        page: PageInfo::new(&q, total, ROUNDS_PER_PAGE),
    }))
}

/// Mở đợt báo cáo
///
/// Phòng Nội vụ sở hữu mẫu. Nhiều nhất 1000 đơn vị một đợt; đơn vị ngoài phạm vi bị bỏ qua.
#[utoipa::path(
    post,
    path = "/api/v1/bao-cao/dot",
    operation_id = "create_round",
    tag = "bao-cao",
    request_body = NewRound,
    security(("unitToken" = []), ("session" = [], "csrfHeader" = [])),
    responses(
        (status = 201, description = "Đã mở đợt báo cáo", body = RoundCreated),
        (status = 400, response = super::error::BadJson),
        (status = 401, response = super::error::Unauthorized),
        (status = 403, response = super::error::Forbidden),
        (status = 413, response = super::error::TooLarge),
        (status = 415, response = super::error::UnsupportedType),
        (status = 422, response = super::error::Invalid),
    )
)]
async fn create_round(
    State(state): State<AppState>,
    auth: ApiAuth,
    ApiJson(n): ApiJson<NewRound>,
) -> ApiResult<(StatusCode, Json<RoundCreated>)> {
    if n.units.len() > MAX_ROUND_UNITS {
        return Err(ApiError::field(
            "units",
            format!("Một đợt báo cáo có nhiều nhất {MAX_ROUND_UNITS} đơn vị."),
        ));
    }
    let mut units = n.units;
    let mut seen = std::collections::BTreeSet::new();
    units.retain(|u| seen.insert(*u));
    let form = crate::admin::reports::RoundForm {
        template_id: n.template_id,
        title: n.title,
        period: n.period,
        cutoff_from: n.cutoff_from,
        cutoff_to: n.cutoff_to,
        deadline: n.deadline,
    };
    let new = crate::admin::reports::check_round(&state, &auth.0, &form, &units)
        .await?
        .map_err(super::invalid)?;
    auth.0
        .require(&state, Action::ManageReports, Some(new.unit_id))
        .await?;
    let round = danchu_db::reporting::create_round(&state.db, &auth.0.actor(), &new).await?;
    Ok((
        StatusCode::CREATED,
        Json(RoundCreated {
            round: (&round).into(),
        }),
    ))
}

/// Đợt báo cáo, mẫu và (cho Phòng Nội vụ) tình hình nộp
///
/// Phòng Nội vụ của đợt thấy `dashboard`: một trang (100) các đơn vị và báo cáo của từng
/// đơn vị; đơn vị phải báo cáo thấy đợt và mẫu.
#[utoipa::path(
    get,
    path = "/api/v1/bao-cao/dot/{round}",
    operation_id = "get_round",
    tag = "bao-cao",
    params(("round" = i64, Path, description = "Mã đợt báo cáo"), PageQuery),
    security(("unitToken" = []), ("session" = [])),
    responses(
        (status = 200, description = "Đợt báo cáo", body = RoundDetail),
        (status = 401, response = super::error::Unauthorized),
        (status = 403, response = super::error::Forbidden),
        (status = 404, response = super::error::NotFound),
    )
)]
async fn round(
    State(state): State<AppState>,
    auth: ApiAuth,
    Path(id): Path<i64>,
    Query(q): Query<PageQuery>,
) -> ApiResult<Json<RoundDetail>> {
    let (round, template) = danchu_db::reporting::round(&state.db, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let manages = may(&state, &auth, Action::ManageReports, round.unit_id).await?;
    let submit = auth.0.scope(&state, Action::SubmitReports).await?;
    if !manages && !round.units.iter().any(|u| submit.permits(*u)) {
        return Err(crate::error::AppError::Forbidden.into());
    }
    let dashboard = if manages {
        let all = danchu_db::reporting::dashboard(&state.db, id, &danchu_db::today_vn()).await?;
        let (total, units) = q.slice(all, UNITS_PER_PAGE);
        Some(Dashboard {
            units: units.iter().map(UnitStateOut::from).collect(),
            page: PageInfo::new(&q, total, UNITS_PER_PAGE),
        })
    } else {
        None
    };
    Ok(Json(RoundDetail {
        round: (&round).into(),
        template: (&template).into(),
        dashboard,
    }))
}

/// The round, checked to include the unit, and whether the caller reports for the unit
/// (else it manages the round; anyone else is refused).
async fn unit_of_round(
    state: &AppState,
    auth: &ApiAuth,
    round_id: i64,
    unit: i64,
) -> ApiResult<(
    danchu_db::reporting::Round,
    danchu_db::reporting::Template,
    bool,
)> {
    let (round, template) = danchu_db::reporting::round(&state.db, round_id)
        .await?
        .filter(|(r, _)| r.units.contains(&unit))
        .ok_or_else(ApiError::not_found)?;
    let reports = may(state, auth, Action::SubmitReports, unit).await?;
    if !reports && !may(state, auth, Action::ManageReports, round.unit_id).await? {
        return Err(crate::error::AppError::Forbidden.into());
    }
    Ok((round, template, reports))
}

/// Báo cáo của đơn vị và các phiên bản đã nộp
///
/// Đơn vị phải báo cáo, hoặc Phòng Nội vụ của đợt.
#[utoipa::path(
    get,
    path = "/api/v1/bao-cao/dot/{round}/don-vi/{unit}",
    operation_id = "get_submission",
    tag = "bao-cao",
    params(
        ("round" = i64, Path, description = "Mã đợt báo cáo"),
        ("unit" = i64, Path, description = "Mã đơn vị"),
    ),
    security(("unitToken" = []), ("session" = [])),
    responses(
        (status = 200, description = "Báo cáo của đơn vị", body = SubmissionDetail),
        (status = 401, response = super::error::Unauthorized),
        (status = 403, response = super::error::Forbidden),
        (status = 404, response = super::error::NotFound),
    )
)]
async fn submission(
    State(state): State<AppState>,
    auth: ApiAuth,
    Path((round_id, unit)): Path<(i64, i64)>,
) -> ApiResult<Json<SubmissionDetail>> {
    unit_of_round(&state, &auth, round_id, unit).await?;
    let sub = danchu_db::reporting::submission(&state.db, round_id, unit).await?;
    let versions = match &sub {
        Some(s) => danchu_db::reporting::versions(&state.db, s.id).await?,
        None => Vec::new(),
    };
    Ok(Json(SubmissionDetail {
        submission: sub.as_ref().map(SubmissionOut::from),
        versions: versions
            .into_iter()
            .map(|(version, answers)| ReportVersion { version, answers })
            .collect(),
    }))
}

/// Lưu nháp hoặc nộp báo cáo
///
/// Đơn vị phải báo cáo (khóa API của đơn vị hoặc cán bộ báo cáo). Nộp khi còn lỗi: 422,
/// những gì đã gõ được giữ làm bản nháp; lưu nháp: 200 kèm `problems`.
#[utoipa::path(
    put,
    path = "/api/v1/bao-cao/dot/{round}/don-vi/{unit}",
    operation_id = "save_submission",
    tag = "bao-cao",
    params(
        ("round" = i64, Path, description = "Mã đợt báo cáo"),
        ("unit" = i64, Path, description = "Mã đơn vị"),
    ),
    request_body = SaveBody,
    security(("unitToken" = []), ("session" = [], "csrfHeader" = [])),
    responses(
        (status = 200, description = "Đã lưu hoặc đã nộp", body = Saved),
        (status = 400, response = super::error::BadJson),
        (status = 401, response = super::error::Unauthorized),
        (status = 403, response = super::error::Forbidden),
        (status = 404, response = super::error::NotFound),
        (status = 409, response = super::error::Conflict),
        (status = 413, response = super::error::TooLarge),
        (status = 415, response = super::error::UnsupportedType),
        (status = 422, response = super::error::Invalid),
    )
)]
async fn save(
    State(state): State<AppState>,
    auth: ApiAuth,
    Path((round_id, unit)): Path<(i64, i64)>,
    ApiJson(body): ApiJson<SaveBody>,
) -> ApiResult<Json<Saved>> {
    auth.0
        .require(&state, Action::SubmitReports, Some(unit))
        .await?;
    let (_, template, _) = unit_of_round(&state, &auth, round_id, unit).await?;
    let typed = answers::typed_of(&template.body, &body.answers)?;
    let step = if body.submit {
        Step::Submit
    } else {
        Step::SaveDraft
    };
    match danchu_db::reporting::save(&state.db, &auth.0.actor(), round_id, unit, &typed, step)
        .await?
    {
        DbSaved::Done(s) => {
            // A draft is kept as typed; say what would stop it from being submitted.
            let (_, problems) = danchu_core::reporting::validate(
                &template.body.indicators(),
                &template.body.rules,
                &s.typed,
            );
            Ok(Json(Saved {
                submission: (&s).into(),
                problems: problems
                    .into_iter()
                    .map(|e| FieldErrorBody {
                        field: e.code,
                        message: e.message,
                    })
                    .collect(),
            }))
        }
        DbSaved::Refused(why) => Err(ApiError::Conflict(why.to_string())),
        DbSaved::Invalid(_, errors) => Err(ApiError::Invalid(
            errors.into_iter().map(|e| (e.code, e.message)).collect(),
        )),
    }
}

/// Tiếp nhận hoặc trả lại báo cáo
///
/// Phòng Nội vụ của đợt. `step`: accept (tiếp nhận, là cuối cùng) hoặc return (trả lại,
/// kèm `reason`, bắt buộc, tối đa 2.000 ký tự).
#[utoipa::path(
    post,
    path = "/api/v1/bao-cao/dot/{round}/don-vi/{unit}/xu-ly",
    operation_id = "decide_submission",
    tag = "bao-cao",
    params(
        ("round" = i64, Path, description = "Mã đợt báo cáo"),
        ("unit" = i64, Path, description = "Mã đơn vị"),
    ),
    request_body = DecideBody,
    security(("unitToken" = []), ("session" = [], "csrfHeader" = [])),
    responses(
        (status = 200, description = "Đã xử lý", body = Decided),
        (status = 400, response = super::error::BadJson),
        (status = 401, response = super::error::Unauthorized),
        (status = 403, response = super::error::Forbidden),
        (status = 404, response = super::error::NotFound),
        (status = 409, response = super::error::Conflict),
        (status = 413, response = super::error::TooLarge),
        (status = 415, response = super::error::UnsupportedType),
        (status = 422, response = super::error::Invalid),
    )
)]
async fn decide(
    State(state): State<AppState>,
    auth: ApiAuth,
    Path((round_id, unit)): Path<(i64, i64)>,
    ApiJson(body): ApiJson<DecideBody>,
) -> ApiResult<Json<Decided>> {
    let (round, _, _) = unit_of_round(&state, &auth, round_id, unit).await?;
    auth.0
        .require(&state, Action::ManageReports, Some(round.unit_id))
        .await?;
    let step = match body.step.as_str() {
        "accept" => Step::Accept,
        "return" => Step::Return,
        _ => {
            return Err(ApiError::field(
                "step",
                "Bước xử lý là “accept” (tiếp nhận) hoặc “return” (trả lại).",
            ))
        }
    };
    let reason = danchu_core::text::clean_line(&body.reason);
    if step == Step::Return && reason.is_empty() {
        return Err(ApiError::field("reason", "Hãy ghi lý do trả lại."));
    }
    if reason.chars().count() > MAX_REASON {
        return Err(ApiError::field(
            "reason",
            format!(
                "Lý do dài quá {} ký tự.",
                danchu_core::text::format_number(MAX_REASON as i64)
            ),
        ));
    }
    let sub = danchu_db::reporting::submission(&state.db, round_id, unit)
        .await?
        .ok_or_else(|| ApiError::Conflict(Status::Draft.name_vi().to_string()))?;
    match danchu_db::reporting::decide(&state.db, &auth.0.actor(), sub.id, step, &body.reason)
        .await?
    {
        Ok(s) => Ok(Json(Decided {
            submission: (&s).into(),
        })),
        Err(why) => Err(ApiError::Conflict(why.to_string())),
    }
}

#[derive(Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
struct ConsolidationQuery {
    /// `1`: gồm cả báo cáo đã nộp chưa tiếp nhận.
    #[serde(default)]
    gom_da_nop: String,
    /// Trang các đơn vị, từ 1.
    #[serde(default)]
    #[param(minimum = 1)]
    trang: Option<i64>,
}

/// Tổng hợp đợt báo cáo
///
/// Phòng Nội vụ của đợt: tổng của từng chỉ tiêu trên các báo cáo đã tiếp nhận (và đã nộp
/// với `gom_da_nop=1`), và một trang (100) câu trả lời của các đơn vị.
#[utoipa::path(
    get,
    path = "/api/v1/bao-cao/dot/{round}/tong-hop",
    operation_id = "get_consolidation",
    tag = "bao-cao",
    params(("round" = i64, Path, description = "Mã đợt báo cáo"), ConsolidationQuery),
    security(("unitToken" = []), ("session" = [])),
    responses(
        (status = 200, description = "Tổng hợp", body = ConsolidationOut),
        (status = 401, response = super::error::Unauthorized),
        (status = 403, response = super::error::Forbidden),
        (status = 404, response = super::error::NotFound),
    )
)]
async fn consolidation(
    State(state): State<AppState>,
    auth: ApiAuth,
    Path(id): Path<i64>,
    Query(q): Query<ConsolidationQuery>,
) -> ApiResult<Json<ConsolidationOut>> {
    let (round, _) = danchu_db::reporting::round(&state.db, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    auth.0
        .require(&state, Action::ManageReports, Some(round.unit_id))
        .await?;
    let c = danchu_db::reporting::consolidate(&state.db, id, q.gom_da_nop == "1").await?;
    let totals = c
        .indicators
        .iter()
        .zip(&c.totals)
        .map(|(i, t)| TotalLine {
            code: i.code.clone(),
            label: i.label.clone(),
            unit: i.unit.clone(),
            aggregation: i.aggregation,
            total: t.into(),
            shown: t.display_for(&i.kind),
        })
        .collect();
    let page = PageQuery { trang: q.trang };
    let (total, matrix) = page.slice(c.matrix, UNITS_PER_PAGE);
    let units = matrix
        .into_iter()
        .map(|(name, cells)| UnitAnswers {
            unit: name,
            answers: c
                .indicators
                .iter()
                .zip(cells)
                .map(|(i, v)| (i.code.clone(), v))
                .collect(),
        })
        .collect();
    Ok(Json(ConsolidationOut {
        round: (&round).into(),
        totals,
        units,
        page: PageInfo::new(&page, total, UNITS_PER_PAGE),
    }))
}
