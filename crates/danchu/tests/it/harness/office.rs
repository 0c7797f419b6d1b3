//! Reading the XLSX and DOCX files the server exports.

use std::collections::BTreeMap;

/// Just enough of an Office file reader (XLSX, DOCX: ZIP parts) to check cells, shared
/// strings, panes and document text.
pub struct OfficeFile {
    pub files: BTreeMap<String, String>,
}

impl OfficeFile {
    pub fn open(bytes: &[u8]) -> OfficeFile {
        use std::io::Read as _;
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
        let mut files = BTreeMap::new();
        for i in 0..zip.len() {
            let mut f = zip.by_index(i).unwrap();
            let mut s = String::new();
            if f.read_to_string(&mut s).is_ok() {
                files.insert(f.name().to_string(), s);
            }
        }
        OfficeFile { files }
    }

    pub fn sheet_names(&self) -> Vec<String> {
        let doc = roxmltree::Document::parse(&self.files["xl/workbook.xml"]).unwrap();
        doc.descendants()
            .filter(|n| n.has_tag_name("sheet"))
            .map(|n| n.attribute("name").unwrap().to_string())
            .collect()
    }

    pub fn shared(&self) -> Vec<String> {
        let Some(xml) = self.files.get("xl/sharedStrings.xml") else {
            return Vec::new();
        };
        let doc = roxmltree::Document::parse(xml).unwrap();
        doc.descendants()
            .filter(|n| n.has_tag_name("si"))
            .map(|si| {
                si.descendants()
                    .filter(|n| n.has_tag_name("t"))
                    .filter_map(|t| t.text())
                    .collect()
            })
            .collect()
    }

    pub fn sheet(&self, n: usize) -> BTreeMap<String, String> {
        let shared = self.shared();
        let doc = roxmltree::Document::parse(&self.files[&format!("xl/worksheets/sheet{n}.xml")])
            .unwrap();
        doc.descendants()
            .filter(|c| c.has_tag_name("c"))
            .filter_map(|c| {
                let v = c
                    .children()
                    .find(|v| v.has_tag_name("v"))?
                    .text()?
                    .to_string();
                let v = if c.attribute("t") == Some("s") {
                    shared[v.parse::<usize>().ok()?].clone()
                } else {
                    v
                };
                Some((c.attribute("r")?.to_string(), v))
            })
            .collect()
    }

    pub fn frozen(&self, n: usize) -> bool {
        self.files[&format!("xl/worksheets/sheet{n}.xml")].contains("state=\"frozen\"")
    }
}
