//! RSS 2.0 and XML for any capability's feed: escaping, the feed document, the response.

use axum::http::header;
use axum::response::{IntoResponse, Response};

/// Escapes text for XML.
pub fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 does not allow.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            '\u{FFFE}' | '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// One item of an RSS feed.
pub struct FeedItem {
    pub title: String,
    /// Absolute URL.
    pub url: String,
    /// Unix seconds.
    pub published: Option<i64>,
    pub category: String,
    pub description: String,
}

/// An RSS 2.0 document.
pub fn rss_feed(title: &str, link: &str, self_url: &str, items: &[FeedItem]) -> String {
    let mut s = String::with_capacity(4096);
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\">\n<channel>\n");
    s.push_str(&format!(
        "<title>{}</title>\n<link>{}</link>\n",
        xml(title),
        xml(link)
    ));
    s.push_str(&format!(
        "<description>{}</description>\n<language>vi</language>\n",
        xml(title)
    ));
    s.push_str(&format!(
        "<atom:link href=\"{}\" rel=\"self\" type=\"application/rss+xml\"/>\n",
        xml(self_url)
    ));
    if let Some(first) = items.first().and_then(|a| a.published) {
        s.push_str(&format!(
            "<lastBuildDate>{}</lastBuildDate>\n",
            danchu_core::text::format_rfc2822(first)
        ));
    }
    for a in items {
        s.push_str("<item>\n");
        s.push_str(&format!(
            "<title>{}</title>\n<link>{}</link>\n<guid isPermaLink=\"true\">{}</guid>\n",
            xml(&a.title),
            xml(&a.url),
            xml(&a.url)
        ));
        if let Some(p) = a.published {
            s.push_str(&format!(
                "<pubDate>{}</pubDate>\n",
                danchu_core::text::format_rfc2822(p)
            ));
        }
        if !a.category.is_empty() {
            s.push_str(&format!("<category>{}</category>\n", xml(&a.category)));
        }
        s.push_str(&format!(
            "<description>{}</description>\n",
            xml(&a.description)
        ));
        s.push_str("</item>\n");
    }
    s.push_str("</channel>\n</rss>\n");
    s
}

pub fn xml_response(ct: &'static str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, ct),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escaping() {
        assert_eq!(
            xml("a & <b> \"c\" 'd'\u{1}"),
            "a &amp; &lt;b&gt; &quot;c&quot; &apos;d&apos;"
        );
    }
}
