//! `stakeboard admin create|list|disable`: admin accounts are made on the server, never from
//! the web. Each change is audited as made from the command line.

use super::password;
use anyhow::{bail, Context};
use app::admin::db;
use secrecy::{ExposeSecret, SecretString};
use sqlx::PgPool;
use std::{io::IsTerminal, path::Path};

/// An e-mail address as accounts store it: trimmed, lower case, `local@domain`.
pub fn normalise_email(text: &str) -> anyhow::Result<String> {
    let email = text.trim().to_lowercase();
    let valid = email.len() <= 254
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && domain.contains('.') && !domain.contains('@')
        });
    if !valid {
        bail!("{email:?} is not an e-mail address");
    }
    Ok(email)
}

/// The password: the first line of `file`, else asked twice at the terminal, else the first
/// line of standard input.
pub fn read_password(file: Option<&Path>) -> anyhow::Result<SecretString> {
    let first_line = |text: &str| text.lines().next().unwrap_or_default().to_string();
    if let Some(file) = file {
        let text = std::fs::read_to_string(file)
            .with_context(|| format!("cannot read the password file {}", file.display()))?;
        return Ok(SecretString::from(first_line(&text)));
    }
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password: ")?;
        let again = rpassword::prompt_password("Password again: ")?;
        if first != again {
            bail!("the two passwords differ");
        }
        return Ok(SecretString::from(first));
    }
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    Ok(SecretString::from(first_line(&line)))
}

/// Creates the account, or sets a new password on it (enabling it again).
pub async fn create(pool: &PgPool, email: &str, secret: &SecretString) -> anyhow::Result<String> {
    let email = normalise_email(email)?;
    let plain = secret.expose_secret().to_string();
    let hash = tokio::task::spawn_blocking(move || password::hash(&plain))
        .await?
        .map_err(anyhow::Error::msg)?;
    let mut tx = pool.begin().await?;
    let (_, existed) = db::upsert(&mut *tx, &email, &hash).await?;
    db::audit(
        &mut *tx,
        db::Audit {
            admin: None,
            action: "admin.create",
            target: email.clone(),
            before: None,
            after: Some(serde_json::json!({ "email": email, "password": if existed { "changed" } else { "set" } })),
            ip: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(if existed {
        format!("{email}: new password set (the account is enabled)")
    } else {
        format!("{email}: admin account created; log in at /admin/login")
    })
}

pub async fn list(pool: &PgPool) -> anyhow::Result<String> {
    let accounts = db::accounts(pool).await?;
    if accounts.is_empty() {
        return Ok("no admin accounts: stakeboard admin create EMAIL".into());
    }
    let mut out = String::from("email\tcreated\tlast login\tstatus\n");
    for a in accounts {
        out.push_str(&format!(
            "{}\t{}\t{}\t{}\n",
            a.email,
            a.created_at.format("%Y-%m-%d %H:%M"),
            a.last_login_at
                .map_or("never".into(), |t| t.format("%Y-%m-%d %H:%M").to_string()),
            a.disabled_at.map_or("enabled".into(), |t| format!(
                "disabled {}",
                t.format("%Y-%m-%d %H:%M")
            )),
        ));
    }
    Ok(out.trim_end().to_string())
}

pub async fn disable(pool: &PgPool, email: &str) -> anyhow::Result<String> {
    let email = normalise_email(email)?;
    let mut tx = pool.begin().await?;
    if !db::disable(&mut *tx, &email).await? {
        bail!("no enabled admin account {email}");
    }
    db::audit(
        &mut *tx,
        db::Audit {
            admin: None,
            action: "admin.disable",
            target: email.clone(),
            before: Some(serde_json::json!({ "enabled": true })),
            after: Some(serde_json::json!({ "enabled": false })),
            ip: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(format!(
        "{email}: disabled; its sessions end at their next request"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn e_mail_addresses_are_checked_and_lower_cased() {
        assert_eq!(
            normalise_email(" Ops@Example.org ").unwrap(),
            "ops@example.org"
        );
        for bad in [
            "ops",
            "ops@",
            "@example.org",
            "o ps@example.org",
            "ops@localhost",
            "a@b@c.org",
        ] {
            assert!(normalise_email(bad).is_err(), "{bad}");
        }
    }
}
