//! Codes and JSON bodies read back from our own database. danchu writes only codes it
//! knows, so a code it does not know (written by a newer or older program, by hand, or
//! by a damaged restore) is a fault of the data and never a value to guess: mapped to a
//! real value it would change figures (a disclosure's forms, a report's status, a task's
//! due dates) without anyone seeing why. Each decoder here refuses it as
//! [`DbError::Data`], naming the table, the column and the code, so the request that
//! read it fails with a logged server error.
//!
//! Input from people (forms, query strings) is not decoded here: it is checked where it
//! arrives and refused with a message next to the field.

use serde::de::DeserializeOwned;

use crate::exec::{DbError, Result};

/// The error for a code in `at` (`table.column`) that this program does not know.
pub fn unknown(at: &str, code: &str) -> DbError {
    DbError::Data(format!("{at}: mã không rõ {code:?}"))
}

/// Reads a code stored in `at` (`table.column`) with its parser; an unknown code is a
/// data error.
pub fn code<T>(at: &str, raw: &str, parse: impl FnOnce(&str) -> Option<T>) -> Result<T> {
    parse(raw).ok_or_else(|| unknown(at, raw))
}

/// Checks that a code kept as text in `at` is one of `known`, and returns it.
pub fn one_of(at: &str, raw: String, known: &[&str]) -> Result<String> {
    if known.contains(&raw.as_str()) {
        Ok(raw)
    } else {
        Err(unknown(at, &raw))
    }
}

/// Reads a code that may be empty (meaning "none"): empty is `None`, anything else must
/// parse.
pub fn optional<T>(
    at: &str,
    raw: &str,
    parse: impl FnOnce(&str) -> Option<T>,
) -> Result<Option<T>> {
    if raw.is_empty() {
        Ok(None)
    } else {
        code(at, raw, parse).map(Some)
    }
}

/// A stored day (`yyyy-mm-dd`), empty meaning none; a value that is not a day is a
/// data error.
pub fn day(at: &str, raw: &str) -> Result<Option<time::Date>> {
    if raw.is_empty() {
        return Ok(None);
    }
    match time::Date::parse(raw, ISO_DAY) {
        Ok(d) => Ok(Some(d)),
        Err(_) => Err(unknown(at, raw)),
    }
}

const ISO_DAY: &[time::format_description::BorrowedFormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]");

/// Reads a JSON body stored in `at` (`table.column`); a body that does not parse (a
/// damaged body, or an unknown code inside it: a form, a recurrence, an indicator kind)
/// is a data error.
pub fn json<T: DeserializeOwned>(at: &str, raw: &str) -> Result<T> {
    serde_json::from_str(raw).map_err(|e| DbError::Data(format!("{at}: {e}")))
}

/// Readers of one column, for the fields of a `row_struct!`
/// that are not read as they are: each returns a `Fn(&Row) -> Result<T>`. Where `at`
/// names `table.column`, the column read is its last part.
/// Days in a row's JSON (the audit snapshot, API bodies built from rows) as they always
/// read when days were carried as text: `yyyy-mm-dd`, or empty for none. Used with
/// `#[serde(serialize_with = "crate::decode::day_text::…")]`; the one copy is in core
/// (core's rows, such as an R8 notice, use it too).
pub use danchu_core::text::day_text;

pub mod col {
    use serde::de::DeserializeOwned;

    use crate::exec::{Decodable, Result, Row};

    fn column(at: &str) -> &str {
        at.rsplit('.').next().unwrap_or(at)
    }

    /// The column `name` (a field named apart from its column, or an alias).
    pub fn named<T: Decodable>(name: &'static str) -> impl Fn(&Row) -> Result<T> {
        move |r| r.get(name)
    }

    /// A code parsed with `parse`; an unknown code is a data error (see [`super::code`]).
    pub fn code<T>(
        at: &'static str,
        parse: impl Fn(&str) -> Option<T>,
    ) -> impl Fn(&Row) -> Result<T> {
        move |r| super::code(at, &r.get::<String>(column(at))?, &parse)
    }

    /// A code in a column that may be NULL (a LEFT JOIN with no row): NULL is `None`,
    /// any code must parse.
    pub fn nullable_code<T>(
        at: &'static str,
        parse: impl Fn(&str) -> Option<T>,
    ) -> impl Fn(&Row) -> Result<Option<T>> {
        move |r| {
            r.get::<Option<String>>(column(at))?
                .map(|raw| super::code(at, &raw, &parse))
                .transpose()
        }
    }

    /// A code kept as text (as stored) that must parse with `parse`.
    pub fn known_code<T>(
        at: &'static str,
        parse: impl Fn(&str) -> Option<T>,
    ) -> impl Fn(&Row) -> Result<String> {
        move |r| {
            let raw: String = r.get(column(at))?;
            super::code(at, &raw, &parse)?;
            Ok(raw)
        }
    }

    /// A code kept as text that must be one of `known` (see [`super::one_of`]).
    pub fn one_of(
        at: &'static str,
        known: &'static [&'static str],
    ) -> impl Fn(&Row) -> Result<String> {
        move |r| super::one_of(at, r.get(column(at))?, known)
    }

    /// A code kept as text that must be the code of one of the `(code, name)` pairs of
    /// `list` (the lists of `danchu_core::documents`).
    pub fn listed(
        at: &'static str,
        list: &'static [(&'static str, &'static str)],
    ) -> impl Fn(&Row) -> Result<String> {
        move |r| {
            let raw: String = r.get(column(at))?;
            if list.iter().any(|k| k.0 == raw) {
                Ok(raw)
            } else {
                Err(super::unknown(at, &raw))
            }
        }
    }

    /// A code kept as text, empty meaning none, that must parse when not empty (see
    /// [`super::optional`]).
    pub fn optional_code<T>(
        at: &'static str,
        parse: impl Fn(&str) -> Option<T>,
    ) -> impl Fn(&Row) -> Result<String> {
        move |r| {
            let raw: String = r.get(column(at))?;
            super::optional(at, &raw, &parse)?;
            Ok(raw)
        }
    }

    /// A JSON body (see [`super::json`]).
    pub fn json<T: DeserializeOwned>(at: &'static str) -> impl Fn(&Row) -> Result<T> {
        move |r| super::json(at, &r.get::<String>(column(at))?)
    }

    /// An integer flag (`0`/`1`, kept as BIGINT on both backends) as a bool.
    pub fn flag(name: &'static str) -> impl Fn(&Row) -> Result<bool> {
        move |r| Ok(r.get::<i64>(name)? > 0)
    }

    /// A day kept as `yyyy-mm-dd` text; NULL or empty is `None`, anything else that is
    /// not a real day is a data error (never read as "no date").
    pub fn day(name: &'static str) -> impl Fn(&Row) -> Result<Option<time::Date>> {
        move |r| {
            super::day(
                name,
                r.get::<Option<String>>(name)?.as_deref().unwrap_or(""),
            )
        }
    }

    /// A day that must be there (see [`day`]).
    pub fn required_day(name: &'static str) -> impl Fn(&Row) -> Result<time::Date> {
        move |r| {
            let raw: String = r.get(name)?;
            super::day(name, &raw)?.ok_or_else(|| super::unknown(name, &raw))
        }
    }

    /// Not a column: filled in by the caller after the row is read (empty until then).
    pub fn later<T: Default>(_: &Row) -> Result<T> {
        Ok(T::default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_day_reads_as_a_date_empty_as_none_and_garbage_as_a_data_error() {
        let d = day("documents.issued_on", "2024-03-05").unwrap().unwrap();
        assert_eq!(danchu_core::text::iso_date(d), "2024-03-05");
        assert_eq!(day("documents.issued_on", "").unwrap(), None);
        for bad in ["05/03/2024", "2024-02-30", "2024-3-5x", "hôm qua"] {
            let e = day("documents.issued_on", bad).unwrap_err();
            assert!(
                matches!(&e, DbError::Data(m) if m.contains("documents.issued_on")),
                "{bad}: {e}"
            );
        }
    }

    #[test]
    fn an_unknown_code_is_a_data_error_naming_where_and_what() {
        let e = code(
            "disclosure_channels.channel",
            "bogus",
            danchu_core::disclosures::Channel::parse,
        )
        .unwrap_err();
        assert!(
            matches!(&e, DbError::Data(m) if m.contains("disclosure_channels.channel") && m.contains("\"bogus\"")),
            "{e}"
        );
        assert_eq!(
            code("x.y", "portal", danchu_core::disclosures::Channel::parse).unwrap(),
            danchu_core::disclosures::Channel::Portal
        );
    }

    #[test]
    fn a_known_text_code_passes_and_an_unknown_one_does_not() {
        assert_eq!(
            one_of("media.kind", "file".into(), &["image", "file"]).unwrap(),
            "file"
        );
        assert!(matches!(
            one_of("media.kind", "video".into(), &["image", "file"]),
            Err(DbError::Data(m)) if m.contains("media.kind") && m.contains("video")
        ));
        // Case and spaces are not forgiven: danchu wrote the code exactly.
        assert!(one_of("media.kind", "File".into(), &["image", "file"]).is_err());
        assert!(one_of("media.kind", " file".into(), &["image", "file"]).is_err());
    }

    #[test]
    fn empty_means_none_only_where_the_column_allows_it() {
        let parse = danchu_core::reporting::Period::parse;
        assert_eq!(optional("report_rounds.period", "", parse).unwrap(), None);
        assert!(optional("report_rounds.period", "2024-Q1", parse)
            .unwrap()
            .is_some());
        assert!(optional("report_rounds.period", "2024-Q9", parse).is_err());
    }

    #[test]
    fn a_json_body_with_an_unknown_code_inside_is_a_data_error() {
        let bad = r#"{"sections":[{"title":"A","indicators":[{"code":"a","label":"A","kind":{"type":"bogus"},"aggregation":"sum"}]}]}"#;
        let e =
            json::<danchu_core::reporting::TemplateBody>("report_templates.body", bad).unwrap_err();
        assert!(
            matches!(&e, DbError::Data(m) if m.starts_with("report_templates.body") && m.contains("bogus")),
            "{e}"
        );
    }
}
