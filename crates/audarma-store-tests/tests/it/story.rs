//! One story through the Store trait: ingest, queue, claim, translate, edit, approve, TM, export.

use audarma_core::{JobState, Lang, Paragraph, Release, SuggestionOrigin};
use audarma_store::{Inserted, JobFilter, LeaseOwner, Store, StoreError, Suggestion};
use audarma_store_tests::conformance;
use std::sync::Arc;

fn release() -> Release {
    Release {
        source: "en-talks.txt".into(),
        lang: Lang::En,
        title: "Talks in Astana".into(),
        date: chrono::NaiveDate::from_ymd_opt(2026, 3, 12),
        place: Some("Astana".into()),
        paragraphs: vec![
            Paragraph::new(vec!["The parties met.".into(), "They signed a memorandum.".into()]),
            Paragraph {
                sentences: vec!["Стороны подписали меморандум.".into()], lang: Some(Lang::Ru)
            },
        ],
    }
}

fn suggestions(n: u32, lang: &str) -> Vec<Suggestion> {
    (0..n)
        .map(|idx| Suggestion {
            idx,
            text: Some(format!("[{lang}] {idx}")),
            origin: SuggestionOrigin::Pseudo,
            backend: Some("pseudo".into()),
            model: None,
            terms: vec![],
            findings: vec![],
            tm: None,
        })
        .collect()
}

conformance! {
    async fn a_release_goes_from_ingest_to_translation_memory(s: Arc<dyn Store>) {
        let id = match s.insert_release(&release(), "test").await.unwrap() {
            Inserted::New { id } => id,
            other => panic!("expected a new release, got {other:?}"),
        };
        assert_eq!(s.insert_release(&release(), "test").await.unwrap(), Inserted::Existing { id });

        let jobs = s.ensure_jobs(id, &[Lang::Kk, Lang::Ru], "demo", "test").await.unwrap();
        assert_eq!(jobs.len(), 2);
        assert!(s.ensure_jobs(id, &[Lang::Kk, Lang::Ru], "demo", "test").await.unwrap().is_empty());

        let claimed = s.claim_next_job("demo", LeaseOwner("run-1"), 60).await.unwrap().unwrap();
        assert_eq!(claimed.segments.len(), 4);
        assert_eq!(claimed.segments[0].paragraph, None);
        assert_eq!(claimed.segments[3].paragraph, Some(1));
        assert_eq!((claimed.segments[2].lang, claimed.segments[3].lang), (None, Some(Lang::Ru)));
        // Another run cannot claim the same job.
        let other = s.claim_next_job("demo", LeaseOwner("run-2"), 60).await.unwrap().unwrap();
        assert_ne!(other.id, claimed.id);
        assert!(s.claim_next_job("demo", LeaseOwner("run-3"), 60).await.unwrap().is_none());

        s.complete_translation(claimed.id, claimed.lease("run-1"), &suggestions(4, "kk"), "run-1").await.unwrap();
        s.fail_job(other.id, other.lease("run-2"), "backend said no", "run-2").await.unwrap();
        let failed = s.list_jobs(&JobFilter { state: Some(JobState::Failed), ..Default::default() }).await.unwrap();
        assert_eq!(failed[0].error.as_deref(), Some("backend said no"));

        let v = s.edit_segment(claimed.id, 1, "Тараптар кездесті.", &[], Some(1), "aigerim").await.unwrap();
        assert_eq!(v, 2);
        let stale = s.edit_segment(claimed.id, 1, "x", &[], Some(1), "bolat").await;
        assert!(matches!(stale, Err(StoreError::Conflict { current: 2, .. })), "{stale:?}");

        s.approve_job(claimed.id, "aigerim", None).await.unwrap();
        assert!(matches!(s.approve_job(claimed.id, "aigerim", None).await, Err(StoreError::WrongState { .. })));
        let tm = s.tm_exact(Lang::En, Lang::Kk, &["The  parties met.".into(), "Unknown.".into()]).await.unwrap();
        assert_eq!(tm, vec![Some("Тараптар кездесті.".to_string()), None]);

        let approved = s.approved().await.unwrap();
        assert_eq!(approved.len(), 1);
        assert_eq!(approved[0].segments[1], (Some(0), "Тараптар кездесті.".to_string()));

        let events = s.events(Some(claimed.id)).await.unwrap();
        let kinds: Vec<_> = events.iter().map(|e| (e.kind.as_str(), e.after.as_deref())).collect();
        assert_eq!(
            kinds,
            vec![
                ("job-created", Some("queued")),
                ("state", Some("translating")),
                ("state", Some("in_review")),
                ("edit", Some("Тараптар кездесті.")),
                ("state", Some("approved")),
                ("tm", None)
            ]
        );
        assert_eq!(events[3].before.as_deref(), Some("[kk] 1"));

        s.retry_job(other.id, "ops").await.unwrap();
        assert_eq!(s.job(other.id).await.unwrap().summary.state, JobState::Queued);
    }

    async fn an_expired_lease_is_reclaimed_and_incomplete_jobs_are_not_approved(s: Arc<dyn Store>) {
        let id = s.insert_release(&release(), "t").await.unwrap().id();
        s.ensure_jobs(id, &[Lang::Ru], "demo", "t").await.unwrap();
        let dead = s.claim_next_job("demo", LeaseOwner("killed-run"), -1).await.unwrap().unwrap();
        let again = s.claim_next_job("demo", LeaseOwner("next-run"), 60).await.unwrap().unwrap();
        assert_eq!(dead.id, again.id);
        // The first run's late result is refused, not written over the job the next run holds.
        let late = s.complete_translation(dead.id, dead.lease("killed-run"), &suggestions(4, "ru"), "killed-run").await;
        assert!(matches!(late, Err(StoreError::LeaseLost(_))), "{late:?}");
        let mut sugg = suggestions(4, "ru");
        sugg[2].text = None;
        s.complete_translation(again.id, again.lease("next-run"), &sugg, "next-run").await.unwrap();
        let err = s.approve_job(again.id, "x", None).await.unwrap_err();
        assert!(matches!(err, StoreError::Incomplete { empty: 1, .. }), "{err}");
        assert_eq!(s.job(again.id).await.unwrap().summary.state, JobState::InReview);
    }

    async fn fetch_validators_are_remembered_per_url(s: Arc<dyn Store>) {
        assert_eq!(s.fetch_validators("https://akorda.kz/1").await.unwrap(), None);
        s.record_fetch("https://akorda.kz/1", Some("\"v1\""), None).await.unwrap();
        s.record_fetch("https://akorda.kz/1", Some("\"v2\""), Some("Wed, 07 Jun 2023 10:00:00 GMT")).await.unwrap();
        let v = s.fetch_validators("https://akorda.kz/1").await.unwrap();
        assert_eq!(v, Some((Some("\"v2\"".into()), Some("Wed, 07 Jun 2023 10:00:00 GMT".into()))));
    }

    async fn the_cache_is_keyed_by_backend_model_pair_and_glossary_version(s: Arc<dyn Store>) {
        let key = audarma_store::CacheKey {
            backend: "deepl".into(),
            model: String::new(),
            source: Lang::En,
            target: Lang::Ru,
            glossary_version: "g1".into(),
        };
        s.cache_put(&key, &[("The parties met.".into(), "Стороны встретились.".into())]).await.unwrap();
        assert_eq!(
            s.cache_get(&key, &["The  parties met.".into(), "New.".into()]).await.unwrap(),
            vec![Some("Стороны встретились.".to_string()), None]
        );
        let other = audarma_store::CacheKey { glossary_version: "g2".into(), ..key.clone() };
        assert_eq!(s.cache_get(&other, &["The parties met.".into()]).await.unwrap(), vec![None]);
        let u = audarma_store::UsageRecord {
            workflow: "w".into(),
            worker: "r".into(),
            backend: "deepl".into(),
            requests: 2,
            chars: 30,
            billed_chars: 30,
            ..Default::default()
        };
        s.record_usage(&u).await.unwrap();
        s.record_usage(&u).await.unwrap();
        assert_eq!(s.usage_totals().await.unwrap()[0].chars, 60);
    }

    async fn error_findings_block_approval_unless_overridden_with_a_reason(s: Arc<dyn Store>) {
        let id = s.insert_release(&release(), "t").await.unwrap().id();
        s.ensure_jobs(id, &[Lang::Kk], "demo", "t").await.unwrap();
        let job = s.claim_next_job("demo", LeaseOwner("r"), 60).await.unwrap().unwrap();
        let mut sugg = suggestions(4, "kk");
        sugg[2].findings = vec![audarma_core::Finding::new(
            audarma_core::Check::Numbers,
            audarma_core::Severity::Error,
            "the number 5 is missing".into(),
        )];
        sugg[3].findings = vec![audarma_core::Finding::new(
            audarma_core::Check::Length,
            audarma_core::Severity::Warning,
            "short".into(),
        )];
        s.complete_translation(job.id, job.lease("r"), &sugg, "r").await.unwrap();
        let err = s.approve_job(job.id, "aigerim", None).await.unwrap_err();
        assert!(matches!(err, StoreError::Blocked { errors: 1, .. }), "{err}");
        assert!(err.to_string().contains("segment(s) 2"), "{err}");
        assert!(matches!(s.approve_job(job.id, "aigerim", Some("  ")).await, Err(StoreError::Blocked { .. })));
        s.approve_job(job.id, "aigerim", Some("the number is in the table below")).await.unwrap();
        let events = s.events(Some(job.id)).await.unwrap();
        let o = events.iter().find(|e| e.kind == "override").unwrap();
        assert_eq!(o.actor, "aigerim");
        assert_eq!(o.detail["reason"], "the number is in the table below");
        assert_eq!(o.detail["overridden"][0]["segment"], 2);
    }
}
