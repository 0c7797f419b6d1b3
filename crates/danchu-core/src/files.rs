//! Uploaded files are judged by their content, never by their name or the browser's word:
//! only the image and document types below are accepted, and the stored name is ours.

/// What an upload is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileType {
    pub mime: &'static str,
    pub ext: &'static str,
    pub image: bool,
}

impl FileType {
    const fn image(mime: &'static str, ext: &'static str) -> FileType {
        FileType {
            mime,
            ext,
            image: true,
        }
    }

    const fn document(mime: &'static str, ext: &'static str) -> FileType {
        FileType {
            mime,
            ext,
            image: false,
        }
    }
}

const JPEG: FileType = FileType::image("image/jpeg", "jpg");
const PNG: FileType = FileType::image("image/png", "png");
const GIF: FileType = FileType::image("image/gif", "gif");
const WEBP: FileType = FileType::image("image/webp", "webp");
const PDF: FileType = FileType::document("application/pdf", "pdf");
const DOCX: FileType = FileType::document(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "docx",
);
const XLSX: FileType = FileType::document(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xlsx",
);

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// Recognises a file from its first bytes (and, for Office files, the ZIP entries).
pub fn sniff(bytes: &[u8]) -> Option<FileType> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(JPEG)
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some(PNG)
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some(GIF)
    } else if bytes.len() > 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
        Some(WEBP)
    } else if bytes.starts_with(b"%PDF-") {
        Some(PDF)
    } else if bytes.starts_with(b"PK\x03\x04") && contains(bytes, b"[Content_Types].xml") {
        if contains(bytes, b"word/") {
            Some(DOCX)
        } else if contains(bytes, b"xl/") {
            Some(XLSX)
        } else {
            None
        }
    } else {
        None
    }
}

/// A file name fit to show: the last path part only, no control, bidi-override or reserved
/// characters, NFC, at most 120 characters, with the extension of what the file really is.
pub fn display_name(original: &str, t: FileType) -> String {
    let base = original.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = crate::text::clean_line(base)
        .chars()
        .filter(|c| !matches!(c, '<' | '>' | ':' | '"' | '|' | '?' | '*'))
        .collect();
    let stem = match cleaned.rsplit_once('.') {
        Some((s, _)) => s.to_string(),
        None => cleaned,
    };
    let stem = stem.trim().trim_start_matches('.').trim();
    let stem: String = stem.chars().take(120).collect();
    let stem = if stem.is_empty() {
        "tep".to_string()
    } else {
        stem
    };
    format!("{stem}.{}", t.ext)
}

/// A stored name is ours: hex and a known extension, nothing a path could be built from.
pub fn valid_stored_name(name: &str) -> bool {
    let Some((stem, ext)) = name.split_once('.') else {
        return false;
    };
    stem.len() == 32
        && stem.chars().all(|c| c.is_ascii_hexdigit())
        && matches!(
            ext,
            "jpg" | "png" | "gif" | "webp" | "pdf" | "docx" | "xlsx"
        )
        || (name.starts_with("thumb-") && valid_stored_name(&name[6..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_come_from_content() {
        assert_eq!(sniff(b"\xFF\xD8\xFF\xE0rest").map(|t| t.ext), Some("jpg"));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\nrest").map(|t| t.ext), Some("png"));
        assert_eq!(sniff(b"%PDF-1.7").map(|t| t.ext), Some("pdf"));
        assert_eq!(
            sniff(b"PK\x03\x04....[Content_Types].xml....word/document.xml").map(|t| t.ext),
            Some("docx")
        );
        assert_eq!(
            sniff(b"PK\x03\x04....[Content_Types].xml....xl/workbook.xml").map(|t| t.ext),
            Some("xlsx")
        );
        // A PHP or HTML file named .jpg is not an image.
        assert_eq!(sniff(b"<?php system($_GET['c']); ?>"), None);
        assert_eq!(sniff(b"<html><script>alert(1)</script>"), None);
        assert_eq!(sniff(b"PK\x03\x04 plain zip"), None);
        assert_eq!(sniff(b""), None);
    }

    #[test]
    fn names_are_neutralised() {
        let jpg = sniff(b"\xFF\xD8\xFF").unwrap();
        assert_eq!(display_name("../../etc/passwd", jpg), "passwd.jpg");
        assert_eq!(
            display_name("C:\\Users\\a\\Ảnh hội nghị.php.jpg", jpg),
            "Ảnh hội nghị.php.jpg"
        );
        assert_eq!(display_name("shell.php", jpg), "shell.jpg");
        assert_eq!(display_name("<script>.png", jpg), "script.jpg");
        assert_eq!(display_name("..", jpg), "tep.jpg");
        assert_eq!(display_name("", jpg), "tep.jpg");
        assert!(valid_stored_name("0123456789abcdef0123456789abcdef.jpg"));
        assert!(valid_stored_name(
            "thumb-0123456789abcdef0123456789abcdef.jpg"
        ));
        assert!(!valid_stored_name(
            "../0123456789abcdef0123456789abcdef.jpg"
        ));
        assert!(!valid_stored_name("0123456789abcdef0123456789abcdef.php"));
        assert!(!valid_stored_name("x.jpg"));
    }
}
