//! The fieldsets of the sign-up and preferences forms: per network, what to hear about, and
//! which validators to watch for "has not voted" reminders. Plain form fields, so the forms
//! post the same with or without the WASM; the validator filter is the only scripted part.

use super::model::{AlertOptions, NetworkChoice, NetworkOption, REMINDER_HOURS};
use leptos::prelude::*;

/// What a new subscriber starts with: proposals entering voting on every mainnet.
pub fn default_choices(options: &AlertOptions) -> Vec<NetworkChoice> {
    let any_mainnet = options.networks.iter().any(|n| !n.testnet);
    options
        .networks
        .iter()
        .enumerate()
        .map(|(i, n)| NetworkChoice {
            network: n.slug.clone(),
            on_voting: if any_mainnet { !n.testnet } else { i == 0 },
            on_result: false,
            reminder_hours: None,
            reminder_validators: Vec::new(),
        })
        .collect()
}

#[component]
pub fn ChoicesFields(options: AlertOptions, choices: Vec<NetworkChoice>) -> impl IntoView {
    options
        .networks
        .into_iter()
        .map(|network| {
            let choice = choices
                .iter()
                .find(|c| c.network == network.slug)
                .cloned()
                .unwrap_or(NetworkChoice {
                    network: network.slug.clone(),
                    on_voting: false,
                    on_result: false,
                    reminder_hours: None,
                    reminder_validators: Vec::new(),
                });
            view! { <NetworkFieldset network choice/> }
        })
        .collect_view()
}

#[component]
fn NetworkFieldset(network: NetworkOption, choice: NetworkChoice) -> impl IntoView {
    let slug = network.slug.clone();
    let hours_options = REMINDER_HOURS
        .into_iter()
        .map(|h| {
            let label = if h < 48 { format!("{h} hours before the end") } else { format!("{} days before the end", h / 24) };
            view! { <option value=h.to_string() selected=choice.reminder_hours == Some(h)>{label}</option> }
        })
        .collect_view();
    view! {
        <fieldset class="network-choices" data-network=slug.clone()>
            <legend>{network.name.clone()}{network.testnet.then_some(" (testnet)")}</legend>
            <label class="check">
                <input type="checkbox" name="voting" value=slug.clone() checked=choice.on_voting/>
                <span><strong>"A proposal enters its voting period"</strong><small>"One mail per proposal, with its title and a link to follow the vote."</small></span>
            </label>
            <label class="check">
                <input type="checkbox" name="result" value=slug.clone() checked=choice.on_result/>
                <span><strong>"Voting results"</strong><small>"When a proposal's voting ends: the final tally and whether it passed."</small></span>
            </label>
            <div class="reminder">
                <label>
                    <strong>"Remind me when my validators have not voted"</strong>
                    <select name=format!("reminder_hours:{slug}")>
                        <option value="off" selected=choice.reminder_hours.is_none()>"Off"</option>
                        {hours_options}
                    </select>
                </label>
                <ValidatorPicker network=network.clone() selected=choice.reminder_validators.clone()/>
            </div>
        </fieldset>
    }
}

#[component]
fn ValidatorPicker(network: NetworkOption, selected: Vec<String>) -> impl IntoView {
    let filter = RwSignal::new(String::new());
    let field = format!("validators:{}", network.slug);
    let mut validators = network.validators;
    // Chosen validators first, so a long list does not hide them.
    validators.sort_by_key(|v| !selected.contains(&v.operator_address));
    let empty = validators.is_empty().then(|| {
        view! { <p class="muted">"No validators collected for this network yet."</p> }
    });
    let items = validators
        .into_iter()
        .map(|v| {
            let haystack = format!("{} {}", v.moniker, v.operator_address).to_lowercase();
            let hidden = move || {
                let needle = filter.get().trim().to_lowercase();
                !needle.is_empty() && !haystack.contains(&needle)
            };
            let checked = selected.contains(&v.operator_address);
            let rank = v.rank.map(|r| format!("#{r}")).unwrap_or_else(|| "inactive".into());
            view! {
                <li hidden=hidden>
                    <label title=v.operator_address.clone()>
                        <input type="checkbox" name=field.clone() value=v.operator_address.clone() checked=checked/>
                        <bdi class="moniker">{v.moniker.clone()}</bdi>
                        <span class="muted rank">{rank}</span>
                    </label>
                </li>
            }
        })
        .collect_view();
    view! {
        <details class="validator-picker" open=!selected.is_empty()>
            <summary>"Validators to watch"{(!selected.is_empty()).then(|| format!(" ({} chosen)", selected.len()))}</summary>
            <input
                type="search"
                class="picker-filter"
                placeholder="Filter by name or address"
                aria-label="Filter validators"
                prop:value=move || filter.get()
                on:input=move |ev| filter.set(event_target_value(&ev))
            />
            {empty}
            <ul class="picker-list">{items}</ul>
        </details>
    }
}
