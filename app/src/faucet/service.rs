//! Taking a claim: the address, the captcha, the limits and the faucet's funds are checked, and
//! the claim is one committed row before anything else happens. Limits live in Postgres, so
//! every web replica enforces the same ones and a restart forgets nothing.

use super::{
    captcha::server::{verify, CaptchaProblem},
    db::{self, ClaimRow, NewClaim},
    model::{
        ClaimKey, ClaimList, ClaimStatus, ClaimView, FaucetNetwork, FaucetPageData, FaucetView,
    },
    settings::{FaucetSettings, Faucets},
};
use crate::{
    address::{check_address, AddressProblem},
    error::AppError,
    ui::format::datetime,
};
use chrono::{DateTime, Duration, Utc};
use sqlx::PgPool;

/// Claims shown on the faucet page.
const RECENT_SHOWN: i64 = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimSource {
    /// The `/faucet` form.
    Form,
    /// `POST /api/v1/networks/{slug}/faucet/claims`.
    Api,
    /// `POST /credit`, the cosmjs faucet's API.
    Credit,
}

impl ClaimSource {
    fn as_str(self) -> &'static str {
        match self {
            Self::Form => "form",
            Self::Api => "api",
            Self::Credit => "credit",
        }
    }
}

pub struct ClaimRequest<'a> {
    pub network: &'a str,
    pub address: &'a str,
    pub ip: Option<String>,
    /// The captcha solution; None when this route does not need one.
    pub captcha: Option<&'a str>,
    pub source: ClaimSource,
}

#[derive(Debug, thiserror::Error)]
pub enum ClaimRefused {
    #[error("there is no faucet for network {0}")]
    UnknownNetwork(String),
    #[error(
        "this faucet has no key yet: its operator must set FAUCET_MNEMONIC or FAUCET_MNEMONIC_FILE"
    )]
    NoKey,
    #[error("{0}")]
    Address(AddressProblem),
    #[error("{0}")]
    Captcha(CaptchaProblem),
    #[error("this address already has a claim waiting to be paid (claim #{0})")]
    AlreadyQueued(i64),
    #[error("this address was paid less than {hours} h ago; it can claim again after {}", datetime(*.next))]
    Cooldown { next: DateTime<Utc>, hours: i64 },
    #[error("too many claims from your IP address today ({limit} a day); the next is allowed after {}", datetime(*.next))]
    IpLimit { next: DateTime<Utc>, limit: i64 },
    #[error("the faucet is out of funds: its balance ({balance}) does not cover the claims already queued; it takes claims again once it is refilled")]
    OutOfFunds { balance: String },
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

impl ClaimRefused {
    /// When the same request would be accepted, for limits that end.
    pub fn next_claim_at(&self) -> Option<DateTime<Utc>> {
        match self {
            Self::Cooldown { next, .. } | Self::IpLimit { next, .. } => Some(*next),
            _ => None,
        }
    }
}

impl From<ClaimRefused> for AppError {
    fn from(refused: ClaimRefused) -> Self {
        match refused {
            ClaimRefused::Database(e) => e.into(),
            ClaimRefused::UnknownNetwork(_) => AppError::NotFound(refused.to_string()),
            ClaimRefused::Address(_) | ClaimRefused::Captcha(_) => {
                AppError::BadRequest(refused.to_string())
            }
            ClaimRefused::AlreadyQueued(_)
            | ClaimRefused::Cooldown { .. }
            | ClaimRefused::IpLimit { .. } => AppError::TooMany(refused.to_string()),
            ClaimRefused::NoKey | ClaimRefused::OutOfFunds { .. } => {
                AppError::Closed(refused.to_string())
            }
        }
    }
}

/// Checks and queues a claim; the returned view is committed.
pub async fn claim(
    pool: &PgPool,
    faucets: &Faucets,
    request: ClaimRequest<'_>,
) -> Result<ClaimView, ClaimRefused> {
    let settings = faucets
        .get(request.network)
        .ok_or_else(|| ClaimRefused::UnknownNetwork(request.network.to_string()))?;
    if settings.address.is_none() {
        return Err(ClaimRefused::NoKey);
    }
    let address =
        check_address(request.address, &settings.prefix).map_err(ClaimRefused::Address)?;
    let now = Utc::now();
    let solved = match request.captcha {
        Some(payload) => Some(
            verify(&faucets.captcha_key, payload, now.timestamp())
                .map_err(ClaimRefused::Captcha)?,
        ),
        None => None,
    };

    let mut tx = pool.begin().await?;
    db::lock_key(
        &mut tx,
        &format!("faucet:address:{}:{address}", settings.network),
    )
    .await?;
    if let Some(ip) = &request.ip {
        db::lock_key(&mut tx, &format!("faucet:ip:{}:{ip}", settings.network)).await?;
    }
    if let Some(id) = db::open_claim_of(&mut tx, &settings.network, &address).await? {
        return Err(ClaimRefused::AlreadyQueued(id));
    }
    let cooldown = Duration::hours(settings.address_cooldown_hours);
    if let Some(paid) =
        db::last_paid_since(&mut tx, &settings.network, &address, now - cooldown).await?
    {
        return Err(ClaimRefused::Cooldown {
            next: paid + cooldown,
            hours: settings.address_cooldown_hours,
        });
    }
    if let Some(ip) = &request.ip {
        let day = Duration::hours(24);
        let recent = db::ip_claims_since(&mut tx, &settings.network, ip, now - day).await?;
        let limit = settings.ip_claims_per_day.max(0) as usize;
        if recent.len() >= limit {
            // The claim that has to age out for one more to fit.
            let oldest = recent.get(recent.len() - limit).copied().unwrap_or(now);
            return Err(ClaimRefused::IpLimit {
                next: oldest + day,
                limit: settings.ip_claims_per_day,
            });
        }
    }
    if let Some(balance) = db::balance(&mut tx, &settings.network).await? {
        let (_, queued) = db::open_claims(&mut tx, &settings.network).await?;
        if let Some(refusal) = out_of_funds(settings, balance, queued) {
            return Err(refusal);
        }
    }
    if let Some((challenge, expires)) = solved {
        let expires = DateTime::from_timestamp(expires, 0).unwrap_or(now);
        if !db::use_challenge(&mut tx, &challenge, expires).await? {
            return Err(ClaimRefused::Captcha(CaptchaProblem::Reused));
        }
    }
    let row = db::insert_claim(
        &mut tx,
        NewClaim {
            network: &settings.network,
            address: &address,
            amount: settings.amount,
            denom: &settings.denom,
            ip: request.ip.as_deref(),
            source: request.source.as_str(),
        },
    )
    .await?;
    tx.commit().await?;
    let mut view = view_of(&row, settings);
    view.queue_position = Some(db::queued_before(pool, &settings.network, row.id).await?);
    Ok(view)
}

/// Refuses one more claim when the balance last read cannot pay it after the queued ones.
fn out_of_funds(settings: &FaucetSettings, balance: u128, queued: u128) -> Option<ClaimRefused> {
    (balance < queued.saturating_add(settings.amount)).then(|| ClaimRefused::OutOfFunds {
        balance: settings.display(balance),
    })
}

pub fn view_of(row: &ClaimRow, settings: &FaucetSettings) -> ClaimView {
    let amount: u128 = row.amount.parse().unwrap_or(0);
    ClaimView {
        id: row.id,
        network: row.network.clone(),
        address: row.address.clone(),
        amount: row.amount.clone(),
        denom: row.denom.clone(),
        amount_display: settings.display(amount),
        status: ClaimStatus::parse(&row.status),
        tx_hash: row.tx_hash.clone(),
        height: row.height,
        error: row.last_error.clone(),
        attempts: row.attempts,
        created_at: row.created_at,
        updated_at: row.updated_at,
        queue_position: None,
    }
}

pub async fn claim_view(pool: &PgPool, faucets: &Faucets, id: i64) -> Result<ClaimView, AppError> {
    let not_found = || AppError::NotFound(format!("there is no claim #{id}"));
    let row = db::claim(pool, id).await?.ok_or_else(not_found)?;
    let settings = faucets.get(&row.network).ok_or_else(not_found)?;
    let mut view = view_of(&row, settings);
    if view.status == ClaimStatus::Pending {
        view.queue_position = Some(db::queued_before(pool, &row.network, id).await?);
    }
    Ok(view)
}

/// A page of the claims of the faucet on `network`, newest first, after `after`; 404 when the
/// network has no faucet.
pub async fn claims(
    pool: &PgPool,
    faucets: &Faucets,
    network: &str,
    limit: i64,
    after: Option<ClaimKey>,
) -> Result<ClaimList, AppError> {
    let settings = faucets
        .get(network)
        .ok_or_else(|| AppError::NotFound(format!("there is no faucet for network {network}")))?;
    let rows = db::claims_before(pool, network, limit + 1, after.map(|k| k.0)).await?;
    let (rows, next) = crate::paging::page_of(rows, limit, |r| ClaimKey(r.id));
    Ok(ClaimList {
        claims: rows.iter().map(|r| view_of(r, settings)).collect(),
        next,
    })
}

pub async fn page_data(
    pool: &PgPool,
    faucets: &Faucets,
    network: Option<&str>,
) -> Result<FaucetPageData, AppError> {
    let networks = faucets
        .list
        .iter()
        .map(|f| FaucetNetwork {
            slug: f.network.clone(),
            name: f.network_name.clone(),
        })
        .collect();
    let settings =
        match network {
            Some(slug) => Some(faucets.get(slug).ok_or_else(|| {
                AppError::NotFound(format!("there is no faucet for network {slug}"))
            })?),
            None => faucets.list.first(),
        };
    let faucet = match settings {
        Some(settings) => Some(faucet_view(pool, settings).await?),
        None => None,
    };
    Ok(FaucetPageData { networks, faucet })
}

async fn faucet_view(pool: &PgPool, settings: &FaucetSettings) -> Result<FaucetView, AppError> {
    let status = db::status(pool, &settings.network).await?;
    let mut conn = pool.acquire().await?;
    let (queue, queued) = db::open_claims(&mut conn, &settings.network).await?;
    drop(conn);
    let recent = db::recent_paid(pool, &settings.network, RECENT_SHOWN)
        .await?
        .iter()
        .map(|row| view_of(row, settings))
        .collect();
    let balance: Option<u128> = status
        .as_ref()
        .and_then(|s| s.balance.as_deref())
        .and_then(|b| b.parse().ok());
    let closed_reason = if settings.address.is_none() {
        Some(ClaimRefused::NoKey.to_string())
    } else {
        balance
            .and_then(|b| out_of_funds(settings, b, queued))
            .map(|refusal| refusal.to_string())
    };
    Ok(FaucetView {
        network: settings.network.clone(),
        network_name: settings.network_name.clone(),
        prefix: settings.prefix.clone(),
        address: settings.address.clone(),
        balance_display: balance.map(|b| settings.display(b)),
        balance_checked_at: status.as_ref().map(|s| s.checked_at),
        status_error: status.and_then(|s| s.last_error),
        amount_display: settings.display(settings.amount),
        cooldown_hours: settings.address_cooldown_hours,
        ip_claims_per_day: settings.ip_claims_per_day,
        queue,
        recent,
        closed_reason,
    })
}
