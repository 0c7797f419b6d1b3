//! A JSON request body, read strictly and refused in Vietnamese: a body that is not
//! `application/json` gets 415, one over the limit 413 (with or without Content-Length:
//! the limit is counted while reading), and one that is not JSON the operation can read
//! 400 naming the line and column of a syntax error, or the field of a value of the wrong
//! type. Axum's own (English) rejection texts never reach the caller. Strings are
//! NFC-normalised later by the data layer, which cleans every text it stores.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{header, HeaderMap, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::error::Category;

use super::ApiError;
use crate::AppState;

pub struct ApiJson<T>(pub T);

/// `application/json`, or an `application/…+json` type.
fn is_json(headers: &HeaderMap) -> bool {
    let Some(v) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = v
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

impl<T: DeserializeOwned> FromRequest<AppState> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        if !is_json(req.headers()) {
            return Err(ApiError::UnsupportedType);
        }
        // The router's DefaultBodyLimit is the configured body limit (see `crate::router`).
        let bytes = match Bytes::from_request(req, state).await {
            Ok(b) => b,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(ApiError::TooLarge(state.config.body_limit))
            }
            Err(_) => {
                return Err(ApiError::BadJson {
                    message: "Không đọc được nội dung gửi lên; vui lòng gửi lại.".into(),
                    fields: Vec::new(),
                })
            }
        };
        read(&bytes).map(ApiJson)
    }
}

/// The body as `T`, or why not.
pub fn read<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(refusal)?;
    // Nothing but whitespace may follow the value.
    de.end().map_err(|e| syntax(&e))?;
    Ok(value)
}

fn syntax(e: &serde_json::Error) -> ApiError {
    let what = if e.classify() == Category::Eof {
        "nội dung bị cắt ngang"
    } else {
        "lỗi cú pháp"
    };
    ApiError::BadJson {
        message: format!(
            "Nội dung JSON không hợp lệ: {what} ở dòng {}, cột {}.",
            e.line(),
            e.column()
        ),
        fields: Vec::new(),
    }
}

fn refusal(e: serde_path_to_error::Error<serde_json::Error>) -> ApiError {
    let inner = e.inner();
    match inner.classify() {
        Category::Syntax | Category::Eof => syntax(inner),
        Category::Io => ApiError::BadJson {
            message: "Không đọc được nội dung gửi lên; vui lòng gửi lại.".into(),
            fields: Vec::new(),
        },
        Category::Data => {
            let text = inner.to_string();
            let path = e.path().to_string();
            let (field, reason) = match between(&text, "missing field `", "`") {
                // serde names the missing field; the path is its parent.
                Some(missing) => (
                    join(&path, missing),
                    "Thiếu trường bắt buộc này.".to_string(),
                ),
                None => (path, reason_vi(&text)),
            };
            ApiError::BadJson {
                message: format!("Nội dung JSON không hợp lệ: trường “{field}”: {reason}"),
                fields: vec![(field, reason)],
            }
        }
    }
}

fn join(path: &str, field: &str) -> String {
    if path.is_empty() || path == "." {
        field.to_string()
    } else {
        format!("{path}.{field}")
    }
}

fn between<'a>(s: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let rest = &s[s.find(start)? + start.len()..];
    Some(&rest[..rest.find(end)?])
}

/// serde's (English) reason, said in Vietnamese.
fn reason_vi(text: &str) -> String {
    if text.starts_with("invalid type") {
        let expected = text
            .split(", expected ")
            .nth(1)
            .map(|x| x.split(" at line ").next().unwrap_or(x))
            .unwrap_or("");
        let want = if expected.contains("i64")
            || expected.contains("u64")
            || expected.contains("i32")
            || expected.contains("integer")
        {
            "một số nguyên"
        } else if expected.contains("f64") || expected.contains("number") {
            "một số"
        } else if expected.contains("string") {
            "một chuỗi ký tự"
        } else if expected.contains("bool") {
            "true hoặc false"
        } else if expected.contains("sequence") {
            "một danh sách"
        } else if expected.contains("map") || expected.contains("struct") {
            "một đối tượng JSON"
        } else {
            "giá trị đúng kiểu"
        };
        format!("Sai kiểu dữ liệu: cần {want}.")
    } else if let Some(v) = between(text, "unknown variant `", "`") {
        format!("Giá trị “{v}” không được chấp nhận.")
    } else if text.starts_with("invalid length") {
        "Số phần tử không đúng.".into()
    } else {
        "Giá trị không hợp lệ.".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Body {
        status: String,
        #[serde(default)]
        units: Vec<i64>,
    }

    fn message(e: ApiError) -> (String, Vec<(String, String)>) {
        match e {
            ApiError::BadJson { message, fields } => (message, fields),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn syntax_errors_name_line_and_column() {
        let (m, f) = message(read::<Body>(b"{\"status\": \"done\",\n  x}").unwrap_err());
        assert_eq!(
            m,
            "Nội dung JSON không hợp lệ: lỗi cú pháp ở dòng 2, cột 3."
        );
        assert!(f.is_empty());
        let (m, _) = message(read::<Body>(b"{\"status\": ").unwrap_err());
        assert!(m.contains("bị cắt ngang ở dòng 1"), "{m}");
        let (m, _) = message(read::<Body>(b"{\"status\": \"a\"} x").unwrap_err());
        assert!(m.contains("lỗi cú pháp ở dòng 1, cột 17"), "{m}");
    }

    #[test]
    fn data_errors_name_the_field_in_vietnamese() {
        let (m, f) =
            message(read::<Body>(b"{\"status\": \"a\", \"units\": [1, \"x\"]}").unwrap_err());
        assert_eq!(f[0].0, "units[1]");
        assert!(m.contains("cần một số nguyên"), "{m}");
        let (_, f) = message(read::<Body>(b"{}").unwrap_err());
        assert_eq!(f[0], ("status".into(), "Thiếu trường bắt buộc này.".into()));
        let (m, _) = message(read::<Body>(b"[]").unwrap_err());
        assert!(!m.contains("expected"), "{m}");
        assert!(read::<Body>(b" {\"status\": \"a\"} \n").is_ok());
    }
}
