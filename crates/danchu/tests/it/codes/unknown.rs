//! Unknown codes read from the database are data errors, not guesses: the page answers
//! 500 and the decoder refuses the row, naming `table.column` and the code.

use std::collections::HashMap;

use crate::both;
use crate::harness::{Fixture, TestApp};

use super::{cases::cases, fill, status_of, PREFIX, SHOWN};

both!(
    unknown_codes_read_from_the_database_are_data_errors_not_guesses,
    Fixture::demo(),
    |app: TestApp| async move {
        let mut clients: HashMap<&str, reqwest::Client> = HashMap::new();
        let mut problems = Vec::new();
        let cases = cases();
        for case in &cases {
            if !case.setup.is_empty() {
                app.db
                    .execute(danchu_db::q(case.setup))
                    .await
                    .expect("setup");
            }
            let row = app
                .db
                .fetch_optional(danchu_db::q(case.find))
                .await
                .expect("find")
                .expect("a row");
            let a: Option<String> = row.get("a").expect("a");
            let b: Option<String> = row.get("b").expect("b");
            let (Some(a), Some(b)) = (a, b) else {
                problems.push(format!("{}: the demo has nothing to change", case.decoder));
                continue;
            };
            let path = fill(case.path, &a, &b);
            let Some(reads) = case.reads else {
                problems.push(format!("{}: no direct call of its decoder", case.decoder));
                continue;
            };
            if let Err(e) = reads(app.db.clone(), a.clone(), b.clone()).await {
                problems.push(format!(
                    "{}: untouched, its decoder refused: {e}",
                    case.decoder
                ));
                continue;
            }
            if !clients.contains_key(case.user) {
                clients.insert(case.user, app.sign_in(case.user).await);
            }
            let c = &clients[case.user];
            // The untouched request is accepted.
            let (before, _) = status_of(&app, c, &path).await;
            if before != 200 {
                problems.push(format!(
                    "{}: GET {path} untouched answered {before}",
                    case.decoder
                ));
                continue;
            }
            app.db
                .execute(danchu_db::q(case.corrupt(&fill(case.rows, &a, &b))))
                .await
                .expect("corrupt");
            let n: i64 = app.int(danchu_db::q(case.changed()), "n").await;
            assert!(n > 0, "{}: the SQL changed no row", case.decoder);
            // The decoder itself refuses the changed rows, naming where and what.
            let at = format!("{}.{}", case.table, case.column);
            match reads(app.db.clone(), a.clone(), b.clone()).await {
                Err(danchu_db::DbError::Data(m))
                    if m.contains(&at) && (case.breaks_json() || m.contains(SHOWN)) => {}
                other => problems.push(format!(
                    "{}: with {at} unknown, its decoder answered {other:?}, not a data error naming {at} and the code",
                    case.decoder
                )),
            }
            app.state.cache.invalidate();
            let (after, body) = status_of(&app, c, &path).await;
            let clean = if path.starts_with("/api/") {
                body.contains("Lỗi hệ thống")
                    && !body.contains(PREFIX)
                    && !body.contains("zz-bogus")
            } else {
                body.contains("Lỗi hệ thống") && !body.contains("zz-bogus")
            };
            if after != 500 || !clean {
                problems.push(format!(
                    "{}: GET {path} with {}.{} unknown answered {after}{}",
                    case.decoder,
                    case.table,
                    case.column,
                    if clean {
                        ""
                    } else {
                        " without the plain error page"
                    }
                ));
            }
            app.db
                .execute(danchu_db::q(case.restore()))
                .await
                .expect("restore");
            app.state.cache.invalidate();
            let (again, _) = status_of(&app, c, &path).await;
            assert_eq!(again, 200, "{}: GET {path} after restoring", case.decoder);
        }
        assert!(
            problems.is_empty(),
            "{} of {} decoders:\n{}",
            problems.len(),
            cases.len(),
            problems.join("\n")
        );
    }
);
