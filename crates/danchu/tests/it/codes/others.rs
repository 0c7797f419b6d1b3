//! The codes no page reads: an unknown period in what feeds report indicators, the
//! secret key.

use crate::both;
use crate::harness::{Fixture, TestApp};

use super::PREFIX;

both!(
    an_unknown_period_is_not_counted_as_posted_on_time,
    Fixture::demo(),
    |app: TestApp| async move {
        // posted_count feeds report indicators (R10/R11); no demo page reads it.
        let unit = app.unit_id("25792").await;
        let count = || {
            danchu_db::disclosures::posted_count(
                &app.db,
                unit,
                "2023-01-01",
                "2023-12-31",
                Some("d11-02"),
                true,
            )
        };
        assert!(count().await.expect("untouched") > 0);
        app.db
            .execute(danchu_db::q(format!(
                "UPDATE disclosures SET period = '{PREFIX}' || period WHERE unit_id = {unit} AND period <> ''"
            )))
            .await
            .expect("corrupt");
        match count().await {
            Err(danchu_db::DbError::Data(m)) => {
                assert!(
                    m.contains("disclosures.period") && m.contains(PREFIX),
                    "{m}"
                )
            }
            other => panic!("expected a data error, got {other:?}"),
        }
    }
);

both!(
    a_missing_or_empty_secret_key_is_a_data_error,
    Fixture::units(),
    |app: TestApp| async move {
        assert!(danchu_db::settings::secret_key(&app.db).await.is_ok());
        app.db
            .execute(danchu_db::q(
                "UPDATE settings SET value = '' WHERE key = 'secret_key'",
            ))
            .await
            .expect("empty the key");
        assert!(matches!(
            danchu_db::settings::secret_key(&app.db).await,
            Err(danchu_db::DbError::Data(_))
        ));
    }
);
