//! The disclosure register through the API (issue 7): the public register as open data
//! (the same filters and the same "public only" rule as `/cong-khai`), the categories,
//! and for officials the compliance of the units in their scope (as the dashboard).

pub mod body;

use std::collections::BTreeSet;

use axum::extract::{Path, RawQuery, State};
use axum::Json;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use self::body::*;
use crate::api::common::FileBody;
use crate::api::paging::{PageInfo, PageQuery};
use crate::api::Caller;
use crate::api::{ApiError, ApiResult};
use crate::disclosures::filter::PublicFilter;
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(categories))
        .routes(routes!(compliance))
        .routes(routes!(detail))
}

const PER_PAGE: i64 = 50;
const UNITS_PER_PAGE: i64 = 100;

/// The register's filters (read leniently, as the page reads them: a bad value is ignored).
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
struct RegisterQuery {
    /// Mã đơn vị.
    don_vi: Option<i64>,
    /// Mã danh mục (xem `/api/v1/cong-khai/danh-muc`).
    danh_muc: Option<i64>,
    /// Năm đăng.
    nam: Option<i32>,
    /// `1`: chỉ nội dung đang niêm yết.
    dang_niem_yet: Option<String>,
    /// Trang, từ 1 (50 một trang).
    #[param(minimum = 1)]
    trang: Option<i64>,
}

/// Sổ công khai: nội dung đang công khai trên cổng
///
/// Dữ liệu mở, cùng bộ lọc và cùng quy tắc "chỉ nội dung công khai" như trang `/cong-khai`.
/// Ai cũng gọi được.
#[utoipa::path(
    get,
    path = "/api/v1/cong-khai",
    operation_id = "list_disclosures",
    tag = "cong-khai",
    params(RegisterQuery),
    responses((status = 200, description = "Một trang sổ công khai", body = DisclosureList))
)]
async fn list(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<DisclosureList>> {
    let f = PublicFilter::read(raw.as_deref());
    let (total, items) = f
        .fetch(&state, danchu_db::today_vn_date(), PER_PAGE)
        .await?;
    Ok(Json(DisclosureList {
        total_capped: total > danchu_db::disclosures::COUNT_CAP,
        items: items.iter().map(DisclosureOut::from).collect(),
        page: PageInfo {
            total,
            page: f.page,
            per_page: PER_PAGE,
        },
    }))
}

/// Danh mục công khai
///
/// Xã: Luật 10/2022 Đ11; cơ quan: Luật PCTN 2018. Danh mục do luật định (22 mục), không
/// chia trang. Ai cũng gọi được.
#[utoipa::path(
    get,
    path = "/api/v1/cong-khai/danh-muc",
    operation_id = "list_disclosure_categories",
    tag = "cong-khai",
    responses((status = 200, description = "Mọi danh mục", body = CategoryList))
)]
async fn categories(State(state): State<AppState>) -> ApiResult<Json<CategoryList>> {
    let categories = danchu_db::disclosures::categories(&state.db)
        .await?
        .iter()
        .map(|(id, c)| CategoryEntry {
            id: *id,
            category: c.into(),
        })
        .collect();
    Ok(Json(CategoryList { categories }))
}

/// Nội dung công khai
///
/// Các phiên bản, hình thức công khai với minh chứng, Trưởng thôn đã nhận (R8), số ngày
/// niêm yết còn lại (R10). Chỉ nội dung công khai trên cổng; ai cũng gọi được.
#[utoipa::path(
    get,
    path = "/api/v1/cong-khai/{id}",
    operation_id = "get_disclosure",
    tag = "cong-khai",
    params(("id" = i64, Path, description = "Mã nội dung công khai")),
    responses(
        (status = 200, description = "Nội dung công khai", body = DisclosureDetail),
        (status = 404, response = crate::api::error::NotFound),
    )
)]
async fn detail(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult<Json<DisclosureDetail>> {
    let d = danchu_db::disclosures::get(&mut state.db.clone(), id)
        .await?
        .filter(|d| d.public)
        .ok_or_else(ApiError::not_found)?;
    let category = danchu_db::disclosures::category(&mut state.db.clone(), d.category_id).await?;
    let today = danchu_db::today_vn_date();
    // R10: days of the minimum posting period still to run.
    let remaining = match d.posted_on {
        Some(start) if d.taken_down_on.is_none() => Some(danchu_core::disclosures::days_remaining(
            start,
            category.as_ref().map_or(30, |c| c.min_days),
            today,
        )),
        _ => None,
    };
    let channels = danchu_db::disclosures::channels(&state.db, id)
        .await?
        .iter()
        .map(ChannelOut::from)
        .collect();
    let documents = danchu_db::disclosures::documents(&state.db, id)
        .await?
        .iter()
        .map(LinkedDocument::from)
        .collect();
    // Without who typed each version: the public page does not show staff accounts either.
    let versions = danchu_db::disclosures::versions(&state.db, id)
        .await?
        .iter()
        .map(DisclosureVersion::from)
        .collect();
    let files = danchu_db::disclosures::files(&state.db, id)
        .await?
        .iter()
        .map(FileBody::from)
        .collect();
    Ok(Json(DisclosureDetail {
        disclosure: (&d).into(),
        category: category.as_ref().map(CategoryOut::from),
        posting_days_remaining: remaining,
        versions,
        channels,
        files,
        documents,
    }))
}

/// The compliance filters (read leniently).
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
struct ComplianceParams {
    /// Năm (mặc định năm nay).
    nam: Option<i32>,
    /// `co-quan`: các cơ quan, đơn vị (Luật PCTN); mặc định các xã.
    loai: Option<String>,
    /// Mã danh mục.
    danh_muc: Option<i64>,
    /// Trang các đơn vị, từ 1 (100 một trang).
    #[param(minimum = 1)]
    trang: Option<i64>,
}

/// Tình hình thực hiện nghĩa vụ công khai
///
/// Các đơn vị trong phạm vi của cán bộ (hoặc đơn vị của khóa API), như bảng theo dõi:
/// một trang đơn vị, với các nghĩa vụ và nội dung còn thiếu hình thức của các đơn vị ấy.
#[utoipa::path(
    get,
    path = "/api/v1/cong-khai/tuan-thu",
    operation_id = "get_disclosure_compliance",
    tag = "cong-khai",
    params(ComplianceParams),
    security(("unitToken" = []), ("session" = [])),
    responses(
        (status = 200, description = "Tình hình thực hiện", body = ComplianceOut),
        crate::api::error::Guarded,
    )
)]
async fn compliance(
    Caller { state, auth }: Caller,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<ComplianceOut>> {
    let p = |name: &str| crate::form::lenient_param(raw.as_deref(), name);
    let q = crate::disclosures::compliance::ComplianceQuery {
        nam: p("nam"),
        danh_muc: p("danh_muc"),
        loai: p("loai"),
    };
    let page = PageQuery {
        trang: p("trang").parse().ok(),
    };
    let (_, list, obligations, unmet) =
        crate::disclosures::compliance::compliance_of(&state, &auth.0, &q).await?;
    let (total, list) = page.slice(list, UNITS_PER_PAGE);
    let shown: BTreeSet<i64> = list.iter().map(|u| u.unit_id).collect();
    let count = |n: usize| n as i64;
    Ok(Json(ComplianceOut {
        year: q.year(),
        scope: q.scope().to_string(),
        units: list
            .iter()
            .map(|u| UnitComplianceOut {
                unit_id: u.unit_id,
                unit_name: u.unit_name.clone(),
                parent: u.parent.clone(),
                due: count(u.due),
                on_time: count(u.on_time),
                late: count(u.late),
                missing: count(u.missing),
                upcoming: count(u.upcoming),
                current: count(u.current),
                short: count(u.short),
                unmet_forms: count(u.unmet),
            })
            .collect(),
        obligations: obligations
            .iter()
            .filter(|o| shown.contains(&o.unit_id))
            .map(ObligationOut::from)
            .collect(),
        unmet_forms: unmet
            .iter()
            .filter(|u| shown.contains(&u.unit_id))
            .map(|u| UnmetOut {
                disclosure_id: u.disclosure_id,
                unit_id: u.unit_id,
                missing: u.missing.clone(),
            })
            .collect(),
        page: PageInfo::new(&page, total, UNITS_PER_PAGE),
    }))
}
