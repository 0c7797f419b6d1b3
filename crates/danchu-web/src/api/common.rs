//! Bodies more than one part of the API returns.

use serde::Serialize;
use utoipa::ToSchema;

/// An attached file: its name, type, size and where to fetch it.
#[derive(Debug, Serialize, ToSchema)]
pub struct FileBody {
    pub name: String,
    pub mime: String,
    /// Bytes.
    pub size: i64,
    /// Relative address (`/tep/…`).
    pub url: String,
}

impl From<&danchu_db::media::Media> for FileBody {
    fn from(m: &danchu_db::media::Media) -> Self {
        FileBody {
            name: m.name.clone(),
            mime: m.mime.clone(),
            size: m.size,
            url: format!("/tep/{}", m.stored_name),
        }
    }
}

/// A document of the library (văn bản).
#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentBody {
    pub id: i64,
    /// The issuing unit.
    pub unit_id: i64,
    /// Number and symbol, exactly as issued (`22/KH-UBND`).
    pub number: String,
    /// Kind code (`ke-hoach`, `quyet-dinh`, …).
    pub kind: String,
    pub issuer: String,
    /// `yyyy-mm-dd`.
    pub issued_on: String,
    /// `yyyy-mm-dd`, when known.
    pub effective_on: Option<String>,
    pub signer: String,
    pub field: String,
    /// Trích yếu.
    pub summary: String,
    pub status: String,
    pub downloads: i64,
    /// Relative address of its public page.
    pub url: String,
}

impl From<&danchu_db::documents::Document> for DocumentBody {
    fn from(d: &danchu_db::documents::Document) -> Self {
        DocumentBody {
            id: d.id,
            unit_id: d.unit_id,
            number: d.number.clone(),
            kind: d.kind.clone(),
            issuer: d.issuer.clone(),
            issued_on: danchu_core::text::iso_date(d.issued_on),
            effective_on: d.effective_on.map(danchu_core::text::iso_date),
            signer: d.signer.clone(),
            field: d.field.clone(),
            summary: d.summary.clone(),
            status: d.status.clone(),
            downloads: d.downloads,
            url: format!("/van-ban/{}", d.id),
        }
    }
}
