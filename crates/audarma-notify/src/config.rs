//! `[[notify]]` tables of a workflow file: read as [`RawWebhook`], checked into a [`Webhook`]. The
//! workflow reader adds the file and line to a [`ConfigError`]; the secret is read from the environment
//! only when deliveries start ([`Webhook::secret`]).

use audarma_store::NotifyEvent;
use serde::Deserialize;
use std::time::Duration;

/// A `[[notify]]` table as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawWebhook {
    /// The webhook's name in the delivery log (default: the URL's host).
    pub name: Option<String>,
    pub url: String,
    pub events: Vec<String>,
    /// The environment variable holding the HMAC secret.
    pub secret_env: String,
    /// Attempts before a delivery is given up (default 10).
    pub attempts: Option<u32>,
    /// Seconds before the first retry; each retry waits twice as long as the one before (default 30).
    pub backoff_secs: Option<u64>,
    /// The longest wait between two attempts, in seconds (default 3600).
    pub backoff_max_secs: Option<u64>,
}

/// A `[[notify]]` table that cannot be used: the field and what is wrong. Never shows a secret, nor the
/// URL's path and query (which may carry a token).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`notify[{index}].{field}`: {message}")]
pub struct ConfigError {
    /// The table's place among the file's `[[notify]]` tables (0 for the first).
    pub index: usize,
    pub field: &'static str,
    pub message: String,
}

/// When a failed delivery is tried again: the first retry after `first`, each later one after twice the
/// wait before it, never more than `max`; after `attempts` attempts it is given up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retry {
    pub attempts: u32,
    pub first: Duration,
    pub max: Duration,
}

impl Default for Retry {
    fn default() -> Self {
        Retry { attempts: 10, first: Duration::from_secs(30), max: Duration::from_secs(3600) }
    }
}

impl Retry {
    /// How long to wait after attempt `attempt` (1 for the first) failed; `None` once it was the last.
    pub fn after(&self, attempt: u32) -> Option<Duration> {
        if attempt >= self.attempts {
            return None;
        }
        let doublings = attempt.saturating_sub(1).min(31);
        Some(self.first.saturating_mul(1u32 << doublings).min(self.max))
    }
}

/// A checked `[[notify]]` table.
#[derive(Clone, PartialEq, Eq)]
pub struct Webhook {
    pub name: String,
    pub url: url::Url,
    /// What it subscribes to, in [`NotifyEvent::ALL`]'s order, each once.
    pub events: Vec<NotifyEvent>,
    pub secret_env: String,
    pub retry: Retry,
}

/// Never prints the URL's path or query, which may carry a token (chat services put one there).
impl std::fmt::Debug for Webhook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Webhook")
            .field("name", &self.name)
            .field("host", &self.url.host_str())
            .field("events", &self.events)
            .field("secret_env", &self.secret_env)
            .field("retry", &self.retry)
            .finish()
    }
}

/// The HMAC secret of a webhook, read from its environment variable. Never printed.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    pub(crate) fn bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(<hidden>)")
    }
}

/// The longest name: it is a column of the delivery log.
const MAX_NAME: usize = 64;

impl Webhook {
    /// Checks the `index`-th `[[notify]]` table of a file.
    pub fn check(raw: &RawWebhook, index: usize) -> Result<Webhook, ConfigError> {
        let err = |field, message: String| ConfigError { index, field, message };
        let url = url::Url::parse(raw.url.trim()).map_err(|e| err("url", format!("not a URL ({e})")))?;
        let host = url.host_str().filter(|h| !h.is_empty()).ok_or_else(|| err("url", "the URL has no host".into()))?;
        let loopback = is_loopback(host);
        match url.scheme() {
            "https" => {}
            "http" if loopback => {}
            "http" => {
                return Err(err(
                    "url",
                    format!("must be https ({host} is not this machine, where plain http is allowed)"),
                ))
            }
            other => return Err(err("url", format!("must be https, not {other}"))),
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(err(
                "url",
                "must not hold a user name or password: the receiver checks the signature made with `secret_env`"
                    .into(),
            ));
        }
        if url.fragment().is_some() {
            return Err(err("url", "must not have a #fragment (it is never sent)".into()));
        }
        let name = match &raw.name {
            Some(n) => n.trim().to_string(),
            None => match url.port() {
                Some(p) => format!("{host}:{p}"),
                None => host.to_string(),
            },
        };
        if name.is_empty() || name.chars().count() > MAX_NAME || name.chars().any(char::is_control) {
            return Err(err("name", format!("must be 1 to {MAX_NAME} characters without control characters")));
        }
        if raw.events.is_empty() {
            return Err(err("events", format!("is empty: name what to send, of {}", event_names())));
        }
        let mut events = Vec::new();
        for e in &raw.events {
            let event = NotifyEvent::parse(e.trim())
                .ok_or_else(|| err("events", format!("{e:?} is not an event: use {}", event_names())))?;
            if !events.contains(&event) {
                events.push(event);
            }
        }
        events.sort();
        let var = raw.secret_env.trim();
        let var_ok = var.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && var.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !var_ok {
            // Not echoed: a secret written here by mistake must not reach a terminal or a log.
            return Err(err(
                "secret_env",
                "must name an environment variable (letters, digits and _), which holds the secret; never the secret itself"
                    .into(),
            ));
        }
        let defaults = Retry::default();
        let attempts = raw.attempts.unwrap_or(defaults.attempts);
        if !(1..=50).contains(&attempts) {
            return Err(err("attempts", format!("must be 1 to 50 (it is {attempts})")));
        }
        let first = raw.backoff_secs.map_or(defaults.first, Duration::from_secs);
        if first.is_zero() || first > Duration::from_secs(86_400) {
            return Err(err("backoff_secs", "must be 1 to 86400 seconds".into()));
        }
        let max = raw.backoff_max_secs.map_or(defaults.max.max(first), Duration::from_secs);
        if max < first || max > Duration::from_secs(7 * 86_400) {
            return Err(err("backoff_max_secs", "must be at least `backoff_secs` and at most 604800 (a week)".into()));
        }
        Ok(Webhook { name, url, events, secret_env: var.to_string(), retry: Retry { attempts, first, max } })
    }

    /// Checks every `[[notify]]` table of a file; their names must differ.
    pub fn check_all(raw: &[RawWebhook]) -> Result<Vec<Webhook>, ConfigError> {
        let mut hooks: Vec<Webhook> = Vec::new();
        for (i, r) in raw.iter().enumerate() {
            let hook = Webhook::check(r, i)?;
            if let Some(j) = hooks.iter().position(|h| h.name == hook.name) {
                return Err(ConfigError {
                    index: i,
                    field: "name",
                    message: format!(
                        "{:?} is the name of `notify[{j}]` too: give each webhook of a workflow its own `name`",
                        hook.name
                    ),
                });
            }
            hooks.push(hook);
        }
        Ok(hooks)
    }

    /// The secret, from the environment variable `secret_env` names, looked up with `env` (the process
    /// environment in the binary). A missing or empty variable is an error naming the field.
    pub fn secret(&self, index: usize, env: &dyn Fn(&str) -> Option<String>) -> Result<Secret, ConfigError> {
        match env(&self.secret_env) {
            Some(v) if !v.is_empty() => Ok(Secret(v)),
            _ => Err(ConfigError {
                index,
                field: "secret_env",
                message: format!(
                    "the environment variable {} is not set (it holds the webhook's secret)",
                    self.secret_env
                ),
            }),
        }
    }

    /// The host the webhook posts to, as logs and errors name it.
    pub fn host(&self) -> &str {
        self.url.host_str().unwrap_or_default()
    }
}

fn event_names() -> String {
    NotifyEvent::ALL.iter().map(|e| e.as_str()).collect::<Vec<_>>().join(", ")
}

fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost") || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(url: &str, events: &[&str]) -> RawWebhook {
        RawWebhook {
            name: None,
            url: url.into(),
            events: events.iter().map(|e| e.to_string()).collect(),
            secret_env: "HOOK_SECRET".into(),
            attempts: None,
            backoff_secs: None,
            backoff_max_secs: None,
        }
    }

    fn error(r: &RawWebhook) -> String {
        Webhook::check(r, 2).unwrap_err().to_string()
    }

    #[test]
    fn a_good_table_is_checked_into_a_webhook() {
        let h = Webhook::check(
            &raw("https://hooks.example.kz/a/T0/secret-path?k=v", &["deadline", "approved", "approved"]),
            0,
        )
        .unwrap();
        assert_eq!(h.name, "hooks.example.kz");
        assert_eq!(h.events, [NotifyEvent::Approved, NotifyEvent::Deadline]);
        assert_eq!(h.retry, Retry::default());
        let shown = format!("{h:?}");
        assert!(
            shown.contains("hooks.example.kz") && !shown.contains("secret-path") && !shown.contains("k=v"),
            "{shown}"
        );
        // Plain http only to this machine; its port names it.
        let local = Webhook::check(&raw("http://127.0.0.1:8080/hook", &["failed"]), 0).unwrap();
        assert_eq!(local.name, "127.0.0.1:8080");
        assert!(Webhook::check(&raw("http://localhost/hook", &["failed"]), 0).is_ok());
        assert!(Webhook::check(&raw("http://[::1]:9/hook", &["failed"]), 0).is_ok());
    }

    #[test]
    fn each_mistake_names_its_field_and_never_the_secret_or_the_path() {
        assert_eq!(
            error(&raw("https://x.kz/h", &["approved", "aproved"])),
            "`notify[2].events`: \"aproved\" is not an event: use in_review, approved, failed, run_failed, deadline"
        );
        assert!(error(&raw("https://x.kz/h", &[])).starts_with("`notify[2].events`: is empty"));
        assert!(error(&raw("hooks.example.kz/x", &["failed"])).starts_with("`notify[2].url`: not a URL"));
        let e = error(&raw("http://hooks.example.kz/T0/token", &["failed"]));
        assert!(e.starts_with("`notify[2].url`: must be https (hooks.example.kz") && !e.contains("token"), "{e}");
        assert!(error(&raw("ftp://x.kz/h", &["failed"])).starts_with("`notify[2].url`: must be https, not ftp"));
        let e = error(&raw("https://user:pa55@x.kz/h", &["failed"]));
        assert!(e.starts_with("`notify[2].url`: must not hold a user name or password") && !e.contains("pa55"), "{e}");
        let mut r = raw("https://x.kz/h", &["failed"]);
        r.secret_env = "s3cr3t-value!".into();
        let e = error(&r);
        assert!(
            e.starts_with("`notify[2].secret_env`: must name an environment variable") && !e.contains("s3cr3t"),
            "{e}"
        );
        r.secret_env = "OK_VAR".into();
        r.attempts = Some(0);
        assert_eq!(error(&r), "`notify[2].attempts`: must be 1 to 50 (it is 0)");
        r.attempts = None;
        r.backoff_secs = Some(60);
        r.backoff_max_secs = Some(30);
        assert!(error(&r).starts_with("`notify[2].backoff_max_secs`: must be at least `backoff_secs`"));
        r.backoff_max_secs = None;
        r.name = Some(" ".into());
        assert!(error(&r).starts_with("`notify[2].name`: must be 1 to 64 characters"));
    }

    #[test]
    fn names_must_differ_within_a_workflow() {
        let two = [raw("https://x.kz/a", &["failed"]), raw("https://x.kz/b", &["approved"])];
        let e = Webhook::check_all(&two).unwrap_err().to_string();
        assert_eq!(
            e,
            "`notify[1].name`: \"x.kz\" is the name of `notify[0]` too: give each webhook of a workflow its own `name`"
        );
        let mut named = two.clone();
        named[1].name = Some("ops".into());
        assert_eq!(Webhook::check_all(&named).unwrap().len(), 2);
    }

    #[test]
    fn the_secret_comes_from_its_variable_and_a_missing_one_names_the_field() {
        let h = Webhook::check(&raw("https://x.kz/a", &["failed"]), 0).unwrap();
        let env = |k: &str| (k == "HOOK_SECRET").then(|| "s3cr3t".to_string());
        let secret = h.secret(0, &env).unwrap();
        assert_eq!(secret.bytes(), b"s3cr3t");
        assert_eq!(format!("{secret:?}"), "Secret(<hidden>)");
        let none = |_: &str| None;
        assert_eq!(
            h.secret(3, &none).unwrap_err().to_string(),
            "`notify[3].secret_env`: the environment variable HOOK_SECRET is not set (it holds the webhook's secret)"
        );
        let empty = |_: &str| Some(String::new());
        assert!(h.secret(0, &empty).is_err());
    }

    #[test]
    fn retries_wait_twice_as_long_each_time_up_to_the_cap_and_stop_at_the_last_attempt() {
        let r = Retry { attempts: 6, first: Duration::from_secs(30), max: Duration::from_secs(100) };
        let waits: Vec<Option<u64>> = (1..=6).map(|a| r.after(a).map(|d| d.as_secs())).collect();
        assert_eq!(waits, [Some(30), Some(60), Some(100), Some(100), Some(100), None]);
        let once = Retry { attempts: 1, ..r };
        assert_eq!(once.after(1), None);
        // No overflow however many attempts.
        let long = Retry { attempts: 50, first: Duration::from_secs(86_400), max: Duration::from_secs(604_800) };
        assert_eq!(long.after(49), Some(Duration::from_secs(604_800)));
    }
}
