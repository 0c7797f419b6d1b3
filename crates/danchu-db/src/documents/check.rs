//! An editor's save of a document, checked once: the fields by core's rules, the numbers
//! of the documents it replaces and amends against the library. Only a checked save is
//! written (see [`super::save`]).

use danchu_core::documents::{refusals, DocumentInput};

use super::cited::named_in_field;
use super::read::relations;
use crate::exec::{Db, DbError, Result};

/// A save that passed [`check`]: the input and the ids of its own relations.
#[derive(Debug, Clone)]
pub struct Checked {
    pub(super) input: DocumentInput,
    pub(super) issued_on: time::Date,
    pub(super) replaces: Vec<i64>,
    pub(super) amends: Vec<i64>,
}

impl Checked {
    /// The unit the document is saved in (the editor needs rights there).
    pub fn unit_id(&self) -> i64 {
        self.input.unit_id
    }
}

/// What the form names besides the fields: the numbers of the documents this one
/// replaces and amends, as typed ("22/KH-UBND, 3/QĐ-UBND").
#[derive(Debug, Clone, Default)]
pub struct Named<'a> {
    pub replaces: &'a str,
    pub amends: &'a str,
}

/// Checks a save of document `id` (`None`: a new one). `unreadable` are the fields the
/// form could not even parse (a date that is no date, no unit chosen); they are refused
/// together with everything else, each field once. A number shared by several documents
/// keeps the one already related, so saving unchanged changes nothing.
pub async fn check(
    db: &Db,
    id: Option<i64>,
    input: DocumentInput,
    named: Named<'_>,
    unreadable: Vec<(&'static str, String)>,
) -> Result<Checked> {
    let mut refused = unreadable;
    for (field, message) in refusals(&input) {
        if !refused.iter().any(|(f, _)| *f == field) {
            refused.push((field, message));
        }
    }
    let (old_replaces, old_amends) = own_relations(db, id).await?;
    let (replaces, missing) = named_in_field(db, named.replaces, &old_replaces).await?;
    refused.extend(missing.into_iter().map(|m| ("replaces", m)));
    let (amends, missing) = named_in_field(db, named.amends, &old_amends).await?;
    refused.extend(missing.into_iter().map(|m| ("amends", m)));
    match input.issued_on {
        Some(issued_on) if refused.is_empty() => Ok(Checked {
            input,
            issued_on,
            replaces,
            amends,
        }),
        _ => Err(DbError::Refused(refused)),
    }
}

/// The ids of the documents a document replaces and amends (its own relations).
async fn own_relations(db: &Db, id: Option<i64>) -> Result<(Vec<i64>, Vec<i64>)> {
    let Some(id) = id else {
        return Ok((Vec::new(), Vec::new()));
    };
    let mut replaces = Vec::new();
    let mut amends = Vec::new();
    for (relation, own, d) in relations(db, id).await? {
        match (own, relation.as_str()) {
            (true, "replaces") => replaces.push(d.id),
            (true, "amends") => amends.push(d.id),
            _ => {}
        }
    }
    Ok((replaces, amends))
}

/// Checks a document given whole (the demo, imports): its fields by core's rules.
pub(super) fn checked_fields(input: &DocumentInput) -> Result<time::Date> {
    let refused = refusals(input);
    match input.issued_on {
        Some(d) if refused.is_empty() => Ok(d),
        _ => Err(DbError::Refused(refused)),
    }
}
