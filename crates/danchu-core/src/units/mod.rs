//! Administrative units: their kinds and how the national lists name them.

mod check;

pub use check::refusals;

use serde::{Deserialize, Serialize};

/// The kind of an administrative unit or of an organisation that belongs to one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    /// tỉnh / thành phố trực thuộc trung ương
    Province,
    /// huyện / quận / thị xã / thành phố thuộc tỉnh
    District,
    /// xã / phường / thị trấn / đặc khu
    Commune,
    /// thôn / ấp / khu phố / tổ dân phố
    Village,
    /// cơ quan (an office such as Phòng Nội vụ)
    Agency,
    /// đơn vị sự nghiệp công lập
    PublicUnit,
}

impl UnitKind {
    pub const ALL: [UnitKind; 6] = [
        UnitKind::Province,
        UnitKind::District,
        UnitKind::Commune,
        UnitKind::Village,
        UnitKind::Agency,
        UnitKind::PublicUnit,
    ];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            UnitKind::Province => "province",
            UnitKind::District => "district",
            UnitKind::Commune => "commune",
            UnitKind::Village => "village",
            UnitKind::Agency => "agency",
            UnitKind::PublicUnit => "public_unit",
        }
    }

    pub fn from_code(code: &str) -> Option<UnitKind> {
        UnitKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// Vietnamese label.
    pub fn label_vi(self) -> &'static str {
        match self {
            UnitKind::Province => "Tỉnh/thành phố trực thuộc TW",
            UnitKind::District => "Huyện/thị xã/thành phố",
            UnitKind::Commune => "Xã/phường/thị trấn/đặc khu",
            UnitKind::Village => "Thôn/ấp/khu phố",
            UnitKind::Agency => "Cơ quan",
            UnitKind::PublicUnit => "Đơn vị sự nghiệp",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            UnitKind::Province => "Province/centrally-run city",
            UnitKind::District => "District/town/provincial city",
            UnitKind::Commune => "Commune/ward/township/special zone",
            UnitKind::Village => "Village/hamlet/neighbourhood",
            UnitKind::Agency => "Agency",
            UnitKind::PublicUnit => "Public service unit",
        }
    }

    /// How many digits the national list (GSO) gives a code at this level: province 2,
    /// district 3, commune 5. `None` for kinds without a GSO level (thôn/ấp/tổ dân phố,
    /// agencies, public units), whose codes are our own and free-form.
    pub fn code_width(self) -> Option<usize> {
        match self {
            UnitKind::Province => Some(2),
            UnitKind::District => Some(3),
            UnitKind::Commune => Some(5),
            UnitKind::Village | UnitKind::Agency | UnitKind::PublicUnit => None,
        }
    }

    /// The level's short Vietnamese name, used in messages about codes.
    pub fn level_vi(self) -> &'static str {
        match self {
            UnitKind::Province => "tỉnh",
            UnitKind::District => "huyện",
            UnitKind::Commune => "xã",
            UnitKind::Village => "thôn/ấp/tổ dân phố",
            UnitKind::Agency => "cơ quan",
            UnitKind::PublicUnit => "đơn vị sự nghiệp",
        }
    }

    /// The kinds that have a GSO level, from the top.
    pub const GSO_LEVELS: [UnitKind; 3] =
        [UnitKind::Province, UnitKind::District, UnitKind::Commune];

    /// Reads a kind from either our code or the Vietnamese `division_type` used by the
    /// national lists ("tỉnh", "thành phố trung ương", "huyện", "xã", "phường", "đặc khu", …).
    /// `level` says where in a nested file the entry stands (0 = top), used only to tell
    /// a "thành phố" under a province (a district-level city) from a centrally-run one.
    pub fn parse(s: &str, level: usize) -> Option<UnitKind> {
        if let Some(k) = UnitKind::from_code(s.trim()) {
            return Some(k);
        }
        let f = crate::text::fold(s);
        let f = f.as_str();
        let starts = |p: &str| f == p || f.starts_with(&format!("{p} "));
        if starts("tinh") || f.contains("trung uong") || (level == 0 && starts("thanh pho")) {
            Some(UnitKind::Province)
        } else if starts("huyen") || starts("quan") || starts("thi xa") || starts("thanh pho") {
            Some(UnitKind::District)
        } else if starts("xa") || starts("phuong") || starts("thi tran") || starts("dac khu") {
            Some(UnitKind::Commune)
        } else if starts("thon")
            || starts("ap")
            || starts("khu pho")
            || starts("to dan pho")
            || starts("ban")
            || starts("bon")
            || starts("khom")
        {
            Some(UnitKind::Village)
        } else if starts("co quan") || starts("phong") || starts("van phong") {
            Some(UnitKind::Agency)
        } else if starts("don vi su nghiep") {
            Some(UnitKind::PublicUnit)
        } else {
            None
        }
    }
}

/// Whether a unit is in force on a date (`yyyy-mm-dd`; bounds inclusive).
pub fn in_force(valid_from: Option<&str>, valid_to: Option<&str>, on: &str) -> bool {
    valid_from.is_none_or(|f| f <= on) && valid_to.is_none_or(|t| on <= t)
}

/// Checks a unit code: 1–32 characters of ASCII letters, digits, `-`, `_` or `.`.
pub fn valid_code(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= 32
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// Why a code was refused by [`normal_code`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeError {
    /// Not 1–32 characters of ASCII letters, digits, `-`, `_` or `.`.
    Invalid,
    /// A number with more significant digits than its level has.
    TooLong { kind: UnitKind, width: usize },
}

impl CodeError {
    /// The reason in Vietnamese, naming the code.
    pub fn message_vi(&self, code: &str) -> String {
        match self {
            CodeError::Invalid => {
                "Mã đơn vị chỉ gồm chữ không dấu, số, '-', '_' hoặc '.', tối đa 32 ký tự."
                    .to_string()
            }
            CodeError::TooLong { kind, width } => format!(
                "Mã {code} dài hơn {width} chữ số của mã cấp {} (bảng mã đơn vị hành chính: \
                 tỉnh 2 chữ số, huyện 3, xã 5).",
                kind.level_vi()
            ),
        }
    }
}

/// A unit's code as it is stored. Codes are numbered per level by the national list
/// (GSO): province 4 (Cao Bằng) and ward 4 (Phường Ba Đình) are different units. A code
/// of digits only at a GSO level is therefore written with that level's width, padded
/// with zeros (`4` → `04` for a province, `00004` for a commune; leading zeros do not
/// count, so `004` for a province is `04` too); a number with more significant digits
/// than its level has is refused. Other codes (free-form kinds, or codes with letters)
/// are kept as given, trimmed.
pub fn normal_code(kind: UnitKind, code: &str) -> Result<String, CodeError> {
    let code = code.trim();
    if !valid_code(code) {
        return Err(CodeError::Invalid);
    }
    match kind.code_width() {
        Some(width) if code.bytes().all(|b| b.is_ascii_digit()) => {
            let digits = code.trim_start_matches('0');
            if digits.len() > width {
                Err(CodeError::TooLong { kind, width })
            } else {
                Ok(format!("{digits:0>width$}"))
            }
        }
        _ => Ok(code.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_division_types_of_national_lists() {
        assert_eq!(UnitKind::parse("Tỉnh", 0), Some(UnitKind::Province));
        assert_eq!(
            UnitKind::parse("thành phố trung ương", 0),
            Some(UnitKind::Province)
        );
        assert_eq!(UnitKind::parse("Thành phố", 0), Some(UnitKind::Province));
        assert_eq!(UnitKind::parse("Thành phố", 1), Some(UnitKind::District));
        assert_eq!(UnitKind::parse("huyện", 1), Some(UnitKind::District));
        assert_eq!(UnitKind::parse("xã", 1), Some(UnitKind::Commune));
        assert_eq!(UnitKind::parse("phường", 2), Some(UnitKind::Commune));
        assert_eq!(UnitKind::parse("Thị trấn", 2), Some(UnitKind::Commune));
        assert_eq!(UnitKind::parse("đặc khu", 1), Some(UnitKind::Commune));
        assert_eq!(UnitKind::parse("commune", 5), Some(UnitKind::Commune));
        assert_eq!(UnitKind::parse("ấp", 3), Some(UnitKind::Village));
        assert_eq!(UnitKind::parse("galaxy", 0), None);
        // "xa" must not match "xã hội"-like longer words by prefix without a space.
        assert_eq!(UnitKind::parse("xahoi", 0), None);
    }

    #[test]
    fn unit_in_force_between_its_dates() {
        assert!(in_force(None, None, "2025-07-01"));
        assert!(in_force(
            Some("2020-01-01"),
            Some("2025-06-30"),
            "2025-06-30"
        ));
        assert!(!in_force(
            Some("2020-01-01"),
            Some("2025-06-30"),
            "2025-07-01"
        ));
        assert!(!in_force(Some("2026-01-01"), None, "2025-07-01"));
    }

    #[test]
    fn unit_codes() {
        assert!(valid_code("25792"));
        assert!(valid_code("721-PNV"));
        assert!(!valid_code(""));
        assert!(!valid_code("../etc"));
        assert!(!valid_code("a b"));
        assert!(!valid_code(&"9".repeat(33)));
    }

    #[test]
    fn gso_codes_are_padded_to_their_level() {
        assert_eq!(normal_code(UnitKind::Province, "4").as_deref(), Ok("04"));
        assert_eq!(normal_code(UnitKind::Province, " 04 ").as_deref(), Ok("04"));
        assert_eq!(normal_code(UnitKind::Province, "004").as_deref(), Ok("04"));
        assert_eq!(normal_code(UnitKind::District, "4").as_deref(), Ok("004"));
        assert_eq!(normal_code(UnitKind::Commune, "4").as_deref(), Ok("00004"));
        assert_eq!(
            normal_code(UnitKind::Commune, "25792").as_deref(),
            Ok("25792")
        );
        assert_eq!(normal_code(UnitKind::Commune, "0").as_deref(), Ok("00000"));
    }

    #[test]
    fn gso_code_longer_than_its_level_is_refused() {
        assert_eq!(
            normal_code(UnitKind::Province, "100"),
            Err(CodeError::TooLong {
                kind: UnitKind::Province,
                width: 2
            })
        );
        assert!(normal_code(UnitKind::District, "1000").is_err());
        assert!(normal_code(UnitKind::Commune, "123456").is_err());
        let m = CodeError::TooLong {
            kind: UnitKind::Province,
            width: 2,
        }
        .message_vi("100");
        assert!(m.contains("Mã 100") && m.contains("2 chữ số"), "{m}");
    }

    #[test]
    fn free_form_codes_are_kept() {
        assert_eq!(normal_code(UnitKind::Village, "4").as_deref(), Ok("4"));
        assert_eq!(normal_code(UnitKind::Agency, "0012").as_deref(), Ok("0012"));
        assert_eq!(
            normal_code(UnitKind::Province, "74-X").as_deref(),
            Ok("74-X")
        );
        assert_eq!(
            normal_code(UnitKind::Province, "../x"),
            Err(CodeError::Invalid)
        );
    }
}
