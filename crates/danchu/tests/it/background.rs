//! The background-work pages of the admin area, through the real router on both
//! databases: the system administrator sees the jobs and runs one now, sees the outbox
//! with recipients masked and no bodies, and sends a parked message again; both actions
//! need the CSRF token and are audited; a unit administrator is refused.

use danchu_core::outbox::{Channel, State};
use danchu_db::outbox::{self, NewMessage};

use crate::both;
use crate::harness::{Fixture, TestApp};

const BODY: &str = "Nội dung riêng: mã theo dõi PA-2026-0042";

/// When the clean-up job is next due (unix milliseconds).
async fn clean_up_due(app: &TestApp) -> i64 {
    let due = "SELECT next_due_ms AS n FROM jobs WHERE name = 'clean_up'";
    app.int(danchu_db::q(due), "n").await
}

async fn parked_message(app: &TestApp) -> i64 {
    let mut tx = app.db.begin().await.unwrap();
    let m = NewMessage {
        channel: Channel::Email,
        recipient: "chi.tran@dautieng.gov.vn",
        subject: "Kết quả xử lý phản ánh",
        body: BODY,
        topic: "feedback.answer",
        entity_type: "feedback",
        entity_id: "42",
    };
    let id = outbox::enqueue(&mut tx, &m, 1_000).await.unwrap();
    tx.commit().await.unwrap();
    let batch = outbox::claim(&app.db, "node-a", 2_000, 10, 30_000)
        .await
        .unwrap();
    let state = outbox::failed(
        &app.db,
        &batch.claim,
        &batch.messages[0],
        "550 hộp thư không tồn tại",
        3_000,
        0,
    )
    .await
    .unwrap();
    assert_eq!(state, Some(State::Parked));
    id
}

/// The outbox page's "send again" of message `id`, with the page's CSRF token.
async fn send_again(app: &TestApp, c: &reqwest::Client, id: i64) -> reqwest::Response {
    let action = format!("/quan-tri/thong-bao-gui/{id}/gui-lai");
    app.post(c, "/quan-tri/thong-bao-gui", &action, &[]).await
}

both!(
    the_system_administrator_sees_the_jobs_and_runs_one_now,
    Fixture::units().with_users(&["admin", "quantri.huyen"]),
    |app: TestApp| async move {
        danchu_db::jobs::ensure(&app.db, danchu_db::now_ms() + 3_600_000)
            .await
            .unwrap();
        let c = app.sign_in("admin").await;
        let page = app.page(&c, "/quan-tri/viec-nen").await;
        for label in [
            "Gửi thư và tin nhắn",
            "Đăng bài theo lịch",
            "Dọn dữ liệu hết hạn",
        ] {
            assert!(page.contains(label), "{label}");
        }
        // Without the token: refused, nothing moved.
        let r = c
            .post(app.at("/quan-tri/viec-nen/clean_up/chay-ngay"))
            .form(&[("x", "y")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403);
        assert!(clean_up_due(&app).await > danchu_db::now_ms());
        let mark = app.audit_mark().await;
        let r = app
            .post(
                &c,
                "/quan-tri/viec-nen",
                "/quan-tri/viec-nen/clean_up/chay-ngay",
                &[],
            )
            .await;
        assert_eq!(r.status(), 303);
        assert!(clean_up_due(&app).await <= danchu_db::now_ms(), "due now");
        app.assert_audited_since(mark, &[("job.run_now", "clean_up".into())])
            .await;
        // An unknown job is not found.
        let r = app
            .post(
                &c,
                "/quan-tri/viec-nen",
                "/quan-tri/viec-nen/khong-co/chay-ngay",
                &[],
            )
            .await;
        assert_eq!(r.status(), 404);
        // A unit administrator is not the system's.
        let unit_admin = app.sign_in("quantri.huyen").await;
        assert_eq!(
            app.get(&unit_admin, "/quan-tri/viec-nen").await.status(),
            403
        );
        assert_eq!(
            app.get(&unit_admin, "/quan-tri/thong-bao-gui")
                .await
                .status(),
            403
        );
    }
);

both!(
    the_outbox_page_masks_recipients_and_a_parked_message_is_sent_again,
    Fixture::units().with_users(&["admin", "quantri.huyen"]),
    |app: TestApp| async move {
        let id = parked_message(&app).await;
        let c = app.sign_in("admin").await;
        let page = app.page(&c, "/quan-tri/thong-bao-gui?state=parked").await;
        assert!(page.contains("ch•••@dautieng.gov.vn"));
        assert!(!page.contains("chi.tran@"), "the address is masked");
        assert!(!page.contains("PA-2026-0042"), "no body on the page");
        assert!(page.contains("550 hộp thư không tồn tại"));
        assert!(page.contains("Gửi không được: 1"));
        let unit_admin = app.sign_in("quantri.huyen").await;
        let r = unit_admin
            .post(app.at(&format!("/quan-tri/thong-bao-gui/{id}/gui-lai")))
            .send()
            .await
            .unwrap();
        assert!(matches!(r.status().as_u16(), 403), "{}", r.status());
        let mark = app.audit_mark().await;
        let r = send_again(&app, &c, id).await;
        assert_eq!(r.status(), 303);
        let m = outbox::get(&app.db, id).await.unwrap().unwrap();
        assert_eq!((m.state, m.attempts), (State::Pending, 0));
        app.assert_audited_since(mark, &[("outbox.retry", id.to_string())])
            .await;
        // Not parked any more: a second retry is not found.
        let r = send_again(&app, &c, id).await;
        assert_eq!(r.status(), 404);
        let page = app.page(&c, "/quan-tri/thong-bao-gui?state=pending").await;
        assert!(page.contains("Kết quả xử lý phản ánh"));
    }
);
