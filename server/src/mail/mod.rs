//! Outgoing mail: the transport (SMTP with TLS, or `.eml` files when SMTP_URL is unset), the
//! templates, and composing a message with its unsubscribe headers.

pub mod compose;
pub mod templates;

use anyhow::Context;
use lettre::{
    message::Mailbox,
    transport::smtp::{Error as SmtpError, PoolConfig},
    AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
};
use secrecy::{ExposeSecret, SecretString};
use std::{path::PathBuf, time::Duration};

#[derive(Clone)]
enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(AsyncFileTransport<Tokio1Executor>),
}

/// Sends mails. Cloning shares the SMTP connection pool.
#[derive(Clone)]
pub struct Mailer {
    transport: Transport,
    pub from: Mailbox,
    description: String,
}

/// Why a mail was not sent, and whether trying again can help.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct SendError {
    pub permanent: bool,
    pub message: String,
}

pub struct MailSettings<'a> {
    pub smtp_url: Option<&'a SecretString>,
    pub mail_dir: PathBuf,
    pub from: &'a str,
    pub timeout: Duration,
    pub connections: u32,
}

impl Mailer {
    pub async fn open(settings: MailSettings<'_>) -> anyhow::Result<Self> {
        let from: Mailbox = settings
            .from
            .parse()
            .with_context(|| format!("MAIL_FROM {:?} is not a mail address", settings.from))?;
        let (transport, description) = match settings.smtp_url {
            Some(url) => {
                let url = url.expose_secret();
                let parsed = url::Url::parse(url).context("SMTP_URL is not a URL")?;
                // Only scheme, host and port: the URL may carry a password.
                // lettre's defaults: 465 for smtps, 587 for smtp (url knows neither scheme).
                let port =
                    parsed
                        .port()
                        .unwrap_or(if parsed.scheme() == "smtps" { 465 } else { 587 });
                let description = format!(
                    "{}://{}:{port}",
                    parsed.scheme(),
                    parsed.host_str().unwrap_or("")
                );
                let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .with_context(|| format!("SMTP_URL ({description}) cannot be used: smtp:// or smtps://user:pass@host:port[?tls=required]"))?
                    .timeout(Some(settings.timeout))
                    .pool_config(PoolConfig::new().max_size(settings.connections.max(1)))
                    .build();
                (Transport::Smtp(transport), description)
            }
            None => {
                tokio::fs::create_dir_all(&settings.mail_dir)
                    .await
                    .with_context(|| {
                        format!(
                            "cannot create the mail folder {}",
                            settings.mail_dir.display()
                        )
                    })?;
                let description = format!("files in {}", settings.mail_dir.display());
                (
                    Transport::Files(AsyncFileTransport::<Tokio1Executor>::new(
                        &settings.mail_dir,
                    )),
                    description,
                )
            }
        };
        Ok(Self {
            transport,
            from,
            description,
        })
    }

    /// Where mail goes, without credentials.
    pub fn describe(&self) -> &str {
        &self.description
    }

    pub async fn send(&self, message: Message) -> Result<(), SendError> {
        match &self.transport {
            Transport::Smtp(smtp) => smtp.send(message).await.map(|_| ()).map_err(smtp_error),
            Transport::Files(files) => {
                files
                    .send(message)
                    .await
                    .map(|_| ())
                    .map_err(|e| SendError {
                        permanent: false,
                        message: format!("cannot write the mail file: {e}"),
                    })
            }
        }
    }
}

fn smtp_error(error: SmtpError) -> SendError {
    SendError {
        permanent: error.is_permanent(),
        message: format!("SMTP: {error}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings<'a>(smtp_url: Option<&'a SecretString>, from: &'a str) -> MailSettings<'a> {
        MailSettings {
            smtp_url,
            mail_dir: std::env::temp_dir().join("stakeboard-mail-test"),
            from,
            timeout: Duration::from_secs(1),
            connections: 1,
        }
    }

    #[tokio::test]
    async fn a_bad_smtp_url_or_sender_is_refused_naming_the_setting() {
        let ftp = SecretString::from("ftp://user:hunter2@mail.example.org".to_string());
        let error = Mailer::open(settings(Some(&ftp), "a@example.org"))
            .await
            .err()
            .unwrap();
        let text = format!("{error:#}");
        assert!(text.contains("SMTP_URL"), "{text}");
        assert!(!text.contains("hunter2"), "the password stays out: {text}");

        let garbage = SecretString::from("not a url".to_string());
        let error = Mailer::open(settings(Some(&garbage), "a@example.org"))
            .await
            .err()
            .unwrap();
        assert!(format!("{error:#}").contains("SMTP_URL is not a URL"));

        let error = Mailer::open(settings(None, "Stakeboard <not an address>"))
            .await
            .err()
            .unwrap();
        assert!(format!("{error:#}").contains("MAIL_FROM"));
    }

    #[tokio::test]
    async fn the_description_shows_the_server_but_not_the_password() {
        let url = SecretString::from("smtps://user:hunter2@mail.example.org".to_string());
        let mailer = Mailer::open(settings(Some(&url), "a@example.org"))
            .await
            .unwrap();
        assert_eq!(mailer.describe(), "smtps://mail.example.org:465");
    }
}
