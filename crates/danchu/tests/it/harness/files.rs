//! Real files for uploads: PDFs (one with a Flate bomb inside), DOCX, a PNG.

/// A 1×1 PNG, base64.
pub const PNG_1X1: &str = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

/// A real one-page PDF whose page shows `text` (ASCII, Helvetica), with `pad` bytes of
/// comment after the header (to make big files that are still valid).
pub fn pdf_with_text(text: &str, pad: usize) -> Vec<u8> {
    let content = format!(
        "BT /F1 12 Tf 72 720 Td ({}) Tj ET",
        text.replace('\\', "\\\\")
            .replace('(', "\\(")
            .replace(')', "\\)")
    );
    let objects = [
        PDF_CATALOG.to_vec(),
        PDF_PAGES.to_vec(),
        PDF_PAGE.to_vec(),
        format!(
            "<< /Length {} >>\nstream\n{content}\nendstream",
            content.len()
        )
        .into_bytes(),
        PDF_FONT.to_vec(),
    ];
    pdf_file(&objects, pad)
}

/// A real PDF whose one content stream is a Flate bomb: ~64 KiB on disk, 32 MiB of
/// drawing operators inflated. Read in-process, `pdf-extract` takes about 45 s and 2.3 GiB
/// on it (measured on a debug build, issue 13).
pub fn pdf_bomb() -> Vec<u8> {
    use std::io::Write as _;
    let mut content = b"BT /F1 12 Tf 72 720 Td (Bom) Tj ET\n".to_vec();
    let op = b"1 0 0 1 0 0 cm\n";
    for _ in 0..(32 * 1024 * 1024 / op.len()) {
        content.extend_from_slice(op);
    }
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    z.write_all(&content).expect("deflate");
    let stream = z.finish().expect("deflate");
    let mut s = format!(
        "<< /Length {} /Filter /FlateDecode >>\nstream\n",
        stream.len()
    )
    .into_bytes();
    s.extend_from_slice(&stream);
    s.extend_from_slice(b"\nendstream");
    let objects = [
        PDF_CATALOG.to_vec(),
        PDF_PAGES.to_vec(),
        PDF_PAGE.to_vec(),
        s,
        PDF_FONT.to_vec(),
    ];
    pdf_file(&objects, 0)
}

const PDF_CATALOG: &[u8] = b"<< /Type /Catalog /Pages 2 0 R >>";
const PDF_PAGES: &[u8] = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>";
const PDF_PAGE: &[u8] = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>";
const PDF_FONT: &[u8] =
    b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>";

/// A PDF file of these objects (numbered from 1; 1 is the catalog), with its
/// cross-reference table, and `pad` bytes of comment after the header.
fn pdf_file(objects: &[Vec<u8>], pad: usize) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n".to_vec();
    if pad > 0 {
        out.push(b'%');
        out.extend(std::iter::repeat_n(b' ', pad));
        out.push(b'\n');
    }
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n", i + 1).bytes());
        out.extend_from_slice(o);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).bytes());
    for off in offsets {
        out.extend(format!("{off:010} 00000 n \n").bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .bytes(),
    );
    out
}

/// A real DOCX whose body has these paragraphs.
pub fn docx_with_text(paragraphs: &[&str]) -> Vec<u8> {
    use std::io::Write as _;
    let body: String = paragraphs
        .iter()
        .map(|p| format!("<w:p><w:r><w:t xml:space=\"preserve\">{p}</w:t></w:r></w:p>"))
        .collect();
    let parts = [
        ("[Content_Types].xml", r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#.to_string()),
        ("_rels/.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#.to_string()),
        ("word/document.xml", format!(r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#)),
    ];
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, text) in parts {
        zip.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}
