//! Codes read back from our own database that danchu does not know (issue 13, item 16):
//! every decoder refuses them as a data error, so the page or API that reads one answers
//! 500 instead of showing a figure computed from a guess. One case per decoder: the
//! untouched page is accepted first (200), then the code is changed with SQL behind the
//! program's back (500), then put back (200 again, so the next case starts clean).
//!
//! Which decoder a page's 500 came from is not visible over HTTP: the error page names
//! nothing (as it must), the server's log line goes to the in-process log, which the test
//! does not read (and both runs of this test, SQLite and PostgreSQL, would write the same
//! lines at once), and a data error names `table.column`, which two decoders can share
//! (`units.kind` is read by `units::get` and by `disclosures::unit_kind`, both on a
//! disclosure's page). So each case also calls its decoder's own db function on the
//! same changed rows: untouched it reads them, changed it refuses them with
//! [`danchu_db::DbError::Data`] naming `table.column` and the code. The page's 500 and
//! that refusal together show the case reaches a decoder that refuses this very row; they
//! do not rule out that another decoder on the page refused it first.

/// A [`Reads`] that awaits one call of a db function (in `db`, `a`, `b`) and keeps only
/// whether it read the rows: `reads!(|db, a, _| danchu_db::units::get(&mut db.clone(), id(&a)))`.
/// With `x = SQL =>` first, `x` is the number `n` that SQL selects (through [`one`]):
/// `reads!(|db, _, _| noivu = NOIVU => danchu_db::users::grants(&mut db.clone(), noivu))`.
macro_rules! reads {
    (|$db:ident, $a:tt, $b:tt| $x:ident = $sql:expr => $call:expr) => {
        |$db, $a, $b| {
            Box::pin(async move {
                let $x = one(&$db, &$sql).await?;
                $call.await.map(drop)
            })
        }
    };
    (|$db:ident, $a:tt, $b:tt| $call:expr) => {
        |$db, $a, $b| Box::pin(async move { $call.await.map(drop) })
    };
}

mod cases;
mod others;
mod unknown;

use std::future::Future;
use std::pin::Pin;

use crate::harness::TestApp;

/// How a case makes a stored value unknown.
#[derive(Clone, Copy)]
pub(super) enum Change {
    /// The code gets a prefix: `portal` becomes `zz-bogus:portal`.
    Prefix,
    /// A piece of a JSON body is replaced (the second text contains `zz-bogus`).
    Replace(&'static str, &'static str),
}

/// A call of the db function that runs a case's decoder, with the case's `a` and `b`.
pub(super) type Reads = fn(
    danchu_db::Db,
    String,
    String,
) -> Pin<Box<dyn Future<Output = Result<(), danchu_db::DbError>> + Send>>;

pub(super) struct Case {
    /// The decoder the case reaches (`file::function`).
    pub(super) decoder: &'static str,
    /// The decoder called directly.
    pub(super) reads: Option<Reads>,
    /// SQL that adds what the demo lacks (a file, a relation), or "".
    pub(super) setup: &'static str,
    /// Who fetches the page (a demo account).
    pub(super) user: &'static str,
    /// SQL naming what the case needs, as text columns `a` and `b`.
    pub(super) find: &'static str,
    /// The page or API read, with `{a}` / `{b}`.
    pub(super) path: &'static str,
    pub(super) table: &'static str,
    pub(super) column: &'static str,
    /// Which rows get the unknown code (an SQL condition, with `{a}` / `{b}`).
    pub(super) rows: &'static str,
    pub(super) change: Change,
}

pub(super) const PREFIX: &str = "zz-bogus:";

pub(super) const ONE: &str = "SELECT '' AS a, '' AS b";

/// An id found by a case's `find`.
pub(super) fn id(s: &str) -> i64 {
    s.parse().expect("an id")
}

/// The `n` of a one-row query.
pub(super) async fn one(db: &danchu_db::Db, sql: &str) -> Result<i64, danchu_db::DbError> {
    db.fetch_optional(danchu_db::q(sql.to_string()))
        .await?
        .ok_or(danchu_db::DbError::NotFound)?
        .get("n")
}

pub(super) const NOIVU: &str = "SELECT id AS n FROM users WHERE username = 'noivu'";
pub(super) const PROVINCE: &str = "SELECT MIN(id) AS n FROM units WHERE kind = 'province'";

/// Shown in a data error when the unknown code is: its first letters at least (the
/// documents' years are read as the first four characters of `issued_on`).
pub(super) const SHOWN: &str = "zz-b";

pub(super) fn fill(s: &str, a: &str, b: &str) -> String {
    s.replace("{a}", a).replace("{b}", b)
}

impl Case {
    pub(super) fn reads(self, reads: Reads) -> Case {
        Case {
            reads: Some(reads),
            ..self
        }
    }

    /// Whether the change leaves a JSON column that no longer parses at all (a damaged
    /// body, rather than an unknown code inside it): its error cannot name the code.
    pub(super) fn breaks_json(&self) -> bool {
        matches!(self.change, Change::Prefix) && self.column == "answers"
    }

    pub(super) fn corrupt(&self, rows: &str) -> String {
        let (t, c) = (self.table, self.column);
        match self.change {
            Change::Prefix => format!("UPDATE {t} SET {c} = '{PREFIX}' || {c} WHERE {rows}"),
            Change::Replace(from, to) => {
                format!("UPDATE {t} SET {c} = REPLACE({c}, '{from}', '{to}') WHERE {rows}")
            }
        }
    }

    pub(super) fn restore(&self) -> String {
        let (t, c) = (self.table, self.column);
        match self.change {
            Change::Prefix => format!(
                "UPDATE {t} SET {c} = SUBSTR({c}, {}) WHERE {c} LIKE '{PREFIX}%'",
                PREFIX.len() + 1
            ),
            Change::Replace(from, to) => format!(
                "UPDATE {t} SET {c} = REPLACE({c}, '{to}', '{from}') WHERE {c} LIKE '%{to}%'"
            ),
        }
    }

    /// How many rows hold the unknown code now.
    pub(super) fn changed(&self) -> String {
        let (t, c) = (self.table, self.column);
        let marker = match self.change {
            Change::Prefix => format!("{PREFIX}%"),
            Change::Replace(_, to) => format!("%{to}%"),
        };
        format!("SELECT COUNT(*) AS n FROM {t} WHERE {c} LIKE '{marker}'")
    }
}

pub(super) async fn status_of(app: &TestApp, c: &reqwest::Client, path: &str) -> (u16, String) {
    let r = app.get(c, path).await;
    let status = r.status().as_u16();
    (status, r.text().await.unwrap_or_default())
}
