//! Server functions of the admin pages; each refuses anyone not logged in with 401.

use super::model::AuditPage;
use crate::error::AppError;
use leptos::prelude::*;

/// Audit rows per page.
pub const AUDIT_PAGE: i64 = 50;

/// `after`: the `next` of the previous page.
#[server(prefix = "/admin/api")]
pub async fn get_audit(after: Option<String>) -> Result<AuditPage, AppError> {
    let admin = super::identity::require()?;
    let pool = crate::state::pool()?;
    let after = match after.filter(|a| !a.is_empty()) {
        Some(a) => Some(crate::paging::parse_number(&a).ok_or_else(|| {
            AppError::BadRequest(format!(
                "invalid after {a:?}: use the next value of a previous page"
            ))
        })?),
        None => None,
    };
    let rows = super::db::audit_page(&pool, AUDIT_PAGE + 1, after).await?;
    let (entries, next) = crate::paging::page_of(rows, AUDIT_PAGE, |e| AuditKey(e.id));
    Ok(AuditPage {
        entries,
        next,
        admin,
    })
}

#[cfg(feature = "ssr")]
struct AuditKey(i64);

#[cfg(feature = "ssr")]
impl crate::paging::PageKey for AuditKey {
    fn encode(&self) -> String {
        self.0.to_string()
    }

    fn decode(text: &str) -> Option<Self> {
        crate::paging::parse_number(text).map(AuditKey)
    }
}
