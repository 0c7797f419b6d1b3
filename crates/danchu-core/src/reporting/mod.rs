//! Periodic reporting rules, pure (issue 5): report periods and their data cut-off
//! windows (R30, Decree 09/2019/NĐ-CP), indicators with their types, how a typed answer
//! is read and checked (Vietnamese number formats, required, min/max, choices,
//! cross-field rules such as "số hộ tán thành ≤ tổng số hộ"), repeating tables (rows of
//! typed columns), and how answers of many units are aggregated (sum, average, min, max,
//! count of yes, list of texts, list of rows).

pub mod template_form;

use std::collections::BTreeMap;
use std::ops::Bound;

use serde::{Deserialize, Serialize};
use time::{Date, Month};

/// How often a report is due (R29, R32).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Frequency {
    Monthly,
    Quarterly,
    HalfYear,
    NineMonths,
    Annual,
    AdHoc,
}

impl Frequency {
    pub const ALL: [Frequency; 6] = [
        Frequency::Monthly,
        Frequency::Quarterly,
        Frequency::HalfYear,
        Frequency::NineMonths,
        Frequency::Annual,
        Frequency::AdHoc,
    ];

    /// The stored code (as serde writes it).
    pub fn code(self) -> &'static str {
        match self {
            Frequency::Monthly => "monthly",
            Frequency::Quarterly => "quarterly",
            Frequency::HalfYear => "half_year",
            Frequency::NineMonths => "nine_months",
            Frequency::Annual => "annual",
            Frequency::AdHoc => "ad_hoc",
        }
    }

    /// Reads a [`Frequency::code`]; `None` for anything else.
    pub fn parse(code: &str) -> Option<Frequency> {
        Frequency::ALL.into_iter().find(|f| f.code() == code)
    }

    pub fn name_vi(self) -> &'static str {
        match self {
            Frequency::Monthly => "Hằng tháng",
            Frequency::Quarterly => "Hằng quý",
            Frequency::HalfYear => "6 tháng",
            Frequency::NineMonths => "9 tháng",
            Frequency::Annual => "Hằng năm",
            Frequency::AdHoc => "Đột xuất",
        }
    }
}

/// One reporting period of a periodic report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Period {
    Month { year: i32, month: u8 },
    Quarter { year: i32, quarter: u8 },
    FirstHalf { year: i32 },
    SecondHalf { year: i32 },
    NineMonths { year: i32 },
    Year { year: i32 },
}

fn day(year: i32, month: u8, d: u8) -> Option<Date> {
    Date::from_calendar_date(year, Month::try_from(month).ok()?, d).ok()
}

/// The 15th of the month before `month` (December of the previous year for January).
fn from_15th_before(year: i32, month: u8) -> Option<Date> {
    if month == 1 {
        day(year - 1, 12, 15)
    } else {
        day(year, month - 1, 15)
    }
}

impl Period {
    /// The default data cut-off window, both ends included (R30, Decree 09/2019/NĐ-CP):
    /// a month runs from the 15th of the previous month to the 14th; a quarter from the
    /// 15th of the month before it to the 14th of its last month; the first 6 months from
    /// 15/12 of the previous year to 14/06, the last 6 months from 15/06 to 14/12; 9 months
    /// from 15/12 of the previous year to 14/09; a year from 15/12 of the previous year to
    /// 14/12. `None` for an impossible period (month 13, quarter 5).
    pub fn cutoff(&self) -> Option<(Date, Date)> {
        match *self {
            Period::Month { year, month } if (1..=12).contains(&month) => {
                Some((from_15th_before(year, month)?, day(year, month, 14)?))
            }
            Period::Quarter { year, quarter } if (1..=4).contains(&quarter) => {
                let first = (quarter - 1) * 3 + 1;
                Some((from_15th_before(year, first)?, day(year, first + 2, 14)?))
            }
            Period::FirstHalf { year } => Some((day(year - 1, 12, 15)?, day(year, 6, 14)?)),
            Period::SecondHalf { year } => Some((day(year, 6, 15)?, day(year, 12, 14)?)),
            Period::NineMonths { year } => Some((day(year - 1, 12, 15)?, day(year, 9, 14)?)),
            Period::Year { year } => Some((day(year - 1, 12, 15)?, day(year, 12, 14)?)),
            _ => None,
        }
    }

    /// The period's name as officials write it: "Tháng 3/2024", "Quý I/2024",
    /// "6 tháng đầu năm 2023", "6 tháng cuối năm 2023", "9 tháng năm 2023", "Năm 2023".
    pub fn name_vi(&self) -> String {
        match *self {
            Period::Month { year, month } => format!("Tháng {month}/{year}"),
            Period::Quarter { year, quarter } => {
                let roman = ["I", "II", "III", "IV"]
                    .get(usize::from(quarter).wrapping_sub(1))
                    .copied()
                    .unwrap_or("?");
                format!("Quý {roman}/{year}")
            }
            Period::FirstHalf { year } => format!("6 tháng đầu năm {year}"),
            Period::SecondHalf { year } => format!("6 tháng cuối năm {year}"),
            Period::NineMonths { year } => format!("9 tháng năm {year}"),
            Period::Year { year } => format!("Năm {year}"),
        }
    }

    /// The same period one year earlier (for comparing a round with last year's).
    pub fn a_year_before(&self) -> Period {
        match *self {
            Period::Month { year, month } => Period::Month {
                year: year - 1,
                month,
            },
            Period::Quarter { year, quarter } => Period::Quarter {
                year: year - 1,
                quarter,
            },
            Period::FirstHalf { year } => Period::FirstHalf { year: year - 1 },
            Period::SecondHalf { year } => Period::SecondHalf { year: year - 1 },
            Period::NineMonths { year } => Period::NineMonths { year: year - 1 },
            Period::Year { year } => Period::Year { year: year - 1 },
        }
    }

    /// The period just before this one of the same length (March → February, Q1 → Q4 of
    /// the previous year, first half → second half of the previous year).
    pub fn previous(&self) -> Period {
        match *self {
            Period::Month { year, month: 1 } => Period::Month {
                year: year - 1,
                month: 12,
            },
            Period::Month { year, month } => Period::Month {
                year,
                month: month - 1,
            },
            Period::Quarter { year, quarter: 1 } => Period::Quarter {
                year: year - 1,
                quarter: 4,
            },
            Period::Quarter { year, quarter } => Period::Quarter {
                year,
                quarter: quarter - 1,
            },
            Period::FirstHalf { year } => Period::SecondHalf { year: year - 1 },
            Period::SecondHalf { year } => Period::FirstHalf { year },
            Period::NineMonths { year } => Period::NineMonths { year: year - 1 },
            Period::Year { year } => Period::Year { year: year - 1 },
        }
    }

    /// A short code for URLs and forms: `2024-03`, `2024-Q1`, `2023-H1`, `2023-H2`,
    /// `2023-9M`, `2023`.
    pub fn code(&self) -> String {
        match *self {
            Period::Month { year, month } => format!("{year}-{month:02}"),
            Period::Quarter { year, quarter } => format!("{year}-Q{quarter}"),
            Period::FirstHalf { year } => format!("{year}-H1"),
            Period::SecondHalf { year } => format!("{year}-H2"),
            Period::NineMonths { year } => format!("{year}-9M"),
            Period::Year { year } => format!("{year}"),
        }
    }

    /// Reads a [`Period::code`]; `None` for anything else (including month 13).
    pub fn parse(code: &str) -> Option<Period> {
        let code = code.trim();
        let (year, rest) = match code.split_once('-') {
            Some((y, r)) => (y, Some(r)),
            None => (code, None),
        };
        if year.len() != 4 {
            return None;
        }
        let year: i32 = year.parse().ok()?;
        let p = match rest {
            None => Period::Year { year },
            Some("H1") | Some("h1") => Period::FirstHalf { year },
            Some("H2") | Some("h2") => Period::SecondHalf { year },
            Some("9M") | Some("9m") => Period::NineMonths { year },
            Some(r) if r.starts_with(['Q', 'q']) => Period::Quarter {
                year,
                quarter: r[1..].parse().ok()?,
            },
            Some(r) if r.len() == 2 => Period::Month {
                year,
                month: r.parse().ok()?,
            },
            _ => return None,
        };
        p.cutoff().map(|_| p)
    }
}

/// What kind of answer an indicator takes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Kind {
    /// A whole number ("1.414" is read as 1414).
    Integer,
    /// A decimal number ("12,5" is read as 12.5).
    Decimal,
    /// Có / Không.
    YesNo,
    /// One of the listed choices.
    Choice { choices: Vec<String> },
    /// Free text.
    Text,
    /// A repeating table: any number of rows (up to [`MAX_ROWS`]) of typed columns. A
    /// column may be of any kind except another table.
    Table { columns: Vec<Column> },
}

/// One column of a [`Kind::Table`] indicator; its cells are read and checked like an
/// indicator of the same kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Column {
    /// Short stable code (`so_nguoi`), unique within its table.
    pub code: String,
    pub label: String,
    #[cfg_attr(feature = "openapi", schema(no_recursion))]
    pub kind: Kind,
    #[serde(default)]
    pub unit: String,
    /// Must be filled in every row that is not left entirely blank.
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub min: Option<f64>,
    #[serde(default)]
    pub max: Option<f64>,
}

/// The most rows a table indicator takes in one answer.
pub const MAX_ROWS: usize = 200;

/// How the answers of many units are combined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Aggregation {
    Sum,
    Average,
    Min,
    Max,
    /// How many answered "Có".
    CountYes,
    /// Every text answer, with its unit.
    ListTexts,
    /// Every row of a table, with its unit.
    ListRows,
}

/// One indicator (chỉ tiêu) of a report template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Indicator {
    /// Short stable code (`so_hoi_nghi`), unique within a template.
    pub code: String,
    pub label: String,
    pub kind: Kind,
    /// Unit of measure: "cuộc", "người", "hộ", "%".
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub min: Option<f64>,
    #[serde(default)]
    pub max: Option<f64>,
    pub aggregation: Aggregation,
    /// Where danchu can fill the answer from its own data (the reporter can still
    /// change it).
    #[serde(default)]
    pub source: Option<Source>,
}

/// Data danchu already holds that can answer an indicator. Later capabilities (public
/// disclosures, consultations, feedback) add their own sources here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Source {
    /// How many articles the unit published on the portal within the data cut-off,
    /// optionally only in one category (by its slug).
    ArticlesPublished {
        #[serde(default)]
        category: Option<String>,
    },
    /// How many disclosures the unit posted within the data cut-off (issue 7), optionally
    /// only in one register category (by its code, `d11-02`) and only those posted on
    /// time (a recurring one by its due date, R10/R11).
    DisclosuresPosted {
        #[serde(default)]
        category: Option<String>,
        #[serde(default)]
        on_time: bool,
    },
}

impl Source {
    /// A short Vietnamese description for the form.
    pub fn describe_vi(&self) -> String {
        match self {
            Source::ArticlesPublished { category: None } => {
                "số bài viết đơn vị đã đăng trên cổng thông tin trong kỳ".into()
            }
            Source::ArticlesPublished { category: Some(c) } => {
                format!("số bài viết đơn vị đã đăng trong chuyên mục “{c}” trong kỳ")
            }
            Source::DisclosuresPosted { category, on_time } => format!(
                "số nội dung đơn vị đã công khai{}{} trong kỳ",
                category
                    .as_ref()
                    .map(|c| format!(" thuộc danh mục {c}"))
                    .unwrap_or_default(),
                if *on_time { " đúng hạn" } else { "" }
            ),
        }
    }
}

/// A comparison between two numeric indicators that every answer must satisfy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Compare {
    #[serde(rename = "<=")]
    Le,
    #[serde(rename = "<")]
    Lt,
    #[serde(rename = ">=")]
    Ge,
    #[serde(rename = ">")]
    Gt,
    #[serde(rename = "=")]
    Eq,
}

impl Compare {
    fn holds(self, a: f64, b: f64) -> bool {
        match self {
            Compare::Le => a <= b,
            Compare::Lt => a < b,
            Compare::Ge => a >= b,
            Compare::Gt => a > b,
            Compare::Eq => (a - b).abs() < 1e-9,
        }
    }

    fn words_vi(self) -> &'static str {
        match self {
            Compare::Le => "không được lớn hơn",
            Compare::Lt => "phải nhỏ hơn",
            Compare::Ge => "không được nhỏ hơn",
            Compare::Gt => "phải lớn hơn",
            Compare::Eq => "phải bằng",
        }
    }
}

/// A cross-field rule: `left op right` (e.g. `so_ho_tan_thanh <= tong_so_ho`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CrossRule {
    pub left: String,
    pub op: Compare,
    pub right: String,
}

/// A checked answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Value {
    Int(i64),
    Dec(f64),
    Bool(bool),
    Text(String),
    /// The filled rows of a table, each by column code (blank cells are left out).
    #[cfg_attr(feature = "openapi", schema(no_recursion))]
    Rows(Vec<BTreeMap<String, Value>>),
}

impl Value {
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Int(n) => Some(*n as f64),
            Value::Dec(x) => Some(*x),
            _ => None,
        }
    }
}

/// An error tied to one indicator, in Vietnamese.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub code: String,
    pub message: String,
}

/// Reads a whole number written the Vietnamese way: `1.414`, `1414`, `1 414`, `-3`.
pub fn parse_integer(s: &str) -> Option<i64> {
    let t: String = s.trim().chars().filter(|c| !c.is_whitespace()).collect();
    let digits = t.strip_prefix('-').unwrap_or(&t);
    if digits.is_empty() {
        return None;
    }
    // Dots are thousands separators only in groups of three.
    if digits.contains('.') {
        let mut groups = digits.split('.');
        let first = groups.next()?;
        if first.is_empty() || first.len() > 3 || groups.any(|g| g.len() != 3) {
            return None;
        }
    }
    let clean: String = t.chars().filter(|c| *c != '.').collect();
    clean.parse().ok()
}

/// Reads a decimal written the Vietnamese way: `12,5`, `1.414,25`, or `12.5` when the
/// dot cannot be a thousands separator.
pub fn parse_decimal(s: &str) -> Option<f64> {
    let t: String = s.trim().chars().filter(|c| !c.is_whitespace()).collect();
    if t.is_empty() {
        return None;
    }
    let normalised = if t.contains(',') {
        // Comma is the decimal mark; dots group thousands.
        let (int, frac) = t.split_once(',')?;
        if frac.contains([',', '.']) {
            return None;
        }
        format!("{}.{frac}", parse_integer(int)?)
    } else if let Some(n) = parse_integer(&t) {
        n.to_string()
    } else {
        t
    };
    let x: f64 = normalised.parse().ok()?;
    x.is_finite().then_some(x)
}

/// A number as Vietnamese officials write it: `1.414`, `12,5`, `33,33`.
pub fn format_value(x: f64) -> String {
    if (x - x.round()).abs() < 1e-9 {
        return crate::text::format_number(x.round() as i64);
    }
    let rounded = (x * 100.0).round() / 100.0;
    let int = rounded.trunc() as i64;
    let frac = ((rounded - int as f64).abs() * 100.0).round() as i64;
    let sign = if rounded < 0.0 && int == 0 { "-" } else { "" };
    let frac = format!("{frac:02}");
    format!(
        "{sign}{},{}",
        crate::text::format_number(int),
        frac.trim_end_matches('0')
    )
}

/// The typed-form key of one table cell: `{code}.{row}.{col}` with `row` counted from 0
/// (`ds_hoi_nghi.0.ngay`).
pub fn cell_key(code: &str, row: usize, col: &str) -> String {
    format!("{code}.{row}.{col}")
}

/// Every typed cell of table `code`: (row, text). Only keys written as [`cell_key`]
/// writes them count (`t.01.x`, `t.+1.x` and `t.1` do not).
fn typed_cells<'a>(typed: &'a BTreeMap<String, String>, code: &str) -> Vec<(usize, &'a str)> {
    let prefix = format!("{code}.");
    typed
        .range::<str, _>((Bound::Included(prefix.as_str()), Bound::Unbounded))
        .take_while(|(k, _)| k.starts_with(&prefix))
        .filter_map(|(k, v)| {
            let (row, col) = k.get(prefix.len()..)?.split_once('.')?;
            let n: usize = row.parse().ok()?;
            (!col.is_empty() && n.to_string() == row).then_some((n, v.as_str()))
        })
        .collect()
}

/// How many rows of table `code` the form holds: one more than the highest row index
/// typed (blank or not), at most [`MAX_ROWS`].
pub fn typed_rows(typed: &BTreeMap<String, String>, code: &str) -> usize {
    typed_cells(typed, code)
        .iter()
        .map(|(row, _)| row + 1)
        .max()
        .unwrap_or(0)
        .min(MAX_ROWS)
}

/// Longest text kept for one typed answer.
pub const MAX_TYPED: usize = 4000;

/// What is kept of a typed form: only the template's own fields (each indicator's code,
/// and for a table the cells of its columns in its first [`MAX_ROWS`] rows, plus one row
/// more so that an over-long table is still reported — blank rows at the end are
/// dropped), as NFC text of bounded length.
pub fn keep_fields(
    indicators: &[Indicator],
    typed: &BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    // One character more than allowed is kept, so the check refuses it by name instead
    // of the text being cut silently.
    let clean = |v: &String| {
        crate::text::nfc(v)
            .chars()
            .take(MAX_TYPED + 1)
            .collect::<String>()
    };
    let mut out = BTreeMap::new();
    for i in indicators {
        match &i.kind {
            Kind::Table { columns } => {
                // Blank rows after the last one with anything in it are the rows the form
                // offers for adding: not kept, so saving a form as it is changes nothing.
                let filled = typed_cells(typed, &i.code)
                    .iter()
                    .filter(|(_, v)| !v.trim().is_empty())
                    .map(|(row, _)| row + 1)
                    .max()
                    .unwrap_or(0);
                for row in 0..filled.min(MAX_ROWS + 1) {
                    for c in columns {
                        let key = cell_key(&i.code, row, &c.code);
                        if let Some(v) = typed.get(&key) {
                            out.insert(key, clean(v));
                        }
                    }
                }
            }
            _ => {
                if let Some(v) = typed.get(&i.code) {
                    out.insert(i.code.clone(), clean(v));
                }
            }
        }
    }
    out
}

/// Reads one typed answer — a plain indicator or a table cell — of `kind` and checks it
/// against `min`/`max`. `name` is how messages name the field (`“Tỷ lệ”`, or
/// `“Bảng hội nghị”, dòng 2, cột “Số người dự”`). `Ok(None)` when left blank and not
/// required; `Err` is the Vietnamese message.
fn read_field(
    kind: &Kind,
    required: bool,
    min: Option<f64>,
    max: Option<f64>,
    name: &str,
    raw: &str,
) -> Result<Option<Value>, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return if required {
            Err(format!("{name} là bắt buộc."))
        } else {
            Ok(None)
        };
    }
    if raw.chars().count() > MAX_TYPED {
        return Err(format!(
            "{name}: tối đa {} ký tự.",
            crate::text::format_number(MAX_TYPED as i64)
        ));
    }
    let value = match kind {
        Kind::Integer => Value::Int(parse_integer(raw).ok_or_else(|| {
            format!("{name} cần là số nguyên (ví dụ 1.414), không phải “{raw}”.")
        })?),
        Kind::Decimal => Value::Dec(
            parse_decimal(raw)
                .ok_or_else(|| format!("{name} cần là số (ví dụ 12,5), không phải “{raw}”."))?,
        ),
        Kind::YesNo => match crate::text::fold(raw).as_str() {
            "co" | "1" | "true" | "yes" => Value::Bool(true),
            "khong" | "0" | "false" | "no" => Value::Bool(false),
            _ => return Err(format!("{name}: hãy chọn Có hoặc Không.")),
        },
        Kind::Choice { choices } => match choices.iter().find(|c| c.as_str() == raw) {
            Some(c) => Value::Text(c.clone()),
            None => return Err(format!("{name}: hãy chọn một trong các phương án đã cho.")),
        },
        Kind::Text => Value::Text(crate::text::nfc(raw)),
        // Only a table inside a table gets here, which `TemplateBody::problems` refuses.
        Kind::Table { .. } => return Err(format!("{name}: không nhập được bảng trong bảng.")),
    };
    if let Some(x) = value.as_f64() {
        if let Some(min) = min.filter(|m| x < *m) {
            return Err(format!("{name} không được nhỏ hơn {}.", format_value(min)));
        }
        if let Some(max) = max.filter(|m| x > *m) {
            return Err(format!("{name} không được lớn hơn {}.", format_value(max)));
        }
    }
    Ok(Some(value))
}

/// Reads the rows of a table indicator: rows left entirely blank are skipped, every other
/// row's cells are read like indicators of their column's kind. `Ok(None)` when no row
/// is filled (and the table is optional); any cell error means no value at all.
fn read_table(
    ind: &Indicator,
    columns: &[Column],
    typed: &BTreeMap<String, String>,
) -> Result<Option<Vec<BTreeMap<String, Value>>>, Vec<FieldError>> {
    let mut errors = Vec::new();
    if typed_cells(typed, &ind.code)
        .iter()
        .any(|(row, v)| *row >= MAX_ROWS && !v.trim().is_empty())
    {
        errors.push(FieldError {
            code: ind.code.clone(),
            message: format!("“{}” có nhiều nhất {MAX_ROWS} dòng.", ind.label),
        });
    }
    let mut rows = Vec::new();
    for row in 0..typed_rows(typed, &ind.code) {
        let cells: Vec<(&Column, String, &str)> = columns
            .iter()
            .map(|c| {
                let key = cell_key(&ind.code, row, &c.code);
                let raw = typed.get(&key).map(String::as_str).unwrap_or("");
                (c, key, raw)
            })
            .collect();
        if cells.iter().all(|(_, _, raw)| raw.trim().is_empty()) {
            continue;
        }
        let mut cells_read = BTreeMap::new();
        for (col, key, raw) in cells {
            let name = format!("“{}”, dòng {}, cột “{}”", ind.label, row + 1, col.label);
            match read_field(&col.kind, col.required, col.min, col.max, &name, raw) {
                Ok(Some(v)) => {
                    cells_read.insert(col.code.clone(), v);
                }
                Ok(None) => {}
                Err(message) => errors.push(FieldError { code: key, message }),
            }
        }
        rows.push(cells_read);
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if rows.is_empty() && ind.required {
        return Err(vec![FieldError {
            code: ind.code.clone(),
            message: format!("“{}” là bắt buộc: hãy nhập ít nhất một dòng.", ind.label),
        }]);
    }
    Ok((!rows.is_empty()).then_some(rows))
}

/// Checks what a reporter typed against the template. Returns the values read (only for
/// indicators that passed) and every error, each tied to its indicator (or, for a table,
/// to the cell's [`cell_key`]), in Vietnamese. Nothing typed is thrown away by the
/// caller: errors are shown next to the typed text.
pub fn validate(
    indicators: &[Indicator],
    rules: &[CrossRule],
    typed: &BTreeMap<String, String>,
) -> (BTreeMap<String, Value>, Vec<FieldError>) {
    let mut values = BTreeMap::new();
    let mut errors = Vec::new();
    for ind in indicators {
        let read = match &ind.kind {
            Kind::Table { columns } => match read_table(ind, columns, typed) {
                Ok(rows) => rows.map(Value::Rows),
                Err(errs) => {
                    errors.extend(errs);
                    continue;
                }
            },
            kind => {
                let raw = typed.get(&ind.code).map(String::as_str).unwrap_or("");
                let name = format!("“{}”", ind.label);
                match read_field(kind, ind.required, ind.min, ind.max, &name, raw) {
                    Ok(v) => v,
                    Err(message) => {
                        errors.push(FieldError {
                            code: ind.code.clone(),
                            message,
                        });
                        continue;
                    }
                }
            }
        };
        if let Some(value) = read {
            values.insert(ind.code.clone(), value);
        }
    }
    let label = |code: &str| {
        indicators
            .iter()
            .find(|i| i.code == code)
            .map(|i| i.label.clone())
            .unwrap_or_else(|| code.to_string())
    };
    for r in rules {
        let (Some(a), Some(b)) = (
            values.get(&r.left).and_then(Value::as_f64),
            values.get(&r.right).and_then(Value::as_f64),
        ) else {
            continue; // a missing or wrong value already has its own error
        };
        if !r.op.holds(a, b) {
            errors.push(FieldError {
                code: r.left.clone(),
                message: format!(
                    "“{}” ({}) {} “{}” ({}).",
                    label(&r.left),
                    format_value(a),
                    r.op.words_vi(),
                    label(&r.right),
                    format_value(b)
                ),
            });
            values.remove(&r.left);
        }
    }
    (values, errors)
}

/// The combined answer of many units for one indicator.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Aggregate {
    Number(f64),
    Count(i64),
    /// (unit name, text) in the order given.
    Texts(Vec<(String, String)>),
    /// (unit name, row) in the order given.
    Rows(Vec<(String, BTreeMap<String, Value>)>),
    /// Nobody answered.
    Empty,
}

impl Aggregate {
    /// As shown in tables and exports.
    pub fn display(&self) -> String {
        match self {
            Aggregate::Number(x) => format_value(*x),
            Aggregate::Count(n) => crate::text::format_number(*n),
            Aggregate::Texts(t) => t
                .iter()
                .map(|(u, s)| format!("{u}: {s}"))
                .collect::<Vec<_>>()
                .join("\n"),
            Aggregate::Rows(r) => r
                .iter()
                .map(|(u, row)| format!("{u}: {}", display_row(row)))
                .collect::<Vec<_>>()
                .join("\n"),
            Aggregate::Empty => "—".to_string(),
        }
    }

    /// As [`Aggregate::display`], with a table's cells in the order of its columns.
    pub fn display_for(&self, kind: &Kind) -> String {
        match (self, kind) {
            (Aggregate::Rows(r), Kind::Table { columns }) => r
                .iter()
                .map(|(u, row)| format!("{u}: {}", row_in_order(columns, row)))
                .collect::<Vec<_>>()
                .join("\n"),
            _ => self.display(),
        }
    }
}

/// An answer as shown to people, with a table's cells in the order of its columns.
pub fn display_for(kind: &Kind, v: &Value) -> String {
    match (kind, v) {
        (Kind::Table { columns }, Value::Rows(rows)) => rows
            .iter()
            .map(|r| row_in_order(columns, r))
            .collect::<Vec<_>>()
            .join("\n"),
        _ => display_value(v),
    }
}

/// A table row's cells in column order (blank cells shown as "—"), joined by ` – `.
fn row_in_order(columns: &[Column], row: &BTreeMap<String, Value>) -> String {
    columns
        .iter()
        .map(|c| row.get(&c.code).map_or("—".to_string(), display_value))
        .collect::<Vec<_>>()
        .join(" – ")
}

/// An answer as shown in tables and exports: `1.414`, `12,5`, `Có`/`Không`, the text as
/// typed; a table's rows one per line, cells joined by ` – `.
pub fn display_value(v: &Value) -> String {
    match v {
        Value::Int(n) => crate::text::format_number(*n),
        Value::Dec(x) => format_value(*x),
        Value::Bool(true) => "Có".to_string(),
        Value::Bool(false) => "Không".to_string(),
        Value::Text(t) => t.clone(),
        Value::Rows(rows) => rows.iter().map(display_row).collect::<Vec<_>>().join("\n"),
    }
}

/// One table row's filled cells, in column-code order, joined by ` – `.
fn display_row(row: &BTreeMap<String, Value>) -> String {
    row.values()
        .map(display_value)
        .collect::<Vec<_>>()
        .join(" – ")
}

/// The total of each numeric (integer or decimal) column over `rows` (unit name, row),
/// by column code; a column with no number in any row has no total.
pub fn column_totals(
    columns: &[Column],
    rows: &[(String, BTreeMap<String, Value>)],
) -> BTreeMap<String, f64> {
    columns
        .iter()
        .filter(|c| matches!(c.kind, Kind::Integer | Kind::Decimal))
        .filter_map(|c| {
            let numbers: Vec<f64> = rows
                .iter()
                .filter_map(|(_, row)| row.get(&c.code).and_then(Value::as_f64))
                .collect();
            (!numbers.is_empty()).then(|| (c.code.clone(), numbers.iter().sum()))
        })
        .collect()
}

/// Combines the answers of many units (unit name, value) by the indicator's rule.
pub fn aggregate(rule: Aggregation, answers: &[(String, Value)]) -> Aggregate {
    let numbers: Vec<f64> = answers.iter().filter_map(|(_, v)| v.as_f64()).collect();
    match rule {
        Aggregation::Sum if !numbers.is_empty() => Aggregate::Number(numbers.iter().sum()),
        Aggregation::Average if !numbers.is_empty() => {
            Aggregate::Number(numbers.iter().sum::<f64>() / numbers.len() as f64)
        }
        Aggregation::Min if !numbers.is_empty() => {
            Aggregate::Number(numbers.iter().copied().fold(f64::INFINITY, f64::min))
        }
        Aggregation::Max if !numbers.is_empty() => {
            Aggregate::Number(numbers.iter().copied().fold(f64::NEG_INFINITY, f64::max))
        }
        Aggregation::CountYes => Aggregate::Count(
            answers
                .iter()
                .filter(|(_, v)| *v == Value::Bool(true))
                .count() as i64,
        ),
        Aggregation::ListTexts => {
            let texts: Vec<(String, String)> = answers
                .iter()
                .filter_map(|(u, v)| match v {
                    Value::Text(t) if !t.is_empty() => Some((u.clone(), t.clone())),
                    _ => None,
                })
                .collect();
            if texts.is_empty() {
                Aggregate::Empty
            } else {
                Aggregate::Texts(texts)
            }
        }
        Aggregation::ListRows => {
            let rows: Vec<(String, BTreeMap<String, Value>)> = answers
                .iter()
                .flat_map(|(u, v)| match v {
                    Value::Rows(rows) => rows.iter().map(|r| (u.clone(), r.clone())).collect(),
                    _ => Vec::new(),
                })
                .collect();
            if rows.is_empty() {
                Aggregate::Empty
            } else {
                Aggregate::Rows(rows)
            }
        }
        _ => Aggregate::Empty,
    }
}

/// Where a unit's submission for a round stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Status {
    /// Being filled in; not yet sent.
    Draft,
    /// Sent, waiting for Phòng Nội vụ.
    Submitted,
    /// Taken in by Phòng Nội vụ (final).
    Accepted,
    /// Sent back with a reason; the unit corrects and submits again.
    Returned,
}

impl Status {
    pub fn code(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Submitted => "submitted",
            Status::Accepted => "accepted",
            Status::Returned => "returned",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        [
            Status::Draft,
            Status::Submitted,
            Status::Accepted,
            Status::Returned,
        ]
        .into_iter()
        .find(|x| x.code() == s)
    }

    pub fn name_vi(self) -> &'static str {
        match self {
            Status::Draft => "Đang soạn",
            Status::Submitted => "Đã nộp",
            Status::Accepted => "Đã tiếp nhận",
            Status::Returned => "Bị trả lại",
        }
    }
}

/// What someone does to a submission.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The unit's reporter saves what is typed so far.
    SaveDraft,
    /// The reporter sends it (again, after a return).
    Submit,
    /// Phòng Nội vụ takes it in.
    Accept,
    /// Phòng Nội vụ sends it back, with a reason.
    Return,
}

/// The status after `step`, or why the step is not allowed (in Vietnamese). A
/// submission that does not exist yet is `None`. A returned report must be submitted
/// again before it can be accepted; an accepted one is final.
pub fn next_status(now: Option<Status>, step: Step) -> Result<Status, &'static str> {
    use Status::*;
    match (now, step) {
        (None | Some(Draft) | Some(Returned), Step::SaveDraft) => Ok(Draft),
        (None | Some(Draft) | Some(Returned), Step::Submit) => Ok(Submitted),
        (Some(Submitted), Step::Accept) => Ok(Accepted),
        (Some(Submitted), Step::Return) => Ok(Returned),
        (Some(Accepted), _) => Err("Báo cáo đã được tiếp nhận, không thay đổi được nữa."),
        (Some(Returned), Step::Accept) => {
            Err("Báo cáo bị trả lại phải được đơn vị nộp lại trước khi tiếp nhận.")
        }
        (Some(Returned), Step::Return) => Err("Báo cáo đã bị trả lại, đang chờ đơn vị nộp lại."),
        (Some(Submitted), Step::SaveDraft | Step::Submit) => {
            Err("Báo cáo đã nộp, đang chờ xem xét; chỉ sửa được khi bị trả lại.")
        }
        (None | Some(Draft), Step::Accept | Step::Return) => Err("Báo cáo chưa được nộp."),
    }
}

/// A report template's content: its sections of indicators and its cross-field rules.
/// Stored as JSON with each template version; a version is never changed once used.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TemplateBody {
    pub sections: Vec<Section>,
    #[serde(default)]
    pub rules: Vec<CrossRule>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Section {
    pub title: String,
    pub indicators: Vec<Indicator>,
}

impl TemplateBody {
    /// Every indicator, in order.
    pub fn indicators(&self) -> Vec<Indicator> {
        self.sections
            .iter()
            .flat_map(|s| s.indicators.iter().cloned())
            .collect()
    }

    /// Problems that make the template unusable (duplicate or empty codes, rules naming
    /// unknown or non-numeric indicators — a table is not numeric —, tables without
    /// proper columns, a table not listed row by row or rows listed for a non-table), in
    /// Vietnamese.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        let inds = self.indicators();
        let mut seen = std::collections::BTreeSet::new();
        for i in &inds {
            if i.code.trim().is_empty() || i.label.trim().is_empty() {
                out.push("Mỗi chỉ tiêu cần có mã và tên.".to_string());
            } else if !seen.insert(i.code.as_str()) {
                out.push(format!("Mã chỉ tiêu “{}” bị trùng.", i.code));
            }
            match &i.kind {
                Kind::Table { columns } => {
                    table_problems(i, columns, &mut out);
                    if i.aggregation != Aggregation::ListRows {
                        out.push(format!(
                            "Chỉ tiêu dạng bảng “{}” chỉ tổng hợp được bằng cách liệt kê các dòng.",
                            i.label
                        ));
                    }
                }
                _ if i.aggregation == Aggregation::ListRows => out.push(format!(
                    "Chỉ tiêu “{}”: liệt kê các dòng chỉ dùng cho chỉ tiêu dạng bảng.",
                    i.label
                )),
                _ => {}
            }
        }
        let numeric = |code: &str| {
            inds.iter()
                .any(|i| i.code == code && matches!(i.kind, Kind::Integer | Kind::Decimal))
        };
        for r in &self.rules {
            for code in [&r.left, &r.right] {
                if !numeric(code) {
                    out.push(format!(
                        "Quy tắc so sánh dùng “{code}”, không phải chỉ tiêu dạng số của mẫu."
                    ));
                }
            }
        }
        out
    }
}

/// Problems of one table indicator's columns (and of its code, which prefixes its
/// cells' typed keys), in Vietnamese.
fn table_problems(ind: &Indicator, columns: &[Column], out: &mut Vec<String>) {
    let table = &ind.label;
    if ind.code.contains('.') {
        out.push(format!(
            "Mã chỉ tiêu dạng bảng “{}” không được chứa dấu chấm.",
            ind.code
        ));
    }
    if ind.source.is_some() {
        out.push(format!(
            "Chỉ tiêu dạng bảng “{table}” không lấy được số liệu có sẵn."
        ));
    }
    if columns.is_empty() {
        out.push(format!("Bảng “{table}” cần có ít nhất một cột."));
    }
    let mut codes = std::collections::BTreeSet::new();
    let mut labels = std::collections::BTreeSet::new();
    for c in columns {
        let (code, label) = (c.code.trim(), c.label.trim());
        if code.is_empty() || label.is_empty() {
            out.push(format!("Mỗi cột của bảng “{table}” cần có mã và tên."));
        } else {
            if !codes.insert(code) {
                out.push(format!("Mã cột “{code}” của bảng “{table}” bị trùng."));
            }
            if !labels.insert(label) {
                out.push(format!("Tên cột “{label}” của bảng “{table}” bị trùng."));
            }
        }
        if c.code.contains('.') {
            out.push(format!(
                "Mã cột “{}” của bảng “{table}” không được chứa dấu chấm.",
                c.code
            ));
        }
        if matches!(c.kind, Kind::Table { .. }) {
            out.push(format!(
                "Cột “{}” của bảng “{table}” không được là một bảng.",
                c.label
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn frequency_codes_are_what_serde_stores_and_nothing_else_reads() {
        for f in Frequency::ALL {
            assert_eq!(serde_json::to_value(f).unwrap(), f.code(), "{f:?}");
            assert_eq!(Frequency::parse(f.code()), Some(f));
        }
        assert_eq!(Frequency::parse("bogus"), None);
        assert_eq!(Frequency::parse("Monthly"), None);
        assert_eq!(Frequency::parse(""), None);
    }

    #[test]
    fn only_the_templates_fields_are_kept() {
        let col = Column {
            code: "so".into(),
            label: "Số".into(),
            kind: Kind::Integer,
            unit: String::new(),
            required: false,
            min: None,
            max: None,
        };
        let inds = vec![
            Indicator {
                code: "t".into(),
                label: "Bảng".into(),
                kind: Kind::Table { columns: vec![col] },
                unit: String::new(),
                required: false,
                min: None,
                max: None,
                aggregation: Aggregation::ListRows,
                source: None,
            },
            Indicator {
                code: "x".into(),
                label: "X".into(),
                kind: Kind::Text,
                unit: String::new(),
                required: false,
                min: None,
                max: None,
                aggregation: Aggregation::ListTexts,
                source: None,
            },
        ];
        let typed: BTreeMap<String, String> = [
            ("t.0.so", "1"),
            ("t.1.khac", "2"),
            ("t.2.so", "3"),
            ("x", "Hoa\u{300}"),
            ("_csrf", "abc"),
            ("y", "4"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let kept = keep_fields(&inds, &typed);
        assert_eq!(
            kept.keys().collect::<Vec<_>>(),
            ["t.0.so", "t.2.so", "x"],
            "unknown fields and columns dropped"
        );
        assert_eq!(kept["x"], "Hoà", "NFC");
        // Over-long text is not cut: one character more is kept, and the check refuses it.
        let long: BTreeMap<String, String> = [("x".to_string(), "a".repeat(5000))].into();
        assert_eq!(keep_fields(&inds, &long)["x"].len(), MAX_TYPED + 1);
    }

    #[test]
    fn tables_show_their_cells_in_column_order() {
        let col = |code: &str, kind: Kind| Column {
            code: code.into(),
            label: code.into(),
            kind,
            unit: String::new(),
            required: false,
            min: None,
            max: None,
        };
        let kind = Kind::Table {
            columns: vec![col("z_ten", Kind::Text), col("a_so", Kind::Integer)],
        };
        let row: BTreeMap<String, Value> = [
            ("z_ten".to_string(), Value::Text("Ấp Bàu Khai".into())),
            ("a_so".to_string(), Value::Int(1414)),
        ]
        .into_iter()
        .collect();
        let half: BTreeMap<String, Value> =
            [("a_so".to_string(), Value::Int(3))].into_iter().collect();
        let v = Value::Rows(vec![row.clone(), half]);
        assert_eq!(display_for(&kind, &v), "Ấp Bàu Khai – 1.414\n— – 3");
        assert_eq!(display_for(&Kind::Integer, &Value::Int(1414)), "1.414");
        let agg = Aggregate::Rows(vec![("Xã An Lập".into(), row)]);
        assert_eq!(agg.display_for(&kind), "Xã An Lập: Ấp Bàu Khai – 1.414");
    }

    #[test]
    fn r30_cutoff_windows_follow_decree_09() {
        let cases = [
            (
                Period::Month {
                    year: 2024,
                    month: 3,
                },
                date!(2024 - 02 - 15),
                date!(2024 - 03 - 14),
            ),
            // January reaches back into the previous year.
            (
                Period::Month {
                    year: 2024,
                    month: 1,
                },
                date!(2023 - 12 - 15),
                date!(2024 - 01 - 14),
            ),
            (
                Period::Quarter {
                    year: 2023,
                    quarter: 1,
                },
                date!(2022 - 12 - 15),
                date!(2023 - 03 - 14),
            ),
            (
                Period::Quarter {
                    year: 2023,
                    quarter: 3,
                },
                date!(2023 - 06 - 15),
                date!(2023 - 09 - 14),
            ),
            (
                Period::Quarter {
                    year: 2023,
                    quarter: 4,
                },
                date!(2023 - 09 - 15),
                date!(2023 - 12 - 14),
            ),
            (
                Period::FirstHalf { year: 2023 },
                date!(2022 - 12 - 15),
                date!(2023 - 06 - 14),
            ),
            (
                Period::SecondHalf { year: 2023 },
                date!(2023 - 06 - 15),
                date!(2023 - 12 - 14),
            ),
            (
                Period::NineMonths { year: 2023 },
                date!(2022 - 12 - 15),
                date!(2023 - 09 - 14),
            ),
            (
                Period::Year { year: 2024 },
                date!(2023 - 12 - 15),
                date!(2024 - 12 - 14),
            ),
        ];
        for (p, from, to) in cases {
            assert_eq!(p.cutoff(), Some((from, to)), "{}", p.name_vi());
        }
        assert_eq!(
            Period::Month {
                year: 2024,
                month: 13
            }
            .cutoff(),
            None
        );
        assert_eq!(
            Period::Quarter {
                year: 2024,
                quarter: 0
            }
            .cutoff(),
            None
        );
    }

    #[test]
    fn periods_have_names_codes_and_neighbours() {
        let q1 = Period::Quarter {
            year: 2024,
            quarter: 1,
        };
        assert_eq!(q1.name_vi(), "Quý I/2024");
        assert_eq!(
            q1.previous(),
            Period::Quarter {
                year: 2023,
                quarter: 4
            }
        );
        assert_eq!(
            q1.a_year_before(),
            Period::Quarter {
                year: 2023,
                quarter: 1
            }
        );
        assert_eq!(
            Period::FirstHalf { year: 2023 }.previous(),
            Period::SecondHalf { year: 2022 }
        );
        assert_eq!(
            Period::FirstHalf { year: 2023 }.name_vi(),
            "6 tháng đầu năm 2023"
        );
        for p in [
            q1,
            Period::Month {
                year: 2024,
                month: 1,
            },
            Period::FirstHalf { year: 2023 },
            Period::SecondHalf { year: 2023 },
            Period::NineMonths { year: 2023 },
            Period::Year { year: 2023 },
        ] {
            assert_eq!(Period::parse(&p.code()), Some(p), "{}", p.code());
        }
        for bad in ["2024-13", "2024-Q5", "24", "2024-X", "", "2024-Q", "abcd"] {
            assert_eq!(Period::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn vietnamese_numbers_are_read_and_written() {
        assert_eq!(parse_integer("1.414"), Some(1414));
        assert_eq!(parse_integer("1 414"), Some(1414));
        assert_eq!(parse_integer("-3"), Some(-3));
        assert_eq!(parse_integer("1.41"), None, "not a thousands group");
        assert_eq!(parse_integer("12,5"), None);
        assert_eq!(parse_integer("abc"), None);
        assert_eq!(parse_decimal("12,5"), Some(12.5));
        assert_eq!(parse_decimal("1.414,25"), Some(1414.25));
        assert_eq!(parse_decimal("12.5"), Some(12.5));
        assert_eq!(parse_decimal("1.414"), Some(1414.0));
        assert_eq!(parse_decimal("1e400"), None, "not finite");
        assert_eq!(format_value(1414.0), "1.414");
        assert_eq!(format_value(12.5), "12,5");
        assert_eq!(format_value(100.0 / 3.0), "33,33");
        assert_eq!(format_value(-0.5), "-0,5");
    }

    fn template() -> (Vec<Indicator>, Vec<CrossRule>) {
        let ind = |code: &str, label: &str, kind: Kind, agg: Aggregation| Indicator {
            code: code.into(),
            label: label.into(),
            kind,
            unit: String::new(),
            required: true,
            min: Some(0.0),
            max: None,
            aggregation: agg,
            source: None,
        };
        (
            vec![
                ind("tong_so_ho", "Tổng số hộ", Kind::Integer, Aggregation::Sum),
                ind(
                    "so_ho_tan_thanh",
                    "Số hộ tán thành",
                    Kind::Integer,
                    Aggregation::Sum,
                ),
                Indicator {
                    max: Some(100.0),
                    ..ind("ty_le", "Tỷ lệ", Kind::Decimal, Aggregation::Average)
                },
                ind(
                    "co_ban_ttnd",
                    "Có Ban TTND",
                    Kind::YesNo,
                    Aggregation::CountYes,
                ),
                Indicator {
                    required: false,
                    ..ind("ghi_chu", "Ghi chú", Kind::Text, Aggregation::ListTexts)
                },
            ],
            vec![CrossRule {
                left: "so_ho_tan_thanh".into(),
                op: Compare::Le,
                right: "tong_so_ho".into(),
            }],
        )
    }

    fn typed(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn answers_are_checked_per_field_in_vietnamese() {
        let (inds, rules) = template();
        let (values, errors) = validate(
            &inds,
            &rules,
            &typed(&[
                ("tong_so_ho", "1.200"),
                ("so_ho_tan_thanh", "1.050"),
                ("ty_le", "87,5"),
                ("co_ban_ttnd", "Có"),
            ]),
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(values["tong_so_ho"], Value::Int(1200));
        assert_eq!(values["ty_le"], Value::Dec(87.5));
        assert_eq!(values["co_ban_ttnd"], Value::Bool(true));
        // Every kind of mistake names its field.
        let (_, errors) = validate(
            &inds,
            &rules,
            &typed(&[
                ("tong_so_ho", "mười"),
                ("ty_le", "120"),
                ("co_ban_ttnd", "có lẽ"),
            ]),
        );
        let by_code: BTreeMap<&str, &str> = errors
            .iter()
            .map(|e| (e.code.as_str(), e.message.as_str()))
            .collect();
        assert!(by_code["tong_so_ho"].contains("cần là số nguyên"));
        assert!(by_code["so_ho_tan_thanh"].contains("bắt buộc"));
        assert!(by_code["ty_le"].contains("không được lớn hơn 100"));
        assert!(by_code["co_ban_ttnd"].contains("Có hoặc Không"));
        assert!(!by_code.contains_key("ghi_chu"), "optional");
    }

    #[test]
    fn cross_field_rule_tan_thanh_at_most_tong_so_ho() {
        let (inds, rules) = template();
        let (values, errors) = validate(
            &inds,
            &rules,
            &typed(&[
                ("tong_so_ho", "100"),
                ("so_ho_tan_thanh", "120"),
                ("ty_le", "50"),
                ("co_ban_ttnd", "Không"),
            ]),
        );
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].code, "so_ho_tan_thanh");
        assert_eq!(
            errors[0].message,
            "“Số hộ tán thành” (120) không được lớn hơn “Tổng số hộ” (100)."
        );
        assert!(!values.contains_key("so_ho_tan_thanh"));
    }

    #[test]
    fn answers_of_many_units_are_aggregated_by_rule() {
        let v = |u: &str, v: Value| (u.to_string(), v);
        let nums = [
            v("Xã An Lập", Value::Int(10)),
            v("Xã Long Hòa", Value::Int(30)),
            v("Xã Minh Hòa", Value::Dec(5.0)),
        ];
        assert_eq!(aggregate(Aggregation::Sum, &nums), Aggregate::Number(45.0));
        assert_eq!(
            aggregate(Aggregation::Average, &nums),
            Aggregate::Number(15.0)
        );
        assert_eq!(aggregate(Aggregation::Min, &nums), Aggregate::Number(5.0));
        assert_eq!(aggregate(Aggregation::Max, &nums), Aggregate::Number(30.0));
        assert_eq!(aggregate(Aggregation::Sum, &[]), Aggregate::Empty);
        let yes = [
            v("A", Value::Bool(true)),
            v("B", Value::Bool(false)),
            v("C", Value::Bool(true)),
        ];
        assert_eq!(aggregate(Aggregation::CountYes, &yes), Aggregate::Count(2));
        let texts = [
            v("Xã An Lập", Value::Text("Đã họp dân".into())),
            v("Xã Long Hòa", Value::Text(String::new())),
        ];
        let t = aggregate(Aggregation::ListTexts, &texts);
        assert_eq!(t.display(), "Xã An Lập: Đã họp dân");
        assert_eq!(Aggregate::Number(1414.0).display(), "1.414");
    }

    #[test]
    fn submission_workflow_and_its_forbidden_steps() {
        use Status::*;
        assert_eq!(next_status(None, Step::SaveDraft), Ok(Draft));
        assert_eq!(next_status(Some(Draft), Step::Submit), Ok(Submitted));
        assert_eq!(next_status(Some(Submitted), Step::Return), Ok(Returned));
        assert_eq!(next_status(Some(Returned), Step::SaveDraft), Ok(Draft));
        assert_eq!(next_status(Some(Returned), Step::Submit), Ok(Submitted));
        assert_eq!(next_status(Some(Submitted), Step::Accept), Ok(Accepted));
        // A returned report cannot be accepted without resubmission.
        assert!(next_status(Some(Returned), Step::Accept)
            .unwrap_err()
            .contains("nộp lại"));
        for step in [Step::SaveDraft, Step::Submit, Step::Accept, Step::Return] {
            assert!(
                next_status(Some(Accepted), step).is_err(),
                "accepted is final"
            );
        }
        assert!(next_status(None, Step::Accept).is_err());
        assert!(next_status(Some(Draft), Step::Return).is_err());
        assert!(next_status(Some(Submitted), Step::SaveDraft).is_err());
        for s in [Draft, Submitted, Accepted, Returned] {
            assert_eq!(Status::parse(s.code()), Some(s));
        }
    }

    #[test]
    fn templates_are_checked_before_use() {
        let (inds, rules) = template();
        let ok = TemplateBody {
            sections: vec![Section {
                title: "I. Kết quả".into(),
                indicators: inds.clone(),
            }],
            rules: rules.clone(),
        };
        assert!(ok.problems().is_empty(), "{:?}", ok.problems());
        let json = serde_json::to_string(&ok).unwrap();
        assert_eq!(serde_json::from_str::<TemplateBody>(&json).unwrap(), ok);
        let mut dup = ok.clone();
        dup.sections[0].indicators.push(inds[0].clone());
        dup.rules.push(CrossRule {
            left: "ghi_chu".into(),
            op: Compare::Le,
            right: "khong_co".into(),
        });
        let p = dup.problems();
        assert!(p.iter().any(|m| m.contains("bị trùng")), "{p:?}");
        assert!(p.iter().any(|m| m.contains("ghi_chu")), "{p:?}");
        assert!(p.iter().any(|m| m.contains("khong_co")), "{p:?}");
    }

    fn col(code: &str, label: &str, kind: Kind, required: bool) -> Column {
        Column {
            code: code.into(),
            label: label.into(),
            kind,
            unit: String::new(),
            required,
            min: None,
            max: None,
        }
    }

    fn hoi_nghi() -> Indicator {
        Indicator {
            code: "ds_hoi_nghi".into(),
            label: "Bảng hội nghị".into(),
            kind: Kind::Table {
                columns: vec![
                    col("ngay", "Ngày", Kind::Text, true),
                    Column {
                        unit: "người".into(),
                        min: Some(0.0),
                        ..col("so_nguoi", "Số người dự", Kind::Integer, true)
                    },
                    Column {
                        max: Some(100.0),
                        ..col("ty_le", "Tỷ lệ", Kind::Decimal, false)
                    },
                    col("truc_tuyen", "Trực tuyến", Kind::YesNo, false),
                ],
            },
            unit: String::new(),
            required: true,
            min: None,
            max: None,
            aggregation: Aggregation::ListRows,
            source: None,
        }
    }

    fn columns(ind: &Indicator) -> Vec<Column> {
        match &ind.kind {
            Kind::Table { columns } => columns.clone(),
            _ => Vec::new(),
        }
    }

    #[test]
    fn table_cells_are_keyed_by_row_and_column() {
        assert_eq!(cell_key("ds_hoi_nghi", 0, "ngay"), "ds_hoi_nghi.0.ngay");
        let t = typed(&[
            ("ds_hoi_nghi.0.ngay", "x"),
            ("ds_hoi_nghi.3.so_nguoi", ""),
            ("ds_hoi_nghi.07.ngay", "not canonical"),
            ("ds_hoi_nghi.9", "no column"),
            ("ds_hoi_nghi_khac.12.ngay", "another table"),
        ]);
        assert_eq!(typed_rows(&t, "ds_hoi_nghi"), 4, "blank cells count too");
        assert_eq!(typed_rows(&t, "khong_co"), 0);
    }

    #[test]
    fn table_rows_are_read_and_blank_rows_skipped() {
        let ind = hoi_nghi();
        let (values, errors) = validate(
            std::slice::from_ref(&ind),
            &[],
            &typed(&[
                ("ds_hoi_nghi.0.ngay", "05/03/2024"),
                ("ds_hoi_nghi.0.so_nguoi", "1.414"),
                ("ds_hoi_nghi.0.ty_le", "87,5"),
                ("ds_hoi_nghi.0.truc_tuyen", "Có"),
                // Row 2 left blank (the form sends its empty inputs).
                ("ds_hoi_nghi.1.ngay", " "),
                ("ds_hoi_nghi.1.so_nguoi", ""),
                ("ds_hoi_nghi.2.ngay", "12/03/2024"),
                ("ds_hoi_nghi.2.so_nguoi", "30"),
            ]),
        );
        assert!(errors.is_empty(), "{errors:?}");
        let row = |cells: &[(&str, Value)]| -> BTreeMap<String, Value> {
            cells
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect()
        };
        assert_eq!(
            values["ds_hoi_nghi"],
            Value::Rows(vec![
                row(&[
                    ("ngay", Value::Text("05/03/2024".into())),
                    ("so_nguoi", Value::Int(1414)),
                    ("ty_le", Value::Dec(87.5)),
                    ("truc_tuyen", Value::Bool(true)),
                ]),
                row(&[
                    ("ngay", Value::Text("12/03/2024".into())),
                    ("so_nguoi", Value::Int(30)),
                ]),
            ])
        );
    }

    #[test]
    fn table_cell_errors_name_row_and_column() {
        let ind = hoi_nghi();
        let (values, errors) = validate(
            std::slice::from_ref(&ind),
            &[],
            &typed(&[
                ("ds_hoi_nghi.0.ngay", "05/03/2024"),
                ("ds_hoi_nghi.0.so_nguoi", "40"),
                ("ds_hoi_nghi.1.ngay", "12/03/2024"),
                ("ds_hoi_nghi.1.so_nguoi", "abc"),
                ("ds_hoi_nghi.1.ty_le", "120"),
                // Required "Ngày" missing in a row that is not blank.
                ("ds_hoi_nghi.2.so_nguoi", "12"),
            ]),
        );
        assert!(!values.contains_key("ds_hoi_nghi"), "no value with errors");
        let by_code: BTreeMap<&str, &str> = errors
            .iter()
            .map(|e| (e.code.as_str(), e.message.as_str()))
            .collect();
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert_eq!(
            by_code[cell_key("ds_hoi_nghi", 1, "so_nguoi").as_str()],
            "“Bảng hội nghị”, dòng 2, cột “Số người dự” cần là số nguyên (ví dụ 1.414), \
             không phải “abc”."
        );
        assert_eq!(
            by_code["ds_hoi_nghi.1.ty_le"],
            "“Bảng hội nghị”, dòng 2, cột “Tỷ lệ” không được lớn hơn 100."
        );
        assert_eq!(
            by_code["ds_hoi_nghi.2.ngay"],
            "“Bảng hội nghị”, dòng 3, cột “Ngày” là bắt buộc."
        );
    }

    #[test]
    fn a_required_table_needs_a_row_and_rows_are_capped() {
        let ind = hoi_nghi();
        let inds = std::slice::from_ref(&ind);
        let (values, errors) = validate(inds, &[], &typed(&[("ds_hoi_nghi.0.ngay", "")]));
        assert!(values.is_empty());
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].code, "ds_hoi_nghi");
        assert!(errors[0].message.contains("ít nhất một dòng"), "{errors:?}");
        // Optional and empty: neither value nor error.
        let optional = Indicator {
            required: false,
            ..hoi_nghi()
        };
        let (values, errors) = validate(std::slice::from_ref(&optional), &[], &typed(&[]));
        assert!(values.is_empty() && errors.is_empty());
        // At most MAX_ROWS rows are read; a filled row beyond them is an error, not lost.
        let far = cell_key("ds_hoi_nghi", 100_000, "ngay");
        let blank_far = typed(&[(far.as_str(), "")]);
        assert_eq!(typed_rows(&blank_far, "ds_hoi_nghi"), MAX_ROWS);
        let mut many: BTreeMap<String, String> = (0..MAX_ROWS)
            .flat_map(|r| {
                [
                    (
                        cell_key("ds_hoi_nghi", r, "ngay"),
                        format!("{}/3", r % 28 + 1),
                    ),
                    (cell_key("ds_hoi_nghi", r, "so_nguoi"), r.to_string()),
                ]
            })
            .collect();
        let (values, errors) = validate(inds, &[], &many);
        assert!(errors.is_empty(), "{errors:?}");
        assert!(matches!(&values["ds_hoi_nghi"], Value::Rows(r) if r.len() == MAX_ROWS));
        many.insert(cell_key("ds_hoi_nghi", MAX_ROWS, "ngay"), "1/4".into());
        let (values, errors) = validate(inds, &[], &many);
        assert!(values.is_empty());
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].code, "ds_hoi_nghi");
        assert!(
            errors[0].message.contains("nhiều nhất 200 dòng"),
            "{errors:?}"
        );
    }

    #[test]
    fn table_rows_of_many_units_are_listed_and_totalled() {
        let r = |n: i64, x: f64, online: bool| -> BTreeMap<String, Value> {
            [
                ("so_nguoi".to_string(), Value::Int(n)),
                ("truc_tuyen".to_string(), Value::Bool(online)),
                ("ty_le".to_string(), Value::Dec(x)),
            ]
            .into_iter()
            .collect()
        };
        let answers = [
            (
                "Xã An Lập".to_string(),
                Value::Rows(vec![r(1414, 12.5, true), r(30, 50.0, false)]),
            ),
            ("Xã Long Hòa".to_string(), Value::Int(3)),
            (
                "Xã Minh Hòa".to_string(),
                Value::Rows(vec![r(6, 0.25, false)]),
            ),
        ];
        let agg = aggregate(Aggregation::ListRows, &answers);
        let Aggregate::Rows(rows) = &agg else {
            panic!("{agg:?}");
        };
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[2].0, "Xã Minh Hòa");
        assert_eq!(
            agg.display(),
            "Xã An Lập: 1.414 – Có – 12,5\nXã An Lập: 30 – Không – 50\nXã Minh Hòa: 6 – Không – 0,25"
        );
        assert_eq!(aggregate(Aggregation::ListRows, &[]), Aggregate::Empty);
        assert_eq!(
            aggregate(Aggregation::ListRows, &answers[1..2]),
            Aggregate::Empty
        );
        let totals = column_totals(&columns(&hoi_nghi()), rows);
        assert_eq!(totals.len(), 2, "only numeric columns with numbers");
        assert_eq!(totals["so_nguoi"], 1450.0);
        assert!((totals["ty_le"] - 62.75).abs() < 1e-9);
        assert_eq!(
            display_value(&Value::Rows(vec![r(2, 1.0, true)])),
            "2 – Có – 1"
        );
        assert_eq!(display_value(&Value::Int(1414)), "1.414");
        assert_eq!(display_value(&Value::Dec(12.5)), "12,5");
        assert_eq!(display_value(&Value::Bool(false)), "Không");
        assert_eq!(display_value(&Value::Text("Đã họp".into())), "Đã họp");
        assert_eq!(Value::Rows(Vec::new()).as_f64(), None);
    }

    #[test]
    fn table_templates_are_checked_before_use() {
        let (inds, rules) = template();
        let body = |extra: Vec<Indicator>, rules: Vec<CrossRule>| TemplateBody {
            sections: vec![Section {
                title: "I. Kết quả".into(),
                indicators: inds.iter().cloned().chain(extra).collect(),
            }],
            rules,
        };
        let ok = body(vec![hoi_nghi()], rules.clone());
        assert!(ok.problems().is_empty(), "{:?}", ok.problems());
        let json = serde_json::to_string(&ok).unwrap();
        assert!(json.contains(r#""kind":{"type":"table","columns":[{"code":"ngay""#));
        assert_eq!(serde_json::from_str::<TemplateBody>(&json).unwrap(), ok);
        let table = |columns: Vec<Column>, aggregation: Aggregation| Indicator {
            kind: Kind::Table { columns },
            aggregation,
            ..hoi_nghi()
        };
        let problems = |extra: Vec<Indicator>, rules: Vec<CrossRule>| body(extra, rules).problems();
        let p = problems(vec![table(Vec::new(), Aggregation::ListRows)], Vec::new());
        assert_eq!(p, ["Bảng “Bảng hội nghị” cần có ít nhất một cột."]);
        let p = problems(
            vec![table(
                vec![
                    col("ngay", "Ngày", Kind::Text, true),
                    col("ngay", "Ngày họp", Kind::Text, false),
                    col("so", "Ngày", Kind::Integer, false),
                    col("", "Không mã", Kind::Text, false),
                    col("a.b", "Có chấm", Kind::Text, false),
                    col(
                        "con",
                        "Bảng con",
                        Kind::Table {
                            columns: Vec::new(),
                        },
                        false,
                    ),
                ],
                Aggregation::ListTexts,
            )],
            Vec::new(),
        );
        for want in [
            "Mã cột “ngay” của bảng “Bảng hội nghị” bị trùng.",
            "Tên cột “Ngày” của bảng “Bảng hội nghị” bị trùng.",
            "Mỗi cột của bảng “Bảng hội nghị” cần có mã và tên.",
            "Mã cột “a.b” của bảng “Bảng hội nghị” không được chứa dấu chấm.",
            "Cột “Bảng con” của bảng “Bảng hội nghị” không được là một bảng.",
            "Chỉ tiêu dạng bảng “Bảng hội nghị” chỉ tổng hợp được bằng cách liệt kê các dòng.",
        ] {
            assert!(p.iter().any(|m| m == want), "{want}: {p:?}");
        }
        assert_eq!(p.len(), 6, "{p:?}");
        // A table's code prefixes its cells' keys; danchu's own data cannot fill a table.
        let p = problems(
            vec![Indicator {
                code: "ds.hoi_nghi".into(),
                source: Some(Source::ArticlesPublished { category: None }),
                ..hoi_nghi()
            }],
            Vec::new(),
        );
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(p[0].contains("không được chứa dấu chấm"), "{p:?}");
        assert!(p[1].contains("không lấy được số liệu có sẵn"), "{p:?}");
        // Rows are listed only for tables, and a table is not a number to compare.
        let mut listed_text = inds[4].clone();
        listed_text.code = "ghi_chu_2".into();
        listed_text.aggregation = Aggregation::ListRows;
        let p = problems(
            vec![hoi_nghi(), listed_text],
            vec![CrossRule {
                left: "ds_hoi_nghi".into(),
                op: Compare::Le,
                right: "tong_so_ho".into(),
            }],
        );
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(p[0].contains("chỉ dùng cho chỉ tiêu dạng bảng"), "{p:?}");
        assert!(p[1].contains("“ds_hoi_nghi”, không phải chỉ tiêu dạng số"));
    }

    #[test]
    fn every_value_round_trips_through_json() {
        let row: BTreeMap<String, Value> = [
            ("a".to_string(), Value::Int(7)),
            ("b".to_string(), Value::Dec(2.5)),
            ("c".to_string(), Value::Bool(true)),
            ("d".to_string(), Value::Text("12".into())),
        ]
        .into_iter()
        .collect();
        for v in [
            Value::Int(-1414),
            Value::Dec(12.5),
            Value::Dec(3.0),
            Value::Bool(false),
            Value::Text("Đã họp dân".into()),
            Value::Text("12".into()),
            Value::Rows(Vec::new()),
            Value::Rows(vec![row.clone(), BTreeMap::new()]),
        ] {
            let json = serde_json::to_string(&v).unwrap();
            assert_eq!(serde_json::from_str::<Value>(&json).unwrap(), v, "{json}");
        }
        let stored: BTreeMap<String, Value> =
            serde_json::from_str(r#"{"t":[{"a":7,"b":2.5,"c":true,"d":"12"}],"n":3}"#).unwrap();
        assert_eq!(stored["t"], Value::Rows(vec![row]));
        assert_eq!(stored["n"], Value::Int(3));
    }
}
