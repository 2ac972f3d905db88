//! `/faucet/claims/{id}`: one claim moving pending → broadcast → confirmed (or failed),
//! refreshed every two seconds until it settles.

use super::{
    model::{ClaimStatus, ClaimView},
    server_fns::get_claim,
};
use crate::ui::{clock::TimeAgo, copy::CopyButton, widgets::ErrorPanel};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use std::time::Duration;

const REFRESH: Duration = Duration::from_secs(2);

#[component]
pub fn ClaimPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i64>().ok())
    };
    let claim = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_claim(id).await,
            None => Err(crate::error::AppError::NotFound(
                "there is no such claim".into(),
            )),
        }
    });
    view! {
        <Title text="Faucet claim · Stakeboard"/>
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match claim.await {
                    Ok(claim) => {
                        // Reloaded in place until the claim settles; the settled page drops the mark.
                        let live = !claim.status.is_final();
                        view! {
                            <div id="claim" data-live-region="" data-refresh-secs=live.then_some(REFRESH.as_secs())>
                                <ClaimDetail claim/>
                            </div>
                        }
                        .into_any()
                    }
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ClaimDetail(claim: ClaimView) -> impl IntoView {
    let status = claim.status;
    let step = |s: ClaimStatus| match (status, s) {
        (ClaimStatus::Failed, ClaimStatus::Confirmed) => "step failed",
        (ClaimStatus::Confirmed, _) => "step done",
        (now, s) if (now as u8) > (s as u8) => "step done",
        (now, s) if now == s => "step current",
        _ => "step",
    };
    view! {
        <header class="page-head">
            <h1>"Claim #" {claim.id}</h1>
            <span class=format!("claim-status {}", status.label()) data-testid="claim-status">{status.label()}</span>
        </header>
        <p class="subtitle">
            {claim.amount_display.clone()} " to " <code class="address">{claim.address.clone()}</code>
            " on " {claim.network.clone()} ", asked " <TimeAgo at=claim.created_at/> "."
        </p>
        <ol class="claim-steps">
            <li class=step(ClaimStatus::Pending)>
                <strong>"Queued"</strong>
                <span>{match (status, claim.queue_position) {
                    (ClaimStatus::Pending, Some(0)) => "next in line".to_string(),
                    (ClaimStatus::Pending, Some(n)) => format!("{n} claims ahead"),
                    _ => "done".to_string(),
                }}</span>
            </li>
            <li class=step(ClaimStatus::Broadcast)>
                <strong>"Sent to the chain"</strong>
                {claim.tx_hash.clone().map(|hash| view! {
                    <span>"transaction " <code class="hash" data-testid="claim-tx">{hash.clone()}</code> <CopyButton text=hash/></span>
                })}
            </li>
            <li class=step(ClaimStatus::Confirmed)>
                {if status == ClaimStatus::Failed {
                    view! {
                        <strong>"Failed"</strong>
                        <span class="bad" data-testid="claim-error">{claim.error.clone().unwrap_or_default()}</span>
                    }.into_any()
                } else {
                    view! {
                        <strong>"Paid"</strong>
                        {claim.height.map(|h| view! { <span data-testid="claim-height">"in block " {h}</span> })}
                    }.into_any()
                }}
            </li>
        </ol>
        {(status != ClaimStatus::Failed && claim.error.is_some() && claim.attempts > 0).then(|| view! {
            <p class="muted">"Retrying after: " {claim.error.clone()} " (attempt " {claim.attempts} ")"</p>
        })}
        {(!status.is_final()).then(|| view! { <p class="muted">"This page updates by itself."</p> })}
        <p><a href=format!("/faucet?network={}", claim.network)>"Back to the faucet"</a></p>
    }
}
