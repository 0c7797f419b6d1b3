//! The outbox: a notification is a row written by [`enqueue`] inside the transaction of
//! the step that causes it, so it exists if and only if the step committed. The outbox
//! job [`claim`]s due rows atomically (a conditional UPDATE: two nodes never hold the same
//! row), sends them, and records each as [`sent`] or [`failed`] (retried with backoff,
//! parked after too many tries, where an administrator can [`retry`] it).
//!
//! Delivery is at least once: a node that dies after its mail server accepted a message
//! and before it recorded the fact leaves a claim that lapses, and the message is sent
//! again. Each message keeps one Message-ID, so a receiving system can tell.

use danchu_core::audit::action;
use danchu_core::outbox::{after_failure, AfterFailure, Channel, State};
use rand::RngCore;
use serde::Serialize;

use crate::audit::{self, Actor};
use crate::decode::col;
use crate::exec::{q, row_struct, Db, Exec, Result};

/// A notification to write with the step that causes it.
#[derive(Debug, Clone)]
pub struct NewMessage<'a> {
    pub channel: Channel,
    /// Already checked with [`Channel::recipient`].
    pub recipient: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    /// What caused it: the audit action of the step.
    pub topic: &'a str,
    pub entity_type: &'a str,
    pub entity_id: &'a str,
}

row_struct! {
    /// A message as stored.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize)]
    pub struct Message {
        pub id: i64,
        #[serde(serialize_with = "channel_code")]
        pub channel: Channel = col::code("outbox.channel", Channel::parse),
        pub recipient: String,
        pub subject: String,
        pub body: String,
        pub topic: String,
        pub entity_type: String,
        pub entity_id: String,
        #[serde(serialize_with = "state_code")]
        pub state: State = col::code("outbox.state", State::parse),
        pub attempts: i64,
        pub due_ms: i64,
        pub last_error: String,
        pub created_ms: i64,
        pub sent_ms: Option<i64>,
    }
}

fn channel_code<S: serde::Serializer>(c: &Channel, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(c.code())
}

fn state_code<S: serde::Serializer>(st: &State, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(st.code())
}

const COLUMNS: &str = "id, channel, recipient, subject, body, topic, entity_type, entity_id, \
                       state, attempts, due_ms, last_error, created_ms, sent_ms";

/// Which rows a claim may take: due pending ones, and those whose claim lapsed (their node
/// died or stalled while sending).
const CLAIMABLE: &str = "((state = 'pending' AND due_ms <= $3) \
                         OR (state = 'sending' AND claim_until_ms < $3))";

/// Writes a message, due at once. Call it inside the step's transaction.
pub async fn enqueue(e: &mut impl Exec, m: &NewMessage<'_>, now_ms: i64) -> Result<i64> {
    let id: Option<i64> = e
        .fetch_scalar(
            q(
                "INSERT INTO outbox (channel, recipient, subject, body, topic, entity_type, \
               entity_id, state, due_ms, created_ms) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8, $8) RETURNING id",
            )
            .bind(m.channel.code())
            .bind(m.recipient)
            .bind(m.subject)
            .bind(m.body)
            .bind(m.topic)
            .bind(m.entity_type)
            .bind(m.entity_id)
            .bind(now_ms),
        )
        .await?;
    Ok(id.unwrap_or_default())
}

/// A batch this node holds: the messages, and the claim's name that marks them.
#[derive(Debug, Clone)]
pub struct Batch {
    pub claim: String,
    pub messages: Vec<Message>,
}

/// Claims up to `limit` due messages for `node` for `hold_ms`; each claim counts as a try.
pub async fn claim(db: &Db, node: &str, now_ms: i64, limit: i64, hold_ms: i64) -> Result<Batch> {
    let mut b = [0u8; 8];
    rand::rngs::OsRng.fill_bytes(&mut b);
    let claim = format!("{node}/{}", hex::encode(b));
    let mut messages: Vec<Message> = db
        .fetch_all_as(
            q(format!(
                "UPDATE outbox SET state = 'sending', claim_node = $1, claim_until_ms = $2, \
                 attempts = attempts + 1 \
                 WHERE id IN (SELECT id FROM outbox WHERE {CLAIMABLE} ORDER BY id LIMIT $4) \
                 AND {CLAIMABLE} RETURNING {COLUMNS}"
            ))
            .bind(claim.as_str())
            .bind(now_ms.saturating_add(hold_ms))
            .bind(now_ms)
            .bind(limit),
        )
        .await?;
    messages.sort_by_key(|m| m.id);
    Ok(Batch { claim, messages })
}

/// Records a message of `claim` as sent. False when the claim is no longer held.
pub async fn sent(db: &Db, claim: &str, id: i64, now_ms: i64) -> Result<bool> {
    Ok(db
        .execute(
            q(
                "UPDATE outbox SET state = 'sent', sent_ms = $1, last_error = '', \
               claim_node = NULL, claim_until_ms = NULL \
               WHERE id = $2 AND state = 'sending' AND claim_node = $3",
            )
            .bind(now_ms)
            .bind(id)
            .bind(claim),
        )
        .await?
        > 0)
}

/// Records a failed try of a message of `claim`: due again after the backoff, or parked
/// after `max_attempts` tries. Returns the state it is left in (`None` when the claim is no
/// longer held).
pub async fn failed(
    db: &Db,
    claim: &str,
    m: &Message,
    error: &str,
    now_ms: i64,
    max_attempts: u32,
) -> Result<Option<State>> {
    let attempts = u32::try_from(m.attempts).unwrap_or(u32::MAX);
    let (state, due) = match after_failure(attempts, max_attempts) {
        AfterFailure::RetryIn(d) => (
            State::Pending,
            now_ms.saturating_add(i64::try_from(d.as_millis()).unwrap_or(i64::MAX)),
        ),
        AfterFailure::Park => (State::Parked, now_ms),
    };
    let error: String = error.chars().take(1000).collect();
    let changed = db
        .execute(
            q(
                "UPDATE outbox SET state = $1, due_ms = $2, last_error = $3, \
               claim_node = NULL, claim_until_ms = NULL \
               WHERE id = $4 AND state = 'sending' AND claim_node = $5",
            )
            .bind(state.code())
            .bind(due)
            .bind(error.as_str())
            .bind(m.id)
            .bind(claim),
        )
        .await?;
    Ok((changed > 0).then_some(state))
}

/// An administrator sends a parked message again: due now, its tries counted afresh.
/// Audited. False when the message is not parked.
pub async fn retry(db: &Db, actor: &Actor, id: i64, now_ms: i64) -> Result<bool> {
    let mut tx = db.begin().await?;
    let Some(before) = tx
        .fetch_optional_as::<Message>(
            q(format!(
                "SELECT {COLUMNS} FROM outbox WHERE id = $1 AND state = 'parked'"
            ))
            .bind(id),
        )
        .await?
    else {
        return Ok(false);
    };
    tx.execute(
        q("UPDATE outbox SET state = 'pending', attempts = 0, due_ms = $1 WHERE id = $2")
            .bind(now_ms)
            .bind(id),
    )
    .await?;
    let after = serde_json::json!({ "state": State::Pending.code(), "attempts": 0 });
    let before = serde_json::json!({
        "state": before.state.code(),
        "attempts": before.attempts,
        "last_error": before.last_error,
    });
    audit::record(action::OUTBOX_RETRY, "outbox", id)
        .changed(&mut tx, actor, &before, &after)
        .await?;
    tx.commit().await?;
    Ok(true)
}

/// One message.
pub async fn get(db: &Db, id: i64) -> Result<Option<Message>> {
    db.fetch_optional_as(q(format!("SELECT {COLUMNS} FROM outbox WHERE id = $1")).bind(id))
        .await
}

/// The newest messages in `state` (all states when none), `limit` of them after `offset`.
pub async fn list(db: &Db, state: Option<State>, limit: i64, offset: i64) -> Result<Vec<Message>> {
    let query = match state {
        Some(s) => q(format!(
            "SELECT {COLUMNS} FROM outbox WHERE state = $1 ORDER BY id DESC LIMIT $2 OFFSET $3"
        ))
        .bind(s.code()),
        None => q(format!(
            "SELECT {COLUMNS} FROM outbox ORDER BY id DESC LIMIT $1 OFFSET $2"
        )),
    };
    db.fetch_all_as(query.bind(limit).bind(offset)).await
}

/// How many messages are in each state, in the order of [`State::ALL`].
pub async fn counts(db: &Db) -> Result<Vec<(State, i64)>> {
    let rows = db
        .fetch_all(q("SELECT state, COUNT(*) AS n FROM outbox GROUP BY state"))
        .await?;
    let mut out: Vec<(State, i64)> = State::ALL.iter().map(|s| (*s, 0)).collect();
    for r in rows {
        let code: String = r.get("state")?;
        let n: i64 = r.get("n")?;
        let state = crate::decode::code("outbox.state", &code, State::parse)?;
        if let Some(slot) = out.iter_mut().find(|(s, _)| *s == state) {
            slot.1 = n;
        }
    }
    Ok(out)
}

/// Removes sent messages older than `before_ms` (the clean-up job keeps 90 days).
pub async fn forget_sent(db: &Db, before_ms: i64) -> Result<u64> {
    db.execute_bookkeeping(
        q("DELETE FROM outbox WHERE state = 'sent' AND sent_ms < $1").bind(before_ms),
    )
    .await
}
