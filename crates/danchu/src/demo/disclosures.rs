//! Disclosure demo data (issue 7): the Dầu Tiếng communes' 2023 register — the budget's
//! execution every quarter, half-year and year (R11), administrative procedures, fee
//! schedules, complaint results broadcast on the loudspeakers (R7), the results of Plan
//! 22/KH-UBND. One late (Xã Long Tân, quarter II), one missing (Xã Thanh Tuyền, quarter
//! III), one corrected (Xã An Lập's fee schedule), one broadcast too short (Thị trấn Dầu
//! Tiếng's fee schedule, R7); the heads of ấp notified (R8), one ấp not reached; the
//! agencies' register (Luật PCTN 2018).

use danchu_core::disclosures::{Channel, DuePeriod, HeadNotice, HouseholdMethod};
use danchu_db::audit::Actor;
use danchu_db::disclosures::{NewChannel, NewDisclosure};
use danchu_db::Db;

use super::reporting::at;

fn channel(c: Channel, from: &str, to: &str, evidence: &str) -> NewChannel {
    NewChannel {
        channel: c,
        starts_on: danchu_core::text::parse_date(from),
        ends_on: danchu_core::text::parse_date(to),
        evidence: evidence.into(),
        files: Vec::new(),
        notices: Vec::new(),
    }
}

/// R8: sent through the heads of the given ấp on `day`, each telling the households
/// their own way on `next`.
fn through_heads(
    day: time::Date,
    next: &str,
    heads: &[(&str, &str, HouseholdMethod)],
) -> NewChannel {
    let iso = danchu_core::text::iso_date(day);
    let mut c = channel(Channel::CommunityHeads, &iso, &iso, "");
    c.notices = heads
        .iter()
        .map(|(hamlet, head, method)| HeadNotice {
            hamlet: (*hamlet).into(),
            head_name: (*head).into(),
            notified_on: day,
            method: *method,
            told_on: next.into(),
        })
        .collect();
    c
}

/// 09:00 on `day` (yyyy-mm-dd; the demo's own dates).
fn stamp(day: &str) -> i64 {
    at(
        day.get(..4).and_then(|y| y.parse().ok()).unwrap_or(2023),
        day.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(1),
        day.get(8..).and_then(|d| d.parse().ok()).unwrap_or(1),
    )
}

/// Posts a disclosure on the notice board and the portal on `day` (yyyy-mm-dd).
async fn post(
    db: &Db,
    actor: &Actor,
    d: &NewDisclosure,
    day: &str,
    extra: Vec<NewChannel>,
) -> anyhow::Result<i64> {
    let created = danchu_db::disclosures::create_at(db, actor, d, stamp(day)).await?;
    for c in [
        channel(Channel::NoticeBoard, day, "", "Bảng tin tại trụ sở UBND xã"),
        channel(Channel::Portal, day, "", ""),
    ]
    .into_iter()
    .chain(extra)
    {
        danchu_db::disclosures::add_channel(db, actor, created.id, &c).await?;
    }
    Ok(created.id)
}

pub async fn seed(db: &Db) -> anyhow::Result<()> {
    if super::seeded(db, "demo_disclosures_seeded").await? {
        return Ok(());
    }
    let cats = danchu_db::disclosures::categories(db).await?;
    let cat = |item: i64| {
        cats.iter()
            .find(|c| c.1.scope == danchu_core::disclosures::COMMUNE && c.1.item == item)
            .map(|c| (c.0, c.1.clone()))
            .ok_or_else(|| anyhow::anyhow!("category {item} missing"))
    };
    let (budget, budget_cat) = cat(2)?;
    let communes: Vec<(&str, &str)> = super::UNITS
        .iter()
        .filter(|u| u.2 == danchu_core::units::UnitKind::Commune)
        .map(|u| (u.0, u.1))
        .collect();
    let periods = [
        DuePeriod::Quarter {
            year: 2023,
            quarter: 2,
        },
        DuePeriod::Half {
            year: 2023,
            half: 1,
        },
        DuePeriod::Quarter {
            year: 2023,
            quarter: 3,
        },
        DuePeriod::Quarter {
            year: 2023,
            quarter: 4,
        },
        DuePeriod::Half {
            year: 2023,
            half: 2,
        },
        DuePeriod::Year { year: 2023 },
    ];
    for (code, name) in &communes {
        let unit = super::unit_id(db, code).await?;
        let actor = Actor(format!("congkhai.{code}"));
        for p in &periods {
            let Some(due) = budget_cat.due_on(p) else {
                continue;
            };
            let day = match (*code, p) {
                ("25798", DuePeriod::Quarter { quarter: 3, .. }) => continue, // missing
                ("25792", DuePeriod::Quarter { quarter: 2, .. }) => "2023-07-20".to_string(), // late
                _ => danchu_core::text::iso_date(due - time::Duration::days(3)),
            };
            let d = NewDisclosure {
                unit_id: unit,
                category_id: budget,
                period: p.code(),
                title: format!(
                    "Công khai tình hình thực hiện dự toán ngân sách {} — {name}",
                    p.name_vi()
                ),
                body: format!(
                    "<p>UBND {name} công khai tình hình thực hiện dự toán thu, chi ngân sách {} theo quy định.</p><ul><li>Thu ngân sách xã: đạt {}% dự toán.</li><li>Chi ngân sách xã: đạt {}% dự toán.</li></ul>",
                    p.name_vi(),
                    40 + code.len() * 3,
                    38 + code.len() * 2
                ),
                ..Default::default()
            };
            post(db, &actor, &d, &day, Vec::new()).await?;
        }
        match *code {
            "25765" | "25789" => {
                let d = NewDisclosure {
                    unit_id: unit,
                    category_id: cat(4)?.0,
                    title: format!("Danh mục thủ tục hành chính thực hiện tại bộ phận một cửa {name}"),
                    body: "<p>Danh mục thủ tục hành chính cấp xã: chứng thực, hộ tịch, đất đai, bảo trợ xã hội; thời hạn giải quyết và phí, lệ phí kèm theo.</p>".into(),
                    ..Default::default()
                };
                post(db, &actor, &d, "2023-08-01", Vec::new()).await?;
                let fees = NewDisclosure {
                    unit_id: unit,
                    category_id: cat(10)?.0,
                    title: format!("Mức thu phí, lệ phí do {name} trực tiếp thu năm 2023"),
                    body: "<p>Lệ phí chứng thực bản sao: 2.000 đồng/trang; lệ phí đăng ký khai sinh quá hạn: 5.000 đồng.</p>".into(),
                    ..Default::default()
                };
                let id = post(
                    db,
                    &actor,
                    &fees,
                    "2023-08-10",
                    vec![
                        // R7: Thị trấn Dầu Tiếng broadcast it two days only (flagged).
                        channel(
                            Channel::Broadcast,
                            "2023-08-10",
                            if *code == "25765" {
                                "2023-08-11"
                            } else {
                                "2023-08-12"
                            },
                            "Sổ phát thanh tháng 8, trang 3",
                        ),
                        if *code == "25789" {
                            // Ấp Đồng Sến has no record: the page shows it as not reached.
                            through_heads(
                                time::macros::date!(2023 - 08 - 11),
                                "2023-08-13",
                                &[
                                    (
                                        "Ấp Bến Tranh",
                                        "Nguyễn Văn Hùng",
                                        HouseholdMethod::CommunityMeeting,
                                    ),
                                    ("Ấp Cần Giăng", "Trần Thị Lan", HouseholdMethod::Sms),
                                    (
                                        "Ấp Hòa Cường",
                                        "Lê Văn Phúc",
                                        HouseholdMethod::HouseholdNotice,
                                    ),
                                ],
                            )
                        } else {
                            through_heads(
                                time::macros::date!(2023 - 08 - 11),
                                "2023-08-12",
                                &[
                                    (
                                        "Khu phố 1",
                                        "Phạm Văn Tâm",
                                        HouseholdMethod::CommunityMeeting,
                                    ),
                                    ("Khu phố 2", "Võ Thị Hạnh", HouseholdMethod::SocialNetwork),
                                    (
                                        "Khu phố 3",
                                        "Đỗ Văn Minh",
                                        HouseholdMethod::OrganisationMeeting,
                                    ),
                                ],
                            )
                        },
                    ],
                )
                .await?;
                if *code == "25789" {
                    // A correction: a new version, the first stays readable.
                    danchu_db::disclosures::correct(
                        db,
                        &actor,
                        id,
                        &fees.title,
                        "<p>Lệ phí chứng thực bản sao: 2.000 đồng/trang (từ trang thứ ba: 1.000 đồng/trang); lệ phí đăng ký khai sinh quá hạn: 5.000 đồng.</p>",
                        "Bổ sung mức thu từ trang thứ ba theo Thông tư 226/2016/TT-BTC",
                    )
                    .await?;
                }
            }
            "25780" => {
                let d = NewDisclosure {
                    unit_id: unit,
                    category_id: cat(8)?.0,
                    title: "Kết quả giải quyết khiếu nại, kiến nghị, phản ánh 9 tháng năm 2023 — Xã Long Hòa".into(),
                    body: "<p>Tiếp nhận 14 đơn kiến nghị, phản ánh; đã giải quyết 13, đang giải quyết 1.</p>".into(),
                    ..Default::default()
                };
                post(
                    db,
                    &actor,
                    &d,
                    "2023-10-02",
                    vec![
                        channel(
                            Channel::Broadcast,
                            "2023-10-02",
                            "2023-10-04",
                            "Phát 3 buổi sáng liên tục; sổ phát thanh trang 41",
                        ),
                        through_heads(
                            time::macros::date!(2023 - 10 - 03),
                            "2023-10-05",
                            &[
                                (
                                    "Ấp Long Điền",
                                    "Huỳnh Văn Sáu",
                                    HouseholdMethod::HouseholdNotice,
                                ),
                                ("Ấp Long Thọ", "Ngô Thị Mai", HouseholdMethod::Sms),
                                (
                                    "Ấp Long Thọ",
                                    "Ngô Thị Mai",
                                    HouseholdMethod::CommunityMeeting,
                                ),
                                (
                                    "Ấp Long Bình",
                                    "Bùi Văn Đức",
                                    HouseholdMethod::CommunityMeeting,
                                ),
                            ],
                        ),
                    ],
                )
                .await?;
            }
            "25777" => {
                let d = NewDisclosure {
                    unit_id: unit,
                    category_id: cat(14)?.0,
                    title: "Kết quả thực hiện Kế hoạch số 22/KH-UBND về thực hiện Quy chế dân chủ ở cơ sở năm 2023 — Xã Định An".into(),
                    body: "<p>Xã Định An đã tổ chức 12 hội nghị ở các ấp, công khai 9 nội dung theo quy định.</p>".into(),
                    documents: danchu_db::documents::by_number(db, "22/KH-UBND").await?.iter().map(|d| d.id).collect(),
                    ..Default::default()
                };
                post(db, &actor, &d, "2023-12-18", Vec::new()).await?;
            }
            _ => {}
        }
    }
    agencies(db, &cats).await?;
    danchu_db::settings::set_once(&mut db.clone(), "demo_disclosures_seeded", "1").await?;
    Ok(())
}

/// The agencies' register (Luật PCTN 2018): Phòng Tài chính - Kế hoạch posts its
/// budget's execution for every 2023 period from quarter II on but the first half-year
/// (missing on the agencies' compliance page); the culture centre posts its internal
/// spending rules.
async fn agencies(
    db: &Db,
    cats: &[(i64, danchu_core::disclosures::Category)],
) -> anyhow::Result<()> {
    let cat = |code: &str| {
        cats.iter()
            .find(|c| c.1.code == code)
            .map(|c| c.0)
            .ok_or_else(|| anyhow::anyhow!("category {code} missing"))
    };
    let unit = |code: &'static str| super::unit_id(db, code);
    let tckh = unit("721-TCKH").await?;
    let actor = Actor("congkhai.721-TCKH".into());
    let q = |quarter| DuePeriod::Quarter {
        year: 2023,
        quarter,
    };
    for (n, (p, day)) in [
        (q(2), "2023-07-04"),
        (q(3), "2023-10-03"),
        (q(4), "2024-01-03"),
        (
            DuePeriod::Half {
                year: 2023,
                half: 2,
            },
            "2024-01-03",
        ),
        (DuePeriod::Year { year: 2023 }, "2024-01-04"),
    ]
    .into_iter()
    .enumerate()
    {
        let d = NewDisclosure {
            unit_id: tckh,
            category_id: cat("pctn-02")?,
            period: p.code(),
            title: format!(
                "Công khai tình hình thực hiện dự toán ngân sách {} — Phòng Tài chính - Kế hoạch",
                p.name_vi()
            ),
            body: format!("<p>Phòng Tài chính - Kế hoạch huyện Dầu Tiếng công khai tình hình thực hiện dự toán chi hoạt động {}: chi thường xuyên đạt {}% dự toán năm.</p>", p.name_vi(), (28 + 23 * n).min(97)),
            ..Default::default()
        };
        let created = danchu_db::disclosures::create_at(db, &actor, &d, stamp(day)).await?;
        for c in [
            channel(Channel::NoticeBoard, day, "", "Bảng tin tại trụ sở Phòng"),
            channel(
                Channel::Meeting,
                day,
                day,
                "Công bố tại cuộc họp giao ban của Phòng",
            ),
            channel(Channel::Portal, day, "", ""),
        ] {
            danchu_db::disclosures::add_channel(db, &actor, created.id, &c).await?;
        }
    }
    let center = unit("721-TTVHTT").await?;
    let actor = Actor("congkhai.721-TTVHTT".into());
    let d = NewDisclosure {
        unit_id: center,
        category_id: cat("pctn-06")?,
        title: "Quy chế chi tiêu nội bộ năm 2023 — Trung tâm Văn hóa, Thông tin và Thể thao huyện".into(),
        body: "<p>Quy chế chi tiêu nội bộ năm 2023: định mức công tác phí, văn phòng phẩm, điện thoại; được thông qua tại Hội nghị viên chức, người lao động ngày 15/02/2023.</p>".into(),
        ..Default::default()
    };
    let created = danchu_db::disclosures::create_at(db, &actor, &d, stamp("2023-07-10")).await?;
    for c in [
        channel(Channel::NoticeBoard, "2023-07-10", "", "Bảng tin tầng 1"),
        channel(Channel::Portal, "2023-07-10", "", ""),
    ] {
        danchu_db::disclosures::add_channel(db, &actor, created.id, &c).await?;
    }
    Ok(())
}
