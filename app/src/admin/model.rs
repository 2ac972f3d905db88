//! Admin accounts as the pages show them, and the audit of what admins did.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The admin a request was made by: put into the request by the server's session guard after
/// it checked the session and that the account is not disabled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminIdentity {
    pub id: i64,
    pub email: String,
}

/// One admin action: who, when, what, and the record before and after (JSON).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    /// The admin's e-mail, or "command line".
    pub actor: String,
    /// e.g. `election.create`, `election.extend`, `admin.login`.
    pub action: String,
    /// What was acted on (`election 7`, an e-mail address).
    pub target: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub ip: Option<String>,
}

/// A page of the audit, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    /// The `after` of the next (older) page.
    pub next: Option<String>,
    pub admin: AdminIdentity,
}

/// An action the audit names, with how the audit page says it.
pub fn action_label(action: &str) -> &str {
    match action {
        "admin.login" => "Logged in",
        "admin.logout" => "Logged out",
        "admin.create" => "Created an admin",
        "admin.disable" => "Disabled an admin",
        "election.create" => "Created an election",
        "election.update" => "Edited an election",
        "election.allowlist" => "Uploaded an allowlist",
        "election.open_now" => "Opened an election now",
        "election.extend" => "Extended an election",
        "election.cancel" => "Cancelled an election",
        other => other,
    }
}
