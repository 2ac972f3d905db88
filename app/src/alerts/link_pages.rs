//! The pages the links in a mail open: `/alerts/confirm` and `/alerts/unsubscribe`. Opening one
//! changes nothing (mail scanners open every link): each shows one button that posts the
//! change. Each outcome (to do, done, done before, expired, unknown) is its own clear page.

use super::{
    model::{ConfirmOutcome, NetworkChoice, UnsubscribeOutcome},
    server_fns::{confirm_status, unsubscribe_status},
    service_text::CONFIRM_TTL_TEXT,
};
use crate::ui::{format, widgets::ErrorPanel};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

fn token_from_query() -> String {
    use_query_map()
        .read_untracked()
        .get("token")
        .unwrap_or_default()
}

#[component]
pub fn ConfirmPage() -> impl IntoView {
    let token = token_from_query();
    // Set by the form's redirect: this visit follows the button that confirmed.
    let just_confirmed = use_query_map().read_untracked().get("done").is_some();
    let manage_href = format!("/alerts/manage?token={token}");
    let form_token = token.clone();
    let outcome = Resource::new(move || token.clone(), confirm_status);
    view! {
        <Title text="Confirm your alerts · Stakeboard"/>
        // The token is in this page's address: keep it out of Referer headers.
        <Meta name="referrer" content="no-referrer"/>
        <Transition fallback=|| view! { <p class="loading">"Confirming…"</p> }>
            {move || {
                let (manage_href, form_token) = (manage_href.clone(), form_token.clone());
                Suspend::new(async move {
                    match outcome.await {
                        Ok(outcome) => view! { <ConfirmResult outcome manage_href form_token just_confirmed/> }.into_any(),
                        Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    }
                })
            }}
        </Transition>
    }
}

#[component]
fn ConfirmResult(
    outcome: ConfirmOutcome,
    manage_href: String,
    form_token: String,
    just_confirmed: bool,
) -> impl IntoView {
    // Right after the button: confirmed now, however the lookup names it.
    let outcome = match outcome {
        ConfirmOutcome::AlreadyConfirmed { email, choices, .. } if just_confirmed => {
            ConfirmOutcome::Confirmed { email, choices }
        }
        outcome => outcome,
    };
    match outcome {
        ConfirmOutcome::Pending { email, choices } => view! {
            <section class="notice-panel" data-testid="confirm-result" data-outcome="pending">
                <h1>"Confirm your alerts"</h1>
                <p><strong>{email}</strong>" asked for these alerts:"</p>
                <ChoicesSummary choices/>
                <form method="post" action="/alerts/confirm">
                    <input type="hidden" name="token" value=form_token/>
                    <button type="submit" class="primary" data-testid="confirm-button">"Confirm my alerts"</button>
                </form>
                <p class="muted small">"Did not ask for this? Do nothing: no alert is sent until the button is pressed."</p>
            </section>
        }
        .into_any(),
        ConfirmOutcome::Confirmed { email, choices } => view! {
            <section class="notice-panel success" data-testid="confirm-result" data-outcome="confirmed">
                <h1>"You're subscribed"</h1>
                <p><strong>{email}</strong>" will get these alerts:"</p>
                <ChoicesSummary choices/>
                <p><a class="button" href=manage_href>"Change your preferences"</a></p>
            </section>
        }
        .into_any(),
        ConfirmOutcome::AlreadyConfirmed { email, at, .. } => view! {
            <section class="notice-panel" data-testid="confirm-result" data-outcome="already">
                <h1>"Already confirmed"</h1>
                <p>
                    <strong>{email}</strong>" was confirmed "
                    {at.map(|at| format!("on {}", format::datetime(at))).unwrap_or_default()}
                    ". Nothing changed; your alerts are on."
                </p>
                <p><a class="button" href=manage_href>"Change your preferences"</a></p>
            </section>
        }
        .into_any(),
        ConfirmOutcome::Expired { at } => {
            #[cfg(feature = "ssr")]
            crate::state::set_status(410);
            view! {
                <section class="notice-panel warning" data-testid="confirm-result" data-outcome="expired">
                    <h1>"This link has expired"</h1>
                    <p>"Confirmation links work for "{CONFIRM_TTL_TEXT}"; this one expired on "{format::datetime(at)}"."</p>
                    <p><a class="button" href="/alerts">"Sign up again"</a>" to get a new link."</p>
                </section>
            }
            .into_any()
        }
        ConfirmOutcome::Unknown => view! { <UnknownLink/> }.into_any(),
    }
}

#[component]
fn UnknownLink() -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::state::set_status(404);
    view! {
        <section class="notice-panel warning" data-testid="confirm-result" data-outcome="unknown">
            <h1>"This link is not valid"</h1>
            <p>"It may have been cut short when it was copied, or changed. Open it straight from the mail, or use the link in your latest Stakeboard mail."</p>
            <p><a class="button" href="/alerts">"Go to the sign-up form"</a></p>
        </section>
    }
}

#[component]
pub fn ChoicesSummary(choices: Vec<NetworkChoice>) -> impl IntoView {
    let items = choices
        .into_iter()
        .map(|c| {
            let mut parts = Vec::new();
            if c.on_voting {
                parts.push("proposals entering voting".to_string());
            }
            if c.on_result {
                parts.push("voting results".to_string());
            }
            if let Some(hours) = c.reminder_hours {
                let watched = match c.reminder_validators.len() {
                    1 => "your watched validator has".to_string(),
                    n => format!("any of your {n} watched validators have"),
                };
                parts.push(format!(
                    "a reminder {hours} h before the end if {watched} not voted"
                ));
            }
            view! { <li><strong>{c.network}</strong>": "{parts.join(", ")}</li> }
        })
        .collect_view();
    view! { <ul class="choices-summary">{items}</ul> }
}

#[component]
pub fn UnsubscribePage() -> impl IntoView {
    let token = token_from_query();
    let form_token = token.clone();
    let outcome = Resource::new(move || token.clone(), unsubscribe_status);
    view! {
        <Title text="Unsubscribe · Stakeboard"/>
        <Meta name="referrer" content="no-referrer"/>
        <Transition fallback=|| view! { <p class="loading">"Unsubscribing…"</p> }>
            {move || {
                let form_token = form_token.clone();
                Suspend::new(async move {
                    match outcome.await {
                        Ok(UnsubscribeOutcome::Subscribed { email }) => view! {
                            <section class="notice-panel" data-testid="unsubscribe-result" data-outcome="subscribed">
                                <h1>"Unsubscribe?"</h1>
                                <p>"Stop every Stakeboard alert to "<strong>{email}</strong>"."</p>
                                <form method="post" action="/alerts/unsubscribe">
                                    <input type="hidden" name="token" value=form_token.clone()/>
                                    <button type="submit" class="danger" data-testid="unsubscribe-button">"Unsubscribe"</button>
                                </form>
                                <p><a href=format!("/alerts/manage?token={form_token}")>"Keep some alerts: change your preferences instead"</a></p>
                            </section>
                        }
                        .into_any(),
                        Ok(UnsubscribeOutcome::Unsubscribed { email } | UnsubscribeOutcome::AlreadyUnsubscribed { email }) => view! {
                            <section class="notice-panel" data-testid="unsubscribe-result" data-outcome="unsubscribed">
                                <h1>"You're unsubscribed"</h1>
                                <p>"Stakeboard sends no more mail to "<strong>{email}</strong>"."</p>
                                <form method="post" action="/alerts/resubscribe">
                                    <input type="hidden" name="token" value=form_token/>
                                    <button type="submit">"Undo: subscribe again"</button>
                                </form>
                            </section>
                        }
                        .into_any(),
                        Ok(UnsubscribeOutcome::Unknown) => view! { <UnknownLink/> }.into_any(),
                        Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    }
                })
            }}
        </Transition>
    }
}
