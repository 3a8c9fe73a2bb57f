//! Walkbook's endpoint: collects volunteers' records and serves the PWA.

pub mod alerts;
pub mod auth;
pub mod campaigns;
pub mod config;
pub mod coordinators;
pub mod db;
pub mod device_keys;
pub mod door_status;
pub mod error;
pub mod forms;
pub mod ingest;
pub mod json;
pub mod net;
pub mod openapi;
pub mod phones;
pub mod pwa;
pub mod retention;
pub mod routes;
pub mod throttle;

use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, patch, post, put, MethodRouter};
use axum::Router;

use crate::error::ApiError;
use crate::pwa::Pwa;
use crate::routes::coordinator as console;

#[derive(Clone)]
pub struct AppState {
    pub db: db::Db,
    pub pwa: Arc<Pwa>,
    pub campaigns: Arc<campaigns::CampaignCache>,
    pub ingest: ingest::Ingest,
    pub config: Arc<config::Config>,
    /// Join and coordinator-login attempts.
    pub sign_ins: Arc<throttle::Throttle>,
    /// What phones said of themselves, written in batches.
    pub phones: Arc<phones::PhoneReports>,
}

impl AppState {
    /// The state of a running endpoint; starts the record writer and the
    /// phone reports' writer (so it must run inside the Tokio runtime).
    pub fn new(db: db::Db, pwa: Pwa, config: config::Config) -> AppState {
        let ingest = ingest::Ingest::start(db.clone());
        let phones = Arc::new(phones::PhoneReports::default());
        phones.keep_flushing(db.clone(), config.phone_reports_every);
        AppState { db, pwa: Arc::new(pwa), campaigns: Arc::default(), ingest, config: Arc::new(config), sign_ins: Arc::default(), phones }
    }
}

/// The whole HTTP surface: `/api/v1/...` and, for every other path, the PWA.
pub fn router(state: AppState) -> Router {
    let api = api_routes()
        .into_iter()
        .fold(Router::new(), |router, (path, route)| router.route(path, route))
        .fallback(unknown_api_path)
        .layer(api_compression());
    Router::new()
        .merge(api)
        .route("/api", get(unknown_api_path))
        .route(
            "/api/{*rest}",
            get(unknown_api_path).post(unknown_api_path).put(unknown_api_path).patch(unknown_api_path).delete(unknown_api_path),
        )
        .fallback(serve_pwa)
        .layer(middleware::from_fn(net::bounded_time))
        .layer(middleware::from_fn_with_state(state.clone(), security_headers))
        .with_state(state)
}

/// API answers are compressed as they are sent (the PWA's files are compressed
/// once, at start): a campaign or a pull is JSON that shrinks about tenfold,
/// and phones pull over slow mobile data. Brotli or gzip, as the client asks;
/// quality 4, because this runs per request (11 is for files compressed once).
fn api_compression() -> tower_http::compression::CompressionLayer {
    tower_http::compression::CompressionLayer::new().quality(tower_http::CompressionLevel::Precise(4))
}

/// Every API endpoint, by path.
pub fn api_routes() -> Vec<(&'static str, MethodRouter<AppState>)> {
    vec![
        ("/api/v1/health", get(routes::health::health)),
        ("/api/v1/openapi.json", get(|| async { axum::Json(openapi::document()) })),
        ("/api/v1/demo/campaign", get(routes::campaigns::demo_campaign)),
        ("/api/v1/join", post(routes::join::join)),
        ("/api/v1/sign-out", post(routes::join::sign_out)),
        (
            "/api/v1/sync/push",
            // Over the limit, the handler still answers, naming the limits.
            post(routes::sync::push).layer(DefaultBodyLimit::max(walkbook_core::sync::MAX_PUSH_BYTES)),
        ),
        ("/api/v1/sync/pull", get(routes::sync::pull)),
        ("/api/v1/coordinator/login", post(console::session::login)),
        ("/api/v1/coordinator/logout", post(console::session::logout)),
        ("/api/v1/coordinator/me", get(console::session::me)),
        ("/api/v1/coordinator/campaigns", get(console::campaigns::list_campaigns).post(console::campaigns::create_campaign)),
        ("/api/v1/coordinator/campaigns/{campaign}", get(console::campaigns::get_campaign)),
        (
            "/api/v1/coordinator/campaigns/{campaign}/territory",
            // A 200,000-door territory is several megabytes of CSV.
            put(console::campaigns::put_territory).layer(DefaultBodyLimit::max(walkbook_core::limits::MAX_TERRITORY_CSV_BYTES)),
        ),
        ("/api/v1/coordinator/campaigns/{campaign}/forms", post(console::forms::post_form)),
        (
            "/api/v1/coordinator/campaigns/{campaign}/forms/xlsform",
            post(console::forms::post_xlsform).layer(DefaultBodyLimit::max(walkbook_core::limits::MAX_XLSFORM_BYTES)),
        ),
        ("/api/v1/coordinator/campaigns/{campaign}/forms/{form}/xlsform", get(console::forms::get_xlsform)),
        ("/api/v1/coordinator/campaigns/{campaign}/settings", patch(console::campaigns::patch_settings)),
        ("/api/v1/coordinator/campaigns/{campaign}/close", post(console::campaigns::close_campaign)),
        ("/api/v1/coordinator/campaigns/{campaign}/records/{record}/void", post(console::records::void_record)),
        ("/api/v1/coordinator/campaigns/{campaign}/print/buildings/{building}", get(console::print::print_building)),
        ("/api/v1/print.css", get(console::print::print_css)),
        (
            "/api/v1/coordinator/campaigns/{campaign}/volunteers",
            get(console::volunteers::list_volunteers).post(console::volunteers::invite_volunteer),
        ),
        ("/api/v1/coordinator/campaigns/{campaign}/volunteers/{volunteer}", delete(console::volunteers::revoke_volunteer)),
        ("/api/v1/coordinator/campaigns/{campaign}/volunteers/{volunteer}/buildings", put(console::volunteers::assign_buildings)),
        ("/api/v1/coordinator/campaigns/{campaign}/coverage", get(console::coverage::coverage)),
        ("/api/v1/coordinator/campaigns/{campaign}/alerts", get(console::alerts::list_alerts)),
        ("/api/v1/coordinator/campaigns/{campaign}/alerts/{alert}/handled", post(console::alerts::handle_alert)),
        ("/api/v1/coordinator/campaigns/{campaign}/exports/{file}", get(console::exports::export)),
        ("/api/v1/coordinator/campaigns/{campaign}/needs", get(console::needs::list_needs)),
        ("/api/v1/coordinator/campaigns/{campaign}/reports/daily", get(console::reports::daily)),
        ("/api/v1/coordinator/campaigns/{campaign}/reports/daily.html", get(console::reports::daily_html)),
    ]
}

async fn unknown_api_path(method: Method, uri: axum::http::Uri) -> ApiError {
    ApiError::not_found(format!("No such endpoint: {method} {}", uri.path()))
}

async fn serve_pwa(State(state): State<AppState>, method: Method, request: Request) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return (axum::http::StatusCode::METHOD_NOT_ALLOWED, "Method not allowed").into_response();
    }
    state.pwa.respond(request.uri().path(), request.headers())
}

/// Headers every response carries, API and app alike. API answers (session
/// state, personal data, exports) are never stored by a cache.
async fn security_headers(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let api = request.uri().path().starts_with("/api");
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if api {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if state.config.https() {
        headers.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000"));
    }
    headers.insert(header::CONTENT_SECURITY_POLICY, state.pwa.content_security_policy().clone());
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    response
}
