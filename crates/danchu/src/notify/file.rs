//! The development adapter for SMS and Zalo OA: each message is appended as one JSON line
//! to `<data_dir>/outbox/<channel>.jsonl` and noted in the log (recipient masked), so a
//! developer or a tester sees what would have been sent. Not for production: nothing
//! reaches a phone.

use std::io::Write as _;
use std::path::PathBuf;

use super::{Deliver, DeliveryError, Sending};
use danchu_db::outbox::Message;

pub struct FileSink {
    path: PathBuf,
}

impl FileSink {
    pub fn new(dir: PathBuf, channel: &str) -> FileSink {
        FileSink {
            path: dir.join(format!("{channel}.jsonl")),
        }
    }

    fn append(&self, m: &Message) -> std::io::Result<()> {
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let line = serde_json::json!({
            "id": m.id,
            "to": m.recipient,
            "subject": m.subject,
            "body": m.body,
            "topic": m.topic,
        });
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)?;
        writeln!(f, "{line}")
    }
}

/// A phone number with all but its last three digits hidden, for the log.
pub fn masked(recipient: &str) -> String {
    let n = recipient.chars().count();
    recipient
        .chars()
        .enumerate()
        .map(|(i, c)| {
            if i + 3 < n && c.is_ascii_digit() {
                '•'
            } else {
                c
            }
        })
        .collect()
}

impl Deliver for FileSink {
    fn send<'a>(&'a self, m: &'a Message) -> Sending<'a> {
        Box::pin(async move {
            let sink = FileSink {
                path: self.path.clone(),
            };
            let m2 = m.clone();
            tokio::task::spawn_blocking(move || sink.append(&m2))
                .await
                .map_err(|e| DeliveryError::Temporary(e.to_string()))?
                .map_err(|e| DeliveryError::Temporary(format!("{}: {e}", self.path.display())))?;
            tracing::info!(id = m.id, to = %masked(&m.recipient), file = %self.path.display(), "message written to the development sink");
            Ok(())
        })
    }

    fn describe(&self) -> String {
        format!(
            "tệp {} (chỉ để phát triển, không gửi thật)",
            self.path.display()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_is_masked_but_its_end() {
        assert_eq!(masked("+84912345678"), "+••••••••678");
        assert_eq!(masked("12"), "12");
    }
}
