//! `/faucet`: the faucet's address, balance and queue, the claim form and recent payments.

use super::{
    model::{ClaimView, FaucetPageData, FaucetView},
    server_fns::get_faucet_page,
    solver::{fetch_and_solve, CaptchaState},
};
use crate::address::check_address;
use crate::ui::{clock::TimeAgo, copy::CopyButton, widgets::ErrorPanel};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn FaucetPage() -> impl IntoView {
    let query = use_query_map();
    let network = move || query.read().get("network");
    let data = Resource::new(network, get_faucet_page);
    view! {
        <Title text="Testnet faucet · Stakeboard"/>
        <header class="page-head">
            <h1>"Testnet faucet"</h1>
        </header>
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(data) => view! { <FaucetBody data/> }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn FaucetBody(data: FaucetPageData) -> impl IntoView {
    let Some(faucet) = data.faucet else {
        return view! {
            <section class="notice-panel">
                <h2>"No faucet here"</h2>
                <p>"None of the networks this Stakeboard follows has a faucet. An operator adds one with a "
                   <code>"[network.faucet]"</code>" table for a testnet in the networks file."</p>
            </section>
        }
        .into_any();
    };
    let tabs = (data.networks.len() > 1).then(|| {
        let current = faucet.network.clone();
        view! {
            <nav class="tabs">
                {data.networks.into_iter().map(|n| {
                    let class = if n.slug == current { "tab current" } else { "tab" };
                    view! { <a class=class href=format!("/faucet?network={}", n.slug)>{n.name}</a> }
                }).collect_view()}
            </nav>
        }
    });
    let recent = faucet.recent.clone();
    view! {
        {tabs}
        <p class="subtitle">
            "Free " {faucet.network_name.clone()} " tokens for testing: " <strong>{faucet.amount_display.clone()}</strong>
            " per claim, one claim per address every " {faucet.cooldown_hours} " h and "
            {faucet.ip_claims_per_day} " claims a day from one IP address."
        </p>
        <div class="faucet-grid">
            <FaucetCard faucet=faucet.clone()/>
            <ClaimForm faucet/>
        </div>
        <RecentClaims claims=recent/>
    }
    .into_any()
}

#[component]
fn FaucetCard(faucet: FaucetView) -> impl IntoView {
    view! {
        <section class="card faucet-card" data-testid="faucet-card">
            <h2>"The faucet"</h2>
            <dl class="facts">
                <dt>"Address"</dt>
                <dd>
                    {match faucet.address.clone() {
                        Some(address) => view! {
                            <code class="address" data-testid="faucet-address">{address.clone()}</code>
                            <CopyButton text=address/>
                        }.into_any(),
                        None => view! { <span class="muted">"no key configured"</span> }.into_any(),
                    }}
                </dd>
                <dt>"Balance"</dt>
                <dd data-testid="faucet-balance">
                    {faucet.balance_display.clone().unwrap_or_else(|| "not read yet".into())}
                    {faucet.balance_checked_at.map(|at| view! { <span class="muted">" · read " <TimeAgo at/></span> })}
                </dd>
                <dt>"Per claim"</dt>
                <dd>{faucet.amount_display.clone()}</dd>
                <dt>"Waiting to be paid"</dt>
                <dd data-testid="faucet-queue">{faucet.queue} {if faucet.queue == 1 { " claim" } else { " claims" }}</dd>
            </dl>
            {faucet.status_error.map(|e| view! { <p class="warning">"Last chain read failed: " {e}</p> })}
        </section>
    }
}

/// The claim form's part that is not an island: what it needs from the page's URL.
#[component]
fn ClaimForm(faucet: FaucetView) -> impl IntoView {
    let query = use_query_map();
    let error = query.read_untracked().get("error");
    let typed = query.read_untracked().get("address").unwrap_or_default();
    view! {
        <ClaimFormIsland
            network=faucet.network
            prefix=faucet.prefix
            amount_display=faucet.amount_display
            closed_reason=faucet.closed_reason
            error
            typed
        />
    }
}

/// The claim form: checks the address as it is typed and solves the proof of work in the
/// browser; it posts as a plain form either way.
#[island]
fn ClaimFormIsland(
    network: String,
    prefix: String,
    amount_display: String,
    closed_reason: Option<String>,
    /// The refusal of the last post, from the URL.
    error: Option<String>,
    /// The address of the last post, from the URL.
    typed: String,
) -> impl IntoView {
    let address = RwSignal::new(typed.clone());
    let prefix_for_check = StoredValue::new(prefix.clone());
    let address_problem = move || {
        let text = address.get();
        if text.trim().is_empty() {
            return None;
        }
        check_address(&text, &prefix_for_check.read_value())
            .err()
            .map(|p| p.to_string())
    };
    let captcha = RwSignal::new(CaptchaState::Waiting);
    // Effects run only in the browser: the work starts once the WASM is up.
    Effect::new(move |_| {
        leptos::task::spawn_local(fetch_and_solve(captcha));
    });
    let solution = move || match captcha.get() {
        CaptchaState::Solved(value) => value,
        _ => String::new(),
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        if !matches!(captcha.get_untracked(), CaptchaState::Solved(_)) {
            ev.prevent_default();
        }
    };
    view! {
        <form class="card faucet-form" method="post" action="/faucet/claim" on:submit=on_submit data-testid="claim-form">
            <h2>"Claim tokens"</h2>
            {closed_reason.map(|reason| view! { <p class="form-error" role="alert" data-testid="faucet-closed">{reason}</p> })}
            {error.map(|e| view! { <p class="form-error" role="alert" data-testid="claim-error">{e}</p> })}
            <input type="hidden" name="network" value=network/>
            <label class="field">
                <span>"Your " {prefix.clone()} "1… address"</span>
                <input type="text" name="address" required maxlength="90" autocomplete="off" spellcheck="false"
                    placeholder=format!("{prefix}1…")
                    prop:value=move || address.get()
                    value=typed
                    on:input=move |ev| address.set(event_target_value(&ev))
                    aria-invalid=move || address_problem().is_some().to_string()/>
            </label>
            <p class="field-note" data-testid="address-check">
                {move || match address_problem() {
                    Some(problem) => view! { <span class="bad">{problem}</span> }.into_any(),
                    None if !address.get().trim().is_empty() => view! { <span class="good">"✓ valid address"</span> }.into_any(),
                    None => view! { <span class="muted">"Checked as you type: checksum and prefix."</span> }.into_any(),
                }}
            </p>
            <input type="hidden" name="captcha" prop:value=solution value=""/>
            <p class="captcha" data-testid="captcha-state">
                {move || match captcha.get() {
                    CaptchaState::Waiting => view! { <span class="muted">"Proof of work: starts when the page has loaded (needs JavaScript)."</span> }.into_any(),
                    CaptchaState::Working(p) => view! { <span>"Proving this is a person's browser… " {p} "%"</span> }.into_any(),
                    CaptchaState::Solved(_) => view! { <span class="good">"✓ Proof of work done"</span> }.into_any(),
                    CaptchaState::Failed(e) => view! { <span class="bad">{e}</span> }.into_any(),
                }}
            </p>
            <button type="submit" class="primary"
                disabled=move || matches!(captcha.get(), CaptchaState::Working(_) | CaptchaState::Failed(_)) || address_problem().is_some()>
                "Send me " {amount_display}
            </button>
            <p class="form-note">"The claim is queued at once; its page shows it being paid. No account, no third-party captcha."</p>
        </form>
    }
}

#[component]
fn RecentClaims(claims: Vec<ClaimView>) -> impl IntoView {
    view! {
        <section class="card" data-testid="recent-claims">
            <h2>"Recently paid"</h2>
            {if claims.is_empty() {
                view! { <p class="muted">"No claim paid yet."</p> }.into_any()
            } else {
                view! {
                    <table class="data">
                        <thead><tr><th>"Claim"</th><th>"Address"</th><th>"Amount"</th><th>"Transaction"</th><th>"Paid"</th></tr></thead>
                        <tbody>
                            {claims.into_iter().map(|c| view! {
                                <tr>
                                    <td><a href=format!("/faucet/claims/{}", c.id)>"#" {c.id}</a></td>
                                    <td><code class="address">{c.address}</code></td>
                                    <td>{c.amount_display}</td>
                                    <td><code class="hash">{c.tx_hash.map(|h| short_hash(&h)).unwrap_or_default()}</code></td>
                                    <td><TimeAgo at=c.updated_at/></td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}

pub fn short_hash(hash: &str) -> String {
    if hash.len() > 16 {
        format!("{}…{}", &hash[..8], &hash[hash.len() - 6..])
    } else {
        hash.to_string()
    }
}
