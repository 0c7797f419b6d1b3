//! The compliance dashboard (R10/R11, R7) and its XLSX.

use askama::Template;
use axum::response::{Html, Response};
use danchu_core::disclosures::Category;

use crate::disclosures::compliance::{compliance_of, ComplianceQuery, UnitCompliance};
use crate::error::{AppError, AppResult};
use crate::form::Query;
use crate::layout::Ctx;
use crate::layout::Signed;
use crate::AppState;

#[derive(Template)]
#[template(path = "disclosures/admin/disclosure_compliance.html")]
struct CompliancePage {
    ctx: Ctx,
    year: i32,
    category: Option<i64>,
    /// `commune` or `agency`.
    scope: &'static str,
    /// The current filters as a query string.
    query: String,
    categories: Vec<(i64, Category)>,
    /// Units grouped by the unit above, each group with its subtotal.
    groups: Vec<(String, Vec<UnitCompliance>, UnitCompliance)>,
    /// Obligations not met (missing or late), for the list under the table.
    problems: Vec<danchu_db::disclosures::Obligation>,
    /// Disclosures without every required form (R7): id, unit, title, what is missing.
    unmet: Vec<(i64, String, String, String)>,
    totals: UnitCompliance,
}

impl CompliancePage {
    fn bar(&self, n: &usize) -> usize {
        let max = self.totals.due.max(1);
        n * 300 / max
    }
    fn on(&self, d: &time::Date) -> String {
        danchu_core::text::format_date(*d)
    }
    fn day(&self, d: &Option<time::Date>) -> String {
        super::show_day(d)
    }
    fn is_category(&self, id: &i64) -> bool {
        self.category == Some(*id)
    }
    fn in_scope(&self, c: &Category) -> bool {
        c.scope == self.scope && !c.every.is_empty()
    }
    fn agencies(&self) -> bool {
        self.scope == danchu_core::disclosures::AGENCY
    }
    fn years(&self) -> Vec<i32> {
        (2023..=self.year.max(2023) + 1).rev().collect()
    }
}

/// The disclosures lacking a required form, for a list: (id, unit, title, what is
/// missing), at most `limit`.
pub(super) async fn unmet_rows(
    state: &AppState,
    units: &[danchu_db::disclosures::RegisterUnit],
    unmet: &[danchu_db::disclosures::Unmet],
    limit: usize,
) -> AppResult<Vec<(i64, String, String, String)>> {
    let names: std::collections::BTreeMap<i64, &str> =
        units.iter().map(|u| (u.id, u.name.as_str())).collect();
    let unmet = &unmet[..unmet.len().min(limit)];
    let mut titles = std::collections::BTreeMap::new();
    let ids: Vec<i64> = unmet.iter().map(|u| u.disclosure_id).collect();
    for chunk in ids.chunks(500) {
        for d in danchu_db::disclosures::by_ids(&state.db, chunk).await? {
            titles.insert(d.id, d.title);
        }
    }
    Ok(unmet
        .iter()
        .map(|u| {
            (
                u.disclosure_id,
                names.get(&u.unit_id).unwrap_or(&"").to_string(),
                titles.get(&u.disclosure_id).cloned().unwrap_or_default(),
                u.missing
                    .iter()
                    .map(|c| c.name_vi())
                    .collect::<Vec<_>>()
                    .join("; "),
            )
        })
        .collect())
}

/// Consecutive units with the same parent as one group, with its subtotal.
fn grouped(units: Vec<UnitCompliance>) -> Vec<(String, Vec<UnitCompliance>, UnitCompliance)> {
    let mut out: Vec<(String, Vec<UnitCompliance>, UnitCompliance)> = Vec::new();
    for u in units {
        match out.last_mut() {
            Some(g) if g.1.first().map(|f| f.parent_id) == Some(u.parent_id) => g.1.push(u),
            _ => out.push((u.parent.clone(), vec![u], UnitCompliance::default())),
        }
    }
    for g in &mut out {
        g.2 = totals(&g.1);
    }
    out
}

fn totals(units: &[UnitCompliance]) -> UnitCompliance {
    let mut t = UnitCompliance::default();
    for u in units {
        t.due += u.due;
        t.on_time += u.on_time;
        t.late += u.late;
        t.missing += u.missing;
        t.upcoming += u.upcoming;
        t.current += u.current;
        t.short += u.short;
        t.unmet += u.unmet;
    }
    t
}

pub(super) async fn compliance_page(
    Signed { state, ctx, auth }: Signed,
    Query(q): Query<ComplianceQuery>,
) -> AppResult<Html<String>> {
    let (units, list, obligations, unmet) = compliance_of(&state, &auth, &q).await?;
    let unmet = unmet_rows(&state, &units, &unmet, 500).await?;
    let problems = obligations
        .into_iter()
        .filter(|o| {
            matches!(
                o.status,
                danchu_core::disclosures::Compliance::Missing
                    | danchu_core::disclosures::Compliance::Late
            )
        })
        .take(500)
        .collect();
    Ok(Html(
        CompliancePage {
            ctx,
            year: q.year(),
            category: q.category(),
            scope: q.scope(),
            query: q.query(q.year()),
            categories: danchu_db::disclosures::categories(&state.db).await?,
            totals: totals(&list),
            groups: grouped(list),
            problems,
            unmet,
        }
        .render()?,
    ))
}

/// The compliance table as XLSX (one row per unit, then every obligation).
pub(super) async fn compliance_xlsx(
    Signed { state, auth, .. }: Signed,
    Query(q): Query<ComplianceQuery>,
) -> AppResult<Response> {
    let (units, list, obligations, unmet) = compliance_of(&state, &auth, &q).await?;
    let unmet = unmet_rows(&state, &units, &unmet, 100_000).await?;
    let bytes = compliance_book(q.year(), &list, &obligations, &unmet)
        .map_err(|e| AppError::Internal(format!("xlsx: {e}")))?;
    Ok(crate::media::download(
        bytes,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &format!("cong-khai-{}.xlsx", q.year()),
    ))
}

fn compliance_book(
    year: i32,
    units: &[UnitCompliance],
    obligations: &[danchu_db::disclosures::Obligation],
    unmet: &[(i64, String, String, String)],
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let head = rust_xlsxwriter::Format::new()
        .set_bold()
        .set_text_wrap()
        .set_border(rust_xlsxwriter::FormatBorder::Thin);
    units_sheet(&mut wb, &head, units)?;
    obligations_sheet(&mut wb, &head, year, obligations)?;
    unmet_sheet(&mut wb, &head, unmet)?;
    wb.save_to_buffer()
}

/// A new sheet `name` with the header row `cols` (in `head`), frozen below it and right
/// of its first `frozen_cols` columns, its first columns `widths` wide.
fn sheet<'a>(
    wb: &'a mut rust_xlsxwriter::Workbook,
    name: &str,
    (head, cols): (&rust_xlsxwriter::Format, &[&str]),
    frozen_cols: u16,
    widths: &[f64],
) -> Result<&'a mut rust_xlsxwriter::Worksheet, rust_xlsxwriter::XlsxError> {
    let s = wb.add_worksheet();
    s.set_name(name)?;
    s.write_row_with_format(0, 0, cols.iter().copied(), head)?;
    s.set_freeze_panes(1, frozen_cols)?;
    for (c, w) in widths.iter().enumerate() {
        s.set_column_width(c as u16, *w)?;
    }
    Ok(s)
}

/// "Theo đơn vị": one row per unit.
fn units_sheet(
    wb: &mut rust_xlsxwriter::Workbook,
    head: &rust_xlsxwriter::Format,
    units: &[UnitCompliance],
) -> Result<(), rust_xlsxwriter::XlsxError> {
    let int = rust_xlsxwriter::Format::new().set_num_format("#,##0");
    let cols = [
        "Đơn vị",
        "Trực thuộc",
        "Đến hạn",
        "Đúng hạn",
        "Trễ hạn",
        "Chưa công khai",
        "Chưa đến hạn",
        "Đang niêm yết",
        "Niêm yết chưa đủ thời hạn",
        "Thiếu hình thức bắt buộc",
    ];
    let s = sheet(wb, "Theo đơn vị", (head, &cols), 1, &[32.0, 24.0])?;
    for (i, u) in units.iter().enumerate() {
        let r = 1 + i as u32;
        s.write(r, 0, &u.unit_name)?;
        s.write(r, 1, &u.parent)?;
        let counts = [
            u.due, u.on_time, u.late, u.missing, u.upcoming, u.current, u.short, u.unmet,
        ];
        s.write_row_with_format(r, 2, counts.map(|n| n as f64), &int)?;
    }
    Ok(())
}

/// "Nghĩa vụ {year}": every obligation.
fn obligations_sheet(
    wb: &mut rust_xlsxwriter::Workbook,
    head: &rust_xlsxwriter::Format,
    year: i32,
    obligations: &[danchu_db::disclosures::Obligation],
) -> Result<(), rust_xlsxwriter::XlsxError> {
    let cols = [
        "Đơn vị",
        "Danh mục",
        "Kỳ",
        "Hạn công khai",
        "Ngày niêm yết",
        "Tình trạng",
    ];
    let name = format!("Nghĩa vụ {year}");
    let o = sheet(wb, &name, (head, &cols), 0, &[28.0, 50.0])?;
    for (i, ob) in obligations.iter().enumerate() {
        let r = 1 + i as u32;
        o.write(r, 0, &ob.unit_name)?;
        o.write(r, 1, &ob.category)?;
        o.write(r, 2, &ob.period_name)?;
        o.write(r, 3, danchu_core::text::format_date(ob.due_on))?;
        o.write(r, 4, super::show_day(&ob.posted_on))?;
        o.write(r, 5, ob.status.name_vi())?;
    }
    Ok(())
}

/// "Thiếu hình thức": the disclosures lacking a required form.
fn unmet_sheet(
    wb: &mut rust_xlsxwriter::Workbook,
    head: &rust_xlsxwriter::Format,
    unmet: &[(i64, String, String, String)],
) -> Result<(), rust_xlsxwriter::XlsxError> {
    let cols = ["Đơn vị", "Nội dung công khai", "Hình thức còn thiếu"];
    let m = sheet(wb, "Thiếu hình thức", (head, &cols), 0, &[28.0, 60.0, 50.0])?;
    for (i, (_, unit, title, missing)) in unmet.iter().enumerate() {
        let r = 1 + i as u32;
        m.write(r, 0, unit)?;
        m.write(r, 1, title)?;
        m.write(r, 2, missing)?;
    }
    Ok(())
}
