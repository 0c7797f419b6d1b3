//! The admin forms many tests fill the same way: a new unit, a new account, a raw form
//! body (for bodies a browser would not send).

use super::TestApp;

impl TestApp {
    /// Submits the new-unit form of `/quan-tri/don-vi` (under `parent`, the parent's id,
    /// when given) with `code`, `name` and `kind`.
    pub async fn add_unit(
        &self,
        c: &reqwest::Client,
        parent: Option<i64>,
        code: &str,
        name: &str,
        kind: &str,
    ) -> reqwest::Response {
        let parent = parent.map(|p| p.to_string());
        let mut fields = Vec::new();
        if let Some(p) = &parent {
            fields.push(("parent_id", p.as_str()));
        }
        fields.extend([("code", code), ("name", name), ("kind", kind)]);
        let page = "/quan-tri/don-vi";
        self.post(c, page, page, &fields).await
    }

    /// Submits the new-account form of `/quan-tri/nguoi-dung`: `username` and `full_name`
    /// with `password`, given `role` in the unit `unit_code` ("" for none).
    pub async fn add_user(
        &self,
        c: &reqwest::Client,
        [username, full_name, password]: [&str; 3],
        role: &str,
        unit_code: &str,
    ) -> reqwest::Response {
        let page = "/quan-tri/nguoi-dung";
        let fields = [
            ("username", username),
            ("full_name", full_name),
            ("password", password),
            ("role", role),
            ("unit_code", unit_code),
        ];
        self.post(c, page, page, &fields).await
    }

    /// Submits the rename form of the unit `id` (with the CSRF token of `form_page`).
    pub async fn rename_unit(
        &self,
        c: &reqwest::Client,
        form_page: &str,
        id: i64,
        name: &str,
    ) -> reqwest::Response {
        let action = format!("/quan-tri/don-vi/{id}/doi-ten");
        self.post(c, form_page, &action, &[("name", name)]).await
    }

    /// POSTs `body` to `path` as `application/x-www-form-urlencoded`, as it is (no token
    /// added).
    pub async fn post_raw_form(
        &self,
        c: &reqwest::Client,
        path: &str,
        body: impl Into<reqwest::Body>,
    ) -> reqwest::Response {
        c.post(self.at(path))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .expect("POST")
    }
}
