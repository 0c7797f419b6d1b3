//! Request metrics in Prometheus text format: requests by route and status, a latency
//! histogram, and the database pool. Counting is in memory (a short mutex per request).

use std::fmt::Write as _;
use std::sync::Mutex;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;

use crate::AppState;

/// Upper bounds of the latency buckets, in seconds.
pub const BUCKETS: [f64; 12] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0,
];

#[derive(Default)]
struct Inner {
    /// (method, route, status) → count; a short list searched without allocating.
    requests: Vec<((String, String, u16), u64)>,
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
    /// Database statements and transactions of requests.
    queries: u64,
    transactions: u64,
}

#[derive(Default)]
pub struct Metrics {
    inner: Mutex<Inner>,
}

impl Metrics {
    pub fn record(&self, method: &str, route: &str, status: u16, seconds: f64) {
        self.record_with(method, route, status, seconds, Default::default());
    }

    /// Records a request with what it asked of the database.
    pub fn record_with(
        &self,
        method: &str,
        route: &str,
        status: u16,
        seconds: f64,
        db: danchu_db::UsageCounts,
    ) {
        if let Ok(mut m) = self.inner.lock() {
            m.queries += db.queries as u64;
            m.transactions += db.transactions as u64;
            match m
                .requests
                .iter_mut()
                .find(|((me, r, s), _)| *s == status && me == method && r == route)
            {
                Some((_, n)) => *n += 1,
                None => m
                    .requests
                    .push(((method.to_string(), route.to_string(), status), 1)),
            }
            for (i, b) in BUCKETS.iter().enumerate() {
                if seconds <= *b {
                    m.buckets[i] += 1;
                }
            }
            m.count += 1;
            m.sum += seconds;
        }
    }

    pub fn render(&self, pool: (u32, usize)) -> String {
        let mut out = String::new();
        let Ok(m) = self.inner.lock() else { return out };
        out.push_str("# HELP danchu_http_requests_total HTTP requests by method, route and status.\n# TYPE danchu_http_requests_total counter\n");
        let mut rows: Vec<_> = m.requests.iter().collect();
        rows.sort();
        for ((method, route, status), n) in rows {
            let _ = writeln!(out, "danchu_http_requests_total{{method=\"{method}\",route=\"{}\",status=\"{status}\"}} {n}", route.replace('"', "'"));
        }
        out.push_str("# HELP danchu_http_request_duration_seconds Request latency.\n# TYPE danchu_http_request_duration_seconds histogram\n");
        for (i, b) in BUCKETS.iter().enumerate() {
            let _ = writeln!(
                out,
                "danchu_http_request_duration_seconds_bucket{{le=\"{b}\"}} {}",
                m.buckets[i]
            );
        }
        let _ = writeln!(
            out,
            "danchu_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {}",
            m.count
        );
        let _ = writeln!(out, "danchu_http_request_duration_seconds_sum {}", m.sum);
        let _ = writeln!(
            out,
            "danchu_http_request_duration_seconds_count {}",
            m.count
        );
        out.push_str("# HELP danchu_db_queries_total Database statements sent by requests.\n# TYPE danchu_db_queries_total counter\n");
        let _ = writeln!(out, "danchu_db_queries_total {}", m.queries);
        out.push_str("# HELP danchu_db_transactions_total Database transactions begun by requests.\n# TYPE danchu_db_transactions_total counter\n");
        let _ = writeln!(out, "danchu_db_transactions_total {}", m.transactions);
        out.push_str("# HELP danchu_db_pool_connections Database connections open.\n# TYPE danchu_db_pool_connections gauge\n");
        let _ = writeln!(out, "danchu_db_pool_connections {}", pool.0);
        out.push_str("# HELP danchu_db_pool_idle Database connections idle.\n# TYPE danchu_db_pool_idle gauge\n");
        let _ = writeln!(out, "danchu_db_pool_idle {}", pool.1);
        out
    }
}

pub async fn layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let start = Instant::now();
    // Known methods only, so arbitrary method names cannot grow the label set.
    let method: &'static str = match req.method().as_str() {
        "GET" => "GET",
        "HEAD" => "HEAD",
        "POST" => "POST",
        "PUT" => "PUT",
        "PATCH" => "PATCH",
        "DELETE" => "DELETE",
        "OPTIONS" => "OPTIONS",
        _ => "OTHER",
    };
    // The route pattern, not the raw path, so labels stay few.
    let matched = req.extensions().get::<MatchedPath>().cloned();
    let path = state
        .config
        .usage_log
        .is_some()
        .then(|| req.uri().path().to_string());
    // Everything the request asks of the database is counted, its session lookup included.
    let usage = std::sync::Arc::new(danchu_db::Usage::default());
    let resp = danchu_db::measured(usage.clone(), next.run(req)).await;
    let route = matched.as_ref().map(|r| r.as_str()).unwrap_or("unmatched");
    let db = usage.counts();
    state.metrics.record_with(
        method,
        route,
        resp.status().as_u16(),
        start.elapsed().as_secs_f64(),
        db,
    );
    if let (Some(log), Some(path)) = (&state.config.usage_log, path) {
        if let Ok(mut l) = log.lock() {
            l.push(crate::RequestUsage {
                method,
                path,
                status: resp.status().as_u16(),
                db,
            });
        }
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counts_and_histogram() {
        let m = Metrics::default();
        m.record("GET", "/", 200, 0.002);
        m.record("GET", "/", 200, 0.2);
        let t = m.render((3, 1));
        assert!(
            t.contains("danchu_http_requests_total{method=\"GET\",route=\"/\",status=\"200\"} 2")
        );
        assert!(t.contains("danchu_http_request_duration_seconds_bucket{le=\"0.0025\"} 1"));
        assert!(t.contains("danchu_http_request_duration_seconds_count 2"));
        assert!(t.contains("danchu_db_pool_connections 3"));
    }
}
