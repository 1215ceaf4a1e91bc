//! Contract tests of the Google Cloud Translation vendor (v2 and v3) against a local stub server.

use audarma_core::Lang;
use audarma_mt::vendors::{self, google::Google};
use audarma_mt::{BackendConfig, BackendKind, CallError, GlossarySupport, VendorRequest};
use serde_json::{json, Value};
use std::time::Duration;
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "AIzaTestSecret-5d6e7f";

fn config(var: &str, base: &str) -> BackendConfig {
    std::env::set_var(var, KEY);
    let mut c = BackendConfig::of(BackendKind::Google);
    c.base_url = Some(base.to_string());
    c.api_key_env = Some(var.to_string());
    c
}

fn v3(var: &str, base: &str) -> BackendConfig {
    let mut c = config(var, base);
    c.api_version = Some("v3".into());
    c.project = Some("gov-kz".into());
    c
}

fn request(texts: &[&str]) -> VendorRequest {
    VendorRequest {
        source: Lang::Ru,
        target: Lang::Kk,
        texts: texts.iter().map(|t| t.to_string()).collect(),
        terms: vec![],
        repair: None,
    }
}

#[tokio::test]
async fn v2_sends_the_documented_request() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/language/translate/v2"))
        .and(query_param("key", KEY))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({"q": ["Министр ⟦1⟧.", "Второе."], "source": "ru", "target": "kk", "format": "text"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": {"translations": [{"translatedText": "Министр ⟦1⟧."}, {"translatedText": "Екінші."}]}
        })))
        .expect(1)
        .mount(&server)
        .await;
    let v = vendors::build(&config("AUDARMA_T_G2_OK", &server.uri())).unwrap();
    assert_eq!(v.glossary(Lang::Ru, Lang::Kk), GlossarySupport::None);
    assert_eq!(v.limits().max_segments, 128);
    let out = v.call(&request(&["Министр ⟦1⟧.", "Второе."])).await.unwrap();
    assert_eq!(out.texts, vec!["Министр ⟦1⟧.", "Екінші."]);
    let received = server.received_requests().await.unwrap();
    assert!(received[0].headers.get("authorization").is_none());
}

#[tokio::test]
async fn v3_sends_the_documented_request() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v3/projects/gov-kz/locations/global:translateText"))
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({
            "contents": ["Министр."],
            "sourceLanguageCode": "ru",
            "targetLanguageCode": "kk",
            "mimeType": "text/plain",
            "model": "projects/gov-kz/locations/global/models/general/nmt",
        })))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"translations": [{"translatedText": "Министр."}]})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let mut c = v3("AUDARMA_T_G3_OK", &server.uri());
    c.model = Some("general/nmt".into());
    let v = vendors::build(&c).unwrap();
    assert_eq!(v.call(&request(&["Министр."])).await.unwrap().texts, vec!["Министр."]);
    let received = server.received_requests().await.unwrap();
    assert!(received[0].url.query().is_none(), "v3 must not put the token in the query");
}

#[tokio::test]
async fn v3_with_a_glossary_reads_glossary_translations() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v3/projects/gov-kz/locations/us-central1:translateText"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "translations": [{"translatedText": "plain"}],
            "glossaryTranslations": [{"translatedText": "with glossary"}]
        })))
        .mount(&server)
        .await;
    let mut c = v3("AUDARMA_T_G3_GL", &server.uri());
    c.location = Some("us-central1".into());
    c.glossary_id = Some("press-terms".into());
    let v = vendors::build(&c).unwrap();
    assert_eq!(v.glossary(Lang::Ru, Lang::Kk), GlossarySupport::Stored);
    assert_eq!(v.call(&request(&["x"])).await.unwrap().texts, vec!["with glossary"]);
    let received = server.received_requests().await.unwrap();
    let body: Value = serde_json::from_slice(&received[0].body).unwrap();
    assert_eq!(
        body["glossaryConfig"],
        json!({"glossary": "projects/gov-kz/locations/us-central1/glossaries/press-terms"})
    );
}

async fn error_for(
    c: BackendConfig,
    server: &MockServer,
    status: u16,
    body: Value,
    retry_after: Option<&str>,
) -> CallError {
    let mut t = ResponseTemplate::new(status).set_body_json(body);
    if let Some(r) = retry_after {
        t = t.insert_header("Retry-After", r);
    }
    server.reset().await;
    Mock::given(method("POST")).respond_with(t).mount(server).await;
    let v = vendors::build(&c).unwrap();
    let e = v.call(&request(&["a"])).await.unwrap_err();
    assert!(!e.to_string().contains(KEY), "key leaked: {e}");
    e
}

fn gerr(code: u16, message: &str, status: &str) -> Value {
    json!({"error": {"code": code, "message": message, "status": status}})
}

#[tokio::test]
async fn error_shapes_map_to_call_errors() {
    let server = MockServer::start().await;
    let c2 = config("AUDARMA_T_G_ERR2", &server.uri());
    let c3 = v3("AUDARMA_T_G_ERR3", &server.uri());
    match error_for(c3.clone(), &server, 429, gerr(429, "Quota exceeded", "RESOURCE_EXHAUSTED"), Some("5")).await {
        CallError::Retryable { retry_after, .. } => assert_eq!(retry_after, Some(Duration::from_secs(5))),
        e => panic!("{e:?}"),
    }
    let user_rate = json!({"error": {"code": 403, "message": "User Rate Limit Exceeded", "errors": [{"message": "User Rate Limit Exceeded", "domain": "usageLimits", "reason": "userRateLimitExceeded"}]}});
    assert!(matches!(error_for(c2.clone(), &server, 403, user_rate, None).await, CallError::Retryable { .. }));
    let daily = json!({"error": {"code": 403, "message": "Daily Limit Exceeded", "errors": [{"message": "Daily Limit Exceeded", "domain": "usageLimits", "reason": "dailyLimitExceeded"}]}});
    assert!(matches!(error_for(c2.clone(), &server, 403, daily, None).await, CallError::Quota { .. }));
    match error_for(
        c3.clone(),
        &server,
        403,
        gerr(403, "Cloud Translation API has not been used in project", "PERMISSION_DENIED"),
        None,
    )
    .await
    {
        CallError::Fatal { message } => assert!(message.contains("authentication failed"), "{message}"),
        e => panic!("{e:?}"),
    }
    assert!(matches!(
        error_for(
            c3.clone(),
            &server,
            401,
            gerr(401, "Request had invalid authentication credentials.", "UNAUTHENTICATED"),
            None
        )
        .await,
        CallError::Fatal { .. }
    ));
    // A v2 key error echoes nothing secret, but a server that did would be redacted.
    match error_for(c2.clone(), &server, 400, gerr(400, &format!("API key not valid: {KEY}"), "INVALID_ARGUMENT"), None)
        .await
    {
        CallError::Fatal { message } => assert!(message.contains("API key not valid: ***"), "{message}"),
        e => panic!("{e:?}"),
    }
    assert!(matches!(
        error_for(c3.clone(), &server, 500, gerr(500, "Internal error", "INTERNAL"), None).await,
        CallError::Retryable { .. }
    ));
    assert!(matches!(
        error_for(c3, &server, 503, gerr(503, "The service is currently unavailable.", "UNAVAILABLE"), None).await,
        CallError::Retryable { .. }
    ));
}

#[tokio::test]
async fn v2_transport_errors_do_not_show_the_key_in_the_url() {
    let v = vendors::build(&config("AUDARMA_T_G_CONN", "http://127.0.0.1:9")).unwrap();
    let e = v.call(&request(&["a"])).await.unwrap_err();
    assert!(matches!(e, CallError::Retryable { .. }), "{e:?}");
    assert!(!e.to_string().contains(KEY), "{e}");
}

#[test]
fn configuration_errors_and_debug() {
    let mut c = config("AUDARMA_T_G_CFG", "http://127.0.0.1:9");
    c.api_version = Some("v3".into());
    assert_eq!(vendors::build(&c).err().unwrap().to_string(), "backend `google`: `project` is required");
    c.project = Some("p".into());
    c.glossary_id = Some("g".into());
    assert!(vendors::build(&c).err().unwrap().to_string().contains("`glossary_id` needs a regional `location`"));
    let mut c = config("AUDARMA_T_G_CFG2", "http://127.0.0.1:9");
    c.project = Some("p".into());
    assert_eq!(
        vendors::build(&c).err().unwrap().to_string(),
        "backend `google`: `project` is only used with api_version \"v3\""
    );
    let mut c = config("AUDARMA_T_G_CFG3", "http://127.0.0.1:9");
    c.folder_id = Some("f".into());
    assert_eq!(vendors::build(&c).err().unwrap().to_string(), "backend `google`: `folder_id` is not used by this kind");
    let mut c = config("AUDARMA_T_G_CFG4", "http://127.0.0.1:9");
    c.api_version = Some("v4".into());
    assert!(vendors::build(&c).err().unwrap().to_string().starts_with("backend `google`: `api_version`"));
    let d = format!("{:?}", Google::new(&config("AUDARMA_T_G_DBG", "http://127.0.0.1:9")).unwrap());
    assert!(!d.contains(KEY), "{d}");
    let d = format!("{:?}", Google::new(&v3("AUDARMA_T_G_DBG3", "http://127.0.0.1:9")).unwrap());
    assert!(!d.contains(KEY), "{d}");
}
