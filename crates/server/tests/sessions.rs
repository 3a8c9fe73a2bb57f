//! Sessions and sign-ins against a real database: sessions end, coordinators
//! sign out and can be removed, sign-in attempts are throttled, and every
//! API answer is kept out of caches.

use axum::http::{header, StatusCode};
use serde_json::json;
use tower::ServiceExt;
use walkbook_server::campaigns::invite;
use walkbook_server::coordinators::{add_coordinator, remove_coordinator};

mod common;
use common::{call, get, post, server, Server};

const DAY_MS: i64 = 86_400_000;

async fn volunteer(server: &Server) -> String {
    let (_, code) = invite(&server.db, &server.campaigns, "demo-xingfu", "A", &[], 60_000).await.unwrap();
    let (status, cookie, body) = call(server, post("/api/v1/join", None, json!({ "code": code }).to_string())).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let cookie = cookie.unwrap();
    assert!(cookie.contains("Max-Age=15552000"), "a volunteer's cookie lives 180 days, no longer: {cookie}");
    cookie.split(';').next().unwrap().to_string()
}

async fn coordinator(server: &Server) -> (String, String) {
    let (id, code) = add_coordinator(&server.db, "Secretary Liu", &["demo-xingfu".to_string()]).await.unwrap();
    let (status, cookie, _) = call(server, post("/api/v1/coordinator/login", None, json!({ "code": code }).to_string())).await;
    assert_eq!(status, StatusCode::OK);
    (id, cookie.unwrap().split(';').next().unwrap().to_string())
}

/// Moves every session of `table` back in time by `ms`.
async fn age_sessions(server: &Server, table: &str, created_ms: i64, used_ms: i64) {
    sqlx::query(&format!("UPDATE {table} SET created_at = created_at - $1, last_used_at = last_used_at - $2"))
        .bind(created_ms)
        .bind(used_ms)
        .execute(&server.db)
        .await
        .unwrap();
}

#[tokio::test]
async fn volunteer_sessions_end_after_30_days_unused_or_180_in_all() {
    let server = server().await;
    let pull = "/api/v1/sync/pull?cursor=0";
    let unused = volunteer(&server).await;
    age_sessions(&server, "sessions", 31 * DAY_MS, 31 * DAY_MS).await;
    let used = volunteer(&server).await;
    let (status, _, body) = call(&server, get(pull, &unused)).await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("session_expired")));
    assert!(body["error"]["message"].as_str().unwrap().contains("Records on the phone are kept"), "{body}");
    assert_eq!(call(&server, get(pull, &used)).await.0, StatusCode::OK);
    // Used every day, a session still ends 180 days after it began.
    age_sessions(&server, "sessions", 181 * DAY_MS, 0).await;
    assert_eq!(call(&server, get(pull, &used)).await.0, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn coordinators_sessions_end_sign_out_and_removal() {
    let server = server().await;
    let me = "/api/v1/coordinator/me";
    let (_, idle) = coordinator(&server).await;
    age_sessions(&server, "coordinator_sessions", 13 * 3_600_000, 13 * 3_600_000).await;
    let (status, _, body) = call(&server, get(me, &idle)).await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("session_expired")));

    let (_, signed_in) = coordinator(&server).await;
    assert_eq!(call(&server, get(me, &signed_in)).await.0, StatusCode::OK);
    let (status, cookie, _) = call(&server, post("/api/v1/coordinator/logout", Some(&signed_in), "")).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(cookie.unwrap().contains("Max-Age=0"));
    assert_eq!(call(&server, get(me, &signed_in)).await.0, StatusCode::UNAUTHORIZED);

    let (id, removed) = coordinator(&server).await;
    let (_, unused_link) = add_coordinator(&server.db, "Deputy", &[]).await.unwrap();
    assert_eq!(remove_coordinator(&server.db, &id).await.unwrap(), "Secretary Liu");
    assert_eq!(call(&server, get(me, &removed)).await.0, StatusCode::UNAUTHORIZED);
    assert!(remove_coordinator(&server.db, &id).await.is_err(), "removed once");
    let (status, _, _) = call(&server, post("/api/v1/coordinator/login", None, json!({ "code": unused_link }).to_string())).await;
    assert_eq!(status, StatusCode::OK, "removing one coordinator leaves the others");
}

#[tokio::test]
async fn guessing_join_codes_is_throttled_before_any_lookup() {
    let server = server().await;
    let mut statuses = Vec::new();
    for n in 0..40 {
        let (status, _, body) = call(&server, post("/api/v1/join", None, json!({ "code": format!("WRONG{n:05}") }).to_string())).await;
        statuses.push((status, body["error"]["code"].as_str().unwrap().to_string()));
    }
    assert!(statuses[..20].iter().all(|(status, code)| *status == StatusCode::UNAUTHORIZED && code == "join_code_unusable"));
    assert!(statuses[20..].iter().all(|(status, code)| *status == StatusCode::TOO_MANY_REQUESTS && code == "too_many_attempts"));
    let response = server.app.clone().oneshot(post("/api/v1/coordinator/login", None, r#"{"code":"x"}"#)).await.unwrap();
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS, "logins share the budget");
    let retry: u64 = response.headers()[header::RETRY_AFTER].to_str().unwrap().parse().unwrap();
    assert!((1..=3).contains(&retry), "{retry}");
}

#[tokio::test]
async fn api_answers_are_never_cached_and_links_ignore_the_host_header() {
    let server = server().await;
    let cookie = volunteer(&server).await;
    let mut request = get("/api/v1/sync/pull?cursor=0", &cookie);
    request.headers_mut().insert(header::HOST, "evil.example".parse().unwrap());
    let response = server.app.clone().oneshot(request).await.unwrap();
    assert_eq!(response.headers()[header::CACHE_CONTROL], "no-store");
    assert!(response.headers().get(header::STRICT_TRANSPORT_SECURITY).is_none(), "plain http: no HSTS");
    let (_, coordinator_cookie) = coordinator(&server).await;
    let request = axum::http::Request::post("/api/v1/coordinator/campaigns/demo-xingfu/volunteers")
        .header(header::COOKIE, &coordinator_cookie)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::HOST, "evil.example")
        .header("x-forwarded-proto", "https")
        .header("x-forwarded-host", "evil.example")
        .body(axum::body::Body::from(r#"{"name":"B"}"#))
        .unwrap();
    let (status, cookie, invitation) = call(&server, request).await;
    assert_eq!(status, StatusCode::OK, "{invitation}");
    assert!(cookie.is_none());
    assert!(invitation["link"].as_str().unwrap().starts_with("http://127.0.0.1:8080/join#code="), "{invitation}");
}

#[tokio::test]
async fn over_https_cookies_are_secure_and_hsts_is_sent() {
    let server = common::server_with(walkbook_server::config::Config::new("https://walkbook.example.org", false).unwrap()).await;
    let (_, code) = invite(&server.db, &server.campaigns, "demo-xingfu", "A", &[], 60_000).await.unwrap();
    let response = server.app.clone().oneshot(post("/api/v1/join", None, json!({ "code": code }).to_string())).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()[header::SET_COOKIE].to_str().unwrap().ends_with("; Secure"));
    assert_eq!(response.headers()[header::STRICT_TRANSPORT_SECURITY], "max-age=31536000");
}
