//! Background workers: long-lived tasks that do the outside I/O and move rows forward. Each is a
//! small [`kit::Worker`] type run by the one loop in [`kit`]; [`start`] is the list of them.

pub mod alerts;
pub mod context;
pub mod elections;
pub mod faucet;
pub mod governance;
pub mod kit;
pub mod lock;
pub mod runs;
pub mod validators;

pub use context::{ChainSettings, FollowedNetwork, WorkerContext};

use std::{sync::Arc, time::Duration};
use tokio::task::JoinHandle;

/// How often each worker runs.
#[derive(Debug, Clone, Copy)]
pub struct Intervals {
    pub validators: Duration,
    /// Between two polls of the votes of proposals in their voting period.
    pub votes: Duration,
    /// Between two reads of the proposal list, when no proposal is voting.
    pub proposals: Duration,
    /// Between two looks for alert events.
    pub alerts: Duration,
}

/// The parts of the workers that configuration builds.
pub struct WorkerParts {
    pub intervals: Intervals,
    pub elections: elections::Timing,
    pub mail_sender: alerts::sender::Sender,
    pub faucet_key: Option<Arc<faucet::key::FaucetKey>>,
    pub faucet: faucet::FaucetRuntime,
}

/// Starts every worker of this replica.
pub fn start(ctx: &WorkerContext, parts: WorkerParts) -> Vec<JoinHandle<()>> {
    let WorkerParts {
        intervals,
        elections,
        mail_sender,
        faucet_key,
        faucet,
    } = parts;
    let mut handles = vec![
        kit::spawn(ctx, validators::Collector::new(intervals.validators)),
        kit::spawn(ctx, governance::Recorder::new(intervals)),
        kit::spawn(ctx, alerts::Planner::new(intervals.alerts)),
        kit::spawn(ctx, alerts::MailSender::new(mail_sender)),
        kit::spawn(ctx, elections::Lifecycle::new(elections)),
    ];
    handles.extend(
        faucet::senders(ctx, faucet_key, faucet)
            .into_iter()
            .map(|sender| kit::spawn(ctx, sender)),
    );
    handles
}

/// Now, to the microsecond: Postgres keeps microseconds, and a time with more would not compare
/// equal after a round trip.
pub fn now_micros() -> chrono::DateTime<chrono::Utc> {
    let now = chrono::Utc::now();
    chrono::DateTime::from_timestamp_micros(now.timestamp_micros()).unwrap_or(now)
}
