//! Workflow files: the contract cron jobs are written against (documented in `workflows/README.md`).

use audarma_core::Lang;
use audarma_fetch::FetchConfig;
use audarma_ingest::SiteProfile;
use audarma_mt::BackendConfig;
use serde::Deserialize;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWorkflow {
    name: String,
    sources: RawSources,
    languages: RawLanguages,
    #[serde(default)]
    glossary: RawGlossary,
    backend: Option<BackendConfig>,
    #[serde(default)]
    backends: std::collections::BTreeMap<String, BackendConfig>,
    #[serde(default)]
    routing: std::collections::BTreeMap<String, Vec<String>>,
    #[serde(default)]
    fetch: Option<FetchConfig>,
    #[serde(default)]
    sites: Vec<RawSite>,
    #[serde(default)]
    qa: crate::QaConfig,
    #[serde(default)]
    review: ReviewConfig,
    /// Webhooks: `[[notify]]` tables.
    #[serde(default)]
    notify: Vec<audarma_notify::RawWebhook>,
}

/// `[review]`: how approval judges a job's MQM annotations.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewConfig {
    /// The lowest MQM score (MQM 2.0 raw score, 0–100) a job may be approved with unless a reviewer
    /// overrides; any Critical error fails whatever the score.
    #[serde(default = "ReviewConfig::default_mqm_pass")]
    pub mqm_pass: f64,
}

impl ReviewConfig {
    /// The pass threshold when a workflow does not set one.
    pub const DEFAULT_MQM_PASS: f64 = audarma_store::DEFAULT_MQM_PASS;

    fn default_mqm_pass() -> f64 {
        Self::DEFAULT_MQM_PASS
    }
}

impl Default for ReviewConfig {
    fn default() -> Self {
        ReviewConfig { mqm_pass: Self::DEFAULT_MQM_PASS }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSite {
    host: String,
    title: Option<String>,
    date: Option<String>,
    body: Option<String>,
    #[serde(default)]
    drop: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSources {
    #[serde(default)]
    paths: Vec<PathBuf>,
    /// RSS or Atom feeds whose items are releases.
    #[serde(default)]
    feeds: Vec<String>,
    /// Release pages.
    #[serde(default)]
    urls: Vec<String>,
    /// Files listing release pages, one URL a line (`#` starts a comment).
    #[serde(default)]
    url_lists: Vec<PathBuf>,
    /// The language of every source release, when known (otherwise detected).
    lang: Option<Lang>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLanguages {
    targets: Vec<Lang>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGlossary {
    #[serde(default)]
    paths: Vec<PathBuf>,
}

/// A validated workflow; every path is resolved against the workflow file's directory.
#[derive(Debug, Clone)]
pub struct Workflow {
    pub file: PathBuf,
    pub name: String,
    pub sources: Vec<PathBuf>,
    pub source_lang: Option<Lang>,
    pub targets: Vec<Lang>,
    pub glossaries: Vec<PathBuf>,
    /// The backends by name: the `[backend]` table alone is named after its kind.
    pub backends: Vec<(String, BackendConfig)>,
    /// Pair (`"ru-kk"`, or `"default"`) → backend names in order; empty with a single `[backend]`.
    pub routing: Vec<(String, Vec<String>)>,
    pub feeds: Vec<String>,
    /// Release pages, from `sources.urls` and the URL lists.
    pub urls: Vec<String>,
    pub fetch: FetchConfig,
    pub sites: Vec<SiteProfile>,
    pub qa: crate::QaConfig,
    pub review: ReviewConfig,
    /// The webhooks told about this workflow's jobs and runs (`[[notify]]`); their secrets are read from
    /// the environment only when deliveries start.
    pub notify: Vec<audarma_notify::Webhook>,
}

/// A workflow file that cannot be used, with the file and line.
#[derive(Debug, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct WorkflowError {
    pub file: PathBuf,
    pub line: usize,
    pub message: String,
}

/// The line of `field` in the `index`-th `[[notify]]` table (the table's own line without it).
fn notify_line(text: &str, index: usize, field: &str) -> usize {
    let lines: Vec<&str> = text.lines().collect();
    let Some(start) = lines.iter().enumerate().filter(|(_, l)| l.trim() == "[[notify]]").nth(index).map(|(i, _)| i)
    else {
        return 1;
    };
    lines[start + 1..]
        .iter()
        .take_while(|l| !l.trim_start().starts_with('['))
        .position(|l| l.trim_start().starts_with(field))
        .map_or(start + 1, |i| start + 2 + i)
}

fn line_of(text: &str, byte: usize) -> usize {
    text.as_bytes()[..byte.min(text.len())].iter().filter(|b| **b == b'\n').count() + 1
}

impl Workflow {
    pub fn load(path: &Path) -> Result<Workflow, WorkflowError> {
        let err = |line, message: String| WorkflowError { file: path.to_path_buf(), line, message };
        let text = std::fs::read_to_string(path).map_err(|e| err(0, format!("cannot read: {e}")))?;
        Workflow::parse(path, &text)
    }

    pub fn parse(path: &Path, text: &str) -> Result<Workflow, WorkflowError> {
        let err = |line, message: String| WorkflowError { file: path.to_path_buf(), line, message };
        let raw: RawWorkflow = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| line_of(text, s.start)).unwrap_or(1);
            err(line, e.message().trim().replace('\n', " "))
        })?;
        let find = |key: &str| text.lines().position(|l| l.contains(key)).map(|i| i + 1).unwrap_or(1);
        if raw.name.trim().is_empty() {
            return Err(err(find("name"), "`name` is empty".into()));
        }
        let src = &raw.sources;
        if src.paths.is_empty() && src.feeds.is_empty() && src.urls.is_empty() && src.url_lists.is_empty() {
            return Err(err(
                find("[sources]"),
                "`sources` names nothing to read: give `paths`, `feeds`, `urls` or `url_lists`".into(),
            ));
        }
        if raw.languages.targets.is_empty() {
            return Err(err(find("targets"), "`languages.targets` is empty".into()));
        }
        if !(0.0..=100.0).contains(&raw.review.mqm_pass) {
            return Err(err(
                find("mqm_pass"),
                format!("`review.mqm_pass` is {}: an MQM score threshold is between 0 and 100", raw.review.mqm_pass),
            ));
        }
        let mut targets = raw.languages.targets.clone();
        targets.sort();
        targets.dedup();
        let dir = path.parent().unwrap_or(Path::new("."));
        let resolve = |p: &PathBuf| if p.is_absolute() { p.clone() } else { dir.join(p) };
        let backends: Vec<(String, BackendConfig)> = match (&raw.backend, raw.backends.is_empty()) {
            (Some(b), true) => vec![(b.kind.as_str().to_string(), b.clone())],
            (None, false) => raw.backends.clone().into_iter().collect(),
            (Some(_), false) => {
                return Err(err(
                    find("[backends"),
                    "use either `[backend]` or `[backends.NAME]` tables, not both".into(),
                ))
            }
            (None, true) => return Err(err(1, "no `[backend]` table: name the translation backend".into())),
        };
        // Numbers a backend cannot work with are refused here, with the line, rather than changed
        // silently when the backend is built (`concurrency = 0` ran with 1, `"0/s"` with no limit).
        for (name, b) in &backends {
            let key =
                |k: &str| if raw.backends.is_empty() { format!("backend.{k}") } else { format!("backends.{name}.{k}") };
            if b.concurrency == Some(0) {
                return Err(err(find("concurrency"), format!("`{}`: must be at least 1", key("concurrency"))));
            }
            if let Some(rate) = &b.rate_limit {
                if let Err(e) = audarma_mt::check_rate_limit(rate) {
                    let message = e.to_string().replacen("`rate_limit`", &format!("`{}`", key("rate_limit")), 1);
                    return Err(err(find("rate_limit"), message));
                }
            }
        }
        if !raw.routing.is_empty() && raw.backends.is_empty() {
            return Err(err(find("[routing]"), "`[routing]` needs named `[backends.NAME]` tables".into()));
        }
        for (pair, chain) in &raw.routing {
            if pair != "default" {
                audarma_mt::router::parse_pair(pair).map_err(|e| err(find("[routing]"), format!("`routing`: {e}")))?;
            }
            if let Some(n) = chain.iter().find(|n| !raw.backends.contains_key(*n)) {
                return Err(err(
                    find("[routing]"),
                    format!("`routing.{pair}` names `{n}`, which is not in [backends]"),
                ));
            }
        }
        raw.qa.validate().map_err(|e| err(find("[qa]"), e.to_string()))?;
        let notify = audarma_notify::Webhook::check_all(&raw.notify)
            .map_err(|e| err(notify_line(text, e.index, e.field), e.to_string()))?;
        let mut urls = raw.sources.urls.clone();
        for list in &raw.sources.url_lists {
            let list = resolve(list);
            let text = std::fs::read_to_string(&list)
                .map_err(|e| err(find("url_lists"), format!("`sources.url_lists`: {}: {e}", list.display())))?;
            urls.extend(
                text.lines()
                    .map(|l| l.split('#').next().unwrap_or_default().trim())
                    .filter(|l| !l.is_empty())
                    .map(String::from),
            );
        }
        let fetch = raw.fetch.clone().unwrap_or_default();
        let remote = raw.sources.feeds.iter().chain(&urls);
        if remote.clone().next().is_some() && fetch.allow_hosts.is_empty() {
            return Err(err(
                find("[sources]"),
                "URL sources need `fetch.allow_hosts`: the hosts this workflow may fetch from".into(),
            ));
        }
        for u in remote {
            let parsed = url::Url::parse(u).map_err(|e| err(find(u), format!("{u:?} is not a URL: {e}")))?;
            let host = parsed.host_str().unwrap_or_default();
            let allowed = fetch.allow_hosts.iter().any(|a| {
                let a = a.to_ascii_lowercase();
                host == a || host.ends_with(&format!(".{a}"))
            });
            if !allowed || !matches!(parsed.scheme(), "http" | "https") {
                return Err(err(
                    find(u),
                    format!("{u}: host {host:?} is not in `fetch.allow_hosts` (or not http/https)"),
                ));
            }
        }
        let mut sites = Vec::new();
        for s in &raw.sites {
            let p = SiteProfile::new(&s.host, s.title.as_deref(), s.date.as_deref(), s.body.as_deref(), &s.drop)
                .map_err(|e| err(find(&format!("host = \"{}\"", s.host)), e.to_string()))?;
            sites.push(p);
        }
        if let Some(l) = raw.sources.lang {
            if targets.iter().all(|t| *t == l) {
                return Err(err(
                    find("targets"),
                    format!("nothing to translate: the sources are in `{l}` and so is every target"),
                ));
            }
        }
        Ok(Workflow {
            file: path.to_path_buf(),
            name: raw.name,
            sources: raw.sources.paths.iter().map(resolve).collect(),
            source_lang: raw.sources.lang,
            targets,
            glossaries: raw.glossary.paths.iter().map(resolve).collect(),
            backends,
            routing: raw.routing.clone().into_iter().collect(),
            feeds: raw.sources.feeds.clone(),
            urls,
            fetch,
            sites,
            qa: crate::QaConfig { words: raw.qa.words.iter().map(resolve).collect(), ..raw.qa.clone() },
            review: raw.review,
            notify,
        })
    }

    /// Checks what can be checked without running: sources and glossaries exist.
    pub fn check_paths(&self) -> Vec<String> {
        let mut problems = Vec::new();
        for (what, list) in [("source", &self.sources), ("glossary", &self.glossaries), ("word list", &self.qa.words)] {
            for p in list.iter().filter(|p| !p.exists()) {
                problems.push(format!("{}: {what} path {} does not exist", self.file.display(), p.display()));
            }
        }
        problems
    }

    /// The site profile for a host, if the workflow declares one.
    pub fn site_for(&self, host: &str) -> Option<&SiteProfile> {
        self.sites.iter().find(|s| s.applies_to(host))
    }

    /// Every (source, target) pair a run may translate.
    pub fn pairs(&self) -> Vec<(Lang, Lang)> {
        let sources = match self.source_lang {
            Some(l) => vec![l],
            None => Lang::ALL.to_vec(),
        };
        sources.iter().flat_map(|s| self.targets_for(*s).into_iter().map(move |t| (*s, t))).collect()
    }

    /// The targets of a release in `lang`: every target but its own language.
    pub fn targets_for(&self, lang: Lang) -> Vec<Lang> {
        self.targets.iter().copied().filter(|t| *t != lang).collect()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const OK: &str = r#"
name = "demo"
[sources]
paths = ["../examples/releases"]
[languages]
targets = ["en", "kk", "ru"]
[glossary]
paths = ["../glossaries"]
[backend]
kind = "pseudo"
"#;

    #[test]
    fn url_sources_need_an_allow_list_and_sites_valid_selectors() {
        let web = OK.replace("paths = [\"../examples/releases\"]", "feeds = [\"https://www.akorda.kz/ru/rss\"]");
        let e = Workflow::parse(Path::new("w.toml"), &web).unwrap_err().to_string();
        assert!(e.starts_with("w.toml:3: URL sources need `fetch.allow_hosts`"), "{e}");
        let ok = format!("{web}\n[fetch]\nallow_hosts = [\"akorda.kz\"]\n");
        let w = Workflow::parse(Path::new("w.toml"), &ok).unwrap();
        assert_eq!(w.feeds, ["https://www.akorda.kz/ru/rss"]);
        let other = ok.replace("www.akorda.kz", "example.com");
        let e = Workflow::parse(Path::new("w.toml"), &other).unwrap_err().to_string();
        assert!(e.starts_with("w.toml:4: https://example.com/ru/rss: host \"example.com\" is not in"), "{e}");
        let site = format!("{ok}\n[[sites]]\nhost = \"akorda.kz\"\nbody = \"div[[\"\n");
        let e = Workflow::parse(Path::new("w.toml"), &site).unwrap_err().to_string();
        assert!(e.contains("site profile `akorda.kz`: `body`: invalid CSS selector"), "{e}");
        let site = format!("{ok}\n[[sites]]\nhost = \"akorda.kz\"\nbody = \".news p\"\ndrop = [\"^Фото:\"]\n");
        let w = Workflow::parse(Path::new("w.toml"), &site).unwrap();
        assert!(w.site_for("www.akorda.kz").is_some());
    }

    #[test]
    fn named_backends_and_routing() {
        let routed = OK.replace(
            "[backend]\nkind = \"pseudo\"\n",
            "[backends.fast]\nkind = \"pseudo\"\n[backends.tm]\nkind = \"memory\"\n[routing]\n\"ru-kk\" = [\"tm\", \"fast\"]\ndefault = [\"fast\"]\n",
        );
        let w = Workflow::parse(Path::new("w.toml"), &routed).unwrap();
        assert_eq!(w.backends.len(), 2);
        assert_eq!(w.routing.len(), 2);
        let bad = routed.replace("[\"tm\", \"fast\"]", "[\"yandex\"]");
        let e = Workflow::parse(Path::new("w.toml"), &bad).unwrap_err().to_string();
        assert!(e.contains("`routing.ru-kk` names `yandex`, which is not in [backends]"), "{e}");
        let both = format!("{OK}\n[backends.x]\nkind = \"pseudo\"\n");
        assert!(Workflow::parse(Path::new("w.toml"), &both).unwrap_err().to_string().contains("not both"));
    }

    #[test]
    fn paths_are_relative_to_the_file() {
        let w = Workflow::parse(Path::new("/repo/workflows/demo.toml"), OK).unwrap();
        assert_eq!(w.sources, [PathBuf::from("/repo/workflows/../examples/releases")]);
        assert_eq!(w.targets_for(Lang::Kk), [Lang::En, Lang::Ru]);
    }

    #[test]
    fn unknown_keys_and_bad_values_name_file_line_and_field() {
        let bad = OK.replace("[glossary]", "[glossary]\npathz = []");
        let e = Workflow::parse(Path::new("w.toml"), &bad).unwrap_err().to_string();
        assert!(e.starts_with("w.toml:8: unknown field `pathz`"), "{e}");
        let bad = OK.replace("\"kk\", \"ru\"", "\"kk\", \"de\"");
        let e = Workflow::parse(Path::new("w.toml"), &bad).unwrap_err().to_string();
        assert!(e.starts_with("w.toml:6:") && e.contains("de"), "{e}");
        let bad = OK.replace("kind = \"pseudo\"", "kind = \"babel\"");
        let e = Workflow::parse(Path::new("w.toml"), &bad).unwrap_err().to_string();
        assert!(e.starts_with("w.toml:10:") && e.contains("babel"), "{e}");
        let bad = OK.replace("name = \"demo\"\n", "");
        let e = Workflow::parse(Path::new("w.toml"), &bad).unwrap_err().to_string();
        assert!(e.contains("missing field `name`"), "{e}");
    }

    #[test]
    fn the_mqm_pass_threshold_defaults_to_95_and_is_a_score() {
        assert_eq!(Workflow::parse(Path::new("w.toml"), OK).unwrap().review.mqm_pass, 95.0);
        let strict = format!("{OK}[review]\nmqm_pass = 98.5\n");
        assert_eq!(Workflow::parse(Path::new("w.toml"), &strict).unwrap().review.mqm_pass, 98.5);
        let bad = format!("{OK}[review]\nmqm_pass = 120\n");
        let e = Workflow::parse(Path::new("w.toml"), &bad).unwrap_err().to_string();
        assert_eq!(e, "w.toml:12: `review.mqm_pass` is 120: an MQM score threshold is between 0 and 100");
        let typo = format!("{OK}[review]\nmqm_passs = 90\n");
        let e = Workflow::parse(Path::new("w.toml"), &typo).unwrap_err().to_string();
        assert!(e.starts_with("w.toml:12: unknown field `mqm_passs`"), "{e}");
    }

    #[test]
    fn numbers_a_backend_cannot_keep_are_refused_with_the_line_and_key() {
        let zero = format!("{OK}concurrency = 0\n");
        let e = Workflow::parse(Path::new("w.toml"), &zero).unwrap_err().to_string();
        assert_eq!(e, "w.toml:11: `backend.concurrency`: must be at least 1");
        let rate = format!("{OK}rate_limit = \"0/s\"\n");
        let e = Workflow::parse(Path::new("w.toml"), &rate).unwrap_err().to_string();
        assert_eq!(e, "w.toml:11: `backend.rate_limit`: \"0/s\" must be more than zero");
        let table = format!("{OK}rate_limit = {{ chars_per_minute = 0 }}\n");
        let e = Workflow::parse(Path::new("w.toml"), &table).unwrap_err().to_string();
        assert!(e.ends_with("`backend.rate_limit`: \"chars_per_minute = 0\" must be more than zero"), "{e}");
        let named = "name = \"d\"\n[sources]\npaths = [\"x\"]\n[languages]\ntargets = [\"en\"]\n[glossary]\npaths = [\"g\"]\n[backends.fast]\nkind = \"pseudo\"\nrate_limit = \"-3/min\"\n";
        let e = Workflow::parse(Path::new("w.toml"), named).unwrap_err().to_string();
        assert!(e.contains("`backends.fast.rate_limit`: \"-3/min\" must be more than zero"), "{e}");
        let fine = format!("{OK}concurrency = 2\nrate_limit = \"600/min\"\n");
        assert!(Workflow::parse(Path::new("w.toml"), &fine).is_ok());
    }

    #[test]
    fn webhooks_are_read_and_each_mistake_names_file_line_and_field() {
        let hooks = format!(
            "{OK}\n[[notify]]\nurl = \"https://hooks.example.kz/audarma\"\nevents = [\"approved\", \"deadline\"]\nsecret_env = \"AUDARMA_HOOK_SECRET\"\n\n[[notify]]\nname = \"ops\"\nurl = \"https://ops.example.kz/h\"\nevents = [\"run_failed\"]\nsecret_env = \"OPS_SECRET\"\nattempts = 3\n"
        );
        let w = Workflow::parse(Path::new("w.toml"), &hooks).unwrap();
        assert_eq!(w.notify.len(), 2);
        assert_eq!((w.notify[0].name.as_str(), w.notify[1].name.as_str()), ("hooks.example.kz", "ops"));
        assert_eq!(w.notify[1].retry.attempts, 3);
        assert!(Workflow::parse(Path::new("w.toml"), OK).unwrap().notify.is_empty());

        let bad = hooks.replace("\"run_failed\"", "\"run_faild\"");
        let e = Workflow::parse(Path::new("w.toml"), &bad).unwrap_err().to_string();
        assert_eq!(
            e,
            "w.toml:20: `notify[1].events`: \"run_faild\" is not an event: use in_review, approved, failed, run_failed, deadline"
        );
        let bad = hooks.replace("https://hooks.example.kz/audarma", "http://hooks.example.kz/audarma");
        let e = Workflow::parse(Path::new("w.toml"), &bad).unwrap_err().to_string();
        assert!(e.starts_with("w.toml:13: `notify[0].url`: must be https"), "{e}");
        let bad = hooks.replace("secret_env = \"OPS_SECRET\"", "secret = \"hunter2\"");
        let e = Workflow::parse(Path::new("w.toml"), &bad).unwrap_err().to_string();
        assert!(e.starts_with("w.toml:") && e.contains("unknown field `secret`") && !e.contains("hunter2"), "{e}");
        let bad = hooks.replace("name = \"ops\"\n", "");
        let bad = bad.replace("https://ops.example.kz/h", "https://hooks.example.kz/other");
        let e = Workflow::parse(Path::new("w.toml"), &bad).unwrap_err().to_string();
        assert!(
            e.starts_with("w.toml:17: `notify[1].name`: \"hooks.example.kz\" is the name of `notify[0]` too"),
            "{e}"
        );
    }
}
