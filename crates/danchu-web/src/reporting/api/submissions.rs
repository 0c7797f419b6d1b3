//! A unit's report through the API (save a draft or submit), accepting or returning it,
//! and a round's consolidation.

use axum::extract::Path;
use axum::Json;
use danchu_core::reporting::{Status, Step};
use danchu_core::roles::Action;
use danchu_db::reporting::Saved as DbSaved;
use serde::Deserialize;
use utoipa::IntoParams;

use super::body::*;
use super::rounds::unit_of_round;
use super::*;
use crate::api::error::FieldErrorBody;
use crate::api::paging::{PageInfo, PageQuery};
use crate::api::Caller;
use crate::api::{ApiError, ApiJson, ApiResult};
use crate::form::Query;

/// Báo cáo của đơn vị và các phiên bản đã nộp
///
/// Đơn vị phải báo cáo, hoặc Phòng Nội vụ của đợt.
#[utoipa::path(
    get,
    path = "/api/v1/bao-cao/dot/{round}/don-vi/{unit}",
    operation_id = "get_submission",
    tag = "bao-cao",
    params(RoundUnit),
    security(("unitToken" = []), ("session" = [])),
    responses(
        (status = 200, description = "Báo cáo của đơn vị", body = SubmissionDetail),
        (status = 404, response = crate::api::error::NotFound),
        crate::api::error::Guarded,
    )
)]
pub(super) async fn submission(
    Caller { state, auth }: Caller,
    Path(RoundUnit {
        round: round_id,
        unit,
    }): Path<RoundUnit>,
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
    params(RoundUnit),
    request_body = SaveBody,
    security(("unitToken" = []), ("session" = [], "csrfHeader" = [])),
    responses(
        (status = 200, description = "Đã lưu hoặc đã nộp", body = Saved),
        (status = 404, response = crate::api::error::NotFound),
        (status = 409, response = crate::api::error::Conflict),
        crate::api::error::Guarded,
        crate::api::error::BadBody,
    )
)]
pub(super) async fn save(
    Caller { state, auth }: Caller,
    Path(RoundUnit {
        round: round_id,
        unit,
    }): Path<RoundUnit>,
    ApiJson(body): ApiJson<SaveBody>,
) -> ApiResult<Json<Saved>> {
    auth.0
        .require(&state, Action::SubmitReports, Some(unit))
        .await?;
    let (_, template, _) = unit_of_round(&state, &auth, round_id, unit).await?;
    let typed = super::answers::typed_of(&template.body, &body.answers)?;
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
    params(RoundUnit),
    request_body = DecideBody,
    security(("unitToken" = []), ("session" = [], "csrfHeader" = [])),
    responses(
        (status = 200, description = "Đã xử lý", body = Decided),
        (status = 404, response = crate::api::error::NotFound),
        (status = 409, response = crate::api::error::Conflict),
        crate::api::error::Guarded,
        crate::api::error::BadBody,
    )
)]
pub(super) async fn decide(
    Caller { state, auth }: Caller,
    Path(RoundUnit {
        round: round_id,
        unit,
    }): Path<RoundUnit>,
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
pub(super) struct ConsolidationQuery {
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
    params(RoundPath, ConsolidationQuery),
    security(("unitToken" = []), ("session" = [])),
    responses(
        (status = 200, description = "Tổng hợp", body = ConsolidationOut),
        (status = 404, response = crate::api::error::NotFound),
        crate::api::error::Guarded,
    )
)]
pub(super) async fn consolidation(
    Caller { state, auth }: Caller,
    Path(RoundPath { round: id }): Path<RoundPath>,
    Query(q): Query<ConsolidationQuery>,
) -> ApiResult<Json<ConsolidationOut>> {
    let found = danchu_db::reporting::round(&state.db, id).await?;
    let (round, _) = auth
        .0
        .require_found(&state, Action::ManageReports, found, |(r, _)| r.unit_id)
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
