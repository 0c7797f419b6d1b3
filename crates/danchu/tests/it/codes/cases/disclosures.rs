//! The cases of the disclosure register.

use super::super::{id, one, Case, Change::*, PROVINCE};
use super::{case, DISCLOSURE_WITH_FORMS};

/// The disclosure register.
pub(super) fn disclosures() -> Vec<Case> {
    vec![
        case(
            "disclosures.rs:category_row (a form)",
            "admin",
            "SELECT CAST(MIN(id) AS TEXT) AS a, '' AS b FROM disclosure_categories WHERE body LIKE '%\"notice_board\"%'",
            "/quan-tri/cong-khai/danh-muc",
            "disclosure_categories",
            "body",
            "id = {a}",
            Replace("\"notice_board\"", "\"zz-bogus\""),
        )
        .reads(reads!(|db, _, _| danchu_db::disclosures::categories(&db))),
        case(
            "disclosures.rs:category_row (its list)",
            "admin",
            "SELECT CAST(MIN(id) AS TEXT) AS a, '' AS b FROM disclosure_categories",
            "/cong-khai",
            "disclosure_categories",
            "body",
            "id = {a}",
            Replace("\"scope\":\"commune\"", "\"scope\":\"zz-bogus\""),
        )
        .reads(reads!(|db, _, _| danchu_db::disclosures::categories(&db))),
        case(
            "disclosures.rs:disclosure_row",
            "admin",
            "SELECT CAST(MIN(id) AS TEXT) AS a, '' AS b FROM disclosures WHERE period <> '' AND public = 1",
            "/cong-khai/{a}",
            "disclosures",
            "period",
            "id = {a}",
            Prefix,
        )
        .reads(reads!(|db, a, _| danchu_db::disclosures::get(&mut db.clone(), id(&a)))),
        case(
            "disclosures.rs:obligations",
            "admin",
            "SELECT MIN(period) AS a, '' AS b FROM disclosures WHERE period LIKE '2023-%'",
            "/quan-tri/cong-khai/tuan-thu?nam=2023",
            "disclosures",
            "period",
            "period = '{a}'",
            // Keeps the year, so the rows are still those of 2023.
            Replace("-", "-zz-bogus-"),
        )
        .reads(|db, _, _| {
            Box::pin(async move {
                let province = one(&db, PROVINCE).await?;
                let commune = Some(danchu_core::disclosures::COMMUNE);
                let units =
                    danchu_db::disclosures::register_units(&db, &[province], commune, Some(2023))
                        .await?;
                let today = danchu_db::today_vn_date();
                danchu_db::disclosures::obligations(&db, &units, 2023, None, today)
                    .await
                    .map(drop)
            })
        }),
        case(
            "disclosures.rs:channels_in",
            "admin",
            DISCLOSURE_WITH_FORMS,
            "/quan-tri/cong-khai/{a}",
            "disclosure_channels",
            "channel",
            "disclosure_id = {a}",
            Prefix,
        )
        .reads(reads!(|db, a, _| danchu_db::disclosures::channels(&db, id(&a)))),
        case(
            "disclosures.rs:head_notices",
            "admin",
            "SELECT CAST(MIN(c.disclosure_id) AS TEXT) AS a, '' AS b FROM disclosure_head_notices n JOIN disclosure_channels c ON c.id = n.channel_id",
            "/quan-tri/cong-khai/{a}",
            "disclosure_head_notices",
            "method",
            "channel_id IN (SELECT id FROM disclosure_channels WHERE disclosure_id = {a})",
            Prefix,
        )
        .reads(reads!(|db, a, _| danchu_db::disclosures::channels(&db, id(&a)))),
    ]
}
