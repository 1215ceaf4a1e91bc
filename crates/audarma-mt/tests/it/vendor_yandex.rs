//! Contract tests of the Yandex Cloud Translate vendor against a local stub server.

use audarma_core::Lang;
use audarma_mt::vendors::{self, yandex::Yandex};
use audarma_mt::{BackendConfig, BackendKind, CallError, GlossarySupport, TermHint, VendorRequest};
use serde_json::{json, Value};
use std::time::Duration;
use wiremock::matchers::{body_partial_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "yandex-secret-AQVN51x";

fn config(var: &str, base: &str) -> BackendConfig {
    std::env::set_var(var, KEY);
    let mut c = BackendConfig::of(BackendKind::Yandex);
    c.base_url = Some(base.to_string());
    c.api_key_env = Some(var.to_string());
    c.folder_id = Some("b1gfolder".to_string());
    c
}

fn term(source: &str, target: &str) -> TermHint {
    TermHint { id: source.to_string(), source: source.into(), target: target.into(), accepted: vec![], dnt: false }
}

fn request(source: Lang, target: Lang, texts: &[&str], terms: Vec<TermHint>) -> VendorRequest {
    VendorRequest { source, target, texts: texts.iter().map(|t| t.to_string()).collect(), terms, repair: None }
}

fn ok_body(texts: &[&str]) -> Value {
    json!({"translations": texts.iter().map(|t| json!({"text": t, "detectedLanguageCode": "ru"})).collect::<Vec<_>>()})
}

async fn sent_body(server: &MockServer) -> Value {
    let received = server.received_requests().await.unwrap();
    serde_json::from_slice(&received.last().unwrap().body).unwrap()
}

#[tokio::test]
async fn sends_the_documented_request_with_a_glossary_for_ru_kk() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/translate/v2/translate"))
        .and(header("authorization", format!("Api-Key {KEY}").as_str()))
        .and(header("content-type", "application/json"))
        .and(body_partial_json(json!({
            "texts": ["Министр иностранных дел ⟦1⟧ провёл встречу."],
            "targetLanguageCode": "kk",
            "sourceLanguageCode": "ru",
            "format": "PLAIN_TEXT",
            "folderId": "b1gfolder",
            "glossaryConfig": {"glossaryData": {"glossaryPairs": [
                {"sourceText": "Министр иностранных дел", "translatedText": "Сыртқы істер министрі", "exact": false}
            ]}}
        })))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(ok_body(&["Сыртқы істер министрі ⟦1⟧ кездесу өткізді."])),
        )
        .expect(1)
        .mount(&server)
        .await;
    let v = vendors::build(&config("AUDARMA_T_YX_OK", &server.uri())).unwrap();
    let out = v
        .call(&request(
            Lang::Ru,
            Lang::Kk,
            &["Министр иностранных дел ⟦1⟧ провёл встречу."],
            vec![term("Министр иностранных дел", "Сыртқы істер министрі")],
        ))
        .await
        .unwrap();
    assert_eq!(out.texts, vec!["Сыртқы істер министрі ⟦1⟧ кездесу өткізді."]);
    let body = sent_body(&server).await;
    assert!(body.get("model").is_none());
    assert!(!body.to_string().contains(KEY));
}

#[tokio::test]
async fn no_glossary_for_en_kk_and_none_without_terms() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/translate/v2/translate"))
        .respond_with(ResponseTemplate::new(200).set_body_json(ok_body(&["x"])))
        .mount(&server)
        .await;
    let v = vendors::build(&config("AUDARMA_T_YX_ENKK", &server.uri())).unwrap();
    v.call(&request(Lang::En, Lang::Kk, &["Minister"], vec![term("Minister", "Министр")])).await.unwrap();
    let body = sent_body(&server).await;
    assert!(body.get("glossaryConfig").is_none(), "{body}");
    assert_eq!(body["sourceLanguageCode"], "en");
    assert_eq!(body["targetLanguageCode"], "kk");
    v.call(&request(Lang::Kk, Lang::En, &["Министр"], vec![term("Министр", "Minister")])).await.unwrap();
    assert!(sent_body(&server).await.get("glossaryConfig").is_none());
    v.call(&request(Lang::Ru, Lang::Kk, &["Министр"], vec![])).await.unwrap();
    assert!(sent_body(&server).await.get("glossaryConfig").is_none());

    assert_eq!(v.glossary(Lang::Ru, Lang::Kk), GlossarySupport::Inline);
    assert_eq!(v.glossary(Lang::Kk, Lang::Ru), GlossarySupport::Inline);
    assert_eq!(v.glossary(Lang::En, Lang::Ru), GlossarySupport::Inline);
    assert_eq!(v.glossary(Lang::Ru, Lang::En), GlossarySupport::Inline);
    assert_eq!(v.glossary(Lang::En, Lang::Kk), GlossarySupport::None);
    assert_eq!(v.glossary(Lang::Kk, Lang::En), GlossarySupport::None);
    assert!(v.supports(Lang::En, Lang::Kk));
    assert_eq!(v.limits().max_chars, 10_000);
}

#[tokio::test]
async fn the_glossary_is_capped_at_50_pairs_first_come() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/translate/v2/translate"))
        .respond_with(ResponseTemplate::new(200).set_body_json(ok_body(&["x"])))
        .mount(&server)
        .await;
    let v = vendors::build(&config("AUDARMA_T_YX_CAP", &server.uri())).unwrap();
    let mut terms: Vec<TermHint> = (0..70).map(|i| term(&format!("термин{i}"), &format!("термин{i}kk"))).collect();
    terms.insert(0, term("термин0", "термин0kk")); // a duplicate is sent once
    let mut dnt = term("NATO", "NATO");
    dnt.dnt = true;
    terms.insert(1, dnt);
    v.call(&request(Lang::Ru, Lang::Kk, &["x"], terms)).await.unwrap();
    let body = sent_body(&server).await;
    let pairs = body["glossaryConfig"]["glossaryData"]["glossaryPairs"].as_array().unwrap();
    assert_eq!(pairs.len(), 50);
    assert_eq!(pairs[0]["sourceText"], "термин0");
    assert_eq!(pairs[1]["sourceText"], "термин1");
    assert_eq!(pairs[49]["sourceText"], "термин49");
}

#[test]
fn the_glossary_keeps_to_10000_characters_per_side() {
    let long = "а".repeat(4_000);
    let terms = vec![
        term(&format!("{long}1"), "a"),
        term(&format!("{long}2"), "b"),
        term(&format!("{long}3"), "c"), // would make 12,003 source characters: skipped
        term("short", "d"),
    ];
    let pairs = audarma_mt::vendors::yandex::glossary_pairs(&terms);
    assert_eq!(pairs.len(), 3);
    assert_eq!(pairs[2]["sourceText"], "short");
}

#[tokio::test]
async fn iam_tokens_and_models_are_sent() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/translate/v2/translate"))
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
        .and(body_partial_json(json!({"model": "custom-gov-model", "folderId": "b1gfolder"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(ok_body(&["x"])))
        .expect(1)
        .mount(&server)
        .await;
    let mut c = config("AUDARMA_T_YX_IAM", &server.uri());
    c.auth = Some("iam".into());
    c.model = Some("custom-gov-model".into());
    let v = vendors::build(&c).unwrap();
    assert_eq!(v.model(), Some("custom-gov-model"));
    v.call(&request(Lang::Kk, Lang::Ru, &["x"], vec![])).await.unwrap();
}

async fn error_for(var: &str, status: u16, body: Value, retry_after: Option<&str>) -> CallError {
    let server = MockServer::start().await;
    let mut resp = ResponseTemplate::new(status).set_body_json(body);
    if let Some(r) = retry_after {
        resp = resp.insert_header("Retry-After", r);
    }
    Mock::given(method("POST")).and(path("/translate/v2/translate")).respond_with(resp).mount(&server).await;
    let v = vendors::build(&config(var, &server.uri())).unwrap();
    let e = v.call(&request(Lang::Ru, Lang::Kk, &["x"], vec![])).await.unwrap_err();
    assert!(!e.to_string().contains(KEY), "key leaked: {e}");
    e
}

fn rpc(code: i64, message: &str) -> Value {
    json!({"code": code, "message": message, "details": [{"@type": "type.googleapis.com/google.rpc.RequestInfo", "requestId": "abc"}]})
}

#[tokio::test]
async fn grpc_codes_map_to_call_errors() {
    match error_for("AUDARMA_T_YX_8", 429, rpc(8, "Quota exceeded"), Some("3")).await {
        CallError::Retryable { retry_after, message } => {
            assert_eq!(retry_after, Some(Duration::from_secs(3)));
            assert!(message.contains("RESOURCE_EXHAUSTED"), "{message}");
        }
        e => panic!("{e:?}"),
    }
    for (var, status, code) in [("AUDARMA_T_YX_14", 503, 14), ("AUDARMA_T_YX_13", 500, 13), ("AUDARMA_T_YX_4", 504, 4)]
    {
        assert!(matches!(error_for(var, status, rpc(code, "x"), None).await, CallError::Retryable { .. }), "{code}");
    }
    for (var, status, code) in [("AUDARMA_T_YX_16", 401, 16), ("AUDARMA_T_YX_7", 403, 7)] {
        match error_for(var, status, rpc(code, "Unknown api key"), None).await {
            CallError::Fatal { message } => assert!(message.contains("authentication failed"), "{message}"),
            e => panic!("{e:?}"),
        }
    }
    match error_for("AUDARMA_T_YX_3", 400, rpc(3, "unsupported target_language_code: xx"), None).await {
        CallError::Fatal { message } => assert!(message.contains("unsupported target_language_code"), "{message}"),
        e => panic!("{e:?}"),
    }
    assert!(matches!(error_for("AUDARMA_T_YX_5", 404, rpc(5, "folder"), None).await, CallError::Fatal { .. }));
    // No google.rpc.Status body: the HTTP status decides.
    assert!(matches!(
        error_for("AUDARMA_T_YX_502", 502, json!("Bad Gateway"), None).await,
        CallError::Retryable { .. }
    ));
    assert!(matches!(error_for("AUDARMA_T_YX_429", 429, json!({}), None).await, CallError::Retryable { .. }));
}

#[tokio::test]
async fn a_short_answer_is_malformed() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/translate/v2/translate"))
        .respond_with(ResponseTemplate::new(200).set_body_json(ok_body(&["one"])))
        .mount(&server)
        .await;
    let v = vendors::build(&config("AUDARMA_T_YX_SHORT", &server.uri())).unwrap();
    let e = v.call(&request(Lang::Ru, Lang::En, &["a", "b"], vec![])).await.unwrap_err();
    assert!(matches!(e, CallError::Malformed { .. }), "{e:?}");
}

#[test]
fn configuration_errors_and_debug() {
    let mut c = config("AUDARMA_T_YX_CFG", "http://127.0.0.1:9");
    c.auth = Some("iam".into());
    c.folder_id = None;
    assert_eq!(vendors::build(&c).err().unwrap().to_string(), "backend `yandex`: `folder_id` is required");
    c.auth = Some("oauth".into());
    assert!(vendors::build(&c).err().unwrap().to_string().starts_with("backend `yandex`: `auth`"));
    let mut c = config("AUDARMA_T_YX_CFG2", "http://127.0.0.1:9");
    c.temperature = Some(0.1);
    assert_eq!(
        vendors::build(&c).err().unwrap().to_string(),
        "backend `yandex`: `temperature` is not used by this kind"
    );
    let mut c = config("AUDARMA_T_YX_CFG3", "http://127.0.0.1:9");
    c.api_key_env = Some("AUDARMA_T_YX_UNSET".into());
    assert_eq!(
        vendors::build(&c).err().unwrap().to_string(),
        "backend `yandex`: environment variable AUDARMA_T_YX_UNSET (api_key_env) is not set"
    );
    let d = format!("{:?}", Yandex::new(&config("AUDARMA_T_YX_DBG", "http://127.0.0.1:9")).unwrap());
    assert!(!d.contains(KEY), "{d}");
}
