//! The bar on top of every admin page: where an admin can go, who is logged in, and log out.

use super::model::AdminIdentity;
use leptos::prelude::*;

#[component]
pub fn AdminBar(admin: AdminIdentity) -> impl IntoView {
    view! {
        <nav class="admin-bar" aria-label="Admin">
            <strong>"Admin"</strong>
            <a href="/admin/elections">"Elections"</a>
            <a href="/admin/elections/new">"New election"</a>
            <a href="/admin/audit">"Audit"</a>
            <span class="admin-who">"Logged in as "<span data-testid="admin-email">{admin.email}</span></span>
            <form method="post" action="/admin/logout" class="inline-form">
                <button type="submit" class="link-button" data-testid="logout">"Log out"</button>
            </form>
        </nav>
    }
}
