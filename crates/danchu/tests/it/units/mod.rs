//! Administrative units: import (JSON/CSV), idempotency, rejection, merge, search.

mod codes;
mod import;
mod merge;
mod search;

use std::fmt::Write as _;

use crate::harness::TestApp;

/// A national-sized list: 34 provinces with ~98 wards each (3,332 communes). Province
/// codes 10–43 have the two digits of their level (and miss the demo's 74).
pub(super) fn national_json() -> String {
    let mut s = String::from("[");
    for p in 0..34 {
        if p > 0 {
            s.push(',');
        }
        let _ = write!(
            s,
            r#"{{"name":"Tỉnh Số {p}","code":{},"division_type":"tỉnh","wards":["#,
            10 + p
        );
        for w in 0..98 {
            if w > 0 {
                s.push(',');
            }
            let kind = if w % 3 == 0 { "phường" } else { "xã" };
            let _ = write!(
                s,
                r#"{{"name":"{} Hòa Bình {p}-{w}","code":{},"division_type":"{kind}"}}"#,
                if kind == "xã" { "Xã" } else { "Phường" },
                30000 + p * 100 + w
            );
        }
        s.push_str("]}");
    }
    s.push(']');
    s
}

pub(super) fn write_temp(name: &str, content: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "danchu_import_{}_{:x}",
        std::process::id(),
        rand::random::<u32>()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, content).unwrap();
    p
}

/// An official-style nested list (issue 13, item 10): province codes and ward codes are
/// separate sequences, so province 4 (Cao Bằng), district 4 (Long Biên) and ward 4
/// (Phường Ba Đình) are three different units. Codes are integers, as in the official file.
pub(super) const OVERLAPPING_JSON: &str = r#"[
 {"name":"Thành phố Hà Nội","code":1,"codename":"ha_noi","division_type":"thành phố trung ương","phone_code":24,
  "districts":[{"name":"Quận Long Biên","code":4,"division_type":"quận",
                "wards":[{"name":"Phường Bồ Đề","code":124,"division_type":"phường"}]}],
  "wards":[{"name":"Phường Ba Đình","code":4,"codename":"phuong_ba_dinh","division_type":"phường"}]},
 {"name":"Tỉnh Cao Bằng","code":4,"codename":"cao_bang","division_type":"tỉnh","phone_code":206,
  "wards":[{"name":"Phường Thục Phán","code":1273,"division_type":"phường"}]}
]"#;

pub(super) fn import_ok(app: &TestApp, file: &std::path::Path) -> String {
    let out = app.cli(&["import", "units", file.to_str().unwrap()]);
    crate::harness::assert_ran(&out);
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `danchu import units` of `file` is refused: it fails, its error names each of `says`,
/// and the units table still holds `before` rows (nothing at all was imported).
pub(super) async fn assert_import_refused(
    app: &TestApp,
    file: &std::path::Path,
    says: &[&str],
    before: i64,
) {
    let out = app.cli(&["import", "units", file.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    for s in says {
        assert!(err.contains(s), "{s}: {err}");
    }
    assert_eq!(danchu_db::units::count(&app.db).await.unwrap(), before);
}

/// Writes `content` to a file `name`, and asserts that importing it is refused, saying
/// each of `says`, with no unit added; the file is removed.
pub(super) async fn assert_content_refused(
    app: &TestApp,
    name: &str,
    content: &str,
    says: &[&str],
) {
    let before = danchu_db::units::count(&app.db).await.unwrap();
    let file = write_temp(name, content);
    assert_import_refused(app, &file, says, before).await;
    let _ = std::fs::remove_dir_all(file.parent().unwrap());
}

pub(super) async fn unit(app: &TestApp, code: &str) -> danchu_db::units::Unit {
    danchu_db::units::by_code(&mut app.db.clone(), code)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("unit {code}"))
}
