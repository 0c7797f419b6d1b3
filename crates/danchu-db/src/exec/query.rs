//! Queries: SQL written once for both backends, with its bound values.

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
    pub fn bind(mut self, v: impl Into<Value>) -> Self {
        self.args.push(v.into());
        self
    }

    /// Appends `(${n}, ${n+1}, …)` for `values` (numbered after the values bound so far)
    /// and binds them: `IN` lists written once for both backends.
    pub fn in_list<V: Into<Value> + Clone>(mut self, values: &[V]) -> Self {
        let start = self.args.len();
        let list: Vec<String> = (0..values.len())
            .map(|i| format!("${}", start + i + 1))
            .collect();
        self.sql.push_str(&format!(
            "({})",
            if list.is_empty() {
                "NULL".to_string()
            } else {
                list.join(", ")
            }
        ));
        for v in values {
            self.args.push(v.clone().into());
        }
        self
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
}
