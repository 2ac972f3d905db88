//! What admins do to elections: create, edit before opening, upload an allowlist, open now,
//! extend the end, cancel. Each is one transaction with its audit row, and wakes the worker.
//! Refusals say why; a state that forbids the action is a 409.

use super::{
    allowlist,
    db::{self, ElectionRow},
    form::{ElectionDraft, ElectionSpec, FieldError},
    model::{ElectionState, PowerSource},
};
use crate::{
    admin::{db as audit, model::AdminIdentity},
    error::AppError,
    networks,
};
use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::PgPool;

/// Why an admin's request was not carried out.
#[derive(Debug, Clone, PartialEq)]
pub enum Refusal {
    /// The form has problems, each named by its field.
    Invalid(Vec<FieldError>),
    Refused(AppError),
}

impl From<AppError> for Refusal {
    fn from(error: AppError) -> Self {
        Refusal::Refused(error)
    }
}

impl From<sqlx::Error> for Refusal {
    fn from(error: sqlx::Error) -> Self {
        Refusal::Refused(error.into())
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::Invalid(errors) => {
                let list: Vec<String> = errors
                    .iter()
                    .map(|e| format!("{}: {}", e.field, e.message))
                    .collect();
                write!(f, "{}", list.join("; "))
            }
            Refusal::Refused(error) => write!(f, "{error}"),
        }
    }
}

/// The request an admin made: who, and from where.
pub struct Actor<'a> {
    pub admin: &'a AdminIdentity,
    pub ip: Option<&'a str>,
}

fn audit_row<'a>(
    actor: &'a Actor<'a>,
    action: &'a str,
    id: i64,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> audit::Audit<'a> {
    audit::Audit {
        admin: Some(actor.admin),
        action,
        target: format!("election {id}"),
        before,
        after,
        ip: actor.ip,
    }
}

async fn checked(pool: &PgPool, draft: &ElectionDraft) -> Result<ElectionSpec, Refusal> {
    let slugs: Vec<String> = networks::db::followed(pool)
        .await?
        .into_iter()
        .map(|n| n.slug)
        .collect();
    let spec = draft.check(&slugs).map_err(Refusal::Invalid)?;
    if spec.voting_end <= Utc::now() {
        return Err(Refusal::Invalid(vec![FieldError {
            field: "voting_end".into(),
            message: "the end has already passed".into(),
        }]));
    }
    Ok(spec)
}

async fn existing(pool: &PgPool, id: i64) -> Result<ElectionRow, Refusal> {
    db::election(pool, id)
        .await?
        .ok_or_else(|| Refusal::Refused(AppError::NotFound(format!("No election #{id} here."))))
}

fn conflict(row: &ElectionRow, what: &str) -> Refusal {
    Refusal::Refused(AppError::Conflict(format!(
        "election #{} is {}: {what}",
        row.id,
        row.state().label().to_lowercase()
    )))
}

pub async fn create(
    pool: &PgPool,
    actor: &Actor<'_>,
    draft: &ElectionDraft,
) -> Result<i64, Refusal> {
    let spec = checked(pool, draft).await?;
    let mut tx = pool.begin().await?;
    let id = db::insert(&mut *tx, &spec, actor.admin.id).await?;
    audit::audit(
        &mut *tx,
        audit_row(actor, "election.create", id, None, Some(json!(spec))),
    )
    .await?;
    db::notify_worker(&mut *tx).await?;
    tx.commit().await?;
    Ok(id)
}

/// Replaces the fields of an election that has not opened; its plan is built again. Moved to
/// another network, its allowlist (addresses of the old network) is cleared: returns whether
/// it was.
pub async fn update(
    pool: &PgPool,
    actor: &Actor<'_>,
    id: i64,
    draft: &ElectionDraft,
) -> Result<bool, Refusal> {
    let row = existing(pool, id).await?;
    if !row.state().is_editable() {
        return Err(conflict(
            &row,
            "once an election opens, only extending its end or cancelling it is possible",
        ));
    }
    let spec = checked(pool, draft).await?;
    let mut tx = pool.begin().await?;
    if !db::update_unopened(&mut *tx, id, &spec).await? || !db::reset_plan(&mut *tx, id).await? {
        return Err(conflict(
            &existing(pool, id).await?,
            "it opened while you edited it",
        ));
    }
    let cleared = spec.network != row.network && db::allowlist_size(pool, id).await?.0 > 0;
    if cleared {
        db::replace_allowlist(&mut tx, id, &[], &[]).await?;
    }
    audit::audit(
        &mut *tx,
        audit_row(
            actor,
            "election.update",
            id,
            Some(json!(row.spec())),
            Some(json!(spec)),
        ),
    )
    .await?;
    db::notify_worker(&mut *tx).await?;
    tx.commit().await?;
    Ok(cleared)
}

/// Replaces the allowlist of an `allowlist` election that has not opened; returns the voters
/// and total weight stored.
pub async fn upload_allowlist(
    pool: &PgPool,
    actor: &Actor<'_>,
    id: i64,
    csv: &str,
) -> Result<(usize, u128), Refusal> {
    let row = existing(pool, id).await?;
    if row.power_source() != PowerSource::Allowlist {
        return Err(Refusal::Refused(AppError::BadRequest(format!(
            "election #{id} takes its voting power from {}, not from an allowlist",
            row.power_source().as_str()
        ))));
    }
    if !row.state().is_editable() {
        return Err(conflict(&row, "its voters were fixed when it opened"));
    }
    let (network, _) = networks::service::resolve_network(pool, Some(&row.network)).await?;
    let rows = allowlist::parse(csv, &network.bech32_prefix).map_err(|problems| {
        Refusal::Invalid(
            problems
                .into_iter()
                .map(|message| FieldError {
                    field: "allowlist".into(),
                    message,
                })
                .collect(),
        )
    })?;
    let total: u128 = rows.iter().map(|r| r.weight).sum();
    let (before_voters, before_weight) = db::allowlist_size(pool, id).await?;
    let addresses: Vec<String> = rows.iter().map(|r| r.address.clone()).collect();
    let weights: Vec<String> = rows.iter().map(|r| r.weight.to_string()).collect();
    let mut tx = pool.begin().await?;
    db::replace_allowlist(&mut tx, id, &addresses, &weights).await?;
    if !db::reset_plan(&mut *tx, id).await? {
        return Err(conflict(
            &existing(pool, id).await?,
            "it opened while the list was uploaded",
        ));
    }
    audit::audit(
        &mut *tx,
        audit_row(
            actor,
            "election.allowlist",
            id,
            Some(json!({ "voters": before_voters, "weight": before_weight })),
            Some(json!({ "voters": rows.len(), "weight": total.to_string() })),
        ),
    )
    .await?;
    db::notify_worker(&mut *tx).await?;
    tx.commit().await?;
    Ok((rows.len(), total))
}

/// Opens the election as soon as its plan is built (now, if it is).
pub async fn open_now(pool: &PgPool, actor: &Actor<'_>, id: i64) -> Result<(), Refusal> {
    let row = existing(pool, id).await?;
    if !row.state().is_editable() {
        return Err(conflict(&row, "only a scheduled election can be opened"));
    }
    if row.voting_end <= Utc::now() {
        return Err(Refusal::Refused(AppError::Conflict(format!(
            "election #{id} would end before it opens: extend its end first"
        ))));
    }
    if row.power_source() == PowerSource::Allowlist && db::allowlist_size(pool, id).await?.0 == 0 {
        return Err(Refusal::Refused(AppError::Conflict(format!(
            "election #{id} has no allowlist yet: upload one first"
        ))));
    }
    let mut tx = pool.begin().await?;
    if !db::request_open(&mut *tx, id).await? {
        return Err(conflict(
            &existing(pool, id).await?,
            "it can no longer be opened",
        ));
    }
    audit::audit(
        &mut *tx,
        audit_row(
            actor,
            "election.open_now",
            id,
            Some(json!({ "voting_start": row.voting_start })),
            Some(json!({ "voting_start": "now" })),
        ),
    )
    .await?;
    db::notify_worker(&mut *tx).await?;
    tx.commit().await?;
    Ok(())
}

/// Moves the end of an election that has not ended later.
pub async fn extend(
    pool: &PgPool,
    actor: &Actor<'_>,
    id: i64,
    end: Option<DateTime<Utc>>,
) -> Result<(), Refusal> {
    let row = existing(pool, id).await?;
    let Some(end) = end else {
        return Err(Refusal::Invalid(vec![FieldError {
            field: "voting_end".into(),
            message: "give the new end as YYYY-MM-DD HH:MM (UTC)".into(),
        }]));
    };
    if end <= row.voting_end {
        return Err(Refusal::Invalid(vec![FieldError {
            field: "voting_end".into(),
            message: format!(
                "the new end must come after the current one ({})",
                row.voting_end.format("%Y-%m-%d %H:%M UTC")
            ),
        }]));
    }
    if !matches!(
        row.state(),
        ElectionState::Scheduled | ElectionState::Preparing | ElectionState::Open
    ) || row.voting_end <= Utc::now()
    {
        return Err(conflict(&row, "it has ended; its end can no longer move"));
    }
    let mut tx = pool.begin().await?;
    if !db::extend(&mut *tx, id, end).await? {
        return Err(conflict(
            &existing(pool, id).await?,
            "it ended before the change was made",
        ));
    }
    audit::audit(
        &mut *tx,
        audit_row(
            actor,
            "election.extend",
            id,
            Some(json!({ "voting_end": row.voting_end })),
            Some(json!({ "voting_end": end })),
        ),
    )
    .await?;
    db::notify_worker(&mut *tx).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn cancel(pool: &PgPool, actor: &Actor<'_>, id: i64) -> Result<(), Refusal> {
    let row = existing(pool, id).await?;
    let mut tx = pool.begin().await?;
    if !db::cancel(&mut *tx, id).await? {
        return Err(conflict(&row, "counting has started or it is over"));
    }
    audit::audit(
        &mut *tx,
        audit_row(
            actor,
            "election.cancel",
            id,
            Some(json!({ "state": row.state })),
            Some(json!({ "state": "cancelled" })),
        ),
    )
    .await?;
    db::notify_worker(&mut *tx).await?;
    tx.commit().await?;
    Ok(())
}
