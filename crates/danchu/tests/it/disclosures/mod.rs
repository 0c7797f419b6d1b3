//! The public disclosure register over both databases and real HTTP (issue 7): the demo
//! register and its obligations (R11 late/missing), the public pages with versions,
//! channels and the countdown (R10), the broadcast minimum (R7), search without
//! diacritics, RSS, the compliance dashboard and its XLSX; an official posting with a
//! photo as evidence, unit scoping, hostile input, corrections, early take-down (R10).

mod agencies;
mod api;
mod categories;
mod channels;
mod demo_story;
mod hostile;
mod notices;
mod posting;

use crate::harness::TestApp;

/// The first disclosure of a unit whose title starts with `prefix`.
pub(super) async fn find(
    app: &TestApp,
    unit: i64,
    prefix: &str,
) -> danchu_db::disclosures::Disclosure {
    danchu_db::disclosures::list(
        &app.db,
        &danchu_db::disclosures::Filter {
            unit_id: Some(unit),
            ..Default::default()
        },
        "2100-01-01",
        100,
        0,
    )
    .await
    .unwrap()
    .into_iter()
    .find(|d| d.title.starts_with(prefix))
    .unwrap_or_else(|| panic!("no disclosure “{prefix}”"))
}
