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
        let r = self
            .post(
                &c,
                "/dang-nhap",
                "/dang-nhap",
                &[
                    ("username", username),
                    ("password", danchu::demo::DEMO_PASSWORD),
                    ("next", "/quan-tri"),
                ],
            )
            .await;
        assert_eq!(r.status(), 303, "sign-in of {username}");
        (c, jar)
    }

    /// Signs in with the demo password; returns the client.
    pub async fn sign_in(&self, username: &str) -> reqwest::Client {
        let c = self.client();
        let r = self
            .post(
                &c,
                "/dang-nhap",
                "/dang-nhap",
                &[
                    ("username", username),
                    ("password", danchu::demo::DEMO_PASSWORD),
                    ("next", "/quan-tri"),
                ],
            )
            .await;
        assert_eq!(r.status(), 303, "sign-in of {username}");
        c
    }

    /// Uploads one file to the media library (`/quan-tri/tep`) for the unit `unit_code`.
    pub async fn upload(
        &self,
        c: &reqwest::Client,
        unit_code: &str,
        name: &str,
        bytes: Vec<u8>,
    ) -> reqwest::Response {
        let token = self.csrf(c, "/quan-tri/tep").await;
        let unit = self.unit_id(unit_code).await.to_string();
        let form = reqwest::multipart::Form::new().text("unit_id", unit).part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
        );
        c.post(self.at(&format!("/quan-tri/tep?_csrf={token}")))
            .multipart(form)
            .send()
            .await
            .expect("upload")
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
