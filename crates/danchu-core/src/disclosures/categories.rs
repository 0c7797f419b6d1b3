//! The register's categories: the communes' list (Law 10/2022 Đ11) and the agencies' list
//! (Luật PCTN 2018), with their required forms, posting periods and recurrence.

use serde::{Deserialize, Serialize};
use time::{Date, Duration};

use super::{scope_of, Channel, DuePeriod, Every, AGENCY, COMMUNE};

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::disclosures::unmet_channels;
    use time::macros::date;

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
}
