//! What every HTTP vendor shares: configuration checks, the HTTP client, the secret wrapper, error
//! mapping of transport failures, `Retry-After`, and redaction of keys from messages.

use crate::{BackendConfig, CallError, ConfigError};
use reqwest::header::{HeaderMap, HeaderValue, InvalidHeaderValue};
use reqwest::StatusCode;
use std::fmt;
use std::time::Duration;

/// Seconds before one request is abandoned when the workflow does not say.
pub const DEFAULT_TIMEOUT_SECS: u64 = 30;

/// Longest excerpt of a vendor's error body kept in a message.
const MAX_EXCERPT: usize = 300;

/// An API key or token. Its `Debug` never shows the value, so vendors holding one can derive `Debug`.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// `prefix` + key as a header value marked sensitive (reqwest then never prints it).
    pub fn header(&self, prefix: &str) -> Result<HeaderValue, CallError> {
        self.header_value(prefix)
            .map_err(|_| CallError::Fatal { message: "the API key is not a valid HTTP header value".into() })
    }

    /// The same, with the cause (which never shows the value).
    fn header_value(&self, prefix: &str) -> Result<HeaderValue, InvalidHeaderValue> {
        let mut v = HeaderValue::from_str(&format!("{prefix}{}", self.0))?;
        v.set_sensitive(true);
        Ok(v)
    }

    /// Replaces every occurrence of the key in `message`.
    pub fn redact(&self, message: String) -> String {
        if self.0.len() >= 4 && message.contains(&self.0) {
            message.replace(&self.0, "***")
        } else {
            message
        }
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// Removes the key from whatever message an error carries (a server may echo it back).
pub fn redact_error(key: Option<&Secret>, e: CallError) -> CallError {
    let Some(key) = key else { return e };
    match e {
        CallError::Retryable { message, retry_after } => {
            CallError::Retryable { message: key.redact(message), retry_after }
        }
        CallError::Quota { message } => CallError::Quota { message: key.redact(message) },
        CallError::Fatal { message } => CallError::Fatal { message: key.redact(message) },
        CallError::Malformed { message } => CallError::Malformed { message: key.redact(message) },
    }
}

/// Refuses every vendor-specific key that is set but not in `used`.
pub fn only(config: &BackendConfig, used: &[&str]) -> Result<(), ConfigError> {
    let set = [
        ("base_url", config.base_url.is_some()),
        ("api_key_env", config.api_key_env.is_some()),
        ("model", config.model.is_some()),
        ("api_version", config.api_version.is_some()),
        ("folder_id", config.folder_id.is_some()),
        ("auth", config.auth.is_some()),
        ("project", config.project.is_some()),
        ("location", config.location.is_some()),
        ("glossary_id", config.glossary_id.is_some()),
        ("temperature", config.temperature.is_some()),
        ("command", config.command.is_some()),
    ];
    for (name, is_set) in set {
        if is_set && !used.contains(&name) {
            return Err(ConfigError::NotUsed { kind: config.kind, key: name });
        }
    }
    Ok(())
}

/// `backend `x`: `key` is required`.
pub fn required(config: &BackendConfig, key: &'static str) -> ConfigError {
    ConfigError::Required { kind: config.kind, key }
}

/// `backend `x`: `key` RULE`, for a value out of its range or choices.
pub fn invalid(config: &BackendConfig, key: &'static str, rule: &'static str) -> ConfigError {
    ConfigError::Invalid { kind: config.kind, key, rule }
}

/// The API key, required: a missing `api_key_env` or an unset variable is a configuration error.
pub fn required_key(config: &BackendConfig) -> Result<Secret, ConfigError> {
    match config.api_key()? {
        Some(k) => Ok(Secret(k)),
        None => Err(required(config, "api_key_env")),
    }
}

/// The key must fit in an HTTP header after `prefix`; the error names the variable, not the value.
pub fn check_header(config: &BackendConfig, key: &Secret, prefix: &str) -> Result<(), ConfigError> {
    key.header_value(prefix).map(|_| ()).map_err(|source| ConfigError::KeyNotHeader {
        kind: config.kind,
        var: config.api_key_env.as_deref().unwrap_or("?").to_string(),
        source,
    })
}

/// The API key when one is configured (self-hosted servers often need none).
pub fn optional_key(config: &BackendConfig) -> Result<Option<Secret>, ConfigError> {
    Ok(config.api_key()?.map(Secret))
}

/// `base_url` (without a trailing `/`) or the vendor's default; it must be an http(s) URL.
pub fn base_url(config: &BackendConfig, default: Option<&str>) -> Result<String, ConfigError> {
    let raw = match (&config.base_url, default) {
        (Some(b), _) => b.trim().to_string(),
        (None, Some(d)) => d.to_string(),
        (None, None) => return Err(required(config, "base_url")),
    };
    match reqwest::Url::parse(&raw) {
        Ok(u) if matches!(u.scheme(), "http" | "https") => Ok(raw.trim_end_matches('/').to_string()),
        Ok(_) => Err(ConfigError::BadUrl { kind: config.kind, url: raw, source: None }),
        Err(e) => Err(ConfigError::BadUrl { kind: config.kind, url: raw, source: Some(e) }),
    }
}

/// A non-empty string option, trimmed.
pub fn non_empty(
    config: &BackendConfig,
    key: &'static str,
    value: &Option<String>,
) -> Result<Option<String>, ConfigError> {
    match value {
        None => Ok(None),
        Some(v) if v.trim().is_empty() => Err(ConfigError::Empty { kind: config.kind, key }),
        Some(v) => Ok(Some(v.trim().to_string())),
    }
}

/// One HTTP client per vendor, with the configured timeout.
pub fn client(config: &BackendConfig) -> Result<reqwest::Client, ConfigError> {
    let secs = config.timeout_secs.unwrap_or(DEFAULT_TIMEOUT_SECS);
    if secs == 0 {
        return Err(invalid(config, "timeout_secs", "must be at least 1"));
    }
    reqwest::Client::builder()
        .timeout(Duration::from_secs(secs))
        .connect_timeout(Duration::from_secs(secs.min(10)))
        .user_agent(concat!("audarma/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|source| ConfigError::Client { kind: config.kind, source })
}

/// A transport failure (no HTTP status): timeouts and connection errors are worth retrying. The URL
/// is dropped from the message (Google v2 carries the key in it).
pub fn transport(e: reqwest::Error) -> CallError {
    let timeout = e.is_timeout();
    let e = e.without_url();
    if timeout {
        CallError::Retryable { message: format!("request timed out: {e}"), retry_after: None }
    } else if e.is_decode() {
        CallError::Malformed { message: format!("unreadable response: {e}") }
    } else if e.is_builder() {
        CallError::Fatal { message: format!("cannot build the request: {e}") }
    } else {
        CallError::Retryable { message: format!("request failed: {e}"), retry_after: None }
    }
}

/// A received response: status, headers and the body as text.
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

/// Sends the request and reads the whole body.
pub async fn send(request: reqwest::RequestBuilder) -> Result<Reply, CallError> {
    let resp = request.send().await.map_err(transport)?;
    let status = resp.status();
    let headers = resp.headers().clone();
    let body = resp.text().await.map_err(transport)?;
    Ok(Reply { status, headers, body })
}

/// `Retry-After` in seconds (the HTTP-date form is not parsed: no vendor here documents it).
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let v = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(s) = v.parse::<u64>() {
        return Some(Duration::from_secs(s));
    }
    v.parse::<f64>().ok().filter(|s| s.is_finite() && (0.0..=86_400.0).contains(s)).map(Duration::from_secs_f64)
}

/// The start of a body, on one line, for messages.
pub fn excerpt(body: &str) -> String {
    let one_line: String = body.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > MAX_EXCERPT {
        let cut: String = one_line.chars().take(MAX_EXCERPT).collect();
        format!("{cut}…")
    } else {
        one_line
    }
}

/// `HTTP 429: message` (or the body's excerpt when no message could be parsed).
pub fn http_message(status: StatusCode, message: Option<&str>, body: &str) -> String {
    match message.map(str::trim).filter(|m| !m.is_empty()) {
        Some(m) => format!("HTTP {}: {}", status.as_u16(), excerpt(m)),
        None if body.trim().is_empty() => format!("HTTP {}", status.as_u16()),
        None => format!("HTTP {}: {}", status.as_u16(), excerpt(body)),
    }
}

/// The generic mapping by status alone: 408/429/5xx retryable, the rest fatal.
pub fn by_status(status: StatusCode, headers: &HeaderMap, message: String) -> CallError {
    let code = status.as_u16();
    if code == 408 || code == 429 || status.is_server_error() {
        CallError::Retryable { message, retry_after: retry_after(headers) }
    } else if code == 401 || code == 403 {
        CallError::Fatal { message: format!("authentication failed: {message}") }
    } else {
        CallError::Fatal { message }
    }
}

/// Parses a success body into `T`, or says what was wrong with it.
pub fn parse<T: serde::de::DeserializeOwned>(body: &str) -> Result<T, CallError> {
    serde_json::from_str(body).map_err(|e| CallError::Malformed {
        message: format!("response is not the documented JSON: {e}: {}", excerpt(body)),
    })
}

/// The texts of a response must be as many as the request's.
pub fn check_count(got: usize, expected: usize) -> Result<(), CallError> {
    if got == expected {
        Ok(())
    } else {
        Err(CallError::Malformed { message: format!("expected {expected} translations, got {got}") })
    }
}
