//! `/admin/login`: e-mail and password, posted as a plain form to the server, which answers
//! with a redirect to where the admin was going, or back here with the reason (a wrong
//! password, or a lockout with the time it lifts).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LoginPage() -> impl IntoView {
    let query = use_query_map();
    let (error, next, email, notice) = query.with_untracked(|q| {
        (
            q.get("error"),
            q.get("next").unwrap_or_default(),
            q.get("email").unwrap_or_default(),
            q.get("notice"),
        )
    });
    view! {
        <Title text="Admin login · Stakeboard"/>
        <section class="card login-card">
            <h1>"Admin login"</h1>
            {notice.map(|n| view! { <p class="form-saved" role="status">{n}</p> })}
            {error.map(|e| view! { <p class="form-error" role="alert" data-testid="login-error">{e}</p> })}
            <form method="post" action="/admin/login" class="alert-form" data-testid="login-form">
                <input type="hidden" name="next" value=next/>
                <label class="field"><span>"E-mail"</span>
                    <input type="email" name="email" required="" autocomplete="username" value=email/></label>
                <label class="field"><span>"Password"</span>
                    <input type="password" name="password" required="" autocomplete="current-password"/></label>
                <div class="form-actions"><button type="submit" class="primary">"Log in"</button></div>
            </form>
            <p class="form-note">"Admin accounts are made on the server: "<code>"stakeboard admin create EMAIL"</code>"."</p>
        </section>
    }
}
