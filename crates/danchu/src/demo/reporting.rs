//! Reporting demo data (issue 5): the grassroots-democracy report template and the round
//! "6 tháng đầu năm 2023" for the 12 communes and two offices, run by Phòng Nội vụ, with
//! most reports accepted, one late, one returned and one missing (Xã An Lập, so that
//! the demo reporter `baocao.anlap` has a report to fill in).

use std::collections::BTreeMap;

use danchu_core::reporting::{
    Aggregation, Column, Compare, CrossRule, Indicator, Kind, Period, Section, Source, Step,
    TemplateBody,
};
use danchu_db::audit::Actor;
use danchu_db::reporting::{self as rep, NewRound};
use danchu_db::Db;

fn ind(code: &str, label: &str, kind: Kind, unit: &str, aggregation: Aggregation) -> Indicator {
    let numeric = matches!(kind, Kind::Integer | Kind::Decimal);
    Indicator {
        unit: unit.into(),
        required: aggregation != Aggregation::ListTexts,
        min: numeric.then_some(0.0),
        ..Indicator::new(code, label, kind, aggregation)
    }
}

fn column(code: &str, label: &str, kind: Kind, unit: &str, required: bool) -> Column {
    let numeric = matches!(kind, Kind::Integer | Kind::Decimal);
    Column {
        unit: unit.into(),
        required,
        min: numeric.then_some(0.0),
        ..Column::new(code, label, kind)
    }
}

/// The template of the report on implementing democracy at the grassroots.
pub fn template_body() -> TemplateBody {
    use Aggregation::*;
    TemplateBody {
        sections: vec![
            Section {
                title: "I. Công khai thông tin".into(),
                indicators: vec![
                    ind(
                        "so_noi_dung_cong_khai",
                        "Số nội dung đã công khai",
                        Kind::Integer,
                        "nội dung",
                        Sum,
                    ),
                    ind(
                        "niem_yet_day_du",
                        "Niêm yết đủ thời gian theo quy định",
                        Kind::YesNo,
                        "",
                        CountYes,
                    ),
                    // Filled from the portal's own data (the reporter can correct it).
                    Indicator {
                        required: false,
                        source: Some(Source::ArticlesPublished { category: None }),
                        ..ind(
                            "so_tin_bai",
                            "Số tin, bài đăng trên cổng thông tin",
                            Kind::Integer,
                            "bài",
                            Sum,
                        )
                    },
                ],
            },
            Section {
                title: "II. Nhân dân bàn và quyết định".into(),
                indicators: vec![
                    ind(
                        "so_cuoc_hop",
                        "Số cuộc họp cộng đồng dân cư",
                        Kind::Integer,
                        "cuộc",
                        Sum,
                    ),
                    ind("tong_so_ho", "Tổng số hộ", Kind::Integer, "hộ", Sum),
                    ind("so_ho_tham_gia", "Số hộ tham gia", Kind::Integer, "hộ", Sum),
                    ind(
                        "so_ho_tan_thanh",
                        "Số hộ tán thành",
                        Kind::Integer,
                        "hộ",
                        Sum,
                    ),
                    Indicator {
                        max: Some(100.0),
                        ..ind(
                            "ty_le_tan_thanh",
                            "Tỷ lệ hộ tán thành",
                            Kind::Decimal,
                            "%",
                            Average,
                        )
                    },
                ],
            },
            Section {
                title: "III. Kiểm tra, giám sát".into(),
                indicators: vec![
                    ind(
                        "co_ban_ttnd",
                        "Có Ban Thanh tra nhân dân hoạt động",
                        Kind::YesNo,
                        "",
                        CountYes,
                    ),
                    ind(
                        "so_cuoc_giam_sat",
                        "Số cuộc giám sát của Ban TTND",
                        Kind::Integer,
                        "cuộc",
                        Sum,
                    ),
                    // A repeating table: one row per supervision.
                    Indicator {
                        required: false,
                        ..ind(
                            "ds_giam_sat",
                            "Danh sách các cuộc giám sát",
                            Kind::Table {
                                columns: vec![
                                    column("noi_dung", "Nội dung giám sát", Kind::Text, "", true),
                                    column("thang", "Tháng", Kind::Integer, "", true),
                                    column(
                                        "so_kien_nghi",
                                        "Số kiến nghị",
                                        Kind::Integer,
                                        "kiến nghị",
                                        false,
                                    ),
                                ],
                            },
                            "",
                            ListRows,
                        )
                    },
                ],
            },
            Section {
                title: "IV. Khó khăn, vướng mắc và kiến nghị".into(),
                indicators: vec![ind("kien_nghi", "Kiến nghị", Kind::Text, "", ListTexts)],
            },
        ],
        rules: vec![
            CrossRule {
                left: "so_ho_tham_gia".into(),
                op: Compare::Le,
                right: "tong_so_ho".into(),
            },
            CrossRule {
                left: "so_ho_tan_thanh".into(),
                op: Compare::Le,
                right: "so_ho_tham_gia".into(),
            },
        ],
    }
}

/// Unix seconds of a day at 09:00 in Vietnam.
pub(super) fn at(y: i32, m: u8, d: u8) -> i64 {
    time::Date::from_calendar_date(y, time::Month::try_from(m).unwrap_or(time::Month::June), d)
        .map(|d| {
            d.with_hms(9, 0, 0)
                .map(|t| {
                    t.assume_offset(danchu_core::text::VN_OFFSET)
                        .unix_timestamp()
                })
                .unwrap_or(0)
        })
        .unwrap_or(0)
}

/// A unit's figures, different for each unit but always consistent.
fn figures(n: i64) -> BTreeMap<String, String> {
    let ho = 900 + n * 137 % 700;
    let tham_gia = ho * (80 + n % 15) / 100;
    let tan_thanh = tham_gia * (85 + n % 12) / 100;
    let pct = tan_thanh * 1000 / tham_gia;
    [
        ("so_noi_dung_cong_khai", (8 + n % 6).to_string()),
        (
            "niem_yet_day_du",
            if n % 5 == 3 { "Không" } else { "Có" }.to_string(),
        ),
        ("so_cuoc_hop", (4 + n % 5).to_string()),
        ("tong_so_ho", danchu_core::text::format_number(ho)),
        ("so_ho_tham_gia", danchu_core::text::format_number(tham_gia)),
        (
            "so_ho_tan_thanh",
            danchu_core::text::format_number(tan_thanh),
        ),
        ("ty_le_tan_thanh", format!("{},{}", pct / 10, pct % 10)),
        ("co_ban_ttnd", "Có".to_string()),
        ("so_cuoc_giam_sat", (1 + n % 3).to_string()),
        (
            "ds_giam_sat.0.noi_dung",
            "Việc thu, chi quỹ đóng góp xây dựng đường giao thông nông thôn".to_string(),
        ),
        ("ds_giam_sat.0.thang", (1 + n % 5).to_string()),
        ("ds_giam_sat.0.so_kien_nghi", (n % 3).to_string()),
        (
            "kien_nghi",
            if n % 4 == 1 {
                "Đề nghị hỗ trợ kinh phí cho Ban Thanh tra nhân dân.".to_string()
            } else {
                String::new()
            },
        ),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

/// Loads the reporting demo data once: Phòng Nội vụ's template and its round for the first
/// half of 2023, reported by the communes and two offices (An Lập missing, Thanh Tuyền
/// late, Long Tân returned).
pub async fn seed(db: &Db) -> anyhow::Result<()> {
    if super::seeded(db, "demo_reporting_seeded").await? {
        return Ok(());
    }
    let id = |code: &'static str| super::unit_id(db, code);
    let noivu = Actor("noivu".into());
    let office = id("721-NV").await?;
    let template = rep::create_template(
        db,
        &noivu,
        office,
        "Báo cáo kết quả thực hiện dân chủ ở cơ sở",
        &template_body(),
    )
    .await?;
    let mut codes: Vec<&'static str> = super::UNITS
        .iter()
        .filter(|u| u.2 == danchu_core::units::UnitKind::Commune)
        .map(|u| u.0)
        .collect();
    codes.extend(["721-VP", "721-TP"]);
    let mut units = Vec::new();
    for c in &codes {
        units.push((*c, id(c).await?));
    }
    let round = rep::create_round(
        db,
        &noivu,
        &NewRound {
            template: Some((template.id, office)),
            title: "Báo cáo kết quả thực hiện dân chủ ở cơ sở 6 tháng đầu năm 2023".into(),
            period: Period::FirstHalf { year: 2023 }.code(),
            cutoff: None,
            deadline: Some(time::macros::date!(2023 - 06 - 20)),
            units: units.iter().map(|u| u.1).collect(),
        },
    )
    .await?;
    for (n, (code, unit)) in units.iter().enumerate() {
        let reporter = Actor(format!("baocao.{code}"));
        let sent = match *code {
            "25789" => continue, // Xã An Lập: missing, for the demo reporter to fill in
            "25798" => at(2023, 6, 23), // Xã Thanh Tuyền: late
            _ => at(2023, 6, 12 + (n % 7) as u8),
        };
        let typed = figures(n as i64 + 1);
        let saved =
            rep::save_at(db, &reporter, round.id, *unit, &typed, Step::Submit, sent).await?;
        let rep::Saved::Done(sub) = saved else {
            anyhow::bail!("demo report of {code} not accepted by the template");
        };
        let (step, reason) = match *code {
            "25792" => (
                Step::Return,
                "Thiếu biên bản các cuộc giám sát của Ban Thanh tra nhân dân; đề nghị bổ sung.",
            ),
            _ => (Step::Accept, ""),
        };
        rep::decide_at(db, &noivu, sub.id, step, reason, sent + 86_400)
            .await?
            .map_err(|e| anyhow::anyhow!(e))?;
    }
    danchu_db::settings::set_once(&mut db.clone(), "demo_reporting_seeded", "1").await?;
    Ok(())
}
