//! Portal rules: what counts as a visit, calendar boundaries of the visitor statistics,
//! pagination; what an article and a banner may
//! be (`article`, `banner`).

mod article;
mod banner;

pub use article::{refusals as article_refusals, title_error, ArticleInput};
pub use banner::{name_error, refusals as banner_refusals, BannerInput, URL_ERROR};

use time::Date;

/// Obvious robots are not counted: an empty user agent, or one naming a crawler, a
/// monitoring probe or a command-line client.
pub fn is_bot(user_agent: &str) -> bool {
    let ua = user_agent.to_ascii_lowercase();
    ua.trim().is_empty()
        || [
            "bot",
            "crawl",
            "spider",
            "slurp",
            "curl",
            "wget",
            "python-requests",
            "httpclient",
            "go-http-client",
            "java/",
            "libwww",
            "headless",
            "monitor",
            "uptime",
            "preview",
            "facebookexternalhit",
            "wrk",
            "apachebench",
            "okhttp",
            "axios",
            "node-fetch",
        ]
        .iter()
        .any(|p| ua.contains(p))
}

/// The Monday of the week containing `d` (Vietnamese weeks start on Monday).
pub fn week_start(d: Date) -> Date {
    let back = d.weekday().number_days_from_monday() as i64;
    d.checked_sub(time::Duration::days(back)).unwrap_or(d)
}

/// The first day of the month containing `d`.
pub fn month_start(d: Date) -> Date {
    d.replace_day(1).unwrap_or(d)
}

/// Number of pages for `total` items, `per_page` a page (at least one page).
pub fn page_count(total: i64, per_page: i64) -> i64 {
    if per_page <= 0 {
        return 1;
    }
    ((total + per_page - 1) / per_page).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn bots_are_recognised() {
        assert!(is_bot(""));
        assert!(is_bot("Mozilla/5.0 (compatible; Googlebot/2.1)"));
        assert!(is_bot("curl/8.0"));
        assert!(is_bot("Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/120"));
        assert!(!is_bot("Mozilla/5.0 (Linux; Android 10; SM-A105F) AppleWebKit/537.36 Chrome/120 Mobile Safari/537.36"));
        assert!(!is_bot(
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Safari/604.1"
        ));
    }

    #[test]
    fn weeks_start_on_monday_and_months_on_the_first() {
        // 25/11/2026 is a Wednesday.
        assert_eq!(week_start(date!(2026 - 11 - 25)), date!(2026 - 11 - 23));
        assert_eq!(week_start(date!(2026 - 11 - 23)), date!(2026 - 11 - 23));
        assert_eq!(week_start(date!(2026 - 11 - 29)), date!(2026 - 11 - 23));
        // A week may start in the previous month (and year).
        assert_eq!(week_start(date!(2027 - 01 - 01)), date!(2026 - 12 - 28));
        assert_eq!(month_start(date!(2026 - 11 - 25)), date!(2026 - 11 - 01));
    }

    #[test]
    fn pages() {
        assert_eq!(page_count(0, 10), 1);
        assert_eq!(page_count(10, 10), 1);
        assert_eq!(page_count(11, 10), 2);
    }
}
