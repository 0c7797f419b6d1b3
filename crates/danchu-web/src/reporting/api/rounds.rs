//! Rounds through the API: those that concern the caller, opening one, one round.

use axum::extract::Path;
use axum::http::StatusCode;
use axum::Json;
use danchu_core::roles::Action;

use super::body::*;
use super::RoundPath;
use super::*;
use crate::api::paging::{PageInfo, PageQuery};
use crate::api::Caller;
use crate::api::{ApiAuth, ApiError, ApiJson, ApiResult};
use crate::form::Query;
use crate::AppState;

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
        (status = 401, response = crate::api::error::Unauthorized),
    )
)]
pub(super) async fn rounds(
    Caller { state, auth }: Caller,
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
        crate::api::error::Guarded,
        crate::api::error::BadBody,
    )
)]
pub(super) async fn create_round(
    Caller { state, auth }: Caller,
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
    let form = crate::reporting::round_form::RoundForm {
        template_id: n.template_id,
        title: n.title,
        period: n.period,
        cutoff_from: n.cutoff_from,
        cutoff_to: n.cutoff_to,
        deadline: n.deadline,
    };
    let new = crate::reporting::round_form::typed_round(&state, &auth.0, &form, &units).await?;
    if let Some((_, office)) = new.template {
        auth.0
            .require(&state, Action::ManageReports, Some(office))
            .await?;
    }
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
    params(RoundPath, PageQuery),
    security(("unitToken" = []), ("session" = [])),
    responses(
        (status = 200, description = "Đợt báo cáo", body = RoundDetail),
        (status = 404, response = crate::api::error::NotFound),
        crate::api::error::Guarded,
    )
)]
pub(super) async fn round(
    Caller { state, auth }: Caller,
    Path(RoundPath { round: id }): Path<RoundPath>,
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
        let all =
            danchu_db::reporting::dashboard(&state.db, id, danchu_db::today_vn_date()).await?;
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
pub(super) async fn unit_of_round(
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
