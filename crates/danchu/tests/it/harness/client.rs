//! Talking to the test server as a browser does: pages, forms with their CSRF token,
//! signing in, uploads.

use super::{csrf_in, TestApp};

impl TestApp {
    /// A browser-like client: keeps cookies, does not follow redirects.
    pub fn client(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .user_agent("Mozilla/5.0 (Linux; Android 10; SM-A105F) AppleWebKit/537.36 Chrome/120 Mobile Safari/537.36")
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
    }

    pub fn at(&self, path: &str) -> String {
        format!("{}{path}", self.url)
    }

    /// GETs a page and returns its body, asserting 200.
    pub async fn page(&self, c: &reqwest::Client, path: &str) -> String {
        let r = c.get(self.at(path)).send().await.expect("GET");
        assert_eq!(r.status(), 200, "GET {path}");
        r.text().await.expect("body")
    }

    /// The CSRF token of a page's form (fetching the page sets the cookie).
    pub async fn csrf(&self, c: &reqwest::Client, path: &str) -> String {
        csrf_in(&self.page(c, path).await)
    }

    /// POSTs a form with the CSRF token taken from `form_page`.
    pub async fn post(
        &self,
        c: &reqwest::Client,
        form_page: &str,
        action: &str,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        let token = self.csrf(c, form_page).await;
        let mut all: Vec<(&str, &str)> = vec![("_csrf", token.as_str())];
        all.extend_from_slice(fields);
        c.post(self.at(action))
            .form(&all)
            .send()
            .await
            .expect("POST")
    }

    /// GETs `path` with `c` (any status).
    pub async fn get(&self, c: &reqwest::Client, path: &str) -> reqwest::Response {
        c.get(self.at(path)).send().await.expect("GET")
    }

    /// [`TestApp::sign_in`], with the client's cookie jar (to read its cookies).
    pub async fn sign_in_with_jar(
        &self,
        username: &str,
    ) -> (reqwest::Client, std::sync::Arc<reqwest::cookie::Jar>) {
        let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
        let c = reqwest::Client::builder()
            .user_agent("Mozilla/5.0 (X11; Linux x86_64) Chrome/120 Safari/537.36")
            .cookie_provider(jar.clone())
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        self.sign_in_on(&c, username).await;
        (c, jar)
    }

    /// Signs in with the demo password; returns the client.
    pub async fn sign_in(&self, username: &str) -> reqwest::Client {
        let c = self.client();
        self.sign_in_on(&c, username).await;
        c
    }

    /// Signs `c` in as `username` with the demo password, through the sign-in form.
    async fn sign_in_on(&self, c: &reqwest::Client, username: &str) {
        let password = danchu::demo::DEMO_PASSWORD;
        let r = self
            .submit_sign_in(c, username, password, &[("next", "/quan-tri")])
            .await;
        assert_eq!(r.status(), 303, "sign-in of {username}");
    }

    /// Submits the sign-in form as `c` with `username` and `password` (and `more`
    /// fields); the answer, whatever it is.
    pub async fn submit_sign_in(
        &self,
        c: &reqwest::Client,
        username: &str,
        password: &str,
        more: &[(&str, &str)],
    ) -> reqwest::Response {
        let mut fields = vec![("username", username), ("password", password)];
        fields.extend_from_slice(more);
        self.post(c, "/dang-nhap", "/dang-nhap", &fields).await
    }

    /// POSTs a multipart form as the page does: the CSRF token (from `form_page`) in the
    /// URL, text `fields`, and `files` as (field, file name, bytes).
    pub async fn post_multipart(
        &self,
        c: &reqwest::Client,
        form_page: &str,
        action: &str,
        fields: &[(&str, &str)],
        files: Vec<(&str, &str, Vec<u8>)>,
    ) -> reqwest::Response {
        let token = self.csrf(c, form_page).await;
        c.post(self.at(&format!("{action}?_csrf={token}")))
            .multipart(multipart_form(fields, files))
            .send()
            .await
            .expect("POST")
    }

    /// Uploads one file to the media library (`/quan-tri/tep`) for the unit `unit_code`.
    pub async fn upload(
        &self,
        c: &reqwest::Client,
        unit_code: &str,
        name: &str,
        bytes: Vec<u8>,
    ) -> reqwest::Response {
        let unit = self.unit_id(unit_code).await.to_string();
        self.upload_for(c, &unit, name, bytes).await
    }

    /// [`TestApp::upload`] for the unit whose id is `unit_id` (as the form sends it).
    pub async fn upload_for(
        &self,
        c: &reqwest::Client,
        unit_id: &str,
        name: &str,
        bytes: Vec<u8>,
    ) -> reqwest::Response {
        self.post_multipart(
            c,
            "/quan-tri/tep",
            "/quan-tri/tep",
            &[("unit_id", unit_id)],
            vec![("file", name, bytes)],
        )
        .await
    }

    /// [`TestApp::upload`], asserting the file is accepted (303); the media row it made.
    pub async fn uploaded(
        &self,
        c: &reqwest::Client,
        unit_code: &str,
        name: &str,
        bytes: Vec<u8>,
    ) -> danchu_db::media::Media {
        let unit = self.unit_id(unit_code).await.to_string();
        self.uploaded_for(c, &unit, name, bytes).await
    }

    /// [`TestApp::upload_for`], asserting the file is accepted (303); the media row it made.
    pub async fn uploaded_for(
        &self,
        c: &reqwest::Client,
        unit_id: &str,
        name: &str,
        bytes: Vec<u8>,
    ) -> danchu_db::media::Media {
        let r = self.upload_for(c, unit_id, name, bytes).await;
        let status = r.status();
        assert_eq!(status, 303, "upload of {name}: {:?}", r.text().await);
        let mut newest = danchu_db::media::recent(&self.db, None, 1)
            .await
            .expect("media");
        newest.remove(0)
    }

    /// How many statements a GET of `path` sends to the database (asserting 200).
    pub async fn queries_of(&self, c: &reqwest::Client, path: &str) -> u32 {
        let r = c.get(self.at(path)).send().await.expect("GET");
        assert_eq!(r.status(), 200, "GET {path}");
        let _ = r.bytes().await;
        let log = self.usage.lock().expect("usage log");
        let plain = path.split('?').next().unwrap_or(path);
        log.iter()
            .rev()
            .find(|u| u.method == "GET" && u.path == plain)
            .map(|u| u.db.queries)
            .unwrap_or_else(|| panic!("no usage recorded for {path}"))
    }
}

/// A multipart body: text `fields`, then `files` as (field, file name, bytes).
pub fn multipart_form(
    fields: &[(&str, &str)],
    files: Vec<(&str, &str, Vec<u8>)>,
) -> reqwest::multipart::Form {
    let mut f = reqwest::multipart::Form::new();
    for (k, v) in fields {
        f = f.text(k.to_string(), v.to_string());
    }
    for (field, name, bytes) in files {
        f = f.part(
            field.to_string(),
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
        );
    }
    f
}

/// A client of a server at `base` (the real binary, started outside [`TestApp`]) signed
/// in as `username` with the demo password, sending `user_agent` if given; it keeps
/// cookies and follows no redirects.
pub async fn sign_in_at(base: &str, username: &str, user_agent: Option<&str>) -> reqwest::Client {
    let mut b = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none());
    if let Some(ua) = user_agent {
        b = b.user_agent(ua);
    }
    let c = b.build().expect("client");
    sign_in_through(&c, base, username).await;
    c
}

/// [`sign_in_at`] (no user agent), with the client's cookie jar (read it with
/// [`cookie_line`] once the pages it needs have set their cookies).
pub async fn sign_in_at_with_jar(
    base: &str,
    username: &str,
) -> (reqwest::Client, std::sync::Arc<reqwest::cookie::Jar>) {
    let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
    let c = reqwest::Client::builder()
        .cookie_provider(jar.clone())
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    sign_in_through(&c, base, username).await;
    (c, jar)
}

/// The `Cookie` header line `jar` sends to `base` ("" when it has none).
pub fn cookie_line(jar: &reqwest::cookie::Jar, base: &str) -> String {
    use reqwest::cookie::CookieStore as _;
    let url: reqwest::Url = base.parse().expect("url");
    jar.cookies(&url)
        .and_then(|v| v.to_str().ok().map(str::to_string))
        .unwrap_or_default()
}

/// The body of a GET of `url` by `c`, whatever its status.
pub async fn body_at(c: &reqwest::Client, url: impl reqwest::IntoUrl) -> String {
    let r = c.get(url).send().await.expect("GET");
    r.text().await.expect("body")
}

/// Signs `c` in at `base` as `username` with the demo password, through the sign-in form.
async fn sign_in_through(c: &reqwest::Client, base: &str, username: &str) {
    let page = body_at(c, format!("{base}/dang-nhap")).await;
    let r = c
        .post(format!("{base}/dang-nhap"))
        .form(&[
            ("_csrf", csrf_in(&page).as_str()),
            ("username", username),
            ("password", danchu::demo::DEMO_PASSWORD),
            ("next", "/quan-tri"),
        ])
        .send()
        .await
        .expect("POST");
    assert_eq!(r.status(), 303, "sign-in of {username}");
}

/// Asserts that `r` sent its form back refused (400) with each of `errors` on it (the
/// Vietnamese messages beside their fields); returns the page, for what else it must show.
pub async fn assert_refused(r: reqwest::Response, errors: &[&str]) -> String {
    let url = r.url().path().to_string();
    assert_eq!(r.status(), 400, "{url}");
    let body = r.text().await.expect("body");
    for e in errors {
        assert!(body.contains(e), "{url} shows {e:?}");
    }
    body
}

/// Asserts that `r` answered `status` with a body that contains `text`.
pub async fn assert_page(r: reqwest::Response, status: u16, text: &str) {
    let url = r.url().path().to_string();
    assert_eq!(r.status(), status, "{url}");
    let body = r.text().await.expect("body");
    assert!(body.contains(text), "{url}: {status} with {text:?}");
}
