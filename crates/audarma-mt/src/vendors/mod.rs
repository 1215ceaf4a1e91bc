//! One module per vendor protocol (see `../shared/mt-backends.md` for each wire contract).
//! [`build`] makes the [`Vendor`] a `[backend]` table names.
//!
//! Every vendor makes exactly one HTTP request (or one process run) per [`Vendor::call`]: retries,
//! throttling, batching and validation belong to the policy. API keys are read once from the
//! variable `api_key_env` names, kept in a [`common::Secret`] (whose `Debug` prints `***`), sent only
//! where the vendor documents it (a header; Google v2's query; LibreTranslate's body) and removed from
//! every error message. Keys a kind does not use are refused, naming the key.

pub mod command;
pub mod common;
pub mod deepl;
pub mod google;
pub mod libretranslate;
pub mod openai;
pub mod yandex;

use crate::{BackendConfig, BackendKind, ConfigError, Vendor};

/// Builds the vendor for a backend table; the error is one line naming the backend and key.
pub fn build(config: &BackendConfig) -> Result<Box<dyn Vendor>, ConfigError> {
    Ok(match config.kind {
        BackendKind::Deepl => Box::new(deepl::Deepl::new(config)?),
        BackendKind::Yandex => Box::new(yandex::Yandex::new(config)?),
        BackendKind::Openai => Box::new(openai::Openai::new(config)?),
        BackendKind::Libretranslate => Box::new(libretranslate::Libretranslate::new(config)?),
        BackendKind::Google => Box::new(google::Google::new(config)?),
        BackendKind::Command => Box::new(command::Command::new(config)?),
        BackendKind::Memory | BackendKind::Pseudo => return Err(ConfigError::NotVendor { kind: config.kind }),
    })
}
