//! Where the capabilities meet: the one place that names every capability's web module
//! (with `lib.rs`, which builds the application from it). Each cross-capability hook is a
//! `match` on [`Capability`] with an arm per capability and no wildcard, so a new
//! capability fails to compile until it says what it gives each hook: its routes, its
//! API, its widgets and tiles on the admin home page ([`dashboard`]).
//!
//! The dependency rule (checked by `tests::capabilities_use_only_the_kit`): a
//! capability's module (`src/<capability>/`) uses the shared kit (auth, layout, form,
//! error, media, public, api, …), the db and core crates, and never another capability's
//! module; the kit uses no capability. Only this module and `lib.rs` name them all.

pub mod dashboard;

use axum::Router;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::AppState;

/// The capabilities of the web layer, each a folder `src/<folder>/` with its `router()`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Capability {
    Portal,
    Documents,
    Search,
    Reporting,
    Plans,
    Disclosures,
    Units,
    Identity,
}

impl Capability {
    /// Every capability, in the order the admin home page shows their widgets.
    pub const ALL: [Capability; 8] = [
        Capability::Portal,
        Capability::Documents,
        Capability::Search,
        Capability::Reporting,
        Capability::Plans,
        Capability::Disclosures,
        Capability::Units,
        Capability::Identity,
    ];

    /// The folder of its web module (`src/<folder>/`) and of its templates.
    pub fn folder(self) -> &'static str {
        match self {
            Capability::Portal => "portal",
            Capability::Documents => "documents",
            Capability::Search => "search",
            Capability::Reporting => "reporting",
            Capability::Plans => "plans",
            Capability::Disclosures => "disclosures",
            Capability::Units => "units",
            Capability::Identity => "identity",
        }
    }

    /// Its pages: public and admin.
    pub fn router(self) -> Router<AppState> {
        match self {
            Capability::Portal => crate::portal::router(),
            Capability::Documents => crate::documents::router(),
            Capability::Search => crate::search::router(),
            Capability::Reporting => crate::reporting::router(),
            Capability::Plans => crate::plans::router(),
            Capability::Disclosures => crate::disclosures::router(),
            Capability::Units => crate::units::router(),
            Capability::Identity => crate::identity::router(),
        }
    }

    /// Its API routes with their descriptions (`None`: it has no API face).
    pub fn api(self) -> Option<OpenApiRouter<AppState>> {
        match self {
            Capability::Portal | Capability::Documents => None,
            Capability::Units | Capability::Identity => None,
            Capability::Search => Some(crate::search::api()),
            Capability::Reporting => Some(crate::reporting::api()),
            Capability::Plans => Some(crate::plans::api()),
            Capability::Disclosures => Some(crate::disclosures::api()),
        }
    }
}

/// Every capability's pages, and the admin home page.
pub fn pages() -> Router<AppState> {
    Capability::ALL
        .into_iter()
        .fold(dashboard::router(), |r, c| r.merge(c.router()))
}

/// Every API route with its description, under the API's own document.
pub fn api() -> OpenApiRouter<AppState> {
    Capability::ALL
        .into_iter()
        .filter_map(Capability::api)
        .fold(
            OpenApiRouter::with_openapi(crate::api::openapi::ApiDoc::openapi()),
            |r, a| r.merge(a),
        )
}
