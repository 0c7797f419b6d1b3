//! A task as typed, in the admin form or through the API: both faces give tasks the same
//! way, to the units the plan can give tasks to.

use danchu_core::plans::Recurrence;
use danchu_db::plans::{NewTask, Plan};
use serde::Deserialize;

use crate::error::AppResult;
use crate::AppState;

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct TaskForm {
    pub content: String,
    pub expected_output: String,
    pub lead_unit_id: String,
    pub due_on: String,
    pub recurrence: String,
    pub until_on: String,
}

/// The units a plan's tasks can go to: the units beside the office that follows it up
/// (the communes and offices of its parent), in Vietnamese order.
pub async fn assignable(state: &AppState, plan: &Plan) -> AppResult<Vec<(i64, String)>> {
    Ok(danchu_db::units::beside(&state.db, &[plan.unit_id]).await?)
}

/// A task as typed (in the form or through the API): units outside those the plan can
/// give tasks to are dropped (and then reported missing by the use case's check,
/// [`danchu_core::plans::check_task`]).
pub async fn task_of(
    state: &AppState,
    plan: &Plan,
    f: &TaskForm,
    supporters: &[i64],
) -> AppResult<NewTask> {
    let allowed = assignable(state, plan).await?;
    let day = danchu_core::text::parse_date;
    Ok(NewTask {
        content: f.content.clone(),
        expected_output: f.expected_output.clone(),
        lead_unit_id: f
            .lead_unit_id
            .parse()
            .ok()
            .filter(|u| allowed.iter().any(|a| a.0 == *u))
            .unwrap_or(0),
        supporters: supporters
            .iter()
            .copied()
            .filter(|u| allowed.iter().any(|a| a.0 == *u))
            .collect(),
        due_on: day(&f.due_on),
        recurrence: Recurrence::parse(&f.recurrence).unwrap_or_default(),
        until_on: day(&f.until_on),
    })
}
