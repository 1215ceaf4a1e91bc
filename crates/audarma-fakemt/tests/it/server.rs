//! The fake server in-process on 127.0.0.1:0, driven with reqwest.

use audarma_fakemt::{spawn, FakeConfig, RateLimit, RunningFake};
use reqwest::{Client, Response, StatusCode};
use serde_json::{json, Value};
use std::time::Duration;

const TEXT: &str = "Minister ⟦1⟧ met ⟦2⟧ in Astana on 12 May.";

async fn start(config: FakeConfig) -> (RunningFake, Client) {
    let fake = spawn(config).await.expect("server starts");
    (fake, Client::new())
}

async fn deepl(c: &Client, fake: &RunningFake, body: Value) -> Response {
    c.post(format!("{}/v2/translate", fake.url()))
        .header("Authorization", "DeepL-Auth-Key test:fx")
        .json(&body)
        .send()
        .await
        .expect("request")
}

async fn yandex(c: &Client, fake: &RunningFake, body: Value) -> Response {
    c.post(format!("{}/translate/v2/translate", fake.url()))
        .header("Authorization", "Api-Key test")
        .json(&body)
        .send()
        .await
        .expect("request")
}

fn chat_body(segments: Value) -> Value {
    json!({
        "model": "fake-llm",
        "temperature": 0,
        "messages": [
            {"role": "system", "content": "You translate press releases from English into Kazakh. Keep ⟦n⟧ placeholders."},
            {"role": "user", "content": format!("Translate these segments:\n{}", json!({"segments": segments}))},
        ],
    })
}

async fn openai(c: &Client, fake: &RunningFake, body: Value) -> Response {
    c.post(format!("{}/v1/chat/completions", fake.url()))
        .header("Authorization", "Bearer sk-test")
        .json(&body)
        .send()
        .await
        .expect("request")
}

async fn json_of(r: Response) -> Value {
    r.json().await.expect("JSON body")
}

#[tokio::test]
async fn deepl_success_shape() {
    let (fake, c) = start(FakeConfig::default()).await;
    let r = deepl(&c, &fake, json!({"text": [TEXT, "Әкім"], "target_lang": "RU"})).await;
    assert_eq!(r.status(), StatusCode::OK);
    let v = json_of(r).await;
    assert_eq!(
        v,
        json!({"translations": [
            {"detected_source_language": "EN", "text": "⟦ru⟧ Министер ⟦1⟧ мет ⟦2⟧ ин Астана он 12 Май.", "billed_characters": 41},
            {"detected_source_language": "KK", "text": "⟦ru⟧ Әкім", "billed_characters": 4},
        ]})
    );
    let r = deepl(&c, &fake, json!({"text": ["Әкім ⟦1⟧"], "target_lang": "EN-GB", "source_lang": "KK"})).await;
    assert_eq!(json_of(r).await["translations"][0]["text"], "⟦en⟧ Akim ⟦1⟧");
}

#[tokio::test]
async fn deepl_validation() {
    let (fake, c) = start(FakeConfig::default()).await;
    let url = format!("{}/v2/translate", fake.url());
    // No auth header → 403 {"message"}.
    let r = c.post(&url).json(&json!({"text": ["a"], "target_lang": "KK"})).send().await.expect("request");
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(json_of(r).await["message"].is_string());
    // auth_key in the body is not accepted any more.
    let r =
        c.post(&url).json(&json!({"text": ["a"], "target_lang": "KK", "auth_key": "k"})).send().await.expect("request");
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // Plain EN as a target, text as a string, missing target, glossary without source.
    for body in [
        json!({"text": ["a"], "target_lang": "EN"}),
        json!({"text": "a", "target_lang": "KK"}),
        json!({"text": ["a"]}),
        json!({"text": ["a"], "target_lang": "RU", "glossary_id": "g"}),
        json!({"text": ["a"], "target_lang": "KK", "source_lang": "EN", "glossary_id": "g"}),
    ] {
        let r = deepl(&c, &fake, body.clone()).await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{body}");
        assert!(json_of(r).await["message"].is_string());
    }
    let s = fake.stats();
    assert_eq!((s.rejected.auth, s.rejected.bad_request, s.translated), (2, 5, 0));
}

#[tokio::test]
async fn yandex_success_and_errors() {
    let (fake, c) = start(FakeConfig::default()).await;
    let r = yandex(&c, &fake, json!({"texts": [TEXT], "targetLanguageCode": "kk", "folderId": "b1g"})).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        json_of(r).await,
        json!({"translations": [{"text": "⟦kk⟧ Министер ⟦1⟧ мет ⟦2⟧ ин Астана он 12 Май.", "detectedLanguageCode": "en"}]})
    );
    // Bearer works too.
    let r = c
        .post(format!("{}/translate/v2/translate", fake.url()))
        .header("Authorization", "Bearer t1.iam")
        .json(&json!({"texts": ["Сәлем"], "targetLanguageCode": "en"}))
        .send()
        .await
        .expect("request");
    assert_eq!(json_of(r).await["translations"][0]["text"], "⟦en⟧ Salem");
    // No auth → 401 with gRPC code 16.
    let r = c
        .post(format!("{}/translate/v2/translate", fake.url()))
        .json(&json!({"texts": ["a"], "targetLanguageCode": "kk"}))
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let v = json_of(r).await;
    assert_eq!((v["code"].clone(), v["details"].clone()), (json!(16), json!([])));
    // Over 10,000 characters, missing target, glossary en→kk → 400 code 3.
    let glossary = json!({"glossaryData": {"glossaryPairs": [{"sourceText": "akim", "translatedText": "әкім"}]}});
    for body in [
        json!({"texts": ["x".repeat(10_001)], "targetLanguageCode": "kk"}),
        json!({"texts": ["a"]}),
        json!({"texts": ["a"], "targetLanguageCode": "kk", "sourceLanguageCode": "en", "glossaryConfig": glossary}),
        json!({"texts": ["a"], "targetLanguageCode": "kk", "glossaryConfig": glossary}),
    ] {
        let r = yandex(&c, &fake, body.clone()).await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(json_of(r).await["code"], 3);
    }
    // ru→kk with a glossary is fine.
    let r = yandex(
        &c,
        &fake,
        json!({"texts": ["аким"], "targetLanguageCode": "kk", "sourceLanguageCode": "ru", "glossaryConfig": glossary}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
}

#[tokio::test]
async fn openai_success_shape() {
    let (fake, c) = start(FakeConfig::default()).await;
    let r = openai(&c, &fake, chat_body(json!([{"id": 1, "text": TEXT}, {"id": 2, "text": "Thanks."}]))).await;
    assert_eq!(r.status(), StatusCode::OK);
    let v = json_of(r).await;
    assert_eq!(v["object"], "chat.completion");
    assert_eq!(v["model"], "fake-llm");
    assert_eq!(v["choices"][0]["finish_reason"], "stop");
    assert_eq!(v["choices"][0]["message"]["role"], "assistant");
    let content: Value =
        serde_json::from_str(v["choices"][0]["message"]["content"].as_str().expect("content")).expect("content JSON");
    assert_eq!(
        content,
        json!({"segments": [
            {"id": 1, "translation": "⟦kk⟧ Министер ⟦1⟧ мет ⟦2⟧ ин Астана он 12 Май."},
            {"id": 2, "translation": "⟦kk⟧ Тханкс."},
        ]})
    );
    let u = &v["usage"];
    assert!(u["prompt_tokens"].as_u64().expect("prompt") > 10);
    assert_eq!(
        u["total_tokens"].as_u64(),
        Some(u["prompt_tokens"].as_u64().unwrap_or(0) + u["completion_tokens"].as_u64().unwrap_or(0))
    );

    // Missing key → 401 in OpenAI's shape.
    let r = c
        .post(format!("{}/v1/chat/completions", fake.url()))
        .json(&chat_body(json!([{"id": 1, "text": "a"}])))
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let v = json_of(r).await;
    assert_eq!(v["error"]["type"], "invalid_request_error");
    assert!(v["error"]["param"].is_null());
    // No segments object → 400.
    let r = openai(&c, &fake, json!({"model": "m", "messages": [{"role": "user", "content": "hello"}]})).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn no_auth_mode_accepts_keyless_requests() {
    let (fake, c) = start(FakeConfig { require_auth: false, ..FakeConfig::default() }).await;
    let r = c
        .post(format!("{}/v1/chat/completions", fake.url()))
        .json(&chat_body(json!([{"id": "a", "text": "x"}])))
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), StatusCode::OK);
}

#[tokio::test]
async fn quota_after_n_characters() {
    let (fake, c) = start(FakeConfig { quota_chars: Some(10), ..FakeConfig::default() }).await;
    let body = json!({"text": ["12345"], "target_lang": "KK"});
    for _ in 0..2 {
        assert_eq!(deepl(&c, &fake, body.clone()).await.status(), StatusCode::OK);
    }
    let r = deepl(&c, &fake, body.clone()).await;
    assert_eq!(r.status().as_u16(), 456);
    assert_eq!(json_of(r).await, json!({"message": "Quota exceeded"}));
    // The other protocols share the quota and answer in their own shapes.
    let r = openai(&c, &fake, chat_body(json!([{"id": 1, "text": "a"}]))).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(json_of(r).await["error"]["code"], "insufficient_quota");
    let r = yandex(&c, &fake, json!({"texts": ["a"], "targetLanguageCode": "ru"})).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(json_of(r).await["code"], 8);
    let s = fake.stats();
    assert_eq!((s.characters, s.faults.quota), (10, 3));
}

#[tokio::test]
async fn rate_limit_gives_429_with_retry_after() {
    let config = FakeConfig { rate_limit: Some(RateLimit { per_second: 2.0 }), ..FakeConfig::default() };
    let (fake, c) = start(config).await;
    let body = json!({"text": ["a"], "target_lang": "RU"});
    let mut statuses = Vec::new();
    let mut retry_after = None;
    for _ in 0..4 {
        let r = deepl(&c, &fake, body.clone()).await;
        statuses.push(r.status().as_u16());
        if r.status() == StatusCode::TOO_MANY_REQUESTS {
            retry_after = r.headers().get("retry-after").and_then(|v| v.to_str().ok()).map(str::to_string);
            assert_eq!(json_of(r).await, json!({"message": "Too many requests"}));
        }
    }
    assert_eq!(&statuses[..2], &[200, 200]);
    assert!(statuses[2..].contains(&429), "{statuses:?}");
    assert_eq!(retry_after.as_deref(), Some("1"));
    assert!(fake.stats().faults.rate_limited >= 1);
}

#[tokio::test]
async fn malformed_rate_one_gives_invalid_json() {
    let (fake, c) = start(FakeConfig { malformed_rate: 1.0, ..FakeConfig::default() }).await;
    let responses = [
        deepl(&c, &fake, json!({"text": [TEXT], "target_lang": "KK"})).await,
        yandex(&c, &fake, json!({"texts": [TEXT], "targetLanguageCode": "kk"})).await,
        openai(&c, &fake, chat_body(json!([{"id": 1, "text": TEXT}]))).await,
    ];
    for r in responses {
        assert_eq!(r.status(), StatusCode::OK);
        let text = r.text().await.expect("body");
        assert!(serde_json::from_str::<Value>(&text).is_err(), "{text}");
    }
    assert_eq!(fake.stats().faults.malformed, 3);
}

#[tokio::test]
async fn drop_placeholder_rate_one_drops_one() {
    let (fake, c) = start(FakeConfig { drop_placeholder_rate: 1.0, ..FakeConfig::default() }).await;
    let r = deepl(&c, &fake, json!({"text": ["no placeholders", TEXT], "target_lang": "RU"})).await;
    let v = json_of(r).await;
    assert_eq!(v["translations"][0]["text"], "⟦ru⟧ но плакехолдерс");
    let t = v["translations"][1]["text"].as_str().expect("text");
    assert_eq!(t.matches('⟦').count(), 2, "one of ⟦1⟧ ⟦2⟧ is gone: {t}");
    assert!(t.contains("⟦1⟧") != t.contains("⟦2⟧"), "{t}");
    // Nothing to drop: nothing counted.
    let r = deepl(&c, &fake, json!({"text": ["plain"], "target_lang": "RU"})).await;
    assert_eq!(json_of(r).await["translations"][0]["text"], "⟦ru⟧ плаин");
    assert_eq!(fake.stats().faults.drop_placeholder, 1);

    let r = openai(&c, &fake, chat_body(json!([{"id": 7, "text": "⟦1⟧ ok"}]))).await;
    let v = json_of(r).await;
    let content: Value =
        serde_json::from_str(v["choices"][0]["message"]["content"].as_str().expect("content")).expect("content JSON");
    assert_eq!(content["segments"][0]["translation"], "⟦kk⟧  ок");
}

/// Statuses and bodies of a fixed request sequence against a fresh server.
async fn run_sequence(seed: u64) -> Vec<(u16, String)> {
    let config = FakeConfig {
        seed,
        error_rate: 0.3,
        malformed_rate: 0.2,
        drop_placeholder_rate: 0.3,
        timeout_rate: 0.1,
        timeout_sleep: Duration::from_millis(5),
        ..FakeConfig::default()
    };
    let (fake, c) = start(config).await;
    let mut out = Vec::new();
    for i in 0..30 {
        let r = deepl(&c, &fake, json!({"text": [format!("{TEXT} {}", i % 7)], "target_lang": "KK"})).await;
        out.push((r.status().as_u16(), r.text().await.expect("body")));
    }
    out
}

#[tokio::test]
async fn same_seed_same_faults() {
    let a = run_sequence(42).await;
    assert_eq!(a, run_sequence(42).await);
    assert_ne!(a, run_sequence(43).await);
    // The rates did something.
    assert!(a.iter().any(|(s, _)| *s != 200));
    assert!(a.iter().any(|(s, _)| *s == 200));
}

#[tokio::test]
async fn timeouts_sleep_and_error_rate_one_always_fails() {
    let config = FakeConfig { timeout_rate: 1.0, timeout_sleep: Duration::from_millis(300), ..FakeConfig::default() };
    let (fake, _) = start(config).await;
    let c = Client::builder().timeout(Duration::from_millis(100)).build().expect("client");
    let err = c
        .post(format!("{}/v2/translate", fake.url()))
        .header("Authorization", "DeepL-Auth-Key k")
        .json(&json!({"text": ["a"], "target_lang": "KK"}))
        .send()
        .await
        .expect_err("client times out");
    assert!(err.is_timeout());
    assert_eq!(fake.stats().faults.timeout, 1);

    let (fake, c) = start(FakeConfig { error_rate: 1.0, seed: 7, ..FakeConfig::default() }).await;
    let mut statuses = std::collections::BTreeSet::new();
    for i in 0..40 {
        let r = yandex(&c, &fake, json!({"texts": [format!("a{i}")], "targetLanguageCode": "kk"})).await;
        let status = r.status().as_u16();
        let v = json_of(r).await;
        let code = v["code"].as_u64().expect("gRPC code");
        let expected = match status {
            429 => 8,
            500 => 13,
            503 => 14,
            _ => 0,
        };
        assert_eq!(code, expected, "{status} {v}");
        statuses.insert(status);
    }
    assert_eq!(statuses.into_iter().collect::<Vec<_>>(), vec![429, 500, 503]);
    assert_eq!(fake.stats().faults.error, 40);
}

#[tokio::test]
async fn stats_and_healthz_over_http() {
    let (fake, c) = start(FakeConfig::default()).await;
    assert_eq!(c.get(format!("{}/healthz", fake.url())).send().await.expect("healthz").status(), StatusCode::OK);
    deepl(&c, &fake, json!({"text": ["abc", "de"], "target_lang": "KK"})).await;
    yandex(&c, &fake, json!({"texts": ["abcd"], "targetLanguageCode": "ru"})).await;
    openai(&c, &fake, chat_body(json!([{"id": 1, "text": "x"}]))).await;
    c.post(format!("{}/v2/translate", fake.url())).body("{}").send().await.expect("request");
    let v: Value = c.get(format!("{}/stats", fake.url())).send().await.expect("stats").json().await.expect("JSON");
    assert_eq!(v["requests"], json!({"deepl": 2, "yandex": 1, "openai": 1, "total": 4}));
    assert_eq!(v["characters"], 10);
    assert_eq!(v["segments"], 4);
    assert_eq!(v["translated"], 3);
    assert_eq!(v["rejected"]["auth"], 1);
    assert_eq!(v["faults"]["error"], 0);
    assert_eq!(serde_json::to_value(fake.stats()).expect("stats JSON"), v);
}

#[tokio::test]
async fn deepl_glossaries_are_stored_listed_and_deleted() {
    let (fake, c) = start(FakeConfig::default()).await;
    let url = format!("{}/v2/glossaries", fake.url());
    let auth = ("Authorization", "DeepL-Auth-Key test:fx");
    let created: Value = c
        .post(&url)
        .header(auth.0, auth.1)
        .json(&json!({"name": "audarma-en-ru-1", "source_lang": "en", "target_lang": "ru", "entries": "OSCE\tОБСЕ\n", "entries_format": "tsv"}))
        .send()
        .await
        .expect("create")
        .json()
        .await
        .expect("json");
    let id = created["glossary_id"].as_str().expect("id").to_string();
    let list: Value = c.get(&url).header(auth.0, auth.1).send().await.expect("list").json().await.expect("json");
    assert_eq!(list["glossaries"][0]["name"], "audarma-en-ru-1");
    let kk = c
        .post(&url)
        .header(auth.0, auth.1)
        .json(&json!({"name": "x", "source_lang": "en", "target_lang": "kk", "entries": "a\tb\n", "entries_format": "tsv"}))
        .send()
        .await
        .expect("create kk");
    assert_eq!(kk.status(), StatusCode::BAD_REQUEST);
    let del = c.delete(format!("{url}/{id}")).header(auth.0, auth.1).send().await.expect("delete");
    assert_eq!(del.status(), StatusCode::NO_CONTENT);
    assert_eq!(c.get(&url).send().await.expect("no auth").status(), StatusCode::FORBIDDEN);
}
