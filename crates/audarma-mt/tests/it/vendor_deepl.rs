//! Contract tests of the DeepL vendor against a local stub server.

use audarma_core::Lang;
use audarma_mt::vendors::{self, deepl::Deepl};
use audarma_mt::{BackendConfig, BackendKind, CallError, ConfigError, GlossarySupport, VendorRequest};
use serde_json::json;
use std::time::Duration;
use wiremock::matchers::{body_partial_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "deepl-secret-7f3a9c";

fn config(var: &str, base: &str) -> BackendConfig {
    std::env::set_var(var, KEY);
    let mut c = BackendConfig::of(BackendKind::Deepl);
    c.base_url = Some(base.to_string());
    c.api_key_env = Some(var.to_string());
    c
}

fn request(source: Lang, target: Lang, texts: &[&str]) -> VendorRequest {
    VendorRequest { source, target, texts: texts.iter().map(|t| t.to_string()).collect(), terms: vec![], repair: None }
}

async fn call_with(var: &str, status: u16, body: serde_json::Value, retry_after: Option<&str>) -> CallError {
    let server = MockServer::start().await;
    let mut resp = ResponseTemplate::new(status).set_body_json(body);
    if let Some(r) = retry_after {
        resp = resp.insert_header("Retry-After", r);
    }
    Mock::given(method("POST")).and(path("/v2/translate")).respond_with(resp).mount(&server).await;
    let v = vendors::build(&config(var, &server.uri())).unwrap();
    let e = v.call(&request(Lang::En, Lang::Ru, &["Hello."])).await.unwrap_err();
    assert!(!e.to_string().contains(KEY), "key leaked: {e}");
    e
}

#[tokio::test]
async fn sends_the_documented_request_and_reads_translations() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v2/translate"))
        .and(header("authorization", format!("DeepL-Auth-Key {KEY}").as_str()))
        .and(header("content-type", "application/json"))
        .and(body_partial_json(json!({
            "text": ["The Minister met ⟦1⟧.", "Second."],
            "source_lang": "EN",
            "target_lang": "KK",
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "translations": [
                {"detected_source_language": "EN", "text": "Министр ⟦1⟧ кездесті.", "billed_characters": 21},
                {"detected_source_language": "EN", "text": "Екінші.", "billed_characters": 7}
            ]
        })))
        .expect(1)
        .mount(&server)
        .await;
    let v = vendors::build(&config("AUDARMA_T_DEEPL_OK", &server.uri())).unwrap();
    assert_eq!(v.name(), "deepl");
    let out = v.call(&request(Lang::En, Lang::Kk, &["The Minister met ⟦1⟧.", "Second."])).await.unwrap();
    assert_eq!(out.texts, vec!["Министр ⟦1⟧ кездесті.", "Екінші."]);
    assert_eq!(out.billed_chars, Some(28));
    assert_eq!(out.tokens, None);
    let received = server.received_requests().await.unwrap();
    let body: serde_json::Value = serde_json::from_slice(&received[0].body).unwrap();
    assert!(!body.to_string().contains(KEY), "the key must not be in the body");
    assert!(received[0].url.query().is_none(), "the key must not be in the query");
}

#[tokio::test]
async fn english_targets_are_en_gb_and_billing_is_optional() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v2/translate"))
        .and(body_partial_json(json!({"source_lang": "RU", "target_lang": "EN-GB"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"translations": [{"text": "Hello."}]})))
        .expect(1)
        .mount(&server)
        .await;
    let v = vendors::build(&config("AUDARMA_T_DEEPL_ENGB", &server.uri())).unwrap();
    let out = v.call(&request(Lang::Ru, Lang::En, &["Привет."])).await.unwrap();
    assert_eq!(out.texts, vec!["Hello."]);
    assert_eq!(out.billed_chars, None);
}

#[tokio::test]
async fn error_statuses_map_to_call_errors() {
    let m = json!({"message": "Too many requests"});
    match call_with("AUDARMA_T_DEEPL_429", 429, m.clone(), Some("7")).await {
        CallError::Retryable { retry_after, .. } => assert_eq!(retry_after, Some(Duration::from_secs(7))),
        e => panic!("{e:?}"),
    }
    match call_with("AUDARMA_T_DEEPL_429B", 429, m.clone(), None).await {
        CallError::Retryable { retry_after, .. } => assert_eq!(retry_after, None),
        e => panic!("{e:?}"),
    }
    for (var, status) in [
        ("AUDARMA_T_DEEPL_529", 529),
        ("AUDARMA_T_DEEPL_500", 500),
        ("AUDARMA_T_DEEPL_503", 503),
        ("AUDARMA_T_DEEPL_504", 504),
    ] {
        assert!(matches!(call_with(var, status, m.clone(), None).await, CallError::Retryable { .. }), "{status}");
    }
    match call_with("AUDARMA_T_DEEPL_456", 456, json!({"message": "Quota exceeded"}), None).await {
        CallError::Quota { message } => assert!(message.contains("Quota exceeded"), "{message}"),
        e => panic!("{e:?}"),
    }
    match call_with("AUDARMA_T_DEEPL_403", 403, json!({"message": "Wrong endpoint"}), None).await {
        CallError::Fatal { message } => assert!(message.contains("authentication failed"), "{message}"),
        e => panic!("{e:?}"),
    }
    match call_with("AUDARMA_T_DEEPL_400", 400, json!({"message": "Value for 'target_lang' not supported."}), None)
        .await
    {
        CallError::Fatal { message } => assert!(message.contains("target_lang"), "{message}"),
        e => panic!("{e:?}"),
    }
    assert!(matches!(
        call_with("AUDARMA_T_DEEPL_413", 413, json!({"message": "Request Entity Too Large"}), None).await,
        CallError::Fatal { .. }
    ));
}

#[tokio::test]
async fn a_key_echoed_by_the_server_is_redacted() {
    let e = call_with("AUDARMA_T_DEEPL_ECHO", 403, json!({"message": format!("Invalid key {KEY}")}), None).await;
    assert!(e.to_string().contains("***"), "{e}");
}

#[tokio::test]
async fn malformed_bodies_are_malformed() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v2/translate"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"translations": [{"text": "one"}]})))
        .mount(&server)
        .await;
    let v = vendors::build(&config("AUDARMA_T_DEEPL_COUNT", &server.uri())).unwrap();
    let e = v.call(&request(Lang::En, Lang::Ru, &["a", "b"])).await.unwrap_err();
    assert!(matches!(e, CallError::Malformed { .. }), "{e:?}");

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v2/translate"))
        .respond_with(ResponseTemplate::new(200).set_body_string("<html>gateway</html>"))
        .mount(&server)
        .await;
    let v = vendors::build(&config("AUDARMA_T_DEEPL_HTML", &server.uri())).unwrap();
    let e = v.call(&request(Lang::En, Lang::Ru, &["a"])).await.unwrap_err();
    assert!(matches!(e, CallError::Malformed { .. }), "{e:?}");
}

#[tokio::test]
async fn a_timeout_is_retryable() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v2/translate"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"translations": [{"text": "x"}]}))
                .set_delay(Duration::from_secs(3)),
        )
        .mount(&server)
        .await;
    let mut c = config("AUDARMA_T_DEEPL_TIMEOUT", &server.uri());
    c.timeout_secs = Some(1);
    let v = vendors::build(&c).unwrap();
    let e = v.call(&request(Lang::En, Lang::Ru, &["a"])).await.unwrap_err();
    assert!(matches!(e, CallError::Retryable { .. }), "{e:?}");
    assert!(!e.to_string().contains(KEY));
}

#[tokio::test]
async fn a_refused_connection_is_retryable() {
    // Nothing listens on port 9 of localhost in the test environment.
    let v = vendors::build(&config("AUDARMA_T_DEEPL_CONN", "http://127.0.0.1:9")).unwrap();
    let e = v.call(&request(Lang::En, Lang::Ru, &["a"])).await.unwrap_err();
    assert!(matches!(e, CallError::Retryable { .. }), "{e:?}");
    assert!(!e.to_string().contains(KEY));
}

#[test]
fn free_keys_go_to_the_free_host_and_debug_hides_the_key() {
    std::env::set_var("AUDARMA_T_DEEPL_FREE", "deepl-secret-free:fx");
    let mut c = BackendConfig::of(BackendKind::Deepl);
    c.api_key_env = Some("AUDARMA_T_DEEPL_FREE".into());
    let d = format!("{:?}", Deepl::new(&c).unwrap());
    assert!(d.contains("https://api-free.deepl.com"), "{d}");
    assert!(!d.contains("deepl-secret-free"), "{d}");

    std::env::set_var("AUDARMA_T_DEEPL_PRO", KEY);
    c.api_key_env = Some("AUDARMA_T_DEEPL_PRO".into());
    let d = format!("{:?}", Deepl::new(&c).unwrap());
    assert!(d.contains("https://api.deepl.com"), "{d}");
    assert!(!d.contains(KEY), "{d}");
}

#[test]
fn configuration_errors_name_the_backend_and_key() {
    let mut c = BackendConfig::of(BackendKind::Deepl);
    assert_eq!(vendors::build(&c).err().unwrap().to_string(), "backend `deepl`: `api_key_env` is required");
    c.api_key_env = Some("AUDARMA_T_DEEPL_UNSET_VAR".into());
    let e = vendors::build(&c).err().unwrap();
    assert!(
        matches!(&e, ConfigError::KeyNotSet { kind: BackendKind::Deepl, var } if var == "AUDARMA_T_DEEPL_UNSET_VAR"),
        "{e:?}"
    );
    assert_eq!(
        e.to_string(),
        "backend `deepl`: environment variable AUDARMA_T_DEEPL_UNSET_VAR (api_key_env) is not set"
    );
    std::env::set_var("AUDARMA_T_DEEPL_BADHDR", "deepl-bad\u{1}secret");
    c.api_key_env = Some("AUDARMA_T_DEEPL_BADHDR".into());
    let e = vendors::build(&c).err().unwrap();
    assert!(matches!(&e, ConfigError::KeyNotHeader { var, .. } if var == "AUDARMA_T_DEEPL_BADHDR"), "{e:?}");
    let source = std::error::Error::source(&e).expect("the header error is kept as the source");
    assert!(source.is::<reqwest::header::InvalidHeaderValue>(), "{source:?}");
    assert_eq!(
        e.to_string(),
        "backend `deepl`: environment variable AUDARMA_T_DEEPL_BADHDR (api_key_env) holds a value that is not a valid HTTP header"
    );
    assert!(!format!("{e:?}").contains("secret"), "the key's value is never shown: {e:?}");
    let mut c = config("AUDARMA_T_DEEPL_URL", "not a url");
    let e = vendors::build(&c).err().unwrap();
    assert_eq!(e.to_string(), "backend `deepl`: `base_url` is not an http(s) URL: not a url");
    assert!(std::error::Error::source(&e).is_some_and(|s| s.is::<url::ParseError>()), "{e:?}");
    c.base_url = Some("ftp://example.org".into());
    let e = vendors::build(&c).err().unwrap();
    assert_eq!(e.to_string(), "backend `deepl`: `base_url` is not an http(s) URL: ftp://example.org");
    assert!(std::error::Error::source(&e).is_none(), "a URL that parses has no cause: {e:?}");
    let mut c = config("AUDARMA_T_DEEPL_CFG", "http://127.0.0.1:9");
    c.folder_id = Some("b1g".into());
    assert_eq!(vendors::build(&c).err().unwrap().to_string(), "backend `deepl`: `folder_id` is not used by this kind");
}

#[test]
fn supports_every_pair_and_stores_glossaries_for_en_ru_only() {
    let v = vendors::build(&config("AUDARMA_T_DEEPL_PAIRS", "http://127.0.0.1:9")).unwrap();
    for s in Lang::ALL {
        for t in s.others() {
            assert!(v.supports(s, t));
            let stored = matches!((s, t), (Lang::En, Lang::Ru) | (Lang::Ru, Lang::En));
            let want = if stored { GlossarySupport::Stored } else { GlossarySupport::None };
            assert_eq!(v.glossary(s, t), want, "{s}→{t}");
        }
    }
    assert_eq!(v.limits().max_segments, 50);
    assert!(v.limits().max_bytes <= 128 * 1024);
}

#[tokio::test]
async fn a_stored_glossary_is_created_once_per_content_and_used_by_requests() {
    let server = MockServer::start().await;
    let tsv = "Head of State\tГлава государства\nOSCE\tОБСЕ\n";
    Mock::given(method("GET"))
        .and(path("/v2/glossaries"))
        .and(header("authorization", format!("DeepL-Auth-Key {KEY}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"glossaries": [
            {"glossary_id": "old-1", "name": "audarma-en-ru-0000000000000000", "ready": true}
        ]})))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v2/glossaries"))
        .and(body_partial_json(
            json!({"source_lang": "en", "target_lang": "ru", "entries": tsv, "entries_format": "tsv"}),
        ))
        .respond_with(
            ResponseTemplate::new(201).set_body_json(json!({"glossary_id": "g-42", "name": "x", "ready": true})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/v2/glossaries/old-1"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v2/translate"))
        .and(body_partial_json(json!({"glossary_id": "g-42", "source_lang": "EN"})))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(
                json!({"translations": [{"text": "Глава государства.", "detected_source_language": "EN"}]}),
            ),
        )
        .expect(1)
        .mount(&server)
        .await;
    let v = vendors::build(&config("AUDARMA_T_DEEPL_GLOSSARY", &server.uri())).unwrap();
    assert_eq!(v.glossary(Lang::En, Lang::Ru), GlossarySupport::Stored);
    assert_eq!(v.glossary(Lang::En, Lang::Kk), GlossarySupport::None);
    // Duplicates and terms with tabs are left out; kk pairs are not stored at all.
    let entries = vec![
        ("Head of State".to_string(), "Глава государства".to_string()),
        ("OSCE".to_string(), "ОБСЕ".to_string()),
        ("OSCE".to_string(), "Организация".to_string()),
        ("bad\tterm".to_string(), "x".to_string()),
    ];
    v.prepare_glossary(Lang::En, Lang::Ru, &entries).await.unwrap();
    v.prepare_glossary(Lang::En, Lang::Kk, &entries).await.unwrap();
    let out = v.call(&request(Lang::En, Lang::Ru, &["Head of State."])).await.unwrap();
    assert_eq!(out.texts, ["Глава государства."]);

    // A second run with the same content finds the glossary by name and creates nothing.
    let name = {
        let reqs = server.received_requests().await.unwrap();
        let post = reqs.iter().find(|r| r.method.as_str() == "POST" && r.url.path() == "/v2/glossaries").unwrap();
        serde_json::from_slice::<serde_json::Value>(&post.body).unwrap()["name"].as_str().unwrap().to_string()
    };
    assert!(name.starts_with("audarma-en-ru-"), "{name}");
    server.reset().await;
    Mock::given(method("GET"))
        .and(path("/v2/glossaries"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"glossaries": [{"glossary_id": "g-42", "name": name}]})),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v2/glossaries"))
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .mount(&server)
        .await;
    let v2 = vendors::build(&config("AUDARMA_T_DEEPL_GLOSSARY2", &server.uri())).unwrap();
    v2.prepare_glossary(Lang::En, Lang::Ru, &entries).await.unwrap();
}
