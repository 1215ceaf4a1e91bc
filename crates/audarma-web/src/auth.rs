//! Who is asking: passwords (Argon2id), bearer tokens (stored as SHA-256), login sessions in HttpOnly
//! SameSite=Strict cookies (only the cookie value's hash is stored), CSRF tokens, roles, and the login
//! rate limit.

use argon2::password_hash::{rand_core::OsRng, rand_core::RngCore, PasswordHash, PasswordHasher, SaltString};
use argon2::{Argon2, PasswordVerifier};
use audarma_store::{Store, StoreError};
use axum::http::HeaderMap;
use sha2::{Digest, Sha256};
use std::net::IpAddr;
use std::time::Duration;
use subtle::ConstantTimeEq;

pub const SESSION_COOKIE: &str = "audarma_session";
pub const LOGIN_CSRF_COOKIE: &str = "audarma_login";
pub const LANG_COOKIE: &str = "audarma_lang";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// Argon2 could not hash a password (it refuses only absurd inputs, e.g. longer than 4 GiB).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct HashError(#[source] pub argon2::password_hash::Error);

/// An Argon2id hash in PHC string form (salt and parameters included).
pub fn hash_password(password: &str) -> Result<String, HashError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(HashError)
}

pub fn verify_password(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// A random secret (hex, 256 bits) with a prefix saying what it is.
pub fn random_secret(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    format!("{prefix}{}", hex::encode(bytes))
}

/// A new bearer token (shown once) and the hash that is stored.
pub fn new_token() -> (String, String) {
    let token = random_secret("aud_");
    let hash = token_hash(&token);
    (token, hash)
}

/// A new feed token (shown once, in the feed's link) and the hash that is stored.
pub fn new_feed_token() -> (String, String) {
    let token = random_secret("audf_");
    let hash = token_hash(&token);
    (token, hash)
}

/// SHA-256 of a token or cookie value, hex: what the store keeps instead of the secret.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Compares secrets in constant time.
pub fn same_secret(a: &str, b: &str) -> bool {
    !a.is_empty() && a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// The value of one cookie of the request.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim_matches('"').to_string())
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Strict, Path=/, Secure when served over TLS.
pub fn set_cookie(name: &str, value: &str, max_age: Option<i64>, secure: bool) -> String {
    let mut c = format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict");
    if let Some(age) = max_age {
        c.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        c.push_str("; Secure");
    }
    c
}

pub use audarma_core::{ParseRoleError, Role};

/// Why a new user is refused; the message names the field (`name …`, `role …`, `password: …`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NewUserError {
    /// The name as given.
    #[error("name {0:?}: use letters, digits, dots, dashes, underscores or @ (at most 64)")]
    BadName(String),
    #[error(transparent)]
    Role(#[from] ParseRoleError),
    #[error("password: at least 10 characters")]
    ShortPassword,
}

/// The rules for a new user, shared by `audarma user add` and the admin page: a name without spaces,
/// a known role, a password of at least ten characters. Returns the role, parsed.
/// The rule for a password: at least ten characters.
pub fn check_password(password: &str) -> Result<(), NewUserError> {
    if password.chars().count() < 10 {
        Err(NewUserError::ShortPassword)
    } else {
        Ok(())
    }
}

pub fn check_new_user(name: &str, role: &str, password: &str) -> Result<Role, NewUserError> {
    let allowed = |c: char| c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | '@');
    if name.is_empty() || name.chars().count() > 64 || name.starts_with('.') || !name.chars().all(allowed) {
        return Err(NewUserError::BadName(name.to_string()));
    }
    let role = check_role(role)?;
    if password.chars().count() < 10 {
        return Err(NewUserError::ShortPassword);
    }
    Ok(role)
}

/// A role as a request or a command line gives it: one of the four, exactly, or an error naming it.
pub fn check_role(role: &str) -> Result<Role, ParseRoleError> {
    role.parse()
}

/// Failed logins per user name and per client address: after `max` failures for a name within `window`
/// (or four times as many from one address, which a whole office behind one NAT shares), further
/// attempts are refused (HTTP 429) until the oldest failure leaves the window. Success clears the name.
/// The failures are kept in the store, so every desk process on one database counts them together.
pub struct LoginLimiter {
    max: u32,
    window: Duration,
}

impl LoginLimiter {
    pub fn new(max: usize, window: Duration) -> Self {
        LoginLimiter { max: u32::try_from(max).unwrap_or(u32::MAX), window }
    }

    fn keys(ip: IpAddr, name: &str) -> [String; 2] {
        [format!("ip:{ip}"), format!("user:{}", name.to_lowercase())]
    }

    /// Starts a login attempt: `Some(seconds to wait)` when this address or name is locked out;
    /// otherwise the attempt is recorded as a failure until [`LoginLimiter::succeeded`] says otherwise,
    /// so guesses sent in parallel are counted before any of them is verified.
    pub async fn attempt(&self, store: &dyn Store, ip: IpAddr, name: &str) -> Result<Option<u64>, StoreError> {
        let [ip_key, name_key] = Self::keys(ip, name);
        store.login_attempt(&[(&ip_key, self.max.saturating_mul(4)), (&name_key, self.max)], self.window).await
    }

    /// The attempt succeeded: the name's failures are forgotten and the address's last attempt taken back.
    pub async fn succeeded(&self, store: &dyn Store, ip: IpAddr, name: &str) -> Result<(), StoreError> {
        let [ip_key, name_key] = Self::keys(ip, name);
        store.login_succeeded(&name_key, &ip_key).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_and_hashes_are_salted() {
        let a = hash_password("correct horse").unwrap();
        let b = hash_password("correct horse").unwrap();
        assert!(a.starts_with("$argon2id$"));
        assert_ne!(a, b);
        assert!(verify_password("correct horse", &a));
        assert!(!verify_password("wrong", &a));
        assert!(!verify_password("correct horse", "not a hash"));
    }

    #[test]
    fn tokens_are_random_and_only_their_hash_is_kept() {
        let (t1, h1) = new_token();
        let (t2, _) = new_token();
        assert_ne!(t1, t2);
        assert_eq!(token_hash(&t1), h1);
        assert!(!h1.contains(&t1[4..]));
    }

    #[test]
    fn new_users_need_a_plain_name_a_known_role_and_a_long_password() {
        assert!(check_new_user("aigerim.s", "reviewer", "0123456789").is_ok());
        assert!(check_new_user("Әйгерім", "reviewer", "0123456789").is_ok());
        assert!(check_new_user("a/b", "reviewer", "0123456789").is_err());
        assert!(check_new_user("..", "reviewer", "0123456789").is_err());
        assert_eq!(check_new_user("a b", "reviewer", "0123456789"), Err(NewUserError::BadName("a b".into())));
        assert_eq!(
            check_new_user("a b", "reviewer", "0123456789").unwrap_err().to_string(),
            "name \"a b\": use letters, digits, dots, dashes, underscores or @ (at most 64)"
        );
        assert!(check_new_user("", "reviewer", "0123456789").unwrap_err().to_string().starts_with("name"));
        let e = check_new_user("a", "boss", "0123456789").unwrap_err();
        assert_eq!(e, NewUserError::Role(ParseRoleError("boss".into())));
        assert_eq!(e.to_string(), "role \"boss\": one of translator, reviewer, glossary, admin");
        assert_eq!(check_new_user("a", "admin", "short"), Err(NewUserError::ShortPassword));
        assert_eq!(check_new_user("a", "admin", "short").unwrap_err().to_string(), "password: at least 10 characters");
    }

    #[test]
    fn cookies_are_read_from_any_cookie_header() {
        let mut h = HeaderMap::new();
        h.append("cookie", "a=1; audarma_session=abc".parse().unwrap());
        h.append("cookie", "b=2".parse().unwrap());
        assert_eq!(cookie(&h, SESSION_COOKIE).as_deref(), Some("abc"));
        assert_eq!(cookie(&h, "b").as_deref(), Some("2"));
        assert_eq!(cookie(&h, "c"), None);
        let c = set_cookie(SESSION_COOKIE, "v", Some(60), true);
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Strict") && c.ends_with("Secure"));
    }

    #[tokio::test]
    async fn the_limiter_locks_out_after_repeated_failures_and_forgets_on_success() {
        let store = audarma_store_sqlite::SqliteStore::open("sqlite::memory:").await.unwrap();
        let s: &dyn Store = &store;
        let l = LoginLimiter::new(3, Duration::from_secs(60));
        let ip: IpAddr = "10.0.0.1".parse().unwrap();
        for _ in 0..3 {
            assert_eq!(l.attempt(s, ip, "aigerim").await.unwrap(), None);
        }
        let wait = l.attempt(s, ip, "aigerim").await.unwrap().unwrap();
        assert!((1..=60).contains(&wait), "{wait}");
        // The same name from another address is locked too; other names from the address are not, yet.
        assert!(l.attempt(s, "10.0.0.2".parse().unwrap(), "Aigerim").await.unwrap().is_some());
        assert_eq!(l.attempt(s, ip, "daniyar").await.unwrap(), None);
        l.succeeded(s, ip, "daniyar").await.unwrap();
        l.succeeded(s, ip, "aigerim").await.unwrap();
        assert_eq!(l.attempt(s, "10.0.0.2".parse().unwrap(), "aigerim").await.unwrap(), None);
        // An address guessing many names is stopped after four times the per-name limit (12; two of its
        // attempts so far were taken back by the successes above).
        for i in 0..10 {
            assert_eq!(l.attempt(s, ip, &format!("user{i}")).await.unwrap(), None);
        }
        assert!(l.attempt(s, ip, "daniyar").await.unwrap().is_some());
        assert!(!same_secret("", ""));
        assert!(same_secret("abc", "abc") && !same_secret("abc", "abd"));
    }
}
