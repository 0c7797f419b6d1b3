//! Queries: SQL written once for both backends, with its bound values.
//!
//! Placeholders are `$1`, `$2`, … on both backends (SQLite reads `$n` as the n-th value
//! too). A query written in one piece numbers them by hand, in order: `q("… WHERE id = $1
//! AND unit_id = $2").bind(id).bind(unit)`. A query built piece by piece never counts:
//! each value goes in with [`Query::push_bind`] (one placeholder), [`Query::push_values`]
//! (a parenthesised tuple) or [`Query::in_list`] (an `IN` list), which number it after
//! the values bound so far. In debug builds every query is checked before it runs: its
//! highest placeholder is the number of values bound, and none is skipped.

use super::Value;

/// A query: SQL written once for both backends, plus its bound values.
#[derive(Debug, Clone)]
pub struct Query {
    pub(super) sql: String,
    pub(super) args: Vec<Value>,
}

/// Starts a query. Placeholders are `$1`, `$2`, … on both backends.
pub fn q(sql: impl Into<String>) -> Query {
    Query {
        sql: sql.into(),
        args: Vec::new(),
    }
}

impl Query {
    /// Binds the value of the next hand-numbered placeholder of the text.
    pub fn bind(mut self, v: impl Into<Value>) -> Self {
        self.args.push(v.into());
        self
    }

    /// Binds `values` to the next hand-numbered placeholders, in order (a row's fields
    /// that an INSERT and an UPDATE both number the same way).
    pub fn bind_all<V: Into<Value>>(mut self, values: impl IntoIterator<Item = V>) -> Self {
        self.args.extend(values.into_iter().map(Into::into));
        self
    }

    /// Appends the next placeholder (`$n`, numbered after the values bound so far) and
    /// binds `v` to it: `.push(" AND d.unit_id = ").push_bind(unit)`.
    pub fn push_bind(mut self, v: impl Into<Value>) -> Self {
        self.args.push(v.into());
        self.sql.push_str(&format!("${}", self.args.len()));
        self
    }

    /// Appends `($n, $n+1, …)` for `values` and binds them (a row of a multi-row
    /// `VALUES`).
    pub fn push_values<V: Into<Value>>(mut self, values: impl IntoIterator<Item = V>) -> Self {
        self.sql.push('(');
        for (i, v) in values.into_iter().enumerate() {
            if i > 0 {
                self.sql.push_str(", ");
            }
            self.args.push(v.into());
            self.sql.push_str(&format!("${}", self.args.len()));
        }
        self.sql.push(')');
        self
    }

    /// Appends `($n, $n+1, …)` for `values` and binds them: `IN` lists written once for
    /// both backends. An empty list is `(NULL)`, which matches nothing.
    pub fn in_list<V: Into<Value> + Clone>(self, values: &[V]) -> Self {
        if values.is_empty() {
            return self.push("(NULL)");
        }
        self.push_values(values.iter().cloned())
    }

    /// Puts SQL text around the query (to select from it as a subquery), keeping its
    /// arguments.
    pub fn wrap(mut self, before: &str, after: &str) -> Self {
        self.sql = format!("{before}{}{after}", self.sql);
        self
    }

    /// Appends SQL text.
    pub fn push(mut self, sql: &str) -> Self {
        self.sql.push_str(sql);
        self
    }

    pub fn sql(&self) -> &str {
        &self.sql
    }

    /// How many values are bound.
    pub fn len(&self) -> usize {
        self.args.len()
    }

    /// Whether no value is bound.
    pub fn is_empty(&self) -> bool {
        self.args.is_empty()
    }

    /// Checks that the placeholders of the text are `$1` to `$n`, each used at least
    /// once, for the `n` values bound (text in single quotes is skipped). Run before every
    /// query in debug builds, so a hand-numbered placeholder that is off fails its test
    /// on both backends, not only on PostgreSQL.
    #[cfg_attr(not(debug_assertions), allow(dead_code))]
    pub(super) fn numbered_right(&self) -> Result<(), String> {
        let mut seen = vec![false; self.args.len()];
        let mut chars = self.sql.chars().peekable();
        let mut quoted = false;
        while let Some(c) = chars.next() {
            match c {
                '\'' => quoted = !quoted,
                '$' if !quoted => {
                    let mut n = String::new();
                    while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                        n.push(*d);
                        chars.next();
                    }
                    let Ok(n) = n.parse::<usize>() else { continue };
                    match seen.get_mut(n.wrapping_sub(1)) {
                        Some(s) => *s = true,
                        None => {
                            return Err(format!(
                                "${n} with {} values bound: {}",
                                self.args.len(),
                                self.sql
                            ))
                        }
                    }
                }
                _ => {}
            }
        }
        match seen.iter().position(|s| !s) {
            Some(i) => Err(format!("${} is never used: {}", i + 1, self.sql)),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pushed_values_are_numbered_after_those_bound_by_hand() {
        let query = q("SELECT id FROM disclosures WHERE public = $1")
            .bind(1i64)
            .push(" AND unit_id = ")
            .push_bind(7i64)
            .push(" AND category_id IN ")
            .in_list(&[3i64, 4])
            .push(" LIMIT ")
            .push_bind(20i64);
        assert_eq!(
            query.sql(),
            "SELECT id FROM disclosures WHERE public = $1 AND unit_id = $2 AND category_id IN ($3, $4) LIMIT $5"
        );
        assert_eq!(query.len(), 5);
        assert_eq!(query.numbered_right(), Ok(()));
    }

    #[test]
    fn an_empty_in_list_matches_nothing_and_binds_nothing() {
        let query = q("SELECT 1 FROM units WHERE id IN ").in_list::<i64>(&[]);
        assert_eq!(query.sql(), "SELECT 1 FROM units WHERE id IN (NULL)");
        assert!(query.is_empty());
    }

    #[test]
    fn rows_of_values_continue_the_numbering() {
        let query = q("INSERT INTO t (a, b) VALUES ")
            .push_values([1i64, 2])
            .push(", ")
            .push_values([3i64, 4]);
        assert_eq!(
            query.sql(),
            "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4)"
        );
    }

    #[test]
    fn a_placeholder_off_by_one_is_caught() {
        let gap = q("SELECT 1 WHERE a = $1 AND b = $3").bind(1i64).bind(2i64);
        assert!(gap
            .numbered_right()
            .unwrap_err()
            .contains("$3 with 2 values"));
        let unused = q("SELECT 1 WHERE a = $1").bind(1i64).bind(2i64);
        assert!(unused
            .numbered_right()
            .unwrap_err()
            .contains("$2 is never used"));
        let reused = q("SELECT 1 WHERE ($1 IS NULL OR a = $1)").bind(1i64);
        assert_eq!(reused.numbered_right(), Ok(()));
        let quoted = q("SELECT '$9' WHERE a = $1").bind(1i64);
        assert_eq!(quoted.numbered_right(), Ok(()));
    }
}
