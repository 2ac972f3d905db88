//! The data of the admin election pages: the list, and the form of a new or existing election
//! with what a refused POST left in the session.

use super::{
    db,
    form::ElectionDraft,
    model::PowerSource,
    service,
    views::{AdminElection, AdminElectionList, Flash},
};
use crate::{admin::model::AdminIdentity, error::AppError, networks};
use sqlx::PgPool;

/// The session key of the flash a form handler leaves for the next page.
pub const FLASH_KEY: &str = "flash";

/// Takes (and removes) what the last form handler left in this request's session.
pub async fn take_flash() -> Option<Flash> {
    let session = crate::admin::identity::session()?;
    session.remove::<Flash>(FLASH_KEY).await.ok().flatten()
}

const ALL: [&str; 7] = [
    "scheduled",
    "preparing",
    "open",
    "tallying",
    "closed",
    "cancelled",
    "failed",
];
const PAGE: i64 = 50;

pub async fn list(
    pool: &PgPool,
    admin: AdminIdentity,
    after: Option<i64>,
) -> Result<AdminElectionList, AppError> {
    let (rows, followed) = tokio::try_join!(
        db::page(pool, None, &ALL, PAGE + 1, after),
        networks::db::followed(pool)
    )?;
    let (rows, next) = crate::paging::page_of(rows, PAGE, |r| service::ElectionKey(r.id));
    let mut elections = Vec::new();
    for row in &rows {
        elections.push(service::summarize(row, &followed));
    }
    Ok(AdminElectionList {
        admin,
        elections,
        next,
        flash: take_flash().await,
    })
}

pub async fn election(
    pool: &PgPool,
    admin: AdminIdentity,
    id: Option<i64>,
) -> Result<AdminElection, AppError> {
    let networks = networks::db::followed(pool).await?;
    let flash = take_flash().await;
    let Some(id) = id else {
        let draft = flash
            .as_ref()
            .and_then(|f| f.draft.clone())
            .unwrap_or_else(|| ElectionDraft {
                network: networks.first().map(|n| n.slug.clone()).unwrap_or_default(),
                method: "single".into(),
                power_source: "validators".into(),
                quorum: "0".into(),
                live_tally_public: Some("on".into()),
                ..Default::default()
            });
        return Ok(AdminElection {
            admin,
            networks,
            election: None,
            draft,
            allowlist: None,
            revision: 0,
            open_requested: false,
            last_error: None,
            flash,
        });
    };
    let row = db::election(pool, id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("No election #{id} here.")))?;
    let allowlist = match row.power_source() {
        PowerSource::Allowlist => Some(db::allowlist_size(pool, id).await?),
        _ => None,
    };
    let draft = flash
        .as_ref()
        .and_then(|f| f.draft.clone())
        .unwrap_or_else(|| ElectionDraft::from(&row.spec()));
    Ok(AdminElection {
        admin,
        networks,
        election: Some(service::detail(pool, id).await?),
        draft,
        allowlist,
        revision: row.revision,
        open_requested: row.open_requested_at.is_some(),
        last_error: row.last_error,
        flash,
    })
}
