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
                let description = format!(
                    "{}://{}:{}",
                    parsed.scheme(),
                    parsed.host_str().unwrap_or(""),
                    parsed.port_or_known_default().unwrap_or(0)
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
