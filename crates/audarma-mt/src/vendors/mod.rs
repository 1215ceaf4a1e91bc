//! One module per vendor protocol (see `../shared/mt-backends.md` for each wire contract).
//! [`build`] makes the [`Vendor`] a `[backend]` table names.

use crate::{BackendConfig, Vendor};

/// Builds the vendor for a backend table; the error is one line naming the backend and key.
pub fn build(config: &BackendConfig) -> Result<Box<dyn Vendor>, String> {
    Err(format!("backend kind `{}` is not available yet", config.kind.as_str()))
}
