//! Cutting one region out of a page.

/// The part of `html` after the first `start` up to the next `end` (neither included):
/// for checking one region of a page (a results list, a table body) rather than the whole
/// page with its menus. Panics when either marker is missing.
pub fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html
        .find(start)
        .unwrap_or_else(|| panic!("page has {start:?}"))
        + start.len();
    let len = html[from..]
        .find(end)
        .unwrap_or_else(|| panic!("page has {end:?} after {start:?}"));
    &html[from..from + len]
}

/// The table row (`<tr…>…</tr>`) that holds `needle`. Panics when no row holds it.
pub fn row_with<'a>(html: &'a str, needle: &str) -> &'a str {
    let at = html
        .find(needle)
        .unwrap_or_else(|| panic!("page has {needle:?}"));
    let start = html[..at]
        .rfind("<tr")
        .unwrap_or_else(|| panic!("{needle:?} is in a table row"));
    let end = at
        + html[at..]
            .find("</tr>")
            .unwrap_or_else(|| panic!("the row of {needle:?} ends"));
    &html[start..end]
}

pub fn csrf_in(html: &str) -> String {
    let marker = "name=\"_csrf\" value=\"";
    let start = html.find(marker).expect("page has a CSRF field") + marker.len();
    html[start..]
        .split('"')
        .next()
        .unwrap_or_default()
        .to_string()
}
