//! A Cosmos SDK REST (LCD) client: timeouts, retries with back-off, pagination to the end.

use super::{
    error::{describe_body, ChainError, ErrorKind},
    types::PaginationOnly,
};
use bytes::Bytes;
use serde::de::DeserializeOwned;
use std::time::Duration;
use url::Url;

/// How many times to try a request and how long to wait between tries.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    pub attempts: u32,
    pub first_delay: Duration,
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            attempts: 3,
            first_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(8),
        }
    }
}

impl RetryPolicy {
    fn delay_before(&self, attempt: u32) -> Duration {
        let factor = 2u32.saturating_pow(attempt.saturating_sub(1));
        self.first_delay.saturating_mul(factor).min(self.max_delay)
    }
}

/// Page size asked of list endpoints; nodes cap it lower if they must, and we follow next_key.
const PAGE_LIMIT: &str = "200";
/// A list longer than this many pages is treated as a broken node, not followed forever.
const MAX_PAGES: usize = 500;
/// The header that asks a Cosmos SDK node for its state at a past height.
pub const HEIGHT_HEADER: &str = "x-cosmos-block-height";

#[derive(Clone)]
pub struct ChainClient {
    http: reqwest::Client,
    base: Url,
    network: String,
    timeout: Duration,
    retry: RetryPolicy,
}

impl ChainClient {
    pub fn new(network: &str, base: Url, timeout: Duration, retry: RetryPolicy) -> Self {
        let http = reqwest::Client::builder()
            .user_agent(concat!("stakeboard/", env!("CARGO_PKG_VERSION")))
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(5)))
            .build()
            .expect("the HTTP client builds with a rustls backend");
        Self {
            http,
            base,
            network: network.to_string(),
            timeout,
            retry,
        }
    }

    pub fn network(&self) -> &str {
        &self.network
    }

    /// Wraps a failure of `endpoint` in this client's network and endpoint.
    pub(crate) fn error(&self, endpoint: &str, kind: ErrorKind) -> ChainError {
        ChainError {
            network: self.network.clone(),
            endpoint: endpoint.to_string(),
            kind,
        }
    }

    fn url(&self, endpoint: &str) -> Url {
        let mut url = self.base.clone();
        let path = format!("{}{}", url.path().trim_end_matches('/'), endpoint);
        url.set_path(&path);
        url
    }

    /// GETs `endpoint` and returns the body of a 2xx answer, retrying transient failures.
    pub async fn get_raw(
        &self,
        endpoint: &str,
        query: &[(&str, &str)],
    ) -> Result<Bytes, ChainError> {
        self.get_raw_at(endpoint, query, None).await
    }

    /// [`Self::get_raw`] of the chain's state at block `height` (the `x-cosmos-block-height`
    /// header; `None`: the latest).
    pub async fn get_raw_at(
        &self,
        endpoint: &str,
        query: &[(&str, &str)],
        height: Option<u64>,
    ) -> Result<Bytes, ChainError> {
        let mut attempt = 1;
        loop {
            match self.try_get(endpoint, query, height).await {
                Ok(body) => return Ok(body),
                Err(kind) if kind.is_transient() && attempt < self.retry.attempts => {
                    let delay = self.retry.delay_before(attempt);
                    tracing::warn!(network = %self.network, endpoint, attempt, ?delay, error = %kind, "chain request failed, retrying");
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                }
                Err(kind) => return Err(self.error(endpoint, kind)),
            }
        }
    }

    async fn try_get(
        &self,
        endpoint: &str,
        query: &[(&str, &str)],
        height: Option<u64>,
    ) -> Result<Bytes, ErrorKind> {
        let mut request = self.http.get(self.url(endpoint)).query(query);
        if let Some(height) = height {
            request = request.header(HEIGHT_HEADER, height.to_string());
        }
        let response = request.send().await.map_err(|e| self.transport_error(e))?;
        let status = response.status();
        let body = response
            .bytes()
            .await
            .map_err(|e| self.transport_error(e))?;
        if !status.is_success() {
            return Err(ErrorKind::Status {
                status: status.as_u16(),
                message: describe_body(&body),
            });
        }
        Ok(body)
    }

    /// POSTs a JSON body once (no retry: the caller decides whether repeating is safe) and
    /// returns the status with the body, whatever the status.
    pub async fn post_json(
        &self,
        endpoint: &str,
        body: &serde_json::Value,
    ) -> Result<(u16, Bytes), ChainError> {
        let response = self
            .http
            .post(self.url(endpoint))
            .json(body)
            .send()
            .await
            .map_err(|e| self.error(endpoint, self.transport_error(e)))?;
        let status = response.status().as_u16();
        let body = response
            .bytes()
            .await
            .map_err(|e| self.error(endpoint, self.transport_error(e)))?;
        Ok((status, body))
    }

    fn transport_error(&self, e: reqwest::Error) -> ErrorKind {
        if e.is_timeout() {
            ErrorKind::Timeout(self.timeout)
        } else {
            // reqwest's Display hides the cause ("error sending request"); the source says why.
            let mut text = e.to_string();
            let mut source = std::error::Error::source(&e);
            while let Some(cause) = source {
                text = format!("{text}: {cause}");
                source = cause.source();
            }
            ErrorKind::Connect(text)
        }
    }

    /// Parses a body fetched from `endpoint`.
    pub fn parse<T: DeserializeOwned>(&self, endpoint: &str, body: &[u8]) -> Result<T, ChainError> {
        serde_json::from_slice(body)
            .map_err(|e| self.error(endpoint, ErrorKind::Malformed(e.to_string())))
    }

    pub async fn get<T: DeserializeOwned>(
        &self,
        endpoint: &str,
        query: &[(&str, &str)],
    ) -> Result<T, ChainError> {
        let body = self.get_raw(endpoint, query).await?;
        self.parse(endpoint, &body)
    }

    /// Every page of a list endpoint, following `pagination.next_key` until it is empty.
    pub async fn get_all_pages(
        &self,
        endpoint: &str,
        query: &[(&str, &str)],
    ) -> Result<Vec<Bytes>, ChainError> {
        self.get_all_pages_of(endpoint, query, PAGE_LIMIT).await
    }

    /// Like [`Self::get_all_pages`], asking for `page_limit` items a page (long lists such as
    /// votes go faster in big pages).
    pub async fn get_all_pages_of(
        &self,
        endpoint: &str,
        query: &[(&str, &str)],
        page_limit: &str,
    ) -> Result<Vec<Bytes>, ChainError> {
        self.get_all_pages_at(endpoint, query, page_limit, None)
            .await
    }

    /// [`Self::get_all_pages_of`] at block `height` (every page of the same state).
    pub async fn get_all_pages_at(
        &self,
        endpoint: &str,
        query: &[(&str, &str)],
        page_limit: &str,
        height: Option<u64>,
    ) -> Result<Vec<Bytes>, ChainError> {
        let mut pages = Vec::new();
        let mut key: Option<String> = None;
        loop {
            let mut params: Vec<(&str, &str)> = query.to_vec();
            params.push(("pagination.limit", page_limit));
            if let Some(key) = key.as_deref() {
                params.push(("pagination.key", key));
            }
            let body = self.get_raw_at(endpoint, &params, height).await?;
            let next: PaginationOnly = self.parse(endpoint, &body)?;
            pages.push(body);
            let next_key = next
                .pagination
                .and_then(|p| p.next_key)
                .filter(|k| !k.is_empty());
            match next_key {
                None => return Ok(pages),
                Some(next_key) => {
                    if key.as_deref() == Some(next_key.as_str()) {
                        return Err(self.error(
                            endpoint,
                            ErrorKind::Pagination(format!("next_key {next_key} repeats")),
                        ));
                    }
                    if pages.len() >= MAX_PAGES {
                        return Err(self.error(
                            endpoint,
                            ErrorKind::Pagination(format!("more than {MAX_PAGES} pages")),
                        ));
                    }
                    key = Some(next_key);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_off_doubles_up_to_the_cap() {
        let policy = RetryPolicy {
            attempts: 10,
            first_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(500),
        };
        let delays: Vec<_> = (1..6).map(|a| policy.delay_before(a).as_millis()).collect();
        assert_eq!(delays, vec![100, 200, 400, 500, 500]);
    }

    #[test]
    fn endpoint_joins_a_base_with_a_path() {
        let client = ChainClient::new(
            "hub",
            Url::parse("https://lcd.example.com/rest/").unwrap(),
            Duration::from_secs(1),
            RetryPolicy::default(),
        );
        assert_eq!(
            client.url("/cosmos/staking/v1beta1/pool").as_str(),
            "https://lcd.example.com/rest/cosmos/staking/v1beta1/pool"
        );
    }
}
