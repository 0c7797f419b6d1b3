//! The library documents a form field names ("22/KH-UBND, 10/2022/QH15"): articles,
//! documents (replaces / amends) and disclosures cite documents by their numbers.

use crate::exec::{Db, Result};

/// Most documents one field may name.
pub const MAX_CITED: usize = 100;

/// The library documents named in a "22/KH-UBND, 10/2022/QH15" field (commas, semicolons
/// or lines between numbers): their ids, and what to say on the field (each number not
/// in the library; more than [`MAX_CITED`] numbers are refused, never cut). A number
/// shared by several documents keeps the one already linked (`current`), so saving a form
/// unchanged changes nothing.
pub async fn named_in_field(
    db: &Db,
    text: &str,
    current: &[i64],
) -> Result<(Vec<i64>, Vec<String>)> {
    let numbers: Vec<&str> = text
        .split([',', ';', '\n'])
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .collect();
    if numbers.len() > MAX_CITED {
        return Ok((
            Vec::new(),
            vec![format!(
                "Tối đa {MAX_CITED} số văn bản (đang có {}).",
                numbers.len()
            )],
        ));
    }
    let (docs, missing) = super::named(db, &numbers, current).await?;
    Ok((
        docs.iter().map(|d| d.id).collect(),
        missing
            .into_iter()
            .map(|n| format!("Không có văn bản số {n} trong thư viện."))
            .collect(),
    ))
}
