//! E-mail over SMTP with lettre. The server is one URL (`DANCHU_SMTP_URL`):
//! `smtps://user:pass@host:465` (TLS), `smtp://user:pass@host:587?tls=required`
//! (STARTTLS, refused if the server cannot), or `smtp://host:25` (plain, for a relay on
//! the same machine or network). The password never reaches a log or a page.

use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::transport::smtp::Error as SmtpError;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use super::{Deliver, DeliveryError, Sending};
use danchu_db::outbox::Message;

pub struct Smtp {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// `host:port` and the scheme, for the admin page.
    shown: String,
}

/// How long one message may take (connect, TLS, the whole dialogue).
const TIMEOUT: Duration = Duration::from_secs(20);

impl Smtp {
    /// Builds the sender from the URL and the From address, or says which is wrong.
    pub fn new(url: &str, from: &str) -> Result<Smtp, String> {
        let from: Mailbox = from
            .parse()
            .map_err(|e| format!("DANCHU_MAIL_FROM {from:?} không phải địa chỉ thư: {e}"))?;
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("DANCHU_SMTP_URL không đúng: {e}"))?
            .timeout(Some(TIMEOUT))
            .build();
        Ok(Smtp {
            transport,
            from,
            shown: shown(url),
        })
    }

    fn message(&self, m: &Message) -> Result<lettre::Message, DeliveryError> {
        let to: Mailbox = m
            .recipient
            .parse()
            .map_err(|e| DeliveryError::Permanent(format!("địa chỉ nhận không hợp lệ: {e}")))?;
        let domain = self.from.email.domain();
        lettre::Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(m.subject.as_str())
            // One id per message, kept across retries, so a repeat can be recognised.
            .message_id(Some(format!("<danchu-outbox-{}@{domain}>", m.id)))
            .header(ContentType::TEXT_PLAIN)
            .body(m.body.clone())
            .map_err(|e| DeliveryError::Permanent(format!("không dựng được thư: {e}")))
    }
}

/// The URL without its user and password: `smtps://host:465`.
fn shown(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("smtp", url));
    let host = rest.rsplit_once('@').map_or(rest, |(_, h)| h);
    let host = host.split(['/', '?']).next().unwrap_or(host);
    format!("{scheme}://{host}")
}

fn classify(e: &SmtpError) -> DeliveryError {
    let text = e.to_string();
    if e.is_permanent() {
        DeliveryError::Permanent(text)
    } else {
        DeliveryError::Temporary(text)
    }
}

impl Deliver for Smtp {
    fn send<'a>(&'a self, m: &'a Message) -> Sending<'a> {
        Box::pin(async move {
            let mail = self.message(m)?;
            self.transport
                .send(mail)
                .await
                .map(|_| ())
                .map_err(|e| classify(&e))
        })
    }

    fn describe(&self) -> String {
        format!("SMTP {} (từ {})", self.shown, self.from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shown_url_has_no_credentials() {
        assert_eq!(
            shown("smtps://u:p%40ss@mail.gov.vn:465"),
            "smtps://mail.gov.vn:465"
        );
        assert_eq!(
            shown("smtp://mail.gov.vn:587?tls=required"),
            "smtp://mail.gov.vn:587"
        );
        assert_eq!(shown("smtp://127.0.0.1:2525"), "smtp://127.0.0.1:2525");
    }

    #[test]
    fn wrong_settings_are_named() {
        let e = Smtp::new("smtp://127.0.0.1:2525", "not an address")
            .err()
            .unwrap_or_default();
        assert!(e.starts_with("DANCHU_MAIL_FROM"), "{e}");
        let e = Smtp::new("ftp://x", "UBND <ubnd@dautieng.gov.vn>")
            .err()
            .unwrap_or_default();
        assert!(e.starts_with("DANCHU_SMTP_URL"), "{e}");
        assert!(Smtp::new("smtp://127.0.0.1:2525", "UBND huyện <ubnd@dautieng.gov.vn>").is_ok());
    }
}
