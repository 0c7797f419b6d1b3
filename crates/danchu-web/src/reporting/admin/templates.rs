//! Report templates in the admin area (issue 5, point 2): Phòng Nội vụ lists its
//! templates with their versions, creates one, and edits one. Saving an edit makes the
//! next version: rounds opened with an earlier version, and every report sent in them,
//! keep theirs. The editor is plain rows of fields (no script needed); "Thêm dòng"
//! re-shows the form with more blank rows without saving.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::Path;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use danchu_core::roles::Action;
use danchu_core::template_form::{self as tf, Row, RuleRow};
use danchu_db::reporting::Template as ReportTemplate;

use crate::auth::Auth;
use crate::error::AppResult;
use crate::form::Form;
use crate::layout::Ctx;
use crate::layout::Signed;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/quan-tri/bao-cao/mau", get(list))
        .route("/quan-tri/bao-cao/mau/moi", get(new).post(create))
        .route("/quan-tri/bao-cao/mau/{family}", get(edit).post(save))
}

/// Blank rows offered at the end of the editor.
const BLANK_ROWS: usize = 3;
const BLANK_RULES: usize = 2;
/// Most indicator rows a form may carry.
const MAX_ROWS: usize = 300;

#[derive(Template)]
#[template(path = "reporting/admin/report_templates.html")]
struct ListPage {
    ctx: Ctx,
    /// The latest version of each template.
    templates: Vec<ReportTemplate>,
    can_create: bool,
}

async fn managed(state: &AppState, auth: &Auth) -> AppResult<Vec<ReportTemplate>> {
    let manage = auth.scope(state, Action::ManageReports).await?;
    Ok(danchu_db::reporting::templates(&state.db)
        .await?
        .into_iter()
        .filter(|t| manage.permits(t.unit_id))
        .collect())
}

async fn list(Signed { state, ctx, auth }: Signed) -> AppResult<Html<String>> {
    auth.require_somewhere(Action::ManageReports)?;
    let templates = managed(&state, &auth).await?;
    Ok(Html(
        ListPage {
            ctx,
            templates,
            can_create: true,
        }
        .render()?,
    ))
}

#[derive(Template)]
#[template(path = "reporting/admin/report_template_form.html")]
struct EditorPage {
    ctx: Ctx,
    /// The family being edited (None: a new template).
    family: Option<(i64, i64)>,
    name: String,
    unit_id: i64,
    offices: Vec<(i64, String)>,
    rows: Vec<Row>,
    rules: Vec<RuleRow>,
    errors: Vec<(String, String)>,
    notice: bool,
}

impl EditorPage {
    fn err(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| e.0 == field)
            .map(|e| e.1.as_str())
    }
    fn field_err(&self, n: &usize, field: &str) -> Option<&str> {
        self.err(&format!("i{n}_{field}"))
    }
    fn kinds(&self) -> &'static [(&'static str, &'static str)] {
        tf::KINDS
    }
    fn aggregations(&self) -> &'static [(&'static str, &'static str)] {
        tf::AGGREGATIONS
    }
    fn compares(&self) -> &'static [(&'static str, &'static str)] {
        tf::COMPARES
    }
    fn sources(&self) -> &'static [(&'static str, &'static str)] {
        tf::SOURCES
    }
    fn is_offered(&self, code: &str) -> bool {
        tf::SOURCES.iter().any(|s| s.0 == code)
    }
    fn action(&self) -> String {
        match self.family {
            Some((f, _)) => format!("/quan-tri/bao-cao/mau/{f}"),
            None => "/quan-tri/bao-cao/mau/moi".into(),
        }
    }
}

async fn offices(state: &AppState, auth: &Auth) -> AppResult<Vec<(i64, String)>> {
    let ids = auth.scope_roots(Action::ManageReports);
    let mut units: Vec<_> = danchu_db::units::by_ids(&mut state.db.clone(), &ids)
        .await?
        .into_values()
        .collect();
    danchu_db::units::sort_vn(&mut units);
    Ok(units.into_iter().map(|u| (u.id, u.name)).collect())
}

/// The template in the editor: which one (family and version; none for a new one), and
/// its name, unit, rows and rules as stored or as typed.
struct Draft {
    family: Option<(i64, i64)>,
    name: String,
    unit_id: i64,
    rows: Vec<Row>,
    rules: Vec<RuleRow>,
}

impl Draft {
    /// The draft given back to the editor: the rules left blank are dropped (the page
    /// adds its own blank ones).
    fn without_blank_rules(mut self) -> Draft {
        self.rules.retain(|r| !r.left.is_empty());
        self
    }
}

/// The editor page; `extra` blank rows below the draft's, `notice` after a save.
async fn render(
    state: &AppState,
    ctx: Ctx,
    auth: &Auth,
    draft: Draft,
    errors: Vec<(String, String)>,
    extra: usize,
    notice: bool,
) -> AppResult<Response> {
    let Draft {
        family,
        name,
        unit_id,
        mut rows,
        mut rules,
    } = draft;
    rows.extend(std::iter::repeat_n(Row::default(), extra));
    rules.extend(std::iter::repeat_n(RuleRow::default(), BLANK_RULES));
    rows.truncate(MAX_ROWS);
    let status = if errors.is_empty() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::BAD_REQUEST
    };
    let page = EditorPage {
        ctx,
        family,
        name,
        unit_id,
        offices: offices(state, auth).await?,
        rows,
        notice,
        rules,
        errors,
    };
    Ok((status, Html(page.render()?)).into_response())
}

async fn new(Signed { state, ctx, auth }: Signed) -> AppResult<Response> {
    auth.require_somewhere(Action::ManageReports)?;
    let rows = vec![Row {
        kind: "integer".into(),
        aggregation: "sum".into(),
        ..Default::default()
    }];
    let draft = Draft {
        family: None,
        name: String::new(),
        unit_id: 0,
        rows,
        rules: Vec::new(),
    };
    render(&state, ctx, &auth, draft, Vec::new(), BLANK_ROWS, false).await
}

async fn latest(state: &AppState, auth: &Auth, family: i64) -> AppResult<ReportTemplate> {
    let found = danchu_db::reporting::templates(&state.db)
        .await?
        .into_iter()
        .filter(|t| t.family_id == family)
        .max_by_key(|t| t.version);
    auth.require_found(state, Action::ManageReports, found, |t| t.unit_id)
        .await
}

#[derive(serde::Deserialize, Default)]
struct EditQuery {
    #[serde(default)]
    ok: String,
}

async fn edit(
    Signed { state, ctx, auth }: Signed,
    Path(family): Path<i64>,
    crate::form::Query(q): crate::form::Query<EditQuery>,
) -> AppResult<Response> {
    let t = latest(&state, &auth, family).await?;
    let (rows, rules) = tf::rows_of(&t.body);
    let draft = Draft {
        family: Some((family, t.version)),
        name: t.name,
        unit_id: t.unit_id,
        rows,
        rules,
    };
    let notice = q.ok == "1";
    render(&state, ctx, &auth, draft, Vec::new(), BLANK_ROWS, notice).await
}

/// What the editor posted: the name, the rows, and whether only more rows were asked for.
struct Posted {
    draft: Draft,
    more_rows: bool,
}

fn posted(f: &BTreeMap<String, String>) -> Posted {
    let count = |k: &str| {
        f.get(k)
            .and_then(|v| v.parse::<usize>().ok())
            .unwrap_or(0)
            .min(MAX_ROWS)
    };
    let (rows, rules) = tf::rows_from_form(f, count("rows"), count("rules"));
    let draft = Draft {
        family: None,
        name: f.get("name").cloned().unwrap_or_default(),
        unit_id: f.get("unit_id").and_then(|v| v.parse().ok()).unwrap_or(0),
        rows,
        rules,
    };
    Posted {
        draft,
        more_rows: f.get("_step").map(String::as_str) == Some("them-dong"),
    }
}

/// Checks the posted template: its name and its rows.
fn checked(p: &Draft) -> Result<danchu_core::reporting::TemplateBody, Vec<(String, String)>> {
    let mut errors = Vec::new();
    if danchu_core::text::clean_line(&p.name).is_empty() {
        errors.push(("name".to_string(), "Hãy đặt tên mẫu báo cáo.".to_string()));
    }
    match tf::body_of(&p.rows, &p.rules) {
        Ok(body) if errors.is_empty() => Ok(body),
        Ok(_) => Err(errors),
        Err(more) => {
            errors.extend(more);
            Err(errors)
        }
    }
}

async fn create(
    Signed { state, ctx, auth }: Signed,
    Form(f): Form<BTreeMap<String, String>>,
) -> AppResult<Response> {
    let Posted { draft, more_rows } = posted(&f);
    auth.require(&state, Action::ManageReports, Some(draft.unit_id))
        .await?;
    if more_rows {
        let draft = draft.without_blank_rules();
        return render(&state, ctx, &auth, draft, Vec::new(), BLANK_ROWS, false).await;
    }
    match checked(&draft) {
        Ok(body) => {
            let t = danchu_db::reporting::create_template(
                &state.db,
                &auth.actor(),
                draft.unit_id,
                &draft.name,
                &body,
            )
            .await?;
            Ok(
                Redirect::to(&format!("/quan-tri/bao-cao/mau/{}?ok=1", t.family_id))
                    .into_response(),
            )
        }
        Err(errors) => {
            render(
                &state,
                ctx,
                &auth,
                draft.without_blank_rules(),
                errors,
                0,
                false,
            )
            .await
        }
    }
}

async fn save(
    Signed { state, ctx, auth }: Signed,
    Path(family): Path<i64>,
    Form(f): Form<BTreeMap<String, String>>,
) -> AppResult<Response> {
    let t = latest(&state, &auth, family).await?;
    let Posted { draft, more_rows } = posted(&f);
    // Given back to the editor: the version edited, in its own unit.
    let shown = |d: Draft| Draft {
        family: Some((family, t.version)),
        unit_id: t.unit_id,
        ..d.without_blank_rules()
    };
    if more_rows {
        return render(
            &state,
            ctx,
            &auth,
            shown(draft),
            Vec::new(),
            BLANK_ROWS,
            false,
        )
        .await;
    }
    match checked(&draft) {
        Ok(body) if body == t.body && danchu_core::text::clean_line(&draft.name) == t.name => {
            // Nothing changed: no new version.
            Ok(Redirect::to(&format!("/quan-tri/bao-cao/mau/{family}")).into_response())
        }
        Ok(body) => {
            danchu_db::reporting::new_template_version(
                &state.db,
                &auth.actor(),
                family,
                &draft.name,
                &body,
            )
            .await?;
            Ok(Redirect::to(&format!("/quan-tri/bao-cao/mau/{family}?ok=1")).into_response())
        }
        Err(errors) => render(&state, ctx, &auth, shown(draft), errors, 0, false).await,
    }
}
