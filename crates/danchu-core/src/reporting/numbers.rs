//! Numbers written the Vietnamese way: `1.414` is a thousand four hundred and fourteen,
//! `12,5` is twelve and a half.

/// Reads a whole number written the Vietnamese way: `1.414`, `1414`, `1 414`, `-3`.
pub fn parse_integer(s: &str) -> Option<i64> {
    let t: String = s.trim().chars().filter(|c| !c.is_whitespace()).collect();
    let digits = t.strip_prefix('-').unwrap_or(&t);
    if digits.is_empty() {
        return None;
    }
    // Dots are thousands separators only in groups of three.
    if digits.contains('.') {
        let mut groups = digits.split('.');
        let first = groups.next()?;
        if first.is_empty() || first.len() > 3 || groups.any(|g| g.len() != 3) {
            return None;
        }
    }
    let clean: String = t.chars().filter(|c| *c != '.').collect();
    clean.parse().ok()
}

/// Reads a decimal written the Vietnamese way: `12,5`, `1.414,25`, or `12.5` when the
/// dot cannot be a thousands separator.
pub fn parse_decimal(s: &str) -> Option<f64> {
    let t: String = s.trim().chars().filter(|c| !c.is_whitespace()).collect();
    if t.is_empty() {
        return None;
    }
    let normalised = if t.contains(',') {
        // Comma is the decimal mark; dots group thousands.
        let (int, frac) = t.split_once(',')?;
        if frac.contains([',', '.']) {
            return None;
        }
        format!("{}.{frac}", parse_integer(int)?)
    } else if let Some(n) = parse_integer(&t) {
        n.to_string()
    } else {
        t
    };
    let x: f64 = normalised.parse().ok()?;
    x.is_finite().then_some(x)
}

/// A number as Vietnamese officials write it: `1.414`, `12,5`, `33,33`.
pub fn format_value(x: f64) -> String {
    if (x - x.round()).abs() < 1e-9 {
        return crate::text::format_number(x.round() as i64);
    }
    let rounded = (x * 100.0).round() / 100.0;
    let int = rounded.trunc() as i64;
    let frac = ((rounded - int as f64).abs() * 100.0).round() as i64;
    let sign = if rounded < 0.0 && int == 0 { "-" } else { "" };
    let frac = format!("{frac:02}");
    format!(
        "{sign}{},{}",
        crate::text::format_number(int),
        frac.trim_end_matches('0')
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_numbers_are_read_and_written() {
        assert_eq!(parse_integer("1.414"), Some(1414));
        assert_eq!(parse_integer("1 414"), Some(1414));
        assert_eq!(parse_integer("-3"), Some(-3));
        assert_eq!(parse_integer("1.41"), None, "not a thousands group");
        assert_eq!(parse_integer("12,5"), None);
        assert_eq!(parse_integer("abc"), None);
        assert_eq!(parse_decimal("12,5"), Some(12.5));
        assert_eq!(parse_decimal("1.414,25"), Some(1414.25));
        assert_eq!(parse_decimal("12.5"), Some(12.5));
        assert_eq!(parse_decimal("1.414"), Some(1414.0));
        assert_eq!(parse_decimal("1e400"), None, "not finite");
        assert_eq!(format_value(1414.0), "1.414");
        assert_eq!(format_value(12.5), "12,5");
        assert_eq!(format_value(100.0 / 3.0), "33,33");
        assert_eq!(format_value(-0.5), "-0,5");
    }
}
