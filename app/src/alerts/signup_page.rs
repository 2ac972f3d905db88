//! `/alerts`: the sign-up form, and `/alerts/check-inbox`, where it leads.

use super::{
    choices_form::{default_choices, ChoicesFields},
    server_fns::get_alert_options,
    service_text::CONFIRM_TTL_TEXT,
};
use crate::ui::widgets::ErrorPanel;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SignupPage() -> impl IntoView {
    let query = use_query_map();
    let error = move || query.read().get("error");
    let email = move || query.read().get("email").unwrap_or_default();
    let options = Resource::new(|| (), |_| get_alert_options());
    view! {
        <Title text="E-mail alerts · Stakeboard"/>
        <header class="page-head">
            <h1>"E-mail alerts"</h1>
        </header>
        <p class="subtitle">
            "Hear when a proposal enters its voting period, how votes end, and when the validators you follow have not voted yet. "
            "Stakeboard sends the mails itself; your address is used for nothing else."
        </p>
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match options.await {
                    Ok(options) => {
                        let choices = default_choices(&options);
                        view! {
                            <form class="alert-form card" method="post" action="/alerts/subscribe" data-testid="signup-form">
                                {move || error().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
                                <label class="field">
                                    <span>"Your e-mail address"</span>
                                    <input type="email" name="email" required maxlength="254" autocomplete="email"
                                        placeholder="you@example.org" value=email()/>
                                </label>
                                <ChoicesFields options choices/>
                                <p class="form-note">
                                    "We first send a confirmation link (it works for " {CONFIRM_TTL_TEXT} "). Nothing else is sent until you confirm. "
                                    "Every mail has a one-click unsubscribe link."
                                </p>
                                <button type="submit" class="primary">"Sign up"</button>
                            </form>
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
pub fn CheckInboxPage() -> impl IntoView {
    let query = use_query_map();
    let email = move || {
        query
            .read()
            .get("email")
            .unwrap_or_else(|| "your address".into())
    };
    view! {
        <Title text="Check your inbox · Stakeboard"/>
        <section class="notice-panel" data-testid="check-inbox">
            <h1>"Check your inbox"</h1>
            <p>"We sent a mail to " <strong>{email}</strong> "."</p>
            <p>
                "If the address is new, the mail holds a confirmation link that works for " {CONFIRM_TTL_TEXT}
                ". If it is already subscribed, it holds a link to your preferences."
            </p>
            <p class="muted">"Nothing arrived after a few minutes? Look in the spam folder, or sign up again."</p>
            <p><a href="/proposals">"Meanwhile, see the proposals"</a></p>
        </section>
    }
}
