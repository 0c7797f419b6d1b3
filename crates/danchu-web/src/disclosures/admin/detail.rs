//! A disclosure's page: its versions, forms and files; correcting it and taking it down.

use askama::Template;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use danchu_core::disclosures::{Category, Channel, HeadNotice, HouseholdMethod};
use danchu_core::roles::Action;
use danchu_db::disclosures::{ChannelUse, Disclosure, Version};
use danchu_db::media::Media;

use super::channel::{ChannelDraft, HeadRow};
use super::{show_date, DetailQuery};
use crate::auth::Auth;
use crate::error::AppResult;
use crate::form::{Form, Query};
use crate::layout::Ctx;
use crate::layout::Signed;
use crate::AppState;

#[derive(Template)]
#[template(path = "disclosures/admin/disclosure.html")]
struct DetailPage {
    ctx: Ctx,
    d: Disclosure,
    category: Option<Category>,
    versions: Vec<Version>,
    channels: Vec<ChannelUse>,
    files: Vec<Media>,
    today: time::Date,
    /// The list the unit discloses under (R46), for the channels offered.
    scope: &'static str,
    /// The unit's thôn / tổ dân phố (R8 rows of the channel form).
    hamlets: Vec<String>,
    /// Whether the commune has loudspeakers (R7 "nếu có").
    loudspeakers: bool,
    /// The channel form as typed when it came back with an error.
    draft: ChannelDraft,
    can_edit: bool,
    early: bool,
    can_take_down_early: bool,
    notice: bool,
    error: Option<(String, String)>,
}

impl DetailPage {
    fn state(&self) -> String {
        crate::disclosures::posting_state(&self.d, self.category.as_ref(), self.today)
    }
    fn date(&self, d: &str) -> String {
        show_date(d)
    }
    fn day(&self, d: &Option<time::Date>) -> String {
        super::show_day(d)
    }
    fn on(&self, d: &time::Date) -> String {
        danchu_core::text::format_date(*d)
    }
    fn when(&self, t: &i64) -> String {
        danchu_core::text::format_datetime(*t)
    }
    fn channel_choices(&self) -> Vec<(&'static str, &'static str)> {
        Channel::for_scope(self.scope)
            .iter()
            .map(|c| (c.code(), c.name_vi()))
            .collect()
    }
    fn methods(&self) -> Vec<(&'static str, &'static str)> {
        HouseholdMethod::ALL
            .iter()
            .map(|m| (m.code(), m.name_vi()))
            .collect()
    }
    /// The R8 rows offered: as typed after an error; else one per known thôn and two
    /// blank ones for a place not in the list; else blank rows.
    fn head_rows(&self) -> Vec<(usize, HeadRow)> {
        let rows: Vec<HeadRow> = if !self.draft.rows.is_empty() {
            self.draft.rows.clone()
        } else {
            let blank = if self.hamlets.is_empty() { 6 } else { 2 };
            self.hamlets
                .iter()
                .map(|h| HeadRow {
                    hamlet: h.clone(),
                    ..Default::default()
                })
                .chain(std::iter::repeat_n(HeadRow::default(), blank))
                .collect()
        };
        rows.into_iter()
            .enumerate()
            .map(|(i, r)| (i + 1, r))
            .collect()
    }
    fn agencies(&self) -> bool {
        self.scope == danchu_core::disclosures::AGENCY
    }
    /// R7/R46: the required forms not (yet) met, in words (for an agency: the forms of
    /// which one is needed).
    fn unmet(&self) -> String {
        let Some(c) = &self.category else {
            return String::new();
        };
        let used = danchu_db::disclosures::used_channels(&self.channels);
        let missing: Vec<&str> =
            danchu_core::disclosures::unmet_channels(c, &used, self.loudspeakers)
                .iter()
                .map(|c| c.name_vi())
                .collect();
        if missing.is_empty() {
            String::new()
        } else if self.agencies() {
            format!("cần ít nhất một trong: {}", missing.join("; "))
        } else {
            missing.join("; ")
        }
    }
    /// R8: the unit's thôn that no record of any "through the heads" form names.
    fn not_reached(&self) -> String {
        let all: Vec<HeadNotice> = self
            .channels
            .iter()
            .flat_map(|c| c.notices.iter().cloned())
            .collect();
        danchu_core::disclosures::hamlets_not_reached(&self.hamlets, &all).join(", ")
    }
    fn picked(&self, code: &str) -> bool {
        self.draft.channel == code
    }
    fn err(&self, form: &str) -> Option<&str> {
        self.error
            .as_ref()
            .filter(|e| e.0 == form)
            .map(|e| e.1.as_str())
    }
    fn required_channels(&self) -> String {
        self.category
            .as_ref()
            .map(|c| {
                c.channels
                    .iter()
                    .map(|ch| ch.name_vi())
                    .collect::<Vec<_>>()
                    .join("; ")
            })
            .unwrap_or_default()
    }
    fn size(&self, m: &Media) -> String {
        crate::media::human_size(m.size)
    }
}

async fn render_detail(
    state: &AppState,
    ctx: Ctx,
    auth: &Auth,
    id: i64,
    notice: bool,
    error: Option<(String, String)>,
) -> AppResult<Response> {
    render_page(state, ctx, auth, id, notice, error, ChannelDraft::default()).await
}

/// The page with the channel form as typed and why it was refused.
pub(super) async fn channel_refused(
    state: &AppState,
    ctx: Ctx,
    auth: &Auth,
    id: i64,
    why: String,
    draft: ChannelDraft,
) -> AppResult<Response> {
    render_page(
        state,
        ctx,
        auth,
        id,
        false,
        Some(("channel".into(), why)),
        draft,
    )
    .await
}

async fn render_page(
    state: &AppState,
    ctx: Ctx,
    auth: &Auth,
    id: i64,
    notice: bool,
    error: Option<(String, String)>,
    draft: ChannelDraft,
) -> AppResult<Response> {
    let found = danchu_db::disclosures::get(&mut state.db.clone(), id).await?;
    let d = auth
        .require_found(state, Action::ViewAdmin, found, |d| d.unit_id)
        .await?;
    let today = danchu_db::today_vn_date();
    let can_edit = auth.may(state, Action::EditContent, d.unit_id).await?;
    let can_take_down_early = auth.may(state, Action::TakeDownEarly, d.unit_id).await?;
    let status = if error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let scope = danchu_db::disclosures::unit_scope(&mut state.db.clone(), d.unit_id).await?;
    let page = DetailPage {
        scope,
        loudspeakers: danchu_db::disclosures::has_loudspeakers(&state.db, d.unit_id).await?,
        draft,
        hamlets: danchu_db::disclosures::hamlets(&state.db, d.unit_id).await?,
        early: danchu_db::disclosures::would_be_early(&state.db, &d, today).await?,
        category: danchu_db::disclosures::category(&mut state.db.clone(), d.category_id).await?,
        versions: danchu_db::disclosures::versions(&state.db, id).await?,
        channels: danchu_db::disclosures::channels(&state.db, id).await?,
        files: danchu_db::disclosures::files(&state.db, id).await?,
        ctx,
        d,
        today,
        can_edit,
        can_take_down_early,
        notice,
        error,
    };
    Ok((status, Html(page.render()?)).into_response())
}

pub(super) async fn detail(
    Signed { state, ctx, auth }: Signed,
    Path(id): Path<i64>,
    Query(q): Query<DetailQuery>,
) -> AppResult<Response> {
    render_detail(&state, ctx, &auth, id, q.ok == "1", None).await
}

/// The disclosure, checked to be the user's to change.
pub(super) async fn editable(state: &AppState, auth: &Auth, id: i64) -> AppResult<Disclosure> {
    let found = danchu_db::disclosures::get(&mut state.db.clone(), id).await?;
    auth.require_found(state, Action::EditContent, found, |d| d.unit_id)
        .await
}

/// After a step on the disclosure: back to its page with the notice, or the page again
/// with the refusal beside the step's form (`field`).
async fn after_step<T>(
    state: &AppState,
    ctx: Ctx,
    auth: &Auth,
    id: i64,
    field: &str,
    done: Result<T, danchu_db::DbError>,
) -> AppResult<Response> {
    match done {
        Ok(_) => Ok(Redirect::to(&format!("/quan-tri/cong-khai/{id}?ok=1")).into_response()),
        Err(danchu_db::DbError::Invalid(m)) => {
            render_detail(state, ctx, auth, id, false, Some((field.into(), m))).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub(super) struct CorrectForm {
    title: String,
    body: String,
    note: String,
}

pub(super) async fn correct(
    Signed { state, ctx, auth }: Signed,
    Path(id): Path<i64>,
    Form(f): Form<CorrectForm>,
) -> AppResult<Response> {
    editable(&state, &auth, id).await?;
    let done =
        danchu_db::disclosures::correct(&state.db, &auth.actor(), id, &f.title, &f.body, &f.note)
            .await;
    after_step(&state, ctx, &auth, id, "correct", done).await
}

#[derive(serde::Deserialize, Default)]
pub(super) struct TakeDownForm {
    #[serde(default)]
    reason: String,
}

pub(super) async fn take_down(
    Signed { state, ctx, auth }: Signed,
    Path(id): Path<i64>,
    Form(f): Form<TakeDownForm>,
) -> AppResult<Response> {
    let d = editable(&state, &auth, id).await?;
    let today = danchu_db::today_vn_date();
    // R10: before the minimum posting period has run, only a unit administrator may take
    // it down, and must say why.
    if danchu_db::disclosures::would_be_early(&state.db, &d, today).await? {
        auth.require(&state, Action::TakeDownEarly, Some(d.unit_id))
            .await?;
    }
    let done =
        danchu_db::disclosures::take_down(&state.db, &auth.actor(), id, &f.reason, today).await;
    after_step(&state, ctx, &auth, id, "take_down", done).await
}
