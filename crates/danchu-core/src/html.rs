//! Rich text from the editor (or pasted from Word) is cleaned on the server before it is
//! stored: only a small set of tags and attributes survives; scripts, event handlers,
//! styles, classes and `javascript:` URLs never do.

use std::collections::HashSet;

mod lines;

/// Decodes character references: `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`, the names
/// in `also` (such as `("nbsp", '\u{a0}')`) and numeric ones (`&#7847;`, `&#x1EA7;`); an
/// unknown or unterminated reference stays as it is.
pub fn unescape(s: &str, also: &[(&str, char)]) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let tail = &rest[amp..];
        let Some(semi) = tail.find(';').filter(|n| *n <= 10) else {
            out.push('&');
            rest = &tail[1..];
            continue;
        };
        let entity = &tail[1..semi];
        let c = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32)
                .or_else(|| also.iter().find(|(n, _)| *n == entity).map(|(_, c)| *c)),
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &tail[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Cleans article HTML. Links get `rel="noopener noreferrer"`; only http(s), mailto and
/// tel URLs and relative paths are kept. No line is lost: blocks that are not kept
/// (`<div>` per line from Chromium's editor, `<section>`, `<h1>`, …) become paragraphs,
/// loose text between blocks is put in one, empty lines go, and text without markup (the
/// plain box without JavaScript) keeps its line breaks and paragraphs ([`lines`]).
pub fn sanitize(html: &str) -> String {
    let first = cleaner(lines::LINE_TAGS)
        .clean(&crate::text::nfc(html))
        .to_string();
    // Once more over the restructured HTML: what is stored has passed the cleaner last.
    cleaner(&[]).clean(&lines::keep_lines(&first)).to_string()
}

/// The tags the cleaner keeps (their attributes are limited further by the cleaner).
const KEPT_TAGS: &[&str] = &[
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
];

/// The cleaner, keeping also the (attribute-less) tags `extra`.
fn cleaner(extra: &[&'static str]) -> ammonia::Builder<'static> {
    let tags: HashSet<&str> = KEPT_TAGS.iter().chain(extra).copied().collect();
    let mut b = ammonia::Builder::default();
    b.tags(tags)
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
        );
    b
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
        // (Loose at the top, each is put in a paragraph.)
        assert_eq!(
            sanitize("<img src=\"/tuy-chon?doi=contrast\">"),
            "<p><img></p>"
        );
        assert_eq!(
            sanitize("<img src=\"https://tracker.example/p.gif\">"),
            "<p><img></p>"
        );
        assert_eq!(
            sanitize("<img src=\"/tep/0123456789abcdef0123456789abcdef.jpg\" alt=\"Hội nghị\">"),
            "<p><img src=\"/tep/0123456789abcdef0123456789abcdef.jpg\" alt=\"Hội nghị\"></p>"
        );
    }

    #[test]
    fn word_paste_becomes_clean_html() {
        let word = r#"<p class="MsoNormal" style="margin:0cm"><span style="font-family:'Times New Roman'"><b>Kế hoạch</b> số 22/KH-UBND</span><o:p></o:p></p>"#;
        assert_eq!(sanitize(word), "<p><b>Kế hoạch</b> số 22/KH-UBND</p>");
        assert_eq!(
            sanitize("<a href=\"https://x.gov.vn\">x</a>"),
            "<p><a href=\"https://x.gov.vn\" rel=\"noopener noreferrer\">x</a></p>"
        );
    }

    /// Issue 13, item 2: Chromium writes a `<div>` per line typed in a contenteditable (the
    /// first line loose); each line stays a paragraph.
    #[test]
    fn chromium_lines_become_paragraphs() {
        assert_eq!(
            sanitize("Đoạn một<div>Đoạn hai</div><div>Đoạn ba</div>"),
            "<p>Đoạn một</p><p>Đoạn hai</p><p>Đoạn ba</p>"
        );
        assert_eq!(
            sanitize("<div>Đoạn một</div><div>Đoạn hai</div>"),
            "<p>Đoạn một</p><p>Đoạn hai</p>"
        );
    }

    #[test]
    fn empty_line_divs_are_dropped() {
        assert_eq!(sanitize("<div><br></div>"), "");
        assert_eq!(
            sanitize("<div>Một</div><div><br></div><div>Hai</div>"),
            "<p>Một</p><p>Hai</p>"
        );
        // Empty paragraphs too (Word's `<o:p>&nbsp;</o:p>`, an editor's `<p><br></p>`).
        assert_eq!(
            sanitize("<p>Một</p><p><br></p><p>&nbsp;</p><p>Hai</p>"),
            "<p>Một</p><p>Hai</p>"
        );
    }

    #[test]
    fn nested_divs_are_flattened() {
        assert_eq!(
            sanitize("<div><div>Một</div><div>Hai</div></div>"),
            "<p>Một</p><p>Hai</p>"
        );
        assert_eq!(
            sanitize("<div><div><div><b>Một</b></div></div></div>"),
            "<p><b>Một</b></p>"
        );
    }

    #[test]
    fn a_div_holding_blocks_is_unwrapped() {
        assert_eq!(
            sanitize("<div><p>Một</p><ul><li>a</li></ul>Hai</div>"),
            "<p>Một</p><ul><li>a</li></ul><p>Hai</p>"
        );
        assert_eq!(
            sanitize("<div>Một<div>Hai</div>Ba</div>"),
            "<p>Một</p><p>Hai</p><p>Ba</p>"
        );
    }

    #[test]
    fn loose_inline_text_is_wrapped_in_paragraphs() {
        assert_eq!(
            sanitize("Một <b>hai</b><p>Ba</p><i>bốn</i>"),
            "<p>Một <b>hai</b></p><p>Ba</p><p><i>bốn</i></p>"
        );
        assert_eq!(
            sanitize("<blockquote>Một<div>Hai</div></blockquote>"),
            "<blockquote><p>Một</p><p>Hai</p></blockquote>"
        );
        // Whitespace between blocks is not a paragraph.
        assert_eq!(sanitize("<p>Một</p>\n<p>Hai</p>"), "<p>Một</p>\n<p>Hai</p>");
    }

    /// The form without JavaScript is a plain text box: what is typed there keeps its lines.
    #[test]
    fn plain_text_keeps_its_lines() {
        assert_eq!(
            sanitize("Dòng một\nDòng hai\n\nĐoạn hai\r\n\r\n\r\nĐoạn ba\n"),
            "<p>Dòng một<br>Dòng hai</p><p>Đoạn hai</p><p>Đoạn ba</p>"
        );
    }

    #[test]
    fn formatting_around_lines_is_kept_on_each() {
        assert_eq!(
            sanitize("<b><div>Một</div><div>Hai</div></b>"),
            "<p><b>Một</b></p><p><b>Hai</b></p>"
        );
        // Where only inline content may go, a line becomes a line break.
        assert_eq!(
            sanitize("<h2>Một<div>Hai</div></h2>"),
            "<h2>Một<br>Hai</h2>"
        );
        assert_eq!(
            sanitize("<ul><li><div>a</div><div>b</div></li><li>c</li></ul>"),
            "<ul><li><p>a</p><p>b</p></li><li>c</li></ul>"
        );
        assert_eq!(
            sanitize("<table><tr><td><div>a</div><div>b</div></td></tr></table>"),
            "<table><tbody><tr><td><p>a</p><p>b</p></td></tr></tbody></table>"
        );
    }

    /// Other block tags ammonia would drop (pasted from web pages) are lines too.
    #[test]
    fn other_blocks_become_paragraphs() {
        assert_eq!(
            sanitize(
                "<section>Một</section><article>Hai</article><h1>Ba</h1><address>Bốn</address>"
            ),
            "<p>Một</p><p>Hai</p><p>Ba</p><p>Bốn</p>"
        );
        assert_eq!(
            sanitize("<pre>dòng 1\ndòng 2</pre>"),
            "<p>dòng 1<br>dòng 2</p>"
        );
        assert_eq!(
            sanitize("<dl><dt>Tên</dt><dd>Giá trị</dd></dl>"),
            "<p>Tên</p><p>Giá trị</p>"
        );
    }

    /// What Word puts on the clipboard: a whole document with styles, `MsoNormal`
    /// paragraphs, `<o:p>` and empty paragraphs.
    #[test]
    fn word_document_paste_keeps_its_paragraphs() {
        let word = "<html xmlns:o=\"urn:schemas-microsoft-com:office:office\"><head><meta charset=\"utf-8\"><style>p.MsoNormal{margin:0cm}</style></head><body lang=\"VI\" style=\"tab-interval:36.0pt\"><!--StartFragment--><p class=MsoNormal style='margin:0cm'><b><span style='font-size:14.0pt'>KẾ HOẠCH</span></b><o:p></o:p></p>\r\n<p class=MsoNormal><o:p>&nbsp;</o:p></p>\r\n<p class=MsoNormal style='text-align:justify'><span lang=VI>Thực hiện Quy chế\r\ndân chủ ở cơ sở.</span><o:p></o:p></p>\r\n<div class=WordSection1><p class=MsoNormal>Đoạn ba<o:p></o:p></p></div><!--EndFragment--></body></html>";
        assert_eq!(
            sanitize(word),
            "<p><b>KẾ HOẠCH</b></p>\n\n<p>Thực hiện Quy chế\ndân chủ ở cơ sở.</p>\n<p>Đoạn ba</p>"
        );
    }

    /// Saving a stored body again changes nothing.
    #[test]
    fn cleaning_is_idempotent() {
        for html in [
            "Đoạn một<div>Đoạn hai</div><div>Đoạn ba</div>",
            "<b><div>Một</div><div>Hai</div></b>",
            "Dòng một\nDòng hai\n\nĐoạn hai",
            "<a href=\"https://x.gov.vn\" title=\"a > b\">x</a> &amp; &lt;y&gt;",
            "<h2>Một<div>Hai</div></h2><table><tr><td><div>a</div></td></tr></table>",
            "<img src=\"/tep/0123456789abcdef0123456789abcdef.jpg\" alt=\"a&quot;b\">",
        ] {
            let once = sanitize(html);
            assert_eq!(sanitize(&once), once, "{html}");
        }
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
