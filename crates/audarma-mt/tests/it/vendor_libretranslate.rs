//! Contract tests of the LibreTranslate vendor against a local stub server.

use audarma_core::Lang;
use audarma_mt::vendors::{self, libretranslate::Libretranslate};
use audarma_mt::{BackendConfig, BackendKind, CallError, GlossarySupport, VendorRequest};
use serde_json::{json, Value};
use std::time::Duration;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "libre-secret-4c2e1f";

fn config(var: Option<&str>, base: &str) -> BackendConfig {
    let mut c = BackendConfig::of(BackendKind::Libretranslate);
    c.base_url = Some(base.to_string());
    if let Some(var) = var {
        std::env::set_var(var, KEY);
        c.api_key_env = Some(var.to_string());
    }
    c
}

fn request(texts: &[&str]) -> VendorRequest {
    VendorRequest {
        source: Lang::En,
        target: Lang::Ru,
        texts: texts.iter().map(|t| t.to_string()).collect(),
        terms: vec![],
        repair: None,
    }
}

#[tokio::test]
async fn sends_the_documented_request_with_the_key_in_the_body() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/translate"))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({
            "q": ["The Minister met ⟦1⟧.", "Second."],
            "source": "en",
            "target": "ru",
            "format": "text",
            "api_key": KEY,
        })))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"translatedText": ["Министр встретился с ⟦1⟧.", "Второе."]})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let v = vendors::build(&config(Some("AUDARMA_T_LT_OK"), &server.uri())).unwrap();
    let out = v.call(&request(&["The Minister met ⟦1⟧.", "Second."])).await.unwrap();
    assert_eq!(out.texts, vec!["Министр встретился с ⟦1⟧.", "Второе."]);
    let received = server.received_requests().await.unwrap();
    assert!(received[0].headers.get("authorization").is_none());
}

#[tokio::test]
async fn without_a_key_none_is_sent_and_a_string_answer_is_accepted() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/translate"))
        .and(body_json(json!({"q": ["Hello."], "source": "en", "target": "ru", "format": "text"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"translatedText": "Привет."})))
        .expect(1)
        .mount(&server)
        .await;
    let v = vendors::build(&config(None, &server.uri())).unwrap();
    assert_eq!(v.call(&request(&["Hello."])).await.unwrap().texts, vec!["Привет."]);
}

async fn error_for(var: &str, status: u16, body: Value, retry_after: Option<&str>) -> CallError {
    let server = MockServer::start().await;
    let mut t = ResponseTemplate::new(status).set_body_json(body);
    if let Some(r) = retry_after {
        t = t.insert_header("Retry-After", r);
    }
    Mock::given(method("POST")).and(path("/translate")).respond_with(t).mount(&server).await;
    let v = vendors::build(&config(Some(var), &server.uri())).unwrap();
    let e = v.call(&request(&["a"])).await.unwrap_err();
    assert!(!e.to_string().contains(KEY), "key leaked: {e}");
    e
}

#[tokio::test]
async fn error_statuses_map_to_call_errors() {
    match error_for("AUDARMA_T_LT_429", 429, json!({"error": "Slowdown: 30 per 1 minute"}), Some("60")).await {
        CallError::Retryable { retry_after, message } => {
            assert_eq!(retry_after, Some(Duration::from_secs(60)));
            assert!(message.contains("Slowdown"), "{message}");
        }
        e => panic!("{e:?}"),
    }
    match error_for("AUDARMA_T_LT_403", 403, json!({"error": format!("Invalid API key {KEY}")}), None).await {
        CallError::Fatal { message } => assert!(message.contains("authentication failed"), "{message}"),
        e => panic!("{e:?}"),
    }
    match error_for("AUDARMA_T_LT_400", 400, json!({"error": "kk is not supported"}), None).await {
        CallError::Fatal { message } => assert!(message.contains("kk is not supported"), "{message}"),
        e => panic!("{e:?}"),
    }
    assert!(matches!(
        error_for("AUDARMA_T_LT_500", 500, json!({"error": "Cannot translate text"}), None).await,
        CallError::Retryable { .. }
    ));
}

#[tokio::test]
async fn a_short_answer_is_malformed() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/translate"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"translatedText": ["one"]})))
        .mount(&server)
        .await;
    let v = vendors::build(&config(None, &server.uri())).unwrap();
    assert!(matches!(v.call(&request(&["a", "b"])).await.unwrap_err(), CallError::Malformed { .. }));
}

#[test]
fn no_kazakh_no_glossary() {
    let v = vendors::build(&config(None, "http://127.0.0.1:9")).unwrap();
    assert!(v.supports(Lang::En, Lang::Ru));
    assert!(v.supports(Lang::Ru, Lang::En));
    for other in [Lang::En, Lang::Ru] {
        assert!(!v.supports(Lang::Kk, other));
        assert!(!v.supports(other, Lang::Kk));
    }
    assert_eq!(v.glossary(Lang::En, Lang::Ru), GlossarySupport::None);
}

#[test]
fn configuration_errors_and_debug() {
    let c = BackendConfig::of(BackendKind::Libretranslate);
    assert_eq!(vendors::build(&c).err().unwrap().to_string(), "backend `libretranslate`: `base_url` is required");
    let mut c = config(None, "http://127.0.0.1:9");
    c.model = Some("x".into());
    assert_eq!(
        vendors::build(&c).err().unwrap().to_string(),
        "backend `libretranslate`: `model` is not used by this kind"
    );
    let d = format!("{:?}", Libretranslate::new(&config(Some("AUDARMA_T_LT_DBG"), "http://127.0.0.1:9")).unwrap());
    assert!(!d.contains(KEY), "{d}");
}
