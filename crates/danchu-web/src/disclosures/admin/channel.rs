//! Recording a form of disclosure (R7, R8): its dates, evidence and files, and for the
//! heads of thôn each one notified.

use axum::extract::{Multipart, Path};
use axum::response::{IntoResponse, Redirect, Response};
use danchu_core::disclosures::{Channel, HeadNotice, HouseholdMethod};
use danchu_db::disclosures::NewChannel;

use super::detail::{channel_refused, editable};
use crate::error::AppResult;
use crate::layout::Signed;

pub(super) async fn add_channel(
    Signed { state, ctx, auth }: Signed,
    Path(id): Path<i64>,
    form: Multipart,
) -> AppResult<Response> {
    let d = editable(&state, &auth, id).await?;
    let u = match crate::media::read_form(form, "evidence_file").await {
        Ok(u) => u,
        Err(r) => {
            return channel_refused(&state, ctx, &auth, id, r.message, Default::default()).await
        }
    };
    let draft = ChannelDraft::read(&u);
    let Some(channel) = Channel::parse(&draft.channel) else {
        let why = "Hãy chọn hình thức công khai.".to_string();
        return channel_refused(&state, ctx, &auth, id, why, draft).await;
    };
    let notices = if channel == Channel::CommunityHeads {
        match draft.notices() {
            Ok(n) => n,
            Err(m) => return channel_refused(&state, ctx, &auth, id, m, draft).await,
        }
    } else {
        Vec::new()
    };
    let ends_on = match end_day(&draft.ends_on) {
        Ok(d) => d,
        Err(why) => return channel_refused(&state, ctx, &auth, id, why, draft).await,
    };
    let c = NewChannel {
        channel,
        starts_on: danchu_core::text::parse_date(&draft.starts_on),
        ends_on,
        evidence: draft.evidence.clone(),
        files: Vec::new(),
        notices,
    };
    let staged = match crate::media::stage_all(&state, d.unit_id, u.files).await {
        Ok(s) => s,
        Err(r) => return channel_refused(&state, ctx, &auth, id, r.message, draft).await,
    };
    match danchu_db::disclosures::add_channel_with(&state.db, &auth.actor(), id, &c, &staged.files)
        .await
    {
        Ok(_) => {
            staged.keep();
            Ok(Redirect::to(&format!("/quan-tri/cong-khai/{id}?ok=1")).into_response())
        }
        Err(e) => channel_refused(&state, ctx, &auth, id, refusal(e)?, draft).await,
    }
}

/// Why the use case refused the channel (checked once, there): the first reason, shown
/// with the form; any other error stays an error.
fn refusal(e: danchu_db::DbError) -> Result<String, danchu_db::DbError> {
    match e {
        danchu_db::DbError::Invalid(m) => Ok(m),
        danchu_db::DbError::Refused(why) => {
            Ok(why.into_iter().next().map(|(_, m)| m).unwrap_or_default())
        }
        e => Err(e),
    }
}

/// The end day as typed: none when left empty, refused when it is not a date. (A start
/// that is not a date reads as none: the use case asks for one.)
fn end_day(typed: &str) -> Result<Option<time::Date>, String> {
    match typed.trim() {
        "" => Ok(None),
        t => danchu_core::text::parse_date(t)
            .map(Some)
            .ok_or_else(|| "Ngày kết thúc không hợp lệ hoặc trước ngày bắt đầu.".to_string()),
    }
}

/// One R8 row of the channel form as typed.
#[derive(Debug, Clone, Default)]
pub(super) struct HeadRow {
    pub(super) hamlet: String,
    pub(super) name: String,
    pub(super) on: String,
    pub(super) method: String,
    pub(super) told: String,
}

/// The channel form as typed (given back with the reason when it is refused).
#[derive(Debug, Clone, Default)]
pub(super) struct ChannelDraft {
    pub(super) channel: String,
    pub(super) starts_on: String,
    pub(super) ends_on: String,
    pub(super) evidence: String,
    pub(super) rows: Vec<HeadRow>,
}

impl ChannelDraft {
    /// Reads the form; the R8 rows are the repeated `head_hamlet`, `head_name`,
    /// `head_on`, `head_method`, `head_told` fields, in order.
    fn read(u: &crate::media::Upload) -> ChannelDraft {
        let cols = [
            "head_hamlet",
            "head_name",
            "head_on",
            "head_method",
            "head_told",
        ]
        .map(|f| u.all(f));
        let at = |c: usize, i: usize| {
            cols[c]
                .get(i)
                .map_or(String::new(), |s| s.trim().to_string())
        };
        ChannelDraft {
            channel: u.field("channel").into(),
            starts_on: u.field("starts_on").into(),
            ends_on: u.field("ends_on").into(),
            evidence: u.field("evidence").into(),
            // Every row typed (the check refuses more than it allows, never drops them).
            rows: (0..cols[0].len())
                .map(|i| HeadRow {
                    hamlet: at(0, i),
                    name: at(1, i),
                    on: at(2, i),
                    method: at(3, i),
                    told: at(4, i),
                })
                .collect(),
        }
    }

    /// The R8 records: the rows with a name or a date (a thôn left blank was not
    /// reached), each checked; a refusal names the row as the form shows it.
    fn notices(&self) -> Result<Vec<HeadNotice>, String> {
        let mut out = Vec::new();
        for (i, r) in self.rows.iter().enumerate() {
            if r.name.is_empty() && r.on.is_empty() && r.told.is_empty() {
                continue;
            }
            let label = if r.hamlet.is_empty() {
                format!("Dòng {}", i + 1)
            } else {
                danchu_core::text::clean_line(&r.hamlet)
            };
            let Some(method) = HouseholdMethod::parse(&r.method) else {
                return Err(format!(
                    "{label}: hãy chọn cách thông báo đến hộ gia đình (R8)."
                ));
            };
            let Some(notified_on) = danchu_core::text::parse_date(&r.on) else {
                return Err(danchu_db::disclosures::bad_notified_on(&label));
            };
            let n = HeadNotice {
                hamlet: r.hamlet.clone(),
                head_name: r.name.clone(),
                notified_on,
                method,
                told_on: r.told.clone(),
            };
            if let Some(m) = danchu_db::disclosures::check_notice(&n, &label)
                .into_iter()
                .next()
            {
                return Err(m);
            }
            out.push(n);
        }
        Ok(out)
    }
}
