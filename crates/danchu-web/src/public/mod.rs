//! What every public page uses, whichever capability serves it: the page cache for
//! anonymous visitors, the visit counters (every page view is counted in memory, not in the
//! database, unless it comes from an obvious robot), the portal frame ([`chrome::Chrome`])
//! and the RSS/XML helpers ([`feed`]).

pub mod cache;
pub mod chrome;
pub mod counters;
pub mod feed;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, Method};
use axum::response::{Html, IntoResponse, Response};

use self::cache::Cached;
use crate::auth::Auth;
use crate::error::{AppError, AppResult};
use crate::layout::Ctx;
use crate::AppState;

pub use self::chrome::Chrome;

/// Whether the request comes from an obvious robot (not counted).
pub fn is_bot(headers: &HeaderMap) -> bool {
    danchu_core::portal::is_bot(
        headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or(""),
    )
}

/// Whether a request to a public page counts as a visit: a GET from something other than
/// an obvious robot. All a public page needs of the request's method and headers.
#[derive(Clone, Copy, Debug)]
pub struct Visit {
    counts: bool,
}

impl<S: Send + Sync> FromRequestParts<S> for Visit {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Visit {
            counts: parts.method == Method::GET && !is_bot(&parts.headers),
        })
    }
}

/// What a public page's handler starts from, taken in one argument:
/// `Reader { state, ctx, visit }: Reader` is the app, the page's [`Ctx`] and whether the
/// request counts as a [`Visit`].
pub struct Reader {
    pub state: AppState,
    pub ctx: Ctx,
    pub visit: Visit,
}

impl FromRequestParts<AppState> for Reader {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Ok(ctx) = Ctx::from_request_parts(parts, state).await;
        let Ok(visit) = Visit::from_request_parts(parts, state).await;
        Ok(Reader {
            state: state.clone(),
            ctx,
            visit,
        })
    }
}

/// Serves a public page: from the cache for anonymous visitors, rendered otherwise; counts
/// the visit and (for articles) the view; fills in the live numbers.
pub async fn serve(
    state: &AppState,
    ctx: &Ctx,
    user: &Option<Auth>,
    visit: Visit,
    key: String,
    render: impl std::future::Future<Output = AppResult<Option<(String, Option<(i64, i64)>)>>>,
) -> AppResult<Response> {
    let key = format!("{}|{key}", ctx.variant());
    let cached = if user.is_none() {
        state.cache.get(&key)
    } else {
        None
    };
    // Taken before the data is read: a change during rendering keeps the page out of the cache.
    let generation = state.cache.generation();
    let page: Cached = match cached {
        Some(c) => c,
        None => {
            let (html, views_base) = render.await?.ok_or(AppError::NotFound)?;
            if user.is_none() {
                state.cache.put(generation, key, html, views_base)
            } else {
                // Signed-in people see their own header; their pages are not shared.
                Cached::uncached(html, views_base)
            }
        }
    };
    if visit.counts {
        state.counters.visit();
        if let Some((id, _)) = page.views_base {
            state.counters.article_view(id);
        }
    }
    let views = page
        .views_base
        .map(|(id, base)| base + state.counters.local_views(id));
    let html = cache::fill(&page.html, views, &state.counters.stats());
    let cache_control = if user.is_none() {
        "public, max-age=0, must-revalidate"
    } else {
        "private, no-store"
    };
    let mut resp = ([(header::CACHE_CONTROL, cache_control)], Html(html)).into_response();
    // Language and display choices come from cookies.
    resp.headers_mut()
        .insert(header::VARY, HeaderValue::from_static("Cookie"));
    Ok(resp)
}

/// A public page rendered for this request only (listings with filters, search): the
/// visit is counted like any page view, and the live numbers of the sidebar filled in.
pub fn live_page(state: &AppState, visit: Visit, html: &str) -> Response {
    if visit.counts {
        state.counters.visit();
    }
    let html = cache::fill(html, None, &state.counters.stats());
    let mut resp = Html(html).into_response();
    resp.headers_mut()
        .insert(header::VARY, HeaderValue::from_static("Cookie"));
    resp
}
