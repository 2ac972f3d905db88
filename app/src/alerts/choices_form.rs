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
    let field = format!("validators:{}", network.slug);
    let list_id = format!("picker-{}", network.slug);
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
            let checked = selected.contains(&v.operator_address);
            let rank = v.rank.map(|r| format!("#{r}")).unwrap_or_else(|| "inactive".into());
            view! {
                <li data-search=haystack>
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
            <PickerFilter list=list_id.clone()/>
            {empty}
            <ul class="picker-list" id=list_id>{items}</ul>
        </details>
    }
}

/// Narrows the picker's list as one types, by the `data-search` text of each item. The list
/// stays server-rendered: the island only hides items.
#[island]
pub fn PickerFilter(
    /// The id of the `<ul>` it filters.
    list: String,
) -> impl IntoView {
    let on_input = move |ev: leptos::ev::Event| {
        filter_list(&list, &event_target_value(&ev));
    };
    view! {
        <input
            type="search"
            class="picker-filter"
            placeholder="Filter by name or address"
            aria-label="Filter validators"
            on:input=on_input
        />
    }
}

#[cfg(feature = "hydrate")]
fn filter_list(list: &str, text: &str) {
    use wasm_bindgen::JsCast;
    let needle = text.trim().to_lowercase();
    let Some(list) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(list))
    else {
        return;
    };
    let items = list.children();
    for i in 0..items.length() {
        let Some(item) = items
            .item(i)
            .and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
        else {
            continue;
        };
        let haystack = item.get_attribute("data-search").unwrap_or_default();
        item.set_hidden(!needle.is_empty() && !haystack.contains(&needle));
    }
}

#[cfg(not(feature = "hydrate"))]
fn filter_list(_list: &str, _text: &str) {}
