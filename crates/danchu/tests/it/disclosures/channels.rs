//! R7: the broadcast minimum: a commune without loudspeakers, a merged commune in the
//! history, the forms summary filled in for older data.

use crate::both;
use crate::harness::{Fixture, TestApp};

use super::{find, public_page};

both!(
    r7_a_commune_without_loudspeakers_and_a_merged_commune_in_history,
    Fixture::demo(),
    |app: TestApp| async move {
        let town = app.unit_id("25765").await;
        let mark = app.audit_mark().await;
        let huyen = app.sign_in("quantri.huyen").await;
        let dash = "/quan-tri/cong-khai/tuan-thu?nam=2023";
        assert!(app
            .page(&huyen, dash)
            .await
            .contains("— Thị trấn Dầu Tiếng: Chưa đủ hình thức bắt buộc"));
        // R7 "nếu có": the town records it has no loudspeaker system.
        let unit_page = format!("/quan-tri/don-vi/{town}");
        assert!(app
            .page(&huyen, &unit_page)
            .await
            .contains("Xã có hệ thống truyền thanh không?"));
        // A commune official may not change another commune's record.
        let anlap = app.sign_in("quantri.anlap").await;
        let r = app
            .post(
                &anlap,
                "/quan-tri/mat-khau",
                &format!("{unit_page}/truyen-thanh"),
                &[("has", "0")],
            )
            .await;
        assert_eq!(r.status(), 403);
        let r = app
            .post(
                &huyen,
                &unit_page,
                &format!("{unit_page}/truyen-thanh"),
                &[("has", "0")],
            )
            .await;
        assert_eq!(r.status(), 303);
        assert!(!danchu_db::disclosures::has_loudspeakers(&app.db, town)
            .await
            .unwrap());
        assert!(!app
            .page(&huyen, dash)
            .await
            .contains("Chưa đủ hình thức bắt buộc"));
        let fees = find(&app, town, "Mức thu phí").await;
        assert!(public_page(&app, fees.id)
            .await
            .contains("Xã chưa có hệ thống truyền thanh"));
        app.assert_audited_since(mark, &[("unit.loudspeakers", "25765".to_string())])
            .await;
        assert!(app
            .page(&huyen, &unit_page)
            .await
            .contains("Hệ thống truyền thanh của xã"));

        // A commune merged in 2025 still answers for its 2023 obligations; it is gone from
        // 2026 and from the posting form.
        let long_tan = app.unit_id("25792").await;
        let thanh_an = app.unit_id("25795").await;
        danchu_db::units::merge(
            &app.db,
            &danchu_db::audit::Actor("test".into()),
            &[long_tan],
            thanh_an,
            time::macros::date!(2025 - 07 - 01),
        )
        .await
        .unwrap();
        let district = app.unit_id("721").await;
        let in_year = |y| {
            let db = app.db.clone();
            async move {
                danchu_db::disclosures::register_units(&db, &[district], Some("commune"), Some(y))
                    .await
                    .unwrap()
                    .iter()
                    .any(|u| u.id == long_tan)
            }
        };
        assert!(in_year(2023).await && in_year(2025).await && !in_year(2026).await);
        assert!(app.page(&huyen, dash).await.contains("Xã Long Tân"));
        let form = app.page(&huyen, "/quan-tri/cong-khai/moi").await;
        assert!(
            !form.contains("Xã Long Tân") && form.contains("<optgroup label=\"Huyện Dầu Tiếng\">")
        );
        // A category of the other list left in the query is ignored, not a page of zeros.
        let cats = danchu_db::disclosures::categories(&app.db).await.unwrap();
        let agency_budget = cats.iter().find(|c| c.1.code == "pctn-02").unwrap().0;
        let page = app
            .page(&huyen, &format!("{dash}&danh_muc={agency_budget}"))
            .await;
        assert!(
            page.contains("<strong class=\"overdue\">1</strong>"),
            "the communes' figures, unfiltered"
        );
        let r = app
            .get(&huyen, "/api/v1/cong-khai?trang=99999999999999999")
            .await;
        assert_eq!(r.status(), 200, "a huge page number is bounded");
    }
);

both!(
    r7_forms_summary_is_backfilled_for_older_data,
    Fixture::demo(),
    |app: TestApp| async move {
        // Data from before the summary existed (the column's default) is filled in at start.
        let town = app.unit_id("25765").await;
        let fees = find(&app, town, "Mức thu phí").await;
        let read = || {
            let db = app.db.clone();
            async move {
                let r = db
                    .fetch_optional(
                        danchu_db::q(
                            "SELECT forms_mask, broadcast_run FROM disclosures WHERE id = $1",
                        )
                        .bind(fees.id),
                    )
                    .await
                    .unwrap()
                    .unwrap();
                (
                    r.get::<i64>("forms_mask").unwrap(),
                    r.get::<i64>("broadcast_run").unwrap(),
                )
            }
        };
        let written = read().await;
        assert_eq!(written.1, 2, "the town's broadcast ran two days");
        app.db
            .execute(
                danchu_db::q(
                    "UPDATE disclosures SET forms_mask = 0, broadcast_run = 0 WHERE id = $1",
                )
                .bind(fees.id),
            )
            .await
            .unwrap();
        assert_eq!(
            danchu_db::disclosures::refresh_forms(&app.db)
                .await
                .unwrap(),
            1
        );
        assert_eq!(read().await, written);
        assert_eq!(
            danchu_db::disclosures::refresh_forms(&app.db)
                .await
                .unwrap(),
            0,
            "once"
        );
    }
);
