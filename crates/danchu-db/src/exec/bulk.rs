//! Many rows in a few statements.

use super::{q, DbError, Result, Tx, Value};

/// Most values in one `IN (…)` list or one multi-row insert: well under the placeholder
/// limits of both backends (SQLite 32,766, PostgreSQL 65,535).
pub const IN_CHUNK: usize = 1000;

/// Inserts rows into `table(columns…)` with multi-row `VALUES` statements (a few statements
/// for any number of rows, never one per row). `suffix` follows each statement (e.g.
/// `ON CONFLICT DO NOTHING`). The names are the caller's constants, never input.
pub async fn insert_rows(
    tx: &mut Tx,
    table: &'static str,
    columns: &[&'static str],
    rows: Vec<Vec<Value>>,
    suffix: &'static str,
) -> Result<()> {
    let width = columns.len().max(1);
    let per_statement = (IN_CHUNK * 4 / width).max(1);
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let mut query = q(format!(
            "INSERT INTO {table} ({}) VALUES ",
            columns.join(", ")
        ));
        for (i, row) in rows.by_ref().take(per_statement).enumerate() {
            if row.len() != columns.len() {
                return Err(DbError::Invalid(format!(
                    "insert_rows({table}): {} values for {} columns",
                    row.len(),
                    columns.len()
                )));
            }
            if i > 0 {
                query = query.push(", ");
            }
            query = query.push_values(row);
        }
        tx.execute(query.push(" ").push(suffix)).await?;
    }
    Ok(())
}

/// Inserts the rows linking `owner` to each of `items` in a two-column link table
/// (`table(owner_col, item_col)`), ignoring links already there. The names are the
/// caller's constants, never input.
pub async fn link_all(
    tx: &mut Tx,
    (table, owner_col, item_col): (&'static str, &'static str, &'static str),
    owner: i64,
    items: &[i64],
) -> Result<()> {
    let rows = items
        .iter()
        .map(|i| vec![Value::from(owner), Value::from(*i)])
        .collect();
    insert_rows(
        tx,
        table,
        &[owner_col, item_col],
        rows,
        "ON CONFLICT DO NOTHING",
    )
    .await
}

/// Replaces the ordered list of items linked to `owner` in a link table with a `position`
/// column (`table(owner_col, item_col, position)`): the files of a document, the
/// attachments of an article. Returns the list as it was, or `None` (and writes nothing)
/// when it is already `items` in that order. The names are the caller's constants.
pub async fn set_ordered(
    tx: &mut Tx,
    (table, owner_col, item_col): (&'static str, &'static str, &'static str),
    owner: i64,
    items: &[i64],
) -> Result<Option<Vec<i64>>> {
    let before: Vec<i64> = tx
        .fetch_scalars(
            q(format!(
                "SELECT {item_col} FROM {table} WHERE {owner_col} = $1 ORDER BY position, {item_col}"
            ))
            .bind(owner),
        )
        .await?;
    if before == items {
        return Ok(None);
    }
    tx.execute(q(format!("DELETE FROM {table} WHERE {owner_col} = $1")).bind(owner))
        .await?;
    let rows = items
        .iter()
        .enumerate()
        .map(|(i, m)| vec![Value::from(owner), Value::from(*m), Value::from(i as i64)])
        .collect();
    insert_rows(
        tx,
        table,
        &[owner_col, item_col, "position"],
        rows,
        "ON CONFLICT DO NOTHING",
    )
    .await?;
    Ok(Some(before))
}
