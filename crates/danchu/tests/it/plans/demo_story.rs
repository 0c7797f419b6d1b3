//! The demo tells its story (on the full demo on purpose): Plan 22/KH-UBND with its tasks,
//! their progress and the overdue units.

use crate::both;
use crate::harness::{between, Fixture, TestApp};

use super::plan_id;

both!(
    demo_plan_shows_tasks_progress_and_overdue_units,
    Fixture::demo(),
    |app: TestApp| async move {
        let id = plan_id(&app).await;
        let an_lap = app.unit_id("25789").await;
        let thanh_tuyen = app.unit_id("25798").await;
        // The board: An Lập never sent its Q4 report, Thanh Tuyền stopped after Q2.
        let board = danchu_db::plans::board(&app.db, id, time::macros::date!(2024 - 01 - 15))
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
        let early = danchu_db::plans::board(&app.db, id, time::macros::date!(2023 - 03 - 01))
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
        let r = app.get(&c, "/ke-hoach/99999").await;
        assert_eq!(r.status(), 404);
        let r = app.get(&c, "/quan-tri/ke-hoach").await;
        assert_eq!(r.status(), 303);
    }
);
