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

/// Reads a JSON body stored in `at` (`table.column`); a body that does not parse (a
/// damaged body, or an unknown code inside it: a form, a recurrence, an indicator kind)
/// is a data error.
pub fn json<T: DeserializeOwned>(at: &str, raw: &str) -> Result<T> {
    serde_json::from_str(raw).map_err(|e| DbError::Data(format!("{at}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

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
