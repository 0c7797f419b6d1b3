//! Heads of thôn / tổ dân phố who received a disclosure and told the households (R8).

use serde::{Deserialize, Serialize};
use time::Date;

/// How a head of thôn / tổ dân phố told the households (R8: Law Đ13 k4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum HouseholdMethod {
    CommunityMeeting,
    OrganisationMeeting,
    HouseholdNotice,
    Sms,
    SocialNetwork,
}

impl HouseholdMethod {
    pub const ALL: [HouseholdMethod; 5] = [
        HouseholdMethod::CommunityMeeting,
        HouseholdMethod::OrganisationMeeting,
        HouseholdMethod::HouseholdNotice,
        HouseholdMethod::Sms,
        HouseholdMethod::SocialNetwork,
    ];

    pub fn code(self) -> &'static str {
        match self {
            HouseholdMethod::CommunityMeeting => "community_meeting",
            HouseholdMethod::OrganisationMeeting => "organisation_meeting",
            HouseholdMethod::HouseholdNotice => "household_notice",
            HouseholdMethod::Sms => "sms",
            HouseholdMethod::SocialNetwork => "social_network",
        }
    }

    pub fn parse(s: &str) -> Option<HouseholdMethod> {
        HouseholdMethod::ALL.into_iter().find(|m| m.code() == s)
    }

    pub fn name_vi(self) -> &'static str {
        match self {
            HouseholdMethod::CommunityMeeting => "Hội nghị cộng đồng dân cư",
            HouseholdMethod::OrganisationMeeting => "Họp của tổ chức chính trị - xã hội, đoàn thể",
            HouseholdMethod::HouseholdNotice => "Thông báo trực tiếp, bằng văn bản đến từng hộ",
            HouseholdMethod::Sms => "Tin nhắn đến người đại diện hộ gia đình",
            HouseholdMethod::SocialNetwork => "Mạng xã hội do cộng đồng lựa chọn",
        }
    }
}

/// A head of thôn / tổ dân phố who received a disclosure and how they told the
/// households (R8). `told_on` is text as typed or stored (`dd/mm/yyyy` or `yyyy-mm-dd`),
/// empty until done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HeadNotice {
    pub hamlet: String,
    pub head_name: String,
    /// The day the head received it (read where it is typed or stored).
    #[serde(serialize_with = "crate::text::day_text::required")]
    pub notified_on: Date,
    pub method: HouseholdMethod,
    pub told_on: String,
}

/// The thôn / tổ dân phố of a commune that no head-notice record names (R8), compared
/// without case or diacritics so "Ấp Bến Tranh" and "ap ben tranh" are one place.
pub fn hamlets_not_reached(hamlets: &[String], notices: &[HeadNotice]) -> Vec<String> {
    let reached: std::collections::BTreeSet<String> = notices
        .iter()
        .map(|n| crate::text::fold(&n.hamlet))
        .collect();
    hamlets
        .iter()
        .filter(|h| !reached.contains(&crate::text::fold(h)))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r8_heads_of_thon_reached_and_how() {
        let all = &HouseholdMethod::ALL;
        crate::assert_codes(all, HouseholdMethod::code, HouseholdMethod::parse, "fax");
        let notice = |hamlet: &str| HeadNotice {
            hamlet: hamlet.into(),
            head_name: String::new(),
            notified_on: time::macros::date!(2023 - 10 - 03),
            method: HouseholdMethod::Sms,
            told_on: String::new(),
        };
        let hamlets: Vec<String> = ["Ấp Bến Tranh", "Ấp Cần Giăng", "Ấp Hòa Cường"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            hamlets_not_reached(&hamlets, &[notice("ap ben tranh"), notice("ẤP HOÀ CƯỜNG")]),
            vec!["Ấp Cần Giăng".to_string()],
            "matched without case or diacritics, hoà = hòa"
        );
        assert_eq!(hamlets_not_reached(&hamlets, &[]).len(), 3);
        assert!(hamlets_not_reached(&[], &[notice("Ấp X")]).is_empty());
    }
}
