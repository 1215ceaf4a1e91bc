//! The Atom feed of a user's jobs as a feed reader gets it: by a secret link, without a session, valid
//! Atom 1.0 (parsed here; well-formed for xmllint when it is installed), in the user's language, due jobs
//! marked, every text escaped; a new link replaces the old one, and a disabled user's feed is gone.

use crate::common::{attr_after, Browser, TestDesk, PASSWORD, XSS_TITLE};
use quick_xml::events::Event;

const ATOM: &str = "http://www.w3.org/2005/Atom";

/// An XML element: its name, attributes and text, and its children.
#[derive(Debug, Default)]
struct El {
    name: String,
    attrs: Vec<(String, String)>,
    text: String,
    children: Vec<El>,
}

impl El {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
    fn all(&self, name: &str) -> Vec<&El> {
        self.children.iter().filter(|c| c.name == name).collect()
    }
    /// The one child of that name (Atom allows exactly one of id, title and updated).
    fn one(&self, name: &str) -> &El {
        let found = self.all(name);
        assert_eq!(found.len(), 1, "<{}> has {} <{name}>", self.name, found.len());
        found[0]
    }
}

/// Parses a whole document strictly: any XML error fails the test.
fn parse(xml: &str) -> El {
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().trim_text(true);
    let mut stack: Vec<El> = vec![El::default()];
    let open = |e: &quick_xml::events::BytesStart| El {
        name: String::from_utf8(e.name().as_ref().to_vec()).unwrap(),
        attrs: e
            .attributes()
            .map(|a| {
                let a = a.unwrap();
                (String::from_utf8(a.key.as_ref().to_vec()).unwrap(), a.unescape_value().unwrap().into_owned())
            })
            .collect(),
        ..Default::default()
    };
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) => stack.push(open(&e)),
            Event::Empty(e) => {
                let el = open(&e);
                stack.last_mut().unwrap().children.push(el);
            }
            Event::End(_) => {
                let el = stack.pop().unwrap();
                stack.last_mut().unwrap().children.push(el);
            }
            Event::Text(t) => stack.last_mut().unwrap().text.push_str(&t.unescape().unwrap()),
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(stack.len(), 1, "unclosed elements");
    let mut doc = stack.pop().unwrap();
    assert_eq!(doc.children.len(), 1, "one root element");
    doc.children.pop().unwrap()
}

fn rfc3339(s: &str) -> chrono::DateTime<chrono::FixedOffset> {
    chrono::DateTime::parse_from_rfc3339(s).unwrap_or_else(|e| panic!("{s:?} is not an RFC 3339 date: {e}"))
}

/// What RFC 4287 requires of a feed and its entries; the entries.
fn check_atom(feed: &El) -> Vec<&El> {
    assert_eq!(feed.name, "feed");
    assert_eq!(feed.attr("xmlns"), Some(ATOM));
    assert!(feed.one("id").text.starts_with("urn:audarma:feed:"));
    assert!(!feed.one("title").text.is_empty());
    rfc3339(&feed.one("updated").text);
    // A feed-level author, so every entry has one.
    assert_eq!(feed.one("author").one("name").text, "audarma");
    let selfs: Vec<_> = feed.all("link").into_iter().filter(|l| l.attr("rel") == Some("self")).collect();
    assert_eq!(selfs.len(), 1);
    let entries = feed.all("entry");
    let mut ids = std::collections::BTreeSet::new();
    for e in &entries {
        assert!(ids.insert(e.one("id").text.clone()), "entry ids are unique");
        assert!(e.one("id").text.starts_with("urn:audarma:event:"));
        assert!(!e.one("title").text.is_empty());
        rfc3339(&e.one("updated").text);
        let alt: Vec<_> = e.all("link").into_iter().filter(|l| l.attr("rel") == Some("alternate")).collect();
        assert_eq!(alt.len(), 1);
        assert!(alt[0].attr("href").unwrap().starts_with("/jobs/"));
        assert!(!e.one("summary").text.is_empty());
    }
    entries
}

/// Whether xmllint runs here: when it does not, the check is skipped saying so, or fails under
/// `AUDARMA_REQUIRE_XMLLINT=1` (as the XLIFF tests do).
fn xmllint_available() -> bool {
    if std::process::Command::new("xmllint").arg("--version").output().is_ok_and(|o| o.status.success()) {
        return true;
    }
    let msg = "SKIPPED: xmllint is missing (apt-get install libxml2-utils)";
    if std::env::var("AUDARMA_REQUIRE_XMLLINT").is_ok_and(|v| v == "1") {
        panic!("{msg}, and AUDARMA_REQUIRE_XMLLINT=1");
    }
    eprintln!("{msg}");
    false
}

async fn new_link(d: &TestDesk, b: &Browser) -> String {
    let res = d
        .http
        .post(d.url("/account/feed-token"))
        .header("cookie", &b.cookie)
        .form(&[("csrf", b.csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(res.headers()["cache-control"], "no-store");
    let html = res.text().await.unwrap();
    let link = attr_after(&html, "class=\"feed-link\" type=\"text\" readonly size=\"80\" value=\"").unwrap();
    assert!(link.starts_with(&d.url("/feed/audf_")) && link.ends_with(".atom"), "{link}");
    link
}

/// The feed as a reader fetches it: no cookie.
async fn fetch(d: &TestDesk, link: &str) -> (u16, String) {
    let res = d.http.get(link).send().await.unwrap();
    let status = res.status().as_u16();
    if status == 200 {
        assert_eq!(res.headers()["content-type"], "application/atom+xml; charset=utf-8");
    }
    (status, res.text().await.unwrap())
}

#[tokio::test]
async fn a_translator_follows_their_jobs_in_any_feed_reader() {
    let d = TestDesk::start().await;
    let s = d.store.as_ref();
    let today = chrono::Local::now().date_naive();
    s.assign_job(d.kk_job, Some("daniyar"), "aigerim").await.unwrap();
    s.assign_job(d.xss_job, Some("daniyar"), "aigerim").await.unwrap();
    s.assign_job(d.ru_job, Some("bolat"), "aigerim").await.unwrap();
    s.plan_job(d.kk_job, 0, today.pred_opt(), "aigerim").await.unwrap();
    s.plan_job(d.xss_job, 0, today.succ_opt(), "aigerim").await.unwrap();
    // A deadline event, as the notifier logs it.
    s.mark_due_jobs(audarma_core::Due::by(today), "deliverer").await.unwrap();

    let b = d.login("daniyar", PASSWORD).await.unwrap();
    let link = new_link(&d, &b).await;
    let (status, xml) = fetch(&d, &link).await;
    assert_eq!(status, 200, "{xml}");
    let feed = parse(&xml);
    let entries = check_atom(&feed);
    assert_eq!(feed.attr("xml:lang"), Some("en"));
    assert_eq!(feed.one("title").text, "audarma: jobs of daniyar");
    assert!(feed.attr("xml:base").unwrap().starts_with("http://127.0.0.1:"));

    // Only daniyar's jobs: each one's claim, review, assignment and deadline, newest first.
    let job_of = |e: &El| e.all("link")[0].attr("href").unwrap().trim_start_matches("/jobs/").parse::<i64>().unwrap();
    assert!(entries.iter().all(|e| [d.kk_job, d.xss_job].contains(&job_of(e))));
    assert_eq!(entries.len(), 2 * 4, "{xml}");
    let times: Vec<_> = entries.iter().map(|e| rfc3339(&e.one("updated").text)).collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "newest first");
    let titles: Vec<&str> = entries.iter().map(|e| e.one("title").text.as_str()).collect();
    assert!(titles.iter().any(|t| t.starts_with("Assigned to you: ")), "{titles:?}");
    assert!(titles.iter().any(|t| t.starts_with("in review: ")), "{titles:?}");
    assert!(titles.iter().any(|t| t.starts_with("Due ")), "{titles:?}");
    // The overdue job's entries say so, the other's that it is due soon.
    for e in &entries {
        let due = if job_of(e) == d.kk_job { "overdue" } else { "due soon" };
        assert!(e.one("title").text.ends_with(&format!(" — {due}")), "{}", e.one("title").text);
        let terms: Vec<&str> = e.all("category").iter().map(|c| c.attr("term").unwrap()).collect();
        assert!(terms.contains(&if due == "overdue" { "due-overdue" } else { "due-soon" }), "{terms:?}");
    }
    // The release title, which holds markup, is text: escaped in the XML, itself once parsed.
    assert!(!xml.contains("<script>"));
    assert!(entries.iter().any(|e| e.one("title").text.contains(XSS_TITLE)), "{titles:?}");

    // Well-formed for xmllint too, when it is installed.
    if xmllint_available() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("feed.atom");
        #[allow(clippy::disallowed_methods)] // a test fixture, not a published file
        std::fs::write(&file, &xml).unwrap();
        let out = std::process::Command::new("xmllint").arg("--noout").arg(&file).output().unwrap();
        assert!(out.status.success(), "xmllint: {}", String::from_utf8_lossy(&out.stderr));
    }

    // In the user's own language: Kazakh.
    s.set_user_locale("daniyar", Some("kk")).await.unwrap();
    let feed = parse(&fetch(&d, &link).await.1);
    check_atom(&feed);
    assert_eq!(feed.attr("xml:lang"), Some("kk"));
    assert_eq!(feed.one("title").text, "audarma: daniyar пайдаланушысының тапсырмалары");
    let kk: Vec<String> = feed.all("entry").iter().map(|e| e.one("title").text.clone()).collect();
    assert!(kk.iter().any(|t| t.starts_with("Сізге тағайындалды: ") && t.ends_with(" — мерзімі өтті")), "{kk:?}");
    s.set_user_locale("daniyar", Some("ru")).await.unwrap();
    let ru = parse(&fetch(&d, &link).await.1);
    assert!(ru.all("entry").iter().any(|e| e.one("title").text.starts_with("на проверке: ")));
    assert!(ru.all("entry").iter().any(|e| e.one("summary").text.contains("Срок: ")));
}

#[tokio::test]
async fn a_feed_link_is_a_secret_replaced_by_a_new_one_and_gone_with_its_user() {
    let d = TestDesk::start().await;
    let b = d.login("daniyar", PASSWORD).await.unwrap();
    let first = new_link(&d, &b).await;
    assert_eq!(fetch(&d, &first).await.0, 200);
    // The store keeps only the hash.
    let token = first.rsplit('/').next().unwrap().trim_end_matches(".atom").to_string();
    let hash = audarma_web::auth::token_hash(&token);
    assert_eq!(d.store.user_by_feed_token(&hash).await.unwrap().unwrap().name, "daniyar");
    assert!(d.store.user_by_feed_token(&token).await.unwrap().is_none());

    let second = new_link(&d, &b).await;
    assert_ne!(first, second);
    assert_eq!(fetch(&d, &first).await.0, 404, "a new link replaces the old one");
    assert_eq!(fetch(&d, &second).await.0, 200);
    assert_eq!(fetch(&d, &d.url("/feed/audf_nope.atom")).await.0, 404);
    assert_eq!(fetch(&d, &second.replace(".atom", ".rss")).await.0, 404);
    // Creating a link is a form like any other: without the session's CSRF token, refused.
    let res = d
        .http
        .post(d.url("/account/feed-token"))
        .header("cookie", &b.cookie)
        .form(&[("csrf", "wrong")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 403);
    assert_eq!(fetch(&d, &second).await.0, 200, "a refused form changed nothing");

    d.store.set_user_disabled("daniyar", true, "admin").await.unwrap();
    assert_eq!(fetch(&d, &second).await.0, 404, "a disabled user's feed is gone");
}
