//! Result rows and how Rust types are read from them.

use std::collections::HashMap;

use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
use sqlx::{Postgres, Sqlite};

use super::Result;

/// A result row from either backend.
pub enum Row {
    Sqlite(SqliteRow),
    Postgres(PgRow),
}

/// A Rust type that both backends can decode.
pub trait Decodable:
    for<'r> sqlx::Decode<'r, Sqlite>
    + sqlx::Type<Sqlite>
    + for<'r> sqlx::Decode<'r, Postgres>
    + sqlx::Type<Postgres>
{
}
impl<T> Decodable for T where
    T: for<'r> sqlx::Decode<'r, Sqlite>
        + sqlx::Type<Sqlite>
        + for<'r> sqlx::Decode<'r, Postgres>
        + sqlx::Type<Postgres>
{
}

impl Row {
    /// Reads a column by name.
    pub fn get<T: Decodable>(&self, col: &str) -> Result<T> {
        use sqlx::Row as _;
        Ok(match self {
            Row::Sqlite(r) => r.try_get(col)?,
            Row::Postgres(r) => r.try_get(col)?,
        })
    }
}

/// A type read from a result row, column by column (declared with [`row_struct!`]).
pub trait FromRow: Sized {
    fn from_row(r: &Row) -> Result<Self>;
}

/// Declares a struct and its [`FromRow`]: each field is read from the column of its own
/// name, or with the reader written after `=`: any `Fn(&Row) -> Result<T>`, usually one
/// of [`crate::decode::col`] (codes, JSON bodies, flags, renamed columns, fields filled
/// in later). Codes still go through [`crate::decode`], so an unknown one is a data
/// error naming the table and column.
///
/// `row_struct! { impl Path { field, other = reader, … } }` writes only the reading, for a
/// struct declared elsewhere (in danchu-core).
///
/// ```ignore
/// row_struct! {
///     #[derive(Debug, Clone)]
///     pub struct ChannelRow {
///         pub id: i64,
///         pub channel: Channel = col::code("disclosure_channels.channel", Channel::parse),
///         pub public: bool = col::flag("public"),
///     }
/// }
/// ```
macro_rules! row_struct {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident {
            $(
                $(#[$fmeta:meta])*
                $fvis:vis $field:ident : $ty:ty $(= $read:expr)?
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        $vis struct $name {
            $( $(#[$fmeta])* $fvis $field: $ty, )*
        }

        impl $crate::exec::FromRow for $name {
            fn from_row(r: &$crate::exec::Row) -> $crate::exec::Result<Self> {
                Ok($name {
                    $( $field: $crate::exec::row_struct!(@read r, $field $(, $read)?), )*
                })
            }
        }
    };
    // The reading only, for a struct declared elsewhere (a type of danchu-core).
    (impl $name:path { $($field:ident $(= $read:expr)?),* $(,)? }) => {
        impl $crate::exec::FromRow for $name {
            fn from_row(r: &$crate::exec::Row) -> $crate::exec::Result<Self> {
                Ok(Self {
                    $( $field: $crate::exec::row_struct!(@read r, $field $(, $read)?), )*
                })
            }
        }
    };
    (@read $r:ident, $field:ident) => {
        $r.get(stringify!($field))?
    };
    (@read $r:ident, $field:ident, $read:expr) => {
        ($read)($r)?
    };
}
pub(crate) use row_struct;

impl Row {
    /// Reads the first column.
    pub fn first<T: Decodable>(&self) -> Result<T> {
        self.at(0)
    }
}

impl Row {
    /// Reads the column at `index` (0 for the first).
    pub fn at<T: Decodable>(&self, index: usize) -> Result<T> {
        use sqlx::Row as _;
        Ok(match self {
            Row::Sqlite(r) => r.try_get(index)?,
            Row::Postgres(r) => r.try_get(index)?,
        })
    }
}

/// A pair read by position: the first two columns (`SELECT id, name …`).
impl<A: Decodable, B: Decodable> FromRow for (A, B) {
    fn from_row(r: &Row) -> Result<Self> {
        Ok((r.at(0)?, r.at(1)?))
    }
}

/// A triple read by position: the first three columns.
impl<A: Decodable, B: Decodable, C: Decodable> FromRow for (A, B, C) {
    fn from_row(r: &Row) -> Result<Self> {
        Ok((r.at(0)?, r.at(1)?, r.at(2)?))
    }
}

/// A `T` with the id of what it belongs to, read from the column `owner`
/// (`SELECT f.channel_id AS owner, m.id, …`): the children of many parents in one query.
#[derive(Debug, Clone, PartialEq)]
pub struct Owned<T> {
    pub owner: i64,
    pub item: T,
}

impl<T: FromRow> FromRow for Owned<T> {
    fn from_row(r: &Row) -> Result<Self> {
        Ok(Owned {
            owner: r.get("owner")?,
            item: T::from_row(r)?,
        })
    }
}

impl<T> Owned<T> {
    /// The items by owner, each owner's in the order read.
    pub fn grouped(rows: Vec<Owned<T>>) -> HashMap<i64, Vec<T>> {
        let mut out: HashMap<i64, Vec<T>> = HashMap::new();
        for o in rows {
            out.entry(o.owner).or_default().push(o.item);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::col;
    use crate::exec::{q, DbError, TempSqlite};
    use danchu_core::disclosures::Channel;

    row_struct! {
        #[derive(Debug, PartialEq)]
        struct Sample {
            id: i64,
            label: String = col::named("name"),
            note: Option<String>,
            public: bool = col::flag("public"),
            channel: Channel = col::code("sample.channel", Channel::parse),
            later: Vec<i64> = col::later,
        }
    }

    #[tokio::test]
    async fn a_row_struct_reads_each_field_from_its_column() {
        let t = TempSqlite::new("row-struct").await;
        let s: Option<Sample> = t
            .db
            .fetch_optional_as(q(
                "SELECT 7 AS id, 'Xã An Lập' AS name, NULL AS note, 1 AS public, 'portal' AS channel",
            ))
            .await
            .unwrap();
        assert_eq!(
            s,
            Some(Sample {
                id: 7,
                label: "Xã An Lập".into(),
                note: None,
                public: true,
                channel: Channel::Portal,
                later: Vec::new(),
            })
        );
    }

    #[tokio::test]
    async fn an_unknown_code_in_a_row_is_a_data_error_naming_the_column() {
        let t = TempSqlite::new("row-code").await;
        let e =
            t.db.fetch_all_as::<Sample>(q(
                "SELECT 7 AS id, 'x' AS name, NULL AS note, 0 AS public, 'bogus' AS channel",
            ))
            .await
            .unwrap_err();
        assert!(
            matches!(&e, DbError::Data(m) if m.contains("sample.channel") && m.contains("bogus")),
            "{e}"
        );
    }

    #[tokio::test]
    async fn scalars_tuples_and_owned_rows_read_by_position_or_owner() {
        let t = TempSqlite::new("row-shapes").await;
        let n: Option<i64> = t.db.fetch_scalar(q("SELECT 3 AS n")).await.unwrap();
        assert_eq!(n, Some(3));
        let none: Option<i64> =
            t.db.fetch_scalar(q("SELECT 3 AS n WHERE 1 = 0"))
                .await
                .unwrap();
        assert_eq!(none, None);
        let pairs: Vec<(i64, String)> =
            t.db.fetch_all_as(q("SELECT 1, 'a' UNION ALL SELECT 2, 'b'"))
                .await
                .unwrap();
        assert_eq!(pairs, [(1, "a".to_string()), (2, "b".to_string())]);
        let owned: Vec<Owned<(i64, String)>> = t
            .db
            .fetch_all_as(q(
                "SELECT 10 AS x, 'a' AS y, 1 AS owner UNION ALL SELECT 11, 'b', 1 UNION ALL SELECT 12, 'c', 2",
            ))
            .await
            .unwrap();
        let by = Owned::grouped(owned);
        assert_eq!(by[&1].len(), 2);
        assert_eq!(by[&2], [(12, "c".to_string())]);
    }
}
