//! The audit log: every change appends; the chain detects edits, deletions, reordering.

use crate::both;
use crate::harness::{Backend, Fixture, TestApp};

async fn count(app: &TestApp) -> i64 {
    app.chain_audit().await;
    app.int(danchu_db::q("SELECT COUNT(*) AS n FROM audit_log"), "n")
        .await
}

/// What an attacker with direct database access must do first: remove the trigger
/// that makes the table append-only.
async fn drop_guard(app: &TestApp) {
    let sql = match app.backend {
        Backend::Sqlite => "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;",
        Backend::Postgres => "DROP TRIGGER audit_log_no_change ON audit_log",
    };
    let statements: Vec<&'static str> = sql
        .split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    exec(app, &statements).await;
}

/// Runs `statements` on the test's database, each of which must succeed.
async fn exec(app: &TestApp, statements: &[&'static str]) {
    for sql in statements {
        app.db.execute(danchu_db::q(*sql)).await.unwrap();
    }
}

/// `danchu audit verify` fails (exit code 2), and what it says names `says`.
fn assert_verify_fails(app: &TestApp, says: &str) {
    let out = app.cli(&["audit", "verify"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(says), "{err}");
}

both!(
    changes_are_audited_with_before_and_after,
    Fixture::units().with_users(&["admin"]),
    |app: TestApp| async move {
        let c = app.sign_in("admin").await;
        let n0 = count(&app).await;
        let id = app.unit_id("25789").await;
        let r = app.rename_unit(&c, "/quan-tri", id, "Xã An Lập mới").await;
        assert_eq!(r.status(), 303);
        assert_eq!(count(&app).await, n0 + 1);
        let f = danchu_db::audit::Filter {
            action: Some("unit.update".into()),
            ..Default::default()
        };
        let e = &danchu_db::audit::list(&app.db, &f, 1).await.unwrap()[0];
        assert_eq!(e.actor, "admin");
        assert_eq!(e.entity_id, "25789");
        assert!(e.before.as_deref().unwrap().contains("Xã An Lập\""));
        assert!(e.after.as_deref().unwrap().contains("Xã An Lập mới"));
        // The admin can browse and filter it. The action of each listed entry, read from
        // its row (the names are also in the filter's list of actions).
        let listed = |page: &str| -> Vec<String> {
            crate::harness::between(page, "<tbody>", "</tbody>")
                .split("<span class=\"small\">")
                .skip(1)
                .filter_map(|r| r.split("</span></td>").next())
                .filter(|a| !a.starts_with("hash "))
                .map(str::to_string)
                .collect()
        };
        let all = app.page(&c, "/quan-tri/nhat-ky").await;
        assert!(
            listed(&all).iter().any(|a| a != "unit.update"),
            "unfiltered, other actions are listed: {:?}",
            listed(&all)
        );
        let page = app.page(&c, "/quan-tri/nhat-ky?action=unit.update").await;
        assert!(page.contains("Xã An Lập mới"));
        let actions = listed(&page);
        assert!(
            !actions.is_empty() && actions.iter().all(|a| a == "unit.update"),
            "only unit.update: {actions:?}"
        );
        let page = app.page(&c, "/quan-tri/nhat-ky?actor=nobody").await;
        assert!(page.contains("Không có mục nào khớp bộ lọc."));
        let page = app.page(&c, "/quan-tri/nhat-ky/kiem-tra").await;
        assert!(page.contains("Chuỗi nhật ký toàn vẹn."));
        let out = app.cli(&["audit", "verify"]);
        crate::harness::assert_ran(&out);
    }
);

both!(
    audit_rows_cannot_be_changed_through_sql,
    Fixture::units(),
    |app: TestApp| async move {
        let r = app
            .db
            .execute(danchu_db::q(
                "UPDATE audit_log SET actor = 'x' WHERE seq = 1",
            ))
            .await;
        assert!(r.is_err(), "append-only trigger refuses updates");
        let r = app
            .db
            .execute(danchu_db::q("DELETE FROM audit_log WHERE seq = 1"))
            .await;
        assert!(r.is_err(), "append-only trigger refuses deletes");
    }
);

both!(
    tampered_row_fails_verify_naming_it,
    Fixture::units(),
    |app: TestApp| async move {
        assert!(count(&app).await > 5);
        drop_guard(&app).await;
        exec(
            &app,
            &["UPDATE audit_log SET after_json = '{\"name\":\"giả\"}' WHERE seq = 3"],
        )
        .await;
        assert_verify_fails(&app, "mục #3");
    }
);

both!(
    deleted_row_fails_verify,
    Fixture::units(),
    |app: TestApp| async move {
        drop_guard(&app).await;
        exec(&app, &["DELETE FROM audit_log WHERE seq = 4"]).await;
        assert_verify_fails(&app, "mục #5");
        // Removing the newest rows is caught by the head.
        let last: i64 = app
            .int(danchu_db::q("SELECT MAX(seq) AS m FROM audit_log"), "m")
            .await;
        exec(&app, &["DELETE FROM audit_log WHERE seq >= 4"]).await;
        assert_verify_fails(&app, &format!("#{last}"));
    }
);

both!(
    reordered_rows_fail_verify,
    Fixture::units(),
    |app: TestApp| async move {
        drop_guard(&app).await;
        // Swap the contents of entries 2 and 3 (keeping their seq numbers).
        exec(
            &app,
            &[
                "UPDATE audit_log SET seq = -2 WHERE seq = 2",
                "UPDATE audit_log SET seq = 2 WHERE seq = 3",
                "UPDATE audit_log SET seq = 3 WHERE seq = -2",
            ],
        )
        .await;
        assert_verify_fails(&app, "mục #2");
    }
);

both!(
    concurrent_changes_keep_one_chain,
    Fixture::units(),
    |app: TestApp| async move {
        let actor = danchu_db::audit::Actor("test".into());
        let mut tasks = Vec::new();
        for i in 0..16 {
            let db = app.db.clone();
            let actor = actor.clone();
            tasks.push(tokio::spawn(async move {
                let nu = danchu_db::units::NewUnit {
                    code: format!("C{i}"),
                    name: format!("Ấp {i}"),
                    kind: danchu_core::units::UnitKind::Village,
                    parent_id: None,
                    valid_from: None,
                };
                danchu_db::units::create(&db, &actor, &nu).await.unwrap();
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        app.chain_audit().await;
        let v = danchu_db::audit::verify(&app.db).await.unwrap();
        assert!(v.error.is_none() && v.truncated.is_none());
        assert_eq!(v.checked as i64, count(&app).await);
    }
);

/// The rows of `table`, read straight from it (reading the table chains nothing).
async fn rows_in(app: &TestApp, table: &str) -> i64 {
    app.int(
        danchu_db::q(format!("SELECT COUNT(*) AS n FROM {table}")),
        "n",
    )
    .await
}

both!(
    a_change_waits_to_be_chained_and_the_log_page_shows_it_at_once,
    Fixture::units().with_users(&["admin"]),
    |app: TestApp| async move {
        let c = app.sign_in("admin").await;
        app.chain_audit().await;
        let (chained, waiting) = (
            rows_in(&app, "audit_log").await,
            rows_in(&app, "audit_pending").await,
        );
        assert_eq!(waiting, 0);
        let id = app.unit_id("25789").await;
        let r = app.rename_unit(&c, "/quan-tri", id, "Xã An Lập mới").await;
        assert_eq!(r.status(), 303);
        // ADR 0008: the change wrote its entry in its transaction, unchained (no lock on
        // the chain's head).
        assert_eq!(rows_in(&app, "audit_pending").await, 1);
        assert_eq!(rows_in(&app, "audit_log").await, chained);
        // The log page lists it at once, as waiting (a GET writes nothing: the harness
        // checks every request's database use).
        let page = app.page(&c, "/quan-tri/nhat-ky?action=unit.update").await;
        let first = crate::harness::between(&page, "<tbody>", "</tbody>");
        assert!(first.contains("Xã An Lập mới"), "{page}");
        assert!(first.contains("đang chờ xích vào chuỗi"), "{page}");
        assert_eq!(rows_in(&app, "audit_pending").await, 1);
        let verify = app.page(&c, "/quan-tri/nhat-ky/kiem-tra").await;
        assert!(verify.contains("Chuỗi nhật ký toàn vẹn."), "{verify}");
        assert!(
            verify.contains("Số mục đang chờ xích vào chuỗi: 1"),
            "{verify}"
        );
        // `danchu audit verify` chains what waits, then walks the whole chain.
        let out = app.cli(&["audit", "verify"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(rows_in(&app, "audit_pending").await, 0);
        assert_eq!(rows_in(&app, "audit_log").await, chained + 1);
        let page = app.page(&c, "/quan-tri/nhat-ky?action=unit.update").await;
        let first = crate::harness::between(&page, "<tbody>", "</tbody>");
        assert!(
            first.contains("Xã An Lập mới") && first.contains("hash "),
            "{page}"
        );
        assert!(!first.contains("đang chờ xích vào chuỗi"), "{page}");
    }
);

both!(
    the_sequencer_chains_what_was_appended_within_a_second,
    Fixture::units(),
    |app: TestApp| async move {
        let sequencer = danchu_db::audit::Sequencer::spawn(app.db.clone());
        let actor = danchu_db::audit::Actor("test".into());
        for i in 0..5 {
            let nu = danchu_db::units::NewUnit {
                code: format!("S{i}"),
                name: format!("Ấp {i}"),
                kind: danchu_core::units::UnitKind::Village,
                parent_id: None,
                valid_from: None,
            };
            danchu_db::units::create(&app.db, &actor, &nu)
                .await
                .unwrap();
        }
        let done = std::time::Instant::now();
        while rows_in(&app, "audit_pending").await > 0 {
            assert!(
                done.elapsed() < std::time::Duration::from_secs(1),
                "still waiting after a second"
            );
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        sequencer.stop().await;
        let v = danchu_db::audit::verify(&app.db).await.unwrap();
        assert!(v.error.is_none() && v.truncated.is_none());
        assert_eq!(v.waiting, 0);
        assert_eq!(v.checked as i64, rows_in(&app, "audit_log").await);
    }
);
