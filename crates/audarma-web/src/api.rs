//! The JSON API under `/api/`: everything the pages do, for scripts and the page's own JavaScript.
//! Described in `openapi.json` (served at `/api/openapi.json`; a test keeps it and the routes in step).

use crate::desk;
use crate::{ApiCaller, ApiError, AppState, Desk};
use audarma_core::{JobState, Lang};
use audarma_store::{Comment, Event, JobFilter, JobId, JobSort, JobSummary};
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

/// Every API error is the documented JSON `{"error", "code"}`: an error response that is not JSON yet
/// (an extractor's rejection — a path, query or method the route does not take) is rewritten as one,
/// keeping its status, its text and the headers that matter (`Allow`, `Retry-After`).
async fn json_errors(res: Response) -> Response {
    let status = res.status();
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return res;
    }
    let (parts, body) = res.into_parts();
    let bytes = axum::body::to_bytes(body, 16 * 1024).await.unwrap_or_default();
    let text = String::from_utf8_lossy(&bytes).trim().to_string();
    let message = if text.is_empty() { status.canonical_reason().unwrap_or("error").to_lowercase() } else { text };
    let code = match status.as_u16() {
        400 => "bad_request",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not_found",
        405 => "method_not_allowed",
        409 => "conflict",
        413 => "too_large",
        415 => "unsupported_media_type",
        422 => "unprocessable",
        429 => "rate_limited",
        s if s >= 500 => "internal",
        _ => "error",
    };
    let mut out = ApiError::new(status, code, message).into_response();
    for name in [header::ALLOW, header::RETRY_AFTER, header::WWW_AUTHENTICATE] {
        if let Some(v) = parts.headers.get(&name) {
            out.headers_mut().insert(name, v.clone());
        }
    }
    out
}

/// A JSON body the API could not take, as the documented JSON error: 413 (`too_large`) for a body over
/// the desk's limit, 400 for one that is not the expected JSON.
fn rejected(e: axum::extract::rejection::JsonRejection) -> ApiError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            format!("the request body is over {} bytes", crate::MAX_BODY),
        )
    } else {
        ApiError::bad_request(e.body_text())
    }
}

pub const OPENAPI: &str = include_str!("../openapi.json");

/// The API's routes as (method, path) pairs, as `openapi.json` must describe them.
pub const ROUTES: &[(&str, &str)] = &[
    ("get", "/api/jobs"),
    ("get", "/api/jobs/{id}"),
    ("put", "/api/jobs/{id}/segments/{n}"),
    ("post", "/api/jobs/{id}/segments/{n}/dismissals"),
    ("post", "/api/jobs/{id}/approve"),
    ("post", "/api/jobs/{id}/reject"),
    ("post", "/api/jobs/{id}/assign"),
    ("post", "/api/jobs/{id}/comments"),
    ("get", "/api/jobs/{id}/history"),
    ("get", "/api/jobs/{id}/annotations"),
    ("post", "/api/jobs/{id}/annotations"),
    ("delete", "/api/jobs/{id}/annotations/{aid}"),
    ("get", "/api/glossary"),
    ("get", "/api/findings"),
    ("get", "/api/reports"),
    ("post", "/api/me/feed-token"),
    ("get", "/api/words/{lang}"),
    ("post", "/api/words/{lang}"),
    ("get", "/api/me"),
    ("get", "/api/users"),
    ("post", "/api/users"),
    ("put", "/api/users/{name}"),
    ("post", "/api/users/{name}/disable"),
    ("post", "/api/users/{name}/enable"),
    ("delete", "/api/users/{name}/sessions"),
    ("get", "/api/me/sessions"),
    ("delete", "/api/me/sessions"),
    ("put", "/api/me/password"),
    ("put", "/api/users/{name}/password"),
    ("get", "/api/tokens"),
    ("delete", "/api/tokens/{id}"),
    ("get", "/api/openapi.json"),
];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/jobs", get(list_jobs))
        .route("/jobs/{id}", get(job))
        .route("/jobs/{id}/segments/{n}", put(edit_segment))
        .route("/jobs/{id}/segments/{n}/dismissals", post(dismiss))
        .route("/jobs/{id}/approve", post(approve))
        .route("/jobs/{id}/reject", post(reject))
        .route("/jobs/{id}/assign", post(assign))
        .route("/jobs/{id}/comments", post(comment))
        .route("/jobs/{id}/history", get(history))
        .route("/jobs/{id}/annotations", get(annotations).post(add_annotation))
        .route("/jobs/{id}/annotations/{aid}", axum::routing::delete(remove_annotation))
        .route("/glossary", get(glossary))
        .route("/findings", get(finding_stats))
        .route("/reports", get(reports))
        .route("/words/{lang}", get(list_words).post(add_word))
        .route("/me", get(me))
        .route("/users", get(list_users).post(add_user))
        .route("/users/{name}", put(set_role))
        .route("/users/{name}/disable", post(disable_user))
        .route("/users/{name}/enable", post(enable_user))
        .route("/users/{name}/sessions", axum::routing::delete(end_user_sessions))
        .route("/me/sessions", get(my_sessions).delete(end_my_sessions))
        .route("/me/password", put(change_password))
        .route("/me/feed-token", post(new_feed_token))
        .route("/users/{name}/password", put(reset_password))
        .route("/tokens", get(list_tokens))
        .route("/tokens/{id}", axum::routing::delete(revoke_token))
        .route("/openapi.json", get(|| async { ([(header::CONTENT_TYPE, "application/json")], OPENAPI) }))
        .fallback(|| async { ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such API endpoint") })
        .layer(axum::middleware::map_response(json_errors))
}

/// Query of `GET /api/jobs` (and of the queue page).
#[derive(Debug, Default, Deserialize)]
pub struct JobsQuery {
    pub state: Option<String>,
    pub lang: Option<String>,
    pub assignee: Option<String>,
    pub q: Option<String>,
    pub sort: Option<String>,
    #[serde(default, deserialize_with = "number")]
    pub limit: Option<u32>,
    #[serde(default, deserialize_with = "number")]
    pub offset: Option<u32>,
}

/// A number in a query string. Query values are strings, and inside a `#[serde(flatten)]` (the queue
/// page's query) serde no longer parses them as numbers: `/queue?offset=5` was a 400. Empty is none.
pub fn number<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Number(u32),
        Text(String),
    }
    match Option::<Raw>::deserialize(d)? {
        None => Ok(None),
        Some(Raw::Number(n)) => Ok(Some(n)),
        Some(Raw::Text(t)) if t.trim().is_empty() => Ok(None),
        Some(Raw::Text(t)) => {
            t.trim().parse().map(Some).map_err(|_| serde::de::Error::custom(format!("{t:?} is not a whole number")))
        }
    }
}

pub const MAX_PAGE: u32 = 500;

impl JobsQuery {
    /// The store filter, or which parameter is wrong.
    pub fn filter(&self) -> Result<JobFilter, ApiError> {
        let nonempty = |o: &Option<String>| o.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
        let state = match nonempty(&self.state) {
            Some(s) => {
                Some(JobState::parse(&s).ok_or_else(|| ApiError::bad_request(format!("state: unknown state {s:?}")))?)
            }
            None => None,
        };
        let target_lang = match nonempty(&self.lang) {
            Some(l) => {
                Some(l.parse::<Lang>().map_err(|_| ApiError::bad_request(format!("lang: {l:?} is not en, kk or ru")))?)
            }
            None => None,
        };
        let sort = match nonempty(&self.sort) {
            Some(s) => JobSort::parse(&s)
                .ok_or_else(|| ApiError::bad_request(format!("sort: {s:?} is not id, priority, date or deadline")))?,
            None => JobSort::Id,
        };
        let text = nonempty(&self.q);
        if let Some(q) = &text {
            audarma_store::check_search(q)
                .map_err(|e| ApiError::bad_request(format!("q: {}", e.to_string().trim_start_matches("search: "))))?;
        }
        let limit = self.limit.unwrap_or(50);
        if limit == 0 || limit > MAX_PAGE {
            return Err(ApiError::bad_request(format!("limit: must be 1 to {MAX_PAGE}")));
        }
        Ok(JobFilter {
            state,
            target_lang,
            workflow: None,
            release: None,
            assignee: nonempty(&self.assignee),
            text,
            sort,
            limit: Some(limit),
            offset: self.offset.unwrap_or(0),
        })
    }
}

#[derive(Serialize)]
struct JobList {
    total: u64,
    offset: u32,
    limit: u32,
    jobs: Vec<JobSummary>,
}

async fn list_jobs(
    State(desk): State<AppState>,
    ApiCaller(_): ApiCaller,
    Query(q): Query<JobsQuery>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let filter = q.filter()?;
    let (jobs, total) = tokio::try_join!(desk.store.list_jobs(&filter), desk.store.count_jobs(&filter))?;
    let list = JobList { total, offset: filter.offset, limit: filter.limit.unwrap_or(50), jobs };
    Ok(Json(serde_json::to_value(list).unwrap_or_default()))
}

async fn job(
    State(desk): State<AppState>,
    ApiCaller(_): ApiCaller,
    Path(id): Path<JobId>,
) -> Result<Json<desk::JobView>, ApiError> {
    Ok(Json(desk::job_view(&desk, id).await?))
}

#[derive(Debug, Deserialize)]
pub struct EditBody {
    pub text: String,
    pub version: i64,
    /// Seconds the editor spent on this edit, when the client measured them.
    pub seconds: Option<f64>,
    /// What the text started from: `suggestion`, or `match-K`, the segment's fuzzy memory match K
    /// (from 0, as `GET /api/jobs/{id}` lists them) used instead of the suggestion.
    pub start: Option<String>,
}

async fn edit_segment(
    State(desk): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path((id, n)): Path<(JobId, u32)>,
    body: Result<Json<EditBody>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<desk::Saved>, ApiError> {
    let Json(body) = body.map_err(rejected)?;
    if body.seconds.is_some_and(|s| s <= 0.0) {
        return Err(ApiError::bad_request("seconds: the time spent editing is more than 0"));
    }
    let saved =
        desk::save_segment(&desk, &caller, id, n, &body.text, body.version, body.seconds, body.start.as_deref())
            .await?;
    Ok(Json(saved))
}

async fn dismiss(
    State(desk): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path((id, n)): Path<(JobId, u32)>,
    body: Result<Json<desk::DismissBody>, axum::extract::rejection::JsonRejection>,
) -> Result<(StatusCode, Json<audarma_store::Dismissal>), ApiError> {
    let Json(body) = body.map_err(rejected)?;
    Ok((StatusCode::CREATED, Json(desk::dismiss(&desk, &caller, id, n, &body).await?)))
}

async fn finding_stats(
    State(desk): State<AppState>,
    ApiCaller(_): ApiCaller,
) -> Result<Json<Vec<desk::FindingStat>>, ApiError> {
    Ok(Json(desk::finding_stats(&desk).await?))
}

/// The reports page's figures (what `audarma report --json` prints): the rows of a grouping and
/// period and the terms fixed most. Reviewers and admins; the figures are those the page shows (at
/// most `report_fresh` old).
async fn reports(
    State(desk): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Query(q): Query<crate::pages::reports::ReportQuery>,
) -> Result<Json<serde_json::Value>, ApiError> {
    if !caller.role().can_review() {
        return Err(desk::DeskError::Forbidden(format!("a {} cannot see the reports", caller.user.role)).into());
    }
    let (by, key) = q.key()?;
    let (_, since, until) = key;
    let loaded = desk.reports.get(&desk, key).await?;
    let (rows, _, _, terms) = &*loaded;
    Ok(Json(serde_json::json!({ "by": by, "since": since, "until": until, "rows": rows, "fixed_terms": terms })))
}

pub fn parse_lang(l: &str) -> Result<Lang, ApiError> {
    l.parse::<Lang>().map_err(|_| ApiError::bad_request(format!("lang: {l:?} is not en, kk or ru")))
}

async fn list_words(
    State(desk): State<AppState>,
    ApiCaller(_): ApiCaller,
    Path(lang): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let lang = parse_lang(&lang)?;
    let words = desk.store.words(lang).await?;
    Ok(Json(serde_json::json!({ "lang": lang, "words": words })))
}

#[derive(Debug, Deserialize)]
pub struct WordBody {
    pub word: String,
}

async fn add_word(
    State(desk): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(lang): Path<String>,
    body: Result<Json<WordBody>, axum::extract::rejection::JsonRejection>,
) -> Result<(StatusCode, Json<serde_json::Value>), ApiError> {
    let lang = parse_lang(&lang)?;
    let Json(body) = body.map_err(rejected)?;
    let added = desk::add_word(&desk, &caller, lang, &body.word).await?;
    let status = if added { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(serde_json::json!({ "lang": lang, "word": body.word.trim(), "added": added }))))
}

#[derive(Debug, Default, Deserialize)]
pub struct ApproveBody {
    pub override_reason: Option<String>,
}

async fn approve(
    State(desk): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<JobId>,
    body: Option<Json<ApproveBody>>,
) -> Result<Response, ApiError> {
    let body = body.map(|Json(b)| b).unwrap_or_default();
    desk::approve(&desk, &caller, id, body.override_reason.as_deref()).await?;
    Ok(Json(serde_json::json!({ "job": id, "state": "approved" })).into_response())
}

#[derive(Debug, Deserialize)]
pub struct RejectBody {
    pub reason: String,
}

async fn reject(
    State(desk): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<JobId>,
    body: Result<Json<RejectBody>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let Json(body) = body.map_err(rejected)?;
    desk::reject(&desk, &caller, id, &body.reason).await?;
    Ok(Json(serde_json::json!({ "job": id, "state": "rejected" })))
}

#[derive(Debug, Deserialize)]
pub struct AssignBody {
    /// The user to assign the job to; `null` unassigns.
    pub assignee: Option<String>,
}

async fn assign(
    State(desk): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<JobId>,
    body: Result<Json<AssignBody>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let Json(body) = body.map_err(rejected)?;
    desk::assign(&desk, &caller, id, body.assignee.as_deref()).await?;
    Ok(Json(serde_json::json!({ "job": id, "assignee": body.assignee })))
}

#[derive(Debug, Deserialize)]
pub struct CommentBody {
    pub body: String,
    pub segment: Option<u32>,
}

async fn comment(
    State(desk): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<JobId>,
    body: Result<Json<CommentBody>, axum::extract::rejection::JsonRejection>,
) -> Result<(StatusCode, Json<Comment>), ApiError> {
    let Json(body) = body.map_err(rejected)?;
    Ok((StatusCode::CREATED, Json(desk::comment(&desk, &caller, id, &body.body, body.segment).await?)))
}

async fn history(
    State(desk): State<AppState>,
    ApiCaller(_): ApiCaller,
    Path(id): Path<JobId>,
) -> Result<Json<Vec<Event>>, ApiError> {
    desk.store.job(id).await?;
    Ok(Json(desk.store.events(Some(id)).await?))
}

/// A job's MQM annotations and its score at the desk's pass threshold.
async fn annotations(
    State(desk): State<AppState>,
    ApiCaller(_): ApiCaller,
    Path(id): Path<JobId>,
) -> Result<Json<desk::MqmView>, ApiError> {
    Ok(Json(desk::mqm(&desk, id).await?))
}

async fn add_annotation(
    State(desk): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<JobId>,
    body: Result<Json<desk::AnnotationBody>, axum::extract::rejection::JsonRejection>,
) -> Result<(StatusCode, Json<audarma_store::MqmAnnotation>), ApiError> {
    let Json(body) = body.map_err(rejected)?;
    Ok((StatusCode::CREATED, Json(desk::add_annotation(&desk, &caller, id, &body).await?)))
}

async fn remove_annotation(
    State(desk): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path((id, aid)): Path<(JobId, i64)>,
) -> Result<Json<serde_json::Value>, ApiError> {
    desk::remove_annotation(&desk, &caller, id, aid).await?;
    Ok(Json(serde_json::json!({ "job": id, "removed": aid })))
}

/// A glossary concept in all three languages.
#[derive(Debug, Clone, Serialize)]
pub struct ConceptView {
    pub id: String,
    pub kk: String,
    pub ru: String,
    pub en: String,
    pub kk_forbidden: String,
    /// The `kk-Latn` forms, in the order of the Kazakh terms (empty if none are given).
    pub kk_latn: String,
    pub ru_forbidden: String,
    pub en_forbidden: String,
    pub note: String,
    pub dnt: bool,
}

/// Concepts with a term (or forbidden term) containing `q`, in any language, or found in `q` by the
/// morphological matcher, so an inflected form ("Генеральному секретарю") finds its concept.
pub fn search_glossary(desk: &Desk, q: &str, limit: usize) -> (usize, Vec<ConceptView>) {
    let q = q.trim();
    if q.is_empty() {
        return (0, Vec::new());
    }
    let folded = q.to_lowercase();
    let concepts = &desk.terms.glossary.concepts;
    let mut hits: Vec<usize> = Vec::new();
    for lang in Lang::ALL {
        for m in desk.terms.matcher(lang).find(q) {
            if !hits.contains(&m.concept) {
                hits.push(m.concept);
            }
        }
    }
    for (i, c) in concepts.iter().enumerate() {
        let found = c.id.to_lowercase().contains(&folded)
            || c.terms.values().chain(c.forbidden.values()).flatten().any(|t| t.to_lowercase().contains(&folded));
        if found && !hits.contains(&i) {
            hits.push(i);
        }
    }
    let total = hits.len();
    let join = |v: Option<&Vec<String>>| v.map(|v| v.join(" · ")).unwrap_or_default();
    let views = hits
        .into_iter()
        .take(limit)
        .map(|i| {
            let c = &concepts[i];
            ConceptView {
                id: c.id.clone(),
                kk: join(c.terms.get(&Lang::Kk)),
                ru: join(c.terms.get(&Lang::Ru)),
                en: join(c.terms.get(&Lang::En)),
                kk_forbidden: join(c.forbidden.get(&Lang::Kk)),
                kk_latn: c.kk_latn.join(" · "),
                ru_forbidden: join(c.forbidden.get(&Lang::Ru)),
                en_forbidden: join(c.forbidden.get(&Lang::En)),
                note: c.note.clone().unwrap_or_default(),
                dnt: c.dnt,
            }
        })
        .collect();
    (total, views)
}

#[derive(Debug, Deserialize)]
pub struct GlossaryQuery {
    pub q: Option<String>,
}

async fn glossary(
    State(desk): State<AppState>,
    ApiCaller(_): ApiCaller,
    Query(q): Query<GlossaryQuery>,
) -> Json<serde_json::Value> {
    let (total, concepts) = search_glossary(&desk, q.q.as_deref().unwrap_or_default(), 100);
    Json(serde_json::json!({ "total": total, "concepts": concepts }))
}

async fn me(ApiCaller(caller): ApiCaller) -> Json<serde_json::Value> {
    Json(serde_json::json!({ "name": caller.user.name, "role": caller.user.role, "locale": caller.user.locale }))
}

async fn list_users(
    State(desk): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> Result<Json<Vec<desk::UserView>>, ApiError> {
    Ok(Json(desk::list_users(&desk, &caller).await?))
}

async fn add_user(
    State(desk): State<AppState>,
    ApiCaller(caller): ApiCaller,
    body: Result<Json<desk::NewUser>, axum::extract::rejection::JsonRejection>,
) -> Result<(StatusCode, Json<desk::UserView>), ApiError> {
    let Json(body) = body.map_err(rejected)?;
    Ok((StatusCode::CREATED, Json(desk::add_user(&desk, &caller, &body).await?)))
}

#[derive(Debug, Deserialize)]
pub struct RoleBody {
    pub role: String,
}

async fn set_role(
    State(desk): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(name): Path<String>,
    body: Result<Json<RoleBody>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let Json(body) = body.map_err(rejected)?;
    desk::set_role(&desk, &caller, &name, &body.role).await?;
    Ok(Json(serde_json::json!({ "name": name, "role": body.role })))
}

async fn disable_user(
    State(desk): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(name): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    desk::set_disabled(&desk, &caller, &name, true).await?;
    Ok(Json(serde_json::json!({ "name": name, "disabled": true })))
}

async fn enable_user(
    State(desk): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(name): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    desk::set_disabled(&desk, &caller, &name, false).await?;
    Ok(Json(serde_json::json!({ "name": name, "disabled": false })))
}

async fn end_user_sessions(
    State(desk): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(name): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let n = desk::end_sessions(&desk, &caller, &name).await?;
    Ok(Json(serde_json::json!({ "name": name, "ended": n })))
}

/// A new link to the caller's Atom feed of their jobs (the old one stops working), given this once.
async fn new_feed_token(
    State(desk): State<AppState>,
    ApiCaller(caller): ApiCaller,
    headers: axum::http::HeaderMap,
) -> Result<Response, ApiError> {
    let token = desk::new_feed_token(&desk, &caller).await?;
    let path = crate::feed::feed_path(&token);
    let link = crate::feed::base_of(&desk, &headers).map(|b| format!("{}{path}", b.trim_end_matches('/')));
    let body = Json(serde_json::json!({ "name": caller.user.name, "path": path, "link": link }));
    Ok((StatusCode::CREATED, [(header::CACHE_CONTROL, "no-store")], body).into_response())
}

async fn my_sessions(
    State(desk): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> Result<Json<serde_json::Value>, ApiError> {
    let sessions = desk::my_sessions(&desk, &caller).await?;
    Ok(Json(serde_json::json!({ "name": caller.user.name, "sessions": sessions })))
}

async fn end_my_sessions(
    State(desk): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> Result<Json<serde_json::Value>, ApiError> {
    let n = desk::end_sessions(&desk, &caller, &caller.user.name).await?;
    Ok(Json(serde_json::json!({ "name": caller.user.name, "ended": n })))
}

async fn change_password(
    State(desk): State<AppState>,
    ApiCaller(caller): ApiCaller,
    body: Result<Json<desk::PasswordChange>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let Json(body) = body.map_err(rejected)?;
    desk::change_password(&desk, &caller, &body).await?;
    Ok(Json(serde_json::json!({ "name": caller.user.name, "password": "changed", "sessions": "ended" })))
}

#[derive(Debug, Deserialize)]
pub struct NewPassword {
    pub new: String,
}

async fn reset_password(
    State(desk): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(name): Path<String>,
    body: Result<Json<NewPassword>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let Json(body) = body.map_err(rejected)?;
    desk::reset_password(&desk, &caller, &name, &body.new).await?;
    Ok(Json(serde_json::json!({ "name": name, "password": "changed", "sessions": "ended" })))
}

#[derive(Debug, Deserialize)]
struct TokensQuery {
    user: Option<String>,
}

async fn list_tokens(
    State(desk): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Query(q): Query<TokensQuery>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let tokens = desk::tokens(&desk, &caller, q.user.as_deref()).await?;
    Ok(Json(serde_json::json!({ "tokens": tokens })))
}

async fn revoke_token(
    State(desk): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<serde_json::Value>, ApiError> {
    desk::revoke_token(&desk, &caller, id).await?;
    Ok(Json(serde_json::json!({ "token": id, "revoked": true })))
}
