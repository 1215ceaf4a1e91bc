//! A real review desk for tests: the server on a free port over a fresh SQLite database, four users (one
//! per role) with bearer tokens, and two releases translated and waiting for review.
#![allow(dead_code, clippy::unwrap_used)]

use audarma_core::{Lang, Paragraph, Release, SuggestionOrigin};
use audarma_review::Terminology;
use audarma_store::{JobId, LeaseOwner, Store, Suggestion, TmUnit};
use audarma_store_sqlite::SqliteStore;
use audarma_web::{auth, Desk, DeskConfig};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

pub const PASSWORD: &str = "correct horse battery";
pub const XSS_TITLE: &str = "<script>alert('title')</script> Встреча в Акорде";
pub const XSS_BODY: &str = "<img src=x onerror=alert('body')> Стороны обсудили сотрудничество.";

pub struct TestDesk {
    pub base: String,
    pub store: Arc<dyn Store>,
    pub http: reqwest::Client,
    pub tokens: HashMap<&'static str, String>,
    /// The jobs: en→ru (with a terminology error in segment 1), en→kk, ru→en (the XSS release).
    pub ru_job: JobId,
    pub kk_job: JobId,
    pub xss_job: JobId,
    terms: Arc<Terminology>,
    config: DeskConfig,
    /// What keeps the database alive (a temp dir, a test database's guard).
    _keep: Arc<dyn std::any::Any + Send + Sync>,
}

/// Serves a desk over `store` on a free port; its base URL.
async fn serve(store: Arc<dyn Store>, terms: Arc<Terminology>, config: DeskConfig) -> String {
    let desk = Desk::new(store, terms, config).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(audarma_web::serve(desk, listener));
    base
}

pub fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn release(source: &str, lang: Lang, title: &str, sentences: &[&str]) -> Release {
    Release {
        source: source.into(),
        lang,
        title: title.into(),
        date: chrono::NaiveDate::from_ymd_opt(2026, 11, 20),
        place: Some("Astana".into()),
        paragraphs: vec![Paragraph::new(sentences.iter().map(|s| s.to_string()).collect())],
    }
}

/// What the "machine" offers for each source text.
fn machine(source: &str, target: Lang) -> String {
    let table: &[(&str, Lang, &str)] = &[
        (
            "Head of State receives the OSCE Secretary General",
            Lang::Ru,
            "Глава государства принимает Генерального секретаря ОБСЕ",
        ),
        (
            "The Head of State received the OSCE Secretary General in Astana.",
            Lang::Ru,
            "Президент принял Генерального секретаря ШОС в Астане.",
        ),
        ("The parties discussed regional security.", Lang::Ru, "Стороны обсудили региональную безопасность."),
        ("Head of State receives the OSCE Secretary General", Lang::Kk, "Мемлекет басшысы ЕҚЫҰ Бас хатшысын қабылдады"),
        (
            "The Head of State received the OSCE Secretary General in Astana.",
            Lang::Kk,
            "Мемлекет басшысы Астанада ЕҚЫҰ Бас хатшысын қабылдады.",
        ),
        ("The parties discussed regional security.", Lang::Kk, "Тараптар өңірлік қауіпсіздікті талқылады."),
    ];
    table
        .iter()
        .find(|(s, t, _)| *s == source && *t == target)
        .map(|(_, _, out)| out.to_string())
        .unwrap_or_else(|| format!("[{}] {source}", target.code()))
}

impl TestDesk {
    pub async fn start() -> TestDesk {
        Self::start_with(DeskConfig::default()).await
    }

    pub async fn start_with(config: DeskConfig) -> TestDesk {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(SqliteStore::open(dir.path().join("desk.db").to_str().unwrap()).await.unwrap());
        Self::start_on(store, config, Arc::new(dir)).await
    }

    /// The desk over `store` (seeded here), whose database `keep` keeps alive.
    pub async fn start_on(
        store: Arc<dyn Store>,
        config: DeskConfig,
        keep: Arc<dyn std::any::Any + Send + Sync>,
    ) -> TestDesk {
        let glossary = audarma_glossary::Glossary::load(&[workspace().join("glossaries")]).unwrap();
        let terms = Arc::new(Terminology::new(glossary));

        let mut tokens = HashMap::new();
        for (name, role) in [
            ("aigerim", "reviewer"),
            ("daniyar", "translator"),
            ("bolat", "translator"),
            ("saule", "glossary"),
            ("admin", "admin"),
        ] {
            let role = role.parse().unwrap();
            store.add_user(name, role, &auth::hash_password(PASSWORD).unwrap(), "test").await.unwrap();
            let (token, hash) = auth::new_token();
            store.add_token(name, &hash, None, "test").await.unwrap();
            tokens.insert(name, token);
        }

        let a = release(
            "en-osce.txt",
            Lang::En,
            "Head of State receives the OSCE Secretary General",
            &[
                "The Head of State received the OSCE Secretary General in Astana.",
                "The parties discussed regional security.",
            ],
        );
        let b = release("ru-xss.txt", Lang::Ru, XSS_TITLE, &[XSS_BODY]);
        let a_id = store.insert_release(&a, "test").await.unwrap().id();
        let b_id = store.insert_release(&b, "test").await.unwrap().id();
        store.ensure_jobs(a_id, &[Lang::Ru, Lang::Kk], "desk", "test").await.unwrap();
        store.ensure_jobs(b_id, &[Lang::En], "desk", "test").await.unwrap();
        let (mut ru_job, mut kk_job, mut xss_job) = (0, 0, 0);
        while let Some(job) = store.claim_next_job("desk", LeaseOwner("test-run"), 600).await.unwrap() {
            let suggestions: Vec<Suggestion> = job
                .segments
                .iter()
                .map(|s| {
                    let text = machine(&s.text, job.target_lang);
                    let (terms_json, findings) =
                        terms.review(&s.text, Some(&text), job.source_lang, job.target_lang, job.release_date);
                    Suggestion {
                        idx: s.idx,
                        text: Some(text),
                        origin: SuggestionOrigin::Machine,
                        backend: Some("test".into()),
                        model: None,
                        terms: terms_json,
                        findings,
                        tm: None,
                    }
                })
                .collect();
            store.complete_translation(job.id, job.lease("test-run"), &suggestions, "test-run").await.unwrap();
            match (job.release_id == a_id, job.target_lang) {
                (true, Lang::Ru) => ru_job = job.id,
                (true, _) => kk_job = job.id,
                _ => xss_job = job.id,
            }
        }
        let unit = TmUnit {
            source_lang: Lang::En,
            target_lang: Lang::Ru,
            source: "The Head of State received the OSCE Secretary General in Almaty.".into(),
            target: "Глава государства принял Генерального секретаря ОБСЕ в Алматы.".into(),
            created_at: None,
            created_by: None,
        };
        store.tm_add(&[unit], "test").await.unwrap();

        let base = serve(store.clone(), terms.clone(), config.clone()).await;
        let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        TestDesk { base, store, http, tokens, ru_job, kk_job, xss_job, terms, config, _keep: keep }
    }

    /// A second desk process on the same database (through `store`, its own connections), as a load
    /// balancer's second backend: the same users, tokens and jobs.
    pub async fn twin(&self, store: Arc<dyn Store>) -> TestDesk {
        let base = serve(store.clone(), self.terms.clone(), self.config.clone()).await;
        TestDesk {
            base,
            store,
            http: self.http.clone(),
            tokens: self.tokens.clone(),
            ru_job: self.ru_job,
            kk_job: self.kk_job,
            xss_job: self.xss_job,
            terms: self.terms.clone(),
            config: self.config.clone(),
            _keep: self._keep.clone(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A request as `who`, with their bearer token.
    pub fn as_user(&self, who: &str, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.http.request(method, self.url(path)).bearer_auth(&self.tokens[who])
    }

    pub async fn get_json(&self, who: &str, path: &str) -> (u16, serde_json::Value) {
        let res = self.as_user(who, reqwest::Method::GET, path).send().await.unwrap();
        let status = res.status().as_u16();
        (status, res.json().await.unwrap_or(serde_json::Value::Null))
    }

    pub async fn send_json(
        &self,
        who: &str,
        method: reqwest::Method,
        path: &str,
        body: serde_json::Value,
    ) -> (u16, serde_json::Value) {
        let res = self.as_user(who, method, path).json(&body).send().await.unwrap();
        let status = res.status().as_u16();
        (status, res.json().await.unwrap_or(serde_json::Value::Null))
    }

    /// Logs in through the login form, as a browser does; returns the session cookie and CSRF token.
    pub async fn login(&self, name: &str, password: &str) -> Result<Browser, u16> {
        let res = self.post_login(name, password, "/queue").await;
        if res.status().as_u16() != 303 {
            return Err(res.status().as_u16());
        }
        let session = set_cookie(&res, auth::SESSION_COOKIE).unwrap();
        let cookie = format!("{}={session}", auth::SESSION_COOKIE);
        let queue =
            self.http.get(self.url("/queue")).header("cookie", &cookie).send().await.unwrap().text().await.unwrap();
        let csrf = attr_after(&queue, "data-csrf=\"").unwrap();
        Ok(Browser { cookie, csrf })
    }

    /// Fetches the login form and posts it (with its CSRF cookie and field), as a browser does.
    pub async fn post_login(&self, name: &str, password: &str, next: &str) -> reqwest::Response {
        let page = self.http.get(self.url("/login")).send().await.unwrap();
        let login_cookie = set_cookie(&page, auth::LOGIN_CSRF_COOKIE).unwrap();
        let html = page.text().await.unwrap();
        let csrf = attr_after(&html, "name=\"csrf\" value=\"").unwrap();
        self.http
            .post(self.url("/login"))
            .header("cookie", format!("{}={login_cookie}", auth::LOGIN_CSRF_COOKIE))
            .form(&[("csrf", csrf.as_str()), ("name", name), ("password", password), ("next", next)])
            .send()
            .await
            .unwrap()
    }

    /// A page as a logged-in browser sees it: (status, body).
    pub async fn page(&self, b: &Browser, path: &str) -> (u16, String) {
        let res = self.http.get(self.url(path)).header("cookie", &b.cookie).send().await.unwrap();
        (res.status().as_u16(), res.text().await.unwrap())
    }
}

/// What [`TestDesk::approve_for_reports`] approved.
pub struct Approved {
    /// The jobs translated by the "deepl" backend (en→ru, en→kk), approved as suggested.
    pub deepl: Vec<JobId>,
    /// The MQM annotation on segment 1 of the en→kk job (a major error).
    pub annotation: i64,
}

impl TestDesk {
    /// Approved work for the reports: the en→ru job with its SCO error fixed (a glossary concept
    /// fixed) and the en→kk job with a major MQM annotation, both from the "test" backend; and a
    /// second release translated by "deepl" into both languages, approved untouched. So the report
    /// has two backends in two pairs, one annotated job and one fixed term.
    pub async fn approve_for_reports(&self) -> Approved {
        let s = self.store.as_ref();
        let (_, seg) = s.job_segment(self.ru_job, 1).await.unwrap();
        let fixed = "Глава государства принял Генерального секретаря ОБСЕ в Астане.";
        let (_, findings) = self.terms.review(&seg.source, Some(fixed), Lang::En, Lang::Ru, None);
        s.edit_segment(self.ru_job, 1, fixed, &findings, Some(seg.version), "daniyar").await.unwrap();
        s.approve_job(self.ru_job, "aigerim", Some("for the report")).await.unwrap();
        let note = audarma_store::NewAnnotation {
            idx: 1,
            span: None,
            error_type: audarma_analytics::ErrorType::WrongInflection,
            severity: audarma_analytics::mqm::Severity::Major,
            note: None,
        };
        let annotation = s.add_annotation(self.kk_job, &note, "aigerim").await.unwrap().id;
        s.approve_job(self.kk_job, "aigerim", Some("for the report")).await.unwrap();

        let c = release(
            "en-budget.txt",
            Lang::En,
            "The parties discussed regional security.",
            &["The parties discussed regional security."],
        );
        let id = s.insert_release(&c, "test").await.unwrap().id();
        s.ensure_jobs(id, &[Lang::Ru, Lang::Kk], "press", "test").await.unwrap();
        let mut deepl = Vec::new();
        while let Some(job) = s.claim_next_job("press", LeaseOwner("test-run"), 600).await.unwrap() {
            let suggestions: Vec<Suggestion> = job
                .segments
                .iter()
                .map(|seg| {
                    let text = machine(&seg.text, job.target_lang);
                    let (terms, findings) =
                        self.terms.review(&seg.text, Some(&text), job.source_lang, job.target_lang, None);
                    Suggestion {
                        idx: seg.idx,
                        text: Some(text),
                        origin: SuggestionOrigin::Machine,
                        backend: Some("deepl".into()),
                        model: None,
                        terms,
                        findings,
                        tm: None,
                    }
                })
                .collect();
            s.complete_translation(job.id, job.lease("test-run"), &suggestions, "test-run").await.unwrap();
            s.approve_job(job.id, "aigerim", Some("for the report")).await.unwrap();
            deepl.push(job.id);
        }
        Approved { deepl, annotation }
    }
}

/// A logged-in browser: its session cookie header and the CSRF token its pages carry.
pub struct Browser {
    pub cookie: String,
    pub csrf: String,
}

pub fn set_cookie(res: &reqwest::Response, name: &str) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix(&format!("{name}=")).map(|rest| rest.split(';').next().unwrap_or("").to_string()))
}

pub fn attr_after(html: &str, marker: &str) -> Option<String> {
    let start = html.find(marker)? + marker.len();
    Some(html[start..].split('"').next()?.to_string())
}

/// The inline `<svg>` elements of a page, each from its start tag to its end tag.
pub fn svgs(html: &str) -> Vec<&str> {
    html.match_indices("<svg ")
        .map(|(at, _)| {
            let end = html[at..].find("</svg>").unwrap() + at + "</svg>".len();
            &html[at..end]
        })
        .collect()
}

/// An element of an SVG: its name, `id`, `class`, and the text directly inside it.
#[derive(Debug, Clone, Default)]
pub struct SvgEl {
    pub name: String,
    pub id: Option<String>,
    pub class: Option<String>,
    pub text: String,
}

/// Parses an SVG with quick-xml and fails unless it is well-formed XML with one `<svg>` root in the SVG
/// namespace; its elements in document order.
pub fn svg_elements(svg: &str) -> Vec<SvgEl> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(svg);
    reader.config_mut().check_end_names = true;
    let (mut out, mut open): (Vec<SvgEl>, Vec<usize>) = (Vec::new(), Vec::new());
    let element = |e: &quick_xml::events::BytesStart| {
        let attr = |k: &[u8]| {
            e.attributes()
                .map(|a| a.unwrap())
                .find(|a| a.key.as_ref() == k)
                .map(|a| a.unescape_value().unwrap().into_owned())
        };
        SvgEl {
            name: String::from_utf8(e.name().as_ref().to_vec()).unwrap(),
            id: attr(b"id"),
            class: attr(b"class"),
            text: String::new(),
        }
    };
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) => {
                if out.is_empty() {
                    let xmlns = e.attributes().map(|a| a.unwrap()).find(|a| a.key.as_ref() == b"xmlns");
                    assert_eq!(xmlns.unwrap().value.as_ref(), b"http://www.w3.org/2000/svg");
                } else {
                    assert!(!open.is_empty(), "a second root");
                }
                out.push(element(&e));
                open.push(out.len() - 1);
            }
            Event::Empty(e) => {
                assert!(!open.is_empty(), "an element outside the root");
                out.push(element(&e));
            }
            Event::End(_) => {
                open.pop().unwrap();
            }
            Event::Text(t) => {
                if let Some(&i) = open.last() {
                    out[i].text.push_str(&t.unescape().unwrap());
                }
            }
            Event::Eof => break,
            other => panic!("unexpected {other:?} in an SVG"),
        }
    }
    assert!(open.is_empty(), "unclosed elements");
    assert_eq!(out[0].name, "svg");
    out
}
