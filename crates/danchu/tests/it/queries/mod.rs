//! No query per row (issue 13): every list page and list API sends as many statements
//! with many more rows as with the demo's. A page that read one more row per row
//! (an N+1) would send dozens more. Each page also proves that its rows did grow between
//! the two measurements (a page showing the same rows twice would hide a query per row):
//! its rows are counted in the HTML by a marker read from its template, or in the JSON
//! by the length of its arrays.

mod grow;
mod list_pages;

use crate::harness::TestApp;

/// How many more of each thing [`grow`] adds at least, above the statements' slack
/// ([`SLACK`]): a statement per row would show.
pub(super) const MORE: usize = 5;
/// Statements a page may send more once it has more rows (a branch taken only once there
/// are rows); a query per row would add at least [`MORE`].
pub(super) const SLACK: u32 = 2;

/// The demo rows the pages are measured on.
pub(super) struct Grown {
    pub(super) an_lap: i64,
    pub(super) plan: i64,
    pub(super) task: i64,
    pub(super) round: i64,
    pub(super) disclosure: i64,
}

/// How a page's rows are counted.
pub(super) enum Rows {
    /// Occurrences of each marker in the HTML, one marker per list on the page (each
    /// chosen from the page's template); every list must gain more than [`SLACK`] rows.
    Html(Vec<String>),
    /// The lengths of the arrays at these paths of the JSON (`*` steps into every
    /// element of an array); every one must gain more than [`SLACK`] rows.
    Json(Vec<&'static str>),
    /// Rows that cannot grow (why, marker): counted to show they are there and the same.
    Fixed(&'static str, &'static str),
}

pub(super) fn html(markers: &[&str]) -> Rows {
    Rows::Html(markers.iter().map(|m| m.to_string()).collect())
}

/// The number of elements of the arrays at `path` (`a/*/b`) under `v`.
fn json_len(v: &serde_json::Value, path: &[&str]) -> usize {
    match path.split_first() {
        None => v.as_array().map_or(0, Vec::len),
        Some((&"*", rest)) => v
            .as_array()
            .map_or(0, |a| a.iter().map(|x| json_len(x, rest)).sum()),
        Some((key, rest)) => v.get(key).map_or(0, |x| json_len(x, rest)),
    }
}

/// The statements a GET of a page sends (asserting 200), and its rows, per list. The rows
/// are read from a second GET: the same page (an anonymous visitor's from the page cache
/// the first one filled, anyone else's rendered again from the same data).
pub(super) async fn measure(
    app: &TestApp,
    c: &reqwest::Client,
    path: &str,
    rows: &Rows,
) -> (u32, Vec<usize>) {
    let queries = app.queries_of(c, path).await;
    let body = app.page(c, path).await;
    let counts = match rows {
        Rows::Html(markers) => markers
            .iter()
            .map(|m| body.matches(m.as_str()).count())
            .collect(),
        Rows::Fixed(_, marker) => vec![body.matches(marker).count()],
        Rows::Json(paths) => {
            let v: serde_json::Value =
                serde_json::from_str(&body).unwrap_or_else(|e| panic!("{path}: {e}"));
            paths
                .iter()
                .map(|p| {
                    let steps: Vec<&str> = p.trim_start_matches('/').split('/').collect();
                    json_len(&v, &steps)
                })
                .collect()
        }
    };
    (queries, counts)
}
