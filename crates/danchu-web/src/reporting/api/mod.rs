//! Periodic reporting through the API: templates and their versions ([`templates`]),
//! rounds ([`rounds`]), a unit's report (save a draft or submit), accepting or returning
//! it, and the consolidation ([`submissions`]).

mod answers;
pub mod body;
pub mod rounds;
pub mod submissions;
pub mod templates;

use axum::http::StatusCode;
use axum::Json;
use danchu_core::reporting::{Kind, TemplateBody};
use danchu_core::roles::Action;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use self::body::TemplateCreated;
use crate::api::{ApiAuth, ApiError, ApiResult};
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(templates::templates, templates::create_template))
        .routes(routes!(templates::new_version))
        .routes(routes!(rounds::rounds, rounds::create_round))
        .routes(routes!(rounds::round))
        .routes(routes!(submissions::submission, submissions::save))
        .routes(routes!(submissions::decide))
        .routes(routes!(submissions::consolidation))
}

/// A round: the path `/api/v1/bao-cao/dot/{round}…`.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct RoundPath {
    /// Mã đợt báo cáo
    pub round: i64,
}

/// A unit's report in a round: the path `/api/v1/bao-cao/dot/{round}/don-vi/{unit}`.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct RoundUnit {
    /// Mã đợt báo cáo
    pub round: i64,
    /// Mã đơn vị
    pub unit: i64,
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

/// A template as sent, before it is written: it has a name, and is within the bounds.
fn checked_template(name: &str, body: &TemplateBody) -> ApiResult<()> {
    if danchu_core::text::clean_line(name).is_empty() {
        return Err(ApiError::field("name", "Hãy đặt tên mẫu báo cáo."));
    }
    over_bounds(body).map_or(Ok(()), Err)
}

/// The answer to writing a template (a new one or a new version): 201 with it, or what
/// the use case refused, on `body`.
fn template_created(
    written: Result<danchu_db::reporting::Template, danchu_db::DbError>,
) -> ApiResult<(StatusCode, Json<TemplateCreated>)> {
    match written {
        Ok(created) => Ok((
            StatusCode::CREATED,
            Json(TemplateCreated {
                template: (&created).into(),
            }),
        )),
        Err(danchu_db::DbError::Invalid(m)) => Err(ApiError::field("body", m)),
        Err(other) => Err(other.into()),
    }
}
