//! The query parameters of the lists that page by key: `limit` (1 to 1000) and `after` (the
//! `next` of the previous page). A value that cannot be valid is a 400 with the reason.

use super::ApiError;
use app::paging::{PageKey, MAX_LIMIT};

/// The page asked for: how many rows, and after which key (`None`: from the start).
pub struct KeyPage<K> {
    pub limit: i64,
    pub after: Option<K>,
}

impl<K: PageKey> KeyPage<K> {
    /// Reads `limit` (absent: `default_limit`) and `after` through `params`.
    pub fn parse(
        params: &impl Fn(&str) -> Option<String>,
        default_limit: i64,
    ) -> Result<Self, ApiError> {
        Ok(Self {
            limit: limit(params, default_limit)?,
            after: params("after")
                .filter(|v| !v.is_empty())
                .map(|v| K::parse(&v).map_err(ApiError::bad_request))
                .transpose()?,
        })
    }
}

/// `limit`: 1 to 1000; absent or empty, `default_limit`.
pub fn limit(
    params: &impl Fn(&str) -> Option<String>,
    default_limit: i64,
) -> Result<i64, ApiError> {
    match params("limit").filter(|v| !v.is_empty()) {
        None => Ok(default_limit),
        Some(v) => v
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=MAX_LIMIT).contains(n))
            .ok_or_else(|| {
                ApiError::bad_request(format!(
                    "invalid limit {v:?}: expected a number from 1 to {MAX_LIMIT}"
                ))
            }),
    }
}
