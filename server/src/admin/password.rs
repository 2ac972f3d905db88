//! Admin passwords, hashed with argon2id at the `argon2` crate's default parameters (PHC strings
//! stored in `admins.password_hash`). Hashing and checking take tens of milliseconds on purpose:
//! callers run them on a blocking thread.

use argon2::{
    password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Argon2,
};

/// Shorter passwords are refused.
pub const MIN_LENGTH: usize = 12;
/// Longer input is refused before hashing (argon2 would take it, but nobody types it).
pub const MAX_LENGTH: usize = 1024;

/// The PHC string of `password`, or why it is refused.
pub fn hash(password: &str) -> Result<String, String> {
    let length = password.chars().count();
    if length < MIN_LENGTH {
        return Err(format!(
            "the password must have at least {MIN_LENGTH} characters (it has {length})"
        ));
    }
    if length > MAX_LENGTH {
        return Err(format!(
            "the password must have at most {MAX_LENGTH} characters"
        ));
    }
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| format!("cannot hash the password: {e}"))
}

/// Whether `password` matches the PHC string `hash` (false for a hash that cannot be read).
pub fn verify(hash: &str, password: &str) -> bool {
    if password.len() > MAX_LENGTH * 4 {
        return false;
    }
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash no password matches, checked for unknown accounts so that a login takes as long
/// whether or not the e-mail has an account.
pub fn unknown_account_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| {
        hash("no account has this password, it is random padding").unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_checks_its_password_only() {
        let h = hash("correct horse battery staple").unwrap();
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(verify(&h, "correct horse battery staple"));
        assert!(!verify(&h, "correct horse battery stapl"));
        assert!(!verify("not a phc string", "anything"));
        assert_ne!(hash("correct horse battery staple").unwrap(), h, "salted");
        assert!(hash("short").unwrap_err().contains("at least 12"));
    }
}
