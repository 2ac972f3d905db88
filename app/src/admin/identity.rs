//! Who is asking: the admin the server's session guard found for this request (it checks the
//! session and that the account is enabled before any page or server function runs).

use super::model::AdminIdentity;
use crate::error::AppError;

/// The admin logged in on this request, if any.
pub fn current() -> Option<AdminIdentity> {
    leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<AdminIdentity>().cloned())
}

/// The admin logged in on this request, or 401 for everyone else.
pub fn require() -> Result<AdminIdentity, AppError> {
    current().ok_or_else(|| AppError::Unauthorized("log in as an admin first: /admin/login".into()))
}

/// The session of this request (admin pages read the form a failed POST left in it).
pub fn session() -> Option<tower_sessions::Session> {
    leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<tower_sessions::Session>().cloned())
}
