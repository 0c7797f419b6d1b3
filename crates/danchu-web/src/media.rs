//! Uploads: images and documents, checked by content, stored under our own random names
//! in DANCHU_DATA_DIR/media, with a thumbnail for each image; and serving them back.

use std::path::PathBuf;

use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use danchu_core::roles::Action;
use danchu_db::media::Media;
use danchu_db::units::Unit;

use crate::auth::Auth;
use crate::error::{AppError, AppResult};
use crate::layout::Ctx;
use crate::AppState;

/// The largest file accepted.
pub const MAX_UPLOAD: usize = 10 * 1024 * 1024;
/// Thumbnails are at most this wide.
const THUMB_WIDTH: u32 = 480;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/quan-tri/tep",
            get(page)
                .post(upload)
                .layer(axum::extract::DefaultBodyLimit::max(MAX_UPLOAD + 64 * 1024)),
        )
        .route("/tep/{name}", get(serve))
}

fn media_dir(state: &AppState) -> PathBuf {
    state.config.data_dir.join("media")
}

#[derive(Template)]
#[template(path = "admin/media.html")]
struct MediaPage {
    ctx: Ctx,
    files: Vec<Media>,
    units: Vec<Unit>,
    error: Option<String>,
    /// What the page says about an upload that was kept (its text could not be read).
    notice: Option<String>,
}

impl MediaPage {
    fn size(&self, m: &Media) -> String {
        human_size(m.size)
    }
}

/// `1,5 MB`, `320 KB` in Vietnamese style.
pub fn human_size(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / 1048576.0).replace('.', ",")
    } else {
        format!("{} KB", (bytes + 1023) / 1024)
    }
}

async fn render(
    state: &AppState,
    ctx: Ctx,
    auth: &Auth,
    (error, notice): (Option<String>, Option<String>),
    status: StatusCode,
) -> AppResult<Response> {
    auth.require_somewhere(Action::EditContent)?;
    let within = crate::admin::articles::editable_units(state, auth).await?;
    let files = danchu_db::media::recent(&state.db, within.as_deref(), 100).await?;
    let units = crate::admin::articles::unit_choices(state, auth).await?;
    Ok((
        status,
        Html(
            MediaPage {
                ctx,
                files,
                units,
                error,
                notice,
            }
            .render()?,
        ),
    )
        .into_response())
}

async fn page(State(state): State<AppState>, ctx: Ctx, auth: Auth) -> AppResult<Response> {
    render(&state, ctx, &auth, (None, None), StatusCode::OK).await
}

/// Why an upload was refused (shown to the user in Vietnamese).
fn refuse(
    state: &AppState,
    ctx: Ctx,
    auth: &Auth,
    msg: &str,
    status: StatusCode,
) -> impl std::future::Future<Output = AppResult<Response>> {
    let (state, auth, msg) = (state.clone(), auth.clone(), msg.to_string());
    async move { render(&state, ctx, &auth, (Some(msg), None), status).await }
}

/// Why an upload was refused: a Vietnamese message and the HTTP status.
#[derive(Debug, Clone)]
pub struct Refused {
    pub message: String,
    pub status: StatusCode,
}

impl Refused {
    fn new(message: impl Into<String>, status: StatusCode) -> Refused {
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
    let mut out = Upload::default();
    let mut refused: Option<Refused> = None;
    // Bytes of the fields read so far (for the log of an upload that breaks off).
    let mut received = 0usize;
    loop {
        let field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => return Err(stopped(&e, received, refused)),
        };
        let name = field.name().unwrap_or("").to_string();
        if name == file_field {
            let file_name = field.file_name().unwrap_or("").to_string();
            let mut bytes = Vec::new();
            let mut too_big = false;
            let mut field = field;
            loop {
                let chunk = field.chunk().await;
                if let Ok(Some(c)) = &chunk {
                    received += c.len();
                }
                match chunk {
                    Ok(Some(chunk)) if !too_big && refused.is_none() => {
                        if bytes.len() + chunk.len() > MAX_UPLOAD {
                            too_big = true;
                            bytes = Vec::new();
                        } else {
                            bytes.extend_from_slice(&chunk);
                        }
                    }
                    Ok(Some(_)) => {}
                    Ok(None) => break,
                    Err(e) => return Err(stopped(&e, received, refused)),
                }
            }
            if refused.is_some() {
                continue;
            }
            if too_big {
                refused = Some(Refused::new(
                    "Tệp quá lớn: tối đa 10 MB.",
                    StatusCode::PAYLOAD_TOO_LARGE,
                ));
                continue;
            }
            if bytes.is_empty() && file_name.is_empty() {
                continue; // a file input left empty
            }
            if out.files.len() >= MAX_FILES {
                refused = Some(Refused::new(
                    format!("Tối đa {MAX_FILES} tệp một lần."),
                    StatusCode::BAD_REQUEST,
                ));
                continue;
            }
            out.files.push((file_name, bytes));
        } else {
            let bytes = match field.bytes().await {
                Ok(b) => b,
                Err(e) => return Err(stopped(&e, received, refused)),
            };
            received += bytes.len();
            if refused.is_some() {
                continue;
            }
            if out.fields.len() >= MAX_FIELDS {
                // Refused, never cut short: a field dropped silently would be data lost.
                refused = Some(Refused::new(
                    format!(
                        "Biểu mẫu có quá nhiều trường (tối đa {}).",
                        danchu_core::text::format_number(MAX_FIELDS as i64)
                    ),
                    StatusCode::PAYLOAD_TOO_LARGE,
                ));
                continue;
            }
            // Refused rather than silently replaced, as for the other forms.
            match std::str::from_utf8(&bytes) {
                Ok(text) => out.fields.push((name, danchu_core::text::form_text(text))),
                Err(_) => {
                    refused = Some(Refused::new(
                        "Biểu mẫu có ký tự không hợp lệ (không phải UTF-8).",
                        StatusCode::BAD_REQUEST,
                    ))
                }
            }
        }
    }
    match refused {
        Some(r) => Err(r),
        None => Ok(out),
    }
}

/// Files checked and written to disk under their final names, waiting for the transaction
/// that records them. Dropped without [`Staged::keep`] (the transaction failed, or a later
/// check refused the form), the files are removed again: a failed action leaves no file
/// behind. (A crash between writing and committing can still leave an unreferenced file;
/// nothing points at it, so nobody can reach it.)
#[derive(Debug, Default)]
pub struct Staged {
    pub files: Vec<danchu_db::media::NewMedia>,
    paths: Vec<PathBuf>,
    kept: bool,
}

impl Staged {
    /// The transaction committed: the files stay.
    pub fn keep(mut self) {
        self.kept = true;
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Notes for the person who uploaded: files kept without their text (and why).
    pub fn notes(&self) -> Vec<String> {
        self.files
            .iter()
            .filter(|f| !f.media.text_note.is_empty())
            .map(|f| text_note_message(&f.media.name, &f.media.text_note))
            .collect()
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.kept {
            for p in &self.paths {
                let _ = std::fs::remove_file(p);
            }
        }
    }
}

/// What the page says about a file whose text could not be read.
pub fn text_note_message(name: &str, note: &str) -> String {
    format!("Đã lưu tệp “{name}”, nhưng không đọc được nội dung để tìm kiếm ({note}); tệp vẫn tải về được, và được tìm theo thông tin của văn bản.")
}

/// Checks every uploaded file of a form by its content and writes them to disk (not yet
/// recorded: the caller's use-case function records them in its transaction). The first
/// refused file stops everything, and what was written is removed; the error names it.
pub async fn stage_all(
    state: &AppState,
    unit: i64,
    files: Vec<(String, Vec<u8>)>,
) -> Result<Staged, Refused> {
    let mut staged = Staged::default();
    for (original, bytes) in files {
        stage(state, &mut staged, unit, &original, bytes)
            .await
            .map_err(|r| Refused {
                message: format!(
                    "Tệp “{}”: {}",
                    danchu_core::text::clean_line(&original),
                    r.message
                ),
                status: r.status,
            })?;
    }
    Ok(staged)
}

/// Checks one uploaded file by its content (type, readable image or document), writes it
/// under a random name with a thumbnail, reads its text for search, and adds it to
/// `staged`.
async fn stage(
    state: &AppState,
    staged: &mut Staged,
    unit: i64,
    original: &str,
    bytes: Vec<u8>,
) -> Result<(), Refused> {
    if bytes.is_empty() {
        return Err(Refused::new("tệp rỗng.", StatusCode::BAD_REQUEST));
    }
    let Some(kind) = danchu_core::files::sniff(&bytes) else {
        return Err(Refused::new("Loại tệp không được nhận: chỉ nhận ảnh JPEG, PNG, GIF, WebP và tài liệu PDF, DOCX, XLSX (kiểm tra theo nội dung tệp, không theo tên).", StatusCode::UNSUPPORTED_MEDIA_TYPE));
    };
    let internal = |e: AppError| Refused::new(e.to_string(), StatusCode::INTERNAL_SERVER_ERROR);
    let stored = format!("{}.{}", hex::encode(rand::random::<[u8; 16]>()), kind.ext);
    let dir = media_dir(state);
    let (width, height, thumb) = if kind.image {
        let bytes2 = bytes.clone();
        let thumb_name = format!("thumb-{}.jpg", &stored[..32]);
        let thumb_path = dir.join(&thumb_name);
        let made = state
            .decoding(move || make_thumbnail(&bytes2, &thumb_path))
            .await
            .map_err(internal)?;
        match made {
            Ok((w, h)) => {
                staged.paths.push(dir.join(&thumb_name));
                (Some(w as i64), Some(h as i64), Some(thumb_name))
            }
            Err(_) => {
                return Err(Refused::new(
                    "Ảnh bị hỏng hoặc không đọc được.",
                    StatusCode::BAD_REQUEST,
                ))
            }
        }
    } else {
        (None, None, None)
    };
    // The text of a document, for search; a file that does not open is refused, and one
    // that takes more than the limits is kept without text.
    let (text, text_note) = match state.extractor.text(kind, &bytes).await {
        crate::extract::Outcome::Text(t) => (t, String::new()),
        crate::extract::Outcome::GaveUp(why) => (String::new(), why.to_string()),
        crate::extract::Outcome::Broken => {
            return Err(Refused::new(
                format!(
                    "Tệp {} bị hỏng hoặc không mở được, nên không được nhận.",
                    kind.ext.to_uppercase()
                ),
                StatusCode::BAD_REQUEST,
            ));
        }
    };
    staged.paths.push(dir.join(&stored));
    write_atomically(&dir, &stored, &bytes)
        .await
        .map_err(internal)?;
    staged.files.push(danchu_db::media::NewMedia {
        media: Media {
            id: 0,
            unit_id: unit,
            kind: if kind.image { "image" } else { "file" }.into(),
            name: danchu_core::files::display_name(original, kind),
            stored_name: stored,
            mime: kind.mime.into(),
            size: bytes.len() as i64,
            width,
            height,
            thumb_name: thumb,
            text_note,
        },
        text,
    });
    Ok(())
}

async fn upload(
    State(state): State<AppState>,
    ctx: Ctx,
    auth: Auth,
    form: Multipart,
) -> AppResult<Response> {
    let upload = match read_form(form, "file").await {
        Ok(u) => u,
        Err(r) => return refuse(&state, ctx, &auth, &r.message, r.status).await,
    };
    let Ok(unit) = upload.field("unit_id").trim().parse::<i64>() else {
        return refuse(
            &state,
            ctx,
            &auth,
            "Hãy chọn đơn vị.",
            StatusCode::BAD_REQUEST,
        )
        .await;
    };
    auth.require(&state, Action::EditContent, Some(unit))
        .await?;
    let Some((original, bytes)) = upload.files.into_iter().find(|(_, b)| !b.is_empty()) else {
        return refuse(
            &state,
            ctx,
            &auth,
            "Hãy chọn một tệp.",
            StatusCode::BAD_REQUEST,
        )
        .await;
    };
    let staged = match stage_all(&state, unit, vec![(original, bytes)]).await {
        Ok(s) => s,
        Err(r) if r.status == StatusCode::INTERNAL_SERVER_ERROR => {
            return Err(AppError::Internal(r.message))
        }
        Err(r) => return refuse(&state, ctx, &auth, &r.message, r.status).await,
    };
    danchu_db::media::record(&state.db, &auth.actor(), &staged.files).await?;
    let notes = staged.notes();
    staged.keep();
    if notes.is_empty() {
        Ok(Redirect::to("/quan-tri/tep").into_response())
    } else {
        // Kept without its text: say so on the page the upload returns to.
        let notice = Some(notes.join(" "));
        render(&state, ctx, &auth, (None, notice), StatusCode::OK).await
    }
}

/// Writes a file under a temporary name and renames it, so a crash never leaves half a file
/// under the real name.
async fn write_atomically(dir: &std::path::Path, name: &str, bytes: &[u8]) -> AppResult<()> {
    tokio::fs::create_dir_all(dir)
        .await
        .map_err(|e| AppError::Internal(format!("DANCHU_DATA_DIR: {e}")))?;
    let tmp = dir.join(format!(".{name}.tmp"));
    tokio::fs::write(&tmp, bytes)
        .await
        .map_err(|e| AppError::Internal(format!("writing upload: {e}")))?;
    tokio::fs::rename(&tmp, dir.join(name))
        .await
        .map_err(|e| AppError::Internal(format!("writing upload: {e}")))
}

/// Decodes an image (which also proves it is one) and writes a JPEG thumbnail.
fn make_thumbnail(bytes: &[u8], path: &std::path::Path) -> Result<(u32, u32), String> {
    // Limits against "decompression bombs": a small file that claims a huge picture.
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(12_000);
    limits.max_image_height = Some(12_000);
    limits.max_alloc = Some(256 * 1024 * 1024);
    let mut reader = image::ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
    reader.limits(limits);
    let img = reader.decode().map_err(|e| e.to_string())?;
    let (w, h) = (img.width(), img.height());
    let thumb = if w > THUMB_WIDTH {
        img.thumbnail(THUMB_WIDTH, u32::MAX)
    } else {
        img
    };
    // Transparent parts become white, not black, in the JPEG.
    let rgba = thumb.to_rgba8();
    let mut rgb = image::RgbImage::new(rgba.width(), rgba.height());
    for (x, y, p) in rgba.enumerate_pixels() {
        let a = p[3] as u32;
        let blend = |c: u8| ((c as u32 * a + 255 * (255 - a)) / 255) as u8;
        rgb.put_pixel(x, y, image::Rgb([blend(p[0]), blend(p[1]), blend(p[2])]));
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    }
    let tmp = path.with_extension("tmp");
    rgb.save_with_format(&tmp, image::ImageFormat::Jpeg)
        .map_err(|e| e.to_string())?;
    std::fs::rename(&tmp, path).map_err(|e| e.to_string())?;
    Ok((w, h))
}

/// Serves an uploaded file. Only our own names are accepted (no path can be built from
/// the URL); images are shown inline, documents are downloaded.
async fn serve(State(state): State<AppState>, Path(name): Path<String>) -> AppResult<Response> {
    if !danchu_core::files::valid_stored_name(&name) {
        return Err(AppError::NotFound);
    }
    let m = danchu_db::media::by_stored_name(&state.db, &name)
        .await?
        .ok_or(AppError::NotFound)?;
    let bytes = tokio::fs::read(media_dir(&state).join(&name))
        .await
        .map_err(|_| AppError::NotFound)?;
    let is_thumb = name.starts_with("thumb-");
    let mime = if is_thumb {
        "image/jpeg"
    } else {
        m.mime.as_str()
    };
    let mut resp = (
        [(header::CACHE_CONTROL, "public, max-age=31536000, immutable")],
        bytes,
    )
        .into_response();
    let h = resp.headers_mut();
    if let Ok(v) = HeaderValue::from_str(mime) {
        h.insert(header::CONTENT_TYPE, v);
    }
    let disposition = if m.kind == "image" {
        "inline".to_string()
    } else {
        format!("attachment; filename*=UTF-8''{}", percent(&m.name))
    };
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    // Even if a file were mistaken for HTML, it could run nothing.
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; img-src 'self'; sandbox"),
    );
    Ok(resp)
}

fn percent(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_names() {
        assert_eq!(human_size(1000), "1 KB");
        assert_eq!(human_size(1_572_864), "1,5 MB");
        assert_eq!(percent("Ảnh 1.jpg"), "%E1%BA%A2nh%201.jpg");
    }
}
