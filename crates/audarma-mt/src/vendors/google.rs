//! Google Cloud Translation, v2 (Basic) and v3 (Advanced); `api_version` chooses (default `v2`).
//!
//! - **v2**: `POST {base}/language/translate/v2?key=KEY` (default base
//!   `https://translation.googleapis.com`), JSON `{q:[…], source, target, format:"text", model?}` →
//!   `data.translations[].translatedText`. `format:"text"` is always sent because the default is HTML
//!   (which would escape `&`, `<`, quotes); the answer is therefore plain text and is not unescaped
//!   (unescaping would corrupt a literal `&amp;` in a release). No glossaries. The key travels in the
//!   query string, so every transport error is stripped of its URL and every message is redacted.
//! - **v3**: `POST {base}/v3/projects/{project}/locations/{location}:translateText` with
//!   `Authorization: Bearer <token>` (the variable holds an OAuth2 access token; whether v3 accepts API
//!   keys is UNCONFIRMED, so we never try), JSON `{contents, sourceLanguageCode, targetLanguageCode,
//!   mimeType:"text/plain", model?, glossaryConfig?}` → `translations`, or `glossaryTranslations`
//!   when a glossary is configured (both come back; we fall back to `translations` if the glossary
//!   array is missing). `project` is required, `location` defaults to `global`; `glossary_id` needs a
//!   regional location (Google refuses glossaries in `global`). `model` may be a full resource name
//!   (`projects/…`) or a short one (`general/nmt`, `general/translation-llm`), expanded to
//!   `projects/{p}/locations/{l}/models/{model}`.
//! - The stored glossary is sent for **every** pair this backend translates: restrict the backend's
//!   `pairs` to those the glossary covers (a glossary without the pair is a 400 INVALID_ARGUMENT).
//!   Whether kk glossaries work on NMT is UNCONFIRMED.
//! - Errors `{"error":{code,message,status,errors?[{reason}]}}`: 429 and `RESOURCE_EXHAUSTED` are
//!   retryable; 403 "Rate Limit Exceeded" (user or project, also `rateLimitExceeded` reasons) is
//!   retryable, 403 "Daily Limit Exceeded" (`dailyLimitExceeded`) is the quota, other 401/403 are
//!   authentication/permission failures; 400 is fatal; 5xx retryable. `Retry-After` is not documented
//!   and is read when present.

use super::common::{self, Secret};
use crate::{BackendConfig, CallError, ConfigError, GlossarySupport, Limits, Vendor, VendorRequest, VendorResponse};
use async_trait::async_trait;
use audarma_core::Lang;
use serde::Deserialize;
use serde_json::json;

const DEFAULT_BASE: &str = "https://translation.googleapis.com";

#[derive(Debug, Clone, PartialEq, Eq)]
enum Api {
    V2,
    V3 { project: String, location: String, glossary: Option<String> },
}

#[derive(Debug)]
pub struct Google {
    client: reqwest::Client,
    base: String,
    key: Secret,
    api: Api,
    model: Option<String>,
}

impl Google {
    pub fn new(config: &BackendConfig) -> Result<Self, ConfigError> {
        let v3 = match config.api_version.as_deref().map(str::trim) {
            None | Some("v2") => false,
            Some("v3") => true,
            Some(_) => return Err(common::invalid(config, "api_version", "must be \"v2\" or \"v3\"")),
        };
        let model = common::non_empty(config, "model", &config.model)?;
        let api = if v3 {
            common::only(
                config,
                &["base_url", "api_key_env", "model", "api_version", "project", "location", "glossary_id"],
            )?;
            let project = common::non_empty(config, "project", &config.project)?
                .ok_or_else(|| common::required(config, "project"))?;
            let location = common::non_empty(config, "location", &config.location)?.unwrap_or_else(|| "global".into());
            let glossary = common::non_empty(config, "glossary_id", &config.glossary_id)?;
            if glossary.is_some() && location == "global" {
                return Err(common::invalid(
                    config,
                    "glossary_id",
                    "needs a regional `location` (e.g. \"us-central1\"), not \"global\"",
                ));
            }
            let glossary = glossary.map(|id| {
                if id.starts_with("projects/") {
                    id
                } else {
                    format!("projects/{project}/locations/{location}/glossaries/{id}")
                }
            });
            Api::V3 { project, location, glossary }
        } else {
            for (key, set) in [
                ("project", config.project.is_some()),
                ("location", config.location.is_some()),
                ("glossary_id", config.glossary_id.is_some()),
            ] {
                if set {
                    return Err(common::invalid(config, key, "is only used with api_version \"v3\""));
                }
            }
            common::only(config, &["base_url", "api_key_env", "model", "api_version"])?;
            Api::V2
        };
        let key = common::required_key(config)?;
        common::check_header(config, &key, "Bearer ")?;
        let base = common::base_url(config, Some(DEFAULT_BASE))?;
        Ok(Google { client: common::client(config)?, base, key, api, model })
    }

    async fn send(&self, request: &VendorRequest) -> Result<VendorResponse, CallError> {
        let builder = match &self.api {
            Api::V2 => {
                let mut body = json!({
                    "q": request.texts,
                    "source": request.source.code(),
                    "target": request.target.code(),
                    "format": "text",
                });
                if let Some(m) = &self.model {
                    body["model"] = json!(m);
                }
                self.client
                    .post(format!("{}/language/translate/v2", self.base))
                    .query(&[("key", self.key.expose())])
                    .json(&body)
            }
            Api::V3 { project, location, glossary } => {
                let mut body = json!({
                    "contents": request.texts,
                    "sourceLanguageCode": request.source.code(),
                    "targetLanguageCode": request.target.code(),
                    "mimeType": "text/plain",
                });
                if let Some(m) = &self.model {
                    body["model"] = json!(if m.starts_with("projects/") {
                        m.clone()
                    } else {
                        format!("projects/{project}/locations/{location}/models/{m}")
                    });
                }
                if let Some(g) = glossary {
                    body["glossaryConfig"] = json!({"glossary": g});
                }
                self.client
                    .post(format!("{}/v3/projects/{project}/locations/{location}:translateText", self.base))
                    .header(reqwest::header::AUTHORIZATION, self.key.header("Bearer ")?)
                    .json(&body)
            }
        };
        let reply = common::send(builder).await?;
        if !reply.status.is_success() {
            return Err(error(&reply));
        }
        let translations = match &self.api {
            Api::V2 => common::parse::<V2Reply>(&reply.body)?.data.translations,
            Api::V3 { glossary, .. } => {
                let r: V3Reply = common::parse(&reply.body)?;
                match (glossary, r.glossary_translations) {
                    (Some(_), Some(g)) => g,
                    _ => r.translations.ok_or_else(|| CallError::Malformed {
                        message: format!("the response has no translations: {}", common::excerpt(&reply.body)),
                    })?,
                }
            }
        };
        common::check_count(translations.len(), request.texts.len())?;
        Ok(VendorResponse {
            texts: translations.into_iter().map(|t| t.translated_text).collect(),
            billed_chars: None,
            tokens: None,
        })
    }
}

#[derive(Deserialize)]
struct V2Reply {
    data: V2Data,
}

#[derive(Deserialize)]
struct V2Data {
    translations: Vec<Translation>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct V3Reply {
    #[serde(default)]
    translations: Option<Vec<Translation>>,
    #[serde(default)]
    glossary_translations: Option<Vec<Translation>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Translation {
    translated_text: String,
}

#[derive(Deserialize, Default)]
struct ErrorBody {
    #[serde(default)]
    error: Option<ErrorDetail>,
}

#[derive(Deserialize, Default)]
struct ErrorDetail {
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    errors: Vec<Reason>,
}

#[derive(Deserialize, Default)]
struct Reason {
    #[serde(default)]
    reason: Option<String>,
}

fn error(reply: &common::Reply) -> CallError {
    let detail = serde_json::from_str::<ErrorBody>(&reply.body).ok().and_then(|b| b.error).unwrap_or_default();
    let message = common::http_message(reply.status, detail.message.as_deref(), &reply.body);
    let retry_after = common::retry_after(&reply.headers);
    let text = detail.message.as_deref().unwrap_or_default().to_lowercase();
    let reasons: Vec<String> = detail.errors.iter().filter_map(|r| r.reason.clone()).collect();
    let reason = |r: &str| reasons.iter().any(|x| x.eq_ignore_ascii_case(r));
    let code = reply.status.as_u16();
    if code == 429 || detail.status.as_deref() == Some("RESOURCE_EXHAUSTED") {
        return CallError::Retryable { message, retry_after };
    }
    if code == 403 {
        if text.contains("daily limit exceeded") || reason("dailyLimitExceeded") {
            return CallError::Quota { message: format!("daily limit exceeded: {message}") };
        }
        if text.contains("rate limit exceeded") || reason("rateLimitExceeded") || reason("userRateLimitExceeded") {
            return CallError::Retryable { message, retry_after };
        }
    }
    common::by_status(reply.status, &reply.headers, message)
}

#[async_trait]
impl Vendor for Google {
    fn name(&self) -> &str {
        "google"
    }

    fn model(&self) -> Option<&str> {
        self.model.as_deref()
    }

    fn limits(&self) -> Limits {
        // v2 takes at most 128 `q`; both versions recommend 5,000 code points per request.
        Limits { max_segments: 128, max_chars: 5_000, max_bytes: 30_000 }
    }

    fn supports(&self, source: Lang, target: Lang) -> bool {
        source != target
    }

    fn glossary(&self, _source: Lang, _target: Lang) -> GlossarySupport {
        match &self.api {
            Api::V3 { glossary: Some(_), .. } => GlossarySupport::Stored,
            _ => GlossarySupport::None,
        }
    }

    async fn call(&self, request: &VendorRequest) -> Result<VendorResponse, CallError> {
        self.send(request).await.map_err(|e| common::redact_error(Some(&self.key), e))
    }
}
