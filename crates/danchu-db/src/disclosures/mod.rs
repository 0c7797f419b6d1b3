//! The public disclosure register in the database (issue 7): categories (data, editable),
//! disclosures with every version, the channels used with dates and evidence files, early
//! take-down with a reason, the public listing, search entries and the obligations of
//! recurring categories. Rules (R6–R11, R46) are in `danchu_core::disclosures`; every
//! change is audited in its transaction.
//!
//! - `categories`: the categories (R6).
//! - `read`: one disclosure, its versions, files and documents.
//! - `listing`: the register's filters, pages and counts.
//! - `post`: posting and correcting; the search entry.
//! - `channels`: the forms used (R7, R8, R46).
//! - `take_down`: taking down, early only with a reason (R10).
//! - `compliance`: obligations, unmet forms, counts for reports (R10, R11).
//! - `dashboard`: the compliance dashboard's figures per unit (R7, R10, R11).
//! - `loudspeakers`: whether a commune has a loudspeaker system (R7).

mod categories;
mod channels;
mod compliance;
mod dashboard;
mod listing;
mod loudspeakers;
mod post;
mod read;
mod take_down;

pub use categories::{categories, category, ensure_categories, update_category};
pub use channels::{
    add_channel, add_channel_with, channels, refresh_forms, used_channels, ChannelUse,
};
pub use compliance::{
    obligations, posted_count, register_units, unmet_forms, Obligation, RegisterUnit, Unmet,
};
pub use danchu_core::disclosures::validate::{bad_notified_on, check, check_channel, check_notice};
pub use danchu_core::disclosures::{NewChannel, NewDisclosure};
pub use dashboard::{unit_compliance, Dashboard, UnitCompliance};
pub use listing::{count, list, Filter, COUNT_CAP};
pub use loudspeakers::{has_loudspeakers, set_loudspeakers, without_loudspeakers};
pub use post::{correct, create, create_at, index_all, post, refusals};
pub use read::{
    by_ids, documents, files, get, hamlets, unit_kind, unit_scope, units_with_public, versions,
    Disclosure, Version,
};
pub use take_down::{take_down, would_be_early};
