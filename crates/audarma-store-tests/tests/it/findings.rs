//! Findings a reviewer marks "not a problem": tied to the segment's text, logged, counted per check and
//! language pair, no longer blocking approval; and the word lists that extend the spelling dictionaries.

use audarma_core::{Check, Evidence, Finding, Lang, Paragraph, Release, Severity, SuggestionOrigin};
use audarma_store::{FindingRef, JobId, LeaseOwner, Store, StoreError, Suggestion};
use audarma_store_tests::conformance;
use std::sync::Arc;

fn release() -> Release {
    Release {
        source: "en-talks.txt".into(),
        lang: Lang::En,
        title: "Talks in Astana".into(),
        date: chrono::NaiveDate::from_ymd_opt(2026, 3, 12),
        place: None,
        paragraphs: vec![Paragraph::new(vec!["Five agreements were signed.".into(), "The parties met.".into()])],
    }
}

const NUMBER: &str = "the number 5 is missing";
const SPELLING: &str = "“Акордаа” is not in the Russian dictionary";

fn numbers() -> Finding {
    Finding::new(Check::Numbers, Severity::Error, NUMBER.into())
        .because(Evidence { found: Some("Five".into()), ..Evidence::rule("number-missing") })
}

fn spelling() -> Finding {
    Finding { start: Some(2), end: Some(9), ..Finding::new(Check::Spelling, Severity::Warning, SPELLING.into()) }
}

/// One en→ru job in review in the store: segment 1 has an error (numbers) and a warning (spelling).
async fn in_review(s: &dyn Store) -> JobId {
    let id = s.insert_release(&release(), "t").await.unwrap().id();
    s.ensure_jobs(id, &[Lang::Ru], "w", "t").await.unwrap();
    let job = s.claim_next_job("w", LeaseOwner("run"), 60).await.unwrap().unwrap();
    let sugg: Vec<Suggestion> = (0..3)
        .map(|idx| Suggestion {
            idx,
            text: Some(format!("Текст {idx}")),
            origin: SuggestionOrigin::Machine,
            backend: None,
            model: None,
            terms: vec![],
            findings: if idx == 1 { vec![numbers(), spelling()] } else { vec![] },
            tm: None,
        })
        .collect();
    s.complete_translation(job.id, job.lease("run"), &sugg, "run").await.unwrap();
    job.id
}

fn number_ref() -> FindingRef {
    FindingRef { check: Check::Numbers, message: NUMBER.into() }
}

fn counts(c: &[audarma_store::FindingCount], check: &str) -> (u64, u64) {
    c.iter()
        .find(|c| c.check == check && c.source_lang == Lang::En && c.target_lang == Lang::Ru)
        .map_or((0, 0), |c| (c.raised, c.dismissed))
}

conformance! {
    async fn a_dismissed_finding_is_logged_shown_and_no_longer_blocks_approval(s: Arc<dyn Store>) {
        let job = in_review(&*s).await;
        assert!(matches!(s.approve_job(job, "aigerim", None).await, Err(StoreError::Blocked { errors: 1, .. })));

        let d = s
            .dismiss_finding(job, 1, &number_ref(), Some(1), Some("  five is spelled out  "), "aigerim")
            .await
            .unwrap();
        assert_eq!((d.by.as_str(), d.reason.as_deref()), ("aigerim", Some("five is spelled out")));
        let ev = s.events(Some(job)).await.unwrap();
        let e = ev.iter().find(|e| e.kind == "finding-dismissed").unwrap();
        assert_eq!(e.actor, "aigerim");
        assert_eq!((e.detail["segment"].as_u64(), e.detail["check"].as_str()), (Some(1), Some("numbers")));
        assert_eq!(e.detail["message"], NUMBER);
        assert_eq!(e.detail["reason"], "five is spelled out");

        // The segment tells which of its stored findings are dismissed; the findings themselves are kept
        // as stored, extra fields included.
        let detail = s.job(job).await.unwrap();
        let seg = &detail.segments[1];
        assert_eq!(seg.findings, vec![numbers(), spelling()]);
        assert_eq!(seg.dismissals.len(), 1);
        assert!(seg.dismissal_of(&numbers()).is_some() && seg.dismissal_of(&spelling()).is_none());
        assert!(seg.blocking_findings().is_empty());
        let (_, one) = s.job_segment(job, 1).await.unwrap();
        assert_eq!(one.dismissals, seg.dismissals);

        // Dismissing again changes nothing: the first dismissal stands, one event, counted once.
        let again = s.dismiss_finding(job, 1, &number_ref(), None, Some("other"), "daniyar").await.unwrap();
        assert_eq!(again, d);
        let n = s.events(Some(job)).await.unwrap().iter().filter(|e| e.kind == "finding-dismissed").count();
        assert_eq!(n, 1);
        assert_eq!(counts(&s.finding_counts().await.unwrap(), "numbers"), (1, 1));

        // No error left undismissed: approved without an override, and no override event.
        s.approve_job(job, "aigerim", None).await.unwrap();
        assert!(!s.events(Some(job)).await.unwrap().iter().any(|e| e.kind == "override"));
    }

    async fn saving_the_same_text_again_keeps_the_dismissal(s: Arc<dyn Store>) {
        let job = in_review(&*s).await;
        s.dismiss_finding(job, 1, &number_ref(), Some(1), None, "daniyar").await.unwrap();

        // Saving the same text again (version 2) keeps the dismissal, and raises nothing new.
        s.edit_segment(job, 1, "Текст 1", &[numbers(), spelling()], Some(1), "daniyar").await.unwrap();
        assert_eq!(s.job(job).await.unwrap().segments[1].dismissals.len(), 1);
        let c = s.finding_counts().await.unwrap();
        assert_eq!((counts(&c, "numbers"), counts(&c, "spelling")), ((1, 1), (1, 0)));
        s.approve_job(job, "aigerim", None).await.unwrap();
    }

    async fn a_changed_text_resurfaces_a_dismissed_finding_and_counts_it_again(s: Arc<dyn Store>) {
        let job = in_review(&*s).await;
        s.dismiss_finding(job, 1, &number_ref(), Some(1), None, "daniyar").await.unwrap();
        let v = s.edit_segment(job, 1, "Другой текст", &[numbers()], Some(1), "daniyar").await.unwrap();
        let seg = &s.job(job).await.unwrap().segments[1];
        assert!(seg.dismissals.is_empty(), "a dismissal holds only for the text it was given on");
        assert_eq!(seg.blocking_findings(), vec![numbers()]);
        assert!(matches!(s.approve_job(job, "aigerim", None).await, Err(StoreError::Blocked { errors: 1, .. })));
        assert_eq!(counts(&s.finding_counts().await.unwrap(), "numbers"), (2, 1), "raised again on the new text");

        // Back to the first text: its dismissal applies again, and nothing is counted twice.
        s.edit_segment(job, 1, "Текст 1", &[numbers()], Some(v), "daniyar").await.unwrap();
        assert_eq!(s.job(job).await.unwrap().segments[1].dismissals.len(), 1);
        assert_eq!(counts(&s.finding_counts().await.unwrap(), "numbers"), (2, 1));
    }

    async fn dismissing_what_is_not_there_is_refused(s: Arc<dyn Store>) {
        let job = in_review(&*s).await;
        let other = FindingRef { check: Check::Numbers, message: "no such message".into() };
        assert!(matches!(
            s.dismiss_finding(job, 1, &other, None, None, "x").await,
            Err(StoreError::NoSuchFinding { segment: 1, .. })
        ));
        assert!(matches!(
            s.dismiss_finding(job, 0, &number_ref(), None, None, "x").await,
            Err(StoreError::NoSuchFinding { segment: 0, .. })
        ));
        assert!(matches!(
            s.dismiss_finding(job, 9, &number_ref(), None, None, "x").await,
            Err(StoreError::NoSuchSegment { segment: 9, .. })
        ));
        assert!(matches!(
            s.dismiss_finding(99, 1, &number_ref(), None, None, "x").await,
            Err(StoreError::NoSuchJob(99))
        ));
        assert!(matches!(
            s.dismiss_finding(job, 1, &number_ref(), Some(7), None, "x").await,
            Err(StoreError::Conflict { current: 1, expected: 7, .. })
        ));
        s.approve_job(job, "aigerim", Some("checked by hand")).await.unwrap();
        assert!(matches!(
            s.dismiss_finding(job, 1, &number_ref(), None, None, "x").await,
            Err(StoreError::WrongState { .. })
        ));
        assert!(!s.events(Some(job)).await.unwrap().iter().any(|e| e.kind == "finding-dismissed"));
        assert_eq!(counts(&s.finding_counts().await.unwrap(), "numbers"), (1, 0));
    }

    async fn findings_are_counted_once_per_text_per_check_and_pair(s: Arc<dyn Store>) {
        let job = in_review(&*s).await;
        let c = s.finding_counts().await.unwrap();
        assert_eq!((counts(&c, "numbers"), counts(&c, "spelling")), ((1, 0), (1, 0)), "{c:?}");
        // Each edit stores its findings: a new text raises them again, a re-save of the same text does not.
        let v = s.edit_segment(job, 2, "Новый", &[spelling()], None, "d").await.unwrap();
        s.edit_segment(job, 2, "Новый", &[spelling()], Some(v), "d").await.unwrap();
        s.edit_segment(job, 1, "Текст 1 исправлен", &[], None, "d").await.unwrap();
        let c = s.finding_counts().await.unwrap();
        assert_eq!((counts(&c, "numbers"), counts(&c, "spelling")), ((1, 0), (2, 0)), "{c:?}");
        let spelling_ref = FindingRef { check: Check::Spelling, message: SPELLING.into() };
        s.dismiss_finding(job, 2, &spelling_ref, None, Some("a name"), "d").await.unwrap();
        let c = s.finding_counts().await.unwrap();
        assert_eq!(counts(&c, "spelling"), (2, 1));
        assert!(c.iter().all(|c| c.dismissed <= c.raised));
    }

    async fn words_are_added_once_in_any_case_logged_and_listed_per_language(s: Arc<dyn Store>) {
        in_review(&*s).await;
        assert!(s.words(Lang::Kk).await.unwrap().is_empty());
        assert!(s.add_word(Lang::Kk, " Ақорда ", "daniyar").await.unwrap());
        assert!(s.add_word(Lang::Kk, "елорда", "daniyar").await.unwrap());
        assert!(!s.add_word(Lang::Kk, "АҚОРДА", "aigerim").await.unwrap(), "the same word in another case");
        assert!(s.add_word(Lang::Ru, "Акорда", "aigerim").await.unwrap(), "lists are per language");
        assert_eq!(s.words(Lang::Kk).await.unwrap(), ["Ақорда", "елорда"]);
        assert_eq!(s.words(Lang::Ru).await.unwrap(), ["Акорда"]);
        assert!(s.words(Lang::En).await.unwrap().is_empty());
        let added: Vec<_> = s.events(None).await.unwrap().into_iter().filter(|e| e.kind == "word-added").collect();
        assert_eq!(added.len(), 3);
        assert_eq!((added[0].actor.as_str(), added[0].detail["lang"].as_str()), ("daniyar", Some("kk")));
        assert_eq!(added[0].detail["word"], "Ақорда");
    }
}
