//! What every page template gets: language, the signed-in user, the CSRF token.

use std::convert::Infallible;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use danchu_core::i18n::Lang;

use crate::auth::{Auth, AuthUser};
use crate::csrf::CsrfToken;

/// The cookie holding the reader's display choices (set by the portal's `/tuy-chon`).
pub const PREFS_COOKIE: &str = "prefs";

/// A `yyyy-mm-dd` date for display (`dd/mm/yyyy`); empty when it is not a date.
pub fn show_date(d: &str) -> String {
    danchu_core::text::parse_date(d)
        .map(danchu_core::text::format_date)
        .unwrap_or_default()
}

/// Something that is (or may be) a day, shown `dd/mm/yyyy` in templates: a `time::Date`,
/// an optional one, or stored `yyyy-mm-dd` text (empty when it is not a day).
pub trait Day {
    fn show(&self) -> String;
}

impl Day for time::Date {
    fn show(&self) -> String {
        danchu_core::text::format_date(*self)
    }
}

impl Day for Option<time::Date> {
    fn show(&self) -> String {
        show_day(self)
    }
}

impl Day for str {
    fn show(&self) -> String {
        show_date(self)
    }
}

impl Day for String {
    fn show(&self) -> String {
        show_date(self)
    }
}

impl<T: Day + ?Sized> Day for &T {
    fn show(&self) -> String {
        (**self).show()
    }
}

/// A day for display (`dd/mm/yyyy`); empty when there is none. Templates format
/// `time::Date` fields with this (dates travel as dates; text only at the page).
pub fn show_day(d: &Option<time::Date>) -> String {
    d.map(danchu_core::text::format_date).unwrap_or_default()
}

/// A day as the value of an `<input type="date">` (`yyyy-mm-dd`); empty when none.
pub fn day_input(d: &Option<time::Date>) -> String {
    d.map(danchu_core::text::iso_date).unwrap_or_default()
}

/// A role's name in the page's language.
pub fn role_label(ctx: &Ctx, r: danchu_core::roles::Role) -> &'static str {
    match ctx.lang {
        Lang::Vi => r.label_vi(),
        Lang::En => r.label_en(),
    }
}

#[derive(Clone, Default)]
pub struct Ctx {
    pub lang: Lang,
    /// The portal's name.
    pub site: String,
    /// High-contrast display chosen by the reader.
    pub contrast: bool,
    /// Larger text chosen by the reader.
    pub large: bool,
    /// Full name of the signed-in user.
    pub user: Option<String>,
    pub path: String,
    csrf: Option<CsrfToken>,
    /// The signed-in user's grants (to show only the admin menu entries they can use).
    grants: Vec<danchu_core::roles::Grant>,
}

impl Ctx {
    /// A context for pages rendered outside a request (error pages).
    pub fn plain() -> Ctx {
        Ctx::default()
    }

    /// A UI text in the page's language.
    pub fn t(&self, key: &'static str) -> &'static str {
        self.lang.t(key)
    }

    /// The token to put in a form's hidden `_csrf` field.
    pub fn csrf(&self) -> String {
        self.csrf
            .as_ref()
            .map(|c| c.form_token())
            .unwrap_or_default()
    }

    pub fn lang_code(&self) -> &'static str {
        self.lang.code()
    }

    /// Classes on `<html>` for the reader's display choices (on the root, so that larger
    /// text also grows every size given in `rem`).
    pub fn display_class(&self) -> &'static str {
        match (self.contrast, self.large) {
            (true, true) => "contrast large",
            (true, false) => "contrast",
            (false, true) => "large",
            (false, false) => "",
        }
    }

    /// The name shown in the header (the portal's, or "danchu" on error pages).
    pub fn site_name(&self) -> &str {
        if self.site.is_empty() {
            self.t("site_name")
        } else {
            &self.site
        }
    }

    /// Whether the admin menu shows an entry for `action` (the user may do it somewhere;
    /// each handler still checks the unit).
    pub fn may(&self, action: &str) -> bool {
        use danchu_core::roles::Action;
        let action = match action {
            "content" => Action::EditContent,
            "reports" => Action::SubmitReports,
            "manage_reports" => Action::ManageReports,
            "units" => Action::ManageUnits,
            "users" => Action::ManageUsers,
            "system" => Action::ManageSystem,
            _ => Action::ViewAdmin,
        };
        self.grants
            .iter()
            .any(|g| danchu_core::roles::allows(g.role, action))
    }

    /// A key for caches: everything that changes how a public page renders.
    pub fn variant(&self) -> String {
        format!("{}|{}", self.lang.code(), self.display_class())
    }
}

impl FromRequestParts<crate::AppState> for Ctx {
    type Rejection = Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &crate::AppState,
    ) -> Result<Self, Self::Rejection> {
        let prefs = crate::csrf::cookie_value(&parts.headers, PREFS_COOKIE).unwrap_or_default();
        Ok(Ctx {
            site: state.site_name.to_string(),
            contrast: prefs.split('.').any(|p| p == "contrast"),
            large: prefs.split('.').any(|p| p == "large"),
            lang: parts.extensions.get::<Lang>().copied().unwrap_or_default(),
            user: parts
                .extensions
                .get::<AuthUser>()
                .map(|u| u.live.full_name.clone()),
            path: parts.uri.path().to_string(),
            csrf: parts.extensions.get::<CsrfToken>().cloned(),
            grants: parts
                .extensions
                .get::<AuthUser>()
                .map(|u| u.grants.clone())
                .unwrap_or_default(),
        })
    }
}

/// What a signed-in page or API handler starts from, taken in one argument:
/// `Signed { state, ctx, auth }: Signed` is the app, the page's [`Ctx`] and the signed-in
/// user, read in that order (as the handlers took them one by one). Not signed in, it
/// answers as [`Auth`] does.
pub struct Signed {
    pub state: crate::AppState,
    pub ctx: Ctx,
    pub auth: Auth,
}

impl FromRequestParts<crate::AppState> for Signed {
    type Rejection = axum::response::Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &crate::AppState,
    ) -> Result<Self, Self::Rejection> {
        use axum::response::IntoResponse as _;
        let Ok(ctx) = Ctx::from_request_parts(parts, state).await;
        let auth = Auth::from_request_parts(parts, state)
            .await
            .map_err(|r| r.into_response())?;
        Ok(Signed {
            state: state.clone(),
            ctx,
            auth,
        })
    }
}
