//! Notifications: the channels a message can go by, the check of an address, and how a
//! failed delivery is retried. A message is a row written in the same transaction as the
//! step that causes it (`danchu_db::outbox`); the outbox job delivers it.

use std::time::Duration;

/// How a message reaches its recipient. A new channel is an arm here: the delivery
/// adapters' match fails to compile until it has one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Channel {
    Email,
    Sms,
    /// Zalo Official Account message to a phone number that follows the OA.
    Zalo,
}

impl Channel {
    pub const ALL: [Channel; 3] = [Channel::Email, Channel::Sms, Channel::Zalo];

    pub fn code(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Sms => "sms",
            Channel::Zalo => "zalo",
        }
    }

    pub fn parse(code: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.code() == code)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Channel::Email => "Thư điện tử",
            Channel::Sms => "Tin nhắn SMS",
            Channel::Zalo => "Zalo",
        }
    }

    /// The recipient in the form this channel stores it, or why it is refused.
    pub fn recipient(self, raw: &str) -> Result<String, &'static str> {
        match self {
            Channel::Email => email(raw),
            Channel::Sms | Channel::Zalo => phone(raw),
        }
    }
}

/// Where a message stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Waiting for its due time (first try or a retry).
    Pending,
    /// Claimed by a node that is sending it; back to pending if the claim expires.
    Sending,
    Sent,
    /// Failed too often; waits for an administrator to retry it.
    Parked,
}

impl State {
    pub const ALL: [State; 4] = [State::Pending, State::Sending, State::Sent, State::Parked];

    pub fn code(self) -> &'static str {
        match self {
            State::Pending => "pending",
            State::Sending => "sending",
            State::Sent => "sent",
            State::Parked => "parked",
        }
    }

    pub fn parse(code: &str) -> Option<State> {
        State::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            State::Pending => "Chờ gửi",
            State::Sending => "Đang gửi",
            State::Sent => "Đã gửi",
            State::Parked => "Gửi không được",
        }
    }
}

/// How many failed tries park a message (a setting; this is its default).
pub const MAX_ATTEMPTS: u32 = 8;

/// How long to wait after the `attempt`-th failed try (1-based): 30 s, doubling, at most an
/// hour. Eight tries span about an hour and a half, long enough for a mail server's restart.
pub fn retry_delay(attempt: u32) -> Duration {
    let doublings = attempt.saturating_sub(1).min(7);
    Duration::from_secs(30u64 << doublings).min(Duration::from_secs(3600))
}

/// What happens after a failed try: wait and try again, or park.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterFailure {
    RetryIn(Duration),
    Park,
}

pub fn after_failure(attempts: u32, max_attempts: u32) -> AfterFailure {
    if attempts >= max_attempts.max(1) {
        AfterFailure::Park
    } else {
        AfterFailure::RetryIn(retry_delay(attempts))
    }
}

fn email(raw: &str) -> Result<String, &'static str> {
    let s = raw.trim();
    let Some((local, domain)) = s.rsplit_once('@') else {
        return Err("Địa chỉ thư điện tử phải có dạng ten@mien.vn.");
    };
    let ok_part = |p: &str| {
        !p.is_empty()
            && p.chars()
                .all(|c| c.is_ascii_graphic() && !"<>()[],;:\"\\@".contains(c))
    };
    if s.len() > 254 || !ok_part(local) || !ok_part(domain) || !domain.contains('.') {
        return Err("Địa chỉ thư điện tử phải có dạng ten@mien.vn.");
    }
    Ok(format!("{local}@{}", domain.to_ascii_lowercase()))
}

/// A Vietnamese mobile number as +84 and nine digits (`0912 345 678`, `+84912345678`,
/// `84-912-345-678` are one number).
fn phone(raw: &str) -> Result<String, &'static str> {
    let digits: String = raw
        .trim()
        .trim_start_matches('+')
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-'))
        .collect();
    let national = digits
        .strip_prefix("84")
        .or_else(|| digits.strip_prefix('0'))
        .unwrap_or("");
    if national.len() == 9
        && national.chars().all(|c| c.is_ascii_digit())
        && matches!(national.as_bytes()[0], b'3' | b'5' | b'7' | b'8' | b'9')
    {
        Ok(format!("+84{national}"))
    } else {
        Err("Số điện thoại di động gồm 10 chữ số, bắt đầu bằng 03, 05, 07, 08 hoặc 09.")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_parse_back() {
        crate::assert_codes(&Channel::ALL, Channel::code, Channel::parse, "fax");
        crate::assert_codes(&State::ALL, State::code, State::parse, "Sent");
    }

    #[test]
    fn retries_back_off_then_park() {
        assert_eq!(retry_delay(1), Duration::from_secs(30));
        assert_eq!(retry_delay(2), Duration::from_secs(60));
        assert_eq!(retry_delay(5), Duration::from_secs(480));
        assert_eq!(retry_delay(8), Duration::from_secs(3600));
        assert_eq!(retry_delay(40), Duration::from_secs(3600));
        assert_eq!(retry_delay(0), Duration::from_secs(30));
        assert_eq!(
            after_failure(1, MAX_ATTEMPTS),
            AfterFailure::RetryIn(Duration::from_secs(30))
        );
        assert_eq!(
            after_failure(7, MAX_ATTEMPTS),
            AfterFailure::RetryIn(retry_delay(7))
        );
        assert_eq!(after_failure(8, MAX_ATTEMPTS), AfterFailure::Park);
        // A setting of 0 still allows one try.
        assert_eq!(after_failure(1, 0), AfterFailure::Park);
    }

    #[test]
    fn addresses_are_checked_and_kept_in_one_form() {
        let e = Channel::Email;
        assert_eq!(
            e.recipient(" Chi.Tran@DauTieng.BinhDuong.gov.vn "),
            Ok("Chi.Tran@dautieng.binhduong.gov.vn".into())
        );
        for bad in [
            "",
            "chi",
            "chi@",
            "@x.vn",
            "chi@localhost",
            "a b@x.vn",
            "a@x.vn>",
            "chi@x.vn\r\nBcc: y@z.vn",
        ] {
            assert!(e.recipient(bad).is_err(), "{bad:?}");
        }
        for ok in [
            "0912 345 678",
            "+84912345678",
            "84-912-345-678",
            "0912.345.678",
        ] {
            assert_eq!(
                Channel::Sms.recipient(ok),
                Ok("+84912345678".into()),
                "{ok}"
            );
        }
        assert_eq!(
            Channel::Zalo.recipient("0387654321"),
            Ok("+84387654321".into())
        );
        for bad in [
            "",
            "091234567",
            "09123456789",
            "0212345678",
            "+1 912 345 678",
            "09x2345678",
        ] {
            assert!(Channel::Sms.recipient(bad).is_err(), "{bad:?}");
        }
    }
}
