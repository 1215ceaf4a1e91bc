//! The JSON body of a delivery: the same bytes on every attempt (the attempt number travels in a header),
//! so a receiver that checks the signature and the idempotency key sees one event once.

use audarma_store::{Delivery, NotifyEvent};
use serde::Serialize;

/// What a webhook is sent.
#[derive(Debug, Serialize)]
pub struct Payload<'a> {
    /// The idempotency key (also the `Idempotency-Key` header): the same for every attempt.
    pub id: String,
    /// `in_review`, `approved`, `failed`, `run_failed` or `deadline`.
    pub event: NotifyEvent,
    /// The event's number in audarma's event log.
    pub event_id: i64,
    pub workflow: &'a str,
    /// The webhook's name.
    pub webhook: &'a str,
    /// When it happened (RFC 3339, UTC) and who did it (a user, or a worker `host:pid`).
    pub at: String,
    pub actor: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub release: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_lang: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_lang: Option<&'static str>,
    /// The job's state the event left it in (or found it in, for `deadline`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<&'static str>,
    /// `failed`: the job's error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<&'a str>,
    /// `deadline`: the job's deadline (YYYY-MM-DD).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deadline: Option<&'a str>,
    /// `run_failed`: what went wrong, one line each.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problems: Option<&'a serde_json::Value>,
}

impl<'a> Payload<'a> {
    pub fn of(d: &'a Delivery) -> Payload<'a> {
        let text = |key: &str| d.detail.get(key).and_then(|v| v.as_str());
        Payload {
            id: d.idempotency_key(),
            event: d.event,
            event_id: d.event_id,
            workflow: &d.workflow,
            webhook: &d.hook,
            at: d.at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            actor: &d.actor,
            job: d.job,
            release: d.release,
            title: d.title.as_deref(),
            source_lang: d.source_lang.map(|l| l.code()),
            target_lang: d.target_lang.map(|l| l.code()),
            state: d.state.map(|s| s.as_str()),
            error: (d.event == NotifyEvent::Failed).then(|| text("error")).flatten(),
            deadline: (d.event == NotifyEvent::Deadline).then(|| text("deadline")).flatten(),
            problems: (d.event == NotifyEvent::RunFailed).then(|| d.detail.get("problems")).flatten(),
        }
    }

    /// The body's bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use audarma_core::{JobState, Lang};

    fn delivery(event: NotifyEvent, detail: serde_json::Value) -> Delivery {
        Delivery {
            id: 7,
            workflow: "demo".into(),
            hook: "chat".into(),
            event,
            event_id: 42,
            attempt: 3,
            at: chrono::DateTime::parse_from_rfc3339("2026-12-07T09:30:00Z").unwrap().with_timezone(&chrono::Utc),
            actor: "aigerim".into(),
            job: Some(5),
            release: Some(2),
            title: Some("Встреча «Астана — Улан-Батор»".into()),
            source_lang: Some(Lang::Ru),
            target_lang: Some(Lang::Kk),
            state: Some(JobState::Failed),
            detail,
        }
    }

    #[test]
    fn the_body_tells_the_event_the_job_and_what_went_wrong() {
        let d = delivery(NotifyEvent::Failed, serde_json::json!({ "error": "backend: quota", "owner": "h:1" }));
        let body: serde_json::Value = serde_json::from_slice(&Payload::of(&d).to_bytes()).unwrap();
        assert_eq!(
            body,
            serde_json::json!({
                "id": d.idempotency_key(), "event": "failed", "event_id": 42, "workflow": "demo", "webhook": "chat",
                "at": "2026-12-07T09:30:00.000Z", "actor": "aigerim", "job": 5, "release": 2,
                "title": "Встреча «Астана — Улан-Батор»", "source_lang": "ru", "target_lang": "kk", "state": "failed",
                "error": "backend: quota"
            })
        );
        // The attempt is not in the body: every attempt sends the same bytes.
        let mut again = d.clone();
        again.attempt = 4;
        assert_eq!(Payload::of(&again).to_bytes(), Payload::of(&d).to_bytes());
    }

    #[test]
    fn a_failed_run_has_its_problems_and_no_job() {
        let mut d =
            delivery(NotifyEvent::RunFailed, serde_json::json!({ "workflow": "demo", "problems": ["a: cannot read"] }));
        (d.job, d.release, d.title, d.source_lang, d.target_lang, d.state) = (None, None, None, None, None, None);
        let body: serde_json::Value = serde_json::from_slice(&Payload::of(&d).to_bytes()).unwrap();
        assert_eq!(body["problems"], serde_json::json!(["a: cannot read"]));
        assert!(body.get("job").is_none() && body.get("error").is_none() && body.get("state").is_none(), "{body}");
        let due =
            delivery(NotifyEvent::Deadline, serde_json::json!({ "deadline": "2026-12-08", "state": "in_review" }));
        let body: serde_json::Value = serde_json::from_slice(&Payload::of(&due).to_bytes()).unwrap();
        assert_eq!((body["event"].as_str(), body["deadline"].as_str()), (Some("deadline"), Some("2026-12-08")));
    }
}
