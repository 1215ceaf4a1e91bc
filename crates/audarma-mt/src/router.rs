//! Named backends and routing: a chain of backends per language pair, tried in order.
//!
//! A pair's chain is its own (`"ru-kk" = ["yandex", "llm"]`) or the `default` one. A backend that
//! does not support the pair is skipped; when one fails (after its own retries), or leaves segments
//! it could not translate, the next one gets what is left. Quota exhaustion of the last backend
//! stops the run.

use crate::{GlossaryEntries, MtError, MtOutput, MtRequest, PairError, RoutingError, Translator, Usage};
use async_trait::async_trait;
use audarma_core::Lang;
use std::collections::HashMap;
use std::sync::Arc;

pub struct Router {
    members: Vec<(String, Arc<dyn Translator>)>,
    routes: HashMap<(Lang, Lang), Vec<usize>>,
    default: Vec<usize>,
}

/// `"ru-kk"` → (ru, kk).
pub fn parse_pair(s: &str) -> Result<(Lang, Lang), PairError> {
    let (a, b) = s.split_once(['-', '>']).ok_or_else(|| PairError::NotAPair(s.to_string()))?;
    let (a, b) = (a.trim().parse::<Lang>()?, b.trim().parse::<Lang>()?);
    if a == b {
        return Err(PairError::SameLanguage(s.to_string()));
    }
    Ok((a, b))
}

impl Router {
    /// `routes`: pair (`"ru-kk"` or `"default"`) → backend names in order of preference.
    pub fn new(
        members: Vec<(String, Arc<dyn Translator>)>,
        routes: &[(String, Vec<String>)],
    ) -> Result<Router, RoutingError> {
        let index = |name: &str| {
            members.iter().position(|(n, _)| n == name).ok_or_else(|| RoutingError::NoBackend(name.to_string()))
        };
        let mut router = Router { routes: HashMap::new(), default: Vec::new(), members: Vec::new() };
        for (pair, chain) in routes {
            let chain = chain.iter().map(|n| index(n)).collect::<Result<Vec<_>, _>>()?;
            if pair == "default" {
                router.default = chain;
            } else {
                let p = parse_pair(pair)?;
                router.routes.insert(p, chain);
            }
        }
        if routes.is_empty() {
            router.default = (0..members.len()).collect();
        }
        router.members = members;
        Ok(router)
    }

    fn chain(&self, source: Lang, target: Lang) -> impl Iterator<Item = &(String, Arc<dyn Translator>)> {
        let chain = self.routes.get(&(source, target)).unwrap_or(&self.default);
        chain.iter().map(|i| &self.members[*i]).filter(move |(_, t)| t.supports(source, target))
    }

    /// The pairs among `pairs` that no backend of their chain supports.
    pub fn unsupported(&self, pairs: &[(Lang, Lang)]) -> Vec<(Lang, Lang)> {
        pairs.iter().copied().filter(|(s, t)| self.chain(*s, *t).next().is_none()).collect()
    }
}

#[async_trait]
impl Translator for Router {
    fn name(&self) -> &str {
        "router"
    }

    fn supports(&self, source: Lang, target: Lang) -> bool {
        self.chain(source, target).next().is_some()
    }

    fn concurrency(&self) -> usize {
        self.members.iter().map(|(_, t)| t.concurrency()).max().unwrap_or(1)
    }

    fn usage(&self) -> Usage {
        self.members.iter().map(|(_, t)| t.usage()).fold(Usage::default(), |a, u| Usage {
            requests: a.requests + u.requests,
            chars: a.chars + u.chars,
            billed_chars: a.billed_chars + u.billed_chars,
            tokens_in: a.tokens_in + u.tokens_in,
            tokens_out: a.tokens_out + u.tokens_out,
            retries: a.retries + u.retries,
        })
    }

    fn usage_by_backend(&self) -> Vec<(String, Usage)> {
        self.members.iter().map(|(n, t)| (n.clone(), t.usage())).collect()
    }

    fn cache_name(&self, source: Lang, target: Lang) -> String {
        self.chain(source, target).map(|(_, t)| t.cache_name(source, target)).collect::<Vec<_>>().join(">")
    }

    fn cacheable(&self) -> bool {
        self.members.iter().all(|(_, t)| t.cacheable())
    }

    async fn prepare(&self, glossaries: &[GlossaryEntries]) -> Result<(), MtError> {
        for (_, t) in &self.members {
            t.prepare(glossaries).await?;
        }
        Ok(())
    }

    async fn translate(&self, request: &MtRequest) -> Result<Vec<MtOutput>, MtError> {
        let mut done: HashMap<u32, MtOutput> = HashMap::new();
        let mut pending = request.clone();
        let mut last_error = None;
        for (name, backend) in self.chain(request.source, request.target) {
            match backend.translate(&pending).await {
                Ok(outputs) => {
                    let mut left = Vec::new();
                    for mut o in outputs {
                        if o.text.is_none() && o.error.is_some() {
                            if let Some(seg) = pending.segments.iter().find(|s| s.idx == o.idx) {
                                left.push(seg.clone());
                            }
                        }
                        o.backend = o.backend.or_else(|| Some(name.clone()));
                        o.model = o.model.or_else(|| backend.model().map(str::to_string));
                        done.insert(o.idx, o);
                    }
                    if left.is_empty() {
                        break;
                    }
                    pending.segments = left;
                }
                Err(e) => {
                    tracing::info!(backend = name.as_str(), error = %e, "falling back to the next backend");
                    last_error = Some(e);
                }
            }
        }
        // Segments still untranslated because the last backend's quota ran out: stop the run (the
        // job goes back to the queue) rather than fail the job.
        if let Some(MtError::Quota { .. }) = &last_error {
            if done.values().any(|o| o.text.is_none()) || done.len() < request.segments.len() {
                return Err(
                    last_error.unwrap_or_else(|| MtError::Fatal { backend: "router".into(), message: String::new() })
                );
            }
        }
        if done.is_empty() {
            return Err(last_error.unwrap_or_else(|| MtError::Fatal {
                backend: "router".into(),
                message: format!("no backend translates {}→{}", request.source, request.target),
            }));
        }
        Ok(request.segments.iter().filter_map(|s| done.remove(&s.idx)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{MtSegment, PseudoTranslator};

    struct Failing(&'static str, MtError);

    #[async_trait]
    impl Translator for Failing {
        fn name(&self) -> &str {
            self.0
        }
        fn supports(&self, s: Lang, t: Lang) -> bool {
            !(s == Lang::En && t == Lang::Kk)
        }
        async fn translate(&self, _: &MtRequest) -> Result<Vec<MtOutput>, MtError> {
            Err(self.1.clone())
        }
    }

    /// The pseudo-translator under a model's name.
    struct Modelled;

    #[async_trait]
    impl Translator for Modelled {
        fn name(&self) -> &str {
            "llm"
        }
        fn model(&self) -> Option<&str> {
            Some("gpt-test")
        }
        async fn translate(&self, r: &MtRequest) -> Result<Vec<MtOutput>, MtError> {
            PseudoTranslator.translate(r).await
        }
    }

    #[tokio::test]
    async fn names_the_model_of_the_member_that_translated() {
        let quota = MtError::Quota { backend: "deepl".into(), message: "456".into() };
        let members: Vec<(String, Arc<dyn Translator>)> =
            vec![("deepl".into(), Arc::new(Failing("deepl", quota))), ("llm".into(), Arc::new(Modelled))];
        let r = Router::new(members, &[("default".into(), vec!["deepl".into(), "llm".into()])]).unwrap();
        let out = r.translate(&req(Lang::En, Lang::Ru)).await.unwrap();
        assert_eq!((out[0].backend.as_deref(), out[0].model.as_deref()), (Some("llm"), Some("gpt-test")));
    }

    fn req(source: Lang, target: Lang) -> MtRequest {
        MtRequest { source, target, segments: vec![MtSegment { idx: 0, text: "Talks.".into(), terms: vec![] }] }
    }

    #[tokio::test]
    async fn falls_back_along_the_chain_and_names_who_translated() {
        let quota = MtError::Quota { backend: "deepl".into(), message: "456".into() };
        let members: Vec<(String, Arc<dyn Translator>)> = vec![
            ("deepl".into(), Arc::new(Failing("deepl", quota.clone()))),
            ("llm".into(), Arc::new(PseudoTranslator)),
        ];
        let r = Router::new(
            members,
            &[("en-ru".into(), vec!["deepl".into(), "llm".into()]), ("default".into(), vec!["deepl".into()])],
        )
        .unwrap();
        let out = r.translate(&req(Lang::En, Lang::Ru)).await.unwrap();
        assert_eq!(out[0].backend.as_deref(), Some("llm"));
        assert_eq!(r.translate(&req(Lang::Ru, Lang::En)).await.unwrap_err(), quota);
        assert_eq!(r.unsupported(&[(Lang::En, Lang::Kk), (Lang::En, Lang::Ru)]), vec![(Lang::En, Lang::Kk)]);
        assert_eq!(r.cache_name(Lang::En, Lang::Ru), "deepl>pseudo");
    }

    #[test]
    fn bad_routes_are_named() {
        let members: Vec<(String, Arc<dyn Translator>)> = vec![("llm".into(), Arc::new(PseudoTranslator))];
        let e = Router::new(members.clone(), &[("ru-kk".into(), vec!["yandex".into()])]).err();
        assert_eq!(e, Some(RoutingError::NoBackend("yandex".into())));
        assert_eq!(e.map(|e| e.to_string()).as_deref(), Some("`routing`: no backend named `yandex` in [backends]"));
        let e = Router::new(members.clone(), &[("ru-ru".into(), vec!["llm".into()])]).err();
        assert_eq!(e, Some(RoutingError::Pair(PairError::SameLanguage("ru-ru".into()))));
        assert_eq!(e.map(|e| e.to_string()).as_deref(), Some("`routing`: \"ru-ru\" pairs a language with itself"));
        let e = Router::new(members, &[("ru-xx".into(), vec!["llm".into()])]).err().map(|e| e.to_string());
        assert_eq!(e.as_deref(), Some("`routing`: unknown language \"xx\" (expected en, kk or ru)"));
    }
}
