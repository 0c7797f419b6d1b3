//! Periodic reporting rules, pure (issue 5): report periods and their data cut-off
//! windows (R30, Decree 09/2019/NĐ-CP), indicators with their types, how a typed answer
//! is read and checked (Vietnamese number formats, required, min/max, choices,
//! cross-field rules such as "số hộ tán thành ≤ tổng số hộ"), and how answers of many
//! units are aggregated (sum, average, min, max, count of yes, list of texts).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::{Date, Month};

/// How often a report is due (R29, R32).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
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
}

/// How the answers of many units are combined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Aggregation {
    Sum,
    Average,
    Min,
    Max,
    /// How many answered "Có".
    CountYes,
    /// Every text answer, with its unit.
    ListTexts,
}

/// One indicator (chỉ tiêu) of a report template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
pub enum Source {
    /// How many articles the unit published on the portal within the data cut-off,
    /// optionally only in one category (by its slug).
    ArticlesPublished {
        #[serde(default)]
        category: Option<String>,
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
        }
    }
}

/// A comparison between two numeric indicators that every answer must satisfy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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
pub struct CrossRule {
    pub left: String,
    pub op: Compare,
    pub right: String,
}

/// A checked answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Value {
    Int(i64),
    Dec(f64),
    Bool(bool),
    Text(String),
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

/// Checks what a reporter typed against the template. Returns the values read (only for
/// indicators that passed) and every error, each tied to its indicator, in Vietnamese.
/// Nothing typed is thrown away by the caller: errors are shown next to the typed text.
pub fn validate(
    indicators: &[Indicator],
    rules: &[CrossRule],
    typed: &BTreeMap<String, String>,
) -> (BTreeMap<String, Value>, Vec<FieldError>) {
    let mut values = BTreeMap::new();
    let mut errors = Vec::new();
    for ind in indicators {
        let raw = typed.get(&ind.code).map(|s| s.trim()).unwrap_or("");
        let err = |m: String| FieldError {
            code: ind.code.clone(),
            message: m,
        };
        if raw.is_empty() {
            if ind.required {
                errors.push(err(format!("“{}” là bắt buộc.", ind.label)));
            }
            continue;
        }
        let value = match &ind.kind {
            Kind::Integer => match parse_integer(raw) {
                Some(n) => Value::Int(n),
                None => {
                    errors.push(err(format!(
                        "“{}” cần là số nguyên (ví dụ 1.414), không phải “{raw}”.",
                        ind.label
                    )));
                    continue;
                }
            },
            Kind::Decimal => match parse_decimal(raw) {
                Some(x) => Value::Dec(x),
                None => {
                    errors.push(err(format!(
                        "“{}” cần là số (ví dụ 12,5), không phải “{raw}”.",
                        ind.label
                    )));
                    continue;
                }
            },
            Kind::YesNo => match crate::text::fold(raw).as_str() {
                "co" | "1" | "true" | "yes" => Value::Bool(true),
                "khong" | "0" | "false" | "no" => Value::Bool(false),
                _ => {
                    errors.push(err(format!("“{}”: hãy chọn Có hoặc Không.", ind.label)));
                    continue;
                }
            },
            Kind::Choice { choices } => match choices.iter().find(|c| c.as_str() == raw) {
                Some(c) => Value::Text(c.clone()),
                None => {
                    errors.push(err(format!(
                        "“{}”: hãy chọn một trong các phương án đã cho.",
                        ind.label
                    )));
                    continue;
                }
            },
            Kind::Text => Value::Text(crate::text::nfc(raw)),
        };
        if let Some(x) = value.as_f64() {
            if let Some(min) = ind.min.filter(|m| x < *m) {
                errors.push(err(format!(
                    "“{}” không được nhỏ hơn {}.",
                    ind.label,
                    format_value(min)
                )));
                continue;
            }
            if let Some(max) = ind.max.filter(|m| x > *m) {
                errors.push(err(format!(
                    "“{}” không được lớn hơn {}.",
                    ind.label,
                    format_value(max)
                )));
                continue;
            }
        }
        values.insert(ind.code.clone(), value);
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
            Aggregate::Empty => "—".to_string(),
        }
    }
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
        _ => Aggregate::Empty,
    }
}

/// Where a unit's submission for a round stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
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
pub struct TemplateBody {
    pub sections: Vec<Section>,
    #[serde(default)]
    pub rules: Vec<CrossRule>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
    /// unknown or non-numeric indicators), in Vietnamese.
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

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

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
}
