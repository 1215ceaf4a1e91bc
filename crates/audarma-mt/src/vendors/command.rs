//! The `command` backend: any local program as a translation engine, one process per call.
//!
//! `command = ["program", "arg", …]` is started once per [`Vendor::call`] (no shell), with the
//! environment of audarma.
//!
//! **Protocol** (UTF-8 JSON Lines):
//!
//! - stdin: one line per text, then stdin is closed:
//!   `{"id":1,"source":"en","target":"kk","text":"…","terms":[{"source":"…","target":"…"}]}`.
//!   `id` counts from 1 in batch order. `terms` are the batch's glossary terms whose source form
//!   occurs in this text (case-insensitively), with the preferred target form; the engine should use
//!   the target term, inflected as the target grammar requires. Placeholders such as `⟦1⟧` in `text`
//!   must come back unchanged. On a repair round a line also carries `"repair":"<the violations>"`.
//! - stdout: one line per text, in any order: `{"id":1,"translation":"…"}`, or `{"id":1,"error":"…"}`
//!   when the engine cannot translate that text. Blank lines are ignored; anything else is malformed.
//! - stderr: free text, for the engine's diagnostics.
//! - exit status 0. A non-zero exit is fatal, with the first non-empty line of stderr as the message.
//!
//! Outcomes: the process not finishing within `timeout_secs` (default 30) is killed and the call is
//! retryable; an `error` line is fatal (naming the segment); a missing, repeated or unknown id, or a
//! line that is not such an object, is malformed; a program that cannot be started is fatal.
//!
//! The process is run with `std::process` on a blocking thread (the crate's tokio has no `process`
//! feature), polling for its exit so the timeout can kill it.

use super::common::{self, DEFAULT_TIMEOUT_SECS};
use crate::{BackendConfig, CallError, ConfigError, GlossarySupport, Limits, Vendor, VendorRequest, VendorResponse};
use async_trait::async_trait;
use audarma_core::Lang;
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::process::{ExitStatus, Stdio};
use std::time::{Duration, Instant};

#[derive(Debug)]
pub struct Command {
    program: String,
    args: Vec<String>,
    timeout: Duration,
    model: Option<String>,
}

impl Command {
    pub fn new(config: &BackendConfig) -> Result<Self, ConfigError> {
        common::only(config, &["command", "model"])?;
        let argv = config.command.as_ref().ok_or_else(|| common::required(config, "command"))?;
        let (program, args) = match argv.split_first() {
            Some((p, rest)) if !p.trim().is_empty() => (p.clone(), rest.to_vec()),
            _ => return Err(common::invalid(config, "command", "must name a program")),
        };
        let secs = config.timeout_secs.unwrap_or(DEFAULT_TIMEOUT_SECS);
        if secs == 0 {
            return Err(common::invalid(config, "timeout_secs", "must be at least 1"));
        }
        let model = common::non_empty(config, "model", &config.model)?;
        Ok(Command { program, args, timeout: Duration::from_secs(secs), model })
    }
}

/// The stdin of one call, one JSON line per text.
pub fn input_lines(request: &VendorRequest) -> String {
    let mut out = String::new();
    for (i, text) in request.texts.iter().enumerate() {
        let folded = text.to_lowercase();
        let terms: Vec<Value> = request
            .terms
            .iter()
            .filter(|t| !t.dnt && !t.source.trim().is_empty() && folded.contains(&t.source.trim().to_lowercase()))
            .map(|t| json!({"source": t.source, "target": t.target}))
            .collect();
        let mut line = json!({
            "id": i + 1,
            "source": request.source.code(),
            "target": request.target.code(),
            "text": text,
            "terms": terms,
        });
        if let Some(v) = request.repair.as_ref().and_then(|r| r.get(i)).filter(|v| !v.trim().is_empty()) {
            line["repair"] = json!(v);
        }
        out.push_str(&line.to_string());
        out.push('\n');
    }
    out
}

/// The translations of the engine's stdout, in id order.
pub fn parse_output(stdout: &str, n: usize) -> Result<Vec<String>, CallError> {
    let malformed = |message: String| CallError::Malformed { message };
    let mut out: Vec<Option<String>> = vec![None; n];
    let mut errors = Vec::new();
    for (no, line) in stdout.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let v: Value = serde_json::from_str(line)
            .map_err(|e| malformed(format!("output line {} is not JSON: {e}: {}", no + 1, common::excerpt(line))))?;
        let id = v
            .get("id")
            .and_then(Value::as_u64)
            .and_then(|id| usize::try_from(id).ok())
            .ok_or_else(|| malformed(format!("output line {} has no integer `id`", no + 1)))?;
        if !(1..=n).contains(&id) {
            return Err(malformed(format!("unexpected segment id {id} (expected 1..={n})")));
        }
        if out[id - 1].is_some() {
            return Err(malformed(format!("segment id {id} appears twice")));
        }
        if let Some(t) = v.get("translation").and_then(Value::as_str) {
            out[id - 1] = Some(t.to_string());
        } else if let Some(e) = v.get("error") {
            let e = e.as_str().map(str::to_string).unwrap_or_else(|| e.to_string());
            errors.push(format!("segment {id}: {}", common::excerpt(&e)));
            out[id - 1] = Some(String::new());
        } else {
            return Err(malformed(format!("segment id {id} has neither `translation` nor `error`")));
        }
    }
    let missing: Vec<String> =
        out.iter().enumerate().filter(|(_, t)| t.is_none()).map(|(i, _)| (i + 1).to_string()).collect();
    if !missing.is_empty() {
        return Err(malformed(format!("missing segment ids {}", missing.join(", "))));
    }
    if !errors.is_empty() {
        return Err(CallError::Fatal { message: format!("the engine failed: {}", errors.join("; ")) });
    }
    Ok(out.into_iter().flatten().collect())
}

struct Finished {
    status: ExitStatus,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
}

fn reader<R: Read + Send + 'static>(pipe: Option<R>) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(mut p) = pipe {
            let _ = p.read_to_end(&mut buf);
        }
        buf
    })
}

/// Runs the program to its end or the timeout (blocking).
fn run(program: &str, args: &[String], input: Vec<u8>, timeout: Duration) -> Result<Finished, CallError> {
    let mut child = std::process::Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| CallError::Fatal { message: format!("cannot start `{program}`: {e}") })?;
    let stdin = child.stdin.take();
    let writer = std::thread::spawn(move || {
        if let Some(mut s) = stdin {
            // An engine that exits without reading everything is judged by its exit status.
            let _ = s.write_all(&input);
        }
    });
    let stdout = reader(child.stdout.take());
    let stderr = reader(child.stderr.take());
    let deadline = Instant::now() + timeout;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(CallError::Retryable {
                    message: format!("`{program}` did not finish within {} s", timeout.as_secs()),
                    retry_after: None,
                });
            }
            // This loop runs on the blocking pool (`spawn_blocking`), never on a runtime worker.
            #[allow(clippy::disallowed_methods)]
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(e) => {
                let _ = child.kill();
                return Err(CallError::Fatal { message: format!("cannot wait for `{program}`: {e}") });
            }
        }
    };
    let _ = writer.join();
    let stdout = stdout.join().unwrap_or_default();
    let stderr = stderr.join().unwrap_or_default();
    Ok(Finished { status, stdout, stderr })
}

#[async_trait]
impl Vendor for Command {
    fn name(&self) -> &str {
        "command"
    }

    fn model(&self) -> Option<&str> {
        self.model.as_deref()
    }

    fn limits(&self) -> Limits {
        Limits::default()
    }

    fn supports(&self, source: Lang, target: Lang) -> bool {
        source != target
    }

    fn glossary(&self, _source: Lang, _target: Lang) -> GlossarySupport {
        GlossarySupport::Inline
    }

    async fn call(&self, request: &VendorRequest) -> Result<VendorResponse, CallError> {
        let input = input_lines(request).into_bytes();
        let (program, args, timeout) = (self.program.clone(), self.args.clone(), self.timeout);
        let done = tokio::task::spawn_blocking(move || run(&program, &args, input, timeout))
            .await
            .map_err(|e| CallError::Fatal { message: format!("the engine task failed: {e}") })??;
        if !done.status.success() {
            let stderr = String::from_utf8_lossy(&done.stderr);
            let first = stderr.lines().map(str::trim).find(|l| !l.is_empty());
            let status = match done.status.code() {
                Some(c) => format!("exit status {c}"),
                None => "killed by a signal".to_string(),
            };
            let message = match first {
                Some(l) => format!("`{}` failed ({status}): {}", self.program, common::excerpt(l)),
                None => format!("`{}` failed ({status})", self.program),
            };
            return Err(CallError::Fatal { message });
        }
        let stdout = String::from_utf8(done.stdout)
            .map_err(|_| CallError::Malformed { message: "the engine's output is not UTF-8".into() })?;
        let texts = parse_output(&stdout, request.texts.len())?;
        Ok(VendorResponse { texts, billed_chars: None, tokens: None })
    }
}
