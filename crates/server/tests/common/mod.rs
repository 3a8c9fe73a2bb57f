//! What the endpoint's integration tests share: a real server (router, state,
//! a SQLite file in a temporary folder) and request helpers.
#![allow(dead_code)] // each test file uses its own part of this

use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;
use walkbook_core::campaign::CampaignBundle;
use walkbook_core::demo::demo_campaign;
use walkbook_server::campaigns::{insert_campaign, CampaignCache};
use walkbook_server::config::Config;
use walkbook_server::coordinators::add_coordinator;
use walkbook_server::{db, pwa::Pwa, router, AppState};

pub struct Server {
    pub app: axum::Router,
    pub db: db::Db,
    pub campaigns: Arc<CampaignCache>,
    _dir: tempfile::TempDir,
}

/// A server on a fresh database: a SQLite file, or, when the test setup
/// started PostgreSQL (`WALKBOOK_TEST_POSTGRES_URL`, see scripts/test.sh),
/// a new database there.
pub async fn server() -> Server {
    // Phone reports are written only when the volunteers list reads them, so
    // a test can tell a pull wrote nothing, however slow the machine.
    let mut config = Config::default();
    config.phone_reports_every = std::time::Duration::from_secs(3600);
    server_with(config).await
}

/// A server as `server()`, reached at `config`'s public URL.
pub async fn server_with(config: Config) -> Server {
    let dir = tempfile::tempdir().unwrap();
    let dist = dir.path().join("dist");
    std::fs::create_dir(&dist).unwrap();
    std::fs::write(dist.join("index.html"), "<!DOCTYPE html><title>t</title>").unwrap();
    let db = match std::env::var("WALKBOOK_TEST_POSTGRES_URL") {
        Ok(url) => db::open(&fresh_postgres_database(&url).await).await.unwrap(),
        Err(_) => db::open_sqlite(&dir.path().join("walkbook.sqlite3")).await.unwrap(),
    };
    insert_campaign(&db, &demo_campaign()).await.unwrap();
    insert_campaign(&db, &other_campaign()).await.unwrap();
    let state = AppState::new(db.clone(), Pwa::load(&dist).unwrap(), config);
    let campaigns = state.campaigns.clone();
    Server { app: router(state), db, campaigns, _dir: dir }
}

/// Creates an empty database on the server at `url`; returns its URL.
async fn fresh_postgres_database(url: &str) -> String {
    use sqlx::Connection;
    let name = format!("walkbook_test_{}", uuid::Uuid::new_v4().simple());
    let mut admin = sqlx::PgConnection::connect(url).await.expect("the test PostgreSQL answers");
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut admin).await.unwrap();
    let (base, _) = url.rsplit_once('/').expect("a URL ending in /database");
    format!("{base}/{name}")
}

pub fn other_campaign() -> CampaignBundle {
    let mut bundle = demo_campaign();
    bundle.campaign.id = "other".into();
    bundle
}

pub async fn call(server: &Server, request: Request<Body>) -> (StatusCode, Option<String>, Value) {
    let response = server.app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let cookie = response.headers().get(header::SET_COOKIE).map(|v| v.to_str().unwrap().to_string());
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    (status, cookie, body)
}

pub fn post(uri: &str, cookie: Option<&str>, body: impl Into<Body>) -> Request<Body> {
    let mut request = Request::post(uri).header(header::CONTENT_TYPE, "application/json");
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    request.body(body.into()).unwrap()
}

pub fn get(uri: &str, cookie: &str) -> Request<Body> {
    Request::get(uri).header(header::COOKIE, cookie).body(Body::empty()).unwrap()
}

/// Signs in a new coordinator running `campaigns`; returns their cookie.
pub async fn coordinator(server: &Server, campaigns: &[&str]) -> String {
    let campaigns: Vec<String> = campaigns.iter().map(ToString::to_string).collect();
    let (_, code) = add_coordinator(&server.db, "Secretary Liu", &campaigns).await.unwrap();
    let (status, cookie, body) = call(server, post("/api/v1/coordinator/login", None, json!({ "code": code }).to_string())).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let cookie = cookie.unwrap();
    assert!(cookie.starts_with("walkbook_coordinator=") && cookie.contains("HttpOnly"), "{cookie}");
    // A login link works once.
    let (again, _, _) = call(server, post("/api/v1/coordinator/login", None, json!({ "code": code }).to_string())).await;
    assert_eq!(again, StatusCode::UNAUTHORIZED);
    cookie.split(';').next().unwrap().to_string()
}

pub fn request(method: &str, uri: &str, cookie: &str, content_type: &str, body: impl Into<Body>) -> Request<Body> {
    Request::builder()
        .method(method)
        .uri(uri)
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, content_type)
        .header(header::HOST, "walkbook.example")
        .body(body.into())
        .unwrap()
}

pub async fn text(server: &Server, request: Request<Body>) -> (StatusCode, String) {
    let (status, _, bytes) = bytes(server, request).await;
    (status, String::from_utf8(bytes).unwrap())
}

/// The status, headers and body bytes of an answer (a file).
pub async fn bytes(server: &Server, request: Request<Body>) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let response = server.app.clone().oneshot(request).await.unwrap();
    let (status, headers) = (response.status(), response.headers().clone());
    (status, headers, response.into_body().collect().await.unwrap().to_bytes().to_vec())
}

pub async fn volunteer_cookie(server: &Server, code: &str) -> String {
    let (status, cookie, body) = call(server, post("/api/v1/join", None, json!({ "code": code }).to_string())).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    cookie.unwrap().split(';').next().unwrap().to_string()
}

/// Invites a volunteer to `campaign` through the console's API as the
/// coordinator of `cookie`: (status, the invitation or the error).
pub async fn invite_volunteer(server: &Server, cookie: &str, campaign: &str, name: &str) -> (StatusCode, Value) {
    let body = json!({ "name": name }).to_string();
    let uri = format!("/api/v1/coordinator/campaigns/{campaign}/volunteers");
    let (status, _, invitation) = call(server, request("POST", &uri, cookie, "application/json", body)).await;
    (status, invitation)
}

/// Pushes `records` from phone-1 as the volunteer of `cookie`; the results.
pub async fn push_records(server: &Server, cookie: &str, records: &[&Value]) -> Vec<Value> {
    let body = json!({ "device_id": "phone-1", "records": records }).to_string();
    let (status, _, answer) = call(server, post("/api/v1/sync/push", Some(cookie), body)).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    answer["results"].as_array().unwrap().clone()
}
