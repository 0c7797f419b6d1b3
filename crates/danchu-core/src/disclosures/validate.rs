//! What a disclosure and its forms must be to be accepted (R6, R7, R8, R10, R46): the
//! one validation of the register, called by the use cases in `danchu_db::disclosures`
//! inside their transaction. Problems come back by field, in Vietnamese.

use super::{Category, Channel, DuePeriod, HeadNotice};
use crate::text::{clean_line, parse_date};

/// A disclosure as typed (title, sanitised body, links), checked by [`check`] inside
/// the posting use case (`danchu_db::disclosures::post`).
#[derive(Debug, Clone, Default)]
pub struct NewDisclosure {
    pub unit_id: i64,
    pub category_id: i64,
    pub period: String,
    pub title: String,
    pub body: String,
    pub files: Vec<i64>,
    pub documents: Vec<i64>,
}

/// Problems by field, in Vietnamese. `unit_kind` is the posting unit's kind (None when
/// there is no such unit): a commune posts under the commune list, an agency or public
/// unit under the agency list (R46), nobody else posts.
pub fn check(
    d: &NewDisclosure,
    category: Option<&Category>,
    unit_kind: Option<&str>,
) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    match unit_kind.map(super::scope_of) {
        None => out.push(("unit_id", "Hãy chọn đơn vị.".to_string())),
        Some(None) => out.push((
            "unit_id",
            "Chỉ xã, phường, thị trấn và cơ quan, đơn vị mới lập sổ công khai.".to_string(),
        )),
        Some(Some(_)) => {}
    }
    let title = clean_line(&d.title);
    if title.is_empty() {
        out.push(("title", "Hãy nhập tiêu đề nội dung công khai.".to_string()));
    } else if title.chars().count() > 300 {
        out.push(("title", "Tiêu đề tối đa 300 ký tự.".to_string()));
    }
    match category {
        None => out.push(("category_id", "Hãy chọn danh mục công khai.".to_string())),
        Some(c) if unit_kind.is_some_and(|k| !c.applies_to(k)) => out.push((
            "category_id",
            if c.scope == super::AGENCY {
                "Danh mục này dành cho cơ quan, đơn vị; hãy chọn danh mục của xã.".to_string()
            } else {
                "Danh mục này dành cho cấp xã; hãy chọn danh mục của cơ quan, đơn vị.".to_string()
            },
        )),
        Some(c) if !c.every.is_empty() => {
            let ok =
                DuePeriod::parse(&d.period).is_some_and(|p| c.due_periods(p.year()).contains(&p));
            if !ok {
                out.push((
                    "period",
                    "Danh mục này công khai định kỳ: hãy chọn kỳ (quý, 6 tháng hoặc năm)."
                        .to_string(),
                ));
            }
        }
        Some(_) if !d.period.is_empty() && DuePeriod::parse(&d.period).is_none() => {
            out.push(("period", "Kỳ không hợp lệ.".to_string()));
        }
        Some(_) => {}
    }
    if crate::html::to_text(&d.body).trim().is_empty() && d.files.is_empty() {
        out.push((
            "body",
            "Hãy nhập nội dung hoặc đính kèm tệp nội dung công khai.".to_string(),
        ));
    }
    out
}

/// The corrected title and the note saying what changed, cleaned, or why they are
/// refused (the note first).
pub fn check_correction(title: &str, note: &str) -> Result<(String, String), String> {
    let note = clean_line(note);
    if note.is_empty() {
        return Err("Hãy ghi rõ nội dung đính chính (điều gì thay đổi).".into());
    }
    if note.chars().count() > 500 {
        return Err("Nội dung đính chính tối đa 500 ký tự.".into());
    }
    let title = clean_line(title);
    if title.is_empty() {
        return Err("Hãy nhập tiêu đề nội dung công khai.".into());
    }
    if title.chars().count() > 300 {
        return Err("Tiêu đề tối đa 300 ký tự.".into());
    }
    Ok((title, note))
}

/// A channel as recorded by the official (the days read at the edge: none when not
/// given or not a date).
#[derive(Debug, Clone)]
pub struct NewChannel {
    pub channel: Channel,
    pub starts_on: Option<time::Date>,
    pub ends_on: Option<time::Date>,
    pub evidence: String,
    pub files: Vec<i64>,
    /// R8 records (`told_on` as typed, `dd/mm/yyyy` or `yyyy-mm-dd`); only for
    /// [`Channel::CommunityHeads`], where at least one is required.
    pub notices: Vec<HeadNotice>,
}

/// Problems with a channel record, by field; `scope` is the unit's list (R46: a commune
/// uses the forms of Law Đ12, an agency those of Luật PCTN Đ11).
pub fn check_channel(c: &NewChannel, scope: &str) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if !Channel::for_scope(scope).contains(&c.channel) {
        out.push((
            "channel",
            "Hình thức này không áp dụng cho đơn vị này.".to_string(),
        ));
    }
    let start = c.starts_on;
    if start.is_none() {
        out.push((
            "starts_on",
            "Hãy nhập ngày bắt đầu (dd/mm/yyyy).".to_string(),
        ));
    }
    if let Some(end) = c.ends_on {
        match start {
            Some(s) if end >= s => {}
            _ => out.push((
                "ends_on",
                "Ngày kết thúc không hợp lệ hoặc trước ngày bắt đầu.".to_string(),
            )),
        }
    }
    if clean_line(&c.evidence).chars().count() > 2000 {
        out.push((
            "evidence",
            "Ghi chú minh chứng tối đa 2.000 ký tự.".to_string(),
        ));
    }
    if c.channel == Channel::CommunityHeads {
        if c.notices.is_empty() {
            out.push((
                "notices",
                "Ghi rõ thôn, ấp, tổ dân phố đã nhận và cách thông báo đến hộ gia đình (R8)."
                    .to_string(),
            ));
        }
        if c.notices.len() > 500 {
            out.push(("notices", "Tối đa 500 dòng.".to_string()));
        }
        for (i, n) in c.notices.iter().enumerate() {
            out.extend(
                check_notice(n, &format!("Dòng {}", i + 1))
                    .into_iter()
                    .map(|m| ("notices", m)),
            );
        }
    }
    out
}

/// Why an R8 row's receiving day, as typed, is refused (it is not a day); `row` names it
/// as in [`check_notice`]. The form reads the day before the row is checked.
pub fn bad_notified_on(row: &str) -> String {
    format!("{row}: ngày Trưởng thôn nhận không hợp lệ (dd/mm/yyyy).")
}

/// Problems with one R8 row; `row` names it as the form shows it ("Dòng 3", or the
/// thôn's name).
pub fn check_notice(n: &HeadNotice, row: &str) -> Vec<String> {
    let mut out = Vec::new();
    let hamlet = clean_line(&n.hamlet);
    if hamlet.is_empty() || hamlet.chars().count() > 200 {
        out.push(format!(
            "{row}: hãy nhập tên thôn, ấp, tổ dân phố (tối đa 200 ký tự)."
        ));
    }
    if clean_line(&n.head_name).chars().count() > 200 {
        out.push(format!("{row}: họ tên tối đa 200 ký tự."));
    }
    if !n.told_on.trim().is_empty() {
        match parse_date(&n.told_on) {
            Some(b) if b >= n.notified_on => {}
            _ => out.push(format!(
                "{row}: ngày thông báo đến hộ không hợp lệ hoặc trước ngày nhận."
            )),
        }
    }
    out
}
