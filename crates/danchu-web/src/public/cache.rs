//! Rendered public pages kept in memory for anonymous visitors. An entry is used while no
//! content changed on this node (a generation number bumped by every admin change) and
//! for at most a few seconds (so a change made on another node, or a scheduled article
//! coming due, shows up quickly). Live numbers (views, visitor statistics) are put into
//! the cached HTML on every request, so counting stays exact.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// How long a cached page may be served.
pub const TTL: Duration = Duration::from_secs(5);
/// The most pages kept (a bound against cache-filling with made-up URLs).
const MAX_ENTRIES: usize = 2000;

/// Markers left in cached HTML where live numbers go.
pub const VIEWS: &str = "\u{2063}views\u{2063}";
pub const TODAY: &str = "\u{2063}today\u{2063}";
pub const WEEK: &str = "\u{2063}week\u{2063}";
pub const MONTH: &str = "\u{2063}month\u{2063}";
pub const TOTAL: &str = "\u{2063}total\u{2063}";

#[derive(Clone)]
pub struct Cached {
    pub html: Arc<String>,
    /// For article pages: (article id, views in the database minus this node's local
    /// count at render time).
    pub views_base: Option<(i64, i64)>,
    generation: u64,
    at: Instant,
}

impl Cached {
    /// A page rendered for one request only (signed-in users).
    pub fn uncached(html: String, views_base: Option<(i64, i64)>) -> Cached {
        Cached {
            html: Arc::new(html),
            views_base,
            generation: 0,
            at: Instant::now(),
        }
    }
}

#[derive(Default)]
pub struct PageCache {
    generation: AtomicU64,
    pages: RwLock<HashMap<String, Cached>>,
}

impl PageCache {
    /// Forgets every page (call after any content change).
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut p) = self.pages.write() {
            p.clear();
        }
    }

    pub fn get(&self, key: &str) -> Option<Cached> {
        let g = self.generation.load(Ordering::Relaxed);
        let p = self.pages.read().ok()?;
        p.get(key)
            .filter(|c| c.generation == g && c.at.elapsed() < TTL)
            .cloned()
    }

    /// The current generation; take it before reading the data a page is made of.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Relaxed)
    }

    /// Keeps a page rendered from data read at `generation`; if content changed since, the
    /// page is served once but not kept.
    pub fn put(
        &self,
        generation: u64,
        key: String,
        html: String,
        views_base: Option<(i64, i64)>,
    ) -> Cached {
        let c = Cached {
            html: Arc::new(html),
            views_base,
            generation,
            at: Instant::now(),
        };
        if generation != self.generation() {
            return c;
        }
        if let Ok(mut p) = self.pages.write() {
            if p.len() >= MAX_ENTRIES {
                p.retain(|_, v| v.at.elapsed() < TTL);
                if p.len() >= MAX_ENTRIES {
                    p.clear();
                }
            }
            p.insert(key, c.clone());
        }
        c
    }
}

/// One value (e.g. the portal chrome) kept under the same rules as the pages: while no
/// content changed on this node and for at most [`TTL`].
pub struct Memo<T> {
    slot: RwLock<Option<(u64, Instant, Arc<T>)>>,
}

impl<T> Default for Memo<T> {
    fn default() -> Self {
        Memo {
            slot: RwLock::new(None),
        }
    }
}

impl<T> Memo<T> {
    pub fn get(&self, generation: u64) -> Option<Arc<T>> {
        let s = self.slot.read().ok()?;
        s.as_ref()
            .filter(|(g, at, _)| *g == generation && at.elapsed() < TTL)
            .map(|(_, _, v)| v.clone())
    }

    pub fn put(&self, generation: u64, value: Arc<T>) {
        if let Ok(mut s) = self.slot.write() {
            *s = Some((generation, Instant::now(), value));
        }
    }
}

/// Puts the live numbers into a page.
pub fn fill(html: &str, views: Option<i64>, stats: &danchu_db::portal::VisitStats) -> String {
    let n = danchu_core::text::format_number;
    let mut out = String::with_capacity(html.len() + 32);
    let mut rest = html;
    while let Some(pos) = rest.find('\u{2063}') {
        out.push_str(&rest[..pos]);
        let tail = &rest[pos..];
        let (value, len) = if tail.starts_with(VIEWS) {
            (views.map(n).unwrap_or_default(), VIEWS.len())
        } else if tail.starts_with(TODAY) {
            (n(stats.today), TODAY.len())
        } else if tail.starts_with(WEEK) {
            (n(stats.week), WEEK.len())
        } else if tail.starts_with(MONTH) {
            (n(stats.month), MONTH.len())
        } else if tail.starts_with(TOTAL) {
            (n(stats.total), TOTAL.len())
        } else {
            // A lone separator character in content: keep it.
            ('\u{2063}'.to_string(), '\u{2063}'.len_utf8())
        };
        out.push_str(&value);
        rest = &tail[len..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_markers() {
        let s = danchu_db::portal::VisitStats {
            today: 663,
            week: 37527,
            month: 133284,
            total: 3848496,
        };
        let html = format!("<p>{VIEWS}</p><p>{TODAY} {WEEK} {MONTH} {TOTAL}</p>\u{2063}x");
        assert_eq!(
            fill(&html, Some(1414), &s),
            "<p>1.414</p><p>663 37.527 133.284 3.848.496</p>\u{2063}x"
        );
    }

    #[test]
    fn entries_expire_on_change() {
        let c = PageCache::default();
        c.put(c.generation(), "/".into(), "a".into(), None);
        assert!(c.get("/").is_some());
        c.invalidate();
        assert!(c.get("/").is_none());
        // A page rendered from data read before a change is not kept.
        let before = c.generation();
        c.invalidate();
        c.put(before, "/".into(), "old".into(), None);
        assert!(c.get("/").is_none());
    }
}
