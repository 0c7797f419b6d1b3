//! Sign-in backoff: after repeated failures an account (or an address) must wait, and
//! the wait doubles with each further failure.

/// Failures allowed before the first wait.
pub const FREE_FAILURES: i64 = 5;
/// The first wait, in seconds.
pub const BASE_WAIT_S: i64 = 30;
/// The longest wait, in seconds.
pub const MAX_WAIT_S: i64 = 15 * 60;

/// Seconds to wait after `failures` consecutive failures.
pub fn backoff_secs(failures: i64) -> i64 {
    if failures < FREE_FAILURES {
        return 0;
    }
    let doublings = (failures - FREE_FAILURES).min(20) as u32;
    (BASE_WAIT_S.saturating_mul(1i64 << doublings)).min(MAX_WAIT_S)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_start_after_five_failures_and_double() {
        assert_eq!(backoff_secs(0), 0);
        assert_eq!(backoff_secs(4), 0);
        assert_eq!(backoff_secs(5), 30);
        assert_eq!(backoff_secs(6), 60);
        assert_eq!(backoff_secs(7), 120);
        assert_eq!(backoff_secs(100), MAX_WAIT_S);
    }
}
