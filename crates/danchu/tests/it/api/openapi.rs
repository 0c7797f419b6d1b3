//! `/api/openapi.json` (issue 13, item 9): served by the router, OpenAPI 3.1, valid for a
//! real validator (openapi-spec-validator, installed by scripts/install-test-deps.sh),
//! the same as the committed docs/openapi.json, and describing exactly the API's routes.

use std::collections::BTreeSet;
use std::path::PathBuf;

use serde_json::Value;

use crate::both;
use crate::harness::{Fixture, TestApp};

const METHODS: [&str; 5] = ["get", "post", "put", "delete", "patch"];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

async fn document(app: &TestApp) -> Value {
    let r = reqwest::get(app.at("/api/openapi.json")).await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    r.json().await.unwrap()
}

/// (method, path template) of every operation the document lists.
fn operations(doc: &Value) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for m in METHODS {
            if item.get(m).is_some() {
                out.insert((m.to_uppercase(), path.clone()));
            }
        }
    }
    out
}

/// A template with every `{param}` filled in.
fn concrete(template: &str) -> String {
    template
        .split('/')
        .map(|s| if s.starts_with('{') { "1" } else { s })
        .collect::<Vec<_>>()
        .join("/")
}

both!(
    openapi_json_is_served_as_openapi_3_1,
    Fixture::units(),
    |app: TestApp| async move {
        let doc = document(&app).await;
        assert!(
            doc["openapi"].as_str().unwrap().starts_with("3.1"),
            "{}",
            doc["openapi"]
        );
        assert!(
            doc["paths"]["/api/v1/bao-cao/dot/{round}/don-vi/{unit}"]["put"]["requestBody"]
                .is_object()
        );
        assert!(doc["components"]["securitySchemes"]["unitToken"].is_object());
    }
);

both!(
    openapi_json_passes_a_real_validator,
    Fixture::units(),
    |app: TestApp| async move {
        let doc = document(&app).await;
        let file = crate::harness::temp_dir("openapi").join("openapi.json");
        std::fs::write(&file, serde_json::to_vec(&doc).unwrap()).unwrap();
        let python = std::env::var("DANCHU_TEST_PYTHON")
            .map(PathBuf::from)
            .unwrap_or_else(|_| root().join("target/test-venv/bin/python"));
        let out = std::process::Command::new(&python)
            .args([
                "-c",
                "import json, sys\n\
             from openapi_spec_validator import validate, OpenAPIV31SpecValidator\n\
             validate(json.load(open(sys.argv[1])), cls=OpenAPIV31SpecValidator)\n\
             print('valid')",
            ])
            .arg(&file)
            .output()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot run {} ({e}): run scripts/install-test-deps.sh, which installs \
                 openapi-spec-validator in target/test-venv (or set DANCHU_TEST_PYTHON)",
                    python.display()
                )
            });
        assert!(
            out.status.success() && String::from_utf8_lossy(&out.stdout).contains("valid"),
            "openapi-spec-validator refused /api/openapi.json (or is missing: run \
         scripts/install-test-deps.sh):\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
);

both!(
    openapi_json_is_the_committed_docs_openapi_json,
    Fixture::units(),
    |app: TestApp| async move {
        let served = serde_json::to_string_pretty(&document(&app).await).unwrap() + "\n";
        let path = root().join("docs/openapi.json");
        if std::env::var("DANCHU_UPDATE_OPENAPI").is_ok_and(|v| v == "1") {
            std::fs::write(&path, &served).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        if committed != served {
            let line = committed
                .lines()
                .zip(served.lines())
                .position(|(a, b)| a != b)
                .unwrap_or_else(|| committed.lines().count().min(served.lines().count()));
            panic!(
            "docs/openapi.json differs from /api/openapi.json (first at line {}: committed {:?}, served {:?}).\n\
             If the API change is meant, update it with:\n  \
             DANCHU_UPDATE_OPENAPI=1 cargo test -p danchu --test it -- openapi::openapi_json_is_the_committed_docs_openapi_json::sqlite\n\
             and commit docs/openapi.json.",
            line + 1,
            committed.lines().nth(line).unwrap_or(""),
            served.lines().nth(line).unwrap_or("")
        );
        }
    }
);

both!(
    openapi_json_describes_exactly_the_api_routes,
    Fixture::units(),
    |app: TestApp| async move {
        let doc = document(&app).await;
        let documented = operations(&doc);
        assert!(documented.len() >= 22, "{documented:?}");
        assert!(documented.contains(&("GET".into(), "/api/v1/tim-kiem".into())));
        // Probe every documented path with every method, and the addresses around each (its
        // parents, and one segment more), anonymously.
        let mut urls = BTreeSet::new();
        for (_, template) in &documented {
            let url = concrete(template);
            let segments: Vec<&str> = url.split('/').collect();
            for n in 3..=segments.len() {
                urls.insert(segments[..n].join("/"));
            }
            urls.insert(format!("{url}/1"));
            urls.insert(format!("{url}/x"));
        }
        let c = reqwest::Client::new();
        for url in &urls {
            for m in METHODS {
                let method = reqwest::Method::from_bytes(m.to_uppercase().as_bytes()).unwrap();
                let r = c
                    .request(method, app.at(url))
                    .header("content-type", "application/json")
                    .body("{}")
                    .send()
                    .await
                    .unwrap();
                let json = r
                    .headers()
                    .get("content-type")
                    .is_some_and(|v| v.to_str().unwrap_or("").starts_with("application/json"));
                assert!(json, "{m} {url}: every API answer is JSON ({})", r.status());
            }
        }
        // What the router matched, by route template and method (from its own metrics).
        let metrics = app.state.metrics.render((0, 0));
        let mut routed = BTreeSet::new();
        let mut refused_method = BTreeSet::new();
        for line in metrics
            .lines()
            .filter(|l| l.starts_with("danchu_http_requests_total{"))
        {
            let label = |name: &str| {
                line.split(&format!("{name}=\""))
                    .nth(1)
                    .and_then(|s| s.split('"').next())
                    .unwrap_or("")
                    .to_string()
            };
            let (method, route, status) = (label("method"), label("route"), label("status"));
            if !route.starts_with("/api/v1") {
                continue;
            }
            if status == "405" {
                refused_method.insert((method, route));
            } else {
                routed.insert((method, route));
            }
        }
        assert_eq!(
            routed, documented,
            "the routes the router answers (left) and the operations the document lists (right)"
        );
        let paths: BTreeSet<&String> = documented.iter().map(|(_, p)| p).collect();
        for (m, route) in &refused_method {
            assert!(
                paths.contains(route),
                "{m} {route}: a route the document does not list"
            );
            assert!(
                !documented.contains(&(m.clone(), route.clone())),
                "{m} {route}: documented, but 405"
            );
        }
    }
);
