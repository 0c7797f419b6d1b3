//! Periodic reporting through the API: templates and their versions, rounds, a unit's
//! report (save a draft or submit), accepting or returning it, and the consolidation.

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use danchu_core::reporting::{Kind, Status, Step, TemplateBody};
use danchu_core::roles::Action;
use danchu_db::reporting::Saved;
use serde::Deserialize;
use serde_json::{json, Value as JsonValue};

use super::{ApiAuth, ApiError, ApiJson, ApiResult};
use crate::form::Query;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/bao-cao/mau", get(templates).post(create_template))
        .route("/api/v1/bao-cao/mau/{family}/phien-ban", post(new_version))
        .route("/api/v1/bao-cao/dot", get(rounds).post(create_round))
        .route("/api/v1/bao-cao/dot/{round}", get(round))
        .route(
            "/api/v1/bao-cao/dot/{round}/don-vi/{unit}",
            get(submission).put(save),
        )
        .route(
            "/api/v1/bao-cao/dot/{round}/don-vi/{unit}/xu-ly",
            post(decide),
        )
        .route("/api/v1/bao-cao/dot/{round}/tong-hop", get(consolidation))
}

async fn may(state: &AppState, auth: &ApiAuth, action: Action, unit: i64) -> bool {
    auth.0.may(state, action, unit).await.unwrap_or(false)
}

async fn templates(State(state): State<AppState>, auth: ApiAuth) -> ApiResult<Json<JsonValue>> {
    let mut out = Vec::new();
    for t in danchu_db::reporting::templates(&state.db).await? {
        if may(&state, &auth, Action::ManageReports, t.unit_id).await {
            out.push(t);
        }
    }
    Ok(Json(json!({ "templates": out })))
}

#[derive(Deserialize)]
struct NewTemplate {
    unit_id: i64,
    name: String,
    body: TemplateBody,
}

fn template_refused(e: danchu_db::DbError) -> ApiError {
    match e {
        danchu_db::DbError::Invalid(m) => ApiError::Invalid(vec![("body".into(), m)]),
        other => other.into(),
    }
}

async fn create_template(
    State(state): State<AppState>,
    auth: ApiAuth,
    ApiJson(t): ApiJson<NewTemplate>,
) -> ApiResult<Response> {
    auth.0
        .require(&state, Action::ManageReports, Some(t.unit_id))
        .await?;
    if danchu_core::text::clean_line(&t.name).is_empty() {
        return Err(ApiError::Invalid(vec![(
            "name".into(),
            "Hãy đặt tên mẫu báo cáo.".into(),
        )]));
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
    Ok((StatusCode::CREATED, Json(json!({ "template": created }))).into_response())
}

#[derive(Deserialize)]
struct NewVersion {
    name: String,
    body: TemplateBody,
}

async fn new_version(
    State(state): State<AppState>,
    auth: ApiAuth,
    Path(family): Path<i64>,
    ApiJson(t): ApiJson<NewVersion>,
) -> ApiResult<Response> {
    let current = danchu_db::reporting::templates(&state.db)
        .await?
        .into_iter()
        .find(|x| x.family_id == family)
        .ok_or(ApiError::App(crate::error::AppError::NotFound))?;
    auth.0
        .require(&state, Action::ManageReports, Some(current.unit_id))
        .await?;
    let created = danchu_db::reporting::new_template_version(
        &state.db,
        &auth.0.actor(),
        family,
        &t.name,
        &t.body,
    )
    .await
    .map_err(template_refused)?;
    Ok((StatusCode::CREATED, Json(json!({ "template": created }))).into_response())
}

async fn rounds(State(state): State<AppState>, auth: ApiAuth) -> ApiResult<Json<JsonValue>> {
    let mut out = Vec::new();
    for r in danchu_db::reporting::rounds(&state.db).await? {
        let manages = may(&state, &auth, Action::ManageReports, r.unit_id).await;
        let mut mine = Vec::new();
        for u in &r.units {
            if !manages && may(&state, &auth, Action::SubmitReports, *u).await {
                let status = danchu_db::reporting::submission(&state.db, r.id, *u)
                    .await?
                    .map(|s| s.status);
                mine.push(json!({"unit_id": u, "status": status}));
            }
        }
        if manages || !mine.is_empty() {
            out.push(json!({"round": r, "manages": manages, "my_units": mine}));
        }
    }
    Ok(Json(json!({ "rounds": out })))
}

#[derive(Deserialize)]
struct NewRound {
    #[serde(flatten)]
    form: crate::admin::reports::RoundForm,
    #[serde(default)]
    units: Vec<i64>,
}

async fn create_round(
    State(state): State<AppState>,
    auth: ApiAuth,
    ApiJson(n): ApiJson<NewRound>,
) -> ApiResult<Response> {
    let new = crate::admin::reports::check_round(&state, &auth.0, &n.form, &n.units)
        .await?
        .map_err(super::invalid)?;
    auth.0
        .require(&state, Action::ManageReports, Some(new.unit_id))
        .await?;
    let round = danchu_db::reporting::create_round(&state.db, &auth.0.actor(), &new).await?;
    Ok((StatusCode::CREATED, Json(json!({ "round": round }))).into_response())
}

async fn round(
    State(state): State<AppState>,
    auth: ApiAuth,
    Path(id): Path<i64>,
) -> ApiResult<Json<JsonValue>> {
    let (round, template) = danchu_db::reporting::round(&state.db, id)
        .await?
        .ok_or(ApiError::App(crate::error::AppError::NotFound))?;
    let manages = may(&state, &auth, Action::ManageReports, round.unit_id).await;
    let mut reports = false;
    for u in &round.units {
        reports = reports || may(&state, &auth, Action::SubmitReports, *u).await;
    }
    if !manages && !reports {
        return Err(crate::error::AppError::Forbidden.into());
    }
    let dashboard = if manages {
        Some(danchu_db::reporting::dashboard(&state.db, id, &danchu_db::today_vn()).await?)
    } else {
        None
    };
    Ok(Json(
        json!({"round": round, "template": template, "dashboard": dashboard}),
    ))
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
        .ok_or(ApiError::App(crate::error::AppError::NotFound))?;
    let reports = may(state, auth, Action::SubmitReports, unit).await;
    if !reports && !may(state, auth, Action::ManageReports, round.unit_id).await {
        return Err(crate::error::AppError::Forbidden.into());
    }
    Ok((round, template, reports))
}

async fn submission(
    State(state): State<AppState>,
    auth: ApiAuth,
    Path((round_id, unit)): Path<(i64, i64)>,
) -> ApiResult<Json<JsonValue>> {
    unit_of_round(&state, &auth, round_id, unit).await?;
    let sub = danchu_db::reporting::submission(&state.db, round_id, unit).await?;
    let versions = match &sub {
        Some(s) => danchu_db::reporting::versions(&state.db, s.id).await?,
        None => Vec::new(),
    };
    Ok(Json(json!({
        "submission": sub,
        "versions": versions.iter().map(|(v, a)| json!({"version": v, "answers": a})).collect::<Vec<_>>(),
    })))
}

#[derive(Deserialize)]
struct SaveBody {
    #[serde(default)]
    answers: serde_json::Map<String, JsonValue>,
    /// Submit (true) or only save a draft (false).
    #[serde(default)]
    submit: bool,
}

/// One answer as the text a reporter would type: numbers the Vietnamese way (decimal
/// comma), yes/no as Có/Không.
fn as_typed(v: &JsonValue) -> Option<String> {
    match v {
        JsonValue::Null => Some(String::new()),
        JsonValue::String(s) => Some(s.clone()),
        JsonValue::Bool(b) => Some(if *b { "Có" } else { "Không" }.into()),
        JsonValue::Number(n) => Some(match n.as_i64() {
            Some(i) => i.to_string(),
            None => n.as_f64()?.to_string().replace('.', ","),
        }),
        _ => None,
    }
}

/// The answers of an API call as typed form fields; a table is a list of rows, each an
/// object of column codes.
fn typed_of(
    template: &TemplateBody,
    answers: &serde_json::Map<String, JsonValue>,
) -> Result<BTreeMap<String, String>, ApiError> {
    let mut typed = BTreeMap::new();
    let mut errors = Vec::new();
    for i in template.indicators() {
        let Some(v) = answers.get(&i.code) else {
            continue;
        };
        match (&i.kind, v) {
            (Kind::Table { .. }, JsonValue::Array(rows)) => {
                for (n, row) in rows
                    .iter()
                    .enumerate()
                    .take(danchu_core::reporting::MAX_ROWS + 1)
                {
                    let JsonValue::Object(cells) = row else {
                        errors.push((
                            i.code.clone(),
                            format!("“{}”: mỗi dòng là một đối tượng JSON.", i.label),
                        ));
                        break;
                    };
                    for (col, cell) in cells {
                        match as_typed(cell) {
                            Some(t) => {
                                typed.insert(danchu_core::reporting::cell_key(&i.code, n, col), t);
                            }
                            None => errors.push((
                                danchu_core::reporting::cell_key(&i.code, n, col),
                                format!("“{}”, dòng {}: giá trị không hợp lệ.", i.label, n + 1),
                            )),
                        }
                    }
                }
            }
            (Kind::Table { .. }, _) => errors.push((
                i.code.clone(),
                format!("“{}” là bảng: hãy gửi danh sách các dòng.", i.label),
            )),
            (_, v) => match as_typed(v) {
                Some(t) => {
                    typed.insert(i.code.clone(), t);
                }
                None => errors.push((
                    i.code.clone(),
                    format!("“{}”: giá trị không hợp lệ.", i.label),
                )),
            },
        }
    }
    for k in answers.keys() {
        if !template.indicators().iter().any(|i| &i.code == k) {
            errors.push((k.clone(), format!("Mẫu báo cáo không có chỉ tiêu “{k}”.")));
        }
    }
    if errors.is_empty() {
        Ok(typed)
    } else {
        Err(ApiError::Invalid(errors))
    }
}

async fn save(
    State(state): State<AppState>,
    auth: ApiAuth,
    Path((round_id, unit)): Path<(i64, i64)>,
    ApiJson(body): ApiJson<SaveBody>,
) -> ApiResult<Json<JsonValue>> {
    auth.0
        .require(&state, Action::SubmitReports, Some(unit))
        .await?;
    let (_, template, _) = unit_of_round(&state, &auth, round_id, unit).await?;
    let typed = typed_of(&template.body, &body.answers)?;
    let step = if body.submit {
        Step::Submit
    } else {
        Step::SaveDraft
    };
    match danchu_db::reporting::save(&state.db, &auth.0.actor(), round_id, unit, &typed, step)
        .await?
    {
        Saved::Done(s) => {
            // A draft is kept as typed; say what would stop it from being submitted.
            let (_, problems) = danchu_core::reporting::validate(
                &template.body.indicators(),
                &template.body.rules,
                &s.typed,
            );
            let problems: Vec<JsonValue> = problems
                .into_iter()
                .map(|e| json!({"field": e.code, "message": e.message}))
                .collect();
            Ok(Json(json!({ "submission": s, "problems": problems })))
        }
        Saved::Refused(why) => Err(ApiError::Conflict(why.to_string())),
        Saved::Invalid(_, errors) => Err(ApiError::Invalid(
            errors.into_iter().map(|e| (e.code, e.message)).collect(),
        )),
    }
}

#[derive(Deserialize)]
struct DecideBody {
    /// `accept` or `return`.
    step: String,
    #[serde(default)]
    reason: String,
}

async fn decide(
    State(state): State<AppState>,
    auth: ApiAuth,
    Path((round_id, unit)): Path<(i64, i64)>,
    ApiJson(body): ApiJson<DecideBody>,
) -> ApiResult<Json<JsonValue>> {
    let (round, _, _) = unit_of_round(&state, &auth, round_id, unit).await?;
    auth.0
        .require(&state, Action::ManageReports, Some(round.unit_id))
        .await?;
    let step = match body.step.as_str() {
        "accept" => Step::Accept,
        "return" => Step::Return,
        _ => {
            return Err(ApiError::Invalid(vec![(
                "step".into(),
                "Bước xử lý là “accept” (tiếp nhận) hoặc “return” (trả lại).".into(),
            )]))
        }
    };
    let sub = danchu_db::reporting::submission(&state.db, round_id, unit)
        .await?
        .ok_or_else(|| ApiError::Conflict(Status::Draft.name_vi().to_string()))?;
    match danchu_db::reporting::decide(&state.db, &auth.0.actor(), sub.id, step, &body.reason)
        .await?
    {
        Ok(s) => Ok(Json(json!({ "submission": s }))),
        Err(why) => Err(ApiError::Conflict(why.to_string())),
    }
}

#[derive(Deserialize, Default)]
struct ConsolidationQuery {
    #[serde(default)]
    gom_da_nop: String,
}

async fn consolidation(
    State(state): State<AppState>,
    auth: ApiAuth,
    Path(id): Path<i64>,
    Query(q): Query<ConsolidationQuery>,
) -> ApiResult<Json<JsonValue>> {
    let (round, _) = danchu_db::reporting::round(&state.db, id)
        .await?
        .ok_or(ApiError::App(crate::error::AppError::NotFound))?;
    auth.0
        .require(&state, Action::ManageReports, Some(round.unit_id))
        .await?;
    let c = danchu_db::reporting::consolidate(&state.db, id, q.gom_da_nop == "1").await?;
    let totals: Vec<JsonValue> = c
        .indicators
        .iter()
        .zip(&c.totals)
        .map(|(i, t)| {
            json!({"code": i.code, "label": i.label, "unit": i.unit, "aggregation": i.aggregation,
                   "total": t, "shown": t.display_for(&i.kind)})
        })
        .collect();
    let units: Vec<JsonValue> = c
        .matrix
        .iter()
        .map(|(name, cells)| {
            let answers: serde_json::Map<String, JsonValue> = c
                .indicators
                .iter()
                .zip(cells)
                .map(|(i, v)| (i.code.clone(), json!(v)))
                .collect();
            json!({"unit": name, "answers": answers})
        })
        .collect();
    Ok(Json(
        json!({"round": round, "totals": totals, "units": units}),
    ))
}
