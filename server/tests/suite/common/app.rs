//! A whole server on a free port following a devchain, and an HTTP client for it.

use devchain::DevChain;
use serde_json::Value;
use sqlx::PgPool;

pub struct App {
    pub server: server::Server,
    pub chain: DevChain,
    http: reqwest::Client,
    _dir: tempfile::TempDir,
}

impl App {
    /// Starts the server against `pool`'s database, following `chain`, with every worker
    /// interval `interval_secs` (votes: 1 s).
    pub async fn start(pool: &PgPool, chain: DevChain, interval_secs: u64) -> Self {
        Self::start_with(pool, chain, interval_secs, |_| {}).await
    }

    /// Like [`App::start`], with the config adjusted by `adjust` first.
    pub async fn start_with(
        pool: &PgPool,
        chain: DevChain,
        interval_secs: u64,
        adjust: impl FnOnce(&mut server::config::Config),
    ) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let networks = super::networks_file(dir.path(), &chain);
        let mut config = super::server_config(pool, networks, dir.path(), interval_secs);
        adjust(&mut config);
        let server = server::start(config).await.unwrap();
        Self {
            server,
            chain,
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            _dir: dir,
        }
    }

    /// Status, content type and body.
    pub async fn fetch(&self, path: &str) -> (u16, String, String) {
        let response = self
            .http
            .get(format!("{}{path}", self.server.url()))
            .send()
            .await
            .unwrap();
        let kind = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        (
            response.status().as_u16(),
            kind,
            response.text().await.unwrap(),
        )
    }

    pub async fn get(&self, path: &str) -> (u16, String) {
        let (status, _, body) = self.fetch(path).await;
        (status, body)
    }

    pub async fn json(&self, path: &str) -> (u16, Value) {
        let (status, body) = self.get(path).await;
        (
            status,
            serde_json::from_str(&body)
                .unwrap_or_else(|e| panic!("{path} is not JSON ({e}): {body}")),
        )
    }
}

impl App {
    /// Posts a form; returns the status and the Location header (forms answer with redirects).
    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> (u16, String) {
        let response = self
            .http
            .post(format!("{}{path}", self.server.url()))
            .form(form)
            .send()
            .await
            .unwrap();
        let location = response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        (response.status().as_u16(), location)
    }

    /// Posts a raw body with a content type; returns the status and the body.
    pub async fn post_raw(&self, path: &str, content_type: &str, body: String) -> (u16, String) {
        let response = self
            .http
            .post(format!("{}{path}", self.server.url()))
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .unwrap();
        (response.status().as_u16(), response.text().await.unwrap())
    }
}

impl App {
    /// Posts JSON; returns the status and the body as JSON.
    pub async fn post_json(&self, path: &str, body: &Value) -> (u16, Value) {
        let response = self
            .http
            .post(format!("{}{path}", self.server.url()))
            .json(body)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{path}: not JSON ({e}): {text}")),
        )
    }

    pub fn client(&self) -> reqwest::Client {
        self.http.clone()
    }
}
