//! The JSON API under `/api/`: everything the pages do, for scripts and the page's own JavaScript.
//! Described in `openapi.json` (served at `/api/openapi.json`; a test keeps it and the routes in step).

use crate::view::{self, FindingView, SegmentView};
use crate::{ApiCaller, ApiError, AppState, Caller, Desk};
use audarma_core::{JobState, Lang};
use audarma_store::{Comment, Dismissal, Event, FindingRef, JobFilter, JobId, JobSort, JobSummary};
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

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
    ("get", "/api/glossary"),
    ("get", "/api/findings"),
    ("get", "/api/words/{lang}"),
    ("post", "/api/words/{lang}"),
    ("get", "/api/me"),
    ("get", "/api/users"),
    ("post", "/api/users"),
    ("put", "/api/users/{name}"),
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
        .route("/glossary", get(glossary))
        .route("/findings", get(finding_stats))
        .route("/words/{lang}", get(list_words).post(add_word))
        .route("/me", get(me))
        .route("/users", get(list_users).post(add_user))
        .route("/users/{name}", put(set_role))
        .route("/openapi.json", get(|| async { ([(header::CONTENT_TYPE, "application/json")], OPENAPI) }))
        .fallback(|| async { ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such API endpoint") })
}

/// Query of `GET /api/jobs` (and of the queue page).
#[derive(Debug, Default, Deserialize)]
pub struct JobsQuery {
    pub state: Option<String>,
    pub lang: Option<String>,
    pub assignee: Option<String>,
    pub q: Option<String>,
    pub sort: Option<String>,
    pub limit: Option<u32>,
    pub offset: Option<u32>,
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
            text: nonempty(&self.q),
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

#[derive(Serialize)]
pub struct JobView {
    #[serde(flatten)]
    pub summary: JobSummary,
    pub release_source: String,
    pub release_place: Option<String>,
    pub segments: Vec<SegmentView>,
    pub comments: Vec<Comment>,
}

pub async fn job_view(desk: &Desk, id: JobId) -> Result<JobView, ApiError> {
    let detail = desk.store.job(id).await?;
    let segments = view::segments(desk.store.as_ref(), &desk.terms, &detail).await?;
    let comments = desk.store.comments(id).await?;
    Ok(JobView {
        summary: detail.summary,
        release_source: detail.release_source,
        release_place: detail.release_place,
        segments,
        comments,
    })
}

async fn job(
    State(desk): State<AppState>,
    ApiCaller(_): ApiCaller,
    Path(id): Path<JobId>,
) -> Result<Json<JobView>, ApiError> {
    Ok(Json(job_view(&desk, id).await?))
}

#[derive(Debug, Deserialize)]
pub struct EditBody {
    pub text: String,
    pub version: i64,
}

#[derive(Debug, Serialize)]
pub struct Saved {
    pub version: i64,
    pub findings: Vec<FindingView>,
    pub terms: Vec<view::TermView>,
}

/// Checks a translator's text and saves it unless the segment changed since `version`.
pub async fn save_segment(
    desk: &Desk,
    caller: &Caller,
    id: JobId,
    idx: u32,
    text: &str,
    version: i64,
) -> Result<Saved, ApiError> {
    if !caller.role().can_edit() {
        return Err(ApiError::forbidden(format!("a {} cannot edit translations", caller.user.role)));
    }
    let text = text.trim();
    if text.is_empty() {
        return Err(ApiError::bad_request("text: the translation is empty"));
    }
    let (s, seg) = desk.store.job_segment(id, idx).await?;
    let source_lang = seg.source_lang.unwrap_or(s.source_lang);
    let (terms, findings) = desk.terms.review(&seg.source, Some(text), source_lang, s.target_lang, s.release_date);
    let version = desk.store.edit_segment(id, idx, text, &findings, Some(version), &caller.user.name).await?;
    // Dismissals hold while the text is the same: saving the same text again keeps them.
    let dismissals = if seg.current() == Some(text) { seg.dismissals } else { Vec::new() };
    Ok(Saved { version, findings: view::findings(&findings, &dismissals, text), terms: view::term_views(&terms) })
}

async fn edit_segment(
    State(desk): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path((id, n)): Path<(JobId, u32)>,
    body: Result<Json<EditBody>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<Saved>, ApiError> {
    let Json(body) = body.map_err(|e| ApiError::bad_request(e.body_text()))?;
    Ok(Json(save_segment(&desk, &caller, id, n, &body.text, body.version).await?))
}

#[derive(Debug, Deserialize)]
pub struct DismissBody {
    pub check: String,
    pub message: String,
    /// The segment's version the reviewer saw; a segment changed since is refused (409).
    pub version: Option<i64>,
    pub reason: Option<String>,
}

pub const MAX_REASON: usize = 2_000;

/// Marks a finding of a segment's current text "not a problem".
pub async fn do_dismiss(
    desk: &Desk,
    caller: &Caller,
    id: JobId,
    idx: u32,
    b: &DismissBody,
) -> Result<Dismissal, ApiError> {
    if !caller.role().can_judge_findings() {
        return Err(ApiError::forbidden(format!("a {} cannot dismiss findings", caller.user.role)));
    }
    if b.check.trim().is_empty() {
        return Err(ApiError::bad_request("check: the finding's check is missing"));
    }
    let check: audarma_core::Check = b
        .check
        .trim()
        .parse()
        .map_err(|e: audarma_core::ParseCheckError| ApiError::bad_request(format!("check: {e}")))?;
    if b.message.is_empty() {
        return Err(ApiError::bad_request("message: the finding's message is missing"));
    }
    if b.reason.as_deref().is_some_and(|r| r.chars().count() > MAX_REASON) {
        return Err(ApiError::bad_request(format!("reason: at most {MAX_REASON} characters")));
    }
    let finding = FindingRef { check, message: b.message.clone() };
    Ok(desk.store.dismiss_finding(id, idx, &finding, b.version, b.reason.as_deref(), &caller.user.name).await?)
}

async fn dismiss(
    State(desk): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path((id, n)): Path<(JobId, u32)>,
    body: Result<Json<DismissBody>, axum::extract::rejection::JsonRejection>,
) -> Result<(StatusCode, Json<Dismissal>), ApiError> {
    let Json(body) = body.map_err(|e| ApiError::bad_request(e.body_text()))?;
    Ok((StatusCode::CREATED, Json(do_dismiss(&desk, &caller, id, n, &body).await?)))
}

/// Findings raised and dismissed for one check and language pair.
#[derive(Debug, Clone, Serialize)]
pub struct FindingStat {
    pub check: audarma_core::Check,
    pub source: &'static str,
    pub target: &'static str,
    pub raised: u64,
    pub dismissed: u64,
    /// dismissed / raised, 0 when nothing was raised.
    pub dismissed_share: f64,
}

pub async fn finding_stats_of(desk: &Desk) -> Result<Vec<FindingStat>, ApiError> {
    Ok(desk
        .store
        .finding_counts()
        .await?
        .into_iter()
        .map(|c| FindingStat {
            dismissed_share: if c.raised == 0 { 0.0 } else { c.dismissed as f64 / c.raised as f64 },
            check: c.check,
            source: c.source_lang.code(),
            target: c.target_lang.code(),
            raised: c.raised,
            dismissed: c.dismissed,
        })
        .collect())
}

async fn finding_stats(
    State(desk): State<AppState>,
    ApiCaller(_): ApiCaller,
) -> Result<Json<Vec<FindingStat>>, ApiError> {
    Ok(Json(finding_stats_of(&desk).await?))
}

pub fn parse_lang(l: &str) -> Result<Lang, ApiError> {
    l.parse::<Lang>().map_err(|_| ApiError::bad_request(format!("lang: {l:?} is not en, kk or ru")))
}

pub const MAX_WORD: usize = 64;

/// One word: letters (and the marks, hyphens and apostrophes inside words), at most [`MAX_WORD`].
pub fn check_word(word: &str) -> Result<&str, ApiError> {
    let word = word.trim();
    if word.is_empty() {
        return Err(ApiError::bad_request("word: the word is empty"));
    }
    if word.chars().count() > MAX_WORD {
        return Err(ApiError::bad_request(format!("word: at most {MAX_WORD} characters")));
    }
    let inner = |c: char| c.is_alphanumeric() || matches!(c, '-' | '\'' | '’' | '\u{301}');
    if !word.chars().all(inner) || !word.chars().any(char::is_alphabetic) {
        return Err(ApiError::bad_request(format!("word: {word:?} is not one word (letters, hyphens, apostrophes)")));
    }
    Ok(word)
}

/// Adds a word to a language's word list; `true` when it was new.
pub async fn do_add_word(desk: &Desk, caller: &Caller, lang: Lang, word: &str) -> Result<bool, ApiError> {
    if !caller.role().can_judge_findings() {
        return Err(ApiError::forbidden(format!("a {} cannot add words", caller.user.role)));
    }
    let word = check_word(word)?;
    Ok(desk.store.add_word(lang, word, &caller.user.name).await?)
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
    let Json(body) = body.map_err(|e| ApiError::bad_request(e.body_text()))?;
    let added = do_add_word(&desk, &caller, lang, &body.word).await?;
    let status = if added { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(serde_json::json!({ "lang": lang, "word": body.word.trim(), "added": added }))))
}

#[derive(Debug, Default, Deserialize)]
pub struct ApproveBody {
    pub override_reason: Option<String>,
}

pub async fn do_approve(desk: &Desk, caller: &Caller, id: JobId, reason: Option<&str>) -> Result<(), ApiError> {
    if !caller.role().can_review() {
        return Err(ApiError::forbidden(format!("a {} cannot approve jobs", caller.user.role)));
    }
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    Ok(desk.store.approve_job(id, &caller.user.name, reason).await?)
}

async fn approve(
    State(desk): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<JobId>,
    body: Option<Json<ApproveBody>>,
) -> Result<Response, ApiError> {
    let body = body.map(|Json(b)| b).unwrap_or_default();
    do_approve(&desk, &caller, id, body.override_reason.as_deref()).await?;
    Ok(Json(serde_json::json!({ "job": id, "state": "approved" })).into_response())
}

#[derive(Debug, Deserialize)]
pub struct RejectBody {
    pub reason: String,
}

pub async fn do_reject(desk: &Desk, caller: &Caller, id: JobId, reason: &str) -> Result<(), ApiError> {
    if !caller.role().can_review() {
        return Err(ApiError::forbidden(format!("a {} cannot reject jobs", caller.user.role)));
    }
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(ApiError::bad_request("reason: rejecting a job needs a reason"));
    }
    Ok(desk.store.reject_job(id, reason, &caller.user.name).await?)
}

async fn reject(
    State(desk): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<JobId>,
    body: Result<Json<RejectBody>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let Json(body) = body.map_err(|e| ApiError::bad_request(e.body_text()))?;
    do_reject(&desk, &caller, id, &body.reason).await?;
    Ok(Json(serde_json::json!({ "job": id, "state": "rejected" })))
}

#[derive(Debug, Deserialize)]
pub struct AssignBody {
    /// The user to assign the job to; `null` unassigns.
    pub assignee: Option<String>,
}

/// Reviewers assign anyone; translators take a job nobody has, or give their own back. Approved jobs
/// are not reassigned.
pub async fn do_assign(desk: &Desk, caller: &Caller, id: JobId, assignee: Option<&str>) -> Result<(), ApiError> {
    let assignee = assignee.map(str::trim).filter(|a| !a.is_empty());
    let role = caller.role();
    if !role.can_edit() {
        return Err(ApiError::forbidden(format!("a {} cannot take jobs", caller.user.role)));
    }
    let job = desk.store.job_summary(id).await?;
    if job.state == JobState::Approved {
        return Err(ApiError::new(StatusCode::CONFLICT, "wrong_state", format!("job {id} is approved")));
    }
    if !role.can_review() {
        let me = caller.user.name.as_str();
        let allowed = match assignee {
            Some(a) => a == me && job.assignee.as_deref().is_none_or(|c| c == me),
            None => job.assignee.as_deref() == Some(me),
        };
        if !allowed {
            return Err(ApiError::forbidden(
                "translators may take a job nobody has, or give their own back; a reviewer assigns the rest",
            ));
        }
    }
    Ok(desk.store.assign_job(id, assignee, &caller.user.name).await?)
}

async fn assign(
    State(desk): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<JobId>,
    body: Result<Json<AssignBody>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let Json(body) = body.map_err(|e| ApiError::bad_request(e.body_text()))?;
    do_assign(&desk, &caller, id, body.assignee.as_deref()).await?;
    Ok(Json(serde_json::json!({ "job": id, "assignee": body.assignee })))
}

#[derive(Debug, Deserialize)]
pub struct CommentBody {
    pub body: String,
    pub segment: Option<u32>,
}

pub const MAX_COMMENT: usize = 10_000;

pub async fn do_comment(
    desk: &Desk,
    caller: &Caller,
    id: JobId,
    body: &str,
    segment: Option<u32>,
) -> Result<Comment, ApiError> {
    let body = body.trim();
    if body.is_empty() {
        return Err(ApiError::bad_request("body: the comment is empty"));
    }
    if body.chars().count() > MAX_COMMENT {
        return Err(ApiError::bad_request(format!("body: a comment has at most {MAX_COMMENT} characters")));
    }
    Ok(desk.store.add_comment(id, segment, body, &caller.user.name).await?)
}

async fn comment(
    State(desk): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<JobId>,
    body: Result<Json<CommentBody>, axum::extract::rejection::JsonRejection>,
) -> Result<(StatusCode, Json<Comment>), ApiError> {
    let Json(body) = body.map_err(|e| ApiError::bad_request(e.body_text()))?;
    Ok((StatusCode::CREATED, Json(do_comment(&desk, &caller, id, &body.body, body.segment).await?)))
}

async fn history(
    State(desk): State<AppState>,
    ApiCaller(_): ApiCaller,
    Path(id): Path<JobId>,
) -> Result<Json<Vec<Event>>, ApiError> {
    desk.store.job(id).await?;
    Ok(Json(desk.store.events(Some(id)).await?))
}

/// A glossary concept in all three languages.
#[derive(Debug, Clone, Serialize)]
pub struct ConceptView {
    pub id: String,
    pub kk: String,
    pub ru: String,
    pub en: String,
    pub kk_forbidden: String,
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

fn admin_only(caller: &Caller) -> Result<(), ApiError> {
    if caller.role().can_manage_users() {
        Ok(())
    } else {
        Err(ApiError::forbidden(format!("a {} cannot manage users", caller.user.role)))
    }
}

/// Users as the admin sees them (no hashes).
#[derive(Debug, Serialize)]
pub struct UserView {
    pub name: String,
    pub role: audarma_core::Role,
    pub locale: Option<String>,
}

pub async fn do_list_users(desk: &Desk, caller: &Caller) -> Result<Vec<UserView>, ApiError> {
    admin_only(caller)?;
    Ok(desk
        .store
        .users()
        .await?
        .into_iter()
        .map(|u| UserView { name: u.name, role: u.role, locale: u.locale })
        .collect())
}

async fn list_users(
    State(desk): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> Result<Json<Vec<UserView>>, ApiError> {
    Ok(Json(do_list_users(&desk, &caller).await?))
}

#[derive(Debug, Deserialize)]
pub struct NewUser {
    pub name: String,
    pub role: String,
    pub password: String,
}

pub async fn do_add_user(desk: &Desk, caller: &Caller, u: &NewUser) -> Result<UserView, ApiError> {
    admin_only(caller)?;
    let name = u.name.trim();
    let role = crate::auth::check_new_user(name, &u.role, &u.password).map_err(ApiError::bad_request)?;
    let password = u.password.clone();
    let hash = tokio::task::spawn_blocking(move || crate::auth::hash_password(&password))
        .await
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()))?
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e))?;
    let user = desk.store.add_user(name, role, &hash, &caller.user.name).await?;
    Ok(UserView { name: user.name, role: user.role, locale: None })
}

async fn add_user(
    State(desk): State<AppState>,
    ApiCaller(caller): ApiCaller,
    body: Result<Json<NewUser>, axum::extract::rejection::JsonRejection>,
) -> Result<(StatusCode, Json<UserView>), ApiError> {
    let Json(body) = body.map_err(|e| ApiError::bad_request(e.body_text()))?;
    Ok((StatusCode::CREATED, Json(do_add_user(&desk, &caller, &body).await?)))
}

#[derive(Debug, Deserialize)]
pub struct RoleBody {
    pub role: String,
}

pub async fn do_set_role(desk: &Desk, caller: &Caller, name: &str, role: &str) -> Result<(), ApiError> {
    admin_only(caller)?;
    let role = crate::auth::check_role(role).map_err(ApiError::bad_request)?;
    if name == caller.user.name && role != audarma_core::Role::Admin {
        return Err(ApiError::bad_request("role: admins cannot take their own admin role away"));
    }
    Ok(desk.store.set_user_role(name, role, &caller.user.name).await?)
}

async fn set_role(
    State(desk): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(name): Path<String>,
    body: Result<Json<RoleBody>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let Json(body) = body.map_err(|e| ApiError::bad_request(e.body_text()))?;
    do_set_role(&desk, &caller, &name, &body.role).await?;
    Ok(Json(serde_json::json!({ "name": name, "role": body.role })))
}
