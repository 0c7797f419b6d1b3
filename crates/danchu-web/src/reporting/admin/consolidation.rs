//! A round's consolidation: the page, and its XLSX and DOCX downloads.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::Path;
use axum::response::{Html, Response};
use danchu_core::reporting::{Aggregate, Indicator, Period, Value};
use danchu_db::reporting::Round;
use serde::Deserialize;

use super::{managed_round, period_name};
use crate::auth::Auth;
use crate::error::{AppError, AppResult};
use crate::form::Query;
use crate::layout::Ctx;
use crate::layout::Signed;
use crate::AppState;

#[derive(Template)]
#[template(path = "reporting/admin/report_consolidation.html")]
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
pub(super) struct ConsolidationQuery {
    #[serde(default)]
    gom_da_nop: String,
}

pub(super) async fn consolidation(
    Signed { state, ctx, auth }: Signed,
    Path(id): Path<i64>,
    Query(q): Query<ConsolidationQuery>,
) -> AppResult<Html<String>> {
    let (round, _) = managed_round(&state, &auth, id).await?;
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
    let (round, _) = managed_round(state, auth, id).await?;
    let c = danchu_db::reporting::consolidate(&state.db, id, include_submitted).await?;
    Ok((round, c))
}

use crate::media::download;

/// The consolidation as an XLSX workbook.
pub(super) async fn consolidation_xlsx(
    Signed { state, auth, .. }: Signed,
    Path(id): Path<i64>,
    Query(q): Query<ConsolidationQuery>,
) -> AppResult<Response> {
    let (round, c) = consolidated(&state, &auth, id, q.gom_da_nop == "1").await?;
    let bytes =
        crate::reporting::export::xlsx::consolidation_xlsx(&round, &period_name(&round), &c)
            .map_err(|e| AppError::Internal(format!("xlsx: {e}")))?;
    Ok(download(
        bytes,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &format!("tong-hop-{}.xlsx", round.id),
    ))
}

/// A draft of the consolidated report as DOCX, in the Decree 30/2020/NĐ-CP layout.
pub(super) async fn consolidation_docx(
    Signed { state, auth, .. }: Signed,
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
    let issuer = crate::reporting::export::docx::Issuer::new(&office.name, &parent);
    let bytes = crate::reporting::export::docx::consolidation_docx(
        &round,
        &period_name(&round),
        &c,
        &issuer,
    )
    .map_err(|e| AppError::Internal(format!("docx: {e}")))?;
    Ok(download(
        bytes,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        &format!("bao-cao-{}.docx", round.id),
    ))
}
