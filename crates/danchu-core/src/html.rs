//! Rich text from the editor (or pasted from Word) is cleaned on the server before it is
//! stored: only a small set of tags and attributes survives; scripts, event handlers,
//! styles, classes and `javascript:` URLs never do.

use std::collections::HashSet;

/// Cleans article HTML. Links get `rel="noopener noreferrer"`; only http(s), mailto and
/// tel URLs and relative paths are kept.
pub fn sanitize(html: &str) -> String {
    let tags: HashSet<&str> = [
        "p",
        "br",
        "strong",
        "b",
        "em",
        "i",
        "u",
        "s",
        "sub",
        "sup",
        "h2",
        "h3",
        "h4",
        "ul",
        "ol",
        "li",
        "blockquote",
        "a",
        "img",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "caption",
        "figure",
        "figcaption",
        "hr",
    ]
    .into_iter()
    .collect();
    ammonia::Builder::default()
        .tags(tags)
        .clean_content_tags(
            ["script", "style", "xml", "title", "head"]
                .into_iter()
                .collect(),
        )
        .url_schemes(["http", "https", "mailto", "tel"].into_iter().collect())
        .link_rel(Some("noopener noreferrer"))
        .generic_attributes(HashSet::new())
        // Images only from our own uploads (no URL that could make a reader's browser act).
        .attribute_filter(|element, attribute, value| {
            if element == "img" && attribute == "src" && !value.starts_with("/tep/") {
                None
            } else {
                Some(value.into())
            }
        })
        .tag_attributes(
            [
                ("a", ["href", "title"].into_iter().collect()),
                (
                    "img",
                    ["src", "alt", "width", "height"].into_iter().collect(),
                ),
                ("th", ["colspan", "rowspan", "scope"].into_iter().collect()),
                ("td", ["colspan", "rowspan"].into_iter().collect()),
            ]
            .into_iter()
            .collect(),
        )
        .clean(&crate::text::nfc(html))
        .to_string()
}

/// Plain text of some HTML (for summaries, feeds and search keys).
pub fn to_text(html: &str) -> String {
    // A space before every tag keeps words of adjacent blocks apart.
    let cleaned = ammonia::Builder::empty()
        .clean(&html.replace('<', " <"))
        .to_string();
    let mut out = String::with_capacity(cleaned.len());
    let mut last_space = true;
    for c in decode_entities(&cleaned).chars() {
        if c.is_whitespace() {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
        } else {
            out.push(c);
            last_space = false;
        }
    }
    out.trim().to_string()
}

fn decode_entities(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

/// Whether a URL typed into a link or banner form is safe to put in an `href`.
pub fn safe_url(url: &str) -> bool {
    let u = url.trim();
    let lower = u.to_ascii_lowercase();
    !u.is_empty()
        && u.len() <= 2000
        && !u
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || matches!(c, '"' | '<' | '>' | '\\'))
        && (lower.starts_with("https://")
            || lower.starts_with("http://")
            || (u.starts_with('/') && !u.starts_with("//")))
}

#[cfg(test)]
mod tests {
    use super::*;

    pub const XSS: &[&str] = &[
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<a href=\" JaVaScRiPt:alert(1)\">x</a>",
        "<svg onload=alert(1)>",
        "<iframe src=\"https://evil.example\"></iframe>",
        "<p style=\"background:url(javascript:alert(1))\">x</p>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>",
        "<object data=\"x.swf\"></object>",
        "<form action=\"https://evil.example\"><input name=x></form>",
        "<div onclick=\"alert(1)\">x</div>",
    ];

    #[test]
    fn xss_payloads_do_not_survive() {
        for p in XSS {
            let out = sanitize(p).to_ascii_lowercase();
            for bad in [
                "<script",
                "onerror",
                "onload",
                "onclick",
                "javascript:",
                "<iframe",
                "<svg",
                "style=",
                "data:",
                "<object",
                "<form",
                "<input",
            ] {
                assert!(!out.contains(bad), "{p} -> {out}");
            }
        }
    }

    #[test]
    fn images_only_from_our_uploads() {
        assert_eq!(sanitize("<img src=\"/tuy-chon?doi=contrast\">"), "<img>");
        assert_eq!(
            sanitize("<img src=\"https://tracker.example/p.gif\">"),
            "<img>"
        );
        assert_eq!(
            sanitize("<img src=\"/tep/0123456789abcdef0123456789abcdef.jpg\" alt=\"Hội nghị\">"),
            "<img src=\"/tep/0123456789abcdef0123456789abcdef.jpg\" alt=\"Hội nghị\">"
        );
    }

    #[test]
    fn word_paste_becomes_clean_html() {
        let word = r#"<p class="MsoNormal" style="margin:0cm"><span style="font-family:'Times New Roman'"><b>Kế hoạch</b> số 22/KH-UBND</span><o:p></o:p></p>"#;
        assert_eq!(sanitize(word), "<p><b>Kế hoạch</b> số 22/KH-UBND</p>");
        assert_eq!(
            sanitize("<a href=\"https://x.gov.vn\">x</a>"),
            "<a href=\"https://x.gov.vn\" rel=\"noopener noreferrer\">x</a>"
        );
    }

    #[test]
    fn text_and_urls() {
        assert_eq!(
            to_text("<p>Xin  <b>chào</b></p><p>Dầu &amp; Tiếng</p>"),
            "Xin chào Dầu & Tiếng"
        );
        assert!(safe_url("https://binhduong.gov.vn"));
        assert!(safe_url("/bai-viet/x"));
        assert!(!safe_url("javascript:alert(1)"));
        assert!(!safe_url("//evil.example"));
        assert!(!safe_url("/\\evil.example"));
        assert!(!safe_url("https://x\" onmouseover=\"y"));
    }
}
