//! Values bound to placeholders.

/// A value bound to a `$n` placeholder. Each variant carries its type even when NULL,
/// because PostgreSQL checks parameter types.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    I64(Option<i64>),
    F64(Option<f64>),
    Text(Option<String>),
    Bool(Option<bool>),
    Bytes(Option<Vec<u8>>),
}

macro_rules! value_from {
    ($t:ty, $v:ident, $conv:expr) => {
        impl From<$t> for Value {
            fn from(x: $t) -> Value {
                let f = $conv;
                Value::$v(Some(f(x)))
            }
        }
        impl From<Option<$t>> for Value {
            fn from(x: Option<$t>) -> Value {
                let f = $conv;
                Value::$v(x.map(f))
            }
        }
    };
}
value_from!(i64, I64, |x| x);
value_from!(i32, I64, |x: i32| x as i64);
value_from!(f64, F64, |x| x);
value_from!(bool, Bool, |x| x);
value_from!(String, Text, no_nul);
value_from!(&str, Text, |x: &str| no_nul(x.to_string()));
value_from!(&String, Text, |x: &String| no_nul(x.clone()));

/// Text never carries NUL to the database: PostgreSQL refuses it in a text value while
/// SQLite would store it, so both backends behave alike (and a hostile `%00` in a
/// search or a form cannot turn into a server error).
fn no_nul(s: String) -> String {
    if s.contains('\0') {
        s.replace('\0', "")
    } else {
        s
    }
}
value_from!(Vec<u8>, Bytes, |x| x);
// A day is stored as `yyyy-mm-dd` text on both backends (so it sorts and compares as text).
value_from!(time::Date, Text, danchu_core::text::iso_date);
