//! The sender: drains the outbox. Any number may run (one per replica); leases taken with
//! `FOR UPDATE SKIP LOCKED` keep two from sending the same row. A row is marked sent right
//! after the SMTP server accepts it; a crash in between resends it with the same Message-ID.

use super::{
    outbox::{self, Claimed},
    render,
};
use crate::mail::{compose, templates::Templates, Mailer};
use futures::{stream, StreamExt};
use sqlx::PgPool;
use std::{
    sync::Arc,
    time::{Duration, Instant},
};

#[derive(Debug, Clone)]
pub struct SenderSettings {
    /// The site's address as links in mails show it, without a trailing slash.
    pub site_url: String,
    /// How long a claimed row stays this sender's.
    pub lease: Duration,
    /// The longest a send may take (the SMTP timeout): a row is only sent while this much of
    /// its lease is left.
    pub send_timeout: Duration,
    /// Mails in flight at once.
    pub concurrency: usize,
    /// Tries before a row is given up.
    pub max_attempts: i32,
    /// Wait between two looks at an empty queue.
    pub idle: Duration,
}

#[derive(Clone)]
pub struct Sender {
    pub pool: PgPool,
    pub mailer: Mailer,
    pub templates: Arc<Templates>,
    pub settings: SenderSettings,
    /// Names this sender in the leases it holds.
    pub id: String,
    /// The host part of every Message-ID (the site's host).
    message_host: String,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Drained {
    pub claimed: usize,
    pub sent: usize,
    pub retried: usize,
    pub failed: usize,
    pub cancelled: usize,
}

enum Outcome {
    Sent,
    Retry,
    Failed,
    Cancelled,
    Released,
}

impl Sender {
    pub fn new(
        pool: PgPool,
        mailer: Mailer,
        templates: Arc<Templates>,
        settings: SenderSettings,
    ) -> Self {
        let id = format!(
            "{}-{}-{}",
            hostname(),
            std::process::id(),
            &app::alerts::token::generate().0[..8]
        );
        let message_host = host_of(&settings.site_url);
        Self {
            pool,
            mailer,
            templates,
            settings,
            id,
            message_host,
        }
    }

    /// Claims one batch and sends it.
    pub async fn drain_once(&self) -> Result<Drained, sqlx::Error> {
        let batch = (self.settings.concurrency * 8).max(1) as i64;
        let claimed_at = Instant::now();
        let rows = outbox::claim(&self.pool, &self.id, self.settings.lease, batch).await?;
        let mut drained = Drained {
            claimed: rows.len(),
            ..Drained::default()
        };
        if rows.is_empty() {
            return Ok(drained);
        }
        let now = chrono::Utc::now();
        let prepared: Vec<(Claimed, render::Prepared)> = rows
            .into_iter()
            .map(|row| {
                let p = render::prepare(&row, &self.settings.site_url, now);
                (row, p)
            })
            .collect();
        let tokens: Vec<&outbox::NewToken> =
            prepared.iter().flat_map(|(_, p)| p.tokens.iter()).collect();
        outbox::store_tokens(&self.pool, &tokens).await?;

        let deadline = claimed_at
            + self
                .settings
                .lease
                .saturating_sub(self.settings.send_timeout);
        let outcomes: Vec<Result<Outcome, sqlx::Error>> = stream::iter(prepared)
            .map(|(row, prepared)| self.send_one(row, prepared, deadline))
            .buffer_unordered(self.settings.concurrency.max(1))
            .collect()
            .await;
        for outcome in outcomes {
            match outcome? {
                Outcome::Sent => drained.sent += 1,
                Outcome::Retry => drained.retried += 1,
                Outcome::Failed => drained.failed += 1,
                Outcome::Cancelled => drained.cancelled += 1,
                Outcome::Released => {}
            }
        }
        Ok(drained)
    }

    async fn send_one(
        &self,
        row: Claimed,
        prepared: render::Prepared,
        deadline: Instant,
    ) -> Result<Outcome, sqlx::Error> {
        if let Some(reason) = unwanted(&row) {
            outbox::mark_cancelled(&self.pool, row.id, &self.id, reason).await?;
            return Ok(Outcome::Cancelled);
        }
        if Instant::now() >= deadline {
            outbox::release(&self.pool, row.id, &self.id).await?;
            return Ok(Outcome::Released);
        }
        let message = match self
            .templates
            .render(&row.kind, &prepared.context)
            .map_err(|e| format!("template {}: {e}", row.kind))
            .and_then(|rendered| {
                compose::build(
                    &self.mailer.from,
                    &row.email,
                    &compose::message_id(
                        row.id,
                        row.created_at.timestamp_micros(),
                        &self.message_host,
                    ),
                    &prepared.context.unsubscribe_url,
                    rendered,
                )
                .map_err(|e| format!("cannot build the message: {e}"))
            }) {
            Ok(message) => message,
            Err(error) => {
                tracing::error!(outbox = row.id, %error, "mail cannot be built; given up");
                outbox::mark_failed(&self.pool, row.id, &self.id, &error, None).await?;
                metrics::counter!("stakeboard_mail_failed_total", "kind" => row.kind.clone())
                    .increment(1);
                return Ok(Outcome::Failed);
            }
        };
        match self.mailer.send(message).await {
            Ok(()) => {
                outbox::mark_sent(&self.pool, row.id, &self.id).await?;
                metrics::counter!("stakeboard_mail_sent_total", "kind" => row.kind.clone())
                    .increment(1);
                Ok(Outcome::Sent)
            }
            Err(e) if e.permanent || row.attempts >= self.settings.max_attempts => {
                tracing::warn!(outbox = row.id, kind = %row.kind, error = %e, attempts = row.attempts, "mail given up");
                outbox::mark_failed(&self.pool, row.id, &self.id, &e.message, None).await?;
                metrics::counter!("stakeboard_mail_failed_total", "kind" => row.kind.clone())
                    .increment(1);
                Ok(Outcome::Failed)
            }
            Err(e) => {
                let retry_in = backoff(row.attempts);
                tracing::info!(outbox = row.id, kind = %row.kind, error = %e, retry_in_secs = retry_in.as_secs(), "mail not sent; will retry");
                outbox::mark_failed(&self.pool, row.id, &self.id, &e.message, Some(retry_in))
                    .await?;
                Ok(Outcome::Retry)
            }
        }
    }
}

/// Why a queued mail should no longer go out.
fn unwanted(row: &Claimed) -> Option<&'static str> {
    match (row.kind.as_str(), row.subscriber_status.as_str()) {
        ("confirm", "confirmed") => Some("already confirmed"),
        ("confirm" | "manage", _) => None,
        (_, "confirmed") => None,
        _ => Some("not subscribed any more"),
    }
}

/// 30 s, 1 min, 2 min... up to an hour.
pub fn backoff(attempts: i32) -> Duration {
    let exponent = attempts.clamp(1, 8) as u32 - 1;
    Duration::from_secs((30u64 << exponent).min(3600))
}

fn host_of(site_url: &str) -> String {
    url::Url::parse(site_url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_else(|| "stakeboard.localhost".into())
}

fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_else(|_| "host".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        assert_eq!(backoff(1), Duration::from_secs(30));
        assert_eq!(backoff(2), Duration::from_secs(60));
        assert_eq!(backoff(4), Duration::from_secs(240));
        assert_eq!(backoff(20), Duration::from_secs(3600));
    }
}
