//! Contract tests of the OpenAI-compatible chat-completions vendor against a local stub server.

use audarma_core::Lang;
use audarma_mt::vendors::{self, openai::Openai};
use audarma_mt::{BackendConfig, BackendKind, CallError, GlossarySupport, TermHint, VendorRequest};
use serde_json::{json, Value};
use std::time::Duration;
use wiremock::matchers::{body_partial_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "sk-test-secret-9b8d7e";

fn config(var: Option<&str>, base: &str) -> BackendConfig {
    let mut c = BackendConfig::of(BackendKind::Openai);
    c.base_url = Some(base.to_string());
    c.model = Some("gpt-test".to_string());
    if let Some(var) = var {
        std::env::set_var(var, KEY);
        c.api_key_env = Some(var.to_string());
    }
    c
}

fn term(source: &str, target: &str) -> TermHint {
    TermHint { id: source.to_string(), source: source.into(), target: target.into(), accepted: vec![], dnt: false }
}

fn request(texts: &[&str]) -> VendorRequest {
    VendorRequest {
        source: Lang::En,
        target: Lang::Kk,
        texts: texts.iter().map(|t| t.to_string()).collect(),
        terms: vec![],
        repair: None,
    }
}

fn completion(content: Value, finish_reason: &str) -> Value {
    json!({
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 1,
        "model": "gpt-test",
        "choices": [{
            "index": 0,
            "message": {"role": "assistant", "content": content.to_string(), "refusal": null},
            "finish_reason": finish_reason
        }],
        "usage": {"prompt_tokens": 120, "completion_tokens": 30, "total_tokens": 150}
    })
}

async fn server_answering(template: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST")).and(path("/v1/chat/completions")).respond_with(template).mount(&server).await;
    server
}

async fn sent_body(server: &MockServer) -> Value {
    let received = server.received_requests().await.unwrap();
    serde_json::from_slice(&received.last().unwrap().body).unwrap()
}

#[tokio::test]
async fn sends_the_documented_request_and_reads_segments() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
        .and(header("content-type", "application/json"))
        .and(body_partial_json(json!({
            "model": "gpt-test",
            "temperature": 0.2,
            "response_format": {
                "type": "json_schema",
                "json_schema": {"name": "translations", "strict": true, "schema": {
                    "type": "object",
                    "required": ["segments"],
                    "additionalProperties": false,
                    "properties": {"segments": {"type": "array", "items": {
                        "type": "object",
                        "properties": {"id": {"type": "integer"}, "translation": {"type": "string"}},
                        "required": ["id", "translation"],
                        "additionalProperties": false
                    }}}
                }}
            }
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(completion(
            // Out of order on purpose: ids decide.
            json!({"segments": [{"id": 2, "translation": "Екінші."}, {"id": 1, "translation": "Министр ⟦1⟧ кездесті."}]}),
            "stop",
        )))
        .expect(1)
        .mount(&server)
        .await;
    let v = vendors::build(&config(Some("AUDARMA_T_OAI_OK"), &server.uri())).unwrap();
    assert_eq!(v.model(), Some("gpt-test"));
    assert_eq!(v.glossary(Lang::Ru, Lang::Kk), GlossarySupport::Prompt);
    let mut req = request(&["The Minister met ⟦1⟧.", "Second."]);
    req.terms = vec![term("Minister of Foreign Affairs", "Сыртқы істер министрі")];
    let out = v.call(&req).await.unwrap();
    assert_eq!(out.texts, vec!["Министр ⟦1⟧ кездесті.", "Екінші."]);
    assert_eq!(out.tokens, Some((120, 30)));

    let body = sent_body(&server).await;
    let messages = body["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 2);
    assert_eq!(messages[0]["role"], "system");
    assert_eq!(messages[1]["role"], "user");
    let system = messages[0]["content"].as_str().unwrap();
    assert!(system.contains("Kazakh"), "{system}");
    assert!(system.contains("Minister of Foreign Affairs → Сыртқы істер министрі"), "{system}");
    assert!(system.contains("inflect"), "{system}");
    assert!(system.contains("⟦1⟧"), "{system}");
    assert!(system.contains("«»"), "{system}");
    assert!(system.contains("JSON"), "{system}");
    let user: Value = serde_json::from_str(messages[1]["content"].as_str().unwrap()).unwrap();
    assert_eq!(user, json!({"segments": [{"id": 1, "text": "The Minister met ⟦1⟧."}, {"id": 2, "text": "Second."}]}));
}

#[tokio::test]
async fn no_key_no_authorization_header_and_temperature_is_configurable() {
    let server = server_answering(
        ResponseTemplate::new(200)
            .set_body_json(completion(json!({"segments": [{"id": 1, "translation": "x"}]}), "stop")),
    )
    .await;
    let mut c = config(None, &server.uri());
    c.temperature = Some(0.0);
    let v = vendors::build(&c).unwrap();
    v.call(&request(&["a"])).await.unwrap();
    let received = server.received_requests().await.unwrap();
    assert!(received[0].headers.get("authorization").is_none());
    assert_eq!(sent_body(&server).await["temperature"], json!(0.0));
}

#[tokio::test]
async fn the_repair_round_lists_the_violations() {
    let server = server_answering(ResponseTemplate::new(200).set_body_json(completion(
        json!({"segments": [{"id": 1, "translation": "x"}, {"id": 2, "translation": "y"}]}),
        "stop",
    )))
    .await;
    let v = vendors::build(&config(None, &server.uri())).unwrap();
    let mut req = request(&["a ⟦1⟧", "b"]);
    req.repair = Some(vec!["placeholder ⟦1⟧ is missing".into(), "term `министрі` is missing".into()]);
    v.call(&req).await.unwrap();
    let body = sent_body(&server).await;
    let user = body["messages"][1]["content"].as_str().unwrap();
    assert!(user.contains("id 1: placeholder ⟦1⟧ is missing"), "{user}");
    assert!(user.contains("id 2: term `министрі` is missing"), "{user}");
}

async fn answer_err(content: Value, finish_reason: &str, n: usize) -> CallError {
    let server = server_answering(ResponseTemplate::new(200).set_body_json(completion(content, finish_reason))).await;
    let v = vendors::build(&config(None, &server.uri())).unwrap();
    let texts: Vec<String> = (0..n).map(|i| format!("t{i}")).collect();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    v.call(&request(&refs)).await.unwrap_err()
}

#[tokio::test]
async fn ids_are_checked() {
    let e = answer_err(json!({"segments": [{"id": 1, "translation": "x"}]}), "stop", 2).await;
    assert_eq!(e, CallError::Malformed { message: "missing segment ids 2".into() });
    let e = answer_err(
        json!({"segments": [{"id": 1, "translation": "x"}, {"id": 1, "translation": "y"}, {"id": 3, "translation": "z"}]}),
        "stop",
        2,
    )
    .await;
    match e {
        CallError::Malformed { message } => {
            assert!(message.contains("segment id 1 appears twice"), "{message}");
            assert!(message.contains("unexpected segment id 3"), "{message}");
            assert!(message.contains("missing segment ids 2"), "{message}");
        }
        e => panic!("{e:?}"),
    }
    let e = answer_err(json!({"translations": ["x"]}), "stop", 1).await;
    assert!(matches!(e, CallError::Malformed { .. }), "{e:?}");
}

#[tokio::test]
async fn a_fenced_answer_is_accepted() {
    let server = MockServer::start().await;
    let mut body = completion(json!({}), "stop");
    body["choices"][0]["message"]["content"] = json!("```json\n{\"segments\":[{\"id\":1,\"translation\":\"x\"}]}\n```");
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;
    let v = vendors::build(&config(None, &server.uri())).unwrap();
    assert_eq!(v.call(&request(&["a"])).await.unwrap().texts, vec!["x"]);
}

#[tokio::test]
async fn truncation_is_malformed_and_a_refusal_is_fatal() {
    let e = answer_err(json!({"segments": [{"id": 1, "translation": "x"}]}), "length", 1).await;
    match e {
        CallError::Malformed { message } => assert!(message.contains("truncated"), "{message}"),
        e => panic!("{e:?}"),
    }

    let server = MockServer::start().await;
    let mut body = completion(json!({}), "stop");
    body["choices"][0]["message"]["content"] = Value::Null;
    body["choices"][0]["message"]["refusal"] = json!("I can't help with that.");
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;
    let v = vendors::build(&config(None, &server.uri())).unwrap();
    match v.call(&request(&["a"])).await.unwrap_err() {
        CallError::Fatal { message } => assert_eq!(message, "refused: I can't help with that."),
        e => panic!("{e:?}"),
    }
}

async fn error_for(var: &str, status: u16, body: Value, headers: &[(&str, &str)]) -> CallError {
    let mut t = ResponseTemplate::new(status).set_body_json(body);
    for (k, v) in headers {
        t = t.insert_header(*k, *v);
    }
    let server = server_answering(t).await;
    let v = vendors::build(&config(Some(var), &server.uri())).unwrap();
    let e = v.call(&request(&["a"])).await.unwrap_err();
    assert!(!e.to_string().contains(KEY), "key leaked: {e}");
    e
}

#[tokio::test]
async fn insufficient_quota_is_quota_and_a_rate_limit_is_retryable() {
    let quota = json!({"error": {"message": "You exceeded your current quota.", "type": "insufficient_quota", "param": null, "code": "insufficient_quota"}});
    assert!(matches!(error_for("AUDARMA_T_OAI_Q", 429, quota, &[]).await, CallError::Quota { .. }));
    let rate = json!({"error": {"message": "Rate limit reached for requests", "type": "requests", "param": null, "code": "rate_limit_exceeded"}});
    match error_for("AUDARMA_T_OAI_RL", 429, rate.clone(), &[("retry-after", "12")]).await {
        CallError::Retryable { retry_after, .. } => assert_eq!(retry_after, Some(Duration::from_secs(12))),
        e => panic!("{e:?}"),
    }
    match error_for("AUDARMA_T_OAI_RLMS", 429, rate, &[("retry-after-ms", "1500")]).await {
        CallError::Retryable { retry_after, .. } => assert_eq!(retry_after, Some(Duration::from_millis(1500))),
        e => panic!("{e:?}"),
    }
}

#[tokio::test]
async fn every_server_error_shape_is_understood() {
    // OpenAI context overflow.
    let openai = json!({"error": {"message": "This model's maximum context length is 8192 tokens.", "type": "invalid_request_error", "param": "messages", "code": "context_length_exceeded"}});
    match error_for("AUDARMA_T_OAI_CTX", 400, openai, &[]).await {
        CallError::Fatal { message } => assert!(message.starts_with("context length exceeded"), "{message}"),
        e => panic!("{e:?}"),
    }
    // vLLM, new nested shape with an integer code.
    let vllm = json!({"error": {"message": "This model's maximum context length is 4096 tokens. However, you requested 5000 tokens.", "type": "BadRequestError", "param": null, "code": 400}});
    match error_for("AUDARMA_T_OAI_VLLM", 400, vllm, &[]).await {
        CallError::Fatal { message } => assert!(message.starts_with("context length exceeded"), "{message}"),
        e => panic!("{e:?}"),
    }
    // vLLM, old flat shape.
    let flat = json!({"object": "error", "message": "The model `nope` does not exist.", "type": "NotFoundError", "param": null, "code": 404});
    match error_for("AUDARMA_T_OAI_FLAT", 404, flat, &[]).await {
        CallError::Fatal { message } => assert!(message.contains("The model `nope` does not exist."), "{message}"),
        e => panic!("{e:?}"),
    }
    let flat_busy = json!({"object": "error", "message": "Server overloaded", "type": "ServiceUnavailableError", "param": null, "code": 503});
    assert!(matches!(error_for("AUDARMA_T_OAI_FLAT2", 503, flat_busy, &[]).await, CallError::Retryable { .. }));
    // Ollama.
    let ollama = json!({"error": {"message": "model \"llama9\" not found, try pulling it first", "type": "not_found_error", "param": null, "code": null}});
    match error_for("AUDARMA_T_OAI_OLL", 404, ollama, &[]).await {
        CallError::Fatal { message } => assert!(message.contains("try pulling it first"), "{message}"),
        e => panic!("{e:?}"),
    }
    let ollama_api =
        json!({"error": {"message": "llm server error", "type": "api_error", "param": null, "code": null}});
    assert!(matches!(error_for("AUDARMA_T_OAI_OLL2", 500, ollama_api, &[]).await, CallError::Retryable { .. }));
    // llama.cpp: context overflow and loading.
    let llama = json!({"error": {"code": 400, "message": "the request exceeds the available context size", "type": "exceed_context_size_error", "n_prompt_tokens": 5000, "n_ctx": 4096}});
    match error_for("AUDARMA_T_OAI_LCPP", 400, llama, &[]).await {
        CallError::Fatal { message } => assert!(message.starts_with("context length exceeded"), "{message}"),
        e => panic!("{e:?}"),
    }
    let loading = json!({"error": {"code": 503, "message": "Loading model", "type": "unavailable_error"}});
    assert!(matches!(error_for("AUDARMA_T_OAI_LOAD", 503, loading, &[]).await, CallError::Retryable { .. }));
    // Authentication, with the key echoed back by the server.
    let auth = json!({"error": {"message": format!("Incorrect API key provided: {KEY}."), "type": "invalid_request_error", "param": null, "code": "invalid_api_key"}});
    match error_for("AUDARMA_T_OAI_AUTH", 401, auth, &[]).await {
        CallError::Fatal { message } => assert!(message.contains("authentication failed"), "{message}"),
        e => panic!("{e:?}"),
    }
}

#[test]
fn error_shapes_parse() {
    use audarma_mt::vendors::openai::{error_info, ErrorInfo};
    assert_eq!(
        error_info(r#"{"object":"error","message":"m","type":"t","param":null,"code":400}"#),
        ErrorInfo { message: Some("m".into()), kind: Some("t".into()), code: Some("400".into()) }
    );
    assert_eq!(error_info(r#"{"error":"model not found"}"#).message.as_deref(), Some("model not found"));
    assert_eq!(error_info("not json"), ErrorInfo::default());
}

#[test]
fn configuration_errors_and_debug() {
    let mut c = config(None, "http://127.0.0.1:9");
    c.model = None;
    assert_eq!(vendors::build(&c).err().unwrap().to_string(), "backend `openai`: `model` is required");
    let mut c = config(None, "http://127.0.0.1:9");
    c.folder_id = Some("x".into());
    assert_eq!(vendors::build(&c).err().unwrap().to_string(), "backend `openai`: `folder_id` is not used by this kind");
    let mut c = config(None, "http://127.0.0.1:9");
    c.api_key_env = Some("AUDARMA_T_OAI_UNSET".into());
    assert_eq!(
        vendors::build(&c).err().unwrap().to_string(),
        "backend `openai`: environment variable AUDARMA_T_OAI_UNSET (api_key_env) is not set"
    );
    let v = Openai::new(&config(Some("AUDARMA_T_OAI_DBG"), "http://127.0.0.1:9")).unwrap();
    let d = format!("{v:?}");
    assert!(!d.contains(KEY), "{d}");
    assert_eq!(audarma_mt::Vendor::limits(&v).max_segments, 40);
}
