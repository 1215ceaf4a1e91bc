//! Server-rendered pages. Every page works without JavaScript: forms post, the server answers with a
//! redirect (post/redirect/get), and a flash message says what happened.

use crate::api::{self, JobsQuery};
use crate::auth;
use crate::desk;
use crate::i18n::{Locale, Tr};
use crate::view::{self, Chunk, FindingView, TermView, TmView};
use crate::{locale_of, ApiError, AppState, Caller, Desk, Via};
use askama::Template;
use audarma_core::{Due, JobState, Lang};
use audarma_store::{Comment, JobFilter, JobId, JobSummary};
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;
use std::net::SocketAddr;

pub(crate) mod reports;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(|| async { Redirect::to("/queue") }))
        .route("/login", get(login_form).post(login))
        .route("/logout", post(logout))
        .route("/settings/locale", post(set_locale))
        .route("/queue", get(queue))
        .route("/jobs/{id}", get(job))
        .route("/jobs/{id}/segments/{n}", post(save_segment))
        .route("/jobs/{id}/segments/{n}/dismiss", post(dismiss))
        .route("/jobs/{id}/segments/{n}/words", post(add_word))
        .route("/jobs/{id}/segments/{n}/annotations", post(annotate))
        .route("/jobs/{id}/annotations/{aid}/remove", post(remove_annotation))
        .route("/reports", get(reports::page))
        .route("/findings", get(findings))
        .route("/jobs/{id}/approve", post(approve))
        .route("/jobs/{id}/reject", post(reject))
        .route("/jobs/{id}/assign", post(assign))
        .route("/jobs/{id}/comments", post(comment))
        .route("/jobs/{id}/history", get(history))
        .route("/jobs/{id}/xliff", get(xliff_download).post(xliff_upload))
        .route("/releases/{id}", get(release))
        .route("/glossary", get(glossary))
        .route("/admin/users", get(users).post(add_user))
        .route("/admin/users/{name}/role", post(set_role))
        .route("/admin/users/{name}/disable", post(disable_user))
        .route("/admin/users/{name}/enable", post(enable_user))
        .route("/admin/users/{name}/sessions/end", post(end_user_sessions))
        .route("/admin/users/{name}/password", post(reset_password))
        .route("/admin/tokens/{id}/revoke", post(revoke_token))
        .route("/account", get(account))
        .route("/account/password", post(change_password))
        .route("/account/sessions/end", post(end_my_sessions))
        .route("/account/feed-token", post(new_feed_token))
}

/// A logged-in browser (or a script with a token); anyone else is sent to the login page.
pub struct PageCaller {
    caller: Caller,
    loc: Locale,
    path: String,
}

impl FromRequestParts<AppState> for PageCaller {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, desk: &AppState) -> Result<Self, Self::Rejection> {
        let path = parts.uri.path_and_query().map(|p| p.as_str().to_string()).unwrap_or_else(|| "/".into());
        match Caller::from_headers(desk, &parts.headers).await {
            Ok(Some(caller)) => {
                let loc = locale_of(&parts.headers, Some(&caller.user));
                Ok(PageCaller { caller, loc, path })
            }
            Ok(None) => Err(Redirect::to(&format!("/login?next={}", encode(&path))).into_response()),
            Err(e) => Err(e.into_response()),
        }
    }
}

impl PageCaller {
    fn tr<'a>(&self, desk: &'a Desk) -> Tr<'a> {
        Tr { i18n: &desk.i18n, loc: self.loc }
    }

    fn page(&self, desk: &Desk, flash: Option<&str>) -> PageCtx {
        PageCtx {
            csrf: self.caller.csrf().to_string(),
            me: Some(MeView {
                name: self.caller.user.name.clone(),
                role_key: format!("role-{}", self.caller.user.role),
                admin: self.caller.role().can_manage_users(),
                reviewer: self.caller.role().can_review(),
            }),
            path: self.path.clone(),
            locales: locales(),
            flash: flash
                .filter(|f| FLASHES.contains(f))
                .map(|f| desk.i18n.message(self.loc, &format!("flash-{f}"), None)),
        }
    }

    /// The form's CSRF token must match the session's.
    fn check_csrf(&self, sent: &str) -> Result<(), ApiError> {
        if self.caller.csrf_ok(Some(sent)) {
            Ok(())
        } else {
            Err(ApiError::new(StatusCode::FORBIDDEN, "csrf", "the form's CSRF token is missing or wrong"))
        }
    }

    /// An error as a page in the user's language.
    fn fail(&self, desk: &Desk, e: impl Into<ApiError>) -> Response {
        let e: ApiError = e.into();
        let tr = self.tr(desk);
        let message = match (e.status, e.code) {
            (StatusCode::NOT_FOUND, _) => tr.t("error-not-found"),
            (StatusCode::FORBIDDEN, "csrf") => tr.t("error-csrf"),
            (StatusCode::FORBIDDEN, _) => tr.t("error-forbidden"),
            (StatusCode::CONFLICT, "stale_version") => tr.t("error-conflict"),
            _ => e.message,
        };
        let page = ErrorPage {
            tr,
            page: self.page(desk, None),
            heading: tr.t("error-title"),
            message,
            kept: None,
            back: None,
            approve: None,
        };
        (e.status, render(&page)).into_response()
    }
}

/// Forms of the pages carry the session's CSRF token in a `csrf` field.
trait CsrfToken {
    fn csrf(&self) -> &str;
}

macro_rules! csrf_token {
    ($($form:ty),*) => {
        $(impl CsrfToken for $form {
            fn csrf(&self) -> &str {
                &self.csrf
            }
        })*
    };
}

csrf_token!(
    CsrfForm,
    SegmentForm,
    DismissForm,
    WordForm,
    ApproveForm,
    RejectForm,
    AssignForm,
    CommentForm,
    NewUserForm,
    RoleForm,
    PasswordForm,
    ResetForm,
    AnnotateForm
);

/// A form posted from a page: the logged-in caller and the form, whose CSRF token matched the
/// session's. Otherwise the caller gets the error page (or the login page) and the handler never runs:
/// no page handler can forget the check.
struct Posted<T> {
    p: PageCaller,
    form: T,
}

impl<T> FromRequest<AppState> for Posted<T>
where
    T: serde::de::DeserializeOwned + CsrfToken + Send,
{
    type Rejection = Response;

    async fn from_request(req: axum::extract::Request, desk: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let p = PageCaller::from_request_parts(&mut parts, desk).await?;
        let req = axum::extract::Request::from_parts(parts, body);
        let Form(form) = Form::<T>::from_request(req, desk).await.map_err(IntoResponse::into_response)?;
        if let Err(e) = p.check_csrf(form.csrf()) {
            return Err(p.fail(desk, e));
        }
        Ok(Posted { p, form })
    }
}

/// An XLIFF file uploaded from a job page (`multipart/form-data`: the `csrf` field and the `file`):
/// the logged-in caller and the file's bytes, after the CSRF token matched the session's, as
/// [`Posted`] does for the other forms.
struct Uploaded {
    p: PageCaller,
    file: Vec<u8>,
}

impl FromRequest<AppState> for Uploaded {
    type Rejection = Response;

    async fn from_request(req: axum::extract::Request, desk: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let p = PageCaller::from_request_parts(&mut parts, desk).await?;
        let bad = |p: &PageCaller, m: &str| p.fail(desk, desk::DeskError::BadRequest(m.to_string()));
        let content_type =
            parts.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
        // The file, the token and the part headers.
        let limit = desk::MAX_XLIFF_BYTES + 16 * 1024;
        let body = match axum::body::to_bytes(body, limit).await {
            Ok(b) => b,
            Err(_) => {
                let too_large = desk::DeskError::TooLarge(format!("file: at most {} bytes", desk::MAX_XLIFF_BYTES));
                return Err(p.fail(desk, too_large));
            }
        };
        let Some(fields) = multipart(&content_type, &body) else {
            return Err(bad(&p, "the upload is not multipart/form-data"));
        };
        let field = |name: &str| fields.iter().find(|(n, _)| n == name).map(|(_, v)| *v);
        let csrf = field("csrf").map(String::from_utf8_lossy).unwrap_or_default();
        if let Err(e) = p.check_csrf(&csrf) {
            return Err(p.fail(desk, e));
        }
        let Some(file) = field("file").filter(|f| !f.is_empty()) else {
            return Err(bad(&p, "file: choose an XLIFF file to upload"));
        };
        Ok(Uploaded { file: file.to_vec(), p })
    }
}

/// The fields of a `multipart/form-data` body (name, value), or `None` when it is not one.
fn multipart<'a>(content_type: &str, body: &'a [u8]) -> Option<Vec<(String, &'a [u8])>> {
    let (mime, params) = content_type.split_once(';')?;
    if !mime.trim().eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    let boundary = params.split(';').find_map(|p| p.trim().strip_prefix("boundary="))?.trim_matches('"');
    if boundary.is_empty() {
        return None;
    }
    let delimiter = format!("--{boundary}");
    let find = |hay: &[u8], needle: &[u8], from: usize| -> Option<usize> {
        hay.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|i| i + from)
    };
    let mut fields = Vec::new();
    let mut at = find(body, delimiter.as_bytes(), 0)? + delimiter.len();
    loop {
        if body.get(at..at + 2) == Some(b"--") {
            return Some(fields);
        }
        at += 2; // CRLF after the delimiter
        let headers_end = find(body, b"\r\n\r\n", at)?;
        let headers = String::from_utf8_lossy(body.get(at..headers_end)?);
        let start = headers_end + 4;
        let end = find(body, format!("\r\n{delimiter}").as_bytes(), start)?;
        let name = headers.lines().find_map(|l| {
            let (key, value) = l.split_once(':')?;
            if !key.trim().eq_ignore_ascii_case("content-disposition") {
                return None;
            }
            value.split(';').find_map(|p| p.trim().strip_prefix("name=").map(|n| n.trim_matches('"').to_string()))
        });
        if let Some(name) = name {
            fields.push((name, body.get(start..end)?));
        }
        at = end + 2 + delimiter.len();
    }
}

/// Cookies are `Secure` when the desk is configured so, or when the proxy in front of it says the
/// request came over HTTPS (`X-Forwarded-Proto: https`; believing a forged header can only make a
/// cookie stricter).
fn secure(desk: &Desk, headers: &HeaderMap) -> bool {
    desk.config.secure_cookies
        || headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("https"))
}

/// What `?done=` may say (anything else is ignored, so a link cannot put words on the page).
const FLASHES: [&str; 17] = [
    "password-set",
    "token-revoked",
    "user-disabled",
    "user-enabled",
    "sessions-ended",
    "saved",
    "approved",
    "rejected",
    "assigned",
    "commented",
    "user-added",
    "role-changed",
    "dismissed",
    "word-added",
    "word-known",
    "annotated",
    "annotation-removed",
];

/// Percent-encodes a path for a query parameter.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Only paths on this site are followed after login or a language switch (no open redirect).
fn local_path(next: &str) -> &str {
    // Browsers drop tabs and line breaks from URLs ("/\t/evil" becomes "//evil") and read "\" as "/".
    let plain = !next.chars().any(|c| c.is_control() || c.is_whitespace() || c == '\\');
    if plain && next.starts_with('/') && !next.starts_with("//") {
        next
    } else {
        "/queue"
    }
}

fn locales() -> Vec<(&'static str, &'static str)> {
    Locale::ALL.iter().map(|l| (l.code(), l.native_name())).collect()
}

fn render(t: &impl Template) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
    }
}

pub struct MeView {
    pub name: String,
    pub role_key: String,
    pub admin: bool,
    /// Reviewers and admins: the reports page is theirs.
    pub reviewer: bool,
}

/// What the layout needs.
pub struct PageCtx {
    pub csrf: String,
    pub me: Option<MeView>,
    pub path: String,
    pub locales: Vec<(&'static str, &'static str)>,
    pub flash: Option<String>,
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    tr: Tr<'a>,
    page: PageCtx,
    heading: String,
    message: String,
    /// What the user typed, when the error means it was not saved (a conflict): shown to copy.
    kept: Option<String>,
    /// Where to take it back to.
    back: Option<String>,
    /// Approval was refused (error findings, a failing MQM score): the job, to approve with a reason.
    approve: Option<JobId>,
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage<'a> {
    tr: Tr<'a>,
    page: PageCtx,
    login_csrf: String,
    next: String,
    name: String,
    error: Option<String>,
}

#[derive(Deserialize)]
struct LoginQuery {
    next: Option<String>,
}

fn login_page(
    desk: &Desk,
    headers: &HeaderMap,
    next: &str,
    name: &str,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    let loc = locale_of(headers, None);
    let tr = Tr { i18n: &desk.i18n, loc };
    let token = auth::random_secret("");
    let page = LoginPage {
        tr,
        page: PageCtx {
            csrf: token.clone(),
            me: None,
            path: format!("/login?next={}", encode(next)),
            locales: locales(),
            flash: None,
        },
        login_csrf: token.clone(),
        next: local_path(next).to_string(),
        name: name.to_string(),
        error,
    };
    let cookie = auth::set_cookie(auth::LOGIN_CSRF_COOKIE, &token, Some(3600), secure(desk, headers));
    (status, [(header::SET_COOKIE, cookie)], render(&page)).into_response()
}

async fn login_form(State(desk): State<AppState>, headers: HeaderMap, Query(q): Query<LoginQuery>) -> Response {
    login_page(&desk, &headers, q.next.as_deref().unwrap_or("/queue"), "", None, StatusCode::OK)
}

#[derive(Deserialize)]
struct LoginForm {
    #[serde(default)]
    csrf: String,
    name: String,
    password: String,
    #[serde(default)]
    next: String,
}

async fn login(
    State(desk): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> Response {
    let loc = locale_of(&headers, None);
    let t = |k: &str| desk.i18n.message(loc, k, None);
    // Login CSRF: the form must come from our own login page (its cookie and field agree).
    let expected = auth::cookie(&headers, auth::LOGIN_CSRF_COOKIE).unwrap_or_default();
    if !auth::same_secret(&f.csrf, &expected) {
        return login_page(&desk, &headers, &f.next, &f.name, Some(t("login-expired")), StatusCode::FORBIDDEN);
    }
    let name = f.name.trim();
    if name.chars().count() > 64 {
        return login_page(&desk, &headers, &f.next, "", Some(t("login-failed")), StatusCode::UNAUTHORIZED);
    }
    let client = crate::client_ip(&desk.config, &headers, addr);
    // The attempt counts as failed until the password is verified, so parallel guesses are limited too.
    let limited = match desk.limiter.attempt(desk.store.as_ref(), client, name).await {
        Ok(limited) => limited,
        Err(e) => return ApiError::from(e).into_response(),
    };
    if let Some(wait) = limited {
        let mut res =
            login_page(&desk, &headers, &f.next, name, Some(t("login-rate-limited")), StatusCode::TOO_MANY_REQUESTS);
        if let Ok(v) = header::HeaderValue::from_str(&wait.to_string()) {
            res.headers_mut().insert(header::RETRY_AFTER, v);
        }
        return res;
    }
    let user = match desk.store.user(name).await {
        Ok(u) => u,
        Err(e) => return ApiError::from(e).into_response(),
    };
    // Verify against a dummy hash when the user does not exist, so timing does not reveal names.
    let stored = user.as_ref().map(|u| u.password_hash.clone()).unwrap_or_else(|| DUMMY_HASH.to_string());
    let password = f.password.clone();
    let ok = tokio::task::spawn_blocking(move || auth::verify_password(&password, &stored)).await.unwrap_or(false);
    // A disabled user is refused like a wrong password: the page does not say which names exist.
    let Some(user) = user.filter(|u| ok && !u.disabled) else {
        tracing::info!(user = name, %client, "failed login");
        return login_page(&desk, &headers, &f.next, name, Some(t("login-failed")), StatusCode::UNAUTHORIZED);
    };
    if let Err(e) = desk.limiter.succeeded(desk.store.as_ref(), client, name).await {
        return ApiError::from(e).into_response();
    }
    let value = auth::random_secret("");
    let csrf = auth::random_secret("");
    let hours = desk.config.session_hours;
    let expires = Utc::now() + chrono::Duration::hours(hours);
    if let Err(e) = desk.store.create_session(&auth::token_hash(&value), &user.name, &csrf, expires).await {
        return ApiError::from(e).into_response();
    }
    let secure = secure(&desk, &headers);
    let session = auth::set_cookie(auth::SESSION_COOKIE, &value, Some(hours * 3600), secure);
    let clear = auth::set_cookie(auth::LOGIN_CSRF_COOKIE, "", Some(0), secure);
    let mut res = Redirect::to(local_path(&f.next)).into_response();
    for c in [session, clear] {
        if let Ok(v) = header::HeaderValue::from_str(&c) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    res
}

/// An Argon2id hash of a random password, checked when the user name is unknown.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0Ss5hZ6cJzJ0dtQv0Ggv8Kq7lHn0d4dO0hEsbwM5N2o";

#[derive(Deserialize)]
struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

async fn logout(State(desk): State<AppState>, headers: HeaderMap, Posted { p, form: _ }: Posted<CsrfForm>) -> Response {
    if let Some(value) = auth::cookie(&headers, auth::SESSION_COOKIE) {
        if let Err(e) = desk.store.delete_session(&auth::token_hash(&value)).await {
            return p.fail(&desk, e);
        }
    }
    let clear = auth::set_cookie(auth::SESSION_COOKIE, "", Some(0), secure(&desk, &headers));
    ([(header::SET_COOKIE, clear)], Redirect::to("/login")).into_response()
}

#[derive(Deserialize)]
struct LocaleForm {
    #[serde(default)]
    csrf: String,
    locale: String,
    #[serde(default)]
    back: String,
}

/// Switches the UI language: stored with the user when logged in, and in a cookie for the login page.
async fn set_locale(State(desk): State<AppState>, headers: HeaderMap, Form(f): Form<LocaleForm>) -> Response {
    let Some(loc) = Locale::parse(&f.locale) else {
        return ApiError::bad_request(format!("locale: {:?} is not en, kk or ru", f.locale)).into_response();
    };
    match Caller::from_headers(&desk, &headers).await {
        Ok(Some(caller)) => {
            if matches!(caller.via, Via::Session { .. }) && !caller.csrf_ok(Some(&f.csrf)) {
                return ApiError::new(StatusCode::FORBIDDEN, "csrf", "the form's CSRF token is missing or wrong")
                    .into_response();
            }
            if let Err(e) = desk.store.set_user_locale(&caller.user.name, Some(loc.code())).await {
                return ApiError::from(e).into_response();
            }
        }
        Ok(None) => {}
        Err(e) => return e.into_response(),
    }
    let cookie = auth::set_cookie(auth::LANG_COOKIE, loc.code(), Some(365 * 24 * 3600), secure(&desk, &headers));
    ([(header::SET_COOKIE, cookie)], Redirect::to(local_path(&f.back))).into_response()
}

#[derive(Deserialize, Default)]
struct QueueQuery {
    #[serde(flatten)]
    jobs: JobsQuery,
    mine: Option<String>,
    #[serde(default, deserialize_with = "api::number")]
    page: Option<u32>,
    done: Option<String>,
}

pub struct FilterView {
    pub state: String,
    pub lang: String,
    pub q: String,
    pub sort: String,
    pub mine: bool,
}

pub struct CountRow {
    pub state: &'static str,
    pub state_key: String,
    pub cells: Vec<(&'static str, i64)>,
    pub total: i64,
}

pub struct JobRow {
    pub id: JobId,
    pub release_id: i64,
    pub title: String,
    pub source_lang: &'static str,
    pub target_lang: &'static str,
    pub state: &'static str,
    pub state_key: String,
    pub assignee: Option<String>,
    pub priority: i64,
    pub deadline: Option<NaiveDate>,
    /// Near or past its deadline ([`Due`]): the CSS class (`due-soon`, `due-overdue`), also the message key.
    pub due: Option<String>,
    pub release_date: Option<NaiveDate>,
    pub edited: u32,
    pub segments: u32,
}

/// Today, as deadlines are written: the date where the desk runs.
pub(crate) fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

impl From<&JobSummary> for JobRow {
    fn from(j: &JobSummary) -> Self {
        JobRow {
            due: Due::of(j.state, j.deadline, today()).map(|d| format!("due-{}", d.as_str())),
            id: j.id,
            release_id: j.release_id,
            title: j.title.clone(),
            source_lang: j.source_lang.code(),
            target_lang: j.target_lang.code(),
            state: j.state.as_str(),
            state_key: format!("state-{}", j.state.as_str()),
            assignee: j.assignee.clone(),
            priority: j.priority,
            deadline: j.deadline,
            release_date: j.release_date,
            edited: j.edited,
            segments: j.segments,
        }
    }
}

#[derive(Template)]
#[template(path = "queue.html")]
struct QueuePage<'a> {
    tr: Tr<'a>,
    page: PageCtx,
    langs: Vec<(&'static str, String)>,
    states: Vec<(&'static str, String)>,
    sorts: Vec<(&'static str, String)>,
    counts: Vec<CountRow>,
    filter: FilterView,
    total: i64,
    jobs: Vec<JobRow>,
    prev: Option<String>,
    next: Option<String>,
    page_label: String,
}

const QUEUE_PAGE: u32 = 50;

async fn queue(State(desk): State<AppState>, p: PageCaller, Query(q): Query<QueueQuery>) -> Response {
    let mine = q.mine.as_deref() == Some("1");
    let mut filter: JobFilter = match q.jobs.filter() {
        Ok(f) => f,
        Err(e) => return p.fail(&desk, e),
    };
    if mine {
        filter.assignee = Some(p.caller.user.name.clone());
    }
    let page_no = q.page.unwrap_or(1).max(1);
    filter.limit = Some(QUEUE_PAGE);
    filter.offset = (page_no - 1).saturating_mul(QUEUE_PAGE);
    let res = tokio::try_join!(desk.store.list_jobs(&filter), desk.store.count_jobs(&filter), desk.store.job_counts());
    let (jobs, total, counts) = match res {
        Ok(r) => r,
        Err(e) => return p.fail(&desk, e),
    };
    let counts = JobState::ALL
        .iter()
        .map(|s| {
            let cells: Vec<(&'static str, i64)> = Lang::ALL
                .iter()
                .map(|l| {
                    let n = counts.iter().find(|c| c.state == *s && c.target_lang == *l).map_or(0, |c| c.jobs as i64);
                    (l.code(), n)
                })
                .collect();
            let total = cells.iter().map(|c| c.1).sum();
            CountRow { state: s.as_str(), state_key: format!("state-{}", s.as_str()), cells, total }
        })
        .collect();
    let link = |page: u32| {
        let mut qs = vec![];
        for (k, v) in [
            ("state", &q.jobs.state),
            ("lang", &q.jobs.lang),
            ("q", &q.jobs.q),
            ("sort", &q.jobs.sort),
            ("mine", &q.mine),
        ] {
            if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
                qs.push(format!("{k}={}", encode(v)));
            }
        }
        qs.push(format!("page={page}"));
        format!("/queue?{}", qs.join("&"))
    };
    let pages = total.div_ceil(u64::from(QUEUE_PAGE)).max(1);
    let tr = p.tr(&desk);
    let page = QueuePage {
        tr,
        page: p.page(&desk, q.done.as_deref()),
        langs: Lang::ALL.iter().map(|l| (l.code(), format!("lang-{}", l.code()))).collect(),
        states: JobState::ALL.iter().map(|s| (s.as_str(), format!("state-{}", s.as_str()))).collect(),
        sorts: ["id", "priority", "date", "deadline"].iter().map(|s| (*s, format!("sort-{s}"))).collect(),
        counts,
        filter: FilterView {
            state: q.jobs.state.clone().unwrap_or_default(),
            lang: q.jobs.lang.clone().unwrap_or_default(),
            q: q.jobs.q.clone().unwrap_or_default(),
            sort: q.jobs.sort.clone().unwrap_or_else(|| "id".into()),
            mine,
        },
        total: total as i64,
        jobs: jobs.iter().map(JobRow::from).collect(),
        prev: (page_no > 1).then(|| link(page_no - 1)),
        next: (u64::from(page_no) < pages).then(|| link(page_no + 1)),
        page_label: format!("{} / {}", tr.num(&i64::from(page_no)), tr.num(&(pages as i64))),
    };
    render(&page)
}

pub struct SegRow {
    pub idx: u32,
    pub version: i64,
    pub source: Vec<Chunk>,
    pub terms: Vec<TermView>,
    pub suggestion: Option<String>,
    pub origin_key: String,
    pub backend: Option<String>,
    pub current: String,
    pub findings: Vec<FindingView>,
    pub has_error: bool,
    pub tm: Vec<TmView>,
    pub tm_count: i64,
    /// The current text in the Kazakh Latin alphabet (the job page's Latin view only).
    pub latin: Option<String>,
    /// The segment's MQM annotations.
    pub annotations: Vec<AnnotationRow>,
    /// The MQM error types a mark over each glossary term starts with, as JSON `[[start, end, type]]`
    /// in characters: wrong-inflection over a right term, wrong-term over a wrong one.
    pub presets: String,
}

/// An MQM annotation as the job page lists it.
pub struct AnnotationRow {
    pub id: i64,
    pub type_name: &'static str,
    /// The Fluent key of its error type's label.
    pub type_key: String,
    pub severity: &'static str,
    pub severity_key: String,
    pub marked: Option<String>,
    pub stale: bool,
    pub note: Option<String>,
    pub by: String,
    pub at: DateTime<Utc>,
}

/// The job's MQM score as the page shows it.
pub struct MqmPanel {
    pub annotated: bool,
    /// The raw score, as the locale writes it ("—" without words).
    pub score: String,
    pub threshold: String,
    pub pass: bool,
    pub penalty: i64,
    pub per_thousand: String,
    pub words: i64,
    pub neutral: i64,
    pub minor: i64,
    pub major: i64,
    pub critical: i64,
}

impl MqmPanel {
    fn new(loc: Locale, view: &desk::MqmView) -> MqmPanel {
        let s = &view.score;
        MqmPanel {
            annotated: !view.annotations.is_empty(),
            score: s.raw_score.map(|r| loc.decimal(r, 1)).unwrap_or_else(|| "—".into()),
            threshold: loc.decimal(s.threshold, 1),
            pass: s.pass,
            penalty: s.penalty_total as i64,
            per_thousand: s.per_thousand_words.map(|r| loc.decimal(r, 1)).unwrap_or_else(|| "—".into()),
            words: s.words as i64,
            neutral: s.counts.neutral as i64,
            minor: s.counts.minor as i64,
            major: s.counts.major as i64,
            critical: s.counts.critical as i64,
        }
    }
}

/// [`SegRow::presets`] of a segment's glossary terms.
fn mqm_presets(spans: &[audarma_review::TermSpan]) -> String {
    use audarma_analytics::ErrorType;
    let presets: Vec<(usize, usize, &str)> = spans
        .iter()
        .map(|t| {
            let kind = if t.right { ErrorType::WrongInflection } else { ErrorType::WrongTerm };
            (t.start, t.end, kind.as_str())
        })
        .collect();
    serde_json::to_string(&presets).unwrap_or_else(|_| "[]".into())
}

/// The Fluent key of an MQM error type's label (`mqm-type-terminology-wrong-inflection`).
pub fn mqm_type_key(t: audarma_analytics::ErrorType) -> String {
    format!("mqm-type-{}", t.as_str().replace('/', "-"))
}

#[derive(Template)]
#[template(path = "job.html")]
struct JobPage<'a> {
    tr: Tr<'a>,
    page: PageCtx,
    job: JobRow,
    segments: Vec<SegRow>,
    comments: Vec<Comment>,
    editable: bool,
    can_review: bool,
    can_assign: bool,
    /// May mark findings "not a problem" and add words (and the job is in review).
    can_judge: bool,
    me_name: String,
    /// The job's target is Kazakh: the page offers the Latin view (`?script=latn`).
    offers_latin: bool,
    /// This is the Latin view: the target text in the Kazakh Latin alphabet, read-only.
    latin: bool,
    /// When the page was rendered, in milliseconds: each edit form carries it, so a save knows the
    /// seconds spent in the editor.
    opened: i64,
    mqm: MqmPanel,
    /// May add and remove MQM annotations (who may review).
    can_annotate: bool,
    /// The MQM error types (stable name, label key) and severities (name, label key) for the forms.
    mqm_types: Vec<(&'static str, String)>,
    mqm_severities: Vec<(&'static str, String)>,
}

#[derive(Deserialize)]
struct DoneQuery {
    done: Option<String>,
}

#[derive(Deserialize)]
struct JobQuery {
    done: Option<String>,
    /// `latn`: the target text of a Kazakh job in the Latin alphabet (read-only).
    script: Option<String>,
}

async fn job(
    State(desk): State<AppState>,
    p: PageCaller,
    Path(id): Path<JobId>,
    Query(d): Query<JobQuery>,
) -> Response {
    let (v, mqm) = match tokio::try_join!(desk::job_view(&desk, id), desk::mqm(&desk, id)) {
        Ok(v) => v,
        Err(e) => return p.fail(&desk, e),
    };
    let offers_latin = v.summary.target_lang == Lang::Kk;
    let latin = match d.script.as_deref() {
        None => false,
        Some("latn") if offers_latin => true,
        Some(s) => {
            let e = desk::DeskError::BadRequest(format!(
                "script={s:?}: the only other script is latn, for a job into Kazakh (this one is into {})",
                v.summary.target_lang
            ));
            return p.fail(&desk, e);
        }
    };
    let role = p.caller.role();
    // The Latin view is for reading: edits and judgements are made on the Kazakh text itself.
    let editable = v.summary.state.is_editable() && role.can_edit() && !latin;
    let segments = v
        .segments
        .into_iter()
        .map(|s| SegRow {
            idx: s.idx,
            version: s.version,
            has_error: s.findings.iter().any(|f| f.blocking),
            tm_count: s.tm.len() as i64,
            presets: mqm_presets(&s.term_spans),
            latin: latin.then(|| desk.terms.kk_latin(&s.current)),
            source: s.source_chunks,
            terms: s.terms,
            suggestion: s.suggestion,
            origin_key: format!("origin-{}", s.origin),
            backend: s.backend,
            annotations: mqm
                .annotations
                .iter()
                .filter(|a| a.annotation.idx == s.idx)
                .map(|a| AnnotationRow {
                    id: a.annotation.id,
                    type_name: a.annotation.error_type.as_str(),
                    type_key: mqm_type_key(a.annotation.error_type),
                    severity: a.annotation.severity.as_str(),
                    severity_key: format!("mqm-sev-{}", a.annotation.severity.as_str()),
                    marked: a.marked.clone(),
                    stale: a.stale,
                    note: a.annotation.note.clone(),
                    by: a.annotation.created_by.clone(),
                    at: a.annotation.created_at,
                })
                .collect(),
            current: s.current,
            findings: s.findings,
            tm: s.tm,
        })
        .collect();
    let page = JobPage {
        tr: p.tr(&desk),
        page: p.page(&desk, d.done.as_deref()),
        job: JobRow::from(&v.summary),
        segments,
        comments: v.comments,
        editable,
        can_review: role.can_review(),
        can_assign: role.can_edit() && !matches!(v.summary.state, JobState::Approved),
        can_judge: v.summary.state.is_editable() && role.can_judge_findings() && !latin,
        me_name: p.caller.user.name.clone(),
        offers_latin,
        latin,
        opened: Utc::now().timestamp_millis(),
        mqm: MqmPanel::new(p.loc, &mqm),
        can_annotate: role.can_review() && !latin,
        mqm_types: audarma_analytics::ErrorType::ALL.iter().map(|t| (t.as_str(), mqm_type_key(*t))).collect(),
        mqm_severities: audarma_analytics::mqm::Severity::ALL
            .iter()
            .map(|s| (s.as_str(), format!("mqm-sev-{}", s.as_str())))
            .collect(),
    };
    render(&page)
}

#[derive(Deserialize)]
struct SegmentForm {
    #[serde(default)]
    csrf: String,
    version: i64,
    text: String,
    /// When the page was rendered (the server's milliseconds since 1970): the edit took since then.
    #[serde(default)]
    opened: String,
    /// What the text started from (`suggestion`, `match-K`), when the editor's script says.
    #[serde(default)]
    start: String,
}

/// Seconds since a page rendered at `opened` (milliseconds, the server's clock), if that is a time.
fn seconds_since(opened: &str) -> Option<f64> {
    let opened: i64 = opened.trim().parse().ok()?;
    Some((Utc::now().timestamp_millis() - opened) as f64 / 1000.0)
}

async fn save_segment(
    State(desk): State<AppState>,
    Path((id, n)): Path<(JobId, u32)>,
    Posted { p, form: f }: Posted<SegmentForm>,
) -> Response {
    match desk::save_segment(&desk, &p.caller, id, n, &f.text, f.version, seconds_since(&f.opened), Some(&f.start))
        .await
    {
        Ok(_) => Redirect::to(&format!("/jobs/{id}?done=saved#seg-{n}")).into_response(),
        // Someone saved the segment first: the translator's text is not lost with the page (without
        // JavaScript there is no editor state to return to), it is on the conflict page to copy.
        Err(desk::DeskError::Store(audarma_store::StoreError::Conflict { .. })) => {
            let tr = p.tr(&desk);
            let page = ErrorPage {
                tr,
                page: p.page(&desk, None),
                heading: tr.t("error-title"),
                message: tr.t("error-conflict"),
                kept: Some(f.text),
                back: Some(format!("/jobs/{id}#seg-{n}")),
                approve: None,
            };
            (StatusCode::CONFLICT, render(&page)).into_response()
        }
        Err(e) => p.fail(&desk, e),
    }
}

#[derive(Deserialize)]
struct DismissForm {
    #[serde(default)]
    csrf: String,
    version: Option<i64>,
    #[serde(default)]
    check: String,
    #[serde(default)]
    message: String,
    #[serde(default)]
    reason: String,
}

async fn dismiss(
    State(desk): State<AppState>,
    Path((id, n)): Path<(JobId, u32)>,
    Posted { p, form: f }: Posted<DismissForm>,
) -> Response {
    let reason = Some(f.reason).filter(|r| !r.trim().is_empty());
    let body = desk::DismissBody { check: f.check, message: f.message, version: f.version, reason };
    match desk::dismiss(&desk, &p.caller, id, n, &body).await {
        Ok(_) => Redirect::to(&format!("/jobs/{id}?done=dismissed#seg-{n}")).into_response(),
        Err(e) => p.fail(&desk, e),
    }
}

#[derive(Deserialize)]
struct WordForm {
    #[serde(default)]
    csrf: String,
    version: Option<i64>,
    #[serde(default)]
    word: String,
    /// The finding the word came from, dismissed with it (a `spelling` finding's check and message).
    #[serde(default)]
    check: String,
    #[serde(default)]
    message: String,
}

/// "Add to dictionary" on a spelling finding: the word goes to the target language's word list, and the
/// finding is marked "not a problem" for this text (the next check of the segment knows the word).
async fn add_word(
    State(desk): State<AppState>,
    Path((id, n)): Path<(JobId, u32)>,
    Posted { p, form: f }: Posted<WordForm>,
) -> Response {
    let job = match desk.store.job_summary(id).await {
        Ok(j) => j,
        Err(e) => return p.fail(&desk, e),
    };
    let added = match desk::add_word(&desk, &p.caller, job.target_lang, &f.word).await {
        Ok(added) => added,
        Err(e) => return p.fail(&desk, e),
    };
    if !f.check.is_empty() {
        let reason = format!("added to the {} word list: {}", job.target_lang.code(), f.word.trim());
        let body = desk::DismissBody { check: f.check, message: f.message, version: f.version, reason: Some(reason) };
        if let Err(e) = desk::dismiss(&desk, &p.caller, id, n, &body).await {
            return p.fail(&desk, e);
        }
    }
    let done = if added { "word-added" } else { "word-known" };
    Redirect::to(&format!("/jobs/{id}?done={done}#seg-{n}")).into_response()
}

pub struct StatRow {
    pub check: String,
    pub source: &'static str,
    pub target: &'static str,
    pub raised: i64,
    pub dismissed: i64,
    /// Percent dismissed, formatted.
    pub share: String,
}

#[derive(Template)]
#[template(path = "findings.html")]
struct FindingsPage<'a> {
    tr: Tr<'a>,
    page: PageCtx,
    rows: Vec<StatRow>,
    raised: i64,
    dismissed: i64,
    share: String,
}

/// Percent, one decimal, as the locale writes it ("12.5%", "12,5 %").
fn percent(loc: Locale, part: u64, whole: u64) -> String {
    if whole == 0 {
        return "—".into();
    }
    let tenths = (part * 1000 + whole / 2) / whole;
    let (sep, space) = if loc == Locale::En { (".", "") } else { (",", "\u{a0}") };
    format!("{}{sep}{}{space}%", loc.number((tenths / 10) as i64), tenths % 10)
}

/// Findings raised and dismissed per check and language pair: how often the checks were right.
async fn findings(State(desk): State<AppState>, p: PageCaller) -> Response {
    let stats = match desk::finding_stats(&desk).await {
        Ok(s) => s,
        Err(e) => return p.fail(&desk, e),
    };
    let (raised, dismissed) = stats.iter().fold((0, 0), |(r, d), s| (r + s.raised, d + s.dismissed));
    let rows = stats
        .iter()
        .map(|s| StatRow {
            check: s.check.to_string(),
            source: s.source,
            target: s.target,
            raised: s.raised as i64,
            dismissed: s.dismissed as i64,
            share: percent(p.loc, s.dismissed, s.raised),
        })
        .collect();
    let page = FindingsPage {
        tr: p.tr(&desk),
        page: p.page(&desk, None),
        rows,
        raised: raised as i64,
        dismissed: dismissed as i64,
        share: percent(p.loc, dismissed, raised),
    };
    render(&page)
}

#[derive(Deserialize)]
struct ApproveForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    override_reason: String,
}

async fn approve(
    State(desk): State<AppState>,
    Path(id): Path<JobId>,
    Posted { p, form: f }: Posted<ApproveForm>,
) -> Response {
    use audarma_store::StoreError;
    let refused = match desk::approve(&desk, &p.caller, id, Some(&f.override_reason)).await {
        Ok(()) => return Redirect::to("/queue?done=approved").into_response(),
        Err(desk::DeskError::Store(e @ (StoreError::MqmFailed { .. } | StoreError::Blocked { .. }))) => e,
        Err(e) => return p.fail(&desk, e),
    };
    // Refused for a reason a reviewer may override: say why, in the user's language, with the reason
    // field to approve anyway.
    let tr = p.tr(&desk);
    let message = match refused {
        StoreError::MqmFailed { .. } => match desk::mqm(&desk, id).await {
            Ok(m) => {
                let panel = MqmPanel::new(p.loc, &m);
                tr.args(
                    "approve-mqm-refused",
                    &[
                        ("score", panel.score),
                        ("threshold", panel.threshold),
                        ("points", tr.num(&panel.penalty)),
                        ("critical", tr.num(&panel.critical)),
                    ],
                )
            }
            Err(e) => return p.fail(&desk, e),
        },
        _ => tr.t("approve-blocked"),
    };
    let page = ErrorPage {
        tr,
        page: p.page(&desk, None),
        heading: tr.t("approve-refused-title"),
        message,
        kept: None,
        back: Some(format!("/jobs/{id}")),
        approve: Some(id),
    };
    (StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response()
}

#[derive(Deserialize)]
struct AnnotateForm {
    #[serde(default)]
    csrf: String,
    #[serde(default, rename = "type")]
    error_type: String,
    #[serde(default)]
    severity: String,
    /// Character offsets of the marked text (the page's script fills them from the selection).
    #[serde(default)]
    start: String,
    #[serde(default)]
    end: String,
    #[serde(default)]
    marked: String,
    #[serde(default)]
    note: String,
    /// A QA finding to accept as an MQM error: its check and message.
    #[serde(default)]
    check: String,
    #[serde(default)]
    message: String,
}

/// A number of characters from a form field; empty is none.
fn offset(field: &str, v: &str) -> Result<Option<u32>, desk::DeskError> {
    match v.trim() {
        "" => Ok(None),
        n => n
            .parse()
            .map(Some)
            .map_err(|_| desk::DeskError::BadRequest(format!("{field}: {n:?} is not a character offset"))),
    }
}

/// Marks an MQM error on a segment, or accepts one of its QA findings as one.
async fn annotate(
    State(desk): State<AppState>,
    Path((id, n)): Path<(JobId, u32)>,
    Posted { p, form: f }: Posted<AnnotateForm>,
) -> Response {
    let span = match (offset("start", &f.start), offset("end", &f.end)) {
        (Ok(Some(s)), Ok(Some(e))) => Some((s, e)),
        (Ok(None), Ok(None)) => None,
        (Err(e), _) | (_, Err(e)) => return p.fail(&desk, e),
        _ => return p.fail(&desk, desk::DeskError::BadRequest("span: give both start and end, or neither".into())),
    };
    let finding = (!f.check.trim().is_empty()).then_some(desk::FindingName { check: f.check, message: f.message });
    let body = desk::AnnotationBody {
        segment: n,
        error_type: Some(f.error_type),
        severity: Some(f.severity),
        span,
        marked: Some(f.marked),
        note: Some(f.note),
        finding,
    };
    match desk::add_annotation(&desk, &p.caller, id, &body).await {
        Ok(_) => Redirect::to(&format!("/jobs/{id}?done=annotated#seg-{n}")).into_response(),
        Err(e) => p.fail(&desk, e),
    }
}

async fn remove_annotation(
    State(desk): State<AppState>,
    Path((id, aid)): Path<(JobId, i64)>,
    Posted { p, form: _ }: Posted<CsrfForm>,
) -> Response {
    match desk::remove_annotation(&desk, &p.caller, id, aid).await {
        Ok(()) => Redirect::to(&format!("/jobs/{id}?done=annotation-removed#mqm")).into_response(),
        Err(e) => p.fail(&desk, e),
    }
}

#[derive(Deserialize)]
struct RejectForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    reason: String,
}

async fn reject(
    State(desk): State<AppState>,
    Path(id): Path<JobId>,
    Posted { p, form: f }: Posted<RejectForm>,
) -> Response {
    if f.reason.trim().is_empty() {
        let tr = p.tr(&desk);
        return p.fail(&desk, ApiError::bad_request(tr.t("error-reason-needed")));
    }
    match desk::reject(&desk, &p.caller, id, &f.reason).await {
        Ok(()) => Redirect::to("/queue?done=rejected").into_response(),
        Err(e) => p.fail(&desk, e),
    }
}

#[derive(Deserialize)]
struct AssignForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    assignee: String,
}

async fn assign(
    State(desk): State<AppState>,
    Path(id): Path<JobId>,
    Posted { p, form: f }: Posted<AssignForm>,
) -> Response {
    match desk::assign(&desk, &p.caller, id, Some(&f.assignee)).await {
        Ok(()) => Redirect::to(&format!("/jobs/{id}?done=assigned")).into_response(),
        Err(e) => p.fail(&desk, e),
    }
}

#[derive(Deserialize)]
struct CommentForm {
    #[serde(default)]
    csrf: String,
    body: String,
    /// A segment number, or empty for the whole job.
    #[serde(default)]
    segment: String,
}

async fn comment(
    State(desk): State<AppState>,
    Path(id): Path<JobId>,
    Posted { p, form: f }: Posted<CommentForm>,
) -> Response {
    let segment = match f.segment.trim() {
        "" => None,
        n => match n.parse::<u32>() {
            Ok(n) => Some(n),
            Err(_) => return p.fail(&desk, ApiError::bad_request(format!("segment: {n:?} is not a segment number"))),
        },
    };
    match desk::comment(&desk, &p.caller, id, &f.body, segment).await {
        Ok(_) => Redirect::to(&format!("/jobs/{id}?done=commented")).into_response(),
        Err(e) => p.fail(&desk, e),
    }
}

pub struct EventRow {
    pub at: DateTime<Utc>,
    pub actor: String,
    pub kind: String,
    pub label: String,
    pub diff: Vec<(&'static str, String)>,
    pub note: Option<String>,
}

#[derive(Template)]
#[template(path = "history.html")]
struct HistoryPage<'a> {
    tr: Tr<'a>,
    page: PageCtx,
    job_id: JobId,
    events: Vec<EventRow>,
}

async fn history(State(desk): State<AppState>, p: PageCaller, Path(id): Path<JobId>) -> Response {
    let events = match desk.store.job(id).await {
        Ok(_) => desk.store.events(Some(id)).await,
        Err(e) => Err(e),
    };
    let events = match events {
        Ok(e) => e,
        Err(e) => return p.fail(&desk, e),
    };
    // The word diffs of the edits are CPU work: on the blocking pool (each within its time budget), so
    // a long history never holds up the requests the async workers serve.
    let pairs: Vec<Option<(String, String)>> = events
        .iter()
        .map(|e| {
            (e.kind == "edit").then(|| (e.before.clone().unwrap_or_default(), e.after.clone().unwrap_or_default()))
        })
        .collect();
    let diffs = tokio::task::spawn_blocking(move || {
        pairs.into_iter().map(|p| p.map(|(before, after)| view::diff(&before, &after))).collect::<Vec<_>>()
    })
    .await;
    let diffs = match diffs {
        Ok(d) => d,
        Err(e) => return p.fail(&desk, ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string())),
    };
    let tr = p.tr(&desk);
    let rows = events
        .into_iter()
        .zip(diffs)
        .map(|(e, edit_diff)| {
            let known = [
                "ingest",
                "job-created",
                "state",
                "edit",
                "assign",
                "comment",
                "override",
                "tm",
                "plan",
                "finding-dismissed",
            ];
            let key = if known.contains(&e.kind.as_str()) { format!("event-{}", e.kind) } else { "event-other".into() };
            let mut label = tr.t(&key);
            let (diff, note) = match e.kind.as_str() {
                "edit" => {
                    if let Some(seg) = e.detail.get("segment") {
                        label = format!("{label} {seg}");
                    }
                    (edit_diff.unwrap_or_default(), None)
                }
                "state" => {
                    let name = |s: Option<&str>| s.map(|s| tr.t(&format!("state-{s}"))).unwrap_or_default();
                    let reason = e.detail.get("reason").and_then(|r| r.as_str()).map(|r| format!(" — {r}"));
                    let error = e.detail.get("error").and_then(|r| r.as_str()).map(|r| format!(" — {r}"));
                    let note = format!(
                        "{} → {}{}",
                        name(e.before.as_deref()),
                        name(e.after.as_deref()),
                        reason.or(error).unwrap_or_default()
                    );
                    (Vec::new(), Some(note))
                }
                "assign" => (
                    Vec::new(),
                    Some(format!("{} → {}", e.before.as_deref().unwrap_or("—"), e.after.as_deref().unwrap_or("—"))),
                ),
                "comment" => (Vec::new(), e.after.clone()),
                "override" => (Vec::new(), e.detail.get("reason").and_then(|r| r.as_str()).map(str::to_string)),
                "finding-dismissed" => {
                    if let Some(seg) = e.detail.get("segment") {
                        label = format!("{label} {seg}");
                    }
                    let s = |k: &str| e.detail.get(k).and_then(|v| v.as_str()).unwrap_or_default();
                    let reason = Some(s("reason")).filter(|r| !r.is_empty()).map(|r| format!(" — {r}"));
                    (Vec::new(), Some(format!("{}: {}{}", s("check"), s("message"), reason.unwrap_or_default())))
                }
                _ => (Vec::new(), None),
            };
            EventRow { at: e.at, actor: e.actor, kind: e.kind, label, diff, note }
        })
        .collect();
    render(&HistoryPage { tr, page: p.page(&desk, None), job_id: id, events: rows })
}

#[derive(Template)]
#[template(path = "release.html")]
struct ReleasePage<'a> {
    tr: Tr<'a>,
    page: PageCtx,
    title: String,
    source_lang: &'static str,
    columns: Vec<(JobId, &'static str, String)>,
    rows: Vec<Vec<String>>,
}

/// A release and its translations side by side, one row per segment.
async fn release(State(desk): State<AppState>, p: PageCaller, Path(id): Path<i64>) -> Response {
    let filter = JobFilter { release: Some(id), ..Default::default() };
    let jobs = match desk.store.list_jobs(&filter).await {
        Ok(j) if !j.is_empty() => j,
        Ok(_) => return p.fail(&desk, ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such release")),
        Err(e) => return p.fail(&desk, e),
    };
    let mut details = Vec::new();
    for j in &jobs {
        match desk.store.job(j.id).await {
            Ok(d) => details.push(d),
            Err(e) => return p.fail(&desk, e),
        }
    }
    let first = &details[0];
    let rows = first
        .segments
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mut row = vec![s.source.clone()];
            row.extend(
                details.iter().map(|d| d.segments.get(i).and_then(|t| t.current()).unwrap_or_default().to_string()),
            );
            row
        })
        .collect();
    let page = ReleasePage {
        tr: p.tr(&desk),
        page: p.page(&desk, None),
        title: first.summary.title.clone(),
        source_lang: first.summary.source_lang.code(),
        columns: details
            .iter()
            .map(|d| (d.summary.id, d.summary.target_lang.code(), format!("state-{}", d.summary.state.as_str())))
            .collect(),
        rows,
    };
    render(&page)
}

#[derive(Template)]
#[template(path = "glossary.html")]
struct GlossaryPage<'a> {
    tr: Tr<'a>,
    page: PageCtx,
    q: String,
    total: i64,
    concepts: Vec<api::ConceptView>,
}

async fn glossary(State(desk): State<AppState>, p: PageCaller, Query(q): Query<api::GlossaryQuery>) -> Response {
    let text = q.q.unwrap_or_default();
    let (total, concepts) = api::search_glossary(&desk, &text, 100);
    render(&GlossaryPage { tr: p.tr(&desk), page: p.page(&desk, None), q: text, total: total as i64, concepts })
}

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage<'a> {
    tr: Tr<'a>,
    page: PageCtx,
    users: Vec<desk::UserView>,
    roles: Vec<(&'static str, String)>,
    tokens: Vec<TokenRow>,
}

pub struct TokenRow {
    pub id: i64,
    pub user: String,
    pub created: String,
    pub expires: String,
    pub active: bool,
}

async fn users(State(desk): State<AppState>, p: PageCaller, Query(d): Query<DoneQuery>) -> Response {
    let listed = match desk::list_users(&desk, &p.caller).await {
        Ok(users) => desk::tokens(&desk, &p.caller, None).await.map(|t| (users, t)),
        Err(e) => Err(e),
    };
    match listed {
        Ok((users, tokens)) => {
            let now = Utc::now();
            let tokens = tokens
                .into_iter()
                .map(|t| TokenRow {
                    id: t.id,
                    active: t.revoked_at.is_none() && t.expires_at.is_none_or(|e| e > now),
                    created: p.loc.date(t.created_at.date_naive()),
                    expires: t.expires_at.map(|e| p.loc.date(e.date_naive())).unwrap_or_else(|| "—".into()),
                    user: t.user,
                })
                .collect();
            render(&UsersPage {
                tr: p.tr(&desk),
                page: p.page(&desk, d.done.as_deref()),
                users,
                roles: auth::Role::ALL.iter().map(|r| (r.as_str(), format!("role-{r}"))).collect(),
                tokens,
            })
        }
        Err(e) => p.fail(&desk, e),
    }
}

#[derive(Deserialize)]
struct NewUserForm {
    #[serde(default)]
    csrf: String,
    name: String,
    role: String,
    password: String,
}

async fn add_user(State(desk): State<AppState>, Posted { p, form: f }: Posted<NewUserForm>) -> Response {
    let new = desk::NewUser { name: f.name, role: f.role, password: f.password };
    match desk::add_user(&desk, &p.caller, &new).await {
        Ok(_) => Redirect::to("/admin/users?done=user-added").into_response(),
        Err(e) => p.fail(&desk, e),
    }
}

#[derive(Deserialize)]
struct RoleForm {
    #[serde(default)]
    csrf: String,
    role: String,
}

async fn set_role(
    State(desk): State<AppState>,
    Path(name): Path<String>,
    Posted { p, form: f }: Posted<RoleForm>,
) -> Response {
    match desk::set_role(&desk, &p.caller, &name, &f.role).await {
        Ok(()) => Redirect::to("/admin/users?done=role-changed").into_response(),
        Err(e) => p.fail(&desk, e),
    }
}

async fn disable_user(
    State(desk): State<AppState>,
    Path(name): Path<String>,
    Posted { p, form: _ }: Posted<CsrfForm>,
) -> Response {
    match desk::set_disabled(&desk, &p.caller, &name, true).await {
        Ok(()) => Redirect::to("/admin/users?done=user-disabled").into_response(),
        Err(e) => p.fail(&desk, e),
    }
}

async fn enable_user(
    State(desk): State<AppState>,
    Path(name): Path<String>,
    Posted { p, form: _ }: Posted<CsrfForm>,
) -> Response {
    match desk::set_disabled(&desk, &p.caller, &name, false).await {
        Ok(()) => Redirect::to("/admin/users?done=user-enabled").into_response(),
        Err(e) => p.fail(&desk, e),
    }
}

async fn end_user_sessions(
    State(desk): State<AppState>,
    Path(name): Path<String>,
    Posted { p, form: _ }: Posted<CsrfForm>,
) -> Response {
    match desk::end_sessions(&desk, &p.caller, &name).await {
        Ok(_) if name == p.caller.user.name => Redirect::to("/login").into_response(),
        Ok(_) => Redirect::to("/admin/users?done=sessions-ended").into_response(),
        Err(e) => p.fail(&desk, e),
    }
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage<'a> {
    tr: Tr<'a>,
    page: PageCtx,
    /// (since, until), as the locale writes dates and times.
    sessions: Vec<(String, String)>,
    /// The feed link just created: shown once, only in the answer to the form that made it.
    feed_link: Option<String>,
}

/// The user's own page: change the password, see and end the sessions, make a feed link.
async fn account(State(desk): State<AppState>, p: PageCaller, Query(d): Query<DoneQuery>) -> Response {
    account_page(&desk, &p, d.done.as_deref(), None).await
}

async fn account_page(desk: &Desk, p: &PageCaller, done: Option<&str>, feed_link: Option<String>) -> Response {
    match desk::my_sessions(desk, &p.caller).await {
        Ok(list) => {
            let sessions =
                list.into_iter().map(|s| (p.loc.datetime(s.created_at), p.loc.datetime(s.expires_at))).collect();
            render(&AccountPage { tr: p.tr(desk), page: p.page(desk, done), sessions, feed_link })
        }
        Err(e) => p.fail(desk, e),
    }
}

/// A new feed link for the caller (the old one stops working), shown on the page this once.
async fn new_feed_token(
    State(desk): State<AppState>,
    headers: HeaderMap,
    Posted { p, form: _ }: Posted<CsrfForm>,
) -> Response {
    match desk::new_feed_token(&desk, &p.caller).await {
        Ok(token) => {
            let path = crate::feed::feed_path(&token);
            let link = match crate::feed::base_of(&desk, &headers) {
                Some(base) => format!("{}{}", base.trim_end_matches('/'), path),
                None => path,
            };
            let mut res = account_page(&desk, &p, None, Some(link)).await;
            // The page holds a secret: not kept by the browser's cache.
            res.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
            res
        }
        Err(e) => p.fail(&desk, e),
    }
}

#[derive(Deserialize)]
struct PasswordForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
}

async fn change_password(State(desk): State<AppState>, Posted { p, form: f }: Posted<PasswordForm>) -> Response {
    let change = desk::PasswordChange { current: f.current, new: f.new };
    match desk::change_password(&desk, &p.caller, &change).await {
        // Every session ended with the old password, this one too.
        Ok(()) => Redirect::to("/login").into_response(),
        Err(e) => p.fail(&desk, e),
    }
}

async fn end_my_sessions(State(desk): State<AppState>, Posted { p, form: _ }: Posted<CsrfForm>) -> Response {
    match desk::end_sessions(&desk, &p.caller, &p.caller.user.name).await {
        Ok(_) => Redirect::to("/login").into_response(),
        Err(e) => p.fail(&desk, e),
    }
}

#[derive(Deserialize)]
struct ResetForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    new: String,
}

async fn reset_password(
    State(desk): State<AppState>,
    Path(name): Path<String>,
    Posted { p, form: f }: Posted<ResetForm>,
) -> Response {
    match desk::reset_password(&desk, &p.caller, &name, &f.new).await {
        Ok(()) => Redirect::to("/admin/users?done=password-set").into_response(),
        Err(e) => p.fail(&desk, e),
    }
}

async fn revoke_token(
    State(desk): State<AppState>,
    Path(id): Path<i64>,
    Posted { p, form: _ }: Posted<CsrfForm>,
) -> Response {
    match desk::revoke_token(&desk, &p.caller, id).await {
        Ok(()) => Redirect::to("/admin/users?done=token-revoked").into_response(),
        Err(e) => p.fail(&desk, e),
    }
}

#[derive(Deserialize)]
struct XliffQuery {
    version: Option<String>,
    /// `1`: targets as copies of the source (for OmegaT).
    copy_source: Option<String>,
}

/// A job as an XLIFF file (2.0 unless `?version=1.2|2.1`), as `audarma xliff export` writes it.
async fn xliff_download(
    State(desk): State<AppState>,
    p: PageCaller,
    Path(id): Path<JobId>,
    Query(q): Query<XliffQuery>,
) -> Response {
    let version = match q.version.as_deref().map(audarma_xliff::XliffVersion::parse) {
        None => audarma_xliff::XliffVersion::V20,
        Some(Some(v)) => v,
        Some(None) => return p.fail(&desk, desk::DeskError::BadRequest("version: 1.2, 2.0 or 2.1".into())),
    };
    let options = audarma_xliff::Options { version, copy_source: q.copy_source.as_deref() == Some("1") };
    match desk::export_xliff(&desk, id, options).await {
        Ok((name, bytes)) => (
            [
                (header::CONTENT_TYPE, "application/xliff+xml; charset=utf-8".to_string()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => p.fail(&desk, e),
    }
}

#[derive(Template)]
#[template(path = "xliff_import.html")]
struct XliffImportPage<'a> {
    tr: Tr<'a>,
    page: PageCtx,
    job: JobId,
    edited: Vec<(u32, i64)>,
    unchanged: i64,
    conflicts: Vec<audarma_xliff::Conflict>,
    refused: Vec<audarma_xliff::RefusedUnit>,
}

/// Imports an uploaded XLIFF file into the job, and shows what it did.
async fn xliff_upload(State(desk): State<AppState>, Path(id): Path<JobId>, u: Uploaded) -> Response {
    let Uploaded { p, file } = u;
    match desk::import_xliff(&desk, &p.caller, id, &file).await {
        Ok(done) => {
            let status = if done.has_problems() { StatusCode::CONFLICT } else { StatusCode::OK };
            let page = XliffImportPage {
                tr: p.tr(&desk),
                page: p.page(&desk, None),
                job: id,
                edited: done.edited,
                unchanged: done.unchanged as i64,
                conflicts: done.conflicts,
                refused: done.refused,
            };
            (status, render(&page)).into_response()
        }
        Err(e) => p.fail(&desk, e),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::multipart;

    #[test]
    fn multipart_fields_are_read_and_anything_else_is_none() {
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nabc\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.xlf\"\r\nContent-Type: application/xml\r\n\r\n<x>\r\n--Xy</x>\r\n--XyZ--\r\n";
        let f = multipart("multipart/form-data; boundary=\"XyZ\"", body).unwrap();
        assert_eq!(f.len(), 2);
        assert_eq!((f[0].0.as_str(), f[0].1), ("csrf", &b"abc"[..]));
        assert_eq!((f[1].0.as_str(), f[1].1), ("file", &b"<x>\r\n--Xy</x>"[..]));
        assert!(multipart("application/x-www-form-urlencoded", body).is_none());
        assert!(multipart("multipart/form-data; boundary=", body).is_none());
        assert!(multipart("multipart/form-data; boundary=XyZ", b"--XyZ\r\nno end").is_none());
    }
}
