//! Every UI-text key the templates and the web code ask for has a text (issue 14): a key
//! the tables in `danchu-core/src/i18n/` lack would print as the key itself on the page.
//! The scan is recursive, so templates moved into per-capability folders stay covered.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use danchu_core::i18n::{self, Call};

/// Every file under `dir` whose name ends with `.{ext}`, sorted.
fn files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(d) = dirs.pop() {
        let entries = fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display()));
        for entry in entries {
            let path = entry
                .unwrap_or_else(|e| panic!("{}: {e}", d.display()))
                .path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|x| x == ext) {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// A call whose argument is not a literal is allowed only where `t` is defined or
/// forwards its own `key` argument (`fn t(&self, key: …)`, `self.lang.t(key)`).
fn forwards(arg: &str) -> bool {
    arg == "key" || arg.starts_with("&self") || arg.starts_with("self")
}

#[test]
fn every_key_used_by_a_template_or_the_web_code_has_a_text() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let templates = files(&root.join("templates"), "html");
    let code = files(&root.join("src"), "rs");
    // Where each key is used, and the calls this test cannot check.
    let mut used: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut unchecked = Vec::new();
    for path in templates.iter().chain(&code) {
        let source = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let name = path
            .strip_prefix(root)
            .unwrap_or(path)
            .display()
            .to_string();
        for call in i18n::t_calls(&source) {
            match call {
                Call::Key(k) => used.entry(k.to_string()).or_default().push(name.clone()),
                Call::Other(arg)
                    if path.extension().is_some_and(|x| x == "rs") && forwards(arg) => {}
                Call::Other(arg) => unchecked.push(format!("{name}: t({arg})")),
            }
        }
    }
    // The scan reached what it claims: the templates and the keys they use.
    assert!(
        templates.len() >= 20,
        "only {} templates found",
        templates.len()
    );
    assert!(
        used.len() >= 300,
        "only {} keys found: did the scan miss the templates?",
        used.len()
    );
    assert!(
        used.contains_key("sign_in") && used.contains_key("site_name"),
        "templates and code both scanned"
    );
    let missing: Vec<String> = i18n::missing(used.keys().map(String::as_str))
        .into_iter()
        .map(|k| format!("{k} (used in {})", used[k].join(", ")))
        .collect();
    assert!(
        missing.is_empty(),
        "{} UI-text keys have no Vietnamese or English text; add them to the capability's table in \
         crates/danchu-core/src/i18n/:\n  {}",
        missing.len(),
        missing.join("\n  ")
    );
    assert!(
        unchecked.is_empty(),
        "t() called with a key that is not a string literal, which this test cannot check:\n  {}",
        unchecked.join("\n  ")
    );
}
