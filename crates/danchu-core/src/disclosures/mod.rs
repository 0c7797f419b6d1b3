//! The public disclosure register (issue 7; Law 10/2022 Đ11–13, LAW.md R6–R11, R36, R46):
//! what a commune must tell its people, through which channels, for how long. Pure rules:
//! channels, posting periods and the countdown, the broadcast minimum, recurring
//! obligations and whether each was met on time. Categories themselves are data (editable
//! by a system administrator), seeded from [`default_categories`].

use serde::{Deserialize, Serialize};
use time::{Date, Duration, Month};

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
            _ => vec![
                NoticeBoard,
                Portal,
                Broadcast,
                CommunityHeads,
                Letter,
                Conference,
                Reception,
                Organisations,
                Network,
            ],
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
/// households (R8). Dates are `yyyy-mm-dd`; `told_on` may be empty until done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeadNotice {
    pub hamlet: String,
    pub head_name: String,
    pub notified_on: String,
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

/// How often a category must be disclosed again (R11).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Every {
    Quarter,
    HalfYear,
    Year,
}

/// One period a recurring disclosure covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum DuePeriod {
    Quarter { year: i32, quarter: u8 },
    Half { year: i32, half: u8 },
    Year { year: i32 },
}

impl DuePeriod {
    /// `2023-Q3`, `2023-H1`, `2023`.
    pub fn code(&self) -> String {
        match self {
            DuePeriod::Quarter { year, quarter } => format!("{year}-Q{quarter}"),
            DuePeriod::Half { year, half } => format!("{year}-H{half}"),
            DuePeriod::Year { year } => format!("{year}"),
        }
    }

    pub fn parse(s: &str) -> Option<DuePeriod> {
        let (y, rest) = s.split_once('-').map_or((s, ""), |(y, r)| (y, r));
        let year: i32 = y.parse().ok().filter(|y| (1900..=2200).contains(y))?;
        match rest {
            "" => Some(DuePeriod::Year { year }),
            r if r.starts_with('Q') => {
                let quarter: u8 = r[1..].parse().ok().filter(|q| (1..=4).contains(q))?;
                Some(DuePeriod::Quarter { year, quarter })
            }
            r if r.starts_with('H') => {
                let half: u8 = r[1..].parse().ok().filter(|h| (1..=2).contains(h))?;
                Some(DuePeriod::Half { year, half })
            }
            _ => None,
        }
    }

    /// "quý III/2023", "6 tháng đầu năm 2023", "năm 2023".
    pub fn name_vi(&self) -> String {
        match self {
            DuePeriod::Quarter { year, quarter } => {
                let roman = ["I", "II", "III", "IV"][(*quarter as usize).clamp(1, 4) - 1];
                format!("quý {roman}/{year}")
            }
            DuePeriod::Half { year, half: 1 } => format!("6 tháng đầu năm {year}"),
            DuePeriod::Half { year, .. } => format!("6 tháng cuối năm {year}"),
            DuePeriod::Year { year } => format!("năm {year}"),
        }
    }

    pub fn year(&self) -> i32 {
        match self {
            DuePeriod::Quarter { year, .. }
            | DuePeriod::Half { year, .. }
            | DuePeriod::Year { year } => *year,
        }
    }

    /// The last day of the period.
    pub fn end(&self) -> Option<Date> {
        let (year, month) = match self {
            DuePeriod::Quarter { year, quarter } => (*year, quarter * 3),
            DuePeriod::Half { year, half } => (*year, half * 6),
            DuePeriod::Year { year } => (*year, 12),
        };
        let month = Month::try_from(month).ok()?;
        Date::from_calendar_date(year, month, month.length(year)).ok()
    }

    /// Every period of a year for a frequency.
    pub fn of_year(every: Every, year: i32) -> Vec<DuePeriod> {
        match every {
            Every::Quarter => (1..=4)
                .map(|quarter| DuePeriod::Quarter { year, quarter })
                .collect(),
            Every::HalfYear => (1..=2).map(|half| DuePeriod::Half { year, half }).collect(),
            Every::Year => vec![DuePeriod::Year { year }],
        }
    }
}

/// A category of the register (one item of Law Đ11, or of an agency's list).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Category {
    /// Stable code (`d11-02`).
    pub code: String,
    /// `commune` or `agency`.
    pub scope: String,
    /// Item number in its list (Đ11: 1–14).
    pub item: i64,
    pub name: String,
    /// Channels the law requires for it (R7/R46): the disclosure must use each.
    pub channels: Vec<Channel>,
    /// Minimum posting duration in days (R10, default 30).
    pub min_days: i64,
    /// Minimum consecutive broadcast days (R7: 3 for items 7–12), 0 when not required.
    pub broadcast_days: i64,
    /// How often it recurs (R11), empty when it is disclosed as things happen.
    pub every: Vec<Every>,
    /// Days after a period ends by which it must be posted (R10: unconfirmed, default 5).
    pub post_within_days: i64,
    /// Validity (`yyyy-mm-dd`; empty = open), so a changed law keeps history readable.
    pub valid_from: String,
    pub valid_to: String,
}

impl Category {
    /// Whether a unit of `kind` discloses under this category's list.
    pub fn applies_to(&self, kind: &str) -> bool {
        scope_of(kind) == Some(self.scope.as_str())
    }

    /// Whether the category applies on `day` (`yyyy-mm-dd`).
    pub fn valid_on(&self, day: &str) -> bool {
        (self.valid_from.is_empty() || self.valid_from.as_str() <= day)
            && (self.valid_to.is_empty() || day <= self.valid_to.as_str())
    }

    /// The periods of a year this category must be disclosed for (R11).
    pub fn due_periods(&self, year: i32) -> Vec<DuePeriod> {
        self.every
            .iter()
            .flat_map(|e| DuePeriod::of_year(*e, year))
            .collect()
    }

    /// The day by which the disclosure of `period` must be posted.
    pub fn due_on(&self, period: &DuePeriod) -> Option<Date> {
        period
            .end()
            .map(|e| e + Duration::days(self.post_within_days.max(0)))
    }
}

/// The default categories: the commune list, then the agency list.
pub fn default_categories() -> Vec<Category> {
    let mut all = commune_categories();
    all.extend(agency_categories());
    all
}

/// The agencies' and public units' list (Luật PCTN 2018 Đ10 and the sector rules it
/// points to; wording unconfirmed, hence data an administrator edits). Disclosed through
/// at least one of PCTN Đ11 k1 b–g (R46), posted for 30 days (R10 fallback); the
/// budget's execution recurs like a commune's (R11 by analogy, unconfirmed).
pub fn agency_categories() -> Vec<Category> {
    let names = [
        "Việc thực hiện chính sách, pháp luật liên quan đến quyền, lợi ích của cán bộ, công chức, viên chức, người lao động và của người dân",
        "Dự toán, tình hình thực hiện dự toán theo quý, 06 tháng, hằng năm và quyết toán ngân sách; quản lý, sử dụng tài sản công",
        "Mua sắm công, đầu tư xây dựng cơ bản và quản lý dự án",
        "Công tác tổ chức cán bộ: tuyển dụng, bổ nhiệm, điều động, luân chuyển, đào tạo, khen thưởng, kỷ luật",
        "Thủ tục hành chính, quy trình giải quyết công việc và kết quả giải quyết",
        "Chế độ, định mức, tiêu chuẩn; quy chế chi tiêu nội bộ",
        "Kết luận thanh tra, kiểm tra, kiểm toán; kết quả giải quyết khiếu nại, tố cáo trong cơ quan, đơn vị",
        "Các nội dung khác theo quy định của pháp luật",
    ];
    names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let item = i as i64 + 1;
            // PCTN Đ11 k2: at least one of b–g (any of them meets the duty).
            let channels = Channel::for_scope(AGENCY)
                .into_iter()
                .filter(|c| c.counts_as_posting(AGENCY))
                .collect();
            default_category(format!("pctn-{item:02}"), AGENCY, item, name, channels, 0)
        })
        .collect()
}

/// A category with the defaults both lists share: posted 30 days (R10), due 5 days after
/// its period (unconfirmed), in force from 01/07/2023 (the Law's effect); item 2, the
/// budget's execution, recurs every quarter, half-year and year (R11).
fn default_category(
    code: String,
    scope: &str,
    item: i64,
    name: &str,
    channels: Vec<Channel>,
    broadcast_days: i64,
) -> Category {
    Category {
        code,
        scope: scope.into(),
        item,
        name: name.into(),
        channels,
        min_days: 30,
        broadcast_days,
        every: if item == 2 {
            vec![Every::Quarter, Every::HalfYear, Every::Year]
        } else {
            Vec::new()
        },
        post_within_days: 5,
        valid_from: "2023-07-01".into(),
        valid_to: String::new(),
    }
}

/// The communes' list (R6: items 1–3 checked; 4–14 unconfirmed, hence data an
/// administrator edits; R7: items 7–12 also broadcast ≥ 3 consecutive days; R10: 30 days
/// posted; R11: budget execution quarterly, 6-monthly and yearly).
pub fn commune_categories() -> Vec<Category> {
    let names = [
        "Kế hoạch phát triển kinh tế - xã hội, phương án chuyển dịch cơ cấu kinh tế hằng năm của cấp xã và kết quả thực hiện",
        "Dự toán ngân sách, tình hình thực hiện dự toán theo quý, 06 tháng, hằng năm; quyết toán ngân sách",
        "Dự án, công trình đầu tư trên địa bàn; thu hồi đất, bồi thường, tái định cư; quỹ đất công ích; quy hoạch xây dựng",
        "Thủ tục hành chính, giải quyết công việc liên quan đến người dân do cấp xã trực tiếp thực hiện",
        "Chính sách, chương trình hỗ trợ đời sống, giảm nghèo, an sinh xã hội, người có công, bảo trợ xã hội và kết quả",
        "Quản lý, sử dụng các quỹ, khoản đầu tư, tài trợ, nguồn vận động, đóng góp của Nhân dân",
        "Chủ trương, kế hoạch vay vốn cho Nhân dân",
        "Số lượng, kết quả giải quyết khiếu nại, tố cáo, kiến nghị, phản ánh thuộc thẩm quyền cấp xã",
        "Kết quả lấy ý kiến Nhân dân về các nội dung Nhân dân tham gia ý kiến",
        "Đối tượng, mức thu các loại phí, lệ phí và nghĩa vụ tài chính khác do cấp xã trực tiếp thu",
        "Kết quả tiếp thu ý kiến của Nhân dân về các vấn đề cộng đồng dân cư bàn và quyết định",
        "Kết quả thực hiện kiến nghị của Ban Thanh tra nhân dân, Ban giám sát đầu tư của cộng đồng",
        "Tiêu chuẩn, danh sách, nhiệm vụ của cán bộ, công chức cấp xã",
        "Các nội dung khác theo quy định của pháp luật hoặc chính quyền cấp xã thấy cần thiết",
    ];
    names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let item = i as i64 + 1;
            // R7: items 7–12 are also broadcast for at least 3 consecutive days, and (R8)
            // sent to the heads of thôn / tổ dân phố.
            let broadcast = (7..=12).contains(&item);
            let mut channels = vec![Channel::NoticeBoard, Channel::Portal];
            if broadcast {
                channels.extend([Channel::Broadcast, Channel::CommunityHeads]);
            }
            let broadcast_days = if broadcast { 3 } else { 0 };
            default_category(
                format!("d11-{item:02}"),
                COMMUNE,
                item,
                name,
                channels,
                broadcast_days,
            )
        })
        .collect()
}

/// The first day a posting that started on `start` may be taken down: it must stay up
/// `min_days` whole days (R10), so from `start + min_days`.
pub fn earliest_takedown(start: Date, min_days: i64) -> Date {
    start + Duration::days(min_days.max(0))
}

/// Days of the minimum posting period still to run on `today` (0 once it has run).
pub fn days_remaining(start: Date, min_days: i64, today: Date) -> i64 {
    (earliest_takedown(start, min_days) - today)
        .whole_days()
        .max(0)
}

/// Whether a broadcast from `start` to `end` (inclusive) covered the minimum number of
/// consecutive days (R7).
pub fn broadcast_long_enough(start: Date, end: Date, min_days: i64) -> bool {
    end >= start && (end - start).whole_days() + 1 >= min_days
}

/// Whether a posting from `start` ending on `end` (taken down that day; none = still up
/// on `today`) lasted the minimum (R10).
pub fn posted_long_enough(start: Date, end: Option<Date>, min_days: i64, today: Date) -> bool {
    match end {
        Some(e) => e >= earliest_takedown(start, min_days),
        None => today >= earliest_takedown(start, min_days),
    }
}

/// A form as the checks read it: (channel, first day, last day).
pub type UsedChannel = (Channel, Option<Date>, Option<Date>);

/// The longest run of consecutive days the broadcasts cover, ranges that touch or
/// overlap merged (a broadcast on day 1 and another on days 2–3 is 3 days; one without
/// an end day proves nothing yet).
pub fn broadcast_run(used: &[UsedChannel]) -> i64 {
    let mut ranges: Vec<(Date, Date)> = used
        .iter()
        .filter_map(|(ch, s, e)| match (ch, s, e) {
            (Channel::Broadcast, Some(s), Some(e)) if e >= s => Some((*s, *e)),
            _ => None,
        })
        .collect();
    ranges.sort();
    let mut best = 0;
    let mut current: Option<(Date, Date)> = None;
    for (s, e) in ranges {
        current = match current {
            Some((cs, ce)) if s <= ce + Duration::days(1) => Some((cs, ce.max(e))),
            _ => Some((s, e)),
        };
        if let Some((cs, ce)) = current {
            best = best.max((ce - cs).whole_days() + 1);
        }
    }
    best
}

/// What a disclosure still lacks of the forms its category requires (R7, R46, R9):
/// - a commune must use every listed form, the loudspeakers for the minimum number of
///   consecutive days (R7) — unless it has no loudspeaker system (`loudspeakers` false:
///   the law says "nếu có");
/// - an agency must use at least one of the listed forms (PCTN Đ11 k2: one of b–g); when
///   it used none, all are returned as the choice it has.
pub fn unmet_channels(c: &Category, used: &[UsedChannel], loudspeakers: bool) -> Vec<Channel> {
    unmet_forms(c, &FormsUsed::of(used), loudspeakers)
}

/// What the checks need of a disclosure's forms, small enough to keep on the disclosure
/// itself (written with each form, so a dashboard reads one row per disclosure): which
/// forms were used, and the longest run of consecutive broadcast days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FormsUsed {
    /// One bit per channel, by its place in [`Channel::ALL`].
    pub mask: i64,
    pub broadcast_run: i64,
}

impl FormsUsed {
    pub fn of(used: &[UsedChannel]) -> FormsUsed {
        FormsUsed {
            mask: used.iter().fold(0, |m, (ch, _, _)| m | ch.bit()),
            broadcast_run: broadcast_run(used),
        }
    }

    pub fn has(&self, c: Channel) -> bool {
        self.mask & c.bit() != 0
    }
}

/// [`unmet_channels`] from the summary kept on the disclosure.
pub fn unmet_forms(c: &Category, used: &FormsUsed, loudspeakers: bool) -> Vec<Channel> {
    if c.scope == AGENCY {
        return if c.channels.iter().any(|ch| used.has(*ch)) {
            Vec::new()
        } else {
            c.channels.clone()
        };
    }
    c.channels
        .iter()
        .copied()
        .filter(|required| match required {
            Channel::Broadcast if !loudspeakers => false,
            Channel::Broadcast if c.broadcast_days > 0 => used.broadcast_run < c.broadcast_days,
            _ => !used.has(*required),
        })
        .collect()
}

/// Where an obligation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Compliance {
    /// Not due yet and not posted.
    Upcoming,
    /// Posted by the due date.
    OnTime,
    /// Posted after the due date.
    Late,
    /// Due date passed, nothing posted.
    Missing,
}

impl Compliance {
    pub fn name_vi(self) -> &'static str {
        match self {
            Compliance::Upcoming => "Chưa đến hạn",
            Compliance::OnTime => "Đúng hạn",
            Compliance::Late => "Trễ hạn",
            Compliance::Missing => "Chưa công khai",
        }
    }
}

/// An obligation's standing from its due date and the day it was first posted (R10/R11).
pub fn compliance(due: Date, first_posted: Option<Date>, today: Date) -> Compliance {
    match first_posted {
        Some(p) if p <= due => Compliance::OnTime,
        Some(_) => Compliance::Late,
        None if today > due => Compliance::Missing,
        None => Compliance::Upcoming,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn r10_posting_lasts_thirty_days_with_a_countdown() {
        let start = date!(2023 - 07 - 10);
        assert_eq!(earliest_takedown(start, 30), date!(2023 - 08 - 09));
        assert_eq!(days_remaining(start, 30, date!(2023 - 07 - 10)), 30);
        assert_eq!(days_remaining(start, 30, date!(2023 - 08 - 08)), 1);
        assert_eq!(days_remaining(start, 30, date!(2023 - 08 - 09)), 0);
        assert_eq!(days_remaining(start, 30, date!(2024 - 01 - 01)), 0);
        // Across a year boundary.
        assert_eq!(
            earliest_takedown(date!(2023 - 12 - 15), 30),
            date!(2024 - 01 - 14)
        );
        assert!(!posted_long_enough(
            start,
            Some(date!(2023 - 08 - 08)),
            30,
            date!(2023 - 09 - 01)
        ));
        assert!(posted_long_enough(
            start,
            Some(date!(2023 - 08 - 09)),
            30,
            date!(2023 - 09 - 01)
        ));
        assert!(!posted_long_enough(start, None, 30, date!(2023 - 07 - 20)));
    }

    #[test]
    fn r7_broadcast_needs_three_consecutive_days() {
        let d = date!(2023 - 09 - 04);
        assert!(broadcast_long_enough(d, date!(2023 - 09 - 06), 3));
        assert!(!broadcast_long_enough(d, date!(2023 - 09 - 05), 3));
        assert!(!broadcast_long_enough(d, date!(2023 - 09 - 01), 3));
        let cats = commune_categories();
        assert_eq!(cats.len(), 14);
        for c in &cats {
            let broadcast = (7..=12).contains(&c.item);
            assert_eq!(
                c.broadcast_days,
                if broadcast { 3 } else { 0 },
                "{}",
                c.code
            );
            assert_eq!(c.channels.contains(&Channel::Broadcast), broadcast);
            assert_eq!(c.min_days, 30, "R10 default");
        }
    }

    #[test]
    fn r11_budget_execution_recurs_quarterly_half_yearly_and_yearly() {
        let cats = commune_categories();
        let budget = &cats[1];
        let periods = budget.due_periods(2023);
        assert_eq!(periods.len(), 4 + 2 + 1);
        assert_eq!(periods[2].name_vi(), "quý III/2023");
        assert_eq!(periods[2].end(), Some(date!(2023 - 09 - 30)));
        assert_eq!(budget.due_on(&periods[2]), Some(date!(2023 - 10 - 05)));
        assert_eq!(periods[5].name_vi(), "6 tháng cuối năm 2023");
        assert_eq!(
            budget.due_on(&DuePeriod::Year { year: 2023 }),
            Some(date!(2024 - 01 - 05)),
            "a year's disclosure is due in the next year"
        );
        assert!(cats[0].due_periods(2023).is_empty());
        for p in periods {
            assert_eq!(DuePeriod::parse(&p.code()), Some(p));
        }
        assert_eq!(DuePeriod::parse("2023-Q5"), None);
        assert_eq!(DuePeriod::parse("abc"), None);
    }

    #[test]
    fn obligations_are_on_time_late_or_missing() {
        let due = date!(2023 - 10 - 05);
        let today = date!(2023 - 11 - 01);
        assert_eq!(
            compliance(due, Some(date!(2023 - 10 - 05)), today),
            Compliance::OnTime
        );
        assert_eq!(
            compliance(due, Some(date!(2023 - 10 - 06)), today),
            Compliance::Late
        );
        assert_eq!(compliance(due, None, today), Compliance::Missing);
        assert_eq!(
            compliance(due, None, date!(2023 - 10 - 05)),
            Compliance::Upcoming
        );
    }

    #[test]
    fn r46_channels_and_category_validity() {
        for c in Channel::ALL {
            assert_eq!(Channel::parse(c.code()), Some(c));
        }
        assert_eq!(Channel::parse("fax"), None);
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

    #[test]
    fn r46_agencies_disclose_under_their_own_list_and_forms() {
        let commune = Channel::for_scope(COMMUNE);
        let agency = Channel::for_scope(AGENCY);
        assert_eq!(commune.len(), 9, "Law Đ12 k1 (i)–(ix)");
        assert_eq!(agency.len(), 8, "PCTN 2018 Đ11 k1 a–h");
        assert!(
            agency.contains(&Channel::PressConference) && !agency.contains(&Channel::Broadcast)
        );
        assert!(!commune.contains(&Channel::PressConference));
        // Every channel belongs to at least one list, and codes are unique.
        for c in Channel::ALL {
            assert!(commune.contains(&c) || agency.contains(&c), "{c:?}");
        }
        let all = default_categories();
        let codes: std::collections::BTreeSet<_> = all.iter().map(|c| c.code.clone()).collect();
        assert_eq!(codes.len(), all.len());
        let budget = all
            .iter()
            .find(|c| c.code == "pctn-02")
            .map(|c| c.due_periods(2024).len());
        assert_eq!(budget, Some(7), "R11 by analogy for agencies");
        // PCTN Đ11 k2: one of b–g meets an agency's duty; a meeting alone does not.
        let agency = agency_categories().remove(0);
        let used = |ch| [(ch, None, None)];
        assert!(unmet_channels(&agency, &used(Channel::PressConference), true).is_empty());
        assert!(unmet_channels(&agency, &used(Channel::WrittenNotice), true).is_empty());
        assert_eq!(
            unmet_channels(&agency, &used(Channel::Meeting), true).len(),
            6
        );
        assert!(Channel::MassMedia.counts_as_posting(AGENCY));
        assert!(!Channel::MassMedia.counts_as_posting(COMMUNE));
        assert!(!Channel::Meeting.counts_as_posting(AGENCY));
        assert!(!Channel::OnRequest.counts_as_posting(AGENCY));
        for c in &all {
            assert!(
                c.channels
                    .iter()
                    .all(|ch| Channel::for_scope(&c.scope).contains(ch)),
                "{}",
                c.code
            );
            assert_eq!(c.applies_to("commune"), c.scope == COMMUNE);
            assert_eq!(c.applies_to("public_unit"), c.scope == AGENCY);
            assert!(!c.applies_to("village") && !c.applies_to("district"));
        }
    }

    #[test]
    fn r7_r36_required_forms_and_the_broadcast_minimum() {
        let cats = commune_categories();
        // R36: complaint results (item 8) go on the board, the portal, the loudspeakers
        // for 3 days and through the heads of thôn.
        let complaints = &cats[7];
        assert_eq!(complaints.item, 8);
        let d = |day| Some(date!(2023 - 10 - 01) + Duration::days(day));
        let board = (Channel::NoticeBoard, d(0), None);
        let portal = (Channel::Portal, d(0), None);
        let heads = (Channel::CommunityHeads, d(1), d(1));
        let bc = |a, b| (Channel::Broadcast, d(a), d(b));
        assert_eq!(
            unmet_channels(complaints, &[board, portal, heads, bc(0, 2)], true),
            vec![],
            "three consecutive days"
        );
        assert_eq!(
            unmet_channels(complaints, &[board, portal, heads, bc(0, 1)], true),
            vec![Channel::Broadcast],
            "two days are not enough"
        );
        assert_eq!(
            unmet_channels(
                complaints,
                &[board, portal, heads, bc(0, 0), bc(1, 2)],
                true
            ),
            vec![],
            "day 1 then days 2–3 are three consecutive days"
        );
        assert_eq!(
            unmet_channels(
                complaints,
                &[board, portal, heads, bc(0, 0), bc(2, 3)],
                true
            ),
            vec![Channel::Broadcast],
            "a gap breaks the run"
        );
        assert_eq!(
            unmet_channels(complaints, &[board, (Channel::Broadcast, d(0), None)], true),
            vec![Channel::Portal, Channel::Broadcast, Channel::CommunityHeads],
            "an open-ended broadcast proves nothing yet"
        );
        // R7 "nếu có": a commune without loudspeakers is not asked to broadcast.
        assert_eq!(
            unmet_channels(complaints, &[board, portal, heads], false),
            vec![]
        );
        // Item 4 needs only the board and the portal.
        assert!(unmet_channels(&cats[3], &[board, portal], true).is_empty());
    }

    #[test]
    fn r8_heads_of_thon_reached_and_how() {
        for m in HouseholdMethod::ALL {
            assert_eq!(HouseholdMethod::parse(m.code()), Some(m));
        }
        assert_eq!(HouseholdMethod::parse("fax"), None);
        let notice = |hamlet: &str| HeadNotice {
            hamlet: hamlet.into(),
            head_name: String::new(),
            notified_on: "2023-10-03".into(),
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
