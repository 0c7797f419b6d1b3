//! The consolidated report as an XLSX workbook: a summary sheet (each indicator, its unit
//! of measure, its consolidated value) and a matrix sheet (a unit per row, in Vietnamese
//! order; an indicator per column), numbers stored as numbers with thousands formats,
//! the header rows frozen.

use danchu_core::reporting::{Aggregate, Value};
use danchu_db::reporting::{Consolidation, Round};
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, XlsxError};

/// Writes the workbook; `period` is the period's Vietnamese name.
pub fn consolidation_xlsx(
    round: &Round,
    period: &str,
    c: &Consolidation,
) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let title = Format::new().set_bold().set_font_size(14);
    let head = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_background_color("#DCE6F1");
    let text = Format::new().set_text_wrap().set_border(FormatBorder::Thin);
    let int = Format::new()
        .set_num_format("#,##0")
        .set_border(FormatBorder::Thin);
    let dec = Format::new()
        .set_num_format("#,##0.00")
        .set_border(FormatBorder::Thin);

    let f = Formats {
        title,
        head,
        text,
        int,
        dec,
    };
    summary_sheet(&mut wb, &f, round, period, c)?;
    matrix_sheet(&mut wb, &f, c)?;
    wb.save_to_buffer()
}

/// The cell formats of the workbook.
struct Formats {
    title: Format,
    head: Format,
    text: Format,
    int: Format,
    dec: Format,
}

/// "Tổng hợp": each indicator, its unit of measure, its consolidated value.
fn summary_sheet(
    wb: &mut Workbook,
    f: &Formats,
    round: &Round,
    period: &str,
    c: &Consolidation,
) -> Result<(), XlsxError> {
    let (title, head, text, int, dec) = (&f.title, &f.head, &f.text, &f.int, &f.dec);
    let sheet = wb.add_worksheet();
    sheet.set_name("Tổng hợp")?;
    sheet.write_with_format(0, 0, &round.title, title)?;
    sheet.write(
        1,
        0,
        format!(
            "Kỳ báo cáo: {period}; số liệu từ {} đến {}; {} đơn vị được tổng hợp",
            danchu_core::text::format_date(round.cutoff_from),
            danchu_core::text::format_date(round.cutoff_to),
            c.matrix.len()
        ),
    )?;
    let heads = ["STT", "Chỉ tiêu", "Đơn vị tính", "Kết quả"];
    sheet.write_row_with_format(3, 0, heads, head)?;
    sheet.set_freeze_panes(4, 0)?;
    sheet.set_column_width(0, 6)?;
    sheet.set_column_width(1, 48)?;
    sheet.set_column_width(2, 14)?;
    sheet.set_column_width(3, 40)?;
    for (i, (ind, total)) in c.indicators.iter().zip(&c.totals).enumerate() {
        let row = 4 + i as u32;
        sheet.write_with_format(row, 0, (i + 1) as u32, int)?;
        sheet.write_with_format(row, 1, &ind.label, text)?;
        sheet.write_with_format(row, 2, &ind.unit, text)?;
        match total {
            Aggregate::Number(x) if x.fract() == 0.0 => {
                sheet.write_with_format(row, 3, *x, int)?;
            }
            Aggregate::Number(x) => {
                sheet.write_with_format(row, 3, *x, dec)?;
            }
            Aggregate::Count(n) => {
                sheet.write_with_format(row, 3, *n as f64, int)?;
            }
            other => {
                sheet.write_with_format(row, 3, other.display_for(&ind.kind), text)?;
            }
        }
    }

    Ok(())
}

/// "Theo đơn vị": a unit per row, an indicator per column.
fn matrix_sheet(wb: &mut Workbook, f: &Formats, c: &Consolidation) -> Result<(), XlsxError> {
    let (head, text, int, dec) = (&f.head, &f.text, &f.int, &f.dec);
    let m = wb.add_worksheet();
    m.set_name("Theo đơn vị")?;
    m.write_with_format(0, 0, "Đơn vị", head)?;
    m.set_column_width(0, 32)?;
    for (j, ind) in c.indicators.iter().enumerate() {
        let label = if ind.unit.is_empty() {
            ind.label.clone()
        } else {
            format!("{} ({})", ind.label, ind.unit)
        };
        m.write_with_format(0, 1 + j as u16, label, head)?;
        m.set_column_width(1 + j as u16, 18)?;
    }
    m.set_freeze_panes(1, 1)?;
    for (i, (unit, cells)) in c.matrix.iter().enumerate() {
        let row = 1 + i as u32;
        m.write_with_format(row, 0, unit, text)?;
        for (j, v) in cells.iter().enumerate() {
            let col = 1 + j as u16;
            match v {
                Some(Value::Int(n)) => m.write_with_format(row, col, *n as f64, int)?,
                Some(Value::Dec(x)) => m.write_with_format(row, col, *x, dec)?,
                Some(Value::Bool(b)) => {
                    m.write_with_format(row, col, if *b { "Có" } else { "Không" }, text)?
                }
                Some(Value::Text(t)) => m.write_with_format(row, col, t, text)?,
                Some(v @ Value::Rows(_)) => {
                    let shown = match c.indicators.get(j) {
                        Some(i) => danchu_core::reporting::display_for(&i.kind, v),
                        None => danchu_core::reporting::display_value(v),
                    };
                    m.write_with_format(row, col, shown, text)?
                }
                None => m.write_with_format(row, col, "", text)?,
            };
        }
    }
    Ok(())
}
