//! Uploads: images and documents, checked by content, stored under our own random names
//! in DANCHU_DATA_DIR/media, with a thumbnail for each image; and serving them back.
//! Reading a multipart form is [`form`], checking and writing its files [`stage`], the
//! uploads a form offers and keeps [`pick`].

pub mod form;
pub mod pick;
pub mod stage;

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

pub use self::form::{body_too_large, read_form, Refused, Upload, MAX_FIELDS, MAX_FILES};
pub use self::pick::{chosen_media, offered_media};
pub use self::stage::{stage_all, text_note_message, Staged};
use crate::auth::Auth;
use crate::error::{AppError, AppResult};
use crate::layout::Ctx;
use crate::layout::Signed;
use crate::AppState;

/// The largest file accepted.
pub const MAX_UPLOAD: usize = 10 * 1024 * 1024;
/// Thumbnails are at most this wide.
pub(crate) const THUMB_WIDTH: u32 = 480;

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

pub(crate) fn media_dir(state: &AppState) -> PathBuf {
    state.config.data_dir.join("media")
}

#[derive(Template)]
#[template(path = "kit/media.html")]
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

/// A file made for the user to download (an export): `bytes` as `mime`, saved as `name`.
pub fn download(bytes: Vec<u8>, mime: &'static str, name: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, mime.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// The ids of a list of files (what a form's "attached" choices hold).
pub fn ids(files: &[Media]) -> Vec<i64> {
    files.iter().map(|m| m.id).collect()
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
    let within = crate::auth::editable_units(state, auth).await?;
    let files = danchu_db::media::recent(&state.db, within.as_deref(), 100).await?;
    let units = crate::auth::unit_choices(state, auth).await?;
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

async fn page(Signed { state, ctx, auth }: Signed) -> AppResult<Response> {
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

async fn upload(Signed { state, ctx, auth }: Signed, form: Multipart) -> AppResult<Response> {
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
