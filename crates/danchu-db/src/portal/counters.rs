//! Visitor and view counters.

use crate::exec::{q, row_struct, Db, DbError, Result, Tx};

/// Visitor statistics: (today, this week, this month, all time).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct VisitStats {
    pub today: i64,
    pub week: i64,
    pub month: i64,
    pub total: i64,
}

row_struct! {
    /// The sums [`visit_stats`] reads.
    struct Visits {
        today: i64,
        week: i64,
        month: i64,
        days_total: i64,
        base: Option<i64>,
    }
}

/// Reads the statistics for `today` (Vietnam calendar) from the per-day table.
pub async fn visit_stats(db: &Db, today: time::Date) -> Result<VisitStats> {
    let iso = danchu_core::text::iso_date;
    let week = iso(danchu_core::portal::week_start(today));
    let month = iso(danchu_core::portal::month_start(today));
    let r: Visits = db
        .fetch_optional_as(
            q("SELECT
                 CAST(COALESCE(SUM(CASE WHEN day = $1 THEN visits ELSE 0 END), 0) AS BIGINT) AS today,
                 CAST(COALESCE(SUM(CASE WHEN day >= $2 AND day <= $1 THEN visits ELSE 0 END), 0) AS BIGINT) AS week,
                 CAST(COALESCE(SUM(CASE WHEN day >= $3 AND day <= $1 THEN visits ELSE 0 END), 0) AS BIGINT) AS month,
                 CAST(COALESCE(SUM(visits), 0) AS BIGINT) AS days_total,
                 (SELECT total FROM visit_base WHERE id = 1) AS base
               FROM visit_days")
            .bind(iso(today))
            .bind(week)
            .bind(month),
        )
        .await?
        .ok_or(DbError::NotFound)?;
    Ok(VisitStats {
        today: r.today,
        week: r.week,
        month: r.month,
        total: r.days_total + r.base.unwrap_or(0),
    })
}

/// Adds counted page views and article views in one transaction. The updates are
/// additive, so several nodes flushing to one database never lose each other's counts.
pub async fn add_counts(db: &Db, visits: &[(String, i64)], views: &[(i64, i64)]) -> Result<()> {
    if visits.is_empty() && views.is_empty() {
        return Ok(());
    }
    let mut tx = db.begin().await?;
    for (day, n) in visits {
        tx.execute(
            q("INSERT INTO visit_days (day, visits) VALUES ($1, $2) ON CONFLICT (day) DO UPDATE SET visits = visit_days.visits + $2").bind(day).bind(*n),
        )
        .await?;
    }
    for (id, n) in views {
        tx.execute(
            q("UPDATE articles SET views = views + $1 WHERE id = $2")
                .bind(*n)
                .bind(*id),
        )
        .await?;
    }
    tx.commit().await
}

/// Sets the visits carried over from the old portal.
/// Records the visits of one past day (`yyyy-mm-dd`), for loading history such as the
/// demo's.
pub async fn insert_visit_day(tx: &mut Tx, day: &str, visits: i64) -> Result<()> {
    tx.execute(
        q("INSERT INTO visit_days (day, visits) VALUES ($1, $2)")
            .bind(day)
            .bind(visits),
    )
    .await?;
    Ok(())
}

pub async fn set_visit_base(tx: &mut Tx, total: i64) -> Result<()> {
    tx.execute(q("UPDATE visit_base SET total = $1 WHERE id = 1").bind(total))
        .await?;
    Ok(())
}
