//! `/`: the networks followed, with bonded ratio, active validators and the last collection.

use super::model::NetworkSummary;
use crate::system::freshness::FreshnessNote;
use crate::{
    error::AppError,
    ui::{format, widgets::ErrorPanel},
};
use leptos::prelude::*;
use leptos_meta::Title;

#[server]
pub async fn get_overview() -> Result<Vec<NetworkSummary>, AppError> {
    let pool = crate::state::pool()?;
    super::service::overview(&pool).await
}

#[component]
pub fn OverviewPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::state::share_page();
    let data = Resource::new(|| (), |_| get_overview());
    view! {
        <Title text="Stakeboard · Overview"/>
        <header class="page-head">
            <h1>"Networks"</h1>
            <p class="lede">"Validators, voting power and uptime of the proof-of-stake networks this Stakeboard follows."</p>
        </header>
        <Transition fallback=|| view! { <p class="loading">"Loading networks…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(summaries) if summaries.is_empty() => view! {
                        <p class="empty">"No network is followed yet: add one to the networks file (STAKEBOARD_NETWORKS) and restart."</p>
                    }.into_any(),
                    Ok(summaries) => view! {
                        <div class="cards">
                            {summaries.into_iter().map(|summary| view! { <NetworkCard summary/> }).collect_view()}
                        </div>
                    }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn NetworkCard(summary: NetworkSummary) -> impl IntoView {
    let NetworkSummary {
        network,
        figures,
        freshness,
    } = summary;
    let href = format!("/networks/{}/validators", network.slug);
    let kind = if network.testnet {
        "testnet"
    } else {
        "mainnet"
    };
    let stats = figures.map(|f| {
        let bonded = format::tokens(&f.bonded_tokens, network.exponent, &network.display_denom);
        let ratio = f.bonded_ratio().map(|r| format::percent(r, 1)).unwrap_or_else(|| "—".into());
        view! {
            <dl class="stats">
                <div><dt>"Bonded ratio"</dt><dd data-testid="bonded-ratio">{ratio}</dd></div>
                <div><dt>"Bonded"</dt><dd>{bonded}</dd></div>
                <div><dt>"Active validators"</dt><dd data-testid="active-count">{f.validators_active}" / "{f.validators_total}</dd></div>
                <div><dt>"Height"</dt><dd>{format::group_thousands(f.latest_height as f64, 0)}</dd></div>
                <div><dt>"Node"</dt><dd>{f.node_version}{(!f.sdk_version.is_empty()).then(|| format!(" · SDK {}", f.sdk_version))}</dd></div>
            </dl>
        }
    });
    view! {
        <article class="card network-card" data-network=network.slug.clone()>
            <header>
                <h2><a href=href.clone()>{network.name.clone()}</a></h2>
                <span class=format!("badge badge-{kind}")>{kind}</span>
                <span class="chain-id">{network.chain_id.clone()}</span>
            </header>
            {stats}
            <FreshnessNote freshness/>
            <a class="more" href=href>"Validators →"</a>
        </article>
    }
    .into_any()
}
