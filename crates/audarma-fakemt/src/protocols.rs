//! The three wire protocols and the request path they share: latency → auth → rate limit → parse →
//! fault rolls (timeout, error, malformed, dropped placeholder) → quota → pseudo-translation.

use crate::translate::{self, Lang};
use crate::{bump, Shared};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;

/// The wire protocols the fake speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    DeepL,
    Yandex,
    OpenAi,
}

impl Protocol {
    pub fn name(self) -> &'static str {
        match self {
            Protocol::DeepL => "deepl",
            Protocol::Yandex => "yandex",
            Protocol::OpenAi => "openai",
        }
    }
}

/// A parsed request: what to translate and what the response needs to echo.
struct Job {
    texts: Vec<String>,
    target: Lang,
    source: Option<Lang>,
    /// OpenAI: segment ids, model and prompt size.
    ids: Vec<Value>,
    model: String,
    prompt_chars: usize,
}

fn json_status(status: StatusCode, body: Value) -> Response {
    (status, Json(body)).into_response()
}

fn with_retry_after(mut r: Response, seconds: Option<u64>) -> Response {
    if let Some(s) = seconds {
        if let Ok(v) = HeaderValue::from_str(&s.to_string()) {
            r.headers_mut().insert(header::RETRY_AFTER, v);
        }
    }
    r
}

// ---------------------------------------------------------------- errors in each vendor's shape

fn deepl_error(status: StatusCode, message: &str) -> Response {
    json_status(status, json!({ "message": message }))
}

/// google.rpc.Status with the gRPC code, as Yandex sends it.
fn yandex_error(status: StatusCode, code: u32, message: &str) -> Response {
    json_status(status, json!({ "code": code, "message": message, "details": [] }))
}

fn openai_error(status: StatusCode, message: &str, kind: &str, param: Option<&str>, code: Option<&str>) -> Response {
    json_status(status, json!({ "error": { "message": message, "type": kind, "param": param, "code": code } }))
}

/// A refused request's response, boxed to keep `Result`s small.
type Rejection = Box<Response>;

fn bad_request(p: Protocol, message: &str) -> Rejection {
    Box::new(match p {
        Protocol::DeepL => deepl_error(StatusCode::BAD_REQUEST, message),
        Protocol::Yandex => yandex_error(StatusCode::BAD_REQUEST, 3, message),
        Protocol::OpenAi => openai_error(StatusCode::BAD_REQUEST, message, "invalid_request_error", None, None),
    })
}

fn unauthorized(p: Protocol) -> Response {
    match p {
        Protocol::DeepL => deepl_error(
            StatusCode::FORBIDDEN,
            "Authorization failure, check auth key (expected header 'Authorization: DeepL-Auth-Key <key>')",
        ),
        Protocol::Yandex => yandex_error(
            StatusCode::UNAUTHORIZED,
            16,
            "Unauthenticated: expected header 'Authorization: Api-Key <key>' or 'Authorization: Bearer <IAM token>'",
        ),
        Protocol::OpenAi => openai_error(
            StatusCode::UNAUTHORIZED,
            "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
            "invalid_request_error",
            None,
            None,
        ),
    }
}

fn too_many_requests(p: Protocol) -> Response {
    match p {
        Protocol::DeepL => deepl_error(StatusCode::TOO_MANY_REQUESTS, "Too many requests"),
        Protocol::Yandex => yandex_error(StatusCode::TOO_MANY_REQUESTS, 8, "Limit on requests was exceeded"),
        Protocol::OpenAi => openai_error(
            StatusCode::TOO_MANY_REQUESTS,
            "Rate limit reached for requests. Please try again later.",
            "requests",
            None,
            Some("rate_limit_exceeded"),
        ),
    }
}

fn server_error(p: Protocol, status: StatusCode) -> Response {
    let unavailable = status == StatusCode::SERVICE_UNAVAILABLE;
    match p {
        Protocol::DeepL => {
            deepl_error(status, if unavailable { "Service temporarily unavailable" } else { "Internal server error" })
        }
        Protocol::Yandex if unavailable => yandex_error(status, 14, "The service is currently unavailable"),
        Protocol::Yandex => yandex_error(status, 13, "Internal error"),
        Protocol::OpenAi => openai_error(
            status,
            if unavailable {
                "The engine is currently overloaded, please try again later."
            } else {
                "The server had an error while processing your request. Sorry about that!"
            },
            "server_error",
            None,
            None,
        ),
    }
}

fn quota_exceeded(p: Protocol) -> Response {
    match p {
        Protocol::DeepL => deepl_error(StatusCode::from_u16(456).unwrap_or(StatusCode::FORBIDDEN), "Quota exceeded"),
        Protocol::Yandex => {
            yandex_error(StatusCode::TOO_MANY_REQUESTS, 8, "Quota limit ai.translate.charactersCount.rate exceeded")
        }
        Protocol::OpenAi => openai_error(
            StatusCode::TOO_MANY_REQUESTS,
            "You exceeded your current quota, please check your plan and billing details.",
            "insufficient_quota",
            None,
            Some("insufficient_quota"),
        ),
    }
}

// ---------------------------------------------------------------- auth

fn auth_ok(p: Protocol, headers: &HeaderMap) -> bool {
    let Some(value) = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let has_key = |scheme: &str| value.strip_prefix(scheme).is_some_and(|k| !k.trim().is_empty());
    match p {
        Protocol::DeepL => has_key("DeepL-Auth-Key "),
        Protocol::Yandex => has_key("Api-Key ") || has_key("Bearer "),
        Protocol::OpenAi => has_key("Bearer "),
    }
}

// ---------------------------------------------------------------- parsing

#[derive(Deserialize)]
struct DeeplRequest {
    text: Option<Vec<String>>,
    target_lang: Option<String>,
    source_lang: Option<String>,
    glossary_id: Option<String>,
    glossary_ids: Option<Vec<String>>,
}

fn parse_deepl(body: &[u8]) -> Result<Job, Rejection> {
    let p = Protocol::DeepL;
    if body.len() > 128 * 1024 {
        return Err(Box::new(deepl_error(StatusCode::PAYLOAD_TOO_LARGE, "Request Entity Too Large")));
    }
    let r: DeeplRequest = serde_json::from_slice(body).map_err(|e| {
        bad_request(p, &format!("Bad request. Reason: invalid JSON body ({e}); 'text' must be an array of strings"))
    })?;
    let texts = r.text.unwrap_or_default();
    if texts.is_empty() {
        return Err(bad_request(p, "Parameter 'text' not specified."));
    }
    if texts.len() > 50 {
        return Err(bad_request(p, "Bad request. Reason: too many texts (at most 50 per request)"));
    }
    let Some(target_code) = r.target_lang else {
        return Err(bad_request(p, "Parameter 'target_lang' not specified."));
    };
    if target_code.eq_ignore_ascii_case("en") {
        return Err(bad_request(
            p,
            "Value for 'target_lang' not supported. targetLang=\"EN\" is deprecated, please use \"EN-GB\" or \"EN-US\" instead.",
        ));
    }
    let target = Lang::parse(&target_code).ok_or_else(|| bad_request(p, "Value for 'target_lang' not supported."))?;
    let source = match r.source_lang {
        Some(s) if s.contains('-') => return Err(bad_request(p, "Value for 'source_lang' not supported.")),
        Some(s) => Some(Lang::parse(&s).ok_or_else(|| bad_request(p, "Value for 'source_lang' not supported."))?),
        None => None,
    };
    let glossary = r.glossary_id.is_some() || r.glossary_ids.as_ref().is_some_and(|g| !g.is_empty());
    if r.glossary_id.is_some() && r.glossary_ids.is_some() {
        return Err(bad_request(p, "Bad request. Reason: 'glossary_id' and 'glossary_ids' cannot both be set"));
    }
    if glossary && source.is_none() {
        return Err(bad_request(p, "Use of a glossary requires the 'source_lang' parameter to be set."));
    }
    if glossary && (target == Lang::Kk || source == Some(Lang::Kk)) {
        return Err(bad_request(p, "Bad request. Reason: glossaries are not supported for this language pair"));
    }
    Ok(Job { texts, target, source, ids: Vec::new(), model: String::new(), prompt_chars: 0 })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct YandexRequest {
    texts: Option<Vec<String>>,
    target_language_code: Option<String>,
    source_language_code: Option<String>,
    format: Option<String>,
    glossary_config: Option<YandexGlossaryConfig>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct YandexGlossaryConfig {
    glossary_data: Option<YandexGlossaryData>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct YandexGlossaryData {
    #[serde(default)]
    glossary_pairs: Vec<YandexGlossaryPair>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)] // fields are only validated by deserialisation
struct YandexGlossaryPair {
    source_text: String,
    translated_text: String,
    #[serde(default)]
    exact: bool,
}

/// Yandex takes lower-case ISO 639-1 codes of at most 3 characters.
fn yandex_lang(code: &str) -> Option<Lang> {
    if code.len() > 3 || code != code.to_ascii_lowercase() {
        return None;
    }
    Lang::parse(code)
}

fn parse_yandex(body: &[u8]) -> Result<Job, Rejection> {
    let p = Protocol::Yandex;
    let r: YandexRequest =
        serde_json::from_slice(body).map_err(|e| bad_request(p, &format!("Invalid JSON payload received: {e}")))?;
    let texts = r.texts.unwrap_or_default();
    if texts.is_empty() {
        return Err(bad_request(p, "texts: must not be empty"));
    }
    let total: usize = texts.iter().map(|t| t.chars().count()).sum();
    if total > 10_000 {
        return Err(bad_request(p, &format!("limit on input text length exceeded: {total} > 10000 characters")));
    }
    let Some(target_code) = r.target_language_code else {
        return Err(bad_request(p, "target_language_code: required"));
    };
    let target = yandex_lang(&target_code)
        .ok_or_else(|| bad_request(p, &format!("unsupported target_language_code: {target_code:?}")))?;
    let source = match r.source_language_code {
        Some(s) => {
            Some(yandex_lang(&s).ok_or_else(|| bad_request(p, &format!("unsupported source_language_code: {s:?}")))?)
        }
        None => None,
    };
    if let Some(f) = &r.format {
        if f != "PLAIN_TEXT" && f != "HTML" {
            return Err(bad_request(p, &format!("format: unknown value {f:?} (PLAIN_TEXT or HTML)")));
        }
    }
    if let Some(g) = r.glossary_config {
        let Some(source) = source else {
            return Err(bad_request(p, "source_language_code is required when glossary_config is set"));
        };
        let pairs = g.glossary_data.map(|d| d.glossary_pairs.len()).unwrap_or(0);
        if !(1..=50).contains(&pairs) {
            return Err(bad_request(p, &format!("glossary_pairs: expected 1 to 50 pairs, got {pairs}")));
        }
        if matches!((source, target), (Lang::En, Lang::Kk) | (Lang::Kk, Lang::En)) {
            return Err(bad_request(
                p,
                &format!("glossary is not supported for language pair {}-{}", source.code(), target.code()),
            ));
        }
    }
    Ok(Job { texts, target, source, ids: Vec::new(), model: String::new(), prompt_chars: 0 })
}

#[derive(Deserialize)]
struct ChatRequest {
    model: Option<String>,
    messages: Option<Vec<ChatMessage>>,
    #[serde(default)]
    stream: bool,
}

#[derive(Deserialize)]
struct ChatMessage {
    role: String,
    #[serde(default)]
    content: Value,
}

/// A message's text: a string, or the text parts of an array of content parts.
fn message_text(content: &Value) -> String {
    match content {
        Value::String(s) => s.clone(),
        Value::Array(parts) => {
            parts.iter().filter_map(|p| p.get("text").and_then(Value::as_str)).collect::<Vec<_>>().join("\n")
        }
        _ => String::new(),
    }
}

/// The target language of a chat request: a `target`/`target_lang`/`targetLanguage` field of the
/// segments object, else the first "into Kazakh" / "to kk" / "target: ru"-style phrase in the
/// messages, else the opposite script of the segments (Cyrillic → en, Latin → kk).
fn chat_target(object: &Value, messages: &str, texts: &[String]) -> Lang {
    for key in ["target", "target_lang", "targetLanguage", "target_language", "targetLanguageCode"] {
        if let Some(l) = object.get(key).and_then(Value::as_str).and_then(Lang::parse) {
            return l;
        }
    }
    let lower = messages.to_lowercase();
    let names: [(Lang, &[&str]); 3] = [
        (Lang::Kk, &["kazakh", "kk", "қазақ", "казах"]),
        (Lang::Ru, &["russian", "ru", "орыс", "русск"]),
        (Lang::En, &["english", "en", "ағылшын", "англий"]),
    ];
    let prefixes = ["into ", "to ", "→ ", "→", "-> ", "->", "target: ", "target language: ", "target_lang: ", "на "];
    let mut best: Option<(usize, Lang)> = None;
    for prefix in prefixes {
        for (at, _) in lower.match_indices(prefix) {
            let starts_word = lower[..at].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
            if !starts_word {
                continue;
            }
            let rest = &lower[at + prefix.len()..];
            for (lang, words) in names {
                for w in words {
                    let ends_word = rest
                        .strip_prefix(w)
                        .is_some_and(|after| w.len() > 2 || after.chars().next().is_none_or(|c| !c.is_alphanumeric()));
                    if ends_word && best.is_none_or(|(b, _)| at < b) {
                        best = Some((at, lang));
                    }
                }
            }
        }
    }
    if let Some((_, l)) = best {
        return l;
    }
    match translate::detect(&texts.join(" ")) {
        Lang::En => Lang::Kk,
        _ => Lang::En,
    }
}

/// Why a chat request's last user message holds no segments object (sent back as a 400).
#[derive(Debug, thiserror::Error)]
enum SegmentsError {
    #[error("fake server: no JSON object {{\"segments\":[…]}} in the last user message")]
    Missing,
    #[error("fake server: the JSON object in the last user message does not parse: {0}")]
    Unparsable(#[source] serde_json::Error),
}

/// The JSON object of a user message: from the first `{`, the first complete JSON value (so text
/// after it, such as repair notes, may contain braces), else the span up to the last `}`.
fn segments_object(user: &str) -> Result<Value, SegmentsError> {
    let Some(start) = user.find('{') else {
        return Err(SegmentsError::Missing);
    };
    let mut stream = serde_json::Deserializer::from_str(&user[start..]).into_iter::<Value>();
    if let Some(Ok(v)) = stream.next() {
        return Ok(v);
    }
    match user.rfind('}') {
        Some(end) if end > start => serde_json::from_str(&user[start..=end]).map_err(SegmentsError::Unparsable),
        _ => Err(SegmentsError::Missing),
    }
}

fn parse_openai(body: &[u8]) -> Result<Job, Rejection> {
    let bad = |m: &str, param: Option<&str>| -> Rejection {
        Box::new(openai_error(StatusCode::BAD_REQUEST, m, "invalid_request_error", param, None))
    };
    let r: ChatRequest = serde_json::from_slice(body)
        .map_err(|e| bad(&format!("We could not parse the JSON body of your request. ({e})"), None))?;
    let Some(model) = r.model.filter(|m| !m.is_empty()) else {
        return Err(bad("you must provide a model parameter", Some("model")));
    };
    let messages = r.messages.unwrap_or_default();
    if messages.is_empty() {
        return Err(bad("'messages' is a required property", Some("messages")));
    }
    if r.stream {
        return Err(bad("the fake server does not stream; send \"stream\": false", Some("stream")));
    }
    let Some(last_user) = messages.iter().rev().find(|m| m.role == "user") else {
        return Err(bad("no user message in 'messages'", Some("messages")));
    };
    let user = message_text(&last_user.content);
    let object = segments_object(&user).map_err(|e| bad(&e.to_string(), Some("messages")))?;
    let Some(segments) = object.get("segments").and_then(Value::as_array) else {
        return Err(bad("fake server: the JSON object has no \"segments\" array", Some("messages")));
    };
    let mut ids = Vec::with_capacity(segments.len());
    let mut texts = Vec::with_capacity(segments.len());
    for s in segments {
        match (s.get("id"), s.get("text").and_then(Value::as_str)) {
            (Some(id), Some(text)) => {
                ids.push(id.clone());
                texts.push(text.to_string());
            }
            _ => return Err(bad("fake server: every segment needs \"id\" and \"text\"", Some("messages"))),
        }
    }
    let all_text: Vec<String> = messages.iter().map(|m| message_text(&m.content)).collect();
    let prompt_chars = all_text.iter().map(|t| t.chars().count()).sum();
    let instructions: String = messages
        .iter()
        .filter(|m| m.role == "system" || m.role == "developer")
        .map(|m| message_text(&m.content))
        .chain(std::iter::once(user[..user.find('{').unwrap_or(0)].to_string()))
        .collect::<Vec<_>>()
        .join("\n");
    let target = chat_target(&object, &instructions, &texts);
    Ok(Job { texts, target, source: None, ids, model, prompt_chars })
}

// ---------------------------------------------------------------- success bodies

fn tokens(chars: usize) -> usize {
    chars.div_ceil(4)
}

fn success_body(p: Protocol, job: &Job, translations: Vec<String>, id: u64) -> Value {
    let detected = |text: &str| job.source.unwrap_or_else(|| translate::detect(text));
    match p {
        Protocol::DeepL => json!({
            "translations": job.texts.iter().zip(translations).map(|(src, t)| json!({
                "detected_source_language": detected(src).code().to_ascii_uppercase(),
                "text": t,
                "billed_characters": src.chars().count(),
            })).collect::<Vec<_>>()
        }),
        Protocol::Yandex => json!({
            "translations": job.texts.iter().zip(translations).map(|(src, t)| json!({
                "text": t,
                "detectedLanguageCode": detected(src).code(),
            })).collect::<Vec<_>>()
        }),
        Protocol::OpenAi => {
            let segments: Vec<Value> =
                job.ids.iter().zip(translations).map(|(id, t)| json!({ "id": id, "translation": t })).collect();
            let content = json!({ "segments": segments }).to_string();
            let (prompt, completion) = (tokens(job.prompt_chars), tokens(content.chars().count()));
            let created = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
            json!({
                "id": format!("chatcmpl-fake{id:016x}"),
                "object": "chat.completion",
                "created": created,
                "model": job.model,
                "choices": [{
                    "index": 0,
                    "message": { "role": "assistant", "content": content, "refusal": null },
                    "logprobs": null,
                    "finish_reason": "stop",
                }],
                "usage": { "prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion },
            })
        }
    }
}

// ---------------------------------------------------------------- the shared path

async fn handle(shared: Arc<Shared>, p: Protocol, headers: HeaderMap, body: Bytes) -> Response {
    let config = &shared.config;
    let counters = &shared.counters;
    bump(match p {
        Protocol::DeepL => &counters.deepl,
        Protocol::Yandex => &counters.yandex,
        Protocol::OpenAi => &counters.openai,
    });
    if !config.latency.is_zero() {
        tokio::time::sleep(config.latency).await;
    }
    if config.require_auth && !auth_ok(p, &headers) {
        bump(&counters.rejected_auth);
        return unauthorized(p);
    }
    if let Err(wait) = shared.take_token() {
        bump(&counters.rate_limited);
        return with_retry_after(too_many_requests(p), Some(wait));
    }
    let parsed = match p {
        Protocol::DeepL => parse_deepl(&body),
        Protocol::Yandex => parse_yandex(&body),
        Protocol::OpenAi => parse_openai(&body),
    };
    let job = match parsed {
        Ok(job) => job,
        Err(response) => {
            bump(&counters.rejected_bad_request);
            return *response;
        }
    };

    // Every roll is drawn whatever the rates, so one rate does not shift the others' outcomes.
    let mut rng = shared.rng_for(p, &body);
    let timeout = rng.chance(config.timeout_rate);
    let error = rng.chance(config.error_rate);
    let error_kind = rng.next_f64();
    let retry_after = rng.chance(0.5);
    let malformed = rng.chance(config.malformed_rate);
    let drop = rng.chance(config.drop_placeholder_rate);
    let drop_segment = rng.next_u64() as usize;
    let drop_which = rng.next_u64() as usize;
    let response_id = rng.next_u64();

    if timeout {
        bump(&counters.timeout);
        tracing::debug!(protocol = p.name(), "injected timeout");
        tokio::time::sleep(config.timeout_sleep).await;
    }
    if error {
        bump(&counters.error);
        tracing::debug!(protocol = p.name(), "injected error");
        return if error_kind < 0.5 {
            with_retry_after(too_many_requests(p), retry_after.then_some(1))
        } else if error_kind < 0.75 {
            server_error(p, StatusCode::INTERNAL_SERVER_ERROR)
        } else {
            server_error(p, StatusCode::SERVICE_UNAVAILABLE)
        };
    }
    let chars: usize = job.texts.iter().map(|t| t.chars().count()).sum();
    if !shared.reserve_chars(chars as u64) {
        bump(&counters.quota);
        return quota_exceeded(p);
    }
    counters.segments.fetch_add(job.texts.len() as u64, std::sync::atomic::Ordering::Relaxed);
    bump(&counters.translated);

    let mut translations: Vec<String> = job.texts.iter().map(|t| translate::pseudo_translate(t, job.target)).collect();
    if drop {
        let with: Vec<usize> =
            (0..translations.len()).filter(|&i| !translate::placeholders(&translations[i]).is_empty()).collect();
        if !with.is_empty() {
            let i = with[drop_segment % with.len()];
            if let Some(t) = translate::drop_placeholder(&translations[i], drop_which) {
                translations[i] = t;
                bump(&counters.drop_placeholder);
            }
        }
    }
    let body = success_body(p, &job, translations, response_id);
    if malformed {
        bump(&counters.malformed);
        // A proper prefix of a JSON object never parses: the response was cut off mid-way.
        let text = body.to_string();
        let mut cut = text.len() / 2;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        return (StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], text[..cut].to_string()).into_response();
    }
    (StatusCode::OK, Json(body)).into_response()
}

pub(crate) async fn deepl(State(s): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    handle(s, Protocol::DeepL, headers, body).await
}

fn deepl_authorized(headers: &HeaderMap) -> bool {
    headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("DeepL-Auth-Key "))
}

/// `GET /v2/glossaries`: the stored glossaries.
pub(crate) async fn deepl_glossaries(State(s): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    if s.config.require_auth && !deepl_authorized(&headers) {
        return deepl_error(StatusCode::FORBIDDEN, "Authorization failure, check auth_key");
    }
    let list = s.glossaries.lock().unwrap_or_else(|e| e.into_inner());
    let items: Vec<Value> = list
        .iter()
        .map(|(id, name, sl, tl, entries)| {
            json!({"glossary_id": id, "name": name, "ready": true, "source_lang": sl, "target_lang": tl,
                   "entry_count": entries.lines().count()})
        })
        .collect();
    Json(json!({ "glossaries": items })).into_response()
}

/// `POST /v2/glossaries` with `{name, source_lang, target_lang, entries, entries_format: "tsv"}`.
pub(crate) async fn deepl_glossary_create(State(s): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    if s.config.require_auth && !deepl_authorized(&headers) {
        return deepl_error(StatusCode::FORBIDDEN, "Authorization failure, check auth_key");
    }
    let Ok(v) = serde_json::from_slice::<Value>(&body) else {
        return deepl_error(StatusCode::BAD_REQUEST, "Invalid request: expected JSON");
    };
    let field = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
    let (name, sl, tl, entries) = (field("name"), field("source_lang"), field("target_lang"), field("entries"));
    if name.is_empty() || entries.is_empty() || field("entries_format") != "tsv" {
        return deepl_error(StatusCode::BAD_REQUEST, "Invalid glossary: name, entries and entries_format tsv needed");
    }
    if sl.eq_ignore_ascii_case("kk") || tl.eq_ignore_ascii_case("kk") {
        return deepl_error(StatusCode::BAD_REQUEST, "Unsupported glossary language pair");
    }
    let mut list = s.glossaries.lock().unwrap_or_else(|e| e.into_inner());
    let id = format!("fake-glossary-{}", list.len() + 1);
    let count = entries.lines().count();
    list.push((id.clone(), name.clone(), sl.clone(), tl.clone(), entries));
    (
        StatusCode::CREATED,
        Json(json!({"glossary_id": id, "name": name, "ready": true, "source_lang": sl,
        "target_lang": tl, "entry_count": count})),
    )
        .into_response()
}

/// `DELETE /v2/glossaries/{id}`.
pub(crate) async fn deepl_glossary_delete(
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> Response {
    if s.config.require_auth && !deepl_authorized(&headers) {
        return deepl_error(StatusCode::FORBIDDEN, "Authorization failure, check auth_key");
    }
    let mut list = s.glossaries.lock().unwrap_or_else(|e| e.into_inner());
    let before = list.len();
    list.retain(|g| g.0 != id);
    if list.len() == before {
        return deepl_error(StatusCode::NOT_FOUND, "Glossary not found");
    }
    StatusCode::NO_CONTENT.into_response()
}

pub(crate) async fn yandex(State(s): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    handle(s, Protocol::Yandex, headers, body).await
}

pub(crate) async fn openai(State(s): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    handle(s, Protocol::OpenAi, headers, body).await
}

pub(crate) async fn stats(State(s): State<Arc<Shared>>) -> Json<crate::Stats> {
    Json(s.counters.snapshot())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_segments_object() {
        let with_notes = "{\"segments\":[{\"id\":1,\"text\":\"a\"}]}\n\nfix:\n- id 1: missing {⟦1⟧}";
        assert_eq!(segments_object(with_notes).ok(), Some(json!({"segments": [{"id": 1, "text": "a"}]})));
        assert_eq!(segments_object("Data: {\"segments\":[]} end").ok(), Some(json!({"segments": []})));
        let e = segments_object("no object").unwrap_err();
        assert!(matches!(e, SegmentsError::Missing), "{e:?}");
        assert_eq!(e.to_string(), "fake server: no JSON object {\"segments\":[…]} in the last user message");
        let e = segments_object("{broken}").unwrap_err();
        assert!(matches!(e, SegmentsError::Unparsable(_)), "{e:?}");
        assert!(e.to_string().starts_with("fake server: the JSON object in the last user message does not parse: "));
    }

    #[test]
    fn chat_target_from_instructions() {
        let none = json!({});
        let t = vec!["Hello".to_string()];
        assert_eq!(chat_target(&none, "Translate from English into Russian.", &t), Lang::Ru);
        assert_eq!(chat_target(&none, "Translate en → kk", &t), Lang::Kk);
        assert_eq!(chat_target(&none, "Translate from Kazakh to English", &t), Lang::En);
        assert_eq!(chat_target(&json!({"target": "ru"}), "into Kazakh", &t), Lang::Ru);
        let prompt = "Translate from Russian into English.\n- Glossary:\n  - Казахстан → Kazakh";
        assert_eq!(chat_target(&none, prompt, &t), Lang::En);
        // Nothing said: the other script.
        assert_eq!(chat_target(&none, "Translate.", &t), Lang::Kk);
        assert_eq!(chat_target(&none, "Translate.", &["Сәлем".to_string()]), Lang::En);
        // "to" inside a word, and "en" starting a longer word, do not count.
        assert_eq!(chat_target(&none, "Stay true to entries; translate into Kazakh", &t), Lang::Kk);
    }
}
