//! Admin accounts: argon2 passwords, sessions in Postgres, the guard in front of every admin
//! page and form (login required, same-origin posts only), login with lockouts, and the
//! `stakeboard admin` commands.

pub mod cli;
pub mod guard;
pub mod login;
pub mod password;
pub mod store;

/// The session key holding the logged-in admin's id.
pub const ADMIN_ID_KEY: &str = "admin_id";
/// The session key holding the seal of the password the session was opened with.
pub const ADMIN_SEAL_KEY: &str = "admin_seal";

/// How admins log in and stay logged in.
#[derive(Debug, Clone)]
pub struct AdminSettings {
    /// `scheme://host[:port]` that state-changing admin requests must come from; `None`: the
    /// request's own `http://{Host}` (when PUBLIC_URL is unset).
    pub origin: Option<String>,
    /// Cookies only over https (PUBLIC_URL is https).
    pub secure_cookie: bool,
    pub session_hours: i64,
    pub login: login::LoginLimits,
}
