//! What every page template gets: language, the signed-in user, the CSRF token.

use std::convert::Infallible;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use danchu_core::i18n::Lang;

use crate::auth::AuthUser;
use crate::csrf::CsrfToken;

#[derive(Clone, Default)]
pub struct Ctx {
    pub lang: Lang,
    /// Full name of the signed-in user.
    pub user: Option<String>,
    pub path: String,
    csrf: Option<CsrfToken>,
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
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Ctx {
            lang: parts.extensions.get::<Lang>().copied().unwrap_or_default(),
            user: parts
                .extensions
                .get::<AuthUser>()
                .map(|u| u.live.full_name.clone()),
            path: parts.uri.path().to_string(),
            csrf: parts.extensions.get::<CsrfToken>().cloned(),
        })
    }
}
