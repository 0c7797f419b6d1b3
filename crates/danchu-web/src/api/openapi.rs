//! `/api/openapi.json`: the OpenAPI 3.1 description of `/api/v1`, written from one table
//! below. A test reads the API's route declarations and fails when a route is missing
//! here (or described here but gone), so the document cannot drift from the router.

use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};

/// (method, path, who may call it, summary in Vietnamese, JSON body fields or "").
pub const OPERATIONS: &[(&str, &str, &str, &str, &str)] = &[
    (
        "get",
        "/api/v1/tim-kiem",
        "public",
        "Tìm kiếm bài viết và văn bản (q, loai, tu, den, trang: 20 kết quả một trang)",
        "",
    ),
    (
        "get",
        "/api/v1/ke-hoach",
        "public",
        "Danh sách kế hoạch",
        "",
    ),
    (
        "post",
        "/api/v1/ke-hoach",
        "manager",
        "Theo dõi một văn bản làm kế hoạch",
        "document_id, unit_id",
    ),
    (
        "get",
        "/api/v1/ke-hoach/{plan}",
        "public",
        "Kế hoạch, nhiệm vụ và tiến độ từng đơn vị",
        "",
    ),
    (
        "post",
        "/api/v1/ke-hoach/{plan}/nhiem-vu",
        "manager",
        "Thêm nhiệm vụ",
        "content, expected_output, lead_unit_id, supporters, due_on, recurrence, until_on",
    ),
    (
        "delete",
        "/api/v1/ke-hoach/{plan}/nhiem-vu/{task}",
        "manager",
        "Xóa nhiệm vụ chưa có tiến độ",
        "",
    ),
    (
        "get",
        "/api/v1/ke-hoach/{plan}/nhiem-vu/{task}/don-vi/{unit}",
        "unit",
        "Các lần cập nhật tiến độ của đơn vị",
        "",
    ),
    (
        "post",
        "/api/v1/ke-hoach/{plan}/nhiem-vu/{task}/don-vi/{unit}",
        "unit",
        "Cập nhật tiến độ",
        "status, note, occurrence",
    ),
    (
        "get",
        "/api/v1/bao-cao/mau",
        "manager",
        "Mẫu báo cáo (phiên bản mới nhất)",
        "",
    ),
    (
        "post",
        "/api/v1/bao-cao/mau",
        "manager",
        "Tạo mẫu báo cáo",
        "unit_id, name, body",
    ),
    (
        "post",
        "/api/v1/bao-cao/mau/{family}/phien-ban",
        "manager",
        "Phiên bản mới của mẫu",
        "name, body",
    ),
    (
        "get",
        "/api/v1/bao-cao/dot",
        "unit",
        "Các đợt báo cáo liên quan",
        "",
    ),
    (
        "post",
        "/api/v1/bao-cao/dot",
        "manager",
        "Mở đợt báo cáo",
        "template_id, title, period, cutoff_from, cutoff_to, deadline, units",
    ),
    (
        "get",
        "/api/v1/bao-cao/dot/{round}",
        "unit",
        "Đợt báo cáo, mẫu và (cho Phòng Nội vụ) tình hình nộp",
        "",
    ),
    (
        "get",
        "/api/v1/bao-cao/dot/{round}/don-vi/{unit}",
        "unit",
        "Báo cáo của đơn vị và các phiên bản đã nộp",
        "",
    ),
    (
        "put",
        "/api/v1/bao-cao/dot/{round}/don-vi/{unit}",
        "unit",
        "Lưu nháp hoặc nộp báo cáo",
        "answers, submit",
    ),
    (
        "post",
        "/api/v1/bao-cao/dot/{round}/don-vi/{unit}/xu-ly",
        "manager",
        "Tiếp nhận hoặc trả lại báo cáo",
        "step, reason",
    ),
    (
        "get",
        "/api/v1/bao-cao/dot/{round}/tong-hop",
        "manager",
        "Tổng hợp đợt báo cáo (gom_da_nop=1: gồm báo cáo đã nộp)",
        "",
    ),
    (
        "get",
        "/api/v1/cong-khai",
        "public",
        "Sổ công khai: nội dung đang công khai trên cổng (don_vi, danh_muc, nam, dang_niem_yet=1, trang)",
        "",
    ),
    (
        "get",
        "/api/v1/cong-khai/danh-muc",
        "public",
        "Danh mục công khai (xã: Luật 10/2022 Đ11; cơ quan: Luật PCTN 2018)",
        "",
    ),
    (
        "get",
        "/api/v1/cong-khai/{id}",
        "public",
        "Nội dung công khai: các phiên bản, hình thức, minh chứng, Trưởng thôn đã nhận (R8), số ngày niêm yết còn lại (R10)",
        "",
    ),
    (
        "get",
        "/api/v1/cong-khai/tuan-thu",
        "unit",
        "Tình hình thực hiện nghĩa vụ công khai của các đơn vị trong phạm vi (nam, loai=co-quan, danh_muc)",
        "",
    ),
];

fn who(w: &str) -> &'static str {
    match w {
        "public" => "Ai cũng gọi được.",
        "manager" => "Phòng Nội vụ (quản trị đơn vị theo dõi) — phiên đăng nhập với X-CSRF-Token.",
        _ => {
            "Đơn vị: khóa API của đơn vị (Authorization: Bearer) hoặc cán bộ báo cáo đã đăng nhập."
        }
    }
}

/// The OpenAPI document.
pub fn document() -> Value {
    let mut paths: Map<String, Value> = Map::new();
    for (method, path, caller, summary, body) in OPERATIONS {
        let params: Vec<Value> = path
            .split('/')
            .filter_map(|p| p.strip_prefix('{').and_then(|p| p.strip_suffix('}')))
            .map(|name| json!({"name": name, "in": "path", "required": true, "schema": {"type": "integer"}}))
            .collect();
        let mut op = json!({
            "summary": summary,
            "description": who(caller),
            "parameters": params,
            "responses": {
                "200": {"description": "Thành công (JSON)"},
                "201": {"description": "Đã tạo"},
                "401": {"description": "Chưa đăng nhập hoặc khóa API không hợp lệ", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                "403": {"description": "Không có quyền với đơn vị này"},
                "404": {"description": "Không tìm thấy"},
                "409": {"description": "Bước xử lý không được phép lúc này"},
                "422": {"description": "Dữ liệu chưa hợp lệ (lỗi theo từng trường)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
            }
        });
        if *caller != "public" {
            op["security"] = json!([{"unitToken": []}, {"session": []}]);
        }
        if !body.is_empty() {
            let props: Map<String, Value> = body
                .split(", ")
                .map(|f| (f.to_string(), json!({})))
                .collect();
            op["requestBody"] = json!({"required": true, "content": {"application/json": {"schema": {"type": "object", "properties": props}}}});
        }
        paths
            .entry(path.to_string())
            .or_insert_with(|| json!({}))
            .as_object_mut()
            .map(|m| m.insert(method.to_string(), op));
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "danchu API",
            "version": "1",
            "description": "Kế hoạch và báo cáo định kỳ (Luật Thực hiện dân chủ ở cơ sở). Lỗi trả về JSON tiếng Việt: {\"error\": ..., \"fields\": [{\"field\", \"message\"}]}."
        },
        "paths": paths,
        "components": {
            "securitySchemes": {
                "unitToken": {"type": "http", "scheme": "bearer", "description": "Khóa API của đơn vị (tạo tại /quan-tri/khoa-api); quyền như cán bộ báo cáo của đơn vị đó."},
                "session": {"type": "apiKey", "in": "cookie", "name": "danchu_session", "description": "Phiên đăng nhập; các yêu cầu ghi cần thêm tiêu đề X-CSRF-Token."}
            },
            "schemas": {
                "Error": {"type": "object", "properties": {
                    "error": {"type": "string"},
                    "fields": {"type": "array", "items": {"type": "object", "properties": {"field": {"type": "string"}, "message": {"type": "string"}}}}
                }}
            }
        }
    })
}

pub async fn serve() -> Response {
    axum::Json(document()).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `.route("/api/v1/...", method(...))` of the API modules and the search API.
    fn declared() -> Vec<(String, String)> {
        let sources = [
            include_str!("reports.rs"),
            include_str!("plans.rs"),
            include_str!("disclosures.rs"),
            include_str!("../portal/mod.rs"),
        ];
        let mut out = Vec::new();
        for src in sources {
            let flat: String = src.split_whitespace().collect::<Vec<_>>().join(" ");
            for part in flat.split(".route(").skip(1) {
                let part = part.trim_start();
                let Some(path) = part.strip_prefix('"').and_then(|p| p.split('"').next()) else {
                    continue;
                };
                if !path.starts_with("/api/v1") {
                    continue;
                }
                // The method chain right after the path: `get(a).post(b)`.
                let mut rest = part[path.len() + 2..].trim_start_matches([',', ' ']);
                loop {
                    rest = rest.trim_start_matches('.');
                    let Some(m) = ["get", "post", "put", "delete"]
                        .into_iter()
                        .find(|m| rest.starts_with(&format!("{m}(")))
                    else {
                        break;
                    };
                    out.push((m.to_string(), path.to_string()));
                    match rest.find(')') {
                        Some(end) => rest = &rest[end + 1..],
                        None => break,
                    }
                }
            }
        }
        out.sort();
        out
    }

    #[test]
    fn the_document_describes_exactly_the_routes() {
        let mut described: Vec<(String, String)> = OPERATIONS
            .iter()
            .map(|(m, p, ..)| (m.to_string(), p.to_string()))
            .collect();
        described.sort();
        assert_eq!(declared(), described);
        let doc = document();
        assert_eq!(doc["openapi"], "3.1.0");
        assert!(
            doc["paths"]["/api/v1/bao-cao/dot/{round}/don-vi/{unit}"]["put"]["requestBody"]
                .is_object()
        );
    }
}
