//! Fetching release sources over HTTP(S), safely and politely.
//!
//! - [`Fetcher::get`] fetches one URL: only hosts on the workflow's allow-list (and their
//!   subdomains), never a private, loopback or link-local address unless the workflow allows it,
//!   with a timeout, a size cap, at most 5 redirects (each to an allowed host), a polite delay between
//!   two requests to the same host, and conditional GET (`If-None-Match`, `If-Modified-Since`) so an
//!   unchanged page is not downloaded again.
//! - [`parse_feed`] reads RSS 2.0 and Atom feeds into [`FeedItem`]s.
//!
//! Only this crate and `audarma-mt` make outgoing HTTP requests.

mod feed;

pub use feed::{parse_feed, FeedError, FeedItem};

use std::collections::HashMap;
use std::net::IpAddr;
use std::time::{Duration, Instant};
use tokio::sync::Mutex;
use url::Url;

/// The `[fetch]` table of a workflow.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct FetchConfig {
    /// Hosts that may be fetched (a host allows its subdomains). Required for any URL source.
    #[serde(default)]
    pub allow_hosts: Vec<String>,
    /// Allow private, loopback and link-local addresses (for intranet mirrors and tests).
    #[serde(default)]
    pub allow_private: bool,
    #[serde(default = "default_timeout")]
    pub timeout_secs: u64,
    /// The largest response body read, in bytes.
    #[serde(default = "default_max_bytes")]
    pub max_bytes: u64,
    /// The least time between two requests to one host, in milliseconds.
    #[serde(default = "default_delay")]
    pub delay_ms: u64,
    #[serde(default = "default_agent")]
    pub user_agent: String,
}

fn default_timeout() -> u64 {
    20
}
fn default_max_bytes() -> u64 {
    5 * 1024 * 1024
}
fn default_delay() -> u64 {
    1000
}
fn default_agent() -> String {
    concat!("audarma/", env!("CARGO_PKG_VERSION"), " (press-release translation)").to_string()
}

impl Default for FetchConfig {
    fn default() -> Self {
        FetchConfig {
            allow_hosts: Vec::new(),
            allow_private: false,
            timeout_secs: default_timeout(),
            max_bytes: default_max_bytes(),
            delay_ms: default_delay(),
            user_agent: default_agent(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("{url}: not a valid http(s) URL")]
    BadUrl { url: String },
    #[error("{url}: host {host} is not in the workflow's fetch.allow_hosts")]
    HostNotAllowed { url: String, host: String },
    #[error("{url}: {host} resolves to a private or local address ({ip}); set fetch.allow_private to allow it")]
    PrivateAddress { url: String, host: String, ip: IpAddr },
    #[error("{url}: cannot resolve {host}: {message}")]
    Resolve { url: String, host: String, message: String },
    #[error("{url}: HTTP {status}")]
    Status { url: String, status: u16 },
    #[error("{url}: larger than the {limit}-byte limit")]
    TooLarge { url: String, limit: u64 },
    #[error("{url}: {message}")]
    Network { url: String, message: String },
}

/// What a server said about a resource last time, for conditional GET.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

impl Validators {
    pub fn is_empty(&self) -> bool {
        self.etag.is_none() && self.last_modified.is_none()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fetched {
    /// 304 Not Modified: nothing new since the validators.
    Unchanged,
    Body {
        bytes: Vec<u8>,
        /// The URL after redirects.
        url: String,
        content_type: Option<String>,
        validators: Validators,
    },
}

pub struct Fetcher {
    client: reqwest::Client,
    config: FetchConfig,
    last_request: Mutex<HashMap<String, Instant>>,
}

/// Whether an address is private, loopback, link-local or otherwise not on the public internet.
pub fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || o[0] == 0
                || (o[0] == 100 && (64..128).contains(&o[1])) // carrier-grade NAT
        }
        IpAddr::V6(v6) => {
            let s = v6.segments();
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (s[0] & 0xfe00) == 0xfc00 // unique local
                || (s[0] & 0xffc0) == 0xfe80 // link local
                || v6.to_ipv4_mapped().is_some_and(|v4| is_private(IpAddr::V4(v4)))
        }
    }
}

fn host_allowed(allow: &[String], host: &str) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    allow.iter().any(|a| {
        let a = a.trim().trim_end_matches('.').to_ascii_lowercase();
        host == a || host.ends_with(&format!(".{a}"))
    })
}

/// Whether a redirect may be followed: to an allowed host, and (unless private addresses are allowed)
/// not to a private address written as a literal IP, which no resolver sees.
pub fn redirect_allowed(url: &Url, allow_hosts: &[String], allow_private: bool) -> bool {
    let Some(host) = url.host_str() else { return false };
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let private_literal = bare.parse::<IpAddr>().is_ok_and(is_private);
    host_allowed(allow_hosts, host) && (allow_private || !private_literal)
}

/// The resolver of every connection the fetcher makes, redirects included: unless private addresses
/// are allowed, it answers only the public addresses of a name, and refuses a name that has none. The
/// address checked is the address connected to, so a name that resolved to a public address for
/// [`Fetcher::check`] and to 127.0.0.1 a moment later (DNS rebinding) still cannot reach a private one.
#[derive(Debug, Clone, Copy)]
pub struct GuardedResolver {
    pub allow_private: bool,
}

impl reqwest::dns::Resolve for GuardedResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let allow_private = self.allow_private;
        let host = name.as_str().to_string();
        Box::pin(async move {
            let found: Vec<std::net::SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let kept: Vec<std::net::SocketAddr> =
                found.iter().copied().filter(|a| allow_private || !is_private(a.ip())).collect();
            if kept.is_empty() {
                let ip = found.first().map(|a| a.ip().to_string()).unwrap_or_else(|| "no address".into());
                return Err(format!("{host} resolves to a private or local address ({ip})").into());
            }
            let addrs: reqwest::dns::Addrs = Box::new(kept.into_iter());
            Ok(addrs)
        })
    }
}

impl Fetcher {
    pub fn new(config: FetchConfig) -> Result<Fetcher, FetchError> {
        let allow = config.allow_hosts.clone();
        let allow_private = config.allow_private;
        let policy = reqwest::redirect::Policy::custom(move |attempt| {
            if attempt.previous().len() >= 5 {
                attempt.error("more than 5 redirects")
            } else if redirect_allowed(attempt.url(), &allow, allow_private) {
                attempt.follow()
            } else {
                attempt.stop()
            }
        });
        let client = reqwest::Client::builder()
            .user_agent(config.user_agent.clone())
            .timeout(Duration::from_secs(config.timeout_secs.max(1)))
            .connect_timeout(Duration::from_secs(config.timeout_secs.clamp(1, 10)))
            .redirect(policy)
            .dns_resolver(std::sync::Arc::new(GuardedResolver { allow_private }))
            .build()
            .map_err(|e| FetchError::Network { url: String::new(), message: e.to_string() })?;
        Ok(Fetcher { client, config, last_request: Mutex::new(HashMap::new()) })
    }

    pub fn config(&self) -> &FetchConfig {
        &self.config
    }

    /// Checks a URL against the allow-list and the address rules without fetching it.
    pub async fn check(&self, url: &str) -> Result<Url, FetchError> {
        let parsed = Url::parse(url).map_err(|_| FetchError::BadUrl { url: url.into() })?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(FetchError::BadUrl { url: url.into() });
        }
        let host = parsed.host_str().ok_or_else(|| FetchError::BadUrl { url: url.into() })?.to_string();
        if !host_allowed(&self.config.allow_hosts, &host) {
            return Err(FetchError::HostNotAllowed { url: url.into(), host });
        }
        if !self.config.allow_private {
            let port = parsed.port_or_known_default().unwrap_or(443);
            let bare = host.trim_start_matches('[').trim_end_matches(']');
            let addrs: Vec<IpAddr> = match bare.parse::<IpAddr>() {
                Ok(ip) => vec![ip],
                Err(_) => tokio::net::lookup_host((bare, port))
                    .await
                    .map_err(|e| FetchError::Resolve { url: url.into(), host: host.clone(), message: e.to_string() })?
                    .map(|a| a.ip())
                    .collect(),
            };
            if let Some(ip) = addrs.into_iter().find(|ip| is_private(*ip)) {
                return Err(FetchError::PrivateAddress { url: url.into(), host, ip });
            }
        }
        Ok(parsed)
    }

    /// Waits until this host may be asked again.
    async fn be_polite(&self, host: &str) {
        let delay = Duration::from_millis(self.config.delay_ms);
        let wait = {
            let mut last = self.last_request.lock().await;
            let now = Instant::now();
            let next = last.get(host).map(|t| *t + delay).filter(|t| *t > now);
            last.insert(host.to_string(), next.unwrap_or(now));
            next.map(|t| t - now)
        };
        if let Some(w) = wait {
            tokio::time::sleep(w).await;
        }
    }

    /// Fetches a URL; with validators from the last fetch, an unchanged resource is not downloaded.
    pub async fn get(&self, url: &str, validators: &Validators) -> Result<Fetched, FetchError> {
        let parsed = self.check(url).await?;
        self.be_polite(parsed.host_str().unwrap_or_default()).await;
        let net = |e: reqwest::Error| FetchError::Network { url: url.into(), message: without_url(&e) };
        let mut req = self.client.get(parsed);
        if let Some(e) = &validators.etag {
            req = req.header(reqwest::header::IF_NONE_MATCH, e);
        }
        if let Some(m) = &validators.last_modified {
            req = req.header(reqwest::header::IF_MODIFIED_SINCE, m);
        }
        let mut resp = req.send().await.map_err(net)?;
        let status = resp.status();
        if status == reqwest::StatusCode::NOT_MODIFIED {
            return Ok(Fetched::Unchanged);
        }
        if !status.is_success() {
            return Err(FetchError::Status { url: url.into(), status: status.as_u16() });
        }
        let limit = self.config.max_bytes;
        if resp.content_length().is_some_and(|n| n > limit) {
            return Err(FetchError::TooLarge { url: url.into(), limit });
        }
        let header = |name: reqwest::header::HeaderName| {
            resp.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string)
        };
        let validators =
            Validators { etag: header(reqwest::header::ETAG), last_modified: header(reqwest::header::LAST_MODIFIED) };
        let content_type = header(reqwest::header::CONTENT_TYPE);
        let final_url = resp.url().to_string();
        let mut bytes = Vec::new();
        while let Some(chunk) = resp.chunk().await.map_err(net)? {
            if bytes.len() as u64 + chunk.len() as u64 > limit {
                return Err(FetchError::TooLarge { url: url.into(), limit });
            }
            bytes.extend_from_slice(&chunk);
        }
        tracing::debug!(url, bytes = bytes.len(), "fetched");
        Ok(Fetched::Body { bytes, url: final_url, content_type, validators })
    }
}

/// reqwest's error text without the URL (which the caller already names).
fn without_url(e: &reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "cannot connect"
    } else if e.is_redirect() {
        "too many redirects"
    } else if e.is_body() || e.is_decode() {
        "the response body could not be read"
    } else {
        "request failed"
    };
    kind.to_string()
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn the_connection_resolver_refuses_private_addresses_and_redirects_to_them_are_not_followed() {
        use reqwest::dns::Resolve;
        let name = |h: &str| h.parse::<reqwest::dns::Name>().unwrap();
        let guarded = GuardedResolver { allow_private: false };
        let e = guarded.resolve(name("localhost")).await.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(e.contains("localhost resolves to a private or local address"), "{e:?}");
        let open = GuardedResolver { allow_private: true };
        assert!(open.resolve(name("localhost")).await.is_ok(), "an intranet mirror may be allowed");

        let allow = vec!["gov.kz".to_string()];
        let url = |u: &str| Url::parse(u).unwrap();
        assert!(redirect_allowed(&url("https://www.gov.kz/news/1"), &allow, false));
        assert!(!redirect_allowed(&url("https://evil.example/"), &allow, false), "not on the allow-list");
        // A literal address never reaches a resolver: the redirect check itself refuses it.
        let allow_ip = vec!["169.254.169.254".to_string(), "127.0.0.1".to_string(), "[::1]".to_string()];
        for u in ["http://169.254.169.254/latest/meta-data/", "http://127.0.0.1:8080/", "http://[::1]/"] {
            assert!(!redirect_allowed(&url(u), &allow_ip, false), "{u}");
            assert!(redirect_allowed(&url(u), &allow_ip, true), "{u} with allow_private");
        }
    }

    use super::*;

    #[test]
    fn private_addresses_are_recognised() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "192.168.0.1",
            "172.16.5.4",
            "169.254.1.1",
            "100.64.0.1",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "0.0.0.0",
        ] {
            assert!(is_private(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["8.8.8.8", "195.210.46.1", "2a00:1450::1"] {
            assert!(!is_private(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn hosts_allow_their_subdomains_only() {
        let allow = vec!["akorda.kz".to_string(), "gov.kz.".to_string()];
        assert!(
            host_allowed(&allow, "akorda.kz")
                && host_allowed(&allow, "www.akorda.kz")
                && host_allowed(&allow, "MFA.GOV.KZ")
        );
        assert!(!host_allowed(&allow, "notakorda.kz") && !host_allowed(&allow, "akorda.kz.evil.com"));
    }
}
