//! The fetcher against a local server speaking plain HTTP.

use audarma_fetch::{FetchConfig, FetchError, Fetched, Fetcher, Validators};
use std::time::{Duration, Instant};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn config(allow_private: bool) -> FetchConfig {
    FetchConfig { allow_hosts: vec!["127.0.0.1".into()], allow_private, delay_ms: 0, ..FetchConfig::default() }
}

#[tokio::test]
async fn conditional_get_downloads_nothing_unchanged() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/r/1"))
        .and(header("if-none-match", "\"v1\""))
        .respond_with(ResponseTemplate::new(304))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/r/1"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("etag", "\"v1\"")
                .insert_header("last-modified", "Wed, 07 Jun 2023 10:00:00 GMT")
                .set_body_string("<h1>Talks</h1>"),
        )
        .mount(&server)
        .await;
    let f = Fetcher::new(config(true)).unwrap();
    let url = format!("{}/r/1", server.uri());
    let Fetched::Body { bytes, validators, .. } = f.get(&url, &Validators::default()).await.unwrap() else {
        panic!("expected a body")
    };
    assert_eq!(bytes, b"<h1>Talks</h1>");
    assert_eq!(validators.etag.as_deref(), Some("\"v1\""));
    assert_eq!(validators.last_modified.as_deref(), Some("Wed, 07 Jun 2023 10:00:00 GMT"));
    assert_eq!(f.get(&url, &validators).await.unwrap(), Fetched::Unchanged);
}

#[tokio::test]
async fn loopback_is_refused_unless_allowed_and_other_hosts_always() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_string("x")).mount(&server).await;
    let url = format!("{}/r", server.uri());
    let f = Fetcher::new(config(false)).unwrap();
    let e = f.get(&url, &Validators::default()).await.unwrap_err();
    assert!(matches!(e, FetchError::PrivateAddress { .. }), "{e}");
    assert!(e.to_string().contains("set fetch.allow_private"), "{e}");
    let f = Fetcher::new(FetchConfig { allow_hosts: vec!["akorda.kz".into()], ..config(true) }).unwrap();
    let e = f.get(&url, &Validators::default()).await.unwrap_err();
    assert!(e.to_string().ends_with("host 127.0.0.1 is not in the workflow's fetch.allow_hosts"), "{e}");
    assert!(matches!(f.get("ftp://akorda.kz/x", &Validators::default()).await, Err(FetchError::BadUrl { .. })));
    assert_eq!(server.received_requests().await.unwrap_or_default().len(), 0, "nothing was sent");
}

#[tokio::test]
async fn oversized_and_failing_responses_are_errors() {
    let server = MockServer::start().await;
    Mock::given(path("/big"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(vec![b'a'; 4096]))
        .mount(&server)
        .await;
    Mock::given(path("/gone")).respond_with(ResponseTemplate::new(404)).mount(&server).await;
    Mock::given(path("/slow"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(3)))
        .mount(&server)
        .await;
    let f = Fetcher::new(FetchConfig { max_bytes: 1000, timeout_secs: 1, ..config(true) }).unwrap();
    let e = f.get(&format!("{}/big", server.uri()), &Validators::default()).await.unwrap_err();
    assert!(e.to_string().ends_with("larger than the 1000-byte limit"), "{e}");
    let e = f.get(&format!("{}/gone", server.uri()), &Validators::default()).await.unwrap_err();
    assert!(e.to_string().ends_with("HTTP 404"), "{e}");
    let e = f.get(&format!("{}/slow", server.uri()), &Validators::default()).await.unwrap_err();
    assert!(e.to_string().ends_with("timed out"), "{e}");
}

#[tokio::test]
async fn requests_to_one_host_are_spaced() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_string("x")).mount(&server).await;
    let f = Fetcher::new(FetchConfig { delay_ms: 300, ..config(true) }).unwrap();
    let started = Instant::now();
    for i in 0..3 {
        f.get(&format!("{}/{i}", server.uri()), &Validators::default()).await.unwrap();
    }
    // Three requests with a 300 ms delay between them take at least 600 ms (a lower bound only).
    assert!(started.elapsed() >= Duration::from_millis(600));
}
