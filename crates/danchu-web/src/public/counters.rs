//! Page views and visitor statistics without a database write per view: counts are kept
//! in memory and added to the database (additively, so several nodes can share it) at
//! least once a second and on graceful shutdown.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use danchu_db::portal::VisitStats;
use danchu_db::Db;

#[derive(Default)]
struct Inner {
    /// Page views not yet written, by Vietnam calendar day.
    visits: HashMap<String, i64>,
    /// Article views not yet written.
    views: HashMap<i64, i64>,
    /// Being written right now (still shown, so numbers never dip during a flush).
    in_flight_visits: i64,
    /// Article views this node has counted since it started (written or not).
    local_views: HashMap<i64, i64>,
    /// Article views this node has written to the database.
    flushed_views: HashMap<i64, i64>,
    /// Document downloads not yet written.
    downloads: HashMap<i64, i64>,
    /// Statistics as last read from the database.
    stats: VisitStats,
    stats_day: String,
}

/// Page views by day and article views by article, taken to be written.
type Pending = (Vec<(String, i64)>, Vec<(i64, i64)>);

#[derive(Default)]
pub struct Counters {
    inner: Mutex<Inner>,
    /// One flush at a time (the flusher task and a shutdown flush may meet).
    flushing: tokio::sync::Mutex<()>,
    /// Odd while a flush is writing: a page that reads an article's views checks it did
    /// not read across a flush (see [`Counters::views_base`]).
    epoch: AtomicU64,
}

impl Counters {
    /// Counts one page view of the public site.
    pub fn visit(&self) {
        let day = danchu_db::today_vn();
        if let Ok(mut i) = self.inner.lock() {
            *i.visits.entry(day).or_insert(0) += 1;
        }
    }

    /// Counts one view of an article.
    pub fn article_view(&self, id: i64) {
        if let Ok(mut i) = self.inner.lock() {
            *i.views.entry(id).or_insert(0) += 1;
            *i.local_views.entry(id).or_insert(0) += 1;
        }
    }

    /// Counts one download of a document's file.
    pub fn download(&self, document_id: i64) {
        if let Ok(mut i) = self.inner.lock() {
            *i.downloads.entry(document_id).or_insert(0) += 1;
        }
    }

    /// Article views this node has counted since start (for showing live counts on top of
    /// a cached page).
    pub fn local_views(&self, id: i64) -> i64 {
        self.inner
            .lock()
            .map(|i| i.local_views.get(&id).copied().unwrap_or(0))
            .unwrap_or(0)
    }

    /// Reads an article's views from the database (with `read`) and returns the part that
    /// did not come from this node; adding [`Counters::local_views`] to it gives the live
    /// count. Retries if a flush ran while reading, so a view is never shown twice or not
    /// at all.
    pub async fn views_base<F, Fut>(&self, id: i64, read: F) -> Result<i64, danchu_db::DbError>
    where
        F: Fn() -> Fut,
        Fut: std::future::Future<Output = Result<i64, danchu_db::DbError>>,
    {
        let mut tries = 0;
        loop {
            let before = self.epoch.load(Ordering::Acquire);
            let views = read().await?;
            let flushed = self
                .inner
                .lock()
                .map(|i| i.flushed_views.get(&id).copied().unwrap_or(0))
                .unwrap_or(0);
            let after = self.epoch.load(Ordering::Acquire);
            tries += 1;
            if (before == after && before.is_multiple_of(2)) || tries >= 50 {
                return Ok(views - flushed);
            }
            tokio::time::sleep(std::time::Duration::from_millis(2)).await;
        }
    }

    /// The statistics to show now: last read from the database plus what is pending here.
    pub fn stats(&self) -> VisitStats {
        let Ok(i) = self.inner.lock() else {
            return VisitStats::default();
        };
        let pending: i64 = i.visits.values().sum::<i64>() + i.in_flight_visits;
        let today = danchu_db::today_vn();
        let pending_today = i.visits.get(&today).copied().unwrap_or(0)
            + if i.stats_day == today {
                i.in_flight_visits
            } else {
                0
            };
        let mut s = i.stats;
        if i.stats_day != today {
            // A new day began since the last read: today starts from zero.
            s.today = 0;
        }
        s.today += pending_today;
        s.week += pending;
        s.month += pending;
        s.total += pending;
        s
    }

    /// Writes pending counts, then re-reads the statistics. On failure the counts are
    /// put back and tried again next time.
    pub async fn flush(&self, db: &Db) -> Result<(), danchu_db::DbError> {
        let _one = self.flushing.lock().await;
        let Some((visits, views)) = self.take_pending() else {
            return Ok(());
        };
        self.epoch.fetch_add(1, Ordering::AcqRel);
        self.write_downloads(db).await;
        let written = danchu_db::portal::add_counts(db, &visits, &views).await;
        let flushed_visits: i64 = visits.iter().map(|(_, n)| n).sum();
        self.settle(&visits, &views, written.is_ok());
        self.epoch.fetch_add(1, Ordering::AcqRel);
        written?;
        self.reread_stats(db, flushed_visits).await;
        Ok(())
    }

    /// Takes the pending page and article views to write (the page views stay shown as in
    /// flight); `None` when the counts cannot be reached.
    fn take_pending(&self) -> Option<Pending> {
        let mut i = self.inner.lock().ok()?;
        // Sorted, so two nodes always lock rows in the same order.
        let mut visits: Vec<(String, i64)> = i.visits.drain().collect();
        let mut views: Vec<(i64, i64)> = i.views.drain().collect();
        visits.sort();
        views.sort();
        i.in_flight_visits = visits.iter().map(|(_, n)| n).sum();
        Some((visits, views))
    }

    /// Writes the pending downloads; on failure they are put back for the next flush.
    async fn write_downloads(&self, db: &Db) {
        let downloads: Vec<(i64, i64)> = match self.inner.lock() {
            Ok(mut i) => {
                let mut d: Vec<(i64, i64)> = i.downloads.drain().collect();
                d.sort();
                d
            }
            Err(_) => Vec::new(),
        };
        if let Err(e) = danchu_db::documents::add_downloads(db, &downloads).await {
            if let Ok(mut i) = self.inner.lock() {
                for (id, n) in &downloads {
                    *i.downloads.entry(*id).or_insert(0) += n;
                }
            }
            tracing::warn!(error = %e, "writing download counts failed; will retry");
        }
    }

    /// After writing the views: counts the article views as flushed, or, when the write
    /// failed, puts every view back as pending.
    fn settle(&self, visits: &[(String, i64)], views: &[(i64, i64)], written: bool) {
        let Ok(mut i) = self.inner.lock() else {
            return;
        };
        if written {
            for (id, n) in views {
                *i.flushed_views.entry(*id).or_insert(0) += n;
            }
        } else {
            for (d, n) in visits {
                *i.visits.entry(d.clone()).or_insert(0) += n;
            }
            for (id, n) in views {
                *i.views.entry(*id).or_insert(0) += n;
            }
            i.in_flight_visits = 0;
        }
    }

    /// Re-reads the statistics once the page views are written; if that fails, the
    /// statistics shown keep the `flushed_visits` until the next read.
    async fn reread_stats(&self, db: &Db, flushed_visits: i64) {
        let today_iso = danchu_db::today_vn();
        let today = danchu_core::text::parse_date(&today_iso).unwrap_or(time::Date::MIN);
        let stats = danchu_db::portal::visit_stats(db, today).await;
        if let Ok(mut i) = self.inner.lock() {
            i.in_flight_visits = 0;
            match stats {
                Ok(s) => {
                    i.stats = s;
                    i.stats_day = today_iso;
                }
                Err(e) => {
                    // The counts are written; the display keeps them until the next read.
                    tracing::warn!(error = %e, "reading visitor statistics failed");
                    i.stats.today += flushed_visits;
                    i.stats.week += flushed_visits;
                    i.stats.month += flushed_visits;
                    i.stats.total += flushed_visits;
                }
            }
        }
    }
}

/// The flushing task of a node.
pub struct Flusher {
    stop: tokio::sync::watch::Sender<bool>,
    handle: tokio::task::JoinHandle<()>,
}

impl Flusher {
    /// Stops the task after a last flush of everything counted so far (a running flush is
    /// finished, never cut off).
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.handle.await;
    }
}

/// Flushes every second until stopped, then once more.
pub fn spawn_flusher(state: crate::AppState) -> Flusher {
    let (stop, mut stopped) = tokio::sync::watch::channel(false);
    let handle = tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(1));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = tick.tick() => {}
                _ = stopped.changed() => break,
            }
            if let Err(e) = state.counters.flush(&state.db).await {
                tracing::warn!(error = %e, "flushing view counts failed; will retry");
            }
        }
        if let Err(e) = state.counters.flush(&state.db).await {
            tracing::error!(error = %e, "could not write the last view counts");
        }
    });
    Flusher { stop, handle }
}
