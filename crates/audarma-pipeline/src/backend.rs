//! The workflow's translation backend, built from its configuration (and checked without a store).

use crate::Workflow;
use async_trait::async_trait;
use audarma_core::Lang;
use audarma_mt::{TmError, TmSource, Translator};
use audarma_store::Store;
use std::sync::Arc;

/// Translation memory lookups through the store, for backends and the TM-first step.
pub struct StoreTm(pub Arc<dyn Store>);

#[async_trait]
impl TmSource for StoreTm {
    async fn exact(&self, source: Lang, target: Lang, texts: &[String]) -> Result<Vec<Option<String>>, TmError> {
        self.0.tm_exact(source, target, texts).await.map_err(TmError::new)
    }
}

/// Builds the workflow's backend (checking its configuration and key variable before any call).
/// With named backends it is a [`audarma_mt::Router`]; a pair no backend translates is an error.
pub fn backend(store: Arc<dyn Store>, wf: &Workflow) -> Result<Arc<dyn Translator>, String> {
    backend_with(Arc::new(StoreTm(store)), wf)
}

/// Builds the workflow's backends without a store, to check the configuration (`workflow check`).
pub fn check_backend(wf: &Workflow) -> Result<(), String> {
    struct NoTm;
    #[async_trait]
    impl TmSource for NoTm {
        async fn exact(&self, _: Lang, _: Lang, texts: &[String]) -> Result<Vec<Option<String>>, TmError> {
            Ok(vec![None; texts.len()])
        }
    }
    backend_with(Arc::new(NoTm), wf).map(|_| ())
}

fn backend_with(tm: Arc<dyn TmSource>, wf: &Workflow) -> Result<Arc<dyn Translator>, String> {
    let translator: Arc<dyn Translator> = match (&wf.backends[..], wf.routing.is_empty()) {
        ([(_, only)], true) => audarma_mt::build(only, tm).map_err(|e| e.to_string())?,
        (named, _) => {
            let members = named
                .iter()
                .map(|(n, c)| audarma_mt::build(c, tm.clone()).map(|b| (n.clone(), b)))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| e.to_string())?;
            Arc::new(audarma_mt::Router::new(members, &wf.routing).map_err(|e| e.to_string())?)
        }
    };
    let missing: Vec<String> =
        wf.pairs().into_iter().filter(|(s, t)| !translator.supports(*s, *t)).map(|(s, t)| format!("{s}→{t}")).collect();
    if !missing.is_empty() {
        return Err(format!("no configured backend translates {}", missing.join(", ")));
    }
    Ok(translator)
}
