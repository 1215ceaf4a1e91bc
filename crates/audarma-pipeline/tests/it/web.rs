//! A workflow reading an RSS feed and release pages from a local server, as cron would run it twice.

use audarma_glossary::Glossary;
use audarma_pipeline::{run, NoProgress, Terminology, Workflow};
use audarma_store::Store;
use audarma_store_sqlite::SqliteStore;
use std::path::Path;
use std::sync::Arc;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn page(title: &str, date: &str, body: &str) -> String {
    format!(
        "<html><body><header><nav><a>Главная</a></nav></header><article><h1>{title}</h1>{date}<p>{body}</p>\
         <div class=\"share\">Поделиться</div></article></body></html>"
    )
}

async fn server() -> MockServer {
    let s = MockServer::start().await;
    let base = s.uri();
    let feed = format!(
        r#"<rss version="2.0"><channel><title>Пресс-релизы</title>
<item><title>Глава государства принял посла</title><link>{base}/ru/1</link><pubDate>Wed, 07 Jun 2023 10:00:00 +0500</pubDate></item>
<item><title>Переговоры без даты</title><link>{base}/ru/2</link></item>
<item><title>Заявление МИД</title><description><![CDATA[<p>МИД Казахстана приветствует решение. Стороны продолжат диалог.</p>]]></description></item>
<item><title>Сломанная ссылка</title><link>{base}/ru/404</link></item>
</channel></rss>"#
    );
    Mock::given(method("GET"))
        .and(path("/rss"))
        .and(header("if-none-match", "\"feed-1\""))
        .respond_with(ResponseTemplate::new(304))
        .mount(&s)
        .await;
    Mock::given(method("GET"))
        .and(path("/rss"))
        .respond_with(ResponseTemplate::new(200).insert_header("etag", "\"feed-1\"").set_body_string(feed))
        .mount(&s)
        .await;
    Mock::given(method("GET"))
        .and(path("/ru/1"))
        .and(header("if-none-match", "\"p1\""))
        .respond_with(ResponseTemplate::new(304))
        .mount(&s)
        .await;
    Mock::given(method("GET"))
        .and(path("/ru/1"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("etag", "\"p1\"")
                .insert_header("content-type", "text/html; charset=utf-8")
                .set_body_string(page(
                    "Глава государства принял посла",
                    "",
                    "Глава государства принял посла Японии. Стороны обсудили сотрудничество.",
                )),
        )
        .mount(&s)
        .await;
    Mock::given(method("GET"))
        .and(path("/ru/2"))
        .respond_with(ResponseTemplate::new(200).set_body_string(page(
            "Переговоры в Астане",
            "<div class=\"date\">3 июня 2026 года</div>",
            "В Астане прошли переговоры. Стороны подписали меморандум.",
        )))
        .mount(&s)
        .await;
    Mock::given(method("GET")).and(path("/ru/404")).respond_with(ResponseTemplate::new(404)).mount(&s).await;
    s
}

#[tokio::test]
async fn a_feed_is_read_once_and_then_not_downloaded_again() {
    let s = server().await;
    let dir = tempfile::tempdir().unwrap();
    let wf_text = format!(
        "name = \"web\"\n[sources]\nfeeds = [\"{}/rss\"]\nlang = \"ru\"\n[languages]\ntargets = [\"en\", \"kk\"]\n\
         [backend]\nkind = \"pseudo\"\n[fetch]\nallow_hosts = [\"127.0.0.1\"]\nallow_private = true\ndelay_ms = 0\n",
        s.uri()
    );
    let wf = Workflow::parse(Path::new("web.toml"), &wf_text).unwrap();
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(dir.path().join("w.db").to_str().unwrap()).await.unwrap());
    let terms = Terminology::new(Glossary::default());

    let backend = audarma_pipeline::backend(store.clone(), &wf).unwrap();
    let first = run(store.clone(), &wf, &terms, backend.clone(), "run-1", &NoProgress).await.unwrap();
    assert_eq!(first.releases_new, 3, "{first:?}");
    assert_eq!(first.jobs_created, 6);
    assert_eq!(first.jobs_translated, 6);
    assert_eq!(first.input_errors.len(), 1, "{first:?}");
    assert!(first.input_errors[0].ends_with("/ru/404: HTTP 404"), "{first:?}");

    let jobs = store.list_jobs(&Default::default()).await.unwrap();
    let titles: Vec<_> = jobs.iter().map(|j| (j.title.clone(), j.release_date)).collect();
    let dated =
        jobs.iter().find(|j| j.title == "Глава государства принял посла").unwrap_or_else(|| panic!("{titles:?}"));
    assert_eq!(dated.release_date, chrono::NaiveDate::from_ymd_opt(2023, 6, 7), "the feed's date fills in");
    let undated = jobs.iter().find(|j| j.title == "Переговоры в Астане").unwrap();
    assert_eq!(undated.release_date, chrono::NaiveDate::from_ymd_opt(2026, 6, 3), "the page's own date");
    let detail = store
        .job(jobs.iter().find(|j| j.title == "Заявление МИД").unwrap_or_else(|| panic!("{titles:?}")).id)
        .await
        .unwrap();
    assert_eq!(detail.segments.len(), 3, "title and two sentences from the feed item itself");

    // The 404 kept the feed from being remembered, so the second run reads it again, but every page
    // that was stored is asked for conditionally and not downloaded.
    let second = run(store.clone(), &wf, &terms, backend, "run-2", &NoProgress).await.unwrap();
    assert_eq!((second.releases_new, second.jobs_created, second.jobs_translated), (0, 0, 0), "{second:?}");
    assert_eq!(second.unchanged, 1, "{second:?}");
    let requests = s.received_requests().await.unwrap();
    let conditional =
        requests.iter().filter(|r| r.url.path() == "/ru/1" && r.headers.contains_key("if-none-match")).count();
    assert_eq!(conditional, 1);
}

#[tokio::test]
async fn an_empty_feed_and_a_page_that_is_not_a_feed() {
    let s = MockServer::start().await;
    Mock::given(path("/empty"))
        .respond_with(ResponseTemplate::new(200).set_body_string("<rss><channel></channel></rss>"))
        .mount(&s)
        .await;
    Mock::given(path("/html"))
        .respond_with(ResponseTemplate::new(200).set_body_string("<html><body>hi</body></html>"))
        .mount(&s)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let wf_text = format!(
        "name = \"web\"\n[sources]\nfeeds = [\"{0}/empty\", \"{0}/html\"]\n[languages]\ntargets = [\"en\"]\n\
         [backend]\nkind = \"pseudo\"\n[fetch]\nallow_hosts = [\"127.0.0.1\"]\nallow_private = true\ndelay_ms = 0\n",
        s.uri()
    );
    let wf = Workflow::parse(Path::new("web.toml"), &wf_text).unwrap();
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(dir.path().join("w.db").to_str().unwrap()).await.unwrap());
    let backend = audarma_pipeline::backend(store.clone(), &wf).unwrap();
    let summary = run(store, &wf, &Terminology::new(Glossary::default()), backend, "r", &NoProgress).await.unwrap();
    assert_eq!(summary.releases_new, 0);
    assert_eq!(summary.input_errors.len(), 1, "{summary:?}");
    assert!(
        summary.input_errors[0].ends_with("/html: not an RSS or Atom feed (the root element is <html>)"),
        "{summary:?}"
    );
}
