//! The workflow's translation backend, built from its configuration (and checked without a store).

use crate::Workflow;
use async_trait::async_trait;
use audarma_core::Lang;
use audarma_mt::{ConfigError, RoutingError, TmError, TmSource, Translator};
use audarma_store::Store;
use std::sync::Arc;

/// Why the workflow's backend cannot be built. The message is one line naming the backend and key,
/// the route, or the pairs no backend translates.
#[derive(Debug, thiserror::Error)]
pub enum BackendError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Routing(#[from] RoutingError),
    /// Language pairs of the workflow (source, target) that no configured backend translates.
    #[error("no configured backend translates {}", pair_list(.0))]
    Unsupported(Vec<(Lang, Lang)>),
}

fn pair_list(pairs: &[(Lang, Lang)]) -> String {
    pairs.iter().map(|(s, t)| format!("{s}→{t}")).collect::<Vec<_>>().join(", ")
}

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
pub fn backend(store: Arc<dyn Store>, wf: &Workflow) -> Result<Arc<dyn Translator>, BackendError> {
    backend_with(Arc::new(StoreTm(store)), wf)
}

/// Builds the workflow's backends without a store, to check the configuration (`workflow check`).
pub fn check_backend(wf: &Workflow) -> Result<(), BackendError> {
    struct NoTm;
    #[async_trait]
    impl TmSource for NoTm {
        async fn exact(&self, _: Lang, _: Lang, texts: &[String]) -> Result<Vec<Option<String>>, TmError> {
            Ok(vec![None; texts.len()])
        }
    }
    backend_with(Arc::new(NoTm), wf).map(|_| ())
}

fn backend_with(tm: Arc<dyn TmSource>, wf: &Workflow) -> Result<Arc<dyn Translator>, BackendError> {
    let translator: Arc<dyn Translator> = match (&wf.backends[..], wf.routing.is_empty()) {
        ([(_, only)], true) => audarma_mt::build(only, tm)?,
        (named, _) => {
            let members = named
                .iter()
                .map(|(n, c)| audarma_mt::build(c, tm.clone()).map(|b| (n.clone(), b)))
                .collect::<Result<Vec<_>, _>>()?;
            Arc::new(audarma_mt::Router::new(members, &wf.routing)?)
        }
    };
    let missing: Vec<(Lang, Lang)> = wf.pairs().into_iter().filter(|(s, t)| !translator.supports(*s, *t)).collect();
    if !missing.is_empty() {
        return Err(BackendError::Unsupported(missing));
    }
    Ok(translator)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use audarma_mt::{BackendKind, PairError};
    use std::path::Path;

    fn workflow(backends: &str) -> Workflow {
        let text = format!(
            "name = \"t\"\n[sources]\npaths = [\"r\"]\n[languages]\ntargets = [\"en\", \"kk\", \"ru\"]\n{backends}"
        );
        Workflow::parse(Path::new("w.toml"), &text).unwrap()
    }

    #[test]
    fn a_backend_that_cannot_be_built_says_why() {
        let wf = workflow("[backend]\nkind = \"deepl\"\napi_key_env = \"AUDARMA_T_PIPELINE_NEVER_SET\"\n");
        let e = check_backend(&wf).unwrap_err();
        assert!(
            matches!(&e, BackendError::Config(ConfigError::KeyNotSet { kind: BackendKind::Deepl, var })
                if var == "AUDARMA_T_PIPELINE_NEVER_SET"),
            "{e:?}"
        );
        assert_eq!(
            e.to_string(),
            "backend `deepl`: environment variable AUDARMA_T_PIPELINE_NEVER_SET (api_key_env) is not set"
        );
    }

    #[test]
    fn pairs_no_backend_translates_are_listed() {
        let wf = workflow("[backends.fast]\nkind = \"pseudo\"\n[routing]\n\"ru-kk\" = [\"fast\"]\n");
        let e = check_backend(&wf).unwrap_err();
        let BackendError::Unsupported(pairs) = &e else { panic!("{e:?}") };
        assert_eq!(pairs.len(), 5);
        assert!(!pairs.contains(&(Lang::Ru, Lang::Kk)));
        assert_eq!(e.to_string(), "no configured backend translates en→kk, en→ru, kk→en, kk→ru, ru→en");
        let wf = workflow("[backends.fast]\nkind = \"pseudo\"\n");
        assert!(check_backend(&wf).is_ok());
    }

    #[test]
    fn route_errors_pass_through() {
        let members: Vec<(String, Arc<dyn Translator>)> = vec![("x".into(), Arc::new(audarma_mt::PseudoTranslator))];
        let e: BackendError =
            audarma_mt::Router::new(members, &[("kk-kk".into(), vec!["x".into()])]).err().unwrap().into();
        assert!(matches!(e, BackendError::Routing(RoutingError::Pair(PairError::SameLanguage(_)))), "{e:?}");
        assert_eq!(e.to_string(), "`routing`: \"kk-kk\" pairs a language with itself");
    }
}
