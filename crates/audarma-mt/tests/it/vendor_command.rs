//! Contract tests of the `command` vendor with a small Python engine written to a temp dir.

use audarma_core::Lang;
use audarma_mt::vendors::{self, command::Command};
use audarma_mt::{BackendConfig, BackendKind, CallError, GlossarySupport, TermHint, VendorRequest};
use serde_json::Value;
use std::path::PathBuf;

/// `engine.py MODE CAPTURE`: copies stdin to CAPTURE, then answers as MODE says.
const ENGINE: &str = r#"
import json, sys, time
mode, capture = sys.argv[1], sys.argv[2]
data = sys.stdin.read()
open(capture, "w", encoding="utf-8").write(data)
items = [json.loads(l) for l in data.splitlines() if l.strip()]
if mode == "fail":
    sys.stderr.write("\nmodel file not found: /models/kk.bin\nsecond line\n")
    sys.exit(3)
if mode == "slow":
    time.sleep(20)
out = []
for it in reversed(items):
    if mode == "missing" and it["id"] == 2:
        continue
    if mode == "error" and it["id"] == 2:
        out.append({"id": 2, "error": "segment too long"})
        continue
    t = "[" + it["target"] + "] " + it["text"] + "".join(" {" + x["target"] + "}" for x in it["terms"])
    out.append({"id": it["id"], "translation": t})
if mode == "garbage":
    print("Loading model...")
print()
for o in out:
    print(json.dumps(o, ensure_ascii=False))
"#;

struct Engine {
    dir: PathBuf,
}

impl Engine {
    fn new(name: &str) -> Option<Engine> {
        if std::process::Command::new("python3").arg("--version").output().is_err() {
            eprintln!("python3 not found: skipping");
            return None;
        }
        let dir = std::env::temp_dir().join(format!("audarma-vendor-command-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("engine.py"), ENGINE).unwrap();
        Some(Engine { dir })
    }

    fn config(&self, mode: &str) -> BackendConfig {
        let mut c = BackendConfig::of(BackendKind::Command);
        c.command = Some(vec![
            "python3".into(),
            self.dir.join("engine.py").to_string_lossy().into_owned(),
            mode.into(),
            self.capture().to_string_lossy().into_owned(),
        ]);
        c
    }

    fn capture(&self) -> PathBuf {
        self.dir.join("stdin.jsonl")
    }

    fn sent(&self) -> Vec<Value> {
        std::fs::read_to_string(self.capture()).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn term(source: &str, target: &str) -> TermHint {
    TermHint { id: source.to_string(), source: source.into(), target: target.into(), accepted: vec![], dnt: false }
}

fn request(texts: &[&str]) -> VendorRequest {
    VendorRequest {
        source: Lang::Ru,
        target: Lang::Kk,
        texts: texts.iter().map(|t| t.to_string()).collect(),
        terms: vec![term("Министр иностранных дел", "Сыртқы істер министрі"), term("акимат", "әкімдік")],
        repair: None,
    }
}

#[tokio::test]
async fn speaks_the_documented_protocol() {
    let Some(engine) = Engine::new("ok") else { return };
    let v = vendors::build(&engine.config("ok")).unwrap();
    assert_eq!(v.name(), "command");
    assert_eq!(v.glossary(Lang::Ru, Lang::Kk), GlossarySupport::Inline);
    let mut req = request(&["Министр иностранных дел ⟦1⟧ встретился.", "Акимат сообщил.", "Третье."]);
    req.repair = Some(vec![String::new(), "term `әкімдік` is missing".into(), String::new()]);
    let out = v.call(&req).await.unwrap();
    assert_eq!(
        out.texts,
        vec![
            "[kk] Министр иностранных дел ⟦1⟧ встретился. {Сыртқы істер министрі}",
            "[kk] Акимат сообщил. {әкімдік}",
            "[kk] Третье.",
        ]
    );
    let sent = engine.sent();
    assert_eq!(sent.len(), 3);
    assert_eq!(
        sent[0],
        serde_json::json!({
            "id": 1, "source": "ru", "target": "kk", "text": "Министр иностранных дел ⟦1⟧ встретился.",
            "terms": [{"source": "Министр иностранных дел", "target": "Сыртқы істер министрі"}]
        })
    );
    assert_eq!(sent[1]["repair"], "term `әкімдік` is missing");
    assert_eq!(sent[2]["terms"], serde_json::json!([]));
}

#[tokio::test]
async fn a_failing_engine_is_fatal_with_its_first_stderr_line() {
    let Some(engine) = Engine::new("fail") else { return };
    let v = vendors::build(&engine.config("fail")).unwrap();
    match v.call(&request(&["a"])).await.unwrap_err() {
        CallError::Fatal { message } => {
            assert!(message.contains("exit status 3"), "{message}");
            assert!(message.contains("model file not found: /models/kk.bin"), "{message}");
            assert!(!message.contains("second line"), "{message}");
        }
        e => panic!("{e:?}"),
    }
}

#[tokio::test]
async fn a_slow_engine_times_out_retryably() {
    let Some(engine) = Engine::new("slow") else { return };
    let mut c = engine.config("slow");
    c.timeout_secs = Some(1);
    let v = vendors::build(&c).unwrap();
    let started = std::time::Instant::now();
    let e = v.call(&request(&["a"])).await.unwrap_err();
    assert!(matches!(e, CallError::Retryable { .. }), "{e:?}");
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
}

#[tokio::test]
async fn missing_ids_and_garbage_are_malformed_and_errors_fatal() {
    let Some(engine) = Engine::new("bad") else { return };
    let v = vendors::build(&engine.config("missing")).unwrap();
    assert_eq!(
        v.call(&request(&["a", "b", "c"])).await.unwrap_err(),
        CallError::Malformed { message: "missing segment ids 2".into() }
    );
    let v = vendors::build(&engine.config("garbage")).unwrap();
    assert!(matches!(v.call(&request(&["a"])).await.unwrap_err(), CallError::Malformed { .. }));
    let v = vendors::build(&engine.config("error")).unwrap();
    match v.call(&request(&["a", "b"])).await.unwrap_err() {
        CallError::Fatal { message } => assert!(message.contains("segment 2: segment too long"), "{message}"),
        e => panic!("{e:?}"),
    }
}

#[tokio::test]
async fn a_missing_program_is_fatal() {
    let mut c = BackendConfig::of(BackendKind::Command);
    c.command = Some(vec!["/nonexistent/audarma-engine".into()]);
    let v = vendors::build(&c).unwrap();
    assert!(matches!(v.call(&request(&["a"])).await.unwrap_err(), CallError::Fatal { .. }));
}

#[test]
fn output_parsing() {
    use audarma_mt::vendors::command::parse_output;
    assert_eq!(
        parse_output("{\"id\":2,\"translation\":\"b\"}\n\n{\"id\":1,\"translation\":\"a\"}\n", 2).unwrap(),
        vec!["a", "b"]
    );
    assert!(matches!(
        parse_output("{\"id\":1,\"translation\":\"a\"}\n{\"id\":1,\"translation\":\"a\"}", 1),
        Err(CallError::Malformed { .. })
    ));
    assert!(matches!(parse_output("{\"id\":5,\"translation\":\"a\"}", 1), Err(CallError::Malformed { .. })));
}

#[test]
fn configuration_errors() {
    let c = BackendConfig::of(BackendKind::Command);
    assert_eq!(vendors::build(&c).err().unwrap().to_string(), "backend `command`: `command` is required");
    let mut c = BackendConfig::of(BackendKind::Command);
    c.command = Some(vec![]);
    assert_eq!(vendors::build(&c).err().unwrap().to_string(), "backend `command`: `command` must name a program");
    c.command = Some(vec!["engine".into()]);
    c.api_key_env = Some("X".into());
    assert_eq!(
        vendors::build(&c).err().unwrap().to_string(),
        "backend `command`: `api_key_env` is not used by this kind"
    );
    c.api_key_env = None;
    c.model = Some("opus-mt-ru-kk".into());
    let v = Command::new(&c).unwrap();
    assert_eq!(audarma_mt::Vendor::model(&v), Some("opus-mt-ru-kk"));
    let mut c = BackendConfig::of(BackendKind::Pseudo);
    c.command = None;
    assert!(vendors::build(&c).is_err());
}
