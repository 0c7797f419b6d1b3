//! The text of uploaded documents, for search: PDF (through `pdf-extract`, which reads
//! ToUnicode maps, so Vietnamese text set in embedded fonts comes out right), DOCX
//! (`word/document.xml`) and XLSX (shared strings and inline strings). Files are hostile
//! until proven otherwise: ZIP entries are read with a size cap (no zip bombs), the PDF
//! parser runs under `catch_unwind` (it panics on some broken files), and the text kept
//! is capped.

use std::io::Read as _;

use danchu_core::files::FileType;

/// The most text kept per file (characters).
pub const MAX_TEXT: usize = 200_000;
/// The most bytes read out of one ZIP entry.
const MAX_ENTRY: u64 = 32 * 1024 * 1024;

/// Why a file cannot be accepted.
#[derive(Debug, PartialEq, Eq)]
pub struct Broken;

/// The searchable text of a file: `Ok("")` when it has none (a scanned PDF, an image),
/// `Err(Broken)` when the file is not a readable document of the type it claims.
pub fn text_of(kind: FileType, bytes: &[u8]) -> Result<String, Broken> {
    let text = match kind.ext {
        "pdf" => pdf(bytes)?,
        "docx" => docx(bytes)?,
        "xlsx" => xlsx(bytes)?,
        _ => String::new(),
    };
    Ok(tidy(&text))
}

/// NFC, control characters out, whitespace collapsed, capped.
fn tidy(text: &str) -> String {
    let mut out = String::new();
    let mut space = false;
    for c in danchu_core::text::nfc(text).chars() {
        if c.is_whitespace() || c.is_control() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.push(c);
    }
    out.chars().take(MAX_TEXT).collect()
}

fn pdf(bytes: &[u8]) -> Result<String, Broken> {
    let owned = bytes.to_vec();
    // The parser may panic on malformed input: that is a broken file, not a crash.
    let result = std::panic::catch_unwind(move || pdf_extract::extract_text_from_mem(&owned));
    match result {
        Ok(Ok(text)) => Ok(text),
        Ok(Err(_)) | Err(_) => Err(Broken),
    }
}

fn zip_entry(bytes: &[u8], name: &str) -> Result<Option<String>, Broken> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|_| Broken)?;
    let entry = match archive.by_name(name) {
        Ok(e) => e,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(_) => return Err(Broken),
    };
    let mut out = Vec::new();
    entry
        .take(MAX_ENTRY)
        .read_to_end(&mut out)
        .map_err(|_| Broken)?;
    String::from_utf8(out).map(Some).map_err(|_| Broken)
}

/// The text runs of Office XML: the content of `<w:t>`/`<t>` elements, with a line
/// break after each paragraph (`</w:p>`) or shared string (`</si>`).
fn xml_text(xml: &str, text_tags: &[&str], breaks: &[&str]) -> String {
    let mut out = String::new();
    let mut rest = xml;
    let mut inside = false;
    while let Some(lt) = rest.find('<') {
        if inside {
            out.push_str(&unescape(&rest[..lt]));
        }
        let Some(gt) = rest[lt..].find('>') else {
            break;
        };
        let tag = &rest[lt + 1..lt + gt];
        let name = tag
            .trim_start_matches('/')
            .split([' ', '/'])
            .next()
            .unwrap_or("");
        if text_tags.contains(&name) {
            inside = !tag.starts_with('/') && !tag.ends_with('/');
        }
        if tag.starts_with('/') && breaks.contains(&name) {
            out.push('\n');
        }
        if name == "w:tab" {
            out.push(' ');
        }
        rest = &rest[lt + gt + 1..];
    }
    out
}

fn unescape(s: &str) -> String {
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
                .and_then(char::from_u32),
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

fn docx(bytes: &[u8]) -> Result<String, Broken> {
    let xml = zip_entry(bytes, "word/document.xml")?.ok_or(Broken)?;
    Ok(xml_text(&xml, &["w:t"], &["w:p"]))
}

fn xlsx(bytes: &[u8]) -> Result<String, Broken> {
    // A workbook needs its workbook part; the words are in the shared strings (and in
    // inline strings of the sheets, read from the first sheet).
    zip_entry(bytes, "xl/workbook.xml")?.ok_or(Broken)?;
    let mut text = zip_entry(bytes, "xl/sharedStrings.xml")?
        .map(|x| xml_text(&x, &["t"], &["si"]))
        .unwrap_or_default();
    if let Some(sheet) = zip_entry(bytes, "xl/worksheets/sheet1.xml")? {
        text.push('\n');
        text.push_str(&xml_text(&sheet, &["t"], &["is"]));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn office_xml_text_keeps_words_and_paragraphs() {
        let xml = r#"<w:document><w:body><w:p><w:r><w:t>Kế hoạch số </w:t></w:r><w:r><w:t xml:space="preserve">22/KH-UBND</w:t></w:r></w:p><w:p><w:r><w:t>Dầu Tiếng &amp; Minh Hòa</w:t></w:r></w:p></w:body></w:document>"#;
        assert_eq!(
            xml_text(xml, &["w:t"], &["w:p"]),
            "Kế hoạch số 22/KH-UBND\nDầu Tiếng & Minh Hòa\n"
        );
        assert_eq!(
            unescape("a &#7847; &#x1EA7; &bogus; & b"),
            "a ầ ầ &bogus; & b"
        );
    }

    #[test]
    fn tidy_is_nfc_collapsed_and_capped() {
        let nfd = "Da\u{0302}\u{0300}u\u{0}  Tie\u{0302}\u{0301}ng\n\n";
        assert_eq!(tidy(nfd), "Dầu Tiếng");
        assert_eq!(tidy(&"a ".repeat(MAX_TEXT)).chars().count(), MAX_TEXT);
    }

    #[test]
    fn broken_files_are_refused() {
        let pdf = danchu_core::files::sniff(b"%PDF-1.4\n%%EOF").unwrap();
        assert_eq!(text_of(pdf, b"%PDF-1.4\n%%EOF"), Err(Broken));
        let fake_docx = b"PK\x03\x04 [Content_Types].xml word/ not really a zip";
        let kind = danchu_core::files::sniff(fake_docx).unwrap();
        assert_eq!(text_of(kind, fake_docx), Err(Broken));
    }
}
