//! Page numbers of a long list (`?trang=N`), shared by every paged page (the template
//! `pager.html` shows them).

/// Where a list is and how to reach its other pages.
#[derive(Debug, Clone)]
pub struct Pager {
    /// The page shown, from 1.
    pub page: i64,
    /// How many pages there are (at least 1).
    pub pages: i64,
    pub per_page: i64,
    /// The list's address with its other query parameters, ready for `trang=`.
    base: String,
}

/// Most pages a list links to: a page number past this is clamped (no huge offsets).
const MAX_PAGES: i64 = 100_000;

impl Pager {
    /// `requested` is the page asked for (clamped to the pages there are); `base` is the
    /// path with any other query parameters (URL-encoded), e.g. `/tim-kiem?q=x`.
    pub fn new(requested: Option<i64>, total: i64, per_page: i64, base: &str) -> Pager {
        let per_page = per_page.max(1);
        let (page, pages) = Pager::page_of(requested, total, per_page);
        let sep = if base.contains('?') { "&" } else { "?" };
        Pager {
            page,
            pages,
            per_page,
            base: format!("{base}{sep}"),
        }
    }

    /// The page shown for `requested` among `total` rows (the first when none is asked or
    /// below 1, the last when past the end) and how many pages there are (at least 1).
    pub fn page_of(requested: Option<i64>, total: i64, per_page: i64) -> (i64, i64) {
        let per_page = per_page.max(1);
        let pages =
            (total.max(0) / per_page + i64::from(total.max(0) % per_page != 0)).clamp(1, MAX_PAGES);
        (requested.unwrap_or(1).clamp(1, pages), pages)
    }

    /// The page number a query string asks for (`trang=`), read leniently: anything but a
    /// number is no page (the first), a number too long for an integer is past the end.
    pub fn requested(raw: &str) -> Option<i64> {
        let raw = raw.trim();
        raw.parse::<i64>().ok().or_else(|| {
            (!raw.is_empty() && raw.bytes().all(|b| b.is_ascii_digit())).then_some(i64::MAX)
        })
    }

    /// Rows to skip for this page.
    pub fn offset(&self) -> i64 {
        (self.page - 1) * self.per_page
    }

    /// The address of page `n`.
    pub fn href(&self, n: &i64) -> String {
        format!("{}trang={n}", self.base)
    }

    pub fn prev(&self) -> Option<i64> {
        (self.page > 1).then(|| self.page - 1)
    }

    pub fn next(&self) -> Option<i64> {
        (self.page < self.pages).then(|| self.page + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_counted_and_clamped() {
        let p = Pager::new(Some(2), 77, 20, "/tim-kiem?q=cong%20khai");
        assert_eq!((p.page, p.pages, p.offset()), (2, 4, 20));
        assert_eq!(p.href(&3), "/tim-kiem?q=cong%20khai&trang=3");
        assert_eq!((p.prev(), p.next()), (Some(1), Some(3)));
        let p = Pager::new(Some(99), 77, 20, "/x");
        assert_eq!((p.page, p.href(&1).as_str()), (4, "/x?trang=1"));
        let p = Pager::new(Some(-5), 0, 20, "/x");
        assert_eq!((p.page, p.pages, p.next()), (1, 1, None));
        let p = Pager::new(Some(i64::MAX), i64::MAX, 20, "/x");
        assert_eq!((p.page, p.pages), (100_000, 100_000));
        assert_eq!(Pager::page_of(None, 40, 20), (1, 2));
        assert_eq!(Pager::page_of(Some(3), 41, 20), (3, 3));
    }

    #[test]
    fn page_numbers_are_read_leniently() {
        assert_eq!(Pager::requested("2"), Some(2));
        assert_eq!(Pager::requested(" 3 "), Some(3));
        assert_eq!(Pager::requested("-1"), Some(-1));
        assert_eq!(Pager::requested("99999999999999999999"), Some(i64::MAX));
        for bad in ["", "abc", "1e3", "2.5", "\u{FFFD}", "-"] {
            assert_eq!(Pager::requested(bad), None, "{bad:?}");
        }
    }
}
