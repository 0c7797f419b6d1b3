//! Plans and tasks over both databases and real HTTP (issue 5, point 1): the demo Plan
//! 22/KH-UBND with its overdue tasks, Phòng Nội vụ adding and removing tasks (errors per
//! field), a commune recording progress with an evidence file (checked by content), unit
//! scoping, the public page, and the audit log.

use danchu_core::plans::TaskStatus;

use crate::both;
use crate::harness::{between, TestApp};

async fn plan_id(app: &TestApp) -> i64 {
    danchu_db::plans::list(&app.db).await.unwrap()[0].id
}

/// Posts a progress form (multipart, token in the URL) with optional evidence files.
async fn record(
    app: &TestApp,
    c: &reqwest::Client,
    path: &str,
    fields: &[(&str, &str)],
    files: Vec<(&str, Vec<u8>)>,
) -> reqwest::Response {
    let page = app.page(c, path).await;
    let marker = "?_csrf=";
    let start = page.find(marker).expect("form with token") + marker.len();
    let token: String = page[start..].chars().take_while(|ch| *ch != '"').collect();
    let mut form = reqwest::multipart::Form::new();
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    for (name, bytes) in files {
        form = form.part(
            "evidence",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
        );
    }
    c.post(app.at(&format!("{path}?_csrf={token}")))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

both!(
    demo_plan_shows_tasks_progress_and_overdue_units,
    |app: TestApp| async move {
        let id = plan_id(&app).await;
        let an_lap = app.unit_id("25789").await;
        let thanh_tuyen = app.unit_id("25798").await;
        // The board: An Lập never sent its Q4 report, Thanh Tuyền stopped after Q2.
        let board = danchu_db::plans::board(&app.db, id, "2024-01-15")
            .await
            .unwrap();
        assert_eq!(board.tasks.len(), 3);
        let quarterly = &board.tasks[2];
        assert_eq!(quarterly.task.due_dates().len(), 4);
        let of = |u: i64| quarterly.units.iter().find(|s| s.unit_id == u).unwrap();
        assert!(of(an_lap).overdue);
        assert_eq!(of(an_lap).next_due.as_deref(), Some("2023-12-14"));
        assert_eq!((of(an_lap).done, of(an_lap).total), (3, 4));
        assert_eq!(of(thanh_tuyen).next_due.as_deref(), Some("2023-09-14"));
        let done_all = quarterly.units.iter().filter(|u| !u.overdue).count();
        assert_eq!(done_all, 10);
        assert_eq!(board.units.len(), 15, "12 communes and 3 offices");
        // Before the first due date nothing is overdue.
        let early = danchu_db::plans::board(&app.db, id, "2023-03-01")
            .await
            .unwrap();
        assert!(early.units.iter().all(|u| u.overdue == 0));

        // The public page, without an account.
        let c = app.client();
        let list = app.page(&c, "/ke-hoach").await;
        assert!(list.contains("22/KH-UBND"), "plan listed");
        let html = app.page(&c, &format!("/ke-hoach/{id}")).await;
        for s in [
            "22/KH-UBND",
            "21/02/2023",
            "Báo cáo kết quả thực hiện dân chủ ở cơ sở hằng quý",
            "Hằng quý, từ 14/03/2023 đến 14/12/2023",
            "Xã An Lập",
            "Phòng Nội vụ",
        ] {
            assert!(html.contains(s), "public plan page shows {s}");
        }
        // "Quá hạn" is also a column header: the marker is looked for in An Lập's line of
        // the quarterly task, and is not on a unit that sent every report.
        let tasks = between(&html, "<ol class=\"tasks\">", "</ol>");
        let quarterly_html = between(
            tasks,
            "<strong>Báo cáo kết quả thực hiện dân chủ ở cơ sở hằng quý về Phòng Nội vụ</strong>",
            "</ul>",
        );
        let line =
            |unit: &str| between(quarterly_html, &format!("<li>{unit} ("), "</li>").to_string();
        let overdue = "(3/4) — <strong class=\"overdue\">Quá hạn</strong>";
        assert!(line("Xã An Lập").contains(overdue), "{}", line("Xã An Lập"));
        let on_time = quarterly
            .units
            .iter()
            .find(|u| !u.overdue)
            .expect("a unit with every report sent");
        assert!(
            !line(&on_time.unit_name).contains("Quá hạn"),
            "{}",
            line(&on_time.unit_name)
        );
        // The document page links to the plan's progress.
        let doc = danchu_db::plans::get(&mut app.db.clone(), id)
            .await
            .unwrap()
            .unwrap()
            .document
            .id;
        let page = app.page(&c, &format!("/van-ban/{doc}")).await;
        assert!(page.contains(&format!("href=\"/ke-hoach/{id}\"")));
        // Unknown plans are 404; the admin pages need a sign-in.
        let r = c.get(app.at("/ke-hoach/99999")).send().await.unwrap();
        assert_eq!(r.status(), 404);
        let r = c.get(app.at("/quan-tri/ke-hoach")).send().await.unwrap();
        assert_eq!(r.status(), 303);
    }
);

both!(
    noi_vu_assigns_tasks_and_communes_record_progress,
    |app: TestApp| async move {
        let id = plan_id(&app).await;
        let an_lap = app.unit_id("25789").await;
        let long_hoa = app.unit_id("25780").await;
        let plan_page = format!("/quan-tri/ke-hoach/{id}");
        let add = format!("/quan-tri/ke-hoach/{id}/nhiem-vu");
        let noivu = app.sign_in("noivu").await;
        let mark = app.audit_mark().await;

        // Errors are shown per field, in Vietnamese, with what was typed kept.
        let r = app
            .post(
                &noivu,
                &plan_page,
                &add,
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
        assert_eq!(r.status(), 400);
        let html = r.text().await.unwrap();
        for s in [
            "Hãy nhập nội dung nhiệm vụ.",
            "Đơn vị chủ trì không đồng thời là đơn vị phối hợp.",
            "Hãy nhập thời hạn (dd/mm/yyyy).",
            "Nhiệm vụ định kỳ cần ngày kết thúc lặp lại",
        ] {
            assert!(html.contains(s), "form shows {s}");
        }
        // What was typed comes back, escaped.
        assert!(html.contains("Biên bản &#60;b&#62;hội nghị&#60;/b&#62;"));
        assert!(!html.contains("<b>hội nghị"));
        // A quarterly task for An Lập with Long Hòa supporting.
        let r = app
            .post(
                &noivu,
                &plan_page,
                &add,
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
        let path = format!(
            "/quan-tri/ke-hoach/{id}/nhiem-vu/{}/don-vi/{an_lap}",
            task.id
        );
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
        assert_eq!(r.status(), 400);
        assert!(r
            .text()
            .await
            .unwrap()
            .contains("Kỳ thực hiện không hợp lệ."));
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
        let other = format!(
            "/quan-tri/ke-hoach/{id}/nhiem-vu/{}/don-vi/{long_hoa}",
            task.id
        );
        let r = reporter.get(app.at(&other)).send().await.unwrap();
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
        let r = noivu
            .get(app.at(&format!(
                "/quan-tri/ke-hoach/{id}/nhiem-vu/{}/don-vi/{thanh_an}",
                task.id
            )))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 404, "Thanh An is not on the task");
        // Phòng Nội vụ reads the unit's progress.
        let page = app.page(&noivu, &path).await;
        assert!(page.contains("bien-ban.pdf"));

        // Finishing the overdue Q4 report clears the flag.
        let quarterly = &danchu_db::plans::tasks(&app.db, id).await.unwrap()[2];
        let q4 = format!(
            "/quan-tri/ke-hoach/{id}/nhiem-vu/{}/don-vi/{an_lap}",
            quarterly.id
        );
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
        let board = danchu_db::plans::board(&app.db, id, &danchu_db::today_vn())
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
        assert_eq!(r.status(), 400);
        assert!(r.text().await.unwrap().contains("không xóa được"));
        let r = app
            .post(
                &noivu,
                &plan_page,
                &add,
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

both!(
    noi_vu_makes_a_library_document_a_plan,
    |app: TestApp| async move {
        let noivu = app.sign_in("noivu").await;
        let office = app.unit_id("721-NV").await.to_string();
        let law = danchu_db::documents::by_number(&app.db, "10/2022/QH15")
            .await
            .unwrap()[0]
            .id
            .to_string();
        let page = app.page(&noivu, "/quan-tri/ke-hoach").await;
        assert!(page.contains("10/2022/QH15"), "library documents offered");
        let r = app
            .post(
                &noivu,
                "/quan-tri/ke-hoach",
                "/quan-tri/ke-hoach",
                &[("document_id", ""), ("unit_id", &office)],
            )
            .await;
        assert_eq!(r.status(), 400);
        let r = app
            .post(
                &noivu,
                "/quan-tri/ke-hoach",
                "/quan-tri/ke-hoach",
                &[("document_id", &law), ("unit_id", &office)],
            )
            .await;
        assert_eq!(r.status(), 303);
        assert_eq!(danchu_db::plans::list(&app.db).await.unwrap().len(), 2);
        // The same document cannot become a second plan; another office cannot be chosen.
        let r = app
            .post(
                &noivu,
                "/quan-tri/ke-hoach",
                "/quan-tri/ke-hoach",
                &[("document_id", &law), ("unit_id", &office)],
            )
            .await;
        assert_eq!(r.status(), 400);
        let district = app.unit_id("721").await.to_string();
        let r = app
            .post(
                &noivu,
                "/quan-tri/ke-hoach",
                "/quan-tri/ke-hoach",
                &[("document_id", &law), ("unit_id", &district)],
            )
            .await;
        assert_eq!(r.status(), 403);
    }
);
