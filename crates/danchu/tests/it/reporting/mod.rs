//! Periodic reporting in the database, over both backends: versioned templates, a round
//! with the R30 cut-off, the submission workflow and its forbidden steps, every version
//! kept, the dashboard (late, missing) and the consolidation.

use crate::harness::Fixture;

/// The reporting and plans demos (with the portal's documents the plan follows up), with
/// Phòng Nội vụ, An Lập's unit administrator and its reporter: what the pages and the API
/// of a commune's report both need.
pub(crate) const NOI_VU_AND_AN_LAP: Fixture = Fixture::units()
    .with_reporting()
    .with_plans()
    .with_users(&["noivu", "quantri.anlap", "baocao.anlap"]);

mod evidence;
mod pages;
mod round_form;
mod rounds;
mod templates;
