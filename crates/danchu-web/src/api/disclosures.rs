//! The disclosure register through the API (issue 7): the public register as open data
//! (the same filters and the same "public only" rule as `/cong-khai`), the categories,
//! and for officials the compliance of the units in their scope (as the dashboard).

use axum::extract::{Path, RawQuery, State};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value as JsonValue};

use super::{ApiAuth, ApiError, ApiResult};
use crate::error::AppError;
use crate::portal::disclosures::PublicFilter;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/cong-khai", get(list))
        .route("/api/v1/cong-khai/danh-muc", get(categories))
        .route("/api/v1/cong-khai/tuan-thu", get(compliance))
        .route("/api/v1/cong-khai/{id}", get(detail))
}

const PER_PAGE: i64 = 50;

/// A file as the API shows it: name, type, size and where to fetch it.
fn file(m: &danchu_db::media::Media) -> JsonValue {
    json!({"name": m.name, "mime": m.mime, "size": m.size, "url": format!("/tep/{}", m.stored_name)})
}

async fn list(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<JsonValue>> {
    let f = PublicFilter::read(raw.as_deref());
    let (total, items) = f.fetch(&state, &danchu_db::today_vn(), PER_PAGE).await?;
    Ok(Json(json!({
        "total": total,
        // Counts stop at the cap: "more than" that many.
        "total_capped": total > danchu_db::disclosures::COUNT_CAP,
        "page": f.page,
        "per_page": PER_PAGE,
        "items": items,
    })))
}

async fn categories(State(state): State<AppState>) -> ApiResult<Json<JsonValue>> {
    let cats: Vec<JsonValue> = danchu_db::disclosures::categories(&state.db)
        .await?
        .into_iter()
        .map(|(id, c)| json!({"id": id, "category": c}))
        .collect();
    Ok(Json(json!({ "categories": cats })))
}

async fn detail(State(state): State<AppState>, Path(id): Path<i64>) -> ApiResult<Json<JsonValue>> {
    let d = danchu_db::disclosures::get(&mut state.db.clone(), id)
        .await?
        .filter(|d| d.public)
        .ok_or(ApiError::App(AppError::NotFound))?;
    let category = danchu_db::disclosures::category(&mut state.db.clone(), d.category_id).await?;
    let today = danchu_db::today_vn();
    // R10: days of the minimum posting period still to run.
    let remaining = match (
        danchu_core::text::parse_date(&d.posted_on),
        danchu_core::text::parse_date(&today),
    ) {
        (Some(start), Some(t)) if d.taken_down_on.is_empty() => {
            Some(danchu_core::disclosure::days_remaining(
                start,
                category.as_ref().map_or(30, |c| c.min_days),
                t,
            ))
        }
        _ => None,
    };
    let channels: Vec<JsonValue> = danchu_db::disclosures::channels(&state.db, id)
        .await?
        .iter()
        .map(|c| {
            json!({
                "channel": c.channel,
                "name": c.channel.name_vi(),
                "starts_on": c.starts_on,
                "ends_on": c.ends_on,
                "evidence": c.evidence,
                "files": c.files.iter().map(file).collect::<Vec<_>>(),
                "heads_notified": c.notices,
            })
        })
        .collect();
    let documents: Vec<JsonValue> = danchu_db::disclosures::documents(&state.db, id)
        .await?
        .iter()
        .map(|doc| json!({"id": doc.id, "number": doc.number, "summary": doc.summary, "url": format!("/van-ban/{}", doc.id)}))
        .collect();
    Ok(Json(json!({
        "disclosure": d,
        "category": category,
        "posting_days_remaining": remaining,
        // Without who typed it: the public page does not show staff accounts either.
        "versions": danchu_db::disclosures::versions(&state.db, id)
            .await?
            .iter()
            .map(|v| json!({"version": v.version, "title": v.title, "body": v.body, "change_note": v.change_note, "created_at": v.created_at}))
            .collect::<Vec<_>>(),
        "channels": channels,
        "files": danchu_db::disclosures::files(&state.db, id).await?.iter().map(file).collect::<Vec<_>>(),
        "documents": documents,
    })))
}

/// The compliance of the units in the caller's scope (`nam`, `loai=co-quan`,
/// `danh_muc`), each with its obligations.
async fn compliance(
    State(state): State<AppState>,
    auth: ApiAuth,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<JsonValue>> {
    let p = |name: &str| crate::portal::search::lenient_param(raw.as_deref(), name);
    let q = crate::admin::disclosures::ComplianceQuery {
        nam: p("nam"),
        danh_muc: p("danh_muc"),
        loai: p("loai"),
    };
    let (_, list, obligations, unmet) =
        crate::admin::disclosures::compliance_of(&state, &auth.0, &q).await?;
    let units: Vec<JsonValue> = list
        .iter()
        .map(|u| {
            json!({
                "unit_id": u.unit_id, "unit_name": u.unit_name, "parent": u.parent,
                "due": u.due, "on_time": u.on_time, "late": u.late, "missing": u.missing,
                "upcoming": u.upcoming, "current": u.current, "short": u.short,
                "unmet_forms": u.unmet,
            })
        })
        .collect();
    let obligations: Vec<JsonValue> = obligations
        .iter()
        .map(|o| {
            json!({
                "unit_id": o.unit_id, "category_id": o.category_id, "period": o.period,
                "period_name": o.period_name, "due_on": o.due_on, "posted_on": o.posted_on,
                "status": o.status, "disclosure_id": o.disclosure_id,
            })
        })
        .collect();
    let unmet: Vec<JsonValue> = unmet
        .iter()
        .map(|u| json!({"disclosure_id": u.disclosure_id, "unit_id": u.unit_id, "missing": u.missing}))
        .collect();
    Ok(Json(json!({
        "year": q.year(),
        "scope": q.scope(),
        "units": units,
        "obligations": obligations,
        "unmet_forms": unmet,
    })))
}
