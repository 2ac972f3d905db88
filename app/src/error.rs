//! The error server functions and the JSON API return: a message a person can act on, and the
//! HTTP status that goes with it. Client mistakes are 4xx; 5xx is for Stakeboard's own faults
//! and outages. Details (SQL text, stack) go to the log, never to the browser.

use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
    Bytes, Encodes,
};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
pub enum AppError {
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    TooMany(String),
    /// Not logged in (admin pages and functions).
    #[error("{0}")]
    Unauthorized(String),
    /// Logged in, or not, this request is refused (a form posted from another site).
    #[error("{0}")]
    Forbidden(String),
    /// The request conflicts with the state of what it acts on (an edit after an election
    /// opened, a ballot sent twice).
    #[error("{0}")]
    Conflict(String),
    /// The service is up but not taking this kind of request now (an empty faucet...).
    #[error("{0}")]
    Closed(String),
    #[error("Stakeboard cannot reach its database right now; try again in a moment")]
    Unavailable,
    /// A fault of Stakeboard's own (a query that should not fail); the detail is in the log.
    #[error("Stakeboard hit an internal error; it is in the server's log")]
    Internal,
    #[error("the request did not reach Stakeboard: {0}")]
    Transport(String),
}

impl AppError {
    /// The HTTP status this error is answered with.
    pub fn status(&self) -> u16 {
        match self {
            AppError::NotFound(_) => 404,
            AppError::BadRequest(_) => 400,
            AppError::TooMany(_) => 429,
            AppError::Unauthorized(_) => 401,
            AppError::Forbidden(_) => 403,
            AppError::Conflict(_) => 409,
            AppError::Unavailable | AppError::Closed(_) => 503,
            AppError::Internal => 500,
            AppError::Transport(_) => 502,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    /// On the server: the request could not be turned into the function's arguments (a missing
    /// or mistyped field, an unknown enum value), which is the client's mistake. In the
    /// browser: the request or its answer did not get through.
    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(reason)
            | ServerFnErrorErr::MissingArg(reason)
            | ServerFnErrorErr::Deserialization(reason)
                if cfg!(feature = "ssr") =>
            {
                AppError::BadRequest(format!("the request's arguments are not valid: {reason}"))
            }
            ServerFnErrorErr::UnsupportedRequestMethod(method) if cfg!(feature = "ssr") => {
                AppError::BadRequest(format!("this function does not take {method} requests"))
            }
            other => AppError::Transport(other.to_string()),
        }
    }

    /// Called on the server to answer with the error: the answer carries the error's status
    /// (server functions would otherwise answer every error with 500).
    fn ser(&self) -> Bytes {
        #[cfg(feature = "ssr")]
        crate::state::set_status(self.status());
        <JsonEncoding as Encodes<Self>>::encode(self)
            .unwrap_or_else(|_| Bytes::from_static(br#"{"Internal":null}"#))
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    /// Outages are 503, values Postgres refuses as data (a NUL byte, a number out of range:
    /// SQLSTATE class 22) are the client's 400, anything else is a fault of ours.
    fn from(error: sqlx::Error) -> Self {
        use sqlx::Error as E;
        match &error {
            E::Io(_) | E::Tls(_) | E::PoolTimedOut | E::PoolClosed | E::WorkerCrashed => {
                tracing::error!(%error, "the database cannot be reached");
                AppError::Unavailable
            }
            E::Database(db) => {
                let code = db.code().unwrap_or_default();
                if code.starts_with("22") {
                    tracing::warn!(%error, "the database refused a value of the request");
                    AppError::BadRequest(
                        "the request holds a value that cannot be looked up (such as a control character or a number out of range)".into(),
                    )
                } else if ["08", "53", "57"]
                    .iter()
                    .any(|class| code.starts_with(class))
                {
                    tracing::error!(%error, "the database is not available");
                    AppError::Unavailable
                } else {
                    tracing::error!(%error, "database error");
                    AppError::Internal
                }
            }
            _ => {
                tracing::error!(%error, "database error");
                AppError::Internal
            }
        }
    }
}
