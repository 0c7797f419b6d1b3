//! Report templates and their versions through the API.

use axum::extract::Path;
use axum::http::StatusCode;
use axum::Json;
use danchu_core::roles::Action;

use super::body::*;
use super::*;
use crate::api::paging::{PageInfo, PageQuery};
use crate::api::Caller;
use crate::api::{ApiJson, ApiResult};
use crate::form::Query;

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
        (status = 401, response = crate::api::error::Unauthorized),
    )
)]
pub(super) async fn templates(
    Caller { state, auth }: Caller,
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
        crate::api::error::Guarded,
        crate::api::error::BadBody,
    )
)]
pub(super) async fn create_template(
    Caller { state, auth }: Caller,
    ApiJson(t): ApiJson<NewTemplate>,
) -> ApiResult<(StatusCode, Json<TemplateCreated>)> {
    auth.0
        .require(&state, Action::ManageReports, Some(t.unit_id))
        .await?;
    checked_template(&t.name, &t.body)?;
    let written = danchu_db::reporting::create_template(
        &state.db,
        &auth.0.actor(),
        t.unit_id,
        &t.name,
        &t.body,
    )
    .await;
    template_created(written)
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
        (status = 404, response = crate::api::error::NotFound),
        crate::api::error::Guarded,
        crate::api::error::BadBody,
    )
)]
pub(super) async fn new_version(
    Caller { state, auth }: Caller,
    Path(family): Path<i64>,
    ApiJson(t): ApiJson<NewVersion>,
) -> ApiResult<(StatusCode, Json<TemplateCreated>)> {
    let found = danchu_db::reporting::templates(&state.db)
        .await?
        .into_iter()
        .find(|x| x.family_id == family);
    auth.0
        .require_found(&state, Action::ManageReports, found, |t| t.unit_id)
        .await?;
    checked_template(&t.name, &t.body)?;
    let written = danchu_db::reporting::new_template_version(
        &state.db,
        &auth.0.actor(),
        family,
        &t.name,
        &t.body,
    )
    .await;
    template_created(written)
}
