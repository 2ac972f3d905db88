//! `/alerts/manage?token=…`: a subscriber's preferences, reached from any mail's link without
//! an account. Saving posts to `/alerts/manage` and comes back here.

use super::{
    choices_form::ChoicesFields, model::SubscriberStatus, server_fns::manage_subscription,
};
use crate::ui::{format, widgets::ErrorPanel};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

#[component]
pub fn ManagePage() -> impl IntoView {
    let query = use_query_map();
    let token = query.read_untracked().get("token").unwrap_or_default();
    let saved = query.read_untracked().get("saved").is_some();
    let error = query.read_untracked().get("error");
    let form_token = token.clone();
    let view_data = Resource::new(move || token.clone(), manage_subscription);
    view! {
        <Title text="Your alerts · Stakeboard"/>
        <Meta name="referrer" content="no-referrer"/>
        <header class="page-head"><h1>"Your alerts"</h1></header>
        <Transition fallback=|| view! { <p class="loading">"Loading your preferences…"</p> }>
            {move || {
                let (form_token, error) = (form_token.clone(), error.clone());
                Suspend::new(async move {
                    match view_data.await {
                        Ok(data) => {
                            let status = match data.status {
                                SubscriberStatus::Confirmed => format!(
                                    "Subscribed{}",
                                    data.confirmed_at.map(|at| format!(" since {}", format::date(at))).unwrap_or_default()
                                ),
                                SubscriberStatus::Pending => "Waiting for confirmation".into(),
                                SubscriberStatus::Unsubscribed => "Unsubscribed: saving subscribes you again".into(),
                            };
                            let unsubscribe_href = format!("/alerts/unsubscribe?token={form_token}");
                            view! {
                                <p class="subtitle"><strong>{data.email.clone()}</strong>" · "<span data-testid="subscriber-status">{status}</span></p>
                                {saved.then(|| view! { <p class="form-saved" role="status">"Your preferences are saved."</p> })}
                                <form class="alert-form card" method="post" action="/alerts/manage" data-testid="manage-form">
                                    {error.map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
                                    <input type="hidden" name="token" value=form_token/>
                                    <ChoicesFields options=data.options choices=data.choices/>
                                    <div class="form-actions">
                                        <button type="submit" class="primary">"Save preferences"</button>
                                        {(data.status != SubscriberStatus::Unsubscribed).then(|| view! {
                                            <a class="danger-link" href=unsubscribe_href>"Unsubscribe from everything"</a>
                                        })}
                                    </div>
                                </form>
                            }
                            .into_any()
                        }
                        Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    }
                })
            }}
        </Transition>
    }
}
