//! The disclosure register in the admin area (issue 7): a commune official posts a
//! disclosure (category, period, title, content, files, linked documents) and records
//! each channel used with its dates and evidence (photo of the notice board, broadcast
//! log, the heads of thôn notified); corrects it (a new version with what changed);
//! takes it down (before the minimum period only a unit administrator, with a reason).
//! Posting needs EditContent on the unit; early take-down needs TakeDownEarly.

use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use danchu_core::disclosure::{Category, Channel, DuePeriod, HeadNotice, HouseholdMethod};
use danchu_core::roles::Action;
use danchu_db::disclosures::{ChannelUse, Disclosure, NewChannel, NewDisclosure, Version};
use danchu_db::media::Media;

use crate::auth::Auth;
use crate::error::{AppError, AppResult};
use crate::form::{Form, Query};
use crate::layout::Ctx;
use crate::AppState;

pub fn router() -> Router<AppState> {
    let upload = || axum::extract::DefaultBodyLimit::max(crate::media::MAX_UPLOAD * 3 + 256 * 1024);
    Router::new()
        .route("/quan-tri/cong-khai", get(list))
        .route(
            "/quan-tri/cong-khai/moi",
            get(new).post(create).layer(upload()),
        )
        .route("/quan-tri/cong-khai/tuan-thu", get(compliance_page))
        .route("/quan-tri/cong-khai/danh-muc", get(categories_page))
        .route("/quan-tri/cong-khai/danh-muc/{id}", post(save_category))
        .route("/quan-tri/cong-khai/tuan-thu.xlsx", get(compliance_xlsx))
        .route("/quan-tri/cong-khai/{id}", get(detail))
        .route("/quan-tri/cong-khai/{id}/dinh-chinh", post(correct))
        .route(
            "/quan-tri/cong-khai/{id}/hinh-thuc",
            post(add_channel).layer(upload()),
        )
        .route("/quan-tri/cong-khai/{id}/go", post(take_down))
}

fn show_date(d: &str) -> String {
    if d.is_empty() {
        "—".into()
    } else {
        crate::portal::documents::show_date(d)
    }
}

/// The periods offered for recurring categories: this year's and last year's.
fn period_choices() -> Vec<(String, String)> {
    let year: i32 = danchu_db::today_vn()
        .get(..4)
        .and_then(|y| y.parse().ok())
        .unwrap_or(2026);
    let mut out = Vec::new();
    for y in [year, year - 1, year - 2, year - 3] {
        for every in [
            danchu_core::disclosure::Every::Quarter,
            danchu_core::disclosure::Every::HalfYear,
            danchu_core::disclosure::Every::Year,
        ] {
            for p in DuePeriod::of_year(every, y) {
                out.push((p.code(), p.name_vi()));
            }
        }
    }
    out
}

#[derive(Template)]
#[template(path = "admin/disclosures.html")]
struct ListPage {
    ctx: Ctx,
    items: Vec<Disclosure>,
    categories: Vec<(i64, Category)>,
    today: String,
    can_post: bool,
}

impl ListPage {
    fn state(&self, d: &Disclosure) -> String {
        let c = self
            .categories
            .iter()
            .find(|c| c.0 == d.category_id)
            .map(|c| &c.1);
        crate::portal::disclosures::posting_state(d, c, &self.today)
    }
    fn item(&self, id: &i64) -> i64 {
        self.categories
            .iter()
            .find(|c| c.0 == *id)
            .map_or(0, |c| c.1.item)
    }
}

async fn list(State(state): State<AppState>, ctx: Ctx, auth: Auth) -> AppResult<Html<String>> {
    auth.require_somewhere(Action::ViewAdmin)?;
    let units = super::articles::editable_units(&state, &auth).await?;
    let today = danchu_db::today_vn();
    let filter = danchu_db::disclosures::Filter {
        units: units.clone(),
        ..Default::default()
    };
    let items = danchu_db::disclosures::list(&state.db, &filter, &today, 200, 0).await?;
    Ok(Html(
        ListPage {
            ctx,
            items,
            categories: danchu_db::disclosures::categories(&state.db).await?,
            today,
            can_post: auth.may_somewhere(Action::EditContent),
        }
        .render()?,
    ))
}

/// What the new-disclosure form holds (kept when it comes back with errors).
#[derive(Default, Clone)]
struct DisclosureForm {
    unit_id: String,
    category_id: String,
    period: String,
    title: String,
    body: String,
    documents: String,
    portal_from: String,
    board_from: String,
    board_evidence: String,
}

#[derive(Template)]
#[template(path = "admin/disclosure_form.html")]
struct FormPage {
    ctx: Ctx,
    f: DisclosureForm,
    /// The units the user posts for, grouped by the unit above (name, units).
    units: Vec<(String, Vec<(i64, String)>)>,
    /// The categories of the lists those units disclose under (R46).
    categories: Vec<(i64, Category)>,
    periods: Vec<(String, String)>,
    errors: Vec<super::FieldError>,
}

impl FormPage {
    fn err(&self, f: &str) -> Option<&str> {
        super::error_for(&self.errors, f)
    }
    fn has_scope(&self, scope: &str) -> bool {
        self.categories.iter().any(|(_, c)| c.scope == scope)
    }
}

async fn render_form(
    state: &AppState,
    ctx: Ctx,
    auth: &Auth,
    f: DisclosureForm,
    errors: Vec<super::FieldError>,
    status: StatusCode,
) -> AppResult<Response> {
    auth.require_somewhere(Action::EditContent)?;
    // Only communes, agencies and public units keep a register (R46): those the user
    // posts for, by district.
    let roots = scope_roots(state, auth, Action::EditContent).await?;
    let all = danchu_db::disclosures::register_units(&state.db, &roots, None, None).await?;
    let scopes: Vec<&str> = all
        .iter()
        .filter_map(|u| danchu_core::disclosure::scope_of(&u.kind))
        .collect();
    let mut units: Vec<(String, Vec<(i64, String)>)> = Vec::new();
    let mut last: Option<Option<i64>> = None;
    for u in all {
        if last != Some(u.parent_id) {
            units.push((u.parent.clone(), Vec::new()));
            last = Some(u.parent_id);
        }
        if let Some(g) = units.last_mut() {
            g.1.push((u.id, u.name));
        }
    }
    let categories = danchu_db::disclosures::categories(&state.db)
        .await?
        .into_iter()
        .filter(|(_, c)| scopes.contains(&c.scope.as_str()))
        .collect();
    let page = FormPage {
        ctx,
        f,
        units,
        categories,
        periods: period_choices(),
        errors,
    };
    Ok((status, Html(page.render()?)).into_response())
}

async fn new(State(state): State<AppState>, ctx: Ctx, auth: Auth) -> AppResult<Response> {
    let f = DisclosureForm {
        portal_from: crate::portal::documents::show_date(&danchu_db::today_vn()),
        board_from: crate::portal::documents::show_date(&danchu_db::today_vn()),
        ..Default::default()
    };
    render_form(&state, ctx, &auth, f, Vec::new(), StatusCode::OK).await
}

async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    auth: Auth,
    form: Multipart,
) -> AppResult<Response> {
    let u = match crate::media::read_form(form, "file").await {
        Ok(u) => u,
        Err(r) => {
            let e = super::field_errors(vec![("file", r.message)]);
            return render_form(&state, ctx, &auth, DisclosureForm::default(), e, r.status).await;
        }
    };
    let f = DisclosureForm {
        unit_id: u.field("unit_id").into(),
        category_id: u.field("category_id").into(),
        period: u.field("period").into(),
        title: u.field("title").into(),
        body: u.field("body").into(),
        documents: u.field("documents").into(),
        portal_from: u.field("portal_from").into(),
        board_from: u.field("board_from").into(),
        board_evidence: u.field("board_evidence").into(),
    };
    let Ok(unit) = f.unit_id.parse::<i64>() else {
        let e = super::field_errors(vec![("unit_id", "Hãy chọn đơn vị.".into())]);
        return render_form(&state, ctx, &auth, f, e, StatusCode::BAD_REQUEST).await;
    };
    // An official posts only for the units in their scope.
    auth.require(&state, Action::EditContent, Some(unit))
        .await?;
    let category_id = f.category_id.parse::<i64>().unwrap_or(0);
    let category = danchu_db::disclosures::category(&mut state.db.clone(), category_id).await?;
    let mut errors: Vec<(&'static str, String)> = Vec::new();
    let (docs, missing) = super::documents_named(&state, &f.documents, &[]).await?;
    if let Some(m) = missing.into_iter().next() {
        errors.push(("documents", m));
    }
    let day = |s: &str| {
        danchu_core::text::parse_date(s)
            .map(danchu_core::text::iso_date)
            .unwrap_or_default()
    };
    let portal = day(&f.portal_from);
    let board = day(&f.board_from);
    if !f.portal_from.trim().is_empty() && portal.is_empty() {
        errors.push(("portal_from", "Ngày đăng không hợp lệ (dd/mm/yyyy).".into()));
    }
    if !f.board_from.trim().is_empty() && board.is_empty() {
        errors.push((
            "board_from",
            "Ngày niêm yết không hợp lệ (dd/mm/yyyy).".into(),
        ));
    }
    let new = NewDisclosure {
        unit_id: unit,
        category_id,
        period: if category.as_ref().is_some_and(|c| !c.every.is_empty()) {
            f.period.clone()
        } else {
            String::new()
        },
        title: f.title.clone(),
        body: f.body.clone(),
        files: Vec::new(),
        documents: docs,
    };
    // The files count as content: check the form first as if they were there.
    let mut probe = new.clone();
    if !u.files.is_empty() {
        probe.files = vec![0];
    }
    let kind = danchu_db::disclosures::unit_kind(&mut state.db.clone(), unit).await?;
    errors.extend(danchu_db::disclosures::check(
        &probe,
        category.as_ref(),
        kind.as_deref(),
    ));
    if !errors.is_empty() {
        let e = super::field_errors(errors);
        return render_form(&state, ctx, &auth, f, e, StatusCode::BAD_REQUEST).await;
    }
    let mut channels = Vec::new();
    if !board.is_empty() {
        channels.push(NewChannel {
            channel: Channel::NoticeBoard,
            starts_on: board,
            ends_on: String::new(),
            evidence: f.board_evidence.clone(),
            files: Vec::new(),
            notices: Vec::new(),
        });
    }
    if !portal.is_empty() {
        channels.push(NewChannel {
            channel: Channel::Portal,
            starts_on: portal,
            ends_on: String::new(),
            evidence: String::new(),
            files: Vec::new(),
            notices: Vec::new(),
        });
    }
    // The first forms are checked here too, so a refusal comes back on the form, by field.
    let scope = danchu_db::disclosures::unit_scope(&mut state.db.clone(), unit).await?;
    let mut channel_errors: Vec<(&'static str, String)> = Vec::new();
    for c in &channels {
        let board = c.channel == Channel::NoticeBoard;
        for (field, why) in danchu_db::disclosures::check_channel(c, scope) {
            let field = match (board, field) {
                (true, "evidence") => "board_evidence",
                (true, _) => "board_from",
                (false, _) => "portal_from",
            };
            channel_errors.push((field, why));
        }
    }
    if !channel_errors.is_empty() {
        let e = super::field_errors(channel_errors);
        return render_form(&state, ctx, &auth, f, e, StatusCode::BAD_REQUEST).await;
    }
    // Files are checked by content; the first refused one stops everything.
    let staged = match crate::media::stage_all(&state, unit, u.files).await {
        Ok(s) => s,
        Err(r) => {
            let e = super::field_errors(vec![("file", r.message)]);
            return render_form(&state, ctx, &auth, f, e, r.status).await;
        }
    };
    // One action, one transaction: the files, the disclosure and its first forms.
    let d = danchu_db::disclosures::post(
        &state.db,
        &auth.actor(),
        &new,
        &staged.files,
        &channels,
        danchu_db::now_s(),
    )
    .await?;
    staged.keep();
    Ok(Redirect::to(&format!("/quan-tri/cong-khai/{}?ok=1", d.id)).into_response())
}

#[derive(Template)]
#[template(path = "admin/disclosure.html")]
struct DetailPage {
    ctx: Ctx,
    d: Disclosure,
    category: Option<Category>,
    versions: Vec<Version>,
    channels: Vec<ChannelUse>,
    files: Vec<Media>,
    today: String,
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
        crate::portal::disclosures::posting_state(&self.d, self.category.as_ref(), &self.today)
    }
    fn date(&self, d: &str) -> String {
        show_date(d)
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
        self.scope == danchu_core::disclosure::AGENCY
    }
    /// R7/R46: the required forms not (yet) met, in words (for an agency: the forms of
    /// which one is needed).
    fn unmet(&self) -> String {
        let Some(c) = &self.category else {
            return String::new();
        };
        let used = danchu_db::disclosures::used_channels(&self.channels);
        let missing: Vec<&str> =
            danchu_core::disclosure::unmet_channels(c, &used, self.loudspeakers)
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
        danchu_core::disclosure::hamlets_not_reached(&self.hamlets, &all).join(", ")
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

#[derive(serde::Deserialize, Default)]
struct DetailQuery {
    #[serde(default)]
    ok: String,
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
async fn channel_refused(
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
    let d = danchu_db::disclosures::get(&mut state.db.clone(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    auth.require(state, Action::ViewAdmin, Some(d.unit_id))
        .await?;
    let today = danchu_db::today_vn();
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
        early: danchu_db::disclosures::would_be_early(&state.db, &d, &today).await?,
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

async fn detail(
    State(state): State<AppState>,
    ctx: Ctx,
    auth: Auth,
    Path(id): Path<i64>,
    Query(q): Query<DetailQuery>,
) -> AppResult<Response> {
    render_detail(&state, ctx, &auth, id, q.ok == "1", None).await
}

/// The disclosure, checked to be the user's to change.
async fn editable(state: &AppState, auth: &Auth, id: i64) -> AppResult<Disclosure> {
    let d = danchu_db::disclosures::get(&mut state.db.clone(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    auth.require(state, Action::EditContent, Some(d.unit_id))
        .await?;
    Ok(d)
}

#[derive(serde::Deserialize, Default)]
struct CorrectForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    note: String,
}

async fn correct(
    State(state): State<AppState>,
    ctx: Ctx,
    auth: Auth,
    Path(id): Path<i64>,
    Form(f): Form<CorrectForm>,
) -> AppResult<Response> {
    editable(&state, &auth, id).await?;
    match danchu_db::disclosures::correct(&state.db, &auth.actor(), id, &f.title, &f.body, &f.note)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/quan-tri/cong-khai/{id}?ok=1")).into_response()),
        Err(danchu_db::DbError::Invalid(m)) => {
            render_detail(&state, ctx, &auth, id, false, Some(("correct".into(), m))).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn add_channel(
    State(state): State<AppState>,
    ctx: Ctx,
    auth: Auth,
    Path(id): Path<i64>,
    form: Multipart,
) -> AppResult<Response> {
    let d = editable(&state, &auth, id).await?;
    let u = match crate::media::read_form(form, "evidence_file").await {
        Ok(u) => u,
        Err(r) => {
            return channel_refused(&state, ctx, &auth, id, r.message, Default::default()).await
        }
    };
    let draft = ChannelDraft::read(&u);
    let Some(channel) = Channel::parse(&draft.channel) else {
        let why = "Hãy chọn hình thức công khai.".to_string();
        return channel_refused(&state, ctx, &auth, id, why, draft).await;
    };
    let notices = if channel == Channel::CommunityHeads {
        match draft.notices() {
            Ok(n) => n,
            Err(m) => return channel_refused(&state, ctx, &auth, id, m, draft).await,
        }
    } else {
        Vec::new()
    };
    let c = NewChannel {
        channel,
        starts_on: draft.starts_on.clone(),
        ends_on: draft.ends_on.clone(),
        evidence: draft.evidence.clone(),
        files: Vec::new(),
        notices,
    };
    // Checked before any file is stored, so a refusal leaves no orphan file.
    let scope = danchu_db::disclosures::unit_scope(&mut state.db.clone(), d.unit_id).await?;
    if let Some((_, m)) = danchu_db::disclosures::check_channel(&c, scope)
        .into_iter()
        .next()
    {
        return channel_refused(&state, ctx, &auth, id, m, draft).await;
    }
    let staged = match crate::media::stage_all(&state, d.unit_id, u.files).await {
        Ok(s) => s,
        Err(r) => return channel_refused(&state, ctx, &auth, id, r.message, draft).await,
    };
    match danchu_db::disclosures::add_channel_with(&state.db, &auth.actor(), id, &c, &staged.files)
        .await
    {
        Ok(_) => {
            staged.keep();
            Ok(Redirect::to(&format!("/quan-tri/cong-khai/{id}?ok=1")).into_response())
        }
        Err(danchu_db::DbError::Invalid(m)) => {
            channel_refused(&state, ctx, &auth, id, m, draft).await
        }
        Err(e) => Err(e.into()),
    }
}

/// One R8 row of the channel form as typed.
#[derive(Debug, Clone, Default)]
struct HeadRow {
    hamlet: String,
    name: String,
    on: String,
    method: String,
    told: String,
}

/// The channel form as typed (given back with the reason when it is refused).
#[derive(Debug, Clone, Default)]
struct ChannelDraft {
    channel: String,
    starts_on: String,
    ends_on: String,
    evidence: String,
    rows: Vec<HeadRow>,
}

impl ChannelDraft {
    /// Reads the form; the R8 rows are the repeated `head_hamlet`, `head_name`,
    /// `head_on`, `head_method`, `head_told` fields, in order.
    fn read(u: &crate::media::Upload) -> ChannelDraft {
        let cols = [
            "head_hamlet",
            "head_name",
            "head_on",
            "head_method",
            "head_told",
        ]
        .map(|f| u.all(f));
        let at = |c: usize, i: usize| {
            cols[c]
                .get(i)
                .map_or(String::new(), |s| s.trim().to_string())
        };
        ChannelDraft {
            channel: u.field("channel").into(),
            starts_on: u.field("starts_on").into(),
            ends_on: u.field("ends_on").into(),
            evidence: u.field("evidence").into(),
            // Every row typed (the check refuses more than it allows, never drops them).
            rows: (0..cols[0].len())
                .map(|i| HeadRow {
                    hamlet: at(0, i),
                    name: at(1, i),
                    on: at(2, i),
                    method: at(3, i),
                    told: at(4, i),
                })
                .collect(),
        }
    }

    /// The R8 records: the rows with a name or a date (a thôn left blank was not
    /// reached), each checked; a refusal names the row as the form shows it.
    fn notices(&self) -> Result<Vec<HeadNotice>, String> {
        let mut out = Vec::new();
        for (i, r) in self.rows.iter().enumerate() {
            if r.name.is_empty() && r.on.is_empty() && r.told.is_empty() {
                continue;
            }
            let label = if r.hamlet.is_empty() {
                format!("Dòng {}", i + 1)
            } else {
                danchu_core::text::clean_line(&r.hamlet)
            };
            let Some(method) = HouseholdMethod::parse(&r.method) else {
                return Err(format!(
                    "{label}: hãy chọn cách thông báo đến hộ gia đình (R8)."
                ));
            };
            let n = HeadNotice {
                hamlet: r.hamlet.clone(),
                head_name: r.name.clone(),
                notified_on: r.on.clone(),
                method,
                told_on: r.told.clone(),
            };
            if let Some(m) = danchu_db::disclosures::check_notice(&n, &label)
                .into_iter()
                .next()
            {
                return Err(m);
            }
            out.push(n);
        }
        Ok(out)
    }
}

#[derive(serde::Deserialize, Default)]
struct TakeDownForm {
    #[serde(default)]
    reason: String,
}

async fn take_down(
    State(state): State<AppState>,
    ctx: Ctx,
    auth: Auth,
    Path(id): Path<i64>,
    Form(f): Form<TakeDownForm>,
) -> AppResult<Response> {
    let d = editable(&state, &auth, id).await?;
    let today = danchu_db::today_vn();
    // R10: before the minimum posting period has run, only a unit administrator may take
    // it down, and must say why.
    if danchu_db::disclosures::would_be_early(&state.db, &d, &today).await? {
        auth.require(&state, Action::TakeDownEarly, Some(d.unit_id))
            .await?;
    }
    match danchu_db::disclosures::take_down(&state.db, &auth.actor(), id, &f.reason, &today).await {
        Ok(_) => Ok(Redirect::to(&format!("/quan-tri/cong-khai/{id}?ok=1")).into_response()),
        Err(danchu_db::DbError::Invalid(m)) => {
            render_detail(&state, ctx, &auth, id, false, Some(("take_down".into(), m))).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Per unit over a year's obligations (R10/R11), for the compliance dashboard.
pub use danchu_db::disclosures::UnitCompliance;

/// The roots of the units where the user may do `action` (every top unit for a system
/// administrator).
async fn scope_roots(state: &AppState, auth: &Auth, action: Action) -> AppResult<Vec<i64>> {
    Ok(if auth.is_system_admin() {
        danchu_db::units::children(&state.db, None)
            .await?
            .iter()
            .map(|u| u.id)
            .collect()
    } else {
        auth.scope_roots(action)
    })
}

/// The units in the user's scope that kept a register of `scope` during `year`, grouped
/// by the unit above them.
pub async fn scope_units(
    state: &AppState,
    auth: &Auth,
    scope: &str,
    year: i32,
) -> AppResult<Vec<danchu_db::disclosures::RegisterUnit>> {
    let roots = scope_roots(state, auth, Action::ViewAdmin).await?;
    Ok(danchu_db::disclosures::register_units(&state.db, &roots, Some(scope), Some(year)).await?)
}

/// What the dashboard, its XLSX and the API show for the filters: the units in the
/// user's scope, each one's figures, every obligation, the disclosures lacking a form.
pub type ComplianceView = (
    Vec<danchu_db::disclosures::RegisterUnit>,
    Vec<UnitCompliance>,
    Vec<danchu_db::disclosures::Obligation>,
    Vec<danchu_db::disclosures::Unmet>,
);

/// [`compliance`] of the units in the user's scope, for officials only.
pub async fn compliance_of(
    state: &AppState,
    auth: &Auth,
    q: &ComplianceQuery,
) -> AppResult<ComplianceView> {
    auth.require_somewhere(Action::ViewAdmin)?;
    let units = scope_units(state, auth, q.scope(), q.year()).await?;
    let (list, obligations, unmet) = compliance(
        state,
        &units,
        q.year(),
        q.category(),
        &danchu_db::today_vn(),
    )
    .await?;
    Ok((units, list, obligations, unmet))
}

/// The year's compliance of each unit: obligations of recurring categories, what is
/// posted now, and what was taken down before its minimum.
pub async fn compliance(
    state: &AppState,
    units: &[danchu_db::disclosures::RegisterUnit],
    year: i32,
    category: Option<i64>,
    today: &str,
) -> AppResult<danchu_db::disclosures::Dashboard> {
    Ok(danchu_db::disclosures::unit_compliance(&state.db, units, year, category, today).await?)
}

/// The dashboard's filters (also read by the API).
#[derive(serde::Deserialize, Default)]
pub struct ComplianceQuery {
    #[serde(default)]
    pub nam: String,
    #[serde(default)]
    pub danh_muc: String,
    /// `co-quan` for agencies and public units; communes otherwise.
    #[serde(default)]
    pub loai: String,
}

impl ComplianceQuery {
    pub fn scope(&self) -> &'static str {
        if self.loai == "co-quan" {
            danchu_core::disclosure::AGENCY
        } else {
            danchu_core::disclosure::COMMUNE
        }
    }
    /// The query string of the current filters (for the XLSX link).
    fn query(&self, year: i32) -> String {
        let mut q = format!("nam={year}");
        if let Some(c) = self.category() {
            q.push_str(&format!("&danh_muc={c}"));
        }
        if self.scope() == danchu_core::disclosure::AGENCY {
            q.push_str("&loai=co-quan");
        }
        q
    }
    pub fn year(&self) -> i32 {
        self.nam
            .parse()
            .ok()
            .filter(|y| (2000..=2200).contains(y))
            .unwrap_or_else(|| {
                danchu_db::today_vn()
                    .get(..4)
                    .and_then(|y| y.parse().ok())
                    .unwrap_or(2026)
            })
    }
    pub fn category(&self) -> Option<i64> {
        self.danh_muc.parse().ok()
    }
}

#[derive(Template)]
#[template(path = "admin/disclosure_compliance.html")]
struct CompliancePage {
    ctx: Ctx,
    year: i32,
    category: Option<i64>,
    /// `commune` or `agency`.
    scope: &'static str,
    /// The current filters as a query string.
    query: String,
    categories: Vec<(i64, Category)>,
    /// Units grouped by the unit above, each group with its subtotal.
    groups: Vec<(String, Vec<UnitCompliance>, UnitCompliance)>,
    /// Obligations not met (missing or late), for the list under the table.
    problems: Vec<danchu_db::disclosures::Obligation>,
    /// Disclosures without every required form (R7): id, unit, title, what is missing.
    unmet: Vec<(i64, String, String, String)>,
    totals: UnitCompliance,
}

impl CompliancePage {
    fn bar(&self, n: &usize) -> usize {
        let max = self.totals.due.max(1);
        n * 300 / max
    }
    fn date(&self, d: &str) -> String {
        show_date(d)
    }
    fn is_category(&self, id: &i64) -> bool {
        self.category == Some(*id)
    }
    fn in_scope(&self, c: &Category) -> bool {
        c.scope == self.scope && !c.every.is_empty()
    }
    fn agencies(&self) -> bool {
        self.scope == danchu_core::disclosure::AGENCY
    }
    fn years(&self) -> Vec<i32> {
        (2023..=self.year.max(2023) + 1).rev().collect()
    }
}

/// The disclosures lacking a required form, for a list: (id, unit, title, what is
/// missing), at most `limit`.
async fn unmet_rows(
    state: &AppState,
    units: &[danchu_db::disclosures::RegisterUnit],
    unmet: &[danchu_db::disclosures::Unmet],
    limit: usize,
) -> AppResult<Vec<(i64, String, String, String)>> {
    let names: std::collections::BTreeMap<i64, &str> =
        units.iter().map(|u| (u.id, u.name.as_str())).collect();
    let unmet = &unmet[..unmet.len().min(limit)];
    let mut titles = std::collections::BTreeMap::new();
    let ids: Vec<i64> = unmet.iter().map(|u| u.disclosure_id).collect();
    for chunk in ids.chunks(500) {
        for d in danchu_db::disclosures::by_ids(&state.db, chunk).await? {
            titles.insert(d.id, d.title);
        }
    }
    Ok(unmet
        .iter()
        .map(|u| {
            (
                u.disclosure_id,
                names.get(&u.unit_id).unwrap_or(&"").to_string(),
                titles.get(&u.disclosure_id).cloned().unwrap_or_default(),
                u.missing
                    .iter()
                    .map(|c| c.name_vi())
                    .collect::<Vec<_>>()
                    .join("; "),
            )
        })
        .collect())
}

/// Consecutive units with the same parent as one group, with its subtotal.
fn grouped(units: Vec<UnitCompliance>) -> Vec<(String, Vec<UnitCompliance>, UnitCompliance)> {
    let mut out: Vec<(String, Vec<UnitCompliance>, UnitCompliance)> = Vec::new();
    for u in units {
        match out.last_mut() {
            Some(g) if g.1.first().map(|f| f.parent_id) == Some(u.parent_id) => g.1.push(u),
            _ => out.push((u.parent.clone(), vec![u], UnitCompliance::default())),
        }
    }
    for g in &mut out {
        g.2 = totals(&g.1);
    }
    out
}

fn totals(units: &[UnitCompliance]) -> UnitCompliance {
    let mut t = UnitCompliance::default();
    for u in units {
        t.due += u.due;
        t.on_time += u.on_time;
        t.late += u.late;
        t.missing += u.missing;
        t.upcoming += u.upcoming;
        t.current += u.current;
        t.short += u.short;
        t.unmet += u.unmet;
    }
    t
}

async fn compliance_page(
    State(state): State<AppState>,
    ctx: Ctx,
    auth: Auth,
    Query(q): Query<ComplianceQuery>,
) -> AppResult<Html<String>> {
    let (units, list, obligations, unmet) = compliance_of(&state, &auth, &q).await?;
    let unmet = unmet_rows(&state, &units, &unmet, 500).await?;
    let problems = obligations
        .into_iter()
        .filter(|o| {
            matches!(
                o.status,
                danchu_core::disclosure::Compliance::Missing
                    | danchu_core::disclosure::Compliance::Late
            )
        })
        .take(500)
        .collect();
    Ok(Html(
        CompliancePage {
            ctx,
            year: q.year(),
            category: q.category(),
            scope: q.scope(),
            query: q.query(q.year()),
            categories: danchu_db::disclosures::categories(&state.db).await?,
            totals: totals(&list),
            groups: grouped(list),
            problems,
            unmet,
        }
        .render()?,
    ))
}

/// The compliance table as XLSX (one row per unit, then every obligation).
async fn compliance_xlsx(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<ComplianceQuery>,
) -> AppResult<Response> {
    let (units, list, obligations, unmet) = compliance_of(&state, &auth, &q).await?;
    let unmet = unmet_rows(&state, &units, &unmet, 100_000).await?;
    let bytes = compliance_book(q.year(), &list, &obligations, &unmet)
        .map_err(|e| AppError::Internal(format!("xlsx: {e}")))?;
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"cong-khai-{}.xlsx\"", q.year()),
            ),
        ],
        bytes,
    )
        .into_response())
}

fn compliance_book(
    year: i32,
    units: &[UnitCompliance],
    obligations: &[danchu_db::disclosures::Obligation],
    unmet: &[(i64, String, String, String)],
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut wb = Workbook::new();
    let head = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_border(rust_xlsxwriter::FormatBorder::Thin);
    let int = Format::new().set_num_format("#,##0");
    let s = wb.add_worksheet();
    s.set_name("Theo đơn vị")?;
    let cols = [
        "Đơn vị",
        "Trực thuộc",
        "Đến hạn",
        "Đúng hạn",
        "Trễ hạn",
        "Chưa công khai",
        "Chưa đến hạn",
        "Đang niêm yết",
        "Niêm yết chưa đủ thời hạn",
        "Thiếu hình thức bắt buộc",
    ];
    for (j, c) in cols.iter().enumerate() {
        s.write_with_format(0, j as u16, *c, &head)?;
    }
    s.set_column_width(0, 32)?;
    s.set_column_width(1, 24)?;
    s.set_freeze_panes(1, 1)?;
    for (i, u) in units.iter().enumerate() {
        let r = 1 + i as u32;
        s.write(r, 0, &u.unit_name)?;
        s.write(r, 1, &u.parent)?;
        for (j, n) in [
            u.due, u.on_time, u.late, u.missing, u.upcoming, u.current, u.short, u.unmet,
        ]
        .iter()
        .enumerate()
        {
            s.write_with_format(r, 2 + j as u16, *n as f64, &int)?;
        }
    }
    let o = wb.add_worksheet();
    o.set_name(format!("Nghĩa vụ {year}"))?;
    for (j, c) in [
        "Đơn vị",
        "Danh mục",
        "Kỳ",
        "Hạn công khai",
        "Ngày niêm yết",
        "Tình trạng",
    ]
    .iter()
    .enumerate()
    {
        o.write_with_format(0, j as u16, *c, &head)?;
    }
    o.set_freeze_panes(1, 0)?;
    o.set_column_width(0, 28)?;
    o.set_column_width(1, 50)?;
    for (i, ob) in obligations.iter().enumerate() {
        let r = 1 + i as u32;
        o.write(r, 0, &ob.unit_name)?;
        o.write(r, 1, &ob.category)?;
        o.write(r, 2, &ob.period_name)?;
        o.write(r, 3, show_date(&ob.due_on))?;
        o.write(r, 4, show_date(&ob.posted_on))?;
        o.write(r, 5, ob.status.name_vi())?;
    }
    let m = wb.add_worksheet();
    m.set_name("Thiếu hình thức")?;
    for (j, c) in ["Đơn vị", "Nội dung công khai", "Hình thức còn thiếu"]
        .iter()
        .enumerate()
    {
        m.write_with_format(0, j as u16, *c, &head)?;
    }
    m.set_freeze_panes(1, 0)?;
    m.set_column_width(0, 28)?;
    m.set_column_width(1, 60)?;
    m.set_column_width(2, 50)?;
    for (i, (_, unit, title, missing)) in unmet.iter().enumerate() {
        let r = 1 + i as u32;
        m.write(r, 0, unit)?;
        m.write(r, 1, title)?;
        m.write(r, 2, missing)?;
    }
    wb.save_to_buffer()
}

/// A unit official's overdue obligations (shown on the admin home page after sign-in).
pub struct Overdue {
    pub unit: String,
    pub category: String,
    pub period: String,
    pub due: String,
}

pub async fn overdue(state: &AppState, auth: &Auth) -> AppResult<Vec<Overdue>> {
    if !auth.may_somewhere(Action::EditContent) || auth.is_system_admin() {
        return Ok(Vec::new());
    }
    // The communes and agencies the user posts for directly (not a whole district's).
    let roots = auth.scope_roots(Action::EditContent);
    let mut found = danchu_db::units::by_ids(&mut state.db.clone(), &roots).await?;
    let units: Vec<_> = roots
        .iter()
        .filter_map(|r| found.remove(r))
        .filter(|u| danchu_core::disclosure::scope_of(&u.kind).is_some())
        .map(|u| danchu_db::disclosures::RegisterUnit {
            id: u.id,
            name: u.name,
            kind: u.kind,
            parent_id: u.parent_id,
            parent: String::new(),
        })
        .collect();
    let today = danchu_db::today_vn();
    let year: i32 = today.get(..4).and_then(|y| y.parse().ok()).unwrap_or(2026);
    let mut out = Vec::new();
    for y in [year - 1, year] {
        for o in danchu_db::disclosures::obligations(&state.db, &units, y, None, &today).await? {
            if o.status == danchu_core::disclosure::Compliance::Missing {
                out.push(Overdue {
                    unit: o.unit_name,
                    category: o.category,
                    period: o.period_name,
                    due: show_date(&o.due_on),
                });
            }
        }
    }
    Ok(out)
}

#[derive(Template)]
#[template(path = "admin/disclosure_categories.html")]
struct CategoriesPage {
    ctx: Ctx,
    categories: Vec<(i64, Category)>,
    error: Option<(i64, String)>,
    notice: bool,
}

impl CategoriesPage {
    /// The forms open to a category's list (R46).
    fn channels(&self, c: &Category) -> Vec<(&'static str, &'static str)> {
        Channel::for_scope(&c.scope)
            .iter()
            .map(|c| (c.code(), c.name_vi()))
            .collect()
    }
    fn has_channel(&self, c: &Category, code: &str) -> bool {
        c.channels.iter().any(|x| x.code() == code)
    }
    fn everies(&self) -> Vec<(&'static str, &'static str)> {
        vec![
            ("quarter", "Hằng quý"),
            ("half_year", "6 tháng"),
            ("year", "Hằng năm"),
        ]
    }
    fn has_every(&self, c: &Category, code: &str) -> bool {
        c.every.iter().any(|e| every_code(*e) == code)
    }
    fn err(&self, id: &i64) -> Option<&str> {
        self.error
            .as_ref()
            .filter(|e| e.0 == *id)
            .map(|e| e.1.as_str())
    }
    fn date(&self, d: &str) -> String {
        if d.is_empty() {
            String::new()
        } else {
            show_date(d)
        }
    }
}

fn every_code(e: danchu_core::disclosure::Every) -> &'static str {
    match e {
        danchu_core::disclosure::Every::Quarter => "quarter",
        danchu_core::disclosure::Every::HalfYear => "half_year",
        danchu_core::disclosure::Every::Year => "year",
    }
}

async fn render_categories(
    state: &AppState,
    ctx: Ctx,
    auth: &Auth,
    error: Option<(i64, String)>,
    notice: bool,
) -> AppResult<Response> {
    auth.require(state, Action::ManageSystem, None).await?;
    let status = if error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let page = CategoriesPage {
        ctx,
        categories: danchu_db::disclosures::categories(&state.db).await?,
        error,
        notice,
    };
    Ok((status, Html(page.render()?)).into_response())
}

async fn categories_page(
    State(state): State<AppState>,
    ctx: Ctx,
    auth: Auth,
    Query(q): Query<DetailQuery>,
) -> AppResult<Response> {
    render_categories(&state, ctx, &auth, None, q.ok == "1").await
}

/// Saves a category as edited by a system administrator (R6/R10: the unconfirmed
/// figures are defaults to change here).
async fn save_category(
    State(state): State<AppState>,
    ctx: Ctx,
    auth: Auth,
    Path(id): Path<i64>,
    form: crate::form::FormAll<std::collections::BTreeMap<String, String>>,
) -> AppResult<Response> {
    auth.require(&state, Action::ManageSystem, None).await?;
    let mut c = danchu_db::disclosures::category(&mut state.db.clone(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let f = &form.value;
    let get = |k: &str| {
        f.get(k)
            .map(String::as_str)
            .unwrap_or("")
            .trim()
            .to_string()
    };
    let days = |k: &str| {
        get(k)
            .parse::<i64>()
            .ok()
            .filter(|d| (0..=3650).contains(d))
    };
    let day = |k: &str| -> Option<String> {
        let v = get(k);
        if v.is_empty() {
            Some(String::new())
        } else {
            danchu_core::text::parse_date(&v).map(danchu_core::text::iso_date)
        }
    };
    let (Some(min), Some(broadcast), Some(within), Some(from), Some(to)) = (
        days("min_days"),
        days("broadcast_days"),
        days("post_within_days"),
        day("valid_from"),
        day("valid_to"),
    ) else {
        let e = "Số ngày là số nguyên từ 0 đến 3.650; ngày hiệu lực theo dd/mm/yyyy.";
        return render_categories(&state, ctx, &auth, Some((id, e.into())), false).await;
    };
    c.name = danchu_core::text::clean_line(&get("name"));
    c.min_days = min;
    c.broadcast_days = broadcast;
    c.post_within_days = within;
    c.valid_from = from;
    c.valid_to = to;
    c.channels = form
        .all("channel")
        .iter()
        .filter_map(|v| Channel::parse(v))
        .filter(|ch| Channel::for_scope(&c.scope).contains(ch))
        .collect();
    c.every = form
        .all("every")
        .iter()
        .filter_map(|v| match *v {
            "quarter" => Some(danchu_core::disclosure::Every::Quarter),
            "half_year" => Some(danchu_core::disclosure::Every::HalfYear),
            "year" => Some(danchu_core::disclosure::Every::Year),
            _ => None,
        })
        .collect();
    match danchu_db::disclosures::update_category(&state.db, &auth.actor(), id, &c).await {
        Ok(()) => Ok(Redirect::to("/quan-tri/cong-khai/danh-muc?ok=1").into_response()),
        Err(danchu_db::DbError::Invalid(m)) => {
            render_categories(&state, ctx, &auth, Some((id, m)), false).await
        }
        Err(e) => Err(e.into()),
    }
}
