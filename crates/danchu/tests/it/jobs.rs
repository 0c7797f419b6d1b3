//! The job runner, on both databases: a due time is claimed once, a lapsed lease
//! is taken over, a claim that lost its lease cannot record its run; the clean-up and
//! scheduled-publishing jobs do what they say.

use danchu_core::jobs::{Job, Outcome};
use danchu_db::jobs;

use crate::both;
use crate::harness::{Fixture, TestApp};

const T0: i64 = 1_800_000_000_000;

/// The claim of `job` by `node` at `at`, which must succeed.
async fn claimed(app: &TestApp, job: Job, node: &str, at: i64) -> jobs::Claim {
    let c = jobs::claim(&app.db, job, node, at).await.unwrap();
    c.unwrap_or_else(|| panic!("{node} claims {} at {at}", job.code()))
}

fn lease_ms(job: Job) -> i64 {
    job.lease().as_millis() as i64
}

both!(
    a_due_time_is_claimed_once_and_then_moves_on,
    Fixture::units(),
    |app: TestApp| async move {
        jobs::ensure(&app.db, T0).await.unwrap();
        // A second start leaves the schedule as it is.
        jobs::ensure(&app.db, T0 + 5_000).await.unwrap();
        let job = Job::PublishScheduled;
        let a = jobs::claim(&app.db, job, "node-a", T0).await.unwrap();
        let a = a.expect("the due job is claimed");
        assert_eq!(a.due_ms, T0);
        assert_eq!(
            jobs::claim(&app.db, job, "node-b", T0 + 1).await.unwrap(),
            None
        );
        let done = Outcome::Done("2 bài đã đăng".into());
        assert!(jobs::finish(&app.db, &a, &done, T0 + 300).await.unwrap());
        let every = job.every().as_millis() as i64;
        let row = jobs::list(&app.db).await.unwrap();
        let row = row.iter().find(|r| r.name == job.code()).unwrap();
        assert_eq!(row.next_due_ms, T0 + every);
        assert_eq!(
            (row.runs, row.failures, row.lease_node.as_deref()),
            (1, 0, None)
        );
        // Not due yet: nobody claims it; at its due time one node does.
        assert_eq!(
            jobs::claim(&app.db, job, "node-b", T0 + every - 1)
                .await
                .unwrap(),
            None
        );
        let b = jobs::claim(&app.db, job, "node-b", T0 + every)
            .await
            .unwrap();
        assert_eq!(b.map(|c| c.due_ms), Some(T0 + every));
        let runs = jobs::runs(&app.db, Some(job), 10).await.unwrap();
        assert_eq!(runs.len(), 2);
        assert_eq!(
            (runs[1].node.as_str(), runs[1].outcome.as_deref()),
            ("node-a", Some("done"))
        );
        assert_eq!(runs[1].detail, "2 bài đã đăng");
        assert_eq!(
            (runs[0].node.as_str(), runs[0].outcome.as_deref()),
            ("node-b", None)
        );
        // The other jobs were not touched.
        let others = jobs::runs(&app.db, Some(Job::Outbox), 10).await.unwrap();
        assert!(others.is_empty());
    }
);

both!(
    of_many_concurrent_claims_one_wins,
    Fixture::units(),
    |app: TestApp| async move {
        jobs::ensure(&app.db, T0).await.unwrap();
        let mut tasks = Vec::new();
        for n in 0..8 {
            let db = app.db.clone();
            tasks.push(tokio::spawn(async move {
                jobs::claim(&db, Job::Outbox, &format!("node-{n}"), T0 + 10).await
            }));
        }
        let mut won = 0;
        for t in tasks {
            match t.await.unwrap() {
                Ok(Some(_)) => won += 1,
                Ok(None) => {}
                // A writer that waited too long for SQLite's lock lost too.
                Err(e) => assert!(format!("{e}").contains("lock"), "{e}"),
            }
        }
        assert_eq!(won, 1);
        assert_eq!(
            jobs::runs(&app.db, Some(Job::Outbox), 20)
                .await
                .unwrap()
                .len(),
            1
        );
    }
);

both!(
    a_lapsed_lease_is_taken_over_and_the_old_claim_records_nothing,
    Fixture::units(),
    |app: TestApp| async move {
        jobs::ensure(&app.db, T0).await.unwrap();
        let job = Job::CleanUp;
        let a = claimed(&app, job, "node-a", T0).await;
        // While the lease lasts, nobody else runs it.
        let still = T0 + lease_ms(job) - 1;
        assert_eq!(
            jobs::claim(&app.db, job, "node-b", still).await.unwrap(),
            None
        );
        // node-a stalls past its lease: node-b takes the same due time over.
        let late = T0 + lease_ms(job) + 1;
        let b = claimed(&app, job, "node-b", late).await;
        assert_eq!(b.due_ms, a.due_ms);
        let failed = Outcome::Failed("hết thời gian".into());
        assert!(!jobs::finish(&app.db, &a, &failed, late + 10).await.unwrap());
        let ok = Outcome::Done("xong".into());
        assert!(jobs::finish(&app.db, &b, &ok, late + 20).await.unwrap());
        let row = jobs::list(&app.db).await.unwrap();
        let row = row.iter().find(|r| r.name == job.code()).unwrap();
        assert_eq!(
            (row.runs, row.failures),
            (1, 0),
            "node-a's late failure is not counted"
        );
        let runs = jobs::runs(&app.db, Some(job), 10).await.unwrap();
        let finished: Vec<_> = runs.iter().filter(|r| r.finished_ms.is_some()).collect();
        assert_eq!(finished.len(), 1);
        assert_eq!(finished[0].node, "node-b");
        assert_eq!(runs.len(), 2, "node-a's run stays, unfinished");
    }
);

both!(
    run_now_makes_a_job_due_at_once,
    Fixture::units(),
    |app: TestApp| async move {
        jobs::ensure(&app.db, T0).await.unwrap();
        let job = Job::CleanUp;
        let a = claimed(&app, job, "node-a", T0).await;
        assert!(
            jobs::finish(&app.db, &a, &Outcome::Done(String::new()), T0 + 5)
                .await
                .unwrap()
        );
        assert_eq!(
            jobs::claim(&app.db, job, "node-a", T0 + 60_000)
                .await
                .unwrap(),
            None
        );
        let admin = danchu_db::audit::Actor("admin".into());
        let mark = app.audit_mark().await;
        assert!(jobs::run_now(&app.db, &admin, job, T0 + 60_000)
            .await
            .unwrap());
        let again = jobs::claim(&app.db, job, "node-a", T0 + 60_000)
            .await
            .unwrap();
        assert_eq!(again.map(|c| c.due_ms), Some(T0 + 60_000));
        app.assert_audited_since(mark, &[("job.run_now", job.code().to_string())])
            .await;
        // Already due: nothing to move.
        assert!(!jobs::run_now(&app.db, &admin, job, T0 + 60_000)
            .await
            .unwrap());
    }
);

fn runner(
    app: &TestApp,
    changed: std::sync::Arc<std::sync::atomic::AtomicUsize>,
) -> danchu::jobs::Runner {
    danchu::jobs::Runner {
        db: app.db.clone(),
        node: "node-test".into(),
        senders: Default::default(),
        max_attempts: 8,
        on_content_change: std::sync::Arc::new(move || {
            changed.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }),
    }
}

both!(
    the_clean_up_job_removes_what_has_expired_and_keeps_the_rest,
    Fixture::units(),
    |app: TestApp| async move {
        let now = danchu_db::now_ms();
        let day = 86_400_000;
        for (key, at) in [("old", now - 2 * day), ("new", now - 1000)] {
            app.db
                .execute(
                    danchu_db::q(
                        "INSERT INTO idempotency_keys (principal, idem_key, fingerprint, created_ms) \
                         VALUES ('cred:x', $1, 'f', $2)",
                    )
                    .bind(key)
                    .bind(at),
                )
                .await
                .unwrap();
        }
        for (due, at) in [(1, now - 40 * day), (2, now - 1000)] {
            app.db
                .execute(
                    danchu_db::q(
                        "INSERT INTO job_runs (name, due_ms, node, started_ms, finished_ms, outcome) \
                         VALUES ('outbox', $1, 'n', $2, $2, 'done')",
                    )
                    .bind(due)
                    .bind(at),
                )
                .await
                .unwrap();
        }
        let changed = std::sync::Arc::default();
        let out = danchu::jobs::run(&runner(&app, changed), Job::CleanUp).await;
        let Outcome::Done(what) = out else {
            panic!("{out:?}")
        };
        assert!(
            what.contains("1 lượt chạy") && what.contains("1 khóa gửi lại"),
            "{what}"
        );
        let keys = app
            .string(
                danchu_db::q("SELECT idem_key FROM idempotency_keys"),
                "idem_key",
            )
            .await;
        assert_eq!(keys, "new");
        let runs = jobs::runs(&app.db, Some(Job::Outbox), 10).await.unwrap();
        assert_eq!(runs.iter().map(|r| r.due_ms).collect::<Vec<_>>(), [2]);
    }
);

both!(
    a_scheduled_article_coming_due_empties_the_page_caches,
    Fixture::units().with_portal(),
    |app: TestApp| async move {
        let changed: std::sync::Arc<std::sync::atomic::AtomicUsize> = std::sync::Arc::default();
        let r = runner(&app, changed.clone());
        // Nothing came due: no emptying.
        let out = danchu::jobs::run(&r, Job::PublishScheduled).await;
        assert_eq!(out, Outcome::Idle);
        assert_eq!(changed.load(std::sync::atomic::Ordering::SeqCst), 0);
        // An article saved yesterday to appear a few seconds ago.
        let now = danchu_db::now_s();
        app.db
            .execute(
                danchu_db::q(
                    "UPDATE articles SET status = 'published', published_at = $1, updated_at = $2 \
                     WHERE id = (SELECT MIN(id) FROM articles)",
                )
                .bind(now - 3)
                .bind(now - 86_400),
            )
            .await
            .unwrap();
        let out = danchu::jobs::run(&r, Job::PublishScheduled).await;
        assert_eq!(out, Outcome::Done("1 bài đến giờ đăng".into()));
        assert_eq!(changed.load(std::sync::atomic::Ordering::SeqCst), 1);
    }
);

both!(
    a_run_with_nothing_to_do_is_counted_but_not_kept,
    Fixture::units(),
    |app: TestApp| async move {
        jobs::ensure(&app.db, T0).await.unwrap();
        let a = claimed(&app, Job::Outbox, "node-a", T0).await;
        assert_eq!(
            jobs::runs(&app.db, Some(Job::Outbox), 10)
                .await
                .unwrap()
                .len(),
            1,
            "running"
        );
        assert!(jobs::finish(&app.db, &a, &Outcome::Idle, T0 + 3)
            .await
            .unwrap());
        assert!(jobs::runs(&app.db, Some(Job::Outbox), 10)
            .await
            .unwrap()
            .is_empty());
        let row = jobs::list(&app.db).await.unwrap();
        let row = row.iter().find(|r| r.name == "outbox").unwrap();
        assert_eq!((row.runs, row.failures), (1, 0));
        assert!(row.next_due_ms > T0, "the schedule moved on");
    }
);

both!(
    only_due_jobs_without_a_live_lease_are_offered,
    Fixture::units(),
    |app: TestApp| async move {
        jobs::ensure(&app.db, T0).await.unwrap();
        assert_eq!(
            jobs::due(&app.db, T0 - 1).await.unwrap(),
            [],
            "none due yet"
        );
        assert_eq!(jobs::due(&app.db, T0).await.unwrap(), Job::ALL);
        let _held = claimed(&app, Job::Outbox, "node-a", T0).await;
        assert_eq!(
            jobs::due(&app.db, T0 + 1).await.unwrap(),
            [Job::PublishScheduled, Job::CleanUp],
            "the held job is not offered"
        );
        let lapsed = T0 + lease_ms(Job::Outbox) + 1;
        assert_eq!(
            jobs::due(&app.db, lapsed).await.unwrap(),
            Job::ALL,
            "a lapsed lease is"
        );
    }
);
