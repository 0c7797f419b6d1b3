//! A multipart form read whole and strictly: its text fields and its files, within limits.

use axum::extract::multipart::Field;
use axum::extract::Multipart;
use axum::http::StatusCode;

use super::MAX_UPLOAD;

/// Why an upload was refused: a Vietnamese message and the HTTP status.
#[derive(Debug, Clone)]
pub struct Refused {
    pub message: String,
    pub status: StatusCode,
}

impl Refused {
    pub(crate) fn new(message: impl Into<String>, status: StatusCode) -> Refused {
        Refused {
            message: message.into(),
            status,
        }
    }
}

/// A multipart form read whole: its text fields (each name may repeat) and its files
/// (name as sent, bytes), each file at most [`MAX_UPLOAD`]; empty file inputs are dropped.
#[derive(Debug, Default)]
pub struct Upload {
    pub fields: Vec<(String, String)>,
    pub files: Vec<(String, Vec<u8>)>,
}

impl Upload {
    /// The first value of a text field ("" when absent).
    pub fn field(&self, name: &str) -> &str {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }

    /// Every value of a text field.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.fields
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

/// Why a multipart body could not be read, in the words of its real reason: too big (413),
/// or a part whose headers are not valid — a file name with a control character, a
/// broken boundary (400).
fn multipart_refusal(e: &axum::extract::multipart::MultipartError) -> Refused {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE || body_too_large(e) {
        Refused::new(
            "Dữ liệu tải lên quá lớn: tệp tối đa 10 MB.",
            StatusCode::PAYLOAD_TOO_LARGE,
        )
    } else if bad_part_header(e) {
        Refused::new(
            "Tên tệp hoặc tiêu đề một phần của biểu mẫu không hợp lệ (có ký tự không được phép); hãy đổi tên tệp rồi gửi lại.",
            StatusCode::BAD_REQUEST,
        )
    } else {
        Refused::new(
            "Tải lên bị gián đoạn trước khi xong; hãy gửi lại.",
            StatusCode::BAD_REQUEST,
        )
    }
}

/// Whether an error comes from the request body's size limit (a chunked body over the
/// limit reaches the multipart reader as a failed read).
pub fn body_too_large(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = cur {
        if err.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        cur = err.source();
    }
    false
}

/// Most text fields one multipart form may carry (a report with its tables: 200 rows of a
/// few columns each, and its indicators).
pub const MAX_FIELDS: usize = 20_000;

/// Most files one form may carry.
pub const MAX_FILES: usize = 10;

/// The answer to a multipart body that stopped before its end: the refusal already
/// decided (too many files, text that is not UTF-8), else over the size limit (a 413),
/// else broken off (the connection dropped, the body ended mid-part: the person lost what
/// they sent). A broken-off upload is logged here as `upload abandoned`, once: its answer
/// is a 400 (or an earlier 400 refusal), which `friendly_errors` does not log.
fn stopped(
    e: &axum::extract::multipart::MultipartError,
    received: usize,
    pending: Option<Refused>,
) -> Refused {
    let answer = pending.unwrap_or_else(|| multipart_refusal(e));
    if answer.status == StatusCode::BAD_REQUEST && !bad_part_header(e) {
        let r = crate::middleware::current_request();
        tracing::warn!(
            request_id = r.as_ref().map(|r| r.id.as_str()),
            method = r.as_ref().map(|r| r.method.as_str()),
            path = r.as_ref().map(|r| r.path.as_str()),
            received_bytes = received,
            error = %e,
            "upload abandoned"
        );
    }
    answer
}

/// Whether the multipart reader refused a part's headers (a control character in a file
/// name, say), as opposed to a body that broke off.
fn bad_part_header(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = cur {
        let text = err.to_string();
        if text.contains("header name")
            || text.contains("header value")
            || text.contains("read headers")
            || text.contains("complete headers")
        {
            return true;
        }
        cur = err.source();
    }
    false
}

/// Reads a multipart form: text fields and the files of inputs named `file_field`.
/// A refusal (too big, too many files, text that is not UTF-8) still reads the rest of
/// the body, so the browser gets the answer instead of a broken connection.
pub async fn read_form(mut form: Multipart, file_field: &str) -> Result<Upload, Refused> {
    let mut reader = FormReader::default();
    loop {
        let field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => return Err(reader.stopped(&e)),
        };
        let name = field.name().unwrap_or("").to_string();
        if name == file_field {
            reader.file(field).await?;
        } else {
            reader.text(name, field).await?;
        }
    }
    match reader.refused {
        Some(r) => Err(r),
        None => Ok(reader.out),
    }
}

/// A multipart form being read: what was kept so far, the first refusal decided (the rest
/// of the body is then read and dropped), and the bytes received.
#[derive(Default)]
struct FormReader {
    out: Upload,
    refused: Option<Refused>,
    /// Bytes of the fields read so far (for the log of an upload that breaks off).
    received: usize,
}

impl FormReader {
    /// The answer to a body that stopped before its end (see [`stopped`]).
    fn stopped(&mut self, e: &axum::extract::multipart::MultipartError) -> Refused {
        stopped(e, self.received, self.refused.take())
    }

    /// Reads one file input: kept unless empty, too big or one too many.
    async fn file(&mut self, mut field: Field<'_>) -> Result<(), Refused> {
        let file_name = field.file_name().unwrap_or("").to_string();
        let bytes = self.file_bytes(&mut field).await?;
        if self.refused.is_some() {
            return Ok(());
        }
        let Some(bytes) = bytes else {
            self.refused = Some(Refused::new(
                "Tệp quá lớn: tối đa 10 MB.",
                StatusCode::PAYLOAD_TOO_LARGE,
            ));
            return Ok(());
        };
        if bytes.is_empty() && file_name.is_empty() {
            return Ok(()); // a file input left empty
        }
        if self.out.files.len() >= MAX_FILES {
            self.refused = Some(Refused::new(
                format!("Tối đa {MAX_FILES} tệp một lần."),
                StatusCode::BAD_REQUEST,
            ));
            return Ok(());
        }
        self.out.files.push((file_name, bytes));
        Ok(())
    }

    /// A file's bytes, read to its end: `None` when over [`MAX_UPLOAD`] (the rest is read
    /// and dropped), empty when a refusal is already decided.
    async fn file_bytes(&mut self, field: &mut Field<'_>) -> Result<Option<Vec<u8>>, Refused> {
        let mut bytes = Vec::new();
        let mut too_big = false;
        loop {
            let chunk = field.chunk().await;
            if let Ok(Some(c)) = &chunk {
                self.received += c.len();
            }
            match chunk {
                Ok(Some(chunk)) if !too_big && self.refused.is_none() => {
                    if bytes.len() + chunk.len() > MAX_UPLOAD {
                        too_big = true;
                        bytes = Vec::new();
                    } else {
                        bytes.extend_from_slice(&chunk);
                    }
                }
                Ok(Some(_)) => {}
                Ok(None) => break,
                Err(e) => return Err(self.stopped(&e)),
            }
        }
        Ok((!too_big).then_some(bytes))
    }

    /// Reads one text field: kept unless one too many or not UTF-8.
    async fn text(&mut self, name: String, field: Field<'_>) -> Result<(), Refused> {
        let bytes = match field.bytes().await {
            Ok(b) => b,
            Err(e) => return Err(self.stopped(&e)),
        };
        self.received += bytes.len();
        if self.refused.is_some() {
            return Ok(());
        }
        if self.out.fields.len() >= MAX_FIELDS {
            // Refused, never cut short: a field dropped silently would be data lost.
            self.refused = Some(Refused::new(
                format!(
                    "Biểu mẫu có quá nhiều trường (tối đa {}).",
                    danchu_core::text::format_number(MAX_FIELDS as i64)
                ),
                StatusCode::PAYLOAD_TOO_LARGE,
            ));
            return Ok(());
        }
        // Refused rather than silently replaced, as for the other forms.
        match std::str::from_utf8(&bytes) {
            Ok(text) => self
                .out
                .fields
                .push((name, danchu_core::text::form_text(text))),
            Err(_) => {
                self.refused = Some(Refused::new(
                    "Biểu mẫu có ký tự không hợp lệ (không phải UTF-8).",
                    StatusCode::BAD_REQUEST,
                ))
            }
        }
        Ok(())
    }
}
