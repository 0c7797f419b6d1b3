//! A DOCX draft of the consolidated report in the layout of Decree 30/2020/NĐ-CP (R40–R42):
//! A4, Times New Roman, margins top/bottom 20 mm, left 30 mm, right 15 mm; the issuing
//! body opposite the Quốc hiệu "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" and the Tiêu ngữ
//! "Độc lập - Tự do - Hạnh phúc"; the number line and the place-and-date line left for the
//! clerk to fill ("Số: …", "Dầu Tiếng, ngày … tháng … năm …"); the title, a body with the
//! summary table, "Nơi nhận" and the signer's title. Written as WordprocessingML by hand
//! (three parts in a ZIP), so it opens in Word and LibreOffice alike.

use std::io::Write as _;

use danchu_core::reporting::Aggregate;
use danchu_db::reporting::{Consolidation, Round};

/// Who issues the report: the office and its parent body, and the place name.
pub struct Issuer {
    /// "UBND HUYỆN DẦU TIẾNG"
    pub parent: String,
    /// "PHÒNG NỘI VỤ"
    pub office: String,
    /// "Dầu Tiếng"
    pub place: String,
}

impl Issuer {
    /// From the office's name and its parent unit's name ("Huyện Dầu Tiếng").
    pub fn new(office: &str, parent: &str) -> Issuer {
        let place = [
            "Huyện ",
            "Thị xã ",
            "Thành phố ",
            "Tỉnh ",
            "Xã ",
            "Phường ",
            "Thị trấn ",
        ]
        .iter()
        .find_map(|p| parent.strip_prefix(p))
        .unwrap_or(parent)
        .to_string();
        Issuer {
            parent: format!("UBND {}", parent.to_uppercase()),
            office: office.to_uppercase(),
            place,
        }
    }
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A run of text; `b` bold, `i` italic, size in half-points.
fn run(text: &str, b: bool, i: bool, size: u32) -> String {
    format!(
        "<w:r><w:rPr>{}{}<w:sz w:val=\"{size}\"/><w:szCs w:val=\"{size}\"/></w:rPr><w:t xml:space=\"preserve\">{}</w:t></w:r>",
        if b { "<w:b/>" } else { "" },
        if i { "<w:i/>" } else { "" },
        esc(text)
    )
}

/// A paragraph: alignment (`left`, `center`, `both`), runs.
fn para(align: &str, runs: &[String]) -> String {
    format!(
        "<w:p><w:pPr><w:jc w:val=\"{align}\"/><w:spacing w:after=\"60\"/></w:pPr>{}</w:p>",
        runs.concat()
    )
}

fn cell(width: u32, content: &str, borders: bool) -> String {
    let b = if borders {
        "<w:tcBorders><w:top w:val=\"single\" w:sz=\"4\"/><w:left w:val=\"single\" w:sz=\"4\"/><w:bottom w:val=\"single\" w:sz=\"4\"/><w:right w:val=\"single\" w:sz=\"4\"/></w:tcBorders>"
    } else {
        ""
    };
    format!("<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/>{b}</w:tcPr>{content}</w:tc>")
}

/// The report draft as DOCX bytes.
pub fn consolidation_docx(
    round: &Round,
    period: &str,
    c: &Consolidation,
    issuer: &Issuer,
) -> std::io::Result<Vec<u8>> {
    let mut body = opening(round, period, c, issuer);
    body.push_str(&summary_table(c));
    body.push_str(&closing());
    package(&body)
}

/// The issuing body opposite Quốc hiệu and Tiêu ngữ, the title, and the opening sentence.
fn opening(round: &Round, period: &str, c: &Consolidation, issuer: &Issuer) -> String {
    let mut body = String::new();
    // Header: issuing body (left) opposite Quốc hiệu and Tiêu ngữ (right).
    let left = [
        para("center", &[run(&issuer.parent, false, false, 26)]),
        para("center", &[run(&issuer.office, true, false, 26)]),
        para("center", &[run("Số:      /BC-PNV", false, false, 26)]),
    ]
    .concat();
    let right = [
        para(
            "center",
            &[run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", true, false, 24)],
        ),
        para(
            "center",
            &[run("Độc lập - Tự do - Hạnh phúc", true, false, 26)],
        ),
        para(
            "center",
            &[run(
                &format!("{}, ngày … tháng … năm …", issuer.place),
                false,
                true,
                26,
            )],
        ),
    ]
    .concat();
    body.push_str(&format!(
        "<w:tbl><w:tblPr><w:tblW w:w=\"9300\" w:type=\"dxa\"/></w:tblPr><w:tblGrid><w:gridCol w:w=\"3600\"/><w:gridCol w:w=\"5700\"/></w:tblGrid><w:tr>{}{}</w:tr></w:tbl>",
        cell(3600, &left, false),
        cell(5700, &right, false)
    ));
    body.push_str(&para("center", &[run("", false, false, 28)]));
    body.push_str(&para("center", &[run("BÁO CÁO", true, false, 28)]));
    body.push_str(&para("center", &[run(&round.title, true, false, 28)]));
    body.push_str(&para(
        "both",
        &[run(
            &format!(
                "Phòng Nội vụ tổng hợp kết quả báo cáo kỳ {period} (số liệu từ ngày {} đến ngày {}) của {} đơn vị như sau:",
                danchu_core::text::format_date(round.cutoff_from),
                danchu_core::text::format_date(round.cutoff_to),
                c.matrix.len()
            ),
            false,
            false,
            28,
        )],
    ));
    body
}

/// The summary table: each indicator, its unit of measure, its consolidated value.
fn summary_table(c: &Consolidation) -> String {
    let mut body = String::new();
    // The summary table.
    let mut rows = String::new();
    let head = |t: &str| para("center", &[run(t, true, false, 26)]);
    rows.push_str(&format!(
        "<w:tr>{}{}{}{}</w:tr>",
        cell(700, &head("STT"), true),
        cell(5000, &head("Chỉ tiêu"), true),
        cell(1300, &head("Đơn vị tính"), true),
        cell(2300, &head("Kết quả"), true)
    ));
    for (n, (ind, total)) in c.indicators.iter().zip(&c.totals).enumerate() {
        let value = match total {
            Aggregate::Texts(t) => t
                .iter()
                .map(|(u, s)| format!("{u}: {s}"))
                .collect::<Vec<_>>()
                .join("; "),
            other => other.display_for(&ind.kind).replace('\n', "; "),
        };
        rows.push_str(&format!(
            "<w:tr>{}{}{}{}</w:tr>",
            cell(
                700,
                &para("center", &[run(&(n + 1).to_string(), false, false, 26)]),
                true
            ),
            cell(
                5000,
                &para("left", &[run(&ind.label, false, false, 26)]),
                true
            ),
            cell(
                1300,
                &para("center", &[run(&ind.unit, false, false, 26)]),
                true
            ),
            cell(2300, &para("right", &[run(&value, false, false, 26)]), true)
        ));
    }
    body.push_str(&format!(
        "<w:tbl><w:tblPr><w:tblW w:w=\"9300\" w:type=\"dxa\"/></w:tblPr><w:tblGrid><w:gridCol w:w=\"700\"/><w:gridCol w:w=\"5000\"/><w:gridCol w:w=\"1300\"/><w:gridCol w:w=\"2300\"/></w:tblGrid>{rows}</w:tbl>"
    ));
    body
}

/// Recipients (left) and the signer's title (right), then the A4 page setup.
fn closing() -> String {
    let mut body = String::new();
    body.push_str(&para("both", &[run("", false, false, 28)]));
    // Recipients (left) and the signer's title (right).
    let recipients = [
        para("left", &[run("Nơi nhận:", true, true, 24)]),
        para(
            "left",
            &[run("- UBND huyện (để báo cáo);", false, false, 22)],
        ),
        para("left", &[run("- Các đơn vị báo cáo;", false, false, 22)]),
        para("left", &[run("- Lưu: VT.", false, false, 22)]),
    ]
    .concat();
    let signer = [
        para("center", &[run("TRƯỞNG PHÒNG", true, false, 26)]),
        para("center", &[run("(Ký, ghi rõ họ tên)", false, true, 26)]),
    ]
    .concat();
    body.push_str(&format!(
        "<w:tbl><w:tblPr><w:tblW w:w=\"9300\" w:type=\"dxa\"/></w:tblPr><w:tblGrid><w:gridCol w:w=\"4650\"/><w:gridCol w:w=\"4650\"/></w:tblGrid><w:tr>{}{}</w:tr></w:tbl>",
        cell(4650, &recipients, false),
        cell(4650, &signer, false)
    ));
    // A4 (11906 × 16838 twips); margins 20 mm top/bottom, 30 mm left, 15 mm right.
    body.push_str("<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"1134\" w:right=\"851\" w:bottom=\"1134\" w:left=\"1701\" w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/></w:sectPr>");
    body
}

/// The DOCX package around the document's body.
fn package(body: &str) -> std::io::Result<Vec<u8>> {
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>"
    );
    let styles = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:cs=\"Times New Roman\" w:eastAsia=\"Times New Roman\"/><w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/><w:lang w:val=\"vi-VN\"/></w:rPr></w:rPrDefault></w:docDefaults></w:styles>";
    let parts = [
        ("[Content_Types].xml", "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/><Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/></Types>".to_string()),
        ("_rels/.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>".to_string()),
        ("word/_rels/document.xml.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/></Relationships>".to_string()),
        ("word/styles.xml", styles.to_string()),
        ("word/document.xml", document),
    ];
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, text) in parts {
        zip.start_file(name, zip::write::SimpleFileOptions::default())
            .map_err(std::io::Error::other)?;
        zip.write_all(text.as_bytes())?;
    }
    Ok(zip.finish().map_err(std::io::Error::other)?.into_inner())
}
