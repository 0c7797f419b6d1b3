//! Unit tests of parsing and ordering an import.

use std::collections::HashMap;

use danchu_core::units::UnitKind;

use super::import::*;
use super::parse::*;

#[test]
fn json_nested_provinces_and_wards() {
    let rows = parse_json(r#"[{"name":"Tỉnh Bình Dương","code":74,"division_type":"tỉnh","wards":[{"name":"Xã An Lập","code":25792,"division_type":"xã"}]}]"#).unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].kind, UnitKind::Province);
    assert_eq!(rows[1].parent_code.as_deref(), Some("74"));
    assert_eq!(rows[1].kind, UnitKind::Commune);
}

#[test]
fn json_errors_name_the_path() {
    let e = parse_json(r#"[{"name":"A","code":"1","division_type":"tỉnh","wards":[{"code":"2","division_type":"xã"}]}]"#).unwrap_err();
    assert_eq!(e.location, "$[0].wards[0].name");
    let e = parse_json("[{\"name\": }]").unwrap_err();
    assert!(e.location.starts_with("dòng 1"), "{e}");
    let e = parse_json(r#"[{"name":"A","code":"../x","division_type":"tỉnh"}]"#).unwrap_err();
    assert_eq!(e.location, "$[0]");
}

#[test]
fn csv_rows_and_errors_name_the_line() {
    let rows =
        parse_csv("code,name,kind,parent_code\n74,Tỉnh Bình Dương,tỉnh,\n25792,Xã An Lập,xã,74\n")
            .unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1].kind, UnitKind::Commune);
    let e = parse_csv("code,name,kind,parent_code\n74,Tỉnh Bình Dương,tỉnh,\n25792,,xã,74\n")
        .unwrap_err();
    assert_eq!(e.location, "dòng 3");
    let e = parse_csv("ma,ten\n1,2\n").unwrap_err();
    assert_eq!(e.location, "dòng 1");
    let e = parse_csv("code,name,kind,parent_code\n1,A,planet,\n").unwrap_err();
    assert_eq!(e.location, "dòng 2");
}

#[test]
fn reparenting_under_a_descendant_is_a_cycle() {
    let parents = HashMap::from([(1, None), (2, Some(1)), (3, Some(2))]);
    assert!(would_cycle(&parents, 1, Some(3)));
    assert!(would_cycle(&parents, 2, Some(2)));
    assert!(!would_cycle(&parents, 3, Some(1)));
    assert!(!would_cycle(&parents, 3, None));
}

#[test]
fn rows_are_ordered_parents_first_and_checked() {
    let rows = parse_csv("code,name,kind,parent_code\n25792,Xã An Lập,xã,721\n721,Huyện Dầu Tiếng,huyện,74\n74,Tỉnh Bình Dương,tỉnh,\n").unwrap();
    let ordered = order_rows(rows, &HashMap::new()).unwrap();
    let codes: Vec<_> = ordered.iter().map(|r| r.code.as_str()).collect();
    assert_eq!(codes, ["74", "721", "25792"]);

    let rows = parse_csv("code,name,kind,parent_code\n1,A,xã,99\n").unwrap();
    assert!(order_rows(rows.clone(), &HashMap::new()).is_err());
    let known = HashMap::from([("99".to_string(), Some(UnitKind::District))]);
    assert!(order_rows(rows, &known).is_ok());

    let cyc = parse_csv("code,name,kind,parent_code\nA1,A,ấp,A2\nA2,B,ấp,A1\n").unwrap();
    let e = order_rows(cyc, &HashMap::new()).unwrap_err();
    assert!(e.reason.contains("vòng lặp"), "{e}");

    let dup = parse_csv("code,name,kind,parent_code\n1,A,tỉnh,\n1,B,tỉnh,\n").unwrap();
    assert!(order_rows(dup, &HashMap::new()).is_err());
}

/// Province 4 (Cao Bằng), district 4 and ward 4 (Phường Ba Đình) of the official list.
const OVERLAP: &str = r#"[
  {"name":"Thành phố Hà Nội","code":1,"division_type":"thành phố trung ương",
   "districts":[{"name":"Quận Long Biên","code":4,"division_type":"quận"}],
   "wards":[{"name":"Phường Ba Đình","code":4,"division_type":"phường"}]},
  {"name":"Tỉnh Cao Bằng","code":4,"division_type":"tỉnh"}]"#;

#[test]
fn json_codes_are_zero_padded_per_level() {
    let rows = parse_json(OVERLAP).unwrap();
    let codes: Vec<_> = rows.iter().map(|r| r.code.as_str()).collect();
    assert_eq!(codes, ["01", "004", "00004", "04"]);
    assert_eq!(rows[1].parent_code.as_deref(), Some("01"));
    assert_eq!(rows[2].parent_code.as_deref(), Some("01"));
}

#[test]
fn province_4_and_ward_4_are_different_units() {
    let rows = order_rows(parse_json(OVERLAP).unwrap(), &HashMap::new()).unwrap();
    assert_eq!(rows.len(), 4);
}

#[test]
fn integer_and_string_codes_mean_the_same_unit() {
    let one = |code: &str| {
        let json = format!(
            r#"[{{"name":"Tỉnh Cao Bằng","code":{code},"division_type":"tỉnh","wards":[{{"name":"Phường Thục Phán","code":{code},"division_type":"phường"}}]}}]"#
        );
        let rows = parse_json(&json).unwrap();
        (
            rows[0].code.clone(),
            rows[1].code.clone(),
            rows[1].parent_code.clone(),
        )
    };
    let want = (
        "04".to_string(),
        "00004".to_string(),
        Some("04".to_string()),
    );
    for code in ["4", r#""4""#, r#""04""#, r#"" 4 ""#] {
        assert_eq!(one(code), want, "code {code}");
    }
    // The duplicate check compares normalised codes: 4 and "04" are one province.
    let rows = parse_json(r#"[{"name":"Tỉnh Cao Bằng","code":4,"division_type":"tỉnh"},{"name":"Tỉnh Cao Bằng","code":"04","division_type":"tỉnh"}]"#).unwrap();
    assert_eq!(order_rows(rows, &HashMap::new()).unwrap().len(), 1);
}

#[test]
fn json_code_must_be_a_whole_number_or_text() {
    for code in ["4.5", "-4", "true"] {
        let json = format!(r#"[{{"name":"Tỉnh A","code":{code},"division_type":"tỉnh"}}]"#);
        let e = parse_json(&json).unwrap_err();
        assert_eq!(e.location, "$[0].code", "code {code}: {e}");
    }
}

#[test]
fn true_duplicate_at_one_level_is_refused_with_location() {
    let rows = parse_json(r#"[{"name":"Tỉnh Cao Bằng","code":4,"division_type":"tỉnh"},{"name":"Tỉnh Khác","code":"04","division_type":"tỉnh"}]"#).unwrap();
    let e = order_rows(rows, &HashMap::new()).unwrap_err();
    assert_eq!(e.location, "$[1]");
    assert!(e.reason.contains("mã 04 trùng với $[0]"), "{e}");
}

#[test]
fn code_longer_than_its_level_is_refused_with_location() {
    let e = parse_json(r#"[{"name":"Tỉnh A","code":100,"division_type":"tỉnh"}]"#).unwrap_err();
    assert_eq!(e.location, "$[0].code");
    assert!(
        e.reason.contains("100") && e.reason.contains("2 chữ số"),
        "{e}"
    );
    let e = parse_json(r#"[{"name":"Tỉnh A","code":4,"division_type":"tỉnh","wards":[{"name":"Xã B","code":"123456","division_type":"xã"}]}]"#).unwrap_err();
    assert_eq!(e.location, "$[0].wards[0].code");
    assert!(e.reason.contains("5 chữ số"), "{e}");
    let e = parse_csv("code,name,kind,parent_code\n4,Tỉnh A,tỉnh,\n1234,Huyện B,huyện,4\n")
        .unwrap_err();
    assert_eq!(e.location, "dòng 3");
    assert!(
        e.reason.contains("1234") && e.reason.contains("3 chữ số"),
        "{e}"
    );
    // Leading zeros do not count: "004" is province 4.
    let rows = parse_json(r#"[{"name":"Tỉnh A","code":"004","division_type":"tỉnh"}]"#).unwrap();
    assert_eq!(rows[0].code, "04");
}

#[test]
fn free_form_codes_are_kept_as_given() {
    let rows = parse_csv("code,name,kind,parent_code\n4,Ấp Bốn,ấp,25789\n721-NV,Phòng Nội vụ,agency,721\n0012,Đơn vị X,public_unit,721\n").unwrap();
    let codes: Vec<_> = rows.iter().map(|r| r.code.as_str()).collect();
    assert_eq!(codes, ["4", "721-NV", "0012"]);
}

#[test]
fn csv_codes_are_padded_and_parents_found_at_their_level() {
    let rows = parse_csv("code,name,kind,parent_code\n8,Tỉnh Tuyên Quang,tỉnh,\n8,Phường Minh Xuân,phường,8\n8-1,Tổ dân phố 1,tổ dân phố,00008\n").unwrap();
    let rows = order_rows(rows, &HashMap::new()).unwrap();
    let got: Vec<_> = rows
        .iter()
        .map(|r| (r.code.as_str(), r.parent_code.as_deref()))
        .collect();
    assert_eq!(
        got,
        [("08", None), ("00008", Some("08")), ("8-1", Some("00008"))]
    );
}

#[test]
fn csv_parent_with_two_possible_levels_is_refused_with_location() {
    let rows =
        parse_csv("code,name,kind,parent_code\n4,Tỉnh A,tỉnh,\n4,Huyện B,huyện,4\n4,Xã C,xã,4\n")
            .unwrap();
    let e = order_rows(rows, &HashMap::new()).unwrap_err();
    assert_eq!(e.location, "dòng 4");
    assert!(
        e.reason.contains("04 (cấp tỉnh) hoặc 004 (cấp huyện)"),
        "{e}"
    );
    // Written in full, the parent is clear.
    let rows =
        parse_csv("code,name,kind,parent_code\n4,Tỉnh A,tỉnh,\n4,Huyện B,huyện,4\n4,Xã C,xã,004\n")
            .unwrap();
    let rows = order_rows(rows, &HashMap::new()).unwrap();
    assert_eq!(rows[2].code, "00004");
    assert_eq!(rows[2].parent_code.as_deref(), Some("004"));
    // The district's parent "4" can only be the province: a district is below it.
    assert_eq!(rows[1].parent_code.as_deref(), Some("04"));
}

#[test]
fn csv_parent_in_the_database_is_found_at_its_level() {
    let known: KnownUnits = HashMap::from([
        ("04".to_string(), Some(UnitKind::Province)),
        ("00004".to_string(), Some(UnitKind::Commune)),
    ]);
    let rows = parse_csv(
        "code,name,kind,parent_code\n1273,Phường Thục Phán,phường,4\nA-1,Tổ 1,tổ dân phố,00004\n",
    )
    .unwrap();
    let rows = order_rows(rows, &known).unwrap();
    let got: Vec<_> = rows
        .iter()
        .map(|r| (r.code.as_str(), r.parent_code.as_deref()))
        .collect();
    assert_eq!(got, [("01273", Some("04")), ("A-1", Some("00004"))]);
    // A number naming no unit at a level above is reported as written.
    let rows = parse_csv("code,name,kind,parent_code\n99,Tỉnh X,tỉnh,4\n").unwrap();
    let e = order_rows(rows, &known).unwrap_err();
    assert!(
        e.reason.contains("không tìm thấy đơn vị cấp trên mã 4"),
        "{e}"
    );
}
