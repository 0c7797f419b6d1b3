//! The JSON API over both databases (issue 5): a unit's API token created in the admin
//! area, a commune's software submitting its report and task progress with it, scoping
//! (the token acts for its unit only), JSON errors, CSRF for cookie sessions, Phòng Nội
//! vụ's steps through the API (templates, rounds, accept, consolidation), revocation;
//! request bodies, paging, and the OpenAPI document.

mod bodies;
mod idempotency;
mod noi_vu;
mod openapi;
mod paging;
mod reports;

use crate::harness::TestApp;

/// Creates an API token for a unit through the admin page; returns the secret.
pub(crate) async fn create_token(
    app: &TestApp,
    c: &reqwest::Client,
    unit: i64,
    name: &str,
) -> String {
    let r = app
        .post(
            c,
            "/quan-tri/khoa-api",
            "/quan-tri/khoa-api",
            &[("unit_id", &unit.to_string()), ("name", name)],
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.headers()["cache-control"],
        "no-store",
        "the page with a secret is never cached"
    );
    let html = r.text().await.unwrap();
    let start = html.find("danchu_").expect("secret shown once");
    html[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .collect()
}

pub(crate) fn api(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    token: &str,
) -> reqwest::RequestBuilder {
    reqwest::Client::new()
        .request(method, app.at(path))
        .bearer_auth(token)
}

/// A signed-in browser session using the API: each request carries the session's CSRF
/// token in `X-CSRF-Token`, as the admin pages' scripts send it.
pub(crate) struct Session {
    pub(crate) c: reqwest::Client,
    csrf: String,
    base: String,
}

impl Session {
    /// Signs `username` in and reads the session's CSRF token.
    pub(crate) async fn sign_in(app: &TestApp, username: &str) -> Session {
        Session::of(app, app.sign_in(username).await).await
    }

    /// The signed-in client `c` (a clone shares its cookies), with its CSRF token read now.
    pub(crate) async fn of(app: &TestApp, c: reqwest::Client) -> Session {
        let csrf = app.csrf(&c, "/quan-tri/mat-khau").await;
        Session {
            c,
            csrf,
            base: app.url.clone(),
        }
    }

    /// A request to `path` with the CSRF header.
    pub(crate) fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.c
            .request(method, format!("{}{path}", self.base))
            .header("x-csrf-token", &self.csrf)
    }

    /// POSTs `body` as JSON to `path`.
    pub(crate) async fn post_json(
        &self,
        path: &str,
        body: &serde_json::Value,
    ) -> reqwest::Response {
        self.request(reqwest::Method::POST, path)
            .json(body)
            .send()
            .await
            .expect("POST")
    }
}
