//! Phòng Nội vụ assigns tasks (errors per field) and the communes record progress with
//! evidence files (checked by content); unit scoping, the public page, the audit log.

use danchu_core::plans::TaskStatus;

use crate::both;
use crate::harness::{assert_page, assert_refused, between, Fixture, TestApp};

use super::{plan_id, record};

both!(
    noi_vu_assigns_tasks_and_communes_record_progress,
    Fixture::units()
        .with_plans()
        .with_users(&["noivu", "baocao.anlap"]),
    |app: TestApp| async move {
        let id = plan_id(&app).await;
        let an_lap = app.unit_id("25789").await;
        let long_hoa = app.unit_id("25780").await;
        let plan_page = format!("/quan-tri/ke-hoach/{id}");
        let add = format!("/quan-tri/ke-hoach/{id}/nhiem-vu");
        let noivu = app.sign_in("noivu").await;
        let mark = app.audit_mark().await;

        // Errors are shown per field, in Vietnamese, with what was typed kept.
        let r = assign(
            &app,
            &noivu,
            id,
            &[
                ("content", ""),
                ("expected_output", "Biên bản <b>hội nghị</b>"),
                ("lead_unit_id", &an_lap.to_string()),
                ("supporter", &an_lap.to_string()),
                ("due_on", "31/02/2099"),
                ("recurrence", "quarterly"),
                ("until_on", ""),
            ],
        )
        .await;
        let html = assert_refused(
            r,
            &[
                "Hãy nhập nội dung nhiệm vụ.",
                "Đơn vị chủ trì không đồng thời là đơn vị phối hợp.",
                "Hãy nhập thời hạn (dd/mm/yyyy).",
                "Nhiệm vụ định kỳ cần ngày kết thúc lặp lại",
            ],
        )
        .await;
        // What was typed comes back, escaped.
        assert!(html.contains("Biên bản &#60;b&#62;hội nghị&#60;/b&#62;"));
        assert!(!html.contains("<b>hội nghị"));
        // A quarterly task for An Lập with Long Hòa supporting.
        let r = assign(
            &app,
            &noivu,
            id,
            &[
                ("content", "Tổ chức hội nghị nhân dân ở các ấp"),
                ("expected_output", "Biên bản hội nghị"),
                ("lead_unit_id", &an_lap.to_string()),
                ("supporter", &long_hoa.to_string()),
                ("due_on", "31/03/2099"),
                ("recurrence", "quarterly"),
                ("until_on", "31/12/2099"),
            ],
        )
        .await;
        assert_eq!(r.status(), 303);
        let task = danchu_db::plans::tasks(&app.db, id)
            .await
            .unwrap()
            .pop()
            .unwrap();
        assert_eq!(task.content, "Tổ chức hội nghị nhân dân ở các ấp");
        assert_eq!(task.supporters, vec![long_hoa]);
        assert_eq!(
            task.due_dates(),
            ["2099-03-31", "2099-06-30", "2099-09-30", "2099-12-31"]
        );
        // A reporter cannot assign tasks.
        let reporter = app.sign_in("baocao.anlap").await;
        let r = app
            .post(
                &reporter,
                "/quan-tri/mat-khau",
                &add,
                &[("content", "x"), ("lead_unit_id", &an_lap.to_string())],
            )
            .await;
        assert_eq!(r.status(), 403);

        // The An Lập reporter sees the overdue quarterly report on sign-in.
        let home = app.page(&reporter, "/quan-tri").await;
        assert!(home.contains("Nhiệm vụ kế hoạch của đơn vị"));
        assert!(home.contains("Báo cáo kết quả thực hiện dân chủ ở cơ sở hằng quý"));
        assert!(home.contains("Quá hạn"));
        // The admin menu shows a reporter only what a reporter can use.
        assert!(
            home.contains("href=\"/quan-tri/ke-hoach\"")
                && home.contains("href=\"/quan-tri/bao-cao\"")
        );
        for hidden in [
            "/quan-tri/bai-viet",
            "/quan-tri/nguoi-dung",
            "/quan-tri/khoa-api",
            "/quan-tri/nhat-ky",
        ] {
            assert!(
                !home.contains(&format!("href=\"{hidden}\"")),
                "{hidden} hidden"
            );
        }
        let nv_home = app.page(&noivu, "/quan-tri").await;
        assert!(
            nv_home.contains("href=\"/quan-tri/bai-viet\"")
                && nv_home.contains("href=\"/quan-tri/khoa-api\"")
        );

        // Recording progress with an evidence PDF.
        let path = progress_page(id, task.id, an_lap);
        let pdf = crate::harness::pdf_with_text("Bien ban hoi nghi ap Bau Khai", 0);
        let r = record(
            &app,
            &reporter,
            &path,
            &[
                ("occurrence", "2099-03-31"),
                ("status", "in_progress"),
                ("note", "Đã họp 3/7 ấp."),
            ],
            vec![("bien-ban.pdf", pdf)],
        )
        .await;
        assert_eq!(r.status(), 303);
        let (total, history) = danchu_db::plans::history(&app.db, task.id, an_lap, 50, 0)
            .await
            .unwrap();
        assert_eq!((total, history.len()), (1, 1));
        assert_eq!(history[0].status, TaskStatus::InProgress);
        assert_eq!(history[0].files.len(), 1);
        assert_eq!(history[0].files[0].unit_id, an_lap);
        // Back on the task's page, which lists the entry (the notice "Đã ghi nhận tiến
        // độ." comes from the `?ok=1` of the address alone).
        assert_eq!(r.headers()["location"], format!("{path}?ok=1"));
        let page = app.page(&reporter, &format!("{path}?ok=1")).await;
        assert!(page.contains("Đã ghi nhận tiến độ."));
        let entry = between(&page, "<ol class=\"plain rows\">", "</ol>");
        assert!(
            entry.contains("<li><strong>Đang thực hiện</strong> · Kỳ 31/03/2099 · "),
            "the entry with its status and due date: {entry}"
        );
        assert!(entry.contains("<p>Đã họp 3/7 ấp.</p>"));
        assert!(entry.contains(&format!(
            "<a href=\"/tep/{}\">bien-ban.pdf</a>",
            history[0].files[0].stored_name
        )));
        let file = &history[0].files[0].stored_name;
        let r = app
            .client()
            .get(app.at(&format!("/tep/{file}")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);

        // A file that is not what it claims is refused; nothing is recorded, the note stays.
        let elf = b"\x7fELF\x02\x01\x01\x00not really a pdf".to_vec();
        let r = record(
            &app,
            &reporter,
            &path,
            &[
                ("occurrence", "2099-03-31"),
                ("status", "done"),
                ("note", "Hoàn thành quý I"),
            ],
            vec![("../../etc/passwd.pdf", elf)],
        )
        .await;
        assert_eq!(r.status(), 415);
        let html = r.text().await.unwrap();
        assert!(html.contains("Loại tệp không được nhận"));
        assert!(html.contains("Hoàn thành quý I"));
        assert_eq!(
            danchu_db::plans::history(&app.db, task.id, an_lap, 50, 0)
                .await
                .unwrap()
                .0,
            1
        );
        // A due date that is not the task's, or no status, is refused with a reason.
        let r = record(
            &app,
            &reporter,
            &path,
            &[("occurrence", "2099-02-01"), ("status", "done")],
            vec![],
        )
        .await;
        assert_page(r, 400, "Kỳ thực hiện không hợp lệ.").await;
        let r = record(
            &app,
            &reporter,
            &path,
            &[("occurrence", "2099-03-31")],
            vec![],
        )
        .await;
        assert_eq!(r.status(), 400);

        // Unit scoping: An Lập cannot report for Long Hòa, nor for a unit not on the task.
        let other = progress_page(id, task.id, long_hoa);
        let r = app.get(&reporter, &other).await;
        assert_eq!(r.status(), 403);
        let token = app.csrf(&reporter, "/quan-tri/mat-khau").await;
        let r = reporter
            .post(app.at(&format!("{other}?_csrf={token}")))
            .multipart(
                reqwest::multipart::Form::new()
                    .text("occurrence", "2099-03-31")
                    .text("status", "done"),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403);
        let thanh_an = app.unit_id("25795").await;
        let r = app.get(&noivu, &progress_page(id, task.id, thanh_an)).await;
        assert_eq!(r.status(), 404, "Thanh An is not on the task");
        // Phòng Nội vụ reads the unit's progress.
        let page = app.page(&noivu, &path).await;
        assert!(page.contains("bien-ban.pdf"));

        // Finishing the overdue Q4 report clears the flag.
        let quarterly = &danchu_db::plans::tasks(&app.db, id).await.unwrap()[2];
        let q4 = progress_page(id, quarterly.id, an_lap);
        let r = record(
            &app,
            &reporter,
            &q4,
            &[
                ("occurrence", "2023-12-14"),
                ("status", "done"),
                ("note", "Gửi bổ sung báo cáo quý IV."),
            ],
            vec![],
        )
        .await;
        assert_eq!(r.status(), 303);
        let board = danchu_db::plans::board(&app.db, id, danchu_db::today_vn_date())
            .await
            .unwrap();
        let s = board.tasks[2]
            .units
            .iter()
            .find(|u| u.unit_id == an_lap)
            .unwrap();
        assert!(!s.overdue);
        assert_eq!(s.status, TaskStatus::Done);

        // A task with progress is kept; a fresh one can be removed.
        let remove = format!("/quan-tri/ke-hoach/{id}/nhiem-vu/{}/xoa", task.id);
        let r = app.post(&noivu, &plan_page, &remove, &[]).await;
        assert_page(r, 400, "không xóa được").await;
        let r = assign(
            &app,
            &noivu,
            id,
            &[
                ("content", "Nhiệm vụ nhập nhầm"),
                ("lead_unit_id", &long_hoa.to_string()),
                ("due_on", "01/06/2099"),
                ("recurrence", "once"),
            ],
        )
        .await;
        assert_eq!(r.status(), 303);
        let fresh = danchu_db::plans::tasks(&app.db, id)
            .await
            .unwrap()
            .pop()
            .unwrap();
        let r = app
            .post(
                &noivu,
                &plan_page,
                &format!("/quan-tri/ke-hoach/{id}/nhiem-vu/{}/xoa", fresh.id),
                &[],
            )
            .await;
        assert_eq!(r.status(), 303);
        assert_eq!(danchu_db::plans::tasks(&app.db, id).await.unwrap().len(), 4);

        // Each change of this test is in the audit log (the plan itself is the demo's),
        // and the chain verifies.
        app.assert_audited_since(
            mark,
            &[
                ("plan.task.add", task.id.to_string()),
                ("plan.task.remove", fresh.id.to_string()),
                ("plan.progress", task.id.to_string()),
            ],
        )
        .await;
    }
);

/// Submits the new-task form of the plan `plan`'s page as `c`.
async fn assign(
    app: &TestApp,
    c: &reqwest::Client,
    plan: i64,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let page = format!("/quan-tri/ke-hoach/{plan}");
    app.post(c, &page, &format!("{page}/nhiem-vu"), fields)
        .await
}

/// The page of the progress of `unit` on the task `task` of the plan `plan`.
fn progress_page(plan: i64, task: i64, unit: i64) -> String {
    format!("/quan-tri/ke-hoach/{plan}/nhiem-vu/{task}/don-vi/{unit}")
}
