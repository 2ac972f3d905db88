//! Stakeboard's web app: routes, pages, server functions and the types they share with the
//! server. The `ssr` feature adds the database queries; `hydrate` the browser side.

pub mod address;
pub mod admin;
pub mod alerts;
pub mod coin;
pub mod elections;
pub mod error;
pub mod faucet;
pub mod governance;
pub mod lenient;
pub mod networks;
pub mod paging;
#[cfg(feature = "ssr")]
pub mod state;
pub mod system;
pub mod ui;
pub mod validators;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, Meta, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Redirect, Route, Router, Routes},
    path, SsrMode,
};

/// The HTML document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <AutoReload options/>
                <ui::boot::BootScripts/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Stylesheet id="leptos" href=ui::boot::asset_paths().css/>
        <Link rel="icon" type_="image/svg+xml" href="/favicon.svg"/>
        <Meta name="description" content="Stakeboard: validators, voting power and uptime of proof-of-stake networks"/>
        // Every page's title goes through this: leptos_meta writes the title into the server's
        // HTML as it is, and pages put chain text (monikers, proposal titles) in it.
        <Title formatter=title_text text="Stakeboard"/>
        <Router>
            <SiteHeader/>
            <main>
                // Async: pages are sent whole, so they work without JavaScript and carry the right status.
                <Routes fallback=NotFound>
                    <Route path=path!("") view=networks::overview::OverviewPage ssr=SsrMode::Async/>
                    <Route path=path!("/validators") view=validators::list_page::ValidatorsPage ssr=SsrMode::Async/>
                    <Route path=path!("/networks/:network/validators") view=validators::list_page::ValidatorsPage ssr=SsrMode::Async/>
                    <Route path=path!("/validators/:operator") view=validators::detail_page::ValidatorPage ssr=SsrMode::Async/>
                    <Route path=path!("/proposals") view=governance::list_page::ProposalsPage ssr=SsrMode::Async/>
                    <Route path=path!("/networks/:network/proposals") view=governance::list_page::ProposalsPage ssr=SsrMode::Async/>
                    <Route path=path!("/proposals/:network/:id") view=governance::detail_page::ProposalPage ssr=SsrMode::Async/>
                    <Route path=path!("/alerts") view=alerts::signup_page::SignupPage ssr=SsrMode::Async/>
                    <Route path=path!("/alerts/check-inbox") view=alerts::signup_page::CheckInboxPage ssr=SsrMode::Async/>
                    <Route path=path!("/alerts/confirm") view=alerts::link_pages::ConfirmPage ssr=SsrMode::Async/>
                    <Route path=path!("/alerts/manage") view=alerts::manage_page::ManagePage ssr=SsrMode::Async/>
                    <Route path=path!("/alerts/unsubscribe") view=alerts::link_pages::UnsubscribePage ssr=SsrMode::Async/>
                    <Route path=path!("/faucet") view=faucet::page::FaucetPage ssr=SsrMode::Async/>
                    <Route path=path!("/faucet/claims/:id") view=faucet::claim_page::ClaimPage ssr=SsrMode::Async/>
                    <Route path=path!("/elections") view=elections::list_page::ElectionsPage ssr=SsrMode::Async/>
                    <Route path=path!("/elections/:id") view=elections::detail_page::ElectionPage ssr=SsrMode::Async/>
                    <Route path=path!("/elections/:id/receipt") view=elections::receipt_page::ReceiptPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin") view=|| view! { <Redirect path="/admin/elections"/> } ssr=SsrMode::Async/>
                    <Route path=path!("/admin/login") view=admin::login_page::LoginPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/audit") view=admin::audit_page::AuditPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/elections") view=elections::admin_list_page::AdminElectionsPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/elections/new") view=elections::admin_election_page::AdminElectionPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/elections/:id") view=elections::admin_election_page::AdminElectionPage ssr=SsrMode::Async/>
                    <Route path=path!("/system") view=system::page::SystemPage ssr=SsrMode::Async/>
                </Routes>
            </main>
            <footer class="site-footer">
                "Stakeboard " {env!("CARGO_PKG_VERSION")} " · self-hosted operations portal for proof-of-stake networks · "
                <a href="/api/v1/openapi.json">"JSON API"</a>" · "<a href="/healthz">"health"</a>
            </footer>
        </Router>
    }
}

/// A page title as the document shows it: on one line, without bidi controls, and (in the
/// server's HTML, where it is written as it is) escaped. In the browser it is set as text.
fn title_text(text: String) -> String {
    let text = ui::text::one_line(&text);
    if cfg!(feature = "ssr") {
        ui::text::escape_html(&text)
    } else {
        text
    }
}

#[component]
fn SiteHeader() -> impl IntoView {
    view! {
        <header class="site-header">
            <a class="brand" href="/"><span class="logo" aria-hidden="true">"◆"</span>" Stakeboard"</a>
            <nav aria-label="Main">
                <a href="/">"Overview"</a>
                <a href="/validators">"Validators"</a>
                <a href="/proposals">"Proposals"</a>
                <a href="/alerts">"Alerts"</a>
                <a href="/elections">"Elections"</a>
                <a href="/faucet">"Faucet"</a>
                <a href="/system">"System"</a>
            </nav>
        </header>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    state::set_status(404);
    view! {
        <Title text="Not found · Stakeboard"/>
        <section class="error-panel">
            <h1>"Page not found"</h1>
            <p>"There is nothing at this address."</p>
            <p><a href="/">"Back to the overview"</a></p>
        </section>
    }
}
