//! The sign-up flow (subscribe → confirmation mail → confirm), preferences and unsubscribing.
//! Every step is rows in one transaction: mails are only queued here, the sender sends them.

use super::{
    db,
    email::SubscriberEmail,
    model::{
        choices_from_form, AlertOptions, ConfirmOutcome, ManageView, NetworkChoice,
        SubscriberStatus, UnsubscribeOutcome,
    },
    token,
};
use crate::error::AppError;
use chrono::{DateTime, Duration, Utc};
use sqlx::{PgConnection, PgPool};

/// How long a confirmation link works.
pub const CONFIRM_TTL_HOURS: i64 = 48;

/// Limits that keep the form from being used to flood an inbox.
#[derive(Debug, Clone, Copy)]
pub struct SignupLimits {
    /// Sign-up requests from one IP per hour.
    pub per_ip_per_hour: i64,
    /// Mails (confirmation or preferences link) to one address per day.
    pub mails_per_address_per_day: i64,
}

impl Default for SignupLimits {
    fn default() -> Self {
        Self {
            per_ip_per_hour: 10,
            mails_per_address_per_day: 3,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SignupError {
    #[error("{0}")]
    Invalid(String),
    #[error("too many sign-ups from your network; try again after {}", .0.format("%H:%M UTC"))]
    TooManyFromIp(DateTime<Utc>),
    #[error("we already sent several mails to this address today; check its inbox and spam folder, or try again after {}", .0.format("%Y-%m-%d %H:%M UTC"))]
    TooManyForAddress(DateTime<Utc>),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

impl From<SignupError> for AppError {
    fn from(error: SignupError) -> Self {
        match error {
            SignupError::Invalid(message) => AppError::BadRequest(message),
            SignupError::TooManyFromIp(_) | SignupError::TooManyForAddress(_) => {
                AppError::TooMany(error.to_string())
            }
            SignupError::Database(e) => e.into(),
        }
    }
}

pub async fn options(pool: &PgPool) -> Result<AlertOptions, AppError> {
    Ok(AlertOptions {
        networks: db::options(pool).await?,
    })
}

/// A sign-up request: the raw form. The same answer whatever the address's state, so the form
/// does not tell strangers who is subscribed: a new or pending address gets a confirmation
/// mail, a confirmed one a link to its preferences.
pub async fn subscribe(
    pool: &PgPool,
    limits: SignupLimits,
    form: &[(String, String)],
    ip: Option<&str>,
) -> Result<SubscriberEmail, SignupError> {
    let raw_email = form
        .iter()
        .find(|(k, _)| k == "email")
        .map(|(_, v)| v.as_str())
        .unwrap_or("");
    let email =
        SubscriberEmail::parse(raw_email).map_err(|e| SignupError::Invalid(e.to_string()))?;
    let choices = checked_choices(pool, form).await?;

    let now = Utc::now();
    let mut tx = pool.begin().await?;
    if let Some(ip) = ip {
        let (count, oldest) = db::attempts_from_ip(&mut tx, ip, now - Duration::hours(1)).await?;
        if count >= limits.per_ip_per_hour {
            return Err(SignupError::TooManyFromIp(
                oldest.unwrap_or(now) + Duration::hours(1),
            ));
        }
    }
    let subscriber = db::lock_or_create(&mut tx, email.as_str()).await?;
    let (mailed, oldest) =
        db::mails_to_address(&mut tx, email.as_str(), now - Duration::days(1)).await?;
    if mailed >= limits.mails_per_address_per_day {
        db::record_attempt(&mut tx, ip, email.as_str(), false).await?;
        tx.commit().await?;
        return Err(SignupError::TooManyForAddress(
            oldest.unwrap_or(now) + Duration::days(1),
        ));
    }
    let attempt = db::record_attempt(&mut tx, ip, email.as_str(), true).await?;
    match subscriber.status {
        SubscriberStatus::Confirmed => {
            db::enqueue(
                &mut tx,
                &format!("manage:{attempt}"),
                subscriber.id,
                "manage",
            )
            .await?;
        }
        SubscriberStatus::Pending | SubscriberStatus::Unsubscribed => {
            db::set_status(&mut tx, subscriber.id, SubscriberStatus::Pending).await?;
            db::replace_choices(&mut tx, subscriber.id, &choices).await?;
            db::enqueue(
                &mut tx,
                &format!("confirm:{attempt}"),
                subscriber.id,
                "confirm",
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(email)
}

/// The form's choices, with every watched validator checked against the network's set.
async fn checked_choices(
    pool: &PgPool,
    form: &[(String, String)],
) -> Result<Vec<NetworkChoice>, SignupError> {
    let networks = db::network_slugs(pool).await?;
    let choices = choices_from_form(form, &networks).map_err(SignupError::Invalid)?;
    for choice in &choices {
        let unknown =
            db::unknown_validators(pool, &choice.network, &choice.reminder_validators).await?;
        if let Some(first) = unknown.first() {
            return Err(SignupError::Invalid(format!(
                "{first:?} is not a validator of {}",
                choice.network
            )));
        }
    }
    Ok(choices)
}

/// Where a confirmation link stands, without changing anything: what `GET /alerts/confirm`
/// shows (mail scanners open every link; only the page's button confirms).
pub async fn confirm_status(pool: &PgPool, text: &str) -> Result<ConfirmOutcome, AppError> {
    let mut conn = pool.acquire().await?;
    match confirm_token(&mut conn, text).await? {
        Err(outcome) => Ok(outcome),
        Ok((row, _)) => Ok(ConfirmOutcome::Pending {
            email: row.email,
            choices: db::choices(pool, row.subscriber_id).await?,
        }),
    }
}

/// The confirmation token's row and hash when it can still confirm; else what the page says
/// instead.
async fn confirm_token(
    conn: &mut PgConnection,
    text: &str,
) -> Result<Result<(db::TokenRow, Vec<u8>), ConfirmOutcome>, AppError> {
    let Some(hash) = token::hash(text) else {
        return Ok(Err(ConfirmOutcome::Unknown));
    };
    let Some(row) = db::lock_token(conn, &hash).await? else {
        return Ok(Err(ConfirmOutcome::Unknown));
    };
    if row.purpose != "confirm" {
        return Ok(Err(ConfirmOutcome::Unknown));
    }
    if row.used_at.is_some() || row.status == SubscriberStatus::Confirmed {
        return Ok(Err(ConfirmOutcome::AlreadyConfirmed {
            choices: db::choices(&mut *conn, row.subscriber_id).await?,
            email: row.email,
            at: row.confirmed_at,
        }));
    }
    if let Some(expired) = row.expires_at.filter(|at| *at <= Utc::now()) {
        return Ok(Err(ConfirmOutcome::Expired { at: expired }));
    }
    Ok(Ok((row, hash)))
}

/// Confirms a subscription (the confirmation page's POST).
pub async fn confirm(pool: &PgPool, text: &str) -> Result<ConfirmOutcome, AppError> {
    let mut tx = pool.begin().await?;
    let (row, hash) = match confirm_token(&mut tx, text).await? {
        Ok(found) => found,
        Err(outcome) => return Ok(outcome),
    };
    db::set_status(&mut tx, row.subscriber_id, SubscriberStatus::Confirmed).await?;
    db::mark_token_used(&mut tx, &hash).await?;
    tx.commit().await?;
    Ok(ConfirmOutcome::Confirmed {
        email: row.email,
        choices: db::choices(pool, row.subscriber_id).await?,
    })
}

/// The subscriber a link's token belongs to: a preferences token from any mail, or a
/// confirmation token that was used and has not expired (the confirmation page links on).
async fn owner(conn: &mut PgConnection, text: &str) -> Result<Option<db::TokenRow>, AppError> {
    let Some(hash) = token::hash(text) else {
        return Ok(None);
    };
    let row = db::lock_token(conn, &hash).await?;
    Ok(row.filter(|r| {
        r.purpose == "manage"
            || ((r.used_at.is_some() || r.status == SubscriberStatus::Confirmed)
                && r.expires_at.is_none_or(|at| at > Utc::now()))
    }))
}

const BAD_LINK: &str =
    "This link is not valid: it may have been cut short or changed. Use the link in your latest Stakeboard mail.";

pub async fn manage_view(pool: &PgPool, text: &str) -> Result<ManageView, AppError> {
    let mut conn = pool.acquire().await?;
    let row = owner(&mut conn, text)
        .await?
        .ok_or_else(|| AppError::NotFound(BAD_LINK.into()))?;
    drop(conn);
    Ok(ManageView {
        email: row.email,
        status: row.status,
        confirmed_at: row.confirmed_at,
        choices: db::choices(pool, row.subscriber_id).await?,
        options: options(pool).await?,
    })
}

/// Saves the preferences form. Holding a link from a mail proves the address is the
/// holder's, so saving also subscribes an address that had unsubscribed.
pub async fn save_choices(
    pool: &PgPool,
    text: &str,
    form: &[(String, String)],
) -> Result<(), AppError> {
    let choices = checked_choices(pool, form).await?;
    let mut tx = pool.begin().await?;
    let subscriber = confirm_owner(&mut tx, text).await?;
    db::replace_choices(&mut tx, subscriber, &choices).await?;
    tx.commit().await?;
    Ok(())
}

/// The link's owner, subscribed (again) if they were not; their id.
async fn confirm_owner(conn: &mut PgConnection, text: &str) -> Result<i64, AppError> {
    let row = owner(conn, text)
        .await?
        .ok_or_else(|| AppError::NotFound(BAD_LINK.into()))?;
    if row.status != SubscriberStatus::Confirmed {
        db::set_status(conn, row.subscriber_id, SubscriberStatus::Confirmed).await?;
    }
    Ok(row.subscriber_id)
}

/// Where an unsubscribe link stands, without changing anything: what
/// `GET /alerts/unsubscribe` shows (only its button, or a mail client's one-click POST,
/// unsubscribes).
pub async fn unsubscribe_status(pool: &PgPool, text: &str) -> Result<UnsubscribeOutcome, AppError> {
    let mut conn = pool.acquire().await?;
    Ok(match owner(&mut conn, text).await? {
        None => UnsubscribeOutcome::Unknown,
        Some(row) if row.status == SubscriberStatus::Unsubscribed => {
            UnsubscribeOutcome::AlreadyUnsubscribed { email: row.email }
        }
        Some(row) => UnsubscribeOutcome::Subscribed { email: row.email },
    })
}

pub async fn unsubscribe(pool: &PgPool, text: &str) -> Result<UnsubscribeOutcome, AppError> {
    let mut tx = pool.begin().await?;
    let Some(row) = owner(&mut tx, text).await? else {
        return Ok(UnsubscribeOutcome::Unknown);
    };
    if row.status == SubscriberStatus::Unsubscribed {
        return Ok(UnsubscribeOutcome::AlreadyUnsubscribed { email: row.email });
    }
    db::set_status(&mut tx, row.subscriber_id, SubscriberStatus::Unsubscribed).await?;
    db::cancel_queued(&mut tx, row.subscriber_id).await?;
    tx.commit().await?;
    Ok(UnsubscribeOutcome::Unsubscribed { email: row.email })
}

/// Undoes an unsubscribe from the same link.
pub async fn resubscribe(pool: &PgPool, text: &str) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    confirm_owner(&mut tx, text).await?;
    tx.commit().await?;
    Ok(())
}
