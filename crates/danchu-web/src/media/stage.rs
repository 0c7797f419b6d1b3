//! Uploaded files checked by content and written to disk, waiting for the transaction that
//! records them.

use std::path::PathBuf;

use axum::http::StatusCode;
use danchu_db::media::Media;

use super::{media_dir, Refused, THUMB_WIDTH};
use crate::error::{AppError, AppResult};
use crate::AppState;

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
