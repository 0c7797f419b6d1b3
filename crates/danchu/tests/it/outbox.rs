//! The outbox's storage, on both databases: a message exists only if its step committed,
//! concurrent claims never share a message, failures back off and then park, a parked
//! message can be retried (audited), and a lapsed claim is taken over.

use danchu_core::outbox::{retry_delay, Channel, State};
use danchu_db::audit::Actor;
use danchu_db::outbox::{self, NewMessage};

use crate::both;
use crate::harness::{Fixture, TestApp};

const T0: i64 = 1_800_000_000_000;

fn message(n: usize) -> (String, String) {
    (
        format!("can.bo{n}@dautieng.gov.vn"),
        format!("Thông báo số {n}"),
    )
}

async fn enqueue(app: &TestApp, n: usize) -> i64 {
    let (to, subject) = message(n);
    let mut tx = app.db.begin().await.unwrap();
    let id = outbox::enqueue(
        &mut tx,
        &NewMessage {
            channel: Channel::Email,
            recipient: &to,
            subject: &subject,
            body: "Kính gửi: đồng chí.\nHạn nộp báo cáo là 15/12/2026.",
            topic: "report_round.create",
            entity_type: "report_round",
            entity_id: "1",
        },
        T0,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    id
}

/// A text message with a tracking code, as a petition's first step would send.
pub(crate) fn sms() -> NewMessage<'static> {
    NewMessage {
        channel: Channel::Sms,
        recipient: "+84912345678",
        subject: "",
        body: "Mã theo dõi: PA-2026-0001",
        topic: "feedback.create",
        entity_type: "feedback",
        entity_id: "1",
    }
}

both!(
    a_message_exists_only_if_its_step_committed,
    Fixture::units(),
    |app: TestApp| async move {
        let mut tx = app.db.begin().await.unwrap();
        let m = sms();
        outbox::enqueue(&mut tx, &m, T0).await.unwrap();
        drop(tx); // the step failed: rolled back
        assert!(outbox::list(&app.db, None, 10, 0).await.unwrap().is_empty());
        let id = enqueue(&app, 1).await;
        let stored = outbox::get(&app.db, id).await.unwrap().unwrap();
        assert_eq!(
            (stored.state, stored.attempts, stored.due_ms),
            (State::Pending, 0, T0)
        );
        assert_eq!(stored.recipient, "can.bo1@dautieng.gov.vn");
        assert_eq!(
            stored.body,
            "Kính gửi: đồng chí.\nHạn nộp báo cáo là 15/12/2026."
        );
        let counts = outbox::counts(&app.db).await.unwrap();
        assert_eq!(counts[0], (State::Pending, 1));
    }
);

both!(
    concurrent_claims_never_share_a_message,
    Fixture::units(),
    |app: TestApp| async move {
        let mut ids = Vec::new();
        for n in 0..30 {
            ids.push(enqueue(&app, n).await);
        }
        let mut tasks = Vec::new();
        for node in 0..4 {
            let db = app.db.clone();
            tasks.push(tokio::spawn(async move {
                let mut mine = Vec::new();
                loop {
                    match outbox::claim(&db, &format!("node-{node}"), T0 + 1, 4, 30_000).await {
                        Ok(b) if b.messages.is_empty() => break,
                        Ok(b) => mine.extend(b.messages.iter().map(|m| m.id)),
                        Err(e) => assert!(format!("{e}").contains("lock"), "{e}"),
                    }
                }
                mine
            }));
        }
        let mut claimed = Vec::new();
        for t in tasks {
            claimed.extend(t.await.unwrap());
        }
        claimed.sort();
        assert_eq!(claimed, ids, "every message claimed exactly once");
        let counts = outbox::counts(&app.db).await.unwrap();
        assert_eq!(counts[1], (State::Sending, 30));
    }
);

both!(
    failures_back_off_then_park_and_an_admin_retries,
    Fixture::units(),
    |app: TestApp| async move {
        let id = enqueue(&app, 7).await;
        let mut now = T0;
        for attempt in 1..=3u32 {
            let batch = outbox::claim(&app.db, "node-a", now, 10, 30_000)
                .await
                .unwrap();
            assert_eq!(batch.messages.len(), 1, "try {attempt}");
            let m = &batch.messages[0];
            assert_eq!(m.attempts, i64::from(attempt));
            let left = outbox::failed(&app.db, &batch.claim, m, "421 dịch vụ tạm ngừng", now, 3)
                .await
                .unwrap();
            if attempt < 3 {
                assert_eq!(left, Some(State::Pending));
                let m = outbox::get(&app.db, id).await.unwrap().unwrap();
                let wait = retry_delay(attempt).as_millis() as i64;
                assert_eq!(m.due_ms, now + wait);
                // Not before its time.
                let early = outbox::claim(&app.db, "node-a", now + wait - 1, 10, 30_000);
                assert!(early.await.unwrap().messages.is_empty());
                now += wait;
            } else {
                assert_eq!(left, Some(State::Parked));
            }
        }
        let parked = outbox::list(&app.db, Some(State::Parked), 10, 0)
            .await
            .unwrap();
        assert_eq!(parked.len(), 1);
        assert_eq!(parked[0].last_error, "421 dịch vụ tạm ngừng");
        assert!(
            outbox::claim(&app.db, "node-a", now + 86_400_000, 10, 30_000)
                .await
                .unwrap()
                .messages
                .is_empty()
        );
        let mark = app.audit_mark().await;
        let admin = Actor("admin".into());
        assert!(outbox::retry(&app.db, &admin, id, now).await.unwrap());
        assert!(
            !outbox::retry(&app.db, &admin, id, now).await.unwrap(),
            "no longer parked"
        );
        let m = outbox::get(&app.db, id).await.unwrap().unwrap();
        assert_eq!((m.state, m.attempts, m.due_ms), (State::Pending, 0, now));
        app.assert_audited_since(mark, &[("outbox.retry", id.to_string())])
            .await;
        let batch = outbox::claim(&app.db, "node-b", now, 10, 30_000)
            .await
            .unwrap();
        assert!(outbox::sent(&app.db, &batch.claim, id, now + 5)
            .await
            .unwrap());
        let m = outbox::get(&app.db, id).await.unwrap().unwrap();
        assert_eq!(
            (m.state, m.sent_ms, m.last_error.as_str()),
            (State::Sent, Some(now + 5), "")
        );
    }
);

both!(
    a_lapsed_claim_is_taken_over_and_the_stale_one_records_nothing,
    Fixture::units(),
    |app: TestApp| async move {
        let id = enqueue(&app, 3).await;
        let a = outbox::claim(&app.db, "node-a", T0, 10, 30_000)
            .await
            .unwrap();
        assert_eq!(a.messages.len(), 1);
        // Held: nobody else gets it.
        let held = outbox::claim(&app.db, "node-b", T0 + 29_999, 10, 30_000)
            .await
            .unwrap();
        assert!(held.messages.is_empty());
        // node-a died: its claim lapses and node-b sends the message.
        let b = outbox::claim(&app.db, "node-b", T0 + 30_001, 10, 30_000)
            .await
            .unwrap();
        assert_eq!(
            b.messages
                .iter()
                .map(|m| (m.id, m.attempts))
                .collect::<Vec<_>>(),
            [(id, 2)]
        );
        assert!(!outbox::sent(&app.db, &a.claim, id, T0 + 30_002)
            .await
            .unwrap());
        let stale = outbox::failed(&app.db, &a.claim, &a.messages[0], "x", T0 + 30_002, 8);
        assert_eq!(stale.await.unwrap(), None);
        assert!(outbox::sent(&app.db, &b.claim, id, T0 + 30_003)
            .await
            .unwrap());
        let m = outbox::get(&app.db, id).await.unwrap().unwrap();
        assert_eq!(m.state, State::Sent);
    }
);
