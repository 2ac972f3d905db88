//! Validators: the model, the table's query, server functions, the list and the detail pages.

#[cfg(feature = "ssr")]
pub mod cache;
#[cfg(feature = "ssr")]
pub mod db;
pub mod detail_page;
pub mod list_page;
pub mod model;
pub mod query;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod service;

/// The detail page of a validator; the network is named only when several are followed.
pub fn detail_href(operator: &str, network: &str, several_networks: bool) -> String {
    if several_networks {
        format!("/validators/{operator}?network={network}")
    } else {
        format!("/validators/{operator}")
    }
}
