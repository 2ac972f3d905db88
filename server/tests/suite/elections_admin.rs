//! Admin accounts and the election pages over HTTP: the login page for anyone not logged in,
//! wrong passwords and the lockout with the time it lifts, forged cross-site posts refused, a
//! session that ends when its account is disabled, the election form with its errors, every
//! page of the area, and the JSON API of elections with its refusals.

use crate::{
    common,
    common::app::App,
    elections_lifecycle::{address, key, signed},
};
use app::elections::{ballots, choice::Choice};
use reqwest::{header, redirect::Policy, Client, StatusCode};
use sqlx::PgPool;

const MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");
const EMAIL: &str = "ops@example.org";
const PASSWORD: &str = "correct horse battery staple";

struct Browser {
    http: Client,
    base: String,
    cookie: Option<String>,
}

impl Browser {
    fn new(app: &App) -> Self {
        Self {
            http: Client::builder().redirect(Policy::none()).build().unwrap(),
            base: app.server.url(),
            cookie: None,
        }
    }

    async fn get(&self, path: &str) -> (StatusCode, String, String) {
        let mut request = self.http.get(format!("{}{path}", self.base));
        if let Some(cookie) = &self.cookie {
            request = request.header(header::COOKIE, cookie);
        }
        let response = request.send().await.unwrap();
        let location = response
            .headers()
            .get(header::LOCATION)
            .map(|l| l.to_str().unwrap().to_string())
            .unwrap_or_default();
        (response.status(), location, response.text().await.unwrap())
    }

    /// Posts a form from `origin` (`None`: with neither Origin nor Referer); keeps the cookie
    /// the answer sets.
    async fn post(
        &mut self,
        path: &str,
        form: &[(&str, &str)],
        origin: Option<&str>,
    ) -> (StatusCode, String) {
        let mut request = self.http.post(format!("{}{path}", self.base)).form(form);
        if let Some(origin) = origin {
            request = request.header(header::ORIGIN, origin);
        }
        if let Some(cookie) = &self.cookie {
            request = request.header(header::COOKIE, cookie);
        }
        let response = request.send().await.unwrap();
        if let Some(set) = response.headers().get(header::SET_COOKIE) {
            let set = set.to_str().unwrap().to_string();
            assert!(
                set.contains("HttpOnly")
                    && set.contains("SameSite=Strict")
                    && set.contains("Path=/admin"),
                "{set}"
            );
            self.cookie = Some(set.split(';').next().unwrap().to_string());
        }
        let location = response
            .headers()
            .get(header::LOCATION)
            .map(|l| l.to_str().unwrap().to_string())
            .unwrap_or_default();
        (response.status(), location)
    }
}

async fn create_admin(pool: &PgPool) {
    server::admin::cli::create(pool, EMAIL, &secrecy::SecretString::from(PASSWORD))
        .await
        .unwrap();
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn admins_log_in_and_nobody_else_gets_in(pool: PgPool) {
    let app = App::start(&pool, common::devchain_without_scenario().await, 600).await;
    create_admin(&pool).await;
    let mut browser = Browser::new(&app);
    let site = app.server.url();

    // Pages send anyone not logged in to the login page; forms and functions get 401.
    let (status, location, _) = browser.get("/admin/elections/new").await;
    assert_eq!(
        (status, location.as_str()),
        (
            StatusCode::SEE_OTHER,
            "/admin/login?next=%2Fadmin%2Felections%2Fnew"
        )
    );
    let (status, _) = browser
        .post("/admin/elections", &[("title", "x")], Some(&site))
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // Admin server functions live under /admin too: refused without a session (401), and
    // refused from another site before that (403).
    let function = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path)
        .find(|path| path.contains("get_admin_elections"))
        .expect("the admin list's server function");
    assert!(function.starts_with("/admin/"), "{function}");
    assert_eq!(
        browser.post(function, &[], Some(&site)).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        browser.post(function, &[], None).await.0,
        StatusCode::FORBIDDEN
    );
    let (status, _, login) = browser.get("/admin/login").await;
    assert!(status.is_success() && login.contains("data-testid=\"login-form\""));

    // A wrong password and an unknown account get the same answer.
    let (_, location) = browser
        .post(
            "/admin/login",
            &[("email", EMAIL), ("password", "wrong password!")],
            Some(&site),
        )
        .await;
    assert!(location.contains("wrong+e-mail+or+password"), "{location}");
    let (_, unknown) = browser
        .post(
            "/admin/login",
            &[
                ("email", "nobody@example.org"),
                ("password", "wrong password!"),
            ],
            Some(&site),
        )
        .await;
    assert!(unknown.contains("wrong+e-mail+or+password"), "{unknown}");
    // A login posted from another site is refused before the password is checked.
    let (status, _) = browser
        .post(
            "/admin/login",
            &[("email", EMAIL), ("password", PASSWORD)],
            Some("http://evil.example"),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(browser.cookie.is_none());

    let (status, location) = browser
        .post(
            "/admin/login",
            &[
                ("email", EMAIL),
                ("password", PASSWORD),
                ("next", "/admin/elections/new"),
            ],
            Some(&site),
        )
        .await;
    assert_eq!(
        (status, location.as_str()),
        (StatusCode::SEE_OTHER, "/admin/elections/new")
    );
    assert!(browser.cookie.is_some());
    let (status, _, page) = browser.get("/admin/elections/new").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(EMAIL) && page.contains("data-testid=\"election-form\""));

    // A form error comes back beside its field, with what was typed.
    let start = (chrono::Utc::now() + chrono::Duration::days(1))
        .format("%Y-%m-%dT%H:%M")
        .to_string();
    let form = [
        ("network", "cosmoshub"),
        ("title", "Steward <b>vote</b>"),
        ("question", "Who?"),
        ("options", "Only one"),
        ("method", "single"),
        ("power_source", "validators"),
        ("quorum", "40"),
        ("voting_start", &start),
        ("voting_end", &start),
    ];
    let (status, location) = browser.post("/admin/elections", &form, Some(&site)).await;
    assert_eq!(
        (status, location.as_str()),
        (StatusCode::SEE_OTHER, "/admin/elections/new")
    );
    let (_, _, page) = browser.get("/admin/elections/new").await;
    assert!(
        page.contains("data-testid=\"error-options\"")
            && page.contains("data-testid=\"error-voting_end\""),
        "{page}"
    );
    assert!(
        page.contains("Steward &lt;b&gt;vote&lt;/b&gt;"),
        "the typed title is back, escaped"
    );
    // Without an Origin or a Referer, or from another site, nothing is created.
    let end = (chrono::Utc::now() + chrono::Duration::days(3))
        .format("%Y-%m-%dT%H:%M")
        .to_string();
    let good = [
        ("network", "cosmoshub"),
        ("title", "Steward vote"),
        ("question", "Who?"),
        ("options", "Alice\nBob"),
        ("method", "single"),
        ("power_source", "validators"),
        ("quorum", "40"),
        ("voting_start", &start),
        ("voting_end", &end),
        ("live_tally_public", "on"),
    ];
    assert_eq!(
        browser.post("/admin/elections", &good, None).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        browser
            .post("/admin/elections", &good, Some("http://evil.example"))
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM elections")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(count, 0);
    let (status, location) = browser.post("/admin/elections", &good, Some(&site)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let id: i64 = location
        .trim_start_matches("/admin/elections/")
        .parse()
        .expect(&location);
    let (status, _, page) = browser.get(&location).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("is scheduled"), "the outcome is shown once");
    let (_, _, again) = browser.get(&location).await;
    assert!(!again.contains("is scheduled"));
    for path in [
        "/admin/elections",
        "/admin/audit",
        "/elections",
        &format!("/elections/{id}"),
    ] {
        let (status, _, page) = browser.get(path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(
            page.contains("Steward vote") || path == "/admin/audit",
            "{path}"
        );
    }
    let (_, _, audit) = browser.get("/admin/audit").await;
    assert!(
        audit.contains("Created an election") && audit.contains("Logged in"),
        "{audit}"
    );

    // A new password (`admin create` again) ends every session opened with the old one.
    let new_password = "another long password";
    server::admin::cli::create(&pool, EMAIL, &secrecy::SecretString::from(new_password))
        .await
        .unwrap();
    let (status, location, _) = browser.get("/admin/elections").await;
    assert_eq!(
        (status, location.starts_with("/admin/login")),
        (StatusCode::SEE_OTHER, true)
    );
    // A `next` that is not a plain admin path leads to the election list.
    browser.cookie = None;
    let (_, location) = browser
        .post(
            "/admin/login",
            &[
                ("email", EMAIL),
                ("password", new_password),
                ("next", "/admin/\nx\u{7}"),
            ],
            Some(&site),
        )
        .await;
    assert_eq!(location, "/admin/elections");
    let (_, again) = browser
        .post(
            "/admin/login",
            &[
                ("email", EMAIL),
                ("password", new_password),
                ("next", "https://evil.example/admin"),
            ],
            Some(&site),
        )
        .await;
    assert_eq!(again, "/admin/elections");
    assert_eq!(browser.get("/admin/elections").await.0, StatusCode::OK);

    // Disabling the account ends its session at the next request.
    server::admin::cli::disable(&pool, EMAIL).await.unwrap();
    let (status, location, _) = browser.get("/admin/elections").await;
    assert_eq!(
        (status, location.starts_with("/admin/login")),
        (StatusCode::SEE_OTHER, true)
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn too_many_failed_logins_lock_the_account_until_a_stated_time(pool: PgPool) {
    let app = App::start(&pool, common::devchain_without_scenario().await, 600).await;
    create_admin(&pool).await;
    let mut browser = Browser::new(&app);
    let site = app.server.url();
    for _ in 0..5 {
        browser
            .post(
                "/admin/login",
                &[("email", EMAIL), ("password", "not the password")],
                Some(&site),
            )
            .await;
    }
    let (_, location) = browser
        .post(
            "/admin/login",
            &[("email", EMAIL), ("password", PASSWORD)],
            Some(&site),
        )
        .await;
    assert!(
        location.contains("too+many+failed+logins+for+this+account") && location.contains("UTC"),
        "{location}"
    );
    assert!(
        browser.cookie.is_none(),
        "locked: even the right password does not log in"
    );
    let (_, other) = browser
        .post(
            "/admin/login",
            &[("email", "other@example.org"), ("password", "x")],
            Some(&site),
        )
        .await;
    assert!(
        other.contains("wrong+e-mail"),
        "another account is not locked: {other}"
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_elections_api_answers_and_refuses_with_reasons(pool: PgPool) {
    let app = App::start(&pool, common::devchain_without_scenario().await, 600).await;
    let identity = crate::elections_lifecycle::admin_of(&pool).await;
    let actor = app::elections::admin::Actor {
        admin: &identity,
        ip: None,
    };
    let draft = crate::elections_lifecycle::draft(
        "approval",
        "allowlist",
        "Alice\nBob\nCarol",
        chrono::Duration::hours(2),
    );
    let id = app::elections::admin::create(&pool, &actor, &draft)
        .await
        .unwrap();
    let csv = format!("{},7\n{},3\n", address(&key(0)), address(&key(1)));
    app::elections::admin::upload_allowlist(&pool, &actor, id, &csv)
        .await
        .unwrap();
    app::elections::admin::open_now(&pool, &actor, id)
        .await
        .unwrap();
    common::eventually(30, "the election to open", || async {
        let (_, e) = app.json(&format!("/api/v1/elections/{id}")).await;
        (e["state"] == "open").then_some(())
    })
    .await;

    let (status, list) = app.json("/api/v1/elections?state=open").await;
    assert_eq!(
        (status, list["elections"][0]["id"].as_i64()),
        (200, Some(id))
    );
    assert_eq!(app.json("/api/v1/elections?state=nope").await.0, 400);
    assert_eq!(app.json("/api/v1/elections/abc").await.0, 400);
    assert_eq!(app.json("/api/v1/elections/999999").await.0, 404);
    assert_eq!(
        app.json(&format!("/api/v1/elections/{id}/results")).await.0,
        409
    );
    assert_eq!(
        app.json(&format!("/api/v1/elections/{id}/bundle")).await.0,
        409
    );
    assert_eq!(
        app.json(&format!("/api/v1/elections/{id}/receipts/xyz"))
            .await
            .0,
        400
    );
    assert_eq!(
        app.json(&format!(
            "/api/v1/elections/{id}/receipts/{}",
            "a".repeat(64)
        ))
        .await
        .0,
        404
    );

    let ballot = signed(&pool, id, &key(0), Choice::Options(vec![1, 3])).await;
    let path = format!("/api/v1/elections/{id}/ballots");
    let (status, receipt) = app
        .post_json(&path, &serde_json::to_value(&ballot).unwrap())
        .await;
    assert_eq!(status, 201, "{receipt}");
    let (status, again) = app
        .post_json(&path, &serde_json::to_value(&ballot).unwrap())
        .await;
    assert_eq!(status, 409, "{again}");
    let (status, bad) = app
        .post_raw(&path, "application/json", "{\"data\": 1}".into())
        .await;
    assert_eq!(status, 400, "{bad}");
    let (status, _) = app
        .post_raw(
            &path,
            "application/json",
            format!("{{\"x\": \"{}\"}}", "a".repeat(20_000)),
        )
        .await;
    assert_eq!(status, 413);
    let outsider = signed(&pool, id, &key(5), Choice::Options(vec![1])).await;
    assert_eq!(
        app.post_json(&path, &serde_json::to_value(&outsider).unwrap())
            .await
            .0,
        403
    );
    let (status, r) = app
        .json(&format!(
            "/api/v1/elections/{id}/receipts/{}",
            receipt["ballot_hash"].as_str().unwrap()
        ))
        .await;
    assert_eq!((status, r["status"].as_str()), (200, Some("recorded")));
    ballots::accept(
        &pool,
        id,
        signed(&pool, id, &key(1), Choice::Options(vec![2])).await,
    )
    .await
    .unwrap();
    let (_, page) = app.get(&format!("/elections/{id}")).await;
    assert!(
        page.contains("data-testid=\"ballot-form\"") && page.contains("Alice"),
        "the page offers the ballot form"
    );
    let (status, page) = app
        .get(&format!(
            "/elections/{id}/receipt?hash={}",
            receipt["ballot_hash"].as_str().unwrap()
        ))
        .await;
    assert!(status == 200 && page.contains("Recorded"), "{page}");
}
