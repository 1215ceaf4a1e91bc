//! The review desk: an axum server with server-rendered pages (askama templates, checked at compile
//! time) and a JSON API under `/api/` that does everything the pages do.
//!
//! - Pages work without JavaScript (forms post and redirect); `assets/app.js` adds saving in place,
//!   findings refreshed after each save, and keyboard commands.
//! - Every text from releases, comments and the glossary reaches HTML through askama's escaping; ingest
//!   keeps only text from HTML sources, so no markup of a release is ever rendered.
//! - Browsers authenticate with a session cookie and must echo its CSRF token on every state-changing
//!   request (form field `csrf` or header `X-CSRF-Token`); scripts use bearer tokens.
//! - Every change goes through a `Store` verb, which appends to the event log with the user's name.

pub mod api;
pub mod auth;
pub mod desk;
pub mod feed;
pub mod i18n;
mod metrics;
mod pages;
mod svg;
mod view;

use audarma_review::Terminology;
use audarma_store::{Store, StoreError, User};
use auth::{LoginLimiter, Role};
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use i18n::{I18n, I18nError, Locale};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

/// How the desk is run.
#[derive(Clone)]
pub struct DeskConfig {
    /// Mark cookies `Secure` (the desk is served over TLS, usually behind a proxy).
    pub secure_cookies: bool,
    /// How long a login lasts.
    pub session_hours: i64,
    /// Failed logins allowed per name within `login_window` (four times as many per address).
    pub login_attempts: usize,
    pub login_window: Duration,
    /// The desk is behind a reverse proxy: take the client's address from `X-Forwarded-For` (for the
    /// login rate limit), which only a proxy that sets it may be trusted with.
    pub behind_proxy: bool,
    /// With `behind_proxy`: how many proxies in front of the desk append to `X-Forwarded-For` (the
    /// client's address is the entry the outermost of them appended). Usually 1.
    pub trusted_proxies: usize,
    /// When set, `/metrics` answers only requests with `Authorization: Bearer <this>`. Never logged.
    pub metrics_token: Option<String>,
    /// The lowest MQM score an annotated job is approved with unless the reviewer gives a reason
    /// (the workflow's `[review] mqm_pass`).
    pub mqm_pass: f64,
    /// How long the reports page shows figures it computed before refreshing them in the background.
    pub report_fresh: Duration,
}

impl std::fmt::Debug for DeskConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeskConfig")
            .field("secure_cookies", &self.secure_cookies)
            .field("session_hours", &self.session_hours)
            .field("login_attempts", &self.login_attempts)
            .field("login_window", &self.login_window)
            .field("behind_proxy", &self.behind_proxy)
            .field("trusted_proxies", &self.trusted_proxies)
            .field("metrics_token", &self.metrics_token.as_ref().map(|_| "<set>"))
            .finish()
    }
}

impl Default for DeskConfig {
    fn default() -> Self {
        DeskConfig {
            secure_cookies: false,
            session_hours: 12,
            login_attempts: 5,
            login_window: Duration::from_secs(300),
            behind_proxy: false,
            trusted_proxies: 1,
            metrics_token: None,
            mqm_pass: audarma_store::DEFAULT_MQM_PASS,
            report_fresh: Duration::from_secs(60),
        }
    }
}

/// What every request handler shares.
pub struct Desk {
    pub store: Arc<dyn Store>,
    pub terms: Arc<Terminology>,
    pub i18n: I18n,
    pub config: DeskConfig,
    limiter: LoginLimiter,
    metrics: metrics::Metrics,
    /// The reports page's figures, shared by its readers.
    pub(crate) reports: pages::reports::ReportCache,
}

pub type AppState = Arc<Desk>;

impl Desk {
    pub fn new(store: Arc<dyn Store>, terms: Arc<Terminology>, config: DeskConfig) -> Result<AppState, I18nError> {
        Ok(Arc::new(Desk {
            store,
            terms,
            i18n: I18n::new()?,
            limiter: LoginLimiter::new(config.login_attempts, config.login_window),
            config,
            metrics: metrics::Metrics::default(),
            reports: Default::default(),
        }))
    }
}

/// The largest request body the desk reads: a segment (at most 5,000 characters) or a comment (10,000)
/// with room to spare. A larger one is refused (413) before it is buffered.
pub const MAX_BODY: usize = 256 * 1024;

/// The whole desk: pages, API, assets, health and metrics.
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(pages::routes())
        .nest("/api", api::routes())
        .route("/feed/{file}", get(feed::atom))
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics::render))
        .route(
            "/assets/app.js",
            get(|| async { asset("text/javascript; charset=utf-8", include_str!("../assets/app.js")) }),
        )
        .route("/assets/app.css", get(|| async { asset("text/css; charset=utf-8", include_str!("../assets/app.css")) }))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY))
        .layer(axum::middleware::from_fn_with_state(state.clone(), metrics::track))
        .layer(axum::middleware::from_fn(security_headers))
        .with_state(state)
}

/// Serves the desk until the process is stopped (Ctrl-C or SIGTERM), finishing requests in flight.
pub async fn serve(state: AppState, listener: tokio::net::TcpListener) -> std::io::Result<()> {
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app).with_graceful_shutdown(shutdown()).await
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}

fn asset(content_type: &'static str, body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "public, max-age=3600")], body).into_response()
}

/// No inline script can run (the CSP allows only our own files), pages cannot be framed, and types are
/// not sniffed.
async fn security_headers(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    let set = |h: &mut HeaderMap, k: &'static str, v: &'static str| {
        h.insert(k, header::HeaderValue::from_static(v));
    };
    set(
        h,
        "content-security-policy",
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    );
    set(h, "x-content-type-options", "nosniff");
    set(h, "x-frame-options", "DENY");
    set(h, "referrer-policy", "same-origin");
    res
}

async fn healthz(State(desk): State<AppState>) -> Response {
    match desk.store.job_counts().await {
        Ok(_) => (StatusCode::OK, "ok\n").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check: the store does not answer");
            (StatusCode::SERVICE_UNAVAILABLE, "store unavailable\n").into_response()
        }
    }
}

/// An API error: a status and a JSON body `{"error": "...", "code": "..."}`.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError { status, code, message: message.into() }
    }
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", message)
    }
    pub fn unauthorized() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthorized", "log in, or send a bearer token")
    }
}

impl From<desk::DeskError> for ApiError {
    fn from(e: desk::DeskError) -> Self {
        use desk::DeskError;
        match e {
            DeskError::Forbidden(m) => ApiError::forbidden(m),
            DeskError::BadRequest(m) => ApiError::bad_request(m),
            DeskError::TooLarge(m) => ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "too_large", m),
            DeskError::WrongState(m) => ApiError::new(StatusCode::CONFLICT, "wrong_state", m),
            DeskError::Store(e) => e.into(),
            DeskError::Internal(m) => {
                tracing::error!(error = %m, "desk error");
                ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", m)
            }
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        let (status, code) = match &e {
            StoreError::NoSuchJob(_)
            | StoreError::NoSuchSegment { .. }
            | StoreError::NoSuchUser(_)
            | StoreError::NoSuchToken(_)
            | StoreError::NoSuchDelivery(_)
            | StoreError::NoSuchFinding { .. }
            | StoreError::NoSuchAnnotation { .. } => (StatusCode::NOT_FOUND, "not_found"),
            StoreError::Conflict { .. } => (StatusCode::CONFLICT, "stale_version"),
            StoreError::WrongState { .. } | StoreError::LeaseLost(_) | StoreError::DeliveryLeaseLost(_) => {
                (StatusCode::CONFLICT, "wrong_state")
            }
            StoreError::UserExists(_) => (StatusCode::CONFLICT, "exists"),
            StoreError::Taken { .. } => (StatusCode::CONFLICT, "taken"),
            StoreError::BadSearch(_) | StoreError::BadSpan { .. } => (StatusCode::BAD_REQUEST, "bad_request"),
            StoreError::Blocked { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "blocked_by_findings"),
            StoreError::MqmFailed { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "mqm_failed"),
            StoreError::Incomplete { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "incomplete"),
            StoreError::Database(_) | StoreError::Corrupt { .. } => {
                tracing::error!(error = %e, "store error");
                return ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "internal error; see the server log",
                );
            }
        };
        ApiError::new(status, code, e.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut res =
            (self.status, Json(serde_json::json!({ "error": self.message, "code": self.code }))).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            res.headers_mut().insert(header::WWW_AUTHENTICATE, header::HeaderValue::from_static("Bearer"));
        }
        res
    }
}

/// How a caller proved who they are.
#[derive(Debug, Clone)]
pub enum Via {
    /// A browser session; state-changing requests must carry this CSRF token.
    Session { csrf: String },
    /// A bearer token (not sent by browsers on their own, so no CSRF token is needed).
    Token,
}

/// The authenticated user of a request.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user: User,
    pub via: Via,
}

impl Caller {
    pub fn role(&self) -> Role {
        self.user.role
    }

    pub fn csrf(&self) -> &str {
        match &self.via {
            Via::Session { csrf } => csrf,
            Via::Token => "",
        }
    }

    /// A session's state-changing request must echo its CSRF token; a token's need not.
    pub fn csrf_ok(&self, sent: Option<&str>) -> bool {
        match &self.via {
            Via::Session { csrf } => sent.is_some_and(|s| auth::same_secret(s, csrf)),
            Via::Token => true,
        }
    }

    /// Who authenticated this request, if anyone (`None` for no or unknown credentials).
    async fn from_headers(desk: &Desk, headers: &HeaderMap) -> Result<Option<Caller>, ApiError> {
        // A bearer token; any other Authorization scheme (a proxy's Basic auth) leaves the session cookie.
        let bearer = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        if let Some(token) = bearer {
            let user = desk.store.user_by_token(&auth::token_hash(token)).await?;
            return Ok(user.map(|user| Caller { user, via: Via::Token }));
        }
        if let Some(value) = auth::cookie(headers, auth::SESSION_COOKIE) {
            let session = desk.store.session(&auth::token_hash(&value)).await?;
            return Ok(session.map(|s| Caller { user: s.user, via: Via::Session { csrf: s.csrf } }));
        }
        Ok(None)
    }
}

/// An API caller: 401 without valid credentials, 403 when a session's state-changing request lacks
/// its CSRF header.
pub struct ApiCaller(pub Caller);

impl FromRequestParts<AppState> for ApiCaller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, desk: &AppState) -> Result<Self, Self::Rejection> {
        let caller = Caller::from_headers(desk, &parts.headers).await?.ok_or_else(ApiError::unauthorized)?;
        let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
        let sent = parts.headers.get(auth::CSRF_HEADER).and_then(|v| v.to_str().ok());
        if !safe && !caller.csrf_ok(sent) {
            return Err(ApiError::new(StatusCode::FORBIDDEN, "csrf", "missing or wrong X-CSRF-Token header"));
        }
        Ok(ApiCaller(caller))
    }
}

/// The client's address: the connection's peer, or behind a proxy the first `X-Forwarded-For` entry.
pub fn client_ip(config: &DeskConfig, headers: &HeaderMap, peer: SocketAddr) -> std::net::IpAddr {
    if config.behind_proxy {
        // Each proxy appends the address it received the request from; entries to the left of those
        // the trusted proxies wrote are the client's own say, which anyone can forge. Take the one the
        // outermost trusted proxy appended: the `trusted_proxies`-th from the right.
        let entries: Vec<&str> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .collect();
        let hops = config.trusted_proxies.max(1);
        let forwarded = entries.len().checked_sub(hops).and_then(|i| entries[i].parse().ok());
        if let Some(ip) = forwarded {
            return ip;
        }
    }
    peer.ip()
}

/// The locale of a request: the user's setting, then the language cookie, then `Accept-Language`.
pub fn locale_of(headers: &HeaderMap, user: Option<&User>) -> Locale {
    user.and_then(|u| u.locale.as_deref())
        .and_then(Locale::parse)
        .or_else(|| auth::cookie(headers, auth::LANG_COOKIE).as_deref().and_then(Locale::parse))
        .or_else(|| {
            headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).and_then(Locale::from_accept_language)
        })
        .unwrap_or(Locale::En)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn behind_a_proxy_the_client_is_what_the_proxy_appended_not_what_the_client_wrote() {
        let peer: SocketAddr = "10.0.0.2:5000".parse().unwrap();
        let mut h = HeaderMap::new();
        // The client forged the first entry; the proxy appended the address it saw.
        h.insert("x-forwarded-for", "1.2.3.4, 203.0.113.7".parse().unwrap());
        let open = DeskConfig::default();
        assert_eq!(client_ip(&open, &h, peer), peer.ip(), "without --behind-proxy the header is ignored");
        let one = DeskConfig { behind_proxy: true, ..Default::default() };
        assert_eq!(client_ip(&one, &h, peer).to_string(), "203.0.113.7");
        let two = DeskConfig { behind_proxy: true, trusted_proxies: 2, ..Default::default() };
        assert_eq!(client_ip(&two, &h, peer).to_string(), "1.2.3.4");
        h.append("x-forwarded-for", "198.51.100.9".parse().unwrap());
        assert_eq!(client_ip(&one, &h, peer).to_string(), "198.51.100.9", "several headers are one list");
        let three = DeskConfig { behind_proxy: true, trusted_proxies: 9, ..Default::default() };
        assert_eq!(client_ip(&three, &h, peer), peer.ip(), "fewer entries than trusted proxies: the peer");
    }
}
