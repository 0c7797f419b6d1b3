//! The dependency rule, checked on the sources: a capability's web module
//! (`src/<capability>/`, and its templates `templates/<capability>/`) uses the shared kit,
//! the db and core crates, and never another capability's module or templates; the kit
//! uses no capability. Only `lib.rs` and `hooks/` name them all.

use std::path::{Path, PathBuf};

use crate::hooks::Capability;

/// Where `text` (the file `file`, of capability `own`, or of the kit when `own` is
/// `None`) reaches into a capability other than its own: `crate::<cap>::` (also inside
/// `crate::{…}`), as many `super::` as lead from the file to the crate root followed by
/// `<cap>::`, or a template path `"<cap>/` in code and templates. One line per use:
/// "file:line: what".
fn violations(file: &str, own: Option<&str>, text: &str) -> Vec<String> {
    let root = root_path(file);
    let mut found = Vec::new();
    for (n, line) in text.lines().enumerate() {
        for cap in Capability::ALL.map(Capability::folder) {
            if Some(cap) == own {
                continue;
            }
            let mut needles = vec![format!("crate::{cap}::"), format!("\"{cap}/")];
            if let Some(root) = &root {
                needles.push(format!("{root}{cap}::"));
            }
            for needle in &needles {
                if line.contains(needle.as_str()) {
                    found.push(format!("{file}:{}: {}", n + 1, needle));
                }
            }
            let grouped = line.split("crate::{").skip(1).any(|g| {
                let inner = g.split('}').next().unwrap_or("");
                inner
                    .split([',', '{', ' '])
                    .any(|part| part.trim().starts_with(&format!("{cap}::")))
            });
            if grouped {
                found.push(format!("{file}:{}: crate::{{{cap}::…}}", n + 1));
            }
        }
    }
    found
}

/// The `super::…` that leads from a Rust file of `src/` to the crate root
/// (`src/plans/mod.rs`: `super::`, `src/plans/portal.rs`: `super::super::`), `None` for
/// other files.
fn root_path(file: &str) -> Option<String> {
    let rel = file.strip_prefix("src/")?;
    if !rel.ends_with(".rs") {
        return None;
    }
    let parts = rel.split('/').count();
    let depth = if rel.ends_with("/mod.rs") {
        parts - 1
    } else {
        parts
    };
    Some("super::".repeat(depth))
}

/// Every file under `dir`, with its path relative to `root`.
fn files(root: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let path = e.path();
        if path.is_dir() {
            files(root, &path, out);
        } else {
            let rel = path.strip_prefix(root).unwrap_or(&path);
            out.push((rel.to_string_lossy().replace('\\', "/"), path));
        }
    }
}

/// The capability a file belongs to (its first folder), `None` for the kit, or `Err` for
/// the composition root (`lib.rs`, `tests.rs`, `hooks/`), which may name every capability.
fn owner(rel: &str) -> Result<Option<&'static str>, ()> {
    let first = rel.split('/').next().unwrap_or("");
    if matches!(first, "lib.rs" | "tests.rs" | "hooks") {
        return Err(());
    }
    Ok(Capability::ALL
        .map(Capability::folder)
        .into_iter()
        .find(|c| *c == first))
}

fn check_tree(folder: &str) -> (usize, Vec<String>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
    let mut all = Vec::new();
    files(&root, &root, &mut all);
    let mut bad = Vec::new();
    for (rel, path) in &all {
        let Ok(own) = owner(rel) else { continue };
        let text = std::fs::read_to_string(path).unwrap_or_default();
        bad.extend(violations(&format!("{folder}/{rel}"), own, &text));
    }
    (all.len(), bad)
}

#[test]
fn capabilities_use_only_the_kit() {
    for folder in ["src", "templates"] {
        let (seen, bad) = check_tree(folder);
        assert!(
            seen > 20,
            "the check must reach the {folder} files (saw {seen})"
        );
        assert!(
            bad.is_empty(),
            "a capability reaches into another (or the kit into a capability); move the \
             shared part down into db, core or the kit:\n{}",
            bad.join("\n")
        );
    }
}

#[test]
fn the_check_finds_a_planted_violation() {
    // The API face of plans reaching into the reporting admin module, and a disclosures
    // template including a plans template: both refused.
    let planted = "let f = crate::reporting::round_form::RoundForm::default();";
    assert_eq!(
        violations("src/plans/api/mod.rs", Some("plans"), planted),
        ["src/plans/api/mod.rs:1: crate::reporting::"]
    );
    let planted = "<p>x</p>\n{% include \"plans/admin/plan.html\" %}";
    assert_eq!(
        violations("templates/disclosures/x.html", Some("disclosures"), planted),
        ["templates/disclosures/x.html:2: \"plans/"]
    );
    // The kit naming a capability is refused too; a capability naming itself is not.
    assert_eq!(
        violations("src/media/mod.rs", None, "crate::portal::x").len(),
        1
    );
    assert!(violations("src/plans/mod.rs", Some("plans"), "crate::plans::tasks").is_empty());
    assert_eq!(owner("hooks/dashboard.rs"), Err(()));
    assert_eq!(owner("plans/api/mod.rs"), Ok(Some("plans")));
    assert_eq!(owner("form.rs"), Ok(None));
}

#[test]
fn every_capability_folder_is_a_capability() {
    // A folder of src/ is the kit's (listed here) or a capability in `Capability::ALL`,
    // which every hook matches on: a new capability folder that is not one fails here.
    let kit = ["api", "hooks", "media", "public"];
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut folders: Vec<String> = std::fs::read_dir(&src)
        .map(|d| {
            d.flatten()
                .filter(|e| e.path().is_dir())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    folders.retain(|f| !kit.contains(&f.as_str()));
    folders.sort();
    let mut caps: Vec<String> = Capability::ALL.map(|c| c.folder().to_string()).to_vec();
    caps.sort();
    assert_eq!(folders, caps);
}

/// The form-field macros (`templates/kit/form.html`) as a form uses them.
#[derive(askama::Template)]
#[template(
    source = r#"{% import "kit/form.html" as form %}<input {% call form::aria(err, "t-err") %}>{% call form::error(err, "t-err") %}|<textarea {% call form::aria(err, "b-err", "body-help") %}></textarea>|<fieldset {% call form::aria(err, "s-err", invalid = false) %}>{% call form::error(err, "s-err", "p") %}"#,
    ext = "html"
)]
struct FieldProbe<'a> {
    err: Option<&'a str>,
}

#[test]
fn form_fields_tie_their_error_and_help_texts_to_the_control() {
    use askama::Template as _;
    let with = FieldProbe {
        err: Some("Sai <ngày>"),
    }
    .render()
    .unwrap_or_default();
    assert_eq!(
        with,
        "<input aria-invalid=\"true\" aria-describedby=\"t-err\"><span class=\"field-error\" id=\"t-err\">Sai &#60;ngày&#62;</span>\
         |<textarea aria-invalid=\"true\" aria-describedby=\"body-help b-err\"></textarea>\
         |<fieldset aria-describedby=\"s-err\"><p class=\"field-error\" id=\"s-err\">Sai &#60;ngày&#62;</p>"
    );
    let without = FieldProbe { err: None }.render().unwrap_or_default();
    assert_eq!(
        without,
        "<input >|<textarea aria-describedby=\"body-help\"></textarea>|<fieldset >"
    );
}
