//! Plan demo data (issue 5): Kế hoạch số 22/KH-UBND (21/02/2023) of the district People's
//! Committee, followed up by Phòng Nội vụ, with its tasks for the offices and the
//! communes and their progress through 2023: most done, some late, one commune that
//! never sent its fourth-quarter report (overdue).

use danchu_core::plans::{Recurrence, TaskStatus};
use danchu_db::audit::Actor;
use danchu_db::plans::{NewProgress, NewTask};
use danchu_db::Db;

use super::reporting::at;

/// Loads the plans demo data once (needs the portal's document 22/KH-UBND).
pub async fn seed(db: &Db) -> anyhow::Result<()> {
    if super::seeded(db, "demo_plans_seeded").await? {
        return Ok(());
    }
    let id = |code: &'static str| super::unit_id(db, code);
    let Some(doc) = danchu_db::documents::by_number(db, "22/KH-UBND")
        .await?
        .into_iter()
        .next()
    else {
        anyhow::bail!("demo document 22/KH-UBND missing");
    };
    let noivu = Actor("noivu".into());
    let (nv, vp, tp) = (
        id("721-NV").await?,
        id("721-VP").await?,
        id("721-TP").await?,
    );
    let plan = danchu_db::plans::create(db, &noivu, doc.id, nv).await?;
    let communes: Vec<(&str, i64)> = {
        let mut v = Vec::new();
        for u in super::UNITS
            .iter()
            .filter(|u| u.2 == danchu_core::units::UnitKind::Commune)
        {
            v.push((u.0, id(u.0).await?));
        }
        v
    };
    let (first, others) = communes
        .split_first()
        .ok_or_else(|| anyhow::anyhow!("no demo communes"))?;
    let task = |content: &str, output: &str, lead: i64, supporters: Vec<i64>, due: &str| NewTask {
        content: content.into(),
        expected_output: output.into(),
        lead_unit_id: lead,
        supporters,
        due_on: danchu_core::text::parse_date(due),
        recurrence: Recurrence::Once,
        until_on: None,
    };
    // Each task is added as Phòng Nội vụ to the plan.
    let add = async |t: NewTask| danchu_db::plans::add_task(db, &noivu, plan.id, &t).await;
    let guide = add(task(
            "Hướng dẫn triển khai các quy định về thực hiện dân chủ trong hoạt động của cơ quan hành chính nhà nước, đơn vị sự nghiệp công lập và UBND các xã, thị trấn",
            "Văn bản hướng dẫn",
            nv,
            vec![tp],
            "2023-03-31",
    ))
    .await?;
    let inform = add(task(
            "Tuyên truyền, phổ biến chủ trương, chính sách, pháp luật về thực hiện dân chủ ở cơ sở để người dân tiếp cận thông tin và tự giác thực hiện",
            "Tin, bài trên cổng thông tin; hội nghị tuyên truyền ở khu phố, ấp",
            vp,
            communes.iter().map(|c| c.1).collect(),
            "2023-12-15",
    ))
    .await?;
    let report = add(NewTask {
        recurrence: Recurrence::Quarterly,
        until_on: Some(time::macros::date!(2023 - 12 - 14)),
        ..task(
            "Báo cáo kết quả thực hiện dân chủ ở cơ sở hằng quý về Phòng Nội vụ",
            "Báo cáo quý",
            first.1,
            others.iter().map(|c| c.1).collect(),
            "2023-03-14",
        )
    })
    .await?;
    let entry = |occurrence: &str, status: TaskStatus, note: &str| NewProgress {
        occurrence: danchu_db::plans::Due::On(danchu_core::text::parse_date(occurrence)),
        status,
        note: note.into(),
        files: Vec::new(),
    };
    let done = TaskStatus::Done;
    // The offices' progress: (who, task and unit, the entry, when it was recorded).
    let offices = [
        (
            "noivu",
            (guide.plan_id, guide.id, nv),
            entry(
                "2023-03-31",
                done,
                "Đã ban hành văn bản hướng dẫn gửi các cơ quan, đơn vị, UBND các xã, thị trấn.",
            ),
            at(2023, 3, 20),
        ),
        (
            "demo",
            (guide.plan_id, guide.id, tp),
            entry("2023-03-31", done, "Đã góp ý dự thảo văn bản hướng dẫn."),
            at(2023, 3, 15),
        ),
        (
            "demo",
            (inform.plan_id, inform.id, vp),
            entry(
                "2023-12-15",
                TaskStatus::InProgress,
                "Đã đăng 14 tin, bài về thực hiện dân chủ ở cơ sở.",
            ),
            at(2023, 9, 30),
        ),
    ];
    for (who, on, progress, when) in offices {
        danchu_db::plans::record_at(db, &Actor(who.into()), on, &progress, &[], when).await?;
    }
    let quarters = ["2023-03-14", "2023-06-14", "2023-09-14", "2023-12-14"];
    for (n, (code, unit)) in communes.iter().enumerate() {
        let reporter = Actor(format!("baocao.{code}"));
        // Tuyên truyền: two communes still at it after the deadline.
        let (status, note) = match *code {
            "25792" | "25798" => (
                TaskStatus::InProgress,
                "Đã tổ chức tuyên truyền ở một số ấp; đang tiếp tục.",
            ),
            _ => (done, "Đã tổ chức hội nghị tuyên truyền ở các ấp, khu phố."),
        };
        danchu_db::plans::record_at(
            db,
            &reporter,
            (inform.plan_id, inform.id, *unit),
            &entry("2023-12-15", status, note),
            &[],
            at(2023, 11, 10 + (n % 10) as u8),
        )
        .await?;
        // Quarterly reports: An Lập never sent Q4; Thanh Tuyền stopped after Q2.
        let sent = match *code {
            "25789" => 3,
            "25798" => 2,
            _ => 4,
        };
        for (q, due) in quarters.iter().take(sent).enumerate() {
            let month = 3 + 3 * q as u8;
            danchu_db::plans::record_at(
                db,
                &reporter,
                (report.plan_id, report.id, *unit),
                &entry(due, done, &format!("Đã gửi báo cáo quý {}.", q + 1)),
                &[],
                at(2023, month, 10),
            )
            .await?;
        }
    }
    danchu_db::settings::set_once(&mut db.clone(), "demo_plans_seeded", "1").await?;
    Ok(())
}
