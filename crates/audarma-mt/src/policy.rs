//! The one call policy every vendor goes through (being written).

use crate::{BackendConfig, MtError, MtOutput, MtRequest, Translator, Vendor, VendorRequest};
use async_trait::async_trait;
use audarma_core::{Lang, SuggestionOrigin};

/// A vendor behind audarma's call policy.
pub struct Governed {
    vendor: Box<dyn Vendor>,
}

impl Governed {
    pub fn new(vendor: Box<dyn Vendor>, _config: &BackendConfig) -> Self {
        Governed { vendor }
    }
}

#[async_trait]
impl Translator for Governed {
    fn name(&self) -> &str {
        self.vendor.name()
    }

    fn supports(&self, source: Lang, target: Lang) -> bool {
        self.vendor.supports(source, target)
    }

    async fn translate(&self, request: &MtRequest) -> Result<Vec<MtOutput>, MtError> {
        let vr = VendorRequest {
            source: request.source,
            target: request.target,
            texts: request.segments.iter().map(|s| s.text.clone()).collect(),
            terms: Vec::new(),
            repair: None,
        };
        let out = self
            .vendor
            .call(&vr)
            .await
            .map_err(|e| MtError::Fatal { backend: self.vendor.name().into(), message: e.to_string() })?;
        Ok(request
            .segments
            .iter()
            .zip(out.texts)
            .map(|(s, t)| MtOutput { idx: s.idx, text: Some(t), origin: SuggestionOrigin::Machine })
            .collect())
    }
}
