//! Hostile input from every side, against the whole server on a free port:
//! - chain text written to run script stays inert on every page, and every HTML answer carries
//!   a Content-Security-Policy that allows no inline script (the page has none: its one script is
//!   the boot file), plus the other headers;
//! - requests that cannot be valid (a bounded fuzz over every route, form and server function)
//!   get a 4xx with a reason, never a 5xx, and log no ERROR;
//! - slow clients are cut off, and a body declared too large is refused before it is sent;
//! - every documented JSON endpoint answers what its OpenAPI document says.

use crate::common;

use crate::common::{app::App, faucet};
use devchain::gov::scenario::ScenarioSettings;
use proptest::{
    prelude::*,
    strategy::ValueTree,
    test_runner::{Config as ProptestConfig, TestRunner},
};
use serde_json::{json, Value};
use sqlx::PgPool;
use std::{
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

/// A validator of devchain's recorded set (Cosmostation).
const OPERATOR: &str = "cosmosvaloper1clpqr4nrk4khgkxj78fcwwh6dl3uw4epsluffn";

/// ERROR events logged while one test runs: a client's mistake must not log one.
///
/// The recorder is this thread's default subscriber until the guard drops. `#[sqlx::test]`
/// runs the test, its server and its workers on one current-thread runtime, so everything the
/// test starts is recorded and nothing of the tests running beside it in this binary is.
struct ErrorLog {
    errors: Arc<Mutex<Vec<String>>>,
    _scope: tracing::subscriber::DefaultGuard,
}

fn errors_logged() -> ErrorLog {
    use tracing_subscriber::prelude::*;
    let errors = Arc::new(Mutex::new(Vec::new()));
    let recorder = tracing_subscriber::registry().with(ErrorRecorder(errors.clone()));
    ErrorLog {
        errors,
        _scope: tracing::subscriber::set_default(recorder),
    }
}

fn assert_no_errors(log: ErrorLog) {
    let errors = log.errors.lock().unwrap().clone();
    assert!(errors.is_empty(), "ERRORs were logged: {errors:#?}");
}

struct ErrorRecorder(Arc<Mutex<Vec<String>>>);

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for ErrorRecorder {
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        if *event.metadata().level() == tracing::Level::ERROR {
            let mut fields = String::new();
            event.record(
                &mut |field: &tracing::field::Field, value: &dyn std::fmt::Debug| {
                    fields.push_str(&format!("{}={value:?} ", field.name()));
                },
            );
            self.0
                .lock()
                .unwrap()
                .push(format!("{}: {fields}", event.metadata().target()));
        }
    }
}

async fn collected(app: &App, what: &str, path: &str, check: impl Fn(&Value) -> bool) {
    common::eventually(30, what, || async {
        let (status, body) = app.json(path).await;
        (status == 200 && check(&body)).then_some(())
    })
    .await;
}

/// The `href` of every link in a page. Escaped text holds no `<a `, so these are real tags.
fn link_targets(html: &str) -> Vec<String> {
    html.match_indices("<a ")
        .filter_map(|(start, _)| {
            let tag = &html[start..start + html[start..].find('>')?];
            let value = &tag[tag.find("href=\"")? + 6..];
            Some(value[..value.find('"')?].to_string())
        })
        .collect()
}

/// The opening `<script …>` tags of a page.
fn script_tags(html: &str) -> Vec<&str> {
    html.match_indices("<script")
        .map(|(at, _)| &html[at..at + html[at..].find('>').unwrap() + 1])
        .collect()
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn hostile_chain_text_stays_inert_and_every_page_carries_the_security_headers(pool: PgPool) {
    let errors = errors_logged();
    let chain = common::devchain_without_scenario().await;
    let hostile = chain.make_hostile();
    let app = App::start(&pool, chain, 1).await;
    collected(
        &app,
        "the hostile validators",
        "/api/v1/networks/cosmoshub/validators?q=Evil&status=all",
        |v| v["total"] == 5,
    )
    .await;
    let proposals = &hostile["proposals"];
    collected(
        &app,
        "the hostile proposals",
        "/api/v1/networks/cosmoshub/proposals",
        |v| {
            v["proposals"]
                .as_array()
                .is_some_and(|list| list.iter().any(|p| p["id"] == proposals["metadata"]))
        },
    )
    .await;

    let mut pages: Vec<String> = [
        "/",
        "/validators?status=all",
        "/proposals",
        "/proposals?status=voting",
        "/alerts",
        "/faucet",
        "/system",
        "/no/such/page",
        "/alerts/confirm?token=AAAA",
        "/alerts/unsubscribe?token=AAAA",
    ]
    .iter()
    .map(|p| p.to_string())
    .collect();
    for operator in hostile["operators"].as_array().unwrap() {
        pages.push(format!("/validators/{}", operator.as_str().unwrap()));
    }
    for id in ["scenario", "untitled", "metadata"] {
        pages.push(format!("/proposals/cosmoshub/{}", proposals[id]));
    }
    let client = app.client();
    for page in &pages {
        let response = client
            .get(format!("{}{page}", app.server.url()))
            .send()
            .await
            .unwrap();
        let headers = response.headers().clone();
        let header = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string()
        };
        let html = response.text().await.unwrap();
        assert!(header("content-type").starts_with("text/html"), "{page}");
        assert_eq!(header("x-content-type-options"), "nosniff", "{page}");
        assert_eq!(header("x-frame-options"), "DENY", "{page}");
        assert!(!header("referrer-policy").is_empty(), "{page}");
        let policy = header("content-security-policy");
        for directive in [
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
        ] {
            assert!(policy.contains(directive), "{page}: {policy}");
        }
        let scripts = policy
            .split(';')
            .find(|d| d.trim().starts_with("script-src"))
            .unwrap();
        assert!(!scripts.contains("unsafe-inline"), "{page}: {policy}");
        assert!(!scripts.contains("nonce-"), "{page}: {policy}");
        let tags = script_tags(&html);
        assert_eq!(tags.len(), 1, "{page}: one script, the boot file: {tags:?}");
        assert!(
            tags[0].starts_with("<script type=\"module\" src=\"/pkg/boot."),
            "{page}: {tags:?}"
        );
        // Chain text reaches the page only as text: none of it is markup.
        for markup in [
            "<script>alert",
            "<img src=x",
            "<svg onload",
            "<iframe",
            "<style>body",
            "<b onmouseover",
            "\u{202E}",
        ] {
            assert!(!html.contains(markup), "{page} holds {markup:?}");
        }
        for target in link_targets(&html) {
            let scheme = target.trim().to_ascii_lowercase();
            assert!(
                !scheme.starts_with("javascript:") && !scheme.starts_with("data:"),
                "{page} links to {target:?}"
            );
        }
        assert!(!html.contains("<title></title><script>"), "{page}");
    }
    let (_, title_page) = app
        .get(&format!(
            "/validators/{}",
            hostile["operators"][0].as_str().unwrap()
        ))
        .await;
    assert!(title_page.contains(
        "<title>&lt;/title&gt;&lt;script&gt;alert(&#39;moniker&#39;)&lt;/script&gt;Evil · Validators · Stakeboard</title>"
    ));
    let (_, untitled) = app
        .json(&format!(
            "/api/v1/networks/cosmoshub/proposals/{}",
            proposals["untitled"]
        ))
        .await;
    assert_eq!(
        untitled["proposal"]["title"],
        format!("Proposal #{} · MsgSoftwareUpgrade", proposals["untitled"])
    );
    let (_, from_metadata) = app
        .json(&format!(
            "/api/v1/networks/cosmoshub/proposals/{}",
            proposals["metadata"]
        ))
        .await;
    assert_eq!(
        from_metadata["proposal"]["title"],
        "</title><script>alert('metadata title')</script>Evil upgrade",
        "the API gives chain text as it is: JSON escapes it"
    );
    assert_no_errors(errors);
    app.server.stop().await.unwrap();
}

/// One request of the fuzz: what a client could send.
#[derive(Debug, Clone)]
struct Probe {
    method: reqwest::Method,
    path: String,
    body: Option<(&'static str, String)>,
}

/// Values for path segments, query values and form fields: valid ones, edge cases, and
/// arbitrary bytes.
fn value() -> impl Strategy<Value = String> {
    let known = prop::sample::select(vec![
        "cosmoshub".to_string(),
        "devnet".to_string(),
        OPERATOR.to_string(),
        OPERATOR.to_uppercase(),
        "cosmos1clpqr4nrk4khgkxj78fcwwh6dl3uw4ep4tgu9q".to_string(),
        "988".to_string(),
        "1".to_string(),
        "0".to_string(),
        "-1".to_string(),
        "99999999999999999999999".to_string(),
        String::new(),
        "%00".to_string(),
        "%2541".to_string(),
        "%2500".to_string(),
        "%ff%fe".to_string(),
        "%C3%A9".to_string(),
        "a".repeat(300),
        "..%2f..%2fetc%2fpasswd".to_string(),
        "<script>alert(1)</script>".to_string(),
        "'; DROP TABLE validators; --".to_string(),
        "voting".to_string(),
        "all".to_string(),
        "desc".to_string(),
        "1e309".to_string(),
        "NaN".to_string(),
    ]);
    let arbitrary = prop::collection::vec(any::<u8>(), 0..48).prop_map(|bytes| {
        percent_encoding::percent_encode(&bytes, percent_encoding::NON_ALPHANUMERIC).to_string()
    });
    let text = "\\PC{0,24}".prop_map(|s| {
        percent_encoding::utf8_percent_encode(&s, percent_encoding::NON_ALPHANUMERIC).to_string()
    });
    prop_oneof![4 => known, 2 => arbitrary, 1 => text]
}

/// Query or form pairs: the names the routes read, with any value.
fn pairs() -> impl Strategy<Value = Vec<(&'static str, String)>> {
    let key = prop::sample::select(vec![
        "status",
        "q",
        "sort",
        "dir",
        "limit",
        "offset",
        "network",
        "token",
        "votes",
        "email",
        "error",
        "saved",
        "done",
        "id",
        "address",
        "captcha",
        "voting",
        "result",
        "validators:cosmoshub",
        "reminder_hours:cosmoshub",
        "operator",
        "query[q]",
        "query[status]",
        "query[limit]",
    ]);
    prop::collection::vec((key, value()), 0..5)
}

fn probe(server_fns: Vec<String>) -> impl Strategy<Value = Probe> {
    let mut templates: Vec<String> = [
        "/",
        "/validators",
        "/networks/{}/validators",
        "/validators/{}",
        "/proposals",
        "/networks/{}/proposals",
        "/proposals/{}/{}",
        "/proposals/{}/{}/votes.csv",
        "/alerts",
        "/alerts/check-inbox",
        "/alerts/confirm",
        "/alerts/manage",
        "/alerts/unsubscribe",
        "/alerts/subscribe",
        "/alerts/resubscribe",
        "/faucet",
        "/faucet/claim",
        "/faucet/claims/{}",
        "/system",
        "/healthz",
        "/metrics",
        "/credit",
        "/pkg/{}",
        "/{}",
        "/{}/{}",
        "/api/v1/networks",
        "/api/v1/openapi.json",
        "/api/v1/networks/{}/validators",
        "/api/v1/networks/{}/validators/{}",
        "/api/v1/networks/{}/validators/{}/votes",
        "/api/v1/networks/{}/proposals",
        "/api/v1/networks/{}/proposals/{}",
        "/api/v1/networks/{}/proposals/{}/votes",
        "/api/v1/networks/{}/faucet",
        "/api/v1/networks/{}/faucet/claims",
        "/api/v1/networks/{}/faucet/claims/{}",
        "/api/v1/faucet/challenge",
        "/api/v1/elections",
        "/api/v1/elections/{}",
        "/api/v1/elections/{}/results",
        "/api/v1/elections/{}/receipts/{}",
        "/api/v1/elections/{}/bundle",
        "/api/v1/elections/{}/ballots",
        "/elections",
        "/elections/{}",
        "/elections/{}/receipt",
        "/admin",
        "/admin/login",
        "/admin/logout",
        "/admin/audit",
        "/admin/elections",
        "/admin/elections/new",
        "/admin/elections/{}",
        "/admin/elections/{}/open-now",
        "/admin/elections/{}/extend",
        "/admin/elections/{}/cancel",
        "/admin/elections/{}/allowlist",
        "/api/v1/{}",
    ]
    .iter()
    .map(|t| t.to_string())
    .collect();
    templates.extend(server_fns);
    let method = prop::sample::select(vec![
        reqwest::Method::GET,
        reqwest::Method::GET,
        reqwest::Method::POST,
        reqwest::Method::POST,
        reqwest::Method::HEAD,
        reqwest::Method::OPTIONS,
        reqwest::Method::PUT,
        reqwest::Method::DELETE,
    ]);
    let body = prop_oneof![
        Just(None),
        pairs().prop_map(|p| Some(("application/x-www-form-urlencoded", join(&p)))),
        (value(), value()).prop_map(|(a, c)| Some((
            "application/json",
            json!({ "address": decode(&a), "captcha": decode(&c), "denom": "uatom" }).to_string()
        ))),
        "\\PC{0,40}".prop_map(|s| Some(("application/json", s))),
        prop::collection::vec(any::<u8>(), 0..64)
            .prop_map(|b| Some(("text/plain", String::from_utf8_lossy(&b).into_owned()))),
    ];
    (
        method,
        prop::sample::select(templates),
        prop::collection::vec(value(), 2),
        pairs(),
        body,
    )
        .prop_map(|(method, template, segments, query, body)| {
            let mut path = template;
            for segment in &segments {
                path = path.replacen("{}", segment, 1);
            }
            if !query.is_empty() {
                path = format!("{path}?{}", join(&query));
            }
            Probe { method, path, body }
        })
}

fn join(pairs: &[(&str, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| {
            format!(
                "{}={v}",
                percent_encoding::utf8_percent_encode(k, percent_encoding::NON_ALPHANUMERIC)
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

fn decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

/// How many requests the fuzz sends (`FUZZ_CASES` to change it).
fn cases() -> u32 {
    std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3000)
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn requests_that_cannot_be_valid_get_a_4xx_never_a_5xx(pool: PgPool) {
    let errors = errors_logged();
    let chain = common::devchain_without_scenario().await;
    chain.start_scenario(ScenarioSettings {
        delegators: 20,
        deposit_secs: 0,
        voting_secs: 3600,
        ..ScenarioSettings::default()
    });
    let app = App::start(&pool, chain, 2).await;
    collected(
        &app,
        "the validators",
        "/api/v1/networks/cosmoshub/validators",
        |v| v["total"] == 180,
    )
    .await;
    let server_fns: Vec<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_string())
        .collect();
    assert!(server_fns.len() >= 8, "{server_fns:?}");

    // Sampled from the strategy with a fixed seed: the same requests on every run.
    let mut runner = TestRunner::new_with_rng(
        ProptestConfig::default(),
        proptest::test_runner::TestRng::deterministic_rng(
            proptest::test_runner::RngAlgorithm::ChaCha,
        ),
    );
    let strategy = probe(server_fns);
    let client = app.client();
    let mut failures = Vec::new();
    let mut statuses = std::collections::BTreeMap::<u16, usize>::new();
    for _ in 0..cases() {
        let probe = strategy.new_tree(&mut runner).unwrap().current();
        let mut request = client.request(
            probe.method.clone(),
            format!("{}{}", app.server.url(), probe.path),
        );
        if let Some((kind, body)) = &probe.body {
            request = request.header("content-type", *kind).body(body.clone());
        }
        let status = match request.send().await {
            Ok(response) => response.status().as_u16(),
            Err(e) => {
                failures.push(format!("{probe:?}: no answer: {e}"));
                continue;
            }
        };
        *statuses.entry(status).or_default() += 1;
        if status >= 500 {
            failures.push(format!("{probe:?}: {status}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} requests failed:\n{}",
        failures.len(),
        cases(),
        failures.join("\n")
    );
    // The fuzz reached the handlers, not only the guard.
    for status in [200, 400, 404] {
        assert!(
            statuses.get(&status).is_some_and(|n| *n > 10),
            "{statuses:?}"
        );
    }
    assert_no_errors(errors);
    app.server.stop().await.unwrap();
}

/// Reads until the server answers or closes; what it sent, and when that happened.
async fn answer_of(stream: &mut tokio::net::TcpStream, within: Duration) -> (String, Duration) {
    let started = Instant::now();
    let mut answer = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        match tokio::time::timeout(within, stream.read(&mut buffer)).await {
            Ok(Ok(0)) | Ok(Err(_)) => break,
            Ok(Ok(n)) => {
                answer.extend_from_slice(&buffer[..n]);
                if answer.windows(4).any(|w| w == b"\r\n\r\n") {
                    break;
                }
            }
            Err(_) => panic!("the server still holds the connection after {within:?}"),
        }
    }
    (
        String::from_utf8_lossy(&answer).into_owned(),
        started.elapsed(),
    )
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn slow_clients_are_cut_off_and_oversized_bodies_refused_up_front(pool: PgPool) {
    let errors = errors_logged();
    let chain = common::devchain_without_scenario().await;
    let app = App::start_with(&pool, chain, 60, |config| {
        config.http_header_timeout_secs = 2;
        config.http_body_timeout_secs = 2;
    })
    .await;
    let addr = app.server.addr;
    let limit = Duration::from_secs(8);

    // Headers that trickle in, a byte now and then: cut off after the header deadline.
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let trickle = tokio::spawn(async move {
        for byte in b"X-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".iter() {
            tokio::time::sleep(Duration::from_millis(300)).await;
            if stream.write_all(&[*byte]).await.is_err() {
                return (stream, true);
            }
        }
        (stream, false)
    });
    let (mut stream, cut) = trickle.await.unwrap();
    let (_, took) = answer_of(&mut stream, limit).await;
    assert!(cut || took < limit, "the trickling client was disconnected");

    // A connection that sends nothing.
    let mut idle = tokio::net::TcpStream::connect(addr).await.unwrap();
    let (answer, took) = answer_of(&mut idle, limit).await;
    assert!(took < limit && !answer.contains("200 OK"), "{answer}");

    // A body that trickles: answered (4xx) or cut off after the body deadline.
    let mut slow_body = tokio::net::TcpStream::connect(addr).await.unwrap();
    slow_body
        .write_all(b"POST /alerts/subscribe HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nemail=")
        .await
        .unwrap();
    let (mut reader, mut writer) = slow_body.into_split();
    let trickle = tokio::spawn(async move {
        for _ in 0..90 {
            tokio::time::sleep(Duration::from_millis(300)).await;
            if writer.write_all(b"a").await.is_err() {
                break;
            }
        }
    });
    let started = Instant::now();
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(limit, reader.read_to_end(&mut answer)).await;
    trickle.abort();
    let answer = String::from_utf8_lossy(&answer);
    assert!(
        started.elapsed() < limit,
        "the trickling body still held the connection after {limit:?}"
    );
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 4"),
        "{answer}"
    );

    // A declared length far over any limit: 413 before a byte of the body is sent.
    for path in [
        "/credit",
        "/alerts/subscribe",
        "/api/v1/networks/cosmoshub/faucet/claims",
    ] {
        let mut huge = tokio::net::TcpStream::connect(addr).await.unwrap();
        huge.write_all(
            format!("POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 99999999999\r\n\r\n").as_bytes(),
        )
        .await
        .unwrap();
        let (answer, took) = answer_of(&mut huge, Duration::from_secs(5)).await;
        assert!(answer.starts_with("HTTP/1.1 413"), "{path}: {answer}");
        assert!(took < Duration::from_secs(2), "{path}: answered at once");
    }

    // OPTIONS * answers what the server takes, without a page or an error.
    let mut options = tokio::net::TcpStream::connect(addr).await.unwrap();
    options
        .write_all(b"OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let (answer, _) = answer_of(&mut options, limit).await;
    assert!(answer.starts_with("HTTP/1.1 204"), "{answer}");
    assert!(answer
        .to_lowercase()
        .contains("allow: get, head, post, options"));
    assert_no_errors(errors);
    app.server.stop().await.unwrap();
}

/// The OpenAPI document with every `#/components/schemas/X` reference turned into a local
/// `$defs` one, so one response schema validates on its own.
fn response_validator(doc: &Value, schema: &Value) -> jsonschema::Validator {
    let defs = doc["components"]["schemas"].clone();
    let text = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$defs": defs,
        "allOf": [schema],
    })
    .to_string()
    .replace("#/components/schemas/", "#/$defs/");
    jsonschema::validator_for(&serde_json::from_str(&text).unwrap())
        .expect("the document's schemas compile")
}

/// Sends `method path` and checks the answer against the document's schema for its status.
async fn check_against_document(
    app: &App,
    doc: &Value,
    template: &str,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let client = app.client();
    let url = format!("{}{path}", app.server.url());
    let request = match (method, body) {
        ("post", Some(body)) => client.post(url).json(&body),
        ("post", None) => client.post(url),
        _ => client.get(url),
    };
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let answer: Value = response.json().await.unwrap();
    let responses = &doc["paths"][template][method]["responses"];
    let schema = &responses[status.to_string()]["content"]["application/json"]["schema"];
    assert!(
        !schema.is_null(),
        "{method} {path} answered {status}, which the document does not describe: {answer}"
    );
    let validator = response_validator(doc, schema);
    let problems: Vec<String> = validator
        .iter_errors(&answer)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        problems.is_empty(),
        "{method} {path} ({status}) does not match the document:\n{}",
        problems.join("\n")
    );
    (status, answer)
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn every_documented_endpoint_answers_as_the_openapi_document_says(pool: PgPool) {
    let errors = errors_logged();
    let chain = faucet::chain(300, 100_000_000_000).await;
    let proposal = chain.start_scenario(ScenarioSettings {
        delegators: 20,
        deposit_secs: 0,
        voting_secs: 3600,
        ..ScenarioSettings::default()
    });
    // A third of the period gone: votes are in.
    chain.fast_forward(proposal, 1_200_000);
    let app = faucet::app(&pool, chain, "", |_| {}).await;
    collected(
        &app,
        "votes",
        &format!("/api/v1/networks/devnet/proposals/{proposal}/votes"),
        |v| v["total"].as_i64().unwrap_or(0) > 0,
    )
    .await;
    let (status, doc) = app.json("/api/v1/openapi.json").await;
    assert_eq!(status, 200);
    assert!(
        doc["openapi"].as_str().unwrap().starts_with("3.1"),
        "{}",
        doc["openapi"]
    );
    let networks = &doc["paths"]["/api/v1/networks"]["get"]["responses"]["200"]["content"]
        ["application/json"]["schema"];
    assert!(
        !response_validator(&doc, networks).is_valid(&json!({ "networks": [{ "network": 5 }] })),
        "the schemas are strict enough to catch a wrong answer"
    );

    let solution = faucet::solution(&pool, chrono::Utc::now().timestamp() + 600).await;
    let (_, claim) = check_against_document(
        &app,
        &doc,
        "/api/v1/networks/{network}/faucet/claims",
        "post",
        "/api/v1/networks/devnet/faucet/claims",
        Some(json!({ "address": faucet::recipient(1), "captcha": solution })),
    )
    .await;
    let paths = doc["paths"].as_object().unwrap();
    let mut checked = 0;
    for (template, item) in paths {
        for method in item.as_object().unwrap().keys() {
            let id = if template.contains("/claims/") {
                claim["id"].to_string()
            } else {
                proposal.to_string()
            };
            let fill = |network: &str| {
                let mut path = template.clone();
                let hash = "a".repeat(64);
                for (name, value) in [
                    ("network", network),
                    ("operator", OPERATOR),
                    ("id", &id),
                    ("ballot_hash", &hash),
                ] {
                    path = path.replace(&format!("{{{name}}}"), value);
                }
                assert!(
                    !path.contains('{'),
                    "a parameter of {template} is not filled"
                );
                path
            };
            let body = match template.as_str() {
                "/credit" => Some(json!({ "address": faucet::recipient(2), "denom": "uatom" })),
                _ if method == "post" => Some(json!({ "address": faucet::recipient(3) })),
                _ => None,
            };
            check_against_document(&app, &doc, template, method, &fill("devnet"), body.clone())
                .await;
            if template.contains("{network}") {
                // The error answers are documented too.
                let (status, _) =
                    check_against_document(&app, &doc, template, method, &fill("nope"), body).await;
                assert_eq!(status, 404, "{method} {template} on an unknown network");
            }
            checked += 1;
        }
    }
    assert!(checked >= 12, "{checked} endpoints checked");
    assert_no_errors(errors);
    app.server.stop().await.unwrap();
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn server_functions_answer_a_clients_mistakes_with_4xx(pool: PgPool) {
    let errors = errors_logged();
    let chain = common::devchain_without_scenario().await;
    let app = App::start(&pool, chain, 2).await;
    collected(
        &app,
        "the validators",
        "/api/v1/networks/cosmoshub/validators",
        |v| v["total"] == 180,
    )
    .await;
    let path_of = |name: &str| {
        leptos::server_fn::axum::server_fn_paths()
            .map(|(path, _)| path)
            .find(|path| path.contains(name))
            .unwrap_or_else(|| panic!("no server function {name}"))
    };
    let call = |name: &'static str, form: &'static str| {
        let url = format!("{}{}", app.server.url(), path_of(name));
        let client = app.client();
        async move {
            let response = client
                .post(url)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(form)
                .send()
                .await
                .unwrap();
            (response.status().as_u16(), response.text().await.unwrap())
        }
    };
    for (name, form, status, reason) in [
        (
            "get_validator",
            "operator=cosmosvaloper1clpqr4nrk4khgkxj78fcwwh6dl3uw4epsluffn",
            200,
            "",
        ),
        (
            "get_validator",
            "operator=cosmosvaloper1nothing",
            400,
            "not a validator operator address",
        ),
        (
            "get_validator",
            "operator=cosmosvaloper1qurswpc8qurswpc8qurswpc8qurswpc8k8n0vj",
            404,
            "No validator",
        ),
        (
            "get_validator",
            "operator=cosmosvaloper1clpqr4nrk4khgkxj78fcwwh6dl3uw4epsluffn&network=%00devnet",
            404,
            "No network",
        ),
        ("get_validator", "", 400, "arguments are not valid"),
        ("get_proposal", "network=nope&id=1", 404, "No network"),
        (
            "get_proposal",
            "network=cosmoshub&id=many",
            400,
            "arguments are not valid",
        ),
        (
            "get_proposal",
            "network=cosmoshub&id=123456",
            404,
            "No proposal #123456",
        ),
        (
            "list_proposals",
            "network=cosmoshub&query[tab]=bogus",
            400,
            "arguments are not valid",
        ),
        ("manage_subscription", "token=forged", 404, "not valid"),
        ("get_claim", "id=-5", 404, ""),
    ] {
        let (got, body) = call(name, form).await;
        assert_eq!(got, status, "{name}({form}): {body}");
        assert!(body.contains(reason), "{name}({form}): {body}");
    }
    assert_no_errors(errors);
    app.server.stop().await.unwrap();
}
