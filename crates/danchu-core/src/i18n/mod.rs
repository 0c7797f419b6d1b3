//! User-interface language. Vietnamese is the default; English is available with
//! `?lang=en` (remembered in a cookie). Texts are data, not code: one TOML file per
//! capability beside this module (`portal.toml`, `disclosures.toml`, …, and `common.toml`
//! for the page frame and words several capabilities share), each line
//! `key = ["Tiếng Việt", "English"]`, so a translator edits one file and no Rust.
//!
//! The files are compiled in and read once, on first use. A key the tables lack prints as
//! the key itself; [`t_calls`] and [`missing`] let a test find every key the templates and
//! the web code ask for and refuse those without a text, and [`problems`] lists any file
//! that does not parse or a key that two files define (a unit test keeps it empty).

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

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

/// Every table, named for its capability (or `common`), with its TOML source. A key lives
/// in exactly one.
pub const TABLES: &[(&str, &str)] = &[
    ("common", include_str!("common.toml")),
    ("identity", include_str!("identity.toml")),
    ("units", include_str!("units.toml")),
    ("audit", include_str!("audit.toml")),
    ("media", include_str!("media.toml")),
    ("portal", include_str!("portal.toml")),
    ("documents", include_str!("documents.toml")),
    ("search", include_str!("search.toml")),
    ("plans", include_str!("plans.toml")),
    ("reporting", include_str!("reporting.toml")),
    ("disclosures", include_str!("disclosures.toml")),
    ("background", include_str!("background.toml")),
];

/// One UI text: the table it lives in, its key and its two languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    pub table: &'static str,
    pub key: String,
    pub vi: String,
    pub en: String,
}

/// The texts of some tables, indexed by key, with what was wrong in them.
#[derive(Debug, Default)]
pub struct Store {
    all: Vec<Text>,
    by_key: HashMap<String, usize>,
    problems: Vec<String>,
}

impl Store {
    /// Reads `tables` (name, TOML source). A table that does not parse is skipped and
    /// named in the problems; so is a key a later table defines again (the first wins).
    pub fn load(tables: &[(&'static str, &str)]) -> Store {
        let mut store = Store::default();
        for &(table, source) in tables {
            match toml::from_str::<BTreeMap<String, [String; 2]>>(source) {
                Ok(texts) => texts.into_iter().for_each(|(key, [vi, en])| {
                    store.add(Text { table, key, vi, en });
                }),
                Err(e) => store.problems.push(format!("{table}.toml: {e}")),
            }
        }
        store
    }

    fn add(&mut self, text: Text) {
        if let Some(&i) = self.by_key.get(&text.key) {
            let first = self.all[i].table;
            self.problems.push(format!(
                "{}: in {first}.toml and {}.toml",
                text.key, text.table
            ));
        } else if text.vi.trim().is_empty() || text.en.trim().is_empty() {
            self.problems
                .push(format!("{}: empty text in {}.toml", text.key, text.table));
        } else {
            self.by_key.insert(text.key.clone(), self.all.len());
            self.all.push(text);
        }
    }

    /// The (Vietnamese, English) texts of `key`, if the tables have it.
    pub fn text(&self, key: &str) -> Option<(&str, &str)> {
        let t = &self.all[*self.by_key.get(key)?];
        Some((&t.vi, &t.en))
    }

    pub fn texts(&self) -> &[Text] {
        &self.all
    }

    pub fn problems(&self) -> &[String] {
        &self.problems
    }
}

/// The compiled-in tables, read on first use.
fn store() -> &'static Store {
    static STORE: OnceLock<Store> = OnceLock::new();
    STORE.get_or_init(|| Store::load(TABLES))
}

/// Every UI text, table by table.
pub fn texts() -> &'static [Text] {
    store().texts()
}

/// The (Vietnamese, English) texts of `key`, if the tables have it.
pub fn text(key: &str) -> Option<(&'static str, &'static str)> {
    store().text(key)
}

/// What is wrong in the compiled-in tables (a file that does not parse, a key defined
/// twice, an empty text); empty when all is well, which a unit test checks.
pub fn problems() -> &'static [String] {
    store().problems()
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
    fn every_table_parses_and_every_key_is_unique_and_translated() {
        assert_eq!(problems(), [] as [String; 0]);
        assert!(texts().len() >= 380, "every table is listed in TABLES");
        assert_eq!(Lang::Vi.t("sign_in"), "Đăng nhập");
        assert_eq!(Lang::En.t("sign_in"), "Sign in");
        assert_eq!(Lang::Vi.t("no_such_key"), "no_such_key");
    }

    #[test]
    fn a_broken_table_a_repeated_key_and_an_empty_text_are_problems() {
        let store = Store::load(&[
            ("one", "a = [\"Một\", \"One\"]\nb = [\"Hai\", \"Two\"]\n"),
            ("two", "a = [\"Ba\", \"Three\"]\nc = [\" \", \"Four\"]\n"),
            ("three", "d = [\"Năm\"]\n"),
            ("four", "e = [\"Sáu\", \"Six\"]\ne = [\"Bảy\", \"Seven\"]\n"),
        ]);
        assert_eq!(
            store.text("a"),
            Some(("Một", "One")),
            "the first table wins"
        );
        assert_eq!(store.text("b"), Some(("Hai", "Two")));
        assert_eq!(store.text("c"), None);
        let problems = store.problems();
        assert_eq!(problems.len(), 4, "{problems:?}");
        assert!(
            problems[0].starts_with("a: in one.toml and two.toml"),
            "{problems:?}"
        );
        assert!(
            problems[1].starts_with("c: empty text in two.toml"),
            "{problems:?}"
        );
        assert!(problems[2].starts_with("three.toml: "), "{problems:?}");
        assert!(problems[3].starts_with("four.toml: "), "{problems:?}");
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
            assert!(texts().iter().any(|t| t.table == cap), "{cap} has texts");
        }
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
        assert!(missing(texts().iter().map(|t| t.key.as_str())).is_empty());
    }
}
