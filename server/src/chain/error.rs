//! Errors of chain requests, each naming the network and the endpoint.

use std::time::Duration;

#[derive(Debug, thiserror::Error)]
#[error("network {network}: {endpoint}: {kind}")]
pub struct ChainError {
    pub network: String,
    pub endpoint: String,
    pub kind: ErrorKind,
}

#[derive(Debug, thiserror::Error)]
pub enum ErrorKind {
    #[error("no answer within {0:?}")]
    Timeout(Duration),
    #[error("cannot connect: {0}")]
    Connect(String),
    #[error("HTTP {status}: {message}")]
    Status { status: u16, message: String },
    #[error("malformed response: {0}")]
    Malformed(String),
    #[error("pagination does not end: {0}")]
    Pagination(String),
}

impl ErrorKind {
    /// Worth another try: the node or the path to it may recover.
    pub fn is_transient(&self) -> bool {
        match self {
            ErrorKind::Timeout(_) | ErrorKind::Connect(_) => true,
            ErrorKind::Status { status, .. } => *status >= 500 || *status == 429 || *status == 408,
            ErrorKind::Malformed(_) | ErrorKind::Pagination(_) => false,
        }
    }
}

/// A short, printable description of an error body: the LCD's `message` when it has one,
/// otherwise the start of the text.
pub fn describe_body(body: &[u8]) -> String {
    #[derive(serde::Deserialize)]
    struct LcdError {
        message: String,
    }
    if let Ok(err) = serde_json::from_slice::<LcdError>(body) {
        return err.message;
    }
    let text = strip_tags(&String::from_utf8_lossy(body));
    let text: String = text.chars().filter(|c| !c.is_control()).take(160).collect();
    if text.trim().is_empty() {
        "(empty body)".to_string()
    } else {
        text
    }
}

/// Proxies answer errors with HTML pages; their text is what a person wants to read.
fn strip_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}
