//! The public disclosure register (issue 7; Law 10/2022 Đ11–13, LAW.md R6–R11, R36, R46):
//! what a commune must tell its people, through which channels, for how long. Pure rules:
//! channels, posting periods and the countdown, the broadcast minimum, recurring
//! obligations and whether each was met on time. Categories themselves are data (editable
//! by a system administrator), seeded from [`default_categories`].
//!
//! - [`channels`]: the forms of disclosure open to each list (R46);
//! - [`categories`]: the register's categories and their defaults (R6, R7, R10, R11);
//! - [`periods`]: the periods a recurring category is due for (R11);
//! - [`posting`]: the minimum posting period, its countdown and how a posting stands
//!   today (R10), the broadcast minimum (R7);
//! - [`forms`]: what a disclosure still lacks of its required forms (R7, R9, R46);
//! - [`heads`]: the heads of thôn who passed it on to the households (R8);
//! - [`compliance`]: whether a recurring obligation was met on time (R10, R11);
//! - [`validate`]: what a disclosure, its correction and its forms must be to be
//!   accepted, by field (R6–R8, R10, R46).

pub mod categories;
pub mod channels;
pub mod compliance;
pub mod forms;
pub mod heads;
pub mod periods;
pub mod posting;
pub mod validate;

pub use categories::{agency_categories, commune_categories, default_categories, Category};
pub use channels::Channel;
pub use compliance::{compliance, Compliance};
pub use forms::{broadcast_run, unmet_channels, unmet_forms, FormsUsed, UsedChannel};
pub use heads::{hamlets_not_reached, HeadNotice, HouseholdMethod};
pub use periods::{DuePeriod, Every};
pub use posting::{
    broadcast_long_enough, days_remaining, earliest_takedown, posted_long_enough, standing,
    Standing,
};
pub use validate::{NewChannel, NewDisclosure};

/// The register list of communes (Law 10/2022 Đ11).
pub const COMMUNE: &str = "commune";
/// The register list of agencies and public units (Luật PCTN 2018).
pub const AGENCY: &str = "agency";

/// The unit kinds (`UnitKind` codes) that disclose under a list: the inverse of
/// [`scope_of`].
pub fn kinds_of(scope: &str) -> &'static [&'static str] {
    if scope == AGENCY {
        &["agency", "public_unit"]
    } else {
        &["commune"]
    }
}

/// Which list a unit of `kind` (a `UnitKind` code) discloses under: communes under Law
/// 10/2022 Đ11, agencies and public units under Luật PCTN 2018; others none.
pub fn scope_of(kind: &str) -> Option<&'static str> {
    [COMMUNE, AGENCY]
        .into_iter()
        .find(|s| kinds_of(s).contains(&kind))
}
