//! The forms a disclosure takes (R46): a commune's under Law Đ12 k1, an agency's under
//! Luật PCTN 2018 Đ11 k1.

use serde::{Deserialize, Serialize};

use super::AGENCY;

/// How something is disclosed (R46: Law Đ12 k1 for communes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Channel {
    /// (i) niêm yết at the commune's headquarters.
    NoticeBoard,
    /// (ii) the commune's portal: publishes the disclosure at /cong-khai.
    Portal,
    /// (iii) the commune's loudspeaker system.
    Broadcast,
    /// (iv) through the heads of thôn / tổ dân phố (R8).
    CommunityHeads,
    /// (v) written notice to citizens.
    Letter,
    /// (vi) conference / dialogue between the commune and the people.
    Conference,
    /// (vii) citizen reception, meetings with voters, press.
    Reception,
    /// (viii) notice to political and social organisations.
    Organisations,
    /// (ix) telecom networks and lawful social networks.
    Network,
    /// Agencies, Luật PCTN 2018 Đ11 k1 a): announced at the unit's meeting.
    Meeting,
    /// c) written notice to the bodies and people concerned.
    WrittenNotice,
    /// d) publications.
    Publication,
    /// đ) mass media.
    MassMedia,
    /// g) press conference.
    PressConference,
    /// h) information given on request.
    OnRequest,
}

impl Channel {
    pub const ALL: [Channel; 15] = [
        Channel::NoticeBoard,
        Channel::Portal,
        Channel::Broadcast,
        Channel::CommunityHeads,
        Channel::Letter,
        Channel::Conference,
        Channel::Reception,
        Channel::Organisations,
        Channel::Network,
        Channel::Meeting,
        Channel::WrittenNotice,
        Channel::Publication,
        Channel::MassMedia,
        Channel::PressConference,
        Channel::OnRequest,
    ];

    /// The forms open to a list (R46): a commune's are Law Đ12 k1 (i)–(ix); an agency's
    /// are Luật PCTN 2018 Đ11 k1 a–h (posting at the headquarters and the portal are
    /// shared).
    pub fn for_scope(scope: &str) -> Vec<Channel> {
        use Channel::*;
        match scope {
            AGENCY => vec![
                Meeting,
                NoticeBoard,
                WrittenNotice,
                Publication,
                MassMedia,
                Portal,
                PressConference,
                OnRequest,
            ],
            // Đ12 k1 (i)–(ix) are the first nine of ALL, in the law's order.
            _ => Channel::ALL[..9].to_vec(),
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Channel::NoticeBoard => "notice_board",
            Channel::Portal => "portal",
            Channel::Broadcast => "broadcast",
            Channel::CommunityHeads => "community_heads",
            Channel::Letter => "letter",
            Channel::Conference => "conference",
            Channel::Reception => "reception",
            Channel::Organisations => "organisations",
            Channel::Network => "network",
            Channel::Meeting => "meeting",
            Channel::WrittenNotice => "written_notice",
            Channel::Publication => "publication",
            Channel::MassMedia => "mass_media",
            Channel::PressConference => "press_conference",
            Channel::OnRequest => "on_request",
        }
    }

    pub fn parse(s: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.code() == s)
    }

    /// Its bit in [`FormsUsed::mask`].
    pub fn bit(self) -> i64 {
        1 << Channel::ALL.iter().position(|c| *c == self).unwrap_or(0)
    }

    pub fn name_vi(self) -> &'static str {
        match self {
            Channel::NoticeBoard => "Niêm yết tại trụ sở",
            Channel::Portal => "Đăng trên cổng thông tin điện tử",
            Channel::Broadcast => "Phát trên hệ thống truyền thanh",
            Channel::CommunityHeads => "Thông qua Trưởng thôn, Tổ trưởng tổ dân phố",
            Channel::Letter => "Gửi văn bản đến công dân",
            Channel::Conference => "Hội nghị trao đổi, đối thoại với Nhân dân",
            Channel::Reception => "Tiếp công dân, tiếp xúc cử tri, họp báo",
            Channel::Organisations => "Thông báo đến các tổ chức chính trị - xã hội",
            Channel::Network => "Mạng viễn thông, mạng xã hội",
            Channel::Meeting => "Công bố tại cuộc họp của cơ quan, đơn vị",
            Channel::WrittenNotice => {
                "Thông báo bằng văn bản đến cơ quan, tổ chức, cá nhân có liên quan"
            }
            Channel::Publication => "Phát hành ấn phẩm",
            Channel::MassMedia => "Thông báo trên phương tiện thông tin đại chúng",
            Channel::PressConference => "Tổ chức họp báo",
            Channel::OnRequest => "Cung cấp thông tin theo yêu cầu",
        }
    }

    /// Whether using this form counts as the disclosure being posted (its first day starts
    /// the minimum period, R10): for a commune posting at the headquarters or on the
    /// portal; for an agency any of PCTN Đ11 k1 b–g, of which the head must use one.
    pub fn counts_as_posting(self, scope: &str) -> bool {
        if scope == AGENCY {
            matches!(
                self,
                Channel::NoticeBoard
                    | Channel::WrittenNotice
                    | Channel::Publication
                    | Channel::MassMedia
                    | Channel::Portal
                    | Channel::PressConference
            )
        } else {
            matches!(self, Channel::NoticeBoard | Channel::Portal)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::disclosures::{default_categories, FormsUsed};

    #[test]
    fn r46_channels_and_category_validity() {
        crate::assert_codes(&Channel::ALL, Channel::code, Channel::parse, "fax");
        // One bit per form in the summary kept on a disclosure.
        let bits: std::collections::BTreeSet<i64> = Channel::ALL.iter().map(|c| c.bit()).collect();
        assert_eq!(bits.len(), Channel::ALL.len());
        let used = FormsUsed::of(&[
            (Channel::Portal, None, None),
            (Channel::Broadcast, None, None),
        ]);
        assert!(
            used.has(Channel::Portal)
                && used.has(Channel::Broadcast)
                && !used.has(Channel::NoticeBoard)
        );
        let mut c = default_categories().remove(0);
        assert!(!c.valid_on("2023-06-30") && c.valid_on("2023-07-01"));
        c.valid_to = "2025-06-30".into();
        assert!(!c.valid_on("2025-07-01"));
    }
}
