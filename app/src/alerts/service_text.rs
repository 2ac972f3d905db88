//! Wording shared by the pages and the mails.

/// How long a confirmation link works, as the pages say it (the service's CONFIRM_TTL_HOURS).
pub const CONFIRM_TTL_TEXT: &str = "48 hours";
