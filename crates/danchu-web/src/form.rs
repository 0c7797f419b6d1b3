//! Form bodies, decoded strictly: the body and every percent-decoded field must be valid
//! UTF-8 (else 400 with a Vietnamese message, never silent replacement characters), and
//! every value is normalised to NFC, with control characters and bidirectional overrides
//! taken out, before the handler sees it (so the field's own checks see what is left and
//! the form comes back with its text if they refuse it).

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;

use crate::error::AppError;

pub struct Form<T>(pub T);

/// Where a value comes from: a form body (control characters are taken out, so the field's
/// own checks see the rest and the typed form comes back) or a URL's query string (refused
/// with 400: nothing typed is lost, the address is still there).
#[derive(Clone, Copy, PartialEq)]
enum Source {
    Body,
    Query,
}

fn decode(s: &str, source: Source) -> Result<String, AppError> {
    let plus = s.replace('+', " ");
    let bytes: Vec<u8> = percent_decode(&plus)?;
    let text = String::from_utf8(bytes).map_err(|_| {
        AppError::BadRequest("Dữ liệu gửi lên có ký tự không phải UTF-8 hợp lệ.".into())
    })?;
    // Control characters other than tab and line breaks have no place in a form field.
    if source == Source::Query
        && text
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    {
        return Err(AppError::BadRequest(
            "Địa chỉ có ký tự điều khiển không hợp lệ.".into(),
        ));
    }
    Ok(danchu_core::text::form_text(&text))
}

fn percent_decode(s: &str) -> Result<Vec<u8>, AppError> {
    match unescape(s.as_bytes()) {
        (_, true) => Err(AppError::BadRequest(
            "Biểu mẫu bị lỗi mã hoá (ký tự % không hợp lệ).".into(),
        )),
        (out, false) => Ok(out),
    }
}

/// Decodes the `%XY` escapes of `b`. A `%` that starts none is kept as it is, and said
/// (the second value), so that a strict reader can refuse the text.
fn unescape(b: &[u8]) -> (Vec<u8>, bool) {
    let mut out = Vec::with_capacity(b.len());
    let mut bad = false;
    let mut i = 0;
    while i < b.len() {
        let hex = (b[i] == b'%')
            .then(|| b.get(i + 1..i + 3))
            .flatten()
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match hex {
            Some(v) => {
                out.push(v);
                i += 3;
            }
            None => {
                bad |= b[i] == b'%';
                out.push(b[i]);
                i += 1;
            }
        }
    }
    (out, bad)
}

/// Decodes an urlencoded body into (name, value) pairs, strictly.
pub fn pairs(body: &[u8]) -> Result<Vec<(String, String)>, AppError> {
    pairs_from(body, Source::Body)
}

fn pairs_from(body: &[u8], source: Source) -> Result<Vec<(String, String)>, AppError> {
    let text = std::str::from_utf8(body).map_err(|_| {
        AppError::BadRequest("Dữ liệu gửi lên không phải văn bản UTF-8 hợp lệ.".into())
    })?;
    text.split('&')
        .filter(|kv| !kv.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            Ok((decode(k, source)?, decode(v, source)?))
        })
        .collect()
}

fn deserialize<T: DeserializeOwned>(raw: &[u8], source: Source) -> Result<T, AppError> {
    let pairs = pairs_from(raw, source)?;
    let normalised = serde_urlencoded::to_string(&pairs)
        .map_err(|e| AppError::BadRequest(format!("Biểu mẫu không hợp lệ: {e}")))?;
    serde_urlencoded::from_str(&normalised).map_err(|e| {
        AppError::BadRequest(format!(
            "Biểu mẫu không hợp lệ hoặc thiếu trường bắt buộc ({e})."
        ))
    })
}

/// Query strings, decoded as strictly as forms (a Vietnamese 400 instead of axum's
/// English text, and no control characters reaching a query).
pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> axum::extract::FromRequestParts<S> for Query<T> {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _state: &S,
    ) -> Result<Self, Self::Rejection> {
        deserialize(parts.uri.query().unwrap_or("").as_bytes(), Source::Query).map(Query)
    }
}

/// The body of an urlencoded form (other content types are refused with a clear 400).
async fn form_body<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, AppError> {
    let ct_ok = req
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"));
    if !ct_ok {
        return Err(AppError::BadRequest(
            "Biểu mẫu phải được gửi dưới dạng application/x-www-form-urlencoded.".into(),
        ));
    }
    Bytes::from_request(req, state).await.map_err(|e| {
        if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            AppError::TooLarge
        } else {
            AppError::BadRequest(
                "Dữ liệu gửi lên bị cắt ngang hoặc không đọc được; hãy gửi lại.".into(),
            )
        }
    })
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Form<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        deserialize(&form_body(req, state).await?, Source::Body).map(Form)
    }
}

/// A form with repeated fields (check boxes): the typed form and every (name, value) pair.
pub struct FormAll<T> {
    pub value: T,
    pub pairs: Vec<(String, String)>,
}

impl<T> FormAll<T> {
    /// Every value given for `name`.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.pairs
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for FormAll<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let body = form_body(req, state).await?;
        Ok(FormAll {
            value: deserialize(&body, Source::Body)?,
            pairs: pairs(&body)?,
        })
    }
}

/// A form error shown next to its field.
#[derive(Clone, Debug)]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

impl FieldError {
    /// The error for `field`, with its message.
    pub fn new(field: &'static str, message: impl Into<String>) -> FieldError {
        FieldError {
            field,
            message: message.into(),
        }
    }
}

pub fn field_errors(v: Vec<(&'static str, String)>) -> Vec<FieldError> {
    v.into_iter()
        .map(|(field, message)| FieldError { field, message })
        .collect()
}

/// A day as typed in a form field: none when left empty; when it is no date (dd/mm/yyyy),
/// none too, and the field is added to `unreadable` with the reason.
pub fn day_field(
    typed: &str,
    field: &'static str,
    unreadable: &mut Vec<(&'static str, String)>,
) -> Option<time::Date> {
    if typed.trim().is_empty() {
        return None;
    }
    let d = danchu_core::text::parse_date(typed);
    if d.is_none() {
        unreadable.push((field, "Ngày không hợp lệ (dd/mm/yyyy).".into()));
    }
    d
}

/// 200 for a clean form, 400 when it comes back with errors.
pub fn form_status(errors: &[FieldError]) -> axum::http::StatusCode {
    if errors.is_empty() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::BAD_REQUEST
    }
}

/// The message for a field, if any (used by templates).
pub fn error_for<'a>(errors: &'a [FieldError], field: &str) -> Option<&'a str> {
    errors
        .iter()
        .find(|e| e.field == field)
        .map(|e| e.message.as_str())
}

/// One parameter of a query string, read leniently: a search box or a filter must answer
/// whatever a phone sends (bad percent-encoding or invalid UTF-8 become replacement
/// characters, never an error page); control characters are dropped.
pub fn lenient_param(raw: Option<&str>, name: &str) -> String {
    let Some(raw) = raw else { return String::new() };
    for pair in raw.split('&') {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        if k == name {
            let v = v.replace('+', " ");
            // Leniently: a `%` that starts no escape stays as typed.
            let (out, _) = unescape(v.as_bytes());
            let text = String::from_utf8_lossy(&out);
            return danchu_core::text::nfc(&text)
                .chars()
                .filter(|c| !c.is_control())
                .collect();
        }
    }
    String::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_decoding() {
        assert_eq!(
            pairs(b"a=H%C3%B2a+B%C3%ACnh&b=").unwrap(),
            vec![("a".into(), "Hòa Bình".into()), ("b".into(), "".into())]
        );
        assert!(pairs(b"a=%FF").is_err());
        assert!(pairs(b"a=%G1").is_err());
        assert!(pairs(&[b'a', b'=', 0xC3]).is_err());
        // NFD input becomes NFC.
        assert_eq!(pairs("a=ho\u{0300}a".as_bytes()).unwrap()[0].1, "hòa");
        // Control characters are taken out (the field's own checks see the rest).
        assert_eq!(pairs(b"a=x%00y%E2%80%AEz").unwrap()[0].1, "xyz");
        assert_eq!(pairs(b"a=x%0D%0Ay").unwrap()[0].1, "x\r\ny");
    }
}
