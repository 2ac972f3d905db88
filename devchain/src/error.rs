//! Error bodies shaped like the SDK's grpc-gateway errors: `{code, message, details}`.

use axum::{
    http::StatusCode,
    response::{IntoResponse, Response},
    Json,
};
use serde_json::json;

#[derive(Debug)]
pub struct ChainError {
    pub http: StatusCode,
    pub code: u32,
    pub message: String,
}

impl ChainError {
    pub fn invalid(message: impl Into<String>) -> Self {
        Self {
            http: StatusCode::BAD_REQUEST,
            code: 3,
            message: message.into(),
        }
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self {
            http: StatusCode::NOT_FOUND,
            code: 5,
            message: message.into(),
        }
    }

    /// Refuses a path parameter that is not a bech32 address, as the SDK does.
    pub fn require_bech32(address: &str, what: &str) -> Result<(), Self> {
        match crate::address::bytes_of(address) {
            Some(_) => Ok(()),
            None => Err(Self::invalid(format!("invalid {what} address {address}"))),
        }
    }

    pub fn not_implemented() -> Self {
        Self {
            http: StatusCode::NOT_IMPLEMENTED,
            code: 12,
            message: "Not Implemented".into(),
        }
    }
}

impl IntoResponse for ChainError {
    fn into_response(self) -> Response {
        let body = json!({ "code": self.code, "message": self.message, "details": [] });
        (self.http, Json(body)).into_response()
    }
}
