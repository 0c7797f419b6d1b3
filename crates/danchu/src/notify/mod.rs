//! Delivering the outbox's messages: one adapter per channel behind [`Deliver`]. E-mail
//! goes through SMTP ([`smtp`]); SMS and Zalo OA have no provider wired in yet, so they go
//! to the file/log adapter ([`file`]) until a province signs with one: a provider is one
//! more implementation of [`Deliver`].

pub mod file;
pub mod smtp;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use danchu_core::outbox::Channel;
use danchu_db::outbox::Message;

/// Why a message was not delivered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeliveryError {
    /// Worth another try later (the server is down, busy, or said 4xx).
    #[error("{0}")]
    Temporary(String),
    /// Another try would fail the same way (the address is refused, 5xx): the message is
    /// parked at once for an administrator to look at.
    #[error("{0}")]
    Permanent(String),
}

/// The future [`Deliver::send`] returns.
pub type Sending<'a> = Pin<Box<dyn Future<Output = Result<(), DeliveryError>> + Send + 'a>>;

/// One way of sending messages of a channel.
pub trait Deliver: Send + Sync {
    /// Sends `m`; `Ok` only once the provider has accepted it.
    fn send<'a>(&'a self, m: &'a Message) -> Sending<'a>;
    /// What it is, for the admin page and the log (never with a password).
    fn describe(&self) -> String;
}

/// The adapter of each channel; `None` where the channel is not configured (its messages
/// wait, pending, and the admin page says why).
#[derive(Clone, Default)]
pub struct Senders {
    pub email: Option<Arc<dyn Deliver>>,
    pub sms: Option<Arc<dyn Deliver>>,
    pub zalo: Option<Arc<dyn Deliver>>,
}

impl Senders {
    pub fn of(&self, channel: Channel) -> Option<&Arc<dyn Deliver>> {
        match channel {
            Channel::Email => self.email.as_ref(),
            Channel::Sms => self.sms.as_ref(),
            Channel::Zalo => self.zalo.as_ref(),
        }
    }

    /// The channels that have an adapter.
    pub fn configured(&self) -> Vec<Channel> {
        Channel::ALL
            .into_iter()
            .filter(|c| self.of(*c).is_some())
            .collect()
    }
}

impl Senders {
    /// Each channel and how it is delivered, for the outbox page.
    pub fn summary(&self) -> String {
        Channel::ALL
            .iter()
            .map(|c| {
                let how = self
                    .of(*c)
                    .map_or_else(|| "chưa cấu hình".into(), |s| s.describe());
                format!("{}: {how}", c.label_vi())
            })
            .collect::<Vec<_>>()
            .join("; ")
    }
}

impl std::fmt::Debug for Senders {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut d = f.debug_struct("Senders");
        for c in Channel::ALL {
            d.field(c.code(), &self.of(c).map(|s| s.describe()));
        }
        d.finish()
    }
}
