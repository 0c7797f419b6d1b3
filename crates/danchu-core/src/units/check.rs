//! The one check of a unit's code and name, by field (the admin's form and imports).

use super::valid_code;
use crate::text::clean_line;

/// Why a unit's code and name are refused: (field, Vietnamese reason) for each problem.
pub fn refusals(code: &str, name: &str) -> Vec<(&'static str, String)> {
    let mut errs = Vec::new();
    if !valid_code(code) {
        errs.push((
            "code",
            "Mã đơn vị chỉ gồm chữ không dấu, số, '-', '_' hoặc '.', tối đa 32 ký tự.".to_string(),
        ));
    }
    let n = clean_line(name);
    if n.is_empty() {
        errs.push(("name", "Tên đơn vị không được để trống.".to_string()));
    } else if n.chars().count() > 200 {
        errs.push(("name", "Tên đơn vị dài quá 200 ký tự.".to_string()));
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_are_refused_field_by_field() {
        let fields: Vec<_> = refusals("mã có dấu", "").into_iter().map(|e| e.0).collect();
        assert_eq!(fields, ["code", "name"]);
        assert!(refusals("74", "Tỉnh Bình Dương").is_empty());
        assert_eq!(refusals("74", &"x".repeat(201))[0].0, "name");
    }
}
