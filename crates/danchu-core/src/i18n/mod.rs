//! User-interface language. Vietnamese is the default; English is available with
//! `?lang=en` (remembered in a cookie). Texts live in one table per capability
//! ([`TABLES`]: `portal.rs`, `disclosures.rs`, …, and `common.rs` for the page frame and
//! words several capabilities share) so a translator finds them in one place.
//!
//! A key the tables lack prints as the key itself; [`t_calls`] and [`missing`] let a test
//! find every key the templates and the web code ask for and refuse those without a text.

mod audit;
mod common;
mod disclosures;
mod documents;
mod identity;
mod media;
mod plans;
mod portal;
mod reporting;
mod search;
mod units;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    pub fn from_code(s: &str) -> Option<Lang> {
        match s {
            "vi" => Some(Lang::Vi),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    /// Looks up a UI text; an unknown key returns the key itself so a gap is visible.
    pub fn t(self, key: &'static str) -> &'static str {
        match text(key) {
            Some((vi, en)) => match self {
                Lang::Vi => vi,
                Lang::En => en,
            },
            None => key,
        }
    }
}

/// A table of UI texts: (key, Vietnamese, English).
pub type Texts = &'static [(&'static str, &'static str, &'static str)];

/// Every table, named for its capability (or `common`). A key lives in exactly one.
pub const TABLES: &[(&str, Texts)] = &[
    ("common", common::TEXTS),
    ("identity", identity::TEXTS),
    ("units", units::TEXTS),
    ("audit", audit::TEXTS),
    ("media", media::TEXTS),
    ("portal", portal::TEXTS),
    ("documents", documents::TEXTS),
    ("search", search::TEXTS),
    ("plans", plans::TEXTS),
    ("reporting", reporting::TEXTS),
    ("disclosures", disclosures::TEXTS),
];

/// Every (key, Vietnamese, English), table by table.
pub fn texts() -> impl Iterator<Item = &'static (&'static str, &'static str, &'static str)> {
    TABLES.iter().flat_map(|(_, table)| table.iter())
}

/// The (Vietnamese, English) texts of `key`, if the tables have it.
pub fn text(key: &str) -> Option<(&'static str, &'static str)> {
    texts()
        .find(|(k, _, _)| *k == key)
        .map(|(_, vi, en)| (*vi, *en))
}

/// The keys among `keys` that have no text, each once, in the order first met.
pub fn missing<'a>(keys: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    for k in keys {
        if text(k).is_none() && !out.contains(&k) {
            out.push(k);
        }
    }
    out
}

/// One call of `t(…)` found in a template or a Rust source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Call<'a> {
    /// `t("key")`: the key, checkable.
    Key(&'a str),
    /// Anything else between the parentheses (`t(key)`, `t(&self, key: …)`): a key
    /// passed this way cannot be checked from the source.
    Other(&'a str),
}

/// Every call of `t(…)` in `source` (`ctx.t("key")` in a template, `lang.t("key")` in
/// Rust), in order, repeats included. `t` must stand alone: `get("x")` or `format!("x")`
/// are not calls of `t`.
pub fn t_calls(source: &str) -> Vec<Call<'_>> {
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    let mut out = Vec::new();
    for (i, _) in source.match_indices("t(") {
        if source[..i].chars().next_back().is_some_and(ident) {
            continue;
        }
        let rest = &source[i + 2..];
        out.push(literal_key(rest).map_or_else(
            || Call::Other(rest.split(')').next().unwrap_or(rest).trim()),
            Call::Key,
        ));
    }
    out
}

/// The key of `"key")` at the start of `rest` (spaces allowed around it), if that is
/// what it holds.
fn literal_key(rest: &str) -> Option<&str> {
    let inner = rest.trim_start().strip_prefix('"')?;
    let (key, after) = inner.split_once('"')?;
    (!key.contains(['\n', '\\']) && after.trim_start().starts_with(')')).then_some(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_is_unique_and_translated() {
        let all: Vec<_> = texts().collect();
        for (i, (k, vi, en)) in all.iter().enumerate() {
            assert!(!vi.is_empty() && !en.is_empty(), "{k}");
            assert!(
                all[i + 1..].iter().all(|(k2, _, _)| k2 != k),
                "duplicate {k}"
            );
        }
        assert!(all.len() >= 380, "every table is listed in TABLES");
        assert_eq!(Lang::Vi.t("sign_in"), "Đăng nhập");
        assert_eq!(Lang::En.t("sign_in"), "Sign in");
        assert_eq!(Lang::Vi.t("no_such_key"), "no_such_key");
    }

    #[test]
    fn each_capability_has_its_own_table() {
        let names: Vec<&str> = TABLES.iter().map(|(n, _)| *n).collect();
        for cap in [
            "portal",
            "documents",
            "search",
            "plans",
            "reporting",
            "disclosures",
            "units",
            "identity",
        ] {
            assert!(names.contains(&cap), "{cap}");
        }
        assert!(TABLES.iter().all(|(_, t)| !t.is_empty()), "{names:?}");
        // A key is found whichever table holds it.
        assert_eq!(Lang::En.t("compliance"), "Disclosure compliance");
        assert_eq!(Lang::Vi.t("report_templates"), "Mẫu báo cáo");
        assert_eq!(Lang::En.t("skip"), "Skip to main content");
    }

    #[test]
    fn t_calls_finds_the_keys_of_templates_and_code() {
        let source = r#"<a>{{ ctx.t("sign_in") }}</a> {{ ctx.t( "home" ) }}
            let s = self.t("site_name"); format!("{x}"); m.get("a"); list.sort("b");
            pub fn t(&self, key: &'static str) -> &'static str { self.lang.t(key) }
            ctx.t("unterminated
            "#;
        assert_eq!(
            t_calls(source),
            [
                Call::Key("sign_in"),
                Call::Key("home"),
                Call::Key("site_name"),
                Call::Other("&self, key: &'static str"),
                Call::Other("key"),
                Call::Other("\"unterminated"),
            ]
        );
        assert!(t_calls("no calls here: get(\"x\"), set(\"y\")").is_empty());
    }

    #[test]
    fn an_invented_key_is_reported_once_and_known_keys_are_not() {
        let used = t_calls(
            r#"{{ ctx.t("sign_in") }} {{ ctx.t("no_such_key_r0") }} {{ ctx.t("no_such_key_r0") }}"#,
        );
        let keys = used.iter().filter_map(|c| match c {
            Call::Key(k) => Some(*k),
            Call::Other(_) => None,
        });
        assert_eq!(missing(keys), ["no_such_key_r0"]);
        assert!(missing(texts().map(|(k, _, _)| *k)).is_empty());
    }
}
