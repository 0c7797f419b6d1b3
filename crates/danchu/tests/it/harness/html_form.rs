//! Reading the forms of a page as a browser would submit them (no JavaScript): every
//! named field with its current value, the checked boxes, the selected options, the text
//! areas, and the first named submit button (what pressing Enter sends).

#[derive(Debug, Clone, Default)]
pub struct HtmlForm {
    pub action: String,
    pub method: String,
    pub multipart: bool,
    /// The fields sent whichever button is pressed.
    pub fields: Vec<(String, String)>,
    /// The named submit buttons, in order: (name, value).
    pub buttons: Vec<(String, String)>,
}

impl HtmlForm {
    /// The fields sent when the button with `value` is pressed (the first button — what
    /// pressing Enter sends — when no button has that value).
    pub fn pressing(&self, value: &str) -> Vec<(String, String)> {
        let mut out = self.fields.clone();
        if let Some(b) = self
            .buttons
            .iter()
            .find(|(_, v)| v == value)
            .or(self.buttons.first())
        {
            out.push(b.clone());
        }
        out
    }
}

/// Decodes the character references our templates write (`&nbsp;` too).
pub fn unescape(s: &str) -> String {
    danchu_core::html::unescape(s, &[("nbsp", '\u{a0}')])
}

/// A start tag: its name and attributes (names lowercased, values unescaped).
fn tag(src: &str) -> (String, Vec<(String, String)>) {
    let mut chars = src.char_indices().peekable();
    let mut name = String::new();
    while let Some((_, c)) = chars.peek().copied() {
        if c.is_whitespace() || c == '/' {
            break;
        }
        name.push(c.to_ascii_lowercase());
        chars.next();
    }
    let mut attrs = Vec::new();
    let rest: &str = &src[name.len()..];
    let b = rest.as_bytes();
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && (b[i] as char).is_whitespace() || i < b.len() && b[i] == b'/' {
            i += 1;
        }
        let start = i;
        while i < b.len() && !(b[i] as char).is_whitespace() && b[i] != b'=' && b[i] != b'/' {
            i += 1;
        }
        if start == i {
            break;
        }
        let key = rest[start..i].to_ascii_lowercase();
        let mut value = String::new();
        if i < b.len() && b[i] == b'=' {
            i += 1;
            if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                let q = b[i];
                let s = i + 1;
                i = s;
                while i < b.len() && b[i] != q {
                    i += 1;
                }
                value = unescape(&rest[s..i.min(b.len())]);
                i += 1;
            } else {
                let s = i;
                while i < b.len() && !(b[i] as char).is_whitespace() {
                    i += 1;
                }
                value = unescape(&rest[s..i]);
            }
        }
        attrs.push((key, value));
    }
    (name, attrs)
}

fn attr<'a>(attrs: &'a [(String, String)], k: &str) -> Option<&'a str> {
    attrs.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str())
}

/// Every form of a page.
pub fn forms(html: &str) -> Vec<HtmlForm> {
    let mut out = Vec::new();
    let mut current: Option<HtmlForm> = None;
    let mut select: Option<(String, Option<String>, Option<String>)> = None; // name, first, selected
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        let after = &rest[lt + 1..];
        let Some(gt) = after.find('>') else { break };
        let inner = &after[..gt];
        rest = &after[gt + 1..];
        if let Some(close) = inner.strip_prefix('/') {
            match close.trim().to_ascii_lowercase().as_str() {
                "form" => {
                    if let Some(f) = current.take() {
                        out.push(f);
                    }
                }
                "select" => {
                    if let (Some(f), Some((name, first, chosen))) =
                        (current.as_mut(), select.take())
                    {
                        if let Some(v) = chosen.or(first) {
                            f.fields.push((name, v));
                        }
                    }
                }
                _ => {}
            }
            continue;
        }
        if inner.starts_with('!') {
            continue;
        }
        let (name, attrs) = tag(inner);
        match name.as_str() {
            "form" => {
                current = Some(HtmlForm {
                    action: attr(&attrs, "action").unwrap_or("").to_string(),
                    method: attr(&attrs, "method").unwrap_or("get").to_ascii_lowercase(),
                    multipart: attr(&attrs, "enctype") == Some("multipart/form-data"),
                    ..Default::default()
                });
            }
            "input" => {
                let Some(f) = current.as_mut() else { continue };
                let Some(n) = attr(&attrs, "name") else {
                    continue;
                };
                if attr(&attrs, "disabled").is_some() {
                    continue;
                }
                let kind = attr(&attrs, "type").unwrap_or("text").to_ascii_lowercase();
                let value = attr(&attrs, "value").unwrap_or("").to_string();
                match kind.as_str() {
                    "checkbox" | "radio" => {
                        if attr(&attrs, "checked").is_some() {
                            let v = if attr(&attrs, "value").is_some() {
                                value
                            } else {
                                "on".into()
                            };
                            f.fields.push((n.to_string(), v));
                        }
                    }
                    "file" | "reset" | "button" | "image" => {}
                    "submit" => f.buttons.push((n.to_string(), value)),
                    _ => f.fields.push((n.to_string(), value)),
                }
            }
            "button" => {
                let Some(f) = current.as_mut() else { continue };
                let kind = attr(&attrs, "type").unwrap_or("submit");
                if let (true, Some(n)) = (kind == "submit", attr(&attrs, "name")) {
                    f.buttons.push((
                        n.to_string(),
                        attr(&attrs, "value").unwrap_or("").to_string(),
                    ));
                }
            }
            "select" if current.is_some() && attr(&attrs, "disabled").is_none() => {
                if let Some(n) = attr(&attrs, "name") {
                    select = Some((n.to_string(), None, None));
                }
            }
            "option" => {
                if let Some((_, first, chosen)) = select.as_mut() {
                    // The value, or the option's text when it has none.
                    let text_end = rest.find('<').unwrap_or(rest.len());
                    let v = attr(&attrs, "value")
                        .map(str::to_string)
                        .unwrap_or_else(|| unescape(rest[..text_end].trim()));
                    if first.is_none() {
                        *first = Some(v.clone());
                    }
                    if attr(&attrs, "selected").is_some() && chosen.is_none() {
                        *chosen = Some(v);
                    }
                }
            }
            "textarea" => {
                let Some(f) = current.as_mut() else { continue };
                let Some(n) = attr(&attrs, "name") else {
                    continue;
                };
                let end = rest.find("</textarea>").unwrap_or(rest.len());
                // A leading newline right after the tag is not part of the value.
                let raw = rest[..end].strip_prefix('\n').unwrap_or(&rest[..end]);
                f.fields.push((n.to_string(), unescape(raw)));
                rest = &rest[end..];
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_as_a_browser_sends_them() {
        let html = r#"<form method="post" action="/x?_csrf=t">
          <input name="a" value="1 &amp; 2"><input type="checkbox" name="b" value="y" checked>
          <input type="checkbox" name="c" value="n"><select name="s"><option value="1">A</option><option value="2" selected>B</option></select>
          <textarea name="t">
Dòng &lt;1&gt;</textarea><button type="submit" name="_step" value="nhap">Lưu</button><button name="_step" value="nop">Nộp</button></form>"#;
        let f = &forms(html)[0];
        assert_eq!(f.action, "/x?_csrf=t");
        assert_eq!(
            f.pressing(""),
            [
                ("a", "1 & 2"),
                ("b", "y"),
                ("s", "2"),
                ("t", "Dòng <1>"),
                ("_step", "nhap")
            ]
            .map(|(a, b)| (a.to_string(), b.to_string()))
        );
        assert_eq!(f.pressing("nop").last().unwrap().1, "nop");
    }
}
