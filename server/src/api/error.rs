//! The API's error answer: a status and `{"error": message}`; never SQL or a stack.

use app::error::AppError;
use axum::{
    http::StatusCode,
    response::{IntoResponse, Response},
    Json,
};

/// Every error answer of the API: `{"error": "…"}`, a sentence a person can act on.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: String,
}

/// A refused faucet claim: the reason, and when a claim will be taken again (429 only).
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct RefusalBody {
    pub error: String,
    /// RFC 3339; set when the refusal is a limit that ends.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_claim_at: Option<chrono::DateTime<chrono::Utc>>,
}

#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    message: String,
}

impl ApiError {
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
        }
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::NOT_FOUND,
            message: message.into(),
        }
    }
}

impl From<AppError> for ApiError {
    fn from(error: AppError) -> Self {
        Self {
            status: StatusCode::from_u16(error.status())
                .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            message: error.to_string(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (
            self.status,
            Json(ErrorBody {
                error: self.message,
            }),
        )
            .into_response()
    }
}
