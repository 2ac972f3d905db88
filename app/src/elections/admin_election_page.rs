//! `/admin/elections/new` and `/admin/elections/{id}`: the election form (every field can change
//! until the election opens; the plan is built again), the allowlist upload, and "open now",
//! "extend the end" and "cancel". Plain forms posted to the server, which redirects back here
//! with what it did or why it refused, keeping what was typed.

use super::{
    form::ElectionDraft,
    model::{BallotMethod, ElectionState, PowerSource},
    server_fns::get_admin_election,
    views::{AdminElection, Flash},
    widgets::{power_text, StateBadge},
};
use crate::{
    admin::nav::AdminBar,
    networks::model::NetworkInfo,
    ui::{clock::TimeAgo, format, widgets::ErrorPanel},
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn AdminElectionPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i64>().ok())
    };
    let data = Resource::new(id, get_admin_election);
    view! {
        <Title text="Election · Admin · Stakeboard"/>
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => view! { <Page page/> }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Page(page: AdminElection) -> AnyView {
    let flash = page.flash.clone().unwrap_or_default();
    let message = (!flash.message.is_empty()).then(|| {
        let class = if flash.ok { "form-saved" } else { "form-error" };
        view! { <p class=class role="status" data-testid="flash">{flash.message.clone()}</p> }
    });
    let Some(election) = page.election.clone() else {
        return view! {
            <AdminBar admin=page.admin/>
            <header class="page-head"><h1>"New election"</h1></header>
            {message}
            <ElectionForm action="/admin/elections".into() draft=page.draft networks=page.networks flash editable=true/>
        }
        .into_any();
    };
    let id = election.id;
    let state = election.state;
    let editable = state.is_editable();
    let allowlist = (election.rules.power_source == PowerSource::Allowlist).then(|| {
        let (voters, weight) = page.allowlist.clone().unwrap_or((0, "0".into()));
        view! {
            <section class="card" id="allowlist">
                <h2>"Allowlist"</h2>
                <p data-testid="allowlist-size">{format::group_thousands(voters as f64, 0)}" voters, total weight "{format::group_digits(&weight)}</p>
                {flash.field("allowlist").map(|e| view! { <pre class="form-error" data-testid="allowlist-error">{e}</pre> })}
                {editable.then(|| view! {
                    <form method="post" action=format!("/admin/elections/{id}/allowlist") enctype="multipart/form-data" class="alert-form">
                        <label class="field"><span>"CSV file: "<code>"address,weight"</code>" per line (a header line is fine)"</span>
                            <input type="file" name="file" accept=".csv,text/csv,text/plain"/></label>
                        <label class="field"><span>"or paste it"</span>
                            <textarea name="csv" rows="5" placeholder="cosmos1…,1000" data-testid="allowlist-csv"></textarea></label>
                        <div class="form-actions"><button type="submit" data-testid="upload-allowlist">"Replace the allowlist"</button></div>
                    </form>
                })}
            </section>
        }
    });
    let network = election.network.clone();
    view! {
        <AdminBar admin=page.admin.clone()/>
        <header class="page-head">
            <h1>"#"{id}" "<bdi>{election.title.clone()}</bdi></h1>
            <StateBadge state/>
        </header>
        <p class="subtitle"><a href=format!("/elections/{id}")>"Public page"</a>" · revision "{page.revision}
            {(page.open_requested && editable).then_some(" · opening now was asked: the snapshot and the plan are being built")}</p>
        {message}
        {page.last_error.clone().map(|e| view! { <p class="stale-warning" data-testid="worker-error">"The worker's last attempt failed (it retries): "{e}</p> })}
        {election.failure.clone().map(|e| view! { <p class="form-error" data-testid="failure">"Failed: "{e}</p> })}
        <section class="card">
            <h2>"Lifecycle"</h2>
            <dl class="facts">
                <div><dt>"Voting"</dt><dd>{format::datetime(election.voting_start)}" → "{format::datetime(election.voting_end)}
                    " (ends "<TimeAgo at=election.voting_end/>")"</dd></div>
                <div><dt>"Plan hash"</dt><dd><code class="hash" data-testid="admin-plan-hash">{election.commitments.plan_hash.clone().unwrap_or_else(|| "not built yet".into())}</code></dd></div>
                <div><dt>"Eligible"</dt><dd>{election.commitments.eligible_power.clone().map(|p| power_text(&p, election.rules.power_source, &network)).unwrap_or_else(|| "—".into())}</dd></div>
                <div><dt>"Ballots"</dt><dd>{election.commitments.ballots}</dd></div>
            </dl>
            <div class="admin-actions">
                {editable.then(|| view! {
                    <form method="post" action=format!("/admin/elections/{id}/open-now") class="inline-form">
                        <button type="submit" class="primary" data-testid="open-now">"Open now"</button>
                    </form>
                })}
                {matches!(state, ElectionState::Scheduled | ElectionState::Preparing | ElectionState::Open).then(|| view! {
                    <form method="post" action=format!("/admin/elections/{id}/extend") class="inline-form">
                        <label><span>"New end (UTC) "</span>
                            <input type="datetime-local" name="voting_end" required="" value=(election.voting_end + chrono::Duration::days(1)).format("%Y-%m-%dT%H:%M").to_string()/></label>
                        <button type="submit" data-testid="extend">"Extend the end"</button>
                        {flash.field("voting_end").filter(|_| !editable).map(|e| view! { <span class="form-error">{e}</span> })}
                    </form>
                    <form method="post" action=format!("/admin/elections/{id}/cancel") class="inline-form">
                        <label class="check"><input type="checkbox" name="confirm" value="yes" required=""/>" I mean it"</label>
                        <button type="submit" class="danger-link" data-testid="cancel">"Cancel the election"</button>
                    </form>
                })}
            </div>
        </section>
        {allowlist}
        <section class="card">
            <h2>{if editable { "Edit" } else { "Settings (fixed since it opened)" }}</h2>
            {editable.then(|| view! { <p class="form-note">"Saving throws away the plan and the snapshot; they are built again before it opens."</p> })}
            <ElectionForm action=format!("/admin/elections/{id}") draft=page.draft networks=page.networks flash editable/>
        </section>
    }
    .into_any()
}

/// The form of an election's fields; read-only once it opened.
#[component]
fn ElectionForm(
    action: String,
    draft: ElectionDraft,
    networks: Vec<NetworkInfo>,
    flash: Flash,
    editable: bool,
) -> impl IntoView {
    let error = move |field: &str| {
        flash.field(field).map(
            |e| view! { <span class="form-error" data-testid=format!("error-{field}")>{e}</span> },
        )
    };
    let select = |name: &'static str, current: String, choices: Vec<(String, String)>| {
        view! {
            <select name=name disabled=!editable>
                {choices.into_iter().map(|(value, label)| {
                    let selected = value == current;
                    view! { <option value=value selected=selected>{label}</option> }
                }).collect_view()}
            </select>
        }
    };
    let d = draft;
    view! {
        <form method="post" action=action class="alert-form election-form" data-testid="election-form">
            <label class="field"><span>"Network"</span>
                {select("network", d.network.clone(), networks.iter().map(|n| (n.slug.clone(), n.name.clone())).collect())}
                {error("network")}</label>
            <label class="field"><span>"Title"</span>
                <input type="text" name="title" required="" maxlength="200" value=d.title.clone() disabled=!editable/>{error("title")}</label>
            <label class="field"><span>"Question"</span>
                <input type="text" name="question" required="" maxlength="500" value=d.question.clone() disabled=!editable/>{error("question")}</label>
            <label class="field"><span>"Options, one per line (2 to 16)"</span>
                <textarea name="options" rows="5" required="" disabled=!editable>{d.options.clone()}</textarea>{error("options")}</label>
            <label class="field"><span>"Description (markdown)"</span>
                <textarea name="description" rows="6" disabled=!editable>{d.description.clone()}</textarea>{error("description")}</label>
            <label class="field"><span>"Ballot method"</span>
                {select("method", d.method.clone(), BallotMethod::ALL.iter().map(|m| (m.as_str().to_string(), format!("{}: {}", m.label(), m.explain()))).collect())}
                {error("method")}</label>
            <label class="field"><span>"Voting power"</span>
                {select("power_source", d.power_source.clone(), PowerSource::ALL.iter().map(|p| (p.as_str().to_string(), p.label().to_string())).collect())}
                {error("power_source")}</label>
            <label class="field"><span>"Snapshot height (stake only; empty: the latest block when prepared)"</span>
                <input type="number" name="snapshot_height" min="1" value=d.snapshot_height.clone() disabled=!editable/>{error("snapshot_height")}</label>
            <div class="field-row">
                <label class="field"><span>"Quorum, % of eligible power"</span>
                    <input type="text" name="quorum" required="" inputmode="decimal" value=d.quorum.clone() disabled=!editable/>{error("quorum")}</label>
                <label class="field"><span>"Pass threshold, % (not for ranked)"</span>
                    <input type="text" name="threshold" inputmode="decimal" value=d.threshold.clone() disabled=!editable/>{error("threshold")}</label>
                <label class="field"><span>"Cap per voter, % (optional)"</span>
                    <input type="text" name="cap" inputmode="decimal" value=d.cap.clone() disabled=!editable/>{error("cap")}</label>
            </div>
            <div class="field-row">
                <label class="field"><span>"Voting starts (UTC)"</span>
                    <input type="datetime-local" name="voting_start" required="" value=d.voting_start.clone() disabled=!editable/>{error("voting_start")}</label>
                <label class="field"><span>"Voting ends (UTC)"</span>
                    <input type="datetime-local" name="voting_end" required="" value=d.voting_end.clone() disabled=!editable/>{error("voting_end")}</label>
            </div>
            <label class="check"><input type="checkbox" name="live_tally_public" checked=d.live_tally_public.is_some() disabled=!editable/>
                " Show the live tally while voting is open"</label>
            {editable.then(|| view! { <div class="form-actions"><button type="submit" class="primary" data-testid="save-election">"Save"</button></div> })}
        </form>
    }
}
