//! `/api/openapi.json`: the OpenAPI 3.1 description of `/api/v1`, generated from the code.
//! Each handler carries its own `#[utoipa::path]` (method, path, parameters, body,
//! responses, who may call it) and is routed through `utoipa_axum::routes!`, which takes
//! the method and path from that description: a route cannot exist without it. Request
//! and response bodies are the API's own typed structs. The test suite fetches the
//! document from the router, validates it, compares it with `docs/openapi.json`, and calls
//! every operation it lists.

use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::error;

/// Security scheme names used by the operations' `security(...)`.
pub const UNIT_TOKEN: &str = "unitToken";
pub const SESSION: &str = "session";
pub const CSRF: &str = "csrfHeader";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "danchu API",
        version = "1",
        description = "Kế hoạch và báo cáo định kỳ, sổ công khai (Luật Thực hiện dân chủ ở cơ sở), tìm kiếm.\n\n\
Người gọi: ai cũng gọi được các thao tác không nêu `security`; các thao tác khác cần khóa API của đơn vị \
(`Authorization: Bearer danchu_…`, quyền như cán bộ báo cáo của đơn vị đó) hoặc phiên đăng nhập \
(cookie `danchu_session`), và với phiên đăng nhập mọi yêu cầu ghi cần thêm tiêu đề `X-CSRF-Token`.\n\n\
Lỗi trả về JSON tiếng Việt: `{\"error\": \"...\", \"fields\": [{\"field\": \"...\", \"message\": \"...\"}]}` \
(`fields` khi dữ liệu bị từ chối). Danh sách trả về từng trang (`?trang=N`) với `total`, `page`, `per_page`.\n\n\
Nội dung JSON gửi lên tối đa 2 MB (mặc định; 413 khi vượt), phải là `application/json` (415), đúng cú pháp (400).",
        license(name = "AGPL-3.0-or-later", identifier = "AGPL-3.0-or-later"),
    ),
    modifiers(&Security),
    components(
        schemas(error::ErrorBody, error::FieldErrorBody),
        responses(
            error::Unauthorized,
            error::Forbidden,
            error::NotFound,
            error::Conflict,
            error::BadJson,
            error::TooLarge,
            error::UnsupportedType,
            error::Invalid,
        )
    ),
    tags(
        (name = "ke-hoach", description = "Kế hoạch, nhiệm vụ và tiến độ của các đơn vị"),
        (name = "bao-cao", description = "Mẫu báo cáo, đợt báo cáo, báo cáo của đơn vị và tổng hợp"),
        (name = "cong-khai", description = "Sổ công khai (dữ liệu mở) và tình hình thực hiện nghĩa vụ công khai"),
        (name = "tim-kiem", description = "Tìm kiếm bài viết, văn bản và nội dung công khai"),
    )
)]
pub struct ApiDoc;

/// Adds the optional `Idempotency-Key` header ([`super::idempotency`]) to every POST and
/// PUT of the document, where the middleware honours it.
pub fn with_idempotency_key(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
    use utoipa::openapi::{ObjectBuilder, Required, Type};
    let header = ParameterBuilder::new()
        .name("Idempotency-Key")
        .parameter_in(ParameterIn::Header)
        .required(Required::False)
        .description(Some(
            "Khóa do bên gọi tạo (1–255 ký tự ASCII, ví dụ một UUID) để gửi lại an toàn: \
             cùng khóa và cùng yêu cầu thì nhận lại đúng kết quả lần trước (tiêu đề \
             `Idempotency-Replayed: true`), không ghi hai lần; cùng khóa mà yêu cầu khác thì \
             422; yêu cầu đã ghi nhưng chưa kịp trả lời (máy chủ dừng giữa chừng) thì 409. \
             Khóa gắn với khóa API hoặc phiên đăng nhập đã gửi nó, giữ trong một ngày.",
        ))
        .schema(Some(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .min_length(Some(1))
                .max_length(Some(danchu_core::idempotency::MAX_KEY_LEN)),
        ))
        .build();
    for item in doc.paths.paths.values_mut() {
        for op in [item.post.as_mut(), item.put.as_mut()]
            .into_iter()
            .flatten()
        {
            op.parameters
                .get_or_insert_with(Vec::new)
                .push(header.clone());
        }
    }
}

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            UNIT_TOKEN,
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "Khóa API của đơn vị (`danchu_…`, tạo tại /quan-tri/khoa-api); quyền như cán bộ báo cáo của đơn vị đó.",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            SESSION,
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                crate::auth::COOKIE,
                "Phiên đăng nhập của cán bộ (đăng nhập tại /dang-nhap).",
            ))),
        );
        components.add_security_scheme(
            CSRF,
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-CSRF-Token",
                "Mã chống giả mạo yêu cầu, bắt buộc cho mọi yêu cầu ghi bằng phiên đăng nhập (lấy từ trường `_csrf` của một trang quản trị).",
            ))),
        );
    }
}

/// The document as served: JSON, the same bytes for every request.
pub fn serve(doc: &utoipa::openapi::OpenApi) -> impl Fn() -> std::future::Ready<Response> + Clone {
    let body: axum::body::Bytes = match doc.to_pretty_json() {
        Ok(s) => s.into(),
        Err(e) => {
            tracing::error!(error = %e, "the OpenAPI document does not serialise");
            axum::body::Bytes::from_static(b"{}")
        }
    };
    move || {
        let mut resp = body.clone().into_response();
        let h = resp.headers_mut();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        h.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=300"),
        );
        std::future::ready(resp)
    }
}
