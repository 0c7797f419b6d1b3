//! Paged lists: every list the API returns comes a page at a time (`?trang=N`, from 1),
//! with `total`, `page` and `per_page` beside it. A page past the last one is empty; a
//! page number is bounded so no request asks for a huge offset.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// The highest page number read; larger ones are read as this.
pub const MAX_PAGE: i64 = 100_000;

/// `?trang=N`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Trang cần lấy, từ 1 (mặc định 1).
    #[param(minimum = 1)]
    #[serde(default)]
    pub trang: Option<i64>,
}

impl PageQuery {
    pub fn page(&self) -> i64 {
        self.trang.unwrap_or(1).clamp(1, MAX_PAGE)
    }

    /// Rows to skip for this page.
    pub fn offset(&self, per_page: i64) -> i64 {
        (self.page() - 1) * per_page
    }

    /// The page of `items` (the whole list, already in order) and its total.
    pub fn slice<T>(&self, items: Vec<T>, per_page: i64) -> (i64, Vec<T>) {
        let total = items.len() as i64;
        let skip = usize::try_from(self.offset(per_page)).unwrap_or(usize::MAX);
        let take = usize::try_from(per_page).unwrap_or(0);
        (total, items.into_iter().skip(skip).take(take).collect())
    }
}

/// Where a page is in its list.
#[derive(Debug, Serialize, ToSchema)]
pub struct PageInfo {
    /// How many there are in all.
    pub total: i64,
    /// This page, from 1.
    pub page: i64,
    /// At most this many on a page.
    pub per_page: i64,
}

impl PageInfo {
    pub fn new(q: &PageQuery, total: i64, per_page: i64) -> PageInfo {
        PageInfo {
            total,
            page: q.page(),
            per_page,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_bounded_slices() {
        let q = |trang| PageQuery { trang };
        assert_eq!(q(None).slice(vec![1, 2, 3], 2), (3, vec![1, 2]));
        assert_eq!(q(Some(2)).slice(vec![1, 2, 3], 2), (3, vec![3]));
        assert_eq!(q(Some(9)).slice(vec![1, 2, 3], 2), (3, vec![]));
        assert_eq!(q(Some(-5)).page(), 1);
        assert_eq!(q(Some(i64::MAX)).page(), MAX_PAGE);
    }
}
