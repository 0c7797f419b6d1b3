//! The reader's display choices (high contrast, larger text), kept in a cookie so they
//! apply on every page, and switched with plain links (no JavaScript needed).

use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::form::Query;

use crate::layout::PREFS_COOKIE as COOKIE;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Toggle {
    doi: String,
    back: String,
}

/// Flips one choice and goes back to the page the reader was on.
pub async fn toggle(headers: HeaderMap, Query(t): Query<Toggle>) -> Response {
    let current = crate::csrf::cookie_value(&headers, COOKIE).unwrap_or_default();
    let mut on: Vec<&str> = current
        .split('.')
        .filter(|p| matches!(*p, "contrast" | "large"))
        .collect();
    if matches!(t.doi.as_str(), "contrast" | "large") {
        if let Some(i) = on.iter().position(|p| *p == t.doi) {
            on.remove(i);
        } else {
            on.push(if t.doi == "contrast" {
                "contrast"
            } else {
                "large"
            });
        }
    }
    on.sort_unstable();
    on.dedup();
    let back = if t.back.starts_with('/')
        && !t.back.starts_with("//")
        && !t.back.chars().any(|c| c.is_control() || c == '\\')
    {
        // Non-ASCII paths go back percent-encoded (a header must be ASCII).
        t.back
            .bytes()
            .map(|b| {
                if b.is_ascii_graphic() {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect()
    } else {
        "/".to_string()
    };
    let mut resp = Redirect::to(&back).into_response();
    let value = if on.is_empty() {
        format!("{COOKIE}=; Path=/; Max-Age=0; SameSite=Lax")
    } else {
        format!(
            "{COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
            on.join(".")
        )
    };
    if let Ok(v) = HeaderValue::from_str(&value) {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
    resp
}
