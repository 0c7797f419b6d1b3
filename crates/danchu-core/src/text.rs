//! Vietnamese text: NFC storage, a folded search key, slugs, and number/date formats
//! (see DESIGN.md "Vietnamese text rules").

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Normalises text to NFC, the form danchu stores.
pub fn nfc(s: &str) -> String {
    s.nfc().collect()
}

/// The folded key used to compare and search: NFD, combining marks dropped,
/// `đ` → `d`, lowercase, whitespace collapsed. Old and new tone placement
/// (`hoà`/`hòa`) fold to the same key because the marks are dropped.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        fold_char(c, &mut out);
    }
    out
}

/// ASCII base letters of U+00C0..=U+01B0 (Latin-1, Latin Extended-A/B up to `ư`), `\0`
/// where there is none. Generated from Unicode decompositions.
const FOLD_LATIN: &[u8; 241] = b"aaaaaa\0ceeeeiiii\0nooooo\0\0uuuuy\0\0aaaaaa\0ceeeeiiii\0nooooo\0\0uuuuy\0yaaaaaaccccccccddddeeeeeeeeeegggggggghh\0\0iiiiiiiii\0\0\0jjkk\0llllll\0\0\0\0nnnnnn\0\0\0oooooo\0\0rrrrrrsssssssstttt\0\0uuuuuuuuuuuuwwyyyzzzzzz\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0oo\0\0\0\0\0\0\0\0\0\0\0\0\0uu";
/// ASCII base letters of U+1EA0..=U+1EF9 (Vietnamese letters with two marks).
const FOLD_VIET: &[u8; 90] =
    b"aaaaaaaaaaaaaaaaaaaaaaaaeeeeeeeeeeeeeeeeiiiioooooooooooooooooooooooouuuuuuuuuuuuuuyyyyyyyy";

/// Whether `c` is a Latin letter with diacritics that folds to an ASCII letter (a fast
/// answer for the Vietnamese alphabet).
pub(crate) fn is_latin_letter(c: char) -> bool {
    match c as u32 {
        n @ 0xC0..=0x1B0 => FOLD_LATIN.get(n as usize - 0xC0).is_some_and(|b| *b != 0),
        n @ 0x1EA0..=0x1EF9 => FOLD_VIET.get(n as usize - 0x1EA0).is_some_and(|b| *b != 0),
        _ => false,
    }
}

/// Folds one character onto `out` (ASCII fast path; otherwise its canonical
/// decomposition without the marks, `đ` → `d`, lower-cased).
pub(crate) fn fold_char(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    let table = match c as u32 {
        n @ 0xC0..=0x1B0 => FOLD_LATIN.get(n as usize - 0xC0),
        n @ 0x1EA0..=0x1EF9 => FOLD_VIET.get(n as usize - 0x1EA0),
        _ => None,
    };
    if let Some(&b) = table.filter(|b| **b != 0) {
        out.push(b as char);
        return;
    }
    unicode_normalization::char::decompose_canonical(c, |d| {
        if !is_combining_mark(d) {
            out.extend(d.to_lowercase());
        }
    });
}

/// A URL slug from a Vietnamese title: folded, ASCII letters and digits, `-` between words.
/// "Kế hoạch thực hiện Quy chế dân chủ" → "ke-hoach-thuc-hien-quy-che-dan-chu".
pub fn slugify(s: &str) -> String {
    let mut out = String::new();
    for c in fold(s).chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// Formats an integer the Vietnamese way: `.` between thousands (3.848.496).
pub fn format_number(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// Vietnam's offset from UTC (Asia/Ho_Chi_Minh has no daylight saving time).
pub const VN_OFFSET: time::UtcOffset = match time::UtcOffset::from_hms(7, 0, 0) {
    Ok(o) => o,
    Err(_) => time::UtcOffset::UTC,
};

/// A unix timestamp (seconds) as `dd/mm/yyyy HH:MM` in Vietnam time.
pub fn format_datetime(unix: i64) -> String {
    vn_time(unix, |t| {
        format!(
            "{:02}/{:02}/{:04} {:02}:{:02}",
            t.day(),
            u8::from(t.month()),
            t.year(),
            t.hour(),
            t.minute()
        )
    })
}

/// A unix timestamp (seconds) in Vietnam time, shown by `show`; empty when it is not a
/// time `time` can hold.
fn vn_time(unix: i64, show: impl Fn(time::OffsetDateTime) -> String) -> String {
    time::OffsetDateTime::from_unix_timestamp(unix)
        .map(|t| show(t.to_offset(VN_OFFSET)))
        .unwrap_or_default()
}

/// A unix timestamp (seconds) as the Vietnam calendar date `dd/mm/yyyy`.
pub fn format_date_unix(unix: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(unix)
        .map(|t| format_date(t.to_offset(VN_OFFSET).date()))
        .unwrap_or_default()
}

/// A unix timestamp as RFC 2822 (RSS `pubDate`), in Vietnam time.
pub fn format_rfc2822(unix: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| {
            t.to_offset(VN_OFFSET)
                .format(&time::format_description::well_known::Rfc2822)
                .ok()
        })
        .unwrap_or_default()
}

/// A unix timestamp as RFC 3339 (`<time datetime>`, sitemaps), in Vietnam time.
pub fn format_rfc3339(unix: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| {
            t.to_offset(VN_OFFSET)
                .format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

/// A date as `dd/mm/yyyy`.
pub fn format_date(d: time::Date) -> String {
    format!("{:02}/{:02}/{:04}", d.day(), u8::from(d.month()), d.year())
}

/// Parses `yyyy-mm-dd` (the storage and HTML form format) or `dd/mm/yyyy`.
pub fn parse_date(s: &str) -> Option<time::Date> {
    let s = s.trim();
    let (y, m, d) = if let Some((d, rest)) = s.split_once('/') {
        let (m, y) = rest.split_once('/')?;
        (y, m, d)
    } else {
        let mut it = s.splitn(3, '-');
        (it.next()?, it.next()?, it.next()?)
    };
    let y: i32 = y.parse().ok()?;
    let m: u8 = m.parse().ok()?;
    let d: u8 = d.parse().ok()?;
    time::Date::from_calendar_date(y, time::Month::try_from(m).ok()?, d).ok()
}

/// Parses a date and time in Vietnam time: `dd/mm/yyyy HH:MM`, `yyyy-mm-ddTHH:MM` (the
/// HTML `datetime-local` field) or a date alone (00:00). Returns unix seconds.
pub fn parse_datetime_vn(s: &str) -> Option<i64> {
    let s = s.trim();
    let (d, t) = match s.split_once(['T', ' ']) {
        Some((d, t)) => (d, t.trim()),
        None => (s, "00:00"),
    };
    let date = parse_date(d)?;
    let mut parts = t.splitn(3, ':');
    let h: u8 = parts.next()?.parse().ok()?;
    let m: u8 = parts.next().unwrap_or("0").parse().ok()?;
    let time = time::Time::from_hms(h, m, 0).ok()?;
    Some(
        time::PrimitiveDateTime::new(date, time)
            .assume_offset(VN_OFFSET)
            .unix_timestamp(),
    )
}

/// A unix time as the value of an HTML `datetime-local` field, in Vietnam time.
pub fn datetime_local(unix: i64) -> String {
    vn_time(unix, |t| {
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute()
        )
    })
}

/// Formats a date for storage (`yyyy-mm-dd`), which sorts correctly as text.
/// Midnight in Vietnam of a date (`yyyy-mm-dd` or `dd/mm/yyyy`), in unix seconds.
pub fn day_start_vn(day: &str) -> Option<i64> {
    parse_date(day).map(|d| d.midnight().assume_offset(VN_OFFSET).unix_timestamp())
}

/// The Vietnam date (`yyyy-mm-dd`) of a unix time.
pub fn iso_date_vn(unix: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(unix)
        .map(|t| iso_date(t.to_offset(VN_OFFSET).date()))
        .unwrap_or_default()
}

pub fn iso_date(d: time::Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// Days in JSON (the audit snapshot, API bodies built from rows) as they always read
/// when days were carried as text: `yyyy-mm-dd`, or empty for none. Used with
/// `#[serde(serialize_with = "…::day_text::…")]`; db re-exports it as `decode::day_text`.
pub mod day_text {
    use serde::Serializer;
    use time::Date;

    /// A day that is always there.
    pub fn required<S: Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::iso_date(*d))
    }

    /// A day that may be missing, as JSON `null` when it is.
    pub fn nullable<S: Serializer>(d: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.serialize_str(&super::iso_date(*d)),
            None => s.serialize_none(),
        }
    }

    /// A day that may be missing (empty text).
    pub fn optional<S: Serializer>(d: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&d.map(super::iso_date).unwrap_or_default())
    }
}

/// Vietnamese alphabetical order: a ă â b c d đ e ê … ; compares letters first,
/// then tones, so "Định An" sorts after "Dầu Tiếng" and before "Long Hòa".
pub fn vn_sort_key(s: &str) -> Vec<u32> {
    const ORDER: &str = "aăâbcdđeêghiklmnoôơpqrstuưvxy";
    let mut letters = Vec::new();
    let mut tones = Vec::new();
    for c in nfc(s).to_lowercase().chars() {
        // Split one precomposed letter into base (with its vowel-shape mark) and tone.
        let mut base = String::new();
        let mut tone = 0u32;
        for d in c.to_string().nfd() {
            match d {
                '\u{0300}' => tone = 2, // huyền
                '\u{0309}' => tone = 3, // hỏi
                '\u{0303}' => tone = 4, // ngã
                '\u{0301}' => tone = 5, // sắc
                '\u{0323}' => tone = 6, // nặng
                other => base.push(other),
            }
        }
        let base: String = base.nfc().collect();
        let mut chars = base.chars();
        let letter = chars.next().unwrap_or(c);
        let rank = ORDER
            .chars()
            .position(|o| o == letter)
            .map(|p| p as u32 + 1)
            .unwrap_or(1000 + letter as u32);
        letters.push(rank);
        tones.push(tone);
    }
    letters.push(0);
    letters.extend(tones);
    letters
}

/// Trims, NFC-normalises and drops control characters in a single-line field, and the
/// bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069) that can make a
/// name read differently from what it is ("gnp.exe" shown as "exe.png").
pub fn clean_line(s: &str) -> String {
    nfc(s.trim())
        .chars()
        .filter(|c| {
            !c.is_control() && !matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
        })
        .collect::<String>()
}

/// NFC text of a form field with the characters no field may hold taken out: control
/// characters other than tab and line breaks (NUL included) and the bidirectional
/// overrides and isolates. What is left goes on to the field's own checks, so a form with
/// such a character comes back with its typed text rather than being refused whole.
pub fn form_text(s: &str) -> String {
    nfc(s)
        .chars()
        .filter(|c| {
            let allowed = !c.is_control() || matches!(c, '\t' | '\n' | '\r');
            allowed && !matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
        })
        .collect()
}

#[cfg(test)]
mod tests {

    #[test]
    fn form_text_keeps_lines_and_drops_controls() {
        assert_eq!(
            super::form_text("A\u{0}B\u{202E}gnp.exe\r\nC\tD\u{7f}"),
            "ABgnp.exe\r\nC\tD"
        );
        assert_eq!(super::form_text("ho\u{0300}a"), "hòa");
    }

    #[test]
    fn vietnam_days_and_unix_times() {
        // 01/03/2023 00:00 in Vietnam is 28/02/2023 17:00 UTC.
        assert_eq!(day_start_vn("2023-03-01"), Some(1_677_603_600));
        assert_eq!(day_start_vn("01/03/2023"), Some(1_677_603_600));
        assert_eq!(day_start_vn("2023-02-30"), None);
        assert_eq!(iso_date_vn(1_677_603_600), "2023-03-01");
        assert_eq!(iso_date_vn(1_677_603_599), "2023-02-28");
    }

    #[test]
    fn the_fold_table_agrees_with_unicode_decomposition() {
        for c in (0xC0u32..=0x1B0)
            .chain(0x1EA0..=0x1EF9)
            .filter_map(char::from_u32)
        {
            let slow: String = if c == 'đ' || c == 'Đ' {
                "d".into()
            } else {
                c.nfd()
                    .filter(|d| !is_combining_mark(*d))
                    .flat_map(char::to_lowercase)
                    .collect()
            };
            let mut fast = String::new();
            fold_char(c, &mut fast);
            assert_eq!(fast, slow, "U+{:04X}", c as u32);
        }
    }

    use super::*;

    #[test]
    fn fold_ignores_case_diacritics_nfd_and_d() {
        let key = fold("Dầu Tiếng");
        assert_eq!(key, "dau tieng");
        assert_eq!(fold("DẦU TIẾNG"), key);
        assert_eq!(fold("dau tieng"), key);
        assert_eq!(fold(&"Dầu Tiếng".nfd().collect::<String>()), key);
        assert_eq!(fold("Định  An"), "dinh an");
        assert_eq!(fold("ĐỊNH AN"), "dinh an");
    }

    #[test]
    fn fold_treats_old_and_new_tone_placement_alike() {
        assert_eq!(fold("hoà"), fold("hòa"));
        assert_eq!(fold("thuỷ"), fold("thủy"));
        assert_eq!(fold("khoẻ"), fold("khỏe"));
        assert_ne!(fold("hoa"), fold("hoc"));
    }

    #[test]
    fn slug_from_vietnamese_title() {
        assert_eq!(
            slugify("Kế hoạch thực hiện Quy chế dân chủ"),
            "ke-hoach-thuc-hien-quy-che-dan-chu"
        );
        assert_eq!(slugify("  Đường  số 1 / 2023! "), "duong-so-1-2023");
        assert_eq!(slugify("<script>"), "script");
        assert_eq!(slugify("!!!"), "");
    }

    #[test]
    fn numbers_use_dots_for_thousands() {
        assert_eq!(format_number(1414), "1.414");
        assert_eq!(format_number(3848496), "3.848.496");
        assert_eq!(format_number(663), "663");
        assert_eq!(format_number(0), "0");
        assert_eq!(format_number(-1000), "-1.000");
    }

    #[test]
    fn dates_are_day_month_year_in_vietnam_time() {
        // 2023-03-09T17:30:00Z is 10/03/2023 00:30 in Vietnam.
        assert_eq!(format_datetime(1678383000), "10/03/2023 00:30");
        let d = parse_date("2023-03-10").unwrap();
        assert_eq!(format_date(d), "10/03/2023");
        assert_eq!(parse_date("10/03/2023"), Some(d));
        assert_eq!(iso_date(d), "2023-03-10");
        assert_eq!(parse_date("2023-02-30"), None);
        assert_eq!(parse_date("abc"), None);
    }

    #[test]
    fn vietnamese_alphabetical_order() {
        let mut names = vec![
            "Long Hòa",
            "Định An",
            "An Lập",
            "Dầu Tiếng",
            "Đ",
            "Minh Hòa",
            "Ân",
        ];
        names.sort_by_key(|n| vn_sort_key(n));
        assert_eq!(
            names,
            vec![
                "An Lập",
                "Ân",
                "Dầu Tiếng",
                "Đ",
                "Định An",
                "Long Hòa",
                "Minh Hòa"
            ]
        );
    }

    #[test]
    fn vietnam_date_times() {
        let t = parse_datetime_vn("10/03/2023 08:00").unwrap();
        assert_eq!(t, 1678410000);
        assert_eq!(parse_datetime_vn("2023-03-10T08:00"), Some(t));
        assert_eq!(datetime_local(t), "2023-03-10T08:00");
        assert_eq!(parse_datetime_vn("10/03/2023"), Some(t - 8 * 3600));
        assert_eq!(parse_datetime_vn("10/03/2023 25:00"), None);
        assert_eq!(parse_datetime_vn("hôm qua"), None);
    }

    #[test]
    fn feed_and_html_dates() {
        // 10/03/2023 08:00 in Vietnam.
        let t = 1678410000;
        assert_eq!(format_date_unix(t), "10/03/2023");
        assert_eq!(format_rfc2822(t), "Fri, 10 Mar 2023 08:00:00 +0700");
        assert_eq!(format_rfc3339(t), "2023-03-10T08:00:00+07:00");
    }

    #[test]
    fn clean_line_strips_controls_and_normalises() {
        let nfd: String = "Hòa\u{0007}".nfd().collect();
        assert_eq!(clean_line(&format!("  {nfd} ")), "Hòa");
        assert_eq!(
            clean_line("anh\u{202E}gnp.exe"),
            "anhgnp.exe",
            "bidi override"
        );
        assert_eq!(clean_line("a\u{2066}b\u{2069}"), "ab");
    }
}
