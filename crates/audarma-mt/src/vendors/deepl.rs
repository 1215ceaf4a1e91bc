//! DeepL API v2 text translation (`POST /v2/translate`, JSON).
//!
//! - Host: `https://api-free.deepl.com` for Free keys (ending in `:fx`), else `https://api.deepl.com`;
//!   `base_url` overrides both.
//! - Auth: `Authorization: DeepL-Auth-Key <key>` (the key in the body or query is deprecated).
//! - Body: `{text:[…], source_lang, target_lang, show_billed_characters:true}`. Languages are upper
//!   case (`EN`, `RU`, `KK`); an English *target* is always `EN-GB` (plain `EN` is deprecated as a
//!   target; British spelling is the house style for English releases).
//! - Limits: 50 texts and 128 KiB of body per request; we keep the texts to 120,000 bytes so the JSON
//!   around them fits.
//! - Glossaries: DeepL only has stored glossaries, and none with `kk`. Before a run, for en→ru and
//!   ru→en, [`Vendor::prepare_glossary`] looks for a glossary named `audarma-{src}-{tgt}-{hash}` (the
//!   hash is of its entries) with `GET /v2/glossaries`, creates it with `POST /v2/glossaries` (TSV)
//!   when there is none, and deletes older `audarma-{src}-{tgt}-*` ones; requests of that pair then carry
//!   its `glossary_id`. A glossary changes only when the glossary's content does, never per request.
//!   DeepL matches entries as written (nominative forms); inflected source forms are left to the
//!   model and checked by verification.
//! - Errors (`{message, code?, detail?}`): 429, 529 and 5xx are retryable (`Retry-After` is read when
//!   present although DeepL does not document it), 456 is the quota, 403 is authentication, other 4xx
//!   are fatal.
//!
//! **UNCONFIRMED** (mt-backends.md): whether `kk` rejects or ignores `tag_handling`/glossaries. We send
//! neither, so it cannot matter here.

use super::common::{self, Secret};
use crate::{BackendConfig, CallError, ConfigError, GlossarySupport, Limits, Vendor, VendorRequest, VendorResponse};
use async_trait::async_trait;
use audarma_core::Lang;
use serde::Deserialize;

const PRO: &str = "https://api.deepl.com";
const FREE: &str = "https://api-free.deepl.com";

#[derive(Debug)]
pub struct Deepl {
    client: reqwest::Client,
    base: String,
    key: Secret,
    /// The stored glossary for each pair, once prepared.
    glossaries: std::sync::Mutex<std::collections::HashMap<(Lang, Lang), String>>,
}

/// FNV-1a: a content hash that is the same on every machine and Rust version.
fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// The pairs DeepL keeps glossaries for, among ours.
fn glossary_pair(source: Lang, target: Lang) -> bool {
    matches!((source, target), (Lang::En, Lang::Ru) | (Lang::Ru, Lang::En))
}

#[derive(Deserialize)]
struct GlossaryList {
    #[serde(default)]
    glossaries: Vec<GlossaryInfo>,
}

#[derive(Deserialize)]
struct GlossaryInfo {
    glossary_id: String,
    #[serde(default)]
    name: String,
}

impl Deepl {
    pub fn new(config: &BackendConfig) -> Result<Self, ConfigError> {
        common::only(config, &["base_url", "api_key_env"])?;
        let key = common::required_key(config)?;
        let default = if key.expose().ends_with(":fx") { FREE } else { PRO };
        let base = common::base_url(config, Some(default))?;
        common::check_header(config, &key, "DeepL-Auth-Key ")?;
        Ok(Deepl { client: common::client(config)?, base, key, glossaries: Default::default() })
    }

    fn glossary_id(&self, source: Lang, target: Lang) -> Option<String> {
        self.glossaries.lock().unwrap_or_else(|e| e.into_inner()).get(&(source, target)).cloned()
    }

    async fn prepare(&self, source: Lang, target: Lang, entries: &[(String, String)]) -> Result<(), CallError> {
        if !glossary_pair(source, target) {
            return Ok(());
        }
        // DeepL refuses duplicate sources, empty terms, tabs and newlines: the first entry wins.
        let mut seen = std::collections::HashSet::new();
        let mut tsv = String::new();
        for (s, t) in entries {
            let (s, t) = (s.trim(), t.trim());
            let clean = |x: &str| !x.is_empty() && !x.contains(['\t', '\n', '\r']);
            if clean(s) && clean(t) && seen.insert(s.to_string()) {
                tsv.push_str(&format!("{s}\t{t}\n"));
            }
        }
        if tsv.is_empty() {
            return Ok(());
        }
        let (sl, tl) = (source.code(), target.code());
        let prefix = format!("audarma-{sl}-{tl}-");
        let name = format!("{prefix}{:016x}", fnv(&tsv));
        let auth = self.key.header("DeepL-Auth-Key ")?;
        let reply = common::send(
            self.client
                .get(format!("{}/v2/glossaries", self.base))
                .header(reqwest::header::AUTHORIZATION, auth.clone()),
        )
        .await?;
        if !reply.status.is_success() {
            return Err(error(&reply));
        }
        let list: GlossaryList = common::parse(&reply.body)?;
        let id = match list.glossaries.iter().find(|g| g.name == name) {
            Some(g) => g.glossary_id.clone(),
            None => {
                let body = serde_json::json!({
                    "name": name, "source_lang": sl, "target_lang": tl, "entries": tsv, "entries_format": "tsv",
                });
                let reply = common::send(
                    self.client
                        .post(format!("{}/v2/glossaries", self.base))
                        .header(reqwest::header::AUTHORIZATION, auth.clone())
                        .json(&body),
                )
                .await?;
                if !reply.status.is_success() {
                    return Err(error(&reply));
                }
                let created: GlossaryInfo = common::parse(&reply.body)?;
                // Older versions of this pair's glossary are no longer used.
                for old in list.glossaries.iter().filter(|g| g.name.starts_with(&prefix) && g.name != name) {
                    let url = format!("{}/v2/glossaries/{}", self.base, old.glossary_id);
                    let _ = common::send(self.client.delete(url).header(reqwest::header::AUTHORIZATION, auth.clone()))
                        .await;
                }
                created.glossary_id
            }
        };
        self.glossaries.lock().unwrap_or_else(|e| e.into_inner()).insert((source, target), id);
        Ok(())
    }

    async fn send(&self, request: &VendorRequest) -> Result<VendorResponse, CallError> {
        let mut body = serde_json::json!({
            "text": request.texts,
            "source_lang": source_code(request.source),
            "target_lang": target_code(request.target),
            "show_billed_characters": true,
        });
        if let Some(id) = self.glossary_id(request.source, request.target) {
            body["glossary_id"] = serde_json::Value::String(id);
        }
        let reply = common::send(
            self.client
                .post(format!("{}/v2/translate", self.base))
                .header(reqwest::header::AUTHORIZATION, self.key.header("DeepL-Auth-Key ")?)
                .json(&body),
        )
        .await?;
        if !reply.status.is_success() {
            return Err(error(&reply));
        }
        let parsed: Reply = common::parse(&reply.body)?;
        common::check_count(parsed.translations.len(), request.texts.len())?;
        let billed =
            parsed.translations.iter().map(|t| t.billed_characters).try_fold(0u64, |acc, b| b.map(|b| acc + b));
        Ok(VendorResponse {
            texts: parsed.translations.into_iter().map(|t| t.text).collect(),
            billed_chars: billed,
            tokens: None,
        })
    }
}

/// `EN`, `RU`, `KK`.
pub fn source_code(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "EN",
        Lang::Kk => "KK",
        Lang::Ru => "RU",
    }
}

/// `EN-GB`, `RU`, `KK`.
pub fn target_code(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "EN-GB",
        Lang::Kk => "KK",
        Lang::Ru => "RU",
    }
}

#[derive(Deserialize)]
struct Reply {
    translations: Vec<Translation>,
}

#[derive(Deserialize)]
struct Translation {
    text: String,
    #[serde(default)]
    billed_characters: Option<u64>,
}

#[derive(Deserialize, Default)]
struct ErrorBody {
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    detail: Option<String>,
}

fn error(reply: &common::Reply) -> CallError {
    let body: ErrorBody = serde_json::from_str(&reply.body).unwrap_or_default();
    let message = match (body.message, body.detail) {
        (Some(m), Some(d)) => Some(format!("{m} ({d})")),
        (m, d) => m.or(d),
    };
    let message = common::http_message(reply.status, message.as_deref(), &reply.body);
    match reply.status.as_u16() {
        456 => CallError::Quota { message: format!("quota exceeded: {message}") },
        429 | 529 => CallError::Retryable { message, retry_after: common::retry_after(&reply.headers) },
        403 => CallError::Fatal { message: format!("authentication failed: {message}") },
        _ => common::by_status(reply.status, &reply.headers, message),
    }
}

#[async_trait]
impl Vendor for Deepl {
    fn name(&self) -> &str {
        "deepl"
    }

    fn limits(&self) -> Limits {
        Limits { max_segments: 50, max_chars: 120_000, max_bytes: 120_000 }
    }

    fn supports(&self, source: Lang, target: Lang) -> bool {
        source != target
    }

    fn glossary(&self, source: Lang, target: Lang) -> GlossarySupport {
        if glossary_pair(source, target) {
            GlossarySupport::Stored
        } else {
            GlossarySupport::None
        }
    }

    async fn prepare_glossary(
        &self,
        source: Lang,
        target: Lang,
        entries: &[(String, String)],
    ) -> Result<(), CallError> {
        self.prepare(source, target, entries).await.map_err(|e| common::redact_error(Some(&self.key), e))
    }

    async fn call(&self, request: &VendorRequest) -> Result<VendorResponse, CallError> {
        self.send(request).await.map_err(|e| common::redact_error(Some(&self.key), e))
    }
}
