//! `/elections/{id}/receipt?hash=…`: where a ballot stands (recorded, replaced by a later one,
//! counted, or not counted), its place in the ledger, and once counted the Merkle proof.

use super::{
    server_fns::get_receipt,
    views::{Receipt, ReceiptStatus},
};
use crate::ui::{clock::TimeAgo, copy::CopyButton, widgets::ErrorPanel};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn ReceiptPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::state::share_page();
    let params = use_params_map();
    let query = use_query_map();
    let key = move || {
        (
            params
                .read()
                .get("id")
                .and_then(|id| id.parse::<i64>().ok()),
            query.read().get("hash").unwrap_or_default(),
        )
    };
    let data = Resource::new(key, |(id, hash)| async move {
        match id {
            Some(id) => get_receipt(id, hash.trim().to_lowercase()).await,
            None => Err(crate::error::AppError::NotFound(
                "There is no such election.".into(),
            )),
        }
    });
    view! {
        <Title text="Ballot receipt · Stakeboard"/>
        <Suspense fallback=|| view! { <p class="loading">"Looking up the ballot…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(receipt) => view! { <ReceiptView receipt/> }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ReceiptView(receipt: Receipt) -> impl IntoView {
    let r = receipt;
    let (status, class, explain) = match r.status {
        ReceiptStatus::Recorded => ("Recorded", "good", "Voting is open and this is your latest ballot: it will be counted unless you vote again."),
        ReceiptStatus::Superseded => ("Replaced", "muted", "A later ballot from the same voter replaced this one; only the last ballot counts."),
        ReceiptStatus::Counted => ("Counted", "good", "The election closed and this ballot was counted. The proof below shows it is in the published root."),
        ReceiptStatus::NotCounted => ("Not counted", "bad", "The election was cancelled or failed before a count."),
    };
    let back = format!("/elections/{}", r.election);
    view! {
        <header class="page-head">
            <h1>"Ballot receipt"</h1>
            <span class=format!("badge {class}") data-testid="receipt-status">{status}</span>
        </header>
        <p class="subtitle">{explain}</p>
        <section class="card">
            <dl class="facts">
                <div><dt>"Election"</dt><dd><a href=back.clone()>"#"{r.election}</a></dd></div>
                <div><dt>"Voter"</dt><dd><code>{r.voter.clone()}</code></dd></div>
                <div><dt>"Choice"</dt><dd data-testid="receipt-choice"><bdi>{r.choice.clone()}</bdi></dd></div>
                <div><dt>"Received"</dt><dd><TimeAgo at=r.received_at/></dd></div>
                <div><dt>"Ballot hash"</dt><dd><code class="hash" data-testid="receipt-hash">{r.ballot_hash.clone()}</code><CopyButton text=r.ballot_hash.clone()/></dd></div>
                <div><dt>"Ledger position"</dt><dd data-testid="receipt-position">{r.position}</dd></div>
                <div><dt>"Chain hash"</dt><dd><code class="hash">{r.chain_hash.clone()}</code></dd></div>
                {r.superseded_by.clone().map(|h| view! {
                    <div><dt>"Replaced by"</dt><dd><a href=format!("/elections/{}/receipt?hash={h}", r.election)><code class="hash">{h.clone()}</code></a></dd></div>
                })}
            </dl>
        </section>
        {r.proof.clone().map(|p| view! {
            <section class="card" data-testid="inclusion-proof">
                <h2>"Inclusion proof"</h2>
                <p>"Leaf "{p.leaf_index}" of "{p.tree_size}" counted ballots (RFC 6962: leaf = SHA-256(0x00 ‖ ballot hash), node = SHA-256(0x01 ‖ left ‖ right))."</p>
                <dl class="facts">
                    <div><dt>"Leaf hash"</dt><dd><code class="hash">{p.leaf_hash.clone()}</code></dd></div>
                    <div><dt>"Root"</dt><dd><code class="hash">{p.root.clone()}</code></dd></div>
                </dl>
                <ol class="proof-path">{p.path.iter().map(|h| view! { <li><code class="hash">{h.clone()}</code></li> }).collect_view()}</ol>
            </section>
        })}
        <p><a href=back>"Back to the election"</a>" · "
           <a href=format!("/api/v1/elections/{}/receipts/{}", r.election, r.ballot_hash) rel="external">"this receipt as JSON"</a></p>
    }
}
