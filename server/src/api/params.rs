//! The path parameters of the JSON API, once each: extracted by [`Params`] (a parameter that
//! does not parse is a 400 with the reason) and described in the OpenAPI document.

use super::ApiError;
use axum::{
    extract::{FromRequestParts, Path},
    http::request::Parts,
};
use serde::{de::DeserializeOwned, Deserialize};
use utoipa::IntoParams;

/// Path parameters of type `T`, refused with 400 and the reason as JSON when they do not parse.
pub struct Params<T>(pub T);

impl<T, S> FromRequestParts<S> for Params<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|Path(params)| Params(params))
            .map_err(|e| ApiError::bad_request(e.body_text()))
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct NetworkPath {
    /// The network's slug, e.g. `cosmoshub`.
    pub network: String,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct OperatorPath {
    /// The network's slug, e.g. `cosmoshub`.
    pub network: String,
    /// The validator's operator address (`…valoper1…`).
    pub operator: String,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct ProposalPath {
    /// The network's slug, e.g. `cosmoshub`.
    pub network: String,
    /// The proposal's number.
    #[param(value_type = u64)]
    pub id: String,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct ClaimPath {
    /// The testnet's slug, e.g. `devnet`.
    pub network: String,
    /// The claim's number.
    #[param(value_type = u64)]
    pub id: String,
}
