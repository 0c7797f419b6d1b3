//! A real browser: headless Chromium driven over WebDriver (chromium-driver), signing in
//! and out through the pages, without any test-only shortcut. Install the browser with
//! scripts/install-test-deps.sh. Without it the tests fail: they never pass by skipping.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{json, Value};

use crate::harness::{Backend, TestApp};

mod editor;
mod search_pages;
mod text_size;

struct Driver {
    child: Child,
    /// Chromium's profile directory (removed when done).
    profile: std::path::PathBuf,
    base: String,
    session: String,
    http: reqwest::Client,
}

impl Driver {
    async fn start() -> Driver {
        Driver::start_with(json!({})).await
    }

    /// A session with more capabilities (e.g. `unhandledPromptBehavior`).
    async fn start_with(extra: Value) -> Driver {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port for chromedriver")
            .port();
        // Killed and waited for in `Drop`; every step after the spawn panics rather than returns.
        #[allow(clippy::zombie_processes)]
        let child = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver not found: run scripts/install-test-deps.sh");
        let base = format!("http://127.0.0.1:{port}");
        let http = reqwest::Client::new();
        for _ in 0..100 {
            if http.get(format!("{base}/status")).send().await.is_ok() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let profile =
            std::env::temp_dir().join(format!("danchu_chrome_{:x}", rand::random::<u64>()));
        let mut always = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                         "--disable-background-networking", "--disable-component-update", "--disable-sync",
                         "--window-size=360,800", format!("--user-data-dir={}", profile.display())]
            }
        });
        if let (Some(a), Some(e)) = (always.as_object_mut(), extra.as_object()) {
            a.extend(e.clone());
        }
        let caps = json!({"capabilities": {"alwaysMatch": always}});
        let r: Value = http
            .post(format!("{base}/session"))
            .json(&caps)
            .send()
            .await
            .expect("chromedriver answers")
            .json()
            .await
            .expect("json");
        let session = r["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no WebDriver session: {r}"))
            .to_string();
        Driver {
            child,
            profile,
            base,
            session,
            http,
        }
    }

    async fn cmd(&self, method: reqwest::Method, path: &str, body: Value) -> Value {
        match self.try_cmd(method, path, body).await {
            Ok(v) => v,
            Err(e) => panic!("{path}: {e}"),
        }
    }

    /// A command whose WebDriver error is an answer (e.g. "no such alert").
    async fn try_cmd(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Value,
    ) -> Result<Value, Value> {
        let url = format!("{}/session/{}{path}", self.base, self.session);
        let req = self.http.request(method.clone(), &url);
        let req = if method == reqwest::Method::GET {
            req
        } else {
            req.json(&body)
        };
        let v: Value = req
            .send()
            .await
            .expect("webdriver")
            .json()
            .await
            .expect("json");
        if v["value"].get("error").is_some() {
            Err(v["value"].clone())
        } else {
            Ok(v["value"].clone())
        }
    }

    /// Signs in through the sign-in page and lands on `next`.
    async fn sign_in(&self, app: &TestApp, username: &str, next: &str) {
        self.goto(&app.at(&format!("/dang-nhap?next={next}"))).await;
        self.type_into("#username", username).await;
        self.type_into("#password", danchu::demo::DEMO_PASSWORD)
            .await;
        self.click("form.card button[type=submit]").await;
        self.wait_for_url(next).await;
    }

    async fn goto(&self, url: &str) {
        self.cmd(reqwest::Method::POST, "/url", json!({"url": url}))
            .await;
    }

    async fn find(&self, css: &str) -> String {
        let v = self
            .cmd(
                reqwest::Method::POST,
                "/element",
                json!({"using": "css selector", "value": css}),
            )
            .await;
        v.as_object()
            .and_then(|o| o.values().next())
            .and_then(|v| v.as_str())
            .expect("element id")
            .to_string()
    }

    async fn type_into(&self, css: &str, text: &str) {
        let id = self.find(css).await;
        self.cmd(
            reqwest::Method::POST,
            &format!("/element/{id}/value"),
            json!({"text": text}),
        )
        .await;
    }

    async fn clear(&self, css: &str) {
        let id = self.find(css).await;
        self.cmd(
            reqwest::Method::POST,
            &format!("/element/{id}/clear"),
            json!({}),
        )
        .await;
    }

    async fn click(&self, css: &str) {
        let id = self.find(css).await;
        self.cmd(
            reqwest::Method::POST,
            &format!("/element/{id}/click"),
            json!({}),
        )
        .await;
    }

    async fn url(&self) -> String {
        self.cmd(reqwest::Method::GET, "/url", json!({}))
            .await
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    async fn source(&self) -> String {
        self.cmd(reqwest::Method::GET, "/source", json!({}))
            .await
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// The page source once it contains `text` (a click returns before the next page loads).
    async fn wait_for_text(&self, text: &str) -> String {
        for _ in 0..50 {
            let s = self.source().await;
            if s.contains(text) {
                return s;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        self.source().await
    }

    /// Runs a script in the page and returns its value.
    async fn exec(&self, script: &str) -> Value {
        self.cmd(
            reqwest::Method::POST,
            "/execute/sync",
            json!({"script": script, "args": []}),
        )
        .await
    }

    async fn resize(&self, width: u32, height: u32) {
        self.cmd(
            reqwest::Method::POST,
            "/window/rect",
            json!({"width": width, "height": height}),
        )
        .await;
    }

    /// Saves a screenshot of the viewport under target/screenshots/.
    async fn screenshot(&self, name: &str) {
        use base64::Engine as _;
        let png = self
            .cmd(reqwest::Method::GET, "/screenshot", json!({}))
            .await;
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
        let _ = std::fs::create_dir_all(&dir);
        if let Some(b) = png
            .as_str()
            .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok())
        {
            let _ = std::fs::write(dir.join(format!("{name}.png")), b);
        }
    }

    /// Runs axe-core (WCAG 2.1 A and AA rules) on the current page; returns the violations.
    async fn axe(&self) -> Vec<Value> {
        let axe_js = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../e2e/node_modules/axe-core/axe.min.js");
        let src = std::fs::read_to_string(&axe_js)
            .expect("axe-core missing: run scripts/install-test-deps.sh");
        self.exec(&format!("{src}\nreturn typeof axe;")).await;
        let script = "var done = arguments[arguments.length - 1];\
            axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})\
              .then(function (r) { done(JSON.stringify(r.violations.map(function (v) {\
                return {id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(function (n) { return n.target.join(' '); })}; }))); })\
              .catch(function (e) { done('[{\"id\": \"axe-error\", \"help\": \"' + e + '\"}]'); });";
        let v = self
            .cmd(
                reqwest::Method::POST,
                "/execute/async",
                json!({"script": script, "args": []}),
            )
            .await;
        serde_json::from_str(v.as_str().unwrap_or("[]")).unwrap_or_default()
    }

    async fn wait_for_url(&self, suffix: &str) -> String {
        for _ in 0..50 {
            let u = self.url().await;
            if u.ends_with(suffix) {
                return u;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        self.url().await
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // Ask chromedriver to close the browser (it starts Chromium in a process group
        // of its own), then make sure: every process using our profile directory goes.
        let addr = self.base.trim_start_matches("http://").to_string();
        if let Ok(mut s) = std::net::TcpStream::connect(&addr) {
            use std::io::{Read as _, Write as _};
            let _ = s.set_read_timeout(Some(Duration::from_secs(10)));
            let _ = write!(
                s,
                "DELETE /session/{} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n",
                self.session
            );
            let _ = s.read_to_end(&mut Vec::new());
        }
        let _ = Command::new("pkill")
            .arg("-KILL")
            .arg("-f")
            .arg(self.profile.display().to_string())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_signs_in_and_out() {
    let app = TestApp::start(Backend::Sqlite).await;
    let d = Driver::start().await;
    d.goto(&app.at("/quan-tri")).await;
    // Sent to the sign-in page, which works with the keyboard and without JS.
    assert!(d
        .wait_for_url("/dang-nhap?next=/quan-tri")
        .await
        .contains("/dang-nhap"));
    d.type_into("#username", "quantri.anlap").await;
    d.type_into("#password", "sai-mat-khau-123").await;
    d.click("form.card button[type=submit]").await;
    let src = d
        .wait_for_text("Tên đăng nhập hoặc mật khẩu không đúng.")
        .await;
    assert!(
        src.contains("Tên đăng nhập hoặc mật khẩu không đúng."),
        "{src}"
    );
    d.type_into("#password", danchu::demo::DEMO_PASSWORD).await;
    d.click("form.card button[type=submit]").await;
    let u = d.wait_for_url("/quan-tri").await;
    assert!(u.ends_with("/quan-tri"), "{u}");
    let src = d.wait_for_text("Xã An Lập").await;
    assert!(
        src.contains("Quản trị đơn vị") && src.contains("Xã An Lập"),
        "dashboard shows the role and unit"
    );
    d.click("header form button[type=submit]").await;
    let src = d.wait_for_text("href=\"/dang-nhap\"").await;
    assert!(src.contains("href=\"/dang-nhap\""), "signed out");
    d.goto(&app.at("/quan-tri")).await;
    assert!(d
        .wait_for_url("/dang-nhap?next=/quan-tri")
        .await
        .contains("/dang-nhap"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_reads_the_portal_and_publishes() {
    let app = TestApp::start(Backend::Sqlite).await;
    let d = Driver::start().await;
    let seed = format!("/bai-viet/{}", crate::portal::SEED_SLUG);
    // Accessibility (WCAG 2.1 AA) of the home and article pages, at phone and desktop width.
    for (w, h) in [(1280, 900), (360, 800)] {
        d.resize(w, h).await;
        for (name, path) in [("home", "/"), ("article", seed.as_str())] {
            d.goto(&app.at(path)).await;
            d.wait_for_text("Thống kê truy cập").await;
            let violations = d.axe().await;
            assert!(
                violations.is_empty(),
                "axe on {path} at {w}px: {}",
                serde_json::to_string_pretty(&violations).unwrap_or_default()
            );
            d.screenshot(&format!("{name}-{w}")).await;
        }
    }
    d.resize(1280, 900).await;
    // The seed article as the district published it.
    d.goto(&app.at(&seed)).await;
    let src = d.wait_for_text("Anh Xê Ka").await;
    assert!(src.contains("10/03/2023") && src.contains("Lượt xem: 1.4"));
    // Contrast and text size: switched with plain links, remembered on the next page.
    d.click("header a.pref[href*=contrast]").await;
    d.wait_for_text("class=\"contrast\"").await;
    d.click("header a.pref[href*=large]").await;
    d.wait_for_text("class=\"contrast large\"").await;
    d.click("nav.cats a[href=\"/tin-tuc/dan-chu-o-co-so\"]")
        .await;
    let src = d.wait_for_text("<h1>Dân chủ ở cơ sở</h1>").await;
    // On the category page itself (the wait gives up after 5 s with whatever page it has).
    assert!(
        src.contains("<h1>Dân chủ ở cơ sở</h1>"),
        "the category page loaded"
    );
    assert!(
        src.contains("<html lang=\"vi\" class=\"contrast large\">"),
        "choices persist across pages"
    );
    let violations = d.axe().await;
    assert!(
        violations.is_empty(),
        "axe in high contrast: {}",
        serde_json::to_string_pretty(&violations).unwrap_or_default()
    );
    d.screenshot("category-contrast-large-1280").await;
    // Search from the home page, typed without diacritics.
    d.goto(&app.at("/")).await;
    d.type_into("#q-site", "quy che dan chu dau tieng").await;
    d.click("form.site-search button[type=submit]").await;
    let src = d.wait_for_text("<mark>").await;
    assert!(
        src.contains(&format!("href=\"/bai-viet/{}\"", crate::portal::SEED_SLUG)),
        "the seed article is found"
    );
    assert!(
        src.contains("<mark>Dầu</mark>"),
        "highlighted with its diacritics"
    );
    // Back to normal; the print view.
    d.goto(&app.at("/tuy-chon?doi=contrast&back=/")).await;
    d.goto(&app.at("/tuy-chon?doi=large&back=/")).await;
    d.goto(&app.at(&format!("{seed}/in"))).await;
    let src = d.wait_for_text("Ngày in").await;
    assert!(src.contains("print-view") && src.contains(&app.at(&seed)));
    d.screenshot("print-1280").await;
    // An editor signs in and publishes; the article is on the home page and in the feed.
    d.goto(&app.at("/dang-nhap?next=/quan-tri/bai-viet/moi"))
        .await;
    d.type_into("#username", "bientap").await;
    d.type_into("#password", danchu::demo::DEMO_PASSWORD).await;
    d.click("form.card button[type=submit]").await;
    d.wait_for_text("Viết bài mới").await;
    d.type_into("#title", "Hội nghị nhân dân ấp Đồng Sặc").await;
    d.exec("var c = document.getElementById('category_id'); c.selectedIndex = 1; var u = document.getElementById('unit_id'); u.selectedIndex = 1;").await;
    // The rich-text editor replaced the textarea (JavaScript on).
    d.type_into(".editor", "Bà con bàn và quyết định làm đường.")
        .await;
    d.click("input[name=status][value=published]").await;
    d.click("form.card button[type=submit]").await;
    d.wait_for_text("/bai-viet/hoi-nghi-nhan-dan-ap-dong-sac")
        .await;
    d.goto(&app.at("/")).await;
    let src = d.wait_for_text("Hội nghị nhân dân ấp Đồng Sặc").await;
    assert!(src.contains("href=\"/bai-viet/hoi-nghi-nhan-dan-ap-dong-sac\""));
    let a = danchu_db::portal::article_by_slug(&app.db, "hoi-nghi-nhan-dan-ap-dong-sac")
        .await
        .unwrap()
        .unwrap();
    assert!(
        a.body.contains("Bà con bàn và quyết định làm đường."),
        "{}",
        a.body
    );
    let rss = app.page(&app.client(), "/rss.xml").await;
    assert!(rss.contains("/bai-viet/hoi-nghi-nhan-dan-ap-dong-sac</link>"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_reporter_submits_a_report_fixing_an_error() {
    let app = TestApp::start(Backend::Sqlite).await;
    let d = Driver::start().await;
    // The reporter of Xã An Lập signs in and sees the report still to send.
    d.goto(&app.at("/dang-nhap?next=/quan-tri")).await;
    d.type_into("#username", "baocao.anlap").await;
    d.type_into("#password", danchu::demo::DEMO_PASSWORD).await;
    d.click("form.card button[type=submit]").await;
    d.wait_for_text("Báo cáo cần nộp").await;
    d.click("section.pending a").await;
    d.wait_for_text("I. Công khai thông tin").await;
    for (field, value) in [
        ("so_noi_dung_cong_khai", "9"),
        ("so_cuoc_hop", "6"),
        ("tong_so_ho", "1.320"),
        ("so_ho_tham_gia", "1.100"),
        ("so_ho_tan_thanh", "1.150"),
        ("ty_le_tan_thanh", "92,5"),
        ("so_cuoc_giam_sat", "2"),
        ("kien_nghi", "Cần thêm loa truyền thanh ở ấp Bàu Khai"),
    ] {
        d.type_into(&format!("#f-{field}"), value).await;
    }
    // Yes/no answers are chosen with the keyboard in their lists.
    for field in ["niem_yet_day_du", "co_ban_ttnd"] {
        d.type_into(&format!("#f-{field}"), "C").await;
    }
    d.click("button[value=nop]").await;
    // One mistake: named next to its field, in Vietnamese, and nothing typed is lost.
    let src = d.wait_for_text("không được lớn hơn").await;
    assert!(src.contains("“Số hộ tán thành” (1.150) không được lớn hơn “Số hộ tham gia” (1.100)."));
    assert!(src.contains("id=\"f-so_ho_tan_thanh\" name=\"so_ho_tan_thanh\" value=\"1.150\""));
    assert!(
        src.contains("value=\"Cần thêm loa truyền thanh ở ấp Bàu Khai\"")
            || src.contains(">Cần thêm loa truyền thanh ở ấp Bàu Khai</textarea>")
    );
    let violations = d.axe().await;
    assert!(
        violations.is_empty(),
        "axe on the report form with an error: {}",
        serde_json::to_string_pretty(&violations).unwrap_or_default()
    );
    d.screenshot("report-form-error-360").await;
    d.clear("#f-so_ho_tan_thanh").await;
    d.type_into("#f-so_ho_tan_thanh", "1.050").await;
    d.click("button[value=nop]").await;
    let src = d.wait_for_text("Đã nộp báo cáo.").await;
    assert!(src.contains("<strong>Đã nộp</strong>"));
    let an_lap = app.unit_id("25789").await;
    let round = danchu_db::reporting::rounds(&app.db)
        .await
        .unwrap()
        .remove(0);
    let sub = danchu_db::reporting::submission(&app.db, round.id, an_lap)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        sub.answers["so_ho_tan_thanh"],
        danchu_core::reporting::Value::Int(1050)
    );
    assert_eq!(
        sub.answers["niem_yet_day_du"],
        danchu_core::reporting::Value::Bool(true)
    );
}

/// Issue 7: an official posts a disclosure with a photo of the notice board as evidence,
/// records on a phone which heads of ấp received it (R8), and a citizen finds it by
/// searching without diacritics.
#[tokio::test]
async fn browser_official_posts_a_disclosure_and_a_citizen_finds_it() {
    use base64::Engine;
    let app = TestApp::start(Backend::Sqlite).await;
    let d = Driver::start().await;
    d.goto(&app.at("/dang-nhap?next=/quan-tri")).await;
    d.type_into("#username", "quantri.anlap").await;
    d.type_into("#password", danchu::demo::DEMO_PASSWORD).await;
    d.click("form.card button[type=submit]").await;
    d.wait_for_text("Vai trò").await;
    d.goto(&app.at("/quan-tri/cong-khai/moi")).await;
    d.wait_for_text("Đăng nội dung công khai").await;
    // Item 4 of Article 11 (administrative procedures), chosen with the keyboard.
    d.type_into("#category_id", "4").await;
    d.type_into(
        "#title",
        "Quy trình tiếp nhận hồ sơ đất đai trực tuyến năm 2024",
    )
    .await;
    d.type_into(
        "#body",
        "Người dân nộp hồ sơ đất đai qua Cổng dịch vụ công; bộ phận một cửa xã An Lập hướng dẫn.",
    )
    .await;
    d.click("form[enctype] button[type=submit]").await;
    d.wait_for_text("Đã lưu.").await;
    // The photo of the notice board as evidence.
    let photo = std::env::temp_dir().join(format!("bang-tin-{}.png", std::process::id()));
    let png = base64::engine::general_purpose::STANDARD
        .decode(crate::harness::PNG_1X1)
        .unwrap();
    std::fs::write(&photo, png).unwrap();
    let today = danchu_core::text::format_date(
        danchu_core::text::parse_date(&danchu_db::today_vn()).unwrap(),
    );
    d.type_into("#starts_on", &today).await;
    d.type_into("#evidence", "Ảnh chụp bảng tin trụ sở UBND xã")
        .await;
    d.type_into("#evidence_file", &photo.display().to_string())
        .await;
    d.click("#hinh-thuc button[type=submit]").await;
    let src = d.wait_for_text("Ảnh chụp bảng tin trụ sở UBND xã").await;
    let _ = std::fs::remove_file(&photo);
    // A link to the stored file, under the photo's name (".png" alone is in the file
    // input's `accept=` on the same page).
    let photo_name = photo.file_name().unwrap().to_string_lossy().to_string();
    let link_end = format!("\">{photo_name}</a>");
    let at = src
        .find(&link_end)
        .unwrap_or_else(|| panic!("the photo {photo_name} is listed as evidence"));
    assert!(
        src[..at]
            .rfind("<a ")
            .is_some_and(|a| src[a..at].starts_with("<a href=\"/tep/")),
        "linked to its stored file"
    );
    // R8 on a phone: sent through the heads of ấp; the form offers a box per ấp of the
    // commune, chosen and filled with the keyboard.
    d.resize(360, 800).await;
    d.type_into("#channel", "Thông qua").await;
    d.type_into("#starts_on", &today).await;
    d.click("details.r8 summary").await;
    d.type_into("#hn-1", "Nguyễn Văn Hùng").await;
    d.type_into("#ho-1", &today).await;
    d.type_into("#hm-1", "Tin").await;
    d.click("#hinh-thuc button[type=submit]").await;
    let src = d.wait_for_text("Ấp Bến Tranh (Nguyễn Văn Hùng)").await;
    // The recorded notice (the method's name alone is in every row's list of methods).
    assert!(
        src.contains(&format!(
            "<li>Ấp Bến Tranh (Nguyễn Văn Hùng): Ngày nhận {today}; Tin nhắn đến người đại diện hộ gia đình</li>"
        )),
        "the notice recorded with its method"
    );
    assert!(
        src.contains(
            "Chưa có ghi nhận thông báo:</strong> Ấp Cần Giăng, Ấp Đồng Sến, Ấp Hòa Cường"
        ),
        "the ấp not reached are named"
    );
    let width = d.exec("return document.documentElement.scrollWidth").await;
    assert!(
        width.as_i64().is_some_and(|w| w <= 360),
        "fits a phone: {width}"
    );
    d.screenshot("disclosure-admin-360").await;
    d.resize(1280, 900).await;
    let violations = d.axe().await;
    assert!(
        violations.is_empty(),
        "axe on the disclosure admin page: {}",
        serde_json::to_string_pretty(&violations).unwrap_or_default()
    );
    // A citizen searches without diacritics, on a phone.
    d.click("form[action='/dang-xuat'] button").await;
    d.resize(360, 800).await;
    d.goto(&app.at("/tim-kiem?q=quy+trinh+tiep+nhan+ho+so+dat+dai"))
        .await;
    d.wait_for_text("Quy trình tiếp nhận hồ sơ đất đai trực tuyến năm 2024")
        .await;
    d.click("ol.results a").await;
    let src = d.wait_for_text("Hình thức công khai").await;
    assert!(src.contains("Niêm yết tại trụ sở") && src.contains("Ảnh chụp bảng tin"));
    assert!(src.contains("còn 30 ngày"), "the countdown of R10");
    let violations = d.axe().await;
    assert!(
        violations.is_empty(),
        "axe on the public disclosure: {}",
        serde_json::to_string_pretty(&violations).unwrap_or_default()
    );
    d.screenshot("disclosure-360").await;
}
