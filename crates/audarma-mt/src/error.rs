//! The errors of building backends and routes, and of the translation-memory seam. Each `Display` is
//! the one-line message the CLI prints (`workflow check`, `run`); the cause, where there is one, is
//! kept as the `source`.

use crate::BackendKind;
use audarma_core::ParseLangError;
use std::num::ParseFloatError;

/// A `[backend]` table that cannot be built: the message names the backend kind and the key at fault,
/// never a key's value.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// `api_key_env` names a variable that is not set (or holds only whitespace).
    #[error("backend `{kind}`: environment variable {var} (api_key_env) is not set")]
    KeyNotSet { kind: BackendKind, var: String },
    /// The key does not fit in the HTTP header it is sent in.
    #[error(
        "backend `{kind}`: environment variable {var} (api_key_env) holds a value that is not a valid HTTP header"
    )]
    KeyNotHeader {
        kind: BackendKind,
        var: String,
        #[source]
        source: reqwest::header::InvalidHeaderValue,
    },
    #[error("backend `{kind}`: `{key}` is required")]
    Required { kind: BackendKind, key: &'static str },
    /// A key this kind of backend does not read.
    #[error("backend `{kind}`: `{key}` is not used by this kind")]
    NotUsed { kind: BackendKind, key: &'static str },
    #[error("backend `{kind}`: `{key}` is empty")]
    Empty { kind: BackendKind, key: &'static str },
    /// `base_url` does not parse (`source` says why) or is not http(s) (`source` is `None`).
    #[error("backend `{kind}`: `base_url` is not an http(s) URL: {url}")]
    BadUrl {
        kind: BackendKind,
        url: String,
        #[source]
        source: Option<url::ParseError>,
    },
    /// A value out of its range or choices: `rule` says what it must be (`must be "v2" or "v3"`).
    #[error("backend `{kind}`: `{key}` {rule}")]
    Invalid { kind: BackendKind, key: &'static str, rule: &'static str },
    #[error("backend `{kind}`: cannot build the HTTP client: {source}")]
    Client {
        kind: BackendKind,
        #[source]
        source: reqwest::Error,
    },
    #[error("backend `{kind}`: {source}")]
    RateLimit {
        kind: BackendKind,
        #[source]
        source: RateError,
    },
    /// `memory` and `pseudo` are not vendors ([`crate::vendors::build`] was asked for one).
    #[error("backend `{kind}`: not a vendor (built without the network)")]
    NotVendor { kind: BackendKind },
}

/// A `rate_limit` string that is not `"20/s"`, `"600/min"` or `"5"`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RateError {
    #[error("`rate_limit`: {text:?} is not like \"20/s\" or \"600/min\"")]
    NotARate {
        text: String,
        #[source]
        source: ParseFloatError,
    },
    #[error("`rate_limit`: unknown unit in {text:?} (use /s, /min or /h)")]
    UnknownUnit { text: String },
    /// Zero, negative or not a finite number: such a limit would stop every request (or none).
    #[error("`rate_limit`: {text:?} must be more than zero")]
    NotPositive { text: String },
}

/// A language pair (`"ru-kk"`) that does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PairError {
    #[error("{0:?} is not a language pair like \"ru-kk\"")]
    NotAPair(String),
    #[error(transparent)]
    Lang(#[from] ParseLangError),
    #[error("{0:?} pairs a language with itself")]
    SameLanguage(String),
}

/// A `[routing]` table that names an unknown backend or a bad pair.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RoutingError {
    #[error("`routing`: no backend named `{0}` in [backends]")]
    NoBackend(String),
    #[error("`routing`: {0}")]
    Pair(#[from] PairError),
}

/// A translation-memory lookup failed ([`crate::TmSource::exact`]); the store's error is the source.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct TmError(#[source] pub Box<dyn std::error::Error + Send + Sync>);

impl TmError {
    pub fn new(e: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        TmError(e.into())
    }
}
